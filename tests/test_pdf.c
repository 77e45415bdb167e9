/* The annex PDFs (lib/pdf.c over a model and a selection): every annex of the
 * bundled content and of the fixture, read back with poppler's tools: every
 * measure ID and every cell's words for every scope it covers, the page budget,
 * the digest of the data file it names on every page, fonts embedded, bookmarks
 * and links, the same bytes from two builds; and the writer alone on data that
 * no page holds (a row taller than a page, more columns than a landscape page,
 * text cairo refuses). */
#define _GNU_SOURCE /* memmem */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sys/stat.h>

#include "../gen/build.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/pdf.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"
#include "helpers.h"

/* The page budgets of the bundled content (issue 23). */
#define BUDGET_ALL 8
#define BUDGET_PRODUCT 5

static char tmp[64];
static char *cwd;

static char *rpath(const char *rel)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%s/%s", repo_root(), rel);
	return tc_buf_detach(&b);
}

static void build(const char *content, const char *out)
{
	char *c = rpath(content), *t = rpath("templates");
	tc_build_opts o = {.content = c, .templates = t, .output = out};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	char *errors = diags_text(d);
	if (rc != 0)
		fail_msg("build of %s failed:\n%s", content, errors);
	free(errors);
	tc_diags_free(d);
	free(c);
	free(t);
}

/* Both sites are built once, the bundled one twice. */
static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	build("content", "a");
	build("content", "b");
	build("tests/fixtures/mini", "mini");
	build("tests/fixtures/prose", "prose");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	leave_tmpdir(cwd, tmp);
	return 0;
}

/* s without its white space: a word the PDF broke over two lines of a
 * narrow column is whole again. */
static char *squeeze(const char *s)
{
	tc_buf b = TC_BUF_INIT;
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' &&
		    *s != '\f')
			tc_buf_putc(&b, *s);
	tc_buf_putc(&b, '\0');
	return tc_buf_detach(&b);
}

/* Each part of data text between its URLs ("see EAC-8 <https://...>"
 * shows as "see EAC-8") is in the PDF's squeezed text. */
static void has_words(const char *flat, const char *text, const char *pdf)
{
	const char *s = text;
	while (*s) {
		const char *lt = strstr(s, " <");
		size_t n = lt ? (size_t)(lt - s) : strlen(s);
		char *part = tc_xstrndup(s, n), *sq = squeeze(part);
		if (!strstr(flat, sq))
			fail_msg("%s: no '%s' (of '%s')", pdf, part, text);
		free(part);
		free(sq);
		if (!lt)
			break;
		const char *gt = strchr(lt, '>');
		s = gt ? gt + 1 : lt + 2;
	}
}

/* A data file (its words: a release's shape, read without its URLs)
 * as a model. */
static tc_model *model_of(json_t *tom)
{
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m =
	    tc_model_read(tom, TC_READ_RELEASE, NULL, "", &path, &why);
	if (!m)
		fail_msg("not a data set: %s: %s", tc_buf_cstr(&path),
			 tc_buf_cstr(&why));
	tc_buf_free(&path);
	tc_buf_free(&why);
	return m;
}

/* Every measure ID (as the first word of a line: its row), every measure's
 * text and every cell's note and free text of tom that product's annex
 * shows (NULL: every product's) are in pdf. */
static void check_words(const char *pdf, json_t *tom, const char *product)
{
	char *raw = command_output("pdftotext -raw '%s' -", pdf);
	char *flat = squeeze(raw);
	size_t measures = 0;
	tc_model *m = model_of(tom);
	tc_pick *p = tc_pick_filter(m, product, NULL, NULL, NULL);
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			if (!tc_pick_measure(p, i, k))
				continue;
			tc_buf b = TC_BUF_INIT;
			tc_buf_printf(&b, "\n%s ", me->id);
			if (!strstr(raw, tc_buf_cstr(&b)))
				fail_msg("%s: no row of %s", pdf, me->id);
			tc_buf_free(&b);
			has_words(flat, me->text_data, pdf);
			const tc_table *t = &c->tables[me->table];
			for (size_t j = 0; j < t->nscopes; j++) {
				const tc_cell *x = &me->cells[j];
				if (!tc_pick_cell(p, i, k, j))
					continue;
				has_words(flat, x->note_data, pdf);
				if (x->status == ST_OTHER)
					has_words(flat, x->label, pdf);
			}
			measures++;
		}
	}
	assert_true(measures > 0);
	/* and the name of every scope it covers */
	for (size_t s = 0; s < m->nscopes; s++)
		if (tc_pick_scope(p, s))
			has_words(flat, m->scopes[s].name, pdf);
	tc_pick_free(p);
	tc_model_free(m);
	free(raw);
	free(flat);
}

