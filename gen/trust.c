#include "trust.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/buf.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/text.h"
#include "countries.h"
#include "markdown.h"
#include "model.h"
#include "source.h"

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_of(const char *s)
{
	long y = atol(s), m = atol(s + 5), d = atol(s + 8);
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long tc_date_diff(const char *a, const char *b)
{
	return days_of(b) - days_of(a);
}

void tc_date_add(const char *date, long n, char out[11])
{
	long z = days_of(date) + n + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	char buf[64];
	snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y % 10000, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* ---- words ---- */

const char *tc_cert_state_id(tc_cert_state s)
{
	static const char *ids[CS__COUNT] = {"valid", "renewal-due", "expired",
					     "withdrawn"};
	return ids[s];
}

const char *tc_transfer_id(tc_transfer t)
{
	static const char *ids[TR__COUNT] = {"eu-eea", "adequacy", "scc"};
	return ids[t];
}

const char *tc_sub_state_id(tc_sub_state s)
{
	static const char *ids[SS__COUNT] = {"current", "upcoming", "ending",
					     "former"};
	return ids[s];
}

static bool in_list(char **list, const char *id)
{
	for (; list && *list; list++)
		if (!strcmp(*list, id))
			return true;
	return false;
}

bool tc_cert_covers(const tc_certificate *c, const char *product)
{
	return c->nsites > 0 || in_list(c->products, product);
}

bool tc_sub_serves(const tc_subprocessor *s, const char *product)
{
	return in_list(s->products, product);
}

/* ---- life ---- */

tc_trust *tc_trust_new(void)
{
	tc_trust *t = tc_xcalloc(1, sizeof *t);
	t->refs = 1;
	t->notice_days = -1;
	tc_contact *c = &t->contact;
	char **f[] = {&c->security,    &c->policy,  &c->dpo,
		      &c->dpo_contact, &c->imprint, &c->privacy};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] = tc_xstrdup("");
	return t;
}

tc_trust *tc_trust_ref(tc_trust *t)
{
	if (t)
		t->refs++;
	return t;
}

static void free_list(char **l)
{
	for (char **p = l; p && *p; p++)
		free(*p);
	free(l);
}

void tc_trust_unref(tc_trust *t)
{
	if (!t || --t->refs > 0)
		return;
	for (size_t i = 0; i < t->ncerts; i++) {
		tc_certificate *c = &t->certs[i];
		char *s[] = {c->id,          c->standard, c->scope,
			     c->issuer,      c->number,   c->valid_from,
			     c->valid_until, c->file,     c->file_path,
			     c->url};
		for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
			free(s[k]);
		free_list(c->products);
		free_list(c->sites);
	}
	free(t->certs);
	for (size_t i = 0; i < t->nsubs; i++) {
		tc_subprocessor *s = &t->subs[i];
		char *v[] = {s->id,      s->name,      s->entity,
			     s->address, s->country,   s->purpose,
			     s->since,   s->announced, s->until};
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			free(v[k]);
		free_list(s->products);
	}
	free(t->subs);
	tc_contact *c = &t->contact;
	free(c->security);
	free(c->policy);
	free(c->dpo);
	free(c->dpo_contact);
	free(c->imprint);
	free(c->privacy);
	for (size_t i = 0; i < t->nlinks; i++) {
		free(t->links[i].url);
		free(t->links[i].file);
	}
	free(t->links);
	free(t->subs_file);
	free(t->date);
	free(t->certs_html);
	free(t->subs_html);
	free(t);
}

/* ---- checks of values ---- */

static char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return tc_xstrdup(s ? s : "");
}

/* A contact URI as RFC 9116 takes it: mailto:, https: or tel:. */
static bool contact_uri(const char *s)
{
	const char *rest = !strncmp(s, "mailto:", 7)    ? s + 7
			   : !strncmp(s, "tel:", 4)     ? s + 4
			   : !strncmp(s, "https://", 8) ? s + 8
							: NULL;
	return rest && *rest && tc_text_url_printable(s) &&
	       (strncmp(s, "mailto:", 7) || strchr(rest, '@'));
}

typedef struct rd {
	const fm_doc *doc;
	const char *path;
	tc_diags *d;
	int problems;
} rd;

