#include "translate.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/escape.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/vocab.h"
#include "content.h"
#include "frontmatter.h"
#include "markdown.h"
#include "source.h"

typedef struct tr {
	tc_model *m;       /* the translation, words replaced as read */
	const tc_model *o; /* the original */
	tc_diags *d;
	const char *dir; /* content/<lang> */
	const char *lang;
	const tc_lang *l; /* the language written: its links and words */
	bool drafts;
	size_t errors_before;
} tr;

/* One file of the translation, parsed; NULL when missing (reported unless
 * optional) or malformed. *src must be freed after the doc. */
static fm_doc *open_file(tr *T, const char *rel, bool optional, char **src,
			 char **path)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", T->dir, rel);
	*path = tc_buf_detach(&p);
	*src = NULL;
	if (optional && access(*path, F_OK) != 0)
		return NULL;
	size_t len;
	*src = tc_source_load(*path, &len, T->d);
	if (!*src)
		return NULL;
	return fm_parse_required(*path, *src, len, T->d);
}

typedef struct checking {
	tr *T;
	const tc_category *c;
	const char *file;
	int line, col;
	bool body;
} checking;

static int check_link(cmark_node *n, void *ud)
{
	checking *k = ud;
	const char *url = cmark_node_get_url(n);
	if (!tc_content_link_ok(k->T->o, k->c, url))
		tc_diags_add(k->T->d, k->file,
			     k->body
				 ? k->line + cmark_node_get_start_line(n) - 1
				 : k->line,
			     k->body ? cmark_node_get_start_column(n) : k->col,
			     "link to '%s', a page or anchor the site does "
			     "not have",
			     url);
	return 0;
}

/* Checks the links of a parsed text: reported at (line, col) plus the
 * node's own position when the text is a body (inline: at the key). */
static void check_links(tr *T, cmark_node *root, const tc_category *c,
			const char *file, int line, int col, bool body)
{
	checking k = {T, c, file, line, col, body};
	md_each_link(root, check_link, &k);
}

static void set(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

/* The original's words kept, marked as not yet translated. */
static void draft_as(tr *T, char **html, bool block)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b,
		      block
			  ? "<div lang=\"%s\">%s<p><em class=\"draft\">"
			  : "<span lang=\"%s\">%s</span> <em class=\"draft\">",
		      T->o->lang, *html);
	const char *w = tc_msg(T->l, "draft.untranslated");
	tc_esc_html(&b, w, strlen(w));
	tc_buf_puts(&b, block ? "</em></p></div>" : "</em>");
	set(html, tc_buf_detach(&b));
}

static void draft(tr *T, char **html)
{
	draft_as(T, html, false);
}

/* The blocks of a translation's prose against the original's shape
 * (md_shape): the same headings, paragraphs and lists, one for one, so
 * that no sentence of the original goes missing in a language. Returns 1
 * when they differ, and (unless drafts are allowed: the caller then keeps
 * the original) reports the first block that differs, or where the
 * translation ends early. */
static int check_shape(tr *T, cmark_node *root, const char *shape,
		       const char *orig, const char *file, int line0)
{
	char *want = tc_xstrdup(shape ? shape : ""), *save = NULL;
	char *w = strtok_r(want, " ", &save);
	char buf[16], a[48], b[48];
	int last = line0;
	for (cmark_node *n = cmark_node_first_child(root); n;
	     n = cmark_node_next(n)) {
		if (md_is(n, "table"))
			continue;
		const char *got = md_block_shape(n, buf);
		int line = line0 + cmark_node_get_start_line(n) - 1;
		last = line0 + cmark_node_get_end_line(n) - 1;
		if (!w || strcmp(got, w)) {
			if (!T->drafts)
				tc_diags_add(
				    T->d, file, line, 1,
				    "%s where the original (%s) has %s: a "
				    "translation keeps the original's "
				    "headings, paragraphs and list items, "
				    "one for one",
				    md_shape_words(got, a), orig,
				    w ? md_shape_words(w, b) : "nothing more");
			free(want);
			return 1;
		}
		w = strtok_r(NULL, " ", &save);
	}
	if (w && !T->drafts)
		tc_diags_add(T->d, file, last, 1,
			     "the translation ends where the original (%s) "
			     "has %s more: a translation keeps the original's "
			     "headings, paragraphs and list items, one for one",
			     orig, md_shape_words(w, a));
	free(want);
	return w != NULL;
}

