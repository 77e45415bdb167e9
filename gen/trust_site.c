/* trust_site.c: the pages, downloads, feed and security.txt of
 * gen/trust.h (certificates, subprocessors, contact), with the page kit
 * of site_kit.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "countries.h"
#include "export.h"
#include "site_parts.h"
#include "trust.h"

#define CERT_SCHEMA_VERSION 1
#define SUB_SCHEMA_VERSION 1

static const char *lang_code(const tc_lang *l)
{
	return l->code;
}

/* "Cloud servers, Data centers (Falkenstein, Germany)" as a list of
 * {name, place} views. */
static tc_val *names_view(site *S, tc_arena *a, char **ids)
{
	tc_val *l = tc_val_list(a);
	for (char **p = ids; p && *p; p++) {
		const tc_scope *s = tc_model_scope(S->m, *p);
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", *p);
		tc_val_set_str(v, "name", s ? s->name : *p);
		if (s && s->kind == SK_PRODUCT)
			tc_val_set(v, "url",
				   site_url(a, S->lang, R_PRODUCT, *p, NULL));
		const tc_country *c =
		    s && s->country ? tc_country_get(s->country) : NULL;
		if (c || (s && s->city && *s->city))
			tc_val_set(
			    v, "place",
			    tc_val_printf(
				a, "%s%s%s", s->city ? s->city : "",
				s->city && *s->city && c ? ", " : "",
				c ? tc_country_name(c, lang_code(S->lang))
				  : ""));
		tc_val_list_push(l, v);
	}
	return l;
}

/* A date as the page's language writes it (the data keep ISO). */
static tc_val *date_words(tc_arena *a, const tc_lang *l, const char *iso)
{
	tc_buf d = TC_BUF_INIT;
	tc_msg_date(&d, l, iso);
	tc_val *v = tc_val_strdup(a, tc_buf_cstr(&d));
	tc_buf_free(&d);
	return v;
}

static tc_val *cert_view(site *S, tc_arena *a, const tc_certificate *c)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "id", c->id);
	tc_val_set_str(v, "standard", c->standard);
	tc_val_set_str(v, "scope", c->scope);
	tc_val_set_str(v, "issuer", c->issuer);
	tc_val_set_str(v, "number", c->number);
	tc_val_set(v, "valid_from", date_words(a, S->lang, c->valid_from));
	tc_val_set(v, "valid_until", date_words(a, S->lang, c->valid_until));
	tc_val_set_str(v, "state", tc_cert_state_id(c->state));
	/* the keys as literals: test_lang finds the words that are used */
	static const char *const state_key[CS__COUNT] = {
	    "cert.state.valid", "cert.state.renewal-due", "cert.state.expired",
	    "cert.state.withdrawn"};
	tc_val_set(v, "state_words",
		   site_msgf(a, S->lang, state_key[c->state], "date",
			     c->valid_until, NULL));
	tc_val_set_bool(v, "attention", c->state != CS_VALID);
	tc_val_set(v, "products", names_view(S, a, c->products));
	tc_val_set(v, "sites", names_view(S, a, c->sites));
	if (*c->sha256) {
		tc_val_set(
		    v, "file_url",
		    site_url(a, S->lang, R_CERTIFICATE_FILE, c->id, NULL));
		tc_val_set_str(v, "sha256", c->sha256);
	}
	if (*c->url)
		tc_val_set_str(v, "url", c->url);
	tc_val_set(
	    v, "anchor",
	    tc_val_printf(a, "%s#%s", site_rurl(S, R_CERTIFICATES), c->id));
	return v;
}

static const char *country_name(const char *code, const tc_lang *l)
{
	const tc_country *c = tc_country_get(code);
	return c ? tc_country_name(c, lang_code(l)) : code;
}

