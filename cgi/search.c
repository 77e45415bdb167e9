#include "search.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/escape.h"
#include "../lib/ftstok.h"
#include "../lib/indexfmt.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"

#define MAX_TERMS 16

struct ts_index {
	sqlite3 *db;
	/* prepared once per process, reset after each use */
	sqlite3_stmt *ranked, *page, *count, *stored, *measures, *probe;
	sqlite3_stmt *eranked, *epage, *ecount; /* the entries' */
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
	json_t *page_ctx;
	json_t *changes; /* api/changes.json */
	mus_env *env;
	char *etag, *version;
	char *tom_sha256; /* of api/tom.json as published: XLSX covers */
	char **terms;     /* the vocabulary, sorted: suggestions come from it */
	long *docs;       /* how many measures use each term */
	size_t nterms;
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
		if (ix->nterms == cap) {
			cap = cap ? cap * 2 : 256;
			ix->terms =
			    tc_xrealloc(ix->terms, cap * sizeof *ix->terms);
			ix->docs =
			    tc_xrealloc(ix->docs, cap * sizeof *ix->docs);
		}
		ix->terms[ix->nterms] = tc_xstrdup(term);
		ix->docs[ix->nterms++] = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}

static int prepare_all(ts_index *ix)
{
	static const struct {
		const char *sql;
		size_t off;
	} stmts[] = {
	    {TC_IX_SELECT_RANKED, offsetof(ts_index, ranked)},
	    {TC_IX_SELECT_PAGE, offsetof(ts_index, page)},
	    {TC_IX_SELECT_COUNT, offsetof(ts_index, count)},
	    {TC_IX_SELECT_EXPORT, offsetof(ts_index, stored)},
	    {TC_IX_SELECT_EXPORT_MEASURES, offsetof(ts_index, measures)},
	    {TC_IX_SELECT_META, offsetof(ts_index, probe)},
	    {TC_IX_SELECT_ENTRIES_RANKED, offsetof(ts_index, eranked)},
	    {TC_IX_SELECT_ENTRIES_PAGE, offsetof(ts_index, epage)},
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
	ix->lang = (tc_lang){ix->code, ix->prefix, ix->msgs};
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
	ix->changes = changes ? json_loads(changes, 0, NULL) : NULL;
	free(cat);
	free(page);
	free(changes);
	ix->etag = meta(ix->db, TC_IX_ETAG);
	ix->version = meta(ix->db, TC_IX_VERSION);
	ix->tom_sha256 = meta(ix->db, TC_IX_TOM_SHA256);
	ix->build = meta(ix->db, TC_IX_BUILD);
	return ix->catalog && ix->page_ctx && ix->changes && ix->etag &&
		       ix->version && ix->tom_sha256 && ix->build &&
		       load_lang(ix) == 0
		   ? 0
		   : -2;
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

/* The other languages' indexes, named by the default's: path.<code>. */
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
		tc_buf_free(&p);
		if (!o || strcmp(o->code, code)) {
			ts_index_close(o);
			rc = -1;
			break;
		}
		free(o->prefix);
		o->prefix = tc_xmalloc(strlen(code) + 2);
		sprintf(o->prefix, "/%s", code);
		o->lang.prefix = o->prefix;
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

int ts_index_stemmed(const ts_index *ix)
{
	return ix->stemmed;
}

static ts_index *open_one(const char *path, int whole, tc_buf *err)
{
	ts_index *ix = tc_xcalloc(1, sizeof *ix);
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
	int rc = sqlite3_open_v2(tc_buf_cstr(&uri), &ix->db,
				 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
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
	struct stat now;
	int bad = verify(ix, path, whole, err) < 0;
	/* the pages the checks read are not what requests read: a worker
	 * must not start with (nor inherit) a cache full of them */
	sqlite3_db_release_memory(ix->db);
	if (bad)
		;
	else if (load(ix) < 0 || load_templates(ix) < 0 || load_vocab(ix) < 0 ||
		 prepare_all(ix) < 0) {
		tc_buf_printf(err, "index %s is damaged: ", path);
		put_errmsg(err, ix->db);
	}
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
	sqlite3_finalize(ix->page);
	sqlite3_finalize(ix->count);
	sqlite3_finalize(ix->stored);
	sqlite3_finalize(ix->measures);
	sqlite3_finalize(ix->probe);
	sqlite3_finalize(ix->eranked);
	sqlite3_finalize(ix->epage);
	sqlite3_finalize(ix->ecount);
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
	json_decref(ix->page_ctx);
	json_decref(ix->changes);
	mus_env_free(ix->env);
	free(ix->etag);
	free(ix->version);
	free(ix->tom_sha256);
	for (size_t i = 0; i < ix->nterms; i++)
		free(ix->terms[i]);
	free(ix->terms);
	free(ix->docs);
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

/* A bare word is a prefix ("encr" finds "encryption"). Under a stemming
 * tokenizer a prefix term matches words as written only, so the word is
 * also asked for stemmed: "verschlüsselt" finds "Verschlüsselung". */
static void put_term(tc_buf *m, const char *s, size_t n, int prefix,
		     int stemmed)
{
	if (prefix && stemmed) {
		quoted(m, s, n);
		tc_buf_puts(m, " OR ");
	}
	quoted(m, s, n);
	if (prefix)
		tc_buf_putc(m, '*');
}

/* A number names a part of what the word before it names: "SOC 2" is a
 * report, not a SOC (the synonym of incident response) somewhere and a 2
 * (TST-2) elsewhere; "ISO 27001" a standard. So a bare number right after
 * a bare word is asked for within QUERY_NEAR words of it (NEAR, prefixes
 * both, which under tc_stem match the words as written): "ISO 27001" finds
 * "ISO/IEC 27001:2022". A number is a digit, then digits and ".:/-". */
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

static void put_near(tc_buf *m, const qterm *t, size_t n)
{
	tc_buf_puts(m, "NEAR(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			tc_buf_putc(m, ' ');
		quoted(m, t[i].s, t[i].n);
		tc_buf_putc(m, '*');
	}
	tc_buf_printf(m, ", %d)", QUERY_NEAR);
}

int ts_query_build(const char *q, int stemmed, tc_buf *match, tc_buf *err)
{
	qterm t[MAX_TERMS];
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
	if (!terms) {
		tc_buf_puts(err, "parameter 'q' has no word to search for");
		return -1;
	}
	for (size_t i = 0; i < terms;) {
		if (match->len)
			tc_buf_puts(match, " AND ");
		/* a word and the numbers right after it */
		size_t j = i + 1;
		while (!t[i].phrase && !is_number(t[i].s, t[i].n) &&
		       j < terms && !t[j].phrase && is_number(t[j].s, t[j].n))
			j++;
		if (j > i + 1) {
			put_near(match, &t[i], j - i);
			i = j;
			continue;
		}
		size_t k =
		    t[i].phrase ? 0 : letters_then_digits(t[i].s, t[i].n);
		int group = (!t[i].phrase && stemmed) || k;
		if (group)
			tc_buf_putc(match, '(');
		put_term(match, t[i].s, t[i].n, !t[i].phrase, stemmed);
		if (k) {
			/* "ISO27001" as written, or as "ISO 27001" */
			qterm two[2] = {{t[i].s, k, 0},
					{t[i].s + k, t[i].n - k, 0}};
			tc_buf_puts(match, " OR ");
			put_near(match, two, 2);
		}
		if (group)
			tc_buf_putc(match, ')');
		i++;
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

static void bind_named(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Binds the filters of p (and match, may be NULL) to the statement's named
 * parameters (lib/indexfmt.h); the others stay NULL. */
static void bind_filters(sqlite3_stmt *st, const char *match,
			 const ts_params *p)
{
	sqlite3_clear_bindings(st);
	bind_named(st, ":match", match);
	bind_named(st, ":product", p->v[P_PRODUCT]);
	bind_named(st, ":category", p->v[P_CATEGORY]);
	bind_named(st, ":status", p->v[P_STATUS]);
	if (p->v[P_RESP]) {
		tc_buf r = TC_BUF_INIT;
		tc_buf_printf(&r, ",%s,", p->v[P_RESP]);
		bind_named(st, ":resp", tc_buf_cstr(&r));
		tc_buf_free(&r);
	}
}

/* s[0..n) as a JSON string, as jansson writes it (lib/escape.h: JSON is
 * never escaped by hand). Text that is not UTF-8 cannot be in the index
 * (tc-gen checks its sources), nor in a parameter: it would be "". */
static void put_jstr(tc_buf *out, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	tc_buf_puts(out, d ? d : "\"\"");
	free(d);
	json_decref(j);
}

/* The page of a search: the rowids in rank order, then each one's result
 * as JSON. */
typedef struct page {
	sqlite3_int64 row[TS_LIMIT_MAX];
	tc_buf result[TS_LIMIT_MAX];
	size_t n;
} page;

/* One result: the stored head, the snippet, then the cells that pass (a
 * measure's) or the stored tail (an entry's). */
static void put_result(sqlite3_stmt *st, int entry, tc_buf *snip, tc_buf *out)
{
	const char *sn = (const char *)sqlite3_column_text(st, TC_IXR_SNIPPET);
	const char *cells = (const char *)sqlite3_column_text(st, TC_IXR_CELLS);
	tc_buf_clear(snip);
	ts_snippet_html(snip, sn ? sn : "");
	const char *head = (const char *)sqlite3_column_text(st, TC_IXR_HEAD);
	if (head)
		tc_buf_put(out, head,
			   (size_t)sqlite3_column_bytes(st, TC_IXR_HEAD));
	put_jstr(out, tc_buf_cstr(snip), snip->len);
	if (entry) {
		tc_buf_puts(out, cells ? cells : "}");
		return;
	}
	tc_buf_puts(out, ",\"cells\":{");
	tc_buf_puts(out, cells ? cells : "");
	tc_buf_puts(out, "}}");
}

/* The first pass: counts every row of st (ranked) that matches and
 * passes, and keeps the rowids of those from skip on while the page has
 * room. Returns the count, or -1 when SQLite fails. */
static json_int_t rank(ts_index *ix, sqlite3_stmt *st, const char *match,
		       const ts_params *p, long skip, page *pg)
{
	bind_filters(st, match, p);
	json_int_t total = 0;
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW)
		if (total++ >= skip && pg->n < (size_t)p->limit &&
		    pg->n < TS_LIMIT_MAX)
			pg->row[pg->n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? total : -1;
}

/* The second pass: the page's results of rows [first, end), each into
 * its place (the entries come before the measures). */
static int make_page(ts_index *ix, sqlite3_stmt *st, int entry,
		     const char *match, const ts_params *p, page *pg,
		     size_t first, size_t end)
{
	tc_buf set = TC_BUF_INIT, snip = TC_BUF_INIT;
	sqlite3_int64 lo = pg->row[first], hi = pg->row[first];
	tc_buf_putc(&set, ',');
	for (size_t i = first; i < end; i++) {
		tc_buf_printf(&set, "%lld,", (long long)pg->row[i]);
		lo = pg->row[i] < lo ? pg->row[i] : lo;
		hi = pg->row[i] > hi ? pg->row[i] : hi;
	}
	bind_filters(st, match, p);
	bind_named(st, ":page", tc_buf_cstr(&set));
	int k = sqlite3_bind_parameter_index(st, ":lo");
	if (k)
		sqlite3_bind_int64(st, k, lo);
	if ((k = sqlite3_bind_parameter_index(st, ":hi")))
		sqlite3_bind_int64(st, k, hi);
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		sqlite3_int64 r = sqlite3_column_int64(st, TC_IXR_ROWID);
		for (size_t i = first; i < end; i++)
			if (pg->row[i] == r && !pg->result[i].len)
				put_result(st, entry, &snip, &pg->result[i]);
	}
	sqlite3_reset(st);
	tc_buf_free(&set);
	tc_buf_free(&snip);
	return rc == SQLITE_DONE ? 0 : -1;
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

static json_int_t count_stmt(ts_index *ix, sqlite3_stmt *st, const char *match,
			     const ts_params *p)
{
	json_int_t total = 0;
	bind_filters(st, match, p);
	if (step(ix, st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return total;
}

/* How many results the words match (built) find with p's filters:
 * entries and measures, as the search counts them. */
static json_int_t count_match(ts_index *ix, const char *match,
			      const ts_params *p)
{
	return count_stmt(ix, ix->ecount, match, p) +
	       count_stmt(ix, ix->count, match, p);
}

json_int_t ts_search_entries(ts_index *ix, const ts_params *p)
{
	tc_buf match = TC_BUF_INIT, err = TC_BUF_INIT;
	json_int_t n = 0;
	if (p->v[P_Q] &&
	    ts_query_build(p->v[P_Q], ix->stemmed, &match, &err) == 0)
		n = count_stmt(ix, ix->ecount, tc_buf_cstr(&match), p);
	tc_buf_free(&match);
	tc_buf_free(&err);
	return n;
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
	/* each word not in the vocabulary replaced by its nearest term */
	tc_buf fixed = TC_BUF_INIT;
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		/* "SOC2" is no typo of "soc": a word that ends in a number
		 * keeps it */
		size_t len = strlen(w[i]);
		int numbered =
		    is_number(w[i], len) || letters_then_digits(w[i], len);
		const char *t =
		    known(ix, w[i]) || numbered ? NULL : nearest(ix, w[i]);
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
		const char *t = known(ix, w[i]) ? w[i] : nearest(ix, w[i]);
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

/* The page of results into out: the entries that match, then the
 * measures, as one ranked list paged by offset and limit. Returns the
 * total, or -1 when SQLite fails. */
static json_int_t put_page(ts_index *ix, const char *match, const ts_params *p,
			   tc_buf *out)
{
	page *pg = tc_xcalloc(1, sizeof *pg);
	json_int_t entries = rank(ix, ix->eranked, match, p, p->offset, pg);
	size_t first = pg->n; /* the page's first measure */
	long skip =
	    entries < 0 || p->offset < entries ? 0 : p->offset - (long)entries;
	json_int_t measures =
	    entries < 0 ? -1 : rank(ix, ix->ranked, match, p, skip, pg);
	json_int_t total = measures < 0 ? -1 : entries + measures;
	if (total >= 0 && first &&
	    make_page(ix, ix->epage, 1, match, p, pg, 0, first) < 0)
		total = -1;
	if (total >= 0 && pg->n > first &&
	    make_page(ix, ix->page, 0, match, p, pg, first, pg->n) < 0)
		total = -1;
	for (size_t i = 0; i < pg->n; i++) {
		if (i)
			tc_buf_putc(out, ',');
		tc_buf_put(out, tc_buf_cstr(&pg->result[i]), pg->result[i].len);
		tc_buf_free(&pg->result[i]);
	}
	free(pg);
	return total;
}

int ts_search_text(ts_index *ix, const ts_params *p, const char *schema,
		   tc_buf *out, tc_buf *err)
{
	tc_buf match = TC_BUF_INIT, results = TC_BUF_INIT;
	if (ts_query_build(p->v[P_Q], ix->stemmed, &match, err) < 0) {
		tc_buf_free(&match);
		return -1;
	}
	json_int_t total = put_page(ix, tc_buf_cstr(&match), p, &results);
	tc_buf_free(&match);
	if (total < 0) {
		/* Terms are quoted, so this is not the user's syntax; still,
		 * say so rather than return a partial list. */
		tc_buf_puts(err, "the search could not be run: ");
		put_errmsg(err, ix->db);
		tc_buf_free(&results);
		return -1;
	}
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
		      (long long)total, p->limit, p->offset);
	put_filter(p, out);
	tc_buf_puts(out, ",\"version\":");
	put_jstr(out, ix->version, strlen(ix->version));
	tc_buf_puts(out, ",\"results\":[");
	tc_buf_put(out, tc_buf_cstr(&results), results.len);
	tc_buf_puts(out, "],\"suggestions\":");
	/* nothing found: the nearest words of the vocabulary that do find
	 * something, with the same filters */
	json_t *sugg = total ? NULL : ts_suggest(ix, p);
	char *sd =
	    sugg ? json_dumps(sugg, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	tc_buf_puts(out, sd ? sd : "[]");
	tc_buf_putc(out, '}');
	free(sd);
	json_decref(sugg);
	tc_buf_free(&results);
	return 0;
}

json_t *ts_search(ts_index *ix, const ts_params *p, tc_buf *err)
{
	tc_buf out = TC_BUF_INIT;
	json_t *r = NULL;
	if (ts_search_text(ix, p, NULL, &out, err) == 0) {
		r = json_loadb(out.data, out.len, 0, NULL);
		/* what the index stores made no JSON: the index is bad */
		if (!r)
			tc_buf_puts(err, "the answer could not be read back");
		if (!r)
			fault(ix, SQLITE_CORRUPT,
			      "a search answer made from it is not JSON");
	}
	tc_buf_free(&out);
	return r;
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

/* The catalog with every measure that passes the filters (and matches
 * match, when not NULL) read from the index into its category: the data
 * set as api/tom.json has it, less what no filter would keep. */
static json_t *read_measures(ts_index *ix, const char *match,
			     const ts_params *p, tc_buf *err)
{
	json_t *doc = json_copy(ix->catalog), *cats = json_array(), *c;
	size_t i;
	json_array_foreach (json_object_get(ix->catalog, "categories"), i, c) {
		json_t *copy = json_copy(c);
		json_object_set_new(copy, "measures", json_array());
		json_array_append_new(cats, copy);
	}
	json_object_set_new(doc, "categories", cats);
	sqlite3_stmt *st = ix->measures;
	bind_filters(st, match, p);
	size_t at = 0;
	int rc;
	while ((rc = step(ix, st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 1);
		if (!cid) {
			rc = fault(ix, SQLITE_CORRUPT,
				   "a measure without a category");
			break;
		}
		/* rows come in category order: walk forward to theirs */
		while (at < json_array_size(cats) &&
		       strcmp(json_string_value(json_object_get(
				  json_array_get(cats, at), "id")),
			      cid))
			at++;
		json_t *me =
		    json_loadb((const char *)sqlite3_column_text(st, 2),
			       (size_t)sqlite3_column_bytes(st, 2), 0, NULL);
		json_t *cat = json_array_get(cats, at);
		if (!me || !cat) {
			json_decref(me);
			rc = fault(ix, SQLITE_CORRUPT,
				   "a measure's data does not read as JSON "
				   "of one of its categories");
			break;
		}
		json_array_append_new(json_object_get(cat, "measures"), me);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		tc_buf_puts(err, "the data could not be read from the index");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *ts_export_doc(ts_index *ix, const ts_params *p, tc_buf *err)
{
	tc_buf match = TC_BUF_INIT;
	if (p->v[P_Q] &&
	    ts_query_build(p->v[P_Q], ix->stemmed, &match, err) < 0) {
		tc_buf_free(&match);
		return NULL;
	}
	json_t *doc =
	    read_measures(ix, p->v[P_Q] ? tc_buf_cstr(&match) : NULL, p, err);
	tc_buf_free(&match);
	if (!doc)
		return NULL;
	json_t *f = tc_tom_filter(doc, p->v[P_PRODUCT], p->v[P_CATEGORY],
				  p->v[P_STATUS], p->v[P_RESP]);
	json_decref(doc);
	if (p->v[P_Q]) {
		/* q is recorded after the other filters */
		json_t *filter = json_object_get(f, "filter");
		if (!filter) {
			filter = json_object();
			json_object_set_new(f, "filter", filter);
		}
		json_object_set_new(filter, "q", json_string(p->v[P_Q]));
	}
	return f;
}
