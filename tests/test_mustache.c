/* Mustache engine: the official spec, read straight from its JSON files, and
 * our own cases for errors and escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/mustache.h"

static char *load_from_json(void *ud, const char *name, char **file)
{
	(void)file;
	json_t *v = json_object_get((json_t *)ud, name);
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static const char *spec_dir(void)
{
	const char *d = getenv("MUSTACHE_SPEC");
	return d && *d ? d : "../shared/mustache-spec";
}

static int run_spec_file(const char *base, int *ran)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.json", spec_dir(), base);
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);
	if (!doc) {
		print_error("cannot read %s: %s\n", path, err.text);
		return -1;
	}
	int failed = 0;
	size_t i;
	json_t *t;
	json_array_foreach (json_object_get(doc, "tests"), i, t) {
		json_t *partials = json_object_get(t, "partials");
		mus_env *env = mus_env_new(load_from_json, partials);
		tc_diags *d = tc_diags_new();
		const char *src =
		    json_string_value(json_object_get(t, "template"));
		mus_tpl *tpl = mus_env_parse(env, "", base, src, d);
		tc_buf out = TC_BUF_INIT;
		if (tpl)
			mus_render(env, tpl, json_object_get(t, "data"), &out);
		const char *want =
		    json_string_value(json_object_get(t, "expected"));
		if (!tpl || strcmp(tc_buf_cstr(&out), want) != 0) {
			failed++;
			print_error(
			    "FAIL %s: %s\n  want: %s\n  got:  %s\n", base,
			    json_string_value(json_object_get(t, "name")), want,
			    tpl ? tc_buf_cstr(&out) : "(parse error)");
			tc_diags_print(d, stderr);
		}
		(*ran)++;
		tc_buf_free(&out);
		tc_diags_free(d);
		mus_env_free(env);
	}
	json_decref(doc);
	return failed;
}

static void spec(void **state)
{
	(void)state;
	static const char *files[] = {
	    "comments", "delimiters", "interpolation", "inverted",
	    "partials", "sections",   "~inheritance"};
	char probe[1024];
	snprintf(probe, sizeof probe, "%s/sections.json", spec_dir());
	FILE *f = fopen(probe, "r");
	if (!f) {
		fprintf(stderr,
			"\n*** SKIPPED: Mustache spec not found at %s "
			"(set MUSTACHE_SPEC) ***\n\n",
			spec_dir());
		skip();
	}
	fclose(f);
	int ran = 0, failed = 0;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		int r = run_spec_file(files[i], &ran);
		assert_true(r >= 0);
		failed += r;
	}
	printf("mustache spec: %d of %d cases pass\n", ran - failed, ran);
	assert_int_equal(failed, 0);
	assert_int_equal(ran, 163);
}

/* Renders src with the JSON data, or returns the formatted diagnostics. */
static char *run(const char *src, const char *data)
{
	mus_env *env = mus_env_new(NULL, NULL);
	tc_diags *d = tc_diags_new();
	tc_buf out = TC_BUF_INIT;
	mus_tpl *tpl = mus_env_parse(env, "t", "t.mustache", src, d);
	if (tpl) {
		json_t *ctx = json_loads(data, 0, NULL);
		mus_render(env, tpl, ctx, &out);
		json_decref(ctx);
	} else {
		for (size_t i = 0; i < tc_diags_count(d); i++) {
			char *s = tc_diag_format(tc_diags_get(d, i));
			tc_buf_printf(&out, "%s\n", s);
			free(s);
		}
	}
	tc_diags_free(d);
	mus_env_free(env);
	return tc_buf_detach(&out);
}

