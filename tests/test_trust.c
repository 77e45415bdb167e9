/* test_trust.c: certificates, subprocessors and contact (gen/trust.h):
 * every error with its exact message and position, the states a good
 * content gets, the downloads and security.txt, and a build that
 * publishes nothing on an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../gen/build.h"
#include "../gen/content.h"
#include "../gen/trust.h"
#include "helpers.h"

static const char *SITE_HEAD = "---\n"
			       "organisation: Example Hosting\n"
			       "title: Trust Center\n"
			       "version: \"1.0-test\"\n"
			       "date: \"2026-01-31\"\n"
			       "base_url: \"https://trust.example.test\"\n";

static const char *CONTACT = "contact:\n"
			     "  security: \"mailto:security@example.test\"\n"
			     "  dpo_contact: \"mailto:dpo@example.test\"\n"
			     "  policy: \"https://example.test/policy\"\n"
			     "subprocessor_notice_days: 30\n";

static const char *SCOPES = "---\n"
			    "scopes:\n"
			    "  - id: box\n"
			    "    name: Box\n"
			    "    kind: product\n"
			    "  - id: rack\n"
			    "    name: Rack\n"
			    "    kind: product\n"
			    "  - id: site\n"
			    "    name: Site\n"
			    "    kind: site\n"
			    "    country: DE\n"
			    "    city: Musterstadt\n"
			    "---\n";

static const char *CATEGORY = "---\n"
			      "id: alpha\n"
			      "title: Alpha\n"
			      "---\n"
			      "| ID | Measure | Box | Rack |\n"
			      "|---|---|---|---|\n"
			      "| ALP-1 | Locked doors | ✓ | X |\n";

/* A good certificate and subprocessor, as the cases change them. */
static const char *CERT_OK = "  - id: iso\n"
			     "    standard: ISO/IEC 27001:2022\n"
			     "    scope: Hosting\n"
			     "    products: [box]\n"
			     "    issuer: Example CB\n"
			     "    number: X-1\n"
			     "    valid_from: \"2025-01-01\"\n"
			     "    valid_until: \"2027-12-31\"\n";

static const char *SUB_OK = "  - id: mail\n"
			    "    name: Mail\n"
			    "    entity: Mail GmbH\n"
			    "    address: Weg 1, Musterstadt\n"
			    "    country: DE\n"
			    "    purpose: E-mail\n"
			    "    products: [box]\n"
			    "    transfer: eu-eea\n"
			    "    since: \"2025-01-01\"\n";

/* Writes a content folder "c": site.md (head, then extra front matter),
 * scopes, one category, and the two files when given. */
static void content(const char *site_extra, const char *scopes,
		    const char *certs, const char *subs)
{
	if (tc_mkdirs("c/categories") != 0)
		abort();
	tc_buf s = TC_BUF_INIT;
	tc_buf_printf(&s, "%s%s---\nIntro.\n", SITE_HEAD, site_extra);
	put_file("c/site.md", tc_buf_cstr(&s));
	tc_buf_free(&s);
	put_file("c/scopes.md", scopes ? scopes : SCOPES);
	put_file("c/categories/01-alpha.md", CATEGORY);
	if (certs) {
		tc_buf b = TC_BUF_INIT;
		tc_buf_printf(&b, "---\ncertificates:\n%s---\n", certs);
		put_file("c/certificates.md", tc_buf_cstr(&b));
		tc_buf_free(&b);
	}
	if (subs) {
		tc_buf b = TC_BUF_INIT;
		tc_buf_printf(&b, "---\nsubprocessors:\n%s---\n", subs);
		put_file("c/subprocessors.md", tc_buf_cstr(&b));
		tc_buf_free(&b);
	}
}

/* Loads "c" and checks it fails with exactly expected (sorted lines). */
static void expect(const char *site_extra, const char *scopes,
		   const char *certs, const char *subs, const char *expected)
{
	char tmp[64];
	char *cwd = enter_tmpdir(tmp, sizeof tmp);
	content(site_extra, scopes, certs, subs);
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	char *got = diags_text(d);
	if (strcmp(got, expected))
		fprintf(stderr, "expected:\n%sgot:\n%s", expected, got);
	assert_string_equal(got, expected);
	if (*expected)
		assert_null(m);
	tc_model_free(m);
	free(got);
	tc_diags_free(d);
	leave_tmpdir(cwd, tmp);
}

