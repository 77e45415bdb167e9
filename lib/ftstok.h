/* ftstok.h: the stemming FTS5 tokenizer for German and English search.
 *
 * tc_ftstok_register() adds one FTS5 tokenizer, "tc_stem", to a
 * connection. A table chooses the language with the tokenizer's argument:
 *
 *   CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'tc_stem de');
 *   CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'tc_stem en');
 *
 * "de" stems with Snowball "german" (libstemmer), reading ae, oe, ue as
 * ä, ö, ü as Snowball's "german2" does (Debian's libstemmer 2.2 has no
 * german2; german does this itself from Snowball 2.3), so that both
 * spellings give one stem and Snowball's umlaut removal lets Zugänge meet
 * Zugang; then it cuts the -t of participles and the -n of -eln
 * infinitives that Snowball leaves, in R1 and leaving 4 letters or more
 * (verschlüsselt, verschlüsseln -> verschlussel, like Verschlüsselung;
 * protokolliert, verwaltet). "en" stems with Snowball "english". There
 * are no stop words. Any other argument, or none, fails the
 * CREATE VIRTUAL TABLE with SQLITE_ERROR ("error in tokenizer
 * constructor": FTS5 gives a tokenizer no way to say more) and logs the
 * reason through sqlite3_log() ("tc_stem: unknown language 'fr' ...").
 *
 * What a token is, for both languages:
 * - ASCII letters and digits form tokens, everything else in ASCII
 *   separates them (as FTS5's unicode61 splits ASCII).
 * - Every letter of Latin-1 Supplement and Latin Extended-A is a letter,
 *   and folded: lower case, ä/ö/ü -> ae/oe/ue, ß and ẞ -> ss, æ/œ -> ae/oe,
 *   other diacritics removed (é -> e, ł -> l, ø -> o). So "Schlüssel" and
 *   "Schluessel", "Straße" and "Strasse" give the same token. × and ÷ and
 *   the rest of U+0080..U+00BF (NBSP, ·, «, », ², ...) separate; ª and º
 *   are letters (a, o), µ a letter kept as written.
 * - Combining marks (U+0300..U+036F) belong to the letter before them and
 *   are dropped, except that a combining diaeresis after a, o or u adds an
 *   "e": decomposed "u\u0308" folds like "ü".
 * - Other code points: punctuation, symbol, space and special blocks
 *   (General Punctuation, arrows, maths, box drawing, dingbats such as ✓,
 *   CJK punctuation, private use, emoji, U+FE00..U+FFFF) separate; any
 *   other code point (Latin Extended-B, Greek, Cyrillic, CJK, ...) is a
 *   letter kept as written, without case folding: a German and English
 *   edition needs no more, and no table of Unicode is carried for it.
 * - Invalid UTF-8 (stray continuation bytes, overlong forms, surrogates,
 *   truncated sequences) and NUL separate, one byte at a time.
 * - A token is at most TC_FTSTOK_MAX bytes once folded: the letters after
 *   that still belong to it (its offsets cover the whole word) but are
 *   not stored, and a capped token is not stemmed. Queries are capped the
 *   same way, so two long words that share their first 64 bytes match.
 *
 * What FTS5 is given:
 * - Offsets are byte offsets of the word in the text as written (the
 *   first byte of its first letter to the end of its last letter or mark),
 *   so highlight() and snippet() mark whole UTF-8 characters.
 * - Documents: the stem, and the folded word itself at the same position
 *   (FTS5_TOKEN_COLOCATED) when it differs from the stem, so that a prefix
 *   query matches words as written as well as stems.
 * - Queries: the stem. Prefix queries ("Zutritt*", FTS5_TOKENIZE_PREFIX):
 *   the folded word, not stemmed, so what a user typed is a prefix of
 *   stored words and stems (Zutritt* finds Zutrittskontrolle).
 * - Text for auxiliary functions: each word as folded, not stemmed (no
 *   colocated tokens): snippet() and highlight() read the offsets only,
 *   which are the documents' (one token a position, as for documents).
 *
 * Compounds (tc_ftstok_register_dict): a document word of
 * TC_FTSTOK_COMPOUND_MIN bytes or more that splits into words of a
 * dictionary (tc_ftstok_split) also gives FTS5 each part, stemmed and as
 * folded, at the word's own position (FTS5_TOKEN_COLOCATED), so
 * "Kontrolle" finds "Zutrittskontrolle" and "Zaun" "Perimeterzaun".
 * Queries are not split here: tc-search splits a query word against the
 * same dictionary (stored in the index) itself.
 *
 * Ownership: tc_ftstok_register() keeps nothing of db; FTS5 creates and
 * deletes the tokenizer instances (one per table and connection, each
 * with its own Snowball stemmer, used by that connection only). The
 * module has no global state. The stems depend on libstemmer's version:
 * an index must be searched with the version it was written with. */
