#include "changes.h"

#include <stdlib.h>
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

/* The changes found, in the order found, and the arena of the set they go
 * into. */
typedef struct found {
	tc_arena *a;
	tc_change *v;
	size_t n, cap;
} found;

static tc_change *found_push(found *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
		if (!f->v)
			abort();
	}
	tc_change *c = &f->v[f->n++];
	memset(c, 0, sizeof *c);
	return c;
}

static const char *dup(tc_arena *a, const char *s)
{
	return s ? tc_arena_strdup(a, s) : NULL;
}

static const char *str_of(tc_arena *a, json_t *o, const char *key)
{
	return dup(a, json_string_value(json_object_get(o, key)));
}

/* The keys of set, in order, as a list of a's. */
static tc_strs keys_of(tc_arena *a, json_t *set)
{
	tc_strs s = {tc_arena_alloc(a, (json_object_size(set) + 1) *
					   sizeof(const char *)),
		     0};
	const char *k;
	json_t *v;
	json_object_foreach (set, k, v)
		s.v[s.n++] = tc_arena_strdup(a, k);
	return s;
}

/* A cell of a data set (tc_release_data) as the change data keep it. */
static const tc_change_cell *cell_of(tc_arena *a, json_t *cell)
{
	if (!cell)
		return NULL;
	tc_change_cell *c = tc_arena_alloc(a, sizeof *c);
	int st = tc_status_from_id(
	    json_string_value(json_object_get(cell, "status")));
	int rs = tc_resp_from_id(
	    json_string_value(json_object_get(cell, "responsibility")));
	c->status = st < 0 ? ST_OTHER : (tc_status)st;
	c->resp = rs < 0 ? RS_NONE : (tc_resp)rs;
	c->label = str_of(a, cell, "label");
	c->note = str_of(a, cell, "note");
	c->label_lang = str_of(a, cell, "label_lang");
	c->note_lang = str_of(a, cell, "note_lang");
	return c;
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
			      tc_move *move)
{
	const char *ra = resp_of(a), *rb = resp_of(b);
	int xa = tc_resp_from_id(ra), xb = tc_resp_from_id(rb);
	tc_move mv = tc_resp_move(xa < 0 ? RS_NONE : (tc_resp)xa,
				  xb < 0 ? RS_NONE : (tc_resp)xb);
	*move = mv;
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

/* A new change of out about measure me of category cat (either may be
 * NULL) or scope (may be NULL), concerning products (a set of IDs). */
static tc_change *change(found *out, tc_change_kind kind, json_t *me,
			 json_t *cat, const char *scope, const char *scope_name,
			 tc_move move, const char *words, json_t *products)
{
	tc_arena *a = out->a;
	tc_change *c = found_push(out);
	c->kind = kind;
	c->measure = str_of(a, me, "id");
	c->category = str_of(a, cat, "id");
	c->category_title = str_of(a, cat, "title");
	c->text = str_of(a, me, "text");
	c->scope = dup(a, scope);
	c->scope_name = dup(a, scope_name);
	c->move = move;
	c->words = tc_arena_strdup(a, words);
	c->products = keys_of(a, products);
	return c;
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
			 json_t *ma, json_t *mb, json_t *cat, found *out)
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
		tc_move move;
		const char *words = cell_words(x, l, y, &move);
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
		tc_change *c =
		    change(out,
			   !x   ? TC_CHANGE_CELL_ADDED
			   : !y ? TC_CHANGE_CELL_REMOVED
				: TC_CHANGE_CELL_CHANGED,
			   mb, cat, k, scope_name(a, b, k), move, words, who);
		c->cell_before = cell_of(out->a, x);
		c->cell_after = cell_of(out->a, y);
		json_decref(own);
	}
	json_decref(scopes);
	json_decref(products);
}

/* A scope added or removed concerns no product by itself: its cells'
 * changes say what it means for each. */
static void scope_changes(const indexed *a, const tc_lang *l, const indexed *b,
			  found *out)
{
	json_t *none = json_object();
	const char *k;
	json_t *v;
	json_object_foreach (b->scopes, k, v)
		if (!json_object_get(a->scopes, k))
			change(out, TC_CHANGE_SCOPE_ADDED, NULL, NULL, k,
			       scope_name(a, b, k), MV_NONE,
			       tc_msg(l, "change.scope_added"), none);
	json_object_foreach (a->scopes, k, v)
		if (!json_object_get(b->scopes, k))
			change(out, TC_CHANGE_SCOPE_REMOVED, NULL, NULL, k,
			       scope_name(a, b, k), MV_NONE,
			       tc_msg(l, "change.scope_removed"), none);
	json_decref(none);
}

