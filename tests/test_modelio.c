/* The data set's reader, selections and writers (lib/model.h):
 * tc_model_write and tc_model_csv write what the JSON tree's functions
 * (gen/export.c tc_export_json, and the filters and CSV writer lib/tomdata.c
 * had, kept as tests/tomref.h's reference) write, byte for byte, for
 * content/ and the mini fixture in English and German and every filter
 * combination; tc_model_read reads it back to the same bytes and refuses
 * each kind of bad value with its path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/content.h"
#include "../gen/export.h"
#include "../gen/model.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "helpers.h"
#include "tomref.h"

static tc_msgs *de_msgs;
static tc_lang de = {"de", "/de", NULL, NULL};

static int setup(void **state)
{
	(void)state;
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/templates/i18n/de.json", repo_root());
	size_t n;
	char *s = tc_read_file(tc_buf_cstr(&p), &n);
	tc_diags *d = tc_diags_new();
	de_msgs = s ? tc_msgs_parse("de.json", s, n, d) : NULL;
	de.msgs = de_msgs;
	tc_diags_free(d);
	free(s);
	tc_buf_free(&p);
	return de_msgs ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tc_msgs_free(de_msgs);
	return 0;
}

static tc_model *load(const char *dir)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", repo_root(), dir);
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(tc_buf_cstr(&p), d);
	tc_diags_free(d);
	tc_buf_free(&p);
	assert_non_null(m);
	return m;
}

/* The JSON tree's bytes of doc (freed). */
static char *dumped(json_t *doc)
{
	tc_buf b = TC_BUF_INIT;
	tc_tom_dump(doc, &b);
	json_decref(doc);
	return tc_buf_detach(&b);
}

static char *written(const tc_model *m, tc_pick *p, const tc_lang *l)
{
	tc_buf b = TC_BUF_INIT;
	tc_model_write(m, p, l, &b);
	tc_pick_free(p);
	return tc_buf_detach(&b);
}

static void same(char *want, char *got, const char *what)
{
	if (strcmp(want, got) != 0) {
		size_t i = 0;
		while (want[i] && want[i] == got[i])
			i++;
		fail_msg("%s: differs at byte %zu: '%.60s' / '%.60s'", what, i,
			 want + i, got + i);
	}
	free(want);
	free(got);
}

static void csv_same(json_t *doc, const tc_model *m, tc_pick *p,
		     const tc_lang *l, char sep, const char *what)
{
	tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
	ref_csv_sep_stream(doc, l, &a, sep, NULL, NULL);
	assert_int_equal(tc_model_csv(m, p, l, sep, &b, NULL, NULL), 0);
	tc_pick_free(p);
	same(tc_buf_detach(&a), tc_buf_detach(&b), what);
}

static const char *const statuses[] = {
    NULL,     "provided",    "not-provided", "not-applicable", "client",
    "shared", "see-product", "not-at-level", "other"};
static const char *const resps[] = {NULL,       "client", "client,shared",
				    "provider", "none",   "see-product"};

/* Every filter of ref_filter (each product and none, each status, each
 * responsibility list, a category and none) and a few of
 * ref_filter_products, JSON and CSV, over m as tc-gen built it and as
 * tc_model_read read it back. */
