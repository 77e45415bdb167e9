#include "vocab.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "lang.h"
#include "text.h"

/* The words are those of the language given (lib/lang.h): the catalogue keys
 * "status.<id>", "resp.<id>" and "resp.<id>.phrase". */
static const struct word {
	const char *id, *key, *icon;
} statuses[ST__COUNT] = {
    [ST_PROVIDED] = {"provided", "status.provided", "\xe2\x9c\x93"},
    [ST_NOT_PROVIDED] = {"not-provided", "status.not-provided", "\xe2\x9c\x97"},
    [ST_NOT_APPLICABLE] = {"not-applicable", "status.not-applicable",
			   "\xe2\x80\x93"},
    [ST_NOT_AT_LEVEL] = {"not-at-level", "status.not-at-level", "\xe2\x97\x8b"},
    [ST_CLIENT] = {"client", "status.client", "\xe2\x97\x86"},
    [ST_SEE_PRODUCT] = {"see-product", "status.see-product", "\xe2\x86\x92"},
    [ST_OTHER] = {"other", "status.other", "\xe2\x80\xa2"},
};

static const struct rword {
	const char *id, *key, *icon, *phrase;
} resps[RS__COUNT] = {
    [RS_PROVIDER] = {"provider", "resp.provider", "\xe2\x9c\x93",
		     "resp.provider.phrase"},
    [RS_SHARED] = {"shared", "resp.shared", "\xe2\x97\x90",
		   "resp.shared.phrase"},
    [RS_CLIENT] = {"client", "resp.client", "\xe2\x97\x86",
		   "resp.client.phrase"},
    [RS_SEE_PRODUCT] = {"see-product", "resp.see-product", "\xe2\x86\x92",
			"resp.see-product.phrase"},
    [RS_NONE] = {"none", "resp.none", "\xe2\x80\x93", "resp.none.phrase"},
};

static const char *kinds[SK__COUNT] = {"product", "site", "internal",
				       "organisation"};

const char *tc_status_id(tc_status s)
{
	return statuses[s].id;
}
const char *tc_status_title(const tc_lang *l, tc_status s)
{
	return tc_msg(l, statuses[s].key);
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

const char *tc_resp_id(tc_resp r)
{
	return resps[r].id;
}
const char *tc_resp_title(const tc_lang *l, tc_resp r)
{
	return tc_msg(l, resps[r].key);
}
const char *tc_resp_icon(tc_resp r)
{
	return resps[r].icon;
}
const char *tc_resp_phrase(const tc_lang *l, tc_resp r)
{
	return tc_msg(l, resps[r].phrase);
}

int tc_resp_from_id(const char *id)
{
	for (int i = 0; i < RS__COUNT; i++)
		if (!strcmp(resps[i].id, id))
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

/* One language's marks: its code and its object in marks.json. */
struct tc_marks {
	char code[8];
	json_t *j;
};

const char *tc_mark_shown(const tc_lang *l, const tc_marks *mk,
			  const char *label, tc_status st)
{
	size_t n = 0;
	if (!strcmp(l->code, mk->code) ||
	    tc_mark_parse(mk, label, &n) == ST_OTHER || label[n] != '\0' ||
	    !strcmp(label, statuses[ST_PROVIDED].icon))
		return label;
	return tc_status_icon(st);
}

tc_badge tc_cell_badge(const tc_lang *l, tc_status s, tc_resp r)
{
	if (r == RS_SHARED)
		return (tc_badge){resps[r].id, tc_resp_title(l, r),
				  resps[r].icon, false};
	return (tc_badge){statuses[s].id, tc_status_title(l, s),
			  statuses[s].icon, s == ST_OTHER};
}

/* ---- marks: templates/i18n/marks.json, built in ---- */

/* The marks and table headers of each content language, as
 * templates/i18n/marks.json says them, built in (NUL-terminated). The
 * Makefile makes vocab.o depend on the file. */
__asm__(".section .rodata\n"
	".global tc_marks_json\n"
	"tc_marks_json:\n"
	".incbin \"templates/i18n/marks.json\"\n"
	".byte 0\n"
	".previous\n");
extern const char tc_marks_json[];

/* The statuses a mark may say, in the order marks.json's "marks" lists
 * them and an error message offers them. */
static const tc_status mark_statuses[] = {
    ST_PROVIDED, ST_NOT_PROVIDED, ST_NOT_APPLICABLE, ST_CLIENT, ST_SEE_PRODUCT};
#define NMARK_STATUSES (sizeof mark_statuses / sizeof *mark_statuses)

/* The languages marks.json has, filled once and read-only after. */
static json_t *all_marks;
static tc_marks langs[TC_MARKS_MAX_LANGS];
static size_t nlangs;

static void load_marks(void)
{
	all_marks = json_loads(tc_marks_json, JSON_REJECT_DUPLICATES, NULL);
	/* test_vocab checks the file; a broken one has no marks */
	if (!all_marks)
		all_marks = json_object();
	const char *k;
	json_t *v;
	json_object_foreach (all_marks, k, v)
		if (json_is_object(v) && strlen(k) < sizeof langs[0].code &&
		    nlangs < TC_MARKS_MAX_LANGS) {
			strcpy(langs[nlangs].code, k);
			langs[nlangs++].j = v;
		}
}

/* Loaded once, whichever thread asks first (tc-gen's PDF and workbook
 * threads read words while the pages are written). */
static void marks_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load_marks);
}

