#include "release.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/jpath.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/text.h"
#include "../lib/vocab.h"
#include "countries.h"
#include "export.h"
#include "limits.h"
#include "source.h"
#include "trust.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- the comparable data set ---- */

/* A cell's object, one per distinct cell: at 200,000 cells the data set's
 * objects were the build's peak memory, and most cells are alike ("✓",
 * provider). Shared, so nothing may change a data set in place (nothing
 * does: copies are deep, tc_translate_data). */
static json_t *cell_data(json_t *seen, tc_buf *key, const tc_cell *x)
{
	tc_buf_clear(key);
	tc_buf_printf(key, "%s\x1f%s\x1f%s\x1f%s", tc_status_id(x->status),
		      tc_resp_id(x->resp), x->label, x->note);
	json_t *c = json_object_get(seen, tc_buf_cstr(key));
	if (c)
		return json_incref(c);
	c = json_pack("{s:s, s:s, s:s, s:s}", "status", tc_status_id(x->status),
		      "responsibility", tc_resp_id(x->resp), "label", x->label,
		      "note", x->note);
	json_object_set(seen, tc_buf_cstr(key), c);
	return c;
}

json_t *tc_release_data(const tc_model *m)
{
	json_t *scopes = json_array(), *cats = json_array();
	json_t *seen = json_object();
	tc_buf key = TC_BUF_INIT;
	for (size_t i = 0; i < m->nscopes; i++) {
		const tc_scope *s = &m->scopes[i];
		json_array_append_new(scopes,
				      json_pack("{s:s, s:s, s:s}", "id", s->id,
						"name", s->name, "kind",
						tc_scope_kind_id(s->kind)));
	}
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		json_t *ms = json_array();
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			const tc_table *t = &c->tables[me->table];
			json_t *cells = json_object();
			for (size_t j = 0; j < t->nscopes; j++) {
				const tc_cell *x = &me->cells[j];
				json_object_set_new(cells,
						    m->scopes[t->scopes[j]].id,
						    cell_data(seen, &key, x));
			}
			json_array_append_new(
			    ms, json_pack("{s:s, s:s, s:o}", "id", me->id,
					  "text", me->text, "cells", cells));
		}
		json_array_append_new(cats, json_pack("{s:s, s:s, s:o}", "id",
						      c->id, "title", c->title,
						      "measures", ms));
	}
	json_decref(seen);
	tc_buf_free(&key);
	return json_pack("{s:o, s:o}", "scopes", scopes, "categories", cats);
}

json_t *tc_release_subs(const tc_model *m)
{
	const tc_trust *t = m->trust;
	json_t *l = json_array();
	for (size_t i = 0; t && i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		json_t *products = json_array();
		for (char **p = s->products; p && *p; p++)
			json_array_append_new(products, json_string(*p));
		json_array_append_new(
		    l,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, "
			      "s:o, s:o}",
			      "id", s->id, "name", s->name, "entity", s->entity,
			      "address", s->address, "country", s->country,
			      "purpose", s->purpose, "products", products,
			      "transfer", tc_transfer_id(s->transfer), "since",
			      s->since, "announced",
			      *s->announced ? json_string(s->announced)
					    : json_null(),
			      "until",
			      *s->until ? json_string(s->until) : json_null()));
	}
	long days = t ? t->notice_days : -1;
	return json_pack("{s:o, s:o}", "notice_days",
			 days >= 0 ? json_integer(days) : json_null(), "list",
			 l);
}

static void release_free(tc_release *x)
{
	free(x->version);
	free(x->date);
	free(x->summary);
	free(x->file);
	json_decref(x->data);
	json_decref(x->tom);
	json_decref(x->subs);
	for (size_t i = 0; i < x->ntr; i++) {
		free(x->tr[i].lang);
		json_decref(x->tr[i].data);
		json_decref(x->tr[i].tom);
	}
	free(x->tr);
}

/* ---- reading a release: bounded, then checked value by value ---- */

/* Every entry of releases/ but "." and "..": each is a release or an
 * error ("2026.0.JSON", ".x.json" and "README" are not skipped). */
static int any_entry(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

/* Counts the values of a JSON text before jansson builds them: every
 * object, array and member (the commas between them) outside strings, and
 * the bytes of each string as written. jansson spends about a hundred
 * bytes on an empty object, so "[{},{},...]" would cost forty times its
 * size; a string is copied whole. Reports the first excess at its line and
 * column. Returns 0 or 1. */
static int scan_values(const char *path, const char *s, size_t n, tc_diags *d)
{
	size_t values = 1, boxes = 0, str_start = 0;
	int line = 1, col = 0, str_line = 0, str_col = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '\0')
			return 0; /* never JSON: jansson reports it where it is
				   */
		if (ch == '\n') {
			line++;
			col = 0;
		} else if (((unsigned char)ch & 0xc0) != 0x80) {
			col++; /* columns count characters, as jansson's */
		}
		if (in_str) {
			if (ch == '\\') {
				i++;
				col++;
			} else if (ch == '"') {
				in_str = false;
				if (i - str_start >
				    TC_MAX_RELEASE_STRING_BYTES) {
					tc_diags_add(
					    d, path, str_line, str_col,
					    "release: a string longer "
					    "than %d bytes",
					    TC_MAX_RELEASE_STRING_BYTES);
					return 1;
				}
			}
			continue;
		}
		if (ch == '"') {
			in_str = true;
			str_start = i + 1;
			str_line = line;
			str_col = col;
		} else if ((ch == '{' || ch == '[') &&
			   ++boxes > TC_MAX_RELEASE_CONTAINERS) {
			tc_diags_add(d, path, line, col,
				     "release: more than %d objects and "
				     "arrays, the limit for a release",
				     TC_MAX_RELEASE_CONTAINERS);
			return 1;
		}
		if ((ch == '{' || ch == '[' || ch == ',') &&
		    ++values > TC_MAX_RELEASE_VALUES) {
			tc_diags_add(d, path, line, col,
				     "release: more than %d values (objects, "
				     "arrays and their members), the limit "
				     "for a release",
				     TC_MAX_RELEASE_VALUES);
			return 1;
		}
	}
	return 0;
}

/* The first problem of a release's values: the JSON path of the value
 * ("tom.scopes[5].id", as tc_text_json_scan writes them) and why
 * (lib/jpath.h). One per release: a broken one could otherwise say a thing
 * per cell. */
typedef struct check {
	tc_jpath jp;
	const char *than; /* what a value is compared with: "the data set" */
} check;

