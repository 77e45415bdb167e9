#include "annex.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/escape.h"
#include "../lib/indexfmt.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/routes.h"
#include "../lib/sha256.h"
#include "../lib/text.h"
#include "../lib/tomdata.h"
#include "params.h"
#include "search.h"

static tc_pdf_fonts *g_fonts; /* ts_annex_fonts_init */

static const struct {
	const char *name;  /* in the form */
	const char *label; /* its label, in messages (templates/i18n) */
	size_t max;
} fields[AF__COUNT] = {
    [AF_PRODUCT] = {"product", "dpa_f_products", TS_ANNEX_MAX_ID},
    [AF_VERSION] = {"version", "dpa_f_version", TS_ANNEX_MAX_ID},
    [AF_NAME] = {"name", "dpa_f_name", TS_ANNEX_MAX_NAME},
    [AF_ADDRESS] = {"address", "dpa_f_address", TS_ANNEX_MAX_ADDRESS},
    [AF_CONTACT] = {"contact", "dpa_f_contact", TS_ANNEX_MAX_CONTACT},
    [AF_EMAIL] = {"email", "dpa_f_email", TS_ANNEX_MAX_EMAIL},
    [AF_NUMBER] = {"number", "dpa_f_number", TS_ANNEX_MAX_NUMBER},
    [AF_DATE] = {"date", "dpa_f_date", 10},
    [AF_LANG] = {"lang", "dpa_f_lang", TS_ANNEX_MAX_ID},
};

const char *ts_annex_field_name(ts_annex_field f)
{
	return f >= 0 && f < AF__COUNT ? fields[f].name : "";
}

size_t ts_annex_field_max(ts_annex_field f)
{
	return f >= 0 && f < AF__COUNT ? fields[f].max : 0;
}

static int fail(ts_annex_error *e, ts_annex_err code, ts_annex_field f,
		long max)
{
	if (e->code == AE_OK) {
		e->code = code;
		e->field = f;
		e->max = max;
	}
	return -1;
}

/* A character a document must not carry: C0 and C1 controls and DEL
 * (line breaks only where allowed), and the bidirectional embeddings,
 * overrides and isolates, which would show other text than the bytes
 * the document ID is made of. */
static bool forbidden(unsigned cp, bool breaks)
{
	if (breaks && cp == '\n')
		return false;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Checks and normalises one decoded value in place (b): UTF-8, no
 * forbidden character, CR LF and CR as LF in the address, spaces trimmed
 * at both ends (of each line of the address), its length and lines. */
static int clean(tc_buf *b, ts_annex_field f, ts_annex_error *e)
{
	bool breaks = f == AF_ADDRESS;
	if (!tc_utf8_valid(b->data ? b->data : "", b->len))
		return fail(e, AE_UTF8, f, 0);
	tc_buf out = TC_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < b->len;) {
		unsigned cp = 0;
		size_t k = tc_utf8_decode(b->data + i, b->len - i, &cp);
		if (!k)
			k = 1; /* cannot happen: valid above */
		if (breaks && cp == '\r') {
			cp = '\n';
			if (i + 1 < b->len && b->data[i + 1] == '\n')
				k = 2;
		}
		if (forbidden(cp, breaks)) {
			rc = fail(e, AE_CONTROL, f, 0);
			break;
		}
		if (cp == '\n') {
			/* no spaces at a line's end */
			while (out.len && out.data[out.len - 1] == ' ')
				out.len--;
			tc_buf_putc(&out, '\n');
		} else if (cp == ' ' &&
			   (!out.len || out.data[out.len - 1] == '\n')) {
			/* nor at its start */
		} else {
			tc_buf_put(&out, b->data + i, k);
		}
		i += k;
	}
	while (rc == 0 && out.len &&
	       (out.data[out.len - 1] == ' ' || out.data[out.len - 1] == '\n'))
		out.len--;
	size_t lines = out.len ? 1 : 0;
	for (size_t i = 0; i < out.len; i++)
		lines += out.data[i] == '\n';
	if (rc == 0 && out.len > fields[f].max)
		rc = fail(e, AE_LONG, f, (long)fields[f].max);
	if (rc == 0 && breaks && lines > TS_ANNEX_MAX_ADDRESS_LINES)
		rc = fail(e, AE_LINES, f, TS_ANNEX_MAX_ADDRESS_LINES);
	tc_buf_clear(b);
	tc_buf_put(b, out.data ? out.data : "", out.len);
	tc_buf_free(&out);
	return rc;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* YYYY-MM-DD, a day of the Gregorian calendar, year 1000 to 9999. */
static bool is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
	    !digits(s + 5, 2) || !digits(s + 8, 2))
		return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (y < 1000 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* local@domain.tld, as much as a form can tell: one '@', no spaces, a dot
 * in the domain between letters. */
static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strchr(s, ' '))
		return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

