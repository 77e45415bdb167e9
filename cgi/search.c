#include "search.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/indexfmt.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"

#define MAX_TERMS 16

struct ts_index {
	sqlite3 *db;
	sqlite3_stmt *search, *count;
	json_t *doc, *page;
	json_t *changes; /* api/changes.json */
	json_t *measures; /* measure ID -> its object in doc (borrowed) */
	mus_env *env;
	char *etag, *version;
	char tom_sha256[65]; /* of api/tom.json as published: XLSX covers */
	char **terms; /* the vocabulary, sorted: suggestions come from it */
	long *docs;   /* how many measures use each term */
	size_t nterms;
};

/* The filters are bound, never spliced: ?1 match, ?2 product, ?3 category,
 * ?4 status. A measure of a table without product columns (site or
 * organisation-wide) concerns every product. */
/* The filters are bound, never spliced: ?1 match, ?2 product, ?3 category,
 * ?4 status. m.cells lists " scope=status " for every cell. A measure of a
 * table without product columns (site or organisation-wide) concerns every
 * product, with any of its cells. */
#define WHERE                                                                  \
	" FROM fts JOIN measures m ON m.rowid = fts.rowid"                     \
	" WHERE fts MATCH ?1"                                                  \
	" AND (?2 IS NULL OR m.general OR instr(m.cells, ' ' || ?2 || '='))"   \
	" AND (?3 IS NULL OR m.category_id = ?3)"                              \
	" AND (?4 IS NULL OR (CASE WHEN ?2 IS NULL OR m.general"               \
	"  THEN instr(m.cells, '=' || ?4 || ' ')"                              \
	"  ELSE instr(m.cells, ' ' || ?2 || '=' || ?4 || ' ') END) > 0)"

static const char *search_sql = "SELECT " TC_IX_RESULT_COLS WHERE
    " ORDER BY bm25(fts, 10.0, 5.0, 2.0, 1.5, 0.5, 3.0), m.rowid"
    " LIMIT ?5 OFFSET ?6";
static const char *count_sql = "SELECT count(*)" WHERE;

static char *meta(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, TC_IX_SELECT_META, -1,
			       &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = tc_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static int load_templates(ts_index *ix)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, TC_IX_SELECT_TEMPLATES, -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	ix->env = mus_env_new(NULL, NULL);
	int rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (!mus_env_parse(
			ix->env, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), NULL))
			rc = -1;
	sqlite3_finalize(st);
	return rc;
}

static int load_vocab(ts_index *ix)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, TC_IX_SELECT_VOCAB " ORDER BY term", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ix->nterms == cap) {
			cap = cap ? cap * 2 : 256;
			ix->terms =
			    tc_xrealloc(ix->terms, cap * sizeof *ix->terms);
			ix->docs = tc_xrealloc(ix->docs, cap * sizeof *ix->docs);
		}
		ix->terms[ix->nterms] =
		    tc_xstrdup((const char *)sqlite3_column_text(st, 0));
		ix->docs[ix->nterms++] = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

