#include "export.h"

#include <string.h>

#include "../lib/buf.h"
#include "../lib/routes.h"

static json_t *scope_json(const tc_scope *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "name",
			      s->name, "kind", tc_scope_kind_id(s->kind),
			      "description", s->description);
	if (s->kind == SK_PRODUCT) {
		json_object_set_new(o, "managed", json_boolean(s->managed));
		char *u = tc_route_urldup(R_PRODUCT, s->id, NULL);
		json_object_set_new(o, "url", json_string(u));
		free(u);
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

static json_t *measure_json(const tc_model *m, const tc_category *c,
			    const tc_measure *me, json_t *interned)
{
	tc_buf u = TC_BUF_INIT;
	tc_route_measure_url(&u, c->id, me->id);
	json_t *cells = json_object();
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++)
		json_object_set_new(cells, m->scopes[t->scopes[i]].id,
				    cell_json(interned, &me->cells[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:o}", "id", me->id,
			      "text", me->text_data, "url", tc_buf_cstr(&u),
			      "client_duty", me->client_duty, "table",
			      tc_table_kind(t), "cells", cells);
	tc_buf_free(&u);
	return o;
}

json_t *tc_export_json(const tc_model *m)
{
	json_t *scopes = json_array(), *cats = json_array();
	json_t *interned = json_object();
	for (size_t i = 0; i < m->nscopes; i++)
		json_array_append_new(scopes, scope_json(&m->scopes[i]));
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		char *url = tc_route_urldup(R_CATEGORY, c->id, NULL);
		json_t *ms = json_array();
		for (size_t k = 0; k < c->nmeasures; k++)
			json_array_append_new(
			    ms,
			    measure_json(m, c, &c->measures[k], interned));
		json_array_append_new(cats,
				      json_pack("{s:s, s:s, s:s, s:s, s:o}",
						"id", c->id, "title", c->title,
						"description", c->description,
						"url", url, "measures", ms));
		free(url);
	}
	json_decref(interned);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o}",
			 "schema_version", TC_SCHEMA_VERSION, "organisation",
			 m->organisation, "title", m->title, "version",
			 m->version, "date", m->date, "scopes", scopes,
			 "categories", cats);
}

char *tc_export_text(json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	size_t n = strlen(s);
	s = tc_xrealloc(s, n + 2);
	s[n] = '\n';
	s[n + 1] = '\0';
	*len = n + 1;
	return s;
}
