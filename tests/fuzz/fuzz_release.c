/* fuzz_release: one release file (content/releases/<version>.json) as
 * bytes, through the reader tc-gen loads releases with
 * (tc_releases_add_mem: the name, the byte scan and its limits, jansson,
 * the text check, the shape, every value, the tom against the data set),
 * named after the "version" the input holds, so the fuzzer chooses the
 * file's name too. A release that loads then goes where tc-gen takes it:
 * its routes, its changes against itself, each product's filtered tom and
 * the published text.
 *
 * Invariants beyond "no crash, no leak, no UB": a release that loads has a
 * version that can name its folders and only IDs that can fill route
 * slots (every path is made, and lib/routes.c aborts on a slot that could
 * name a path of its own), measure IDs, known kinds, statuses and
 * responsibilities, a tom with the data set's scopes, categories and
 * measures in the same order and the same cells, which its pages' model
 * (tc_release_model) reads whole and without a diagnostic, each cell with
 * the data's status and responsibility; a release compared with
 * itself has no changes; each translation it froze is of a language (two
 * lower-case letters) and has the original's scopes, categories, measures
 * and cells with the original's marks (status, responsibility, the label
 * of all but free text), its tom the same IDs in the same order, and a
 * digest of 64 hex digits; every diagnostic is one line of printable
 * text. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/changes.h"
#include "../../gen/export.h"
#include "../../gen/release.h"
#include "../../lib/model.h"
#include "../../lib/routes.h"
#include "../../lib/tomdata.h"
#include "../../lib/vocab.h"
#include "fuzz_diags.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		abort(); /* a release that loads has every string it needs */
	return s;
}

/* Makes the file of route r with its slots, as tc-gen would. */
static void route(tc_route r, const char *a, const char *b)
{
	tc_buf f = TC_BUF_INIT;
	tc_route_file(&f, tc_lang_default(), r, a, b);
	tc_route_url(&f, tc_lang_default(), r, a, b);
	tc_buf_free(&f);
}

static void check_release(const tc_release *x)
{
	if (!tc_route_version_ok(x->version))
		abort();
	route(R_VERSION_ANNEX, x->version, NULL);
	route(R_VERSION_TOM, x->version, NULL);
	route(R_VERSION_PRINT_CSS, x->version, NULL);
	json_t *ds = json_object_get(x->data, "scopes"),
	       *ts = json_object_get(x->tom, "scopes");
	if (json_array_size(ds) != json_array_size(ts))
		abort();
	size_t i, k;
	json_t *s, *c, *me;
	json_array_foreach (ts, i, s) {
		const char *id = str(s, "id");
		if (strcmp(id, str(json_array_get(ds, i), "id")) ||
		    tc_scope_kind_from_id(str(s, "kind")) < 0)
			abort();
		route(R_VERSION_PRODUCT_ANNEX, x->version, id);
	}
	json_t *tcs = json_object_get(x->tom, "categories");
	json_array_foreach (json_object_get(x->data, "categories"), i, c) {
		route(R_CATEGORY, str(c, "id"), NULL);
		json_t *tm =
		    json_object_get(json_array_get(tcs, i), "measures");
		json_array_foreach (json_object_get(c, "measures"), k, me) {
			if (!tc_route_is_measure_id(str(me, "id")) ||
			    strcmp(str(me, "id"),
				   str(json_array_get(tm, k), "id")))
				abort();
			const char *sid;
			json_t *cell;
			json_t *tcells =
			    json_object_get(json_array_get(tm, k), "cells");
			json_object_foreach (json_object_get(me, "cells"), sid,
					     cell) {
				json_t *tcell = json_object_get(tcells, sid);
				if (tc_status_from_id(str(cell, "status")) <
					0 ||
				    tc_resp_from_id(
					str(cell, "responsibility")) < 0 ||
				    !tcell ||
				    strcmp(str(cell, "status"),
					   str(tcell, "status")))
					abort();
			}
		}
	}
	/* a release that loads is one its pages can be made of: its tom
	 * reads into the model (gen/release.h tc_release_model) with every
	 * scope, measure and cell, each cell's marks those of the data */
	tc_diags *md = tc_diags_new();
	tc_model *m = tc_release_model(x->tom, "releases/x.json", md);
	if (!m || tc_diags_count(md) || m->nscopes != json_array_size(ts) ||
	    m->ncategories != json_array_size(tcs))
		abort();
	/* each product's filtered tom (lib/model.h's selection) */
	for (i = 0; i < m->nscopes; i++)
		if (m->scopes[i].kind == SK_PRODUCT)
			tc_pick_free(tc_pick_filter(m, m->scopes[i].id, NULL,
						    NULL, NULL));
	for (i = 0; i < m->ncategories; i++) {
		const tc_category *mc = &m->categories[i];
		json_t *tm =
		    json_object_get(json_array_get(tcs, i), "measures");
		if (mc->nmeasures != json_array_size(tm))
			abort();
		for (k = 0; k < mc->nmeasures; k++) {
			const tc_measure *mm = &mc->measures[k];
			json_t *tcells =
			    json_object_get(json_array_get(tm, k), "cells");
			const tc_table *t = &mc->tables[mm->table];
			if (strcmp(mm->id, str(json_array_get(tm, k), "id")) ||
			    t->nscopes != json_object_size(tcells))
				abort();
			for (size_t j = 0; j < t->nscopes; j++) {
				const tc_scope *sc = &m->scopes[t->scopes[j]];
				json_t *cell = json_object_get(tcells, sc->id);
				if (!cell ||
				    (int)mm->cells[j].status !=
					tc_status_from_id(
					    str(cell, "status")) ||
				    (int)mm->cells[j].resp !=
					tc_resp_from_id(
					    str(cell, "responsibility")))
					abort();
			}
		}
	}
	tc_model_free(m);
	tc_diags_free(md);
	/* the same data set twice: nothing changed */
	json_t *ch = tc_changes_between(tc_lang_default(), x->data, x->data);
	if (json_array_size(ch))
		abort();
	json_decref(ch);
	size_t len;
	free(tc_export_text(x->tom, &len));
}

