/* A customer's annex (POST /api/annex, cgi/annex.h): the form's parser and
 * check, every error with its message (in English and German), the limit
 * of each field at and over it, the document ID, and whole requests on the
 * fixture's index: the PDF, the same bytes twice, 405 and 413; the
 * customer's annex of one product says what the site's annex of it says,
 * measure for measure and cell for cell, and lists that product's duties;
 * a data set in the index that is not one is a 503, never a crash. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../cgi/annex.h"
#include "../cgi/app.h"
#include "../cgi/search.h"
#include "../gen/build.h"
#include "../lib/indexfmt.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;
static ts_index *fict; /* examples/fictional: English and German */

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	ix = repo_fixture_index("tests/fixtures/mini", "out",
				"idx/search.sqlite");
	fict =
	    repo_fixture_index("examples/fictional", "fout", "idx/fict.sqlite");
	return ix && fict ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_index_close(ix);
	ts_index_close(fict);
	leave_tmpdir(cwd, tmp);
	return 0;
}

/* POST body to /api/annex as a form (JSON errors), on x. */
static ts_response post_to(ts_index *x, const char *body, size_t n)
{
	ts_request rq = {.method = "POST",
			 .path = "/api/annex",
			 .accept = "application/json",
			 .content_type = "application/x-www-form-urlencoded",
			 .body = body,
			 .body_len = n};
	ts_response rs;
	ts_handle(x, &rq, &rs);
	return rs;
}

static ts_response post(const char *body, size_t n)
{
	return post_to(ix, body, n);
}

/* The answer's message, from {"error": {"status", "message"}}. */
static char *message(const ts_response *rs)
{
	json_t *j = json_loadb(rs->body.data, rs->body.len, 0, NULL);
	const char *m = json_string_value(
	    json_object_get(json_object_get(j, "error"), "message"));
	char *out = strdup(m ? m : "");
	json_decref(j);
	return out;
}

static void refused_on(ts_index *x, const char *body, int status,
		       const char *want)
{
	ts_response rs = post_to(x, body, strlen(body));
	char *m = message(&rs);
	if (rs.status != status || strcmp(m, want))
		fail_msg("%s\n  got %d '%s'\n want %d '%s'", body, rs.status, m,
			 status, want);
	free(m);
	ts_response_free(&rs);
}
static void refused_(const char *body, int status, const char *want)
{
	refused_on(ix, body, status, want);
}
#define refused2(b, m) refused_(b, 400, m)
#define GET_MACRO(_1, _2, _3, NAME, ...) NAME
#define refused(...) GET_MACRO(__VA_ARGS__, refused_, refused2, x)(__VA_ARGS__)

#define OK "product=box&name=A"

