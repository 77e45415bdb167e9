/* libFuzzer: any bytes through the tc_stem tokenizer (lib/ftstok.c), for
 * both languages and every kind of tokenizing FTS5 asks for, then as a row
 * of real FTS5 tables: a prefix query, highlight() and FTS5's integrity
 * check (which tokenizes the row again and compares with what it stored).
 *
 * Besides what the sanitizers catch, it checks what ftstok.h promises:
 * tokens of 1 to TC_FTSTOK_MAX bytes, valid UTF-8, with no ASCII capital
 * or separator; offsets inside the text, in order, not overlapping, a
 * colocated token at its word's offsets; the source of a token is valid
 * UTF-8; folding is idempotent (a prefix token tokenizes to itself); and
 * highlight() only inserts its markers. The same bytes as an FTS5
 * expression: when tc_ftsvocab says it finds nothing, FTS5 finds nothing
 * (or refuses it). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/ftstok.h"
#include "../../lib/text.h"

static sqlite3 *db;
static fts5_tokenizer tk;
static Fts5Tokenizer *tokenizers[2];
static sqlite3_stmt *ins[2], *hl[2], *del[2], *check[2];
/* tables with rows of their own, for the expressions: porter (English)
 * and tc_stem (German), and their vocabularies */
static tc_ftsvocab *vocab[2];
static sqlite3_stmt *count[2];

typedef struct seen {
	const char *text;
	int n;
	int prev_start, prev_end, count;
	char first[TC_FTSTOK_MAX]; /* the first token, for the query */
	int first_n;
} seen;

static void utf8_or_abort(const char *s, size_t n)
{
	for (size_t i = 0, len; i < n; i += len)
		if (!(len = tc_utf8_len(s + i, n - i)))
			abort();
}

static int on_token(void *ctx, int flags, const char *s, int n, int start,
		    int end)
{
	seen *v = ctx;
	if (n < 1 || n > TC_FTSTOK_MAX || start < 0 || end > v->n ||
	    start >= end)
		abort();
	if (flags & FTS5_TOKEN_COLOCATED) {
		if (!v->count || start != v->prev_start || end != v->prev_end)
			abort();
	} else if (start < v->prev_end) {
		abort();
	}
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 &&
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			abort();
	}
	utf8_or_abort(s, (size_t)n);
	utf8_or_abort(v->text + start, (size_t)(end - start));
	if (!v->count++) {
		memcpy(v->first, s, (size_t)n);
		v->first_n = n;
	}
	v->prev_start = start;
	v->prev_end = end;
	return SQLITE_OK;
}

static int one_token(void *ctx, int flags, const char *s, int n, int start,
		     int end)
{
	(void)flags;
	(void)start;
	(void)end;
	seen *v = ctx;
	if (v->count++ || n != v->first_n || memcmp(s, v->first, (size_t)n))
		abort();
	return SQLITE_OK;
}

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	return st;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fts5_api *api = NULL;
	void *ud;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    tc_ftstok_register(db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "CREATE VIRTUAL TABLE d USING fts5(x, tokenize = "
			 "'tc_stem de', prefix = '2 3');"
			 "CREATE VIRTUAL TABLE e USING fts5(x, tokenize = "
			 "'tc_stem en')",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	sqlite3_stmt *st = prepare("SELECT fts5(?1)");
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->xFindTokenizer(api, TC_FTSTOK_NAME, &ud, &tk))
		abort();
	const char *lang[2] = {"de", "en"};
	const char *table[2] = {"d", "e"};
	char sql[128];
	for (int k = 0; k < 2; k++) {
		if (tk.xCreate(ud, &lang[k], 1, &tokenizers[k]))
			abort();
		snprintf(sql, sizeof sql,
			 "INSERT INTO %s(rowid, x) "
			 "VALUES(1, ?1)",
			 table[k]);
		ins[k] = prepare(sql);
		snprintf(sql, sizeof sql,
			 "SELECT highlight(%s, 0, char(1), "
			 "char(2)) FROM %s WHERE %s MATCH ?1",
			 table[k], table[k], table[k]);
		hl[k] = prepare(sql);
		snprintf(sql, sizeof sql, "DELETE FROM %s", table[k]);
		del[k] = prepare(sql);
		snprintf(sql, sizeof sql,
			 "INSERT INTO %s(%s) "
			 "VALUES('integrity-check')",
			 table[k], table[k]);
		check[k] = prepare(sql);
	}
	static const char *vt[2] = {"vp", "vs"},
			  *vtok[2] = {"'porter unicode61 remove_diacritics 2'",
				      "'tc_stem de'"};
	for (int k = 0; k < 2; k++) {
		snprintf(sql, sizeof sql,
			 "CREATE VIRTUAL TABLE %s USING fts5(x, y, tokenize = "
			 "%s, prefix = '2 3 4')",
			 vt[k], vtok[k]);
		char *fill = sqlite3_mprintf(
		    "INSERT INTO %s(x, y) VALUES('Encryption of data in "
		    "transit', 'Zutrittskontrolle am Tor'), ('ISO 27001 "
		    "certificate', 'Schlüsselkarte für Besucher')",
		    vt[k]);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    !fill ||
		    sqlite3_exec(db, fill, NULL, NULL, NULL) != SQLITE_OK ||
		    !(vocab[k] = tc_ftsvocab_new(db, vt[k], vtok[k])))
			abort();
		sqlite3_free(fill);
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM %s WHERE %s MATCH ?1", vt[k],
			 vt[k]);
		count[k] = prepare(sql);
	}
	return 0;
}

