#include "errwords.h"

#include <stdio.h>
#include <string.h>

#include "../lib/formats.h"
#include "../lib/lang.h"

/* The rest of a message after "parameter '<name>' ", by its start. A
 * value after the start (the list of allowed values, the bounds) is
 * handed to the sentence as {rest}. */
static const struct pattern {
	const char *start, *key;
	int whole; /* the rest must be the start, with nothing after it */
} patterns[] = {
    {"must contain at least one letter or digit", "error.param.letters", 1},
    {"has no word to search for", "error.param.no_word", 1},
    {"is not a product of this trust center", "error.param.product", 1},
    {"is not a category of this trust center", "error.param.category", 1},
    {"must be one or more (comma-separated) of ", "error.param.some_of", 0},
    {"must be one of ", "error.param.one_of", 0},
    {"must be a whole number from ", "error.param.number", 0},
    {"must be a version such as 2026.1", "error.param.version", 1},
    {"must be a language code such as en or de", "error.param.lang_code", 1},
    {"is longer than ", "error.param.long", 0},
    {"is given more than once", "error.param.twice", 1},
    {"has malformed percent-encoding", "error.param.encoding", 1},
    {"is not valid UTF-8 text", "error.param.utf8", 1},
    {"is required", "error.param.required", 1},
};

/* Messages without a parameter. */
static const struct plain {
	const char *msg, *key;
} plains[] = {
    {"there is no such API endpoint", "error.no_endpoint"},
    {"only GET and HEAD are allowed", "error.method_get"},
    {"only POST is allowed", "error.method_post"},
    {"malformed percent-encoding in a parameter name", "error.param_name"},
};

/* Whether rest is what the format parameter says of a format it does not
 * export ("must be json, csv or xlsx", cgi/params.c); if so, appends the
 * sentence of l with the same IDs, listed with l's word for "or". The
 * formats are lib/formats.c's, so a new one touches no pattern or
 * catalogue. */
static int format_words(const char *rest, const char *p, const tc_lang *l,
			tc_buf *out)
{
	tc_buf said = TC_BUF_INIT, ids = TC_BUF_INIT;
	tc_buf_puts(&said, "must be ");
	tc_format_search_ids(&said, false);
	int is = !strcmp(rest, tc_buf_cstr(&said));
	if (is) {
		int n = 0, total = 0;
		for (int f = 0; f < TC_FMT__COUNT; f++)
			total += tc_format_get((tc_format)f)->search;
		for (int f = 0; f < TC_FMT__COUNT; f++) {
			const tc_format_info *fi = tc_format_get((tc_format)f);
			if (!fi->search)
				continue;
			if (n)
				tc_buf_printf(&ids,
					      n == total - 1 ? " %s " : ", ",
					      tc_msg(l, "or"));
			tc_buf_puts(&ids, fi->id);
			n++;
		}
		tc_msgf(out, l, "error.param.format", "param", p, "formats",
			tc_buf_cstr(&ids), NULL);
	}
	tc_buf_free(&said);
	tc_buf_free(&ids);
	return is;
}

static int param_words(const char *msg, const tc_lang *l, tc_buf *out)
{
	static const char head[] = "parameter '";
	if (strncmp(msg, head, sizeof head - 1))
		return 0;
	const char *name = msg + sizeof head - 1, *q = strchr(name, '\'');
	if (!q || q == name || q - name > 32)
		return 0;
	char p[33];
	memcpy(p, name, (size_t)(q - name));
	p[q - name] = '\0';
	const char *rest = q + 1;
	if (*rest == ' ') {
		rest++;
		if (format_words(rest, p, l, out))
			return 1;
		for (size_t i = 0; i < sizeof patterns / sizeof *patterns;
		     i++) {
			size_t n = strlen(patterns[i].start);
			if (strncmp(rest, patterns[i].start, n) ||
			    (patterns[i].whole && rest[n]))
				continue;
			/* numbers in the language's sentence: "1 to 100",
			 * "2048 bytes" */
			long lo = 0, hi = 0;
			char a[24] = "", b[24] = "";
			int number =
				!strcmp(patterns[i].key, "error.param.number"),
			    bytes =
				!strcmp(patterns[i].key, "error.param.long");
			if ((number &&
			     sscanf(rest + n, "%ld to %ld", &lo, &hi) != 2) ||
			    (bytes && sscanf(rest + n, "%ld bytes", &lo) != 1))
				break; /* not the pattern's numbers */
			snprintf(a, sizeof a, "%ld", lo);
			snprintf(b, sizeof b, "%ld", hi);
			tc_msgf(out, l, patterns[i].key, "param", p, "rest",
				rest + n, "lo", a, "hi", b, NULL);
			return 1;
		}
	}
	/* "parameter 'lang': 'xx' is not a language of this trust
	 * center (en, de)" and anything else said of a parameter */
	tc_msgf(out, l, "error.param.other", "param", p, NULL);
	return 1;
}

void ts_error_words(const tc_lang *l, const char *msg, tc_buf *out)
{
	if (!strcmp(l->code, "en")) {
		tc_buf_puts(out, msg);
		return;
	}
	for (size_t i = 0; i < sizeof plains / sizeof *plains; i++)
		if (!strcmp(msg, plains[i].msg)) {
			tc_buf_puts(out, tc_msg(l, plains[i].key));
			return;
		}
	static const char unknown[] = "unknown parameter '";
	size_t n = strlen(msg);
	if (!strncmp(msg, unknown, sizeof unknown - 1) && n > sizeof unknown &&
	    msg[n - 1] == '\'') {
		tc_buf name = TC_BUF_INIT;
		tc_buf_put(&name, msg + sizeof unknown - 1, n - sizeof unknown);
		tc_msgf(out, l, "error.unknown_param", "param",
			tc_buf_cstr(&name), NULL);
		tc_buf_free(&name);
		return;
	}
	if (!param_words(msg, l, out))
		tc_buf_puts(out, msg);
}

ts_index *ts_error_lang(ts_index *ix, const char *query)
{
	for (const char *s = query ? query : ""; *s;) {
		size_t n = strcspn(s, "&");
		if (n > 5 && n - 5 <= TS_ERROR_LANG_MAX &&
		    !strncmp(s, "lang=", 5) &&
		    strspn(s + 5, "abcdefghijklmnopqrstuvwxyz-") >= n - 5) {
			char code[TS_ERROR_LANG_MAX + 1];
			memcpy(code, s + 5, n - 5);
			code[n - 5] = '\0';
			return ts_index_lang(ix, code);
		}
		s += n + (s[n] ? 1 : 0);
	}
	return NULL;
}
