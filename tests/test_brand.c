/* test_brand.c: site.md's logo and accents (gen/brand.h, issue 24): every
 * error at its key with its exact message, WCAG contrast as the
 * specification computes it, the CSS and the logo a good site gets, and the
 * whole build publishing them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../gen/brand.h"
#include "../gen/build.h"
#include "helpers.h"

static const char *HEAD = "---\n"
			  "organisation: Example Hosting\n"
			  "title: Trust Center\n"
			  "version: \"1.0\"\n"
			  "date: \"2026-01-31\"\n";

/* Reads site.md (HEAD and extra, line 6 on) from the current folder's
 * "c/site.md"; returns the diagnostics as text (caller frees). */
static char *read_site(const char *extra, tc_brand *b)
{
	tc_buf s = TC_BUF_INIT;
	tc_buf_printf(&s, "%s%s---\n", HEAD, extra);
	put_file("c/site.md", tc_buf_cstr(&s));
	tc_diags *d = tc_diags_new();
	fm_doc *doc = fm_parse("c/site.md", tc_buf_cstr(&s), s.len, d);
	assert_non_null(doc);
	tc_brand_read_site(b, doc, fm_root(doc), "c/site.md", d);
	fm_free(doc);
	char *t = diags_text(d);
	tc_diags_free(d);
	tc_buf_free(&s);
	return t;
}

static void error_is(const char *extra, const char *want)
{
	tc_brand b;
	char *t = read_site(extra, &b);
	assert_string_equal(t, want);
	free(t);
	tc_brand_free(&b);
}

static const char PNG_1x1[] =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x40\0\0\0\x20"
    "\x08\x06\0\0\0";

