/* mustache_bench.c: one table rendered from jansson views and from tc_val
 * views, in the same run. Not a test: it prints figures and checks only
 * that both models give the same bytes.
 *
 *   make bins && cc -O2 -g -std=c11 -D_DEFAULT_SOURCE -o build/mustache-bench \
 *     bench/mustache_bench.c build/lib/mustache.o build/lib/val.o \
 *     build/lib/buf.o build/lib/escape.o build/lib/diag.o -ljansson
 *   build/mustache-bench [rows] [rounds]
 *
 * The table: ROWS rows of 10 cells, each cell a map of five strings (a
 * status, its title, an icon, a label, a note that is empty in most cells)
 * as the category tables have, rendered through a cell partial. Three
 * figures per model, the best of ROUNDS:
 *  - build+render: build the view, render it, free it (what tc-gen does
 *    per page; the jansson view copies and validates each string, as
 *    json_pack "s:s" does in gen/site.c; the tc_val view borrows them);
 *  - render: render an already built view;
 *  - and for tc_val, the cost of tc_val_from_json on the jansson view (what
 *    tc-search would pay to render a jansson answer through tc_val). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/mustache.h"
#include "../lib/val.h"

#define CELLS 10

static const char *status[] = {"provided", "not-provided", "not-applicable",
			       "client", "see-product"};
static const char *title[] = {"Provided", "Not provided", "Not applicable",
			      "Client's responsibility",
			      "See product description"};
static const char *icon[] = {"\xe2\x9c\x93", "\xe2\x9c\x97", "\xe2\x80\x93",
			     "C", "\xe2\x86\x92"};

static const char *tpl_src =
    "<table>\n"
    "{{#rows}}<tr id=\"{{id}}\"><th>{{id}}</th><td>{{text}}</td>"
    "{{#cells}}<td>{{>cell}}</td>{{/cells}}</tr>\n"
    "{{/rows}}</table>\n";
static const char *cell_src =
    "<span class=\"badge st-{{status}}\"><span class=\"icon\">{{icon}}"
    "</span> {{#other}}{{label}}{{/other}}{{^other}}{{status_title}}"
    "{{/other}}</span>{{#note}} <span class=\"note\">{{note}}</span>"
    "{{/note}}";

/* The "model": strings that outlive every view, as in tc-gen. */
typedef struct row {
	char id[32], text[64];
	const char *note[CELLS];
	int st[CELLS];
} row;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *load(void *ud, const char *name, char **file)
{
	(void)ud;
	(void)file;
	return strcmp(name, "cell") == 0 ? strdup(cell_src) : NULL;
}

static json_t *json_view(const row *rows, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		json_t *cells = json_array();
		for (int k = 0; k < CELLS; k++) {
			int s = r->st[k];
			json_t *c = json_object();
			json_object_set_new(c, "status",
					    json_string(status[s]));
			json_object_set_new(c, "status_title",
					    json_string(title[s]));
			json_object_set_new(c, "icon", json_string(icon[s]));
			json_object_set_new(c, "label", json_string(""));
			json_object_set_new(c, "note", json_string(r->note[k]));
			json_object_set_new(c, "other", json_false());
			json_array_append_new(cells, c);
		}
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "text", json_string(r->text));
		json_object_set_new(o, "cells", cells);
		json_array_append_new(list, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "rows", list);
	return ctx;
}

