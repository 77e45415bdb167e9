/* search.h: the search index as tc-search uses it, read-only.
 *
 * ts_index_open loads once (in the master, before the workers fork; never
 * written after) what does not grow with the data: the data set without
 * its measures (the catalog: scopes and categories, for validation and
 * the HTML forms), the common page context and the templates (for HTML
 * answers), the changes, the vocabulary (suggestions), the ETag, and
 * prepared statements. Measures, cells and downloads are read from the
 * file per request, so a worker's memory does not grow with the number of
 * cells. Reopen it (SIGHUP) to pick up a new file: the old one stays
 * usable until closed. */
#ifndef TS_SEARCH_H
#define TS_SEARCH_H

#include <jansson.h>

#include "../lib/buf.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/mustache.h"
#include "../lib/val.h"
#include "params.h"

typedef struct ts_index ts_index;

/* NULL with a message in err when the file is missing, not an index of
 * this format, damaged, or one of a set of languages from different tc-gen
 * runs. An index is verified before anything of it is believed (its
 * format, SQLite's integrity_check, the digest over everything it
 * stores: lib/indexfmt.h). The default language's index opens the other
 * languages' with it (path.<code>), which must carry its build ID;
 * closing it closes them. */
ts_index *ts_index_open(const char *path, tc_buf *err);
/* The same for one answer (the CGI mode opens the index per request): the
 * format and the languages' build are checked, not every byte, which costs
 * 0.6 s at the benchmark's L size. What it serves is still checked as it
 * is read (ts_index_broken) and before it is sent. */
ts_index *ts_index_open_quick(const char *path, tc_buf *err);
void ts_index_close(ts_index *ix);
/* The index of a language (borrowed; ix itself for NULL or its own code),
 * or NULL when the site has no such language. */
ts_index *ts_index_lang(ts_index *ix, const char *code);
/* The site's languages' indexes, the default first (from any of them). */
size_t ts_index_count(const ts_index *ix);
const ts_index *ts_index_nth(const ts_index *ix, size_t i);
/* ["en", "de"]: the codes of the site's languages (new reference). */
json_t *ts_index_codes(const ts_index *ix);
/* "en, de": the codes of the site's languages, for messages. */
void ts_index_languages(const ts_index *ix, tc_buf *out);
/* The index's language: its answers are written in it (borrowed). */
const tc_lang *ts_index_language(const ts_index *ix);
/* The governing language version (site.md's governing_language) as ix's
 * page context names it, into *g (its strings borrowed from ix): 0, or -1
 * when the index names none or a language of no index of its set. */
int ts_index_governing(const ts_index *ix, tc_governing *g);
int ts_index_stemmed(const ts_index *ix);

/* The catalog: api/tom.json with every category's "measures" empty
 * (borrowed). */
json_t *ts_index_doc(const ts_index *ix);
json_t *ts_index_page(const ts_index *ix); /* borrowed */
/* The same as a view (lib/val.h), made once when the index is opened:
 * the bottom of an HTML answer's context stack (borrowed). */
const tc_val *ts_index_page_val(const ts_index *ix);
/* api/changes.json (lib/changes.h), borrowed */
const struct tc_changeset *ts_index_changes(const ts_index *ix);
mus_env *ts_index_templates(const ts_index *ix);
const char *ts_index_etag(const ts_index *ix);
const char *ts_index_version(const ts_index *ix);
/* The SHA-256 (hex) of api/tom.json as the index holds it. */
const char *ts_index_tom_sha256(const ts_index *ix);
/* The build ID tc-gen stamped into every language's index of its run. */
const char *ts_index_build(const ts_index *ix);

/* Whether this process must not serve ix (one language's index): SQLite
 * has given an error reading it (a corrupt page, the file cut short: it
 * is never retried), or its file is no longer the one that was verified
 * (fstat: size or modification time changed in place). 1 with the reason
 * (naming the language, never the path) appended to why. A system call
 * per index: cheap enough for every request. */
int ts_index_broken(const ts_index *ix, tc_buf *why);
/* /api/health's check of every language's index: ts_index_broken, then a
 * read of the meta row that holds the ETag, which must read as it did.
 * 0, or -1 with the reason in why. */
int ts_index_check(ts_index *ix, tc_buf *why);

/* Turns a user's words into an FTS5 query in which every term is a quoted
 * string, so nothing the user types is FTS5 syntax: bare words become
 * prefix terms ("encr" finds "encryption"), "quoted words" phrases, and all
 * are ANDed. stemmed (the index's tokenizer stems: ts_index_stemmed): each
 * bare word is asked for as a prefix or stemmed. Returns -1 with err set
 * when no searchable word is left. */
int ts_query_build(const char *q, int stemmed, tc_buf *match, tc_buf *err);

