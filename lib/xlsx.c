#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "fsx.h"
#include "lang.h"
#include "tomdata.h"
#include "vocab.h"

/* Excel's limits: a cell holds at most 32767 characters, a hyperlink at
 * most 2079, a sheet at most 65530 hyperlinks. Past them the text is cut
 * (at a UTF-8 boundary) and URLs become plain text, never an error. */
#define CELL_MAX 32767
#define URL_MAX 2079

typedef struct book {
	lxw_workbook *wb;
	lxw_format *head, *wrap, *link, *title, *bold;
	tc_buf cut;
	size_t urls;
} book;

static const char *fit(book *B, const char *s)
{
	size_t n = strlen(s);
	if (n <= CELL_MAX)
		return s;
	n = CELL_MAX;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	tc_buf_clear(&B->cut);
	tc_buf_put(&B->cut, s, n);
	return tc_buf_cstr(&B->cut);
}

static void put(book *B, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		const char *s, lxw_format *f)
{
	if (s && *s)
		worksheet_write_string(ws, r, c, fit(B, s), f);
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The data's date as the workbook's creation time: same data, same bytes. */
static time_t date_time(const char *date)
{
	struct tm tm = {0};
	if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) !=
	    3)
		return 86400; /* 1970-01-02: 0 would mean "now" */
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return timegm(&tm);
}

