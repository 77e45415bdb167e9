/* gen/release and gen/changes: release files and their errors, the checks
 * a build makes against them, and the changes between two data sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/changes.h"
#include "../gen/content.h"
#include "../gen/export.h"
#include "../gen/limits.h"
#include "../gen/release.h"
#include "../lib/changes.h"
#include "../lib/sha256.h"
#include "../lib/val.h"
#include "helpers.h"

static const char *SITE =
    "---\norganisation: Org\ntitle: TC\nversion: "
    "\"2\"\ndate: \"2026-02-01\"\nsummary: \"Two.\"\n---\n";
static const char *SCOPES = "---\nscopes:\n  - id: box\n    name: Box\n"
			    "    kind: product\n  - id: rack\n    name: Rack\n"
			    "    kind: product\n---\n";
static const char *CAT = "---\nid: alpha\ntitle: Alpha\n---\n"
			 "| ID | Measure | Box | Rack |\n|---|---|---|---|\n"
			 "| ALP-1 | One | ✓ | Client's responsibility |\n"
			 "| ALP-2 | Two, not [ALP-1](#ALP-1) | X | ✓ |\n";

static tc_model *load(tc_diags *d)
{
	put_file("c/site.md", SITE);
	put_file("c/scopes.md", SCOPES);
	put_file("c/categories/01-alpha.md", CAT);
	return tc_content_load("c", d);
}

/* Loads the releases of c/ and returns all diagnostics as text. */
static char *release_errors(void)
{
	tc_diags *d = tc_diags_new();
	tc_releases r;
	tc_releases_load("c", &r, d);
	tc_releases_free(&r);
	char *t = diags_text(d);
	tc_diags_free(d);
	return t;
}

