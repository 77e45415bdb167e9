#include "release.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/sha256.h"
#include "../lib/text.h"
#include "export.h"
#include "limits.h"
#include "source.h"

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

/* ---- loading ---- */

static int json_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return e->d_name[0] != '.' && n > 5 &&
	       !strcmp(e->d_name + n - 5, ".json");
}

/* Checks the shape of one release; reports at the file (jansson keeps no
 * positions of values, so the file is the position). */
static int check_shape(json_t *r, const char *path, const char *stem,
		       tc_diags *d)
{
	const char *v = json_string_value(json_object_get(r, "version"));
	const char *date = json_string_value(json_object_get(r, "date"));
	json_t *data = json_object_get(r, "data"),
	       *tom = json_object_get(r, "tom");
	const char *why = NULL;
	if (!json_is_object(r))
		why = "a release is a JSON object";
	else if (!v || strcmp(v, stem) != 0)
		why = "\"version\" must be the file's name without .json";
	else if (!tc_text_is_version(v))
		why = "the version (the file's name) must be 1 to 40 letters, "
		      "digits, '.', '-' and '_', starting with a letter or "
		      "digit (it is part of URLs)";
	else if (!tc_text_is_date(date))
		why = "\"date\" must be a date of the form YYYY-MM-DD";
	else if (!json_is_string(json_object_get(r, "summary")))
		why = "\"summary\" must be a string";
	else if (!json_is_array(json_object_get(data, "scopes")) ||
		 !json_is_array(json_object_get(data, "categories")))
		why = "\"data\" must hold \"scopes\" and \"categories\"";
	else if (!json_is_object(tom))
		why = "\"tom\" must be the published api/tom.json";
	if (why)
		tc_diags_add(d, path, 1, 1, "release: %s", why);
	return why != NULL;
}

static int load_one(const char *path, const char *name, tc_releases *out,
		    tc_diags *d)
{
	json_error_t err;
	size_t len;
	/* a source like the others: bounded, regular, UTF-8 text */
	char *src = tc_source_read(path, TC_MAX_RELEASE_BYTES, &len, d);
	if (!src)
		return 1;
	json_t *r = json_loadb(src, len, JSON_REJECT_DUPLICATES, &err);
	free(src);
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
	if (ctl) {
		json_decref(r);
		return 1;
	}
	char *stem = strndup(name, strlen(name) - 5);
	int bad = check_shape(r, path, stem, d);
	free(stem);
	if (bad) {
		json_decref(r);
		return 1;
	}
	out->v = tc_xrealloc(out->v, (out->n + 1) * sizeof(tc_release));
	tc_release *x = &out->v[out->n++];
	memset(x, 0, sizeof *x);
	x->version =
	    tc_xstrdup(json_string_value(json_object_get(r, "version")));
	x->date = tc_xstrdup(json_string_value(json_object_get(r, "date")));
	x->summary =
	    tc_xstrdup(json_string_value(json_object_get(r, "summary")));
	x->file = tc_xstrdup(path);
	x->data = json_incref(json_object_get(r, "data"));
	x->tom = json_incref(json_object_get(r, "tom"));
	char *text = tc_export_text(x->tom, &len);
	tc_sha256_hex(text, len, x->sha256);
	free(text);
	json_decref(r);
	return 0;
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
	int n = scandir(tc_buf_cstr(&dir), &list, json_file, alphasort);
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
	for (int i = 0; i < n; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", tc_buf_cstr(&dir), list[i]->d_name);
		problems += load_one(tc_buf_cstr(&p), list[i]->d_name, out, d);
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
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].version);
		free(r->v[i].date);
		free(r->v[i].summary);
		free(r->v[i].file);
		json_decref(r->v[i].data);
		json_decref(r->v[i].tom);
	}
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

static const char *str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A release's published api/tom.json must say what its data set says:
 * the old annex is drawn from the data, the download is the tom, and a
 * hand-edited file would make them disagree about a (measure, scope). */
/* The same cells with the same meaning and label (notes differ in form:
 * the download's links carry the site's base URL). */
static bool same_cells(json_t *a, json_t *b)
{
	const char *k;
	json_t *x;
	if (json_object_size(a) != json_object_size(b))
		return false;
	json_object_foreach (a, k, x) {
		json_t *y = json_object_get(b, k);
		static const char *f[] = {"status", "responsibility", "label"};
		for (size_t i = 0; i < 3; i++)
			if (!y || strcmp(str_of(x, f[i]), str_of(y, f[i])))
				return false;
	}
	return true;
}

static int tom_agrees(const tc_release *x, tc_diags *d)
{
	json_t *tc = json_object_get(x->tom, "categories"),
	       *dc = json_object_get(x->data, "categories");
	const char *why = NULL, *id = NULL;
	if (strcmp(str_of(x->tom, "version"), x->version) ||
	    strcmp(str_of(x->tom, "date"), x->date))
		why = "its version or date differ from the release's";
	else if (json_array_size(tc) != json_array_size(dc))
		why = "it has other categories than the data set";
	for (size_t i = 0; !why && i < json_array_size(dc); i++) {
		json_t *tm = json_object_get(json_array_get(tc, i), "measures"),
		       *dm = json_object_get(json_array_get(dc, i), "measures");
		if (json_array_size(tm) != json_array_size(dm))
			why = "it has other measures than the data set";
		for (size_t k = 0; !why && k < json_array_size(dm); k++) {
			json_t *a = json_array_get(tm, k),
			       *b = json_array_get(dm, k);
			if (strcmp(str_of(a, "id"), str_of(b, "id")) ||
			    !same_cells(json_object_get(a, "cells"),
					json_object_get(b, "cells"))) {
				why = "the cells of a measure differ from the "
				      "data set's";
				id = str_of(b, "id");
			}
		}
	}
	if (!why)
		return 0;
	tc_diags_add(d, x->file, 1, 1,
		     "release: \"tom\" is not the published form of its "
		     "data set: %s%s%s%s",
		     why, id ? " (" : "", id ? id : "", id ? ")" : "");
	return 1;
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
		problems += tom_agrees(x, d);
		/* a release is history: it cannot be dated after the content
		 * that follows it */
		if (strcmp(x->version, m->version) && m->date &&
		    strcmp(x->date, m->date) > 0) {
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
	const tc_release *same = tc_releases_find(r, m->version);
	if (same && !json_equal(same->data, data)) {
		tc_diags_add(d, m->site_file, m->version_line, m->version_col,
			     "the content differs from release %s (%s): bump "
			     "the version, then run `tc-gen release`",
			     m->version, same->file);
		problems++;
	}
	json_decref(prev);
	json_decref(removed);
	return problems;
}

/* ---- tc-gen release ---- */

int tc_release_write(const char *content, const tc_model *m, json_t *tom,
		     tc_diags *d)
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
	json_t *r = json_pack(
	    "{s:s, s:s, s:s, s:o, s:O}", "version", m->version, "date", m->date,
	    "summary", m->summary, "data", tc_release_data(m), "tom", tom);
	size_t len;
	char *text = tc_export_text(r, &len);
	int rc = tc_write_file(tc_buf_cstr(&p), text, len);
	if (rc < 0)
		tc_diags_add(d, tc_buf_cstr(&p), 0, 0, "cannot write: %s",
			     strerror(errno));
	free(text);
	json_decref(r);
	tc_buf_free(&p);
	return rc;
}
