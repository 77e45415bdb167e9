#include "vocab.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lang.h"
#include "text.h"

/* The words are the current language's (lib/lang.h): the catalogue keys
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
const char *tc_status_title(tc_status s)
{
	return tc_msg(statuses[s].key);
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
const char *tc_resp_title(tc_resp r)
{
	return tc_msg(resps[r].key);
}
const char *tc_resp_icon(tc_resp r)
{
	return resps[r].icon;
}
const char *tc_resp_phrase(tc_resp r)
{
	return tc_msg(resps[r].phrase);
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

const char *tc_mark_shown(const char *label, tc_status st)
{
	size_t n = 0;
	if (!strcmp(tc_lang_current()->code, "en") ||
	    tc_mark_parse(label, &n) == ST_OTHER || label[n] != '\0' ||
	    !strcmp(label, statuses[ST_PROVIDED].icon))
		return label;
	return tc_status_icon(st);
}

tc_badge tc_cell_badge(tc_status s, tc_resp r)
{
	if (r == RS_SHARED)
		return (tc_badge){resps[r].id, tc_resp_title(r), resps[r].icon,
				  false};
	return (tc_badge){statuses[s].id, tc_status_title(s), statuses[s].icon,
			  s == ST_OTHER};
}

/* A mark is a whole word: it ends at the end of the text, a space or one
 * of "(),;:". Anything else continues a word or a code ("X.509",
 * "NA-Zone", "yes/no", "✓✓") and makes the text free text. */
static size_t mark(const char *s, const char *m)
{
	size_t n = strlen(m);
	if (strncasecmp(s, m, n) != 0)
		return 0;
	unsigned char next = (unsigned char)s[n];
	return (next == 0 || isspace(next) || strchr("(),;:", next)) ? n : 0;
}

tc_status tc_mark_parse(const char *t, size_t *len)
{
	static const struct {
		const char *text;
		tc_status st;
	} marks[] = {
	    {"\xe2\x9c\x93", ST_PROVIDED},
	    {"yes", ST_PROVIDED},
	    {"X", ST_NOT_PROVIDED},
	    {"NA", ST_NOT_APPLICABLE},
	    {"Client's responsibility", ST_CLIENT},
	    {"Client\xe2\x80\x99s responsibility", ST_CLIENT},
	    {"See product description", ST_SEE_PRODUCT},
	};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		size_t n = mark(t, marks[i].text);
		if (n) {
			*len = n;
			return marks[i].st;
		}
	}
	*len = 0;
	return ST_OTHER;
}

/* Whether the code point at p (k bytes of valid UTF-8) is a symbol or
 * punctuation rather than a letter: General Punctuation to Miscellaneous
 * Symbols and Arrows (U+2000-U+2BFF, ticks and crosses among them) and the
 * emoji planes. Enough to tell "✗" from "Überwachung". */
static bool symbol_cp(unsigned cp)
{
	return (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFE0F;
}

const char *tc_mark_suspect(const char *t)
{
	/* the ASCII letters and digits of the text, lower case */
	char key[48];
	size_t n = 0, len = strlen(t);
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)t + i;
		unsigned cp = 0;
		size_t k = tc_utf8_decode(t + i, len - i, &cp);
		if (!k || (k > 1 && !symbol_cp(cp)))
			return NULL; /* a letter outside ASCII: words */
		if (k == 1 && isalnum(*p)) {
			if (n + 1 >= sizeof key)
				return NULL; /* long: real text */
			key[n++] = (char)tolower(*p);
		}
		i += k;
	}
	key[n] = '\0';
	if (!n)
		return "";
	static const struct {
		const char *key, *mark;
	} near[] = {
	    {"na", "NA"},
	    {"notapplicable", "NA"},
	    {"x", "X"},
	    {"no", "X"},
	    {"none", "X"},
	    {"notprovided", "X"},
	    {"yes", "\xe2\x9c\x93"},
	    {"provided", "\xe2\x9c\x93"},
	    {"clientsresponsibility", "Client's responsibility"},
	    {"clientresponsibility", "Client's responsibility"},
	    {"customersresponsibility", "Client's responsibility"},
	    {"customerresponsibility", "Client's responsibility"},
	    {"seeproductdescription", "See product description"},
	    {"seeproduct", "See product description"},
	};
	for (size_t i = 0; i < sizeof near / sizeof *near; i++)
		if (!strcmp(key, near[i].key))
			return near[i].mark;
	return NULL;
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
const char *tc_move_words(tc_move m)
{
	static const char *keys[] = {
	    [MV_TO_CLIENT] = "move.to-client",
	    [MV_PARTLY_TO_CLIENT] = "move.partly-to-client",
	    [MV_FROM_CLIENT] = "move.from-client",
	    [MV_PARTLY_FROM_CLIENT] = "move.partly-from-client",
	};
	return m == MV_NONE ? "" : tc_msg(keys[m]);
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
