#include "pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "lang.h"
#include "model.h"
#include "routes.h"
#include "text.h"
#include "vocab.h"

/* fontconfig (under pango) loses a block of its configuration when it
 * parses it, once per process: LeakSanitizer (make check-asan) would fail
 * every run that writes a PDF. tests/valgrind.supp says the same to
 * valgrind. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* and says nothing of it on stderr, which tests read */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/* ---- geometry, in points (1/72 inch) ---- */

#define A4_SHORT 595.276
#define A4_LONG 841.890
#define MARGIN_X 40.0
#define MARGIN_TOP 46.0    /* the page header sits in it */
#define MARGIN_BOTTOM 50.0 /* the footer: data set, digest, page */
#define HEADER_Y 22.0      /* top of the page header's text */
#define HEADER_LINES 2     /* the most the header wraps to (then "…") */
#define PAD 2.6            /* inside a table cell */
#define GAP 6.0            /* between blocks */
/* A scope column is at most this wide (narrow tables leave the room to the
 * measure's text), the measure's text at least this. */
#define MAX_CELL_W 120.0
#define MIN_TEXT_W 140.0
#define MAX_ID_W 70.0
/* A heading is kept with at least this much of what follows it. */
#define KEEP_WITH 64.0
#define EPS 0.01

#define FONT "DejaVu Sans"
#define FONT_MONO "DejaVu Sans Mono"

enum font {
	F_BODY,
	F_BODY_B,
	F_TAB,
	F_TAB_B,
	F_SMALL,
	F_MONO,
	F_H1,
	F_H2,
	F_H3,
	F__COUNT
};

static const struct {
	const char *family;
	PangoWeight weight;
	double size;
} fonts[F__COUNT] = {
    [F_BODY] = {FONT, PANGO_WEIGHT_NORMAL, 8.5},
    [F_BODY_B] = {FONT, PANGO_WEIGHT_BOLD, 8.5},
    [F_TAB] = {FONT, PANGO_WEIGHT_NORMAL, 6.8},
    [F_TAB_B] = {FONT, PANGO_WEIGHT_BOLD, 6.8},
    [F_SMALL] = {FONT, PANGO_WEIGHT_NORMAL, 6.3},
    [F_MONO] = {FONT_MONO, PANGO_WEIGHT_NORMAL, 7.6},
    [F_H1] = {FONT, PANGO_WEIGHT_BOLD, 17.0},
    [F_H2] = {FONT, PANGO_WEIGHT_BOLD, 12.0},
    [F_H3] = {FONT, PANGO_WEIGHT_BOLD, 9.5},
};

/* A layout placed on the page, and how much of it has been drawn: a
 * block taller than the room left is drawn line by line over pages. */
typedef struct piece {
	PangoLayout *l;
	double x;        /* left edge */
	double h;        /* logical height */
	double done;     /* the layout's y down to which it is drawn */
	char *uri;       /* a link around it (owned), or NULL */
	bool outline;    /* a bookmark at its first line */
	int outline_lvl; /* unused: every bookmark is a top-level one */
} piece;

/* A row of pieces side by side: a table row (grid: its cells' borders, head:
 * shaded) or a paragraph (one piece, no grid). */
typedef struct row {
	piece *p;
	size_t n;
	bool grid, head;
	double pad;
	const double *edge; /* grid: ncol + 1 column edges */
	size_t ncol;
} row;

/* The fonts and pango's context: loading them (fontconfig, the faces) was
 * a tenth of an annex's time, so a writer that makes many annexes keeps
 * them (tc_pdf_fonts_new). */
struct tc_pdf_fonts {
	PangoFontMap *fm;
	PangoContext *pc;
	PangoFontDescription *fd[F__COUNT];
	/* tc_pdf_fonts_share_layouts: the memo the annexes share (NULL:
	 * each annex has its own), and the number of the annex being
	 * written, which marks what it used */
	GHashTable *shared;
	unsigned annex;
	/* the font options of the surface pc was last updated for */
	cairo_font_options_t *surface_options;
};

/* A layout in a memo, with the number of the annex that last used it. */
typedef struct memo_entry {
	PangoLayout *l;
	unsigned annex;
} memo_entry;

static void memo_entry_free(void *p)
{
	memo_entry *e = p;
	g_object_unref(e->l);
	free(e);
}

typedef struct pdf {
	const tc_pdf_annex *a;
	cairo_surface_t *surf;
	cairo_t *cr;
	tc_pdf_fonts *f;
	/* every layout made, by font, width and markup: the second pass draws
	 * the layouts the first measured (shaping text was most of the work
	 * and was done twice), a heading is shaped once for its room and its
	 * drawing, and repeated cells once per annex */
	GHashTable *memo;
	bool draw; /* the second pass draws; the first counts the pages */
	int page, pages;
	bool land;   /* the current page is landscape */
	double w, h; /* its size */
	double y;    /* where the next block goes */
	bool fresh;  /* nothing drawn on this page below its top yet */
	row *head;   /* the header row repeated on each page of a table */
	double id_w; /* the ID column's width */
	const tc_model *mo;   /* the data set */
	const tc_lang *links; /* the language of its measures' URLs */
	char **names;   /* by scope index: its column's name, NULL: not kept */
	unsigned *seen; /* by scope index: same_columns' marks */
	unsigned stamp; /* the mark of the current same_columns */
	tc_buf m;       /* scratch for markup */
	tc_buf u;       /* scratch for a measure's URL */
	tc_buf key;     /* scratch for a layout's key in the memo */
	char *footer, *header;
} pdf;

/* ---- text ---- */

static void esc(tc_buf *out, const char *s)
{
	if (s)
		tc_esc_html(out, s, strlen(s));
}

/* Text of the data ("see EAC-8 <https://...>") as markup: the URL after a
 * word is left out, as the pages show only the word; the measure's own
 * link is its ID. */
static void esc_data(tc_buf *out, const tc_lang *l, const char *s)
{
	if (!s)
		return;
	for (;;) {
		const char *lt = strstr(s, " <");
		const char *u = lt ? lt + 2 : NULL;
		size_t n = u ? strcspn(u, "> \t\n") : 0;
		bool link = u && u[n] == '>' &&
			    (!strncmp(u, "https://", 8) ||
			     !strncmp(u, "http://", 7) || u[0] == '/');
		if (!lt) {
			esc(out, s);
			return;
		}
		tc_esc_html(out, s, (size_t)(lt - s));
		if (!link) {
			tc_buf_puts(out, " &lt;");
			s = lt + 2;
			continue;
		}
		/* no word before it: the pages' "(link)" */
		if (lt == s || lt[-1] == ' ' || lt[-1] == '(') {
			tc_buf_putc(out, ' ');
			esc(out, tc_msg(l, "note.link"));
		}
		s = u + n + 1;
	}
}

/* What a selection keeps, everything for none. */
static bool kept_category(const tc_pick *p, size_t c)
{
	return !p || tc_pick_category(p, c);
}

static bool kept_measure(const tc_pick *p, size_t c, size_t k)
{
	return !p || tc_pick_measure(p, c, k);
}

static bool kept_cell(const tc_pick *p, size_t c, size_t k, size_t j)
{
	return !p || tc_pick_cell(p, c, k, j);
}

/* The measures of category ci that a selection keeps, each with the
 * columns of its table whose cells it keeps, in the table's order. */
typedef struct cat_view {
	const tc_category *c;
	size_t n;   /* measures kept */
	size_t *k;  /* their indices in c */
	size_t *at; /* n + 1: measure i's columns are col[at[i]..at[i + 1]) */
	size_t *col;
} cat_view;

