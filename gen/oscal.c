#include "oscal.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/lang.h"
#include "../lib/routes.h"
#include "export.h"

/* Roles of the component-definitions: who carries a measure out. */
#define ROLE_PROVIDER "provider"
#define ROLE_CUSTOMER "customer"

void tc_oscal_uuid(const tc_model *m, const char *name, char out[37])
{
	/* Like a version 5 UUID (a hash of a namespace and a name), but with
	 * the version nibble 4 that OSCAL 1.0.0's pattern requires. */
	tc_buf in = TC_BUF_INIT;
	tc_buf_printf(&in, "tc-oscal\n%s\n%s", m->base_url, name);
	/* fetched once: OpenSSL 3 looks an algorithm up again on every
	 * EVP_Digest given EVP_sha1(), most of the cost of a short input,
	 * and a product's file takes two UUIDs per measure */
	static EVP_MD *sha1;
	if (!sha1)
		sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!sha1 || !EVP_Digest(in.data, in.len, md, &n, sha1, NULL) || n < 16)
		abort(); /* no SHA-1 at all: nothing sensible to write */
	tc_buf_free(&in);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x40);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[md[i] >> 4];
		*o++ = hex[md[i] & 15];
	}
	*o = '\0';
}

static json_t *uuid_json(const tc_model *m, const char *fmt, const char *a,
			 const char *b)
{
	tc_buf name = TC_BUF_INIT;
	tc_buf_printf(&name, fmt, a, b ? b : "");
	char u[37];
	tc_oscal_uuid(m, tc_buf_cstr(&name), u);
	tc_buf_free(&name);
	return json_string(u);
}

/* OSCAL's strings for values ("^\S(.*\S)?$"): one line, trimmed. NULL when
 * nothing is left, so the caller leaves the property out. */
static char *token_value(const char *s)
{
	tc_buf b = TC_BUF_INIT;
	int space = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space)
			tc_buf_putc(&b, ' ');
		space = 0;
		tc_buf_putc(&b, *s);
	}
	if (!b.len) {
		tc_buf_free(&b);
		return NULL;
	}
	return tc_buf_detach(&b);
}

/* Our own props carry our namespace: the site's data (OSCAL's "ns"). */
static void prop(const tc_model *m, const tc_lang *l, json_t *props,
		 const char *name, const char *cls, const char *value)
{
	char *v = token_value(value);
	if (!v)
		return;
	json_t *p = json_pack("{s:s, s:s}", "name", name, "value", v);
	if (*m->base_url) {
		tc_buf ns = TC_BUF_INIT;
		tc_buf_puts(&ns, m->base_url);
		tc_route_url(&ns, l, R_API, NULL, NULL);
		json_object_set_new(p, "ns", json_string(tc_buf_cstr(&ns)));
		tc_buf_free(&ns);
	}
	if (cls)
		json_object_set_new(p, "class", json_string(cls));
	json_array_append_new(props, p);
	free(v);
}

static json_t *link_json(const tc_model *m, const tc_lang *l, const char *rel,
			 tc_route r, const char *a, const char *frag)
{
	tc_buf u = TC_BUF_INIT;
	tc_buf_puts(&u, m->base_url);
	tc_route_url(&u, l, r, a, NULL);
	if (frag)
		tc_buf_printf(&u, "#%s", frag);
	json_t *o =
	    json_pack("{s:s, s:s}", "href", tc_buf_cstr(&u), "rel", rel);
	tc_buf_free(&u);
	return o;
}

static void mapping_props(const tc_model *m, const tc_lang *l, json_t *props,
			  const tc_measure *me)
{
	for (size_t i = 0; i < me->nmaps; i++)
		for (size_t k = 0; k < me->maps[i].ncontrols; k++)
			prop(m, l, props, "mapping", me->maps[i].framework,
			     me->maps[i].controls[k]);
}

static json_t *metadata(const tc_model *m, const tc_lang *l, const char *title)
{
	tc_buf t = TC_BUF_INIT;
	tc_buf_printf(&t, "%sT00:00:00Z", m->date);
	/* the roles' IDs are OSCAL's keys; their titles and descriptions
	 * are words of the language (templates/i18n: "oscal.*") */
	json_t *md = json_pack(
	    "{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}], "
	    "s:[{s:o, s:s, s:s}]}",
	    "title", title, "last-modified", tc_buf_cstr(&t), "version",
	    m->version, "oscal-version", TC_OSCAL_VERSION, "roles", "id",
	    ROLE_PROVIDER, "title", tc_msg(l, "oscal.role.provider"),
	    "description", tc_msg(l, "oscal.role.provider.description"), "id",
	    ROLE_CUSTOMER, "title", tc_msg(l, "oscal.role.customer"),
	    "description", tc_msg(l, "oscal.role.customer.description"),
	    "parties", "uuid", uuid_json(m, "party/provider", "", NULL), "type",
	    "organization", "name", m->organisation);
	json_t *links = json_array();
	json_array_append_new(
	    links, link_json(m, l, "alternate", R_TOM_JSON, NULL, NULL));
	json_object_set_new(json_array_get(links, 0), "media-type",
			    json_string("application/json"));
	json_object_set_new(md, "links", links);
	tc_buf_free(&t);
	return md;
}