#define EXPECT(src, data, want)                                                \
	do {                                                                   \
		char *got_ = run(src, data);                                   \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void escaping(void **state)
{
	(void)state;
	EXPECT("{{x}}", "{\"x\":\"<a href='x'>&\\\"</a>\"}",
	       "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
	EXPECT("{{{x}}}|{{&x}}", "{\"x\":\"<b>\"}", "<b>|<b>");
	EXPECT("{{#s}}yes{{/s}}{{^s}}empty{{/s}}", "{\"s\":\"\"}", "empty");
}

static void errors(void **state)
{
	(void)state;
	EXPECT("a\n  {{#open}}\nb", "{}",
	       "t.mustache:2:3: error: section 'open' is never closed\n");
	EXPECT("{{#a}}{{/b}}", "{}",
	       "t.mustache:1:7: error: closing tag 'b' does not match section "
	       "'a' opened at line 1\n");
	EXPECT("x\n{{/a}}", "{}",
	       "t.mustache:2:1: error: closing tag 'a' without an open "
	       "section\n");
	EXPECT("ab {{name", "{}", "t.mustache:1:4: error: unclosed tag '{{'\n");
	EXPECT("{{=<% =}}", "{}",
	       "t.mustache:1:1: error: invalid set-delimiters tag '<% '\n");
	EXPECT("{{a b}}", "{}",
	       "t.mustache:1:1: error: invalid tag name 'a b'\n");
	EXPECT("{{ }}", "{}", "t.mustache:1:1: error: invalid tag name ''\n");
}

static char *load_one(void *ud, const char *name, char **file)
{
	(void)ud;
	if (strcmp(name, "bad") == 0) {
		*file = strdup("bad.mustache");
		return strdup("ok\n{{#x}}");
	}
	return strcmp(name, "good") == 0 ? strdup("{{$b}}d{{/b}}") : NULL;
}

static void missing_partials(void **state)
{
	(void)state;
	mus_env *env = mus_env_new(load_one, NULL);
	tc_diags *d = tc_diags_new();
	mus_tpl *t =
	    mus_env_parse(env, "page", "page.mustache",
			  "{{>good}}\n {{>nope}}\n{{<bad}}{{/bad}}", d);
	assert_non_null(t);
	assert_int_equal(mus_env_check(env, t, d), 2);
	tc_diags_sort(d);
	const char *want[] = {
	    "bad.mustache:2:1: error: section 'x' is never closed",
	    "page.mustache:2:2: error: partial 'nope' not found or invalid",
	    "page.mustache:3:1: error: partial 'bad' not found or invalid"};
	assert_int_equal(tc_diags_count(d), 3);
	for (size_t i = 0; i < 3; i++) {
		char *s = tc_diag_format(tc_diags_get(d, i));
		assert_string_equal(s, want[i]);
		free(s);
	}
	tc_buf out = TC_BUF_INIT;
	mus_render(env, t, NULL, &out);
	assert_string_equal(tc_buf_cstr(&out), "d");
	tc_buf_free(&out);
	tc_diags_free(d);
	mus_env_free(env);
}

static void render_many(void **state)
{
	(void)state;
	mus_env *env = mus_env_new(NULL, NULL);
	mus_tpl *t = mus_env_parse(env, "t", "t", "{{#l}}{{.}},{{/l}}", NULL);
	for (int i = 0; i < 3; i++) {
		tc_buf out = TC_BUF_INIT;
		json_t *ctx = json_pack("{s:[i,f,b]}", "l", i, 1.5, 1);
		mus_render(env, t, ctx, &out);
		char want[32];
		snprintf(want, sizeof want, "%d,1.5,true,", i);
		assert_string_equal(tc_buf_cstr(&out), want);
		json_decref(ctx);
		tc_buf_free(&out);
	}
	mus_env_free(env);
}

static char *load_self(void *ud, const char *name, char **file)
{
	(void)file;
	return strcmp(name, "self") == 0 ? strdup((const char *)ud) : NULL;
}

/* Hostile templates: 100,000 nested sections overflowed the stack while
 * parsing; a partial used twice in itself made checking and rendering
 * exponential (2^100 with the partial depth of 100). */
static void limits(void **state)
{
	(void)state;
	tc_buf src = TC_BUF_INIT;
	for (int i = 0; i < 150; i++)
		tc_buf_puts(&src, "{{#a}}");
	mus_env *env = mus_env_new(NULL, NULL);
	tc_diags *d = tc_diags_new();
	assert_null(
	    mus_env_parse(env, "t", "t.mustache", tc_buf_cstr(&src), d));
	char *s = tc_diag_format(tc_diags_get(d, 0));
	assert_string_equal(s, "t.mustache:1:601: error: sections nested "
			       "deeper than 100 levels");
	assert_int_equal(tc_diags_count(d), 1);
	free(s);
	tc_diags_free(d);
	mus_env_free(env);
	tc_buf_free(&src);

	/* 2^100 renders of "self" without a budget */
	const char *twice = "{{#a}}{{>self}}{{>self}}{{/a}}x";
	env = mus_env_new(load_self, (void *)twice);
	mus_tpl *t = mus_env_get(env, "self", NULL);
	assert_int_equal(mus_env_check(env, t, NULL), 0);
	mus_env_set_budget(env, 100000);
	json_t *ctx = json_pack("{s:b}", "a", 1);
	tc_buf out = TC_BUF_INIT;
	assert_int_equal(mus_render(env, t, ctx, &out), -1);
	assert_true(out.len > 0 && out.len < 100000);
	tc_buf_free(&out);
	mus_env_free(env);

	/* indentation counts: 100 nested standalone partials, each indented
	 * by 1,000 spaces, a line each */
	tc_buf ind = TC_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		tc_buf_putc(&ind, ' ');
	tc_buf_puts(&ind, "{{>self}}\nline\n");
	env = mus_env_new(load_self, ind.data);
	t = mus_env_get(env, "self", NULL);
	mus_env_set_budget(env, 1000000);
	assert_int_equal(mus_render(env, t, ctx, &out), -1);
	assert_true(out.len < 1100000);
	tc_buf_free(&out);
	mus_env_free(env);
	tc_buf_free(&ind);

	/* 100 partials deep, 4 sections each: past the render depth */
	const char *deep =
	    "{{#a}}{{#a}}{{#a}}{{#a}}x{{>self}}{{/a}}{{/a}}{{/a}}"
	    "{{/a}}";
	env = mus_env_new(load_self, (void *)deep);
	t = mus_env_get(env, "self", NULL);
	assert_int_equal(mus_render(env, t, ctx, &out), -1);
	assert_int_equal(out.len, 80); /* 80 levels of 5 */
	tc_buf_clear(&out);
	json_object_set_new(ctx, "a", json_false());
	assert_int_equal(mus_render(env, t, ctx, &out), 0);
	tc_buf_free(&out);
	json_decref(ctx);
	mus_env_free(env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(spec),        cmocka_unit_test(escaping),
	    cmocka_unit_test(errors),      cmocka_unit_test(missing_partials),
	    cmocka_unit_test(render_many), cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