static void at(rd *R, const json_t *obj, const char *key, size_t idx,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void at(rd *R, const json_t *obj, const char *key, size_t idx,
	       const char *fmt, ...)
{
	int line, col;
	fm_pos(R->doc, obj, key, idx, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	tc_buf m = TC_BUF_INIT;
	tc_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	tc_diags_add(R->d, R->path, line, col, "%s", tc_buf_cstr(&m));
	tc_buf_free(&m);
	R->problems++;
}

/* A date key of obj: "" when absent and optional, else checked. */
static char *date_key(rd *R, const json_t *obj, const char *key)
{
	char *v = str(obj, key);
	if (*v && !tc_text_is_date(v))
		at(R, obj, key, 0,
		   "%s '%s' is not a date of the form YYYY-MM-DD%s", key, v,
		   "");
	return v;
}

/* ---- site.md ---- */

static const fm_key contact_keys[] = {{"security", FM_STRING, false},
				      {"policy", FM_STRING, false},
				      {"dpo", FM_STRING, false},
				      {"dpo_contact", FM_STRING, false},
				      {"imprint", FM_STRING, false},
				      {"privacy", FM_STRING, false},
				      {NULL, 0, false}};

int tc_trust_read_site(tc_trust *t, const fm_doc *doc, json_t *r,
		       const char *path, tc_diags *d)
{
	rd R = {doc, path, d, 0};
	json_t *days = json_object_get(r, "subprocessor_notice_days");
	if (days) {
		t->notice_days = (long)json_integer_value(days);
		if (t->notice_days < 0 || t->notice_days > TC_MAX_NOTICE_DAYS) {
			char n[32];
			snprintf(n, sizeof n, "%d", TC_MAX_NOTICE_DAYS);
			at(&R, r, "subprocessor_notice_days", 0,
			   "subprocessor_notice_days must be a number of days "
			   "from 0 to %s%s%s",
			   n, "", "");
			t->notice_days = -1;
		}
	}
	json_t *c = json_object_get(r, "contact");
	if (!c)
		return R.problems;
	if (fm_check(doc, c, contact_keys, d))
		return R.problems + 1;
	t->has_contact = true;
	tc_contact *k = &t->contact;
	struct {
		const char *key;
		char **v;
		int kind; /* 0 text, 1 web URL, 2 contact URI */
	} f[] = {
	    {"security", &k->security, 2}, {"policy", &k->policy, 1},
	    {"dpo", &k->dpo, 0},           {"dpo_contact", &k->dpo_contact, 2},
	    {"imprint", &k->imprint, 1},   {"privacy", &k->privacy, 1}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i].v);
		*f[i].v = str(c, f[i].key);
		const char *v = *f[i].v;
		if (!*v || !f[i].kind)
			continue;
		if (f[i].kind == 1 && !tc_text_is_web_url(v))
			at(&R, c, f[i].key, 0,
			   "contact %s '%s' must be an http:// or https:// "
			   "URL%s",
			   f[i].key, v, "");
		if (f[i].kind == 2 && !contact_uri(v))
			at(&R, c, f[i].key, 0,
			   "contact %s '%s' must be a mailto:, https:// or "
			   "tel: URI (RFC 9116 Contact%s",
			   f[i].key, v, ")");
	}
	if (!*k->security)
		at(&R, r, "contact", 0,
		   "contact gives no security address: RFC 9116 requires a "
		   "Contact for /.well-known/security.txt (security: "
		   "mailto:...)");
	return R.problems;
}

/* ---- lists of IDs ---- */

/* The IDs of obj's key, each a scope of kind `kind`; NULL-terminated. */
static char **scope_ids(rd *R, const tc_model *m, const json_t *obj,
			const char *key, tc_scope_kind kind, const char *what,
			size_t *n)
{
	json_t *list = json_object_get(obj, key);
	char **out = tc_xcalloc(json_array_size(list) + 1, sizeof(char *));
	*n = 0;
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v) {
		const char *id = json_string_value(v);
		const tc_scope *s = tc_model_scope(m, id);
		if (!s || s->kind != kind) {
			at(R, list, NULL, i,
			   "unknown %s '%s' (the %ss are the scopes of that "
			   "kind in scopes.md)",
			   what, id, what);
			continue;
		}
		if (in_list(out, id)) {
			at(R, list, NULL, i, "%s '%s' is listed twice%s", what,
			   id, "");
			continue;
		}
		out[(*n)++] = tc_xstrdup(id);
	}
	return out;
}

/* Each list item is a mapping with a unique slug `id`; returns the ID
 * or NULL (reported). */
