/* openapi.h: tc-search's OpenAPI 3.1 description, built from its endpoint
 * table (endpoints.h), the formats (lib/formats.h) and the limits of its
 * parameter table (params.h), so the description cannot promise what the
 * service refuses, or the reverse (tests/test_openapi.c checks every
 * declared value against the validators; the integration suite sends
 * thousands of requests generated from it).
 *
 * Enumerations (products, categories, statuses, formats) come from the data
 * the service answers from and from lib/vocab. Response bodies refer to the
 * published JSON Schemas relative to the description's own URL
 * ("schema/search.schema.json" from /api/openapi.json), so they resolve on
 * any host and in a folder holding a copy. */
#ifndef TS_OPENAPI_H
#define TS_OPENAPI_H

#include <jansson.h>

#include "params.h"

/* The description (new). doc: the exported data; changes: the change data
 * (lib/changes.h; NULL: no list of versions); langs: the site's language
 * codes, the default first (NULL: any code); base_url: the site's address
 * ("" for none). */
json_t *ts_openapi(json_t *doc, json_t *changes, json_t *langs,
		   const char *base_url);

/* The JSON Schema of one parameter's value (new), as the description
 * declares it: the IDs and versions the data has as enums. */
json_t *ts_param_schema(ts_param p, json_t *doc, json_t *changes,
			json_t *langs);

#endif
