/* Escapers per context, UTF-8 validation and diagnostics formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../lib/escape.h"
#include "../lib/sha256.h"
#include "helpers.h"

typedef void (*esc_fn)(tc_buf *, const char *, size_t);

static void expect(esc_fn f, const char *in, const char *want)
{
	tc_buf b = TC_BUF_INIT;
	f(&b, in, strlen(in));
	assert_string_equal(tc_buf_cstr(&b), want);
	tc_buf_free(&b);
}

static void html(void **state)
{
	(void)state;
	expect(tc_esc_html, "<a href=\"x\" onclick='y'>&amp;</a>",
	       "&lt;a href=&quot;x&quot; "
	       "onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
	expect(tc_esc_html, "plain ✓", "plain ✓");
	expect(tc_esc_html, "", "");
}

static void url(void **state)
{
	(void)state;
	expect(tc_esc_url_component, "a b&c=d/é~._-",
	       "a%20b%26c%3Dd%2F%C3%A9~._-");
}

static void csv(void **state)
{
	(void)state;
	expect(tc_esc_csv, "plain", "plain");
	expect(tc_esc_csv, "a,b", "\"a,b\"");
	expect(tc_esc_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	expect(tc_esc_csv, "two\r\nlines", "\"two\r\nlines\"");
	expect(tc_esc_csv, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	expect(tc_esc_csv, "-1", "\"'-1\"");
	expect(tc_esc_csv, "", "");
}

static void log_lines(void **state)
{
	(void)state;
	expect(tc_esc_log, "GET /\x1b[31m\nX\\", "GET /\\x1b[31m\\x0aX\\x5c");
	/* Bytes outside well-formed UTF-8 and C1 controls are escaped too:
	 * the result goes into JSON error messages, which must be UTF-8. */
	expect(tc_esc_log, "\xff", "\\xff");
	expect(tc_esc_log, "a\xc3\x28", "a\\xc3(");
	expect(tc_esc_log, "\xc3", "\\xc3");
	expect(tc_esc_log, "\xed\xa0\x80", "\\xed\\xa0\\x80");
	expect(tc_esc_log, "\xc2\x85|\xc2\xa0", "\\xc2\\x85|\xc2\xa0");
	expect(tc_esc_log, "été ✓ 𝄞", "été ✓ 𝄞");
}

static void utf8(void **state)
{
	(void)state;
	assert_true(tc_utf8_valid("plain ✓ é 𝄞", strlen("plain ✓ é 𝄞")));
	assert_false(tc_utf8_valid("\xc3", 1));             /* truncated */
	assert_false(tc_utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(tc_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(tc_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(tc_utf8_valid("\xff", 1));
	assert_true(tc_utf8_valid("", 0));
}

static void diag_format(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	tc_diags_add(d, "b.md", 2, 1, "second");
	tc_diags_add(d, "a.md", 9, 3, "first %d", 1);
	tc_diags_add(d, "b.md", 1, 0, "line only");
	tc_diags_add(d, "", 0, 0, "no place");
	char *got = diags_text(d);
	assert_string_equal(got, "error: no place\n"
				 "a.md:9:3: error: first 1\n"
				 "b.md:1: error: line only\n"
				 "b.md:2:1: error: second\n");
	free(got);
	tc_diags_free(d);
}

static void sha256(void **state)
{
	(void)state;
	/* FIPS 180-4 examples, and lengths around the padding boundary */
	static const struct {
		const char *in, *hex;
	} v[] = {
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b"
		 "855"},
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2"
		    "0015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c"
	     "1"},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	     "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668e"
	     "b"},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char hex[65];
		tc_sha256_hex(v[i].in, strlen(v[i].in), hex);
		assert_string_equal(hex, v[i].hex);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(html),   cmocka_unit_test(url),
	    cmocka_unit_test(csv),    cmocka_unit_test(log_lines),
	    cmocka_unit_test(utf8),   cmocka_unit_test(diag_format),
	    cmocka_unit_test(sha256),
	};
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
