#include "apidoc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/lang.h"
#include "../lib/vocab.h"
#include "export.h"
#include "source.h"

const char *const tc_apidoc_names[] = {
    "tom",      "search",       "error",         "health", "changes",
    "versions", "certificates", "subprocessors", NULL};

static bool too_many_fields(json_t *schema)
{
	/* the rows are counted, their words are not read */
	json_t *f = tc_apidoc_fields(schema, tc_lang_default());
	bool many = json_array_size(f) >= TC_APIDOC_MAX_FIELDS;
	json_decref(f);
	return many;
}

/* The IDs of the vocabulary's list "{statuses}" or "{responsibilities}"
 * (lib/vocab.h), in its order: a new array, NULL for another string. */
static json_t *vocab_ids(const char *name)
{
	json_t *a = NULL;
	if (!strcmp(name, "{statuses}")) {
		a = json_array();
		for (int s = 0; s < ST__COUNT; s++)
			json_array_append_new(
			    a, json_string(tc_status_id((tc_status)s)));
	} else if (!strcmp(name, "{responsibilities}")) {
		a = json_array();
		for (int r = 0; r < RS__COUNT; r++)
			json_array_append_new(
			    a, json_string(tc_resp_id((tc_resp)r)));
	}
	return a;
}

/* pattern with each "{statuses}" and "{responsibilities}" replaced by its
 * IDs as alternatives ("provider|shared|..."; IDs are [a-z-], nothing to
 * escape), into out. */
static void fill_pattern(const char *pattern, tc_buf *out)
{
	static const char *const names[] = {"{statuses}", "{responsibilities}"};
	for (const char *p = pattern; *p;) {
		size_t k = 0;
		while (k < 2 && strncmp(p, names[k], strlen(names[k])))
			k++;
		if (k == 2) {
			tc_buf_putc(out, *p++);
			continue;
		}
		json_t *ids = vocab_ids(names[k]), *v;
		size_t i;
		json_array_foreach (ids, i, v)
			tc_buf_printf(out, "%s%s", i ? "|" : "",
				      json_string_value(v));
		json_decref(ids);
		p += strlen(names[k]);
	}
}

/* Fills the vocabulary into schema node (file: its file, for errors): an
 * "enum" written "{statuses}" or "{responsibilities}" becomes the list of
 * the vocabulary's IDs, and the same words in a "pattern" its IDs as
 * alternatives, so a status is added in lib/vocab.c alone. Returns
 * nonzero after reporting an "enum" that is another string. The depth is
 * that of jansson's parser (JSON_PARSER_MAX_DEPTH, 2048). */
static int fill_vocab(json_t *node, const char *file, tc_diags *d)
{
	int bad = 0;
	size_t i;
	json_t *v;
	if (json_is_array(node)) {
		json_array_foreach (node, i, v)
			bad |= fill_vocab(v, file, d);
		return bad;
	}
	const char *k;
	json_object_foreach (node, k, v) {
		if (!strcmp(k, "enum") && json_is_string(v)) {
			json_t *ids = vocab_ids(json_string_value(v));
			if (!ids) {
				/* the string is not quoted: it may hold
				 * any character */
				tc_diags_add(
				    d, file, 1, 1,
				    "an \"enum\" of the JSON Schema is "
				    "a string but neither "
				    "\"{statuses}\" nor "
				    "\"{responsibilities}\" (lists of "
				    "lib/vocab.c); a list is an array");
				bad = 1;
			} else
				json_object_set_new(node, k, ids);
		} else if (!strcmp(k, "pattern") && json_is_string(v)) {
			tc_buf b = TC_BUF_INIT;
			fill_pattern(json_string_value(v), &b);
			json_string_set(v, tc_buf_cstr(&b));
			tc_buf_free(&b);
		} else
			bad |= fill_vocab(v, file, d);
	}
	return bad;
}

json_t *tc_apidoc_load(const tc_model *m, const char *tdir, tc_diags *d)
{
	json_t *all = json_object();
	int bad = 0;
	for (const char *const *n = tc_apidoc_names; *n; n++) {
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s/schema/%s.schema.json", tdir, *n);
		json_error_t e;
		json_t *s = json_load_file(tc_buf_cstr(&p), 0, &e);
		if (!json_is_object(s)) {
			tc_diags_add(d, tc_buf_cstr(&p), e.line, e.column,
				     "cannot read the JSON Schema: %s",
				     s ? "not an object" : e.text);
			bad = 1;
		} else if (fill_vocab(s, tc_buf_cstr(&p), d)) {
			bad = 1;
		} else if (too_many_fields(s)) {
			tc_diags_add(
			    d, tc_buf_cstr(&p), 1, 1,
			    "the JSON Schema has %d fields or more (at "
			    "most %d; a \"$ref\" that names its own "
			    "definition?)",
			    TC_APIDOC_MAX_FIELDS, TC_APIDOC_MAX_FIELDS - 1);
			bad = 1;
		} else {
			char *id = tc_export_schema_url(m, *n);
			json_object_set_new(s, "$id", json_string(id));
			free(id);
			json_object_set(all, *n, s);
		}
		json_decref(s);
		tc_buf_free(&p);
	}
	if (bad) {
		json_decref(all);
		return NULL;
	}
	return all;
}