static void malformed_releases(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	static const struct {
		const char *name, *text, *want;
	} cases[] = {
	    {"1.json", "{\"version\": \"1\",\n \"date\": }",
	     "c/releases/1.json:2:10: error: release is not valid JSON: "
	     "unexpected token near '}'\n"},
	    {"1.json", "{\"version\": \"2\"}",
	     "c/releases/1.json:1:1: error: release: \"version\" must be the "
	     "file's name without .json\n"},
	    {"1.json", "{\"version\": \"1\", \"date\": \"soon\"}",
	     "c/releases/1.json:1:1: error: release: \"date\" must be a date "
	     "of the form YYYY-MM-DD\n"},
	    {"1.json",
	     "{\"version\": \"1\", \"date\": \"2026-01-01\", \"summary\": \"\","
	     " \"data\": {}, \"tom\": {}}",
	     "c/releases/1.json:1:1: error: release: \"data.scopes\" must be "
	     "an array\n"},
	    {"1.json", "{\"version\": \"1\", \"version\": \"1\"}",
	     "c/releases/1.json:1:26: error: release is not valid JSON: "
	     "duplicate object key near '\"version\"'\n"},
	    /* the version names /versions/<v>/ and goes into pages as it is:
	     * a file's name is checked before it is read */
	    {"a<b.json", "{\"version\": \"a<b\"}",
	     "c/releases/a<b.json: error: release: the version (the "
	     "file's name) must be 1 to 40 letters, digits, '.', '-' and "
	     "'_', starting with a letter or digit (it is part of URLs)\n"},
	    {"-v.json", "{\"version\": \"-v\"}",
	     "c/releases/-v.json: error: release: the version (the "
	     "file's name) must be 1 to 40 letters, digits, '.', '-' and "
	     "'_', starting with a letter or digit (it is part of URLs)\n"},
	    {"1 2.json", "{\"version\": \"1 2\"}",
	     "c/releases/1 2.json: error: release: the version (the "
	     "file's name) must be 1 to 40 letters, digits, '.', '-' and "
	     "'_', starting with a letter or digit (it is part of URLs)\n"},
	    {"1.json", "{\"version\": \"1\", \"date\": \"2026-02-29\"}",
	     "c/releases/1.json:1:1: error: release: \"date\" must be a date "
	     "of the form YYYY-MM-DD\n"},
	    /* the bytes are text, the strings they decode to must be too:
	     * a control character would end up in the pages and feeds */
	    {"1.json",
	     "{\"version\": \"1\", \"date\": \"2026-01-01\",\n"
	     " \"summary\": \"Fix \\u0001 end\"}",
	     "c/releases/1.json:1:1: error: release: \"summary\" holds "
	     "control character 0x01 (only tab, line feed and carriage "
	     "return are allowed in text)\n"},
	    {"1.json",
	     "{\"version\": \"1\", \"data\": {\"scopes\": [],\n"
	     " \"categories\": [{\"id\": \"a\", \"title\": \"ok\\tok\"},\n"
	     " {\"id\": \"b\", \"title\": \"\\u001b[31m\"}]}}",
	     "c/releases/1.json:1:1: error: release: "
	     "\"data.categories[1].title\" holds control character 0x1b "
	     "(only tab, line feed and carriage return are allowed in "
	     "text)\n"},
	    {"1.json",
	     "{\"version\": \"1\", \"tom\": {\"a\\u007f\\u0002\": 1}}",
	     "c/releases/1.json:1:1: error: release: \"tom.a\\x7f\\x02\" holds "
	     "control character 0x02 (only tab, line feed and carriage "
	     "return are allowed in text)\n"},
	    {"1.json", "[\"\\n\\r\", [[\"\\u001f\"]]]",
	     "c/releases/1.json:1:1: error: release: \"[1][0][0]\" holds "
	     "control character 0x1f (only tab, line feed and carriage "
	     "return are allowed in text)\n"},
	    /* jansson refuses a NUL itself */
	    {"1.json", "{\"version\": \"1\",\n \"summary\": \"a\\u0000\"}",
	     "c/releases/1.json:2:21: error: release is not valid JSON: "
	     "\\x5cu0000 is not allowed without JSON_ALLOW_NUL near "
	     "'\"a\\x5cu0000\"'\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_rmtree("c");
		char path[64];
		snprintf(path, sizeof path, "c/releases/%s", cases[i].name);
		put_file(path, cases[i].text);
		char *got = release_errors();
		if (strcmp(got, cases[i].want))
			print_error("case %zu\n", i);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	leave_tmpdir(cwd, dir);
}

static void release_and_checks(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_diags *d = tc_diags_new();
	tc_model *m = load(d);
	assert_non_null(m);
	json_t *tom = tc_export_json(m, tc_lang_default());
	assert_int_equal(tc_release_write("c", m, tom, NULL, 0, d), 0);
	/* never over an existing release */
	assert_int_equal(tc_release_write("c", m, tom, NULL, 0, d), -1);
	char *t = diags_text(d);
	assert_string_equal(t, "c/site.md:4:1: error: version 2 is already "
			       "released (c/releases/2.json): bump the version "
			       "in site.md for a new release\n");
	free(t);
	tc_diags_free(d);
	d = tc_diags_new();
	tc_releases r;
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	assert_int_equal(r.n, 1);
	json_t *data = tc_release_data(m);
	assert_int_equal(tc_releases_check(&r, m, data, d), 0);
	/* the same version with other content is refused */
	json_object_set_new(json_array_get(json_object_get(data, "scopes"), 0),
			    "name", json_string("Boxes"));
	assert_int_equal(tc_releases_check(&r, m, data, d), 1);
	t = diags_text(d);
	assert_string_equal(t, "c/site.md:4:1: error: the content differs from "
			       "release 2 (c/releases/2.json): bump the "
			       "version, then run `tc-gen release`\n");
	free(t);
	json_decref(data);
	tc_releases_free(&r);
	/* a release dated after the content: an old one, and the release of
	 * the content's own version too (it was made of the content, so it
	 * cannot be newer) */
	tc_diags_free(d);
	d = tc_diags_new();
	json_t *rel = json_load_file("c/releases/2.json", 0, NULL);
	json_object_set_new(rel, "date", json_string("2027-01-01"));
	json_object_set_new(json_object_get(rel, "tom"), "date",
			    json_string("2027-01-01"));
	json_dump_file(rel, "c/releases/2.json", 0);
	json_object_set_new(rel, "version", json_string("1"));
	json_object_set_new(json_object_get(rel, "tom"), "version",
			    json_string("1"));
	json_dump_file(rel, "c/releases/1.json", 0);
	json_decref(rel);
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	data = tc_release_data(m);
	assert_int_equal(tc_releases_check(&r, m, data, d), 2);
	t = diags_text(d);
	assert_string_equal(
	    t, "c/releases/1.json:1:1: error: release 1 is dated 2027-01-01, "
	       "after the content's date 2026-02-01 (c/site.md)\n"
	       "c/releases/2.json:1:1: error: release 2 is dated 2027-01-01, "
	       "after the content's date 2026-02-01 (c/site.md)\n");
	free(t);
	json_decref(data);
	tc_releases_free(&r);
	/* a content version that would name a file of the site is refused
	 * before `tc-gen release` writes it */
	tc_diags_free(d);
	d = tc_diags_new();
	free(m->version);
	m->version = tc_xstrdup("index.html");
	unlink("c/releases/1.json");
	unlink("c/releases/2.json");
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	data = tc_release_data(m);
	assert_int_equal(tc_releases_check(&r, m, data, d), 1);
	t = diags_text(d);
	assert_string_equal(t, "c/site.md:4:1: error: version 'index.html' is "
			       "the name of a file of the site "
			       "(versions/index.html): choose another\n");
	free(t);
	json_decref(data);
	tc_releases_free(&r);
	json_decref(tom);
	tc_model_free(m);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

/* The value at a JSON path of root ("tom.scopes[0]"; "" is root). */
static json_t *at(json_t *root, const char *path)
{
	json_t *v = root;
	while (*path && v) {
		if (*path == '.' && !*++path)
			break; /* "." is root */
		if (*path == '[') {
			char *end;
			v = json_array_get(v, strtoul(path + 1, &end, 10));
			path = end + 1;
		} else {
			size_t n = strcspn(path, ".[");
			char key[64];
			snprintf(key, sizeof key, "%.*s", (int)n, path);
			v = json_object_get(v, key);
			path += n;
		}
	}
	return v;
}

/* Writes the good release c/releases/2.json of load()'s content with one
 * value set (value NULL: removed; key "+": appended to the array at path)
 * in each of the comma-separated paths. */
static void edit_release(json_t *good, const char *paths, const char *key,
			 const char *value)
{
	json_t *r = json_deep_copy(good);
	char list[256];
	snprintf(list, sizeof list, "%s", paths);
	for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
		json_t *o = at(r, p);
		if (!o)
			print_error("no %s\n", p);
		assert_non_null(o);
		json_t *v =
		    value ? json_loads(value, JSON_DECODE_ANY, NULL) : NULL;
		if (value)
			assert_non_null(v);
		if (!strcmp(key, "+"))
			json_array_append_new(o, v);
		else if (v)
			json_object_set_new(o, key, v);
		else
			json_object_del(o, key);
	}
	assert_int_equal(json_dump_file(r, "c/releases/2.json", 0), 0);
	json_decref(r);
}

/* Every value of a release is checked by its sources' rules, and its tom
 * says what its data set says, field by field: the first that does not is
 * named, and the release is not loaded. (A tom scope "../../../../X" once
 * wrote an old product annex outside the output folder; a changed text,
 * note or name made the old annex disagree with /changes/.) */
static void release_values(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_diags *d = tc_diags_new();
	tc_model *m = load(d);
	assert_non_null(m);
	json_t *tom = tc_export_json(m, tc_lang_default());
	assert_int_equal(tc_release_write("c", m, tom, NULL, 0, d), 0);
	json_decref(tom);
	tc_model_free(m);
	tc_diags_free(d);
	json_t *good = json_load_file("c/releases/2.json", 0, NULL);
	assert_non_null(good);
	/* the good one loads: its tom's text has the link's URL after ALP-1,
	 * its data set's has not */
	assert_string_equal(
	    json_string_value(at(good, "tom.categories[0].measures[1].text")),
	    "Two, not ALP-1 </categories/alpha/#ALP-1>");
	char *got = release_errors();
	assert_string_equal(got, "");
	free(got);
#define M0 "categories[0].measures[0]"
	static const struct {
		const char *paths, *key, *value, *want;
	} cases[] = {
	    /* issue 22, finding 1 */
	    {"tom.scopes", "+",
	     "{\"id\":\"../../../../X\",\"kind\":\"product\",\"name\":\"x\"}",
	     "\"tom.scopes\" has other scopes than the data set"},
	    {"tom.scopes,data.scopes", "+",
	     "{\"id\":\"../../../../X\",\"kind\":\"product\",\"name\":\"x\"}",
	     "\"data.scopes[2].id\" '../../../../X' is not an ID (lower-case "
	     "letters, digits and '-')"},
	    {"tom.scopes[0],data.scopes[0]", "id", "\"Box\"",
	     "\"data.scopes[0].id\" 'Box' is not an ID (lower-case letters, "
	     "digits and '-')"},
	    {"tom.scopes[0]", "id", "\"../x\"",
	     "\"tom.scopes[0].id\" is '../x' where the data set has 'box'"},
	    {"data.scopes[0],tom.scopes[0]", "kind", "\"robot\"",
	     "\"data.scopes[0].kind\" 'robot' is not a kind of scope"},
	    {"data.scopes[1]", "id", "\"box\"",
	     "\"data.scopes[1].id\" 'box' is there twice"},
	    {"data.scopes[1]", "name", "\"\"",
	     "\"data.scopes[1].name\" must not be empty"},
	    {"data.scopes", "+", "7",
	     "\"data.scopes[2]\" must be an object (a scope)"},
	    /* finding 7: tampered words, scopes, statuses */
	    {"tom." M0, "text", "\"One!\"",
	     "\"tom." M0 ".text\" is 'One!' where the data set has 'One'"},
	    {"tom.categories[0].measures[1]", "text",
	     "\"Two, not ALP-2 </categories/alpha/#ALP-1>\"",
	     "\"tom.categories[0].measures[1].text\" is 'Two, not ALP-2 "
	     "</categories/alpha/#ALP-1>' where the data set has 'Two, not "
	     "ALP-1'"},
	    {"tom." M0 ".cells.box", "note", "\"24/7\"",
	     "\"tom." M0 ".cells.box.note\" is '24/7' where the data set has "
	     "''"},
	    {"tom." M0 ".cells.box", "responsibility", "\"client\"",
	     "\"tom." M0 ".cells.box.responsibility\" is 'client' where the "
	     "data set has 'provider'"},
	    {"tom." M0 ".cells.rack", "label", "\"✓\"",
	     "\"tom." M0 ".cells.rack.label\" is '✓' where the data set has "
	     "'Client's responsibility'"},
	    {"tom.scopes[1]", "name", "\"Racks\"",
	     "\"tom.scopes[1].name\" is 'Racks' where the data set has 'Rack'"},
	    {"tom.scopes[1]", "kind", "\"site\"",
	     "\"tom.scopes[1].kind\" is 'site' where the data set has "
	     "'product'"},
	    {"tom.categories[0]", "title", "\"Beta\"",
	     "\"tom.categories[0].title\" is 'Beta' where the data set has "
	     "'Alpha'"},
	    {"tom", "scopes", "[]",
	     "\"tom.scopes\" has other scopes than the data set"},
	    {"tom." M0 ".cells", "rack", NULL,
	     "\"tom." M0 ".cells\" has other cells than the data set"},
	    {"tom." M0 ".cells", "rack", NULL,
	     "\"tom." M0 ".cells\" has other cells than the data set"},
	    {"tom." M0, "table", "\"site\"",
	     "\"tom." M0 ".table\" is 'site', but the measure has a product's "
	     "cell"},
	    {"tom." M0, "id", "\"ALP-2\"",
	     "\"tom." M0 ".id\" is 'ALP-2' where the data set has 'ALP-1'"},
	    {"tom.categories[0]", "measures", "[]",
	     "\"tom.categories[0].measures\" has other measures than the data "
	     "set"},
	    {"tom", "version", "\"1\"",
	     "\"tom.version\" must be the release's version, 2"},
	    {"data.scopes", "+",
	     "{\"id\":\"site\",\"name\":\"S\",\"kind\":\"site\"}",
	     "\"tom.scopes\" has other scopes than the data set"},
	    {"data." M0 ".cells.box,tom." M0 ".cells.box", "status",
	     "\"maybe\"",
	     "\"data." M0 ".cells.box.status\" 'maybe' is not a status"},
	    {"data." M0 ".cells.box", "responsibility", "\"them\"",
	     "\"data." M0 ".cells.box.responsibility\" 'them' is not a "
	     "responsibility"},
	    {"data." M0 ".cells", "site", "{}",
	     "\"data." M0 ".cells.site\" 'site' is not a scope of the data "
	     "set"},
	    {"data." M0 ".cells", "box", "1",
	     "\"data." M0 ".cells.box\" must be an object (a cell)"},
	    {"data." M0 ".cells.box", "note", NULL,
	     "\"data." M0 ".cells.box.note\" must be a string"},
	    {"data." M0, "cells", "{}",
	     "\"data." M0 ".cells\" must be an object of cells"},
	    {"data." M0 ",tom." M0, "id", "\"alp-1\"",
	     "\"data." M0 ".id\" 'alp-1' is not a measure ID (capital letters "
	     "and digits, '-', digits: PAC-1)"},
	    {"data.categories[0].measures[1]", "id", "\"ALP-1\"",
	     "\"data.categories[0].measures[1].id\" 'ALP-1' is there twice"},
	    {"data.categories[0]", "title", "\"\"",
	     "\"data.categories[0].title\" must not be empty"},
	    {"data.categories", "+",
	     "{\"id\":\"alpha\",\"title\":\"A\",\"measures\":[]}",
	     "\"data.categories[1].id\" 'alpha' is there twice"},
	    {"data.categories[0]", "id", "\"a/b\"",
	     "\"data.categories[0].id\" 'a/b' is not an ID (lower-case "
	     "letters, digits and '-')"},
	    {"data", "categories", "{}",
	     "\"data.categories\" must be an array"},
	};
#undef M0
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		edit_release(good, cases[i].paths, cases[i].key,
			     cases[i].value);
		got = release_errors();
		char want[1024];
		snprintf(want, sizeof want,
			 "c/releases/2.json:1:1: error: release: %s\n",
			 cases[i].want);
		if (strcmp(got, want))
			print_error("case %zu\n", i);
		assert_string_equal(got, want);
		free(got);
	}
	/* a summary is site.md's, no longer than a front-matter value */
	char *lots = tc_xcalloc(8194, 1);
	memset(lots, 'a', 8193);
	json_t *r = json_deep_copy(good);
	json_object_set_new(r, "summary", json_string(lots));
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	free(lots);
	got = release_errors();
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: "
				 "\"summary\" is longer than 8192 bytes "
				 "(site.md's summary, which it is, cannot be "
				 "longer)\n");
	free(got);
	json_decref(good);
	leave_tmpdir(cwd, dir);
}

