/* site.c: the site of the current version. The views of measures, cells
 * and tables (each rendered once), the pages that show them (home,
 * categories, matrix, annexes, products, comparisons, sitemap, 404), and
 * tc_site_write, which calls each writer of gen/site_parts.h in turn over
 * the page kit (gen/site_kit.h). */
#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/changes.h"
#include "../lib/escape.h"
#include "../lib/fsx.h"
#include "../lib/indexfmt.h"
#include "../lib/lang.h"
#include "../lib/sha256.h"
#include "../lib/views.h"
#include "apidoc.h"
#include "limits.h"
#include "site_parts.h"

/* Tables with this many scope columns or more do not fit a phone, or an A4
 * page, as columns (tables_html). */
#define COMPACT_COLUMNS 3

/* ---- the views of measures, built once ---- */
/* A measure's mappings to standard controls, as its row shows them:
 * [{"framework": "iso27001-2022", "controls": "A.7.2, A.7.4"}]. */
static tc_val *maps_view(tc_arena *a, const tc_lang *l, const tc_measure *me)
{
	tc_val *list = tc_val_list(a);
	for (size_t i = 0; i < me->nmaps; i++) {
		tc_buf c = TC_BUF_INIT;
		for (size_t k = 0; k < me->maps[i].ncontrols; k++)
			tc_buf_printf(&c, "%s%s", k ? ", " : "",
				      me->maps[i].controls[k]);
		tc_val *o = tc_val_map(a);
		/* the framework's name where the catalogue knows it
		 * ("ISO/IEC 27001:2022"), else its ID as written */
		tc_buf k = TC_BUF_INIT;
		tc_buf_printf(&k, "framework.%s", me->maps[i].framework);
		const char *name =
		    tc_msgs_get(tc_lang_msgs(l), tc_buf_cstr(&k));
		tc_buf_free(&k);
		tc_val_set_str(o, "framework",
			       name ? name : me->maps[i].framework);
		tc_val_set(o, "controls",
			   tc_val_strndup(a, tc_buf_cstr(&c), c.len));
		tc_buf_free(&c);
		tc_val_list_push(list, o);
	}
	return list;
}

static void build_views(site *S)
{
	const tc_model *m = S->m;
	S->scope_v = tc_xcalloc(m->nscopes + 1, sizeof *S->scope_v);
	S->cat_v = tc_xcalloc(m->ncategories + 1, sizeof *S->cat_v);
	S->meas_v = tc_xcalloc(m->ncategories + 1, sizeof *S->meas_v);
	for (size_t i = 0; i < m->nscopes; i++)
		S->scope_v[i] = site_scope_view(S, S->sa, i, false);
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		S->cat_v[i] = site_cat_view(S, S->sa, i, false);
		S->meas_v[i] = tc_xcalloc(c->nmeasures + 1, sizeof(tc_val *));
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			tc_buf u = TC_BUF_INIT;
			tc_route_measure_url(&u, S->lang, c->id, me->id);
			tc_val *v = tc_val_map(S->sa);
			tc_val_set_str(v, "id", me->id);
			tc_val_set_str(v, "text", me->text);
			tc_val_set_str(v, "text_html", me->text_html);
			tc_val_set(
			    v, "url",
			    tc_val_strndup(S->sa, tc_buf_cstr(&u), u.len));
			tc_val_set(v, "change",
				   site_change_mark(S, S->sa, me->id));
			tc_buf_free(&u);
			tc_val_set(v, "maps", maps_view(S->sa, S->lang, me));
			tc_val_set_bool(v, "has_maps", me->nmaps > 0);
			S->meas_v[i][k] = v;
		}
	}
	S->nav_none = site_nav(S, NULL, NULL);
}

static void free_views(site *S)
{
	for (size_t i = 0; i < S->m->ncategories; i++)
		free(S->meas_v[i]);
	free(S->scope_v);
	free(S->cat_v);
	free(S->meas_v);
}

/* ---- cells ---- */

/* The note of a "See product description" cell of a product with a
 * description (scopes.md url): a link to it, named by its title and date
 * where given ("“Cloud servers – service description”, as of
 * 2026-03-01"), then the cell's own note (issue 21). */
static void see_doc_html(tc_buf *out, const tc_lang *l, const tc_scope *sc,
			 const char *note)
{
	tc_buf t = TC_BUF_INIT;
	if (*sc->url_title)
		tc_msgf(&t, l, "doc.title", "title", sc->url_title, NULL);
	else
		tc_buf_puts(&t, tc_msg(l, "doc.untitled"));
	tc_buf_puts(out, "<a class=\"doc\" href=\"");
	tc_esc_html(out, sc->url, strlen(sc->url));
	tc_buf_puts(out, "\">");
	tc_esc_html(out, tc_buf_cstr(&t), t.len);
	tc_buf_puts(out, "</a>");
	if (*sc->url_as_of) {
		tc_buf d = TC_BUF_INIT;
		tc_msg_date(&d, l, sc->url_as_of);
		tc_buf_clear(&t);
		tc_msgf(&t, l, "doc.as_of", "date", tc_buf_cstr(&d), NULL);
		tc_esc_html(out, tc_buf_cstr(&t), t.len);
		tc_buf_free(&d);
	}
	if (*note)
		tc_buf_printf(out, " %s", note);
	tc_buf_free(&t);
}

/* site_cell_view, a "See product description" cell linking the
 * description of product doc (NULL: none). */
static tc_val *cell_view_doc(site *S, tc_arena *a, const tc_cell *cell,
			     size_t si, const tc_scope *doc)
{
	const tc_scope *sc = &S->m->scopes[si];
	if (cell->status == ST_SEE_PRODUCT && doc && *doc->url) {
		/* the view borrows its strings: the note lives in a */
		tc_buf n = TC_BUF_INIT;
		see_doc_html(&n, S->lang, doc, cell->note_html);
		const char *note = tc_arena_strdup(a, tc_buf_cstr(&n));
		tc_buf_free(&n);
		return tc_view_cell_val(a, S->lang, cell->status, cell->resp,
					cell->label, note, sc->name, sc->id);
	}
	return tc_view_cell_val(a, S->lang, cell->status, cell->resp,
				cell->label, cell->note_html, sc->name, sc->id);
}

tc_val *site_cell_view(site *S, tc_arena *a, const tc_cell *cell, size_t si)
{
	const tc_scope *sc = &S->m->scopes[si];
	return cell_view_doc(S, a, cell, si,
			     sc->kind == SK_PRODUCT ? sc : NULL);
}

/* The cell partial rendered for one cell. Most cells of a big site repeat
 * ("✓" with no note), so each distinct cell is rendered once and its HTML
 * shared. */