static tc_val *sub_view(site *S, tc_arena *a, const tc_subprocessor *s)
{
	tc_val *v = tc_val_map(a);
	tc_val_set_str(v, "id", s->id);
	tc_val_set_str(v, "name", s->name);
	tc_val_set_str(v, "entity", s->entity);
	tc_val_set_str(v, "address", s->address);
	tc_val_set_str(v, "country", s->country);
	tc_val_set_str(v, "country_name", country_name(s->country, S->lang));
	tc_val_set_str(v, "purpose", s->purpose);
	tc_val_set(v, "products", names_view(S, a, s->products));
	tc_val_set_str(v, "transfer", tc_transfer_id(s->transfer));
	static const char *const transfer_key[TR__COUNT] = {
	    "transfer.eu-eea", "transfer.adequacy", "transfer.scc"};
	tc_val_set_str(v, "transfer_words",
		       tc_msg(S->lang, transfer_key[s->transfer]));
	tc_val_set_str(v, "since", s->since);
	tc_val_set_str(v, "announced", s->announced);
	tc_val_set_str(v, "until", s->until);
	tc_val_set_str(v, "state", tc_sub_state_id(s->state));
	static const char *const state_key[SS__COUNT] = {
	    "sub.state.current", "sub.state.upcoming", "sub.state.ending",
	    "sub.state.former"};
	tc_val_set(v, "state_words",
		   site_msgf(a, S->lang, state_key[s->state], "since", s->since,
			     "until", s->until, NULL));
	tc_val_set(
	    v, "anchor",
	    tc_val_printf(a, "%s#%s", site_rurl(S, R_SUBPROCESSORS), s->id));
	return v;
}

/* ---- what every page shows: the footer's links ---- */

void site_trust_common(site *S, tc_arena *a, tc_val *st)
{
	const tc_contact *c = &S->m->trust->contact;
	tc_val_set_str(st, "imprint_url", c->imprint);
	tc_val_set_str(st, "privacy_url", c->privacy);
	(void)a;
}

/* ---- the product page's sections ---- */

void site_trust_product(site *S, tc_arena *a, tc_val *v, size_t pi)
{
	const tc_trust *t = S->m->trust;
	const char *id = S->m->scopes[pi].id;
	tc_val *certs = tc_val_list(a), *subs = tc_val_list(a);
	for (size_t i = 0; i < t->ncerts; i++)
		if (tc_cert_covers(&t->certs[i], id))
			tc_val_list_push(certs, cert_view(S, a, &t->certs[i]));
	for (size_t i = 0; i < t->nsubs; i++)
		if (tc_sub_serves(&t->subs[i], id) &&
		    t->subs[i].state != SS_FORMER)
			tc_val_list_push(subs, sub_view(S, a, &t->subs[i]));
	tc_val_set(v, "certs", certs);
	tc_val_set(v, "subs", subs);
	tc_val_set_bool(v, "has_certs", tc_val_len(certs) > 0);
	tc_val_set_bool(v, "has_subs", tc_val_len(subs) > 0);
}

/* ---- the data ---- */

static json_t *ids_json(char **ids)
{
	json_t *l = json_array();
	for (char **p = ids; p && *p; p++)
		json_array_append_new(l, json_string(*p));
	return l;
}

static char *abs_url(const tc_model *m, const tc_lang *l, tc_route r,
		     const char *id)
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, m->base_url);
	tc_route_url(&b, l, r, id, NULL);
	return tc_buf_detach(&b);
}

static json_t *head_json(const tc_model *m, const tc_lang *l,
			 const char *schema, int version, tc_route page)
{
	char *sch = tc_export_schema_url(m, schema);
	char *url = abs_url(m, l, page, NULL);
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "$schema",
			      sch, "schema_version", version, "organisation",
			      m->organisation, "version", m->version, "date",
			      m->date, "base_url", m->base_url, "url", url);
	free(sch);
	free(url);
	return o;
}

static json_t *nullable(const char *s)
{
	return *s ? json_string(s) : json_null();
}

json_t *tc_trust_certificates_json(const tc_model *m, const tc_lang *l)
{
	const tc_trust *t = m->trust;
	json_t *o = head_json(m, l, "certificates", CERT_SCHEMA_VERSION,
			      R_CERTIFICATES);
	json_t *arr = json_array();
	for (size_t i = 0; i < t->ncerts; i++) {
		const tc_certificate *c = &t->certs[i];
		json_t *file = json_null();
		if (*c->sha256) {
			char *u = abs_url(m, l, R_CERTIFICATE_FILE, c->id);
			file = json_pack("{s:s, s:s}", "url", u, "sha256",
					 c->sha256);
			free(u);
		}
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, "
			      "s:s, s:s, s:o, s:o}",
			      "id", c->id, "standard", c->standard, "scope",
			      c->scope, "products", ids_json(c->products),
			      "sites", ids_json(c->sites), "issuer", c->issuer,
			      "number", c->number, "valid_from", c->valid_from,
			      "valid_until", c->valid_until, "status",
			      tc_cert_state_id(c->state), "file", file, "url",
			      nullable(c->url)));
	}
	json_object_set_new(o, "certificates", arr);
	return o;
}