static char *digest_of(const char *file)
{
	size_t len;
	char *data = tc_read_file(file, &len);
	assert_non_null(data);
	char *hex = tc_xmalloc(65);
	tc_sha256_hex(data, len, hex);
	free(data);
	return hex;
}

/* Every page of pdf names the data file's absolute URL and digest and
 * says "page x of n" in the language's words. */
static void check_pages(const char *pdf, const char *url, const char *file,
			const char *page_word, const char *of_word)
{
	char *digest = digest_of(file);
	int n = pdf_pages(pdf);
	for (int p = 1; p <= n; p++) {
		char *text = command_output(
		    "pdftotext -f %d -l %d -layout '%s' -", p, p, pdf);
		char *flat = squeeze(text);
		if (!strstr(flat, digest))
			fail_msg("%s page %d: no digest %s", pdf, p, digest);
		char *sq = squeeze(url);
		if (!strstr(flat, sq))
			fail_msg("%s page %d: no data set URL %s", pdf, p, url);
		free(sq);
		tc_buf pg = TC_BUF_INIT;
		tc_buf_printf(&pg, "%s %d %s %d", page_word, p, of_word, n);
		if (!strstr(text, tc_buf_cstr(&pg)))
			fail_msg("%s: no '%s'", pdf, tc_buf_cstr(&pg));
		tc_buf_free(&pg);
		free(text);
		free(flat);
	}
	free(digest);
}

/* Every page but the cover of pdf has the running header head (review
 * F7: a product's annex names its product on every sheet). */
static void check_header(const char *pdf, const char *head)
{
	int n = pdf_pages(pdf);
	char *want = squeeze(head);
	for (int p = 2; p <= n; p++) {
		char *text =
		    command_output("pdftotext -f %d -l %d '%s' -", p, p, pdf);
		char *flat = squeeze(text);
		if (!strstr(flat, want))
			fail_msg("%s page %d: no header \"%s\"", pdf, p, head);
		free(text);
		free(flat);
	}
	free(want);
}

/* The running header of product name's annex of tom, in language l (0:
 * English, 1: German), as the reviewer asked for it. */
static char *product_header(json_t *tom, const char *name, size_t l)
{
	const char *date = json_string_value(json_object_get(tom, "date"));
	tc_buf h = TC_BUF_INIT;
	if (l == 0)
		tc_buf_printf(
		    &h, "%s: TOMs for %s, version %s of %s",
		    json_string_value(json_object_get(tom, "organisation")),
		    name, json_string_value(json_object_get(tom, "version")),
		    date);
	else
		tc_buf_printf(
		    &h,
		    "%s: TOM für das Produkt „%s“, Version %s vom "
		    "%.2s.%.2s.%.4s",
		    json_string_value(json_object_get(tom, "organisation")),
		    name, json_string_value(json_object_get(tom, "version")),
		    date + 8, date + 5, date);
	return tc_buf_detach(&h);
}

/* Every font of pdf is embedded. */
static void check_fonts(const char *pdf)
{
	char *fonts = command_output("pdffonts '%s'", pdf);
	int n = 0;
	char *save = NULL;
	for (char *line = strtok_r(fonts, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "name", 4) || line[0] == '-')
			continue;
		n++;
		if (!strstr(line, "DejaVu") || !strstr(line, " yes yes yes "))
			fail_msg("%s: font not embedded as a subset with "
				 "its text: %s",
				 pdf, line);
	}
	assert_true(n > 0);
	free(fonts);
}

static json_t *load(const char *file)
{
	json_error_t e;
	json_t *j = json_load_file(file, 0, &e);
	if (!j)
		fail_msg("%s: %s", file, e.text);
	return j;
}

