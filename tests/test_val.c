/* Arena and value trees (lib/val.h): growth across blocks, big strings, big
 * lists and maps, borrowed and copied strings, reset and reuse, conversion
 * from jansson. Run under ASan and Valgrind by make check: the arena marks
 * its unused memory inaccessible there, so an overrun shows up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/val.h"

static void str_is(const tc_val *v, const char *want)
{
	size_t n;
	const char *s = tc_val_str_value(v, &n);
	assert_non_null(s);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(s, want, n);
}

static void arena_growth(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(1024);
	size_t first = tc_arena_size(a);
	assert_true(first >= 1024);
	tc_val *v[10000];
	for (int i = 0; i < 10000; i++) {
		v[i] = tc_val_int(a, i * 7);
		void *p = tc_arena_alloc(a, 1 + (size_t)i % 40);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xab, 1 + (size_t)i % 40);
	}
	/* Many blocks later, every value is intact. */
	assert_true(tc_arena_size(a) > 100 * first);
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(tc_val_typeof(v[i]), TC_VAL_INT);
		assert_int_equal(tc_val_int_value(v[i]), i * 7);
	}
	tc_arena_free(a);
}

static void big_strings(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(4096);
	size_t n = (size_t)1 << 20;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	tc_val *small1 = tc_val_strdup(a, "before");
	size_t before = tc_arena_size(a);
	tc_val *copy = tc_val_strndup(a, big, n);
	/* A block of its own, and the current block keeps filling. */
	assert_true(tc_arena_size(a) - before < n + 256);
	tc_val *small2 = tc_val_strdup(a, "after");
	assert_true(tc_arena_size(a) - before < n + 256);
	tc_val *fmt = tc_val_printf(a, "<%s>", big);
	big[0] = 'Z'; /* the copies do not see it */
	size_t len;
	const char *s = tc_val_str_value(copy, &len);
	assert_int_equal(len, n);
	assert_int_equal(s[0], 'a');
	assert_int_equal(s[n - 1], big[n - 1]);
	assert_int_equal(s[n], '\0'); /* copies are NUL-terminated */
	s = tc_val_str_value(fmt, &len);
	assert_int_equal(len, n + 2);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[1], 'a');
	assert_int_equal(s[n + 1], '>');
	assert_int_equal(s[n + 2], '\0');
	str_is(small1, "before");
	str_is(small2, "after");
	/* printf that fits the current block, and one that does not. */
	for (int i = 0; i < 500; i++) {
		tc_val *p = tc_val_printf(a, "row %d of %s", i, "500");
		char want[64];
		snprintf(want, sizeof want, "row %d of 500", i);
		str_is(p, want);
	}
	str_is(tc_val_printf(a, "%s", ""), "");
	free(big);
	tc_arena_free(a);
}

static void big_lists_and_maps(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	tc_val *l = tc_val_list(a);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(tc_val_list_push(l, tc_val_int(a, i)), 0);
	assert_int_equal(tc_val_len(l), 20000);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(tc_val_int_value(tc_val_at(l, (size_t)i)), i);
	assert_null(tc_val_at(l, 20000));

	tc_val *m = tc_val_map(a);
	enum { N = 3000 };
	const char *keys[N];
	for (int i = 0; i < N; i++) {
		keys[i] = tc_arena_strdup(
		    a, tc_val_str_value(tc_val_printf(a, "k%d", i), NULL));
		tc_val_set_int(m, keys[i], i);
	}
	assert_int_equal(tc_val_len(m), N);
	/* Replacing keeps the position and the count. */
	for (int i = 0; i < N; i += 3)
		tc_val_set_int(m, keys[i], -i);
	assert_int_equal(tc_val_len(m), N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(tc_val_int_value(tc_val_get(m, keys[i])),
				 i % 3 ? i : -i);
		size_t kl;
		const char *k = tc_val_key_at(m, (size_t)i, &kl);
		assert_int_equal(kl, strlen(keys[i]));
		assert_memory_equal(k, keys[i], kl);
		assert_ptr_equal(tc_val_value_at(m, (size_t)i),
				 tc_val_get(m, keys[i]));
	}
	assert_null(tc_val_get(m, "k"));
	assert_null(tc_val_get(m, "k30000"));
	assert_null(tc_val_key_at(m, N, NULL));
	/* A list as an element of a list, shared twice. */
	tc_val *outer = tc_val_list(a);
	tc_val_list_push(outer, l);
	tc_val_list_push(outer, l);
	assert_ptr_equal(tc_val_at(outer, 0), tc_val_at(outer, 1));
	tc_arena_free(a);
}

