#include "brand.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/escape.h"
#include "../lib/text.h"
#include "source.h"

/* The backgrounds an accent meets, by theme (templates/assets/style.css:
 * --bg and --soft). */
static const char *const light_bgs[] = {"#ffffff", "#f6f8fa"};
static const char *const dark_bgs[] = {"#0d1117", "#161b22"};

static void at(tc_diags *d, fm_doc *doc, json_t *r, const char *path,
	       const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void at(tc_diags *d, fm_doc *doc, json_t *r, const char *path,
	       const char *key, const char *fmt, ...)
{
	int line, col;
	fm_pos(doc, r, key, 0, &line, &col);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tc_diags_add(d, path, line, col, "%s", msg);
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
					 : tolower((unsigned char)c) - 'a' + 10;
}

/* "#abc" or "#aabbcc" (any case) as "#aabbcc", or NULL. */
static char *colour(const char *s)
{
	size_t n = strlen(s);
	if ((n != 4 && n != 7) || s[0] != '#')
		return NULL;
	for (size_t i = 1; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return NULL;
	char *c = malloc(8);
	if (!c)
		abort();
	c[0] = '#';
	for (size_t i = 0; i < 6; i++)
		c[i + 1] =
		    (char)tolower((unsigned char)s[n == 4 ? 1 + i / 2 : 1 + i]);
	c[7] = '\0';
	return c;
}

static double luminance(const char *c)
{
	double l[3];
	for (int i = 0; i < 3; i++) {
		double v =
		    (hexval(c[1 + 2 * i]) * 16 + hexval(c[2 + 2 * i])) / 255.0;
		l[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

double tc_brand_contrast(const char *a, const char *b)
{
	double x = luminance(a), y = luminance(b);
	return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

/* An accent of a theme: a colour, and 4.5:1 on each of its backgrounds. */
static char *accent(tc_diags *d, fm_doc *doc, json_t *r, const char *path,
		    const char *key, const char *theme,
		    const char *const bgs[2])
{
	const char *v = json_string_value(json_object_get(r, key));
	if (!v)
		return NULL;
	char *c = colour(v);
	if (!c) {
		tc_buf e = TC_BUF_INIT;
		tc_esc_log(&e, v, strlen(v));
		at(d, doc, r, path, key,
		   "%s '%s' is not a colour: write it as \"#rrggbb\" or "
		   "\"#rgb\"",
		   key, tc_buf_cstr(&e));
		tc_buf_free(&e);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		double k = tc_brand_contrast(c, bgs[i]);
		if (k < TC_BRAND_MIN_CONTRAST) {
			at(d, doc, r, path, key,
			   "%s '%s' has a contrast of %.2f:1 on the %s "
			   "theme's background %s; WCAG AA asks for %.1f:1 "
			   "(links are text in it, buttons put the "
			   "background on it): choose a %s colour",
			   key, c, floor(k * 100) / 100, theme, bgs[i],
			   TC_BRAND_MIN_CONTRAST,
			   bgs == light_bgs ? "darker" : "lighter");
			free(c);
			return NULL;
		}
	}
	return c;
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 |
	       (unsigned)p[2] << 8 | p[3];
}

static void logo(tc_brand *b, tc_diags *d, fm_doc *doc, json_t *r,
		 const char *path)
{
	const char *f = json_string_value(json_object_get(r, "logo"));
	if (!f)
		return;
	size_t n = strlen(f);
	const char *ext = n > 4 && !strcmp(f + n - 4, ".svg")   ? "svg"
			  : n > 4 && !strcmp(f + n - 4, ".png") ? "png"
								: NULL;
	tc_buf e = TC_BUF_INIT;
	tc_esc_log(&e, f, n);
	if (!ext || !tc_text_is_content_path(f)) {
		at(d, doc, r, path, "logo",
		   "logo '%s' must be an .svg or .png file under the content "
		   "folder, named by a relative path of letters, digits, "
		   "'.', '-', '_' and '/' (no name starting with '.')",
		   tc_buf_cstr(&e));
		tc_buf_free(&e);
		return;
	}
	tc_buf p = TC_BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		tc_buf_put(&p, path, (size_t)(slash - path + 1));
	tc_buf_puts(&p, f);
	struct stat st;
	size_t len = 0;
	char *data = NULL;
	if (lstat(tc_buf_cstr(&p), &st) < 0 || !S_ISREG(st.st_mode)) {
		at(d, doc, r, path, "logo",
		   "logo '%s' is not a regular file under the content folder",
		   tc_buf_cstr(&e));
	} else if (st.st_size > TC_MAX_LOGO_BYTES) {
		at(d, doc, r, path, "logo",
		   "logo '%s' is larger than %d bytes (TC_MAX_LOGO_BYTES)",
		   tc_buf_cstr(&e), TC_MAX_LOGO_BYTES);
	} else {
		tc_diags *quiet = tc_diags_new();
		data = tc_source_read(tc_buf_cstr(&p), TC_MAX_LOGO_BYTES, &len,
				      quiet);
		tc_diags_free(quiet);
		const unsigned char *u = (const unsigned char *)data;
		int png = data && len >= 24 &&
			  !memcmp(data, "\x89PNG\r\n\x1a\n", 8) &&
			  !memcmp(data + 12, "IHDR", 4);
		int svg = data && tc_utf8_valid(data, len) &&
			  memchr(data, '\0', len) == NULL &&
			  strstr(data, "<svg") != NULL;
		if (!data)
			at(d, doc, r, path, "logo", "logo '%s' cannot be read",
			   tc_buf_cstr(&e));
		else if (!strcmp(ext, "png") && !png)
			at(d, doc, r, path, "logo",
			   "logo '%s' is not a PNG image", tc_buf_cstr(&e));
		else if (!strcmp(ext, "svg") && !svg)
			at(d, doc, r, path, "logo",
			   "logo '%s' is not an SVG image (UTF-8 text with "
			   "an <svg> element)",
			   tc_buf_cstr(&e));
		else {
			b->logo = tc_xstrdup(f);
			b->logo_ext = tc_xstrdup(ext);
			b->logo_data = data;
			b->logo_len = len;
			if (png) {
				b->logo_width = (int)be32(u + 16);
				b->logo_height = (int)be32(u + 20);
			}
			data = NULL;
		}
	}
	free(data);
	tc_buf_free(&p);
	tc_buf_free(&e);
}

void tc_brand_read_site(tc_brand *b, fm_doc *doc, json_t *r, const char *path,
			tc_diags *d)
{
	memset(b, 0, sizeof *b);
	logo(b, d, doc, r, path);
	b->accent = accent(d, doc, r, path, "accent", "light", light_bgs);
	b->accent_dark =
	    accent(d, doc, r, path, "accent_dark", "dark", dark_bgs);
}

static char *dup_or_null(const char *s)
{
	return s ? tc_xstrdup(s) : NULL;
}

void tc_brand_copy(tc_brand *dst, const tc_brand *src)
{
	*dst = *src;
	dst->logo = dup_or_null(src->logo);
	dst->logo_ext = dup_or_null(src->logo_ext);
	dst->accent = dup_or_null(src->accent);
	dst->accent_dark = dup_or_null(src->accent_dark);
	dst->logo_data = NULL;
	if (src->logo_data) {
		dst->logo_data = malloc(src->logo_len + 1);
		if (!dst->logo_data)
			abort();
		memcpy(dst->logo_data, src->logo_data, src->logo_len + 1);
	}
}

void tc_brand_free(tc_brand *b)
{
	free(b->logo);
	free(b->logo_ext);
	free(b->logo_data);
	free(b->accent);
	free(b->accent_dark);
	memset(b, 0, sizeof *b);
}

void tc_brand_css(tc_buf *out, const tc_brand *b)
{
	if (!b->accent && !b->accent_dark)
		return;
	/* after style.css, both themes again: the one not given keeps
	 * style.css's own (a button's text is the background's colour) */
	tc_buf_printf(out,
		      "\n/* site.md's accents (gen/brand.h) */\n"
		      ":root { --accent: %s; --accent-fg: #ffffff; }\n"
		      "@media screen and (prefers-color-scheme: dark) "
		      "{ :root { --accent: %s; --accent-fg: #0d1117; } }\n",
		      b->accent ? b->accent : TC_BRAND_ACCENT,
		      b->accent_dark ? b->accent_dark : TC_BRAND_ACCENT_DARK);
}
