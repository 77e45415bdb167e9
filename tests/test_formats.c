/* lib/formats.c: the one table of download formats, and every place that
 * lists formats reads it. tc-search's format parameter accepts exactly
 * the table's export formats and the OpenAPI description declares exactly
 * them (with their media types); tc-gen writes every format's files, and
 * the /api/ page and the product pages link each, in every language of
 * the bundled content, with the catalogue's words for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "../cgi/errwords.h"
#include "../cgi/openapi.h"
#include "../cgi/params.h"
#include "../gen/build.h"
#include "../lib/escape.h"
#include "../lib/formats.h"
#include "../lib/lang.h"
#include "helpers.h"

static json_t *doc;

static const tc_format_info *F(int f)
{
	return tc_format_get((tc_format)f);
}

/* The parameter's message for format=v, "" when it is accepted. */
static char *format_error(const char *v)
{
	tc_buf q = TC_BUF_INIT, err = TC_BUF_INIT;
	tc_buf_printf(&q, "format=%s", v);
	ts_params p;
	ts_params_parse(tc_buf_cstr(&q), TS_BIT(P_FORMAT), 0, doc, &p, &err);
	ts_params_free(&p);
	tc_buf_free(&q);
	return tc_buf_detach(&err);
}

static void the_parameter_accepts_exactly_the_export_formats(void **state)
{
	(void)state;
	int n = 0;
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		char *e = format_error(F(f)->id);
		if (F(f)->search)
			assert_string_equal(e, "");
		else /* the words cgi/errwords.c and the catalogues'
		      * error.param.format translate */
			assert_string_equal(e, "parameter 'format' must be "
					       "json, csv or xlsx");
		free(e);
		assert_int_equal(tc_format_from_id(F(f)->id),
				 F(f)->search ? f : -1);
		n += F(f)->search;
	}
	assert_int_equal(n, 3);
	/* IDs match exactly: no case folding, no prefix */
	static const char *const bad[] = {"JSON",          "cs",  "xlsxx", "",
					  "semicolon.csv", "html"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(tc_format_from_id(bad[i]), -1);
		char *e = format_error(bad[i]);
		/* an empty value is as good as none (params.h) */
		assert_int_equal(*e == '\0', *bad[i] == '\0');
		free(e);
	}
}

static void the_description_declares_exactly_the_export_formats(void **state)
{
	(void)state;
	json_t *s = ts_param_schema(P_FORMAT, doc, NULL, NULL);
	json_t *en = json_object_get(s, "enum");
	size_t k = 0;
	for (int f = 0; f < TC_FMT__COUNT; f++)
		if (F(f)->search)
			assert_string_equal(
			    json_string_value(json_array_get(en, k++)),
			    F(f)->id);
	assert_int_equal(json_array_size(en), k);
	assert_string_equal(json_string_value(json_object_get(s, "default")),
			    "json");
	json_decref(s);

	/* the export answers each in its media type; the parameter's words
	 * name each */
	json_t *o = ts_openapi(doc, NULL, NULL, "https://x.test");
	json_t *get = json_object_get(
	    json_object_get(json_object_get(o, "paths"), "/api/export"), "get");
	json_t *content = json_object_get(
	    json_object_get(json_object_get(get, "responses"), "200"),
	    "content");
	json_t *param = json_object_get(
	    json_object_get(json_object_get(o, "components"), "parameters"),
	    "format");
	const char *words =
	    json_string_value(json_object_get(param, "description"));
	size_t types = 0;
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		if (!F(f)->search)
			continue;
		json_t *c = json_object_get(content, F(f)->media);
		assert_non_null(c);
		json_t *sch = json_object_get(c, "schema");
		if (F(f)->binary)
			assert_string_equal(json_string_value(json_object_get(
						sch, "contentMediaType")),
					    F(f)->media);
		tc_buf w = TC_BUF_INIT;
		tc_buf_printf(&w, "%s (%s)", F(f)->id, F(f)->doc);
		assert_non_null(strstr(words, tc_buf_cstr(&w)));
		tc_buf_free(&w);
		types++;
	}
	assert_int_equal(json_object_size(content), types);
	json_decref(o);
}

/* tc-search's error for a format it does not export, in each language of
 * the catalogues: the formats are the table's, listed with the language's
 * word for "or" into the catalogue's "{formats}" (cgi/errwords.c), and no
 * catalogue lists them by hand, so a new format touches neither. */
