/* The whole generator run: golden pages of a fixture site, reproducible
 * output, the exported data of the bundled content, template errors, and an
 * output folder left exactly as it was when anything fails. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/file.h>

#include "../gen/apidoc.h"
#include "../gen/build.h"
#include "../gen/content.h"
#include "../gen/export.h"
#include "../lib/model.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"
#include "helpers.h"

/* ---- tree snapshots ---- */

static tc_buf *walk_out;
static size_t walk_prefix;

static int walk_one(const char *p, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_F)
		tc_buf_printf(walk_out, "%s\n", p + walk_prefix);
	return 0;
}

/* Every file's relative path and content, in a stable order. */
static char *snapshot(const char *dir)
{
	tc_buf list = TC_BUF_INIT, out = TC_BUF_INIT;
	walk_out = &list;
	walk_prefix = strlen(dir) + 1;
	nftw(dir, walk_one, 16, FTW_PHYS);
	/* sort lines */
	size_t n = 0;
	char **lines = NULL;
	for (char *s = strtok(list.data, "\n"); s; s = strtok(NULL, "\n")) {
		lines = tc_xrealloc(lines, (n + 1) * sizeof(char *));
		lines[n++] = s;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0;
		     j--) {
			char *t = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, lines[i]);
		size_t len;
		char *data = tc_read_file(path, &len);
		tc_buf_printf(&out, "== %s (%zu)\n", lines[i], len);
		/* a binary file (a workbook) by its digest: its NULs would end
		 * the comparison of every file after it */
		if (memchr(data, '\0', len)) {
			char hex[65];
			tc_sha256_hex(data, len, hex);
			tc_buf_printf(&out, "sha256 %s\n", hex);
		} else {
			tc_buf_put(&out, data, len);
		}
		free(data);
	}
	free(lines);
	tc_buf_free(&list);
	return tc_buf_detach(&out);
}

static int build(const char *content, const char *templates, const char *out,
		 char **errors)
{
	tc_build_opts o = {
	    .content = content, .templates = templates, .output = out};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	*errors = diags_text(d);
	tc_diags_free(d);
	return rc;
}

static char *rpath(const char *rel)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%s/%s", repo_root(), rel);
	return tc_buf_detach(&b);
}

/* Copies the repository's folder rel to to, in the test's folder. */
static void copy_in(const char *rel, const char *to)
{
	char *from = rpath(rel);
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
	free(from);
}

/* Builds content with templates into "out": the run must fail with
 * exactly the diagnostics want, publish nothing and leave no staging
 * folder (what a bad input may never cost: the previous site). */
static void fails_with(const char *content, const char *templates,
		       const char *want)
{
	char *errors;
	assert_int_equal(build(content, templates, "out", &errors), -1);
	if (strcmp(errors, want))
		fail_msg("got\n%s\nwant\n%s", errors, want);
	struct stat st;
	assert_int_equal(stat("out", &st), -1);
	glob_t g;
	assert_int_equal(glob("out.tmp-*", 0, NULL, &g), GLOB_NOMATCH);
	free(errors);
}

/* ---- tests ---- */

static void golden_fixture_site(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	char *templates = rpath("templates");
	char *golden = rpath("tests/golden/mini");
	char *errors;
	assert_int_equal(build(content, templates, "out", &errors), 0);
	assert_string_equal(errors, "");
	char *got = snapshot("out"), *want = snapshot(golden);
	if (strcmp(got, want) != 0)
		print_error("output differs from tests/golden/mini; after a "
			    "deliberate change run `make golden` and review "
			    "the diff\n");
	assert_string_equal(got, want);
	/* Raw HTML in a source shows escaped, never as markup. */
	char *index = tc_read_file("out/index.html", NULL);
	assert_non_null(strstr(index, "&lt;b&gt;raw html&lt;/b&gt;"));
	assert_null(strstr(index, "<b>raw html"));
	free(index);
	free(got);
	free(want);
	free(errors);
	free(content);
	free(templates);
	free(golden);
	leave_tmpdir(cwd, dir);
}

static void reproducible(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("content"), *templates = rpath("templates");
	char *e1, *e2;
	assert_int_equal(build(content, templates, "a", &e1), 0);
	assert_int_equal(build(content, templates, "b", &e2), 0);
	char *s1 = snapshot("a"), *s2 = snapshot("b");
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);
	free(e1);
	free(e2);
	free(content);
	free(templates);
	leave_tmpdir(cwd, dir);
}

