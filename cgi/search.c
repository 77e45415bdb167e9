#include "search.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/changes.h"
#include "../lib/escape.h"
#include "../lib/ftstok.h"
#include "../lib/indexfmt.h"
#include "../lib/jsoncheck.h"
#include "../lib/sha256.h"
#include "../lib/text.h"
#include "../lib/tomdata.h"

#define MAX_TERMS 16

struct ts_index {
	sqlite3 *db;
	/* prepared once per process, reset after each use */
	sqlite3_stmt *ranked, *ids, *texts, *text1, *cells, *stored;
	sqlite3_stmt *measures;
	sqlite3_stmt *probe;
	sqlite3_stmt *eranked, *ecount; /* the entries' */
	/* the filters table (lib/indexfmt.h), measure rowid r at r - 1: a
	 * match is filtered, and put after those that apply, from these */
	size_t nmeasures;
	int *fcat;            /* the category's ordinal */
	uint64_t *fcells;     /* a bit per (status, resp) of its cells */
	uint64_t *fevery;     /* the same of its site and organisation cells */
	unsigned char *fprod; /* nproducts * TC_IX_PRODUCT_BYTES each */
	/* each measure's length as bm25 counts it (lib/ftstok.h's
	 * tc_length), read once: tc_rank then reads no docsize per match */
	int *flen;
	tc_rank_lengths lengths;
	/* the entries' table's: no row lengths, bm25's counts kept */
	tc_rank_lengths elengths;
	/* the ranked pass's instances, for the page's snippets */
	tc_ftsinsts *kept;
	/* whether measure r's stored result is JSON, at r - 1: 0 not yet
	 * looked at, 1 it is, 2 it is not (stored_checked) */
	unsigned char *checked;
	/* what a filtered page needs of measure r's cells, at r - 1: read
	 * when a page first shows it (cell_maps_read), then kept */
	struct cell_map *cellmaps;
	const char **products; /* the catalog's, in order (borrowed) */
	size_t nproducts;
	json_t *kinds;   /* scope id -> its kind: the product rule */
	json_t *scopeno; /* scope id -> its place in the catalog's scopes */
	char *every;     /* the site and organisation scopes, ",a,b," */
	/* the file as it was verified: our own descriptor of it (inherited
	 * by the workers) and what fstat said then; a file changed in place
	 * (truncated, rewritten) is broken, whatever its pages say */
	int fd;
	struct stat st;
	char *build; /* one ID for every language of one tc-gen run */
	/* the first error SQLite gave reading the file after it was opened:
	 * from then on this process does not serve it (ts_index_broken) */
	int fault;
	char *fault_msg;
	json_t *catalog; /* the data set without its measures */
	/* the data set, read from the stored export "json" (lib/model.h
	 * tc_model_read) when first needed (ts_index_load_model), once:
	 * /api/export's JSON, CSV and workbooks and the annexes are written
	 * over it. model_why: why it did not read ("its data set is not
	 * there"), said to every request that needs it; path: the file,
	 * for the log */
	tc_model *model;
	char *model_why, *path;
	json_t *page_ctx;
	/* the page context as a view (borrowing page_ctx's strings), made
	 * once: each HTML answer renders over it */
	tc_arena *page_arena;
	const tc_val *page_val;
	tc_changeset *changes; /* api/changes.json, read at open */
	mus_env *env;
	char *etag, *version;
	char *tom_sha256; /* of api/tom.json as published: XLSX covers */
	char **terms;     /* the vocabulary, sorted: suggestions come from it */
	long *docs;       /* how many measures use each term */
	char **words;     /* each term as the content writes it */
	size_t nterms;
	tc_ftsdict *dict; /* compounds split into its words (lib/ftstok.h) */
	/* the entries' terms: a search that cannot find an entry asks FTS5
	 * nothing of them (NULL: every search asks) */
	tc_ftsvocab *evocab;
	/* its language: code, URL prefix and words (from the index) */
	char *code, *prefix;
	tc_msgs *msgs;
	tc_lang lang;
	int stemmed; /* its tokenizer stems (lib/indexfmt.h) */
	/* the default language's index only: the other languages' */
	struct ts_index **others;
	size_t nothers;
	struct ts_index *root; /* the default language's (itself for it) */
};

static char *meta(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, TC_IX_SELECT_META, -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = tc_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* SQLite's message about db, escaped: it can quote the file (a schema's
 * table name in "malformed database schema (...)"), and a damaged file's
 * bytes must not become a line of the log or text jansson refuses. */
static void put_errmsg(tc_buf *out, sqlite3 *db)
{
	const char *m = sqlite3_errmsg(db);
	tc_esc_log(out, m, strlen(m));
}

/* Records the first error met reading the index; returns rc. */
static int fault(ts_index *ix, int rc, const char *msg)
{
	if (!ix->fault) {
		tc_buf b = TC_BUF_INIT;
		if (msg)
			tc_buf_puts(&b, msg);
		else
			put_errmsg(&b, ix->db);
		ix->fault = rc;
		ix->fault_msg = tc_buf_detach(&b);
	}
	return rc;
}

/* sqlite3_step, an error recorded as the index's fault. */
static int step(ts_index *ix, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fault(ix, rc, NULL);
	return rc;
}

static int load_templates(ts_index *ix)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, TC_IX_SELECT_TEMPLATES, -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	ix->env = mus_env_new(NULL, NULL);
	int rc = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *src = (const char *)sqlite3_column_text(st, 1);
		if (!name || !src ||
		    !mus_env_parse(ix->env, name, name, src, NULL))
			rc = -1;
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? rc : -1;
}

static int load_vocab(ts_index *ix)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, TC_IX_SELECT_VOCAB " ORDER BY term", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(st, 0);
		if (!term)
			continue;
		const char *word = (const char *)sqlite3_column_text(st, 2);
		if (ix->nterms == cap) {
			cap = cap ? cap * 2 : 256;
			ix->terms =
			    tc_xrealloc(ix->terms, cap * sizeof *ix->terms);
			ix->docs =
			    tc_xrealloc(ix->docs, cap * sizeof *ix->docs);
			ix->words =
			    tc_xrealloc(ix->words, cap * sizeof *ix->words);
		}
		ix->words[ix->nterms] = tc_xstrdup(word ? word : term);
		ix->terms[ix->nterms] = tc_xstrdup(term);
		ix->docs[ix->nterms++] = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}

/* The words a query's compounds are split against (TC_IX_SELECT_DICT),
 * at most TC_FTSTOK_DICT_MAX. */
static int load_dict(ts_index *ix)
{
	sqlite3_stmt *st;
	ix->dict = tc_ftsdict_new();
	if (!ix->dict || sqlite3_prepare_v2(ix->db, TC_IX_SELECT_DICT, -1, &st,
					    NULL) != SQLITE_OK)
		return -1;
	int r, rc = 0;
	while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		rc = t ? tc_ftsdict_add(ix->dict, t, strlen(t)) : -1;
	}
	sqlite3_finalize(st);
	tc_ftsdict_seal(ix->dict);
	return rc == 0 && r == SQLITE_DONE ? 0 : -1;
}

/* The filters table whole (lib/indexfmt.h): one row per measure, rowids
 * 1..n, a category of the catalog's, each product's bytes. -1 when it is
 * not so. Also the scopes' kinds, for the product rule (lib/tomdata.h). */
static void load_lengths(ts_index *ix);
static int load_filters(ts_index *ix)
{
	json_t *scopes = json_object_get(ix->catalog, "scopes"), *sc;
	size_t i,
	    ncats = json_array_size(json_object_get(ix->catalog, "categories"));
	ix->products =
	    tc_xcalloc(json_array_size(scopes) + 1, sizeof *ix->products);
	ix->kinds = tc_tom_kinds(ix->catalog);
	ix->scopeno = json_object();
	tc_buf every = TC_BUF_INIT;
	tc_buf_putc(&every, ',');
	json_array_foreach (scopes, i, sc) {
		const char *kind =
		    json_string_value(json_object_get(sc, "kind"));
		const char *id = json_string_value(json_object_get(sc, "id"));
		if (id)
			json_object_set_new(ix->scopeno, id,
					    json_integer((json_int_t)i));
		if (kind && id && !strcmp(kind, "product"))
			ix->products[ix->nproducts++] = id;
		if (id && tc_tom_role(ix->kinds, id, NULL) == CR_EVERY)
			tc_buf_printf(&every, "%s,", id);
	}
	ix->every = tc_buf_detach(&every);
	size_t per = ix->nproducts * TC_IX_PRODUCT_BYTES, cap = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, TC_IX_SELECT_FILTERS, -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	int r, rc = 0;
	while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		size_t n = ix->nmeasures;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			ix->fcat =
			    tc_xrealloc(ix->fcat, cap * sizeof *ix->fcat);
			ix->fcells =
			    tc_xrealloc(ix->fcells, cap * sizeof *ix->fcells);
			ix->fevery =
			    tc_xrealloc(ix->fevery, cap * sizeof *ix->fevery);
			ix->fprod =
			    tc_xrealloc(ix->fprod, cap * (per ? per : 1));
		}
		sqlite3_int64 cat = sqlite3_column_int64(st, 1);
		const void *b = sqlite3_column_blob(st, 5);
		if (sqlite3_column_int64(st, 0) != (sqlite3_int64)n + 1 ||
		    cat < 0 || (size_t)cat >= ncats ||
		    (size_t)sqlite3_column_bytes(st, 5) != per || (per && !b)) {
			rc = -1;
			break;
		}
		ix->fcat[n] = (int)cat;
		ix->fcells[n] = (uint64_t)sqlite3_column_int64(st, 3);
		ix->fevery[n] = (uint64_t)sqlite3_column_int64(st, 4);
		if (per)
			memcpy(ix->fprod + n * per, b, per);
		ix->nmeasures++;
	}
	sqlite3_finalize(st);
	if (rc || r != SQLITE_DONE)
		return -1;
	load_lengths(ix);
	return 0;
}

/* Each measure's row length (lib/ftstok.h's tc_ftstok_lengths) into
 * ix->flen, -1 where it does not read, so that tc_rank counts it as FTS5
 * would without reading it per match. A row left at -1 is read by tc_rank
 * itself: the answers are the same either way. */
static void load_lengths(ts_index *ix)
{
	size_t n = ix->nmeasures;
	ix->flen = tc_xcalloc(n ? n : 1, sizeof *ix->flen);
	tc_ftstok_lengths(ix->db, "fts", ix->flen, (sqlite3_int64)n);
	sqlite3_db_release_memory(ix->db); /* as after the checks */
	ix->lengths = (tc_rank_lengths){
	    ix->flen, (sqlite3_int64)n, NULL, NULL, NULL, NULL, 0};
}

/* The page's rows: their column texts, for their snippets (lib/ftstok.h's
 * tc_ftstok_snippet, the snippet lib/indexfmt.h describes), and their
 * results up to the snippets and their cells' members, for the whole page
 * by one statement (tc_page(:rows), in page order; one row per place: a
 * row without texts has f.id NULL and no snippet, one without a measure
 * m.head NULL, a damaged index). The texts are FTS5's content table (id,
 * then c0, c1, ...: what FTS5's xColumnText reads), instead of a second
 * MATCH of the page's rows; only the columns a measure's match can be in
 * (TC_IX_COLS: the ranked pass's column filter, the first
 * TC_FTSTOK_RANK_COLS), not the notes of every product: a row's result
 * columns are all read as it is stepped. The texts and the heads were two
 * statements: one is 0.986 of a JSON answer's instructions at S. */
#define SELECT_PAGE_OF(texts)                                                  \
	"SELECT p.place, " texts ", m.head, m.cells, f.id"                     \
	" FROM tc_page(:rows) AS p"                                            \
	" LEFT JOIN fts_content AS f ON f.id = p.r"                            \
	" LEFT JOIN measures AS m ON m.rowid = p.r ORDER BY p.place"
#define SELECT_PAGE SELECT_PAGE_OF("f.c0, f.c1, f.c2, f.c3, f.c4, f.c5")
/* Under a product filter the snippet is the measure's own text (column
 * 1) alone: the other columns are not read (at bench M a row's notes are
 * kilobytes, in overflow pages SQLite walks to reach the columns after
 * them). */
#define SELECT_PAGE_TEXT SELECT_PAGE_OF("NULL, f.c1, NULL, NULL, NULL, NULL")
#define TEXTS_FIRST 1   /* the column of c0 */
#define PAGE_HEAD 7     /* m.head, then m.cells */
#define PAGE_TEXTS_ID 9 /* NULL: the row has no texts */
_Static_assert(TC_FTSTOK_RANK_COLS == 6, "SELECT_PAGE has TC_IX_COLS");

/* Column c's text of SELECT_PAGE's row (lib/ftstok.h's
 * tc_ftstok_text): NULL for a column it has not. */
static void row_text(void *ctx, int c, const char **s, int *n)
{
	sqlite3_stmt *st = ctx;
	if (c < 0 || c >= TC_FTSTOK_RANK_COLS)
		return;
	*s = (const char *)sqlite3_column_text(st, TEXTS_FIRST + c);
	*n = sqlite3_column_bytes(st, TEXTS_FIRST + c);
}

/* The tokenize= option of the entries' table as its schema gives it to
 * FTS5 (the value between its quotes), when it says so once: into out
 * (n bytes), or -1. */
