/* indexfmt.h: the search index's format, the contract between tc-gen, which
 * writes it (gen/index.c), and tc-search, which reads it (cgi/search.c).
 *
 * Both sides take the format version, the schema, the meta keys and the
 * columns of the result row from here, so they cannot drift apart: a change
 * of the stored data (tom.json's schema included) bumps TC_INDEX_FORMAT,
 * and tc-search refuses an index of another format. */
#ifndef TC_INDEXFMT_H
#define TC_INDEXFMT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vocab.h"

/* 15: the stored catalogue's words of the search page's count
 * (count.search_matches, count.search_results, with a zero form) replaced
 * four older keys: an index of 14 would print that line without words. */
#define TC_INDEX_FORMAT "15"

/* Meta keys (table meta: key, value). */
#define TC_IX_FORMAT "format"
#define TC_IX_VERSION "version" /* the content version */
#define TC_IX_DATE "date"
#define TC_IX_ORGANISATION "organisation"
/* api/tom.json without its measures (every category's "measures" is []):
 * the scopes and categories, which is all a worker keeps of the data. */
#define TC_IX_CATALOG "catalog"
#define TC_IX_TOM_SHA256 "tom_sha256" /* of api/tom.json: XLSX covers */
#define TC_IX_PAGE "page"             /* the common page context, JSON */
#define TC_IX_ETAG "etag"             /* a hash of everything stored */
#define TC_IX_CHANGES "changes"       /* api/changes.json (lib/changes.h) */
/* The export (table exports, by name) that lists the versions a
 * customer's annex may be made of (POST /api/annex), newest first, a JSON
 * array: [{"id": "current" or the release's version, "version", "date",
 * "sha256" (of the data file), "url" (its absolute URL), "translated" (a
 * release's words in a translation it did not freeze), and for a release
 * that froze this language's translation "orig_url" and "orig_sha256" (the
 * original's data file, which governs; format 14)}]. The current
 * version's data set is the export "json", a release's in this language's
 * words the export "annex/<version>" (tc_ix_export_key). An index without
 * them (written before they were) serves everything else; /api/annex
 * answers 503. */
#define TC_IX_ANNEX_VERSIONS "annex"
/* Languages. Each language of the site has an index of its own: the
 * default language's is the file tc-search is given, each other one's the
 * same path with ".<code>" after it. */
#define TC_IX_LANG "lang" /* this index's language: "en", "de" */
#define TC_IX_LANGUAGES                                                        \
	"languages"               /* the default index only: the other         \
				     languages' codes, a JSON array */
#define TC_IX_MSGS "msgs"         /* the language's message catalogue */
#define TC_IX_TOKENIZE "tokenize" /* the FTS5 tokenizer, as below */
/* Verification. digest: the SHA-256 (hex) of everything the file stores
 * (tc_ix_digest), written last by tc-gen after FTS5's own integrity-check
 * passed, and checked by tc-search with SQLite's integrity_check before it
 * serves the file. build: one ID for every language's index of one tc-gen
 * run (the SHA-256 of their digests, in the order of the site's
 * languages); tc-search refuses a set whose builds differ. Neither is
 * covered by the digest. */
#define TC_IX_DIGEST "digest"
#define TC_IX_BUILD "build"

/* fts.synonyms holds, for each measure, the words of content/synonyms.md
 * entries that concern it (gen/synonyms.h). vocab lists the words of the
 * measures (not stemmed: they are offered to people as suggestions) as
 * SQLite's unicode61 tokenizer folds them (term: lower case, no
 * diacritics), with the number of measures that use each and the word as
 * the content writes it most often (word: "Passwörter" for the term
 * "passworter"); tc-search suggests the nearest term when a search finds
 * nothing, and offers its word. */
#define TC_IX_SELECT_VOCAB "SELECT term, docs, word FROM vocab"