static void every_error_has_its_message(void **state)
{
	(void)state;
	static const struct {
		const char *body, *message;
	} cases[] = {
	    {"product=box", "Name of the controller: this field is required."},
	    {"product=box&name=+++", "Name of the controller: this field is "
				     "required."},
	    {"name=A", "Products: this field is required."},
	    {"name=A&product=", "Products: this field is required."},
	    {OK "&name=B", "Name of the controller: given more than once."},
	    {OK "&product=box", "Products: given more than once."},
	    {"product=site&name=A",
	     "Products: not a product of this trust center."},
	    {"product=nope&name=A",
	     "Products: not a product of this trust center."},
	    {OK "&version=0.7", "Version: not a version of this trust center."},
	    {OK "&email=a@b", "E-mail: not an e-mail address."},
	    {OK "&email=a@@b.example", "E-mail: not an e-mail address."},
	    {OK "&date=2026-02-30",
	     "Date of generation: not a date (YYYY-MM-DD)."},
	    {OK "&date=26-01-01",
	     "Date of generation: not a date (YYYY-MM-DD)."},
	    {OK "&date=2026-01-30", "Date of generation: before the date of "
				    "the version (2026-01-31)."},
	    {OK "&lang=fr",
	     "Language of the document: not a language of this trust "
	     "center."},
	    {OK "&name2=x", "The form has a field it does not know (name2)."},
	    {OK "&%01x=1", "The form has a field it does not know (\\x01x)."},
	    {OK "&contact=%zz", "The form is not URL-encoded correctly."},
	    {OK "&contact=%e", "The form is not URL-encoded correctly."},
	    {OK "&contact=%ff", "Contact person: not valid UTF-8 text."},
	    {OK "&contact=%c3%28", "Contact person: not valid UTF-8 text."},
	    {OK "&number=a%00b",
	     "Customer or contract number: contains a control character."},
	    {OK "&number=a%09b",
	     "Customer or contract number: contains a control character."},
	    {OK "&contact=a%7fb",
	     "Contact person: contains a control character."},
	    {OK "&contact=a%c2%85b",
	     "Contact person: contains a control character."},
	    {OK "&contact=a%e2%80%aeb",
	     "Contact person: contains a control character."},
	    {OK "&contact=a%e2%81%a6b",
	     "Contact person: contains a control character."},
	    {OK "&contact=a%0ab",
	     "Contact person: contains a control character."},
	    {OK "&address=a%0bb", "Address: contains a control character."},
	    {OK "&address=1%0a2%0a3%0a4%0a5%0a6%0a7%0a8%0a9",
	     "Address: more than 8 lines."},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		refused(cases[i].body, 400, cases[i].message);
	/* an unknown name is quoted as far as fits, by whole letters (found
	 * by fuzz_annexform: a letter cut in two was not UTF-8) */
	tc_buf b = TC_BUF_INIT, want = TC_BUF_INIT;
	tc_buf_puts(&b, OK "&");
	tc_buf_puts(&want, "The form has a field it does not know (");
	for (int i = 0; i < 20; i++)
		tc_buf_puts(&b, "%ea%80%9c");
	for (int i = 0; i < 15; i++)
		tc_buf_puts(&want, "\xea\x80\x9c");
	tc_buf_puts(&want, ").");
	tc_buf_puts(&b, "=1");
	refused(tc_buf_cstr(&b), 400, tc_buf_cstr(&want));
	tc_buf_free(&b);
	tc_buf_free(&want);
}

/* The page's language: the form's own, and the default's when the form's
 * is not one of the site's. */
static void errors_in_the_forms_language(void **state)
{
	(void)state;
	refused_on(fict, "product=cloud-servers&lang=de", 400,
		   "Name des Verantwortlichen: Dieses Feld ist erforderlich.");
	refused_on(fict, "name=A&lang=de&product=cloud-servers&product=nope",
		   400, "Produkte: kein Produkt dieses Trust Centers.");
	refused_on(fict,
		   "name=A&product=cloud-servers&lang=de&address=1%0a2%0a3%0a4%"
		   "0a5%0a6%0a7%0a8%0a9",
		   400, "Anschrift: mehr als 8 Zeilen.");
	refused_on(fict, "lang=de&name=A&product=cloud-servers&date=2026-11-25",
		   400,
		   "Erstellungsdatum: vor dem Datum der Version (26.11.2026).");
	refused_on(fict, "name=A&product=cloud-servers&lang=xx", 400,
		   "Language of the document: not a language of this trust "
		   "center.");
	ts_response rs =
	    post_to(fict, "name=A&product=cloud-servers&lang=de", 36);
	assert_int_equal(rs.status, 200);
	ts_response_free(&rs);
}

/* A body of n bytes: field=value with the value c repeated to len bytes
 * (UTF-8 letters of two bytes when c is 0). */
static char *with_field(const char *field, size_t len, char c)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%s&%s=", strcmp(field, "name") ? OK : "product=box",
		      field);
	for (size_t i = 0; i < len;) {
		if (c) {
			tc_buf_putc(&b, c);
			i++;
		} else { /* ä, percent-encoded */
			tc_buf_puts(&b, "%c3%a4");
			i += 2;
		}
	}
	return tc_buf_detach(&b);
}

