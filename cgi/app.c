#include "app.h"
#include "xlsxd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/changes.h"
#include "../lib/escape.h"
#include "../lib/formats.h"
#include "../lib/indexfmt.h"
#include "../lib/jsoncheck.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/text.h"
#include "../lib/tomdata.h"
#include "../lib/views.h"
#include "../lib/xlsx.h"
#include "annex.h"
#include "endpoints.h"
#include "errwords.h"
#include "openapi.h"

static const char *CSP =
    "default-src 'none'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

/* An answer's representation: a format of lib/formats.h (every JSON
 * answer is TC_FMT_JSON's), or HTML. */
enum kind { JSON = TC_FMT_JSON, HTML = TC_FMT__COUNT };

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void header(ts_response *rs, const char *name, const char *value)
{
	tc_buf_puts(&rs->headers, name);
	tc_buf_puts(&rs->headers, ": ");
	tc_buf_puts(&rs->headers, value);
	tc_buf_puts(&rs->headers, "\r\n");
}

static void content_type(ts_response *rs, enum kind k)
{
	tc_buf t = TC_BUF_INIT;
	if (k == HTML)
		tc_buf_puts(&t, "text/html; charset=utf-8");
	else { /* puts, not printf: every answer has one */
		tc_buf_puts(&t, tc_format_get((tc_format)k)->media);
		tc_buf_puts(&t, tc_format_get((tc_format)k)->media_params);
	}
	header(rs, "Content-Type", tc_buf_cstr(&t));
	tc_buf_free(&t);
	header(rs, "X-Content-Type-Options", "nosniff");
	if (k == HTML) {
		header(rs, "Content-Security-Policy", CSP);
		header(rs, "Referrer-Policy", "no-referrer");
	}
}

/* The quality (RFC 9110 section 12.5.1) accept gives type ("text/html"):
 * that of its most specific matching range (the type itself, its major
 * type with any subtype, then any type at all); 0 when none matches. */
static double accept_q(const char *accept, const char *type)
{
	size_t tlen = strlen(type), major = strcspn(type, "/");
	double q[3] = {-1, -1, -1}; /* exact, major type, any */
	for (const char *s = accept; *s;) {
		s += strspn(s, " \t,");
		size_t n = strcspn(s, ",;");
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		int k = n == tlen && !strncasecmp(s, type, n) ? 0
			: n == major + 2 && !strncasecmp(s, type, major) &&
				!strncmp(s + major, "/*", 2)
			    ? 1
			: n == 3 && !strncmp(s,
					     "*"
					     "/"
					     "*",
					     3)
			    ? 2
			    : -1;
		double v = 1;
		const char *end = s + strcspn(s, ",");
		for (const char *p = s; (p = strchr(p, ';')) && p < end;) {
			p += 1 + strspn(p + 1, " \t");
			if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
				v = strtod(p + 2, NULL);
		}
		if (k >= 0 && q[k] < 0)
			q[k] = v < 0 ? 0 : v > 1 ? 1 : v;
		s = *end ? end + 1 : end;
	}
	for (int k = 0; k < 3; k++)
		if (q[k] >= 0)
			return q[k];
	return 0;
}

/* HTML when the client prefers it to JSON (a browser lists text/html,
 * then any type at q=0.8); JSON when they tie (curl accepts any type), or
 * when text/html has q=0. */
int ts_wants_html(const ts_request *rq)
{
	if (!rq->accept)
		return 0;
	double html = accept_q(rq->accept, "text/html");
	return html > 0 && html > accept_q(rq->accept, "application/json");
}

/* Renders template name in the site's layout with ctx (stolen) over the
 * common page values. */
static void render(ts_index *ix, const char *name, json_t *ctx, tc_buf *out)
{
	json_object_update_missing(ctx, ts_index_page(ix));
	mus_env *env = ts_index_templates(ix);
	const mus_tpl *t = mus_env_get(env, name, NULL);
	if (t)
		mus_render(env, t, ctx, out);
	json_decref(ctx);
}

/* Exports are indented like the published files (so an unfiltered export is
 * api/tom.json byte for byte); search answers, the busy path, are compact. */
static void dump_json(json_t *v, tc_buf *out, int compact)
{
	char *s = json_dumps(v, (compact ? JSON_COMPACT : JSON_INDENT(1)) |
				    JSON_PRESERVE_ORDER);
	tc_buf_puts(out, s);
	tc_buf_putc(out, '\n');
	free(s);
}

/* The URL of the published JSON Schema name ("search"): absolute, from the
 * site's base_url, like tc-gen's files. */
static void schema_url(ts_index *ix, const char *name, tc_buf *u)
{
	json_t *site = ix ? json_object_get(ts_index_page(ix), "site") : NULL;
	const char *base = json_string_value(json_object_get(site, "base_url"));
	tc_buf_puts(u, base ? base : "");
	/* neutral: the same in every language */
	tc_route_url(u, tc_lang_default(), R_SCHEMA, name, NULL);
}

/* doc (stolen) with the schema as its "$schema", first. */
static json_t *with_schema(ts_index *ix, const char *name, json_t *doc)
{
	tc_buf u = TC_BUF_INIT;
	schema_url(ix, name, &u);
	json_t *out = json_pack("{s:s}", "$schema", tc_buf_cstr(&u));
	json_object_update(out, doc);
	json_decref(doc);
	tc_buf_free(&u);
	return out;
}

/* A message that quotes the request (a parameter's name) may hold bytes
 * that are not UTF-8, which JSON cannot carry: they become '?'. */
static void utf8_clean(tc_buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = tc_utf8_len(s + i, n - i);
		if (k) {
			tc_buf_put(out, s + i, k);
			i += k;
		} else {
			tc_buf_putc(out, '?');
			i++;
		}
	}
}