static void agree(const char *dir, const tc_lang *l)
{
	tc_model *m = load(dir);
	json_t *doc = tc_export_json(m, l);
	size_t n;
	char *text = tc_export_text(doc, &n);
	same(tc_xstrdup(text), written(m, tc_pick_all(m), l), "api/tom.json");
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	json_t *back = json_loadb(text, n, 0, NULL);
	tc_model *r = tc_model_read(back, TC_READ_EXPORT, l, "", &path, &why);
	json_decref(back);
	if (!r)
		fail_msg("%s: %s", tc_buf_cstr(&path), tc_buf_cstr(&why));
	same(text, written(r, tc_pick_all(r), l), "read back");
	csv_same(doc, r, tc_pick_all(r), l, ',', "csv");
	csv_same(doc, r, tc_pick_all(r), l, ';', "csv ;");
	for (size_t s = 0; s <= m->nscopes; s++) {
		const char *prod = s < m->nscopes ? m->scopes[s].id : NULL;
		for (size_t a = 0; a < sizeof statuses / sizeof *statuses; a++)
			for (size_t b = 0; b < sizeof resps / sizeof *resps;
			     b++) {
				const char *st = statuses[a], *rs = resps[b];
				const char *cat = (a + b) % 3 == 1
						      ? m->categories[0].id
						      : NULL;
				json_t *f = ref_filter(doc, prod, cat, st, rs);
				const tc_model *x = (a + b) % 2 ? r : m;
				if (a == 0 || b == 0)
					csv_same(f, x,
						 tc_pick_filter(x, prod, cat,
								st, rs),
						 l, b % 2 ? ';' : ',', "csv");
				same(dumped(f),
				     written(
					 x,
					 tc_pick_filter(x, prod, cat, st, rs),
					 l),
				     "filter");
			}
	}
	const char *lists[] = {"", "nowhere", NULL, NULL};
	lists[2] = m->scopes[0].id;
	tc_buf two = TC_BUF_INIT;
	for (size_t s = 0; s < m->nscopes; s++)
		if (m->scopes[s].kind == SK_PRODUCT)
			tc_buf_printf(&two, "%s%s", two.len ? "," : "",
				      m->scopes[s].id);
	lists[3] = tc_buf_cstr(&two);
	for (size_t i = 0; i < 4; i++)
		for (size_t b = 0; b < 3; b++) {
			json_t *f =
			    ref_filter_products(doc, lists[i], resps[b]);
			csv_same(f, r, tc_pick_products(r, lists[i], resps[b]),
				 l, ',', "products csv");
			same(dumped(f),
			     written(r, tc_pick_products(r, lists[i], resps[b]),
				     l),
			     "products");
		}
	tc_buf_free(&two);
	json_decref(doc);
	tc_model_free(r);
	tc_model_free(m);
	tc_buf_free(&path);
	tc_buf_free(&why);
}

static void content_agrees(void **state)
{
	(void)state;
	agree("content", tc_lang_default());
	agree("content", &de);
}

static void mini_agrees(void **state)
{
	(void)state;
	agree("tests/fixtures/mini", tc_lang_default());
	agree("tests/fixtures/mini", &de);
}

