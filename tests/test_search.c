/* tc-search: query building with hostile input, search on an index built
 * from the fixture site, and whole requests through ts_handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../cgi/app.h"
#include "../cgi/cache.h"
#include "../gen/build.h"
#include "../lib/tomdata.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	char content[4096], templates[4096];
	snprintf(content, sizeof content, "%s/tests/fixtures/mini",
		 repo_root());
	snprintf(templates, sizeof templates, "%s/templates", repo_root());
	tc_build_opts o = {.content = content,
			   .templates = templates,
			   .output = "out",
			   .index = "idx/search.sqlite"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	tc_diags_print(d, stderr);
	tc_diags_free(d);
	if (rc)
		return -1;
	tc_buf err = TC_BUF_INIT;
	ix = ts_index_open("idx/search.sqlite", &err);
	tc_buf_free(&err);
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_index_close(ix);
	leave_tmpdir(cwd, tmp);
	return 0;
}

static void query_building(void **state)
{
	(void)state;
	static const struct {
		const char *q, *match;
	} cases[] = {
	    {"firewall", "\"firewall\"*"},
	    {"  fire   wall ", "\"fire\"* AND \"wall\"*"},
	    {"\"data transfers\" encr", "\"data transfers\" AND \"encr\"*"},
	    {"a\"b", "\"a\"* AND \"b\""}, /* the quote opens a phrase */
	    {"\"unterminated phrase", "\"unterminated phrase\""},
	    {"x AND y OR z",
	     "\"x\"* AND \"AND\"* AND \"y\"* AND \"OR\"* AND \"z\"*"},
	    {"NEAR(a b)", "\"NEAR(a\"* AND \"b)\"*"},
	    {"text:secret", "\"text:secret\"*"},
	    {"{mid text}:x", "\"{mid\"* AND \"text}:x\"*"},
	    {"^start * -x", "\"^start\"* AND \"-x\"*"},
	    {"été", "\"été\"*"},
	    {"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
	     "\"1\"* AND \"2\"* AND \"3\"* AND \"4\"* AND \"5\"* AND \"6\"* "
	     "AND "
	     "\"7\"* AND \"8\"* AND \"9\"* AND \"10\"* AND \"11\"* AND \"12\"* "
	     "AND "
	     "\"13\"* AND \"14\"* AND \"15\"* AND \"16\"*"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_buf m = TC_BUF_INIT, err = TC_BUF_INIT;
		assert_int_equal(ts_query_build(cases[i].q, 0, &m, &err), 0);
		assert_string_equal(tc_buf_cstr(&m), cases[i].match);
		tc_buf_free(&m);
		tc_buf_free(&err);
	}
	/* under a stemming tokenizer a bare word is a prefix or its stem; a
	 * phrase stays a phrase */
	tc_buf m = TC_BUF_INIT, err = TC_BUF_INIT;
	assert_int_equal(
	    ts_query_build("verschlüsselt \"regelmäßige Schulungen\"", 1, &m,
			   &err),
	    0);
	assert_string_equal(tc_buf_cstr(&m),
			    "(\"verschlüsselt\" OR \"verschlüsselt\"*) AND "
			    "\"regelmäßige Schulungen\"");
	tc_buf_clear(&m);
	assert_int_equal(ts_query_build("* ^ \"\" :", 0, &m, &err), -1);
	assert_string_equal(tc_buf_cstr(&err),
			    "parameter 'q' has no word to search for");
	tc_buf_free(&m);
	tc_buf_free(&err);
}