static int pair(const char *s, size_t n, ts_annex_form *f, ts_annex_error *e)
{
	const char *eq = memchr(s, '=', n);
	size_t nn = eq ? (size_t)(eq - s) : n;
	tc_buf name = TC_BUF_INIT, val = TC_BUF_INIT;
	int rc = 0;
	ts_annex_field fl = AF_NONE;
	if (ts_percent_decode(s, nn, &name) < 0 ||
	    (eq && ts_percent_decode(eq + 1, n - nn - 1, &val) < 0)) {
		rc = fail(e, AE_ENCODING, AF_NONE, 0);
		goto out;
	}
	for (int i = 0; i < AF__COUNT; i++)
		if (strlen(fields[i].name) == name.len &&
		    !memcmp(fields[i].name, name.data, name.len))
			fl = (ts_annex_field)i;
	if (fl == AF_NONE) {
		if (e->code == AE_OK) {
			/* quoted escaped, as much as fits, by whole
			 * characters and escapes (found by fuzz_annexform:
			 * a cut letter was not UTF-8) */
			tc_buf q = TC_BUF_INIT, one = TC_BUF_INIT;
			for (size_t i = 0; i < name.len;) {
				size_t k =
				    tc_utf8_len(name.data + i, name.len - i);
				k = k ? k : 1;
				tc_buf_clear(&one);
				tc_esc_log(&one, name.data + i, k);
				if (q.len + one.len >= sizeof e->name)
					break;
				tc_buf_put(&q, one.data, one.len);
				i += k;
			}
			snprintf(e->name, sizeof e->name, "%s",
				 tc_buf_cstr(&q));
			tc_buf_free(&q);
			tc_buf_free(&one);
		}
		rc = fail(e, AE_UNKNOWN, AF_NONE, 0);
		goto out;
	}
	/* a value many times its limit is refused before it is looked at */
	if (val.len > 4 * fields[fl].max + 64) {
		rc = fail(e, AE_LONG, fl, (long)fields[fl].max);
		goto out;
	}
	if (clean(&val, fl, e) < 0) {
		rc = -1;
		goto out;
	}
	if (fl == AF_PRODUCT) {
		if (f->nproducts >= TS_ANNEX_MAX_PRODUCTS) {
			rc = fail(e, AE_MANY, fl, TS_ANNEX_MAX_PRODUCTS);
			goto out;
		}
		for (size_t i = 0; i < f->nproducts; i++)
			if (!strcmp(f->products[i], tc_buf_cstr(&val))) {
				rc = fail(e, AE_TWICE, fl, 0);
				goto out;
			}
		if (!val.len) /* an empty checkbox value: no product */
			goto out;
		f->products = tc_xrealloc(f->products, (f->nproducts + 1) *
							   sizeof *f->products);
		f->products[f->nproducts++] = tc_buf_detach(&val);
		goto out;
	}
	if (f->v[fl]) {
		rc = fail(e, AE_TWICE, fl, 0);
		goto out;
	}
	f->v[fl] = tc_xstrdup(tc_buf_cstr(&val));
out:
	tc_buf_free(&name);
	tc_buf_free(&val);
	return rc;
}