/* The changes to the list, newest first: each addition (on the day it was
 * announced, else the day it took effect) and each removal. */
typedef struct sub_change {
	const tc_subprocessor *s;
	bool added;
	const char *date, *effective;
} sub_change;

static int change_cmp(const void *x, const void *y)
{
	const sub_change *a = x, *b = y;
	int c = strcmp(b->date, a->date);
	if (!c)
		c = strcmp(a->s->id, b->s->id);
	return c ? c : (int)b->added - (int)a->added;
}

static sub_change *sub_changes(const tc_trust *t, size_t *n)
{
	sub_change *v = tc_xcalloc(2 * t->nsubs + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		v[(*n)++] = (sub_change){
		    s, true, *s->announced ? s->announced : s->since, s->since};
		if (*s->until)
			v[(*n)++] = (sub_change){s, false, s->until, s->until};
	}
	qsort(v, *n, sizeof *v, change_cmp);
	return v;
}

json_t *tc_trust_subprocessors_json(const tc_model *m, const tc_lang *l)
{
	const tc_trust *t = m->trust;
	json_t *o = head_json(m, l, "subprocessors", SUB_SCHEMA_VERSION,
			      R_SUBPROCESSORS);
	json_object_set_new(o, "notice_days",
			    t->notice_days >= 0 ? json_integer(t->notice_days)
						: json_null());
	json_object_set_new(o, "objection_contact",
			    nullable(t->contact.dpo_contact));
	json_t *arr = json_array();
	for (size_t i = 0; i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, "
			      "s:s, s:o, s:o, s:s}",
			      "id", s->id, "name", s->name, "entity", s->entity,
			      "address", s->address, "country", s->country,
			      "country_name", country_name(s->country, l),
			      "purpose", s->purpose, "products",
			      ids_json(s->products), "transfer",
			      tc_transfer_id(s->transfer), "since", s->since,
			      "announced", nullable(s->announced), "until",
			      nullable(s->until), "status",
			      tc_sub_state_id(s->state)));
	}
	json_object_set_new(o, "subprocessors", arr);
	size_t n;
	sub_change *ch = sub_changes(t, &n);
	json_t *cl = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    cl, json_pack("{s:s, s:s, s:s, s:s}", "change",
				  ch[i].added ? "added" : "removed",
				  "subprocessor", ch[i].s->id, "date",
				  ch[i].date, "effective", ch[i].effective));
	free(ch);
	json_object_set_new(o, "changes", cl);
	return o;
}

static void csv_row(tc_buf *b, const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			tc_buf_putc(b, ',');
		tc_esc_csv(b, f[i], strlen(f[i]));
	}
	tc_buf_puts(b, "\r\n");
}

/* RFC 4180 with a byte order mark, as api/tom.csv. */
char *tc_trust_subprocessors_csv(const tc_model *m, size_t *len)
{
	static const char *const head[] = {
	    "id",       "name",     "entity", "address",   "country", "purpose",
	    "products", "transfer", "since",  "announced", "until",   "status"};
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "\xEF\xBB\xBF");
	csv_row(&b, head, sizeof head / sizeof head[0]);
	const tc_trust *t = m->trust;
	for (size_t i = 0; i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		tc_buf p = TC_BUF_INIT;
		for (char **q = s->products; q && *q; q++)
			tc_buf_printf(&p, "%s%s", q == s->products ? "" : " ",
				      *q);
		const char *f[] = {s->id,           s->name,
				   s->entity,       s->address,
				   s->country,      s->purpose,
				   tc_buf_cstr(&p), tc_transfer_id(s->transfer),
				   s->since,        s->announced,
				   s->until,        tc_sub_state_id(s->state)};
		csv_row(&b, f, sizeof f / sizeof f[0]);
		tc_buf_free(&p);
	}
	*len = b.len;
	return tc_buf_detach(&b);
}

/* ---- pages ---- */