/* Runs a search and returns the IDs found, comma-separated. */
static char *ids(const char *query, const char *product, const char *status,
		 long limit, long offset, json_int_t *total)
{
	ts_params p = {{0}, limit, offset};
	p.v[P_Q] = (char *)query;
	p.v[P_PRODUCT] = (char *)product;
	p.v[P_STATUS] = (char *)status;
	tc_buf err = TC_BUF_INIT, out = TC_BUF_INIT;
	json_t *r = ts_search(ix, &p, &err);
	assert_non_null(r);
	size_t i;
	json_t *x;
	json_array_foreach (json_object_get(r, "results"), i, x)
		tc_buf_printf(&out, "%s%s", i ? "," : "",
			      json_string_value(json_object_get(x, "id")));
	if (total)
		*total = json_integer_value(json_object_get(r, "total"));
	json_decref(r);
	tc_buf_free(&err);
	return tc_buf_detach(&out);
}

#define IDS(want, ...)                                                         \
	do {                                                                   \
		char *got_ = ids(__VA_ARGS__);                                 \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void searching(void **state)
{
	(void)state;
	IDS("BET-4", "encrypted", NULL, NULL, 20, 0, NULL); /* stemming */
	IDS("BET-4", "encr", NULL, NULL, 20, 0, NULL);      /* prefix */
	IDS("BET-1", "firewall managed", NULL, NULL, 20, 0, NULL); /* AND */
	IDS("", "firewall backups", NULL, NULL, 20, 0, NULL);
	IDS("BET-4", "\"data transfers\"", NULL, NULL, 20, 0,
	    NULL); /* phrase */
	IDS("", "\"transfers data\"", NULL, NULL, 20, 0, NULL);
	IDS("ALP-2", "escort", NULL, NULL, 20, 0, NULL);
	IDS("BET-2", "daily", NULL, NULL, 20, 0, NULL); /* notes are searched */
	IDS("BET-4", "rootkit", NULL, NULL, 20, 0, NULL);
	IDS("BET-3", "BET-3", NULL, NULL, 20, 0, NULL); /* IDs are searched */
	/* hostile input is only ever text */
	IDS("", "NEAR(firewall backups)", NULL, NULL, 20, 0, NULL);
	IDS("", "text:firewall", NULL, NULL, 20, 0, NULL);
	IDS("", "firewall OR backups", NULL, NULL, 20, 0, NULL);
	/* filters: a product keeps measures of its tables and the general
	 * ones; a status keeps measures with such a cell */
	IDS("BET-1", "firewall", "rack", "client", 20, 0, NULL);
	IDS("", "firewall", "box", "client", 20, 0, NULL);
	IDS("ALP-1", "locked", "box", NULL, 20, 0, NULL);
	/* paging */
	json_int_t total;
	char *all = ids("b", NULL, NULL, 20, 0, &total);
	assert_true(total >= 3);
	char *second = ids("b", NULL, NULL, 1, 1, NULL);
	assert_non_null(strstr(all, second));
	assert_null(strchr(second, ','));
	free(all);
	free(second);
	/* a page past the end still says how many there are */
	json_int_t past;
	char *none = ids("b", NULL, NULL, 20, 100, &past);
	assert_string_equal(none, "");
	assert_int_equal(past, total);
	free(none);
}

/* responsibility=client,shared: the client's duties and the shared
 * cells, and of each result only such cells */
static void responsibility_filter(void **state)
{
	(void)state;
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = (char *)"b";
	p.v[P_PRODUCT] = (char *)"box";
	p.v[P_RESP] = (char *)"client,shared";
	tc_buf err = TC_BUF_INIT;
	json_t *r = ts_search(ix, &p, &err);
	assert_non_null(r);
	size_t i;
	json_t *x;
	int bet3 = 0, bet6 = 0;
	json_array_foreach (json_object_get(r, "results"), i, x) {
		const char *id = json_string_value(json_object_get(x, "id"));
		bet3 |= !strcmp(id, "BET-3");
		bet6 |= !strcmp(id, "BET-6");
		const char *scope;
		json_t *cell;
		assert_true(json_object_size(json_object_get(x, "cells")) > 0);
		json_object_foreach (json_object_get(x, "cells"), scope, cell) {
			const char *rs = json_string_value(
			    json_object_get(cell, "responsibility"));
			assert_true(!strcmp(rs, "client") ||
				    !strcmp(rs, "shared"));
		}
	}
	assert_true(bet3 && bet6);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r, "filter"),
					      "responsibility")),
	    "client,shared");
	json_decref(r);
	tc_buf_free(&err);
}

