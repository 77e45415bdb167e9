/* export.h: the model as the exported JSON data set (see lib/tomdata.h for
 * its shape). The document is new; the caller owns it. */
#ifndef TC_EXPORT_H
#define TC_EXPORT_H

#include <jansson.h>

#include "model.h"

#define TC_SCHEMA_VERSION 1

/* NULL when jansson refused part of the model: an internal error, never
 * a document with holes. */
json_t *tc_export_json(const tc_model *m);
/* A JSON file's bytes as tc publishes them (indented, key order kept, a
 * final newline), malloc'd; *len receives the length. NULL (and *len 0)
 * when jansson cannot write it. */
char *tc_export_text(json_t *v, size_t *len);
/* The URL path of a category page, "/categories/<id>/" (caller frees). */
char *tc_category_url(const tc_category *c);

#endif