static void each_field_at_and_over_its_limit(void **state)
{
	(void)state;
	static const struct {
		const char *field, *label;
		size_t max;
	} f[] = {
	    {"name", "Name of the controller", TS_ANNEX_MAX_NAME},
	    {"address", "Address", TS_ANNEX_MAX_ADDRESS},
	    {"contact", "Contact person", TS_ANNEX_MAX_CONTACT},
	    {"number", "Customer or contract number", TS_ANNEX_MAX_NUMBER},
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		for (int umlaut = 0; umlaut < 2; umlaut++) {
			char *at =
			    with_field(f[i].field, f[i].max, umlaut ? 0 : 'x');
			ts_response rs = post(at, strlen(at));
			if (rs.status != 200)
				fail_msg("%s at %zu: %d", f[i].field, f[i].max,
					 rs.status);
			ts_response_free(&rs);
			free(at);
			char *over = with_field(f[i].field, f[i].max + 2,
						umlaut ? 0 : 'x');
			char want[128];
			snprintf(want, sizeof want,
				 "%s: longer than %zu bytes.", f[i].label,
				 f[i].max);
			refused(over, 400, want);
			free(over);
		}
	}
	/* the e-mail: local part and domain */
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, OK "&email=");
	for (int i = 0; i < TS_ANNEX_MAX_EMAIL - 10; i++)
		tc_buf_putc(&b, 'e');
	tc_buf_puts(&b, "@x.example");
	ts_response rs = post(b.data, b.len);
	assert_int_equal(rs.status, 200);
	ts_response_free(&rs);
	tc_buf_puts(&b, "e");
	refused(tc_buf_cstr(&b), 400, "E-mail: longer than 254 bytes.");
	tc_buf_clear(&b);
	/* products: the fixture has two; 1,000 are refused at the 257th */
	tc_buf_puts(&b, "name=A");
	for (int i = 0; i < 1000; i++)
		tc_buf_printf(&b, "&product=p%d", i);
	refused(tc_buf_cstr(&b), 400, "Products: more than 256 chosen.");
	tc_buf_free(&b);
}

static void the_body_and_its_type(void **state)
{
	(void)state;
	ts_request rq = {.method = "POST",
			 .path = "/api/annex",
			 .accept = "application/json",
			 .content_type = "application/x-www-form-urlencoded",
			 .body = "",
			 .body_over = 1};
	ts_response rs;
	ts_handle(ix, &rq, &rs);
	char *m = message(&rs);
	assert_int_equal(rs.status, 413);
	assert_string_equal(m, "The form is larger than 32768 bytes.");
	free(m);
	ts_response_free(&rs);
	/* a body over the limit that came without a length */
	tc_buf big = TC_BUF_INIT;
	tc_buf_puts(&big, OK "&contact=");
	while (big.len <= TS_ANNEX_MAX_BODY)
		tc_buf_putc(&big, 'x');
	rs = post(big.data, big.len);
	m = message(&rs);
	assert_int_equal(rs.status, 413);
	assert_string_equal(m, "The form is larger than 32768 bytes.");
	free(m);
	ts_response_free(&rs);
	tc_buf_free(&big);
	rq = (ts_request){.method = "POST",
			  .path = "/api/annex",
			  .accept = "application/json",
			  .content_type = "multipart/form-data; boundary=x",
			  .body = OK,
			  .body_len = strlen(OK)};
	ts_handle(ix, &rq, &rs);
	m = message(&rs);
	assert_int_equal(rs.status, 400);
	assert_string_equal(m, "The form must be sent as "
			       "application/x-www-form-urlencoded.");
	free(m);
	ts_response_free(&rs);
	/* only POST, and no other endpoint takes it */
	rq = (ts_request){.method = "GET", .path = "/api/annex"};
	ts_handle(ix, &rq, &rs);
	assert_int_equal(rs.status, 405);
	assert_non_null(strstr(tc_buf_cstr(&rs.headers), "Allow: POST\r\n"));
	ts_response_free(&rs);
	rq = (ts_request){
	    .method = "POST", .path = "/api/search", .query = "q=x"};
	ts_handle(ix, &rq, &rs);
	assert_int_equal(rs.status, 405);
	assert_non_null(
	    strstr(tc_buf_cstr(&rs.headers), "Allow: GET, HEAD\r\n"));
	ts_response_free(&rs);
	/* the form is the body: a query string is refused */
	rq = (ts_request){.method = "POST",
			  .path = "/api/annex",
			  .query = "name=A",
			  .content_type = "application/x-www-form-urlencoded",
			  .body = OK,
			  .body_len = strlen(OK)};
	ts_handle(ix, &rq, &rs);
	assert_int_equal(rs.status, 400);
	ts_response_free(&rs);
}

/* The ID is the SHA-256 of its inputs written out as the README says (the
 * value here is Python's hashlib on that text). */