/* content/synonyms.md's words find the measures that use its phrases */
static void synonyms_and_suggestions(void **state)
{
	(void)state;
	IDS("BET-4", "TLS", NULL, NULL, 20, 0, NULL);
	IDS("BET-4", "ssl", NULL, NULL, 20, 0, NULL);
	IDS("BET-7", "MFA", NULL, NULL, 20, 0, NULL);
	IDS("BET-7", "two-factor", NULL, NULL, 20, 0, NULL);
	/* the snippet says why */
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "tls";
	tc_buf err = TC_BUF_INIT;
	json_t *r = ts_search(ix, &p, &err);
	const char *snip = json_string_value(json_object_get(
	    json_array_get(json_object_get(r, "results"), 0), "snippet"));
	assert_string_equal(snip, "<mark>TLS</mark>, SSL: encryption; ");
	assert_int_equal(json_array_size(json_object_get(r, "suggestions")), 0);
	json_decref(r);
	/* nothing found: the nearest words of the vocabulary that find
	 * something, with the same filters */
	static const struct {
		const char *q, *product, *want;
	} cases[] = {
	    {"firewal", NULL, NULL}, /* a prefix: found, nothing to suggest */
	    {"firwall", NULL, "[{\"query\": \"firewall\", \"total\": 1}]"},
	    {"encrpytion", NULL, "[{\"query\": \"encryption\", \"total\": 1}]"},
	    {"firewall backups", NULL,
	     "[{\"query\": \"firewall\", \"total\": 1}, {\"query\": "
	     "\"backups\", \"total\": 1}]"},
	    {"firwall", "box", "[{\"query\": \"firewall\", \"total\": 1}]"},
	    {"qqqqzzzz", NULL, "[]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		p.v[P_Q] = (char *)cases[i].q;
		p.v[P_PRODUCT] = (char *)cases[i].product;
		r = ts_search(ix, &p, &err);
		assert_non_null(r);
		char *got = json_dumps(json_object_get(r, "suggestions"),
				       JSON_PRESERVE_ORDER);
		if (!cases[i].want)
			assert_true(json_integer_value(
					json_object_get(r, "total")) > 0);
		else
			assert_string_equal(got, cases[i].want);
		free(got);
		json_decref(r);
	}
	tc_buf_free(&err);
}

static void snippets_are_html_safe(void **state)
{
	(void)state;
	tc_buf b = TC_BUF_INIT;
	ts_snippet_html(&b, "a <b>\x01x&y\x02 \"q\"");
	assert_string_equal(tc_buf_cstr(&b),
			    "a &lt;b&gt;<mark>x&amp;y</mark> &quot;q&quot;");
	tc_buf_free(&b);
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "escort";
	tc_buf err = TC_BUF_INIT;
	json_t *r = ts_search(ix, &p, &err);
	json_t *first = json_array_get(json_object_get(r, "results"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(first, "snippet")),
	    "Visitors with &quot;<mark>escort</mark>&quot; &amp; badge");
	json_decref(r);
	tc_buf_free(&err);
}

/* Under a product filter the snippet never quotes the notes column, which
 * holds every product's notes: Box's free text beside Rack's badge would
 * tell a Rack buyer something about Box. */
static void snippets_keep_to_the_product(void **state)
{
	(void)state;
	static const struct {
		const char *product, *want;
	} cases[] = {
	    {NULL, "<mark>rootkit</mark> tests"},
	    {"box", "Encryption of data transfers"},
	    {"rack", "Encryption of data transfers"},
	};
	tc_buf err = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = "rootkit";
		p.v[P_PRODUCT] = (char *)cases[i].product;
		json_t *r = ts_search(ix, &p, &err);
		json_t *first =
		    json_array_get(json_object_get(r, "results"), 0);
		assert_string_equal(
		    json_string_value(json_object_get(first, "id")), "BET-4");
		assert_string_equal(
		    json_string_value(json_object_get(first, "snippet")),
		    cases[i].want);
		json_decref(r);
	}
	tc_buf_free(&err);
}

