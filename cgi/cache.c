#include "cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *key;
	ts_response rs;
} entry;

struct ts_cache {
	entry *slots;
	size_t n, max_bytes, hits, lookups;
};

static size_t slot(const ts_cache *c, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	return (size_t)(h % c->n);
}

ts_cache *ts_cache_new(size_t slots, size_t max_bytes)
{
	ts_cache *c = tc_xcalloc(1, sizeof *c);
	c->slots = tc_xcalloc(slots ? slots : 1, sizeof(entry));
	c->n = slots ? slots : 1;
	c->max_bytes = max_bytes;
	return c;
}

static void drop(entry *e)
{
	free(e->key);
	e->key = NULL;
	ts_response_free(&e->rs);
}

void ts_cache_clear(ts_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		drop(&c->slots[i]);
}

void ts_cache_free(ts_cache *c)
{
	if (!c)
		return;
	ts_cache_clear(c);
	free(c->slots);
	free(c);
}

const ts_response *ts_cache_get(ts_cache *c, const char *key)
{
	c->lookups++;
	entry *e = &c->slots[slot(c, key)];
	if (!e->key || strcmp(e->key, key) != 0)
		return NULL;
	c->hits++;
	return &e->rs;
}

void ts_cache_put(ts_cache *c, const char *key, const ts_response *rs)
{
	if (rs->status != 200 || rs->body.len > c->max_bytes)
		return;
	entry *e = &c->slots[slot(c, key)];
	drop(e);
	e->key = tc_xstrdup(key);
	memset(&e->rs, 0, sizeof e->rs);
	e->rs.status = rs->status;
	tc_buf_put(&e->rs.headers, tc_buf_cstr(&rs->headers), rs->headers.len);
	tc_buf_put(&e->rs.body, tc_buf_cstr(&rs->body), rs->body.len);
}

void ts_cache_stats(const ts_cache *c, size_t *hits, size_t *lookups)
{
	*hits = c->hits;
	*lookups = c->lookups;
}
