#include "tomdata.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "lang.h"
#include "vocab.h"

json_t *tc_tom_scope(json_t *doc, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(doc, "scopes"), i, s) {
		if (!strcmp(json_string_value(json_object_get(s, "id")), id))
			return s;
	}
	return NULL;
}

int tc_tom_list_has(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *s = list; s && *s;) {
		size_t k = strcspn(s, ",");
		if (k == n && !memcmp(s, id, n))
			return 1;
		s += k + (s[k] == ',');
	}
	return 0;
}

tc_cell_role tc_cell_role_of(tc_scope_kind k, bool own)
{
	switch (k) {
	case SK_PRODUCT: return own ? CR_OWN : CR_OTHER;
	case SK_SITE:
	case SK_ORGANISATION: return CR_EVERY;
	case SK_INTERNAL: return CR_INTERNAL;
	default: return CR_OTHER;
	}
}

/* The product rule's order: what is the client's first, then what is
 * shared, ours, in the product's description; none last. */
static int rank(tc_resp r)
{
	switch (r) {
	case RS_CLIENT: return 0;
	case RS_SHARED: return 1;
	case RS_PROVIDER: return 2;
	case RS_SEE_PRODUCT: return 3;
	default: return 4;
	}
}

tc_cell_role tc_answer_add(tc_answer *a, tc_scope_kind k, bool own,
			   tc_status st, tc_resp r)
{
	tc_cell_role role = tc_cell_role_of(k, own);
	if (role != CR_OWN && role != CR_EVERY)
		return role;
	a->concerns = true;
	a->own |= role == CR_OWN;
	a->not_provided |= st == ST_NOT_PROVIDED;
	if (rank(r) < rank(a->resp))
		a->resp = r;
	return role;
}

