/* dpa_site.c: /dpa/, where a customer makes their own annex: the form that
 * tc-search's POST /api/annex answers with a PDF (cgi/annex.h). A page of
 * the site like any other (no JavaScript needed): the products to choose,
 * the current version and every release (the versions tc-gen stored in the
 * index, gen/index.c), the controller's details with their limits as the
 * inputs' maxlength, the date and the document's language. */
#include <stdio.h>
#include <string.h>

#include "../lib/lang.h"
#include "release.h"
#include "site_parts.h"

/* The limits the form shows (maxlength), as tc-search enforces them
 * (cgi/annex.h: gen/ and cgi/ include each other not; tests/test_annex.c
 * checks that the page says the same). */
#define DPA_MAX_NAME 200
#define DPA_MAX_ADDRESS 500
#define DPA_MAX_CONTACT 200
#define DPA_MAX_EMAIL 254
#define DPA_MAX_NUMBER 64

void site_write_dpa(site *S)
{
	tc_arena *a = S->pa;
	tc_val *ctx =
	    site_ctx(S, a, tc_msg(S->lang, "dpa_title"), site_rurl(S, R_DPA),
		     tc_msg(S->lang, "dpa_description"));
	tc_val *prods = tc_val_list(a);
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *p = &S->m->scopes[i];
		if (p->kind != SK_PRODUCT)
			continue;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", p->id);
		tc_val_set_str(v, "name", p->name);
		tc_val_list_push(prods, v);
	}
	tc_val_set(ctx, "products", prods);
	/* the current version first, then the releases, newest first */
	tc_val *vers = tc_val_list(a);
	const tc_releases *rs = S->h ? S->h->releases : NULL;
	for (size_t k = rs ? rs->n + 1 : 1; k-- > 0;) {
		bool cur = !rs || k == rs->n;
		const tc_release *x = cur ? NULL : &rs->v[k];
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", cur ? "current" : x->version);
		tc_val_set_str(v, "version", cur ? S->m->version : x->version);
		/* as the language writes a date in a sentence (26.11.2026) */
		tc_buf d = TC_BUF_INIT;
		tc_msg_date(&d, S->lang, cur ? S->m->date : x->date);
		tc_val_set(v, "date", tc_val_strdup(a, tc_buf_cstr(&d)));
		tc_buf_free(&d);
		tc_val_set_bool(v, "current", cur);
		tc_val_list_push(vers, v);
	}
	tc_val_set(ctx, "versions", vers);
	/* the document's language: the page's by default */
	size_t n;
	const tc_lang *ls = tc_lang_all(S->lang, &n);
	tc_val *langs = tc_val_list(a);
	for (size_t i = 0; i < n; i++) {
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "code", ls[i].code);
		tc_val_set_str(v, "name", tc_lang_name(S->lang, &ls[i]));
		tc_val_set_bool(v, "selected",
				!strcmp(ls[i].code, S->lang->code));
		tc_val_list_push(langs, v);
	}
	tc_val_set(ctx, "doc_languages", langs);
	tc_val *max = tc_val_map(a);
	char num[16];
	const struct {
		const char *k;
		int v;
	} lim[] = {{"name", DPA_MAX_NAME},
		   {"address", DPA_MAX_ADDRESS},
		   {"contact", DPA_MAX_CONTACT},
		   {"email", DPA_MAX_EMAIL},
		   {"number", DPA_MAX_NUMBER}};
	for (size_t i = 0; i < sizeof lim / sizeof *lim; i++) {
		snprintf(num, sizeof num, "%d", lim[i].v);
		tc_val_set(max, lim[i].k, tc_val_strdup(a, num));
	}
	tc_val_set(ctx, "max", max);
	site_page(S, "dpa", site_rfile(S, R_DPA), ctx);
	site_page_done(S);
}
