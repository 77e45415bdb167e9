/* formats.h: every download format of the data set, in one table.
 *
 * A format is a row: its ID (tc-search's `format=` value and the OpenAPI
 * enum, for those tc-search exports), its media type, the extension of the
 * file name tc-search gives it, the static files tc-gen writes (the whole
 * set's and each product's route, lib/routes.h), its words on the /api/
 * page and the product page, and whether tc-search answers it from the
 * index as stored or builds it. Everything that lists formats reads this
 * table: tc-search's parameter validator (cgi/params.c), the OpenAPI
 * description (cgi/openapi.c), the export's dispatch and Content-Type
 * (cgi/app.c), tc-gen's static downloads and the download lists of the
 * product and /api/ pages (gen/site.c).
 *
 * Which code writes a format is the one thing a table in lib/ cannot
 * hold (the OSCAL writer needs tc-gen's model): each binary switches over
 * tc_format without a default, so the compiler (-Wswitch, an error under
 * WERROR) names every writer a new row still lacks. */
#ifndef TC_FORMATS_H
#define TC_FORMATS_H

#include <stdbool.h>

#include "buf.h"
#include "routes.h"

typedef enum tc_format {
	TC_FMT_JSON,
	TC_FMT_CSV,
	TC_FMT_CSV_SEMICOLON,
	TC_FMT_XLSX,
	TC_FMT_OSCAL,
	TC_FMT__COUNT
} tc_format;

/* A route slot that a format has no file for. */
#define TC_FMT_NO_ROUTE R__COUNT

typedef struct tc_format_info {
	/* "csv": tc-search's format= value when `search`; otherwise a key
	 * (the product view's `<id>_url`) */
	const char *id;
	/* the media type ("text/csv") and, for a `search` format, what
	 * tc-search's Content-Type adds to it ("; charset=utf-8;
	 * header=present") */
	const char *media, *media_params;
	bool binary;     /* not text: no UTF-8 check, contentMediaType */
	const char *ext; /* tc-search's file name: "<filters>.<ext>" */
	/* the whole set's static file and each product's (TC_FMT_NO_ROUTE:
	 * none) */
	tc_route whole, product;
	/* its name in a list of links: a word that is the same in every
	 * language ("CSV"), or NULL and a catalogue key (lib/lang.h) */
	const char *label, *label_key;
	/* the catalogue key of its row in the /api/ page's list of the whole
	 * set's files; a key ending in "_html" is HTML (lib/lang.h) */
	const char *api_key;
	bool api_digest;  /* that row prints the file's SHA-256 */
	bool api_product; /* a column of the /api/ page's per-product table */
	bool search;      /* tc-search's /api/export writes it */
	bool stored;      /* ... from the index as tc-gen stored it, when
			     unfiltered (gen/index.c) */
	/* tc-search's word for it in the OpenAPI description:
	 * "csv (<doc>)" */
	const char *doc;
} tc_format_info;

const tc_format_info *tc_format_get(tc_format f);

/* The format tc-search's format= names (a `search` row), or -1. */
int tc_format_from_id(const char *id);

/* "json, csv or xlsx": the IDs of the formats tc-search exports, as a
 * sentence lists them (with `doc`: "json (the shape of ...), ..."). */
void tc_format_search_ids(tc_buf *out, bool with_doc);

#endif