/* Runs a search and appends its answer to out as compact JSON: {"$schema"
 * (when schema is not NULL), "query", "total", "limit", "offset", "filter",
 * "version", "results": [{"id", "text", "url", "category": {"id",
 * "title"}, "snippet" (HTML-safe, matches in <mark>), "cells"}],
 * "suggestions": ts_suggest's when nothing matches, else []}. The entries
 * that match come first, as results with "kind" (lib/indexfmt.h); then
 * the measures, without it. A ranked FTS5 query of each gives the page and
 * the total; each result is its stored head, its snippet and its stored
 * cells that pass the filters (an entry's stored tail). Returns 1 when
 * the answer is one JSON text (every byte written here or stored bytes
 * checked: a measure's once per process, an entry's each time), 0 when
 * it is still to be checked (a stored result that is no JSON), or -1
 * with err set. */
int ts_search_text(ts_index *ix, const ts_params *p, const char *schema,
		   tc_buf *out, tc_buf *err);

/* The same answer for the HTML page, never written as JSON and read back
 * (issue 20): its figures as they are, and each result as the index
 * stores it (its head, then its cells that pass or an entry's tail) read
 * into a view (lib/val.h) with its snippet set. */
typedef struct ts_found {
	json_int_t total, not_applicable;
	/* how many of total are entries (certificates, subprocessors,
	 * locations, pages: lib/indexfmt.h), which come first and are in no
	 * export */
	json_int_t entries;
	/* [{"id", "text", "url", "category", "snippet", "cells"} or an
	 * entry's members]: ts_search_text's "results", in the arena given */
	const tc_val *results;
	json_t *suggestions; /* ts_suggest's when nothing is found, else [] */
	char *showing;       /* the query searched instead of a typo, or NULL */
	int partial;         /* no measure has every word: the nearest */
} ts_found;

/* 0 with the answer in *out (free with ts_found_free; its results live
 * in a), or -1 with err set: q has no word, or the index fails (a stored
 * result that does not read as JSON makes it broken: ts_index_broken). */
int ts_search_found(ts_index *ix, const ts_params *p, tc_arena *a,
		    ts_found *out, tc_buf *err);
void ts_found_free(ts_found *an);
/* s[0..n), one JSON object the index stores of a result (its head,
 * cells and tail), as a view in a (strings copied into a); NULL when it
 * is not one. It reads as jansson's json_loadb(s, n, 0) does (escapes and
 * surrogate pairs, UTF-8 without NUL, integers that fit a long long, a
 * later duplicate key wins), except that the text must be an object and
 * no value may be nested deeper than TC_VAL_MAX_DEPTH (jansson: 2048).
 * tests/fuzz/fuzz_storedjson.c compares the two. */
tc_val *ts_read_stored(tc_arena *a, const char *s, size_t n);

/* Appends the stored download for format ("json" or "csv") and product
 * (NULL: the whole set) to out; -1 when the index has none such. */
int ts_export_stored(ts_index *ix, const char *format, const char *product,
		     tc_buf *out);

/* The data set as /api/export answers it for p's filters and words, as a
 * selection over the index's data set (ts_index_model,
 * read when first needed): the measures of p's q (when given) by the search's
 * plan, the rest by lib/model.h's tc_pick_filter, "q" recorded after the
 * other filters. NULL with err set when q cannot be searched or the index
 * cannot be read; the caller frees with tc_pick_free. /api/export writes
 * its JSON and CSV over it (tc_model_write, tc_model_csv). */
tc_pick *ts_export_pick(ts_index *ix, const ts_params *p, tc_buf *err);
/* The index's data set (borrowed: the index's), read from its stored
 * export "json" when first needed and kept: a search never reads it, an
 * export, a workbook or an annex does (ts_index_open's whole check reads
 * it before the workers fork, who share it; ts_index_open_quick's one
 * answer reads it only when it is an export). A data set that does not
 * read is a damaged index: -1 with err set to "index PATH is damaged: "
 * and why, the same as ts_index_open says, every time it is asked (it is
 * read once). */
int ts_index_load_model(ts_index *ix, tc_buf *err);
/* ts_index_load_model for every language of ix's set: what a process
 * that forks workbook helpers (cgi/xlsxd.h), which cannot read the file,
 * does first when they are to write one. */
int ts_index_load_all(ts_index *ix, tc_buf *err);
/* Why the data set did not read ("its data set is not JSON (...)"), or
 * NULL when it did or was not read yet. */
const char *ts_index_model_damage(const ts_index *ix);
/* The data set (ts_index_load_model), or NULL when it does not read. */
const tc_model *ts_index_model(ts_index *ix);

/* Queries near p's q that find something with p's filters: each word that
 * is in no measure replaced by the nearest word of the index's vocabulary
 * (edit distance), then single words of a query whose words find nothing
 * together. [{"query", "total"}], at most 5 (new reference). */
json_t *ts_suggest(ts_index *ix, const ts_params *p);

/* HTML-escapes a snippet in which \x01 and \x02 mark the matches. */
void ts_snippet_html(tc_buf *out, const char *s);

#endif
