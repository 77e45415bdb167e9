/* lib/text: what counts as text in a source, the one UTF-8 decoder, and
 * the date and version rules that name files, URLs and DPA annexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/text.h"

static void text_rules(void **state)
{
	(void)state;
#define SCAN(s) tc_text_scan(s, sizeof(s) - 1)
	assert_int_equal(SCAN("plain ✓ é 𝄞\t\r\n"), 20);
	assert_int_equal(SCAN("Verschl\xfcsselung"), 7);
	assert_int_equal(SCAN("ab\xc3"), 2);           /* truncated */
	assert_int_equal(SCAN("\xc0\xaf"), 0);         /* overlong */
	assert_int_equal(SCAN("x\xed\xa0\x80"), 1);    /* surrogate */
	assert_int_equal(SCAN("\xf4\x90\x80\x80"), 0); /* > U+10FFFF */
	assert_int_equal(SCAN("a\0b"), 1);             /* NUL */
	assert_int_equal(SCAN("a\x1b[0m"), 1);         /* ESC */
	assert_int_equal(SCAN("\x7f"), 1);             /* DEL is text */
#undef SCAN
}

static void decodes_code_points(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
		unsigned cp;
	} ok[] = {
	    {"A", 1, 0x41},
	    {"\xc3\xa9", 2, 0xe9},            /* é */
	    {"\xc3\x9f", 2, 0xdf},            /* ß */
	    {"\xe2\x9c\x93", 3, 0x2713},      /* ✓ */
	    {"\xef\xbf\xbf", 3, 0xffff},      /* the last of the BMP */
	    {"\xf0\x9d\x84\x9e", 4, 0x1d11e}, /* 𝄞 */
	    {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		unsigned cp = 0;
		size_t n = strlen(ok[i].s);
		assert_int_equal(tc_utf8_decode(ok[i].s, n, &cp), ok[i].len);
		assert_int_equal(cp, ok[i].cp);
		assert_int_equal(tc_utf8_len(ok[i].s, n), ok[i].len);
	}
	static const char *const bad[] = {
	    "\x80",             /* a continuation byte first */
	    "\xc0\xaf",         /* overlong '/' */
	    "\xc1\xbf",         /* overlong */
	    "\xe0\x80\xaf",     /* overlong in three */
	    "\xf0\x80\x80\xaf", /* overlong in four */
	    "\xed\xa0\x80",     /* a surrogate */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\xf5\x80\x80\x80", /* no such lead byte */
	    "\xe2\x9c",         /* cut short */
	    "\xe2\x41\x93",     /* not a continuation */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		unsigned cp = 12345;
		assert_int_equal(tc_utf8_decode(bad[i], strlen(bad[i]), &cp),
				 0);
		assert_int_equal(cp, 12345); /* left alone */
	}
	unsigned cp = 7;
	assert_int_equal(tc_utf8_decode("", 0, &cp), 0);
	/* n bounds the read: a sequence longer than n is not one */
	assert_int_equal(tc_utf8_decode("\xe2\x9c\x93", 2, &cp), 0);
	assert_int_equal(cp, 7);
}

/* The rule applied to what JSON escapes decode to, with the path of the
 * first value that breaks it. */
static void json_strings(void **state)
{
	(void)state;
	static const struct {
		const char *json, *path;
		unsigned char bad;
	} cases[] = {
	    {"{\"a\": \"tab\\t lf\\n cr\\r \\u00e9\", \"b\": [1, null]}", NULL,
	     0},
	    {"\"x\\u0001\"", "", 0x01},
	    {"{\"a\": {\"b\": \"ok\"}, \"c\": [\"x\", {\"d\": \"\\u001b\"}]}",
	     "c[1].d", 0x1b},
	    {"[{\"k\": 1}, [\"\\u0008\"]]", "[1][0]", 0x08},
	    {"{\"a\": 1, \"b\\u000b\": \"fine\"}", "b\v", 0x0b},
	    {"{\"a\": [{\"b\": \"ok\"}], \"c\": \"\\u000c\"}", "c", 0x0c},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		tc_buf path = TC_BUF_INIT;
		unsigned char bad = 0;
		int r = tc_text_json_scan(v, &path, &bad);
		if (!cases[i].path) {
			assert_int_equal(r, 0);
		} else {
			assert_int_equal(r, 1);
			assert_string_equal(tc_buf_cstr(&path), cases[i].path);
			assert_int_equal(bad, cases[i].bad);
		}
		tc_buf_free(&path);
		json_decref(v);
	}
}

