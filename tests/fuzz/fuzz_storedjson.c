/* libFuzzer, differential: any bytes through the reader of what the index
 * stores of a result (ts_read_stored, cgi/search.c) and through jansson's
 * json_loadb(data, size, 0), which tc-search's JSON answer and every other
 * reader of the index use. It aborts when they disagree on accept or
 * reject, or when both accept and the values differ: the view as jansson
 * (tc_val_to_json) must be json_equal to jansson's, with the same types
 * (an integer is not a real), the same bytes in every string and the keys
 * of every object in the same order (a later duplicate key keeps the
 * first one's place, as in jansson).
 *
 * Differences by design, where the reader must reject what jansson
 * accepts (search.h): a text that is not an object (a result is one), and
 * a value nested deeper than TC_VAL_MAX_DEPTH (the object itself at depth
 * 0, as tc_val_from_json counts; jansson allows 2048 open brackets).
 * And where jansson is at fault: a NUL byte right after a number or a
 * literal ({"a":1<NUL>}, {"a":[true<NUL>,2]}) is skipped by jansson 2.14,
 * whose stream gives back the byte that ends such a token and then takes
 * the NUL in its buffer for "nothing left" and reads on (akheron/jansson
 * issue 331: JSONTestSuite's n_multidigit_number_then_00, acknowledged). A NUL
 * byte is never JSON outside a string, nor raw inside one: the reader refuses
 * it (tests/fuzz/crashes/storedjson/ has the case the first run found). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgi/search.h"
#include "../../lib/val.h"

/* The deepest value of j, counting j as at depth; stops past the limit. */
static int depth_of(const json_t *j, int depth)
{
	int max = depth;
	if (depth > TC_VAL_MAX_DEPTH)
		return depth;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach ((json_t *)j, k, v) {
			int d = depth_of(v, depth + 1);
			max = d > max ? d : max;
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach (j, i, v) {
			int d = depth_of(v, depth + 1);
			max = d > max ? d : max;
		}
	}
	return max;
}

/* Whether the view v has j's keys in j's order, everywhere (json_equal
 * does not look at order). */
static int same_order(const tc_val *v, const json_t *j)
{
	if (json_is_object(j)) {
		size_t i = 0, klen;
		const char *k;
		json_t *x;
		if (tc_val_typeof(v) != TC_VAL_MAP ||
		    tc_val_len(v) != json_object_size(j))
			return 0;
		json_object_foreach ((json_t *)j, k, x) {
			const char *vk = tc_val_key_at(v, i, &klen);
			if (!vk || klen != strlen(k) || memcmp(vk, k, klen) ||
			    !same_order(tc_val_value_at(v, i), x))
				return 0;
			i++;
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *x;
		if (tc_val_typeof(v) != TC_VAL_LIST ||
		    tc_val_len(v) != json_array_size(j))
			return 0;
		json_array_foreach (j, i, x) {
			if (!same_order(tc_val_at(v, i), x))
				return 0;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t e;
	json_t *j = json_loadb((const char *)data, size, 0, &e);
	/* what the reader must accept: jansson's, within the differences */
	int want = j && json_is_object(j) &&
		   depth_of(j, 0) <= TC_VAL_MAX_DEPTH && !memchr(data, 0, size);
	tc_arena *a = tc_arena_new(0);
	tc_val *v = ts_read_stored(a, (const char *)data, size);
	if (!v != !want) {
		fprintf(
		    stderr, "fuzz_storedjson: the reader %s, jansson %s%s%s\n",
		    v ? "accepts" : "rejects",
		    j ? "accepts" : "rejects: ", j ? "" : e.text,
		    j && !want
			? " (but not an object, too deep or with a NUL byte)"
			: "");
		abort();
	}
	if (v) {
		json_t *got = tc_val_to_json(v);
		if (!json_equal(got, j) || !same_order(v, j)) {
			char *a1 = json_dumps(got, JSON_ENCODE_ANY),
			     *a2 = json_dumps(j, JSON_ENCODE_ANY);
			fprintf(stderr,
				"fuzz_storedjson: the reader reads %.300s\n"
				"jansson reads %.300s\n",
				a1 ? a1 : "?", a2 ? a2 : "?");
			abort();
		}
		json_decref(got);
	}
	json_decref(j);
	tc_arena_free(a);
	return 0;
}