/* What a search answer is spliced from, written by tc-gen with jansson so
 * that the answer is byte for byte what jansson would write:
 *
 * measures.head is a search result up to its snippet, compact JSON:
 *   {"id":…,"text":…,"url":…,"category":{"id":…,"title":…},"snippet":
 * measures.json is the measure as api/tom.json has it (compact), for
 * exports that are not stored whole. measures.general is 1 for a measure
 * that concerns every product (tc_concerns).
 *
 * measures.cells is the members of the measure's "cells" object,
 * "scope-id":{…}, compact, comma-separated; cells holds one row per cell
 * (the ord-th member) with what the filters of an export ask of it (its
 * scope, status and responsibility).
 *
 * filters holds what the search's filters ask of a measure, one small row
 * each (measures.rowid), which tc-search loads whole (a few bytes per
 * measure and product) so that filtering and ranking a match reads no
 * cell: category, the ordinal of its category in the catalog; general, as
 * measures.general; cells, a bit per (status, responsibility) pair its
 * cells have (bit TC_IX_PAIR(status, resp), lib/vocab.h's tc_status and
 * tc_resp); every, the same bits of its site and organisation cells
 * alone, which answer for every product (lib/tomdata.h's product rule);
 * products, TC_IX_PRODUCT_BYTES bytes per product of the catalog (its
 * scopes of kind product, in order): the pair of the product's cell plus
 * 1 (0: the measure has no cell for it), then the cell's ord. Under a
 * product filter a measure's answer is the product's pair and every's
 * (format 13: format 12 had the product's cell alone, and a measure that
 * concerns a product by its site or organisation cells was not found).
 *
 * exports holds the common downloads ready to serve, named by
 * tc_ix_export_key: the whole set and each product, JSON and CSV. */
#define TC_IX_SCHEMA                                                           \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"        \
	"CREATE TABLE measures(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL "   \
	"UNIQUE, category_id TEXT NOT NULL, category_title TEXT NOT NULL, "    \
	"url TEXT NOT NULL, text TEXT NOT NULL, general INTEGER NOT NULL, "    \
	"head TEXT NOT NULL, cells TEXT NOT NULL, json TEXT NOT NULL);"        \
	"CREATE INDEX measures_category ON measures(category_id);"             \
	"CREATE TABLE cells(mrow INTEGER NOT NULL, ord INTEGER NOT NULL, "     \
	"scope TEXT NOT NULL, status TEXT NOT NULL, resp TEXT NOT NULL, "      \
	"PRIMARY KEY(mrow, ord)) WITHOUT ROWID;"                               \
	"CREATE TABLE exports(name TEXT PRIMARY KEY, body BLOB NOT NULL);"     \
	"CREATE TABLE templates(name TEXT PRIMARY KEY, source TEXT NOT NULL);" \
	"CREATE TABLE filters(rowid INTEGER PRIMARY KEY, category INTEGER "    \
	"NOT NULL, general INTEGER NOT NULL, cells INTEGER NOT NULL, "         \
	"every INTEGER NOT NULL, products BLOB NOT NULL);"                     \
	"CREATE TABLE vocab(term TEXT PRIMARY KEY, docs INTEGER NOT NULL, "    \
	"word TEXT NOT NULL) WITHOUT ROWID;"                                   \
	"CREATE VIRTUAL TABLE fts USING fts5(mid, text, notes, category, "     \
	"scopes, synonyms, shared%s, tokenize=%s, prefix='2 3 4');"            \
	"CREATE TABLE entries(rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, " \
	"id TEXT NOT NULL, products TEXT, shown INTEGER NOT NULL, "            \
	"head TEXT NOT NULL, tail TEXT NOT NULL);"                             \
	"CREATE VIRTUAL TABLE efts USING fts5(eid, text, notes, category, "    \
	"scopes, synonyms, tokenize=%s, prefix='2 3 4');"                      \
	"CREATE TABLE dict(term TEXT PRIMARY KEY) WITHOUT ROWID;"

/* dict: the words compounds are split against (lib/ftstok.h), folded as
 * the tokenizer folds them: every word of the measures' IDs, texts, notes,
 * categories and synonyms. tc-gen's tokenizer splits the documents' words
 * with it as it writes fts and efts; tc-search splits a query's words with
 * the same words, read from here. */
#define TC_IX_INSERT_DICT "INSERT INTO dict(term) VALUES(?)"
#define TC_IX_SELECT_DICT "SELECT term FROM dict"

/* The entries: what else a search finds besides measures (gen/trust.h and
 * the site's pages: certificates, subprocessors, data locations, and the
 * contact, certificates, subprocessors and annex pages), one row each, searched
 * in efts (the same columns and weights as fts: ID, title, notes, the page's
 * title, scope names, further words) and answered before the measures.
 * entries.head is a search result up to its snippet, as measures.head with
 * "kind" first: {"kind":…,"id":…,"text":…,"url":…,"category":{"id":…,
 * "title":…},"snippet": ; entries.tail the rest of it: ,"cells":{} and the
 * kind's own keys, then the closing brace. products is the products it
 * concerns as ",a,b," (NULL: every product); shown says when it is
 * offered: TC_IX_SHOWN_ALWAYS, only without a product filter (the annex
 * of every product), or only with one (a product's annex). */
#define TC_IX_SHOWN_ALWAYS 0
#define TC_IX_SHOWN_UNFILTERED 1
#define TC_IX_SHOWN_PRODUCT 2