/* A body of prose (no tables: marks are data, kept in the original; the
 * original's blocks, one for one) as HTML with its links in this
 * language; *first is its first paragraph as plain text (may be NULL).
 * c is the original category, or NULL for the site's introduction. */
static char *prose(tr *T, fm_doc *doc, const char *file, const tc_category *c,
		   char **first, tc_category *t)
{
	if (!tc_content_body_ok(file, fm_body(doc), fm_body_len(doc),
				fm_body_line(doc), T->d))
		return tc_xstrdup("");
	md_doc *md = md_parse(fm_body(doc), fm_body_len(doc));
	int line0 = fm_body_line(doc);
	if (first)
		*first = NULL;
	tc_content_no_tables(md_root(md), T->d, file, line0,
			     "a translation has no tables: the marks are kept "
			     "once, in the original");
	int shapeless =
	    check_shape(T, md_root(md), c ? c->prose_shape : T->m->intro_shape,
			c ? c->file : T->m->site_file, file, line0);
	for (cmark_node *n = cmark_node_first_child(md_root(md)); n;
	     n = cmark_node_next(n))
		if (first && !*first &&
		    cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH)
			*first = md_plain(n);
	check_links(T, md_root(md), c, file, line0, 1, true);
	md_localize_links(md_root(md), T->l);
	char *html = md_render(md);
	/* where each block stands among the tables: the original's places,
	 * block for block */
	char **at = c && c->prose_at && t
			? md_render_pieces(md, c->prose_blocks, c->ntables + 1)
			: NULL;
	md_free(md);
	if (shapeless && T->drafts && c && at) {
		for (size_t i = 0; i <= c->ntables; i++) {
			set(&at[i], tc_xstrdup(c->prose_at[i]));
			if (*at[i])
				draft_as(T, &at[i], true);
		}
	}
	if (at) {
		for (size_t i = 0; t->prose_at && i <= t->ntables; i++)
			free(t->prose_at[i]);
		free(t->prose_at);
		t->prose_at = at;
	}
	if (shapeless && T->drafts) { /* the original's prose, whole */
		set(&html, tc_xstrdup(c ? c->prose_html : T->o->intro_html));
		draft_as(T, &html, true);
		if (first) {
			free(*first);
			*first = tc_xstrdup(c->description);
		}
	}
	return html;
}

/* Words of one measure or cell: a single paragraph of inline Markdown,
 * as plain text, HTML and data text (links in this language). Returns 0
 * and reports at the key when it is not. */
static int words(tr *T, const char *text, const tc_category *c,
		 const char *file, int line, int col, char **plain, char **html,
		 char **data)
{
	md_doc *md = md_parse(text, strlen(text));
	cmark_node *p = cmark_node_first_child(md_root(md));
	if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH ||
	    cmark_node_next(p)) {
		tc_diags_add(T->d, file, line, col,
			     "a translation of a measure or cell is one "
			     "paragraph of text");
		md_free(md);
		return 0;
	}
	check_links(T, p, c, file, line, col, false);
	char *base = tc_route_urldup(T->l, R_CATEGORY, c->id, NULL);
	*plain = md_plain(p);
	md_inline(p, T->l, base, T->m->base_url, html, data);
	free(base);
	md_free(md);
	return 1;
}

/* ---- site.md, scopes.md, releases.md ---- */

static const fm_key site_keys[] = {{"title", FM_STRING, false},
				   {"summary", FM_STRING, false},
				   {NULL, 0, false}};