int ts_annex_form_parse(const char *body, size_t n, ts_annex_form *f,
			ts_annex_error *e)
{
	memset(f, 0, sizeof *f);
	memset(e, 0, sizeof *e);
	e->field = AF_NONE;
	if (n > TS_ANNEX_MAX_BODY)
		return fail(e, AE_BODY, AF_NONE, TS_ANNEX_MAX_BODY);
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(body + i, '&', n - i);
		size_t k = amp ? (size_t)(amp - (body + i)) : n - i;
		if (k)
			pair(body + i, k, f, e);
		i += k + 1;
	}
	if (e->code != AE_OK)
		return -1;
	if (!f->v[AF_NAME] || !*f->v[AF_NAME])
		return fail(e, AE_REQUIRED, AF_NAME, 0);
	if (!f->nproducts)
		return fail(e, AE_REQUIRED, AF_PRODUCT, 0);
	if (f->v[AF_EMAIL] && *f->v[AF_EMAIL] && !is_email(f->v[AF_EMAIL]))
		return fail(e, AE_EMAIL, AF_EMAIL, 0);
	if (f->v[AF_DATE] && *f->v[AF_DATE] && !is_date(f->v[AF_DATE]))
		return fail(e, AE_DATE, AF_DATE, 0);
	return 0;
}

void ts_annex_form_free(ts_annex_form *f)
{
	for (int i = 0; i < AF__COUNT; i++)
		free(f->v[i]);
	for (size_t i = 0; i < f->nproducts; i++)
		free(f->products[i]);
	free(f->products);
	memset(f, 0, sizeof *f);
}

int ts_annex_form_check(const ts_annex_form *f, json_t *catalog,
			json_t *versions, json_t **version, tc_buf *products,
			ts_annex_error *e)
{
	memset(e, 0, sizeof *e);
	e->field = AF_NONE;
	/* every product chosen must be one of the data set's */
	for (size_t k = 0; k < f->nproducts; k++) {
		json_t *s = tc_tom_scope(catalog, f->products[k]);
		const char *kind =
		    json_string_value(json_object_get(s, "kind"));
		if (!kind || strcmp(kind, "product"))
			return fail(e, AE_PRODUCT, AF_PRODUCT, 0);
	}
	/* in the data set's order, so that the order chosen in does not
	 * matter */
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(catalog, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		for (size_t k = 0; id && k < f->nproducts; k++)
			if (!strcmp(f->products[k], id)) {
				if (products->len)
					tc_buf_putc(products, ',');
				tc_buf_puts(products, id);
			}
	}
	const char *want = f->v[AF_VERSION] && *f->v[AF_VERSION]
			       ? f->v[AF_VERSION]
			       : "current";
	*version = NULL;
	json_t *v;
	json_array_foreach (versions, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		if (id && !strcmp(id, want))
			*version = v;
	}
	if (!*version)
		return fail(e, AE_VERSION, AF_VERSION, 0);
	const char *vdate =
	    json_string_value(json_object_get(*version, "date"));
	const char *d = f->v[AF_DATE];
	if (d && *d && vdate && strcmp(d, vdate) < 0) {
		snprintf(e->date, sizeof e->date, "%s", vdate);
		return fail(e, AE_DATE_EARLY, AF_DATE, 0);
	}
	return 0;
}

void ts_annex_error_text(const tc_lang *l, const ts_annex_error *e, tc_buf *out)
{
	static const char *keys[] = {
	    [AE_REQUIRED] = "dpa.err.required",
	    [AE_LONG] = "dpa.err.long",
	    [AE_UTF8] = "dpa.err.utf8",
	    [AE_CONTROL] = "dpa.err.control",
	    [AE_LINES] = "dpa.err.lines",
	    [AE_TWICE] = "dpa.err.twice",
	    [AE_PRODUCT] = "dpa.err.product",
	    [AE_MANY] = "dpa.err.many",
	    [AE_VERSION] = "dpa.err.version",
	    [AE_EMAIL] = "dpa.err.email",
	    [AE_DATE] = "dpa.err.date",
	    [AE_DATE_EARLY] = "dpa.err.date_early",
	    [AE_LANG] = "dpa.err.lang",
	    [AE_UNKNOWN] = "dpa.err.unknown",
	    [AE_ENCODING] = "dpa.err.encoding",
	    [AE_TYPE] = "dpa.err.type",
	    [AE_BODY] = "dpa.err.body",
	};
	if (e->code <= AE_OK || e->code > AE_BODY)
		return;
	char max[32];
	snprintf(max, sizeof max, "%ld", e->max);
	const char *label = e->field >= 0 && e->field < AF__COUNT
				? tc_msg(l, fields[e->field].label)
				: "";
	tc_msgf(out, l, keys[e->code], "field", label, "max", max, "date",
		e->date, "name", e->name, NULL);
}