/* The tokenizer of a language's search: German is stemmed by Snowball
 * with umlauts folded (lib/ftstok.h, "Verschluesselung" finds
 * "verschlüsselt"); English keeps FTS5's porter; any other language is
 * split and folded without stemming. Both binaries register tc_stem on
 * every connection (tc_ftstok_register). */
static inline const char *tc_ix_tokenize(const char *lang)
{
	if (!strcmp(lang, "de"))
		return "'tc_stem de'";
	if (!strcmp(lang, "en"))
		return "'porter unicode61 remove_diacritics 2'";
	return "'unicode61 remove_diacritics 2'";
}

/* Whether a query must ask for a word both stemmed and as a prefix: under
 * tc_stem a prefix term matches the words as written only. */
static inline int tc_ix_stemmed(const char *tokenize)
{
	return tokenize && strstr(tokenize, "tc_stem") != NULL;
}

#define TC_IX_INSERT_MEASURE                                                   \
	"INSERT INTO measures(rowid, id, category_id, category_title, url, "   \
	"text, general, head, cells, json) VALUES(?,?,?,?,?,?,?,?,?,?)"
#define TC_IX_INSERT_CELL                                                      \
	"INSERT INTO cells(mrow, ord, scope, status, resp) VALUES(?,?,?,?,?)"
#define TC_IX_INSERT_EXPORT "INSERT INTO exports(name, body) VALUES(?,?)"
/* then ", p0, ..." and as many "?" (gen/index.c) */
#define TC_IX_INSERT_FTS                                                       \
	"INSERT INTO fts(rowid, mid, text, notes, category, scopes, "          \
	"synonyms, shared"
#define TC_IX_INSERT_ENTRY                                                     \
	"INSERT INTO entries(rowid, kind, id, products, shown, head, tail) "   \
	"VALUES(?,?,?,?,?,?,?)"
#define TC_IX_INSERT_EFTS                                                      \
	"INSERT INTO efts(rowid, eid, text, notes, category, scopes, "         \
	"synonyms) VALUES(?,?,?,?,?,?,?)"
#define TC_IX_INSERT_TEMPLATE "INSERT INTO templates(name, source) VALUES(?,?)"
#define TC_IX_INSERT_META "INSERT INTO meta(key, value) VALUES(?,?)"
#define TC_IX_SELECT_META "SELECT value FROM meta WHERE key = ?"
#define TC_IX_SELECT_TEMPLATES "SELECT name, source FROM templates"
#define TC_IX_SELECT_EXPORT "SELECT body FROM exports WHERE name = ?"

/* The filters of an export, bound by name, never spliced: :product,
 * :category, :status, :resp (",a,b,": the comma list of responsibilities
 * with a comma before and after), :every (the catalog's site and
 * organisation scopes, ",a,b,"). A cell passes when it is the product's or
 * every product's (or its measure concerns every product), has the status
 * and one of the responsibilities; a measure passes when one of its cells
 * does. This reads more than the product rule keeps (an internal cell of a
 * table without products); lib/tomdata.h's tc_tom_filter then keeps what
 * it shows. A search asks the same of the filters table instead
 * (tc-search holds it). */
#define TC_IX_CELL_PASSES                                                      \
	"(:product IS NULL OR m.general OR c.scope = :product"                 \
	" OR instr(:every, ',' || c.scope || ',') > 0)"                        \
	" AND (:status IS NULL OR c.status = :status)"                         \
	" AND (:resp IS NULL OR instr(:resp, ',' || c.resp || ',') > 0)"
#define TC_IX_MEASURE_PASSES                                                   \
	"(:category IS NULL OR m.category_id = :category)"                     \
	" AND ((:product IS NULL AND :status IS NULL AND :resp IS NULL)"       \
	"  OR EXISTS (SELECT 1 FROM cells c WHERE c.mrow = m.rowid "           \
	"AND " TC_IX_CELL_PASSES "))"

/* filters (above): a (status, responsibility) pair's number, and the
 * bytes of each product in filters.products. */
#define TC_IX_PAIR(status, resp) ((status)*RS__COUNT + (resp))
#define TC_IX_PRODUCT_BYTES 2

/* fts's columns. The first six are what a search looks in and ranks by
 * (efts has the same): ID, text, notes (every column's notes, each text
 * once), category, scope names, synonyms. Then shared: the notes of the
 * measure's site and organisation columns; then one column per product of
 * the catalog, in order (p0, p1, ...): the note of the product's own cell.
 * A search under a product filter keeps the measures whose words are in
 * TC_IX_COLS_PRODUCT and the product's column, what concerns that
 * product (a word of another product's note, or of an internal system's,
 * finds nothing: TC_IX_SELECT_IDS), and ranks them as any search
 * (TC_IX_COLS). Queries are given their columns as FTS5's column filter,
 * "{cols} : (query)". */
