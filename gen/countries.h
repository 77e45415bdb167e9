/* countries.h: ISO 3166-1 alpha-2 country codes, their names in English
 * and German, and what the GDPR's chapter V says of a transfer there.
 *
 * Sites (scopes.md) and subprocessors name their country by code ("DE",
 * "FI"); pages and the search index show its name in the page's language,
 * so "Finland" and "Finnland" find what is there. The table is generated
 * (gen/countries.py) from Debian's iso-codes. */
#ifndef TC_COUNTRIES_H
#define TC_COUNTRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct tc_country {
	const char *code; /* "DE" */
	const char *en, *de;
	bool eu_eea;   /* a member of the EU or the EEA: no transfer */
	bool adequacy; /* covered by an adequacy decision (Art. 45 GDPR) */
} tc_country;

/* The country of an upper-case alpha-2 code, or NULL. */
const tc_country *tc_country_get(const char *code);
/* The i-th country in code order, NULL past the end. */
const tc_country *tc_country_at(size_t i);
/* Its name in language lang ("de", else English). */
static inline const char *tc_country_name(const tc_country *c, const char *lang)
{
	return lang && !strcmp(lang, "de") ? c->de : c->en;
}

#endif
