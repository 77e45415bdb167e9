#include "content.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/routes.h"
#include "../lib/text.h"
#include "brand.h"
#include "countries.h"
#include "frontmatter.h"
#include "limits.h"
#include "markdown.h"
#include "source.h"
#include "trust.h"

typedef struct link {
	char *url, *file;
	int line, col;
} link;

typedef struct loader {
	tc_model *m;
	tc_diags *d;
	size_t errors_before;
	link *links;
	size_t nlinks;
	int links_over; /* TC_MAX_LINKS reported */
	/* where each measure ID was first defined, for duplicates */
	struct seen {
		const char *id, *file;
		int line;
	} * seen;
	size_t nseen;
	/* the IDs of rows that were refused (their error reported): the
	 * front matter's mappings, client_duty and shared that name them
	 * say nothing more, so each error is reported once, at its cause */
	char **dropped;
	size_t ndropped;
	size_t rows;  /* table rows of every category so far */
	size_t bytes; /* of every source so far */
	/* tc_content_load_mem: the sources, instead of the file system */
	const tc_content_file *mem;
	size_t nmem;
	/* the content's language's marks and table headers: English until
	 * site.md names the language */
	const tc_marks *marks;
} loader;

/* ---- helpers ---- */

static char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return tc_xstrdup(s ? s : "");
}

/* base_url goes in front of every path in the sitemap and robots.txt:
 * only an absolute http(s) URL of printable characters with a host, so a
 * "javascript:" or a quote cannot ride along into a page. */
static int valid_base_url(const char *s)
{
	return !*s /* optional */ || tc_text_is_web_url(s);
}

/* The file's bytes, from the file system or from tc_content_load_mem;
 * either way checked by source.c. */
static char *read_source(loader *L, const char *path, size_t *len)
{
	if (!L->mem)
		return tc_source_load(path, len, L->d);
	for (size_t i = 0; i < L->nmem; i++) {
		const tc_content_file *f = &L->mem[i];
		if (strcmp(f->path, path) != 0)
			continue;
		if (tc_source_check(path, f->data, f->len, L->d) < 0)
			return NULL;
		char *s = tc_xmalloc(f->len + 1);
		memcpy(s, f->data, f->len);
		s[f->len] = '\0';
		*len = f->len;
		return s;
	}
	tc_diags_add(L->d, path, 0, 0, "cannot read file: %s",
		     strerror(ENOENT));
	return NULL;
}

/* cmark-gfm's table extension is quadratic in the cells of a line when a
 * header and its delimiter row disagree (40,000 '|' took 18 s). No line
 * of a table within TC_MAX_TABLE_COLUMNS has more '|' than this, so the
 * body is checked before cmark-gfm sees it; 0 when over (reported). */
static int body_within_limits(loader *L, const fm_doc *doc, const char *path)
{
	return tc_content_body_ok(path, fm_body(doc), fm_body_len(doc),
				  fm_body_line(doc), L->d);
}

/* The end of the line at p: its "\n", "\r" or "\r\n" (or end). cmark-gfm
 * ends a line at each of them, and its line numbers are what we are given:
 * counting "\n" alone, a lone "\r" shifted every later row onto another
 * line, and a row that cmark-gfm split differently went unreported. */
static const char *line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* The start of the line after the one ending at e (see line_end). */
static const char *next_line(const char *e, const char *end)
{
	if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
		return e + 2;
	return e < end ? e + 1 : e;
}

int tc_content_body_ok(const char *path, const char *b, size_t n, int line,
		       tc_diags *d)
{
	const char *end = b + n;
	for (const char *p = b; p < end; line++) {
		const char *e = line_end(p, end);
		size_t pipes = 0;
		for (const char *q = p; q < e; q++)
			if (*q == '|' && ++pipes > TC_MAX_TABLE_COLUMNS + 1) {
				tc_diags_add(d, path, line, (int)(q - p) + 1,
					     "line has more than %d '|' (a "
					     "table has at most %d columns)",
					     TC_MAX_TABLE_COLUMNS + 1,
					     TC_MAX_TABLE_COLUMNS);
				return 0;
			}
		p = next_line(e, end);
	}
	return 1;
}

/* Reads and parses a file's front matter; reports unreadable files. */
static fm_doc *open_source(loader *L, const char *path, char **src)
{
	size_t len;
	*src = read_source(L, path, &len);
	if (!*src)
		return NULL;
	L->bytes += len;
	if (L->bytes > TC_MAX_CONTENT_BYTES) {
		/* once: every later file is over it too */
		if (L->bytes - len <= TC_MAX_CONTENT_BYTES)
			tc_diags_add(L->d, path, 0, 0,
				     "the content is larger than %d bytes "
				     "with this file",
				     TC_MAX_CONTENT_BYTES);
		free(*src);
		*src = NULL;
		return NULL;
	}
	return fm_parse_required(path, *src, len, L->d);
}

typedef struct collecting {
	loader *L;
	const char *file;
	int line0;
} collecting;

static int collect_link(cmark_node *n, void *ud)
{
	collecting *c = ud;
	loader *L = c->L;
	int line = cmark_node_get_start_line(n) + c->line0 - 1;
	if (L->nlinks == TC_MAX_LINKS) {
		if (!L->links_over) /* once */
			tc_diags_add(
			    L->d, c->file, line, cmark_node_get_start_column(n),
			    "more than %d links in the content", TC_MAX_LINKS);
		L->links_over = 1;
		return 1;
	}
	L->links = tc_xrealloc(L->links, (L->nlinks + 1) * sizeof(link));
	L->links[L->nlinks++] =
	    (link){tc_xstrdup(cmark_node_get_url(n)), tc_xstrdup(c->file), line,
		   cmark_node_get_start_column(n)};
	return 0;
}

/* Collects links (for checking once every page is known). */
static void collect_links(loader *L, cmark_node *root, const char *file,
			  int line0)
{
	collecting c = {L, file, line0};
	md_each_link(root, collect_link, &c);
}

/* ---- site.md ---- */

static const fm_key site_keys[] = {{"organisation", FM_STRING, true},
				   {"title", FM_STRING, true},
				   {"version", FM_STRING, true},
				   {"date", FM_STRING, true},
				   {"base_url", FM_STRING, false},
				   {"summary", FM_STRING, false},
				   {"languages", FM_STRINGS, false},
				   {"governing_language", FM_STRING, false},
				   {"contact", FM_MAP, false},
				   {"subprocessor_notice_days", FM_INT, false},
				   TC_BRAND_SITE_KEYS,
				   {NULL, 0, false}};

/* site.md's languages: ISO 639-1 codes (2 lower-case letters: the nginx
 * configuration tells /de/ from /api/ by it), each once; the
 * first is the content's own, "en" when none are given. */
