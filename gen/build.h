/* build.h: the whole generator run, for main.c and the tests.
 *
 * Load and check content/, render into a staging folder beside the output,
 * write the search index, then publish both. On any error nothing that
 * existed before is changed, and every problem is in d. */
#ifndef TC_BUILD_H
#define TC_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/diag.h"
#include "site.h"

typedef struct tc_build_opts {
	const char *content;   /* default "content" */
	const char *templates; /* default "templates" */
	const char *output;    /* default "public" */
	const char *index;     /* NULL: no search index */
	bool drafts; /* a missing translation falls back to the original's
			words, marked on the page, instead of failing */
	size_t max_site_bytes; /* per language; 0: TC_MAX_SITE_BYTES */
} tc_build_opts;

typedef struct tc_build_result {
	tc_site_stats site;
	size_t measures, cells;
} tc_build_result;

int tc_build(const tc_build_opts *o, tc_diags *d, tc_build_result *r);

/* `tc-gen release`: freezes the content's data set as the release of its
 * version (content/releases/<version>.json, gen/release.h). *written gets
 * the file's path (caller frees). Returns 0, or -1 after reporting to d. */
int tc_build_release(const tc_build_opts *o, tc_diags *d, char **written);

#endif