json_t *tc_tom_kinds(json_t *doc)
{
	json_t *kinds = json_object(), *s;
	size_t i;
	json_array_foreach (json_object_get(doc, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		int k = tc_scope_kind_from_id(
		    json_string_value(json_object_get(s, "kind")));
		if (id && k >= 0)
			json_object_set_new(kinds, id, json_integer(k));
	}
	return kinds;
}

/* The kind of scope id, or -1. */
static int kind_of(json_t *kinds, const char *id)
{
	json_t *k = json_object_get(kinds, id);
	return k ? (int)json_integer_value(k) : -1;
}

tc_cell_role tc_tom_role(json_t *kinds, const char *scope, const char *product)
{
	int k = kind_of(kinds, scope);
	return k < 0 ? CR_OTHER
		     : tc_cell_role_of((tc_scope_kind)k,
				       product && !strcmp(scope, product));
}

tc_answer tc_tom_answer(json_t *kinds, json_t *measure, const char *product)
{
	tc_answer a = TC_ANSWER_INIT;
	const char *id;
	json_t *cell;
	json_object_foreach (json_object_get(measure, "cells"), id, cell) {
		int k = kind_of(kinds, id);
		if (k < 0)
			continue;
		int st = tc_status_from_id(
		    json_string_value(json_object_get(cell, "status")));
		int r = tc_resp_from_id(
		    json_string_value(json_object_get(cell, "responsibility")));
		tc_answer_add(&a, (tc_scope_kind)k,
			      product && !strcmp(id, product),
			      st < 0 ? ST_OTHER : (tc_status)st,
			      r < 0 ? RS_NONE : (tc_resp)r);
	}
	return a;
}

/* Whether cell v passes the status and responsibility filters. */
static bool cell_passes(json_t *v, const char *status, const char *resp)
{
	const char *st = json_string_value(json_object_get(v, "status"));
	if (status && (!st || strcmp(st, status) != 0))
		return false;
	const char *r = json_string_value(json_object_get(v, "responsibility"));
	return !resp || (r && tc_tom_list_has(resp, r));
}

/* The cells of one measure that pass the product, status and
 * responsibility filters of tc_tom_filter, as a new object keyed by scope
 * id; empty when the measure does not concern the product (the product
 * rule). */
static json_t *cells_of(json_t *kinds, json_t *measure, const char *product,
			const char *status, const char *resp)
{
	json_t *out = json_object();
	if (product && !tc_tom_answer(kinds, measure, product).concerns)
		return out;
	const char *k;
	json_t *v;
	json_object_foreach (json_object_get(measure, "cells"), k, v) {
		tc_cell_role role =
		    product ? tc_tom_role(kinds, k, product) : CR_EVERY;
		/* another product's cell says nothing for this one; an
		 * internal one is shown, never selected as an answer */
		if (role == CR_OTHER ||
		    (role == CR_INTERNAL && (status || resp)))
			continue;
		if (role != CR_INTERNAL && !cell_passes(v, status, resp))
			continue;
		json_object_set(out, k, v);
	}
	/* internal cells alone are no answer */
	if (product) {
		bool answer = false;
		json_object_foreach (out, k, v)
			answer |= tc_tom_role(kinds, k, product) != CR_INTERNAL;
		if (!answer)
			json_object_clear(out);
	}
	return out;
}

static json_t *filter_measures(json_t *kinds, json_t *measures,
			       const char *product, const char *status,
			       const char *resp, json_t *used)
{
	json_t *out = json_array();
	size_t i;
	json_t *me;
	json_array_foreach (measures, i, me) {
		json_t *cells = cells_of(kinds, me, product, status, resp);
		if (json_object_size(cells) == 0) {
			json_decref(cells);
			continue;
		}
		const char *k;
		json_t *v;
		json_object_foreach (cells, k, v)
			json_object_set(used, k, json_true());
		json_t *copy = json_copy(me);
		json_object_set_new(copy, "cells", cells);
		json_array_append_new(out, copy);
	}
	return out;
}

json_t *tc_tom_filter(json_t *doc, const char *product, const char *category,
		      const char *status, const char *resp)
{
	json_t *out = json_copy(doc);
	json_t *cats = json_array(), *used = json_object();
	json_t *kinds = tc_tom_kinds(doc);
	size_t i;
	json_t *c;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		if (category && strcmp(id, category) != 0)
			continue;
		json_t *ms =
		    filter_measures(kinds, json_object_get(c, "measures"),
				    product, status, resp, used);
		if (json_array_size(ms) == 0) {
			json_decref(ms);
			continue;
		}
		json_t *copy = json_copy(c);
		json_object_set_new(copy, "measures", ms);
		json_array_append_new(cats, copy);
	}
	json_decref(kinds);
	json_object_set_new(out, "categories", cats);
	json_t *scopes = json_array();
	json_t *s;
	json_array_foreach (json_object_get(doc, "scopes"), i, s) {
		if (json_object_get(
			used, json_string_value(json_object_get(s, "id"))))
			json_array_append(scopes, s);
	}
	json_object_set_new(out, "scopes", scopes);
	json_decref(used);
	if (product || category || status || resp) {
		json_t *f = json_object();
		if (product)
			json_object_set_new(f, "product", json_string(product));
		if (category)
			json_object_set_new(f, "category",
					    json_string(category));
		if (status)
			json_object_set_new(f, "status", json_string(status));
		if (resp)
			json_object_set_new(f, "responsibility",
					    json_string(resp));
		json_object_set_new(out, "filter", f);
	}
	return out;
}

/* The cells of measure me that the product rule shows for any of the
 * products (a comma-separated list), resp as cells_of's. */
static json_t *cells_for_products(json_t *kinds, json_t *me,
				  const char *products, const char *resp)
{
	json_t *out = json_object();
	bool answer = false;
	const char *k;
	json_t *v;
	json_object_foreach (json_object_get(me, "cells"), k, v) {
		int kind = kind_of(kinds, k);
		tc_cell_role role =
		    kind < 0 ? CR_OTHER
			     : tc_cell_role_of((tc_scope_kind)kind,
					       tc_tom_list_has(products, k));
		if (role == CR_OTHER || (role == CR_INTERNAL && resp))
			continue;
		if (role != CR_INTERNAL && !cell_passes(v, NULL, resp))
			continue;
		answer |= role != CR_INTERNAL;
		json_object_set(out, k, v);
	}
	if (!answer)
		json_object_clear(out);
	return out;
}

