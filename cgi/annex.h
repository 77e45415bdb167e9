/* annex.h: a customer's annex (POST /api/annex, the form of /dpa/).
 *
 * The form (application/x-www-form-urlencoded) names the products, the
 * version, the controller's details, the date of generation and the
 * language; ts_annex_form_parse checks every field on its own (decoding,
 * UTF-8, control characters, lengths, repeats, unknown fields) and
 * ts_annex_form_check against the data set (products, version, date).
 * Errors are kept as codes with their field, so that the message can be
 * made in the form's language once that is known (ts_annex_error_text).
 *
 * The document ID (ts_annex_doc_id) is the SHA-256 of the version's data
 * set digest, the version, the language, the date, the products (in the
 * data set's order) and each detail, length-prefixed: the same form gives
 * the same ID and the same PDF, byte for byte.
 *
 * Nothing of the form is kept: the form, the document and the PDF live in
 * the request's buffers, which are freed with it. */
#ifndef TS_ANNEX_H
#define TS_ANNEX_H

#include <jansson.h>
#include <stddef.h>

#include "../lib/buf.h"
#include "../lib/lang.h"
#include "../lib/pdf.h"

/* Limits, in bytes of UTF-8 after decoding and trimming. The body as sent
 * (percent-encoded: up to three bytes per byte) is refused over
 * TS_ANNEX_MAX_BODY before it is read. */
#define TS_ANNEX_MAX_BODY 32768
#define TS_ANNEX_MAX_NAME 200
#define TS_ANNEX_MAX_ADDRESS 500
#define TS_ANNEX_MAX_ADDRESS_LINES 8
#define TS_ANNEX_MAX_CONTACT 200
#define TS_ANNEX_MAX_EMAIL 254
#define TS_ANNEX_MAX_NUMBER 64
#define TS_ANNEX_MAX_ID 64        /* a product ID, a version, a language code */
#define TS_ANNEX_MAX_PRODUCTS 256 /* scopes.md's limit of scopes */

typedef enum ts_annex_field {
	AF_PRODUCT, /* "product", repeated: one per product */
	AF_VERSION, /* "current" (or empty) or a released version */
	AF_NAME,    /* required */
	AF_ADDRESS, /* line breaks allowed */
	AF_CONTACT,
	AF_EMAIL,
	AF_NUMBER, /* a customer or contract number */
	AF_DATE,   /* YYYY-MM-DD; empty: the version's date */
	AF_LANG,   /* the document's language; empty: the site's default */
	AF__COUNT,
	AF_NONE = -1
} ts_annex_field;

typedef enum ts_annex_err {
	AE_OK,
	AE_REQUIRED,   /* missing or empty (name, products) */
	AE_LONG,       /* longer than its limit */
	AE_UTF8,       /* not UTF-8 */
	AE_CONTROL,    /* a control or bidirectional formatting character */
	AE_LINES,      /* more lines than the address may have */
	AE_TWICE,      /* a field, or a product, given twice */
	AE_PRODUCT,    /* not a product of the data set */
	AE_MANY,       /* more than TS_ANNEX_MAX_PRODUCTS products */
	AE_VERSION,    /* not a version the index holds */
	AE_EMAIL,      /* not name@domain.tld */
	AE_DATE,       /* not a date */
	AE_DATE_EARLY, /* before the version's date */
	AE_LANG,       /* not a language of the site */
	AE_UNKNOWN,    /* a field the form does not have */
	AE_ENCODING,   /* a malformed %XX */
	AE_TYPE,       /* not application/x-www-form-urlencoded */
	AE_BODY        /* larger than TS_ANNEX_MAX_BODY */
} ts_annex_err;

typedef struct ts_annex_error {
	ts_annex_err code;
	ts_annex_field field; /* AF_NONE for the form as a whole */
	long max;             /* AE_LONG, AE_LINES, AE_MANY, AE_BODY */
	char name[48];        /* AE_UNKNOWN: the field's name, escaped */
	char date[16];        /* AE_DATE_EARLY: the version's date */
} ts_annex_error;

typedef struct ts_annex_form {
	char *v[AF__COUNT]; /* trimmed values (owned); NULL when absent */
	char **products;    /* AF_PRODUCT's values, as given (owned) */
	size_t nproducts;
} ts_annex_form;

/* The form field's name ("product", "name", ...). */
const char *ts_annex_field_name(ts_annex_field f);
/* Its limit in bytes. */
size_t ts_annex_field_max(ts_annex_field f);

/* Parses body (n bytes, no NUL needed) into f (which it initialises; free
 * with ts_annex_form_free). Returns 0, or -1 with the first error in e
 * (the whole body is still read, so f's language is known). */
int ts_annex_form_parse(const char *body, size_t n, ts_annex_form *f,
			ts_annex_error *e);
void ts_annex_form_free(ts_annex_form *f);

/* Checks f against the data set catalog (its scopes) and versions
 * (lib/indexfmt.h TC_IX_ANNEX_VERSIONS); on success *version is the
 * version's entry (borrowed) and products the product IDs in the data
 * set's order, comma-separated. Returns 0, or -1 with e set. */
int ts_annex_form_check(const ts_annex_form *f, json_t *catalog,
			json_t *versions, json_t **version, tc_buf *products,
			ts_annex_error *e);

/* The error as a sentence in language l, naming the field by its label
 * (lib/lang.h). */
void ts_annex_error_text(const tc_lang *l, const ts_annex_error *e,
			 tc_buf *out);

/* The document ID, 64 hex digits and a NUL, of the form f for the data set
 * with digest sha256, version, language lang, date and the products list
 * (comma-separated, the data set's order). */
void ts_annex_doc_id(const ts_annex_form *f, const char *sha256,
		     const char *version, const char *lang, const char *date,
		     const char *products, char out[65]);

typedef struct ts_index ts_index;

/* Makes the annex of form f (parsed) from ix, the index of its language,
 * in which it is written (ts_index_language). Returns 0 with the PDF in
 * pdf and its file name in fname; 1 with e set when f does not fit the
 * data (a 400); -1 with why set when the index lacks what it needs (a
 * 503: an index written before annexes were). */
int ts_annex_make(ts_index *ix, const ts_annex_form *f, tc_buf *pdf,
		  tc_buf *fname, ts_annex_error *e, tc_buf *why);

/* The fonts the annexes are set in, loaded and warmed up (a small annex
 * written with every font, weight and the box of a missing letter), and
 * libcrypto's SHA-256 used once, so that making an annex later opens no
 * file: call before the sandbox. NULL: each
 * annex loads its own (tests, the fuzz harness). */
void ts_annex_fonts_init(void);
tc_pdf_fonts *ts_annex_fonts(void);

#endif
