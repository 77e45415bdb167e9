/* modelread.c: a data set in api/tom.json's shape (or a release file's
 * "tom") read into a model, every value checked (lib/model.h,
 * tc_model_read). One reader: tc-gen's releases (gen/release.c,
 * tc_release_model) and tc-search's index (cgi/search.c) both read with it. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "lang.h"
#include "routes.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The first problem: the JSON path of the value and why (in the caller's
 * buffers, after what they held: lib/jpath.h). */
typedef struct check {
	tc_jpath jp;
	tc_read_shape shape;
	const tc_lang *l;
	tc_buf url; /* scratch for the URLs an export must have */
	size_t nmeasures;
} check;

bool tc_model_id_ok(tc_jpath *p, size_t n, const char *id, bool measure)
{
	if (measure ? tc_route_is_measure_id(id) : tc_route_is_id(id))
		return true;
	tc_jpath_key(p, n, "id");
	return tc_jpath_failf(
	    p,
	    measure ? "'%s' is not a measure ID (capital letters and digits, "
		      "'-', digits: PAC-1)"
		    : "'%s' is not an ID (lower-case letters, digits and "
		      "'-')",
	    id);
}

/* Member key of o as a string (a non-empty one when nonempty) of at most
 * TC_READ_MAX_STRING_BYTES and no U+0000; NULL after failing at its
 * path. The path is left as it was on success. */
static const char *string_at(check *c, json_t *o, const char *key,
			     bool nonempty)
{
	size_t n = tc_jpath_len(&c->jp);
	json_t *j = json_object_get(o, key);
	const char *v = json_string_value(j);
	if (v && (!nonempty || *v) && json_string_length(j) == strlen(v) &&
	    strlen(v) <= TC_READ_MAX_STRING_BYTES)
		return v;
	tc_jpath_key(&c->jp, n, key);
	if (!v)
		tc_jpath_failf(&c->jp, "must be a string");
	else if (!*v)
		tc_jpath_failf(&c->jp, "must not be empty");
	else if (json_string_length(j) != strlen(v))
		tc_jpath_failf(&c->jp, "must not contain U+0000");
	else
		tc_jpath_failf(&c->jp, "is longer than " STR(
					   TC_READ_MAX_STRING_BYTES) " bytes");
	return NULL;
}

static char *own_at(check *c, json_t *o, const char *key, bool nonempty)
{
	const char *s = string_at(c, o, key, nonempty);
	return s ? tc_xstrdup(s) : NULL;
}

/* An optional string member key of o: *out a copy, or NULL when o has
 * none; false after failing when it is there and no string. */
static bool opt_at(check *c, json_t *o, const char *key, char **out)
{
	*out = NULL;
	if (!json_object_get(o, key))
		return true;
	return (*out = own_at(c, o, key, false)) != NULL;
}

/* The "id" of o: a scope's or category's (an ID of scopes.md and a slot of
 * the routes) or a measure's ("PAC-1", its row's anchor). */
static const char *id_at(check *c, json_t *o, bool measure)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *id = string_at(c, o, "id", false);
	return id && tc_model_id_ok(&c->jp, n, id, measure) ? id : NULL;
}

/* The word key of o, a word of the vocabulary (lib/vocab.h) as from reads
 * it; -1 after failing. */
static int word_of(check *c, json_t *o, const char *key,
		   int (*from)(const char *), const char *what)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *w = string_at(c, o, key, false);
	if (!w)
		return -1;
	int v = from(w);
	if (v >= 0)
		return v;
	tc_jpath_key(&c->jp, n, key);
	tc_jpath_failf(&c->jp, "'%s' is not a %s", w, what);
	return -1;
}

static json_t *array_at(check *c, json_t *o, const char *key, size_t max)
{
	json_t *a = json_object_get(o, key);
	if (json_is_array(a) && json_array_size(a) <= max)
		return a;
	tc_jpath_key(&c->jp, tc_jpath_len(&c->jp), key);
	if (!json_is_array(a))
		tc_jpath_failf(&c->jp, "must be an array");
	else
		tc_jpath_failf(&c->jp, "has more than %zu items", max);
	return NULL;
}

