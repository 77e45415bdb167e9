/* libFuzzer: any bytes as a change document (lib/changes.h), as tc-search
 * reads the one its index stores: jansson, then tc_changeset_from_json.
 * A document it refuses says why in one line; one it accepts is written
 * (tc_changeset_json), read again and written again, and the two texts
 * must be the same bytes (what the reader keeps is what the writer
 * writes). The accepted set is then filtered (tc_changes_since: each
 * version, the first change's products, an unknown version) and each step
 * made into the page view (tc_changes_view), as /api/changes does. Seeds:
 * tests/fixtures/mini's api/changes.json and parts of it. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/changes.h"
#include "../../lib/lang.h"

static char *text_of(const tc_changeset *cs)
{
	json_t *j = tc_changeset_json(cs);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		abort(); /* the writer made what jansson cannot write */
	return s;
}

static const tc_val *cell(void *ud, const tc_change_cell *c)
{
	return tc_change_cell_val(ud, tc_lang_default(), c, NULL);
}

static void views(const tc_changeset *cs)
{
	tc_arena *a = tc_arena_new(0);
	for (size_t i = 0; i < cs->n; i++)
		if (!tc_changes_view(a, tc_lang_default(), &cs->steps[i], cell,
				     a))
			abort();
	tc_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (!doc)
		return 0;
	tc_buf err = TC_BUF_INIT;
	tc_changeset *cs = tc_changeset_from_json(doc, &err);
	json_decref(doc);
	if (!cs) {
		if (!err.len || memchr(err.data, '\n', err.len))
			abort(); /* a refusal says why, in one line */
		tc_buf_free(&err);
		return 0;
	}
	char *one = text_of(cs);
	json_t *again = json_loads(one, 0, NULL);
	tc_changeset *cs2 = again ? tc_changeset_from_json(again, &err) : NULL;
	if (!cs2)
		abort(); /* the reader refuses what the writer wrote */
	char *two = text_of(cs2);
	if (strcmp(one, two))
		abort(); /* read, written, read: not the same */
	for (size_t i = 0; i <= cs->n; i++) {
		const char *since = i < cs->n ? cs->steps[i].version : NULL;
		const char *product = NULL;
		for (size_t k = 0; k < cs->n && !product; k++)
			if (cs->steps[k].n &&
			    cs->steps[k].changes[0].products.n)
				product = cs->steps[k].changes[0].products.v[0];
		tc_changeset *f = tc_changes_since(cs, since, product, &err);
		if (!f)
			abort(); /* a version of the set is known */
		free(text_of(f));
		views(f);
		tc_changeset_free(f);
	}
	tc_buf_clear(&err);
	if (tc_changes_since(cs, "\x01unknown", NULL, &err) || !err.len)
		abort();
	views(cs);
	free(one);
	free(two);
	json_decref(again);
	tc_changeset_free(cs);
	tc_changeset_free(cs2);
	tc_buf_free(&err);
	return 0;
}
