#include "cache.h"

#include "../lib/indexfmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Four ways per set: keys that hash alike do not evict each other, and
 * the least recently used of a set goes first. */
#define WAYS 4

typedef struct entry {
	char *key;
	ts_response rs;
	uint64_t used; /* clock of the last hit or put */
} entry;

struct ts_cache {
	entry *slots;
	size_t n, sets, max_bytes, hits, lookups;
	size_t bytes, max_total; /* bodies kept, and their bound */
	uint64_t clock;
};

static entry *set_of(const ts_cache *c, const char *key)
{
	uint64_t h = tc_fnv1a(TC_FNV_INIT, key);
	return &c->slots[(h % c->sets) * WAYS];
}

ts_cache *ts_cache_new(size_t slots, size_t max_bytes, size_t max_total)
{
	ts_cache *c = tc_xcalloc(1, sizeof *c);
	c->sets = slots / WAYS ? slots / WAYS : 1;
	c->n = c->sets * WAYS;
	c->slots = tc_xcalloc(c->n, sizeof(entry));
	c->max_bytes = max_bytes;
	c->max_total = max_total;
	return c;
}

static void drop(ts_cache *c, entry *e)
{
	if (e->key)
		c->bytes -= e->rs.body.len + e->rs.headers.len;
	free(e->key);
	e->key = NULL;
	ts_response_free(&e->rs);
}

void ts_cache_clear(ts_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		drop(c, &c->slots[i]);
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
	entry *set = set_of(c, key);
	for (int i = 0; i < WAYS; i++)
		if (set[i].key && strcmp(set[i].key, key) == 0) {
			c->hits++;
			set[i].used = ++c->clock;
			return &set[i].rs;
		}
	return NULL;
}

void ts_cache_put(ts_cache *c, const char *key, const ts_response *rs)
{
	if (rs->status != 200 || rs->body.len > c->max_bytes ||
	    rs->body.len + rs->headers.len > c->max_total)
		return;
	entry *set = set_of(c, key), *e = &set[0];
	for (int i = 1; i < WAYS && e->key; i++)
		if (!set[i].key || set[i].used < e->used)
			e = &set[i];
	drop(c, e);
	/* over the budget: the least recently used of all go first (a scan,
	 * only when big answers fill it) */
	size_t size = rs->body.len + rs->headers.len;
	while (c->bytes + size > c->max_total) {
		entry *old = NULL;
		for (size_t i = 0; i < c->n; i++)
			if (c->slots[i].key &&
			    (!old || c->slots[i].used < old->used))
				old = &c->slots[i];
		if (!old)
			break;
		drop(c, old);
	}
	c->bytes += size;
	e->used = ++c->clock;
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
