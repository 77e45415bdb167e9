/* cgi/xlsxd: tc-search's workbooks, made from the model its index holds
 * and a pick (lib/model.h), in process or by a helper that is sent the
 * pick as a request. On examples/fictional (English and German): the
 * workbook tc-search answers for a filter is the static one tc-gen wrote
 * for it, byte for byte, in both languages; a helper's workbook is the
 * worker's; and every request a helper cannot take is refused with what
 * is wrong with it. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>

#include <valgrind/valgrind.h>

#include "../cgi/app.h"
#include "../cgi/xlsxd.h"
#include "../gen/build.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	ix = repo_fixture_index("examples/fictional", "out", "search.sqlite");
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_index_close(ix);
	leave_tmpdir(cwd, tmp);
	return 0;
}

/* tc-search's answer to GET /api/export?query, its body into body. */
static int export(const char *query, tc_buf *body)
{
	ts_request rq = {"GET", "/api/export", query, NULL, NULL,
			 NULL,  NULL,          0,     0};
	ts_response rs;
	ts_handle(ix, &rq, &rs);
	int status = rs.status;
	tc_buf_clear(body);
	tc_buf_put(body, rs.body.data, rs.body.len);
	ts_response_free(&rs);
	return status;
}

static void same_as_file(const tc_buf *got, const char *path)
{
	size_t n = 0;
	char *want = tc_read_file(path, &n);
	if (!want || n != got->len || memcmp(want, got->data, n))
		print_error("%s: %zu bytes, tc-search answered %zu\n", path, n,
			    got->len);
	assert_non_null(want);
	assert_int_equal(n, got->len);
	assert_memory_equal(want, got->data, n);
	free(want);
}

/* The whole set's and every product's workbook, in English and German:
 * tc-search's export of the filter is the file tc-gen wrote (its
 * German export had English sheets, headers and words). */
static void the_export_is_the_download(void **state)
{
	(void)state;
	static const char *const langs[] = {"en", "de"};
	tc_buf body = TC_BUF_INIT, q = TC_BUF_INIT, path = TC_BUF_INIT;
	for (size_t i = 0; i < 2; i++) {
		const char *prefix = i ? "de/" : "";
		ts_index *lx = ts_index_lang(ix, langs[i]);
		const tc_model *m = ts_index_model(lx);
		assert_non_null(m);
		tc_buf_clear(&q);
		tc_buf_printf(&q, "format=xlsx&lang=%s", langs[i]);
		assert_int_equal(export(tc_buf_cstr(&q), &body), 200);
		tc_buf_clear(&path);
		tc_buf_printf(&path, "out/%sapi/tom.xlsx", prefix);
		same_as_file(&body, tc_buf_cstr(&path));
		size_t products = 0;
		for (size_t s = 0; s < m->nscopes; s++) {
			if (m->scopes[s].kind != SK_PRODUCT)
				continue;
			products++;
			tc_buf_clear(&q);
			tc_buf_printf(&q, "format=xlsx&product=%s&lang=%s",
				      m->scopes[s].id, langs[i]);
			assert_int_equal(export(tc_buf_cstr(&q), &body), 200);
			tc_buf_clear(&path);
			tc_buf_printf(&path, "out/%sapi/products/%s.xlsx",
				      prefix, m->scopes[s].id);
			same_as_file(&body, tc_buf_cstr(&path));
		}
		assert_true(products >= 5);
	}
	tc_buf_free(&body);
	tc_buf_free(&q);
	tc_buf_free(&path);
}

/* The queries the helpers are asked below: products, statuses,
 * responsibilities, a category and q, in both languages. */
static const char *const asked[] = {
    "format=xlsx",
    "format=xlsx&lang=de",
    "format=xlsx&product=cloud-servers&status=provided",
    "format=xlsx&product=colocation&responsibility=client,shared&lang=de",
    "format=xlsx&status=not-applicable",
    "format=xlsx&q=backup",
    "format=xlsx&q=backup&product=cloud-servers&lang=de",
    "format=xlsx&q=Sicherung&lang=de",
    "format=xlsx&q=encryption+OR+firewall&status=provided",
    "format=xlsx&category=transfer-control&product=web-hosting",
    "format=xlsx&product=web-hosting&status=client",
    NULL};

/* In a child: helpers started, every query answered by them; 0 when
 * each is the bytes of want[i], the in-process answer. */
static int through_helpers(tc_buf *want)
{
	if (ts_xlsxd_start(TS_XLSXD_HELPERS, ix) < 0)
		return 10;
	tc_buf body = TC_BUF_INIT;
	for (size_t i = 0; asked[i]; i++) {
		if (export(asked[i], &body) != 200)
			return 20 + (int)i;
		if (body.len != want[i].len ||
		    memcmp(body.data, want[i].data, body.len))
			return 40 + (int)i;
	}
	return ts_xlsxd_lost() ? 11 : 0;
}

/* A helper, sent the pick as a request, writes the bytes the worker
 * writes itself (the in-process path of unit tests and --no-sandbox). */
