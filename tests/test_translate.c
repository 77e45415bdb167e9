/* gen/translate: a model in another language from content/<lang>/. The
 * words are replaced, the marks never; every missing or stray translation
 * is an error with its position and the original's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/content.h"
#include "../gen/export.h"
#include "../gen/translate.h"
#include "../lib/lang.h"
#include "helpers.h"

static const char *SITE = "---\norganisation: Org\ntitle: TC\nversion: "
			  "\"1\"\ndate: \"2026-01-01\"\nlanguages: [en, de]\n"
			  "---\nHello. [Alpha](/categories/alpha/)\n";
static const char *SCOPES =
    "---\nscopes:\n  - id: box\n    name: Box\n"
    "    kind: product\n    description: A box.\n"
    "  - id: site\n    name: Site\n    kind: site\n---\n";
static const char *ALPHA = "---\nid: alpha\ntitle: Alpha\n---\nProse.\n\n"
			   "| ID | Measure | Box | Site |\n|---|---|---|---|\n"
			   "| ALP-1 | One | ✓ | NA |\n"
			   "| ALP-2 | Two [see](#ALP-1) | X | ✓ with a note |\n"
			   "| ALP-3 | Three | ✓ RAID storage | ✓ |\n";

static const char *DE_SITE = "---\ntitle: TZ\nsummary: Zusammenfassung\n---\n"
			     "Hallo. [Alpha](/categories/alpha/)\n";
static const char *DE_SCOPES = "---\nscopes:\n  box:\n    name: Kiste\n"
			       "    description: Eine Kiste.\n  site:\n"
			       "    name: Standort\n---\n";
static const char *DE_ALPHA =
    "---\nid: alpha\ntitle: Alpha-DE\nmeasures:\n  ALP-1: Eins\n"
    "  ALP-2:\n    text: Zwei [siehe](#ALP-1)\n    cells:\n"
    "      site: mit einem Hinweis\n  ALP-3:\n    text: Drei\n"
    "    cells:\n      box: RAID-Speicher\n---\nProsa.\n";

static tc_lang DE = {"de", "/de", NULL, NULL};

static void write_base(void)
{
	tc_rmtree("c");
	put_file("c/site.md", SITE);
	put_file("c/scopes.md", SCOPES);
	put_file("c/categories/01-alpha.md", ALPHA);
	put_file("c/de/site.md", DE_SITE);
	put_file("c/de/scopes.md", DE_SCOPES);
	put_file("c/de/categories/01-alpha.md", DE_ALPHA);
}

/* Loads c/ and translates it; returns the diagnostics as text, the model
 * in *out (NULL on errors; caller frees). */
static char *translate(bool drafts, tc_model **out)
{
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	assert_non_null(m);
	tc_model *t = tc_translate(m, "c", &DE, drafts, d);
	tc_model_free(m);
	char *text = diags_text(d);
	tc_diags_free(d);
	if (out)
		*out = t;
	else
		tc_model_free(t);
	return text;
}

static void words_replaced_marks_kept(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	tc_model *t;
	char *errs = translate(false, &t);
	assert_string_equal(errs, "");
	free(errs);
	assert_non_null(t);
	assert_string_equal(t->lang, "de");
	assert_string_equal(t->title, "TZ");
	assert_string_equal(t->scopes[0].name, "Kiste");
	assert_string_equal(t->scopes[1].description, "");
	/* links lead to the German pages; anchors to the German category */
	assert_non_null(
	    strstr(t->intro_html, "href=\"/de/categories/alpha/\""));
	const tc_category *c = &t->categories[0];
	assert_string_equal(c->title, "Alpha-DE");
	assert_string_equal(c->description, "Prosa.");
	assert_string_equal(c->measures[0].text, "Eins");
	assert_string_equal(c->measures[1].text_html,
			    "Zwei <a href=\"/de/categories/alpha/#ALP-1\">"
			    "siehe</a>");
	/* notes after their marks: the marks are the original's */
	assert_string_equal(c->measures[1].cells[1].note, "mit einem Hinweis");
	assert_int_equal(c->measures[1].cells[1].status, ST_PROVIDED);
	assert_string_equal(c->measures[1].cells[0].label, "X");
	assert_string_equal(c->measures[2].cells[0].label, "✓");
	assert_string_equal(c->measures[2].cells[0].note, "RAID-Speicher");
	assert_int_equal(c->measures[2].cells[0].status, ST_PROVIDED);
	assert_int_equal(c->measures[2].cells[0].resp, RS_PROVIDER);
	tc_model_free(t);
	leave_tmpdir(cwd, dir);
}

typedef struct error_case {
	const char *name, *path, *text, *want;
} error_case;

