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
    {"yes: daily", ST_PROVIDED, "✓", "daily"},
    /* marks are written exactly: a case, an apostrophe or words after
     * a word mark without punctuation make no mark (content.c reports
     * them, naming the mark meant) */
    {"Yes", ST_OTHER, "Yes", ""},
    {"yes daily", ST_OTHER, "yes daily", ""},
    {"yesterday", ST_OTHER, "yesterday", ""},
    {"X", ST_NOT_PROVIDED, "X", ""},
    {"X (RAID-based storage backend, no backup)", ST_NOT_PROVIDED, "X",
     "(RAID-based storage backend, no backup)"},
    {"Xen support", ST_OTHER, "Xen support", ""},
    {"NA", ST_NOT_APPLICABLE, "NA", ""},
    {"NA (see next line)", ST_NOT_APPLICABLE, "NA", "(see next line)"},
    {"NA – see next line", ST_NOT_APPLICABLE, "NA", "– see next line"},
    {"NATO", ST_OTHER, "NATO", ""},
    {"Client's responsibility", ST_CLIENT, "Client's responsibility", ""},
    {"Client’s responsibility", ST_OTHER, "Client’s responsibility", ""},
    {"client's responsibility", ST_OTHER, "client's responsibility", ""},
    {"Client's responsibility, by contract", ST_CLIENT,
     "Client's responsibility", "by contract"},
    {"Client's responsibility: see the DPA", ST_CLIENT,
     "Client's responsibility", "see the DPA"},
    {"Client's responsibility see the DPA", ST_OTHER,
     "Client's responsibility see the DPA", ""},
    {"See product description", ST_SEE_PRODUCT, "See product description", ""},
    {"rootkit tests", ST_OTHER, "rootkit tests", ""},
    {"✓ RAID-based storage backend", ST_PROVIDED, "✓",
     "RAID-based storage backend"},
    /* a mark is a whole word */
    {"X.509 client certificates", ST_OTHER, "X.509 client certificates", ""},
    {"✓ X.509 client certificates", ST_PROVIDED, "✓",
     "X.509 client certificates"},
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
		tc_cell_parse(tc_marks_for("en"), cases[i].text, &c);
		if (c.status != cases[i].status)
			print_error("cell '%s'\n", cases[i].text);
		assert_int_equal(c.status, cases[i].status);
		assert_string_equal(c.label, cases[i].label);
		assert_string_equal(c.note, cases[i].note);
		free(c.label);
		free(c.note);
	}
}

/* The marks are the content's language's (templates/i18n/marks.json): a
 * German-first content writes German marks, and an English "X" is no
 * mark there (a German reader takes an X for a tick). */
