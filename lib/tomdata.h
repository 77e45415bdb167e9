/* tomdata.h: views of the TOM data set as the exported JSON holds it.
 *
 * api/tom.json is the contract between the generator, tc-search and every
 * customer's own tooling. Both binaries filter and flatten it with these
 * functions, so a filtered download from tc-search and a per-product file
 * from tc-gen cannot disagree.
 *
 * Shape: {"schema_version", "organisation", "version", "date", "scopes": [
 * {"id", "name", "kind", ...}], "categories": [{"id", "title",
 * "description", "url", "measures": [{"id", "text", "url", "client_duty",
 * "table", "mappings": {"<framework>": ["<control>"]}, "cells": {"<scope
 * id>": {"status", "responsibility", "label", "note"}}}]}]}, with "$schema"
 * and "base_url" first (schema_version 3, api/schema/tom.schema.json).
 * Statuses and responsibilities: lib/vocab.h. */
#ifndef TC_TOMDATA_H
#define TC_TOMDATA_H

#include <jansson.h>

#include "buf.h"
#include "vocab.h"

/* ---- The product rule (README, "Columns that apply to every product") ----
 *
 * What a measure's row says for one product. Its cells play one of four
 * parts: the product's own column; a site or organisation column, which
 * applies to every product and is never hidden; an internal column (the
 * provider's own systems), shown and labelled where the row is shown but
 * never an answer for a product; another product's column, which says
 * nothing for this one. The measure concerns the product when its own cell
 * or a site or organisation cell is in the row; its responsibility for the
 * product is the first of client, shared, provider, see-product that one
 * of those cells has, else none: a duty of the client in any of them is
 * the client's, and nothing is the provider's that no such cell gives it.
 * Every view of both binaries takes product answers from here: pages,
 * counts, comparisons, changes, OSCAL, the filtered downloads. */
typedef enum tc_cell_role {
	CR_OTHER,   /* another product's column */
	CR_OWN,     /* the product's own column */
	CR_EVERY,   /* a site or organisation column: every product's */
	CR_INTERNAL /* the provider's own systems: shown, never counted */
} tc_cell_role;

/* The part a cell of a scope of kind k plays for a product; own: the
 * scope is that product. */
tc_cell_role tc_cell_role_of(tc_scope_kind k, bool own);

/* What a row says for one product, its cells added one by one. */
typedef struct tc_answer {
	bool concerns;     /* an own, site or organisation cell is in it */
	bool own;          /* the product's own column is in it */
	tc_resp resp;      /* the product rule's responsibility */
	bool not_provided; /* one of the counting cells is an X */
} tc_answer;
#define TC_ANSWER_INIT                                                         \
	{                                                                      \
		false, false, RS_NONE, false                                   \
	}

/* Adds a cell (its scope's kind, whether it is the product's own, its
 * status and responsibility) to a; returns its part. */
tc_cell_role tc_answer_add(tc_answer *a, tc_scope_kind k, bool own,
			   tc_status st, tc_resp r);

/* The kinds of doc's scopes, for the two below: a new object, scope id
 * -> its tc_scope_kind as an integer (a lookup per cell, not a walk of
 * the scopes). */
json_t *tc_tom_kinds(json_t *doc);
/* The same rule over a measure of the data (its "cells" keyed by scope
 * id). */
tc_answer tc_tom_answer(json_t *kinds, json_t *measure, const char *product);
/* The part scope id's cell plays for product (CR_OTHER for an unknown
 * scope). */
tc_cell_role tc_tom_role(json_t *kinds, const char *scope, const char *product);

/* 1 when id is one of the items of the comma-separated list. */
int tc_tom_list_has(const char *list, const char *id);

/* doc as jansson writes the data files: indented by one, keys in order,
 * a newline at the end (json_dumps; a document jansson refuses, say text
 * that is not UTF-8, is the newline alone). The data set itself is
 * written by lib/model.h's tc_model_write; every other JSON document by
 * jansson: no third writer. */
void tc_tom_dump(json_t *doc, tc_buf *out);

#define TC_UTF8_BOM "\xef\xbb\xbf"

/* The scope object with this id, or NULL (borrowed). */
json_t *tc_tom_scope(json_t *doc, const char *id);

#endif