static int efts_tokenize(sqlite3 *db, char *out, size_t n)
{
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(db,
			       "SELECT sql FROM sqlite_schema WHERE name = "
			       "'efts' AND type = 'table'",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	const char *sql = sqlite3_step(st) == SQLITE_ROW
			      ? (const char *)sqlite3_column_text(st, 0)
			      : NULL;
	const char *at = sql ? strstr(sql, "tokenize='") : NULL;
	if (at && strstr(sql, "tokenize") == at &&
	    !strstr(at + 1, "tokenize")) {
		at += strlen("tokenize='");
		size_t k = strcspn(at, "'");
		if (at[k] == '\'' && at[k + 1] != '\'' && k + 3 <= n) {
			snprintf(out, n, "'%.*s'", (int)k, at);
			rc = 0;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The entries' vocabulary (lib/ftstok.h's tc_ftsvocab), made with the
 * entries' tokenizer when the index's meta and the table's schema name
 * the same one (a vocabulary read with another tokenizer than FTS5's
 * would skip entries that match); without it every search asks the
 * entries. */
static void load_evocab(ts_index *ix)
{
	char *tok = meta(ix->db, TC_IX_TOKENIZE), schema[256];
	if (tok && efts_tokenize(ix->db, schema, sizeof schema) == 0 &&
	    !strcmp(tok, schema))
		ix->evocab = tc_ftsvocab_new(ix->db, "efts", tok);
	free(tok);
}

static int prepare_all(ts_index *ix)
{
	static const struct {
		const char *sql;
		size_t off;
	} stmts[] = {
	    {TC_IX_SELECT_RANKED, offsetof(ts_index, ranked)},
	    {TC_IX_SELECT_IDS, offsetof(ts_index, ids)},
	    {SELECT_PAGE, offsetof(ts_index, texts)},
	    {SELECT_PAGE_TEXT, offsetof(ts_index, text1)},
	    {TC_IX_SELECT_CELLS, offsetof(ts_index, cells)},
	    {TC_IX_SELECT_EXPORT, offsetof(ts_index, stored)},
	    {TC_IX_SELECT_EXPORT_MEASURES, offsetof(ts_index, measures)},
	    {TC_IX_SELECT_META, offsetof(ts_index, probe)},
	    {TC_IX_SELECT_ENTRIES_RANKED, offsetof(ts_index, eranked)},
	    {TC_IX_SELECT_ENTRIES_COUNT, offsetof(ts_index, ecount)},
	};
	for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++) {
		sqlite3_stmt **st =
		    (sqlite3_stmt **)((char *)ix + stmts[i].off);
		if (sqlite3_prepare_v3(ix->db, stmts[i].sql, -1,
				       SQLITE_PREPARE_PERSISTENT, st,
				       NULL) != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* The index's language and its words; the default language's prefix is
 * "", every other's "/<code>" (lib/routes.h). */
static int load_lang(ts_index *ix)
{
	ix->code = meta(ix->db, TC_IX_LANG);
	char *tok = meta(ix->db, TC_IX_TOKENIZE);
	char *msgs = meta(ix->db, TC_IX_MSGS);
	json_t *m = msgs ? json_loads(msgs, 0, NULL) : NULL;
	ix->msgs = m ? tc_msgs_from_json(m) : NULL;
	ix->stemmed = tc_ix_stemmed(tok);
	json_decref(m);
	free(msgs);
	free(tok);
	if (!ix->code || !ix->msgs)
		return -1;
	ix->prefix = tc_xstrdup("");
	ix->lang = (tc_lang){ix->code, ix->prefix, ix->msgs, NULL};
	return 0;
}

/* What a worker keeps: the catalog, the page context, the changes, the
 * templates and the vocabulary, a few hundred kilobytes whatever the
 * number of cells; everything else is read per request. */
static int load(ts_index *ix)
{
	char *cat = meta(ix->db, TC_IX_CATALOG);
	char *page = meta(ix->db, TC_IX_PAGE);
	char *changes = meta(ix->db, TC_IX_CHANGES);
	ix->catalog = cat ? json_loads(cat, 0, NULL) : NULL;
	ix->page_ctx = page ? json_loads(page, 0, NULL) : NULL;
	json_t *cj = changes ? json_loads(changes, 0, NULL) : NULL;
	tc_buf cerr = TC_BUF_INIT;
	ix->changes = cj ? tc_changeset_from_json(cj, &cerr) : NULL;
	tc_buf_free(&cerr);
	json_decref(cj);
	free(cat);
	free(page);
	free(changes);
	ix->etag = meta(ix->db, TC_IX_ETAG);
	ix->version = meta(ix->db, TC_IX_VERSION);
	ix->tom_sha256 = meta(ix->db, TC_IX_TOM_SHA256);
	ix->build = meta(ix->db, TC_IX_BUILD);
	if (ix->page_ctx) {
		ix->page_arena = tc_arena_new(0);
		ix->page_val = tc_val_from_json(ix->page_arena, ix->page_ctx);
	}
	return ix->catalog && ix->page_val && ix->changes && ix->etag &&
		       ix->version && ix->tom_sha256 && ix->build &&
		       load_lang(ix) == 0
		   ? 0
		   : -2;
}

/* The data set, from the stored export of the whole set ("json", what
 * api/tom.json is in the index's language), read and checked once: an
 * export writes its answers over it. A data set that does not read, or
 * that has not the measures of the index's rows (one per row, in order),
 * is a damaged index; why it is stays in model_why, and it is not read
 * again. */
static int load_model(ts_index *ix, tc_buf *err)
{
	if (ix->model)
		return 0;
	if (!ix->model_why) {
		tc_buf body = TC_BUF_INIT, at = TC_BUF_INIT, why = TC_BUF_INIT;
		json_error_t je;
		json_t *doc = NULL;
		if (ts_export_stored(ix, "json", NULL, &body) < 0)
			tc_buf_puts(&why, "is not there");
		else if (!(doc = json_loadb(body.data ? body.data : "",
					    body.len, 0, &je)))
			tc_buf_printf(&why, "is not JSON (%s)", je.text);
		else if ((ix->model = tc_model_read(
			      doc, TC_READ_EXPORT, &ix->lang, "", &at, &why))) {
			size_t n = 0;
			for (size_t i = 0; i < ix->model->ncategories; i++)
				n += ix->model->categories[i].nmeasures;
			if (n != ix->nmeasures)
				tc_buf_printf(&why,
					      "has %zu measures, the index %zu "
					      "rows",
					      n, ix->nmeasures);
		}
		json_decref(doc);
		tc_buf_free(&body);
		if (why.len) {
			tc_model_free(ix->model);
			ix->model = NULL;
			tc_buf msg = TC_BUF_INIT;
			tc_buf_printf(&msg, "its data set%s%s %s",
				      at.len ? " at " : "", tc_buf_cstr(&at),
				      tc_buf_cstr(&why));
			ix->model_why = tc_buf_detach(&msg);
		}
		tc_buf_free(&at);
		tc_buf_free(&why);
	}
	if (ix->model)
		return 0;
	tc_buf_printf(err, "index %s is damaged: %s", ix->path, ix->model_why);
	return -1;
}

/* Before anything of it is believed: the format, then SQLite's
 * integrity_check (every b-tree, index and NOT NULL), then the digest
 * tc-gen stored over every row (lib/indexfmt.h), which catches what
 * integrity_check cannot see: bytes changed inside a value. FTS5's own
 * integrity-check ran in tc-gen before the digest was made (it needs a
 * connection that may write). At the benchmark's L size (171 MB, 200,000
 * cells) this costs about half a second, in the master, once per open.
 * Returns 0, or -1 with err set. */
static int verify(ts_index *ix, const char *path, int whole, tc_buf *err)
{
	/* no meta table: not an index; a meta table that cannot be read
	 * (a file cut short): a damaged one */
	sqlite3_stmt *st;
	char *fmt = NULL;
	int rc = sqlite3_prepare_v2(ix->db, TC_IX_SELECT_META, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, TC_IX_FORMAT, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		const char *v = (const char *)sqlite3_column_text(st, 0);
		fmt = rc == SQLITE_ROW && v ? tc_xstrdup(v) : NULL;
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE && rc != SQLITE_ERROR &&
	    rc != SQLITE_NOTADB) {
		tc_buf_printf(err, "index %s is damaged: %s", path,
			      sqlite3_errstr(rc));
		return -1;
	}
	if (!fmt || strcmp(fmt, TC_INDEX_FORMAT)) {
		tc_buf_printf(err, "%s is not a tc search index of format %s",
			      path, TC_INDEX_FORMAT);
		if (fmt && tc_utf8_valid(fmt, strlen(fmt)) && strlen(fmt) < 16)
			tc_buf_printf(err,
				      " (it has format %s: rebuild it "
				      "with this version's tc-gen)",
				      fmt);
		free(fmt);
		return -1;
	}
	free(fmt);
	if (!whole)
		return 0;
	const char *problem = NULL;
	rc = sqlite3_prepare_v2(ix->db, "PRAGMA integrity_check(1)", -1, &st,
				NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (rc == SQLITE_ROW && v && strcmp(v, "ok")) {
			tc_buf_printf(err, "index %s is damaged: ", path);
			tc_esc_log(err, v, strlen(v));
			problem = "";
		}
		rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
		sqlite3_finalize(st);
	}
	char want[65] = "", got[65];
	char *stored = problem ? NULL : meta(ix->db, TC_IX_DIGEST);
	if (stored && strlen(stored) == 64)
		memcpy(want, stored, sizeof want);
	free(stored);
	if (!problem && rc == SQLITE_OK)
		rc = tc_ix_digest(ix->db, got);
	if (!problem && rc != SQLITE_OK) {
		tc_buf_printf(err, "index %s is damaged: ", path);
		put_errmsg(err, ix->db);
	} else if (!problem && strcmp(want, got))
		tc_buf_printf(err,
			      "index %s is damaged: what it stores does not "
			      "match its digest",
			      path);
	else if (!problem)
		return 0;
	return -1;
}

static ts_index *open_one(const char *path, int whole, tc_buf *err);

/* A page's rowids (tc_page(:rows), below). */
typedef struct page_set {
	const sqlite3_int64 *row;
	size_t n;
} page_set;

/* A cell of a measure as a filtered page chooses among them (the cells
 * table, lib/indexfmt.h): its ord, its scope's place in the catalog's
 * scopes (ix->scopeno; -1: none of them) and kind (-1: none of ours), its
 * status and responsibility (-1: none of ours). */
typedef struct cell_of {
	int scope;
	unsigned char ord;
	signed char kind, status, resp;
} cell_of;

/* What a page under a product, status or responsibility filter needs of
 * a measure's cells: their rows in the cells table, and where each of its
 * stored cells' members ends. Both were read and cut again for every
 * filtered answer (at M, 30 cells a measure, most of its work:
 * bench/notes.md); the index never changes, so they are read the first
 * time a page shows the measure and kept, as stored_checked keeps what it
 * found. */
typedef struct cell_map {
	cell_of *cell;
	size_t n, cap;
	int read; /* cell[0..n) are its rows of the cells table */
	/* its members (the stored cells, bytes of them): member k is
	 * [k ? end[k - 1] + 1 : 0, end[k]); cut: 0 not yet, 1 cut, 2 they
	 * are not members */
	size_t *end, members, bytes;
	int cut;
} cell_map;

static void cell_maps_free(ts_index *ix)
{
	if (!ix->cellmaps)
		return;
	for (size_t i = 0; i < ix->nmeasures; i++) {
		free(ix->cellmaps[i].cell);
		free(ix->cellmaps[i].end);
	}
	free(ix->cellmaps);
}

/* The table tc_page(:rows) (SELECT_PAGE, lib/indexfmt.h's
 * TC_IX_SELECT_CELLS): a page's rowids in page order (bound with
 * sqlite3_bind_pointer, type PAGE_ROWS), one row each, its place on the
 * page (0, 1, ...) and its rowid, in order of place (an ORDER BY place
 * costs no sort). */
#define PAGE_ROWS "tc_page_rows"
typedef struct page_cursor {
	sqlite3_vtab_cursor base;
	const page_set *s; /* s->row in page order */
	size_t at;
} page_cursor;
enum { PR_PLACE, PR_ROWID, PR_ROWS };

static int pr_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **vt, char **err)
{
	(void)aux, (void)argc, (void)argv, (void)err;
	int rc = sqlite3_declare_vtab(
	    db, "CREATE TABLE x(place INTEGER, r INTEGER, rows HIDDEN)");
	if (rc != SQLITE_OK)
		return rc;
	*vt = sqlite3_malloc(sizeof **vt);
	if (!*vt)
		return SQLITE_NOMEM;
	memset(*vt, 0, sizeof **vt);
	return SQLITE_OK;
}

static int pr_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* Only with :rows given (rows = ?): else no plan, and the statement is
 * not prepared. */
static int pr_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	int rows = -1;
	for (int i = 0; i < info->nConstraint; i++)
		if (info->aConstraint[i].usable &&
		    info->aConstraint[i].iColumn == PR_ROWS &&
		    info->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ)
			rows = i;
	if (rows < 0)
		return SQLITE_CONSTRAINT;
	info->aConstraintUsage[rows].argvIndex = 1;
	info->aConstraintUsage[rows].omit = 1;
	info->estimatedCost = 1;
	info->estimatedRows = TS_LIMIT_MAX;
	info->orderByConsumed = info->nOrderBy == 1 &&
				info->aOrderBy[0].iColumn == PR_PLACE &&
				!info->aOrderBy[0].desc;
	return SQLITE_OK;
}

static int pr_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **cur)
{
	(void)vt;
	page_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*cur = &c->base;
	return SQLITE_OK;
}

static int pr_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int pr_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs,
		     int argc, sqlite3_value **argv)
{
	(void)idx, (void)idxs;
	page_cursor *c = (page_cursor *)cur;
	c->s = argc == 1 ? sqlite3_value_pointer(argv[0], PAGE_ROWS) : NULL;
	c->at = 0;
	return SQLITE_OK;
}

static int pr_next(sqlite3_vtab_cursor *cur)
{
	((page_cursor *)cur)->at++;
	return SQLITE_OK;
}

static int pr_eof(sqlite3_vtab_cursor *cur)
{
	const page_cursor *c = (const page_cursor *)cur;
	return !c->s || c->at >= c->s->n;
}

static int pr_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
	const page_cursor *c = (const page_cursor *)cur;
	if (i == PR_PLACE)
		sqlite3_result_int64(ctx, (sqlite3_int64)c->at);
	else if (i == PR_ROWID)
		sqlite3_result_int64(ctx, c->s->row[c->at]);
	return SQLITE_OK;
}

static int pr_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r)
{
	*r = (sqlite3_int64)((const page_cursor *)cur)->at;
	return SQLITE_OK;
}