static size_t count_cells(json_t *doc, size_t *measures)
{
	size_t cells = 0, i, j;
	json_t *c, *me;
	*measures = 0;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		json_array_foreach (json_object_get(c, "measures"), j, me) {
			(*measures)++;
			cells += json_object_size(json_object_get(me, "cells"));
		}
	}
	return cells;
}

static void bundled_export(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("content"), *templates = rpath("templates");
	char *errors;
	assert_int_equal(build(content, templates, "out", &errors), 0);
	json_error_t err;
	json_t *doc = json_load_file("out/api/tom.json", 0, &err);
	assert_non_null(doc);
	size_t measures;
	assert_int_equal(count_cells(doc, &measures), 353);
	assert_int_equal(measures, 51);
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "schema_version")), 3);
	/* URLs are absolute: the file is read away from the site */
	json_t *c0 = json_array_get(json_object_get(doc, "categories"), 0);
	assert_string_equal(json_string_value(json_object_get(c0, "url")),
			    "https://trust.progressiverobot.example/categories/"
			    "physical-access-control/");
	/* every bundled measure is mapped to ISO/IEC 27001:2022 Annex A */
	size_t ci, mi;
	json_t *cat, *mm;
	json_array_foreach (json_object_get(doc, "categories"), ci, cat)
		json_array_foreach (json_object_get(cat, "measures"), mi, mm)
			assert_true(json_array_size(json_object_get(
					json_object_get(mm, "mappings"),
					"iso27001-2022")) > 0);
	assert_int_equal(json_array_size(json_object_get(doc, "categories")),
			 10);
	assert_int_equal(json_array_size(json_object_get(doc, "scopes")), 13);
	/* per product (the product rule): the product's cells, site and
	 * organisation-wide measures, which apply to every product, and the
	 * 23 cells of the Internal admin systems, shown beside the rows that
	 * have them (labelled by their kind, never the product's answer) */
	json_t *cloud =
	    json_load_file("out/api/products/cloud-servers.json", 0, &err);
	assert_non_null(cloud);
	size_t cm;
	size_t cc = count_cells(cloud, &cm);
	assert_int_equal(cm, 51);
	assert_int_equal(cc, 38 + 6 * 2 + 7 * 2 + 23);
	json_t *me = json_array_get(
	    json_object_get(
		json_array_get(json_object_get(cloud, "categories"), 2),
		"measures"),
	    0);
	assert_string_equal(json_string_value(json_object_get(me, "id")),
			    "IAC-1");
	json_t *cell =
	    json_object_get(json_object_get(me, "cells"), "cloud-servers");
	assert_string_equal(json_string_value(json_object_get(cell, "note")),
			    "For the underlying cloud infrastructure");
	/* the same filter the search service uses gives the same file */
	tc_buf at = TC_BUF_INIT, why = TC_BUF_INIT, text = TC_BUF_INIT;
	tc_model *rm = tc_model_read(doc, TC_READ_EXPORT, tc_lang_default(), "",
				     &at, &why);
	assert_non_null(rm);
	tc_pick *pk = tc_pick_filter(rm, "cloud-servers", NULL, NULL, NULL);
	tc_model_write(rm, pk, tc_lang_default(), &text);
	json_t *again = json_loads(tc_buf_cstr(&text), 0, NULL);
	assert_true(json_equal(again, cloud));
	json_decref(again);
	tc_pick_free(pk);
	tc_model_free(rm);
	tc_buf_free(&at);
	tc_buf_free(&why);
	tc_buf_free(&text);
	json_decref(cloud);
	json_decref(doc);
	free(errors);
	free(content);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* A failed build leaves the previous output byte for byte, and no staging
 * folder behind. */