/* name LEN:BYTES LF: a value with its length, so no value can pass for
 * another's end. */
static void put_field(tc_buf *b, const char *key, const char *v)
{
	v = v ? v : "";
	tc_buf_printf(b, "%s %zu:", key, strlen(v));
	tc_buf_puts(b, v);
	tc_buf_putc(b, '\n');
}

void ts_annex_doc_id(const ts_annex_form *f, const char *sha256,
		     const char *version, const char *lang, const char *date,
		     const char *products, char out[65])
{
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "tc-annex-id 1\n");
	put_field(&b, "sha256", sha256);
	put_field(&b, "version", version);
	put_field(&b, "lang", lang);
	put_field(&b, "date", date);
	put_field(&b, "products", products);
	for (int i = AF_NAME; i <= AF_NUMBER; i++)
		put_field(&b, fields[i].name, f->v[i]);
	tc_sha256_hex(b.data, b.len, out);
	tc_buf_free(&b);
}

/* ---- the document ---- */

/* The products' names, ", "-separated, in the data set's order. */
static void product_names(json_t *catalog, const char *list, tc_buf *out)
{
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(catalog, "scopes"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (!id || !tc_tom_list_has(list, id))
			continue;
		if (out->len)
			tc_buf_puts(out, ", ");
		const char *name =
		    json_string_value(json_object_get(s, "name"));
		tc_buf_puts(out, name ? name : id);
	}
}

/* The data set of release id (of the index's versions) in this
 * language's words, as the index stores it ("annex/<version>"), read into
 * a model and checked (lib/model.h tc_model_read; the current version's
 * is the index's own, ts_index_model). links: the language whose routes
 * its URLs are in (they start at the model's base_url). NULL with the
 * reason in why. */
static tc_model *version_model(ts_index *ix, const char *id,
			       const tc_lang *links, tc_buf *why)
{
	tc_buf raw = TC_BUF_INIT, path = TC_BUF_INIT, bad = TC_BUF_INIT;
	int got = ts_export_stored(ix, "annex", id, &raw);
	json_t *doc = got < 0 ? NULL : json_loadb(raw.data, raw.len, 0, NULL);
	tc_buf_free(&raw);
	tc_model *m = NULL;
	if (!doc) {
		tc_buf_printf(why,
			      "the search index holds no data set of version "
			      "'%s'",
			      id);
		return NULL;
	}
	/* read as releases are (its schema may be an older one) */
	m = tc_model_read(doc, TC_READ_RELEASE, links, "", &path, &bad);
	if (!m)
		tc_buf_printf(why,
			      "the search index's data set of version '%s' is "
			      "not one: %s%s%s",
			      id, tc_buf_cstr(&path), path.len ? ": " : "",
			      tc_buf_cstr(&bad));
	json_decref(doc);
	tc_buf_free(&path);
	tc_buf_free(&bad);
	return m;
}