static void borrowed_and_copied(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	char buf[] = "abc";
	tc_val *b = tc_val_str(a, buf);
	tc_val *c = tc_val_strdup(a, buf);
	tc_val *cn = tc_val_strndup(a, buf, 2);
	assert_ptr_equal(tc_val_str_value(b, NULL), buf);
	assert_ptr_not_equal(tc_val_str_value(c, NULL), buf);
	buf[0] = 'X';
	str_is(b, "Xbc");
	str_is(c, "abc");
	str_is(cn, "ab");
	assert_int_equal(tc_val_str_value(cn, NULL)[2], '\0');
	/* Slices and keys are borrowed as given, without a NUL. */
	tc_val *m = tc_val_map(a);
	tc_val_setn(m, "idx", 2, tc_val_strn(a, "hello", 4));
	str_is(tc_val_get(m, "id"), "hell");
	assert_null(tc_val_get(m, "idx"));
	assert_null(tc_val_getn(m, "i", 1));
	/* NULL strings are null values. */
	assert_int_equal(tc_val_typeof(tc_val_str(a, NULL)), TC_VAL_NULL);
	assert_int_equal(tc_val_typeof(tc_val_strdup(a, NULL)), TC_VAL_NULL);
	tc_val_set_str(m, "none", NULL);
	assert_non_null(tc_val_get(m, "none"));
	assert_int_equal(tc_val_typeof(tc_val_get(m, "none")), TC_VAL_NULL);
	tc_arena_free(a);
}

static void reset_and_reuse(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(2048);
	size_t first = tc_arena_size(a);
	void *p0 = tc_arena_alloc(a, 16);
	for (int round = 0; round < 50; round++) {
		tc_val *l = tc_val_list(a);
		for (int i = 0; i < 2000; i++)
			tc_val_list_push(l,
					 tc_val_printf(a, "%d/%d", round, i));
		tc_val_strndup(a, "x", 1);
		(void)tc_arena_alloc(a, 100000);
		assert_true(tc_arena_size(a) > first);
		char want[32];
		snprintf(want, sizeof want, "%d/1999", round);
		str_is(tc_val_at(l, 1999), want);
		tc_arena_reset(a);
		/* Only the first block stays, and it is reused. */
		assert_int_equal(tc_arena_size(a), first);
		assert_ptr_equal(tc_arena_alloc(a, 16), p0);
	}
	tc_arena_free(a);
	tc_arena_free(NULL);
}

static void misuse_and_defaults(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	tc_val *l = tc_val_list(a), *m = tc_val_map(a);
	tc_val *s = tc_val_str(a, "s");
	assert_int_equal(tc_val_list_push(m, s), -1);
	assert_int_equal(tc_val_list_push(NULL, s), -1);
	assert_int_equal(tc_val_set(l, "k", s), -1);
	assert_int_equal(tc_val_set(NULL, "k", s), -1);
	assert_int_equal(tc_val_set(m, NULL, s), -1);
	assert_int_equal(tc_val_set_int(l, "k", 1), -1);
	assert_int_equal(tc_val_set_str(s, "k", "v"), -1);
	assert_int_equal(tc_val_len(l), 0);
	assert_int_equal(tc_val_len(m), 0);
	assert_int_equal(tc_val_typeof(NULL), TC_VAL_NULL);
	assert_int_equal(tc_val_typeof(tc_val_null()), TC_VAL_NULL);
	assert_true(tc_val_bool_value(tc_val_bool(true)));
	assert_false(tc_val_bool_value(tc_val_bool(false)));
	assert_false(tc_val_bool_value(s));
	assert_int_equal(tc_val_int_value(s), 0);
	assert_true(tc_val_real_value(s) == 0);
	assert_null(tc_val_str_value(l, NULL));
	assert_null(tc_val_at(m, 0));
	assert_null(tc_val_get(l, "k"));
	assert_int_equal(tc_val_len(NULL), 0);
	tc_val_list_push(l, NULL);
	assert_int_equal(tc_val_typeof(tc_val_at(l, 0)), TC_VAL_NULL);
	tc_arena_free(a);
}

