/* model.h: the one typed data set of the TOMs that every output views.
 *
 * Scopes are the columns of the source tables, categories the control
 * areas, measures their rows and cells the marks in them. tc-gen builds it
 * from content/ (gen/content.c) and reads releases into it
 * (gen/release.c); tc-search reads it from its index (cgi/search.c) with
 * tc_model_read. The model owns all of its strings; tc_model_free
 * releases everything. The download writers take a model and a selection
 * over it (tc_pick) and write JSON and CSV (below), XLSX and PDF.
 *
 * The parts only tc-gen reads (its synonyms, brand, trust, releases) are
 * pointers to types gen/ defines; a model gen/ makes carries hooks
 * (tc_model_hooks) that free and copy them, and tc-search's have none. */
#ifndef TC_LIB_MODEL_H
#define TC_LIB_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "tomdata.h"
#include "vocab.h"

struct tc_lang;

typedef struct tc_scope {
	char *id, *name, *description;
	tc_scope_kind kind;
	bool
	    managed; /* products: the provider runs the system for the client */
	bool per_product; /* organisation level "per product": the answer is
			     in the product's description */
	char *country; /* sites: ISO 3166-1 alpha-2 code, "" when not given */
	char *city;    /* sites: "" when not given */
	/* products: where the product description is (scopes.md url), its
	 * name (url_title) and date (url_as_of, YYYY-MM-DD); "" when not
	 * given. A "See product description" cell of the product links
	 * there. */
	char *url, *url_title, *url_as_of;
} tc_scope;

typedef struct tc_cell {
	tc_status status; /* what it means where it sits (tc_cell_meaning) */
	tc_resp resp;
	char *label; /* the mark as written: "✓", "NA", or the free text */
	char *note;  /* text after the mark, plain, "" when none */
	char *note_html; /* the note with its inline Markdown, as HTML */
	char *note_data; /* the note as text with each link's URL */
	bool shared;     /* listed in the category's `shared` */
	/* a released data set's page (tc_release_model): the language whose
	 * words the label or note kept ("label_lang", "note_lang" of
	 * gen/translate.h), NULL when its own; the content's: NULL */
	char *label_lang, *note_lang;
} tc_cell;

struct tc_category;

typedef struct tc_table {
	size_t *scopes; /* indices into tc_model.scopes, in column order */
	size_t nscopes;
	bool has_products;
	bool level; /* every column says at which level a measure applies */
} tc_table;

/* Where a measure meets a standard: a framework ("iso27001-2022") and its
 * control IDs ("A.7.2"), as the category's `mappings` front matter says. */
typedef struct tc_mapping {
	char *framework;
	char **controls;
	size_t ncontrols;
} tc_mapping;

typedef struct tc_measure {
	char *id;
	char *text;       /* plain: inline Markdown dropped */
	char *text_html;  /* with its inline Markdown, as HTML */
	char *text_data;  /* as text with each link's URL, for downloads */
	size_t table;     /* index into its category's tables */
	tc_cell *cells;   /* one per scope of its table, in column order */
	bool client_duty; /* its ✓ means the client does it */
	tc_mapping *maps; /* in the order the source lists them */
	size_t nmaps;
	int line;
} tc_measure;

typedef struct tc_category {
	char *id, *title, *description, *prose_html, *file;
	char *prose_shape; /* md_shape of its prose, for its translations */
	/* its prose where it stands among its tables, ntables + 1 pieces of
	 * HTML ("" where none): prose_at[t] stands before table t, the last
	 * after the last table; prose_html is all of them in order.
	 * prose_blocks[t]: the top-level blocks of piece t (a translation's
	 * blocks, one for one with the original's, are cut the same way) */
	char **prose_at;
	size_t *prose_blocks;
	tc_table *tables;
	size_t ntables;
	tc_measure *measures;
	size_t nmeasures;
} tc_category;

/* A release's summary in the model's language (content/<lang>/releases.md). */
typedef struct tc_summary {
	char *version, *summary;
	int line, col; /* of its key in content/<lang>/releases.md */
} tc_summary;

/* A translation's words for words of a release that froze no translation
 * and that the original has changed since (content/<lang>/releases.md's
 * `words`): shown on that release's pages in place of the original's,
 * which stay in its release file (gen/translate.h,
 * tc_translate_release_words). */
typedef struct tc_release_word {
	char *version, *orig, *words;
	int line, col; /* of its key in content/<lang>/releases.md */
} tc_release_word;

