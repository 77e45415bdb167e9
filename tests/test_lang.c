/* lib/lang: the message catalogues. Every language has the same words as
 * English, every word a template or page builder asks for exists, every
 * word exists because something asks for it, and a broken catalogue is
 * reported where it is broken. */
#define _XOPEN_SOURCE 700
#include <glob.h>
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../gen/apidoc.h"
#include "../gen/content.h"
#include "../gen/site_kit.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "../lib/views.h"
#include "../lib/vocab.h"
#include "helpers.h"

static char *rpath(const char *rel)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%s/%s", repo_root(), rel);
	return tc_buf_detach(&b);
}

/* Every file matching pattern (relative to the repository), read whole,
 * passed to fn. */
static void each_file(const char *pattern,
		      void (*fn)(const char *path, const char *text, void *ud),
		      void *ud)
{
	char *p = rpath(pattern);
	glob_t g;
	assert_int_equal(glob(p, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t len;
		char *text = tc_read_file(g.gl_pathv[i], &len);
		assert_non_null(text);
		fn(g.gl_pathv[i], text, ud);
		free(text);
	}
	globfree(&g);
	free(p);
}

/* ---- the catalogues of the repository ---- */

static void same_keys(void **state)
{
	(void)state;
	tc_msgs *en = repo_catalogue("en");
	tc_msgs *de = repo_catalogue("de");
	tc_diags *d = tc_diags_new();
	assert_int_equal(tc_msgs_check(en, de, "de.json", d), 0);
	/* the built-in English is the file, as the build included it */
	assert_int_equal(tc_msgs_check(tc_msgs_default(), en, "en.json", d), 0);
	char *errs = diags_text(d);
	assert_string_equal(errs, "");
	free(errs);
	tc_diags_free(d);
	tc_msgs_free(en);
	tc_msgs_free(de);
}

/* Calls fn(path, key, ud) with the first group of each match of the
 * extended regular expression pattern in text, the file at path. */
static void each_key(const char *path, const char *text, const char *pattern,
		     void (*fn)(const char *, const char *, void *), void *ud)
{
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
	regmatch_t mt[2];
	for (const char *s = text; !regexec(&re, s, 2, mt, 0);
	     s += mt[0].rm_eo) {
		char *k = strndup(s + mt[1].rm_so,
				  (size_t)(mt[1].rm_eo - mt[1].rm_so));
		fn(path, k, ud);
		free(k);
	}
	regfree(&re);
}

static void note_key(const char *path, const char *k, void *ud)
{
	/* Mustache reads a dot as a path: t.a.b is t["a"]["b"], never the
	 * word "a.b", which the page would show as nothing */
	if (strchr(k, '.'))
		fail_msg("%s: {{t.%s}}: a template's key has no '.'", path, k);
	json_object_set_new(ud, k, json_string(path));
}

/* The keys the templates use: {{t.key}}, {{{t.key}}}, {{#t.key}}... */
static void template_keys(const char *path, const char *text, void *ud)
{
	each_key(path, text, "\\{\\{[{#^/&]?[ ]*t\\.([a-z0-9_.-]+)", note_key,
		 ud);
}

static void templates_words_exist(void **state)
{
	(void)state;
	json_t *used = json_object();
	each_file("templates/*.mustache", template_keys, used);
	assert_true(json_object_size(used) > 50);
	const char *k;
	json_t *v;
	json_object_foreach (used, k, v)
		if (!tc_msgs_get(tc_msgs_default(), k))
			fail_msg("%s uses {{t.%s}}: templates/i18n/en.json has "
				 "no such word",
				 json_string_value(v), k);
	json_decref(used);
}

/* The C sources' text, all in one buffer. */
static void append_text(const char *path, const char *text, void *ud)
{
	(void)path;
	tc_buf_puts(ud, text);
	tc_buf_putc(ud, '\n');
}

/* Whether key is asked for: by a template, or by C code as a string
 * literal, itself or (counted words, tc_msg_n) without .one/.other, or
 * as a family's format ("framework.%s" asks for every framework.<id>). */
static bool used(const char *key, const json_t *in_templates, const char *c)
{
	if (json_object_get(in_templates, key))
		return true;
	tc_buf lit = TC_BUF_INIT;
	tc_buf_printf(&lit, "\"%s\"", key);
	bool found = strstr(c, tc_buf_cstr(&lit)) != NULL;
	size_t n = strlen(key);
	const char *suffix[] = {".one", ".other", ".zero"};
	for (size_t i = 0; !found && i < 3; i++) {
		size_t k = strlen(suffix[i]);
		if (n > k && !strcmp(key + n - k, suffix[i])) {
			tc_buf_clear(&lit);
			tc_buf_printf(&lit, "\"%.*s\"", (int)(n - k), key);
			found = strstr(c, tc_buf_cstr(&lit)) != NULL;
		}
	}
	const char *dot = strrchr(key, '.');
	if (!found && dot) {
		tc_buf_clear(&lit);
		tc_buf_printf(&lit, "\"%.*s.%%s\"", (int)(dot - key), key);
		found = strstr(c, tc_buf_cstr(&lit)) != NULL;
	}
	tc_buf_free(&lit);
	return found;
}

static void no_dead_words(void **state)
{
	(void)state;
	json_t *in_templates = json_object();
	each_file("templates/*.mustache", template_keys, in_templates);
	tc_buf c = TC_BUF_INIT;
	each_file("gen/*.[ch]", append_text, &c);
	each_file("lib/*.[ch]", append_text, &c);
	each_file("cgi/*.[ch]", append_text, &c);
	const char *k;
	json_t *v;
	json_object_foreach ((json_t *)tc_msgs_json(tc_msgs_default()), k, v)
		if (!used(k, in_templates, tc_buf_cstr(&c)))
			fail_msg("templates/i18n/en.json: '%s' is used by no "
				 "template and no C file of gen/, lib/ or cgi/",
				 k);
	tc_buf_free(&c);
	json_decref(in_templates);
}

/* A word with an apostrophe, a quote, '&' or markup must be shown with
 * {{{triple}}} braces: {{double}} would escape it, and the page would
 * read "Client&#39;s". */
static void check_escaped_key(const char *path, const char *k, void *ud)
{
	(void)ud;
	const char *w = tc_msgs_get(tc_msgs_default(), k);
	if (w && strpbrk(w, "'\"&<>"))
		fail_msg("%s: {{t.%s}} holds \"%s\": show it with {{{t.%s}}}",
			 path, k, w, k);
}

static void raw_words_unescaped(const char *path, const char *text, void *ud)
{
	each_key(path, text, "\\{\\{[ ]*t\\.([a-z0-9_-]+)[ ]*\\}\\}[^}]",
		 check_escaped_key, ud);
}

static void markup_is_not_escaped(void **state)
{
	(void)state;
	each_file("templates/*.mustache", raw_words_unescaped, NULL);
}

/* ---- lookups ---- */

static const char lang_json[] =
    "{\"w.one\": \"Ding\", \"w.other\": \"Dinge\", \"s\": \"{a} vor {b}\", "
    "\"c.one\": \"{n} Ding bei {p}\", \"c.other\": \"{n} Dinge bei {p}\", "
    "\"h\": \"<b>{x}</b> {y}\"}";

static void counted_words(void **state)
{
	(void)state;
	/* English, built in */
	assert_string_equal(tc_msg_n(tc_lang_default(), "count.measure", 1),
			    "measure");
	assert_string_equal(tc_msg_n(tc_lang_default(), "count.measure", 0),
			    "no measures");
	assert_string_equal(tc_msg_n(tc_lang_default(), "count.measure", 2),
			    "measures");
	assert_string_equal(tc_msg(tc_lang_default(), "status.provided"),
			    "Provided");
	/* another language, made current */
	json_t *j = json_loads(lang_json, 0, NULL);
	tc_msgs *m = tc_msgs_from_json(j);
	json_decref(j);
	assert_non_null(m);
	tc_lang l = {"xx", "/xx", m, NULL};
	assert_string_equal(tc_msg_n(&l, "w", 1), "Ding");
	assert_string_equal(tc_msg_n(&l, "w", 0), "Dinge");
	assert_string_equal(tc_msg_n(&l, "w", 7), "Dinge");
	/* a missing word shows its key, never a crash */
	assert_string_equal(tc_msg(&l, "status.provided"), "status.provided");
	assert_string_equal(tc_msg_n(&l, "nope", 1), "nope");
	/* no zero form: "0" and the plural */
	tc_buf b = TC_BUF_INIT;
	tc_msg_count(&b, &l, "w", 0);
	assert_string_equal(tc_buf_cstr(&b), "0 Dinge");
	tc_buf_clear(&b);
	tc_msg_count(&b, &l, "w", 1);
	assert_string_equal(tc_buf_cstr(&b), "1 Ding");
	assert_string_equal(tc_msg_n(tc_lang_default(), "count.measure", 1),
			    "measure");
	/* a zero form is the words for none, without "0" */
	assert_string_equal(tc_msg_n(tc_lang_default(), "count.differs", 0),
			    "No measure differs");
	tc_buf_clear(&b);
	tc_msg_count(&b, tc_lang_default(), "count.differs", 0);
	assert_string_equal(tc_buf_cstr(&b), "No measure differs");
	tc_buf_clear(&b);
	tc_msg_count(&b, tc_lang_default(), "count.differs", 2);
	assert_string_equal(tc_buf_cstr(&b), "2 measures differ");
	tc_buf_clear(&b);
	tc_msgf_n(&b, tc_lang_default(), "compare.to_you", 0, "b", "Colocation",
		  NULL);
	assert_string_equal(tc_buf_cstr(&b),
			    "No measure becomes more of your job with "
			    "Colocation");
	tc_buf_free(&b);
	tc_msgs_free(m);
}

/* A count of none reads as words ("Keine Maßnahme unterscheidet sich",
 * review G2), not "0 Maßnahmen unterscheiden sich": each zero form of the
 * repository's catalogues is in every language (English's keys are every
 * catalogue's, tc_msgs_check), beside its ".one" and ".other", and the
 * counts a page shows as 0 have one. */
static void zero_forms_in_every_language(void **state)
{
	(void)state;
	tc_msgs *en = repo_catalogue("en");
	tc_msgs *de = repo_catalogue("de");
	const tc_msgs *all[] = {en, de};
	const char *names[] = {"en.json", "de.json"};
	/* the counts that are 0 on a page of the bundled site */
	const char *shown_as_zero[] = {"count.differs",    "compare.to_you",
				       "compare.from_you", "product.general",
				       "count.concern",    "count.yours"};
	for (size_t i = 0; i < 2; i++) {
		const char *k;
		json_t *v;
		size_t zeros = 0;
		json_object_foreach ((json_t *)tc_msgs_json(all[i]), k, v) {
			size_t n = strlen(k);
			if (n < 5 || strcmp(k + n - 5, ".zero"))
				continue;
			zeros++;
			for (size_t j = 0; j < 2; j++) {
				tc_buf s = TC_BUF_INIT;
				tc_buf_printf(&s, "%.*s.other", (int)(n - 5),
					      k);
				if (!tc_msgs_get(all[j], k))
					fail_msg("%s has '%s', %s has not",
						 names[i], k, names[j]);
				if (!tc_msgs_get(all[j], tc_buf_cstr(&s)))
					fail_msg("%s: '%s' without '%s'",
						 names[j], k, tc_buf_cstr(&s));
				tc_buf_free(&s);
			}
		}
		assert_true(zeros >= 6);
		for (size_t j = 0; j < 6; j++) {
			tc_buf s = TC_BUF_INIT;
			tc_buf_printf(&s, "%s.zero", shown_as_zero[j]);
			if (!tc_msgs_get(all[i], tc_buf_cstr(&s)))
				fail_msg("%s has no '%s'", names[i],
					 tc_buf_cstr(&s));
			/* its words for none hold no "0" ({n} is 0) */
			if (strstr(tc_msgs_get(all[i], tc_buf_cstr(&s)), "{n}"))
				fail_msg("%s: '%s' says {n}", names[i],
					 tc_buf_cstr(&s));
			tc_buf_free(&s);
		}
	}
	/* German, current: the words the review asked for */
	tc_lang l = {"de", "/de", de, NULL};
	tc_buf b = TC_BUF_INIT;
	tc_msgf_n(&b, &l, "compare.to_you", 0, "b", "Colocation", NULL);
	assert_string_equal(tc_buf_cstr(&b),
			    "Keine Maßnahme liegt beim Produkt „Colocation“ "
			    "stärker bei Ihnen");
	tc_buf_free(&b);
	tc_msgs_free(en);
	tc_msgs_free(de);
}

/* Two languages written at the same time (issue 20: no current language;
 * a thread gets its own): two threads write words, a count, a date in a
 * sentence, a route's URL and file and a language's name, one in English
 * and one in German, interleaved thousands of times, and each gets its own
 * language's every time. With the language process state (tc_lang_use),
 * whichever thread set it last decided both threads' words. */
#define WRITER_ROUNDS 5000

typedef struct lang_writer {
	const tc_lang *l;
	pthread_barrier_t *start;
	char want[512]; /* the first round's text, in the language alone */
	int wrong;      /* rounds that differed */
} lang_writer;

static void write_round(const tc_lang *l, tc_buf *b)
{
	tc_buf_clear(b);
	tc_buf_printf(b, "%s|", tc_msg(l, "status.provided"));
	tc_msg_count(b, l, "count.measure", 2);
	tc_buf_putc(b, '|');
	tc_msgf(b, l, "doc.as_of", "date", "2026-11-26", NULL);
	tc_buf_putc(b, '|');
	tc_route_url(b, l, R_CATEGORY, "net", NULL);
	tc_buf_putc(b, '|');
	tc_route_file(b, l, R_MATRIX, NULL, NULL);
	tc_buf_printf(b, "|%s", tc_lang_name(l, tc_lang_default()));
}

static void *lang_writer_main(void *arg)
{
	lang_writer *w = arg;
	tc_buf b = TC_BUF_INIT;
	pthread_barrier_wait(w->start);
	for (int i = 0; i < WRITER_ROUNDS; i++) {
		write_round(w->l, &b);
		if (strcmp(tc_buf_cstr(&b), w->want))
			w->wrong++;
	}
	tc_buf_free(&b);
	return NULL;
}

static void two_languages_at_once(void **state)
{
	(void)state;
	tc_msgs *de = repo_catalogue("de");
	assert_non_null(de);
	tc_lang l_de = {"de", "/de", de, NULL};
	pthread_barrier_t start;
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	lang_writer w[2] = {{.l = tc_lang_default(), .start = &start},
			    {.l = &l_de, .start = &start}};
	/* what each language writes, alone */
	tc_buf b = TC_BUF_INIT;
	for (int k = 0; k < 2; k++) {
		write_round(w[k].l, &b);
		assert_true(b.len < sizeof w[k].want);
		memcpy(w[k].want, tc_buf_cstr(&b), b.len + 1);
	}
	tc_buf_free(&b);
	assert_string_equal(w[0].want, "Provided|2 measures|, as of "
				       "2026-11-26|/categories/net/|matrix/"
				       "index.html|English");
	assert_string_equal(w[1].want,
			    "Bereitgestellt|2 Maßnahmen|, Stand 26.11.2026|/de/"
			    "categories/net/|de/matrix/index.html|Englisch");
	pthread_t t[2];
	for (int k = 0; k < 2; k++)
		assert_int_equal(
		    pthread_create(&t[k], NULL, lang_writer_main, &w[k]), 0);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	assert_int_equal(w[0].wrong, 0);
	assert_int_equal(w[1].wrong, 0);
	/* and the default is English still: nothing switched it */
	assert_string_equal(tc_lang_default()->code, "en");
	assert_string_equal(tc_lang_default()->prefix, "");
	pthread_barrier_destroy(&start);
	tc_msgs_free(de);
}

/* A date in a sentence as the language writes it: a value that is a date
 * (YYYY-MM-DD) through "date.format"; other values, and English, as given */
static void dates_in_sentences(void **state)
{
	(void)state;
	json_t *j = json_loads("{\"until\": \"gültig bis {date}\", "
			       "\"date.format\": \"{day}.{month}.{year}\"}",
			       0, NULL);
	tc_msgs *m = tc_msgs_from_json(j);
	json_decref(j);
	tc_buf b = TC_BUF_INIT;
	tc_msgf(&b, tc_lang_default(), "cert.state.valid", "date", "2027-06-30",
		NULL);
	assert_string_equal(tc_buf_cstr(&b), "valid until 2027-06-30");
	tc_lang l = {"de", "/de", m, NULL};
	static const char *const cases[][2] = {
	    {"2027-06-30", "gültig bis 30.06.2027"},
	    {"2027-6-30", "gültig bis 2027-6-30"},
	    {"2027-06-30x", "gültig bis 2027-06-30x"},
	    {"2026.1", "gültig bis 2026.1"},
	    {"", "gültig bis "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_buf_clear(&b);
		tc_msgf(&b, &l, "until", "date", cases[i][0], NULL);
		assert_string_equal(tc_buf_cstr(&b), cases[i][1]);
	}
	tc_buf_clear(&b);
	tc_msgf_html(&b, &l, "until", "date", "2027-06-30", NULL);
	assert_string_equal(tc_buf_cstr(&b), "gültig bis 30.06.2027");
	tc_buf_free(&b);
	tc_msgs_free(m);
}

static void sentences_with_values(void **state)
{
	(void)state;
	json_t *j = json_loads(lang_json, 0, NULL);
	tc_msgs *m = tc_msgs_from_json(j);
	json_decref(j);
	tc_lang l = {"xx", "/xx", m, NULL};
	tc_buf b = TC_BUF_INIT;
	/* the language's order, whatever the order of the values */
	tc_msgf(&b, &l, "s", "b", "B", "a", "A", NULL);
	assert_string_equal(tc_buf_cstr(&b), "A vor B");
	tc_buf_clear(&b);
	/* a placeholder without a value stays, to be seen and fixed */
	tc_msgf(&b, &l, "s", "a", "A", NULL);
	assert_string_equal(tc_buf_cstr(&b), "A vor {b}");
	tc_buf_clear(&b);
	tc_msgf_n(&b, &l, "c", 1, "p", "X", NULL);
	assert_string_equal(tc_buf_cstr(&b), "1 Ding bei X");
	tc_buf_clear(&b);
	tc_msgf_n(&b, &l, "c", 12, "p", "X", NULL);
	assert_string_equal(tc_buf_cstr(&b), "12 Dinge bei X");
	tc_buf_clear(&b);
	/* HTML: the values are escaped, the word's markup is not; a value
	 * is put in once, never read again for placeholders */
	tc_msgf_html(&b, &l, "h", "x", "<i>&", "y", "{x}'", NULL);
	assert_string_equal(tc_buf_cstr(&b), "<b>&lt;i&gt;&amp;</b> {x}&#39;");
	tc_buf_clear(&b);
	tc_msgf(&b, &l, "h", "x", "<i>", "y", NULL, NULL);
	assert_string_equal(tc_buf_cstr(&b), "<b><i></b> ");
	tc_buf_clear(&b);
	/* a key without a word: the key, as tc_msg gives it */
	tc_msgf(&b, &l, "nope", "a", "A", NULL);
	assert_string_equal(tc_buf_cstr(&b), "nope");
	tc_buf_free(&b);
	tc_msgs_free(m);
}

/* ---- broken catalogues ---- */

/* What tc_msgs_parse says of a file holding text. (Bytes that are not
 * text never reach it: test_build's catalogue_bytes.) */
static char *load_errors(const char *text)
{
	tc_diags *d = tc_diags_new();
	tc_msgs *m = tc_msgs_parse("xx.json", text, strlen(text), d);
	char *errs = diags_text(d);
	if (*errs)
		assert_null(m);
	else
		assert_non_null(m);
	tc_msgs_free(m);
	tc_diags_free(d);
	return errs;
}

static void broken_catalogues(void **state)
{
	(void)state;
	static const struct {
		const char *text, *errors;
	} cases[] = {
	    {"{\"a\": \"A\"}\n", ""},
	    {"{\n \"a\": \"A\",\n \"b\": \n}\n",
	     "xx.json:4:1: error: message catalogue is not valid JSON: "
	     "unexpected token near '}'\n"},
	    {"{\"a\": \"A\", \"a\": \"B\"}",
	     "xx.json:1:14: error: message catalogue is not valid JSON: "
	     "duplicate object key near '\"a\"'\n"},
	    {"{\"a\": \"A\",\n \"n\": 1}",
	     "xx.json:2:2: error: message catalogue: every word is a string "
	     "(at 'n')\n"},
	    {"{\"a\": \"A\", \"b\": {\"c\": \"C\"}}",
	     "xx.json:1:12: error: message catalogue: every word is a string "
	     "(at 'b')\n"},
	    {"{\"Choose\": \"x\"}",
	     "xx.json:1:2: error: message catalogue: keys are 1 to 64 of "
	     "a-z, 0-9, '_', '.', '-' (at 'Choose')\n"},
	    {"{\"\": \"x\"}",
	     "xx.json:1:2: error: message catalogue: keys are 1 to 64 of "
	     "a-z, 0-9, '_', '.', '-' (at '')\n"},
	    {"[\"a\"]", "xx.json:1:1: error: message catalogue: a catalogue "
			"is a JSON object of strings\n"},
	    /* a zero form needs the forms tc_msg_n falls back on */
	    {"{\"w.zero\": \"kein Ding\",\n \"w.other\": \"Dinge\"}",
	     "xx.json:1:2: error: message catalogue: a zero form "
	     "(\"<key>.zero\") needs its \"<key>.one\" and \"<key>.other\" "
	     "(at 'w.zero')\n"},
	    {"{\"w.one\": \"Ding\", \"w.other\": \"Dinge\", \"w.zero\": "
	     "\"kein Ding\", \"zero\": \"null\"}",
	     ""},
	    /* escapes that decode to control characters: the bytes are
	     * text, the word would not be (it goes into every page) */
	    {"{\"a\": \"A\\tB\\nC\\r\",\n \"b\": \"x \\u0001 y\"}",
	     "xx.json:2:2: error: message catalogue: control character 0x01 "
	     "in a word (only tab, line feed and carriage return are "
	     "allowed) (at 'b')\n"},
	    {"{\"a\": \"\\u001b[2J\"}",
	     "xx.json:1:2: error: message catalogue: control character 0x1b "
	     "in a word (only tab, line feed and carriage return are "
	     "allowed) (at 'a')\n"},
	    /* sheet names (xlsx.about, xlsx.measures) by Excel's rules:
	     * libxlsxwriter returns no sheet for these and tc-gen crashed */
	    {"{\"xlsx.about\": \"Info: Datei\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has none "
	     "of [ ] : * ? / or backslash, as Excel requires (at "
	     "'xlsx.about')\n"},
	    {"{\"xlsx.about\": \"\u00dcber diese Datei und ihre Herkunft\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has at "
	     "most 31 characters, as Excel requires (at 'xlsx.about')\n"},
	    /* 31 letters, two bytes each: characters count, not bytes */
	    {"{\"xlsx.about\": \"\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc"
	     "\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc"
	     "\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc\u00dc"
	     "\u00dc\u00dc\u00dc\u00dc\"}",
	     ""},
	    /* a letter beyond the BMP is two of Excel's characters */
	    {"{\"xlsx.about\": \"123456789012345678901234567890\xf0\x9f\x93"
	     "\x84\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has at "
	     "most 31 characters, as Excel requires (at 'xlsx.about')\n"},
	    {"{\"xlsx.measures\": \"a/b\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has none "
	     "of [ ] : * ? / or backslash, as Excel requires (at "
	     "'xlsx.measures')\n"},
	    {"{\"xlsx.measures\": \"[x]\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has none "
	     "of [ ] : * ? / or backslash, as Excel requires (at "
	     "'xlsx.measures')\n"},
	    {"{\"xlsx.measures\": \"'Data'\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name neither "
	     "starts nor ends with ', as Excel requires (at "
	     "'xlsx.measures')\n"},
	    {"{\"xlsx.measures\": \"Data's\"}", ""},
	    {"{\"xlsx.measures\": \"\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name is not "
	     "empty, as Excel requires (at 'xlsx.measures')\n"},
	    {"{\"xlsx.measures\": \"a\\tb\"}",
	     "xx.json:1:2: error: message catalogue: a sheet name has no "
	     "control characters, as Excel requires (at 'xlsx.measures')\n"},
	    {"{\"xlsx.measures\": \"history\"}",
	     "xx.json:1:2: error: message catalogue: 'History' is a name "
	     "Excel reserves, as Excel requires (at 'xlsx.measures')\n"},
	    {"{\"xlsx.about\": \"\u00dcbersicht\",\n"
	     " \"xlsx.measures\": \"\u00fcBERSICHT\"}",
	     "xx.json:2:2: error: message catalogue: the workbook's two "
	     "sheets need different names, as Excel requires (at "
	     "'xlsx.measures')\n"},
	    /* found by fuzz_catalogue: a missing word shows as its key */
	    {"{\"xlsx.measures\": \"XLSX.about\"}",
	     "xx.json:1:2: error: message catalogue: the workbook's two "
	     "sheets need different names, as Excel requires (at "
	     "'xlsx.measures')\n"},
	    {"{\"xlsx.about\": \"xlsx.measures\"}",
	     "xx.json:1:2: error: message catalogue: the workbook's two "
	     "sheets need different names, as Excel requires (at "
	     "'xlsx.about')\n"},
	    {"{\"xlsx.about\": \"Info\", \"xlsx.measures\": "
	     "\"Ma\u00dfnahmen\"}",
	     ""},
	    /* the position of the key as written, not of a value that
	     * reads like it */
	    {"{\"a\": \"\\\"xlsx.about\\\": \",\n\"xlsx.about\": \"a:b\"}",
	     "xx.json:2:1: error: message catalogue: a sheet name has none "
	     "of [ ] : * ? / or backslash, as Excel requires (at "
	     "'xlsx.about')\n"},
	    {"{\"a\":\n \"\\u0000\"}",
	     "xx.json:2:9: error: message catalogue is not valid JSON: "
	     "\\x5cu0000 is not allowed without JSON_ALLOW_NUL near "
	     "'\"\\x5cu0000\"'\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = load_errors(cases[i].text);
		if (strcmp(got, cases[i].errors))
			fail_msg("case %zu: got\n%s\nwant\n%s", i, got,
				 cases[i].errors);
		free(got);
	}
	/* a word at the limit, and one byte over it (the check is before
	 * the text check: no scan of a long word) */
	for (size_t over = 0; over < 2; over++) {
		tc_buf t = TC_BUF_INIT;
		tc_buf_puts(&t, "{\"a\": \"A\", \"long\": \"");
		for (size_t i = 0; i < TC_MAX_MSG_BYTES + over - 2; i++)
			tc_buf_putc(&t, 'x');
		tc_buf_puts(&t, "\u00e9\"}");
		char *got = load_errors(tc_buf_cstr(&t));
		assert_string_equal(
		    got, over ? "xx.json:1:12: error: message catalogue: a "
				"word is longer than 2048 bytes (at 'long')\n"
			      : "");
		free(got);
		tc_buf_free(&t);
	}
	/* a word missing, and one English does not have */
	json_t *a = json_pack("{s:s, s:s}", "a", "A", "b", "B");
	json_t *b = json_pack("{s:s, s:s}", "a", "A", "c", "C");
	tc_msgs *ma = tc_msgs_from_json(a), *mb = tc_msgs_from_json(b);
	tc_diags *d = tc_diags_new();
	assert_int_equal(tc_msgs_check(ma, mb, "xx.json", d), 2);
	char *errs = diags_text(d);
	assert_string_equal(
	    errs, "xx.json: error: message 'b' is missing (English: \"B\")\n"
		  "xx.json: error: message 'c' is not one of the site's "
		  "(templates/i18n/en.json has no such key)\n");
	free(errs);
	tc_diags_free(d);
	tc_msgs_free(ma);
	tc_msgs_free(mb);
	json_decref(a);
	json_decref(b);
	/* not a catalogue at all */
	json_t *n = json_pack("{s:i}", "a", 1);
	assert_null(tc_msgs_from_json(n));
	json_decref(n);
	/* nor one with a control character (tc-search reads the index's) */
	json_t *c = json_pack("{s:s}", "a", "x\x01");
	assert_null(tc_msgs_from_json(c));
	json_decref(c);
}

/* Every badge a table shows (each status; provided and shared) has a
 * colour of its own in the style sheet and an entry in the legend: a new
 * status is not finished without both (issue 20). */
static void every_badge_coloured_and_explained(void **state)
{
	(void)state;
	char *css = tc_read_file("templates/assets/style.css", NULL);
	assert_non_null(css);
	tc_arena *a = tc_arena_new(0);
	const tc_val *legend = tc_view_legend_val(a, tc_lang_default());
	for (int s = 0; s <= ST__COUNT; s++) {
		tc_badge b = s < ST__COUNT
				 ? tc_cell_badge(tc_lang_default(),
						 (tc_status)s, RS_PROVIDER)
				 : tc_cell_badge(tc_lang_default(), ST_PROVIDED,
						 RS_SHARED);
		tc_buf rule = TC_BUF_INIT;
		tc_buf_printf(&rule, "\n.st-%s { color: var(--", b.cls);
		if (!strstr(css, tc_buf_cstr(&rule)))
			fail_msg("templates/assets/style.css: no colour for "
				 "the badge '%s' (%s)",
				 b.cls, b.title);
		tc_buf_free(&rule);
		bool listed = false;
		for (size_t i = 0; i < tc_val_len(legend); i++)
			listed |= !strcmp(
			    tc_val_str_value(
				tc_val_get(tc_val_at(legend, i), "id"), NULL),
			    b.cls);
		if (!listed)
			fail_msg("the legend has no entry for '%s'", b.cls);
	}
	tc_arena_free(a);
	free(css);
}

/* How many of the enums and patterns under node list the vocabulary:
 * enum arrays with a status ID (*st) or a responsibility ID (*rs), each of
 * which must be the vocabulary's list in its order, and patterns naming
 * the responsibilities (*pat), each of which must be the one that takes
 * exactly a comma-separated list of them. */
static void vocab_lists(json_t *node, const char *name, int *st, int *rs,
			int *pat)
{
	size_t i;
	json_t *v;
	if (json_is_array(node)) {
		json_array_foreach (node, i, v)
			vocab_lists(v, name, st, rs, pat);
		return;
	}
	const char *k;
	json_object_foreach (node, k, v) {
		if (!strcmp(k, "enum") && json_is_array(v)) {
			bool is_st = false, is_rs = false;
			json_t *e;
			json_array_foreach (v, i, e) {
				const char *id = json_string_value(e);
				is_st |= id && tc_status_from_id(id) >= 0 &&
					 strcmp(id, "client") &&
					 strcmp(id, "see-product");
				is_rs |= id && tc_resp_from_id(id) >= 0 &&
					 strcmp(id, "client") &&
					 strcmp(id, "see-product");
			}
			if (is_st || is_rs) {
				int n = is_st ? ST__COUNT : RS__COUNT;
				if (json_array_size(v) != (size_t)n)
					fail_msg("%s: an enum of %zu IDs, "
						 "the vocabulary has %d",
						 name, json_array_size(v), n);
				for (int j = 0; j < n; j++)
					assert_string_equal(
					    json_string_value(
						json_array_get(v, (size_t)j)),
					    is_st ? tc_status_id((tc_status)j)
						  : tc_resp_id((tc_resp)j));
				*(is_st ? st : rs) += 1;
			}
		} else if (!strcmp(k, "pattern") && json_is_string(v)) {
			const char *p = json_string_value(v);
			if (!strstr(p, "provider"))
				continue;
			regex_t re;
			assert_int_equal(
			    regcomp(&re, p, REG_EXTENDED | REG_NOSUB), 0);
			tc_buf all = TC_BUF_INIT;
			for (int r = 0; r < RS__COUNT; r++) {
				const char *id = tc_resp_id((tc_resp)r);
				tc_buf_printf(&all, "%s%s", r ? "," : "", id);
				assert_int_equal(regexec(&re, id, 0, NULL, 0),
						 0);
			}
			assert_int_equal(
			    regexec(&re, tc_buf_cstr(&all), 0, NULL, 0), 0);
			assert_int_not_equal(
			    regexec(&re, "provider,", 0, NULL, 0), 0);
			assert_int_not_equal(regexec(&re, "yours", 0, NULL, 0),
					     0);
			regfree(&re);
			tc_buf_free(&all);
			*pat += 1;
		} else
			vocab_lists(v, name, st, rs, pat);
	}
}

/* The statuses and responsibilities in the published JSON Schemas are
 * lib/vocab.c's, filled in by tc-gen (gen/apidoc.c): the sources name
 * them "{statuses}" and "{responsibilities}" and list no ID by hand, so a
 * new status touches no schema; an "enum" string that names no list is an
 * error at its file. */
static void schemas_list_the_vocabulary(void **state)
{
	(void)state;
	tc_diags *d = tc_diags_new();
	char *content = rpath("tests/fixtures/mini");
	char *tdir = rpath("templates");
	tc_model *m = tc_content_load(content, d);
	assert_non_null(m);
	json_t *all = tc_apidoc_load(m, tdir, d);
	char *errs = diags_text(d);
	assert_string_equal(errs, "");
	free(errs);
	assert_non_null(all);
	/* as written: tom and search one status and one responsibility
	 * list and a filter pattern each, changes two lists of each */
	static const struct {
		const char *name;
		int st, rs, pat;
	} want[] = {
	    {"tom", 1, 1, 1}, {"search", 1, 1, 1}, {"changes", 2, 2, 0}};
	const char *k;
	json_t *sch;
	int seen = 0;
	json_object_foreach (all, k, sch) {
		int st = 0, rs = 0, pat = 0;
		vocab_lists(sch, k, &st, &rs, &pat);
		size_t i = 0;
		while (i < 3 && strcmp(want[i].name, k))
			i++;
		if (i == 3) {
			assert_int_equal(st + rs + pat, 0);
			continue;
		}
		seen++;
		assert_int_equal(st, want[i].st);
		assert_int_equal(rs, want[i].rs);
		assert_int_equal(pat, want[i].pat);
		/* the source lists none by hand */
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/schema/%s.schema.json", tdir, k);
		json_t *src = json_load_file(tc_buf_cstr(&p), 0, NULL);
		assert_non_null(src);
		st = rs = pat = 0;
		vocab_lists(src, tc_buf_cstr(&p), &st, &rs, &pat);
		if (st + rs + pat)
			fail_msg("%s lists the vocabulary by hand",
				 tc_buf_cstr(&p));
		json_decref(src);
		tc_buf_free(&p);
	}
	assert_int_equal(seen, 3);
	json_decref(all);

	/* anywhere in a schema; another string is an error */
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(mkdir("t", 0700), 0);
	assert_int_equal(mkdir("t/schema", 0700), 0);
	for (const char *const *n = tc_apidoc_names; *n; n++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "t/schema/%s.schema.json", *n);
		put_file(
		    tc_buf_cstr(&p),
		    !strcmp(*n, "health")
			? "{\"items\": [{\"enum\": \"{responsibilities}\", "
			  "\"pattern\": \"^({statuses})?{2}$\"}]}"
			: "{\"properties\": {}}");
		tc_buf_free(&p);
	}
	all = tc_apidoc_load(m, "t", d);
	assert_non_null(all);
	json_t *item = json_array_get(
	    json_object_get(json_object_get(all, "health"), "items"), 0);
	char *got = json_dumps(item, JSON_COMPACT);
	assert_string_equal(
	    got, "{\"enum\":[\"provider\",\"shared\",\"client\","
		 "\"see-product\",\"none\"],\"pattern\":\"^(provided|"
		 "not-provided|not-applicable|not-at-level|client|"
		 "see-product|other)?{2}$\"}");
	free(got);
	json_decref(all);
	put_file("t/schema/changes.schema.json",
		 "{\"$defs\": {\"a\": {\"enum\": \"{statuses} \"}}}");
	assert_null(tc_apidoc_load(m, "t", d));
	errs = diags_text(d);
	assert_string_equal(
	    errs, "t/schema/changes.schema.json:1:1: error: an \"enum\" of "
		  "the JSON Schema is a string but neither \"{statuses}\" "
		  "nor \"{responsibilities}\" (lists of lib/vocab.c); a "
		  "list is an array\n");
	free(errs);
	leave_tmpdir(cwd, dir);
	tc_model_free(m);
	tc_diags_free(d);
	free(content);
	free(tdir);
}

/* Whether some template of dir includes name as a partial or a parent
 * ("{{>name}}", "{{<name}}"). */
static bool included(char **srcs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (const char *p = srcs[i]; (p = strstr(p, "{{")); p += 2) {
			if (p[2] != '>' && p[2] != '<')
				continue;
			const char *q = p + 3;
			while (*q == ' ')
				q++;
			size_t k =
			    strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (k == strlen(name) && !strncmp(q, name, k))
				return true;
		}
	return false;
}

/* The problems site_load_templates finds in t/, the kit's check of every
 * template at build time, and what it said. */
static int load_templates(tc_diags *d, char **said)
{
	site S = {.tdir = "t", .d = d};
	S.env = mus_env_new(site_load_template, &S);
	int problems = site_load_templates(&S);
	mus_env_free(S.env);
	*said = diags_text(d);
	return problems;
}

/* Every page kind's template is named by its route (lib/routes.c) and
 * checked at every build from there (gen/site_kit.c): a page of the site
 * (its file HTML) has a template, and every template that no other one
 * includes (a page's, a feed's, a fragment's or tc-search's) is checked,
 * so removing any one is an error at build time; a writer that renders a
 * template no route names is an internal error. */
static void every_page_template_is_checked(void **state)
{
	(void)state;
	for (int r = 0; r < R__COUNT; r++) {
		const tc_route_info *ri = tc_route_get((tc_route)r);
		const char *ext = ri->file ? strrchr(ri->file, '.') : NULL;
		if (ext && !strcmp(ext, ".html") && !ri->tpl)
			fail_msg("route %s: a page without its template",
				 ri->name);
	}
	char *tdir = rpath("templates");
	tc_buf pat = TC_BUF_INIT;
	tc_buf_printf(&pat, "%s/*.mustache", tdir);
	glob_t g;
	assert_int_equal(glob(tc_buf_cstr(&pat), 0, NULL, &g), 0);
	char **srcs = calloc(g.gl_pathc, sizeof *srcs);
	for (size_t i = 0; i < g.gl_pathc; i++)
		assert_non_null(srcs[i] = tc_read_file(g.gl_pathv[i], NULL));
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	assert_int_equal(mkdir("t", 0700), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "t/%s", strrchr(g.gl_pathv[i], '/') + 1);
		put_file(tc_buf_cstr(&p), srcs[i]);
		tc_buf_free(&p);
	}
	tc_diags *d = tc_diags_new();
	char *said;
	assert_int_equal(load_templates(d, &said), 0);
	assert_string_equal(said, "");
	free(said);
	int tops = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *name = strdup(strrchr(g.gl_pathv[i], '/') + 1);
		*strstr(name, ".mustache") = '\0';
		if (included(srcs, g.gl_pathc, name)) {
			free(name);
			continue;
		}
		tops++;
		tc_buf p = TC_BUF_INIT, away = TC_BUF_INIT;
		tc_buf_printf(&p, "t/%s.mustache", name);
		tc_buf_printf(&away, "t/%s.away", name);
		assert_int_equal(rename(tc_buf_cstr(&p), tc_buf_cstr(&away)),
				 0);
		tc_diags_free(d);
		d = tc_diags_new();
		int problems = load_templates(d, &said);
		tc_buf_puts(&p, ": error: cannot read template");
		if (!problems || !strstr(said, tc_buf_cstr(&p)))
			fail_msg("templates/%s.mustache is checked at no build "
				 "(a page's template is its route's, "
				 "lib/routes.c): %s",
				 name, said);
		free(said);
		tc_buf_clear(&p);
		tc_buf_printf(&p, "t/%s.mustache", name);
		assert_int_equal(rename(tc_buf_cstr(&away), tc_buf_cstr(&p)),
				 0);
		tc_buf_free(&p);
		tc_buf_free(&away);
		free(name);
	}
	assert_true(tops >= 25);
	tc_diags_free(d);
	for (size_t i = 0; i < g.gl_pathc; i++)
		free(srcs[i]);
	free(srcs);
	globfree(&g);
	tc_buf_free(&pat);
	free(tdir);

	/* a writer that renders a template no route names */
	d = tc_diags_new();
	site S = {.tdir = "t", .d = d};
	tc_arena *a = tc_arena_new(0);
	site_page(&S, "layout", "x/index.html", tc_val_map(a));
	said = diags_text(d);
	assert_string_equal(
	    said, "x/index.html: error: internal error: the template 'layout' "
		  "is checked at no build: name it as its route's template "
		  "(lib/routes.c)\n");
	assert_int_equal(S.failed, 1);
	free(said);
	tc_arena_free(a);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_keys),
	    cmocka_unit_test(templates_words_exist),
	    cmocka_unit_test(no_dead_words),
	    cmocka_unit_test(markup_is_not_escaped),
	    cmocka_unit_test(counted_words),
	    cmocka_unit_test(zero_forms_in_every_language),
	    cmocka_unit_test(two_languages_at_once),
	    cmocka_unit_test(sentences_with_values),
	    cmocka_unit_test(dates_in_sentences),
	    cmocka_unit_test(broken_catalogues),
	    cmocka_unit_test(every_badge_coloured_and_explained),
	    cmocka_unit_test(schemas_list_the_vocabulary),
	    cmocka_unit_test(every_page_template_is_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
