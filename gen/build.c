#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/xlsx.h"
#include "changes.h"
#include "content.h"
#include "export.h"
#include "frontmatter.h"
#include "index.h"
#include "limits.h"
#include "publish.h"
#include "release.h"
#include "source.h"
#include "translate.h"

/* The whole data set's workbook is the biggest single piece of work of a
 * big site's build (deflating one row per measure and scope) and needs
 * nothing the pages make: a thread writes it while the pages are written
 * (lib/xlsx.h), and the site's writer collects it where it would have
 * written it. Same bytes either way. Only the default language's, l: the
 * thread is given it with its job (its words, its routes). */
static void start_workbook(const char *staging, const tc_lang *l,
			   const tc_model *m, const char *tom, size_t tom_len)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/", staging);
	tc_route_file(&p, l, R_TOM_XLSX, NULL, NULL);
	if (tc_mkdirs_parent(tc_buf_cstr(&p)) == 0)
		tc_xlsx_start(m, NULL, l, tom, tom_len, tc_buf_cstr(&p));
	tc_buf_free(&p);
}

/* The languages of the site: the content's own first, at the root. Each
 * names set as its site's (lib/lang.h), whose governing language
 * set_governing fills in once its data set is known. */
typedef struct langs {
	tc_langs set;
	tc_lang v[TC_MAX_LANGUAGES];
	tc_msgs *msgs[TC_MAX_LANGUAGES];
	char prefix[TC_MAX_LANGUAGES][8];
	size_t n;
} langs;

/* Each language's catalogue, templates/i18n/<code>.json, with the keys
 * of the built-in English one: a word missing in one language would
 * show its key on that language's pages. Returns the number of broken
 * catalogues, as the other loaders of tc_build count their problems (a -1
 * here once summed with their zeros to "no problem", and a build with a
 * broken catalogue went on without languages and crashed). */
static int load_langs(const tc_model *m, const char *templates, langs *L,
		      tc_diags *d)
{
	int bad = 0;
	memset(L, 0, sizeof *L);
	for (size_t i = 0; i < m->nlanguages; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/i18n/%s.json", templates,
			      m->languages[i]);
		size_t len = 0;
		char *text = tc_source_load(tc_buf_cstr(&p), &len, d);
		tc_msgs *msgs =
		    text ? tc_msgs_parse(tc_buf_cstr(&p), text, len, d) : NULL;
		free(text);
		if (!msgs || tc_msgs_check(tc_msgs_default(), msgs,
					   tc_buf_cstr(&p), d)) {
			tc_msgs_free(msgs);
			bad++;
		} else {
			L->msgs[L->n] = msgs;
			if (i)
				snprintf(L->prefix[L->n], sizeof L->prefix[0],
					 "/%s", m->languages[i]);
			L->v[L->n] = (tc_lang){m->languages[i], L->prefix[L->n],
					       msgs, &L->set};
			L->n++;
		}
		tc_buf_free(&p);
	}
	L->set = (tc_langs){L->v, L->n, NULL};
	return bad;
}

/* site.md's `languages: []` lists no language. The content's loader
 * takes a missing list for the content's English alone; an empty one
 * must not quietly build a site without its translations. Returns 1
 * after reporting it at the key. */
static int no_languages(const tc_model *m, tc_diags *d)
{
	size_t len = 0;
	char *src = tc_source_load(m->site_file, &len, d);
	fm_doc *doc = src ? fm_parse(m->site_file, src, len, d) : NULL;
	json_t *root = doc ? fm_root(doc) : NULL;
	json_t *l = json_object_get(root, "languages");
	int bad = json_is_array(l) && json_array_size(l) == 0;
	if (bad) {
		int line, col;
		fm_pos(doc, root, "languages", 0, &line, &col);
		tc_diags_add(d, m->site_file, line, col,
			     "`languages` lists no language: list them, the "
			     "content's own first (languages: [en, de]), or "
			     "leave the key out for the content's language "
			     "alone");
	}
	fm_free(doc);
	free(src);
	return bad;
}

