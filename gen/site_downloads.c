/* site_downloads.c: the downloads of the site (gen/site_parts.h). */
#include "site_parts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/formats.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/views.h"
#include "../lib/xlsx.h"
#include "apidoc.h"
#include "oscal.h"

static void emit_csv(site *S, const char *rel, const tc_pick *pk, char sep);
static void emit_xlsx(site *S, const char *rel, const tc_pick *pk);

/* ---- the download formats (lib/formats.h) ---- */

/* The download in format f into rel: the whole set's (p NULL) or product
 * p's, whose pick of S->m is pk (the whole set's: all of it). No default:
 * the compiler names a format without its writer. */
static void emit_format(site *S, tc_format f, const char *rel,
			const tc_scope *p, const tc_pick *pk)
{
	json_t *o = NULL;
	tc_buf b = TC_BUF_INIT;
	switch (f) {
	case TC_FMT_JSON:
		/* the whole set's bytes are the ones its digest is of */
		if (p) {
			tc_model_write(S->m, pk, S->lang, &b);
			site_emit(S, rel, b.data, b.len);
		} else {
			site_emit(S, rel, S->tom, S->tom_len);
		}
		break;
	case TC_FMT_CSV: emit_csv(S, rel, pk, ','); break;
	case TC_FMT_CSV_SEMICOLON: emit_csv(S, rel, pk, ';'); break;
	case TC_FMT_XLSX:
		/* the whole set's: NULL, as gen/build.c started it in the
		 * background (tc_xlsx_start), which this waits for */
		emit_xlsx(S, rel, p ? pk : NULL);
		break;
	case TC_FMT_OSCAL:
		o = p ? tc_oscal_component(S->m, S->lang,
					   (size_t)(p - S->m->scopes),
					   S->digest)
		      : tc_oscal_catalog(S->m, S->lang, S->digest);
		site_emit_json(S, rel, o);
		json_decref(o);
		break;
	case TC_FMT__COUNT: break;
	}
	tc_buf_free(&b);
}

/* A format's name in a list of links ("CSV", or the language's words). */
static const char *format_label(const tc_format_info *fi, const tc_lang *l)
{
	return fi->label ? fi->label : tc_msg(l, fi->label_key);
}

/* Product id's files, one {url, label} per format with a product route
 * (api_only: only the /api/ page's columns). */
tc_val *site_product_files(tc_arena *a, const tc_lang *l, const char *id,
			   bool api_only)
{
	tc_val *list = tc_val_list(a);
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		const tc_format_info *fi = tc_format_get((tc_format)f);
		if (fi->product == TC_FMT_NO_ROUTE ||
		    (api_only && !fi->api_product))
			continue;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", fi->id);
		tc_val_set(v, "url", site_url(a, l, fi->product, id, NULL));
		tc_val_set_str(v, "label", format_label(fi, l));
		tc_val_list_push(list, v);
	}
	return list;
}

/* The /api/ page's columns of its per-product table. */
static tc_val *api_product_formats(tc_arena *a, const tc_lang *l)
{
	tc_val *list = tc_val_list(a);
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		const tc_format_info *fi = tc_format_get((tc_format)f);
		if (fi->product == TC_FMT_NO_ROUTE || !fi->api_product)
			continue;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "label", format_label(fi, l));
		tc_val_list_push(list, v);
	}
	return list;
}

/* The /api/ page's list of the whole set's files: {url, file, text or
 * html (a catalogue key ending in "_html" is HTML), digest}. */
static tc_val *api_data_files(tc_arena *a, const tc_lang *l)
{
	tc_val *list = tc_val_list(a);
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		const tc_format_info *fi = tc_format_get((tc_format)f);
		if (fi->whole == TC_FMT_NO_ROUTE)
			continue;
		size_t n = strlen(fi->api_key);
		bool html = n > 5 && !strcmp(fi->api_key + n - 5, "_html");
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", fi->id);
		tc_val_set(v, "url", site_url(a, l, fi->whole, NULL, NULL));
		tc_val_set_str(v, "file", tc_route_get(fi->whole)->file);
		tc_val_set_str(v, "text", html ? "" : tc_msg(l, fi->api_key));
		tc_val_set_str(v, "html", html ? tc_msg(l, fi->api_key) : "");
		tc_val_set_bool(v, "digest", fi->api_digest);
		tc_val_list_push(list, v);
	}
	return list;
}

void site_write_product_data(site *S, const tc_scope *p)
{
	tc_pick *pk = tc_pick_filter(S->m, p->id, NULL, NULL, NULL);
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		tc_route r = tc_format_get((tc_format)f)->product;
		if (r == TC_FMT_NO_ROUTE)
			continue;
		tc_buf rel = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, r, p->id, NULL);
		emit_format(S, (tc_format)f, tc_buf_cstr(&rel), p, pk);
		tc_buf_free(&rel);
	}
	site_write_annex_pdf(S, NULL, S->m,
			     tc_pick_filter(S->m, p->id, NULL, NULL, NULL),
			     NULL, p->id, p->name);
	tc_pick_free(pk);
}

/* The schemas with their field references, for the /api/ page. The views
 * borrow the strings of the field lists, which keep holds until the page
 * is written. */
