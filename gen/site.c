#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/mustache.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"
#include "export.h"
#include "source.h"

typedef struct site {
	const tc_model *m;
	json_t *doc;
	const char *out;
	tc_diags *d;
	mus_env *env;
	const char *tdir;
	json_t *common; /* site, legend, digest: shared by every page */
	json_t *
	    *tables_html;  /* per category, rendered once, shown on 3 pages */
	json_t *cell_html; /* rendered cell partials by status, label, note */
	json_t ***chtml; /* per category, per cell (flat): the same, by place */
	size_t **coff; /* per category, per measure: its first cell in chtml */
	const char *tom; /* api/tom.json as published */
	size_t tom_len;
	tc_site_stats *st;
	int failed;
} site;

static json_t *compare_links(site *S, size_t from);

/* ---- template loading ---- */

static char *load_template(void *ud, const char *name, char **file)
{
	const site *S = ud;
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s.mustache", S->tdir, name);
	/* A missing template is reported where it is named; one that is
	 * there but is no usable source (not a file, too big, not text), by
	 * source.c at its first bad byte. */
	char *src = access(tc_buf_cstr(&p), R_OK) == 0
			? tc_source_load(tc_buf_cstr(&p), NULL, S->d)
			: NULL;
	*file = tc_buf_detach(&p);
	return src;
}

/* Every template a page is rendered from, tc-search's included: a broken
 * search page is found at build time, not by a customer. */
static const char *page_templates[] = {
    "index",   "category",      "category-tables", "product",       "matrix",
    "compare", "compare-index", "annex",           "product-annex", "404",
    "sitemap", "robots",        "search",          "error",         NULL};

static int load_templates(site *S)
{
	int problems = 0;
	for (const char **n = page_templates; *n; n++) {
		mus_tpl *t = mus_env_get(S->env, *n, S->d);
		if (t) {
			problems += mus_env_check(S->env, t, S->d);
			continue;
		}
		problems++;
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s.mustache", S->tdir, *n);
		if (access(tc_buf_cstr(&p), R_OK) < 0)
			tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0,
				     "cannot read template: %s",
				     strerror(errno));
		tc_buf_free(&p);
	}
	return problems;
}

/* ---- output ---- */

static void emit(site *S, const char *rel, const char *data, size_t len)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", S->out, rel);
	if (tc_write_file(tc_buf_cstr(&p), data, len) < 0) {
		tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0, "cannot write: %s",
			     strerror(errno));
		S->failed = 1;
	} else {
		S->st->files++;
		S->st->bytes += len;
	}
	tc_buf_free(&p);
}

/* Renders template name with ctx (stolen) merged over the common values. */
static void page(site *S, const char *name, const char *rel, json_t *ctx)
{
	if (!ctx) { /* a view jansson refused: never a blank page */
		tc_diags_add(S->d, rel, 0, 0,
			     "internal error: no view to render the page from");
		S->failed = 1;
		return;
	}
	json_object_update_missing(ctx, S->common);
	tc_buf out = TC_BUF_INIT;
	mus_render(S->env, mus_env_get(S->env, name, NULL), ctx, &out);
	emit(S, rel, tc_buf_cstr(&out), out.len);
	if (strstr(rel, ".html"))
		S->st->pages++;
	tc_buf_free(&out);
	json_decref(ctx);
}

static void emit_json(site *S, const char *rel, json_t *v)
{
	size_t len;
	char *s = v ? tc_export_text(v, &len) : NULL;
	if (!s) {
		tc_diags_add(
		    S->d, rel, 0, 0,
		    "internal error: the data does not export as JSON");
		S->failed = 1;
		return;
	}
	emit(S, rel, s, len);
	free(s);
}

/* ---- views ---- */

static json_t *legend(void)
{
	json_t *a = json_array();
	for (int s = 0; s < ST__COUNT; s++)
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s}", "id",
				 tc_status_id((tc_status)s), "title",
				 tc_status_title((tc_status)s), "icon",
				 tc_status_icon((tc_status)s)));
	return a;
}

