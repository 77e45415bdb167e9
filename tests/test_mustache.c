/* Mustache engine: the official spec, read straight from its JSON files and
 * run twice, over jansson values and over tc_val trees converted from them,
 * and our own cases for errors, escaping and the tc_val data model. */
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

/* The official spec is kept in tests/mustache-spec (MIT, with its
 * licence), as cmark keeps its spec; MUSTACHE_SPEC points elsewhere. */
static const char *spec_dir(void)
{
	static char dir[512];
	const char *d = getenv("MUSTACHE_SPEC"), *root = getenv("TC_ROOT");
	if (d && *d)
		return d;
	snprintf(dir, sizeof dir, "%s/tests/mustache-spec",
		 root && *root ? root : ".");
	return dir;
}

/* One spec case rendered over jansson (model 0) or over tc_val (model 1). */
static char *render_case(mus_env *env, mus_tpl *tpl, json_t *data, int model)
{
	tc_buf out = TC_BUF_INIT;
	if (model == 0) {
		mus_render(env, tpl, data, &out);
	} else {
		/* A small block size, so data crosses blocks. */
		tc_arena *a = tc_arena_new(256);
		const tc_val *v = tc_val_from_json(a, data);
		assert_true(v || !data);
		mus_render_val(env, tpl, v, &out);
		tc_arena_free(a);
	}
	return tc_buf_detach(&out);
}

static const char *model_name[] = {"json", "tc_val"};

static int run_spec_file(const char *base, int model, int *ran)
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
		char *got = tpl ? render_case(env, tpl,
					      json_object_get(t, "data"), model)
				: NULL;
		const char *want =
		    json_string_value(json_object_get(t, "expected"));
		if (!got || strcmp(got, want) != 0) {
			failed++;
			print_error(
			    "FAIL %s (%s): %s\n  want: %s\n  got:  %s\n", base,
			    model_name[model],
			    json_string_value(json_object_get(t, "name")), want,
			    got ? got : "(parse error)");
			tc_diags_print(d, stderr);
		}
		(*ran)++;
		free(got);
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
	/* the spec is part of the repository: missing is a failure, not a
	 * skip (run from the root, or set TC_ROOT or MUSTACHE_SPEC) */
	if (!f)
		fail_msg("Mustache spec not found at %s", spec_dir());
	fclose(f);
	for (int model = 0; model < 2; model++) {
		int ran = 0, failed = 0;
		for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
			int r = run_spec_file(files[i], model, &ran);
			assert_true(r >= 0);
			failed += r;
		}
		printf("mustache spec over %s: %d of %d cases pass\n",
		       model_name[model], ran - failed, ran);
		assert_int_equal(failed, 0);
		assert_int_equal(ran, 163);
	}
}

/* Renders src with the JSON data, or returns the formatted diagnostics.
 * Renders over jansson and over tc_val, and insists they agree. */
