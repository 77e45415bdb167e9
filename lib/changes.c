#include "changes.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "lang.h"
#include "val.h"
#include "views.h"

/* ---- kinds ---- */

static const char *const kinds[TC_CHANGE__COUNT] = {
    [TC_CHANGE_MEASURE_ADDED] = "measure-added",
    [TC_CHANGE_MEASURE_REMOVED] = "measure-removed",
    [TC_CHANGE_MEASURE_REWORDED] = "measure-reworded",
    [TC_CHANGE_CELL_ADDED] = "cell-added",
    [TC_CHANGE_CELL_REMOVED] = "cell-removed",
    [TC_CHANGE_CELL_CHANGED] = "cell-changed",
    [TC_CHANGE_SCOPE_ADDED] = "scope-added",
    [TC_CHANGE_SCOPE_REMOVED] = "scope-removed",
    [TC_CHANGE_SUB_ADDED] = "subprocessor-added",
    [TC_CHANGE_SUB_ENDING] = "subprocessor-ending",
    [TC_CHANGE_SUB_REMOVED] = "subprocessor-removed",
    [TC_CHANGE_SUB_CHANGED] = "subprocessor-changed"};

const char *tc_change_kind_id(tc_change_kind k)
{
	return kinds[k];
}

int tc_change_kind_from_id(const char *id)
{
	for (int k = 0; k < TC_CHANGE__COUNT; k++)
		if (!strcmp(id, kinds[k]))
			return k;
	return -1;
}

bool tc_change_kind_is_cell(tc_change_kind k)
{
	return k == TC_CHANGE_CELL_ADDED || k == TC_CHANGE_CELL_REMOVED ||
	       k == TC_CHANGE_CELL_CHANGED;
}

bool tc_change_kind_is_sub(tc_change_kind k)
{
	return k >= TC_CHANGE_SUB_ADDED && k <= TC_CHANGE_SUB_CHANGED;
}

static int move_from_id(const char *id)
{
	for (int m = MV_NONE; m <= MV_PARTLY_FROM_CLIENT; m++)
		if (!strcmp(id, tc_move_id((tc_move)m)))
			return m;
	return -1;
}

/* ---- fields ----
 *
 * The plain members of a subprocessor and of a change, in the order the
 * document has them: one table each for the reader, the JSON writer and
 * the views, so that a field is named once. */

typedef enum field_kind {
	FK_STR,      /* a string */
	FK_NULLABLE, /* a string or null */
	FK_STRS      /* an array of strings (tc_strs) */
} field_kind;

typedef struct field_def {
	const char *key;
	field_kind kind;
	size_t off; /* of the member in its struct */
} field_def;

#define FIELD(type, member, kind)                                              \
	{                                                                      \
#member, kind, offsetof(type, member)                          \
	}
#define SUB_FIELD(m, k) FIELD(tc_change_sub, m, k)
#define CHANGE_FIELD(m, k) FIELD(tc_change, m, k)

static const field_def sub_fields[] = {SUB_FIELD(id, FK_STR),
				       SUB_FIELD(name, FK_STR),
				       SUB_FIELD(entity, FK_STR),
				       SUB_FIELD(address, FK_STR),
				       SUB_FIELD(country, FK_STR),
				       SUB_FIELD(purpose, FK_STR),
				       SUB_FIELD(products, FK_STRS),
				       SUB_FIELD(transfer, FK_STR),
				       SUB_FIELD(since, FK_STR),
				       SUB_FIELD(announced, FK_NULLABLE),
				       SUB_FIELD(until, FK_NULLABLE),
				       SUB_FIELD(country_name, FK_STR),
				       SUB_FIELD(product_names, FK_STRS)};

/* a change's members before "before" and "after" */
static const field_def change_head[] = {
    CHANGE_FIELD(measure, FK_NULLABLE),
    CHANGE_FIELD(category, FK_NULLABLE),
    CHANGE_FIELD(category_title, FK_NULLABLE),
    CHANGE_FIELD(text, FK_NULLABLE),
    CHANGE_FIELD(scope, FK_NULLABLE),
    CHANGE_FIELD(scope_name, FK_NULLABLE)};

