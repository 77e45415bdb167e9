#include "changes.h"

#include <string.h>

#include "../lib/changes.h"
#include "../lib/lang.h"
#include "../lib/tomdata.h"
#include "../lib/vocab.h"
#include "countries.h"
#include "trust.h"

/* A data set (tc_release_data) indexed for comparing: measure ID ->
 * {measure, category}, scope ID -> scope. */
typedef struct indexed {
	json_t *data, *measures, *scopes, *kinds;
} indexed;

static indexed index_of(json_t *data)
{
	indexed x = {data, json_object(), json_object(), tc_tom_kinds(data)};
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
	json_decref(x->kinds);
}

static bool is_product(const indexed *x, const char *scope)
{
	json_t *s = json_object_get(x->scopes, scope);
	return s && !strcmp(json_string_value(json_object_get(s, "kind")),
			    "product");
}

/* The products a measure of x concerns (the product rule,
 * lib/tomdata.h), added to set. */
static void concerned(const indexed *x, json_t *me, json_t *set)
{
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(x->data, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (is_product(x, id) &&
		    tc_tom_answer(x->kinds, me, id).concerns)
			json_object_set_new(set, id, json_true());
	}
}

/* Whether scope is one of x's internal systems: its cells are no
 * product's answer. */
static bool is_internal(const indexed *x, const char *scope)
{
	json_t *s = json_object_get(x->scopes, scope);
	const char *k =
	    s ? json_string_value(json_object_get(s, "kind")) : NULL;
	return k && !strcmp(k, "internal");
}

static const char *resp_of(json_t *cell)
{
	const char *r =
	    json_string_value(json_object_get(cell, "responsibility"));
	return r ? r : "none";
}

/* What a cell's change means for a customer, in language l:
 * the change data of each language's site says it in that language. */
static const char *cell_words(json_t *a, const tc_lang *l, json_t *b,
			      const char **move)
{
	const char *ra = resp_of(a), *rb = resp_of(b);
	int xa = tc_resp_from_id(ra), xb = tc_resp_from_id(rb);
	tc_move mv = tc_resp_move(xa < 0 ? RS_NONE : (tc_resp)xa,
				  xb < 0 ? RS_NONE : (tc_resp)xb);
	*move = tc_move_id(mv);
	if (mv != MV_NONE)
		return tc_move_words(l, mv);
	if (strcmp(ra, "provider") && !strcmp(rb, "provider"))
		return tc_msg(l, "change.now_provided");
	if (!strcmp(ra, "provider") && strcmp(rb, "provider"))
		return tc_msg(l, "change.no_longer_provided");
	if (!a)
		return tc_msg(l, "change.cell_added");
	if (!b)
		return tc_msg(l, "change.cell_removed");
	if (strcmp(ra, rb))
		return tc_msg(l, "change.resp_changed");
	if (!json_equal(json_object_get(a, "label"),
			json_object_get(b, "label")) ||
	    !json_equal(json_object_get(a, "status"),
			json_object_get(b, "status")))
		return tc_msg(l, "change.marked_differently");
	return tc_msg(l, "change.note_changed");
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
/* Whether a key of a cell is one of its words, not which language a page
 * is told they are in ("label_lang", "note_lang": gen/translate.h). */
static bool a_word(const char *key)
{
	size_t n = strlen(key);
	return n < 5 || strcmp(key + n - 5, "_lang");
}

/* Whether every word of x is y's too. */
static bool words_in(json_t *x, json_t *y)
{
	const char *k;
	json_t *v;
	json_object_foreach (x, k, v)
		if (a_word(k) && !json_equal(v, json_object_get(y, k)))
			return false;
	return true;
}

/* Whether two cells say the same. */
static bool same_cell(json_t *x, json_t *y)
{
	if (!x || !y)
		return x == y;
	return words_in(x, y) && words_in(y, x);
}

static void cell_changes(const indexed *a, const tc_lang *l, const indexed *b,
			 json_t *ma, json_t *mb, json_t *cat, json_t *out)
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
		if (same_cell(x, y))
			continue;
		const char *move, *words = cell_words(x, l, y, &move);
		/* a product's own cell concerns that product only; a site or
		 * organisation-wide cell every product the measure concerns;
		 * an internal one none (the product rule) */
		json_t *who = products;
		json_t *own = json_object();
		if (is_product(a, k) || is_product(b, k)) {
			if (json_object_get(products, k))
				json_object_set_new(own, k, json_true());
			who = own;
		} else if (is_internal(a, k) || is_internal(b, k)) {
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
static void scope_changes(const indexed *a, const tc_lang *l, const indexed *b,
			  json_t *out)
{
	json_t *none = json_object();
	const char *k;
	json_t *v;
	json_object_foreach (b->scopes, k, v)
		if (!json_object_get(a->scopes, k))
			json_array_append_new(
			    out, change("scope-added", NULL, NULL, k,
					scope_name(a, b, k), NULL, NULL, "",
					tc_msg(l, "change.scope_added"), none));
	json_object_foreach (a->scopes, k, v)
		if (!json_object_get(b->scopes, k))
			json_array_append_new(
			    out,
			    change("scope-removed", NULL, NULL, k,
				   scope_name(a, b, k), NULL, NULL, "",
				   tc_msg(l, "change.scope_removed"), none));
	json_decref(none);
}

static void measure_changes(const indexed *a, const tc_lang *l,
			    const indexed *b, json_t *out)
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
				    out,
				    change("measure-added", mb, c, NULL, NULL,
					   NULL, NULL, "",
					   tc_msg(l, "change.measure_added"),
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
					   tc_msg(l, "change.measure_reworded"),
					   products));
			json_decref(products);
			cell_changes(a, l, b, ma, mb, c, out);
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
			    out, change("measure-removed", mb, c, NULL, NULL,
					NULL, NULL, "",
					tc_msg(l, "change.measure_removed"),
					products));
			json_decref(products);
		}
}