static void view_make(cat_view *v, const tc_model *m, const tc_pick *p,
		      size_t ci)
{
	const tc_category *c = &m->categories[ci];
	size_t cols = 0;
	*v = (cat_view){.c = c};
	for (size_t k = 0; k < c->nmeasures; k++)
		if (kept_measure(p, ci, k))
			cols += c->tables[c->measures[k].table].nscopes;
	v->k = tc_xcalloc(c->nmeasures + 1, sizeof *v->k);
	v->at = tc_xcalloc(c->nmeasures + 1, sizeof *v->at);
	v->col = tc_xcalloc(cols + 1, sizeof *v->col);
	size_t n = 0;
	for (size_t k = 0; k < c->nmeasures; k++) {
		if (!kept_measure(p, ci, k))
			continue;
		const tc_table *t = &c->tables[c->measures[k].table];
		v->k[v->n] = k;
		for (size_t j = 0; j < t->nscopes; j++)
			if (kept_cell(p, ci, k, j))
				v->col[n++] = j;
		v->at[++v->n] = n;
	}
}

static void view_free(cat_view *v)
{
	free(v->k);
	free(v->at);
	free(v->col);
}

/* Measure i of v, its number of columns, the scope of its column x. */
static const tc_measure *view_measure(const cat_view *v, size_t i)
{
	return &v->c->measures[v->k[i]];
}

static size_t view_ncols(const cat_view *v, size_t i)
{
	return v->at[i + 1] - v->at[i];
}

static size_t view_scope(const cat_view *v, size_t i, size_t x)
{
	const tc_measure *me = view_measure(v, i);
	return v->c->tables[me->table].scopes[v->col[v->at[i] + x]];
}

static const tc_cell *view_cell(const cat_view *v, size_t i, size_t x)
{
	return &view_measure(v, i)->cells[v->col[v->at[i] + x]];
}

/* ---- layouts ---- */

static PangoLayout *make(pdf *P, int font, const char *markup, double width)
{
	PangoLayout *l = pango_layout_new(P->f->pc);
	pango_layout_set_font_description(l, P->f->fd[font]);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (width > 0)
		pango_layout_set_width(l, pango_units_from_double(width));
	/* a word broken to fit a column gets no hyphen: the text copied out
	 * of the PDF is the text of the data */
	PangoAttrList *al = pango_attr_list_new();
	pango_attr_list_insert(al, pango_attr_insert_hyphens_new(FALSE));
	/* a customer's annex sets text they typed: no font but the annex's
	 * own is ever looked for (a letter DejaVu lacks shows as a box), so
	 * the writer opens no font file after its fonts are loaded, as
	 * tc-search's sandbox requires (cgi/sandbox.c) */
	if (P->a->customer)
		pango_attr_list_insert(al, pango_attr_fallback_new(FALSE));
	char *text = NULL, *valid = NULL;
	PangoAttrList *parsed = NULL;
	/* the build's text is UTF-8 (gen/source.c); a caller's that is not
	 * shows with replacement characters rather than pango's warnings */
	if (!g_utf8_validate(markup, -1, NULL))
		markup = valid = g_utf8_make_valid(markup, -1);
	if (pango_parse_markup(markup, -1, 0, &parsed, &text, NULL, NULL)) {
		pango_layout_set_text(l, text, -1);
		pango_attr_list_splice(parsed, al, 0, 0);
		pango_layout_set_attributes(l, parsed);
		pango_attr_list_unref(parsed);
		g_free(text);
	} else {
		/* only our own markup reaches here; never show it broken */
		pango_layout_set_text(l, markup, -1);
		pango_layout_set_attributes(l, al);
	}
	pango_attr_list_unref(al);
	g_free(valid);
	return l;
}

/* The layout of markup in font across width (-1: unbounded), made once
 * per annex (or once for the annexes that share their fonts' layouts):
 * the caller owns a reference and must not change it. A running header
 * (header) wraps to HEADER_LINES at most, then ends in an ellipsis. The
 * key holds everything make() reads: a customer's annex sets its text
 * without fallback fonts. */
/* Appends v in decimal (the memo's keys: printf was a twentieth of a big
 * annex's own work). */
static void put_int(tc_buf *b, int v)
{
	char t[16];
	size_t n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		t[sizeof t - ++n] = (char)('0' + u % 10);
	while ((u /= 10) && n < sizeof t - 1);
	if (v < 0)
		t[sizeof t - ++n] = '-';
	tc_buf_put(b, t + sizeof t - n, n);
}

static PangoLayout *mk_(pdf *P, int font, const char *markup, double width,
			bool header)
{
	/* the key: font, width in pango's units, header, customer, markup */
	tc_buf *k = &P->key;
	tc_buf_clear(k);
	put_int(k, font);
	tc_buf_putc(k, ' ');
	put_int(k, width > 0 ? pango_units_from_double(width) : -1);
	tc_buf_putc(k, ' ');
	tc_buf_putc(k, header ? 'h' : '-');
	tc_buf_putc(k, P->a->customer ? 'c' : '-');
	tc_buf_putc(k, ' ');
	tc_buf_puts(k, markup);
	memo_entry *e = g_hash_table_lookup(P->memo, tc_buf_cstr(k));
	if (!e) {
		e = tc_xcalloc(1, sizeof *e);
		e->l = make(P, font, markup, width);
		if (header) {
			pango_layout_set_height(e->l, -HEADER_LINES);
			pango_layout_set_ellipsize(e->l, PANGO_ELLIPSIZE_END);
		}
		g_hash_table_insert(P->memo, tc_xstrdup(tc_buf_cstr(k)), e);
	}
	e->annex = P->f->annex;
	return g_object_ref(e->l);
}

static PangoLayout *mk(pdf *P, int font, const char *markup, double width)
{
	return mk_(P, font, markup, width, false);
}

static double lh(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return h / (double)PANGO_SCALE;
}

static double lw(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return w / (double)PANGO_SCALE;
}

static void add(row *r, PangoLayout *l, double x, const char *uri)
{
	r->p = tc_xrealloc(r->p, (r->n + 1) * sizeof *r->p);
	r->p[r->n++] = (piece){.l = l,
			       .x = x,
			       .h = lh(l),
			       .uri = uri && *uri ? tc_xstrdup(uri) : NULL};
}

static void row_free(row *r)
{
	for (size_t i = 0; i < r->n; i++) {
		g_object_unref(r->p[i].l);
		free(r->p[i].uri);
	}
	free(r->p);
	memset(r, 0, sizeof *r);
}

/* ---- pages ---- */

static double body_w(const pdf *P)
{
	return P->w - 2 * MARGIN_X;
}

static double bottom(const pdf *P)
{
	return P->h - MARGIN_BOTTOM;
}

static void show_at(pdf *P, PangoLayout *l, double x, double y)
{
	cairo_move_to(P->cr, x, y);
	pango_cairo_show_layout(P->cr, l);
}

static void rule(pdf *P, double x0, double y, double x1, double width)
{
	cairo_set_line_width(P->cr, width);
	cairo_move_to(P->cr, x0, y);
	cairo_line_to(P->cr, x1, y);
	cairo_stroke(P->cr);
}

/* The page's header (not on the cover) and footer. */
static void furniture(pdf *P)
{
	double w = body_w(P);
	cairo_set_source_rgb(P->cr, 0.3, 0.3, 0.3);
	if (P->page > 1) {
		/* a long product name wraps the header onto a second line,
		 * which the top margin holds; the rule goes below it */
		PangoLayout *h = mk_(P, F_SMALL, P->header, w, true);
		show_at(P, h, MARGIN_X, HEADER_Y);
		double below = lh(h) + 3;
		g_object_unref(h);
		rule(P, MARGIN_X, HEADER_Y + (below > 11 ? below : 11),
		     P->w - MARGIN_X, 0.4);
	}
	double fy = bottom(P) + 12;
	rule(P, MARGIN_X, fy - 3, P->w - MARGIN_X, 0.4);
	tc_buf pg = TC_BUF_INIT, n = TC_BUF_INIT, t = TC_BUF_INIT;
	tc_buf_printf(&n, "%d", P->page);
	tc_buf_printf(&t, "%d", P->pages);
	tc_msgf(&pg, P->a->lang, "print.page", "page", tc_buf_cstr(&n), "pages",
		tc_buf_cstr(&t), NULL);
	tc_buf_clear(&n);
	esc(&n, tc_buf_cstr(&pg));
	PangoLayout *p = mk(P, F_SMALL, tc_buf_cstr(&n), -1);
	double pw = lw(p);
	show_at(P, p, P->w - MARGIN_X - pw, fy);
	PangoLayout *f = mk(P, F_SMALL, P->footer, w - pw - 12);
	show_at(P, f, MARGIN_X, fy);
	g_object_unref(p);
	g_object_unref(f);
	tc_buf_free(&pg);
	tc_buf_free(&n);
	tc_buf_free(&t);
	cairo_set_source_rgb(P->cr, 0, 0, 0);
}

