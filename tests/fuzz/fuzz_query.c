/* libFuzzer: query strings through percent-decoding and the parameter
 * table (cgi/params.c), for each endpoint's set of parameters.
 *
 * Besides what the sanitizers catch, it checks what the handlers rely on:
 * an error message is UTF-8 that jansson accepts, without control
 * characters (it goes into JSON, HTML and log lines); an accepted value is
 * UTF-8 without NUL; limit and offset are within their ranges. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgi/params.h"
#include "../../lib/escape.h"

static json_t *doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the shape the validators read: scopes with kinds, categories */
	doc = json_pack("{s:[{s:s,s:s},{s:s,s:s}], s:[{s:s},{s:s}]}", "scopes",
			"id", "box", "kind", "product", "id", "site", "kind",
			"site", "categories", "id", "alpha", "id", "beta");
	return doc ? 0 : -1;
}

static void check_text(const char *s, int controls_ok)
{
	size_t n = strlen(s);
	if (!tc_utf8_valid(s, n))
		abort();
	json_t *j = json_string(s);
	if (!j)
		abort();
	json_decref(j);
	for (size_t i = 0; i < n && !controls_ok; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* nginx takes request lines up to 8 KiB by default */
	if (size > 8192)
		return 0;
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	static const unsigned allowed[] = {
	    TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) |
		TS_BIT(P_STATUS) | TS_BIT(P_RESP) | TS_BIT(P_LIMIT) |
		TS_BIT(P_OFFSET),
	    TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) | TS_BIT(P_STATUS) |
		TS_BIT(P_RESP) | TS_BIT(P_FORMAT),
	    0};
	static const unsigned required[] = {TS_BIT(P_Q), 0, 0};
	for (int r = 0; r < 3; r++) {
		ts_params p;
		tc_buf err = TC_BUF_INIT;
		if (ts_params_parse(q, allowed[r], required[r], doc, &p, &err) <
		    0) {
			if (!err.len)
				abort();
			check_text(tc_buf_cstr(&err), 0);
		} else {
			for (int i = 0; i < P__COUNT; i++) {
				if (!p.v[i])
					continue;
				if (!(allowed[r] & TS_BIT(i)) || !*p.v[i])
					abort();
				check_text(p.v[i], 1);
			}
			if ((required[r] & TS_BIT(P_Q)) && !p.v[P_Q])
				abort();
			if (p.v[P_Q] && strlen(p.v[P_Q]) > TS_MAX_QUERY)
				abort();
			if (p.limit < 1 || p.limit > 100 || p.offset < 0 ||
			    p.offset > 100000)
				abort();
		}
		ts_params_free(&p);
		tc_buf_free(&err);
	}
	tc_buf out = TC_BUF_INIT;
	if (ts_percent_decode(q, size, &out) == 0 && out.len > size)
		abort();
	tc_buf_free(&out);
	free(q);
	return 0;
}