static void german_marks(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		tc_status status;
		const char *label, *note;
	} de[] = {
	    {"ja", ST_PROVIDED, "\xe2\x9c\x93", ""},
	    {"\xe2\x9c\x93 t\xc3\xa4glich", ST_PROVIDED, "\xe2\x9c\x93",
	     "t\xc3\xa4glich"},
	    {"nein (RAID, keine Datensicherung)", ST_NOT_PROVIDED, "nein",
	     "(RAID, keine Datensicherung)"},
	    {"entf\xc3\xa4llt", ST_NOT_APPLICABLE, "entf\xc3\xa4llt", ""},
	    {"Verantwortung des Kunden", ST_CLIENT, "Verantwortung des Kunden",
	     ""},
	    {"siehe Produktbeschreibung", ST_SEE_PRODUCT,
	     "siehe Produktbeschreibung", ""},
	    {"X", ST_OTHER, "X", ""},
	    {"Client's responsibility", ST_OTHER, "Client's responsibility",
	     ""},
	};
	const tc_marks *mk = tc_marks_for("de");
	assert_non_null(mk);
	assert_null(tc_marks_for("fr"));
	assert_string_equal(tc_marks_code(mk), "de");
	assert_string_equal(tc_header_word(mk, 1), "Ma\xc3\x9fnahme");
	assert_true(tc_header_ok(mk, 1, "Ma\xc3\x9fnahmen"));
	assert_false(tc_header_ok(mk, 1, "Measure"));
	/* the English marks are there beside them: no language is state */
	assert_false(tc_header_ok(tc_marks_for("en"), 1, "Ma\xc3\x9fnahme"));
	for (size_t i = 0; i < sizeof de / sizeof *de; i++) {
		tc_cell c = {0};
		tc_cell_parse(mk, de[i].text, &c);
		if (c.status != de[i].status)
			print_error("cell '%s'\n", de[i].text);
		assert_int_equal(c.status, de[i].status);
		assert_string_equal(c.label, de[i].label);
		assert_string_equal(c.note, de[i].note);
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

/* Gives a row of the product rule's test what a release's data set has
 * besides (lib/model.h TC_READ_RELEASE): names, titles, texts, labels,
 * notes. */
static void fill_release(json_t *doc)
{
	size_t i, j;
	json_t *x, *me;
	json_array_foreach (json_object_get(doc, "scopes"), i, x)
		json_object_set(x, "name", json_object_get(x, "id"));
	json_array_foreach (json_object_get(doc, "categories"), i, x) {
		json_object_set(x, "title", json_object_get(x, "id"));
		json_array_foreach (json_object_get(x, "measures"), j, me) {
			json_object_set(me, "text", json_object_get(me, "id"));
			const char *k;
			json_t *cell;
			json_object_foreach (json_object_get(me, "cells"), k,
					     cell) {
				json_object_set_new(cell, "label",
						    json_string("x"));
				json_object_set_new(cell, "note",
						    json_string(""));
			}
		}
	}
}

/* Whether pick p keeps measure k's cell of scope id (category 0). */
static bool kept(const tc_model *m, const tc_pick *p, size_t k, const char *id)
{
	const tc_category *c = &m->categories[0];
	const tc_table *t = &c->tables[c->measures[k].table];
	for (size_t j = 0; j < t->nscopes; j++)
		if (!strcmp(m->scopes[t->scopes[j]].id, id))
			return tc_pick_cell(p, 0, k, j);
	return false;
}

/* How many of measure k's cells p keeps (category 0). */
static size_t kept_cells(const tc_model *m, const tc_pick *p, size_t k)
{
	const tc_category *c = &m->categories[0];
	const tc_table *t = &c->tables[c->measures[k].table];
	size_t n = 0;
	for (size_t j = 0; j < t->nscopes; j++)
		n += tc_pick_cell(p, 0, k, j);
	return n;
}

/* The product rule (lib/tomdata.h, README "Columns that apply to every
 * product"): a row says for a product its own cell and its site and
 * organisation cells; internal cells and other products' never count. The
 * data's filter keeps the same cells. */
static void product_rule(void **state)
{
	(void)state;
	/* "Documented cryptography policy": X for the product, ✓ in General:
	 * provided (it read "Not provided" on every product page) */
	tc_answer a = TC_ANSWER_INIT;
	assert_int_equal(
	    tc_answer_add(&a, SK_PRODUCT, true, ST_NOT_PROVIDED, RS_NONE),
	    CR_OWN);
	assert_int_equal(
	    tc_answer_add(&a, SK_ORGANISATION, false, ST_PROVIDED, RS_PROVIDER),
	    CR_EVERY);
	assert_true(a.concerns && a.own && a.not_provided);
	assert_int_equal(a.resp, RS_PROVIDER);
	/* the client's duty in any answering cell is the client's */
	assert_int_equal(
	    tc_answer_add(&a, SK_SITE, false, ST_CLIENT, RS_CLIENT), CR_EVERY);
	assert_int_equal(a.resp, RS_CLIENT);
	/* only another product's cell and an internal ✓: nothing for it */
	tc_answer b = TC_ANSWER_INIT;
	assert_int_equal(
	    tc_answer_add(&b, SK_PRODUCT, false, ST_PROVIDED, RS_PROVIDER),
	    CR_OTHER);
	assert_int_equal(
	    tc_answer_add(&b, SK_INTERNAL, false, ST_PROVIDED, RS_PROVIDER),
	    CR_INTERNAL);
	assert_false(b.concerns);
	assert_int_equal(b.resp, RS_NONE);
	/* the same over the data: a row of Box, Rack, General and Admin */
	json_error_t err;
	json_t *doc = json_loads(
	    "{\"scopes\": [{\"id\": \"box\", \"kind\": \"product\"}, "
	    "{\"id\": \"rack\", \"kind\": \"product\"}, {\"id\": \"vm\", "
	    "\"kind\": \"product\"}, {\"id\": \"general\", \"kind\": "
	    "\"organisation\"}, {\"id\": \"admin\", \"kind\": "
	    "\"internal\"}], \"categories\": [{\"id\": \"c\", \"measures\": "
	    "[{\"id\": \"M-1\", \"table\": \"product\", \"cells\": {\"box\": "
	    "{\"status\": \"not-provided\", \"responsibility\": \"none\"}, "
	    "\"rack\": {\"status\": \"client\", \"responsibility\": "
	    "\"client\"}, \"general\": {\"status\": \"provided\", "
	    "\"responsibility\": \"provider\"}, \"admin\": {\"status\": "
	    "\"provided\", \"responsibility\": \"provider\"}}}, {\"id\": "
	    "\"M-2\", \"table\": \"product\", \"cells\": {\"box\": "
	    "{\"status\": \"provided\", \"responsibility\": \"provider\"}, "
	    "\"admin\": {\"status\": \"provided\", \"responsibility\": "
	    "\"provider\"}}}]}]}",
	    0, &err);
	assert_non_null(doc);
	json_t *kinds = tc_tom_kinds(doc);
	json_t *ms = json_object_get(
	    json_array_get(json_object_get(doc, "categories"), 0), "measures");
	json_t *m1 = json_array_get(ms, 0), *m2 = json_array_get(ms, 1);
	assert_int_equal(tc_tom_answer(kinds, m1, "box").resp, RS_PROVIDER);
	assert_int_equal(tc_tom_answer(kinds, m1, "rack").resp, RS_CLIENT);
	/* Vm has no column, General applies to it */
	assert_true(tc_tom_answer(kinds, m1, "vm").concerns);
	assert_int_equal(tc_tom_answer(kinds, m1, "vm").resp, RS_PROVIDER);
	/* M-2: Box's own and an internal cell; Vm has none that answers */
	assert_false(tc_tom_answer(kinds, m2, "vm").concerns);
	assert_int_equal(tc_tom_role(kinds, "admin", "box"), CR_INTERNAL);
	assert_int_equal(tc_tom_role(kinds, "rack", "box"), CR_OTHER);
	assert_int_equal(tc_tom_role(kinds, "nowhere", "box"), CR_OTHER);
	/* the same row read as a data set (lib/model.h), its selections */
	fill_release(doc);
	tc_buf at = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_model *m = tc_model_read(doc, TC_READ_RELEASE, NULL, "", &at, &why);
	if (!m)
		fail_msg("%s: %s", tc_buf_cstr(&at), tc_buf_cstr(&why));
	/* Box's download: its cell, General's and the internal one */
	tc_pick *f = tc_pick_filter(m, "box", NULL, NULL, NULL);
	assert_int_equal(kept_cells(m, f, 0), 3);
	assert_false(kept(m, f, 0, "rack"));
	assert_true(kept(m, f, 0, "admin"));
	tc_pick_free(f);
	/* Vm's: M-1 with General and the internal cell; not M-2 */
	f = tc_pick_filter(m, "vm", NULL, NULL, NULL);
	assert_true(tc_pick_measure(f, 0, 0));
	assert_false(tc_pick_measure(f, 0, 1));
	assert_int_equal(kept_cells(m, f, 0), 2);
	tc_pick_free(f);
	/* a responsibility filter selects answers: never an internal cell */
	f = tc_pick_filter(m, "box", NULL, NULL, "provider");
	assert_true(tc_pick_measure(f, 0, 0));
	assert_true(tc_pick_measure(f, 0, 1));
	assert_false(kept(m, f, 0, "admin"));
	tc_pick_free(f);
	/* a customer's annex of Rack and Vm: M-1 only, without Box's cell */
	f = tc_pick_products(m, "rack,vm", "client,shared");
	assert_true(tc_pick_measure(f, 0, 0));
	assert_false(tc_pick_measure(f, 0, 1));
	assert_int_equal(kept_cells(m, f, 0), 1);
	assert_true(kept(m, f, 0, "rack"));
	tc_pick_free(f);
	/* a release keeps where its URLs start: "" without a base_url (or
	 * with one that is no string), else the file's, for its annexes */
	assert_string_equal(m->base_url, "");
	tc_model_free(m);
	json_object_set_new(doc, "base_url", json_integer(1));
	m = tc_model_read(doc, TC_READ_RELEASE, NULL, "", &at, &why);
	assert_non_null(m);
	assert_string_equal(m->base_url, "");
	tc_model_free(m);
	json_object_set_new(doc, "base_url",
			    json_string("https://example.org/tom"));
	m = tc_model_read(doc, TC_READ_RELEASE, NULL, "", &at, &why);
	assert_non_null(m);
	assert_string_equal(m->base_url, "https://example.org/tom");
	tc_model_free(m);
	tc_buf_free(&at);
	tc_buf_free(&why);
	json_decref(kinds);
	json_decref(doc);
}

/* tc_tom_dump: jansson's bytes (json_dumps, indented by one, keys in order)
 * and a newline; a document jansson refuses (text that is not UTF-8) is the
 * newline alone, as it always was. */
static void expect_jansson(json_t *v, int own)
{
	char *js = json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!js)
		js = strdup("");
	assert_true(*js || !own);
	tc_buf out = TC_BUF_INIT;
	tc_tom_dump(v, &out);
	assert_int_equal(out.len, strlen(js) + 1);
	assert_memory_equal(out.data, js, strlen(js));
	assert_int_equal(out.data[out.len - 1], '\n');
	tc_buf_free(&out);
	free(js);
	json_decref(v);
}

