/* fuzz_catalogue: one message catalogue (templates/i18n/<code>.json), as
 * bytes, through the door tc-gen reads it by: the source check
 * (gen/source.h), then the catalogue parser (lib/lang.h), the check against
 * English, and every word filled with values (tc_msgf, tc_msgf_html, the
 * counted forms), as the pages fill them.
 *
 * Invariants beyond "no crash, no leak, no UB": what the parser accepts is
 * a flat object of strings; every filled word is valid UTF-8 (jansson
 * takes it, as the pages' context does); filled for HTML, a word is the
 * word filled with the value already escaped (the catalogue's own markup
 * is the site's and stays; a value's never does); every diagnostic is one
 * line of printable text. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/source.h"
#include "../../lib/escape.h"
#include "../../lib/lang.h"
#include "../../lib/model.h"
#include "../../lib/xlsx.h"
#include "fuzz_diags.h"

static void check_filled(tc_buf *b)
{
	if (!tc_utf8_valid(tc_buf_cstr(b), b->len))
		abort();
	tc_buf_clear(b);
}

static void check_escaped(const tc_lang *l, const char *k)
{
	tc_buf html = TC_BUF_INIT, text = TC_BUF_INIT;
	tc_msgf_html(&html, l, k, "q", "<i>", "a", "x&y", NULL);
	tc_msgf(&text, l, k, "q", "&lt;i&gt;", "a", "x&amp;y", NULL);
	if (strcmp(tc_buf_cstr(&html), tc_buf_cstr(&text)))
		abort();
	tc_buf_free(&html);
	tc_buf_free(&text);
}

static void fill_all(const tc_msgs *m)
{
	tc_lang l = {"xx", "/xx", m, NULL};
	tc_buf b = TC_BUF_INIT;
	const char *k;
	json_t *v;
	json_object_foreach ((json_t *)tc_msgs_json(m), k, v) {
		if (!json_is_string(v))
			abort();
		tc_msgf(&b, &l, k, "q", "{q}{", "n", "\xc3\xa9", NULL);
		check_filled(&b);
		check_escaped(&l, k);
		tc_msgf_n(&b, &l, k, 1, "p", "x", NULL);
		check_filled(&b);
		tc_msgf_n(&b, &l, k, -7, NULL);
		check_filled(&b);
	}
	tc_buf_free(&b);
}

/* A catalogue that loads names sheets Excel takes: its workbook is
 * written (libxlsxwriter returned no sheet for "Info: Datei" and tc-gen
 * crashed on it). Only when the input names a sheet: a workbook costs
 * milliseconds. */
static void write_book(const tc_msgs *m)
{
	if (!tc_msgs_get(m, "xlsx.about") && !tc_msgs_get(m, "xlsx.measures"))
		return;
	tc_lang l = {"xx", "/xx", m, NULL};
	tc_model *doc = tc_xcalloc(1, sizeof *doc);
	doc->organisation = tc_xstrdup("O");
	doc->title = tc_xstrdup("T");
	doc->version = tc_xstrdup("1");
	doc->date = tc_xstrdup("2026-01-31");
	doc->base_url = tc_xstrdup("");
	tc_buf out = TC_BUF_INIT;
	if (tc_xlsx_buf(doc, NULL, &l, "00", &out) != 0 || out.len == 0)
		abort();
	tc_buf_free(&out);
	tc_model_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tc_diags *d = tc_diags_new();
	if (tc_source_check("xx.json", text, size, d) == 0) {
		tc_msgs *m = tc_msgs_parse("xx.json", text, size, d);
		if (m) {
			tc_msgs_check(tc_msgs_default(), m, "xx.json", d);
			fill_all(m);
			write_book(m);
		}
		tc_msgs_free(m);
	}
	fuzz_check_diags(d);
	tc_diags_free(d);
	return 0;
}
