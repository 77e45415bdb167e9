#include "ftstok.h"

#include <libstemmer.h>
#include <string.h>

#include "text.h"

/* One instance per FTS5 table and connection (FTS5 owns it). */
typedef struct tok {
	struct sb_stemmer *stemmer;
	int german; /* Snowball german and the inflections it leaves */
} tok;

/* A word as folded so far: at most TC_FTSTOK_MAX bytes are kept. */
typedef struct word {
	char b[TC_FTSTOK_MAX];
	size_t n;
	int capped;    /* letters were dropped: not stemmed */
	unsigned last; /* the last code point, for a combining diaeresis */
} word;

#define NOT_TEXT 0xffffffffu /* an invalid byte: it separates */

/* U+00C0..U+00FF folded, eight to a line; NULL for × (U+00D7) and ÷
 * (U+00F7), which separate. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "ae", "a", "ae", "c",  /* À Á Â Ã Ä Å Æ Ç */
    "e", "e", "e", "e", "i",  "i", "i",  "i",  /* È É Ê Ë Ì Í Î Ï */
    "d", "n", "o", "o", "o",  "o", "oe", NULL, /* Ð Ñ Ò Ó Ô Õ Ö × */
    "o", "u", "u", "u", "ue", "y", "th", "ss", /* Ø Ù Ú Û Ü Ý Þ ß */
    "a", "a", "a", "a", "ae", "a", "ae", "c",  /* à á â ã ä å æ ç */
    "e", "e", "e", "e", "i",  "i", "i",  "i",  /* è é ê ë ì í î ï */
    "d", "n", "o", "o", "o",  "o", "oe", NULL, /* ð ñ ò ó ô õ ö ÷ */
    "o", "u", "u", "u", "ue", "y", "th", "y",  /* ø ù ú û ü ý þ ÿ */
};

/* U+0100..U+017F folded, one letter per code point in its order; '1'
 * stands for "ij" (U+0132/3) and '2' for "oe" (U+0152/3). */
static const char ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhh"
			    "iiiiiiiiii11jjkkkllllllllllnnnnnnnnnoooooo"
			    "22rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
_Static_assert(sizeof ext_a == 128 + 1, "one letter per code point");