static bool object_here(check *c, json_t *o, const char *what)
{
	return json_is_object(o) ||
	       tc_jpath_failf(&c->jp, "must be an object (%s)", what);
}

/* A boolean member: *out its value (false when optional and absent). */
static bool bool_at(check *c, json_t *o, const char *key, bool optional,
		    bool *out)
{
	json_t *v = json_object_get(o, key);
	*out = json_is_true(v);
	if (json_is_boolean(v) || (!v && optional))
		return true;
	tc_jpath_key(&c->jp, tc_jpath_len(&c->jp), key);
	return tc_jpath_failf(&c->jp, "must be true or false");
}

/* IDs are the keys of pages, anchors and rows: each once. */
static bool once(check *c, json_t *seen, const char *id)
{
	if (!json_object_get(seen, id))
		return json_object_set_new(seen, id, json_true()) == 0;
	tc_jpath_key(&c->jp, tc_jpath_len(&c->jp), "id");
	return tc_jpath_failf(&c->jp, "'%s' is there twice", id);
}

/* An export's URL member key of o: what base_url and the language's route
 * give, url_so_far holding it. */
static bool url_is(check *c, json_t *o, const char *key)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *u = string_at(c, o, key, false);
	if (!u)
		return false;
	if (!strcmp(u, tc_buf_cstr(&c->url)))
		return true;
	tc_jpath_key(&c->jp, n, key);
	return tc_jpath_failf(&c->jp, "'%s' is not the data set's URL '%s'", u,
			      tc_buf_cstr(&c->url));
}

static void url_start(check *c, const tc_model *m)
{
	tc_buf_clear(&c->url);
	tc_buf_puts(&c->url, m->base_url);
}

static bool scope_of(check *c, json_t *x, json_t *index, size_t i, tc_model *m)
{
	tc_scope *s = &m->scopes[i];
	const char *id;
	int kind;
	bool exp = c->shape == TC_READ_EXPORT;
	if (!object_here(c, x, "a scope") || !(id = id_at(c, x, false)) ||
	    !once(c, index, id) || !(s->name = own_at(c, x, "name", true)) ||
	    (kind = word_of(c, x, "kind", tc_scope_kind_from_id,
			    "kind of scope")) < 0 ||
	    !(exp ? (s->description = own_at(c, x, "description", false)) !=
			NULL
		  : opt_at(c, x, "description", &s->description)))
		return false;
	s->id = tc_xstrdup(id);
	s->kind = (tc_scope_kind)kind;
	json_object_set_new(index, id, json_integer((json_int_t)i));
	if (exp && s->kind == SK_PRODUCT) {
		url_start(c, m);
		tc_route_url(&c->url, c->l, R_PRODUCT, s->id, NULL);
		if (!bool_at(c, x, "managed", false, &s->managed) ||
		    !url_is(c, x, "url"))
			return false;
	}
	return true;
}

/* A cell into x; the path is the cell's. */
static bool cell_of(check *c, json_t *cell, tc_cell *x)
{
	int st, rs;
	if (!object_here(c, cell, "a cell") ||
	    (st = word_of(c, cell, "status", tc_status_from_id, "status")) <
		0 ||
	    (rs = word_of(c, cell, "responsibility", tc_resp_from_id,
			  "responsibility")) < 0 ||
	    !(x->label = own_at(c, cell, "label", false)) ||
	    !(x->note = own_at(c, cell, "note", false)))
		return false;
	if (c->shape == TC_READ_RELEASE &&
	    (!opt_at(c, cell, "label_lang", &x->label_lang) ||
	     !opt_at(c, cell, "note_lang", &x->note_lang)))
		return false;
	x->status = (tc_status)st;
	x->resp = (tc_resp)rs;
	x->note_data = tc_xstrdup(x->note);
	return true;
}