/* a subprocessor change's own members, after "products" */
static const field_def sub_change_fields[] = {
    CHANGE_FIELD(subprocessor, FK_STR),   CHANGE_FIELD(name, FK_STR),
    CHANGE_FIELD(fields, FK_STRS),        CHANGE_FIELD(effective, FK_NULLABLE),
    CHANGE_FIELD(announced, FK_NULLABLE), CHANGE_FIELD(object_by, FK_NULLABLE)};

#define NFIELDS(t) (sizeof(t) / sizeof *(t))

/* the member f of the struct at rec: to fill (reader), to read (writers) */
static const char **str_slot(void *rec, const field_def *f)
{
	return (const char **)((char *)rec + f->off);
}

static tc_strs *strs_slot(void *rec, const field_def *f)
{
	return (tc_strs *)((char *)rec + f->off);
}

static const char *str_of(const void *rec, const field_def *f)
{
	return *(const char *const *)((const char *)rec + f->off);
}

static tc_strs strs_of(const void *rec, const field_def *f)
{
	return *(const tc_strs *)((const char *)rec + f->off);
}

tc_changeset *tc_changeset_new(void)
{
	tc_arena *a = tc_arena_new(0);
	tc_changeset *cs = tc_arena_alloc(a, sizeof *cs);
	memset(cs, 0, sizeof *cs);
	cs->arena = a;
	return cs;
}

void tc_changeset_free(tc_changeset *cs)
{
	if (cs)
		tc_arena_free(cs->arena);
}

/* ---- the reader ---- */

typedef struct reader {
	tc_arena *a;
	tc_buf path;
	tc_jpath jp; /* path, and the caller's err for why */
} reader;

/* what, a message with at most one %s: word, its control characters as
 * \xNN so that the message stays one line. */
static bool fail(reader *r, const char *what, const char *word)
{
	if (!r->jp.failed) {
		tc_buf w = TC_BUF_INIT;
		for (const char *p = word; p && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				tc_buf_printf(&w, "\\x%02x", (unsigned char)*p);
			else
				tc_buf_put(&w, p, 1);
		tc_buf_printf(r->jp.why, "%s: ",
			      r->path.len ? tc_buf_cstr(&r->path) : "document");
		tc_jpath_failf(&r->jp, what, tc_buf_cstr(&w));
		tc_buf_free(&w);
	}
	return false;
}

/* o's member key as a string of the set's (NULL for null when nullable). */
static bool str_at(reader *r, const json_t *o, const char *key, bool nullable,
		   const char **out)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (nullable && json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		size_t n = tc_jpath_push_key(&r->jp, key);
		fail(r,
		     nullable ? "must be a string or null" : "must be a string",
		     NULL);
		tc_jpath_cut(&r->jp, n);
		return false;
	}
	*out =
	    tc_arena_strndup(r->a, json_string_value(v), json_string_length(v));
	return true;
}

/* An optional string member: absent is NULL. */
static bool opt_str_at(reader *r, const json_t *o, const char *key,
		       const char **out)
{
	*out = NULL;
	return !json_object_get(o, key) || str_at(r, o, key, false, out);
}

static bool strs_at(reader *r, const json_t *o, const char *key, tc_strs *out)
{
	const json_t *v = json_object_get(o, key);
	size_t n = tc_jpath_push_key(&r->jp, key);
	if (!json_is_array(v))
		return fail(r, "must be an array of strings", NULL);
	out->n = json_array_size(v);
	out->v = tc_arena_alloc(r->a, (out->n ? out->n : 1) * sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		const json_t *s = json_array_get(v, i);
		size_t m = tc_jpath_push_index(&r->jp, i);
		if (!json_is_string(s))
			return fail(r, "must be a string", NULL);
		out->v[i] = tc_arena_strndup(r->a, json_string_value(s),
					     json_string_length(s));
		tc_jpath_cut(&r->jp, m);
	}
	tc_jpath_cut(&r->jp, n);
	return true;
}

static bool is_object(reader *r, const json_t *v)
{
	return json_is_object(v) || fail(r, "must be an object", NULL);
}

