#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/mustache.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"
#include "../lib/views.h"
#include "export.h"

typedef struct site {
	const tc_model *m;
	json_t *doc;
	const char *out;
	tc_diags *d;
	mus_env *env;
	const char *tdir;
	json_t *common; /* site, legend, digest: shared by every page */
	json_t **scope_v;  /* per scope: its view, built once */
	json_t **cat_v;	   /* per category */
	json_t ***meas_v;  /* per category, per measure */
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
	char *src = tc_read_file(tc_buf_cstr(&p), NULL);
	*file = tc_buf_detach(&p);
	return src;
}

/* Every template a page is rendered from, tc-search's included: a broken
 * search page is found at build time, not by a customer. */
static const char *page_templates[] = {
    "index",   "category",      "category-tables", "product",       "matrix",
    "compare", "compare-index", "annex",           "product-annex", "404",
    "sitemap", "robots",        "search",          "error",         "api",
    NULL};

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
	char *s = tc_export_text(v, &len);
	emit(S, rel, s, len);
	free(s);
}

/* ---- views ---- */

/* The views of scopes, categories and measures, built once from the model
 * and shared by every page that shows them. */
static json_t *scope_view(const tc_scope *sc)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", sc->id, "name",
			      sc->name, "kind", tc_scope_kind_id(sc->kind),
			      "description", sc->description);
	if (sc->kind == SK_PRODUCT) {
		json_object_set_new(o, "managed", json_boolean(sc->managed));
		char *u = tc_route_urldup(R_PRODUCT, sc->id, NULL);
		json_object_set_new(o, "url", json_string(u));
		free(u);
	}
	return o;
}

static json_t *count_words(size_t n, const char *one, const char *many)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%zu %s", n, tc_plural((long)n, one, many));
	json_t *v = json_string(tc_buf_cstr(&b));
	tc_buf_free(&b);
	return v;
}

static void build_views(site *S)
{
	const tc_model *m = S->m;
	S->scope_v = tc_xcalloc(m->nscopes + 1, sizeof(json_t *));
	S->cat_v = tc_xcalloc(m->ncategories + 1, sizeof(json_t *));
	S->meas_v = tc_xcalloc(m->ncategories + 1, sizeof(json_t **));
	for (size_t i = 0; i < m->nscopes; i++)
		S->scope_v[i] = scope_view(&m->scopes[i]);
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		char *url = tc_route_urldup(R_CATEGORY, c->id, NULL);
		S->cat_v[i] = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o}", "id",
					c->id, "title", c->title, "description",
					c->description, "url", url, "count",
					(json_int_t)c->nmeasures, "count_words",
					count_words(c->nmeasures, "measure",
						    "measures"));
		free(url);
		S->meas_v[i] = tc_xcalloc(c->nmeasures + 1, sizeof(json_t *));
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			tc_buf u = TC_BUF_INIT;
			tc_route_measure_url(&u, c->id, me->id);
			S->meas_v[i][k] = json_pack(
			    "{s:s, s:s, s:s, s:s}", "id", me->id, "text",
			    me->text, "text_html", me->text_html, "url",
			    tc_buf_cstr(&u));
			tc_buf_free(&u);
		}
	}
}

static void free_views(site *S)
{
	for (size_t i = 0; i < S->m->nscopes; i++)
		json_decref(S->scope_v[i]);
	for (size_t i = 0; i < S->m->ncategories; i++) {
		json_decref(S->cat_v[i]);
		for (size_t k = 0; k < S->m->categories[i].nmeasures; k++)
			json_decref(S->meas_v[i][k]);
		free(S->meas_v[i]);
	}
	free(S->scope_v);
	free(S->cat_v);
	free(S->meas_v);
}

static json_t *cat_json(site *S, size_t ci) { return S->cat_v[ci]; }

static json_t *measure_json(site *S, size_t ci, size_t mi)
{
	return S->meas_v[ci][mi];
}

static json_t *scope_json(site *S, size_t si) { return S->scope_v[si]; }

static json_t *url_json(tc_route r, const char *a, const char *b)
{
	char *u = tc_route_urldup(r, a, b);
	json_t *v = json_string(u);
	free(u);
	return v;
}