static const tc_val *cell_html(site *S, const tc_cell *cell, size_t si)
{
	/* one lookup per cell of the site: no printf here */
	tc_buf key = TC_BUF_INIT;
	tc_buf_putc(&key, (char)('A' + cell->status));
	tc_buf_putc(&key, (char)('A' + cell->resp));
	tc_buf_puts(&key, cell->label);
	tc_buf_putc(&key, '\x1f');
	tc_buf_puts(&key, cell->note_html);
	/* a "See product description" cell links its product's own */
	if (cell->status == ST_SEE_PRODUCT) {
		tc_buf_putc(&key, '\x1f');
		tc_buf_puts(&key, S->m->scopes[si].id);
	}
	size_t b = tc_fnv1a(TC_FNV_INIT, tc_buf_cstr(&key)) % CELL_BUCKETS;
	cell_entry *e = S->cells[b];
	while (e && strcmp(e->key, tc_buf_cstr(&key)))
		e = e->next;
	if (!e) {
		e = tc_xcalloc(1, sizeof *e);
		e->html = site_render_fragment(
		    S, "cell", site_cell_view(S, S->ca, cell, si), S->ca,
		    S->sa);
		e->key = tc_buf_detach(&key);
		e->next = S->cells[b];
		S->cells[b] = e;
	}
	tc_buf_free(&key);
	return e->html;
}

/* The HTML of cell k of measure mi of category ci: looked up once per
 * cell, however many pages show it. */
static const tc_val *cell_at(site *S, size_t ci, size_t mi, size_t k)
{
	const tc_category *c = &S->m->categories[ci];
	if (!S->chtml[ci]) {
		S->coff[ci] = tc_xcalloc(c->nmeasures + 1, sizeof(size_t));
		for (size_t i = 0; i < c->nmeasures; i++)
			S->coff[ci][i + 1] =
			    S->coff[ci][i] +
			    c->tables[c->measures[i].table].nscopes;
		S->chtml[ci] =
		    tc_xcalloc(S->coff[ci][c->nmeasures] + 1, sizeof(tc_val *));
	}
	const tc_val **slot = &S->chtml[ci][S->coff[ci][mi] + k];
	if (!*slot) {
		const tc_measure *me = &c->measures[mi];
		const tc_table *t = &c->tables[me->table];
		*slot = cell_html(S, &me->cells[k], t->scopes[k]);
	}
	return *slot;
}

/* ---- tables ---- */

/* A table row: the measure and its cells in column order, each with its
 * scope's name, which a phone's card and a printed annex show beside the
 * badge where there is no room for the column header. */
static tc_val *row_view(site *S, tc_arena *a, size_t ci, size_t mi)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_table *t = &c->tables[c->measures[mi].table];
	tc_val *cells = tc_val_list(a);
	for (size_t k = 0; k < t->nscopes; k++) {
		tc_val *cv = tc_val_map(a);
		tc_val_set_str(cv, "scope", S->m->scopes[t->scopes[k]].name);
		tc_val_set(cv, "html", cell_at(S, ci, mi, k));
		tc_val_list_push(cells, cv);
	}
	tc_val *row = tc_val_map(a);
	tc_val_set(row, "m", S->meas_v[ci][mi]);
	tc_val_set(row, "cells", cells);
	return row;
}

/* Whether cells x and y show the same. */
static bool same_shown(const tc_cell *x, const tc_cell *y)
{
	return x->status == y->status && x->resp == y->resp &&
	       !strcmp(x->label, y->label) &&
	       !strcmp(x->note_html, y->note_html);
}

/* The HTML of a row's site, organisation and internal cells, the same for
 * every product (the product rule): under the product's own cell on its
 * page, under the measure in a comparison. Cells that show the same are
 * one item naming their scopes ("Data centers, Admin buildings: ✓"), an
 * internal one labelled as the provider's own systems. Rendered once per
 * measure and kept with its view: a site of many such columns repeats
 * them on every product page and comparison. "" when there are none. */
static const tc_val *every_html(site *S, size_t ci, size_t mi,
				const tc_scope *product)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_measure *me = &c->measures[mi];
	const tc_table *t = &c->tables[me->table];
	/* a ✓ of the per-product level column sends the reader to the
	 * product's description: on a product's page, that product's */
	bool per_product = false;
	for (size_t k = 0; k < t->nscopes; k++)
		per_product |= S->m->scopes[t->scopes[k]].per_product &&
			       me->cells[k].status == ST_SEE_PRODUCT;
	if (!product || !*product->url)
		per_product = false;
	/* built mutable in build_views */
	tc_val *mv = (tc_val *)S->meas_v[ci][mi];
	const tc_val *done = per_product ? NULL : tc_val_get(mv, "every_html");
	if (done)
		return done;
	tc_arena *a = S->ca;
	tc_val *cells = tc_val_list(a);
	for (size_t k = 0; k < t->nscopes; k++) {
		tc_cell_role role =
		    tc_cell_role_of(S->m->scopes[t->scopes[k]].kind, false);
		if (role != CR_EVERY && role != CR_INTERNAL)
			continue;
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = tc_cell_role_of(S->m->scopes[t->scopes[j]].kind,
					       false) == role &&
			       same_shown(&me->cells[j], &me->cells[k]);
		if (seen)
			continue;
		tc_buf names = TC_BUF_INIT;
		for (size_t j = k; j < t->nscopes; j++)
			if (tc_cell_role_of(S->m->scopes[t->scopes[j]].kind,
					    false) == role &&
			    same_shown(&me->cells[j], &me->cells[k]))
				tc_buf_printf(&names, "%s%s",
					      names.len ? ", " : "",
					      S->m->scopes[t->scopes[j]].name);
		tc_val *cv = cell_view_doc(
		    S, a, &me->cells[k], t->scopes[k],
		    S->m->scopes[t->scopes[k]].per_product ? product : NULL);
		tc_val_set(cv, "scopes",
			   tc_val_strndup(a, tc_buf_cstr(&names), names.len));
		tc_buf_free(&names);
		tc_val_set_bool(cv, "internal", role == CR_INTERNAL);
		tc_val_list_push(cells, cv);
	}
	tc_val *v = tc_val_map(a);
	tc_val_set(v, "cells", cells);
	tc_val_set_bool(v, "has_cells", tc_val_len(cells) > 0);
	const tc_val *html = site_render_fragment(S, "scope-cells", v, S->ca,
						  per_product ? S->pa : S->sa);
	if (!per_product)
		tc_val_set(mv, "every_html", html);
	return html;
}

