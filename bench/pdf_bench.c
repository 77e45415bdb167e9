/* pdf_bench: the annex PDFs of one version and language, for the
 * benchmarks.
 *
 *   bench-pdf TOM_JSON [--per-annex] [--sha256]
 *
 * Writes the annex of every product (all products) and the annex of each
 * product (the data set read into a model, lib/model.h, and each
 * product's selection of it, tc_pick_filter) with lib/pdf.c, as
 * tc-gen does for each language and released version, and prints
 * "pdf: N annexes, P pages, B bytes". The PDFs are kept in memory: what is
 * measured is the writer, not the disk. The prose of the current version is
 * left out (it is not in the data set). The annexes share their layouts,
 * as each of tc-gen's PDF threads' do (tc_pdf_fonts_share_layouts);
 * --per-annex: each annex shapes its own, as before that. --sha256 prints
 * each annex's SHA-256 (the two ways must give the same). */
#define _GNU_SOURCE /* memmem */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/pdf.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"

static size_t count_pages(const tc_buf *b)
{
	/* every page object: "/Type /Page\n" (the page tree is /Pages) */
	size_t n = 0;
	const char *p = b->data, *end = b->data + b->len;
	while ((p = memmem(p, (size_t)(end - p), "/Type /Page", 11))) {
		p += 11;
		if (*p != 's')
			n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	bool per_annex = false, sums = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--per-annex"))
			per_annex = true;
		else if (!strcmp(argv[i], "--sha256"))
			sums = true;
		else
			argc = 0;
	}
	if (argc < 2) {
		fprintf(stderr,
			"usage: bench-pdf TOM_JSON [--per-annex] [--sha256]\n");
		return 2;
	}
	size_t len;
	char *text = tc_read_file(argv[1], &len);
	json_error_t e;
	json_t *tom = text ? json_loadb(text, len, 0, &e) : NULL;
	if (!tom) {
		fprintf(stderr, "bench-pdf: cannot read %s\n", argv[1]);
		return 1;
	}
	char digest[65];
	tc_sha256_hex(text, len, digest);
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m = tc_model_read(tom, TC_READ_EXPORT, tc_lang_default(), "",
				    &path, &why);
	if (!m) {
		fprintf(stderr, "bench-pdf: %s: %s: %s\n", argv[1],
			tc_buf_cstr(&path), tc_buf_cstr(&why));
		return 1;
	}
	tc_pdf_annex a = {
	    .model = m,
	    .organisation = m->organisation,
	    .version = m->version,
	    .date = m->date,
	    .data_url = "https://example.test/api/tom.json",
	    .digest = digest,
	    /* loaded once, as each of tc-gen's PDF threads does */
	    .fonts = tc_pdf_fonts_new()};
	if (!per_annex)
		tc_pdf_fonts_share_layouts(a.fonts);
	size_t annexes = 0, pages = 0, bytes = 0;
	/* the whole set (i == 0), then each product's */
	for (size_t i = 0; i <= m->nscopes; i++) {
		const tc_scope *s = i ? &m->scopes[i - 1] : NULL;
		if (s && s->kind != SK_PRODUCT)
			continue;
		tc_pick *one =
		    s ? tc_pick_filter(m, s->id, NULL, NULL, NULL) : NULL;
		a.pick = one;
		a.product = s ? s->name : NULL;
		tc_buf out = TC_BUF_INIT, err = TC_BUF_INIT;
		if (tc_pdf_annex_write(&a, &out, &err) < 0) {
			fprintf(stderr, "bench-pdf: %s\n", tc_buf_cstr(&err));
			return 1;
		}
		annexes++;
		if (sums) {
			char sha[65];
			tc_sha256_hex(out.data, out.len, sha);
			printf("%s %s\n", sha, a.product ? a.product : "(all)");
		}
		pages += count_pages(&out);
		bytes += out.len;
		tc_buf_free(&out);
		tc_buf_free(&err);
		tc_pick_free(one);
	}
	tc_pdf_fonts_free(a.fonts);
	printf("pdf: %zu annexes, %zu pages, %zu bytes\n", annexes, pages,
	       bytes);
	tc_model_free(m);
	tc_buf_free(&path);
	tc_buf_free(&why);
	json_decref(tom);
	free(text);
	return 0;
}