static void read_site(tr *T)
{
	char *src, *path;
	fm_doc *doc = open_file(T, "site.md", false, &src, &path);
	if (doc && !fm_check(doc, fm_root(doc), site_keys, T->d)) {
		json_t *r = fm_root(doc);
		const char *t = json_string_value(json_object_get(r, "title"));
		const char *s =
		    json_string_value(json_object_get(r, "summary"));
		if (t)
			set(&T->m->title, tc_xstrdup(t));
		if (s)
			set(&T->m->summary, tc_xstrdup(s));
		set(&T->m->intro_html, prose(T, doc, path, NULL, NULL, NULL));
	}
	fm_free(doc);
	free(src);
	free(path);
}

static const fm_key scopes_keys[] = {{"scopes", FM_MAP, true},
				     {NULL, 0, false}};
static const fm_key scope_keys[] = {{"name", FM_STRING, true},
				    {"description", FM_STRING, false},
				    {NULL, 0, false}};

static void read_scopes(tr *T)
{
	char *src, *path;
	fm_doc *doc = open_file(T, "scopes.md", false, &src, &path);
	if (!doc || fm_check(doc, fm_root(doc), scopes_keys, T->d))
		goto out;
	json_t *map = json_object_get(fm_root(doc), "scopes");
	int line, col;
	const char *id;
	json_t *v;
	json_object_foreach (map, id, v) {
		fm_pos(doc, map, id, 0, &line, &col);
		const tc_scope *o = tc_model_scope(T->o, id);
		if (!o) {
			tc_diags_add(T->d, path, line, col,
				     "scope '%s' is not one of content/"
				     "scopes.md",
				     id);
			continue;
		}
		if (!json_is_object(v)) {
			tc_diags_add(T->d, path, line, col,
				     "scope '%s' must be a mapping with name "
				     "and description",
				     id);
			continue;
		}
		if (fm_check(doc, v, scope_keys, T->d))
			continue;
		tc_scope *s = &T->m->scopes[o - T->o->scopes];
		set(&s->name,
		    tc_xstrdup(json_string_value(json_object_get(v, "name"))));
		const char *desc =
		    json_string_value(json_object_get(v, "description"));
		if (desc)
			set(&s->description, tc_xstrdup(desc));
		else if (*o->description)
			tc_diags_add(T->d, path, line, col,
				     "scope '%s' has no description in '%s'",
				     id, T->lang);
	}
	fm_pos(doc, fm_root(doc), "scopes", 0, &line, &col);
	for (size_t i = 0; i < T->o->nscopes; i++)
		if (!json_object_get(map, T->o->scopes[i].id))
			tc_diags_add(T->d, path, line, col,
				     "scope '%s' has no name in '%s'",
				     T->o->scopes[i].id, T->lang);
out:
	fm_free(doc);
	free(src);
	free(path);
}

static const fm_key releases_keys[] = {
    {"summaries", FM_MAP, true}, {"words", FM_MAP, false}, {NULL, 0, false}};

/* releases.md's `words`: {version: {the original's words: the
 * translation's}}, for releases that froze no translation. */
static void read_release_words(tr *T, fm_doc *doc, const char *path)
{
	json_t *map = json_object_get(fm_root(doc), "words");
	const char *v;
	json_t *ws;
	json_object_foreach (map, v, ws) {
		int line, col;
		fm_pos(doc, map, v, 0, &line, &col);
		if (!json_is_object(ws)) {
			tc_diags_add(T->d, path, line, col,
				     "the words of %s must be a mapping of "
				     "the original's words to their "
				     "translation",
				     v);
			continue;
		}
		const char *o;
		json_t *w;
		json_object_foreach (ws, o, w) {
			fm_pos(doc, ws, o, 0, &line, &col);
			if (!json_is_string(w) || !*json_string_value(w)) {
				tc_diags_add(T->d, path, line, col,
					     "the translation of '%s' (words "
					     "of %s) must be text",
					     o, v);
				continue;
			}
			tc_model *m = T->m;
			m->rwords = tc_xrealloc(
			    m->rwords, (m->nrwords + 1) * sizeof *m->rwords);
			m->rwords[m->nrwords++] = (tc_release_word){
			    tc_xstrdup(v), tc_xstrdup(o),
			    tc_xstrdup(json_string_value(w)), line, col};
		}
	}
}