struct tc_model;
/* What frees and copies the maker's own parts of a model (synonyms,
 * brand, trust): tc_model_free calls free before it frees the rest,
 * tc_model_clone calls clone on the copy (whose parts are NULL then). */
typedef struct tc_model_hooks {
	void (*free)(struct tc_model *m);
	void (*clone)(struct tc_model *dst, const struct tc_model *src);
} tc_model_hooks;

typedef struct tc_model {
	char *organisation, *title, *version, *date, *base_url;
	/* site.md's `languages`: the first is the content's own (default
	 * "en"), the others have translations in content/<code>/ */
	char **languages;
	size_t nlanguages;
	char *lang; /* the language of this model's words */
	/* site.md's governing_language: the language whose data set binds
	 * (one of languages; the content's own when not given) */
	char *governing;
	tc_summary *summaries; /* translations only: release summaries */
	size_t nsummaries;
	tc_release_word *rwords; /* translations only: old releases' words */
	size_t nrwords;
	char *summary;   /* what changed in this version, for its release */
	char *site_file; /* site.md, and where its version is written */
	int version_line, version_col;
	char *intro_html;  /* the site page's prose, rendered */
	char *intro_shape; /* its md_shape, for the translations */
	tc_scope *scopes;
	size_t nscopes;
	tc_category *categories;
	size_t ncategories;
	/* tc-gen's own parts, NULL in a model read with tc_model_read:
	 * content/synonyms.md, for the search index (gen/synonyms.h) */
	struct tc_synonyms *synonyms;
	/* certificates, subprocessors and contact (gen/trust.h); shared by
	 * a model and its translations */
	struct tc_trust *trust;
	struct tc_brand *brand; /* site.md's logo and accents (gen/brand.h) */
	/* the released versions, set by the build for the search index
	 * (borrowed; NULL: none): a customer's annex of any of them is made
	 * by tc-search (gen/index.c) */
	const struct tc_releases *releases;
	const tc_model_hooks *hooks; /* NULL: no parts of the maker's own */
} tc_model;

void tc_model_free(tc_model *m);
/* A deep copy of m (its maker's parts as its hooks copy them): a
 * translation starts from it and replaces words, never marks. */
tc_model *tc_model_clone(const tc_model *m);

/* The prose written before table ti of c (ti == c->ntables: after the
 * last), as HTML; "" when none. */
const char *tc_category_prose(const tc_category *c, size_t ti);

/* The cell of measure me (of category c) for scope index s, or NULL when
 * its table has no such column. */
const tc_cell *tc_cell_for(const tc_category *c, const tc_measure *me,
			   size_t s);
const tc_scope *tc_model_scope(const tc_model *m, const char *id);
const tc_category *tc_model_category(const tc_model *m, const char *id);
/* What the measure's row says for a product scope index: the product
 * rule of lib/tomdata.h (its own cell and the row's site and organisation
 * cells; internal ones never count). */
tc_answer tc_measure_answer(const tc_model *m, const tc_category *c,
			    const tc_measure *me, size_t product);
/* The part cell k of the measure's row plays for the product. */
tc_cell_role tc_measure_role(const tc_model *m, const tc_category *c,
			     const tc_measure *me, size_t k, size_t product);
/* tc_measure_answer(...).concerns: it is on the product's page. */
bool tc_measure_concerns(const tc_model *m, const tc_category *c,
			 const tc_measure *me, size_t product);
/* tc_measure_answer(...).resp: its responsibility for the product. */
tc_resp tc_measure_resp(const tc_model *m, const tc_category *c,
			const tc_measure *me, size_t product);
/* What a table's columns are: "product" (product columns, maybe more),
 * "level" (General / Depends on product), "site" (sites, internal systems:
 * each applies to every product). */
const char *tc_table_kind(const tc_table *t);
/* The number of products (scopes of kind product). */
size_t tc_model_nproducts(const tc_model *m);

/* ---- reading a data set (api/tom.json's shape, lib/tomdata.h) ---- */

/* What tc_model_read refuses beyond: a data set that is bigger is no data
 * set tc-gen writes (gen/limits.h: 256 scopes, 1,000 categories, 20,000
 * measures, 258 columns, 4,096-byte cells), read with room to spare. */
#define TC_READ_MAX_SCOPES 1024
#define TC_READ_MAX_CATEGORIES 4096
#define TC_READ_MAX_MEASURES 100000            /* in all categories together */
#define TC_READ_MAX_MAPPINGS 256               /* frameworks of one measure */
#define TC_READ_MAX_CONTROLS 1024              /* controls of one framework */
#define TC_READ_MAX_STRING_BYTES (1024 * 1024) /* any one string */