/* A measure's row on a product page (the product rule, lib/tomdata.h):
 * the product's own cell, then each site, organisation and internal cell
 * with the name of its column, an internal one labelled as the
 * provider's own systems (no answer for the product). general: the row
 * has no cell of the product's own. */
static tc_val *product_row(site *S, tc_arena *a, size_t ci, size_t mi,
			   size_t pi)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_measure *me = &c->measures[mi];
	const tc_cell *own = tc_cell_for(c, me, pi);
	tc_val *row = tc_val_map(a);
	tc_val_set(row, "m", S->meas_v[ci][mi]);
	/* only the product's own cell and those that apply to every
	 * product: a product page of a big site must not build views of
	 * every other column */
	if (own)
		tc_val_set(row, "cell_html",
			   cell_at(S, ci, mi, (size_t)(own - me->cells)));
	tc_val_set(row, "every_html", every_html(S, ci, mi, &S->m->scopes[pi]));
	tc_val_set_bool(row, "general", !own);
	return row;
}

static bool same_columns(const tc_table *x, const tc_table *y)
{
	return x->nscopes == y->nscopes &&
	       !memcmp(x->scopes, y->scopes, x->nscopes * sizeof *x->scopes);
}

/* The prose before the tables, which the category page and the annex show
 * under the title (the matrix leaves it to the category page). */
static const char *lead_prose(const tc_category *c)
{
	return c->prose_at ? tc_category_prose(c, 0) : c->prose_html;
}

/* The first table of c with the columns of table ti. Source tables with
 * the same columns are shown as one: a reader compares a column from top
 * to bottom, and one header row stays on screen for all of them; but not
 * across prose, which stays where it is written, between the tables. */
static size_t first_alike(const tc_category *c, size_t ti)
{
	size_t from = ti;
	while (from > 0 && !*tc_category_prose(c, from))
		from--;
	for (size_t i = from; i < ti; i++)
		if (same_columns(&c->tables[i], &c->tables[ti]))
			return i;
	return ti;
}

/* A category's tables as HTML. The category page, the matrix and the annex
 * all show them: rendering them once keeps big sites fast. */
static const tc_val *tables_html(site *S, size_t ci)
{
	if (S->tables_html[ci])
		return S->tables_html[ci];
	const tc_category *c = &S->m->categories[ci];
	tc_arena *a = S->ta;
	tc_val *tables = tc_val_list(a);
	for (size_t ti = 0; ti < c->ntables; ti++) {
		const tc_table *t = &c->tables[ti];
		if (first_alike(c, ti) != ti)
			continue; /* its rows are in the first table alike */
		tc_val *cols = tc_val_list(a), *rows = tc_val_list(a);
		for (size_t k = 0; k < t->nscopes; k++)
			tc_val_list_push(cols, S->scope_v[t->scopes[k]]);
		for (size_t mi = 0; mi < c->nmeasures; mi++)
			if (first_alike(c, c->measures[mi].table) == ti)
				tc_val_list_push(rows, row_view(S, a, ci, mi));
		tc_val *tv = tc_val_map(a);
		if (ti > 0 && *tc_category_prose(c, ti))
			tc_val_set_str(tv, "before_html",
				       tc_category_prose(c, ti));
		tc_val_set(tv, "columns", cols);
		tc_val_set(tv, "rows", rows);
		/* from three columns on, a table is laid out compactly: icons
		 * on wide screens, cards on narrow ones and on paper */
		tc_val_set_bool(tv, "compact", t->nscopes >= COMPACT_COLUMNS);
		tc_val_list_push(tables, tv);
	}
	tc_val *ctx = tc_val_map(a);
	tc_val_set(ctx, "tables", tables);
	if (c->ntables && *tc_category_prose(c, c->ntables))
		tc_val_set_str(ctx, "after_html",
			       tc_category_prose(c, c->ntables));
	S->tables_html[ci] =
	    site_render_fragment(S, "category-tables", ctx, a, S->tab);
	return S->tables_html[ci];
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
	tc_arena *a = S->pa;
	tc_val *totals = tc_val_map(a);
	tc_val_set_int(totals, "categories", (long long)S->m->ncategories);
	tc_val_set_int(totals, "measures", (long long)measures);
	tc_val_set_int(totals, "cells", (long long)cells);
	tc_val *ctx = tc_val_map(a);
	/* no page title: the layout names the site */
	tc_val_set(ctx, "page",
		   site_page_meta(a, "", site_rurl(S, R_HOME),
				  tc_msg(S->lang, "home.description")));
	tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
	tc_val_set_str(ctx, "intro_html", S->m->intro_html);
	tc_val_set(ctx, "totals", totals);
	/* the newest release: its version, date and its entry on /changes/ */
	const char *lv = S->latest ? S->latest->version : NULL;
	const char *ld = S->latest ? S->latest->date : NULL;
	if (lv && ld && tc_route_version_ok(lv)) {
		tc_val *lc = tc_val_map(a);
		tc_buf u = TC_BUF_INIT;
		tc_route_url(&u, S->lang, R_CHANGES, NULL, NULL);
		tc_buf_printf(&u, "#v%s", lv);
		tc_val_set(lc, "url", tc_val_strdup(a, tc_buf_cstr(&u)));
		tc_buf_clear(&u);
		tc_msg_date(&u, S->lang, ld);
		tc_val_set(lc, "date", tc_val_strdup(a, tc_buf_cstr(&u)));
		tc_buf_free(&u);
		tc_val_set_str(lc, "version", lv);
		tc_val_set(ctx, "last_change", lc);
	}
	site_page(S, "index", site_rfile(S, R_HOME), ctx);
	site_page_done(S);
}

static void write_categories(site *S)
{
	for (size_t i = 0; i < S->m->ncategories; i++) {
		const tc_category *c = &S->m->categories[i];
		tc_arena *a = S->pa;
		tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, R_CATEGORY, c->id, NULL);
		tc_route_url(&path, S->lang, R_CATEGORY, c->id, NULL);
		tc_val *ctx = tc_val_map(a);
		tc_val_set(ctx, "page",
			   site_page_meta(a, c->title, tc_buf_cstr(&path),
					  c->description));
		tc_val_set(ctx, "nav", site_nav(S, NULL, c->id));
		tc_val_set(ctx, "category", S->cat_v[i]);
		tc_val_set_str(ctx, "prose_html", lead_prose(c));
		tc_val_set(ctx, "tables_html", tables_html(S, i));
		site_page(S, "category", tc_buf_cstr(&rel), ctx);
		site_page_done(S);
		tc_buf_free(&rel);
		tc_buf_free(&path);
	}
}

