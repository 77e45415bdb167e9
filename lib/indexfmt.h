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

#define TC_INDEX_FORMAT "6"

/* Meta keys (table meta: key, value). */
#define TC_IX_FORMAT "format"
#define TC_IX_VERSION "version" /* the content version */
#define TC_IX_DATE "date"
#define TC_IX_ORGANISATION "organisation"
#define TC_IX_TOM "tom"	  /* api/tom.json as published */
#define TC_IX_PAGE "page" /* the common page context, JSON */
#define TC_IX_ETAG "etag" /* a hash of everything stored */
#define TC_IX_CHANGES "changes" /* api/changes.json (lib/changes.h) */

/* fts.synonyms holds, for each measure, the words of content/synonyms.md
 * entries that concern it (gen/synonyms.h). vocab lists the words of the
 * measures as written (not stemmed: they are offered to people as
 * suggestions), with the number of measures that use each; tc-search
 * suggests the nearest of them when a search finds nothing. */
#define TC_IX_SELECT_VOCAB "SELECT term, docs FROM vocab"

/* measures.cells lists " scope=status " for every cell of a measure: the
 * search filters match on it with instr(); scope IDs are slugs and statuses
 * words, so the delimiters cannot occur inside them. measures.general is 1
 * for a measure that concerns every product (tc_concerns). */
#define TC_IX_SCHEMA                                                           \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"        \
	"CREATE TABLE measures(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL "   \
	"UNIQUE, category_id TEXT NOT NULL, category_title TEXT NOT NULL, "    \
	"url TEXT NOT NULL, text TEXT NOT NULL, general INTEGER NOT NULL, "    \
	"cells TEXT NOT NULL);"                                                \
	"CREATE TABLE templates(name TEXT PRIMARY KEY, source TEXT NOT NULL);" \
	"CREATE TABLE vocab(term TEXT PRIMARY KEY, docs INTEGER NOT NULL) "    \
	"WITHOUT ROWID;"                                                       \
	"CREATE VIRTUAL TABLE fts USING fts5(mid, text, notes, category, "     \
	"scopes, synonyms, "                                                   \
	"tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4');"

#define TC_IX_INSERT_MEASURE                                                   \
	"INSERT INTO measures(rowid, id, category_id, category_title, url, "   \
	"text, general, cells) VALUES(?,?,?,?,?,?,?,?)"
#define TC_IX_INSERT_FTS                                                       \
	"INSERT INTO fts(rowid, mid, text, notes, category, scopes, "          \
	"synonyms) VALUES(?,?,?,?,?,?,?)"
#define TC_IX_INSERT_TEMPLATE "INSERT INTO templates(name, source) VALUES(?,?)"
#define TC_IX_INSERT_META "INSERT INTO meta(key, value) VALUES(?,?)"
#define TC_IX_SELECT_META "SELECT value FROM meta WHERE key = ?"
#define TC_IX_SELECT_TEMPLATES "SELECT name, source FROM templates"

/* The columns of a search result row, in the order of TC_IX_RESULT_COLS:
 * read them by these names, never by a bare number. */
enum tc_ix_result {
	TC_IXR_ID,
	TC_IXR_TEXT,
	TC_IXR_URL,
	TC_IXR_CATEGORY_ID,
	TC_IXR_CATEGORY_TITLE,
	TC_IXR_SNIPPET,
	TC_IXR__COUNT
};
#define TC_IX_RESULT_COLS                                                      \
	"m.id, m.text, m.url, m.category_id, m.category_title, "               \
	"snippet(fts, -1, char(1), char(2), '…', 14)"

/* FNV-1a, 64 bits: the index's ETag (over everything stored) and the
 * answer cache's key hash. Start from TC_FNV_INIT. */
#define TC_FNV_INIT 0xcbf29ce484222325ULL
static inline uint64_t tc_fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

#endif