static void write_certificates(site *S)
{
	const tc_trust *t = S->m->trust;
	tc_arena *a = S->pa;
	tc_val *l = tc_val_list(a);
	for (size_t i = 0; i < t->ncerts; i++)
		tc_val_list_push(l, cert_view(S, a, &t->certs[i]));
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "certs_title"),
			       site_rurl(S, R_CERTIFICATES),
			       tc_msg(S->lang, "certs_description"));
	tc_val_set(ctx, "certs", l);
	tc_val_set_bool(ctx, "has_certs", t->ncerts > 0);
	tc_val_set_str(ctx, "prose_html", t->certs_html ? t->certs_html : "");
	tc_val_set(
	    ctx, "renewal_words",
	    site_msgf_n(a, S->lang, "certs.renewal", TC_RENEWAL_DAYS, NULL));
	site_page(S, "certificates", site_rfile(S, R_CERTIFICATES), ctx);
	site_page_done(S);
	json_t *j = tc_trust_certificates_json(S->m, S->lang);
	site_emit_json(S, site_rfile(S, R_CERTIFICATES_JSON), j);
	json_decref(j);
	if (*S->lang->prefix)
		return;
	for (size_t i = 0; i < t->ncerts; i++) {
		const tc_certificate *c = &t->certs[i];
		if (!c->file_path)
			continue;
		size_t len;
		char *data = tc_read_file(c->file_path, &len);
		tc_buf rel = TC_BUF_INIT;
		tc_route_file(&rel, S->lang, R_CERTIFICATE_FILE, c->id, NULL);
		if (data)
			site_emit(S, tc_buf_cstr(&rel), data, len);
		else {
			tc_diags_add(S->d, c->file_path, 0, 0,
				     "cannot read the certificate's file");
			S->failed = 1;
		}
		free(data);
		tc_buf_free(&rel);
	}
}

static tc_val *changes_view(site *S, tc_arena *a)
{
	size_t n;
	sub_change *ch = sub_changes(S->m->trust, &n);
	tc_val *l = tc_val_list(a);
	for (size_t i = 0; i < n; i++) {
		tc_val *v = tc_val_map(a);
		tc_val_set(v, "sub", sub_view(S, a, ch[i].s));
		tc_val_set_bool(v, "added", ch[i].added);
		tc_val_set_str(v, "date", ch[i].date);
		tc_val_set(v, "date_text", date_words(a, S->lang, ch[i].date));
		tc_val_set_str(v, "effective", ch[i].effective);
		tc_val_set(v, "words",
			   site_msgf(a, S->lang,
				     ch[i].added ? "sub.change.added"
						 : "sub.change.removed",
				     "name", ch[i].s->name, "date",
				     ch[i].effective, NULL));
		tc_val_list_push(l, v);
	}
	free(ch);
	return l;
}

static const char *iso_day(tc_arena *a, const char *date)
{
	return SITE_STR(tc_val_printf(a, "%sT00:00:00Z", date));
}

static const char *absolute(site *S, const char *path)
{
	if (*S->m->base_url)
		return SITE_STR(
		    tc_val_printf(S->pa, "%s%s", S->m->base_url, path));
	return SITE_STR(
	    tc_val_printf(S->pa, "tag:tc.invalid,%.4s:%s", S->m->date, path));
}

/* The feed of subprocessor changes: what a customer subscribes to so as
 * to object in time (GDPR Art. 28(2)). Dated by the data, never the
 * clock. */
static void write_feed(site *S)
{
	tc_arena *a = S->pa;
	size_t n;
	sub_change *ch = sub_changes(S->m->trust, &n);
	const char *page = site_rurl(S, R_SUBPROCESSORS);
	tc_val *entries = tc_val_list(a);
	for (size_t i = 0; i < n; i++) {
		const char *path = SITE_STR(tc_val_printf(
		    a, "%s#%s-%s-%s", page, ch[i].s->id,
		    ch[i].added ? "added" : "removed", ch[i].effective));
		tc_val *e = tc_val_map(a);
		tc_val_set(e, "title",
			   site_msgf(a, S->lang,
				     ch[i].added ? "sub.change.added"
						 : "sub.change.removed",
				     "name", ch[i].s->name, "date",
				     ch[i].effective, NULL));
		tc_val_set_str(e, "id", absolute(S, path));
		tc_val_set_str(e, "url", absolute(S, path));
		tc_val_set_str(e, "updated", iso_day(a, ch[i].date));
		tc_val_set(e, "summary",
			   site_msgf(a, S->lang, "sub.change.summary", "name",
				     ch[i].s->name, "entity", ch[i].s->entity,
				     "country",
				     country_name(ch[i].s->country, S->lang),
				     "purpose", ch[i].s->purpose, NULL));
		tc_val_list_push(entries, e);
	}
	tc_val *ctx = tc_val_map(a);
	const char *self = site_rurl(S, R_SUBPROCESSORS_ATOM);
	tc_val_set(ctx, "title",
		   site_msgf(a, S->lang, "sub.feed_title", "site",
			     SITE_STR(tc_val_printf(
				 a, "%s %s", S->m->organisation, S->m->title)),
			     NULL));
	tc_val_set_str(ctx, "feed_id", absolute(S, self));
	tc_val_set_str(ctx, "self_url", absolute(S, self));
	tc_val_set_str(ctx, "html_url", absolute(S, page));
	tc_val_set_str(ctx, "updated", iso_day(a, n ? ch[0].date : S->m->date));
	tc_val_set(ctx, "entries", entries);
	free(ch);
	site_page(S, "atom", site_rfile(S, R_SUBPROCESSORS_ATOM), ctx);
	site_page_done(S);
}