static void read_languages(loader *L, fm_doc *doc, json_t *r, const char *path)
{
	tc_model *m = L->m;
	json_t *list = json_object_get(r, "languages");
	size_t i, n = json_array_size(list);
	m->languages = tc_xcalloc(n + 2, sizeof(char *));
	json_t *v;
	json_array_foreach (list, i, v) {
		const char *code = json_string_value(v);
		size_t len = strlen(code);
		int ok = len == 2, line, col;
		for (size_t k = 0; k < len; k++)
			ok = ok && code[k] >= 'a' && code[k] <= 'z';
		for (size_t k = 0; k < m->nlanguages; k++)
			ok = ok && strcmp(m->languages[k], code) != 0;
		if (ok && m->nlanguages == TC_MAX_LANGUAGES) {
			fm_pos(doc, list, NULL, i, &line, &col);
			tc_diags_add(L->d, path, line, col,
				     "more than %d languages",
				     TC_MAX_LANGUAGES);
			break;
		}
		if (!ok) {
			fm_pos(doc, list, NULL, i, &line, &col);
			tc_diags_add(L->d, path, line, col,
				     "language '%s' must be a code of 2 "
				     "lower-case letters (ISO 639-1: en, de), "
				     "each listed once",
				     code);
			continue;
		}
		m->languages[m->nlanguages++] = tc_xstrdup(code);
	}
	if (!m->nlanguages)
		m->languages[m->nlanguages++] = tc_xstrdup("en");
	m->lang = tc_xstrdup(m->languages[0]);
	/* the marks and table headers are the content's language's */
	const tc_marks *mk = tc_marks_for(m->lang);
	if (mk)
		L->marks = mk;
	else {
		int line = 1, col = 1;
		if (list)
			fm_pos(doc, list, NULL, 0, &line, &col);
		tc_buf ls = TC_BUF_INIT;
		tc_marks_langs(&ls);
		tc_diags_add(L->d, path, line, col,
			     "the content's language '%s' has no marks: "
			     "templates/i18n/marks.json lists the marks of "
			     "%s",
			     m->lang, tc_buf_cstr(&ls));
		tc_buf_free(&ls);
	}
	/* which language's data set binds: every annex says it
	 * (README "Languages"); a language the site has, or none of them */
	const char *g =
	    json_string_value(json_object_get(r, "governing_language"));
	m->governing = tc_xstrdup(g ? g : m->languages[0]);
	for (size_t k = 0; g && k < m->nlanguages; k++)
		if (!strcmp(m->languages[k], g))
			return;
	if (g) {
		int line, col;
		fm_pos(doc, r, "governing_language", 0, &line, &col);
		tc_buf ls = TC_BUF_INIT;
		for (size_t k = 0; k < m->nlanguages; k++)
			tc_buf_printf(&ls, "%s%s", k ? ", " : "",
				      m->languages[k]);
		tc_diags_add(L->d, path, line, col,
			     "governing_language '%s' is not one of the site's "
			     "languages (%s)",
			     g, tc_buf_cstr(&ls));
		tc_buf_free(&ls);
	}
}

static void load_site(loader *L, const char *path)
{
	char *src;
	fm_doc *doc = open_source(L, path, &src);
	if (doc && !fm_check(doc, fm_root(doc), site_keys, L->d) &&
	    body_within_limits(L, doc, path)) {
		json_t *r = fm_root(doc);
		tc_model *m = L->m;
		m->organisation = str(r, "organisation");
		m->title = str(r, "title");
		m->version = str(r, "version");
		m->date = str(r, "date");
		m->base_url = str(r, "base_url");
		m->summary = str(r, "summary");
		m->site_file = tc_xstrdup(path);
		read_languages(L, doc, r, path);
		tc_trust_read_site(m->trust, doc, r, path, L->d);
		tc_brand_read_site(m->brand, doc, r, path, L->d);
		fm_pos(doc, r, "version", 0, &m->version_line, &m->version_col);
		if (!tc_text_is_version(m->version))
			tc_diags_add(
			    L->d, path, m->version_line, m->version_col,
			    "version '%s' must be 1 to 40 letters, "
			    "digits, '.', '-' and '_', starting with a "
			    "letter or digit (it is part of URLs)",
			    m->version);
		int url_ok = valid_base_url(m->base_url);
		size_t n = strlen(m->base_url);
		if (n && m->base_url[n - 1] == '/')
			m->base_url[n - 1] = '\0';
		int line, col;
		if (!tc_text_is_date(m->date)) {
			fm_pos(doc, r, "date", 0, &line, &col);
			tc_diags_add(L->d, path, line, col,
				     "date '%s' is not a date of the form "
				     "YYYY-MM-DD",
				     m->date);
		}
		if (!url_ok) {
			fm_pos(doc, r, "base_url", 0, &line, &col);
			tc_diags_add(
			    L->d, path, line, col,
			    "base_url '%s' must be an http:// or "
			    "https:// URL",
			    json_string_value(json_object_get(r, "base_url")));
		}
		md_doc *md = md_parse(fm_body(doc), fm_body_len(doc));
		collect_links(L, md_root(md), path, fm_body_line(doc));
		m->intro_html = md_render(md);
		m->intro_shape = md_shape(md_root(md));
		md_free(md);
	}
	fm_free(doc);
	free(src);
}

/* ---- scopes.md ---- */

static const fm_key registry_keys[] = {{"scopes", FM_LIST, true},
				       {NULL, 0, false}};
static const fm_key scope_keys[] = {
    {"id", FM_STRING, true},         {"name", FM_STRING, true},
    {"kind", FM_STRING, true},       {"description", FM_STRING, false},
    {"managed", FM_BOOL, false},     {"per_product", FM_BOOL, false},
    {"country", FM_STRING, false},   {"city", FM_STRING, false},
    {"url", FM_STRING, false},       {"url_title", FM_STRING, false},
    {"url_as_of", FM_STRING, false}, {NULL, 0, false}};

/* A site's country and city ("data location"): only sites are places,
 * and a country is an ISO 3166-1 code, so its name can be shown and
 * searched in every language. */
static void read_place(loader *L, fm_doc *doc, const char *path, json_t *item,
		       tc_scope *s)
{
	s->country = str(item, "country");
	s->city = str(item, "city");
	int line, col;
	if ((*s->country || *s->city) && s->kind != SK_SITE) {
		fm_pos(doc, item, *s->country ? "country" : "city", 0, &line,
		       &col);
		tc_diags_add(L->d, path, line, col,
			     "scope '%s': country and city are for scopes of "
			     "kind site",
			     s->id);
	} else if (*s->country && !tc_country_get(s->country)) {
		fm_pos(doc, item, "country", 0, &line, &col);
		tc_diags_add(L->d, path, line, col,
			     "country '%s' is not an ISO 3166-1 alpha-2 code "
			     "in capitals (DE, FI, US)",
			     s->country);
	}
}