/* ---- the catalog ---- */

static json_t *control(const tc_model *m, const tc_lang *l,
		       const tc_category *c, const tc_measure *me)
{
	json_t *props = json_array();
	prop(m, l, props, "label", NULL, me->id);
	prop(m, l, props, "table", NULL, tc_table_kind(&c->tables[me->table]));
	if (me->client_duty)
		prop(m, l, props, "client-duty", NULL, "true");
	mapping_props(m, l, props, me);
	tc_buf part = TC_BUF_INIT;
	tc_buf_printf(&part, "%s_smt", me->id);
	json_t *ctl = json_pack(
	    "{s:s, s:s, s:s, s:o, s:[o], s:[{s:s, s:s, s:s}]}", "id", me->id,
	    "class", "measure", "title", me->text_data, "props", props, "links",
	    link_json(m, l, "reference", R_CATEGORY, c->id, me->id), "parts",
	    "id", tc_buf_cstr(&part), "name", "statement", "prose",
	    me->text_data);
	tc_buf_free(&part);
	return ctl;
}

json_t *tc_oscal_catalog(const tc_model *m, const tc_lang *l,
			 const char *tom_sha256)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		json_t *ctls = json_array();
		for (size_t k = 0; k < c->nmeasures; k++)
			json_array_append_new(
			    ctls, control(m, l, c, &c->measures[k]));
		json_t *g = json_pack(
		    "{s:s, s:s, s:s, s:[o]}", "id", c->id, "class", "category",
		    "title", c->title, "links",
		    link_json(m, l, "reference", R_CATEGORY, c->id, NULL));
		if (*c->description)
			json_object_set_new(g, "parts",
					    json_pack("[{s:s, s:s}]", "name",
						      "overview", "prose",
						      c->description));
		json_object_set_new(g, "controls", ctls);
		json_array_append_new(groups, g);
	}
	tc_buf title = TC_BUF_INIT;
	tc_msgf(&title, l, "oscal.title", "organisation", m->organisation,
		NULL);
	json_t *cat =
	    json_pack("{s:{s:o, s:o, s:o}}", "catalog", "uuid",
		      uuid_json(m, "catalog/%s", tom_sha256, NULL), "metadata",
		      metadata(m, l, tc_buf_cstr(&title)), "groups", groups);
	tc_buf_free(&title);
	return cat;
}

/* ---- a product's component-definition ---- */

/* Who carries a measure out, as OSCAL roles: shared is both; none (not
 * applicable, not provided) is nobody, and has no responsible-roles; nor
 * has see-product: the product's description says who, and naming the
 * provider here would claim what the TOMs do not. */
static json_t *roles(const char *party, tc_resp r)
{
	json_t *l = json_array();
	if (r == RS_PROVIDER || r == RS_SHARED)
		json_array_append_new(l, json_pack("{s:s, s:[s]}", "role-id",
						   ROLE_PROVIDER, "party-uuids",
						   party));
	if (r == RS_CLIENT || r == RS_SHARED)
		json_array_append_new(
		    l, json_pack("{s:s}", "role-id", ROLE_CUSTOMER));
	return l;
}

/* The cells the product rule shows for the product (its own, the row's
 * site and organisation cells, and its internal ones, labelled as no
 * answer for the product): as props keyed by scope, and as text. */
static void cells(const tc_model *m, const tc_lang *l, const tc_category *c,
		  const tc_measure *me, size_t product, json_t *props,
		  tc_buf *text)
{
	const tc_table *t = &c->tables[me->table];
	for (size_t i = 0; i < t->nscopes; i++) {
		const tc_cell *cell = &me->cells[i];
		tc_cell_role role = tc_measure_role(m, c, me, i, product);
		if (role == CR_OTHER)
			continue;
		const tc_scope *sc = &m->scopes[t->scopes[i]];
		prop(m, l, props, "status", sc->id, tc_status_id(cell->status));
		prop(m, l, props, "cell-responsibility", sc->id,
		     tc_resp_id(cell->resp));
		prop(m, l, props, "mark", sc->id, cell->label);
		prop(m, l, props, "note", sc->id, cell->note_data);
		tc_buf mk = TC_BUF_INIT;
		tc_buf_printf(&mk, "%s%s%s",
			      tc_mark_shown(l, tc_model_marks(m), cell->label,
					    cell->status),
			      *cell->note_data ? " " : "", cell->note_data);
		if (text->len)
			tc_buf_putc(text, ' ');
		tc_msgf(text, l,
			role == CR_INTERNAL ? "oscal.cell_internal"
					    : "oscal.cell",
			"scope", sc->name, "mark", tc_buf_cstr(&mk), "status",
			tc_status_title(l, cell->status), "resp",
			tc_resp_phrase(l, cell->resp), NULL);
		tc_buf_free(&mk);
	}
}