static json_t *cell_view(json_t *cell, json_t *scope)
{
	const char *st = json_string_value(json_object_get(cell, "status"));
	int s = tc_status_from_id(st);
	if (s < 0)
		s = ST_OTHER;
	return json_pack("{s:s, s:s, s:s, s:O, s:O, s:b, s:O, s:O}", "status",
			 st, "status_title", tc_status_title((tc_status)s),
			 "icon", tc_status_icon((tc_status)s), "label",
			 json_object_get(cell, "label"), "note",
			 json_object_get(cell, "note"), "other", s == ST_OTHER,
			 "scope", json_object_get(scope, "name"), "scope_id",
			 json_object_get(scope, "id"));
}

static json_t *cat_json(site *S, size_t ci)
{
	return json_array_get(json_object_get(S->doc, "categories"), ci);
}

static json_t *measure_json(site *S, size_t ci, size_t mi)
{
	return json_array_get(json_object_get(cat_json(S, ci), "measures"), mi);
}

static json_t *scope_json(site *S, size_t si)
{
	return json_array_get(json_object_get(S->doc, "scopes"), si);
}

/* The cell partial rendered for one cell. Most cells of a big site repeat
 * ("✓" with no note), so each distinct cell is rendered once and its HTML
 * shared; tables then need no view object per cell. */
static json_t *cell_html(site *S, json_t *cell, json_t *scope)
{
	tc_buf key = TC_BUF_INIT;
	static const char *parts[] = {"status", "label", "note"};
	for (int i = 0; i < 3; i++) {
		tc_buf_puts(&key,
			    json_string_value(json_object_get(cell, parts[i])));
		tc_buf_putc(&key, '\x1f');
	}
	json_t *html = json_object_get(S->cell_html, tc_buf_cstr(&key));
	if (!html) {
		json_t *view = cell_view(cell, scope);
		tc_buf out = TC_BUF_INIT;
		mus_render(S->env, mus_env_get(S->env, "cell", NULL), view,
			   &out);
		json_decref(view);
		html = json_stringn(out.data ? out.data : "", out.len);
		json_object_set_new(S->cell_html, tc_buf_cstr(&key), html);
		tc_buf_free(&out);
	}
	tc_buf_free(&key);
	return json_incref(html);
}

/* The HTML of cell k of measure mi of category ci (borrowed): looked up
 * once per cell, however many pages show it. */
static json_t *cell_at(site *S, size_t ci, size_t mi, size_t k)
{
	const tc_category *c = &S->m->categories[ci];
	if (!S->chtml[ci]) {
		S->coff[ci] = tc_xcalloc(c->nmeasures + 1, sizeof(size_t));
		for (size_t i = 0; i < c->nmeasures; i++)
			S->coff[ci][i + 1] =
			    S->coff[ci][i] +
			    c->tables[c->measures[i].table].nscopes;
		S->chtml[ci] =
		    tc_xcalloc(S->coff[ci][c->nmeasures] + 1, sizeof(json_t *));
	}
	json_t **slot = &S->chtml[ci][S->coff[ci][mi] + k];
	if (!*slot) {
		const tc_table *t = &c->tables[c->measures[mi].table];
		json_t *sc = scope_json(S, t->scopes[k]);
		json_t *cells =
		    json_object_get(measure_json(S, ci, mi), "cells");
		*slot = cell_html(
		    S,
		    json_object_get(
			cells, json_string_value(json_object_get(sc, "id"))),
		    sc);
		json_decref(*slot); /* the cell_html cache keeps it alive */
	}
	return *slot;
}

/* A table row: the measure and its cells' HTML, in column order. */
static json_t *row_view(site *S, size_t ci, size_t mi)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_table *t = &c->tables[c->measures[mi].table];
	json_t *cells = json_array();
	for (size_t k = 0; k < t->nscopes; k++)
		json_array_append(cells, cell_at(S, ci, mi, k));
	json_t *row = json_object();
	json_object_set_nocheck(row, "m", measure_json(S, ci, mi));
	json_object_set_new_nocheck(row, "cells", cells);
	return row;
}

/* A site or organisation-wide row on a product page: each cell with the
 * name of its column. */