/* A product's description (issue 21): url (http:// or https://), its
 * name url_title and date url_as_of, which a "See product description"
 * cell of the product names and links. Only products have one, and a
 * title or date describes a url. */
static void read_doc(loader *L, fm_doc *doc, const char *path, json_t *item,
		     tc_scope *s)
{
	s->url = str(item, "url");
	s->url_title = str(item, "url_title");
	s->url_as_of = str(item, "url_as_of");
	int line, col;
	const char *key = *s->url         ? "url"
			  : *s->url_title ? "url_title"
			  : *s->url_as_of ? "url_as_of"
					  : NULL;
	if (!key)
		return;
	fm_pos(doc, item, key, 0, &line, &col);
	if (s->kind != SK_PRODUCT)
		tc_diags_add(L->d, path, line, col,
			     "scope '%s': url, url_title and url_as_of are "
			     "for scopes of kind product (its description)",
			     s->id);
	else if (!*s->url)
		tc_diags_add(L->d, path, line, col,
			     "scope '%s': %s names the product description "
			     "at url, which is missing",
			     s->id, key);
	else if (!tc_text_is_web_url(s->url))
		tc_diags_add(L->d, path, line, col,
			     "scope '%s': url '%s' must be an http:// or "
			     "https:// URL",
			     s->id, s->url);
	if (*s->url_as_of && !tc_text_is_date(s->url_as_of)) {
		fm_pos(doc, item, "url_as_of", 0, &line, &col);
		tc_diags_add(L->d, path, line, col,
			     "scope '%s': url_as_of '%s' is not a date of "
			     "the form YYYY-MM-DD",
			     s->id, s->url_as_of);
	}
}

static void add_scope(loader *L, fm_doc *doc, const char *path, json_t *item,
		      size_t idx)
{
	int line, col;
	fm_pos(doc, json_object_get(fm_root(doc), "scopes"), NULL, idx, &line,
	       &col);
	if (!json_is_object(item)) {
		tc_diags_add(L->d, path, line, col,
			     "each scope must be a mapping with id, name "
			     "and kind");
		return;
	}
	if (fm_check(doc, item, scope_keys, L->d))
		return;
	tc_model *m = L->m;
	const char *id = json_string_value(json_object_get(item, "id"));
	const char *kind = json_string_value(json_object_get(item, "kind"));
	int k = tc_scope_kind_from_id(kind);
	if (!tc_route_is_id(id))
		tc_diags_add(L->d, path, line, col,
			     "scope id '%s' must be lower-case letters, "
			     "digits and '-'",
			     id);
	else if (tc_model_scope(m, id))
		tc_diags_add(L->d, path, line, col, "duplicate scope id '%s'",
			     id);
	else if (k < 0)
		tc_diags_add(L->d, path, line, col,
			     "unknown scope kind '%s' (expected product, "
			     "site, internal or organisation)",
			     kind);
	else {
		m->scopes =
		    tc_xrealloc(m->scopes, (m->nscopes + 1) * sizeof(tc_scope));
		tc_scope *s = &m->scopes[m->nscopes++];
		s->id = tc_xstrdup(id);
		s->name = str(item, "name");
		s->description = str(item, "description");
		s->kind = (tc_scope_kind)k;
		s->managed = json_is_true(json_object_get(item, "managed"));
		s->per_product =
		    json_is_true(json_object_get(item, "per_product"));
		if (s->per_product && s->kind != SK_ORGANISATION)
			tc_diags_add(L->d, path, line, col,
				     "scope '%s': per_product is for scopes "
				     "of kind organisation",
				     id);
		read_place(L, doc, path, item, s);
		read_doc(L, doc, path, item, s);
	}
}

static void load_scopes(loader *L, const char *path)
{
	char *src;
	fm_doc *doc = open_source(L, path, &src);
	if (doc && !fm_check(doc, fm_root(doc), registry_keys, L->d)) {
		json_t *list = json_object_get(fm_root(doc), "scopes");
		size_t i;
		json_t *item;
		json_array_foreach (list, i, item) {
			if (i == TC_MAX_SCOPES) {
				int line, col;
				fm_pos(doc, list, NULL, i, &line, &col);
				tc_diags_add(L->d, path, line, col,
					     "more than %d scopes",
					     TC_MAX_SCOPES);
				break;
			}
			add_scope(L, doc, path, item, i);
		}
	}
	fm_free(doc);
	free(src);
}

/* ---- category tables ---- */

/* Counts the cells a table row has in its source line: cmark-gfm pads short
 * rows and drops extra cells, and both are mistakes we want to report. It
 * counts as cmark-gfm splits: at every '|' not escaped with a backslash,
 * inside inline code too (GFM tables need "\|" there). */
static size_t source_cells(const char *body, size_t len, int line)
{
	const char *p = body, *end = body + len;
	for (int l = 1; l < line && p < end; l++)
		p = next_line(line_end(p, end), end);
	const char *e = line_end(p, end);
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	size_t pipes = 0;
	const char *last = NULL;
	for (const char *q = p; q < e; q++) {
		if (*q == '\\' && q + 1 < e) {
			q++;
			continue;
		}
		if (*q == '|') {
			pipes++;
			last = q;
		}
	}
	if (p < e && *p == '|')
		pipes--;
	if (last && last == e - 1 && last != p)
		pipes--;
	return pipes + 1;
}

typedef struct tsrc {
	const char *path, *body;
	size_t len;
	int line0;
	const char *base;   /* the category page's path, for "#ID" links */
	const char *origin; /* the site's base URL, for links in the data */
} tsrc;

static int header_scopes(loader *L, const tsrc *s, cmark_node *hdr, tc_table *t)
{
	int ok = 1, col = 0;
	for (cmark_node *c = cmark_node_first_child(hdr); c;
	     c = cmark_node_next(c), col++) {
		char *text = md_plain(c);
		int line = cmark_node_get_start_line(c) + s->line0 - 1;
		int cc = cmark_node_get_start_column(c);
		if (col < 2) {
			if (!tc_header_ok(L->marks, col, text)) {
				tc_diags_add(L->d, s->path, line, cc,
					     "table column %d must be '%s', "
					     "found '%s'",
					     col + 1,
					     tc_header_word(L->marks, col),
					     text);
				ok = 0;
			}
			free(text);
			continue;
		}
		size_t k = 0;
		while (k < L->m->nscopes &&
		       strcasecmp(L->m->scopes[k].name, text) != 0)
			k++;
		if (k == L->m->nscopes) {
			tc_diags_add(L->d, s->path, line, cc,
				     "unknown scope '%s' in table header "
				     "(scopes are declared in scopes.md)",
				     text);
			ok = 0;
		} else {
			for (size_t j = 0; j < t->nscopes; j++)
				if (t->scopes[j] == k) {
					tc_diags_add(L->d, s->path, line, cc,
						     "scope '%s' appears twice "
						     "in the table header",
						     text);
					ok = 0;
				}
			t->scopes = tc_xrealloc(t->scopes, (t->nscopes + 1) *
							       sizeof(size_t));
			t->scopes[t->nscopes++] = k;
			t->has_products |= L->m->scopes[k].kind == SK_PRODUCT;
		}
		free(text);
	}
	if (col < 3) {
		tc_diags_add(L->d, s->path,
			     cmark_node_get_start_line(hdr) + s->line0 - 1, 1,
			     "a measure table needs the columns %s, %s "
			     "and at least one scope",
			     tc_header_word(L->marks, 0),
			     tc_header_word(L->marks, 1));
		ok = 0;
	}
	return ok;
}