static void put_row(pdf *P, row *r);

static void new_page(pdf *P, bool land)
{
	if (P->draw && P->page)
		cairo_show_page(P->cr);
	P->page++;
	P->land = land;
	P->w = land ? A4_LONG : A4_SHORT;
	P->h = land ? A4_SHORT : A4_LONG;
	P->y = MARGIN_TOP;
	if (P->draw) {
		cairo_pdf_surface_set_size(P->surf, P->w, P->h);
		furniture(P);
	}
	/* a table goes on under its header row */
	if (P->head) {
		for (size_t i = 0; i < P->head->n; i++)
			P->head->p[i].done = 0;
		row *h = P->head;
		P->head = NULL;
		put_row(P, h);
		P->head = h;
	}
	P->fresh = true;
}

/* ---- rows, split over pages between lines ---- */

static double rest(const row *r)
{
	double m = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->p[i].h - r->p[i].done > m)
			m = r->p[i].h - r->p[i].done;
	return m;
}

/* Draws (or, in the first pass, only walks) the lines of p from p->done
 * whose bottom is within limit of it, the first at y; moves p->done to
 * the top of the first line left. Returns the number of lines. */
static int lines(pdf *P, piece *p, double y, double limit)
{
	PangoLayoutIter *it = pango_layout_get_iter(p->l);
	double done = p->h;
	int count = 0;
	bool tagged = false;
	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		double t = y0 / (double)PANGO_SCALE,
		       b = y1 / (double)PANGO_SCALE;
		if (t < p->done - EPS)
			continue;
		if (b - p->done > limit + EPS) {
			done = t;
			break;
		}
		count++;
		if (!P->draw)
			continue;
		if (p->uri && !tagged) {
			tc_buf at = TC_BUF_INIT;
			tc_buf_puts(&at, "uri='");
			for (const char *c = p->uri; *c; c++) {
				if (*c == '\'' || *c == '\\')
					tc_buf_putc(&at, '\\');
				tc_buf_putc(&at, *c);
			}
			tc_buf_putc(&at, '\'');
			cairo_tag_begin(P->cr, CAIRO_TAG_LINK,
					tc_buf_cstr(&at));
			tc_buf_free(&at);
			tagged = true;
		}
		PangoRectangle log;
		pango_layout_iter_get_line_extents(it, NULL, &log);
		double base =
		    pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
		cairo_move_to(P->cr, p->x + log.x / (double)PANGO_SCALE,
			      y + base - p->done);
		pango_cairo_show_layout_line(P->cr,
					     pango_layout_iter_get_line(it));
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (tagged)
		cairo_tag_end(P->cr, CAIRO_TAG_LINK);
	p->done = done;
	return count;
}