static void the_document_id(void **state)
{
	(void)state;
	ts_annex_form f;
	ts_annex_error e;
	const char *body = "product=rack&product=box&name=M%C3%BCller+GmbH&"
			   "address=Hauptstra%C3%9Fe+1+%0D%0A+12345+K%C3%B6ln"
			   "&email=a%40b.example";
	assert_int_equal(ts_annex_form_parse(body, strlen(body), &f, &e), 0);
	assert_string_equal(f.v[AF_ADDRESS], "Hauptstraße 1\n12345 Köln");
	char id[65];
	ts_annex_doc_id(&f, "abc", "1.0", "en", "2026-01-02", "box,rack", id);
	assert_string_equal(id, "d25e3960b81a2287f9dbf7b7cb8ba5fec4928982b1d3"
				"9694896b2ec8f395fc4e");
	/* each input changes it; a value cannot pass for the next one's */
	char other[65];
	const char *v[][5] = {{"abd", "1.0", "en", "2026-01-02", "box,rack"},
			      {"abc", "1.1", "en", "2026-01-02", "box,rack"},
			      {"abc", "1.0", "de", "2026-01-02", "box,rack"},
			      {"abc", "1.0", "en", "2026-01-03", "box,rack"},
			      {"abc", "1.0", "en", "2026-01-02", "box"}};
	for (size_t i = 0; i < 5; i++) {
		ts_annex_doc_id(&f, v[i][0], v[i][1], v[i][2], v[i][3], v[i][4],
				other);
		assert_string_not_equal(id, other);
	}
	free(f.v[AF_CONTACT]);
	f.v[AF_CONTACT] = strdup("x");
	ts_annex_doc_id(&f, "abc", "1.0", "en", "2026-01-02", "box,rack",
			other);
	assert_string_not_equal(id, other);
	ts_annex_form_free(&f);
	/* the order products are chosen in does not matter: the check lists
	 * them in the data set's */
	const char *a = "product=rack&product=box&name=A";
	assert_int_equal(ts_annex_form_parse(a, strlen(a), &f, &e), 0);
	json_t *versions = json_loads(
	    "[{\"id\":\"current\",\"version\":\"1\",\"date\":\"2026-01-01\"}]",
	    0, NULL);
	json_t *version = NULL;
	tc_buf list = TC_BUF_INIT;
	assert_int_equal(ts_annex_form_check(&f, ts_index_doc(ix), versions,
					     &version, &list, &e),
			 0);
	assert_string_equal(tc_buf_cstr(&list), "box,rack");
	tc_buf_free(&list);
	json_decref(versions);
	ts_annex_form_free(&f);
}

static void the_pdf_twice(void **state)
{
	(void)state;
	const char *body =
	    "product=box&version=0.9&name=M%C3%BCller+GmbH&date=2026-03-01";
	ts_response a = post(body, strlen(body)), b = post(body, strlen(body));
	assert_int_equal(a.status, 200);
	assert_int_equal(b.status, 200);
	assert_true(a.body.len > 1000);
	assert_memory_equal(a.body.data, "%PDF-", 5);
	assert_int_equal(a.body.len, b.body.len);
	assert_memory_equal(a.body.data, b.body.data, a.body.len);
	const char *h = tc_buf_cstr(&a.headers);
	assert_non_null(strstr(h, "Content-Type: application/pdf\r\n"));
	assert_non_null(strstr(h, "Cache-Control: no-store\r\n"));
	assert_non_null(
	    strstr(h, "Content-Disposition: attachment; filename=\"dpa-annex-"
		      "0.9-"));
	/* the PDF's dates are the form's date */
	assert_non_null(
	    memmem(a.body.data, a.body.len, "/CreationDate (20260301", 23));
	ts_response_free(&a);
	ts_response_free(&b);
	/* another detail, another document */
	const char *other =
	    "product=box&version=0.9&name=M%C3%BCller+AG&date=2026-03-01";
	a = post(body, strlen(body));
	b = post(other, strlen(other));
	assert_true(a.body.len != b.body.len ||
		    memcmp(a.body.data, b.body.data, a.body.len));
	ts_response_free(&a);
	ts_response_free(&b);
}

/* The text of pdf's pages after the cover, in reading order, without
 * what every page repeats (the running header, "Page x of n", the data
 * set and the document ID): the categories and what follows them. */