/* Sets the value at path of each of doc's comma-separated paths (a JSON
 * text): the words a translation changes. */
static void set_at(json_t *doc, const char *paths, const char *key,
		   const char *value)
{
	char list[256];
	snprintf(list, sizeof list, "%s", paths);
	for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
		json_t *o = at(doc, p);
		assert_non_null(o);
		json_object_set_new(o, key,
				    json_loads(value, JSON_DECODE_ANY, NULL));
	}
}

/* Issue 28: a release freezes each other language's data set and tom
 * beside the original's ("translations"), each checked as the original's
 * is, with the original's marks (status, responsibility and label of every
 * cell but free text): a translation that says another thing than the
 * original is refused at its JSON path. Its digest is of its tom as
 * published. A release without translations (2026.1.json, made before)
 * loads as it did. While the content's version is released, a change to a
 * frozen translation is refused like a change to the content. */
static void release_translations(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_diags *d = tc_diags_new();
	tc_model *m = load(d);
	assert_non_null(m);
	json_t *tom = tc_export_json(m, tc_lang_default());
	/* the German words: every text, name and title, marks kept */
	json_t *data = tc_release_data(m);
	tc_release_lang de = {"de", json_deep_copy(data), json_deep_copy(tom),
			      ""};
	json_decref(data);
#define M0 "categories[0].measures[0]"
	set_at(de.data, "categories[0]", "title", "\"Alpha (de)\"");
	set_at(de.tom, "categories[0]", "title", "\"Alpha (de)\"");
	set_at(de.data, M0 "," M0 ".cells.box", "text", "\"Eins\"");
	set_at(de.tom, M0, "text", "\"Eins\"");
	set_at(de.data, "scopes[0]", "name", "\"Kiste\"");
	set_at(de.tom, "scopes[0]", "name", "\"Kiste\"");
	json_object_del(at(de.data, M0 ".cells.box"), "text");
	/* a translation with another mark is not written */
	tc_release_lang bad = {"de", json_deep_copy(de.data),
			       json_deep_copy(de.tom), ""};
	set_at(bad.data, M0 ".cells.box", "status", "\"client\"");
	set_at(bad.tom, M0 ".cells.box", "status", "\"client\"");
	assert_int_equal(tc_release_write("c", m, tom, &bad, 1, d), -1);
	char *got = diags_text(d);
	assert_string_equal(
	    got, "c/releases/2.json:1:1: error: release: \"translations.de."
		 "data." M0 ".cells.box.status\" is 'client' where the "
		 "original has 'provided'\n");
	free(got);
	assert_int_equal(access("c/releases/2.json", F_OK), -1);
	json_decref(bad.data);
	json_decref(bad.tom);
	tc_diags_free(d);
	d = tc_diags_new();
	assert_int_equal(tc_release_write("c", m, tom, &de, 1, d), 0);
	assert_int_equal(tc_diags_count(d), 0);
	json_t *good = json_load_file("c/releases/2.json", 0, NULL);
	assert_non_null(good);
	assert_true(json_equal(at(good, "translations.de.data"), de.data));
	/* it loads, with the translation's digest of its tom as published */
	tc_releases r;
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].ntr, 1);
	const tc_release_lang *fz = tc_release_lang_find(&r.v[0], "de");
	assert_non_null(fz);
	assert_null(tc_release_lang_find(&r.v[0], "fr"));
	size_t len;
	char *text = tc_export_text(de.tom, &len), hex[65];
	tc_sha256_hex(text, len, hex);
	free(text);
	assert_string_equal(fz->sha256, hex);
	assert_string_not_equal(fz->sha256, r.v[0].sha256);
	/* the content's version is released with this translation: the same
	 * words pass, others are refused; the original's language cannot be
	 * a translation */
	assert_int_equal(tc_release_check_lang(&r, m, "de", de.data, d), 0);
	assert_int_equal(tc_release_check_lang(&r, m, "fr", tom, d), 0);
	set_at(de.data, "categories[0]", "title", "\"Alpha (neu)\"");
	assert_int_equal(tc_release_check_lang(&r, m, "de", de.data, d), 1);
	got = diags_text(d);
	assert_string_equal(
	    got, "c/site.md:4:1: error: the translation into de differs from "
		 "release 2 (c/releases/2.json, \"translations.de\"): bump the "
		 "version, then run `tc-gen release`\n");
	free(got);
	tc_releases_free(&r);
	tc_diags_free(d);
	d = tc_diags_new();
	json_t *en = json_deep_copy(good);
	json_object_set(at(en, "translations"), "en",
			at(good, "translations.de"));
	json_object_del(at(en, "translations"), "de");
	json_dump_file(en, "c/releases/2.json", 0);
	json_decref(en);
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	data = tc_release_data(m);
	assert_int_equal(tc_releases_check(&r, m, data, d), 1);
	got = diags_text(d);
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: "
				 "\"translations.en\" is the content's own "
				 "language (c/site.md's first language), whose "
				 "data set is \"data\"\n");
	free(got);
	json_decref(data);
	tc_releases_free(&r);
	/* a release made before translations were frozen: no translation,
	 * no comparison */
	tc_diags_free(d);
	d = tc_diags_new();
	json_t *old = json_deep_copy(good);
	json_object_del(old, "translations");
	json_dump_file(old, "c/releases/2.json", 0);
	json_decref(old);
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	assert_int_equal(r.v[0].ntr, 0);
	assert_int_equal(tc_release_check_lang(&r, m, "de", de.data, d), 0);
	tc_releases_free(&r);
	json_decref(de.data);
	json_decref(de.tom);
	json_decref(tom);
	tc_model_free(m);
	tc_diags_free(d);