static void error(ts_index *ix, const tc_lang *lang, const ts_request *rq,
		  ts_response *rs, int status, const char *raw)
{
	tc_buf clean = TC_BUF_INIT;
	utf8_clean(&clean, raw);
	const char *msg = tc_buf_cstr(&clean);
	rs->status = status;
	tc_buf_clear(&rs->headers);
	tc_buf_clear(&rs->body);
	header(rs, "Cache-Control", "no-store");
	if (status == 405)
		header(rs, "Allow",
		       rq->path && !strcmp(rq->path, "/api/annex")
			   ? "POST"
			   : "GET, HEAD");
	if (ts_wants_html(rq)) {
		content_type(rs, HTML);
		/* the page's title in the answer's language; the status line
		 * stays HTTP's */
		static const char *keys[] = {"error.400", "error.404",
					     "error.405", "error.503"};
		const char *key = "error.other";
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			if (atoi(keys[i] + 6) == status)
				key = keys[i];
		char title[160];
		snprintf(title, sizeof title, "%d %s", status,
			 tc_msg(lang, key));
		/* and its message (errwords.h); JSON keeps the English */
		tc_buf words = TC_BUF_INIT;
		ts_error_words(lang, msg, &words);
		render(ix, "error",
		       json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:s}}", "error",
				 "title", title, "message", tc_buf_cstr(&words),
				 "page", "title", title, "path",
				 rq->path ? rq->path : "", "description", ""),
		       &rs->body);
		tc_buf_free(&words);
	} else {
		content_type(rs, JSON);
		json_t *e =
		    with_schema(ix, "error",
				json_pack("{s:{s:i, s:s}}", "error", "status",
					  status, "message", msg));
		dump_json(e, &rs->body, 0);
		json_decref(e);
	}
	tc_buf_free(&clean);
}

/* An error found before the parameters are read: in the language the
 * query's lang names, when it is one of the site's (errwords.h). */
static void lang_error(ts_index *ix, const ts_request *rq, ts_response *rs,
		       int status, const char *msg)
{
	ts_index *lx = ts_error_lang(ix, rq->query);
	error(lx ? lx : ix, lx ? ts_index_language(lx) : tc_lang_default(), rq,
	      rs, status, msg);
}

/* 503: the index cannot be served (ts_index_broken): never the client's
 * fault, so never a 4xx. */
static void index_broken(ts_index *ix, const ts_request *rq, ts_response *rs,
			 const char *why)
{
	tc_buf msg = TC_BUF_INIT;
	tc_buf_printf(&msg, "the search index is broken: %s", why);
	error(ix, ts_index_language(ix), rq, rs, 503, tc_buf_cstr(&msg));
	header(rs, "Retry-After", "60");
	tc_buf_clear(&rs->note);
	tc_buf_puts(&rs->note, tc_buf_cstr(&msg));
	tc_buf_free(&msg);
}

/* 503: the index's data set does not read (ts_index_load_model): the
 * answer that needs it cannot be made; log says which file and why. */
static void data_set_damaged(ts_index *ix, const ts_request *rq,
			     ts_response *rs, const char *log)
{
	tc_buf msg = TC_BUF_INIT;
	tc_buf_printf(&msg, "the search index is damaged: %s",
		      ts_index_model_damage(ix));
	error(ix, ts_index_language(ix), rq, rs, 503, tc_buf_cstr(&msg));
	header(rs, "Retry-After", "60");
	tc_buf_clear(&rs->note);
	tc_buf_puts(&rs->note, log);
	tc_buf_free(&msg);
}

/* Whether the index set serving rq is broken (the default language's or
 * the answer's own): a 503 in rs when it is. */
static int set_broken(ts_index *ix, ts_index *lx, const ts_request *rq,
		      ts_response *rs)
{
	tc_buf why = TC_BUF_INIT;
	int broken = ts_index_broken(lx, &why) ||
		     (ix != lx && ts_index_broken(ix, &why));
	if (broken)
		index_broken(lx, rq, rs, tc_buf_cstr(&why));
	tc_buf_free(&why);
	return broken;
}

/* The last look before an answer leaves: JSON must be one JSON text of
 * UTF-8, HTML and CSV UTF-8 (the workbook is a zip file). What fails is
 * not sent: a 503 instead, and the reason in the log (rs->note). 1 when
 * the answer is fine. json_checked: a JSON answer was checked by its
 * handler (do_search), and is not read again. */
static int body_ok(const ts_response *rs, tc_buf *why, int json_checked)
{
	const char *h = tc_buf_cstr(&rs->headers);
	const char *b = tc_buf_cstr(&rs->body);
	size_t at = 0;
	if (strstr(h, "Content-Type: application/json")) {
		if (json_checked || tc_json_valid(b, rs->body.len, &at))
			return 1;
		tc_buf_printf(why, "the answer is not JSON (at byte %zu)", at);
		return 0;
	}
	if (strstr(h, "Content-Type: text/") &&
	    !tc_utf8_valid(b, rs->body.len)) {
		tc_buf_puts(why, "the answer is not UTF-8");
		return 0;
	}
	return 1;
}

/* rs, which body_ok found wrong (why), becomes a 503 that says so. */
static void not_sent(ts_index *lx, const ts_request *rq, ts_response *rs,
		     const tc_buf *why)
{
	tc_buf note = TC_BUF_INIT;
	tc_buf_printf(&note, "not sent: %s", tc_buf_cstr(why));
	error(lx, ts_index_language(lx), rq, rs, 503,
	      "the answer could not be made from the search index");
	tc_buf again = TC_BUF_INIT;
	if (!body_ok(rs, &again, 0)) { /* the error page itself */
		tc_buf_clear(&rs->headers);
		tc_buf_clear(&rs->body);
		header(rs, "Cache-Control", "no-store");
		content_type(rs, JSON);
		tc_buf_puts(&rs->body,
			    "{\"error\": {\"status\": 503, "
			    "\"message\": \"the answer could not be made "
			    "from the search index\"}}\n");
	}
	tc_buf_clear(&rs->note);
	tc_buf_put(&rs->note, tc_buf_cstr(&note), note.len);
	tc_buf_free(&note);
	tc_buf_free(&again);
}