/* text as an expression: "finds nothing" only when FTS5 finds nothing */
static void check_vocab(const char *text, size_t n)
{
	if (n >= TC_FTSVOCAB_EXPR || memchr(text, 0, n))
		return;
	char e[TC_FTSVOCAB_EXPR];
	memcpy(e, text, n);
	e[n] = '\0';
	/* the same grammar read as tc_rank's program: it ends, whatever
	 * the bytes (the sanitizers watch it) */
	if (tc_ftstok_expr_phrases(e) > TC_FTSTOK_PRODUCT_PHRASES)
		abort();
	for (int k = 0; k < 2; k++) {
		if (tc_ftsvocab_may_match(vocab[k], e))
			continue;
		sqlite3_bind_text(count[k], 1, e, (int)n, SQLITE_STATIC);
		if (sqlite3_step(count[k]) == SQLITE_ROW &&
		    sqlite3_column_int(count[k], 0) != 0)
			abort();
		sqlite3_reset(count[k]);
	}
}

static int run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

/* highlight() of the row found by a prefix query for its first token:
 * the text with markers around whole tokens, nothing else changed. */
static void check_highlight(int k, const char *text, size_t n, seen *v)
{
	char q[2 * TC_FTSTOK_MAX + 8];
	size_t qn = 0;
	q[qn++] = '"';
	for (int i = 0; i < v->first_n; i++)
		q[qn++] = v->first[i];
	memcpy(q + qn, "\"*", 2);
	qn += 2;
	sqlite3_bind_text(hl[k], 1, q, (int)qn, SQLITE_STATIC);
	if (sqlite3_step(hl[k]) != SQLITE_ROW)
		abort(); /* the row has that token: it must be found */
	const char *h = (const char *)sqlite3_column_text(hl[k], 0);
	size_t hn = (size_t)sqlite3_column_bytes(hl[k], 0), j = 0, marks = 0;
	for (size_t i = 0; i < hn; i++) {
		if (h[i] == 1 || h[i] == 2)
			marks++;
		else if (j >= n || h[i] != text[j++])
			abort();
	}
	if (j != n || !marks || marks % 2)
		abort();
	sqlite3_reset(hl[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	const char *text = (const char *)data;
	static const int flags[] = {FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY,
				    FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
				    FTS5_TOKENIZE_AUX};
	for (int k = 0; k < 2; k++) {
		seen prefix = {0};
		for (int f = 0; f < 4; f++) {
			seen v = {.text = text, .n = (int)size};
			if (tk.xTokenize(tokenizers[k], &v, flags[f], text,
					 (int)size, on_token) != SQLITE_OK)
				abort();
			if (f == 2)
				prefix = v;
		}
		if (prefix.count) {
			seen again = prefix;
			again.count = 0;
			if (tk.xTokenize(tokenizers[k], &again,
					 FTS5_TOKENIZE_QUERY |
					     FTS5_TOKENIZE_PREFIX,
					 prefix.first, prefix.first_n,
					 one_token) != SQLITE_OK ||
			    again.count != 1)
				abort();
		}
		sqlite3_bind_text(ins[k], 1, text, (int)size, SQLITE_STATIC);
		if (run(ins[k]) != SQLITE_DONE || run(check[k]) != SQLITE_DONE)
			abort();
		if (prefix.count && !memchr(text, 1, size) &&
		    !memchr(text, 2, size) && !memchr(text, 0, size))
			check_highlight(k, text, size, &prefix);
		if (run(del[k]) != SQLITE_DONE || run(check[k]) != SQLITE_DONE)
			abort();
	}
	check_vocab(text, size);
	return 0;
}
