/* site.h: writes the static site for a model into a folder.
 *
 * Pages are rendered through the Mustache templates in a templates folder;
 * each page's context is built from the exported JSON objects (so a page and
 * the download cannot disagree) plus the prose the export does not carry.
 * Templates are parsed once and checked (syntax, missing partials) before
 * anything is written. */
#ifndef TC_SITE_H
#define TC_SITE_H

#include <jansson.h>
#include <stddef.h>

#include "../lib/diag.h"
#include "../lib/lang.h"
#include "model.h"

typedef struct tc_site_stats {
	size_t pages; /* HTML pages */
	size_t files; /* every file written */
	size_t bytes;
	/* in: what the site may write, in bytes (0: TC_MAX_SITE_BYTES of
	 * gen/limits.h); kept by tc_site_write, which zeroes the rest */
	size_t budget;
} tc_site_stats;

struct tc_releases;

/* The versions of the TOMs: the releases (gen/release.h) and the changes
 * between them (lib/changes.h). */
typedef struct tc_history {
	const struct tc_releases *releases;
	struct tc_changeset *changes; /* owned by the build */
} tc_history;

/* Writes the site for m into out_dir, which must exist. tom is m's export
 * as published (tc_export_model_text), written as api/tom.json and
 * digested on the annex; h (may be NULL) gives the change pages, feeds
 * and old versions. l is the language it is written in (lib/lang.h).
 * Returns 0, or -1 after reporting to d. */
int tc_site_write(const tc_model *m, const tc_lang *l, const char *tom,
		  size_t tom_len, const char *templates, const char *out_dir,
		  const tc_history *h, tc_diags *d, tc_site_stats *stats);

/* The values every page shares (site, legend, nav), as a new object: what
 * tc-search needs to render its pages in the site's layout. */
json_t *tc_site_context(const tc_model *m, const tc_lang *l);

#endif
