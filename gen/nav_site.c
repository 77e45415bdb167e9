/* nav_site.c: the pages that make every path prefix of a page a page
 * (issue 24): /compare/<product>/, the comparisons from one product, and
 * /versions/<version>/, a released version's landing page with its
 * annexes, data set and changes. Any other prefix (/categories/,
 * /products/, /versions/<v>/products/) is answered with the site's 404
 * page by nginx (deploy/tc-site.conf.in). */
#include <stdlib.h>

#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/val.h"
#include "changes.h"
#include "release.h"
#include "site_parts.h"

static tc_val *text_of(tc_arena *a, tc_buf *b)
{
	tc_val *v = tc_val_strdup(a, tc_buf_cstr(b));
	tc_buf_free(b);
	return v;
}

void site_write_compare_from(site *S)
{
	const tc_model *m = S->m;
	for (size_t i = 0; i < m->nscopes; i++) {
		const tc_scope *p = &m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_arena *a = S->pa;
		tc_val *others = tc_val_list(a);
		for (size_t k = 0; k < m->nscopes; k++) {
			if (k == i || m->scopes[k].kind != SK_PRODUCT)
				continue;
			tc_val *o = tc_val_map(a);
			tc_val_set_str(o, "name", m->scopes[k].name);
			tc_val_set(o, "url",
				   site_url(a, S->lang, R_COMPARE, p->id,
					    m->scopes[k].id));
			tc_val_list_push(others, o);
		}
		tc_val *title = site_msgf(a, S->lang, "compare_from_index",
					  "product", p->name, NULL);
		tc_buf rel = TC_BUF_INIT, path = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, R_COMPARE_FROM, p->id, NULL);
		tc_route_url(&path, S->lang, R_COMPARE_FROM, p->id, NULL);
		tc_val *ctx = tc_val_map(a);
		tc_val_set(
		    ctx, "page",
		    site_page_meta(a, SITE_STR(title), tc_buf_cstr(&path),
				   tc_msg(S->lang, "compare.description")));
		tc_val_set(ctx, "nav", site_nav(S, p->id, NULL));
		tc_val_set(ctx, "title", title);
		tc_val_set(ctx, "product", S->scope_v[i]);
		tc_val_set(ctx, "others", others);
		site_page(S, "compare-from", tc_buf_cstr(&rel), ctx);
		site_page_done(S);
		tc_buf_free(&rel);
		tc_buf_free(&path);
	}
}

/* One released version's page: what /versions/ lists of it, with the
 * annex of each product the release has (rm: its data set, typed). */
static void write_version(site *S, const tc_release *x, const tc_model *rm)
{
	tc_arena *a = S->pa;
	const char *ver = x->version;
	tc_val *ctx = tc_val_map(a);
	tc_val *title =
	    site_msgf(a, S->lang, "version_landing", "version", ver, NULL);
	tc_buf path = TC_BUF_INIT, b = TC_BUF_INIT;
	tc_route_url(&path, S->lang, R_VERSION, ver, NULL);
	tc_val_set(ctx, "page",
		   site_page_meta(a, SITE_STR(title), tc_buf_cstr(&path),
				  tc_msg(S->lang, "versions.description")));
	tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
	tc_val_set(ctx, "title", title);
	tc_val_set_str(ctx, "version", ver);
	tc_msg_date(&b, S->lang, x->date);
	tc_val_set(ctx, "date", text_of(a, &b));
	/* in the page's language, as /changes/ heads the release */
	const char *summary = tc_changes_summary(S->m, x);
	if (summary)
		tc_val_set_str(ctx, "summary", summary);
	tc_route_url(&b, S->lang, R_CHANGES, NULL, NULL);
	tc_buf_printf(&b, "#v%s", ver);
	tc_val_set(ctx, "changes_url", text_of(a, &b));
	tc_val_set(ctx, "annex_url",
		   site_url(a, S->lang, R_VERSION_ANNEX, ver, NULL));
	tc_val_set(ctx, "annex_pdf_url",
		   site_url(a, S->lang, R_VERSION_ANNEX_PDF, ver, NULL));
	tc_val_set(ctx, "tom_url",
		   site_url(a, S->lang, R_VERSION_TOM, ver, NULL));
	tc_route_file(&b, S->lang, R_VERSION_TOM, ver, NULL);
	tc_val_set(ctx, "tom_file", text_of(a, &b));
	tc_val_set_str(ctx, "sha256",
		       x->frozen ? x->frozen->sha256 : x->sha256);
	/* the products of the release, as its annexes were written
	 * (gen/history.c write_release) */
	tc_val *products = tc_val_list(a);
	size_t n = 0;
	for (size_t i = 0; i < rm->nscopes; i++) {
		const tc_scope *s = &rm->scopes[i];
		if (s->kind != SK_PRODUCT)
			continue;
		tc_val *p = tc_val_map(a);
		tc_val_set_str(p, "name", s->name);
		tc_val_set(
		    p, "annex_url",
		    site_url(a, S->lang, R_VERSION_PRODUCT_ANNEX, ver, s->id));
		tc_val_set(p, "annex_pdf_url",
			   site_url(a, S->lang, R_VERSION_PRODUCT_ANNEX_PDF,
				    ver, s->id));
		tc_val_list_push(products, p);
		n++;
	}
	tc_val_set(ctx, "products", products);
	tc_val_set_bool(ctx, "has_products", n > 0);
	tc_route_file(&b, S->lang, R_VERSION, ver, NULL);
	site_page(S, "version", tc_buf_cstr(&b), ctx);
	site_page_done(S);
	tc_buf_free(&b);
	tc_buf_free(&path); /* the page's path, borrowed by its view */
}

void site_write_version_pages(site *S)
{
	const tc_releases *rs = S->h ? S->h->releases : NULL;
	for (size_t k = 0; rs && k < rs->n; k++) {
		/* none: its data could not be read, as reported */
		if (S->old_models && S->old_models[k])
			write_version(S, &rs->v[k], S->old_models[k]);
	}
	for (size_t k = 0; rs && S->old_models && k < rs->n; k++)
		if (S->old_models[k] != rs->v[k].model)
			site_pdf_adopt(S, S->old_models[k]); /* its PDFs' */
	free(S->old_models);
	S->old_models = NULL;
}