static void write_matrix(site *S)
{
	tc_arena *a = S->pa;
	tc_val *cats = tc_val_list(a);
	for (size_t i = 0; i < S->m->ncategories; i++) {
		tc_val *v = tc_val_map(a);
		tc_val_set(v, "category", S->cat_v[i]);
		tc_val_set(v, "tables_html", tables_html(S, i));
		tc_val_list_push(cats, v);
	}
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "all_measures"),
			       site_rurl(S, R_MATRIX),
			       tc_msg(S->lang, "matrix.description"));
	tc_val_set(ctx, "categories", cats);
	site_page(S, "matrix", site_rfile(S, R_MATRIX), ctx);
	site_page_done(S);
}

/* Every other product, with the URL comparing `from` to it. */
static tc_val *compare_links(site *S, tc_arena *a, size_t from)
{
	tc_val *l = tc_val_list(a);
	for (size_t i = 0; i < S->m->nscopes; i++) {
		if (i == from || S->m->scopes[i].kind != SK_PRODUCT)
			continue;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "name", S->m->scopes[i].name);
		tc_val_set(v, "url",
			   site_url(a, S->lang, R_COMPARE,
				    S->m->scopes[from].id, S->m->scopes[i].id));
		tc_val_list_push(l, v);
	}
	return l;
}

/* The cell that makes measure me the client's for the product (its
 * responsibility r by the product rule): the product's own when it says
 * so, else the first site or organisation cell that does; t->nscopes
 * when none. */
static size_t duty_cell(const tc_model *m, const tc_category *c,
			const tc_measure *me, size_t pi, tc_resp r)
{
	const tc_table *t = &c->tables[me->table];
	size_t at = t->nscopes;
	for (size_t k = 0; k < t->nscopes; k++) {
		tc_cell_role role = tc_measure_role(m, c, me, k, pi);
		if ((role == CR_OWN || role == CR_EVERY) &&
		    me->cells[k].resp == r &&
		    (at == t->nscopes || role == CR_OWN))
			at = k;
	}
	return at;
}

/* A measure of the "Your responsibilities" list, with the cell that
 * makes it the client's. */
static tc_val *duty_view(site *S, tc_arena *a, size_t ci, size_t mi, size_t pi,
			 tc_resp r)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_measure *me = &c->measures[mi];
	const tc_table *t = &c->tables[me->table];
	size_t at = duty_cell(S->m, c, me, pi, r);
	tc_val *v = tc_val_map(a);
	tc_val_set(v, "m", S->meas_v[ci][mi]);
	tc_val_set(v, "category", S->cat_v[ci]);
	tc_val_set_str(v, "cats", c->title);
	if (at < t->nscopes)
		tc_val_set(v, "cell",
			   site_cell_view(S, a, &me->cells[at], t->scopes[at]));
	tc_val_set_bool(v, "shared", r == RS_SHARED);
	return v;
}

/* The duties of a product, identical generic ones once (issue 21: Cloud
 * servers' list opened with "(Additional) measures the responsibility of
 * the Client" four times, EAC-10, IAC-4, ISO-3, INT-3): a measure whose
 * text and responsibility an earlier duty has joins that item, which
 * names every such measure (with its own note, if any) and the
 * categories they cover. */
typedef struct duty_list {
	tc_val *list;
	json_t *seen; /* text and responsibility -> index in list */
	tc_buf *cats; /* per item: its categories, ", "-separated */
	size_t n;
} duty_list;

static void duty_add(site *S, tc_arena *a, duty_list *d, size_t ci, size_t mi,
		     size_t pi, tc_resp r)
{
	const tc_category *c = &S->m->categories[ci];
	const tc_measure *me = &c->measures[mi];
	tc_buf key = TC_BUF_INIT;
	tc_buf_printf(&key, "%s\x1f%s", tc_resp_id(r), me->text);
	json_t *at = json_object_get(d->seen, tc_buf_cstr(&key));
	if (!at) {
		json_object_set_new(d->seen, tc_buf_cstr(&key),
				    json_integer((json_int_t)d->n));
		tc_buf_free(&key);
		d->cats = tc_xrealloc(d->cats, (d->n + 1) * sizeof(tc_buf));
		d->cats[d->n] = (tc_buf)TC_BUF_INIT;
		tc_buf_puts(&d->cats[d->n++], c->title);
		tc_val_list_push(d->list, duty_view(S, a, ci, mi, pi, r));
		return;
	}
	tc_buf_free(&key);
	size_t i = (size_t)json_integer_value(at);
	tc_val *item = (tc_val *)tc_val_at(d->list, i);
	tc_val *more = (tc_val *)tc_val_get(item, "more");
	if (!more) {
		more = tc_val_list(a);
		tc_val_set(item, "more", more);
	}
	const tc_table *t = &c->tables[me->table];
	size_t k = duty_cell(S->m, c, me, pi, r);
	tc_val *o = tc_val_map(a);
	tc_val_set(o, "m", S->meas_v[ci][mi]);
	tc_val_set_str(o, "note_html",
		       k < t->nscopes ? me->cells[k].note_html : "");
	tc_val_list_push(more, o);
	/* each category once, in the order they come */
	tc_buf probe = TC_BUF_INIT;
	tc_buf_printf(&probe, ", %s, ", tc_buf_cstr(&d->cats[i]));
	tc_buf want = TC_BUF_INIT;
	tc_buf_printf(&want, ", %s, ", c->title);
	if (!strstr(tc_buf_cstr(&probe), tc_buf_cstr(&want)))
		tc_buf_printf(&d->cats[i], ", %s", c->title);
	tc_buf_free(&probe);
	tc_buf_free(&want);
}

/* Sets each item's "cats" from d and frees what d holds but its list. */
static void duties_done(tc_arena *a, duty_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		tc_val *item = (tc_val *)tc_val_at(d->list, i);
		tc_val_set(item, "cats",
			   tc_val_strndup(a, tc_buf_cstr(&d->cats[i]),
					  d->cats[i].len));
		tc_buf_free(&d->cats[i]);
	}
	free(d->cats);
	json_decref(d->seen);
}

/* What one product's page and annex show: the count of each
 * responsibility (they add up to the rows), the client's duties and every
 * measure that concerns the product, by category. */