static void output_untouched_on_error(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	char *templates = rpath("templates");
	char *errors;
	assert_int_equal(build(content, templates, "out", &errors), 0);
	free(errors);
	char *before = snapshot("out");
	copy_in("tests/fixtures/mini", "c");
	copy_in("templates", "t");
	put_file("c/categories/03-bad.md",
		 "---\nid: bad\ntitle: Bad\n---\n| ID | Measure | Moon |\n"
		 "|---|---|---|\n| BAD-1 | x | ✓ |\n");
	assert_int_equal(build("c", "t", "out", &errors), -1);
	assert_string_equal(errors,
			    "c/categories/03-bad.md:5:17: error: unknown scope "
			    "'Moon' in table header (scopes are declared in "
			    "scopes.md)\n");
	free(errors);
	unlink("c/categories/03-bad.md");
	/* template problems: syntax, missing partial, missing template */
	put_file("t/category.mustache",
		 "{{<layout}}\n{{$main}}\n{{#tables}}\n");
	put_file("t/matrix.mustache",
		 "{{<layout}}{{/layout}}\n  {{>no-such}}\n");
	unlink("t/404.mustache");
	assert_int_equal(build("c", "t", "out", &errors), -1);
	assert_string_equal(
	    errors, "t/404.mustache: error: cannot read template: No such "
		    "file or directory\n"
		    "t/category.mustache:3:1: error: section 'tables' is never "
		    "closed\n"
		    "t/matrix.mustache:2:3: error: partial 'no-such' not found "
		    "or invalid\n");
	free(errors);
	char *after = snapshot("out");
	assert_string_equal(before, after);
	glob_t g;
	assert_int_equal(glob("out.tmp-*", 0, NULL, &g), GLOB_NOMATCH);
	free(before);
	free(after);
	free(content);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* CSV that a strict RFC 4180 reader reads back: same rows as the JSON
 * (tc_model_csv over a data set of one measure, two cells). */
static void csv_reads_back(void **state)
{
	(void)state;
	tc_scope scopes[] = {
	    {.id = "p", .name = "P, \"quoted\"", .kind = SK_PRODUCT},
	    {.id = "g", .name = "G", .kind = SK_ORGANISATION}};
	size_t cols[] = {0, 1};
	tc_table table = {.scopes = cols, .nscopes = 2, .has_products = true};
	tc_cell cells[] = {{.status = ST_CLIENT,
			    .resp = RS_CLIENT,
			    .label = "Client's",
			    .note = "",
			    .note_data = ""},
			   {.status = ST_PROVIDED,
			    .resp = RS_PROVIDER,
			    .label = "\u2713",
			    .note = "=cmd",
			    .note_data = "=cmd"}};
	char *iso[] = {"A.5.15", "A.8.2"}, *x1[] = {"1"};
	tc_mapping maps[] = {{"iso27001-2022", iso, 2}, {"x", x1, 1}};
	tc_measure me = {.id = "C-1",
			 .text = "Line\nbreak, \"quote\"",
			 .text_data = "Line\nbreak, \"quote\"",
			 .cells = cells,
			 .maps = maps,
			 .nmaps = 2};
	tc_category cat = {.id = "c",
			   .title = "C",
			   .description = "",
			   .tables = &table,
			   .ntables = 1,
			   .measures = &me,
			   .nmeasures = 1};
	tc_model m = {.organisation = "O",
		      .title = "T",
		      .version = "1",
		      .date = "2000-01-01",
		      .base_url = "",
		      .scopes = scopes,
		      .nscopes = 2,
		      .categories = &cat,
		      .ncategories = 1};
	tc_pick *all = tc_pick_all(&m);
	tc_buf out = TC_BUF_INIT;
	tc_model_csv(&m, all, tc_lang_default(), ',', &out, NULL, NULL);
	tc_pick_free(all);
	assert_string_equal(
	    tc_buf_cstr(&out),
	    "\xef\xbb\xbf"
	    "category_id,category_title,measure_id,measure_text,scope_id,"
	    "scope_name,scope_kind,status,responsibility,label,note,url,"
	    "mappings\r\n"
	    "c,C,C-1,\"Line\nbreak, \"\"quote\"\"\",p,\"P, \"\"quoted\"\"\","
	    "product,client,client,Client's,,/categories/c/#C-1,"
	    "\"iso27001-2022: A.5.15, A.8.2; x: 1\"\r\n"
	    "c,C,C-1,\"Line\nbreak, \"\"quote\"\"\",g,G,organisation,provided,"
	    "provider,✓,\"'=cmd\",/categories/c/#C-1,"
	    "\"iso27001-2022: A.5.15, A.8.2; x: 1\"\r\n");
	tc_buf_free(&out);
	/* filters: status drops cells, categories left empty go */
	tc_pick *f = tc_pick_filter(&m, NULL, NULL, "client", NULL);
	assert_true(tc_pick_cell(f, 0, 0, 0));
	assert_false(tc_pick_cell(f, 0, 0, 1));
	assert_true(tc_pick_scope(f, 0));
	assert_false(tc_pick_scope(f, 1));
	tc_pick_free(f);
	f = tc_pick_filter(&m, NULL, "nope", NULL, NULL);
	assert_false(tc_pick_category(f, 0));
	assert_true(tc_pick_empty(f));
	assert_string_equal(tc_pick_filter_get(f, "category"), "nope");
	tc_pick_free(f);
}

/* Templates are sources too: bytes that are not text are an error at
 * their position, and what is not a regular file is refused unread. */
static void template_bytes(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	copy_in("templates", "t");
	put_file("t/robots.mustache", "User-agent: *\nDisallow: \xff\n");
	put_file("t/search.mustache", "{{#legend}}\x1b[2J{{/legend}}\n");
	unlink("t/404.mustache");
	assert_int_equal(mkdir("t/404.mustache", 0755), 0);
	fails_with(content, "t",
		   "t/404.mustache: error: not a regular file\n"
		   "t/robots.mustache:2:11: error: invalid UTF-8 (byte 0xff); "
		   "sources must be UTF-8\n"
		   "t/search.mustache:1:12: error: control character 0x1b "
		   "(only tab, line feed and carriage return are allowed in a "
		   "source)\n");
	free(content);
	leave_tmpdir(cwd, dir);
}

/* The schemas' words of a language (templates/i18n/<lang>.schemas.json):
 * English and a language without the file have none; a file that is not
 * a flat object of words is an error at its position. */
static void schema_words(void **state)
{
	(void)state;
	static const struct {
		const char *text, *error;
	} cases[] = {
	    {"{\"The URL.\": \"Die URL.\"}", ""},
	    {"{\"a\": }", "t/i18n/de.schemas.json:1:7: error: schema words "
			  "are not valid JSON: unexpected token near '}'\n"},
	    {"[\"a\"]", "t/i18n/de.schemas.json:1:1: error: schema words: not "
			"an object of strings\n"},
	    {"{\"The URL.\": 3}",
	     "t/i18n/de.schemas.json:1:1: error: schema words: the word of "
	     "'The URL.' must be a string of 1 to 2048 bytes\n"},
	    {"{\"The URL.\": \"\"}",
	     "t/i18n/de.schemas.json:1:1: error: schema words: the word of "
	     "'The URL.' must be a string of 1 to 2048 bytes\n"},
	    {"{\"a\": \"Sc\xffn\"}", "t/i18n/de.schemas.json:1:10: error: "
				     "invalid UTF-8 (byte 0xff); sources must "
				     "be UTF-8\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char dir[64];
		char *cwd = enter_tmpdir(dir, sizeof dir);
		assert_int_equal(mkdir("t", 0700), 0);
		assert_int_equal(mkdir("t/i18n", 0700), 0);
		tc_diags *d = tc_diags_new();
		json_t *w = tc_apidoc_words("t", "de", d);
		assert_non_null(w); /* no file: none */
		assert_int_equal(json_object_size(w), 0);
		json_decref(w);
		put_file("t/i18n/de.schemas.json", cases[i].text);
		w = tc_apidoc_words("t", "en", d);
		assert_int_equal(json_object_size(w), 0); /* English: none */
		json_decref(w);
		w = tc_apidoc_words("t", "de", d);
		char *got = diags_text(d);
		assert_string_equal(got, cases[i].error);
		if (*cases[i].error)
			assert_null(w);
		else
			assert_string_equal(tc_apidoc_word(w, "The URL."),
					    "Die URL.");
		if (w) {
			const char *other = "Other.";
			assert_ptr_equal(tc_apidoc_word(w, other), other);
		}
		json_decref(w);
		free(got);
		tc_diags_free(d);
		leave_tmpdir(cwd, dir);
	}
}

/* Message catalogues are read as templates are: a catalogue that is not
 * text, not a regular file or over the size limit is an error at its
 * position, read no further than the limit, and nothing is published. */
static void catalogue_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *what, *error;
	} cases[] = {
	    {"bytes", "t/i18n/en.json:2:10: error: invalid UTF-8 (byte 0xff); "
		      "sources must be UTF-8\n"},
	    {"nul", "t/i18n/en.json:1:8: error: control character 0x00 (only "
		    "tab, line feed and carriage return are allowed in a "
		    "source)\n"},
	    {"zero", "t/i18n/en.json: error: not a regular file\n"},
	    {"big", "t/i18n/en.json: error: file is larger than 1048576 bytes, "
		    "the limit for a source\n"},
	    /* text, but not a catalogue: this one used to crash the build */
	    {"json", "t/i18n/en.json:1:7: error: message catalogue is not "
		     "valid JSON: unexpected token near '}'\n"},
	    /* a word that is no sheet name: libxlsxwriter made no sheet
	     * and tc-gen crashed (SIGSEGV) writing api/tom.xlsx */
	    {"sheet", "t/i18n/en.json:%d:2: error: message catalogue: a "
		      "sheet name has none of [ ] : * ? / or backslash, as "
		      "Excel requires (at 'xlsx.about')\n"},
	};
	char *content = rpath("tests/fixtures/mini");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char dir[64];
		char *cwd = enter_tmpdir(dir, sizeof dir);
		copy_in("templates", "t");
		const char *w = cases[i].what;
		int line = 0;
		if (!strcmp(w, "bytes"))
			put_file("t/i18n/en.json",
				 "{\n \"a\": \"Sc\xffn\"\n}\n");
		if (!strcmp(w, "nul")) {
			FILE *f = fopen("t/i18n/en.json", "wb");
			assert_non_null(f);
			static const char nul[] = "{\"a\": \"\0\"}";
			fwrite(nul, 1, sizeof nul - 1, f);
			fclose(f);
		}
		if (!strcmp(w, "zero")) {
			unlink("t/i18n/en.json");
			assert_int_equal(symlink("/dev/zero", "t/i18n/en.json"),
					 0);
		}
		if (!strcmp(w, "json"))
			put_file("t/i18n/en.json", "{\"a\": }");
		if (!strcmp(w, "sheet")) {
			char *en = tc_read_file("t/i18n/en.json", NULL);
			assert_non_null(en);
			const char *was = "\"xlsx.about\": \"About\"";
			char *at = strstr(en, was);
			assert_non_null(at);
			line = 1; /* the key's line, wherever en.json has it */
			for (const char *p = en; p < at; p++)
				line += *p == '\n';
			tc_buf b = TC_BUF_INIT;
			tc_buf_put(&b, en, (size_t)(at - en));
			tc_buf_puts(&b, "\"xlsx.about\": \"Info: Datei\"");
			tc_buf_puts(&b, at + strlen(was));
			put_file("t/i18n/en.json", tc_buf_cstr(&b));
			tc_buf_free(&b);
			free(en);
		}
		if (!strcmp(w, "big"))
			assert_int_equal(truncate("t/i18n/en.json", 1 << 30),
					 0);
		print_message("case %s\n", w);
		tc_buf want = TC_BUF_INIT;
		tc_buf_printf(&want, cases[i].error, line);
		fails_with(content, "t", tc_buf_cstr(&want));
		tc_buf_free(&want);
		leave_tmpdir(cwd, dir);
	}
	free(content);
}