static int check_id(loader *L, const tsrc *s, const char *id, int line, int col)
{
	if (!*id) {
		tc_diags_add(L->d, s->path, line, col, "missing measure ID");
		return 0;
	}
	if (!tc_route_is_measure_id(id)) {
		tc_diags_add(L->d, s->path, line, col,
			     "measure ID '%s' must look like 'PAC-1' "
			     "(capitals, a dash, a number)",
			     id);
		return 0;
	}
	for (size_t i = 0; i < L->nseen; i++)
		if (!strcmp(L->seen[i].id, id)) {
			tc_diags_add(L->d, s->path, line, col,
				     "duplicate measure ID '%s' (first "
				     "defined at %s:%d)",
				     id, L->seen[i].file, L->seen[i].line);
			return 0;
		}
	return 1;
}

/* Reads one scope cell: the mark as status and label, the rest (with its
 * inline Markdown) as the note. */
static void read_cell(const loader *L, const tsrc *s, cmark_node *cell,
		      tc_cell *out)
{
	char *raw = md_plain(cell);
	size_t note = tc_cell_parse(L->marks, raw, out);
	free(raw);
	if (out->status == ST_OTHER) {
		out->note_html = tc_xstrdup("");
		out->note_data = tc_xstrdup("");
		return;
	}
	md_drop_prefix(cell, note);
	md_inline(cell, tc_lang_default(), s->base, s->origin, &out->note_html,
		  &out->note_data);
}

/* How a mark and a note read together: "✓ note", "X (note)" (after any
 * mark but ✓ a note is set off by punctuation), "NA: note" when the note
 * brings its own. */
static void with_note(tc_buf *b, const char *mark, const char *note)
{
	while (*note == ' ' || *note == '\t')
		note++;
	tc_buf_puts(b, mark);
	if (!*note)
		return;
	if (strchr("),;:", *note))
		tc_buf_puts(b, note);
	else if (*note == '(' || !strcmp(mark, "\xe2\x9c\x93"))
		tc_buf_printf(b, " %s", note);
	else
		tc_buf_printf(b, " (%s)", note);
}

/* Every cell begins with a mark: a cell that does not is an error at its
 * position, since it would otherwise have to be guessed who does what.
 * A near miss ("Client’s responsiblitly", "N/A", "Clients responsibility
 * (see DPA)") names the mark meant; any other text lists the marks and
 * how the cell would read with each. */
static int mark_or_words(loader *L, const tsrc *s, cmark_node *cell,
			 const tc_cell *c, int line, const char *id,
			 const char *scope)
{
	if (c->status != ST_OTHER || !*c->label)
		return 1;
	int col = cmark_node_get_start_column(cell);
	const char *text = c->label;
	tc_mark_miss miss = tc_mark_near(L->marks, text);
	tc_buf b = TC_BUF_INIT;
	if (miss.meant && *miss.meant) {
		with_note(&b, miss.meant, text + miss.len);
		if (miss.words_after)
			tc_diags_add(L->d, s->path, line, col,
				     "cell '%s' for '%s' in measure '%s' has "
				     "words after its mark '%s' that no "
				     "punctuation sets off: write '%s' (the "
				     "words are its note)",
				     text, scope, id, miss.meant,
				     tc_buf_cstr(&b));
		else
			tc_diags_add(L->d, s->path, line, col,
				     "cell '%s' for '%s' in measure '%s' "
				     "begins with no mark: write '%s' (marks "
				     "are written exactly as listed)",
				     text, scope, id, tc_buf_cstr(&b));
		tc_buf_free(&b);
		return 0;
	}
	static const tc_status offer[] = {ST_PROVIDED, ST_NOT_PROVIDED,
					  ST_NOT_APPLICABLE, ST_CLIENT,
					  ST_SEE_PRODUCT};
	if (miss.meant) {
		tc_marks_list(L->marks, &b);
		tc_diags_add(L->d, s->path, line, col,
			     "cell '%s' for '%s' in measure '%s' is not a "
			     "mark: write one of %s",
			     text, scope, id, tc_buf_cstr(&b));
		tc_buf_free(&b);
		return 0;
	}
	for (size_t i = 0; i < sizeof offer / sizeof *offer; i++) {
		if (i)
			tc_buf_puts(&b, ", ");
		tc_buf_puts(&b, "'");
		with_note(&b, tc_mark_label(L->marks, offer[i]), text);
		tc_buf_printf(
		    &b, "' reads \"%s\"",
		    offer[i] == ST_PROVIDED
			? tc_resp_title(tc_lang_default(), RS_PROVIDER)
			: tc_status_title(tc_lang_default(), offer[i]));
	}
	tc_diags_add(L->d, s->path, line, col,
		     "cell '%s' for '%s' in measure '%s' begins with no mark "
		     "(every cell does; the text after it is its note): %s",
		     text, scope, id, tc_buf_cstr(&b));
	tc_buf_free(&b);
	return 0;
}

/* A "See product description" cell of a product sends the reader to
 * the product's description: scopes.md must say where it is (url), or
 * the cell leads nowhere (issue 21). */
static int see_product_leads(loader *L, const tsrc *s, cmark_node *cell,
			     const tc_cell *c, int line, const char *id,
			     const tc_scope *sc)
{
	if (c->status != ST_SEE_PRODUCT || sc->kind != SK_PRODUCT || *sc->url)
		return 1;
	tc_diags_add(L->d, s->path, line, cmark_node_get_start_column(cell),
		     "cell '%s' for '%s' in measure '%s' sends the reader to "
		     "the product description, but scopes.md gives '%s' no "
		     "url: give the product its url (with url_title and "
		     "url_as_of, the document's name and date)",
		     c->label, sc->name, id, sc->id);
	return 0;
}

