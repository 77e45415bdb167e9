#include "ftstok.h"

#include <ctype.h>
#include <libstemmer.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* One instance per FTS5 table and connection (FTS5 owns it). */
typedef struct tok {
	struct sb_stemmer *stemmer;
	int german; /* Snowball german and the inflections it leaves */
	const tc_ftsdict *dict; /* compounds are split against it, or NULL */
} tok;

/* The words a compound may be made of (ftstok.h): folded, sorted, each
 * once. */
struct tc_ftsdict {
	char **w;
	size_t n, cap;
	int sealed;
};

/* A word as folded so far: at most TC_FTSTOK_MAX bytes are kept. */
typedef struct word {
	char b[TC_FTSTOK_MAX];
	size_t n;      /* bounds: the letters that are not combining marks */
	int bounds;    /* only where the word is: nothing folded (text for
			  auxiliary functions, own_tokenize) */
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
		if ((unsigned char)s[i] < 0x80) /* ASCII, most text */
			cp = (unsigned char)s[i], len = 1;
		else
			len = decode(s + i, n - i, &cp);
		if (is_letter(cp))
			break;
		i += len;
	}
	*start = i;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80)
			cp = (unsigned char)s[i], len = 1;
		else
			len = decode(s + i, n - i, &cp);
		if (!is_letter(cp))
			break;
		if (!w->bounds)
			fold_into(w, cp, s + i, len);
		else if (cp < 0x300 || cp > 0x36f) /* fold_into puts it */
			w->n++;
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

/* The stem of the folded word s[0..n) (libstemmer's buffer: valid until
 * the next call) into *out; its length, or -1 when out of memory. */
static int stem_of(tok *t, const char *s, size_t n, const char **out)
{
	char composed[TC_FTSTOK_MAX];
	const char *in = s;
	size_t len = n;
	if (t->german) {
		len = de_umlauts(s, n, composed);
		in = composed;
	}
	const char *stem = (const char *)sb_stemmer_stem(
	    t->stemmer, (const sb_symbol *)in, (int)len);
	if (!stem)
		return -1;
	int k = sb_stemmer_length(t->stemmer);
	if (t->german)
		k = de_inflection(stem, k);
	if (k <= 0) { /* never seen, but a token is never empty */
		stem = s;
		k = (int)n;
	}
	*out = stem;
	return k;
}

/* The parts of a compound in a document, each stemmed and as folded, at
 * the compound's position (FTS5_TOKEN_COLOCATED): "Zutrittskontrollsystem"
 * is also zutritt, kontroll, system. A token the word already gave (its
 * stem, the word) is not given twice. */
static int emit_parts(tok *t, void *ctx, const word *w, const char *stem, int n,
		      int start, int end, token_cb cb)
{
	tc_ftspart part[TC_FTSTOK_MAX_PARTS];
	int k = tc_ftstok_split(t->dict, w->b, w->n, part, TC_FTSTOK_MAX_PARTS);
	char seen[2 * TC_FTSTOK_MAX_PARTS + 2][TC_FTSTOK_MAX + 1];
	int nseen = 0, rc = SQLITE_OK;
	memcpy(seen[nseen], stem, (size_t)n);
	seen[nseen++][n] = '\0';
	memcpy(seen[nseen], w->b, w->n);
	seen[nseen++][w->n] = '\0';
	for (int i = 0; i < k && rc == SQLITE_OK; i++) {
		const char *ps;
		int pn = stem_of(t, w->b + part[i].off, part[i].len, &ps);
		if (pn < 0)
			return SQLITE_NOMEM;
		const char *tk[2] = {ps, w->b + part[i].off};
		size_t tn[2] = {(size_t)pn, part[i].len};
		for (int j = 0; j < 2 && rc == SQLITE_OK; j++) {
			int dup = 0;
			for (int s = 0; s < nseen && !dup; s++)
				dup = strlen(seen[s]) == tn[j] &&
				      !memcmp(seen[s], tk[j], tn[j]);
			if (dup)
				continue;
			if (nseen < (int)(sizeof seen / sizeof *seen)) {
				memcpy(seen[nseen], tk[j], tn[j]);
				seen[nseen++][tn[j]] = '\0';
			}
			rc = cb(ctx, FTS5_TOKEN_COLOCATED, tk[j], (int)tn[j],
				start, end);
		}
	}
	return rc;
}

