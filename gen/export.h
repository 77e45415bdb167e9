/* export.h: the model as the exported JSON data set (see lib/tomdata.h for
 * its shape). The document is new; the caller owns it. */
#ifndef TC_EXPORT_H
#define TC_EXPORT_H

#include <jansson.h>

#include "../lib/lang.h"
#include "model.h"

/* NULL when jansson refused part of the model: an internal error, never
 * a document with holes. Its URLs are language l's. */
json_t *tc_export_json(const tc_model *m, const tc_lang *l);
/* A measure's mappings as {"framework": ["control", ...]} (new). */
json_t *tc_export_mappings(const tc_measure *me);
/* The absolute URL of the published JSON Schema name ("tom", "search"):
 * what a document's "$schema" says (caller frees). */
char *tc_export_schema_url(const tc_model *m, const char *name);
/* api/tom.json's bytes in language l (lib/model.h tc_model_write of all
 * of m), malloc'd; *len receives the length. What tc_export_text wrote of
 * tc_export_json(m, l), without the tree (which is made only where the
 * data is still JSON: a translation's releases, tc_release_write). */
char *tc_export_model_text(const tc_model *m, const tc_lang *l, size_t *len);
/* A JSON file's bytes as tc publishes them (indented, key order kept, a
 * final newline), malloc'd; *len receives the length. NULL (and *len 0)
 * when jansson cannot write it. */
char *tc_export_text(json_t *v, size_t *len);

#endif