static void free_cells(tc_cell *cells, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		free(cells[j].label);
		free(cells[j].note);
		free(cells[j].note_html);
		free(cells[j].note_data);
	}
	free(cells);
}

static void add_row(loader *L, const tsrc *s, tc_category *c, size_t ti,
		    cmark_node *row)
{
	const tc_table *t = &c->tables[ti];
	int rline = cmark_node_get_start_line(row);
	int line = rline + s->line0 - 1;
	size_t want = t->nscopes + 2;
	size_t have = source_cells(s->body, s->len, rline);
	if (have != want) {
		tc_diags_add(L->d, s->path, line, 1,
			     "row has %zu cells, the table header has %zu "
			     "(a '|' inside a cell, inline code included, "
			     "needs a backslash before it)",
			     have, want);
		return;
	}
	cmark_node *cell = cmark_node_first_child(row);
	char *id = md_plain(cell);
	int idcol = cmark_node_get_start_column(cell);
	cell = cmark_node_next(cell);
	char *text = md_plain(cell);
	cmark_node *text_node = cell;
	int ok = check_id(L, s, id, line, idcol);
	if (!*text) {
		tc_diags_add(L->d, s->path, line,
			     cmark_node_get_start_column(cell),
			     "measure '%s' has no text", id);
		ok = 0;
	}
	tc_cell *cells = tc_xcalloc(t->nscopes, sizeof(tc_cell));
	size_t k = 0;
	for (cell = cmark_node_next(cell); cell && k < t->nscopes;
	     cell = cmark_node_next(cell), k++) {
		char *raw = md_plain(cell);
		if (!*raw && ok) {
			tc_diags_add(L->d, s->path, line,
				     cmark_node_get_start_column(cell),
				     "empty cell for '%s' in measure '%s'",
				     L->m->scopes[t->scopes[k]].name, id);
			ok = 0;
		}
		free(raw);
		read_cell(L, s, cell, &cells[k]);
		if (!mark_or_words(L, s, cell, &cells[k], line, id,
				   L->m->scopes[t->scopes[k]].name))
			ok = 0;
		else if (!see_product_leads(L, s, cell, &cells[k], line, id,
					    &L->m->scopes[t->scopes[k]]))
			ok = 0;
	}
	if (!ok) {
		free_cells(cells, k);
		L->dropped =
		    tc_xrealloc(L->dropped, (L->ndropped + 1) * sizeof(char *));
		L->dropped[L->ndropped++] = id;
		free(text);
		return;
	}
	c->measures =
	    tc_xrealloc(c->measures, (c->nmeasures + 1) * sizeof(tc_measure));
	tc_measure *me = &c->measures[c->nmeasures++];
	*me = (tc_measure){
	    .id = id, .text = text, .table = ti, .cells = cells, .line = line};
	md_inline(text_node, tc_lang_default(), s->base, s->origin,
		  &me->text_html, &me->text_data);
	L->seen = tc_xrealloc(L->seen, (L->nseen + 1) * sizeof(*L->seen));
	L->seen[L->nseen++] = (struct seen){id, c->file, line};
}

/* The limits of a table (limits.h), checked on the whole table before any
 * row becomes a measure: its columns, rows and cell lengths, and the
 * measures of the site so far. Reports each problem; 0 when within. */
static int table_within_limits(loader *L, const tsrc *s, cmark_node *table)
{
	int ok = 1;
	size_t rows = 0;
	for (cmark_node *row = cmark_node_first_child(table); row;
	     row = cmark_node_next(row)) {
		int line = cmark_node_get_start_line(row) + s->line0 - 1;
		size_t cols = 0;
		for (cmark_node *cell = cmark_node_first_child(row); cell;
		     cell = cmark_node_next(cell)) {
			if (++cols > TC_MAX_TABLE_COLUMNS) {
				tc_diags_add(L->d, s->path, line,
					     cmark_node_get_start_column(cell),
					     "table has more than %d columns",
					     TC_MAX_TABLE_COLUMNS);
				return 0;
			}
			char *text = md_plain(cell);
			if (strlen(text) > TC_MAX_CELL_BYTES) {
				tc_diags_add(L->d, s->path, line,
					     cmark_node_get_start_column(cell),
					     "table cell longer than %d bytes",
					     TC_MAX_CELL_BYTES);
				ok = 0;
			}
			free(text);
		}
		/* the header row is no measure */
		if (row == cmark_node_first_child(table))
			continue;
		if (++rows > TC_MAX_TABLE_ROWS) {
			tc_diags_add(L->d, s->path, line, 1,
				     "table has more than %d rows",
				     TC_MAX_TABLE_ROWS);
			return 0;
		}
		if (++L->rows > TC_MAX_MEASURES) {
			/* once: every later table is over it too */
			if (L->rows == TC_MAX_MEASURES + 1)
				tc_diags_add(L->d, s->path, line, 1,
					     "the site has more than %d "
					     "measures",
					     TC_MAX_MEASURES);
			L->rows = TC_MAX_MEASURES + 2;
			return 0;
		}
	}
	return ok;
}

static void add_table(loader *L, const tsrc *s, tc_category *c,
		      cmark_node *table)
{
	c->tables = tc_xrealloc(c->tables, (c->ntables + 1) * sizeof(tc_table));
	size_t ti = c->ntables++;
	c->tables[ti] = (tc_table){NULL, 0, false, false};
	cmark_node *row = cmark_node_first_child(table);
	if (!table_within_limits(L, s, table) ||
	    !header_scopes(L, s, row, &c->tables[ti]))
		return;
	tc_table *t = &c->tables[ti];
	/* a level table says at which of its levels a measure applies: with
	 * one organisation column there is no other level, and its X is
	 * simply not provided (issue 21) */
	t->level = t->nscopes > 1 ||
		   (t->nscopes == 1 && L->m->scopes[t->scopes[0]].per_product);
	for (size_t k = 0; k < t->nscopes; k++)
		t->level &= L->m->scopes[t->scopes[k]].kind == SK_ORGANISATION;
	if (!cmark_node_next(row))
		tc_diags_add(L->d, s->path,
			     cmark_node_get_start_line(row) + s->line0 - 1, 1,
			     "the table has a header row but no measures");
	for (row = cmark_node_next(row); row; row = cmark_node_next(row))
		add_row(L, s, c, ti, row);
	collect_links(L, table, s->path, s->line0);
}

/* ---- categories/<file>.md ---- */

static const fm_key category_keys[] = {{"id", FM_STRING, true},
				       {"title", FM_STRING, true},
				       {"client_duty", FM_STRINGS, false},
				       {"shared", FM_STRINGS, false},
				       {"mappings", FM_MAP, false},
				       {NULL, 0, false}};

