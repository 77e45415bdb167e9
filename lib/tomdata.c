#include "tomdata.h"

#include <stdlib.h>
#include <string.h>

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

void tc_tom_dump(json_t *doc, tc_buf *out)
{
	char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	tc_buf_puts(out, s ? s : "");
	tc_buf_putc(out, '\n');
	free(s);
}