static tc_val *product_view(site *S, size_t pi)
{
	tc_arena *a = S->pa;
	size_t counts[RS__COUNT] = {0}, general = 0, nrows = 0;
	tc_val *groups = tc_val_list(a);
	duty_list d = {tc_val_list(a), json_object(), NULL, 0};
	for (size_t ci = 0; ci < S->m->ncategories; ci++) {
		const tc_category *c = &S->m->categories[ci];
		tc_val *rows = tc_val_list(a);
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			tc_answer ans = tc_measure_answer(S->m, c, me, pi);
			if (!ans.concerns)
				continue;
			tc_resp r = ans.resp;
			counts[r]++;
			nrows++;
			if (r == RS_CLIENT || r == RS_SHARED)
				duty_add(S, a, &d, ci, mi, pi, r);
			general += !ans.own;
			tc_val_list_push(rows, product_row(S, a, ci, mi, pi));
		}
		if (tc_val_len(rows)) {
			tc_val *g = tc_val_map(a);
			tc_val_set(g, "category", S->cat_v[ci]);
			tc_val_set(g, "rows", rows);
			tc_val_list_push(groups, g);
		}
	}
	tc_val *cnt = tc_val_list(a);
	for (int r = 0; r < RS__COUNT; r++) {
		if (!counts[r])
			continue;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", tc_resp_id((tc_resp)r));
		tc_val_set_str(v, "title", tc_resp_title(S->lang, (tc_resp)r));
		tc_val_set_str(v, "icon", tc_resp_icon((tc_resp)r));
		tc_val_set_int(v, "count", (long long)counts[r]);
		tc_val_list_push(cnt, v);
	}
	duties_done(a, &d);
	tc_val *duties = d.list;
	/* measures, not items: an item may name several */
	size_t nd = counts[RS_CLIENT] + counts[RS_SHARED];
	const tc_scope *p = &S->m->scopes[pi];
	tc_val *v = tc_val_map(a);
	tc_val_set(v, "product", S->scope_v[pi]);
	tc_val_set(v, "counts", cnt);
	tc_val_set(v, "duties", duties);
	tc_val_set(v, "groups", groups);
	tc_val_set_int(v, "general_count", (long long)general);
	tc_val_set(v, "general_words",
		   site_msgf_n(a, S->lang, "product.general", general,
			       "product", p->name, NULL));
	tc_val_set_int(v, "row_count", (long long)nrows);
	tc_val_set(v, "row_words",
		   site_count_words(a, S->lang, nrows, "count.concern"));
	/* sentences with the product's name inside: their word order is the
	 * language's (lib/lang.h tc_msgf) */
	tc_val_set(v, "duties_lead",
		   site_msgf_n(a, S->lang, "product.duties", nd, "product",
			       p->name, NULL));
	tc_val_set(v, "all_lead_html",
		   site_msgf_html(a, S->lang, "product.all_lead", "product",
				  p->name, NULL));
	tc_val_set(v, "annex_lead_html",
		   site_msgf_html(a, S->lang, "annex.product_lead", "product",
				  p->name, NULL));
	tc_val_set_int(v, "duty_count", (long long)nd);
	tc_val_set(v, "files", site_product_files(a, S->lang, p->id, false));
	tc_val_set(v, "annex_url",
		   site_url(a, S->lang, R_PRODUCT_ANNEX, p->id, NULL));
	tc_val_set(v, "annex_pdf_url",
		   site_url(a, S->lang, R_PRODUCT_ANNEX_PDF, p->id, NULL));
	/* its change page and feed (gen/history.c), also as the layout's
	 * alternate link */
	tc_val_set(v, "changes_url",
		   site_url(a, S->lang, R_PRODUCT_CHANGES, p->id, NULL));
	tc_val_set(v, "product_feed",
		   site_url(a, S->lang, R_PRODUCT_CHANGES_ATOM, p->id, NULL));
	tc_val_set(v, "nav", site_nav(S, p->id, NULL));
	tc_val_set(v, "others", compare_links(S, a, pi));
	site_trust_product(S, a, v, pi);
	return v;
}

static void write_products(site *S)
{
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *p = &S->m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_arena *a = S->pa;
		tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
		tc_route_url(&path, S->lang, R_PRODUCT, p->id, NULL);
		tc_route_file(&rel, S->lang, R_PRODUCT, p->id, NULL);
		tc_val *ctx = product_view(S, i);
		tc_val_set(ctx, "page",
			   site_page_meta(a, p->name, tc_buf_cstr(&path),
					  p->description));
		site_page(S, "product", tc_buf_cstr(&rel), ctx);

		/* the product's DPA annex shows the same view */
		tc_buf_clear(&path);
		tc_buf_clear(&rel);
		tc_route_url(&path, S->lang, R_PRODUCT_ANNEX, p->id, NULL);
		tc_route_file(&rel, S->lang, R_PRODUCT_ANNEX, p->id, NULL);
		tc_val_set(ctx, "page",
			   site_page_meta(a,
					  SITE_STR(site_msgf(
					      a, S->lang, "annex.product_title",
					      "product", p->name, NULL)),
					  tc_buf_cstr(&path), p->description));
		tc_val_set(ctx, "print_page",
			   tc_val_printf(a, SITE_PRINT_PAGE "%s", p->id));
		site_page(S, "product-annex", tc_buf_cstr(&rel), ctx);
		site_page_done(S);
		tc_buf_free(&rel);
		tc_buf_free(&path);
		site_write_product_data(S, p);
	}
}

/* ---- comparisons: what changes when a client moves from a to b ---- */

static bool same_cell(const tc_cell *x, const tc_cell *y)
{
	return x && y && x->status == y->status && x->resp == y->resp &&
	       !strcmp(x->label, y->label) && !strcmp(x->note, y->note);
}

static const tc_val *side(site *S, size_t ci, size_t mi, const tc_cell *c)
{
	if (!c)
		return tc_val_null();
	const tc_measure *me = &S->m->categories[ci].measures[mi];
	return cell_at(S, ci, mi, (size_t)(c - me->cells));
}

/* The measures whose cells differ, each flagged with what it means for
 * the client (tc_resp_move: more or less of it becomes theirs, wholly or
 * in part), as the changes between versions say it. */