static void read_releases(tr *T)
{
	char *src, *path;
	fm_doc *doc = open_file(T, "releases.md", true, &src, &path);
	if (doc && !fm_check(doc, fm_root(doc), releases_keys, T->d)) {
		json_t *map = json_object_get(fm_root(doc), "summaries");
		const char *v;
		json_t *s;
		json_object_foreach (map, v, s) {
			if (!json_is_string(s)) {
				int line, col;
				fm_pos(doc, map, v, 0, &line, &col);
				tc_diags_add(T->d, path, line, col,
					     "the summary of %s must be text",
					     v);
				continue;
			}
			tc_model *m = T->m;
			m->summaries =
			    tc_xrealloc(m->summaries, (m->nsummaries + 1) *
							  sizeof(tc_summary));
			tc_summary *x = &m->summaries[m->nsummaries++];
			*x = (tc_summary){tc_xstrdup(v),
					  tc_xstrdup(json_string_value(s)), 0,
					  0};
			fm_pos(doc, map, v, 0, &x->line, &x->col);
		}
		read_release_words(T, doc, path);
	}
	fm_free(doc);
	free(src);
	free(path);
}

/* ---- categories ---- */

typedef struct where {
	fm_doc *doc;
	const char *path;
	const tc_category *o; /* the original */
	tc_category *c;       /* the translation */
} where;

/* The original's words of a cell: its free text, or its note. */
static const char *cell_words(const tc_cell *c)
{
	return c->status == ST_OTHER ? c->label : c->note;
}

static void read_cell(tr *T, where *w, size_t mi, size_t k, json_t *cells,
		      const char *sid)
{
	tc_cell *c = &w->c->measures[mi].cells[k];
	json_t *v = json_object_get(cells, sid);
	int line, col;
	fm_pos(w->doc, cells, sid, 0, &line, &col);
	if (!json_is_string(v)) {
		tc_diags_add(T->d, w->path, line, col,
			     "the words of cell %s/%s must be text",
			     w->o->measures[mi].id, sid);
		return;
	}
	char *plain, *html, *data;
	if (!words(T, json_string_value(v), w->o, w->path, line, col, &plain,
		   &html, &data))
		return;
	/* the original's cells all begin with a mark (content.c): a
	 * translation's words are its note, never a mark */
	set(&c->note, plain);
	set(&c->note_html, html);
	set(&c->note_data, data);
}

/* The cells of measure mi: exactly those of the original that have words. */
static void read_cells(tr *T, where *w, size_t mi, json_t *cells, int line,
		       int col)
{
	const tc_measure *om = &w->o->measures[mi];
	const tc_table *t = &w->o->tables[om->table];
	const char *sid;
	json_t *v;
	json_object_foreach (cells, sid, v) {
		size_t k = 0;
		while (k < t->nscopes &&
		       strcmp(T->o->scopes[t->scopes[k]].id, sid))
			k++;
		if (k == t->nscopes || !*cell_words(&om->cells[k])) {
			int l, c;
			fm_pos(w->doc, cells, sid, 0, &l, &c);
			tc_diags_add(T->d, w->path, l, c,
				     "measure '%s' has no words in its '%s' "
				     "cell to translate",
				     om->id, sid);
			continue;
		}
		read_cell(T, w, mi, k, cells, sid);
	}
	for (size_t k = 0; k < t->nscopes; k++) {
		const char *ow = cell_words(&om->cells[k]);
		sid = T->o->scopes[t->scopes[k]].id;
		if (!*ow || json_object_get(cells, sid))
			continue;
		if (T->drafts) {
			draft(T, &w->c->measures[mi].cells[k].note_html);
			continue;
		}
		tc_diags_add(
		    T->d, w->path, line, col,
		    "measure '%s': the words of its '%s' cell (\"%s\", "
		    "%s:%d) have no translation",
		    om->id, sid, ow, w->o->file, om->line);
	}
}

static const fm_key measure_keys[] = {
    {"text", FM_STRING, true}, {"cells", FM_MAP, false}, {NULL, 0, false}};