static void free_langs(langs *L)
{
	for (size_t i = 0; i < L->n; i++)
		tc_msgs_free(L->msgs[i]);
}

/* The changes of m since the releases (its data set: data), in its
 * language l, with the $schema of its language's site. */
static tc_history history(const tc_lang *l, const tc_releases *rel,
			  const tc_model *m, json_t *data)
{
	char *schema = tc_export_schema_url(m, "changes");
	tc_history h = {rel, tc_changes_build(l, rel, m, data)};
	h.changes->schema = tc_arena_strdup(h.changes->arena, schema);
	free(schema);
	return h;
}

/* The change data as the index stores it (lib/changes.h's JSON). */
static char *changes_text(const tc_changeset *cs)
{
	json_t *j = tc_changeset_json(cs);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

/* The search index of a translation: the default's path and ".<code>". */
static char *lang_index_path(const char *index, const char *code)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s.%s", index, code);
	return tc_buf_detach(&p);
}

/* What a translation is made against: the content in its own language,
 * as model, exported data set and release data set, and its releases. */
typedef struct original {
	const tc_model *m;
	json_t *doc;  /* tc_export_json(m); NULL when there are no releases */
	json_t *data; /* tc_release_data(m) */
	const tc_releases *rel;
} original;

/* A summary in content/<lang>/releases.md is of a release or of the
 * content's own version: one of another version would be shown nowhere. */
static int stray_summaries(const tc_build_opts *o, const original *orig,
			   const tc_model *t, tc_diags *d)
{
	int bad = 0;
	for (size_t i = 0; i < t->nsummaries; i++) {
		const tc_summary *s = &t->summaries[i];
		if (!strcmp(s->version, orig->m->version) ||
		    tc_releases_find(orig->rel, s->version))
			continue;
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/%s/releases.md", o->content, t->lang);
		tc_diags_add(d, tc_buf_cstr(&p), s->line, s->col,
			     "a summary of version '%s', which is neither "
			     "released nor the content's version (%s)",
			     s->version, orig->m->version);
		tc_buf_free(&p);
		bad++;
	}
	return bad;
}

/* The site in one more language, from the translation in content/<lang>/,
 * into the same staging folder (its routes are under its prefix). */
