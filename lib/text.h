/* text.h: what counts as text in a source, and how to find what does not.
 *
 * Sources (content files, templates) must be UTF-8 as RFC 3629 defines it:
 * no overlong forms, no surrogates, nothing above U+10FFFF. Of the C0
 * control characters only tab, line feed and carriage return are text; a
 * NUL or an ESC in a source is a mistake or an attack, never content. */
#ifndef TC_TEXT_H
#define TC_TEXT_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence at s[0..n), or 0 when
 * s does not start one (n == 0 included). */
size_t tc_utf8_len(const char *s, size_t n);

/* Offset of the first byte of s[0..n) that is not text (invalid UTF-8, or
 * a C0 control other than tab, LF and CR); n when all of it is text. */
size_t tc_text_scan(const char *s, size_t n);

#endif
