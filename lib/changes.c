#include "changes.h"

#include <string.h>

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
	long stop = since ? find(releases, since) : (long)json_array_size(releases);
	if (stop < 0) {
		tc_buf_printf(err, "unknown version '%s'; known versions:",
			      since);
		size_t i;
		json_t *r;
		json_array_foreach (releases, i, r)
			tc_buf_printf(err, "%s %s", i ? "," : "",
				      json_string_value(
					  json_object_get(r, "version")));
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
