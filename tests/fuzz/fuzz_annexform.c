/* libFuzzer: a POST /api/annex body through the form parser and its check
 * against a data set (cgi/annex.h), then the error's message and the
 * document ID.
 *
 * Besides what the sanitizers catch, it checks what the PDF writer and
 * the answer rely on: an accepted form has a name and at least one
 * product, every value is UTF-8 within its limit and without a control or
 * bidirectional formatting character (the address may have line breaks,
 * at most TS_ANNEX_MAX_ADDRESS_LINES lines, no space at a line's ends), no
 * product twice; a refused one has an error whose message is one line of
 * UTF-8 that jansson takes; the document ID is 64 hex digits and the same
 * when made twice. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgi/annex.h"
#include "../../lib/buf.h"
#include "../../lib/escape.h"
#include "../../lib/text.h"

static json_t *catalog, *versions;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	catalog = json_loads(
	    "{\"scopes\":[{\"id\":\"box\",\"kind\":\"product\",\"name\":"
	    "\"Box\"},{\"id\":\"rack\",\"kind\":\"product\",\"name\":\"Rack\"},"
	    "{\"id\":\"site\",\"kind\":\"site\",\"name\":\"Site\"}]}",
	    0, NULL);
	versions = json_loads(
	    "[{\"id\":\"current\",\"version\":\"1.1\",\"date\":\"2026-01-02\"},"
	    "{\"id\":\"1.0\",\"version\":\"1.0\",\"date\":\"2025-06-30\"}]",
	    0, NULL);
	return catalog && versions ? 0 : -1;
}

static void check_value(const char *v, ts_annex_field f)
{
	size_t n = strlen(v);
	if (!tc_utf8_valid(v, n) || n > ts_annex_field_max(f))
		abort();
	size_t lines = n ? 1 : 0;
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t k = tc_utf8_decode(v + i, n - i, &cp);
		if (!k)
			abort();
		if (cp == '\n') {
			if (f != AF_ADDRESS || (i && v[i - 1] == ' ') ||
			    v[i + 1] == ' ' || v[i + 1] == '\0')
				abort();
			lines++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			   (cp >= 0x202a && cp <= 0x202e) ||
			   (cp >= 0x2066 && cp <= 0x2069)) {
			abort();
		}
		i += k;
	}
	if (n && (v[0] == ' ' || v[n - 1] == ' '))
		abort();
	if (f == AF_ADDRESS && lines > TS_ANNEX_MAX_ADDRESS_LINES)
		abort();
}

static void check_message(const ts_annex_error *e)
{
	tc_buf m = TC_BUF_INIT;
	ts_annex_error_text(tc_lang_default(), e, &m);
	const char *s = tc_buf_cstr(&m);
	if (!m.len || !tc_utf8_valid(s, m.len))
		abort();
	for (size_t i = 0; i < m.len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	json_t *j = json_string(s);
	if (!j)
		abort();
	json_decref(j);
	tc_buf_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: the parser must not read past it */
	char *body = malloc(size ? size : 1);
	memcpy(body, data, size);
	ts_annex_form f;
	ts_annex_error e;
	int rc = ts_annex_form_parse(body, size, &f, &e);
	if (rc < 0) {
		if (e.code == AE_OK)
			abort();
		check_message(&e);
	} else {
		if (e.code != AE_OK || !f.v[AF_NAME] || !*f.v[AF_NAME] ||
		    !f.nproducts || f.nproducts > TS_ANNEX_MAX_PRODUCTS)
			abort();
		for (int i = 0; i < AF__COUNT; i++)
			if (f.v[i])
				check_value(f.v[i], (ts_annex_field)i);
		for (size_t i = 0; i < f.nproducts; i++) {
			check_value(f.products[i], AF_PRODUCT);
			for (size_t k = 0; k < i; k++)
				if (!strcmp(f.products[i], f.products[k]))
					abort();
		}
		json_t *version = NULL;
		tc_buf list = TC_BUF_INIT;
		if (ts_annex_form_check(&f, catalog, versions, &version, &list,
					&e) < 0) {
			check_message(&e);
		} else {
			if (!version || !list.len)
				abort();
			char a[65], b[65];
			ts_annex_doc_id(&f, "sha", "1.0", "en", "2026-01-02",
					tc_buf_cstr(&list), a);
			ts_annex_doc_id(&f, "sha", "1.0", "en", "2026-01-02",
					tc_buf_cstr(&list), b);
			if (strlen(a) != 64 || strcmp(a, b) ||
			    strspn(a, "0123456789abcdef") != 64)
				abort();
		}
		tc_buf_free(&list);
	}
	ts_annex_form_free(&f);
	free(body);
	return 0;
}