static tc_val *compare_view(site *S, size_t a, size_t b)
{
	tc_arena *A = S->pa;
	tc_val *groups = tc_val_list(A);
	size_t diffs = 0, gained = 0, lost = 0;
	for (size_t ci = 0; ci < S->m->ncategories; ci++) {
		const tc_category *c = &S->m->categories[ci];
		tc_val *rows = tc_val_list(A);
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			const tc_cell *x = tc_cell_for(c, me, a),
				      *y = tc_cell_for(c, me, b);
			if ((!x && !y) || same_cell(x, y))
				continue;
			/* what the row says for each product: its own cell
			 * and the site and organisation cells (the product
			 * rule, lib/tomdata.h) */
			tc_answer ax = tc_measure_answer(S->m, c, me, a),
				  ay = tc_measure_answer(S->m, c, me, b);
			tc_move mv = tc_resp_move(ax.resp, ay.resp);
			const char *words = tc_move_words(S->lang, mv);
			/* a row that says nothing about one of them, and an X
			 * that is not provided by anyone: neither is "no
			 * longer your job" (issue 21) */
			if (!ax.concerns || !ay.concerns) {
				mv = MV_NONE;
				words = tc_msg(S->lang, "move.not-listed");
			} else if (ay.not_provided && ay.resp == RS_NONE &&
				   (mv == MV_FROM_CLIENT ||
				    mv == MV_PARTLY_FROM_CLIENT)) {
				mv = MV_NONE;
				words = tc_msg(S->lang, "move.not-provided");
			}
			bool to = tc_move_to_client(mv);
			diffs++;
			gained += to;
			lost += mv != MV_NONE && !to;
			tc_val *row = tc_val_map(A);
			tc_val_set(row, "m", S->meas_v[ci][mi]);
			tc_val_set(row, "a", side(S, ci, mi, x));
			tc_val_set(row, "b", side(S, ci, mi, y));
			tc_val_set(row, "every_html",
				   every_html(S, ci, mi, NULL));
			tc_val_set_bool(row, "to_you", to);
			tc_val_set_str(row, "move", words);
			tc_val_list_push(rows, row);
		}
		if (tc_val_len(rows)) {
			tc_val *g = tc_val_map(A);
			tc_val_set(g, "category", S->cat_v[ci]);
			tc_val_set(g, "rows", rows);
			tc_val_list_push(groups, g);
		}
	}
	tc_val *v = tc_val_map(A);
	tc_val_set(v, "a", S->scope_v[a]);
	tc_val_set(v, "b", S->scope_v[b]);
	/* inside a row, "a" and "b" are its cells: the names under names of
	 * their own, for the cards' scope labels */
	tc_val_set_str(v, "a_name", S->m->scopes[a].name);
	tc_val_set_str(v, "b_name", S->m->scopes[b].name);
	tc_val_set(v, "groups", groups);
	tc_val_set_int(v, "diff_count", (long long)diffs);
	tc_val_set_int(v, "to_you_count", (long long)gained);
	tc_val_set_int(v, "from_you_count", (long long)lost);
	const char *na = S->m->scopes[a].name, *nb = S->m->scopes[b].name;
	tc_val_set(v, "diff_words",
		   site_count_words(A, S->lang, diffs, "count.differs"));
	tc_val_set(
	    v, "to_you_words",
	    site_msgf_n(A, S->lang, "compare.to_you", gained, "b", nb, NULL));
	tc_val_set(
	    v, "from_you_words",
	    site_msgf_n(A, S->lang, "compare.from_you", lost, "b", nb, NULL));
	tc_val_set(
	    v, "compare_title",
	    site_msgf(A, S->lang, "compare.title", "a", na, "b", nb, NULL));
	tc_val_set(
	    v, "swap_title",
	    site_msgf(A, S->lang, "compare.title", "a", nb, "b", na, NULL));
	tc_val_set(
	    v, "compare_lead",
	    site_msgf(A, S->lang, "compare.lead", "a", na, "b", nb, NULL));
	tc_val_set(v, "other_title",
		   site_msgf(A, S->lang, "compare.other", "a", na, NULL));
	tc_val_set(v, "swap_url",
		   site_url(A, S->lang, R_COMPARE, S->m->scopes[b].id,
			    S->m->scopes[a].id));
	return v;
}

static void write_compare(site *S)
{
	tc_arena *sa = S->sa;
	tc_val *table = tc_val_list(sa);
	for (size_t a = 0; a < S->m->nscopes; a++) {
		if (S->m->scopes[a].kind != SK_PRODUCT)
			continue;
		tc_val *row = tc_val_map(sa);
		tc_val_set(row, "product", S->scope_v[a]);
		tc_val_set(row, "others", compare_links(S, sa, a));
		tc_val_list_push(table, row);
		for (size_t b = 0; b < S->m->nscopes; b++) {
			if (a == b || S->m->scopes[b].kind != SK_PRODUCT)
				continue;
			const tc_scope *pa = &S->m->scopes[a],
				       *pb = &S->m->scopes[b];
			tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
			tc_route_url(&path, S->lang, R_COMPARE, pa->id, pb->id);
			tc_route_file(&rel, S->lang, R_COMPARE, pa->id, pb->id);
			tc_val *ctx = compare_view(S, a, b);
			tc_val_set(
			    ctx, "page",
			    site_page_meta(
				S->pa,
				SITE_STR(tc_val_get(ctx, "compare_title")),
				tc_buf_cstr(&path),
				tc_msg(S->lang, "compare.description")));
			tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
			tc_val_set(ctx, "others", compare_links(S, S->pa, a));
			site_page(S, "compare", tc_buf_cstr(&rel), ctx);
			site_page_done(S);
			tc_buf_free(&rel);
			tc_buf_free(&path);
		}
	}
	tc_val *ctx = site_ctx(S, S->pa, tc_msg(S->lang, "compare_products"),
			       site_rurl(S, R_COMPARE_INDEX),
			       tc_msg(S->lang, "compare.description"));
	tc_val_set(ctx, "products", table);
	site_page(S, "compare-index", site_rfile(S, R_COMPARE_INDEX), ctx);
	site_page_done(S);
}

/* ---- the DPA annex (all products; each product's is in write_products) */

static void write_annex(site *S)
{
	tc_arena *a = S->pa;
	tc_val *cats = tc_val_list(a);
	for (size_t i = 0; i < S->m->ncategories; i++) {
		tc_val *v = tc_val_map(a);
		tc_val_set(v, "category", S->cat_v[i]);
		tc_val_set_str(v, "prose_html",
			       lead_prose(&S->m->categories[i]));
		tc_val_set(v, "tables_html", tables_html(S, i));
		tc_val_list_push(cats, v);
	}
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "annex.title"),
			       site_rurl(S, R_ANNEX),
			       tc_msg(S->lang, "annex.description"));
	tc_val_set(ctx, "categories", cats);
	tc_val_set_str(ctx, "intro_html", S->m->intro_html);
	site_page(S, "annex", site_rfile(S, R_ANNEX), ctx);
	site_page_done(S);
	site_write_annex_pdf(S, NULL, S->m, NULL, NULL, NULL, NULL);
}

/* ---- sitemap, robots, 404, the API page ---- */

static void add_url(site *S, tc_val *urls, tc_route r, const char *id)
{
	tc_val *v = tc_val_map(S->pa);
	tc_val_set(v, "path", site_url(S->pa, S->lang, r, id, NULL));
	tc_val_list_push(urls, v);
}

