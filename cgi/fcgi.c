#include "fcgi.h"

#include <string.h>

/* From the FastCGI specification. */
enum { HEADER = 8, BEGIN_REQUEST = 1, PARAMS = 4, STDOUT = 6, RESPONDER = 1 };

/* A pair's length: one byte below 0x80, else four with the top bit set. */
static int length(const unsigned char *s, size_t n, size_t *i, size_t *len)
{
	if (*i >= n)
		return -1;
	if (!(s[*i] & 0x80)) {
		*len = s[(*i)++];
		return 0;
	}
	if (n - *i < 4)
		return -1;
	*len = (size_t)(s[*i] & 0x7f) << 24 | (size_t)s[*i + 1] << 16 |
	       (size_t)s[*i + 2] << 8 | s[*i + 3];
	*i += 4;
	return 0;
}

int ts_fcgi_pairs(const unsigned char *s, size_t n, ts_fcgi_pair_fn fn,
		  void *ud)
{
	size_t i = 0;
	while (i < n) {
		size_t nn, vn;
		if (length(s, n, &i, &nn) < 0 || length(s, n, &i, &vn) < 0)
			return -1;
		/* subtractions only: nn and vn may be close to 2^31 */
		if (nn > n - i || vn > n - i - nn)
			return -1;
		if (fn && fn(s + i, nn, s + i + nn, vn, ud))
			return -1;
		i += nn + vn;
	}
	return 0;
}

ts_fcgi_head ts_fcgi_head_check(const unsigned char *buf, size_t n,
				const char **why)
{
	/* The params stream, gathered from its records: never longer than
	 * the head itself. */
	unsigned char params[TS_FCGI_MAX_HEAD];
	size_t plen = 0, pos = 0;
	unsigned id = 0;
	*why = NULL;
	for (;;) {
		if (pos + HEADER > TS_FCGI_MAX_HEAD) {
			*why = "the request head is larger than 64 KiB";
			return TS_FCGI_BAD;
		}
		/* the version byte is known before the rest of a header */
		if (n > pos && buf[pos] != 1) {
			*why = "not FastCGI version 1";
			return TS_FCGI_BAD;
		}
		if (n - pos < HEADER)
			return TS_FCGI_MORE;
		const unsigned char *h = buf + pos;
		unsigned type = h[1], rid = (unsigned)h[2] << 8 | h[3];
		size_t clen = (size_t)h[4] << 8 | h[5], pad = h[6];
		if (pos + HEADER + clen + pad > TS_FCGI_MAX_HEAD) {
			*why = "the request head is larger than 64 KiB";
			return TS_FCGI_BAD;
		}
		if (pos == 0) {
			if (type != BEGIN_REQUEST || clen != 8 || rid == 0) {
				*why = "the connection does not begin with "
				       "a BEGIN_REQUEST record";
				return TS_FCGI_BAD;
			}
			id = rid;
		} else if (type != PARAMS || rid != id) {
			*why = "a record other than PARAMS of the request "
			       "before the end of its params";
			return TS_FCGI_BAD;
		}
		if (n - pos - HEADER < clen + pad)
			return TS_FCGI_MORE;
		const unsigned char *c = h + HEADER;
		if (pos == 0 && ((unsigned)c[0] << 8 | c[1]) != RESPONDER) {
			*why = "a role other than RESPONDER";
			return TS_FCGI_BAD;
		}
		if (pos > 0 && clen == 0) {
			if (ts_fcgi_pairs(params, plen, NULL, NULL) < 0) {
				*why = "a PARAMS name or value length runs "
				       "past the end of the params";
				return TS_FCGI_BAD;
			}
			return TS_FCGI_OK;
		}
		if (pos > 0) {
			memcpy(params + plen, c, clen);
			plen += clen;
		}
		pos += HEADER + clen + pad;
	}
}

void ts_fcgi_stdout(tc_buf *out, int id, const char *s, size_t n)
{
	for (size_t at = 0; at < n;) {
		size_t k =
		    n - at < TS_FCGI_MAX_CONTENT ? n - at : TS_FCGI_MAX_CONTENT;
		char h[HEADER] = {1,
				  STDOUT,
				  (char)((id >> 8) & 0xff),
				  (char)(id & 0xff),
				  (char)((k >> 8) & 0xff),
				  (char)(k & 0xff),
				  0,
				  0};
		tc_buf_put(out, h, sizeof h);
		tc_buf_put(out, s + at, k);
		at += k;
	}
}