static tc_val *schemas_view(site *S, tc_arena *a, json_t *keep)
{
	tc_val *l = tc_val_list(a);
	/* the schemas' words in the page's language (English: as written) */
	json_t *words = tc_apidoc_words(S->tdir, S->lang->code, S->d);
	if (!words) {
		S->failed = 1;
		words = json_object();
	}
	json_array_append_new(keep, words);
	for (const char *const *n = tc_apidoc_names; *n; n++) {
		json_t *sch = json_object_get(S->schemas, *n);
		json_t *fields = tc_apidoc_fields(sch, S->lang);
		size_t i;
		json_t *f;
		json_array_foreach (fields, i, f) {
			const char *en = json_string_value(
			    json_object_get(f, "description"));
			const char *w = tc_apidoc_word(words, en);
			if (w != en)
				json_object_set_new(f, "description",
						    json_string(w));
		}
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "name", *n);
		tc_val_set(v, "url", site_url(a, S->lang, R_SCHEMA, *n, NULL));
		tc_val_set_str(
		    v, "title",
		    tc_apidoc_word(words, json_string_value(
					      json_object_get(sch, "title"))));
		tc_val_set_str(
		    v, "description",
		    tc_apidoc_word(words, json_string_value(json_object_get(
					      sch, "description"))));
		tc_val_set(v, "fields", tc_val_from_json(a, fields));
		tc_val_list_push(l, v);
		json_array_append_new(keep, fields);
	}
	return l;
}

void site_write_api_page(site *S)
{
	tc_arena *a = S->pa;
	tc_val *prods = tc_val_list(a);
	const char *example = NULL;
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *sc = &S->m->scopes[i];
		if (sc->kind != SK_PRODUCT)
			continue;
		if (!example)
			example = sc->id;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", sc->id);
		tc_val_set_str(v, "name", sc->name);
		tc_val_set(v, "files",
			   site_product_files(a, S->lang, sc->id, true));
		tc_val_list_push(prods, v);
	}
	tc_val *ctx =
	    site_ctx(S, a, tc_msg(S->lang, "data_and_api"), site_rurl(S, R_API),
		     tc_msg(S->lang, "api.description"));
	tc_val_set(ctx, "data_files", api_data_files(a, S->lang));
	tc_val_set(ctx, "product_formats", api_product_formats(a, S->lang));
	tc_val_set(ctx, "downloads", prods);
	tc_val_set_str(ctx, "example_product", example ? example : "");
	json_t *keep = json_array();
	tc_val_set(ctx, "schemas", schemas_view(S, a, keep));
	tc_val_set(ctx, "resps", tc_view_resps_val(a, S->lang));
	tc_val_set(ctx, "statuses", tc_view_statuses_val(a, S->lang));
	site_page(S, "api", site_rfile(S, R_API), ctx);
	site_page_done(S);
	json_decref(keep);
}

typedef struct sink {
	FILE *f;
	size_t bytes;
} sink;

static int flush_to(void *ud, tc_buf *b)
{
	sink *k = ud;
	size_t w = fwrite(b->data, 1, b->len, k->f);
	k->bytes += w;
	int rc = w == b->len ? 0 : -1;
	tc_buf_clear(b);
	return rc;
}

/* CSV of what pk keeps into rel, written as it is made: the whole data
 * set's CSV is the biggest file of a big site. */
static void emit_csv(site *S, const char *rel, const tc_pick *pk, char sep)
{
	tc_buf p = TC_BUF_INIT, csv = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", S->out, rel);
	sink k = {tc_create_file(tc_buf_cstr(&p)), 0};
	int rc =
	    k.f ? tc_model_csv(S->m, pk, S->lang, sep, &csv, flush_to, &k) : -1;
	if (k.f && !rc && csv.len)
		rc = flush_to(&k, &csv);
	if (k.f && fclose(k.f) != 0)
		rc = -1;
	if (rc) {
		tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0, "cannot write: %s",
			     strerror(errno));
		S->failed = 1;
	} else if (site_within_budget(S, k.bytes)) {
		S->st->files++;
		S->st->bytes += k.bytes;
	}
	tc_buf_free(&csv);
	tc_buf_free(&p);
}

/* The workbook of what pk keeps of the model (NULL: all of it) into rel
 * (libxlsxwriter writes the file itself). */
static void emit_xlsx(site *S, const char *rel, const tc_pick *pk)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", S->out, rel);
	struct stat st;
	if (tc_mkdirs_parent(tc_buf_cstr(&p)) < 0 ||
	    tc_xlsx_write(S->m, pk, S->lang, S->digest, tc_buf_cstr(&p)) < 0 ||
	    stat(tc_buf_cstr(&p), &st) < 0) {
		tc_diags_add(S->d, tc_buf_cstr(&p), 0, 0,
			     "cannot write the workbook");
		S->failed = 1;
	} else if (site_within_budget(S, (size_t)st.st_size)) {
		S->st->files++;
		S->st->bytes += (size_t)st.st_size;
	}
	tc_buf_free(&p);
}

/* The schemas every published and answered document names in "$schema". */
void site_write_schemas(site *S)
{
	for (const char *const *n = tc_apidoc_names; *n; n++) {
		tc_buf rel = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, R_SCHEMA, *n, NULL);
		site_emit_json(S, tc_buf_cstr(&rel),
			       json_object_get(S->schemas, *n));
		tc_buf_free(&rel);
	}
}

void site_write_data(site *S)
{
	tc_pick *all = tc_pick_all(S->m);
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		tc_route r = tc_format_get((tc_format)f)->whole;
		if (r != TC_FMT_NO_ROUTE)
			emit_format(S, (tc_format)f, site_rfile(S, r), NULL,
				    all);
	}
	tc_pick_free(all);
}