static const char *entry_id(rd *R, json_t *list, size_t i, json_t *item,
			    const fm_key *keys, const char *what,
			    const char **seen, size_t nseen)
{
	if (!json_is_object(item)) {
		at(R, list, NULL, i, "each %s must be a mapping with an id%s%s",
		   what, "", "");
		return NULL;
	}
	int bad = fm_check(R->doc, item, keys, R->d);
	R->problems += bad;
	if (bad)
		return NULL;
	const char *id = json_string_value(json_object_get(item, "id"));
	if (!tc_route_is_id(id)) {
		at(R, item, "id", 0,
		   "%s id '%s' must be lower-case letters, digits and '-'%s",
		   what, id, "");
		return NULL;
	}
	for (size_t k = 0; k < nseen; k++)
		if (!strcmp(seen[k], id)) {
			at(R, item, "id", 0, "duplicate %s id '%s'%s", what, id,
			   "");
			return NULL;
		}
	return id;
}

/* The file's front matter, or NULL: absent (fine, *missing set) or
 * broken (reported). *src holds the text the doc borrows. */
static fm_doc *open_file(const char *path, char **src, tc_diags *d,
			 bool *missing)
{
	struct stat st;
	*src = NULL;
	*missing = lstat(path, &st) < 0 && errno == ENOENT;
	if (*missing)
		return NULL;
	size_t len;
	*src = tc_source_load(path, &len, d);
	return *src ? fm_parse_required(path, *src, len, d) : NULL;
}

static void collect(tc_trust *t, md_doc *md, const char *path, int line0);

static char *prose(tc_trust *t, const fm_doc *doc, const char *path)
{
	md_doc *md = md_parse(fm_body(doc), fm_body_len(doc));
	collect(t, md, path, fm_body_line(doc));
	char *html = md_render(md);
	md_free(md);
	return html;
}

typedef struct coll {
	tc_trust *t;
	const char *file;
	int line0;
} coll;

static int one_link(cmark_node *n, void *ud)
{
	coll *c = ud;
	tc_trust *t = c->t;
	t->links = tc_xrealloc(t->links, (t->nlinks + 1) * sizeof *t->links);
	t->links[t->nlinks++] = (struct tc_trust_link){
	    tc_xstrdup(cmark_node_get_url(n)), tc_xstrdup(c->file),
	    cmark_node_get_start_line(n) + c->line0 - 1,
	    cmark_node_get_start_column(n)};
	return t->nlinks >= 1000; /* prose of a page, not a site */
}

static void collect(tc_trust *t, md_doc *md, const char *path, int line0)
{
	coll c = {t, path, line0};
	md_each_link(md_root(md), one_link, &c);
}

/* ---- certificates.md ---- */

static const fm_key cert_file_keys[] = {{"certificates", FM_LIST, true},
					{NULL, 0, false}};
static const fm_key cert_keys[] = {{"id", FM_STRING, true},
				   {"standard", FM_STRING, true},
				   {"scope", FM_STRING, true},
				   {"products", FM_STRINGS, false},
				   {"sites", FM_STRINGS, false},
				   {"issuer", FM_STRING, true},
				   {"number", FM_STRING, true},
				   {"valid_from", FM_STRING, true},
				   {"valid_until", FM_STRING, true},
				   {"file", FM_STRING, false},
				   {"url", FM_STRING, false},
				   {"status", FM_STRING, false},
				   {NULL, 0, false}};

/* A file named in certificates.md: a content path
 * ("certificates/iso27001.pdf") ending in ".pdf". */
static bool file_name_ok(const char *f)
{
	size_t n = strlen(f);
	return n >= 5 && !strcmp(f + n - 4, ".pdf") &&
	       tc_text_is_content_path(f);
}

static void cert_file(rd *R, const char *dir, json_t *item, tc_certificate *c)
{
	if (!*c->file)
		return;
	if (!file_name_ok(c->file)) {
		at(R, item, "file", 0,
		   "file '%s' must be a PDF under the content folder, named "
		   "by a relative path of letters, digits, '.', '-', '_' "
		   "and '/' (no name starting with '.')%s%s",
		   c->file, "", "");
		return;
	}
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", dir, c->file);
	struct stat st;
	if (lstat(tc_buf_cstr(&p), &st) < 0 || !S_ISREG(st.st_mode)) {
		at(R, item, "file", 0,
		   "file '%s' is not a regular file under the content folder "
		   "(%s)%s",
		   c->file, tc_buf_cstr(&p), "");
		tc_buf_free(&p);
		return;
	}
	size_t len;
	tc_diags *quiet = tc_diags_new();
	char *data = tc_source_read(tc_buf_cstr(&p), TC_MAX_CERT_FILE_BYTES,
				    &len, quiet);
	tc_diags_free(quiet);
	if (!data) {
		char n[32];
		snprintf(n, sizeof n, "%d", TC_MAX_CERT_FILE_BYTES);
		at(R, item, "file", 0,
		   "file '%s' cannot be read or is larger than %s bytes%s",
		   c->file, n, "");
	} else if (len < 5 || memcmp(data, "%PDF-", 5)) {
		at(R, item, "file", 0,
		   "file '%s' is not a PDF (it must start "
		   "with %%PDF-)%s%s",
		   c->file, "", "");
	} else {
		tc_sha256_hex(data, len, c->sha256);
		c->file_path = tc_buf_detach(&p);
	}
	free(data);
	tc_buf_free(&p);
}

