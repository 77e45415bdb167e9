/* tc-search: query building with hostile input, search on an index built
 * from the fixture site, and whole requests through ts_handle. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cgi/app.h"
#include "../cgi/cache.h"
#include "../gen/build.h"
#include "../lib/indexfmt.h"
#include "../lib/tomdata.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;
static ts_index *fict;     /* the fictional example's, when a test built it */
static ts_index *mixed_ix; /* tests/fixtures/mixed's, likewise */

/* A search's JSON answer (ts_search_text) as a client reads it (new
 * reference), or NULL with err set. */
static json_t *search_json(ts_index *x, const ts_params *p, tc_buf *err)
{
	tc_buf out = TC_BUF_INIT;
	json_t *r = NULL;
	if (ts_search_text(x, p, NULL, &out, err) >= 0) {
		r = json_loadb(out.data, out.len, 0, NULL);
		if (!r)
			tc_buf_puts(err, "the answer is not JSON");
	}
	tc_buf_free(&out);
	return r;
}

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	ix = repo_fixture_index("tests/fixtures/mini", "out",
				"idx/search.sqlite");
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_index_close(ix);
	ts_index_close(fict);
	ts_index_close(mixed_ix);
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
	    /* a number binds to the word before it (SOC 2, ISO 27001) */
	    {"SOC 2", "NEAR(\"SOC\"* \"2\"*, 2)"},
	    {"iso 27001:2022 fire",
	     "NEAR(\"iso\"* \"27001:2022\"*, 2) AND \"fire\"*"},
	    {"ISO 27001 2022", "NEAR(\"ISO\"* \"27001\"* \"2022\"*, 2)"},
	    {"\"SOC\" 2", "\"SOC\" AND \"2\"*"}, /* a phrase binds nothing */
	    {"ISO27001", "(\"ISO27001\"* OR NEAR(\"ISO\"* \"27001\"*, 2))"},
	    {"C5 2fa x509", "\"C5\"* AND \"2fa\"* AND \"x509\"*"},
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
	assert_int_equal(ts_query_build("SOC2 Typ 2", 1, &m, &err), 0);
	assert_string_equal(
	    tc_buf_cstr(&m),
	    "(\"SOC2\" OR \"SOC2\"* OR NEAR(\"SOC\"* \"2\"*, 2)) "
	    "AND NEAR(\"Typ\"* \"2\"*, 2)");
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
	json_t *r = search_json(ix, &p, &err);
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
	/* no measure has both: those with one of them (issue 27: partial) */
	IDS("BET-2,BET-1", "firewall backups", NULL, NULL, 20, 0, NULL);
	IDS("BET-4", "\"data transfers\"", NULL, NULL, 20, 0,
	    NULL); /* phrase */
	IDS("", "\"transfers data\"", NULL, NULL, 20, 0, NULL);
	IDS("ALP-2", "escort", NULL, NULL, 20, 0, NULL);
	IDS("BET-2", "daily", NULL, NULL, 20, 0, NULL); /* notes are searched */
	IDS("BET-4", "rootkit", NULL, NULL, 20, 0, NULL);
	IDS("BET-3", "BET-3", NULL, NULL, 20, 0, NULL); /* IDs are searched */
	/* hostile input is only ever text */
	/* (words no measure has together find those with some of them) */
	IDS("BET-2", "NEAR(firewall backups)", NULL, NULL, 20, 0, NULL);
	IDS("", "text:firewall", NULL, NULL, 20, 0, NULL);
	IDS("BET-2,BET-1", "firewall OR backups", NULL, NULL, 20, 0, NULL);
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
	json_t *r = search_json(ix, &p, &err);
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
	json_t *r = search_json(ix, &p, &err);
	const char *snip = json_string_value(json_object_get(
	    json_array_get(json_object_get(r, "results"), 0), "snippet"));
	assert_string_equal(snip, "<mark>TLS</mark>, SSL; ");
	assert_int_equal(json_array_size(json_object_get(r, "suggestions")), 0);
	json_decref(r);
	/* nothing found: the nearest words of the vocabulary that find
	 * something, with the same filters */
	/* (issue 27) a typo's correction is searched at once and named
	 * (showing), words no measure has together find the measures with
	 * some of them (partial); suggestions are left for what finds
	 * nothing at all */
	static const struct {
		const char *q, *product, *want, *showing;
		int partial;
	} cases[] = {
	    {"firewal", NULL, NULL, NULL, 0}, /* a prefix: found */
	    /* the word as the content writes it (issue 24: "Schlüsel" was
	     * offered the folded "schlusselkarte") */
	    {"firwall", NULL, "[]", "Firewall", 0},
	    {"encrpytion", NULL, "[]", "Encryption", 0},
	    {"firewall backups", NULL, "[]", NULL, 1},
	    {"firwall", "box", "[]", "Firewall", 0},
	    {"qqqqzzzz", NULL, "[]", NULL, 0},
	    /* no typo looked for in a stop word or a short word: "my" was
	     * offered "management" */
	    {"my", NULL, "[]", NULL, 0},
	    {"qz", NULL, "[]", NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		p.v[P_Q] = (char *)cases[i].q;
		p.v[P_PRODUCT] = (char *)cases[i].product;
		r = search_json(ix, &p, &err);
		assert_non_null(r);
		char *got = json_dumps(json_object_get(r, "suggestions"),
				       JSON_PRESERVE_ORDER);
		if (!cases[i].want)
			assert_true(json_integer_value(
					json_object_get(r, "total")) > 0);
		else
			assert_string_equal(got, cases[i].want);
		json_t *sh = json_object_get(r, "showing");
		if (cases[i].showing)
			assert_string_equal(json_string_value(sh),
					    cases[i].showing);
		else
			assert_null(sh);
		assert_int_equal(json_is_true(json_object_get(r, "partial")),
				 cases[i].partial);
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
	json_t *r = search_json(ix, &p, &err);
	json_t *first = json_array_get(json_object_get(r, "results"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(first, "snippet")),
	    "Visitors with &quot;<mark>escort</mark>&quot; &amp; badge");
	json_decref(r);
	tc_buf_free(&err);
}

/* Under a product filter the snippet never quotes the notes column, which
 * holds every product's notes: Box's free text beside Rack's badge would
 * tell a Rack buyer something about Box. And (issue 21) Box's note finds
 * nothing for Rack: a product filter matches what concerns the product. */
static void snippets_keep_to_the_product(void **state)
{
	(void)state;
	static const struct {
		const char *product, *want;
	} cases[] = {
	    {NULL, "<mark>rootkit</mark> tests"},
	    {"box", "Encryption of data transfers"},
	    {"rack", NULL},
	};
	tc_buf err = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = "rootkit";
		p.v[P_PRODUCT] = (char *)cases[i].product;
		json_t *r = search_json(ix, &p, &err);
		json_t *first =
		    json_array_get(json_object_get(r, "results"), 0);
		if (!cases[i].want) {
			assert_null(first);
			assert_int_equal(
			    json_integer_value(json_object_get(r, "total")), 0);
			json_decref(r);
			continue;
		}
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
	ts_request rq = {method, path, query, accept, inm, NULL, NULL, 0, 0};
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

/* What /api/export answers of tom (api/tom.json, English) for the
 * filters, as the model's reader, selection and writer make it
 * (lib/model.h), parsed. */
static json_t *model_filter(json_t *tom, const char *product,
			    const char *category, const char *status,
			    const char *resp)
{
	tc_buf at = TC_BUF_INIT, why = TC_BUF_INIT, out = TC_BUF_INIT;
	tc_model *m = tc_model_read(tom, TC_READ_EXPORT, tc_lang_default(), "",
				    &at, &why);
	assert_non_null(m);
	tc_pick *pk = tc_pick_filter(m, product, category, status, resp);
	tc_model_write(m, pk, tc_lang_default(), &out);
	json_t *doc = json_loads(tc_buf_cstr(&out), 0, NULL);
	tc_pick_free(pk);
	tc_model_free(m);
	tc_buf_free(&at);
	tc_buf_free(&why);
	tc_buf_free(&out);
	return doc;
}

/* The JSON an export of p's filters and words writes over x's data set
 * (ts_export_pick, tc_model_write), parsed. */
static json_t *export_doc(ts_index *x, const ts_params *p)
{
	tc_buf err = TC_BUF_INIT, out = TC_BUF_INIT;
	tc_pick *pk = ts_export_pick(x, p, &err);
	assert_non_null(pk);
	tc_model_write(ts_index_model(x), pk, ts_index_language(x), &out);
	json_t *doc = json_loads(tc_buf_cstr(&out), 0, NULL);
	tc_pick_free(pk);
	tc_buf_free(&err);
	tc_buf_free(&out);
	return doc;
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
	json_t *want = model_filter(tom, "rack", NULL, "client", NULL);
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
		want = model_filter(tom, resp_cases[i][1], NULL, NULL,
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
	/* no measure has both words: the measures with one, as the search
	 * answers it (issue 27) */
	assert_true(json_array_size(cats) > 0);
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
				 NULL,  NULL,          NULL,  0,
				 0};
		if (ts_wants_html(&rq) != cases[i].html)
			print_error("Accept: %s\n",
				    cases[i].accept ? cases[i].accept : "-");
		assert_int_equal(ts_wants_html(&rq), cases[i].html);
	}
}

/* ---- the index as hostile input (issue 22) ---- */

/* A copy of the fixture's index at to. */
static void copy_index(const char *to)
{
	size_t n;
	char *b = tc_read_file("idx/search.sqlite", &n);
	assert_non_null(b);
	tc_mkdirs_parent(to);
	assert_int_equal(tc_write_file(to, b, n), 0);
	free(b);
}

/* Runs sql on the index at path as a writer would. */
static void sql_on(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		print_error("%s: %s\n", sql, msg);
	assert_null(msg);
	sqlite3_close(db);
}

/* Stores the digest of what the index at path now holds, as a writer
 * that stored bad data would: the damage then passes the door. */
static void restamp(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char dg[65], sql[160];
	assert_int_equal(tc_ix_digest(db, dg), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "UPDATE meta SET value = '%s' WHERE key = 'digest'", dg);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Writes n bytes at off into the file, in place. */
static void poke(const char *path, long off, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, n, off), (ssize_t)n);
	close(fd);
}

/* Where needle first occurs in the file. */
static long find_in(const char *path, const char *needle)
{
	size_t n;
	char *b = tc_read_file(path, &n);
	assert_non_null(b);
	const char *at = memmem(b, n, needle, strlen(needle));
	assert_non_null(at);
	long off = at - b;
	free(b);
	return off;
}