static void from_json(void **state)
{
	(void)state;
	json_t *j = json_loads("{\"s\":\"x\",\"i\":-3,\"r\":1.5,\"t\":true,"
			       "\"f\":false,\"n\":null,\"l\":[1,[],{}],"
			       "\"m\":{\"k\":\"v\"}}",
			       0, NULL);
	assert_non_null(j);
	json_object_setn_new(j, "a\0b", 3, json_string("nul"));
	tc_arena *a = tc_arena_new(128);
	const tc_val *v = tc_val_from_json(a, j);
	assert_int_equal(tc_val_typeof(v), TC_VAL_MAP);
	assert_int_equal(tc_val_len(v), 9);
	const char *order[] = {"s", "i", "r", "t", "f", "n", "l", "m"};
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(tc_val_key_at(v, i, NULL), order[i]);
	/* Strings are borrowed from j. */
	assert_ptr_equal(tc_val_str_value(tc_val_get(v, "s"), NULL),
			 json_string_value(json_object_get(j, "s")));
	assert_int_equal(tc_val_int_value(tc_val_get(v, "i")), -3);
	assert_true(tc_val_real_value(tc_val_get(v, "r")) == 1.5);
	assert_true(tc_val_bool_value(tc_val_get(v, "t")));
	assert_int_equal(tc_val_typeof(tc_val_get(v, "f")), TC_VAL_BOOL);
	assert_int_equal(tc_val_typeof(tc_val_get(v, "n")), TC_VAL_NULL);
	const tc_val *l = tc_val_get(v, "l");
	assert_int_equal(tc_val_len(l), 3);
	assert_int_equal(tc_val_typeof(tc_val_at(l, 1)), TC_VAL_LIST);
	assert_int_equal(tc_val_typeof(tc_val_at(l, 2)), TC_VAL_MAP);
	str_is(tc_val_get(tc_val_get(v, "m"), "k"), "v");
	str_is(tc_val_getn(v, "a\0b", 3), "nul");
	assert_null(tc_val_get(v, "a"));
	assert_null(tc_val_from_json(a, NULL));
	json_decref(j);

	/* Nesting: up to TC_VAL_MAX_DEPTH is converted, deeper is refused. */
	for (int depth = TC_VAL_MAX_DEPTH; depth <= TC_VAL_MAX_DEPTH + 1;
	     depth++) {
		json_t *root = json_array(), *cur = root;
		for (int i = 0; i < depth; i++) {
			json_t *next = json_array();
			json_array_append_new(cur, next);
			cur = next;
		}
		const tc_val *d = tc_val_from_json(a, root);
		if (depth == TC_VAL_MAX_DEPTH)
			assert_non_null(d);
		else
			assert_null(d);
		json_decref(root);
	}
	tc_arena_free(a);
}

/* Maps of every size across the point where they are indexed by hash
 * (lib/val.c, MAP_LINEAR): keys that share first bytes, differ only in
 * length, or are empty; each found, replaced in place, absent ones not
 * found, in insertion order, also for a map made from a JSON object. */
static void maps_of_every_size(void **state)
{
	(void)state;
	tc_arena *a = tc_arena_new(0);
	char k[80][8];
	for (int i = 0; i < 80; i++) /* "", a, aa, ..., then b0, b1, ... */
		if (i < 6)
			snprintf(k[i], sizeof k[i], "%.*s", i, "aaaaa");
		else
			snprintf(k[i], sizeof k[i], "b%d", i);
	for (int n = 0; n <= 80; n++) {
		tc_val *m = tc_val_map(a);
		json_t *o = json_object();
		for (int i = 0; i < n; i++) {
			tc_val_setn(m, k[i], strlen(k[i]), tc_val_int(a, i));
			json_object_set_new(o, k[i], json_integer(i));
		}
		for (int i = 0; i < n; i += 2) /* replaced in place */
			tc_val_setn(m, k[i], strlen(k[i]), tc_val_int(a, -i));
		const tc_val *j = tc_val_from_json(a, o);
		assert_int_equal(tc_val_len(m), n);
		assert_int_equal(tc_val_len(j), n);
		for (int i = 0; i < 80; i++) {
			const tc_val *v = tc_val_getn(m, k[i], strlen(k[i]));
			const tc_val *w = tc_val_getn(j, k[i], strlen(k[i]));
			if (i >= n) {
				assert_null(v);
				assert_null(w);
				continue;
			}
			assert_int_equal(tc_val_int_value(v), i % 2 ? i : -i);
			assert_int_equal(tc_val_int_value(w), i);
			size_t kl;
			assert_string_equal(tc_val_key_at(m, (size_t)i, &kl),
					    k[i]);
		}
		assert_null(tc_val_get(m, "aaaaaa"));
		assert_null(tc_val_get(m, "b"));
		json_decref(o);
	}
	tc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arena_growth),
	    cmocka_unit_test(big_strings),
	    cmocka_unit_test(big_lists_and_maps),
	    cmocka_unit_test(borrowed_and_copied),
	    cmocka_unit_test(reset_and_reuse),
	    cmocka_unit_test(misuse_and_defaults),
	    cmocka_unit_test(from_json),
	    cmocka_unit_test(maps_of_every_size),
	};
	return cmocka_run_group_tests_name("val", tests, NULL, NULL);
}
