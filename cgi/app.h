/* app.h: one HTTP request in, one response out; no I/O.
 *
 * Routes: GET|HEAD /api/search, /api/export, /api/health, /api/openapi.json
 * (the description of them all, built from the routes and the parameter
 * table: openapi.h); POST /api/annex (a customer's annex as a PDF, from a
 * form: annex.h), whose body is too large is a 413. Every request is checked
 * against the parameter table (params.h) before a handler runs. Errors are 4xx
 * with a JSON body, or an HTML page when the client asked for HTML (Accept:
 * text/html, as a form submission does); the only 5xx is a 503: when a workbook
 * cannot be written for lack of temporary space, when the index is broken
 * (ts_index_broken, at any time), and when an answer fails the last check
 * before it is sent (JSON that does not parse, text that is not UTF-8).
 * The server (server.h) fills ts_request from FastCGI or CGI variables and
 * writes the serialized response. */
#ifndef TS_APP_H
#define TS_APP_H

#include "../lib/buf.h"
#include "search.h"

typedef struct ts_request {
	const char *method, *path, *query, *accept, *if_none_match;
	/* POST /api/annex only: the form (not NUL-terminated), its type, and
	 * whether it was larger than TS_ANNEX_MAX_BODY (left unread) */
	const char *content_type, *body;
	size_t body_len;
	int body_over;
} ts_request;

typedef struct ts_response {
	int status;
	tc_buf headers; /* "Name: value\r\n" lines, without Status */
	tc_buf body;
	int head;    /* HEAD: headers only */
	tc_buf note; /* for the log: why an answer became a 503 */
} ts_response;

/* 1 when the client asked for HTML (a form submission does): decides the
 * representation, so the answer cache keys on it too. */
int ts_wants_html(const ts_request *rq);

/* Answers rq from ix into rs (which it initialises; free with
 * ts_response_free). */
void ts_handle(ts_index *ix, const ts_request *rq, ts_response *rs);
/* "Status: ...\r\n", headers, Content-Length, blank line, body. */
void ts_response_serialize(const ts_response *rs, tc_buf *out);
void ts_response_free(ts_response *rs);

#endif
