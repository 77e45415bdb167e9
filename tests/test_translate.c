/* gen/translate: a model in another language from content/<lang>/. The
 * words are replaced, the marks never; every missing or stray translation
 * is an error with its position and the original's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/content.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(words_replaced_marks_kept),
	    cmocka_unit_test(error_cases),
	    cmocka_unit_test(drafts_fall_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
