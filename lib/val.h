/* val.h: arena-allocated, immutable value trees for rendering views.
 *
 * A view (what a template sees) is built for one page, rendered, and thrown
 * away. Building it from jansson objects costs a malloc, a refcount and a
 * hash table per node; here every node lives in a tc_arena and the whole
 * tree is released at once with tc_arena_reset or tc_arena_free.
 *
 * Ownership and lifetimes:
 *  - A tc_arena owns every byte allocated from it: values, the arrays inside
 *    lists and maps, copied strings. Nothing in it is freed one by one.
 *    tc_arena_reset invalidates every pointer it ever returned (the first
 *    block is kept and reused); tc_arena_free releases it all.
 *  - Strings are BORROWED unless a name says otherwise: tc_val_str,
 *    tc_val_strn and map keys keep the caller's pointer, which must stay
 *    valid and unchanged for as long as the value is used (typically the
 *    model's strings or string literals, which outlive every view).
 *    tc_val_strdup, tc_val_strndup and tc_val_printf copy into the arena.
 *  - A value is immutable once built and may have any number of parents:
 *    a pre-rendered HTML fragment or a navigation list can be built once (in
 *    an arena that lives longer) and referenced from every page. Parents in
 *    a shorter-lived arena may point into a longer-lived one, never the
 *    reverse.
 *  - Lists and maps keep the arena they were created in and grow inside it
 *    (doubling; the outgrown array is left in the arena until reset).
 *
 * Maps are small ordered key/value lists for views: a lookup is a linear
 * scan comparing length then bytes, which beats hashing below a few dozen
 * keys. Setting an existing key replaces its value in place.
 *
 * Allocation failure aborts, as everywhere in lib/ (see buf.h). No function
 * here is thread-safe on a shared arena; distinct arenas are independent. */
#ifndef TC_VAL_H
#define TC_VAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* ---- arena ---- */

typedef struct tc_arena tc_arena;

/* A new arena whose blocks hold block_size bytes (0: 64 KiB). The first
 * block is allocated now. Free with tc_arena_free. */
tc_arena *tc_arena_new(size_t block_size);
/* Forgets everything allocated, keeps the first block for the next round,
 * frees the others. Every pointer into the arena becomes invalid. */
void tc_arena_reset(tc_arena *a);
/* Frees the arena and everything in it. NULL is fine. */
void tc_arena_free(tc_arena *a);

/* n bytes aligned for any type, uninitialised, valid until reset/free.
 * Requests larger than a quarter block get a block of their own, so one big
 * string does not waste the rest of the current block. */
void *tc_arena_alloc(tc_arena *a, size_t n);
/* Copies of s[0..n) and of a C string, NUL-terminated, in the arena. */
char *tc_arena_strndup(tc_arena *a, const char *s, size_t n);
char *tc_arena_strdup(tc_arena *a, const char *s);
/* Bytes the arena holds from malloc (all blocks, used or not). */
size_t tc_arena_size(const tc_arena *a);

/* ---- values ---- */

typedef struct tc_val tc_val;

typedef enum tc_val_type {
	TC_VAL_NULL,
	TC_VAL_BOOL,
	TC_VAL_INT,
	TC_VAL_REAL, /* only for data that comes from JSON (the spec has it) */
	TC_VAL_STR,
	TC_VAL_LIST,
	TC_VAL_MAP,
} tc_val_type;

/* Null, true and false are shared static values: no arena needed. */
const tc_val *tc_val_null(void);
const tc_val *tc_val_bool(bool b);

tc_val *tc_val_int(tc_arena *a, long long n);
tc_val *tc_val_real(tc_arena *a, double d);
/* Borrowed: s must outlive the value. s NULL gives the null value. */
tc_val *tc_val_str(tc_arena *a, const char *s);
tc_val *tc_val_strn(tc_arena *a, const char *s, size_t n);
/* Copied into the arena. */
tc_val *tc_val_strdup(tc_arena *a, const char *s);
tc_val *tc_val_strndup(tc_arena *a, const char *s, size_t n);
tc_val *tc_val_printf(tc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
tc_val *tc_val_vprintf(tc_arena *a, const char *fmt, va_list ap);

/* An empty list or map that grows in a. */
tc_val *tc_val_list(tc_arena *a);
tc_val *tc_val_map(tc_arena *a);

/* Appends v (NULL: the null value). l must be a list (otherwise a no-op that
 * returns -1); returns 0. v is referenced, not copied. */
int tc_val_list_push(tc_val *l, const tc_val *v);

/* Sets key to v (NULL: the null value, which, unlike a missing key, hides
 * the same name further down a Mustache context stack). The key is
 * BORROWED (usually a string literal). m must be a map (otherwise a no-op
 * that returns -1); returns 0. */
int tc_val_set(tc_val *m, const char *key, const tc_val *v);
int tc_val_setn(tc_val *m, const char *key, size_t klen, const tc_val *v);
/* Shorthands: a borrowed string (NULL: null), an integer, a boolean. */
int tc_val_set_str(tc_val *m, const char *key, const char *s);
int tc_val_set_int(tc_val *m, const char *key, long long n);
int tc_val_set_bool(tc_val *m, const char *key, bool b);

/* ---- reading ---- */

/* NULL reads as TC_VAL_NULL everywhere below. */
tc_val_type tc_val_typeof(const tc_val *v);
bool tc_val_bool_value(const tc_val *v);     /* false unless a true bool */
long long tc_val_int_value(const tc_val *v); /* 0 unless an int */
double tc_val_real_value(const tc_val *v);   /* 0 unless a real */
/* A string's bytes, NOT necessarily NUL-terminated (borrowed strings are
 * slices); *len (may be NULL) gets the length. NULL unless a string. */
const char *tc_val_str_value(const tc_val *v, size_t *len);
/* Elements of a list, entries of a map, bytes of a string; else 0. */
size_t tc_val_len(const tc_val *v);
/* Element i of a list, or NULL (not a list, out of range). */
const tc_val *tc_val_at(const tc_val *l, size_t i);
/* Value under key in a map, or NULL (not a map, no such key). */
const tc_val *tc_val_get(const tc_val *m, const char *key);
const tc_val *tc_val_getn(const tc_val *m, const char *key, size_t klen);
/* Entry i of a map in insertion order: its key (and *klen) and value, or
 * NULL out of range. */
const char *tc_val_key_at(const tc_val *m, size_t i, size_t *klen);
const tc_val *tc_val_value_at(const tc_val *m, size_t i);

/* ---- jansson ---- */

/* Maximum nesting tc_val_from_json follows. */
#define TC_VAL_MAX_DEPTH 512

/* A tc_val tree with the shape and values of j, built in a. Strings and
 * keys are BORROWED from j: j must stay alive and unmodified while the
 * result is used. Returns NULL for j NULL or nested deeper than
 * TC_VAL_MAX_DEPTH. Cost: one arena value per node, no string copies. */
const tc_val *tc_val_from_json(tc_arena *a, const json_t *j);

/* A new jansson value (caller owns) with v's content, for the few places
 * that store a view as JSON (the page context in the search index).
 * Strings that are not valid UTF-8 become null. */
json_t *tc_val_to_json(const tc_val *v);

#endif
