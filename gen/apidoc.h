/* apidoc.h: the published JSON Schemas and what the /api/ page says about
 * them.
 *
 * The schemas are files (templates/schema/<name>.schema.json, draft
 * 2020-12), written by hand once and checked by the tests against every
 * document tc-gen writes and tc-search answers. tc-gen publishes them under
 * api/schema/ with "$id" set to their absolute URL, the URL each document's
 * "$schema" names, and builds the /api/ page's field reference from their
 * descriptions, so the reference cannot drift from the schema. */
#ifndef TC_APIDOC_H
#define TC_APIDOC_H

#include <jansson.h>

#include "../lib/diag.h"
#include "../lib/lang.h"
#include "model.h"

/* The names of the published schemas, NULL-terminated: "tom", "search",
 * "error", "health". */
extern const char *const tc_apidoc_names[];

/* Loads every schema from tdir/schema/ as an object name -> schema (new),
 * each with "$id" set to its URL (tc_export_schema_url). Reports
 * unreadable or malformed files to d and returns NULL. */
json_t *tc_apidoc_load(const tc_model *m, const char *tdir, tc_diags *d);

/* The words of the schemas in language lang (G29 of issue 28): the file
 * templates/i18n/<lang>.schemas.json, a flat object from each English
 * title and description of the schemas, as written there, to its
 * translation. English has none (returns an empty object); another
 * language without the file gets an empty object too, so its /api/ page
 * shows the schemas' English (test_german fails on it). Read as a source
 * (gen/source.h: size, UTF-8, no control characters), with each word at
 * most TC_MAX_MSG_BYTES; a file that is not such an object is an error
 * at its line and column, reported to d, and NULL is returned. */
json_t *tc_apidoc_words(const char *tdir, const char *lang, tc_diags *d);
/* words' translation of english, or english itself. */
const char *tc_apidoc_word(const json_t *words, const char *english);

/* The most rows a schema's field reference has: a "$ref" that names its
 * own definition repeats the rows under it at every level (to depth 8),
 * so a small hostile file could make millions. tc_apidoc_load refuses a
 * schema that reaches it. The bundled schemas have under 200. */
#define TC_APIDOC_MAX_FIELDS 2000

/* The field reference of one schema (borrowed): a new list of
 * {"path": "categories[].measures[].id", "type": "string",
 * "description": "..."}, depth first, following "$ref"s into "$defs",
 * at most TC_APIDOC_MAX_FIELDS rows, the types in language l's words. */
json_t *tc_apidoc_fields(json_t *schema, const tc_lang *l);

#endif
