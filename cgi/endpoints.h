/* endpoints.h: tc-search's endpoints, in one table: each path with the
 * parameters it takes and requires (params.h), its summary and the JSON
 * Schema of its answer. app.c routes requests by it (a handler per entry,
 * in its order); openapi.c describes it, so a parameter added here is in
 * /api/openapi.json at once. Neither of them includes the other's header:
 * the description is made from this table, the parameter table and the
 * formats (lib/formats.h), not from the routing's internals. */
#ifndef TS_ENDPOINTS_H
#define TS_ENDPOINTS_H

#include <stddef.h>

#include "params.h"

/* In the order of the table. */
typedef enum ts_endpoint_id {
	EP_SEARCH,
	EP_EXPORT,
	EP_CHANGES,
	EP_HEALTH,
	EP_OPENAPI,
	EP_ANNEX,
	EP__COUNT
} ts_endpoint_id;

typedef struct ts_endpoint {
	const char *path;
	unsigned allowed, required; /* TS_BIT(ts_param) sets */
	const char *summary;
	const char *schema; /* the JSON Schema of its 200 answer, or NULL */
	int html;           /* answers HTML too, when asked (Accept) */
	int post; /* POST with a form (cgi/annex.h), not GET and HEAD */
} ts_endpoint;

/* The table, *n (EP__COUNT) entries. */
const ts_endpoint *ts_endpoints(size_t *n);

#endif
