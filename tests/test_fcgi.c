/* tc-search: the FastCGI request head check that runs before libfcgi. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../cgi/fcgi.h"
#include "helpers.h"

/* Appends a record: version, type, request ID, content, padding. */
static void record(tc_buf *b, int version, int type, int id, const void *c,
		   size_t n, int pad)
{
	unsigned char h[8] = {(unsigned char)version,   (unsigned char)type,
			      (unsigned char)(id >> 8), (unsigned char)id,
			      (unsigned char)(n >> 8),  (unsigned char)n,
			      (unsigned char)pad,       0};
	tc_buf_put(b, (const char *)h, 8);
	tc_buf_put(b, c, n);
	for (int i = 0; i < pad; i++)
		tc_buf_putc(b, 0);
}

static void begin(tc_buf *b, int id, int role)
{
	unsigned char c[8] = {(unsigned char)(role >> 8), (unsigned char)role};
	record(b, 1, 1, id, c, 8, 0);
}

/* One pair, with four-byte lengths when long is set. */
static void pair(tc_buf *b, const char *k, const char *v, int four)
{
	size_t kn = strlen(k), vn = strlen(v);
	size_t l[2] = {kn, vn};
	for (int i = 0; i < 2; i++) {
		if (four) {
			unsigned char x[4] = {
			    (unsigned char)(0x80 | l[i] >> 24),
			    (unsigned char)(l[i] >> 16),
			    (unsigned char)(l[i] >> 8), (unsigned char)l[i]};
			tc_buf_put(b, (const char *)x, 4);
		} else {
			tc_buf_putc(b, (char)l[i]);
		}
	}
	tc_buf_puts(b, k);
	tc_buf_puts(b, v);
}

static ts_fcgi_head check(const tc_buf *b, const char **why)
{
	return ts_fcgi_head_check((const unsigned char *)b->data, b->len, why);
}

static void good_head_and_every_prefix(void **state)
{
	(void)state;
	tc_buf p = TC_BUF_INIT, b = TC_BUF_INIT;
	pair(&p, "REQUEST_METHOD", "GET", 0);
	pair(&p, "QUERY_STRING", "q=firewall", 1);
	pair(&p, "DOCUMENT_URI", "/api/search", 0);
	begin(&b, 1, 1);
	/* the params split inside a pair, with padding, as a sender may */
	record(&b, 1, 4, 1, p.data, 20, 4);
	record(&b, 1, 4, 1, p.data + 20, p.len - 20, 0);
	record(&b, 1, 4, 1, "", 0, 0);
	size_t whole = b.len;
	record(&b, 1, 5, 1, "", 0, 0); /* STDIN after the head: not ours */
	const char *why;
	assert_int_equal(check(&b, &why), TS_FCGI_OK);
	for (size_t n = 0; n < whole; n++) {
		ts_fcgi_head h =
		    ts_fcgi_head_check((unsigned char *)b.data, n, &why);
		if (h != TS_FCGI_MORE)
			print_error("prefix %zu: %d %s\n", n, h, why);
		assert_int_equal(h, TS_FCGI_MORE);
	}
	tc_buf_free(&p);
	tc_buf_free(&b);
}

static void expect_bad(const tc_buf *b, const char *why_part)
{
	const char *why = NULL;
	assert_int_equal(check(b, &why), TS_FCGI_BAD);
	assert_non_null(why);
	if (!strstr(why, why_part))
		print_error("why: %s\n", why);
	assert_non_null(strstr(why, why_part));
}

static void bad_heads(void **state)
{
	(void)state;
	tc_buf b = TC_BUF_INIT, p = TC_BUF_INIT;
	pair(&p, "A", "b", 0);

	tc_buf_putc(&b, 2); /* the version is judged from its first byte */
	expect_bad(&b, "version 1");
	tc_buf_clear(&b);
	record(&b, 1, 4, 1, p.data, p.len, 0);
	expect_bad(&b, "BEGIN_REQUEST");
	tc_buf_clear(&b);
	begin(&b, 0, 1); /* request ID 0 is for management records */
	expect_bad(&b, "BEGIN_REQUEST");
	tc_buf_clear(&b);
	record(&b, 1, 1, 1, "\0\1\0\0\0\0\0", 7, 0);
	expect_bad(&b, "BEGIN_REQUEST");
	tc_buf_clear(&b);
	begin(&b, 1, 2); /* AUTHORIZER */
	expect_bad(&b, "RESPONDER");
	tc_buf_clear(&b);
	begin(&b, 1, 1);
	record(&b, 1, 4, 2, p.data, p.len, 0); /* another request's */
	expect_bad(&b, "other than PARAMS");
	tc_buf_clear(&b);
	begin(&b, 1, 1);
	record(&b, 1, 5, 1, "", 0, 0); /* STDIN before the params end */
	expect_bad(&b, "other than PARAMS");
	tc_buf_clear(&b);
	begin(&b, 1, 1);
	begin(&b, 1, 1);
	expect_bad(&b, "other than PARAMS");
	tc_buf_clear(&b);
	begin(&b, 1, 1);
	record(&b, 1, 4, 1, p.data, p.len, 0);
	record(&b, 2, 4, 1, "", 0, 0);
	expect_bad(&b, "version 1");
	tc_buf_free(&b);
	tc_buf_free(&p);
}

