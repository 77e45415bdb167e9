/* frontmatter.h: YAML front matter, parsed with libyaml into jansson values.
 *
 * A source file may begin with a line "---", YAML, and a closing line "---".
 * Mappings become JSON objects, sequences arrays; plain scalars true/false
 * become booleans, plain integers integers, ~ and null null; everything else
 * (and every quoted scalar) is a string. Positions of keys and sequence items
 * are kept, so checks can report "file:line:col". */
#ifndef TC_FRONTMATTER_H
#define TC_FRONTMATTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../lib/diag.h"

typedef struct fm_doc fm_doc;

/* Parses src (len bytes, borrowed for the life of the doc). Returns NULL
 * and reports to d when the YAML is malformed or the closing "---" is
 * missing. A file without front matter gives an empty object. */
fm_doc *fm_parse(const char *file, const char *src, size_t len, tc_diags *d);
void fm_free(fm_doc *doc);
/* fm_parse for a file that must have front matter: reports one without
 * ("missing front matter ...") and returns NULL. */
fm_doc *fm_parse_required(const char *file, const char *src, size_t len,
			  tc_diags *d);

/* The front matter as an object (borrowed). */
json_t *fm_root(const fm_doc *doc);
bool fm_present(const fm_doc *doc);
/* The text after the front matter (borrowed), and its first line number. */
const char *fm_body(const fm_doc *doc);
size_t fm_body_len(const fm_doc *doc);
int fm_body_line(const fm_doc *doc);

/* Position of the key in obj, or of item idx of an array (key NULL).
 * Falls back to the start of the front matter. */
void fm_pos(const fm_doc *doc, const json_t *container, const char *key,
	    size_t idx, int *line, int *col);

typedef enum fm_type {
	FM_STRING,
	FM_BOOL,
	FM_INT,
	FM_LIST,
	FM_STRINGS,
	FM_MAP
} fm_type;

typedef struct fm_key {
	const char *name;
	fm_type type; /* FM_STRINGS: a list of strings; FM_MAP: a mapping */
	bool required;
} fm_key;

/* Checks obj (a mapping of doc) against a schema ending in {NULL}: reports
 * unknown keys, missing required keys, values of the wrong type and
 * required strings that are empty or only white space (at the key).
 * Returns the number of problems. */
int fm_check(const fm_doc *doc, const json_t *obj, const fm_key *schema,
	     tc_diags *d);

#endif