/* ts_index_open must refuse path, with exactly want. */
static void refused(const char *path, const char *want)
{
	tc_buf err = TC_BUF_INIT;
	ts_index *x = ts_index_open(path, &err);
	if (x || strcmp(tc_buf_cstr(&err), want))
		print_error("%s: %s\n", path, tc_buf_cstr(&err));
	assert_null(x);
	assert_string_equal(tc_buf_cstr(&err), want);
	tc_buf_free(&err);
}

static ts_response get_from(ts_index *x, const char *path, const char *query,
			    const char *accept)
{
	ts_request rq = {"GET", path, query, accept, NULL, NULL, NULL, 0, 0};
	ts_response rs;
	ts_handle(x, &rq, &rs);
	return rs;
}

/* status and a piece of the body */
#define ANSWERS(x, path, query, accept, want_status, needle)                   \
	do {                                                                   \
		ts_response rs_ = get_from(x, path, query, accept);            \
		if (rs_.status != (want_status) ||                             \
		    !strstr(tc_buf_cstr(&rs_.body), needle))                   \
			print_error("%s?%s: %d %s\n", path,                    \
				    query ? query : "", rs_.status,            \
				    tc_buf_cstr(&rs_.body));                   \
		assert_int_equal(rs_.status, want_status);                     \
		assert_non_null(strstr(tc_buf_cstr(&rs_.body), needle));       \
		ts_response_free(&rs_);                                        \
	} while (0)

/* Finding 4: a damaged index was opened and served. Every kind of damage
 * is refused at the door with what is wrong. */
static void damaged_indexes_are_refused(void **state)
{
	(void)state;
	/* a byte inside a value: pages and b-trees intact, only the digest
	 * sees it */
	copy_index("bad/value.sqlite");
	poke("bad/value.sqlite",
	     find_in("bad/value.sqlite", "{\"id\":\"BET-1\",\"text\":\"") + 22,
	     "\xff", 1);
	refused("bad/value.sqlite",
		"index bad/value.sqlite is damaged: what it stores does not "
		"match its digest");
	/* a page of garbage: integrity_check */
	copy_index("bad/page.sqlite");
	char junk[4096];
	memset(junk, 0x5a, sizeof junk);
	poke("bad/page.sqlite", 3 * 4096, junk, sizeof junk);
	tc_buf err = TC_BUF_INIT;
	assert_null(ts_index_open("bad/page.sqlite", &err));
	assert_true(
	    strstr(tc_buf_cstr(&err), "index bad/page.sqlite is damaged: ") ==
	    tc_buf_cstr(&err));
	assert_null(strchr(tc_buf_cstr(&err), '\n'));
	tc_buf_free(&err);
	/* cut short */
	copy_index("bad/short.sqlite");
	assert_int_equal(truncate("bad/short.sqlite", 40960), 0);
	err = (tc_buf)TC_BUF_INIT;
	assert_null(ts_index_open("bad/short.sqlite", &err));
	if (!strstr(tc_buf_cstr(&err), "is damaged: "))
		print_error("%s\n", tc_buf_cstr(&err));
	assert_non_null(strstr(tc_buf_cstr(&err), "is damaged: "));
	tc_buf_free(&err);
	/* another format, an empty file, no digest, not a file */
	copy_index("bad/format.sqlite");
	sql_on("bad/format.sqlite",
	       "UPDATE meta SET value = '8' WHERE key = 'format'");
	refused("bad/format.sqlite",
		"bad/format.sqlite is not a tc search index of format 15 (it "
		"has format 8: rebuild it with this version's tc-gen)");
	put_file("bad/empty.sqlite", "");
	refused("bad/empty.sqlite",
		"bad/empty.sqlite is not a tc search index of format 15");
	copy_index("bad/nodigest.sqlite");
	sql_on("bad/nodigest.sqlite", "DELETE FROM meta WHERE key = 'digest'");
	refused("bad/nodigest.sqlite",
		"index bad/nodigest.sqlite is damaged: what it stores does not "
		"match its digest");
	/* filters that are not one per measure, or of a category or product
	 * count the catalog has not, by a writer that stamped them */
	static const char *const filters[] = {
	    "DELETE FROM filters WHERE rowid = 2",
	    "UPDATE filters SET category = 99 WHERE rowid = 1",
	    "UPDATE filters SET products = x'00' WHERE rowid = 1",
	};
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		copy_index("bad/filters.sqlite");
		sql_on("bad/filters.sqlite", filters[i]);
		restamp("bad/filters.sqlite");
		refused("bad/filters.sqlite",
			"index bad/filters.sqlite is damaged: its filters are "
			"not one per measure of its catalog");
	}
	refused("bad", "cannot open index bad: not a regular file");
	refused("bad/none.sqlite",
		"cannot open index bad/none.sqlite: No such file or directory");
}

/* Finding 6: English of one deploy beside German of another was served,
 * two versions at once, and nothing was logged. */
static void languages_of_one_build(void **state)
{
	(void)state;
	copy_index("set/x.sqlite");
	copy_index("set/x.sqlite.de");
	sql_on("set/x.sqlite",
	       "REPLACE INTO meta VALUES('languages', '[\"de\"]')");
	/* German: its data set's URLs have /de (tc-search reads it) */
	sql_on("set/x.sqlite.de",
	       "UPDATE meta SET value = 'de' WHERE key = 'lang';"
	       "UPDATE exports SET body = replace(replace(CAST(body AS TEXT),"
	       " '.test/categories/', '.test/de/categories/'),"
	       " '.test/products/', '.test/de/products/') WHERE name = 'json'");
	restamp("set/x.sqlite");
	restamp("set/x.sqlite.de");
	tc_buf err = TC_BUF_INIT;
	ts_index *x = ts_index_open("set/x.sqlite", &err);
	assert_non_null(x);
	assert_int_equal(ts_index_count(x), 2);
	char build[16];
	snprintf(build, sizeof build, "%.12s", ts_index_build(x));
	ts_index_close(x);
	/* the German index of another run */
	sql_on("set/x.sqlite.de",
	       "UPDATE meta SET value = '1.1-test' WHERE key = 'version';"
	       "UPDATE meta SET value = '0123456789abcdef' WHERE key = "
	       "'build'");
	restamp("set/x.sqlite.de");
	char want[512];
	snprintf(want, sizeof want,
		 "index set/x.sqlite.de is from another tc-gen run than "
		 "set/x.sqlite (build 0123456789ab, not %s; version 1.1-test, "
		 "not 1.0-test): deploy every language's index of one run "
		 "together",
		 build);
	refused("set/x.sqlite", want);
	tc_buf_free(&err);
}

/* Finding 5: an index that breaks while it is served (truncated in place,
 * a page gone bad under a worker) was answered as the client's fault, 400
 * "database disk image is malformed", and /api/health said ok. */
static void a_broken_index_is_503(void **state)
{
	(void)state;
	copy_index("live/a.sqlite");
	tc_buf err = TC_BUF_INIT;
	ts_index *x = ts_index_open("live/a.sqlite", &err);
	assert_non_null(x);
	ANSWERS(x, "/api/search", "q=fire", NULL, 200, "\"total\":");
	ANSWERS(x, "/api/health", NULL, NULL, 200, "\"status\": \"ok\"");
	assert_int_equal(truncate("live/a.sqlite", 0), 0);
	const char *why = "the search index is broken: the 'en' index file "
			  "was changed in place after it was opened (a deploy "
			  "writes a new file and renames it over the old one)";
	ANSWERS(x, "/api/search", "q=fire", NULL, 503, why);
	ANSWERS(x, "/api/export", "category=alpha", NULL, 503, why);
	ANSWERS(x, "/api/health", NULL, NULL, 503, why);
	ANSWERS(x, "/api/search", "q=fire", "text/html", 503, "<h1>503 ");
	ts_response rs = get_from(x, "/api/health", NULL, NULL);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers), "Cache-Control: no-store\r\n"));
	assert_non_null(strstr(tc_buf_cstr(&rs.note), why));
	ts_response_free(&rs);
	ts_index_close(x);

	/* pages that go bad behind SQLite's back, size and time kept: the
	 * first error SQLite gives makes the index broken for good */
	copy_index("live/b.sqlite");
	struct stat st;
	assert_int_equal(stat("live/b.sqlite", &st), 0);
	x = ts_index_open("live/b.sqlite", &err);
	assert_non_null(x);
	char junk[4096];
	memset(junk, 0xa5, sizeof junk);
	for (off_t off = 4096; off < st.st_size; off += 4096)
		poke("live/b.sqlite", off, junk, sizeof junk);
	struct timespec times[2] = {st.st_atim, st.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, "live/b.sqlite", times, 0), 0);
	ANSWERS(x, "/api/search", "q=firewall&product=rack", NULL, 503,
		"the search index is broken: the 'en' index: database disk "
		"image is malformed");
	ANSWERS(x, "/api/openapi.json", NULL, NULL, 503,
		"database disk image is malformed");
	ANSWERS(x, "/api/health", NULL, NULL, 503,
		"database disk image is malformed");
	ts_index_close(x);
	tc_buf_free(&err);
}

/* What an index stores (and a digest vouches for) can still be wrong:
 * a writer's bug. Every answer is checked before it is sent; one that is
 * not JSON, or not UTF-8, is a 503 and a reason for the log. */
static void answers_are_checked_before_they_are_sent(void **state)
{
	(void)state;
	copy_index("odd/a.sqlite");
	sql_on("odd/a.sqlite",
	       "UPDATE measures SET head = CAST(X'7b226964223aff' AS TEXT) "
	       "WHERE id = 'BET-1';"
	       "UPDATE exports SET body = X'7b7b' WHERE name = 'json/box';"
	       "UPDATE exports SET body = X'efbbbfff0a' WHERE name = 'csv'");
	restamp("odd/a.sqlite");
	tc_buf err = TC_BUF_INIT;
	ts_index *x = ts_index_open("odd/a.sqlite", &err);
	assert_non_null(x);
	const char *msg = "the answer could not be made from the search index";
	ts_response rs = get_from(x, "/api/search", "q=firewall", NULL);
	assert_int_equal(rs.status, 503);
	assert_non_null(strstr(tc_buf_cstr(&rs.body), msg));
	assert_string_equal(tc_buf_cstr(&rs.note),
			    "not sent: the answer is not JSON (at byte 171)");
	ts_response_free(&rs);
	ANSWERS(x, "/api/export", "product=box", NULL, 503, msg);
	rs = get_from(x, "/api/export", "format=csv", NULL);
	assert_int_equal(rs.status, 503);
	assert_string_equal(tc_buf_cstr(&rs.note),
			    "not sent: the answer is not UTF-8");
	ts_response_free(&rs);
	/* HTML reads the answer back as JSON: that it cannot is the index's
	 * fault, never the client's */
	ANSWERS(x, "/api/search", "q=firewall", "text/html", 503, "<h1>503 ");
	/* what does not touch the bad rows is still answered */
	ts_index_close(x);
	x = ts_index_open("odd/a.sqlite", &err);
	ANSWERS(x, "/api/search", "q=encr", NULL, 200, "BET-4");
	ANSWERS(x, "/api/export", "format=json&product=rack", NULL, 200,
		"\"schema_version\"");
	ts_index_close(x);
	tc_buf_free(&err);
}

