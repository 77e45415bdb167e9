/* history.c: the pages of the TOMs' versions: /changes/ and each
 * product's, the Atom feeds, /versions/, the annexes of released versions
 * and their data, api/changes.json and api/versions.json. Everything comes
 * from the releases and the change data (lib/changes.h); nothing reads the
 * clock, so builds stay reproducible. */
#include <stdlib.h>
#include <string.h>

#include "../lib/changes.h"
#include "../lib/escape.h"
#include "../lib/lang.h"
#include "../lib/tomdata.h"
#include "../lib/views.h"
#include "export.h"
#include "release.h"
#include "site_parts.h"

/* ---- the change mark on table rows ---- */

tc_val *site_change_mark(site *S, tc_arena *a, const char *measure)
{
	if (!S->latest)
		return NULL;
	if (!S->changed) {
		S->changed = json_object();
		for (size_t i = 0; i < S->latest->n; i++) {
			const char *id = S->latest->changes[i].measure;
			if (id)
				json_object_set_new(S->changed, id,
						    json_true());
		}
	}
	if (!json_object_get(S->changed, measure))
		return NULL;
	const char *v = S->latest->version;
	tc_val *m = tc_val_map(a);
	tc_val_set(m, "version", tc_val_strdup(a, v));
	tc_val_set(m, "url",
		   tc_val_printf(
		       a, "%s#v%s",
		       tc_val_str_value(
			   site_url(a, S->lang, R_CHANGES, NULL, NULL), NULL),
		       v));
	return m;
}

/* ---- views of the change data ---- */

/* A cell's HTML, of the change data or of a released data set's page,
 * rendered once per distinct cell (the old annexes show thousands of the
 * same few), keyed by its status, responsibility and words; NULL for
 * none. */
static const tc_val *cell_cb(void *ud, const tc_change_cell *cell)
{
	site *S = ud;
	if (!cell)
		return NULL;
	if (!S->old_cells)
		S->old_cells = json_object();
	const char *w[] = {cell->label, cell->note, cell->label_lang,
			   cell->note_lang};
	tc_buf key = TC_BUF_INIT;
	tc_buf_printf(&key, "\x01%d\x1f%d", (int)cell->status, (int)cell->resp);
	for (size_t i = 0; i < 4; i++)
		tc_buf_printf(&key, "\x1f%c%s", w[i] ? '+' : '-',
			      w[i] ? w[i] : "");
	json_t *h = json_object_get(S->old_cells, tc_buf_cstr(&key));
	if (!h) {
		const tc_val *v =
		    tc_change_cell_val(S->ca, S->lang, cell, S->m->base_url);
		size_t n;
		const char *s = tc_val_str_value(
		    site_render_fragment(S, "cell", v, S->ca, S->pa), &n);
		h = json_stringn(s, n);
		json_object_set_new(S->old_cells, tc_buf_cstr(&key), h);
	}
	tc_buf_free(&key);
	return tc_val_strn(S->pa, json_string_value(h), json_string_length(h));
}

/* A cell of a released data set's model as cell_cb renders it (its view,
 * tc_change_cell_val, is what lib/views.h made of the cell's JSON). */
static const tc_val *model_cell(site *S, const tc_cell *c)
{
	tc_change_cell x = {c->status, c->resp,       c->label,
			    c->note,   c->label_lang, c->note_lang};
	return cell_cb(S, &x);
}

/* A step as the "changes" template shows it (lib/changes.h). */
static tc_val *step_view(site *S, const tc_change_step *step)
{
	return tc_changes_view(S->pa, S->lang, step, cell_cb, S);
}

/* ---- /changes/ and the feeds ---- */

static const char *iso_day(tc_arena *a, const char *date)
{
	return tc_val_str_value(tc_val_printf(a, "%sT00:00:00Z", date), NULL);
}

/* An absolute IRI for a path of the site: Atom IDs and links must be
 * absolute. Without a base_url, a tag: IRI keeps them stable and valid. */
