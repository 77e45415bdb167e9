#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/ftstok.h"
#include "../lib/indexfmt.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/tomdata.h"
#include "countries.h"
#include "release.h"
#include "source.h"
#include "trust.h"

static const char *schema = "PRAGMA journal_mode=OFF;"
			    "PRAGMA synchronous=OFF;" TC_IX_SCHEMA;

/* The model's language, and the others' codes for the default's index. */
static const char *lang_of(const tc_model *m)
{
	return m->lang ? m->lang : "en";
}

/* A vocabulary term and the forms the content writes it in (see
 * written_cb): the most frequent form that is not the term itself, unless
 * the content also writes the term as it is. */
#define WRITTEN_FORMS 4
typedef struct written {
	char *term;
	int plain; /* the content writes the term as it is */
	char *form[WRITTEN_FORMS];
	long n[WRITTEN_FORMS];
} written;

typedef struct writer {
	const tc_lang *l; /* the index's language */
	sqlite3 *db;
	sqlite3_stmt *meta, *measure, *fts, *tpl, *cell, *export, *filter;
	sqlite3_stmt *entry, *efts; /* the entries (lib/indexfmt.h) */
	sqlite3_int64 nentries;
	sqlite3_stmt *words; /* the measures' words as written, for vocab */
	tc_ftsdict *dict;    /* what compounds split into (lib/ftstok.h) */
	/* the catalog's products in order (fts's columns p0, p1, ...) */
	const char **products;
	size_t nproducts;
	tc_pick *all;   /* everything: what each measure's stored JSON keeps */
	written *forms; /* open addressing by term, nforms of cap used */
	size_t nforms, capforms;
	uint64_t hash; /* FNV-1a over everything stored: the ETag */
	tc_diags *d;
	int reported; /* a problem already in d: no SQLite message */
} writer;

static void hash(writer *w, const char *s)
{
	/* "\xff" separates: "ab"+"c" differs from "a"+"bc" */
	w->hash = tc_fnv1a(tc_fnv1a(w->hash, s), "\xff");
}

static int step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int put_meta(writer *w, const char *key, const char *value)
{
	hash(w, value);
	sqlite3_bind_text(w->meta, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->meta, 2, value, -1, SQLITE_TRANSIENT);
	return step(w->meta);
}

static int put_json_meta(writer *w, const char *key, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = put_meta(w, key, s);
	free(s);
	return rc;
}

/* The compact JSON of v (jansson's, so what tc-search splices is what it
 * would write itself); caller frees. */
