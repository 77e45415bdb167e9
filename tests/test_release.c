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
#include "../gen/release.h"
#include "../lib/changes.h"
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
			 "| ALP-2 | Two | X | ✓ |\n";

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
	     "c/releases/1.json:1:1: error: release: \"data\" must hold "
	     "\"scopes\" and \"categories\"\n"},
	    {"1.json", "{\"version\": \"1\", \"version\": \"1\"}",
	     "c/releases/1.json:1:26: error: release is not valid JSON: "
	     "duplicate object key near '\"version\"'\n"},
	    /* the version names /versions/<v>/ and goes into pages as it is
	     * (hidden files such as "...json" are not read at all) */
	    {"a<b.json", "{\"version\": \"a<b\"}",
	     "c/releases/a<b.json:1:1: error: release: the version (the "
	     "file's name) must be 1 to 40 letters, digits, '.', '-' and "
	     "'_', starting with a letter or digit (it is part of URLs)\n"},
	    {"-v.json", "{\"version\": \"-v\"}",
	     "c/releases/-v.json:1:1: error: release: the version (the "
	     "file's name) must be 1 to 40 letters, digits, '.', '-' and "
	     "'_', starting with a letter or digit (it is part of URLs)\n"},
	    {"1 2.json", "{\"version\": \"1 2\"}",
	     "c/releases/1 2.json:1:1: error: release: the version (the "
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
	json_t *tom = tc_export_json(m);
	assert_int_equal(tc_release_write("c", m, tom, d), 0);
	/* never over an existing release */
	assert_int_equal(tc_release_write("c", m, tom, d), -1);
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
	/* a hand-edited tom that no longer says what the data set says, and
	 * a release dated after the content */
	tc_diags_free(d);
	d = tc_diags_new();
	json_t *rel = json_load_file("c/releases/2.json", 0, NULL);
	json_t *c0 = json_object_get(
	    json_array_get(
		json_object_get(
		    json_array_get(json_object_get(json_object_get(rel, "tom"),
						   "categories"),
				   0),
		    "measures"),
		0),
	    "cells");
	json_object_set_new(json_object_get(c0, "box"), "status",
			    json_string("not-provided"));
	json_object_set_new(rel, "date", json_string("2027-01-01"));
	json_object_set_new(json_object_get(rel, "tom"), "date",
			    json_string("2027-01-01"));
	json_object_set_new(rel, "version", json_string("1"));
	json_object_set_new(json_object_get(rel, "tom"), "version",
			    json_string("1"));
	json_dump_file(rel, "c/releases/1.json", 0);
	json_decref(rel);
	unlink("c/releases/2.json");
	assert_int_equal(tc_releases_load("c", &r, d), 0);
	data = tc_release_data(m);
	assert_int_equal(tc_releases_check(&r, m, data, d), 2);
	t = diags_text(d);
	assert_string_equal(
	    t, "c/releases/1.json:1:1: error: release: \"tom\" is not the "
	       "published form of its data set: the cells of a measure "
	       "differ from the data set's (ALP-1)\n"
	       "c/releases/1.json:1:1: error: release 1 is dated 2027-01-01, "
	       "after the content's date 2026-02-01 (c/site.md)\n");
	free(t);
	json_decref(data);
	tc_releases_free(&r);
	json_decref(tom);
	tc_model_free(m);
	tc_diags_free(d);
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
	json_t *c = tc_changes_between(a, b);
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
	c = tc_changes_between(a, b);
	x = json_array_get(c, 0);
	assert_string_equal(json_string_value(json_object_get(x, "move")),
			    "to-client");
	assert_string_equal(json_string_value(json_object_get(x, "words")),
			    "Becomes your job");
	json_decref(c);
	c = tc_changes_between(NULL, b);
	assert_int_equal(json_array_size(c), 0);
	json_decref(c);
	/* the first release has no changes; since filters and refuses */
	json_t *doc =
	    json_pack("{s:[{s:s, s:[]}, {s:s, s:[]}]}", "releases", "version",
		      "2", "changes", "version", "1", "changes");
	tc_buf err = TC_BUF_INIT;
	json_t *s = tc_changes_since(doc, "1", NULL, &err);
	assert_int_equal(json_array_size(json_object_get(s, "releases")), 1);
	json_decref(s);
	assert_null(tc_changes_since(doc, "0", NULL, &err));
	assert_string_equal(tc_buf_cstr(&err),
			    "unknown version '0'; known versions: 2, 1");
	tc_buf_free(&err);
	json_decref(doc);
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(malformed_releases),
	    cmocka_unit_test(release_and_checks),
	    cmocka_unit_test(changes_between),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