static const char *absolute(site *S, const char *path)
{
	if (*S->m->base_url)
		return tc_val_str_value(
		    tc_val_printf(S->pa, "%s%s", S->m->base_url, path), NULL);
	return tc_val_str_value(
	    tc_val_printf(S->pa, "tag:tc.invalid,%.4s:%s", S->m->date, path),
	    NULL);
}

static tc_val *date_text(tc_arena *a, const tc_lang *l, const char *iso);

static void write_feed(site *S, const tc_changeset *doc, const tc_scope *p,
		       const char *html_url)
{
	tc_arena *a = S->pa;
	tc_buf rel = TC_BUF_INIT, self = TC_BUF_INIT;
	tc_route r = p ? R_PRODUCT_CHANGES_ATOM : R_CHANGES_ATOM;
	tc_route_file(&rel, S->lang, r, p ? p->id : NULL, NULL);
	tc_route_url(&self, S->lang, r, p ? p->id : NULL, NULL);
	tc_val *entries = tc_val_list(a);
	const char *updated = NULL;
	for (size_t i = 0; i < doc->n; i++) {
		const tc_change_step *st = &doc->steps[i];
		/* a product's feed only announces what concerns it */
		if (!st->released || (p && !st->n && st->previous))
			continue;
		const char *v = st->version;
		const char *date = st->date;
		const char *path = tc_val_str_value(
		    tc_val_printf(a, "%s#v%s", html_url, v), NULL);
		tc_val *e = tc_val_map(a);
		tc_val_set(
		    e, "title",
		    site_msgf(
			a, S->lang, p ? "feed.entry_product" : "feed.entry",
			"version", v, "date",
			tc_val_str_value(date_text(a, S->lang, date), NULL),
			"product", p ? p->name : "", NULL));
		tc_val_set_str(e, "id", absolute(S, path));
		tc_val_set_str(e, "url", absolute(S, path));
		tc_val_set_str(e, "updated", iso_day(a, date));
		tc_val_set_str(e, "summary", st->summary);
		tc_val_set(e, "content_html",
			   site_render_fragment(S, "changes-entry",
						step_view(S, st), S->ta, a));
		tc_val_list_push(entries, e);
		if (!updated)
			updated = iso_day(a, date);
	}
	tc_val *ctx = tc_val_map(a);
	const char *site_name = SITE_STR(
	    tc_val_printf(a, "%s %s", S->m->organisation, S->m->title));
	tc_val_set(ctx, "title",
		   site_msgf(a, S->lang,
			     p ? "feed.title_product" : "feed.title", "site",
			     site_name, "product", p ? p->name : "", NULL));
	tc_val_set_str(ctx, "feed_id", absolute(S, tc_buf_cstr(&self)));
	tc_val_set_str(ctx, "self_url", absolute(S, tc_buf_cstr(&self)));
	tc_val_set_str(ctx, "html_url", absolute(S, html_url));
	tc_val_set_str(ctx, "updated",
		       updated ? updated : iso_day(a, S->m->date));
	tc_val_set(ctx, "entries", entries);
	site_page(S, "atom", tc_buf_cstr(&rel), ctx);
	tc_buf_free(&rel);
	tc_buf_free(&self);
}

