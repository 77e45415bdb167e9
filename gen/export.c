#include "export.h"

#include <string.h>

#include "../lib/buf.h"

char *tc_category_url(const tc_category *c)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "/categories/%s/", c->id);
	return tc_buf_detach(&b);
}

static json_t *scope_json(const tc_scope *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "name",
			      s->name, "kind", tc_scope_kind_id(s->kind),
			      "description", s->description);
	if (s->kind == SK_PRODUCT) {
		json_object_set_new(o, "managed", json_boolean(s->managed));
		tc_buf u = TC_BUF_INIT;
		tc_buf_printf(&u, "/products/%s/", s->id);
		json_object_set_new(o, "url", json_string(tc_buf_cstr(&u)));
		tc_buf_free(&u);
	}
	return o;
}

/* Cells repeat ("✓" with no note, over and over): equal cells share one
 * immutable object, which the export references from every measure that
 * has it. On a big site this is most of the memory the export would take. */
static json_t *cell_json(json_t *interned, const tc_cell *cell)
{
	tc_buf key = TC_BUF_INIT;
	tc_buf_puts(&key, tc_status_id(cell->status));
	tc_buf_putc(&key, '\x1f');
	tc_buf_puts(&key, cell->label);
	tc_buf_putc(&key, '\x1f');
	tc_buf_puts(&key, cell->note);
	json_t *o = json_object_get(interned, tc_buf_cstr(&key));
	if (!o) {
		o = json_pack("{s:s, s:s, s:s}", "status",
			      tc_status_id(cell->status), "label", cell->label,
			      "note", cell->note);
		json_object_set_new(interned, tc_buf_cstr(&key), o);
	}
	tc_buf_free(&key);
	return json_incref(o);
}

static json_t *measure_json(const tc_model *m, const tc_category *c,
			    const tc_measure *me, const char *curl,
			    json_t *interned)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_printf(&u, "%s#%s", curl, me->id);
	json_t *cells = json_object();
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++)
		json_object_set_new(cells, m->scopes[t->scopes[i]].id,
				    cell_json(interned, &me->cells[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:o}", "id", me->id, "text",
			      me->text, "url", tc_buf_cstr(&u), "client_duty",
			      me->client_duty, "cells", cells);
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
		json_array_append_new(scopes, scope_json(&m->scopes[i]));
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		char *url = tc_category_url(c);
		json_t *ms = json_array();
		for (size_t k = 0; k < c->nmeasures; k++)
			json_array_append_new(
			    ms,
			    measure_json(m, c, &c->measures[k], url, interned));
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

json_t *tc_export_json(const tc_model *m)
{
	json_t *doc = export_json(m);
	if (complete(m, doc))
		return doc;
	json_decref(doc);
	return NULL;
}

char *tc_export_text(json_t *v, size_t *len)
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
