/* libFuzzer: any bytes as a data set of api/tom.json's shape through the
 * reader (tc_model_read, lib/model.h), in English and German URLs, and as
 * a release file's "tom". Whatever it accepts, tc_model_write writes; that
 * text must read again and write the same bytes (read, write, read,
 * write), and tc_model_csv and every selection over it must run clean
 * under the sanitizers. A refusal must say where (a path) and why. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/lang.h"
#include "../../lib/model.h"

static const tc_lang de = {"de", "/de", NULL, NULL};

static void round_trip(json_t *doc, const tc_lang *l)
{
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m = tc_model_read(doc, TC_READ_EXPORT, l, "", &path, &why);
	if (!m) {
		if (!why.len)
			abort(); /* a refusal without a reason */
		goto out;
	}
	tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
	tc_pick *all = tc_pick_all(m);
	tc_model_write(m, all, l, &a);
	json_error_t err;
	json_t *again = json_loadb(a.data, a.len, 0, &err);
	if (!again) {
		fprintf(stderr, "written text is no JSON: %s\n", err.text);
		abort();
	}
	tc_model *m2 = tc_model_read(again, TC_READ_EXPORT, l, "", &path, &why);
	if (!m2) {
		fprintf(stderr, "written text refused: %s %s\n",
			tc_buf_cstr(&path), tc_buf_cstr(&why));
		abort();
	}
	tc_pick *all2 = tc_pick_all(m2);
	tc_model_write(m2, all2, l, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort(); /* read, write, read, write: other bytes */
	tc_buf_clear(&b);
	tc_model_csv(m2, all2, l, ';', &b, NULL, NULL);
	/* the selections over what was read */
	const char *prod = m2->nscopes ? m2->scopes[0].id : "x";
	tc_pick *p = tc_pick_filter(m2, prod, NULL, "provided", "client,none");
	tc_buf_clear(&b);
	tc_model_write(m2, p, l, &b);
	tc_pick_free(p);
	p = tc_pick_products(m2, prod, NULL);
	tc_buf_clear(&b);
	tc_model_csv(m2, p, l, ',', &b, NULL, NULL);
	tc_pick_free(p);
	tc_pick_free(all);
	tc_pick_free(all2);
	tc_model_free(m2);
	tc_model_free(m);
	json_decref(again);
	tc_buf_free(&a);
	tc_buf_free(&b);
out:
	tc_buf_free(&path);
	tc_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (!doc)
		return 0;
	round_trip(doc, tc_lang_default());
	round_trip(doc, &de);
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m =
	    tc_model_read(doc, TC_READ_RELEASE, NULL, "tom", &path, &why);
	if (!m && !why.len)
		abort();
	tc_model_free(m);
	tc_buf_free(&path);
	tc_buf_free(&why);
	json_decref(doc);
	return 0;
}