static void the_error_names_the_table_s_formats(void **state)
{
	(void)state;
	char *e = format_error("pdf");
	static const char *const langs[] = {"en", "de"};
	for (size_t i = 0; i < 2; i++) {
		tc_buf want = TC_BUF_INIT, ids = TC_BUF_INIT, got = TC_BUF_INIT;
		tc_msgs *m = repo_catalogue(langs[i]);
		tc_lang l = {langs[i], "", m, NULL};
		const char *word = tc_msg(&l, "error.param.format");
		for (int f = 0; f < TC_FMT__COUNT; f++) {
			if (strstr(word, F(f)->id))
				fail_msg("%s.json's error.param.format lists "
					 "'%s' by hand: %s",
					 langs[i], F(f)->id, word);
		}
		assert_non_null(strstr(word, "{formats}"));
		int n = 0, total = 0;
		for (int f = 0; f < TC_FMT__COUNT; f++)
			total += F(f)->search;
		for (int f = 0; f < TC_FMT__COUNT; f++)
			if (F(f)->search) {
				if (n)
					tc_buf_printf(&ids,
						      n == total - 1 ? " %s "
								     : ", ",
						      tc_msg(&l, "or"));
				tc_buf_puts(&ids, F(f)->id);
				n++;
			}
		tc_msgf(&want, &l, "error.param.format", "param", "format",
			"formats", tc_buf_cstr(&ids), NULL);
		/* what the parameter says, as this language says it */
		tc_buf_puts(&got, e);
		tc_buf said = TC_BUF_INIT;
		ts_error_words(&l, tc_buf_cstr(&got), &said);
		assert_string_equal(tc_buf_cstr(&said), tc_buf_cstr(&want));
		/* English says the parameter's own sentence */
		if (!strcmp(langs[i], "en"))
			assert_string_equal(tc_buf_cstr(&want),
					    tc_buf_cstr(&got));
		tc_buf_free(&said);
		tc_msgs_free(m);
		tc_buf_free(&want);
		tc_buf_free(&ids);
		tc_buf_free(&got);
	}
	free(e);
}

/* What tc-search tells the formats apart by: the media type (the OpenAPI
 * content's key) and the ETag's letter (cgi/app.c: the ID's first, 'h'
 * for HTML). */
static void export_formats_are_told_apart(void **state)
{
	(void)state;
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		if (!F(f)->search)
			continue;
		assert_true(F(f)->id[0] != 'h');
		assert_non_null(F(f)->media_params);
		assert_non_null(F(f)->doc);
		for (int g = 0; g < f; g++) {
			if (!F(g)->search)
				continue;
			assert_true(F(f)->id[0] != F(g)->id[0]);
			assert_string_not_equal(F(f)->media, F(g)->media);
		}
	}
}

static char *slurp(const char *dir, const char *rel)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", dir, rel);
	size_t n;
	char *s = tc_read_file(tc_buf_cstr(&p), &n);
	if (!s)
		fail_msg("cannot read %s", tc_buf_cstr(&p));
	tc_buf_free(&p);
	return s;
}

static void has(const char *page, const char *file, const char *want)
{
	if (!strstr(page, want))
		fail_msg("%s lacks: %s", file, want);
}

/* A route's URL or file as a language has it, with one slot filled. */
static void route_in(tc_buf *out, const char *prefix, const char *pattern,
		     const char *id)
{
	tc_buf_puts(out, prefix);
	const char *slot = strstr(pattern, "{1}");
	if (slot)
		tc_buf_printf(out, "%.*s%s%s", (int)(slot - pattern), pattern,
			      id, slot + 3);
	else
		tc_buf_puts(out, pattern);
}

/* A catalogue's word, as a page shows it: escaped, unless it is HTML. */
static void word(tc_buf *out, json_t *cat, const char *key)
{
	const char *w = json_string_value(json_object_get(cat, key));
	if (!w)
		fail_msg("no word for %s", key);
	size_t n = strlen(key);
	if (n > 5 && !strcmp(key + n - 5, "_html"))
		tc_buf_puts(out, w);
	else
		tc_esc_html(out, w, strlen(w));
}