/* Gives FTS5 the word w found at text[start..end): see ftstok.h. */
static int emit(tok *t, void *ctx, int flags, const word *w, int start, int end,
		token_cb cb)
{
	/* a prefix, a capped word, and text for an auxiliary function
	 * (snippet() reads the offsets only) are not stemmed */
	if ((flags & (FTS5_TOKENIZE_PREFIX | FTS5_TOKENIZE_AUX)) || w->capped)
		return cb(ctx, 0, w->b, (int)w->n, start, end);
	const char *stem;
	int n = stem_of(t, w->b, w->n, &stem);
	if (n < 0)
		return SQLITE_NOMEM;
	int rc = cb(ctx, 0, stem, n, start, end);
	int doc = (flags & FTS5_TOKENIZE_DOCUMENT) != 0;
	if (rc == SQLITE_OK && doc &&
	    ((size_t)n != w->n || memcmp(stem, w->b, w->n)))
		rc = cb(ctx, FTS5_TOKEN_COLOCATED, w->b, (int)w->n, start, end);
	if (rc == SQLITE_OK && doc && t->dict &&
	    w->n >= TC_FTSTOK_COMPOUND_MIN) {
		char keep[TC_FTSTOK_MAX];
		memcpy(keep, stem,
		       (size_t)n); /* the stemmer reuses its buffer */
		rc = emit_parts(t, ctx, w, keep, n, start, end, cb);
	}
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

static int tok_create(void *dict, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
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
	t->dict = dict;
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

/* tc_cover(fts, groups, w0, w1, ...): see ftstok.h. */
static void cover(const Fts5ExtensionApi *api, Fts5Context *fts,
		  sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const char *groups =
	    nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	size_t ng = groups ? strlen(groups) : 0;
	unsigned cols[TC_FTSTOK_MAX_GROUPS] = {0}; /* a bit per column */
	int n = 0, rc = api->xInstCount(fts, &n);
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		int ph, col, off;
		rc = api->xInst(fts, i, &ph, &col, &off);
		int g = rc == SQLITE_OK && ph >= 0 && (size_t)ph < ng
			    ? groups[ph] - 'a'
			    : -1;
		if (g >= 0 && g < TC_FTSTOK_MAX_GROUPS && col >= 0 && col < 32)
			cols[g] |= 1u << col;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0;
	for (int g = 0; g < TC_FTSTOK_MAX_GROUPS; g++) {
		if (cols[g])
			score += 1000.0;
		for (int c = 0; c < 32 && cols[g]; c++)
			if (cols[g] & 1u << c)
				score += c + 1 < nval
					     ? sqlite3_value_double(val[c + 1])
					     : 1.0;
	}
	sqlite3_result_double(ctx, score);
}

/* ---- NEAR, checked here instead of by FTS5 ---- */

/* SQLite 3.40's FTS5 trims a NEAR group's position lists in place while
 * it reads them and may reallocate one under its reader (bench/notes.md):
 * tc-search sends each NEAR(...) as its phrases ANDed (tc_ftstok_unnear)
 * and keeps a row only when tc_near, reading the expression with its
 * NEARs, finds each group's phrases near each other. */

/* While reading an expression: where, the row's instances (in position
 * order, as xInst gives them), which phrases have one, and which are kept
 * (NULL: not asked). */
typedef struct nearctx {
	const Fts5ExtensionApi *api;
	Fts5Context *fts;
	const char *s;
	const int *ph, *col, *off;
	int n, nphrase, phrase, err;
	const unsigned char *has;
	unsigned char *keep;
} nearctx;

static void near_space(nearctx *c)
{
	while (*c->s == ' ' || *c->s == '\t' || *c->s == '\n')
		c->s++;
}

/* Whether the keyword w (upper case) is next, as a word of its own. */
static int near_word(nearctx *c, const char *w)
{
	size_t k = strlen(w);
	if (strncmp(c->s, w, k) ||
	    ((unsigned char)c->s[k] >= 0x80 ||
	     isalnum((unsigned char)c->s[k]) || c->s[k] == '_'))
		return 0;
	c->s += k;
	return 1;
}

/* A "quoted" phrase (a prefix with *): its index, or -1. */
static int near_phrase(nearctx *c)
{
	c->s++;
	for (;; c->s++) {
		if (!*c->s)
			return -1;
		if (*c->s == '"' && c->s[1] != '"')
			break;
		if (*c->s == '"')
			c->s++;
	}
	c->s++;
	if (*c->s == '*')
		c->s++;
	return c->phrase < c->nphrase ? c->phrase++ : -1;
}

static int64_t near_pos(const nearctx *c, int i)
{
	return (int64_t)c->col[i] << 32 | (int64_t)(unsigned)c->off[i];
}

/* NEAR(p[0] ... p[k-1], dist) as FTS5 reads it (fts5ExprNearIsMatch):
 * some instances, one of each phrase, such that each starts at most its
 * size plus dist tokens before the last of them, in the same column.
 * Instances of the group's phrases outside every such window are not
 * kept. 1, 0, or -1 when out of memory. */
static int near_group(nearctx *c, const int *p, int k, int dist)
{
	int *size = sqlite3_malloc64((sqlite3_uint64)(2 * k + 1) * sizeof(int));
	int *at = size ? size + k : NULL; /* each phrase's first instance */
	unsigned char *in = sqlite3_malloc64((sqlite3_uint64)c->n + 1);
	if (!size || !in) {
		sqlite3_free(size);
		sqlite3_free(in);
		return -1;
	}
	int reach = 0; /* the farthest a phrase may start before the last */
	for (int g = 0; g < k; g++) {
		size[g] = c->api->xPhraseSize(c->fts, p[g]);
		if (size[g] + dist > reach)
			reach = size[g] + dist;
	}
	memset(in, 0, (size_t)c->n + 1);
	int match = 0;
	/* each instance of the group as the window's last: every phrase has
	 * an instance at or before it and within its reach (one pass back
	 * over the instances within the farthest reach) */
	for (int i = 0; i < c->n; i++) {
		int gi = -1;
		for (int g = 0; g < k && gi < 0; g++)
			gi = c->ph[i] == p[g] ? g : -1;
		if (gi < 0)
			continue;
		int64_t last = near_pos(c, i);
		int found = 0;
		for (int g = 0; g < k; g++)
			at[g] = 0;
		for (int j = i; j >= 0 && near_pos(c, j) >= last - reach; j--)
			for (int g = 0; g < k; g++)
				if (c->ph[j] == p[g] && !at[g] &&
				    near_pos(c, j) >= last - size[g] - dist) {
					at[g] = 1;
					found++;
				}
		if (found < k)
			continue;
		match = 1;
		for (int j = i; j >= 0 && near_pos(c, j) >= last - reach; j--)
			for (int g = 0; g < k; g++)
				if (c->ph[j] == p[g] &&
				    near_pos(c, j) >= last - size[g] - dist)
					in[j] = 1;
	}
	if (c->keep)
		for (int i = 0; i < c->n; i++)
			for (int g = 0; g < k; g++)
				if (c->ph[i] == p[g] && !in[i])
					c->keep[i] = 0;
	sqlite3_free(size);
	sqlite3_free(in);
	return match;
}

static int near_or(nearctx *c);

/* A phrase, a NEAR group, a parenthesis or a column filter's operand. */
static int near_unary(nearctx *c)
{
	near_space(c);
	if (*c->s == '(') {
		c->s++;
		int v = near_or(c);
		near_space(c);
		if (*c->s != ')')
			c->err = SQLITE_ERROR;
		else
			c->s++;
		return v;
	}
	if (*c->s == '{') { /* the instances are of its columns only */
		while (*c->s && *c->s != '}')
			c->s++;
		if (*c->s)
			c->s++;
		near_space(c);
		if (*c->s != ':') {
			c->err = SQLITE_ERROR;
			return 0;
		}
		c->s++;
		return near_unary(c);
	}
	if (*c->s == '"') {
		int p = near_phrase(c);
		if (p < 0)
			c->err = SQLITE_ERROR;
		return p >= 0 && c->has[p];
	}
	if (near_word(c, "NEAR")) {
		int p[TC_FTSTOK_NEAR_MAX], k = 0, dist = 10;
		near_space(c);
		if (*c->s != '(') {
			c->err = SQLITE_ERROR;
			return 0;
		}
		c->s++;
		for (;;) {
			near_space(c);
			if (*c->s != '"')
				break;
			int i = near_phrase(c);
			if (i < 0 || k == TC_FTSTOK_NEAR_MAX) {
				c->err = SQLITE_ERROR;
				return 0;
			}
			p[k++] = i;
		}
		if (*c->s == ',') {
			c->s++;
			near_space(c);
			char *end;
			long d = strtol(c->s, &end, 10);
			if (end == c->s || d < 0 || d > INT_MAX / 2) {
				c->err = SQLITE_ERROR;
				return 0;
			}
			dist = (int)d;
			c->s = end;
			near_space(c);
		}
		if (*c->s != ')' || !k) {
			c->err = SQLITE_ERROR;
			return 0;
		}
		c->s++;
		int v = near_group(c, p, k, dist);
		if (v < 0)
			c->err = SQLITE_NOMEM;
		return v > 0;
	}
	c->err = SQLITE_ERROR;
	return 0;
}

/* Phrases and groups ANDed (written or implied). Every operand is read,
 * true or not, to count the phrases and mark the instances. */
static int near_and(nearctx *c)
{
	int v = near_unary(c);
	for (;;) {
		near_space(c);
		if (!*c->s || *c->s == ')' || c->err)
			return v;
		const char *at = c->s;
		if (near_word(c, "OR")) {
			c->s = at;
			return v;
		}
		near_word(c, "AND");
		v &= near_unary(c);
	}
}

static int near_or(nearctx *c)
{
	int v = near_and(c);
	while (!c->err && (near_space(c), near_word(c, "OR")))
		v |= near_and(c);
	return v;
}

/* Whether the row whose instances are ph, col, off (n of them, as xInst
 * gives them) matches expr read with its NEARs: 1 or 0 into *match; keep
 * (n bytes, may be NULL) cleared for each instance of a NEAR group's
 * phrase outside the group's windows (FTS5 leaves them out of its
 * instances). SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR for an expression
 * tc-search does not write. */
static int near_check(const Fts5ExtensionApi *api, Fts5Context *fts,
		      const char *expr, const int *ph, const int *col,
		      const int *off, int n, unsigned char *keep, int *match)
{
	int np = api->xPhraseCount(fts);
	unsigned char *has = sqlite3_malloc(np > 0 ? np : 1);
	if (!has)
		return SQLITE_NOMEM;
	memset(has, 0, (size_t)(np > 0 ? np : 1));
	for (int i = 0; i < n; i++)
		if (ph[i] >= 0 && ph[i] < np)
			has[ph[i]] = 1;
	if (keep)
		memset(keep, 1, (size_t)n);
	nearctx c = {api, fts, expr, ph, col, off, n, np, 0, 0, has, keep};
	*match = near_or(&c);
	near_space(&c);
	if (!c.err && (*c.s || c.phrase != np))
		c.err = SQLITE_ERROR;
	sqlite3_free(has);
	return c.err;
}

/* The row's instances: phrase, column and offset of each (one array of
 * 3n, sqlite3_free it), *n of them. */
static int read_insts(const Fts5ExtensionApi *api, Fts5Context *fts, int **out,
		      int *n)
{
	*out = NULL;
	*n = 0;
	int k = 0, rc = api->xInstCount(fts, &k);
	if (rc != SQLITE_OK)
		return rc;
	int *a = sqlite3_malloc64((sqlite3_uint64)(3 * k + 1) * sizeof(int));
	if (!a)
		return SQLITE_NOMEM;
	for (int i = 0; rc == SQLITE_OK && i < k; i++)
		rc = api->xInst(fts, i, &a[i], &a[k + i], &a[2 * k + i]);
	if (rc != SQLITE_OK) {
		sqlite3_free(a);
		return rc;
	}
	*out = a;
	*n = k;
	return SQLITE_OK;
}

/* The row's instances as tc_rank and tc_column see them: with a NEAR
 * expression (nexpr), read into *a (phrase, column, offset arrays of *n,
 * sqlite3_free it) with *keep (sqlite3_free it) saying which ones FTS5's
 * NEAR would have kept and *match whether the row meets it; without one,
 * only their number, *a and *keep NULL (read them with xInst). */
static int near_insts(const Fts5ExtensionApi *api, Fts5Context *fts,
		      const char *nexpr, int **a, unsigned char **keep, int *n,
		      int *match)
{
	*a = NULL;
	*keep = NULL;
	*n = 0;
	if (!nexpr)
		return api->xInstCount(fts, n);
	int rc = read_insts(api, fts, a, n);
	if (rc == SQLITE_OK && !(*keep = sqlite3_malloc(*n + 1)))
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK)
		rc = near_check(api, fts, nexpr, *a, *a + *n, *a + 2 * *n, *n,
				*keep, match);
	return rc;
}

/* tc_near(fts, expr): see ftstok.h. */
static void near(const Fts5ExtensionApi *api, Fts5Context *fts,
		 sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const char *expr =
	    nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	if (!expr) {
		sqlite3_result_int(ctx, 1);
		return;
	}
	int *a, n, match = 0;
	int rc = read_insts(api, fts, &a, &n);
	if (rc == SQLITE_OK)
		rc = near_check(api, fts, expr, a, a + n, a + 2 * n, n, NULL,
				&match);
	sqlite3_free(a);
	if (rc == SQLITE_ERROR)
		sqlite3_result_error(
		    ctx, "tc_near: not an expression of tc-search", -1);
	else if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else
		sqlite3_result_int(ctx, match);
}

size_t tc_ftstok_unnear(const char *expr, char *out)
{
	size_t k = 0, groups = 0;
	int in = 0; /* in a NEAR */
	const char *s = expr;
	while (*s) {
		if (*s == '"') { /* a phrase, as it is */
			out[k++] = *s++;
			while (*s && !(*s == '"' && s[1] != '"')) {
				if (*s == '"')
					out[k++] = *s++;
				out[k++] = *s++;
			}
			if (*s)
				out[k++] = *s++;
			continue;
		}
		if (*s == 'N' && !strncmp(s, "NEAR(", 5) &&
		    (s == expr || !isalnum((unsigned char)s[-1]))) {
			/* NEAR(a b, 2): (a b), its phrases ANDed */
			out[k++] = '(';
			s += 5;
			groups++;
			in = 1;
			continue;
		}
		if (in && *s == ',') { /* a NEAR's distance: up to its ) */
			while (*s && *s != ')')
				s++;
			continue;
		}
		if (*s == ')')
			in = 0;
		out[k++] = *s++;
	}
	out[k] = '\0';
	return groups;
}

/* ---- a ranked pass's instances, kept for snippets (tc_ftsinsts) ---- */

struct tc_ftsinsts {
	sqlite3_int64 *row; /* the rows kept, in the order ranked */
	int *first;         /* row i's instances: first[i] .. first[i + 1] */
	int nrow, caprow, sorted;
	int *ph, *col, *off; /* the instances, row after row */
	int n, cap, max, full;
	int nphrase, ncol, *size; /* nphrase -1: none kept yet */
};

tc_ftsinsts *tc_ftsinsts_new(int max)
{
	tc_ftsinsts *k = sqlite3_malloc(sizeof *k);
	if (k) {
		memset(k, 0, sizeof *k);
		k->max = max > 0 ? max : 0;
		tc_ftsinsts_clear(k);
	}
	return k;
}

void tc_ftsinsts_clear(tc_ftsinsts *k)
{
	k->nrow = k->n = k->full = 0;
	k->sorted = 1;
	k->nphrase = -1;
	k->ncol = 0;
	sqlite3_free(k->size);
	k->size = NULL;
}

void tc_ftsinsts_free(tc_ftsinsts *k)
{
	if (!k)
		return;
	sqlite3_free(k->row);
	sqlite3_free(k->first);
	sqlite3_free(k->ph);
	sqlite3_free(k->col);
	sqlite3_free(k->off);
	sqlite3_free(k->size);
	sqlite3_free(k);
}

/* The query's phrase sizes and column count, on the first row kept. */
static int keep_query(tc_ftsinsts *k, const Fts5ExtensionApi *api,
		      Fts5Context *fts)
{
	if (k->nphrase >= 0)
		return SQLITE_OK;
	int np = api->xPhraseCount(fts);
	k->size = sqlite3_malloc64((sqlite3_uint64)(np > 0 ? np : 1) *
				   sizeof *k->size);
	if (!k->size)
		return SQLITE_NOMEM;
	for (int p = 0; p < np; p++)
		k->size[p] = api->xPhraseSize(fts, p);
	k->nphrase = np > 0 ? np : 0;
	k->ncol = api->xColumnCount(fts);
	return SQLITE_OK;
}

static int keep_inst(tc_ftsinsts *k, int ph, int col, int off)
{
	if (k->n >= k->max) { /* no more: no snippet (SQLITE_FULL) */
		k->full = 1;
		return SQLITE_OK;
	}
	if (k->n == k->cap) {
		int c = k->cap ? 2 * k->cap : 256;
		if (c > k->max)
			c = k->max;
		int *a[3] = {k->ph, k->col, k->off};
		for (int i = 0; i < 3; i++) {
			int *b = sqlite3_realloc64(a[i], (sqlite3_uint64)c *
							     sizeof *b);
			if (!b)
				return SQLITE_NOMEM;
			a[i] = b;
			if (i == 0)
				k->ph = b;
			else if (i == 1)
				k->col = b;
			else
				k->off = b;
		}
		k->cap = c;
	}
	k->ph[k->n] = ph;
	k->col[k->n] = col;
	k->off[k->n++] = off;
	return SQLITE_OK;
}

/* Row r, whose instances are k's from first on. */
static int keep_row(tc_ftsinsts *k, sqlite3_int64 r, int first)
{
	if (k->nrow + 1 >= k->caprow) {
		int c = k->caprow ? 2 * k->caprow : 64;
		sqlite3_int64 *row =
		    sqlite3_realloc64(k->row, (sqlite3_uint64)c * sizeof *row);
		if (row)
			k->row = row;
		int *f = row ? sqlite3_realloc64(k->first,
						 (sqlite3_uint64)c * sizeof *f)
			     : NULL;
		if (!f)
			return SQLITE_NOMEM;
		k->first = f;
		k->caprow = c;
	}
	if (k->nrow && k->row[k->nrow - 1] >= r)
		k->sorted = 0;
	k->row[k->nrow] = r;
	k->first[k->nrow++] = first;
	k->first[k->nrow] = k->n;
	return SQLITE_OK;
}

/* The place of row r in k, or -1. */
static int kept_row(const tc_ftsinsts *k, sqlite3_int64 r)
{
	if (!k->sorted) {
		for (int i = 0; i < k->nrow; i++)
			if (k->row[i] == r)
				return i;
		return -1;
	}
	int lo = 0, hi = k->nrow;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (k->row[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < k->nrow && k->row[lo] == r ? lo : -1;
}

/* What tc_rank keeps for one query (FTS5 auxiliary data): the average
 * size of a row in its columns and each phrase's IDF, as FTS5's bm25
 * computes them. */
typedef struct rankdata {
	double avgdl;
	int nphrase;
	double *idf, *freq; /* per phrase */
	/* the expression as a program over its phrases (prog_*), for a
	 * product's columns (tc_rank_lengths's pcols); nprog -1: none */
	int *prog, nprog;
} rankdata;

/* ---- an expression of tc-search's as a program of its phrases ---- */

/* Postfix: k >= 0 pushes whether phrase k is there, PROG_AND and PROG_OR
 * take two. The grammar is tc_ftsvocab_may_match's (an optional leading
 * column filter; phrases, "..." or "..."*, each numbered in the order it
 * is written, as FTS5 numbers them; AND, OR, juxtaposition, parentheses;
 * NEARs read as ANDs). */
enum { PROG_AND = -1, PROG_OR = -2 };
/* A phrase's text in the expression read (its "" quotes as written). */
typedef struct prog_phrase {
	size_t at, n;
	int prefix;
} prog_phrase;
typedef struct prog {
	const char *s, *start;
	int *op, n, cap, phrases, depth, bad;
	prog_phrase *ph; /* each phrase's text, when spans are asked for */
	int spans;
} prog;

static void prog_put(prog *p, int op)
{
	if (p->bad)
		return;
	if (p->n == p->cap) {
		int cap = p->cap ? 2 * p->cap : 32;
		int *o =
		    sqlite3_realloc64(p->op, (sqlite3_uint64)cap * sizeof *o);
		if (!o) {
			p->bad = 1;
			return;
		}
		p->op = o;
		p->cap = cap;
	}
	p->op[p->n++] = op;
}

static void prog_space(prog *p)
{
	while (*p->s == ' ')
		p->s++;
}

static int prog_keyword(const prog *p, const char *kw)
{
	size_t n = strlen(kw);
	return !strncmp(p->s, kw, n) &&
	       (p->s[n] == ' ' || p->s[n] == '(' || p->s[n] == '"');
}

static void prog_or(prog *p);

static void prog_unary(prog *p)
{
	prog_space(p);
	if (*p->s == '(') {
		if (++p->depth > TC_FTSVOCAB_DEPTH) {
			p->bad = 1;
			return;
		}
		p->s++;
		prog_or(p);
		prog_space(p);
		if (*p->s != ')') {
			p->bad = 1;
			return;
		}
		p->s++;
		p->depth--;
		return;
	}
	if (*p->s != '"') {
		p->bad = 1;
		return;
	}
	const char *text = ++p->s;
	for (; *p->s && !(*p->s == '"' && p->s[1] != '"'); p->s++)
		if (*p->s == '"')
			p->s++; /* "" is a quote */
	if (!*p->s || p->phrases == TC_FTSTOK_PRODUCT_PHRASES) {
		p->bad = 1;
		return;
	}
	if (p->spans)
		p->ph[p->phrases] =
		    (prog_phrase){(size_t)(text - p->start),
				  (size_t)(p->s - text), p->s[1] == '*'};
	p->s++;
	if (*p->s == '*')
		p->s++;
	prog_put(p, p->phrases++);
}

static void prog_and(prog *p)
{
	prog_unary(p);
	for (;;) {
		prog_space(p);
		if (p->bad || !*p->s || *p->s == ')' || prog_keyword(p, "OR"))
			return;
		if (prog_keyword(p, "NOT")) {
			p->bad = 1;
			return;
		}
		if (prog_keyword(p, "AND"))
			p->s += 3;
		prog_unary(p);
		prog_put(p, PROG_AND);
	}
}

static void prog_or(prog *p)
{
	prog_and(p);
	for (;;) {
		prog_space(p);
		if (p->bad || !prog_keyword(p, "OR"))
			return;
		p->s += 2;
		prog_and(p);
		prog_put(p, PROG_OR);
	}
}

/* expr's program into *p (prog_free it), the expression with its NEARs
 * as ANDs into plain (TC_FTSVOCAB_EXPR bytes) and, with spans, each
 * phrase's text in it (p->ph): 0, or -1 when expr is not of that form or
 * has more than TC_FTSTOK_PRODUCT_PHRASES phrases. */
static void prog_free(prog *p)
{
	sqlite3_free(p->op);
	sqlite3_free(p->ph);
	p->op = NULL;
	p->ph = NULL;
}

static int prog_make(const char *expr, char *plain, int spans, prog *p)
{
	memset(p, 0, sizeof *p);
	if (strlen(expr) >= TC_FTSVOCAB_EXPR)
		return -1;
	tc_ftstok_unnear(expr, plain);
	p->s = p->start = plain;
	p->spans = spans;
	if (spans && !(p->ph = sqlite3_malloc64(TC_FTSTOK_PRODUCT_PHRASES *
						sizeof *p->ph)))
		return -1;
	prog_space(p);
	if (*p->s == '{') { /* the column filter: FTS5's, not ours */
		p->s = strchr(p->s, '}');
		p->bad = !p->s;
		if (p->s) {
			p->s++;
			prog_space(p);
			p->bad = *p->s++ != ':';
		}
	}
	if (!p->bad)
		prog_or(p);
	if (!p->bad)
		prog_space(p);
	if (p->bad || *p->s) {
		prog_free(p);
		return -1;
	}
	return 0;
}

int tc_ftstok_expr_phrases(const char *expr)
{
	char plain[TC_FTSVOCAB_EXPR];
	prog p;
	if (prog_make(expr, plain, 0, &p) < 0)
		return -1;
	prog_free(&p);
	return p.phrases;
}

/* Whether the program is met by the phrases there (there[k]). */
static int prog_run(const int *op, int n, const unsigned char *there)
{
	unsigned char st[TC_FTSVOCAB_DEPTH * 2 + 8];
	int top = 0;
	for (int i = 0; i < n; i++) {
		if (op[i] >= 0) {
			if (top == (int)sizeof st)
				return -1;
			st[top++] = there[op[i]];
		} else if (top >= 2) {
			top--;
			st[top - 1] = op[i] == PROG_AND
					  ? st[top - 1] && st[top]
					  : st[top - 1] || st[top];
		} else {
			return -1;
		}
	}
	return top == 1 ? st[0] : -1;
}

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

/* ---- bm25's counts of a table, kept across queries (tc_ftsidf) ---- */

struct tc_ftsidf {
	int known; /* rows and tokens */
	sqlite3_int64 rows, tokens;
	char **key; /* open addressing, TC_FTSTOK_IDF_MAX * 2 slots */
	sqlite3_int64 *hits;
	size_t n;
};
#define IDF_SLOTS (2 * TC_FTSTOK_IDF_MAX)

tc_ftsidf *tc_ftsidf_new(void)
{
	tc_ftsidf *c = sqlite3_malloc(sizeof *c);
	if (c) {
		memset(c, 0, sizeof *c);
		c->key = sqlite3_malloc64(IDF_SLOTS * sizeof *c->key);
		c->hits = sqlite3_malloc64(IDF_SLOTS * sizeof *c->hits);
	}
	if (c && (!c->key || !c->hits)) {
		tc_ftsidf_free(c);
		return NULL;
	}
	if (c)
		memset(c->key, 0, IDF_SLOTS * sizeof *c->key);
	return c;
}

void tc_ftsidf_free(tc_ftsidf *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->key && i < IDF_SLOTS; i++)
		sqlite3_free(c->key[i]);
	sqlite3_free(c->key);
	sqlite3_free(c->hits);
	sqlite3_free(c);
}

/* The slot of key k (n bytes): its own, or the empty one it would
 * take. */
static size_t idf_slot(const tc_ftsidf *c, const char *k, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211u;
	size_t i = (size_t)(h % IDF_SLOTS);
	while (c->key[i] && (strlen(c->key[i]) != n || memcmp(c->key[i], k, n)))
		i = (i + 1) % IDF_SLOTS;
	return i;
}

/* The phrases of expr (see tc_ftsidf): each one's key, the leading
 * column filter then the phrase, "quoted" with its *, into key[i]
 * (sqlite3_free each); their number, or -1 when expr is not one of
 * tc-search's (or out of memory). */
static int phrase_keys(const char *expr, char **key, int max)
{
	const char *s = expr, *cf = "";
	size_t ncf = 0;
	while (*s == ' ')
		s++;
	if (*s == '{') {
		cf = s;
		while (*s && *s != '}')
			s++;
		if (!*s)
			return -1;
		ncf = (size_t)(++s - cf);
	}
	while (*s == ' ')
		s++;
	if (ncf && *s++ != ':')
		return -1;
	int n = 0;
	while (*s) {
		if (*s == '{' || *s == '}' || *s == ':')
			goto fail; /* another column filter */
		if (*s != '"') {
			s++;
			continue;
		}
		const char *p = s++;
		while (*s && !(*s == '"' && s[1] != '"'))
			s += *s == '"' ? 2 : 1;
		if (!*s)
			goto fail;
		s++;
		if (*s == '*')
			s++;
		if (n == max)
			goto fail;
		key[n] =
		    sqlite3_mprintf("%.*s%.*s", (int)ncf, cf, (int)(s - p), p);
		if (!key[n])
			goto fail;
		n++;
	}
	return n;
fail:
	while (n > 0)
		sqlite3_free(key[--n]);
	return -1;
}

/* The rows phrase i is in (key: its key, NULL when not kept) into
 * *hits, from c or counted (and kept). */
static int phrase_hits(const Fts5ExtensionApi *api, Fts5Context *fts,
		       tc_ftsidf *c, char *key, int i, sqlite3_int64 *hits)
{
	size_t at = 0, n = key ? strlen(key) : 0;
	if (c && key) {
		at = idf_slot(c, key, n);
		if (c->key[at]) {
			*hits = c->hits[at];
			return SQLITE_OK;
		}
	}
	*hits = 0;
	int rc = api->xQueryPhrase(fts, i, hits, count_cb);
	if (rc == SQLITE_OK && c && key && c->n < TC_FTSTOK_IDF_MAX) {
		c->key[at] = sqlite3_mprintf("%s", key);
		if (c->key[at]) {
			c->hits[at] = *hits;
			c->n++;
		}
	}
	return rc;
}

static void rankdata_free(void *p)
{
	rankdata *d = p;
	if (d)
		sqlite3_free(d->prog);
	sqlite3_free(d);
}

/* The query's rankdata, made on its first row (as FTS5's bm25 does);
 * lens's idf and match: the table's counts kept (tc_ftsidf). */
static int rank_data(const Fts5ExtensionApi *api, Fts5Context *fts,
		     const tc_rank_lengths *lens, rankdata **out)
{
	rankdata *d = api->xGetAuxdata(fts, 0);
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	int np = api->xPhraseCount(fts), nc = api->xColumnCount(fts);
	d = sqlite3_malloc64(sizeof *d +
			     2 * (size_t)(np ? np : 1) * sizeof(double));
	if (!d)
		return SQLITE_NOMEM;
	d->nphrase = np;
	d->idf = (double *)&d[1];
	d->freq = d->idf + np;
	d->prog = NULL;
	d->nprog = -1;
	char plain[TC_FTSVOCAB_EXPR];
	prog pr;
	if (lens && lens->pcols && lens->match &&
	    prog_make(lens->match, plain, 0, &pr) == 0) {
		if (pr.phrases == np) { /* FTS5's phrases: else not ours */
			d->prog = pr.op;
			d->nprog = pr.n;
			pr.op = NULL;
		}
		prog_free(&pr);
	}
	tc_ftsidf *c = lens && lens->match ? lens->idf : NULL;
	sqlite3_int64 rows = 0, tokens = 0, t;
	int rc = SQLITE_OK;
	if (c && c->known) {
		rows = c->rows;
		tokens = c->tokens;
	} else {
		rc = api->xRowCount(fts, &rows);
		for (int k = 0;
		     rc == SQLITE_OK && k < nc && k < TC_FTSTOK_RANK_COLS; k++)
			if ((rc = api->xColumnTotalSize(fts, k, &t)) ==
			    SQLITE_OK)
				tokens += t;
		if (rc == SQLITE_OK && c) {
			c->rows = rows;
			c->tokens = tokens;
			c->known = 1;
		}
	}
	d->avgdl = rows ? (double)tokens / (double)rows : 1.0;
	char **key =
	    c ? sqlite3_malloc64((size_t)(np ? np : 1) * sizeof *key) : NULL;
	int nkey = key ? phrase_keys(lens->match, key, np) : -1;
	if (nkey >= 0 && nkey != np) { /* not the phrases FTS5 found */
		for (int i = 0; i < nkey; i++)
			sqlite3_free(key[i]);
		nkey = -1;
	}
	for (int i = 0; rc == SQLITE_OK && i < np; i++) {
		sqlite3_int64 hits = 0;
		rc = phrase_hits(api, fts, c, nkey == np ? key[i] : NULL, i,
				 &hits);
		double idf = log((rows - hits + 0.5) / (hits + 0.5));
		d->idf[i] = idf <= 0.0 ? 1e-6 : idf;
	}
	for (int i = 0; i < nkey; i++)
		sqlite3_free(key[i]);
	sqlite3_free(key);
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, d, rankdata_free);
	else
		rankdata_free(d);
	*out = rc == SQLITE_OK ? d : NULL;
	return rc;
}

/* The row's length in its first TC_FTSTOK_RANK_COLS columns into *dl,
 * added column by column as bm25 adds them. */
static int row_length(const Fts5ExtensionApi *api, Fts5Context *fts, double *dl)
{
	int rc = SQLITE_OK;
	for (int c = 0; rc == SQLITE_OK && c < TC_FTSTOK_RANK_COLS &&
			c < api->xColumnCount(fts);
	     c++) {
		int t = 0;
		if ((rc = api->xColumnSize(fts, c, &t)) == SQLITE_OK)
			*dl += t;
	}
	return rc;
}

/* tc_rank(fts, groups, w0, ..., w5[, lengths]): see ftstok.h. */
static void rank(const Fts5ExtensionApi *api, Fts5Context *fts,
		 sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const char *groups =
	    nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	size_t ng = groups ? strlen(groups) : 0;
	double w[TC_FTSTOK_RANK_COLS];
	for (int c = 0; c < TC_FTSTOK_RANK_COLS; c++)
		w[c] = c + 1 < nval ? sqlite3_value_double(val[c + 1]) : 1.0;
	unsigned cols[TC_FTSTOK_MAX_GROUPS] = {0};
	const char *nexpr =
	    nval > TC_FTSTOK_RANK_COLS + 2
		? (const char *)sqlite3_value_text(val[TC_FTSTOK_RANK_COLS + 2])
		: NULL;
	const tc_rank_lengths *lens =
	    nval > TC_FTSTOK_RANK_COLS + 1
		? sqlite3_value_pointer(val[TC_FTSTOK_RANK_COLS + 1],
					TC_FTSTOK_LENGTHS)
		: NULL;
	tc_ftsinsts *kept = lens ? lens->keep : NULL;
	int first = kept ? kept->n : 0;
	rankdata *d = NULL;
	int *a = NULL, match = 0;
	unsigned char *keep = NULL;
	int n = 0, rc = rank_data(api, fts, lens, &d);
	if (rc == SQLITE_OK) {
		memset(d->freq, 0, sizeof(double) * (size_t)d->nphrase);
		rc = near_insts(api, fts, nexpr, &a, &keep, &n, &match);
	}
	if (rc == SQLITE_OK && kept)
		rc = keep_query(kept, api, fts);
	/* the phrases in the product's columns (tc_rank_lengths's pcols) */
	unsigned char there_[TC_FTSTOK_PRODUCT_PHRASES];
	unsigned char *there = rc == SQLITE_OK && d->nprog >= 0 ? there_ : NULL;
	if (there)
		memset(there, 0, (size_t)d->nphrase);
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		int ph, col, off;
		if (a) {
			ph = keep[i] ? a[i] : -1;
			col = a[n + i];
			off = a[2 * n + i];
		} else {
			rc = api->xInst(fts, i, &ph, &col, &off);
		}
		/* a phrase in one of the product's columns, NEAR or not
		 * (FTS5's column filter alone, as its MATCH would say) */
		int aph = a ? a[i] : ph;
		if (rc == SQLITE_OK && there && col >= 0 &&
		    col < lens->npcols && lens->pcols[col] && aph >= 0 &&
		    aph < d->nphrase)
			there[aph] = 1;
		/* under a product's columns (pcols), those after the
		 * ranked ones are the product's only: not kept */
		if (rc == SQLITE_OK && kept && ph >= 0 &&
		    (!there || col < TC_FTSTOK_RANK_COLS))
			rc = keep_inst(kept, ph, col, off);
		if (rc != SQLITE_OK || col < 0 || col >= TC_FTSTOK_RANK_COLS ||
		    ph < 0 || ph >= d->nphrase)
			continue;
		d->freq[ph] += w[col];
		int g = (size_t)ph < ng ? groups[ph] - 'a' : -1;
		if (g >= 0 && g < TC_FTSTOK_MAX_GROUPS)
			cols[g] |= 1u << col;
	}
	sqlite3_int64 r = lens ? api->xRowid(fts) : 0;
	double dl = 0;
	if (rc == SQLITE_OK && lens && r >= 1 && r <= lens->n &&
	    lens->len[r - 1] >= 0)
		dl = lens->len[r - 1];
	else if (rc == SQLITE_OK)
		rc = row_length(api, fts, &dl);
	sqlite3_free(a);
	sqlite3_free(keep);
	if (kept && (rc != SQLITE_OK || (nexpr && !match)))
		kept->n = first; /* no value: not kept */
	else if (kept)
		rc = keep_row(kept, api->xRowid(fts), first);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (nexpr && !match) { /* not near: no match */
		sqlite3_result_null(ctx);
		return;
	}
	/* FTS5's bm25 (fts5_aux.c), its arithmetic in its order */
	const double k1 = 1.2, b = 0.75;
	double score = 0.0;
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] *
			 ((d->freq[i] * (k1 + 1.0)) /
			  (d->freq[i] + k1 * (1 - b + b * dl / d->avgdl)));
	/* tc_cover */
	double cover = 0;
	for (int g = 0; g < TC_FTSTOK_MAX_GROUPS; g++) {
		if (cols[g])
			cover += 1000.0;
		for (int c = 0; c < TC_FTSTOK_RANK_COLS && cols[g]; c++)
			if (cols[g] & 1u << c)
				cover += w[c];
	}
	double out[3] = {cover, -1.0 * score, -1.0};
	int nout = lens && lens->pcols ? 3 : 2;
	if (there)
		out[2] = prog_run(d->prog, d->nprog, there);
	if (api->xUserData(fts)) /* tc_bm25 */
		sqlite3_result_double(ctx, out[1]);
	else
		sqlite3_result_blob(ctx, out, nout * (int)sizeof *out,
				    SQLITE_TRANSIENT);
}