static void formats(book *B)
{
	B->head = workbook_add_format(B->wb);
	format_set_bold(B->head);
	format_set_bg_color(B->head, 0xDDE5F0);
	format_set_text_wrap(B->head);
	B->wrap = workbook_add_format(B->wb);
	format_set_text_wrap(B->wrap);
	format_set_align(B->wrap, LXW_ALIGN_VERTICAL_TOP);
	B->link = workbook_add_format(B->wb);
	format_set_underline(B->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(B->link, LXW_COLOR_BLUE);
	format_set_align(B->link, LXW_ALIGN_VERTICAL_TOP);
	B->title = workbook_add_format(B->wb);
	format_set_bold(B->title);
	format_set_font_size(B->title, 14);
	B->bold = workbook_add_format(B->wb);
	format_set_bold(B->bold);
	format_set_align(B->bold, LXW_ALIGN_VERTICAL_TOP);
}

/* A URL as a hyperlink while Excel takes one, else as text. */
static void url_cell(book *B, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		     const char *url)
{
	if (!*url)
		return;
	if (B->urls < LXW_MAX_NUMBER_URLS && strlen(url) <= URL_MAX &&
	    (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) &&
	    worksheet_write_url(ws, r, c, url, B->link) == LXW_NO_ERROR) {
		B->urls++;
		return;
	}
	put(B, ws, r, c, url, B->wrap);
}

/* ---- the cover sheet ---- */

static lxw_row_t about_row(book *B, lxw_worksheet *ws, lxw_row_t r,
			   const char *k, const char *v)
{
	put(B, ws, r, 0, k, B->bold);
	put(B, ws, r, 1, v, B->wrap);
	return r + 1;
}

static void about(book *B, json_t *doc, const char *sha)
{
	/* the workbook's words are the current language's (lib/lang.h); IDs
	 * stay as the JSON and CSV have them */
	lxw_worksheet *ws = workbook_add_worksheet(B->wb, tc_msg("xlsx.about"));
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, 1, 90, B->wrap);
	worksheet_set_column(ws, 2, 2, 40, B->wrap);
	tc_buf t = TC_BUF_INIT;
	tc_buf_printf(&t, "%s %s", jstr(doc, "organisation"),
		      jstr(doc, "title"));
	const char *site = tc_buf_cstr(&t);
	tc_buf heading = TC_BUF_INIT;
	tc_msgf(&heading, "xlsx.title", "site", site, NULL);
	tc_buf_clear(&t);
	tc_buf_puts(&t, tc_buf_cstr(&heading));
	tc_buf_free(&heading);
	put(B, ws, 0, 0, tc_buf_cstr(&t), B->title);
	lxw_row_t r = 2;
	r = about_row(B, ws, r, tc_msg("xlsx.organisation"), jstr(doc, "organisation"));
	r = about_row(B, ws, r, tc_msg("version"), jstr(doc, "version"));
	r = about_row(B, ws, r, tc_msg("date"), jstr(doc, "date"));
	r = about_row(B, ws, r, tc_msg("xlsx.sha256"), sha);
	tc_buf_clear(&t);
	tc_buf_printf(&t, "%lld",
		      (long long)json_integer_value(
			  json_object_get(doc, "schema_version")));
	r = about_row(B, ws, r, tc_msg("xlsx.schema_version"), tc_buf_cstr(&t));
	put(B, ws, r, 0, tc_msg("xlsx.source"), B->bold);
	tc_buf_clear(&t);
	tc_buf_printf(&t, "%s/api/tom.json", jstr(doc, "base_url"));
	url_cell(B, ws, r++, 1, tc_buf_cstr(&t));
	json_t *f = json_object_get(doc, "filter");
	tc_buf_clear(&t);
	const char *k;
	json_t *v;
	json_object_foreach (f, k, v)
		tc_buf_printf(&t, "%s%s=%s", t.len ? ", " : "", k,
			      json_string_value(v));
	r = about_row(B, ws, r, tc_msg("xlsx.filter"),
		      t.len ? tc_buf_cstr(&t) : tc_msg("xlsx.filter_none"));
	tc_buf_clear(&t);
	tc_msgf(&t, "xlsx.sheet", "sheet", tc_msg("xlsx.measures"), NULL);
	r = about_row(B, ws, r, tc_buf_cstr(&t), tc_msg("xlsx.sheet_about"));
	r = about_row(B, ws, r, tc_msg("xlsx.mappings"),
		      tc_msg("xlsx.mappings_about"));
	r++;
	put(B, ws, r, 0, tc_msg("status"), B->head);
	put(B, ws, r, 1, tc_msg("xlsx.icon"), B->head);
	put(B, ws, r++, 2, tc_msg("xlsx.id_in_data"), B->head);
	for (int s = 0; s < ST__COUNT; s++) {
		put(B, ws, r, 0, tc_status_title((tc_status)s), B->bold);
		put(B, ws, r, 1, tc_status_icon((tc_status)s), B->wrap);
		put(B, ws, r++, 2, tc_status_id((tc_status)s), B->wrap);
	}
	r++;
	put(B, ws, r, 0, tc_msg("xlsx.responsibility"), B->head);
	put(B, ws, r, 1, tc_msg("api_meaning"), B->head);
	put(B, ws, r++, 2, tc_msg("xlsx.id_in_data"), B->head);
	for (int s = 0; s < RS__COUNT; s++) {
		put(B, ws, r, 0, tc_resp_title((tc_resp)s), B->bold);
		put(B, ws, r, 1, tc_resp_phrase((tc_resp)s), B->wrap);
		put(B, ws, r++, 2, tc_resp_id((tc_resp)s), B->wrap);
	}
	tc_buf_free(&t);
}

/* ---- the measures ---- */

/* the column headings' catalogue keys */
static const char *cols[] = {
    "xlsx.category", "xlsx.measure_id",	    "measure",
    "xlsx.scope",    "xlsx.scope_kind",	    "status",
    "xlsx.responsibility", "xlsx.mark",	    "xlsx.note",
    "xlsx.mappings", "xlsx.url",	    "xlsx.category_id",
    "xlsx.scope_id", NULL};
static const double widths[] = {22, 11, 50, 18, 12, 20, 20, 10,
				40, 24, 30, 18, 18};

static const char *status_word(const char *id)
{
	int s = tc_status_from_id(id);
	return s < 0 ? id : tc_status_title((tc_status)s);
}

static const char *resp_word(const char *id)
{
	int s = tc_resp_from_id(id);
	return s < 0 ? id : tc_resp_title((tc_resp)s);
}

