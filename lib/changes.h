/* changes.h: the change data (api/changes.json) and its filters, shared
 * by tc-gen's pages and feeds and tc-search's /api/changes.
 *
 * Shape: {"schema_version": 1, "releases": [newest first: {"version",
 * "date", "summary", "released" (false for the content's unreleased
 * edits), "previous" (version or null), "changes": [{"kind", "measure",
 * "category", "category_title", "text", "scope", "scope_name", "before",
 * "after", "move", "words", "products"}]}]}.
 *
 * kind: measure-added, measure-removed, measure-reworded (before/after are
 * the texts), cell-added, cell-removed, cell-changed (before/after are
 * cells {status, responsibility, label, note} or null), scope-added,
 * scope-removed. move: "to-client", "from-client" or "". words: what the
 * change means for a customer ("Becomes your job", "Now provided", ...).
 * products: the product IDs the change concerns (lib/vocab tc_concerns).
 *
 * Subprocessor changes (gen/changes.h tc_changes_subs) have the kinds
 * subprocessor-added, -ending, -removed and -changed, null measure,
 * category, text and scope, before/after the subprocessor as its release
 * lists it with "country_name" and "product_names" (or null), and
 * "subprocessor" (its ID), "name", "fields" (what changed), "effective",
 * "announced" and "object_by" (dates or null); products: those it serves,
 * before or after. */
#ifndef TC_CHANGES_LIB_H
#define TC_CHANGES_LIB_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "val.h"

struct tc_lang; /* lib/lang.h */

#define TC_CHANGES_SCHEMA_VERSION 1

/* Whether a change concerns product (NULL: every change does). */
bool tc_change_concerns(json_t *change, const char *product);

/* The releases after version since (NULL: all of them), newest first, each
 * with only the changes that concern product (NULL: all), as a new
 * document {"since", "product", "releases"}. NULL and a message in err
 * when since is not a version of doc. doc is borrowed. */
json_t *tc_changes_since(json_t *doc, const char *since, const char *product,
			 tc_buf *err);

/* The words of a subprocessor's field ("country": "Country of
 * processing") in language l; field itself when unknown. */
const char *tc_sub_field_label(const struct tc_lang *l, const char *field);

/* Renders a cell ({status, responsibility, label, note}) as HTML. */
typedef const tc_val *(*tc_cell_html_fn)(void *ud, json_t *cell);

/* One release of the change data as the "changes" template shows it, in
 * arena a: its fields, then "moves" (what moves between client and
 * provider), "columns" (scopes added or removed) and "groups" (the rest,
 * by category), "subs" (the subprocessors' changes: about, words,
 * object_by_words, announced_words, details [{label, before, after}]),
 * with has_moves, has_columns, has_subs, has_changes and
 * count_words; each change gets before_html and after_html (cells, via
 * cell) or before_text and after_text (rewording). Words are l's. */
tc_val *tc_changes_view(tc_arena *a, const struct tc_lang *l, json_t *step,
			tc_cell_html_fn cell, void *ud);

#endif
