#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct tc_diags {
	tc_diag *v;
	size_t n, cap;
};

tc_diags *tc_diags_new(void)
{
	return tc_xcalloc(1, sizeof(tc_diags));
}

void tc_diags_free(tc_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	free(d);
}

void tc_diags_add(tc_diags *d, const char *file, int line, int col,
		  const char *fmt, ...)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = tc_xrealloc(d->v, d->cap * sizeof(tc_diag));
	}
	tc_buf b = TC_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	tc_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	tc_diag *g = &d->v[d->n++];
	g->file = tc_xstrdup(file ? file : "");
	g->line = line;
	g->col = col;
	g->msg = tc_buf_detach(&b);
}

size_t tc_diags_count(const tc_diags *d)
{
	return d->n;
}

const tc_diag *tc_diags_get(const tc_diags *d, size_t i)
{
	return i < d->n ? &d->v[i] : NULL;
}

static int cmp(const tc_diag *a, const tc_diag *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

void tc_diags_sort(tc_diags *d)
{
	/* Insertion sort: stable, and lists are short. */
	for (size_t i = 1; i < d->n; i++) {
		tc_diag x = d->v[i];
		size_t j = i;
		while (j > 0 && cmp(&d->v[j - 1], &x) > 0) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

char *tc_diag_format(const tc_diag *g)
{
	tc_buf b = TC_BUF_INIT;
	if (g->file[0])
		tc_buf_printf(&b, "%s:", g->file);
	if (g->line > 0) {
		tc_buf_printf(&b, "%d:", g->line);
		if (g->col > 0)
			tc_buf_printf(&b, "%d:", g->col);
	}
	tc_buf_printf(&b, "%serror: %s", b.len ? " " : "", g->msg);
	return tc_buf_detach(&b);
}

void tc_diags_print(tc_diags *d, FILE *out)
{
	tc_diags_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		char *s = tc_diag_format(&d->v[i]);
		fprintf(out, "%s\n", s);
		free(s);
	}
}