/* The n fields fs of o into the struct at rec. */
static bool read_fields(reader *r, const json_t *o, void *rec,
			const field_def *fs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const field_def *f = &fs[i];
		bool ok = f->kind == FK_STRS
			      ? strs_at(r, o, f->key, strs_slot(rec, f))
			      : str_at(r, o, f->key, f->kind == FK_NULLABLE,
				       str_slot(rec, f));
		if (!ok)
			return false;
	}
	return true;
}

static const tc_change_cell *read_cell(reader *r, const json_t *o)
{
	if (json_is_null(o))
		return NULL;
	if (!json_is_object(o)) {
		fail(r, "must be a cell (an object) or null", NULL);
		return NULL;
	}
	tc_change_cell *c = tc_arena_alloc(r->a, sizeof *c);
	const char *st, *rs;
	if (!str_at(r, o, "status", false, &st) ||
	    !str_at(r, o, "responsibility", false, &rs))
		return NULL;
	int s = tc_status_from_id(st), x = tc_resp_from_id(rs);
	size_t n =
	    tc_jpath_push_key(&r->jp, s < 0 ? "status" : "responsibility");
	if (s < 0)
		fail(r, "unknown status '%s'", st);
	else if (x < 0)
		fail(r, "unknown responsibility '%s'", rs);
	tc_jpath_cut(&r->jp, n);
	if (r->jp.failed)
		return NULL;
	c->status = (tc_status)s;
	c->resp = (tc_resp)x;
	if (!opt_str_at(r, o, "label", &c->label) ||
	    !opt_str_at(r, o, "note", &c->note) ||
	    !opt_str_at(r, o, "label_lang", &c->label_lang) ||
	    !opt_str_at(r, o, "note_lang", &c->note_lang))
		return NULL;
	return c;
}

static const tc_change_sub *read_sub(reader *r, const json_t *o)
{
	if (json_is_null(o))
		return NULL;
	if (!json_is_object(o)) {
		fail(r, "must be a subprocessor (an object) or null", NULL);
		return NULL;
	}
	tc_change_sub *e = tc_arena_alloc(r->a, sizeof *e);
	return read_fields(r, o, e, sub_fields, NFIELDS(sub_fields)) ? e : NULL;
}

/* before or after of c (key) by its kind. */
static bool read_side(reader *r, const json_t *o, const char *key, tc_change *c,
		      bool after)
{
	const json_t *v = json_object_get(o, key);
	size_t n = tc_jpath_push_key(&r->jp, key);
	if (tc_change_kind_is_cell(c->kind)) {
		const tc_change_cell *x = read_cell(r, v);
		*(after ? &c->cell_after : &c->cell_before) = x;
	} else if (tc_change_kind_is_sub(c->kind)) {
		const tc_change_sub *x = read_sub(r, v);
		*(after ? &c->sub_after : &c->sub_before) = x;
	} else if (c->kind == TC_CHANGE_MEASURE_REWORDED) {
		if (!json_is_string(v))
			fail(r, "must be a string", NULL);
		else
			*(after ? &c->text_after : &c->text_before) =
			    tc_arena_strndup(r->a, json_string_value(v),
					     json_string_length(v));
	} else if (!json_is_null(v)) {
		fail(r, "must be null for %s", kinds[c->kind]);
	}
	if (!r->jp.failed)
		tc_jpath_cut(&r->jp, n);
	return !r->jp.failed;
}

static bool read_change(reader *r, const json_t *o, tc_change *c)
{
	memset(c, 0, sizeof *c);
	const char *kind, *move;
	if (!is_object(r, o) || !str_at(r, o, "kind", false, &kind))
		return false;
	int k = tc_change_kind_from_id(kind);
	if (k < 0) {
		tc_jpath_push_key(&r->jp, "kind");
		return fail(r, "unknown kind '%s'", kind);
	}
	c->kind = (tc_change_kind)k;
	if (!read_fields(r, o, c, change_head, NFIELDS(change_head)) ||
	    !read_side(r, o, "before", c, false) ||
	    !read_side(r, o, "after", c, true) ||
	    !str_at(r, o, "move", false, &move))
		return false;
	int m = move_from_id(move);
	if (m < 0) {
		tc_jpath_push_key(&r->jp, "move");
		return fail(r, "unknown move '%s'", move);
	}
	c->move = (tc_move)m;
	if (!str_at(r, o, "words", false, &c->words) ||
	    !strs_at(r, o, "products", &c->products))
		return false;
	if (!tc_change_kind_is_sub(c->kind))
		return true;
	return read_fields(r, o, c, sub_change_fields,
			   NFIELDS(sub_change_fields));
}