static char *cat(const char *a, const char *b)
{
	tc_buf x = TC_BUF_INIT;
	tc_buf_printf(&x, "%s%s", a, b);
	return tc_buf_detach(&x);
}

static void cert_errors(void **state)
{
	(void)state;
	/* a date the calendar does not have, and an unknown product */
	expect(CONTACT, NULL,
	       "  - id: iso\n"
	       "    standard: ISO\n"
	       "    scope: Hosting\n"
	       "    products: [box, nope]\n"
	       "    issuer: CB\n"
	       "    number: X-1\n"
	       "    valid_from: \"2025-02-30\"\n"
	       "    valid_until: \"2027-12-31\"\n",
	       NULL,
	       "c/certificates.md:6:21: error: unknown product 'nope' (the "
	       "products are the scopes of that kind in scopes.md)\n"
	       "c/certificates.md:9:5: error: valid_from '2025-02-30' is not a "
	       "date of the form YYYY-MM-DD\n");
	/* ended before the content's date, not marked */
	expect(CONTACT, NULL,
	       "  - id: old\n"
	       "    standard: ISO\n"
	       "    scope: Hosting\n"
	       "    sites: [site]\n"
	       "    issuer: CB\n"
	       "    number: X-1\n"
	       "    valid_from: \"2022-01-01\"\n"
	       "    valid_until: \"2026-01-30\"\n",
	       NULL,
	       "c/certificates.md:10:5: error: certificate 'old' ended on "
	       "2026-01-30, before the content's date 2026-01-31: renew it, or "
	       "mark it 'status: expired' or 'status: withdrawn'\n");
	/* marked expired while still valid; an unknown status; a site that is
	 * a product; until before from; a file and a url */
	expect(
	    CONTACT, NULL,
	    "  - id: a\n"
	    "    standard: ISO\n"
	    "    scope: Hosting\n"
	    "    products: [box]\n"
	    "    issuer: CB\n"
	    "    number: X-1\n"
	    "    valid_from: \"2025-01-01\"\n"
	    "    valid_until: \"2026-01-31\"\n"
	    "    status: expired\n"
	    "  - id: b\n"
	    "    standard: ISO\n"
	    "    scope: Hosting\n"
	    "    sites: [box]\n"
	    "    issuer: CB\n"
	    "    number: X-1\n"
	    "    valid_from: \"2025-01-01\"\n"
	    "    valid_until: \"2024-01-01\"\n"
	    "    status: lapsed\n"
	    "    url: \"https://x.test/c\"\n"
	    "    file: c.pdf\n",
	    NULL,
	    "c/certificates.md:11:5: error: certificate 'a' is marked "
	    "expired but is valid until 2026-01-31, on or after the "
	    "content's date 2026-01-31\n"
	    "c/certificates.md:15:13: error: unknown site 'box' (the sites "
	    "are the scopes of that kind in scopes.md)\n"
	    "c/certificates.md:19:5: error: valid_until 2024-01-01 is before "
	    "valid_from 2025-01-01\n"
	    "c/certificates.md:20:5: error: status 'lapsed' must be expired "
	    "or withdrawn (leave it out for a valid certificate)\n"
	    "c/certificates.md:21:5: error: certificate 'b' gives a file and "
	    "a url: give one\n"
	    "c/certificates.md:22:5: error: file 'c.pdf' is not a regular "
	    "file under the content folder (c/c.pdf)\n");
	/* a file outside the content folder, a duplicate id, a bad url */
	char *two = cat(CERT_OK, "  - id: iso\n"
				 "    standard: ISO\n"
				 "    scope: Hosting\n"
				 "    products: [box]\n"
				 "    issuer: CB\n"
				 "    number: X-1\n"
				 "    valid_from: \"2025-01-01\"\n"
				 "    valid_until: \"2027-01-01\"\n");
	expect(CONTACT, NULL, two, NULL,
	       "c/certificates.md:11:5: error: duplicate certificate id "
	       "'iso'\n");
	free(two);
	char *bad = cat(CERT_OK, "    file: ../../etc/passwd.pdf\n"
				 "  - id: u\n"
				 "    standard: ISO\n"
				 "    scope: Hosting\n"
				 "    products: [rack]\n"
				 "    issuer: CB\n"
				 "    number: X-1\n"
				 "    valid_from: \"2025-01-01\"\n"
				 "    valid_until: \"2027-01-01\"\n"
				 "    url: \"javascript:alert(1)\"\n");
	expect(
	    CONTACT, NULL, bad, NULL,
	    "c/certificates.md:11:5: error: file '../../etc/passwd.pdf' must "
	    "be a PDF under the content folder, named by a relative path of "
	    "letters, digits, '.', '-', '_' and '/' (no name starting with "
	    "'.')\n"
	    "c/certificates.md:20:5: error: url 'javascript:alert(1)' must "
	    "be an http:// or https:// URL\n");
	free(bad);
}

