/* site_kit.c: the page kit (gen/site_kit.h). */
#include "site_kit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "export.h"
#include "source.h"

/* ---- template loading ---- */

char *site_load_template(void *ud, const char *name, char **file)
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

/* The templates rendered but named by no route: fragments of pages and
 * tc-search's pages. A page or feed's template is its route's (lib/routes.c:
 * tc_route_info.tpl). */
static const char *const other_templates[] = {
    "category-tables", "scope-cells", "changes-entry", "search", "error", NULL};

/* The i-th template checked at every build, NULL past the last: the
 * routes' (each once), then the others. A broken search page is found at
 * build time, not by a customer. */
static const char *checked_template(int i)
{
	for (int r = 0; r < R__COUNT; r++) {
		const char *t = tc_route_get((tc_route)r)->tpl;
		bool again = false;
		for (int q = 0; t && q < r; q++) {
			const char *u = tc_route_get((tc_route)q)->tpl;
			again |= u && !strcmp(u, t);
		}
		if (t && !again && i-- == 0)
			return t;
	}
	for (const char *const *n = other_templates; *n; n++)
		if (i-- == 0)
			return *n;
	return NULL;
}

/* Whether name is checked at every build (a route's or another): asked
 * for every page, so without checked_template's search for repeats. */
static bool is_checked(const char *name)
{
	for (int r = 0; r < R__COUNT; r++) {
		const char *t = tc_route_get((tc_route)r)->tpl;
		if (t && !strcmp(t, name))
			return true;
	}
	for (const char *const *n = other_templates; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}

int site_load_templates(site *S)
{
	int problems = 0;
	const char *name;
	for (int i = 0; (name = checked_template(i)); i++) {
		mus_tpl *t = mus_env_get(S->env, name, S->d);
		if (t) {
			problems += mus_env_check(S->env, t, S->d);
			continue;
		}
		problems++;
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s.mustache", S->tdir, name);
		if (access(tc_buf_cstr(&p), R_OK) < 0)
			tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0,
				     "cannot read template: %s",
				     strerror(errno));
		tc_buf_free(&p);
	}
	return problems;
}

/* ---- output ---- */

/* Whether the site may write len bytes more. A content of a few hundred
 * kilobytes can ask for gigabytes (comparison pages grow with the square
 * of the products, each with every row that differs): past the budget the
 * run stops writing and fails, once, instead of filling the disk. */
int site_within_budget(site *S, size_t len)
{
	if (S->st->bytes + len <= S->st->budget)
		return 1;
	if (!S->over_budget)
		tc_diags_add(
		    S->d, S->m->site_file, 0, 0,
		    "the site in '%s' would be larger than %zu bytes, the "
		    "limit for one language's site (TC_MAX_SITE_BYTES): "
		    "fewer products (each pair has a comparison page) or "
		    "shorter tables",
		    S->m->lang ? S->m->lang : "en", S->st->budget);
	S->over_budget = 1;
	S->failed = 1;
	return 0;
}