static bool read_step(reader *r, const json_t *o, tc_change_step *st)
{
	const json_t *rel = json_object_get(o, "released"),
		     *ch = json_object_get(o, "changes");
	if (!is_object(r, o) || !str_at(r, o, "version", false, &st->version) ||
	    !str_at(r, o, "date", false, &st->date) ||
	    !str_at(r, o, "summary", false, &st->summary))
		return false;
	size_t n = tc_jpath_push_key(&r->jp, "released");
	if (!json_is_boolean(rel))
		return fail(r, "must be true or false", NULL);
	tc_jpath_cut(&r->jp, n);
	st->released = json_is_true(rel);
	if (!str_at(r, o, "previous", true, &st->previous))
		return false;
	tc_jpath_push_key(&r->jp, "changes");
	if (!json_is_array(ch))
		return fail(r, "must be an array", NULL);
	st->n = json_array_size(ch);
	tc_change *v = tc_arena_alloc(r->a, (st->n ? st->n : 1) * sizeof *v);
	for (size_t i = 0; i < st->n; i++) {
		size_t m = tc_jpath_push_index(&r->jp, i);
		if (!read_change(r, json_array_get(ch, i), &v[i]))
			return false;
		tc_jpath_cut(&r->jp, m);
	}
	st->changes = v;
	tc_jpath_cut(&r->jp, n);
	return true;
}

tc_changeset *tc_changeset_from_json(const json_t *doc, tc_buf *err)
{
	tc_changeset *cs = tc_changeset_new();
	reader r = {cs->arena, TC_BUF_INIT, {0}};
	tc_jpath_init(&r.jp, &r.path, err);
	const json_t *sv = json_object_get(doc, "schema_version"),
		     *rels = json_object_get(doc, "releases");
	bool ok = false;
	if (!is_object(&r, doc) ||
	    (json_object_get(doc, "$schema") &&
	     !str_at(&r, doc, "$schema", false, &cs->schema)))
		goto out;
	if (!json_is_integer(sv) ||
	    json_integer_value(sv) != TC_CHANGES_SCHEMA_VERSION) {
		tc_jpath_push_key(&r.jp, "schema_version");
		fail(&r, "must be 1", NULL);
		goto out;
	}
	tc_jpath_push_key(&r.jp, "releases");
	if (!json_is_array(rels)) {
		fail(&r, "must be an array", NULL);
		goto out;
	}
	cs->n = json_array_size(rels);
	cs->steps =
	    tc_arena_alloc(cs->arena, (cs->n ? cs->n : 1) * sizeof *cs->steps);
	memset(cs->steps, 0, (cs->n ? cs->n : 1) * sizeof *cs->steps);
	for (size_t i = 0; i < cs->n; i++) {
		size_t m = tc_jpath_push_index(&r.jp, i);
		if (!read_step(&r, json_array_get(rels, i), &cs->steps[i]))
			goto out;
		tc_jpath_cut(&r.jp, m);
	}
	ok = true;
out:
	tc_buf_free(&r.path);
	if (!ok) {
		tc_changeset_free(cs);
		return NULL;
	}
	return cs;
}

/* ---- the JSON writer ---- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strs_json(tc_strs s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s.n; i++)
		json_array_append_new(a, json_string(s.v[i]));
	return a;
}

/* The n fields fs of the struct at rec as members of o. */
static void fields_json(json_t *o, const void *rec, const field_def *fs,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, fs[i].key,
				    fs[i].kind == FK_STRS
					? strs_json(strs_of(rec, &fs[i]))
					: str_or_null(str_of(rec, &fs[i])));
}

