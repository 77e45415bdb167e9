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
tc_val *tc_changes_view(tc_arena *a, json_t *step, tc_cell_html_fn cell,
			void *ud)
{
	tc_val *v = tc_val_map(a);
	static const char *keys[] = {"version", "date", "summary", "released",
				     "previous"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		tc_val_set(v, keys[i],
			   tc_val_from_json(a, json_object_get(step, keys[i])));
	tc_val *moves = tc_val_list(a), *columns = tc_val_list(a),
	       *groups = tc_val_list(a), *group = NULL;
	const char *gcat = NULL;
	json_t *changes = json_object_get(step, "changes");
	size_t i;
	json_t *c;
	json_array_foreach (changes, i, c) {
		const char *cat =
		    json_string_value(json_object_get(c, "category"));
		if (*json_string_value(json_object_get(c, "move"))) {
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
	tc_val_set_bool(v, "has_changes", n > 0);
	tc_val_set(
	    v, "count_words",
	    tc_val_printf(a, "%zu %s", n, tc_msg_n("count.change", (long)n)));
	return v;
}