static void dates(void **state)
{
	(void)state;
	assert_true(tc_text_is_date("2026-11-27"));
	assert_true(tc_text_is_date("2024-02-29"));  /* leap */
	assert_true(tc_text_is_date("2000-02-29"));  /* 400 */
	assert_false(tc_text_is_date("1900-02-29")); /* 100 */
	assert_false(tc_text_is_date("2026-02-29"));
	assert_false(tc_text_is_date("2026-02-31"));
	assert_false(tc_text_is_date("2026-13-01"));
	assert_false(tc_text_is_date("2026-00-10"));
	assert_false(tc_text_is_date("2026-01-00"));
	assert_false(tc_text_is_date("2026-1-01"));
	assert_false(tc_text_is_date("2026/01/01"));
	assert_false(tc_text_is_date("2026-01-01T"));
	assert_false(tc_text_is_date("２026-01-01"));
	assert_false(tc_text_is_date(""));
	assert_false(tc_text_is_date(NULL));
}

static void versions(void **state)
{
	(void)state;
	assert_true(tc_text_is_version("2026.1"));
	assert_true(tc_text_is_version("v2-rc_1"));
	assert_true(
	    tc_text_is_version("1234567890123456789012345678901234567890"));
	assert_false(
	    tc_text_is_version("12345678901234567890123456789012345678901"));
	assert_false(tc_text_is_version("."));
	assert_false(tc_text_is_version(".."));
	assert_false(tc_text_is_version(".hidden"));
	assert_false(tc_text_is_version("-v"));
	assert_false(tc_text_is_version("2026/1"));
	assert_false(tc_text_is_version("2026 1"));
	assert_false(tc_text_is_version("2026.1%2f"));
	assert_false(tc_text_is_version("ü1"));
	assert_false(tc_text_is_version(""));
	assert_false(tc_text_is_version(NULL));
}

/* One check of a link out, for every source that gives one (base_url, a
 * product's description, a certificate, a contact page). */
static void web_urls(void **state)
{
	(void)state;
	assert_true(tc_text_is_web_url("https://example.test/a?b=c#d"));
	assert_true(tc_text_is_web_url("http://example.test"));
	assert_false(tc_text_is_web_url(""));
	assert_false(tc_text_is_web_url("https://"));
	assert_false(tc_text_is_web_url("https:///etc/passwd"));
	assert_false(tc_text_is_web_url("ftp://example.test/"));
	assert_false(tc_text_is_web_url("javascript:alert(1)//"));
	assert_false(tc_text_is_web_url("https://x\"onmouseover=y"));
	assert_false(tc_text_is_web_url("https://x/<script>"));
	assert_false(tc_text_is_web_url("https://x/a b"));
	assert_false(tc_text_is_web_url("https://x/\xc3\xa4"));
	assert_true(tc_text_url_printable("mailto:a@b.test"));
	assert_false(tc_text_url_printable("mailto:a@b.test\n"));
}

/* A file a source names stays under the content folder. */
static void content_paths(void **state)
{
	(void)state;
	assert_true(tc_text_is_content_path("logo.svg"));
	assert_true(tc_text_is_content_path("certificates/iso-27001_v2.pdf"));
	assert_false(tc_text_is_content_path(""));
	assert_false(tc_text_is_content_path("/etc/passwd"));
	assert_false(tc_text_is_content_path("../site.md"));
	assert_false(tc_text_is_content_path("a/../../b.pdf"));
	assert_false(tc_text_is_content_path("a//b.pdf"));
	assert_false(tc_text_is_content_path("a/"));
	assert_false(tc_text_is_content_path(".hidden.svg"));
	assert_false(tc_text_is_content_path("a b.svg"));
	assert_false(tc_text_is_content_path("a\\b.svg"));
}

/* One edit distance for marks (lib/vocab.c) and suggestions (cgi/search.c):
 * bytes, insertions, deletions and substitutions one each; a b longer
 * than its bound is farther than any distance, never a read past the row. */