ts_index *ts_index_open(const char *path, tc_buf *err)
{
	ts_index *ix = tc_xcalloc(1, sizeof *ix);
	tc_buf uri = TC_BUF_INIT;
	tc_buf_puts(&uri, "file:");
	tc_esc_url_component(&uri, path, strlen(path));
	/* immutable: no file locks per query. Safe because a deploy renames
	 * a new index over the path and signals; the file a worker opened is
	 * never written again. */
	tc_buf_puts(&uri, "?mode=ro&immutable=1");
	char *fmt = NULL, *tom = NULL, *page = NULL;
	if (sqlite3_open_v2(tc_buf_cstr(&uri), &ix->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK) {
		tc_buf_printf(err, "cannot open index %s: %s", path,
			      sqlite3_errmsg(ix->db));
		goto fail;
	}
	/* Sorts never spill to a temporary file: workers serve under a
	 * sandbox that cannot open one. */
	sqlite3_exec(ix->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	fmt = meta(ix->db, TC_IX_FORMAT);
	tom = meta(ix->db, TC_IX_TOM);
	page = meta(ix->db, TC_IX_PAGE);
	ix->etag = meta(ix->db, TC_IX_ETAG);
	ix->version = meta(ix->db, TC_IX_VERSION);
	if (!fmt || strcmp(fmt, TC_INDEX_FORMAT) || !tom || !page ||
	    !ix->etag || !ix->version) {
		tc_buf_printf(err, "%s is not a tc search index (format %s)",
			      path, TC_INDEX_FORMAT);
		goto fail;
	}
	ix->doc = json_loads(tom, 0, NULL);
	tc_sha256_hex(tom, strlen(tom), ix->tom_sha256);
	ix->measures = json_object();
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(ix->doc, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, me)
			json_object_set(
			    ix->measures,
			    json_string_value(json_object_get(me, "id")), me);
	ix->page = json_loads(page, 0, NULL);
	char *changes = meta(ix->db, TC_IX_CHANGES);
	ix->changes = changes ? json_loads(changes, 0, NULL) : NULL;
	free(changes);
	if (!ix->doc || !ix->page || !ix->changes || load_templates(ix) < 0 ||
	    load_vocab(ix) < 0 ||
	    sqlite3_prepare_v2(ix->db, search_sql, -1, &ix->search, NULL) ||
	    sqlite3_prepare_v2(ix->db, count_sql, -1, &ix->count, NULL)) {
		tc_buf_printf(err, "index %s is damaged: %s", path,
			      sqlite3_errmsg(ix->db));
		goto fail;
	}
	free(fmt);
	free(tom);
	free(page);
	tc_buf_free(&uri);
	return ix;
fail:
	free(fmt);
	free(tom);
	free(page);
	tc_buf_free(&uri);
	ts_index_close(ix);
	return NULL;
}

void ts_index_close(ts_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->search);
	sqlite3_finalize(ix->count);
	sqlite3_close(ix->db);
	json_decref(ix->measures);
	json_decref(ix->doc);
	json_decref(ix->page);
	json_decref(ix->changes);
	mus_env_free(ix->env);
	free(ix->etag);
	free(ix->version);
	for (size_t i = 0; i < ix->nterms; i++)
		free(ix->terms[i]);
	free(ix->terms);
	free(ix->docs);
	free(ix);
}

json_t *ts_index_doc(const ts_index *ix)
{
	return ix->doc;
}
json_t *ts_index_page(const ts_index *ix)
{
	return ix->page;
}
json_t *ts_index_changes(const ts_index *ix)
{
	return ix->changes;
}
mus_env *ts_index_templates(const ts_index *ix)
{
	return ix->env;
}
const char *ts_index_etag(const ts_index *ix)
{
	return ix->etag;
}
const char *ts_index_tom_sha256(const ts_index *ix)
{
	return ix->tom_sha256;
}
const char *ts_index_version(const ts_index *ix)
{
	return ix->version;
}

static int searchable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static void add_term(tc_buf *m, const char *s, size_t n, int prefix)
{
	if (m->len)
		tc_buf_puts(m, " AND ");
	tc_buf_putc(m, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			tc_buf_putc(m, '"');
		tc_buf_putc(m, s[i]);
	}
	tc_buf_puts(m, prefix ? "\"*" : "\"");
}

int ts_query_build(const char *q, tc_buf *match, tc_buf *err)
{
	int terms = 0;
	const char *s = q;
	while (*s && terms < MAX_TERMS) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		const char *start = s;
		int phrase = *s == '"';
		if (phrase) {
			start = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			while (*s && !isspace((unsigned char)*s) && *s != '"')
				s++;
		}
		size_t n = (size_t)(s - start);
		if (phrase && *s == '"')
			s++;
		if (searchable(start, n)) {
			add_term(match, start, n, !phrase);
			terms++;
		}
	}
	if (!terms) {
		tc_buf_puts(err, "parameter 'q' has no word to search for");
		return -1;
	}
	return 0;
}

void ts_snippet_html(tc_buf *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\x01\x02");
		tc_esc_html(out, s, n);
		s += n;
		if (*s == '\x01')
			tc_buf_puts(out, "<mark>");
		else if (*s == '\x02')
			tc_buf_puts(out, "</mark>");
		if (*s)
			s++;
	}
}

static void bind(sqlite3_stmt *st, const char *match, const ts_params *p)
{
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->v[P_PRODUCT], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->v[P_CATEGORY], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->v[P_STATUS], -1, SQLITE_STATIC);
}