/* Every URL of a route: one, or one per category or product its slot
 * takes. */
static void route_urls(site *S, tc_route r, tc_val *urls)
{
	if (!tc_route_get(r)->slots)
		add_url(S, urls, r, NULL);
	else if (r == R_CATEGORY)
		for (size_t i = 0; i < S->m->ncategories; i++)
			add_url(S, urls, r, S->m->categories[i].id);
	else
		for (size_t i = 0; i < S->m->nscopes; i++)
			if (S->m->scopes[i].kind == SK_PRODUCT)
				add_url(S, urls, r, S->m->scopes[i].id);
}

static void write_simple(site *S)
{
	tc_val *urls = tc_val_list(S->pa);
	for (int r = 0; r < R__COUNT; r++)
		if (tc_route_get((tc_route)r)->sitemap)
			route_urls(S, (tc_route)r, urls);
	tc_val *ctx = tc_val_map(S->pa);
	tc_val_set(ctx, "urls", urls);
	/* a sitemap lists absolute URLs: without base_url it lists none (and
	 * robots.txt names it not), which tc-gen says once */
	if (!*S->m->base_url && !*S->lang->prefix)
		fprintf(stderr,
			"%s: warning: no base_url: sitemap.xml lists no page, "
			"robots.txt names no sitemap, and the data's links are "
			"paths without a host\n",
			S->m->site_file ? S->m->site_file : "site.md");
	site_page(S, "sitemap", site_rfile(S, R_SITEMAP), ctx);
	if (!*S->lang->prefix) {
		/* one robots.txt names the sitemap of every language */
		size_t n;
		const tc_lang *all = tc_lang_all(S->lang, &n);
		tc_val *maps = tc_val_list(S->pa);
		for (size_t i = 0; i < n; i++) {
			tc_buf u = TC_BUF_INIT;
			tc_route_url(&u, &all[i], R_SITEMAP, NULL, NULL);
			tc_val_list_push(maps,
					 tc_val_strdup(S->pa, tc_buf_cstr(&u)));
			tc_buf_free(&u);
		}
		ctx = tc_val_map(S->pa);
		tc_val_set(ctx, "sitemaps", maps);
		site_page(S, "robots", site_rfile(S, R_ROBOTS), ctx);
	}
	ctx = tc_val_map(S->pa);
	tc_val_set(ctx, "page",
		   site_page_meta(S->pa, tc_msg(S->lang, "page_not_found"),
				  site_rurl(S, R_NOT_FOUND), ""));
	tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
	site_page(S, "404", site_rfile(S, R_NOT_FOUND), ctx);
	site_page_done(S);
	site_write_api_page(S);
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
		} else if (!strcmp(*a, "style.css")) {
			/* site.md's accents after the defaults */
			tc_buf css = TC_BUF_INIT;
			tc_buf_put(&css, data, len);
			tc_brand_css(&css, S->m->brand);
			site_emit(S, tc_buf_cstr(&rel), tc_buf_cstr(&css),
				  css.len);
			tc_buf_free(&css);
		} else {
			site_emit(S, tc_buf_cstr(&rel), data, len);
		}
		free(data);
		tc_buf_free(&src);
		tc_buf_free(&rel);
	}
	const tc_brand *b = S->m->brand;
	if (b->logo_data) {
		tc_buf rel = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, R_LOGO, b->logo_ext, NULL);
		site_emit(S, tc_buf_cstr(&rel), b->logo_data, b->logo_len);
		tc_buf_free(&rel);
	}
}

/* ---- the site ---- */

static tc_val *common(site *S, const char *digest)
{
	const tc_model *m = S->m;
	tc_arena *a = S->sa;
	tc_val *st = tc_val_map(a);
	tc_val_set_str(st, "organisation", m->organisation);
	tc_val_set_str(st, "title", m->title);
	tc_val_set_str(st, "version", m->version);
	/* the date as the language writes it in a sentence; ISO where a
	 * machine reads it (the sitemap) */
	tc_buf dt = TC_BUF_INIT;
	tc_msg_date(&dt, S->lang, m->date);
	tc_val_set(st, "date", tc_val_strdup(a, tc_buf_cstr(&dt)));
	tc_buf_free(&dt);
	tc_val_set_str(st, "date_iso", m->date);
	tc_val_set_str(st, "base_url", m->base_url);
	tc_val_set_bool(st, "has_base_url", *m->base_url != '\0');
	/* site.md's logo, before the organisation's name (gen/brand.h) */
	if (m->brand->logo_data) {
		tc_val_set(
		    st, "logo_url",
		    site_url(a, S->lang, R_LOGO, m->brand->logo_ext, NULL));
		if (m->brand->logo_width > 0 && m->brand->logo_height > 0) {
			tc_val_set_int(st, "logo_width", m->brand->logo_width);
			tc_val_set_int(st, "logo_height",
				       m->brand->logo_height);
		}
	}
	/* where the site is served under its base_url: robots.txt's paths */
	tc_buf bp = TC_BUF_INIT;
	tc_route_base_path(&bp, m->base_url);
	tc_val_set(st, "base_path", tc_val_strdup(a, tc_buf_cstr(&bp)));
	tc_buf_free(&bp);
	/* which language's data set binds, on every annex of every language
	 * (site.md's governing_language; README "Languages") */
	const tc_governing *gv = tc_lang_governing(S->lang);
	if (gv) {
		tc_val *g = tc_val_map(a);
		tc_val_set_str(g, "name", tc_lang_name(S->lang, gv->lang));
		tc_val_set_str(g, "code", gv->lang->code);
		tc_val_set_str(g, "url", gv->url);
		tc_val_set_str(g, "sha256", gv->sha256);
		tc_val_set_bool(g, "this",
				!strcmp(gv->lang->code, S->lang->code));
		tc_val_set(st, "governing", g);
	}
	/* the language a release's data set is written in: the content's */
	size_t nl;
	const tc_lang *all = tc_lang_all(S->lang, &nl);
	tc_val *orig = tc_val_map(a);
	tc_val_set_str(orig, "name", tc_lang_name(S->lang, &all[0]));
	tc_val_set_str(orig, "code", all[0].code);
	tc_val_set(st, "original", orig);
	if (digest)
		tc_val_set(st, "tom_sha256", tc_val_strdup(a, digest));
	/* the file that digest is of, named as the print footer names it:
	 * this language's api/tom.json */
	tc_buf tf = TC_BUF_INIT;
	tc_route_file(&tf, S->lang, R_TOM_JSON, NULL, NULL);
	tc_val_set(st, "tom_file", tc_val_strdup(a, tc_buf_cstr(&tf)));
	tc_buf_free(&tf);
	site_trust_common(S, a, st);
	/* every URL a template links to comes from the route table */
	tc_val *urls = tc_val_map(a);
	for (int r = 0; r < R__COUNT; r++) {
		const tc_route_info *ri = tc_route_get((tc_route)r);
		if (!ri->slots)
			tc_val_set(
			    urls, ri->name,
			    site_url(a, S->lang, (tc_route)r, NULL, NULL));
	}
	tc_val *c = tc_val_map(a);
	tc_val_set(c, "site", st);
	tc_val_set(c, "urls", urls);
	/* the site's own words in the page's language ({{t.key}}) */
	const tc_lang *l = S->lang;
	tc_val_set(c, "t", tc_val_from_json(a, tc_msgs_json(tc_lang_msgs(l))));
	tc_val *lang = tc_val_map(a);
	tc_val_set_str(lang, "code", l->code);
	tc_val_set_str(lang, "prefix", l->prefix);
	tc_val_set(c, "lang", lang);
	tc_val_set(c, "legend", tc_view_legend_val(a, l));
	tc_val_set(c, "print_css",
		   site_url(a, S->lang, R_PRINT_CSS, NULL, NULL));
	/* the annexes' print-only cover line, legend note and signature
	 * block say what the PDF says (gen/pdf.c), in its words: {{pdf.key}}
	 * for the message "pdf.key" */
	static const char *const pdf_words[] = {
	    "pdf.controller", "pdf.controller_blank", "pdf.links",
	    "pdf.signatures", "pdf.for_controller",   "pdf.for_processor",
	    "pdf.place_date", "pdf.name_role",        "pdf.signature",
	    "pdf.dpa_ref",    "pdf.dpa_ref_blank"};
	tc_val *pw = tc_val_map(a);
	for (size_t i = 0; i < sizeof pdf_words / sizeof *pdf_words; i++)
		tc_val_set(pw, pdf_words[i] + 4,
			   tc_val_strdup(a, tc_msg(S->lang, pdf_words[i])));
	tc_val_set(c, "pdf", pw);
	return c;
}