json_t *tc_changes_between(const tc_lang *l, json_t *a, json_t *b)
{
	json_t *out = json_array();
	if (!a)
		return out;
	json_t *all = json_array();
	indexed ia = index_of(a), ib = index_of(b);
	scope_changes(&ia, l, &ib, all);
	measure_changes(&ia, l, &ib, all);
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

/* ---- subprocessors ---- */

/* A subprocessor of a release's list with its words in language l:
 * "country_name" and "product_names" (by the step's data set; an ID it does not
 * name stays the ID). New. */
static json_t *sub_words(json_t *e, const tc_lang *l, json_t *data)
{
	json_t *x = json_deep_copy(e);
	const tc_country *c =
	    tc_country_get(json_string_value(json_object_get(e, "country")));
	json_object_set_new(
	    x, "country_name",
	    json_string(c ? tc_country_name(c, l->code)
			  : json_string_value(json_object_get(e, "country"))));
	json_t *names = json_array();
	size_t i, k;
	json_t *p, *s;
	json_array_foreach (json_object_get(e, "products"), i, p) {
		json_t *name = p;
		json_array_foreach (json_object_get(data, "scopes"), k, s)
			if (json_equal(json_object_get(s, "id"), p))
				name = json_object_get(s, "name");
		json_array_append(names, name);
	}
	json_object_set_new(x, "product_names", names);
	return x;
}

/* The fields of a subprocessor whose change a customer is told of, in
 * the order they are shown; "announced" is when, not what. */
static const char *const sub_fields[] = {"name",     "entity",  "address",
					 "country",  "purpose", "products",
					 "transfer", "since",   "until"};

/* The products of e, added to set. */
static void served(json_t *e, json_t *set)
{
	size_t i;
	json_t *p;
	json_array_foreach (json_object_get(e, "products"), i, p)
		json_object_set_new(set, json_string_value(p), json_true());
}

static json_t *sub_change(const char *kind, const tc_lang *l, json_t *a,
			  json_t *b, json_t *da, json_t *db, json_t *fields,
			  const char *words, const char *effective,
			  const char *announced, const char *object_by)
{
	json_t *e = b ? b : a, *set = json_object();
	if (a)
		served(a, set);
	if (b)
		served(b, set);
	json_t *c =
	    change(kind, NULL, NULL, NULL, NULL, NULL, NULL, "", words, set);
	json_decref(set);
	json_object_set(c, "subprocessor", json_object_get(e, "id"));
	json_object_set(c, "name", json_object_get(e, "name"));
	json_object_set_new(c, "before", a ? sub_words(a, l, da) : json_null());
	json_object_set_new(c, "after", b ? sub_words(b, l, db) : json_null());
	json_object_set_new(c, "fields", fields ? fields : json_array());
	json_object_set_new(c, "effective",
			    effective ? json_string(effective) : json_null());
	json_object_set_new(c, "announced",
			    announced ? json_string(announced) : json_null());
	json_object_set_new(c, "object_by",
			    object_by ? json_string(object_by) : json_null());
	return c;
}

/* What changed in the subprocessor list from release list a to b (both
 * tc_release_subs; data sets da and db), b dated date: additions (an
 * objection is possible until the day before since), ends (until set or
 * moved), removals from the list and changes of the other fields. */
static void sub_changes(json_t *a, const tc_lang *l, json_t *b, json_t *da,
			json_t *db, const char *date, json_t *out)
{
	json_t *old = json_object();
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(a, "list"), i, e)
		json_object_set(old,
				json_string_value(json_object_get(e, "id")), e);
	tc_buf w = TC_BUF_INIT;
	json_array_foreach (json_object_get(b, "list"), i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *since =
		    json_string_value(json_object_get(e, "since"));
		const char *until =
		    json_string_value(json_object_get(e, "until"));
		json_t *was = json_object_get(old, id);
		tc_buf_clear(&w);
		if (!was) {
			const char *ann =
			    json_string_value(json_object_get(e, "announced"));
			char by[11];
			tc_date_add(since, -1, by);
			tc_msgf(&w, l, "sub.change.added_from", "since", since,
				NULL);
			json_array_append_new(
			    out,
			    sub_change("subprocessor-added", l, NULL, e, da, db,
				       NULL, tc_buf_cstr(&w), since,
				       ann ? ann : date,
				       strcmp(since, date) > 0 ? by : NULL));
			continue;
		}
		json_object_del(old, id);
		json_t *fields = json_array();
		for (size_t k = 0; k < sizeof sub_fields / sizeof *sub_fields;
		     k++)
			if (!json_equal(json_object_get(was, sub_fields[k]),
					json_object_get(e, sub_fields[k])) &&
			    (strcmp(sub_fields[k], "until") || !until))
				json_array_append_new(
				    fields, json_string(sub_fields[k]));
		if (until && !json_equal(json_object_get(was, "until"),
					 json_object_get(e, "until"))) {
			tc_msgf(&w, l, "sub.change.ending", "until", until,
				NULL);
			json_array_append_new(
			    out, sub_change("subprocessor-ending", l, was, e,
					    da, db, NULL, tc_buf_cstr(&w),
					    until, NULL, NULL));
		}
		if (!json_array_size(fields)) {
			json_decref(fields);
			continue;
		}
		tc_buf_clear(&w);
		tc_buf names = TC_BUF_INIT;
		size_t k;
		json_t *f;
		json_array_foreach (fields, k, f)
			tc_buf_printf(
			    &names, "%s%s", k ? ", " : "",
			    tc_sub_field_label(l, json_string_value(f)));
		tc_msgf(&w, l, "sub.change.changed", "fields",
			tc_buf_cstr(&names), NULL);
		tc_buf_free(&names);
		json_array_append_new(
		    out, sub_change("subprocessor-changed", l, was, e, da, db,
				    fields, tc_buf_cstr(&w), NULL, NULL, NULL));
	}
	/* what a was listing and b is not, in a's order */
	json_array_foreach (json_object_get(a, "list"), i, e) {
		if (!json_object_get(
			old, json_string_value(json_object_get(e, "id"))))
			continue;
		json_array_append_new(
		    out,
		    sub_change("subprocessor-removed", l, e, NULL, da, db, NULL,
			       tc_msg(l, "sub.change.gone"), NULL, NULL, NULL));
	}
	tc_buf_free(&w);
	json_decref(old);
}