/* tc_column(fts): see ftstok.h. */
static void column(const Fts5ExtensionApi *api, Fts5Context *fts,
		   sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const char *nexpr =
	    nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	int *a = NULL, n = 0, one = -1, match = 0, rc;
	unsigned char *keep = NULL;
	rc = near_insts(api, fts, nexpr, &a, &keep, &n, &match);
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		int ph, col, off;
		if (a) {
			if (!keep[i])
				continue;
			col = a[n + i];
		} else {
			rc = api->xInst(fts, i, &ph, &col, &off);
		}
		if (rc == SQLITE_OK && one >= 0 && col != one) {
			one = -1;
			break;
		}
		one = col;
	}
	sqlite3_free(a);
	sqlite3_free(keep);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else
		sqlite3_result_int(ctx, one);
}

/* ---- tc_snippet: FTS5's snippet(), with less work ---- */

/* The positions of a column's text as the table's tokenizer gives them
 * to an auxiliary function (the tokens that are not colocated): each
 * one's byte offsets, and those that begin a sentence as FTS5's snippet()
 * finds them (the first, and one after white space after a '.' or ':').
 * Their number is the column's size in tokens (what FTS5 stored as it
 * wrote the row: the same tokenizer gives the same tokens). */
typedef struct spans {
	const char *text;
	int *se, n, cap; /* position i's token: se[2i] .. se[2i + 1] */
	int *first, nfirst, capfirst;
} spans;

