/* lib/ftstok: the tc_stem FTS5 tokenizer, token by token through its
 * fts5_tokenizer methods, then in real FTS5 tables of an in-memory
 * database (MATCH, prefix, phrase, highlight, snippet), then every error
 * path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../lib/ftstok.h"
#include "helpers.h"

enum {
	DOC = FTS5_TOKENIZE_DOCUMENT,
	QUERY = FTS5_TOKENIZE_QUERY,
	PREFIX = FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
	AUX = FTS5_TOKENIZE_AUX,
};

/* What SQLite logged (sqlite3_log), and allocations made to fail: both
 * are configured before SQLite initializes, in main(). */
static tc_buf logged = TC_BUF_INIT;
static sqlite3_mem_methods real_mem;
static int fail_next_alloc;

static void on_log(void *unused, int code, const char *msg)
{
	(void)unused;
	tc_buf_printf(&logged, "%d %s\n", code, msg);
}

static void *failing_malloc(int n)
{
	if (fail_next_alloc) {
		fail_next_alloc = 0;
		return NULL;
	}
	return real_mem.xMalloc(n);
}

static sqlite3 *db;
static fts5_tokenizer methods;
static Fts5Tokenizer *de, *en;

static fts5_api *api_of(sqlite3 *conn)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	assert_non_null(api);
	return api;
}

static Fts5Tokenizer *create(const char *lang)
{
	fts5_api *api = api_of(db);
	void *ud;
	assert_int_equal(
	    api->xFindTokenizer(api, TC_FTSTOK_NAME, &ud, &methods), SQLITE_OK);
	Fts5Tokenizer *t = NULL;
	assert_int_equal(methods.xCreate(ud, &lang, 1, &t), SQLITE_OK);
	return t;
}

static int setup(void **state)
{
	(void)state;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    tc_ftstok_register(db) != SQLITE_OK)
		return -1;
	de = create("de");
	en = create("en");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	methods.xDelete(de);
	methods.xDelete(en);
	sqlite3_close(db);
	return 0;
}

/* Each token as "token[start,end]", "+" before a colocated one. */
static int collect(void *ctx, int flags, const char *s, int n, int start,
		   int end)
{
	tc_buf *b = ctx;
	assert_true(n > 0 && n <= TC_FTSTOK_MAX);
	assert_true(start >= 0 && start < end);
	tc_buf_printf(b, "%s%s%.*s[%d,%d]", b->len ? " " : "",
		      flags & FTS5_TOKEN_COLOCATED ? "+" : "", n, s, start,
		      end);
	return SQLITE_OK;
}

static void check_n(Fts5Tokenizer *t, int flags, const char *text, int n,
		    const char *want)
{
	tc_buf b = TC_BUF_INIT;
	assert_int_equal(methods.xTokenize(t, &b, flags, text, n, collect),
			 SQLITE_OK);
	assert_string_equal(tc_buf_cstr(&b), want);
	tc_buf_free(&b);
}

static void check(Fts5Tokenizer *t, int flags, const char *text,
		  const char *want)
{
	check_n(t, flags, text, (int)strlen(text), want);
}

static void folds_umlauts_and_diacritics(void **state)
{
	(void)state;
	/* both spellings give one token, in queries and documents */
	check(de, QUERY, "Schlüssel Schluessel SCHLÜSSEL",
	      "schlussel[0,10] schlussel[11,21] schlussel[22,32]");
	check(de, QUERY, "Straße Strasse STRASSE ẞ",
	      "strass[0,7] strass[8,15] strass[16,23] ss[24,27]");
	check(de, PREFIX, "ÄÖÜäöüß Æsir Œuvre Łódź Ñandú Élan Ĳssel ÿ º",
	      "aeoeueaeoeuess[0,14] aesir[15,20] oeuvre[21,27] lodz[28,35] "
	      "nandu[36,43] elan[44,49] ijssel[50,56] y[57,59] o[60,62]");
	/* decomposed ü (u + combining diaeresis) is ü; other marks drop */
	check(de, PREFIX, "Schlu\xcc\x88ssel e\xcc\x81lan \xcc\x81",
	      "schluessel[0,11] elan[12,18]");
	check(en, QUERY, "naïve café Müller",
	      "naiv[0,6] cafe[7,12] mueller[13,20]");
}

static void splits_words(void **state)
{
	(void)state;
	/* ASCII as unicode61 splits it: letters and digits only */
	check(de, PREFIX, "ISO27001, A.8.20 foo_bar (x)-y",
	      "iso27001[0,8] a[10,11] 8[12,13] 20[14,16] foo[17,20] "
	      "bar[21,24] x[26,27] y[29,30]");
	/* Latin-1 punctuation, General Punctuation, dingbats separate */
	check(de, PREFIX,
	      "a·b×c«d»e\xc2\xa0"
	      "f–g✓h„i“j÷k²l…m",
	      "a[0,1] b[3,4] c[6,7] d[9,10] e[12,13] f[15,16] g[19,20] "
	      "h[23,24] i[27,28] j[31,32] k[34,35] l[37,38] m[41,42]");
	/* other scripts are letters, kept as written; emoji separate */
	check(de, PREFIX, "Ωmega Привет 日本語 😀x µm",
	      "Ωmega[0,6] Привет[7,19] 日本語[20,29] x[34,35] µm[36,39]");
}

static void survives_hostile_bytes(void **state)
{
	(void)state;
	check(de, QUERY, "", "");
	check_n(de, QUERY, NULL, 0, "");
	check_n(de, QUERY, "abc", -1, "");
	check(de, QUERY, " \t\n.,;", "");
	/* NUL, stray continuation, overlong '/', surrogate, 0xff, cut */
	check_n(de, PREFIX,
		"ab\0cd\x80"
		"ef\xc0\xaf"
		"gh\xed\xa0\x80ij\xff"
		"kl\xc3",
		21, "ab[0,2] cd[3,5] ef[6,8] gh[10,12] ij[15,17] kl[18,20]");
	check_n(de, PREFIX, "\xe2\x82", 2, "");
	/* a lone combining mark is no token */
	check(de, QUERY, "\xcc\x88", "");
}

static void caps_long_tokens(void **state)
{
	(void)state;
	char text[200], want[200];
	/* 100 letters: 64 kept, not stemmed, offsets over the whole word */
	memset(text, 'a', 100);
	strcpy(text + 100, " b");
	memset(want, 'a', 64);
	strcpy(want + 64, "[0,100] b[101,102]");
	check(de, DOC, text, want);
	/* an ü that would make 65 bytes is left out whole, not split */
	memset(text, 'x', 63);
	strcpy(text + 63, "üx");
	memset(want, 'x', 63);
	strcpy(want + 63, "[0,66]");
	check(de, QUERY, text, want);
}

static void stems_german(void **state)
{
	(void)state;
	/* documents: the stem, and the word at the same position */
	check(de, DOC, "Die Verschlüsselung",
	      "die[0,3] verschlussel[4,20] +verschluesselung[4,20]");
	/* auxiliary functions read offsets only: the words, not stemmed */
	check(de, AUX, "Die Verschlüsselung",
	      "die[0,3] verschluesselung[4,20]");
	/* what Snowball german leaves, cut by de_inflection */
	check(de, QUERY,
	      "verschlüsselt Verschluesselung verschlüsseln verschlüsselte",
	      "verschlussel[0,14] verschlussel[15,31] verschlussel[32,46] "
	      "verschlussel[47,62]");
	check(de, QUERY, "protokolliert Protokollierung verwaltet Verwaltung",
	      "protokollier[0,13] protokollier[14,29] verwalt[30,39] "
	      "verwalt[40,50]");
	/* ae, oe, ue are umlauts for Snowball, which stems them to a, o, u:
	 * plurals with an umlaut meet their singular; not the ue of qu or
	 * of a u between vowels */
	check(de, QUERY, "Zugang Zugänge Zugaenge Verträge Vertrag",
	      "zugang[0,6] zugang[7,15] zugang[16,24] vertrag[25,34] "
	      "vertrag[35,42]");
	check(de, QUERY, "Quelle neue Mauer",
	      "quell[0,6] neu[7,11] mau[12,17]");
	/* short stems keep their letters: Wert is not wer */
	check(de, QUERY, "Wert Werte Welt Rat",
	      "wert[0,4] wert[5,10] welt[11,15] rat[16,19]");
	/* prefix queries: folded, never stemmed */
	check(de, PREFIX, "Zutritt Verschlüsselung",
	      "zutritt[0,7] verschluesselung[8,24]");
}

static void stems_english(void **state)
{
	(void)state;
	check(en, QUERY, "encrypted encryption Encrypting",
	      "encrypt[0,9] encrypt[10,20] encrypt[21,31]");
	check(en, DOC, "backups", "backup[0,7] +backups[0,7]");
	check(en, PREFIX, "encrypted", "encrypted[0,9]");
}

static int stop_at_second(void *ctx, int flags, const char *s, int n, int start,
			  int end)
{
	(void)flags;
	(void)s;
	(void)n;
	(void)start;
	(void)end;
	return ++*(int *)ctx == 2 ? SQLITE_ABORT : SQLITE_OK;
}

static void passes_callback_errors_on(void **state)
{
	(void)state;
	int calls = 0;
	assert_int_equal(
	    methods.xTokenize(de, &calls, QUERY, "a b c", 5, stop_at_second),
	    SQLITE_ABORT);
	assert_int_equal(calls, 2);
	/* the colocated word's callback too */
	calls = 0;
	assert_int_equal(methods.xTokenize(de, &calls, DOC, "Schulungen", 10,
					   stop_at_second),
			 SQLITE_ABORT);
	assert_int_equal(calls, 2);
}

/* The rowids a query finds, in order, space-separated. */
static char *found(const char *table, const char *match)
{
	tc_buf sql = TC_BUF_INIT, out = TC_BUF_INIT;
	tc_buf_printf(&sql,
		      "SELECT rowid FROM %s WHERE %s MATCH ?1 "
		      "ORDER BY rowid",
		      table, table);
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		tc_buf_printf(&out, "%s%lld", out.len ? " " : "",
			      (long long)sqlite3_column_int64(st, 0));
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	tc_buf_free(&sql);
	return tc_buf_detach(&out);
}