/* The data set an export writes over is read when an answer first needs
 * it (lib/model.h tc_model_read), once: a stored export that is no data
 * set, or that has not the index's measures, is a damaged index, not a
 * request's fault. The whole check (the server's master) refuses it at
 * the door; one answer's open (the CGI) serves what does not need it and
 * answers every export that does 503, saying why, and logs the file. */
static void a_bad_data_set_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *want;
	} cases[] = {
	    {"UPDATE exports SET body = X'7b7b' WHERE name = 'json'",
	     "its data set is not JSON (string or '}' expected near '{')"},
	    {"DELETE FROM exports WHERE name = 'json'",
	     "its data set is not there"},
	    {"UPDATE exports SET body = replace(CAST(body AS TEXT), "
	     "'\"status\": \"provided\"', '\"status\": \"maybe\"') "
	     "WHERE name = 'json'",
	     "its data set at categories[0].measures[0].cells.site.status "
	     "'maybe' is not a status"},
	    {"UPDATE exports SET body = replace(replace(CAST(body AS TEXT), "
	     "'\"id\": \"ALP-1\"', '\"id\": \"ALP-2\"'), '#ALP-1\"', "
	     "'#ALP-2\"') WHERE name = 'json'",
	     "its data set at categories[0].measures[1].id 'ALP-2' is there "
	     "twice"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		copy_index("bad/a.sqlite");
		sql_on("bad/a.sqlite", cases[i].sql);
		restamp("bad/a.sqlite");
		char want[512], said[512];
		snprintf(want, sizeof want, "index bad/a.sqlite is damaged: %s",
			 cases[i].want);
		snprintf(said, sizeof said, "the search index is damaged: %s",
			 cases[i].want);
		refused("bad/a.sqlite", want);
		tc_buf err = TC_BUF_INIT;
		ts_index *x = ts_index_open_quick("bad/a.sqlite", &err);
		assert_non_null(x);
		assert_null(ts_index_model_damage(x));
		/* a search, and an export the index stores, never read it */
		ANSWERS(x, "/api/search", "q=encr", NULL, 200, "BET-4");
		ANSWERS(x, "/api/export", "format=json&product=rack", NULL, 200,
			"\"schema_version\"");
		assert_null(ts_index_model_damage(x));
		/* an export written over it: 503, the same each time */
		for (int k = 0; k < 2; k++) {
			ts_response rs = get_from(
			    x, "/api/export",
			    k ? "format=csv&q=encr" : "status=provided", NULL);
			assert_int_equal(rs.status, 503);
			assert_non_null(strstr(tc_buf_cstr(&rs.body), said));
			assert_string_equal(tc_buf_cstr(&rs.note), want);
			ts_response_free(&rs);
		}
		assert_null(ts_index_model(x));
		assert_int_equal(ts_index_load_model(x, &err), -1);
		assert_string_equal(tc_buf_cstr(&err), want);
		/* and the search still answers */
		ANSWERS(x, "/api/search", "q=encr", NULL, 200, "BET-4");
		ts_index_close(x);
		tc_buf_free(&err);
	}
}

/* The entries are skipped only when the vocabulary of their table, read
 * with their table's own tokenizer, says they cannot match: an index
 * whose meta names another tokenizer than the entries' schema (here
 * German's, whose stems are not the English table's) asks them every
 * time, and finds what FTS5 finds. */
static void entries_vocabulary_uses_their_tokenizer(void **state)
{
	(void)state;
	tc_buf err = TC_BUF_INIT;
	static const char *const q = "q=notifications";
	ts_response want = get_from(ix, "/api/search", q, NULL);
	assert_int_equal(want.status, 200);
	assert_non_null(strstr(tc_buf_cstr(&want.body), "\"id\":\"mailer\""));
	copy_index("tok/a.sqlite");
	sql_on("tok/a.sqlite", "UPDATE meta SET value = '''tc_stem de''' "
			       "WHERE key = 'tokenize'");
	restamp("tok/a.sqlite");
	ts_index *x = ts_index_open("tok/a.sqlite", &err);
	assert_non_null(x);
	ANSWERS(x, "/api/search", q, NULL, 200, "\"id\":\"mailer\"");
	ts_index_close(x);
	ts_response_free(&want);
	tc_buf_free(&err);
}

/* What the search reads past the filters table must agree with it: a
 * match that is no measure of it, a measure's cells that are not its
 * members, are the index's fault (503, said once), never a crash or a
 * half answer. */
static void matches_agree_with_the_filters(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *q, *product, *why;
	} cases[] = {
	    {"INSERT INTO fts(rowid, mid, text) VALUES(999, 'X', 'zebra')",
	     "zebra", NULL,
	     "the 'en' index: a match is no measure of its filters"},
	    {"UPDATE measures SET cells = '\"box\":{' WHERE id = 'BET-4'",
	     "rootkit", "box",
	     "the 'en' index: a measure's cells are not its members"},
	    /* the filters give the measure a site or organisation cell
	     * its cells have not, or its product's cell at another ord */
	    {"UPDATE filters SET every = 1 WHERE rowid = "
	     "(SELECT rowid FROM measures WHERE id = 'BET-4')",
	     "rootkit", "box",
	     "the 'en' index: a measure's cells disagree with its filters"},
	    {"UPDATE filters SET products = x'0101' || substr(products, 3) "
	     "WHERE rowid = (SELECT rowid FROM measures WHERE id = 'BET-4')",
	     "rootkit", "box",
	     "the 'en' index: a measure's cells disagree with its filters"},
	    /* a cell that passes, and no member of the row */
	    {"UPDATE measures SET cells = '' WHERE id = 'BET-4'", "rootkit",
	     "box", "the 'en' index: a measure's cells are not its members"},
	    /* its text shorter than where the match found a word in it:
	     * the snippet is made from the text (tc_ftstok_snippet) */
	    {"UPDATE fts_content SET c1 = 'x' WHERE id = "
	     "(SELECT rowid FROM measures WHERE id = 'BET-4')",
	     "transfers", NULL,
	     "the 'en' index: a measure's match is beyond its text"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		copy_index("odd/f.sqlite");
		sql_on("odd/f.sqlite", cases[i].sql);
		restamp("odd/f.sqlite");
		tc_buf err = TC_BUF_INIT, why = TC_BUF_INIT;
		ts_index *x = ts_index_open("odd/f.sqlite", &err);
		assert_non_null(x);
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = (char *)cases[i].q;
		p.v[P_PRODUCT] = (char *)cases[i].product;
		json_t *r = search_json(x, &p, &err);
		if (r)
			print_error("%s: answered\n", cases[i].sql);
		assert_null(r);
		assert_true(ts_index_broken(x, &why));
		assert_string_equal(tc_buf_cstr(&why), cases[i].why);
		ts_index_close(x);
		tc_buf_free(&err);
		tc_buf_free(&why);
	}
}

/* A filtered page reads a measure's cells from the cells table the first
 * time a page shows it, and keeps them (cgi/search.c's cell_map): an index
 * that has answered other filters first answers every one as an index
 * opened for it alone, whichever product, site, status or
 * responsibility was asked before, forwards and backwards. */
static void kept_cells_answer_as_read_fresh(void **state)
{
	(void)state;
	static const char *const queries[] = {
	    "q=b&product=box",
	    "q=b&product=rack",
	    "q=b&status=provided",
	    "q=b&product=box&responsibility=client,shared",
	    "q=b&product=rack&status=not-applicable",
	    "q=b&product=site",
	    "q=b",
	    "q=alpha&product=rack",
	    "q=b&responsibility=provider&limit=100",
	    "q=b&product=box&status=provided&responsibility=provider",
	};
	size_t n = sizeof queries / sizeof *queries;
	tc_buf err = TC_BUF_INIT;
	ts_index *kept = ts_index_open("idx/search.sqlite", &err);
	assert_non_null(kept);
	for (int back = 0; back < 2; back++)
		for (size_t i = 0; i < n; i++) {
			const char *q = queries[back ? n - 1 - i : i];
			ts_index *fresh =
			    ts_index_open("idx/search.sqlite", &err);
			assert_non_null(fresh);
			for (int html = 0; html < 2; html++) {
				const char *a = html ? "text/html" : NULL;
				ts_response k = get_from(kept, "/api/search", q,
							 a),
					    f = get_from(fresh, "/api/search",
							 q, a);
				if (strcmp(tc_buf_cstr(&k.body),
					   tc_buf_cstr(&f.body)))
					print_error("%s: kept %s\nfresh %s\n",
						    q, tc_buf_cstr(&k.body),
						    tc_buf_cstr(&f.body));
				assert_int_equal(k.status, f.status);
				assert_string_equal(tc_buf_cstr(&k.body),
						    tc_buf_cstr(&f.body));
				ts_response_free(&k);
				ts_response_free(&f);
			}
			ts_index_close(fresh);
		}
	/* the filters chose among cells, and kept some */
	ANSWERS(kept, "/api/search", "q=firewall&product=rack", NULL, 200,
		"\"cells\":{\"rack\":{\"status\":\"client\"");
	ts_index_close(kept);
	tc_buf_free(&err);
}

/* A page's heads and cells are read by one statement each for the whole
 * page, in page order (cgi/search.c's page_measures): a measure the
 * filters rank that the measures table has not is the index's fault at
 * whatever place on the page it is, with or without a product (whose
 * cells are read too), and the rows before it do not hide it. */
