/* views.h: what templates see of the vocabulary, built in one place.
 *
 * tc-gen's pages and tc-search's answers render a cell and the legend with
 * the same partials; these builders give both the same fields, from the
 * words of lib/vocab.h. The _val builders allocate in the arena a (strings
 * passed in are borrowed: they must outlive the value); the json_t forms are
 * the same values converted, new (caller owns). Words are those of the
 * language l they are given (lib/lang.h). */
#ifndef TC_VIEWS_H
#define TC_VIEWS_H

#include <jansson.h>

#include "buf.h"
#include "val.h"
#include "vocab.h"

/* A cell as the "cell" partial shows it: {cls, title, icon, other, label,
 * note_html, resp, resp_title, resp_phrase[, scope, scope_id]}. note_html is
 * trusted HTML (the generator's rendering of the note); scope may be NULL. */
tc_val *tc_view_cell_val(tc_arena *a, const struct tc_lang *l, tc_status st,
			 tc_resp r, const char *label, const char *note_html,
			 const char *scope, const char *scope_id);

/* Text of the data (a measure's text, a note: "see EAC-8 <URL>") as HTML
 * appended to out: escaped, with the word before each URL as its link
 * (a site path when the URL starts with base, which may be NULL). */
void tc_view_data_html(tc_buf *out, const struct tc_lang *l, const char *text,
		       const char *base);

/* The same view from a cell of the exported data ({status,
 * responsibility, label, note[, label_lang, note_lang]}), whose note is
 * plain text and is escaped here; the URLs in it ("text <URL>") become
 * links, made site paths when they start with base (the site's base_url;
 * may be NULL). Unknown words show as "other". Strings are copied into
 * a; cell is only read. */
tc_val *tc_view_data_cell_val(tc_arena *a, const struct tc_lang *l,
			      json_t *cell, const char *scope,
			      const char *scope_id, const char *base);
/* The same from a cell read into a view (tc-search reads what its index
 * stores so: cgi/search.h); its strings are copied into a. */
tc_val *tc_view_val_cell_val(tc_arena *a, const struct tc_lang *l,
			     const tc_val *cell, const char *scope,
			     const char *scope_id, const char *base);
/* tc_view_data_cell_val as a new JSON object (the caller owns it). No
 * answer uses it since tc-search's HTML renders views (test_vocab does). */
json_t *tc_view_cell_json(const struct tc_lang *l, json_t *cell,
			  const char *scope, const char *scope_id,
			  const char *base);

/* The legend: every badge a cell can show, [{id, title, icon}]. */
tc_val *tc_view_legend_val(tc_arena *a, const struct tc_lang *l);
/* The responsibilities, [{id, title, icon, phrase}]. */
tc_val *tc_view_resps_val(tc_arena *a, const struct tc_lang *l);
/* The statuses: [{id, title, icon}]. */
tc_val *tc_view_statuses_val(tc_arena *a, const struct tc_lang *l);

#endif