static void cert_file_not_pdf(void **state)
{
	(void)state;
	char tmp[64];
	char *cwd = enter_tmpdir(tmp, sizeof tmp);
	char *certs = cat(CERT_OK, "    file: files/x.pdf\n");
	content(CONTACT, NULL, certs, NULL);
	free(certs);
	assert_int_equal(tc_mkdirs("c/files"), 0);
	put_file("c/files/x.pdf", "<html>not a pdf</html>");
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	char *got = diags_text(d);
	assert_string_equal(got, "c/certificates.md:11:5: error: file "
				 "'files/x.pdf' is not a PDF (it must start "
				 "with %PDF-)\n");
	assert_null(m);
	free(got);
	tc_diags_free(d);
	/* a symlink is not a regular file under the content folder */
	assert_int_equal(unlink("c/files/x.pdf"), 0);
	assert_int_equal(symlink("/etc/hostname", "c/files/x.pdf"), 0);
	d = tc_diags_new();
	m = tc_content_load("c", d);
	got = diags_text(d);
	assert_string_equal(got, "c/certificates.md:11:5: error: file "
				 "'files/x.pdf' is not a regular file under "
				 "the content folder (c/files/x.pdf)\n");
	assert_null(m);
	free(got);
	tc_diags_free(d);
	leave_tmpdir(cwd, tmp);
}

static void sub_errors(void **state)
{
	(void)state;
	/* an unknown product, an unknown country, a bad date */
	expect(
	    CONTACT, NULL, NULL,
	    "  - id: mail\n"
	    "    name: Mail\n"
	    "    entity: Mail GmbH\n"
	    "    address: Weg 1\n"
	    "    country: XX\n"
	    "    purpose: E-mail\n"
	    "    products: [nope]\n"
	    "    transfer: scc\n"
	    "    since: \"2025-13-01\"\n",
	    "c/subprocessors.md:7:5: error: country 'XX' is not an ISO "
	    "3166-1 alpha-2 code in capitals (DE, FI, US)\n"
	    "c/subprocessors.md:9:16: error: unknown product 'nope' (the "
	    "products are the scopes of that kind in scopes.md)\n"
	    "c/subprocessors.md:11:5: error: since '2025-13-01' is not a date "
	    "of the form YYYY-MM-DD\n");
	/* transfer bases that do not fit the country */
	expect(CONTACT, NULL, NULL,
	       "  - id: a\n"
	       "    name: A\n"
	       "    entity: A Inc.\n"
	       "    address: Road 1\n"
	       "    country: IN\n"
	       "    purpose: Backup\n"
	       "    products: [box]\n"
	       "    transfer: adequacy\n"
	       "    since: \"2025-01-01\"\n"
	       "  - id: b\n"
	       "    name: B\n"
	       "    entity: B Inc.\n"
	       "    address: Road 2\n"
	       "    country: US\n"
	       "    purpose: Mail\n"
	       "    products: [box]\n"
	       "    transfer: eu-eea\n"
	       "    since: \"2025-01-01\"\n"
	       "  - id: c\n"
	       "    name: C\n"
	       "    entity: C GmbH\n"
	       "    address: Weg 3\n"
	       "    country: DE\n"
	       "    purpose: Mail\n"
	       "    products: [box]\n"
	       "    transfer: scc\n"
	       "    since: \"2025-01-01\"\n"
	       "  - id: d\n"
	       "    name: D\n"
	       "    entity: D GmbH\n"
	       "    address: Weg 4\n"
	       "    country: DE\n"
	       "    purpose: Mail\n"
	       "    products: [box]\n"
	       "    transfer: bcr\n"
	       "    since: \"2025-01-01\"\n",
	       "c/subprocessors.md:10:5: error: transfer adequacy, but the "
	       "European Commission has made no adequacy decision for India "
	       "(IN): use scc\n"
	       "c/subprocessors.md:19:5: error: transfer eu-eea, but United "
	       "States (US) is not in the EU or the EEA\n"
	       "c/subprocessors.md:28:5: error: Germany (DE) is in the EU/EEA: "
	       "its transfer basis is eu-eea\n"
	       "c/subprocessors.md:37:5: error: transfer 'bcr' must be eu-eea "
	       "(in the EU/EEA), adequacy (an adequacy decision) or scc "
	       "(standard contractual clauses)\n");
}