json_t *tc_tom_filter_products(json_t *doc, const char *products,
			       const char *resp)
{
	json_t *out = json_copy(doc);
	json_t *cats = json_array(), *used = json_object();
	json_t *kinds = tc_tom_kinds(doc);
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		json_t *ms = json_array();
		json_array_foreach (json_object_get(c, "measures"), j, me) {
			json_t *cells =
			    cells_for_products(kinds, me, products, resp);
			if (!json_object_size(cells)) {
				json_decref(cells);
				continue;
			}
			const char *k;
			json_t *v;
			json_object_foreach (cells, k, v)
				json_object_set(used, k, json_true());
			json_t *copy = json_copy(me);
			json_object_set_new(copy, "cells", cells);
			json_array_append_new(ms, copy);
		}
		if (!json_array_size(ms)) {
			json_decref(ms);
			continue;
		}
		json_t *copy = json_copy(c);
		json_object_set_new(copy, "measures", ms);
		json_array_append_new(cats, copy);
	}
	json_decref(kinds);
	json_object_set_new(out, "categories", cats);
	json_t *scopes = json_array(), *list = json_array(), *s;
	json_array_foreach (json_object_get(doc, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (id && json_object_get(used, id))
			json_array_append(scopes, s);
		if (id && tc_tom_list_has(products, id))
			json_array_append_new(list, json_string(id));
	}
	json_object_set_new(out, "scopes", scopes);
	json_decref(used);
	json_t *f = json_pack("{s:o}", "products", list);
	if (resp)
		json_object_set_new(f, "responsibility", json_string(resp));
	json_object_set_new(out, "filter", f);
	return out;
}

/* Appends the CSV form of s and a separator (sep, or the line's end). */
static void text_field(tc_buf *out, const char *s, char sep, const char *end)
{
	tc_esc_csv_sep(out, s, strlen(s), sep);
	if (end)
		tc_buf_puts(out, end);
	else
		tc_buf_putc(out, sep);
}

/* The CSV form of o[key] (empty when missing) and sep. */
static void field(tc_buf *out, json_t *o, const char *key, char sep)
{
	json_t *v = json_object_get(o, key);
	text_field(out, json_is_string(v) ? json_string_value(v) : "", sep,
		   NULL);
}

/* Language l's word for a cell's status or responsibility ID
 * ("" when it has none). */
static const char *id_of(json_t *cell, const char *key)
{
	const char *s = json_string_value(json_object_get(cell, key));
	return s ? s : "";
}

static const char *status_text(const tc_lang *l, json_t *cell)
{
	int s = tc_status_from_id(id_of(cell, "status"));
	return s < 0 ? "" : tc_status_title(l, (tc_status)s);
}

static const char *resp_text(const tc_lang *l, json_t *cell)
{
	int r = tc_resp_from_id(id_of(cell, "responsibility"));
	return r < 0 ? "" : tc_resp_title(l, (tc_resp)r);
}

void tc_tom_mappings_text(json_t *mappings, tc_buf *out)
{
	const char *fw;
	json_t *list;
	int first = 1;
	json_object_foreach (mappings, fw, list) {
		tc_buf_printf(out, "%s%s:", first ? "" : "; ", fw);
		size_t i;
		json_t *c;
		json_array_foreach (list, i, c)
			tc_buf_printf(out, "%s %s", i ? "," : "",
				      json_string_value(c));
		first = 0;
	}
}

int tc_tom_csv_stream(json_t *doc, const tc_lang *l, tc_buf *out,
		      int (*flush)(void *ud, tc_buf *out), void *ud)
{
	return tc_tom_csv_sep_stream(doc, l, out, ',', flush, ud);
}

