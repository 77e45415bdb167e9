/* modelwrite.c: the selection a download keeps (tc_pick) and the JSON and
 * CSV writers over a model and a selection (lib/model.h). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "lang.h"
#include "routes.h"

typedef enum { F_NONE, F_FILTER, F_PRODUCTS } filter_kind;

struct tc_pick {
	const tc_model *m;
	unsigned char *scope, *cat, *measure, *cell;
	size_t *first;   /* per category: its measure 0's number; [nc]: all */
	size_t *cell_at; /* per measure number: its cell 0's place in cell */
	size_t ncells;
	filter_kind fk;
	/* the filters given, as "filter" records them (NULL: not given) */
	char *product, *category, *status, *resp, *q;
	char *products;
};

static char *dup(const char *s)
{
	return s ? tc_xstrdup(s) : NULL;
}

/* A selection of nothing, its places counted. */
static tc_pick *pick_new(const tc_model *m)
{
	tc_pick *p = tc_xcalloc(1, sizeof *p);
	p->m = m;
	p->first = tc_xcalloc(m->ncategories + 1, sizeof(size_t));
	size_t nm = 0;
	for (size_t c = 0; c < m->ncategories; c++) {
		p->first[c] = nm;
		nm += m->categories[c].nmeasures;
	}
	p->first[m->ncategories] = nm;
	p->cell_at = tc_xcalloc(nm + 1, sizeof(size_t));
	size_t at = 0, n = 0;
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *k = &m->categories[c];
		for (size_t i = 0; i < k->nmeasures; i++) {
			p->cell_at[n++] = at;
			at += k->tables[k->measures[i].table].nscopes;
		}
	}
	p->cell_at[nm] = at;
	p->ncells = at;
	p->scope = tc_xcalloc(m->nscopes + 1, 1);
	p->cat = tc_xcalloc(m->ncategories + 1, 1);
	p->measure = tc_xcalloc(nm + 1, 1);
	p->cell = tc_xcalloc(at + 1, 1);
	return p;
}

/* The measures, categories and scopes that the kept cells make. */
static void settle(tc_pick *p)
{
	const tc_model *m = p->m;
	memset(p->scope, 0, m->nscopes);
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *k = &m->categories[c];
		p->cat[c] = 0;
		for (size_t i = 0; i < k->nmeasures; i++) {
			size_t n = p->first[c] + i;
			const tc_table *t = &k->tables[k->measures[i].table];
			const unsigned char *cell = p->cell + p->cell_at[n];
			p->measure[n] = 0;
			for (size_t j = 0; j < t->nscopes; j++)
				if (cell[j]) {
					p->measure[n] = 1;
					p->scope[t->scopes[j]] = 1;
				}
			p->cat[c] |= p->measure[n];
		}
	}
}

tc_pick *tc_pick_all(const tc_model *m)
{
	tc_pick *p = pick_new(m);
	memset(p->cell, 1, p->ncells);
	settle(p);
	return p;
}

/* Whether a cell passes the status and responsibility filters. */
static bool passes(const tc_cell *x, const char *status, const char *resp)
{
	if (status && strcmp(tc_status_id(x->status), status) != 0)
		return false;
	return !resp || tc_tom_list_has(resp, tc_resp_id(x->resp));
}

/* lib/tomdata.c's cells_of over a measure: its kept cells into keep. */
static void cells_of(const tc_model *m, const tc_category *k,
		     const tc_measure *me, bool product, size_t ps,
		     const char *status, const char *resp, unsigned char *keep)
{
	const tc_table *t = &k->tables[me->table];
	if (product && !tc_measure_answer(m, k, me, ps).concerns)
		return;
	bool answer = false;
	for (size_t j = 0; j < t->nscopes; j++) {
		tc_cell_role role =
		    product ? tc_cell_role_of(m->scopes[t->scopes[j]].kind,
					      t->scopes[j] == ps)
			    : CR_EVERY;
		/* another product's cell says nothing for this one; an
		 * internal one is shown, never selected as an answer */
		if (role == CR_OTHER ||
		    (role == CR_INTERNAL && (status || resp)))
			continue;
		if (role != CR_INTERNAL && !passes(&me->cells[j], status, resp))
			continue;
		keep[j] = 1;
		answer |= role != CR_INTERNAL;
	}
	/* internal cells alone are no answer */
	if (product && !answer)
		memset(keep, 0, t->nscopes);
}

