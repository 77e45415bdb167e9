#include "changes.h"

#include <string.h>

#include "../lib/changes.h"
#include "../lib/lang.h"
#include "../lib/vocab.h"

/* A data set (tc_release_data) indexed for comparing: measure ID ->
 * {measure, category}, scope ID -> scope. */
typedef struct indexed {
	json_t *data, *measures, *scopes;
} indexed;

static indexed index_of(json_t *data)
{
	indexed x = {data, json_object(), json_object()};
	size_t i, j;
	json_t *c, *me, *s;
	json_array_foreach (json_object_get(data, "scopes"), i, s)
		json_object_set(x.scopes,
				json_string_value(json_object_get(s, "id")), s);
	json_array_foreach (json_object_get(data, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, me)
			json_object_set_new(
			    x.measures,
			    json_string_value(json_object_get(me, "id")),
			    json_pack("{s:O, s:O}", "m", me, "c", c));
	return x;
}

static void index_free(indexed *x)
{
	json_decref(x->measures);
	json_decref(x->scopes);
}

static bool is_product(const indexed *x, const char *scope)
{
	json_t *s = json_object_get(x->scopes, scope);
	return s && !strcmp(json_string_value(json_object_get(s, "kind")),
			    "product");
}

/* The products a measure of x concerns (tc_concerns), added to set. */
static void concerned(const indexed *x, json_t *me, json_t *set)
{
	json_t *cells = json_object_get(me, "cells");
	bool has_products = false;
	const char *k;
	json_t *v;
	json_object_foreach (cells, k, v)
		has_products |= is_product(x, k);
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(x->data, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (is_product(x, id) &&
		    tc_concerns(has_products, json_object_get(cells, id)))
			json_object_set_new(set, id, json_true());
	}
}

static const char *resp_of(json_t *cell)
{
	const char *r =
	    json_string_value(json_object_get(cell, "responsibility"));
	return r ? r : "none";
}

/* What a cell's change means for a customer, in the current language:
 * the change data of each language's site says it in that language. */
static const char *cell_words(json_t *a, json_t *b, const char **move)
{
	const char *ra = resp_of(a), *rb = resp_of(b);
	int xa = tc_resp_from_id(ra), xb = tc_resp_from_id(rb);
	tc_move mv = tc_resp_move(xa < 0 ? RS_NONE : (tc_resp)xa,
				  xb < 0 ? RS_NONE : (tc_resp)xb);
	*move = tc_move_id(mv);
	if (mv != MV_NONE)
		return tc_move_words(mv);
	if (strcmp(ra, "provider") && !strcmp(rb, "provider"))
		return tc_msg("change.now_provided");
	if (!strcmp(ra, "provider") && strcmp(rb, "provider"))
		return tc_msg("change.no_longer_provided");
	if (!a)
		return tc_msg("change.cell_added");
	if (!b)
		return tc_msg("change.cell_removed");
	if (strcmp(ra, rb))
		return tc_msg("change.resp_changed");
	if (!json_equal(json_object_get(a, "label"),
			json_object_get(b, "label")) ||
	    !json_equal(json_object_get(a, "status"),
			json_object_get(b, "status")))
		return tc_msg("change.marked_differently");
	return tc_msg("change.note_changed");
}

static json_t *change(const char *kind, json_t *me, json_t *cat,
		      const char *scope, const char *scope_name, json_t *before,
		      json_t *after, const char *move, const char *words,
		      json_t *products)
{
	json_t *ids = json_array();
	const char *k;
	json_t *v;
	json_object_foreach (products, k, v)
		json_array_append_new(ids, json_string(k));
	return json_pack(
	    "{s:s, s:O?, s:O?, s:O?, s:O?, s:s?, s:s?, s:O?, s:O?, s:s, s:s, "
	    "s:o}",
	    "kind", kind, "measure", json_object_get(me, "id"), "category",
	    json_object_get(cat, "id"), "category_title",
	    json_object_get(cat, "title"), "text", json_object_get(me, "text"),
	    "scope", scope, "scope_name", scope_name, "before", before, "after",
	    after, "move", move, "words", words, "products", ids);
}

static const char *scope_name(const indexed *a, const indexed *b,
			      const char *id)
{
	json_t *s = json_object_get(b->scopes, id);
	if (!s)
		s = json_object_get(a->scopes, id);
	return json_string_value(json_object_get(s, "name"));
}

/* The cell changes of one measure present in both data sets. */
static void cell_changes(const indexed *a, const indexed *b, json_t *ma,
			 json_t *mb, json_t *cat, json_t *out)
{
	json_t *products = json_object();
	concerned(a, ma, products);
	concerned(b, mb, products);
	json_t *ca = json_object_get(ma, "cells"),
	       *cb = json_object_get(mb, "cells");
	json_t *scopes = json_object();
	const char *k;
	json_t *v;
	json_object_foreach (ca, k, v)
		json_object_set_new(scopes, k, json_true());
	json_object_foreach (cb, k, v)
		json_object_set_new(scopes, k, json_true());
	json_object_foreach (scopes, k, v) {
		json_t *x = json_object_get(ca, k), *y = json_object_get(cb, k);
		if (json_equal(x, y))
			continue;
		const char *move, *words = cell_words(x, y, &move);
		/* a product's own cell concerns that product only; a site or
		 * organisation-wide cell every product the measure concerns */
		json_t *who = products;
		json_t *own = json_object();
		if (is_product(a, k) || is_product(b, k)) {
			if (json_object_get(products, k))
				json_object_set_new(own, k, json_true());
			who = own;
		}
		json_array_append_new(out,
				      change(!x   ? "cell-added"
					     : !y ? "cell-removed"
						  : "cell-changed",
					     mb, cat, k, scope_name(a, b, k), x,
					     y, move, words, who));
		json_decref(own);
	}
	json_decref(scopes);
	json_decref(products);
}

/* A scope added or removed concerns no product by itself: its cells'
 * changes say what it means for each. */
static void scope_changes(const indexed *a, const indexed *b, json_t *out)
{
	json_t *none = json_object();
	const char *k;
	json_t *v;
	json_object_foreach (b->scopes, k, v)
		if (!json_object_get(a->scopes, k))
			json_array_append_new(
			    out, change("scope-added", NULL, NULL, k,
					scope_name(a, b, k), NULL, NULL, "",
					tc_msg("change.scope_added"), none));
	json_object_foreach (a->scopes, k, v)
		if (!json_object_get(b->scopes, k))
			json_array_append_new(
			    out, change("scope-removed", NULL, NULL, k,
					scope_name(a, b, k), NULL, NULL, "",
					tc_msg("change.scope_removed"), none));
	json_decref(none);
}

static void measure_changes(const indexed *a, const indexed *b, json_t *out)
{
	/* in b's order, then what only a had */
	size_t i, j;
	json_t *c, *mb;
	json_array_foreach (json_object_get(b->data, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, mb) {
			const char *id =
			    json_string_value(json_object_get(mb, "id"));
			json_t *old = json_object_get(a->measures, id);
			json_t *products = json_object();
			concerned(b, mb, products);
			if (!old) {
				json_array_append_new(
				    out, change("measure-added", mb, c, NULL,
						NULL, NULL, NULL, "",
						tc_msg("change.measure_added"),
						products));
				json_decref(products);
				continue;
			}
			json_t *ma = json_object_get(old, "m");
			if (!json_equal(json_object_get(ma, "text"),
					json_object_get(mb, "text")))
				json_array_append_new(
				    out,
				    change("measure-reworded", mb, c, NULL,
					   NULL, json_object_get(ma, "text"),
					   json_object_get(mb, "text"), "",
					   tc_msg("change.measure_reworded"),
					   products));
			json_decref(products);
			cell_changes(a, b, ma, mb, c, out);
		}
	json_array_foreach (json_object_get(a->data, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, mb) {
			const char *id =
			    json_string_value(json_object_get(mb, "id"));
			if (json_object_get(b->measures, id))
				continue;
			json_t *products = json_object();
			concerned(a, mb, products);
			json_array_append_new(
			    out,
			    change("measure-removed", mb, c, NULL, NULL, NULL,
				   NULL, "", tc_msg("change.measure_removed"),
				   products));
			json_decref(products);
		}
}

json_t *tc_changes_between(json_t *a, json_t *b)
{
	json_t *out = json_array();
	if (!a)
		return out;
	json_t *all = json_array();
	indexed ia = index_of(a), ib = index_of(b);
	scope_changes(&ia, &ib, all);
	measure_changes(&ia, &ib, all);
	/* what moves to or from the client first, then the rest, each in
	 * the order found */
	for (int pass = 0; pass < 2; pass++) {
		size_t i;
		json_t *c;
		json_array_foreach (all, i, c) {
			bool moves =
			    *json_string_value(json_object_get(c, "move"));
			if (moves == (pass == 0))
				json_array_append(out, c);
		}
	}
	json_decref(all);
	index_free(&ia);
	index_free(&ib);
	return out;
}

static json_t *step(const char *version, const char *date, const char *summary,
		    bool released, const char *previous, json_t *changes)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s?, s:o}", "version", version,
			 "date", date, "summary", summary, "released", released,
			 "previous", previous, "changes", changes);
}

/* A release's summary in m's language: a translation's own (content/<lang>/
 * releases.md), else the one released with it. */
static const char *summary_of(const tc_model *m, const tc_release *x)
{
	for (size_t i = 0; i < m->nsummaries; i++)
		if (!strcmp(m->summaries[i].version, x->version))
			return m->summaries[i].summary;
	return x->summary;
}

json_t *tc_changes_build(const tc_releases *r, const tc_model *m, json_t *data)
{
	json_t *steps = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const tc_release *x = &r->v[i];
		json_array_insert_new(
		    steps, 0,
		    step(x->version, x->date, summary_of(m, x), true,
			 i ? r->v[i - 1].version : NULL,
			 tc_changes_between(i ? r->v[i - 1].data : NULL,
					    x->data)));
	}
	if (!tc_releases_find(r, m->version))
		json_array_insert_new(
		    steps, 0,
		    step(m->version, m->date, m->summary, false,
			 r->n ? r->v[r->n - 1].version : NULL,
			 tc_changes_between(r->n ? r->v[r->n - 1].data : NULL,
					    data)));
	return json_pack("{s:i, s:o}", "schema_version",
			 TC_CHANGES_SCHEMA_VERSION, "releases", steps);
}