static void add_cert(rd *R, tc_model *m, const char *dir, json_t *list,
		     size_t i, json_t *item, const char **seen)
{
	tc_trust *t = m->trust;
	const char *id = entry_id(R, list, i, item, cert_keys, "certificate",
				  seen, t->ncerts);
	if (!id)
		return;
	size_t before = (size_t)R->problems;
	tc_certificate c = {0};
	c.id = tc_xstrdup(id);
	c.standard = str(item, "standard");
	c.scope = str(item, "scope");
	c.issuer = str(item, "issuer");
	c.number = str(item, "number");
	c.valid_from = date_key(R, item, "valid_from");
	c.valid_until = date_key(R, item, "valid_until");
	c.file = str(item, "file");
	c.url = str(item, "url");
	c.products = scope_ids(R, m, item, "products", SK_PRODUCT, "product",
			       &c.nproducts);
	c.sites = scope_ids(R, m, item, "sites", SK_SITE, "site", &c.nsites);
	if (!c.nproducts && !c.nsites && (size_t)R->problems == before)
		at(R, list, NULL, i,
		   "certificate '%s' covers no product or site: list them in "
		   "products or sites%s%s",
		   id, "", "");
	if (*c.url && !tc_text_is_web_url(c.url))
		at(R, item, "url", 0,
		   "url '%s' must be an http:// or https:// URL%s%s", c.url, "",
		   "");
	if (*c.url && *c.file)
		at(R, item, "url", 0,
		   "certificate '%s' gives a file and a url: give one%s%s", id,
		   "", "");
	cert_file(R, dir, item, &c);
	const char *status = json_string_value(json_object_get(item, "status"));
	bool dates =
	    tc_text_is_date(c.valid_from) && tc_text_is_date(c.valid_until);
	if (dates && tc_date_diff(c.valid_from, c.valid_until) < 0)
		at(R, item, "valid_until", 0,
		   "valid_until %s is before valid_from %s%s", c.valid_until,
		   c.valid_from, "");
	c.days_left = dates ? tc_date_diff(m->date, c.valid_until) : 0;
	if (status && strcmp(status, "expired") && strcmp(status, "withdrawn"))
		at(R, item, "status", 0,
		   "status '%s' must be expired or withdrawn (leave it out "
		   "for a valid certificate)%s%s",
		   status, "", "");
	else if (status && !strcmp(status, "withdrawn"))
		c.state = CS_WITHDRAWN;
	else if (status && dates && c.days_left >= 0)
		at(R, item, "status", 0,
		   "certificate '%s' is marked expired but is valid until %s, "
		   "on or after the content's date %s",
		   id, c.valid_until, m->date);
	else if (status)
		c.state = CS_EXPIRED;
	else if (dates && c.days_left < 0)
		at(R, item, "valid_until", 0,
		   "certificate '%s' ended on %s, before the content's date "
		   "%s: renew it, or mark it 'status: expired' or 'status: "
		   "withdrawn'",
		   id, c.valid_until, m->date);
	else if (dates && c.days_left <= TC_RENEWAL_DAYS)
		c.state = CS_RENEWAL_DUE;
	t->certs = tc_xrealloc(t->certs, (t->ncerts + 1) * sizeof c);
	t->certs[t->ncerts] = c;
	seen[t->ncerts] = t->certs[t->ncerts].id;
	t->ncerts++;
}

/* ---- subprocessors.md ---- */

static const fm_key sub_file_keys[] = {{"subprocessors", FM_LIST, true},
				       {NULL, 0, false}};