/* A frozen translation against the original's data set x. */
static void check_translation(const tc_release *x, const tc_release_lang *t)
{
	const char *l = t->lang;
	if (strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' ||
	    l[1] > 'z' || strspn(t->sha256, "0123456789abcdef") != 64)
		abort();
	json_t *xs = json_object_get(x->data, "scopes"),
	       *ts = json_object_get(t->data, "scopes"),
	       *tts = json_object_get(t->tom, "scopes"), *s;
	size_t i, k;
	if (json_array_size(xs) != json_array_size(ts) ||
	    json_array_size(ts) != json_array_size(tts))
		abort();
	json_array_foreach (xs, i, s)
		if (strcmp(str(s, "id"), str(json_array_get(ts, i), "id")) ||
		    strcmp(str(s, "kind"),
			   str(json_array_get(ts, i), "kind")) ||
		    strcmp(str(s, "id"), str(json_array_get(tts, i), "id")))
			abort();
	json_t *tcs = json_object_get(t->data, "categories"), *c, *me;
	json_array_foreach (json_object_get(x->data, "categories"), i, c) {
		json_t *tc = json_array_get(tcs, i);
		json_t *tm = json_object_get(tc, "measures");
		if (strcmp(str(c, "id"), str(tc, "id")) ||
		    json_array_size(json_object_get(c, "measures")) !=
			json_array_size(tm))
			abort();
		json_array_foreach (json_object_get(c, "measures"), k, me) {
			json_t *tme = json_array_get(tm, k);
			json_t *tcells = json_object_get(tme, "cells"), *cell;
			const char *sid;
			if (strcmp(str(me, "id"), str(tme, "id")) ||
			    json_object_size(json_object_get(me, "cells")) !=
				json_object_size(tcells))
				abort();
			json_object_foreach (json_object_get(me, "cells"), sid,
					     cell) {
				json_t *o = json_object_get(tcells, sid);
				const char *st = str(cell, "status");
				if (!o || strcmp(st, str(o, "status")) ||
				    strcmp(str(cell, "responsibility"),
					   str(o, "responsibility")) ||
				    (strcmp(st, "other") &&
				     strcmp(str(cell, "label"),
					    str(o, "label"))))
					abort();
			}
		}
	}
	if (json_array_size(tcs) !=
	    json_array_size(json_object_get(x->data, "categories")))
		abort();
	if (tc_release_lang_find(x, l) != t)
		abort(); /* each language once */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	/* the file is named after the version it holds, when it holds one */
	char path[96] = "releases/1.0.json";
	json_t *peek = json_loadb(src, size, 0, NULL);
	const char *v = json_string_value(json_object_get(peek, "version"));
	if (v && strlen(v) < 64)
		snprintf(path, sizeof path, "releases/%s.json", v);
	json_decref(peek);
	tc_diags *d = tc_diags_new();
	tc_releases r = {NULL, 0};
	int bad = tc_releases_add_mem(&r, path, src, size, d);
	if (bad != (r.n == 0) || (bad && !tc_diags_count(d)))
		abort(); /* loaded, or refused with a reason */
	for (size_t i = 0; i < r.n; i++) {
		check_release(&r.v[i]);
		for (size_t k = 0; k < r.v[i].ntr; k++)
			check_translation(&r.v[i], &r.v[i].tr[k]);
	}
	tc_releases_free(&r);
	fuzz_check_diags(d);
	tc_diags_free(d);
	return 0;
}
