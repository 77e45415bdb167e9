/* val.c: the bump arena and the value tree built in it.
 *
 * Under AddressSanitizer or Valgrind the free part of every block is marked
 * inaccessible and each allocation is opened up exactly, so reading past a
 * value, or using one after tc_arena_reset, is reported as it would be for
 * malloc'd memory instead of silently reading the neighbour. */
#include "val.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#if defined(__SANITIZE_ADDRESS__)
#define TC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TC_ASAN 1
#endif
#endif

#if defined(TC_ASAN)
#include <sanitizer/asan_interface.h>
#define MEM_CLOSE(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MEM_OPEN(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define MEM_CLOSE(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define MEM_OPEN(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#endif
#endif
#ifndef MEM_CLOSE
#define MEM_CLOSE(p, n) ((void)(p), (void)(n))
#define MEM_OPEN(p, n) ((void)(p), (void)(n))
#endif

/* ---- arena ---- */

#define DEFAULT_BLOCK ((size_t)64 * 1024)
#define ALIGN _Alignof(max_align_t)

typedef struct block {
	struct block *next;
	size_t cap, used;
	max_align_t data[]; /* aligned for anything */
} block;

struct tc_arena {
	block *first; /* kept across resets */
	block *cur;   /* where small allocations go */
	block *more;  /* every other block, newest first */
	size_t block_size;
	size_t total;
};

static _Noreturn void too_big(void)
{
	fputs("tc: arena allocation too large\n", stderr);
	abort();
}

static block *block_new(tc_arena *a, size_t cap)
{
	if (cap > SIZE_MAX - sizeof(block))
		too_big();
	block *b = tc_xmalloc(sizeof(block) + cap);
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	MEM_CLOSE(b->data, cap);
	a->total += sizeof(block) + cap;
	return b;
}

tc_arena *tc_arena_new(size_t block_size)
{
	tc_arena *a = tc_xcalloc(1, sizeof(tc_arena));
	a->block_size = block_size ? block_size : DEFAULT_BLOCK;
	a->first = a->cur = block_new(a, a->block_size);
	return a;
}

static void free_more(tc_arena *a)
{
	while (a->more) {
		block *n = a->more->next;
		a->total -= sizeof(block) + a->more->cap;
		free(a->more);
		a->more = n;
	}
}

void tc_arena_reset(tc_arena *a)
{
	free_more(a);
	a->first->used = 0;
	MEM_CLOSE(a->first->data, a->first->cap);
	a->cur = a->first;
}

void tc_arena_free(tc_arena *a)
{
	if (!a)
		return;
	free_more(a);
	free(a->first);
	free(a);
}

size_t tc_arena_size(const tc_arena *a)
{
	return a->total;
}

