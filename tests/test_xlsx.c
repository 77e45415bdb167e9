/* lib/xlsx: the one workbook writer (libxlsxwriter, constant memory) of
 * both binaries. What a workbook says cell by cell is checked against
 * tom.json by tests/integration/test_interop.py (openpyxl); here: the same
 * data gives the same bytes whichever way it is asked for, and text Excel
 * cannot hold as it is (control characters, overlong cells, more
 * hyperlinks than a sheet takes) still gives a workbook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/sha256.h"
#include "../lib/xlsx.h"

static const char sha[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* A data set of n measures, each with a cell for one product; note is
 * each cell's note, url each measure's URL (%zu: its number). */
static json_t *doc_of(size_t n, const char *note, const char *url)
{
	json_t *ms = json_array();
	for (size_t i = 0; i < n; i++) {
		char id[32], u[256];
		snprintf(id, sizeof id, "ALP-%zu", i + 1);
		snprintf(u, sizeof u, url, i + 1);
		json_array_append_new(
		    ms, json_pack("{s:s, s:s, s:s, s:{s:{s:s, s:s, s:s, s:s}}}",
				  "id", id, "text", "A measure", "url", u,
				  "cells", "box", "status", "provided",
				  "responsibility", "provider", "label",
				  "\xe2\x9c\x93", "note", note));
	}
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:o}]}",
	    "title", "Technical and organisational measures", "organisation",
	    "Example", "version", "2026.1", "date", "2026-11-26", "scopes",
	    "id", "box", "name", "Box", "kind", "product", "categories", "id",
	    "alpha", "title", "Alpha", "measures", ms);
}

/* The file at path holds want's bytes; it is removed. */
static void file_is(char *path, const tc_buf *want)
{
	size_t n = 0;
	char *got = tc_read_file(path, &n);
	unlink(path);
	assert_non_null(got);
	assert_int_equal(n, want->len);
	assert_memory_equal(got, want->data, n);
	free(got);
}

static void workbook(json_t *doc, tc_buf *out)
{
	tc_buf_clear(out);
	assert_int_equal(tc_xlsx_buf(doc, tc_lang_default(), sha, out), 0);
	assert_true(out->len > 4);
	assert_memory_equal(out->data, "PK\x03\x04", 4);
}

/* The same bytes twice, and from a file as from memory: the workbook's
 * time is the data's date, never the clock. */
static void reproducible(void **state)
{
	(void)state;
	json_t *doc = doc_of(3, "daily", "https://example.test/#ALP-%zu");
	tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
	workbook(doc, &a);
	workbook(doc, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	char path[] = "/tmp/tc-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tc_xlsx_write(doc, tc_lang_default(), sha, path), 0);
	file_is(path, &a);
	tc_buf_free(&a);
	tc_buf_free(&b);
	json_decref(doc);
}

/* A workbook started in the background is the one a later write of the
 * same path answers, with the bytes a write in the foreground gives. */
static void background_is_foreground(void **state)
{
	(void)state;
	json_t *doc = doc_of(50, "weekly", "https://example.test/#ALP-%zu");
	json_t *tomj = json_pack("{s:s}", "any", "text");
	char *tom = json_dumps(tomj, JSON_COMPACT);
	tc_buf want = TC_BUF_INIT;
	char path[] = "/tmp/tc-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(
	    tc_xlsx_start(doc, tc_lang_default(), tom, strlen(tom), path), 0);
	/* one at a time */
	assert_int_equal(
	    tc_xlsx_start(doc, tc_lang_default(), tom, strlen(tom), path), -1);
	/* the digest the background computed of tom */
	char digest[65];
	tc_sha256_hex(tom, strlen(tom), digest);
	assert_int_equal(tc_xlsx_write(doc, tc_lang_default(), digest, path),
			 0);
	assert_int_equal(tc_xlsx_finish(), 0); /* none left running */
	assert_int_equal(tc_xlsx_buf(doc, tc_lang_default(), digest, &want), 0);
	file_is(path, &want);
	free(tom);
	json_decref(tomj);
	tc_buf_free(&want);
	json_decref(doc);
}

/* Control characters, a note past Excel's 32,767 characters and more
 * URLs than a sheet takes as hyperlinks (65,530): still a workbook,
 * never an error (the text is cut, the URLs past the limit are text). */
static void what_excel_cannot_hold(void **state)
{
	(void)state;
	tc_buf out = TC_BUF_INIT;
	json_t *doc = doc_of(2, "tab\there\x01 bell\x07",
			     "https://example.test/a b?%zu#x#y");
	workbook(doc, &out);
	json_decref(doc);
	char *big = malloc(40001);
	assert_non_null(big);
	memset(big, 'a', 40000);
	memcpy(big + 32766, "\xc3\xa4", 2); /* cut inside ä: not mid-char */
	big[40000] = '\0';
	doc = doc_of(1, big, "https://example.test/%zu");
	workbook(doc, &out);
	json_decref(doc);
	free(big);
	doc = doc_of(65600, "", "https://example.test/#ALP-%zu");
	workbook(doc, &out);
	json_decref(doc);
	tc_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reproducible),
	    cmocka_unit_test(background_is_foreground),
	    cmocka_unit_test(what_excel_cannot_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