/* The index of scope id, or SIZE_MAX. */
static size_t scope_index(const tc_model *m, const char *id)
{
	for (size_t i = 0; i < m->nscopes; i++)
		if (!strcmp(m->scopes[i].id, id))
			return i;
	return (size_t)-1;
}

tc_pick *tc_pick_filter(const tc_model *m, const char *product,
			const char *category, const char *status,
			const char *resp)
{
	tc_pick *p = pick_new(m);
	size_t ps = product ? scope_index(m, product) : (size_t)-1;
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *k = &m->categories[c];
		if (category && strcmp(k->id, category) != 0)
			continue;
		for (size_t i = 0; i < k->nmeasures; i++) {
			size_t n = p->first[c] + i;
			cells_of(m, k, &k->measures[i], product != NULL, ps,
				 status, resp, p->cell + p->cell_at[n]);
		}
	}
	settle(p);
	if (product || category || status || resp) {
		p->fk = F_FILTER;
		p->product = dup(product);
		p->category = dup(category);
		p->status = dup(status);
		p->resp = dup(resp);
	}
	return p;
}

tc_pick *tc_pick_products(const tc_model *m, const char *products,
			  const char *resp)
{
	tc_pick *p = pick_new(m);
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *k = &m->categories[c];
		for (size_t i = 0; i < k->nmeasures; i++) {
			const tc_measure *me = &k->measures[i];
			const tc_table *t = &k->tables[me->table];
			unsigned char *keep =
			    p->cell + p->cell_at[p->first[c] + i];
			bool answer = false;
			for (size_t j = 0; j < t->nscopes; j++) {
				const tc_scope *s = &m->scopes[t->scopes[j]];
				tc_cell_role role = tc_cell_role_of(
				    s->kind, tc_tom_list_has(products, s->id));
				if (role == CR_OTHER ||
				    (role == CR_INTERNAL && resp))
					continue;
				if (role != CR_INTERNAL &&
				    !passes(&me->cells[j], NULL, resp))
					continue;
				answer |= role != CR_INTERNAL;
				keep[j] = 1;
			}
			if (!answer)
				memset(keep, 0, t->nscopes);
		}
	}
	settle(p);
	p->fk = F_PRODUCTS;
	p->products = dup(products ? products : "");
	p->resp = dup(resp);
	return p;
}

void tc_pick_only(tc_pick *p, const unsigned char *keep, const char *q)
{
	size_t nm = p->first[p->m->ncategories];
	for (size_t n = 0; n < nm; n++)
		if (!keep[n])
			memset(p->cell + p->cell_at[n], 0,
			       p->cell_at[n + 1] - p->cell_at[n]);
	settle(p);
	if (q) {
		if (p->fk == F_NONE)
			p->fk = F_FILTER;
		free(p->q);
		p->q = tc_xstrdup(q);
	}
}

void tc_pick_free(tc_pick *p)
{
	if (!p)
		return;
	free(p->scope);
	free(p->cat);
	free(p->measure);
	free(p->cell);
	free(p->first);
	free(p->cell_at);
	free(p->product);
	free(p->category);
	free(p->status);
	free(p->resp);
	free(p->q);
	free(p->products);
	free(p);
}

bool tc_pick_scope(const tc_pick *p, size_t s)
{
	return s < p->m->nscopes && p->scope[s];
}

bool tc_pick_category(const tc_pick *p, size_t c)
{
	return c < p->m->ncategories && p->cat[c];
}

bool tc_pick_measure(const tc_pick *p, size_t c, size_t k)
{
	return c < p->m->ncategories && k < p->m->categories[c].nmeasures &&
	       p->measure[p->first[c] + k];
}