static void short_notice(void **state)
{
	(void)state;
	/* 29 days from the content's date, the notice is 30 */
	char *s = cat(SUB_OK, "  - id: new\n"
			      "    name: New\n"
			      "    entity: New GmbH\n"
			      "    address: Weg 2\n"
			      "    country: DE\n"
			      "    purpose: Support\n"
			      "    products: [rack]\n"
			      "    transfer: eu-eea\n"
			      "    since: \"2026-03-01\"\n");
	expect(
	    CONTACT, NULL, NULL, s,
	    "c/subprocessors.md:20:5: error: subprocessor 'new' is added on "
	    "2026-03-01, 29 days after it is announced (2026-01-31), fewer "
	    "than the notice period of 30 days (site.md "
	    "subprocessor_notice_days): move since to 2026-03-02 or later\n");
	free(s);
	/* announced earlier: 30 days from then are enough */
	s = cat(SUB_OK, "  - id: new\n"
			"    name: New\n"
			"    entity: New GmbH\n"
			"    address: Weg 2\n"
			"    country: DE\n"
			"    purpose: Support\n"
			"    products: [rack]\n"
			"    transfer: eu-eea\n"
			"    since: \"2026-03-01\"\n"
			"    announced: \"2026-01-30\"\n");
	expect(CONTACT, NULL, NULL, s, "");
	free(s);
	/* announced after the content's date, and after it takes effect */
	s = cat(SUB_OK, "  - id: new\n"
			"    name: New\n"
			"    entity: New GmbH\n"
			"    address: Weg 2\n"
			"    country: DE\n"
			"    purpose: Support\n"
			"    products: [rack]\n"
			"    transfer: eu-eea\n"
			"    since: \"2026-01-01\"\n"
			"    announced: \"2026-02-01\"\n"
			"    until: \"2025-12-31\"\n");
	expect(CONTACT, NULL, NULL, s,
	       "c/subprocessors.md:21:5: error: announced 2026-02-01 is after "
	       "the content's date 2026-01-31\n"
	       "c/subprocessors.md:21:5: error: announced 2026-02-01 is after "
	       "the addition takes effect (since 2026-01-01)\n"
	       "c/subprocessors.md:22:5: error: until 2025-12-31 is before "
	       "since 2026-01-01\n");
	free(s);
}