static const char az09[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* Blocks of punctuation, symbols, spaces, private use and specials
 * beyond U+024F: they separate words. Other code points are letters. */
static const unsigned separators[][2] = {
    {0x02b0, 0x02ff},   {0x2000, 0x2bff},   {0x2e00, 0x2e7f}, {0x3000, 0x303f},
    {0xd800, 0xf8ff},   {0xfe00, 0xfe6f},   {0xfeff, 0xfeff}, {0xff00, 0xff0f},
    {0xff1a, 0xff20},   {0xff3b, 0xff40},   {0xff5b, 0xff65}, {0xfff0, 0xffff},
    {0x1f000, 0x1faff}, {0xe0000, 0x10ffff}};

/* The code point at s[0..n) in *cp and its length; an invalid byte is one
 * byte of NOT_TEXT (tc_utf8_len refuses overlong forms and surrogates). */
static size_t decode(const char *s, size_t n, unsigned *cp)
{
	size_t len = tc_utf8_decode(s, n, cp);
	if (len == 0) {
		*cp = NOT_TEXT;
		return 1;
	}
	return len;
}

static int is_letter(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') ||
		       ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	if (cp < 0xc0) /* C1 controls, NBSP, Latin-1 punctuation */
		return cp == 0xaa || cp == 0xb5 || cp == 0xba;
	if (cp < 0x250)
		return cp != 0xd7 && cp != 0xf7;
	if (cp == NOT_TEXT)
		return 0;
	for (size_t i = 0; i < sizeof separators / sizeof *separators; i++)
		if (cp >= separators[i][0] && cp <= separators[i][1])
			return 0;
	return 1;
}

static void put(word *w, const char *s, size_t n)
{
	if (w->capped || w->n + n > TC_FTSTOK_MAX) {
		w->capped = 1;
		return;
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

static void put_ext_a(word *w, unsigned cp)
{
	const char *c = &ext_a[cp - 0x100];
	if (*c == '1')
		put(w, "ij", 2);
	else if (*c == '2')
		put(w, "oe", 2);
	else
		put(w, c, 1);
}

/* Appends the folded form of the letter cp, written as s[0..len). */
static void fold_into(word *w, unsigned cp, const char *s, size_t len)
{
	unsigned last = w->last;
	w->last = cp;
	if (cp < 0x80) {
		unsigned c = cp | 0x20; /* lower case; digits have it set */
		put(w, c >= 'a' ? az09 + (c - 'a') : az09 + 26 + (cp - '0'), 1);
	} else if (cp == 0xaa || cp == 0xba) {
		put(w, cp == 0xaa ? "a" : "o", 1);
	} else if (cp >= 0xc0 && cp <= 0xff) {
		put(w, latin1[cp - 0xc0], strlen(latin1[cp - 0xc0]));
	} else if (cp >= 0x100 && cp <= 0x17f) {
		put_ext_a(w, cp);
	} else if (cp == 0x1e9e) { /* capital sharp s */
		put(w, "ss", 2);
	} else if (cp >= 0x300 && cp <= 0x36f) {
		/* a combining mark: dropped, but u + diaeresis is ü */
		if (cp == 0x308 && last && last < 0x80 &&
		    strchr("aouAOU", (int)last))
			put(w, "e", 1);
		else /* the letter stays the one marks follow */
			w->last = last;
	} else {
		put(w, s, len);
	}
}

/* Skips separators from *start, then folds the word there into w.
 * Returns the end of the word; *start is its first byte (n: no word). */
static size_t scan_word(const char *s, size_t n, size_t *start, word *w)
{
	size_t i = *start, len;
	unsigned cp;
	while (i < n) {
		len = decode(s + i, n - i, &cp);
		if (is_letter(cp))
			break;
		i += len;
	}
	*start = i;
	while (i < n) {
		len = decode(s + i, n - i, &cp);
		if (!is_letter(cp))
			break;
		fold_into(w, cp, s + i, len);
		i += len;
	}
	return i;
}

static int vowel(char c)
{
	return c && strchr("aeiouy", c);
}

/* Snowball's R1 for German: the region after the first non-vowel that
 * follows a vowel, starting at 3 at the earliest; n when there is none. */
static int region1(const char *s, int n)
{
	int i = 1;
	while (i < n && !(vowel(s[i - 1]) && !vowel(s[i])))
		i++;
	return i + 1 < 3 ? 3 : i + 1 > n ? n : i + 1;
}

static int ends(const char *s, int n, const char *suffix)
{
	int k = (int)strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, (size_t)k);
}

/* Snowball german leaves the -t of participles and the -n of -eln
 * infinitives, so verschlüsselt, verschlüsseln and Verschlüsselung would
 * not meet: cut them from a stem s[0..n) when they lie in R1 and at least
 * 4 letters remain (Wert stays wert). -elt, -ert, -eln lose one letter
 * (verschlüsselt, protokolliert, gesichert, verschlüsseln), -tet and -det
 * two (verwaltet, gebildet). Returns the new length. */
static int de_inflection(const char *s, int n)
{
	int cut = 0;
	if (ends(s, n, "elt") || ends(s, n, "ert") || ends(s, n, "eln"))
		cut = 1;
	else if (ends(s, n, "tet") || ends(s, n, "det"))
		cut = 2;
	if (cut && n - cut >= 4 && n - cut >= region1(s, n))
		return n - cut;
	return n;
}

/* What Snowball german is given: the folded word s[0..n) with ae, oe, ue
 * written ä, ö, ü again, as Snowball's german2 (and german since 2.3)
 * reads them: not the ue of qu, nor a u between vowels (neue, Mauer).
 * Snowball german stems ä to a, so Zugänge and Zugang meet, and both
 * spellings of a word give one stem whatever libstemmer's version. out
 * has room for n bytes: ä is two bytes, like ae. Returns its length. */
static size_t de_umlauts(const char *s, size_t n, char *out)
{
	static const char *const umlaut[3] = {"\xc3\xa4", "\xc3\xb6",
					      "\xc3\xbc"};
	static const char aou[] = "aou";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *u = s[i] ? strchr(aou, s[i]) : NULL;
		int after_vowel_or_q =
		    i > 0 && (vowel(s[i - 1]) || s[i - 1] == 'q');
		if (u && i + 1 < n && s[i + 1] == 'e' &&
		    !(*u == 'u' && after_vowel_or_q)) {
			memcpy(out + k, umlaut[u - aou], 2);
			k += 2;
			i++;
		} else {
			out[k++] = s[i];
		}
	}
	return k;
}

typedef int (*token_cb)(void *ctx, int flags, const char *token, int n,
			int start, int end);

/* Gives FTS5 the word w found at text[start..end): see ftstok.h. */
static int emit(tok *t, void *ctx, int flags, const word *w, int start, int end,
		token_cb cb)
{
	if ((flags & FTS5_TOKENIZE_PREFIX) || w->capped)
		return cb(ctx, 0, w->b, (int)w->n, start, end);
	char composed[TC_FTSTOK_MAX];
	const char *in = w->b;
	size_t len = w->n;
	if (t->german) {
		len = de_umlauts(w->b, w->n, composed);
		in = composed;
	}
	const char *stem = (const char *)sb_stemmer_stem(
	    t->stemmer, (const sb_symbol *)in, (int)len);
	if (!stem)
		return SQLITE_NOMEM;
	int n = sb_stemmer_length(t->stemmer);
	if (t->german)
		n = de_inflection(stem, n);
	if (n <= 0) { /* never seen, but a token is never empty */
		stem = w->b;
		n = (int)w->n;
	}
	int rc = cb(ctx, 0, stem, n, start, end);
	if (rc == SQLITE_OK && (flags & FTS5_TOKENIZE_DOCUMENT) &&
	    ((size_t)n != w->n || memcmp(stem, w->b, w->n)))
		rc = cb(ctx, FTS5_TOKEN_COLOCATED, w->b, (int)w->n, start, end);
	return rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
			const char *text, int ntext, token_cb cb)
{
	tok *t = (tok *)p;
	size_t n = text && ntext > 0 ? (size_t)ntext : 0, i = 0;
	int rc = SQLITE_OK;
	while (rc == SQLITE_OK) {
		word w = {.n = 0};
		size_t start = i, end = scan_word(text, n, &start, &w);
		if (start == n)
			break;
		if (w.n) /* not only combining marks */
			rc = emit(t, ctx, flags, &w, (int)start, (int)end, cb);
		i = end;
	}
	return rc;
}

static int tok_create(void *unused, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
	(void)unused;
	*out = NULL;
	const char *algorithm = NULL;
	if (argc == 1 && !strcmp(argv[0], "de"))
		algorithm = "german";
	else if (argc == 1 && !strcmp(argv[0], "en"))
		algorithm = "english";
	if (!algorithm) {
		/* FTS5 only says "error in tokenizer constructor" */
		if (argc == 1)
			sqlite3_log(SQLITE_ERROR,
				    TC_FTSTOK_NAME ": unknown language '%s' "
						   "(de or en)",
				    argv[0]);
		else
			sqlite3_log(SQLITE_ERROR,
				    TC_FTSTOK_NAME ": takes one argument, the "
						   "language (de or en), not "
						   "%d",
				    argc);
		return SQLITE_ERROR;
	}
	tok *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	/* NULL only when out of memory: libstemmer has both algorithms */
	t->stemmer = sb_stemmer_new(algorithm, "UTF_8");
	if (!t->stemmer) {
		sqlite3_free(t);
		return SQLITE_NOMEM;
	}
	t->german = algorithm[0] == 'g';
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	tok *t = (tok *)p;
	if (t)
		sb_stemmer_delete(t->stemmer);
	sqlite3_free(t);
}

/* The connection's fts5_api, as https://sqlite.org/fts5.html#extending_fts5
 * obtains it; NULL without FTS5. */
static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api && api->iVersion >= 2 ? api : NULL;
}

int tc_ftstok_register(sqlite3 *db)
{
	if (!db)
		return SQLITE_MISUSE;
	fts5_api *api = fts5_api_of(db);
	if (!api)
		return SQLITE_ERROR;
	fts5_tokenizer methods = {tok_create, tok_delete, tok_tokenize};
	return api->xCreateTokenizer(api, TC_FTSTOK_NAME, NULL, &methods, NULL);
}