static void site_open(site *S)
{
	S->sa = tc_arena_new(0);
	S->pa = tc_arena_new(0);
	S->ta = tc_arena_new(0);
	S->ca = tc_arena_new(4096);
	build_views(S);
}

static void site_close(site *S)
{
	free_views(S);
	tc_arena_free(S->sa);
	tc_arena_free(S->pa);
	tc_arena_free(S->ta);
	tc_arena_free(S->ca);
}

json_t *tc_site_context(const tc_model *m, const tc_lang *l)
{
	site S = {.m = m, .lang = l};
	site_open(&S);
	tc_val *c = common(&S, NULL);
	tc_val_set(c, "nav", S.nav_none);
	json_t *j = tc_val_to_json(c);
	site_close(&S);
	return j;
}

int tc_site_write(const tc_model *m, const tc_lang *l, const char *tom,
		  size_t tom_len, const char *templates, const char *out_dir,
		  const tc_history *h, tc_diags *d, tc_site_stats *stats)
{
	site S = {.m = m,
		  .lang = l,
		  .out = out_dir,
		  .d = d,
		  .tdir = templates,
		  .st = stats,
		  .tom = tom,
		  .tom_len = tom_len,
		  .h = h};
	/* the newest step that is a release marks what changed in it */
	for (size_t ri = 0; h && ri < h->changes->n && !S.latest; ri++)
		if (h->changes->steps[ri].released)
			S.latest = &h->changes->steps[ri];
	size_t budget = stats->budget ? stats->budget : TC_MAX_SITE_BYTES;
	memset(stats, 0, sizeof *stats);
	stats->budget = budget;
	S.env = mus_env_new(site_load_template, &S);
	S.schemas = tc_apidoc_load(m, templates, d);
	if (site_load_templates(&S) || !S.schemas) {
		mus_env_free(S.env);
		json_decref(S.schemas);
		return -1;
	}
	site_open(&S);
	/* The annex prints the digest of api/tom.json exactly as written. */
	tc_sha256_hex(S.tom, S.tom_len, S.digest);
	S.common = common(&S, S.digest);
	S.tables_html = tc_xcalloc(m->ncategories + 1, sizeof(tc_val *));
	S.cells = tc_xcalloc(CELL_BUCKETS, sizeof(cell_entry *));
	S.chtml = tc_xcalloc(m->ncategories + 1, sizeof(tc_val **));
	S.coff = tc_xcalloc(m->ncategories + 1, sizeof(size_t *));
	/* the pages that show whole tables first, then their memory goes */
	S.tab = tc_arena_new(0);
	site_pdf_begin(&S);
	write_index(&S);
	write_categories(&S);
	write_matrix(&S);
	write_annex(&S);
	tc_arena_free(S.tab);
	memset(S.tables_html, 0, m->ncategories * sizeof(tc_val *));
	write_products(&S);
	write_compare(&S);
	site_write_compare_from(&S);
	write_simple(&S);
	site_write_trust(&S);
	site_write_history(&S);
	site_write_version_pages(&S);
	site_write_dpa(&S);
	site_write_data(&S);
	/* what every language shares is written with the first */
	if (!*l->prefix) {
		site_write_schemas(&S);
		copy_assets(&S);
	}
	/* the language's own data file: its digest is the one printed */
	site_product *prods = tc_xcalloc(m->nscopes + 1, sizeof *prods);
	size_t nprods = 0;
	for (size_t i = 0; i < m->nscopes; i++)
		if (m->scopes[i].kind == SK_PRODUCT)
			prods[nprods++] =
			    (site_product){m->scopes[i].id, m->scopes[i].name};
	site_write_print_css(&S, site_rfile(&S, R_PRINT_CSS), m->version,
			     m->date, site_rfile(&S, R_TOM_JSON), S.digest,
			     prods, nprods);
	free(prods);
	site_pdf_end(&S);
	for (size_t i = 0; i < m->ncategories; i++) {
		free(S.chtml[i]);
		free(S.coff[i]);
	}
	for (size_t b = 0; b < CELL_BUCKETS; b++)
		for (cell_entry *e = S.cells[b], *next; e; e = next) {
			next = e->next;
			free(e->key);
			free(e);
		}
	free(S.cells);
	free(S.chtml);
	free(S.coff);
	free(S.tables_html);
	tc_buf_free(&S.outbuf);
	site_close(&S);
	mus_env_free(S.env);
	json_decref(S.schemas);
	return S.failed ? -1 : 0;
}
