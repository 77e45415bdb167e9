/* index.h: the search index tc-search reads, an SQLite file.
 *
 * Holds an FTS5 table over every measure (ID, text, cell notes, category
 * title, scope names; porter + unicode61, prefix indexes), the measures with
 * their cells as one " scope=status " column for the filters, and what
 * tc-search needs to answer without the site: the exported JSON, the common
 * page context, and the templates. The
 * file is written under a temporary name and renamed into place by
 * tc_index_commit, so a running tc-search never sees half an index.
 * The index is not part of the site: keep it outside the web root. Its
 * format is lib/indexfmt.h. */
#ifndef TC_INDEX_H
#define TC_INDEX_H

#include <jansson.h>

#include "../lib/diag.h"
#include "model.h"


/* Writes the index for m into a new temporary file beside path and returns
 * its name (caller frees), or NULL after reporting to d. tom is the
 * published api/tom.json, page the common page context (site, nav,
 * legend), templates the templates folder. */
char *tc_index_write(const tc_model *m, const char *tom, json_t *page,
		     const char *changes, const char *templates,
		     const char *path, tc_diags *d);
int tc_index_commit(const char *tmp, const char *path);

#endif
