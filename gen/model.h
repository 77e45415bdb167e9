/* model.h: the one in-memory model of the TOMs that every output views.
 *
 * Scopes are the columns of the source tables, categories the control
 * areas, measures their rows and cells the marks in them. The model owns all
 * of its strings; tc_model_free releases everything. Structs are visible to
 * the generator's modules (content fills them, the writers read them) and to
 * nobody else: tc-search reads the exported JSON and the index, never this. */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/buf.h"
#include "../lib/tomdata.h"
#include "../lib/vocab.h"
#include "brand.h"
#include "synonyms.h"

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
	tc_synonyms synonyms; /* content/synonyms.md, for the search index */
	/* certificates, subprocessors and contact (gen/trust.h); shared by
	 * a model and its translations */
	struct tc_trust *trust;
	tc_brand brand; /* site.md's logo and accents (gen/brand.h) */
	/* the released versions, set by the build for the search index
	 * (borrowed; NULL: none): a customer's annex of any of them is made
	 * by tc-search (gen/index.c) */
	const struct tc_releases *releases;
} tc_model;

void tc_model_free(tc_model *m);
/* A deep copy of m (its synonyms left empty): a translation starts from it
 * and replaces words, never marks. */
tc_model *tc_model_clone(const tc_model *m);

/* Appends the words search finds a measure by, as tc_syn_expand reads
 * them: its ID, its text and each cell's note (or free text). */
void tc_measure_words(const tc_category *c, const tc_measure *me, tc_buf *out);

/* Reads a cell's text with the marks mk (tc_mark_parse): the mark's
 * status and owned label, the rest as the note. Returns where the note
 * begins in text (0 when it begins with no mark), so that a caller holding
 * the cell's Markdown drops the mark without reading it again. Meaning is
 * given later, by tc_model_apply_meaning, once the cell's place is known. */
size_t tc_cell_parse(const tc_marks *mk, const char *text, tc_cell *c);
/* Where the note of a cell t begins after its mark of n bytes: past the
 * spaces and one ':', ';' or ',' that set it off ("Client's
 * responsibility: see the DPA" has the note "see the DPA"). */
size_t tc_note_start(const char *t, size_t n);

/* The marks the content's cells are written in: its own language's (the
 * first of languages), also for a translated model, whose cells keep the
 * original's marks; English when marks.json has none for it. */
const tc_marks *tc_model_marks(const tc_model *m);

/* The prose written before table ti of c (ti == c->ntables: after the
 * last), as HTML; "" when none. */
const char *tc_category_prose(const tc_category *c, size_t ti);

/* Gives every cell its status and responsibility with tc_cell_meaning. */
void tc_model_apply_meaning(tc_model *m);

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

#endif
