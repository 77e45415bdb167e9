/* search.h: the search index as tc-search uses it, read-only.
 *
 * ts_index_open loads everything a worker needs once: the exported data (for
 * validation and export), the common page context and the templates (for
 * HTML answers), the ETag, and prepared statements. Reopen it (SIGHUP) to
 * pick up a new file: the old one stays usable until closed. */
#ifndef TS_SEARCH_H
#define TS_SEARCH_H

#include <jansson.h>

#include "../lib/buf.h"
#include "../lib/mustache.h"
#include "params.h"

typedef struct ts_index ts_index;

/* NULL with a message in err when the file is missing or not an index. */
ts_index *ts_index_open(const char *path, tc_buf *err);
void ts_index_close(ts_index *ix);

json_t *ts_index_doc(const ts_index *ix);  /* borrowed */
json_t *ts_index_page(const ts_index *ix); /* borrowed */
/* api/changes.json (lib/changes.h), borrowed */
json_t *ts_index_changes(const ts_index *ix);
mus_env *ts_index_templates(const ts_index *ix);
const char *ts_index_etag(const ts_index *ix);
const char *ts_index_version(const ts_index *ix);
/* The SHA-256 (hex) of api/tom.json as the index holds it. */
const char *ts_index_tom_sha256(const ts_index *ix);

/* Turns a user's words into an FTS5 query in which every term is a quoted
 * string, so nothing the user types is FTS5 syntax: bare words become
 * prefix terms ("encr" finds "encryption"), "quoted words" phrases, and all
 * are ANDed. Returns -1 with err set when no searchable word is left. */
int ts_query_build(const char *q, tc_buf *match, tc_buf *err);

/* Runs a search; returns {"query", "total", "limit", "offset", "filter",
 * "results": [{"id", "text", "url", "category": {"id", "title"},
 * "snippet" (HTML-safe, matches in <mark>), "cells"}], "suggestions":
 * ts_suggest's when nothing matches, else []} (new reference), or NULL
 * with err set. */
json_t *ts_search(ts_index *ix, const ts_params *p, tc_buf *err);

/* The IDs of every measure that matches (no paging), as an object whose
 * keys are the IDs (new reference), or NULL with err set: what
 * /api/export?q= keeps. */
json_t *ts_search_ids(ts_index *ix, const ts_params *p, tc_buf *err);

/* Queries near p's q that find something with p's filters: each word that
 * is in no measure replaced by the nearest word of the index's vocabulary
 * (edit distance), then single words of a query whose words find nothing
 * together. [{"query", "total"}], at most 5 (new reference). */
json_t *ts_suggest(ts_index *ix, const ts_params *p);

/* HTML-escapes a snippet in which \x01 and \x02 mark the matches. */
void ts_snippet_html(tc_buf *out, const char *s);

#endif
