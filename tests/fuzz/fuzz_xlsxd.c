/* libFuzzer: what a workbook helper reads (cgi/xlsxd.h). The input is a
 * request as a worker sends it over the helper's socket (its length
 * already read): the language's code, the pick's filters and the
 * measures it keeps. It goes through ts_xlsxd_answer against a real index
 * built from tests/fixtures/prose (English and German) in
 * LLVMFuzzerInitialize, as a helper answers it.
 *
 * Besides what the sanitizers catch, it checks the answer: a request
 * refused leaves no bytes and says why in one line of UTF-8; one accepted
 * gives a workbook (a zip archive), and is one that ts_xlsxd_request
 * makes again byte for byte from the pick the helper made, so that no two
 * requests mean the same pick (nothing in one is left unchecked). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgi/xlsxd.h"
#include "../../lib/escape.h"
#include "../../lib/fsx.h"
#include "fuzz_fixture.h"

static ts_index *ix;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ix = fuzz_fixture_index("tests/fixtures/prose", "fuzz_xlsxd");
	return 0;
}

/* The pick the helper made, found again: the filters the request gave
 * and the measures it kept, as the worker would ask for it. */
static void same_request(const uint8_t *data, size_t size)
{
	char code[17];
	memcpy(code, data, 16);
	code[16] = '\0';
	code[strcspn(code, " ")] = '\0';
	ts_index *lx = ts_index_lang(ix, code);
	const tc_model *m = lx ? ts_index_model(lx) : NULL;
	if (!m)
		abort(); /* accepted in a language it does not have */
	const char *v[TS_XLSXD_FIELDS] = {NULL};
	char *copy[TS_XLSXD_FIELDS] = {NULL};
	size_t at = 16;
	for (int i = 0; i < TS_XLSXD_FIELDS; i++) {
		size_t n = (size_t)data[at] << 8 | data[at + 1];
		at += 2;
		if (n == 0xffff)
			continue;
		copy[i] = malloc(n + 1);
		memcpy(copy[i], data + at, n);
		copy[i][n] = '\0';
		v[i] = copy[i];
		at += n;
	}
	at += 4;
	size_t total = (size - at) * 8;
	unsigned char *keep = calloc(total + 1, 1);
	for (size_t i = 0; i < total; i++)
		keep[i] = data[at + i / 8] >> (i % 8) & 1;
	tc_pick *pk = tc_pick_filter(m, v[0], v[1], v[2], v[3]);
	tc_pick_only(pk, keep, v[4]);
	tc_buf again = TC_BUF_INIT;
	if (ts_xlsxd_request(lx, pk, &again) < 0)
		abort();
	/* the measures may differ where the filters drop them anyway: what
	 * must agree is the head, and a second round gives the same pick */
	if (again.len != size || memcmp(again.data, data, at))
		abort();
	tc_buf why = TC_BUF_INIT, a = TC_BUF_INIT, b = TC_BUF_INIT;
	if (ts_xlsxd_answer(ix, again.data, again.len, &a, &why) < 0 ||
	    ts_xlsxd_answer(ix, (const char *)data, size, &b, &why) < 0 ||
	    a.len != b.len || memcmp(a.data, b.data, a.len))
		abort();
	tc_buf_free(&a);
	tc_buf_free(&b);
	tc_buf_free(&why);
	tc_buf_free(&again);
	tc_pick_free(pk);
	free(keep);
	for (int i = 0; i < TS_XLSXD_FIELDS; i++)
		free(copy[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tc_buf out = TC_BUF_INIT, why = TC_BUF_INIT;
	int rc = ts_xlsxd_answer(ix, (const char *)data, size, &out, &why);
	if (rc < 0) {
		/* refused: no bytes, and why in one line of text */
		if (out.len || !why.len || memchr(why.data, '\n', why.len) ||
		    !tc_utf8_valid(why.data, why.len))
			abort();
	} else {
		if (out.len < 4 || memcmp(out.data, "PK\x03\x04", 4) || why.len)
			abort();
		same_request(data, size);
	}
	tc_buf_free(&out);
	tc_buf_free(&why);
	return 0;
}