/* Draws the next height points of r at P->y. */
static int slice(pdf *P, row *r, double height)
{
	if (P->draw && r->head) {
		cairo_set_source_rgb(P->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(P->cr, r->edge[0], P->y,
				r->edge[r->ncol] - r->edge[0], height);
		cairo_fill(P->cr);
		cairo_set_source_rgb(P->cr, 0, 0, 0);
	}
	int count = 0;
	for (size_t i = 0; i < r->n; i++)
		count += lines(P, &r->p[i], P->y + r->pad, height - 2 * r->pad);
	if (P->draw && r->grid) {
		cairo_set_source_rgb(P->cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(P->cr, 0.4);
		cairo_rectangle(P->cr, r->edge[0], P->y,
				r->edge[r->ncol] - r->edge[0], height);
		for (size_t c = 1; c < r->ncol; c++) {
			cairo_move_to(P->cr, r->edge[c], P->y);
			cairo_line_to(P->cr, r->edge[c], P->y + height);
		}
		cairo_stroke(P->cr);
		cairo_set_source_rgb(P->cr, 0, 0, 0);
	}
	return count;
}

static void put_row(pdf *P, row *r)
{
	bool started = false;
	for (;;) {
		double need = rest(r) + 2 * r->pad;
		double room = bottom(P) - P->y;
		if (need <= room + EPS) {
			/* counting pages, a row that fits needs no walk of
			 * its lines: every line of each piece ends within its
			 * height (rest), so all of it is done */
			if (P->draw)
				slice(P, r, need);
			else
				for (size_t i = 0; i < r->n; i++)
					r->p[i].done = r->p[i].h;
			P->y += need;
			P->fresh = false;
			return;
		}
		/* a whole row on the next page rather than split, when it
		 * fits there */
		if (!started && !P->fresh) {
			new_page(P, P->land);
			continue;
		}
		/* taller than a page: what fits here, the rest after */
		int drawn = slice(P, r, room);
		started = true;
		if (!drawn && P->fresh) {
			/* not one line fits a whole page: give up the row
			 * rather than loop (a line taller than a page) */
			for (size_t i = 0; i < r->n; i++)
				r->p[i].done = r->p[i].h;
			return;
		}
		new_page(P, P->land);
	}
}

/* A paragraph of markup across width w at x. */
static void para(pdf *P, int font, const char *markup, double x, double w,
		 double space_after)
{
	row r = {0};
	add(&r, mk(P, font, markup, w), x, NULL);
	put_row(P, &r);
	row_free(&r);
	P->y += space_after;
}

/* Room for at least need points below, or a new page. */
static void keep(pdf *P, double need)
{
	if (P->y + need > bottom(P) + EPS && !P->fresh)
		new_page(P, P->land);
}

static void bookmark(pdf *P, const char *title)
{
	if (!P->draw)
		return;
	tc_buf at = TC_BUF_INIT;
	tc_buf_printf(&at, "page=%d pos=[%.2f %.2f]", P->page, MARGIN_X, P->y);
	cairo_pdf_surface_add_outline(P->surf, CAIRO_PDF_OUTLINE_ROOT, title,
				      tc_buf_cstr(&at), 0);
	tc_buf_free(&at);
}

/* A heading, kept with what follows, and its bookmark. */
static void heading(pdf *P, int font, const char *text, bool mark)
{
	tc_buf_clear(&P->m);
	esc(&P->m, text);
	PangoLayout *l = mk(P, font, tc_buf_cstr(&P->m), body_w(P));
	double h = lh(l);
	g_object_unref(l);
	keep(P, h + KEEP_WITH);
	if (!P->fresh)
		P->y += GAP;
	if (mark)
		bookmark(P, text);
	para(P, font, tc_buf_cstr(&P->m), MARGIN_X, body_w(P), GAP / 2);
}

/* ---- prose: the HTML cmark-gfm made of a category's Markdown ---- */

/* Appends the markup of HTML s[0..n): inline elements become pango's,
 * the rest is text; entities stay as they are (pango reads the same). */
static void inline_markup(tc_buf *out, const char *s, size_t n)
{
	static const struct {
		const char *html, *markup;
	} tags[] = {
	    {"<em>", "<i>"},       {"</em>", "</i>"},  {"<strong>", "<b>"},
	    {"</strong>", "</b>"}, {"<code>", "<tt>"}, {"</code>", "</tt>"},
	    {"<del>", "<s>"},      {"</del>", "</s>"}, {"</a>", "</span>"},
	    {"<br />", "\n"},
	};
	for (size_t i = 0; i < n;) {
		if (s[i] != '<') {
			/* cmark writes a line break in a paragraph as a
			 * newline: it reads as a space */
			tc_buf_putc(out, s[i] == '\n' ? ' ' : s[i]);
			i++;
			continue;
		}
		const char *end = memchr(s + i, '>', n - i);
		size_t len = end ? (size_t)(end - (s + i)) + 1 : n - i;
		bool known = false;
		for (size_t k = 0; k < sizeof tags / sizeof *tags; k++)
			if (strlen(tags[k].html) == len &&
			    !strncmp(s + i, tags[k].html, len)) {
				tc_buf_puts(out, tags[k].markup);
				known = true;
			}
		if (!known && len > 3 && !strncmp(s + i, "<a ", 3))
			tc_buf_puts(out, "<span foreground=\"#1f4e99\" "
					 "underline=\"single\">");
		i += len;
	}
}

/* Prose as paragraphs, headings and list items. */
static void prose(pdf *P, const char *html)
{
	if (!html)
		return;
	const char *s = html;
	int depth = 0;   /* of lists */
	long number = 0; /* of the current ordered list's items; 0: bullets */
	while (*s) {
		while (*s == '\n' || *s == ' ')
			s++;
		if (!*s)
			break;
		int font = F_BODY;
		const char *open = s, *close = NULL;
		tc_buf_clear(&P->m);
		if (!strncmp(s, "<ul>", 4) || !strncmp(s, "<ol", 3)) {
			number = s[1] == 'o' ? 1 : 0;
			depth++;
			s = strchr(s, '>') + 1;
			continue;
		}
		if (!strncmp(s, "</ul>", 5) || !strncmp(s, "</ol>", 5)) {
			depth--;
			s += 5;
			continue;
		}
		if (!strncmp(s, "<li>", 4)) {
			s += 4;
			close = strstr(s, "</li>");
			if (number)
				tc_buf_printf(&P->m, "%ld. ", number++);
			else
				tc_buf_puts(&P->m, "\xe2\x80\xa2 ");
		} else if (s[0] == '<' && s[1] == 'h' && s[2] >= '1' &&
			   s[2] <= '6') {
			font = F_H3;
			s += 4;
			close = strstr(s, "</h");
		} else if (!strncmp(s, "<p>", 3)) {
			s += 3;
			close = strstr(s, "</p>");
		} else if (!strncmp(s, "<hr />", 6)) {
			s += 6;
			continue;
		} else {
			/* a block of another kind: its text up to its end */
			const char *gt = strchr(s, '>');
			close = gt ? strstr(gt, "</") : NULL;
			s = gt ? gt + 1 : s + strlen(s);
		}
		if (!close)
			close = s + strlen(s);
		inline_markup(&P->m, s, (size_t)(close - s));
		/* a loose list item's paragraphs, and nested lists, flow
		 * into its text */
		(void)open;
		double indent = depth > 0 ? 10.0 * depth : 0;
		if (font == F_H3)
			keep(P, KEEP_WITH / 2);
		para(P, font, tc_buf_cstr(&P->m), MARGIN_X + indent,
		     body_w(P) - indent, font == F_H3 ? 2 : 4);
		const char *gt = strchr(close, '>');
		s = gt ? gt + 1 : close + strlen(close);
	}
}

/* ---- tables ---- */

/* The markup of a cell: the badge (its icon; its word too where the
 * table is narrow enough), a free text mark with who does it, the note. */
static void cell_markup(tc_buf *out, const tc_lang *l, const tc_cell *cell,
			bool compact)
{
	tc_badge b = tc_cell_badge(l, cell->status, cell->resp);
	tc_buf_puts(out, "<b>");
	esc(out, b.icon);
	tc_buf_puts(out, "</b> ");
	if (b.label) {
		esc(out, cell->label);
		if (!compact) {
			tc_buf_puts(out, " (");
			esc(out, tc_resp_phrase(l, cell->resp));
			tc_buf_putc(out, ')');
		}
	} else if (!compact) {
		esc(out, b.title);
	}
	const char *note = cell->note_data ? cell->note_data : "";
	if (*note) {
		tc_buf_puts(out, b.label || !compact ? "\n" : "");
		esc_data(out, l, note);
	}
}

/* The width of the scope columns of a table of n of them on a page body
 * w wide. */
static double cell_w(const pdf *P, double w, size_t n)
{
	double c = (w - P->id_w - MIN_TEXT_W) / (double)n;
	return c > MAX_CELL_W ? MAX_CELL_W : c;
}

/* Whether measures a and b of v show the same scopes (in any order). */
static bool same_columns(pdf *P, const cat_view *v, size_t a, size_t b)
{
	size_t n = view_ncols(v, a);
	if (n != view_ncols(v, b))
		return false;
	if (!++P->stamp) { /* wrapped: no mark is current */
		memset(P->seen, 0, P->mo->nscopes * sizeof *P->seen);
		P->stamp = 1;
	}
	for (size_t x = 0; x < n; x++)
		P->seen[view_scope(v, a, x)] = P->stamp;
	for (size_t x = 0; x < n; x++)
		if (P->seen[view_scope(v, b, x)] != P->stamp)
			return false;
	return true;
}

/* The measures [from, to) of v, which have the same columns, with their
 * columns [c0, c1) (the first's order names them). */
static void table(pdf *P, const cat_view *v, size_t from, size_t to, size_t c0,
		  size_t c1)
{
	size_t n = c1 - c0;
	double w = body_w(P), cw = cell_w(P, w, n);
	double edge[TC_PDF_MAX_COLUMNS + 3];
	edge[0] = MARGIN_X;
	edge[1] = MARGIN_X + P->id_w;
	edge[2] = MARGIN_X + w - cw * (double)n;
	for (size_t c = 1; c <= n; c++)
		edge[2 + c] = edge[2] + cw * (double)c;
	bool compact = n >= 3;
	/* the header row */
	row head = {.grid = true,
		    .head = true,
		    .pad = PAD,
		    .edge = edge,
		    .ncol = n + 2};
	tc_buf_clear(&P->m);
	esc(&P->m, tc_msg(P->a->lang, "id"));
	add(&head, mk(P, F_TAB_B, tc_buf_cstr(&P->m), P->id_w - 2 * PAD),
	    edge[0] + PAD, NULL);
	tc_buf_clear(&P->m);
	esc(&P->m, tc_msg(P->a->lang, "measure"));
	add(&head,
	    mk(P, F_TAB_B, tc_buf_cstr(&P->m), edge[2] - edge[1] - 2 * PAD),
	    edge[1] + PAD, NULL);
	for (size_t k = c0; k < c1 && k < view_ncols(v, from); k++) {
		size_t s = view_scope(v, from, k);
		tc_buf_clear(&P->m);
		esc(&P->m, P->names[s] ? P->names[s] : P->mo->scopes[s].id);
		add(&head, mk(P, F_TAB_B, tc_buf_cstr(&P->m), cw - 2 * PAD),
		    edge[2 + k - c0] + PAD, NULL);
	}
	/* the header with at least one row */
	keep(P, rest(&head) + 2 * PAD + 24);
	put_row(P, &head);
	P->head = &head;
	for (size_t i = from; i < to; i++) {
		const tc_measure *me = view_measure(v, i);
		row r = {.grid = true, .pad = PAD, .edge = edge, .ncol = n + 2};
		tc_buf_clear(&P->m);
		esc(&P->m, me->id);
		tc_buf_clear(&P->u);
		tc_buf_puts(&P->u, P->mo->base_url ? P->mo->base_url : "");
		tc_route_measure_url(&P->u, P->links, v->c->id, me->id);
		const char *url = tc_buf_cstr(&P->u);
		bool web =
		    !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7);
		add(&r, mk(P, F_TAB_B, tc_buf_cstr(&P->m), P->id_w - 2 * PAD),
		    edge[0] + PAD, web ? url : NULL);
		tc_buf_clear(&P->m);
		esc_data(&P->m, P->a->lang, me->text_data);
		add(&r,
		    mk(P, F_TAB, tc_buf_cstr(&P->m),
		       edge[2] - edge[1] - 2 * PAD),
		    edge[1] + PAD, NULL);
		for (size_t k = c0; k < c1 && k < view_ncols(v, i); k++) {
			tc_buf_clear(&P->m);
			cell_markup(&P->m, P->a->lang, view_cell(v, i, k),
				    compact);
			add(&r, mk(P, F_TAB, tc_buf_cstr(&P->m), cw - 2 * PAD),
			    edge[2 + k - c0] + PAD, NULL);
		}
		put_row(P, &r);
		row_free(&r);
	}
	P->head = NULL;
	row_free(&head);
	P->y += GAP;
}

/* The most scope columns a landscape page holds. */
static size_t max_columns(const pdf *P)
{
	double room = A4_LONG - 2 * MARGIN_X - P->id_w - MIN_TEXT_W;
	size_t n = (size_t)floor(room / TC_PDF_MIN_CELL_W);
	return n ? n : 1;
}

/* Whether a table of cols scope columns needs a landscape page: the
 * widest of its groups of columns (category()) is too narrow on portrait. */
static bool wide(const pdf *P, size_t cols)
{
	size_t max = max_columns(P);
	size_t groups = (cols + max - 1) / max;
	size_t widest = groups ? (cols + groups - 1) / groups : 0;
	return widest &&
	       cell_w(P, A4_SHORT - 2 * MARGIN_X, widest) < TC_PDF_MIN_CELL_W;
}

/* The prose of mc that stands before table upto (ntables: after the
 * last), from piece *next on; returns whether there was any. */
static bool prose_upto(pdf *P, const tc_pdf_cat_prose *mc, size_t upto,
		       size_t *next)
{
	bool any = false;
	for (; mc && mc->at && *next <= upto && *next <= mc->ntables; ++*next)
		if (*mc->at[*next]) {
			prose(P, mc->at[*next]);
			any = true;
		}
	return any;
}

/* Category ci as pick keeps it, with its heading in font (a bookmark when
 * F_H2), with its prose when with_prose and the caller has it. */
static void category_(pdf *P, const tc_pick *pick, size_t ci, int font,
		      bool with_prose)
{
	cat_view v;
	view_make(&v, P->mo, pick, ci);
	size_t n = v.n;
	const tc_category *c = v.c;
	if (!n) {
		view_free(&v);
		return;
	}
	const tc_pdf_prose *pr = with_prose ? P->a->prose : NULL;
	tc_pdf_cat_prose cp = {0};
	const tc_pdf_cat_prose *mc =
	    pr && pr->category(pr->ud, c->id, &cp) ? &cp : NULL;
	size_t max = max_columns(P);
	heading(P, font, c->title, font == F_H2);
	/* the prose before the tables, then each piece of prose where it
	 * stands among them (the data set has no tables: a measure's table
	 * is the model's) */
	size_t next = 1, cursor = 0;
	if (mc && mc->at)
		prose(P, mc->at[0]);
	else if (mc && mc->html)
		prose(P, mc->html);
	size_t *tab = tc_xcalloc(n, sizeof *tab);
	for (size_t i = 0; i < n; i++)
		tab[i] =
		    mc ? pr->table_of(mc->cat, view_measure(&v, i)->id, &cursor)
		       : 0;
	for (size_t i = 0; i < n;) {
		if (mc && tab[i] != (size_t)-1)
			prose_upto(P, mc, tab[i], &next);
		size_t j = i + 1;
		while (j < n && same_columns(P, &v, i, j)) {
			/* a table does not go on across prose */
			bool between = false;
			for (size_t k = next;
			     mc && mc->at && tab[j] != (size_t)-1 &&
			     k <= tab[j] && k <= mc->ntables;
			     k++)
				between = between || *mc->at[k];
			if (between)
				break;
			j++;
		}
		size_t nc = view_ncols(&v, i);
		if (nc > TC_PDF_MAX_COLUMNS)
			nc = TC_PDF_MAX_COLUMNS;
		/* too many columns for a page: groups of consecutive columns,
		 * as even as they go */
		size_t groups = nc ? (nc + max - 1) / max : 0;
		for (size_t g = 0; g < groups; g++)
			table(P, &v, i, j, nc * g / groups,
			      nc * (g + 1) / groups);
		i = j;
	}
	if (mc)
		prose_upto(P, mc, mc->ntables, &next);
	free(tab);
	view_free(&v);
}

/* ---- the cover, the legend, the signatures ---- */

/* A label and its value in two columns. */
static void meta(pdf *P, const char *label, const char *value_markup, int font)
{
	const double lw_ = 110;
	row r = {.pad = 1.5};
	tc_buf l = TC_BUF_INIT;
	esc(&l, label);
	add(&r, mk(P, F_BODY_B, tc_buf_cstr(&l), lw_ - 6), MARGIN_X, NULL);
	add(&r, mk(P, font, value_markup, body_w(P) - lw_), MARGIN_X + lw_,
	    NULL);
	put_row(P, &r);
	row_free(&r);
	tc_buf_free(&l);
	P->y += 2;
}

/* Blank lines to write on, n of them across w at x, with a caption
 * under the last. */
static void blanks(pdf *P, double x, double w, int n, const char *caption)
{
	const double step = 20;
	for (int i = 1; i <= n; i++)
		if (P->draw) {
			cairo_set_source_rgb(P->cr, 0.2, 0.2, 0.2);
			rule(P, x, P->y + step * i, x + w, 0.5);
			cairo_set_source_rgb(P->cr, 0, 0, 0);
		}
	tc_buf c = TC_BUF_INIT;
	esc(&c, caption);
	PangoLayout *l = mk(P, F_SMALL, tc_buf_cstr(&c), w);
	if (P->draw) {
		cairo_set_source_rgb(P->cr, 0.3, 0.3, 0.3);
		show_at(P, l, x, P->y + step * n + 1.5);
		cairo_set_source_rgb(P->cr, 0, 0, 0);
	}
	double h = step * n + 1.5 + lh(l);
	g_object_unref(l);
	tc_buf_free(&c);
	P->y += h + 4;
}

/* The version with its date as the language writes it, its data file and
 * that file's SHA-256: the rows both covers have. */
static void version_rows(pdf *P, const tc_pdf_annex *a)
{
	tc_buf t = TC_BUF_INIT, v = TC_BUF_INIT;
	tc_buf_printf(&v, "%s %s ", a->version, tc_msg(P->a->lang, "of_date"));
	tc_msg_date(&v, P->a->lang, a->date);
	if (a->superseded_by)
		tc_buf_printf(&v, " (%s %s)", tc_msg(P->a->lang, "superseded"),
			      a->superseded_by);
	esc(&t, tc_buf_cstr(&v));
	meta(P, tc_msg(P->a->lang, "version"), tc_buf_cstr(&t), F_BODY);
	tc_buf_clear(&t);
	esc(&t, a->data_url);
	meta(P, tc_msg(P->a->lang, "data_set"), tc_buf_cstr(&t), F_BODY);
	tc_buf_clear(&t);
	esc(&t, a->digest);
	meta(P, "SHA-256", tc_buf_cstr(&t), F_MONO);
	tc_buf_free(&t);
	tc_buf_free(&v);
}

/* A customer's annex names the governing language version as the site's
 * annexes do: by its data file and SHA-256 for the current version, by its
 * language for a superseded one (whose release file names its data set),
 * then whether these words are it or a translation; a release that froze
 * this translation by the original's file and SHA-256, as its annexes on
 * the site do (governing, below). Nothing when the caller set no governing
 * language (lib/lang.h). */
static void governing(pdf *P, const tc_pdf_annex *a, double w);
static void customer_governing(pdf *P, const tc_pdf_annex *a, double w)
{
	const tc_governing *gv = tc_lang_governing(P->a->lang);
	if (!gv)
		return;
	if (a->orig_digest) {
		governing(P, a, w);
		P->y += GAP;
		return;
	}
	tc_buf t = TC_BUF_INIT, v = TC_BUF_INIT;
	tc_buf_printf(&v, "%s (%s)", tc_lang_name(P->a->lang, gv->lang),
		      gv->lang->code);
	if (!a->superseded_by)
		tc_buf_printf(&v, ": %s", gv->url);
	esc(&t, tc_buf_cstr(&v));
	meta(P, tc_msg(P->a->lang, "governing"), tc_buf_cstr(&t), F_BODY);
	if (!a->superseded_by) {
		tc_buf_clear(&t);
		esc(&t, gv->sha256);
		meta(P, "SHA-256", tc_buf_cstr(&t), F_MONO);
	}
	/* a release's words in today's translation: its translation note
	 * (customer_cover) is the one clause, as on its annexes on the site */
	if (!a->translated) {
		tc_buf_clear(&t);
		esc(&t,
		    tc_msg(P->a->lang, strcmp(gv->lang->code, P->a->lang->code)
					   ? "governing_other"
					   : "governing_this"));
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	} else {
		P->y += GAP;
	}
	tc_buf_free(&t);
	tc_buf_free(&v);
}

/* Which language's data set binds (site.md's governing_language, README
 * "Languages"): the current version's annex names it by its data file
 * and SHA-256 and says whether these words are it or a translation; a
 * released version's, whose data set is the content's own language's, by
 * that language. Nothing when tc-gen has not set it. */
static void governing(pdf *P, const tc_pdf_annex *a, double w)
{
	const tc_governing *gv = tc_lang_governing(P->a->lang);
	if (!gv)
		return;
	size_t n;
	const tc_lang *orig = tc_lang_all(P->a->lang, &n);
	const tc_lang *l = a->prose ? gv->lang : orig;
	tc_buf t = TC_BUF_INIT, v = TC_BUF_INIT;
	tc_buf_printf(&v, "%s (%s)", tc_lang_name(P->a->lang, l), l->code);
	if (a->prose)
		tc_buf_printf(&v, ": %s", gv->url);
	esc(&t, tc_buf_cstr(&v));
	meta(P, tc_msg(P->a->lang, "governing"), tc_buf_cstr(&t), F_BODY);
	if (!a->prose && a->orig_digest) {
		tc_buf_clear(&t);
		esc(&t, a->orig_url);
		meta(P, tc_msg(P->a->lang, "data_set"), tc_buf_cstr(&t),
		     F_BODY);
		tc_buf_clear(&t);
		esc(&t, a->orig_digest);
		meta(P, "SHA-256", tc_buf_cstr(&t), F_MONO);
		/* a translation the release froze: the original governs, as
		 * the current annex in this language says */
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang, "governing_other"));
		P->y += GAP;
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, 0);
	}
	if (a->prose) {
		tc_buf_clear(&t);
		esc(&t, gv->sha256);
		meta(P, "SHA-256", tc_buf_cstr(&t), F_MONO);
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang, strcmp(l->code, P->a->lang->code)
					       ? "governing_other"
					       : "governing_this"));
		P->y += GAP;
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, 0);
	}
	tc_buf_free(&t);
	tc_buf_free(&v);
}