static void write_changes_page(site *S, const tc_changeset *doc,
			       const tc_scope *p, size_t pi)
{
	tc_arena *a = S->pa;
	tc_route r = p ? R_PRODUCT_CHANGES : R_CHANGES;
	tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
	tc_route_file(&rel, S->lang, r, p ? p->id : NULL, NULL);
	tc_route_url(&path, S->lang, r, p ? p->id : NULL, NULL);
	tc_val *releases = tc_val_list(a);
	for (size_t i = 0; i < doc->n; i++)
		tc_val_list_push(releases, step_view(S, &doc->steps[i]));
	const char *path_s =
	    tc_val_str_value(tc_val_strdup(a, tc_buf_cstr(&path)), NULL);
	tc_val *ctx = tc_val_map(a);
	tc_val_set(
	    ctx, "page",
	    site_page_meta(
		a,
		p ? SITE_STR(tc_val_printf(
			a, "%s %s", tc_msg(S->lang, "changes_for"), p->name))
		  : tc_msg(S->lang, "changes_to_toms"),
		path_s, tc_msg(S->lang, "changes.description")));
	tc_val_set(ctx, "nav", site_nav(S, p ? p->id : NULL, NULL));
	if (p) {
		tc_val_set(ctx, "product", S->scope_v[pi]);
		tc_val_set(
		    ctx, "product_feed",
		    site_url(a, S->lang, R_PRODUCT_CHANGES_ATOM, p->id, NULL));
	}
	tc_val_set(ctx, "feed_url",
		   site_url(a, S->lang,
			    p ? R_PRODUCT_CHANGES_ATOM : R_CHANGES_ATOM,
			    p ? p->id : NULL, NULL));
	tc_val_set(ctx, "releases", releases);
	/* a translation's changes (an old release's words too, content/
	 * <lang>/releases.md) say which language's data set binds */
	const tc_governing *g = tc_lang_governing(S->lang);
	if (g && g->lang && strcmp(g->lang->code, S->lang->code))
		tc_val_set(ctx, "translation_note",
			   site_msgf(a, S->lang, "changes.translation_note",
				     "language", tc_lang_name(S->lang, g->lang),
				     NULL));
	site_page(S, "changes", tc_buf_cstr(&rel), ctx);
	write_feed(S, doc, p, path_s);
	site_page_done(S);
	tc_buf_free(&rel);
	tc_buf_free(&path);
}

/* ---- /versions/ and the annexes of released versions ---- */

/* The cells of measure me that a product's annex shows (product: an
 * index of rm's scopes; NO_PRODUCT: every cell), as tc_tom_filter keeps
 * them: none when the measure does not concern the product or only its
 * internal cells would be left. Their indices in me's table go to k;
 * returns how many. */
#define NO_PRODUCT ((size_t)-1)

static size_t kept_cells(const tc_model *rm, const tc_category *c,
			 const tc_measure *me, size_t product, size_t *k)
{
	const tc_table *t = &c->tables[me->table];
	size_t n = 0;
	bool answer = false;
	if (product != NO_PRODUCT && !tc_measure_concerns(rm, c, me, product))
		return 0;
	for (size_t i = 0; i < t->nscopes; i++) {
		tc_cell_role r = product == NO_PRODUCT
				     ? CR_EVERY
				     : tc_measure_role(rm, c, me, i, product);
		if (r == CR_OTHER)
			continue;
		answer |= r != CR_INTERNAL;
		k[n++] = i;
	}
	return answer || product == NO_PRODUCT ? n : 0;
}

/* A released data set's categories as tables, of every product or one:
 * consecutive measures with the same columns form one table, as in the
 * source (a product's annex: the same columns of it). */