static void json_dump_as_jansson(void **state)
{
	(void)state;
	char controls[33];
	for (int i = 0; i < 32; i++)
		controls[i] = (char)(i + 1 < 32 ? i + 1 : 0x7f);
	controls[32] = '\0';
	expect_jansson(
	    json_pack(
		"{s:{}, s:[], s:[i, i, b, b, n], s:s, s:s, s:{s:[{s:s}]}, "
		"s:s}",
		"empty", "none", "scalars", 0, -42, 1, 0, "quotes\"\\/",
		"a \"quoted\" \\ value /", "text",
		"\xc3\xa9\xe2\x9c\x93\xf0\x9f\x94\x92 ok", "deep", "list", "k",
		"v", "controls", controls),
	    1);
	expect_jansson(json_pack("[f]", 0.5), 0);
	expect_jansson(
	    json_pack("{s:o}", "bad", json_stringn_nocheck("\xff", 1)), 0);
	json_t *deep = json_array();
	for (int i = 0; i < 600; i++)
		deep = json_pack("[o]", deep);
	expect_jansson(deep, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vocabulary),
	    cmocka_unit_test(german_marks),
	    cmocka_unit_test(ids),
	    cmocka_unit_test(product_rule),
	    cmocka_unit_test(json_dump_as_jansson),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