void site_emit(site *S, const char *rel, const char *data, size_t len)
{
	if (!site_within_budget(S, len))
		return;
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

/* Renders template name with ctx layered over the common values. The
 * caller resets the page arena once it is done with ctx. */
/* The same page in each language of the site ("languages": code, name,
 * url, abs, current), for the switch on every page and the hreflang
 * alternates; empty when the site has one language. */
static const tc_val *alternates(site *S, const tc_val *ctx)
{
	const char *path =
	    tc_val_str_value(tc_val_get(tc_val_get(ctx, "page"), "path"), NULL);
	size_t n;
	const tc_lang *all = tc_lang_all(S->lang, &n);
	tc_val *v = tc_val_map(S->pa);
	if (!path || n < 2)
		return v;
	const char *rest = tc_route_unprefixed(S->lang, path);
	tc_val *list = tc_val_list(S->pa);
	for (size_t i = 0; i < n; i++) {
		tc_val *l = tc_val_map(S->pa);
		tc_val_set_str(l, "code", all[i].code);
		tc_val_set_str(l, "name",
			       tc_msgs_get(tc_lang_msgs(&all[i]), "lang.name"));
		tc_val_set(l, "url",
			   tc_val_printf(S->pa, "%s%s", all[i].prefix, rest));
		tc_val_set(l, "abs",
			   tc_val_printf(S->pa, "%s%s%s", S->m->base_url,
					 all[i].prefix, rest));
		tc_val_set_bool(l, "current", &all[i] == S->lang);
		tc_val_list_push(list, l);
	}
	tc_val_set(v, "languages", list);
	tc_val_set(v, "default_language", tc_val_at(list, 0));
	return v;
}

void site_page(site *S, const char *name, const char *rel, const tc_val *ctx)
{
	if (!ctx) { /* a view that could not be built: never a blank page */
		tc_diags_add(S->d, rel, 0, 0,
			     "internal error: no view to render the page from");
		S->failed = 1;
		return;
	}
	if (!is_checked(name)) { /* a writer that names no route's template */
		tc_diags_add(S->d, rel, 0, 0,
			     "internal error: the template '%s' is checked at "
			     "no build: name it as its route's template "
			     "(lib/routes.c)",
			     name);
		S->failed = 1;
		return;
	}
	const tc_val *stack[] = {S->common, alternates(S, ctx), ctx};
	tc_buf_clear(&S->outbuf);
	mus_render_vals(S->env, mus_env_get(S->env, name, NULL), stack, 3,
			&S->outbuf);
	/* a site under a path of its base_url: the pages' links under it
	 * (lib/routes.h); feeds and the sitemap are absolute already */
	tc_buf base = TC_BUF_INIT;
	tc_route_base_path(&base, S->m->base_url);
	const char *ext = strrchr(rel, '.');
	if (base.len && ext && !strcmp(ext, ".html")) {
		tc_buf html = TC_BUF_INIT;
		tc_route_rebase_html(&html, tc_buf_cstr(&S->outbuf),
				     S->outbuf.len, tc_buf_cstr(&base));
		tc_buf_clear(&S->outbuf);
		tc_buf_put(&S->outbuf, tc_buf_cstr(&html), html.len);
		tc_buf_free(&html);
	}
	tc_buf_free(&base);
	site_emit(S, rel, tc_buf_cstr(&S->outbuf), S->outbuf.len);
	if (strstr(rel, ".html"))
		S->st->pages++;
}

void site_page_done(site *S)
{
	tc_arena_reset(S->pa);
}

void site_emit_json(site *S, const char *rel, json_t *v)
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
	site_emit(S, rel, s, len);
	free(s);
}

/* ---- small builders ---- */

const char *site_rfile(site *S, tc_route r)
{
	tc_buf b = TC_BUF_INIT;
	tc_route_file(&b, S->lang, r, NULL, NULL);
	const char *s =
	    tc_val_str_value(tc_val_strdup(S->pa, tc_buf_cstr(&b)), NULL);
	tc_buf_free(&b);
	return s;
}

const char *site_rurl(site *S, tc_route r)
{
	return tc_val_str_value(site_url(S->pa, S->lang, r, NULL, NULL), NULL);
}

tc_val *site_url(tc_arena *a, const tc_lang *l, tc_route r, const char *x,
		 const char *y)
{
	tc_buf u = TC_BUF_INIT;
	tc_route_url(&u, l, r, x, y);
	tc_val *v = tc_val_strndup(a, tc_buf_cstr(&u), u.len);
	tc_buf_free(&u);
	return v;
}

tc_val *site_count_words(tc_arena *a, const tc_lang *l, size_t n,
			 const char *key)
{
	/* "3 measures differ", or the zero form: "No measure differs" */
	tc_buf b = TC_BUF_INIT;
	tc_msg_count(&b, l, key, (long)n);
	tc_val *v = tc_val_strndup(a, tc_buf_cstr(&b), b.len);
	tc_buf_free(&b);
	return v;
}

/* The sentence of key (or of its count n, when counted) with its
 * values, as a string of arena a. */
static tc_val *fill_val(tc_arena *a, const tc_lang *l, const char *key,
			bool counted, long n, bool html, va_list ap)
{
	tc_buf b = TC_BUF_INIT;
	if (counted)
		tc_msg_vfill_n(&b, l, key, n, html, ap);
	else
		tc_msg_vfill(&b, l, tc_msg(l, key), html, ap);
	tc_val *v = tc_val_strndup(a, tc_buf_cstr(&b), b.len);
	tc_buf_free(&b);
	return v;
}

tc_val *site_msgf(tc_arena *a, const tc_lang *l, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	tc_val *v = fill_val(a, l, key, false, 0, false, ap);
	va_end(ap);
	return v;
}

tc_val *site_msgf_html(tc_arena *a, const tc_lang *l, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	tc_val *v = fill_val(a, l, key, false, 0, true, ap);
	va_end(ap);
	return v;
}

tc_val *site_msgf_n(tc_arena *a, const tc_lang *l, const char *key, size_t n,
		    ...)
{
	va_list ap;
	va_start(ap, n);
	tc_val *v = fill_val(a, l, key, true, (long)n, false, ap);
	va_end(ap);
	return v;
}

tc_val *site_page_meta(tc_arena *a, const char *title, const char *path,
		       const char *description)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "title", title);
	tc_val_set_str(v, "path", path);
	tc_val_set_str(v, "description", description);
	return v;
}

