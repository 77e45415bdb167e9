#include "lang.h"

#include "escape.h"
#include "text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tc_msgs {
	json_t *obj;
};

/* English, as templates/i18n/en.json says it, built in: NUL-terminated.
 * The Makefile makes lang.o depend on the file. */
__asm__(".section .rodata\n"
	".global tc_msgs_en_json\n"
	"tc_msgs_en_json:\n"
	".incbin \"templates/i18n/en.json\"\n"
	".byte 0\n"
	".previous\n");
extern const char tc_msgs_en_json[];

static bool valid_key(const char *k)
{
	if (!*k || strlen(k) > 64)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		      *k == '_' || *k == '.' || *k == '-'))
			return false;
	return true;
}

/* Words with a use that has rules of its own. A sheet name goes into the
 * workbook's structure, where Excel (and libxlsxwriter, which returns no
 * sheet and then crashes on it) refuses what its rules forbid: a natural
 * German "Info: Datei" or "Über diese Datei und ihre Herkunft" did. */
static const char *const sheet_keys[] = {"xlsx.about", "xlsx.measures"};
#define N_SHEETS (sizeof sheet_keys / sizeof *sheet_keys)
#define SHEET_MAX 31 /* UTF-16 code units, as Excel counts them */

/* Why w is no sheet name by Excel's rules, or NULL. The word is text
 * (checked before), so it decodes. */
static const char *sheet_problem(const char *w)
{
	size_t n = strlen(w), units = 0;
	if (!n)
		return "a sheet name is not empty";
	if (w[0] == '\'' || w[n - 1] == '\'')
		return "a sheet name neither starts nor ends with '";
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t l = tc_utf8_decode(w + i, n - i, &cp);
		if (!l || cp < 0x20 || cp == 0x7f)
			return "a sheet name has no control characters";
		if (strchr("[]:*?/\\", (int)cp) && cp < 0x80)
			return "a sheet name has none of [ ] : * ? / or "
			       "backslash";
		units += cp > 0xffff ? 2 : 1;
		i += l;
	}
	if (units > SHEET_MAX)
		return "a sheet name has at most 31 characters";
	if (!strcasecmp(w, "History"))
		return "'History' is a name Excel reserves";
	return NULL;
}

/* Excel compares sheet names without case: ASCII and the Latin-1 letters
 * (the letters of the site's languages) are folded. */
static unsigned fold(unsigned c)
{
	bool upper =
	    (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7);
	return upper ? c + 0x20 : c;
}

static bool same_sheet(const char *a, const char *b)
{
	for (;;) {
		unsigned ca = 0, cb = 0;
		size_t la = tc_utf8_decode(a, strlen(a), &ca),
		       lb = tc_utf8_decode(b, strlen(b), &cb);
		if (!la || !lb)
			return !la && !lb;
		if (fold(ca) != fold(cb))
			return false;
		a += la, b += lb;
	}
}

/* The first word of obj that its use forbids (obj is an object of text
 * words): why and *bad_key set, true; false when there is none. */
static bool use_problem(const json_t *obj, const char **bad_key, char *why,
			size_t n)
{
	/* a missing word shows as its key (tc_msg), which is a sheet name:
	 * compared as such, so a word cannot take the name of a missing one */
	const char *name[N_SHEETS];
	for (size_t i = 0; i < N_SHEETS; i++) {
		const char *w =
		    json_string_value(json_object_get(obj, sheet_keys[i]));
		name[i] = w ? w : sheet_keys[i];
		const char *p = w ? sheet_problem(w) : NULL;
		size_t at = i; /* blame the word that is written */
		for (size_t j = 0; !p && j < i; j++) {
			if (same_sheet(name[j], name[i])) {
				p = "the workbook's two sheets need "
				    "different names";
				at = w ? i : j;
			}
		}
		if (p) {
			*bad_key = sheet_keys[at];
			snprintf(why, n, "%s, as Excel requires", p);
			return true;
		}
	}
	return false;
}

