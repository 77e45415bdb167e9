/* Front matter: splitting, YAML to JSON, positions and schema checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/frontmatter.h"
#include "../gen/limits.h"
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

/* "a0: &a0 [lol x 9]", "aN: &aN [*aN-1 x 9]": 7 levels took 6.7 s and
 * 721 MB, 8 levels over a minute and 5.7 GB. Aliases now count as the
 * values they repeat, and the count stops the parse at the alias that
 * crosses the limit, before anything is copied. */
static char *alias_bomb(int levels)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, "
			"lol]\n");
	for (int i = 1; i < levels; i++) {
		tc_buf_printf(&b, "a%d: &a%d [", i, i);
		for (int k = 0; k < 9; k++)
			tc_buf_printf(&b, "%s*a%d", k ? ", " : "", i - 1);
		tc_buf_puts(&b, "]\n");
	}
	tc_buf_puts(&b, "unknown: 1\n---\n");
	return tc_buf_detach(&b);
}

static void limits(void **state)
{
	(void)state;
	char *bomb = alias_bomb(9);
	expect_error(bomb, "f.md:6:10: error: front matter has more than 10000 "
			   "values (aliases count as the values they "
			   "repeat)\n");
	free(bomb);
	/* 100,000 '[' took 21 s inside libyaml: the parser is stopped at the
	 * first start event past the depth limit */
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "---\na: ");
	for (int i = 0; i < 100000; i++)
		tc_buf_putc(&b, '[');
	tc_buf_puts(&b, "\n---\n");
	expect_error(tc_buf_cstr(&b), "f.md:2:35: error: front matter nests "
				      "deeper than 32 levels\n");
	tc_buf_clear(&b);
	/* the same in block style */
	tc_buf_puts(&b, "---\n");
	for (int i = 0; i < 40; i++)
		tc_buf_printf(&b, "%*sk:\n", 2 * i, "");
	tc_buf_puts(&b, "---\n");
	expect_error(tc_buf_cstr(&b), "f.md:34:65: error: front matter nests "
				      "deeper than 32 levels\n");
	/* a scalar at the limit, and one byte over it, as a value (plain
	 * and quoted, at the scalar's start) and as a key (explicit: YAML
	 * ends an implicit key at 1,024 characters) */
	for (int over = 0; over < 2; over++) {
		static const char *const forms[] = {
		    "a: %s\n", "a:\n  - \"%s\"\n", "? %s\n: 1\n"};
		static const char *const want[] = {
		    "f.md:2:4: error: front-matter value longer than 8192 "
		    "bytes\n",
		    "f.md:3:5: error: front-matter value longer than 8192 "
		    "bytes\n",
		    "f.md:2:3: error: front-matter key longer than 8192 "
		    "bytes\n"};
		tc_buf x = TC_BUF_INIT;
		for (int i = 0; i < TC_MAX_FM_SCALAR_BYTES + over - 2; i++)
			tc_buf_putc(&x, 'x');
		tc_buf_puts(&x, "\u00e9");
		for (size_t f = 0; f < 3; f++) {
			tc_buf_clear(&b);
			tc_buf_puts(&b, "---\n");
			tc_buf_printf(&b, forms[f], tc_buf_cstr(&x));
			tc_buf_puts(&b, "---\n");
			if (over) {
				expect_error(tc_buf_cstr(&b), want[f]);
				continue;
			}
			tc_diags *d = tc_diags_new();
			fm_doc *doc = parse(tc_buf_cstr(&b), d);
			assert_non_null(doc);
			assert_int_equal(tc_diags_count(d), 0);
			fm_free(doc);
			tc_diags_free(d);
		}
		tc_buf_free(&x);
	}
	tc_buf_free(&b);
}

static void yaml_structure(void **state)
{
	(void)state;
	expect_error(
	    "---\na: 1\nb: 2\na: 3\n---\n",
	    "f.md:4:1: error: duplicate front-matter key 'a' (first at "
	    "line 2)\n");
	expect_error("---\na: *nope\n---\n",
		     "f.md:2:4: error: alias '*nope' names no anchor defined "
		     "before it\n");
	expect_error("---\na: &x [1, *x]\n---\n",
		     "f.md:2:11: error: alias '*x' names no anchor defined "
		     "before it\n");
	expect_error("---\n[a]: 1\n---\n",
		     "f.md:2:1: error: front-matter keys must be strings, not "
		     "lists or mappings\n");
	expect_error("---\na: &l [1]\n*l : 2\n---\n",
		     "f.md:3:1: error: front-matter keys must be strings, not "
		     "lists or mappings\n");
	expect_error("---\na: 1\n...\n--- \nb: 2\n---\n",
		     "f.md:4:1: error: front matter holds more than one YAML "
		     "document\n");
	expect_error("---\na: \"x\\0y\"\n---\n",
		     "f.md:2:4: error: control character in a front-matter "
		     "value (only tab and line breaks are allowed)\n");
	expect_error("---\n\"k\\e\": 1\n---\n",
		     "f.md:2:1: error: control character in a front-matter key "
		     "(only tab and line breaks are allowed)\n");
	expect_error("---\nplain\n---\n", "f.md:2:1: error: front matter must "
					  "be a mapping of keys to values\n");
	/* aliases: the anchor's value, shared; a string alias as a key */
	tc_diags *d = tc_diags_new();
	fm_doc *doc =
	    parse("---\nk: &k name\nl: &l [a, b]\nm: *l\n*k : v\n&t true: x\n"
		  "u: *t\n---\n",
		  d);
	assert_non_null(doc);
	json_t *r = fm_root(doc);
	assert_ptr_equal(json_object_get(r, "l"), json_object_get(r, "m"));
	assert_string_equal(json_string_value(json_object_get(r, "name")), "v");
	assert_string_equal(json_string_value(json_object_get(r, "true")), "x");
	assert_string_equal(json_string_value(json_object_get(r, "u")), "true");
	assert_int_equal(tc_diags_count(d), 0);
	fm_free(doc);
	tc_diags_free(d);
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
	/* a required string must show something; an optional one may be
	 * empty, and a required one is not checked for its type twice */
	static const fm_key more[] = {{"name", FM_STRING, true},
				      {"note", FM_STRING, false},
				      {NULL, 0, false}};
	static const struct {
		const char *src, *want;
	} cases[] = {
	    {"---\nname: \"\"\nnote: \"\"\n---\n",
	     "f.md:2:1: error: front-matter key 'name' must not be empty\n"},
	    {"---\nname: \" \\t\\r\\n \"\n---\n",
	     "f.md:2:1: error: front-matter key 'name' must not be empty\n"},
	    {"---\nname:\n---\n",
	     "f.md:2:1: error: front-matter key 'name' must be a string\n"},
	    {"---\nname: \" x \"\nnote: \" \"\n---\n", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		d = tc_diags_new();
		doc = parse(cases[i].src, d);
		assert_non_null(doc);
		fm_check(doc, fm_root(doc), more, d);
		got = diags_text(d);
		assert_string_equal(got, cases[i].want);
		free(got);
		fm_free(doc);
		tc_diags_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(types_and_body), cmocka_unit_test(no_front_matter),
	    cmocka_unit_test(errors),         cmocka_unit_test(schema),
	    cmocka_unit_test(limits),         cmocka_unit_test(yaml_structure),
	};
	return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}