static json_t *general_row(site *S, size_t ci, size_t mi)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_table *t = &c->tables[c->measures[mi].table];
	json_t *me = measure_json(S, ci, mi);
	json_t *cells = json_array();
	for (size_t k = 0; k < t->nscopes; k++) {
		json_t *sc = scope_json(S, t->scopes[k]);
		json_t *cell = json_object_get(
		    json_object_get(me, "cells"),
		    json_string_value(json_object_get(sc, "id")));
		json_array_append_new(cells, cell_view(cell, sc));
	}
	return json_pack("{s:O, s:o, s:b}", "m", me, "cells", cells, "general",
			 1);
}

static json_t *tables_view(site *S, size_t ci)
{
	const tc_category *c = &S->m->categories[ci];
	json_t *tables = json_array();
	for (size_t ti = 0; ti < c->ntables; ti++) {
		const tc_table *t = &c->tables[ti];
		json_t *cols = json_array(), *rows = json_array();
		for (size_t k = 0; k < t->nscopes; k++)
			json_array_append(cols, scope_json(S, t->scopes[k]));
		for (size_t mi = 0; mi < c->nmeasures; mi++)
			if (c->measures[mi].table == ti)
				json_array_append_new(rows,
						      row_view(S, ci, mi));
		json_array_append_new(tables, json_pack("{s:o, s:o}", "columns",
							cols, "rows", rows));
	}
	return tables;
}

/* A category's tables as HTML. The category page, the matrix and the annex
 * all show them: rendering them once keeps big sites fast and the views of
 * only one category in memory at a time. */
static json_t *tables_html(site *S, size_t ci)
{
	if (!S->tables_html[ci]) {
		json_t *ctx = json_pack("{s:o}", "tables", tables_view(S, ci));
		json_object_update_missing(ctx, S->common);
		tc_buf out = TC_BUF_INIT;
		mus_render(S->env, mus_env_get(S->env, "category-tables", NULL),
			   ctx, &out);
		json_decref(ctx);
		/* a JSON string, so pages take a reference, not a copy */
		S->tables_html[ci] =
		    json_stringn_nocheck(out.data ? out.data : "", out.len);
		tc_buf_free(&out);
	}
	return S->tables_html[ci];
}

static json_t *nav(site *S, const char *current_product,
		   const char *current_category)
{
	json_t *prods = json_array(), *cats = json_array();
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *s = &S->m->scopes[i];
		if (s->kind != SK_PRODUCT)
			continue;
		json_t *o = json_deep_copy(scope_json(S, i));
		json_object_set_new(
		    o, "current",
		    json_boolean(current_product &&
				 !strcmp(s->id, current_product)));
		json_array_append_new(prods, o);
	}
	for (size_t i = 0; i < S->m->ncategories; i++) {
		json_t *c = cat_json(S, i);
		json_array_append_new(
		    cats,
		    json_pack(
			"{s:O, s:O, s:O, s:i, s:b}", "id",
			json_object_get(c, "id"), "title",
			json_object_get(c, "title"), "url",
			json_object_get(c, "url"), "count",
			(json_int_t)S->m->categories[i].nmeasures, "current",
			current_category &&
			    !strcmp(S->m->categories[i].id, current_category)));
	}
	return json_pack("{s:o, s:o}", "products", prods, "categories", cats);
}

static json_t *page_meta(const char *title, const char *path,
			 const char *description)
{
	return json_pack("{s:s, s:s, s:s}", "title", title, "path", path,
			 "description", description);
}

/* ---- pages ---- */

static void write_index(site *S)
{
	size_t cells = 0, measures = 0;
	for (size_t i = 0; i < S->m->ncategories; i++) {
		const tc_category *c = &S->m->categories[i];
		measures += c->nmeasures;
		for (size_t k = 0; k < c->nmeasures; k++)
			cells += c->tables[c->measures[k].table].nscopes;
	}
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:s, s:{s:i, s:i, s:i}}", "page",
	    page_meta(S->m->title, "/",
		      "Technical and organisational measures, per product."),
	    "nav", nav(S, NULL, NULL), "intro_html", S->m->intro_html, "totals",
	    "categories", (json_int_t)S->m->ncategories, "measures",
	    (json_int_t)measures, "cells", (json_int_t)cells);
	page(S, "index", "index.html", ctx);
}

