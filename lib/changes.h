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
 * before or after.
 *
 * Both binaries hold it typed (tc_changeset below); JSON is one writer of
 * it (tc_changeset_json) and the page views another (tc_changes_view).
 * Only a document read from a file (tc-search's index, a test's file)
 * goes through the reader, tc_changeset_from_json. */
#ifndef TC_CHANGES_LIB_H
#define TC_CHANGES_LIB_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "val.h"
#include "vocab.h"

struct tc_lang; /* lib/lang.h */

#define TC_CHANGES_SCHEMA_VERSION 1

typedef enum tc_change_kind {
	TC_CHANGE_MEASURE_ADDED,
	TC_CHANGE_MEASURE_REMOVED,
	TC_CHANGE_MEASURE_REWORDED,
	TC_CHANGE_CELL_ADDED,
	TC_CHANGE_CELL_REMOVED,
	TC_CHANGE_CELL_CHANGED,
	TC_CHANGE_SCOPE_ADDED,
	TC_CHANGE_SCOPE_REMOVED,
	TC_CHANGE_SUB_ADDED,
	TC_CHANGE_SUB_ENDING,
	TC_CHANGE_SUB_REMOVED,
	TC_CHANGE_SUB_CHANGED,
	TC_CHANGE__COUNT
} tc_change_kind;

/* "measure-added", ...; tc_change_kind_from_id: -1 when unknown. */
const char *tc_change_kind_id(tc_change_kind k);
int tc_change_kind_from_id(const char *id);
bool tc_change_kind_is_cell(tc_change_kind k);
bool tc_change_kind_is_sub(tc_change_kind k);

/* A list of strings. */
typedef struct tc_strs {
	const char **v;
	size_t n;
} tc_strs;

/* A cell as a release keeps it. label and note: NULL when the release has
 * none; label_lang and note_lang: the language its words kept (a
 * translation's, gen/translate.h), NULL when none. */
typedef struct tc_change_cell {
	tc_status status;
	tc_resp resp;
	const char *label, *note, *label_lang, *note_lang;
} tc_change_cell;

/* A subprocessor as a release lists it (tc_release_subs), with its words:
 * country_name, product_names. announced and until: NULL for null. */
typedef struct tc_change_sub {
	const char *id, *name, *entity, *address, *country, *purpose;
	tc_strs products;
	const char *transfer, *since, *announced, *until, *country_name;
	tc_strs product_names;
} tc_change_sub;

/* One change. Every string NULL where the document has null. before and
 * after by kind: cell-* the cells (NULL: none), measure-reworded the
 * texts, subprocessor-* the subprocessors (NULL: none); the others have
 * none. subprocessor, name, fields, effective, announced and object_by
 * are a subprocessor change's only. */
typedef struct tc_change {
	tc_change_kind kind;
	const char *measure, *category, *category_title, *text, *scope,
	    *scope_name;
	const tc_change_cell *cell_before, *cell_after;
	const char *text_before, *text_after;
	const tc_change_sub *sub_before, *sub_after;
	tc_move move;
	const char *words;
	tc_strs products;
	const char *subprocessor, *name;
	tc_strs fields;
	const char *effective, *announced, *object_by;
} tc_change;

/* A release, or the content's unreleased edits (released false).
 * previous: NULL for null (the first release). */
typedef struct tc_change_step {
	const char *version, *date, *summary, *previous;
	bool released;
	const tc_change *changes;
	size_t n;
} tc_change_step;

/* The change data: steps newest first. Everything a set points to is in
 * its arena, and tc_changeset_free frees it all; a set made by
 * tc_changes_since owns only its steps and lists and borrows the rest
 * from the set it was made from, which must outlive it. schema: the
 * document's "$schema" (NULL: none). filtered: a tc_changes_since set,
 * written as {"since", "product", "releases"}. */
typedef struct tc_changeset {
	tc_arena *arena;
	const char *schema;
	bool filtered;
	const char *since, *product;
	tc_change_step *steps;
	size_t n;
} tc_changeset;

/* A new empty set with its own arena (for a writer such as tc-gen's
 * gen/changes.c, which fills steps from a's memory). */
tc_changeset *tc_changeset_new(void);
void tc_changeset_free(tc_changeset *cs);

/* Reads a change document (the shape above, "$schema" optional) into a
 * new set, or NULL with "<path>: <what is wrong>" in err (path: releases[0].
 * changes[2].before.status). Members it does not know are ignored; every
 * known one is checked for its type, kind, status, responsibility and
 * move words. doc is only read (the set copies its strings). */
tc_changeset *tc_changeset_from_json(const json_t *doc, tc_buf *err);

/* The set as the JSON document (new): api/changes.json's members in their
 * order, or for a filtered set {"since", "product", "releases"}. */
json_t *tc_changeset_json(const tc_changeset *cs);
json_t *tc_change_step_json(const tc_change_step *st);
json_t *tc_change_json(const tc_change *c);

/* Whether a change concerns product (NULL: every change does). */
bool tc_change_concerns(const tc_change *c, const char *product);

/* The releases after version since (NULL: all of them), newest first, each
 * with only the changes that concern product (NULL: all), as a new
 * filtered set that borrows from cs (see tc_changeset). NULL and a
 * message in err when since is not a version of cs. */
tc_changeset *tc_changes_since(const tc_changeset *cs, const char *since,
			       const char *product, tc_buf *err);

/* The words of a subprocessor's field ("country": "Country of
 * processing") in language l; field itself when unknown. */
const char *tc_sub_field_label(const struct tc_lang *l, const char *field);

/* A cell of the change data as the "cell" partial shows it (as
 * lib/views.h tc_view_data_cell_val; base: the site's base_url or NULL);
 * strings copied into a. */
tc_val *tc_change_cell_val(tc_arena *a, const struct tc_lang *l,
			   const tc_change_cell *cell, const char *base);

/* Renders a cell as HTML. */
typedef const tc_val *(*tc_cell_html_fn)(void *ud, const tc_change_cell *cell);

/* One release of the change data as the "changes" template shows it, in
 * arena a: its fields, then "moves" (what moves between client and
 * provider), "columns" (scopes added or removed) and "groups" (the rest,
 * by category), "subs" (the subprocessors' changes: about, words,
 * object_by_words, announced_words, details [{label, before, after}]),
 * with has_moves, has_columns, has_subs, has_changes and
 * count_words; each change gets its members as the JSON has them and
 * before_html and after_html (cells, via cell) or before_text and
 * after_text (rewording). Words are l's. */
tc_val *tc_changes_view(tc_arena *a, const struct tc_lang *l,
			const tc_change_step *step, tc_cell_html_fn cell,
			void *ud);

#endif