static void measures(book *B, json_t *doc)
{
	lxw_worksheet *ws =
	    workbook_add_worksheet(B->wb, tc_msg("xlsx.measures"));
	lxw_col_t nc = 0;
	for (; cols[nc]; nc++) {
		worksheet_set_column(ws, nc, nc, widths[nc],
				     nc == 2 || nc == 8 ? B->wrap : NULL);
		put(B, ws, 0, nc, tc_msg(cols[nc]), B->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	json_t *scopes = json_object_get(doc, "scopes");
	tc_buf maps = TC_BUF_INIT;
	lxw_row_t r = 1;
	size_t i, j, k;
	json_t *c, *me, *s;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		json_array_foreach (json_object_get(c, "measures"), j, me) {
			json_t *cells = json_object_get(me, "cells");
			tc_buf_clear(&maps);
			tc_tom_mappings_text(json_object_get(me, "mappings"),
					     &maps);
			/* scope order, as in the CSV */
			json_array_foreach (scopes, k, s) {
				json_t *cell =
				    json_object_get(cells, jstr(s, "id"));
				if (!cell)
					continue;
				put(B, ws, r, 0, jstr(c, "title"), B->wrap);
				put(B, ws, r, 1, jstr(me, "id"), B->wrap);
				put(B, ws, r, 2, jstr(me, "text"), B->wrap);
				put(B, ws, r, 3, jstr(s, "name"), B->wrap);
				put(B, ws, r, 4, jstr(s, "kind"), B->wrap);
				put(B, ws, r, 5,
				    status_word(jstr(cell, "status")), B->wrap);
				put(B, ws, r, 6,
				    resp_word(jstr(cell, "responsibility")),
				    B->wrap);
				put(B, ws, r, 7, jstr(cell, "label"), B->wrap);
				put(B, ws, r, 8, jstr(cell, "note"), B->wrap);
				put(B, ws, r, 9, tc_buf_cstr(&maps), B->wrap);
				url_cell(B, ws, r, 10, jstr(me, "url"));
				put(B, ws, r, 11, jstr(c, "id"), B->wrap);
				put(B, ws, r, 12, jstr(s, "id"), B->wrap);
				r++;
			}
		}
	}
	worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, nc - 1);
	worksheet_activate(ws);
	tc_buf_free(&maps);
}

int tc_xlsx_write(json_t *doc, const char *tom_sha256, const char *path)
{
	/* rows go to a temporary file as they are written: a big site's
	 * workbooks would otherwise be whole in memory (hundreds of MB) */
	lxw_workbook_options o = {.constant_memory = LXW_TRUE,
				  .tmpdir = NULL,
				  .use_zip64 = LXW_FALSE};
	book B = {.wb = workbook_new_opt(path, &o), .cut = TC_BUF_INIT};
	if (!B.wb)
		return -1;
	lxw_doc_properties props = {
	    .title = (char *)jstr(doc, "title"),
	    .company = (char *)jstr(doc, "organisation"),
	    .subject = (char *)tc_msg("toms_long"),
	    .created = date_time(jstr(doc, "date"))};
	workbook_set_properties(B.wb, &props);
	formats(&B);
	about(&B, doc, tom_sha256);
	measures(&B, doc);
	lxw_error e = workbook_close(B.wb);
	tc_buf_free(&B.cut);
	return e == LXW_NO_ERROR ? 0 : -1;
}

int tc_xlsx_buf(json_t *doc, const char *tom_sha256, tc_buf *out)
{
	const char *dir = getenv("TMPDIR");
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/tc-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(p.data);
	if (fd < 0) {
		tc_buf_free(&p);
		return -1;
	}
	close(fd);
	int rc = tc_xlsx_write(doc, tom_sha256, tc_buf_cstr(&p));
	size_t len = 0;
	char *data = rc ? NULL : tc_read_file(tc_buf_cstr(&p), &len);
	unlink(tc_buf_cstr(&p));
	tc_buf_free(&p);
	if (!data)
		return -1;
	tc_buf_put(out, data, len);
	free(data);
	return 0;
}