static void read_measure(tr *T, where *w, size_t mi, json_t *v, int line,
			 int col)
{
	tc_measure *me = &w->c->measures[mi];
	json_t *text = json_is_object(v) ? json_object_get(v, "text") : v;
	json_t *cells = json_is_object(v) ? json_object_get(v, "cells") : NULL;
	if (json_is_object(v) && fm_check(w->doc, v, measure_keys, T->d))
		return;
	if (!json_is_string(text)) {
		tc_diags_add(T->d, w->path, line, col,
			     "measure '%s' must be its text, or a mapping "
			     "with text and cells",
			     me->id);
		return;
	}
	char *plain, *html, *data;
	if (!words(T, json_string_value(text), w->o, w->path, line, col, &plain,
		   &html, &data))
		return;
	set(&me->text, plain);
	set(&me->text_html, html);
	set(&me->text_data, data);
	json_t *none = json_object();
	read_cells(T, w, mi, cells ? cells : none, line, col);
	json_decref(none);
}

static const fm_key category_keys[] = {{"id", FM_STRING, true},
				       {"title", FM_STRING, true},
				       {"measures", FM_MAP, true},
				       {NULL, 0, false}};

static void read_measures(tr *T, where *w)
{
	json_t *map = json_object_get(fm_root(w->doc), "measures");
	int line, col;
	const char *id;
	json_t *v;
	json_object_foreach (map, id, v) {
		fm_pos(w->doc, map, id, 0, &line, &col);
		size_t mi = 0;
		while (mi < w->o->nmeasures &&
		       strcmp(w->o->measures[mi].id, id))
			mi++;
		if (mi == w->o->nmeasures)
			tc_diags_add(T->d, w->path, line, col,
				     "measure '%s' is not one of category "
				     "'%s' (%s)",
				     id, w->o->id, w->o->file);
		else
			read_measure(T, w, mi, v, line, col);
	}
	fm_pos(w->doc, fm_root(w->doc), "measures", 0, &line, &col);
	for (size_t mi = 0; mi < w->o->nmeasures; mi++) {
		const tc_measure *om = &w->o->measures[mi];
		if (json_object_get(map, om->id))
			continue;
		if (T->drafts) {
			json_t *none = json_object();
			draft(T, &w->c->measures[mi].text_html);
			read_cells(T, w, mi, none, line, col);
			json_decref(none);
			continue;
		}
		tc_diags_add(
		    T->d, w->path, line, col,
		    "measure '%s' has no '%s' text (%s:%d says \"%s\")", om->id,
		    T->lang, w->o->file, om->line, om->text);
	}
}

static void read_category(tr *T, size_t ci)
{
	const tc_category *o = &T->o->categories[ci];
	const char *base = strrchr(o->file, '/');
	tc_buf rel = TC_BUF_INIT;
	tc_buf_printf(&rel, "categories/%s", base ? base + 1 : o->file);
	char *src, *path;
	fm_doc *doc = open_file(T, tc_buf_cstr(&rel), false, &src, &path);
	tc_buf_free(&rel);
	if (!doc || fm_check(doc, fm_root(doc), category_keys, T->d))
		goto out;
	json_t *r = fm_root(doc);
	const char *id = json_string_value(json_object_get(r, "id"));
	if (strcmp(id, o->id)) {
		int line, col;
		fm_pos(doc, r, "id", 0, &line, &col);
		tc_diags_add(T->d, path, line, col,
			     "id '%s' must be the original's, '%s' (%s)", id,
			     o->id, o->file);
		goto out;
	}
	tc_category *c = &T->m->categories[ci];
	set(&c->title,
	    tc_xstrdup(json_string_value(json_object_get(r, "title"))));
	char *first;
	set(&c->prose_html, prose(T, doc, path, o, &first, c));
	set(&c->description, first ? first : tc_xstrdup(""));
	set(&c->file, tc_xstrdup(path));
	where w = {doc, path, o, c};
	read_measures(T, &w);
out:
	fm_free(doc);
	free(src);
	free(path);
}