/* An export's "mappings": {"framework": ["control", ...]}. */
static bool mappings_of(check *c, json_t *o, tc_measure *x)
{
	size_t n0 = tc_jpath_len(&c->jp), n1;
	json_t *maps = json_object_get(o, "mappings"), *list, *v;
	const char *fw;
	tc_jpath_key(&c->jp, n0, "mappings");
	n1 = tc_jpath_len(&c->jp);
	if (!json_is_object(maps))
		return tc_jpath_failf(&c->jp,
				      "must be an object of frameworks");
	if (json_object_size(maps) > TC_READ_MAX_MAPPINGS)
		return tc_jpath_failf(
		    &c->jp,
		    "has more than " STR(TC_READ_MAX_MAPPINGS) " frameworks");
	x->maps = tc_xcalloc(json_object_size(maps) + 1, sizeof(tc_mapping));
	json_object_foreach (maps, fw, list) {
		tc_jpath_key(&c->jp, n1, fw);
		if (!*fw || strlen(fw) > TC_READ_MAX_STRING_BYTES)
			return tc_jpath_failf(&c->jp, "is no framework's name");
		if (!json_is_array(list) ||
		    json_array_size(list) > TC_READ_MAX_CONTROLS)
			return tc_jpath_failf(
			    &c->jp, "must be an array of at most " STR(
					TC_READ_MAX_CONTROLS) " controls");
		tc_mapping *p = &x->maps[x->nmaps++];
		p->framework = tc_xstrdup(fw);
		p->controls =
		    tc_xcalloc(json_array_size(list) + 1, sizeof(char *));
		size_t i, n2 = tc_jpath_len(&c->jp);
		json_array_foreach (list, i, v) {
			tc_jpath_index(&c->jp, n2, "", i);
			const char *s = json_string_value(v);
			if (!s || json_string_length(v) != strlen(s) ||
			    strlen(s) > TC_READ_MAX_STRING_BYTES)
				return tc_jpath_failf(&c->jp,
						      "must be a control's ID");
			p->controls[p->ncontrols++] = tc_xstrdup(s);
		}
	}
	tc_jpath_cut(&c->jp, n0);
	return true;
}

/* Measure me of category k into k->measures[k->nmeasures]: a new table
 * when its cells' scopes (in order) or its kind are not the previous
 * measure's. */
