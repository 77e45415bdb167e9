/* site_parts.h: the writers of tc-gen's site, one file each, all over
 * the page kit (gen/site_kit.h). site.c's tc_site_write calls them in
 * turn; history.c also asks site_pdf.c for the old annexes' PDFs. */
#ifndef TC_SITE_PARTS_H
#define TC_SITE_PARTS_H

#include <jansson.h>

#include "site_kit.h"

/* site_pdf.c: the annex as a PDF (lib/pdf.h) beside its page: the current
 * version's (x NULL) or release x's, of every product (pid NULL) or of
 * product pid (pname its name): the data set m (the language's model, or
 * the release's read from its data file in the language's words), of
 * which pick keeps what the annex shows (NULL: all; the call takes it
 * over). links: the language of the routes the data file's URLs are in
 * (lib/pdf.h; NULL: the site's). m must live until site_pdf_end: a
 * release's model is given over with site_pdf_adopt. */
struct tc_release;
struct tc_pick;
/* Threads write the PDFs queued between site_pdf_begin and site_pdf_end,
 * which waits for them and writes the files in the order queued (without
 * a queue, site_write_annex_pdf writes the file at once). */
void site_pdf_begin(site *S);
void site_pdf_end(site *S);
void site_write_annex_pdf(site *S, const struct tc_release *x,
			  const tc_model *m, struct tc_pick *pick,
			  const tc_lang *links, const char *pid,
			  const char *pname);
/* Frees m once the PDFs queued so far are written (at site_pdf_end; at
 * once without a queue). */
void site_pdf_adopt(site *S, tc_model *m);

/* dpa_site.c: /dpa/, the form of a customer's annex (tc-search's POST
 * /api/annex). */
void site_write_dpa(site *S);

/* nav_site.c: /compare/<product>/ and each release's /versions/<v>/. */
void site_write_compare_from(site *S);
void site_write_version_pages(site *S);

/* history.c: /changes/, the feeds, /versions/ and the old annexes. */
void site_write_history(site *S);
/* The change mark of a measure changed in the latest release, or NULL. */
tc_val *site_change_mark(site *S, tc_arena *a, const char *measure);

/* trust_site.c: certificates, subprocessors, contact (gen/trust.h). The
 * footer's imprint and privacy links into the common "site" values; a
 * product's certificates and subprocessors into its view ("certs",
 * "subs"); their pages, downloads, feed and security.txt. */
void site_trust_common(site *S, tc_arena *a, tc_val *st);
void site_trust_product(site *S, tc_arena *a, tc_val *v, size_t pi);
void site_write_trust(site *S);

/* site_downloads.c: the data in every format of lib/formats.h (api/tom.*,
 * the OSCAL files, each product's files), the JSON Schemas and the /api/
 * page that lists them. */
void site_write_data(site *S);
void site_write_product_data(site *S, const tc_scope *p);
void site_write_schemas(site *S);
void site_write_api_page(site *S);
/* Product id's files, one {id, url, label} per format with a product
 * route (api_only: only the /api/ page's columns), in arena a. */
tc_val *site_product_files(tc_arena *a, const tc_lang *l, const char *id,
			   bool api_only);

#endif