static void every_row_of_a_page_is_read(void **state)
{
	(void)state;
	static const char *products[] = {NULL, "box", "rack"};
	for (size_t i = 0; i < sizeof products / sizeof *products; i++) {
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = "b";
		p.v[P_PRODUCT] = (char *)products[i];
		tc_buf err = TC_BUF_INIT;
		json_t *r = search_json(ix, &p, &err);
		assert_non_null(r);
		json_t *res = json_object_get(r, "results"), *v;
		size_t k;
		char id[TS_LIMIT_MAX][32];
		size_t n = 0;
		json_array_foreach (res, k, v) {
			if (json_object_get(v, "kind"))
				continue;
			snprintf(id[n++], sizeof id[0], "%s",
				 json_string_value(json_object_get(v, "id")));
		}
		json_decref(r);
		assert_true(n >= 2);
		for (size_t at = 0; at < n; at++) {
			char sql[128];
			snprintf(sql, sizeof sql,
				 "DELETE FROM measures WHERE id = '%s'",
				 id[at]);
			copy_index("odd/g.sqlite");
			sql_on("odd/g.sqlite", sql);
			restamp("odd/g.sqlite");
			tc_buf why = TC_BUF_INIT;
			ts_index *x = ts_index_open("odd/g.sqlite", &err);
			assert_non_null(x);
			r = search_json(x, &p, &err);
			if (r)
				print_error("%s (%s): answered\n", sql,
					    products[i] ? products[i] : "-");
			assert_null(r);
			assert_true(ts_index_broken(x, &why));
			assert_string_equal(tc_buf_cstr(&why),
					    "the 'en' index: a measure of its "
					    "filters has no row");
			ts_index_close(x);
			tc_buf_free(&why);
		}
		tc_buf_free(&err);
	}
}

/* ---- entries: certificates, subprocessors, locations, pages ---- */

/* The fictional example content (examples/fictional: every kind of
 * entry, English and German), built once for the entries' tests. */
/* The index tc_build makes of the content in the repository's folder rel,
 * written under dir/ (dir/out, dir/search.sqlite), opened. */
static ts_index *built_index(const char *rel, const char *dir)
{
	char out[256], index[256];
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(index, sizeof index, "%s/search.sqlite", dir);
	ts_index *built = repo_fixture_index(rel, out, index);
	assert_non_null(built);
	return built;
}

static ts_index *fictional(void)
{
	if (!fict)
		fict = built_index("examples/fictional", "fict");
	return fict;
}

/* Every product's filtered export from tc-search, built over the index's
 * data set (ts_export_pick, tc_model_write and tc_model_csv) and stored
 * (/api/export?product=), is the site's static per-product file byte for
 * byte (fict/out/[de/]api/products/<id>.json, .csv), in both languages:
 * the two binaries cannot disagree on what a product's download says. */
static void exports_are_the_static_files(void **state)
{
	(void)state;
	static const char *const langs[] = {NULL, "de"};
	for (size_t k = 0; k < 2; k++) {
		ts_index *x = ts_index_lang(fictional(), langs[k]);
		assert_non_null(x);
		const tc_model *m = ts_index_model(x);
		const tc_lang *l = ts_index_language(x);
		size_t checked = 0;
		for (size_t i = 0; i < m->nscopes; i++) {
			const char *id = m->scopes[i].id;
			if (m->scopes[i].kind != SK_PRODUCT)
				continue;
			ts_params p = {{0}, 20, 0};
			p.v[P_PRODUCT] = (char *)id;
			tc_buf err = TC_BUF_INIT, json = TC_BUF_INIT,
			       csv = TC_BUF_INIT, path = TC_BUF_INIT;
			tc_pick *f = ts_export_pick(x, &p, &err);
			assert_non_null(f);
			tc_model_write(m, f, l, &json);
			tc_model_csv(m, f, l, ',', &csv, NULL, NULL);
			tc_pick_free(f);
			const char *ext[] = {"json", "csv"};
			tc_buf *got[] = {&json, &csv};
			for (size_t e = 0; e < 2; e++) {
				tc_buf_clear(&path);
				tc_buf_printf(
				    &path, "fict/out%s/api/products/%s.%s",
				    langs[k] ? "/de" : "", id, ext[e]);
				size_t n;
				char *want =
				    tc_read_file(tc_buf_cstr(&path), &n);
				assert_non_null(want);
				if (n != got[e]->len ||
				    memcmp(want, got[e]->data, n))
					fail_msg("%s: the built export differs",
						 tc_buf_cstr(&path));
				/* and what /api/export answers */
				tc_buf q = TC_BUF_INIT;
				tc_buf_printf(&q, "product=%s&format=%s%s", id,
					      ext[e],
					      langs[k] ? "&lang=de" : "");
				ts_response rs =
				    get_from(fictional(), "/api/export",
					     tc_buf_cstr(&q), NULL);
				assert_int_equal(rs.status, 200);
				if (n != rs.body.len ||
				    memcmp(want, rs.body.data, n))
					fail_msg("%s: /api/export?%s differs",
						 tc_buf_cstr(&path),
						 tc_buf_cstr(&q));
				ts_response_free(&rs);
				tc_buf_free(&q);
				free(want);
			}
			tc_buf_free(&err);
			tc_buf_free(&json);
			tc_buf_free(&csv);
			tc_buf_free(&path);
			checked++;
		}
		assert_true(checked >= 2);
	}
}

/* "kind:id" of each result ("id" for a measure), comma-separated, and
 * the total; q in language lang (NULL: the default). */
static char *found(ts_index *x, const char *lang, const char *q,
		   const char *product, const char *status, long limit,
		   long offset, json_int_t *total)
{
	ts_params p = {{0}, limit, offset};
	p.v[P_Q] = (char *)q;
	p.v[P_PRODUCT] = (char *)product;
	p.v[P_STATUS] = (char *)status;
	ts_index *l = ts_index_lang(x, lang);
	assert_non_null(l);
	tc_buf err = TC_BUF_INIT, out = TC_BUF_INIT;
	json_t *r = search_json(l, &p, &err);
	if (!r)
		print_error("%s: %s\n", q, tc_buf_cstr(&err));
	assert_non_null(r);
	size_t i;
	json_t *x_;
	json_array_foreach (json_object_get(r, "results"), i, x_) {
		const char *kind =
		    json_string_value(json_object_get(x_, "kind"));
		tc_buf_printf(&out, "%s%s%s%s", i ? "," : "", kind ? kind : "",
			      kind ? ":" : "",
			      json_string_value(json_object_get(x_, "id")));
	}
	if (total)
		*total = json_integer_value(json_object_get(r, "total"));
	json_decref(r);
	tc_buf_free(&err);
	return tc_buf_detach(&out);
}