static int grow(int **a, int *cap, int need)
{
	if (need <= *cap)
		return 0;
	int c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	int *b = sqlite3_realloc64(*a, (sqlite3_uint64)c * sizeof *b);
	if (!b)
		return -1;
	*a = b;
	*cap = c;
	return 0;
}

static int span_cb(void *ctx, int flags, const char *token, int ntoken,
		   int start, int end)
{
	(void)token;
	(void)ntoken;
	spans *sp = ctx;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (grow(&sp->se, &sp->cap, 2 * sp->n + 2))
		return SQLITE_NOMEM;
	int sentence = sp->n == 0;
	if (!sentence) {
		int k = start;
		while (k > 0 &&
		       (sp->text[k - 1] == ' ' || sp->text[k - 1] == '\t' ||
			sp->text[k - 1] == '\n' || sp->text[k - 1] == '\r'))
			k--;
		sentence = k != start && k > 0 &&
			   (sp->text[k - 1] == '.' || sp->text[k - 1] == ':');
	}
	if (sentence) {
		if (grow(&sp->first, &sp->capfirst, sp->nfirst + 1))
			return SQLITE_NOMEM;
		sp->first[sp->nfirst++] = sp->n;
	}
	sp->se[2 * sp->n] = start;
	sp->se[2 * sp->n++ + 1] = end;
	return SQLITE_OK;
}

