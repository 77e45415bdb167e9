#include "xlsxzip.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Record layouts (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16). */
#define LOCAL_SIG 0x04034b50u
#define CENTRAL_SIG 0x02014b50u
#define END_SIG 0x06054b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define END_LEN 22
#define MAX_ENTRIES 64

typedef struct entry {
	const char *name; /* NUL-terminated copy */
	size_t central;   /* offset of its central record */
	size_t central_len;
	size_t local; /* offset of its local header */
	size_t local_len;
	size_t data; /* offset of its compressed data */
	uint32_t crc, csize, usize;
} entry;

struct tc_zip {
	const unsigned char *p;
	size_t len;
	size_t nentries;
	entry e[MAX_ENTRIES];
	size_t end; /* offset of the end record */
};

struct tc_zip_stream {
	FILE *out;
	z_stream zs;
	uint32_t crc;
	uint64_t usize, csize;
	int failed;
	unsigned char obuf[1 << 16];
};

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* One central record and the local header it points at, checked. */
static int parse_entry(tc_zip *z, size_t at, entry *e)
{
	const unsigned char *c = z->p + at;
	if (at + CENTRAL_LEN > z->end || get32(c) != CENTRAL_SIG)
		return -1;
	size_t nlen = get16(c + 28), xlen = get16(c + 30), clen = get16(c + 32);
	/* flags: no encryption, no data descriptor; deflate */
	if ((get16(c + 8) & 0x9) || get16(c + 10) != 8)
		return -1;
	e->central = at;
	e->central_len = CENTRAL_LEN + nlen + xlen + clen;
	e->crc = get32(c + 16);
	e->csize = get32(c + 20);
	e->usize = get32(c + 24);
	e->local = get32(c + 42);
	if (at + e->central_len > z->end || e->local + LOCAL_LEN > at)
		return -1;
	const unsigned char *l = z->p + e->local;
	if (get32(l) != LOCAL_SIG || get16(l + 26) != nlen ||
	    memcmp(l + LOCAL_LEN, c + CENTRAL_LEN, nlen) != 0)
		return -1;
	e->local_len = LOCAL_LEN + nlen + get16(l + 28);
	e->data = e->local + e->local_len;
	if (e->data + e->csize > at)
		return -1;
	e->name = tc_xstrndup((const char *)c + CENTRAL_LEN, nlen);
	return 0;
}

tc_zip *tc_zip_open(const char *data, size_t len)
{
	if (len < END_LEN)
		return NULL;
	tc_zip *z = tc_xcalloc(1, sizeof *z);
	z->p = (const unsigned char *)data;
	z->len = len;
	z->end = len - END_LEN;
	const unsigned char *e = z->p + z->end;
	size_t n = get16(e + 10), at = get32(e + 16);
	if (get32(e) != END_SIG || get16(e + 20) != 0 || n > MAX_ENTRIES ||
	    get16(e + 8) != n || at + get32(e + 12) != z->end) {
		free(z);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (parse_entry(z, at, &z->e[i]) < 0) {
			tc_zip_free(z);
			return NULL;
		}
		z->nentries++;
		at += z->e[i].central_len;
	}
	return z;
}

void tc_zip_free(tc_zip *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->nentries; i++)
		free((char *)z->e[i].name);
	free(z);
}

static const entry *find(const tc_zip *z, const char *name)
{
	for (size_t i = 0; i < z->nentries; i++)
		if (!strcmp(z->e[i].name, name))
			return &z->e[i];
	return NULL;
}

int tc_zip_read(const tc_zip *z, const char *name, tc_buf *out)
{
	const entry *e = find(z, name);
	if (!e)
		return -1;
	z_stream zs = {0};
	if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
		return -1;
	zs.next_in = (unsigned char *)z->p + e->data;
	zs.avail_in = e->csize;
	unsigned char chunk[1 << 14];
	int rc;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		rc = inflate(&zs, Z_NO_FLUSH);
		tc_buf_put(out, (char *)chunk, sizeof chunk - zs.avail_out);
	} while (rc == Z_OK);
	inflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

static int deflate_init(z_stream *zs)
{
	memset(zs, 0, sizeof *zs);
	return deflateInit2(zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS,
			    8, Z_DEFAULT_STRATEGY) == Z_OK
		   ? 0
		   : -1;
}

int tc_zip_same_deflate(const tc_zip *z, const char *name)
{
	const entry *e = find(z, name);
	tc_buf raw = TC_BUF_INIT;
	z_stream zs;
	if (!e || tc_zip_read(z, name, &raw) < 0 || deflate_init(&zs) < 0) {
		tc_buf_free(&raw);
		return 0;
	}
	uLong bound = deflateBound(&zs, raw.len);
	unsigned char *out = tc_xmalloc(bound);
	zs.next_in = (unsigned char *)raw.data;
	zs.avail_in = (uInt)raw.len;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	int same = deflate(&zs, Z_FINISH) == Z_STREAM_END &&
		   zs.total_out == e->csize &&
		   !memcmp(out, z->p + e->data, e->csize);
	deflateEnd(&zs);
	free(out);
	tc_buf_free(&raw);
	return same;
}