static void a_helpers_workbook_is_the_workers(void **state)
{
	(void)state;
	size_t n = 0;
	while (asked[n])
		n++;
	tc_buf *want = tc_xcalloc(n, sizeof *want);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(export(asked[i], &want[i]), 200);
		assert_memory_equal(want[i].data, "PK\x03\x04", 4);
	}
	/* the filters make different workbooks */
	assert_true(want[0].len != want[2].len ||
		    memcmp(want[0].data, want[2].data, want[0].len));
	if (RUNNING_ON_VALGRIND) { /* no seccomp(2) under valgrind */
		for (size_t i = 0; i < n; i++)
			tc_buf_free(&want[i]);
		free(want);
		skip();
	}
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		_exit(through_helpers(want));
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	for (size_t i = 0; i < n; i++)
		tc_buf_free(&want[i]);
	free(want);
}

/* A request: code (space-padded to 16), the five filters (NULL: not
 * given), then count and the measure bits (all set when count is the
 * model's). */
static void request(tc_buf *r, const char *code, const char *const f[5],
		    size_t count)
{
	tc_buf_clear(r);
	tc_buf_printf(r, "%-16s", code);
	for (int i = 0; i < 5; i++) {
		size_t n = f[i] ? strlen(f[i]) : 0xffff;
		tc_buf_putc(r, (char)(n >> 8));
		tc_buf_putc(r, (char)n);
		if (f[i])
			tc_buf_puts(r, f[i]);
	}
	for (int s = 24; s >= 0; s -= 8)
		tc_buf_putc(r, (char)(count >> s));
	for (size_t i = 0; i < count / 8; i++)
		tc_buf_putc(r, (char)0xff);
	if (count % 8)
		tc_buf_putc(r, (char)((1u << (count % 8)) - 1));
}

static size_t measures_of(const tc_model *m)
{
	size_t n = 0;
	for (size_t c = 0; c < m->ncategories; c++)
		n += m->categories[c].nmeasures;
	return n;
}

/* ts_xlsxd_answer on r: -1 and exactly this message, nothing written. */
#define REFUSED(r, n, msg)                                                     \
	do {                                                                   \
		tc_buf out_ = TC_BUF_INIT, why_ = TC_BUF_INIT;                 \
		int rc_ = ts_xlsxd_answer(ix, (r), (n), &out_, &why_);         \
		if (rc_ != -1 || strcmp(tc_buf_cstr(&why_), msg))              \
			print_error("%d: %s\n", rc_, tc_buf_cstr(&why_));      \
		assert_int_equal(rc_, -1);                                     \
		assert_string_equal(tc_buf_cstr(&why_), msg);                  \
		assert_int_equal(out_.len, 0);                                 \
		tc_buf_free(&out_);                                            \
		tc_buf_free(&why_);                                            \
	} while (0)

/* Every way a request can be wrong is refused with what is wrong with it,
 * never answered with a guess and never a crash; a request made by hand
 * as the format says is answered as the worker's own. */
