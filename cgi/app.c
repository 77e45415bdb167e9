#include "app.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/tomdata.h"
#include "../lib/views.h"

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

/* Cells in scope order, as the site's cell partial shows them. */
static json_t *cell_views(ts_index *ix, json_t *cells)
{
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(ts_index_doc(ix), "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		json_t *c = json_object_get(cells, id);
		if (c)
			json_array_append_new(
			    out, tc_view_cell_json(
				     c, json_string_value(json_object_get(s, "name")),
				     id));
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
	for (int k = 0; k < ST__COUNT; k++) {
		const char *id = tc_status_id((tc_status)k);
		json_array_append_new(
		    sts, json_pack("{s:s, s:s, s:b}", "id", id, "title",
				   tc_status_title((tc_status)k), "selected",
				   p->v[P_STATUS] &&
				       !strcmp(p->v[P_STATUS], id)));
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
	/* the results as they are filtered, as data: export takes q too */
	char *exp = search_url("/api/export", p, 0, 0);
	json_object_set_new(ctx, "export_url", json_string(exp));
	tc_buf csv = TC_BUF_INIT;
	tc_buf_printf(&csv, "%s&format=csv", exp);
	json_object_set_new(ctx, "export_csv_url",
			    json_string(tc_buf_cstr(&csv)));
	tc_buf_free(&csv);
	free(exp);
	/* nothing found: links to the suggested searches */
	json_t *sg;
	json_array_foreach (json_object_get(ctx, "suggestions"), i, sg) {
		ts_params alt = *p;
		alt.v[P_Q] = (char *)json_string_value(
		    json_object_get(sg, "query"));
		set_owned(sg, "url", search_url("/api/search", &alt, 0, 0));
	}
	json_object_set_new(ctx, "suggested",
			    json_boolean(json_array_size(
				json_object_get(ctx, "suggestions")) > 0));
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

/* Keeps in f (a filtered document) only the measures whose IDs are keys
 * of ids, then only the categories and scopes still used, and records q
 * in its filter. */
static void keep_matches(json_t *f, json_t *ids, const char *q)
{
	json_t *cats = json_object_get(f, "categories"), *used = json_object();
	for (size_t i = 0; i < json_array_size(cats);) {
		json_t *ms = json_object_get(json_array_get(cats, i), "measures");
		for (size_t k = 0; k < json_array_size(ms);) {
			json_t *me = json_array_get(ms, k);
			if (!json_object_get(ids, json_string_value(json_object_get(
						      me, "id")))) {
				json_array_remove(ms, k);
				continue;
			}
			const char *sid;
			json_t *cell;
			json_object_foreach (json_object_get(me, "cells"), sid,
					     cell)
				json_object_set(used, sid, json_true());
			k++;
		}
		if (json_array_size(ms))
			i++;
		else
			json_array_remove(cats, i);
	}
	json_t *scopes = json_object_get(f, "scopes");
	for (size_t i = 0; i < json_array_size(scopes);) {
		const char *sid = json_string_value(
		    json_object_get(json_array_get(scopes, i), "id"));
		if (json_object_get(used, sid))
			i++;
		else
			json_array_remove(scopes, i);
	}
	json_decref(used);
	json_t *filter = json_object_get(f, "filter");
	if (!filter) {
		filter = json_object();
		json_object_set_new(f, "filter", filter);
	}
	json_object_set_new(filter, "q", json_string(q));
}

static void do_export(ts_index *ix, const ts_request *rq, const ts_params *p,
		      ts_response *rs)
{
	int csv = p->v[P_FORMAT] && !strcmp(p->v[P_FORMAT], "csv");
	json_t *ids = NULL;
	if (p->v[P_Q]) {
		/* q means what it means to /api/search: the same words,
		 * every match, no paging */
		tc_buf err = TC_BUF_INIT;
		ids = ts_search_ids(ix, p, &err);
		if (!ids) {
			error(ix, rq, rs, 400, tc_buf_cstr(&err));
			tc_buf_free(&err);
			return;
		}
		tc_buf_free(&err);
	}
	if (not_modified(ix, rq, rs, csv ? CSV : JSON)) {
		json_decref(ids);
		return;
	}
	json_t *doc = ts_index_doc(ix);
	json_t *f = tc_tom_filter(doc, p->v[P_PRODUCT], p->v[P_CATEGORY],
				  p->v[P_STATUS]);
	if (ids)
		keep_matches(f, ids, p->v[P_Q]);
	json_decref(ids);
	tc_buf name = TC_BUF_INIT;
	slug(&name, json_string_value(json_object_get(doc, "organisation")));
	tc_buf_puts(&name, "-tom");
	if (p->v[P_Q])
		tc_buf_puts(&name, "-search");
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
     TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) | TS_BIT(P_STATUS) |
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