/* Member key of o as a string (a non-empty one when nonempty); NULL after
 * failing at its path. The path is left as it was on success. */
static const char *string_at(check *c, json_t *o, const char *key,
			     bool nonempty)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *v = json_string_value(json_object_get(o, key));
	if (v && (!nonempty || *v))
		return v;
	tc_jpath_key(&c->jp, n, key);
	tc_jpath_failf(&c->jp, v ? "must not be empty" : "must be a string");
	return NULL;
}

/* The "id" of o: a scope's or category's (an ID of scopes.md and a slot of
 * the routes) or a measure's ("PAC-1", its row's anchor). */
static const char *id_at(check *c, json_t *o, bool measure)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *id = string_at(c, o, "id", false);
	return id && tc_model_id_ok(&c->jp, n, id, measure) ? id : NULL;
}

/* A word of the vocabulary (lib/vocab.h): from(w) >= 0. */
static bool word_at(check *c, json_t *o, const char *key,
		    int (*from)(const char *), const char *what)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *w = string_at(c, o, key, false);
	if (!w)
		return false;
	if (from(w) >= 0)
		return true;
	tc_jpath_key(&c->jp, n, key);
	return tc_jpath_failf(&c->jp, "'%s' is not a %s", w, what);
}

static json_t *array_at(check *c, json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);
	if (json_is_array(a))
		return a;
	tc_jpath_key(&c->jp, tc_jpath_len(&c->jp), key);
	tc_jpath_failf(&c->jp, "must be an array");
	return NULL;
}

static bool object_here(check *c, json_t *o, const char *what)
{
	return json_is_object(o) ||
	       tc_jpath_failf(&c->jp, "must be an object (%s)", what);
}

/* IDs are the keys of pages, anchors and rows: each once. */
static bool once(check *c, json_t *seen, const char *id)
{
	if (!json_object_get(seen, id))
		return json_object_set_new(seen, id, json_true()) == 0;
	tc_jpath_key(&c->jp, tc_jpath_len(&c->jp), "id");
	return tc_jpath_failf(&c->jp, "'%s' is there twice", id);
}

/* The data set: every value the pages, the changes and the feeds read, by
 * the rules its sources obey (scopes.md's IDs and kinds, measure IDs, the
 * vocabulary's words), each ID once, each cell of a scope of the set. */
static bool data_ok(check *c, json_t *data, const char *base)
{
	tc_jpath_key(&c->jp, 0, base);
	size_t n0 = tc_jpath_len(&c->jp), i, k;
	json_t *scopes = array_at(c, data, "scopes"), *x;
	json_t *cats = scopes ? array_at(c, data, "categories") : NULL;
	json_t *sids = json_object(), *cids = json_object(),
	       *mids = json_object();
	json_array_foreach (cats ? scopes : NULL, i, x) {
		tc_jpath_index(&c->jp, n0, "scopes", i);
		const char *id;
		if (!object_here(c, x, "a scope") ||
		    !(id = id_at(c, x, false)) || !once(c, sids, id) ||
		    !string_at(c, x, "name", true) ||
		    !word_at(c, x, "kind", tc_scope_kind_from_id,
			     "kind of scope"))
			break;
	}
	json_array_foreach (c->jp.failed ? NULL : cats, i, x) {
		tc_jpath_index(&c->jp, n0, "categories", i);
		size_t n1 = tc_jpath_len(&c->jp);
		const char *id;
		json_t *ms, *me;
		if (!object_here(c, x, "a category") ||
		    !(id = id_at(c, x, false)) || !once(c, cids, id) ||
		    !string_at(c, x, "title", true) ||
		    !(ms = array_at(c, x, "measures")))
			break;
		json_array_foreach (ms, k, me) {
			tc_jpath_index(&c->jp, n1, "measures", k);
			size_t n2 = tc_jpath_len(&c->jp);
			if (!object_here(c, me, "a measure") ||
			    !(id = id_at(c, me, true)) || !once(c, mids, id) ||
			    !string_at(c, me, "text", true))
				break;
			json_t *cells = json_object_get(me, "cells"), *cell;
			tc_jpath_key(&c->jp, n2, "cells");
			if (!json_is_object(cells) ||
			    !json_object_size(cells)) {
				tc_jpath_failf(&c->jp,
					       "must be an object of cells");
				break;
			}
			size_t n3 = tc_jpath_len(&c->jp);
			const char *sid;
			json_object_foreach (cells, sid, cell) {
				tc_jpath_key(&c->jp, n3, sid);
				if (!json_object_get(sids, sid))
					tc_jpath_failf(
					    &c->jp,
					    "'%s' is not a scope of the data "
					    "set",
					    sid);
				else if (object_here(c, cell, "a cell") &&
					 word_at(c, cell, "status",
						 tc_status_from_id, "status") &&
					 word_at(c, cell, "responsibility",
						 tc_resp_from_id,
						 "responsibility"))
					(void)(string_at(c, cell, "label",
							 false) &&
					       string_at(c, cell, "note",
							 false));
				if (c->jp.failed)
					break;
			}
			if (c->jp.failed)
				break;
		}
		if (c->jp.failed)
			break;
	}
	json_decref(sids);
	json_decref(cids);
	json_decref(mids);
	return !c->jp.failed;
}

/* The length of the " <URL>" that the data form of a text puts after a
 * link's words (gen/markdown.c, md_inline), at s; 0 when there is none. */
static size_t link_at(const char *s)
{
	if (s[0] != ' ' || s[1] != '<')
		return 0;
	const char *u = s + 2;
	if (strncmp(u, "https://", 8) && strncmp(u, "http://", 7) &&
	    strncmp(u, "mailto:", 7) && u[0] != '/')
		return 0;
	size_t n = strcspn(u, "<>\n");
	return u[n] == '>' ? n + 3 : 0;
}

/* tom's text (the published form, a link's URL after its words) says what
 * the data set's plain text says. */
static bool same_text(const char *t, const char *p)
{
	while (*t || *p) {
		size_t n = link_at(t);
		if (n && strncmp(t, p, n) != 0) {
			t += n;
			continue;
		}
		if (*t != *p)
			return false;
		t++;
		p++;
	}
	return true;
}

/* Member key of the tom's t against the data's x: the same string (a text
 * with links: the same words). */