bool tc_pick_cell(const tc_pick *p, size_t c, size_t k, size_t j)
{
	if (!tc_pick_measure(p, c, k))
		return false;
	size_t n = p->first[c] + k;
	return j < p->cell_at[n + 1] - p->cell_at[n] &&
	       p->cell[p->cell_at[n] + j];
}

size_t tc_pick_first(const tc_pick *p, size_t c)
{
	return p->first[c];
}

bool tc_pick_empty(const tc_pick *p)
{
	for (size_t c = 0; c < p->m->ncategories; c++)
		if (p->cat[c])
			return false;
	return true;
}

const char *tc_pick_filter_get(const tc_pick *p, const char *key)
{
	return !strcmp(key, "product")          ? p->product
	       : !strcmp(key, "category")       ? p->category
	       : !strcmp(key, "status")         ? p->status
	       : !strcmp(key, "responsibility") ? p->resp
	       : !strcmp(key, "q")              ? p->q
						: NULL;
}

/* ---- JSON: what tc_tom_dump wrote, jansson's JSON_INDENT(1) ---- */

/* Where the writers below put JSON: b, indented by one as jansson's
 * JSON_INDENT(1) writes it (the files), or compact as its JSON_COMPACT
 * (what the search index stores): no newlines and indentation, no space
 * after a key's colon. */
typedef struct jout {
	tc_buf *b;
	bool compact;
} jout;

static void indent(jout *o, int depth)
{
	static const char sp[] = "                                ";
	if (o->compact)
		return;
	tc_buf_putc(o->b, '\n');
	for (size_t n = (size_t)depth, k; n; n -= k) {
		k = n < sizeof sp - 1 ? n : sizeof sp - 1;
		tc_buf_put(o->b, sp, k);
	}
}

static void str(tc_buf *b, const char *s)
{
	tc_buf_putc(b, '"');
	tc_esc_json(b, s ? s : "", s ? strlen(s) : 0);
	tc_buf_putc(b, '"');
}

/* A member's key at depth: the comma before it unless *first. */
static void key(jout *o, int depth, bool *first, const char *k)
{
	if (!*first)
		tc_buf_putc(o->b, ',');
	*first = false;
	indent(o, depth);
	str(o->b, k);
	tc_buf_put(o->b, ": ", o->compact ? 1 : 2);
}

static void skey(jout *o, int depth, bool *first, const char *k, const char *v)
{
	key(o, depth, first, k);
	str(o->b, v);
}

/* The end of a container opened at depth: on its own line when it had
 * members. */
static void end_of(jout *o, int depth, bool first, char end)
{
	if (!first)
		indent(o, depth);
	tc_buf_putc(o->b, end);
}

static void url(jout *o, const tc_model *m, const tc_lang *l, tc_route r,
		const char *a)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_url(&u, l, r, a, NULL);
	str(o->b, tc_buf_cstr(&u));
	tc_buf_free(&u);
}

static void scope_json(jout *o, const tc_model *m, const tc_lang *l,
		       const tc_scope *s)
{
	bool f = true;
	tc_buf_putc(o->b, '{');
	skey(o, 3, &f, "id", s->id);
	skey(o, 3, &f, "name", s->name);
	skey(o, 3, &f, "kind", tc_scope_kind_id(s->kind));
	skey(o, 3, &f, "description", s->description);
	if (s->kind == SK_PRODUCT) {
		key(o, 3, &f, "managed");
		tc_buf_puts(o->b, s->managed ? "true" : "false");
		key(o, 3, &f, "url");
		url(o, m, l, R_PRODUCT, s->id);
	}
	end_of(o, 2, f, '}');
}

static void mappings_json(jout *o, const tc_measure *me, int depth)
{
	bool f = true;
	tc_buf_putc(o->b, '{');
	for (size_t i = 0; i < me->nmaps; i++) {
		key(o, depth + 1, &f, me->maps[i].framework);
		bool g = true;
		tc_buf_putc(o->b, '[');
		for (size_t k = 0; k < me->maps[i].ncontrols; k++) {
			if (!g)
				tc_buf_putc(o->b, ',');
			g = false;
			indent(o, depth + 2);
			str(o->b, me->maps[i].controls[k]);
		}
		end_of(o, depth + 1, g, ']');
	}
	end_of(o, depth, f, '}');
}