#define FINDS(lang, q, product, status, want)                                  \
	do {                                                                   \
		char *got_ = found(fictional(), lang, q, product, status, 100, \
				   0, NULL);                                   \
		if (strcmp(got_, want))                                        \
			print_error("%s %s: %s\n", lang ? lang : "en", q,      \
				    got_);                                     \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

/* A number is searched within QUERY_NEAR (2) words after the word before
 * it, in the same column, as FTS5's NEAR would (lib/ftstok.h's tc_near,
 * which checks it instead: SQLite 3.40's NEAR may read memory it freed).
 * The subprocessor's purpose names "server 1" 60 times: FTS5's NEAR,
 * asked "server 1" (as tc-search asked entries before, without a column
 * filter), reallocated that row's position list while reading it, which
 * valgrind (make check-valgrind) reports as an invalid read inside
 * libsqlite3. */
static void numbers_are_near_their_word(void **state)
{
	(void)state;
	tc_buf purpose = TC_BUF_INIT;
	for (int i = 0; i < 60; i++)
		tc_buf_printf(&purpose, "%sserver 1", i ? ", " : "");
	tc_buf sub = TC_BUF_INIT;
	tc_buf_printf(&sub,
		      "---\nsubprocessors:\n  - id: mailer\n    name: Mailer\n"
		      "    entity: Mailer GmbH\n    address: Beispielweg 9\n"
		      "    country: FI\n    purpose: Sending notifications "
		      "from %s\n    products: [box]\n    transfer: eu-eea\n"
		      "    since: \"2025-01-01\"\n---\nWho processes data for "
		      "us.\n",
		      tc_buf_cstr(&purpose));
	assert_int_equal(tc_mkdirs("near/content/categories"), 0);
	put_file("near/content/site.md",
		 "---\norganisation: Example Hosting\ntitle: Trust Center\n"
		 "version: \"1.0\"\ndate: \"2026-02-01\"\n"
		 "base_url: \"https://trust.example.test\"\n"
		 "subprocessor_notice_days: 30\ncontact:\n"
		 "  security: \"mailto:security@example.test\"\n"
		 "  dpo_contact: \"mailto:dpo@example.test\"\n---\nNear.\n");
	put_file("near/content/scopes.md",
		 "---\nscopes:\n  - id: box\n    name: Box\n    kind: product\n"
		 "    description: A box.\n  - id: general\n    name: General\n"
		 "    kind: organisation\n    description: All of it.\n---\n");
	put_file(
	    "near/content/categories/01-near.md",
	    "---\nid: near\ntitle: Near\n---\n"
	    "| ID | Measure | General |\n|---|---|---|\n"
	    "| NR-1 | Server racks cooled 5 times | ✓ |\n"
	    "| NR-2 | Server racks cooled daily 6 | ✓ |\n"
	    "| NR-3 | Backup server | ✓ 7 copies |\n"
	    "| NR-4 | Server 8 cooled, spare racks and server kept | ✓ |\n");
	put_file("near/content/subprocessors.md", tc_buf_cstr(&sub));
	tc_buf_free(&sub);
	tc_buf_free(&purpose);
	ts_index *x = fixture_index("near/content", "near/out",
				    "near/search.sqlite", NULL);
	assert_non_null(x);
	static const struct {
		const char *q, *want;
		json_int_t total;
	} cases[] = {
	    /* 60 times near: found, and read within its buffer */
	    {"server 1", "subprocessor:mailer", 1},
	    {"s 1", "subprocessor:mailer", 1},
	    {"server1", "subprocessor:mailer", 1},
	    /* two words between (5 is the third after server): near */
	    {"server 5", "NR-1", 1},
	    {"cooled 6", "NR-2", 1},
	    /* three between: not near, though both are there */
	    {"server 6", "", 0},
	    {"server6", "", 0},
	    {"6", "NR-2", 1},
	    /* next to each other, but the 7 is in the cell's note */
	    {"server 7", "", 0},
	    {"7", "NR-3", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_int_t total = -1;
		char *got =
		    found(x, NULL, cases[i].q, NULL, NULL, 20, 0, &total);
		if (strcmp(got, cases[i].want) || total != cases[i].total)
			print_error("%s: %s (%lld)\n", cases[i].q, got,
				    (long long)total);
		assert_string_equal(got, cases[i].want);
		assert_int_equal(total, cases[i].total);
		free(got);
	}
	/* the snippet marks the instances FTS5's NEAR left: not the spare
	 * server, three words after the 8 */
	ANSWERS(x, "/api/search", "q=server+8", NULL, 200,
		"\"snippet\":\"<mark>Server</mark> <mark>8</mark> cooled, "
		"spare racks and server kept\"");
	ts_index_close(x);
}

static void entries_are_found(void **state)
{
	(void)state;
	/* certificates: by standard, as written or run together */
	FINDS(NULL, "ISO 27001", NULL, NULL,
	      "certificate:iso27001-2019,certificate:iso27001,TST-1");
	FINDS(NULL, "ISO27001", NULL, NULL,
	      "certificate:iso27001-2019,certificate:iso27001,TST-1");
	FINDS(NULL, "certificate", NULL, NULL,
	      "page:certificates,certificate:iso27001-2019,"
	      "certificate:iso27001,certificate:bsi-c5,"
	      "certificate:soc2-type2");
	FINDS("de", "Zertifikat", NULL, NULL,
	      "page:certificates,certificate:bsi-c5,"
	      "certificate:iso27001-2019,certificate:soc2-type2,"
	      "certificate:iso27001");
	/* SOC 2 is the report, never the SOC (incident response, TST-2) */
	FINDS(NULL, "SOC 2", NULL, NULL, "certificate:soc2-type2");
	FINDS(NULL, "SOC2", NULL, NULL, "certificate:soc2-type2");
	FINDS("de", "SOC 2", NULL, NULL, "certificate:soc2-type2");
	/* subprocessors, by their page's title, name, country, purpose */
	FINDS(NULL, "subprocessor", NULL, NULL,
	      "page:subprocessors,subprocessor:example-support,"
	      "subprocessor:example-mail,subprocessor:example-cdn,"
	      "subprocessor:example-backup");
	FINDS("de", "Unterauftragsverarbeiter", NULL, NULL,
	      "page:subprocessors,subprocessor:example-support,"
	      "subprocessor:example-mail,subprocessor:example-cdn,"
	      "subprocessor:example-backup");
	FINDS(NULL, "India", NULL, NULL, "subprocessor:example-backup");
	/* the contact page and the data locations */
	FINDS(NULL, "security contact", NULL, NULL, "page:contact");
	FINDS(NULL, "data protection officer", NULL, NULL,
	      "page:contact,TST-4,CON-1");
	FINDS("de", "Datenschutzbeauftragter", NULL, NULL,
	      "page:contact,TST-4,CON-1");
	FINDS("de", "Kontakt", NULL, NULL,
	      "page:contact,location:data-centers,"
	      "location:admin-buildings");
	FINDS(NULL, "data location", NULL, NULL,
	      "location:admin-buildings,location:data-centers,page:contact");
	FINDS("de", "Standort", NULL, NULL,
	      "location:data-centers,location:admin-buildings,page:contact,AVR-"
	      "4");
	/* a country by its name in either language, in either language */
	FINDS(NULL, "Germany", NULL, NULL,
	      "location:data-centers,subprocessor:example-mail");
	FINDS(NULL, "Deutschland", NULL, NULL,
	      "location:data-centers,subprocessor:example-mail");
	FINDS("de", "Deutschland", NULL, NULL,
	      "location:data-centers,subprocessor:example-mail");
	FINDS("de", "Germany", NULL, NULL,
	      "location:data-centers,subprocessor:example-mail");
	FINDS(NULL, "Finland", NULL, NULL,
	      "location:admin-buildings,subprocessor:example-cdn");
	FINDS("de", "Finnland", NULL, NULL,
	      "location:admin-buildings,subprocessor:example-cdn");
	/* the annex and its PDF */
	FINDS(NULL, "DPA", NULL, NULL, "page:annex");
	FINDS(NULL, "annex", NULL, NULL, "page:annex");
	FINDS("de", "AVV", NULL, NULL, "page:annex");
}

static void entries_and_filters(void **state)
{
	(void)state;
	/* a product: what covers or serves it (a site's certificate covers
	 * every product), and its own annex */
	FINDS(NULL, "certificate", "object-storage", NULL,
	      "page:certificates,certificate:iso27001-2019,"
	      "certificate:iso27001,certificate:bsi-c5");
	FINDS(NULL, "certificate", "web-hosting", NULL,
	      "page:certificates,certificate:iso27001-2019,"
	      "certificate:iso27001,certificate:soc2-type2");
	FINDS(NULL, "SOC 2", "cloud-servers", NULL, "");
	FINDS(NULL, "backup", "storage-boxes", NULL,
	      "subprocessor:example-backup,AVR-11,ISO-2");
	/* the backup measure first (issue 27: a word counts once per
	 * column, a synonym once per measure) */
	FINDS(NULL, "backup", "cloud-servers", NULL, "AVR-11,ISO-2");
	FINDS(NULL, "Germany", "cloud-servers", NULL, "location:data-centers");
	FINDS(NULL, "annex", "cloud-servers", NULL, "page:annex");
	/* status (and category, responsibility) keep measures only */
	FINDS(NULL, "backup", NULL, "provided", "AVR-11,ISO-2");
	FINDS(NULL, "contact", NULL, "provided", "");
	/* the result as JSON: a measure's shape, with kind, its state, its
	 * words and its file */
	ts_index *de = ts_index_lang(fictional(), "de");
	ANSWERS(
	    fictional(), "/api/search", "q=SOC+2", NULL, 200,
	    "\"results\":[{\"kind\":\"certificate\",\"id\":\"soc2-type2\","
	    "\"text\":\"SOC 2 Type II report\",\"url\":\"/certificates/"
	    "#soc2-type2\",\"category\":{\"id\":\"certificates\",\"title\":"
	    "\"Certificates and audit reports\"},\"snippet\":\"<mark>SOC"
	    "</mark> <mark>2</mark> Type II report\",\"cells\":{},\"state\":"
	    "\"renewal-due\",\"note\":\"renewal due: valid until "
	    "2027-01-10\"}]");
	ANSWERS(fictional(), "/api/search", "q=annex&product=cloud-servers",
		NULL, 200, "\"url\":\"/products/cloud-servers/annex/\"");
	ANSWERS(fictional(), "/api/search", "q=annex&product=cloud-servers",
		NULL, 200,
		"\"file\":\"/products/cloud-servers/annex/annex.pdf\"");
	ANSWERS(de, "/api/search", "q=AVV&lang=de", NULL, 200,
		"\"file\":\"/de/annex/annex.pdf\"");
	ANSWERS(fictional(), "/api/search", "q=iso+27001", NULL, 200,
		"\"file\":\"/certificates/iso27001.pdf\"");
	/* the HTML page shows them with their words and counts them apart
	 * from the measures it offers to download */
	ANSWERS(fictional(), "/api/search", "q=iso+27001", "text/html", 200,
		"3 results match");
	ANSWERS(fictional(), "/api/search", "q=iso+27001", "text/html", 200,
		"<span class=\"note\">expired on 2025-02-28</span>");
	ANSWERS(fictional(), "/api/search", "q=iso+27001", "text/html", 200,
		"Download these 1 measure");
	ANSWERS(fictional(), "/api/search", "q=firewall", "text/html", 200,
		"3 measures match");
	/* paging runs over the entries, then the measures */
	json_int_t total = 0;
	char *all =
	    found(fictional(), NULL, "data", NULL, NULL, 100, 0, &total);
	tc_buf pages = TC_BUF_INIT;
	for (long off = 0; off < total; off += 3) {
		char *pg =
		    found(fictional(), NULL, "data", NULL, NULL, 3, off, NULL);
		tc_buf_printf(&pages, "%s%s", off ? "," : "", pg);
		free(pg);
	}
	assert_true(total > 10);
	assert_string_equal(tc_buf_cstr(&pages), all);
	assert_non_null(strstr(all, "location:"));
	tc_buf_free(&pages);
	free(all);
	/* nothing found: no suggestion splits SOC from its 2 */
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "SOC 2";
	p.v[P_PRODUCT] = "cloud-servers";
	json_t *sg = ts_suggest(fictional(), &p);
	assert_int_equal(json_array_size(sg), 0);
	json_decref(sg);
	p.v[P_Q] = "SOC2";
	sg = ts_suggest(fictional(), &p);
	assert_int_equal(json_array_size(sg), 0);
	json_decref(sg);
}

/* The entries are covered by the digest: a changed entry is refused. */
static void entries_are_verified(void **state)
{
	(void)state;
	fictional();
	size_t n;
	char *b = tc_read_file("fict/search.sqlite", &n);
	assert_non_null(b);
	tc_mkdirs_parent("fict-bad/a.sqlite");
	assert_int_equal(tc_write_file("fict-bad/a.sqlite", b, n), 0);
	free(b);
	sql_on("fict-bad/a.sqlite", "UPDATE entries SET tail = '}' "
				    "WHERE kind = 'certificate'");
	refused("fict-bad/a.sqlite",
		"index fict-bad/a.sqlite is damaged: what it stores does not "
		"match its digest");
}

/* Issue 27: questions as customers type them, on the fictional example
 * (the bundled measures): stop words, the typo searched at once, some of
 * the words when none has all, a product's inapplicable measures last,
 * German compounds both ways. */
static void questions_customers_type(void **state)
{
	(void)state;
	static const struct {
		const char *lang, *q, *product, *first;
	} cases[] = {
	    {NULL, "is my data encrypted", NULL, "CON-3"},
	    {NULL, "encyption", NULL, "CON-3"},
	    {NULL, "hard drive destruction", NULL, "TRC-2"},
	    {NULL, "data breach", NULL, "TST-2"},
	    {NULL, "datacenter fence", NULL, "PAC-5"},
	    {NULL, "backups", NULL, "subprocessor:example-backup,AVR-11"},
	    {NULL, "firewall", "managed-servers", "EAC-8"},
	    {"de", "Sind meine Daten verschlüsselt", NULL, "CON-3"},
	    {"de", "Festplattenvernichtung", NULL, "TRC-2"},
	    {"de", "Backups", NULL, "AVR-11"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = found(fictional(), cases[i].lang, cases[i].q,
				  cases[i].product, NULL, 100, 0, NULL);
		size_t n = strlen(cases[i].first);
		if (strncmp(got, cases[i].first, n) ||
		    (got[n] && got[n] != ','))
			print_error("%s: %s\n", cases[i].q, got);
		assert_int_equal(strncmp(got, cases[i].first, n), 0);
		free(got);
	}
	/* EAC-7 does not apply to managed servers: last, and said */
	char *got = found(fictional(), NULL, "firewall", "managed-servers",
			  NULL, 100, 0, NULL);
	assert_string_equal(strrchr(got, ',') + 1, "EAC-7");
	free(got);
	ts_params p = {{0}, 20, 0};
	tc_buf err = TC_BUF_INIT;
	p.v[P_Q] = "firewall";
	p.v[P_PRODUCT] = "managed-servers";
	json_t *r = search_json(fictional(), &p, &err);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "not_applicable")), 1);
	json_decref(r);
	/* Zutrittskontrolle finds the Zutrittskontrollsystem (PAC-1) */
	got = found(fictional(), "de", "Zutrittskontrolle", NULL, NULL, 100, 0,
		    NULL);
	assert_non_null(strstr(got, "PAC-1"));
	free(got);
	/* words no measure has together: said, never empty */
	p.v[P_PRODUCT] = NULL;
	p.v[P_Q] = "encryption at rest";
	r = search_json(fictional(), &p, &err);
	assert_true(json_is_true(json_object_get(r, "partial")));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(r, "results"), 0), "id")),
	    "CON-3");
	json_decref(r);
	tc_buf_free(&err);
}