static tc_val *old_categories(site *S, const tc_model *rm, size_t product)
{
	tc_arena *a = S->pa;
	tc_val *cats = tc_val_list(a);
	for (size_t ci = 0; ci < rm->ncategories; ci++) {
		const tc_category *c = &rm->categories[ci];
		tc_val *tables = tc_val_list(a), *rows = NULL;
		/* the columns of the last row shown, as scope indices */
		size_t *prev = NULL, nprev = 0, *cur = NULL, nrows = 0;
		for (size_t j = 0; j < c->nmeasures; j++) {
			const tc_measure *me = &c->measures[j];
			const tc_table *t = &c->tables[me->table];
			size_t *k = tc_xcalloc(t->nscopes + 1, sizeof(size_t));
			size_t n = kept_cells(rm, c, me, product, k);
			if (product != NO_PRODUCT && !n) {
				free(k);
				continue;
			}
			free(cur);
			cur = tc_xcalloc(n + 1, sizeof(size_t));
			for (size_t i = 0; i < n; i++)
				cur[i] = t->scopes[k[i]];
			bool same = prev && nprev == n;
			for (size_t i = 0; same && i < n; i++) {
				bool in = false;
				for (size_t q = 0; !in && q < nprev; q++)
					in = prev[q] == cur[i];
				same = in;
			}
			if (!same) {
				tc_val *tv = tc_val_map(a),
				       *cols = tc_val_list(a);
				for (size_t i = 0; i < n; i++) {
					tc_val *col = tc_val_map(a);
					tc_val_set_str(col, "name",
						       rm->scopes[cur[i]].name);
					tc_val_list_push(cols, col);
				}
				rows = tc_val_list(a);
				tc_val_set(tv, "columns", cols);
				tc_val_set(tv, "rows", rows);
				tc_val_set_bool(tv, "compact", n >= 3);
				tc_val_list_push(tables, tv);
			}
			free(prev);
			prev = cur;
			nprev = n;
			cur = NULL;
			tc_val *m = tc_val_map(a), *cv = tc_val_list(a);
			tc_val_set_str(m, "id", me->id);
			/* the data's text is plain, its links "word <URL>":
			 * made HTML for the partial, which shows text_html as
			 * it is, as the notes beside it are */
			tc_buf h = TC_BUF_INIT;
			tc_view_data_html(&h, S->lang, me->text_data,
					  S->m->base_url);
			tc_val_set(m, "text_html",
				   tc_val_strndup(a, tc_buf_cstr(&h), h.len));
			tc_buf_free(&h);
			tc_val_set(m, "url", tc_val_printf(a, "#%s", me->id));
			for (size_t i = 0; i < n; i++) {
				tc_val *x = tc_val_map(a);
				tc_val_set_str(x, "scope",
					       rm->scopes[prev[i]].name);
				tc_val_set(x, "html",
					   model_cell(S, &me->cells[k[i]]));
				tc_val_list_push(cv, x);
			}
			free(k);
			tc_val *row = tc_val_map(a);
			tc_val_set(row, "m", m);
			tc_val_set(row, "cells", cv);
			tc_val_list_push(rows, row);
			nrows++;
		}
		free(prev);
		tc_val *cat = tc_val_map(a);
		tc_val_set_str(cat, "id", c->id);
		tc_val_set_str(cat, "title", c->title);
		tc_val_set(cat, "tables", tables);
		if (nrows)
			tc_val_list_push(cats, cat);
	}
	return cats;
}

/* The file of route r (one slot: a version), as the annexes and the print
 * footer name it ("de/api/versions/1.0/tom.json"). */
static tc_val *file_val(tc_arena *a, const tc_lang *l, tc_route r,
			const char *x)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_file(&b, l, r, x, NULL);
	tc_val *v = tc_val_strdup(a, tc_buf_cstr(&b));
	tc_buf_free(&b);
	return v;
}

/* A date in a sentence or a table, as the language writes it. */
static tc_val *date_text(tc_arena *a, const tc_lang *l, const char *iso)
{
	tc_buf b = TC_BUF_INIT;
	tc_msg_date(&b, l, iso);
	tc_val *v = tc_val_strdup(a, tc_buf_cstr(&b));
	tc_buf_free(&b);
	return v;
}

/* The URL of release ver's data file in the language code (the original's
 * is the content's first language's, where no prefix is); NULL when the
 * site no longer has that language. */
static tc_val *tom_url_in(tc_arena *a, const tc_lang *cur, const char *code,
			  const char *ver)
{
	size_t n;
	const tc_lang *all = tc_lang_all(cur, &n), *l = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].code, code))
			l = &all[i];
	if (!l)
		return NULL;
	return site_url(a, l, R_VERSION_TOM, ver, NULL);
}

/* The original's language: the content's first. */
static const char *original_code(const tc_lang *l)
{
	size_t n;
	const tc_lang *all = tc_lang_all(l, &n);
	return n ? all[0].code : l->code;
}

/* The digest of release x's data file in this language: the translation
 * it froze, else the original's (the same bytes in every language). */
static const char *release_sha(const tc_release *x)
{
	return x->frozen ? x->frozen->sha256 : x->sha256;
}

static tc_val *release_view(site *S, const tc_release *x)
{
	tc_arena *a = S->pa;
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "version", x->version);
	tc_val_set(v, "date", date_text(a, S->lang, x->date));
	tc_val_set_str(v, "sha256", release_sha(x));
	tc_val_set(v, "tom_url",
		   site_url(a, S->lang, R_VERSION_TOM, x->version, NULL));
	tc_val_set(v, "tom_file",
		   file_val(a, S->lang, R_VERSION_TOM, x->version));
	if (x->frozen) {
		/* the original's file beside it, as the governing data set */
		tc_val *o = tc_val_map(a);
		tc_val_set(
		    o, "tom_url",
		    tom_url_in(a, S->lang, original_code(S->lang), x->version));
		tc_val_set_str(o, "sha256", x->sha256);
		tc_val_set(v, "frozen", o);
	}
	return v;
}