static void errors(void **state)
{
	(void)state;
	char dir[64], *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(tc_mkdirs("c/img"), 0);
	put_file("c/img/logo.svg",
		 "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
	put_file("c/img/text.svg", "not an image");
	put_file("c/img/fake.png", "<svg/>");
	char *big = calloc(1, TC_MAX_LOGO_BYTES + 2);
	memset(big, ' ', TC_MAX_LOGO_BYTES + 1);
	memcpy(big, "<svg", 4);
	put_file("c/img/big.svg", big);
	free(big);
	assert_int_equal(symlink("logo.svg", "c/img/link.svg"), 0);
	error_is("logo: img/logo.gif\n",
		 "c/site.md:6:1: error: logo 'img/logo.gif' must be an .svg or "
		 ".png file under the content folder, named by a relative path "
		 "of letters, digits, '.', '-', '_' and '/' (no name starting "
		 "with '.')\n");
	error_is("logo: ../logo.svg\n",
		 "c/site.md:6:1: error: logo '../logo.svg' must be an .svg or "
		 ".png file under the content folder, named by a relative path "
		 "of letters, digits, '.', '-', '_' and '/' (no name starting "
		 "with '.')\n");
	error_is("logo: img/none.svg\n",
		 "c/site.md:6:1: error: logo 'img/none.svg' is not a regular "
		 "file under the content folder\n");
	error_is("logo: img/link.svg\n",
		 "c/site.md:6:1: error: logo 'img/link.svg' is not a regular "
		 "file under the content folder\n");
	error_is("logo: img/big.svg\n",
		 "c/site.md:6:1: error: logo 'img/big.svg' is larger than "
		 "262144 bytes (TC_MAX_LOGO_BYTES)\n");
	error_is(
	    "logo: img/text.svg\n",
	    "c/site.md:6:1: error: logo 'img/text.svg' is not an SVG image "
	    "(UTF-8 text with an <svg> element)\n");
	error_is("logo: img/fake.png\n",
		 "c/site.md:6:1: error: logo 'img/fake.png' is not a PNG "
		 "image\n");
	error_is(
	    "accent: blue\n",
	    "c/site.md:6:1: error: accent 'blue' is not a colour: write it "
	    "as \"#rrggbb\" or \"#rgb\"\n");
	error_is("accent: \"#12345\"\n",
		 "c/site.md:6:1: error: accent '#12345' is not a colour: write "
		 "it as \"#rrggbb\" or \"#rgb\"\n");
	/* the dark theme's accent on white, and the light one on black */
	error_is("accent: \"#79B8FF\"\n",
		 "c/site.md:6:1: error: accent '#79b8ff' has a contrast of "
		 "2.07:1 on the light theme's background #ffffff; WCAG AA asks "
		 "for 4.5:1 (links are text in it, buttons put the background "
		 "on it): choose a darker colour\n");
	/* passes on white (4.54:1), not on the header's #f6f8fa */
	error_is("accent: \"#767676\"\n",
		 "c/site.md:6:1: error: accent '#767676' has a contrast of "
		 "4.26:1 on the light theme's background #f6f8fa; WCAG AA asks "
		 "for 4.5:1 (links are text in it, buttons put the background "
		 "on it): choose a darker colour\n");
	error_is("accent_dark: \"#0b57d0\"\n",
		 "c/site.md:6:1: error: accent_dark '#0b57d0' has a contrast "
		 "of 2.96:1 on the dark theme's background #0d1117; WCAG AA "
		 "asks for 4.5:1 (links are text in it, buttons put the "
		 "background on it): choose a lighter colour\n");
	leave_tmpdir(cwd, dir);
}

static void contrast(void **state)
{
	(void)state;
	/* WCAG 2.x: black on white is 21:1, a colour on itself 1:1 */
	assert_true(tc_brand_contrast("#000000", "#ffffff") > 20.999);
	assert_true(tc_brand_contrast("#ffffff", "#000000") > 20.999);
	assert_true(tc_brand_contrast("#0b57d0", "#0b57d0") == 1.0);
	/* #767676 on white: the well-known 4.54:1 */
	double k = tc_brand_contrast("#767676", "#ffffff");
	assert_true(k > 4.53 && k < 4.55);
}

static void good(void **state)
{
	(void)state;
	char dir[64], *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(tc_mkdirs("c"), 0);
	assert_int_equal(
	    tc_write_file("c/logo.png", PNG_1x1, sizeof PNG_1x1 - 1), 0);
	tc_brand b;
	char *t = read_site("logo: logo.png\naccent: \"#14A\"\n", &b);
	assert_string_equal(t, "");
	free(t);
	assert_string_equal(b.logo_ext, "png");
	assert_int_equal(b.logo_width, 64);
	assert_int_equal(b.logo_height, 32);
	assert_string_equal(b.accent, "#1144aa");
	assert_null(b.accent_dark);
	tc_brand c;
	tc_brand_copy(&c, &b);
	tc_brand_free(&b);
	tc_buf css = TC_BUF_INIT;
	tc_brand_css(&css, &c);
	/* the light accent given, the dark theme keeps its own */
	assert_non_null(
	    strstr(tc_buf_cstr(&css),
		   ":root { --accent: #1144aa; --accent-fg: #ffffff; }"));
	assert_non_null(
	    strstr(tc_buf_cstr(&css),
		   "(prefers-color-scheme: dark) { :root { --accent: "
		   "#79b8ff; --accent-fg: #0d1117; } }"));
	assert_int_equal(memcmp(c.logo_data, PNG_1x1, sizeof PNG_1x1 - 1), 0);
	tc_buf_free(&css);
	tc_brand_free(&c);
	/* none: no CSS */
	t = read_site("", &b);
	free(t);
	tc_brand_css(&css, &b);
	assert_int_equal(css.len, 0);
	tc_brand_free(&b);
	tc_buf_free(&css);
	leave_tmpdir(cwd, dir);
}

/* The fixture with a logo and accents: every page shows the logo, the
 * style sheet carries the accents, and the logo is published. */
static void site(void **state)
{
	(void)state;
	char dir[64], *cwd = enter_tmpdir(dir, sizeof dir);
	const char *root = repo_root()[0] == '/' ? repo_root() : cwd;
	char src[4096];
	snprintf(src, sizeof src, "cp -r '%s/tests/fixtures/mini' c", root);
	assert_int_equal(system(src), 0);
	put_file("c/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			       "viewBox=\"0 0 2 1\"/>");
	size_t len;
	char *s = tc_read_file("c/site.md", &len);
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "---\nlogo: logo.svg\naccent: \"#0a4a9e\"\n"
			"accent_dark: \"#9ecbff\"\n");
	tc_buf_puts(&b, s + 4); /* after its "---\n" */
	put_file("c/site.md", tc_buf_cstr(&b));
	free(s);
	tc_buf_free(&b);
	tc_build_opts o = {0};
	char templates[4096];
	snprintf(templates, sizeof templates, "%s/templates", root);
	o.content = "c";
	o.templates = templates;
	o.output = "out";
	o.index = NULL;
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	char *t = diags_text(d);
	assert_string_equal(t, "");
	assert_int_equal(rc, 0);
	free(t);
	tc_diags_free(d);
	char *page = tc_read_file("out/index.html", &len);
	assert_non_null(strstr(page, "<a class=\"brand\" href=\"/\"><img "
				     "class=\"logo\" src=\"/assets/logo.svg\" "
				     "alt=\"\"> "));
	free(page);
	char *logo = tc_read_file("out/assets/logo.svg", &len);
	assert_non_null(logo);
	assert_non_null(strstr(logo, "viewBox=\"0 0 2 1\""));
	free(logo);
	char *css = tc_read_file("out/assets/style.css", &len);
	assert_non_null(strstr(css, "--accent: #0a4a9e;"));
	assert_non_null(strstr(css, "--accent: #9ecbff;"));
	free(css);
	leave_tmpdir(cwd, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(errors),
	    cmocka_unit_test(contrast),
	    cmocka_unit_test(good),
	    cmocka_unit_test(site),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