static char *compact(json_t *v)
{
	return json_dumps(v,
			  JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* A search result up to its snippet (lib/indexfmt.h, measures.head). */
static char *result_head(const tc_category *c, const tc_measure *me,
			 const char *url)
{
	json_t *r = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "id", me->id,
			      "text", me->text, "url", url, "category", "id",
			      c->id, "title", c->title);
	char *s = r ? compact(r) : NULL;
	json_decref(r);
	if (!s)
		return NULL;
	tc_buf b = TC_BUF_INIT;
	tc_buf_put(&b, s, strlen(s) - 1); /* without the closing brace */
	tc_buf_puts(&b, ",\"snippet\":");
	free(s);
	return tc_buf_detach(&b);
}

/* The catalog's ordinal of the product id, or -1. */
static int product_of(const writer *w, const char *id)
{
	for (size_t i = 0; id && i < w->nproducts; i++)
		if (!strcmp(w->products[i], id))
			return (int)i;
	return -1;
}

/* The measure's filters row (lib/indexfmt.h): what its cells say, as
 * the search's filters ask it: all of them, those that answer for every
 * product (the product rule, lib/tomdata.h: site and organisation cells),
 * each product's own. */
static int put_filter(writer *w, sqlite3_int64 rowid, size_t category,
		      int general, const tc_model *m, const tc_table *t,
		      const tc_measure *me)
{
	sqlite3_int64 mask = 0, every = 0;
	size_t n = w->nproducts * TC_IX_PRODUCT_BYTES;
	unsigned char *prod = tc_xcalloc(n ? n : 1, 1);
	for (size_t j = 0; j < t->nscopes; j++) {
		const tc_scope *sc = &m->scopes[t->scopes[j]];
		int pair = TC_IX_PAIR(me->cells[j].status, me->cells[j].resp);
		int k = sc->kind == SK_PRODUCT ? product_of(w, sc->id) : -1;
		mask |= (sqlite3_int64)1 << pair;
		if (tc_cell_role_of(sc->kind, false) == CR_EVERY)
			every |= (sqlite3_int64)1 << pair;
		if (k >= 0 && j <= 255) {
			prod[k * TC_IX_PRODUCT_BYTES] =
			    (unsigned char)(pair + 1);
			prod[k * TC_IX_PRODUCT_BYTES + 1] = (unsigned char)j;
		}
	}
	sqlite3_bind_int64(w->filter, 1, rowid);
	sqlite3_bind_int64(w->filter, 2, (sqlite3_int64)category);
	sqlite3_bind_int(w->filter, 3, general);
	sqlite3_bind_int64(w->filter, 4, mask);
	sqlite3_bind_int64(w->filter, 5, every);
	sqlite3_bind_blob(w->filter, 6, prod, (int)n, SQLITE_TRANSIENT);
	free(prod);
	return step(w->filter);
}

/* One row per cell of measure me (lib/indexfmt.h, cells). */
static int put_cells(writer *w, sqlite3_int64 rowid, const tc_model *m,
		     const tc_table *t, const tc_measure *me)
{
	int rc = 0;
	for (size_t j = 0; j < t->nscopes; j++) {
		sqlite3_bind_int64(w->cell, 1, rowid);
		sqlite3_bind_int(w->cell, 2, (int)j);
		sqlite3_bind_text(w->cell, 3, m->scopes[t->scopes[j]].id, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(w->cell, 4, tc_status_id(me->cells[j].status),
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(w->cell, 5, tc_resp_id(me->cells[j].resp), -1,
				  SQLITE_STATIC);
		rc = rc || step(w->cell);
	}
	return rc;
}

/* The measure's row: what a search answer and a built export take of it:
 * the measure as api/tom.json has it (tc_model_measure_compact), and its
 * cells' members, comma-separated (measures.cells). */
static int put_row(writer *w, const tc_model *m, const tc_category *c,
		   size_t category, size_t k, int general, sqlite3_int64 rowid)
{
	const tc_measure *me = &c->measures[k];
	const tc_table *t = &c->tables[me->table];
	tc_buf url = TC_BUF_INIT;
	tc_route_measure_url(&url, w->l, c->id, me->id);
	char *head = result_head(c, me, tc_buf_cstr(&url));
	tc_buf js = TC_BUF_INIT;
	size_t at = 0;
	tc_model_measure_compact(m, w->all, w->l, category, k, &js, &at);
	const char *json = tc_buf_cstr(&js);
	tc_buf cells = TC_BUF_INIT;
	tc_buf_put(&cells, js.data + at, js.len - 2 - at);
	int rc = !head || put_cells(w, rowid, m, t, me) ||
		 put_filter(w, rowid, category, general, m, t, me);
	sqlite3_bind_int64(w->measure, 1, rowid);
	sqlite3_bind_text(w->measure, 2, me->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 3, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 4, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 5, tc_buf_cstr(&url), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 6, me->text, -1, SQLITE_STATIC);
	sqlite3_bind_int(w->measure, 7, general);
	sqlite3_bind_text(w->measure, 8, head, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 9, tc_buf_cstr(&cells), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(w->measure, 10, json, -1, SQLITE_STATIC);
	rc = rc || step(w->measure);
	tc_buf_free(&cells);
	free(head);
	tc_buf_free(&js);
	tc_buf_free(&url);
	return rc;
}

/* The words of cell i: its free text, or its note after the mark. */
static const char *cell_note(const tc_cell *cell)
{
	return cell->status == ST_OTHER ? cell->label : cell->note;
}

/* Whether an earlier cell of the row has the same words as cell i. A row
 * has at most as many cells as a table has columns (TC_MAX_SCOPES). kind:
 * only the cells of scopes of kind site or organisation (shared), or any
 * (-1). */
static int same_note_before(const tc_model *m, const tc_table *t,
			    const tc_measure *me, size_t i, const char *note,
			    int shared)
{
	for (size_t j = 0; j < i; j++) {
		tc_scope_kind k = m->scopes[t->scopes[j]].kind;
		if ((!shared || k == SK_SITE || k == SK_ORGANISATION) &&
		    !strcmp(cell_note(&me->cells[j]), note))
			return 1;
	}
	return 0;
}

static int put_measure(writer *w, const tc_model *m, const tc_category *c,
		       size_t category, size_t k, sqlite3_int64 rowid)
{
	const tc_measure *me = &c->measures[k];
	const tc_table *t = &c->tables[me->table];
	tc_buf notes = TC_BUF_INIT, scopes = TC_BUF_INIT, shared = TC_BUF_INIT;
	/* each product's own note (fts's product columns) */
	const char **own = tc_xcalloc(w->nproducts + 1, sizeof *own);
	for (size_t i = 0; i < t->nscopes; i++) {
		const tc_cell *cell = &me->cells[i];
		const char *note = cell_note(cell);
		const tc_scope *sc = &m->scopes[t->scopes[i]];
		/* puts, not printf: this runs for every cell of the site;
		 * a note the row has already is not repeated (four products
		 * with the same note made snippets say it four times, and
		 * weighted the word four times in the ranking) */
		if (*note && !same_note_before(m, t, me, i, note, 0)) {
			if (notes.len)
				tc_buf_puts(&notes, " · ");
			tc_buf_puts(&notes, note);
		}
		/* what concerns every product: sites, the organisation (an
		 * internal system's notes concern none) */
		if (*note &&
		    (sc->kind == SK_SITE || sc->kind == SK_ORGANISATION) &&
		    !same_note_before(m, t, me, i, note, 1)) {
			if (shared.len)
				tc_buf_puts(&shared, " · ");
			tc_buf_puts(&shared, note);
		}
		int p = sc->kind == SK_PRODUCT ? product_of(w, sc->id) : -1;
		if (p >= 0)
			own[p] = note;
		if (i)
			tc_buf_puts(&scopes, ", ");
		tc_buf_puts(&scopes, sc->name);
	}
	/* what customers type for what this measure says */
	tc_buf words = TC_BUF_INIT, syn = TC_BUF_INIT;
	tc_measure_words(c, me, &words);
	tc_syn_expand(m->synonyms, tc_buf_cstr(&words), &syn);
	tc_buf_putc(&words, ' ');
	tc_buf_puts(&words, c->title);
	tc_buf_putc(&words, ' ');
	tc_buf_puts(&words, tc_buf_cstr(&syn));
	int rc = put_row(w, m, c, category, k,
			 tc_concerns(t->has_products, false), rowid);
	sqlite3_bind_int64(w->fts, 1, rowid);
	sqlite3_bind_text(w->fts, 2, me->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 3, me->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 4, tc_buf_cstr(&notes), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->fts, 5, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->fts, 6, tc_buf_cstr(&scopes), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(w->fts, 7, tc_buf_cstr(&syn), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->fts, 8, tc_buf_cstr(&shared), -1,
			  SQLITE_TRANSIENT);
	for (size_t i = 0; i < w->nproducts; i++)
		sqlite3_bind_text(w->fts, 9 + (int)i, own[i] ? own[i] : "", -1,
				  SQLITE_STATIC);
	rc = rc || step(w->fts);
	free(own);
	tc_buf_free(&shared);
	sqlite3_bind_int64(w->words, 1, rowid);
	sqlite3_bind_text(w->words, 2, tc_buf_cstr(&words), -1,
			  SQLITE_TRANSIENT);
	rc = rc || step(w->words);
	tc_buf_free(&words);
	tc_buf_free(&syn);
	tc_buf_free(&notes);
	tc_buf_free(&scopes);
	return rc;
}

/* The dictionary compounds are split against (TC_IX_SCHEMA's dict): every
 * word of the measures' IDs, texts, notes, categories and synonyms, made
 * before the first row is written (the tokenizer splits with it), and
 * stored for tc-search, which splits queries with it. */
static int put_dict(writer *w, const tc_model *m)
{
	int rc = 0;
	for (size_t i = 0; i < m->ncategories && rc == 0; i++) {
		const tc_category *c = &m->categories[i];
		rc = tc_ftsdict_add_text(w->dict, c->title, strlen(c->title));
		for (size_t k = 0; k < c->nmeasures && rc == 0; k++) {
			const tc_measure *me = &c->measures[k];
			tc_buf words = TC_BUF_INIT, syn = TC_BUF_INIT;
			tc_measure_words(c, me, &words);
			tc_syn_expand(m->synonyms, tc_buf_cstr(&words), &syn);
			rc = tc_ftsdict_add_text(w->dict,
						 words.data ? words.data : "",
						 words.len) ||
			     tc_ftsdict_add_text(
				 w->dict, syn.data ? syn.data : "", syn.len);
			tc_buf_free(&words);
			tc_buf_free(&syn);
		}
	}
	tc_ftsdict_seal(w->dict);
	sqlite3_stmt *st = NULL;
	rc = rc || sqlite3_prepare_v2(w->db, TC_IX_INSERT_DICT, -1, &st,
				      NULL) != SQLITE_OK;
	for (size_t i = 0; rc == 0 && i < tc_ftsdict_count(w->dict); i++) {
		const char *t = tc_ftsdict_word(w->dict, i);
		hash(w, t);
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		rc = step(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- entries: what else a search finds (lib/indexfmt.h) ---- */

/* One entry: a search result that is not a measure. kind, id, text (its
 * title) and url make its head, with its page (section: the page it is
 * on, its ID and title); extra (stolen, may be NULL) the kind's own keys
 * after "cells":{}. notes, scopes and words are its other searched
 * columns; products its products as ",a,b," (NULL: every product). */
typedef struct entry {
	const char *kind, *id, *text, *url, *section, *section_title;
	const char *notes, *scopes, *words, *products;
	int shown;
	json_t *extra;
} entry;

static int put_entry(writer *w, entry *e)
{
	json_t *h =
	    json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "kind", e->kind,
		      "id", e->id, "text", e->text, "url", e->url, "category",
		      "id", e->section, "title", e->section_title);
	json_t *t = json_pack("{s:{}}", "cells");
	if (t && e->extra)
		json_object_update(t, e->extra);
	json_decref(e->extra);
	e->extra = NULL;
	char *hs = h ? compact(h) : NULL, *ts = t ? compact(t) : NULL;
	json_decref(h);
	json_decref(t);
	int rc = !hs || !ts;
	tc_buf head = TC_BUF_INIT, tail = TC_BUF_INIT;
	if (!rc) {
		/* head without its closing brace, tail without its opening */
		tc_buf_put(&head, hs, strlen(hs) - 1);
		tc_buf_puts(&head, ",\"snippet\":");
		tc_buf_putc(&tail, ',');
		tc_buf_puts(&tail, ts + 1);
		hash(w, tc_buf_cstr(&head));
		hash(w, tc_buf_cstr(&tail));
		hash(w, e->notes);
		hash(w, e->scopes);
		hash(w, e->words);
		hash(w, e->products ? e->products : "");
	}
	sqlite3_int64 rowid = ++w->nentries;
	sqlite3_bind_int64(w->entry, 1, rowid);
	sqlite3_bind_text(w->entry, 2, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->entry, 3, e->id, -1, SQLITE_STATIC);
	if (e->products)
		sqlite3_bind_text(w->entry, 4, e->products, -1, SQLITE_STATIC);
	sqlite3_bind_int(w->entry, 5, e->shown);
	sqlite3_bind_text(w->entry, 6, tc_buf_cstr(&head), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->entry, 7, tc_buf_cstr(&tail), -1, SQLITE_STATIC);
	rc = rc || step(w->entry);
	const char *cols[] = {e->id,     e->text, e->notes, e->section_title,
			      e->scopes, e->words};
	sqlite3_bind_int64(w->efts, 1, rowid);
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(w->efts, i + 2, cols[i], -1, SQLITE_STATIC);
	rc = rc || step(w->efts);
	/* its words are offered as suggestions too; their rowids (negative)
	 * are apart from the measures' */
	tc_buf words = TC_BUF_INIT;
	for (int i = 0; i < 6; i++)
		tc_buf_printf(&words, "%s ", cols[i]);
	sqlite3_bind_int64(w->words, 1, -rowid);
	sqlite3_bind_text(w->words, 2, tc_buf_cstr(&words), -1, SQLITE_STATIC);
	rc = rc || step(w->words);
	tc_buf_free(&words);
	tc_buf_free(&head);
	tc_buf_free(&tail);
	free(hs);
	free(ts);
	return rc;
}

/* " · " between the parts that are not empty. */
static void put_part(tc_buf *b, const char *s)
{
	if (!s || !*s)
		return;
	if (b->len)
		tc_buf_puts(b, " · ");
	tc_buf_puts(b, s);
}

/* A country's name in the index's language, then its others (English,
 * German) where they differ: "Deutschland" finds Germany on the English
 * pages too. shown: the name is already in b. */
static void put_country(tc_buf *b, const char *code, const char *lang,
			int shown)
{
	const tc_country *c = code && *code ? tc_country_get(code) : NULL;
	if (!c)
		return;
	const char *own = tc_country_name(c, lang);
	if (!shown)
		put_part(b, own);
	if (strcmp(tc_country_name(c, "en"), own))
		put_part(b, tc_country_name(c, "en"));
	if (strcmp(tc_country_name(c, "de"), own))
		put_part(b, tc_country_name(c, "de"));
}

/* The scope names of ids, ", "-separated, and ",a,b," into list. */
static void put_scopes(const tc_model *m, char **ids, tc_buf *names,
		       tc_buf *list)
{
	for (char **p = ids; p && *p; p++) {
		const tc_scope *s = tc_model_scope(m, *p);
		if (names->len)
			tc_buf_puts(names, ", ");
		tc_buf_puts(names, s ? s->name : *p);
		if (list)
			tc_buf_printf(list, "%s%s,", list->len ? "" : ",", *p);
	}
}

static char *url_of(const tc_lang *l, tc_route r, const char *a,
		    const char *anchor)
{
	tc_buf u = TC_BUF_INIT;
	tc_route_url(&u, l, r, a, NULL);
	if (anchor)
		tc_buf_printf(&u, "#%s", anchor);
	return tc_buf_detach(&u);
}

/* {"state":…,"note":…} (and "file" when given): what the page says of an
 * entry's state, in words of the language. */
static json_t *state_extra(const char *state, const char *note,
			   const char *file)
{
	json_t *x = json_pack("{s:s, s:s}", "state", state, "note", note);
	if (x && file)
		json_object_set_new(x, "file", json_string(file));
	return x;
}

static int put_certificates(writer *w, const tc_model *m, const tc_trust *t)
{
	static const char *const state_key[CS__COUNT] = {
	    "cert.state.valid", "cert.state.renewal-due", "cert.state.expired",
	    "cert.state.withdrawn"};
	int rc = 0;
	for (size_t i = 0; i < t->ncerts && rc == 0; i++) {
		const tc_certificate *c = &t->certs[i];
		tc_buf notes = TC_BUF_INIT, scopes = TC_BUF_INIT,
		       list = TC_BUF_INIT, note = TC_BUF_INIT;
		tc_msgf(&note, w->l, state_key[c->state], "date",
			c->valid_until, NULL);
		put_part(&notes, c->scope);
		put_part(&notes, c->issuer);
		put_part(&notes, c->number);
		put_part(&notes, tc_buf_cstr(&note));
		put_scopes(m, c->products, &scopes, &list);
		put_scopes(m, c->sites, &scopes, NULL);
		char *url = url_of(w->l, R_CERTIFICATES, NULL, c->id);
		char *file = *c->sha256
				 ? url_of(w->l, R_CERTIFICATE_FILE, c->id, NULL)
				 : NULL;
		/* a site's certificate covers every product (tc_cert_covers) */
		entry e = {"certificate",
			   c->id,
			   c->standard,
			   url,
			   "certificates",
			   tc_msg(w->l, "certs_title"),
			   tc_buf_cstr(&notes),
			   tc_buf_cstr(&scopes),
			   "",
			   c->nsites ? NULL : tc_buf_cstr(&list),
			   TC_IX_SHOWN_ALWAYS,
			   state_extra(tc_cert_state_id(c->state),
				       tc_buf_cstr(&note), file)};
		rc = put_entry(w, &e);
		free(url);
		free(file);
		tc_buf_free(&notes);
		tc_buf_free(&scopes);
		tc_buf_free(&list);
		tc_buf_free(&note);
	}
	return rc;
}

static int put_subprocessors(writer *w, const tc_model *m, const tc_trust *t)
{
	static const char *const state_key[SS__COUNT] = {
	    "sub.state.current", "sub.state.upcoming", "sub.state.ending",
	    "sub.state.former"};
	static const char *const transfer_key[TR__COUNT] = {
	    "transfer.eu-eea", "transfer.adequacy", "transfer.scc"};
	int rc = 0;
	for (size_t i = 0; i < t->nsubs && rc == 0; i++) {
		const tc_subprocessor *s = &t->subs[i];
		tc_buf notes = TC_BUF_INIT, scopes = TC_BUF_INIT,
		       list = TC_BUF_INIT, note = TC_BUF_INIT;
		tc_msgf(&note, w->l, state_key[s->state], "since", s->since,
			"until", s->until, NULL);
		put_part(&notes, s->purpose);
		put_part(&notes, s->entity);
		put_part(&notes, s->address);
		put_country(&notes, s->country, lang_of(m), 0);
		put_part(&notes, tc_msg(w->l, transfer_key[s->transfer]));
		put_part(&notes, tc_buf_cstr(&note));
		put_scopes(m, s->products, &scopes, &list);
		char *url = url_of(w->l, R_SUBPROCESSORS, NULL, s->id);
		json_t *x = state_extra(tc_sub_state_id(s->state),
					tc_buf_cstr(&note), NULL);
		json_object_set_new(x, "country", json_string(s->country));
		entry e = {"subprocessor",
			   s->id,
			   s->name,
			   url,
			   "subprocessors",
			   tc_msg(w->l, "subs_title"),
			   tc_buf_cstr(&notes),
			   tc_buf_cstr(&scopes),
			   "",
			   tc_buf_cstr(&list),
			   TC_IX_SHOWN_ALWAYS,
			   x};
		rc = put_entry(w, &e);
		free(url);
		tc_buf_free(&notes);
		tc_buf_free(&scopes);
		tc_buf_free(&list);
		tc_buf_free(&note);
	}
	return rc;
}

/* The sites that say where they are (scopes.md's country and city): the
 * contact page's data locations. A site concerns every product. */
static int put_locations(writer *w, const tc_model *m)
{
	int rc = 0;
	const char *lang = lang_of(m);
	for (size_t i = 0; i < m->nscopes && rc == 0; i++) {
		const tc_scope *s = &m->scopes[i];
		if (s->kind != SK_SITE ||
		    (!(s->country && *s->country) && !(s->city && *s->city)))
			continue;
		const tc_country *c = s->country && *s->country
					  ? tc_country_get(s->country)
					  : NULL;
		tc_buf place = TC_BUF_INIT, notes = TC_BUF_INIT,
		       words = TC_BUF_INIT;
		put_part(&place, s->city);
		if (c) {
			if (place.len)
				tc_buf_puts(&place, ", ");
			tc_buf_puts(&place, tc_country_name(c, lang));
		}
		/* the place as the page shows it, then both names */
		put_part(&notes, tc_buf_cstr(&place));
		put_country(&notes, s->country, lang, c != NULL);
		put_part(&notes, s->description);
		put_part(&words, tc_msg(w->l, "contact_locations"));
		put_part(&words, tc_msg(w->l, "contact_locations_lead"));
		char *url = url_of(w->l, R_CONTACT, NULL, "places-h");
		json_t *x = json_pack("{s:s}", "note", tc_buf_cstr(&place));
		if (x && c)
			json_object_set_new(x, "country",
					    json_string(s->country));
		entry e = {"location",
			   s->id,
			   s->name,
			   url,
			   "contact",
			   tc_msg(w->l, "contact_title"),
			   tc_buf_cstr(&notes),
			   "",
			   tc_buf_cstr(&words),
			   NULL,
			   TC_IX_SHOWN_ALWAYS,
			   x};
		rc = put_entry(w, &e);
		free(url);
		tc_buf_free(&place);
		tc_buf_free(&notes);
		tc_buf_free(&words);
	}
	return rc;
}

/* A page of the site: its title, and what it is about in words of the
 * language (its description, or the labels it shows). */
static int put_page(writer *w, const char *id, tc_route r, const char *title,
		    const char *notes, const char *words)
{
	char *url = url_of(w->l, r, NULL, NULL);
	entry e = {"page",
		   id,
		   title,
		   url,
		   id,
		   title,
		   notes,
		   "",
		   words,
		   NULL,
		   TC_IX_SHOWN_ALWAYS,
		   NULL};
	int rc = put_entry(w, &e);
	free(url);
	return rc;
}

/* The annex (Appendix 2 to the DPA) and its PDF: every product's without
 * a product filter, the product's with one. */
static int put_annexes(writer *w, const tc_model *m)
{
	tc_buf notes = TC_BUF_INIT;
	put_part(&notes, tc_msg(w->l, "annex_kicker"));
	put_part(&notes, tc_msg(w->l, "annex.description"));
	char *url = url_of(w->l, R_ANNEX, NULL, NULL);
	char *pdf = url_of(w->l, R_ANNEX_PDF, NULL, NULL);
	entry e = {"page",
		   "annex",
		   tc_msg(w->l, "annex.title"),
		   url,
		   "annex",
		   tc_msg(w->l, "annex"),
		   tc_buf_cstr(&notes),
		   "",
		   "PDF",
		   NULL,
		   TC_IX_SHOWN_UNFILTERED,
		   json_pack("{s:s}", "file", pdf)};
	int rc = put_entry(w, &e);
	free(url);
	free(pdf);
	for (size_t i = 0; i < m->nscopes && rc == 0; i++) {
		const tc_scope *s = &m->scopes[i];
		if (s->kind != SK_PRODUCT)
			continue;
		tc_buf title = TC_BUF_INIT, pnotes = TC_BUF_INIT,
		       list = TC_BUF_INIT, f = TC_BUF_INIT;
		tc_msgf(&title, w->l, "annex.product_title", "product", s->name,
			NULL);
		put_part(&pnotes, tc_msg(w->l, "annex_kicker"));
		tc_msgf(&f, w->l, "annex.product_lead", "product", s->name,
			NULL);
		put_part(&pnotes, tc_buf_cstr(&f));
		tc_buf_printf(&list, ",%s,", s->id);
		url = url_of(w->l, R_PRODUCT_ANNEX, s->id, NULL);
		pdf = url_of(w->l, R_PRODUCT_ANNEX_PDF, s->id, NULL);
		entry pe = {"page",
			    "annex",
			    tc_buf_cstr(&title),
			    url,
			    "annex",
			    tc_msg(w->l, "annex"),
			    tc_buf_cstr(&pnotes),
			    s->name,
			    "PDF",
			    tc_buf_cstr(&list),
			    TC_IX_SHOWN_PRODUCT,
			    json_pack("{s:s}", "file", pdf)};
		rc = put_entry(w, &pe);
		free(url);
		free(pdf);
		tc_buf_free(&title);
		tc_buf_free(&pnotes);
		tc_buf_free(&list);
		tc_buf_free(&f);
	}
	tc_buf_free(&notes);
	return rc;
}

/* The contact page: its labels, and the contact's own words (a DPO's
 * name, the addresses without their scheme). */
static int put_contact(writer *w, const tc_trust *t)
{
	static const char *const labels[] = {
	    "contact_description", "contact_security", "contact_policy",
	    "contact_dpo",         "contact_imprint",  "contact_privacy",
	    "contact_locations"};
	tc_buf notes = TC_BUF_INIT, words = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		put_part(&words, tc_msg(w->l, labels[i]));
	const tc_contact *c = &t->contact;
	const char *values[] = {c->security,    c->policy,  c->dpo,
				c->dpo_contact, c->imprint, c->privacy};
	for (size_t i = 0; t->has_contact && i < 6; i++) {
		const char *v = values[i] ? values[i] : "";
		const char *colon = strchr(v, ':');
		/* mailto:x → x, https://x → x */
		if (colon && strspn(v, "abcdefghijklmnopqrstuvwxyz") ==
				 (size_t)(colon - v))
			v = colon + 1 + strspn(colon + 1, "/");
		put_part(&notes, v);
	}
	int rc =
	    put_page(w, "contact", R_CONTACT, tc_msg(w->l, "contact_title"),
		     tc_buf_cstr(&notes), tc_buf_cstr(&words));
	tc_buf_free(&notes);
	tc_buf_free(&words);
	return rc;
}

/* Every entry, in the order of the site's pages: the annex, certificates,
 * subprocessors, the contact and its locations. The bundled content has
 * no certificate, subprocessor nor located site: its pages are entries
 * still (they say "none published"). */
static int put_entries(writer *w, const tc_model *m)
{
	static const tc_trust none = {0};
	const tc_trust *t = m->trust ? m->trust : &none;
	int rc = put_annexes(w, m);
	rc = rc || put_page(w, "certificates", R_CERTIFICATES,
			    tc_msg(w->l, "certs_title"),
			    tc_msg(w->l, "certs_description"), "");
	rc = rc || put_certificates(w, m, t);
	rc = rc || put_page(w, "subprocessors", R_SUBPROCESSORS,
			    tc_msg(w->l, "subs_title"),
			    tc_msg(w->l, "subs_description"), "");
	rc = rc || put_subprocessors(w, m, t);
	rc = rc || put_contact(w, t);
	rc = rc || put_locations(w, m);
	return rc;
}

static int put_export(writer *w, const char *format, const char *product,
		      const tc_buf *body)
{
	char key[256];
	if (tc_ix_export_key(key, sizeof key, format, product) < 0)
		return -1;
	sqlite3_bind_text(w->export, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(w->export, 2, body->data ? body->data : "",
			    body->len, SQLITE_STATIC);
	return step(w->export);
}

/* The common downloads, made by the code /api/export runs for the other
 * filters (lib/model.h, tc_pick_filter and the writers over it), so
 * stored and built answers cannot differ: the whole set and each
 * product, JSON and CSV. */
static int put_exports(writer *w, const tc_model *m)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i <= m->nscopes; i++) {
		const tc_scope *s = i ? &m->scopes[i - 1] : NULL;
		if (s && s->kind != SK_PRODUCT)
			continue;
		const char *p = s ? s->id : NULL;
		tc_pick *f = tc_pick_filter(m, p, NULL, NULL, NULL);
		tc_buf body = TC_BUF_INIT;
		tc_model_write(m, f, w->l, &body);
		rc = put_export(w, "json", p, &body);
		tc_buf_clear(&body);
		tc_model_csv(m, f, w->l, ',', &body, NULL, NULL);
		rc = rc || put_export(w, "csv", p, &body);
		tc_buf_free(&body);
		tc_pick_free(f);
	}
	return rc;
}

/* What a customer's annex is made from (the export TC_IX_ANNEX_VERSIONS): the
 * current version (its data set is the stored "json" export) and each release,
 * newest first, whose data set in this language's words is stored as the
 * export "annex/<version>". A release that froze this language's translation
 * names that file's digest, and the original's file and digest beside it, as
 * its annexes on the site do (gen/site_pdf.c). */
static int put_annex_data(writer *w, const tc_model *m, const char *sha)
{
	json_t *list = json_array();
	tc_buf url = TC_BUF_INIT, body = TC_BUF_INIT;
	tc_buf_puts(&url, m->base_url);
	tc_route_url(&url, w->l, R_TOM_JSON, NULL, NULL);
	json_array_append_new(
	    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id", "current",
			    "version", m->version, "date", m->date, "sha256",
			    sha, "url", tc_buf_cstr(&url), "translated", 0));
	const tc_releases *rs = m->releases;
	int rc = 0;
	bool translated = *w->l->prefix != '\0';
	for (size_t k = rs ? rs->n : 0; rc == 0 && k-- > 0;) {
		const tc_release *x = &rs->v[k];
		tc_buf_clear(&url);
		tc_buf_puts(&url, m->base_url);
		tc_route_url(&url, w->l, R_VERSION_TOM, x->version, NULL);
		json_t *v = json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:b}", "id", x->version,
		    "version", x->version, "date", x->date, "sha256",
		    x->frozen ? x->frozen->sha256 : x->sha256, "url",
		    tc_buf_cstr(&url), "translated", translated && !x->frozen);
		if (x->frozen) {
			/* the original's file, in the first language's
			 * folder */
			size_t n;
			const tc_lang *all = tc_lang_all(w->l, &n);
			tc_buf_clear(&url);
			tc_buf_puts(&url, m->base_url);
			tc_route_url(&url, &all[0], R_VERSION_TOM, x->version,
				     NULL);
			json_object_set_new(v, "orig_url",
					    json_string(tc_buf_cstr(&url)));
			json_object_set_new(v, "orig_sha256",
					    json_string(x->sha256));
		}
		json_array_append_new(list, v);
		tc_buf_clear(&body);
		tc_tom_dump(x->tom_words ? x->tom_words : x->tom, &body);
		rc = put_export(w, "annex", x->version, &body);
	}
	char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	tc_buf_clear(&body);
	tc_buf_puts(&body, text);
	free(text);
	rc = rc || put_export(w, TC_IX_ANNEX_VERSIONS, NULL, &body);
	json_decref(list);
	tc_buf_free(&url);
	tc_buf_free(&body);
	return rc;
}

/* The export without its measures (TC_IX_CATALOG). */
static int put_catalog(writer *w, const tc_model *m)
{
	tc_buf s = TC_BUF_INIT;
	tc_model_catalog_compact(m, w->l, &s);
	int rc = put_meta(w, TC_IX_CATALOG, tc_buf_cstr(&s));
	tc_buf_free(&s);
	return rc;
}

static int tpl_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 9 && !strcmp(e->d_name + n - 9, ".mustache");
}

static int put_templates(writer *w, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, tpl_file, alphasort);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
		/* every *.mustache, used by a page or not: one that is a
		 * symlink to /dev/zero must not be read to the end */
		char *src = tc_source_load(tc_buf_cstr(&p), NULL, w->d);
		list[i]->d_name[strlen(list[i]->d_name) - 9] = '\0';
		if (!src) {
			w->reported = 1;
			rc = -1;
		} else if (rc == 0) {
			hash(w, src);
			sqlite3_bind_text(w->tpl, 1, list[i]->d_name, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(w->tpl, 2, src, -1, SQLITE_STATIC);
			rc = step(w->tpl);
		}
		free(src);
		tc_buf_free(&p);
		free(list[i]);
	}
	free(list);
	return rc;
}

/* The measures, in the order of the model and of the export. */
static int put_measures(writer *w, const tc_model *m)
{
	int rc = 0;
	sqlite3_int64 rowid = 0;
	for (size_t i = 0; i < m->ncategories && rc == 0; i++) {
		const tc_category *c = &m->categories[i];
		for (size_t k = 0; k < c->nmeasures && rc == 0; k++)
			rc = put_measure(w, m, c, i, k, ++rowid);
	}
	return rc;
}

/* ---- the vocabulary's words as written ---- */

static size_t form_slot(const writer *w, const char *t, size_t n)
{
	uint64_t h = TC_FNV_INIT;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)t[i]) * 0x100000001b3ULL;
	size_t i = (size_t)h & (w->capforms - 1);
	while (w->forms[i].term && (strlen(w->forms[i].term) != n ||
				    memcmp(w->forms[i].term, t, n)))
		i = (i + 1) & (w->capforms - 1);
	return i;
}