/* One annex of release x, of every product (pid NULL) or of rm's scope
 * product; pm: its data file's model (for the PDF), links: the language
 * of that file's URLs. */
static void write_old_annex(site *S, const tc_release *x, const tc_model *rm,
			    size_t product, const tc_model *pm,
			    const tc_lang *links)
{
	const char *pid = product == NO_PRODUCT ? NULL : rm->scopes[product].id;
	const char *pname =
	    product == NO_PRODUCT ? NULL : rm->scopes[product].name;
	tc_arena *a = S->pa;
	tc_route r = pid ? R_VERSION_PRODUCT_ANNEX : R_VERSION_ANNEX;
	tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
	tc_route_file(&rel, S->lang, r, x->version, pid);
	tc_route_url(&path, S->lang, r, x->version, pid);
	tc_val *ctx = tc_val_map(a);
	tc_val_set(
	    ctx, "page",
	    site_page_meta(
		a,
		SITE_STR(site_msgf(
		    a, S->lang,
		    pid ? "annex.old_title_product" : "annex.old_title",
		    "version", x->version, "product", pid ? pname : "", NULL)),
		tc_val_str_value(tc_val_strdup(a, tc_buf_cstr(&path)), NULL),
		tc_msg(S->lang, "annex.old_description")));
	tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
	tc_val_set(ctx, "release", release_view(S, x));
	/* printed, every sheet names this version and its file's digest */
	tc_val_set(ctx, "print_css",
		   site_url(a, S->lang, R_VERSION_PRINT_CSS, x->version, NULL));
	tc_val_set(
	    ctx, "pdf_url",
	    pid ? site_url(a, S->lang, R_VERSION_PRODUCT_ANNEX_PDF, x->version,
			   pid)
		: site_url(a, S->lang, R_VERSION_ANNEX_PDF, x->version, NULL));
	tc_val_set_bool(ctx, "current", !strcmp(x->version, S->m->version));
	if (pid) {
		tc_val *p = tc_val_map(a);
		tc_val_set_str(p, "name", pname);
		tc_val_set(ctx, "product", p);
		tc_val_set(ctx, "print_page",
			   tc_val_printf(a, SITE_PRINT_PAGE "%s", pid));
	}
	tc_val_set(ctx, "categories", old_categories(S, rm, product));
	site_page(S, "version-annex", tc_buf_cstr(&rel), ctx);
	site_page_done(S);
	site_write_annex_pdf(
	    S, x, pm, pid ? tc_pick_filter(pm, pid, NULL, NULL, NULL) : NULL,
	    links, pid, pname);
	tc_buf_free(&rel);
	tc_buf_free(&path);
}

/* The products of a release's data set as its file has them (a release's
 * data set is JSON: README, "Where the data is still JSON"), into a new
 * array *out (caller frees); returns how many. */
static size_t release_products(json_t *tom, site_product **out)
{
	json_t *scopes = json_object_get(tom, "scopes"), *sc;
	site_product *prods =
	    tc_xcalloc(json_array_size(scopes) + 1, sizeof *prods);
	size_t n = 0, i;
	json_array_foreach (scopes, i, sc) {
		const char *id = json_string_value(json_object_get(sc, "id"));
		const char *name =
		    json_string_value(json_object_get(sc, "name"));
		const char *kind =
		    json_string_value(json_object_get(sc, "kind"));
		if (id && name && kind && !strcmp(kind, "product"))
			prods[n++] = (site_product){id, name};
	}
	*out = prods;
	return n;
}

