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