static json_t *cell_json(const tc_change_cell *c)
{
	if (!c)
		return json_null();
	json_t *o = json_pack("{s:s, s:s}", "status", tc_status_id(c->status),
			      "responsibility", tc_resp_id(c->resp));
	const char *keys[] = {"label", "note", "label_lang", "note_lang"};
	const char *vals[] = {c->label, c->note, c->label_lang, c->note_lang};
	for (size_t i = 0; i < 4; i++)
		if (vals[i])
			json_object_set_new(o, keys[i], json_string(vals[i]));
	return o;
}

static json_t *sub_json(const tc_change_sub *e)
{
	if (!e)
		return json_null();
	json_t *o = json_object();
	fields_json(o, e, sub_fields, NFIELDS(sub_fields));
	return o;
}

static json_t *side_json(const tc_change *c, bool after)
{
	if (tc_change_kind_is_cell(c->kind))
		return cell_json(after ? c->cell_after : c->cell_before);
	if (tc_change_kind_is_sub(c->kind))
		return sub_json(after ? c->sub_after : c->sub_before);
	return str_or_null(after ? c->text_after : c->text_before);
}

json_t *tc_change_json(const tc_change *c)
{
	json_t *o = json_pack("{s:s}", "kind", kinds[c->kind]);
	fields_json(o, c, change_head, NFIELDS(change_head));
	json_object_set_new(o, "before", side_json(c, false));
	json_object_set_new(o, "after", side_json(c, true));
	json_object_set_new(o, "move", json_string(tc_move_id(c->move)));
	json_object_set_new(o, "words", str_or_null(c->words));
	json_object_set_new(o, "products", strs_json(c->products));
	if (tc_change_kind_is_sub(c->kind))
		fields_json(o, c, sub_change_fields,
			    NFIELDS(sub_change_fields));
	return o;
}

json_t *tc_change_step_json(const tc_change_step *st)
{
	json_t *ch = json_array();
	for (size_t i = 0; i < st->n; i++)
		json_array_append_new(ch, tc_change_json(&st->changes[i]));
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "version",
			 st->version, "date", st->date, "summary", st->summary,
			 "released", st->released, "previous",
			 str_or_null(st->previous), "changes", ch);
}

json_t *tc_changeset_json(const tc_changeset *cs)
{
	json_t *rels = json_array();
	for (size_t i = 0; i < cs->n; i++)
		json_array_append_new(rels, tc_change_step_json(&cs->steps[i]));
	if (cs->filtered)
		return json_pack("{s:o, s:o, s:o}", "since",
				 str_or_null(cs->since), "product",
				 str_or_null(cs->product), "releases", rels);
	json_t *o = json_object();
	if (cs->schema)
		json_object_set_new(o, "$schema", json_string(cs->schema));
	json_object_set_new(o, "schema_version",
			    json_integer(TC_CHANGES_SCHEMA_VERSION));
	json_object_set_new(o, "releases", rels);
	return o;
}

/* ---- filters ---- */

bool tc_change_concerns(const tc_change *c, const char *product)
{
	if (!product)
		return true;
	for (size_t i = 0; i < c->products.n; i++)
		if (!strcmp(c->products.v[i], product))
			return true;
	return false;
}

tc_changeset *tc_changes_since(const tc_changeset *cs, const char *since,
			       const char *product, tc_buf *err)
{
	size_t stop = cs->n;
	if (since) {
		for (stop = 0; stop < cs->n; stop++)
			if (!strcmp(cs->steps[stop].version, since))
				break;
		if (stop == cs->n) {
			tc_buf_printf(
			    err,
			    "unknown version '%s'; known versions:", since);
			for (size_t i = 0; i < cs->n; i++)
				tc_buf_printf(err, "%s %s", i ? "," : "",
					      cs->steps[i].version);
			return NULL;
		}
	}
	tc_changeset *out = tc_changeset_new();
	tc_arena *a = out->arena;
	out->filtered = true;
	out->since = since ? tc_arena_strdup(a, since) : NULL;
	out->product = product ? tc_arena_strdup(a, product) : NULL;
	out->n = stop;
	out->steps = tc_arena_alloc(a, (stop ? stop : 1) * sizeof *out->steps);
	for (size_t i = 0; i < stop; i++) {
		const tc_change_step *st = &cs->steps[i];
		tc_change *kept =
		    tc_arena_alloc(a, (st->n ? st->n : 1) * sizeof *kept);
		size_t n = 0;
		for (size_t k = 0; k < st->n; k++)
			if (tc_change_concerns(&st->changes[k], product))
				kept[n++] = st->changes[k];
		out->steps[i] = *st;
		out->steps[i].changes = kept;
		out->steps[i].n = n;
	}
	return out;
}