static void read_synonyms(tr *T)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/synonyms.md", T->dir);
	if (tc_syn_load(tc_buf_cstr(&p), T->m->synonyms, T->d) == 0 &&
	    tc_diags_count(T->d) == T->errors_before)
		tc_content_check_synonyms(T->m, T->d);
	tc_buf_free(&p);
}

static int md_entry(const struct dirent *e)
{
	return tc_content_md_name(e->d_name);
}

/* A file in <lang>/categories/ that no original has: it would be ignored,
 * and whatever its translator wrote would be on no page. */
static void stray_categories(tr *T)
{
	tc_buf dir = TC_BUF_INIT;
	tc_buf_printf(&dir, "%s/categories", T->dir);
	struct dirent **list;
	int n = scandir(tc_buf_cstr(&dir), &list, md_entry, alphasort);
	for (int i = 0; i < n; i++) {
		size_t k = 0;
		for (; k < T->o->ncategories; k++) {
			const char *f = T->o->categories[k].file;
			const char *b = strrchr(f, '/');
			if (!strcmp(b ? b + 1 : f, list[i]->d_name))
				break;
		}
		if (k == T->o->ncategories)
			tc_diags_add(T->d, tc_buf_cstr(&dir), 0, 0,
				     "'%s' is the translation of no category: "
				     "a translation has its original's file "
				     "name",
				     list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	tc_buf_free(&dir);
}

tc_model *tc_translate(const tc_model *m, const char *content_dir,
		       const tc_lang *l, bool drafts, tc_diags *d)
{
	const char *lang = l->code;
	tc_buf dir = TC_BUF_INIT;
	tc_buf_printf(&dir, "%s/%s", content_dir, lang);
	tr T = {tc_model_clone(m), m, d, tc_buf_cstr(&dir), lang, l, drafts,
		tc_diags_count(d)};
	set(&T.m->lang, tc_xstrdup(lang));
	read_site(&T);
	read_scopes(&T);
	for (size_t i = 0; i < m->ncategories; i++)
		read_category(&T, i);
	stray_categories(&T);
	read_releases(&T);
	read_synonyms(&T);
	tc_buf_free(&dir);
	if (tc_diags_count(d) > T.errors_before) {
		tc_model_free(T.m);
		return NULL;
	}
	return T.m;
}

/* ---- released data sets ---- */

/* The member of list whose "id" is id. */
static json_t *by_id(json_t *list, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v) {
		const char *x = json_string_value(json_object_get(v, "id"));
		if (x && id && !strcmp(x, id))
			return v;
	}
	return NULL;
}

/* o[key] takes t[key] when it is what e[key] says; true when it did. */
static bool word(json_t *o, json_t *e, json_t *t, const char *key)
{
	json_t *ov = json_object_get(o, key), *ev = json_object_get(e, key),
	       *tv = json_object_get(t, key);
	if (ov && ev && tv && json_equal(ov, ev)) {
		json_object_set(o, key, tv);
		return true;
	}
	return false;
}

/* A cell's label or note that kept the original's words: "<key>_lang"
 * names their language, so a page says it (lang="en") and a German reader
 * (and a screen reader) knows the words are not German. */
static void cell_word(json_t *c, json_t *ec, json_t *tc, const char *key,
		      const char *orig_lang)
{
	if (word(c, ec, tc, key) || !orig_lang)
		return;
	const char *v = json_string_value(json_object_get(c, key));
	if (v && *v) {
		char k[16];
		snprintf(k, sizeof k, "%s_lang", key);
		json_object_set_new(c, k, json_string(orig_lang));
	}
}

static void measures(json_t *ms, json_t *ems, json_t *tms,
		     const char *orig_lang)
{
	size_t i;
	json_t *m;
	json_array_foreach (ms, i, m) {
		const char *id = json_string_value(json_object_get(m, "id"));
		json_t *em = by_id(ems, id), *tm = by_id(tms, id);
		if (em && tm)
			word(m, em, tm, "text");
		const char *sid;
		json_t *c;
		json_object_foreach (json_object_get(m, "cells"), sid, c) {
			json_t *ec = json_object_get(
				   json_object_get(em, "cells"), sid),
			       *tc = json_object_get(
				   json_object_get(tm, "cells"), sid);
			cell_word(c, ec, tc, "label", orig_lang);
			cell_word(c, ec, tc, "note", orig_lang);
		}
	}
}

json_t *tc_translate_data(json_t *data, json_t *orig_data, json_t *t_data,
			  const char *orig_lang)
{
	json_t *out = json_deep_copy(data);
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(out, "scopes"), i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		json_t *e = by_id(json_object_get(orig_data, "scopes"), id),
		       *t = by_id(json_object_get(t_data, "scopes"), id);
		if (e && t)
			word(v, e, t, "name");
	}
	json_array_foreach (json_object_get(out, "categories"), i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		json_t *e = by_id(json_object_get(orig_data, "categories"), id),
		       *t = by_id(json_object_get(t_data, "categories"), id);
		if (e && t)
			word(v, e, t, "title");
		measures(json_object_get(v, "measures"),
			 json_object_get(e, "measures"),
			 json_object_get(t, "measures"), orig_lang);
	}
	return out;
}