static json_t *cell_view(site *S, const tc_cell *cell, size_t si)
{
	const tc_scope *sc = &S->m->scopes[si];
	return tc_view_cell(cell->status, cell->resp, cell->label,
			    cell->note_html, sc->name, sc->id);
}

/* The cell partial rendered for one cell. Most cells of a big site repeat
 * ("✓" with no note), so each distinct cell is rendered once and its HTML
 * shared; tables then need no view object per cell. */
static json_t *cell_html(site *S, const tc_cell *cell, size_t si)
{
	tc_buf key = TC_BUF_INIT;
	tc_buf_printf(&key, "%d\x1f%d\x1f%s\x1f%s", (int)cell->status,
		      (int)cell->resp, cell->label, cell->note_html);
	json_t *html = json_object_get(S->cell_html, tc_buf_cstr(&key));
	if (!html) {
		json_t *view = cell_view(S, cell, si);
		tc_buf out = TC_BUF_INIT;
		mus_render(S->env, mus_env_get(S->env, "cell", NULL), view,
			   &out);
		json_decref(view);
		html = json_stringn(out.data ? out.data : "", out.len);
		json_object_set_new(S->cell_html, tc_buf_cstr(&key), html);
		tc_buf_free(&out);
	}
	tc_buf_free(&key);
	return html;
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
		S->chtml[ci] = tc_xcalloc(S->coff[ci][c->nmeasures] + 1,
					  sizeof(json_t *));
	}
	json_t **slot = &S->chtml[ci][S->coff[ci][mi] + k];
	if (!*slot) {
		const tc_measure *me = &c->measures[mi];
		const tc_table *t = &c->tables[me->table];
		*slot = cell_html(S, &me->cells[k], t->scopes[k]);
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
	const tc_measure *me = &c->measures[mi];
	const tc_table *t = &c->tables[me->table];
	json_t *cells = json_array();
	for (size_t k = 0; k < t->nscopes; k++)
		json_array_append_new(cells,
				      cell_view(S, &me->cells[k], t->scopes[k]));
	return json_pack("{s:O, s:o, s:b}", "m", measure_json(S, ci, mi),
			 "cells", cells, "general", 1);
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
		const tc_scope *sc = &S->m->scopes[i];
		if (sc->kind != SK_PRODUCT)
			continue;
		json_t *o = json_copy(scope_json(S, i));
		json_object_set_new(o, "current",
				    json_boolean(current_product &&
						 !strcmp(sc->id, current_product)));
		json_array_append_new(prods, o);
	}
	for (size_t i = 0; i < S->m->ncategories; i++) {
		json_t *o = json_copy(cat_json(S, i));
		json_object_set_new(
		    o, "current",
		    json_boolean(current_category &&
				 !strcmp(S->m->categories[i].id,
					 current_category)));
		json_array_append_new(cats, o);
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
	    page_meta("", tc_route_get(R_HOME)->url,
		      "Technical and organisational measures, per product."),
	    "nav", nav(S, NULL, NULL), "intro_html", S->m->intro_html, "totals",
	    "categories", (json_int_t)S->m->ncategories, "measures",
	    (json_int_t)measures, "cells", (json_int_t)cells);
	page(S, "index", tc_route_get(R_HOME)->file, ctx);
}

static void write_categories(site *S)
{
	for (size_t i = 0; i < S->m->ncategories; i++) {
		const tc_category *c = &S->m->categories[i];
		tc_buf rel = TC_BUF_INIT;
		tc_route_file(&rel, R_CATEGORY, c->id, NULL);
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
		      page_meta("All measures", tc_route_get(R_MATRIX)->url,
				"Every measure for every product and site."),
		      "nav", nav(S, NULL, NULL), "categories", cats);
	page(S, "matrix", tc_route_get(R_MATRIX)->file, ctx);
}

/* A measure of the "Your responsibilities" list: the client's own (its
 * cell, or the badge of its responsibility for a site-wide measure). */
static json_t *duty_view(site *S, size_t ci, size_t mi, const tc_cell *cell,
			 size_t pi, tc_resp r)
{
	json_t *cv = cell ? cell_view(S, cell, pi)
			  : tc_view_cell(r == RS_CLIENT ? ST_CLIENT : ST_PROVIDED,
					 r, "", "", NULL, NULL);
	return json_pack("{s:O, s:O, s:o, s:b}", "m", measure_json(S, ci, mi),
			 "category", cat_json(S, ci), "cell", cv, "shared",
			 r == RS_SHARED);
}

