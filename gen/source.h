/* source.h: reading one source file, content or template, within limits.
 *
 * A source is a regular file of at most TC_MAX_FILE_BYTES that is text
 * (lib/text.h: UTF-8, no control characters but tab, LF and CR). Anything
 * else is reported here, once, so the parsers after it only ever see
 * text: cmark-gfm, libyaml and jansson each treat bad bytes differently
 * (replaced, refused, or a NULL from json_string), and a NULL in the model
 * is how a blank page or a crash starts. */
#ifndef TC_SOURCE_H
#define TC_SOURCE_H

#include <stddef.h>

#include "../lib/diag.h"

/* Reads path whole into a NUL-terminated malloc'd buffer (caller frees),
 * *len (may be NULL) its length. Refuses what is not a regular file (a
 * folder, a device, a FIFO: "file: error: not a regular file") or is over
 * max bytes, without reading more than max + 1 bytes. Reports to d and
 * returns NULL on any failure. */
char *tc_source_read(const char *path, size_t max, size_t *len, tc_diags *d);

/* Checks that s[0..n) is within the size limit and is text; reports the
 * first bad byte at its line and column (1-based, columns in bytes, as
 * cmark-gfm counts them). Returns 0 when it is a usable source. */
int tc_source_check(const char *file, const char *s, size_t n, tc_diags *d);

/* tc_source_read with TC_MAX_FILE_BYTES, then tc_source_check. */
char *tc_source_load(const char *path, size_t *len, tc_diags *d);

#endif