static tc_measure *find_measure(tc_category *c, const char *id, size_t n)
{
	for (size_t k = 0; k < c->nmeasures; k++)
		if (!strncmp(c->measures[k].id, id, n) &&
		    c->measures[k].id[n] == '\0')
			return &c->measures[k];
	return NULL;
}

/* Whether id[0..n) is the ID of a row refused with an error already. */
static bool dropped(const loader *L, const char *id, size_t n)
{
	for (size_t i = 0; i < L->ndropped; i++)
		if (!strncmp(L->dropped[i], id, n) && L->dropped[i][n] == '\0')
			return true;
	return false;
}

static void mark_client_duty(loader *L, fm_doc *doc, tc_category *c)
{
	json_t *list = json_object_get(fm_root(doc), "client_duty");
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v) {
		const char *id = json_string_value(v);
		tc_measure *me = find_measure(c, id, strlen(id));
		if (me) {
			me->client_duty = true;
			continue;
		}
		if (dropped(L, id, strlen(id)))
			continue;
		int line, col;
		fm_pos(doc, list, NULL, i, &line, &col);
		tc_diags_add(L->d, c->file, line, col,
			     "client_duty names '%s', which is not a measure "
			     "of this category",
			     id);
	}
}

/* "ID/scope": that cell's ✓ covers only the part its note names. */
static void mark_shared(loader *L, fm_doc *doc, tc_category *c)
{
	json_t *list = json_object_get(fm_root(doc), "shared");
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v) {
		const char *item = json_string_value(v);
		const char *slash = strchr(item, '/');
		int line, col;
		fm_pos(doc, list, NULL, i, &line, &col);
		tc_measure *me =
		    slash ? find_measure(c, item, (size_t)(slash - item))
			  : NULL;
		const tc_scope *sc =
		    slash ? tc_model_scope(L->m, slash + 1) : NULL;
		tc_cell *cell = me && sc
				    ? (tc_cell *)tc_cell_for(
					  c, me, (size_t)(sc - L->m->scopes))
				    : NULL;
		if (!cell && slash && dropped(L, item, (size_t)(slash - item)))
			continue;
		if (!cell)
			tc_diags_add(L->d, c->file, line, col,
				     "shared names '%s', which is not "
				     "'MEASURE-ID/scope-id' of a cell of this "
				     "category",
				     item);
		else if (cell->status != ST_PROVIDED || !*cell->note)
			tc_diags_add(
			    L->d, c->file, line, col,
			    "shared cell '%s' must be a \xe2\x9c\x93 with a "
			    "note that says which part we do",
			    item);
		else
			cell->shared = true;
	}
}

/* A framework name: "iso27001-2022", "nist-800-53-r5". */
static int valid_framework(const char *s)
{
	size_t n = strlen(s);
	/* a letter first: OSCAL takes it as a token (a property's class) */
	if (!n || n > 64 || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) ||
		      isdigit((unsigned char)*s) || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

/* A control ID as standards write them: "A.7.2", "5.15", "AC-2(1)". It is
 * a cell of a spreadsheet and a value of OSCAL, so no spaces at all. */
static int valid_control(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64 || !isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr(".-_()/:", *s)))
			return 0;
	return 1;
}

/* One measure's `mappings` entry: {framework: [control, ...], ...}. */
static void read_mapping(loader *L, fm_doc *doc, tc_category *c, tc_measure *me,
			 json_t *frameworks)
{
	int line, col;
	const char *fw;
	json_t *list;
	json_object_foreach (frameworks, fw, list) {
		fm_pos(doc, frameworks, fw, 0, &line, &col);
		if (!valid_framework(fw)) {
			tc_diags_add(L->d, c->file, line, col,
				     "mapping framework '%s' must be a "
				     "lower-case letter, then letters, digits, "
				     "'-' and '.' (for example iso27001-2022)",
				     fw);
			continue;
		}
		if (!json_is_array(list) || !json_array_size(list)) {
			tc_diags_add(L->d, c->file, line, col,
				     "mapping '%s' of %s must be a list of "
				     "control IDs, for example [A.7.2]",
				     fw, me->id);
			continue;
		}
		tc_mapping *mp = NULL;
		size_t i;
		json_t *v;
		json_array_foreach (list, i, v) {
			const char *ctl = json_string_value(v);
			if (!ctl || !valid_control(ctl)) {
				fm_pos(doc, list, NULL, i, &line, &col);
				tc_diags_add(L->d, c->file, line, col,
					     "control ID in mapping '%s' of "
					     "%s must be letters, digits and "
					     ".-_()/: (quote numbers: "
					     "\"8\")",
					     fw, me->id);
				continue;
			}
			if (!mp) {
				me->maps = tc_xrealloc(
				    me->maps, (me->nmaps + 1) * sizeof *mp);
				mp = &me->maps[me->nmaps++];
				*mp = (tc_mapping){tc_xstrdup(fw), NULL, 0};
			}
			mp->controls = tc_xrealloc(
			    mp->controls, (mp->ncontrols + 1) * sizeof(char *));
			mp->controls[mp->ncontrols++] = tc_xstrdup(ctl);
		}
	}
}

/* `mappings: {MEASURE-ID: {framework: [control IDs]}}`: where a measure
 * meets standard controls. Shown on its row and in every download. */
static void read_mappings(loader *L, fm_doc *doc, tc_category *c)
{
	json_t *map = json_object_get(fm_root(doc), "mappings");
	const char *id;
	json_t *v;
	json_object_foreach (map, id, v) {
		int line, col;
		fm_pos(doc, map, id, 0, &line, &col);
		tc_measure *me = find_measure(c, id, strlen(id));
		if (!me && dropped(L, id, strlen(id)))
			continue;
		if (!me)
			tc_diags_add(L->d, c->file, line, col,
				     "mappings names '%s', which is not a "
				     "measure of this category",
				     id);
		else if (!json_is_object(v))
			tc_diags_add(L->d, c->file, line, col,
				     "mappings of %s must be a map of "
				     "framework to control IDs, for example "
				     "{iso27001-2022: [A.7.2]}",
				     id);
		else
			read_mapping(L, doc, c, me, v);
	}
}

typedef struct table_error {
	tc_diags *d;
	const char *file, *message;
	int line0;
} table_error;

static int report_table(cmark_node *n, void *ud)
{
	table_error *x = ud;
	tc_diags_add(x->d, x->file, x->line0 + cmark_node_get_start_line(n) - 1,
		     cmark_node_get_start_column(n), "%s", x->message);
	return 0;
}

void tc_content_no_tables(cmark_node *root, tc_diags *d, const char *file,
			  int line0, const char *message)
{
	table_error x = {d, file, message, line0};
	md_each_table(root, report_table, &x);
}