/* What one product's page and annex show: the count of each
 * responsibility (they add up to the rows), the client's duties and every
 * measure that concerns the product, by category. */
static json_t *product_view(site *S, size_t pi)
{
	size_t counts[RS__COUNT] = {0}, general = 0, rowsn = 0;
	json_t *duties = json_array(), *groups = json_array();
	for (size_t ci = 0; ci < S->m->ncategories; ci++) {
		const tc_category *c = &S->m->categories[ci];
		json_t *rows = json_array();
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			if (!tc_measure_concerns(S->m, c, me, pi))
				continue;
			const tc_cell *cell = tc_cell_for(c, me, pi);
			tc_resp r = tc_measure_resp(S->m, c, me, pi);
			counts[r]++;
			rowsn++;
			if (r == RS_CLIENT || r == RS_SHARED)
				json_array_append_new(
				    duties, duty_view(S, ci, mi, cell, pi, r));
			if (!cell) {
				general++;
				json_array_append_new(rows,
						      general_row(S, ci, mi));
				continue;
			}
			/* only the product's own cell: a product page of a big
			 * site must not build views of every other column */
			json_t *row = json_pack("{s:O}", "m",
						measure_json(S, ci, mi));
			json_object_set_nocheck(
			    row, "cell_html",
			    cell_at(S, ci, mi, (size_t)(cell - me->cells)));
			json_array_append_new(rows, row);
		}
		if (json_array_size(rows))
			json_array_append_new(groups,
					      json_pack("{s:O, s:o}", "category",
							cat_json(S, ci), "rows",
							rows));
		else
			json_decref(rows);
	}
	json_t *cnt = json_array();
	for (int r = 0; r < RS__COUNT; r++)
		if (counts[r])
			json_array_append_new(
			    cnt, json_pack("{s:s, s:s, s:s, s:i}", "id",
					   tc_resp_id((tc_resp)r), "title",
					   tc_resp_title((tc_resp)r), "icon",
					   tc_resp_icon((tc_resp)r), "count",
					   (json_int_t)counts[r]));
	size_t nd = json_array_size(duties);
	return json_pack(
	    "{s:O, s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o, s:i, s:i}",
	    "product", scope_json(S, pi), "counts", cnt, "duties", duties,
	    "groups", groups, "general_count", (json_int_t)general,
	    "general_words",
	    count_words(general, "is a site or organisation-wide measure",
			"are site or organisation-wide measures"),
	    "row_count", (json_int_t)rowsn, "row_words",
	    count_words(rowsn, "measure concerns", "measures concern"),
	    "duty_words", count_words(nd, "measure", "measures"), "duty_count",
	    (json_int_t)nd, "client_count", (json_int_t)counts[RS_CLIENT]);
}

static void write_products(site *S)
{
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *p = &S->m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
		tc_route_url(&path, R_PRODUCT, p->id, NULL);
		tc_route_file(&rel, R_PRODUCT, p->id, NULL);
		json_t *ctx = product_view(S, i);
		json_object_set_new(ctx, "page",
				    page_meta(p->name, tc_buf_cstr(&path),
					      p->description));
		json_object_set_new(ctx, "nav", nav(S, p->id, NULL));
		json_object_set_new(ctx, "others", compare_links(S, i));
		json_object_set_new(
		    ctx, "json_url",
		    url_json(R_PRODUCT_JSON, p->id, NULL));
		json_object_set_new(
		    ctx, "csv_url",
		    url_json(R_PRODUCT_CSV, p->id, NULL));
		json_object_set_new(
		    ctx, "annex_url",
		    url_json(R_PRODUCT_ANNEX, p->id, NULL));
		page(S, "product", tc_buf_cstr(&rel), json_incref(ctx));

		/* the product's DPA annex shows the same view */
		tc_buf_clear(&path);
		tc_buf_clear(&rel);
		tc_route_url(&path, R_PRODUCT_ANNEX, p->id, NULL);
		tc_route_file(&rel, R_PRODUCT_ANNEX, p->id, NULL);
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
		tc_route_file(&rel, R_PRODUCT_JSON, p->id, NULL);
		emit_json(S, tc_buf_cstr(&rel), one);
		tc_buf csv = TC_BUF_INIT;
		tc_tom_csv(one, &csv);
		tc_buf_clear(&rel);
		tc_route_file(&rel, R_PRODUCT_CSV, p->id, NULL);
		emit(S, tc_buf_cstr(&rel), tc_buf_cstr(&csv), csv.len);
		tc_buf_free(&csv);
		json_decref(one);
		tc_buf_free(&rel);
		tc_buf_free(&path);
	}
}