static const char *product_ids[] = {
    "colocation",      "dedicated-servers", "cloud-servers",
    "managed-servers", "web-hosting",       "storage-shares",
    "storage-boxes",   "object-storage",    NULL};

/* ---- the bundled content ---- */

static void bundled_annexes(void **state)
{
	(void)state;
	static const struct {
		const char *prefix, *page, *of;
	} langs[] = {{"", "Page", "of"}, {"de/", "Seite", "von"}};
	const char *base = "https://trust.progressiverobot.example";
	for (size_t l = 0; l < 2; l++) {
		tc_buf f = TC_BUF_INIT, data = TC_BUF_INIT, url = TC_BUF_INIT;
		tc_buf_printf(&data, "a/%sapi/tom.json", langs[l].prefix);
		tc_buf_printf(&url, "%s/%sapi/tom.json", base, langs[l].prefix);
		json_t *tom = load(tc_buf_cstr(&data));
		tc_buf_printf(&f, "a/%sannex/annex.pdf", langs[l].prefix);
		check_words(tc_buf_cstr(&f), tom, NULL);
		check_pages(tc_buf_cstr(&f), tc_buf_cstr(&url),
			    tc_buf_cstr(&data), langs[l].page, langs[l].of);
		check_fonts(tc_buf_cstr(&f));
		int all = pdf_pages(tc_buf_cstr(&f));
		assert_true(all >= 2 && all <= BUDGET_ALL);
		for (const char **p = product_ids; *p; p++) {
			tc_buf_clear(&f);
			tc_buf_printf(&f, "a/%sproducts/%s/annex/annex.pdf",
				      langs[l].prefix, *p);
			check_words(tc_buf_cstr(&f), tom, *p);
			check_pages(tc_buf_cstr(&f), tc_buf_cstr(&url),
				    tc_buf_cstr(&data), langs[l].page,
				    langs[l].of);
			int n = pdf_pages(tc_buf_cstr(&f));
			assert_true(n >= 2 && n <= BUDGET_PRODUCT);
			json_t *sc = json_object_get(tom, "scopes");
			size_t k;
			json_t *v;
			bool named = false;
			json_array_foreach (sc, k, v) {
				if (strcmp(json_string_value(
					       json_object_get(v, "id")),
					   *p))
					continue;
				char *h = product_header(
				    tom,
				    json_string_value(
					json_object_get(v, "name")),
				    l);
				check_header(tc_buf_cstr(&f), h);
				free(h);
				named = true;
			}
			assert_true(named);
		}
		/* the released version: its release file, its digest */
		tc_buf_clear(&f);
		tc_buf_clear(&url);
		tc_buf_clear(&data);
		tc_buf_printf(&f, "a/%sversions/2026.1/annex/annex.pdf",
			      langs[l].prefix);
		tc_buf_printf(&data, "a/%sapi/versions/2026.1/tom.json",
			      langs[l].prefix);
		tc_buf_printf(&url, "%s/%sapi/versions/2026.1/tom.json", base,
			      langs[l].prefix);
		/* an earlier version's annex shows its release's words (in
		 * English, the data file it names); a translation that the
		 * release did not freeze shows today's words, checked above */
		if (!*langs[l].prefix) {
			json_t *old = load(tc_buf_cstr(&data));
			check_words(tc_buf_cstr(&f), old, NULL);
			json_decref(old);
		}
		check_pages(tc_buf_cstr(&f), tc_buf_cstr(&url),
			    tc_buf_cstr(&data), langs[l].page, langs[l].of);
		/* a released version's product annex names its product */
		tc_buf_clear(&f);
		tc_buf_printf(&f,
			      "a/%sversions/2026.1/products/colocation/annex/"
			      "annex.pdf",
			      langs[l].prefix);
		check_header(tc_buf_cstr(&f),
			     l ? "Progressiverobot: TOM für das Produkt "
				 "„Colocation“, Version 2026.1 vom 26.11.2026"
			       : "Progressiverobot: TOMs for Colocation, "
				 "version 2026.1 of 2026-11-26");
		json_decref(tom);
		tc_buf_free(&f);
		tc_buf_free(&data);
		tc_buf_free(&url);
	}
}

/* The cover names the processor from site.md and has the controller's
 * lines, the signature block closes the annex, in each language's words. */