static void forms_grow(writer *w)
{
	written *old = w->forms;
	size_t cap = w->capforms;
	w->capforms = cap ? cap * 2 : 1024;
	w->forms = tc_xcalloc(w->capforms, sizeof *w->forms);
	for (size_t i = 0; i < cap; i++)
		if (old[i].term)
			w->forms[form_slot(w, old[i].term,
					   strlen(old[i].term))] = old[i];
	free(old);
}

/* FTS5 gives each token of a row of temp.words (the unicode61 tokenizer's
 * term, lower case and without diacritics) with where it is written: the
 * form is counted for its term. */
typedef struct form_ctx {
	writer *w;
	const char *text;
} form_ctx;

static int written_cb(void *ctx, int flags, const char *tok, int ntok,
		      int start, int end)
{
	form_ctx *f = ctx;
	writer *w = f->w;
	(void)flags;
	if (ntok <= 0 || end <= start)
		return SQLITE_OK;
	if (2 * (w->nforms + 1) > w->capforms)
		forms_grow(w);
	written *x = &w->forms[form_slot(w, tok, (size_t)ntok)];
	if (!x->term) {
		x->term = tc_xmalloc((size_t)ntok + 1);
		memcpy(x->term, tok, (size_t)ntok);
		x->term[ntok] = '\0';
		w->nforms++;
	}
	const char *s = f->text + start;
	size_t n = (size_t)(end - start);
	if (n == (size_t)ntok && !memcmp(s, tok, n)) {
		x->plain = 1;
		return SQLITE_OK;
	}
	for (int i = 0; i < WRITTEN_FORMS; i++) {
		if (!x->form[i]) {
			x->form[i] = tc_xmalloc(n + 1);
			memcpy(x->form[i], s, n);
			x->form[i][n] = '\0';
		}
		if (strlen(x->form[i]) == n && !memcmp(x->form[i], s, n)) {
			x->n[i]++;
			break;
		}
	}
	return SQLITE_OK;
}

