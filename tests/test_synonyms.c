/* gen/synonyms: reading content/synonyms.md with every error at its
 * position, and what a measure's text gives the index's synonyms column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/content.h"
#include "../gen/synonyms.h"
#include "helpers.h"

static void occurs(void **state)
{
	(void)state;
	assert_true(tc_syn_occurs("Encryption options", "encrypt"));
	assert_true(tc_syn_occurs("two factor authentication (2FA)", "2fa"));
	assert_true(tc_syn_occurs("Option for two factor", "TWO FACTOR"));
	/* at the start of a word only */
	assert_false(tc_syn_occurs("decryption", "crypt"));
	assert_false(tc_syn_occurs("Encryption", ""));
	assert_false(tc_syn_occurs("", "x"));
}

static const char *VALID = "---\n"
			   "# a comment\n"
			   "synonyms:\n"
			   "  - words: [TLS, SSL]\n"
			   "    for: [encryption, transfers]\n"
			   "  - words: [MFA]\n"
			   "    for: [two factor]\n"
			   "---\n";

static void loads_and_expands(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	put_file("synonyms.md", VALID);
	tc_diags *d = tc_diags_new();
	tc_synonyms s;
	assert_int_equal(tc_syn_load("synonyms.md", &s, d), 0);
	assert_int_equal(tc_diags_count(d), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].words[1], "SSL");
	assert_int_equal(s.v[0].lines[1], 5);
	assert_int_equal(s.v[0].cols[1], 23);
	tc_buf out = TC_BUF_INIT;
	/* an entry's words, when the text has one of its phrases; the
	 * phrases are the measure's own words, not written again (they made
	 * a measure that has two count a word twice) */
	tc_syn_expand(&s, "CON-3 Encryption options", &out);
	assert_string_equal(tc_buf_cstr(&out), "TLS, SSL; ");
	tc_buf_clear(&out);
	tc_syn_expand(&s, "Encryption of data transfers, two factor", &out);
	assert_string_equal(tc_buf_cstr(&out), "TLS, SSL; MFA; ");
	tc_buf_clear(&out);
	tc_syn_expand(&s, "Fences", &out);
	assert_string_equal(tc_buf_cstr(&out), "");
	tc_buf_free(&out);
	tc_syn_free(&s);
	/* no file: no synonyms, no error */
	assert_int_equal(tc_syn_load("none.md", &s, d), 0);
	assert_int_equal(s.n, 0);
	assert_null(s.file);
	tc_syn_free(&s);
	assert_int_equal(tc_diags_count(d), 0);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

typedef struct error_case {
	const char *name, *text, *expected;
} error_case;

static const error_case cases[] = {
    {"no front matter", "synonyms: []\n",
     "s.md:1:1: error: missing front matter (the file must start with a "
     "line \"---\")\n"},
    {"unknown key and missing list", "---\nsynonym: []\n---\n",
     "s.md:1:1: error: missing front-matter key 'synonyms'\n"
     "s.md:2:1: error: unknown front-matter key 'synonym' (expected one of: "
     "synonyms)\n"},
    {"an entry that is not a mapping", "---\nsynonyms:\n  - TLS\n---\n",
     "s.md:3:5: error: each synonym entry must be a mapping with words and "
     "for\n"},
    {"missing for, unknown key",
     "---\nsynonyms:\n  - words: [TLS]\n    fro: [encryption]\n---\n",
     "s.md:3:5: error: missing front-matter key 'for'\n"
     "s.md:4:5: error: unknown front-matter key 'fro' (expected one of: "
     "words, for)\n"},
    {"empty lists", "---\nsynonyms:\n  - words: []\n    for: []\n---\n",
     "s.md:3:5: error: 'words' needs at least one entry\n"
     "s.md:4:5: error: 'for' needs at least one entry\n"},
    {"words that cannot be searched",
     "---\nsynonyms:\n  - words: [TLS, \"--\"]\n    for: [\"/\"]\n---\n",
     "s.md:3:18: error: word '--' has no letter or digit to search for\n"
     "s.md:4:11: error: phrase '/' has no letter or digit to search for\n"},
    {"not a list of strings",
     "---\nsynonyms:\n  - words: TLS\n    for: [1]\n---\n",
     "s.md:3:5: error: front-matter key 'words' must be a list of strings\n"
     "s.md:4:5: error: front-matter key 'for' must be a list of strings\n"},
};

static void error_cases(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		put_file("s.md", cases[i].text);
		tc_diags *d = tc_diags_new();
		tc_synonyms s;
		int n = tc_syn_load("s.md", &s, d);
		char *got = diags_text(d);
		print_message("case '%s':\n%s", cases[i].name, got);
		assert_true(n > 0);
		if (cases[i].expected)
			assert_string_equal(got, cases[i].expected);
		else
			assert_true(tc_diags_count(d) > 0);
		free(got);
		tc_syn_free(&s);
		tc_diags_free(d);
	}
	leave_tmpdir(cwd, dir);
}

/* A phrase that is in no measure is an error of the content, at the
 * phrase. */
static void phrase_in_no_measure(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	put_file("c/site.md", "---\norganisation: Org\ntitle: TC\nversion: "
			      "\"1\"\ndate: \"2026-01-01\"\n---\nHello.\n");
	put_file("c/scopes.md", "---\nscopes:\n  - id: box\n    name: Box\n"
				"    kind: product\n---\n");
	put_file("c/categories/01-alpha.md",
		 "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box |\n"
		 "|---|---|---|\n| ALP-1 | Encryption | ✓ two factor |\n");
	put_file("c/synonyms.md",
		 "---\nsynonyms:\n  - words: [TLS]\n    for: [encryption, "
		 "fences]\n  - words: [MFA]\n    for: [two factor]\n---\n");
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	char *got = diags_text(d);
	assert_null(m);
	/* the synonym lost its measure: said once, at the phrase, naming
	 * the measure its entry's other phrases are in (issue 24: a
	 * reworded measure broke the build through synonyms.md) */
	assert_string_equal(
	    got,
	    "c/synonyms.md:4:23: error: 'fences' is in no measure's ID, "
	    "text or notes: the synonym lost its measure (was one "
	    "reworded? this entry's other phrases are in ALP-1): write the "
	    "words the measure now uses, or remove 'fences'\n");
	free(got);
	tc_diags_free(d);
	/* fixed, it loads; notes count ("two factor" is in a note) */
	put_file("c/synonyms.md", "---\nsynonyms:\n  - words: [TLS]\n    for: "
				  "[encryption]\n  - words: [MFA]\n    for: "
				  "[two factor]\n---\n");
	d = tc_diags_new();
	m = tc_content_load("c", d);
	assert_non_null(m);
	assert_int_equal(m->synonyms->n, 2);
	tc_model_free(m);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(occurs),
	    cmocka_unit_test(loads_and_expands),
	    cmocka_unit_test(error_cases),
	    cmocka_unit_test(phrase_in_no_measure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