#define assert_found(table, match, want)                                       \
	do {                                                                   \
		char *got_ = found(table, match);                              \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

/* The first column of the first row of sql, with ?1 bound to arg. */
static char *one(const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

#define assert_one(sql, arg, want)                                             \
	do {                                                                   \
		char *got_ = one(sql, arg);                                    \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static const char *german_rows[] = {
    "Die Daten werden verschlüsselt übertragen.",
    "Verschlüsselung der Datenträger",
    "Verschluesselung ohne Umlaute",
    "Der Schlüssel liegt im Tresor.",
    "Schluessel-Verwaltung",
    "Zufahrt über die Straße",
    "Zutrittskontrolle mit Ausweis",
    "Ein Zutrittskontrollsystem protokolliert jeden Zutritt.",
    "Regelmäßige Schulungen der Mitarbeiter",
    "Schulungen finden regelmäßig statt",
    "regelmaessige Schulungen",
    "Ausweis mit Schlu\xcc\x88ssel",
};

static void fill(const char *table, const char *const *rows, size_t n)
{
	tc_buf sql = TC_BUF_INIT;
	tc_buf_printf(&sql, "INSERT INTO %s(rowid, x) VALUES(?1, ?2)", table);
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
	    SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, rows[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	tc_buf_free(&sql);
}

static void exec(const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static void german_queries(void **state)
{
	(void)state;
	/* with a prefix index, as gen/index.c makes one, and without */
	exec("CREATE VIRTUAL TABLE dp USING fts5(x, tokenize = 'tc_stem de', "
	     "prefix = '2 3 4');"
	     "CREATE VIRTUAL TABLE dn USING fts5(x, tokenize = 'tc_stem de')");
	const size_t n = sizeof german_rows / sizeof *german_rows;
	fill("dp", german_rows, n);
	fill("dn", german_rows, n);
	for (int k = 0; k < 2; k++) {
		const char *t = k ? "dn" : "dp";
		assert_found(t, "Verschlüsselung", "1 2 3");
		assert_found(t, "verschlüsselt", "1 2 3");
		assert_found(t, "Verschluesselung", "1 2 3");
		assert_found(t, "Schluessel", "4 5 12");
		assert_found(t, "Schlüssel", "4 5 12");
		assert_found(t, "Strasse", "6");
		assert_found(t, "STRASSE", "6");
		assert_found(t, "Straße", "6");
		assert_found(t, "Zutritt*", "7 8");
		assert_found(t, "zutr*", "7 8");
		assert_found(t, "Zutritt", "8");
		assert_found(t, "Schlü*", "4 5 12");
		assert_found(t, "Überträgt OR übertragen", "1");
		/* a whole word as a prefix finds the words as written */
		assert_found(t, "\"Verschlüsselung\"*", "2 3");
		assert_found(t, "\"regelmäßige Schulungen\"", "9 11");
		assert_found(t, "\"regelmaessige schulung\"", "9 11");
		assert_found(t, "regelmäßige Schulungen", "9 10 11");
		assert_found(t, "NEAR(Ausweis Schlüssel, 2)", "12");
	}
	/* FTS5 finds the same tokens when it deletes rows as it stored */
	exec("DELETE FROM dp WHERE rowid IN (2, 4);"
	     "UPDATE dp SET x = 'Strasse und Schlüssel' WHERE rowid = 5;"
	     "INSERT INTO dp(dp) VALUES('integrity-check')");
	assert_found("dp", "Schluessel", "5 12");
	assert_found("dp", "Verschlüsselung", "1 3");
}

static void marks_the_right_bytes(void **state)
{
	(void)state;
	assert_one("SELECT highlight(dp, 0, '[', ']') FROM dp "
		   "WHERE dp MATCH ?1",
		   "Schluessel", "Strasse und [Schlüssel]");
	assert_one(
	    "SELECT highlight(dn, 0, '[', ']') FROM dn "
	    "WHERE dn MATCH ?1 AND rowid = 8",
	    "Zutritt*",
	    "Ein [Zutrittskontrollsystem] protokolliert jeden [Zutritt].");
	assert_one("SELECT highlight(dn, 0, '[', ']') FROM dn "
		   "WHERE dn MATCH ?1 AND rowid = 12",
		   "Schlüssel", "Ausweis mit [Schlu\xcc\x88ssel]");
	assert_one("SELECT highlight(dn, 0, '[', ']') FROM dn "
		   "WHERE dn MATCH ?1",
		   "\"regelmäßige Schulungen\" AND Mitarbeiter",
		   "[Regelmäßige Schulungen] der [Mitarbeiter]");
	exec("CREATE VIRTUAL TABLE ds USING fts5(x, tokenize = 'tc_stem de');"
	     "INSERT INTO ds VALUES('Für alle Büros gilt: Schlüssel werden "
	     "ausgegeben, Schlüsselübergaben protokolliert, Türen "
	     "verschlossen und Zugänge überwacht.')");
	assert_one("SELECT snippet(ds, 0, '[', ']', '…', 5) FROM ds "
		   "WHERE ds MATCH ?1",
		   "Schlüsselübergabe*",
		   "…Schlüssel werden ausgegeben, [Schlüsselübergaben] "
		   "protokolliert…");
	assert_one("SELECT snippet(ds, 0, '[', ']', '…', 4) FROM ds "
		   "WHERE ds MATCH ?1",
		   "Zugang", "…verschlossen und [Zugänge] überwacht.");
}

static void english_queries(void **state)
{
	(void)state;
	static const char *rows[] = {
	    "Encryption of data in transit",
	    "Backups are encrypted at rest",
	    "Encrypting the café's Wi-Fi",
	    "Fences and gates",
	};
	exec("CREATE VIRTUAL TABLE e USING fts5(x, tokenize = 'tc_stem en', "
	     "prefix = '2 3 4')");
	fill("e", rows, 4);
	assert_found("e", "encrypted", "1 2 3");
	assert_found("e", "encryption", "1 2 3");
	assert_found("e", "encr*", "1 2 3");
	assert_found("e", "\"encrypted\"*", "2");
	assert_found("e", "cafe AND wifi", "");
	assert_found("e", "CAFÉ AND \"wi fi\"", "3");
	assert_found("e", "fence", "4");
}

/* CREATE VIRTUAL TABLE with the tokenize argument tok fails with FTS5's
 * message, and SQLite's log has ours. */
static void refused(const char *tok, const char *log)
{
	tc_buf sql = TC_BUF_INIT;
	tc_buf_printf(&sql,
		      "CREATE VIRTUAL TABLE bad USING fts5(x, "
		      "tokenize = \"%s\")",
		      tok);
	tc_buf_clear(&logged);
	assert_int_equal(sqlite3_exec(db, tc_buf_cstr(&sql), NULL, NULL, NULL),
			 SQLITE_ERROR);
	assert_string_equal(sqlite3_errmsg(db),
			    "error in tokenizer constructor");
	assert_non_null(strstr(tc_buf_cstr(&logged), log));
	tc_buf_free(&sql);
}

static void refuses_bad_arguments(void **state)
{
	(void)state;
	refused("tc_stem fr", "1 tc_stem: unknown language 'fr' (de or en)\n");
	refused("tc_stem DE", "1 tc_stem: unknown language 'DE' (de or en)\n");
	refused("tc_stem", "1 tc_stem: takes one argument, the language (de "
			   "or en), not 0\n");
	refused("tc_stem de en", "1 tc_stem: takes one argument, the language "
				 "(de or en), not 2\n");
}

static void out_of_memory(void **state)
{
	(void)state;
	fts5_api *api = api_of(db);
	void *ud;
	fts5_tokenizer m;
	assert_int_equal(api->xFindTokenizer(api, TC_FTSTOK_NAME, &ud, &m),
			 SQLITE_OK);
	const char *lang = "de";
	Fts5Tokenizer *t = (Fts5Tokenizer *)&m; /* must be reset */
	fail_next_alloc = 1;
	assert_int_equal(m.xCreate(ud, &lang, 1, &t), SQLITE_NOMEM);
	assert_null(t);
	fail_next_alloc = 0;
	m.xDelete(NULL); /* FTS5 never does, but it is harmless */
}

static void noop_function(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	(void)v;
	sqlite3_result_null(c);
}

static void register_errors(void **state)
{
	(void)state;
	assert_int_equal(tc_ftstok_register(NULL), SQLITE_MISUSE);
	/* registering twice replaces the tokenizer */
	assert_int_equal(tc_ftstok_register(db), SQLITE_OK);
	/* a connection whose fts5() gives no fts5_api */
	sqlite3 *other;
	assert_int_equal(sqlite3_open(":memory:", &other), SQLITE_OK);
	assert_int_equal(sqlite3_create_function(other, "fts5", 1, SQLITE_UTF8,
						 NULL, noop_function, NULL,
						 NULL),
			 SQLITE_OK);
	assert_int_equal(tc_ftstok_register(other), SQLITE_ERROR);
	/* and one without the function at all */
	assert_int_equal(sqlite3_create_function(other, "fts5", 1, SQLITE_UTF8,
						 NULL, NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(tc_ftstok_register(other), SQLITE_ERROR);
	sqlite3_close(other);
	/* a table of a connection that has not registered it */
	assert_int_equal(sqlite3_open(":memory:", &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other,
				      "CREATE VIRTUAL TABLE t USING fts5(x, "
				      "tokenize = 'tc_stem de')",
				      NULL, NULL, NULL),
			 SQLITE_ERROR);
	assert_string_equal(sqlite3_errmsg(other),
			    "no such tokenizer: tc_stem");
	sqlite3_close(other);
}

/* tc_rank is bm25 and tc_cover of the first six columns at once: on a
 * table with two more columns (which repeat words of the six), queried in
 * the six, it gives the doubles bm25 and tc_cover give on a table of the
 * six alone, bit for bit (tc-search ranks with it, and a search without a
 * product filter must rank as before the product columns existed). */
static void rank_is_bm25_and_cover_of_six_columns(void **state)
{
	(void)state;
	static const char *const rows[][8] = {
	    {"A-1", "Backup and recovery plan", "daily backups · restore files",
	     "Availability", "Box, Rack", "snapshot", "", "restore files"},
	    {"A-2", "Separation of backup data", "", "Isolation", "Box",
	     "tenant backup", "", ""},
	    {"B-1", "Firewall, managed", "a firewall we run for backup",
	     "Network", "Box, Rack", "", "a firewall", "firewall we run"},
	    {"B-2", "Data backup encrypted twice, backup backup", "", "Network",
	     "Rack", "backup", "", ""},
	};
	exec(
	    "CREATE VIRTUAL TABLE six USING fts5(mid, text, notes, category, "
	    "scopes, synonyms, tokenize = 'tc_stem en');"
	    "CREATE VIRTUAL TABLE eight USING fts5(mid, text, notes, "
	    "category, scopes, synonyms, shared, p0, tokenize = 'tc_stem en')");
	sqlite3_stmt *a, *b;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO six VALUES(?,?,?,?,?,?)", -1,
			       &a, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO eight VALUES(?,?,?,?,?,?,?,?)",
			       -1, &b, NULL),
	    SQLITE_OK);
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		for (int c = 0; c < 8; c++) {
			if (c < 6)
				sqlite3_bind_text(a, c + 1, rows[i][c], -1,
						  SQLITE_STATIC);
			sqlite3_bind_text(b, c + 1, rows[i][c], -1,
					  SQLITE_STATIC);
		}
		assert_int_equal(sqlite3_step(a), SQLITE_DONE);
		assert_int_equal(sqlite3_step(b), SQLITE_DONE);
		sqlite3_reset(a);
		sqlite3_reset(b);
	}
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	static const struct {
		const char *match, *groups;
	} queries[] = {
	    {"\"backup\"", "a"},
	    {"\"backup\"*", "a"},
	    {"\"firewall\" OR \"restore\"", "ab"},
	    {"(\"backup\" OR \"backup\"*) AND \"run\"", "aab"},
	    {"\"files\"", "a"},
	};
	assert_int_equal(
	    sqlite3_prepare_v2(
		db,
		"SELECT rowid, bm25(six, 10.0, 5.0, 2.0, 1.5, 0.5, 3.0), "
		"tc_cover(six, ?2, 10.0, 5.0, 2.0, 1.5, 0.5, 3.0) FROM six "
		"WHERE six MATCH ?1 ORDER BY rowid",
		-1, &a, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, tc_rank(eight, ?2, 10.0, 5.0, "
			       "2.0, 1.5, 0.5, 3.0) FROM eight WHERE eight "
			       "MATCH '{mid text notes category scopes "
			       "synonyms} : (' || ?1 || ')' ORDER BY rowid",
			       -1, &b, NULL),
	    SQLITE_OK);
	/* the same with the rows' lengths read once (tc-search's way): a
	 * row's length as FTS5's docsize has it, not read per match */
	sqlite3_stmt *c;
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, tc_rank(eight, ?2, 10.0, 5.0, "
			       "2.0, 1.5, 0.5, 3.0, ?3) FROM eight WHERE eight "
			       "MATCH '{mid text notes category scopes "
			       "synonyms} : (' || ?1 || ')' ORDER BY rowid",
			       -1, &c, NULL),
	    SQLITE_OK);
	int len[4];
	assert_int_equal(tc_ftstok_lengths(db, "eight", len, 4), SQLITE_OK);
	/* mid, text, notes, category, scopes, synonyms: A-1 has 1 + 4 + 4
	 * + 1 + 2 + 1 tokens ("A-1" is "a", "1": 2) */
	assert_int_equal(len[0], 2 + 4 + 4 + 1 + 2 + 1);
	assert_int_equal(len[3], 2 + 6 + 0 + 1 + 1 + 1);
	tc_rank_lengths lens = {len, 4, NULL, NULL, NULL, NULL, 0};
	int compared = 0;
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		sqlite3_stmt *st[3] = {a, b, c};
		for (int k = 0; k < 3; k++) {
			sqlite3_bind_text(st[k], 1, queries[q].match, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st[k], 2, queries[q].groups, -1,
					  SQLITE_STATIC);
		}
		sqlite3_bind_pointer(c, 3, &lens, TC_FTSTOK_LENGTHS, NULL);
		int ra;
		while ((ra = sqlite3_step(a)) == SQLITE_ROW) {
			double bm = sqlite3_column_double(a, 1),
			       cover = sqlite3_column_double(a, 2);
			for (int k = 1; k < 3; k++) {
				assert_int_equal(sqlite3_step(st[k]),
						 SQLITE_ROW);
				assert_int_equal(
				    sqlite3_column_int64(a, 0),
				    sqlite3_column_int64(st[k], 0));
				assert_int_equal(sqlite3_column_bytes(st[k], 1),
						 2 * sizeof(double));
				double v[2];
				memcpy(v, sqlite3_column_blob(st[k], 1),
				       sizeof v);
				/* bit for bit: ties must fall as they did */
				assert_memory_equal(&v[0], &cover,
						    sizeof cover);
				assert_memory_equal(&v[1], &bm, sizeof bm);
			}
			compared++;
		}
		assert_int_equal(ra, SQLITE_DONE);
		assert_int_equal(sqlite3_step(b), SQLITE_DONE);
		assert_int_equal(sqlite3_step(c), SQLITE_DONE);
		sqlite3_reset(a);
		sqlite3_reset(b);
		sqlite3_reset(c);
	}
	assert_true(compared >= 8);
	/* the lengths are what it reads: another length, another bm25; a
	 * row it has none for (-1) is read from FTS5 */
	double base[2], more[2], none[2], *out[3] = {base, more, none};
	for (int k = 0; k < 3; k++) {
		if (k == 1)
			len[0] += 5;
		if (k == 2)
			len[0] = -1;
		sqlite3_bind_text(c, 1, "\"backup\"", -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 2, "a", -1, SQLITE_STATIC);
		sqlite3_bind_pointer(c, 3, &lens, TC_FTSTOK_LENGTHS, NULL);
		assert_int_equal(sqlite3_step(c), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(c, 0), 1);
		memcpy(out[k], sqlite3_column_blob(c, 1), sizeof base);
		sqlite3_reset(c);
	}
	assert_memory_equal(&base[0], &more[0], sizeof base[0]);
	assert_memory_not_equal(&base[1], &more[1], sizeof base[1]);
	assert_memory_equal(base, none, sizeof base);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	sqlite3_finalize(c);
	/* tc_column: the one column a row's match is in, or -1 */
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, tc_column(six) FROM "
			       "six WHERE six MATCH ? ORDER BY rowid",
			       -1, &a, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(a, 1, "\"backup\"", -1, SQLITE_STATIC);
	tc_buf got = TC_BUF_INIT;
	while (sqlite3_step(a) == SQLITE_ROW)
		tc_buf_printf(&got, "%s%lld:%d", got.len ? " " : "",
			      (long long)sqlite3_column_int64(a, 0),
			      sqlite3_column_int(a, 1));
	assert_string_equal(tc_buf_cstr(&got), "1:-1 2:-1 3:2 4:-1");
	tc_buf_free(&got);
	sqlite3_finalize(a);
	exec("DROP TABLE six; DROP TABLE eight");
}

/* tc_near, and tc_rank, tc_bm25, tc_column and tc_snippet given the
 * expression, agree with FTS5's own NEAR: on 300 random rows of six
 * columns (words that are prefixes of one another, numbers, repeats),
 * for each query below as tc-search writes one (with and without a
 * column filter of some columns), the rows of MATCH expr are those of
 * MATCH tc_ftstok_unnear(expr) that tc_near keeps, in the same order,
 * and each one's rank (bit for bit), column and snippet are the same.
 * FTS5 is asked with a column filter of all six columns where the query
 * has none: FTS5 then copies each phrase's list with room to spare
 * before a NEAR trims it (fts5ExprPhraseIsMatch) and never reallocates
 * it, so this comparison reads no freed memory under valgrind. */
static void near_is_fts5s(void **state)
{
	(void)state;
	exec("CREATE VIRTUAL TABLE nr USING fts5(mid, text, notes, category, "
	     "scopes, synonyms, tokenize = 'tc_stem en')");
	static const char *const vocab[] = {
	    "iso", "iec",    "27001",   "27017", "2", "20", "soc",  "server",
	    "1",   "backup", "servers", "b",     "x", "a",  "2022", "10"};
	const size_t nv = sizeof vocab / sizeof *vocab;
	sqlite3_stmt *ins;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO nr VALUES(?,?,?,?,?,?)", -1,
			       &ins, NULL),
	    SQLITE_OK);
	unsigned seed = 27;
	for (int r = 0; r < 300; r++) {
		for (int c = 0; c < 6; c++) {
			tc_buf text = TC_BUF_INIT;
			seed = seed * 1103515245u + 12345u;
			int words = (int)((seed >> 16) % (c == 1 ? 60 : 12));
			for (int w = 0; w < words; w++) {
				seed = seed * 1103515245u + 12345u;
				tc_buf_printf(&text, "%s%s", w ? " " : "",
					      vocab[(seed >> 16) % nv]);
			}
			sqlite3_bind_text(ins, c + 1, tc_buf_cstr(&text), -1,
					  SQLITE_TRANSIENT);
			tc_buf_free(&text);
		}
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	static const char *const queries[] = {
	    "NEAR(\"iso\"* \"27001\"*, 2)",
	    "NEAR(\"soc\"* \"2\"*, 2)",
	    "(\"iso27001\"* OR NEAR(\"iso\"* \"27001\"*, 2))",
	    "NEAR(\"iso\"* \"27001\"* \"2022\"*, 2)",
	    "\"backup\"* AND NEAR(\"s\"* \"1\"*, 2)",
	    "\"backup\"* OR NEAR(\"s\"* \"1\"*, 2) OR \"x\"",
	    "NEAR(\"a\"* \"2\"*, 2) AND NEAR(\"server\" \"1\"*, 0)",
	    "NEAR(\"iso iec\" \"27001\", 3)",
	    "NEAR(\"b\"* \"x\"*)",
	    "(\"server\" OR \"server\"*) AND NEAR(\"b\"* \"10\"*, 1)",
	};
	static const char *const filters[] = {
	    "",
	    "{mid text notes category scopes synonyms} : ", "{text notes} : "};
	sqlite3_stmt *a, *b;
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, tc_rank(nr, 'abcdefgh', 10.0, "
			       "5.0, 2.0, 1.5, 0.5, 3.0), tc_column(nr), "
			       "tc_snippet(nr, -1, '[', ']', '…', 8), "
			       "tc_bm25(nr, '', 10.0, 5.0, 2.0, 1.5, 0.5, 3.0"
			       ") FROM nr WHERE nr MATCH ?1 ORDER BY rowid",
			       -1, &a, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(
		db,
		"SELECT rowid, tc_rank(nr, 'abcdefgh', 10.0, 5.0, 2.0, 1.5, "
		"0.5, 3.0, NULL, ?1), "
		"tc_column(nr, ?1), tc_snippet(nr, -1, '[', ']', '…', 8, ?1), "
		"tc_bm25(nr, '', 10.0, 5.0, 2.0, 1.5, 0.5, 3.0, NULL, ?1) FROM "
		"nr WHERE nr MATCH ?2 "
		"AND tc_near(nr, ?1) ORDER BY rowid",
		-1, &b, NULL),
	    SQLITE_OK);
	int compared = 0, dropped = 0;
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
		for (size_t f = 0; f < sizeof filters / sizeof *filters; f++) {
			tc_buf e = TC_BUF_INIT, fts = TC_BUF_INIT;
			tc_buf_printf(&e, "%s(%s)", filters[f], queries[q]);
			tc_buf_printf(&fts, "%s(%s)",
				      *filters[f] ? filters[f] : filters[1],
				      queries[q]);
			char *u = malloc(e.len + 1);
			assert_non_null(u);
			assert_true(tc_ftstok_unnear(tc_buf_cstr(&e), u) > 0);
			assert_null(strstr(u, "NEAR"));
			sqlite3_bind_text(a, 1, tc_buf_cstr(&fts), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(b, 1, tc_buf_cstr(&e), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(b, 2, u, -1, SQLITE_STATIC);
			int ra, rb;
			while ((ra = sqlite3_step(a)) == SQLITE_ROW) {
				rb = sqlite3_step(b);
				if (rb != SQLITE_ROW)
					fail_msg("%s: %s", tc_buf_cstr(&e),
						 sqlite3_errmsg(db));
				assert_int_equal(sqlite3_column_int64(a, 0),
						 sqlite3_column_int64(b, 0));
				for (int k = 1; k <= 4; k++) {
					int n = sqlite3_column_bytes(a, k);
					assert_int_equal(
					    n, sqlite3_column_bytes(b, k));
					assert_memory_equal(
					    sqlite3_column_blob(a, k),
					    sqlite3_column_blob(b, k),
					    (size_t)n);
				}
				compared++;
			}
			assert_int_equal(ra, SQLITE_DONE);
			assert_int_equal(sqlite3_step(b), SQLITE_DONE);
			sqlite3_reset(a);
			sqlite3_reset(b);
			/* the rows the ANDs find that the NEARs do not:
			 * tc_near says 0, tc_rank NULL */
			sqlite3_stmt *c;
			assert_int_equal(
			    sqlite3_prepare_v2(
				db,
				"SELECT tc_near(nr, ?1), tc_rank(nr, '', 1.0, "
				"1.0, 1.0, 1.0, 1.0, 1.0, NULL, ?1) IS NULL "
				"FROM nr WHERE nr MATCH ?2",
				-1, &c, NULL),
			    SQLITE_OK);
			sqlite3_bind_text(c, 1, tc_buf_cstr(&e), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(c, 2, u, -1, SQLITE_STATIC);
			while ((rb = sqlite3_step(c)) == SQLITE_ROW) {
				int near = sqlite3_column_int(c, 0);
				assert_int_equal(near,
						 !sqlite3_column_int(c, 1));
				dropped += !near;
			}
			assert_int_equal(rb, SQLITE_DONE);
			sqlite3_finalize(c);
			free(u);
			tc_buf_free(&e);
			tc_buf_free(&fts);
		}
	assert_true(compared > 300);
	assert_true(dropped > 100);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	/* an expression tc-search does not write, or of another query */
	static const char *const bad[][2] = {
	    {"NOT \"x\"", "\"x\""},
	    {"\"x\" NOT \"b\"", "\"x\" \"b\""},
	    {"x", "\"x\""},
	    {"NEAR(\"x\" \"b\", 2", "\"x\" \"b\""},
	    {"NEAR(\"x\" \"b\"", "\"x\" \"b\""},
	    {"NEAR(\"x\" \"b\", two)", "\"x\" \"b\""},
	    {"\"x\" OR \"b\"", "\"x\""},
	    {"\"x", "\"x\""},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(
		    sqlite3_prepare_v2(db,
				       "SELECT tc_near(nr, ?1) FROM nr WHERE "
				       "nr MATCH ?2",
				       -1, &a, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(a, 1, bad[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(a, 2, bad[i][1], -1, SQLITE_STATIC);
		if (sqlite3_step(a) != SQLITE_ERROR)
			fail_msg("%s: no error", bad[i][0]);
		assert_string_equal(sqlite3_errmsg(db),
				    "tc_near: not an expression of tc-search");
		sqlite3_finalize(a);
	}
	/* NULL: no NEAR to check */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM nr WHERE nr "
					    "MATCH 'x' AND tc_near(nr, NULL)",
					    -1, &a, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_true(sqlite3_column_int(a, 0) > 0);
	sqlite3_finalize(a);
	exec("DROP TABLE nr");
	/* the expression FTS5 is sent: phrases as written (a NEAR, a comma
	 * or a parenthesis quoted is a word's), NEARs as parentheses */
	static const char *const un[][2] = {
	    {"NEAR(\"iso\"* \"27001\"*, 2)", "(\"iso\"* \"27001\"*)"},
	    {"{a b} : (\"x\" AND NEAR(\"a,b\" \"NEAR(\"\"\", 10))",
	     "{a b} : (\"x\" AND (\"a,b\" \"NEAR(\"\"\"))"},
	    {"(\"iso27001\"* OR NEAR(\"iso\"* \"27001\"*))",
	     "(\"iso27001\"* OR (\"iso\"* \"27001\"*))"},
	    {"\"a\" OR \"b\"", "\"a\" OR \"b\""},
	};
	for (size_t i = 0; i < sizeof un / sizeof *un; i++) {
		char out[128];
		size_t n = tc_ftstok_unnear(un[i][0], out);
		assert_string_equal(out, un[i][1]);
		assert_int_equal(n, strstr(un[i][0], "NEAR(\"") ? 1 : 0);
	}
}

/* tc_snippet gives what FTS5's snippet() gives, byte for byte: every row
 * of every query below, for each column argument (-1, each column,
 * tc_column) and window size, on a German table (tc_stem, compounds) and
 * an English one (porter unicode61, tc-search's English tokenizer). The
 * rows have hits at the start and the end of a column, in several
 * columns, sentences (". ", ": ") to start a window at, and a column of
 * 600 words. */
static void snippet_is_fts5s(void **state)
{
	(void)state;
	static const char *const rows[][3] = {
	    {"Zutrittskontrolle",
	     "Die Daten werden verschlüsselt übertragen. Schlüssel liegen im "
	     "Tresor: Zutritt nur mit Ausweis.",
	     "Verschlüsselung der Datenträger; Schlüssel"},
	    {"Schlüsselübergabe", "Schlüssel",
	     "Für alle Büros gilt: Schlüssel werden ausgegeben, "
	     "Schlüsselübergaben protokolliert, Türen verschlossen und Zugänge "
	     "überwacht. Zutrittskontrollsystem."},
	    {"Backup and recovery",
	     "Backups are encrypted. Data at rest: encrypted with AES-256. "
	     "Keys are rotated; backups restored monthly.",
	     "encrypted backups, backup backup encrypted"},
	    {"Firewall",
	     "A firewall we manage  :  rules reviewed.\n\nRules "
	     "are logged.",
	     "“Firewall” — managed; ✓ provided. Straße, Café, naïve."},
	    {"", "", "x"},
	};
	exec("CREATE VIRTUAL TABLE sg USING fts5(a, b, c, tokenize = "
	     "'tc_stem de');"
	     "CREATE VIRTUAL TABLE se USING fts5(a, b, c, tokenize = "
	     "'porter unicode61 remove_diacritics 2')");
	tc_buf longtext = TC_BUF_INIT;
	static const char *const words[] = {
	    "daten",  "werden", "Schlüssel", "backup", "encrypted.",
	    "Zugang", "the",    "firewall:", "und",    "Verschlüsselung"};
	for (int i = 0; i < 600; i++)
		tc_buf_printf(&longtext, "%s%s", i ? " " : "",
			      words[(i * 7 + i / 13) % 10]);
	const char *tables[] = {"sg", "se"};
	for (int t = 0; t < 2; t++) {
		tc_buf sql = TC_BUF_INIT;
		tc_buf_printf(&sql, "INSERT INTO %s VALUES(?1, ?2, ?3)",
			      tables[t]);
		sqlite3_stmt *st;
		assert_int_equal(
		    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
		    SQLITE_OK);
		for (size_t i = 0; i <= sizeof rows / sizeof *rows; i++) {
			for (int c = 0; c < 3; c++)
				if (i < sizeof rows / sizeof *rows)
					sqlite3_bind_text(st, c + 1, rows[i][c],
							  -1, SQLITE_STATIC);
				else /* the long row: long b, short a and c */
					sqlite3_bind_text(
					    st, c + 1,
					    c == 1 ? tc_buf_cstr(&longtext)
						   : "Schlüssel backup",
					    -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(st), SQLITE_DONE);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
		tc_buf_free(&sql);
	}
	tc_buf_free(&longtext);
	static const char *const queries[] = {
	    "Schlüssel",
	    "Schlü*",
	    "zutritt*",
	    "Kontrolle",
	    "verschlüsselt",
	    "\"Schlüssel liegen\"",
	    "\"Daten werden verschlüsselt\"",
	    "Schlüssel OR Zugang OR daten",
	    "Schlüssel Tresor",
	    "Daten",
	    "Zutrittskontrolle",
	    "backup",
	    "encrypt*",
	    "\"backup backup\"",
	    "backups OR encrypted OR rules",
	    "firewall",
	    "\"firewall we manage\" OR rules",
	    "strasse OR cafe OR naive",
	    "{b c} : (backup OR daten)",
	    "a : Schlüssel",
	    /* NEARs of words the 600-word row has not both of: SQLite
	     * 3.40's FTS5 trims a NEAR's position lists in place
	     * (fts5ExprNearIsMatch) and, when a list is within 15 bytes
	     * of its buffer's size, reallocates the buffer it is still
	     * reading (sqlite3Fts5PoslistWriterAppend grows it by 15
	     * first): valgrind saw NEAR(Schlüssel Zugang, 3) read freed
	     * memory there with no auxiliary function in the statement,
	     * as the sqlite3 shell does on one row of 60 "a b" with
	     * unicode61 and NEAR(a b, 3) */
	    "NEAR(Schlüssel Tresor, 3)",
	    "NEAR(keys rotated, 2) OR NEAR(rules logged, 3)",
	    "firewall OR backup OR Schlüssel OR daten OR encrypted OR werden",
	    "x",
	};
	static const char *const cols[] = {"-1", "0", "1", "2",
					   "tc_column(%s)"};
	static const int ntok[] = {1, 3, 14, 64};
	int compared = 0, marked = 0;
	for (int t = 0; t < 2; t++)
		for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
			for (size_t n = 0; n < sizeof ntok / sizeof *ntok;
			     n++) {
				tc_buf col = TC_BUF_INIT, sql = TC_BUF_INIT;
				tc_buf_printf(&col, cols[c], tables[t]);
				tc_buf_printf(
				    &sql,
				    "SELECT snippet(%s, %s, '[', ']', '…', "
				    "%d), tc_snippet(%s, %s, '[', ']', '…', "
				    "%d) FROM %s WHERE %s MATCH ?1",
				    tables[t], tc_buf_cstr(&col), ntok[n],
				    tables[t], tc_buf_cstr(&col), ntok[n],
				    tables[t], tables[t]);
				sqlite3_stmt *st;
				assert_int_equal(
				    sqlite3_prepare_v2(db, tc_buf_cstr(&sql),
						       -1, &st, NULL),
				    SQLITE_OK);
				for (size_t q = 0;
				     q < sizeof queries / sizeof *queries;
				     q++) {
					sqlite3_bind_text(st, 1, queries[q], -1,
							  SQLITE_STATIC);
					int rc;
					while ((rc = sqlite3_step(st)) ==
					       SQLITE_ROW) {
						const char *a = (const char *)
						    sqlite3_column_text(st, 0);
						const char *b = (const char *)
						    sqlite3_column_text(st, 1);
						assert_int_equal(!a, !b);
						if (a)
							assert_string_equal(b,
									    a);
						marked += a && strchr(a, '[');
						compared++;
					}
					assert_int_equal(rc, SQLITE_DONE);
					sqlite3_reset(st);
				}
				sqlite3_finalize(st);
				tc_buf_free(&col);
				tc_buf_free(&sql);
			}
	/* the rows above were searched, and most snippets mark a hit */
	assert_true(compared > 1500);
	assert_true(marked > compared / 2);
	/* tc_snippet shares a row's cursor with bm25() and highlight(), in
	 * rowid order and in rank order (where FTS5's sorter hands the
	 * functions copies of the position lists), and each of the three
	 * gives what it gives in a statement of its own */
	static const char *const fns[] = {
	    "bm25(%s)", "highlight(%s, 1, '[', ']')",
	    "tc_snippet(%s, -1, '[', ']', '…', 14)",
	    "highlight(%s, 2, '<', '>')"};
	enum { NFN = sizeof fns / sizeof *fns };
	static const char *const orders[] = {"rowid", "rank"};
	int beside = 0;
	for (int t = 0; t < 2; t++)
		for (int o = 0; o < 2; o++) {
			sqlite3_stmt *st[NFN + 1];
			for (int f = 0; f <= NFN; f++) {
				tc_buf sql = TC_BUF_INIT;
				tc_buf_puts(&sql, "SELECT rowid");
				for (int g = 0; g < NFN; g++)
					if (f == 0 || g == f - 1) {
						tc_buf_puts(&sql, ", ");
						tc_buf_printf(&sql, fns[g],
							      tables[t]);
					}
				tc_buf_printf(&sql,
					      " FROM %s WHERE %s MATCH ?1 "
					      "ORDER BY %s",
					      tables[t], tables[t], orders[o]);
				assert_int_equal(
				    sqlite3_prepare_v2(db, tc_buf_cstr(&sql),
						       -1, &st[f], NULL),
				    SQLITE_OK);
				tc_buf_free(&sql);
			}
			for (size_t q = 0; q < sizeof queries / sizeof *queries;
			     q++) {
				for (int f = 0; f <= NFN; f++)
					sqlite3_bind_text(st[f], 1, queries[q],
							  -1, SQLITE_STATIC);
				int rc;
				while ((rc = sqlite3_step(st[0])) ==
				       SQLITE_ROW) {
					for (int f = 1; f <= NFN; f++) {
						assert_int_equal(
						    sqlite3_step(st[f]),
						    SQLITE_ROW);
						assert_int_equal(
						    sqlite3_column_int64(st[f],
									 0),
						    sqlite3_column_int64(st[0],
									 0));
					}
					assert_true(
					    sqlite3_column_double(st[1], 1) ==
					    sqlite3_column_double(st[0], 1));
					for (int f = 2; f <= NFN; f++) {
						const char *a = (const char *)
						    sqlite3_column_text(st[f],
									1);
						const char *b = (const char *)
						    sqlite3_column_text(st[0],
									f);
						assert_int_equal(!a, !b);
						if (a)
							assert_string_equal(b,
									    a);
					}
					beside++;
				}
				assert_int_equal(rc, SQLITE_DONE);
				sqlite3_reset(st[0]);
				for (int f = 1; f <= NFN; f++) {
					assert_int_equal(sqlite3_step(st[f]),
							 SQLITE_DONE);
					sqlite3_reset(st[f]);
				}
			}
			for (int f = 0; f <= NFN; f++)
				sqlite3_finalize(st[f]);
		}
	assert_true(beside > 100);
	/* one known answer, that FTS5's snippet() gives too */
	assert_one("SELECT tc_snippet(sg, 2, '[', ']', '…', 5) FROM sg "
		   "WHERE sg MATCH ?1",
		   "c : Schlüsselübergabe*",
		   "…Schlüssel werden ausgegeben, [Schlüsselübergaben] "
		   "protokolliert…");
	assert_one("SELECT tc_snippet(sg, 2, '[', ']', '…', 4) FROM sg "
		   "WHERE sg MATCH ?1",
		   "c : Zugang",
		   "…und [Zugänge] überwacht. Zutrittskontrollsystem.");
	char *err = NULL;
	assert_int_equal(sqlite3_exec(db,
				      "SELECT tc_snippet(sg, 0, '[') FROM sg "
				      "WHERE sg MATCH 'x'",
				      NULL, NULL, &err),
			 SQLITE_ERROR);
	assert_string_equal(err, "wrong number of arguments to function "
				 "tc_snippet()");
	sqlite3_free(err);
}

/* The rows of table t (six columns, tc_stem en) made of vocab's words,
 * seeded. */
static void random_rows(const char *t, int rows, unsigned seed)
{
	static const char *const vocab[] = {
	    "iso",     "27001", "server", "servers", "1", "backup",
	    "backups", "data",  "access", "soc",     "2", "encrypted"};
	const size_t nv = sizeof vocab / sizeof *vocab;
	tc_buf sql = TC_BUF_INIT;
	tc_buf_printf(&sql, "INSERT INTO %s VALUES(?,?,?,?,?,?)", t);
	sqlite3_stmt *ins;
	assert_int_equal(
	    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &ins, NULL),
	    SQLITE_OK);
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < 6; c++) {
			tc_buf text = TC_BUF_INIT;
			seed = seed * 1103515245u + 12345u;
			int words = (int)((seed >> 16) % 5);
			for (int w = 0; w < words; w++) {
				seed = seed * 1103515245u + 12345u;
				size_t v = (seed >> 16) % (nv + 30);
				/* rare words among others: bm25's idf > 0 */
				if (v < nv)
					tc_buf_printf(&text, "%s%s",
						      w ? " " : "", vocab[v]);
				else
					tc_buf_printf(&text, "%sw%zu",
						      w ? " " : "", v);
			}
			sqlite3_bind_text(ins, c + 1, tc_buf_cstr(&text), -1,
					  SQLITE_TRANSIENT);
			tc_buf_free(&text);
		}
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	tc_buf_free(&sql);
}

/* tc_rank with bm25's counts kept across queries (tc_ftsidf) ranks as
 * without, bit for bit: every row of every query below, asked twice
 * (counted, then read back), words, prefixes, phrases, NEARs, with and
 * without a leading column filter, and expressions whose phrases are not
 * keyed (a column filter inside: counted each time). The counts are
 * those of the table they were kept for: given another table's, the
 * same query ranks otherwise. */
static void kept_counts_rank_the_same(void **state)
{
	(void)state;
	exec("CREATE VIRTUAL TABLE kc USING fts5(mid, text, notes, category, "
	     "scopes, synonyms, tokenize = 'tc_stem en');"
	     "CREATE VIRTUAL TABLE kd USING fts5(mid, text, notes, category, "
	     "scopes, synonyms, tokenize = 'tc_stem en')");
	random_rows("kc", 150, 7);
	random_rows("kd", 90, 11);
	static const char *const queries[] = {
	    "\"server\"",
	    "\"server\"*",
	    "(\"server\" OR \"server\"*) AND \"backup\"*",
	    "\"iso 27001\" OR NEAR(\"iso\"* \"27001\"*, 2)",
	    "\"data\" OR \"access\" OR \"soc\" OR \"2\"",
	    "\"a\"\"b\" OR \"data\"",
	    "{mid text notes category scopes synonyms} : (\"backups\"*)",
	    "{text notes} : (\"server\" AND \"1\"*)",
	    "\"data\" AND {text} : \"access\"",
	    "\"backup\" AND ({notes} : \"soc\")",
	};
	tc_ftsidf *c = tc_ftsidf_new();
	assert_non_null(c);
	sqlite3_stmt *st[2];
	const char *tables[2] = {"kc", "kd"};
	for (int t = 0; t < 2; t++) {
		tc_buf sql = TC_BUF_INIT;
		tc_buf_printf(
		    &sql,
		    "SELECT rowid, tc_rank(%s, 'abcdefgh', 10.0, 5.0, "
		    "2.0, 1.5, 0.5, 3.0, ?2, ?3) FROM %s WHERE %s "
		    "MATCH ?1 ORDER BY rowid",
		    tables[t], tables[t], tables[t]);
		assert_int_equal(
		    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st[t], NULL),
		    SQLITE_OK);
		tc_buf_free(&sql);
	}
	/* the ranks of query q on table t, with the counts c kept (c NULL:
	 * counted), into out (blobs, row by row) */
	int compared = 0;
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		char *u = malloc(strlen(queries[q]) + 1);
		assert_non_null(u);
		int nears = tc_ftstok_unnear(queries[q], u) > 0;
		tc_buf got[3] = {TC_BUF_INIT, TC_BUF_INIT, TC_BUF_INIT};
		for (int k = 0; k < 3; k++) {
			tc_rank_lengths lens = {
			    NULL, 0, NULL, queries[q], k ? c : NULL, NULL, 0};
			sqlite3_bind_text(st[0], 1, u, -1, SQLITE_STATIC);
			sqlite3_bind_pointer(st[0], 2, &lens, TC_FTSTOK_LENGTHS,
					     NULL);
			sqlite3_bind_text(st[0], 3, nears ? queries[q] : NULL,
					  -1, SQLITE_STATIC);
			int rc;
			while ((rc = sqlite3_step(st[0])) == SQLITE_ROW) {
				tc_buf_printf(
				    &got[k], "%lld:",
				    (long long)sqlite3_column_int64(st[0], 0));
				if (sqlite3_column_type(st[0], 1) !=
				    SQLITE_NULL)
					tc_buf_put(
					    &got[k],
					    sqlite3_column_blob(st[0], 1),
					    (size_t)sqlite3_column_bytes(st[0],
									 1));
			}
			assert_int_equal(rc, SQLITE_DONE);
			sqlite3_reset(st[0]);
		}
		assert_true(got[0].len > 0);
		for (int k = 1; k < 3; k++) {
			assert_int_equal(got[k].len, got[0].len);
			assert_memory_equal(got[k].data, got[0].data,
					    got[0].len);
		}
		compared++;
		for (int k = 0; k < 3; k++)
			tc_buf_free(&got[k]);
		free(u);
	}
	assert_int_equal(compared, sizeof queries / sizeof *queries);
	/* kd ranked with kc's counts: another bm25 (kc's rows, tokens and
	 * phrases' rows) */
	tc_buf got[2] = {TC_BUF_INIT, TC_BUF_INIT};
	for (int k = 0; k < 2; k++) {
		tc_rank_lengths lens = {NULL,         0,    NULL, "\"server\"",
					k ? c : NULL, NULL, 0};
		sqlite3_bind_text(st[1], 1, "\"server\"", -1, SQLITE_STATIC);
		sqlite3_bind_pointer(st[1], 2, &lens, TC_FTSTOK_LENGTHS, NULL);
		while (sqlite3_step(st[1]) == SQLITE_ROW)
			tc_buf_put(&got[k], sqlite3_column_blob(st[1], 1),
				   (size_t)sqlite3_column_bytes(st[1], 1));
		sqlite3_reset(st[1]);
	}
	assert_true(got[0].len > 0);
	assert_int_equal(got[0].len, got[1].len);
	assert_memory_not_equal(got[0].data, got[1].data, got[0].len);
	tc_buf_free(&got[0]);
	tc_buf_free(&got[1]);
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	tc_ftsidf_free(c);
	exec("DROP TABLE kc; DROP TABLE kd");
}

/* The content row tc_ftstok_snippet reads in kept_snippets_are_tc_snippets
 * (a statement on the table's content, at the row), and a column given
 * short to plant an instance beyond its text. */
typedef struct content_row {
	sqlite3_stmt *st;
	int short_col;
} content_row;

static void content_text(void *ctx, int c, const char **s, int *n)
{
	const content_row *cr = ctx;
	if (c < 0 || c + 1 >= sqlite3_column_count(cr->st))
		return;
	*s = (const char *)sqlite3_column_text(cr->st, c + 1);
	*n = sqlite3_column_bytes(cr->st, c + 1);
	if (*s && c == cr->short_col)
		*n = 0;
}

/* tc_ftstok_snippet gives what tc_snippet gives, byte for byte, from the
 * instances tc_rank kept in one pass and the rows' texts: every row of
 * every query below (words, prefixes, phrases, NEARs judged by tc_near,
 * with and without a column filter), for column -1, 1 and tc_column's,
 * on 200 random rows of eight columns with sentences to start a window
 * at, on a German table (compounds split, stems) of tc_stem. A row tc_rank
 * gave no value (not near) is not kept; an instance beyond its column's
 * text is SQLITE_CORRUPT_VTAB. */
static void kept_snippets_are_tc_snippets(void **state)
{
	(void)state;
	tc_ftsdict *d = tc_ftsdict_new();
	assert_non_null(d);
	assert_int_equal(tc_ftsdict_add_text(d, "zutritt kontrolle system", 24),
			 0);
	tc_ftsdict_seal(d);
	assert_int_equal(tc_ftstok_register_dict(db, d), SQLITE_OK);
	exec("CREATE VIRTUAL TABLE ks USING fts5(mid, text, notes, category, "
	     "scopes, synonyms, shared, p0, tokenize = 'tc_stem de')");
	static const char *const vocab[] = {
	    "ISO", "27001", "Zutrittskontrolle", "Zutritt", "Server.", "1",
	    "Schlüssel:", "Kontrollsystem", "Daten", "werden", "verschlüsselt.",
	    "backup", "Sicherung", "Schlüssel", "2", "Zugänge",
	    /* decomposed, marks alone, an invalid byte, a separator */
	    "Schlu\xcc\x88ssel", "\xcc\x88\xcc\x81", "da\xfften",
	    "\xe2\x9c\x93"};
	const size_t nv = sizeof vocab / sizeof *vocab;
	sqlite3_stmt *ins;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO ks VALUES(?,?,?,?,?,?,?,?)", -1,
			       &ins, NULL),
	    SQLITE_OK);
	unsigned seed = 25;
	for (int r = 0; r < 200; r++) {
		for (int c = 0; c < 8; c++) {
			tc_buf text = TC_BUF_INIT;
			seed = seed * 1103515245u + 12345u;
			int words = (int)((seed >> 16) % (c == 1 ? 50 : 10));
			for (int w = 0; w < words; w++) {
				seed = seed * 1103515245u + 12345u;
				tc_buf_printf(&text, "%s%s", w ? " " : "",
					      vocab[(seed >> 16) % nv]);
			}
			if (words || c != 7)
				sqlite3_bind_text(ins, c + 1,
						  tc_buf_cstr(&text), -1,
						  SQLITE_TRANSIENT);
			else /* a NULL column */
				sqlite3_bind_null(ins, c + 1);
			tc_buf_free(&text);
		}
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	static const char *const queries[] = {
	    "\"schlussel\"",
	    "\"zutritt\"*",
	    "\"kontroll\"*",
	    "\"daten werden\"",
	    "\"iso\"* AND \"27001\"*",
	    "NEAR(\"iso\"* \"27001\"*, 2)",
	    "\"backup\"* OR NEAR(\"server\" \"1\"*, 1)",
	    "(\"zugang\"* OR \"sicherung\") AND \"2\"",
	    "\"daten\" OR \"backup\" OR \"schlussel\" OR \"server\"",
	};
	static const char *const filters[] = {
	    "", "{mid text notes category scopes synonyms} : ",
	    "{text category p0} : "};
	static const char *const cols[] = {"-1", "1", "tc_column(ks, ?1)"};
	static const int col_of[] = {-1, 1, TC_FTSTOK_ONE_COLUMN};
	tc_ftsinsts *k = tc_ftsinsts_new(TC_FTSTOK_KEEP_MAX);
	assert_non_null(k);
	tc_rank_lengths lens = {NULL, 0, k, NULL, NULL, NULL, 0};
	content_row cr = {NULL, -1};
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT * FROM ks_content WHERE "
					    "id = ?",
					    -1, &cr.st, NULL),
			 SQLITE_OK);
	int compared = 0, marked = 0, dropped = 0;
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
		tc_buf sql = TC_BUF_INIT;
		tc_buf_printf(&sql,
			      "SELECT rowid, tc_rank(ks, 'abcdefghi', 10.0, "
			      "5.0, 2.0, 1.5, 0.5, 3.0, ?3, ?1) IS NULL, "
			      "tc_snippet(ks, %s, '[', ']', '…', 8, ?1) FROM "
			      "ks WHERE ks MATCH ?2",
			      cols[c]);
		sqlite3_stmt *st;
		assert_int_equal(
		    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
		    SQLITE_OK);
		for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
			for (size_t f = 0; f < sizeof filters / sizeof *filters;
			     f++) {
				tc_buf e = TC_BUF_INIT;
				tc_buf_printf(&e, "%s(%s)", filters[f],
					      queries[q]);
				char *u = malloc(e.len + 1);
				assert_non_null(u);
				int nears =
				    tc_ftstok_unnear(tc_buf_cstr(&e), u) > 0;
				sqlite3_bind_text(
				    st, 1, nears ? tc_buf_cstr(&e) : NULL, -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(st, 2, u, -1, SQLITE_STATIC);
				sqlite3_bind_pointer(st, 3, &lens,
						     TC_FTSTOK_LENGTHS, NULL);
				tc_ftsinsts_clear(k);
				/* the snippets the statement gave, then
				 * tc_ftstok_snippet's of the same rows */
				sqlite3_int64 row[300];
				char *want[300];
				int n = 0, rc;
				while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
					assert_true(n < 300);
					if (sqlite3_column_int(st, 1)) {
						dropped++;
						continue;
					}
					const char *t =
					    (const char *)sqlite3_column_text(
						st, 2);
					row[n] = sqlite3_column_int64(st, 0);
					want[n++] = t ? strdup(t) : NULL;
				}
				assert_int_equal(rc, SQLITE_DONE);
				sqlite3_reset(st);
				for (int i = 0; i < n; i++) {
					sqlite3_bind_int64(cr.st, 1, row[i]);
					assert_int_equal(sqlite3_step(cr.st),
							 SQLITE_ROW);
					char *got = NULL;
					assert_int_equal(
					    tc_ftstok_snippet(
						k, row[i], col_of[c],
						content_text, &cr, "[", "]",
						"…", 8, &got),
					    SQLITE_OK);
					assert_int_equal(!got, !want[i]);
					if (got)
						assert_string_equal(got,
								    want[i]);
					marked += got && strchr(got, '[');
					compared++;
					sqlite3_free(got);
					free(want[i]);
					sqlite3_reset(cr.st);
				}
				free(u);
				tc_buf_free(&e);
			}
		sqlite3_finalize(st);
		tc_buf_free(&sql);
	}
	assert_true(compared > 1000);
	assert_true(marked > compared / 2);
	assert_true(dropped > 10);
	/* a row whose instance lies beyond its column's text: the index
	 * and its content disagree */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT rowid, tc_rank(ks, 'a', "
					    "10.0, 5.0, 2.0, 1.5, 0.5, 3.0, "
					    "?1) FROM ks WHERE ks MATCH "
					    "'{text} : \"daten\"'",
					    -1, &st, NULL),
			 SQLITE_OK);
	tc_ftsinsts_clear(k);
	sqlite3_bind_pointer(st, 1, &lens, TC_FTSTOK_LENGTHS, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_int64 r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_bind_int64(cr.st, 1, r);
	assert_int_equal(sqlite3_step(cr.st), SQLITE_ROW);
	cr.short_col = 1;
	char *got = NULL;
	assert_int_equal(tc_ftstok_snippet(k, r, 1, content_text, &cr, "[", "]",
					   "…", 8, &got),
			 SQLITE_CORRUPT_VTAB);
	assert_null(got);
	/* a pass that matches more instances than k keeps: its ranks as
	 * ever, no snippet of any row (SQLITE_FULL); cleared, and a pass
	 * that keeps nothing: a snippet (of a row without instances) */
	tc_ftsinsts *k3 = tc_ftsinsts_new(3);
	assert_non_null(k3);
	tc_rank_lengths lens3 = {NULL, 0, k3, NULL, NULL, NULL, 0};
	for (int round = 0; round < 2; round++) {
		assert_int_equal(
		    sqlite3_prepare_v2(db,
				       "SELECT rowid, tc_rank(ks, 'a', 10.0, "
				       "5.0, 2.0, 1.5, 0.5, 3.0, ?1) FROM ks "
				       "WHERE ks MATCH ?2",
				       -1, &st, NULL),
		    SQLITE_OK);
		tc_ftsinsts_clear(k3);
		sqlite3_bind_pointer(st, 1, &lens3, TC_FTSTOK_LENGTHS, NULL);
		sqlite3_bind_text(st, 2, round ? "\"zzzz\"" : "\"daten\"", -1,
				  SQLITE_STATIC);
		int rows = 0, rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			assert_int_equal(sqlite3_column_bytes(st, 1),
					 2 * sizeof(double));
			r = sqlite3_column_int64(st, 0);
			rows++;
		}
		assert_int_equal(rc, SQLITE_DONE);
		sqlite3_finalize(st);
		assert_true(round ? rows == 0 : rows > 3);
		sqlite3_reset(cr.st);
		sqlite3_bind_int64(cr.st, 1, r);
		assert_int_equal(sqlite3_step(cr.st), SQLITE_ROW);
		cr.short_col = -1;
		got = NULL;
		assert_int_equal(tc_ftstok_snippet(k3, r, -1, content_text, &cr,
						   "[", "]", "…", 8, &got),
				 round ? SQLITE_OK : SQLITE_FULL);
		assert_true(round ? got && !strchr(got, '[') : !got);
		sqlite3_free(got);
		sqlite3_reset(cr.st);
	}
	tc_ftsinsts_free(k3);
	sqlite3_finalize(cr.st);
	tc_ftsinsts_free(k);
	exec("DROP TABLE ks");
	assert_int_equal(tc_ftstok_register(db), SQLITE_OK); /* without d */
	tc_ftsdict_free(d);
}

/* The rows a MATCH of table finds, in rowid order, as ",1,5," */
static void rows_of(const char *table, const char *expr, tc_buf *out)
{
	tc_buf sql = TC_BUF_INIT;
	tc_buf_printf(&sql,
		      "SELECT rowid FROM %s WHERE %s MATCH ?1 ORDER BY rowid",
		      table, table);
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	tc_buf_putc(out, ',');
	while (sqlite3_step(st) == SQLITE_ROW)
		tc_buf_printf(out, "%lld,", sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	tc_buf_free(&sql);
}

/* tc_rank under a product's columns (tc_rank_lengths's pcols), as
 * tc-search asks it: over the ranked columns and shared and the
 * product's, where notes hold every other column's text (gen/index.c),
 * it finds the rows the ranked columns find, ranks them the same, and
 * its third figure is 1.0 exactly for the rows a MATCH of the product's
 * columns finds (the second MATCH it saves), for every product and for
 * one the table has not, with NEARs, prefixes, phrases and ORs. */
static void rank_tells_the_products_rows(void **state)
{
	(void)state;
	exec("CREATE VIRTUAL TABLE kp USING fts5(mid, text, notes, category, "
	     "scopes, synonyms, shared, p0, p1, tokenize = 'tc_stem en')");
	static const char *words[] = {"server", "backup", "data",    "access",
				      "iso",    "27001",  "soc",     "2",
				      "fence",  "key",    "backups", "rack"};
	size_t nw = sizeof words / sizeof *words;
	sqlite3_stmt *ins;
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "INSERT INTO kp(rowid, mid, text, notes, "
			       "category, scopes, synonyms, shared, p0, p1) "
			       "VALUES(?,?,?,?,?,?,?,?,?,?)",
			       -1, &ins, NULL),
	    SQLITE_OK);
	unsigned seed = 5;
	for (int r = 1; r <= 120; r++) {
		/* shared, p0, p1 and an internal note; notes holds each */
		tc_buf col[10] = {TC_BUF_INIT};
		for (int c = 0; c < 10; c++) {
			col[c] = (tc_buf)TC_BUF_INIT;
			seed = seed * 1103515245u + 12345u;
			int n = (int)((seed >> 16) % 4);
			for (int w = 0; w < n; w++) {
				seed = seed * 1103515245u + 12345u;
				tc_buf_printf(&col[c], "%s%s", w ? " " : "",
					      words[(seed >> 16) % nw]);
			}
		}
		tc_buf notes = TC_BUF_INIT;
		for (int c = 6; c < 10; c++)
			if (col[c].len)
				tc_buf_printf(&notes, "%s%s",
					      notes.len ? " · " : "",
					      tc_buf_cstr(&col[c]));
		sqlite3_bind_int(ins, 1, r);
		for (int c = 0; c < 9; c++)
			sqlite3_bind_text(ins, c + 2,
					  c == 2 ? tc_buf_cstr(&notes)
						 : tc_buf_cstr(&col[c]),
					  -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
		for (int c = 0; c < 10; c++)
			tc_buf_free(&col[c]);
		tc_buf_free(&notes);
	}
	sqlite3_finalize(ins);
	static const char *const queries[] = {
	    "(\"server\" OR \"server\"*)",
	    "\"backup\"* AND \"data\"",
	    "\"iso 27001\" OR NEAR(\"iso\"* \"27001\"*, 2)",
	    "(\"data\" OR \"access\") AND (\"soc\" OR \"2\"*)",
	    "\"key\" \"fence\"",
	    "\"rack\" OR (\"backups\" AND (\"key\" OR \"server\"))",
	    "\"fence rack\"",
	    "NEAR(\"soc\"* \"2\"*, 1) AND \"data\"*",
	};
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, tc_rank(kp, 'abcdefgh', 10.0, "
			       "5.0, 2.0, 1.5, 0.5, 3.0, ?2, ?3) FROM kp "
			       "WHERE kp MATCH ?1 ORDER BY rowid",
			       -1, &st, NULL),
	    SQLITE_OK);
	int told = 0, theirs = 0;
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
		for (int k = -1; k < 2; k++) {
			char pk[8] = "";
			if (k >= 0)
				snprintf(pk, sizeof pk, " p%d", k);
			tc_buf both = TC_BUF_INIT, ranked = TC_BUF_INIT,
			       product = TC_BUF_INIT;
			tc_buf_printf(&both,
				      "{mid text notes category scopes "
				      "synonyms shared%s} : (%s)",
				      pk, queries[q]);
			tc_buf_printf(&ranked,
				      "{mid text notes category scopes "
				      "synonyms} : (%s)",
				      queries[q]);
			tc_buf_printf(&product,
				      "{mid text category scopes synonyms "
				      "shared%s} : (%s)",
				      pk, queries[q]);
			assert_true(tc_ftstok_expr_phrases(tc_buf_cstr(&both)) >
				    0);
			/* the reference: the product's MATCH (its NEARs as
			 * ANDs, as tc-search asks it) */
			char u[1024];
			tc_ftstok_unnear(tc_buf_cstr(&product), u);
			tc_buf want = TC_BUF_INIT;
			rows_of("kp", u, &want);
			unsigned char pcols[9] = {1, 1, 0, 1, 1, 1, 1, 0, 0};
			if (k >= 0)
				pcols[7 + k] = 1;
			/* the ranks of the ranked columns, then of both */
			tc_buf got[2] = {TC_BUF_INIT, TC_BUF_INIT};
			for (int b = 0; b < 2; b++) {
				const char *e =
				    tc_buf_cstr(b ? &both : &ranked);
				tc_rank_lengths lens = {
				    NULL, 0, NULL, e, NULL, b ? pcols : NULL,
				    9};
				tc_ftstok_unnear(e, u);
				sqlite3_bind_text(st, 1, u, -1,
						  SQLITE_TRANSIENT);
				sqlite3_bind_pointer(st, 2, &lens,
						     TC_FTSTOK_LENGTHS, NULL);
				sqlite3_bind_text(st, 3,
						  strstr(e, "NEAR") ? e : NULL,
						  -1, SQLITE_STATIC);
				while (sqlite3_step(st) == SQLITE_ROW) {
					sqlite3_int64 r =
					    sqlite3_column_int64(st, 0);
					if (sqlite3_column_type(st, 1) ==
					    SQLITE_NULL)
						continue; /* not near */
					const double *v =
					    sqlite3_column_blob(st, 1);
					assert_int_equal(
					    sqlite3_column_bytes(st, 1),
					    (b ? 3 : 2) * (int)sizeof(double));
					tc_buf_printf(&got[b], "%lld:%a:%a;", r,
						      v[0], v[1]);
					if (!b)
						continue;
					char at[32];
					snprintf(at, sizeof at, ",%lld,", r);
					int in = strstr(tc_buf_cstr(&want),
							at) != NULL;
					if (v[2] != (in ? 1.0 : 0.0))
						fail_msg("%s, row %lld: %g, "
							 "FTS5 says %d",
							 e, r, v[2], in);
					told++;
					theirs += in;
				}
				sqlite3_reset(st);
			}
			assert_string_equal(tc_buf_cstr(&got[1]),
					    tc_buf_cstr(&got[0]));
			tc_buf_free(&got[0]);
			tc_buf_free(&got[1]);
			tc_buf_free(&want);
			tc_buf_free(&both);
			tc_buf_free(&ranked);
			tc_buf_free(&product);
		}
	sqlite3_finalize(st);
	/* rows of both kinds were told */
	assert_true(theirs > 20 && told - theirs > 20);
	assert_int_equal(tc_ftstok_expr_phrases("\"a\" NOT \"b\""), -1);
	assert_int_equal(tc_ftstok_expr_phrases("{x} : (\"a\" OR \"b\"*)"), 2);
	exec("DROP TABLE kp");
}