/* jansson's compact text of v (new). */
static char *compact_of(json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

/* What the search index stores (gen/index.c): each measure and the
 * catalog, compact, byte for byte jansson's JSON_COMPACT of the export
 * tree's, and where the measure's cells' members are; with a note and a
 * scope name that hold what the compaction must keep (quotes, backslashes,
 * spaces, a newline, slashes). */
static void index_json_agrees(void **state)
{
	(void)state;
	const tc_lang *langs[] = {tc_lang_default(), &de};
	for (size_t li = 0; li < 2; li++) {
		const tc_lang *l = langs[li];
		tc_model *m = load("tests/fixtures/mini");
		tc_cell *x = &m->categories[0].measures[0].cells[0];
		free(x->note_data);
		x->note_data = tc_xstrdup(" a \"b c\" \\ c  :  {d}\n\te/f\\");
		free(m->scopes[0].name);
		m->scopes[0].name = tc_xstrdup("x \\\" , y");
		json_t *doc = tc_export_json(m, l);
		assert_non_null(doc);
		tc_pick *all = tc_pick_all(m);
		json_t *cats = json_object_get(doc, "categories");
		for (size_t c = 0; c < m->ncategories; c++)
			for (size_t k = 0; k < m->categories[c].nmeasures;
			     k++) {
				json_t *me = json_array_get(
				    json_object_get(json_array_get(cats, c),
						    "measures"),
				    k);
				tc_buf b = TC_BUF_INIT;
				tc_buf_puts(&b, "x"); /* appended to */
				size_t at = 0;
				tc_model_measure_compact(m, all, l, c, k, &b,
							 &at);
				char *cells =
				    compact_of(json_object_get(me, "cells"));
				/* the members: the object without braces */
				assert_int_equal(b.len - 2 - at,
						 strlen(cells) - 2);
				assert_memory_equal(b.data + at, cells + 1,
						    b.len - 2 - at);
				free(cells);
				same(compact_of(me), tc_xstrdup(b.data + 1),
				     "measure");
				tc_buf_free(&b);
			}
		tc_pick_free(all);
		size_t c;
		json_t *cat;
		json_array_foreach (cats, c, cat)
			json_object_set_new(cat, "measures", json_array());
		tc_buf b = TC_BUF_INIT;
		tc_model_catalog_compact(m, l, &b);
		same(compact_of(doc), tc_buf_detach(&b), "catalog");
		json_decref(doc);
		tc_model_free(m);
	}
}

/* tc_pick_only: tc-search's measures of q, recorded after the filters. */
static void only_measures(void **state)
{
	(void)state;
	tc_model *m = load("tests/fixtures/mini");
	json_t *doc = tc_export_json(m, tc_lang_default());
	/* the first measure alone: what tc-search's read_measures made */
	json_t *one = json_deep_copy(doc), *c;
	size_t i;
	json_array_foreach (json_object_get(one, "categories"), i, c) {
		json_t *ms = json_object_get(c, "measures");
		while (json_array_size(ms) > (i == 0))
			json_array_remove(ms, json_array_size(ms) - 1);
	}
	json_t *f = ref_filter(one, NULL, NULL, NULL, "provider,none");
	json_object_set_new(json_object_get(f, "filter"), "q",
			    json_string("backup"));
	size_t total = 0;
	for (size_t k = 0; k < m->ncategories; k++)
		total += m->categories[k].nmeasures;
	unsigned char *keep = tc_xcalloc(total, 1);
	keep[0] = 1;
	tc_pick *p = tc_pick_filter(m, NULL, NULL, NULL, "provider,none");
	tc_pick_only(p, keep, "backup");
	assert_true(tc_pick_measure(p, 0, 0));
	assert_false(tc_pick_measure(p, 0, 1));
	assert_false(tc_pick_category(p, 1));
	same(dumped(f), written(m, p, tc_lang_default()), "q");
	/* q alone makes the filter */
	f = ref_filter(one, NULL, NULL, NULL, NULL);
	json_object_set_new(f, "filter", json_pack("{s:s}", "q", "x \"y\""));
	p = tc_pick_all(m);
	tc_pick_only(p, keep, "x \"y\"");
	same(dumped(f), written(m, p, tc_lang_default()), "q alone");
	/* nothing matches: no categories, no scopes */
	memset(keep, 0, total);
	p = tc_pick_all(m);
	tc_pick_only(p, keep, NULL);
	assert_true(tc_pick_empty(p));
	assert_false(tc_pick_scope(p, 0));
	tc_pick_free(p);
	free(keep);
	json_decref(one);
	json_decref(doc);
	tc_model_free(m);
}

/* Each refusal of tc_model_read, at its path. */
static void refusals(void **state)
{
	(void)state;
	tc_model *m = load("tests/fixtures/mini");
	json_t *doc = tc_export_json(m, tc_lang_default());
	static const struct {
		const char *path, *value; /* JSON pointer-ish: a.b.0.c */
		const char *want_path, *want_why;
	} cases[] = {
	    {"schema_version", "2", "tom.schema_version", "must be 3"},
	    {"$schema", "\"x\"", "tom.$schema",
	     "'x' is not the data set's URL "
	     "'https://trust.example.test/api/schema/tom.schema.json'"},
	    {"title", "1", "tom.title", "must be a string"},
	    {"scopes", "{}", "tom.scopes", "must be an array"},
	    {"scopes.0", "[]", "tom.scopes[0]", "must be an object (a scope)"},
	    {"scopes.0.id", "\"A b\"", "tom.scopes[0].id",
	     "'A b' is not an ID (lower-case letters, digits and '-')"},
	    {"scopes.1.id", "\"NONE\"", "tom.scopes[1].id",
	     "'NONE' is not an ID (lower-case letters, digits and '-')"},
	    {"scopes.0.kind", "\"planet\"", "tom.scopes[0].kind",
	     "'planet' is not a kind of scope"},
	    {"scopes.0.name", "\"\"", "tom.scopes[0].name",
	     "must not be empty"},
	    {"scopes.0.name", "\"a\\u0000b\"", "tom.scopes[0].name",
	     "must not contain U+0000"},
	    {"categories.0.url", "\"/x/\"", "tom.categories[0].url",
	     "'/x/' is not the data set's URL "
	     "'https://trust.example.test/categories/alpha/'"},
	    {"categories.0.measures.0.id", "\"pac1\"",
	     "tom.categories[0].measures[0].id",
	     "'pac1' is not a measure ID (capital letters and digits, '-', "
	     "digits: PAC-1)"},
	    {"categories.0.measures.0.client_duty", "\"no\"",
	     "tom.categories[0].measures[0].client_duty",
	     "must be true or false"},
	    {"categories.0.measures.0.table", "\"grid\"",
	     "tom.categories[0].measures[0].table",
	     "'grid' is not a kind of table"},
	    {"categories.0.measures.0.table", "\"product\"",
	     "tom.categories[0].measures[0].table",
	     "'product' is not what its cells' scopes make it ('site')"},
	    {"categories.0.measures.0.mappings", "[]",
	     "tom.categories[0].measures[0].mappings",
	     "must be an object of frameworks"},
	    {"categories.0.measures.0.mappings", "{\"iso\": [1]}",
	     "tom.categories[0].measures[0].mappings.iso[0]",
	     "must be a control's ID"},
	    {"categories.0.measures.0.cells", "[]",
	     "tom.categories[0].measures[0].cells",
	     "must be an object of cells"},
	    {"categories.0.measures.0.cells",
	     "{\"moon\": {\"status\": \"provided\"}}",
	     "tom.categories[0].measures[0].cells.moon",
	     "'moon' is not a scope of the data set"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_t *x = json_deep_copy(doc), *o = x;
		char *p = tc_xstrdup(cases[i].path), *save = NULL;
		char *last = NULL;
		for (char *t = strtok_r(p, ".", &save); t;
		     t = strtok_r(NULL, ".", &save)) {
			if (last)
				o = json_is_array(o)
					? json_array_get(o, (size_t)atoi(last))
					: json_object_get(o, last);
			last = t;
		}
		json_t *v = json_loads(cases[i].value,
				       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		assert_non_null(v);
		if (json_is_array(o))
			json_array_set_new(o, (size_t)atoi(last), v);
		else
			json_object_set_new(o, last, v);
		free(p);
		tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
		tc_buf_puts(&why, "> ");
		tc_model *r = tc_model_read(
		    x, TC_READ_EXPORT, tc_lang_default(), "tom", &path, &why);
		if (r)
			fail_msg("%s=%s was read", cases[i].path,
				 cases[i].value);
		assert_string_equal(tc_buf_cstr(&path), cases[i].want_path);
		assert_string_equal(tc_buf_cstr(&why) + 2, cases[i].want_why);
		tc_buf_free(&path);
		tc_buf_free(&why);
		json_decref(x);
	}
	/* not an object; a table whose kind its cells contradict */
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	json_t *a = json_array();
	assert_null(tc_model_read(a, TC_READ_EXPORT, tc_lang_default(), "",
				  &path, &why));
	assert_string_equal(tc_buf_cstr(&why),
			    "must be an object (a data set)");
	json_decref(a);
	json_decref(doc);
	tc_buf_free(&path);
	tc_buf_free(&why);
	tc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mini_agrees),
	    cmocka_unit_test(content_agrees),
	    cmocka_unit_test(only_measures),
	    cmocka_unit_test(index_json_agrees),
	    cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