static void missing_contact(void **state)
{
	(void)state;
	/* subprocessors without a notice period or an objection contact */
	expect("", NULL, NULL, SUB_OK,
	       "c/subprocessors.md:1:1: error: subprocessors are listed, but "
	       "site.md gives no subprocessor_notice_days (the days of notice "
	       "before one is added)\n"
	       "c/subprocessors.md:1:1: error: subprocessors are listed, but "
	       "site.md's contact gives no dpo_contact to object to (GDPR Art. "
	       "28(2))\n");
	/* a contact without its security address; URIs that are none */
	expect("contact:\n"
	       "  dpo: Erika\n"
	       "  dpo_contact: \"dpo@example.test\"\n"
	       "  imprint: \"ftp://example.test/imprint\"\n"
	       "subprocessor_notice_days: -1\n",
	       NULL, NULL, NULL,
	       "c/site.md:7:1: error: contact gives no security address: RFC "
	       "9116 requires a Contact for /.well-known/security.txt "
	       "(security: mailto:...)\n"
	       "c/site.md:9:3: error: contact dpo_contact 'dpo@example.test' "
	       "must be a mailto:, https:// or tel: URI (RFC 9116 Contact)\n"
	       "c/site.md:10:3: error: contact imprint "
	       "'ftp://example.test/imprint' must be an http:// or https:// "
	       "URL\n"
	       "c/site.md:11:1: error: subprocessor_notice_days must be a "
	       "number of days from 0 to 3650\n");
	/* an unknown key of contact */
	expect("contact:\n"
	       "  security: \"mailto:s@example.test\"\n"
	       "  phone: \"123\"\n",
	       NULL, NULL, NULL,
	       "c/site.md:9:3: error: unknown front-matter key 'phone' "
	       "(expected one of: security, policy, dpo, dpo_contact, "
	       "imprint, privacy)\n");
}

static void places(void **state)
{
	(void)state;
	expect(
	    CONTACT,
	    "---\n"
	    "scopes:\n"
	    "  - id: box\n"
	    "    name: Box\n"
	    "    kind: product\n"
	    "    country: DE\n"
	    "  - id: rack\n"
	    "    name: Rack\n"
	    "    kind: product\n"
	    "  - id: site\n"
	    "    name: Site\n"
	    "    kind: site\n"
	    "    country: Germany\n"
	    "---\n",
	    NULL, NULL,
	    "c/scopes.md:6:5: error: scope 'box': country and city are for "
	    "scopes of kind site\n"
	    "c/scopes.md:13:5: error: country 'Germany' is not an ISO 3166-1 "
	    "alpha-2 code in capitals (DE, FI, US)\n");
}

/* A good content: the states, the downloads and security.txt. */
static void good(void **state)
{
	(void)state;
	char tmp[64];
	char *cwd = enter_tmpdir(tmp, sizeof tmp);
	char *certs = cat(CERT_OK, "  - id: soon\n"
				   "    standard: SOC 2 Type II\n"
				   "    scope: Hosting\n"
				   "    sites: [site]\n"
				   "    issuer: CB\n"
				   "    number: X-2\n"
				   "    valid_from: \"2025-01-01\"\n"
				   "    valid_until: \"2026-04-01\"\n"
				   "  - id: gone\n"
				   "    standard: ISO 9001\n"
				   "    scope: Hosting\n"
				   "    products: [rack]\n"
				   "    issuer: CB\n"
				   "    number: X-3\n"
				   "    valid_from: \"2020-01-01\"\n"
				   "    valid_until: \"2023-01-01\"\n"
				   "    status: expired\n");
	char *subs = cat(SUB_OK, "  - id: new\n"
				 "    name: New\n"
				 "    entity: New AG\n"
				 "    address: Strasse 2\n"
				 "    country: CH\n"
				 "    purpose: Support\n"
				 "    products: [rack]\n"
				 "    transfer: adequacy\n"
				 "    since: \"2026-03-02\"\n");
	content(CONTACT, NULL, certs, subs);
	free(certs);
	free(subs);
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	assert_int_equal(tc_diags_count(d), 0);
	assert_non_null(m);
	const tc_trust *t = m->trust;
	assert_int_equal(t->ncerts, 3);
	assert_int_equal(t->certs[0].state, CS_VALID);
	/* 60 days from 2026-01-31 is 2026-04-01: renewal due */
	assert_int_equal(t->certs[1].state, CS_RENEWAL_DUE);
	assert_int_equal(t->certs[1].days_left, 60);
	assert_int_equal(t->certs[2].state, CS_EXPIRED);
	/* a site's certificate covers every product */
	assert_true(tc_cert_covers(&t->certs[1], "rack"));
	assert_false(tc_cert_covers(&t->certs[0], "rack"));
	assert_int_equal(t->subs[0].state, SS_CURRENT);
	assert_int_equal(t->subs[1].state, SS_UPCOMING);
	assert_string_equal(m->scopes[2].country, "DE");
	size_t len;
	char *txt = tc_trust_security_txt(m, &len);
	assert_string_equal(
	    txt, "# Example Hosting Trust Center: written by tc-gen from "
		 "site.md\n"
		 "Contact: mailto:security@example.test\n"
		 "Expires: 2027-01-30T00:00:00.000Z\n"
		 "Preferred-Languages: en\n"
		 "Canonical: "
		 "https://trust.example.test/.well-known/security.txt\n"
		 "Policy: https://example.test/policy\n");
	free(txt);
	json_t *sj = tc_trust_subprocessors_json(m, tc_lang_default());
	json_t *ch = json_object_get(sj, "changes");
	assert_int_equal(json_array_size(ch), 2);
	/* newest first: the addition announced on the content's date */
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(ch, 0), "subprocessor")),
			    "new");
	json_decref(sj);
	char *csv = tc_trust_subprocessors_csv(m, &len);
	assert_non_null(strstr(csv, "\r\nnew,New,New AG,Strasse 2,CH,Support,"
				    "rack,adequacy,2026-03-02,,,upcoming\r\n"));
	free(csv);
	tc_model_free(m);
	tc_diags_free(d);
	leave_tmpdir(cwd, tmp);
}