/* Where a snippet reads its row's columns and tokenizes them: through
 * FTS5 (tc_snippet), or from texts given (tc_ftstok_snippet). */
typedef struct source {
	int (*text)(const struct source *src, int c, const char **s, int *n);
	int (*tokenize)(const struct source *src, const char *s, int n,
			spans *sp);
	const Fts5ExtensionApi *api;
	Fts5Context *fts;
	tc_ftstok_text own; /* tc_ftstok_snippet's */
	void *ctx;
} source;

static int scan_spans(const source *src, spans *sp, const char *text, int ntext)
{
	sp->n = sp->nfirst = 0;
	sp->text = text;
	if (!text || ntext <= 0)
		return SQLITE_OK;
	return src->tokenize(src, text, ntext, sp);
}

static int fts_text(const source *src, int c, const char **s, int *n)
{
	return src->api->xColumnText(src->fts, c, s, n);
}

static int fts_tokenize(const source *src, const char *s, int n, spans *sp)
{
	return src->api->xTokenize(src->fts, s, n, sp, span_cb);
}

/* A row's instances, read once: phrase, column, offset; and each
 * phrase's size. */
typedef struct hits {
	int n, *ph, *col, *off, *size;
} hits;

/* snippet()'s score of the window of ntok tokens from pos in column col,
 * and (adj not NULL) the window's start moved to centre what it holds. */