static void bundled_cover(void **state)
{
	(void)state;
	char *en =
	    command_output("pdftotext -f 1 -l 1 -layout a/annex/annex.pdf -");
	assert_non_null(strstr(en, "Processor"));
	assert_non_null(strstr(en, "Progressiverobot"));
	assert_non_null(strstr(en, "Controller"));
	assert_non_null(strstr(en, "Version"));
	assert_non_null(strstr(en, "2026.2 of 2026-12-07"));
	assert_non_null(strstr(en, "Legend"));
	assert_non_null(strstr(en, "pursuant to Art. 32 GDPR in conjunction "
				   "with Art. 28(3)(c) GDPR"));
	assert_non_null(strstr(en, "Date and number of the DPA this "
				   "appendix belongs to"));
	free(en);
	/* how the measures change, and where the record is, before the
	 * signatures */
	char *all = command_output("pdftotext a/annex/annex.pdf -");
	const char *ch = strstr(all, "Changes to these measures");
	assert_non_null(ch);
	assert_non_null(strstr(ch, "/changes/"));
	assert_non_null(strstr(ch, "Signatures"));
	free(all);
	char *de = command_output("pdftotext -layout a/de/annex/annex.pdf -");
	assert_non_null(strstr(de, "Anlage 2"));
	assert_non_null(strstr(de, "Auftragsverarbeiter"));
	assert_non_null(strstr(de, "Verantwortlicher"));
	assert_non_null(strstr(de, "Unterschrift"));
	assert_non_null(strstr(de, "Für den Auftragsverarbeiter"));
	free(de);
	char *info = command_output("pdfinfo a/annex/annex.pdf");
	assert_non_null(strstr(info, "CreationDate:    Mon Dec  7 00:00:00 "
				     "2026 UTC"));
	assert_non_null(strstr(info, "Author:          Progressiverobot"));
	free(info);
}

/* Each category is a bookmark, each measure ID a link to its page. */
static void bundled_links(void **state)
{
	(void)state;
	size_t len;
	char *pdf = tc_read_file("a/annex/annex.pdf", &len);
	assert_non_null(pdf);
	json_t *tom = load("a/api/tom.json");
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(tom, "categories"), i, c) {
		tc_buf b = TC_BUF_INIT;
		tc_buf_printf(&b, "/Title (%s)",
			      json_string_value(json_object_get(c, "title")));
		if (!memmem(pdf, len, b.data, b.len))
			fail_msg("no bookmark %s", tc_buf_cstr(&b));
		tc_buf_free(&b);
		json_array_foreach (json_object_get(c, "measures"), j, me) {
			tc_buf u = TC_BUF_INIT;
			tc_buf_printf(
			    &u, "/URI (%s)",
			    json_string_value(json_object_get(me, "url")));
			if (!memmem(pdf, len, u.data, u.len))
				fail_msg("no link %s", tc_buf_cstr(&u));
			tc_buf_free(&u);
		}
	}
	json_decref(tom);
	free(pdf);
}

/* Two builds of the same content: the same bytes, in every PDF. */
static int same_in_b(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t n = strlen(path);
	if (flag != FTW_F || n < 4 || strcmp(path + n - 4, ".pdf"))
		return 0;
	size_t la, lb;
	char *a = tc_read_file(path, &la);
	tc_buf other = TC_BUF_INIT;
	tc_buf_printf(&other, "b%s", path + 1);
	char *b = tc_read_file(tc_buf_cstr(&other), &lb);
	if (!b || la != lb || memcmp(a, b, la))
		fail_msg("%s differs between two builds", path);
	free(a);
	free(b);
	tc_buf_free(&other);
	return 0;
}

static void reproducible(void **state)
{
	(void)state;
	assert_int_equal(nftw("a", same_in_b, 16, FTW_PHYS), 0);
	/* and there are PDFs: 2 languages x (all + 8 products) x (the
	 * current version and its two releases, 2026.1 and 2026.2) */
	char *list = command_output("find a -name '*.pdf' | wc -l");
	assert_int_equal(atoi(list), 2 * 9 * 3);
	free(list);
}

