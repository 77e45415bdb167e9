/* fuzz_frontmatter: fm_parse on arbitrary bytes (not NUL-terminated, as
 * the contract allows), then the schema check and positions of what it
 * found, as the content loader would use them.
 *
 * Invariants beyond "no crash, no leak, no UB": a parse that succeeds
 * gives an object and a body inside the input; every diagnostic is one
 * line of printable text; and the limits hold, so no input takes long
 * (libFuzzer's -timeout catches one that does). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/frontmatter.h"
#include "fuzz_diags.h"

static const fm_key schema[] = {{"id", FM_STRING, true},
				{"title", FM_STRING, true},
				{"client_duty", FM_STRINGS, false},
				{"scopes", FM_LIST, false},
				{"managed", FM_BOOL, false},
				{"n", FM_INT, false},
				{NULL, 0, false}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan sees a read past the end */
	char *src = malloc(size ? size : 1);
	memcpy(src, data, size);
	tc_diags *d = tc_diags_new();
	fm_doc *doc = fm_parse("f.md", src, size, d);
	if (doc) {
		json_t *r = fm_root(doc);
		if (!json_is_object(r))
			abort();
		const char *body = fm_body(doc);
		if (body < src || body + fm_body_len(doc) > src + size)
			abort();
		fm_check(doc, r, schema, d);
		const char *key;
		json_t *v;
		int line, col;
		json_object_foreach (r, key, v) {
			fm_pos(doc, r, key, 0, &line, &col);
			if (json_is_array(v) && json_array_size(v))
				fm_pos(doc, v, NULL, json_array_size(v) - 1,
				       &line, &col);
		}
		fm_free(doc);
	}
	fuzz_check_diags(d);
	tc_diags_free(d);
	free(src);
	return 0;
}
