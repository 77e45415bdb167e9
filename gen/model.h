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

typedef enum tc_status {
	ST_PROVIDED,
	ST_NOT_PROVIDED,
	ST_NOT_APPLICABLE,
	ST_CLIENT,
	ST_SEE_PRODUCT,
	ST_OTHER,
	ST__COUNT
} tc_status;

typedef enum tc_scope_kind {
	SK_PRODUCT,
	SK_SITE,
	SK_INTERNAL,
	SK_ORGANISATION,
	SK__COUNT
} tc_scope_kind;

typedef struct tc_scope {
	char *id, *name, *description;
	tc_scope_kind kind;
	bool
	    managed; /* products: the provider runs the system for the client */
} tc_scope;

typedef struct tc_cell {
	tc_status status;
	char *label; /* the mark as written: "✓", "NA", or the free text */
	char *note;  /* text after the mark, "" when none */
} tc_cell;

struct tc_category;

typedef struct tc_table {
	size_t *scopes; /* indices into tc_model.scopes, in column order */
	size_t nscopes;
	bool has_products;
} tc_table;

typedef struct tc_measure {
	char *id, *text;
	size_t table;     /* index into its category's tables */
	tc_cell *cells;   /* one per scope of its table, in column order */
	bool client_duty; /* its ✓ means the client does it */
	int line;
} tc_measure;

typedef struct tc_category {
	char *id, *title, *description, *prose_html, *file;
	tc_table *tables;
	size_t ntables;
	tc_measure *measures;
	size_t nmeasures;
} tc_category;

typedef struct tc_model {
	char *organisation, *title, *version, *date, *base_url;
	char *intro_html; /* the site page's prose, rendered */
	tc_scope *scopes;
	size_t nscopes;
	tc_category *categories;
	size_t ncategories;
} tc_model;

void tc_model_free(tc_model *m);

const char *tc_status_id(tc_status s);    /* "provided", "client", ... */
const char *tc_status_title(tc_status s); /* "Provided", ... */
const char *tc_status_icon(tc_status s);  /* "✓", "✗", ... */
/* Returns -1 for an unknown id. */
int tc_status_from_id(const char *id);
const char *tc_scope_kind_id(tc_scope_kind k);
int tc_scope_kind_from_id(const char *id);

/* Reads a cell's text with the cell vocabulary: "✓" or "yes" provided, "X"
 * not-provided, "NA" not-applicable, "Client's responsibility" client, "See
 * product description" see-product; text after the mark is the note. Any
 * other text is "other", with the text as label. Fills c (owned strings). */
void tc_cell_parse(const char *text, tc_cell *c);

/* The cell of measure me (of category c) for scope index s, or NULL when
 * its table has no such column. */
const tc_cell *tc_cell_for(const tc_category *c, const tc_measure *me,
			   size_t s);
const tc_scope *tc_model_scope(const tc_model *m, const char *id);
const tc_category *tc_model_category(const tc_model *m, const char *id);
/* A measure concerns a product when its table has the product's column, or
 * when its table has no product column at all (site and organisation-wide
 * measures apply to every product). */
bool tc_measure_concerns(const tc_model *m, const tc_category *c,
			 const tc_measure *me, size_t product);

#endif
