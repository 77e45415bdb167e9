#include "synonyms.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../lib/fsx.h"
#include "frontmatter.h"
#include "source.h"

static const fm_key file_keys[] = {{"synonyms", FM_LIST, true},
				   {NULL, 0, false}};
static const fm_key entry_keys[] = {
    {"words", FM_STRINGS, true}, {"for", FM_STRINGS, true}, {NULL, 0, false}};

/* A word a search can find: it has a letter or digit (or is not ASCII),
 * as the query builder of tc-search requires. */
static bool searchable(const char *s)
{
	for (; *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* Copies the strings of list into a new array, reporting each that cannot
 * be searched for. */
static char **strings(const fm_doc *doc, const char *path, json_t *list,
		      const char *what, size_t *n, int **lines, int **cols,
		      tc_diags *d, int *problems)
{
	*n = json_array_size(list);
	char **v = tc_xcalloc(*n + 1, sizeof *v);
	if (lines) {
		*lines = tc_xcalloc(*n + 1, sizeof **lines);
		*cols = tc_xcalloc(*n + 1, sizeof **cols);
	}
	for (size_t i = 0; i < *n; i++) {
		const char *s = json_string_value(json_array_get(list, i));
		int line, col;
		fm_pos(doc, list, NULL, i, &line, &col);
		if (lines) {
			(*lines)[i] = line;
			(*cols)[i] = col;
		}
		v[i] = tc_xstrdup(s);
		if (!searchable(s)) {
			tc_diags_add(d, path, line, col,
				     "%s '%s' has no letter or digit to "
				     "search for",
				     what, s);
			(*problems)++;
		}
	}
	return v;
}

static int add_entry(tc_synonyms *s, const fm_doc *doc, const char *path,
		     json_t *item, size_t idx, tc_diags *d)
{
	int line, col, problems = 0;
	fm_pos(doc, json_object_get(fm_root(doc), "synonyms"), NULL, idx, &line,
	       &col);
	if (!json_is_object(item)) {
		tc_diags_add(d, path, line, col,
			     "each synonym entry must be a mapping with words "
			     "and for");
		return 1;
	}
	if (fm_check(doc, item, entry_keys, d))
		return 1;
	static const char *keys[] = {"words", "for"};
	for (int k = 0; k < 2; k++)
		if (!json_array_size(json_object_get(item, keys[k]))) {
			fm_pos(doc, item, keys[k], 0, &line, &col);
			tc_diags_add(d, path, line, col,
				     "'%s' needs at least one entry", keys[k]);
			problems++;
		}
	if (problems)
		return problems;
	tc_synonym *e = &s->v[s->n++];
	e->words = strings(doc, path, json_object_get(item, "words"), "word",
			   &e->nwords, NULL, NULL, d, &problems);
	e->targets = strings(doc, path, json_object_get(item, "for"), "phrase",
			     &e->ntargets, &e->lines, &e->cols, d, &problems);
	return problems;
}

int tc_syn_load(const char *path, tc_synonyms *s, tc_diags *d)
{
	memset(s, 0, sizeof *s);
	size_t len;
	struct stat st;
	if (lstat(path, &st) < 0 && errno == ENOENT)
		return 0; /* synonyms are optional */
	/* a source like the others: bounded, regular, UTF-8 text */
	char *src = tc_source_load(path, &len, d);
	if (!src)
		return 1;
	s->file = tc_xstrdup(path);
	int problems = 0;
	fm_doc *doc = fm_parse(path, src, len, d);
	if (!doc) {
		problems = 1;
	} else if (!fm_present(doc)) {
		tc_diags_add(d, path, 1, 1,
			     "missing front matter (the file must start with "
			     "a line \"---\")");
		problems = 1;
	} else if (fm_check(doc, fm_root(doc), file_keys, d)) {
		problems = 1;
	} else {
		json_t *list = json_object_get(fm_root(doc), "synonyms");
		s->v = tc_xcalloc(json_array_size(list) + 1, sizeof *s->v);
		size_t i;
		json_t *item;
		json_array_foreach (list, i, item)
			problems += add_entry(s, doc, path, item, i, d);
	}
	fm_free(doc);
	free(src);
	return problems;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tc_syn_free(tc_synonyms *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free_strings(s->v[i].words, s->v[i].nwords);
		free_strings(s->v[i].targets, s->v[i].ntargets);
		free(s->v[i].lines);
		free(s->v[i].cols);
	}
	free(s->v);
	free(s->file);
	memset(s, 0, sizeof *s);
}

bool tc_syn_occurs(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	if (!n)
		return false;
	for (const char *p = text; *p; p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) ||
				 (unsigned char)p[-1] >= 0x80))
			continue;
		if (!strncasecmp(p, phrase, n))
			return true;
	}
	return false;
}

/* Whether the word w (of w[0..n)) is among the ", "- and "; "-separated
 * words already in out, case-insensitively. */
static bool written(const tc_buf *out, const char *w)
{
	size_t n = strlen(w);
	const char *s = out->data ? out->data : "";
	for (const char *p = s; *p;) {
		size_t k = strcspn(p, ",;:");
		if (k == n && !strncasecmp(p, w, n))
			return true;
		p += k;
		p += strspn(p, ",;: ");
	}
	return false;
}

void tc_syn_expand(const tc_synonyms *s, const char *text, tc_buf *out)
{
	for (size_t i = 0; i < s->n; i++) {
		const tc_synonym *e = &s->v[i];
		size_t t = 0;
		while (t < e->ntargets && !tc_syn_occurs(text, e->targets[t]))
			t++;
		if (t == e->ntargets)
			continue;
		/* each word once per measure, whatever the entries it is in:
		 * a synonym counts once, like a word of the text */
		int any = 0;
		for (size_t w = 0; w < e->nwords; w++) {
			if (written(out, e->words[w]))
				continue;
			tc_buf_printf(out, "%s%s", any ? ", " : "",
				      e->words[w]);
			any = 1;
		}
		if (any)
			tc_buf_puts(out, "; ");
	}
}