/* What the document is: */
typedef enum tc_read_shape {
	/* api/tom.json (an export, or tc-search's index's "json"): every
	 * member of lib/tomdata.h's shape, its URLs and "$schema" those that
	 * base_url and the language give (tc_model_write writes it back byte
	 * for byte); "filter", when there, is not read */
	TC_READ_EXPORT,
	/* a release file's "tom" (gen/release.c tc_release_data): scopes of
	 * id, name, kind (description optional); categories of id, title,
	 * measures of id, text, cells (client_duty, table optional); cells may
	 * carry "label_lang" and "note_lang"; "version" and "base_url" are
	 * kept as they are ("" when not strings), not checked */
	TC_READ_RELEASE
} tc_read_shape;

/* Reads doc (borrowed) into a new model (caller frees with
 * tc_model_free), checking every value: IDs by the routes' rules and once
 * each, statuses, responsibilities and kinds words of lib/vocab.h, every
 * cell's scope a scope of the set, a measure's "table" what its columns
 * are, the limits above. l: the language whose URLs an export has
 * (TC_READ_EXPORT; ignored for a release). On a refusal NULL, with path
 * set to the JSON path of the first bad value below root ("tom" gives
 * "tom.categories[2].measures[0].cells.cloud") and why to what is wrong
 * with it ("'maybe' is not a status"); both are the caller's buffers,
 * appended to. A measure's cells make a new table of its category when
 * their scopes (in order) or kind differ from the previous measure's;
 * text_html, note_html and the prose are not in the shape and stay NULL
 * (text and note are text_data and note_data). */
tc_model *tc_model_read(json_t *doc, tc_read_shape shape,
			const struct tc_lang *l, const char *root, tc_buf *path,
			tc_buf *why);
/* Whether id is a measure's ID ("PAC-1", its row's anchor; measure) or a
 * scope's or category's (an ID of scopes.md and a slot of the routes), as
 * tc_model_read checks them; false after failing p (lib/jpath.h) at its
 * first n bytes' ".id" when it is not. A release's own checks use it too
 * (gen/release.c). */
struct tc_jpath;
bool tc_model_id_ok(struct tc_jpath *p, size_t n, const char *id, bool measure);

/* ---- a selection: what a filtered download keeps ---- */

/* Which categories, measures, cells and scopes of a model a download
 * keeps, and the filters that chose them (the JSON's "filter"). Opaque;
 * made by the functions below over a model it borrows (the model must
 * outlive it), freed with tc_pick_free. Measures are numbered through
 * the model in order: measure k of category c is number
 * tc_pick_first(p, c) + k. */
typedef struct tc_pick tc_pick;

/* Everything, no "filter" (api/tom.json). */
tc_pick *tc_pick_all(const tc_model *m);
/* Only what matches; NULL arguments do not filter. product: a product
 * scope id. A measure keeps the cells the product rule shows for it: the
 * product's own, every site and organisation cell, and its internal cells;
 * it is dropped when it does not concern the product. status: cells with
 * that status only. resp: cells whose responsibility is in this
 * comma-separated list only ("client,shared": what is the client's, wholly
 * or in part). With a product, status and resp select among the cells
 * that answer for it: an internal cell is kept only when neither is given.
 * Measures left without cells and categories left without measures are
 * dropped, and scopes no kept cell uses; "filter" records {product,
 * category, status, responsibility}, each when given (what lib/tomdata.c's
 * tc_tom_filter did over the JSON tree: tests/tomref.h keeps it as the
 * reference). */
tc_pick *tc_pick_filter(const tc_model *m, const char *product,
			const char *category, const char *status,
			const char *resp);
/* The data set for several products at once (a customer's annex):
 * products a comma-separated list of product IDs; a measure keeps the
 * cells the product rule shows for any of them (internal cells when resp
 * is NULL) and is dropped when it concerns none; resp NULL or a list as
 * above; "filter" records {"products":
 * [the model's products on the list, in its order], "responsibility"}. */
tc_pick *tc_pick_products(const tc_model *m, const char *products,
			  const char *resp);
/* Keeps, of what p keeps, only the measures whose number has keep[n]
 * set (keep: one flag per measure of the model, borrowed for the call):
 * tc-search's measures that match the search q. The measures, categories
 * and scopes left empty are dropped; q (not NULL) is recorded as the
 * filter's "q", after the others (a "filter" is made when there was
 * none). */
