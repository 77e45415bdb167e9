/* indexfmt.c: the index format's one computation, its digest
 * (lib/indexfmt.h), shared by tc-gen, which stores it, and tc-search, which
 * checks it before it serves the file. */
#include "indexfmt.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "buf.h"

static void put_u64(EVP_MD_CTX *h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	EVP_DigestUpdate(h, b, sizeof b);
}

/* A value: its type, its length, its bytes (an integer as 8 bytes, a real
 * by its bits), so that no two different rows hash alike. */
static void put_value(EVP_MD_CTX *h, sqlite3_stmt *st, int i)
{
	int type = sqlite3_column_type(st, i);
	unsigned char t = (unsigned char)type;
	EVP_DigestUpdate(h, &t, 1);
	if (type == SQLITE_INTEGER) {
		put_u64(h, (uint64_t)sqlite3_column_int64(st, i));
	} else if (type == SQLITE_FLOAT) {
		double d = sqlite3_column_double(st, i);
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		put_u64(h, bits);
	} else if (type != SQLITE_NULL) {
		const void *p = type == SQLITE_BLOB
				    ? sqlite3_column_blob(st, i)
				    : sqlite3_column_text(st, i);
		size_t n = (size_t)sqlite3_column_bytes(st, i);
		put_u64(h, n);
		if (n)
			EVP_DigestUpdate(h, p, n);
	}
}

/* Every row of table name, in b-tree order (NOT INDEXED: never an index's
 * order, which another query plan could choose). */
static int put_table(EVP_MD_CTX *h, sqlite3 *db, const char *name)
{
	tc_buf sql = TC_BUF_INIT;
	tc_buf_puts(&sql, "SELECT * FROM \"");
	for (const char *s = name; *s; s++) {
		if (*s == '"')
			tc_buf_putc(&sql, '"');
		tc_buf_putc(&sql, *s);
	}
	tc_buf_puts(&sql, "\" NOT INDEXED");
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, tc_buf_cstr(&sql), -1, &st, NULL);
	tc_buf_free(&sql);
	if (rc != SQLITE_OK)
		return rc;
	int meta = !strcmp(name, "meta");
	EVP_DigestUpdate(h, name, strlen(name) + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (meta && key &&
		    (!strcmp(key, TC_IX_DIGEST) || !strcmp(key, TC_IX_BUILD)))
			continue;
		int n = sqlite3_column_count(st);
		put_u64(h, (uint64_t)n);
		for (int i = 0; i < n; i++)
			put_value(h, st, i);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int tc_ix_digest(sqlite3 *db, char out[65])
{
	/* the schema (what the rows mean), then each ordinary table; a
	 * virtual table's rows are its shadow tables' */
	static const char *tables =
	    "SELECT type, name, tbl_name, sql, rootpage = 0 FROM sqlite_schema "
	    "ORDER BY name";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, tables, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	if (!h || !EVP_DigestInit_ex(h, EVP_sha256(), NULL))
		abort();
	tc_buf names = TC_BUF_INIT; /* NUL-separated: the tables to read */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++)
			put_value(h, st, i);
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (type && name && !strcmp(type, "table") &&
		    !sqlite3_column_int(st, 4) && strncmp(name, "sqlite_", 7)) {
			tc_buf_puts(&names, name);
			tc_buf_putc(&names, '\0');
		}
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	for (size_t at = 0; rc == SQLITE_OK && at < names.len;) {
		const char *name = names.data + at;
		rc = put_table(h, db, name);
		at += strlen(name) + 1;
	}
	tc_buf_free(&names);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_DigestFinal_ex(h, md, &n) || n != 32)
		abort();
	EVP_MD_CTX_free(h);
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return rc;
}