/* cells_at (NULL: not asked): where the members of "cells" begin in b */
static void measure_json(jout *o, const tc_model *m, const tc_pick *p,
			 const tc_lang *l, size_t c, size_t k, size_t *cells_at)
{
	const tc_category *cat = &m->categories[c];
	const tc_measure *me = &cat->measures[k];
	const tc_table *t = &cat->tables[me->table];
	const unsigned char *keep = p->cell + p->cell_at[p->first[c] + k];
	bool f = true;
	tc_buf_putc(o->b, '{');
	skey(o, 5, &f, "id", me->id);
	skey(o, 5, &f, "text", me->text_data);
	key(o, 5, &f, "url");
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_measure_url(&u, l, cat->id, me->id);
	str(o->b, tc_buf_cstr(&u));
	tc_buf_free(&u);
	key(o, 5, &f, "client_duty");
	tc_buf_puts(o->b, me->client_duty ? "true" : "false");
	skey(o, 5, &f, "table", tc_table_kind(t));
	key(o, 5, &f, "mappings");
	mappings_json(o, me, 5);
	key(o, 5, &f, "cells");
	bool g = true;
	tc_buf_putc(o->b, '{');
	if (cells_at)
		*cells_at = o->b->len;
	for (size_t j = 0; j < t->nscopes; j++) {
		if (!keep[j])
			continue;
		const tc_cell *x = &me->cells[j];
		key(o, 6, &g, m->scopes[t->scopes[j]].id);
		bool h = true;
		tc_buf_putc(o->b, '{');
		skey(o, 7, &h, "status", tc_status_id(x->status));
		skey(o, 7, &h, "responsibility", tc_resp_id(x->resp));
		skey(o, 7, &h, "label", x->label);
		skey(o, 7, &h, "note", x->note_data);
		end_of(o, 6, h, '}');
	}
	end_of(o, 5, g, '}');
	end_of(o, 4, f, '}');
}

static void filter_json(jout *o, const tc_model *m, const tc_pick *p)
{
	bool f = true;
	tc_buf_putc(o->b, '{');
	if (p->fk == F_PRODUCTS) {
		key(o, 2, &f, "products");
		bool g = true;
		tc_buf_putc(o->b, '[');
		for (size_t i = 0; i < m->nscopes; i++) {
			if (!tc_tom_list_has(p->products, m->scopes[i].id))
				continue;
			if (!g)
				tc_buf_putc(o->b, ',');
			g = false;
			indent(o, 3);
			str(o->b, m->scopes[i].id);
		}
		end_of(o, 2, g, ']');
	}
	if (p->product)
		skey(o, 2, &f, "product", p->product);
	if (p->category)
		skey(o, 2, &f, "category", p->category);
	if (p->status)
		skey(o, 2, &f, "status", p->status);
	if (p->resp)
		skey(o, 2, &f, "responsibility", p->resp);
	if (p->q)
		skey(o, 2, &f, "q", p->q);
	end_of(o, 1, f, '}');
}

char *tc_model_schema_url(const tc_model *m, const char *name)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	/* neutral: the same URL in every language */
	tc_route_url(&u, tc_lang_default(), R_SCHEMA, name, NULL);
	return tc_buf_detach(&u);
}