/* The annex pages and /versions/ link their PDFs, which exist. */
static void html_links(void **state)
{
	(void)state;
	static const struct {
		const char *page, *href, *file;
	} links[] = {
	    {"a/annex/index.html", "href=\"/annex/annex.pdf\"",
	     "a/annex/annex.pdf"},
	    {"a/de/products/web-hosting/annex/index.html",
	     "href=\"/de/products/web-hosting/annex/annex.pdf\"",
	     "a/de/products/web-hosting/annex/annex.pdf"},
	    {"a/versions/2026.1/products/colocation/annex/index.html",
	     "href=\"/versions/2026.1/products/colocation/annex/annex.pdf\"",
	     "a/versions/2026.1/products/colocation/annex/annex.pdf"},
	    {"a/versions/index.html",
	     "href=\"/versions/2026.1/annex/annex.pdf\"",
	     "a/versions/2026.1/annex/annex.pdf"},
	    {"a/de/versions/index.html",
	     "href=\"/de/versions/2026.2/annex/annex.pdf\"",
	     "a/de/versions/2026.2/annex/annex.pdf"},
	    {"mini/versions/index.html",
	     "href=\"/versions/0.8/annex/annex.pdf\"",
	     "mini/versions/0.8/annex/annex.pdf"},
	};
	for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
		char *html = tc_read_file(links[i].page, NULL);
		assert_non_null(html);
		if (!strstr(html, links[i].href))
			fail_msg("%s: no %s", links[i].page, links[i].href);
		struct stat st;
		assert_int_equal(stat(links[i].file, &st), 0);
		free(html);
	}
	/* downloads are not pages: not in the sitemap */
	char *map = tc_read_file("a/sitemap.xml", NULL);
	assert_null(strstr(map, ".pdf"));
	free(map);
}

/* ---- the fixture: releases, a superseded version ---- */

static void fixture_versions(void **state)
{
	(void)state;
	static const char *versions[] = {"0.8", "0.9", "1.0"};
	for (size_t v = 0; v < 3; v++) {
		tc_buf f = TC_BUF_INIT, data = TC_BUF_INIT, url = TC_BUF_INIT;
		tc_buf_printf(&data, "mini/api/versions/%s/tom.json",
			      versions[v]);
		tc_buf_printf(&url,
			      "https://trust.example.test/api/versions/%s/"
			      "tom.json",
			      versions[v]);
		json_t *tom = load(tc_buf_cstr(&data));
		tc_buf_printf(&f, "mini/versions/%s/annex/annex.pdf",
			      versions[v]);
		check_words(tc_buf_cstr(&f), tom, NULL);
		check_pages(tc_buf_cstr(&f), tc_buf_cstr(&url),
			    tc_buf_cstr(&data), "Page", "of");
		check_fonts(tc_buf_cstr(&f));
		char *text =
		    command_output("pdftotext -layout '%s' -", tc_buf_cstr(&f));
		tc_buf sup = TC_BUF_INIT;
		tc_buf_printf(&sup,
			      "%s of %s (superseded: the current version "
			      "is 1.0-test)",
			      versions[v],
			      json_string_value(json_object_get(tom, "date")));
		if (!strstr(text, tc_buf_cstr(&sup)))
			fail_msg("%s: not marked superseded", tc_buf_cstr(&f));
		tc_buf_free(&sup);
		free(text);
		size_t i;
		json_t *s;
		json_array_foreach (json_object_get(tom, "scopes"), i, s) {
			if (strcmp(
				json_string_value(json_object_get(s, "kind")),
				"product"))
				continue;
			const char *id =
			    json_string_value(json_object_get(s, "id"));
			tc_buf_clear(&f);
			tc_buf_printf(&f,
				      "mini/versions/%s/products/%s/annex/"
				      "annex.pdf",
				      versions[v], id);
			check_words(tc_buf_cstr(&f), tom, id);
		}
		json_decref(tom);
		tc_buf_free(&f);
		tc_buf_free(&data);
		tc_buf_free(&url);
	}
	/* the current annex of the fixture, which has unreleased edits */
	json_t *tom = load("mini/api/tom.json");
	check_words("mini/annex/annex.pdf", tom, NULL);
	check_pages("mini/annex/annex.pdf",
		    "https://trust.example.test/api/tom.json",
		    "mini/api/tom.json", "Page", "of");
	json_decref(tom);
}

/* ---- the writer alone ---- */

/* A data set of one category with one table of ncols product columns
 * and one measure whose cells say note. */