void tc_pick_only(tc_pick *p, const unsigned char *keep, const char *q);
void tc_pick_free(tc_pick *p);

/* What p keeps (indices of the model's arrays): */
bool tc_pick_scope(const tc_pick *p, size_t s);
bool tc_pick_category(const tc_pick *p, size_t c);
bool tc_pick_measure(const tc_pick *p, size_t c, size_t k);
/* cell j (column j of the measure's table) of measure k of category c */
bool tc_pick_cell(const tc_pick *p, size_t c, size_t k, size_t j);
/* The number of measure 0 of category c (see tc_pick). */
size_t tc_pick_first(const tc_pick *p, size_t c);
/* Nothing kept (a filter that matches no cell). */
bool tc_pick_empty(const tc_pick *p);
/* The value of the filter key ("product", "category", "status",
 * "responsibility", "q") p was made with, as given (borrowed), or NULL
 * when not given: what a workbook's cover shows and tc-search asks its
 * workbook helper for (cgi/xlsxd.h). */
const char *tc_pick_filter_get(const tc_pick *p, const char *key);

/* ---- writers over (model, pick) ---- */

/* 2: cells gained "responsibility"; statuses "not-at-level" and
 * "client" for the ✓ of a client duty; "level" on measures.
 * 3: "$schema" and "base_url"; URLs absolute (base_url in front), links in
 * texts and notes too; "mappings" on measures. */
#define TC_SCHEMA_VERSION 3

/* The absolute URL of the published JSON Schema name ("tom", "search"):
 * what a document's "$schema" says (caller frees). */
char *tc_model_schema_url(const tc_model *m, const char *name);
/* A measure's mappings as one line of text, "iso27001-2022: A.7.2, A.7.4;
 * other: X-1" ("" when none), appended to out. */
void tc_model_mappings_text(const tc_measure *me, tc_buf *out);
/* A measure's mappings as the JSON object {"framework": ["control"]} that
 * the export writes, its members indented for an object at depth. */
void tc_model_mappings_json(const tc_measure *me, int depth, tc_buf *out);

/* Appends the data set as api/tom.json has it (lib/tomdata.h's shape,
 * indented by one, a newline at the end), URLs in language l's routes,
 * only what p keeps and p's "filter" last: byte for byte what tc_tom_dump
 * wrote of tc_export_json and tc_tom_filter's documents (tests/tomref.h). */
void tc_model_write(const tc_model *m, const tc_pick *p,
		    const struct tc_lang *l, tc_buf *out);
/* Measure k of category c as tc_model_write writes it (the cells p
 * keeps), compact as jansson's JSON_COMPACT writes it, appended to out:
 * what the search index stores of each measure (gen/index.c). cells_at
 * (NULL: not asked) receives where the members of its "cells" begin in
 * out: they end two bytes before its end, at the object's closing brace. */
void tc_model_measure_compact(const tc_model *m, const tc_pick *p,
			      const struct tc_lang *l, size_t c, size_t k,
			      tc_buf *out, size_t *cells_at);
/* The whole data set without its measures (every scope and category,
 * each with "measures": []), compact: the search index's catalog. */
void tc_model_catalog_compact(const tc_model *m, const struct tc_lang *l,
			      tc_buf *out);
/* RFC 4180 CSV (CRLF, header row), UTF-8 with a byte order mark (so
 * Excel reads it as UTF-8), one row per kept cell: category_id,
 * category_title, measure_id, measure_text, scope_id, scope_name,
 * scope_kind, status, responsibility, label, note, url, mappings
 * (tc_model_mappings_text). The IDs and the mark as written (label) are
 * the data's, in every language; a language other than English has two
 * more columns after label, status_text and responsibility_text, in its
 * words ("Nicht angeboten" beside an "X"): the English CSV keeps its 13
 * columns. sep ',' or ';' (';' is what Excel opens in columns where the
 * decimal separator is a comma: api/tom.semicolon.csv), words and URLs of
 * l, out handed to flush (which
 * empties it) past about a megabyte; returns the first non-zero flush
 * result or 0, the rest left in out. flush NULL: all of it stays in out. */
int tc_model_csv(const tc_model *m, const tc_pick *p, const struct tc_lang *l,
		 char sep, tc_buf *out, int (*flush)(void *ud, tc_buf *out),
		 void *ud);

#endif