/* ---- whole requests ---- */

static ts_response get(const char *method, const char *path, const char *query,
		       const char *accept, const char *inm)
{
	ts_request rq = {method, path, query, accept, inm};
	ts_response rs;
	ts_handle(ix, &rq, &rs);
	return rs;
}

static void requests(void **state)
{
	(void)state;
	ts_response rs = get("GET", "/api/search", "q=firewall", "*/*", NULL);
	assert_int_equal(rs.status, 200);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers),
		   "Content-Type: application/json; charset=utf-8\r\n"));
	assert_non_null(strstr(tc_buf_cstr(&rs.headers),
			       "X-Content-Type-Options: nosniff\r\n"));
	char etag[64];
	const char *e = strstr(tc_buf_cstr(&rs.headers), "ETag: ");
	assert_non_null(e);
	snprintf(etag, sizeof etag, "%.*s", (int)strcspn(e + 6, "\r"), e + 6);
	ts_response_free(&rs);

	rs = get("GET", "/api/search", "q=firewall", "*/*", etag);
	assert_int_equal(rs.status, 304);
	assert_non_null(strstr(tc_buf_cstr(&rs.headers),
			       "Cache-Control: public, max-age=300\r\n"));
	tc_buf ser = TC_BUF_INIT;
	ts_response_serialize(&rs, &ser);
	assert_true(strstr(tc_buf_cstr(&ser), "Status: 304 Not Modified\r\n") ==
		    tc_buf_cstr(&ser));
	assert_string_equal(tc_buf_cstr(&ser) + ser.len - 4, "\r\n\r\n");
	tc_buf_free(&ser);
	ts_response_free(&rs);

	/* HTML for a form submission, in the site's layout, with a CSP */
	rs = get("GET", "/api/search", "q=firewall&product=rack",
		 "text/html,application/xhtml+xml", NULL);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(tc_buf_cstr(&rs.headers),
			       "Content-Security-Policy: default-src 'none'"));
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.body),
		   "<link rel=\"stylesheet\" href=\"/assets/style.css\">"));
	assert_non_null(strstr(tc_buf_cstr(&rs.body), "<mark>Firewall</mark>"));
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.body),
		   "<option value=\"rack\" selected>Rack</option>"));
	ts_response_free(&rs);

	rs = get("HEAD", "/api/health", NULL, NULL, NULL);
	assert_int_equal(rs.status, 200);
	ts_response_serialize(&rs, &ser);
	assert_non_null(strstr(tc_buf_cstr(&ser), "Content-Length: "));
	assert_null(strstr(tc_buf_cstr(&ser), "\"ok\""));
	tc_buf_free(&ser);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.body), "\"version\": \"1.0-test\""));
	ts_response_free(&rs);
}

