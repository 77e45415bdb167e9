#include "escape.h"

#include <string.h>

#include "text.h"

void tc_esc_html(tc_buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		tc_buf_put(out, s + start, i - start);
		tc_buf_puts(out, rep);
		start = i + 1;
	}
	tc_buf_put(out, s + start, n - start);
}

void tc_esc_url_component(tc_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			tc_buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			tc_buf_put(out, e, 3);
		}
	}
}

void tc_esc_csv(tc_buf *out, const char *s, size_t n)
{
	tc_esc_csv_sep(out, s, n, ',');
}

void tc_esc_csv_sep(tc_buf *out, const char *s, size_t n, char sep)
{
	int formula = n > 0 && strchr("=+-@", s[0]) != NULL;
	int quote = formula;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == sep || s[i] == ',' || s[i] == '"' ||
			s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		tc_buf_put(out, s, n);
		return;
	}
	tc_buf_putc(out, '"');
	if (formula)
		tc_buf_putc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			tc_buf_putc(out, '"');
		tc_buf_putc(out, s[i]);
	}
	tc_buf_putc(out, '"');
}

/* The UTF-8 rule is lib/text.c's (one decoder for the whole program). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	return tc_utf8_len((const char *)s, n);
}

/* The output is always valid UTF-8 without control characters: it ends up
 * in log lines and in error messages that jansson must accept (it refuses
 * invalid UTF-8), so bytes outside a well-formed sequence are escaped like
 * C0 and C1 controls. */
void tc_esc_log(tc_buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		size_t len = utf8_seq(s + i, n - i);
		int c1 = len == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0;
		if (len == 0 || c1 || s[i] < 0x20 || s[i] == 0x7f ||
		    s[i] == '\\') {
			size_t k = len ? len : 1;
			for (size_t j = 0; j < k; j++)
				tc_buf_printf(out, "\\x%02x", s[i + j]);
			i += k;
		} else {
			tc_buf_put(out, str + i, len);
			i += len;
		}
	}
}

int tc_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = tc_ascii_run(str, n), len; i < n;
	     i += len + tc_ascii_run(str + i + len, n - i - len))
		if (!(len = utf8_seq(s + i, n - i)))
			return 0;
	return 1;
}

void tc_esc_json(tc_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tc_buf_put(out, s + start, i - start);
		start = i + 1;
		const char *rep = c == '"'    ? "\\\""
				  : c == '\\' ? "\\\\"
				  : c == '\b' ? "\\b"
				  : c == '\f' ? "\\f"
				  : c == '\n' ? "\\n"
				  : c == '\r' ? "\\r"
				  : c == '\t' ? "\\t"
					      : NULL;
		if (rep) {
			tc_buf_puts(out, rep);
		} else {
			char u[6] = {'\\', 'u',         '0',
				     '0',  hex[c >> 4], hex[c & 15]};
			tc_buf_put(out, u, sizeof u);
		}
	}
	tc_buf_put(out, s + start, n - start);
}