int tc_tom_csv_sep_stream(json_t *doc, const tc_lang *l, tc_buf *out, char sep,
			  int (*flush)(void *ud, tc_buf *out), void *ud)
{
	int rc = 0;
	/* English writes the marks' own words; any other language has the
	 * status and responsibility in its words beside the mark */
	int words = strcmp(l->code, "en") != 0;
	static const char *const head_en[] =
	    {"category_id",    "category_title", "measure_id", "measure_text",
	     "scope_id",       "scope_name",     "scope_kind", "status",
	     "responsibility", "label",          NULL},
				 *head_tail[] = {"note", "url", "mappings",
						 NULL};
	/* The byte order mark is how Excel knows the file is UTF-8: without
	 * it a German Excel shows "âœ“" for "✓". */
	tc_buf_puts(out, TC_UTF8_BOM);
	for (size_t k = 0; head_en[k]; k++)
		text_field(out, head_en[k], sep, NULL);
	if (words) {
		text_field(out, "status_text", sep, NULL);
		text_field(out, "responsibility_text", sep, NULL);
	}
	for (size_t k = 0; head_tail[k]; k++)
		text_field(out, head_tail[k], sep,
			   head_tail[k + 1] ? NULL : "\r\n");
	/* The scope columns of a row, escaped once, not once per cell. */
	json_t *scopes = json_object_get(doc, "scopes");
	size_t ns = json_array_size(scopes), i, j;
	tc_buf *scope_csv = tc_xcalloc(ns ? ns : 1, sizeof(tc_buf));
	const char **sids = tc_xcalloc(ns ? ns : 1, sizeof(char *));
	for (size_t k = 0; k < ns; k++) {
		json_t *s = json_array_get(scopes, k);
		sids[k] = json_string_value(json_object_get(s, "id"));
		field(&scope_csv[k], s, "id", sep);
		field(&scope_csv[k], s, "name", sep);
		field(&scope_csv[k], s, "kind", sep);
	}
	tc_buf head = TC_BUF_INIT, tail = TC_BUF_INIT, maps = TC_BUF_INIT;
	json_t *c, *me;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		json_array_foreach (json_object_get(c, "measures"), j, me) {
			tc_buf_clear(&head);
			tc_buf_clear(&tail);
			field(&head, c, "id", sep);
			field(&head, c, "title", sep);
			field(&head, me, "id", sep);
			field(&head, me, "text", sep);
			field(&tail, me, "url", sep);
			tc_buf_clear(&maps);
			tc_tom_mappings_text(json_object_get(me, "mappings"),
					     &maps);
			tc_esc_csv_sep(&tail, tc_buf_cstr(&maps), maps.len,
				       sep);
			tc_buf_puts(&tail, "\r\n");
			json_t *cells = json_object_get(me, "cells");
			/* scope order, not the object's key order */
			for (size_t k = 0; k < ns; k++) {
				json_t *cell = json_object_get(cells, sids[k]);
				if (!cell)
					continue;
				tc_buf_put(out, head.data, head.len);
				tc_buf_put(out, scope_csv[k].data,
					   scope_csv[k].len);
				field(out, cell, "status", sep);
				field(out, cell, "responsibility", sep);
				field(out, cell, "label", sep);
				if (words) {
					text_field(out, status_text(l, cell),
						   sep, NULL);
					text_field(out, resp_text(l, cell), sep,
						   NULL);
				}
				field(out, cell, "note", sep);
				tc_buf_put(out, tail.data, tail.len);
			}
			if (flush && !rc && out->len > (1u << 20))
				rc = flush(ud, out);
		}
	}
	for (size_t k = 0; k < ns; k++)
		tc_buf_free(&scope_csv[k]);
	free(scope_csv);
	free(sids);
	tc_buf_free(&head);
	tc_buf_free(&tail);
	tc_buf_free(&maps);
	return rc;
}

