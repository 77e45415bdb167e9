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
#include "model.h"

/* The names of the published schemas, NULL-terminated: "tom", "search",
 * "error", "health". */
extern const char *const tc_apidoc_names[];

/* Loads every schema from tdir/schema/ as an object name -> schema (new),
 * each with "$id" set to its URL (tc_export_schema_url). Reports
 * unreadable or malformed files to d and returns NULL. */
json_t *tc_apidoc_load(const tc_model *m, const char *tdir, tc_diags *d);

/* The field reference of one schema (borrowed): a new list of
 * {"path": "categories[].measures[].id", "type": "string",
 * "description": "..."}, depth first, following "$ref"s into "$defs". */
json_t *tc_apidoc_fields(json_t *schema);

#endif