static void write_categories(site *S)
{
	for (size_t i = 0; i < S->m->ncategories; i++) {
		const tc_category *c = &S->m->categories[i];
		tc_buf rel = TC_BUF_INIT;
		tc_buf_printf(&rel, "categories/%s/index.html", c->id);
		json_t *cj = cat_json(S, i);
		json_t *ctx = json_pack(
		    "{s:o, s:o, s:O, s:s, s:O}", "page",
		    page_meta(c->title,
			      json_string_value(json_object_get(cj, "url")),
			      c->description),
		    "nav", nav(S, NULL, c->id), "category", cj, "prose_html",
		    c->prose_html, "tables_html", tables_html(S, i));
		page(S, "category", tc_buf_cstr(&rel), ctx);
		tc_buf_free(&rel);
	}
}

static void write_matrix(site *S)
{
	json_t *cats = json_array();
	for (size_t i = 0; i < S->m->ncategories; i++)
		json_array_append_new(
		    cats, json_pack("{s:O, s:O}", "category", cat_json(S, i),
				    "tables_html", tables_html(S, i)));
	json_t *ctx =
	    json_pack("{s:o, s:o, s:o}", "page",
		      page_meta("All measures", "/matrix/",
				"Every measure for every product and site."),
		      "nav", nav(S, NULL, NULL), "categories", cats);
	page(S, "matrix", "matrix/index.html", ctx);
}

/* What one product's page and annex show: counts, the client's duties and
 * every measure that concerns it, by category. */
static json_t *product_view(site *S, size_t pi)
{
	const tc_scope *p = &S->m->scopes[pi];
	size_t counts[ST__COUNT] = {0}, general = 0;
	json_t *duties = json_array(), *groups = json_array();
	for (size_t ci = 0; ci < S->m->ncategories; ci++) {
		const tc_category *c = &S->m->categories[ci];
		json_t *rows = json_array();
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			if (!tc_measure_concerns(S->m, c, me, pi))
				continue;
			const tc_cell *cell = tc_cell_for(c, me, pi);
			if (!cell) {
				general++;
				json_array_append_new(rows,
						      general_row(S, ci, mi));
				continue;
			}
			/* only the product's own cell: a product page of a big
			 * site must not build views of every other column */
			json_t *row =
			    json_pack("{s:O}", "m", measure_json(S, ci, mi));
			counts[cell->status]++;
			json_t *cv =
			    cell_view(json_object_get(
					  json_object_get(
					      measure_json(S, ci, mi), "cells"),
					  p->id),
				      scope_json(S, pi));
			json_object_set_nocheck(
			    row, "cell_html",
			    cell_at(S, ci, mi, (size_t)(cell - me->cells)));
			if (cell->status == ST_CLIENT ||
			    (me->client_duty && cell->status == ST_PROVIDED))
				json_array_append_new(
				    duties,
				    json_pack("{s:O, s:O, s:O, s:b}", "m",
					      measure_json(S, ci, mi),
					      "category", cat_json(S, ci),
					      "cell", cv, "by_status",
					      cell->status == ST_CLIENT));
			json_decref(cv);
			json_array_append_new(rows, row);
		}
		if (json_array_size(rows))
			json_array_append_new(
			    groups, json_pack("{s:O, s:o}", "category",
					      cat_json(S, ci), "rows", rows));
		else
			json_decref(rows);
	}
	json_t *cnt = json_array();
	for (int s = 0; s < ST__COUNT; s++)
		if (counts[s])
			json_array_append_new(
			    cnt, json_pack("{s:s, s:s, s:s, s:i}", "id",
					   tc_status_id((tc_status)s), "title",
					   tc_status_title((tc_status)s),
					   "icon", tc_status_icon((tc_status)s),
					   "count", (json_int_t)counts[s]));
	return json_pack("{s:O, s:o, s:o, s:o, s:i, s:i}", "product",
			 scope_json(S, pi), "counts", cnt, "duties", duties,
			 "groups", groups, "general_count", (json_int_t)general,
			 "duty_count", (json_int_t)json_array_size(duties));
}