static bool agrees(check *c, json_t *t, json_t *x, const char *key, bool text)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *a = json_string_value(json_object_get(t, key)),
		   *b = json_string_value(json_object_get(x, key));
	if (a && (text ? same_text(a, b) : !strcmp(a, b)))
		return true;
	tc_jpath_key(&c->jp, n, key);
	if (!a)
		return tc_jpath_failf(&c->jp, "must be a string");
	return tc_jpath_failf(&c->jp, "is '%s' where %s has '%s'", a, c->than,
			      b);
}

static size_t size_of(json_t *v)
{
	return json_is_array(v) ? json_array_size(v) : json_object_size(v);
}

/* t (of the tom) is of x's type (of the data set) and size. */
static bool same_size(check *c, json_t *t, json_t *x, const char *what)
{
	if ((json_is_array(x) ? json_is_array(t) : json_is_object(t)) &&
	    size_of(t) == size_of(x))
		return true;
	return tc_jpath_failf(&c->jp, "has other %s than %s", what, c->than);
}

/* A measure of the tom against the data's: its ID, its words, its cells
 * (the same scopes, each with the same status, responsibility, label and
 * note) and its table ("product" exactly when a cell is a product's: the
 * product annexes choose their rows by it, lib/tomdata.c). */
static bool measure_agrees(check *c, json_t *t, json_t *x, json_t *kinds)
{
	size_t n = tc_jpath_len(&c->jp);
	if (!object_here(c, t, "a measure") || !agrees(c, t, x, "id", false) ||
	    !agrees(c, t, x, "text", true))
		return false;
	json_t *tc = json_object_get(t, "cells"),
	       *xc = json_object_get(x, "cells"), *cell;
	tc_jpath_key(&c->jp, n, "cells");
	if (!same_size(c, tc, xc, "cells"))
		return false;
	size_t n1 = tc_jpath_len(&c->jp);
	const char *sid;
	bool products = false;
	json_object_foreach (xc, sid, cell) {
		json_t *tcell = json_object_get(tc, sid);
		tc_jpath_key(&c->jp, n1, sid);
		if (!tcell)
			return tc_jpath_failf(&c->jp, "is missing (%s has it)",
					      c->than);
		if (!object_here(c, tcell, "a cell") ||
		    !agrees(c, tcell, cell, "status", false) ||
		    !agrees(c, tcell, cell, "responsibility", false) ||
		    !agrees(c, tcell, cell, "label", false) ||
		    !agrees(c, tcell, cell, "note", true))
			return false;
		const char *k = json_string_value(json_object_get(kinds, sid));
		products |= k && !strcmp(k, "product");
	}
	tc_jpath_cut(&c->jp, n);
	const char *table = string_at(c, t, "table", false);
	if (!table)
		return false;
	if (!strcmp(table, products ? "product" : "site") ||
	    (!products && !strcmp(table, "level")))
		return true;
	tc_jpath_key(&c->jp, n, "table");
	return tc_jpath_failf(&c->jp,
			      "is '%s', but the measure %s a product's cell",
			      table, products ? "has" : "has no");
}

/* The published api/tom.json says what the data set says, value for value:
 * the old annexes and their downloads are drawn from the tom, the change
 * pages and feeds from the data set, and a hand-edited file would make them
 * disagree. What the data set does not hold (descriptions, URLs, mappings)
 * is the download's own and counted by its digest. */
static bool tom_agrees(check *c, const tc_release *x, json_t *t, json_t *data,
		       const char *base)
{
	const char *want[][2] = {{"version", x->version}, {"date", x->date}};
	const size_t b = strlen(base);
	tc_jpath_cut(&c->jp, 0);
	tc_buf_puts(c->jp.path, base);
	for (size_t i = 0; i < 2; i++) {
		const char *v =
		    json_string_value(json_object_get(t, want[i][0]));
		if (!v || strcmp(v, want[i][1])) {
			tc_jpath_key(&c->jp, b, want[i][0]);
			return tc_jpath_failf(&c->jp,
					      "must be the release's %s, %s",
					      want[i][0], want[i][1]);
		}
	}
	json_t *ts = json_object_get(t, "scopes"),
	       *xs = json_object_get(data, "scopes"), *kinds = json_object();
	tc_jpath_key(&c->jp, b, "scopes");
	size_t i, k;
	json_t *s, *tc, *xc;
	if (same_size(c, ts, xs, "scopes"))
		json_array_foreach (xs, i, s) {
			json_t *a = json_array_get(ts, i);
			tc_jpath_index(&c->jp, b, "scopes", i);
			if (!object_here(c, a, "a scope") ||
			    !agrees(c, a, s, "id", false) ||
			    !agrees(c, a, s, "name", false) ||
			    !agrees(c, a, s, "kind", false))
				break;
			json_object_set(
			    kinds, json_string_value(json_object_get(s, "id")),
			    json_object_get(s, "kind"));
		}
	json_t *tcs = json_object_get(t, "categories"),
	       *xcs = json_object_get(data, "categories");
	if (!c->jp.failed) {
		tc_jpath_key(&c->jp, b, "categories");
		same_size(c, tcs, xcs, "categories");
	}
	json_array_foreach (c->jp.failed ? NULL : xcs, i, xc) {
		tc = json_array_get(tcs, i);
		tc_jpath_index(&c->jp, b, "categories", i);
		size_t n1 = tc_jpath_len(&c->jp);
		if (!object_here(c, tc, "a category") ||
		    !agrees(c, tc, xc, "id", false) ||
		    !agrees(c, tc, xc, "title", false))
			break;
		json_t *tm = json_object_get(tc, "measures"),
		       *xm = json_object_get(xc, "measures"), *me;
		tc_jpath_key(&c->jp, n1, "measures");
		if (!same_size(c, tm, xm, "measures"))
			break;
		json_array_foreach (xm, k, me) {
			tc_jpath_index(&c->jp, n1, "measures", k);
			if (!measure_agrees(c, json_array_get(tm, k), me,
					    kinds))
				break;
		}
		if (c->jp.failed)
			break;
	}
	json_decref(kinds);
	return !c->jp.failed;
}

/* ---- a release's data file as a model ---- */

tc_model *tc_release_model(json_t *tom, const char *file, tc_diags *d)
{
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m =
	    tc_model_read(tom, TC_READ_RELEASE, NULL, "tom", &path, &why);
	if (m)
		tc_model_gen_parts(m);
	else
		tc_diags_add(d, file, 1, 1, "release: \"%s\" %s",
			     tc_buf_cstr(&path), tc_buf_cstr(&why));
	tc_buf_free(&path);
	tc_buf_free(&why);
	return m;
}

/* ---- the translations a release froze ---- */

