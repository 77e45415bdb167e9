#include "export.h"

#include <string.h>

#include "../lib/buf.h"
#include "../lib/escape.h"
#include "../lib/routes.h"

/* Absolute URLs: a download is read in a GRC tool or a spreadsheet, far
 * from the site, where "/categories/..." leads nowhere. base_url is "" when
 * site.md has none, and the URLs stay paths. */
static json_t *abs_url(const tc_model *m, tc_route r, const char *a)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_url(&u, r, a, NULL);
	json_t *s = json_string(tc_buf_cstr(&u));
	tc_buf_free(&u);
	return s;
}

char *tc_export_schema_url(const tc_model *m, const char *name)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_url(&u, R_SCHEMA, name, NULL);
	return tc_buf_detach(&u);
}

static json_t *scope_json(const tc_model *m, const tc_scope *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "name",
			      s->name, "kind", tc_scope_kind_id(s->kind),
			      "description", s->description);
	if (s->kind == SK_PRODUCT) {
		json_object_set_new(o, "managed", json_boolean(s->managed));
		json_object_set_new(o, "url", abs_url(m, R_PRODUCT, s->id));
	}
	return o;
}

/* Cells repeat ("✓" with no note, over and over): equal cells share one
 * immutable object, which the export references from every measure that
 * has it. On a big site this is most of the memory the export would take. */
static json_t *cell_json(json_t *interned, const tc_cell *cell)
{
	tc_buf key = TC_BUF_INIT;
	tc_buf_printf(&key, "%d\x1f%d\x1f%s\x1f%s", (int)cell->status,
		      (int)cell->resp, cell->label, cell->note_data);
	json_t *o = json_object_get(interned, tc_buf_cstr(&key));
	if (!o) {
		o = json_pack("{s:s, s:s, s:s, s:s}", "status",
			      tc_status_id(cell->status), "responsibility",
			      tc_resp_id(cell->resp), "label", cell->label,
			      "note", cell->note_data);
		json_object_set_new(interned, tc_buf_cstr(&key), o);
	}
	tc_buf_free(&key);
	return json_incref(o);
}

json_t *tc_export_mappings(const tc_measure *me)
{
	json_t *o = json_object();
	for (size_t i = 0; i < me->nmaps; i++) {
		json_t *a = json_array();
		for (size_t k = 0; k < me->maps[i].ncontrols; k++)
			json_array_append_new(
			    a, json_string(me->maps[i].controls[k]));
		json_object_set_new(o, me->maps[i].framework, a);
	}
	return o;
}

static json_t *measure_json(const tc_model *m, const tc_category *c,
			    const tc_measure *me, json_t *interned)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_measure_url(&u, c->id, me->id);
	json_t *cells = json_object();
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++)
		json_object_set_new(cells, m->scopes[t->scopes[i]].id,
				    cell_json(interned, &me->cells[i]));
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:o}", "id", me->id,
		      "text", me->text_data, "url", tc_buf_cstr(&u),
		      "client_duty", me->client_duty, "table", tc_table_kind(t),
		      "mappings", tc_export_mappings(me), "cells", cells);
	tc_buf_free(&u);
	return o;
}

/* jansson answers NULL for text it refuses and drops a NULL it is given to
 * append or set without a word; one dropped category shifts every index
 * the site's views use (a blank page, or a NULL cell and a crash). Content
 * is checked text (source.c), so this never fails; if it ever does, the
 * export is refused whole rather than published with holes. */
static int complete(const tc_model *m, json_t *doc)
{
	json_t *cats = json_object_get(doc, "categories");
	if (!doc ||
	    json_array_size(json_object_get(doc, "scopes")) != m->nscopes ||
	    json_array_size(cats) != m->ncategories)
		return 0;
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		json_t *ms =
		    json_object_get(json_array_get(cats, i), "measures");
		if (json_array_size(ms) != c->nmeasures)
			return 0;
		for (size_t k = 0; k < c->nmeasures; k++)
			if (json_object_size(json_object_get(
				json_array_get(ms, k), "cells")) !=
			    c->tables[c->measures[k].table].nscopes)
				return 0;
	}
	return 1;
}

static json_t *export_json(const tc_model *m)
{
	json_t *scopes = json_array(), *cats = json_array();
	json_t *interned = json_object();
	for (size_t i = 0; i < m->nscopes; i++)
		json_array_append_new(scopes, scope_json(m, &m->scopes[i]));
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		json_t *ms = json_array();
		for (size_t k = 0; k < c->nmeasures; k++)
			json_array_append_new(
			    ms, measure_json(m, c, &c->measures[k], interned));
		json_array_append_new(
		    cats,
		    json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", c->id, "title",
			      c->title, "description", c->description, "url",
			      abs_url(m, R_CATEGORY, c->id), "measures", ms));
	}
	json_decref(interned);
	char *schema = tc_export_schema_url(m, "tom");
	json_t *doc =
	    json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
		      "$schema", schema, "schema_version", TC_SCHEMA_VERSION,
		      "organisation", m->organisation, "title", m->title,
		      "version", m->version, "date", m->date, "base_url",
		      m->base_url, "scopes", scopes, "categories", cats);
	free(schema);
	return doc;
}

json_t *tc_export_json(const tc_model *m)
{
	json_t *doc = export_json(m);
	if (complete(m, doc))
		return doc;
	json_decref(doc);
	return NULL;
}

/* ---- the published text ---- */

/* jansson's json_dumps checks every container for loops by formatting its
 * address and hashing it, and copies the text once more to add our final
 * newline: at 200,000 cells that was a seventh of the build. dump writes
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

static int dump_string(tc_buf *b, const char *s, size_t n)
{
	if (!tc_utf8_valid(s, n))
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

/* What jansson writes, for what dump leaves to it. */
static char *jansson_text(json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!s) {
		*len = 0;
		return NULL;
	}
	size_t n = strlen(s);
	s = tc_xrealloc(s, n + 2);
	s[n] = '\n';
	s[n + 1] = '\0';
	*len = n + 1;
	return s;
}

char *tc_export_text(json_t *v, size_t *len)
{
	tc_buf b = TC_BUF_INIT;
	if (!v || dump(&b, v, 0) < 0) {
		tc_buf_free(&b);
		return v ? jansson_text(v, len) : (*len = 0, NULL);
	}
	tc_buf_putc(&b, '\n');
	*len = b.len;
	return tc_buf_detach(&b);
}
