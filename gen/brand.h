/* brand.h: the provider's identity on every page (issue 24): site.md may
 * name a logo file and accent colours.
 *
 *   logo: assets/logo.svg     # under the content folder: SVG or PNG
 *   accent: "#0b57d0"         # links and buttons, light theme
 *   accent_dark: "#79b8ff"    # the same, dark theme
 *
 * The logo is published as /assets/logo.svg (or .png) and shown before the
 * organisation's name in the header; the accents are appended to
 * assets/style.css as the --accent variables. Each accent must reach WCAG
 * AA's 4.5:1 against its theme's backgrounds (the page's and the header's),
 * since links are text in it and buttons put the background's colour on
 * it: one colour cannot do so on white and on the dark theme's near-black,
 * hence two. Every error is reported at its key in site.md. */
#ifndef TC_BRAND_H
#define TC_BRAND_H

#include <jansson.h>
#include <stddef.h>

#include "../lib/buf.h"
#include "../lib/diag.h"
#include "frontmatter.h"

/* The largest logo file read. */
#define TC_MAX_LOGO_BYTES (256 * 1024)
/* style.css's own accents, light and dark. */
#define TC_BRAND_ACCENT "#0b57d0"
#define TC_BRAND_ACCENT_DARK "#79b8ff"
/* WCAG 2.x AA contrast for text. */
#define TC_BRAND_MIN_CONTRAST 4.5

typedef struct tc_brand {
	char *logo;     /* as named in site.md; NULL: none */
	char *logo_ext; /* "svg" or "png" */
	char *logo_data;
	size_t logo_len;
	int logo_width, logo_height; /* a PNG's pixels; 0 for SVG */
	char *accent, *accent_dark;  /* "#rrggbb"; NULL: the default */
} tc_brand;

/* The keys site.md may hold for it (its site_keys add these). */
#define TC_BRAND_SITE_KEYS                                                     \
	{"logo", FM_STRING, false}, {"accent", FM_STRING, false},              \
	{                                                                      \
		"accent_dark", FM_STRING, false                                \
	}

/* Reads logo, accent and accent_dark of site.md's front matter r (file
 * path, in doc) into b; problems go to d at their keys. */
void tc_brand_read_site(tc_brand *b, fm_doc *doc, json_t *r, const char *path,
			tc_diags *d);
void tc_brand_copy(tc_brand *dst, const tc_brand *src);
void tc_brand_free(tc_brand *b);
/* The contrast ratio (WCAG 2.x, 1 to 21) of two "#rrggbb". */
double tc_brand_contrast(const char *a, const char *b);
/* The CSS that sets the accents (appended to style.css); nothing when
 * neither is given. */
void tc_brand_css(tc_buf *out, const tc_brand *b);

#endif