static void export_matches_filter(void **state)
{
	(void)state;
	ts_response rs =
	    get("GET", "/api/export", "product=rack&status=client", NULL, NULL);
	assert_int_equal(rs.status, 200);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers),
		   "Content-Disposition: attachment; "
		   "filename=\"example-hosting-tom-rack-client.json\"\r\n"));
	json_t *got = json_loads(tc_buf_cstr(&rs.body), 0, NULL);
	json_t *tom = json_load_file("out/api/tom.json", 0, NULL);
	json_t *want = tc_tom_filter(tom, "rack", NULL, "client", NULL);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
	ts_response_free(&rs);
	/* responsibility: what the data says, for exports built from the
	 * index, whatever their format */
	static const char *resp_cases[][3] = {
	    {"responsibility=client,shared", NULL, "client,shared"},
	    {"responsibility=client,shared&product=box", "box",
	     "client,shared"},
	    {"responsibility=provider&product=rack", "rack", "provider"},
	    {"responsibility=none", NULL, "none"},
	};
	for (size_t i = 0; i < sizeof resp_cases / sizeof *resp_cases; i++) {
		rs = get("GET", "/api/export", resp_cases[i][0], NULL, NULL);
		assert_int_equal(rs.status, 200);
		got = json_loads(tc_buf_cstr(&rs.body), 0, NULL);
		want = tc_tom_filter(tom, resp_cases[i][1], NULL, NULL,
				     resp_cases[i][2]);
		assert_true(json_equal(got, want));
		assert_string_equal(
		    json_string_value(json_object_get(
			json_object_get(got, "filter"), "responsibility")),
		    resp_cases[i][2]);
		json_decref(got);
		json_decref(want);
		ts_response_free(&rs);
	}
	rs = get("GET", "/api/export",
		 "responsibility=client,shared&format=csv", NULL, NULL);
	assert_int_equal(rs.status, 200);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers),
		   "filename=\"example-hosting-tom-client,shared.csv\""));
	assert_null(strstr(tc_buf_cstr(&rs.body), ",provider,"));
	ts_response_free(&rs);
	json_decref(tom);
	/* unfiltered JSON export is the published file, byte for byte */
	rs = get("GET", "/api/export", NULL, NULL, NULL);
	char *file = tc_read_file("out/api/tom.json", NULL);
	assert_string_equal(tc_buf_cstr(&rs.body), file);
	free(file);
	ts_response_free(&rs);
	/* q: what the search finds, every match, in the export's shape */
	rs = get("GET", "/api/export", "q=firewall+OR+backups&product=box",
		 NULL, NULL);
	assert_int_equal(rs.status, 200);
	got = json_loads(tc_buf_cstr(&rs.body), 0, NULL);
	json_t *cats = json_object_get(got, "categories");
	assert_int_equal(json_array_size(cats), 0); /* words are ANDed */
	json_decref(got);
	ts_response_free(&rs);
	rs = get("GET", "/api/export", "q=b&format=csv", NULL, NULL);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(tc_buf_cstr(&rs.headers),
			       "filename=\"example-hosting-tom-search.csv\""));
	ts_response_free(&rs);
	rs = get("GET", "/api/export", "q=firewall", NULL, NULL);
	got = json_loads(tc_buf_cstr(&rs.body), 0, NULL);
	cats = json_object_get(got, "categories");
	assert_int_equal(json_array_size(cats), 1);
	json_t *ms = json_object_get(json_array_get(cats, 0), "measures");
	assert_int_equal(json_array_size(ms), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(ms, 0), "id")),
	    "BET-1");
	/* only the scopes still used, and the filter says q */
	assert_int_equal(json_array_size(json_object_get(got, "scopes")), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(got, "filter"), "q")),
			    "firewall");
	json_decref(got);
	ts_response_free(&rs);
	rs = get("GET", "/api/export", "q=%22%22", NULL, NULL);
	assert_int_equal(rs.status, 400);
	ts_response_free(&rs);
	rs = get("GET", "/api/export", "format=csv", NULL, NULL);
	file = tc_read_file("out/api/tom.csv", NULL);
	assert_string_equal(tc_buf_cstr(&rs.body), file);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers), "text/csv; charset=utf-8"));
	free(file);
	ts_response_free(&rs);
	/* and the workbook is api/tom.xlsx: same data, same cover, same
	 * bytes (its time is the data's date) */
	rs = get("GET", "/api/export", "format=xlsx", NULL, NULL);
	size_t len;
	file = tc_read_file("out/api/tom.xlsx", &len);
	assert_int_equal(rs.status, 200);
	assert_int_equal(rs.body.len, len);
	assert_memory_equal(rs.body.data, file, len);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers), "spreadsheetml.sheet"));
	assert_non_null(strstr(tc_buf_cstr(&rs.headers), ".xlsx\""));
	free(file);
	ts_response_free(&rs);
}