static bool measure_of(check *c, json_t *me, tc_model *m, json_t *index,
		       json_t *seen, tc_category *k)
{
	size_t n0 = tc_jpath_len(&c->jp);
	tc_measure *x = &k->measures[k->nmeasures];
	bool exp = c->shape == TC_READ_EXPORT;
	const char *id;
	if (!object_here(c, me, "a measure") || !(id = id_at(c, me, true)) ||
	    !once(c, seen, id) || !(x->text = own_at(c, me, "text", false)))
		return false;
	k->nmeasures++; /* freed with the model from here on */
	x->id = tc_xstrdup(id);
	x->text_data = tc_xstrdup(x->text);
	if (exp) {
		url_start(c, m);
		tc_route_measure_url(&c->url, c->l, k->id, x->id);
		if (!url_is(c, me, "url"))
			return false;
	}
	if (!bool_at(c, me, "client_duty", !exp, &x->client_duty))
		return false;
	const char *kind = json_string_value(json_object_get(me, "table"));
	if (exp && !(kind = string_at(c, me, "table", false)))
		return false;
	if (exp && !mappings_of(c, me, x))
		return false;
	json_t *cells = json_object_get(me, "cells"), *cell;
	tc_jpath_key(&c->jp, n0, "cells");
	size_t n1 = tc_jpath_len(&c->jp);
	if (!json_is_object(cells))
		return tc_jpath_failf(&c->jp, "must be an object of cells");
	size_t n = json_object_size(cells), j = 0;
	size_t *cols = tc_xcalloc(n ? n : 1, sizeof(size_t));
	const char *sid;
	bool products = false;
	json_object_foreach (cells, sid, cell) {
		json_t *i = json_object_get(index, sid);
		if (!i) {
			tc_jpath_key(&c->jp, n1, sid);
			free(cols);
			return tc_jpath_failf(
			    &c->jp, "'%s' is not a scope of the data set", sid);
		}
		cols[j] = (size_t)json_integer_value(i);
		products |= m->scopes[cols[j++]].kind == SK_PRODUCT;
	}
	bool level = kind && !strcmp(kind, "level");
	const char *is = products ? "product" : level ? "level" : "site";
	if (exp && strcmp(kind, is)) {
		tc_jpath_key(&c->jp, n0, "table");
		free(cols);
		if (strcmp(kind, "product") && strcmp(kind, "level") &&
		    strcmp(kind, "site"))
			return tc_jpath_failf(
			    &c->jp, "'%s' is not a kind of table", kind);
		return tc_jpath_failf(
		    &c->jp, "'%s' is not what its cells' scopes make it ('%s')",
		    kind, is);
	}
	/* the previous measure's table, when it has the same columns: in
	 * the same order for an export (whose cells are written in its
	 * table's order); a release's cells are compared as a set, and
	 * read in the order of the first measure that had them */
	tc_table *t = k->ntables ? &k->tables[k->ntables - 1] : NULL;
	bool same = t && k->nmeasures > 1 && t->nscopes == n;
	if (same && exp)
		same = t->level == level &&
		       (!n || !memcmp(t->scopes, cols, n * sizeof *cols));
	for (size_t a = 0; same && !exp && a < n; a++) {
		bool in = false;
		for (size_t b = 0; !in && b < n; b++)
			in = t->scopes[b] == cols[a];
		same = in;
	}
	if (!same) {
		t = &k->tables[k->ntables++];
		t->scopes = cols;
		t->nscopes = n;
		t->has_products = products;
		t->level = level;
	} else
		free(cols);
	x->table = k->ntables - 1;
	x->cells = tc_xcalloc(n ? n : 1, sizeof(tc_cell));
	for (size_t a = 0; a < t->nscopes; a++) {
		const char *s = m->scopes[t->scopes[a]].id;
		tc_jpath_key(&c->jp, n1, s);
		if (!cell_of(c, json_object_get(cells, s), &x->cells[a]))
			return false;
	}
	return true;
}

static bool category_of(check *c, json_t *x, tc_model *m, json_t *index,
			json_t *seen, tc_category *k)
{
	size_t n0 = tc_jpath_len(&c->jp), i;
	json_t *ms, *me;
	const char *id;
	bool exp = c->shape == TC_READ_EXPORT;
	if (!object_here(c, x, "a category") || !(id = id_at(c, x, false)) ||
	    !once(c, seen, id) || !(k->title = own_at(c, x, "title", false)))
		return false;
	k->id = tc_xstrdup(id);
	if (exp) {
		if (!(k->description = own_at(c, x, "description", false)))
			return false;
		url_start(c, m);
		tc_route_url(&c->url, c->l, R_CATEGORY, k->id, NULL);
		if (!url_is(c, x, "url"))
			return false;
	}
	if (!(ms = array_at(c, x, "measures", TC_READ_MAX_MEASURES)))
		return false;
	size_t n = json_array_size(ms);
	if (c->nmeasures + n > TC_READ_MAX_MEASURES) {
		tc_jpath_key(&c->jp, n0, "measures");
		return tc_jpath_failf(
		    &c->jp, "makes more than " STR(
				TC_READ_MAX_MEASURES) " measures in all");
	}
	c->nmeasures += n;
	k->measures = tc_xcalloc(n ? n : 1, sizeof(tc_measure));
	k->tables = tc_xcalloc(n ? n : 1, sizeof(tc_table));
	json_t *mids = json_object();
	bool ok = true;
	json_array_foreach (ms, i, me) {
		tc_jpath_index(&c->jp, n0, "measures", i);
		if (!(ok = measure_of(c, me, m, index, mids, k)))
			break;
	}
	json_decref(mids);
	return ok;
}