/* A translation's data set t against the original's x: the same scopes
 * (IDs and kinds), categories and measures (IDs) in the same order and
 * the same cells, each with the original's status, responsibility and
 * label; only the words differ (a free text's label is its words, which
 * a translation translates). Both are data_ok. */
static bool marks_agree(check *c, json_t *x, json_t *t, const char *base)
{
	const char *than = c->than;
	const size_t b = strlen(base);
	size_t i, k;
	c->than = "the original";
	json_t *xs = json_object_get(x, "scopes"),
	       *ts = json_object_get(t, "scopes"), *s;
	tc_jpath_cut(&c->jp, 0);
	tc_buf_puts(c->jp.path, base);
	tc_jpath_key(&c->jp, b, "scopes");
	if (same_size(c, ts, xs, "scopes"))
		json_array_foreach (xs, i, s) {
			json_t *a = json_array_get(ts, i);
			tc_jpath_index(&c->jp, b, "scopes", i);
			if (!agrees(c, a, s, "id", false) ||
			    !agrees(c, a, s, "kind", false))
				break;
		}
	json_t *xcs = json_object_get(x, "categories"),
	       *tcs = json_object_get(t, "categories"), *xc;
	if (!c->jp.failed) {
		tc_jpath_key(&c->jp, b, "categories");
		same_size(c, tcs, xcs, "categories");
	}
	json_array_foreach (c->jp.failed ? NULL : xcs, i, xc) {
		json_t *tc = json_array_get(tcs, i);
		tc_jpath_index(&c->jp, b, "categories", i);
		size_t n1 = tc_jpath_len(&c->jp);
		if (!agrees(c, tc, xc, "id", false))
			break;
		json_t *xm = json_object_get(xc, "measures"),
		       *tm = json_object_get(tc, "measures"), *me;
		tc_jpath_key(&c->jp, n1, "measures");
		if (!same_size(c, tm, xm, "measures"))
			break;
		json_array_foreach (xm, k, me) {
			json_t *tme = json_array_get(tm, k);
			tc_jpath_index(&c->jp, n1, "measures", k);
			size_t n2 = tc_jpath_len(&c->jp);
			if (!agrees(c, tme, me, "id", false))
				break;
			json_t *xcells = json_object_get(me, "cells"),
			       *tcells = json_object_get(tme, "cells"), *cell;
			tc_jpath_key(&c->jp, n2, "cells");
			if (!same_size(c, tcells, xcells, "cells"))
				break;
			size_t n3 = tc_jpath_len(&c->jp);
			const char *sid;
			json_object_foreach (xcells, sid, cell) {
				json_t *tcell = json_object_get(tcells, sid);
				const char *st = json_string_value(
				    json_object_get(cell, "status"));
				tc_jpath_key(&c->jp, n3, sid);
				if (!tcell)
					tc_jpath_failf(&c->jp,
						       "is missing (%s has it)",
						       c->than);
				else if (agrees(c, tcell, cell, "status",
						false) &&
					 agrees(c, tcell, cell,
						"responsibility", false) &&
					 strcmp(st, "other"))
					agrees(c, tcell, cell, "label", false);
				if (c->jp.failed)
					break;
			}
			if (c->jp.failed)
				break;
		}
		if (c->jp.failed)
			break;
	}
	c->than = than;
	return !c->jp.failed;
}

/* A language's code as site.md's languages are written: two lower-case
 * letters (ISO 639-1). */
static bool is_lang(const char *s)
{
	return s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
	       !s[2];
}

/* The release's "translations": {"<language>": {"data", "tom"}}, at most
 * the other languages site.md may have; each data set by the rules of the
 * release's own, with the original's marks, and its tom saying what it
 * says. */
static bool translations_ok(check *c, const tc_release *x, json_t *trs)
{
	tc_jpath_cut(&c->jp, 0);
	tc_buf_puts(c->jp.path, "translations");
	if (!json_is_object(trs))
		return tc_jpath_failf(&c->jp,
				      "must be an object {\"<language>\": "
				      "{\"data\", \"tom\"}}");
	if (json_object_size(trs) > TC_MAX_LANGUAGES - 1)
		return tc_jpath_failf(
		    &c->jp,
		    "has more than %d languages, the translations "
		    "site.md may have",
		    TC_MAX_LANGUAGES - 1);
	const char *lang;
	json_t *v;
	tc_buf base = TC_BUF_INIT;
	json_object_foreach (trs, lang, v) {
		json_t *data = json_object_get(v, "data"),
		       *tom = json_object_get(v, "tom");
		tc_jpath_key(&c->jp, 12, lang);
		if (!is_lang(lang)) {
			tc_jpath_failf(
			    &c->jp,
			    "is not a language (two lower-case letters, "
			    "as site.md's languages)");
			break;
		}
		if (!json_is_object(v) || json_object_size(v) != 2 ||
		    !json_is_object(data) || !json_is_object(tom)) {
			tc_jpath_failf(&c->jp,
				       "must be an object {\"data\", \"tom\"}");
			break;
		}
		tc_buf_clear(&base);
		tc_buf_printf(&base, "translations.%s.data", lang);
		if (!data_ok(c, data, tc_buf_cstr(&base)) ||
		    !marks_agree(c, x->data, data, tc_buf_cstr(&base)))
			break;
		tc_buf_clear(&base);
		tc_buf_printf(&base, "translations.%s.tom", lang);
		if (!tom_agrees(c, x, tom, data, tc_buf_cstr(&base)))
			break;
	}
	tc_buf_free(&base);
	return !c->jp.failed;
}

/* ---- the subprocessor list of a release ---- */

/* The fields of a subprocessor in a release, as tc_release_subs writes
 * them: nothing else, so that two lists compare by their values. */
static const char *const sub_fields[] = {
    "id",       "name",     "entity", "address",   "country", "purpose",
    "products", "transfer", "since",  "announced", "until"};

static int transfer_from_id(const char *w)
{
	for (int i = 0; i < TR__COUNT; i++)
		if (!strcmp(w, tc_transfer_id((tc_transfer)i)))
			return i;
	return -1;
}

/* Member key of o: a non-empty string no longer than a front-matter
 * value, which it was. */
static const char *words_at(check *c, json_t *o, const char *key)
{
	size_t n = tc_jpath_len(&c->jp);
	const char *v = string_at(c, o, key, true);
	if (!v || strlen(v) <= TC_MAX_FM_SCALAR_BYTES)
		return v;
	tc_jpath_key(&c->jp, n, key);
	tc_jpath_failf(
	    &c->jp,
	    "is longer than %d bytes (subprocessors.md's values cannot "
	    "be longer)",
	    TC_MAX_FM_SCALAR_BYTES);
	return NULL;
}

