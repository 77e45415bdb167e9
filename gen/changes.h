/* changes.h: what changed between consecutive releases, and from the last
 * release to the content.
 *
 * The result is api/changes.json (shape in lib/changes.h): every release,
 * newest first, with its changes; the content comes first as an
 * unreleased step when its version has no release yet. Measures are
 * compared by ID, cells by scope. */
#ifndef TC_CHANGES_H
#define TC_CHANGES_H

#include <jansson.h>

#include "../lib/changes.h"
#include "../lib/lang.h"
#include "model.h"
#include "release.h"

/* data: tc_release_data(m). A new set (no "$schema"; the caller may set
 * it, in the set's arena); the caller frees it with tc_changeset_free.
 * The changes' words here and below are language l's. */
tc_changeset *tc_changes_build(const tc_lang *l, const tc_releases *r,
			       const tc_model *m, json_t *data);

/* Release x's summary in m's language: a translation's own (content/<lang>/
 * releases.md), else the one released with it (borrowed). */
const char *tc_changes_summary(const tc_model *m, const tc_release *x);

/* The changes of one step from data set a (NULL: the first release, whose
 * changes are empty) to b, moves of responsibility to or from the client
 * first, written as a new JSON array (tc_change_json; what
 * tc_changes_build finds for a step, for tests and fuzzers). */
json_t *tc_changes_between(const tc_lang *l, json_t *a, json_t *b);

/* The changes of the subprocessor lists a to b (tc_release_subs; NULL:
 * a release of before the lists were kept, when nothing is compared) of
 * the data sets da and db, b of the date date, appended to out: kinds
 * subprocessor-added (effective: since; announced; object_by: the day
 * before since while it is after date), subprocessor-ending (until set or
 * moved), subprocessor-removed (no longer listed) and subprocessor-changed
 * (fields: what else changed), each concerning the products served
 * before or after. Written as JSON (tc_change_json), as
 * tc_changes_between. */
void tc_changes_subs(const tc_lang *l, json_t *a, json_t *b, json_t *da,
		     json_t *db, const char *date, json_t *out);

#endif