/* json_checked: as body_ok's. */
static void final_check(ts_index *ix, ts_index *lx, const ts_request *rq,
			ts_response *rs, int json_checked)
{
	if (rs->status == 304 || set_broken(ix, lx, rq, rs))
		return;
	tc_buf why = TC_BUF_INIT;
	if (!body_ok(rs, &why, json_checked))
		not_sent(lx, rq, rs, &why);
	tc_buf_free(&why);
}

/* ETag per index and representation; 1 when the client's copy is fresh. */
static int not_modified(ts_index *ix, const ts_request *rq, ts_response *rs,
			enum kind k)
{
	char tag[64];
	/* a letter per representation: a format's ID's first (distinct,
	 * tests/test_formats.c), h for HTML */
	snprintf(tag, sizeof tag, "\"%s-%c\"", ts_index_etag(ix),
		 k == HTML ? 'h' : tc_format_get((tc_format)k)->id[0]);
	header(rs, "ETag", tag);
	header(rs, "Vary", "Accept");
	const char *inm = rq->if_none_match;
	if (!inm || !(strstr(inm, tag) || !strcmp(inm, "*")))
		return 0;
	rs->status = 304;
	header(rs, "Cache-Control", "public, max-age=300");
	return 1;
}

/* The start of every cacheable answer: 304 when the client's copy is
 * fresh (returns 0: nothing more to do), else its caching and type. */
static int answer_begins(ts_index *ix, const ts_request *rq, ts_response *rs,
			 enum kind k)
{
	if (not_modified(ix, rq, rs, k))
		return 0;
	header(rs, "Cache-Control", "public, max-age=300");
	content_type(rs, k);
	return 1;
}

/* ---- /api/search ---- */

static void url_param(tc_buf *u, const char *name, const char *v)
{
	if (!v)
		return;
	tc_buf_printf(u, "%c%s=", strchr(tc_buf_cstr(u), '?') ? '&' : '?',
		      name);
	tc_esc_url_component(u, v, strlen(v));
}

static char *search_url(const char *base, const ts_params *p, long offset,
			int paging)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, base);
	url_param(&u, "q", p->v[P_Q]);
	for (int i = P_PRODUCT; i <= P_RESP; i++)
		url_param(&u, ts_param_name((ts_param)i), p->v[i]);
	/* the pages and downloads it links stay in its language */
	url_param(&u, ts_param_name(P_LANG), p->v[P_LANG]);
	if (paging) {
		tc_buf_printf(&u, "&limit=%ld", p->limit);
		if (offset)
			tc_buf_printf(&u, "&offset=%ld", offset);
	}
	return tc_buf_detach(&u);
}

/* The site's base_url: links in the data that lead to the site are shown
 * as its paths. */
static const char *base_url(ts_index *ix)
{
	return json_string_value(json_object_get(
	    json_object_get(ts_index_page(ix), "site"), "base_url"));
}

/* A result's cells in scope order, as the site's cell partial shows them
 * (product: an internal cell is labelled, as a product's page labels it:
 * shown beside the product's, never its answer: lib/tomdata.h). */
static tc_val *cell_views(ts_index *ix, tc_arena *a, const tc_val *cells,
			  int product)
{
	const tc_lang *lang = ts_index_language(ix);
	tc_val *out = tc_val_list(a);
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(ts_index_doc(ix), "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		const char *kind =
		    json_string_value(json_object_get(s, "kind"));
		const tc_val *c = tc_val_get(cells, id);
		if (!c)
			continue;
		tc_val *v = tc_view_val_cell_val(
		    a, lang, c, json_string_value(json_object_get(s, "name")),
		    id, base_url(ix));
		tc_val_set_bool(v, "internal",
				product && kind && !strcmp(kind, "internal"));
		tc_val_list_push(out, v);
	}
	return out;
}

/* One choice of a filter's select: {id, title, selected}, selected when
 * the request chose it. The strings are borrowed. */
static void add_option(tc_arena *a, tc_val *list, const char *id,
		       const char *title, const char *chosen)
{
	tc_val *o = tc_val_map(a);
	tc_val_set_str(o, "id", id);
	tc_val_set_str(o, "title", title);
	tc_val_set_bool(o, "selected", chosen && !strcmp(chosen, id));
	tc_val_list_push(list, o);
}

static tc_val *options(ts_index *ix, tc_arena *a, const ts_params *p)
{
	const tc_lang *lang = ts_index_language(ix);
	tc_val *prods = tc_val_list(a), *sts = tc_val_list(a);
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(ts_index_doc(ix), "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (strcmp(json_string_value(json_object_get(s, "kind")),
			   "product"))
			continue;
		tc_val *o = tc_val_map(a);
		tc_val_set_str(o, "id", id);
		tc_val_set(o, "name",
			   tc_val_from_json(a, json_object_get(s, "name")));
		tc_val_set_bool(o, "selected",
				p->v[P_PRODUCT] &&
				    !strcmp(p->v[P_PRODUCT], id));
		tc_val_list_push(prods, o);
	}
	for (int k = 0; k < ST__COUNT; k++)
		add_option(a, sts, tc_status_id((tc_status)k),
			   tc_status_title(lang, (tc_status)k), p->v[P_STATUS]);
	/* who carries it out: first what is the client's, wholly or in part
	 * (the question a buyer asks), then each responsibility */
	tc_val *rs = tc_val_list(a);
	add_option(a, rs, "client,shared", tc_msg(lang, "resp.yours_in_part"),
		   p->v[P_RESP]);
	for (int k = 0; k < RS__COUNT; k++)
		add_option(a, rs, tc_resp_id((tc_resp)k),
			   tc_resp_title(lang, (tc_resp)k), p->v[P_RESP]);
	tc_val *o = tc_val_map(a);
	tc_val_set(o, "products", prods);
	tc_val_set(o, "statuses", sts);
	tc_val_set(o, "resps", rs);
	return o;
}

