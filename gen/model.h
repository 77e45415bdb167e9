/* model.h: what tc-gen alone does with the model of lib/model.h (its
 * types, reader and writers are lib/'s, which tc-search shares): making
 * one, reading cells' marks, giving them meaning, the search words. */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/buf.h"
#include "../lib/model.h"
#include "../lib/tomdata.h"
#include "../lib/vocab.h"
#include "brand.h"
#include "synonyms.h"

/* A new empty model of tc-gen's (its synonyms and brand empty, no trust):
 * its hooks free and copy what gen/ owns of it. */
tc_model *tc_model_new(void);
/* Gives a model read by lib/ (tc_model_read) the parts and hooks of
 * tc_model_new's. */
void tc_model_gen_parts(tc_model *m);

/* Appends the words search finds a measure by, as tc_syn_expand reads
 * them: its ID, its text and each cell's note (or free text). */
void tc_measure_words(const tc_category *c, const tc_measure *me, tc_buf *out);

/* Reads a cell's text with the marks mk (tc_mark_parse): the mark's
 * status and owned label, the rest as the note. Returns where the note
 * begins in text (0 when it begins with no mark), so that a caller holding
 * the cell's Markdown drops the mark without reading it again. Meaning is
 * given later, by tc_model_apply_meaning, once the cell's place is known. */
size_t tc_cell_parse(const tc_marks *mk, const char *text, tc_cell *c);
/* Where the note of a cell t begins after its mark of n bytes: past the
 * spaces and one ':', ';' or ',' that set it off ("Client's
 * responsibility: see the DPA" has the note "see the DPA"). */
size_t tc_note_start(const char *t, size_t n);

/* The marks the content's cells are written in: its own language's (the
 * first of languages), also for a translated model, whose cells keep the
 * original's marks; English when marks.json has none for it. */
const tc_marks *tc_model_marks(const tc_model *m);

/* Gives every cell its status and responsibility with tc_cell_meaning. */
void tc_model_apply_meaning(tc_model *m);

#endif