static void write_all(jout *o, const tc_model *m, const tc_pick *p,
		      const tc_lang *l)
{
	bool f = true, g;
	tc_buf_putc(o->b, '{');
	char *schema = tc_model_schema_url(m, "tom");
	skey(o, 1, &f, "$schema", schema);
	free(schema);
	key(o, 1, &f, "schema_version");
	tc_buf_printf(o->b, "%d", TC_SCHEMA_VERSION);
	skey(o, 1, &f, "organisation", m->organisation);
	skey(o, 1, &f, "title", m->title);
	skey(o, 1, &f, "version", m->version);
	skey(o, 1, &f, "date", m->date);
	skey(o, 1, &f, "base_url", m->base_url);
	key(o, 1, &f, "scopes");
	g = true;
	tc_buf_putc(o->b, '[');
	for (size_t i = 0; i < m->nscopes; i++) {
		if (!p->scope[i])
			continue;
		if (!g)
			tc_buf_putc(o->b, ',');
		g = false;
		indent(o, 2);
		scope_json(o, m, l, &m->scopes[i]);
	}
	end_of(o, 1, g, ']');
	key(o, 1, &f, "categories");
	g = true;
	tc_buf_putc(o->b, '[');
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *k = &m->categories[c];
		if (!p->cat[c])
			continue;
		if (!g)
			tc_buf_putc(o->b, ',');
		g = false;
		indent(o, 2);
		bool h = true;
		tc_buf_putc(o->b, '{');
		skey(o, 3, &h, "id", k->id);
		skey(o, 3, &h, "title", k->title);
		skey(o, 3, &h, "description", k->description);
		key(o, 3, &h, "url");
		url(o, m, l, R_CATEGORY, k->id);
		key(o, 3, &h, "measures");
		bool e = true;
		tc_buf_putc(o->b, '[');
		for (size_t i = 0; i < k->nmeasures; i++) {
			if (!p->measure[p->first[c] + i])
				continue;
			if (!e)
				tc_buf_putc(o->b, ',');
			e = false;
			indent(o, 4);
			measure_json(o, m, p, l, c, i, NULL);
		}
		end_of(o, 3, e, ']');
		end_of(o, 2, h, '}');
	}
	end_of(o, 1, g, ']');
	if (p->fk != F_NONE) {
		key(o, 1, &f, "filter");
		filter_json(o, m, p);
	}
	end_of(o, 0, f, '}');
}

void tc_model_mappings_json(const tc_measure *me, int depth, tc_buf *b)
{
	jout o = {b, false};
	mappings_json(&o, me, depth);
}

void tc_model_write(const tc_model *m, const tc_pick *p, const tc_lang *l,
		    tc_buf *b)
{
	jout o = {b, false};
	write_all(&o, m, p, l);
	tc_buf_putc(b, '\n');
}

/* ---- compact JSON: jansson's JSON_COMPACT ---- */

void tc_model_measure_compact(const tc_model *m, const tc_pick *p,
			      const tc_lang *l, size_t c, size_t k, tc_buf *out,
			      size_t *cells_at)
{
	jout o = {out, true};
	measure_json(&o, m, p, l, c, k, cells_at);
}

void tc_model_catalog_compact(const tc_model *m, const tc_lang *l, tc_buf *out)
{
	tc_pick *p = pick_new(m);
	memset(p->scope, 1, m->nscopes);
	memset(p->cat, 1, m->ncategories);
	jout o = {out, true};
	write_all(&o, m, p, l);
	tc_pick_free(p);
}

/* ---- CSV: what tc_tom_csv_sep_stream wrote (tests/tomref.h) ---- */

static void text_field(tc_buf *out, const char *s, char sep, const char *end)
{
	s = s ? s : "";
	tc_esc_csv_sep(out, s, strlen(s), sep);
	if (end)
		tc_buf_puts(out, end);
	else
		tc_buf_putc(out, sep);
}

void tc_model_mappings_text(const tc_measure *me, tc_buf *out)
{
	for (size_t i = 0; i < me->nmaps; i++) {
		tc_buf_printf(out, "%s%s:", i ? "; " : "",
			      me->maps[i].framework);
		for (size_t k = 0; k < me->maps[i].ncontrols; k++)
			tc_buf_printf(out, "%s %s", k ? "," : "",
				      me->maps[i].controls[k]);
	}
}