static json_t *marks_of(const tc_marks *mk, const char *part)
{
	return json_object_get(mk->j, part);
}

static json_t *mark_list(const tc_marks *mk, const char *part, tc_status s)
{
	return json_object_get(marks_of(mk, part), statuses[s].id);
}

const tc_marks *tc_marks_for(const char *lang)
{
	marks_load();
	for (size_t i = 0; i < nlangs; i++)
		if (!strcmp(langs[i].code, lang ? lang : "en"))
			return &langs[i];
	return NULL;
}

const char *tc_marks_code(const tc_marks *mk)
{
	return mk->code;
}

void tc_marks_langs(tc_buf *out)
{
	marks_load();
	for (size_t i = 0; i < nlangs; i++)
		tc_buf_printf(out, "%s%s", i ? ", " : "", langs[i].code);
}

const char *tc_mark_label(const tc_marks *mk, tc_status s)
{
	const char *l =
	    json_string_value(json_array_get(mark_list(mk, "marks", s), 0));
	return l ? l : "";
}

void tc_marks_list(const tc_marks *mk, tc_buf *out)
{
	for (size_t i = 0; i < NMARK_STATUSES; i++) {
		json_t *l = mark_list(mk, "marks", mark_statuses[i]);
		size_t k;
		json_t *v;
		json_array_foreach (l, k, v) {
			if (i || k)
				tc_buf_puts(out, ", ");
			tc_buf_printf(out, "'%s'", json_string_value(v));
		}
	}
}

const char *tc_header_word(const tc_marks *mk, int col)
{
	json_t *l = json_object_get(marks_of(mk, "header"),
				    col == 0 ? "id" : "measure");
	const char *w = json_string_value(json_array_get(l, 0));
	return w ? w : "";
}

bool tc_header_ok(const tc_marks *mk, int col, const char *text)
{
	json_t *l = json_object_get(marks_of(mk, "header"),
				    col == 0 ? "id" : "measure");
	size_t i;
	json_t *v;
	json_array_foreach (l, i, v)
		if (!strcasecmp(json_string_value(v), text))
			return true;
	return false;
}

/* The mark ✓, which needs no punctuation before its note. */
static bool is_tick(const char *m)
{
	return !strcmp(m, statuses[ST_PROVIDED].icon);
}

/* Where a mark m at the start of s ends: s must begin with m exactly, and
 * m be a whole word, ending at the end of the text, a space or one of
 * "(),;:". After any mark but ✓, a note is set off by punctuation
 * ("NA (instead: EAC-8)", "Client's responsibility: see the DPA"), so
 * "Client's responsibility and ours" is not the mark with a note "and
 * ours": *words is set for it. 0 when s does not begin with m. */
static size_t mark_end(const char *s, const char *m, bool *words)
{
	size_t n = strlen(m);
	*words = false;
	if (strncmp(s, m, n) != 0)
		return 0;
	unsigned char next = (unsigned char)s[n];
	if (next == 0 || strchr("(),;:", next))
		return n;
	if (!isspace(next))
		return 0;
	if (is_tick(m))
		return n;
	const char *p = s + n;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || strchr("(),;:", *p) || !strncmp(p, "\xe2\x80\x93", 3) ||
	    !strncmp(p, "\xe2\x80\x94", 3))
		return n;
	*words = true;
	return 0;
}