/* Issue 21: a product filter matches only what concerns the product: the
 * measure's text, the product's own notes, the sites' and the
 * organisation's; not another product's notes, nor an internal system's.
 * "daily" is only in AVR-11's note for the Internal admin systems. The
 * total, the export and the ranking of what is left follow. */
static void product_filter_keeps_to_the_product(void **state)
{
	(void)state;
	json_int_t total = -1;
	char *got = found(fictional(), NULL, "daily", NULL, NULL, 20, 0, NULL);
	assert_string_equal(got, "AVR-11");
	free(got);
	got = found(fictional(), NULL, "daily", "cloud-servers", NULL, 20, 0,
		    &total);
	assert_string_equal(got, "");
	assert_int_equal(total, 0);
	free(got);
	/* the product's own note: Web hosting's "restoring specific files" */
	got = found(fictional(), NULL, "\"specific files\"", "web-hosting",
		    NULL, 20, 0, NULL);
	assert_string_equal(got, "AVR-11");
	free(got);
	got = found(fictional(), NULL, "\"specific files\"",
		    "dedicated-servers", NULL, 20, 0, NULL);
	assert_string_equal(got, "");
	free(got);
	/* the measure's own text still matches under any product */
	got = found(fictional(), NULL, "\"recovery plan\"", "cloud-servers",
		    NULL, 20, 0, NULL);
	assert_string_equal(got, "AVR-11");
	free(got);
	/* an export of the words follows the same rule */
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "daily";
	p.v[P_PRODUCT] = "cloud-servers";
	json_t *doc = export_doc(fictional(), &p);
	assert_non_null(doc);
	size_t i, n = 0;
	json_t *c;
	json_array_foreach (json_object_get(doc, "categories"), i, c)
		n += json_array_size(json_object_get(c, "measures"));
	assert_int_equal(n, 0);
	json_decref(doc);
}

/* Issue 24: a suggestion, and the query searched instead of a typo, read as
 * the content writes the word, not as the index folds it ("Schlüsel" was
 * offered "schlusselkarte", "Pasword" "passworter"). */
static void suggestions_as_written(void **state)
{
	(void)state;
	static const struct {
		const char *lang, *q, *showing;
	} cases[] = {
	    {"de", "Schlüsel", "Schlüsselkarte"},
	    {"de", "Pasword", "Passwortrichtlinie"},
	    {NULL, "Pasword", "passwords"},
	};
	tc_buf err = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = (char *)cases[i].q;
		json_t *r = search_json(
		    ts_index_lang(fictional(), cases[i].lang), &p, &err);
		assert_non_null(r);
		const char *sh =
		    json_string_value(json_object_get(r, "showing"));
		if (!sh || strcmp(sh, cases[i].showing))
			print_error("%s: %s\n", cases[i].q, sh ? sh : "(none)");
		assert_non_null(sh);
		assert_string_equal(sh, cases[i].showing);
		json_decref(r);
	}
	/* nothing found even so: the suggestions read as written too */
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "\"two factor\"";
	json_t *r = search_json(ts_index_lang(fictional(), "de"), &p, &err);
	assert_non_null(r);
	char *s = json_dumps(json_object_get(r, "suggestions"), JSON_COMPACT);
	assert_string_equal(s, "[{\"query\":\"Faktor\",\"total\":2}]");
	free(s);
	json_decref(r);
	tc_buf_free(&err);
}

/* ---- the product rule (issue 21 item 5) ---- */

/* tests/fixtures/mixed: product, site, organisation and internal columns
 * in one table (MIX-*), a table with product columns only (MIX-5, 6), a
 * level table with one organisation column (LEV-*). */
static ts_index *mixed(void)
{
	if (!mixed_ix)
		mixed_ix = built_index("tests/fixtures/mixed", "mixed");
	return mixed_ix;
}

/* "ID:scope,scope;..." of the measures a search finds (entries left
 * out), and its not_applicable count. */
static char *answers(const char *q, const char *product, const char *status,
		     const char *resp, json_int_t *na)
{
	ts_params p = {{0}, 100, 0};
	p.v[P_Q] = (char *)q;
	p.v[P_PRODUCT] = (char *)product;
	p.v[P_STATUS] = (char *)status;
	p.v[P_RESP] = (char *)resp;
	tc_buf err = TC_BUF_INIT, out = TC_BUF_INIT;
	json_t *r = search_json(mixed(), &p, &err);
	if (!r)
		print_error("%s: %s\n", q, tc_buf_cstr(&err));
	assert_non_null(r);
	size_t i;
	json_t *x;
	json_array_foreach (json_object_get(r, "results"), i, x) {
		if (json_object_get(x, "kind"))
			continue;
		tc_buf_printf(&out, "%s%s:", out.len ? ";" : "",
			      json_string_value(json_object_get(x, "id")));
		const char *k;
		json_t *v;
		int first = 1;
		json_object_foreach (json_object_get(x, "cells"), k, v) {
			tc_buf_printf(&out, "%s%s", first ? "" : ",", k);
			first = 0;
		}
	}
	if (na)
		*na = json_integer_value(json_object_get(r, "not_applicable"));
	json_decref(r);
	tc_buf_free(&err);
	return tc_buf_detach(&out);
}

#define RULE(q, product, status, resp, want, want_na)                          \
	do {                                                                   \
		json_int_t na_ = -1;                                           \
		char *got_ = answers(q, product, status, resp, &na_);          \
		if (strcmp(got_, want))                                        \
			print_error("%s %s: %s\n", q, product, got_);          \
		assert_string_equal(got_, want);                               \
		assert_int_equal(na_, want_na);                                \
		free(got_);                                                    \
	} while (0)

/* A search with a product answers by the product rule (lib/tomdata.h):
 * the product's own cell, the site and organisation cells, and the
 * internal ones shown beside them but never an answer. Format 12 kept a
 * product's own cell only: MIX-1 was not found for Vm (no column of its
 * own, General ✓), MIX-1 with status=provided not for Box (X, General ✓),
 * and MIX-2 for Box (NA, General ✓) was counted as not applying. */
static void search_answers_by_the_product_rule(void **state)
{
	(void)state;
	RULE("MIX-1", "vm", NULL, NULL, "MIX-1:dc,general,admin", 0);
	RULE("MIX-1", "box", NULL, NULL, "MIX-1:box,dc,general,admin", 0);
	RULE("MIX-1", "box", "provided", NULL, "MIX-1:general", 0);
	RULE("MIX-1", "vm", NULL, "provider", "MIX-1:general", 0);
	RULE("MIX-2", "box", NULL, NULL, "MIX-2:box,dc,general,admin", 0);
	/* the internal system's ✓ alone is no answer */
	RULE("MIX-4", "box", "provided", NULL, "", 0);
	RULE("MIX-4", "box", NULL, NULL, "MIX-4:box,dc,general,admin", 1);
	RULE("MIX-3", "vm", NULL, "client", "", 0);
	RULE("MIX-3", "box", NULL, "client", "MIX-3:box", 0);
	/* a table of product columns only: another product's says nothing */
	RULE("MIX-6", "rack", NULL, NULL, "", 0);
	RULE("MIX-6", "vm", NULL, NULL, "MIX-6:vm", 1);
	RULE("LEV-1", "rack", NULL, NULL, "LEV-1:general", 1);
	/* the HTML answer shows the same cells, the internal one labelled
	 * as the product's page labels it; without a product, as before */
	ANSWERS(mixed(), "/api/search", "q=MIX-1&product=vm", "text/html", 200,
		"<li>Data center: ");
	ANSWERS(mixed(), "/api/search", "q=MIX-1&product=vm", "text/html", 200,
		"<li class=\"internal\">Admin systems (our own systems: no "
		"answer for a product): ");
	ANSWERS(mixed(), "/api/search", "q=MIX-1", "text/html", 200,
		"<li>Admin systems: ");
	/* the internal note is no word of a product's */
	RULE("daily", "box", NULL, NULL, "", 0);
	RULE("daily", "rack", NULL, NULL, "MIX-3:rack,dc,general,admin", 0);
}

/* The measures (ID -> cells) of a filtered export of the mixed fixture. */
static json_t *export_cells(ts_params *p)
{
	json_t *doc = export_doc(mixed(), p), *out = json_object();
	assert_non_null(doc);
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(doc, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, me)
			json_object_set(
			    out, json_string_value(json_object_get(me, "id")),
			    json_object_get(me, "cells"));
	json_decref(doc);
	return out;
}

/* The measures (ID -> cells) of a search of the mixed fixture. */
static json_t *search_cells(ts_params *p)
{
	tc_buf err = TC_BUF_INIT;
	json_t *r = search_json(mixed(), p, &err), *out = json_object(), *x;
	assert_non_null(r);
	size_t i;
	json_array_foreach (json_object_get(r, "results"), i, x)
		if (!json_object_get(x, "kind"))
			json_object_set(
			    out, json_string_value(json_object_get(x, "id")),
			    json_object_get(x, "cells"));
	json_decref(r);
	tc_buf_free(&err);
	return out;
}

/* The search and the export (tc_pick_filter, as tc-gen's downloads) keep
 * the same measures with the same cells, in the same order, for every
 * product, filter and words asked of the mixed fixture. */