#define T "translations.de."
	static const struct {
		const char *paths, *key, *value, *want;
	} cases[] = {
	    {".", "translations", "[]",
	     "\"translations\" must be an object {\"<language>\": {\"data\", "
	     "\"tom\"}}"},
	    {".", "translations",
	     "{\"aa\":1,\"bb\":1,\"cc\":1,\"dd\":1,\"ee\":1,\"ff\":1,\"gg\":1,"
	     "\"hh\":1}",
	     "\"translations\" has more than 7 languages, the translations "
	     "site.md may have"},
	    {"translations", "DE", "{}",
	     "\"translations.DE\" is not a language (two lower-case letters, "
	     "as site.md's languages)"},
	    {"translations", "deu", "{}",
	     "\"translations.deu\" is not a language (two lower-case letters, "
	     "as site.md's languages)"},
	    {"translations.de", "tom", NULL,
	     "\"translations.de\" must be an object {\"data\", \"tom\"}"},
	    {"translations.de", "extra", "1",
	     "\"translations.de\" must be an object {\"data\", \"tom\"}"},
	    {"translations", "fr", "7",
	     "\"translations.fr\" must be an object {\"data\", \"tom\"}"},
	    /* its values by the rules of the original's */
	    {T "data.scopes[0]," T "tom.scopes[0]", "id", "\"Box\"",
	     "\"" T "data.scopes[0].id\" 'Box' is not an ID (lower-case "
	     "letters, digits and '-')"},
	    {T "data." M0 ".cells.box", "note", NULL,
	     "\"" T "data." M0 ".cells.box.note\" must be a string"},
	    /* the marks: status, responsibility, label, the same cells,
	     * measures, categories and scopes */
	    {T "data." M0 ".cells.box," T "tom." M0 ".cells.box", "status",
	     "\"client\"",
	     "\"" T "data." M0 ".cells.box.status\" is 'client' where the "
	     "original has 'provided'"},
	    {T "data." M0 ".cells.rack," T "tom." M0 ".cells.rack",
	     "responsibility", "\"provider\"",
	     "\"" T "data." M0 ".cells.rack.responsibility\" is 'provider' "
	     "where the original has 'client'"},
	    {T "data." M0 ".cells.rack," T "tom." M0 ".cells.rack", "label",
	     "\"Sache des Kunden\"",
	     "\"" T "data." M0 ".cells.rack.label\" is 'Sache des Kunden' "
	     "where the original has 'Client's responsibility'"},
	    {T "data." M0 ".cells," T "tom." M0 ".cells", "rack", NULL,
	     "\"" T "data." M0 ".cells\" has other cells than the original"},
	    {T "data." M0 "," T "tom." M0, "id", "\"ALP-3\"",
	     "\"" T "data." M0 ".id\" is 'ALP-3' where the original has "
	     "'ALP-1'"},
	    {T "data.categories[0]," T "tom.categories[0]", "measures", "[]",
	     "\"" T "data.categories[0].measures\" has other measures than "
	     "the original"},
	    {T "data.categories[0]," T "tom.categories[0]", "id", "\"beta\"",
	     "\"" T "data.categories[0].id\" is 'beta' where the original has "
	     "'alpha'"},
	    {T "data," T "tom", "categories", "[]",
	     "\"" T "data.categories\" has other categories than the "
	     "original"},
	    {T "data.scopes[1]," T "tom.scopes[1]", "kind", "\"site\"",
	     "\"" T "data.scopes[1].kind\" is 'site' where the original has "
	     "'product'"},
	    {T "data.scopes," T "tom.scopes", "+",
	     "{\"id\":\"site\",\"name\":\"Ort\",\"kind\":\"site\"}",
	     "\"" T "data.scopes\" has other scopes than the original"},
	    /* its tom says what its data set says */
	    {T "tom." M0, "text", "\"Eins!\"",
	     "\"" T "tom." M0 ".text\" is 'Eins!' where the data set has "
	     "'Eins'"},
	    {T "tom", "date", "\"2026-01-01\"",
	     "\"" T "tom.date\" must be the release's date, 2026-02-01"},
	};
#undef T
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		edit_release(good, cases[i].paths, cases[i].key,
			     cases[i].value);
		got = release_errors();
		char want[1024];
		snprintf(want, sizeof want,
			 "c/releases/2.json:1:1: error: release: %s\n",
			 cases[i].want);
		if (strcmp(got, want))
			print_error("case %zu\n", i);
		assert_string_equal(got, want);
		free(got);
	}
	/* free text's label is its words: a translation translates it */
	json_t *ft = json_deep_copy(good);
	const char *sides[] = {"data", "tom", "translations.de.data",
			       "translations.de.tom"};
	for (size_t i = 0; i < 4; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s." M0 ".cells.box", sides[i]);
		json_t *c = at(ft, p);
		json_object_set_new(c, "status", json_string("other"));
		json_object_set_new(
		    c, "label", json_string(i < 2 ? "Weekly" : "Wöchentlich"));
	}
	json_dump_file(ft, "c/releases/2.json", 0);
	json_decref(ft);
	got = release_errors();
	assert_string_equal(got, "");
	free(got);
#undef M0
	json_decref(good);
	leave_tmpdir(cwd, dir);
}

/* Every file of releases/ is a release or an error (issue 22: these were
 * skipped in silence, and a version index.html collided with
 * versions/index.html); the name is checked before the file is read. */
static void release_file_names(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	static const struct {
		const char *name, *want;
	} cases[] = {
	    {"2026.0.JSON", "not a release: the files of releases/ are "
			    "<version>.json, written by `tc-gen release`"},
	    {"README", "not a release: the files of releases/ are "
		       "<version>.json, written by `tc-gen release`"},
	    {".json", "not a release: the files of releases/ are "
		      "<version>.json, written by `tc-gen release`"},
	    {".x.json", "release: the version (the file's name) must be 1 to "
			"40 letters, digits, '.', '-' and '_', starting with "
			"a letter or digit (it is part of URLs)"},
	    {"..json", "release: the version (the file's name) must be 1 to "
		       "40 letters, digits, '.', '-' and '_', starting with a "
		       "letter or digit (it is part of URLs)"},
	    {"index.html.json",
	     "release: the version (the file's name) is the name of a file "
	     "of the site (versions/index.html): choose another"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_rmtree("c");
		char path[64], want[512];
		snprintf(path, sizeof path, "c/releases/%s", cases[i].name);
		put_file(path, "{}");
		snprintf(want, sizeof want, "%s: error: %s\n", path,
			 cases[i].want);
		char *got = release_errors();
		if (strcmp(got, want))
			print_error("case %zu\n", i);
		assert_string_equal(got, want);
		free(got);
	}
	/* a folder is no release either */
	tc_rmtree("c");
	assert_int_equal(tc_mkdirs("c/releases/1.json"), 0);
	char *got = release_errors();
	assert_string_equal(got, "c/releases/1.json: error: not a regular "
				 "file\n");
	free(got);
	leave_tmpdir(cwd, dir);
}

/* A file of size bytes at path: a hole, read as NULs, cheap to make. */
static void sparse(const char *path, off_t size)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), size), 0);
	fclose(f);
}

/* Issue 22: a 105 MB release cost 2.86 GB and 68 s, and a 20 MB summary
 * was held by every tc-search worker. Each limit is an error before
 * jansson builds a value, at the position where the scan passed it. */
static void release_limits(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(tc_mkdirs("c/releases"), 0);
	sparse("c/releases/1.json", TC_MAX_RELEASE_BYTES + 1);
	char *got = release_errors();
	assert_string_equal(got, "c/releases/1.json: error: file is larger "
				 "than 134217728 bytes, the limit for a "
				 "source\n");
	free(got);
	/* all of them: counted before a file is read */
	sparse("c/releases/1.json", TC_MAX_RELEASE_BYTES);
	sparse("c/releases/2.json", TC_MAX_RELEASE_BYTES);
	sparse("c/releases/3.json", 1);
	got = release_errors();
	assert_string_equal(
	    got, "c/releases/1.json:1:1: error: release is not valid JSON: "
		 "'[' or '{' expected near end of file\n"
		 "c/releases/2.json:1:1: error: release is not valid JSON: "
		 "'[' or '{' expected near end of file\n"
		 "c/releases/3.json: error: the releases are larger than "
		 "268435456 bytes with this file\n");
	free(got);
	tc_rmtree("c");
	/* values: an empty object is ~230 bytes of jansson's, a number 60;
	 * 12.6 MB of "{}," took 968 MB */
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "{\"v\": [\n");
	for (size_t i = 0; i < TC_MAX_RELEASE_CONTAINERS; i++)
		tc_buf_puts(&b, "{},");
	tc_buf_puts(&b, "{}]}");
	put_file("c/releases/1.json", tc_buf_cstr(&b));
	got = release_errors();
	assert_string_equal(got, "c/releases/1.json:2:3145723: error: "
				 "release: more than 1048576 objects and "
				 "arrays, the limit for a release\n");
	free(got);
	tc_buf_clear(&b);
	tc_buf_puts(&b, "{\"v\": [\n");
	for (size_t i = 0; i < TC_MAX_RELEASE_VALUES; i++)
		tc_buf_puts(&b, "0,");
	tc_buf_puts(&b, "0]}");
	put_file("c/releases/1.json", tc_buf_cstr(&b));
	got = release_errors();
	assert_string_equal(got, "c/releases/1.json:2:8388604: error: "
				 "release: more than 4194304 values (objects, "
				 "arrays and their members), the limit for a "
				 "release\n");
	free(got);
	/* a string, as written */
	tc_buf_clear(&b);
	tc_buf_puts(&b, "{\"version\": \"1\",\n \"summary\": \"");
	for (size_t i = 0; i <= TC_MAX_RELEASE_STRING_BYTES / 6; i++)
		tc_buf_puts(&b, "\\u00e9");
	tc_buf_puts(&b, "\"}");
	put_file("c/releases/1.json", tc_buf_cstr(&b));
	tc_buf_free(&b);
	got = release_errors();
	assert_string_equal(got, "c/releases/1.json:2:13: error: release: a "
				 "string longer than 4194304 bytes\n");
	free(got);
	leave_tmpdir(cwd, dir);
}

static json_t *cells(const char *box, const char *rbox)
{
	return json_pack("{s:{s:s, s:s, s:s, s:s}}", "box", "status", box,
			 "responsibility", rbox, "label", "✓", "note", "");
}

static json_t *data_set(json_t *measures)
{
	return json_pack("{s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:o}]}", "scopes",
			 "id", "box", "name", "Box", "kind", "product",
			 "categories", "id", "a", "title", "A", "measures",
			 measures);
}

