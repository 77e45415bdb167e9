/* release.h: releases, the data sets of published versions, frozen.
 *
 * A release is content/releases/<version>.json, written by `tc-gen
 * release` and committed with the content:
 *
 *   {"version", "date", "summary",
 *    "data": the comparable data set (tc_release_data),
 *    "subprocessors": the subprocessor list (tc_release_subs),
 *    "translations": {"<lang>": {"data", "tom"}} for each other language
 *        of site.md, its data set and its api/tom.json frozen the same way
 *        (absent in a release of before translations were frozen: its
 *        annexes in another language show today's translation),
 *    "tom":  api/tom.json exactly as that version published it}
 *
 * "data" is what changes are computed from and what a build compares with
 * the content: scopes {id, name, kind}, categories {id, title} and
 * measures {id, text, cells {scope: {status, responsibility, label,
 * note}}}, all plain text, independent of how tom.json is laid out. "tom"
 * is what /api/versions/<version>/tom.json serves, so the digest printed on
 * an annex signed under that version matches its file. */
#ifndef TC_RELEASE_H
#define TC_RELEASE_H

#include <jansson.h>
#include <stdbool.h>

#include "../lib/diag.h"
#include "model.h"

/* A translation frozen by a release: its language's data set and
 * api/tom.json, with the same marks (status, responsibility and the label
 * of every cell but free text, whose label is its words) as the
 * original's. */
typedef struct tc_release_lang {
	char *lang;         /* "de" */
	json_t *data, *tom; /* owned */
	char sha256[65];    /* of tom as published (tc_export_text) */
} tc_release_lang;

typedef struct tc_release {
	char *version, *date, *summary, *file;
	json_t *data, *tom; /* owned */
	/* {"notice_days", "list"} (tc_release_subs), owned; NULL in a
	 * release of before the lists were kept, which has none */
	json_t *subs;
	/* a translation's pages: tom in the site's language (owned by whoever
	 * set it; NULL: tom itself). The download stays tom, as published,
	 * so that its digest holds. */
	json_t *tom_words;
	/* the pages' model of a translation's release (gen/translate.h
	 * tc_translate_release): tom's model with the translation's words, a
	 * cell's label or note that kept the original's words saying so
	 * (label_lang, note_lang); owned by whoever set it. NULL: the pages
	 * read tom_words (or tom) into a model. */
	tc_model *model;
	char sha256[65];     /* of tom as published (tc_export_text) */
	tc_release_lang *tr; /* the frozen translations, owned */
	size_t ntr;
	/* in a translation's view of the releases (gen/build.c): the
	 * translation of this language that the release froze, or NULL */
	const tc_release_lang *frozen;
} tc_release;

typedef struct tc_releases {
	tc_release *v; /* oldest first: by date, then version */
	size_t n;
} tc_releases;

/* The comparable data set of m (new; caller owns). */
json_t *tc_release_data(const tc_model *m);

/* The subprocessor list of m as a release keeps it (new; caller owns):
 * {"notice_days": site.md's subprocessor_notice_days or null, "list": [
 * {"id", "name", "entity", "address", "country", "purpose", "products",
 * "transfer", "since", "announced" (or null), "until" (or null)}]}, in
 * subprocessors.md's order. */
json_t *tc_release_subs(const tc_model *m);

/* Loads every file of content/releases; a missing folder is none. Each
 * file is a release or an error: its name is <version>.json (a version no
 * file of the site is called), it is within the limits of gen/limits.h,
 * every value is checked by the rules of the sources it was made of (IDs,
 * measure IDs, kinds, statuses, responsibilities), and its tom says what
 * its data set says, field by field. A release that loads can name no
 * path but its own. Problems are reported at file:line:col where jansson
 * or the byte scan knows it, else at the file with the value's JSON path
 * ("tom.scopes[5].id"), one per file. Returns the number of problems. */
int tc_releases_load(const char *content, tc_releases *out, tc_diags *d);
/* The same for one release file's bytes src[0..len), at path (its name,
 * <version>.json, is checked; nothing is read), appended to out unsorted
 * (what the fuzz harness of the reader calls). Returns the number of
 * problems: 0 or 1. */
int tc_releases_add_mem(tc_releases *out, const char *path, const char *src,
			size_t len, tc_diags *d);
void tc_releases_free(tc_releases *r);
/* The release of version, or NULL. */
const tc_release *tc_releases_find(const tc_releases *r, const char *version);
/* x's frozen translation into lang, or NULL. */
const tc_release_lang *tc_release_lang_find(const tc_release *x,
					    const char *lang);

/* A release's api/tom.json (its tom, or a translation's tom_words) as a
 * model, once, for its pages: the scopes (id, name, kind,
 * description), the categories (id, title) and their measures (id, text,
 * client_duty) and cells (status, responsibility, label, note and a
 * page's label_lang and note_lang), in tables that are runs of
 * consecutive measures with the same scopes (in the first's order), as
 * the source's were. Every value read is checked (types, IDs, kinds,
 * statuses, responsibilities, each cell's scope one of the file's, each
 * scope once), though the release was when it loaded: a problem is
 * reported at file as tc_releases_load reports one ("release:
 * "tom.scopes[1].kind" 'x' is not a kind of scope") and NULL returned.
 * Texts are the data's (plain, each link's URL after its words): a
 * measure's text and text_data, a cell's note and note_data; text_html and
 * note_html are NULL (the pages make HTML of the data's words with
 * lib/views.h tc_view_data_html). New; tc_model_free frees it. */
tc_model *tc_release_model(json_t *tom, const char *file, tc_diags *d);

/* Checks the content against the releases: when its version is released,
 * its data and its subprocessors must be that release's (else: bump the
 * version); an ID removed in a release never comes back, in a later
 * release or in the content; no release, the content's own included, is
 * dated after the content. A subprocessor that a release after the first
 * with a list added (or the content, when none lists it yet) is announced
 * by that release: an `announced` before its date is an error, and so is
 * a `since` fewer than that release's notice days after it.
 * data is tc_release_data(m). Returns the number of problems. */
int tc_releases_check(const tc_releases *r, const tc_model *m, json_t *data,
		      tc_diags *d);

/* Checks the translation into lang (its data set tdata, tc_release_data
 * of the translated model) against the release of the content's version,
 * m the original: when that release froze this language, tdata must be
 * what it froze (else: bump the version). A release that froze none (made
 * before translations were frozen) is not compared. Returns the number of
 * problems: 0 or 1. */
int tc_release_check_lang(const tc_releases *r, const tc_model *m,
			  const char *lang, json_t *tdata, tc_diags *d);

/* Writes content/releases/<version>.json for m (tom: the export) with the
 * translations tr[0..ntr) (each lang, data: tc_release_data and tom: the
 * export of the translated model), never over an existing one, and needs
 * a summary in site.md. What it writes is read back as a release first
 * (every check of tc_releases_add_mem, the marks among them): nothing is
 * written that a build would refuse. Returns 0, or -1 after reporting to
 * d. */
int tc_release_write(const char *content, const tc_model *m, json_t *tom,
		     const tc_release_lang *tr, size_t ntr, tc_diags *d);

#endif
