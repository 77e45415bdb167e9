/* jpath.c: the JSON path of a refused value and why (jpath.h). */
#include "jpath.h"

#include <stdarg.h>

void tc_jpath_init(tc_jpath *p, tc_buf *path, tc_buf *why)
{
	p->path = path;
	p->why = why;
	p->start = path->len;
	p->failed = false;
}

void tc_jpath_cut(tc_jpath *p, size_t n)
{
	if (p->path->data) {
		p->path->len = n;
		p->path->data[n] = '\0';
	}
}

void tc_jpath_key(tc_jpath *p, size_t n, const char *key)
{
	tc_jpath_cut(p, n);
	tc_buf_printf(p->path, "%s%s", n > p->start ? "." : "", key);
}

void tc_jpath_index(tc_jpath *p, size_t n, const char *key, size_t i)
{
	tc_jpath_cut(p, n);
	tc_buf_printf(p->path, "%s%s[%zu]", n > p->start && *key ? "." : "",
		      key, i);
}

size_t tc_jpath_push_key(tc_jpath *p, const char *key)
{
	size_t n = p->path->len;
	tc_jpath_key(p, n, key);
	return n;
}

size_t tc_jpath_push_index(tc_jpath *p, size_t i)
{
	size_t n = p->path->len;
	tc_jpath_index(p, n, "", i);
	return n;
}

bool tc_jpath_failf(tc_jpath *p, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		tc_buf_vprintf(p->why, fmt, ap);
		va_end(ap);
		p->failed = true;
	}
	return false;
}