/* False when k is a counted word's zero form ("<key>.zero") whose
 * "<key>.one" or "<key>.other" obj lacks: tc_msg_n falls back on them. */
static bool counted_siblings(const json_t *obj, const char *k)
{
	size_t n = strlen(k), z = sizeof ".zero" - 1;
	if (n <= z || strcmp(k + n - z, ".zero"))
		return true;
	char sib[80]; /* keys are at most 64 bytes */
	snprintf(sib, sizeof sib, "%.*s.one", (int)(n - z), k);
	if (!json_is_string(json_object_get(obj, sib)))
		return false;
	snprintf(sib, sizeof sib, "%.*s.other", (int)(n - z), k);
	return json_is_string(json_object_get(obj, sib));
}

/* The first problem of obj as a catalogue, written to why (NUL-terminated,
 * at most n bytes); false when there is none. */
static bool problem(const json_t *obj, const char **bad_key, char *why,
		    size_t n)
{
	const char *k;
	json_t *v;
	*bad_key = NULL; /* the whole file is wrong, not one entry */
	if (!json_is_object(obj)) {
		snprintf(why, n, "a catalogue is a JSON object of strings");
		return true;
	}
	json_object_foreach ((json_t *)obj, k, v) {
		*bad_key = k;
		size_t len = json_string_length(v), at;
		if (!valid_key(k))
			snprintf(why, n,
				 "keys are 1 to 64 of a-z, 0-9, '_', '.', '-'");
		else if (!json_is_string(v))
			snprintf(why, n, "every word is a string");
		else if (len > TC_MAX_MSG_BYTES)
			snprintf(why, n, "a word is longer than %d bytes",
				 TC_MAX_MSG_BYTES);
		else if ((at = tc_text_scan(json_string_value(v), len)) < len)
			/* the file's bytes are text (gen/source.h); an
			 * escape such as \u0001 is not */
			snprintf(why, n,
				 "control character 0x%02x in a word (only "
				 "tab, line feed and carriage return are "
				 "allowed)",
				 (unsigned char)json_string_value(v)[at]);
		else if (!counted_siblings(obj, k))
			snprintf(why, n,
				 "a zero form (\"<key>.zero\") needs its "
				 "\"<key>.one\" and \"<key>.other\"");
		else
			continue;
		return true;
	}
	return use_problem(obj, bad_key, why, n);
}

tc_msgs *tc_msgs_from_json(const json_t *obj)
{
	const char *k;
	char why[160];
	if (problem(obj, &k, why, sizeof why))
		return NULL;
	tc_msgs *m = malloc(sizeof *m);
	if (!m)
		abort();
	m->obj = json_deep_copy(obj);
	return m;
}

/* Where key is written in text[0..len) as an object key ("key" then
 * spaces and a colon): *line and *col (1-based, columns in bytes), left
 * alone when it is not found as written (escaped, say). */
static void key_pos(const char *text, size_t len, const char *key, int *line,
		    int *col)
{
	size_t kl = strlen(key);
	int l = 1;
	const char *bol = text;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			l++, bol = text + i + 1;
			continue;
		}
		if (text[i] != '"')
			continue;
		size_t start = i++; /* a string: find its end */
		while (i < len && text[i] != '"')
			i += text[i] == '\\' ? 2 : 1;
		size_t j = i + 1;
		while (j < len && (text[j] == ' ' || text[j] == '\t' ||
				   text[j] == '\r' || text[j] == '\n'))
			j++;
		if (i - start - 1 == kl && !memcmp(text + start + 1, key, kl) &&
		    j < len && text[j] == ':') {
			*line = l, *col = (int)(text + start - bol) + 1;
			return;
		}
	}
}

