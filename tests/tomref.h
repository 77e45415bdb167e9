/* tomref.h: the JSON tree's filters and CSV writer that lib/tomdata.c had
 * (tc_tom_filter, tc_tom_filter_products, tc_tom_csv_sep_stream) before
 * every download took a model and a selection (lib/model.h): kept here,
 * for tests/test_modelio.c only, as the reference the model's selections
 * and writers are held to byte for byte. Included by one test; not a
 * library. */
#ifndef TC_TESTS_TOMREF_H
#define TC_TESTS_TOMREF_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/lang.h"
#include "../lib/tomdata.h"
#include "../lib/vocab.h"

/* scope id's kind in kinds (tc_tom_kinds), or -1 */
static int kind_of(json_t *kinds, const char *id)
{
	json_t *k = json_object_get(kinds, id);
	return k ? (int)json_integer_value(k) : -1;
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
 * responsibility filters of ref_filter, as a new object keyed by scope
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

static json_t *ref_filter(json_t *doc, const char *product,
			  const char *category, const char *status,
			  const char *resp)
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

static json_t *ref_filter_products(json_t *doc, const char *products,
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

static void ref_mappings_text(json_t *mappings, tc_buf *out)
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

static int ref_csv_sep_stream(json_t *doc, const tc_lang *l, tc_buf *out,
			      char sep, int (*flush)(void *ud, tc_buf *out),
			      void *ud)
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
			ref_mappings_text(json_object_get(me, "mappings"),
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

#endif
