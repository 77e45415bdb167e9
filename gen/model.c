#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"

static char *trimmed(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return tc_xstrndup(s, n);
}

void tc_cell_parse(const char *text, tc_cell *c)
{
	char *t = trimmed(text);
	size_t n;
	c->status = tc_mark_parse(t, &n);
	c->resp = RS_NONE;
	if (c->status == ST_OTHER) {
		c->label = t;
		c->note = tc_xstrdup("");
		return;
	}
	/* the mark as the vocabulary writes it, whatever its case or
	 * apostrophe */
	static const char *labels[ST__COUNT] = {
		[ST_PROVIDED] = "\xe2\x9c\x93", [ST_NOT_PROVIDED] = "X",
		[ST_NOT_APPLICABLE] = "NA", [ST_CLIENT] = "Client's responsibility",
		[ST_SEE_PRODUCT] = "See product description"};
	c->label = tc_xstrdup(labels[c->status]);
	c->note = trimmed(t + n);
	free(t);
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

const tc_cell *tc_cell_for(const tc_category *c, const tc_measure *me, size_t s)
{
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++)
		if (t->scopes[i] == s)
			return &me->cells[i];
	return NULL;
}

const tc_scope *tc_model_scope(const tc_model *m, const char *id)
{
	for (size_t i = 0; i < m->nscopes; i++)
		if (!strcmp(m->scopes[i].id, id))
			return &m->scopes[i];
	return NULL;
}

const tc_category *tc_model_category(const tc_model *m, const char *id)
{
	for (size_t i = 0; i < m->ncategories; i++)
		if (!strcmp(m->categories[i].id, id))
			return &m->categories[i];
	return NULL;
}

bool tc_measure_concerns(const tc_model *m, const tc_category *c,
			 const tc_measure *me, size_t product)
{
	(void)m;
	return tc_concerns(c->tables[me->table].has_products,
			   tc_cell_for(c, me, product) != NULL);
}

tc_resp tc_measure_resp(const tc_model *m, const tc_category *c,
			const tc_measure *me, size_t product)
{
	(void)m;
	const tc_cell *own = tc_cell_for(c, me, product);
	if (own)
		return own->resp;
	const tc_table *t = &c->tables[me->table];
	tc_resp r[t->nscopes ? t->nscopes : 1];
	for (size_t i = 0; i < t->nscopes; i++)
		r[i] = me->cells[i].resp;
	return tc_resp_combine(r, t->nscopes);
}

const char *tc_table_kind(const tc_table *t)
{
	return t->has_products ? "product" : t->level ? "level" : "site";
}

size_t tc_model_nproducts(const tc_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nscopes; i++)
		n += m->scopes[i].kind == SK_PRODUCT;
	return n;
}

static void category_free(tc_category *c)
{
	for (size_t i = 0; i < c->nmeasures; i++) {
		tc_measure *me = &c->measures[i];
		size_t n = c->tables[me->table].nscopes;
		for (size_t k = 0; k < n; k++) {
			free(me->cells[k].label);
			free(me->cells[k].note);
			free(me->cells[k].note_html);
			free(me->cells[k].note_data);
		}
		free(me->cells);
		for (size_t k = 0; k < me->nmaps; k++) {
			for (size_t j = 0; j < me->maps[k].ncontrols; j++)
				free(me->maps[k].controls[j]);
			free(me->maps[k].controls);
			free(me->maps[k].framework);
		}
		free(me->maps);
		free(me->id);
		free(me->text);
		free(me->text_html);
		free(me->text_data);
	}
	for (size_t i = 0; i < c->ntables; i++)
		free(c->tables[i].scopes);
	free(c->tables);
	free(c->measures);
	free(c->id);
	free(c->title);
	free(c->description);
	free(c->prose_html);
	free(c->file);
}

void tc_model_free(tc_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nscopes; i++) {
		free(m->scopes[i].id);
		free(m->scopes[i].name);
		free(m->scopes[i].description);
	}
	free(m->scopes);
	for (size_t i = 0; i < m->ncategories; i++)
		category_free(&m->categories[i]);
	free(m->categories);
	tc_syn_free(&m->synonyms);
	free(m->organisation);
	free(m->title);
	free(m->version);
	free(m->date);
	free(m->base_url);
	free(m->summary);
	free(m->site_file);
	free(m->intro_html);
	free(m);
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