#ifndef TC_FTSTOK_H
#define TC_FTSTOK_H

#include <sqlite3.h>
#include <stddef.h>

/* Bytes of a folded token at most (FTS5's porter stems tokens up to 64
 * bytes too). */
#define TC_FTSTOK_MAX 64

/* The tokenizer's name for tokenize = '...'. */
#define TC_FTSTOK_NAME "tc_stem"

/* Compounds. A part is at least TC_FTSTOK_PART_MIN bytes (folded); only
 * words of TC_FTSTOK_COMPOUND_MIN bytes or more are split, into at most
 * TC_FTSTOK_MAX_PARTS parts, TC_FTSTOK_DEPTH splits deep. A part is known
 * when a word of the dictionary differs from it in at most its last
 * TC_FTSTOK_ENDING bytes (looking at TC_FTSTOK_SCAN words at most). A
 * dictionary holds at most TC_FTSTOK_DICT_MAX words. */
#define TC_FTSTOK_PART_MIN 4
#define TC_FTSTOK_COMPOUND_MIN 8
#define TC_FTSTOK_MAX_PARTS 4
#define TC_FTSTOK_DEPTH 3
#define TC_FTSTOK_ENDING 3
#define TC_FTSTOK_SCAN 64
#define TC_FTSTOK_DICT_MAX 1000000

/* The auxiliary function tc_cover(fts, groups, w0, w1, ...), registered
 * with the tokenizer: how many of a query's words a row has, and where.
 * groups has a letter per phrase of the MATCH expression ('a' + the word
 * that phrase stands for, at most TC_FTSTOK_MAX_GROUPS words); wN is
 * column N's weight. The value is, summed over the words the row has,
 * 1000 plus the weights of the columns it has the word in, each column
 * once however often the word is in it: more words first, then words in
 * more and heavier columns (a measure's text above its notes), and a word
 * said three times, or by three synonyms, counts as once. */
#define TC_FTSTOK_COVER "tc_cover"
#define TC_FTSTOK_MAX_GROUPS 26

/* The auxiliary function tc_rank(fts, groups, w0, ..., w5), registered
 * with the tokenizer: a row's two ranking figures at once, as a blob of
 * two doubles (native byte order): tc_cover(fts, groups, w0, ..., w5), and
 * bm25(fts, w0, ..., w5), both of the first TC_FTSTOK_RANK_COLS columns
 * only: bm25's row length and average row length are those columns'
 * tokens (the rows' phrases must be of those columns only: a query's
 * column filter). A table with more columns ranks as a table of those
 * six would with bm25 and tc_cover. An eighth argument may give the rows'
 * lengths read before (tc_ftstok_lengths, below) as a pointer of type
 * TC_FTSTOK_LENGTHS to a tc_rank_lengths: the row length of a rowid it
 * has (not negative) is taken from it instead of from FTS5's docsize
 * table, one b-tree read less per match; the figures are the same, bit
 * for bit. */
#define TC_FTSTOK_RANK "tc_rank"
#define TC_FTSTOK_RANK_COLS 6
#define TC_FTSTOK_LENGTHS "tc_rank_lengths"
typedef struct tc_ftsinsts tc_ftsinsts;
typedef struct tc_ftsidf tc_ftsidf;
typedef struct tc_rank_lengths {
	const int *len; /* rowid r's at r - 1; -1: not known */
	sqlite3_int64 n;
	/* not NULL: each row tc_rank gives a value keeps its instances
	 * (those tc_snippet would see) there, for tc_ftstok_snippet */
	tc_ftsinsts *keep;
	/* not NULL (both): the statement's MATCH expression as it was
	 * bound (its NEARs may be in it), and what bm25 counts of the
	 * table kept across queries (see tc_ftsidf) */
	const char *match;
	tc_ftsidf *idf;
	/* not NULL (with match): the columns of one product (pcols[c] for
	 * column c < npcols), and tc_rank's value has a third figure, 1.0
	 * when the expression (match, its NEARs as ANDs) is met by the
	 * row's phrases in those columns alone, else 0.0: what a MATCH of
	 * "{those columns} : (expression)" would say of the row, without
	 * that second MATCH, given a column filter that holds them (a
	 * column after the ranked ones counts for the product only; its
	 * instances are neither ranked nor kept). -1.0 when the expression
	 * is not of tc-search's form (lib/ftstok.h's tc_ftsvocab_may_match)
	 * or has more than TC_FTSTOK_PRODUCT_PHRASES phrases: then ask
	 * FTS5. */
	const unsigned char *pcols;
	int npcols;
} tc_rank_lengths;
#define TC_FTSTOK_PRODUCT_PHRASES 256
/* The phrases of an expression of that form (tc_rank_lengths's pcols),
 * or -1. */
