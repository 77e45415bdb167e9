/* cache.h: finished answers, per worker, keyed by what determines them.
 *
 * An answer depends only on the request line, the representation asked for
 * and the index, which does not change until the worker reopens it (clear
 * the cache then). Search as you type and popular exports repeat the same
 * requests, so each worker keeps its recent answers in a small 4-way set
 * associative table (least recently used out): a hit costs a hash and a
 * copy. Only 200 answers are kept. */
#ifndef TS_CACHE_H
#define TS_CACHE_H

#include <stddef.h>

#include "app.h"

typedef struct ts_cache ts_cache;

/* slots: number of entries (rounded down to a multiple of 4, at least 4);
 * max_bytes: larger bodies are not kept; max_total: what all the answers
 * kept may hold together (the least recently used go first), so that a
 * worker's memory does not grow with the size of the answers. */
ts_cache *ts_cache_new(size_t slots, size_t max_bytes, size_t max_total);
void ts_cache_free(ts_cache *c);
void ts_cache_clear(ts_cache *c);
/* The cached answer for key, or NULL (borrowed, valid until the next put
 * or clear). */
const ts_response *ts_cache_get(ts_cache *c, const char *key);
/* Keeps a copy of rs under key when it is a 200 small enough. */
void ts_cache_put(ts_cache *c, const char *key, const ts_response *rs);
/* Hits and lookups since creation, for the log and the tests. */
void ts_cache_stats(const ts_cache *c, size_t *hits, size_t *lookups);

#endif