static void search_and_export_agree(void **state)
{
	(void)state;
	static const char *const products[] = {NULL, "box", "rack", "vm"};
	static const char *const statuses[] = {NULL, "provided", "not-provided",
					       "client"};
	static const char *const resps[] = {NULL, "provider", "client,shared",
					    "none"};
	static const char *const qs[] = {"MIX",   "MIX-1", "MIX-3", "MIX-4",
					 "MIX-6", "LEV",   "daily", "firewall"};
#define N_(a) (sizeof(a) / sizeof *(a))
	for (size_t n = 0; n < N_(products) * N_(statuses) * N_(resps) * N_(qs);
	     n++) {
		ts_params p = {{0}, 100, 0};
		size_t k = n;
		p.v[P_Q] = (char *)qs[k % N_(qs)];
		k /= N_(qs);
		p.v[P_RESP] = (char *)resps[k % N_(resps)];
		k /= N_(resps);
		p.v[P_STATUS] = (char *)statuses[k % N_(statuses)];
		p.v[P_PRODUCT] = (char *)products[k / N_(statuses)];
		json_t *got = search_cells(&p), *want = export_cells(&p);
		/* the search's in rank order, the export's in the data's */
		tc_buf g = TC_BUF_INIT, w = TC_BUF_INIT;
		const char *id;
		json_t *v;
		json_object_foreach (want, id, v) {
			char *ws = json_dumps(v, JSON_PRESERVE_ORDER),
			     *gs = json_dumps(json_object_get(got, id),
					      JSON_PRESERVE_ORDER);
			tc_buf_printf(&w, "%s %s\n", id, ws);
			tc_buf_printf(&g, "%s %s\n", id, gs ? gs : "-");
			free(ws);
			free(gs);
		}
		if (strcmp(tc_buf_cstr(&g), tc_buf_cstr(&w)) ||
		    json_object_size(got) != json_object_size(want))
			print_error("q=%s product=%s status=%s resp=%s: "
				    "search %zu\n%s export %zu\n%s",
				    p.v[P_Q], p.v[P_PRODUCT], p.v[P_STATUS],
				    p.v[P_RESP], json_object_size(got),
				    tc_buf_cstr(&g), json_object_size(want),
				    tc_buf_cstr(&w));
		assert_string_equal(tc_buf_cstr(&g), tc_buf_cstr(&w));
		assert_int_equal(json_object_size(got), json_object_size(want));
		tc_buf_free(&g);
		tc_buf_free(&w);
		json_decref(got);
		json_decref(want);
	}
#undef N_
}

/* The HTML page's answer (ts_search_found: what the index stores of each
 * result, read from it, never the JSON answer written and read back) is
 * the JSON answer's, member for member: the same results with the same
 * snippets and cells, total, suggestions, showing, partial and
 * not_applicable, for measures and entries, filtered or not, found as
 * typed, corrected, partly or not at all. */
static void found_is_the_json_answer(void **state)
{
	(void)state;
	static const struct {
		int index; /* 0 mini, 1 fictional, 2 mixed */
		const char *lang, *q, *product, *status, *resp;
		long limit, offset;
	} cases[] = {
	    {0, NULL, "firewall", NULL, NULL, NULL, 20, 0},
	    {0, NULL, "firewall", "rack", NULL, NULL, 20, 0},
	    {0, NULL, "encr", "box", "provided", NULL, 20, 0},
	    {0, NULL, "rootkit", "box", NULL, NULL, 20, 0},
	    {0, NULL, "firewall backups", NULL, NULL, NULL, 20, 0},
	    {0, NULL, "firwall", "box", NULL, NULL, 20, 0},
	    {0, NULL, "zzzzqq", NULL, NULL, NULL, 20, 0},
	    {0, NULL, "a", NULL, NULL, NULL, 2, 1},
	    {1, NULL, "iso 27001", NULL, NULL, NULL, 20, 0},
	    {1, NULL, "contact", NULL, NULL, NULL, 3, 1},
	    {1, "de", "Zertifikat", NULL, NULL, NULL, 20, 0},
	    {1, NULL, "subprocessor", "cloud-servers", NULL, NULL, 20, 0},
	    {1, NULL, "firewall", "managed-servers", NULL, NULL, 20, 0},
	    {1, "de", "\"two factor\"", NULL, NULL, NULL, 20, 0},
	    {2, NULL, "MIX", "vm", NULL, NULL, 100, 0},
	    {2, NULL, "MIX", "box", "provided", "provider", 100, 0},
	    {2, NULL, "daily", NULL, NULL, "none", 100, 0},
	};
	/* answers with showing, partial, not_applicable, suggestions,
	 * entries */
	int seen[5] = {0};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_index *x = cases[i].index == 0   ? ix
			      : cases[i].index == 1 ? fictional()
						    : mixed();
		x = ts_index_lang(x, cases[i].lang);
		assert_non_null(x);
		ts_params p = {{0}, cases[i].limit, cases[i].offset};
		p.v[P_Q] = (char *)cases[i].q;
		p.v[P_PRODUCT] = (char *)cases[i].product;
		p.v[P_STATUS] = (char *)cases[i].status;
		p.v[P_RESP] = (char *)cases[i].resp;
		tc_buf err = TC_BUF_INIT;
		json_t *want = search_json(x, &p, &err);
		ts_found f;
		tc_arena *a = tc_arena_new(0);
		assert_int_equal(ts_search_found(x, &p, a, &f, &err), 0);
		assert_non_null(want);
		json_t *got = json_pack(
		    "{s:I, s:o, s:O}", "total", (json_int_t)f.total, "results",
		    tc_val_to_json(f.results), "suggestions", f.suggestions);
		if (f.showing)
			json_object_set_new(got, "showing",
					    json_string(f.showing));
		if (f.partial)
			json_object_set_new(got, "partial", json_true());
		if (f.not_applicable)
			json_object_set_new(got, "not_applicable",
					    json_integer(f.not_applicable));
		static const char *const drop[] = {"query", "limit", "offset",
						   "filter", "version"};
		for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
			json_object_del(want, drop[k]);
		if (!json_equal(got, want)) {
			char *g = json_dumps(got, JSON_SORT_KEYS),
			     *w = json_dumps(want, JSON_SORT_KEYS);
			print_error("%s: found %s\nJSON %s\n", cases[i].q, g,
				    w);
			free(g);
			free(w);
		}
		assert_true(json_equal(got, want));
		/* each case finds what it is there for */
		assert_true(tc_val_len(f.results) > 0 ||
			    !strcmp(cases[i].q, "zzzzqq") ||
			    !strcmp(cases[i].q, "\"two factor\""));
		seen[0] += f.showing != NULL;
		seen[1] += f.partial;
		seen[2] += f.not_applicable > 0;
		seen[3] += json_array_size(f.suggestions) > 0;
		/* entries come first: a whole answer's are counted */
		size_t kinds = 0, k_;
		json_t *x_;
		json_array_foreach (json_object_get(got, "results"), k_, x_)
			kinds += json_object_get(x_, "kind") != NULL;
		if (!cases[i].offset && f.total <= cases[i].limit)
			assert_int_equal(f.entries, kinds);
		seen[4] += f.entries > 0;
		json_decref(got);
		json_decref(want);
		ts_found_free(&f);
		tc_arena_free(a);
		tc_buf_free(&err);
	}
	for (size_t k = 0; k < 5; k++)
		assert_true(seen[k] > 0);
}

/* What the HTML page reads of a result is what the index stores: a head
 * or a cell member that is no JSON makes the index broken (503, the
 * reason logged), never a crash or a page without the result. The JSON
 * answer of the same search is refused by the check before it is sent. */
static void html_answers_read_what_the_index_stores(void **state)
{
	(void)state;
	static const char *const damage[] = {
	    "UPDATE measures SET head = '{\"id\":nope,\"snippet\":' "
	    "WHERE id = 'BET-4'",
	    "UPDATE measures SET cells = '\"box\":{nope}' WHERE id = 'BET-4'",
	};
	for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
		copy_index("odd/h.sqlite");
		sql_on("odd/h.sqlite", damage[i]);
		restamp("odd/h.sqlite");
		tc_buf err = TC_BUF_INIT, why = TC_BUF_INIT;
		ts_index *x = ts_index_open("odd/h.sqlite", &err);
		assert_non_null(x);
		/* the JSON answer is checked whole when a stored result in
		 * it was found not to be JSON (cgi/search.c's
		 * stored_checked): the second time too, once it is known */
		for (int k = 0; k < 2; k++) {
			ts_response rs =
			    get_from(x, "/api/search", "q=rootkit", NULL);
			assert_int_equal(rs.status, 503);
			const char *nj =
			    "not sent: the answer is not JSON (at byte ";
			assert_int_equal(
			    strncmp(tc_buf_cstr(&rs.note), nj, strlen(nj)), 0);
			ts_response_free(&rs);
		}
		assert_false(ts_index_broken(x, &why));
		ts_params p = {{0}, 20, 0};
		p.v[P_Q] = "rootkit";
		ts_found f;
		tc_arena *a = tc_arena_new(0);
		assert_int_equal(ts_search_found(x, &p, a, &f, &err), -1);
		tc_arena_free(a);
		assert_string_equal(
		    tc_buf_cstr(&err),
		    "the answer could not be made from the search index");
		assert_null(f.results);
		assert_true(ts_index_broken(x, &why));
		assert_string_equal(tc_buf_cstr(&why),
				    "the 'en' index: a result it stores is "
				    "not JSON");
		ANSWERS(x, "/api/search", "q=rootkit", "text/html", 503,
			"<h1>503 ");
		ts_index_close(x);
		tc_buf_free(&err);
		tc_buf_free(&why);
	}
}

/* What the HTML page reads of a stored result is what a client of the
 * JSON answer reads (jansson): escapes of every kind, a character beyond
 * the BMP as a surrogate pair, numbers, literals, nested arrays; and what
 * jansson refuses (or nesting past TC_VAL_MAX_DEPTH) is a broken index,
 * never a page. */