static void changes_between(void **state)
{
	(void)state;
	json_t *a = data_set(json_pack(
	    "[{s:s, s:s, s:o}, {s:s, s:s, s:o}]", "id", "A-1", "text", "One",
	    "cells", cells("provided", "provider"), "id", "A-2", "text", "Two",
	    "cells", cells("provided", "provider")));
	json_t *b = data_set(json_pack(
	    "[{s:s, s:s, s:o}, {s:s, s:s, s:o}]", "id", "A-1", "text", "One!",
	    "cells", cells("provided", "provider"), "id", "A-3", "text",
	    "Three", "cells", cells("client", "client")));
	json_t *c = tc_changes_between(tc_lang_default(), a, b);
	tc_buf got = TC_BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach (c, i, x)
		tc_buf_printf(&got, "%s %s %s|",
			      json_string_value(json_object_get(x, "kind")),
			      json_string_value(json_object_get(x, "measure")),
			      json_string_value(json_object_get(x, "words")));
	assert_string_equal(tc_buf_cstr(&got),
			    "measure-reworded A-1 Reworded|measure-added A-3 "
			    "New measure|measure-removed A-2 Measure removed|");
	tc_buf_free(&got);
	json_decref(c);
	/* a move to the client comes first */
	json_t *m = json_object_get(
	    json_array_get(
		json_object_get(
		    json_array_get(json_object_get(b, "categories"), 0),
		    "measures"),
		0),
	    "cells");
	json_object_set_new(m, "box",
			    json_pack("{s:s, s:s, s:s, s:s}", "status",
				      "client", "responsibility", "client",
				      "label", "✓", "note", ""));
	c = tc_changes_between(tc_lang_default(), a, b);
	x = json_array_get(c, 0);
	assert_string_equal(json_string_value(json_object_get(x, "move")),
			    "to-client");
	assert_string_equal(json_string_value(json_object_get(x, "words")),
			    "Becomes your job");
	json_decref(c);
	c = tc_changes_between(tc_lang_default(), NULL, b);
	assert_int_equal(json_array_size(c), 0);
	json_decref(c);
	/* the first release has no changes; since filters and refuses */
	json_t *doc = json_pack(
	    "{s:i, s:[{s:s, s:s, s:s, s:b, s:s, s:[]}, {s:s, s:s, s:s, s:b, "
	    "s:n, s:[]}]}",
	    "schema_version", 1, "releases", "version", "2", "date",
	    "2026-02-01", "summary", "", "released", 1, "previous", "1",
	    "changes", "version", "1", "date", "2026-01-01", "summary", "",
	    "released", 1, "previous", "changes");
	tc_buf err = TC_BUF_INIT;
	tc_changeset *cs = tc_changeset_from_json(doc, &err);
	assert_non_null(cs);
	tc_changeset *s = tc_changes_since(cs, "1", NULL, &err);
	assert_int_equal(s->n, 1);
	tc_changeset_free(s);
	assert_null(tc_changes_since(cs, "0", NULL, &err));
	tc_changeset_free(cs);
	assert_string_equal(tc_buf_cstr(&err),
			    "unknown version '0'; known versions: 2, 1");
	tc_buf_free(&err);
	json_decref(doc);
	json_decref(a);
	json_decref(b);
}

/* ---- subprocessors in releases ---- */

/* site.md with a notice period and a contact to object to. */
static const char *SITE_SUBS =
    "---\norganisation: Org\ntitle: TC\nversion: \"%s\"\ndate: \"%s\"\n"
    "summary: \"Two.\"\nsubprocessor_notice_days: 30\ncontact:\n  "
    "security: \"mailto:s@example.test\"\n  dpo_contact: "
    "\"mailto:d@example.test\"\n---\n";

/* One subprocessor of subprocessors.md, serving box. */
static void put_sub(tc_buf *b, const char *id, const char *country,
		    const char *extra)
{
	tc_buf_printf(b,
		      "  - id: %s\n    name: N %s\n    entity: E\n    address: "
		      "A\n    country: %s\n    purpose: P\n    products: "
		      "[box]\n    transfer: eu-eea\n%s",
		      id, id, country, extra);
}

/* load() with site.md's notice and contact, and subprocessors.md of
 * subs (a list's items; NULL: no file), at version and date. */
static tc_model *load_subs(tc_diags *d, const char *version, const char *date,
			   const char *subs)
{
	tc_buf site = TC_BUF_INIT;
	tc_buf_printf(&site, SITE_SUBS, version, date);
	put_file("c/site.md", tc_buf_cstr(&site));
	tc_buf_free(&site);
	put_file("c/scopes.md", SCOPES);
	put_file("c/categories/01-alpha.md", CAT);
	unlink("c/subprocessors.md");
	if (subs) {
		tc_buf f = TC_BUF_INIT;
		tc_buf_printf(&f, "---\nsubprocessors:\n%s---\n", subs);
		put_file("c/subprocessors.md", tc_buf_cstr(&f));
		tc_buf_free(&f);
	}
	return tc_content_load("c", d);
}

/* Releases the content of load_subs; returns the diagnostics so far. */
static void release_subs(const char *version, const char *date,
			 const char *subs)
{
	tc_diags *d = tc_diags_new();
	tc_model *m = load_subs(d, version, date, subs);
	if (!m) {
		char *t = diags_text(d);
		print_error("%s", t);
		free(t);
	}
	assert_non_null(m);
	json_t *tom = tc_export_json(m, tc_lang_default());
	assert_int_equal(tc_release_write("c", m, tom, NULL, 0, d), 0);
	json_decref(tom);
	tc_model_free(m);
	tc_diags_free(d);
}

/* The checks of the content against the releases, as text. */
static char *check_errors(const char *version, const char *date,
			  const char *subs)
{
	tc_diags *d = tc_diags_new();
	tc_model *m = load_subs(d, version, date, subs);
	char *t = diags_text(d);
	if (*t || !m) {
		tc_model_free(m);
		tc_diags_free(d);
		return t;
	}
	free(t);
	tc_releases r;
	tc_releases_load("c", &r, d);
	json_t *data = tc_release_data(m);
	tc_releases_check(&r, m, data, d);
	json_decref(data);
	tc_releases_free(&r);
	tc_model_free(m);
	t = diags_text(d);
	tc_diags_free(d);
	return t;
}

/* A release keeps the subprocessor list as its own part, every value
 * checked by subprocessors.md's rules; a release without the part (of
 * before the lists were kept) loads and has none. */
