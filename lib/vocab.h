/* vocab.h: the words of the TOMs, and the rules that give them meaning.
 *
 * Every view, download and answer of both binaries takes its status words,
 * icons, responsibility words and the rules "what does this cell mean" and
 * "does this measure concern that product" from here, so a page, a CSV row
 * and a search result cannot disagree about a (measure, scope). Templates
 * reach these words only through the views built from them.
 *
 * All strings returned are static. */
#ifndef TC_VOCAB_H
#define TC_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct tc_lang; /* lib/lang.h */

/* What a cell says, in the order the legend lists them. */
typedef enum tc_status {
	ST_PROVIDED,
	ST_NOT_PROVIDED,
	ST_NOT_APPLICABLE,
	ST_NOT_AT_LEVEL,
	ST_CLIENT,
	ST_SEE_PRODUCT,
	ST_OTHER,
	ST__COUNT
} tc_status;

/* Who carries the measure out for the cell's scope. */
typedef enum tc_resp {
	RS_PROVIDER,
	RS_SHARED,
	RS_CLIENT,
	RS_SEE_PRODUCT,
	RS_NONE,
	RS__COUNT
} tc_resp;

typedef enum tc_scope_kind {
	SK_PRODUCT,
	SK_SITE,
	SK_INTERNAL,
	SK_ORGANISATION,
	SK__COUNT
} tc_scope_kind;

const char *tc_status_id(tc_status s); /* "provided", "client", ... */
/* The words are those of language l (lib/lang.h). */
const char *tc_status_title(const struct tc_lang *l,
			    tc_status s); /* "Provided", ... */
const char *tc_status_icon(tc_status s);  /* "✓", "✗", ... */
/* Returns -1 for an unknown id. */
int tc_status_from_id(const char *id);

const char *tc_resp_id(tc_resp r); /* "provider", "client", ... */
const char *tc_resp_title(const struct tc_lang *l,
			  tc_resp r); /* "Provided by us", "Yours", ... */
const char *tc_resp_icon(tc_resp r);
/* A sentence fragment for counts: "provided by us", "yours", ... */
const char *tc_resp_phrase(const struct tc_lang *l, tc_resp r);
int tc_resp_from_id(const char *id);

const char *tc_scope_kind_id(tc_scope_kind k);
int tc_scope_kind_from_id(const char *id);

/* The badge a cell shows: its status, except that a shared cell shows
 * "Shared" (the provider does part of it; the note says which part). */
typedef struct tc_badge {
	const char *cls, *title, *icon; /* cls: "provided", "shared", ... */
	bool label;                     /* show the cell's own text as title */
} tc_badge;
tc_badge tc_cell_badge(const struct tc_lang *l, tc_status s, tc_resp r);

/* The marks a cell begins with, and the words of a measure table's first
 * two columns, are the content's language's: templates/i18n/marks.json
 * (built in) lists them per language, the first of each status as the
 * vocabulary writes it. English: "✓" or "yes" provided, "X" not-provided,
 * "NA" not-applicable, "Client's responsibility" client, "See product
 * description" see-product; German: "✓" or "ja", "nein", "entfällt",
 * "Verantwortung des Kunden", "siehe Produktbeschreibung". A content's
 * marks are its language's, passed to each function below: the tables are
 * read-only once loaded (by whichever thread asks first), so no language
 * is process state. */
typedef struct tc_marks tc_marks;
/* The most languages marks.json may list; more are ignored. */
#define TC_MARKS_MAX_LANGS 16
/* The marks of lang ("en" when NULL), borrowed for the process's life;
 * NULL when marks.json has none for it. */
const tc_marks *tc_marks_for(const char *lang);
const char *tc_marks_code(const tc_marks *mk);
/* Appends the languages that have marks: "en, de". */
void tc_marks_langs(tc_buf *out);
/* The mark of status s as the vocabulary writes it ("✓", "X", "nein");
 * "" for a status no mark says (other, not-at-level). */
const char *tc_mark_label(const tc_marks *mk, tc_status s);
/* Appends every mark, quoted: "'✓', 'yes', 'X', ...". */
void tc_marks_list(const tc_marks *mk, tc_buf *out);
/* The header of a measure table's column col (0: "ID", 1: "Measure";
 * "Maßnahme" in German), and whether text is one of its spellings
 * (ignoring case; "Measures" too). */
const char *tc_header_word(const tc_marks *mk, int col);
bool tc_header_ok(const tc_marks *mk, int col, const char *text);