static void edit_distance(void **state)
{
	(void)state;
#define D(a, b) tc_text_distance(a, strlen(a), b, strlen(b))
	assert_int_equal(D("", ""), 0);
	assert_int_equal(D("", "abc"), 3);
	assert_int_equal(D("abc", ""), 3);
	assert_int_equal(D("encryption", "encryption"), 0);
	assert_int_equal(D("encrpytion", "encryption"), 2); /* a swap is 2 */
	assert_int_equal(D("encyption", "encryption"), 1);
	assert_int_equal(D("kitten", "sitting"), 3);
	assert_int_equal(D("sitting", "kitten"), 3);
	assert_int_equal(D("clientsresponsiblitly", "clientsresponsibility"),
			 2);
	/* bytes: "ü" is two, so "u" for it is a substitution and a deletion */
	assert_int_equal(D("schl\xc3\xbcssel", "schlussel"), 2);
	/* a prefix of b: n limits a, m limits b */
	assert_int_equal(tc_text_distance("encr", 4, "encryption", 4), 0);
	assert_int_equal(tc_text_distance("xyz", 0, "abc", 0), 0);
	/* the bound: b of TC_TEXT_DISTANCE_MAX bytes is measured, one more
	 * is farthest; a is not bounded */
	char a[300], b[TC_TEXT_DISTANCE_MAX + 2];
	memset(a, 'a', sizeof a);
	memset(b, 'a', sizeof b);
	assert_int_equal(
	    tc_text_distance(a, TC_TEXT_DISTANCE_MAX, b, TC_TEXT_DISTANCE_MAX),
	    0);
	assert_int_equal(tc_text_distance(a, 1, b, TC_TEXT_DISTANCE_MAX),
			 TC_TEXT_DISTANCE_MAX - 1);
	assert_int_equal(tc_text_distance(a, sizeof a, b, 1), sizeof a - 1);
	assert_true(tc_text_distance(a, 1, b, TC_TEXT_DISTANCE_MAX + 1) ==
		    (size_t)-1);
#undef D
}

/* The runs of plain bytes, tested eight at a time, against the rule a
 * byte at a time: every byte value at every place of every length up to
 * 40, and random buffers drawn mostly from the bytes next to the edges
 * (0x1f, 0x20, '"', '\\', 0x7f, 0x80, 0xff and NUL), where a borrow
 * between the bytes of a word would go wrong. */
static size_t ascii_ref(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

static size_t plain_ref(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' &&
	       s[i] != '\\')
		i++;
	return i;
}

static void plain_runs(void **state)
{
	(void)state;
	unsigned char b[48];
	for (size_t n = 0; n <= 40; n++)
		for (size_t at = 0; at < n; at++)
			for (unsigned v = 0; v < 256; v++) {
				memset(b, 'a', sizeof b);
				b[at] = (unsigned char)v;
				const char *s = (const char *)b;
				assert_int_equal(tc_ascii_run(s, n),
						 ascii_ref(b, n));
				assert_int_equal(tc_json_plain_run(s, n),
						 plain_ref(b, n));
			}
	static const unsigned char edge[] = {0x00, 0x1f, 0x20, 0x21, '"',
					     '\\', 0x5b, 0x5d, 0x7e, 0x7f,
					     0x80, 0x81, 0xfe, 0xff, 'a'};
	uint64_t r = 0x9e3779b97f4a7c15ull;
	for (int k = 0; k < 200000; k++) {
		size_t n = 0;
		for (; n < sizeof b; n++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			b[n] = r % 4 ? 'a' + (unsigned char)(r >> 40) % 26
				     : edge[(r >> 20) % sizeof edge];
		}
		n = (size_t)(r >> 50) % (sizeof b + 1);
		const char *s = (const char *)b;
		assert_int_equal(tc_ascii_run(s, n), ascii_ref(b, n));
		assert_int_equal(tc_json_plain_run(s, n), plain_ref(b, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_rules),
	    cmocka_unit_test(decodes_code_points),
	    cmocka_unit_test(json_strings),
	    cmocka_unit_test(dates),
	    cmocka_unit_test(versions),
	    cmocka_unit_test(web_urls),
	    cmocka_unit_test(content_paths),
	    cmocka_unit_test(edit_distance),
	    cmocka_unit_test(plain_runs),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
