/* lib/xlsx: the one workbook writer (libxlsxwriter, constant memory) of
 * both binaries, over a model and a pick (lib/model.h). What a workbook
 * says cell by cell is checked against tom.json by
 * tests/integration/test_interop.py (openpyxl), and that tc-search's
 * workbook of a filter is tc-gen's static one by test_search; here: the
 * same data gives the same bytes whichever way it is asked for, a pick
 * keeps what it keeps, and text Excel cannot hold as it is (control
 * characters, overlong cells, more hyperlinks than a sheet takes) still
 * gives a workbook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/sha256.h"
#include "../lib/xlsx.h"

static const char sha[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* A data set of n measures, each with a cell for product box and one
 * for product other; note is each box cell's note, url the base URL. The
 * table's columns are other, box (swap: box, other). */
static tc_model *model_cols(size_t n, const char *note, const char *url,
			    bool swap)
{
	tc_model *m = tc_xcalloc(1, sizeof *m);
	m->title = tc_xstrdup("Technical and organisational measures");
	m->organisation = tc_xstrdup("Example");
	m->version = tc_xstrdup("2026.1");
	m->date = tc_xstrdup("2026-11-26");
	m->base_url = tc_xstrdup(url);
	m->nscopes = 2;
	m->scopes = tc_xcalloc(2, sizeof *m->scopes);
	m->scopes[0] = (tc_scope){.id = tc_xstrdup("box"),
				  .name = tc_xstrdup("Box"),
				  .kind = SK_PRODUCT};
	m->scopes[1] = (tc_scope){.id = tc_xstrdup("other"),
				  .name = tc_xstrdup("Other"),
				  .kind = SK_PRODUCT};
	m->ncategories = 1;
	m->categories = tc_xcalloc(1, sizeof *m->categories);
	tc_category *c = &m->categories[0];
	c->id = tc_xstrdup("alpha");
	c->title = tc_xstrdup("Alpha");
	c->ntables = 1;
	c->tables = tc_xcalloc(1, sizeof *c->tables);
	size_t bx = swap ? 0 : 1; /* box's column */
	c->tables[0].nscopes = 2;
	c->tables[0].scopes = tc_xcalloc(2, sizeof(size_t));
	c->tables[0].scopes[bx] = 0;
	c->tables[0].scopes[1 - bx] = 1;
	c->tables[0].has_products = true;
	c->nmeasures = n;
	c->measures = tc_xcalloc(n ? n : 1, sizeof *c->measures);
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "ALP-%zu", i + 1);
		tc_measure *me = &c->measures[i];
		me->id = tc_xstrdup(id);
		me->text_data = tc_xstrdup("A measure");
		me->cells = tc_xcalloc(2, sizeof *me->cells);
		me->cells[1 - bx] = (tc_cell){.status = ST_NOT_PROVIDED,
					      .resp = RS_NONE,
					      .label = tc_xstrdup("X"),
					      .note_data = tc_xstrdup("")};
		me->cells[bx] = (tc_cell){.status = ST_PROVIDED,
					  .resp = RS_PROVIDER,
					  .label = tc_xstrdup("\xe2\x9c\x93"),
					  .note_data = tc_xstrdup(note)};
	}
	return m;
}

static tc_model *model_of(size_t n, const char *note, const char *url)
{
	return model_cols(n, note, url, false);
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

static void workbook(const tc_model *m, const tc_pick *p, tc_buf *out)
{
	tc_buf_clear(out);
	assert_int_equal(tc_xlsx_buf(m, p, tc_lang_default(), sha, out), 0);
	assert_true(out->len > 4);
	assert_memory_equal(out->data, "PK\x03\x04", 4);
}

/* The same bytes twice, and from a file as from memory: the workbook's
 * time is the data's date, never the clock. */
static void reproducible(void **state)
{
	(void)state;
	tc_model *m = model_of(3, "daily", "https://example.test");
	tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
	workbook(m, NULL, &a);
	tc_pick *all = tc_pick_all(m);
	workbook(m, all, &b); /* NULL is all of it */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	char path[] = "/tmp/tc-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tc_xlsx_write(m, all, tc_lang_default(), sha, path),
			 0);
	file_is(path, &a);
	tc_pick_free(all);
	tc_buf_free(&a);
	tc_buf_free(&b);
	tc_model_free(m);
}