static int write_translation(const tc_build_opts *o, const original *orig,
			     const tc_lang *l, const char *staging, tc_diags *d,
			     tc_build_result *r, char **index_tmp)
{
	tc_model *t = tc_translate(orig->m, o->content, l, o->drafts, d);
	if (!t)
		return -1;
	if (stray_summaries(o, orig, t, d)) {
		tc_model_free(t);
		return -1;
	}
	/* the releases in this language: the translation a release froze,
	 * else (a release of before translations were frozen) as far as its
	 * words are still the original's today: the change pages and the old
	 * annexes */
	const tc_releases *rel = orig->rel;
	json_t *data = tc_release_data(t);
	if (tc_release_check_lang(rel, orig->m, l->code, data, d)) {
		json_decref(data);
		tc_model_free(t);
		return -1;
	}
	tc_releases lrel = {tc_xcalloc(rel->n + 1, sizeof(tc_release)), rel->n};
	int failed = 0;
	/* the export tree only for what is still JSON: the releases' words
	 * in this language (tc_translate_data; README, "Where the data is
	 * still JSON") */
	json_t *doc = rel->n ? tc_export_json(t, l) : NULL;
	int refused = rel->n && !doc;
	for (size_t i = 0; i < rel->n; i++) {
		const tc_release_lang *fz =
		    tc_release_lang_find(&rel->v[i], l->code);
		lrel.v[i] = rel->v[i];
		lrel.v[i].frozen = fz;
		lrel.v[i].data =
		    fz ? json_incref(fz->data)
		       : tc_translate_data(rel->v[i].data, orig->data, data,
					   orig->m->lang);
		lrel.v[i].tom_words =
		    fz ? json_incref(fz->tom)
		    : doc
			? tc_translate_data(rel->v[i].tom, orig->doc, doc, NULL)
			: NULL;
		/* the pages' model: the release's, in this language */
		lrel.v[i].model = NULL;
		if (fz || !doc)
			continue;
		lrel.v[i].model =
		    tc_release_model(rel->v[i].tom, rel->v[i].file, d);
		if (!lrel.v[i].model)
			failed = 1;
		else
			tc_translate_release(lrel.v[i].model, orig->m, t);
	}
	/* an old release's words in this language, where the translation
	 * gives them (content/<lang>/releases.md's words) */
	tc_buf rp = TC_BUF_INIT;
	tc_buf_printf(&rp, "%s/%s/releases.md", o->content, t->lang);
	int bad =
	    tc_translate_release_words(t, lrel.v, lrel.n, tc_buf_cstr(&rp), d);
	tc_buf_free(&rp);
	tc_history hist = history(l, &lrel, t, data);
	t->releases = &lrel;
	json_decref(data);
	size_t len = 0;
	char *tom = refused ? NULL : tc_export_model_text(t, l, &len);
	tc_site_stats st = {.budget = o->max_site_bytes};
	int rc = tom && !bad && !failed
		     ? tc_site_write(t, l, tom, len, o->templates, staging,
				     &hist, d, &st)
		     : -1;
	if (rc == 0) {
		r->site.pages += st.pages;
		r->site.files += st.files;
		r->site.bytes += st.bytes;
	}
	if (rc == 0 && o->index) {
		json_t *page = tc_site_context(t, l);
		char *changes = changes_text(hist.changes);
		char *path = lang_index_path(o->index, l->code);
		*index_tmp = tc_index_write(t, l, tom, page, changes,
					    o->templates, path, d);
		rc = *index_tmp ? 0 : -1;
		free(path);
		free(changes);
		json_decref(page);
	}
	free(tom);
	json_decref(doc);
	tc_changeset_free(hist.changes);
	for (size_t i = 0; i < lrel.n; i++) {
		json_decref(lrel.v[i].data);
		json_decref(lrel.v[i].tom_words);
		tc_model_free(lrel.v[i].model);
	}
	free(lrel.v);
	tc_model_free(t);
	return rc;
}

/* The governing language's data file, by its absolute URL and SHA-256:
 * every annex of every language prints them, so the first
 * language written needs them too. The content's own language's is tom;
 * a translation's is made here as write_translation makes it (its errors
 * end the build before anything is written, so none is reported twice). */
typedef struct governing {
	tc_governing g;
	tc_buf url;
	char sha256[65];
} governing;

static int set_governing(const tc_build_opts *o, const tc_model *m, langs *L,
			 const char *tom, size_t tom_len, governing *G,
			 tc_diags *d)
{
	size_t gi = 0;
	while (gi < L->n && strcmp(L->v[gi].code, m->governing))
		gi++;
	if (gi == L->n) /* the loader checked it: cannot happen */
		gi = 0;
	int rc = 0;
	tc_buf f = TC_BUF_INIT;
	tc_route_file(&f, &L->v[gi], R_TOM_JSON, NULL, NULL);
	tc_buf_printf(&G->url, "%s/%s", m->base_url, tc_buf_cstr(&f));
	tc_buf_free(&f);
	if (gi == 0) {
		tc_sha256_hex(tom, tom_len, G->sha256);
	} else {
		tc_model *t =
		    tc_translate(m, o->content, &L->v[gi], o->drafts, d);
		size_t len = 0;
		char *text =
		    t ? tc_export_model_text(t, &L->v[gi], &len) : NULL;
		if (text)
			tc_sha256_hex(text, len, G->sha256);
		else
			rc = -1;
		free(text);
		tc_model_free(t);
	}
	G->g = (tc_governing){&L->v[gi], tc_buf_cstr(&G->url), G->sha256};
	L->set.governing = rc ? NULL : &G->g;
	return rc;
}

