/* routes.h: every page and download of the site, in one table.
 *
 * Each route has a URL pattern and the file it is written to, with up to
 * two slots ({1}, {2}) for IDs: a category, a product, two products. The
 * page writers, the sitemap, the link checker, the URLs in the data and
 * the search index all take URLs from here; adding a page kind is one
 * entry, with the template it is rendered from. IDs are slugs ([a-z0-9-]+) and
 * versions [A-Za-z0-9._-]+, so they are put into URLs as they are.
 *
 * Every slot is checked where a path is made: tc_route_url and
 * tc_route_file abort() on a slot that is not an ID (a version, for the
 * routes of a version), since a value such as "../../X" would name a file
 * outside the site. Data is checked with the same rules (tc_route_is_id,
 * tc_route_slot_ok) where it is read, with a positioned error, so only a
 * bug can reach the abort; aborting then is the safe end: the staging
 * folder is never published, and a tc-search worker is replaced.
 *
 * Each language has the routes under its prefix (lib/lang.h: "" for the
 * default language, "/de/categories/{1}/" and the file
 * "de/categories/{1}/index.html" for German), except the neutral ones that
 * all languages share (schemas, robots.txt, the OpenAPI description; not
 * the print styles, whose page margins are in words of the language).
 * tc_route_url and tc_route_file add the prefix of the language they are
 * given; tc_route_match reads paths without one. */
#ifndef TC_ROUTES_H
#define TC_ROUTES_H

#include <stdbool.h>

#include "buf.h"

typedef enum tc_route {
	R_HOME,
	R_CATEGORY,      /* {1} category */
	R_PRODUCT,       /* {1} product */
	R_PRODUCT_ANNEX, /* {1} product */
	R_MATRIX,
	R_COMPARE_INDEX,
	R_COMPARE, /* {1} from, {2} to */
	R_ANNEX,
	R_API,
	R_NOT_FOUND,
	R_SITEMAP,
	R_ROBOTS,
	R_TOM_JSON,
	R_TOM_CSV,
	R_PRODUCT_JSON, /* {1} product */
	R_PRODUCT_CSV,  /* {1} product */
	R_CHANGES,
	R_CHANGES_ATOM,
	R_PRODUCT_CHANGES,      /* {1} product */
	R_PRODUCT_CHANGES_ATOM, /* {1} product */
	R_CHANGES_JSON,
	R_VERSIONS,
	R_VERSIONS_JSON,
	R_VERSION_ANNEX,         /* {1} version */
	R_VERSION_PRODUCT_ANNEX, /* {1} version, {2} product */
	R_VERSION_TOM,           /* {1} version */
	R_TOM_XLSX,
	R_PRODUCT_XLSX,      /* {1} product */
	R_SCHEMA,            /* {1} schema name: tom, search, error, health */
	R_OSCAL_CATALOG,     /* the TOMs as an OSCAL catalog */
	R_OSCAL_COMPONENT,   /* {1} product: its OSCAL component-definition */
	R_OPENAPI,           /* served by tc-search, not written: file NULL */
	R_PRINT_CSS,         /* the annexes' page header and footer */
	R_VERSION_PRINT_CSS, /* {1} version: those of its annexes */
	/* the annexes as PDFs (gen/pdf.h), beside their pages */
	R_ANNEX_PDF,
	R_PRODUCT_ANNEX_PDF,         /* {1} product */
	R_VERSION_ANNEX_PDF,         /* {1} version */
	R_VERSION_PRODUCT_ANNEX_PDF, /* {1} version, {2} product */
	/* gen/trust.h: certificates, subprocessors, contact */
	R_CERTIFICATES,
	R_CERTIFICATE_FILE, /* {1} certificate: its PDF, in no language */
	R_CERTIFICATES_JSON,
	R_SUBPROCESSORS,
	R_SUBPROCESSORS_JSON,
	R_SUBPROCESSORS_CSV,
	R_SUBPROCESSORS_ATOM,
	R_CONTACT,
	R_SECURITY_TXT, /* RFC 9116, one for all languages */
	R_DPA,          /* a customer's annex: the form (POST /api/annex) */
	/* the CSV with ';' between fields, which Excel opens in columns
	 * where ',' is the decimal separator (German Excel) */
	R_TOM_CSV_SEMICOLON,
	R_PRODUCT_CSV_SEMICOLON, /* {1} product */
	/* every path prefix of a page is a page (or the 404 page): the
	 * comparisons from one product, a version's landing page */
	R_COMPARE_FROM, /* {1} product */
	R_VERSION,      /* {1} version */
	R_LOGO,         /* {1} "svg" or "png": site.md's logo (gen/brand.h) */
	R__COUNT
} tc_route;