int ts_annex_make(ts_index *ix, const ts_annex_form *f, tc_buf *pdf,
		  tc_buf *fname, ts_annex_error *e, tc_buf *why)
{
	tc_buf raw = TC_BUF_INIT, list = TC_BUF_INIT, names = TC_BUF_INIT,
	       changes = TC_BUF_INIT;
	json_t *versions = NULL;
	const tc_model *mo = NULL;
	tc_model *own = NULL; /* a release's */
	tc_pick *tom = NULL, *duties = NULL;
	json_t *version = NULL;
	int rc = -1;
	json_t *catalog = ts_index_doc(ix);
	if (ts_export_stored(ix, TC_IX_ANNEX_VERSIONS, NULL, &raw) < 0 ||
	    !(versions = json_loadb(raw.data, raw.len, 0, NULL)) ||
	    !json_is_array(versions)) {
		tc_buf_puts(why, "the search index holds no data for annexes "
				 "(rebuild it with this version's tc-gen)");
		goto out;
	}
	if (ts_annex_form_check(f, catalog, versions, &version, &list, e) < 0) {
		rc = 1;
		goto out;
	}
	const char *id = json_string_value(json_object_get(version, "id"));
	/* a release's file in a translation it did not freeze is the
	 * original's, in the first language's routes (gen/index.c) */
	const tc_lang *links =
	    json_is_true(json_object_get(version, "translated"))
		? ts_index_language(ts_index_nth(ix, 0))
		: ts_index_language(ix);
	if (!strcmp(id, "current"))
		mo = ts_index_model(ix);
	else
		mo = own = version_model(ix, id, links, why);
	if (!mo) {
		if (!own && !why->len)
			tc_buf_printf(why, "the search index holds no data set "
					   "of version 'current'");
		goto out;
	}
	tom = tc_pick_products(mo, tc_buf_cstr(&list), NULL);
	duties = tc_pick_products(mo, tc_buf_cstr(&list), "client,shared");
	product_names(catalog, tc_buf_cstr(&list), &names);
	const char *ver =
	    json_string_value(json_object_get(version, "version"));
	const char *vdate = json_string_value(json_object_get(version, "date"));
	const char *sha = json_string_value(json_object_get(version, "sha256"));
	const char *url = json_string_value(json_object_get(version, "url"));
	const char *cur = ts_index_version(ix);
	const char *date =
	    f->v[AF_DATE] && *f->v[AF_DATE] ? f->v[AF_DATE] : vdate;
	const char *lang = ts_index_language(ix)->code;
	char docid[65];
	ts_annex_doc_id(f, sha, ver, lang, date, tc_buf_cstr(&list), docid);
	const char *none = "";
	tc_pdf_customer c = {
	    .name = f->v[AF_NAME],
	    .address = f->v[AF_ADDRESS] ? f->v[AF_ADDRESS] : none,
	    .contact = f->v[AF_CONTACT] ? f->v[AF_CONTACT] : none,
	    .email = f->v[AF_EMAIL] ? f->v[AF_EMAIL] : none,
	    .number = f->v[AF_NUMBER] ? f->v[AF_NUMBER] : none,
	    .products = tc_buf_cstr(&names),
	    .generated = date,
	    .doc_id = docid,
	    .duties = duties};
	tc_pdf_annex a = {
	    .model = mo,
	    .pick = tom,
	    .links = links,
	    .organisation =
		json_string_value(json_object_get(catalog, "organisation")),
	    .version = ver,
	    .date = vdate,
	    .data_url = url,
	    .digest = sha,
	    .superseded_by =
		strcmp(id, "current") && cur && strcmp(ver, cur) ? cur : NULL,
	    .translated = json_is_true(json_object_get(version, "translated")),
	    /* a release that froze this language's translation: the
	     * original's file, which governs (gen/index.c) */
	    .orig_url = json_string_value(json_object_get(version, "orig_url")),
	    .orig_digest =
		json_string_value(json_object_get(version, "orig_sha256")),
	    .fonts = g_fonts,
	    .customer = &c};
	/* the record of changes, where the site's annexes name it */
	const char *base = json_string_value(json_object_get(
	    json_object_get(ts_index_page(ix), "site"), "base_url"));
	tc_buf_puts(&changes, base ? base : "");
	tc_route_url(&changes, ts_index_language(ix), R_CHANGES, NULL, NULL);
	a.changes_url = tc_buf_cstr(&changes);
	/* the governing language version, as the site's annexes name it */
	tc_governing gov;
	/* and the original's language, the default index's, which a release
	 * that froze this translation names beside the original's file (the
	 * first of tc_lang_all, as in tc-gen): the answer's own site */
	tc_langs site = {ts_index_language(ts_index_nth(ix, 0)), 1,
			 ts_index_governing(ix, &gov) ? NULL : &gov};
	tc_lang l = *ts_index_language(ix);
	l.site = &site;
	a.lang = &l;
	tc_buf err = TC_BUF_INIT;
	int wrote = tc_pdf_annex_write(&a, pdf, &err);
	if (wrote < 0) {
		/* the form's text is checked: only a broken font or data
		 * gets here */
		tc_buf_printf(why, "cannot write the annex: %s",
			      tc_buf_cstr(&err));
		tc_buf_free(&err);
		goto out;
	}
	tc_buf_free(&err);
	/* the file names the version and the document, not the customer:
	 * a header is logged by proxies more often than a body */
	tc_buf_printf(fname, "dpa-annex-%s-%.12s.pdf", ver, docid);
	rc = 0;
out:
	json_decref(versions);
	tc_pick_free(tom);
	tc_pick_free(duties);
	tc_model_free(own);
	tc_buf_free(&raw);
	tc_buf_free(&list);
	tc_buf_free(&names);
	tc_buf_free(&changes);
	return rc;
}

