/* index.h: the search index tc-search reads, an SQLite file.
 *
 * Holds an FTS5 table over every measure (ID, text, cell notes, category
 * title, scope names; porter + unicode61, prefix indexes), the measures and
 * their cells as the pieces of a search answer (compact JSON, spliced by
 * tc-search), the common downloads ready to serve, and what tc-search needs
 * to answer without the site: the data set without its measures, the common
 * page context, and the templates. The
 * file is written under a temporary name and renamed into place by
 * tc_index_commit, so a running tc-search never sees half an index.
 * The index is not part of the site: keep it outside the web root. Its
 * format is lib/indexfmt.h. */
#ifndef TC_INDEX_H
#define TC_INDEX_H

#include <jansson.h>

#include "../lib/diag.h"
#include "../lib/lang.h"
#include "model.h"

/* Writes the index for m into a new temporary file beside path and returns
 * its name (caller frees), or NULL after reporting to d. tom is m's
 * export as published (api/tom.json), page the common page context (site,
 * nav, legend), templates the templates folder; all borrowed. l is the
 * language it is written in. */
char *tc_index_write(const tc_model *m, const tc_lang *l, const char *tom,
		     json_t *page, const char *changes, const char *templates,
		     const char *path, tc_diags *d);
/* Stamps the n new indexes tmp[] of one run (the site's languages, in
 * order) with one build ID (lib/indexfmt.h, TC_IX_BUILD), so tc-search can
 * tell a set that belongs together from languages of different deploys.
 * Returns 0, or -1 after reporting to d (path: the default's index). */
int tc_index_stamp(char *const *tmp, size_t n, const char *path, tc_diags *d);
int tc_index_commit(const char *tmp, const char *path);

#endif