static const tc_val *val_view(tc_arena *a, const row *rows, size_t n)
{
	tc_val *list = tc_val_list(a);
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		tc_val *cells = tc_val_list(a);
		for (int k = 0; k < CELLS; k++) {
			int s = r->st[k];
			tc_val *c = tc_val_map(a);
			tc_val_set_str(c, "status", status[s]);
			tc_val_set_str(c, "status_title", title[s]);
			tc_val_set_str(c, "icon", icon[s]);
			tc_val_set_str(c, "label", "");
			tc_val_set_str(c, "note", r->note[k]);
			tc_val_set_bool(c, "other", false);
			tc_val_list_push(cells, c);
		}
		tc_val *o = tc_val_map(a);
		tc_val_set_str(o, "id", r->id);
		tc_val_set_str(o, "text", r->text);
		tc_val_set(o, "cells", cells);
		tc_val_list_push(list, o);
	}
	tc_val *ctx = tc_val_map(a);
	tc_val_set(ctx, "rows", list);
	return ctx;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	if (n == 0 || rounds < 1)
		return 2;
	row *rows = calloc(n, sizeof(row));
	for (size_t i = 0; i < n; i++) {
		snprintf(rows[i].id, sizeof rows[i].id, "PAC-%05zu", i);
		snprintf(rows[i].text, sizeof rows[i].text,
			 "Measure %zu: doors & locks <checked>", i);
		for (int k = 0; k < CELLS; k++) {
			rows[i].st[k] = (int)((i * 7 + (size_t)k) % 5);
			rows[i].note[k] =
			    (i + (size_t)k) % 9 ? "" : "depends on services";
		}
	}
	mus_env *env = mus_env_new(load, NULL);
	mus_tpl *tpl = mus_env_parse(env, "table", "table", tpl_src, NULL);
	if (!tpl || mus_env_check(env, tpl, NULL))
		return 1;

	double j_all = 1e9, v_all = 1e9, j_render = 1e9, v_render = 1e9,
	       convert = 1e9;
	size_t bytes = 0, arena = 0;
	tc_arena *a = tc_arena_new(0);
	tc_buf out = TC_BUF_INIT, out2 = TC_BUF_INIT;
	/* One model after the other: interleaved, the arena's block mallocs
	 * would pay for consolidating the chunks json_decref just freed. */
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		json_t *jv = json_view(rows, n);
		tc_buf_clear(&out);
		mus_render(env, tpl, jv, &out);
		json_decref(jv);
		j_all = best(j_all, now() - t0);
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		const tc_val *vv = val_view(a, rows, n);
		tc_buf_clear(&out2);
		mus_render_val(env, tpl, vv, &out2);
		arena = tc_arena_size(a);
		tc_arena_reset(a);
		v_all = best(v_all, now() - t0);
	}
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len)) {
		fputs("mustache-bench: the models disagree\n", stderr);
		return 1;
	}
	bytes = out.len;
	json_t *jv = json_view(rows, n);
	const tc_val *vv = val_view(a, rows, n);
	tc_arena *conv = tc_arena_new(0);
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		tc_buf_clear(&out);
		mus_render(env, tpl, jv, &out);
		double t1 = now();
		tc_buf_clear(&out2);
		mus_render_val(env, tpl, vv, &out2);
		double t2 = now();
		tc_val_from_json(conv, jv);
		tc_arena_reset(conv);
		double t3 = now();
		j_render = best(j_render, t1 - t0);
		v_render = best(v_render, t2 - t1);
		convert = best(convert, t3 - t2);
	}
	double per = 1e9 / (double)n;
	printf("mustache-bench: %zu rows x %d cells, %zu bytes of HTML, best "
	       "of %d\n",
	       n, CELLS, bytes, rounds);
	printf("  build+render  json %8.0f ns/row   tc_val %8.0f ns/row   "
	       "ratio %.2fx\n",
	       j_all * per, v_all * per, j_all / v_all);
	printf("  render only   json %8.0f ns/row   tc_val %8.0f ns/row   "
	       "ratio %.2fx\n",
	       j_render * per, v_render * per, j_render / v_render);
	printf("  tc_val_from_json   %8.0f ns/row   (arena for the view: %zu "
	       "KiB)\n",
	       convert * per, arena / 1024);
	json_decref(jv);
	tc_arena_free(conv);
	tc_arena_free(a);
	tc_buf_free(&out);
	tc_buf_free(&out2);
	mus_env_free(env);
	free(rows);
	return 0;
}
