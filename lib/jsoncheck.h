/* jsoncheck.h: whether bytes are one JSON text (RFC 8259) of well-formed
 * UTF-8, without building it: tc-search's last look at an answer before it
 * is sent (an export of the whole set is tens of megabytes, which jansson
 * would hold as a tree eight times that size). Strings must be UTF-8
 * (tc_utf8_len) without raw control characters, escapes \uXXXX must not
 * leave a surrogate unpaired, nesting is at most TC_JSON_MAX_DEPTH. */
#ifndef TC_JSONCHECK_H
#define TC_JSONCHECK_H

#include <stddef.h>

/* Deeper than any answer of ours (8 levels), shallow enough for a
 * fixed stack. */
#define TC_JSON_MAX_DEPTH 256

/* 1 when s[0..n) is one JSON value with optional whitespace around it;
 * else 0, with the offset of the first byte that is wrong (n when the text
 * ends too early) in *at when at is not NULL. */
int tc_json_valid(const char *s, size_t n, size_t *at);

#endif
