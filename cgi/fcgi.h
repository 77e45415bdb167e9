/* fcgi.h: the head of a FastCGI request, checked before libfcgi reads it.
 *
 * libfcgi trusts the bytes it reads: a PARAMS name or value length like
 * 0xc0000000 aborts the process in its allocator, and a head that never
 * completes blocks its read() for ever. So the server (server.c) peeks at
 * a new connection's bytes and gives the connection to libfcgi only once
 * the whole head has arrived and adds up:
 *
 *   BEGIN_REQUEST  version 1, request ID > 0, role RESPONDER, 8 bytes
 *   PARAMS ...     the same request ID; name-value pairs whose lengths
 *                  stay inside the params stream (pairs may span records)
 *   PARAMS         empty: the end of the params
 *
 * and nothing else before it (no management records, no second request):
 * nginx sends exactly this. The whole head, record headers and padding
 * included, must fit in TS_FCGI_MAX_HEAD bytes. */
#ifndef TS_FCGI_H
#define TS_FCGI_H

#include <stddef.h>

#include "../lib/buf.h"

#define TS_FCGI_MAX_HEAD 65536

typedef enum ts_fcgi_head {
	TS_FCGI_MORE, /* a correct beginning: wait for more bytes */
	TS_FCGI_OK,   /* a complete, well-formed head */
	TS_FCGI_BAD   /* close the connection; *why says why */
} ts_fcgi_head;

/* Checks the first n bytes a connection sent. On TS_FCGI_BAD, *why is a
 * static description for the log. */
ts_fcgi_head ts_fcgi_head_check(const unsigned char *buf, size_t n,
				const char **why);

/* Calls fn for each name-value pair of a params stream (the contents of
 * the PARAMS records, concatenated) and returns 0; returns -1 as soon as a
 * length runs past the end, or fn returns non-zero. */
typedef int (*ts_fcgi_pair_fn)(const unsigned char *name, size_t nn,
			       const unsigned char *value, size_t vn, void *ud);
int ts_fcgi_pairs(const unsigned char *s, size_t n, ts_fcgi_pair_fn fn,
		  void *ud);

/* The largest content of one record (its length is 16 bits). */
#define TS_FCGI_MAX_CONTENT 65535

/* Appends s[0..n) to out as the STDOUT records of request id, each of at
 * most TS_FCGI_MAX_CONTENT bytes and no padding; nothing when n is 0 (the
 * empty record that ends the stream is libfcgi's, written when the
 * request is finished). The server writes an answer framed so at once:
 * libfcgi's own stream writes a record per 8 KB, and every write woke
 * nginx for it (a search answer with dozens of cells per result is 40-70
 * KB). */
void ts_fcgi_stdout(tc_buf *out, int id, const char *s, size_t n);

#endif