/* ---- a released model, translated ---- */

/* *o takes t when it is e (tc_translate_data's word); true when it did. */
static bool take(char **o, const char *e, const char *t)
{
	if (!*o || !e || !t || strcmp(*o, e))
		return false;
	set(o, tc_xstrdup(t));
	return true;
}

/* m's category id, or NULL. */
static const tc_category *category_by_id(const tc_model *m, const char *id)
{
	for (size_t i = 0; m && i < m->ncategories; i++)
		if (!strcmp(m->categories[i].id, id))
			return &m->categories[i];
	return NULL;
}

static const tc_measure *measure_by_id(const tc_category *c, const char *id)
{
	for (size_t i = 0; c && i < c->nmeasures; i++)
		if (!strcmp(c->measures[i].id, id))
			return &c->measures[i];
	return NULL;
}

/* The cell of measure me (of category c of m) in scope sid, or NULL. */
static const tc_cell *cell_by_scope(const tc_model *m, const tc_category *c,
				    const tc_measure *me, const char *sid)
{
	if (!me)
		return NULL;
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++)
		if (!strcmp(m->scopes[t->scopes[i]].id, sid))
			return &me->cells[i];
	return NULL;
}

/* A released cell's label or note (*o; *o2 its copy as data, or NULL)
 * takes t when it is e, else says it kept lang's words (*mark). */
static void cell_take(char **o, char **o2, const char *e, const char *t,
		      char **mark, const char *lang)
{
	if (take(o, e, t)) {
		if (o2)
			set(o2, tc_xstrdup(*o));
	} else if (*o && **o)
		set(mark, tc_xstrdup(lang));
}

void tc_translate_release(tc_model *rm, const tc_model *orig, const tc_model *t)
{
	for (size_t i = 0; i < rm->nscopes; i++) {
		tc_scope *s = &rm->scopes[i];
		const tc_scope *e = NULL, *ts = NULL;
		for (size_t k = 0; !e && k < orig->nscopes; k++)
			if (!strcmp(orig->scopes[k].id, s->id))
				e = &orig->scopes[k];
		for (size_t k = 0; !ts && k < t->nscopes; k++)
			if (!strcmp(t->scopes[k].id, s->id))
				ts = &t->scopes[k];
		if (e && ts)
			take(&s->name, e->name, ts->name);
	}
	for (size_t i = 0; i < rm->ncategories; i++) {
		tc_category *c = &rm->categories[i];
		const tc_category *ec = category_by_id(orig, c->id),
				  *tcat = category_by_id(t, c->id);
		if (ec && tcat)
			take(&c->title, ec->title, tcat->title);
		for (size_t k = 0; k < c->nmeasures; k++) {
			tc_measure *me = &c->measures[k];
			const tc_measure *em = measure_by_id(ec, me->id),
					 *tm = measure_by_id(tcat, me->id);
			if (em && tm &&
			    take(&me->text, em->text_data, tm->text_data))
				set(&me->text_data, tc_xstrdup(me->text));
			const tc_table *tb = &c->tables[me->table];
			for (size_t j = 0; j < tb->nscopes; j++) {
				const char *sid = rm->scopes[tb->scopes[j]].id;
				tc_cell *x = &me->cells[j];
				const tc_cell *e = cell_by_scope(orig, ec, em,
								 sid),
					      *tx = cell_by_scope(t, tcat, tm,
								  sid);
				cell_take(&x->label, NULL, e ? e->label : NULL,
					  tx ? tx->label : NULL, &x->label_lang,
					  orig->lang);
				cell_take(&x->note, &x->note_data,
					  e ? e->note_data : NULL,
					  tx ? tx->note_data : NULL,
					  &x->note_lang, orig->lang);
			}
		}
	}
}