static const error_case cases[] = {
    {"a measure without its German text names the measure and the original",
     "c/de/categories/01-alpha.md",
     "---\nid: alpha\ntitle: A\nmeasures:\n  ALP-1: Eins\n  ALP-3:\n"
     "    text: Drei\n    cells:\n      box: R\n---\nP.\n",
     "c/de/categories/01-alpha.md:4:1: error: measure 'ALP-2' has no 'de' "
     "text (c/categories/01-alpha.md:10 says \"Two see\")\n"},
    {"a cell's words without translation", "c/de/categories/01-alpha.md",
     "---\nid: alpha\ntitle: A\nmeasures:\n  ALP-1: Eins\n  ALP-2: Zwei\n"
     "  ALP-3:\n    text: Drei\n    cells:\n      box: R\n---\nP.\n",
     "c/de/categories/01-alpha.md:6:3: error: measure 'ALP-2': the words of "
     "its 'site' cell (\"with a note\", c/categories/01-alpha.md:10) have no "
     "translation\n"},
    {"stray measures and cells, a wrong id", "c/de/categories/01-alpha.md",
     "---\nid: beta\ntitle: A\nmeasures:\n  ALP-9: Neun\n---\nP.\n",
     "c/de/categories/01-alpha.md:2:1: error: id 'beta' must be the "
     "original's, 'alpha' (c/categories/01-alpha.md)\n"},
    {"a cell with nothing to translate, an unknown measure",
     "c/de/categories/01-alpha.md",
     "---\nid: alpha\ntitle: A\nmeasures:\n  ALP-1:\n    text: Eins\n"
     "    cells:\n      box: Ja\n  ALP-2:\n    text: Zwei\n    cells:\n"
     "      site: H\n  ALP-3:\n    text: Drei\n    cells:\n      box: R\n"
     "  ALP-9: Neun\n---\nP.\n",
     "c/de/categories/01-alpha.md:8:7: error: measure 'ALP-1' has no words "
     "in its 'box' cell to translate\n"
     "c/de/categories/01-alpha.md:17:3: error: measure 'ALP-9' is not one "
     "of category 'alpha' (c/categories/01-alpha.md)\n"},
    {"tables, broken links and two paragraphs", "c/de/categories/01-alpha.md",
     "---\nid: alpha\ntitle: A\nmeasures:\n  ALP-1: \"Eins\\n\\nZwei\"\n"
     "  ALP-2:\n    text: Zwei [x](/nowhere/)\n    cells:\n      site: H\n"
     "  ALP-3:\n    text: Drei\n    cells:\n      box: R\n---\n"
     "P.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> | c |\n> |---|\n> | 3 |\n",
     "c/de/categories/01-alpha.md:5:3: error: a translation of a measure or "
     "cell is one paragraph of text\n"
     "c/de/categories/01-alpha.md:6:3: error: link to '/nowhere/', a page "
     "or anchor the site does not have\n"
     "c/de/categories/01-alpha.md:17:1: error: a translation has no tables: "
     "the marks are kept once, in the original\n"
     "c/de/categories/01-alpha.md:21:1: error: a quote where the original "
     "(c/categories/01-alpha.md) has nothing more: a translation keeps the "
     "original's headings, paragraphs and list items, one for one\n"
     "c/de/categories/01-alpha.md:21:3: error: a translation has no tables: "
     "the marks are kept once, in the original\n"},
    /* prose, block for block: a paragraph left out of the German
     * responsibility model once dropped the sentence that qualifies it */
    {"a paragraph of the original left out", "c/de/site.md",
     "---\ntitle: TZ\nsummary: Z\n---\n",
     "c/de/site.md:5:1: error: the translation ends where the original "
     "(c/site.md) has a paragraph more: a translation keeps the original's "
     "headings, paragraphs and list items, one for one\n"},
    {"a heading for a paragraph", "c/de/categories/01-alpha.md",
     "---\nid: alpha\ntitle: Alpha-DE\nmeasures:\n  ALP-1: Eins\n"
     "  ALP-2:\n    text: Zwei\n    cells:\n      site: H\n  ALP-3:\n"
     "    text: Drei\n    cells:\n      box: R\n---\n## Prosa\n",
     "c/de/categories/01-alpha.md:15:1: error: a heading (level 2) where "
     "the original (c/categories/01-alpha.md) has a paragraph: a "
     "translation keeps the original's headings, paragraphs and list items, "
     "one for one\n"},
    {"a list with an item more", "c/de/site.md",
     "---\ntitle: TZ\nsummary: Z\n---\n- a\n- b\n",
     "c/de/site.md:5:1: error: a list of 2 items where the original "
     "(c/site.md) has a paragraph: a translation keeps the original's "
     "headings, paragraphs and list items, one for one\n"},
    /* a file no original has was ignored: its words were on no page */
    {"a category file no original has", "c/de/categories/99-extra.md",
     "---\nid: extra\ntitle: Extra\n---\nP.\n",
     "c/de/categories: error: '99-extra.md' is the translation of no "
     "category: a translation has its original's file name\n"},
    {"scopes: every one named, none invented", "c/de/scopes.md",
     "---\nscopes:\n  box:\n    name: Kiste\n  moon:\n    name: Mond\n---\n",
     "c/de/scopes.md:2:1: error: scope 'site' has no name in 'de'\n"
     "c/de/scopes.md:3:3: error: scope 'box' has no description in 'de'\n"
     "c/de/scopes.md:5:3: error: scope 'moon' is not one of "
     "content/scopes.md\n"},
    {"a missing file", "c/de/site.md", NULL,
     "c/de/site.md: error: cannot read file: No such file or directory\n"},
};