/* tc_written(words): counts the forms of the row's words (written_cb). */
static void written_fn(const Fts5ExtensionApi *api, Fts5Context *fts,
		       sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	const char *text;
	int n;
	form_ctx f = {api->xUserData(fts), NULL};
	int rc = api->xColumnText(fts, 0, &text, &n);
	f.text = text;
	if (rc == SQLITE_OK && text)
		rc = api->xTokenize(fts, text, n, &f, written_cb);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
}

/* The word a term is offered as: the term when the content writes it so,
 * else its most frequent form (the first of equals, in the order met). */
static const char *written_word(const writer *w, const char *term)
{
	if (!w->capforms)
		return term;
	const written *x = &w->forms[form_slot(w, term, strlen(term))];
	const char *best = term;
	long most = 0;
	for (int i = 0; x->term && !x->plain && i < WRITTEN_FORMS; i++)
		if (x->form[i] && x->n[i] > most) {
			best = x->form[i];
			most = x->n[i];
		}
	return best;
}

static void forms_free(writer *w)
{
	for (size_t i = 0; i < w->capforms; i++) {
		free(w->forms[i].term);
		for (int k = 0; k < WRITTEN_FORMS; k++)
			free(w->forms[i].form[k]);
	}
	free(w->forms);
}

/* vocab: the words of temp.words as its tokenizer folds them, in at
 * least 3 letters, with how many rows use each and the word as written
 * (written_word). */