/* Member key of o: a date, or null when optional. "" for null. */
static const char *date_at(check *c, json_t *o, const char *key, bool optional)
{
	size_t n = tc_jpath_len(&c->jp);
	json_t *v = json_object_get(o, key);
	if (optional && json_is_null(v))
		return "";
	const char *s = json_string_value(v);
	if (s && tc_text_is_date(s))
		return s;
	tc_jpath_key(&c->jp, n, key);
	tc_jpath_failf(
	    &c->jp, optional ? "must be a date of the form YYYY-MM-DD or null"
			     : "must be a date of the form YYYY-MM-DD");
	return NULL;
}

/* One subprocessor of the list: its fields by the rules of
 * subprocessors.md (gen/trust.c), its products products of the data set.
 * The transfer basis is not checked against the country: a country's
 * place (the EU, an adequacy decision) changes over the years, and a
 * release is history. */
static bool sub_ok(check *c, json_t *x, json_t *ids, json_t *products,
		   const char *date)
{
	size_t n = tc_jpath_len(&c->jp);
	if (!object_here(c, x, "a subprocessor"))
		return false;
	const char *k;
	json_t *v;
	json_object_foreach (x, k, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof sub_fields / sizeof *sub_fields;
		     i++)
			known |= !strcmp(k, sub_fields[i]);
		if (!known) {
			tc_jpath_key(&c->jp, n, k);
			return tc_jpath_failf(
			    &c->jp, "is not a field of a subprocessor");
		}
	}
	const char *id = id_at(c, x, false);
	if (!id || !once(c, ids, id))
		return false;
	static const char *const texts[] = {"name", "entity", "address",
					    "purpose"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (!words_at(c, x, texts[i]))
			return false;
	const char *country = string_at(c, x, "country", false);
	if (!country)
		return false;
	if (!tc_country_get(country)) {
		tc_jpath_key(&c->jp, n, "country");
		return tc_jpath_failf(
		    &c->jp, "'%s' is not an ISO 3166-1 alpha-2 code", country);
	}
	tc_jpath_cut(&c->jp, n);
	if (!word_at(c, x, "transfer", transfer_from_id,
		     "transfer basis (eu-eea, adequacy, scc)"))
		return false;
	json_t *ps = array_at(c, x, "products"), *p;
	if (!ps)
		return false;
	if (!json_array_size(ps)) {
		tc_jpath_key(&c->jp, n, "products");
		return tc_jpath_failf(&c->jp, "must name a product");
	}
	size_t i;
	json_t *seen = json_object();
	json_array_foreach (ps, i, p) {
		const char *pid = json_string_value(p);
		tc_jpath_index(&c->jp, n, "products", i);
		if (!pid)
			tc_jpath_failf(&c->jp, "must be a string");
		else if (!json_object_get(products, pid))
			tc_jpath_failf(&c->jp,
				       "'%s' is not a product of the data set",
				       pid);
		else if (json_object_get(seen, pid))
			tc_jpath_failf(&c->jp, "'%s' is there twice", pid);
		else
			json_object_set_new(seen, pid, json_true());
		if (c->jp.failed)
			break;
	}
	json_decref(seen);
	if (c->jp.failed)
		return false;
	tc_jpath_cut(&c->jp, n);
	const char *since = date_at(c, x, "since", false);
	const char *ann = since ? date_at(c, x, "announced", true) : NULL;
	const char *until = ann ? date_at(c, x, "until", true) : NULL;
	if (!until)
		return false;
	if (*ann && strcmp(ann, since) > 0) {
		tc_jpath_key(&c->jp, n, "announced");
		return tc_jpath_failf(&c->jp, "%s is after since %s", ann,
				      since);
	}
	if (*ann && strcmp(ann, date) > 0) {
		tc_jpath_key(&c->jp, n, "announced");
		return tc_jpath_failf(
		    &c->jp, "%s is after the release's date %s", ann, date);
	}
	if (*until && strcmp(until, since) < 0) {
		tc_jpath_key(&c->jp, n, "until");
		return tc_jpath_failf(&c->jp, "%s is before since %s", until,
				      since);
	}
	return true;
}

/* The release's subprocessors: {"notice_days": days or null, "list": [
 * subprocessors]}, at most the entries subprocessors.md may hold. */
static bool subs_ok(check *c, const tc_release *x)
{
	json_t *s = x->subs;
	tc_jpath_cut(&c->jp, 0);
	tc_buf_puts(c->jp.path, "subprocessors");
	if (!json_is_object(s) || json_object_size(s) != 2)
		return tc_jpath_failf(
		    &c->jp, "must be an object {\"notice_days\", \"list\"}");
	json_t *days = json_object_get(s, "notice_days");
	if (!json_is_null(days) &&
	    (!json_is_integer(days) || json_integer_value(days) < 0 ||
	     json_integer_value(days) > TC_MAX_NOTICE_DAYS)) {
		tc_jpath_key(&c->jp, 13, "notice_days");
		return tc_jpath_failf(
		    &c->jp, "must be null or a number of days from 0 to %d",
		    TC_MAX_NOTICE_DAYS);
	}
	tc_jpath_cut(&c->jp, 13);
	json_t *list = array_at(c, s, "list");
	if (!list)
		return false;
	if (json_array_size(list) > TC_MAX_TRUST_ENTRIES) {
		tc_jpath_key(&c->jp, 13, "list");
		return tc_jpath_failf(&c->jp,
				      "has more than %d entries, the limit of "
				      "subprocessors.md",
				      TC_MAX_TRUST_ENTRIES);
	}
	/* the products of the data set, which the list may name */
	json_t *products = json_object(), *ids = json_object(), *e;
	size_t i;
	json_array_foreach (json_object_get(x->data, "scopes"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "kind")),
			    "product"))
			json_object_set_new(
			    products,
			    json_string_value(json_object_get(e, "id")),
			    json_true());
	json_array_foreach (list, i, e) {
		tc_jpath_index(&c->jp, 13, "list", i);
		if (!sub_ok(c, e, ids, products, x->date))
			break;
	}
	json_decref(products);
	json_decref(ids);
	return !c->jp.failed;
}

/* The version a file names: releases/<version>.json, a version by the
 * rule of site.md's that no file of the site is called (a folder
 * versions/index.html/ would put itself where /versions/ is). */