static void count(const tc_model *m, tc_build_result *r)
{
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		r->measures += c->nmeasures;
		for (size_t k = 0; k < c->nmeasures; k++)
			r->cells += c->tables[c->measures[k].table].nscopes;
	}
}

int tc_build(const tc_build_opts *o, tc_diags *d, tc_build_result *r)
{
	memset(r, 0, sizeof *r);
	tc_model *m = tc_content_load(o->content, d);
	if (!m) {
		/* the release files' own errors are reported in the same
		 * run (all errors of a run, not one file kind per run);
		 * what needs the model (its checks against them) cannot be */
		tc_releases rel;
		tc_releases_load(o->content, &rel, d);
		tc_releases_free(&rel);
		return -1;
	}
	count(m, r);
	tc_releases rel;
	langs L;
	json_t *data = tc_release_data(m);
	int lbad = load_langs(m, o->templates, &L, d) + no_languages(m, d);
	if (tc_releases_load(o->content, &rel, d) +
		tc_releases_check(&rel, m, data, d) + lbad >
	    0) {
		json_decref(data);
		tc_releases_free(&rel);
		free_langs(&L);
		tc_model_free(m);
		return -1;
	}
	tc_history hist = history(&L.v[0], &rel, m, data);
	m->releases = &rel;
	if (L.n < 2) { /* no translation will compare with it */
		json_decref(data);
		data = NULL;
	}
	/* the export tree only for what is still JSON: a translation's
	 * releases' words (write_translation) */
	json_t *doc = data && rel.n ? tc_export_json(m, &L.v[0]) : NULL;
	size_t tom_len = 0;
	char *tom = data && rel.n && !doc
			? NULL
			: tc_export_model_text(m, &L.v[0], &tom_len);
	int rc = -1;
	governing gov = {.url = TC_BUF_INIT};
	char *index_tmp = NULL;
	char *lang_tmp[TC_MAX_LANGUAGES] = {NULL};
	tc_publish *pub = NULL;
	if (!tom) {
		tc_diags_add(d, o->content, 0, 0,
			     "internal error: the model does not export as "
			     "JSON");
		goto out;
	}
	if (set_governing(o, m, &L, tom, tom_len, &gov, d) < 0)
		goto out;
	pub = tc_publish_begin(o->output);
	if (!pub && errno == EWOULDBLOCK) {
		tc_diags_add(d, o->output, 0, 0,
			     "another tc-gen run is publishing it (its lock "
			     "file %s.lock is held)",
			     o->output);
		goto out;
	}
	if (!pub) {
		tc_diags_add(d, o->output, 0, 0,
			     "cannot create a staging folder beside it: %s",
			     strerror(errno));
		goto out;
	}
	const char *staging = tc_publish_staging(pub);
	start_workbook(staging, &L.v[0], m, tom, tom_len);
	r->site.budget = o->max_site_bytes;
	int site_rc = tc_site_write(m, &L.v[0], tom, tom_len, o->templates,
				    staging, &hist, d, &r->site);
	tc_xlsx_finish(); /* collected by now */
	if (site_rc < 0)
		goto out;
	original orig = {m, doc, data, &rel};
	for (size_t i = 1; i < L.n; i++)
		if (write_translation(o, &orig, &L.v[i], staging, d, r,
				      &lang_tmp[i]) < 0)
			goto out;
	json_decref(data);
	data = NULL;
	if (o->index) {
		json_t *page = tc_site_context(m, &L.v[0]);
		char *changes = changes_text(hist.changes);
		index_tmp = tc_index_write(m, &L.v[0], tom, page, changes,
					   o->templates, o->index, d);
		free(changes);
		json_decref(page);
		if (!index_tmp)
			goto out;
	}
	/* one build ID in every language's index: tc-search serves them
	 * only together */
	if (index_tmp) {
		lang_tmp[0] = index_tmp;
		int bad = tc_index_stamp(lang_tmp, L.n, o->index, d) < 0;
		lang_tmp[0] = NULL;
		if (bad)
			goto out;
	}
	if (tc_publish_commit(pub) < 0) {
		tc_diags_add(d, o->output, 0, 0, "cannot publish: %s",
			     strerror(errno));
		goto out;
	}
	/* the translations' indexes first: the default's names them, and
	 * tc-search opens them after it */
	for (size_t i = 1; i < L.n; i++) {
		char *path = lang_index_path(o->index, L.v[i].code);
		int bad = lang_tmp[i] && tc_index_commit(lang_tmp[i], path) < 0;
		if (bad)
			tc_diags_add(d, path, 0, 0,
				     "cannot move the new search index into "
				     "place: %s",
				     strerror(errno));
		free(path);
		if (bad)
			goto out;
		free(lang_tmp[i]);
		lang_tmp[i] = NULL;
	}
	if (index_tmp && tc_index_commit(index_tmp, o->index) < 0) {
		tc_diags_add(d, o->index, 0, 0,
			     "cannot move the new search index into place: %s",
			     strerror(errno));
		goto out;
	}
	rc = 0;
out:
	tc_xlsx_finish(); /* before the staging folder can go */
	if (index_tmp && rc)
		unlink(index_tmp);
	free(index_tmp);
	for (size_t i = 0; i < TC_MAX_LANGUAGES; i++) {
		if (lang_tmp[i])
			unlink(lang_tmp[i]);
		free(lang_tmp[i]);
	}
	tc_publish_end(pub);
	free(tom);
	json_decref(doc);
	json_decref(data);
	tc_changeset_free(hist.changes);
	tc_releases_free(&rel);
	tc_buf_free(&gov.url);
	free_langs(&L);
	tc_model_free(m);
	return rc;
}

