/* content.h: reads content/ into a checked model.
 *
 * The content folder holds site.md (the organisation, version, date and the
 * introduction), scopes.md (the registry of table columns) and
 * categories/NN-name.md (one per category, read in file-name order: front
 * matter, prose, and GFM tables with the columns ID, Measure, then one per
 * scope).
 *
 * Every problem found is appended to d as file:line:col, and loading goes on
 * so that one run reports them all. Returns the model only when d gained no
 * errors (caller frees with tc_model_free), NULL otherwise. */
#ifndef TC_CONTENT_H
#define TC_CONTENT_H

#include <cmark-gfm.h>

#include "../lib/diag.h"
#include "model.h"

tc_model *tc_content_load(const char *dir, tc_diags *d);

/* A source held in memory: path as tc_content_load would build it from
 * dir ("dir/site.md", "dir/scopes.md", "dir/categories/NN-name.md"), and
 * len bytes of data (borrowed; need not be NUL-terminated). */
typedef struct tc_content_file {
	const char *path;
	const char *data;
	size_t len;
} tc_content_file;

/* tc_content_load with the n files given instead of the file system: no
 * file I/O, same checks and messages. Category files are the ones under
 * dir/categories/, taken in the order given. For the fuzzer and tests. */
tc_model *tc_content_load_mem(const char *dir, const tc_content_file *files,
			      size_t n, tc_diags *d);

/* The URL paths the site serves for the model (pages, anchors, downloads):
 * internal links in prose must point at one of these. */
int tc_content_url_exists(const tc_model *m, const char *url);
/* Whether a link of the content leads somewhere: a site path that exists,
 * "#ID" of a measure of category c (when c is given), or any other URL. */
int tc_content_link_ok(const tc_model *m, const tc_category *c,
		       const char *url);
/* Each `for` phrase of m's synonyms must occur in one of its measures'
 * words; reports those that do not and returns their number. */
int tc_content_check_synonyms(const tc_model *m, tc_diags *d);
/* Reports message at each table of the tree under root, at any depth, at
 * the table's position (line0: the body's first line in its file). The
 * measure tables of a category stand at its top level and are taken out
 * before; a table left, or any in a translation, would show marks that
 * no download has. */
void tc_content_no_tables(cmark_node *root, tc_diags *d, const char *file,
			  int line0, const char *message);
/* 1 when a folder entry's name is that of a category file: "*.md", not
 * hidden (the loader and the translations' stray check agree on it). */
int tc_content_md_name(const char *name);
/* The pipes of each line of a Markdown body within the table limit
 * (cmark-gfm's tables are quadratic beyond it); reports the first line
 * over it and returns 0 then. */
int tc_content_body_ok(const char *file, const char *body, size_t n, int line0,
		       tc_diags *d);

#endif