static const char *name_problem(const char *name, size_t n)
{
	if (n <= 5 || strcmp(name + n - 5, ".json"))
		return "not a release: the files of releases/ are "
		       "<version>.json, written by `tc-gen release`";
	char *stem = tc_xstrndup(name, n - 5);
	const char *why = NULL;
	if (!tc_text_is_version(stem))
		why = "release: the version (the file's name) must be 1 to 40 "
		      "letters, digits, '.', '-' and '_', starting with a "
		      "letter or digit (it is part of URLs)";
	else if (!tc_route_version_ok(stem))
		why = "release: the version (the file's name) is the name of a "
		      "file of the site (versions/index.html): choose another";
	free(stem);
	return why;
}

/* Checks the shape of one release; reports at the file (jansson keeps no
 * positions of values: the message names the value's JSON path). */
static int check_shape(json_t *r, const char *path, const char *stem,
		       tc_diags *d)
{
	const char *v = json_string_value(json_object_get(r, "version"));
	const char *date = json_string_value(json_object_get(r, "date"));
	const char *summary = json_string_value(json_object_get(r, "summary"));
	json_t *data = json_object_get(r, "data"),
	       *tom = json_object_get(r, "tom");
	const char *why = NULL;
	if (!json_is_object(r))
		why = "a release is a JSON object";
	else if (!v || strcmp(v, stem) != 0)
		why = "\"version\" must be the file's name without .json";
	else if (!tc_text_is_date(date))
		why = "\"date\" must be a date of the form YYYY-MM-DD";
	else if (!summary)
		why = "\"summary\" must be a string";
	else if (strlen(summary) > TC_MAX_FM_SCALAR_BYTES)
		why = "\"summary\" is longer than " STR(
		    TC_MAX_FM_SCALAR_BYTES) " bytes (site.md's summary, which "
					    "it is, cannot be longer)";
	else if (!json_is_object(data))
		why = "\"data\" must be an object";
	else if (!json_is_object(tom))
		why = "\"tom\" must be the published api/tom.json";
	if (why)
		tc_diags_add(d, path, 1, 1, "release: %s", why);
	return why != NULL;
}

/* The values of a well-shaped release, then its tom against its data set:
 * the first problem, at the file with its JSON path. */
static int check_values(const tc_release *x, json_t *trs, tc_diags *d)
{
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	check c = {.than = "the data set"};
	tc_jpath_init(&c.jp, &path, &why);
	if (data_ok(&c, x->data, "data") &&
	    tom_agrees(&c, x, x->tom, x->data, "tom") &&
	    (!x->subs || subs_ok(&c, x)) && trs)
		translations_ok(&c, x, trs);
	if (c.jp.failed)
		tc_diags_add(d, x->file, 1, 1, "release: \"%s\" %s",
			     tc_buf_cstr(&path), tc_buf_cstr(&why));
	tc_buf_free(&path);
	tc_buf_free(&why);
	return c.jp.failed;
}

static int parse_one(const char *path, const char *name, const char *src,
		     size_t len, tc_releases *out, tc_diags *d);

static int load_one(const char *path, const char *name, tc_releases *out,
		    size_t *total, tc_diags *d)
{
	size_t n = strlen(name);
	const char *why = name_problem(name, n);
	if (why) {
		tc_diags_add(d, path, 0, 0, "%s", why);
		return 1;
	}
	/* all releases together, counted before a file is read */
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= TC_MAX_RELEASE_BYTES) {
		*total += (size_t)st.st_size;
		if (*total > TC_MAX_RELEASES_BYTES) {
			/* once: every later file is over it too */
			if (*total - (size_t)st.st_size <=
			    TC_MAX_RELEASES_BYTES)
				tc_diags_add(d, path, 0, 0,
					     "the releases are larger than %d "
					     "bytes with this file",
					     TC_MAX_RELEASES_BYTES);
			return 1;
		}
	}
	size_t len;
	/* a source like the others: bounded and regular; jansson refuses
	 * what is not UTF-8 text */
	char *src = tc_source_read(path, TC_MAX_RELEASE_BYTES, &len, d);
	if (!src)
		return 1;
	int bad = parse_one(path, name, src, len, out, d);
	free(src);
	return bad;
}

/* The release in src[0..len), named name (checked), into out. */
static int parse_one(const char *path, const char *name, const char *src,
		     size_t len, tc_releases *out, tc_diags *d)
{
	size_t n = strlen(name);
	json_error_t err;
	if (len > TC_MAX_RELEASE_BYTES) {
		tc_diags_add(d, path, 0, 0,
			     "file is larger than %d bytes, the limit for a "
			     "source",
			     TC_MAX_RELEASE_BYTES);
		return 1;
	}
	if (scan_values(path, src, len, d))
		return 1;
	json_t *r = json_loadb(src, len, JSON_REJECT_DUPLICATES, &err);
	if (!r) {
		tc_diags_add(d, path, err.line > 0 ? err.line : 0,
			     err.column > 0 ? err.column : 0,
			     "release is not valid JSON: %s", err.text);
		return 1;
	}
	/* the file's bytes were text, but an escape such as \u0001 decodes
	 * to a control character: check what the pages will show */
	tc_buf where = TC_BUF_INIT;
	unsigned char c;
	int ctl = tc_text_json_scan(r, &where, &c);
	if (ctl)
		tc_diags_add(d, path, 1, 1,
			     "release: \"%s\" holds control character 0x%02x "
			     "(only tab, line feed and carriage return are "
			     "allowed in text)",
			     tc_buf_cstr(&where), c);
	tc_buf_free(&where);
	char *stem = tc_xstrndup(name, n - 5);
	int bad = ctl || check_shape(r, path, stem, d);
	free(stem);
	if (bad) {
		json_decref(r);
		return 1;
	}
	out->v = tc_xrealloc(out->v, (out->n + 1) * sizeof(tc_release));
	tc_release *x = &out->v[out->n];
	memset(x, 0, sizeof *x);
	x->version =
	    tc_xstrdup(json_string_value(json_object_get(r, "version")));
	x->date = tc_xstrdup(json_string_value(json_object_get(r, "date")));
	x->summary =
	    tc_xstrdup(json_string_value(json_object_get(r, "summary")));
	x->file = tc_xstrdup(path);
	x->data = json_incref(json_object_get(r, "data"));
	x->tom = json_incref(json_object_get(r, "tom"));
	/* absent in a release of before the lists were kept: it had none */
	x->subs = json_incref(json_object_get(r, "subprocessors"));
	/* absent in a release of before translations were frozen */
	json_t *trs = json_incref(json_object_get(r, "translations"));
	json_decref(r);
	if (check_values(x, trs, d)) {
		json_decref(trs);
		release_free(x);
		return 1;
	}
	/* the digests are of the toms as published, computed here and never
	 * read from the file, so they cannot disagree with them */
	char *text = tc_export_text(x->tom, &len);
	tc_sha256_hex(text, len, x->sha256);
	free(text);
	const char *lang;
	json_t *v;
	x->tr = tc_xcalloc(json_object_size(trs) + 1, sizeof *x->tr);
	json_object_foreach (trs, lang, v) {
		tc_release_lang *t = &x->tr[x->ntr++];
		t->lang = tc_xstrdup(lang);
		t->data = json_incref(json_object_get(v, "data"));
		t->tom = json_incref(json_object_get(v, "tom"));
		text = tc_export_text(t->tom, &len);
		tc_sha256_hex(text, len, t->sha256);
		free(text);
	}
	json_decref(trs);
	out->n++;
	return 0;
}

