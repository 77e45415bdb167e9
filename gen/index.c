#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/indexfmt.h"
#include "../lib/routes.h"
#include "source.h"

static const char *schema = "PRAGMA journal_mode=OFF;"
			   "PRAGMA synchronous=OFF;" TC_IX_SCHEMA;

typedef struct writer {
	sqlite3 *db;
	sqlite3_stmt *meta, *measure, *fts, *tpl;
	sqlite3_stmt *words; /* the measures' words as written, for vocab */
	uint64_t hash; /* FNV-1a over everything stored: the ETag */
	tc_diags *d;
	int reported; /* a problem already in d: no SQLite message */
} writer;

static void hash(writer *w, const char *s)
{
	/* "\xff" separates: "ab"+"c" differs from "a"+"bc" */
	w->hash = tc_fnv1a(tc_fnv1a(w->hash, s), "\xff");
}

static int step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int put_meta(writer *w, const char *key, const char *value)
{
	hash(w, value);
	sqlite3_bind_text(w->meta, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->meta, 2, value, -1, SQLITE_TRANSIENT);
	return step(w->meta);
}

static int put_json_meta(writer *w, const char *key, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = put_meta(w, key, s);
	free(s);
	return rc;
}

static int put_measure(writer *w, const tc_model *m, const tc_category *c,
		       size_t k, sqlite3_int64 rowid)
{
	const tc_measure *me = &c->measures[k];
	const tc_table *t = &c->tables[me->table];
	tc_buf notes = TC_BUF_INIT, scopes = TC_BUF_INIT, cells = TC_BUF_INIT;
	int rc = 0;
	/* " scope=status " for each cell (lib/indexfmt.h): one column
	 * instead of a row per cell. */
	tc_buf_putc(&cells, ' ');
	for (size_t i = 0; i < t->nscopes; i++) {
		const tc_cell *cell = &me->cells[i];
		const char *note =
		    cell->status == ST_OTHER ? cell->label : cell->note;
		/* puts, not printf: this runs for every cell of the site */
		if (*note) {
			if (notes.len)
				tc_buf_puts(&notes, " · ");
			tc_buf_puts(&notes, note);
		}
		if (i)
			tc_buf_puts(&scopes, ", ");
		tc_buf_puts(&scopes, m->scopes[t->scopes[i]].name);
		tc_buf_puts(&cells, m->scopes[t->scopes[i]].id);
		tc_buf_putc(&cells, '=');
		tc_buf_puts(&cells, tc_status_id(cell->status));
		tc_buf_putc(&cells, ' ');
	}
	/* what customers type for what this measure says */
	tc_buf words = TC_BUF_INIT, syn = TC_BUF_INIT;
	tc_measure_words(c, me, &words);
	tc_syn_expand(&m->synonyms, tc_buf_cstr(&words), &syn);
	tc_buf_putc(&words, ' ');
	tc_buf_puts(&words, c->title);
	tc_buf_putc(&words, ' ');
	tc_buf_puts(&words, tc_buf_cstr(&syn));
	tc_buf url = TC_BUF_INIT;
	tc_route_measure_url(&url, c->id, me->id);
	sqlite3_bind_int64(w->measure, 1, rowid);
	sqlite3_bind_text(w->measure, 2, me->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 3, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 4, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 5, tc_buf_cstr(&url), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 6, me->text, -1, SQLITE_STATIC);
	sqlite3_bind_int(w->measure, 7, tc_concerns(t->has_products, false));
	sqlite3_bind_text(w->measure, 8, tc_buf_cstr(&cells), -1,
			  SQLITE_STATIC);
	rc = rc || step(w->measure);
	sqlite3_bind_int64(w->fts, 1, rowid);
	sqlite3_bind_text(w->fts, 2, me->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 3, me->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 4, tc_buf_cstr(&notes), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->fts, 5, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 6, tc_buf_cstr(&scopes), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(w->fts, 7, tc_buf_cstr(&syn), -1, SQLITE_TRANSIENT);
	rc = rc || step(w->fts);
	sqlite3_bind_int64(w->words, 1, rowid);
	sqlite3_bind_text(w->words, 2, tc_buf_cstr(&words), -1,
			  SQLITE_TRANSIENT);
	rc = rc || step(w->words);
	tc_buf_free(&words);
	tc_buf_free(&syn);
	tc_buf_free(&url);
	tc_buf_free(&notes);
	tc_buf_free(&scopes);
	tc_buf_free(&cells);
	return rc;
}

static int tpl_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 9 && !strcmp(e->d_name + n - 9, ".mustache");
}