#define TC_IX_COLS "mid text notes category scopes synonyms"
#define TC_IX_COLS_PRODUCT "mid text category scopes synonyms shared"
#define TC_IX_SELECT_IDS "SELECT rowid FROM fts WHERE fts MATCH :match"
/* The ranked columns and the shared one, whose column numbers follow
 * them (then p0, p1, ...): a search under a product ranks over this
 * filter and asks tc_rank whether the row's words are in the product's
 * columns (lib/ftstok.h's tc_rank_lengths pcols) instead of a second
 * MATCH (TC_IX_SELECT_IDS). Every note of shared and of a product's
 * column is in notes too (gen/index.c), so the rows this finds are the
 * rows TC_IX_COLS finds, and tc_rank ranks by the ranked columns alone. */
#define TC_IX_COLS_SHARED TC_IX_COLS " shared"
#define TC_IX_COL_SHARED 6
#define TC_IX_COL_PRODUCT0 7

/* A search's NEARs (a number within QUERY_NEAR words of the word before
 * it: cgi/search.c) are not FTS5's, whose NEAR in SQLite 3.40 may read
 * memory it freed (lib/ftstok.h's tc_near): :match is the expression
 * without them (tc_ftstok_unnear) and :near the expression with them,
 * NULL when it has none; a row is a match when tc_near says so (TC_IX_NEAR
 * for fts, TC_IX_ENEAR for efts) or, ranked, when tc_rank gives it a
 * value (NULL: not near; no test per row of a search without NEARs), and
 * tc_rank, tc_bm25, tc_column and tc_snippet see the instances FTS5's NEAR
 * would have left. The IDs (only intersected with the ranked rows) and
 * the pages (of rows that were ranked) need no check. */
#define TC_IX_NEAR "(:near IS NULL OR tc_near(fts, :near))"
#define TC_IX_ENEAR "(:near IS NULL OR tc_near(efts, :near))"

/* The ranking: the columns a measure has each word in, weighted (ID,
 * text, notes, category, scopes, synonyms; each column once per word),
 * then bm25 with the same weights, ties by source order; under a product
 * filter, the measures that do not apply to the product (every cell that
 * answers for it, its own, the sites' and the organisation's, not
 * applicable or not provided) after those that do (tc-search counts them).
 * lib/ftstok.h's tc_rank gives both figures of a row at once (:lengths:
 * the rows' lengths tc-search read with tc_length when it opened the
 * index, so that bm25 reads no docsize per match); tc-search
 * filters, counts and sorts the matches itself, from the filters table, so
 * a match costs no read of its measure or cells. When no measure has every
 * word of a search: those with some of them (the words ORed), the most
 * words first (tc_cover's thousands), then by bm25, whose rarer words
 * weigh more ("data breach": the breach). */
#define TC_IX_WEIGHTS "10.0, 5.0, 2.0, 1.5, 0.5, 3.0"
#define TC_IX_SELECT_RANKED                                                    \
	"SELECT rowid, tc_rank(fts, :groups, " TC_IX_WEIGHTS ", :lengths,"     \
	" :near) FROM fts WHERE fts MATCH :match"

/* The snippet is the best column's, except under a product filter: "a
 * firewall we manage" (a managed product's note) quoted beside "Cloud
 * servers: ✓ Provided" told a buyer something of the wrong product.
 * Filtered, the snippet is the measure's own text (column 1); the cells
 * shown with it are the product's. Unfiltered, it is the column
 * tc_column(fts, :near) would choose. tc-search makes it without a second
 * MATCH: the ranked pass keeps the page's rows' instances and
 * lib/ftstok.h's tc_ftstok_snippet cuts the snippet from them and the
 * row's text, what tc_snippet(fts, <that column>, char(1), char(2), '…',
 * 14, :near) gives, byte for byte (test_ftstok compares the two). */
/* Each cell's scope and what it says, for the product rule and a status
 * or responsibility filter, for a page's measures (their heads, texts and
 * cells' members: cgi/search.c's SELECT_PAGE). One statement for the page,
 * not one per row (the statements' own cost was most of a row's):
 * tc-search's table tc_page(:rows) is the page's rowids (r) in page order
 * (place), and the rows come in that order (said, not left to the plan:
 * tc_page consumes ORDER BY place, so no sort), a measure's cells
 * together; in which order a measure's cells come is not said: tc-search
 * marks them by their ord. ORDER BY place, c.ord was a sorter over every
 * cell of the page (SQLite gives a virtual table no ORDER BY that names
 * another table's column): 9 % of a JSON answer at S. */