/* Sets key to a copy of the string s, which it frees. */
static void set_owned(tc_arena *a, tc_val *o, const char *key, char *s)
{
	tc_val_set(o, key, tc_val_strdup(a, s));
	free(s);
}

/* The same search in each language of the site, for the layout's switch
 * and hreflang alternates (as the site's pages have them). */
static void set_languages(ts_index *ix, tc_arena *a, const ts_params *p,
			  tc_val *ctx)
{
	size_t n = ts_index_count(ix);
	if (n < 2)
		return;
	tc_val *list = tc_val_list(a);
	for (size_t i = 0; i < n; i++) {
		const tc_lang *l = ts_index_language(ts_index_nth(ix, i));
		ts_params alt = *p;
		alt.v[P_LANG] = i ? (char *)l->code : NULL;
		char *url = search_url("/api/search", &alt, p->offset, 1);
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "code", l->code);
		tc_val_set_str(v, "name",
			       tc_msgs_get(tc_lang_msgs(l), "lang.name"));
		tc_val_set(v, "url", tc_val_strdup(a, url));
		tc_val_set(v, "abs",
			   tc_val_printf(a, "%s%s", base_url(ix), url));
		tc_val_set_bool(v, "current", ts_index_nth(ix, i) == ix);
		tc_val_list_push(list, v);
		free(url);
	}
	tc_val_set(ctx, "default_language", tc_val_at(list, 0));
	tc_val_set(ctx, "languages", list);
}

/* The answer's members, as ts_search_text has them: "filter" holds the
 * filters given. */
static void set_answer(ts_index *ix, tc_arena *a, const ts_params *p,
		       const ts_found *an, tc_val *ctx)
{
	tc_val_set_str(ctx, "query", p->v[P_Q]);
	tc_val_set_int(ctx, "total", an->total);
	tc_val_set_int(ctx, "limit", p->limit);
	tc_val_set_int(ctx, "offset", p->offset);
	tc_val *f = tc_val_map(a);
	for (int i = P_PRODUCT; i <= P_RESP; i++)
		if (p->v[i])
			tc_val_set_str(f, ts_param_name((ts_param)i), p->v[i]);
	tc_val_set(ctx, "filter", f);
	tc_val_set_str(ctx, "version", ts_index_version(ix));
	if (an->showing)
		tc_val_set_str(ctx, "showing", an->showing);
	if (an->partial)
		tc_val_set_bool(ctx, "partial", 1);
	if (an->not_applicable)
		tc_val_set_int(ctx, "not_applicable", an->not_applicable);
}

/* The HTML page of a search, from its answer: a view (lib/val.h) in a,
 * where an's results are, over the page context the index stores; it
 * borrows strings from an and the index. */
static void search_html(ts_index *ix, const ts_request *rq, const ts_params *p,
			const ts_found *an, tc_arena *a, ts_response *rs)
{
	const tc_lang *lang = ts_index_language(ix);
	json_int_t total = an->total;
	/* the entries (certificates, subprocessors, locations, pages) come
	 * first and are in no download: the download counts the measures */
	json_int_t entries = an->entries;
	size_t n = tc_val_len(an->results), i;
	tc_val *results = tc_val_list(a);
	for (i = 0; i < n; i++) {
		const tc_val *r = tc_val_at(an->results, i);
		tc_val *v = tc_val_map(a);
		/* its cells are shown as cell_views */
		size_t kn;
		for (size_t k = 0; k < tc_val_len(r); k++) {
			const char *key = tc_val_key_at(r, k, &kn);
			if (kn != 5 || memcmp(key, "cells", 5))
				tc_val_setn(v, key, kn, tc_val_value_at(r, k));
		}
		tc_val_set(v, "cell_views",
			   cell_views(ix, a, tc_val_get(r, "cells"),
				      p->v[P_PRODUCT] != NULL));
		tc_val_set_bool(v, "measure", !tc_val_get(r, "kind"));
		tc_val_list_push(results, v);
	}
	tc_val *ctx = tc_val_map(a), *page = tc_val_map(a);
	tc_buf tb = TC_BUF_INIT;
	tc_msgf(&tb, lang, "search.title", "q", p->v[P_Q], NULL);
	tc_val_set(page, "title", tc_val_strndup(a, tc_buf_cstr(&tb), tb.len));
	tc_buf_free(&tb);
	tc_val_set_str(page, "path", rq->path);
	tc_val_set_str(page, "description", "");
	tc_val_set(ctx, "page", page);
	tc_val_set(ctx, "options", options(ix, a, p));
	set_answer(ix, a, p, an, ctx);
	tc_val_set(ctx, "results", results);
	/* "3 measures match", "No measure matches" (issue 28: never "0
	 * Treffer"); "results" when entries are among them */
	tc_buf cw = TC_BUF_INIT;
	tc_msg_count(&cw, lang,
		     entries > 0 ? "count.search_results"
				 : "count.search_matches",
		     (long)total);
	tc_val_set(ctx, "count_words",
		   tc_val_strndup(a, tc_buf_cstr(&cw), cw.len));
	tc_buf_free(&cw);
	tc_val_set_int(ctx, "measures_total", total - entries);
	tc_val_set_bool(ctx, "measures_one", total - entries == 1);
	tc_val_set_int(ctx, "from", n ? p->offset + 1 : 0);
	tc_val_set_int(ctx, "to", p->offset + (json_int_t)n);
	json_t *prod = p->v[P_PRODUCT]
			   ? tc_tom_scope(ts_index_doc(ix), p->v[P_PRODUCT])
			   : NULL;
	if (prod)
		tc_val_set(ctx, "product_name",
			   tc_val_from_json(a, json_object_get(prod, "name")));
	if (p->offset > 0) {
		long prev = p->offset > p->limit ? p->offset - p->limit : 0;
		set_owned(a, ctx, "prev_url",
			  search_url("/api/search", p, prev, 1));
	}
	if (p->offset + (long)n < total)
		set_owned(
		    a, ctx, "next_url",
		    search_url("/api/search", p, p->offset + p->limit, 1));
	/* the results as they are filtered, as data: export takes q too */
	char *exp = search_url("/api/export", p, 0, 0);
	tc_val_set(ctx, "export_url", tc_val_strdup(a, exp));
	tc_val_set(ctx, "export_csv_url",
		   tc_val_printf(a, "%s&format=csv", exp));
	free(exp);
	/* nothing found: links to the suggested searches */
	tc_val *sugg = tc_val_list(a);
	json_t *sg;
	json_array_foreach (an->suggestions, i, sg) {
		ts_params alt = *p;
		alt.v[P_Q] =
		    (char *)json_string_value(json_object_get(sg, "query"));
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "query", alt.v[P_Q]);
		tc_val_set_int(
		    v, "total",
		    json_integer_value(json_object_get(sg, "total")));
		set_owned(a, v, "url", search_url("/api/search", &alt, 0, 0));
		tc_val_list_push(sugg, v);
	}
	tc_val_set(ctx, "suggestions", sugg);
	tc_val_set_bool(ctx, "suggested", tc_val_len(sugg) > 0);
	set_languages(ix, a, p, ctx);
	/* the page context stored in the index (site, nav, t) is the bottom
	 * of the stack, as on the site */
	const tc_val *stack[] = {ts_index_page_val(ix), ctx};
	mus_env *env = ts_index_templates(ix);
	const mus_tpl *t = mus_env_get(env, "search", NULL);
	if (t)
		mus_render_vals(env, t, stack, 2, &rs->body);
}