int tc_build_release(const tc_build_opts *o, tc_diags *d, char **written)
{
	*written = NULL;
	tc_model *m = tc_content_load(o->content, d);
	if (!m)
		return -1;
	tc_releases rel;
	json_t *data = tc_release_data(m);
	int rc = -1;
	/* an already released version is reported by tc_release_write, with
	 * the advice that fits; everything else must be right first */
	langs L;
	int lbad = load_langs(m, o->templates, &L, d) + no_languages(m, d);
	if (tc_releases_load(o->content, &rel, d) == 0 && lbad == 0 &&
	    (tc_releases_find(&rel, m->version) ||
	     tc_releases_check(&rel, m, data, d) == 0)) {
		/* each other language frozen beside the original, its words
		 * as a build would publish them in that language */
		tc_release_lang tr[TC_MAX_LANGUAGES];
		size_t ntr = 0;
		bool ok = true;
		for (size_t i = 1; ok && i < L.n; i++) {
			tc_model *t =
			    tc_translate(m, o->content, &L.v[i], o->drafts, d);
			json_t *tdoc = t ? tc_export_json(t, &L.v[i]) : NULL;
			ok = tdoc != NULL;
			if (ok)
				tr[ntr++] = (tc_release_lang){
				    (char *)L.v[i].code, tc_release_data(t),
				    tdoc, ""};
			tc_model_free(t);
		}
		json_t *doc = ok ? tc_export_json(m, &L.v[0]) : NULL;
		if (doc)
			rc = tc_release_write(o->content, m, doc, tr, ntr, d);
		json_decref(doc);
		for (size_t i = 0; i < ntr; i++) {
			json_decref(tr[i].data);
			json_decref(tr[i].tom);
		}
		if (rc == 0) {
			tc_buf p = TC_BUF_INIT;
			tc_buf_printf(&p, "%s/releases/%s.json", o->content,
				      m->version);
			*written = tc_buf_detach(&p);
		}
	}
	json_decref(data);
	tc_releases_free(&rel);
	free_langs(&L);
	tc_model_free(m);
	return rc;
}
