#include "search.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/tomdata.h"

#define MAX_TERMS 16

struct ts_index {
	sqlite3 *db;
	sqlite3_stmt *search, *count;
	json_t *doc, *page;
	json_t *measures; /* measure ID -> its object in doc (borrowed) */
	mus_env *env;
	char *etag, *version;
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

static const char *search_sql =
    "SELECT m.id, m.text, m.url, m.category_id, m.category_title, m.id,"
    " snippet(fts, -1, char(1), char(2), '…', 14)" WHERE
    " ORDER BY bm25(fts, 10.0, 5.0, 2.0, 1.5, 0.5), m.rowid"
    " LIMIT ?5 OFFSET ?6";
static const char *count_sql = "SELECT count(*)" WHERE;

static char *meta(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
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
	if (sqlite3_prepare_v2(ix->db, "SELECT name, source FROM templates", -1,
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
	fmt = meta(ix->db, "format");
	tom = meta(ix->db, "tom");
	page = meta(ix->db, "page");
	ix->etag = meta(ix->db, "etag");
	ix->version = meta(ix->db, "version");
	if (!fmt || strcmp(fmt, "3") || !tom || !page || !ix->etag ||
	    !ix->version) {
		tc_buf_printf(err, "%s is not a tc search index (format 3)",
			      path);
		goto fail;
	}
	ix->doc = json_loads(tom, 0, NULL);
	ix->measures = json_object();
	size_t i, j;
	json_t *c, *me;
	json_array_foreach (json_object_get(ix->doc, "categories"), i, c)
		json_array_foreach (json_object_get(c, "measures"), j, me)
			json_object_set(
			    ix->measures,
			    json_string_value(json_object_get(me, "id")), me);
	ix->page = json_loads(page, 0, NULL);
	if (!ix->doc || !ix->page || load_templates(ix) < 0 ||
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
	mus_env_free(ix->env);
	free(ix->etag);
	free(ix->version);
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
mus_env *ts_index_templates(const ts_index *ix)
{
	return ix->env;
}
const char *ts_index_etag(const ts_index *ix)
{
	return ix->etag;
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
	const char *col[7];
	for (int i = 0; i < 7; i++)
		col[i] = (const char *)sqlite3_column_text(st, i);
	json_t *me = json_object_get(ix->measures, col[0]);
	json_t *cells = tc_tom_cells(ix->doc, json_object_get(me, "cells"),
				     p->v[P_PRODUCT], p->v[P_STATUS]);
	tc_buf snip = TC_BUF_INIT;
	ts_snippet_html(&snip, col[6] ? col[6] : "");
	json_t *r = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o}", "id",
			      col[0], "text", col[1], "url", col[2], "category",
			      "id", col[3], "title", col[4], "snippet",
			      tc_buf_cstr(&snip), "cells", cells);
	tc_buf_free(&snip);
	return r;
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
	return json_pack("{s:s, s:I, s:I, s:I, s:o, s:s, s:o}", "query",
			 p->v[P_Q], "total", total, "limit",
			 (json_int_t)p->limit, "offset", (json_int_t)p->offset,
			 "filter", filter, "version", ix->version, "results",
			 results);
}