/* jansson's json_dumps checks every container for loops by formatting its
 * address and hashing it, and copies the text once more to add our final
 * newline: at 200,000 cells that was a seventh of the build (gen/export.c's
 * data files; the search index's stored exports and tc-search's built ones
 * are the same bytes, tc_tom_dump). dump writes
 * the bytes json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER) writes (a
 * newline and one space per level before each member, "," between, ": "
 * after keys: checked against json_dumps on the golden site, the bench
 * sites and every control character) for what exports hold,
 * and answers -1 for the rest (real numbers, text that is not UTF-8, very
 * deep trees), which jansson then writes or refuses itself. */
#define DUMP_DEPTH 512

static int dump(tc_buf *b, json_t *v, int depth);

static void indent(tc_buf *b, int depth)
{
	static const char sp[] = "                                ";
	tc_buf_putc(b, '\n');
	for (size_t n = (size_t)depth, k; n; n -= k) {
		k = n < sizeof sp - 1 ? n : sizeof sp - 1;
		tc_buf_put(b, sp, k);
	}
}

/* The check of UTF-8 begins at the first byte that is not ASCII: most of
 * an export is (IDs, keys, statuses), and a byte at a time through
 * tc_utf8_valid was a quarter of writing the JSON and OSCAL files. */
static int dump_string(tc_buf *b, const char *s, size_t n)
{
	size_t a = 0;
	while (a < n && !((unsigned char)s[a] & 0x80))
		a++;
	if (a < n && !tc_utf8_valid(s + a, n - a))
		return -1;
	tc_buf_putc(b, '"');
	tc_esc_json(b, s, n);
	tc_buf_putc(b, '"');
	return 0;
}

static int dump_array(tc_buf *b, json_t *v, int depth)
{
	size_t n = json_array_size(v);
	tc_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		indent(b, depth + 1);
		if (dump(b, json_array_get(v, i), depth + 1) < 0)
			return -1;
		if (i + 1 < n)
			tc_buf_putc(b, ',');
	}
	if (n)
		indent(b, depth);
	tc_buf_putc(b, ']');
	return 0;
}

static int dump_object(tc_buf *b, json_t *v, int depth)
{
	int first = 1;
	tc_buf_putc(b, '{');
	for (void *it = json_object_iter(v); it;
	     it = json_object_iter_next(v, it)) {
		if (!first)
			tc_buf_putc(b, ',');
		first = 0;
		indent(b, depth + 1);
		if (dump_string(b, json_object_iter_key(it),
				json_object_iter_key_len(it)) < 0)
			return -1;
		tc_buf_put(b, ": ", 2);
		if (dump(b, json_object_iter_value(it), depth + 1) < 0)
			return -1;
	}
	if (!first)
		indent(b, depth);
	tc_buf_putc(b, '}');
	return 0;
}

static int dump(tc_buf *b, json_t *v, int depth)
{
	if (depth > DUMP_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return dump_object(b, v, depth);
	case JSON_ARRAY: return dump_array(b, v, depth);
	case JSON_STRING:
		return dump_string(b, json_string_value(v),
				   json_string_length(v));
	case JSON_INTEGER:
		tc_buf_printf(b, "%" JSON_INTEGER_FORMAT,
			      json_integer_value(v));
		return 0;
	case JSON_TRUE: tc_buf_puts(b, "true"); return 0;
	case JSON_FALSE: tc_buf_puts(b, "false"); return 0;
	case JSON_NULL: tc_buf_puts(b, "null"); return 0;
	default: return -1;
	}
}

int tc_json_dump(json_t *v, tc_buf *out)
{
	size_t start = out->len;
	if (dump(out, v, 0) < 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}

void tc_tom_dump(json_t *doc, tc_buf *out)
{
	if (tc_json_dump(doc, out) == 0) {
		tc_buf_putc(out, '\n');
		return;
	}
	char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	tc_buf_puts(out, s ? s : "");
	tc_buf_putc(out, '\n');
	free(s);
}

void tc_tom_csv(json_t *doc, const tc_lang *l, tc_buf *out)
{
	tc_tom_csv_stream(doc, l, out, NULL, NULL);
}
