/* trust.h: what else customers come to a trust center for: certificates
 * and audit reports, subprocessors, and how to reach the provider.
 *
 * - content/certificates.md (optional): front matter `certificates`, a list
 *   of {id, standard, scope, products, sites, issuer, number, valid_from,
 *   valid_until, file | url, status}. A certificate past its valid_until
 *   (before the content's date) is an error unless its status is `expired`
 *   or `withdrawn`; one that ends within TC_RENEWAL_DAYS of the content's
 *   date is "renewal due". A file (a PDF under content/) is published
 *   with its SHA-256.
 * - content/subprocessors.md (optional): front matter `subprocessors`, a
 *   list of {id, name, entity, address, country, purpose, products,
 *   transfer, since, announced, until}. An addition (since after the
 *   content's date) must be announced (announced, else the content's date)
 *   at least site.md's subprocessor_notice_days before it takes effect.
 * - site.md's `contact` mapping: security (RFC 9116 Contact, required when
 *   contact is given), policy, dpo, dpo_contact, imprint, privacy; and
 *   `subprocessor_notice_days`.
 *
 * Every problem is reported as file:line:col. The loaded data is shared
 * by a model and its translations (tc_trust_ref), and read only. */
#ifndef TC_TRUST_H
#define TC_TRUST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../lib/diag.h"
#include "../lib/lang.h"
#include "frontmatter.h"

/* A certificate that ends within this many days of the content's date is
 * shown "renewal due". */
#define TC_RENEWAL_DAYS 60
/* Entries of certificates.md and of subprocessors.md. */
#define TC_MAX_TRUST_ENTRIES 1000
/* Bytes of a certificate's file (a PDF, copied into the site). */
#define TC_MAX_CERT_FILE_BYTES (32 * 1024 * 1024)
/* The longest notice period site.md may give, in days (ten years). */
#define TC_MAX_NOTICE_DAYS 3650

typedef enum tc_cert_state {
	CS_VALID,
	CS_RENEWAL_DUE, /* ends within TC_RENEWAL_DAYS */
	CS_EXPIRED,     /* marked so, and past its end */
	CS_WITHDRAWN,   /* marked so */
	CS__COUNT
} tc_cert_state;

typedef enum tc_transfer {
	TR_EU_EEA,   /* in the EU or the EEA: no transfer to a third country */
	TR_ADEQUACY, /* Art. 45 GDPR */
	TR_SCC,      /* standard contractual clauses, Art. 46(2)(c) GDPR */
	TR__COUNT
} tc_transfer;

typedef enum tc_sub_state {
	SS_CURRENT,  /* in use */
	SS_UPCOMING, /* announced: in use from its since */
	SS_ENDING,   /* in use until its until, after the content's date */
	SS_FORMER,   /* no longer in use */
	SS__COUNT
} tc_sub_state;

typedef struct tc_certificate {
	char *id, *standard, *scope, *issuer, *number;
	char *valid_from, *valid_until; /* YYYY-MM-DD */
	char *file;      /* as written in certificates.md ("" when none) */
	char *file_path; /* the file under the content folder, to copy */
	char sha256[65]; /* of the file, "" when none */
	char *url;       /* "" when none */
	char **products, **sites; /* scope IDs, NULL-terminated */
	size_t nproducts, nsites;
	tc_cert_state state;
	long days_left; /* from the content's date to valid_until */
} tc_certificate;

typedef struct tc_subprocessor {
	char *id, *name, *entity, *address, *country, *purpose;
	char *since, *announced, *until; /* announced, until: "" when none */
	char **products; /* product scope IDs, NULL-terminated */
	size_t nproducts;
	tc_transfer transfer;
	tc_sub_state state;
	/* where since and announced (else the entry) stand in
	 * subprocessors.md: the release checks of gen/release.c report there */
	int since_line, since_col, announced_line, announced_col;
} tc_subprocessor;

/* site.md's contact; "" when not given. */
typedef struct tc_contact {
	char *security, *policy, *dpo, *dpo_contact, *imprint, *privacy;
} tc_contact;

typedef struct tc_trust {
	int refs;
	char *date; /* the content's date, which the states are of */
	tc_certificate *certs;
	size_t ncerts;
	tc_subprocessor *subs;
	size_t nsubs;
	char *subs_file; /* subprocessors.md's path, NULL when absent */
	tc_contact contact;
	bool has_contact;             /* site.md gives a contact */
	long notice_days;             /* -1 when site.md gives none */
	char *certs_html, *subs_html; /* the files' prose, rendered */
	/* links of that prose, checked once every page is known */
	struct tc_trust_link {
		char *url, *file;
		int line, col;
	} * links;
	size_t nlinks;
} tc_trust;

/* A new, empty set (one reference). */
tc_trust *tc_trust_new(void);
tc_trust *tc_trust_ref(tc_trust *t);
void tc_trust_unref(tc_trust *t);

/* site.md's keys, for its schema: {"contact", FM_MAP} and
 * {"subprocessor_notice_days", FM_INT}. Reads them from site.md's front
 * matter r into t and checks them. Returns the number of problems. */
int tc_trust_read_site(tc_trust *t, const fm_doc *doc, json_t *r,
		       const char *path, tc_diags *d);

struct tc_model;
/* Reads dir/certificates.md and dir/subprocessors.md (both optional) into
 * m->trust, checking them against m's scopes and date. Returns the number
 * of problems. */
int tc_trust_load(const char *dir, struct tc_model *m, tc_diags *d);

/* The downloads (new; the caller owns them): api/certificates.json and
 * api/subprocessors.json as documents, api/subprocessors.csv and
 * .well-known/security.txt as bytes (NULL when site.md gives no security
 * contact). */
json_t *tc_trust_certificates_json(const struct tc_model *m,
				   const struct tc_lang *l);
json_t *tc_trust_subprocessors_json(const struct tc_model *m,
				    const struct tc_lang *l);
char *tc_trust_subprocessors_csv(const struct tc_model *m, size_t *len);
char *tc_trust_security_txt(const struct tc_model *m, size_t *len);

/* Days from the date a to the date b (both YYYY-MM-DD), b - a. */
long tc_date_diff(const char *a, const char *b);
/* The date n days after date (YYYY-MM-DD) into out[11]. */
void tc_date_add(const char *date, long n, char out[11]);

const char *tc_cert_state_id(tc_cert_state s);
const char *tc_transfer_id(tc_transfer t);
const char *tc_sub_state_id(tc_sub_state s);

/* Whether certificate c covers product p: p is among its products, or it
 * covers a site (sites serve every product, as their measures do). */
bool tc_cert_covers(const tc_certificate *c, const char *product);
bool tc_sub_serves(const tc_subprocessor *s, const char *product);

#endif
