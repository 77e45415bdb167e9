/* synonyms.h: the words customers type for what the measures say.
 *
 * content/synonyms.md (optional) holds, in its front matter, a list of
 * entries: `words` a customer may type (TLS, SSL, MFA) and `for`, the
 * phrases the measures use for it (encryption, two factor). The search
 * index gives every measure whose ID, text or notes contain one of an
 * entry's `for` phrases (case-insensitive, at the start of a word, so
 * "encrypt" finds "Encryption") that entry's words in a column of its own:
 * they are found, ranked and shown in snippets like the measure's own words,
 * and the published pages and data stay exactly as written. */
#ifndef TC_SYNONYMS_H
#define TC_SYNONYMS_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/buf.h"
#include "../lib/diag.h"

typedef struct tc_synonym {
	char **words; /* what a customer types */
	size_t nwords;
	char **targets;    /* the phrases the measures use ("for") */
	int *lines, *cols; /* each target's position, for errors */
	size_t ntargets;
} tc_synonym;

typedef struct tc_synonyms {
	char *file; /* NULL when there is no synonyms file */
	tc_synonym *v;
	size_t n;
} tc_synonyms;

/* Reads path into s. A missing file is no error (s stays empty); every
 * problem is reported to d as file:line:col. Returns the number of
 * problems. Free s with tc_syn_free either way. */
int tc_syn_load(const char *path, tc_synonyms *s, tc_diags *d);
void tc_syn_free(tc_synonyms *s);

/* Whether phrase occurs in text at the start of a word, ignoring ASCII
 * case. */
bool tc_syn_occurs(const char *text, const char *phrase);

/* Appends, for every entry one of whose targets occurs in text, "words:
 * targets; " (words joined by ", ", the targets text has by " / "): what
 * the index's synonyms column holds for that text. */
void tc_syn_expand(const tc_synonyms *s, const char *text, tc_buf *out);

#endif