static void errors(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path, *query, *accept;
		int status;
		const char *needle;
	} cases[] = {
	    {"GET", "/api/nope", NULL, NULL, 404,
	     "there is no such API endpoint"},
	    {"GET", "/", NULL, NULL, 404, "there is no such API endpoint"},
	    {"GET", NULL, NULL, NULL, 404, "there is no such API endpoint"},
	    {"POST", "/api/search", "q=a", NULL, 405,
	     "only GET and HEAD are allowed"},
	    {NULL, "/api/search", "q=a", NULL, 405,
	     "only GET and HEAD are allowed"},
	    {"GET", "/api/search", "q=a&q=b", NULL, 400,
	     "given more than once"},
	    {"GET", "/api/search", "q=%", NULL, 400,
	     "malformed percent-encoding"},
	    {"GET", "/api/search", "q=a&limit=500", NULL, 400, "from 1 to 100"},
	    {"GET", "/api/export", "format=xml", NULL, 400,
	     "must be json, csv or xlsx"},
	    {"GET", "/api/health", "x=1", NULL, 400, "unknown parameter 'x'"},
	    {"GET", "/api/search", "q=%3Cscript%3E&product=%3Cb%3E",
	     "text/html", 400, "<h1>400 Bad Request</h1>"},
	    /* parameter names that decode to invalid UTF-8 once crashed the
	     * worker: the message quotes them escaped, in JSON and HTML */
	    {"GET", "/api/health", "%ff", NULL, 400,
	     "\"unknown parameter '\\\\xff'\""},
	    {"GET", "/api/search", "q=a&%ff=1", NULL, 400,
	     "unknown parameter '\\\\xff'"},
	    {"GET", "/api/export", "%c3%28", "text/html", 400,
	     "unknown parameter &#39;\\xc3(&#39;"},
	    {"GET", "/api/health", "%ff", "text/html", 400,
	     "unknown parameter &#39;\\xff&#39;"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_response rs = get(cases[i].method, cases[i].path,
				     cases[i].query, cases[i].accept, NULL);
		assert_int_equal(rs.status, cases[i].status);
		if (!strstr(tc_buf_cstr(&rs.body), cases[i].needle))
			print_error("case %zu: %s\n", i, tc_buf_cstr(&rs.body));
		assert_non_null(strstr(tc_buf_cstr(&rs.body), cases[i].needle));
		assert_null(strstr(tc_buf_cstr(&rs.body), "<script>"));
		assert_non_null(strstr(tc_buf_cstr(&rs.headers),
				       "Cache-Control: no-store"));
		if (cases[i].status == 405)
			assert_non_null(strstr(tc_buf_cstr(&rs.headers),
					       "Allow: GET, HEAD\r\n"));
		ts_response_free(&rs);
	}
}

