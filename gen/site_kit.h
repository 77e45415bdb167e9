/* site_kit.h: the page kit every writer of tc-gen's site shares: the site
 * being written (its model, arenas, templates, output and budget), the
 * views of scopes and categories the navigation shows, and the builders of
 * pages, URLs and words. The writers (gen/site_parts.h) use the kit and
 * never each other's internals; the kit calls no writer, so no writer is
 * in a circle with another. Not a public interface: only the site's
 * writers (gen/site*.c, the *_site.c files, gen/history.c) include it. */
#ifndef TC_SITE_KIT_H
#define TC_SITE_KIT_H

#include <jansson.h>
#include <stdbool.h>

#include "../lib/buf.h"
#include "../lib/lang.h"
#include "../lib/mustache.h"
#include "../lib/routes.h"
#include "../lib/val.h"
#include "model.h"
#include "site.h"

/* Views are tc_val trees in arenas, built from the model: no jansson object
 * per page, row or cell. Three lifetimes: the site arena holds what many
 * pages share (the views of scopes, categories and measures, the rendered
 * cells and tables); the page arena holds one page's view and is reset after
 * it is written; the scratch arena holds a view only while it is rendered
 * into a shared fragment (tables, and cells while a table is built). */
#define CELL_BUCKETS 4096

typedef struct cell_entry {
	char *key;
	const tc_val *html;
	struct cell_entry *next;
} cell_entry;

typedef struct site {
	const tc_model *m;
	const tc_lang *lang; /* the language being written */
	const char *out;
	tc_diags *d;
	mus_env *env;
	const char *tdir;
	tc_arena *sa, *pa, *ta; /* site, page, scratch (tables) */
	tc_arena *ca;           /* scratch for one cell's view */
	tc_arena *tab;  /* the rendered tables, freed after their last page */
	tc_val *common; /* site, legend, digest: shared by every page */
	const tc_val **scope_v;     /* per scope */
	const tc_val **cat_v;       /* per category */
	const tc_val ***meas_v;     /* per category, per measure */
	const tc_val *nav_none;     /* the navigation with nothing current */
	const tc_val **tables_html; /* per category, rendered once */
	cell_entry **cells;         /* rendered cells by meaning, label, note */
	const tc_val ***chtml; /* per category, per cell (flat): by place */
	size_t **coff; /* per category, per measure: its first cell in chtml */
	tc_buf outbuf; /* reused for every page */
	const char *tom; /* api/tom.json as published */
	size_t tom_len;
	tc_site_stats *st;
	int failed;
	int over_budget;     /* reported: the site passed its byte budget */
	const tc_history *h; /* releases and changes; may be NULL */
	json_t *changed;     /* measure IDs changed in latest */
	/* the newest released step of h->changes */
	const struct tc_change_step *latest;
	json_t *old_cells; /* rendered cells of released data sets */
	/* per release of h, the data set its pages show, typed
	 * (tc_release_model): made by site_write_history for the old
	 * annexes, freed by site_write_version_pages after the version pages
	 * (gen/nav_site.c); NULL where it could not be read (reported) */
	tc_model **old_models;
	char digest[65];        /* of api/tom.json as published */
	json_t *schemas;        /* name -> the published JSON Schema */
	struct site_pdfq *pdfq; /* annex PDFs being written (site_pdf.c) */
} site;

/* The template loader of the site's mus_env (ud: the site): name's
 * file in the templates folder, through source.c's checks. */
char *site_load_template(void *ud, const char *name, char **file);
/* Loads and checks every template a page is rendered from, tc-search's
 * included; returns the number of problems reported. */
int site_load_templates(site *S);
/* Whether the site may write len bytes more: past its budget it reports
 * once, fails the run and answers 0. */
int site_within_budget(site *S, size_t len);
/* Writes data as rel under the output, counting it. */
void site_emit(site *S, const char *rel, const char *data, size_t len);
void site_emit_json(site *S, const char *rel, json_t *v);
/* Renders template name with ctx over the common values and writes it as
 * rel. The caller resets the page arena (site_page_done) when done. */
void site_page(site *S, const char *name, const char *rel, const tc_val *ctx);
void site_page_done(site *S);
/* A route's URL as a string of arena a. */
tc_val *site_url(tc_arena *a, const tc_lang *l, tc_route r, const char *x,
		 const char *y);
/* The file of a route without slots, in the site's language (S->lang),
 * as a string of the page arena. */
const char *site_rfile(site *S, tc_route r);
/* The URL of a route without slots, likewise. */
const char *site_rurl(site *S, tc_route r);
/* "1 measure", "2 measures": n and the catalogue's word for it, key
 * "<key>.one" or "<key>.other" (lib/lang.h tc_msg_n), in language l. */
tc_val *site_count_words(tc_arena *a, const tc_lang *l, size_t n,
			 const char *key);
/* tc_msgf (lib/lang.h) as a string of arena a: name-value pairs, NULL. */
tc_val *site_msgf(tc_arena *a, const tc_lang *l, const char *key, ...);
/* tc_msgf_html likewise: the values escaped, for {{{triple}}} braces. */
tc_val *site_msgf_html(tc_arena *a, const tc_lang *l, const char *key, ...);
/* tc_msgf_n likewise: "{n}" is n. */
tc_val *site_msgf_n(tc_arena *a, const tc_lang *l, const char *key, size_t n,
		    ...);
/* The string of a value built by the above (borrowed from its arena). */
#define SITE_STR(v) tc_val_str_value((v), NULL)
tc_val *site_page_meta(tc_arena *a, const char *title, const char *path,
		       const char *description);
/* A page's view with its "page" meta and the plain navigation. */
tc_val *site_ctx(site *S, tc_arena *a, const char *title, const char *path,
		 const char *description);
/* The view of scope si and of category ci, as the navigation and the
 * pages show them; current marks the page's own. */
tc_val *site_scope_view(site *S, tc_arena *a, size_t si, bool current);
tc_val *site_cat_view(site *S, tc_arena *a, size_t ci, bool current);
/* The navigation, with a product or category current (or none): the
 * views site.c built once (scope_v, cat_v, nav_none) and, for the current
 * one, a view of its own. */
const tc_val *site_nav(site *S, const char *product, const char *category);
/* Renders view into a string of dest, then resets scratch. */
const tc_val *site_render_fragment(site *S, const char *tpl, const tc_val *view,
				   tc_arena *scratch, tc_arena *dest);

/* A product of a data set: its ID and name (borrowed). */
typedef struct site_product {
	const char *id, *name;
} site_product;

/* Writes the annexes' print sheet rel: every printed page names
 * the organisation, version and date at the top, the page number, and the
 * data file and its digest at the bottom, in the site's language. A
 * product's annex (its body of class "print-p-<id>", SITE_PRINT_PAGE)
 * prints on pages named for it, whose header names the product too: one
 * per product of the data set (prods, n of them, in its order, names in
 * this language). */
void site_write_print_css(site *S, const char *rel, const char *version,
			  const char *date, const char *file,
			  const char *digest, const site_product *prods,
			  size_t n);
/* The class of a product annex's body, and the name of its printed pages
 * ("print-p-" and the product's id). */
#define SITE_PRINT_PAGE "print-p-"

#endif
