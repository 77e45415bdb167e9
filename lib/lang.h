/* lang.h: the language a page, download or answer is written in.
 *
 * The site's own words (headings, badges, legends, buttons, counts, error
 * pages) come from one message catalogue per language,
 * templates/i18n/<lang>.json: a flat JSON object of strings. Templates see
 * it as "t" ({{t.choose_product}}); C code asks tc_msg(l, "status.provided").
 * Counted words have two keys, "<key>.one" and "<key>.other" (English and
 * German both say "1 measure", "2 measures"), and may have a third,
 * "<key>.zero", the words for none ("No measure differs", "Keine Maßnahme
 * unterscheidet sich" rather than "0 measures differ"); tc_msg_n picks one.
 * A catalogue has the same keys as English (tc_msgs_check), so a zero
 * form is in every language or in none; one without its ".one" and
 * ".other" is refused (tc_msgs_parse).
 *
 * English is built into both binaries (templates/i18n/en.json, included at
 * compile time), so that a word never silently goes missing: tc-gen loads
 * the catalogue of each language it writes from the templates folder and
 * checks it against English (same keys), tc-search takes the catalogues
 * tc-gen stored in the index.
 *
 * The language is a parameter, never process state: every writer of words
 * or URLs is given the tc_lang it writes in (the render context: code, URL
 * prefix of every route, "" for the default language and "/de" for German:
 * lib/routes.h, catalogue, and the site's languages), so two languages can
 * be written at the same time; a thread is given its own with its work. */
#ifndef TC_LANG_H
#define TC_LANG_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>

#include "buf.h"
#include "diag.h"

/* Bytes of one word of a catalogue. Words go into every page (the longest
 * of the bundled catalogues has 377 bytes): without a bound, one word of
 * 500,000 characters made 1.9 GB of pages. tc-gen's other limits are in
 * gen/limits.h, which lib/ does not include. */
#define TC_MAX_MSG_BYTES 2048

/* A catalogue: owns a JSON object of strings. */
typedef struct tc_msgs tc_msgs;

/* A catalogue from the text of file (text[0..len), borrowed), which the
 * caller has read within the limits of a source and checked is text
 * (gen/source.h: tc_source_load): lib/ reads no files of its own, so that
 * a catalogue meets the same door as every template. Reports to d (with
 * the file, and line and column where the JSON is malformed) and returns
 * NULL when it is not a flat object of strings with keys of [a-z0-9_.-],
 * a word is longer than TC_MAX_MSG_BYTES, or a word is not text (lib/text.h:
 * "\u0001" decodes to a control character that the file's bytes do not show).
 */
tc_msgs *tc_msgs_parse(const char *file, const char *text, size_t len,
		       tc_diags *d);
/* A catalogue from a JSON object (borrowed; copied); NULL when it is not
 * one. */
tc_msgs *tc_msgs_from_json(const json_t *obj);
/* The built-in English catalogue (static; never freed). */
const tc_msgs *tc_msgs_default(void);
void tc_msgs_free(tc_msgs *m);
/* The word of key, or NULL. */
const char *tc_msgs_get(const tc_msgs *m, const char *key);
/* The catalogue as a JSON object (borrowed). */
const json_t *tc_msgs_json(const tc_msgs *m);
/* Reports to d each key of ref missing from m and each key of m that ref
 * does not have (a misspelt key would never show); returns their number. */
int tc_msgs_check(const tc_msgs *ref, const tc_msgs *m, const char *file,
		  tc_diags *d);

typedef struct tc_langs tc_langs;

/* A language to write in: the render context every writer of words or URLs
 * is given (borrowed: it must outlive its use). */
typedef struct tc_lang {
	const char *code;     /* "en", "de": the lang attribute, hreflang */
	const char *prefix;   /* "" for the default language, "/de" */
	const tc_msgs *msgs;  /* NULL: English */
	const tc_langs *site; /* the site's languages; NULL: this one alone */
} tc_lang;