static size_t align_up(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* n bytes at the given alignment (a power of two, at most ALIGN). */
static void *take(tc_arena *a, size_t n, size_t align)
{
	block *b = a->cur;
	size_t off = align_up(b->used, align);
	if (off > b->cap || b->cap - off < n) {
		if (n > a->block_size / 4) {
			/* Its own block, behind cur: cur keeps filling. */
			b = block_new(a, n);
			b->next = a->more;
			a->more = b;
			b->used = n;
			MEM_OPEN(b->data, n);
			return b->data;
		}
		b = block_new(a, a->block_size);
		b->next = a->more;
		a->more = b;
		a->cur = b;
		off = 0;
	}
	char *p = (char *)b->data + off;
	b->used = off + n;
	MEM_OPEN(p, n);
	return p;
}

void *tc_arena_alloc(tc_arena *a, size_t n)
{
	return take(a, n, ALIGN);
}

char *tc_arena_strndup(tc_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		too_big();
	char *d = take(a, n + 1, 1);
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *tc_arena_strdup(tc_arena *a, const char *s)
{
	return tc_arena_strndup(a, s, strlen(s));
}

/* Formats straight into the free end of the current block when it fits,
 * so the common short string is formatted once. */
static char *arena_vprintf(tc_arena *a, size_t *len, const char *fmt,
			   va_list ap)
{
	va_list again;
	va_copy(again, ap);
	block *b = a->cur;
	size_t room = b->cap - b->used;
	char *p = (char *)b->data + b->used;
	MEM_OPEN(p, room);
	int k = vsnprintf(p, room, fmt, ap);
	if (k < 0) {
		/* An encoding error: an empty string, not a crash. */
		MEM_CLOSE(p, room);
		va_end(again);
		*len = 0;
		return tc_arena_strndup(a, "", 0);
	}
	if ((size_t)k < room) {
		b->used += (size_t)k + 1;
		MEM_CLOSE(p + k + 1, room - (size_t)k - 1);
	} else {
		MEM_CLOSE(p, room);
		p = take(a, (size_t)k + 1, 1);
		vsnprintf(p, (size_t)k + 1, fmt, again);
	}
	va_end(again);
	*len = (size_t)k;
	return p;
}

/* ---- values ---- */

typedef struct entry {
	const char *key;
	size_t klen;
	const tc_val *v;
} entry;

/* 40 bytes: the type, the count and capacity of a list or map, and the
 * payload. Lists and maps carry their arena so that pushing needs none. */
struct tc_val {
	unsigned char type;
	uint32_t n, cap;
	union {
		bool b;
		long long i;
		double d;
		struct {
			const char *s;
			size_t n;
		} str;
		struct {
			const tc_val **v;
			tc_arena *a;
		} list;
		struct {
			entry *v;
			tc_arena *a;
			uint32_t *idx; /* see map_find; NULL while small */
		} map;
	} u;
};

static const tc_val v_null = {.type = TC_VAL_NULL};
static const tc_val v_true = {.type = TC_VAL_BOOL, .u.b = true};
static const tc_val v_false = {.type = TC_VAL_BOOL, .u.b = false};

const tc_val *tc_val_null(void)
{
	return &v_null;
}

const tc_val *tc_val_bool(bool b)
{
	return b ? &v_true : &v_false;
}

static tc_val *val_new(tc_arena *a, tc_val_type t)
{
	tc_val *v = take(a, sizeof(tc_val), _Alignof(tc_val));
	memset(v, 0, sizeof *v);
	v->type = (unsigned char)t;
	return v;
}

tc_val *tc_val_int(tc_arena *a, long long n)
{
	tc_val *v = val_new(a, TC_VAL_INT);
	v->u.i = n;
	return v;
}

tc_val *tc_val_real(tc_arena *a, double d)
{
	tc_val *v = val_new(a, TC_VAL_REAL);
	v->u.d = d;
	return v;
}

tc_val *tc_val_strn(tc_arena *a, const char *s, size_t n)
{
	if (!s)
		return val_new(a, TC_VAL_NULL);
	tc_val *v = val_new(a, TC_VAL_STR);
	v->u.str.s = s;
	v->u.str.n = n;
	return v;
}

tc_val *tc_val_str(tc_arena *a, const char *s)
{
	return tc_val_strn(a, s, s ? strlen(s) : 0);
}

tc_val *tc_val_strndup(tc_arena *a, const char *s, size_t n)
{
	if (!s)
		return val_new(a, TC_VAL_NULL);
	return tc_val_strn(a, tc_arena_strndup(a, s, n), n);
}

tc_val *tc_val_strdup(tc_arena *a, const char *s)
{
	return tc_val_strndup(a, s, s ? strlen(s) : 0);
}

tc_val *tc_val_vprintf(tc_arena *a, const char *fmt, va_list ap)
{
	size_t n;
	const char *s = arena_vprintf(a, &n, fmt, ap);
	return tc_val_strn(a, s, n);
}

tc_val *tc_val_printf(tc_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tc_val *v = tc_val_vprintf(a, fmt, ap);
	va_end(ap);
	return v;
}

tc_val *tc_val_list(tc_arena *a)
{
	tc_val *v = val_new(a, TC_VAL_LIST);
	v->u.list.a = a;
	return v;
}

tc_val *tc_val_map(tc_arena *a)
{
	tc_val *v = val_new(a, TC_VAL_MAP);
	v->u.map.a = a;
	return v;
}

/* Makes room for at least want items of size each in *items (a list's or
 * map's array): doubles, copying into the arena. */
static void *grow(tc_arena *a, void *items, uint32_t n, uint32_t *cap,
		  size_t want, size_t size)
{
	if (want <= *cap)
		return items;
	size_t c = *cap ? *cap : 4;
	while (c < want)
		c *= 2;
	if (c > UINT32_MAX)
		too_big();
	void *p = take(a, c * size, ALIGN);
	if (n)
		memcpy(p, items, n * size);
	*cap = (uint32_t)c;
	return p;
}

int tc_val_list_push(tc_val *l, const tc_val *v)
{
	if (!l || l->type != TC_VAL_LIST)
		return -1;
	if (l->n == l->cap)
		l->u.list.v = grow(l->u.list.a, l->u.list.v, l->n, &l->cap,
				   (size_t)l->n + 1, sizeof(tc_val *));
	l->u.list.v[l->n++] = v ? v : &v_null;
	return 0;
}

/* A map of more than MAP_LINEAR entries is also indexed by hash: a
 * template looks up each name in every map of its context stack, and the
 * search page's context holds the catalogue (over 500 words), which was
 * walked entry by entry for every {{t.x}} and every miss (11 % of an HTML
 * answer's instructions). idx[0] is the mask of the slots idx[1..mask+1],
 * each 0 or an entry's index + 1, probed linearly; the slots are at least
 * twice the entries' capacity, so a probe meets an empty one. */
#define MAP_LINEAR 8

static uint32_t key_hash(const char *key, size_t klen)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < klen; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static int key_is(const entry *e, const char *key, size_t klen)
{
	/* The first byte settles most mismatches without a call. */
	return e->klen == klen &&
	       (klen == 0 ||
		(e->key[0] == key[0] && memcmp(e->key, key, klen) == 0));
}

static void index_put(uint32_t *idx, const entry *e, uint32_t i)
{
	uint32_t mask = idx[0], s = key_hash(e->key, e->klen) & mask;
	while (idx[1 + s])
		s = (s + 1) & mask;
	idx[1 + s] = i + 1;
}

static void map_reindex(tc_val *m)
{
	size_t slots = 16;
	while (slots < 2 * (size_t)m->cap)
		slots *= 2;
	if (slots > UINT32_MAX / 2)
		too_big();
	uint32_t *idx = take(m->u.map.a, (slots + 1) * sizeof *idx, ALIGN);
	memset(idx, 0, (slots + 1) * sizeof *idx);
	idx[0] = (uint32_t)(slots - 1);
	for (uint32_t i = 0; i < m->n; i++)
		index_put(idx, &m->u.map.v[i], i);
	m->u.map.idx = idx;
}

static void map_append(tc_val *m, const char *key, size_t klen, const tc_val *v)
{
	if (m->n == m->cap)
		m->u.map.v = grow(m->u.map.a, m->u.map.v, m->n, &m->cap,
				  (size_t)m->n + 1, sizeof(entry));
	m->u.map.v[m->n] = (entry){key, klen, v ? v : &v_null};
	m->n++;
	uint32_t *idx = m->u.map.idx;
	if (m->n <= MAP_LINEAR)
		return;
	if (!idx || (size_t)idx[0] + 1 < 2 * (size_t)m->cap)
		map_reindex(m);
	else
		index_put(idx, &m->u.map.v[m->n - 1], m->n - 1);
}

static entry *map_find(const tc_val *m, const char *key, size_t klen)
{
	entry *e = m->u.map.v;
	const uint32_t *idx = m->u.map.idx;
	if (!idx) {
		for (uint32_t i = 0; i < m->n; i++)
			if (key_is(&e[i], key, klen))
				return &e[i];
		return NULL;
	}
	uint32_t mask = idx[0];
	for (uint32_t s = key_hash(key, klen) & mask; idx[1 + s];
	     s = (s + 1) & mask)
		if (key_is(&e[idx[1 + s] - 1], key, klen))
			return &e[idx[1 + s] - 1];
	return NULL;
}

int tc_val_setn(tc_val *m, const char *key, size_t klen, const tc_val *v)
{
	if (!m || m->type != TC_VAL_MAP || !key)
		return -1;
	entry *e = map_find(m, key, klen);
	if (e)
		e->v = v ? v : &v_null;
	else
		map_append(m, key, klen, v);
	return 0;
}

int tc_val_set(tc_val *m, const char *key, const tc_val *v)
{
	return tc_val_setn(m, key, key ? strlen(key) : 0, v);
}

static tc_arena *map_arena(const tc_val *m)
{
	return m && m->type == TC_VAL_MAP ? m->u.map.a : NULL;
}

int tc_val_set_str(tc_val *m, const char *key, const char *s)
{
	tc_arena *a = map_arena(m);
	return a ? tc_val_set(m, key, s ? tc_val_str(a, s) : NULL) : -1;
}

int tc_val_set_int(tc_val *m, const char *key, long long n)
{
	tc_arena *a = map_arena(m);
	return a ? tc_val_set(m, key, tc_val_int(a, n)) : -1;
}

int tc_val_set_bool(tc_val *m, const char *key, bool b)
{
	return tc_val_set(m, key, tc_val_bool(b));
}

/* ---- reading ---- */

tc_val_type tc_val_typeof(const tc_val *v)
{
	return v ? (tc_val_type)v->type : TC_VAL_NULL;
}

bool tc_val_bool_value(const tc_val *v)
{
	return v && v->type == TC_VAL_BOOL && v->u.b;
}

long long tc_val_int_value(const tc_val *v)
{
	return v && v->type == TC_VAL_INT ? v->u.i : 0;
}

double tc_val_real_value(const tc_val *v)
{
	return v && v->type == TC_VAL_REAL ? v->u.d : 0;
}

const char *tc_val_str_value(const tc_val *v, size_t *len)
{
	bool is = v && v->type == TC_VAL_STR;
	if (len)
		*len = is ? v->u.str.n : 0;
	return is ? v->u.str.s : NULL;
}

size_t tc_val_len(const tc_val *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case TC_VAL_STR: return v->u.str.n;
	case TC_VAL_LIST:
	case TC_VAL_MAP: return v->n;
	default: return 0;
	}
}

const tc_val *tc_val_at(const tc_val *l, size_t i)
{
	return l && l->type == TC_VAL_LIST && i < l->n ? l->u.list.v[i] : NULL;
}

const tc_val *tc_val_getn(const tc_val *m, const char *key, size_t klen)
{
	if (!m || m->type != TC_VAL_MAP || !key)
		return NULL;
	const entry *e = map_find(m, key, klen);
	return e ? e->v : NULL;
}

const tc_val *tc_val_get(const tc_val *m, const char *key)
{
	return key ? tc_val_getn(m, key, strlen(key)) : NULL;
}

const char *tc_val_key_at(const tc_val *m, size_t i, size_t *klen)
{
	bool in = m && m->type == TC_VAL_MAP && i < m->n;
	if (klen)
		*klen = in ? m->u.map.v[i].klen : 0;
	return in ? m->u.map.v[i].key : NULL;
}

const tc_val *tc_val_value_at(const tc_val *m, size_t i)
{
	return m && m->type == TC_VAL_MAP && i < m->n ? m->u.map.v[i].v : NULL;
}

/* ---- jansson ---- */

static const tc_val *from_json(tc_arena *a, const json_t *j, int depth)
{
	if (depth > TC_VAL_MAX_DEPTH)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		tc_val *m = tc_val_map(a);
		/* jansson's iterator wants a mutable object; it only reads. */
		json_t *o = (json_t *)j;
		m->u.map.v = grow(a, NULL, 0, &m->cap, json_object_size(o),
				  sizeof(entry));
		for (void *it = json_object_iter(o); it;
		     it = json_object_iter_next(o, it)) {
			const tc_val *v =
			    from_json(a, json_object_iter_value(it), depth + 1);
			if (!v)
				return NULL;
			/* Keys of a JSON object are unique: no lookup. */
			map_append(m, json_object_iter_key(it),
				   json_object_iter_key_len(it), v);
		}
		return m;
	}
	case JSON_ARRAY: {
		tc_val *l = tc_val_list(a);
		size_t n = json_array_size(j);
		l->u.list.v =
		    grow(a, NULL, 0, &l->cap, n, sizeof(const tc_val *));
		for (size_t i = 0; i < n; i++) {
			const tc_val *v =
			    from_json(a, json_array_get(j, i), depth + 1);
			if (!v)
				return NULL;
			l->u.list.v[l->n++] = v;
		}
		return l;
	}
	case JSON_STRING:
		return tc_val_strn(a, json_string_value(j),
				   json_string_length(j));
	case JSON_INTEGER: return tc_val_int(a, json_integer_value(j));
	case JSON_REAL: return tc_val_real(a, json_real_value(j));
	case JSON_TRUE: return &v_true;
	case JSON_FALSE: return &v_false;
	case JSON_NULL: return &v_null;
	}
	return NULL;
}

const tc_val *tc_val_from_json(tc_arena *a, const json_t *j)
{
	return j ? from_json(a, j, 0) : NULL;
}

json_t *tc_val_to_json(const tc_val *v)
{
	size_t n;
	const char *s;
	switch (tc_val_typeof(v)) {
	case TC_VAL_BOOL: return json_boolean(tc_val_bool_value(v));
	case TC_VAL_INT: return json_integer(tc_val_int_value(v));
	case TC_VAL_REAL: return json_real(tc_val_real_value(v));
	case TC_VAL_STR: s = tc_val_str_value(v, &n); return json_stringn(s, n);
	case TC_VAL_LIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < tc_val_len(v); i++)
			json_array_append_new(a,
					      tc_val_to_json(tc_val_at(v, i)));
		return a;
	}
	case TC_VAL_MAP: {
		json_t *o = json_object();
		for (size_t i = 0; i < tc_val_len(v); i++) {
			size_t kl;
			const char *k = tc_val_key_at(v, i, &kl);
			json_t *x = tc_val_to_json(tc_val_value_at(v, i));
			json_object_setn_new(o, k, kl, x ? x : json_null());
		}
		return o;
	}
	case TC_VAL_NULL:
	default: return json_null();
	}
}