static void error_cases(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		write_base();
		if (cases[i].text)
			put_file(cases[i].path, cases[i].text);
		else
			unlink(cases[i].path);
		tc_model *t;
		char *got = translate(false, &t);
		if (strcmp(got, cases[i].want))
			print_error("case: %s\n", cases[i].name);
		assert_string_equal(got, cases[i].want);
		assert_null(t);
		free(got);
	}
	leave_tmpdir(cwd, dir);
}

/* With drafts allowed, what is missing keeps the original's words, marked
 * as not yet translated, and the build goes on. */
static void drafts_fall_back(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	put_file("c/de/categories/01-alpha.md",
		 "---\nid: alpha\ntitle: A\nmeasures:\n  ALP-1: Eins\n---\n");
	tc_model *t;
	char *errs = translate(true, &t);
	assert_string_equal(errs, "");
	free(errs);
	assert_non_null(t);
	const tc_category *c = &t->categories[0];
	assert_string_equal(c->measures[0].text_html, "Eins");
	assert_non_null(strstr(c->measures[1].text_html, "<span lang=\"en\">"));
	assert_non_null(strstr(c->measures[1].text_html, "class=\"draft\""));
	assert_non_null(
	    strstr(c->measures[1].cells[1].note_html, "class=\"draft\""));
	/* prose without the original's paragraph: the original's, marked */
	assert_string_equal(
	    c->prose_html,
	    "<div lang=\"en\"><p>Prose.</p>\n<p><em "
	    "class=\"draft\">(not yet translated)</em></p></div>");
	assert_string_equal(c->description, "Prose.");
	tc_model_free(t);
	leave_tmpdir(cwd, dir);
}

/* A cell of the pages' models, field for field. */
static void same_cell(const tc_cell *a, const tc_cell *b)
{
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->resp, b->resp);
	assert_string_equal(a->label, b->label);
	assert_string_equal(a->note, b->note);
	assert_string_equal(a->note_data, b->note_data);
	assert_true(!a->label_lang == !b->label_lang);
	assert_true(!a->note_lang == !b->note_lang);
	if (a->label_lang)
		assert_string_equal(a->label_lang, b->label_lang);
	if (a->note_lang)
		assert_string_equal(a->note_lang, b->note_lang);
}

/* The whole of two release models: scopes, categories, measures, tables,
 * cells. Returns the number of marked labels and notes. */
static size_t same_model(const tc_model *a, const tc_model *b)
{
	size_t marks = 0;
	assert_int_equal(a->nscopes, b->nscopes);
	for (size_t i = 0; i < a->nscopes; i++) {
		assert_string_equal(a->scopes[i].id, b->scopes[i].id);
		assert_string_equal(a->scopes[i].name, b->scopes[i].name);
		assert_int_equal(a->scopes[i].kind, b->scopes[i].kind);
		assert_true(!a->scopes[i].description ==
			    !b->scopes[i].description);
		if (a->scopes[i].description)
			assert_string_equal(a->scopes[i].description,
					    b->scopes[i].description);
	}
	assert_int_equal(a->ncategories, b->ncategories);
	for (size_t i = 0; i < a->ncategories; i++) {
		const tc_category *x = &a->categories[i],
				  *y = &b->categories[i];
		assert_string_equal(x->id, y->id);
		assert_string_equal(x->title, y->title);
		assert_int_equal(x->nmeasures, y->nmeasures);
		assert_int_equal(x->ntables, y->ntables);
		for (size_t k = 0; k < x->ntables; k++) {
			assert_int_equal(x->tables[k].nscopes,
					 y->tables[k].nscopes);
			assert_int_equal(x->tables[k].level,
					 y->tables[k].level);
			for (size_t j = 0; j < x->tables[k].nscopes; j++)
				assert_int_equal(x->tables[k].scopes[j],
						 y->tables[k].scopes[j]);
		}
		for (size_t k = 0; k < x->nmeasures; k++) {
			const tc_measure *p = &x->measures[k],
					 *q = &y->measures[k];
			assert_string_equal(p->id, q->id);
			assert_string_equal(p->text, q->text);
			assert_string_equal(p->text_data, q->text_data);
			assert_int_equal(p->client_duty, q->client_duty);
			assert_int_equal(p->table, q->table);
			for (size_t j = 0; j < x->tables[p->table].nscopes;
			     j++) {
				same_cell(&p->cells[j], &q->cells[j]);
				marks += !!p->cells[j].label_lang +
					 !!p->cells[j].note_lang;
			}
		}
	}
	return marks;
}