int tc_releases_add_mem(tc_releases *out, const char *path, const char *src,
			size_t len, tc_diags *d)
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	const char *why = name_problem(name, strlen(name));
	if (why) {
		tc_diags_add(d, path, 0, 0, "%s", why);
		return 1;
	}
	return parse_one(path, name, src, len, out, d);
}

static int by_date(const void *a, const void *b)
{
	const tc_release *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->version, y->version);
}

int tc_releases_load(const char *content, tc_releases *out, tc_diags *d)
{
	memset(out, 0, sizeof *out);
	tc_buf dir = TC_BUF_INIT;
	tc_buf_printf(&dir, "%s/releases", content);
	struct dirent **list;
	int n = scandir(tc_buf_cstr(&dir), &list, any_entry, alphasort);
	int problems = 0;
	if (n < 0) {
		if (errno != ENOENT) {
			tc_diags_add(d, tc_buf_cstr(&dir), 0, 0,
				     "cannot read folder: %s", strerror(errno));
			problems++;
		}
		tc_buf_free(&dir);
		return problems;
	}
	if (n > TC_MAX_RELEASES) {
		tc_diags_add(d, tc_buf_cstr(&dir), 0, 0,
			     "more than %d files in the folder of releases",
			     TC_MAX_RELEASES);
		problems++;
	}
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", tc_buf_cstr(&dir), list[i]->d_name);
		if (!problems || i < TC_MAX_RELEASES)
			problems += load_one(tc_buf_cstr(&p), list[i]->d_name,
					     out, &total, d);
		tc_buf_free(&p);
		free(list[i]);
	}
	free(list);
	tc_buf_free(&dir);
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, by_date);
	return problems;
}

void tc_releases_free(tc_releases *r)
{
	for (size_t i = 0; i < r->n; i++)
		release_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

const tc_release *tc_releases_find(const tc_releases *r, const char *version)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].version, version))
			return &r->v[i];
	return NULL;
}

const tc_release_lang *tc_release_lang_find(const tc_release *x,
					    const char *lang)
{
	for (size_t i = 0; i < x->ntr; i++)
		if (!strcmp(x->tr[i].lang, lang))
			return &x->tr[i];
	return NULL;
}

/* ---- checks ---- */

/* Adds every measure ID of data to ids (id -> true). */
static void ids_of(json_t *data, json_t *ids)
{
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(data, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, me)
			json_object_set_new(
			    ids, json_string_value(json_object_get(me, "id")),
			    json_true());
}

/* Reports IDs of `now` that an earlier data set had and a later one
 * dropped: removed IDs are never reused. */
static int reused(json_t *removed, json_t *now, const char *file, int line,
		  int col, tc_diags *d)
{
	json_t *ids = json_object();
	ids_of(now, ids);
	int problems = 0;
	const char *id;
	json_t *v;
	json_object_foreach (ids, id, v) {
		const char *when =
		    json_string_value(json_object_get(removed, id));
		if (when) {
			tc_diags_add(d, file, line, col,
				     "measure ID '%s' was removed in release "
				     "%s and must not be used again; give the "
				     "measure a new ID",
				     id, when);
			problems++;
		}
	}
	json_decref(ids);
	return problems;
}

/* Whether the list of a release (tc_release_subs) has subprocessor id. */
static bool lists(json_t *subs, const char *id)
{
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(subs, "list"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "id")), id))
			return true;
	return false;
}

/* Each subprocessor of the content against the releases that list it:
 * the first release that does announced it (the content's own version
 * when none does yet), so its `announced` cannot be earlier and its
 * `since` must be that release's notice period after it. The list of the
 * first release that keeps one is where the history starts: what it holds
 * was announced before, in ways the releases do not know. */
static int sub_history(const tc_releases *r, const tc_model *m, tc_diags *d)
{
	const tc_trust *t = m->trust;
	size_t first = 0;
	while (first < r->n && !r->v[first].subs)
		first++;
	if (!t || first == r->n)
		return 0;
	int problems = 0;
	for (size_t i = 0; i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		size_t k = first;
		while (k < r->n && !lists(r->v[k].subs, s->id))
			k++;
		if (k == first)
			continue;
		const tc_release *x = k < r->n ? &r->v[k] : NULL;
		const char *date = x ? x->date : m->date;
		if (*s->announced && strcmp(s->announced, date) < 0) {
			if (x)
				tc_diags_add(
				    d, t->subs_file, s->announced_line,
				    s->announced_col,
				    "subprocessor '%s' is announced %s, but "
				    "release %s of %s is the first to list "
				    "it (%s is not): announced is %s or later",
				    s->id, s->announced, x->version, date,
				    r->v[k - 1].version, date);
			else
				tc_diags_add(
				    d, t->subs_file, s->announced_line,
				    s->announced_col,
				    "subprocessor '%s' is announced %s, but no "
				    "release lists it (%s is the last): "
				    "version "
				    "%s announces it on %s; give that date or "
				    "leave announced out",
				    s->id, s->announced, r->v[r->n - 1].version,
				    m->version, date);
			problems++;
			continue;
		}
		json_t *nd = x ? json_object_get(x->subs, "notice_days") : NULL;
		long notice =
		    x ? (json_is_integer(nd) ? (long)json_integer_value(nd)
					     : -1)
		      : t->notice_days;
		long days = tc_date_diff(date, s->since);
		/* an addition still to come is trust.c's to check against
		 * the content's date; not twice */
		const char *from = *s->announced ? s->announced : m->date;
		bool reported = tc_date_diff(m->date, s->since) > 0 &&
				t->notice_days >= 0 &&
				tc_date_diff(from, s->since) < t->notice_days;
		if (notice < 0 || days >= notice || reported)
			continue;
		char earliest[11];
		tc_date_add(date, notice, earliest);
		tc_diags_add(
		    d, t->subs_file, s->since_line, s->since_col,
		    "subprocessor '%s' is added on %s, %ld days %s "
		    "%s %s announced it (%s), fewer than its notice "
		    "period of %ld days: since must be %s or later",
		    s->id, s->since, days < 0 ? -days : days,
		    days < 0 ? "before" : "after", x ? "release" : "version",
		    x ? x->version : m->version, date, notice, earliest);
		problems++;
	}
	return problems;
}

