/* pdf.h: the DPA annex as a PDF, ready to sign, written without a browser.
 *
 * One writer for every annex: the current version's (all products and
 * each product) and every released version's, in each language. It draws
 * a typed data set (lib/model.h) and a selection over it (tc_pick: a
 * product's annex is tc_pick_filter's of its product, a customer's
 * tc_pick_products' of the products chosen), so the PDF shows exactly the
 * data whose digest it prints: the scopes' names, the categories' titles,
 * each measure's ID, text (text_data) and link, each kept cell's status,
 * responsibility, label and note (note_data).
 *
 * Layout (cairo's PDF surface, text by pango, DejaVu fonts embedded as
 * subsets): a cover (kicker, title, the processor from site.md, blank lines
 * for the controller, version and date, the data set's absolute URL and
 * SHA-256, the site's introduction for the current version, the legend);
 * then each category: its title (a PDF bookmark), its prose where the
 * current version has it, and its tables, consecutive measures with the
 * same columns forming one table as in the source, scopes as columns, the
 * header row repeated on every page a table continues on, rows split
 * between lines when taller than a page; last a signature block. Tables
 * with more columns than an A4 portrait page holds at TC_PDF_MIN_CELL_W
 * points each go on landscape pages, and tables wider than landscape holds
 * are set as several tables of consecutive columns. Every page has the
 * organisation, version and date at the top, the data set's URL, its
 * SHA-256 and "page x of y" at the bottom. Each measure ID links to the
 * measure's page (its "url" in the data file).
 *
 * A customer's own annex (tc_pdf_customer: tc-search's POST /api/annex)
 * fills the cover's controller in, names the products chosen, the date it
 * was made for and its document ID (also on every page's footer), lists
 * the customer's responsibilities together after the categories, and
 * names the controller in the signature block.
 *
 * Words are those of the annex's language (lib/lang.h tc_msg). The bytes depend
 * only on the arguments (the PDF's dates are the version's date, or the
 * customer's date), the fonts and the library versions: two builds give
 * identical files.
 *
 * Both binaries write with it (tc-gen the site's annexes, tc-search a
 * customer's), so it lives in lib/. The current version's prose (which a
 * model read from a data file has not) reaches it through tc_pdf_prose,
 * which tc-gen fills from its model. */
#ifndef TC_PDF_H
#define TC_PDF_H

#include <stdbool.h>

#include "buf.h"

/* The most columns a table has (gen/limits.h TC_MAX_TABLE_COLUMNS, which
 * tc-gen checks equal). */
#define TC_PDF_MAX_COLUMNS 258

/* Narrowest scope column, in points: a table whose columns would be
 * narrower on A4 portrait goes landscape, and one too wide for landscape
 * too is split into groups of columns. */
#define TC_PDF_MIN_CELL_W 58.0

/* The fonts an annex is set in, with pango's context: made once for many
 * annexes (loading them took a tenth of an annex's time). One thread uses a
 * fonts object at a time (pango's objects are not shared between threads);
 * the bytes of an annex do not depend on which fonts object wrote it. */
typedef struct tc_pdf_fonts tc_pdf_fonts;
tc_pdf_fonts *tc_pdf_fonts_new(void);
void tc_pdf_fonts_free(tc_pdf_fonts *f);
/* The annexes written with f from now on share their layouts: a text set
 * in the same font, width and words is shaped once for all of them (a
 * product's annex repeats most of the previous one's), and what the last
 * annex did not use is let go at its end, so f holds at most two annexes'
 * layouts. For a writer of many annexes (tc-gen); tc-search's workers,
 * one annex a request, keep nothing between requests. Same bytes. */
void tc_pdf_fonts_share_layouts(tc_pdf_fonts *f);

/* A category's prose where it stands among its tables: ntables + 1
 * pieces of HTML, at[t] before table t and the last after the last table
 * ("" where none); or at NULL and all of it in html. cat is what
 * table_of looks measures up in. */
typedef struct tc_pdf_cat_prose {
	const char *html;
	char *const *at;
	size_t ntables;
	const void *cat;
} tc_pdf_cat_prose;

/* The current version's prose, from the caller's model. */
typedef struct tc_pdf_prose {
	const char *intro_html; /* the site's introduction, or NULL */
	const void *ud;
	/* fills *out and returns 1 when the model has category id */
	int (*category)(const void *ud, const char *id, tc_pdf_cat_prose *out);
	/* the table of cat's measure id, looking from *cursor on (which it
	 * moves to the measure); (size_t)-1 when cat has no such measure */
	size_t (*table_of)(const void *cat, const char *id, size_t *cursor);
} tc_pdf_prose;

/* Who a customer's annex is for, as they entered it (UTF-8 without
 * control characters; address may have line breaks), and what names it.
 * The strings are borrowed; number may be "" (none given). */
typedef struct tc_pdf_customer {
	const char *name, *address, *contact, *email, *number;
	const char *products; /* the products chosen, as the cover lists them */
	const char *generated; /* "YYYY-MM-DD": the date of generation */
	const char *doc_id;    /* the document's ID, printed on every page */
	/* the measures and cells of the annex's model that are the
	 * customer's, wholly or in part (tc_pick_products of the products
	 * with resp "client,shared"), listed together after the categories;
	 * NULL or empty: none */
	const struct tc_pick *duties;
} tc_pdf_customer;

struct tc_lang;
struct tc_model;
struct tc_pick;
typedef struct tc_pdf_annex {
	/* the language it is written in (its words, its governing language
	 * and its site's languages: lib/lang.h); NULL: English, alone */
	const struct tc_lang *lang;
	const struct tc_model *model; /* the data set (borrowed) */
	/* what of it the annex shows (a selection over model); NULL: all */
	const struct tc_pick *pick;
	/* where the data file's URLs point: a measure ID links to the model's
	 * base_url (a release's read from its file keeps the file's) and
	 * tc_route_measure_url in the routes of language links (NULL: lang;
	 * a released version's file in a translation it did not freeze is
	 * the original's, whose URLs it keeps) */
	const struct tc_lang *links;
	const char *organisation;   /* the processor */
	const char *version, *date; /* "YYYY-MM-DD" */
	const char *data_url;       /* the data file's absolute URL */
	const char *digest;         /* its SHA-256, 64 hex digits */
	const char *product;        /* the product's name; NULL: all products */
	/* the current version: the site's introduction (all products only)
	 * and each category's prose, looked up by ID; NULL for a released
	 * version, whose data set has no prose */
	const tc_pdf_prose *prose;
	/* NULL, or the current version when this one is superseded */
	const char *superseded_by;
	bool translated; /* a released version's words in a translation */
	/* a released version in a translation it froze: the original's
	 * data file's absolute URL and SHA-256, printed with the governing
	 * language; NULL otherwise */
	const char *orig_url, *orig_digest;
	/* the absolute URL of the record of changes, printed in the annex's
	 * section on changes; NULL: the section names none */
	const char *changes_url;
	tc_pdf_fonts *fonts; /* NULL: the call loads its own */
	/* a customer's annex (product is NULL then); NULL: the site's */
	const tc_pdf_customer *customer;
} tc_pdf_annex;

/* Appends the PDF of annex a to out. Returns 0, or -1 with the reason in
 * err: a string it draws that is not text (lib/text.h tc_text_scan; cairo
 * would fail on it), "the data set is not text at categories[0].title
 * (byte 0xff)" with the model's indices, or cairo's status. */
int tc_pdf_annex_write(const tc_pdf_annex *a, tc_buf *out, tc_buf *err);

#endif