/* JSON, the busy path, is spliced from the index (ts_search_text); HTML
 * renders a view of the same answer (ts_search_found). A JSON answer
 * made only of bytes ts_search_text wrote and stored bytes it checked
 * once (it returns 1) is not read again before it is sent; any other
 * JSON answer is checked here, as final_check checks others. */
static void do_search(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	tc_buf err = TC_BUF_INIT, body = TC_BUF_INIT;
	enum kind k = ts_wants_html(rq) ? HTML : JSON;
	ts_found an = {0};
	tc_arena *a = k == HTML ? tc_arena_new(0) : NULL;
	int rc;
	if (k == HTML) {
		rc = ts_search_found(ix, p, a, &an, &err);
	} else {
		tc_buf schema = TC_BUF_INIT;
		schema_url(ix, "search", &schema);
		rc = ts_search_text(ix, p, tc_buf_cstr(&schema), &body, &err);
		tc_buf_free(&schema);
	}
	if (rc < 0) {
		error(ix, ts_index_language(ix), rq, rs, 400,
		      tc_buf_cstr(&err));
	} else if (answer_begins(ix, rq, rs, k)) {
		if (k == HTML) {
			search_html(ix, rq, p, &an, a, rs);
		} else {
			/* the answer becomes the body: at M a copy of it was
			 * 5 % of a search */
			if (!rs->body.len) {
				tc_buf t = rs->body;
				rs->body = body;
				body = t;
			} else {
				tc_buf_put(&rs->body, tc_buf_cstr(&body),
					   body.len);
			}
			tc_buf_putc(&rs->body, '\n');
		}
	}
	tc_buf why = TC_BUF_INIT;
	if (rc != 1 && rs->status != 304 &&
	    strstr(tc_buf_cstr(&rs->headers),
		   "Content-Type: application/json") &&
	    !body_ok(rs, &why, 0))
		not_sent(ix, rq, rs, &why);
	tc_buf_free(&why);
	ts_found_free(&an);
	tc_arena_free(a);
	tc_buf_free(&body);
	tc_buf_free(&err);
}

/* ---- /api/export ---- */

static void slug(tc_buf *out, const char *s)
{
	int dash = 0;
	for (; *s; s++) {
		if (isalnum((unsigned char)*s)) {
			if (dash && out->len)
				tc_buf_putc(out, '-');
			tc_buf_putc(out, (char)tolower((unsigned char)*s));
			dash = 0;
		} else {
			dash = 1;
		}
	}
}

/* A download's file name, without its extension, is at most this many
 * bytes: the header must fit nginx's buffer for an upstream's head (4 KB),
 * whatever the organisation (up to 8 KB in site.md) or the filter. */
#define TS_EXPORT_NAME_MAX 100

/* The download's file name: organisation, "-tom", then what filters it;
 * a responsibility list once per item (client,client,... is "client").
 * A longer name keeps its start and ends in a digest of the whole. */
static void export_name(ts_index *ix, const ts_params *p, const char *ext,
			tc_buf *disp)
{
	tc_buf name = TC_BUF_INIT;
	slug(&name, json_string_value(
			json_object_get(ts_index_doc(ix), "organisation")));
	tc_buf_puts(&name, "-tom");
	if (p->v[P_Q])
		tc_buf_puts(&name, "-search");
	for (int i = P_PRODUCT; i < P_RESP; i++)
		if (p->v[i])
			tc_buf_printf(&name, "-%s", p->v[i]);
	int seen[RS__COUNT] = {0};
	char sep = '-';
	for (const char *s = p->v[P_RESP]; s && *s; s += *s == ',') {
		size_t n = strcspn(s, ",");
		char id[32];
		snprintf(id, sizeof id, "%.*s", (int)n, s);
		int r = tc_resp_from_id(id);
		if (r >= 0 && !seen[r]++) {
			tc_buf_printf(&name, "%c%s", sep, id);
			sep = ',';
		}
		s += n;
	}
	if (name.len > TS_EXPORT_NAME_MAX) {
		char tail[18];
		snprintf(tail, sizeof tail, "-%016llx",
			 (unsigned long long)tc_fnv1a(TC_FNV_INIT,
						      tc_buf_cstr(&name)));
		size_t keep = TS_EXPORT_NAME_MAX - strlen(tail);
		while (keep && ((name.data[keep] & 0xc0) == 0x80 ||
				name.data[keep - 1] == '-'))
			keep--;
		name.len = keep;
		tc_buf_puts(&name, tail);
	}
	tc_buf_printf(disp, "attachment; filename=\"%s.%s\"",
		      tc_buf_cstr(&name), ext);
	tc_buf_free(&name);
}