/* eponymous only: no xCreate */
static const sqlite3_module page_rows_module = {
    .xConnect = pr_connect,
    .xBestIndex = pr_best_index,
    .xDisconnect = pr_disconnect,
    .xOpen = pr_open,
    .xClose = pr_close,
    .xFilter = pr_filter,
    .xNext = pr_next,
    .xEof = pr_eof,
    .xColumn = pr_column,
    .xRowid = pr_rowid,
};

static int open_others(ts_index *ix, const char *path, int whole, tc_buf *err)
{
	char *list = meta(ix->db, TC_IX_LANGUAGES);
	json_t *codes = list ? json_loads(list, 0, NULL) : json_array();
	free(list);
	size_t i;
	json_t *c;
	int rc = json_is_array(codes) ? 0 : -1;
	ix->others = tc_xcalloc(json_array_size(codes) + 1, sizeof *ix->others);
	json_array_foreach (codes, i, c) {
		const char *code = json_string_value(c);
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s.%s", path, code ? code : "");
		ts_index *o =
		    code ? open_one(tc_buf_cstr(&p), whole, err) : NULL;
		if (!o || strcmp(o->code, code)) {
			ts_index_close(o);
			tc_buf_free(&p);
			rc = -1;
			break;
		}
		free(o->prefix);
		o->prefix = tc_xmalloc(strlen(code) + 2);
		sprintf(o->prefix, "/%s", code);
		/* its data set's URLs have its prefix (load_model) */
		o->lang.prefix = o->prefix;
		tc_buf_free(&p);
		o->root = ix;
		ix->others[ix->nothers++] = o;
	}
	json_decref(codes);
	return rc;
}

/* whole: verify every byte (integrity_check and the digest), else only
 * the format and the build. */
static ts_index *open_set(const char *path, int whole, tc_buf *err)
{
	ts_index *ix = open_one(path, whole, err);
	if (ix)
		ix->root = ix;
	if (ix && open_others(ix, path, whole, err) < 0) {
		if (!err->len)
			tc_buf_printf(err,
				      "index %s names languages it has "
				      "no index for",
				      path);
		ts_index_close(ix);
		return NULL;
	}
	/* one deploy: tc-gen stamps every language's index of a run with
	 * the same build; English of one run beside German of another would
	 * answer two versions of the TOMs */
	for (size_t i = 0; ix && i < ix->nothers; i++) {
		ts_index *o = ix->others[i];
		if (strcmp(o->build, ix->build)) {
			tc_buf_printf(err,
				      "index %s.%s is from another tc-gen run "
				      "than %s (build %.12s, not %.12s; "
				      "version ",
				      path, o->code, path, o->build, ix->build);
			tc_esc_log(err, o->version, strlen(o->version));
			tc_buf_puts(err, ", not ");
			tc_esc_log(err, ix->version, strlen(ix->version));
			tc_buf_puts(err, "): deploy every language's index "
					 "of one run together");
			ts_index_close(ix);
			return NULL;
		}
	}
	/* the whole check (the server's master) reads every language's data
	 * set too: a damaged one refuses the index before it is served, and
	 * the workers and their workbook helpers, which cannot read the
	 * file, share it after fork */
	if (ix && whole && ts_index_load_all(ix, err) < 0) {
		ts_index_close(ix);
		return NULL;
	}
	return ix;
}

ts_index *ts_index_open(const char *path, tc_buf *err)
{
	return open_set(path, 1, err);
}

ts_index *ts_index_open_quick(const char *path, tc_buf *err)
{
	return open_set(path, 0, err);
}

ts_index *ts_index_lang(ts_index *ix, const char *code)
{
	if (!code || !strcmp(code, ix->code))
		return ix;
	for (size_t i = 0; i < ix->nothers; i++)
		if (!strcmp(ix->others[i]->code, code))
			return ix->others[i];
	return NULL;
}

size_t ts_index_count(const ts_index *ix)
{
	return ix->root->nothers + 1;
}

const ts_index *ts_index_nth(const ts_index *ix, size_t i)
{
	return i == 0 ? ix->root : ix->root->others[i - 1];
}

json_t *ts_index_codes(const ts_index *ix)
{
	json_t *a = json_array();
	json_array_append_new(a, json_string(ix->code));
	for (size_t i = 0; i < ix->nothers; i++)
		json_array_append_new(a, json_string(ix->others[i]->code));
	return a;
}

void ts_index_languages(const ts_index *ix, tc_buf *out)
{
	tc_buf_puts(out, ix->code);
	for (size_t i = 0; i < ix->nothers; i++)
		tc_buf_printf(out, ", %s", ix->others[i]->code);
}

const tc_lang *ts_index_language(const ts_index *ix)
{
	return &ix->lang;
}

int ts_index_governing(const ts_index *ix, tc_governing *g)
{
	json_t *gj =
	    json_object_get(json_object_get(ix->page_ctx, "site"), "governing");
	const char *code = json_string_value(json_object_get(gj, "code")),
		   *url = json_string_value(json_object_get(gj, "url")),
		   *sha = json_string_value(json_object_get(gj, "sha256"));
	for (size_t i = 0; code && url && sha && i < ts_index_count(ix); i++) {
		const ts_index *x = ts_index_nth(ix, i);
		if (!strcmp(x->lang.code, code)) {
			*g = (tc_governing){&x->lang, url, sha};
			return 0;
		}
	}
	return -1;
}

int ts_index_stemmed(const ts_index *ix)
{
	return ix->stemmed;
}

static ts_index *open_one(const char *path, int whole, tc_buf *err)
{
	ts_index *ix = tc_xcalloc(1, sizeof *ix);
	ix->path = tc_xstrdup(path);
	ix->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	const char *why = ix->fd < 0 || fstat(ix->fd, &ix->st) < 0
			      ? strerror(errno)
			  : !S_ISREG(ix->st.st_mode) ? "not a regular file"
						     : NULL;
	if (why) {
		tc_buf_printf(err, "cannot open index %s: %s", path, why);
		ts_index_close(ix);
		return NULL;
	}
	tc_buf uri = TC_BUF_INIT;
	tc_buf_puts(&uri, "file:");
	tc_esc_url_component(&uri, path, strlen(path));
	/* immutable: no file locks per query. Safe because a deploy renames
	 * a new index over the path and signals; the file a worker opened is
	 * never written again. */
	tc_buf_puts(&uri, "?mode=ro&immutable=1");
	/* SQLite's counts of its memory take a mutex per allocation, and a
	 * connection's mutex every call: a worker reads its connections
	 * from one thread and asks for no count (before SQLite starts; later
	 * a no-op) */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	int rc = sqlite3_open_v2(
	    tc_buf_cstr(&uri), &ix->db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	tc_buf_free(&uri);
	if (rc != SQLITE_OK) {
		tc_buf_printf(err, "cannot open index %s: ", path);
		put_errmsg(err, ix->db);
		ts_index_close(ix);
		return NULL;
	}
	/* Sorts never spill to a temporary file: workers serve under a
	 * sandbox that cannot open one. */
	sqlite3_exec(ix->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	tc_ftstok_register(ix->db);
	sqlite3_create_module(ix->db, "tc_page", &page_rows_module, NULL);
	struct stat now;
	int bad = verify(ix, path, whole, err) < 0;
	/* the pages the checks read are not what requests read: a worker
	 * must not start with (nor inherit) a cache full of them */
	sqlite3_db_release_memory(ix->db);
	if (bad)
		;
	else if (load(ix) < 0 || load_templates(ix) < 0 || load_vocab(ix) < 0 ||
		 load_dict(ix) < 0 || prepare_all(ix) < 0) {
		tc_buf_printf(err, "index %s is damaged: ", path);
		put_errmsg(err, ix->db);
	} else if (load_evocab(ix), load_filters(ix) < 0)
		tc_buf_printf(err,
			      "index %s is damaged: its filters are not "
			      "one per measure of its catalog",
			      path);
	/* SQLite opened the path itself: the same file as ours, unless
	 * it was replaced meanwhile */
	else if (stat(path, &now) < 0 || now.st_ino != ix->st.st_ino ||
		 now.st_dev != ix->st.st_dev)
		tc_buf_printf(err,
			      "index %s was replaced while it was opened: "
			      "signal again",
			      path);
	else
		return ix;
	ts_index_close(ix);
	return NULL;
}

void ts_index_close(ts_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->ranked);
	sqlite3_finalize(ix->ids);
	sqlite3_finalize(ix->texts);
	sqlite3_finalize(ix->text1);
	tc_ftsinsts_free(ix->kept);
	tc_ftsidf_free(ix->lengths.idf);
	tc_ftsidf_free(ix->elengths.idf);
	free(ix->checked);
	cell_maps_free(ix);
	sqlite3_finalize(ix->cells);
	sqlite3_finalize(ix->stored);
	sqlite3_finalize(ix->measures);
	sqlite3_finalize(ix->probe);
	sqlite3_finalize(ix->eranked);
	sqlite3_finalize(ix->ecount);
	tc_ftsvocab_free(ix->evocab);
	sqlite3_close(ix->db);
	if (ix->fd >= 0)
		close(ix->fd);
	free(ix->build);
	free(ix->fault_msg);
	for (size_t i = 0; i < ix->nothers; i++)
		ts_index_close(ix->others[i]);
	free(ix->others);
	free(ix->code);
	free(ix->prefix);
	tc_msgs_free(ix->msgs);
	json_decref(ix->catalog);
	tc_model_free(ix->model);
	free(ix->model_why);
	free(ix->path);
	tc_arena_free(ix->page_arena);
	json_decref(ix->page_ctx);
	tc_changeset_free(ix->changes);
	mus_env_free(ix->env);
	free(ix->etag);
	free(ix->version);
	free(ix->tom_sha256);
	for (size_t i = 0; i < ix->nterms; i++) {
		free(ix->terms[i]);
		free(ix->words[i]);
	}
	free(ix->terms);
	free(ix->words);
	free(ix->docs);
	free(ix->fcat);
	free(ix->fcells);
	free(ix->fevery);
	free(ix->flen);
	json_decref(ix->kinds);
	json_decref(ix->scopeno);
	free(ix->every);
	free(ix->fprod);
	free(ix->products);
	tc_ftsdict_free(ix->dict);
	free(ix);
}

json_t *ts_index_doc(const ts_index *ix)
{
	return ix->catalog;
}
json_t *ts_index_page(const ts_index *ix)
{
	return ix->page_ctx;
}
const tc_val *ts_index_page_val(const ts_index *ix)
{
	return ix->page_val;
}
const tc_changeset *ts_index_changes(const ts_index *ix)
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
const char *ts_index_build(const ts_index *ix)
{
	return ix->build;
}

int ts_index_broken(const ts_index *ix, tc_buf *why)
{
	struct stat now;
	if (ix->fault) {
		tc_buf_printf(why, "the '%s' index: %s", ix->code,
			      ix->fault_msg);
		return 1;
	}
	if (fstat(ix->fd, &now) < 0 || now.st_size != ix->st.st_size ||
	    now.st_mtim.tv_sec != ix->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != ix->st.st_mtim.tv_nsec) {
		tc_buf_printf(why,
			      "the '%s' index file was changed in place "
			      "after it was opened (a deploy writes a new "
			      "file and renames it over the old one)",
			      ix->code);
		return 1;
	}
	return 0;
}

int ts_index_check(ts_index *ix, tc_buf *why)
{
	for (size_t i = 0; i < ts_index_count(ix); i++) {
		ts_index *x = (ts_index *)ts_index_nth(ix, i);
		if (ts_index_broken(x, why))
			return -1;
		sqlite3_bind_text(x->probe, 1, TC_IX_ETAG, -1, SQLITE_STATIC);
		int rc = step(x, x->probe);
		const char *v =
		    rc == SQLITE_ROW
			? (const char *)sqlite3_column_text(x->probe, 0)
			: NULL;
		if (rc == SQLITE_ROW && (!v || strcmp(v, x->etag)))
			fault(x, SQLITE_CORRUPT,
			      "its meta row no longer reads as it did");
		sqlite3_reset(x->probe);
		if (ts_index_broken(x, why))
			return -1;
	}
	return 0;
}

static int searchable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static void quoted(tc_buf *m, const char *s, size_t n)
{
	tc_buf_putc(m, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			tc_buf_putc(m, '"');
		tc_buf_putc(m, s[i]);
	}
	tc_buf_putc(m, '"');
}

/* What a query is written into: the FTS5 expression, and (g, when not
 * NULL) for each phrase of it the letter of the word it stands for, which
 * tc_cover counts (lib/ftstok.h). */
typedef struct qb {
	tc_buf *m, *g;
	int gid;
	int stemmed;
	const tc_ftsdict *dict;
} qb;

static void q_quoted(qb *b, const char *s, size_t n)
{
	quoted(b->m, s, n);
	if (b->g)
		tc_buf_putc(b->g,
			    (char)('a' + (b->gid < TC_FTSTOK_MAX_GROUPS
					      ? b->gid
					      : TC_FTSTOK_MAX_GROUPS - 1)));
}

/* A bare word is a prefix ("encr" finds "encryption"). Under a stemming
 * tokenizer a prefix term matches words as written only, so the word is
 * also asked for stemmed: "verschlüsselt" finds "Verschlüsselung". */
static void put_term(qb *b, const char *s, size_t n, int prefix)
{
	if (prefix && b->stemmed) {
		q_quoted(b, s, n);
		tc_buf_puts(b->m, " OR ");
	}
	q_quoted(b, s, n);
	if (prefix)
		tc_buf_putc(b->m, '*');
}

/* A number names a part of what the word before it names: "SOC 2" is a
 * report, not a SOC (the synonym of incident response) somewhere and a 2
 * (TST-2) elsewhere; "ISO 27001" a standard. So a bare number right after
 * a bare word is asked for within QUERY_NEAR words of it (NEAR, prefixes
 * both, which under tc_stem match the words as written): "ISO 27001" finds
 * "ISO/IEC 27001:2022". A number is a digit, then digits and ".:/-". The
 * NEAR is checked by lib/ftstok.h's tc_near, not by FTS5 (bind_match). */
#define QUERY_NEAR 2

static int is_number(const char *s, size_t n)
{
	return n && isdigit((unsigned char)*s) &&
	       strspn(s, "0123456789.:/-") >= n;
}

/* "ISO27001", "SOC2": at least two ASCII letters, then only digits. The
 * length of the letters, or 0. */
static size_t letters_then_digits(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && isalpha((unsigned char)s[k]))
		k++;
	if (k < 2 || k == n)
		return 0;
	for (size_t i = k; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return k;
}

typedef struct qterm {
	const char *s;
	size_t n;
	int phrase;
} qterm;

static void put_near(qb *b, const qterm *t, size_t n)
{
	tc_buf_puts(b->m, "NEAR(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			tc_buf_putc(b->m, ' ');
		q_quoted(b, t[i].s, t[i].n);
		tc_buf_putc(b->m, '*');
	}
	tc_buf_printf(b->m, ", %d)", QUERY_NEAR);
}

/* The terms of q: "quoted words" and bare words, at most MAX_TERMS. */
static size_t parse_terms(const char *q, qterm *t)
{
	size_t terms = 0;
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
		if (searchable(start, n))
			t[terms++] = (qterm){start, n, phrase};
	}
	return terms;
}