/* A page's view as most pages start: its meta ("page") and the
 * navigation with nothing current ("nav"), in arena a. */
tc_val *site_ctx(site *S, tc_arena *a, const char *title, const char *path,
		 const char *description)
{
	tc_val *ctx = tc_val_map(a);
	tc_val_set(ctx, "page", site_page_meta(a, title, path, description));
	tc_val_set(ctx, "nav", site_nav(S, NULL, NULL));
	return ctx;
}

/* ---- the views of scopes and categories, for the navigation ---- */

/* How many of a product's measures are the client's, wholly or in part:
 * what a buyer choosing a product wants to see first, counted from the
 * cells so that it cannot disagree with the product's page. */
static size_t client_measures(const tc_model *m, size_t pi)
{
	size_t n = 0;
	for (size_t ci = 0; ci < m->ncategories; ci++) {
		const tc_category *c = &m->categories[ci];
		for (size_t mi = 0; mi < c->nmeasures; mi++) {
			const tc_measure *me = &c->measures[mi];
			if (!tc_measure_concerns(m, c, me, pi))
				continue;
			tc_resp r = tc_measure_resp(m, c, me, pi);
			n += r == RS_CLIENT || r == RS_SHARED;
		}
	}
	return n;
}

tc_val *site_scope_view(site *S, tc_arena *a, size_t si, bool current)
{
	const tc_scope *sc = &S->m->scopes[si];
	tc_val *o = tc_val_map(a);
	tc_val_set_str(o, "id", sc->id);
	tc_val_set_str(o, "name", sc->name);
	tc_val_set_str(o, "kind", tc_scope_kind_id(sc->kind));
	tc_val_set_str(o, "description", sc->description);
	if (sc->kind == SK_PRODUCT) {
		tc_val_set_bool(o, "managed", sc->managed);
		tc_val_set(o, "url",
			   site_url(a, S->lang, R_PRODUCT, sc->id, NULL));
		tc_val_set(o, "duty_words",
			   site_count_words(a, S->lang,
					    client_measures(S->m, si),
					    "count.yours"));
	}
	tc_val_set_bool(o, "current", current);
	return o;
}

tc_val *site_cat_view(site *S, tc_arena *a, size_t ci, bool current)
{
	const tc_category *c = &S->m->categories[ci];
	tc_val *o = tc_val_map(a);
	tc_val_set_str(o, "id", c->id);
	tc_val_set_str(o, "title", c->title);
	tc_val_set_str(o, "description", c->description);
	tc_val_set(o, "url", site_url(a, S->lang, R_CATEGORY, c->id, NULL));
	tc_val_set_int(o, "count", (long long)c->nmeasures);
	tc_val_set(o, "count_words",
		   site_count_words(a, S->lang, c->nmeasures, "count.measure"));
	tc_val_set_bool(o, "current", current);
	return o;
}

const tc_val *site_nav(site *S, const char *product, const char *category)
{
	if (!product && !category && S->nav_none)
		return S->nav_none;
	tc_arena *a = product || category ? S->pa : S->sa;
	tc_val *prods = tc_val_list(a), *cats = tc_val_list(a);
	for (size_t i = 0; i < S->m->nscopes; i++) {
		if (S->m->scopes[i].kind != SK_PRODUCT)
			continue;
		bool cur = product && !strcmp(S->m->scopes[i].id, product);
		tc_val_list_push(prods, cur ? site_scope_view(S, a, i, true)
					    : S->scope_v[i]);
	}
	for (size_t i = 0; i < S->m->ncategories; i++) {
		bool cur =
		    category && !strcmp(S->m->categories[i].id, category);
		tc_val_list_push(cats, cur ? site_cat_view(S, a, i, true)
					   : S->cat_v[i]);
	}
	tc_val *n = tc_val_map(a);
	tc_val_set(n, "products", prods);
	tc_val_set(n, "categories", cats);
	return n;
}

/* Renders view into a string of the site arena, then resets scratch, the
 * arena the view was built in. */
const tc_val *site_render_fragment(site *S, const char *tpl, const tc_val *view,
				   tc_arena *scratch, tc_arena *dest)
{
	const tc_val *stack[] = {S->common, view};
	tc_buf out = TC_BUF_INIT;
	mus_render_vals(S->env, mus_env_get(S->env, tpl, NULL), stack, 2, &out);
	const tc_val *html = tc_val_strndup(dest, tc_buf_cstr(&out), out.len);
	tc_buf_free(&out);
	tc_arena_reset(scratch);
	return html;
}

/* Appends s as the body of a CSS string: quotes, backslashes and control
 * characters as hex escapes, so content text cannot end the string. */