/* A workbook started in the background is the one a later write of the
 * same path answers, with the bytes a write in the foreground gives. */
static void background_is_foreground(void **state)
{
	(void)state;
	tc_model *m = model_of(50, "weekly", "https://example.test");
	tc_pick *p = tc_pick_filter(m, "box", NULL, NULL, NULL);
	const char *tom = "{\"any\":\"text\"}";
	tc_buf want = TC_BUF_INIT;
	char path[] = "/tmp/tc-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(
	    tc_xlsx_start(m, p, tc_lang_default(), tom, strlen(tom), path), 0);
	/* one at a time */
	assert_int_equal(
	    tc_xlsx_start(m, p, tc_lang_default(), tom, strlen(tom), path), -1);
	/* the digest the background computed of tom */
	char digest[65];
	tc_sha256_hex(tom, strlen(tom), digest);
	assert_int_equal(tc_xlsx_write(m, p, tc_lang_default(), digest, path),
			 0);
	assert_int_equal(tc_xlsx_finish(), 0); /* none left running */
	assert_int_equal(tc_xlsx_buf(m, p, tc_lang_default(), digest, &want),
			 0);
	file_is(path, &want);
	tc_buf_free(&want);
	tc_pick_free(p);
	tc_model_free(m);
}

/* The rows of a measure follow the scopes, as api/tom.json lists them,
 * whatever the order of its table's columns; a pick keeps its product's
 * rows only (and says so on the cover), and a pick of nothing is still a
 * workbook. */
static void rows_and_picks(void **state)
{
	(void)state;
	tc_model *m = model_cols(4, "daily", "https://example.test", false);
	tc_model *swapped =
	    model_cols(4, "daily", "https://example.test", true);
	tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
	workbook(m, NULL, &a);
	workbook(swapped, NULL, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	tc_pick *box = tc_pick_filter(m, "box", NULL, NULL, NULL);
	tc_pick *other = tc_pick_filter(m, "other", NULL, NULL, NULL);
	workbook(m, box, &a);
	workbook(m, other, &b);
	assert_true(a.len != b.len || memcmp(a.data, b.data, a.len));
	tc_buf c = TC_BUF_INIT;
	workbook(m, NULL, &c);
	assert_true(a.len != c.len || memcmp(a.data, c.data, a.len));
	/* nothing kept: the cover and the header row */
	tc_pick *none = tc_pick_filter(m, "box", NULL, "client", NULL);
	assert_true(tc_pick_empty(none));
	workbook(m, none, &c);
	tc_pick_free(none);
	tc_pick_free(box);
	tc_pick_free(other);
	tc_buf_free(&a);
	tc_buf_free(&b);
	tc_buf_free(&c);
	tc_model_free(m);
	tc_model_free(swapped);
}

/* Control characters, a note past Excel's 32,767 characters and more
 * URLs than a sheet takes as hyperlinks (65,530): still a workbook,
 * never an error (the text is cut, the URLs past the limit are text). */
static void what_excel_cannot_hold(void **state)
{
	(void)state;
	tc_buf out = TC_BUF_INIT;
	tc_model *m =
	    model_of(2, "tab\there\x01 bell\x07", "https://example.test/a b?x");
	workbook(m, NULL, &out);
	tc_model_free(m);
	char *big = malloc(40001);
	assert_non_null(big);
	memset(big, 'a', 40000);
	memcpy(big + 32766, "\xc3\xa4", 2); /* cut inside ä: not mid-char */
	big[40000] = '\0';
	m = model_of(1, big, "https://example.test");
	workbook(m, NULL, &out);
	tc_model_free(m);
	free(big);
	/* two rows a measure, each with its URL: 65,600, past the 65,530
	 * hyperlinks a sheet takes */
	m = model_of(32800, "", "https://example.test");
	workbook(m, NULL, &out);
	tc_model_free(m);
	tc_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reproducible),
	    cmocka_unit_test(background_is_foreground),
	    cmocka_unit_test(rows_and_picks),
	    cmocka_unit_test(what_excel_cannot_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