static json_t *requirement(const tc_model *m, const tc_lang *l,
			   const tc_category *c, const tc_measure *me,
			   size_t product, const char *party)
{
	const tc_scope *p = &m->scopes[product];
	tc_resp r = tc_measure_resp(m, c, me, product);
	json_t *props = json_array(), *sprops = json_array();
	prop(m, l, props, "responsibility", NULL, tc_resp_id(r));
	mapping_props(m, l, props, me);
	tc_buf text = TC_BUF_INIT, desc = TC_BUF_INIT, sid = TC_BUF_INIT;
	cells(m, l, c, me, product, sprops, &text);
	tc_msgf(&desc, l, "oscal.requirement", "text", me->text_data, "product",
		p->name, "resp", tc_resp_phrase(l, r), NULL);
	tc_buf_printf(&sid, "%s_smt", me->id);
	json_t *smt =
	    json_pack("{s:s, s:o, s:s}", "statement-id", tc_buf_cstr(&sid),
		      "uuid", uuid_json(m, "statement/%s/%s", p->id, me->id),
		      "description", tc_buf_cstr(&text));
	if (json_array_size(sprops))
		json_object_set(smt, "props", sprops);
	json_t *ir = json_pack(
	    "{s:o, s:s, s:s, s:o, s:[o]}", "uuid",
	    uuid_json(m, "requirement/%s/%s", p->id, me->id), "control-id",
	    me->id, "description", tc_buf_cstr(&desc), "props", props, "links",
	    link_json(m, l, "reference", R_CATEGORY, c->id, me->id));
	json_t *rl = roles(party, r);
	if (json_array_size(rl))
		json_object_set(ir, "responsible-roles", rl);
	json_decref(rl);
	json_object_set_new(ir, "statements", json_pack("[o]", smt));
	json_decref(sprops);
	tc_buf_free(&text);
	tc_buf_free(&desc);
	tc_buf_free(&sid);
	return ir;
}

json_t *tc_oscal_component(const tc_model *m, const tc_lang *l, size_t product,
			   const char *tom_sha256)
{
	const tc_scope *p = &m->scopes[product];
	char party[37];
	tc_oscal_uuid(m, "party/provider", party);
	json_t *reqs = json_array();
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		for (size_t k = 0; k < c->nmeasures; k++)
			if (tc_measure_concerns(m, c, &c->measures[k], product))
				json_array_append_new(
				    reqs, requirement(m, l, c, &c->measures[k],
						      product, party));
	}
	tc_buf title = TC_BUF_INIT, src = TC_BUF_INIT, desc = TC_BUF_INIT;
	tc_msgf(&title, l, "oscal.product_title", "organisation",
		m->organisation, "product", p->name, NULL);
	tc_buf_puts(&src, m->base_url);
	tc_route_url(&src, l, R_OSCAL_CATALOG, NULL, NULL);
	tc_msgf(&desc, l, "oscal.implementation", "product", p->name, NULL);
	json_t *props = json_array();
	prop(m, l, props, "managed", NULL, p->managed ? "true" : "false");
	json_t *comp = json_pack(
	    "{s:o, s:s, s:s, s:s, s:o, s:[o], s:o, s:[{s:o, s:s, s:s, s:o}]}",
	    "uuid", uuid_json(m, "component/%s", p->id, NULL), "type",
	    "service", "title", p->name, "description",
	    *p->description ? p->description : p->name, "props", props, "links",
	    link_json(m, l, "reference", R_PRODUCT, p->id, NULL),
	    "responsible-roles", roles(party, RS_PROVIDER),
	    "control-implementations", "uuid",
	    uuid_json(m, "implementation/%s", p->id, NULL), "source",
	    tc_buf_cstr(&src), "description", tc_buf_cstr(&desc),
	    "implemented-requirements", reqs);
	json_t *doc = json_pack(
	    "{s:{s:o, s:o, s:[o]}}", "component-definition", "uuid",
	    uuid_json(m, "component-definition/%s/%s", p->id, tom_sha256),
	    "metadata", metadata(m, l, tc_buf_cstr(&title)), "components",
	    comp);
	tc_buf_free(&title);
	tc_buf_free(&src);
	tc_buf_free(&desc);
	return doc;
}
