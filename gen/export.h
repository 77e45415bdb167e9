/* export.h: the model as the exported JSON data set (see lib/tomdata.h for
 * its shape). The document is new; the caller owns it. */
#ifndef TC_EXPORT_H
#define TC_EXPORT_H

#include <jansson.h>

#include "model.h"

/* 2: cells gained "responsibility"; statuses "not-at-level" and
 * "client" for the ✓ of a client duty; "level" on measures. */
#define TC_SCHEMA_VERSION 2

json_t *tc_export_json(const tc_model *m);
/* A JSON file's bytes as tc publishes them (indented, key order kept, a
 * final newline), malloc'd; *len receives the length. */
char *tc_export_text(json_t *v, size_t *len);

#endif