/* How many rows of table expr finds (FTS5's own answer). */
static int matches(const char *table, const char *expr)
{
	tc_buf sql = TC_BUF_INIT;
	tc_buf_printf(&sql, "SELECT count(*) FROM %s WHERE %s MATCH ?1", table,
		      table);
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	tc_buf_free(&sql);
	return n;
}

/* tc_ftsvocab says "finds nothing" only when FTS5 finds nothing: for both
 * tokenizers tc-search uses (porter for English, tc_stem for German),
 * over expressions as tc-search writes them and words of every kind
 * (stems, prefixes, umlauts, phrases, NEARs, a column filter), and it
 * does say it: the skip is taken. Expressions it does not read (NOT, too
 * deep) and a NULL vocabulary may always match. */
static void vocabulary_knows_what_cannot_match(void **state)
{
	(void)state;
	static const char *rows[] = {
	    "Encryption of data in transit", "Zutrittskontrolle am Tor",
	    "Backups are encrypted at rest", "Schlüsselkarte für Besucher",
	    "ISO 27001 certificate",
	};
	static const struct {
		const char *table, *tokenize;
	} tables[] = {
	    {"ve", "'porter unicode61 remove_diacritics 2'"},
	    {"vd", "'tc_stem de'"},
	};
	static const char *words[] = {
	    "encrypted",  "encr",      "encryption", "zutritt", "tor",
	    "schluessel", "schlüssel", "besucher",   "xyzzy",   "fence",
	    "27001",      "iso",       "rest",       "qq",      "backup",
	    "certif",     "am",        "of data",    "data of", "transit data",
	};
	size_t nw = sizeof words / sizeof *words;
	exec("CREATE VIRTUAL TABLE ve USING fts5(x, y, tokenize = 'porter "
	     "unicode61 remove_diacritics 2', prefix = '2 3 4')");
	exec("CREATE VIRTUAL TABLE vd USING fts5(x, y, tokenize = 'tc_stem "
	     "de', prefix = '2 3 4')");
	for (size_t t = 0; t < 2; t++) {
		fill(tables[t].table, rows, sizeof rows / sizeof *rows);
		tc_ftsvocab *v =
		    tc_ftsvocab_new(db, tables[t].table, tables[t].tokenize);
		assert_non_null(v);
		int skipped = 0, tried = 0;
		for (size_t i = 0; i < nw; i++)
			for (size_t j = 0; j < nw; j++)
				for (int form = 0; form < 6; form++) {
					char e[512];
					const char *a = words[i], *b = words[j];
					switch (form) {
					case 0:
						snprintf(e, sizeof e,
							 "(\"%s\" OR \"%s\"*)",
							 a, a);
						break;
					case 1:
						snprintf(e, sizeof e,
							 "(\"%s\" OR \"%s\"*) "
							 "AND (\"%s\" OR "
							 "\"%s\"*)",
							 a, a, b, b);
						break;
					case 2:
						snprintf(e, sizeof e,
							 "\"%s\" OR \"%s\"", a,
							 b);
						break;
					case 3:
						snprintf(e, sizeof e,
							 "NEAR(\"%s\"* "
							 "\"%s\"*, 2)",
							 a, b);
						break;
					case 4:
						snprintf(
						    e, sizeof e,
						    "{x} : (\"%s\" \"%s\")", a,
						    b);
						break;
					default:
						snprintf(e, sizeof e,
							 "\"%s %s\"*", a, b);
					}
					int may = tc_ftsvocab_may_match(v, e);
					int found = matches(tables[t].table, e);
					assert_true(found >= 0);
					if (!may && found)
						fail_msg(
						    "%s: %s finds %d rows, "
						    "said none",
						    tables[t].table, e, found);
					skipped += !may;
					tried++;
				}
		/* the skip is taken, and not for what is there */
		assert_true(skipped > tried / 4);
		assert_int_equal(tc_ftsvocab_may_match(v, "\"xyzzy\""), 0);
		assert_int_equal(
		    tc_ftsvocab_may_match(v, "(\"tor\" OR \"xyzzy\"*)"), 1);
		assert_int_equal(tc_ftsvocab_may_match(v, "\"encrypted\""), 1);
		/* what it does not read may match */
		assert_int_equal(tc_ftsvocab_may_match(v, "\"a\" NOT \"b\""),
				 1);
		assert_int_equal(tc_ftsvocab_may_match(v, "\"xyzzy"), 1);
		/* TC_FTSVOCAB_DEPTH groups deep are read, one more is not */
		for (int depth = TC_FTSVOCAB_DEPTH;
		     depth <= TC_FTSVOCAB_DEPTH + 1; depth++) {
			tc_buf deep = TC_BUF_INIT;
			for (int d = 0; d < depth; d++)
				tc_buf_putc(&deep, '(');
			tc_buf_puts(&deep, "\"xyzzy\"");
			for (int d = 0; d < depth; d++)
				tc_buf_putc(&deep, ')');
			assert_int_equal(
			    tc_ftsvocab_may_match(v, tc_buf_cstr(&deep)),
			    depth > TC_FTSVOCAB_DEPTH);
			tc_buf_free(&deep);
		}
		tc_ftsvocab_free(v);
	}
	assert_int_equal(tc_ftsvocab_may_match(NULL, "\"xyzzy\""), 1);
	assert_null(tc_ftsvocab_new(db, "no_such_table", "'tc_stem de'"));
	assert_null(tc_ftsvocab_new(db, "vd", "'no_such_tokenizer'"));
	exec("DROP TABLE ve");
	exec("DROP TABLE vd");
}