static json_t *synthetic(size_t ncols, const char *note, const char *title)
{
	json_t *scopes = json_array(), *cells = json_object();
	for (size_t i = 0; i < ncols; i++) {
		char id[32], name[32];
		snprintf(id, sizeof id, "p%zu", i);
		snprintf(name, sizeof name, "Product%zu", i);
		json_array_append_new(scopes, json_pack("{s:s, s:s, s:s}", "id",
							id, "name", name,
							"kind", "product"));
		char n[64];
		snprintf(n, sizeof n, "cellnote%zu %s", i, i ? "" : note);
		json_object_set_new(
		    cells, id,
		    json_pack("{s:s, s:s, s:s, s:s}", "status", "provided",
			      "responsibility", "provider", "label",
			      "\xe2\x9c\x93", "note", i ? n : note));
	}
	json_t *me = json_pack("{s:s, s:s, s:s, s:o}", "id", "SYN-1", "text",
			       "Synthetic measure", "url",
			       "https://example.test/categories/syn/#SYN-1",
			       "cells", cells);
	json_t *cat = json_pack("{s:s, s:s, s:[o]}", "id", "syn", "title",
				title, "measures", me);
	return json_pack("{s:o, s:[o]}", "scopes", scopes, "categories", cat);
}

/* The annex of model m (all of it, its measures linked under
 * https://example.test) to file. */
static int write_model(const tc_model *m, const char *file, tc_buf *err)
{
	tc_model at = *m; /* borrows m's parts */
	at.base_url = "https://example.test";
	tc_pdf_annex a = {.model = &at,
			  .organisation = "Org",
			  .version = "1",
			  .date = "2026-01-02",
			  .data_url = "https://example.test/api/tom.json",
			  .digest = "00000000000000000000000000000000000000"
				    "00000000000000000000000000"};
	tc_buf out = TC_BUF_INIT;
	int rc = tc_pdf_annex_write(&a, &out, err);
	if (rc == 0)
		assert_int_equal(tc_write_file(file, out.data, out.len), 0);
	tc_buf_free(&out);
	return rc;
}

static int write_pdf(json_t *tom, const char *file, tc_buf *err)
{
	tc_model *m = model_of(tom);
	int rc = write_model(m, file, err);
	tc_model_free(m);
	return rc;
}

/* A cell taller than a page goes on over the next pages, line by line,
 * under the repeated header: every word of it is in the PDF, once. */
static void row_taller_than_a_page(void **state)
{
	(void)state;
	tc_buf note = TC_BUF_INIT;
	for (int i = 0; i < 400; i++)
		tc_buf_printf(&note, "word%d ", i);
	json_t *tom = synthetic(9, tc_buf_cstr(&note), "Tall");
	tc_buf err = TC_BUF_INIT;
	assert_int_equal(write_pdf(tom, "tall.pdf", &err), 0);
	assert_true(pdf_pages("tall.pdf") >= 4);
	char *raw = command_output("pdftotext -raw tall.pdf -");
	for (int i = 0; i < 400; i++) {
		char w[32];
		snprintf(w, sizeof w, "word%d ", i);
		char *hit = strstr(raw, w);
		if (!hit)
			snprintf(w, sizeof w, "word%d\n", i),
			    hit = strstr(raw, w);
		if (!hit)
			fail_msg("word%d missing", i);
		/* once: clipped text would be there twice */
		assert_null(strstr(hit + 1, w));
	}
	/* the header row is on every page of the table */
	int n = pdf_pages("tall.pdf");
	for (int p = 2; p < n; p++) { /* the last: the signatures */
		char *t = command_output(
		    "pdftotext -f %d -l %d -raw tall.pdf -", p, p);
		if (!strstr(t, "Product8"))
			fail_msg("page %d of tall.pdf has no header:\n%s", p,
				 t);
		free(t);
	}
	free(raw);
	json_decref(tom);
	tc_buf_free(&note);
	tc_buf_free(&err);
}

/* More columns than a landscape page holds: groups of columns, each
 * with the measure, every column and cell shown. */