/* Stop words: the words of a question that no measure is about ("is my
 * data encrypted", "Wer hat Zugriff auf meinen Server"). A bare word that
 * is one is left out of the search, unless every word is one; quoted
 * words are searched as written. Compared in lower case (ASCII). */
static const char *const stop_en[] = {
    "a",     "about", "after",  "all",   "am",    "an",     "and",   "any",
    "are",   "as",    "at",     "be",    "been",  "before", "by",    "can",
    "could", "did",   "do",     "does",  "doing", "for",    "from",  "had",
    "has",   "have",  "how",    "i",     "if",    "in",     "into",  "is",
    "it",    "its",   "me",     "mine",  "my",    "of",     "on",    "or",
    "our",   "ours",  "should", "so",    "than",  "that",   "the",   "their",
    "them",  "then",  "there",  "these", "they",  "this",   "those", "to",
    "us",    "was",   "we",     "were",  "what",  "when",   "where", "which",
    "while", "who",   "whom",   "whose", "why",   "will",   "with",  "would",
    "you",   "your",  "yours"};
static const char *const stop_de[] = {"ab",
				      "alle",
				      "als",
				      "am",
				      "an",
				      "auch",
				      "auf",
				      "aus",
				      "bei",
				      "bin",
				      "bis",
				      "das",
				      "dass",
				      "dem",
				      "den",
				      "der",
				      "des",
				      "die",
				      "dies",
				      "diese",
				      "du",
				      "durch",
				      "ein",
				      "eine",
				      "einem",
				      "einen",
				      "einer",
				      "eines",
				      "er",
				      "es",
				      "euer",
				      "eure",
				      "f\xc3\xbcr",
				      "gegen",
				      "hat",
				      "haben",
				      "ich",
				      "ihr",
				      "ihre",
				      "ihrem",
				      "ihren",
				      "ihrer",
				      "im",
				      "in",
				      "ist",
				      "ja",
				      "kann",
				      "mein",
				      "meine",
				      "meinem",
				      "meinen",
				      "meiner",
				      "meines",
				      "mich",
				      "mir",
				      "mit",
				      "nach",
				      "nicht",
				      "ob",
				      "oder",
				      "sein",
				      "seine",
				      "sich",
				      "sie",
				      "sind",
				      "so",
				      "uns",
				      "unser",
				      "unsere",
				      "und",
				      "vom",
				      "von",
				      "vor",
				      "wann",
				      "warum",
				      "was",
				      "welche",
				      "welcher",
				      "wenn",
				      "wer",
				      "werden",
				      "wie",
				      "wir",
				      "wird",
				      "wo",
				      "wurde",
				      "zu",
				      "zum",
				      "zur",
				      "\xc3\xbc"
				      "ber",
				      "\xc3\x9c"
				      "ber"};

static int is_stop(const ts_index *ix, const qterm *t)
{
	char w[16];
	if (t->phrase || t->n >= sizeof w)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		w[i] = (char)tolower((unsigned char)t->s[i]);
	w[t->n] = '\0';
	int de = !strcmp(ix->code, "de");
	const char *const *list = de ? stop_de : stop_en;
	size_t n = de ? sizeof stop_de / sizeof *stop_de
		      : sizeof stop_en / sizeof *stop_en;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], w))
			return 1;
	return 0;
}

/* t without its stop words, unless that leaves nothing. */
static size_t drop_stop(const ts_index *ix, qterm *t, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!is_stop(ix, &t[i]))
			t[k++] = t[i];
	return k ? k : n;
}

/* The parts of the bare word s[0..n) that is a compound of the index's
 * words (lib/ftstok.h): 0, or the number of parts, each folded into
 * part[i] (NUL-terminated). "Zutrittskontrolle": zutritt, kontrolle (so it
 * finds the Zutrittskontrollsystem, whose parts the tokenizer stored);
 * "datacenter": data, center. */
static int compound(const tc_ftsdict *d, const char *s, size_t n,
		    char part[][TC_FTSTOK_MAX + 1])
{
	char f[TC_FTSTOK_MAX];
	size_t fn = tc_ftstok_fold(s, n, f);
	tc_ftspart p[TC_FTSTOK_MAX_PARTS];
	/* one word as the tokenizer splits it ("Zwei-Faktor" is two) */
	char again[TC_FTSTOK_MAX];
	if (!fn || tc_ftstok_fold(s, n, again) != fn || !searchable(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80 && !isalnum((unsigned char)s[i]))
			return 0;
	int k = tc_ftstok_split(d, f, fn, p, TC_FTSTOK_MAX_PARTS);
	for (int i = 0; i < k; i++) {
		memcpy(part[i], f + p[i].off, p[i].len);
		part[i][p[i].len] = '\0';
	}
	return k;
}

/* The terms t[0..n) joined by AND, or by OR with each word a group of its
 * own (any: the search for some of the words, which tc_cover ranks). */
static void put_terms(qb *b, const qterm *t, size_t terms, int any)
{
	int first = 1;
	for (size_t i = 0; i < terms;) {
		if (!first)
			tc_buf_puts(b->m, any ? " OR " : " AND ");
		first = 0;
		/* a word and the numbers right after it */
		size_t j = i + 1;
		while (!t[i].phrase && !is_number(t[i].s, t[i].n) &&
		       j < terms && !t[j].phrase && is_number(t[j].s, t[j].n))
			j++;
		if (j > i + 1) {
			put_near(b, &t[i], j - i);
			i = j;
			b->gid++;
			continue;
		}
		size_t k =
		    t[i].phrase ? 0 : letters_then_digits(t[i].s, t[i].n);
		char part[TC_FTSTOK_MAX_PARTS][TC_FTSTOK_MAX + 1];
		int parts = t[i].phrase || k || is_number(t[i].s, t[i].n)
				? 0
				: compound(b->dict, t[i].s, t[i].n, part);
		int group = (!t[i].phrase && b->stemmed) || k || parts;
		if (group)
			tc_buf_putc(b->m, '(');
		put_term(b, t[i].s, t[i].n, !t[i].phrase);
		if (k) {
			/* "ISO27001" as written, or as "ISO 27001" */
			qterm two[2] = {{t[i].s, k, 0},
					{t[i].s + k, t[i].n - k, 0}};
			tc_buf_puts(b->m, " OR ");
			put_near(b, two, 2);
		}
		/* a compound, or its parts: all of them, or (any) each
		 * as a word of its own */
		for (int p = 0; p < parts; p++) {
			tc_buf_puts(b->m, p == 0 ? " OR ("
					  : any  ? " OR "
						 : " AND ");
			if (any && p)
				b->gid++;
			tc_buf_putc(b->m, '(');
			put_term(b, part[p], strlen(part[p]), 1);
			tc_buf_putc(b->m, ')');
		}
		if (parts)
			tc_buf_putc(b->m, ')');
		if (group)
			tc_buf_putc(b->m, ')');
		b->gid++;
		i++;
	}
}

/* The query of q's terms t[0..n) into match (and groups, for any). */
static void build(const ts_index *ix, const qterm *t, size_t n, int any,
		  tc_buf *match, tc_buf *groups)
{
	qb b = {match, groups, 0, ix->stemmed, ix->dict};
	put_terms(&b, t, n, any);
}

int ts_query_build(const char *q, int stemmed, tc_buf *match, tc_buf *err)
{
	qterm t[MAX_TERMS];
	size_t terms = parse_terms(q, t);
	if (!terms) {
		tc_buf_puts(err, "parameter 'q' has no word to search for");
		return -1;
	}
	qb b = {match, NULL, 0, stemmed, NULL};
	put_terms(&b, t, terms, 0);
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

static void bind_named(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Binds match (may be NULL) to :match with its NEARs as ANDs, and when
 * it had any, match itself to :near, for tc_near to check them: SQLite
 * 3.40's FTS5 may read memory it freed in a NEAR (lib/indexfmt.h's
 * TC_IX_NEAR). */
static void bind_match(sqlite3_stmt *st, const char *match)
{
	if (!match)
		return;
	char *m = tc_xmalloc(strlen(match) + 1);
	if (tc_ftstok_unnear(match, m))
		bind_named(st, ":near", match);
	bind_named(st, ":match", m);
	free(m);
}

/* Binds the filters of p (and match, may be NULL) to the statement's named
 * parameters (lib/indexfmt.h); the others stay NULL. */
static void bind_filters(const ts_index *ix, sqlite3_stmt *st,
			 const char *match, const ts_params *p)
{
	sqlite3_clear_bindings(st);
	bind_match(st, match);
	bind_named(st, ":product", p->v[P_PRODUCT]);
	bind_named(st, ":every", ix->every);
	bind_named(st, ":category", p->v[P_CATEGORY]);
	bind_named(st, ":status", p->v[P_STATUS]);
	if (p->v[P_RESP]) {
		tc_buf r = TC_BUF_INIT;
		tc_buf_printf(&r, ",%s,", p->v[P_RESP]);
		bind_named(st, ":resp", tc_buf_cstr(&r));
		tc_buf_free(&r);
	}
}

/* s[0..n) as a JSON string, as jansson writes it (lib/escape.h's
 * tc_esc_json: JSON is never escaped by hand). Text that is not UTF-8
 * cannot be in the index (tc-gen checks its sources), nor in a parameter:
 * it would be "", as jansson's json_stringn refuses it. */
static void put_jstr(tc_buf *out, const char *s, size_t n)
{
	tc_buf_putc(out, '"');
	if (tc_utf8_valid(s, n))
		tc_esc_json(out, s, n);
	tc_buf_putc(out, '"');
}

/* The page of a search: the rowids in rank order, then each one's result
 * as JSON. For a view (ts_search_found) a result holds only what the
 * index stores of it, its snippet null, and the snippet is beside it:
 * nothing this process makes is read back as JSON. */
typedef struct page {
	sqlite3_int64 row[TS_LIMIT_MAX];
	tc_buf result[TS_LIMIT_MAX];
	tc_buf snip[TS_LIMIT_MAX]; /* a view's snippets, HTML */
	int view;
	/* a result of stored bytes not checked as JSON (stored_checked):
	 * the answer is checked whole before it is sent */
	int unchecked;
	/* the ranked pass matched more words than its snippets are kept
	 * for (lib/ftstok.h's TC_FTSTOK_KEEP_MAX): no answer */
	int too_broad;
	size_t n;
	json_int_t not_applicable; /* of all the measures ranked */
	json_int_t entries;        /* of the total */
} page;

/* Result i's snippet (HTML): a JSON string in its place, or for a view
 * null there and the snippet beside it (put_jstr's: "" when it is not
 * UTF-8). */
static void put_snippet(page *pg, size_t i, const tc_buf *snip)
{
	if (!pg->view) {
		put_jstr(&pg->result[i], tc_buf_cstr(snip), snip->len);
		return;
	}
	tc_buf_puts(&pg->result[i], "null");
	if (tc_utf8_valid(tc_buf_cstr(snip), snip->len))
		tc_buf_put(&pg->snip[i], tc_buf_cstr(snip), snip->len);
}

/* Entry i's result: the stored head, the snippet, the stored tail. */
static void put_entry(sqlite3_stmt *st, tc_buf *snip, page *pg, size_t i)
{
	const char *sn = (const char *)sqlite3_column_text(st, TC_IXR_SNIPPET);
	const char *tail = (const char *)sqlite3_column_text(st, TC_IXR_CELLS);
	tc_buf_clear(snip);
	ts_snippet_html(snip, sn ? sn : "");
	const char *head = (const char *)sqlite3_column_text(st, TC_IXR_HEAD);
	if (head)
		tc_buf_put(&pg->result[i], head,
			   (size_t)sqlite3_column_bytes(st, TC_IXR_HEAD));
	put_snippet(pg, i, snip);
	tc_buf_puts(&pg->result[i], tail ? tail : "}");
	/* an entry's stored bytes, checked each time (a page has few) */
	if (!pg->view && !tc_json_valid(tc_buf_cstr(&pg->result[i]),
					pg->result[i].len, NULL))
		pg->unchecked = 1;
}

/* The entries' ranked pass: counts every entry that matches and passes,
 * and puts those from skip on into the page while it has room (each
 * ranked row carries its result). Returns the count, or -1 when SQLite
 * fails. */
static json_int_t rank_entries(ts_index *ix, const char *match,
			       const ts_params *p, long skip, page *pg)
{
	if (!tc_ftsvocab_may_match(ix->evocab, match))
		return 0; /* no entry has its words */
	sqlite3_stmt *st = ix->eranked;
	bind_filters(ix, st, match, p);
	/* bm25's counts of the entries' table, kept across queries as the
	 * measures' are (rank_measures) */
	if (!ix->elengths.idf)
		ix->elengths.idf =
		    tc_ftsidf_new(); /* NULL: counted each time */
	ix->elengths.match = match;
	sqlite3_bind_pointer(st, sqlite3_bind_parameter_index(st, ":lengths"),
			     &ix->elengths, TC_FTSTOK_LENGTHS, NULL);
	json_int_t total = 0;
	tc_buf snip = TC_BUF_INIT;
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW)
		if (total++ >= skip && pg->n < (size_t)p->limit &&
		    pg->n < TS_LIMIT_MAX) {
			pg->row[pg->n] = sqlite3_column_int64(st, TC_IXR_ROWID);
			put_entry(st, &snip, pg, pg->n++);
		}
	sqlite3_reset(st);
	ix->elengths.match = NULL;
	tc_buf_free(&snip);
	return rc == SQLITE_DONE ? total : -1;
}

/* ---- the measures: filtered and ranked from the filters table ---- */

/* What p's filters ask of a measure (lib/indexfmt.h's filters): the
 * category's ordinal (-1: any), the product's (-1: none; -2: not one of
 * the catalog's), the (status, responsibility) pairs that pass. */
typedef struct want {
	int category, product;
	int any; /* no product, status nor responsibility */
	uint64_t pairs;
	/* the product's place in the catalog's scopes (-1: none), the
	 * status asked for (-1: any), the responsibilities (a bit each) */
	int scope, status;
	unsigned resp;
} want;

static want want_of(const ts_index *ix, const ts_params *p)
{
	want w = {-1, -1, 1, 0, -1, -1, ~0u};
	const char *c = p->v[P_CATEGORY], *pr = p->v[P_PRODUCT];
	if (c) {
		w.category = -2;
		json_t *cat;
		size_t i;
		json_array_foreach (json_object_get(ix->catalog, "categories"),
				    i, cat) {
			const char *id =
			    json_string_value(json_object_get(cat, "id"));
			if (id && !strcmp(id, c)) {
				w.category = (int)i;
				break;
			}
		}
	}
	if (pr) {
		json_t *no = json_object_get(ix->scopeno, pr);
		w.scope = no ? (int)json_integer_value(no) : -1;
		w.product = -2;
		for (size_t i = 0; i < ix->nproducts; i++)
			if (!strcmp(ix->products[i], pr))
				w.product = (int)i;
	}
	w.any = !pr && !p->v[P_STATUS] && !p->v[P_RESP];
	int st = p->v[P_STATUS] ? tc_status_from_id(p->v[P_STATUS]) : -1;
	unsigned resp = p->v[P_RESP] ? 0 : ~0u;
	for (const char *r = p->v[P_RESP]; r && *r;) {
		size_t n = strcspn(r, ",");
		char id[32];
		if (n < sizeof id) {
			memcpy(id, r, n);
			id[n] = '\0';
			int k = tc_resp_from_id(id);
			if (k >= 0)
				resp |= 1u << k;
		}
		r += n + (r[n] == ',');
	}
	for (int s = 0; s < ST__COUNT; s++)
		for (int r = 0; r < RS__COUNT; r++)
			if ((!p->v[P_STATUS] || s == st) && (resp & 1u << r))
				w.pairs |= (uint64_t)1 << TC_IX_PAIR(s, r);
	w.status = p->v[P_STATUS] ? st : -1;
	w.resp = resp;
	return w;
}

/* The product's bytes of measure i (0-based), or NULL. */
static const unsigned char *product_cell(const ts_index *ix, size_t i, int k)
{
	return k < 0 ? NULL
		     : ix->fprod + (i * ix->nproducts + (size_t)k) *
				       TC_IX_PRODUCT_BYTES;
}

/* The (status, responsibility) pairs of measure i's cells that answer
 * for product k (lib/tomdata.h's product rule): its own cell's and those
 * of the site and organisation cells; k < 0: a product the catalog has
 * not, which only those answer for. 0: the measure does not concern it. */
static uint64_t answering(const ts_index *ix, size_t i, int k)
{
	uint64_t a = ix->fevery[i];
	const unsigned char *c = product_cell(ix, i, k);
	if (c && c[0] && c[0] - 1 < 64)
		a |= (uint64_t)1 << (c[0] - 1);
	return a;
}

/* The pairs whose status says the measure does not apply: not applicable,
 * not provided. */
static uint64_t not_applying(void)
{
	uint64_t m = 0;
	for (int r = 0; r < RS__COUNT; r++)
		m |= (uint64_t)1 << TC_IX_PAIR(ST_NOT_APPLICABLE, r) |
		     (uint64_t)1 << TC_IX_PAIR(ST_NOT_PROVIDED, r);
	return m;
}

/* Whether measure i passes w (TC_IX_MEASURE_PASSES, with the product rule
 * of tc_tom_filter: a cell of the product's, or a site or organisation
 * cell, that passes; never an internal one), and (*na) whether it does not
 * apply to w's product: every cell that answers for it not applicable or
 * not provided. */
static int passes(const ts_index *ix, size_t i, const want *w, int *na)
{
	*na = 0;
	if (w->category != -1 && ix->fcat[i] != w->category)
		return 0;
	if (w->any)
		return 1;
	if (w->product == -1)
		return (ix->fcells[i] & w->pairs) != 0;
	uint64_t a = answering(ix, i, w->product);
	*na = a && !(a & ~not_applying());
	return (a & w->pairs) != 0;
}

/* A match as it is ranked. */
typedef struct hit {
	sqlite3_int64 row;
	int na;
	double cover, bm25;
} hit;

static int by_rank(const hit *x, const hit *y)
{
	if (x->na != y->na)
		return x->na - y->na;
	if (x->cover != y->cover)
		return x->cover > y->cover ? -1 : 1;
	if (x->bm25 != y->bm25)
		return x->bm25 < y->bm25 ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Sorts h[0..n) by_rank, in place: a heapsort, not libc's qsort, which
 * asks the kernel for the machine's memory (sysinfo) before it sorts more
 * than 1 KB, a system call the workers' sandbox refuses (cgi/sandbox.c):
 * the worker was killed by the first search with 32 matches or more. */
static void sift(hit *h, size_t i, size_t n)
{
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && by_rank(&h[c], &h[c + 1]) < 0)
			c++;
		if (by_rank(&h[i], &h[c]) >= 0)
			return;
		hit t = h[i];
		h[i] = h[c];
		h[c] = t;
	}
}