static const fm_key sub_keys[] = {
    {"id", FM_STRING, true},        {"name", FM_STRING, true},
    {"entity", FM_STRING, true},    {"address", FM_STRING, true},
    {"country", FM_STRING, true},   {"purpose", FM_STRING, true},
    {"products", FM_STRINGS, true}, {"transfer", FM_STRING, true},
    {"since", FM_STRING, true},     {"announced", FM_STRING, false},
    {"until", FM_STRING, false},    {NULL, 0, false}};

static void check_transfer(rd *R, json_t *item, tc_subprocessor *s)
{
	const char *tr = json_string_value(json_object_get(item, "transfer"));
	int k = -1;
	for (int i = 0; i < TR__COUNT; i++)
		if (!strcmp(tr, tc_transfer_id((tc_transfer)i)))
			k = i;
	if (k < 0) {
		at(R, item, "transfer", 0,
		   "transfer '%s' must be eu-eea (in the EU/EEA), adequacy "
		   "(an adequacy decision) or scc (standard contractual "
		   "clauses)%s%s",
		   tr, "", "");
		return;
	}
	s->transfer = (tc_transfer)k;
	const tc_country *c = tc_country_get(s->country);
	if (!c) {
		at(R, item, "country", 0,
		   "country '%s' is not an ISO 3166-1 alpha-2 code in capitals "
		   "(DE, FI, US)%s%s",
		   s->country, "", "");
		return;
	}
	if (k == TR_EU_EEA && !c->eu_eea)
		at(R, item, "transfer", 0,
		   "transfer eu-eea, but %s (%s) is not in the EU or the EEA",
		   c->en, c->code);
	else if (k != TR_EU_EEA && c->eu_eea)
		at(R, item, "transfer", 0,
		   "%s (%s) is in the EU/EEA: its transfer basis is eu-eea",
		   c->en, c->code);
	else if (k == TR_ADEQUACY && !c->adequacy)
		at(R, item, "transfer", 0,
		   "transfer adequacy, but the European Commission has made "
		   "no adequacy decision for %s (%s): use scc",
		   c->en, c->code);
}

static void check_sub_dates(rd *R, const tc_model *m, const tc_trust *t,
			    json_t *item, tc_subprocessor *s)
{
	if (!tc_text_is_date(s->since) ||
	    (*s->announced && !tc_text_is_date(s->announced)) ||
	    (*s->until && !tc_text_is_date(s->until)))
		return; /* reported */
	if (*s->until && tc_date_diff(s->since, s->until) < 0)
		at(R, item, "until", 0, "until %s is before since %s%s",
		   s->until, s->since, "");
	if (*s->announced && tc_date_diff(s->announced, m->date) < 0)
		at(R, item, "announced", 0,
		   "announced %s is after the content's date %s%s",
		   s->announced, m->date, "");
	if (*s->announced && tc_date_diff(s->announced, s->since) < 0)
		at(R, item, "announced", 0,
		   "announced %s is after the addition takes effect (since "
		   "%s)%s",
		   s->announced, s->since, "");
	s->state = SS_CURRENT;
	if (tc_date_diff(m->date, s->since) > 0) {
		s->state = SS_UPCOMING;
		const char *from = *s->announced ? s->announced : m->date;
		long days = tc_date_diff(from, s->since);
		if (t->notice_days >= 0 && days < t->notice_days) {
			char earliest[11], msg[256];
			tc_date_add(from, t->notice_days, earliest);
			snprintf(msg, sizeof msg,
				 "%ld days after it is announced (%s), fewer "
				 "than the notice period of %ld days "
				 "(site.md subprocessor_notice_days): "
				 "move since to %s or later",
				 days, from, t->notice_days, earliest);
			at(R, item, "since", 0,
			   "subprocessor '%s' is added on %s, %s", s->id,
			   s->since, msg);
		}
	} else if (*s->until) {
		s->state =
		    tc_date_diff(m->date, s->until) > 0 ? SS_ENDING : SS_FORMER;
	}
}