json_t *tc_apidoc_words(const char *tdir, const char *lang, tc_diags *d)
{
	if (!strcmp(lang, "en"))
		return json_object();
	tc_buf p = TC_BUF_INIT;
	tc_buf_printf(&p, "%s/i18n/%s.schemas.json", tdir, lang);
	const char *file = tc_buf_cstr(&p);
	if (access(file, F_OK) != 0) {
		tc_buf_free(&p);
		return json_object();
	}
	size_t len = 0;
	char *text = tc_source_load(file, &len, d);
	json_t *w = NULL;
	if (text) {
		json_error_t e;
		w = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
		const char *k;
		json_t *v;
		if (!w)
			tc_diags_add(d, file, e.line > 0 ? e.line : 0,
				     e.column > 0 ? e.column : 0,
				     "schema words are not valid JSON: %s",
				     e.text);
		else if (!json_is_object(w)) {
			tc_diags_add(d, file, 1, 1,
				     "schema words: not an object of strings");
			json_decref(w);
			w = NULL;
		} else
			json_object_foreach (w, k, v) {
				if (json_is_string(v) &&
				    json_string_length(v) <= TC_MAX_MSG_BYTES &&
				    *json_string_value(v))
					continue;
				tc_diags_add(
				    d, file, 1, 1,
				    "schema words: the word of '%.60s' must be "
				    "a string of 1 to %d bytes",
				    k, TC_MAX_MSG_BYTES);
				json_decref(w);
				w = NULL;
				break;
			}
	}
	free(text);
	tc_buf_free(&p);
	return w;
}

const char *tc_apidoc_word(const json_t *words, const char *english)
{
	const char *w =
	    json_string_value(json_object_get(words, english ? english : ""));
	return w ? w : english;
}

/* The definition a "$ref": "#/$defs/x" names, or node itself. */
static json_t *deref(json_t *root, json_t *node)
{
	const char *ref = json_string_value(json_object_get(node, "$ref"));
	if (!ref || strncmp(ref, "#/$defs/", 8))
		return node;
	json_t *def = json_object_get(json_object_get(root, "$defs"), ref + 8);
	return def ? def : node;
}

static void type_words(json_t *node, const tc_lang *l, tc_buf *out)
{
	json_t *en = json_object_get(node, "enum"), *v;
	size_t i;
	if (json_is_array(en)) {
		tc_buf_puts(out, tc_msg(l, "api_type_one_of"));
		json_array_foreach (en, i, v)
			tc_buf_printf(out, "%s %s", i ? "," : "",
				      json_string_value(v));
	} else if (json_object_get(node, "const")) {
		char *c =
		    json_dumps(json_object_get(node, "const"), JSON_ENCODE_ANY);
		tc_msgf(out, l, "api_type_always", "value", c, NULL);
		free(c);
	} else {
		const char *t =
		    json_string_value(json_object_get(node, "type"));
		tc_buf_puts(out, t ? t : "any");
	}
}

static void walk(json_t *root, const tc_lang *l, json_t *node, const char *path,
		 json_t *out, int depth);

static void field(json_t *root, const tc_lang *l, json_t *prop,
		  const char *path, json_t *out, int depth)
{
	if (json_array_size(out) >= TC_APIDOC_MAX_FIELDS)
		return;
	json_t *def = deref(root, prop);
	const char *desc =
	    json_string_value(json_object_get(prop, "description"));
	if (!desc)
		desc = json_string_value(json_object_get(def, "description"));
	tc_buf t = TC_BUF_INIT;
	type_words(def, l, &t);
	json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "path", path,
					     "type", tc_buf_cstr(&t),
					     "description", desc ? desc : ""));
	tc_buf_free(&t);
	walk(root, l, def, path, out, depth + 1);
}

/* Emits a row per property of node, depth first: arrays as "[]", maps by
 * key as ".<key>". */
static void walk(json_t *root, const tc_lang *l, json_t *node, const char *path,
		 json_t *out, int depth)
{
	if (depth > 8 || json_array_size(out) >= TC_APIDOC_MAX_FIELDS)
		return;
	tc_buf p = TC_BUF_INIT;
	json_t *items = json_object_get(node, "items");
	if (json_is_object(items)) {
		tc_buf_printf(&p, "%s[]", path);
		walk(root, l, deref(root, items), tc_buf_cstr(&p), out,
		     depth + 1);
	}
	const char *k;
	json_t *v;
	json_object_foreach (json_object_get(node, "properties"), k, v) {
		tc_buf_clear(&p);
		tc_buf_printf(&p, "%s%s%s", path, *path ? "." : "", k);
		field(root, l, v, tc_buf_cstr(&p), out, depth);
	}
	json_t *more = json_object_get(node, "additionalProperties");
	if (json_is_object(more)) {
		const char *key = json_string_value(json_object_get(
		    json_object_get(node, "propertyNames"), "title"));
		tc_buf_clear(&p);
		tc_buf_printf(&p, "%s.<%s>", path, key ? key : "key");
		field(root, l, more, tc_buf_cstr(&p), out, depth);
	}
	tc_buf_free(&p);
}

json_t *tc_apidoc_fields(json_t *schema, const tc_lang *l)
{
	json_t *out = json_array();
	walk(schema, l, schema, "", out, 0);
	return out;
}