static void one_language(const char *out, const char *code, json_t *prods)
{
	const char *prefix = strcmp(code, "en") ? "/de" : "";
	const char *dir = strcmp(code, "en") ? "de/" : "";
	tc_buf p = TC_BUF_INIT, want = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/templates/i18n/%s.json", repo_root(), code);
	json_t *cat = json_load_file(tc_buf_cstr(&p), 0, NULL);
	assert_non_null(cat);
	tc_buf_clear(&p);
	tc_buf_printf(&p, "%sapi/index.html", dir);
	char *api = slurp(out, tc_buf_cstr(&p));
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		const tc_format_info *fi = F(f);
		/* the whole set's file: written, and a row of the list */
		if (fi->whole != TC_FMT_NO_ROUTE) {
			const tc_route_info *r = tc_route_get(fi->whole);
			tc_buf_clear(&want);
			route_in(&want, dir, r->file, NULL);
			free(slurp(out, tc_buf_cstr(&want)));
			tc_buf_clear(&want);
			tc_buf_puts(&want, "<li><a href=\"");
			route_in(&want, prefix, r->url, NULL);
			tc_buf_printf(&want, "\" download>%s</a>: ", r->file);
			word(&want, cat, fi->api_key);
			has(api, tc_buf_cstr(&p), tc_buf_cstr(&want));
		}
		if (fi->product == TC_FMT_NO_ROUTE)
			continue;
		/* each product's: written, linked from its page with the
		 * format's name, and from the /api/ page's table */
		const tc_route_info *r = tc_route_get(fi->product);
		size_t i;
		json_t *id;
		json_array_foreach (prods, i, id) {
			const char *pid = json_string_value(id);
			tc_buf url = TC_BUF_INIT, page = TC_BUF_INIT;
			tc_buf_clear(&want);
			route_in(&want, dir, r->file, pid);
			free(slurp(out, tc_buf_cstr(&want)));
			route_in(&url, prefix, r->url, pid);
			tc_buf_printf(&page, "%sproducts/%s/index.html", dir,
				      pid);
			char *html = slurp(out, tc_buf_cstr(&page));
			tc_buf_clear(&want);
			tc_buf_printf(&want, "<a href=\"%s\" download>",
				      tc_buf_cstr(&url));
			if (fi->label)
				tc_buf_puts(&want, fi->label);
			else
				word(&want, cat, fi->label_key);
			tc_buf_puts(&want, "</a> ·");
			has(html, tc_buf_cstr(&page), tc_buf_cstr(&want));
			free(html);
			if (fi->api_product) {
				tc_buf_clear(&want);
				tc_buf_printf(&want,
					      "<td><a href=\"%s\" download>%s"
					      "</a></td>",
					      tc_buf_cstr(&url),
					      tc_buf_cstr(&url));
				has(api, tc_buf_cstr(&p), tc_buf_cstr(&want));
			}
			tc_buf_free(&url);
			tc_buf_free(&page);
		}
		if (fi->api_product) {
			tc_buf_clear(&want);
			tc_buf_puts(&want, "<th scope=\"col\">");
			if (fi->label)
				tc_buf_puts(&want, fi->label);
			else
				word(&want, cat, fi->label_key);
			tc_buf_puts(&want, "</th>");
			has(api, tc_buf_cstr(&p), tc_buf_cstr(&want));
		}
	}
	free(api);
	json_decref(cat);
	tc_buf_free(&p);
	tc_buf_free(&want);
}

static void every_format_is_written_and_listed(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_buf content = TC_BUF_INIT, templates = TC_BUF_INIT;
	tc_buf_printf(&content, "%s/content", cwd);
	tc_buf_printf(&templates, "%s/templates", cwd);
	if (strcmp(repo_root(), ".")) {
		tc_buf_clear(&content);
		tc_buf_clear(&templates);
		tc_buf_printf(&content, "%s/content", repo_root());
		tc_buf_printf(&templates, "%s/templates", repo_root());
	}
	tc_build_opts o = {.content = tc_buf_cstr(&content),
			   .templates = tc_buf_cstr(&templates),
			   .output = "out"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	char *errors = diags_text(d);
	assert_string_equal(errors, "");
	assert_int_equal(rc, 0);
	free(errors);
	tc_diags_free(d);
	json_t *tom = json_load_file("out/api/tom.json", 0, NULL);
	json_t *prods = json_array(), *sc;
	size_t i;
	json_array_foreach (json_object_get(tom, "scopes"), i, sc)
		if (!strcmp(json_string_value(json_object_get(sc, "kind")),
			    "product"))
			json_array_append(prods, json_object_get(sc, "id"));
	assert_true(json_array_size(prods) > 1);
	struct stat st;
	assert_int_equal(stat("out/de/api/index.html", &st), 0);
	one_language("out", "en", prods);
	one_language("out", "de", prods);
	json_decref(prods);
	json_decref(tom);
	tc_buf_free(&content);
	tc_buf_free(&templates);
	leave_tmpdir(cwd, dir);
}

int main(void)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/tests/golden/mini/api/tom.json", repo_root());
	doc = json_load_file(tc_buf_cstr(&p), 0, NULL);
	tc_buf_free(&p);
	if (!doc)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_parameter_accepts_exactly_the_export_formats),
	    cmocka_unit_test(
		the_description_declares_exactly_the_export_formats),
	    cmocka_unit_test(export_formats_are_told_apart),
	    cmocka_unit_test(the_error_names_the_table_s_formats),
	    cmocka_unit_test(every_format_is_written_and_listed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(doc);
	return rc;
}