/* ---- comparisons: what changes when a client moves from a to b ---- */

static bool same_cell(const tc_cell *x, const tc_cell *y)
{
	return x && y && x->status == y->status && x->resp == y->resp &&
	       !strcmp(x->label, y->label) && !strcmp(x->note, y->note);
}

static json_t *side(site *S, size_t ci, size_t mi, const tc_cell *c)
{
	if (!c)
		return json_null();
	const tc_measure *me = &S->m->categories[ci].measures[mi];
	return json_incref(cell_at(S, ci, mi, (size_t)(c - me->cells)));
}

/* What changes when a client moves from product a to b: the measures whose
 * cells differ; "becomes your job" exactly where the responsibility moves
 * to the client, "no longer your job" where it moves away. */
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
			bool was = x && x->resp == RS_CLIENT;
			bool now = y && y->resp == RS_CLIENT;
			diffs++;
			gained += !was && now;
			lost += was && !now;
			json_t *row = json_object();
			json_object_set_nocheck(row, "m",
						measure_json(S, ci, mi));
			json_object_set_new_nocheck(row, "a",
						    side(S, ci, mi, x));
			json_object_set_new_nocheck(row, "b",
						    side(S, ci, mi, y));
			json_object_set_new_nocheck(row, "to_you",
						    json_boolean(!was && now));
			json_object_set_new_nocheck(row, "from_you",
						    json_boolean(was && !now));
			json_array_append_new(rows, row);
		}
		if (json_array_size(rows))
			json_array_append_new(groups,
					      json_pack("{s:O, s:o}", "category",
							cat_json(S, ci), "rows",
							rows));
		else
			json_decref(rows);
	}
	return json_pack(
	    "{s:O, s:O, s:o, s:i, s:i, s:i, s:o, s:o, s:o, s:o}", "a",
	    scope_json(S, a), "b", scope_json(S, b), "groups", groups,
	    "diff_count", (json_int_t)diffs, "to_you_count", (json_int_t)gained,
	    "from_you_count", (json_int_t)lost, "diff_words",
	    count_words(diffs, "measure differs", "measures differ"),
	    "to_you_words",
	    count_words(gained, "becomes your job", "become your job"),
	    "from_you_words",
	    count_words(lost, "is no longer your job", "are no longer your job"),
	    "swap_url", url_json(R_COMPARE, S->m->scopes[b].id,
				 S->m->scopes[a].id));
}