static int window_score(const hits *h, unsigned char *seen, int nphrase,
			int col, int pos, int ntok, int docsize, int *adj)
{
	int score = 0, firstoff = -1, last = 0;
	sqlite3_int64 end = (sqlite3_int64)pos + ntok;
	memset(seen, 0, (size_t)nphrase);
	for (int i = 0; i < h->n; i++)
		if (h->col[i] == col && h->off[i] >= pos && h->off[i] < end) {
			score += seen[h->ph[i]] ? 1 : 1000;
			seen[h->ph[i]] = 1;
			if (firstoff < 0)
				firstoff = h->off[i];
			last = h->off[i] + h->size[h->ph[i]];
		}
	if (adj) {
		sqlite3_int64 a = firstoff - (ntok - (last - firstoff)) / 2;
		if (a + ntok > docsize)
			a = docsize - ntok;
		if (a < 0)
			a = 0;
		*adj = (int)a;
	}
	return score;
}

/* The coalesced instances of column col from instance *i: [*s, *e], or
 * *s = -1 when there are no more (FTS5's CInstIter). */
static void next_coalesced(const hits *h, int col, int *i, int *s, int *e)
{
	*s = *e = -1;
	for (; *i < h->n; (*i)++) {
		if (h->col[*i] != col)
			continue;
		int end = h->off[*i] - 1 + h->size[h->ph[*i]];
		if (*s < 0) {
			*s = h->off[*i];
			*e = end;
		} else if (h->off[*i] <= *e) {
			if (end > *e)
				*e = end;
		} else {
			break;
		}
	}
}

typedef struct hl {
	sqlite3_str *out;
	const char *in, *open, *close;
	int off;
} hl;

static void hl_put(hl *x, const char *s, int n)
{
	if (n < 0)
		sqlite3_str_appendall(x->out, s);
	else if (n > 0)
		sqlite3_str_append(x->out, s, n);
}

/* The snippet of a row whose instances are h (nphrase phrases; seen:
 * nphrase bytes of room) in column icol (-1: the best of the ncol
 * columns), its columns read from src, into *out (sqlite3_free it; NULL
 * when the snippet's column is NULL): FTS5's snippet() (fts5_aux.c). */
static int snippet_of(const hits *h, int nphrase, int ncol, int icol,
		      const source *src, const char *open, const char *close,
		      const char *ellips, int ntok, unsigned char *seen,
		      char **out)
{
	spans sp = {0};
	int rc = SQLITE_OK, best = icol >= 0 ? icol : 0;
	int bstart = 0, bscore = 0, colsize = 0, scanned = -1;
	*out = NULL;
	for (int c = 0; rc == SQLITE_OK && c < ncol; c++) {
		if (icol >= 0 && icol != c)
			continue;
		int any = 0;
		for (int i = 0; i < h->n && !any; i++)
			any = h->col[i] == c;
		if (!any) /* FTS5 tokenizes it for nothing */
			continue;
		const char *text;
		int ntext, docsize;
		rc = src->text(src, c, &text, &ntext);
		if (rc == SQLITE_OK)
			rc = scan_spans(src, &sp, text, ntext);
		if (rc != SQLITE_OK)
			break;
		docsize = sp.n;
		scanned = c;
		for (int i = 0; i < h->n; i++) {
			if (h->col[i] != c)
				continue;
			int io = h->off[i], adj;
			if (io > docsize) {
				rc = SQLITE_CORRUPT_VTAB;
				break;
			}
			int s = window_score(h, seen, nphrase, c, io, ntok,
					     docsize, &adj);
			if (s > bscore) {
				bscore = s;
				best = c;
				bstart = adj;
				colsize = docsize;
			}
			if (sp.nfirst && docsize > ntok) {
				int j = 0;
				while (j < sp.nfirst - 1 &&
				       sp.first[j + 1] <= io)
					j++;
				if (sp.first[j] < io) {
					s = window_score(h, seen, nphrase, c,
							 sp.first[j], ntok,
							 docsize, NULL) +
					    (sp.first[j] == 0 ? 120 : 100);
					if (s > bscore) {
						bscore = s;
						best = c;
						bstart = sp.first[j];
						colsize = docsize;
					}
				}
			}
		}
	}
	const char *in = NULL;
	int nin = 0;
	if (rc == SQLITE_OK)
		rc = src->text(src, best, &in, &nin);
	if (rc == SQLITE_OK && scanned != best)
		rc = scan_spans(src, &sp, in, nin);
	colsize = sp.n;
	sqlite3_str *str = sqlite3_str_new(NULL);
	if (rc == SQLITE_OK && in) {
		hl x = {str, in, open ? open : "", close ? close : "", 0};
		int rs = bstart, re = bstart + ntok - 1, ii = 0, is, ie;
		next_coalesced(h, best, &ii, &is, &ie);
		if (bstart > 0)
			hl_put(&x, ellips ? ellips : "", -1);
		/* from the first coalesced instance in the window */
		while (is >= 0 && is < bstart)
			next_coalesced(h, best, &ii, &is, &ie);
		for (int pos = 0; pos < sp.n; pos++) {
			int so = sp.se[2 * pos], eo = sp.se[2 * pos + 1];
			if (re > 0) {
				if (pos < rs || pos > re)
					continue;
				if (rs && pos == rs)
					x.off = so;
			}
			if (pos == is) {
				hl_put(&x, in + x.off, so - x.off);
				hl_put(&x, x.open, -1);
				x.off = so;
			}
			if (pos == ie) {
				if (re && is < rs)
					hl_put(&x, x.open, -1);
				hl_put(&x, in + x.off, eo - x.off);
				hl_put(&x, x.close, -1);
				x.off = eo;
				next_coalesced(h, best, &ii, &is, &ie);
			}
			if (re > 0 && pos == re) {
				hl_put(&x, in + x.off, eo - x.off);
				x.off = eo;
				if (pos >= is && pos < ie)
					hl_put(&x, x.close, -1);
			}
		}
		if (re >= colsize - 1)
			hl_put(&x, in + x.off, nin - x.off);
		else
			hl_put(&x, ellips ? ellips : "", -1);
		rc = sqlite3_str_errcode(str);
	}
	char *got = sqlite3_str_finish(str);
	if (rc == SQLITE_OK && in && !got && (got = sqlite3_malloc(1)))
		*got = '\0'; /* nothing appended: "" */
	if (rc == SQLITE_OK && in && !got)
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK && in) /* a NULL column: NULL, as FTS5's */
		*out = got;
	else
		sqlite3_free(got);
	sqlite3_free(sp.se);
	sqlite3_free(sp.first);
	return rc;
}

static void snippet(const Fts5ExtensionApi *api, Fts5Context *fts,
		    sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	if (nval != 5 && nval != 6) {
		sqlite3_result_error(ctx,
				     "wrong number of arguments to function "
				     "tc_snippet()",
				     -1);
		return;
	}
	int icol = sqlite3_value_int(val[0]);
	const char *open = (const char *)sqlite3_value_text(val[1]);
	const char *close = (const char *)sqlite3_value_text(val[2]);
	const char *ellips = (const char *)sqlite3_value_text(val[3]);
	int ntok = sqlite3_value_int(val[4]);
	int nphrase = api->xPhraseCount(fts), ninst = 0;
	int rc = api->xInstCount(fts, &ninst);
	hits h = {0};
	unsigned char *seen = sqlite3_malloc(nphrase > 0 ? nphrase : 1);
	int *mem = sqlite3_malloc64(
	    (sqlite3_uint64)(3 * (ninst > 0 ? ninst : 0) + nphrase + 1) *
	    sizeof(int));
	if (!seen || !mem)
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK) {
		h.ph = mem;
		h.col = mem + ninst;
		h.off = mem + 2 * ninst;
		h.size = mem + 3 * ninst;
		for (int p = 0; p < nphrase; p++)
			h.size[p] = api->xPhraseSize(fts, p);
		for (; rc == SQLITE_OK && h.n < ninst; h.n++)
			rc = api->xInst(fts, h.n, &h.ph[h.n], &h.col[h.n],
					&h.off[h.n]);
	}
	const char *nexpr =
	    nval == 6 ? (const char *)sqlite3_value_text(val[5]) : NULL;
	if (rc == SQLITE_OK && nexpr) {
		/* the instances FTS5's NEAR would have left */
		unsigned char *keep = sqlite3_malloc(h.n + 1);
		int match = 0, k = 0;
		rc = keep ? near_check(api, fts, nexpr, h.ph, h.col, h.off, h.n,
				       keep, &match)
			  : SQLITE_NOMEM;
		for (int i = 0; rc == SQLITE_OK && i < h.n; i++)
			if (keep[i]) {
				h.ph[k] = h.ph[i];
				h.col[k] = h.col[i];
				h.off[k++] = h.off[i];
			}
		if (rc == SQLITE_OK)
			h.n = k;
		sqlite3_free(keep);
	}
	source src = {fts_text, fts_tokenize, api, fts, NULL, NULL};
	char *s = NULL;
	if (rc == SQLITE_OK)
		rc = snippet_of(&h, nphrase, api->xColumnCount(fts), icol, &src,
				open, close, ellips, ntok, seen, &s);
	if (rc == SQLITE_OK && s)
		sqlite3_result_text(ctx, s, -1, sqlite3_free);
	else if (rc == SQLITE_OK)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_error_code(ctx, rc);
	if (rc != SQLITE_OK)
		sqlite3_free(s);
	sqlite3_free(seen);
	sqlite3_free(mem);
}