static void measure_changes(const indexed *a, const tc_lang *l,
			    const indexed *b, found *out)
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
				change(out, TC_CHANGE_MEASURE_ADDED, mb, c,
				       NULL, NULL, MV_NONE,
				       tc_msg(l, "change.measure_added"),
				       products);
				json_decref(products);
				continue;
			}
			json_t *ma = json_object_get(old, "m");
			if (!json_equal(json_object_get(ma, "text"),
					json_object_get(mb, "text"))) {
				tc_change *x =
				    change(out, TC_CHANGE_MEASURE_REWORDED, mb,
					   c, NULL, NULL, MV_NONE,
					   tc_msg(l, "change.measure_reworded"),
					   products);
				x->text_before = str_of(out->a, ma, "text");
				x->text_after = str_of(out->a, mb, "text");
			}
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
			change(out, TC_CHANGE_MEASURE_REMOVED, mb, c, NULL,
			       NULL, MV_NONE,
			       tc_msg(l, "change.measure_removed"), products);
			json_decref(products);
		}
}

/* The changes from a to b appended to out, moves first. */
static void between(const tc_lang *l, json_t *a, json_t *b, found *out)
{
	if (!a)
		return;
	found all = {out->a, NULL, 0, 0};
	indexed ia = index_of(a), ib = index_of(b);
	scope_changes(&ia, l, &ib, &all);
	measure_changes(&ia, l, &ib, &all);
	/* what moves to or from the client first, then the rest, each in
	 * the order found */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < all.n; i++)
			if ((all.v[i].move != MV_NONE) == (pass == 0))
				*found_push(out) = all.v[i];
	free(all.v);
	index_free(&ia);
	index_free(&ib);
}

/* The changes found as JSON (new), for the callers that want them so. */
static json_t *found_json(found *f)
{
	json_t *out = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(out, tc_change_json(&f->v[i]));
	return out;
}

json_t *tc_changes_between(const tc_lang *l, json_t *a, json_t *b)
{
	found f = {tc_arena_new(0), NULL, 0, 0};
	between(l, a, b, &f);
	json_t *out = found_json(&f);
	free(f.v);
	tc_arena_free(f.a);
	return out;
}

/* ---- subprocessors ---- */

/* A subprocessor of a release's list with its words in language l:
 * country_name and product_names (by the step's data set; an ID it does
 * not name stays the ID). */
static const tc_change_sub *sub_words(tc_arena *a, json_t *e, const tc_lang *l,
				      json_t *data)
{
	tc_change_sub *x = tc_arena_alloc(a, sizeof *x);
	memset(x, 0, sizeof *x);
	x->id = str_of(a, e, "id");
	x->name = str_of(a, e, "name");
	x->entity = str_of(a, e, "entity");
	x->address = str_of(a, e, "address");
	x->country = str_of(a, e, "country");
	x->purpose = str_of(a, e, "purpose");
	x->transfer = str_of(a, e, "transfer");
	x->since = str_of(a, e, "since");
	x->announced = str_of(a, e, "announced");
	x->until = str_of(a, e, "until");
	const tc_country *c = tc_country_get(x->country);
	x->country_name =
	    c ? tc_arena_strdup(a, tc_country_name(c, l->code)) : x->country;
	json_t *ps = json_object_get(e, "products");
	size_t n = json_array_size(ps);
	x->products.v = tc_arena_alloc(a, (n + 1) * sizeof(const char *));
	x->product_names.v = tc_arena_alloc(a, (n + 1) * sizeof(const char *));
	size_t i, k;
	json_t *p, *s;
	json_array_foreach (ps, i, p) {
		const char *name = json_string_value(p);
		json_array_foreach (json_object_get(data, "scopes"), k, s)
			if (json_equal(json_object_get(s, "id"), p))
				name = json_string_value(
				    json_object_get(s, "name"));
		x->products.v[x->products.n++] =
		    tc_arena_strdup(a, json_string_value(p));
		x->product_names.v[x->product_names.n++] =
		    tc_arena_strdup(a, name);
	}
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

static void sub_change(found *out, tc_change_kind kind, const tc_lang *l,
		       json_t *a, json_t *b, json_t *da, json_t *db,
		       tc_strs fields, const char *words, const char *effective,
		       const char *announced, const char *object_by)
{
	json_t *e = b ? b : a, *set = json_object();
	if (a)
		served(a, set);
	if (b)
		served(b, set);
	tc_change *c =
	    change(out, kind, NULL, NULL, NULL, NULL, MV_NONE, words, set);
	json_decref(set);
	tc_arena *ar = out->a;
	c->subprocessor = str_of(ar, e, "id");
	c->name = str_of(ar, e, "name");
	c->sub_before = a ? sub_words(ar, a, l, da) : NULL;
	c->sub_after = b ? sub_words(ar, b, l, db) : NULL;
	c->fields = fields;
	c->effective = dup(ar, effective);
	c->announced = dup(ar, announced);
	c->object_by = dup(ar, object_by);
}

/* What changed in the subprocessor list from release list a to b (both
 * tc_release_subs; data sets da and db), b dated date: additions (an
 * objection is possible until the day before since), ends (until set or
 * moved), removals from the list and changes of the other fields. */
static void sub_changes(json_t *a, const tc_lang *l, json_t *b, json_t *da,
			json_t *db, const char *date, found *out)
{
	json_t *old = json_object();
	size_t i;
	json_t *e;
	const tc_strs none = {NULL, 0};
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
			sub_change(out, TC_CHANGE_SUB_ADDED, l, NULL, e, da, db,
				   none, tc_buf_cstr(&w), since,
				   ann ? ann : date,
				   strcmp(since, date) > 0 ? by : NULL);
			continue;
		}
		json_object_del(old, id);
		tc_strs fields = {tc_arena_alloc(out->a, sizeof sub_fields), 0};
		for (size_t k = 0; k < sizeof sub_fields / sizeof *sub_fields;
		     k++)
			if (!json_equal(json_object_get(was, sub_fields[k]),
					json_object_get(e, sub_fields[k])) &&
			    (strcmp(sub_fields[k], "until") || !until))
				fields.v[fields.n++] = sub_fields[k];
		if (until && !json_equal(json_object_get(was, "until"),
					 json_object_get(e, "until"))) {
			tc_msgf(&w, l, "sub.change.ending", "until", until,
				NULL);
			sub_change(out, TC_CHANGE_SUB_ENDING, l, was, e, da, db,
				   none, tc_buf_cstr(&w), until, NULL, NULL);
		}
		if (!fields.n)
			continue;
		tc_buf_clear(&w);
		tc_buf names = TC_BUF_INIT;
		for (size_t k = 0; k < fields.n; k++)
			tc_buf_printf(&names, "%s%s", k ? ", " : "",
				      tc_sub_field_label(l, fields.v[k]));
		tc_msgf(&w, l, "sub.change.changed", "fields",
			tc_buf_cstr(&names), NULL);
		tc_buf_free(&names);
		sub_change(out, TC_CHANGE_SUB_CHANGED, l, was, e, da, db,
			   fields, tc_buf_cstr(&w), NULL, NULL, NULL);
	}
	/* what a was listing and b is not, in a's order */
	json_array_foreach (json_object_get(a, "list"), i, e) {
		if (!json_object_get(
			old, json_string_value(json_object_get(e, "id"))))
			continue;
		sub_change(out, TC_CHANGE_SUB_REMOVED, l, e, NULL, da, db, none,
			   tc_msg(l, "sub.change.gone"), NULL, NULL, NULL);
	}
	tc_buf_free(&w);
	json_decref(old);
}