static void cache(void **state)
{
	(void)state;
	ts_cache *c = ts_cache_new(
	    4, 400, 1 << 20); /* a health answer fits, an export not */
	ts_response ok = get("GET", "/api/health", NULL, NULL, NULL);
	ts_response bad = get("GET", "/api/nope", NULL, NULL, NULL);
	assert_null(ts_cache_get(c, "jk"));
	ts_cache_put(c, "jk", &ok);
	ts_cache_put(c, "jbad", &bad); /* errors are never kept */
	const ts_response *hit = ts_cache_get(c, "jk");
	assert_non_null(hit);
	assert_int_equal(hit->status, 200);
	assert_string_equal(tc_buf_cstr(&hit->body), tc_buf_cstr(&ok.body));
	assert_string_equal(tc_buf_cstr(&hit->headers),
			    tc_buf_cstr(&ok.headers));
	assert_null(ts_cache_get(c, "jbad"));
	ts_response big = get("GET", "/api/export", NULL, NULL, NULL);
	assert_true(big.body.len > 100);
	ts_cache_put(c, "jbig", &big); /* over max_bytes */
	assert_null(ts_cache_get(c, "jbig"));
	/* one set of four ways: the least recently used goes first */
	ts_cache_put(c, "k1", &ok);
	ts_cache_put(c, "k2", &ok);
	ts_cache_put(c, "k3", &ok);             /* the set is full */
	assert_non_null(ts_cache_get(c, "jk")); /* jk is now the most recent */
	ts_cache_put(c, "k4", &ok);             /* evicts k1 */
	assert_null(ts_cache_get(c, "k1"));
	assert_non_null(ts_cache_get(c, "jk"));
	assert_non_null(ts_cache_get(c, "k2"));
	assert_non_null(ts_cache_get(c, "k3"));
	assert_non_null(ts_cache_get(c, "k4"));
	for (int i = 5; i < 16; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		ts_cache_put(c, k, &ok);
		assert_non_null(ts_cache_get(c, k));
	}
	ts_cache_clear(c);
	assert_null(ts_cache_get(c, "k15"));
	size_t hits, lookups;
	ts_cache_stats(c, &hits, &lookups);
	assert_int_equal(hits, 17);
	assert_int_equal(lookups, 22);
	ts_cache_free(c);
	/* the budget of all answers together: room for two health answers
	 * keeps the two most recent */
	size_t one = ok.body.len + ok.headers.len;
	c = ts_cache_new(64, 400, 2 * one + 1);
	ts_cache_put(c, "a", &ok);
	ts_cache_put(c, "b", &ok);
	assert_non_null(ts_cache_get(c, "a")); /* b is now the oldest */
	ts_cache_put(c, "c", &ok);
	assert_null(ts_cache_get(c, "b"));
	assert_non_null(ts_cache_get(c, "a"));
	assert_non_null(ts_cache_get(c, "c"));
	ts_cache_free(c);
	ts_response_free(&ok);
	ts_response_free(&bad);
	ts_response_free(&big);
}

/* Accept: HTML only when it is preferred to JSON; q=0 refuses. */
static void content_negotiation(void **state)
{
	(void)state;
	static const struct {
		const char *accept;
		int html;
	} cases[] = {
	    {NULL, 0},
	    {"*/*", 0},
	    {"application/json", 0},
	    {"text/html", 1},
	    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	     1},
	    {"text/html;q=0, */*", 0},
	    {"text/html; q=0.0", 0},
	    {"application/json, text/html;q=0.5", 0},
	    {"application/json;q=0.4, text/*;q=0.5", 1},
	    {"TEXT/HTML", 1},
	    {"text/htmlx", 0},
	    {"text/html;level=1;q=0.9, application/json;q=0.8", 1},
	    {",,;;q=,text/html;q=abc", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_request rq = {"GET", "/api/search", "q=x", cases[i].accept,
				 NULL};
		if (ts_wants_html(&rq) != cases[i].html)
			print_error("Accept: %s\n",
				    cases[i].accept ? cases[i].accept : "-");
		assert_int_equal(ts_wants_html(&rq), cases[i].html);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(query_building),
	    cmocka_unit_test(content_negotiation),
	    cmocka_unit_test(searching),
	    cmocka_unit_test(synonyms_and_suggestions),
	    cmocka_unit_test(snippets_are_html_safe),
	    cmocka_unit_test(snippets_keep_to_the_product),
	    cmocka_unit_test(requests),
	    cmocka_unit_test(export_matches_filter),
	    cmocka_unit_test(responsibility_filter),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(cache),
	};
	return cmocka_run_group_tests_name("search", tests, setup, teardown);
}
