/* buf.h: growable byte buffers.
 *
 * A tc_buf owns its data. It is always NUL-terminated once anything has been
 * written, so data can be used as a C string. Allocation failure aborts the
 * process (see xmalloc in buf.c): the generator and the search workers hold
 * small data sets, and a half-built page is worse than a clean exit. */
#ifndef TC_BUF_H
#define TC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct tc_buf {
	char *data; /* NULL until the first write */
	size_t len;
	size_t cap;
} tc_buf;

#define TC_BUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void tc_buf_put(tc_buf *b, const char *s, size_t n);
void tc_buf_puts(tc_buf *b, const char *s);
/* Inline: the JSON, XML and OSCAL writers put text a byte at a time, and
 * a call per byte was a few percent of a big site's build. */
static inline void tc_buf_putc(tc_buf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		tc_buf_put(b, &c, 1);
		return;
	}
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void tc_buf_printf(tc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tc_buf_vprintf(tc_buf *b, const char *fmt, va_list ap);
/* Keep the allocation, forget the contents. */
void tc_buf_clear(tc_buf *b);
/* Returns the string (never NULL; "" for an empty buffer, caller frees) and
 * leaves b empty. */
char *tc_buf_detach(tc_buf *b);
/* Returns data, or "" when nothing was written. Owned by b. */
const char *tc_buf_cstr(const tc_buf *b);
void tc_buf_free(tc_buf *b);

/* Makes room for extra more bytes and the NUL (tc_buf_put and friends). */
void tc_buf_grow_(tc_buf *b, size_t extra);

/* Allocation helpers that abort on failure. */
void *tc_xmalloc(size_t n);
void *tc_xcalloc(size_t n, size_t size);
void *tc_xrealloc(void *p, size_t n);
char *tc_xstrdup(const char *s);
char *tc_xstrndup(const char *s, size_t n);

#endif