static void legend(pdf *P)
{
	heading(P, F_H3, tc_msg(P->a->lang, "legend"), false);
	tc_buf_clear(&P->m);
	for (int s = 0; s < ST__COUNT; s++) {
		for (int k = 0; k < (s == ST_PROVIDED ? 2 : 1); k++) {
			tc_badge b = tc_cell_badge(P->a->lang, (tc_status)s,
						   k ? RS_SHARED : RS_PROVIDER);
			if (P->m.len)
				tc_buf_puts(&P->m, "    ");
			tc_buf_puts(&P->m, "<b>");
			esc(&P->m, b.icon);
			tc_buf_puts(&P->m, "</b>\xc2\xa0");
			esc(&P->m, b.title);
		}
	}
	para(P, F_BODY, tc_buf_cstr(&P->m), MARGIN_X, body_w(P), GAP);
}

/* The cover of a customer's annex: the controller as they entered it, the
 * products, the version and its data set, the date and the document's ID,
 * and how to verify it. */
/* The appendix's legal basis, under its title. */
static void legal_basis(pdf *P, double w)
{
	tc_buf t = TC_BUF_INIT;
	esc(&t, tc_msg(P->a->lang, "annex_legal_basis"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, 14);
	tc_buf_free(&t);
}

static void customer_cover(pdf *P)
{
	const tc_pdf_annex *a = P->a;
	const tc_pdf_customer *c = a->customer;
	double w = body_w(P);
	tc_buf t = TC_BUF_INIT, v = TC_BUF_INIT;
	esc(&t, tc_msg(P->a->lang, "annex_kicker"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, 4);
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "toms_long"));
	bookmark(P, tc_msg(P->a->lang, "toms_long"));
	para(P, F_H1, tc_buf_cstr(&t), MARGIN_X, w, 4);
	legal_basis(P, w);
	static const struct {
		const char *label;
		int which;
	} rows[] = {{"processor", 0},   {"pdf.controller", 1},
		    {"dpa.address", 2}, {"dpa.contact", 3},
		    {"dpa.email", 4},   {"dpa.number", 5},
		    {"products", 6}};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const char *val[] = {a->organisation, c->name,  c->address,
				     c->contact,      c->email, c->number,
				     c->products};
		const char *x = val[rows[i].which];
		if (!x || !*x)
			continue;
		tc_buf_clear(&t);
		esc(&t, x);
		meta(P, tc_msg(P->a->lang, rows[i].label), tc_buf_cstr(&t),
		     F_BODY);
	}
	version_rows(P, a);
	customer_governing(P, a, w);
	tc_buf_clear(&t);
	tc_buf_clear(&v);
	tc_msg_date(&v, P->a->lang, c->generated);
	esc(&t, tc_buf_cstr(&v));
	meta(P, tc_msg(P->a->lang, "dpa.generated"), tc_buf_cstr(&t), F_BODY);
	tc_buf_clear(&t);
	esc(&t, c->doc_id);
	meta(P, tc_msg(P->a->lang, "dpa.doc_id"), tc_buf_cstr(&t), F_MONO);
	P->y += GAP;
	/* who "we", "you" and "the client" of the measures are, then what
	 * the document holds */
	const char *notes[] = {"annex_parties", "dpa.pdf_lead",
			       "dpa.pdf_verify", "pdf.links"};
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang, notes[i]));
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	}
	if (a->translated) {
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang, "translation_note"));
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	}
	legend(P);
	tc_buf_free(&t);
	tc_buf_free(&v);
}

