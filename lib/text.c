#include "text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t tc_utf8_len(const char *s, size_t n)
{
	unsigned cp;
	return tc_utf8_decode(s, n, &cp);
}

/* Eight bytes of s as one word, in either byte order: the tests below are
 * per byte. */
static uint64_t word_at(const char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof w);
	return w;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* Whether a byte of w is zero, or less than b (b <= 0x80); exact, not
 * per byte (a borrow may mark bytes above a hit): used as a yes or no. */
#define HAS_ZERO(w) (((w)-ONES) & ~(w)&HIGHS)
#define HAS_LESS(w, b) (((w)-ONES * (b)) & ~(w)&HIGHS)

size_t tc_ascii_run(const char *s, size_t n)
{
	size_t i = 0;
	while (n - i >= 8 && !(word_at(s + i) & HIGHS))
		i += 8;
	while (i < n && !((unsigned char)s[i] & 0x80))
		i++;
	return i;
}

static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

size_t tc_json_plain_run(const char *s, size_t n)
{
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w = word_at(s + i);
		if ((w & HIGHS) || HAS_LESS(w, 0x20) ||
		    HAS_ZERO(w ^ (ONES * '"')) || HAS_ZERO(w ^ (ONES * '\\')))
			break;
	}
	while (i < n && json_plain((unsigned char)s[i]))
		i++;
	return i;
}

size_t tc_utf8_decode(const char *str, size_t n, unsigned *out)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	unsigned cp;
	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0; /* a continuation byte, 0xc0/0xc1 or 0xf5.. */
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return len;
}

size_t tc_text_scan(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80) {
			i++; /* the common case, without the call */
			continue;
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return i;
		size_t k = tc_utf8_len(s + i, n - i);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/* Forgets what was appended to path after its first n bytes. */
static void cut(tc_buf *path, size_t n)
{
	path->len = n;
	if (path->data)
		path->data[n] = '\0';
}

int tc_text_json_scan(const json_t *v, tc_buf *path, unsigned char *bad)
{
	/* the path is kept as the walk goes, and cut back after each value
	 * that is text: jansson's nesting limit (2048) bounds the recursion */
	size_t at = path->len;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v), i = tc_text_scan(s, n);
		if (i == n)
			return 0;
		*bad = (unsigned char)s[i];
		return 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach ((json_t *)v, i, x) {
			tc_buf_printf(path, "[%zu]", i);
			if (tc_text_json_scan(x, path, bad))
				return 1;
			cut(path, at);
		}
	} else if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach ((json_t *)v, k, x) {
			if (at)
				tc_buf_putc(path, '.');
			size_t n = strlen(k), i = tc_text_scan(k, n);
			tc_buf_put(path, k, n);
			if (i < n) {
				*bad = (unsigned char)k[i];
				return 1;
			}
			if (tc_text_json_scan(x, path, bad))
				return 1;
			cut(path, at);
		}
	}
	return 0;
}

int tc_text_is_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	int y = atoi(s), mo = atoi(s + 5), day = atoi(s + 8);
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12 || day < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return day <= days[mo - 1] + (mo == 2 && leap);
}

int tc_text_is_version(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n > 40 || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '.' || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

int tc_text_url_printable(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("\"'<>\\`{}|^", *p))
			return 0;
	return 1;
}

int tc_text_is_web_url(const char *s)
{
	const char *h = !strncmp(s, "https://", 8)  ? s + 8
			: !strncmp(s, "http://", 7) ? s + 7
						    : NULL;
	return h && *h && *h != '/' && tc_text_url_printable(s);
}

int tc_text_is_content_path(const char *f)
{
	if (!*f || f[0] == '/')
		return 0;
	for (const char *p = f; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._-/", *p)))
			return 0;
	for (const char *p = f; p;) {
		const char *e = strchr(p, '/');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (!k || p[0] == '.')
			return 0;
		p = e ? e + 1 : NULL;
	}
	return 1;
}

size_t tc_text_distance(const char *a, size_t n, const char *b, size_t m)
{
	if (m > TC_TEXT_DISTANCE_MAX)
		return (size_t)-1;
	size_t row[TC_TEXT_DISTANCE_MAX + 1];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}
