#include "export.h"

#include <string.h>

#include "../lib/buf.h"
#include "../lib/routes.h"
#include "../lib/tomdata.h"

/* Absolute URLs: a download is read in a GRC tool or a spreadsheet, far
 * from the site, where "/categories/..." leads nowhere. base_url is "" when
 * site.md has none, and the URLs stay paths. */
static json_t *abs_url(const tc_model *m, const tc_lang *l, tc_route r,
		       const char *a)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_url(&u, l, r, a, NULL);
	json_t *s = json_string(tc_buf_cstr(&u));
	tc_buf_free(&u);
	return s;
}

char *tc_export_schema_url(const tc_model *m, const char *name)
{
	return tc_model_schema_url(m, name);
}

static json_t *scope_json(const tc_model *m, const tc_lang *l,
			  const tc_scope *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "name",
			      s->name, "kind", tc_scope_kind_id(s->kind),
			      "description", s->description);
	if (s->kind == SK_PRODUCT) {
		json_object_set_new(o, "managed", json_boolean(s->managed));
		json_object_set_new(o, "url", abs_url(m, l, R_PRODUCT, s->id));
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

static json_t *measure_json(const tc_model *m, const tc_lang *l,
			    const tc_category *c, const tc_measure *me,
			    json_t *interned)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_measure_url(&u, l, c->id, me->id);
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

static json_t *export_json(const tc_model *m, const tc_lang *l)
{
	json_t *scopes = json_array(), *cats = json_array();
	json_t *interned = json_object();
	for (size_t i = 0; i < m->nscopes; i++)
		json_array_append_new(scopes, scope_json(m, l, &m->scopes[i]));
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		json_t *ms = json_array();
		for (size_t k = 0; k < c->nmeasures; k++)
			json_array_append_new(
			    ms,
			    measure_json(m, l, c, &c->measures[k], interned));
		json_array_append_new(
		    cats,
		    json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", c->id, "title",
			      c->title, "description", c->description, "url",
			      abs_url(m, l, R_CATEGORY, c->id), "measures",
			      ms));
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

json_t *tc_export_json(const tc_model *m, const tc_lang *l)
{
	json_t *doc = export_json(m, l);
	if (complete(m, doc))
		return doc;
	json_decref(doc);
	return NULL;
}

/* ---- the published text ---- */

/* What jansson writes, with the final newline. */
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
	return v ? jansson_text(v, len) : (*len = 0, NULL);
}

char *tc_export_model_text(const tc_model *m, const tc_lang *l, size_t *len)
{
	tc_buf b = TC_BUF_INIT;
	tc_pick *all = tc_pick_all(m);
	tc_model_write(m, all, l, &b);
	tc_pick_free(all);
	*len = b.len;
	return tc_buf_detach(&b);
}
