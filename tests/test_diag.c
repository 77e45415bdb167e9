/* Diagnostics: format, order, and the escaping that keeps every one of
 * them on its own line, whatever a file name or a value holds. (The text
 * rules of lib/text.h have their own suite, test_text.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

static void format_and_order(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	tc_diags_add(d, "b.md", 2, 1, "second file");
	tc_diags_add(d, "a.md", 3, 0, "line only");
	tc_diags_add(d, "a.md", 0, 0, "no position");
	tc_diags_add(d, NULL, 0, 0, "no file");
	char *got = diags_text(d);
	assert_string_equal(got, "error: no file\n"
				 "a.md: error: no position\n"
				 "a.md:3: error: line only\n"
				 "b.md:2:1: error: second file\n");
	free(got);
	tc_diags_free(d);
}

/* A file name with a newline cannot start a forged "error:" line, and an
 * ID with ESC cannot drive the terminal: each is one escaped line. */
static void escapes_controls(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	tc_diags_add(d, "c/x\nc/site.md:1:1: error: forged.md", 1, 1,
		     "measure ID '%s' must look like 'PAC-1'", "A\x1b[31m-1");
	tc_diags_add(d, "t\\.md", 0, 0, "value '%s'",
		     "bad \xfc byte, C1 \xc2\x9b, bidi \xe2\x80\xae, tab\t, "
		     "fine: \xe2\x9c\x93 é");
	char *got = diags_text(d);
	assert_string_equal(
	    got, "c/x\\x0ac/site.md:1:1: error: forged.md:1:1: error: measure "
		 "ID 'A\\x1b[31m-1' must look like 'PAC-1'\n"
		 "t\\x5c.md: error: value 'bad \\xfc byte, C1 \\xc2\\x9b, bidi "
		 "\\xe2\\x80\\xae, tab\\x09, fine: \xe2\x9c\x93 é'\n");
	size_t lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2);
	free(got);
	tc_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(format_and_order),
	    cmocka_unit_test(escapes_controls),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