/* ---- views ---- */

const char *tc_sub_field_label(const tc_lang *l, const char *field)
{
	/* the keys as literals: test_lang finds the words that are used */
	static const char *const keys[][2] = {
	    {"name", "sub.field.name"},
	    {"entity", "sub.field.entity"},
	    {"address", "sub.field.address"},
	    {"country", "sub.field.country"},
	    {"purpose", "sub.field.purpose"},
	    {"products", "sub.field.products"},
	    {"transfer", "sub.field.transfer"},
	    {"since", "sub.field.since"},
	    {"until", "sub.field.until"}};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strcmp(field, keys[i][0]))
			return tc_msg(l, keys[i][1]);
	return field;
}

tc_val *tc_change_cell_val(tc_arena *a, const tc_lang *l,
			   const tc_change_cell *cell, const char *base)
{
	tc_buf html = TC_BUF_INIT;
	if (cell && cell->note)
		tc_view_data_html(&html, l, cell->note, base);
	const char *label = cell && cell->label ? cell->label : "";
	/* tc_view_cell_val borrows its strings: copies of a's */
	tc_val *v = tc_view_cell_val(
	    a, l, cell ? cell->status : ST_OTHER, cell ? cell->resp : RS_NONE,
	    tc_arena_strdup(a, label), tc_arena_strdup(a, tc_buf_cstr(&html)),
	    NULL, NULL);
	tc_buf_free(&html);
	/* words an old release kept in the original's language say so */
	if (cell && cell->label_lang)
		tc_val_set(v, "label_lang", tc_val_strdup(a, cell->label_lang));
	if (cell && cell->note_lang)
		tc_val_set(v, "note_lang", tc_val_strdup(a, cell->note_lang));
	return v;
}

/* The members of the JSON document as a view (what tc_val_from_json of
 * the writer's output gave). */
static const tc_val *str_val(tc_arena *a, const char *s)
{
	return s ? tc_val_str(a, s) : tc_val_null();
}

static tc_val *strs_val(tc_arena *a, tc_strs s)
{
	tc_val *l = tc_val_list(a);
	for (size_t i = 0; i < s.n; i++)
		tc_val_list_push(l, tc_val_str(a, s.v[i]));
	return l;
}

/* The n fields fs of the struct at rec as members of the map v. */
static void fields_val(tc_arena *a, tc_val *v, const void *rec,
		       const field_def *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tc_val_set(v, fs[i].key,
			   fs[i].kind == FK_STRS
			       ? strs_val(a, strs_of(rec, &fs[i]))
			       : str_val(a, str_of(rec, &fs[i])));
}

static const tc_val *cell_map(tc_arena *a, const tc_change_cell *c)
{
	if (!c)
		return tc_val_null();
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "status", tc_status_id(c->status));
	tc_val_set_str(v, "responsibility", tc_resp_id(c->resp));
	const char *keys[] = {"label", "note", "label_lang", "note_lang"};
	const char *vals[] = {c->label, c->note, c->label_lang, c->note_lang};
	for (size_t i = 0; i < 4; i++)
		if (vals[i])
			tc_val_set_str(v, keys[i], vals[i]);
	return v;
}

static const tc_val *sub_map(tc_arena *a, const tc_change_sub *e)
{
	if (!e)
		return tc_val_null();
	tc_val *v = tc_val_map(a);
	fields_val(a, v, e, sub_fields, NFIELDS(sub_fields));
	return v;
}