static void write_subprocessors(site *S)
{
	const tc_trust *t = S->m->trust;
	tc_arena *a = S->pa;
	tc_val *lists[SS__COUNT];
	for (int k = 0; k < SS__COUNT; k++)
		lists[k] = tc_val_list(a);
	for (size_t i = 0; i < t->nsubs; i++)
		tc_val_list_push(
		    lists[t->subs[i].state == SS_ENDING ? SS_CURRENT
							: t->subs[i].state],
		    sub_view(S, a, &t->subs[i]));
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "subs_title"),
			       site_rurl(S, R_SUBPROCESSORS),
			       tc_msg(S->lang, "subs_description"));
	tc_val_set(ctx, "current", lists[SS_CURRENT]);
	tc_val_set(ctx, "upcoming", lists[SS_UPCOMING]);
	tc_val_set(ctx, "former", lists[SS_FORMER]);
	tc_val_set_bool(ctx, "has_subs", t->nsubs > 0);
	tc_val_set_bool(ctx, "has_current", tc_val_len(lists[SS_CURRENT]));
	tc_val_set_bool(ctx, "has_upcoming", tc_val_len(lists[SS_UPCOMING]));
	tc_val_set_bool(ctx, "has_former", tc_val_len(lists[SS_FORMER]));
	tc_val_set(ctx, "changes", changes_view(S, a));
	const char *dc = t->contact.dpo_contact;
	if (t->notice_days >= 0)
		tc_val_set(ctx, "notice_words",
			   site_msgf_n(a, S->lang, "subs.notice",
				       (size_t)t->notice_days, "contact",
				       !strncmp(dc, "mailto:", 7) ? dc + 7 : dc,
				       NULL));
	tc_val_set_str(ctx, "objection_contact", t->contact.dpo_contact);
	tc_val_set_str(ctx, "prose_html", t->subs_html ? t->subs_html : "");
	site_page(S, "subprocessors", site_rfile(S, R_SUBPROCESSORS), ctx);
	site_page_done(S);
	json_t *j = tc_trust_subprocessors_json(S->m, S->lang);
	site_emit_json(S, site_rfile(S, R_SUBPROCESSORS_JSON), j);
	json_decref(j);
	size_t len;
	char *csv = tc_trust_subprocessors_csv(S->m, &len);
	site_emit(S, site_rfile(S, R_SUBPROCESSORS_CSV), csv, len);
	free(csv);
	write_feed(S);
}

/* A contact value as a link: its href and its words ("mailto:x@y" shows
 * "x@y"). */
static tc_val *link_view(tc_arena *a, const char *v)
{
	if (!*v)
		return NULL;
	tc_val *l = tc_val_map(a);
	tc_val_set_str(l, "href", v);
	const char *shown = !strncmp(v, "mailto:", 7) ? v + 7
			    : !strncmp(v, "tel:", 4)  ? v + 4
						      : v;
	tc_val_set_str(l, "text", shown);
	return l;
}

static void set_link(tc_arena *a, tc_val *ctx, const char *key, const char *v)
{
	tc_val *l = link_view(a, v);
	if (l)
		tc_val_set(ctx, key, l);
}

/* What a visitor of the site is owed and site.md does not give: a privacy
 * notice (visiting is processing: the server logs addresses, GDPR Art.
 * 13), and on a German site an Impressum (§ 5 DDG). Said once per build,
 * by the first language; the site is written all the same. */