static void column_groups(void **state)
{
	(void)state;
	json_t *tom = synthetic(25, "first", "Wide");
	tc_buf err = TC_BUF_INIT;
	assert_int_equal(write_pdf(tom, "wide.pdf", &err), 0);
	check_words("wide.pdf", tom, NULL);
	char *raw = command_output("pdftotext -raw wide.pdf -");
	/* the row of SYN-1 once per group: 25 columns in groups of at most
	 * what landscape holds at TC_PDF_MIN_CELL_W */
	int rows = 0;
	for (const char *p = raw; (p = strstr(p, "\nSYN-1 ")); p++)
		rows++;
	assert_true(rows >= 3);
	char *info = command_output("pdfinfo -f 2 -l 2 wide.pdf");
	assert_non_null(strstr(info, "841.89 x 595.276"));
	free(info);
	free(raw);
	json_decref(tom);
	tc_buf_free(&err);
}

/* Annexes that share their layouts (tc_pdf_fonts_share_layouts, as each
 * of tc-gen's PDF threads writes them) have the bytes of annexes that
 * shape their own: a wide one, a product's of several pages (its running
 * header, which wraps and ends in an ellipsis, on each), the product's
 * again with a note changed, and the wide one again after them. */
static void shared_layouts(void **state)
{
	(void)state;
	tc_buf tall = TC_BUF_INIT;
	for (int i = 0; i < 300; i++)
		tc_buf_printf(&tall, "word%d ", i);
	json_t *toms[] = {synthetic(25, "first", "Wide"),
			  synthetic(3, tc_buf_cstr(&tall), "Tall"),
			  synthetic(3, "changed", "Tall"),
			  synthetic(25, "first", "Wide")};
	const char *product =
	    "A product whose name is long enough for the running header to "
	    "wrap onto a second line and then past it, so that it ends in an "
	    "ellipsis on every page after the first one of its annex";
	tc_pdf_fonts *shared = tc_pdf_fonts_new();
	tc_pdf_fonts_share_layouts(shared);
	for (size_t i = 0; i < sizeof toms / sizeof *toms; i++) {
		tc_model *m = model_of(toms[i]);
		tc_pdf_annex a = {.model = m,
				  .organisation = "Org",
				  .version = "1",
				  .date = "2026-01-02",
				  .data_url =
				      "https://example.test/api/tom.json",
				  .digest = "0123",
				  .product = i % 3 ? product : NULL};
		tc_buf own = TC_BUF_INIT, with = TC_BUF_INIT, err = TC_BUF_INIT;
		assert_int_equal(tc_pdf_annex_write(&a, &own, &err), 0);
		a.fonts = shared;
		assert_int_equal(tc_pdf_annex_write(&a, &with, &err), 0);
		assert_int_equal(tc_write_file("shared.pdf", own.data, own.len),
				 0);
		assert_true(pdf_pages("shared.pdf") >= (i == 1 ? 4 : 2));
		if (own.len != with.len || memcmp(own.data, with.data, own.len))
			fail_msg("annex %zu: other bytes with shared layouts",
				 i);
		tc_buf_free(&own);
		tc_buf_free(&with);
		tc_buf_free(&err);
		tc_model_free(m);
		json_decref(toms[i]);
	}
	tc_pdf_fonts_free(shared);
	tc_buf_free(&tall);
}

/* A data set that is not text (a title that is not UTF-8; the build's
 * content never is, gen/source.c): an error before cairo sees it (a
 * failed cairo surface keeps its memory), no PDF. */
static void not_text(void **state)
{
	(void)state;
	json_t *tom = synthetic(2, "n", "ok");
	tc_model *m = model_of(tom);
	free(m->categories[0].title);
	m->categories[0].title = tc_xstrdup("bad \xff");
	tc_buf err = TC_BUF_INIT;
	assert_int_equal(write_model(m, "bad.pdf", &err), -1);
	assert_string_equal(tc_buf_cstr(&err),
			    "the data set is not text at "
			    "categories[0].title (byte 0xff)");
	struct stat st;
	assert_int_equal(stat("bad.pdf", &st), -1);
	/* and a cell's note, named by its scope */
	free(m->categories[0].title);
	m->categories[0].title = tc_xstrdup("ok");
	free(m->categories[0].measures[0].cells[1].note_data);
	m->categories[0].measures[0].cells[1].note_data =
	    tc_xstrdup("a \x01 control");
	tc_buf_clear(&err);
	assert_int_equal(write_model(m, "bad.pdf", &err), -1);
	assert_string_equal(tc_buf_cstr(&err),
			    "the data set is not text at "
			    "categories[0].measures[0].cells.p1.note (byte "
			    "0x01)");
	assert_int_equal(stat("bad.pdf", &st), -1);
	tc_model_free(m);
	json_decref(tom);
	tc_buf_free(&err);
}

