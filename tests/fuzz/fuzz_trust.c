/* fuzz_trust: certificates.md or subprocessors.md (the first byte says
 * which) as bytes, through the content loader beside a fixed site with a
 * contact, two products and a site (gen/trust.h). Beyond the sanitizers:
 * a content that loads keeps only what its rules allow (calendar dates in
 * order, products and sites of the scopes, a certificate file inside the
 * content folder, states that follow from the dates), its downloads are
 * made whole and are text, and every diagnostic is one line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../gen/content.h"
#include "../../gen/model.h"
#include "../../gen/trust.h"
#include "../../lib/fsx.h"
#include "../../lib/text.h"
#include "fuzz_diags.h"

static char dir[64];

static void put(const char *name, const char *text, size_t n)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(text, 1, n, f) != n || fclose(f))
		abort();
}

/* The folder goes when the process ends (make fuzz-replay runs in CI). */
static void cleanup(void)
{
	static const char *const files[] = {
	    "site.md",         "scopes.md", "categories/01-alpha.md",
	    "certificates.md", "cert.pdf",  "subprocessors.md",
	    "categories",      ""};
	char p[128];
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		if (unlink(p))
			rmdir(p);
	}
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/fuzz-trust-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char p[128];
	snprintf(p, sizeof p, "%s/categories", dir);
	if (tc_mkdirs(p))
		abort();
	static const char site[] =
	    "---\norganisation: O\ntitle: T\nversion: \"1\"\n"
	    "date: \"2026-01-31\"\nbase_url: \"https://t.example\"\n"
	    "contact:\n  security: \"mailto:s@t.example\"\n"
	    "  dpo_contact: \"mailto:d@t.example\"\n"
	    "subprocessor_notice_days: 30\n---\nIntro.\n";
	static const char scopes[] =
	    "---\nscopes:\n  - id: box\n    name: Box\n    kind: product\n"
	    "  - id: rack\n    name: Rack\n    kind: product\n"
	    "  - id: site\n    name: Site\n    kind: site\n    country: DE\n"
	    "---\n";
	static const char cat[] = "---\nid: alpha\ntitle: Alpha\n---\n"
				  "| ID | Measure | Box | Rack |\n"
				  "|---|---|---|---|\n"
				  "| ALP-1 | Doors | ✓ | X |\n";
	put("site.md", site, sizeof site - 1);
	put("scopes.md", scopes, sizeof scopes - 1);
	put("categories/01-alpha.md", cat, sizeof cat - 1);
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	put("cert.pdf", pdf, sizeof pdf - 1);
	atexit(cleanup);
}

static void check_scopes(const tc_model *m, char **ids, bool product)
{
	for (size_t i = 0; ids && ids[i]; i++) {
		const tc_scope *s = tc_model_scope(m, ids[i]);
		if (!s || (product && s->kind != SK_PRODUCT))
			abort();
	}
}

static void check_text(const char *s, size_t n)
{
	if (tc_text_scan(s, n) != n)
		abort();
}

static void check(const tc_model *m)
{
	const tc_trust *t = m->trust;
	for (size_t i = 0; t && i < t->ncerts; i++) {
		const tc_certificate *c = &t->certs[i];
		if (!tc_text_is_date(c->valid_from) ||
		    !tc_text_is_date(c->valid_until) ||
		    strcmp(c->valid_from, c->valid_until) > 0)
			abort();
		/* past its end only when marked expired or withdrawn */
		if (strcmp(c->valid_until, t->date) < 0 &&
		    c->state != CS_EXPIRED && c->state != CS_WITHDRAWN)
			abort();
		if (*c->file && (!c->file_path || strstr(c->file, "..")))
			abort();
		check_scopes(m, c->products, true);
		check_scopes(m, c->sites, false);
	}
	for (size_t i = 0; t && i < t->nsubs; i++) {
		const tc_subprocessor *s = &t->subs[i];
		if (!tc_text_is_date(s->since) || s->transfer >= TR__COUNT ||
		    (*s->until && !tc_text_is_date(s->until)) ||
		    (*s->announced && !tc_text_is_date(s->announced)))
			abort();
		check_scopes(m, s->products, true);
	}
	json_t *a = tc_trust_certificates_json(m, tc_lang_default()),
	       *b = tc_trust_subprocessors_json(m, tc_lang_default());
	if (!a || !b)
		abort();
	char *ja = json_dumps(a, 0), *jb = json_dumps(b, 0);
	if (!ja || !jb)
		abort();
	check_text(ja, strlen(ja));
	check_text(jb, strlen(jb));
	free(ja);
	free(jb);
	json_decref(a);
	json_decref(b);
	size_t n = 0;
	char *csv = tc_trust_subprocessors_csv(m, &n);
	if (!csv)
		abort();
	check_text(csv, n);
	free(csv);
	char *txt = tc_trust_security_txt(m, &n);
	if (txt) {
		check_text(txt, n);
		free(txt);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!*dir)
		setup();
	if (size < 1)
		return 0;
	const char *name = data[0] & 1 ? "subprocessors.md" : "certificates.md";
	char other[128];
	snprintf(other, sizeof other, "%s/%s", dir,
		 data[0] & 1 ? "certificates.md" : "subprocessors.md");
	unlink(other);
	put(name, (const char *)data + 1, size - 1);
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(dir, d);
	if (m && tc_diags_count(d))
		abort(); /* a model is only given without problems */
	if (m)
		check(m);
	fuzz_check_diags(d);
	tc_model_free(m);
	tc_diags_free(d);
	return 0;
}
