#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "lang.h"
#include "text.h"

static const tc_route_info routes[R__COUNT] = {
    [R_HOME] = {"/", "index.html", 0, true, false, "home", false,
		.tpl = "index"},
    [R_CATEGORY] = {"/categories/{1}/", "categories/{1}/index.html", 1, true,
		    true, "category", false, .tpl = "category"},
    [R_PRODUCT] = {"/products/{1}/", "products/{1}/index.html", 1, true, false,
		   "product", false, .tpl = "product"},
    [R_PRODUCT_ANNEX] = {"/products/{1}/annex/",
			 "products/{1}/annex/index.html", 1, true, false,
			 "product_annex", false, .tpl = "product-annex"},
    [R_MATRIX] = {"/matrix/", "matrix/index.html", 0, true, false, "matrix",
		  false, .tpl = "matrix"},
    [R_COMPARE_INDEX] = {"/compare/", "compare/index.html", 0, true, false,
			 "compare_index", false, .tpl = "compare-index"},
    [R_COMPARE] = {"/compare/{1}/{2}/", "compare/{1}/{2}/index.html", 2, false,
		   false, "compare", false, .tpl = "compare"},
    [R_ANNEX] = {"/annex/", "annex/index.html", 0, true, false, "annex", false,
		 .tpl = "annex"},
    [R_API] = {"/api/", "api/index.html", 0, true, false, "api", false,
	       .tpl = "api"},
    [R_NOT_FOUND] = {"/404.html", "404.html", 0, false, false, "not_found",
		     false, .tpl = "404"},
    [R_SITEMAP] = {"/sitemap.xml", "sitemap.xml", 0, false, false, "sitemap",
		   false, .tpl = "sitemap"},
    [R_ROBOTS] = {"/robots.txt", "robots.txt", 0, false, false, "robots", true,
		  .tpl = "robots"},
    [R_TOM_JSON] = {"/api/tom.json", "api/tom.json", 0, false, false,
		    "tom_json", false},
    [R_TOM_CSV] = {"/api/tom.csv", "api/tom.csv", 0, false, false, "tom_csv",
		   false},
    [R_PRODUCT_JSON] = {"/api/products/{1}.json", "api/products/{1}.json", 1,
			false, false, "product_json", false},
    [R_PRODUCT_CSV] = {"/api/products/{1}.csv", "api/products/{1}.csv", 1,
		       false, false, "product_csv", false},
    [R_CHANGES] = {"/changes/", "changes/index.html", 0, true, false, "changes",
		   false, .tpl = "changes"},
    [R_CHANGES_ATOM] = {"/changes.atom", "changes.atom", 0, false, false,
			"changes_atom", false, .tpl = "atom"},
    [R_PRODUCT_CHANGES] = {"/products/{1}/changes/",
			   "products/{1}/changes/index.html", 1, true, false,
			   "product_changes", false, .tpl = "changes"},
    [R_PRODUCT_CHANGES_ATOM] = {"/products/{1}/changes.atom",
				"products/{1}/changes.atom", 1, false, false,
				"product_changes_atom", false, .tpl = "atom"},
    [R_CHANGES_JSON] = {"/api/changes.json", "api/changes.json", 0, false,
			false, "changes_json", false},
    [R_VERSIONS] = {"/versions/", "versions/index.html", 0, true, false,
		    "versions", false, .tpl = "versions"},
    [R_VERSIONS_JSON] = {"/api/versions.json", "api/versions.json", 0, false,
			 false, "versions_json", false},
    [R_VERSION_ANNEX] = {"/versions/{1}/annex/",
			 "versions/{1}/annex/index.html", 1, false, false,
			 "version_annex", false, true, .tpl = "version-annex"},
    [R_VERSION_PRODUCT_ANNEX] = {"/versions/{1}/products/{2}/annex/",
				 "versions/{1}/products/{2}/annex/"
				 "index.html",
				 2, false, false, "version_product_annex",
				 false, true, .tpl = "version-annex"},
    [R_VERSION_TOM] = {"/api/versions/{1}/tom.json",
		       "api/versions/{1}/tom.json", 1, false, false,
		       "version_tom", false, true},
    [R_TOM_XLSX] = {"/api/tom.xlsx", "api/tom.xlsx", 0, false, false,
		    "tom_xlsx", false},
    [R_PRODUCT_XLSX] = {"/api/products/{1}.xlsx", "api/products/{1}.xlsx", 1,
			false, false, "product_xlsx", false},
    [R_SCHEMA] = {"/api/schema/{1}.schema.json", "api/schema/{1}.schema.json",
		  1, false, false, "schema", true},
    [R_OSCAL_CATALOG] = {"/api/oscal/catalog.json", "api/oscal/catalog.json", 0,
			 false, false, "oscal_catalog", false},
    [R_OSCAL_COMPONENT] = {"/api/oscal/products/{1}.json",
			   "api/oscal/products/{1}.json", 1, false, false,
			   "oscal_component", false},
    [R_OPENAPI] = {"/api/openapi.json", NULL, 0, false, false, "openapi", true},
    /* not neutral: the digest and the page margins are the language's */
    [R_PRINT_CSS] = {"/assets/print.css", "assets/print.css", 0, false, false,
		     "print_css", false},
    /* a released version's annexes print its own version and digest */
    [R_VERSION_PRINT_CSS] = {"/versions/{1}/print.css",
			     "versions/{1}/print.css", 1, false, false,
			     "version_print_css", false, true},
    /* downloads, like api/: not in the sitemap */
    [R_ANNEX_PDF] = {"/annex/annex.pdf", "annex/annex.pdf", 0, false, false,
		     "annex_pdf", false},
    [R_PRODUCT_ANNEX_PDF] = {"/products/{1}/annex/annex.pdf",
			     "products/{1}/annex/annex.pdf", 1, false, false,
			     "product_annex_pdf", false},
    [R_VERSION_ANNEX_PDF] = {"/versions/{1}/annex/annex.pdf",
			     "versions/{1}/annex/annex.pdf", 1, false, false,
			     "version_annex_pdf", false, true},
    [R_VERSION_PRODUCT_ANNEX_PDF] = {"/versions/{1}/products/{2}/annex/"
				     "annex.pdf",
				     "versions/{1}/products/{2}/annex/"
				     "annex.pdf",
				     2, false, false,
				     "version_product_annex_pdf", false, true},
    [R_CERTIFICATES] = {"/certificates/", "certificates/index.html", 0, true,
			false, "certificates", false, .tpl = "certificates"},
    [R_CERTIFICATE_FILE] = {"/certificates/{1}.pdf", "certificates/{1}.pdf", 1,
			    false, false, "certificate_file", true},
    [R_CERTIFICATES_JSON] = {"/api/certificates.json", "api/certificates.json",
			     0, false, false, "certificates_json", false},
    [R_SUBPROCESSORS] = {"/subprocessors/", "subprocessors/index.html", 0, true,
			 false, "subprocessors", false, .tpl = "subprocessors"},
    [R_SUBPROCESSORS_JSON] = {"/api/subprocessors.json",
			      "api/subprocessors.json", 0, false, false,
			      "subprocessors_json", false},
    [R_SUBPROCESSORS_CSV] = {"/api/subprocessors.csv", "api/subprocessors.csv",
			     0, false, false, "subprocessors_csv", false},
    [R_SUBPROCESSORS_ATOM] = {"/subprocessors.atom", "subprocessors.atom", 0,
			      false, false, "subprocessors_atom", false,
			      .tpl = "atom"},
    [R_CONTACT] = {"/contact/", "contact/index.html", 0, true, false, "contact",
		   false, .tpl = "contact"},
    [R_SECURITY_TXT] = {"/.well-known/security.txt", ".well-known/security.txt",
			0, false, false, "security_txt", true},
    [R_DPA] = {"/dpa/", "dpa/index.html", 0, true, false, "dpa", false,
	       .tpl = "dpa"},
    [R_TOM_CSV_SEMICOLON] = {"/api/tom.semicolon.csv", "api/tom.semicolon.csv",
			     0, false, false, "tom_csv_semicolon", false},
    [R_PRODUCT_CSV_SEMICOLON] = {"/api/products/{1}.semicolon.csv",
				 "api/products/{1}.semicolon.csv", 1, false,
				 false, "product_csv_semicolon", false},
    [R_COMPARE_FROM] = {"/compare/{1}/", "compare/{1}/index.html", 1, false,
			false, "compare_from", false, .tpl = "compare-from"},
    [R_VERSION] = {"/versions/{1}/", "versions/{1}/index.html", 1, false, false,
		   "version", false, true, .tpl = "version"},
    [R_LOGO] = {"/assets/logo.{1}", "assets/logo.{1}", 1, false, false, "logo",
		true},
};