static void sort_hits(hit *h, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(h, i, n);
	for (size_t k = n; k-- > 1;) {
		hit t = h[0];
		h[0] = h[k];
		h[k] = t;
		sift(h, 0, k);
	}
}

/* The query of the measures: match in the columns a search looks in and
 * ranks by (lib/indexfmt.h's TC_IX_COLS), or (product 1) in those that
 * concern p's product (TC_IX_COLS_PRODUCT and the product's own), or
 * (product 2) in both (TC_IX_COLS_SHARED and the product's own: ranked
 * by the first, the product's told by tc_rank). */
static void measure_match(const ts_index *ix, const ts_params *p,
			  const char *match, int product, tc_buf *out)
{
	want w = want_of(ix, p);
	if (!product || w.product == -1)
		tc_buf_puts(out, "{" TC_IX_COLS "} : (");
	else if (product == 2 && w.product < 0)
		tc_buf_puts(out, "{" TC_IX_COLS_SHARED "} : (");
	else if (product == 2)
		tc_buf_printf(out, "{" TC_IX_COLS_SHARED " p%d} : (",
			      w.product);
	else if (w.product < 0)
		tc_buf_puts(out, "{" TC_IX_COLS_PRODUCT "} : (");
	else
		tc_buf_printf(out, "{" TC_IX_COLS_PRODUCT " p%d} : (",
			      w.product);
	tc_buf_puts(out, match);
	tc_buf_putc(out, ')');
}

/* The rowids the words match find in what concerns p's product (issue 21:
 * not in another product's notes, nor an internal system's), in rowid
 * order, into *ids (*n of them). Returns 0, or -1 when SQLite fails. */
static int product_ids(ts_index *ix, const char *match, const ts_params *p,
		       sqlite3_int64 **ids, size_t *n)
{
	tc_buf pm = TC_BUF_INIT;
	measure_match(ix, p, match, 1, &pm);
	sqlite3_stmt *st = ix->ids;
	bind_match(st, tc_buf_cstr(&pm));
	size_t cap = 0;
	int rc;
	*ids = NULL;
	*n = 0;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = tc_xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	tc_buf_free(&pm);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The columns that concern product k of the catalog (k < 0: one it has
 * not, which only the shared ones concern) as tc_rank reads them
 * (lib/ftstok.h's pcols): the ranked ones but the notes, shared, its own. */
static int product_cols(const ts_index *ix, int k, unsigned char *c, int max)
{
	int n = TC_IX_COL_PRODUCT0 + (int)ix->nproducts;
	if (n > max)
		return -1;
	memset(c, 0, (size_t)n);
	for (int i = 0; i < TC_FTSTOK_RANK_COLS; i++)
		c[i] = i != 2; /* notes: every product's */
	c[TC_IX_COL_SHARED] = 1;
	if (k >= 0)
		c[TC_IX_COL_PRODUCT0 + k] = 1;
	return n;
}

/* The measures the words match find and that pass p's filters: counted,
 * and (pg not NULL) ranked, the page's rowids from skip on into pg.
 * partial: by how many words (groups) they have first. Under a product,
 * one pass tells (tc_rank) whether a match's words are in the product's
 * columns (merged), or, for an expression tc_rank does not read, a
 * second MATCH of those columns does (product_ids). Returns the count,
 * or -1 when SQLite fails or the index names a measure it has not. */
static json_int_t rank_pass(ts_index *ix, const char *match, const char *groups,
			    int partial, const ts_params *p, long skip,
			    page *pg, int merged)
{
	want w = want_of(ix, p);
	sqlite3_int64 *ids = NULL;
	size_t nids = 0, at = 0;
	unsigned char pcols[TC_IX_COL_PRODUCT0 + 1024]; /* more: product_ids */
	int npcols = -1;
	if (pg && !ix->kept &&
	    !(ix->kept = tc_ftsinsts_new(TC_FTSTOK_KEEP_MAX)))
		return -1; /* out of memory */
	tc_buf mm = TC_BUF_INIT;
	if (w.product != -1 && merged) {
		measure_match(ix, p, match, 2, &mm);
		npcols =
		    tc_ftstok_expr_phrases(tc_buf_cstr(&mm)) < 0
			? -1
			: product_cols(ix, w.product, pcols, (int)sizeof pcols);
		if (npcols < 0) {
			tc_buf_free(&mm);
			return rank_pass(ix, match, groups, partial, p, skip,
					 pg, 0);
		}
	} else {
		if (w.product != -1 &&
		    product_ids(ix, match, p, &ids, &nids) < 0)
			return -1;
		if (w.product != -1 && !nids)
			return 0;
		measure_match(ix, p, match, 0, &mm);
	}
	sqlite3_stmt *st = ix->ranked;
	sqlite3_clear_bindings(st);
	bind_match(st, tc_buf_cstr(&mm));
	bind_named(st, ":groups", groups ? groups : "");
	/* with a page, its rows' instances kept for their snippets */
	if (pg)
		tc_ftsinsts_clear(ix->kept);
	ix->lengths.keep = pg ? ix->kept : NULL;
	/* bm25's counts of the table, kept across queries */
	if (!ix->lengths.idf)
		ix->lengths.idf = tc_ftsidf_new(); /* NULL: counted each time */
	ix->lengths.match = tc_buf_cstr(&mm);
	ix->lengths.pcols = npcols >= 0 ? pcols : NULL;
	ix->lengths.npcols = npcols >= 0 ? npcols : 0;
	sqlite3_bind_pointer(st, sqlite3_bind_parameter_index(st, ":lengths"),
			     &ix->lengths, TC_FTSTOK_LENGTHS, NULL);
	size_t nv = npcols >= 0 ? 3 : 2;
	hit *h = NULL;
	size_t n = 0, cap = 0;
	json_int_t total = 0, na_before = pg ? pg->not_applicable : 0;
	int rc, again = 0;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		sqlite3_int64 r = sqlite3_column_int64(st, 0);
		/* NULL: its words are there, not near (tc_rank's :near) */
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		const double *v = sqlite3_column_blob(st, 1);
		int na;
		if (r < 1 || (size_t)r > ix->nmeasures || !v ||
		    sqlite3_column_bytes(st, 1) != (int)(nv * sizeof(double))) {
			rc = fault(ix, SQLITE_CORRUPT,
				   "a match is no measure of its filters");
			break;
		}
		/* a match the product's columns do not have is not the
		 * product's: tc_rank says so, or the rowids of product_ids
		 * (both in rowid order) */
		if (nv == 3 && v[2] < 0) { /* not read after all: ask FTS5 */
			again = 1;
			break;
		}
		if (nv == 3 && v[2] == 0)
			continue;
		if (ids) {
			while (at < nids && ids[at] < r)
				at++;
			if (at == nids || ids[at] != r)
				continue;
		}
		if (!passes(ix, (size_t)r - 1, &w, &na))
			continue;
		total++;
		if (!pg)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			h = tc_xrealloc(h, cap * sizeof *h);
		}
		double cover = v[0], bm25 = v[1];
		if (partial) /* the words it has: tc_cover's thousands */
			cover = (double)(long long)(cover / 1000);
		h[n++] = (hit){r, na, cover, bm25};
		pg->not_applicable += na;
	}
	sqlite3_reset(st);
	ix->lengths.keep = NULL;
	ix->lengths.match = NULL;
	ix->lengths.pcols = NULL;
	ix->lengths.npcols = 0;
	if (again) {
		free(h);
		tc_buf_free(&mm);
		if (pg)
			pg->not_applicable = na_before;
		return rank_pass(ix, match, groups, partial, p, skip, pg, 0);
	}
	if (pg && n) {
		sort_hits(h, n);
		for (size_t i = (size_t)skip;
		     i < n && pg->n < (size_t)p->limit && pg->n < TS_LIMIT_MAX;
		     i++)
			pg->row[pg->n++] = h[i].row;
	}
	free(h);
	free(ids);
	tc_buf_free(&mm);
	return rc == SQLITE_DONE ? total : -1;
}

static json_int_t rank_measures(ts_index *ix, const char *match,
				const char *groups, int partial,
				const ts_params *p, long skip, page *pg)
{
	return rank_pass(ix, match, groups, partial, p, skip, pg, 1);
}

/* A cell's ord (lib/indexfmt.h's cells) at most: a table has at most 256
 * columns (gen/limits.h's TC_MAX_SCOPES). */
#define MAX_CELLS 256

