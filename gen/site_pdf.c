/* site_pdf.c: the annexes as PDFs (gen/pdf.h), written beside their pages:
 * what each one names (its data file's absolute URL and digest, the
 * version, whether it is superseded or translated) is decided here, from
 * the same values the HTML annexes print. */
#include <string.h>

#include "../lib/lang.h"
#include "../lib/routes.h"
#include "pdf.h"
#include "release.h"
#include "site_impl.h"

void site_write_annex_pdf(site *S, const tc_release *x, json_t *tom,
			  const char *pid, const char *pname)
{
	tc_route r =
	    x ? (pid ? R_VERSION_PRODUCT_ANNEX_PDF : R_VERSION_ANNEX_PDF)
	      : (pid ? R_PRODUCT_ANNEX_PDF : R_ANNEX_PDF);
	const char *ver = x ? x->version : NULL;
	/* the data file as the annex names it, in this language's folder */
	tc_buf url = TC_BUF_INIT, rel = TC_BUF_INIT, pdf = TC_BUF_INIT,
	       err = TC_BUF_INIT;
	tc_buf_puts(&url, S->m->base_url);
	tc_route_url(&url, x ? R_VERSION_TOM : R_TOM_JSON, ver, NULL);
	tc_pdf_annex a = {
	    .tom = tom,
	    .organisation = S->m->organisation,
	    .version = x ? x->version : S->m->version,
	    .date = x ? x->date : S->m->date,
	    .data_url = tc_buf_cstr(&url),
	    .digest = x ? x->sha256 : S->digest,
	    .product = pid ? pname : NULL,
	    .prose = x ? NULL : S->m,
	    .superseded_by =
		x && strcmp(x->version, S->m->version) ? S->m->version : NULL,
	    /* a release's words in a translation are today's */
	    .translated = x && *tc_lang_current()->prefix,
	};
	tc_route_file(&rel, r, x ? ver : pid, x ? pid : NULL);
	if (tc_pdf_annex_write(&a, &pdf, &err) < 0) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", S->out, tc_buf_cstr(&rel));
		tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0,
			     "cannot write the annex PDF: %s",
			     tc_buf_cstr(&err));
		tc_buf_free(&p);
		S->failed = 1;
	} else {
		site_emit(S, tc_buf_cstr(&rel), pdf.data, pdf.len);
	}
	tc_buf_free(&url);
	tc_buf_free(&rel);
	tc_buf_free(&pdf);
	tc_buf_free(&err);
}