static void release_subprocessors(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_buf subs = TC_BUF_INIT;
	put_sub(&subs, "mailer", "DE", "    since: \"2025-01-01\"\n");
	release_subs("2", "2026-02-01", tc_buf_cstr(&subs));
	json_t *good = json_load_file("c/releases/2.json", 0, NULL);
	assert_non_null(good);
	char *got = release_errors();
	assert_string_equal(got, "");
	free(got);
	char *text = json_dumps(at(good, "subprocessors"), JSON_COMPACT);
	assert_string_equal(
	    text, "{\"notice_days\":30,\"list\":[{\"id\":\"mailer\",\"name\":"
		  "\"N mailer\",\"entity\":\"E\",\"address\":\"A\",\"country\":"
		  "\"DE\",\"purpose\":\"P\",\"products\":[\"box\"],"
		  "\"transfer\":\"eu-eea\",\"since\":\"2025-01-01\","
		  "\"announced\":null,\"until\":null}]}");
	free(text);
#define S0 "subprocessors.list[0]"
	static const struct {
		const char *paths, *key, *value, *want;
	} cases[] = {
	    {"subprocessors", "more", "1",
	     "\"subprocessors\" must be an object {\"notice_days\", "
	     "\"list\"}"},
	    {"subprocessors", "notice_days", "-1",
	     "\"subprocessors.notice_days\" must be null or a number of days "
	     "from 0 to 3650"},
	    {"subprocessors", "notice_days", "3651",
	     "\"subprocessors.notice_days\" must be null or a number of days "
	     "from 0 to 3650"},
	    {"subprocessors", "notice_days", "\"30\"",
	     "\"subprocessors.notice_days\" must be null or a number of days "
	     "from 0 to 3650"},
	    {"subprocessors", "list", "{}",
	     "\"subprocessors.list\" must be an array"},
	    {"subprocessors.list", "+", "[]",
	     "\"subprocessors.list[1]\" must be an object (a subprocessor)"},
	    {S0, "id", "\"../x\"",
	     "\"" S0 ".id\" '../x' is not an ID (lower-case letters, digits "
	     "and '-')"},
	    {S0, "id", "7", "\"" S0 ".id\" must be a string"},
	    {S0, "colour", "\"red\"",
	     "\"" S0 ".colour\" is not a field of a subprocessor"},
	    {S0, "name", "\"\"", "\"" S0 ".name\" must not be empty"},
	    {S0, "entity", NULL, "\"" S0 ".entity\" must be a string"},
	    {S0, "purpose", "[]", "\"" S0 ".purpose\" must be a string"},
	    {S0, "country", "\"XX\"",
	     "\"" S0 ".country\" 'XX' is not an ISO 3166-1 alpha-2 code"},
	    {S0, "country", "\"de\"",
	     "\"" S0 ".country\" 'de' is not an ISO 3166-1 alpha-2 code"},
	    {S0, "transfer", "\"bcr\"",
	     "\"" S0 ".transfer\" 'bcr' is not a transfer basis (eu-eea, "
	     "adequacy, scc)"},
	    {S0, "products", "[]", "\"" S0 ".products\" must name a product"},
	    {S0, "products", "\"box\"", "\"" S0 ".products\" must be an array"},
	    {S0, "products", "[\"site\"]",
	     "\"" S0 ".products[0]\" 'site' is not a product of the data set"},
	    {S0, "products", "[\"box\", 1]",
	     "\"" S0 ".products[1]\" must be a string"},
	    {S0, "products", "[\"box\", \"rack\", \"box\"]",
	     "\"" S0 ".products[2]\" 'box' is there twice"},
	    {S0, "since", "\"2025-02-30\"",
	     "\"" S0 ".since\" must be a date of the form YYYY-MM-DD"},
	    {S0, "since", "null",
	     "\"" S0 ".since\" must be a date of the form YYYY-MM-DD"},
	    {S0, "until", "\"soon\"",
	     "\"" S0 ".until\" must be a date of the form YYYY-MM-DD or null"},
	    {S0, "announced", NULL,
	     "\"" S0 ".announced\" must be a date of the form YYYY-MM-DD or "
	     "null"},
	    {S0, "announced", "\"2025-02-01\"",
	     "\"" S0 ".announced\" 2025-02-01 is after since 2025-01-01"},
	    {S0, "until", "\"2024-12-31\"",
	     "\"" S0 ".until\" 2024-12-31 is before since 2025-01-01"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		edit_release(good, cases[i].paths, cases[i].key,
			     cases[i].value);
		got = release_errors();
		char want[1024];
		snprintf(want, sizeof want,
			 "c/releases/2.json:1:1: error: release: %s\n",
			 cases[i].want);
		if (strcmp(got, want))
			print_error("case %zu\n", i);
		assert_string_equal(got, want);
		free(got);
	}
	/* the part is an object */
	json_t *r = json_deep_copy(good);
	json_object_set_new(r, "subprocessors", json_array());
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	got = release_errors();
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: "
				 "\"subprocessors\" must be an object "
				 "{\"notice_days\", \"list\"}\n");
	free(got);
	/* announced after the release: the content's date bounds it */
	r = json_deep_copy(good);
	json_object_set_new(at(r, S0), "since", json_string("2026-06-01"));
	json_object_set_new(at(r, S0), "announced", json_string("2026-03-01"));
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	got = release_errors();
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: \"" S0
				 ".announced\" 2026-03-01 is after the "
				 "release's date 2026-02-01\n");
	free(got);
	/* a value no longer than subprocessors.md's */
	char *lots = tc_xcalloc(8194, 1);
	memset(lots, 'a', 8193);
	r = json_deep_copy(good);
	json_object_set_new(at(r, S0), "address", json_string(lots));
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	free(lots);
	got = release_errors();
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: \"" S0
				 ".address\" is longer than 8192 bytes "
				 "(subprocessors.md's values cannot be "
				 "longer)\n");
	free(got);
	/* at most the entries subprocessors.md may hold */
	r = json_deep_copy(good);
	for (size_t i = 0; i < 1000; i++)
		json_array_append(at(r, "subprocessors.list"), at(good, S0));
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	got = release_errors();
	assert_string_equal(got, "c/releases/2.json:1:1: error: release: "
				 "\"subprocessors.list\" has more than 1000 "
				 "entries, the limit of subprocessors.md\n");
	free(got);
#undef S0
	/* a release of before the lists were kept loads, without one */
	r = json_deep_copy(good);
	json_object_del(r, "subprocessors");
	json_dump_file(r, "c/releases/2.json", 0);
	json_decref(r);
	tc_diags *d = tc_diags_new();
	tc_releases rs;
	assert_int_equal(tc_releases_load("c", &rs, d), 0);
	assert_int_equal(rs.n, 1);
	assert_null(rs.v[0].subs);
	tc_releases_free(&rs);
	tc_diags_free(d);
	/* ... and the content's list is not compared with it */
	got = check_errors("2", "2026-02-01", tc_buf_cstr(&subs));
	assert_string_equal(got, "");
	free(got);
	json_decref(good);
	tc_buf_free(&subs);
	leave_tmpdir(cwd, dir);
}

/* The content against the releases' lists: a released version's list is
 * frozen; an addition is announced by the first release that lists it
 * (issue 23: a customer can object only to what was published). */
static void release_sub_history(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	tc_buf one = TC_BUF_INIT;
	put_sub(&one, "mailer", "DE", "    since: \"2025-01-01\"\n");
	release_subs("1", "2025-06-01", tc_buf_cstr(&one));
	/* the released version's list cannot change under it */
	tc_buf moved = TC_BUF_INIT;
	put_sub(&moved, "mailer", "FI", "    since: \"2025-01-01\"\n");
	char *got = check_errors("1", "2025-06-01", tc_buf_cstr(&moved));
	assert_string_equal(got, "c/site.md:4:1: error: the subprocessors "
				 "differ from release 1 (c/releases/1.json): "
				 "bump the version, then run `tc-gen "
				 "release`\n");
	free(got);
	/* the notice period is part of it */
	got = check_errors("1", "2025-06-01", NULL);
	assert_string_equal(got, "c/site.md:4:1: error: the subprocessors "
				 "differ from release 1 (c/releases/1.json): "
				 "bump the version, then run `tc-gen "
				 "release`\n");
	free(got);
	/* release 2 adds cdn, 35 days after its date: enough */
	tc_buf two = TC_BUF_INIT;
	tc_buf_puts(&two, tc_buf_cstr(&one));
	put_sub(&two, "cdn", "FI", "    since: \"2025-12-05\"\n");
	release_subs("2", "2025-10-31", tc_buf_cstr(&two));
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&two));
	assert_string_equal(got, "");
	free(got);
	/* announced before release 2, the first to list it: backdated */
	tc_buf back = TC_BUF_INIT;
	tc_buf_puts(&back, tc_buf_cstr(&one));
	put_sub(&back, "cdn", "FI",
		"    since: \"2025-12-05\"\n    announced: \"2025-10-01\"\n");
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&back));
	assert_string_equal(got, "c/subprocessors.md:21:5: error: "
				 "subprocessor 'cdn' is announced 2025-10-01, "
				 "but release 2 of 2025-10-31 is the first to "
				 "list it (1 is not): announced is 2025-10-31 "
				 "or later\n");
	free(got);
	/* since moved earlier than release 2's notice allows */
	tc_buf early = TC_BUF_INIT;
	tc_buf_puts(&early, tc_buf_cstr(&one));
	put_sub(&early, "cdn", "FI", "    since: \"2025-11-20\"\n");
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&early));
	assert_string_equal(got, "c/subprocessors.md:20:5: error: "
				 "subprocessor 'cdn' is added on 2025-11-20, "
				 "20 days after release 2 announced it "
				 "(2025-10-31), fewer than its notice period "
				 "of 30 days: since must be 2025-11-30 or "
				 "later\n");
	free(got);
	/* listed by no release yet: the content's version announces it,
	 * on its date; one already in use is added without notice */
	tc_buf late = TC_BUF_INIT;
	tc_buf_puts(&late, tc_buf_cstr(&two));
	put_sub(&late, "backup", "FI",
		"    since: \"2026-01-01\"\n    announced: \"2025-12-01\"\n");
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&late));
	assert_string_equal(got, "c/subprocessors.md:30:5: error: "
				 "subprocessor 'backup' is announced "
				 "2025-12-01, but no release lists it (2 is "
				 "the last): version 3 announces it on "
				 "2026-01-10; give that date or leave "
				 "announced out\n");
	free(got);
	tc_buf_clear(&late);
	tc_buf_puts(&late, tc_buf_cstr(&two));
	put_sub(&late, "backup", "FI", "    since: \"2026-01-01\"\n");
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&late));
	assert_string_equal(got, "c/subprocessors.md:29:5: error: "
				 "subprocessor 'backup' is added on "
				 "2026-01-01, 9 days before version 3 "
				 "announced it (2026-01-10), fewer than its "
				 "notice period of 30 days: since must be "
				 "2026-02-09 or later\n");
	free(got);
	/* one still to come is trust.c's to report, once */
	tc_buf_clear(&late);
	tc_buf_puts(&late, tc_buf_cstr(&two));
	put_sub(&late, "backup", "FI", "    since: \"2026-01-20\"\n");
	got = check_errors("3", "2026-01-10", tc_buf_cstr(&late));
	assert_string_equal(got, "c/subprocessors.md:29:5: error: "
				 "subprocessor 'backup' is added on "
				 "2026-01-20, 10 days after it is announced "
				 "(2026-01-10), fewer than the notice period "
				 "of 30 days (site.md "
				 "subprocessor_notice_days): move since to "
				 "2026-02-09 or later\n");
	free(got);
	tc_buf_free(&one);
	tc_buf_free(&moved);
	tc_buf_free(&two);
	tc_buf_free(&back);
	tc_buf_free(&early);
	tc_buf_free(&late);
	leave_tmpdir(cwd, dir);
}

