#include "app.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/tomdata.h"

static const char *CSP =
    "default-src 'none'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

enum kind { JSON, HTML, CSV };

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	default: return "Error";
	}
}

static void header(ts_response *rs, const char *name, const char *value)
{
	tc_buf_printf(&rs->headers, "%s: %s\r\n", name, value);
}

static void content_type(ts_response *rs, enum kind k)
{
	static const char *types[] = {
	    "application/json; charset=utf-8", "text/html; charset=utf-8",
	    "text/csv; charset=utf-8; header=present"};
	header(rs, "Content-Type", types[k]);
	header(rs, "X-Content-Type-Options", "nosniff");
	if (k == HTML) {
		header(rs, "Content-Security-Policy", CSP);
		header(rs, "Referrer-Policy", "no-referrer");
	}
}

int ts_wants_html(const ts_request *rq)
{
	return rq->accept && strstr(rq->accept, "text/html") != NULL;
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

static void error(ts_index *ix, const ts_request *rq, ts_response *rs,
		  int status, const char *msg)
{
	/* jansson refuses invalid UTF-8; messages quote input escaped
	 * (tc_esc_log), this only keeps a slip from costing the answer. */
	if (!tc_utf8_valid(msg, strlen(msg)))
		msg = "the request is malformed";
	rs->status = status;
	tc_buf_clear(&rs->headers);
	tc_buf_clear(&rs->body);
	header(rs, "Cache-Control", "no-store");
	if (status == 405)
		header(rs, "Allow", "GET, HEAD");
	if (ts_wants_html(rq)) {
		content_type(rs, HTML);
		char title[64];
		snprintf(title, sizeof title, "%d %s", status, reason(status));
		render(ix, "error",
		       json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:s}}", "error",
				 "title", title, "message", msg, "page",
				 "title", title, "path",
				 rq->path ? rq->path : "", "description", ""),
		       &rs->body);
	} else {
		content_type(rs, JSON);
		json_t *e = json_pack("{s:{s:i, s:s}}", "error", "status",
				      status, "message", msg);
		dump_json(e, &rs->body, 0);
		json_decref(e);
	}
}

/* ETag per index and representation; 1 when the client's copy is fresh. */
static int not_modified(ts_index *ix, const ts_request *rq, ts_response *rs,
			enum kind k)
{
	char tag[64];
	snprintf(tag, sizeof tag, "\"%s-%c\"", ts_index_etag(ix), "jhc"[k]);
	header(rs, "ETag", tag);
	header(rs, "Vary", "Accept");
	const char *inm = rq->if_none_match;
	if (!inm || !(strstr(inm, tag) || !strcmp(inm, "*")))
		return 0;
	rs->status = 304;
	header(rs, "Cache-Control", "public, max-age=300");
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
	for (int i = P_PRODUCT; i <= P_STATUS; i++)
		url_param(&u, ts_param_name((ts_param)i), p->v[i]);
	if (paging) {
		tc_buf_printf(&u, "&limit=%ld", p->limit);
		if (offset)
			tc_buf_printf(&u, "&offset=%ld", offset);
	}
	return tc_buf_detach(&u);
}

static json_t *legend_entry(ts_index *ix, const char *status)
{
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(ts_index_page(ix), "legend"), i,
			    e) {
		if (!strcmp(json_string_value(json_object_get(e, "id")),
			    status))
			return e;
	}
	return NULL;
}

/* Cells in scope order, with the legend's words and icons. */
static json_t *cell_views(ts_index *ix, json_t *cells)
{
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(ts_index_doc(ix), "scopes"), i, s) {
		json_t *c = json_object_get(
		    cells, json_string_value(json_object_get(s, "id")));
		if (!c)
			continue;
		const char *st =
		    json_string_value(json_object_get(c, "status"));
		json_t *e = legend_entry(ix, st);
		json_array_append_new(
		    out,
		    json_pack("{s:O, s:s, s:O, s:O, s:O, s:O, s:b}", "scope",
			      json_object_get(s, "name"), "status", st,
			      "status_title", json_object_get(e, "title"),
			      "icon", json_object_get(e, "icon"), "label",
			      json_object_get(c, "label"), "note",
			      json_object_get(c, "note"), "other",
			      !strcmp(st, "other")));
	}
	return out;
}

static json_t *options(ts_index *ix, const ts_params *p)
{
	json_t *prods = json_array(), *sts = json_array();
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(ts_index_doc(ix), "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (strcmp(json_string_value(json_object_get(s, "kind")),
			   "product"))
			continue;
		json_array_append_new(
		    prods,
		    json_pack("{s:s, s:O, s:b}", "id", id, "name",
			      json_object_get(s, "name"), "selected",
			      p->v[P_PRODUCT] && !strcmp(p->v[P_PRODUCT], id)));
	}
	json_array_foreach (json_object_get(ts_index_page(ix), "legend"), i,
			    s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		json_array_append_new(
		    sts,
		    json_pack("{s:s, s:O, s:b}", "id", id, "title",
			      json_object_get(s, "title"), "selected",
			      p->v[P_STATUS] && !strcmp(p->v[P_STATUS], id)));
	}
	return json_pack("{s:o, s:o}", "products", prods, "statuses", sts);
}

/* Sets key to the string s, which it frees. */
static void set_owned(json_t *o, const char *key, char *s)
{
	json_object_set_new(o, key, json_string(s));
	free(s);
}