/* The end of the member of a stored cells string that starts at s[i]
 * ("scope":{...}), or 0 when none does there (a damaged index). */
static size_t member_end(const char *s, size_t n, size_t i)
{
	int depth = 0, str = 0;
	for (; i < n; i++) {
		if (str) {
			/* to the string's next quote, unless a backslash
			 * comes first (memchr: a cell's note is long) */
			const char *q = memchr(s + i, '"', n - i);
			const char *b =
			    q ? memchr(s + i, '\\', (size_t)(q - s) - i) : NULL;
			if (!q)
				return 0;
			i = (size_t)((b ? b : q) - s);
			if (s[i] == '\\')
				i++;
			else
				str = 0;
		} else if (s[i] == '"') {
			str = 1;
		} else if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}' && --depth <= 0) {
			return depth == 0 ? i + 1 : 0;
		}
	}
	return 0;
}

/* Whether cell c's status and responsibility pass p's filters
 * (TC_IX_CELL_PASSES): the filters are ids of ours (cgi/params.c), so a
 * cell whose status or responsibility is none of ours passes only when
 * that filter is not asked for. */
static int cell_passes(const ts_params *p, const want *w, const cell_of *c)
{
	if (p->v[P_STATUS] && (c->status < 0 || c->status != w->status))
		return 0;
	if (!p->v[P_RESP])
		return 1;
	return c->resp >= 0 && (w->resp & 1u << c->resp);
}

/* Whether a page's cells are read at all: only a product, status or
 * responsibility filter chooses among them (w: want_of(ix, p)). */
static int cells_chosen(const want *w, const ts_params *p)
{
	return w->product != -1 || p->v[P_STATUS] || p->v[P_RESP];
}

/* Reads the cells table's rows of the page's measures that no page has
 * shown yet (rows[0..n), in page order) into their maps (cell_map), by
 * one statement (TC_IX_SELECT_CELLS) for them all. Rows with an ord out
 * of range or a field missing are none of the measure's cells (put_cells
 * never chose them). Returns 0, or -1 when SQLite fails. */
static int cell_maps_read(ts_index *ix, const sqlite3_int64 *rows, size_t n)
{
	if (!ix->cellmaps)
		ix->cellmaps = tc_xcalloc(ix->nmeasures, sizeof *ix->cellmaps);
	sqlite3_int64 miss[TS_LIMIT_MAX];
	page_set set = {miss, 0};
	for (size_t i = 0; i < n && set.n < TS_LIMIT_MAX; i++) {
		if (rows[i] < 1 || (size_t)rows[i] > ix->nmeasures ||
		    ix->cellmaps[rows[i] - 1].read)
			continue;
		size_t j = 0;
		while (j < set.n && miss[j] != rows[i])
			j++;
		if (j == set.n) {
			ix->cellmaps[rows[i] - 1].n = 0;
			miss[set.n++] = rows[i];
		}
	}
	if (!set.n)
		return 0;
	sqlite3_stmt *st = ix->cells;
	sqlite3_bind_pointer(st, 1, &set, PAGE_ROWS, NULL);
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		sqlite3_int64 place = sqlite3_column_int64(st, 0),
			      ord = sqlite3_column_int64(st, 1);
		const char *scope = (const char *)sqlite3_column_text(st, 2),
			   *status = (const char *)sqlite3_column_text(st, 3),
			   *resp = (const char *)sqlite3_column_text(st, 4);
		if (place < 0 || (size_t)place >= set.n || ord < 0 ||
		    ord >= MAX_CELLS || !scope || !status || !resp)
			continue;
		cell_map *m = &ix->cellmaps[miss[place] - 1];
		/* (mrow, ord) is the table's key: a measure has at most
		 * MAX_CELLS rows in a file that is not damaged */
		if (m->n == MAX_CELLS) {
			rc = fault(
			    ix, SQLITE_CORRUPT,
			    "a measure's cells disagree with its filters");
			break;
		}
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 8;
			m->cell =
			    tc_xrealloc(m->cell, m->cap * sizeof *m->cell);
		}
		json_t *k = json_object_get(ix->kinds, scope),
		       *no = json_object_get(ix->scopeno, scope);
		m->cell[m->n++] = (cell_of){
		    no ? (int)json_integer_value(no) : -1, (unsigned char)ord,
		    (signed char)(k ? json_integer_value(k) : -1),
		    (signed char)tc_status_from_id(status),
		    (signed char)tc_resp_from_id(resp)};
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* set is on this stack */
	if (rc != SQLITE_DONE)
		return -1;
	for (size_t i = 0; i < set.n; i++)
		ix->cellmaps[miss[i] - 1].read = 1;
	return 0;
}

/* Cuts measure m's stored cells (n bytes) into its members, once: 0, or
 * -1 when they are not members (a damaged index), then each time. */
static int cell_map_cut(cell_map *m, const char *cells, size_t n)
{
	if (m->cut == 1 && m->bytes == n)
		return 0;
	if (m->cut)
		return -1;
	m->cut = 2;
	for (size_t at = 0, cap = 0; at < n;) {
		size_t e = member_end(cells, n, at);
		if (!e || (e < n && cells[e] != ','))
			return -1;
		if (m->members == cap) {
			cap = cap ? 2 * cap : 8;
			m->end = tc_xrealloc(m->end, cap * sizeof *m->end);
		}
		m->end[m->members++] = e;
		at = e + 1;
	}
	m->bytes = n;
	m->cut = 1;
	return 0;
}

/* The cells of measure r's result that pass p's filters into out, from
 * its stored members (cells, n bytes), as tc_tom_filter keeps them.
 * Without a product: all of them, or those whose status and
 * responsibility pass. With one, what the product rule shows
 * (lib/tomdata.h): the product's own cell and the site and organisation
 * cells that pass, and the internal cells, labelled, when neither status
 * nor responsibility is asked for (an internal cell is never an answer);
 * nothing when no cell answers. What the cells table says of the cells
 * that answer must be what the filters row says (the product's pair and
 * ord, the site and organisation pairs): else the index is broken.
 * chosen: cells_chosen (else every member, as stored; the map read by
 * cell_maps_read otherwise); pw is want_of(ix, p), made once for the
 * page. */
static int put_cells(ts_index *ix, sqlite3_int64 r, const ts_params *p,
		     const want *pw, const char *cells, size_t n, int chosen,
		     tc_buf *out)
{
	const want *w = pw;
	size_t i = (size_t)r - 1;
	int filtered = p->v[P_STATUS] || p->v[P_RESP];
	if (!chosen) {
		tc_buf_put(out, cells, n);
		return 0;
	}
	const cell_map *m = &ix->cellmaps[i];
	unsigned char pass[MAX_CELLS] = {0};
	const unsigned char *own = product_cell(ix, i, w->product);
	uint64_t every = 0;
	int answer = w->product == -1, own_seen = 0, agree = 1;
	size_t want_put = 0;
	for (size_t j = 0; j < m->n; j++) {
		const cell_of *c = &m->cell[j];
		int ok = cell_passes(p, w, c);
		if (w->product != -1) {
			tc_cell_role role =
			    c->kind < 0
				? CR_OTHER
				: tc_cell_role_of((tc_scope_kind)c->kind,
						  c->scope == w->scope);
			int pair = c->status >= 0 && c->resp >= 0
				       ? TC_IX_PAIR(c->status, c->resp)
				       : -1;
			if (role == CR_EVERY && pair >= 0)
				every |= (uint64_t)1 << pair;
			if (role == CR_OWN) {
				own_seen = 1;
				agree = agree && own && own[0] == pair + 1 &&
					own[1] == c->ord;
			}
			ok = role == CR_INTERNAL ? !filtered
						 : role != CR_OTHER && ok;
			answer |= ok && role != CR_INTERNAL;
		}
		want_put += ok && !pass[c->ord];
		pass[c->ord] |= (unsigned char)ok;
	}
	if (w->product != -1 &&
	    (!agree || every != ix->fevery[i] || own_seen != (own && own[0])))
		return fault(ix, SQLITE_CORRUPT,
			     "a measure's cells disagree with its filters"),
		       -1;
	if (!answer)
		return 0;
	/* the members, in order: the ord-th is cell ord's */
	cell_map *cut = &ix->cellmaps[i];
	if (cell_map_cut(cut, cells, n) < 0)
		return fault(ix, SQLITE_CORRUPT,
			     "a measure's cells are not its members"),
		       -1;
	size_t put = 0;
	for (size_t k = 0; k < cut->members && k < MAX_CELLS; k++) {
		if (!pass[k])
			continue;
		size_t at = k ? cut->end[k - 1] + 1 : 0;
		if (put++)
			tc_buf_putc(out, ',');
		tc_buf_put(out, cells + at, cut->end[k] - at);
	}
	/* a cell that passes is a member */
	if (put != want_put)
		return fault(ix, SQLITE_CORRUPT,
			     "a measure's cells are not its members"),
		       -1;
	return 0;
}

/* Whether measure r's stored result (its head, its cells' members) is
 * JSON, looked at once per process: head followed by a value and "}" is
 * one JSON text, and each member of the cells, as put_cells cuts them, is
 * one member ("{" member "}" is one JSON text). Then every JSON answer
 * made of it is JSON whatever the snippet (a JSON string of ours) and
 * whichever members pass: ts_search_text need not be checked whole. */
static int stored_checked(ts_index *ix, sqlite3_int64 r, const char *head,
			  size_t nh, const char *cells, size_t nc)
{
	if (r < 1 || (size_t)r > ix->nmeasures)
		return 0;
	if (!ix->checked)
		ix->checked = tc_xcalloc(ix->nmeasures, 1);
	unsigned char *c = &ix->checked[r - 1];
	if (*c)
		return *c == 1;
	tc_buf b = TC_BUF_INIT;
	tc_buf_put(&b, head, nh);
	tc_buf_puts(&b, "null}");
	int ok = tc_json_valid(tc_buf_cstr(&b), b.len, NULL);
	for (size_t at = 0; ok && at < nc;) {
		size_t end = member_end(cells, nc, at);
		ok = end && (end == nc || cells[end] == ',');
		if (!ok)
			break;
		tc_buf_clear(&b);
		tc_buf_putc(&b, '{');
		tc_buf_put(&b, cells + at, end - at);
		tc_buf_putc(&b, '}');
		ok = tc_json_valid(tc_buf_cstr(&b), b.len, NULL);
		at = end + 1;
	}
	tc_buf_free(&b);
	*c = ok ? 1 : 2;
	return ok;
}

/* The measures' page, rows [first, end) of pg: each one's stored head,
 * its snippet and its cells that pass; the heads and texts and, when
 * filters choose among them, the cells read for the whole page by one
 * statement each (SELECT_PAGE, lib/indexfmt.h's TC_IX_SELECT_CELLS). */
