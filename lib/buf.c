#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("tc: out of memory\n", stderr);
	abort();
}

void *tc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *tc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *tc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *tc_xstrndup(const char *s, size_t n)
{
	char *d = tc_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *tc_xstrdup(const char *s)
{
	return tc_xstrndup(s, strlen(s));
}

void tc_buf_grow_(tc_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = tc_xrealloc(b->data, cap);
	b->cap = cap;
}

void tc_buf_put(tc_buf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		tc_buf_grow_(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void tc_buf_puts(tc_buf *b, const char *s)
{
	tc_buf_put(b, s, strlen(s));
}

void tc_buf_vprintf(tc_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	tc_buf_grow_(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void tc_buf_printf(tc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void tc_buf_clear(tc_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *tc_buf_detach(tc_buf *b)
{
	char *s = b->data ? b->data : tc_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *tc_buf_cstr(const tc_buf *b)
{
	return b->data ? b->data : "";
}

void tc_buf_free(tc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