typedef struct tc_route_info {
	const char *url;  /* "/categories/{1}/" */
	const char *file; /* "categories/{1}/index.html", under the site;
			     NULL for what tc-search answers */
	int slots;        /* how many of {1}, {2} it has */
	bool sitemap;     /* listed in sitemap.xml */
	bool anchors;     /* its measures have "#ID" anchors */
	const char *name; /* "matrix", "tom_json": templates see the URLs of
			     the routes without slots as urls.<name> */
	bool neutral;     /* the same for every language: no prefix */
	bool version;     /* {1} is a version, not an ID */
	/* the template a page or feed is rendered from
	 * (templates/<tpl>.mustache), checked at every build (gen/site_kit.c);
	 * NULL for a download. Every route whose file is HTML has one. */
	const char *tpl;
} tc_route_info;

const tc_route_info *tc_route_get(tc_route r);

/* An ID as a slot takes it: 1 or more of [a-z0-9-] (scopes.md's rule for
 * scope and category IDs). */
bool tc_route_is_id(const char *s);
/* A measure ID, the anchor of its row (tc_route_measure_url): capital
 * letters and digits, '-', digits ("PAC-1", "A1-12"). */
bool tc_route_is_measure_id(const char *s);
/* Whether s may fill slot k (0: {1}, 1: {2}) of route r: an ID, or for
 * {1} of a version's route a version (lib/text.h) that, made a folder, is
 * no file of another route ("versions/index.html/annex/" would put a
 * folder where /versions/ is). */
bool tc_route_slot_ok(tc_route r, int k, const char *s);
/* Whether v may name a version: tc_route_slot_ok for every route of a
 * version. */
bool tc_route_version_ok(const char *v);

/* Appends the route's URL (path) or its file in language l (its prefix)
 * with the slots filled; a slot that is not tc_route_slot_ok ends the
 * process (see above). */
struct tc_lang;
void tc_route_url(tc_buf *out, const struct tc_lang *l, tc_route r,
		  const char *a, const char *b);
void tc_route_file(tc_buf *out, const struct tc_lang *l, tc_route r,
		   const char *a, const char *b);
/* A path of language l without its prefix (a suffix of path): what the
 * same page's path is in another language after its prefix. */
const char *tc_route_unprefixed(const struct tc_lang *l, const char *path);
/* tc_route_url as a new string (caller frees). */
char *tc_route_urldup(const struct tc_lang *l, tc_route r, const char *a,
		      const char *b);

/* The URL of a measure in language l: its category page with the
 * measure's anchor. */
void tc_route_measure_url(tc_buf *out, const struct tc_lang *l,
			  const char *category, const char *measure);

/* A site served under a path of its base_url ("https://example.org/tom"):
 * the table's URLs stay the site's own paths ("/categories/x/"), which
 * the data and the feeds make absolute with base_url, and the pages' links
 * are put under the path where a page is written (tc-gen) or answered
 * (tc-search), by tc_route_rebase_html.
 *
 * Appends the path of base_url: "/tom" for "https://example.org/tom",
 * "" for a site at the root or without base_url. */
void tc_route_base_path(tc_buf *out, const char *base_url);
/* Appends html (n bytes) with every root-relative URL of an href, src or
 * action attribute ('="/' but not '="//') put under base ("/tom"); the
 * same bytes when base is "" or NULL. Our templates quote attributes with
 * '"'; text is escaped, so '="/' inside text is '=&quot;/' and untouched. */
void tc_route_rebase_html(tc_buf *out, const char *html, size_t n,
			  const char *base);

/* Matches a site path (no query, no fragment) against the table. On a
 * match returns the route and sets slots[0..1] to new strings (caller
 * frees; NULL for unused slots); returns -1 when nothing matches. */
int tc_route_match(const char *path, char *slots[2]);

#endif
