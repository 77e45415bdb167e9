/* The JSON check tc-search runs on every answer before it is sent
 * (lib/jsoncheck.h): what RFC 8259 accepts, what it and jansson refuse,
 * and where the first wrong byte is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "../lib/jsoncheck.h"

static void accepted(void **state)
{
	(void)state;
	static const char *good[] = {
	    "{}",
	    "[]",
	    "0",
	    "-0.5e+3",
	    "1E9",
	    "true",
	    "false",
	    "null",
	    "\"\"",
	    " \t\r\n{\"a\" : [1, 2.0, {\"b\": null}] , \"c\":\"\\u00e9\"} \n",
	    "\"\\ud83d\\ude00 é ✓ \\\"\\\\\\/\\b\\f\\n\\r\\t\"",
	    "[[[[]]]]",
	    "{\"\":{}}"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (!tc_json_valid(good[i], strlen(good[i]), NULL))
			print_error("refused: %s\n", good[i]);
		assert_true(tc_json_valid(good[i], strlen(good[i]), NULL));
		/* jansson agrees */
		json_t *j = json_loads(good[i], JSON_DECODE_ANY, NULL);
		assert_non_null(j);
		json_decref(j);
	}
}

static void refused(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t at;
	} bad[] = {
	    {"", 0},
	    {"   ", 3},
	    {"{", 1},
	    {"{\"a\"}", 4},
	    {"[1,]", 3},
	    {"{,}", 1},
	    {"01", 1},
	    {"1.", 2},
	    {"1e", 2},
	    {"-", 1},
	    {".5", 0},
	    {"nul", 0},
	    {"True", 0},
	    {"[1 2]", 3},
	    {"{\"a\":1,}", 7},
	    {"{\"a\":1\"b\":2}", 6},
	    {"{} {}", 3},
	    {"\"abc", 4},
	    {"\"\x01\"", 1},
	    {"\"\xff\"", 1},
	    {"\"\xc3(\"", 1},
	    {"\"\xed\xa0\x80\"", 1}, /* a surrogate in UTF-8 */
	    {"\"\\ud800\"", 7},      /* unpaired */
	    {"\"\\udc00\"", 7},
	    {"\"\\ud800\\u0041\"", 13},
	    {"\"\\x41\"", 3},
	    {"\"\\u12g4\"", 6},
	    {"{\"a\":1]", 6},
	    {"[1}", 2},
	    {"{\"a\":\xff}", 5},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t at = 999;
		int ok = tc_json_valid(bad[i].s, strlen(bad[i].s), &at);
		if (ok || at != bad[i].at)
			print_error("case %zu: %d at %zu\n", i, ok, at);
		assert_false(ok);
		assert_int_equal(at, bad[i].at);
		json_t *j = json_loads(bad[i].s, JSON_DECODE_ANY, NULL);
		assert_null(j); /* jansson refuses them too */
	}
	/* a NUL inside is not text */
	assert_false(tc_json_valid("\"a\0b\"", 5, NULL));
	assert_false(tc_json_valid("{}\0", 3, NULL));
}

static void depth(void **state)
{
	(void)state;
	char s[2 * TC_JSON_MAX_DEPTH + 4];
	size_t n = 0;
	for (int i = 0; i < TC_JSON_MAX_DEPTH; i++)
		s[n++] = '[';
	for (int i = 0; i < TC_JSON_MAX_DEPTH; i++)
		s[n++] = ']';
	assert_true(tc_json_valid(s, n, NULL));
	/* one deeper: refused at the bracket that is too deep */
	memmove(s + 1, s, n);
	s[0] = '[';
	s[n + 1] = ']';
	size_t at = 0;
	assert_false(tc_json_valid(s, n + 2, &at));
	assert_int_equal(at, TC_JSON_MAX_DEPTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(accepted),
	    cmocka_unit_test(refused),
	    cmocka_unit_test(depth),
	};
	return cmocka_run_group_tests_name("jsoncheck", tests, NULL, NULL);
}
