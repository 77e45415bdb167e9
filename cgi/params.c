#include "params.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/formats.h"
#include "../lib/text.h"
#include "../lib/tomdata.h"
#include "../lib/vocab.h"

typedef int (*validator)(const char *v, json_t *doc, tc_buf *why);

static int v_query(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	if (strlen(v) > TS_MAX_QUERY) {
		tc_buf_printf(why, "is longer than %d bytes", TS_MAX_QUERY);
		return -1;
	}
	for (const char *s = v; *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return 0;
	tc_buf_puts(why, "must contain at least one letter or digit");
	return -1;
}

static int v_product(const char *v, json_t *doc, tc_buf *why)
{
	json_t *s = tc_tom_scope(doc, v);
	const char *kind = json_string_value(json_object_get(s, "kind"));
	if (kind && !strcmp(kind, "product"))
		return 0;
	tc_buf_puts(why, "is not a product of this trust center");
	return -1;
}

static int v_category(const char *v, json_t *doc, tc_buf *why)
{
	size_t i;
	json_t *c;
	json_array_foreach (json_object_get(doc, "categories"), i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "id")), v))
			return 0;
	}
	tc_buf_puts(why, "is not a category of this trust center");
	return -1;
}

static int v_status(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	if (tc_status_from_id(v) >= 0)
		return 0;
	tc_buf_puts(why, "must be one of");
	for (int s = 0; s < ST__COUNT; s++)
		tc_buf_printf(why, "%s %s", s ? "," : "",
			      tc_status_id((tc_status)s));
	return -1;
}

/* One responsibility (lib/vocab.h) or several, comma-separated
 * ("client,shared": what is the client's, wholly or in part). */
static int v_resp(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	int ok = *v != '\0';
	for (const char *s = v; ok && *s;) {
		size_t n = strcspn(s, ",");
		char id[32];
		ok = n > 0 && n < sizeof id;
		if (ok) {
			memcpy(id, s, n);
			id[n] = '\0';
			ok = tc_resp_from_id(id) >= 0;
		}
		s += n;
		if (ok && *s == ',')
			ok = *++s != '\0'; /* no empty item at the end */
	}
	if (ok)
		return 0;
	tc_buf_puts(why, "must be one or more (comma-separated) of");
	for (int r = 0; r < RS__COUNT; r++)
		tc_buf_printf(why, "%s %s", r ? "," : "",
			      tc_resp_id((tc_resp)r));
	return -1;
}

static int v_number(const char *v, long lo, long hi, tc_buf *why)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v && !*end && isdigit((unsigned char)*v) && n >= lo && n <= hi &&
	    strlen(v) < 8)
		return 0;
	tc_buf_printf(why, "must be a whole number from %ld to %ld", lo, hi);
	return -1;
}

static int v_limit(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	return v_number(v, 1, TS_LIMIT_MAX, why);
}

static int v_offset(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	return v_number(v, 0, TS_OFFSET_MAX, why);
}

/* The formats /api/export writes (lib/formats.h). */
static int v_format(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	if (tc_format_from_id(v) >= 0)
		return 0;
	tc_buf_puts(why, "must be ");
	tc_format_search_ids(why, false);
	return -1;
}

/* A version as tc-gen accepts it (the changes handler says whether it is
 * one of the releases). */
static int v_version(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	int ok = tc_text_is_version(v);
	if (!ok)
		tc_buf_puts(why, "must be a version such as 2026.1");
	return ok ? 0 : -1;
}

/* A language code (ISO 639-1, as site.md's `languages`); whether the
 * site has it, the handler says with the list of those it has. */
static int v_lang(const char *v, json_t *doc, tc_buf *why)
{
	(void)doc;
	int ok = strlen(v) == 2 && islower((unsigned char)v[0]) &&
		 islower((unsigned char)v[1]);
	if (!ok)
		tc_buf_puts(why, "must be a language code such as en or de");
	return ok ? 0 : -1;
}

/* The one table of parameters: name and validator, indexed by ts_param. */
static const struct {
	const char *name;
	validator check;
} table[P__COUNT] = {
    [P_Q] = {"q", v_query},
    [P_PRODUCT] = {"product", v_product},
    [P_CATEGORY] = {"category", v_category},
    [P_STATUS] = {"status", v_status},
    [P_RESP] = {"responsibility", v_resp},
    [P_LIMIT] = {"limit", v_limit},
    [P_OFFSET] = {"offset", v_offset},
    [P_FORMAT] = {"format", v_format},
    [P_SINCE] = {"since", v_version},
    [P_LANG] = {"lang", v_lang},
};