/* tc_stem's text for auxiliary functions: each word's offsets, never
 * stemmed (emit), whatever the language: no instance of it is needed. */
static int own_text(const source *src, int c, const char **s, int *n)
{
	*s = NULL;
	*n = 0;
	src->own(src->ctx, c, s, n);
	if (!*s)
		*n = 0;
	return SQLITE_OK;
}

static int own_tokenize(const source *src, const char *s, int n, spans *sp)
{
	(void)src;
	/* tok_tokenize's words, each as emit gives it to an auxiliary
	 * function (no token text is read: nothing folded) */
	size_t len = s && n > 0 ? (size_t)n : 0, i = 0;
	int rc = SQLITE_OK;
	while (rc == SQLITE_OK) {
		word w = {.n = 0, .bounds = 1};
		size_t start = i, end = scan_word(s, len, &start, &w);
		if (start == len)
			break;
		if (w.n)
			rc = span_cb(sp, 0, NULL, 0, (int)start, (int)end);
		i = end;
	}
	return rc;
}

int tc_ftstok_snippet(const tc_ftsinsts *k, sqlite3_int64 r, int col,
		      tc_ftstok_text text, void *ctx, const char *open,
		      const char *close, const char *ellips, int ntok,
		      char **out)
{
	*out = NULL;
	if (k->full)
		return SQLITE_FULL;
	int i = kept_row(k, r), np = k->nphrase > 0 ? k->nphrase : 0;
	hits h = {0};
	if (i >= 0)
		h = (hits){k->first[i + 1] - k->first[i], k->ph + k->first[i],
			   k->col + k->first[i], k->off + k->first[i], k->size};
	if (col == TC_FTSTOK_ONE_COLUMN) { /* tc_column's */
		col = h.n ? h.col[0] : -1;
		for (int j = 1; j < h.n && col >= 0; j++)
			if (h.col[j] != col)
				col = -1;
	}
	unsigned char *seen = sqlite3_malloc(np > 0 ? np : 1);
	if (!seen)
		return SQLITE_NOMEM;
	source src = {own_text, own_tokenize, NULL, NULL, text, ctx};
	int rc = snippet_of(&h, np, k->ncol, col, &src, open, close, ellips,
			    ntok, seen, out);
	sqlite3_free(seen);
	return rc;
}

/* A varint as SQLite writes it (FTS5's sizes): 7 bits a byte, high bit
 * set on all but the last, the ninth byte whole. Its length, or 0 when it
 * runs past end. */
static size_t varint(const unsigned char *p, const unsigned char *end,
		     sqlite3_uint64 *v)
{
	*v = 0;
	for (size_t i = 0; p + i < end; i++) {
		if (i == 8) {
			*v = *v << 8 | p[i];
			return 9;
		}
		*v = *v << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	return 0;
}

int tc_ftstok_lengths(sqlite3 *db, const char *table, int *len, sqlite3_int64 n)
{
	for (sqlite3_int64 i = 0; i < n; i++)
		len[i] = -1;
	char *sql = sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\"", table);
	sqlite3_stmt *st = NULL;
	int rc =
	    sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 r = sqlite3_column_int64(st, 0);
		const unsigned char *p = sqlite3_column_blob(st, 1);
		const unsigned char *end = p + sqlite3_column_bytes(st, 1);
		sqlite3_uint64 sum = 0, v;
		int c = 0;
		for (size_t k; p && c < TC_FTSTOK_RANK_COLS &&
			       (k = varint(p, end, &v)) != 0 && v <= INT_MAX;
		     c++, p += k)
			sum += v;
		if (r >= 1 && r <= n && c == TC_FTSTOK_RANK_COLS &&
		    sum <= INT_MAX)
			len[r - 1] = (int)sum;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int tc_ftstok_register_dict(sqlite3 *db, const tc_ftsdict *dict)
{
	if (!db)
		return SQLITE_MISUSE;
	fts5_api *api = fts5_api_of(db);
	if (!api)
		return SQLITE_ERROR;
	fts5_tokenizer methods = {tok_create, tok_delete, tok_tokenize};
	int rc = api->xCreateTokenizer(api, TC_FTSTOK_NAME, (void *)dict,
				       &methods, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, TC_FTSTOK_COVER, NULL, cover,
					  NULL);
	if (rc == SQLITE_OK)
		rc =
		    api->xCreateFunction(api, TC_FTSTOK_RANK, NULL, rank, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, TC_FTSTOK_COLUMN, NULL, column,
					  NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, TC_FTSTOK_SNIPPET, NULL, snippet,
					  NULL);
	if (rc == SQLITE_OK)
		rc =
		    api->xCreateFunction(api, TC_FTSTOK_NEAR, NULL, near, NULL);
	static char bm25_only = 1;
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, TC_FTSTOK_BM25, &bm25_only, rank,
					  NULL);

	return rc;
}

int tc_ftstok_register(sqlite3 *db)
{
	return tc_ftstok_register_dict(db, NULL);
}

/* ---- compounds ---- */

tc_ftsdict *tc_ftsdict_new(void)
{
	tc_ftsdict *d = calloc(1, sizeof *d);
	return d;
}

void tc_ftsdict_free(tc_ftsdict *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->w[i]);
	free(d->w);
	free(d);
}

int tc_ftsdict_add(tc_ftsdict *d, const char *s, size_t n)
{
	if (!d || d->sealed || n < TC_FTSTOK_PART_MIN || n > TC_FTSTOK_MAX)
		return 0;
	if (d->n == TC_FTSTOK_DICT_MAX)
		return -1;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		char **w = realloc(d->w, cap * sizeof *w);
		if (!w)
			return -1;
		d->w = w;
		d->cap = cap;
	}
	char *c = malloc(n + 1);
	if (!c)
		return -1;
	memcpy(c, s, n);
	c[n] = '\0';
	d->w[d->n++] = c;
	return 0;
}

int tc_ftsdict_add_text(tc_ftsdict *d, const char *text, size_t n)
{
	size_t i = 0;
	int rc = 0;
	while (rc == 0 && i < n) {
		word w = {.n = 0};
		size_t start = i, end = scan_word(text, n, &start, &w);
		if (start == n)
			break;
		if (!w.capped)
			rc = tc_ftsdict_add(d, w.b, w.n);
		i = end;
	}
	return rc;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tc_ftsdict_seal(tc_ftsdict *d)
{
	if (!d || d->sealed)
		return;
	qsort(d->w, d->n, sizeof *d->w, by_bytes);
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (k && !strcmp(d->w[k - 1], d->w[i]))
			free(d->w[i]);
		else
			d->w[k++] = d->w[i];
	}
	d->n = k;
	d->sealed = 1;
}

size_t tc_ftsdict_count(const tc_ftsdict *d)
{
	return d ? d->n : 0;
}

const char *tc_ftsdict_word(const tc_ftsdict *d, size_t i)
{
	return d && i < d->n ? d->w[i] : NULL;
}