static void write_release(site *S, size_t k)
{
	const tc_release *x = &S->h->releases->v[k];
	/* this language's file: the translation the release froze, else the
	 * original's as released */
	tc_buf rel = TC_BUF_INIT;
	tc_route_file(&rel, S->lang, R_VERSION_TOM, x->version, NULL);
	site_emit_json(S, tc_buf_cstr(&rel),
		       x->frozen ? x->frozen->tom : x->tom);
	tc_buf_free(&rel);
	/* the annexes' data: the file in this language */
	json_t *tom = x->tom_words ? x->tom_words : x->tom;
	tc_buf css = TC_BUF_INIT, file = TC_BUF_INIT;
	tc_route_file(&css, S->lang, R_VERSION_PRINT_CSS, x->version, NULL);
	tc_route_file(&file, S->lang, R_VERSION_TOM, x->version, NULL);
	site_product *prods;
	size_t nprods = release_products(tom, &prods);
	site_write_print_css(S, tc_buf_cstr(&css), x->version, x->date,
			     tc_buf_cstr(&file), release_sha(x), prods, nprods);
	free(prods);
	tc_buf_free(&css);
	tc_buf_free(&file);
	/* the pages' views are made from the data set typed, read once (a
	 * translation's, by gen/build.c, whose it stays) */
	tc_model *rm = S->old_models[k] =
	    x->model ? x->model : tc_release_model(tom, x->file, S->d);
	if (!rm) {
		S->failed = 1;
		return;
	}
	/* the PDFs' data: the file in this language, whose model rm is
	 * unless the pages' model is a translation's (gen/build.c); its
	 * URLs are this language's when it is a frozen translation's file,
	 * else the original's */
	tc_model *pm = rm;
	if (x->model) {
		pm = tc_release_model(tom, x->file, S->d);
		if (!pm) {
			S->failed = 1;
			return;
		}
		site_pdf_adopt(S, pm);
	}
	size_t nl;
	const tc_lang *links =
	    x->tom_words && x->frozen ? S->lang : &tc_lang_all(S->lang, &nl)[0];
	write_old_annex(S, x, rm, NO_PRODUCT, pm, links);
	for (size_t i = 0; i < rm->nscopes; i++)
		if (rm->scopes[i].kind == SK_PRODUCT)
			write_old_annex(S, x, rm, i, pm, links);
}

