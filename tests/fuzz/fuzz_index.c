/* libFuzzer: the search index as tc-search reads it, damaged. The index
 * built from tests/fixtures/mini (LLVMFuzzerInitialize) is copied to a
 * file with the input's patches applied, then opened through tc-search's
 * own door (ts_index_open: format, integrity_check, digest, languages).
 *
 * Input: a flags byte, then patches, each 3 bytes of offset (big-endian,
 * taken modulo the file's size), a length byte and that many bytes (cut at
 * the end of the file). Flags bit 0: re-stamp the digest after patching, as
 * a writer that stored bad data would have, so that damaged values reach
 * the reader's every path instead of being refused at the door; bit 1: ask
 * for HTML.
 *
 * Checks beyond the sanitizers: an index that is refused says why in one
 * line of UTF-8; one that is accepted answers a few searches and exports
 * (ts_handle, as a worker does) with statuses tc-search gives (200, 304,
 * 400, 404, 503: never another 5xx), and every body is what its type says:
 * JSON that tc_json_valid and jansson both accept, HTML and CSV in UTF-8. */
#define _GNU_SOURCE /* memmem */
#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cgi/app.h"
#include "../../lib/escape.h"
#include "../../lib/fsx.h"
#include "../../lib/indexfmt.h"
#include "../../lib/jsoncheck.h"
#include "../fixture.h"

/* in memory where there is a tmpfs: the file is written every run */
static char dir[64];
static char path[128];
static char *base; /* the good index's bytes */
static size_t nbase;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char content[4096], out[192];
	snprintf(dir, sizeof dir, "%s/tc-fuzz-index-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(path, sizeof path, "%s/index.sqlite", dir);
	snprintf(content, sizeof content, "%s/tests/fixtures/mini",
		 repo_root());
	int rc = fixture_build(content, out, path);
	base = rc ? NULL : tc_read_file(path, &nbase);
	if (!base) {
		fprintf(stderr, "fuzz_index: no index (run from the repository "
				"root or set TC_ROOT)\n");
		abort();
	}
	tc_rmtree(out);
	return 0;
}

/* The digest of what the file now holds, stored as its digest. */
static void restamp(void)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK) {
		char dg[65];
		sqlite3_stmt *st;
		if (tc_ix_digest(db, dg) == SQLITE_OK &&
		    sqlite3_prepare_v2(db,
				       "UPDATE meta SET value = ? WHERE key = "
				       "'" TC_IX_DIGEST "'",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, dg, -1, SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(db);
}

static void check(const ts_response *rs)
{
	int s = rs->status;
	if (s != 200 && s != 304 && s != 400 && s != 404 && s != 503)
		abort();
	const char *h = tc_buf_cstr(&rs->headers);
	const char *b = tc_buf_cstr(&rs->body);
	if (s == 304)
		return;
	if (strstr(h, "Content-Type: application/json")) {
		if (!tc_json_valid(b, rs->body.len, NULL))
			abort();
		json_t *j = json_loadb(b, rs->body.len,
				       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		if (!j)
			abort();
		json_decref(j);
	} else if (strstr(h, "Content-Type: text/")) {
		if (!tc_utf8_valid(b, rs->body.len))
			abort();
	} else {
		abort(); /* no workbooks are asked for */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int flags = data[0];
	char *img = malloc(nbase);
	memcpy(img, base, nbase);
	for (size_t i = 1; i + 4 <= size;) {
		size_t off = ((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 |
			      data[i + 2]) %
			     nbase;
		size_t n = data[i + 3];
		i += 4;
		if (n > size - i)
			n = size - i;
		if (n > nbase - off)
			n = nbase - off;
		memcpy(img + off, data + i, n);
		i += n;
	}
	if (tc_write_file(path, img, nbase) != 0)
		abort();
	free(img);
	if (flags & 1)
		restamp();
	tc_buf err = TC_BUF_INIT;
	ts_index *ix = ts_index_open(path, &err);
	if (!ix) {
		/* refused: one line of text that says why */
		if (!err.len || !tc_utf8_valid(err.data, err.len) ||
		    memchr(err.data, '\n', err.len)) {
			fprintf(stderr, "refused without one line: %s\n",
				tc_buf_cstr(&err));
			abort();
		}
		tc_buf_free(&err);
		return 0;
	}
	tc_buf_free(&err);
	static const char *const reqs[][2] = {
	    {"/api/search", "q=fire&limit=100"},
	    {"/api/search", "q=zzqx"}, /* nothing: suggestions */
	    {"/api/search", "q=a&product=rack&status=provided"},
	    {"/api/export", NULL},
	    {"/api/export", "format=csv&product=rack"},
	    {"/api/export", "category=alpha&responsibility=client,shared"},
	    {"/api/export", "q=firewall&format=csv"},
	    {"/api/changes", "since=0.8"},
	    {"/api/health", NULL},
	    {"/api/openapi.json", NULL},
	};
	const char *accept = flags & 2 ? "text/html" : "*/*";
	for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
		ts_request rq = {.method = "GET",
				 .path = reqs[i][0],
				 .query = reqs[i][1],
				 .accept = accept};
		ts_response rs;
		ts_handle(ix, &rq, &rs);
		check(&rs);
		ts_response_free(&rs);
	}
	ts_index_close(ix);
	return 0;
}