static void add_sub(rd *R, tc_model *m, json_t *list, size_t i, json_t *item,
		    const char **seen)
{
	tc_trust *t = m->trust;
	const char *id = entry_id(R, list, i, item, sub_keys, "subprocessor",
				  seen, t->nsubs);
	if (!id)
		return;
	tc_subprocessor s = {0};
	s.id = tc_xstrdup(id);
	s.name = str(item, "name");
	s.entity = str(item, "entity");
	s.address = str(item, "address");
	s.country = str(item, "country");
	s.purpose = str(item, "purpose");
	s.since = date_key(R, item, "since");
	s.announced = date_key(R, item, "announced");
	s.until = date_key(R, item, "until");
	size_t before = (size_t)R->problems;
	s.products = scope_ids(R, m, item, "products", SK_PRODUCT, "product",
			       &s.nproducts);
	if (!s.nproducts && (size_t)R->problems == before)
		at(R, item, "products", 0,
		   "subprocessor '%s' serves no product: list the products "
		   "whose data it processes%s%s",
		   id, "", "");
	check_transfer(R, item, &s);
	check_sub_dates(R, m, t, item, &s);
	fm_pos(R->doc, item, "since", 0, &s.since_line, &s.since_col);
	fm_pos(R->doc, item, *s.announced ? "announced" : "since", 0,
	       &s.announced_line, &s.announced_col);
	t->subs = tc_xrealloc(t->subs, (t->nsubs + 1) * sizeof s);
	t->subs[t->nsubs] = s;
	seen[t->nsubs] = t->subs[t->nsubs].id;
	t->nsubs++;
}

/* ---- the files ---- */

typedef void (*add_fn)(rd *R, tc_model *m, const char *dir, json_t *list,
		       size_t i, json_t *item, const char **seen);

static void add_cert_fn(rd *R, tc_model *m, const char *dir, json_t *list,
			size_t i, json_t *item, const char **seen)
{
	add_cert(R, m, dir, list, i, item, seen);
}

static void add_sub_fn(rd *R, tc_model *m, const char *dir, json_t *list,
		       size_t i, json_t *item, const char **seen)
{
	(void)dir;
	add_sub(R, m, list, i, item, seen);
}

/* Reads one of the files; returns its problems, *present whether it is
 * there. */
static int load_file(const char *dir, const char *name, const fm_key *keys,
		     const char *list_key, add_fn add, char **html, tc_model *m,
		     tc_diags *d, bool *present)
{
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/%s", dir, name);
	char *src;
	bool missing;
	fm_doc *doc = open_file(tc_buf_cstr(&p), &src, d, &missing);
	*present = !missing;
	rd R = {doc, tc_buf_cstr(&p), d, 0};
	if (missing) {
		tc_buf_free(&p);
		return 0;
	}
	if (!doc || fm_check(doc, fm_root(doc), keys, d)) {
		R.problems++;
	} else {
		json_t *list = json_object_get(fm_root(doc), list_key);
		/* the IDs so far, borrowed from the entries */
		const char **seen =
		    tc_xcalloc(json_array_size(list) + 1, sizeof(char *));
		size_t i;
		json_t *item;
		json_array_foreach (list, i, item) {
			if (i == TC_MAX_TRUST_ENTRIES) {
				char n[32];
				snprintf(n, sizeof n, "%d",
					 TC_MAX_TRUST_ENTRIES);
				at(&R, list, NULL, i,
				   "more than %s entries%s%s", n, "", "");
				break;
			}
			add(&R, m, dir, list, i, item, seen);
		}
		free(seen);
		*html = prose(m->trust, doc, tc_buf_cstr(&p));
	}
	fm_free(doc);
	free(src);
	tc_buf_free(&p);
	return R.problems;
}

int tc_trust_load(const char *dir, tc_model *m, tc_diags *d)
{
	tc_trust *t = m->trust;
	free(t->date);
	t->date = tc_xstrdup(m->date);
	bool certs, subs;
	int bad =
	    load_file(dir, "certificates.md", cert_file_keys, "certificates",
		      add_cert_fn, &t->certs_html, m, d, &certs);
	bad +=
	    load_file(dir, "subprocessors.md", sub_file_keys, "subprocessors",
		      add_sub_fn, &t->subs_html, m, d, &subs);
	if (subs) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/subprocessors.md", dir);
		free(t->subs_file);
		t->subs_file = tc_buf_detach(&p);
	}
	if (t->nsubs) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/subprocessors.md", dir);
		if (t->notice_days < 0) {
			tc_diags_add(d, tc_buf_cstr(&p), 1, 1,
				     "subprocessors are listed, but site.md "
				     "gives no subprocessor_notice_days (the "
				     "days of notice before one is added)");
			bad++;
		}
		if (!*t->contact.dpo_contact) {
			tc_diags_add(d, tc_buf_cstr(&p), 1, 1,
				     "subprocessors are listed, but site.md's "
				     "contact gives no dpo_contact to object "
				     "to (GDPR Art. 28(2))");
			bad++;
		}
		tc_buf_free(&p);
	}
	return bad;
}