/* The whole set and each product, in a `stored` format (JSON, CSV), are
 * stored in the index ready to serve; 1 when p asks for one of them. */
static int stored_export(const ts_params *p, tc_format f)
{
	return tc_format_get(f)->stored && !p->v[P_Q] && !p->v[P_CATEGORY] &&
	       !p->v[P_STATUS] && !p->v[P_RESP];
}

/* Any other export: JSON, CSV and the workbook written over the index's
 * data set and the selection of p's filters and words (lib/model.h). -1
 * with a 4xx/5xx answer already in rs. */
static int built_export(ts_index *ix, const ts_request *rq, const ts_params *p,
			tc_format fmt, ts_response *rs)
{
	const tc_lang *lang = ts_index_language(ix);
	tc_buf err = TC_BUF_INIT;
	if (ts_index_load_model(ix, &err) < 0) {
		data_set_damaged(ix, rq, rs, tc_buf_cstr(&err));
		tc_buf_free(&err);
		return -1;
	}
	tc_pick *pk = ts_export_pick(ix, p, &err);
	int rc = 0;
	if (!pk) {
		error(ix, ts_index_language(ix), rq, rs, 400,
		      tc_buf_cstr(&err));
		rc = -1;
	} else {
		/* the writer of each format (no default: the compiler names
		 * a format of lib/formats.h left out) */
		switch (fmt) {
		case TC_FMT_XLSX:
			if (ts_xlsxd_render(ix, pk, &rs->body) < 0) {
				error(ix, ts_index_language(ix), rq, rs, 503,
				      "cannot write the workbook now");
				header(rs, "Retry-After", "5");
				rc = -1;
			}
			break;
		case TC_FMT_CSV:
			tc_model_csv(ts_index_model(ix), pk, lang, ',',
				     &rs->body, NULL, NULL);
			break;
		case TC_FMT_JSON:
			tc_model_write(ts_index_model(ix), pk, lang, &rs->body);
			break;
		/* not `search` formats: v_format refuses them */
		case TC_FMT_CSV_SEMICOLON:
		case TC_FMT_OSCAL:
		case TC_FMT__COUNT: abort();
		}
	}
	tc_pick_free(pk);
	tc_buf_free(&err);
	return rc;
}

static void do_export(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	/* v_format has checked it */
	int f =
	    p->v[P_FORMAT] ? tc_format_from_id(p->v[P_FORMAT]) : TC_FMT_JSON;
	if (f < 0)
		abort();
	tc_format fmt = (tc_format)f;
	enum kind k = (enum kind)fmt;
	if (p->v[P_Q]) {
		/* q means what it means to /api/search: the same words,
		 * every match, no paging; words it cannot search are a 400
		 * before anything else */
		tc_buf match = TC_BUF_INIT, err = TC_BUF_INIT;
		int bad = ts_query_build(p->v[P_Q], ts_index_stemmed(ix),
					 &match, &err) < 0;
		if (bad)
			error(ix, ts_index_language(ix), rq, rs, 400,
			      tc_buf_cstr(&err));
		tc_buf_free(&match);
		tc_buf_free(&err);
		if (bad)
			return;
	}
	if (not_modified(ix, rq, rs, k))
		return;
	if (stored_export(p, fmt)) {
		if (ts_export_stored(ix, tc_format_get(fmt)->id,
				     p->v[P_PRODUCT], &rs->body) < 0) {
			error(ix, ts_index_language(ix), rq, rs, 404,
			      "this download is not in the "
			      "index");
			return;
		}
	} else if (built_export(ix, rq, p, fmt, rs) < 0) {
		return;
	}
	tc_buf disp = TC_BUF_INIT;
	export_name(ix, p, tc_format_get(fmt)->ext, &disp);
	header(rs, "Cache-Control", "public, max-age=300");
	content_type(rs, k);
	header(rs, "Content-Disposition", tc_buf_cstr(&disp));
	tc_buf_free(&disp);
}

/* ---- /api/changes ---- */

typedef struct cell_ctx {
	ts_index *ix;
	tc_arena *a;
} cell_ctx;

/* A cell of the change data as the site shows it: the "cell" partial. */
/* A cell of a change as the "cell" partial shows it; NULL for none (an
 * added cell has no "was", a removed one no "after"), as on the site's
 * changes page (gen/history.c's cell_cb). */
static const tc_val *cell_html(void *ud, const tc_change_cell *cell)
{
	cell_ctx *c = ud;
	if (!cell)
		return NULL;
	tc_arena *va = tc_arena_new(1024);
	const tc_val *view = tc_change_cell_val(va, ts_index_language(c->ix),
						cell, base_url(c->ix));
	tc_buf out = TC_BUF_INIT;
	mus_env *env = ts_index_templates(c->ix);
	const mus_tpl *t = mus_env_get(env, "cell", NULL);
	if (t)
		mus_render_val(env, t, view, &out);
	tc_arena_free(va);
	const tc_val *v = tc_val_strndup(c->a, tc_buf_cstr(&out), out.len);
	tc_buf_free(&out);
	return v;
}