static void requests_are_checked(void **state)
{
	(void)state;
	const tc_model *m = ts_index_model(ix);
	size_t total = measures_of(m);
	const char *none[5] = {NULL};
	tc_buf r = TC_BUF_INIT, out = TC_BUF_INIT, why = TC_BUF_INIT,
	       want = TC_BUF_INIT;
	/* by hand: the whole set, the bytes of api/tom.xlsx */
	request(&r, "en", none, total);
	assert_int_equal(ts_xlsxd_answer(ix, r.data, r.len, &out, &why), 0);
	same_as_file(&out, "out/api/tom.xlsx");
	/* and as ts_xlsxd_request makes it, with filters */
	const char *f[5] = {"cloud-servers", NULL, "provided", "client,shared",
			    "backup"};
	tc_pick *pk = tc_pick_filter(m, f[0], f[1], f[2], f[3]);
	unsigned char *keep = tc_xcalloc(total, 1);
	memset(keep, 1, total);
	tc_pick_only(pk, keep, f[4]);
	tc_buf made = TC_BUF_INIT;
	assert_int_equal(ts_xlsxd_request(ix, pk, &made), 0);
	/* the same head; its bits are the measures the pick keeps, where
	 * the hand-made request sets every one (the filters drop the rest) */
	request(&r, "en", f, total);
	assert_int_equal(made.len, r.len);
	size_t head = r.len - (total + 7) / 8;
	assert_memory_equal(made.data, r.data, head);
	assert_true(memcmp(made.data + head, r.data + head, r.len - head));
	tc_buf_clear(&out);
	assert_int_equal(ts_xlsxd_answer(ix, r.data, r.len, &out, &why), 0);
	tc_buf_put(&want, out.data, out.len);
	tc_buf_clear(&out);
	assert_int_equal(ts_xlsxd_answer(ix, made.data, made.len, &out, &why),
			 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	/* in process, the same */
	tc_buf direct = TC_BUF_INIT;
	assert_int_equal(ts_xlsxd_render(ix, pk, &direct), 0);
	assert_int_equal(direct.len, want.len);
	assert_memory_equal(direct.data, want.data, want.len);
	tc_buf_free(&direct);
	tc_pick_free(pk);
	free(keep);
	tc_buf_free(&made);

	/* the length, the index, the language */
	REFUSED(r.data, 15, "the request's length is wrong");
	tc_buf big = TC_BUF_INIT;
	for (size_t i = 0; i <= TS_XLSXD_MAX_REQUEST; i++)
		tc_buf_putc(&big, ' ');
	REFUSED(big.data, big.len, "the request's length is wrong");
	tc_buf_free(&big);
	tc_buf_clear(&out);
	tc_buf_clear(&why);
	assert_int_equal(ts_xlsxd_answer(NULL, r.data, r.len, &out, &why), -1);
	assert_string_equal(tc_buf_cstr(&why), "no index to answer from");
	request(&r, "fr", none, total);
	REFUSED(r.data, r.len, "the request's language is none of the index");
	request(&r, "en de", none, total);
	REFUSED(r.data, r.len, "the request's language is none of the index");
	request(&r, "", none, total);
	REFUSED(r.data, r.len, "the request's language is none of the index");
	request(&r, "en", none, total);
	r.data[2] = '\0'; /* "en\0" and spaces */
	REFUSED(r.data, r.len, "the request's language is none of the index");

	/* each field: cut, too long, not text, not of the data set */
	request(&r, "en", none, total);
	REFUSED(r.data, 16, "the request ends before its product");
	REFUSED(r.data, 17, "the request ends before its product");
	REFUSED(r.data, 16 + 2 + 2 + 2 + 1,
		"the request ends before its responsibility");
	const char *cut[5] = {"cloud-servers"};
	request(&r, "en", cut, total);
	REFUSED(r.data, 16 + 2 + 5, "the request's product is cut or too long");
	char *longer = tc_xcalloc(TS_XLSXD_FIELD_MAX + 2, 1);
	memset(longer, 'a', TS_XLSXD_FIELD_MAX + 1);
	const char *too_long[5] = {NULL, longer};
	request(&r, "en", too_long, total);
	REFUSED(r.data, r.len, "the request's category is cut or too long");
	free(longer);
	const char *not_text[5] = {NULL, NULL, "provided\xff"};
	request(&r, "en", not_text, total);
	REFUSED(r.data, r.len, "the request's status is not UTF-8 text");
	const char *nul[5] = {"cloud-servers"};
	request(&r, "en", nul, total);
	r.data[16 + 2 + 5] = '\0';
	REFUSED(r.data, r.len, "the request's product is not UTF-8 text");
	static const struct {
		int field;
		const char *value, *msg;
	} bad[] = {
	    {0, "no-such-product",
	     "the request's product is not one of the data set"},
	    /* a scope, but no product's */
	    {0, "general", "the request's product is not one of the data set"},
	    {1, "no-such-category",
	     "the request's category is not one of the data set"},
	    {2, "maybe", "the request's status is not one of the data set"},
	    {3, "client,",
	     "the request's responsibility is not one of the "
	     "data set"},
	    {3, "", "the request's responsibility is not one of the data set"},
	    {3, "client,,shared",
	     "the request's responsibility is not one of the data set"},
	    {3, "ours",
	     "the request's responsibility is not one of the data "
	     "set"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *g[5] = {NULL};
		g[bad[i].field] = bad[i].value;
		request(&r, "en", g, total);
		REFUSED(r.data, r.len, bad[i].msg);
	}
	char q[TS_MAX_QUERY + 2];
	memset(q, 'q', sizeof q - 1);
	q[sizeof q - 1] = '\0';
	const char *long_q[5] = {NULL, NULL, NULL, NULL, q};
	request(&r, "en", long_q, total);
	REFUSED(r.data, r.len, "the request's q is not one of the data set");
	q[TS_MAX_QUERY] = '\0'; /* at the bound: taken */
	request(&r, "en", long_q, total);
	tc_buf_clear(&out);
	assert_int_equal(ts_xlsxd_answer(ix, r.data, r.len, &out, &why), 0);

	/* the measures: as many as the model's, nothing after them */
	request(&r, "en", none, total);
	REFUSED(r.data, 16 + 5 * 2 + 3, "the request ends before its measures");
	REFUSED(r.data, r.len - 1,
		"the request's measures are not the data set's");
	tc_buf_putc(&r, '\0');
	REFUSED(r.data, r.len, "the request's measures are not the data set's");
	request(&r, "en", none, total - 1);
	REFUSED(r.data, r.len, "the request's measures are not the data set's");
	request(&r, "en", none, total + 1);
	REFUSED(r.data, r.len, "the request's measures are not the data set's");
	/* a bit past the last measure */
	request(&r, "en", none, total);
	if (total % 8) {
		r.data[r.len - 1] = (char)0xff;
		REFUSED(r.data, r.len,
			"the request's measures are not the data set's");
	}
	tc_buf_free(&r);
	tc_buf_free(&out);
	tc_buf_free(&why);
	tc_buf_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_export_is_the_download),
	    cmocka_unit_test(a_helpers_workbook_is_the_workers),
	    cmocka_unit_test(requests_are_checked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
