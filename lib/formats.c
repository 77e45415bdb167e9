#include "formats.h"

#include <string.h>

/* In the order of the /api/ page's list and of the product page's links. */
static const tc_format_info formats[TC_FMT__COUNT] = {
    [TC_FMT_JSON] = {.id = "json",
		     .media = "application/json",
		     .media_params = "; charset=utf-8",
		     .ext = "json",
		     .whole = R_TOM_JSON,
		     .product = R_PRODUCT_JSON,
		     .label = "JSON",
		     .api_key = "api_tom_json",
		     .api_digest = true,
		     .api_product = true,
		     .search = true,
		     .stored = true,
		     .doc = "the shape of api/tom.json"},
    [TC_FMT_CSV] = {.id = "csv",
		    .media = "text/csv",
		    .media_params = "; charset=utf-8; header=present",
		    .ext = "csv",
		    .whole = R_TOM_CSV,
		    .product = R_PRODUCT_CSV,
		    .label = "CSV",
		    .api_key = "api_tom_csv",
		    .api_product = true,
		    .search = true,
		    .stored = true,
		    .doc = "RFC 4180, UTF-8 with a byte order mark"},
    /* ';' between fields: German Excel opens it in columns */
    [TC_FMT_CSV_SEMICOLON] = {.id = "csv_semicolon",
			      .media = "text/csv",
			      .ext = "semicolon.csv",
			      .whole = R_TOM_CSV_SEMICOLON,
			      .product = R_PRODUCT_CSV_SEMICOLON,
			      .label_key = "csv_semicolon",
			      .api_key = "api_tom_semicolon_csv"},
    [TC_FMT_XLSX] = {.id = "xlsx",
		     .media = "application/"
			      "vnd.openxmlformats-officedocument."
			      "spreadsheetml.sheet",
		     .media_params = "",
		     .binary = true,
		     .ext = "xlsx",
		     .whole = R_TOM_XLSX,
		     .product = R_PRODUCT_XLSX,
		     .label = "Excel",
		     .api_key = "api_tom_xlsx",
		     .api_product = true,
		     .search = true,
		     .doc = "an Excel workbook"},
    /* a catalog of the whole set, a component-definition per product */
    [TC_FMT_OSCAL] = {.id = "oscal",
		      .media = "application/json",
		      .ext = "json",
		      .whole = R_OSCAL_CATALOG,
		      .product = R_OSCAL_COMPONENT,
		      .label = "OSCAL",
		      .api_key = "api_oscal_html",
		      .api_product = true},
};

const tc_format_info *tc_format_get(tc_format f)
{
	return &formats[f];
}

int tc_format_from_id(const char *id)
{
	for (int f = 0; f < TC_FMT__COUNT; f++)
		if (formats[f].search && !strcmp(formats[f].id, id))
			return f;
	return -1;
}

void tc_format_search_ids(tc_buf *out, bool with_doc)
{
	int n = 0, total = 0;
	for (int f = 0; f < TC_FMT__COUNT; f++)
		total += formats[f].search;
	for (int f = 0; f < TC_FMT__COUNT; f++) {
		if (!formats[f].search)
			continue;
		if (n)
			tc_buf_puts(out, n == total - 1 ? " or " : ", ");
		tc_buf_puts(out, formats[f].id);
		if (with_doc)
			tc_buf_printf(out, " (%s)", formats[f].doc);
		n++;
	}
}