/* The language whose data set binds (site.md's governing_language), with
 * the absolute URL and SHA-256 of its api/tom.json: every annex of
 * every language prints them. */
typedef struct tc_governing {
	const tc_lang *lang;
	const char *url;
	const char *sha256;
} tc_governing;

/* The languages of a site, the default first: each page links to itself in
 * the others. Its owner (tc-gen's build, a tc-search answer) sets governing
 * once the governing language's data set is written; NULL until then. */
struct tc_langs {
	const tc_lang *v;
	size_t n;
	const tc_governing *governing;
};

/* English with no prefix and no site, for callers that have no language
 * yet (tests, tc-search before a request's index is known). A constant:
 * nothing switches it. */
const tc_lang *tc_lang_default(void);

/* l's catalogue (English when it has none). */
const tc_msgs *tc_lang_msgs(const tc_lang *l);

/* The languages of l's site (l alone when it has none). */
const tc_lang *tc_lang_all(const tc_lang *l, size_t *n);
/* The governing language of l's site; NULL until it is written. */
const tc_governing *tc_lang_governing(const tc_lang *l);

/* Language named's name as l writes it: l's catalogue's
 * "lang.<code>" ("Englisch" on a German page), or named's own "lang.name"
 * when the catalogue names no such language. */
const char *tc_lang_name(const tc_lang *l, const tc_lang *named);

/* l's word for key; the key itself when it has none,
 * so a missing word shows on the page rather than crashing anything (the
 * catalogues are checked against English before a site is written). */
const char *tc_msg(const tc_lang *l, const char *key);
/* "<key>.one" when n is 1, "<key>.zero" when n is 0 and the catalogue
 * has it, otherwise "<key>.other". */
const char *tc_msg_n(const tc_lang *l, const char *key, long n);
/* A count with its words: "<n> <tc_msg_n(l, key, n)>" ("3 measures differ"),
 * or, for none, the zero form alone, which holds no number ("No measure
 * differs"); "0 measures differ" when key has no zero form. */
void tc_msg_count(tc_buf *out, const tc_lang *l, const char *key, long n);

/* A date as l writes it in a sentence: its word
 * "date.format" with {day}, {month} and {year} filled in from iso
 * (YYYY-MM-DD: "26.11.2026" in German, ISO as written in English). Text
 * that is no such date is appended unchanged. The data keep ISO dates. */
void tc_msg_date(tc_buf *out, const tc_lang *l, const char *iso);

/* Sentences with values inside, whose order differs between languages
 * ("{a} compared with {b}", "{a} im Vergleich mit {b}"): appends the word
 * of key to out with each "{name}" replaced by its value. The arguments
 * after key are pairs of name and value, ended by NULL. A placeholder
 * without a value stays as it is, so a misspelt one shows on the page. */
void tc_msgf(tc_buf *out, const tc_lang *l, const char *key, ...);
/* The same with the word of tc_msg_n(l, key, n), and "{n}" replaced by n. */
void tc_msgf_n(tc_buf *out, const tc_lang *l, const char *key, long n, ...);
/* The same as tc_msgf for an HTML page: the values are escaped, the
 * catalogue's words are not (they are the site's own, like a template's,
 * and may hold markup such as <code>), so the result is shown with
 * {{{triple}}} braces. */
void tc_msgf_html(tc_buf *out, const tc_lang *l, const char *key, ...);
/* The replacement itself, of the text fmt (not a key), the values escaped
 * when html is true (dates written as l writes them): for callers with
 * va_lists of their own. */
void tc_msg_vfill(tc_buf *out, const tc_lang *l, const char *fmt, bool html,
		  va_list ap);
/* The same with the word of tc_msg_n(l, key, n), "{n}" replaced by n. */
void tc_msg_vfill_n(tc_buf *out, const tc_lang *l, const char *key, long n,
		    bool html, va_list ap);

#endif