/* Every other product, with the URL comparing `from` to it. */
static json_t *compare_links(site *S, size_t from)
{
	json_t *l = json_array();
	for (size_t i = 0; i < S->m->nscopes; i++) {
		if (i == from || S->m->scopes[i].kind != SK_PRODUCT)
			continue;
		json_array_append_new(
		    l, json_pack("{s:O, s:o}", "name",
				 json_object_get(scope_json(S, i), "name"),
				 "url",
				 url_json(R_COMPARE, S->m->scopes[from].id,
					  S->m->scopes[i].id)));
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
			const char *ia = S->m->scopes[a].id,
				   *ib = S->m->scopes[b].id;
			tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT,
			       title = TC_BUF_INIT;
			tc_route_url(&path, R_COMPARE, ia, ib);
			tc_route_file(&rel, R_COMPARE, ia, ib);
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
	const tc_route_info *ci = tc_route_get(R_COMPARE_INDEX);
	page(S, "compare-index", ci->file,
	     json_pack("{s:o, s:o, s:o}", "page",
		       page_meta("Compare products", ci->url,
				 "What changes between two products."),
		       "nav", nav(S, NULL, NULL), "products", table));
}

/* ---- the DPA annex (all products; each product's is in write_products) */

static void write_annex(site *S)
{
	json_t *cats = json_array();
	for (size_t i = 0; i < S->m->ncategories; i++)
		json_array_append_new(
		    cats,
		    json_pack("{s:O, s:s, s:O}", "category", cat_json(S, i),
			      "prose_html", S->m->categories[i].prose_html,
			      "tables_html", tables_html(S, i)));
	const tc_route_info *r = tc_route_get(R_ANNEX);
	page(S, "annex", r->file,
	     json_pack(
		 "{s:o, s:o, s:o, s:s}", "page",
		 page_meta("Appendix 2: Technical and organisational measures",
			   r->url, "The TOMs as an annex to the DPA."),
		 "nav", nav(S, NULL, NULL), "categories", cats, "intro_html",
		 S->m->intro_html));
}

/* Every URL of a route, one per ID its slot takes. */
static void route_urls(site *S, tc_route r, json_t *urls)
{
	const tc_route_info *ri = tc_route_get(r);
	if (ri->slots == 0) {
		json_array_append_new(urls,
				      json_pack("{s:s}", "path", ri->url));
		return;
	}
	if (r == R_CATEGORY) {
		for (size_t i = 0; i < S->m->ncategories; i++)
			json_array_append_new(
			    urls,
			    json_pack("{s:o}", "path",
				      url_json(r, S->m->categories[i].id, NULL)));
		return;
	}
	for (size_t i = 0; i < S->m->nscopes; i++)
		if (S->m->scopes[i].kind == SK_PRODUCT)
			json_array_append_new(
			    urls, json_pack("{s:o}", "path",
					    url_json(r, S->m->scopes[i].id,
						     NULL)));
}

static void write_simple(site *S)
{
	json_t *urls = json_array();
	for (int r = 0; r < R__COUNT; r++)
		if (tc_route_get((tc_route)r)->sitemap)
			route_urls(S, (tc_route)r, urls);
	page(S, "sitemap", tc_route_get(R_SITEMAP)->file,
	     json_pack("{s:o}", "urls", urls));
	page(S, "robots", tc_route_get(R_ROBOTS)->file, json_object());
	const tc_route_info *nf = tc_route_get(R_NOT_FOUND);
	page(S, "404", nf->file,
	     json_pack("{s:o, s:o}", "page",
		       page_meta("Page not found", nf->url, ""), "nav",
		       nav(S, NULL, NULL)));
	const tc_route_info *api = tc_route_get(R_API);
	json_t *prods = json_array();
	for (size_t i = 0; i < S->m->nscopes; i++)
		if (S->m->scopes[i].kind == SK_PRODUCT)
			json_array_append_new(
			    prods,
			    json_pack("{s:O, s:O, s:o, s:o}", "id",
				      json_object_get(scope_json(S, i), "id"),
				      "name",
				      json_object_get(scope_json(S, i), "name"),
				      "json_url",
				      url_json(R_PRODUCT_JSON,
					       S->m->scopes[i].id, NULL),
				      "csv_url",
				      url_json(R_PRODUCT_CSV,
					       S->m->scopes[i].id, NULL)));
	page(S, "api", api->file,
	     json_pack("{s:o, s:o, s:o, s:o, s:o}", "page",
		       page_meta("Data and API", api->url,
				 "Every download and endpoint of the trust "
				 "center."),
		       "nav", nav(S, NULL, NULL), "downloads", prods,
		       "resps", tc_view_resps(), "statuses",
		       tc_view_statuses()));
}

static void write_data(site *S)
{
	emit(S, tc_route_get(R_TOM_JSON)->file, S->tom, S->tom_len);
	tc_buf csv = TC_BUF_INIT;
	tc_tom_csv(S->doc, &csv);
	emit(S, tc_route_get(R_TOM_CSV)->file, tc_buf_cstr(&csv), csv.len);
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
			 m->base_url, "legend", tc_view_legend());
}

json_t *tc_site_context(const tc_model *m, json_t *doc)
{
	site S = {.m = m, .doc = doc};
	build_views(&S);
	json_t *c = common(m);
	json_object_set_new(c, "nav", nav(&S, NULL, NULL));
	free_views(&S);
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
	build_views(&S);
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
	free_views(&S);
	mus_env_free(S.env);
	return S.failed ? -1 : 0;
}