static json_t *result(ts_index *ix, sqlite3_stmt *st, const ts_params *p)
{
	const char *col[TC_IXR__COUNT];
	for (int i = 0; i < TC_IXR__COUNT; i++)
		col[i] = (const char *)sqlite3_column_text(st, i);
	json_t *me = json_object_get(ix->measures, col[TC_IXR_ID]);
	json_t *cells = tc_tom_cells(ix->doc, me,
				     p->v[P_PRODUCT], p->v[P_STATUS]);
	tc_buf snip = TC_BUF_INIT;
	ts_snippet_html(&snip, col[TC_IXR_SNIPPET] ? col[TC_IXR_SNIPPET] : "");
	json_t *r = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o}", "id",
			      col[TC_IXR_ID], "text", col[TC_IXR_TEXT], "url",
			      col[TC_IXR_URL], "category", "id",
			      col[TC_IXR_CATEGORY_ID], "title",
			      col[TC_IXR_CATEGORY_TITLE], "snippet",
			      tc_buf_cstr(&snip), "cells", cells);
	tc_buf_free(&snip);
	return r;
}

/* ---- suggestions ---- */

#define MAX_WORD 64
#define MAX_SUGGESTIONS 5

/* Levenshtein distance of a[0..n) and b[0..m), bytes. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[MAX_WORD + 1];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

/* Whether some vocabulary term starts with w: the search treats each word
 * as a prefix, so such a word is no typo. */
static int known(const ts_index *ix, const char *w)
{
	size_t lo = 0, hi = ix->nterms, n = strlen(w);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ix->terms[mid], w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nterms && !strncmp(ix->terms[lo], w, n);
}

/* The vocabulary term nearest to w: by edit distance to the whole term or
 * to its first strlen(w) letters (a typo in a word still being typed),
 * within 1 for short words and 2 for longer ones; ties go to the term more
 * measures use. NULL when none is near. */
static const char *nearest(const ts_index *ix, const char *w)
{
	size_t n = strlen(w), limit = n <= 4 ? 1 : 2, best = limit + 1;
	long docs = -1;
	const char *pick = NULL;
	for (size_t i = 0; i < ix->nterms; i++) {
		const char *t = ix->terms[i];
		size_t m = strlen(t);
		if (m > MAX_WORD || (m + limit < n))
			continue;
		size_t d = distance(w, n, t, m);
		size_t dp = m > n ? distance(w, n, t, n) : d;
		if (dp < d)
			d = dp;
		if (d < best || (d == best && ix->docs[i] > docs)) {
			best = d;
			docs = ix->docs[i];
			pick = t;
		}
	}
	return best <= limit ? pick : NULL;
}

/* The words of q, lower-cased (ASCII), each at most MAX_WORD bytes. */
static size_t words_of(const char *q, char w[][MAX_WORD + 1], size_t max)
{
	size_t n = 0;
	const char *s = q;
	while (*s && n < max) {
		while (*s && !(isalnum((unsigned char)*s) ||
			       (unsigned char)*s >= 0x80))
			s++;
		size_t k = 0;
		while (*s && (isalnum((unsigned char)*s) ||
			      (unsigned char)*s >= 0x80)) {
			if (k < MAX_WORD)
				w[n][k++] = (char)tolower((unsigned char)*s);
			s++;
		}
		if (k) {
			w[n][k] = '\0';
			n++;
		}
	}
	return n;
}

static json_int_t count_for(ts_index *ix, const char *q, const ts_params *p)
{
	tc_buf match = TC_BUF_INIT, err = TC_BUF_INIT;
	json_int_t total = 0;
	if (ts_query_build(q, &match, &err) == 0) {
		sqlite3_bind_text(ix->count, 1, tc_buf_cstr(&match), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(ix->count, 2, p->v[P_PRODUCT], -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(ix->count, 3, p->v[P_CATEGORY], -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(ix->count, 4, p->v[P_STATUS], -1,
				  SQLITE_STATIC);
		if (sqlite3_step(ix->count) == SQLITE_ROW)
			total = sqlite3_column_int64(ix->count, 0);
		sqlite3_reset(ix->count);
	}
	tc_buf_free(&match);
	tc_buf_free(&err);
	return total;
}

static void suggest(ts_index *ix, json_t *out, const char *q,
		    const ts_params *p)
{
	if (json_array_size(out) >= MAX_SUGGESTIONS)
		return;
	size_t i;
	json_t *v;
	json_array_foreach (out, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "query")), q))
			return;
	json_int_t n = count_for(ix, q, p);
	if (n > 0)
		json_array_append_new(
		    out, json_pack("{s:s, s:I}", "query", q, "total", n));
}