/* tc_translate_release: a release of tests/fixtures/prose, in German, is
 * the model tc_release_model reads from tc_translate_data's page data set
 * (what the version pages were made of before), cell for cell and word
 * for word. The release is the content's export with words the original
 * has changed since (a scope's name, a measure's text, a cell's label and
 * note) and a measure the original no longer has: those keep the
 * release's words, a cell's label and note marked "en"; the rest is the
 * translation's. */
static void release_overlay_is_the_page_data(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fixtures/prose", repo_root());
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(dir, d);
	assert_non_null(m);
	tc_model *t = tc_translate(m, dir, &DE, false, d);
	assert_non_null(t);
	assert_int_equal(tc_diags_count(d), 0);
	json_t *odoc = tc_export_json(m, tc_lang_default()),
	       *tdoc = tc_export_json(t, &DE);
	assert_non_null(odoc);
	assert_non_null(tdoc);
	/* the release: as the content was, before some words changed */
	json_t *tom = json_deep_copy(odoc);
	json_t *cats = json_object_get(tom, "categories");
	json_t *ms = json_object_get(json_array_get(cats, 0), "measures");
	json_t *rack = json_array_get(json_object_get(tom, "scopes"), 1);
	assert_string_equal(json_string_value(json_object_get(rack, "id")),
			    "rack");
	json_object_set_new(rack, "name", json_string("Old rack"));
	json_t *m1 = json_array_get(ms, 0), *m2 = json_array_get(ms, 1);
	json_object_set_new(m2, "text", json_string("Old second"));
	json_t *c = json_object_get(json_object_get(m1, "cells"), "rack");
	assert_non_null(c);
	c = json_deep_copy(c);
	json_object_set_new(c, "label", json_string("Old label"));
	json_object_set_new(c, "note", json_string("an old note"));
	json_object_set_new(json_object_get(m1, "cells"), "rack", c);
	json_t *gone = json_deep_copy(json_array_get(ms, 2));
	json_object_set_new(gone, "id", json_string("GAM-9"));
	json_array_append_new(ms, gone);

	json_t *page = tc_translate_data(tom, odoc, tdoc, m->lang);
	tc_model *want = tc_release_model(page, "releases/0.9.json", d);
	tc_model *got = tc_release_model(tom, "releases/0.9.json", d);
	assert_non_null(want);
	assert_non_null(got);
	tc_translate_release(got, m, t);
	assert_int_equal(tc_diags_count(d), 0);
	/* the changed cell's label and note, and GAM-9's one label */
	assert_int_equal(same_model(got, want), 3);
	/* translated where the words are still the original's */
	assert_string_equal(got->scopes[0].name, t->scopes[0].name);
	assert_string_equal(got->scopes[1].name, "Old rack");
	const tc_category *k = &got->categories[0];
	assert_string_equal(k->measures[0].text, "Erste-Maßnahme");
	assert_string_equal(k->measures[1].text, "Old second");
	assert_string_equal(k->measures[2].text, "Dritte-Maßnahme");
	assert_string_equal(k->measures[3].text, "Third-measure");
	assert_string_equal(k->measures[0].cells[1].label, "Old label");
	assert_string_equal(k->measures[0].cells[1].label_lang, "en");
	assert_string_equal(k->measures[0].cells[1].note_lang, "en");
	assert_null(k->measures[0].cells[0].label_lang);
	assert_string_equal(k->measures[3].cells[0].label_lang, "en");
	tc_model_free(want);
	tc_model_free(got);
	json_decref(page);
	json_decref(tom);
	json_decref(odoc);
	json_decref(tdoc);
	tc_model_free(t);
	tc_model_free(m);
	tc_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(words_replaced_marks_kept),
	    cmocka_unit_test(error_cases),
	    cmocka_unit_test(drafts_fall_back),
	    cmocka_unit_test(release_overlay_is_the_page_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