/* What changed in the list between two releases: each change names the
 * products it concerns, and an addition the day to object by. */
static void sub_changes(void **state)
{
	(void)state;
	json_t *da = data_set(json_array()), *db = data_set(json_array());
	const char *sa =
	    "{\"notice_days\": 30, \"list\": ["
	    "{\"id\": \"mailer\", \"name\": \"Mailer\", \"entity\": \"M\", "
	    "\"address\": \"A\", \"country\": \"DE\", \"purpose\": \"Mail\", "
	    "\"products\": [\"box\"], \"transfer\": \"eu-eea\", \"since\": "
	    "\"2025-01-01\", \"announced\": null, \"until\": null},"
	    "{\"id\": \"old\", \"name\": \"Old\", \"entity\": \"O\", "
	    "\"address\": \"A\", \"country\": \"DE\", \"purpose\": \"Old\", "
	    "\"products\": [\"rack\"], \"transfer\": \"eu-eea\", \"since\": "
	    "\"2025-01-01\", \"announced\": null, \"until\": null},"
	    "{\"id\": \"ends\", \"name\": \"Ends\", \"entity\": \"E\", "
	    "\"address\": \"A\", \"country\": \"DE\", \"purpose\": \"E\", "
	    "\"products\": [\"box\"], \"transfer\": \"eu-eea\", \"since\": "
	    "\"2025-01-01\", \"announced\": null, \"until\": null}]}";
	const char *sb =
	    "{\"notice_days\": 30, \"list\": ["
	    "{\"id\": \"mailer\", \"name\": \"Mailer\", \"entity\": \"M\", "
	    "\"address\": \"A\", \"country\": \"US\", \"purpose\": \"Mail\", "
	    "\"products\": [\"box\", \"rack\"], \"transfer\": \"scc\", "
	    "\"since\": \"2025-01-01\", \"announced\": null, \"until\": null},"
	    "{\"id\": \"ends\", \"name\": \"Ends\", \"entity\": \"E\", "
	    "\"address\": \"A\", \"country\": \"DE\", \"purpose\": \"E\", "
	    "\"products\": [\"box\"], \"transfer\": \"eu-eea\", \"since\": "
	    "\"2025-01-01\", \"announced\": null, \"until\": \"2026-05-31\"},"
	    "{\"id\": \"cdn\", \"name\": \"CDN\", \"entity\": \"C\", "
	    "\"address\": \"A\", \"country\": \"FI\", \"purpose\": \"Cache\", "
	    "\"products\": [\"rack\"], \"transfer\": \"eu-eea\", \"since\": "
	    "\"2026-03-15\", \"announced\": null, \"until\": null}]}";
	json_t *a = json_loads(sa, 0, NULL), *b = json_loads(sb, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	json_t *out = json_array();
	tc_changes_subs(tc_lang_default(), a, b, da, db, "2026-02-01", out);
	tc_buf got = TC_BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach (out, i, x) {
		char *p =
		    json_dumps(json_object_get(x, "products"), JSON_COMPACT);
		char *f =
		    json_dumps(json_object_get(x, "fields"), JSON_COMPACT);
		tc_buf_printf(
		    &got, "%s %s %s %s %s eff=%s ann=%s by=%s|\n",
		    json_string_value(json_object_get(x, "kind")),
		    json_string_value(json_object_get(x, "subprocessor")), p, f,
		    json_string_value(json_object_get(x, "words")),
		    json_string_value(json_object_get(x, "effective")),
		    json_string_value(json_object_get(x, "announced")),
		    json_string_value(json_object_get(x, "object_by")));
		free(p);
		free(f);
	}
	assert_string_equal(
	    tc_buf_cstr(&got),
	    "subprocessor-changed mailer [\"box\",\"rack\"] "
	    "[\"country\",\"products\",\"transfer\"] Changed: Country of "
	    "processing, Products, Transfer basis eff=(null) ann=(null) "
	    "by=(null)|\n"
	    "subprocessor-ending ends [\"box\"] [] In use until 2026-05-31 "
	    "eff=2026-05-31 ann=(null) by=(null)|\n"
	    "subprocessor-added cdn [\"rack\"] [] New subprocessor from "
	    "2026-03-15 eff=2026-03-15 ann=2026-02-01 by=2026-03-14|\n"
	    "subprocessor-removed old [\"rack\"] [] No longer listed "
	    "eff=(null) ann=(null) by=(null)|\n");
	/* the words of the step: country and product names */
	x = json_array_get(out, 0);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(x, "after"), "country_name")),
			    "United States");
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(json_object_get(x, "after"), "product_names"),
		0)),
	    "Box");
	/* the view: one row per changed field, before and after */
	tc_arena *ar = tc_arena_new(4096);
	json_t *step = json_pack(
	    "{s:i, s:[{s:s, s:s, s:s, s:b, s:s, s:O}]}", "schema_version", 1,
	    "releases", "version", "2", "date", "2026-02-01", "summary", "",
	    "released", 1, "previous", "1", "changes", out);
	tc_buf serr = TC_BUF_INIT;
	tc_changeset *scs = tc_changeset_from_json(step, &serr);
	assert_non_null(scs);
	tc_val *v =
	    tc_changes_view(ar, tc_lang_default(), &scs->steps[0], NULL, NULL);
	const tc_val *subs = tc_val_get(v, "subs");
	assert_int_equal(tc_val_len(subs), 4);
	const tc_val *row =
	    tc_val_at(tc_val_get(tc_val_at(subs, 0), "details"), 2);
	assert_string_equal(tc_val_str_value(tc_val_get(row, "label"), NULL),
			    "Transfer basis");
	assert_string_equal(tc_val_str_value(tc_val_get(row, "before"), NULL),
			    "EU/EEA: no transfer to a third country");
	assert_string_equal(
	    tc_val_str_value(tc_val_get(tc_val_at(subs, 2), "object_by_words"),
			     NULL),
	    "Object by 2026-03-14");
	tc_arena_free(ar);
	tc_changeset_free(scs);
	tc_buf_free(&serr);
	json_decref(step);
	/* a release of before the lists were kept: nothing is compared */
	json_array_clear(out);
	tc_changes_subs(tc_lang_default(), NULL, b, da, db, "2026-02-01", out);
	assert_int_equal(json_array_size(out), 0);
	tc_buf_free(&got);
	json_decref(out);
	json_decref(a);
	json_decref(b);
	json_decref(da);
	json_decref(db);
}

/* Whether measures a and b have cells of the same scopes. */
static bool same_scopes(json_t *a, json_t *b)
{
	json_t *ca = json_object_get(a, "cells"),
	       *cb = json_object_get(b, "cells"), *v;
	const char *k;
	bool same = json_object_size(ca) == json_object_size(cb);
	json_object_foreach (cb, k, v)
		same = same && json_object_get(ca, k);
	return same;
}

/* tc_release_model: each release of tests/fixtures/mini read into the
 * model, its scopes, measures and cells those of its tom, and each value
 * it cannot read refused with its path and why. */
