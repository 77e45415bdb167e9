/* xlsxzip.h: a zip archive rewritten from a template, some entries'
 * contents replaced by data streamed through deflate.
 *
 * lib/xlsx.c has libxlsxwriter write a small workbook (the template) and
 * streams the one big sheet itself: libxlsxwriter would write that sheet's
 * XML to a temporary file twice with fprintf before compressing it, which
 * was most of a big site's build. The archive keeps the template's layout
 * byte for byte (headers, entry order, times, attributes); only the
 * replaced entries' CRC, sizes and the offsets change. It handles what
 * libxlsxwriter's minizip writes: no data descriptors, no zip64, no
 * comments; anything else is refused (-1 from tc_zip_open), and the caller
 * falls back to libxlsxwriter alone.
 *
 * Replaced entries are deflated with the parameters minizip uses for
 * libxlsxwriter (level Z_DEFAULT_COMPRESSION, raw deflate, window 15,
 * memLevel 8); tc_zip_same_deflate checks that against an entry of the
 * template, so the output is the bytes libxlsxwriter would have written. */
#ifndef TC_XLSXZIP_H
#define TC_XLSXZIP_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

typedef struct tc_zip tc_zip;
typedef struct tc_zip_stream tc_zip_stream;

/* Parses the archive in data[0..len) (borrowed: it must outlive the
 * tc_zip). NULL when it is not a zip of the simple kind described above. */
tc_zip *tc_zip_open(const char *data, size_t len);
void tc_zip_free(tc_zip *z);

/* Appends the inflated contents of entry name to out: 0, or -1. */
int tc_zip_read(const tc_zip *z, const char *name, tc_buf *out);

/* 1 when deflating entry name's contents with our parameters gives the
 * template's compressed bytes exactly, else 0. */
int tc_zip_same_deflate(const tc_zip *z, const char *name);

/* Called once per entry of the template, in order: returns 0 to copy the
 * entry as it is, 1 after writing its new contents with
 * tc_zip_stream_write, or -1 to stop with an error. */
typedef int (*tc_zip_fill)(void *ud, const char *name, tc_zip_stream *s);

/* Writes the template to out (a seekable file, positioned at its start),
 * entry by entry, letting fill replace contents. 0, or -1 with errno set
 * when a write failed. */
int tc_zip_rewrite(const tc_zip *z, FILE *out, tc_zip_fill fill, void *ud);

/* Appends n bytes to the entry being replaced. 0, or -1. */
int tc_zip_stream_write(tc_zip_stream *s, const char *data, size_t n);

#endif
