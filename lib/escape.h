/* escape.h: one escaper per output context. Each appends to a tc_buf.
 *
 * HTML text and attribute values share one escaper that is safe in both
 * (quotes included). URLs: tc_esc_url_component percent-encodes everything
 * but RFC 3986 unreserved characters. CSV follows RFC 4180. JSON strings
 * are escaped as jansson's json_dumps escapes them (tc_esc_json), for the
 * generator's writer of big exports (gen/export.c); everything else in
 * JSON is written with jansson. */
#ifndef TC_ESCAPE_H
#define TC_ESCAPE_H

#include <stddef.h>

#include "buf.h"

void tc_esc_html(tc_buf *out, const char *s, size_t n);
void tc_esc_url_component(tc_buf *out, const char *s, size_t n);
/* Writes one CSV field, quoted when it holds a comma, quote, CR or LF, or
 * starts with a character a spreadsheet would run as a formula (=, +, -, @):
 * those get a leading apostrophe inside the quotes. */
void tc_esc_csv(tc_buf *out, const char *s, size_t n);
/* The same for a CSV whose fields are separated by sep (';' for the
 * semicolon CSV that German Excel opens in columns): quoted also when the
 * field holds sep. */
void tc_esc_csv_sep(tc_buf *out, const char *s, size_t n, char sep);
/* Writes the body of a JSON string (no quotes) holding s[0..n), which must
 * be well-formed UTF-8 (tc_utf8_valid): ", \\ and C0 controls escaped, as
 * \b \f \n \r \t where JSON has a short form, else \u00XX; everything else,
 * '/' and non-ASCII included, as it is. Exactly jansson's output with
 * neither JSON_ENSURE_ASCII nor JSON_ESCAPE_SLASH. */
void tc_esc_json(tc_buf *out, const char *s, size_t n);
/* Writes s with control characters (C0, DEL, C1), backslash and every byte
 * that is not part of well-formed UTF-8 as \xNN escapes, for log lines that
 * an attacker's input must not split or colour and for error messages that
 * must be valid UTF-8 (jansson refuses anything else). */
void tc_esc_log(tc_buf *out, const char *s, size_t n);
/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates, or code
 * points above U+10FFFF). */
int tc_utf8_valid(const char *s, size_t n);

#endif