static const tc_val *side_val(tc_arena *a, const tc_change *c, bool after)
{
	if (tc_change_kind_is_cell(c->kind))
		return cell_map(a, after ? c->cell_after : c->cell_before);
	if (tc_change_kind_is_sub(c->kind))
		return sub_map(a, after ? c->sub_after : c->sub_before);
	return str_val(a, after ? c->text_after : c->text_before);
}

static tc_val *change_map(tc_arena *a, const tc_change *c)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "kind", kinds[c->kind]);
	fields_val(a, v, c, change_head, NFIELDS(change_head));
	tc_val_set(v, "before", side_val(a, c, false));
	tc_val_set(v, "after", side_val(a, c, true));
	tc_val_set_str(v, "move", tc_move_id(c->move));
	tc_val_set_str(v, "words", c->words);
	tc_val_set(v, "products", strs_val(a, c->products));
	if (tc_change_kind_is_sub(c->kind))
		fields_val(a, v, c, sub_change_fields,
			   NFIELDS(sub_change_fields));
	return v;
}

/* A field of a subprocessor (a change's before or after) in words: the
 * country's and products' names, the transfer basis's words. */
static tc_val *sub_value(tc_arena *a, const tc_lang *l, const tc_change_sub *e,
			 const char *field)
{
	if (!strcmp(field, "products")) {
		tc_buf b = TC_BUF_INIT;
		for (size_t i = 0; e && i < e->product_names.n; i++)
			tc_buf_printf(&b, "%s%s", i ? ", " : "",
				      e->product_names.v[i]);
		tc_val *v = tc_val_strdup(a, tc_buf_cstr(&b));
		tc_buf_free(&b);
		return v;
	}
	const struct {
		const char *key, *value;
	} fields[] = {{"id", e ? e->id : NULL},
		      {"name", e ? e->name : NULL},
		      {"entity", e ? e->entity : NULL},
		      {"address", e ? e->address : NULL},
		      {"country", e ? e->country_name : NULL},
		      {"purpose", e ? e->purpose : NULL},
		      {"transfer", e ? e->transfer : NULL},
		      {"since", e ? e->since : NULL},
		      {"announced", e ? e->announced : NULL},
		      {"until", e ? e->until : NULL},
		      {"country_name", e ? e->country_name : NULL}};
	const char *s = NULL;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!strcmp(field, fields[i].key))
			s = fields[i].value;
	if (!strcmp(field, "transfer")) {
		static const char *const keys[][2] = {
		    {"eu-eea", "transfer.eu-eea"},
		    {"adequacy", "transfer.adequacy"},
		    {"scc", "transfer.scc"}};
		for (size_t i = 0; s && i < sizeof keys / sizeof *keys; i++)
			if (!strcmp(s, keys[i][0]))
				s = tc_msg(l, keys[i][1]);
	}
	return tc_val_strdup(a, s ? s : "—");
}

/* A subprocessor's change as the "change-sub" partial shows it: who (name,
 * entity, country, purpose), what it means, until when a customer may
 * object, and each changed field before and after (an addition: what it
 * is used for and on which basis). */
static tc_val *sub_change_view(tc_arena *a, const tc_lang *l,
			       const tc_change *c)
{
	tc_val *v = change_map(a, c);
	const tc_change_sub *before = c->sub_before, *after = c->sub_after;
	const tc_change_sub *e = after ? after : before;
	tc_buf w = TC_BUF_INIT;
	tc_msgf(&w, l, "sub.change.summary", "name", e ? e->name : NULL,
		"entity", e ? e->entity : NULL, "country",
		e ? e->country_name : NULL, "purpose", e ? e->purpose : NULL,
		NULL);
	tc_val_set(v, "about", tc_val_strdup(a, tc_buf_cstr(&w)));
	if (c->object_by) {
		tc_buf_clear(&w);
		tc_msgf(&w, l, "sub.change.object_by", "date", c->object_by,
			NULL);
		tc_val_set(v, "object_by_words",
			   tc_val_strdup(a, tc_buf_cstr(&w)));
	}
	if (c->announced) {
		tc_buf_clear(&w);
		tc_msgf(&w, l, "sub.change.announced", "date", c->announced,
			NULL);
		tc_val_set(v, "announced_words",
			   tc_val_strdup(a, tc_buf_cstr(&w)));
	}
	tc_buf_free(&w);
	tc_val *details = tc_val_list(a);
	static const char *const added[] = {"products", "transfer"};
	size_t n = before ? c->fields.n : after ? 2 : 0;
	for (size_t i = 0; i < n; i++) {
		const char *f = before ? c->fields.v[i] : added[i];
		tc_val *d = tc_val_map(a);
		tc_val_set_str(d, "label", tc_sub_field_label(l, f));
		if (before)
			tc_val_set(d, "before", sub_value(a, l, before, f));
		tc_val_set(d, "after", sub_value(a, l, after, f));
		tc_val_list_push(details, d);
	}
	tc_val_set(v, "details", details);
	return v;
}