/* A customer's responsibilities for the products chosen, together: each
 * category's measures with the cells that are theirs, wholly or in part. */
static void duties(pdf *P)
{
	const tc_pick *d = P->a->customer->duties;
	bool any = false;
	for (size_t i = 0; d && i < P->mo->ncategories; i++)
		any = any || tc_pick_category(d, i);
	tc_buf t = TC_BUF_INIT;
	keep(P, 120);
	heading(P, F_H2, tc_msg(P->a->lang, "your_duties"), true);
	esc(&t,
	    tc_msg(P->a->lang, any ? "client_duties_lead" : "dpa.no_duties"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, body_w(P), GAP);
	for (size_t i = 0; any && i < P->mo->ncategories; i++)
		if (tc_pick_category(d, i))
			category_(P, d, i, F_H3, false);
	tc_buf_free(&t);
}

static void cover(pdf *P)
{
	const tc_pdf_annex *a = P->a;
	if (a->customer) {
		customer_cover(P);
		return;
	}
	double w = body_w(P);
	tc_buf t = TC_BUF_INIT;
	esc(&t, tc_msg(P->a->lang, "annex_kicker"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, 4);
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "toms_long"));
	if (a->product) {
		tc_buf_putc(&t, ' ');
		esc(&t, tc_msg(P->a->lang, "for"));
		tc_buf_putc(&t, ' ');
		esc(&t, a->product);
	}
	bookmark(P, a->product ? a->product : tc_msg(P->a->lang, "toms_long"));
	para(P, F_H1, tc_buf_cstr(&t), MARGIN_X, w, 4);
	legal_basis(P, w);
	tc_buf_clear(&t);
	esc(&t, a->organisation);
	meta(P, tc_msg(P->a->lang, "processor"), tc_buf_cstr(&t), F_BODY);
	/* the controller writes its name and address on the lines */
	row r = {.pad = 1.5};
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "pdf.controller"));
	add(&r, mk(P, F_BODY_B, tc_buf_cstr(&t), 104), MARGIN_X, NULL);
	double y0 = P->y;
	put_row(P, &r);
	row_free(&r);
	P->y = y0 - 6;
	blanks(P, MARGIN_X + 110, w - 110, 2,
	       tc_msg(P->a->lang, "pdf.controller_blank"));
	P->y += 4;
	/* and the date and number of the DPA the appendix belongs to */
	r = (row){.pad = 1.5};
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "pdf.dpa_ref"));
	add(&r, mk(P, F_BODY_B, tc_buf_cstr(&t), 104), MARGIN_X, NULL);
	y0 = P->y;
	put_row(P, &r);
	row_free(&r);
	P->y = y0 - 6;
	blanks(P, MARGIN_X + 110, w - 110, 1,
	       tc_msg(P->a->lang, "pdf.dpa_ref_blank"));
	P->y += 4;
	if (a->product) {
		tc_buf_clear(&t);
		esc(&t, a->product);
		meta(P, tc_msg(P->a->lang, "product"), tc_buf_cstr(&t), F_BODY);
	}
	tc_buf_clear(&t);
	tc_buf v = TC_BUF_INIT;
	version_rows(P, a);
	governing(P, a, w);
	P->y += GAP;
	/* who "we", "you" and "the client" of the measures are */
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "annex_parties"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	tc_buf_clear(&t);
	if (a->product) {
		tc_buf_clear(&v);
		tc_msgf(&v, P->a->lang, "annex.product_lead", "product",
			a->product, NULL);
		esc(&t, tc_buf_cstr(&v));
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	}
	if (a->translated) {
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang, "translation_note"));
		para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	}
	tc_buf_clear(&t);
	esc(&t, tc_msg(P->a->lang, "pdf.links"));
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, w, GAP);
	if (a->prose && !a->product && a->prose->intro_html)
		prose(P, a->prose->intro_html);
	legend(P);
	tc_buf_free(&t);
	tc_buf_free(&v);
}