static void changes_html(ts_index *ix, const ts_request *rq, const ts_params *p,
			 const tc_changeset *res, ts_response *rs)
{
	const tc_lang *lang = ts_index_language(ix);
	tc_arena *a = tc_arena_new(0);
	cell_ctx cc = {ix, a};
	tc_val *releases = tc_val_list(a);
	for (size_t i = 0; i < res->n; i++)
		tc_val_list_push(
		    releases,
		    tc_changes_view(a, lang, &res->steps[i], cell_html, &cc));
	tc_val *ctx = tc_val_map(a), *page = tc_val_map(a);
	tc_val_set_str(page, "title", tc_msg(lang, "changes"));
	tc_val_set_str(page, "path", rq->path);
	tc_val_set_str(page, "description", "");
	tc_val_set(ctx, "page", page);
	tc_val_set(ctx, "releases", releases);
	json_t *prod = p->v[P_PRODUCT]
			   ? tc_tom_scope(ts_index_doc(ix), p->v[P_PRODUCT])
			   : NULL;
	if (prod) {
		tc_val_set(ctx, "product", tc_val_from_json(a, prod));
		char *u = tc_route_urldup(lang, R_PRODUCT_CHANGES_ATOM,
					  p->v[P_PRODUCT], NULL);
		tc_val_set(ctx, "feed_url", tc_val_strdup(a, u));
		free(u);
	} else {
		char *u = tc_route_urldup(lang, R_CHANGES_ATOM, NULL, NULL);
		tc_val_set(ctx, "feed_url", tc_val_strdup(a, u));
		free(u);
	}
	/* a translation's changes say which language's data set binds, as
	 * the site's changes pages do (gen/history.c) */
	tc_governing gov;
	if (!ts_index_governing(ix, &gov) &&
	    strcmp(gov.lang->code, lang->code)) {
		tc_buf note = TC_BUF_INIT;
		tc_msgf(&note, lang, "changes.translation_note", "language",
			tc_lang_name(lang, gov.lang), NULL);
		tc_val_set(ctx, "translation_note",
			   tc_val_strndup(a, tc_buf_cstr(&note), note.len));
		tc_buf_free(&note);
	}
	/* the page context stored in the index (site, nav, legend) is the
	 * bottom of the stack, as on the site */
	const tc_val *stack[] = {tc_val_from_json(a, ts_index_page(ix)), ctx};
	mus_env *env = ts_index_templates(ix);
	const mus_tpl *t = mus_env_get(env, "changes", NULL);
	if (t)
		mus_render_vals(env, t, stack, 2, &rs->body);
	tc_arena_free(a);
}

static void do_changes(ts_index *ix, const ts_request *rq, const ts_params *p,
		       ts_response *rs)
{
	tc_buf err = TC_BUF_INIT;
	tc_changeset *res = tc_changes_since(
	    ts_index_changes(ix), p->v[P_SINCE], p->v[P_PRODUCT], &err);
	if (!res) {
		error(ix, ts_index_language(ix), rq, rs, 400,
		      tc_buf_cstr(&err));
		tc_buf_free(&err);
		return;
	}
	enum kind k = ts_wants_html(rq) ? HTML : JSON;
	if (answer_begins(ix, rq, rs, k)) {
		if (k == HTML) {
			changes_html(ix, rq, p, res, rs);
		} else {
			json_t *j =
			    with_schema(ix, "changes", tc_changeset_json(res));
			dump_json(j, &rs->body, 0);
			json_decref(j);
		}
	}
	tc_changeset_free(res);
	tc_buf_free(&err);
}

/* The index is read (ts_index_check) on every call: a health check that
 * does not look at the index said "ok" about a truncated file. */
static void do_health(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	(void)p;
	tc_buf why = TC_BUF_INIT;
	if (ts_index_check(ix, &why) < 0) {
		index_broken(ix, rq, rs, tc_buf_cstr(&why));
		tc_buf_free(&why);
		return;
	}
	tc_buf_free(&why);
	json_t *doc = ts_index_doc(ix);
	json_t *h = with_schema(ix, "health",
				json_pack("{s:s, s:s, s:O, s:s}", "status",
					  "ok", "version", ts_index_version(ix),
					  "date", json_object_get(doc, "date"),
					  "index", ts_index_etag(ix)));
	header(rs, "Cache-Control", "no-store");
	content_type(rs, JSON);
	dump_json(h, &rs->body, 0);
	json_decref(h);
}

static void do_openapi(ts_index *ix, const ts_request *rq, const ts_params *p,
		       ts_response *rs)
{
	(void)p;
	if (!answer_begins(ix, rq, rs, JSON))
		return;
	json_t *site = json_object_get(ts_index_page(ix), "site");
	json_t *langs = ts_index_codes(ix);
	/* the versions for since's enum, from the change data's JSON */
	json_t *changes = tc_changeset_json(ts_index_changes(ix));
	json_t *o =
	    ts_openapi(ts_index_doc(ix), changes, langs,
		       json_string_value(json_object_get(site, "base_url")));
	json_decref(changes);
	json_decref(langs);
	dump_json(o, &rs->body, 0);
	json_decref(o);
}

/* ---- POST /api/annex: a customer's annex (cgi/annex.h) ---- */

