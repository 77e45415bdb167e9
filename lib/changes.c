#include "changes.h"

#include <string.h>

#include "lang.h"
#include "val.h"

bool tc_change_concerns(json_t *change, const char *product)
{
	if (!product)
		return true;
	size_t i;
	json_t *p;
	json_array_foreach (json_object_get(change, "products"), i, p)
		if (!strcmp(json_string_value(p), product))
			return true;
	return false;
}

/* The index of version in releases, or -1. */
static long find(json_t *releases, const char *version)
{
	size_t i;
	json_t *r;
	json_array_foreach (releases, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "version")),
			    version))
			return (long)i;
	return -1;
}

json_t *tc_changes_since(json_t *doc, const char *since, const char *product,
			 tc_buf *err)
{
	json_t *releases = json_object_get(doc, "releases");
	long stop =
	    since ? find(releases, since) : (long)json_array_size(releases);
	if (stop < 0) {
		tc_buf_printf(err,
			      "unknown version '%s'; known versions:", since);
		size_t i;
		json_t *r;
		json_array_foreach (releases, i, r)
			tc_buf_printf(
			    err, "%s %s", i ? "," : "",
			    json_string_value(json_object_get(r, "version")));
		return NULL;
	}
	json_t *out = json_array();
	for (long i = 0; i < stop; i++) {
		json_t *r = json_array_get(releases, (size_t)i);
		json_t *copy = json_copy(r), *kept = json_array();
		size_t k;
		json_t *c;
		json_array_foreach (json_object_get(r, "changes"), k, c)
			if (tc_change_concerns(c, product))
				json_array_append(kept, c);
		json_object_set_new(copy, "changes", kept);
		json_array_append_new(out, copy);
	}
	return json_pack("{s:s?, s:s?, s:o}", "since", since, "product",
			 product, "releases", out);
}

const char *tc_sub_field_label(const tc_lang *l, const char *field)
{
	/* the keys as literals: test_lang finds the words that are used */
	static const char *const keys[][2] = {
	    {"name", "sub.field.name"},
	    {"entity", "sub.field.entity"},
	    {"address", "sub.field.address"},
	    {"country", "sub.field.country"},
	    {"purpose", "sub.field.purpose"},
	    {"products", "sub.field.products"},
	    {"transfer", "sub.field.transfer"},
	    {"since", "sub.field.since"},
	    {"until", "sub.field.until"}};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strcmp(field, keys[i][0]))
			return tc_msg(l, keys[i][1]);
	return field;
}

/* A field of a subprocessor (a change's before or after) in words: the
 * country's and products' names, the transfer basis's words. */
static tc_val *sub_value(tc_arena *a, const tc_lang *l, json_t *e,
			 const char *field)
{
	if (!strcmp(field, "country"))
		field = "country_name";
	if (!strcmp(field, "products")) {
		tc_buf b = TC_BUF_INIT;
		size_t i;
		json_t *p;
		json_array_foreach (json_object_get(e, "product_names"), i, p)
			tc_buf_printf(&b, "%s%s", i ? ", " : "",
				      json_string_value(p));
		tc_val *v = tc_val_strdup(a, tc_buf_cstr(&b));
		tc_buf_free(&b);
		return v;
	}
	const char *s = json_string_value(json_object_get(e, field));
	if (!strcmp(field, "transfer")) {
		static const char *const keys[][2] = {
		    {"eu-eea", "transfer.eu-eea"},
		    {"adequacy", "transfer.adequacy"},
		    {"scc", "transfer.scc"}};
		for (size_t i = 0; s && i < sizeof keys / sizeof *keys; i++)
			if (!strcmp(s, keys[i][0]))
				s = tc_msg(l, keys[i][1]);
	}
	return tc_val_strdup(a, s ? s : "—");
}

/* A subprocessor's change as the "change-sub" partial shows it: who (name,
 * entity, country, purpose), what it means, until when a customer may
 * object, and each changed field before and after (an addition: what it
 * is used for and on which basis). */