static void write_products(site *S)
{
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *p = &S->m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
		tc_buf_printf(&path, "/products/%s/", p->id);
		tc_buf_printf(&rel, "products/%s/index.html", p->id);
		json_t *ctx = product_view(S, i);
		json_object_set_new(
		    ctx, "page",
		    page_meta(p->name, tc_buf_cstr(&path), p->description));
		json_object_set_new(ctx, "nav", nav(S, p->id, NULL));
		json_object_set_new(ctx, "others", compare_links(S, i));
		page(S, "product", tc_buf_cstr(&rel), json_incref(ctx));

		/* the product's DPA annex shows the same view */
		tc_buf_clear(&path);
		tc_buf_clear(&rel);
		tc_buf_printf(&path, "/products/%s/annex/", p->id);
		tc_buf_printf(&rel, "products/%s/annex/index.html", p->id);
		tc_buf title = TC_BUF_INIT;
		tc_buf_printf(&title,
			      "Appendix 2: Technical and organisational "
			      "measures for %s",
			      p->name);
		json_object_set_new(ctx, "page",
				    page_meta(tc_buf_cstr(&title),
					      tc_buf_cstr(&path),
					      p->description));
		tc_buf_free(&title);
		page(S, "product-annex", tc_buf_cstr(&rel), ctx);

		json_t *one = tc_tom_filter(S->doc, p->id, NULL, NULL);
		tc_buf_clear(&rel);
		tc_buf_printf(&rel, "api/products/%s.json", p->id);
		emit_json(S, tc_buf_cstr(&rel), one);
		json_decref(one);
		tc_buf_free(&rel);
		tc_buf_free(&path);
	}
}

/* ---- comparisons: what changes when a client moves from a to b ---- */

static bool same_cell(const tc_cell *x, const tc_cell *y)
{
	return x && y && x->status == y->status &&
	       !strcmp(x->label, y->label) && !strcmp(x->note, y->note);
}

static bool yours(const tc_measure *me, const tc_cell *c)
{
	return c && (c->status == ST_CLIENT ||
		     (me->client_duty && c->status == ST_PROVIDED));
}

static json_t *side(site *S, size_t ci, size_t mi, const tc_cell *c)
{
	if (!c)
		return json_null();
	const tc_measure *me = &S->m->categories[ci].measures[mi];
	return json_incref(cell_at(S, ci, mi, (size_t)(c - me->cells)));
}

static json_t *compare_view(site *S, size_t a, size_t b)
{
	json_t *groups = json_array();
	size_t diffs = 0, gained = 0, lost = 0;
	for (size_t ci = 0; ci < S->m->ncategories; ci++) {
		const tc_category *c = &S->m->categories[ci];
		json_t *rows = json_array();
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			const tc_cell *x = tc_cell_for(c, me, a),
				      *y = tc_cell_for(c, me, b);
			if ((!x && !y) || same_cell(x, y))
				continue;
			bool to_you = !yours(me, x) && yours(me, y);
			bool from_you = yours(me, x) && !yours(me, y);
			diffs++;
			gained += to_you;
			lost += from_you;
			json_t *row = json_object();
			json_object_set_nocheck(row, "m",
						measure_json(S, ci, mi));
			json_object_set_new_nocheck(row, "a",
						    side(S, ci, mi, x));
			json_object_set_new_nocheck(row, "b",
						    side(S, ci, mi, y));
			json_object_set_new_nocheck(row, "to_you",
						    json_boolean(to_you));
			json_object_set_new_nocheck(row, "from_you",
						    json_boolean(from_you));
			json_array_append_new(rows, row);
		}
		if (json_array_size(rows))
			json_array_append_new(
			    groups, json_pack("{s:O, s:o}", "category",
					      cat_json(S, ci), "rows", rows));
		else
			json_decref(rows);
	}
	return json_pack("{s:O, s:O, s:o, s:i, s:i, s:i}", "a",
			 scope_json(S, a), "b", scope_json(S, b), "groups",
			 groups, "diff_count", (json_int_t)diffs,
			 "to_you_count", (json_int_t)gained, "from_you_count",
			 (json_int_t)lost);
}