tc_msgs *tc_msgs_parse(const char *path, const char *text, size_t len,
		       tc_diags *d)
{
	json_error_t e;
	json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!obj) {
		tc_diags_add(d, path, e.line > 0 ? e.line : 0,
			     e.column > 0 ? e.column : 0,
			     "message catalogue is not valid JSON: %s", e.text);
		return NULL;
	}
	const char *k;
	char why[160];
	if (problem(obj, &k, why, sizeof why)) {
		if (k) {
			int line = 1, col = 1;
			key_pos(text, len, k, &line, &col);
			tc_diags_add(d, path, line, col,
				     "message catalogue: %s (at '%s')", why, k);
		} else
			tc_diags_add(d, path, 1, 1, "message catalogue: %s",
				     why);
		json_decref(obj);
		return NULL;
	}
	tc_msgs *m = malloc(sizeof *m);
	if (!m)
		abort();
	m->obj = obj;
	return m;
}

static tc_msgs en_msgs;

static void load_en(void)
{
	en_msgs.obj = json_loads(tc_msgs_en_json, JSON_REJECT_DUPLICATES, NULL);
	/* the build checks en.json (make check: test_lang); a broken
	 * one must not take every page down with it */
	if (!en_msgs.obj)
		en_msgs.obj = json_object();
}

const tc_msgs *tc_msgs_default(void)
{
	/* once, whichever thread asks first: languages are written by
	 * several threads at a time */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load_en);
	return &en_msgs;
}

void tc_msgs_free(tc_msgs *m)
{
	if (!m || m == tc_msgs_default())
		return;
	json_decref(m->obj);
	free(m);
}

const char *tc_msgs_get(const tc_msgs *m, const char *key)
{
	return json_string_value(json_object_get(m->obj, key));
}

const json_t *tc_msgs_json(const tc_msgs *m)
{
	return m->obj;
}

int tc_msgs_check(const tc_msgs *ref, const tc_msgs *m, const char *file,
		  tc_diags *d)
{
	int n = 0;
	const char *k;
	json_t *v;
	json_object_foreach (ref->obj, k, v)
		if (!json_object_get(m->obj, k)) {
			tc_diags_add(
			    d, file, 0, 0,
			    "message '%s' is missing (English: \"%s\")", k,
			    json_string_value(v));
			n++;
		}
	json_object_foreach (m->obj, k, v)
		if (!json_object_get(ref->obj, k)) {
			tc_diags_add(d, file, 0, 0,
				     "message '%s' is not one of the site's "
				     "(templates/i18n/en.json has no such key)",
				     k);
			n++;
		}
	return n;
}

const tc_lang *tc_lang_default(void)
{
	static const tc_lang en = {"en", "", NULL, NULL};
	return &en;
}

const char *tc_lang_name(const tc_lang *l, const tc_lang *named)
{
	/* the languages the catalogues name (a catalogue has the same keys
	 * as English, so a new language is a row here and a word in each) */
	static const char *const names[][2] = {{"en", "lang.en"},
					       {"de", "lang.de"}};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(named->code, names[i][0]))
			return tc_msg(l, names[i][1]);
	return tc_msgs_get(tc_lang_msgs(named), "lang.name");
}

void tc_msg_date(tc_buf *out, const tc_lang *l, const char *iso)
{
	int ok = iso && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-';
	for (int i = 0; ok && i < 10; i++)
		ok = i == 4 || i == 7 || (iso[i] >= '0' && iso[i] <= '9');
	if (!ok) {
		tc_buf_puts(out, iso ? iso : "");
		return;
	}
	char y[5], m[3], d[3];
	memcpy(y, iso, 4);
	y[4] = '\0';
	memcpy(m, iso + 5, 2);
	m[2] = '\0';
	memcpy(d, iso + 8, 2);
	d[2] = '\0';
	tc_msgf(out, l, "date.format", "day", d, "month", m, "year", y, NULL);
}

const tc_governing *tc_lang_governing(const tc_lang *l)
{
	return l->site ? l->site->governing : NULL;
}

const tc_lang *tc_lang_all(const tc_lang *l, size_t *n)
{
	if (!l->site) {
		*n = 1;
		return l;
	}
	*n = l->site->n;
	return l->site->v;
}