static void dates(void **state)
{
	(void)state;
	assert_int_equal(tc_date_diff("2026-01-31", "2026-03-01"), 29);
	assert_int_equal(tc_date_diff("2024-02-28", "2024-03-01"), 2);
	assert_int_equal(tc_date_diff("2026-01-01", "2025-01-01"), -365);
	char out[11];
	tc_date_add("2026-11-26", 364, out);
	assert_string_equal(out, "2027-11-25");
	tc_date_add("2024-02-28", 1, out);
	assert_string_equal(out, "2024-02-29");
}

/* A build with an expired certificate publishes nothing. */
static void build_publishes_nothing(void **state)
{
	(void)state;
	char tmp[64];
	char *cwd = enter_tmpdir(tmp, sizeof tmp);
	char *certs = cat(CERT_OK, "  - id: old\n"
				   "    standard: ISO\n"
				   "    scope: Hosting\n"
				   "    products: [box]\n"
				   "    issuer: CB\n"
				   "    number: X-1\n"
				   "    valid_from: \"2022-01-01\"\n"
				   "    valid_until: \"2025-01-01\"\n");
	content(CONTACT, NULL, certs, NULL);
	free(certs);
	tc_buf tpl = TC_BUF_INIT;
	tc_buf_printf(&tpl, "%s/templates", cwd);
	tc_build_opts o = {
	    .content = "c", .templates = tc_buf_cstr(&tpl), .output = "out"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	assert_int_equal(tc_build(&o, d, &r), -1);
	char *got = diags_text(d);
	assert_string_equal(got, "c/certificates.md:18:5: error: certificate "
				 "'old' ended on 2025-01-01, before the "
				 "content's date 2026-01-31: renew it, or mark "
				 "it 'status: expired' or 'status: "
				 "withdrawn'\n");
	free(got);
	struct stat st;
	assert_int_equal(stat("out", &st), -1);
	tc_diags_free(d);
	tc_buf_free(&tpl);
	leave_tmpdir(cwd, tmp);
}

int main(void)
{
	if (chdir(repo_root()) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cert_errors),
	    cmocka_unit_test(cert_file_not_pdf),
	    cmocka_unit_test(sub_errors),
	    cmocka_unit_test(short_notice),
	    cmocka_unit_test(missing_contact),
	    cmocka_unit_test(places),
	    cmocka_unit_test(good),
	    cmocka_unit_test(dates),
	    cmocka_unit_test(build_publishes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