static int page_measures(ts_index *ix, const ts_params *p, page *pg,
			 size_t first, size_t end)
{
	tc_buf snip = TC_BUF_INIT;
	/* the snippets, from the ranked pass's instances (rank_measures) and
	 * the rows' texts: the best column's (lib/indexfmt.h) or, under a
	 * product filter, the measure's own text (column 1); the texts, the
	 * heads and the cells' members by one statement (SELECT_PAGE) */
	page_set rows = {pg->row + first, end - first};
	sqlite3_stmt *st = p->v[P_PRODUCT] ? ix->text1 : ix->texts;
	sqlite3_bind_pointer(st, 1, &rows, PAGE_ROWS, NULL);
	int col = p->v[P_PRODUCT] ? 1 : TC_FTSTOK_ONE_COLUMN, rc = SQLITE_DONE;
	want w = want_of(ix, p);
	int chosen = cells_chosen(&w, p);
	if (chosen && cell_maps_read(ix, rows.row, rows.n) < 0)
		rc = SQLITE_ERROR;
	for (size_t i = first; rc == SQLITE_DONE && i < end; i++) {
		int src = step(ix, st);
		sqlite3_int64 k = (sqlite3_int64)(i - first);
		if (src != SQLITE_ROW) {
			rc = src == SQLITE_DONE
				 ? fault(ix, SQLITE_CORRUPT,
					 "a measure of its filters has no row")
				 : src;
			break;
		}
		if (sqlite3_column_int64(st, 0) != k) {
			rc = fault(ix, SQLITE_CORRUPT,
				   "a measure's texts are not its row");
			break;
		}
		char *sn = NULL;
		src =
		    sqlite3_column_type(st, PAGE_TEXTS_ID) == SQLITE_NULL
			? SQLITE_OK /* no texts: no snippet */
			: tc_ftstok_snippet(ix->kept, pg->row[i], col, row_text,
					    st, "\x01", "\x02", "…", 14, &sn);
		if (src != SQLITE_OK) { /* else out of memory */
			pg->too_broad = src == SQLITE_FULL;
			rc =
			    src == SQLITE_NOMEM || src == SQLITE_FULL
				? src
				: fault(ix, src,
					"a measure's match is beyond its text");
			break;
		}
		tc_buf *out = &pg->result[i];
		const char *head =
		    (const char *)sqlite3_column_text(st, PAGE_HEAD);
		const char *cells =
		    (const char *)sqlite3_column_text(st, PAGE_HEAD + 1);
		if (!head || !cells) {
			sqlite3_free(sn);
			rc = fault(ix, SQLITE_CORRUPT,
				   "a measure of its filters has no row");
			break;
		}
		size_t nh = (size_t)sqlite3_column_bytes(st, PAGE_HEAD),
		       nc = (size_t)sqlite3_column_bytes(st, PAGE_HEAD + 1);
		if (!pg->view &&
		    !stored_checked(ix, pg->row[i], head, nh, cells, nc))
			pg->unchecked = 1;
		/* the result's room at once: the snippet, escaped, is at
		 * most a few times its bytes; grown by doubling, a result
		 * of 30 cells was copied again and again */
		tc_buf_grow_(out, nh + nc + (sn ? 2 * strlen(sn) : 0) + 32);
		tc_buf_put(out, head, nh);
		tc_buf_clear(&snip);
		ts_snippet_html(&snip, sn ? sn : "");
		sqlite3_free(sn);
		put_snippet(pg, i, &snip);
		tc_buf_puts(out, ",\"cells\":{");
		rc = put_cells(ix, pg->row[i], p, &w, cells, nc, chosen, out)
			 ? SQLITE_ERROR
			 : SQLITE_DONE;
		tc_buf_puts(out, "}}");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* rows is on this stack */
	tc_buf_free(&snip);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- suggestions ---- */

#define MAX_WORD 64
#define MAX_SUGGESTIONS 5
/* The words a typo is never looked for in: shorter than this ("my" was
 * offered "management"), numbers, and stop words (dropped before). */
#define TYPO_MIN 4

/* A word of a query and a term compared are at most MAX_WORD bytes, which
 * tc_text_distance (lib/text.h) takes. */
_Static_assert(MAX_WORD <= TC_TEXT_DISTANCE_MAX, "a word fits the distance");

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
 * measures use. Its word as the content writes it ("Passwörter", not the
 * term "passworter"), or NULL when none is near. */
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
		size_t d = tc_text_distance(w, n, t, m);
		size_t dp = m > n ? tc_text_distance(w, n, t, n) : d;
		if (dp < d)
			d = dp;
		if (d < best || (d == best && ix->docs[i] > docs)) {
			best = d;
			docs = ix->docs[i];
			pick = ix->words[i];
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

static json_int_t count_stmt(ts_index *ix, sqlite3_stmt *st, const char *match,
			     const ts_params *p)
{
	json_int_t total = 0;
	bind_filters(ix, st, match, p);
	if (step(ix, st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return total;
}

/* How many measures the words match (built) find with p's filters. */
static json_int_t count_measures(ts_index *ix, const char *match,
				 const ts_params *p)
{
	json_int_t n = rank_measures(ix, match, NULL, 0, p, 0, NULL);
	return n < 0 ? 0 : n;
}

/* How many results the words match (built) find with p's filters:
 * entries and measures, as the search counts them. */
static json_int_t count_match(ts_index *ix, const char *match,
			      const ts_params *p)
{
	json_int_t entries = tc_ftsvocab_may_match(ix->evocab, match)
				 ? count_stmt(ix, ix->ecount, match, p)
				 : 0;
	return entries + count_measures(ix, match, p);
}

static json_int_t count_for(ts_index *ix, const char *q, const ts_params *p)
{
	tc_buf match = TC_BUF_INIT, err = TC_BUF_INIT;
	json_int_t total = 0;
	if (ts_query_build(q, ix->stemmed, &match, &err) == 0)
		total = count_match(ix, tc_buf_cstr(&match), p);
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
	/* no suggestion for a stop word ("my" was offered "management"),
	 * unless every word is one */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		qterm t = {w[i], strlen(w[i]), 0};
		if (!is_stop(ix, &t))
			memmove(w[k++], w[i], sizeof w[i]);
	}
	n = k ? k : n;
	/* each word not in the vocabulary replaced by its nearest term */
	tc_buf fixed = TC_BUF_INIT;
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		/* "SOC2" is no typo of "soc": a word that ends in a number
		 * keeps it */
		size_t len = strlen(w[i]);
		int numbered =
		    is_number(w[i], len) || letters_then_digits(w[i], len);
		const char *t = known(ix, w[i]) || numbered || len < TYPO_MIN
				    ? NULL
				    : nearest(ix, w[i]);
		changed |= t != NULL;
		tc_buf_printf(&fixed, "%s%s", i ? " " : "", t ? t : w[i]);
	}
	if (changed)
		suggest(ix, out, tc_buf_cstr(&fixed), p);
	/* words that find something on their own, when together they do
	 * not (or a filter leaves nothing); never a word without the number
	 * after it ("SOC 2" suggests no "soc"), nor the number */
	for (size_t i = 0; i < n && n > 1; i++) {
		if (is_number(w[i], strlen(w[i])) ||
		    (i + 1 < n && is_number(w[i + 1], strlen(w[i + 1]))))
			continue;
		const char *t = known(ix, w[i])           ? w[i]
				: strlen(w[i]) < TYPO_MIN ? NULL
							  : nearest(ix, w[i]);
		if (t)
			suggest(ix, out, t, p);
	}
	tc_buf_free(&fixed);
	return out;
}

/* "filter":{...}: the filters given, in the order of the parameter
 * table. */
static void put_filter(const ts_params *p, tc_buf *out)
{
	static const ts_param filters[] = {P_PRODUCT, P_CATEGORY, P_STATUS,
					   P_RESP};
	tc_buf_puts(out, "\"filter\":{");
	int n = 0;
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		const char *v = p->v[filters[i]];
		if (!v)
			continue;
		tc_buf_printf(out, "%s\"%s\":", n++ ? "," : "",
			      ts_param_name(filters[i]));
		put_jstr(out, v, strlen(v));
	}
	tc_buf_putc(out, '}');
}

/* ---- what is searched ---- */

/* How a search is answered (README "tc-search", Ranking): the words of q
 * without its stop words, all of them (WHOLE); when no result has them
 * all, and a word is a typo of the index's vocabulary, the query with the
 * typos corrected, all of them (CORRECTED: "Showing results for"); else
 * the measures that have some of the words, the most words first
 * (PARTIAL: no measure covers the question, these come nearest). */
enum plan_kind { WHOLE, CORRECTED, PARTIAL };
typedef struct plan {
	enum plan_kind kind;
	tc_buf match;   /* the FTS5 expression */
	tc_buf groups;  /* PARTIAL: the word of each phrase (tc_cover) */
	tc_buf showing; /* CORRECTED: the query searched instead */
} plan;

static void plan_free(plan *pl)
{
	tc_buf_free(&pl->match);
	tc_buf_free(&pl->groups);
	tc_buf_free(&pl->showing);
}

/* Whether the word s[0..n) is one of the index's, or the start of one. */
static int in_index(const ts_index *ix, const char *s, size_t n)
{
	char f[TC_FTSTOK_MAX], w[MAX_WORD + 1];
	size_t fn = tc_ftstok_fold(s, n, f);
	if (fn && tc_ftsdict_prefix(ix->dict, f, fn))
		return 1;
	if (n > MAX_WORD)
		return 1;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = '\0';
	return known(ix, w);
}

/* q with each typo replaced by the nearest word of the vocabulary into
 * out; whether any was. Stop words stay as typed (they are dropped when
 * the result is searched), quoted words too. */
static int corrected(ts_index *ix, const qterm *t, size_t n, tc_buf *out)
{
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		const char *fix = NULL;
		char w[MAX_WORD + 1],
		    part[TC_FTSTOK_MAX_PARTS][TC_FTSTOK_MAX + 1];
		if (!t[i].phrase && t[i].n >= TYPO_MIN && t[i].n <= MAX_WORD &&
		    !is_stop(ix, &t[i]) && !is_number(t[i].s, t[i].n) &&
		    !letters_then_digits(t[i].s, t[i].n) &&
		    !in_index(ix, t[i].s, t[i].n) &&
		    !compound(ix->dict, t[i].s, t[i].n, part)) {
			for (size_t k = 0; k < t[i].n; k++)
				w[k] = (char)tolower((unsigned char)t[i].s[k]);
			w[t[i].n] = '\0';
			fix = nearest(ix, w);
		}
		if (out->len)
			tc_buf_putc(out, ' ');
		if (fix) {
			tc_buf_puts(out, fix);
			changed = 1;
		} else if (t[i].phrase) {
			tc_buf_putc(out, '"');
			tc_buf_put(out, t[i].s, t[i].n);
			tc_buf_putc(out, '"');
		} else {
			tc_buf_put(out, t[i].s, t[i].n);
		}
	}
	return changed;
}

/* The plan of p's search (see plan). found: how many the whole words find
 * when the caller has counted them (-1: not yet). Returns 0, or -1 with
 * err set when q has no word. */
static int plan_make(ts_index *ix, const ts_params *p, json_int_t found,
		     plan *pl, tc_buf *err)
{
	qterm t[MAX_TERMS], c[MAX_TERMS];
	size_t n = parse_terms(p->v[P_Q], t);
	memset(pl, 0, sizeof *pl);
	if (!n) {
		tc_buf_puts(err, "parameter 'q' has no word to search for");
		return -1;
	}
	size_t k = drop_stop(ix, t, n);
	build(ix, t, k, 0, &pl->match, &pl->groups);
	if (found < 0)
		found = count_match(ix, tc_buf_cstr(&pl->match), p);
	if (found > 0)
		return 0;
	/* a typo: its correction, when that finds something */
	tc_buf fixed = TC_BUF_INIT, m = TC_BUF_INIT, g = TC_BUF_INIT;
	size_t cn = 0;
	if (corrected(ix, t, n, &fixed)) {
		cn = drop_stop(ix, c, parse_terms(tc_buf_cstr(&fixed), c));
		build(ix, c, cn, 0, &m, &g);
		if (count_match(ix, tc_buf_cstr(&m), p) > 0) {
			tc_buf_free(&pl->match);
			tc_buf_free(&pl->groups);
			pl->match = m;
			pl->groups = g;
			pl->showing = fixed;
			pl->kind = CORRECTED;
			return 0;
		}
	}
	/* some of the words: two or more (a compound's parts count) */
	const qterm *u = cn ? c : t;
	tc_buf_clear(&m);
	tc_buf_clear(&g);
	build(ix, u, cn ? cn : k, 1, &m, &g);
	int many = 0;
	for (size_t i = 1; i < g.len; i++)
		many |= g.data[i] != g.data[0];
	if (many && count_measures(ix, tc_buf_cstr(&m), p) > 0) {
		tc_buf_free(&pl->match);
		tc_buf_free(&pl->groups);
		pl->match = m;
		pl->groups = g;
		pl->kind = PARTIAL;
		tc_buf_free(&fixed);
		return 0;
	}
	tc_buf_free(&m);
	tc_buf_free(&g);
	tc_buf_free(&fixed);
	return 0;
}

/* The page of results into pg: the entries that match, then the
 * measures, as one ranked list paged by offset and limit (PARTIAL: the
 * measures only, by how many words they have). Returns the total, or -1
 * when SQLite fails. */
static json_int_t put_page(ts_index *ix, const plan *pl, const ts_params *p,
			   page *pg)
{
	const char *match = tc_buf_cstr(&pl->match);
	json_int_t entries =
	    pl->kind == PARTIAL ? 0 : rank_entries(ix, match, p, p->offset, pg);
	size_t first = pg->n; /* the page's first measure */
	long skip =
	    entries < 0 || p->offset < entries ? 0 : p->offset - (long)entries;
	json_int_t measures =
	    entries < 0 ? -1
			: rank_measures(ix, match, tc_buf_cstr(&pl->groups),
					pl->kind == PARTIAL, p, skip, pg);
	json_int_t total = measures < 0 ? -1 : entries + measures;
	pg->entries = entries;
	if (total >= 0 && pg->n > first &&
	    page_measures(ix, p, pg, first, pg->n) < 0)
		total = -1;
	return total;
}

static void page_free(page *pg)
{
	for (size_t i = 0; i < TS_LIMIT_MAX; i++) {
		tc_buf_free(&pg->result[i]);
		tc_buf_free(&pg->snip[i]);
	}
	free(pg);
}

/* A search's answer before it is written: the plan it was found by, the
 * page, the total. */
typedef struct answer {
	plan pl;
	page *pg;
	json_int_t total;
} answer;

static void answer_free(answer *an)
{
	if (an->pg)
		page_free(an->pg);
	plan_free(&an->pl);
}

/* p's answer into an (view: its results for ts_search_found, see page);
 * 0, or -1 with err set (an freed). */
static int answer_make(ts_index *ix, const ts_params *p, int view, answer *an,
		       tc_buf *err)
{
	qterm t[MAX_TERMS];
	size_t n = parse_terms(p->v[P_Q], t);
	memset(an, 0, sizeof *an);
	if (!n) {
		tc_buf_puts(err, "parameter 'q' has no word to search for");
		return -1;
	}
	/* the busy path: the whole words, ranked once; the plan's other
	 * steps only when they find nothing */
	build(ix, t, drop_stop(ix, t, n), 0, &an->pl.match, &an->pl.groups);
	an->pg = tc_xcalloc(1, sizeof *an->pg);
	an->pg->view = view;
	an->total = put_page(ix, &an->pl, p, an->pg);
	if (an->total == 0) {
		plan_free(&an->pl);
		plan_make(ix, p, 0, &an->pl, err);
		if (an->pl.kind != WHOLE) {
			page_free(an->pg);
			an->pg = tc_xcalloc(1, sizeof *an->pg);
			an->pg->view = view;
			an->total = put_page(ix, &an->pl, p, an->pg);
		}
	}
	if (an->total < 0 && an->pg->too_broad) {
		tc_buf_printf(err,
			      "the search matches more than %d words: search "
			      "for more, or longer, words",
			      TC_FTSTOK_KEEP_MAX);
		answer_free(an);
		return -1;
	}
	if (an->total < 0) {
		/* Terms are quoted, so this is not the user's syntax; still,
		 * say so rather than return a partial list. */
		tc_buf_puts(err, "the search could not be run: ");
		put_errmsg(err, ix->db);
		answer_free(an);
		return -1;
	}
	return 0;
}

int ts_search_text(ts_index *ix, const ts_params *p, const char *schema,
		   tc_buf *out, tc_buf *err)
{
	answer an;
	if (answer_make(ix, p, 0, &an, err) < 0)
		return -1;
	page *pg = an.pg;
	/* the order of the keys is the published schema's (search.schema) */
	tc_buf_putc(out, '{');
	if (schema) {
		tc_buf_puts(out, "\"$schema\":");
		put_jstr(out, schema, strlen(schema));
		tc_buf_putc(out, ',');
	}
	tc_buf_puts(out, "\"query\":");
	put_jstr(out, p->v[P_Q], strlen(p->v[P_Q]));
	tc_buf_printf(out, ",\"total\":%lld,\"limit\":%ld,\"offset\":%ld,",
		      (long long)an.total, p->limit, p->offset);
	put_filter(p, out);
	tc_buf_puts(out, ",\"version\":");
	put_jstr(out, ix->version, strlen(ix->version));
	tc_buf_puts(out, ",\"results\":[");
	/* room for the results at once: grown result by result, the answer
	 * was copied again at each doubling */
	size_t room = pg->n;
	for (size_t i = 0; i < pg->n; i++)
		room += pg->result[i].len;
	tc_buf_grow_(out, room);
	for (size_t i = 0; i < pg->n; i++) {
		if (i)
			tc_buf_putc(out, ',');
		tc_buf_put(out, tc_buf_cstr(&pg->result[i]), pg->result[i].len);
	}
	tc_buf_puts(out, "],\"suggestions\":");
	/* nothing found: the nearest words of the vocabulary that do find
	 * something, with the same filters */
	json_t *sugg = an.total ? NULL : ts_suggest(ix, p);
	char *sd =
	    sugg ? json_dumps(sugg, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	tc_buf_puts(out, sd ? sd : "[]");
	free(sd);
	json_decref(sugg);
	/* how the answer was found, when not by every word as typed */
	if (an.pl.kind == CORRECTED) {
		tc_buf_puts(out, ",\"showing\":");
		put_jstr(out, tc_buf_cstr(&an.pl.showing), an.pl.showing.len);
	}
	if (an.pl.kind == PARTIAL)
		tc_buf_puts(out, ",\"partial\":true");
	if (pg->not_applicable)
		tc_buf_printf(out, ",\"not_applicable\":%lld",
			      (long long)pg->not_applicable);
	tc_buf_putc(out, '}');
	/* every other byte is written here: JSON strings (put_jstr), numbers
	 * and jansson's suggestions */
	int checked = !pg->unchecked;
	answer_free(&an);
	return checked;
}

/* ---- what the index stores, read into a view ---- */

/* Reads a JSON text the index stores (a result: its head, cells and
 * tail) into a view in a (lib/val.h), as jansson reads it: strings of
 * UTF-8 without NUL, copied into a; integers that fit a long long;
 * nesting at most TC_VAL_MAX_DEPTH; a later duplicate key wins. */
typedef struct reader {
	const char *s, *end;
	tc_arena *a;
	tc_buf tmp; /* a string with escapes, unescaped */
} reader;

static void skip_ws(reader *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\t' ||
				 *r->s == '\n' || *r->s == '\r'))
		r->s++;
}