static char *body_text(const char *pdf)
{
	int n = pdf_pages(pdf);
	tc_buf b = TC_BUF_INIT;
	for (int p = 2; p <= n; p++) {
		char *t = command_output("pdftotext -f %d -l %d -raw '%s' -", p,
					 p, pdf);
		bool top = true;
		char *save = NULL;
		for (char *l = strtok_r(t, "\n\f", &save); l;
		     l = strtok_r(NULL, "\n\f", &save)) {
			bool furniture =
			    !strncmp(l, "Page ", 5) ||
			    !strncmp(l, "Data set ", 9) ||
			    !strncmp(l, "Document ID ", 12) ||
			    (top && !strncmp(l, "Example Hosting: ", 17));
			if (!furniture) {
				top = false;
				tc_buf_printf(&b, "%s\n", l);
			}
		}
		free(t);
	}
	return tc_buf_detach(&b);
}

/* The part of text from the line start (included) to the line end
 * (excluded), new; fails when either is missing. */
static char *between(const char *text, const char *start, const char *end)
{
	const char *a = strstr(text, start);
	const char *b = a ? strstr(a, end) : NULL;
	if (!b)
		fail_msg("no '%s' ... '%s' in:\n%s", start, end, text);
	return tc_xstrndup(a, (size_t)(b - a));
}

/* The customer's annex of one product and the site's annex of that
 * product, of every released version (whose annexes have no prose, which
 * only the site's current one has): the same categories, the same
 * measures with the same cells in the same words, in the same order;
 * and the customer's responsibilities list exactly the measures that
 * have a cell of the product that is the client's, wholly or in part. */
static void the_site_and_the_customer_agree(void **state)
{
	(void)state;
	static const char *versions[] = {"0.8", "0.9", "1.0"};
	static const char *products[] = {"box", "rack"};
	size_t compared = 0, duties = 0;
	for (size_t v = 0; v < 3; v++)
		for (size_t p = 0; p < 2; p++) {
			tc_buf body = TC_BUF_INIT, site = TC_BUF_INIT;
			tc_buf_printf(&body,
				      "product=%s&version=%s&name=Kunde+AG",
				      products[p], versions[v]);
			ts_response rs = post(body.data, body.len);
			assert_int_equal(rs.status, 200);
			assert_int_equal(tc_write_file("customer.pdf",
						       rs.body.data,
						       rs.body.len),
					 0);
			ts_response_free(&rs);
			tc_buf_printf(&site,
				      "out/versions/%s/products/%s/annex/"
				      "annex.pdf",
				      versions[v], products[p]);
			char *c = body_text("customer.pdf"),
			     *s = body_text(tc_buf_cstr(&site));
			char *cm =
			    between(c, "Alpha", "Your responsibilities\n");
			char *sm =
			    between(s, "Alpha", "Changes to these measures\n");
			if (strcmp(cm, sm))
				fail_msg(
				    "%s %s: the customer's annex says\n%s\n"
				    "the site's\n%s",
				    products[p], versions[v], cm, sm);
			/* the duties: the rows of the measures whose cells of
			 * the product are the client's */
			char *cd = between(c, "Your responsibilities\n",
					   "Changes to these measures\n");
			tc_buf data = TC_BUF_INIT, path = TC_BUF_INIT,
			       why = TC_BUF_INIT;
			tc_buf_printf(&data, "out/api/versions/%s/tom.json",
				      versions[v]);
			json_t *tom =
			    json_load_file(tc_buf_cstr(&data), 0, NULL);
			tc_model *m = tc_model_read(tom, TC_READ_RELEASE, NULL,
						    "", &path, &why);
			assert_non_null(m);
			tc_pick *own = tc_pick_filter(m, products[p], NULL,
						      NULL, "client,shared");
			size_t rows = 0;
			for (const char *l = cd; (l = strchr(l, '\n')); l++)
				if (l[1] >= 'A' && l[1] <= 'Z' &&
				    strchr(l + 1, '-') &&
				    strchr(l + 1, '-') < strchr(l + 1, ' ') &&
				    l[1 + strcspn(l + 1, "-") + 1] >= '0' &&
				    l[1 + strcspn(l + 1, "-") + 1] <= '9')
					rows++;
			size_t want = 0;
			for (size_t i = 0; i < m->ncategories; i++)
				for (size_t k = 0;
				     k < m->categories[i].nmeasures; k++) {
					if (!tc_pick_measure(own, i, k))
						continue;
					const char *id =
					    m->categories[i].measures[k].id;
					tc_buf row = TC_BUF_INIT;
					tc_buf_printf(&row, "\n%s ", id);
					if (!strstr(cd, tc_buf_cstr(&row)))
						fail_msg(
						    "%s %s: %s is not "
						    "among the duties:\n%s",
						    products[p], versions[v],
						    id, cd);
					tc_buf_free(&row);
					want++;
				}
			assert_int_equal(rows, want);
			duties += want;
			compared++;
			tc_pick_free(own);
			tc_model_free(m);
			json_decref(tom);
			free(c);
			free(s);
			free(cm);
			free(sm);
			free(cd);
			tc_buf_free(&body);
			tc_buf_free(&site);
			tc_buf_free(&data);
			tc_buf_free(&path);
			tc_buf_free(&why);
		}
	assert_int_equal(compared, 6);
	assert_true(duties > 0);
}