int tc_ftstok_expr_phrases(const char *expr);

/* What bm25 reads of a table besides the row (FTS5's bm25 reads it for
 * each query): its row count, its tokens in the ranked columns, and how
 * many rows each phrase is in, counted by a query of the phrase alone
 * (xQueryPhrase, most of tc_rank's cost on a short page). For a table
 * that does not change, such as tc-search's index, they are the same
 * for every query: tc_rank keeps them here, a phrase's count under its
 * key (the expression's leading column filter and the phrase as
 * written, "quoted" and a * after it for a prefix), and reads them
 * again instead of counting. Only for an expression tc-search writes:
 * phrases and a leading {column filter} : (...) (the phrases found in
 * its text are as many as FTS5's, in FTS5's order); any other column
 * filter or ':' outside a phrase, and every phrase is counted. At most
 * TC_FTSTOK_IDF_MAX phrases are kept; one table per tc_ftsidf. */
#define TC_FTSTOK_IDF_MAX 4096
tc_ftsidf *tc_ftsidf_new(void); /* NULL when out of memory */
void tc_ftsidf_free(tc_ftsidf *c);

/* Snippets without a second query. A ranked pass over many rows reads
 * every row's instances; a page shows a few of them. Given a
 * tc_ftsinsts (tc_rank_lengths's keep), tc_rank keeps each row's
 * instances as tc_snippet would see them (with its expression's NEARs
 * judged), the phrases' sizes and the column count, and
 * tc_ftstok_snippet then makes a kept row's snippet from its column
 * texts (the FTS5 table's content: the table's tokenizer must be
 * tc_stem, whose text for auxiliary functions it tokenizes itself) as
 * tc_snippet(fts, col, open, close, ellipsis, tokens[, expr]) gives it
 * in a statement of the same MATCH, byte for byte (tests/test_ftstok.c
 * compares them): no second MATCH, no second read of the position
 * lists. Kept: up to max instances in all (tc_ftsinsts_new): a pass
 * with more keeps no more, its ranks are unchanged, and
 * tc_ftstok_snippet answers SQLITE_FULL for its every row (tc-search:
 * TC_FTSTOK_KEEP_MAX, 12 bytes each: a worker's memory stays bounded
 * whatever a query matches). One tc_ftsinsts serves one ranked pass:
 * clear it before the next. */
#define TC_FTSTOK_KEEP_MAX (1 << 20)
tc_ftsinsts *tc_ftsinsts_new(int max); /* NULL when out of memory */
void tc_ftsinsts_clear(tc_ftsinsts *k);
void tc_ftsinsts_free(tc_ftsinsts *k);
/* col for tc_ftstok_snippet: tc_column(fts[, expr])'s column */
#define TC_FTSTOK_ONE_COLUMN (-2)
/* Row r's snippet (r kept by k) into *out (sqlite3_free it; NULL when
 * the snippet's column is NULL, as tc_snippet's NULL): text(ctx, c, &s,
 * &n) gives column c's text (s NULL: a NULL value), read only for the
 * columns the snippet looks at. col: a column, -1 or
 * TC_FTSTOK_ONE_COLUMN. A row k did not keep has no instances.
 * SQLITE_OK, SQLITE_NOMEM, SQLITE_FULL when k kept no more (above), or
 * SQLITE_CORRUPT_VTAB when an instance lies beyond its column's text. */