/* Reads the mark a cell begins with, exactly as marks.json writes it: a
 * whole word, ending at the end of the text, a space or one of "(),;:".
 * After any mark but ✓ its note is set off by punctuation ("NA (instead:
 * EAC-8)", "Client's responsibility: see the DPA"). *mark_len is the
 * length of the mark; the note is what follows it. ST_OTHER (and 0) when
 * the text begins with no mark: content that does is an error (every
 * cell begins with a mark); older releases may still hold "other". */
tc_status tc_mark_parse(const tc_marks *mk, const char *text, size_t *mark_len);

/* A cell that begins with no mark, read as the mark it was almost
 * certainly meant to be. */
typedef struct tc_mark_miss {
	const char *meant; /* the mark as the vocabulary writes it; "" when
			      the text has no letter or digit at all ("✗",
			      "-"); NULL when no mark is near */
	size_t len;        /* the bytes of the text the miss spans: its note
			      follows */
	bool words_after;  /* the mark itself, with words after it that no
			      punctuation sets off */
} tc_mark_miss;
/* The same letters and digits as a mark or a word marks.json lists as
 * meaning one ("N/A", "n.a.", "Clients responsibility", "No" as the whole
 * cell), ignoring case, apostrophes and punctuation; a mark of 6 letters
 * or more with at most two letters wrong ("Client’s responsiblitly");
 * each taken at the start of the cell, up to where a word ends. */
tc_mark_miss tc_mark_near(const tc_marks *mk, const char *text);
/* tc_mark_near(text).meant. */
const char *tc_mark_suspect(const tc_marks *mk, const char *text);

/* A cell's mark as a sentence of language l shows it (the
 * OSCAL statements): as written where l is the
 * content's; in another language a mark that is a word or letter ("X",
 * "NA", "Client's responsibility"; "nein" of a German content on an
 * English page) is the icon of the status it means (st, where it sits:
 * an X in a level column is "○"), with the status word beside it in the
 * sentence, so no word of another language and no bare "X" (a tick to a
 * German reader) is left. "✓" stays as written. */
const char *tc_mark_shown(const struct tc_lang *l, const tc_marks *mk,
			  const char *label, tc_status st);

/* Where a cell sits, for the rule below. */
typedef struct tc_cell_where {
	bool client_duty; /* the measure is a duty of the client: its ✓ is
			     the client's */
	bool shared;      /* this cell's ✓ covers only part (the note says
			     which); the rest is the client's */
	bool level;       /* a column that says at which level a measure
			     applies (General, Depends on product) */
	bool per_product; /* the level column "per product": the answer is
			     in the product's description */
} tc_cell_where;

/* The one rule: what a cell with this mark means where it sits, as the
 * status every view shows and the responsibility every view derives. In a
 * level column an X means "not at this level", never "not provided"; a ✓
 * in the per-product level column sends the reader to the product. */
void tc_cell_meaning(tc_status mark, tc_cell_where w, tc_status *status,
		     tc_resp *resp);

/* The responsibility of a measure for one product: its cell's when its
 * table has the product's column; otherwise (site and organisation-wide
 * measures) the first of client, shared, provider, see-product, none that
 * one of its cells has. */
tc_resp tc_resp_combine(const tc_resp *cells, size_t n);

/* What a change of responsibility means for the client, from one cell to
 * another (a missing cell counts as RS_NONE): how much of the measure is
 * theirs (none; part, when shared; all) goes up or down. Comparisons of
 * products and the changes between versions both say it with these. */
typedef enum tc_move {
	MV_NONE,
	MV_TO_CLIENT,         /* now wholly theirs */
	MV_PARTLY_TO_CLIENT,  /* from none of it to a part */
	MV_FROM_CLIENT,       /* now none of it theirs */
	MV_PARTLY_FROM_CLIENT /* from all of it to a part */
} tc_move;
tc_move tc_resp_move(tc_resp from, tc_resp to);
/* "to-client", "partly-to-client", "from-client", "partly-from-client",
 * "" for MV_NONE. */
const char *tc_move_id(tc_move m);
/* "Becomes your job", "Becomes partly your job", "No longer your job",
 * "Only partly your job now"; "" for MV_NONE. */
const char *tc_move_words(const struct tc_lang *l, tc_move m);
/* More of it becomes the client's (MV_TO_CLIENT, MV_PARTLY_TO_CLIENT). */
bool tc_move_to_client(tc_move m);

/* A measure concerns a product when its table has the product's column, or
 * when its table has no product column at all (site and organisation-wide
 * measures apply to every product). */
bool tc_concerns(bool table_has_products, bool has_product_cell);

/* "1 measure", "2 measures": the noun for n. */
const char *tc_plural(long n, const char *one, const char *many);

#endif