const tc_msgs *tc_lang_msgs(const tc_lang *l)
{
	return l && l->msgs ? l->msgs : tc_msgs_default();
}

const char *tc_msg(const tc_lang *l, const char *key)
{
	const char *w = tc_msgs_get(tc_lang_msgs(l), key);
	return w ? w : key;
}

/* The word of key for n, and whether it is the zero form. */
static const char *counted(const tc_lang *l, const char *key, long n,
			   bool *zero)
{
	const tc_msgs *m = tc_lang_msgs(l);
	char k[80];
	*zero = false;
	if (n == 0) {
		snprintf(k, sizeof k, "%s.zero", key);
		const char *w = tc_msgs_get(m, k);
		if (w) {
			*zero = true;
			return w;
		}
	}
	snprintf(k, sizeof k, "%s.%s", key, n == 1 ? "one" : "other");
	const char *w = tc_msgs_get(m, k);
	return w ? w : key;
}

const char *tc_msg_n(const tc_lang *l, const char *key, long n)
{
	bool zero;
	return counted(l, key, n, &zero);
}

void tc_msg_count(tc_buf *out, const tc_lang *l, const char *key, long n)
{
	bool zero;
	const char *w = counted(l, key, n, &zero);
	if (zero)
		tc_buf_puts(out, w);
	else
		tc_buf_printf(out, "%ld %s", n, w);
}

void tc_msg_vfill(tc_buf *out, const tc_lang *l, const char *fmt, bool html,
		  va_list ap)
{
	/* the pairs, copied once: each placeholder looks them all up */
	enum { MAXV = 8 };
	const char *name[MAXV], *val[MAXV];
	size_t nv = 0;
	for (const char *k; nv < MAXV && (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		name[nv] = k;
		val[nv++] = v ? v : "";
	}
	for (const char *p = fmt; *p;) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			tc_buf_puts(out, p);
			return;
		}
		tc_buf_put(out, p, (size_t)(open - p));
		size_t n = (size_t)(close - open - 1), i = 0;
		while (i < nv &&
		       (strlen(name[i]) != n || strncmp(name[i], open + 1, n)))
			i++;
		if (i == nv) {
			tc_buf_put(out, open, n + 2);
		} else {
			/* a date (YYYY-MM-DD) as the language writes it in a
			 * sentence: "gültig bis 30.06.2027" */
			tc_buf d = TC_BUF_INIT;
			tc_msg_date(&d, l, val[i]);
			if (html)
				tc_esc_html(out, tc_buf_cstr(&d), d.len);
			else
				tc_buf_put(out, tc_buf_cstr(&d), d.len);
			tc_buf_free(&d);
		}
		p = close + 1;
	}
}

void tc_msg_vfill_n(tc_buf *out, const tc_lang *l, const char *key, long n,
		    bool html, va_list ap)
{
	/* "{n}" first, then the caller's values */
	char num[24];
	snprintf(num, sizeof num, "%ld", n);
	tc_buf w = TC_BUF_INIT;
	for (const char *p = tc_msg_n(l, key, n); *p; p++) {
		if (!strncmp(p, "{n}", 3)) {
			tc_buf_puts(&w, num);
			p += 2;
		} else {
			tc_buf_putc(&w, *p);
		}
	}
	tc_msg_vfill(out, l, tc_buf_cstr(&w), html, ap);
	tc_buf_free(&w);
}

void tc_msgf(tc_buf *out, const tc_lang *l, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	tc_msg_vfill(out, l, tc_msg(l, key), false, ap);
	va_end(ap);
}

void tc_msgf_html(tc_buf *out, const tc_lang *l, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	tc_msg_vfill(out, l, tc_msg(l, key), true, ap);
	va_end(ap);
}

void tc_msgf_n(tc_buf *out, const tc_lang *l, const char *key, long n, ...)
{
	va_list ap;
	va_start(ap, n);
	tc_msg_vfill_n(out, l, key, n, false, ap);
	va_end(ap);
}