/* ---- writing ---- */

static int emit(FILE *out, const void *p, size_t n)
{
	return fwrite(p, 1, n, out) == n ? 0 : -1;
}

static int drain(tc_zip_stream *s, int flush)
{
	int rc;
	do {
		s->zs.next_out = s->obuf;
		s->zs.avail_out = sizeof s->obuf;
		rc = deflate(&s->zs, flush);
		size_t n = sizeof s->obuf - s->zs.avail_out;
		s->csize += n;
		if (emit(s->out, s->obuf, n) < 0)
			return -1;
	} while (s->zs.avail_out == 0 && rc != Z_STREAM_END);
	return rc == Z_STREAM_ERROR ? -1 : 0;
}

int tc_zip_stream_write(tc_zip_stream *s, const char *data, size_t n)
{
	while (n && !s->failed) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
		s->crc =
		    (uint32_t)crc32(s->crc, (const unsigned char *)data, k);
		s->usize += k;
		s->zs.next_in = (unsigned char *)data;
		s->zs.avail_in = k;
		if (drain(s, Z_NO_FLUSH) < 0)
			s->failed = 1;
		data += k;
		n -= k;
	}
	return s->failed ? -1 : 0;
}

/* The replaced entry: its local header with the sizes and CRC written
 * once the data is, as minizip does on a seekable file. */
static int replace(const tc_zip *z, const entry *e, FILE *out, tc_zip_fill fill,
		   void *ud, entry *got)
{
	long at = ftell(out);
	tc_zip_stream *s = tc_xcalloc(1, sizeof *s);
	s->out = out;
	int rc = -1;
	if (at < 0 || deflate_init(&s->zs) < 0)
		goto out;
	if (emit(out, z->p + e->local, e->local_len) < 0)
		goto end;
	rc = fill(ud, e->name, s);
	if (rc == 1 && !s->failed && drain(s, Z_FINISH) == 0 &&
	    s->usize <= UINT32_MAX && s->csize <= UINT32_MAX) {
		unsigned char sizes[12];
		put32(sizes, s->crc);
		put32(sizes + 4, (uint32_t)s->csize);
		put32(sizes + 8, (uint32_t)s->usize);
		got->crc = s->crc;
		got->csize = (uint32_t)s->csize;
		got->usize = (uint32_t)s->usize;
		rc = fseek(out, at + 14, SEEK_SET) == 0 &&
			     emit(out, sizes, sizeof sizes) == 0 &&
			     fseek(out, 0, SEEK_END) == 0
			 ? 1
			 : -1;
	} else if (rc == 1) {
		rc = -1;
	}
end:
	deflateEnd(&s->zs);
out:
	free(s);
	return rc;
}

static int central(const tc_zip *z, const entry *e, const entry *now, FILE *out)
{
	unsigned char *c = tc_xmalloc(e->central_len);
	memcpy(c, z->p + e->central, e->central_len);
	put32(c + 16, now->crc);
	put32(c + 20, now->csize);
	put32(c + 24, now->usize);
	put32(c + 42, (uint32_t)now->local);
	int rc = emit(out, c, e->central_len);
	free(c);
	return rc;
}

int tc_zip_rewrite(const tc_zip *z, FILE *out, tc_zip_fill fill, void *ud)
{
	entry now[MAX_ENTRIES];
	for (size_t i = 0; i < z->nentries; i++) {
		const entry *e = &z->e[i];
		now[i] = *e;
		long at = ftell(out);
		if (at < 0 || (uint64_t)at > UINT32_MAX)
			return -1;
		now[i].local = (size_t)at;
		int rc = replace(z, e, out, fill, ud, &now[i]);
		if (rc < 0)
			return -1;
		if (rc == 0) { /* as it is: the header was written already */
			if (emit(out, z->p + e->data, e->csize) < 0)
				return -1;
		}
	}
	long cd = ftell(out);
	if (cd < 0 || (uint64_t)cd > UINT32_MAX)
		return -1;
	for (size_t i = 0; i < z->nentries; i++)
		if (central(z, &z->e[i], &now[i], out) < 0)
			return -1;
	long end = ftell(out);
	if (end < 0 || (uint64_t)end > UINT32_MAX)
		return -1;
	unsigned char rec[END_LEN];
	memcpy(rec, z->p + z->end, END_LEN);
	put32(rec + 12, (uint32_t)(end - cd));
	put32(rec + 16, (uint32_t)cd);
	return emit(out, rec, END_LEN);
}
