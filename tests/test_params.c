/* tc-search parameters: percent-decoding and the validator table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../cgi/params.h"
#include "helpers.h"

static void decode(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} ok[] = {{"a+b", "a b"},     {"%41%62", "Ab"}, {"%e2%9c%93", "✓"},
		  {"100%25", "100%"}, {"", ""},         {"%2B+", "+ "}};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		tc_buf b = TC_BUF_INIT;
		assert_int_equal(
		    ts_percent_decode(ok[i].in, strlen(ok[i].in), &b), 0);
		assert_string_equal(tc_buf_cstr(&b), ok[i].out);
		tc_buf_free(&b);
	}
	static const char *bad[] = {"%", "%4", "%G1", "a%zz", "%%"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		tc_buf b = TC_BUF_INIT;
		assert_int_equal(ts_percent_decode(bad[i], strlen(bad[i]), &b),
				 -1);
		tc_buf_free(&b);
	}
}

static json_t *doc(void)
{
	return json_pack("{s:[{s:s,s:s},{s:s,s:s}], s:[{s:s}]}", "scopes", "id",
			 "box", "kind", "product", "id", "site", "kind", "site",
			 "categories", "id", "alpha");
}

static const unsigned SEARCH =
    TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) | TS_BIT(P_STATUS) |
    TS_BIT(P_RESP) | TS_BIT(P_LIMIT) | TS_BIT(P_OFFSET);

static void expect(const char *query, const char *msg)
{
	json_t *d = doc();
	ts_params p;
	tc_buf err = TC_BUF_INIT;
	int rc = ts_params_parse(query, SEARCH, TS_BIT(P_Q), d, &p, &err);
	if (msg) {
		assert_int_equal(rc, -1);
		assert_string_equal(tc_buf_cstr(&err), msg);
	} else {
		if (rc)
			print_error("%s: %s\n", query, tc_buf_cstr(&err));
		assert_int_equal(rc, 0);
	}
	ts_params_free(&p);
	tc_buf_free(&err);
	json_decref(d);
}

static void validation(void **state)
{
	(void)state;
	char longq[260];
	memset(longq, 'a', sizeof longq);
	memcpy(longq, "q=", 2);
	longq[2 + 201] = '\0';
	expect("q=firewall", NULL);
	expect("q=fire+wall&product=box&category=alpha&status=client&limit=100&"
	       "offset=0",
	       NULL);
	expect("q=x&product=&status=", NULL); /* empty selects from a form */
	expect(longq, "parameter 'q' is longer than 200 bytes");
	expect("", "parameter 'q' is required");
	expect("q=", "parameter 'q' must contain at least one letter or digit");
	expect("q=%22*%5E",
	       "parameter 'q' must contain at least one letter or digit");
	expect("q=a&q=b", "parameter 'q' is given more than once");
	expect("q=a&x=1", "unknown parameter 'x'");
	expect("q=a&%0a=1", "unknown parameter '\\x0a'");
	/* Names that decode to invalid UTF-8 are quoted escaped, so the message
	 * stays UTF-8 (it once made json_pack fail and the worker crash). */
	expect("q=a&%ff=1", "unknown parameter '\\xff'");
	expect("%c3%28", "unknown parameter '\\xc3('");
	expect("q=a&%ed%a0%80%c2%9b",
	       "unknown parameter '\\xed\\xa0\\x80\\xc2\\x9b'");
	expect("q=%zz", "parameter 'q' has malformed percent-encoding");
	expect("q%=a", "malformed percent-encoding in a parameter name");
	expect("q=%C3%28", "parameter 'q' is not valid UTF-8 text");
	expect("q=a%00b", "parameter 'q' is not valid UTF-8 text");
	expect("q=a&product=site",
	       "parameter 'product' is not a product of this trust center");
	expect("q=a&category=beta",
	       "parameter 'category' is not a category of this trust center");
	expect("q=a&status=maybe",
	       "parameter 'status' must be one of provided, not-provided, "
	       "not-applicable, not-at-level, client, see-product, other");
	/* responsibility: one or a comma list of lib/vocab's words */
	expect("q=a&responsibility=client", NULL);
	expect("q=a&responsibility=client,shared", NULL);
	expect("q=a&responsibility=client%2Cshared&product=box", NULL);
	expect("q=a&responsibility=", NULL);
	static const char *resp_err =
	    "parameter 'responsibility' must be one or more (comma-separated) "
	    "of provider, shared, client, see-product, none";
	expect("q=a&responsibility=mine", resp_err);
	expect("q=a&responsibility=client,", resp_err);
	expect("q=a&responsibility=,client", resp_err);
	expect("q=a&responsibility=client,,shared", resp_err);
	expect("q=a&responsibility=client,provided", resp_err);
	expect("q=a&responsibility=CLIENT", resp_err);
	expect("q=a&responsibility=client%00", "parameter 'responsibility' is "
					       "not valid UTF-8 text");
	expect("q=a&responsibility=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       resp_err);
	expect("q=a&limit=0",
	       "parameter 'limit' must be a whole number from 1 to 100");
	expect("q=a&limit=101",
	       "parameter 'limit' must be a whole number from 1 to 100");
	expect("q=a&limit=-1",
	       "parameter 'limit' must be a whole number from 1 to 100");
	expect("q=a&limit=1e2",
	       "parameter 'limit' must be a whole number from 1 to 100");
	expect("q=a&offset=99999999999999999999",
	       "parameter 'offset' must be a whole number from 0 to 100000");
}

static void values(void **state)
{
	(void)state;
	json_t *d = doc();
	ts_params p;
	tc_buf err = TC_BUF_INIT;
	assert_int_equal(ts_params_parse("q=%C3%A9t%C3%A9&limit=5&offset=10&&",
					 SEARCH, TS_BIT(P_Q), d, &p, &err),
			 0);
	assert_string_equal(p.v[P_Q], "été");
	assert_int_equal(p.limit, 5);
	assert_int_equal(p.offset, 10);
	assert_null(p.v[P_PRODUCT]);
	ts_params_free(&p);
	/* defaults */
	assert_int_equal(
	    ts_params_parse(NULL, TS_BIT(P_FORMAT), 0, d, &p, &err), 0);
	assert_int_equal(p.limit, 20);
	assert_int_equal(p.offset, 0);
	ts_params_free(&p);
	/* a parameter another endpoint takes is unknown here */
	assert_int_equal(
	    ts_params_parse("q=a", TS_BIT(P_FORMAT), 0, d, &p, &err), -1);
	assert_string_equal(tc_buf_cstr(&err), "unknown parameter 'q'");
	ts_params_free(&p);
	tc_buf_free(&err);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decode),
	    cmocka_unit_test(validation),
	    cmocka_unit_test(values),
	};
	return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