static int put_vocab(writer *w)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL, *ins = NULL;
	int rc = sqlite3_prepare_v2(w->db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!api)
		return -1;
	rc = api->xCreateFunction(api, "tc_written", w, written_fn, NULL);
	rc = rc || sqlite3_exec(w->db,
				"SELECT tc_written(words) FROM temp.words;"
				"CREATE VIRTUAL TABLE temp.wv USING "
				"fts5vocab('temp', 'words', 'row');",
				NULL, NULL, NULL) != SQLITE_OK;
	rc = rc || sqlite3_prepare_v2(w->db,
				      "SELECT term, doc FROM temp.wv WHERE "
				      "length(term) >= 3 AND term GLOB "
				      "'*[a-z]*'",
				      -1, &st, NULL) != SQLITE_OK;
	rc = rc || sqlite3_prepare_v2(w->db,
				      "INSERT INTO vocab(term, docs, word) "
				      "VALUES(?,?,?)",
				      -1, &ins, NULL) != SQLITE_OK;
	int r = SQLITE_DONE;
	while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		sqlite3_bind_text(ins, 1, t, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(st, 1));
		sqlite3_bind_text(ins, 3, written_word(w, t), -1,
				  SQLITE_STATIC);
		rc = step(ins);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	return rc || r != SQLITE_DONE ||
	       sqlite3_exec(w->db, "DROP TABLE temp.wv; DROP TABLE temp.words",
			    NULL, NULL, NULL) != SQLITE_OK;
}

