#include "model.h"

#include <stdlib.h>
#include <string.h>

const char *tc_category_prose(const tc_category *c, size_t ti)
{
	return c->prose_at && c->prose_at[ti] ? c->prose_at[ti] : "";
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

tc_answer tc_measure_answer(const tc_model *m, const tc_category *c,
			    const tc_measure *me, size_t product)
{
	const tc_table *t = &c->tables[me->table];
	tc_answer a = TC_ANSWER_INIT;
	for (size_t i = 0; i < t->nscopes; i++)
		tc_answer_add(&a, m->scopes[t->scopes[i]].kind,
			      t->scopes[i] == product, me->cells[i].status,
			      me->cells[i].resp);
	return a;
}

tc_cell_role tc_measure_role(const tc_model *m, const tc_category *c,
			     const tc_measure *me, size_t k, size_t product)
{
	size_t s = c->tables[me->table].scopes[k];
	return tc_cell_role_of(m->scopes[s].kind, s == product);
}

bool tc_measure_concerns(const tc_model *m, const tc_category *c,
			 const tc_measure *me, size_t product)
{
	return tc_measure_answer(m, c, me, product).concerns;
}

tc_resp tc_measure_resp(const tc_model *m, const tc_category *c,
			const tc_measure *me, size_t product)
{
	return tc_measure_answer(m, c, me, product).resp;
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
		/* a measure a reader refused may have no cells yet */
		size_t n = me->cells ? c->tables[me->table].nscopes : 0;
		for (size_t k = 0; k < n; k++) {
			free(me->cells[k].label);
			free(me->cells[k].note);
			free(me->cells[k].note_html);
			free(me->cells[k].note_data);
			free(me->cells[k].label_lang);
			free(me->cells[k].note_lang);
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
	free(c->prose_shape);
	for (size_t i = 0; c->prose_at && i <= c->ntables; i++)
		free(c->prose_at[i]);
	free(c->prose_at);
	free(c->prose_blocks);
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
		free(m->scopes[i].country);
		free(m->scopes[i].city);
		free(m->scopes[i].url);
		free(m->scopes[i].url_title);
		free(m->scopes[i].url_as_of);
	}
	free(m->scopes);
	if (m->hooks)
		m->hooks->free(m);
	for (size_t i = 0; i < m->ncategories; i++)
		category_free(&m->categories[i]);
	free(m->categories);
	free(m->organisation);
	free(m->title);
	free(m->version);
	free(m->date);
	free(m->base_url);
	free(m->summary);
	free(m->site_file);
	free(m->intro_html);
	free(m->intro_shape);
	for (size_t i = 0; i < m->nlanguages; i++)
		free(m->languages[i]);
	free(m->languages);
	free(m->lang);
	free(m->governing);
	for (size_t i = 0; i < m->nsummaries; i++) {
		free(m->summaries[i].version);
		free(m->summaries[i].summary);
	}
	free(m->summaries);
	for (size_t i = 0; i < m->nrwords; i++) {
		free(m->rwords[i].version);
		free(m->rwords[i].orig);
		free(m->rwords[i].words);
	}
	free(m->rwords);
	free(m);
}

static char *dup(const char *s)
{
	return s ? tc_xstrdup(s) : NULL;
}

static void clone_measure(tc_measure *d, const tc_measure *s, size_t ncells)
{
	*d = *s;
	d->id = dup(s->id);
	d->text = dup(s->text);
	d->text_html = dup(s->text_html);
	d->text_data = dup(s->text_data);
	d->cells = tc_xcalloc(ncells ? ncells : 1, sizeof(tc_cell));
	for (size_t k = 0; k < ncells; k++) {
		tc_cell *c = &d->cells[k];
		*c = s->cells[k];
		c->label = dup(c->label);
		c->note = dup(c->note);
		c->note_html = dup(c->note_html);
		c->note_data = dup(c->note_data);
		c->label_lang = dup(c->label_lang);
		c->note_lang = dup(c->note_lang);
	}
	d->maps = tc_xcalloc(s->nmaps ? s->nmaps : 1, sizeof(tc_mapping));
	for (size_t k = 0; k < s->nmaps; k++) {
		tc_mapping *p = &d->maps[k];
		p->framework = dup(s->maps[k].framework);
		p->ncontrols = s->maps[k].ncontrols;
		p->controls =
		    tc_xcalloc(p->ncontrols ? p->ncontrols : 1, sizeof(char *));
		for (size_t j = 0; j < p->ncontrols; j++)
			p->controls[j] = dup(s->maps[k].controls[j]);
	}
}

static void clone_category(tc_category *d, const tc_category *s)
{
	*d = *s;
	d->id = dup(s->id);
	d->title = dup(s->title);
	d->description = dup(s->description);
	d->prose_html = dup(s->prose_html);
	d->prose_shape = dup(s->prose_shape);
	d->prose_at = NULL;
	d->prose_blocks = NULL;
	if (s->prose_at) {
		d->prose_at = tc_xcalloc(s->ntables + 1, sizeof(char *));
		d->prose_blocks = tc_xcalloc(s->ntables + 1, sizeof(size_t));
		for (size_t i = 0; i <= s->ntables; i++) {
			d->prose_at[i] = dup(s->prose_at[i]);
			d->prose_blocks[i] = s->prose_blocks[i];
		}
	}
	d->file = dup(s->file);
	d->tables = tc_xcalloc(s->ntables ? s->ntables : 1, sizeof(tc_table));
	for (size_t i = 0; i < s->ntables; i++) {
		d->tables[i] = s->tables[i];
		size_t n = s->tables[i].nscopes;
		d->tables[i].scopes = tc_xcalloc(n ? n : 1, sizeof(size_t));
		memcpy(d->tables[i].scopes, s->tables[i].scopes,
		       n * sizeof(size_t));
	}
	d->measures =
	    tc_xcalloc(s->nmeasures ? s->nmeasures : 1, sizeof(tc_measure));
	for (size_t i = 0; i < s->nmeasures; i++)
		clone_measure(&d->measures[i], &s->measures[i],
			      s->tables[s->measures[i].table].nscopes);
}

tc_model *tc_model_clone(const tc_model *s)
{
	tc_model *m = tc_xcalloc(1, sizeof *m);
	*m = *s;
	m->synonyms = NULL;
	m->trust = NULL;
	m->brand = NULL;
	m->organisation = dup(s->organisation);
	m->title = dup(s->title);
	m->version = dup(s->version);
	m->date = dup(s->date);
	m->base_url = dup(s->base_url);
	m->summary = dup(s->summary);
	m->site_file = dup(s->site_file);
	m->intro_html = dup(s->intro_html);
	m->intro_shape = dup(s->intro_shape);
	m->lang = dup(s->lang);
	m->governing = dup(s->governing);
	m->languages = tc_xcalloc(s->nlanguages + 1, sizeof(char *));
	for (size_t i = 0; i < s->nlanguages; i++)
		m->languages[i] = dup(s->languages[i]);
	m->summaries = NULL;
	m->nsummaries = 0;
	m->rwords = NULL;
	m->nrwords = 0;
	m->scopes = tc_xcalloc(s->nscopes + 1, sizeof(tc_scope));
	for (size_t i = 0; i < s->nscopes; i++) {
		m->scopes[i] = s->scopes[i];
		m->scopes[i].id = dup(s->scopes[i].id);
		m->scopes[i].name = dup(s->scopes[i].name);
		m->scopes[i].description = dup(s->scopes[i].description);
		m->scopes[i].country = dup(s->scopes[i].country);
		m->scopes[i].city = dup(s->scopes[i].city);
		m->scopes[i].url = dup(s->scopes[i].url);
		m->scopes[i].url_title = dup(s->scopes[i].url_title);
		m->scopes[i].url_as_of = dup(s->scopes[i].url_as_of);
	}
	m->categories = tc_xcalloc(s->ncategories + 1, sizeof(tc_category));
	for (size_t i = 0; i < s->ncategories; i++)
		clone_category(&m->categories[i], &s->categories[i]);
	if (m->hooks)
		m->hooks->clone(m, s);
	return m;
}
