/* libFuzzer: a whole tc-search request. The input is a FastCGI params
 * stream (name-value pairs, as nginx sends them in PARAMS records); pairs
 * that do not add up are refused at the door (ts_fcgi_pairs, as the server
 * does before libfcgi sees them); the rest go through ts_answer (the CGI
 * variables, the answer cache, ts_handle, serialization) against a real
 * index built from tests/fixtures/mini in LLVMFuzzerInitialize.
 *
 * The same bytes, wrapped in FastCGI records, must pass the server's head
 * check exactly when the pairs add up (check_head).
 *
 * Besides what the sanitizers catch, it checks the answer: a status line
 * with one of the statuses tc-search gives (never 5xx), a header block,
 * a Content-Length equal to the body, and for a JSON error a body that
 * parses with a non-empty message. */
#define _GNU_SOURCE /* memmem */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cgi/fcgi.h"
#include "../../cgi/server.h"
#include "../../lib/fsx.h"
#include "fuzz_fixture.h"

static ts_index *ix;
static ts_cache *cache;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ix = fuzz_fixture_index("tests/fixtures/mini", "fuzz_request");
	cache = ts_cache_new(64, 1 << 20, 4 << 20);
	return 0;
}

#define MAX_VARS 64

typedef struct vars {
	char *v[MAX_VARS]; /* "NAME=value", as libfcgi keeps them */
	int n;
} vars;

static int collect(const unsigned char *name, size_t nn,
		   const unsigned char *value, size_t vn, void *ud)
{
	vars *vs = ud;
	if (vs->n == MAX_VARS)
		return 0;
	char *s = malloc(nn + vn + 2);
	memcpy(s, name, nn);
	s[nn] = '=';
	memcpy(s + nn + 1, value, vn);
	s[nn + vn + 1] = '\0';
	vs->v[vs->n++] = s;
	return 0;
}

/* FCGX_GetParam's lookup: the first "NAME=" entry. */
static const char *get(const char *name, void *ud)
{
	vars *vs = ud;
	size_t len = strlen(name);
	for (int i = 0; i < vs->n; i++)
		if (!strncmp(name, vs->v[i], len) && vs->v[i][len] == '=')
			return vs->v[i] + len + 1;
	return NULL;
}

static void check(const tc_buf *out, const char *method)
{
	const char *s = tc_buf_cstr(out);
	int status;
	if (sscanf(s, "Status: %d ", &status) != 1)
		abort();
	if (status != 200 && status != 304 && status != 400 && status != 404 &&
	    status != 405)
		abort();
	const char *end = strstr(s, "\r\n\r\n");
	if (!end)
		abort();
	const char *body = end + 4;
	size_t blen = out->len - (size_t)(body - s);
	size_t hlen = (size_t)(end - s);
	const char *cl = memmem(s, hlen, "\r\nContent-Length: ", 18);
	int head = method && !strcmp(method, "HEAD");
	if (status == 304) {
		if (blen)
			abort();
		return;
	}
	if (!cl)
		abort();
	size_t n = strtoul(cl + 18, NULL, 10);
	if (head ? blen != 0 : n != blen)
		abort();
	if (head || status < 400)
		return;
	/* in the headers: an HTML body may quote the same words */
	if (memmem(s, hlen, "Content-Type: application/json", 30)) {
		json_t *j = json_loadb(body, blen, 0, NULL);
		const char *m = json_string_value(
		    json_object_get(json_object_get(j, "error"), "message"));
		if (!m || !*m)
			abort();
		json_decref(j);
	} else if (!strstr(body, "<h1>")) {
		abort();
	}
}

/* The record layer agrees with the pair layer: the input sent as one
 * request head (BEGIN_REQUEST, PARAMS records of at most 65535 bytes, the
 * empty one) is accepted exactly when its pairs add up and it fits. The raw
 * input is judged as a head too, for the record parser's sake. */
static void check_head(const uint8_t *data, size_t size, int pairs_ok)
{
	static unsigned char head[2 * TS_FCGI_MAX_HEAD];
	static const unsigned char begin[16] = {1, 1, 0, 1, 0, 8, 0, 0,
						0, 1, 0, 0, 0, 0, 0, 0};
	const char *why = NULL;
	if (ts_fcgi_head_check(data, size, &why) == TS_FCGI_BAD && !why)
		abort();
	size_t n = 0;
	memcpy(head, begin, sizeof begin);
	n += sizeof begin;
	size_t off = 0;
	do {
		size_t c = size - off > 65535 ? 65535 : size - off;
		unsigned char h[8] = {
		    1, 4, 0, 1, (unsigned char)(c >> 8), (unsigned char)c,
		    0, 0};
		memcpy(head + n, h, 8);
		memcpy(head + n + 8, data + off, c);
		n += 8 + c;
		off += c;
	} while (off < size);
	if (size) {
		static const unsigned char end[8] = {1, 4, 0, 1, 0, 0, 0, 0};
		memcpy(head + n, end, 8);
		n += 8;
	}
	ts_fcgi_head want =
	    pairs_ok && n <= TS_FCGI_MAX_HEAD ? TS_FCGI_OK : TS_FCGI_BAD;
	if (ts_fcgi_head_check(head, n, &why) != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > TS_FCGI_MAX_HEAD)
		return 0;
	vars vs = {{0}, 0};
	int pairs_ok = ts_fcgi_pairs(data, size, NULL, NULL) == 0;
	check_head(data, size, pairs_ok);
	if (ts_fcgi_pairs(data, size, collect, &vs) == 0) {
		tc_buf out = TC_BUF_INIT;
		ts_answer(ix, cache, get, &vs, &out, 0);
		check(&out, get("REQUEST_METHOD", &vs));
		tc_buf_free(&out);
	}
	for (int i = 0; i < vs.n; i++)
		free(vs.v[i]);
	return 0;
}