const tc_route_info *tc_route_get(tc_route r)
{
	return &routes[r];
}

static int match_one(const char *p, const char *u, char *slots[2]);

bool tc_route_is_id(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

bool tc_route_is_measure_id(const char *s)
{
	if (!s || !(*s >= 'A' && *s <= 'Z'))
		return false;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
		s++;
	if (*s++ != '-' || !(*s >= '0' && *s <= '9'))
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

/* Whether path (a file of the site, or a folder in it) is the file of a
 * route: a folder there would make that file impossible, or the file the
 * folder. */
static bool is_route_file(const char *path)
{
	for (int q = 0; q < R__COUNT; q++) {
		char *slots[2] = {NULL, NULL};
		int hit =
		    routes[q].file && match_one(routes[q].file, path, slots);
		free(slots[0]);
		free(slots[1]);
		if (hit)
			return true;
	}
	return false;
}

bool tc_route_slot_ok(tc_route r, int k, const char *s)
{
	if (k != 0 || !routes[r].version)
		return tc_route_is_id(s);
	if (!s || !tc_text_is_version(s))
		return false;
	/* the folder the version makes: the pattern up to {1}, filled */
	const char *pat = routes[r].file ? routes[r].file : "";
	const char *slot = strstr(pat, "{1}");
	if (!slot)
		return true;
	tc_buf dir = TC_BUF_INIT;
	tc_buf_put(&dir, pat, (size_t)(slot - pat));
	tc_buf_puts(&dir, s);
	bool ok = !is_route_file(tc_buf_cstr(&dir));
	tc_buf_free(&dir);
	return ok;
}

bool tc_route_version_ok(const char *v)
{
	for (int r = 0; r < R__COUNT; r++)
		if (routes[r].version && !tc_route_slot_ok((tc_route)r, 0, v))
			return false;
	return true;
}

/* A slot that is not what its route takes would be a path of its own
 * making ("../../X"): never written, never linked. */
static void refuse(tc_route r, int k, const char *v)
{
	tc_buf m = TC_BUF_INIT;
	tc_buf_printf(&m, "tc: internal error: route '%s' refuses slot {%d} '",
		      routes[r].name, k + 1);
	if (v)
		tc_esc_log(&m, v, strlen(v));
	tc_buf_puts(&m, "' (data must be checked where it is read)\n");
	fputs(tc_buf_cstr(&m), stderr);
	tc_buf_free(&m);
	abort();
}

static void fill(tc_buf *out, tc_route r, const char *pat, const char *a,
		 const char *b)
{
	for (const char *p = pat; *p; p++) {
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') &&
		    p[2] == '}') {
			int k = p[1] - '1';
			const char *v = k ? b : a;
			if (!tc_route_slot_ok(r, k, v))
				refuse(r, k, v);
			tc_buf_puts(out, v);
			p += 2;
		} else {
			tc_buf_putc(out, *p);
		}
	}
}

/* l's prefix ("" or "/de"), for a route of its own. */
static const char *prefix(const tc_lang *l, tc_route r)
{
	return routes[r].neutral ? "" : l->prefix;
}

void tc_route_url(tc_buf *out, const tc_lang *l, tc_route r, const char *a,
		  const char *b)
{
	tc_buf_puts(out, prefix(l, r));
	fill(out, r, routes[r].url, a, b);
}

const char *tc_route_unprefixed(const tc_lang *l, const char *path)
{
	size_t n = strlen(l->prefix);
	if (n && !strncmp(path, l->prefix, n) && path[n] == '/')
		return path + n;
	return path;
}

void tc_route_file(tc_buf *out, const tc_lang *l, tc_route r, const char *a,
		   const char *b)
{
	const char *p = prefix(l, r);
	if (*p)
		tc_buf_printf(out, "%s/", p + 1);
	fill(out, r, routes[r].file ? routes[r].file : "", a, b);
}

char *tc_route_urldup(const tc_lang *l, tc_route r, const char *a,
		      const char *b)
{
	tc_buf u = TC_BUF_INIT;
	tc_route_url(&u, l, r, a, b);
	return tc_buf_detach(&u);
}

void tc_route_base_path(tc_buf *out, const char *base_url)
{
	const char *s = base_url ? strstr(base_url, "://") : NULL;
	if (!s)
		return;
	const char *p = strchr(s + 3, '/');
	if (!p)
		return;
	size_t n = strcspn(p, "?#");
	while (n && p[n - 1] == '/')
		n--;
	tc_buf_put(out, p, n);
}

void tc_route_rebase_html(tc_buf *out, const char *html, size_t n,
			  const char *base)
{
	static const char *const attrs[] = {" href=\"/", " src=\"/",
					    " action=\"/"};
	size_t from = 0;
	for (size_t i = 0; base && *base && i < n; i++) {
		if (html[i] != ' ')
			continue;
		for (size_t k = 0; k < sizeof attrs / sizeof *attrs; k++) {
			size_t len = strlen(attrs[k]);
			if (i + len > n || memcmp(html + i, attrs[k], len) ||
			    (i + len < n && html[i + len] == '/'))
				continue;
			/* up to the quote, then the base, then the '/' */
			tc_buf_put(out, html + from, i + len - 1 - from);
			tc_buf_puts(out, base);
			from = i + len - 1;
			i += len - 1;
			break;
		}
	}
	tc_buf_put(out, html + from, n - from);
}

void tc_route_measure_url(tc_buf *out, const tc_lang *l, const char *category,
			  const char *measure)
{
	tc_route_url(out, l, R_CATEGORY, category, NULL);
	tc_buf_printf(out, "#%s", measure);
}

static bool slot_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

/* Matches path against a pattern. A slot takes one or more slot
 * characters; where the pattern goes on after it ("{1}.json") every
 * length is tried, so "2026.1" and "box.json" both split right. */
static int match_one(const char *p, const char *u, char *slots[2])
{
	while (*p) {
		if (p[0] == '{' && p[2] == '}') {
			int k = p[1] - '1';
			size_t max = 0;
			while (slot_char(u[max]))
				max++;
			for (size_t n = max; n > 0; n--) {
				free(slots[k]);
				slots[k] = strndup(u, n);
				if (match_one(p + 3, u + n, slots))
					return 1;
			}
			free(slots[k]);
			slots[k] = NULL;
			return 0;
		}
		if (*p++ != *u++)
			return 0;
	}
	return *u == '\0';
}

/* The first route whose slots are all IDs (versions) it may hold; else the
 * first that matches at all ("/api/products/box.v2.json" is the product
 * JSON of "box.v2", which the caller then finds is no product).
 * "/api/products/box.semicolon.csv" is R_PRODUCT_CSV_SEMICOLON's, not
 * R_PRODUCT_CSV's of "box.semicolon". */
int tc_route_match(const char *path, char *slots[2])
{
	int first = -1;
	char *fs[2] = {NULL, NULL};
	for (int r = 0; r < R__COUNT; r++) {
		slots[0] = slots[1] = NULL;
		if (match_one(routes[r].url, path, slots)) {
			bool ok = true;
			for (int k = 0; k < routes[r].slots; k++)
				ok = ok &&
				     tc_route_slot_ok((tc_route)r, k, slots[k]);
			if (ok) {
				free(fs[0]);
				free(fs[1]);
				return r;
			}
			if (first < 0) {
				first = r;
				fs[0] = slots[0];
				fs[1] = slots[1];
				continue;
			}
		}
		free(slots[0]);
		free(slots[1]);
	}
	slots[0] = fs[0];
	slots[1] = fs[1];
	return first;
}
