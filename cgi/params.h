/* params.h: query-string parameters, declared once with a validator each.
 *
 * Every request's query string is decoded and checked against the table
 * before any handler runs: a parameter that is unknown to the endpoint,
 * given twice, badly percent-encoded, not UTF-8, or refused by its
 * validator makes the request a 400 with a message saying which and why. */
#ifndef TS_PARAMS_H
#define TS_PARAMS_H

#include <jansson.h>
#include <stddef.h>

#include "../lib/buf.h"

typedef enum ts_param {
	P_Q,
	P_PRODUCT,
	P_CATEGORY,
	P_STATUS,
	P_RESP, /* "responsibility": a comma list */
	P_LIMIT,
	P_OFFSET,
	P_FORMAT,
	P_SINCE,
	P_LANG, /* the answer's language: en (default), de */
	P__COUNT
} ts_param;

#define TS_BIT(p) (1u << (p))
#define TS_MAX_QUERY 200 /* bytes of q */
#define TS_LIMIT_MAX 100
#define TS_OFFSET_MAX 100000

typedef struct ts_params {
	char *v[P__COUNT]; /* decoded values, NULL when absent (owned) */
	long limit, offset;
} ts_params;

/* Decodes %XX and '+' into out. Returns -1 on a malformed escape. */
int ts_percent_decode(const char *s, size_t n, tc_buf *out);

/* Parses query (may be NULL) for an endpoint that accepts the parameters in
 * the allowed bit set and requires those in required. doc is the exported
 * data, which the product/category validators check IDs against. Returns 0,
 * or -1 with a message in err. p is filled either way; free with
 * ts_params_free. */
int ts_params_parse(const char *query, unsigned allowed, unsigned required,
		    json_t *doc, ts_params *p, tc_buf *err);
void ts_params_free(ts_params *p);
const char *ts_param_name(ts_param p);

#endif