/* Every other product, with the URL comparing `from` to it. */
static json_t *compare_links(site *S, size_t from)
{
	json_t *l = json_array();
	for (size_t i = 0; i < S->m->nscopes; i++) {
		if (i == from || S->m->scopes[i].kind != SK_PRODUCT)
			continue;
		tc_buf u = TC_BUF_INIT;
		tc_buf_printf(&u, "/compare/%s/%s/", S->m->scopes[from].id,
			      S->m->scopes[i].id);
		json_array_append_new(
		    l, json_pack("{s:O, s:s}", "name",
				 json_object_get(scope_json(S, i), "name"),
				 "url", tc_buf_cstr(&u)));
		tc_buf_free(&u);
	}
	return l;
}

static void write_compare(site *S)
{
	json_t *table = json_array();
	for (size_t a = 0; a < S->m->nscopes; a++) {
		if (S->m->scopes[a].kind != SK_PRODUCT)
			continue;
		json_array_append_new(
		    table, json_pack("{s:O, s:o}", "product", scope_json(S, a),
				     "others", compare_links(S, a)));
		for (size_t b = 0; b < S->m->nscopes; b++) {
			if (a == b || S->m->scopes[b].kind != SK_PRODUCT)
				continue;
			tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT,
			       title = TC_BUF_INIT;
			tc_buf_printf(&path, "/compare/%s/%s/",
				      S->m->scopes[a].id, S->m->scopes[b].id);
			tc_buf_printf(&rel, "%sindex.html",
				      tc_buf_cstr(&path) + 1);
			tc_buf_printf(&title, "%s compared with %s",
				      S->m->scopes[a].name,
				      S->m->scopes[b].name);
			json_t *ctx = compare_view(S, a, b);
			json_object_set_new(
			    ctx, "page",
			    page_meta(tc_buf_cstr(&title), tc_buf_cstr(&path),
				      "What changes between two products."));
			json_object_set_new(ctx, "nav", nav(S, NULL, NULL));
			json_object_set_new(ctx, "others", compare_links(S, a));
			page(S, "compare", tc_buf_cstr(&rel), ctx);
			tc_buf_free(&rel);
			tc_buf_free(&path);
			tc_buf_free(&title);
		}
	}
	page(S, "compare-index", "compare/index.html",
	     json_pack("{s:o, s:o, s:o}", "page",
		       page_meta("Compare products", "/compare/",
				 "What changes between two products."),
		       "nav", nav(S, NULL, NULL), "products", table));
}

/* ---- the DPA annex (all products; each product's is in write_products) ----
 */

static void write_annex(site *S)
{
	json_t *cats = json_array();
	for (size_t i = 0; i < S->m->ncategories; i++)
		json_array_append_new(
		    cats,
		    json_pack("{s:O, s:s, s:O}", "category", cat_json(S, i),
			      "prose_html", S->m->categories[i].prose_html,
			      "tables_html", tables_html(S, i)));
	page(S, "annex", "annex/index.html",
	     json_pack(
		 "{s:o, s:o, s:o, s:s}", "page",
		 page_meta("Appendix 2: Technical and organisational measures",
			   "/annex/", "The TOMs as an annex to the DPA."),
		 "nav", nav(S, NULL, NULL), "categories", cats, "intro_html",
		 S->m->intro_html));
}

static void write_simple(site *S)
{
	json_t *urls = json_array();
	json_array_append_new(urls, json_pack("{s:s}", "path", "/"));
	json_array_append_new(urls, json_pack("{s:s}", "path", "/matrix/"));
	json_array_append_new(urls, json_pack("{s:s}", "path", "/annex/"));
	json_array_append_new(urls, json_pack("{s:s}", "path", "/compare/"));
	for (size_t i = 0; i < S->m->ncategories; i++)
		json_array_append_new(
		    urls, json_pack("{s:O}", "path",
				    json_object_get(cat_json(S, i), "url")));
	for (size_t i = 0; i < S->m->nscopes; i++) {
		if (S->m->scopes[i].kind != SK_PRODUCT)
			continue;
		json_array_append_new(
		    urls, json_pack("{s:O}", "path",
				    json_object_get(scope_json(S, i), "url")));
		tc_buf annex = TC_BUF_INIT;
		tc_buf_printf(&annex, "/products/%s/annex/",
			      S->m->scopes[i].id);
		json_array_append_new(
		    urls, json_pack("{s:s}", "path", tc_buf_cstr(&annex)));
		tc_buf_free(&annex);
	}
	page(S, "sitemap", "sitemap.xml", json_pack("{s:o}", "urls", urls));
	page(S, "robots", "robots.txt", json_object());
	page(S, "404", "404.html",
	     json_pack("{s:o, s:o}", "page",
		       page_meta("Page not found", "/404.html", ""), "nav",
		       nav(S, NULL, NULL)));
}

