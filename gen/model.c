#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "trust.h"

static char *trimmed(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return tc_xstrndup(s, n);
}

size_t tc_note_start(const char *t, size_t n)
{
	while (t[n] == ' ' || t[n] == '\t')
		n++;
	if (t[n] && strchr(":;,", t[n]))
		n++;
	while (t[n] == ' ' || t[n] == '\t')
		n++;
	return n;
}

size_t tc_cell_parse(const tc_marks *mk, const char *text, tc_cell *c)
{
	size_t lead = 0;
	while (isspace((unsigned char)text[lead]))
		lead++;
	char *t = trimmed(text);
	size_t n;
	c->status = tc_mark_parse(mk, t, &n);
	c->resp = RS_NONE;
	if (c->status == ST_OTHER) {
		c->label = t;
		c->note = tc_xstrdup("");
		return 0;
	}
	/* the mark as the vocabulary writes it ("yes" is "✓") */
	c->label = tc_xstrdup(tc_mark_label(mk, c->status));
	size_t note = tc_note_start(t, n);
	c->note = trimmed(t + note);
	free(t);
	return lead + note;
}

const tc_marks *tc_model_marks(const tc_model *m)
{
	const tc_marks *mk =
	    tc_marks_for(m->nlanguages ? m->languages[0] : "en");
	return mk ? mk : tc_marks_for("en");
}

void tc_model_apply_meaning(tc_model *m)
{
	for (size_t i = 0; i < m->ncategories; i++) {
		tc_category *c = &m->categories[i];
		for (size_t k = 0; k < c->nmeasures; k++) {
			tc_measure *me = &c->measures[k];
			const tc_table *t = &c->tables[me->table];
			for (size_t j = 0; j < t->nscopes; j++) {
				tc_cell *cell = &me->cells[j];
				tc_cell_where w = {
				    .client_duty = me->client_duty,
				    .shared = cell->shared,
				    .level = t->level,
				    .per_product =
					m->scopes[t->scopes[j]].per_product};
				tc_cell_meaning(cell->status, w, &cell->status,
						&cell->resp);
			}
		}
	}
}

/* What gen/ owns of a model: its synonyms, brand and its reference to the
 * trust. */
static void gen_free(tc_model *m)
{
	tc_trust_unref(m->trust);
	if (m->brand)
		tc_brand_free(m->brand);
	free(m->brand);
	if (m->synonyms)
		tc_syn_free(m->synonyms);
	free(m->synonyms);
}

/* A translation's: the same trust and brand, synonyms of its own. */
static void gen_clone(tc_model *d, const tc_model *s)
{
	d->trust = tc_trust_ref(s->trust);
	d->brand = tc_xcalloc(1, sizeof *d->brand);
	if (s->brand)
		tc_brand_copy(d->brand, s->brand);
	d->synonyms = tc_xcalloc(1, sizeof *d->synonyms);
}

static const tc_model_hooks gen_hooks = {gen_free, gen_clone};

void tc_model_gen_parts(tc_model *m)
{
	m->brand = tc_xcalloc(1, sizeof *m->brand);
	m->synonyms = tc_xcalloc(1, sizeof *m->synonyms);
	m->hooks = &gen_hooks;
}

tc_model *tc_model_new(void)
{
	tc_model *m = tc_xcalloc(1, sizeof *m);
	tc_model_gen_parts(m);
	return m;
}

void tc_measure_words(const tc_category *c, const tc_measure *me, tc_buf *out)
{
	const tc_table *t = &c->tables[me->table];
	tc_buf_puts(out, me->id);
	tc_buf_putc(out, ' ');
	tc_buf_puts(out, me->text);
	for (size_t i = 0; i < t->nscopes; i++) {
		const tc_cell *cell = &me->cells[i];
		tc_buf_putc(out, ' ');
		tc_buf_puts(out, cell->status == ST_OTHER ? cell->label
							  : cell->note);
	}
}