int tc_releases_check(const tc_releases *r, const tc_model *m, json_t *data,
		      tc_diags *d)
{
	int problems = 0;
	json_t *removed = json_object(), *prev = json_object();
	for (size_t i = 0; i < r->n; i++) {
		const tc_release *x = &r->v[i];
		if (i && !strcmp(x->version, r->v[i - 1].version)) {
			tc_diags_add(d, x->file, 1, 1,
				     "version %s is released twice (also in "
				     "%s)",
				     x->version, r->v[i - 1].file);
			problems++;
		}
		problems += reused(removed, x->data, x->file, 1, 1, d);
		/* the content's own language is the data set itself */
		if (tc_release_lang_find(x, m->lang)) {
			tc_diags_add(d, x->file, 1, 1,
				     "release: \"translations.%s\" is the "
				     "content's own language (%s's first "
				     "language), whose data set is \"data\"",
				     m->lang, m->site_file);
			problems++;
		}
		/* a release is history: it cannot be dated after the content
		 * that follows it, nor after the content it was made of */
		if (m->date && strcmp(x->date, m->date) > 0) {
			tc_diags_add(d, x->file, 1, 1,
				     "release %s is dated %s, after the "
				     "content's date %s (%s)",
				     x->version, x->date, m->date,
				     m->site_file);
			problems++;
		}
		json_t *ids = json_object();
		ids_of(x->data, ids);
		const char *id;
		json_t *v;
		json_object_foreach (prev, id, v)
			if (!json_object_get(ids, id))
				json_object_set_new(removed, id,
						    json_string(x->version));
		json_decref(prev);
		prev = ids;
	}
	problems += reused(removed, data, m->site_file, m->version_line,
			   m->version_col, d);
	/* the content's version becomes a release's: the same rule as a
	 * release file's name (its characters are the loader's to check) */
	if (tc_text_is_version(m->version) &&
	    !tc_route_version_ok(m->version)) {
		tc_diags_add(d, m->site_file, m->version_line, m->version_col,
			     "version '%s' is the name of a file of the site "
			     "(versions/index.html): choose another",
			     m->version);
		problems++;
	}
	const tc_release *same = tc_releases_find(r, m->version);
	if (same && !json_equal(same->data, data)) {
		tc_diags_add(d, m->site_file, m->version_line, m->version_col,
			     "the content differs from release %s (%s): bump "
			     "the version, then run `tc-gen release`",
			     m->version, same->file);
		problems++;
	} else if (same && same->subs) {
		json_t *subs = tc_release_subs(m);
		if (!json_equal(same->subs, subs)) {
			tc_diags_add(d, m->site_file, m->version_line,
				     m->version_col,
				     "the subprocessors differ from release %s "
				     "(%s): bump the version, then run `tc-gen "
				     "release`",
				     m->version, same->file);
			problems++;
		}
		json_decref(subs);
	}
	problems += sub_history(r, m, d);
	json_decref(prev);
	json_decref(removed);
	return problems;
}

int tc_release_check_lang(const tc_releases *r, const tc_model *m,
			  const char *lang, json_t *tdata, tc_diags *d)
{
	const tc_release *same = tc_releases_find(r, m->version);
	const tc_release_lang *t =
	    same ? tc_release_lang_find(same, lang) : NULL;
	if (!t || json_equal(t->data, tdata))
		return 0;
	tc_diags_add(d, m->site_file, m->version_line, m->version_col,
		     "the translation into %s differs from release %s (%s, "
		     "\"translations.%s\"): bump the version, then run "
		     "`tc-gen release`",
		     lang, m->version, same->file, lang);
	return 1;
}

/* ---- tc-gen release ---- */

int tc_release_write(const char *content, const tc_model *m, json_t *tom,
		     const tc_release_lang *tr, size_t ntr, tc_diags *d)
{
	if (!*m->summary) {
		tc_diags_add(d, m->site_file, m->version_line, m->version_col,
			     "a release needs a summary: add `summary:` to "
			     "site.md, saying what changed in %s",
			     m->version);
		return -1;
	}
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/releases/%s.json", content, m->version);
	struct stat st;
	if (stat(tc_buf_cstr(&p), &st) == 0) {
		tc_diags_add(d, m->site_file, m->version_line, m->version_col,
			     "version %s is already released (%s): bump the "
			     "version in site.md for a new release",
			     m->version, tc_buf_cstr(&p));
		tc_buf_free(&p);
		return -1;
	}
	json_t *r =
	    json_pack("{s:s, s:s, s:s, s:o, s:o}", "version", m->version,
		      "date", m->date, "summary", m->summary, "data",
		      tc_release_data(m), "subprocessors", tc_release_subs(m));
	if (ntr) {
		json_t *trs = json_object();
		for (size_t i = 0; i < ntr; i++)
			json_object_set_new(trs, tr[i].lang,
					    json_pack("{s:O, s:O}", "data",
						      tr[i].data, "tom",
						      tr[i].tom));
		json_object_set_new(r, "translations", trs);
	}
	json_object_set(r, "tom", tom);
	size_t len;
	char *text = tc_export_text(r, &len);
	/* read back as a build reads it: a translation whose marks are not
	 * the original's, or anything else a build would refuse, is reported
	 * and not written */
	tc_releases back = {NULL, 0};
	int rc = -1;
	if (tc_releases_add_mem(&back, tc_buf_cstr(&p), text, len, d) == 0) {
		rc = tc_write_file(tc_buf_cstr(&p), text, len);
		if (rc < 0)
			tc_diags_add(d, tc_buf_cstr(&p), 0, 0,
				     "cannot write: %s", strerror(errno));
	}
	tc_releases_free(&back);
	free(text);
	json_decref(r);
	tc_buf_free(&p);
	return rc;
}