int tc_model_csv(const tc_model *m, const tc_pick *p, const tc_lang *l,
		 char sep, tc_buf *out, int (*flush)(void *ud, tc_buf *out),
		 void *ud)
{
	int rc = 0;
	/* English writes the marks' own words; any other language has the
	 * status and responsibility in its words beside the mark */
	int words = strcmp(l->code, "en") != 0;
	static const char *const head_en[] =
	    {"category_id",    "category_title", "measure_id", "measure_text",
	     "scope_id",       "scope_name",     "scope_kind", "status",
	     "responsibility", "label",          NULL},
				 *head_tail[] = {"note", "url", "mappings",
						 NULL};
	/* The byte order mark is how Excel knows the file is UTF-8: without
	 * it a German Excel shows "âœ“" for "✓". */
	tc_buf_puts(out, TC_UTF8_BOM);
	for (size_t k = 0; head_en[k]; k++)
		text_field(out, head_en[k], sep, NULL);
	if (words) {
		text_field(out, "status_text", sep, NULL);
		text_field(out, "responsibility_text", sep, NULL);
	}
	for (size_t k = 0; head_tail[k]; k++)
		text_field(out, head_tail[k], sep,
			   head_tail[k + 1] ? NULL : "\r\n");
	/* The scope columns of a row, escaped once, not once per cell; a
	 * table's column of each scope (rows go in scope order, not column
	 * order). */
	size_t ns = m->nscopes;
	tc_buf *scope_csv = tc_xcalloc(ns ? ns : 1, sizeof(tc_buf));
	size_t *col = tc_xcalloc(ns ? ns : 1, sizeof(size_t));
	for (size_t k = 0; k < ns; k++) {
		text_field(&scope_csv[k], m->scopes[k].id, sep, NULL);
		text_field(&scope_csv[k], m->scopes[k].name, sep, NULL);
		text_field(&scope_csv[k], tc_scope_kind_id(m->scopes[k].kind),
			   sep, NULL);
	}
	tc_buf head = TC_BUF_INIT, tail = TC_BUF_INIT, maps = TC_BUF_INIT;
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *cat = &m->categories[c];
		const tc_table *seen = NULL;
		for (size_t i = 0; p->cat[c] && i < cat->nmeasures; i++) {
			size_t n = p->first[c] + i;
			if (!p->measure[n])
				continue;
			const tc_measure *me = &cat->measures[i];
			const tc_table *t = &cat->tables[me->table];
			const unsigned char *keep = p->cell + p->cell_at[n];
			if (t != seen) {
				for (size_t k = 0; k < ns; k++)
					col[k] = (size_t)-1;
				for (size_t j = 0; j < t->nscopes; j++)
					col[t->scopes[j]] = j;
				seen = t;
			}
			tc_buf_clear(&head);
			tc_buf_clear(&tail);
			text_field(&head, cat->id, sep, NULL);
			text_field(&head, cat->title, sep, NULL);
			text_field(&head, me->id, sep, NULL);
			text_field(&head, me->text_data, sep, NULL);
			tc_buf_puts(&maps, m->base_url);
			tc_route_measure_url(&maps, l, cat->id, me->id);
			text_field(&tail, tc_buf_cstr(&maps), sep, NULL);
			tc_buf_clear(&maps);
			tc_model_mappings_text(me, &maps);
			tc_esc_csv_sep(&tail, tc_buf_cstr(&maps), maps.len,
				       sep);
			tc_buf_clear(&maps);
			tc_buf_puts(&tail, "\r\n");
			for (size_t k = 0; k < ns; k++) {
				size_t j = col[k];
				if (j == (size_t)-1 || !keep[j])
					continue;
				const tc_cell *x = &me->cells[j];
				tc_buf_put(out, head.data, head.len);
				tc_buf_put(out, scope_csv[k].data,
					   scope_csv[k].len);
				text_field(out, tc_status_id(x->status), sep,
					   NULL);
				text_field(out, tc_resp_id(x->resp), sep, NULL);
				text_field(out, x->label, sep, NULL);
				if (words) {
					text_field(
					    out, tc_status_title(l, x->status),
					    sep, NULL);
					text_field(out,
						   tc_resp_title(l, x->resp),
						   sep, NULL);
				}
				text_field(out, x->note_data, sep, NULL);
				tc_buf_put(out, tail.data, tail.len);
			}
			if (flush && !rc && out->len > (1u << 20))
				rc = flush(ud, out);
		}
	}
	for (size_t k = 0; k < ns; k++)
		tc_buf_free(&scope_csv[k]);
	free(scope_csv);
	free(col);
	tc_buf_free(&head);
	tc_buf_free(&tail);
	tc_buf_free(&maps);
	return rc;
}
