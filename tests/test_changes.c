/* The change data typed (lib/changes.h): the reader of a change document
 * and the JSON writer give back the published bytes of tests/golden/mini's
 * api/changes.json; every refusal of the reader with its message; since
 * and product filtering over the typed set; the view of a step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../gen/export.h"
#include "../lib/changes.h"
#include "../lib/lang.h"

/* tests/golden/mini/api/changes.json's bytes (the test runs from the root
 * or TC_ROOT). */
static char *golden(size_t *len)
{
	const char *root = getenv("TC_ROOT");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/golden/mini/api/changes.json",
		 root ? root : ".");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	tc_buf b = TC_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		tc_buf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return tc_buf_detach(&b);
}

static tc_changeset *golden_set(void)
{
	size_t len;
	char *text = golden(&len);
	json_t *doc = json_loadb(text, len, 0, NULL);
	assert_non_null(doc);
	tc_buf err = TC_BUF_INIT;
	tc_changeset *cs = tc_changeset_from_json(doc, &err);
	assert_string_equal(tc_buf_cstr(&err), "");
	assert_non_null(cs);
	tc_buf_free(&err);
	json_decref(doc);
	free(text);
	return cs;
}

/* The set written as api/changes.json is written (gen/history.c). */
static char *written(const tc_changeset *cs, size_t *len)
{
	json_t *j = tc_changeset_json(cs);
	char *s = tc_export_text(j, len);
	json_decref(j);
	return s;
}

static void round_trip(void **state)
{
	(void)state;
	size_t len, wlen;
	char *text = golden(&len);
	tc_changeset *cs = golden_set();
	assert_non_null(cs->schema);
	assert_int_equal(cs->n, 4);
	char *out = written(cs, &wlen);
	assert_int_equal(wlen, len);
	assert_memory_equal(out, text, len);
	/* every kind of change but subprocessor-removed is in the fixture,
	 * so each was read and written back */
	bool seen[TC_CHANGE__COUNT] = {false};
	for (size_t i = 0; i < cs->n; i++)
		for (size_t k = 0; k < cs->steps[i].n; k++)
			seen[cs->steps[i].changes[k].kind] = true;
	for (int k = 0; k < TC_CHANGE__COUNT; k++)
		assert_true(seen[k] == (k != TC_CHANGE_SUB_REMOVED));
	free(out);
	free(text);
	tc_changeset_free(cs);
}

/* A document with one release whose changes are change (JSON text). */
static json_t *doc_with(const char *change)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "{\"schema_version\": 1, \"releases\": [{\"version\": \"1\", "
		 "\"date\": \"2026-01-01\", \"summary\": \"\", \"released\": "
		 "true, \"previous\": null, \"changes\": [%s]}]}",
		 change);
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);
	if (!doc)
		fail_msg("%s: %s", text, e.text);
	return doc;
}

#define CELL_CHANGE(before)                                                    \
	"{\"kind\": \"cell-changed\", \"measure\": \"A-1\", \"category\": "    \
	"\"a\", \"category_title\": \"A\", \"text\": \"T\", \"scope\": "       \
	"\"box\", \"scope_name\": \"Box\", \"before\": " before                \
	", \"after\": null, \"move\": \"\", \"words\": \"W\", \"products\": "  \
	"[]}"

#define CHANGE(kind, before, move, products)                                   \
	"{\"kind\": \"" kind "\", \"measure\": null, \"category\": null, "     \
	"\"category_title\": null, \"text\": null, \"scope\": null, "          \
	"\"scope_name\": null, \"before\": " before ", \"after\": null, "      \
	"\"move\": \"" move "\", \"words\": \"W\", \"products\": " products    \
	"}"

#define SUB_AFTER(announced)                                                   \
	"{\"kind\": \"subprocessor-added\", \"measure\": null, \"category\": " \
	"null, \"category_title\": null, \"text\": null, \"scope\": null, "    \
	"\"scope_name\": null, \"before\": null, \"after\": {\"id\": \"s\", "  \
	"\"name\": \"S\", \"entity\": \"E\", \"address\": \"A\", "             \
	"\"country\": \"DE\", \"purpose\": \"P\", \"products\": [], "          \
	"\"transfer\": \"scc\", \"since\": \"2026-01-01\", "                   \
	"\"announced\": " announced                                            \
	", \"until\": null, \"country_name\": \"Germany\", "                   \
	"\"product_names\": []}, \"move\": \"\", \"words\": \"W\", "           \
	"\"products\": [], \"subprocessor\": \"s\", \"name\": \"S\", "         \
	"\"fields\": [], \"effective\": null, \"announced\": null, "           \
	"\"object_by\": null}"

