/* The JSON path of a refused value and why (lib/jpath.h), which the model
 * reader, a release's checks and the change data's reader name every
 * refusal with: the path as it is built and cut back, the first reason
 * kept, a path begun after what its buffer held, and the longest pieces a
 * reader lets into it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../lib/jpath.h"
#include "../lib/model.h"

static void built_and_cut(void **state)
{
	(void)state;
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_jpath p;
	tc_jpath_init(&p, &path, &why);
	assert_int_equal(tc_jpath_len(&p), 0);
	tc_jpath_key(&p, 0, "tom");
	assert_string_equal(tc_buf_cstr(&path), "tom");
	size_t n0 = tc_jpath_len(&p);
	tc_jpath_index(&p, n0, "measures", 3);
	assert_string_equal(tc_buf_cstr(&path), "tom.measures[3]");
	size_t n1 = tc_jpath_len(&p);
	tc_jpath_key(&p, n1, "cells");
	tc_jpath_key(&p, tc_jpath_len(&p), "x");
	assert_string_equal(tc_buf_cstr(&path), "tom.measures[3].cells.x");
	/* a key or index at n replaces whatever followed n */
	tc_jpath_index(&p, n1, "", 7);
	assert_string_equal(tc_buf_cstr(&path), "tom.measures[3][7]");
	tc_jpath_key(&p, n0, "scopes");
	assert_string_equal(tc_buf_cstr(&path), "tom.scopes");
	tc_jpath_cut(&p, n0);
	assert_string_equal(tc_buf_cstr(&path), "tom");
	assert_int_equal(path.len, 3);
	tc_jpath_cut(&p, 0);
	assert_string_equal(tc_buf_cstr(&path), "");
	/* an index at the start has no '.', with or without a key */
	tc_jpath_index(&p, 0, "scopes", 0);
	assert_string_equal(tc_buf_cstr(&path), "scopes[0]");
	tc_jpath_index(&p, 0, "", 2);
	assert_string_equal(tc_buf_cstr(&path), "[2]");
	assert_false(p.failed);
	assert_int_equal(why.len, 0);
	tc_buf_free(&path);
	tc_buf_free(&why);
}

static void pushed(void **state)
{
	(void)state;
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_jpath p;
	tc_jpath_init(&p, &path, &why);
	/* nothing written yet: cutting an empty path is no write */
	tc_jpath_cut(&p, 0);
	assert_null(path.data);
	assert_int_equal(tc_jpath_push_key(&p, "releases"), 0);
	assert_int_equal(tc_jpath_push_index(&p, 0), 8);
	size_t n = tc_jpath_push_key(&p, "changes");
	assert_int_equal(n, 11);
	assert_int_equal(tc_jpath_push_index(&p, 12), 19);
	assert_string_equal(tc_buf_cstr(&path), "releases[0].changes[12]");
	tc_jpath_cut(&p, n);
	assert_string_equal(tc_buf_cstr(&path), "releases[0]");
	tc_buf_free(&path);
	tc_buf_free(&why);
}

/* A path begun after what the buffer held: the first piece has no '.',
 * and cutting back to start leaves what was there. */
static void after_a_prefix(void **state)
{
	(void)state;
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_buf_puts(&path, "file.json: ");
	tc_jpath p;
	tc_jpath_init(&p, &path, &why);
	assert_int_equal(p.start, 11);
	tc_jpath_index(&p, p.start, "scopes", 1);
	assert_string_equal(tc_buf_cstr(&path), "file.json: scopes[1]");
	tc_jpath_key(&p, tc_jpath_len(&p), "kind");
	assert_string_equal(tc_buf_cstr(&path), "file.json: scopes[1].kind");
	tc_jpath_key(&p, p.start, "categories");
	assert_string_equal(tc_buf_cstr(&path), "file.json: categories");
	tc_jpath_cut(&p, p.start);
	assert_string_equal(tc_buf_cstr(&path), "file.json: ");
	tc_buf_free(&path);
	tc_buf_free(&why);
}

/* Only the first reason is written, after what why held; every call
 * returns false and later ones leave the reason alone. */
static void first_reason(void **state)
{
	(void)state;
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_buf_puts(&why, "release: ");
	tc_jpath p;
	tc_jpath_init(&p, &path, &why);
	tc_jpath_key(&p, 0, "kind");
	assert_false(
	    tc_jpath_failf(&p, "'%s' is not a %s", "planet", "kind of scope"));
	assert_true(p.failed);
	assert_false(tc_jpath_failf(&p, "must be a string"));
	assert_false(tc_jpath_failf(&p, "%zu", (size_t)42));
	assert_string_equal(tc_buf_cstr(&why),
			    "release: 'planet' is not a kind of scope");
	assert_string_equal(tc_buf_cstr(&path), "kind");
	tc_buf_free(&path);
	tc_buf_free(&why);
}

/* The longest pieces a reader lets in: a key as long as the longest string
 * tc_model_read takes and the largest index, written whole and cut back to
 * the byte (the path has no limit of its own to cut them at). */
static void longest_pieces(void **state)
{
	(void)state;
	size_t klen = TC_READ_MAX_STRING_BYTES;
	char *key = malloc(klen + 1);
	assert_non_null(key);
	memset(key, 'k', klen);
	key[klen] = '\0';
	tc_buf path = TC_BUF_INIT, why = TC_BUF_INIT;
	tc_jpath p;
	tc_jpath_init(&p, &path, &why);
	tc_jpath_key(&p, 0, "tom");
	tc_jpath_key(&p, 3, key);
	assert_int_equal(path.len, 3 + 1 + klen);
	assert_memory_equal(path.data, "tom.kkk", 7);
	assert_int_equal(path.data[path.len - 1], 'k');
	size_t n = tc_jpath_len(&p);
	tc_jpath_index(&p, n, "", SIZE_MAX);
	assert_string_equal(path.data + n, "[18446744073709551615]");
	tc_jpath_cut(&p, n);
	assert_int_equal(strlen(path.data), 3 + 1 + klen);
	tc_jpath_cut(&p, 3);
	assert_string_equal(tc_buf_cstr(&path), "tom");
	tc_jpath_failf(&p, "'%s' is not a scope of the data set", key);
	assert_int_equal(why.len, klen + strlen("'' is not a scope of the "
						"data set"));
	free(key);
	tc_buf_free(&path);
	tc_buf_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(built_and_cut),  cmocka_unit_test(pushed),
	    cmocka_unit_test(after_a_prefix), cmocka_unit_test(first_reason),
	    cmocka_unit_test(longest_pieces),
	};
	return cmocka_run_group_tests_name("jpath", tests, NULL, NULL);
}