/* ---- the fonts, loaded before the sandbox ---- */

tc_pdf_fonts *ts_annex_fonts(void)
{
	return g_fonts;
}

void ts_annex_fonts_init(void)
{
	if (g_fonts)
		return;
	g_fonts = tc_pdf_fonts_new();
	/* an annex with every font the writer sets (body, bold, the table's,
	 * the small one, mono, the headings) and letters no font of it has,
	 * which pango draws as boxes with their code in a mono font: after
	 * this, the fonts' files are open and mapped, and fontconfig has
	 * matched every pattern the writer asks for. The data set is made
	 * here (one product, one measure, a cell that is the client's, so
	 * that the duties' headings are set too): nothing to read, nothing
	 * to check. */
	tc_scope scope = {
	    .id = "p", .name = "P \xe2\x9c\x93", .kind = SK_PRODUCT};
	size_t cols[] = {0};
	tc_table table = {.scopes = cols, .nscopes = 1, .has_products = true};
	tc_cell cell = {.status = ST_CLIENT,
			.resp = RS_CLIENT,
			.label = "\xe2\x9c\x93",
			.note = "n",
			.note_data = "n"};
	tc_measure me = {.id = "C-1",
			 .text = "T \xc3\xa4\xe2\x80\x93",
			 .text_data = "T \xc3\xa4\xe2\x80\x93",
			 .cells = &cell};
	tc_category cat = {.id = "c",
			   .title = "C",
			   .tables = &table,
			   .ntables = 1,
			   .measures = &me,
			   .nmeasures = 1};
	tc_model m = {.organisation = "O",
		      .version = "1",
		      .date = "2000-01-01",
		      .base_url = "https://x.example",
		      .scopes = &scope,
		      .nscopes = 1,
		      .categories = &cat,
		      .ncategories = 1};
	tc_pick *all = tc_pick_all(&m);
	tc_pdf_customer c = {
	    .name = "\xe4\xb8\xad\xf0\x9f\x98\x80 \xd8\xb9 A\xcc\x88",
	    .address = "a\nb",
	    .contact = "c",
	    .email = "e@x.example",
	    .number = "1",
	    .products = "P",
	    .generated = "2000-01-01",
	    .doc_id = "0",
	    .duties = all};
	tc_pdf_annex a = {.lang = tc_lang_default(),
			  .model = &m,
			  .organisation = "O",
			  .version = "1",
			  .date = "2000-01-01",
			  .data_url = "https://x.example/api/tom.json",
			  .digest = "0",
			  .fonts = g_fonts,
			  .customer = &c};
	tc_buf out = TC_BUF_INIT, err = TC_BUF_INIT;
	tc_pdf_annex_write(&a, &out, &err);
	/* and the document ID's SHA-256: libcrypto reads its configuration
	 * file when it is first used */
	ts_annex_form f = {0};
	char id[65];
	ts_annex_doc_id(&f, "", "", "", "", "", id);
	tc_buf_free(&out);
	tc_buf_free(&err);
	tc_pick_free(all);
}