/* ---- an old release's words, translated ---- */

/* Sets every cell label or note of set (a data set or a tom, as
 * tc_translate_data reads them) that is orig to words; with marked, only
 * those that say they kept the original's words ("<key>_lang"), whose
 * mark goes. Returns how many it set. */
static size_t overlay(json_t *set, const char *orig, const char *words,
		      bool marked)
{
	size_t n = 0, i, j;
	json_t *c, *m;
	json_array_foreach (json_object_get(set, "categories"), i, c) {
		json_array_foreach (json_object_get(c, "measures"), j, m) {
			const char *sid;
			json_t *cell;
			json_object_foreach (json_object_get(m, "cells"), sid,
					     cell) {
				for (int k = 0; k < 2; k++) {
					const char *key = k ? "note" : "label";
					const char *lk =
					    k ? "note_lang" : "label_lang";
					const char *v = json_string_value(
					    json_object_get(cell, key));
					if (!v || strcmp(v, orig) ||
					    (marked &&
					     !json_object_get(cell, lk)))
						continue;
					json_object_set_new(cell, key,
							    json_string(words));
					json_object_del(cell, lk);
					n++;
				}
			}
		}
	}
	return n;
}

/* overlay's marked form on a release's pages' model: each cell's label or
 * note that is orig and says it kept the original's words. */
static void overlay_model(tc_model *rm, const char *orig, const char *words)
{
	for (size_t i = 0; i < rm->ncategories; i++) {
		const tc_category *c = &rm->categories[i];
		for (size_t k = 0; k < c->nmeasures; k++) {
			const tc_measure *me = &c->measures[k];
			size_t n = c->tables[me->table].nscopes;
			for (size_t j = 0; j < n; j++) {
				tc_cell *x = &me->cells[j];
				if (x->label_lang && !strcmp(x->label, orig)) {
					set(&x->label, tc_xstrdup(words));
					set(&x->label_lang, NULL);
				}
				if (x->note_lang && !strcmp(x->note, orig)) {
					set(&x->note, tc_xstrdup(words));
					set(&x->note_data, tc_xstrdup(words));
					set(&x->note_lang, NULL);
				}
			}
		}
	}
}

int tc_translate_release_words(const tc_model *t, tc_release *rel, size_t n,
			       const char *path, tc_diags *d)
{
	int bad = 0;
	for (size_t i = 0; i < t->nrwords; i++) {
		const tc_release_word *w = &t->rwords[i];
		tc_release *x = NULL;
		for (size_t k = 0; k < n && !x; k++)
			if (!strcmp(rel[k].version, w->version))
				x = &rel[k];
		if (!x || x->frozen) {
			tc_diags_add(d, path, w->line, w->col,
				     x ? "words of version '%s', whose release "
					 "froze this language's words"
				       : "words of version '%s', which is not "
					 "released",
				     w->version);
			bad++;
			continue;
		}
		/* the pages' data set says which words kept the original's */
		if (!overlay(x->data, w->orig, w->words, true)) {
			tc_diags_add(d, path, w->line, w->col,
				     "version %s has no label or note '%s' "
				     "left in the original's words",
				     w->version, w->orig);
			bad++;
			continue;
		}
		if (x->tom_words)
			overlay(x->tom_words, w->orig, w->words, false);
		if (x->model)
			overlay_model(x->model, w->orig, w->words);
	}
	return bad;
}