tc_status tc_mark_parse(const tc_marks *mk, const char *t, size_t *len)
{
	for (size_t i = 0; i < NMARK_STATUSES; i++) {
		size_t k;
		json_t *v;
		json_array_foreach (mark_list(mk, "marks", mark_statuses[i]), k,
				    v) {
			bool words;
			size_t n = mark_end(t, json_string_value(v), &words);
			if (n) {
				*len = n;
				return mark_statuses[i];
			}
		}
	}
	*len = 0;
	return ST_OTHER;
}

/* Whether the code point at p (k bytes of valid UTF-8) is a symbol or
 * punctuation rather than a letter: General Punctuation to Miscellaneous
 * Symbols and Arrows (U+2000-U+2BFF, ticks and crosses among them), the
 * acute accent (U+00B4) and the emoji planes. Enough to tell "✗" from
 * "Überwachung". */
static bool symbol_cp(unsigned cp)
{
	return (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFE0F || cp == 0xB4 ||
	       cp == 0xA0;
}

#define KEY_BYTES 96

/* The letters and digits of t[0..n), ASCII ones in lower case, other
 * letters as they are: "Client’s Responsibility" and "clients
 * responsibility" have the same key. Returns its length, (size_t)-1 when
 * it is longer than KEY_BYTES (real text, no mark). */
static size_t key_of(const char *t, size_t n, char *key)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t b = tc_utf8_decode(t + i, n - i, &cp);
		if (!b)
			b = 1;
		if (b == 1 && isalnum((unsigned char)t[i])) {
			if (k + 1 >= KEY_BYTES)
				return (size_t)-1;
			key[k++] = (char)tolower((unsigned char)t[i]);
		} else if (b > 1 && !symbol_cp(cp)) {
			if (k + b >= KEY_BYTES)
				return (size_t)-1;
			memcpy(key + k, t + i, b);
			k += b;
		}
		i += b;
	}
	key[k] = '\0';
	return k;
}

/* The edit distance of keys a and b (lib/text.h; a key is shorter than
 * KEY_BYTES). */
_Static_assert(KEY_BYTES <= TC_TEXT_DISTANCE_MAX, "a key fits the distance");
static size_t distance(const char *a, const char *b)
{
	return tc_text_distance(a, strlen(a), b, strlen(b));
}

/* Whether the key k of a beginning of a cell is near the key w of a mark
 * or of a word that means one: the same letters, or (for a word of 6
 * letters or more) at most two letters apart. */
static bool near_key(const char *k, const char *w)
{
	if (!*k || !*w)
		return false;
	if (!strcmp(k, w))
		return true;
	return strlen(w) >= 6 && distance(k, w) <= 2;
}

tc_mark_miss tc_mark_near(const tc_marks *mk, const char *t)
{
	tc_mark_miss r = {NULL, 0, false};
	size_t len = strlen(t);
	/* a mark with words after it, not set off */
	for (size_t i = 0; i < NMARK_STATUSES; i++) {
		size_t k;
		json_t *v;
		json_array_foreach (mark_list(mk, "marks", mark_statuses[i]), k,
				    v) {
			const char *m = json_string_value(v);
			bool words;
			if (!mark_end(t, m, &words) && words)
				return (tc_mark_miss){m, strlen(m), true};
		}
	}
	char key[KEY_BYTES], want[KEY_BYTES];
	/* no letter or digit at all: "✗", "✔️", "-", "?" */
	if (*t && key_of(t, len, key) == 0)
		return (tc_mark_miss){"", len, false};
	/* each beginning of the cell that ends where a word does, longest
	 * first, against each mark and each word that means one */
	for (size_t e = len; e > 0; e--) {
		if (e < len &&
		    !(isspace((unsigned char)t[e]) || strchr("(),;:", t[e])))
			continue;
		size_t kn = key_of(t, e, key);
		if (kn == 0 || kn == (size_t)-1)
			continue;
		for (size_t i = 0; i < NMARK_STATUSES; i++) {
			const char *parts[] = {"marks", "near"};
			for (size_t p = 0; p < 2; p++) {
				size_t k;
				json_t *v;
				json_array_foreach (
				    mark_list(mk, parts[p], mark_statuses[i]),
				    k, v) {
					const char *w = json_string_value(v);
					size_t wn = key_of(w, strlen(w), want);
					if (is_tick(w) || wn == 0 ||
					    wn == (size_t)-1)
						continue;
					/* a short word only as the whole
					 * cell: "No" is X, "No logs" is no
					 * mark at all */
					if (e < len && strlen(want) < 6)
						continue;
					if (near_key(key, want))
						return (tc_mark_miss){
						    tc_mark_label(
							mk, mark_statuses[i]),
						    e, false};
				}
			}
		}
	}
	return r;
}