static void search_html(ts_index *ix, const ts_request *rq, const ts_params *p,
			json_t *res, ts_response *rs)
{
	json_int_t total = json_integer_value(json_object_get(res, "total"));
	size_t n = json_array_size(json_object_get(res, "results")), i;
	json_t *r;
	json_array_foreach (json_object_get(res, "results"), i, r)
		json_object_set_new(
		    r, "cell_views",
		    cell_views(ix, json_object_get(r, "cells")));
	char title[300];
	snprintf(title, sizeof title, "Search: %s", p->v[P_Q]);
	json_t *ctx = json_pack("{s:{s:s, s:s, s:s}, s:o}", "page", "title",
				title, "path", rq->path, "description", "",
				"options", options(ix, p));
	json_object_update(ctx, res);
	json_object_set_new(ctx, "one", json_boolean(total == 1));
	json_object_set_new(ctx, "from", json_integer(n ? p->offset + 1 : 0));
	json_object_set_new(ctx, "to", json_integer(p->offset + (json_int_t)n));
	json_t *prod = p->v[P_PRODUCT]
			   ? tc_tom_scope(ts_index_doc(ix), p->v[P_PRODUCT])
			   : NULL;
	if (prod)
		json_object_set(ctx, "product_name",
				json_object_get(prod, "name"));
	if (p->offset > 0) {
		long prev = p->offset > p->limit ? p->offset - p->limit : 0;
		set_owned(ctx, "prev_url",
			  search_url("/api/search", p, prev, 1));
	}
	if (p->offset + (long)n < total)
		set_owned(
		    ctx, "next_url",
		    search_url("/api/search", p, p->offset + p->limit, 1));
	set_owned(ctx, "export_url", search_url("/api/export", p, 0, 0));
	render(ix, "search", ctx, &rs->body);
}

static void do_search(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	tc_buf err = TC_BUF_INIT;
	json_t *res = ts_search(ix, p, &err);
	if (!res) {
		error(ix, rq, rs, 400, tc_buf_cstr(&err));
		tc_buf_free(&err);
		return;
	}
	enum kind k = ts_wants_html(rq) ? HTML : JSON;
	if (!not_modified(ix, rq, rs, k)) {
		header(rs, "Cache-Control", "public, max-age=300");
		content_type(rs, k);
		if (k == HTML)
			search_html(ix, rq, p, res, rs);
		else
			dump_json(res, &rs->body, 1);
	}
	json_decref(res);
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

static void do_export(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	int csv = p->v[P_FORMAT] && !strcmp(p->v[P_FORMAT], "csv");
	if (not_modified(ix, rq, rs, csv ? CSV : JSON))
		return;
	json_t *doc = ts_index_doc(ix);
	json_t *f = tc_tom_filter(doc, p->v[P_PRODUCT], p->v[P_CATEGORY],
				  p->v[P_STATUS]);
	tc_buf name = TC_BUF_INIT;
	slug(&name, json_string_value(json_object_get(doc, "organisation")));
	tc_buf_puts(&name, "-tom");
	for (int i = P_PRODUCT; i <= P_STATUS; i++)
		if (p->v[i])
			tc_buf_printf(&name, "-%s", p->v[i]);
	tc_buf disp = TC_BUF_INIT;
	tc_buf_printf(&disp, "attachment; filename=\"%s.%s\"",
		      tc_buf_cstr(&name), csv ? "csv" : "json");
	header(rs, "Cache-Control", "public, max-age=300");
	content_type(rs, csv ? CSV : JSON);
	header(rs, "Content-Disposition", tc_buf_cstr(&disp));
	if (csv)
		tc_tom_csv(f, &rs->body);
	else
		dump_json(f, &rs->body, 0);
	json_decref(f);
	tc_buf_free(&name);
	tc_buf_free(&disp);
}

static void do_health(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	(void)rq;
	(void)p;
	json_t *doc = ts_index_doc(ix);
	json_t *h =
	    json_pack("{s:s, s:s, s:O, s:s}", "status", "ok", "version",
		      ts_index_version(ix), "date",
		      json_object_get(doc, "date"), "index", ts_index_etag(ix));
	header(rs, "Cache-Control", "no-store");
	content_type(rs, JSON);
	dump_json(h, &rs->body, 0);
	json_decref(h);
}

typedef void (*handler)(ts_index *, const ts_request *, const ts_params *,
			ts_response *);

static const struct route {
	const char *path;
	unsigned allowed, required;
	handler run;
} routes[] = {
    {"/api/search",
     TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) | TS_BIT(P_STATUS) |
	 TS_BIT(P_LIMIT) | TS_BIT(P_OFFSET),
     TS_BIT(P_Q), do_search},
    {"/api/export",
     TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) | TS_BIT(P_STATUS) |
	 TS_BIT(P_FORMAT),
     0, do_export},
    {"/api/health", 0, 0, do_health},
};

void ts_handle(ts_index *ix, const ts_request *rq, ts_response *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->status = 200;
	const char *m = rq->method ? rq->method : "";
	rs->head = !strcmp(m, "HEAD");
	const struct route *r = NULL;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (rq->path && !strcmp(rq->path, routes[i].path))
			r = &routes[i];
	if (!r) {
		error(ix, rq, rs, 404, "there is no such API endpoint");
		return;
	}
	if (strcmp(m, "GET") && !rs->head) {
		error(ix, rq, rs, 405, "only GET and HEAD are allowed");
		return;
	}
	ts_params p;
	tc_buf err = TC_BUF_INIT;
	if (ts_params_parse(rq->query, r->allowed, r->required,
			    ts_index_doc(ix), &p, &err) < 0)
		error(ix, rq, rs, 400, tc_buf_cstr(&err));
	else
		r->run(ix, rq, &p, rs);
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
}