static int hex4(const char *s, const char *end, unsigned *v)
{
	*v = 0;
	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)s[i],
		    d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

static void put_utf8(tc_buf *b, unsigned cp)
{
	if (cp < 0x80) {
		tc_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		tc_buf_putc(b, (char)(0xc0 | cp >> 6));
		tc_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		tc_buf_putc(b, (char)(0xe0 | cp >> 12));
		tc_buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		tc_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		tc_buf_putc(b, (char)(0xf0 | cp >> 18));
		tc_buf_putc(b, (char)(0x80 | (cp >> 12 & 0x3f)));
		tc_buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		tc_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* The string that starts past the quote at r->s, copied into r->a, into
 * *out and *n; -1 when it is not one. */
static int read_string(reader *r, const char **out, size_t *n)
{
	const char *p = r->s;
	unsigned char high = 0; /* a byte past ASCII: UTF-8 to check */
	while (p < r->end && *p != '"' && *p != '\\' &&
	       (unsigned char)*p >= 0x20)
		high |= (unsigned char)*p++;
	const char *from = r->s;
	size_t len = (size_t)(p - r->s);
	if (p < r->end && *p == '\\') {
		tc_buf_clear(&r->tmp);
		tc_buf_put(&r->tmp, r->s, len);
		high = 0x80; /* escapes may make any character */
		while (p < r->end && *p != '"') {
			unsigned char c = (unsigned char)*p++;
			if (c < 0x20)
				return -1;
			if (c != '\\') {
				tc_buf_putc(&r->tmp, (char)c);
				continue;
			}
			if (p >= r->end)
				return -1;
			unsigned cp, lo;
			switch (*p++) {
			case '"': tc_buf_putc(&r->tmp, '"'); break;
			case '\\': tc_buf_putc(&r->tmp, '\\'); break;
			case '/': tc_buf_putc(&r->tmp, '/'); break;
			case 'b': tc_buf_putc(&r->tmp, '\b'); break;
			case 'f': tc_buf_putc(&r->tmp, '\f'); break;
			case 'n': tc_buf_putc(&r->tmp, '\n'); break;
			case 'r': tc_buf_putc(&r->tmp, '\r'); break;
			case 't': tc_buf_putc(&r->tmp, '\t'); break;
			case 'u':
				if (hex4(p, r->end, &cp))
					return -1;
				p += 4;
				if (cp >= 0xd800 && cp < 0xdc00) {
					if (r->end - p < 6 || p[0] != '\\' ||
					    p[1] != 'u' ||
					    hex4(p + 2, r->end, &lo) ||
					    lo < 0xdc00 || lo > 0xdfff)
						return -1;
					p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
				} else if ((cp >= 0xdc00 && cp < 0xe000) ||
					   cp == 0) {
					return -1;
				}
				put_utf8(&r->tmp, cp);
				break;
			default: return -1;
			}
		}
		from = tc_buf_cstr(&r->tmp);
		len = r->tmp.len;
	}
	if (p >= r->end || *p != '"' ||
	    ((high & 0x80) && !tc_utf8_valid(from, len)))
		return -1;
	*out = tc_arena_strndup(r->a, from, len);
	*n = len;
	r->s = p + 1;
	return 0;
}

static const tc_val *read_number(reader *r)
{
	const char *p = r->s;
	int real = 0;
	if (p < r->end && *p == '-')
		p++;
	if (p < r->end && *p == '0')
		p++;
	else if (p < r->end && *p >= '1' && *p <= '9')
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (p < r->end && *p == '.') {
		real = 1;
		if (++p >= r->end || *p < '0' || *p > '9')
			return NULL;
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return NULL;
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	/* any length, as jansson reads it (the input bounds it) */
	tc_buf_clear(&r->tmp);
	tc_buf_put(&r->tmp, r->s, (size_t)(p - r->s));
	const char *text = tc_buf_cstr(&r->tmp);
	r->s = p;
	errno = 0;
	if (!real) {
		long long v = strtoll(text, NULL, 10);
		return errno ? NULL : tc_val_int(r->a, v);
	}
	/* jansson refuses an overflow only: an underflow reads as strtod
	 * gives it (0 or a subnormal), though strtod says ERANGE */
	double d = strtod(text, NULL);
	return !isfinite(d) || (errno == ERANGE && fabs(d) == HUGE_VAL)
		   ? NULL
		   : tc_val_real(r->a, d);
}

static const tc_val *read_value(reader *r, int depth);

/* The members of an object or the elements of an array, past its
 * opening bracket. */
static tc_val *read_container(reader *r, int depth, int object)
{
	tc_val *v = object ? tc_val_map(r->a) : tc_val_list(r->a);
	char close = object ? '}' : ']';
	skip_ws(r);
	if (r->s < r->end && *r->s == close) {
		r->s++;
		return v;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen = 0;
		skip_ws(r);
		if (object) {
			if (r->s >= r->end || *r->s != '"')
				return NULL;
			r->s++;
			if (read_string(r, &key, &klen) < 0)
				return NULL;
			skip_ws(r);
			if (r->s >= r->end || *r->s != ':')
				return NULL;
			r->s++;
		}
		const tc_val *x = read_value(r, depth + 1);
		if (!x)
			return NULL;
		if (object)
			tc_val_setn(v, key, klen, x);
		else
			tc_val_list_push(v, x);
		skip_ws(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == close) {
			r->s++;
			return v;
		}
		return NULL;
	}
}

/* A value at r->s (after white space), or NULL when there is none. */
static const tc_val *read_value(reader *r, int depth)
{
	skip_ws(r);
	if (r->s >= r->end || depth > TC_VAL_MAX_DEPTH)
		return NULL;
	size_t left = (size_t)(r->end - r->s);
	switch (*r->s) {
	case '{': r->s++; return read_container(r, depth, 1);
	case '[': r->s++; return read_container(r, depth, 0);
	case '"': {
		const char *s;
		size_t n;
		r->s++;
		return read_string(r, &s, &n) < 0 ? NULL
						  : tc_val_strn(r->a, s, n);
	}
	case 't':
		if (left < 4 || memcmp(r->s, "true", 4))
			return NULL;
		r->s += 4;
		return tc_val_bool(true);
	case 'f':
		if (left < 5 || memcmp(r->s, "false", 5))
			return NULL;
		r->s += 5;
		return tc_val_bool(false);
	case 'n':
		if (left < 4 || memcmp(r->s, "null", 4))
			return NULL;
		r->s += 4;
		return tc_val_null();
	default: return read_number(r);
	}
}

tc_val *ts_read_stored(tc_arena *a, const char *s, size_t n)
{
	reader r = {s, s + n, a, TC_BUF_INIT};
	tc_val *v = NULL;
	skip_ws(&r);
	if (r.s < r.end && *r.s == '{') {
		r.s++;
		v = read_container(&r, 0, 1);
	}
	skip_ws(&r);
	tc_buf_free(&r.tmp);
	return v && r.s == r.end ? v : NULL;
}

int ts_search_found(ts_index *ix, const ts_params *p, tc_arena *a,
		    ts_found *out, tc_buf *err)
{
	answer an;
	memset(out, 0, sizeof *out);
	if (answer_make(ix, p, 1, &an, err) < 0)
		return -1;
	page *pg = an.pg;
	tc_val *results = tc_val_list(a);
	for (size_t i = 0; i < pg->n; i++) {
		/* what the index stores of the result: its head, then its
		 * cells that pass or an entry's tail, read as the file's
		 * JSON; its snippet is ours, never written as JSON */
		tc_val *r = ts_read_stored(a, tc_buf_cstr(&pg->result[i]),
					   pg->result[i].len);
		if (!r) {
			tc_buf_puts(err, "the answer could not be made from "
					 "the search index");
			fault(ix, SQLITE_CORRUPT,
			      "a result it stores is not JSON");
			answer_free(&an);
			return -1;
		}
		tc_val_set(r, "snippet",
			   tc_val_strndup(a, tc_buf_cstr(&pg->snip[i]),
					  pg->snip[i].len));
		tc_val_list_push(results, r);
	}
	out->results = results;
	out->total = an.total;
	out->suggestions = an.total ? json_array() : ts_suggest(ix, p);
	if (an.pl.kind == CORRECTED)
		out->showing = tc_buf_detach(&an.pl.showing);
	out->partial = an.pl.kind == PARTIAL;
	out->not_applicable = pg->not_applicable;
	out->entries = pg->entries;
	answer_free(&an);
	return 0;
}

void ts_found_free(ts_found *an)
{
	json_decref(an->suggestions);
	free(an->showing);
	memset(an, 0, sizeof *an);
}

/* ---- exports ---- */

int ts_export_stored(ts_index *ix, const char *format, const char *product,
		     tc_buf *out)
{
	char key[256];
	if (tc_ix_export_key(key, sizeof key, format, product) < 0)
		return -1;
	sqlite3_stmt *st = ix->stored;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int found = step(ix, st) == SQLITE_ROW;
	const void *body = found ? sqlite3_column_blob(st, 0) : NULL;
	if (body)
		tc_buf_put(out, body, (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_reset(st);
	return found ? 0 : -1;
}

/* The numbers (rowid - 1, the model's order) of the measures that match
 * match and pass p's filters, as keep flags; -1 with err set. */
static int matching(ts_index *ix, const char *match, const ts_params *p,
		    unsigned char *keep, tc_buf *err)
{
	sqlite3_stmt *st = ix->measures;
	bind_filters(ix, st, match, p);
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		sqlite3_int64 r = sqlite3_column_int64(st, 0);
		if (r < 1 || (size_t)r > ix->nmeasures) {
			rc = fault(ix, SQLITE_CORRUPT,
				   "a measure's row is not one of its "
				   "data set's");
			break;
		}
		keep[r - 1] = 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	tc_buf_puts(err, "the data could not be read from the index");
	return -1;
}

tc_pick *ts_export_pick(ts_index *ix, const ts_params *p, tc_buf *err)
{
	const tc_model *m = ts_index_model(ix);
	if (!m) {
		tc_buf_puts(err, "the index's data set is damaged");
		return NULL;
	}
	tc_pick *f = tc_pick_filter(m, p->v[P_PRODUCT], p->v[P_CATEGORY],
				    p->v[P_STATUS], p->v[P_RESP]);
	if (!p->v[P_Q])
		return f;
	/* the measures the search finds: by the same plan, the words where
	 * the search looks for them (measure_match) */
	plan pl;
	memset(&pl, 0, sizeof pl);
	tc_buf mm = TC_BUF_INIT;
	unsigned char *keep = tc_xcalloc(ix->nmeasures + 1, 1);
	int rc = plan_make(ix, p, -1, &pl, err);
	if (rc == 0) {
		measure_match(ix, p, tc_buf_cstr(&pl.match), 1, &mm);
		rc = matching(ix, tc_buf_cstr(&mm), p, keep, err);
	}
	if (rc == 0)
		tc_pick_only(f, keep, p->v[P_Q]);
	free(keep);
	tc_buf_free(&mm);
	plan_free(&pl);
	if (rc == 0)
		return f;
	tc_pick_free(f);
	return NULL;
}

int ts_index_load_model(ts_index *ix, tc_buf *err)
{
	return load_model(ix, err);
}

int ts_index_load_all(ts_index *ix, tc_buf *err)
{
	ix = ix->root;
	for (size_t i = 0; i <= ix->nothers; i++)
		if (load_model(i ? ix->others[i - 1] : ix, err) < 0)
			return -1;
#ifdef __GLIBC__
	/* the JSON text and tree it was read from are freed, amid the
	 * model's strings: give their pages back, or every worker forked
	 * after this counts them in its RSS (25 MB of 40 at L) */
	malloc_trim(0);
#endif
	return 0;
}

const char *ts_index_model_damage(const ts_index *ix)
{
	return ix->model_why;
}

const tc_model *ts_index_model(ts_index *ix)
{
	tc_buf err = TC_BUF_INIT;
	load_model(ix, &err);
	tc_buf_free(&err);
	return ix->model;
}