static void write_versions(site *S)
{
	const tc_releases *rs = S->h->releases;
	tc_arena *a = S->pa;
	json_t *list = json_array();
	tc_val *versions = tc_val_list(a);
	const char *digest = S->digest;
	bool current_released = tc_releases_find(rs, S->m->version) != NULL;
	for (size_t k = rs->n + 1; k-- > 0;) {
		bool cur = k == rs->n;
		if (cur && current_released)
			continue;
		const tc_release *x = cur ? NULL : &rs->v[k];
		const char *ver = cur ? S->m->version : x->version;
		const char *date = cur ? S->m->date : x->date;
		const char *sha = cur ? digest : release_sha(x);
		tc_val *tom =
		    cur ? site_url(a, S->lang, R_TOM_JSON, NULL, NULL)
			: site_url(a, S->lang, R_VERSION_TOM, ver, NULL);
		tc_val *annex =
		    cur ? site_url(a, S->lang, R_ANNEX, NULL, NULL)
			: site_url(a, S->lang, R_VERSION_ANNEX, ver, NULL);
		json_t *entry =
		    json_pack("{s:s, s:s, s:b, s:s, s:s}", "version", ver,
			      "date", date, "released", !cur, "sha256", sha,
			      "tom_url", tc_val_str_value(tom, NULL));
		if (!cur) {
			/* every language's file the release froze: the
			 * original's, then each translation's */
			json_t *ls = json_array();
			for (size_t t = 0; t <= x->ntr; t++) {
				const char *code = t ? x->tr[t - 1].lang
						     : original_code(S->lang);
				tc_val *u = tom_url_in(a, S->lang, code, ver);
				if (!u)
					continue;
				json_array_append_new(
				    ls, json_pack("{s:s, s:s, s:s}", "lang",
						  code, "sha256",
						  t ? x->tr[t - 1].sha256
						    : x->sha256,
						  "tom_url",
						  tc_val_str_value(u, NULL)));
			}
			json_object_set_new(entry, "languages", ls);
		}
		json_array_append_new(list, entry);
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "version", ver);
		tc_val_set(v, "date", date_text(a, S->lang, date));
		tc_val_set_bool(v, "released", !cur);
		tc_val_set_bool(v, "anchor", true);
		if (!cur) /* its page (gen/nav_site.c) */
			tc_val_set(v, "landing_url",
				   site_url(a, S->lang, R_VERSION, ver, NULL));
		tc_val_set(v, "sha256", tc_val_strdup(a, sha));
		tc_val_set(v, "tom_url", tom);
		tc_val_set(v, "tom_file",
			   cur ? file_val(a, S->lang, R_TOM_JSON, NULL)
			       : file_val(a, S->lang, R_VERSION_TOM, ver));
		tc_val_set(v, "annex_url", annex);
		tc_val_set(
		    v, "annex_pdf_url",
		    cur ? site_url(a, S->lang, R_ANNEX_PDF, NULL, NULL)
			: site_url(a, S->lang, R_VERSION_ANNEX_PDF, ver, NULL));
		tc_val_list_push(versions, v);
		/* The current annexes print the digest of this language's
		 * api/tom.json. When the current version is released and that
		 * file is not the release's byte for byte (a translation's
		 * words, or a later layout of the same data), the digest they
		 * print is listed too, next to its file, so every digest on an
		 * annex can be matched here. */
		if (cur || strcmp(ver, S->m->version) || !strcmp(sha, digest))
			continue;
		json_object_set_new(
		    json_array_get(list, json_array_size(list) - 1),
		    "current_data",
		    json_pack("{s:s, s:s}", "sha256", digest, "tom_url",
			      site_rurl(S, R_TOM_JSON)));
		tc_val *c = tc_val_map(a);
		tc_val_set_str(c, "version", ver);
		tc_val_set(c, "date", date_text(a, S->lang, S->m->date));
		tc_val_set_bool(c, "released", true);
		tc_val_set_bool(c, "current_data", true);
		tc_val_set(c, "sha256", tc_val_strdup(a, digest));
		tc_val_set(c, "tom_url",
			   site_url(a, S->lang, R_TOM_JSON, NULL, NULL));
		tc_val_set(c, "tom_file",
			   file_val(a, S->lang, R_TOM_JSON, NULL));
		tc_val_set(c, "annex_url",
			   site_url(a, S->lang, R_ANNEX, NULL, NULL));
		tc_val_set(c, "annex_pdf_url",
			   site_url(a, S->lang, R_ANNEX_PDF, NULL, NULL));
		tc_val_list_push(versions, c);
	}
	char *schema = tc_export_schema_url(S->m, "versions");
	json_t *doc = json_pack("{s:s, s:i, s:o}", "$schema", schema,
				"schema_version", 1, "versions", list);
	free(schema);
	site_emit_json(S, site_rfile(S, R_VERSIONS_JSON), doc);
	json_decref(doc);
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "versions_of_toms"),
			       site_rurl(S, R_VERSIONS),
			       tc_msg(S->lang, "versions.description"));
	tc_val_set(ctx, "versions", versions);
	site_page(S, "versions", site_rfile(S, R_VERSIONS), ctx);
	site_page_done(S);
	S->old_models = tc_xcalloc(rs->n + 1, sizeof(tc_model *));
	for (size_t k = 0; k < rs->n; k++)
		write_release(S, k);
}

void site_write_history(site *S)
{
	if (!S->h)
		return;
	const tc_changeset *doc = S->h->changes;
	json_t *j = tc_changeset_json(doc);
	site_emit_json(S, site_rfile(S, R_CHANGES_JSON), j);
	json_decref(j);
	write_changes_page(S, doc, NULL, 0);
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *p = &S->m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_buf err = TC_BUF_INIT;
		tc_changeset *mine = tc_changes_since(doc, NULL, p->id, &err);
		write_changes_page(S, mine, p, i);
		tc_changeset_free(mine);
		tc_buf_free(&err);
	}
	write_versions(S);
	json_decref(S->changed);
	json_decref(S->old_cells);
	S->changed = S->old_cells = NULL;
}