typedef void (*tc_ftstok_text)(void *ctx, int c, const char **s, int *n);
int tc_ftstok_snippet(const tc_ftsinsts *k, sqlite3_int64 r, int col,
		      tc_ftstok_text text, void *ctx, const char *open,
		      const char *close, const char *ellips, int ntok,
		      char **out);

/* Each row's length as tc_rank's bm25 counts it (the tokens of its first
 * TC_FTSTOK_RANK_COLS columns) from the FTS5 table's docsize table (as
 * FTS5 reads it: a varint per column), into len[r - 1] for rowids r of
 * 1..n; -1 for a row it has not, or whose sizes do not read. table: the
 * FTS5 table's name (its docsize table is "<table>_docsize"). Returns
 * SQLITE_OK or SQLite's error (len is then partly filled). A full scan
 * of the FTS5 table cannot give them: FTS5 reads no docsize outside a
 * MATCH (xColumnSize answers 0). */
int tc_ftstok_lengths(sqlite3 *db, const char *table, int *len,
		      sqlite3_int64 n);

/* tc_column(fts): the column every instance of the row's match is in, or
 * -1 when they are in more than one (or there are none). snippet(fts,
 * tc_column(fts), ...) is snippet(fts, -1, ...) of such a row without
 * tokenizing the columns the match is not in. */
#define TC_FTSTOK_COLUMN "tc_column"
/* tc_snippet(fts, col, open, close, ellipsis, tokens): what FTS5's
 * snippet() with the same arguments gives (SQLite 3.40's fts5_aux.c: the
 * same window, sentence starts, ellipses and marks), byte for byte
 * (tests/test_ftstok.c compares them) for any tokenizer, with less work:
 * FTS5's tokenizes a column twice (sentence starts, then marks) and reads
 * its size from the docsize table, and with col -1 tokenizes every
 * column, even those the match is not in; tc_snippet tokenizes once the
 * columns the match is in (the size is the number of positions), and
 * the best one again only when it was not the last. */
#define TC_FTSTOK_SNIPPET "tc_snippet"

/* NEAR without FTS5's: SQLite 3.40's FTS5 trims a NEAR group's position
 * lists in place while reading them, and may reallocate one under its
 * reader (a list within 15 bytes of its buffer's size: an invalid read;
 * bench/notes.md), which a row with many instances of a group's words
 * reaches. So an expression with NEARs is sent to FTS5 without them
 * (tc_ftstok_unnear: each NEAR(a b, N) becomes (a b), its phrases ANDed)
 * and tc_near(fts, expr), given the expression with its NEARs, says
 * whether the row matches it: 1 or 0 (1 for a NULL expr). A NEAR group
 * matches as in FTS5 (fts5ExprNearIsMatch): an instance of each phrase,
 * in one column, each starting at most its size plus N tokens before the
 * last of them. tc_rank, tc_column and tc_snippet take the expression as
 * a last argument (tc_rank's ninth, after lengths; tc_snippet's seventh;
 * tc_column's second): of a NEAR group's phrases they see only the
 * instances within the group's windows, as FTS5 would have left them, so
 * ranks, columns and snippets are as with FTS5's NEAR; tc_rank (and
 * tc_bm25) give NULL for a row that does not match it (a ranked search
 * needs no tc_near beside it). expr is what
 * tc-search writes: "quoted" phrases (a * after one: a prefix), AND, OR,
 * parentheses, {column filters} : and NEAR(phrases[, N]) of at most
 * TC_FTSTOK_NEAR_MAX phrases; anything else, or another number of
 * phrases than the query has, is an error ("tc_near: not an expression
 * of tc-search"). */
#define TC_FTSTOK_NEAR "tc_near"
/* tc_bm25(fts, groups, w0, ..., w5, lengths, expr): tc_rank's bm25 alone,
 * as a number (what bm25(fts, w0, ..., w5) gives a table of six columns,
 * with expr's NEARs as FTS5's): for an ORDER BY. */
#define TC_FTSTOK_BM25 "tc_bm25"
#define TC_FTSTOK_NEAR_MAX 64
/* expr without its NEARs into out (at least strlen(expr) + 1 bytes: it
 * is never longer); the number of NEARs it had. */
size_t tc_ftstok_unnear(const char *expr, char *out);

/* Registers "tc_stem", tc_cover, tc_rank, tc_column, tc_snippet and tc_near
 * on db.
 * SQLITE_OK, SQLITE_MISUSE for a NULL db, or SQLITE_ERROR when db has no FTS5
 * (the message is in sqlite3_errmsg() when SQLite gave one). */