static void refuses(const json_t *doc, const char *want)
{
	tc_buf err = TC_BUF_INIT;
	tc_changeset *cs = tc_changeset_from_json(doc, &err);
	if (cs)
		fail_msg("accepted; wanted: %s", want);
	assert_string_equal(tc_buf_cstr(&err), want);
	tc_buf_free(&err);
}

static void refuses_text(const char *text, const char *want)
{
	json_t *doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	refuses(doc, want);
	json_decref(doc);
}

static void refuses_change(const char *change, const char *want)
{
	json_t *doc = doc_with(change);
	refuses(doc, want);
	json_decref(doc);
}

static void reader_refusals(void **state)
{
	(void)state;
	/* the document and its releases */
	refuses_text("[]", "document: must be an object");
	refuses_text(
	    "{\"$schema\": 1, \"schema_version\": 1, \"releases\": []}",
	    "$schema: must be a string");
	refuses_text("{\"schema_version\": 2, \"releases\": []}",
		     "schema_version: must be 1");
	refuses_text("{\"releases\": []}", "schema_version: must be 1");
	refuses_text("{\"schema_version\": 1, \"releases\": {}}",
		     "releases: must be an array");
	refuses_text("{\"schema_version\": 1, \"releases\": [1]}",
		     "releases[0]: must be an object");
	refuses_text(
	    "{\"schema_version\": 1, \"releases\": [{\"version\": 1}]}",
	    "releases[0].version: must be a string");
	refuses_text("{\"schema_version\": 1, \"releases\": [{\"version\": "
		     "\"1\", \"date\": \"d\", \"summary\": \"\", \"released\": "
		     "\"yes\"}]}",
		     "releases[0].released: must be true or false");
	refuses_text("{\"schema_version\": 1, \"releases\": [{\"version\": "
		     "\"1\", \"date\": \"d\", \"summary\": \"\", \"released\": "
		     "true, \"previous\": 0, \"changes\": []}]}",
		     "releases[0].previous: must be a string or null");
	refuses_text("{\"schema_version\": 1, \"releases\": [{\"version\": "
		     "\"1\", \"date\": \"d\", \"summary\": \"\", \"released\": "
		     "true, \"previous\": null, \"changes\": {}}]}",
		     "releases[0].changes: must be an array");
	/* a change */
	refuses_change("1", "releases[0].changes[0]: must be an object");
	refuses_change("{\"kind\": 1}",
		       "releases[0].changes[0].kind: must be a string");
	refuses_change(CHANGE("measure-moved", "null", "", "[]"),
		       "releases[0].changes[0].kind: unknown kind "
		       "'measure-moved'");
	refuses_change(CHANGE("measure-added", "\"old\"", "", "[]"),
		       "releases[0].changes[0].before: must be null for "
		       "measure-added");
	refuses_change(CHANGE("measure-reworded", "null", "", "[]"),
		       "releases[0].changes[0].before: must be a string");
	refuses_change(CHANGE("measure-\\n\\u0001added", "null", "", "[]"),
		       "releases[0].changes[0].kind: unknown kind "
		       "'measure-\\x0a\\x01added'");
	refuses_change(CHANGE("scope-added", "null", "sideways", "[]"),
		       "releases[0].changes[0].move: unknown move 'sideways'");
	refuses_change(CHANGE("scope-added", "null", "", "\"box\""),
		       "releases[0].changes[0].products: must be an array of "
		       "strings");
	refuses_change(CHANGE("scope-added", "null", "", "[\"box\", 1]"),
		       "releases[0].changes[0].products[1]: must be a string");
	/* a cell */
	refuses_change(CELL_CHANGE("\"provided\""),
		       "releases[0].changes[0].before: must be a cell (an "
		       "object) or null");
	refuses_change(
	    CELL_CHANGE(
		"{\"status\": \"maybe\", \"responsibility\": \"client\"}"),
	    "releases[0].changes[0].before.status: unknown status 'maybe'");
	refuses_change(
	    CELL_CHANGE(
		"{\"status\": \"provided\", \"responsibility\": \"nobody\"}"),
	    "releases[0].changes[0].before.responsibility: unknown "
	    "responsibility 'nobody'");
	refuses_change(CELL_CHANGE("{\"status\": \"provided\"}"),
		       "releases[0].changes[0].before.responsibility: must be "
		       "a string");
	refuses_change(
	    CELL_CHANGE("{\"status\": \"provided\", \"responsibility\": "
			"\"client\", \"label\": 3}"),
	    "releases[0].changes[0].before.label: must be a string");
	/* a subprocessor */
	refuses_change(CHANGE("subprocessor-removed", "[]", "", "[]"),
		       "releases[0].changes[0].before: must be a subprocessor "
		       "(an object) or null");
	refuses_change(SUB_AFTER("5"), "releases[0].changes[0].after."
				       "announced: must be a string or null");
	/* the same subprocessor change with a date is read */
	json_t *doc = doc_with(SUB_AFTER("\"2025-12-01\""));
	tc_buf err = TC_BUF_INIT;
	tc_changeset *cs = tc_changeset_from_json(doc, &err);
	assert_non_null(cs);
	assert_string_equal(cs->steps[0].changes[0].sub_after->announced,
			    "2025-12-01");
	assert_null(cs->steps[0].changes[0].sub_after->until);
	tc_changeset_free(cs);
	json_decref(doc);
	tc_buf_free(&err);
}