/* A data set of a version that the index holds but that is not one (a
 * file damaged after it was written, or written by something else): a
 * 503 that says which value, never a crash or a PDF of part of it. */
static void a_stored_data_set_that_is_not_one(void **state)
{
	(void)state;
	static const struct {
		const char *body, *want;
	} bad[] = {
	    {"{", "the search index holds no data set of version '0.9'"},
	    {"[]", "the search index's data set of version '0.9' is not "
		   "one: must be an object (a data file)"},
	    {"{\"scopes\": [{\"id\": \"box\", \"name\": \"Box\", \"kind\": "
	     "\"product\"}], \"categories\": [{\"id\": \"alpha\", \"title\": "
	     "\"A\", \"measures\": [{\"id\": \"ALP-1\", \"text\": \"t\", "
	     "\"cells\": {\"box\": {\"status\": \"maybe\", "
	     "\"responsibility\": \"provider\", \"label\": \"x\", \"note\": "
	     "\"\"}}}]}]}",
	     "the search index's data set of version '0.9' is not one: "
	     "categories[0].measures[0].cells.box.status: 'maybe' is not a "
	     "status"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(system("cp idx/search.sqlite idx/bad.sqlite"),
				 0);
		sqlite3 *db = NULL;
		assert_int_equal(sqlite3_open("idx/bad.sqlite", &db),
				 SQLITE_OK);
		sqlite3_stmt *st = NULL;
		assert_int_equal(
		    sqlite3_prepare_v2(db,
				       "UPDATE exports SET body = ? WHERE "
				       "name = 'annex/0.9'",
				       -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_blob(st, 1, bad[i].body, (int)strlen(bad[i].body),
				  SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		assert_int_equal(sqlite3_changes(db), 1);
		sqlite3_finalize(st);
		/* written so: its digest is what it stores (a file damaged
		 * otherwise is refused whole, tests/integration) */
		char digest[65];
		assert_int_equal(tc_ix_digest(db, digest), SQLITE_OK);
		assert_int_equal(
		    sqlite3_prepare_v2(db,
				       "UPDATE meta SET value = ? WHERE key = "
				       "'" TC_IX_DIGEST "'",
				       -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		assert_int_equal(sqlite3_changes(db), 1);
		sqlite3_finalize(st);
		sqlite3_close(db);
		tc_buf err = TC_BUF_INIT;
		ts_index *x = ts_index_open("idx/bad.sqlite", &err);
		if (!x)
			fail_msg("the index does not open: %s",
				 tc_buf_cstr(&err));
		const char *body = "product=box&version=0.9&name=Kunde+AG";
		ts_response rs = post_to(x, body, strlen(body));
		assert_int_equal(rs.status, 503);
		char *m = message(&rs);
		assert_string_equal(m, bad[i].want);
		free(m);
		ts_response_free(&rs);
		/* the other versions are whole: made as ever */
		body = "product=box&version=0.8&name=Kunde+AG";
		rs = post_to(x, body, strlen(body));
		assert_int_equal(rs.status, 200);
		ts_response_free(&rs);
		ts_index_close(x);
		tc_buf_free(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_error_has_its_message),
	    cmocka_unit_test(errors_in_the_forms_language),
	    cmocka_unit_test(each_field_at_and_over_its_limit),
	    cmocka_unit_test(the_body_and_its_type),
	    cmocka_unit_test(the_document_id),
	    cmocka_unit_test(the_pdf_twice),
	    cmocka_unit_test(the_site_and_the_customer_agree),
	    cmocka_unit_test(a_stored_data_set_that_is_not_one),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
