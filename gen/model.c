#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"

static const struct {
	const char *id, *title, *icon;
} statuses[ST__COUNT] = {
    [ST_PROVIDED] = {"provided", "Provided", "✓"},
    [ST_NOT_PROVIDED] = {"not-provided", "Not provided", "✗"},
    [ST_NOT_APPLICABLE] = {"not-applicable", "Not applicable", "–"},
    [ST_CLIENT] = {"client", "Client's responsibility", "◆"},
    [ST_SEE_PRODUCT] = {"see-product", "See product description", "→"},
    [ST_OTHER] = {"other", "Other (see text)", "•"},
};

static const char *kinds[SK__COUNT] = {"product", "site", "internal",
				       "organisation"};

const char *tc_status_id(tc_status s)
{
	return statuses[s].id;
}
const char *tc_status_title(tc_status s)
{
	return statuses[s].title;
}
const char *tc_status_icon(tc_status s)
{
	return statuses[s].icon;
}

int tc_status_from_id(const char *id)
{
	for (int i = 0; i < ST__COUNT; i++)
		if (!strcmp(statuses[i].id, id))
			return i;
	return -1;
}

const char *tc_scope_kind_id(tc_scope_kind k)
{
	return kinds[k];
}

int tc_scope_kind_from_id(const char *id)
{
	for (int i = 0; i < SK__COUNT; i++)
		if (!strcmp(kinds[i], id))
			return i;
	return -1;
}

/* Matches a mark at the start of s, case-insensitively, followed by the end
 * or a non-word character. Returns the length matched or 0. */
static size_t mark(const char *s, const char *m)
{
	size_t n = strlen(m);
	if (strncasecmp(s, m, n) != 0)
		return 0;
	unsigned char next = (unsigned char)s[n];
	return (next == 0 || !(isalnum(next) || next == '_')) ? n : 0;
}

/* "Client's" is also written with a typographic apostrophe. */
static size_t client_mark(const char *s)
{
	static const char *forms[] = {"Client's responsibility",
				      "Client\xe2\x80\x99s responsibility"};
	for (size_t i = 0; i < 2; i++) {
		size_t n = mark(s, forms[i]);
		if (n)
			return n;
	}
	return 0;
}

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
	c->status = ST_OTHER;
	if ((n = mark(t, "\xe2\x9c\x93")) || (n = mark(t, "yes"))) {
		c->status = ST_PROVIDED;
		c->label = tc_xstrdup("\xe2\x9c\x93");
	} else if ((n = mark(t, "X"))) {
		c->status = ST_NOT_PROVIDED;
		c->label = tc_xstrdup("X");
	} else if ((n = mark(t, "NA"))) {
		c->status = ST_NOT_APPLICABLE;
		c->label = tc_xstrdup("NA");
	} else if ((n = client_mark(t))) {
		c->status = ST_CLIENT;
		c->label = tc_xstrdup("Client's responsibility");
	} else if ((n = mark(t, "See product description"))) {
		c->status = ST_SEE_PRODUCT;
		c->label = tc_xstrdup("See product description");
	}
	if (c->status == ST_OTHER) {
		c->label = t;
		c->note = tc_xstrdup("");
		return;
	}
	c->note = trimmed(t + n);
	free(t);
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
	const tc_table *t = &c->tables[me->table];
	return !t->has_products || tc_cell_for(c, me, product) != NULL;
}

static void category_free(tc_category *c)
{
	for (size_t i = 0; i < c->nmeasures; i++) {
		tc_measure *me = &c->measures[i];
		size_t n = c->tables[me->table].nscopes;
		for (size_t k = 0; k < n; k++) {
			free(me->cells[k].label);
			free(me->cells[k].note);
		}
		free(me->cells);
		free(me->id);
		free(me->text);
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
	free(m->organisation);
	free(m->title);
	free(m->version);
	free(m->date);
	free(m->base_url);
	free(m->intro_html);
	free(m);
}