/* A translated summary of a version that is neither released nor the
 * content's own would be shown nowhere: an error at its key. */
static void stray_summary(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("content", "c");
	put_file("c/de/releases.md",
		 "---\nsummaries:\n  \"2026.1\": \"Erste\"\n"
		 "  \"9.9\": \"Keine\"\n---\n");
	fails_with("c", templates,
		   "c/de/releases.md:4:3: error: a summary of version '9.9', "
		   "which is neither released nor the content's version "
		   "(2026.2)\n");
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* An old release's words in German (review G17/N3 of a fresh read): the
 * words 2026.1 kept in English are German on its German pages, the
 * release file and every download are unchanged; an entry that would
 * show nowhere (a version not released or whose release froze German,
 * words the release does not keep in English) is an error at its key. */
static void release_words(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("content", "c");
	char *md = tc_read_file("c/de/releases.md", NULL);
	assert_non_null(md);
	const char *sum = strstr(md, "summaries:");
	assert_non_null(sum);
	/* the bundled words: built, the 2026.1 annex and changes say them in
	 * German, nothing is marked English but the language switcher */
	char *errs;
	if (build("c", templates, "ok", &errs))
		fail_msg("%s", errs);
	free(errs);
	for (size_t i = 0; i < 2; i++) {
		const char *f = i ? "ok/de/versions/2026.1/annex/index.html"
				  : "ok/de/changes/index.html";
		char *page = tc_read_file(f, NULL);
		assert_non_null(page);
		assert_non_null(strstr(page, "Rootkit-Tests"));
		assert_non_null(strstr(page, "Redundante Speicherung innerhalb "
					     "des Cluster-Systems"));
		assert_null(strstr(page, "<span lang=\"en\">"));
		assert_null(strstr(page, "rootkit tests"));
		free(page);
	}
	/* the released file keeps the English: it is the release's bytes */
	char *dl = tc_read_file("ok/de/api/versions/2026.1/tom.json", NULL);
	assert_non_null(dl);
	assert_non_null(strstr(dl, "\"rootkit tests\""));
	assert_null(strstr(dl, "Rootkit-Tests"));
	free(dl);
	static const struct {
		const char *words, *error;
	} cases[] = {
	    {"words:\n  \"9.9\":\n    \"rootkit tests\": \"Rootkit-Tests\"\n",
	     "c/de/releases.md:4:5: error: words of version '9.9', which is "
	     "not released\n"},
	    {"words:\n  \"2026.2\":\n    \"rootkit tests\": "
	     "\"Rootkit-Tests\"\n",
	     "c/de/releases.md:4:5: error: words of version '2026.2', whose "
	     "release froze this language's words\n"},
	    {"words:\n  \"2026.1\":\n    \"rootkit test\": \"Rootkit-Test\"\n",
	     "c/de/releases.md:4:5: error: version 2026.1 has no label or "
	     "note 'rootkit test' left in the original's words\n"},
	    {"words:\n  \"2026.1\": \"Rootkit-Tests\"\n",
	     "c/de/releases.md:3:3: error: the words of 2026.1 must be a "
	     "mapping of the original's words to their translation\n"},
	    {"words:\n  \"2026.1\":\n    \"rootkit tests\": [1]\n",
	     "c/de/releases.md:4:5: error: the translation of 'rootkit tests' "
	     "(words of 2026.1) must be text\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_buf b = TC_BUF_INIT;
		tc_buf_printf(&b, "---\n%s%s", cases[i].words, sum);
		put_file("c/de/releases.md", tc_buf_cstr(&b));
		tc_buf_free(&b);
		print_message("case %zu\n", i);
		fails_with("c", templates, cases[i].error);
	}
	free(md);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* A content error and a release file's error are reported in one run,
 * although the release checks that need the model cannot run. */
static void all_errors_of_a_run(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("tests/fixtures/mini", "c");
	assert_int_equal(
	    system(
		"sed -i 's/^title: .*/title: \"\"/' c/categories/01-alpha.md"),
	    0);
	put_file("c/releases/1.0.json", "{\"version\": ");
	fails_with("c", templates,
		   "c/categories/01-alpha.md:3:1: error: front-matter key "
		   "'title' must not be empty\n"
		   "c/releases/1.0.json:1:12: error: release is not valid "
		   "JSON: unexpected token near end of file\n");
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* Issue 22: a scope of an old release's tom named "../../../../X", and
 * tc-gen wrote X/annex/index.html beside its output folder while staging,
 * published or not. A release is now checked before anything is written. */
static void release_names_no_path(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("tests/fixtures/mini", "c");
	json_t *r = json_load_file("c/releases/0.8.json", 0, NULL);
	assert_non_null(r);
	json_array_append_new(
	    json_object_get(json_object_get(r, "tom"), "scopes"),
	    json_pack("{s:s, s:s, s:s}", "id", "../../../../X", "kind",
		      "product", "name", "x"));
	assert_int_equal(json_dump_file(r, "c/releases/0.8.json", 0), 0);
	json_decref(r);
	fails_with("c", templates,
		   "c/releases/0.8.json:1:1: error: release: \"tom.scopes\" "
		   "has other scopes than the data set\n");
	struct stat st;
	assert_int_equal(stat("X", &st), -1);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* Issue 22: `languages: []` built the site without its translations. */
static void empty_languages(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("tests/fixtures/mini", "c");
	assert_int_equal(
	    system("sed -i 's/^date: .*/&\\nlanguages: []/' c/site.md"), 0);
	fails_with("c", templates,
		   "c/site.md:6:1: error: `languages` lists no language: list "
		   "them, the content's own first (languages: [en, de]), or "
		   "leave the key out for the content's language alone\n");
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* Issue 28: the language whose data set binds is one of the site's, and
 * every annex names it with its data file and that file's SHA-256. */
static void governing_language(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *templates = rpath("templates");
	copy_in("tests/fixtures/mini", "c");
	assert_int_equal(
	    system("sed -i 's/^date: .*/&\\ngoverning_language: fr/' "
		   "c/site.md"),
	    0);
	fails_with("c", templates,
		   "c/site.md:6:1: error: governing_language 'fr' is not one "
		   "of the site's languages (en)\n");
	assert_int_equal(system("sed -i 's/^governing_language: fr/"
				"governing_language: en/' c/site.md"),
			 0);
	tc_build_opts o = {
	    .content = "c", .templates = templates, .output = "out"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	assert_int_equal(tc_build(&o, d, &r), 0);
	size_t len;
	char *tom = tc_read_file("out/api/tom.json", &len);
	char hex[65];
	tc_sha256_hex(tom, len, hex);
	tc_buf want = TC_BUF_INIT;
	tc_buf_printf(&want,
		      "<dt>Governing language</dt><dd>English (en): <a "
		      "href=\"https://trust.example.test/api/tom.json\">"
		      "https://trust.example.test/api/tom.json</a>, SHA-256 "
		      "<code class=\"digest\">%s</code></dd>",
		      hex);
	char *annex = tc_read_file("out/annex/index.html", NULL);
	assert_non_null(strstr(annex, tc_buf_cstr(&want)));
	assert_non_null(strstr(annex, "This language version governs"));
	free(annex);
	free(tom);
	tc_buf_free(&want);
	tc_diags_free(d);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* A site past its byte budget stops writing and fails, once reported,
 * publishing nothing; with the budget it needs, the same site builds. */
static void site_budget(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	char *templates = rpath("templates");
	tc_build_opts o = {.content = content,
			   .templates = templates,
			   .output = "out",
			   .max_site_bytes = 100000};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	assert_int_equal(tc_build(&o, d, &r), -1);
	char *errors = diags_text(d);
	tc_buf want = TC_BUF_INIT;
	tc_buf_printf(&want,
		      "%s/site.md: error: the site in 'en' would be larger "
		      "than 100000 bytes, the limit for one language's site "
		      "(TC_MAX_SITE_BYTES): fewer products (each pair has a "
		      "comparison page) or shorter tables\n",
		      content);
	assert_string_equal(errors, tc_buf_cstr(&want));
	struct stat st;
	assert_int_equal(stat("out", &st), -1);
	glob_t g;
	assert_int_equal(glob("out.tmp-*", 0, NULL, &g), GLOB_NOMATCH);
	free(errors);
	tc_buf_free(&want);
	tc_diags_free(d);
	d = tc_diags_new();
	o.max_site_bytes = 0;
	assert_int_equal(tc_build(&o, d, &r), 0);
	assert_true(r.site.bytes > 100000);
	tc_diags_free(d);
	free(content);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* The index stores every *.mustache of the templates folder, also those
 * no page uses: they are read as sources too, never to the end of
 * /dev/zero. */
static void index_template_bytes(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	copy_in("templates", "t");
	assert_int_equal(symlink("/dev/zero", "t/zz.mustache"), 0);
	tc_build_opts o = {.content = content,
			   .templates = "t",
			   .output = "out",
			   .index = "idx.sqlite"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	assert_int_equal(tc_build(&o, d, &r), -1);
	char *errors = diags_text(d);
	assert_string_equal(errors,
			    "t/zz.mustache: error: not a regular file\n");
	struct stat st;
	assert_int_equal(stat("out", &st), -1);
	assert_int_equal(stat("idx.sqlite", &st), -1);
	glob_t g;
	assert_int_equal(glob("*.tmp-*", 0, NULL, &g), GLOB_NOMATCH);
	free(errors);
	tc_diags_free(d);
	free(content);
	leave_tmpdir(cwd, dir);
}

/* A killed run leaves its staging folder: the next run removes it, and
 * only what is ours ("out.tmp-" and six characters, a folder). Two runs
 * at once: the second is refused while the first holds the lock. */
static void staging_and_lock(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	char *content = rpath("tests/fixtures/mini");
	char *templates = rpath("templates");
	put_file("out.tmp-AbC123/index.html", "left by a killed run");
	put_file("out.tmp-notes/keep", "not ours");
	put_file("out.tmp-Zz9999", "a file, not ours");
	char *errors;
	assert_int_equal(build(content, templates, "out", &errors), 0);
	assert_string_equal(errors, "");
	free(errors);
	struct stat st;
	assert_int_equal(stat("out.tmp-AbC123", &st), -1);
	assert_int_equal(stat("out.tmp-notes/keep", &st), 0);
	assert_int_equal(stat("out.tmp-Zz9999", &st), 0);
	assert_int_equal(stat("out/index.html", &st), 0);

	char *before = snapshot("out");
	int fd = open("out.lock", O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(build(content, templates, "out", &errors), -1);
	assert_string_equal(errors, "out: error: another tc-gen run is "
				    "publishing it (its lock file out.lock "
				    "is held)\n");
	free(errors);
	close(fd);
	char *after = snapshot("out");
	assert_string_equal(before, after);
	glob_t g;
	assert_int_equal(glob("out.tmp-??????", 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1); /* out.tmp-Zz9999, the file */
	globfree(&g);
	assert_int_equal(build(content, templates, "out", &errors), 0);
	free(errors);
	free(before);
	free(after);
	free(content);
	free(templates);
	leave_tmpdir(cwd, dir);
}

/* A schema whose "$ref" names its own definition would repeat its rows at
 * every level of the field reference: refused at its file, and the other
 * schemas still read (every error of a run, not the first). */
static void schema_field_limit(void **state)
{
	(void)state;
	char *content = rpath("tests/fixtures/mini");
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(content, d);
	assert_non_null(m);
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(mkdir("t", 0700), 0);
	assert_int_equal(mkdir("t/schema", 0700), 0);
	tc_buf self = TC_BUF_INIT;
	tc_buf_puts(&self, "{\"$defs\": {\"a\": {\"properties\": {");
	for (int i = 0; i < 8; i++)
		tc_buf_printf(&self, "%s\"p%d\": {\"$ref\": \"#/$defs/a\"}",
			      i ? ", " : "", i);
	tc_buf_puts(&self, "}}}, \"$ref\": \"#/$defs/a\", \"properties\": "
			   "{\"x\": {\"$ref\": \"#/$defs/a\"}}}");
	for (const char *const *n = tc_apidoc_names; *n; n++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "t/schema/%s.schema.json", *n);
		put_file(tc_buf_cstr(&p), strcmp(*n, "search")
					      ? "{\"properties\": {}}"
					      : tc_buf_cstr(&self));
		tc_buf_free(&p);
	}
	assert_null(tc_apidoc_load(m, "t", d));
	char *got = diags_text(d);
	assert_string_equal(
	    got, "t/schema/search.schema.json:1:1: error: the JSON Schema has "
		 "2000 fields or more (at most 1999; a \"$ref\" that names its "
		 "own definition?)\n");
	free(got);
	/* the bundled ones are far from it */
	tc_diags_free(d);
	d = tc_diags_new();
	leave_tmpdir(cwd, dir);
	char *tdir = rpath("templates");
	json_t *all = tc_apidoc_load(m, tdir, d);
	assert_non_null(all);
	const char *k;
	json_t *v;
	json_object_foreach (all, k, v) {
		json_t *f = tc_apidoc_fields(v, tc_lang_default());
		assert_true(json_array_size(f) < 200);
		json_decref(f);
	}
	json_decref(all);
	free(tdir);
	tc_buf_free(&self);
	tc_model_free(m);
	tc_diags_free(d);
	free(content);
}

/* Text jansson refuses, put into a model behind the loader's back: the
 * export is refused whole (NULL), never a document with a hole that
 * shifts the site's views. */
static void export_refuses_holes(void **state)
{
	(void)state;
	char *content = rpath("tests/fixtures/mini");
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(content, d);
	assert_non_null(m);
	json_t *doc = tc_export_json(m, tc_lang_default());
	assert_non_null(doc);
	json_decref(doc);
	tc_measure *me = &m->categories[0].measures[0];
	free(me->text_data); /* what the export writes */
	me->text_data = tc_xstrdup("Verschl\xfcsselung");
	assert_null(tc_export_json(m, tc_lang_default()));
	free(m->categories[0].description);
	m->categories[0].description = tc_xstrdup("\xff");
	assert_null(tc_export_json(m, tc_lang_default()));
	tc_model_free(m);
	tc_diags_free(d);
	free(content);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(golden_fixture_site),
	    cmocka_unit_test(reproducible),
	    cmocka_unit_test(bundled_export),
	    cmocka_unit_test(output_untouched_on_error),
	    cmocka_unit_test(csv_reads_back),
	    cmocka_unit_test(template_bytes),
	    cmocka_unit_test(index_template_bytes),
	    cmocka_unit_test(catalogue_bytes),
	    cmocka_unit_test(schema_words),
	    cmocka_unit_test(schema_field_limit),
	    cmocka_unit_test(stray_summary),
	    cmocka_unit_test(release_words),
	    cmocka_unit_test(all_errors_of_a_run),
	    cmocka_unit_test(release_names_no_path),
	    cmocka_unit_test(empty_languages),
	    cmocka_unit_test(governing_language),
	    cmocka_unit_test(site_budget),
	    cmocka_unit_test(staging_and_lock),
	    cmocka_unit_test(export_refuses_holes),
	};
	return cmocka_run_group_tests_name("build", tests, NULL, NULL);
}