#define TC_IX_SELECT_CELLS                                                     \
	"SELECT p.place, c.ord, c.scope, c.status, c.resp"                     \
	" FROM tc_page(:rows) AS p CROSS JOIN cells AS c ON c.mrow = p.r"      \
	" ORDER BY p.place"
/* The columns of an entries' ranked row (TC_IX_SELECT_ENTRIES_RANKED). */
enum tc_ix_result {
	TC_IXR_ROWID,
	TC_IXR_HEAD,
	TC_IXR_SNIPPET,
	TC_IXR_CELLS,
	TC_IXR__COUNT
};
/* An entry passes no filter of measures (category, status,
 * responsibility: it has no cells); with a product, only one that
 * concerns the product, and the product's annex instead of every
 * product's (2, 1: TC_IX_SHOWN_PRODUCT, TC_IX_SHOWN_UNFILTERED). The
 * entries are ranked as the measures are, and come first;
 * their snippet is the best column's (an entry's notes are its own).
 * Each ranked row carries its result (head, snippet, tail): there are a
 * dozen entries, and their snippets cost less than the second MATCH of
 * the page's rows that made them before (6 % of a search at S). */
#define TC_IX_ENTRY_PASSES                                                     \
	"(:category IS NULL AND :status IS NULL AND :resp IS NULL"             \
	" AND CASE WHEN :product IS NULL THEN e.shown <> 2"                    \
	"  ELSE e.shown <> 1 AND (e.products IS NULL"                          \
	"   OR instr(e.products, ',' || :product || ',') > 0) END)"
#define TC_IX_SELECT_ENTRIES_RANKED                                            \
	"SELECT e.rowid, e.head, tc_snippet(efts, -1, char(1), char(2), "      \
	"'…', 14, :near), e.tail"                                            \
	" FROM efts JOIN entries e ON e.rowid = efts.rowid"                    \
	" WHERE efts MATCH :match AND " TC_IX_ENEAR " AND " TC_IX_ENTRY_PASSES \
	" ORDER BY tc_bm25(efts, '', " TC_IX_WEIGHTS ", :lengths, :near),"     \
	" e.rowid"
#define TC_IX_SELECT_ENTRIES_COUNT                                             \
	"SELECT count(*) FROM efts JOIN entries e ON e.rowid = efts.rowid"     \
	" WHERE efts MATCH :match AND " TC_IX_ENEAR " AND " TC_IX_ENTRY_PASSES
#define TC_IX_SELECT_FILTERS                                                   \
	"SELECT rowid, category, general, cells, every, products FROM filters" \
	" ORDER BY rowid"
#define TC_IX_INSERT_FILTER                                                    \
	"INSERT INTO filters(rowid, category, general, cells, every, "         \
	"products) VALUES(?,?,?,?,?,?)"
/* The measures of an export that is built, in the order of api/tom.json,
 * with their category: those that pass the filters and match :match (every
 * measure when it is NULL). */
#define TC_IX_SELECT_EXPORT_MEASURES                                           \
	"SELECT m.rowid, m.category_id, m.json FROM measures m"                \
	" WHERE (:match IS NULL OR m.rowid IN"                                 \
	"  (SELECT rowid FROM fts WHERE fts MATCH :match AND " TC_IX_NEAR "))" \
	" AND " TC_IX_MEASURE_PASSES " ORDER BY m.rowid"

/* The name of a stored export: "json" or "csv" for the whole set,
 * "json/PRODUCT" for one product. Returns 0, or -1 when it does not fit. */
static inline int tc_ix_export_key(char *out, size_t n, const char *format,
				   const char *product)
{
	int k = product ? snprintf(out, n, "%s/%s", format, product)
			: snprintf(out, n, "%s", format);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* FNV-1a, 64 bits: the index's ETag (over everything stored) and the
 * answer cache's key hash. Start from TC_FNV_INIT. */
#define TC_FNV_INIT 0xcbf29ce484222325ULL
static inline uint64_t tc_fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The digest of an index (TC_IX_DIGEST): SHA-256 over the schema and
 * every row of every ordinary table (the FTS5 shadow tables included), in
 * the b-tree order of each table, each value with its type and length,
 * leaving out meta's digest and build rows. Writes 64 hex digits and a
 * NUL into out and returns SQLITE_OK, or returns SQLite's error (the file
 * could not be read whole). lib/indexfmt.c. */
typedef struct sqlite3 sqlite3;
int tc_ix_digest(sqlite3 *db, char out[65]);

#endif