void tc_changes_subs(const tc_lang *l, json_t *a, json_t *b, json_t *da,
		     json_t *db, const char *date, json_t *out)
{
	if (!a || !b)
		return;
	found f = {tc_arena_new(0), NULL, 0, 0};
	sub_changes(a, l, b, da, db, date, &f);
	json_t *got = found_json(&f);
	json_array_extend(out, got);
	json_decref(got);
	free(f.v);
	tc_arena_free(f.a);
}

/* One step of cs: its changes (f's, moved into the set's arena). */
static void step(tc_changeset *cs, tc_change_step *st, const char *version,
		 const char *date, const char *summary, bool released,
		 const char *previous, found *f)
{
	tc_arena *a = cs->arena;
	st->version = tc_arena_strdup(a, version);
	st->date = tc_arena_strdup(a, date);
	st->summary = tc_arena_strdup(a, summary);
	st->released = released;
	st->previous = dup(a, previous);
	tc_change *v = tc_arena_alloc(a, (f->n ? f->n : 1) * sizeof *v);
	if (f->n)
		memcpy(v, f->v, f->n * sizeof *v);
	st->changes = v;
	st->n = f->n;
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

const char *tc_changes_summary(const tc_model *m, const tc_release *x)
{
	for (size_t i = 0; i < m->nsummaries; i++)
		if (!strcmp(m->summaries[i].version, x->version))
			return m->summaries[i].summary;
	return x->summary;
}

tc_changeset *tc_changes_build(const tc_lang *l, const tc_releases *r,
			       const tc_model *m, json_t *data)
{
	tc_changeset *cs = tc_changeset_new();
	bool unreleased = !tc_releases_find(r, m->version);
	size_t n = r->n + unreleased;
	cs->steps = tc_arena_alloc(cs->arena, (n ? n : 1) * sizeof *cs->steps);
	cs->n = n;
	/* newest first: the content's unreleased step, then the releases
	 * from the last */
	for (size_t i = 0; i < r->n; i++) {
		const tc_release *x = &r->v[i], *w = i ? &r->v[i - 1] : NULL;
		found f = {cs->arena, NULL, 0, 0};
		between(l, w ? w->data : NULL, x->data, &f);
		if (w && w->subs && x->subs)
			sub_changes(w->subs, l, x->subs, w->data, x->data,
				    x->date, &f);
		step(cs, &cs->steps[n - 1 - i], x->version, x->date,
		     tc_changes_summary(m, x), true, w ? w->version : NULL, &f);
	}
	if (unreleased) {
		const tc_release *w = r->n ? &r->v[r->n - 1] : NULL;
		found f = {cs->arena, NULL, 0, 0};
		between(l, w ? w->data : NULL, data, &f);
		json_t *subs = tc_release_subs(m);
		if (w && w->subs)
			sub_changes(w->subs, l, subs, w->data, data, m->date,
				    &f);
		json_decref(subs);
		step(cs, &cs->steps[0], m->version, m->date, m->summary, false,
		     w ? w->version : NULL, &f);
	}
	return cs;
}
