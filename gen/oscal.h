/* oscal.h: the TOMs in NIST's OSCAL (JSON, "oscal-version": "1.0.0"), for
 * GRC tools that read controls and component definitions.
 *
 * - The catalog (api/oscal/catalog.json): a group per category (its ID),
 *   a control per measure (its ID), the measure's text as the control's
 *   statement part, its mappings to standard controls as props.
 * - A component-definition per product (api/oscal/products/<id>.json): the
 *   product as a "service" component with an implemented requirement per
 *   measure that concerns it (tc_measure_concerns), its responsibility from
 *   the one rule (tc_measure_resp) as responsible-roles ("provider",
 *   "customer", both when shared) and a prop, and each cell's status, mark
 *   and note as props and as the statement's text.
 *
 * Reproducible: UUIDs are derived from names (SHA-1, in the v4 layout that
 * OSCAL 1.0.0's schema demands), times come from site.md's date. A
 * document's own UUID also covers the digest of api/tom.json, so it changes
 * when the data does, as OSCAL asks. */
#ifndef TC_OSCAL_H
#define TC_OSCAL_H

#include <jansson.h>

#include "../lib/lang.h"
#include "model.h"

#define TC_OSCAL_VERSION "1.0.0"

/* New documents in language l; tom_sha256 is the digest of api/tom.json
 * (hex). */
json_t *tc_oscal_catalog(const tc_model *m, const tc_lang *l,
			 const char *tom_sha256);
/* product: index of a scope of kind product. */
json_t *tc_oscal_component(const tc_model *m, const tc_lang *l, size_t product,
			   const char *tom_sha256);

/* The UUID (36 characters and a NUL) for name within this site. */
void tc_oscal_uuid(const tc_model *m, const char *name, char out[37]);

#endif
