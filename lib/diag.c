#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

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

/* Whatever a diagnostic interpolates (a file name, an ID, a scalar from the
 * front matter) may come from an attacker. It is stored with every byte
 * that could end the line, colour the terminal or reorder what it shows
 * as a \xNN escape: C0 and C1 controls, DEL, bidirectional overrides and
 * bytes that are not UTF-8. Backslash is escaped too, so an escape in the
 * output always means one. One place, so no caller can forget it. */
static char *escaped(const char *s, size_t n)
{
	tc_buf b = TC_BUF_INIT;
	size_t i = 0;
	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t k = tc_utf8_len(s + i, n - i);
		int bad =
		    k == 0 ||
		    (k == 1 && (u[0] < 0x20 || u[0] == 0x7f || u[0] == '\\'));
		/* U+0080..U+009F; U+202A..U+202E; U+2066..U+2069 */
		bad = bad || (k == 2 && u[0] == 0xc2 && u[1] < 0xa0) ||
		      (k == 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0xaa &&
		       u[2] <= 0xae) ||
		      (k == 3 && u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 &&
		       u[2] <= 0xa9);
		if (!bad) {
			tc_buf_put(&b, s + i, k);
			i += k;
			continue;
		}
		for (size_t j = 0; j < (k ? k : 1); j++)
			tc_buf_printf(&b, "\\x%02x", u[j]);
		i += k ? k : 1;
	}
	return tc_buf_detach(&b);
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
	g->file = file ? escaped(file, strlen(file)) : tc_xstrdup("");
	g->line = line;
	g->col = col;
	g->msg = escaped(tc_buf_cstr(&b), b.len);
	tc_buf_free(&b);
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
