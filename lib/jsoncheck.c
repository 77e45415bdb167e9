#include "jsoncheck.h"

#include <string.h>

#include "text.h"

typedef struct scan {
	const unsigned char *s;
	size_t n, i;
} scan;

static void ws(scan *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
			       p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static int digit(const scan *p)
{
	return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static int number(scan *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (!digit(p))
		return 0;
	if (p->s[p->i] == '0')
		p->i++;
	else
		while (digit(p))
			p->i++;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (!digit(p))
			return 0;
		while (digit(p))
			p->i++;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!digit(p))
			return 0;
		while (digit(p))
			p->i++;
	}
	return 1;
}

/* Four hex digits after "\u": their value, or -1. */
static long hex4(scan *p)
{
	long v = 0;
	if (p->n - p->i < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		unsigned char c = p->s[p->i++];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string, its opening quote at p->i. */
static int string(scan *p)
{
	p->i++;
	while (p->i < p->n) {
		p->i +=
		    tc_json_plain_run((const char *)p->s + p->i, p->n - p->i);
		if (p->i >= p->n)
			break;
		unsigned char c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c < 0x80 && c != '\\') {
			p->i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k =
			    tc_utf8_len((const char *)p->s + p->i, p->n - p->i);
			if (!k)
				return 0;
			p->i += k;
			continue;
		}
		if (++p->i >= p->n)
			return 0;
		c = p->s[p->i++];
		if (c != 'u') {
			if (!c || !strchr("\"\\/bfnrt", c))
				return 0;
			continue;
		}
		long u = hex4(p);
		if (u < 0 || (u >= 0xdc00 && u <= 0xdfff))
			return 0;
		if (u >= 0xd800 && u <= 0xdbff) { /* a pair's first half */
			if (p->n - p->i < 2 || p->s[p->i] != '\\' ||
			    p->s[p->i + 1] != 'u')
				return 0;
			p->i += 2;
			long lo = hex4(p);
			if (lo < 0xdc00 || lo > 0xdfff)
				return 0;
		}
	}
	return 0;
}

static int literal(scan *p, const char *word, size_t len)
{
	if (p->n - p->i < len || memcmp(p->s + p->i, word, len))
		return 0;
	p->i += len;
	return 1;
}

int tc_json_valid(const char *text, size_t n, size_t *at)
{
	scan p = {(const unsigned char *)text, n, 0};
	char stack[TC_JSON_MAX_DEPTH]; /* '{' or '[' */
	size_t depth = 0;
	int ok = 1;
	for (;;) {
		/* a value */
		ws(&p);
		if (p.i >= p.n) {
			ok = 0;
			break;
		}
		unsigned char c = p.s[p.i];
		if (c == '{' || c == '[') {
			if (depth == TC_JSON_MAX_DEPTH) {
				ok = 0;
				break;
			}
			stack[depth++] = (char)c;
			p.i++;
			ws(&p);
			if (p.i < p.n && p.s[p.i] == (c == '{' ? '}' : ']')) {
				p.i++;
				depth--;
			} else if (c == '{') {
				/* the first key */
				if (p.i >= p.n || p.s[p.i] != '"' ||
				    !string(&p)) {
					ok = 0;
					break;
				}
				ws(&p);
				if (p.i >= p.n || p.s[p.i] != ':') {
					ok = 0;
					break;
				}
				p.i++;
				continue;
			} else {
				continue;
			}
		} else if (c == '"') {
			ok = string(&p);
		} else if (c == 't') {
			ok = literal(&p, "true", 4);
		} else if (c == 'f') {
			ok = literal(&p, "false", 5);
		} else if (c == 'n') {
			ok = literal(&p, "null", 4);
		} else {
			ok = number(&p);
		}
		if (!ok)
			break;
		/* after a value: a comma, a close, or the end */
		for (;;) {
			ws(&p);
			if (!depth)
				goto end;
			if (p.i >= p.n) {
				ok = 0;
				goto end;
			}
			c = p.s[p.i++];
			char open = stack[depth - 1];
			if (c == (open == '{' ? '}' : ']')) {
				depth--;
				continue;
			}
			if (c != ',') {
				p.i--;
				ok = 0;
				goto end;
			}
			if (open == '{') {
				ws(&p);
				if (p.i >= p.n || p.s[p.i] != '"' ||
				    !string(&p)) {
					ok = 0;
					goto end;
				}
				ws(&p);
				if (p.i >= p.n || p.s[p.i] != ':') {
					ok = 0;
					goto end;
				}
				p.i++;
			}
			break;
		}
	}
end:
	if (ok && p.i != p.n)
		ok = 0;
	if (!ok && at)
		*at = p.i > p.n ? p.n : p.i;
	return ok;
}