static void read_body(loader *L, fm_doc *doc, tc_category *c)
{
	/* the content's links, as its own language (no prefix) has them */
	char *base =
	    tc_route_urldup(tc_lang_default(), R_CATEGORY, c->id, NULL);
	tsrc s = {c->file,           fm_body(doc), fm_body_len(doc),
		  fm_body_line(doc), base,         L->m->base_url};
	md_doc *md = md_parse(s.body, s.len);
	cmark_node *n = cmark_node_first_child(md_root(md));
	/* the prose blocks before each table, and after the last */
	size_t *blocks = tc_xcalloc(1, sizeof *blocks);
	while (n) {
		cmark_node *next = cmark_node_next(n);
		if (md_is(n, "table")) {
			add_table(L, &s, c, n);
			cmark_node_free(n);
			blocks = tc_xrealloc(blocks,
					     (c->ntables + 1) * sizeof *blocks);
			blocks[c->ntables] = 0;
			n = next;
			continue;
		}
		blocks[c->ntables]++;
		if (!c->description &&
		    cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
			c->description = md_plain(n);
		}
		n = next;
	}
	if (!c->description)
		c->description = tc_xstrdup("");
	/* the top-level tables are gone: any left is inside a block */
	tc_content_no_tables(md_root(md), L->d, c->file, s.line0,
			     "a table inside a quote or a list is no measure "
			     "table: its marks would show on the page and be "
			     "in no download (measure tables stand at the top "
			     "level of the file)");
	if (!c->nmeasures && !c->ntables)
		tc_diags_add(L->d, c->file, s.line0, 1,
			     "category '%s' has no measure table", c->id);
	collect_links(L, md_root(md), c->file, s.line0);
	c->prose_html = md_render(md);
	c->prose_shape = md_shape(md_root(md));
	c->prose_at = md_render_pieces(md, blocks, c->ntables + 1);
	c->prose_blocks = blocks;
	md_free(md);
	free(base);
}

static void load_category(loader *L, const char *path)
{
	char *src;
	fm_doc *doc = open_source(L, path, &src);
	if (!doc || fm_check(doc, fm_root(doc), category_keys, L->d) ||
	    !body_within_limits(L, doc, path)) {
		fm_free(doc);
		free(src);
		return;
	}
	json_t *r = fm_root(doc);
	const char *id = json_string_value(json_object_get(r, "id"));
	int line, col;
	fm_pos(doc, r, "id", 0, &line, &col);
	if (!tc_route_is_id(id))
		tc_diags_add(L->d, path, line, col,
			     "category id '%s' must be lower-case letters, "
			     "digits and '-'",
			     id);
	else if (tc_model_category(L->m, id))
		tc_diags_add(L->d, path, line, col,
			     "duplicate category id '%s'", id);
	tc_model *m = L->m;
	m->categories = tc_xrealloc(m->categories,
				    (m->ncategories + 1) * sizeof(tc_category));
	tc_category *c = &m->categories[m->ncategories++];
	memset(c, 0, sizeof *c);
	c->id = tc_xstrdup(id);
	c->title = str(r, "title");
	c->file = tc_xstrdup(path);
	read_body(L, doc, c);
	mark_client_duty(L, doc, c);
	mark_shared(L, doc, c);
	read_mappings(L, doc, c);
	fm_free(doc);
	free(src);
}

int tc_content_md_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static int md_file(const struct dirent *e)
{
	return tc_content_md_name(e->d_name);
}

/* tc_content_load_mem: the category files are the sources under dir/. */
static void load_mem_categories(loader *L, const char *dir)
{
	size_t n = strlen(dir), found = 0;
	for (size_t i = 0; i < L->nmem; i++) {
		const char *p = L->mem[i].path;
		if (strncmp(p, dir, n) != 0 || p[n] != '/')
			continue;
		if (++found > TC_MAX_CATEGORIES) {
			tc_diags_add(L->d, dir, 0, 0,
				     "more than %d category files",
				     TC_MAX_CATEGORIES);
			return;
		}
		load_category(L, p);
	}
	if (!found)
		tc_diags_add(L->d, dir, 0, 0, "no category files (*.md)");
}

static void load_categories(loader *L, const char *dir)
{
	if (L->mem) {
		load_mem_categories(L, dir);
		return;
	}
	struct dirent **list;
	int n = scandir(dir, &list, md_file, alphasort);
	if (n < 0) {
		tc_diags_add(L->d, dir, 0, 0, "cannot read folder: %s",
			     strerror(errno));
		return;
	}
	if (n == 0)
		tc_diags_add(L->d, dir, 0, 0, "no category files (*.md)");
	if (n > TC_MAX_CATEGORIES) {
		tc_diags_add(L->d, dir, 0, 0, "more than %d category files",
			     TC_MAX_CATEGORIES);
		for (int i = 0; i < n; i++)
			free(list[i]);
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		char *path =
		    tc_xmalloc(strlen(dir) + strlen(list[i]->d_name) + 2);
		sprintf(path, "%s/%s", dir, list[i]->d_name);
		load_category(L, path);
		free(path);
		free(list[i]);
	}
	free(list);
}

/* ---- links ---- */

static int anchor_in(const tc_category *c, const char *a)
{
	for (size_t i = 0; i < c->nmeasures; i++)
		if (!strcmp(c->measures[i].id, a))
			return 1;
	return 0;
}

static int is_product(const tc_model *m, const char *id)
{
	const tc_scope *sc = id ? tc_model_scope(m, id) : NULL;
	return sc && sc->kind == SK_PRODUCT;
}

/* Whether the slots of a matched route name things the site has. */
static int slots_exist(const tc_model *m, int r, char *const slots[2])
{
	switch (r) {
	case R_CATEGORY: return tc_model_category(m, slots[0]) != NULL;
	case R_PRODUCT:
	case R_PRODUCT_ANNEX:
	case R_PRODUCT_JSON:
	case R_PRODUCT_CSV:
	case R_PRODUCT_CSV_SEMICOLON:
	case R_PRODUCT_XLSX:
	case R_COMPARE_FROM:
	case R_OSCAL_COMPONENT: return is_product(m, slots[0]);
	case R_CERTIFICATE_FILE:
		for (size_t i = 0; i < m->trust->ncerts; i++)
			if (!strcmp(m->trust->certs[i].id, slots[0]))
				return m->trust->certs[i].sha256[0] != '\0';
		return 0;
	case R_COMPARE:
		return is_product(m, slots[0]) && is_product(m, slots[1]) &&
		       strcmp(slots[0], slots[1]) != 0;
	default: return 1;
	}
}

int tc_content_url_exists(const tc_model *m, const char *url)
{
	char *u = tc_xstrdup(url);
	char *hash = strchr(u, '#');
	if (hash)
		*hash++ = '\0';
	char *slots[2];
	int r = tc_route_match(u, slots);
	int ok = r >= 0 && slots_exist(m, r, slots);
	if (ok && hash)
		ok = tc_route_get((tc_route)r)->anchors &&
		     anchor_in(tc_model_category(m, slots[0]), hash);
	free(slots[0]);
	free(slots[1]);
	free(u);
	return ok;
}