static int put_templates(writer *w, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, tpl_file, alphasort);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
		/* every *.mustache, used by a page or not: one that is a
		 * symlink to /dev/zero must not be read to the end */
		char *src = tc_source_load(tc_buf_cstr(&p), NULL, w->d);
		list[i]->d_name[strlen(list[i]->d_name) - 9] = '\0';
		if (!src) {
			w->reported = 1;
			rc = -1;
		} else if (rc == 0) {
			hash(w, src);
			sqlite3_bind_text(w->tpl, 1, list[i]->d_name, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(w->tpl, 2, src, -1, SQLITE_STATIC);
			rc = step(w->tpl);
		}
		free(src);
		tc_buf_free(&p);
		free(list[i]);
	}
	free(list);
	return rc;
}

static int fill(writer *w, const tc_model *m, const char *tom,
		const char *changes, json_t *page,
		const char *templates)
{
	if (sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	int rc = 0;
	sqlite3_int64 rowid = 0;
	for (size_t i = 0; i < m->ncategories && rc == 0; i++)
		for (size_t k = 0; k < m->categories[i].nmeasures && rc == 0;
		     k++)
			rc = put_measure(w, m, &m->categories[i], k, ++rowid);
	/* the vocabulary: the words of the measures as the search tokenizer
	 * splits them, without stemming, and how many measures use each */
	rc = rc || sqlite3_exec(w->db,
				"CREATE VIRTUAL TABLE temp.wv USING "
				"fts5vocab('temp', 'words', 'row');"
				"INSERT INTO vocab SELECT term, doc FROM "
				"temp.wv WHERE length(term) >= 3 AND "
				"term GLOB '*[a-z]*';"
				"DROP TABLE temp.wv; DROP TABLE temp.words",
				NULL, NULL, NULL) != SQLITE_OK;
	rc = rc || put_templates(w, templates);
	rc = rc || put_meta(w, TC_IX_FORMAT, TC_INDEX_FORMAT);
	rc = rc || put_meta(w, TC_IX_VERSION, m->version);
	rc = rc || put_meta(w, TC_IX_DATE, m->date);
	rc = rc || put_meta(w, TC_IX_ORGANISATION, m->organisation);
	rc = rc || put_meta(w, TC_IX_TOM, tom);
	rc = rc || put_meta(w, TC_IX_CHANGES, changes ? changes : "{}");
	rc = rc || put_json_meta(w, TC_IX_PAGE, page);
	char etag[32];
	snprintf(etag, sizeof etag, "%016llx", (unsigned long long)w->hash);
	rc = rc || put_meta(w, TC_IX_ETAG, etag);
	rc = rc || sqlite3_exec(w->db,
				"INSERT INTO fts(fts) VALUES('optimize');"
				"COMMIT",
				NULL, NULL, NULL) != SQLITE_OK;
	return rc;
}

static int prepare(writer *w)
{
	return sqlite3_exec(w->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	       sqlite3_exec(w->db,
			    "CREATE VIRTUAL TABLE temp.words USING fts5(t, "
			    "tokenize='unicode61 remove_diacritics 2', "
			    "detail=none)",
			    NULL, NULL, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db,
				  "INSERT INTO temp.words(rowid, t) "
				  "VALUES(?,?)",
				  -1, &w->words, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_META, -1, &w->meta,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_MEASURE, -1, &w->measure,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_FTS, -1, &w->fts, NULL) !=
		   SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_TEMPLATE, -1, &w->tpl,
				  NULL) != SQLITE_OK;
}

char *tc_index_write(const tc_model *m, const char *tom, json_t *page,
		     const char *changes, const char *templates,
		     const char *path, tc_diags *d)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s.tmp-XXXXXX", path);
	char *tmp = tc_buf_detach(&p);
	tc_mkdirs_parent(path); /* a failure shows as mkstemp's */
	int fd = mkstemp(tmp);
	if (fd < 0) {
		tc_diags_add(d, path, 0, 0,
			     "cannot create the search index: %s",
			     strerror(errno));
		free(tmp);
		return NULL;
	}
	close(fd);
	writer w = {.hash = TC_FNV_INIT, .d = d};
	int rc = sqlite3_open(tmp, &w.db) != SQLITE_OK || prepare(&w) ||
		 fill(&w, m, tom, changes, page, templates);
	if (rc && !w.reported)
		tc_diags_add(d, path, 0, 0, "cannot write the search index: %s",
			     sqlite3_errmsg(w.db));
	sqlite3_finalize(w.meta);
	sqlite3_finalize(w.measure);
	sqlite3_finalize(w.fts);
	sqlite3_finalize(w.tpl);
	sqlite3_finalize(w.words);
	sqlite3_close(w.db);
	if (rc) {
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	chmod(tmp, 0644);
	return tmp;
}

int tc_index_commit(const char *tmp, const char *path)
{
	return rename(tmp, path);
}