const char *tc_mark_suspect(const tc_marks *mk, const char *text)
{
	return tc_mark_near(mk, text).meant;
}

void tc_cell_meaning(tc_status mark, tc_cell_where w, tc_status *status,
		     tc_resp *resp)
{
	*status = mark;
	switch (mark) {
	case ST_PROVIDED:
		if (w.level && w.per_product) {
			*status = ST_SEE_PRODUCT;
			*resp = RS_SEE_PRODUCT;
		} else if (w.client_duty) {
			*status = ST_CLIENT;
			*resp = RS_CLIENT;
		} else {
			*resp = w.shared ? RS_SHARED : RS_PROVIDER;
		}
		return;
	case ST_NOT_PROVIDED:
		if (w.level)
			*status = ST_NOT_AT_LEVEL;
		*resp = RS_NONE;
		return;
	case ST_NOT_APPLICABLE:
	case ST_NOT_AT_LEVEL: *resp = RS_NONE; return;
	case ST_CLIENT: *resp = RS_CLIENT; return;
	case ST_SEE_PRODUCT: *resp = RS_SEE_PRODUCT; return;
	/* Free text describes what we do for that scope ("RAID-based storage
	 * backend", "rootkit tests"). */
	case ST_OTHER:
	default: *resp = w.client_duty ? RS_CLIENT : RS_PROVIDER; return;
	}
}

tc_resp tc_resp_combine(const tc_resp *cells, size_t n)
{
	static const tc_resp order[] = {RS_CLIENT, RS_SHARED, RS_PROVIDER,
					RS_SEE_PRODUCT};
	for (size_t k = 0; k < sizeof order / sizeof *order; k++)
		for (size_t i = 0; i < n; i++)
			if (cells[i] == order[k])
				return order[k];
	return RS_NONE;
}

/* How much of a measure is the client's: 0 none, 1 part, 2 all. */
static int client_share(tc_resp r)
{
	return r == RS_CLIENT ? 2 : r == RS_SHARED ? 1 : 0;
}

tc_move tc_resp_move(tc_resp from, tc_resp to)
{
	int a = client_share(from), b = client_share(to);
	if (a == b)
		return MV_NONE;
	if (b == 2)
		return MV_TO_CLIENT;
	if (b == 0)
		return MV_FROM_CLIENT;
	return a == 0 ? MV_PARTLY_TO_CLIENT : MV_PARTLY_FROM_CLIENT;
}

static const char *moves[] = {
    [MV_NONE] = "",
    [MV_TO_CLIENT] = "to-client",
    [MV_PARTLY_TO_CLIENT] = "partly-to-client",
    [MV_FROM_CLIENT] = "from-client",
    [MV_PARTLY_FROM_CLIENT] = "partly-from-client",
};

const char *tc_move_id(tc_move m)
{
	return moves[m];
}

/* catalogue keys "move.<id>" */
const char *tc_move_words(const tc_lang *l, tc_move m)
{
	static const char *keys[] = {
	    [MV_TO_CLIENT] = "move.to-client",
	    [MV_PARTLY_TO_CLIENT] = "move.partly-to-client",
	    [MV_FROM_CLIENT] = "move.from-client",
	    [MV_PARTLY_FROM_CLIENT] = "move.partly-from-client",
	};
	return m == MV_NONE ? "" : tc_msg(l, keys[m]);
}

bool tc_move_to_client(tc_move m)
{
	return m == MV_TO_CLIENT || m == MV_PARTLY_TO_CLIENT;
}

bool tc_concerns(bool table_has_products, bool has_product_cell)
{
	return !table_has_products || has_product_cell;
}

const char *tc_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