static void release_model(void **state)
{
	(void)state;
	tc_buf dir = TC_BUF_INIT;
	tc_buf_printf(&dir, "%s/tests/fixtures/mini", repo_root());
	tc_diags *d = tc_diags_new();
	tc_releases r;
	assert_int_equal(tc_releases_load(tc_buf_cstr(&dir), &r, d), 0);
	assert_true(r.n >= 2);
	size_t cells = 0;
	for (size_t v = 0; v < r.n; v++) {
		json_t *tom = r.v[v].tom, *s, *c, *me, *cell;
		tc_model *m = tc_release_model(tom, r.v[v].file, d);
		assert_non_null(m);
		json_t *scopes = json_object_get(tom, "scopes");
		assert_int_equal(m->nscopes, json_array_size(scopes));
		size_t i, j;
		json_array_foreach (scopes, i, s) {
			assert_string_equal(
			    m->scopes[i].id,
			    json_string_value(json_object_get(s, "id")));
			assert_string_equal(
			    m->scopes[i].name,
			    json_string_value(json_object_get(s, "name")));
			assert_string_equal(
			    tc_scope_kind_id(m->scopes[i].kind),
			    json_string_value(json_object_get(s, "kind")));
		}
		json_t *cats = json_object_get(tom, "categories");
		assert_int_equal(m->ncategories, json_array_size(cats));
		json_array_foreach (cats, i, c) {
			const tc_category *k = &m->categories[i];
			assert_string_equal(
			    k->id, json_string_value(json_object_get(c, "id")));
			assert_string_equal(
			    k->title,
			    json_string_value(json_object_get(c, "title")));
			json_t *ms = json_object_get(c, "measures");
			assert_int_equal(k->nmeasures, json_array_size(ms));
			json_array_foreach (ms, j, me) {
				const tc_measure *x = &k->measures[j];
				json_t *jc = json_object_get(me, "cells");
				assert_string_equal(
				    x->text_data,
				    json_string_value(
					json_object_get(me, "text")));
				assert_int_equal(k->tables[x->table].nscopes,
						 json_object_size(jc));
				/* a new table where the scopes change */
				assert_int_equal(
				    j && x->table == k->measures[j - 1].table,
				    j && same_scopes(json_array_get(ms, j - 1),
						     me));
				const char *sid;
				json_object_foreach (jc, sid, cell) {
					const tc_scope *sc =
					    tc_model_scope(m, sid);
					assert_non_null(sc);
					const tc_cell *y = tc_cell_for(
					    k, x, (size_t)(sc - m->scopes));
					assert_non_null(y);
					assert_string_equal(
					    tc_status_id(y->status),
					    json_string_value(json_object_get(
						cell, "status")));
					assert_string_equal(
					    tc_resp_id(y->resp),
					    json_string_value(json_object_get(
						cell, "responsibility")));
					assert_string_equal(
					    y->label,
					    json_string_value(json_object_get(
						cell, "label")));
					assert_string_equal(
					    y->note,
					    json_string_value(
						json_object_get(cell, "note")));
					assert_null(y->label_lang);
					cells++;
				}
			}
		}
		tc_model_free(m);
	}
	assert_true(cells > 0);
	/* a page's words kept in the original's language say so */
	json_t *page = json_deep_copy(r.v[0].tom);
	json_t *me0 = json_array_get(
	    json_object_get(
		json_array_get(json_object_get(page, "categories"), 0),
		"measures"),
	    0);
	const char *sid0;
	json_t *cell0;
	json_object_foreach (json_object_get(me0, "cells"), sid0, cell0) {
		json_object_set_new(cell0, "note_lang", json_string("en"));
		break;
	}
	tc_model *pm = tc_release_model(page, "p.json", d);
	assert_non_null(pm);
	assert_string_equal(pm->categories[0].measures[0].cells[0].note_lang,
			    "en");
	assert_null(pm->categories[0].measures[0].cells[0].label_lang);
	tc_model_free(pm);
	json_decref(page);
	assert_int_equal(tc_diags_count(d), 0);
	tc_releases_free(&r);
	tc_buf_free(&dir);
	tc_diags_free(d);

	static const char *const base =
	    "{\"scopes\": [{\"id\": \"box\", \"name\": \"Box\", \"kind\": "
	    "\"product\"}, {\"id\": \"site\", \"name\": \"Site\", \"kind\": "
	    "\"site\"}], \"categories\": [{\"id\": \"alpha\", \"title\": "
	    "\"Alpha\", \"measures\": [{\"id\": \"ALP-1\", \"text\": \"One\", "
	    "\"cells\": {\"site\": {\"status\": \"provided\", "
	    "\"responsibility\": \"provider\", \"label\": \"x\", \"note\": "
	    "\"\"}}}, %s]}]}";
	static const struct {
		const char *json, *want;
	} bad[] = {
	    {"[1]", "\"tom\" must be an object (a data file)"},
	    {"{\"categories\": []}", "\"tom.scopes\" must be an array"},
	    {"{\"scopes\": []}", "\"tom.categories\" must be an array"},
	    {"{\"scopes\": [1], \"categories\": []}",
	     "\"tom.scopes[0]\" must be an object (a scope)"},
	    {"{\"scopes\": [{\"id\": \"Box\"}], \"categories\": []}",
	     "\"tom.scopes[0].id\" 'Box' is not an ID (lower-case letters, "
	     "digits and '-')"},
	    {"{\"scopes\": [{\"id\": \"box\", \"kind\": \"product\"}], "
	     "\"categories\": []}",
	     "\"tom.scopes[0].name\" must be a string"},
	    {"{\"scopes\": [{\"id\": \"box\", \"name\": \"Box\", \"kind\": "
	     "\"planet\"}], \"categories\": []}",
	     "\"tom.scopes[0].kind\" 'planet' is not a kind of scope"},
	    {"{\"scopes\": [{\"id\": \"box\", \"name\": \"Box\", \"kind\": "
	     "\"product\", \"description\": 3}], \"categories\": []}",
	     "\"tom.scopes[0].description\" must be a string"},
	    {"{\"scopes\": [{\"id\": \"box\", \"name\": \"Box\", \"kind\": "
	     "\"product\"}, {\"id\": \"box\", \"name\": \"B\", \"kind\": "
	     "\"site\"}], \"categories\": []}",
	     "\"tom.scopes[1].id\" 'box' is there twice"},
	    {"{\"scopes\": [], \"categories\": [{\"id\": \"alpha\"}]}",
	     "\"tom.categories[0].title\" must be a string"},
	    {"{\"scopes\": [], \"categories\": [{\"id\": \"alpha\", "
	     "\"title\": \"A\"}]}",
	     "\"tom.categories[0].measures\" must be an array"},
	    {"{\"id\": \"alp-2\"}",
	     "\"tom.categories[0].measures[1].id\" 'alp-2' is not a measure ID "
	     "(capital letters and digits, '-', digits: PAC-1)"},
	    {"{\"id\": \"ALP-2\"}",
	     "\"tom.categories[0].measures[1].text\" must be a string"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"client_duty\": 1}",
	     "\"tom.categories[0].measures[1].client_duty\" must be true or "
	     "false"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": []}",
	     "\"tom.categories[0].measures[1].cells\" must be an object of "
	     "cells"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"moon\": "
	     "{}}}",
	     "\"tom.categories[0].measures[1].cells.moon\" 'moon' is not a "
	     "scope of the data set"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"box\": 1}}",
	     "\"tom.categories[0].measures[1].cells.box\" must be an object "
	     "(a cell)"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"box\": "
	     "{\"status\": \"maybe\"}}}",
	     "\"tom.categories[0].measures[1].cells.box.status\" 'maybe' is "
	     "not a status"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"box\": "
	     "{\"status\": \"provided\", \"responsibility\": \"nobody\"}}}",
	     "\"tom.categories[0].measures[1].cells.box.responsibility\" "
	     "'nobody' is not a responsibility"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"site\": "
	     "{\"status\": \"provided\", \"responsibility\": \"provider\", "
	     "\"label\": 1}}}",
	     "\"tom.categories[0].measures[1].cells.site.label\" must be a "
	     "string"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"site\": "
	     "{\"status\": \"provided\", \"responsibility\": \"provider\", "
	     "\"label\": \"x\"}}}",
	     "\"tom.categories[0].measures[1].cells.site.note\" must be a "
	     "string"},
	    {"{\"id\": \"ALP-2\", \"text\": \"Two\", \"cells\": {\"site\": "
	     "{\"status\": \"provided\", \"responsibility\": \"provider\", "
	     "\"label\": \"x\", \"note\": \"\", \"note_lang\": null}}}",
	     "\"tom.categories[0].measures[1].cells.site.note_lang\" must be "
	     "a string"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		tc_buf src = TC_BUF_INIT;
		if (bad[i].json[0] == '{' && bad[i].json[1] == '"' &&
		    !strncmp(bad[i].json, "{\"id\"", 5))
			tc_buf_printf(&src, base, bad[i].json);
		else
			tc_buf_puts(&src, bad[i].json);
		json_error_t e;
		json_t *tom = json_loads(tc_buf_cstr(&src), 0, &e);
		assert_non_null(tom);
		tc_diags *dd = tc_diags_new();
		assert_null(tc_release_model(tom, "r/1.json", dd));
		char *got = diags_text(dd);
		tc_buf want = TC_BUF_INIT;
		tc_buf_printf(&want, "r/1.json:1:1: error: release: %s\n",
			      bad[i].want);
		assert_string_equal(got, tc_buf_cstr(&want));
		free(got);
		tc_buf_free(&want);
		tc_diags_free(dd);
		json_decref(tom);
		tc_buf_free(&src);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(malformed_releases),
	    cmocka_unit_test(release_model),
	    cmocka_unit_test(release_and_checks),
	    cmocka_unit_test(release_values),
	    cmocka_unit_test(release_translations),
	    cmocka_unit_test(release_file_names),
	    cmocka_unit_test(release_limits),
	    cmocka_unit_test(changes_between),
	    cmocka_unit_test(release_subprocessors),
	    cmocka_unit_test(release_sub_history),
	    cmocka_unit_test(sub_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