/* Whether the form came URL-encoded (a charset parameter may follow). */
static int form_encoded(const char *type)
{
	static const char want[] = "application/x-www-form-urlencoded";
	size_t n = sizeof want - 1;
	return type && !strncasecmp(type, want, n) &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* The form's error, in its language (the default's when its own is not
 * one of the site's): 400, or 413 for a body over the limit. Nothing of
 * the form goes to the log. */
static void annex_error(ts_index *ix, const ts_request *rq, ts_response *rs,
			const ts_annex_error *e)
{
	tc_buf msg = TC_BUF_INIT;
	ts_annex_error_text(ts_index_language(ix), e, &msg);
	error(ix, ts_index_language(ix), rq, rs, e->code == AE_BODY ? 413 : 400,
	      tc_buf_cstr(&msg));
	tc_buf_free(&msg);
}

static void do_annex(ts_index *ix, const ts_request *rq, const ts_params *p,
		     ts_response *rs)
{
	(void)p;
	ts_annex_form f;
	ts_annex_error e;
	int bad =
	    ts_annex_form_parse(rq->body ? rq->body : "", rq->body_len, &f, &e);
	if (rq->body_over) {
		memset(&e, 0, sizeof e);
		e.code = AE_BODY;
		e.field = AF_NONE;
		e.max = TS_ANNEX_MAX_BODY;
		bad = -1;
	} else if (!form_encoded(rq->content_type)) {
		memset(&e, 0, sizeof e);
		e.code = AE_TYPE;
		e.field = AF_NONE;
		bad = -1;
	}
	/* the page's language: the form's, when it is one of the site's */
	const char *code = f.v[AF_LANG] && *f.v[AF_LANG] ? f.v[AF_LANG] : NULL;
	ts_index *lx = ts_index_lang(ix, code);
	if (!lx && !bad) {
		memset(&e, 0, sizeof e);
		e.code = AE_LANG;
		e.field = AF_LANG;
		bad = -1;
	}
	if (!lx)
		lx = ix;
	tc_buf pdf = TC_BUF_INIT, name = TC_BUF_INIT, why = TC_BUF_INIT;
	int rc = bad ? 1 : ts_annex_make(lx, &f, &pdf, &name, &e, &why);
	if (rc > 0) {
		annex_error(lx, rq, rs, &e);
	} else if (rc < 0 && ts_index_load_model(lx, &why) < 0) {
		/* the current version's annex is made over the data set */
		data_set_damaged(lx, rq, rs, tc_buf_cstr(&why));
	} else if (rc < 0) {
		error(lx, ts_index_language(lx), rq, rs, 503,
		      tc_buf_cstr(&why));
		tc_buf_clear(&rs->note);
		tc_buf_puts(&rs->note, tc_buf_cstr(&why));
	} else {
		header(rs, "Cache-Control", "no-store");
		header(rs, "Content-Type", "application/pdf");
		header(rs, "X-Content-Type-Options", "nosniff");
		tc_buf disp = TC_BUF_INIT;
		tc_buf_printf(&disp, "attachment; filename=\"%s\"",
			      tc_buf_cstr(&name));
		header(rs, "Content-Disposition", tc_buf_cstr(&disp));
		tc_buf_free(&disp);
		tc_buf_put(&rs->body, pdf.data ? pdf.data : "", pdf.len);
	}
	tc_buf_free(&pdf);
	tc_buf_free(&name);
	tc_buf_free(&why);
	ts_annex_form_free(&f);
}

typedef void (*handler)(ts_index *, const ts_request *, const ts_params *,
			ts_response *);

/* in the order of the endpoint table (endpoints.h) */
static const handler handlers[EP__COUNT] = {
    [EP_SEARCH] = do_search,   [EP_EXPORT] = do_export,
    [EP_CHANGES] = do_changes, [EP_HEALTH] = do_health,
    [EP_OPENAPI] = do_openapi, [EP_ANNEX] = do_annex};

static void handle(ts_index *ix, const ts_request *rq, ts_response *rs);

/* An HTML answer of a site under a path of its base_url links under that
 * path, as tc-gen's pages do (lib/routes.h). */
void ts_handle(ts_index *ix, const ts_request *rq, ts_response *rs)
{
	handle(ix, rq, rs);
	tc_buf base = TC_BUF_INIT;
	tc_route_base_path(&base, ix ? base_url(ix) : NULL);
	if (base.len &&
	    strstr(tc_buf_cstr(&rs->headers), "Content-Type: text/html")) {
		tc_buf html = TC_BUF_INIT;
		tc_route_rebase_html(&html, tc_buf_cstr(&rs->body),
				     rs->body.len, tc_buf_cstr(&base));
		tc_buf_free(&rs->body);
		rs->body = html;
	}
	tc_buf_free(&base);
}

static void handle(ts_index *ix, const ts_request *rq, ts_response *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->status = 200;
	const char *m = rq->method ? rq->method : "";
	rs->head = !strcmp(m, "HEAD");
	const ts_endpoint *r = NULL;
	handler run = NULL;
	size_t n;
	const ts_endpoint *endpoints = ts_endpoints(&n);
	for (size_t i = 0; i < n; i++)
		if (rq->path && !strcmp(rq->path, endpoints[i].path)) {
			r = &endpoints[i];
			run = handlers[i];
		}
	if (!r) {
		lang_error(ix, rq, rs, 404, "there is no such API endpoint");
		return;
	}
	if (r->post ? strcmp(m, "POST") != 0 : strcmp(m, "GET") && !rs->head) {
		lang_error(ix, rq, rs, 405,
			   r->post ? "only POST is allowed"
				   : "only GET and HEAD are allowed");
		return;
	}
	ts_params p;
	tc_buf err = TC_BUF_INIT;
	ts_index *lx = NULL;
	if (ts_params_parse(rq->query, r->allowed, r->required,
			    ts_index_doc(ix), &p, &err) < 0) {
		lang_error(ix, rq, rs, 400, tc_buf_cstr(&err));
	} else if (!(lx = ts_index_lang(ix, p.v[P_LANG]))) {
		tc_buf_printf(&err,
			      "parameter 'lang': '%s' is not a language "
			      "of this trust center (",
			      p.v[P_LANG]);
		ts_index_languages(ix, &err);
		tc_buf_puts(&err, ")");
		lang_error(ix, rq, rs, 400, tc_buf_cstr(&err));
	} else {
		/* the answer's words are its language's (lib/lang.h), the
		 * language of lx, its index, which each writer is given */
		if (!set_broken(ix, lx, rq, rs))
			run(lx, rq, &p, rs);
		final_check(ix, lx, rq, rs, run == do_search);
	}
	ts_params_free(&p);
	tc_buf_free(&err);
}

void ts_response_serialize(const ts_response *rs, tc_buf *out)
{
	tc_buf_printf(out, "Status: %d %s\r\n", rs->status, reason(rs->status));
	tc_buf_put(out, tc_buf_cstr(&rs->headers), rs->headers.len);
	if (rs->status != 304)
		tc_buf_printf(out, "Content-Length: %zu\r\n", rs->body.len);
	tc_buf_puts(out, "\r\n");
	if (!rs->head && rs->status != 304)
		tc_buf_put(out, tc_buf_cstr(&rs->body), rs->body.len);
}

void ts_response_free(ts_response *rs)
{
	tc_buf_free(&rs->headers);
	tc_buf_free(&rs->body);
	tc_buf_free(&rs->note);
}