void tc_changes_subs(const tc_lang *l, json_t *a, json_t *b, json_t *da,
		     json_t *db, const char *date, json_t *out)
{
	if (a && b)
		sub_changes(a, l, b, da, db, date, out);
}

static json_t *step(const char *version, const char *date, const char *summary,
		    bool released, const char *previous, json_t *changes)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s?, s:o}", "version", version,
			 "date", date, "summary", summary, "released", released,
			 "previous", previous, "changes", changes);
}

const char *tc_changes_summary(const tc_model *m, const tc_release *x)
{
	for (size_t i = 0; i < m->nsummaries; i++)
		if (!strcmp(m->summaries[i].version, x->version))
			return m->summaries[i].summary;
	return x->summary;
}

json_t *tc_changes_build(const tc_lang *l, const tc_releases *r,
			 const tc_model *m, json_t *data)
{
	json_t *steps = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const tc_release *x = &r->v[i], *w = i ? &r->v[i - 1] : NULL;
		json_t *ch = tc_changes_between(l, w ? w->data : NULL, x->data);
		tc_changes_subs(l, w ? w->subs : NULL, x->subs,
				w ? w->data : NULL, x->data, x->date, ch);
		json_array_insert_new(steps, 0,
				      step(x->version, x->date,
					   tc_changes_summary(m, x), true,
					   w ? w->version : NULL, ch));
	}
	if (!tc_releases_find(r, m->version)) {
		const tc_release *w = r->n ? &r->v[r->n - 1] : NULL;
		json_t *ch = tc_changes_between(l, w ? w->data : NULL, data);
		json_t *subs = tc_release_subs(m);
		tc_changes_subs(l, w ? w->subs : NULL, subs, w ? w->data : NULL,
				data, m->date, ch);
		json_decref(subs);
		json_array_insert_new(steps, 0,
				      step(m->version, m->date, m->summary,
					   false, w ? w->version : NULL, ch));
	}
	return json_pack("{s:i, s:o}", "schema_version",
			 TC_CHANGES_SCHEMA_VERSION, "releases", steps);
}
