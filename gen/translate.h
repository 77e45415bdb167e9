/* translate.h: the model in another language.
 *
 * The content's own files (content/site.md, scopes.md, categories/) hold
 * the IDs, the scopes, the tables and their marks, once. A translation,
 * content/<lang>/, holds only words, keyed by those IDs:
 *
 *   site.md        front matter `title`, `summary`; the body is the intro
 *   scopes.md      `scopes`: {<scope id>: {name, description}}
 *   categories/<the same file name as the original>.md
 *                  `id` (the original's), `title`, `measures`:
 *                  {<ID>: "text"} or {<ID>: {text, cells: {<scope id>:
 *                  "text"}}}; the body is the category's prose (no tables)
 *   releases.md    `summaries`: {<version>: "summary"} (optional)
 *   synonyms.md    as content/synonyms.md, for search in that language
 *
 * A cell's words are its free text (a cell marked with words only) or the
 * note after its mark; `cells` must list exactly the cells that have such
 * words. The marks, and so every status and responsibility, are copied from
 * the original: the languages cannot disagree on them.
 *
 * Every measure, scope and cell with words must be translated: a missing
 * one is an error at the translation file's `measures` (or the file),
 * naming the measure and where the original says it. With drafts allowed,
 * the original's words are used instead and marked on the page. */
#ifndef TC_TRANSLATE_H
#define TC_TRANSLATE_H

#include <jansson.h>
#include <stdbool.h>

#include "../lib/diag.h"
#include "../lib/lang.h"
#include "model.h"
#include "release.h"

/* A new model: m with the words of content_dir/<l->code>/, its links and
 * anchors leading to the pages of language l. Returns NULL after reporting
 * every problem to d. */
tc_model *tc_translate(const tc_model *m, const char *content_dir,
		       const tc_lang *l, bool drafts, tc_diags *d);

/* A released data set (gen/release.h's tc_release_data form) in t's
 * language, as a new object: each word that is still what the original
 * says today (orig_data, tc_release_data of the original) takes the
 * translation's word for it (t_data, of the translation), found by the IDs
 * of scope, category, measure and cell. Words an old release had that the
 * original has since changed stay as released: a release is history, and
 * a guess would put words in the provider's mouth. With orig_lang (the
 * original's language code), a cell's label or note left so is marked
 * "label_lang" or "note_lang": orig_lang. For pages and the change data,
 * never for a published data file (whose schema has no such field). */
json_t *tc_translate_data(json_t *data, json_t *orig_data, json_t *t_data,
			  const char *orig_lang);

/* A release's model in t's language, for its pages, as tc_translate_data
 * makes its data file but on the models: rm (tc_release_model of the
 * release's tom, changed in place) takes, for each scope's name, category's
 * title, measure's text and cell's label and note that is still what the
 * original says today (orig, the content's model; values as its export
 * writes them), t's word for it (t, tc_translate of orig), found by the
 * IDs of scope, category, measure and, for a cell, measure and scope.
 * Every other word stays as released; a cell's non-empty label or note
 * left so gets label_lang or note_lang orig->lang. Nothing can be refused:
 * an ID that orig or t no longer has leaves the words as released. */
void tc_translate_release(tc_model *rm, const tc_model *orig,
			  const tc_model *t);

/* Puts t's words for old releases (content/<lang>/releases.md's `words`,
 * t->rwords) into rel[0..n), the releases in t's language (gen/build.c):
 * in a release that froze no translation, each label or note that kept
 * the original's words (marked "label_lang" or "note_lang" in its data)
 * and is the original's words of an entry takes the entry's words, in its
 * data set, its tom_words and its pages' model, and loses its mark.
 * The release file and its download keep the original's words; the page
 * says its words are a translation (translation_note). Reports to d at
 * path (content/<lang>/releases.md) and counts each entry for a version
 * that is not released, whose release froze this language, or that has no
 * such label or note (a misspelt entry would never show). */
int tc_translate_release_words(const tc_model *t, tc_release *rel, size_t n,
			       const char *path, tc_diags *d);

#endif
