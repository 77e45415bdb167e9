/* The cell vocabulary and status tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/model.h"
#include "helpers.h"

static const struct {
	const char *text;
	tc_status status;
	const char *label, *note;
} cases[] = {
    {"✓", ST_PROVIDED, "✓", ""},
    {"  ✓ depends on purchased services ", ST_PROVIDED, "✓",
     "depends on purchased services"},
    {"yes", ST_PROVIDED, "✓", ""},
    {"yes: daily", ST_PROVIDED, "✓", "daily"},
    /* marks are written exactly: a case, an apostrophe or words after
     * a word mark without punctuation make no mark (content.c reports
     * them, naming the mark meant) */
    {"Yes", ST_OTHER, "Yes", ""},
    {"yes daily", ST_OTHER, "yes daily", ""},
    {"yesterday", ST_OTHER, "yesterday", ""},
    {"X", ST_NOT_PROVIDED, "X", ""},
    {"X (RAID-based storage backend, no backup)", ST_NOT_PROVIDED, "X",
     "(RAID-based storage backend, no backup)"},
    {"Xen support", ST_OTHER, "Xen support", ""},
    {"NA", ST_NOT_APPLICABLE, "NA", ""},
    {"NA (see next line)", ST_NOT_APPLICABLE, "NA", "(see next line)"},
    {"NA – see next line", ST_NOT_APPLICABLE, "NA", "– see next line"},
    {"NATO", ST_OTHER, "NATO", ""},
    {"Client's responsibility", ST_CLIENT, "Client's responsibility", ""},
    {"Client’s responsibility", ST_OTHER, "Client’s responsibility", ""},
    {"client's responsibility", ST_OTHER, "client's responsibility", ""},
    {"Client's responsibility, by contract", ST_CLIENT,
     "Client's responsibility", "by contract"},
    {"Client's responsibility: see the DPA", ST_CLIENT,
     "Client's responsibility", "see the DPA"},
    {"Client's responsibility see the DPA", ST_OTHER,
     "Client's responsibility see the DPA", ""},
    {"See product description", ST_SEE_PRODUCT, "See product description", ""},
    {"rootkit tests", ST_OTHER, "rootkit tests", ""},
    {"✓ RAID-based storage backend", ST_PROVIDED, "✓",
     "RAID-based storage backend"},
    /* a mark is a whole word */
    {"X.509 client certificates", ST_OTHER, "X.509 client certificates", ""},
    {"✓ X.509 client certificates", ST_PROVIDED, "✓",
     "X.509 client certificates"},
    {"NA-Zone only", ST_OTHER, "NA-Zone only", ""},
    {"yes/no", ST_OTHER, "yes/no", ""},
    {"✓✓", ST_OTHER, "✓✓", ""},
    {"NA(see EAC-8)", ST_NOT_APPLICABLE, "NA", "(see EAC-8)"},
    {"", ST_OTHER, "", ""},
};

static void vocabulary(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_cell c = {0};
		tc_cell_parse(cases[i].text, &c);
		if (c.status != cases[i].status)
			print_error("cell '%s'\n", cases[i].text);
		assert_int_equal(c.status, cases[i].status);
		assert_string_equal(c.label, cases[i].label);
		assert_string_equal(c.note, cases[i].note);
		free(c.label);
		free(c.note);
	}
}

/* The marks are the content's language's (templates/i18n/marks.json): a
 * German-first content writes German marks, and an English "X" is no
 * mark there (a German reader takes an X for a tick). */
static void german_marks(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		tc_status status;
		const char *label, *note;
	} de[] = {
	    {"ja", ST_PROVIDED, "\xe2\x9c\x93", ""},
	    {"\xe2\x9c\x93 t\xc3\xa4glich", ST_PROVIDED, "\xe2\x9c\x93",
	     "t\xc3\xa4glich"},
	    {"nein (RAID, keine Datensicherung)", ST_NOT_PROVIDED, "nein",
	     "(RAID, keine Datensicherung)"},
	    {"entf\xc3\xa4llt", ST_NOT_APPLICABLE, "entf\xc3\xa4llt", ""},
	    {"Verantwortung des Kunden", ST_CLIENT, "Verantwortung des Kunden",
	     ""},
	    {"siehe Produktbeschreibung", ST_SEE_PRODUCT,
	     "siehe Produktbeschreibung", ""},
	    {"X", ST_OTHER, "X", ""},
	    {"Client's responsibility", ST_OTHER, "Client's responsibility",
	     ""},
	};
	assert_true(tc_marks_use("de"));
	assert_false(tc_marks_use("fr"));
	assert_string_equal(tc_marks_lang(), "de");
	assert_string_equal(tc_header_word(1), "Ma\xc3\x9fnahme");
	assert_true(tc_header_ok(1, "Ma\xc3\x9fnahmen"));
	assert_false(tc_header_ok(1, "Measure"));
	for (size_t i = 0; i < sizeof de / sizeof *de; i++) {
		tc_cell c = {0};
		tc_cell_parse(de[i].text, &c);
		if (c.status != de[i].status)
			print_error("cell '%s'\n", de[i].text);
		assert_int_equal(c.status, de[i].status);
		assert_string_equal(c.label, de[i].label);
		assert_string_equal(c.note, de[i].note);
		free(c.label);
		free(c.note);
	}
	assert_true(tc_marks_use("en"));
}

static void ids(void **state)
{
	(void)state;
	for (int s = 0; s < ST__COUNT; s++)
		assert_int_equal(tc_status_from_id(tc_status_id((tc_status)s)),
				 s);
	assert_int_equal(tc_status_from_id("maybe"), -1);
	assert_string_equal(tc_status_id(ST_SEE_PRODUCT), "see-product");
	for (int k = 0; k < SK__COUNT; k++)
		assert_int_equal(
		    tc_scope_kind_from_id(tc_scope_kind_id((tc_scope_kind)k)),
		    k);
	assert_int_equal(tc_scope_kind_from_id("planet"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vocabulary),
	    cmocka_unit_test(german_marks),
	    cmocka_unit_test(ids),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