static tc_val *sub_change_view(tc_arena *a, const tc_lang *l, json_t *c)
{
	tc_val *v = (tc_val *)tc_val_from_json(a, c);
	json_t *before = json_object_get(c, "before"),
	       *after = json_object_get(c, "after");
	json_t *e = json_is_object(after) ? after : before;
	tc_buf w = TC_BUF_INIT;
	tc_msgf(&w, l, "sub.change.summary", "name",
		json_string_value(json_object_get(e, "name")), "entity",
		json_string_value(json_object_get(e, "entity")), "country",
		json_string_value(json_object_get(e, "country_name")),
		"purpose", json_string_value(json_object_get(e, "purpose")),
		NULL);
	tc_val_set(v, "about", tc_val_strdup(a, tc_buf_cstr(&w)));
	const char *by = json_string_value(json_object_get(c, "object_by"));
	if (by) {
		tc_buf_clear(&w);
		tc_msgf(&w, l, "sub.change.object_by", "date", by, NULL);
		tc_val_set(v, "object_by_words",
			   tc_val_strdup(a, tc_buf_cstr(&w)));
	}
	const char *ann = json_string_value(json_object_get(c, "announced"));
	if (ann) {
		tc_buf_clear(&w);
		tc_msgf(&w, l, "sub.change.announced", "date", ann, NULL);
		tc_val_set(v, "announced_words",
			   tc_val_strdup(a, tc_buf_cstr(&w)));
	}
	tc_buf_free(&w);
	tc_val *details = tc_val_list(a);
	static const char *const added[] = {"products", "transfer"};
	json_t *fields = json_object_get(c, "fields");
	size_t n = json_is_object(before)  ? json_array_size(fields)
		   : json_is_object(after) ? 2
					   : 0;
	for (size_t i = 0; i < n; i++) {
		const char *f =
		    json_is_object(before)
			? json_string_value(json_array_get(fields, i))
			: added[i];
		tc_val *d = tc_val_map(a);
		tc_val_set_str(d, "label", tc_sub_field_label(l, f));
		if (json_is_object(before))
			tc_val_set(d, "before", sub_value(a, l, before, f));
		tc_val_set(d, "after", sub_value(a, l, after, f));
		tc_val_list_push(details, d);
	}
	tc_val_set(v, "details", details);
	return v;
}

/* One change as the "change" partial shows it. */
static tc_val *change_view(tc_arena *a, json_t *c, tc_cell_html_fn cell,
			   void *ud)
{
	tc_val *v = (tc_val *)tc_val_from_json(a, c);
	const char *kind = json_string_value(json_object_get(c, "kind"));
	json_t *before = json_object_get(c, "before"),
	       *after = json_object_get(c, "after");
	if (!strncmp(kind, "cell-", 5)) {
		tc_val_set(v, "before_html", before ? cell(ud, before) : NULL);
		tc_val_set(v, "after_html", after ? cell(ud, after) : NULL);
	} else if (!strcmp(kind, "measure-reworded")) {
		tc_val_set(v, "before_text", tc_val_from_json(a, before));
		tc_val_set(v, "after_text", tc_val_from_json(a, after));
	}
	return v;
}

/* One step (a release, or the unreleased content): what moves between
 * client and provider first, then columns, then the rest by category. */
tc_val *tc_changes_view(tc_arena *a, const tc_lang *l, json_t *step,
			tc_cell_html_fn cell, void *ud)
{
	tc_val *v = tc_val_map(a);
	static const char *keys[] = {"version", "date", "summary", "released",
				     "previous"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		tc_val_set(v, keys[i],
			   tc_val_from_json(a, json_object_get(step, keys[i])));
	/* the date as the language writes it (the data keep ISO) */
	tc_buf d = TC_BUF_INIT;
	tc_msg_date(&d, l, json_string_value(json_object_get(step, "date")));
	if (d.len)
		tc_val_set(v, "date", tc_val_strdup(a, tc_buf_cstr(&d)));
	tc_buf_free(&d);
	tc_val *moves = tc_val_list(a), *columns = tc_val_list(a),
	       *groups = tc_val_list(a), *subs = tc_val_list(a), *group = NULL;
	const char *gcat = NULL;
	json_t *changes = json_object_get(step, "changes");
	size_t i;
	json_t *c;
	json_array_foreach (changes, i, c) {
		const char *cat =
		    json_string_value(json_object_get(c, "category"));
		if (!strncmp(json_string_value(json_object_get(c, "kind")),
			     "subprocessor-", 13)) {
			tc_val_list_push(subs, sub_change_view(a, l, c));
		} else if (*json_string_value(json_object_get(c, "move"))) {
			tc_val_list_push(moves, change_view(a, c, cell, ud));
		} else if (!cat) {
			tc_val_list_push(columns, change_view(a, c, cell, ud));
		} else {
			if (!gcat || strcmp(gcat, cat)) {
				tc_val *g = tc_val_map(a);
				tc_val_set(g, "category_title",
					   tc_val_from_json(
					       a, json_object_get(
						      c, "category_title")));
				group = tc_val_list(a);
				tc_val_set(g, "changes", group);
				tc_val_list_push(groups, g);
				gcat = cat;
			}
			tc_val_list_push(group, change_view(a, c, cell, ud));
		}
	}
	size_t n = json_array_size(changes);
	tc_val_set(v, "moves", moves);
	tc_val_set_bool(v, "has_moves", tc_val_len(moves) > 0);
	tc_val_set(v, "columns", columns);
	tc_val_set_bool(v, "has_columns", tc_val_len(columns) > 0);
	tc_val_set(v, "groups", groups);
	tc_val_set(v, "subs", subs);
	tc_val_set_bool(v, "has_subs", tc_val_len(subs) > 0);
	tc_val_set_bool(v, "has_changes", n > 0);
	tc_val_set(v, "count_words",
		   tc_val_printf(a, "%zu %s", n,
				 tc_msg_n(l, "count.change", (long)n)));
	return v;
}
