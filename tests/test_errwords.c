/* cgi/errwords: tc-search's English error messages as an HTML answer in
 * another language says them (issue 28, G32). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../cgi/errwords.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "helpers.h"

static void says(const tc_lang *l, const char *msg, const char *want)
{
	tc_buf out = TC_BUF_INIT;
	ts_error_words(l, msg, &out);
	assert_string_equal(tc_buf_cstr(&out), want);
	tc_buf_free(&out);
}

static void english_as_made(void **state)
{
	(void)state;
	says(tc_lang_default(),
	     "parameter 'limit' must be a whole number from 1 to 100",
	     "parameter 'limit' must be a whole number from 1 to 100");
	says(tc_lang_default(), "there is no such API endpoint",
	     "there is no such API endpoint");
}

static void german_sentences(void **state)
{
	(void)state;
	tc_msgs *m = repo_catalogue("de");
	tc_lang de = {"de", "/de", m, NULL};
	static const char *const cases[][2] = {
	    {"parameter 'q' must contain at least one letter or digit",
	     "Der Suchbegriff („q“) muss mindestens einen Buchstaben oder "
	     "eine Ziffer enthalten."},
	    {"parameter 'q' has no word to search for",
	     "Der Suchbegriff („q“) enthält kein Wort, nach dem gesucht "
	     "werden kann."},
	    {"parameter 'product' is not a product of this trust center",
	     "Der Parameter „product“ nennt kein Produkt dieses Trust "
	     "Centers."},
	    {"parameter 'category' is not a category of this trust center",
	     "Der Parameter „category“ nennt keine Kategorie dieses Trust "
	     "Centers."},
	    {"parameter 'responsibility' must be one or more "
	     "(comma-separated) of provider, shared",
	     "Der Parameter „responsibility“ muss einen oder mehrere "
	     "(kommagetrennt) dieser Werte haben: provider, shared."},
	    {"parameter 'status' must be one of provided, other",
	     "Der Parameter „status“ muss einen dieser Werte haben: provided, "
	     "other."},
	    {"parameter 'limit' must be a whole number from 1 to 100",
	     "Der Parameter „limit“ muss eine ganze Zahl von 1 bis 100 sein."},
	    {"parameter 'format' must be json, csv or xlsx",
	     "Der Parameter „format“ muss json, csv oder xlsx sein."},
	    {"parameter 'since' must be a version such as 2026.1",
	     "Der Parameter „since“ muss eine Version wie 2026.1 sein."},
	    {"parameter 'lang' must be a language code such as en or de",
	     "Der Parameter „lang“ muss ein Sprachcode wie en oder de sein."},
	    {"parameter 'q' is longer than 256 bytes",
	     "Der Parameter „q“ ist länger als 256 Byte."},
	    {"parameter 'q' is given more than once",
	     "Der Parameter „q“ ist mehrfach angegeben."},
	    {"parameter 'q' has malformed percent-encoding",
	     "Der Parameter „q“ ist fehlerhaft prozentkodiert."},
	    {"parameter 'q' is not valid UTF-8 text",
	     "Der Parameter „q“ ist kein gültiger UTF-8-Text."},
	    {"parameter 'q' is required", "Der Parameter „q“ fehlt."},
	    {"parameter 'lang': 'fr' is not a language of this trust center "
	     "(en, de)",
	     "Der Parameter „lang“ ist ungültig."},
	    /* a pattern's start with other numbers: said of the parameter */
	    {"parameter 'limit' must be a whole number from one",
	     "Der Parameter „limit“ ist ungültig."},
	    {"unknown parameter 'color'", "Unbekannter Parameter „color“."},
	    {"there is no such API endpoint",
	     "Diese Schnittstelle gibt es nicht."},
	    {"only GET and HEAD are allowed", "Nur GET und HEAD sind erlaubt."},
	    {"only POST is allowed", "Nur POST ist erlaubt."},
	    {"malformed percent-encoding in a parameter name",
	     "Ein Parametername ist fehlerhaft prozentkodiert."},
	    /* no known pattern: as it is (the annex form's are German) */
	    {"Das Feld „Name“ ist zu lang.", "Das Feld „Name“ ist zu lang."},
	    {"parameter '", "parameter '"},
	    {"parameter ''", "parameter ''"},
	    {"unknown parameter '", "unknown parameter '"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		says(&de, cases[i][0], cases[i][1]);
	tc_msgs_free(m);
}

/* Only a plain lang=<code> is looked at; none: NULL, the index untouched */
static void lang_of_query(void **state)
{
	(void)state;
	assert_null(ts_error_lang(NULL, NULL));
	assert_null(ts_error_lang(NULL, ""));
	assert_null(ts_error_lang(NULL, "q=x&limit=3"));
	assert_null(ts_error_lang(NULL, "lang="));
	assert_null(ts_error_lang(NULL, "lang=DE"));
	assert_null(ts_error_lang(NULL, "lang=%64e"));
	assert_null(ts_error_lang(NULL, "lang=abcdefghi"));
	assert_null(ts_error_lang(NULL, "xlang=de"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(english_as_made),
	    cmocka_unit_test(german_sentences),
	    cmocka_unit_test(lang_of_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