int tc_ftstok_register(sqlite3 *db);

/* The words compounds are split against: folded words (as the tokenizer
 * folds them) of TC_FTSTOK_PART_MIN..TC_FTSTOK_MAX bytes. Add words, then
 * seal it (sorts, drops duplicates); only a sealed dictionary splits. */
typedef struct tc_ftsdict tc_ftsdict;
tc_ftsdict *tc_ftsdict_new(void); /* NULL when out of memory */
void tc_ftsdict_free(tc_ftsdict *d);
/* A folded word (shorter or longer ones are skipped): 0, or -1 when out
 * of memory, sealed or full (TC_FTSTOK_DICT_MAX). */
int tc_ftsdict_add(tc_ftsdict *d, const char *w, size_t n);
/* Every word of text, folded: 0 or -1 as tc_ftsdict_add. */
int tc_ftsdict_add_text(tc_ftsdict *d, const char *text, size_t n);
void tc_ftsdict_seal(tc_ftsdict *d);
size_t tc_ftsdict_count(const tc_ftsdict *d);
const char *tc_ftsdict_word(const tc_ftsdict *d, size_t i);
/* Whether a word of the sealed d starts with p[0..n). */
int tc_ftsdict_prefix(const tc_ftsdict *d, const char *p, size_t n);

/* Like tc_ftstok_register, with compounds of documents split against dict
 * (borrowed: it must outlive db's FTS5 tables, and be sealed before the
 * first row is written; NULL: no splitting). */
int tc_ftstok_register_dict(sqlite3 *db, const tc_ftsdict *dict);

/* A table's vocabulary, to tell before a MATCH that an expression finds
 * nothing in it: a query that cannot meet any row still costs FTS5 its
 * parse, its cursors and their teardown (tc-search's entries, a dozen
 * rows, took a sixth of every search at S). tc_ftsvocab_new reads the
 * terms of FTS5 table `table` (its fts5vocab, in a temp table of db) and
 * makes an instance of its tokenizer as the table names it (`tokenize`,
 * the tokenize= option, e.g. 'porter unicode61 remove_diacritics 2' or
 * 'tc_stem de'); NULL when it cannot, or the table has more than
 * TC_FTSVOCAB_MAX terms: then every expression may match. It borrows db,
 * whose tokenizers it uses: free it before closing db. */
#define TC_FTSVOCAB_MAX 200000
typedef struct tc_ftsvocab tc_ftsvocab;
tc_ftsvocab *tc_ftsvocab_new(sqlite3 *db, const char *table,
			     const char *tokenize);
void tc_ftsvocab_free(tc_ftsvocab *v);
/* 0 when the expression (phrases, "..." or "..."*, with AND, OR, NEAR(...)
 * and parentheses, a column filter before it: what tc-search writes)
 * finds no row: every way it can be met needs a phrase with a token that
 * no row has (each phrase's text tokenized as FTS5 tokenizes a query's,
 * FTS5_TOKENIZE_QUERY, with FTS5_TOKENIZE_PREFIX and the last token a
 * prefix for "..."*). 1 when it may find rows, and whenever the expression
 * is not of that form (NOT, deeper than TC_FTSVOCAB_DEPTH, longer than
 * TC_FTSVOCAB_EXPR) or v is NULL: a 1 only costs the MATCH. */
#define TC_FTSVOCAB_DEPTH 32
#define TC_FTSVOCAB_EXPR 8192
int tc_ftsvocab_may_match(const tc_ftsvocab *v, const char *expr);

/* A part of a compound: w[off..off+len). */
typedef struct tc_ftspart {
	size_t off, len;
} tc_ftspart;
/* Splits the folded word w[0..n) into known parts of d (see above), the
 * longest head first; a head may end in a linking s, es, n or en, which
 * belongs to no part (zutritts|kontrolle: zutritt, kontrolle). Returns
 * the number of parts (2..max), or 0 when w is no compound of d. */
int tc_ftstok_split(const tc_ftsdict *d, const char *w, size_t n,
		    tc_ftspart *part, int max);

/* The first word of s[0..n) folded as the tokenizer folds it, into out;
 * its length, or 0 (no word, or longer than TC_FTSTOK_MAX). */
size_t tc_ftstok_fold(const char *s, size_t n, char out[TC_FTSTOK_MAX]);

#endif