static char *run(const char *src, const char *data)
{
	mus_env *env = mus_env_new(NULL, NULL);
	tc_diags *d = tc_diags_new();
	tc_buf out = TC_BUF_INIT;
	mus_tpl *tpl = mus_env_parse(env, "t", "t.mustache", src, d);
	if (tpl) {
		json_t *ctx = json_loads(data, 0, NULL);
		char *j = render_case(env, tpl, ctx, 0);
		char *v = render_case(env, tpl, ctx, 1);
		assert_string_equal(j, v);
		tc_buf_puts(&out, j);
		free(j);
		free(v);
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

/* Renders src over ctx as a tc_val. Caller frees. */
static char *run_val(const char *src, const tc_val *ctx)
{
	mus_env *env = mus_env_new(NULL, NULL);
	mus_tpl *t = mus_env_parse(env, "t", "t", src, NULL);
	assert_non_null(t);
	tc_buf out = TC_BUF_INIT;
	mus_render_val(env, t, ctx, &out);
	mus_env_free(env);
	return tc_buf_detach(&out);
}

#define EXPECT_VAL(src, ctx, want)                                             \
	do {                                                                   \
		char *got_ = run_val(src, ctx);                                \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

/* The falsy values of mustache.h, in tc_val terms. */
static void val_truthiness(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	tc_val *m = tc_val_map(a);
	tc_val_set(m, "null", NULL);
	tc_val_set_bool(m, "false", false);
	tc_val_set_int(m, "zero", 0);
	tc_val_set(m, "zero_real", tc_val_real(a, 0.0));
	tc_val_set_str(m, "empty", "");
	tc_val_set(m, "empty_list", tc_val_list(a));
	tc_val_set(m, "empty_map", tc_val_map(a));
	tc_val_set_bool(m, "true", true);
	tc_val_set_int(m, "one", 1);
	tc_val_set(m, "half", tc_val_real(a, 0.5));
	tc_val_set_str(m, "s", "x");
	tc_val *l = tc_val_list(a);
	tc_val_list_push(l, NULL);
	tc_val_set(m, "list", l);
	const char *names[] = {"missing",   "null",  "false",      "zero",
			       "zero_real", "empty", "empty_list", "empty_map",
			       "true",      "one",   "half",       "s",
			       "list"};
	tc_buf src = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		tc_buf_printf(&src, "{{#%s}}T{{/%s}}{{^%s}}F{{/%s}}", names[i],
			      names[i], names[i], names[i]);
	EXPECT_VAL(tc_buf_cstr(&src), m, "FFFFFFFTTTTTT");
	/* Interpolation prints every scalar, falsy or not. */
	EXPECT_VAL("[{{null}}|{{false}}|{{zero}}|{{zero_real}}|{{true}}|"
		   "{{half}}|{{empty_map}}|{{list}}]",
		   m, "[|false|0|0|true|0.5||]");
	tc_buf_free(&src);
	tc_arena_free(a);
}

static void val_scalars(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	tc_val *m = tc_val_map(a);
	tc_val_set_int(m, "min", -9223372036854775807LL - 1);
	tc_val_set_int(m, "max", 9223372036854775807LL);
	tc_val_set_int(m, "neg", -42);
	/* Borrowed slices need no NUL: "hello" out of "hello world", and a
	 * key "id" out of "idx". */
	const char *text = "hello world";
	tc_val_set(m, "slice", tc_val_strn(a, text, 5));
	tc_val_setn(m, "idx", 2, tc_val_printf(a, "%d%%", 50));
	tc_val_set(m, "html", tc_val_str(a, "<b>&amp;</b>"));
	EXPECT_VAL("{{min}} {{max}} {{neg}} {{slice}} {{id}} {{idx}}", m,
		   "-9223372036854775808 9223372036854775807 -42 hello 50% ");
	EXPECT_VAL("{{html}}|{{{html}}}|{{&html}}", m,
		   "&lt;b&gt;&amp;amp;&lt;/b&gt;|<b>&amp;</b>|<b>&amp;</b>");
	/* The same integers over jansson. */
	EXPECT("{{a}} {{b}}",
	       "{\"a\": -9223372036854775808, \"b\": 9223372036854775807}",
	       "-9223372036854775808 9223372036854775807");
	EXPECT_VAL("[{{.}}]", NULL, "[]");
	tc_arena_free(a);
}

/* A value shared by two parents renders in both; the context stack of
 * mus_render_vals layers a page over common values, and a null in the page
 * hides the common value of the same name. */
static void val_sharing_and_stack(void **state)
{
	(void)state;
	tc_arena *site = tc_arena_new(0), *page = tc_arena_new(0);
	tc_val *nav = tc_val_list(site);
	for (int i = 0; i < 3; i++) {
		tc_val *e = tc_val_map(site);
		tc_val_set(e, "n", tc_val_printf(site, "p%d", i));
		tc_val_list_push(nav, e);
	}
	tc_val *common = tc_val_map(site);
	tc_val_set_str(common, "title", "Common");
	tc_val_set_str(common, "footer", "F");
	tc_val_set_str(common, "gone", "should not show");
	tc_val_set(common, "nav", nav);

	mus_env *env = mus_env_new(NULL, NULL);
	mus_tpl *t = mus_env_parse(
	    env, "t", "t",
	    "{{title}}/{{footer}}/[{{gone}}]/{{#nav}}{{n}}{{/nav}}/"
	    "{{#side}}{{#nav}}{{n}}{{/nav}}{{/side}}",
	    NULL);
	for (int round = 0; round < 3; round++) {
		tc_val *v = tc_val_map(page);
		tc_val_set(v, "title", tc_val_printf(page, "Page %d", round));
		tc_val_set(v, "gone", NULL);
		tc_val *side = tc_val_map(page);
		tc_val_set(side, "nav", nav); /* shared, not copied */
		tc_val_set(v, "side", side);
		const tc_val *stack[] = {common, v};
		tc_buf out = TC_BUF_INIT;
		mus_render_vals(env, t, stack, 2, &out);
		char want[128];
		snprintf(want, sizeof want, "Page %d/F/[]/p0p1p2/p0p1p2",
			 round);
		assert_string_equal(tc_buf_cstr(&out), want);
		tc_buf_free(&out);
		tc_arena_reset(page);
	}
	mus_env_free(env);
	tc_arena_free(page);
	tc_arena_free(site);
}

/* Deeper than the context stack's first allocation, over both models. */
static void deep_context(void **state)
{
	(void)state;
	tc_buf src = TC_BUF_INIT, data = TC_BUF_INIT;
	for (int i = 0; i < 50; i++) {
		tc_buf_puts(&src, "{{#a}}");
		tc_buf_puts(&data, "{\"a\":");
	}
	tc_buf_puts(&src, "{{v}}{{top}}");
	tc_buf_puts(&data, "{\"v\":\"deep\"}");
	for (int i = 0; i < 50; i++) {
		tc_buf_puts(&src, "{{/a}}");
		tc_buf_puts(&data, i == 49 ? ",\"top\":1}" : "}");
	}
	EXPECT(tc_buf_cstr(&src), tc_buf_cstr(&data), "deep1");
	tc_buf_free(&src);
	tc_buf_free(&data);
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
	    cmocka_unit_test(spec),
	    cmocka_unit_test(escaping),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(missing_partials),
	    cmocka_unit_test(render_many),
	    cmocka_unit_test(limits),
	    cmocka_unit_test(val_truthiness),
	    cmocka_unit_test(val_scalars),
	    cmocka_unit_test(val_sharing_and_stack),
	    cmocka_unit_test(deep_context),
	};
	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