static void warn_contact(const site *S, const tc_contact *c)
{
	const char *file = S->m->site_file ? S->m->site_file : "site.md";
	if (*S->lang->prefix)
		return;
	if (!*c->privacy)
		fprintf(stderr,
			"%s: warning: contact gives no privacy notice "
			"(privacy: https://...): visiting the trust center is "
			"a processing of personal data (server logs), which "
			"GDPR Art. 13 asks to be explained; every page's "
			"footer links it once given\n",
			file);
	bool german = false;
	size_t n;
	const tc_lang *all = tc_lang_all(S->lang, &n);
	for (size_t i = 0; i < n; i++)
		german |= !strcmp(all[i].code, "de");
	if (german && !*c->imprint)
		fprintf(
		    stderr,
		    "%s: warning: contact gives no imprint (imprint: "
		    "https://...): a German business website needs an "
		    "Impressum (§ 5 DDG); every page's footer links it once "
		    "given\n",
		    file);
}

static void write_contact(site *S)
{
	const tc_trust *t = S->m->trust;
	const tc_contact *c = &t->contact;
	tc_arena *a = S->pa;
	warn_contact(S, c);
	tc_val *ctx = site_ctx(S, a, tc_msg(S->lang, "contact_title"),
			       site_rurl(S, R_CONTACT),
			       tc_msg(S->lang, "contact_description"));
	set_link(a, ctx, "security", c->security);
	set_link(a, ctx, "policy", c->policy);
	set_link(a, ctx, "dpo_contact", c->dpo_contact);
	set_link(a, ctx, "imprint", c->imprint);
	set_link(a, ctx, "privacy", c->privacy);
	tc_val_set_str(ctx, "dpo", c->dpo);
	tc_val_set_bool(ctx, "security_txt", *c->security != '\0');
	tc_val *places = tc_val_list(a);
	for (size_t i = 0; i < S->m->nscopes; i++) {
		const tc_scope *s = &S->m->scopes[i];
		if (s->kind != SK_SITE)
			continue;
		const tc_country *k =
		    s->country ? tc_country_get(s->country) : NULL;
		tc_val *v = tc_val_map(a);
		tc_val_set_str(v, "id", s->id);
		tc_val_set_str(v, "name", s->name);
		tc_val_set_str(v, "city", s->city ? s->city : "");
		tc_val_set_str(v, "country",
			       k ? tc_country_name(k, lang_code(S->lang)) : "");
		tc_val_set_bool(v, "known", k || (s->city && *s->city));
		tc_val_list_push(places, v);
	}
	tc_val_set(ctx, "places", places);
	site_page(S, "contact", site_rfile(S, R_CONTACT), ctx);
	site_page_done(S);
}

/* RFC 9116: written when site.md gives a security contact, with the
 * languages of the site, its canonical URL when the base URL is known,
 * and an expiry within a year of the content's date (a site left
 * unbuilt for a year stops claiming the contact is current). */
char *tc_trust_security_txt(const tc_model *m, size_t *len)
{
	const tc_contact *c = &m->trust->contact;
	if (!*c->security)
		return NULL;
	char expires[11];
	tc_date_add(m->date, 364, expires);
	tc_buf b = TC_BUF_INIT;
	/* a comment of one line, whatever the names hold */
	tc_buf name = TC_BUF_INIT;
	tc_buf_printf(&name, "%s %s", m->organisation, m->title);
	for (size_t i = 0; i < name.len; i++)
		if ((unsigned char)name.data[i] < 0x20)
			name.data[i] = ' ';
	tc_buf_printf(&b,
		      "# %s: written by tc-gen from site.md\n"
		      "Contact: %s\nExpires: %sT00:00:00.000Z\n"
		      "Preferred-Languages: ",
		      tc_buf_cstr(&name), c->security, expires);
	tc_buf_free(&name);
	for (size_t i = 0; i < m->nlanguages; i++)
		tc_buf_printf(&b, "%s%s", i ? ", " : "", m->languages[i]);
	tc_buf_putc(&b, '\n');
	if (*m->base_url) {
		tc_buf_puts(&b, "Canonical: ");
		tc_buf_puts(&b, m->base_url);
		/* one for all languages: no prefix */
		tc_route_url(&b, tc_lang_default(), R_SECURITY_TXT, NULL, NULL);
		tc_buf_putc(&b, '\n');
	}
	if (*c->policy)
		tc_buf_printf(&b, "Policy: %s\n", c->policy);
	*len = b.len;
	return tc_buf_detach(&b);
}

void site_write_trust(site *S)
{
	write_certificates(S);
	write_subprocessors(S);
	write_contact(S);
	if (*S->lang->prefix)
		return;
	size_t len;
	char *txt = tc_trust_security_txt(S->m, &len);
	if (txt)
		site_emit(S, site_rfile(S, R_SECURITY_TXT), txt, len);
	free(txt);
}
