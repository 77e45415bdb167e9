/* errwords.h: tc-search's error messages as an HTML answer in another
 * language says them (issue 28, G32).
 *
 * The messages are English where they are made (cgi/params.c, the
 * search, the routes): the JSON answers' "message" and the logs keep
 * them, so a client or an operator reads the same text in every
 * language. An HTML answer is for a person: in a language other than
 * English, a message of a known pattern ("parameter 'limit' must be a
 * whole number from 1 to 100") is the catalogue's sentence for it
 * ("error.param.number": "Der Parameter „limit“ muss eine ganze Zahl von 1
 * bis 100 sein."), with the parameter's name and the data's values (IDs,
 * numbers) as they are. A message of no known pattern is left as it is:
 * it may be in the language already (the annex form's). */
#ifndef TS_ERRWORDS_H
#define TS_ERRWORDS_H

#include "../lib/buf.h"
#include "search.h"

/* Appends msg as language l says it (English: msg itself). */
void ts_error_words(const tc_lang *l, const char *msg, tc_buf *out);

/* The index of the language the query's lang parameter names, when it is
 * one of the site's, else NULL: the language of an error found before the
 * parameters are read (an unknown endpoint, a wrong method, a bad
 * parameter). Only a plain code (at most TS_ERROR_LANG_MAX of [a-z-]) is
 * looked at. */
#define TS_ERROR_LANG_MAX 8
ts_index *ts_error_lang(ts_index *ix, const char *query);

#endif