static void write_data(site *S)
{
	emit(S, "api/tom.json", S->tom, S->tom_len);
	tc_buf csv = TC_BUF_INIT;
	tc_tom_csv(S->doc, &csv);
	emit(S, "api/tom.csv", tc_buf_cstr(&csv), csv.len);
	tc_buf_free(&csv);
}

static void copy_assets(site *S)
{
	static const char *assets[] = {"style.css", "tc.js", "favicon.svg",
				       NULL};
	for (const char **a = assets; *a; a++) {
		tc_buf src = TC_BUF_INIT, rel = TC_BUF_INIT;
		tc_buf_printf(&src, "%s/assets/%s", S->tdir, *a);
		tc_buf_printf(&rel, "assets/%s", *a);
		size_t len;
		char *data = tc_read_file(tc_buf_cstr(&src), &len);
		if (!data) {
			tc_diags_add(S->d, tc_buf_cstr(&src), 0, 0,
				     "cannot read asset: %s", strerror(errno));
			S->failed = 1;
		} else {
			emit(S, tc_buf_cstr(&rel), data, len);
		}
		free(data);
		tc_buf_free(&src);
		tc_buf_free(&rel);
	}
}

static json_t *common(const tc_model *m)
{
	return json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:o}", "site",
			 "organisation", m->organisation, "title", m->title,
			 "version", m->version, "date", m->date, "base_url",
			 m->base_url, "legend", legend());
}

json_t *tc_site_context(const tc_model *m, json_t *doc)
{
	site S = {.m = m, .doc = doc};
	json_t *c = common(m);
	json_object_set_new(c, "nav", nav(&S, NULL, NULL));
	return c;
}

int tc_site_write(const tc_model *m, json_t *doc, const char *tom,
		  size_t tom_len, const char *templates, const char *out_dir,
		  tc_diags *d, tc_site_stats *stats)
{
	site S = {.m = m,
		  .doc = doc,
		  .out = out_dir,
		  .d = d,
		  .tdir = templates,
		  .st = stats,
		  .tom = tom,
		  .tom_len = tom_len};
	memset(stats, 0, sizeof *stats);
	S.env = mus_env_new(load_template, &S);
	if (load_templates(&S)) {
		mus_env_free(S.env);
		return -1;
	}
	S.common = common(m);
	S.tables_html = tc_xcalloc(m->ncategories, sizeof(json_t *));
	/* The annex prints the digest of api/tom.json exactly as written. */
	char digest[65];
	tc_sha256_hex(S.tom, S.tom_len, digest);
	S.cell_html = json_object();
	S.chtml = tc_xcalloc(m->ncategories, sizeof(json_t **));
	S.coff = tc_xcalloc(m->ncategories, sizeof(size_t *));
	json_object_set_new(json_object_get(S.common, "site"), "tom_sha256",
			    json_string(digest));
	write_index(&S);
	write_categories(&S);
	write_products(&S);
	write_matrix(&S);
	write_compare(&S);
	write_annex(&S);
	write_simple(&S);
	write_data(&S);
	copy_assets(&S);
	for (size_t i = 0; i < m->ncategories; i++) {
		json_decref(S.tables_html[i]);
		free(S.chtml[i]);
		free(S.coff[i]);
	}
	free(S.chtml);
	free(S.coff);
	free(S.tables_html);
	json_decref(S.cell_html);
	json_decref(S.common);
	mus_env_free(S.env);
	return S.failed ? -1 : 0;
}