/* The words of text (a page or a PDF's text), in the order given, each
 * after the one before; fails naming the first out of place. */
static void in_order(const char *text, const char *what, const char *const *w)
{
	const char *at = text;
	for (; *w; w++) {
		const char *p = strstr(at, *w);
		if (!p)
			fail_msg("%s: '%s' is not after '%s'", what, *w,
				 w[-1] ? w[-1] : "(start)");
		at = p + strlen(*w);
	}
}

static char *slurp(const char *path)
{
	size_t len;
	char *s = tc_read_file(path, &len);
	if (!s)
		fail_msg("cannot read %s", path);
	return s;
}

/* Prose between tables stays where it is written (tests/fixtures/prose:
 * a lead, a heading and a paragraph between two tables of the same
 * columns, a paragraph before a table of other columns, one after the last
 * table): on the category page, in the matrix (without the lead, which it
 * leaves to the category page), in the annex as HTML and as PDF, and in
 * the translation, block for block; two tables with the same columns are
 * not joined across the prose between them. */
static void prose_in_place(void **state)
{
	(void)state;
	static const char *const en[] = {NULL,
					 "Lead-prose",
					 "GAM-1",
					 "Middle-heading",
					 "Middle-prose",
					 "GAM-2",
					 "Before-general-prose",
					 "GAM-3",
					 "After-prose",
					 NULL};
	static const char *const de[] = {NULL,
					 "Einleitung-Text",
					 "GAM-1",
					 "Mitte-Überschrift",
					 "Mitte-Text",
					 "GAM-2",
					 "Vor-Allgemein-Text",
					 "GAM-3",
					 "Nach-Text",
					 NULL};
	static const char *const pages_en[] = {
	    "prose/categories/gamma/index.html", "prose/annex/index.html"};
	for (size_t i = 0; i < 2; i++) {
		char *h = slurp(pages_en[i]);
		in_order(h, pages_en[i], en + 1);
		free(h);
	}
	char *h = slurp("prose/de/categories/gamma/index.html");
	in_order(h, "de category", de + 1);
	free(h);
	h = slurp("prose/de/annex/index.html");
	in_order(h, "de annex", de + 1);
	free(h);
	h = slurp("prose/matrix/index.html");
	in_order(h, "matrix", en + 2);
	assert_null(strstr(h, "Lead-prose"));
	/* GAM-1 and GAM-2 have the same columns: two tables, the prose
	 * between them */
	const char *t1 = strstr(h, "<table"),
		   *t2 = t1 ? strstr(t1 + 1, "<table") : NULL;
	assert_non_null(t2);
	assert_non_null(strstr(t1, "GAM-1"));
	assert_true(strstr(t1, "GAM-2") > t2);
	assert_true(strstr(t1, "Middle-prose") < t2);
	free(h);
	char *pdf = command_output("pdftotext -raw prose/annex/annex.pdf -");
	in_order(pdf, "annex PDF", en + 1);
	free(pdf);
	pdf = command_output("pdftotext -raw prose/de/annex/annex.pdf -");
	in_order(pdf, "de annex PDF", de + 1);
	free(pdf);
	/* a product's annex too (its data set filtered to the product) */
	pdf = command_output(
	    "pdftotext -raw prose/products/box/annex/annex.pdf -");
	in_order(pdf, "Box's annex PDF", en + 1);
	free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bundled_annexes),
	    cmocka_unit_test(bundled_cover),
	    cmocka_unit_test(bundled_links),
	    cmocka_unit_test(reproducible),
	    cmocka_unit_test(html_links),
	    cmocka_unit_test(fixture_versions),
	    cmocka_unit_test(row_taller_than_a_page),
	    cmocka_unit_test(column_groups),
	    cmocka_unit_test(shared_layouts),
	    cmocka_unit_test(not_text),
	    cmocka_unit_test(prose_in_place),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