int main(void)
{
	/* before SQLite initializes: the log, and allocations to fail */
	sqlite3_config(SQLITE_CONFIG_LOG, on_log, NULL);
	sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
	sqlite3_mem_methods mem = real_mem;
	mem.xMalloc = failing_malloc;
	sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(folds_umlauts_and_diacritics),
	    cmocka_unit_test(splits_words),
	    cmocka_unit_test(survives_hostile_bytes),
	    cmocka_unit_test(caps_long_tokens),
	    cmocka_unit_test(stems_german),
	    cmocka_unit_test(stems_english),
	    cmocka_unit_test(passes_callback_errors_on),
	    cmocka_unit_test(german_queries),
	    cmocka_unit_test(marks_the_right_bytes),
	    cmocka_unit_test(english_queries),
	    cmocka_unit_test(refuses_bad_arguments),
	    cmocka_unit_test(out_of_memory),
	    cmocka_unit_test(register_errors),
	    cmocka_unit_test(rank_is_bm25_and_cover_of_six_columns),
	    cmocka_unit_test(snippet_is_fts5s),
	    cmocka_unit_test(near_is_fts5s),
	    cmocka_unit_test(kept_snippets_are_tc_snippets),
	    cmocka_unit_test(kept_counts_rank_the_same),
	    cmocka_unit_test(vocabulary_knows_what_cannot_match),
	    cmocka_unit_test(rank_tells_the_products_rows),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	tc_buf_free(&logged);
	return rc;
}