const char *ts_param_name(ts_param p)
{
	return table[p].name;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int ts_percent_decode(const char *s, size_t n, tc_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			tc_buf_putc(out, ' ');
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
			if (a < 0 || b < 0)
				return -1;
			tc_buf_putc(out, (char)(a * 16 + b));
			i += 2;
		} else {
			tc_buf_putc(out, s[i]);
		}
	}
	return 0;
}

static int lookup(const char *name, size_t n)
{
	for (int i = 0; i < P__COUNT; i++)
		if (strlen(table[i].name) == n &&
		    !memcmp(table[i].name, name, n))
			return i;
	return -1;
}

/* Handles one name=value pair; returns -1 with err filled. */
static int one(const char *pair, size_t n, unsigned allowed, json_t *doc,
	       ts_params *p, tc_buf *err)
{
	const char *eq = memchr(pair, '=', n);
	size_t kn = eq ? (size_t)(eq - pair) : n;
	tc_buf key = TC_BUF_INIT, val = TC_BUF_INIT;
	int rc = -1;
	if (ts_percent_decode(pair, kn, &key) < 0) {
		tc_buf_puts(err,
			    "malformed percent-encoding in a parameter name");
		goto out;
	}
	int id = lookup(tc_buf_cstr(&key), key.len);
	if (id < 0 || !(allowed & TS_BIT(id))) {
		tc_buf_puts(err, "unknown parameter '");
		tc_esc_log(err, tc_buf_cstr(&key), key.len);
		tc_buf_puts(err, "'");
		goto out;
	}
	if (p->v[id]) {
		tc_buf_printf(err, "parameter '%s' is given more than once",
			      table[id].name);
		goto out;
	}
	if (eq && ts_percent_decode(eq + 1, n - kn - 1, &val) < 0) {
		tc_buf_printf(err,
			      "parameter '%s' has malformed "
			      "percent-encoding",
			      table[id].name);
		goto out;
	}
	if (!tc_utf8_valid(tc_buf_cstr(&val), val.len) ||
	    strlen(tc_buf_cstr(&val)) != val.len) {
		tc_buf_printf(err, "parameter '%s' is not valid UTF-8 text",
			      table[id].name);
		goto out;
	}
	p->v[id] = tc_buf_detach(&val);
	/* An empty value is as good as none: HTML forms send empty selects. */
	if (!*p->v[id] && id != P_Q) {
		rc = 0;
		goto out;
	}
	tc_buf why = TC_BUF_INIT;
	if (table[id].check(p->v[id], doc, &why) < 0) {
		tc_buf_printf(err, "parameter '%s' %s", table[id].name,
			      tc_buf_cstr(&why));
		tc_buf_free(&why);
		goto out;
	}
	rc = 0;
out:
	tc_buf_free(&key);
	tc_buf_free(&val);
	return rc;
}

int ts_params_parse(const char *query, unsigned allowed, unsigned required,
		    json_t *doc, ts_params *p, tc_buf *err)
{
	memset(p, 0, sizeof *p);
	p->limit = 20;
	const char *s = query ? query : "";
	while (*s) {
		const char *amp = strchr(s, '&');
		size_t n = amp ? (size_t)(amp - s) : strlen(s);
		if (n && one(s, n, allowed, doc, p, err) < 0)
			return -1;
		s += n + (amp ? 1 : 0);
	}
	for (int i = 0; i < P__COUNT; i++) {
		if (p->v[i] && !*p->v[i]) {
			free(p->v[i]);
			p->v[i] = NULL;
		}
		if ((required & TS_BIT(i)) && !p->v[i]) {
			tc_buf_printf(err, "parameter '%s' is required",
				      table[i].name);
			return -1;
		}
	}
	if (p->v[P_LIMIT])
		p->limit = strtol(p->v[P_LIMIT], NULL, 10);
	if (p->v[P_OFFSET])
		p->offset = strtol(p->v[P_OFFSET], NULL, 10);
	return 0;
}

void ts_params_free(ts_params *p)
{
	for (int i = 0; i < P__COUNT; i++) {
		free(p->v[i]);
		p->v[i] = NULL;
	}
}