/* The lengths that made libfcgi abort in its allocator. */
static void absurd_lengths(void **state)
{
	(void)state;
	static const unsigned char streams[][16] = {
	    {0xc0, 0, 0, 0, 0xc0, 0, 0, 0, 'a', 'b'},
	    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'a'},
	    {0x01, 0xff, 0xff, 0xff, 0xff, 'a'},
	    {0x05, 0x00, 'a', 'b'},
	    {0x80, 0, 0},
	    {0x01},
	};
	static const size_t lens[] = {10, 9, 6, 4, 3, 1};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		tc_buf b = TC_BUF_INIT;
		begin(&b, 1, 1);
		record(&b, 1, 4, 1, streams[i], lens[i], 0);
		record(&b, 1, 4, 1, "", 0, 0);
		expect_bad(&b, "runs past the end");
		assert_int_equal(ts_fcgi_pairs(streams[i], lens[i], NULL, NULL),
				 -1);
		tc_buf_free(&b);
	}
}

static void too_large(void **state)
{
	(void)state;
	static char big[60000];
	memset(big, 'x', sizeof big);
	tc_buf b = TC_BUF_INIT, p = TC_BUF_INIT;
	begin(&b, 1, 1);
	record(&b, 1, 4, 1, big, 60000, 0);
	const char *why;
	assert_int_equal(check(&b, &why), TS_FCGI_MORE); /* still fits */
	record(&b, 1, 4, 1, big, 10000, 0);
	expect_bad(&b, "64 KiB");
	/* judged from the header alone, before its content arrives */
	b.len -= 10000;
	expect_bad(&b, "64 KiB");
	tc_buf_free(&b);
	tc_buf_free(&p);
}

static int collect(const unsigned char *n, size_t nn, const unsigned char *v,
		   size_t vn, void *ud)
{
	tc_buf_printf(ud, "%.*s=%.*s;", (int)nn, (const char *)n, (int)vn,
		      (const char *)v);
	return 0;
}

static void pairs(void **state)
{
	(void)state;
	tc_buf p = TC_BUF_INIT, out = TC_BUF_INIT;
	pair(&p, "QUERY_STRING", "q=a", 0);
	pair(&p, "EMPTY", "", 1);
	pair(&p, "", "nameless", 0);
	assert_int_equal(
	    ts_fcgi_pairs((unsigned char *)p.data, p.len, collect, &out), 0);
	assert_string_equal(tc_buf_cstr(&out),
			    "QUERY_STRING=q=a;EMPTY=;=nameless;");
	assert_int_equal(ts_fcgi_pairs(NULL, 0, collect, &out), 0);
	tc_buf_free(&p);
	tc_buf_free(&out);
}

/* An answer as STDOUT records (ts_fcgi_stdout): read back record by
 * record, each version 1, STDOUT, the request's ID, at most 65,535 bytes
 * and unpadded, they hold the answer's bytes in order; an empty answer is
 * no record (libfcgi writes the empty one that ends the stream). */
static void answers_as_stdout_records(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 65534, 65535, 65536, 200000};
	for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
		size_t n = sizes[z];
		char *s = malloc(n + 1);
		assert_non_null(s);
		for (size_t i = 0; i < n; i++)
			s[i] = (char)(i * 7 + i / 251);
		tc_buf out = TC_BUF_INIT, back = TC_BUF_INIT;
		ts_fcgi_stdout(&out, 0x1234, s, n);
		const unsigned char *r = (const unsigned char *)out.data;
		size_t at = 0, records = 0;
		while (at < out.len) {
			assert_true(out.len - at >= 8);
			assert_int_equal(r[at], 1);
			assert_int_equal(r[at + 1], 6);
			assert_int_equal(r[at + 2] << 8 | r[at + 3], 0x1234);
			size_t k = (size_t)(r[at + 4] << 8 | r[at + 5]);
			assert_int_equal(r[at + 6], 0);
			assert_true(k > 0 && out.len - at - 8 >= k);
			tc_buf_put(&back, (const char *)r + at + 8, k);
			at += 8 + k;
			records++;
		}
		assert_int_equal(records, (n + 65534) / 65535);
		assert_int_equal(back.len, n);
		if (n)
			assert_memory_equal(back.data, s, n);
		tc_buf_free(&out);
		tc_buf_free(&back);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good_head_and_every_prefix),
	    cmocka_unit_test(bad_heads),
	    cmocka_unit_test(absurd_lengths),
	    cmocka_unit_test(too_large),
	    cmocka_unit_test(pairs),
	    cmocka_unit_test(answers_as_stdout_records),
	};
	return cmocka_run_group_tests_name("fcgi", tests, NULL, NULL);
}