/* One change as the "change" partial shows it. A cell change asks cell
 * for both sides, NULL for a side it has none of (as it always did: the
 * callback decides what none looks like). */
static tc_val *change_view(tc_arena *a, const tc_change *c,
			   tc_cell_html_fn cell, void *ud)
{
	tc_val *v = change_map(a, c);
	if (tc_change_kind_is_cell(c->kind)) {
		tc_val_set(v, "before_html", cell(ud, c->cell_before));
		tc_val_set(v, "after_html", cell(ud, c->cell_after));
	} else if (c->kind == TC_CHANGE_MEASURE_REWORDED) {
		tc_val_set(v, "before_text", str_val(a, c->text_before));
		tc_val_set(v, "after_text", str_val(a, c->text_after));
	}
	return v;
}

/* One step (a release, or the unreleased content): what moves between
 * client and provider first, then columns, then the rest by category. */
tc_val *tc_changes_view(tc_arena *a, const tc_lang *l,
			const tc_change_step *step, tc_cell_html_fn cell,
			void *ud)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "version", step->version);
	tc_val_set_str(v, "date", step->date);
	tc_val_set_str(v, "summary", step->summary);
	tc_val_set_bool(v, "released", step->released);
	tc_val_set(v, "previous", str_val(a, step->previous));
	/* the date as the language writes it (the data keep ISO) */
	tc_buf d = TC_BUF_INIT;
	tc_msg_date(&d, l, step->date);
	if (d.len)
		tc_val_set(v, "date", tc_val_strdup(a, tc_buf_cstr(&d)));
	tc_buf_free(&d);
	tc_val *moves = tc_val_list(a), *columns = tc_val_list(a),
	       *groups = tc_val_list(a), *subs = tc_val_list(a), *group = NULL;
	const char *gcat = NULL;
	for (size_t i = 0; i < step->n; i++) {
		const tc_change *c = &step->changes[i];
		const char *cat = c->category;
		if (tc_change_kind_is_sub(c->kind)) {
			tc_val_list_push(subs, sub_change_view(a, l, c));
		} else if (c->move != MV_NONE) {
			tc_val_list_push(moves, change_view(a, c, cell, ud));
		} else if (!cat) {
			tc_val_list_push(columns, change_view(a, c, cell, ud));
		} else {
			if (!gcat || strcmp(gcat, cat)) {
				tc_val *g = tc_val_map(a);
				tc_val_set(g, "category_title",
					   str_val(a, c->category_title));
				group = tc_val_list(a);
				tc_val_set(g, "changes", group);
				tc_val_list_push(groups, g);
				gcat = cat;
			}
			tc_val_list_push(group, change_view(a, c, cell, ud));
		}
	}
	size_t n = step->n;
	tc_val_set(v, "moves", moves);
	tc_val_set_bool(v, "has_moves", tc_val_len(moves) > 0);
	tc_val_set(v, "columns", columns);
	tc_val_set_bool(v, "has_columns", tc_val_len(columns) > 0);
	tc_val_set(v, "groups", groups);
	tc_val_set(v, "subs", subs);
	tc_val_set_bool(v, "has_subs", tc_val_len(subs) > 0);
	tc_val_set_bool(v, "has_changes", n > 0);
	tc_val_set(v, "count_words",
		   tc_val_printf(a, "%zu %s", n,
				 tc_msg_n(l, "count.change", (long)n)));
	return v;
}
