/* Front matter: splitting, YAML to JSON, positions and schema checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/frontmatter.h"
#include "helpers.h"

static fm_doc *parse(const char *src, tc_diags *d)
{
	return fm_parse("f.md", src, strlen(src), d);
}

static void types_and_body(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	const char *src = "---\na: text\nb: true\nc: 42\nd: \"42\"\ne: ~\n"
			  "f: [x, y]\ng:\n  - k: v\n---\nBody line\n";
	fm_doc *doc = parse(src, d);
	assert_non_null(doc);
	json_t *r = fm_root(doc);
	assert_string_equal(json_string_value(json_object_get(r, "a")), "text");
	assert_true(json_is_true(json_object_get(r, "b")));
	assert_int_equal(json_integer_value(json_object_get(r, "c")), 42);
	assert_string_equal(json_string_value(json_object_get(r, "d")), "42");
	assert_true(json_is_null(json_object_get(r, "e")));
	assert_int_equal(json_array_size(json_object_get(r, "f")), 2);
	assert_string_equal(fm_body(doc), "Body line\n");
	assert_int_equal(fm_body_line(doc), 11);
	int line, col;
	fm_pos(doc, r, "c", 0, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	fm_pos(doc, json_object_get(r, "g"), NULL, 0, &line, &col);
	assert_int_equal(line, 9);
	assert_int_equal(col, 5);
	assert_int_equal(tc_diags_count(d), 0);
	fm_free(doc);
	tc_diags_free(d);
}

static void no_front_matter(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	fm_doc *doc = parse("# Title\n", d);
	assert_false(fm_present(doc));
	assert_int_equal(json_object_size(fm_root(doc)), 0);
	assert_string_equal(fm_body(doc), "# Title\n");
	assert_int_equal(fm_body_line(doc), 1);
	fm_free(doc);
	tc_diags_free(d);
}

static void expect_error(const char *src, const char *want)
{
	tc_diags *d = tc_diags_new();
	fm_doc *doc = parse(src, d);
	assert_null(doc);
	char *got = diags_text(d);
	assert_string_equal(got, want);
	free(got);
	tc_diags_free(d);
}

static void errors(void **state)
{
	(void)state;
	expect_error("---\na: 1\n", "f.md:1:1: error: front matter opened here "
				    "is never closed with a line \"---\"\n");
	expect_error("---\na: b: c\n---\n",
		     "f.md:2:5: error: malformed YAML front matter: mapping "
		     "values are not allowed in this context\n");
	expect_error(
	    "---\n- a\n- b\n---\n",
	    "f.md:2:1: error: front matter must be a mapping of keys to "
	    "values\n");
	expect_error(
	    "---\na: \"unterminated\n---\n",
	    "f.md:3:1: error: malformed YAML front matter: found "
	    "unexpected end of stream while scanning a quoted scalar\n");
}

static void schema(void **state)
{
	(void)state;
	static const fm_key keys[] = {{"name", FM_STRING, true},
				      {"on", FM_BOOL, false},
				      {"tags", FM_STRINGS, false},
				      {"n", FM_INT, false},
				      {NULL, 0, false}};
	tc_diags *d = tc_diags_new();
	fm_doc *doc =
	    parse("---\non: yes\ntags: [a, [b]]\nextra: 1\nn: x\n---\n", d);
	assert_int_equal(fm_check(doc, fm_root(doc), keys, d), 5);
	char *got = diags_text(d);
	assert_string_equal(
	    got, "f.md:1:1: error: missing front-matter key 'name'\n"
		 "f.md:2:1: error: front-matter key 'on' must be true or "
		 "false\n"
		 "f.md:3:1: error: front-matter key 'tags' must be a list of "
		 "strings\n"
		 "f.md:4:1: error: unknown front-matter key 'extra' (expected "
		 "one of: name, on, tags, n)\n"
		 "f.md:5:1: error: front-matter key 'n' must be an integer\n");
	free(got);
	fm_free(doc);
	tc_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(types_and_body),
	    cmocka_unit_test(no_front_matter),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(schema),
	};
	return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}
