/* helpers.h: small utilities shared by the test suites (static, so each
 * suite is one translation unit plus the modules under test). */
#ifndef TC_TEST_HELPERS_H
#define TC_TEST_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/diag.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "fixture.h"

/* All diagnostics, sorted, one per line. Caller frees. */
static inline char *diags_text(tc_diags *d)
{
	tc_buf b = TC_BUF_INIT;
	tc_diags_sort(d);
	for (size_t i = 0; i < tc_diags_count(d); i++) {
		char *s = tc_diag_format(tc_diags_get(d, i));
		tc_buf_printf(&b, "%s\n", s);
		free(s);
	}
	return tc_buf_detach(&b);
}

/* A fresh temporary folder; the test chdirs into it so paths in
 * diagnostics are short and stable. Returns the previous cwd. */
static inline char *enter_tmpdir(char *path_out, size_t n)
{
	char *cwd = getcwd(NULL, 0);
	snprintf(path_out, n, "/tmp/tc-test-XXXXXX");
	if (!mkdtemp(path_out) || chdir(path_out) != 0)
		abort();
	return cwd;
}

static inline void leave_tmpdir(char *cwd, const char *path)
{
	if (chdir(cwd) != 0)
		abort();
	free(cwd);
	tc_rmtree(path);
}

static inline void put_file(const char *path, const char *text)
{
	if (tc_write_file(path, text, strlen(text)) != 0)
		abort();
}

/* The repository's message catalogue of language code
 * (templates/i18n/<code>.json), which must read without a word said: a
 * word of it fails the test. Caller frees with tc_msgs_free. (Suites
 * include cmocka.h before this header.) */
static inline tc_msgs *repo_catalogue(const char *code)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/templates/i18n/%s.json", repo_root(), code);
	size_t len = 0;
	char *text = tc_read_file(tc_buf_cstr(&p), &len);
	if (!text)
		fail_msg("%s: cannot be read", tc_buf_cstr(&p));
	tc_diags *d = tc_diags_new();
	tc_msgs *m = tc_msgs_parse(tc_buf_cstr(&p), text, len, d);
	char *errs = diags_text(d);
	assert_string_equal(errs, "");
	assert_non_null(m);
	free(errs);
	tc_diags_free(d);
	free(text);
	tc_buf_free(&p);
	return m;
}

/* The site of the repository's folder rel (tests/fixtures/mini) built
 * into output, its index at index, opened (fixture.h: NULL when the build
 * or the open fails), for a suite's setup to ask questions of. */
static inline ts_index *repo_fixture_index(const char *rel, const char *output,
					   const char *index)
{
	char content[4096];
	snprintf(content, sizeof content, "%s/%s", repo_root(), rel);
	return fixture_index(content, output, index, NULL);
}

/* The output of a shell command made like printf's, which must succeed
 * (the test fails naming it and its status otherwise): how the PDF suites
 * read an annex back with poppler (pdftotext, pdfinfo). Never NULL; caller
 * frees. */
static inline char *command_output(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static inline char *command_output(const char *fmt, ...)
{
	tc_buf cmd = TC_BUF_INIT, out = TC_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	tc_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(tc_buf_cstr(&cmd), "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		tc_buf_put(&out, chunk, n);
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("'%s' failed (%d)", tc_buf_cstr(&cmd), rc);
	tc_buf_free(&cmd);
	return tc_buf_detach(&out);
}

/* How many pages pdfinfo counts in pdf. */
static inline int pdf_pages(const char *pdf)
{
	char *info = command_output("pdfinfo '%s'", pdf);
	const char *p = strstr(info, "\nPages:");
	assert_non_null(p);
	int n = atoi(p + 7);
	free(info);
	return n;
}

#endif
