/* text.h: what counts as text in a source, and how to find what does not.
 *
 * Sources (content files, templates) must be UTF-8 as RFC 3629 defines it:
 * no overlong forms, no surrogates, nothing above U+10FFFF. Of the C0
 * control characters only tab, line feed and carriage return are text; a
 * NUL or an ESC in a source is a mistake or an attack, never content. */
#ifndef TC_TEXT_H
#define TC_TEXT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

/* Length (1 to 4) of the well-formed UTF-8 sequence at s[0..n), or 0 when
 * s does not start one (n == 0 included). */
size_t tc_utf8_len(const char *s, size_t n);

/* The same check, also giving the code point: returns the length of the
 * well-formed UTF-8 sequence at s and stores its code point in *cp, or
 * returns 0 (and leaves *cp alone) when s does not start one. The one
 * decoder of the project: the tokenizer and the mark check use it. */
size_t tc_utf8_decode(const char *s, size_t n, unsigned *cp);

/* Length of the run of ASCII bytes (below 0x80) that s[0..n) starts with;
 * and of the run of bytes a JSON string holds as they are (0x20 to 0x7f
 * but '"' and '\\'). Both test eight bytes at a time: the checks of every
 * answer tc-search sends (tc_utf8_valid, tc_json_valid) spent most of
 * their time on such runs, a byte and a branch at a time. */
size_t tc_ascii_run(const char *s, size_t n);
size_t tc_json_plain_run(const char *s, size_t n);

/* Offset of the first byte of s[0..n) that is not text (invalid UTF-8, or
 * a C0 control other than tab, LF and CR); n when all of it is text. */
size_t tc_text_scan(const char *s, size_t n);

/* The same rule for a parsed JSON value, whose strings and keys the
 * source's bytes do not show: "\u0001" is six bytes of text that jansson
 * decodes to a control character (jansson itself refuses "\u0000" and
 * invalid UTF-8). Walks every key and string of v (depth first, in
 * order); at the first that is not text (tc_text_scan), appends its path
 * to path ("summary", "data.categories[0].title"; a key's own path for a
 * bad key), stores the bad byte in *bad and returns 1. Returns 0 when all
 * of v is text. */
int tc_text_json_scan(const json_t *v, tc_buf *path, unsigned char *bad);

/* A day of the calendar, "YYYY-MM-DD" (leap years counted): the DPA annex
 * prints it, and "2026-02-31" on a legal document is worse than no build. */
int tc_text_is_date(const char *s);

/* A version names files and URLs (/versions/2026.1/): 1 to 40 letters,
 * digits, '.', '-' and '_', starting with a letter or digit, so that "."
 * and ".." can never be one. */
int tc_text_is_version(const char *s);

/* A URL that goes into pages, feeds and files as it is: printable ASCII
 * without space, quote, angle bracket, backslash, backtick, brace, bar or
 * caret, so that it cannot leave the attribute or the text it is put in. */
int tc_text_url_printable(const char *s);

/* An absolute http:// or https:// URL with a host, tc_text_url_printable:
 * what a source may give as a link out (base_url, a product's description,
 * a certificate, a contact page), so "javascript:", "https:///x" or a quote
 * never reaches a page. */
int tc_text_is_web_url(const char *s);

/* A file named by a source (a logo, a certificate): a relative path of
 * letters, digits, '.', '-', '_' and '/' under the content folder, no empty
 * component and none starting with '.' (so no "..", no hidden file). */
int tc_text_is_content_path(const char *f);

/* The Levenshtein distance of a[0..n) and b[0..m), in bytes (insertions,
 * deletions, substitutions of one byte each): how near a cell's start is
 * to a mark (lib/vocab.c), and a query word to a word of the index
 * (cgi/search.c). b is at most TC_TEXT_DISTANCE_MAX bytes (the row is on
 * the stack); a longer b is farther than anything: (size_t)-1. a may be of
 * any length (the time is n * m). */
#define TC_TEXT_DISTANCE_MAX 96
size_t tc_text_distance(const char *a, size_t n, const char *b, size_t m);

#endif
