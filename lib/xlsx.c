#define _GNU_SOURCE /* memfd_create */
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "fsx.h"
#include "lang.h"
#include "model.h"
#include "routes.h"
#include "sha256.h"
#include "vocab.h"

/* Excel's limits: a cell holds at most 32767 characters, a hyperlink at
 * most 2079, a sheet at most 65530 hyperlinks. Past them the text is cut
 * (at a UTF-8 boundary) and URLs become plain text, never an error. */
#define CELL_MAX 32767
#define URL_MAX 2079

typedef struct book {
	const tc_model *m; /* the data set */
	const tc_pick *p;  /* what of it the workbook holds */
	const tc_lang *l;  /* the words' language */
	lxw_workbook *wb;
	lxw_format *head, *wrap, *link, *title, *bold;
	tc_buf cut;
	size_t urls;
	bool no_sheet; /* a sheet name libxlsxwriter refused */
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

/* A string of the model, "" for none. */
static const char *str(const char *s)
{
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

/* Which language version binds (site.md's governing_language), as every
 * annex names it: its data file and digest, and whether this workbook's
 * words are that version or a translation of it. None when the caller set
 * no governing language (lib/lang.h). */
static lxw_row_t governing_rows(book *B, lxw_worksheet *ws, lxw_row_t r,
				tc_buf *t)
{
	const tc_governing *gv = tc_lang_governing(B->l);
	if (!gv)
		return r;
	tc_buf_clear(t);
	tc_buf_printf(t, "%s (%s): %s, SHA-256 %s",
		      tc_lang_name(B->l, gv->lang), gv->lang->code, gv->url,
		      gv->sha256);
	r = about_row(B, ws, r, tc_msg(B->l, "governing"), tc_buf_cstr(t));
	bool this = !strcmp(gv->lang->code, B->l->code);
	/* a workbook is not the annex: its own words for a translation */
	return about_row(
	    B, ws, r, "",
	    tc_msg(B->l, this ? "governing_this" : "xlsx.governing_other"));
}

/* The filters that made the pick, "product=box, status=provided" ("" when
 * none), in the order a filtered api/tom.json records them. */
static void filter_text(const tc_pick *p, tc_buf *t)
{
	static const char *const keys[] = {
	    "product", "category", "status", "responsibility", "q", NULL};
	for (const char *const *k = keys; *k; k++) {
		const char *v = tc_pick_filter_get(p, *k);
		if (v)
			tc_buf_printf(t, "%s%s=%s", t->len ? ", " : "", *k, v);
	}
}

static void about(book *B, const char *sha)
{
	/* the workbook's words are its language's (B->l, lib/lang.h); IDs
	 * stay as the JSON and CSV have them */
	lxw_worksheet *ws =
	    workbook_add_worksheet(B->wb, tc_msg(B->l, "xlsx.about"));
	/* catalogues are checked for Excel's rules (lib/lang.c); should one
	 * slip through, no workbook beats a NULL sheet */
	if (!ws) {
		B->no_sheet = true;
		return;
	}
	worksheet_set_column(ws, 0, 0, 26, NULL);
	worksheet_set_column(ws, 1, 1, 90, B->wrap);
	worksheet_set_column(ws, 2, 2, 40, B->wrap);
	tc_buf t = TC_BUF_INIT;
	const tc_model *m = B->m;
	tc_buf_printf(&t, "%s %s", str(m->organisation), str(m->title));
	const char *site = tc_buf_cstr(&t);
	tc_buf heading = TC_BUF_INIT;
	tc_msgf(&heading, B->l, "xlsx.title", "site", site, NULL);
	tc_buf_clear(&t);
	tc_buf_puts(&t, tc_buf_cstr(&heading));
	tc_buf_free(&heading);
	put(B, ws, 0, 0, tc_buf_cstr(&t), B->title);
	lxw_row_t r = 2;
	r = about_row(B, ws, r, tc_msg(B->l, "xlsx.organisation"),
		      str(m->organisation));
	r = about_row(B, ws, r, tc_msg(B->l, "version"), str(m->version));
	r = about_row(B, ws, r, tc_msg(B->l, "date"), str(m->date));
	/* the file that digest is of: this language's api/tom.json, by the
	 * name the annexes give it ("de/api/tom.json") */
	tc_buf file = TC_BUF_INIT;
	tc_route_file(&file, B->l, R_TOM_JSON, NULL, NULL);
	tc_buf_clear(&t);
	tc_msgf(&t, B->l, "xlsx.sha256", "file", tc_buf_cstr(&file), NULL);
	r = about_row(B, ws, r, tc_buf_cstr(&t), sha);
	tc_buf_clear(&t);
	tc_buf_printf(&t, "%d", TC_SCHEMA_VERSION);
	r = about_row(B, ws, r, tc_msg(B->l, "xlsx.schema_version"),
		      tc_buf_cstr(&t));
	put(B, ws, r, 0, tc_msg(B->l, "xlsx.source"), B->bold);
	tc_buf_clear(&t);
	tc_buf_printf(&t, "%s/%s", str(m->base_url), tc_buf_cstr(&file));
	tc_buf_free(&file);
	url_cell(B, ws, r++, 1, tc_buf_cstr(&t));
	r = governing_rows(B, ws, r, &t);
	tc_buf_clear(&t);
	filter_text(B->p, &t);
	r = about_row(B, ws, r, tc_msg(B->l, "xlsx.filter"),
		      t.len ? tc_buf_cstr(&t)
			    : tc_msg(B->l, "xlsx.filter_none"));
	tc_buf_clear(&t);
	tc_msgf(&t, B->l, "xlsx.sheet", "sheet", tc_msg(B->l, "xlsx.measures"),
		NULL);
	r = about_row(B, ws, r, tc_buf_cstr(&t),
		      tc_msg(B->l, "xlsx.sheet_about"));
	r = about_row(B, ws, r, tc_msg(B->l, "xlsx.mappings"),
		      tc_msg(B->l, "xlsx.mappings_about"));
	r++;
	put(B, ws, r, 0, tc_msg(B->l, "status"), B->head);
	put(B, ws, r, 1, tc_msg(B->l, "xlsx.icon"), B->head);
	put(B, ws, r++, 2, tc_msg(B->l, "xlsx.id_in_data"), B->head);
	for (int s = 0; s < ST__COUNT; s++) {
		put(B, ws, r, 0, tc_status_title(B->l, (tc_status)s), B->bold);
		put(B, ws, r, 1, tc_status_icon((tc_status)s), B->wrap);
		put(B, ws, r++, 2, tc_status_id((tc_status)s), B->wrap);
	}
	r++;
	put(B, ws, r, 0, tc_msg(B->l, "xlsx.responsibility"), B->head);
	put(B, ws, r, 1, tc_msg(B->l, "api_meaning"), B->head);
	put(B, ws, r++, 2, tc_msg(B->l, "xlsx.id_in_data"), B->head);
	for (int s = 0; s < RS__COUNT; s++) {
		put(B, ws, r, 0, tc_resp_title(B->l, (tc_resp)s), B->bold);
		put(B, ws, r, 1, tc_resp_phrase(B->l, (tc_resp)s), B->wrap);
		put(B, ws, r++, 2, tc_resp_id((tc_resp)s), B->wrap);
	}
	tc_buf_free(&t);
}

/* ---- the measures, row by row ---- */

enum { NCOLS = 13, COL_URL = 10 };

/* the column headings' catalogue keys */
static const char *cols[] = {"xlsx.category",
			     "xlsx.measure_id",
			     "measure",
			     "xlsx.scope",
			     "xlsx.scope_kind",
			     "status",
			     "xlsx.responsibility",
			     "xlsx.mark",
			     "xlsx.note",
			     "xlsx.mappings",
			     "xlsx.url",
			     "xlsx.category_id",
			     "xlsx.scope_id",
			     NULL};
static const double widths[] = {22, 11, 50, 18, 12, 20, 20,
				10, 40, 24, 30, 18, 18};

/* a scope's kind in the language's words (English: its ID) */
static const char *kind_word(const tc_lang *l, tc_scope_kind k)
{
	static const char *const keys[SK__COUNT] = {
	    [SK_PRODUCT] = "kind.product",
	    [SK_SITE] = "kind.site",
	    [SK_INTERNAL] = "kind.internal",
	    [SK_ORGANISATION] = "kind.organisation"};
	return tc_msg(l, keys[k]);
}

/* One row of the Measures sheet: its columns' text, borrowed from the
 * model (the mappings and URL from each_row's buffers, until the next
 * measure). */
typedef struct mrow {
	const char *v[NCOLS];
} mrow;

typedef int (*row_fn)(void *ud, const mrow *row);

/* What each_row keeps from measure to measure. */
typedef struct rows {
	const tc_model *m;
	const tc_pick *p;
	const tc_lang *l;
	tc_buf maps, url;
	size_t *order; /* a table's columns by scope, for the measure's */
	size_t norder;
} rows;

/* The columns of table t in the order of the model's scopes (the order
 * api/tom.json lists them in and the CSV's rows follow), into R->order. */
static void scope_order(rows *R, const tc_table *t)
{
	if (R->norder < t->nscopes) {
		free(R->order);
		R->order = tc_xcalloc(t->nscopes, sizeof *R->order);
		R->norder = t->nscopes;
	}
	for (size_t j = 0; j < t->nscopes; j++) {
		size_t at = j; /* insertion: tables are a few columns wide */
		while (at && t->scopes[R->order[at - 1]] > t->scopes[j]) {
			R->order[at] = R->order[at - 1];
			at--;
		}
		R->order[at] = j;
	}
}

/* The rows of measure k of category ci, in scope order as in the CSV. */
static int measure_rows(rows *R, size_t ci, size_t k, row_fn fn, void *ud)
{
	const tc_model *m = R->m;
	const tc_category *c = &m->categories[ci];
	const tc_measure *me = &c->measures[k];
	const tc_table *t = &c->tables[me->table];
	tc_buf_clear(&R->maps);
	tc_model_mappings_text(me, &R->maps);
	tc_buf_clear(&R->url);
	tc_buf_puts(&R->url, str(m->base_url));
	tc_route_measure_url(&R->url, R->l, c->id, me->id);
	mrow row = {{str(c->title), str(me->id), str(me->text_data)}};
	row.v[9] = tc_buf_cstr(&R->maps);
	row.v[COL_URL] = tc_buf_cstr(&R->url);
	row.v[11] = str(c->id);
	scope_order(R, t);
	for (size_t o = 0; o < t->nscopes; o++) {
		size_t j = R->order[o];
		if (!tc_pick_cell(R->p, ci, k, j))
			continue;
		const tc_scope *sc = &m->scopes[t->scopes[j]];
		const tc_cell *cell = &me->cells[j];
		row.v[3] = str(sc->name);
		row.v[4] = kind_word(R->l, sc->kind);
		row.v[5] = tc_status_title(R->l, cell->status);
		row.v[6] = tc_resp_title(R->l, cell->resp);
		row.v[7] = str(cell->label);
		row.v[8] = str(cell->note_data);
		row.v[12] = str(sc->id);
		int rc = fn(ud, &row);
		if (rc)
			return rc;
	}
	return 0;
}

/* Calls fn for every row of the sheet, in order; stops at fn's first
 * non-zero answer and returns it. */
static int each_row(const tc_model *m, const tc_pick *p, const tc_lang *l,
		    row_fn fn, void *ud)
{
	rows R = {m, p, l, TC_BUF_INIT, TC_BUF_INIT, NULL, 0};
	int rc = 0;
	for (size_t ci = 0; ci < m->ncategories && !rc; ci++) {
		if (!tc_pick_category(p, ci))
			continue;
		for (size_t k = 0; k < m->categories[ci].nmeasures && !rc; k++)
			if (tc_pick_measure(p, ci, k))
				rc = measure_rows(&R, ci, k, fn, ud);
	}
	tc_buf_free(&R.maps);
	tc_buf_free(&R.url);
	free(R.order);
	return rc;
}

/* ---- the sheet through libxlsxwriter ---- */

static void put_row(book *B, lxw_worksheet *ws, lxw_row_t r, const mrow *row)
{
	for (lxw_col_t c = 0; c < NCOLS; c++) {
		if (c == COL_URL)
			url_cell(B, ws, r, c, row->v[c]);
		else
			put(B, ws, r, c, row->v[c], B->wrap);
	}
}

typedef struct lxw_rows {
	book *B;
	lxw_worksheet *ws;
	lxw_row_t r;
} lxw_rows;

static int put_next(void *ud, const mrow *row)
{
	lxw_rows *X = ud;
	put_row(X->B, X->ws, X->r++, row);
	return 0;
}

/* The Measures sheet: the header, then every row. */
static void measures(book *B)
{
	lxw_worksheet *ws =
	    workbook_add_worksheet(B->wb, tc_msg(B->l, "xlsx.measures"));
	if (!ws) {
		B->no_sheet = true;
		return;
	}
	lxw_col_t nc = 0;
	for (; cols[nc]; nc++) {
		worksheet_set_column(ws, nc, nc, widths[nc],
				     nc == 2 || nc == 8 ? B->wrap : NULL);
		put(B, ws, 0, nc, tc_msg(B->l, cols[nc]), B->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	lxw_rows X = {B, ws, 1};
	each_row(B->m, B->p, B->l, put_next, &X);
	worksheet_autofilter(ws, 0, 0, X.r > 1 ? X.r - 1 : 1, nc - 1);
	worksheet_activate(ws);
}

/* libxlsxwriter calls gmtime(), whose answer is shared by all threads:
 * one workbook at a time goes through it (tc_xlsx_start). */
static pthread_mutex_t lxw_lock = PTHREAD_MUTEX_INITIALIZER;

/* The whole workbook through libxlsxwriter; *links: the hyperlinks made. */
static int write_book_locked(const tc_model *m, const tc_pick *p,
			     const tc_lang *l, const char *tom_sha256,
			     const char *path)
{
	/* rows go to a temporary file as they are written: a big site's
	 * workbooks would otherwise be whole in memory (hundreds of MB) */
	lxw_workbook_options o = {.constant_memory = LXW_TRUE,
				  .tmpdir = NULL,
				  .use_zip64 = LXW_FALSE};
	tc_pick *all = p ? NULL : tc_pick_all(m);
	book B = {.m = m,
		  .p = p ? p : all,
		  .l = l,
		  .wb = workbook_new_opt(path, &o),
		  .cut = TC_BUF_INIT};
	if (!B.wb) {
		tc_pick_free(all);
		return -1;
	}
	lxw_doc_properties props = {.title = (char *)str(m->title),
				    .company = (char *)str(m->organisation),
				    .subject = (char *)tc_msg(l, "toms_long"),
				    .created = date_time(str(m->date))};
	workbook_set_properties(B.wb, &props);
	formats(&B);
	about(&B, tom_sha256);
	measures(&B);
	lxw_error e = workbook_close(B.wb);
	tc_buf_free(&B.cut);
	tc_pick_free(all);
	if (B.no_sheet)
		errno = EINVAL;
	return e == LXW_NO_ERROR && !B.no_sheet ? 0 : -1;
}

static int write_now(const tc_model *m, const tc_pick *p, const tc_lang *l,
		     const char *tom_sha256, const char *path)
{
	pthread_mutex_lock(&lxw_lock);
	int rc = write_book_locked(m, p, l, tom_sha256, path);
	pthread_mutex_unlock(&lxw_lock);
	return rc;
}

/* ---- files without a name ---- */

/* An anonymous file (memfd) and a name libxlsxwriter can write it by,
 * through /proc: nothing is left behind, whatever ends the process (a
 * killed tc-search helper left its workbooks in $TMPDIR). -1 where the
 * kernel has none; the caller then uses a temporary file. */
static int anon_file(char name[32])
{
	int fd = memfd_create("tc-xlsx", MFD_CLOEXEC);
	if (fd >= 0)
		snprintf(name, 32, "/proc/self/fd/%d", fd);
	return fd;
}

/* libxlsxwriter's temporary files. Its own (tmpfileplus) are named, then
 * unlinked: a process killed in between leaves one behind. It calls
 * lxw_tmpfile through its PLT, so this definition replaces its own:
 * anonymous files (O_TMPFILE) in tmpdir, $TMPDIR or /tmp, or in memory
 * (memfd) where the file system has none. */
FILE *lxw_tmpfile(char *tmpdir)
{
	const char *dir = tmpdir ? tmpdir : getenv("TMPDIR");
	int fd = open(dir && *dir ? dir : "/tmp",
		      O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("tc-xlsx-part", MFD_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}

/* The whole of an anonymous file (caller frees), or NULL. */
static char *read_anon(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size < 0)
		return NULL;
	char *data = tc_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r =
		    pread(fd, data + got, (size_t)st.st_size - got, (off_t)got);
		if (r <= 0) {
			free(data);
			return NULL;
		}
		got += (size_t)r;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

/* ---- one workbook in the background ---- */

static struct {
	pthread_t thread;
	int running; /* started and not joined */
	const tc_model *m;
	const tc_pick *pick;
	const tc_lang *lang; /* the words' language, with the job */
	const char *tom;
	size_t tom_len;
	char *path;
	char sha[65];
	int rc;
} bg;

static void *bg_main(void *ud)
{
	(void)ud;
	tc_sha256_hex(bg.tom, bg.tom_len, bg.sha);
	bg.rc = write_now(bg.m, bg.pick, bg.lang, bg.sha, bg.path);
	return NULL;
}

int tc_xlsx_start(const tc_model *m, const tc_pick *p, const tc_lang *l,
		  const char *tom, size_t tom_len, const char *path)
{
	if (bg.running)
		return -1;
	bg.m = m;
	bg.pick = p;
	bg.lang = l;
	bg.tom = tom;
	bg.tom_len = tom_len;
	bg.path = tc_xstrdup(path);
	if (pthread_create(&bg.thread, NULL, bg_main, NULL) != 0) {
		free(bg.path);
		bg.path = NULL;
		return -1;
	}
	bg.running = 1;
	return 0;
}

int tc_xlsx_finish(void)
{
	if (!bg.running)
		return 0;
	pthread_join(bg.thread, NULL);
	bg.running = 0;
	free(bg.path);
	bg.path = NULL;
	return bg.rc;
}

int tc_xlsx_write(const tc_model *m, const tc_pick *p, const tc_lang *l,
		  const char *tom_sha256, const char *path)
{
	if (bg.running && !strcmp(path, bg.path)) {
		int same = m == bg.m && p == bg.pick && l == bg.lang &&
			   !strcmp(tom_sha256, bg.sha);
		int rc = tc_xlsx_finish();
		/* never expected: another document for that file */
		if (same)
			return rc;
	}
	return write_now(m, p, l, tom_sha256, path);
}

int tc_xlsx_buf(const tc_model *m, const tc_pick *p, const tc_lang *l,
		const char *tom_sha256, tc_buf *out)
{
	char name[32];
	int afd = anon_file(name);
	if (afd >= 0) {
		size_t n = 0;
		char *bytes = tc_xlsx_write(m, p, l, tom_sha256, name) == 0
				  ? read_anon(afd, &n)
				  : NULL;
		close(afd);
		if (bytes)
			tc_buf_put(out, bytes, n);
		free(bytes);
		return bytes ? 0 : -1;
	}
	const char *dir = getenv("TMPDIR");
	tc_buf path = TC_BUF_INIT;
	tc_buf_printf(&path, "%s/tc-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path.data);
	if (fd < 0) {
		tc_buf_free(&path);
		return -1;
	}
	close(fd);
	int rc = tc_xlsx_write(m, p, l, tom_sha256, tc_buf_cstr(&path));
	size_t len = 0;
	char *data = rc ? NULL : tc_read_file(tc_buf_cstr(&path), &len);
	unlink(tc_buf_cstr(&path));
	tc_buf_free(&path);
	if (!data)
		return -1;
	tc_buf_put(out, data, len);
	free(data);
	return 0;
}