static void since_and_product(void **state)
{
	(void)state;
	tc_changeset *cs = golden_set();
	tc_buf err = TC_BUF_INIT;
	/* since: the releases after it, newest first */
	for (size_t i = 0; i < cs->n; i++) {
		tc_changeset *s =
		    tc_changes_since(cs, cs->steps[i].version, NULL, &err);
		assert_non_null(s);
		assert_int_equal(s->n, i);
		for (size_t k = 0; k < i; k++) {
			assert_string_equal(s->steps[k].version,
					    cs->steps[k].version);
			assert_int_equal(s->steps[k].n, cs->steps[k].n);
		}
		tc_changeset_free(s);
	}
	/* product: only the changes that concern it, in their order */
	tc_changeset *r = tc_changes_since(cs, NULL, "rack", &err);
	assert_int_equal(r->n, cs->n);
	size_t kept = 0, all = 0;
	for (size_t i = 0; i < cs->n; i++) {
		size_t k = 0;
		for (size_t j = 0; j < cs->steps[i].n; j++) {
			const tc_change *c = &cs->steps[i].changes[j];
			all++;
			if (!tc_change_concerns(c, "rack"))
				continue;
			assert_ptr_equal(r->steps[i].changes[k].words,
					 c->words);
			k++;
		}
		assert_int_equal(r->steps[i].n, k);
		kept += k;
	}
	assert_true(kept > 0 && kept < all);
	/* written as {"since", "product", "releases"} */
	json_t *j = tc_changeset_json(r);
	assert_true(json_is_null(json_object_get(j, "since")));
	assert_string_equal(json_string_value(json_object_get(j, "product")),
			    "rack");
	assert_int_equal(json_object_size(j), 3);
	json_decref(j);
	tc_changeset_free(r);
	/* a product no change concerns keeps the releases, empty */
	r = tc_changes_since(cs, "0.9", "nothing", &err);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->steps[0].n + r->steps[1].n, 0);
	tc_changeset_free(r);
	/* an unknown version is refused with the known ones */
	assert_null(tc_changes_since(cs, "0.1", NULL, &err));
	assert_string_equal(tc_buf_cstr(&err),
			    "unknown version '0.1'; known versions: 1.0-test, "
			    "1.0, 0.9, 0.8");
	tc_buf_free(&err);
	tc_changeset_free(cs);
}

/* The cell callback: counts its calls, NULL for none. */
static const tc_val *cell_stub(void *ud, const tc_change_cell *cell)
{
	++*(int *)ud;
	return cell ? tc_val_bool(true) : NULL;
}

static void step_view(void **state)
{
	(void)state;
	tc_changeset *cs = golden_set();
	tc_arena *a = tc_arena_new(0);
	int calls = 0;
	size_t cells = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const tc_change_step *st = &cs->steps[i];
		tc_val *v = tc_changes_view(a, tc_lang_default(), st, cell_stub,
					    &calls);
		assert_int_equal(
		    tc_val_bool_value(tc_val_get(v, "has_changes")), st->n > 0);
		size_t shown = tc_val_len(tc_val_get(v, "moves")) +
			       tc_val_len(tc_val_get(v, "columns")) +
			       tc_val_len(tc_val_get(v, "subs"));
		const tc_val *g = tc_val_get(v, "groups");
		for (size_t k = 0; k < tc_val_len(g); k++)
			shown +=
			    tc_val_len(tc_val_get(tc_val_at(g, k), "changes"));
		assert_int_equal(shown, st->n);
		for (size_t k = 0; k < st->n; k++)
			cells += tc_change_kind_is_cell(st->changes[k].kind);
		/* a step's members as the JSON has them: previous null */
		if (!st->previous)
			assert_int_equal(
			    tc_val_typeof(tc_val_get(v, "previous")),
			    TC_VAL_NULL);
	}
	/* both sides of every cell change, none or not */
	assert_int_equal((size_t)calls, 2 * cells);
	tc_arena_free(a);
	tc_changeset_free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(reader_refusals),
	    cmocka_unit_test(since_and_product),
	    cmocka_unit_test(step_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
