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
    {"Yes daily", ST_PROVIDED, "✓", "daily"},
    {"yesterday", ST_OTHER, "yesterday", ""},
    {"X", ST_NOT_PROVIDED, "X", ""},
    {"Xen support", ST_OTHER, "Xen support", ""},
    {"NA", ST_NOT_APPLICABLE, "NA", ""},
    {"NA (see next line)", ST_NOT_APPLICABLE, "NA", "(see next line)"},
    {"NATO", ST_OTHER, "NATO", ""},
    {"Client's responsibility", ST_CLIENT, "Client's responsibility", ""},
    {"Client’s responsibility", ST_CLIENT, "Client's responsibility", ""},
    {"client's responsibility, by contract", ST_CLIENT,
     "Client's responsibility", ", by contract"},
    {"See product description", ST_SEE_PRODUCT, "See product description", ""},
    {"rootkit tests", ST_OTHER, "rootkit tests", ""},
    /* a mark is a whole word */
    {"X.509 client certificates", ST_OTHER, "X.509 client certificates", ""},
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
	    cmocka_unit_test(ids),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
