/* cgi/openapi.c: the description declares exactly what the parameter
 * table accepts. Every declared enum value, bound and length is sent
 * through ts_params_parse, and the value just past each bound must be
 * refused. The integration suite then sends thousands of generated
 * requests (tests/integration/test_interop.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../cgi/endpoints.h"
#include "../cgi/openapi.h"
#include "helpers.h"

static json_t *doc;

static int accepts(ts_param p, const char *v)
{
	tc_buf q = TC_BUF_INIT, err = TC_BUF_INIT;
	tc_buf_printf(&q, "%s=%s", ts_param_name(p), v);
	ts_params pp;
	int ok =
	    ts_params_parse(tc_buf_cstr(&q), TS_BIT(p), 0, doc, &pp, &err) == 0;
	ts_params_free(&pp);
	tc_buf_free(&q);
	tc_buf_free(&err);
	return ok;
}

static void params_match_the_table(void **state)
{
	(void)state;
	for (int p = 0; p < P__COUNT; p++) {
		json_t *s = ts_param_schema((ts_param)p, doc, NULL, NULL);
		json_t *en = json_object_get(s, "enum"), *v;
		size_t i;
		json_array_foreach (en, i, v)
			assert_true(accepts((ts_param)p, json_string_value(v)));
		if (json_is_array(en))
			assert_false(accepts((ts_param)p, "no-such-value"));
		json_t *lo = json_object_get(s, "minimum"),
		       *hi = json_object_get(s, "maximum");
		if (lo && hi) {
			char b[32];
			long l = (long)json_integer_value(lo),
			     h = (long)json_integer_value(hi);
			snprintf(b, sizeof b, "%ld", l);
			assert_true(accepts((ts_param)p, b));
			snprintf(b, sizeof b, "%ld", h);
			assert_true(accepts((ts_param)p, b));
			snprintf(b, sizeof b, "%ld", h + 1);
			assert_false(accepts((ts_param)p, b));
			snprintf(b, sizeof b, "%ld", l - 1);
			assert_false(accepts((ts_param)p, b));
		}
		json_t *max = json_object_get(s, "maxLength");
		if (max) {
			size_t n = (size_t)json_integer_value(max);
			char *a = malloc(n + 2);
			memset(a, 'a', n + 1);
			a[n] = '\0';
			assert_true(accepts((ts_param)p, a));
			a[n] = 'a';
			a[n + 1] = '\0';
			assert_false(accepts((ts_param)p, a));
			free(a);
			assert_false(accepts((ts_param)p, "%21%21"));
		}
		json_decref(s);
	}
}

static void every_route_is_described(void **state)
{
	(void)state;
	json_t *o = ts_openapi(doc, NULL, NULL, "https://x.test");
	json_t *paths = json_object_get(o, "paths");
	size_t n;
	const ts_endpoint *e = ts_endpoints(&n);
	assert_int_equal(json_object_size(paths), n);
	for (size_t i = 0; i < n; i++) {
		if (e[i].post) {
			/* a form, not parameters: its fields are the form's */
			json_t *post = json_object_get(
			    json_object_get(paths, e[i].path), "post");
			assert_non_null(json_object_get(post, "requestBody"));
			assert_null(json_object_get(
			    json_object_get(paths, e[i].path), "get"));
			continue;
		}
		json_t *get =
		    json_object_get(json_object_get(paths, e[i].path), "get");
		assert_non_null(get);
		size_t np = 0;
		for (int p = 0; p < P__COUNT; p++)
			np += (e[i].allowed & TS_BIT(p)) != 0;
		assert_int_equal(
		    json_array_size(json_object_get(get, "parameters")), np);
	}
	json_decref(o);
}

int main(void)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/tests/golden/mini/api/tom.json", repo_root());
	doc = json_load_file(tc_buf_cstr(&p), 0, NULL);
	tc_buf_free(&p);
	if (!doc)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(params_match_the_table),
	    cmocka_unit_test(every_route_is_described),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(doc);
	return rc;
}