/* How changes to the measures are published, and where (GDPR Art. 28(3)(c)
 * with Art. 32: the measures may change; the customer must be able to see
 * how and when). */
static void changes(pdf *P)
{
	tc_buf t = TC_BUF_INIT;
	keep(P, 80);
	heading(P, F_H2, tc_msg(P->a->lang, "annex_changes_title"), true);
	esc(&t, tc_msg(P->a->lang, "annex_changes"));
	if (P->a->changes_url) {
		tc_buf_putc(&t, ' ');
		esc(&t, P->a->changes_url);
	}
	para(P, F_BODY, tc_buf_cstr(&t), MARGIN_X, body_w(P), GAP);
	tc_buf_free(&t);
}

static void signatures(pdf *P)
{
	double w = body_w(P), col = (w - 24) / 2;
	keep(P, 190);
	heading(P, F_H2, tc_msg(P->a->lang, "pdf.signatures"), true);
	double y = P->y;
	tc_buf t = TC_BUF_INIT, v = TC_BUF_INIT;
	for (int k = 0; k < 2; k++) {
		double x = MARGIN_X + k * (col + 24);
		P->y = y;
		tc_buf_clear(&t);
		esc(&t, tc_msg(P->a->lang,
			       k ? "pdf.for_processor" : "pdf.for_controller"));
		const char *who = k                ? P->a->organisation
				  : P->a->customer ? P->a->customer->name
						   : NULL;
		if (who) {
			tc_buf_puts(&t, ": ");
			esc(&t, who);
		}
		para(P, F_BODY_B, tc_buf_cstr(&t), x, col, 4);
		blanks(P, x, col, 1, tc_msg(P->a->lang, "pdf.place_date"));
		blanks(P, x, col, 1, tc_msg(P->a->lang, "pdf.name_role"));
		P->y += 14;
		blanks(P, x, col, 1, tc_msg(P->a->lang, "pdf.signature"));
	}
	tc_buf_free(&t);
	tc_buf_free(&v);
}

/* ---- the document ---- */