int tc_content_link_ok(const tc_model *m, const tc_category *c, const char *url)
{
	if (url[0] == '/' && url[1] != '/')
		return tc_content_url_exists(m, url);
	/* "#ID" in a category's prose points at one of its measures */
	if (url[0] == '#' && c)
		return anchor_in(c, url + 1);
	return 1;
}

static void check_links(loader *L)
{
	for (size_t i = 0; i < L->nlinks; i++) {
		const link *k = &L->links[i];
		const tc_category *own = NULL;
		for (size_t c = 0; c < L->m->ncategories && k->url[0] == '#';
		     c++)
			if (!strcmp(L->m->categories[c].file, k->file))
				own = &L->m->categories[c];
		if (!tc_content_link_ok(L->m, own, k->url))
			tc_diags_add(L->d, k->file, k->line, k->col,
				     "link to '%s', a page or anchor the site "
				     "does not have",
				     k->url);
	}
}

/* The prose of certificates.md and subprocessors.md links like the rest. */
static void check_trust_links(loader *L)
{
	const tc_trust *t = L->m->trust;
	for (size_t i = 0; i < t->nlinks; i++)
		if (!tc_content_link_ok(L->m, NULL, t->links[i].url))
			tc_diags_add(L->d, t->links[i].file, t->links[i].line,
				     t->links[i].col,
				     "link to '%s', a page or anchor the site "
				     "does not have",
				     t->links[i].url);
}

/* Each phrase of a synonym entry must be in some measure: one that is in
 * none (a typo, or a measure reworded) would silently stop finding it. */
static void check_synonyms(loader *L)
{
	tc_content_check_synonyms(L->m, L->d);
}

/* The IDs of the measures where phrase occurs, ", "-separated, at most 3
 * (then "…"); 0 when none. */
static size_t measures_with(const tc_model *m, const char *phrase, tc_buf *out)
{
	size_t n = 0;
	tc_buf words = TC_BUF_INIT;
	for (size_t c = 0; c < m->ncategories; c++) {
		const tc_category *cat = &m->categories[c];
		for (size_t k = 0; k < cat->nmeasures; k++) {
			tc_buf_clear(&words);
			tc_measure_words(cat, &cat->measures[k], &words);
			if (!tc_syn_occurs(tc_buf_cstr(&words), phrase))
				continue;
			if (n < 3)
				tc_buf_printf(out, "%s%s", n ? ", " : "",
					      cat->measures[k].id);
			else if (n == 3)
				tc_buf_puts(out, ", \xe2\x80\xa6");
			n++;
		}
	}
	tc_buf_free(&words);
	return n;
}

int tc_content_check_synonyms(const tc_model *m, tc_diags *d)
{
	const tc_synonyms *s = m->synonyms;
	int problems = 0;
	tc_buf ids = TC_BUF_INIT, other = TC_BUF_INIT;
	for (size_t i = 0; i < s->n; i++)
		for (size_t t = 0; t < s->v[i].ntargets; t++) {
			tc_buf_clear(&ids);
			if (measures_with(m, s->v[i].targets[t], &ids))
				continue;
			problems++;
			/* a measure reworded took the phrase with it: the
			 * entry's other phrases say which measure it was for,
			 * so the error says that the synonym lost it */
			tc_buf_clear(&other);
			for (size_t o = 0; o < s->v[i].ntargets; o++)
				if (o != t)
					measures_with(m, s->v[i].targets[o],
						      &other);
			tc_buf why = TC_BUF_INIT;
			if (other.len)
				tc_buf_printf(&why,
					      "reworded? this entry's other "
					      "phrases are in %s",
					      tc_buf_cstr(&other));
			else
				tc_buf_puts(&why, "reworded or removed?");
			tc_diags_add(
			    d, s->file, s->v[i].lines[t], s->v[i].cols[t],
			    "'%s' is in no measure's ID, text or notes: "
			    "the synonym lost its measure (was one %s): "
			    "write the words the measure now uses, or "
			    "remove '%s'",
			    s->v[i].targets[t], tc_buf_cstr(&why),
			    s->v[i].targets[t]);
			tc_buf_free(&why);
		}
	tc_buf_free(&ids);
	tc_buf_free(&other);
	return problems;
}

static tc_model *load(const char *dir, const tc_content_file *mem, size_t nmem,
		      tc_diags *d)
{
	loader L = {.m = tc_model_new(),
		    .d = d,
		    .errors_before = tc_diags_count(d),
		    .mem = mem,
		    .nmem = nmem,
		    .marks = tc_marks_for("en")};
	L.m->trust = tc_trust_new();
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/scopes.md", dir);
	load_scopes(&L, tc_buf_cstr(&p));
	tc_buf_clear(&p);
	tc_buf_printf(&p, "%s/site.md", dir);
	load_site(&L, tc_buf_cstr(&p));
	tc_buf_clear(&p);
	tc_buf_printf(&p, "%s/categories", dir);
	load_categories(&L, tc_buf_cstr(&p));
	tc_buf_clear(&p);
	tc_buf_printf(&p, "%s/synonyms.md", dir);
	tc_syn_load(tc_buf_cstr(&p), L.m->synonyms, d);
	tc_buf_free(&p);
	/* certificates and subprocessors name scopes and are dated against
	 * the content: only on a site and scopes that loaded */
	if (tc_diags_count(d) == L.errors_before && !L.mem)
		tc_trust_load(dir, L.m, d);
	/* On a half-loaded model, links to what failed to load would only
	 * repeat the errors already reported. */
	if (tc_diags_count(d) == L.errors_before) {
		check_links(&L);
		check_synonyms(&L);
		check_trust_links(&L);
	}
	for (size_t i = 0; i < L.nlinks; i++) {
		free(L.links[i].url);
		free(L.links[i].file);
	}
	free(L.links);
	free(L.seen);
	for (size_t i = 0; i < L.ndropped; i++)
		free(L.dropped[i]);
	free(L.dropped);
	if (tc_diags_count(d) > L.errors_before) {
		tc_model_free(L.m);
		return NULL;
	}
	tc_model_apply_meaning(L.m);
	return L.m;
}

tc_model *tc_content_load(const char *dir, tc_diags *d)
{
	return load(dir, NULL, 0, d);
}

tc_model *tc_content_load_mem(const char *dir, const tc_content_file *files,
			      size_t n, tc_diags *d)
{
	/* an empty list still means "from memory" */
	static const tc_content_file none = {"", "", 0};
	return load(dir, n ? files : &none, n, d);
}