/* The first word at or after s[0..n) whose first k bytes are >= p's. */
static size_t lower(const tc_ftsdict *d, const char *p, size_t k)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strncmp(d->w[mid], p, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int tc_ftsdict_prefix(const tc_ftsdict *d, const char *p, size_t n)
{
	if (!d || !d->sealed)
		return 0;
	size_t i = lower(d, p, n);
	return i < d->n && !strncmp(d->w[i], p, n);
}

/* Whether p[0..n) is a word of d but for its ending: a word that shares
 * all of p but its last TC_FTSTOK_ENDING bytes (at least
 * TC_FTSTOK_PART_MIN) and is at most TC_FTSTOK_ENDING bytes longer than p
 * (zutrittskontroll: Zutrittskontrolle; vernichtung: vernichtet;
 * spiegeln: Spiegelung).
 * whole (the compound itself) does not count. */
static int known_part(const tc_ftsdict *d, const char *p, size_t n,
		      const char *whole, size_t wn)
{
	if (n < TC_FTSTOK_PART_MIN)
		return 0;
	size_t k = n > TC_FTSTOK_PART_MIN + TC_FTSTOK_ENDING
		       ? n - TC_FTSTOK_ENDING
		       : TC_FTSTOK_PART_MIN;
	if (k > n)
		k = n;
	for (size_t i = lower(d, p, k), seen = 0;
	     i < d->n && seen < TC_FTSTOK_SCAN && !strncmp(d->w[i], p, k);
	     i++, seen++) {
		size_t m = strlen(d->w[i]);
		if (m <= n + TC_FTSTOK_ENDING &&
		    !(m == wn && !memcmp(d->w[i], whole, wn)))
			return 1;
	}
	return 0;
}

/* Splits w[off..n) into known parts, the head first, recursing into the
 * tail (and into a head that is no word itself) up to depth; a head may
 * end in a linking s, es, n or en (Zutritts-kontrolle). Returns the number
 * of parts written from part[at], or 0. */
static int split_at(const tc_ftsdict *d, const char *w, size_t off, size_t n,
		    const char *whole, size_t wn, tc_ftspart *part, int at,
		    int max, int depth)
{
	static const char *const links[] = {"", "s", "es", "n", "en"};
	if (depth == 0 || at >= max)
		return 0;
	for (size_t i = n - TC_FTSTOK_PART_MIN; i >= off + TC_FTSTOK_PART_MIN;
	     i--) {
		size_t tail = n - i;
		if (!known_part(d, w + i, tail, whole, wn))
			continue;
		for (size_t l = 0; l < sizeof links / sizeof *links; l++) {
			size_t ln = strlen(links[l]), hn = i - off;
			if (hn < ln + TC_FTSTOK_PART_MIN ||
			    memcmp(w + i - ln, links[l], ln))
				continue;
			hn -= ln;
			int hp = 0;
			if (known_part(d, w + off, hn, whole, wn)) {
				part[at] = (tc_ftspart){off, hn};
				hp = 1;
			} else {
				hp = split_at(d, w, off, off + hn, whole, wn,
					      part, at, max - 1, depth - 1);
			}
			if (hp && at + hp < max) {
				part[at + hp] = (tc_ftspart){i, tail};
				return hp + 1;
			}
		}
	}
	return 0;
}

int tc_ftstok_split(const tc_ftsdict *d, const char *w, size_t n,
		    tc_ftspart *part, int max)
{
	if (!d || !d->sealed || !d->n || n < TC_FTSTOK_COMPOUND_MIN ||
	    n > TC_FTSTOK_MAX || max < 2)
		return 0;
	return split_at(d, w, 0, n, w, n, part, 0, max, TC_FTSTOK_DEPTH);
}

size_t tc_ftstok_fold(const char *s, size_t n, char out[TC_FTSTOK_MAX])
{
	word w = {.n = 0};
	size_t start = 0;
	scan_word(s, n, &start, &w);
	if (w.capped)
		return 0;
	memcpy(out, w.b, w.n);
	return w.n;
}

/* ---- a table's vocabulary: expressions that cannot match (tc_ftsvocab) */

struct tc_ftsvocab {
	char *bytes;      /* the terms, one after the other */
	size_t *off, n;   /* term i is bytes[off[i] .. off[i + 1]), sorted */
	fts5_tokenizer t; /* the table's tokenizer, as FTS5 calls it */
	Fts5Tokenizer *tok;
};

void tc_ftsvocab_free(tc_ftsvocab *v)
{
	if (!v)
		return;
	if (v->tok)
		v->t.xDelete(v->tok);
	free(v->bytes);
	free(v->off);
	free(v);
}

/* The tokenizer that tokenize (the option's value, quoted or not) names,
 * with its arguments, into v; -1 when it is not one of db's or its words
 * are quoted inside. */
static int vocab_tokenizer(tc_ftsvocab *v, sqlite3 *db, const char *tokenize)
{
	char spec[256], *argv[16];
	size_t n = strlen(tokenize);
	if (n >= 2 && tokenize[0] == '\'' && tokenize[n - 1] == '\'') {
		tokenize++;
		n -= 2;
	}
	if (n >= sizeof spec || memchr(tokenize, '\'', n) ||
	    memchr(tokenize, '"', n))
		return -1;
	memcpy(spec, tokenize, n);
	spec[n] = '\0';
	int argc = 0;
	for (char *save = NULL, *s = strtok_r(spec, " ", &save); s;
	     s = strtok_r(NULL, " ", &save))
		if (argc < (int)(sizeof argv / sizeof *argv))
			argv[argc++] = s;
		else
			return -1;
	fts5_api *api = argc ? fts5_api_of(db) : NULL;
	void *ud = NULL;
	if (!api || api->xFindTokenizer(api, argv[0], &ud, &v->t) != SQLITE_OK)
		return -1;
	return v->t.xCreate(ud, (const char **)argv + 1, argc - 1, &v->tok) ==
		       SQLITE_OK
		   ? 0
		   : -1;
}

/* The terms of table (fts5vocab reads them in FTS5's order, memcmp's):
 * 0, or -1 when they do not read, are too many or are not in order. */
static int vocab_terms(tc_ftsvocab *v, sqlite3 *db, const char *table)
{
	char *sql = sqlite3_mprintf(
	    "CREATE VIRTUAL TABLE temp.tc_vocab USING fts5vocab(main, %Q, "
	    "'row')",
	    table);
	int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_stmt *st = NULL;
	size_t len = 0, cap = 0, ocap = 0;
	rc = sqlite3_prepare_v2(db, "SELECT term FROM temp.tc_vocab", -1, &st,
				NULL);
	int step = SQLITE_DONE;
	while (rc == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_blob(st, 0);
		size_t k = (size_t)sqlite3_column_bytes(st, 0);
		if (v->n == TC_FTSVOCAB_MAX) {
			rc = SQLITE_FULL;
			break;
		}
		if (len + k + 1 > cap) {
			cap = 2 * (len + k + 1);
			char *b = realloc(v->bytes, cap);
			if (!b) {
				rc = SQLITE_NOMEM;
				break;
			}
			v->bytes = b;
		}
		if (v->n + 2 > ocap) {
			ocap = ocap ? 2 * ocap : 256;
			size_t *o = realloc(v->off, ocap * sizeof *o);
			if (!o) {
				rc = SQLITE_NOMEM;
				break;
			}
			v->off = o;
		}
		if (k)
			memcpy(v->bytes + len, t, k);
		v->off[v->n] = len;
		len += k;
		v->off[++v->n] = len;
		/* in order, each once: else no binary search */
		if (v->n > 1) {
			size_t pn = v->off[v->n - 1] - v->off[v->n - 2];
			int c = memcmp(v->bytes + v->off[v->n - 2],
				       v->bytes + v->off[v->n - 1],
				       pn < k ? pn : k);
			if (c > 0 || (c == 0 && pn >= k))
				rc = SQLITE_CORRUPT;
		}
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "DROP TABLE temp.tc_vocab", NULL, NULL, NULL);
	/* every term read: a table fts5vocab cannot read has none */
	return rc == SQLITE_OK && step == SQLITE_DONE ? 0 : -1;
}

tc_ftsvocab *tc_ftsvocab_new(sqlite3 *db, const char *table,
			     const char *tokenize)
{
	tc_ftsvocab *v = calloc(1, sizeof *v);
	if (!v || !table || !tokenize || vocab_tokenizer(v, db, tokenize) ||
	    vocab_terms(v, db, table)) {
		tc_ftsvocab_free(v);
		return NULL;
	}
	return v;
}

/* The first term of v not below s[0..n). */
static size_t vocab_lower(const tc_ftsvocab *v, const char *s, size_t n)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2,
		       k = v->off[mid + 1] - v->off[mid];
		int c = memcmp(v->bytes + v->off[mid], s, k < n ? k : n);
		if (c < 0 || (c == 0 && k < n))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether a term is s[0..n) (prefix: begins with it). */
static int vocab_has(const tc_ftsvocab *v, const char *s, size_t n, int prefix)
{
	size_t i = vocab_lower(v, s, n);
	if (i == v->n || v->off[i + 1] - v->off[i] < n ||
	    memcmp(v->bytes + v->off[i], s, n))
		return 0;
	return prefix || v->off[i + 1] - v->off[i] == n;
}

/* A phrase's tokens as the tokenizer gives them: every position but the
 * last has a term (any of its colocated tokens); the last's, exactly and
 * as a prefix, are kept apart until the end says which is asked. */
typedef struct vphrase {
	const tc_ftsvocab *v;
	int positions, before, exact, prefix;
} vphrase;

static int vphrase_cb(void *ctx, int flags, const char *token, int n, int start,
		      int end)
{
	(void)start, (void)end;
	vphrase *p = ctx;
	if (!(flags & FTS5_TOKEN_COLOCATED) || !p->positions) {
		if (p->positions)
			p->before = p->before && p->exact;
		p->positions++;
		p->exact = p->prefix = 0;
	}
	size_t k = n > 0 ? (size_t)n : 0;
	p->exact = p->exact || vocab_has(p->v, token, k, 0);
	p->prefix = p->prefix || vocab_has(p->v, token, k, 1);
	return SQLITE_OK;
}

/* Whether phrase text[0..n) ("..."* when prefix) may be in a row. */
static int vocab_phrase(const tc_ftsvocab *v, const char *text, size_t n,
			int prefix)
{
	vphrase p = {v, 0, 1, 0, 0};
	int flags = FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0);
	if (v->t.xTokenize(v->tok, &p, flags, text, (int)n, vphrase_cb) !=
		SQLITE_OK ||
	    !p.positions) /* FTS5's own reading of an empty phrase */
		return 1;
	return p.before && (prefix ? p.prefix : p.exact);
}

int tc_ftsvocab_may_match(const tc_ftsvocab *v, const char *expr)
{
	if (!v || !expr)
		return 1;
	char plain[TC_FTSVOCAB_EXPR], text[TC_FTSVOCAB_EXPR];
	unsigned char may[TC_FTSTOK_PRODUCT_PHRASES];
	prog p;
	if (prog_make(expr, plain, 1, &p) < 0)
		return 1;
	for (int k = 0; k < p.phrases; k++) {
		const prog_phrase *ph = &p.ph[k];
		size_t n = 0;
		for (size_t i = 0; i < ph->n; i++) { /* "" is a quote */
			text[n++] = plain[ph->at + i];
			i += plain[ph->at + i] == '"';
		}
		may[k] = (unsigned char)vocab_phrase(v, text, n, ph->prefix);
	}
	int r = prog_run(p.op, p.n, may);
	prog_free(&p);
	return r != 0;
}