static void document(pdf *P)
{
	P->page = 0;
	P->head = NULL;
	new_page(P, false);
	cover(P);
	/* the pages after the cover are landscape when a table needs it
	 * (the narrower tables then take the whole width too): switching
	 * between tables would leave half-empty pages */
	bool land = false;
	const tc_pick *pk = P->a->pick;
	for (size_t i = 0; i < P->mo->ncategories && !land; i++) {
		const tc_category *c = &P->mo->categories[i];
		for (size_t k = 0; k < c->nmeasures && !land; k++) {
			if (!kept_measure(pk, i, k))
				continue;
			const tc_table *t = &c->tables[c->measures[k].table];
			size_t cols = 0;
			for (size_t j = 0; j < t->nscopes; j++)
				cols += kept_cell(pk, i, k, j);
			land = wide(P, cols);
		}
	}
	new_page(P, land);
	for (size_t i = 0; i < P->mo->ncategories; i++)
		if (kept_category(pk, i))
			category_(P, pk, i, F_H2, true);
	if (P->a->customer)
		duties(P);
	changes(P);
	signatures(P);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int len)
{
	tc_buf_put(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The widest measure ID, within MAX_ID_W. */
static double id_width(pdf *P)
{
	double w = 0;
	const tc_pick *pk = P->a->pick;
	tc_buf_clear(&P->m);
	esc(&P->m, tc_msg(P->a->lang, "id"));
	PangoLayout *l = make(P, F_TAB_B, tc_buf_cstr(&P->m), -1);
	w = lw(l);
	for (size_t i = 0; i < P->mo->ncategories; i++) {
		const tc_category *c = &P->mo->categories[i];
		for (size_t k = 0; k < c->nmeasures; k++) {
			if (!kept_measure(pk, i, k))
				continue;
			/* each ID shaped once for the annexes that share
			 * their layouts (an ID is capitals, digits and
			 * hyphens: no fallback font ever sets it) */
			tc_buf_clear(&P->m);
			esc(&P->m, c->measures[k].id);
			PangoLayout *x = mk(P, F_TAB_B, tc_buf_cstr(&P->m), -1);
			if (lw(x) > w)
				w = lw(x);
			g_object_unref(x);
		}
	}
	g_object_unref(l);
	w += 2 * PAD + 0.5;
	return w > MAX_ID_W ? MAX_ID_W : w;
}

tc_pdf_fonts *tc_pdf_fonts_new(void)
{
	tc_pdf_fonts *F = tc_xcalloc(1, sizeof *F);
	F->fm = pango_cairo_font_map_new();
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(F->fm), 72.0);
	F->pc = pango_font_map_create_context(F->fm);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(F->pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(F->pc, FALSE);
	F->annex = 1;
	for (int f = 0; f < F__COUNT; f++) {
		F->fd[f] = pango_font_description_new();
		pango_font_description_set_family(F->fd[f], fonts[f].family);
		pango_font_description_set_weight(F->fd[f], fonts[f].weight);
		pango_font_description_set_size(
		    F->fd[f], (int)(fonts[f].size * PANGO_SCALE + 0.5));
	}
	return F;
}

void tc_pdf_fonts_free(tc_pdf_fonts *F)
{
	if (!F)
		return;
	for (int f = 0; f < F__COUNT; f++)
		pango_font_description_free(F->fd[f]);
	if (F->shared)
		g_hash_table_destroy(F->shared);
	if (F->surface_options)
		cairo_font_options_destroy(F->surface_options);
	g_object_unref(F->pc);
	g_object_unref(F->fm);
	free(F);
}

void tc_pdf_fonts_share_layouts(tc_pdf_fonts *F)
{
	if (!F->shared)
		F->shared = g_hash_table_new_full(g_str_hash, g_str_equal, free,
						  memo_entry_free);
}

/* A shared layout the annex just written did not use. */
static gboolean unused(void *key, void *value, void *annex)
{
	(void)key;
	return ((memo_entry *)value)->annex != *(unsigned *)annex;
}

/* Whether s is text (tc_text_scan); if not, its path and bad byte go to
 * err. */
static bool text_at(const char *s, tc_buf *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool text_at(const char *s, tc_buf *err, const char *fmt, ...)
{
	if (!s)
		return true;
	size_t n = strlen(s), i = tc_text_scan(s, n);
	if (i == n)
		return true;
	tc_buf_puts(err, "the data set is not text at ");
	va_list ap;
	va_start(ap, fmt);
	tc_buf_vprintf(err, fmt, ap);
	va_end(ap);
	tc_buf_printf(err, " (byte 0x%02x)", (unsigned char)s[i]);
	return false;
}

/* Whether every string of m the annex draws from what p keeps is text:
 * cairo refuses text that is not UTF-8 by failing the surface, and a
 * failed PDF surface keeps what it had allocated (LeakSanitizer saw it),
 * so such a data set is refused before cairo sees any of it. */
static bool all_text(const tc_model *m, const tc_pick *p, tc_buf *err)
{
	for (size_t s = 0; s < m->nscopes; s++)
		if (!text_at(m->scopes[s].id, err, "scopes[%zu].id", s) ||
		    !text_at(m->scopes[s].name, err, "scopes[%zu].name", s))
			return false;
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		if (!kept_category(p, i))
			continue;
		if (!text_at(c->id, err, "categories[%zu].id", i) ||
		    !text_at(c->title, err, "categories[%zu].title", i))
			return false;
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			if (!kept_measure(p, i, k))
				continue;
			if (!text_at(me->id, err,
				     "categories[%zu].measures[%zu].id", i,
				     k) ||
			    !text_at(me->text_data, err,
				     "categories[%zu].measures[%zu].text", i,
				     k))
				return false;
			const tc_table *t = &c->tables[me->table];
			for (size_t j = 0; j < t->nscopes; j++) {
				const tc_cell *x = &me->cells[j];
				const char *id = m->scopes[t->scopes[j]].id;
				if (!kept_cell(p, i, k, j))
					continue;
				if (!text_at(x->label, err,
					     "categories[%zu].measures[%zu]."
					     "cells.%s.label",
					     i, k, id) ||
				    !text_at(x->note_data, err,
					     "categories[%zu].measures[%zu]."
					     "cells.%s.note",
					     i, k, id))
					return false;
			}
		}
	}
	return true;
}

int tc_pdf_annex_write(const tc_pdf_annex *a, tc_buf *out, tc_buf *err)
{
	tc_pdf_annex en;
	if (!a->lang) {
		en = *a;
		en.lang = tc_lang_default();
		a = &en;
	}
	const tc_model *mo = a->model;
	if (!all_text(mo, a->pick, err) ||
	    (a->customer && a->customer->duties &&
	     !all_text(mo, a->customer->duties, err)))
		return -1;
	pdf P = {.a = a, .mo = mo, .links = a->links ? a->links : a->lang};
	tc_pdf_fonts *own = a->fonts ? NULL : tc_pdf_fonts_new();
	P.f = a->fonts ? a->fonts : own;
	P.memo = P.f->shared ? P.f->shared
			     : g_hash_table_new_full(g_str_hash, g_str_equal,
						     free, memo_entry_free);
	P.names = tc_xcalloc(mo->nscopes + 1, sizeof *P.names);
	P.seen = tc_xcalloc(mo->nscopes + 1, sizeof *P.seen);
	for (size_t i = 0; i < mo->nscopes; i++) {
		const tc_scope *s = &mo->scopes[i];
		if (a->pick && !tc_pick_scope(a->pick, i))
			continue;
		/* a product's annex shows the provider's own systems
		 * labelled: they are no answer for the product (issue 21,
		 * lib/tomdata.h's product rule) */
		tc_buf n = TC_BUF_INIT;
		tc_buf_puts(&n, s->name ? s->name : "");
		if ((a->product || a->customer) && s->kind == SK_INTERNAL)
			tc_buf_printf(&n, " (%s)",
				      tc_msg(a->lang, "internal_scope"));
		P.names[i] = tc_buf_detach(&n);
	}
	tc_buf t = TC_BUF_INIT, m = TC_BUF_INIT;
	tc_msg_date(&m, a->lang, a->date);
	/* a product's annex names its product on every sheet: a printed
	 * page filed alone says whose measures it lists (review F7) */
	if (a->product && !a->customer)
		tc_msgf(&t, a->lang, "print.header_product", "organisation",
			a->organisation, "product", a->product, "version",
			a->version, "date", tc_buf_cstr(&m), NULL);
	else
		tc_msgf(&t, a->lang, "print.header", "organisation",
			a->organisation, "version", a->version, "date",
			tc_buf_cstr(&m), NULL);
	tc_buf_clear(&m);
	esc(&m, tc_buf_cstr(&t));
	P.header = tc_buf_detach(&m);
	tc_buf_clear(&t);
	tc_msgf(&t, a->lang, "print.data_set", "file", a->data_url, "digest",
		a->digest, NULL);
	esc(&m, tc_buf_cstr(&t));
	if (a->customer) {
		tc_buf_clear(&t);
		tc_msgf(&t, a->lang, "dpa.footer_id", "id", a->customer->doc_id,
			NULL);
		tc_buf_putc(&m, '\n');
		esc(&m, tc_buf_cstr(&t));
	}
	P.footer = tc_buf_detach(&m);
	P.id_w = id_width(&P);

	size_t start = out->len;
	P.surf =
	    cairo_pdf_surface_create_for_stream(to_buf, out, A4_SHORT, A4_LONG);
	/* the PDF's dates are the version's (a customer's annex: the date it
	 * names): the same bytes on every build */
	tc_buf_clear(&t);
	tc_buf_printf(&t, "%sT00:00:00Z",
		      a->customer ? a->customer->generated : a->date);
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_CREATE_DATE,
				       tc_buf_cstr(&t));
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_MOD_DATE,
				       tc_buf_cstr(&t));
	tc_buf_clear(&t);
	tc_buf_puts(&t, tc_msg(a->lang, "toms_long"));
	if (a->product || a->customer)
		tc_buf_printf(&t, " %s %s", tc_msg(a->lang, "for"),
			      a->customer ? a->customer->products : a->product);
	tc_buf_printf(&t, ", %s %s", tc_msg(a->lang, "version_lower"),
		      a->version);
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_TITLE,
				       tc_buf_cstr(&t));
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_AUTHOR,
				       a->organisation);
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_SUBJECT,
				       tc_msg(a->lang, "annex_kicker"));
	cairo_pdf_surface_set_metadata(P.surf, CAIRO_PDF_METADATA_CREATOR,
				       a->customer ? "tc-search" : "tc-gen");
	P.cr = cairo_create(P.surf);
	/* before the first layout: a layout made before a change of the
	 * context is made again when it is drawn. Only when the surface's
	 * font options differ from the last annex's: pango takes every
	 * update for a change (it sets the matrix, although an identity one
	 * on every new cairo_t), and the layouts the annexes share would
	 * each be laid out again */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_surface_get_font_options(P.surf, fo);
	if (!P.f->surface_options ||
	    !cairo_font_options_equal(fo, P.f->surface_options)) {
		pango_cairo_update_context(P.cr, P.f->pc);
		if (P.f->surface_options)
			cairo_font_options_destroy(P.f->surface_options);
		P.f->surface_options = fo;
	} else {
		cairo_font_options_destroy(fo);
	}
	/* first pass: the number of pages, for "page x of y" */
	document(&P);
	P.pages = P.page;
	P.draw = true;
	document(&P);
	cairo_show_page(P.cr);
	cairo_status_t st = cairo_status(P.cr);
	cairo_destroy(P.cr);
	cairo_surface_finish(P.surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(P.surf);
	cairo_surface_destroy(P.surf);
	int rc = 0;
	if (st != CAIRO_STATUS_SUCCESS) {
		tc_buf_printf(err, "cairo: %s", cairo_status_to_string(st));
		out->len = start;
		rc = -1;
	}
	if (P.memo == P.f->shared)
		g_hash_table_foreach_remove(P.memo, unused, &P.f->annex);
	else
		g_hash_table_destroy(P.memo);
	P.f->annex++;
	tc_pdf_fonts_free(own);
	for (size_t i = 0; i < mo->nscopes; i++)
		free(P.names[i]);
	free(P.names);
	free(P.seen);
	tc_buf_free(&P.u);
	tc_buf_free(&P.key);
	free(P.header);
	free(P.footer);
	tc_buf_free(&P.m);
	tc_buf_free(&t);
	return rc;
}