static int fill(writer *w, const tc_model *m, const char *tom,
		const char *changes, json_t *page, const char *templates)
{
	if (sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	int rc = put_dict(w, m);
	rc = rc || put_measures(w, m);
	rc = rc || put_entries(w, m);
	/* the vocabulary: the words of the measures as the search tokenizer
	 * splits them, without stemming, and how many measures use each */
	rc = rc || put_vocab(w);
	rc = rc || put_templates(w, templates);
	rc = rc || put_exports(w, m);
	/* the stored data derives from tom.json, the templates, the page
	 * context and the changes: they make the ETag */
	hash(w, tom);
	char sha[65];
	tc_sha256_hex(tom, strlen(tom), sha);
	rc = rc || put_meta(w, TC_IX_FORMAT, TC_INDEX_FORMAT);
	rc = rc || put_meta(w, TC_IX_VERSION, m->version);
	rc = rc || put_meta(w, TC_IX_DATE, m->date);
	rc = rc || put_meta(w, TC_IX_ORGANISATION, m->organisation);
	rc = rc || put_meta(w, TC_IX_TOM_SHA256, sha);
	rc = rc || put_catalog(w, m);
	rc = rc || put_annex_data(w, m, sha);
	rc = rc || put_meta(w, TC_IX_CHANGES, changes ? changes : "{}");
	rc = rc || put_json_meta(w, TC_IX_PAGE, page);
	rc = rc || put_meta(w, TC_IX_LANG, lang_of(m));
	rc = rc || put_meta(w, TC_IX_TOKENIZE, tc_ix_tokenize(lang_of(m)));
	rc = rc || put_json_meta(w, TC_IX_MSGS,
				 (json_t *)tc_msgs_json(tc_lang_msgs(w->l)));
	if (m->nlanguages && !strcmp(lang_of(m), m->languages[0])) {
		json_t *others = json_array();
		for (size_t i = 1; i < m->nlanguages; i++)
			json_array_append_new(others,
					      json_string(m->languages[i]));
		rc = rc || put_json_meta(w, TC_IX_LANGUAGES, others);
		json_decref(others);
	}
	char etag[32];
	snprintf(etag, sizeof etag, "%016llx", (unsigned long long)w->hash);
	rc = rc || put_meta(w, TC_IX_ETAG, etag);
	/* FTS5 checks its indexes against the rows they were made from here,
	 * where the connection may write (its integrity-check is an INSERT,
	 * which tc-search's read-only connection cannot run); the digest
	 * then vouches for every byte tc-search reads */
	rc = rc ||
	     sqlite3_exec(w->db,
			  "INSERT INTO fts(fts) VALUES('optimize');"
			  "INSERT INTO fts(fts) VALUES('integrity-check');"
			  "INSERT INTO efts(efts) VALUES('optimize');"
			  "INSERT INTO efts(efts) VALUES('integrity-check');"
			  "COMMIT",
			  NULL, NULL, NULL) != SQLITE_OK;
	char digest[65];
	rc = rc || tc_ix_digest(w->db, digest) != SQLITE_OK;
	rc = rc || put_meta(w, TC_IX_DIGEST, digest);
	return rc;
}

/* The catalog's products, in order: fts's columns p0, p1, ... */
static void list_products(writer *w, const tc_model *m)
{
	w->products = tc_xcalloc(m->nscopes + 1, sizeof *w->products);
	for (size_t i = 0; i < m->nscopes; i++)
		if (m->scopes[i].kind == SK_PRODUCT)
			w->products[w->nproducts++] = m->scopes[i].id;
	w->all = tc_pick_all(m);
}

static int prepare(writer *w, const tc_model *m)
{
	list_products(w, m);
	tc_buf cols = TC_BUF_INIT, sql = TC_BUF_INIT, ins = TC_BUF_INIT;
	tc_buf_puts(&ins, TC_IX_INSERT_FTS);
	for (size_t i = 0; i < w->nproducts; i++) {
		tc_buf_printf(&cols, ", p%zu", i);
		tc_buf_printf(&ins, ", p%zu", i);
	}
	tc_buf_puts(&ins, ") VALUES(?,?,?,?,?,?,?,?");
	for (size_t i = 0; i < w->nproducts; i++)
		tc_buf_puts(&ins, ",?");
	tc_buf_putc(&ins, ')');
	tc_buf_printf(&sql, schema, tc_buf_cstr(&cols),
		      tc_ix_tokenize(lang_of(m)), tc_ix_tokenize(lang_of(m)));
	int rc = !w->dict ||
		 tc_ftstok_register_dict(w->db, w->dict) != SQLITE_OK ||
		 sqlite3_exec(w->db, tc_buf_cstr(&sql), NULL, NULL, NULL) !=
		     SQLITE_OK ||
		 sqlite3_prepare_v2(w->db, tc_buf_cstr(&ins), -1, &w->fts,
				    NULL) != SQLITE_OK ||
		 sqlite3_prepare_v2(w->db, TC_IX_INSERT_FILTER, -1, &w->filter,
				    NULL) != SQLITE_OK;
	tc_buf_free(&cols);
	tc_buf_free(&sql);
	tc_buf_free(&ins);
	return rc ||
	       sqlite3_exec(w->db,
			    "CREATE VIRTUAL TABLE temp.words USING fts5(t, "
			    "tokenize='unicode61 remove_diacritics 2', "
			    "detail=none)",
			    NULL, NULL, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db,
				  "INSERT INTO temp.words(rowid, t) "
				  "VALUES(?,?)",
				  -1, &w->words, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_META, -1, &w->meta,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_MEASURE, -1, &w->measure,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_CELL, -1, &w->cell,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_EXPORT, -1, &w->export,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_TEMPLATE, -1, &w->tpl,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_ENTRY, -1, &w->entry,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(w->db, TC_IX_INSERT_EFTS, -1, &w->efts,
				  NULL) != SQLITE_OK;
}

char *tc_index_write(const tc_model *m, const tc_lang *l, const char *tom,
		     json_t *page, const char *changes, const char *templates,
		     const char *path, tc_diags *d)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s.tmp-XXXXXX", path);
	char *tmp = tc_buf_detach(&p);
	tc_mkdirs_parent(path); /* a failure shows as mkstemp's */
	int fd = mkstemp(tmp);
	if (fd < 0) {
		tc_diags_add(d, path, 0, 0,
			     "cannot create the search index: %s",
			     strerror(errno));
		free(tmp);
		return NULL;
	}
	close(fd);
	writer w = {
	    .l = l, .hash = TC_FNV_INIT, .d = d, .dict = tc_ftsdict_new()};
	int rc = sqlite3_open(tmp, &w.db) != SQLITE_OK || prepare(&w, m) ||
		 fill(&w, m, tom, changes, page, templates);
	if (rc && !w.reported)
		tc_diags_add(d, path, 0, 0, "cannot write the search index: %s",
			     sqlite3_errmsg(w.db));
	sqlite3_finalize(w.meta);
	sqlite3_finalize(w.measure);
	sqlite3_finalize(w.fts);
	sqlite3_finalize(w.tpl);
	sqlite3_finalize(w.cell);
	sqlite3_finalize(w.export);
	sqlite3_finalize(w.words);
	sqlite3_finalize(w.entry);
	sqlite3_finalize(w.efts);
	sqlite3_finalize(w.filter);
	sqlite3_close(w.db);
	tc_ftsdict_free(w.dict);
	free(w.products);
	tc_pick_free(w.all);
	forms_free(&w);
	if (rc) {
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	chmod(tmp, 0644);
	return tmp;
}

/* The digest tc_index_write stored in the index, into out. */
static int read_digest(sqlite3 *db, char out[65])
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, TC_IX_SELECT_META, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, TC_IX_DIGEST, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	const char *v = (const char *)sqlite3_column_text(st, 0);
	if (rc == SQLITE_ROW && v && strlen(v) == 64)
		memcpy(out, v, 65);
	rc = rc == SQLITE_ROW && v && strlen(v) == 64 ? SQLITE_OK
						      : SQLITE_CORRUPT;
	sqlite3_finalize(st);
	return rc;
}

int tc_index_stamp(char *const *tmp, size_t n, const char *path, tc_diags *d)
{
	sqlite3 **db = tc_xcalloc(n ? n : 1, sizeof *db);
	tc_buf digests = TC_BUF_INIT;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		char dg[65];
		rc = sqlite3_open_v2(tmp[i], &db[i], SQLITE_OPEN_READWRITE,
				     NULL);
		/* as the writer: a temporary file, renamed into place whole
		 * (4 syncs per index otherwise, for nothing) */
		rc = rc == SQLITE_OK
			 ? sqlite3_exec(db[i], "PRAGMA synchronous=OFF", NULL,
					NULL, NULL)
			 : rc;
		rc = rc == SQLITE_OK ? read_digest(db[i], dg) : rc;
		if (rc == SQLITE_OK)
			tc_buf_puts(&digests, dg);
	}
	char build[65];
	tc_sha256_hex(digests.data ? digests.data : "", digests.len, build);
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		sqlite3_stmt *st;
		rc =
		    sqlite3_prepare_v2(db[i], TC_IX_INSERT_META, -1, &st, NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, TC_IX_BUILD, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, build, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK)
		tc_diags_add(d, path, 0, 0,
			     "cannot stamp the search indexes with their "
			     "build: %s",
			     sqlite3_errstr(rc));
	for (size_t i = 0; i < n; i++)
		sqlite3_close(db[i]);
	free(db);
	tc_buf_free(&digests);
	return rc == SQLITE_OK ? 0 : -1;
}

int tc_index_commit(const char *tmp, const char *path)
{
	return rename(tmp, path);
}