static void css_string(tc_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\' || ch < 0x20 || ch == 0x7f)
			tc_buf_printf(out, "\\%x ", ch);
		else
			tc_buf_putc(out, (char)ch);
	}
}

/* The page counter whose placeholder ("{page}", "{pages}") starts at p,
 * or NULL. */
static const char *counter_at(const char *p)
{
	static const char *const counters[] = {"page", "pages"};
	for (size_t c = 0; c < 2; c++) {
		size_t k = strlen(counters[c]);
		if (p[0] == '{' && !strncmp(p + 1, counters[c], k) &&
		    p[k + 1] == '}')
			return counters[c];
	}
	return NULL;
}

/* Appends text as the value of a CSS "content": its words as strings,
 * "{page}" and "{pages}" as the page counters, so that the language says
 * where the numbers go ("Page {page} of {pages}"). */
static void css_content(tc_buf *out, const char *text)
{
	const char *sep = "";
	tc_buf w = TC_BUF_INIT;
	for (const char *p = text;; p++) {
		const char *c = *p ? counter_at(p) : NULL;
		if ((c || !*p) && w.len) {
			tc_buf_printf(out, "%s\"", sep);
			css_string(out, tc_buf_cstr(&w));
			tc_buf_putc(out, '"');
			tc_buf_clear(&w);
			sep = " ";
		}
		if (!*p)
			break;
		if (c) {
			tc_buf_printf(out, "%scounter(%s)", sep, c);
			sep = " ";
			p += strlen(c) + 1;
		} else {
			tc_buf_putc(&w, *p);
		}
	}
	tc_buf_free(&w);
}

/* The annexes' printed page header and footer. A signed printout must name
 * the data it was made from on every sheet, and only CSS reaches the page
 * margins: the version and digest are known at build time, so the sheet is
 * written here (the site's CSP allows no inline style). Each language has
 * its own sheet, in its words. */
void site_write_print_css(site *S, const char *rel, const char *version,
			  const char *date, const char *file,
			  const char *digest, const site_product *prods,
			  size_t n)
{
	tc_buf css = TC_BUF_INIT, t = TC_BUF_INIT, dt = TC_BUF_INIT;
	tc_msg_date(&dt, S->lang, date);
	tc_msgf(&t, S->lang, "print.header", "organisation", S->m->organisation,
		"version", version, "date", tc_buf_cstr(&dt), NULL);
	tc_buf_clear(&dt);
	tc_buf_puts(&css, "/* written by tc-gen: the annex's page margins */\n"
			  "@page {\n  size: auto;\n  margin: 16mm 12mm 18mm;\n"
			  "  @top-left { content: \"");
	css_string(&css, tc_buf_cstr(&t));
	tc_buf_puts(&css,
		    "\"; font: 8pt system-ui, sans-serif; color: #444; }\n"
		    "  @top-right { content: ");
	css_content(&css, tc_msg(S->lang, "print.page"));
	tc_buf_puts(&css, "; font: 8pt system-ui, sans-serif; color: #444; }\n"
			  "  @bottom-left { content: \"");
	/* the data set by its absolute URL: a printout leaves the site */
	tc_buf url = TC_BUF_INIT;
	tc_buf_printf(&url, "%s/%s", S->m->base_url, file);
	tc_buf_clear(&t);
	tc_msgf(&t, S->lang, "print.data_set", "file", tc_buf_cstr(&url),
		"digest", digest, NULL);
	tc_buf_free(&url);
	css_string(&css, tc_buf_cstr(&t));
	tc_buf_puts(&css, "\"; font: 7pt ui-monospace, monospace; color: "
			  "#444; }\n}\n");
	/* a product's annex: its own pages, whose header names it (F7) */
	for (size_t i = 0; i < n; i++) {
		const char *id = prods[i].id, *name = prods[i].name;
		tc_buf_clear(&t);
		tc_msg_date(&dt, S->lang, date);
		tc_msgf(&t, S->lang, "print.header_product", "organisation",
			S->m->organisation, "product", name, "version", version,
			"date", tc_buf_cstr(&dt), NULL);
		tc_buf_clear(&dt);
		tc_buf_printf(&css,
			      "@page " SITE_PRINT_PAGE "%s {\n  @top-left { "
			      "content: \"",
			      id);
		css_string(&css, tc_buf_cstr(&t));
		tc_buf_printf(&css, "\"; }\n}\nbody." SITE_PRINT_PAGE "%s", id);
		tc_buf_printf(&css, " { page: " SITE_PRINT_PAGE "%s; }\n", id);
	}
	tc_buf_free(&dt);
	site_emit(S, rel, tc_buf_cstr(&css), css.len);
	tc_buf_free(&css);
	tc_buf_free(&t);
}