static void stored_results_read_as_jansson_reads_them(void **state)
{
	(void)state;
	copy_index("odd/r.sqlite");
	sql_on("odd/r.sqlite",
	       "UPDATE measures SET head = replace(replace(head, '{\"id\"', "
	       "'{\"n\":-1.5e3,\"i\":-42,\"z\":0,\"t\":true,\"f\":false,"
	       "\"u\":null,\"l\":[1,[2.25,{}],[]],\"e\":\"\",\"id\"'), "
	       "'\"text\":\"', '\"text\":\"\\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t "
	       "\\u00e9\\u00E9 \\ud83d\\ude00 \xc3\xa4 ') WHERE id = 'BET-4'");
	restamp("odd/r.sqlite");
	tc_buf err = TC_BUF_INIT;
	ts_index *x = ts_index_open("odd/r.sqlite", &err);
	assert_non_null(x);
	ts_params p = {{0}, 20, 0};
	p.v[P_Q] = "rootkit";
	json_t *want = search_json(x, &p, &err);
	assert_non_null(want);
	ts_found f;
	tc_arena *a = tc_arena_new(0);
	assert_int_equal(ts_search_found(x, &p, a, &f, &err), 0);
	json_t *got = tc_val_to_json(f.results);
	json_t *results = json_object_get(want, "results");
	assert_int_equal(json_array_size(results), 1);
	assert_true(json_equal(got, results));
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_array_get(got, 0), "text")),
	    "\"q\" \\ / \b\f\n\r\t \xc3\xa9\xc3\xa9 \xf0\x9f\x98\x80 "
	    "\xc3\xa4 "));
	json_decref(got);
	json_decref(want);
	ts_found_free(&f);
	tc_arena_free(a);
	ANSWERS(x, "/api/search", "q=rootkit", "text/html", 200, "BET-4");
	ts_index_close(x);

	/* what jansson refuses, the page does too */
	static const char *const bad[] = {
	    "\\ud800x",            /* a lone surrogate */
	    "\\udc00x",            /* a low one first */
	    "\\u0000",             /* NUL */
	    "\\x",                 /* no such escape */
	    "\\u12",               /* too short */
	    "\x01",                /* a control character */
	    "\xc3(",               /* not UTF-8 */
	    "\", \"n\":1e999, \"", /* a number out of range */
	    "\", \"n\":99999999999999999999, \"",
	    "\", \"n\":01, \"",
	    "\", \"n\":-, \"",
	    "\", \"n\":1., \"",
	    "\", \"n\":tru, \"",
	    "\"} {\"", /* another object after it */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad + 1; i++) {
		char sql[512];
		if (i < sizeof bad / sizeof *bad)
			snprintf(sql, sizeof sql,
				 "UPDATE measures SET head = replace(head, "
				 "'\"text\":\"', '\"text\":\"%s') WHERE id = "
				 "'BET-4'",
				 bad[i]);
		else /* nested deeper than a view goes */
			snprintf(sql, sizeof sql,
				 "UPDATE measures SET head = replace(head, "
				 "'{\"id\"', '{\"d\":' || "
				 "replace(hex(zeroblob(%d)), '00', '[') || "
				 "replace(hex(zeroblob(%d)), '00', ']') || "
				 "',\"id\"') WHERE id = 'BET-4'",
				 TC_VAL_MAX_DEPTH + 1, TC_VAL_MAX_DEPTH + 1);
		copy_index("odd/r.sqlite");
		sql_on("odd/r.sqlite", sql);
		restamp("odd/r.sqlite");
		tc_buf why = TC_BUF_INIT;
		x = ts_index_open("odd/r.sqlite", &err);
		assert_non_null(x);
		a = tc_arena_new(0);
		int rc = ts_search_found(x, &p, a, &f, &err);
		if (rc != -1)
			print_error("%s: read\n", sql);
		assert_int_equal(rc, -1);
		tc_arena_free(a);
		assert_true(ts_index_broken(x, &why));
		assert_string_equal(tc_buf_cstr(&why),
				    "the 'en' index: a result it stores is "
				    "not JSON");
		ts_index_close(x);
		x = ts_index_open("odd/r.sqlite", &err);
		ANSWERS(x, "/api/search", "q=rootkit", "text/html", 503,
			"<h1>503 ");
		ts_index_close(x);
		tc_buf_free(&why);
	}
	tc_buf_free(&err);
}

/* Numbers jansson reads, the stored results' reader reads the same
 * (fuzz_storedjson found both): a real that underflows (jansson refuses
 * only an overflow) and a number longer than 64 bytes (the reader copied
 * numbers into a buffer of 64 and refused longer ones). */
static void stored_numbers_read_as_jansson_reads_them(void **state)
{
	(void)state;
	static const char *const texts[] = {
	    "{\"r\":1e-400}",
	    "{\"r\":-4.9e-324}",
	    "{\"r\":2.5e-310}",
	    "{\"r\":10000000000000000000000000000000000000000000000000000000"
	    "00000000000000.5}",
	    "{\"r\":0.000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000001}",
	    "{\"i\":-000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000001}",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		tc_arena *a = tc_arena_new(0);
		json_t *want = json_loads(texts[i], 0, NULL);
		tc_val *v = ts_read_stored(a, texts[i], strlen(texts[i]));
		json_t *got = v ? tc_val_to_json(v) : NULL;
		if (!want != !got || (got && !json_equal(got, want)))
			print_error("%s: %s\n", texts[i],
				    got ? "read otherwise" : "refused");
		assert_true(!want == !got);
		assert_true(!got || json_equal(got, want));
		json_decref(got);
		json_decref(want);
		tc_arena_free(a);
	}
	/* what jansson refuses: a real that overflows */
	tc_arena *a = tc_arena_new(0);
	assert_null(ts_read_stored(a, "{\"r\":-1e309}", 13));
	tc_arena_free(a);
}

/* The HTML changes page, asked of the unit suite so that valgrind's run
 * of it sees the page's whole life (a10cac1: every HTML /api/changes
 * answer leaked its view, and only the fuzz replay asked for one): the
 * changes since the first release, for a product and for all, with the
 * subprocessor changes the product's customers are told of. */
static void changes_html_page(void **state)
{
	(void)state;
	ANSWERS(ix, "/api/changes", "since=0.8&product=rack", "text/html", 200,
		"New subprocessor from 2026-01-05");
	ANSWERS(ix, "/api/changes", "since=0.8&product=rack", "text/html", 200,
		"Object by 2026-01-04");
	ANSWERS(ix, "/api/changes", "since=0.9", "text/html", 200, "<h1");
	ANSWERS(ix, "/api/changes", "since=0.7", "text/html", 400,
		"unknown version");
}

/* tc-search's changes page and the site's say the same of every change
 * since the first release: each line that begins a change (its measure,
 * scope, words and cells) is on both, as many times. A cell added or
 * removed has no "was" or "after" on the site; tc-search showed a made-up
 * empty one ("(not applicable or not provided)") until its cell callback
 * returned none for no cell, as the site's does. */
static size_t change_lines(const char *html, const char **at, size_t max)
{
	static const char mark[] = "<li><span class=\"mid\">";
	size_t n = 0;
	for (const char *p = strstr(html, mark); p && n < max;
	     p = strstr(p + 1, mark))
		at[n++] = p;
	return n;
}

static size_t line_len(const char *s)
{
	return strcspn(s, "\n");
}

static void changes_page_is_the_site_s(void **state)
{
	(void)state;
	char *site = tc_read_file("out/changes/index.html", NULL);
	assert_non_null(site);
	ts_response rs = get_from(ix, "/api/changes", "since=0.8", "text/html");
	assert_int_equal(rs.status, 200);
	const char *ours[64], *theirs[64];
	size_t n = change_lines(tc_buf_cstr(&rs.body), ours, 64);
	assert_true(n > 10);
	assert_int_equal(change_lines(site, theirs, 64), n);
	for (size_t i = 0; i < n; i++) {
		size_t len = line_len(ours[i]), k = 0;
		for (size_t j = 0; j < n; j++)
			k += line_len(theirs[j]) == len &&
			     !memcmp(theirs[j], ours[i], len);
		if (k == 0)
			print_error("not on the site: %.*s\n", (int)len,
				    ours[i]);
		assert_int_not_equal(k, 0);
	}
	ts_response_free(&rs);
	free(site);
}

/* A count of none is said in words (issue 28, DPO: "0 Treffer"): the
 * search page's total takes its catalogue's zero form, in English and
 * German, with or without a product; other counts keep their number. */
static void a_count_of_none_in_words(void **state)
{
	(void)state;
	static const struct {
		const char *query, *want;
	} cases[] = {
	    {"q=zzzzqq", "No measure matches \xe2\x80\x9czzzzqq\xe2\x80\x9d."},
	    {"q=zzzzqq&product=cloud-servers",
	     "No measure matches \xe2\x80\x9czzzzqq\xe2\x80\x9d for "},
	    {"q=zzzzqq&lang=de",
	     "Keine Treffer f\xc3\xbcr \xe2\x80\x9ezzzzqq\xe2\x80\x9c."},
	    {"q=zzzzqq&product=cloud-servers&lang=de",
	     "Keine Treffer f\xc3\xbcr \xe2\x80\x9ezzzzqq\xe2\x80\x9c beim "
	     "Produkt "},
	    {"q=firewall", "3 measures match \xe2\x80\x9c"
			   "firewall"},
	    {"q=iso+27001", "3 results match \xe2\x80\x9ciso 27001"},
	    {"q=Firewall&lang=de", " Treffer f\xc3\xbcr \xe2\x80\x9e"
				   "Firewall"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ts_response rs = get_from(fictional(), "/api/search",
					  cases[i].query, "text/html");
		const char *body = tc_buf_cstr(&rs.body);
		const char *at = strstr(body, "role=\"status\">");
		if (rs.status != 200 || !strstr(body, cases[i].want) || !at ||
		    strstr(at, ">0 ") == at + 13)
			print_error("%s: %d %.200s\n", cases[i].query,
				    rs.status, at ? at : body);
		assert_int_equal(rs.status, 200);
		assert_non_null(strstr(body, cases[i].want));
		/* the number is gone, not moved */
		assert_non_null(at);
		assert_false(!strncmp(at + 14, "0 ", 2));
		ts_response_free(&rs);
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
	    cmocka_unit_test(damaged_indexes_are_refused),
	    cmocka_unit_test(languages_of_one_build),
	    cmocka_unit_test(a_broken_index_is_503),
	    cmocka_unit_test(answers_are_checked_before_they_are_sent),
	    cmocka_unit_test(a_bad_data_set_is_refused),
	    cmocka_unit_test(exports_are_the_static_files),
	    cmocka_unit_test(matches_agree_with_the_filters),
	    cmocka_unit_test(kept_cells_answer_as_read_fresh),
	    cmocka_unit_test(entries_vocabulary_uses_their_tokenizer),
	    cmocka_unit_test(every_row_of_a_page_is_read),
	    cmocka_unit_test(numbers_are_near_their_word),
	    cmocka_unit_test(entries_are_found),
	    cmocka_unit_test(entries_and_filters),
	    cmocka_unit_test(entries_are_verified),
	    cmocka_unit_test(questions_customers_type),
	    cmocka_unit_test(product_filter_keeps_to_the_product),
	    cmocka_unit_test(suggestions_as_written),
	    cmocka_unit_test(search_answers_by_the_product_rule),
	    cmocka_unit_test(search_and_export_agree),
	    cmocka_unit_test(found_is_the_json_answer),
	    cmocka_unit_test(html_answers_read_what_the_index_stores),
	    cmocka_unit_test(stored_results_read_as_jansson_reads_them),
	    cmocka_unit_test(stored_numbers_read_as_jansson_reads_them),
	    cmocka_unit_test(a_count_of_none_in_words),
	    cmocka_unit_test(changes_html_page),
	    cmocka_unit_test(changes_page_is_the_site_s),
	};
	return cmocka_run_group_tests_name("search", tests, setup, teardown);
}