/* An export's own members: its "$schema", "schema_version" and words. */
static bool head_of(check *c, json_t *doc, tc_model *m)
{
	size_t n0 = tc_jpath_len(&c->jp);
	json_t *v = json_object_get(doc, "schema_version");
	if (!(m->organisation = own_at(c, doc, "organisation", false)) ||
	    !(m->title = own_at(c, doc, "title", false)) ||
	    !(m->version = own_at(c, doc, "version", false)) ||
	    !(m->date = own_at(c, doc, "date", false)) ||
	    !(m->base_url = own_at(c, doc, "base_url", false)))
		return false;
	if (!json_is_integer(v) || json_integer_value(v) != TC_SCHEMA_VERSION) {
		tc_jpath_key(&c->jp, n0, "schema_version");
		return tc_jpath_failf(&c->jp,
				      "must be " STR(TC_SCHEMA_VERSION));
	}
	char *schema = tc_model_schema_url(m, "tom");
	tc_buf_clear(&c->url);
	tc_buf_puts(&c->url, schema);
	free(schema);
	return url_is(c, doc, "$schema");
}

tc_model *tc_model_read(json_t *doc, tc_read_shape shape, const tc_lang *l,
			const char *root, tc_buf *path, tc_buf *why)
{
	check c = {.shape = shape, .l = l, .url = TC_BUF_INIT};
	tc_jpath_init(&c.jp, path, why);
	tc_model *m = tc_xcalloc(1, sizeof *m);
	json_t *index = json_object(), *seen = json_object(), *scopes = NULL,
	       *cats = NULL, *x;
	if (root && *root)
		tc_buf_puts(path, root);
	size_t n0 = path->len, i;
	if (!json_is_object(doc))
		tc_jpath_failf(&c.jp, "must be an object (%s)",
			       shape == TC_READ_EXPORT ? "a data set"
						       : "a data file");
	else if (shape == TC_READ_EXPORT && !head_of(&c, doc, m))
		;
	else if ((scopes = array_at(&c, doc, "scopes", TC_READ_MAX_SCOPES)))
		cats = array_at(&c, doc, "categories", TC_READ_MAX_CATEGORIES);
	if (cats) {
		if (shape == TC_READ_RELEASE) {
			m->version = tc_xstrdup(
			    json_is_string(json_object_get(doc, "version"))
				? json_string_value(
				      json_object_get(doc, "version"))
				: "");
			/* where its URLs start, as its file says ("" when it
			 * does not): the annex links a measure there */
			const char *base =
			    json_string_value(json_object_get(doc, "base_url"));
			m->base_url = tc_xstrdup(base ? base : "");
		}
		size_t n = json_array_size(scopes);
		m->scopes = tc_xcalloc(n ? n : 1, sizeof(tc_scope));
		n = json_array_size(cats);
		m->categories = tc_xcalloc(n ? n : 1, sizeof(tc_category));
	}
	json_array_foreach (cats ? scopes : NULL, i, x) {
		tc_jpath_index(&c.jp, n0, "scopes", i);
		m->nscopes++; /* freed with the model when it failed */
		if (!scope_of(&c, x, index, i, m))
			break;
	}
	json_array_foreach (c.jp.failed ? NULL : cats, i, x) {
		tc_jpath_index(&c.jp, n0, "categories", i);
		m->ncategories++;
		if (!category_of(&c, x, m, index, seen, &m->categories[i]))
			break;
	}
	json_decref(index);
	json_decref(seen);
	tc_buf_free(&c.url);
	if (c.jp.failed) {
		tc_model_free(m);
		return NULL;
	}
	tc_jpath_cut(&c.jp, c.jp.start);
	return m;
}