json_t *ts_suggest(ts_index *ix, const ts_params *p)
{
	json_t *out = json_array();
	char w[MAX_TERMS][MAX_WORD + 1];
	size_t n = words_of(p->v[P_Q] ? p->v[P_Q] : "", w, MAX_TERMS);
	/* each word not in the vocabulary replaced by its nearest term */
	tc_buf fixed = TC_BUF_INIT;
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = known(ix, w[i]) ? NULL : nearest(ix, w[i]);
		changed |= t != NULL;
		tc_buf_printf(&fixed, "%s%s", i ? " " : "", t ? t : w[i]);
	}
	if (changed)
		suggest(ix, out, tc_buf_cstr(&fixed), p);
	/* words that find something on their own, when together they do
	 * not (or a filter leaves nothing) */
	for (size_t i = 0; i < n && n > 1; i++) {
		const char *t = known(ix, w[i]) ? w[i] : nearest(ix, w[i]);
		if (t)
			suggest(ix, out, t, p);
	}
	tc_buf_free(&fixed);
	return out;
}

json_t *ts_search_ids(ts_index *ix, const ts_params *p, tc_buf *err)
{
	tc_buf match = TC_BUF_INIT;
	if (ts_query_build(p->v[P_Q], &match, err) < 0) {
		tc_buf_free(&match);
		return NULL;
	}
	json_t *ids = json_object();
	bind(ix->search, tc_buf_cstr(&match), p);
	sqlite3_bind_int64(ix->search, 5, -1); /* every match */
	sqlite3_bind_int64(ix->search, 6, 0);
	int rc;
	while ((rc = sqlite3_step(ix->search)) == SQLITE_ROW)
		json_object_set_new(
		    ids,
		    (const char *)sqlite3_column_text(ix->search, TC_IXR_ID),
		    json_true());
	sqlite3_reset(ix->search);
	tc_buf_free(&match);
	if (rc != SQLITE_DONE) {
		tc_buf_printf(err, "the search could not be run: %s",
			      sqlite3_errmsg(ix->db));
		json_decref(ids);
		return NULL;
	}
	return ids;
}

json_t *ts_search(ts_index *ix, const ts_params *p, tc_buf *err)
{
	tc_buf match = TC_BUF_INIT;
	if (ts_query_build(p->v[P_Q], &match, err) < 0) {
		tc_buf_free(&match);
		return NULL;
	}
	json_t *results = json_array();
	json_int_t total = 0;
	bind(ix->count, tc_buf_cstr(&match), p);
	if (sqlite3_step(ix->count) == SQLITE_ROW)
		total = sqlite3_column_int64(ix->count, 0);
	sqlite3_reset(ix->count);
	bind(ix->search, tc_buf_cstr(&match), p);
	sqlite3_bind_int64(ix->search, 5, p->limit);
	sqlite3_bind_int64(ix->search, 6, p->offset);
	int rc;
	while ((rc = sqlite3_step(ix->search)) == SQLITE_ROW)
		json_array_append_new(results, result(ix, ix->search, p));
	sqlite3_reset(ix->search);
	tc_buf_free(&match);
	if (rc != SQLITE_DONE) {
		/* Terms are quoted, so this is not the user's syntax; still,
		 * say so rather than return a partial list. */
		tc_buf_printf(err, "the search could not be run: %s",
			      sqlite3_errmsg(ix->db));
		json_decref(results);
		return NULL;
	}
	json_t *filter = json_object();
	for (int i = P_PRODUCT; i <= P_STATUS; i++)
		if (p->v[i])
			json_object_set_new(filter, ts_param_name((ts_param)i),
					    json_string(p->v[i]));
	/* nothing found: the nearest words of the vocabulary that do find
	 * something, with the same filters */
	json_t *sugg = total ? json_array() : ts_suggest(ix, p);
	return json_pack("{s:s, s:I, s:I, s:I, s:o, s:s, s:o, s:o}", "query",
			 p->v[P_Q], "total", total, "limit",
			 (json_int_t)p->limit, "offset", (json_int_t)p->offset,
			 "filter", filter, "version", ix->version, "results",
			 results, "suggestions", sugg);
}
