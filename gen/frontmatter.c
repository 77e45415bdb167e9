#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../lib/buf.h"

typedef struct pos {
	const json_t *container;
	char *key;
	size_t idx;
	int line, col;
} pos;

struct fm_doc {
	char *file;
	json_t *root;
	bool present;
	const char *body;
	size_t body_len;
	int body_line;
	pos *pos;
	size_t npos, poscap;
};

static void add_pos(fm_doc *doc, const json_t *c, const char *key, size_t idx,
		    yaml_mark_t m)
{
	if (doc->npos == doc->poscap) {
		doc->poscap = doc->poscap ? doc->poscap * 2 : 16;
		doc->pos = tc_xrealloc(doc->pos, doc->poscap * sizeof(pos));
	}
	/* +1 for 1-based lines, +1 for the opening "---" line */
	doc->pos[doc->npos++] = (pos){c, key ? tc_xstrdup(key) : NULL, idx,
				      (int)m.line + 2, (int)m.column + 1};
}

static bool plain_int(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || strlen(s) > 15)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static json_t *scalar(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (!strcmp(s, "true"))
			return json_true();
		if (!strcmp(s, "false"))
			return json_false();
		if (!strcmp(s, "~") || !strcmp(s, "null") || !*s)
			return json_null();
		if (plain_int(s))
			return json_integer(strtoll(s, NULL, 10));
	}
	return json_stringn(s, n->data.scalar.length);
}

static json_t *convert(fm_doc *doc, yaml_document_t *y, yaml_node_t *n,
		       int depth)
{
	if (!n || depth > 32)
		return json_null();
	switch (n->type) {
	case YAML_SCALAR_NODE: return scalar(n);
	case YAML_SEQUENCE_NODE: {
		json_t *a = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(y, *it);
			add_pos(doc, a, NULL, json_array_size(a),
				c->start_mark);
			json_array_append_new(a, convert(doc, y, c, depth + 1));
		}
		return a;
	}
	case YAML_MAPPING_NODE: {
		json_t *o = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(y, p->key);
			yaml_node_t *v = yaml_document_get_node(y, p->value);
			if (k->type != YAML_SCALAR_NODE)
				continue;
			const char *key = (const char *)k->data.scalar.value;
			add_pos(doc, o, key, 0, k->start_mark);
			json_object_set_new(o, key,
					    convert(doc, y, v, depth + 1));
		}
		return o;
	}
	default: return json_null();
	}
}

/* Finds the closing "---" line; returns its offset or -1. */
static long find_close(const char *s, size_t len, size_t from)
{
	size_t i = from;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		size_t n = end - i;
		if (n && s[end - 1] == '\r')
			n--;
		if (n == 3 && memcmp(s + i, "---", 3) == 0)
			return (long)i;
		i = end + 1;
	}
	return -1;
}

static bool parse_yaml(fm_doc *doc, const char *y, size_t n, tc_diags *d)
{
	yaml_parser_t p;
	yaml_document_t ydoc;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)y, n);
	if (!yaml_parser_load(&p, &ydoc)) {
		yaml_mark_t m = p.problem_mark;
		tc_diags_add(d, doc->file, (int)m.line + 2, (int)m.column + 1,
			     "malformed YAML front matter: %s%s%s",
			     p.problem ? p.problem : "syntax error",
			     p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return false;
	}
	yaml_node_t *root = yaml_document_get_root_node(&ydoc);
	bool ok = true;
	if (!root) {
		doc->root = json_object();
	} else if (root->type != YAML_MAPPING_NODE) {
		tc_diags_add(
		    d, doc->file, (int)root->start_mark.line + 2,
		    (int)root->start_mark.column + 1,
		    "front matter must be a mapping of keys to values");
		ok = false;
	} else {
		doc->root = convert(doc, &ydoc, root, 0);
	}
	yaml_document_delete(&ydoc);
	yaml_parser_delete(&p);
	return ok;
}

fm_doc *fm_parse(const char *file, const char *src, size_t len, tc_diags *d)
{
	fm_doc *doc = tc_xcalloc(1, sizeof(fm_doc));
	doc->file = tc_xstrdup(file);
	doc->body = src;
	doc->body_len = len;
	doc->body_line = 1;
	size_t open = 0;
	if (len >= 4 && memcmp(src, "---\n", 4) == 0)
		open = 4;
	else if (len >= 5 && memcmp(src, "---\r\n", 5) == 0)
		open = 5;
	if (!open) {
		doc->root = json_object();
		return doc;
	}
	doc->present = true;
	long close = find_close(src, len, open);
	if (close < 0) {
		tc_diags_add(d, file, 1, 1,
			     "front matter opened here is never closed "
			     "with a line \"---\"");
		fm_free(doc);
		return NULL;
	}
	if (!parse_yaml(doc, src + open, (size_t)close - open, d)) {
		fm_free(doc);
		return NULL;
	}
	const char *after = memchr(src + close, '\n', len - (size_t)close);
	size_t body = after ? (size_t)(after - src) + 1 : len;
	int lines = 1;
	for (size_t i = 0; i < body; i++)
		lines += src[i] == '\n';
	doc->body = src + body;
	doc->body_len = len - body;
	doc->body_line = lines;
	return doc;
}

void fm_free(fm_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->npos; i++)
		free(doc->pos[i].key);
	free(doc->pos);
	json_decref(doc->root);
	free(doc->file);
	free(doc);
}

json_t *fm_root(const fm_doc *doc)
{
	return doc->root;
}
bool fm_present(const fm_doc *doc)
{
	return doc->present;
}
const char *fm_body(const fm_doc *doc)
{
	return doc->body;
}
size_t fm_body_len(const fm_doc *doc)
{
	return doc->body_len;
}
int fm_body_line(const fm_doc *doc)
{
	return doc->body_line;
}

void fm_pos(const fm_doc *doc, const json_t *container, const char *key,
	    size_t idx, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < doc->npos; i++) {
		const pos *p = &doc->pos[i];
		if (p->container != container)
			continue;
		if (key ? (p->key && !strcmp(p->key, key)) : p->idx == idx) {
			*line = p->line;
			*col = p->col;
			return;
		}
	}
}

static bool type_ok(const json_t *v, fm_type t)
{
	switch (t) {
	case FM_STRING: return json_is_string(v);
	case FM_BOOL: return json_is_boolean(v);
	case FM_INT: return json_is_integer(v);
	case FM_LIST: return json_is_array(v);
	case FM_MAP: return json_is_object(v);
	case FM_STRINGS: {
		if (!json_is_array(v))
			return false;
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e)
			if (!json_is_string(e))
				return false;
		return true;
	}
	}
	return false;
}

static const char *type_name(fm_type t)
{
	static const char *names[] = {"a string", "true or false", "an integer",
				      "a list", "a list of strings", "a map"};
	return names[t];
}

int fm_check(const fm_doc *doc, const json_t *obj, const fm_key *schema,
	     tc_diags *d)
{
	int problems = 0, line, col;
	const char *key;
	json_t *v;
	json_object_foreach ((json_t *)obj, key, v) {
		const fm_key *k = schema;
		while (k->name && strcmp(k->name, key))
			k++;
		fm_pos(doc, obj, key, 0, &line, &col);
		if (!k->name) {
			tc_buf known = TC_BUF_INIT;
			for (k = schema; k->name; k++)
				tc_buf_printf(&known, "%s%s",
					      k == schema ? "" : ", ", k->name);
			tc_diags_add(d, doc->file, line, col,
				     "unknown front-matter key '%s' (expected "
				     "one of: %s)",
				     key, tc_buf_cstr(&known));
			tc_buf_free(&known);
			problems++;
		} else if (!type_ok(v, k->type)) {
			tc_diags_add(d, doc->file, line, col,
				     "front-matter key '%s' must be %s", key,
				     type_name(k->type));
			problems++;
		}
	}
	for (const fm_key *k = schema; k->name; k++) {
		if (!k->required || json_object_get(obj, k->name))
			continue;
		/* Report at the mapping itself: an item of a list, or the
		 * front matter's first line. */
		line = 1;
		col = 1;
		for (size_t i = 0; i < doc->npos; i++)
			if (json_is_array(doc->pos[i].container) &&
			    json_array_get(doc->pos[i].container,
					   doc->pos[i].idx) == obj) {
				line = doc->pos[i].line;
				col = doc->pos[i].col;
			}
		tc_diags_add(d, doc->file, line, col,
			     "missing front-matter key '%s'", k->name);
		problems++;
	}
	return problems;
}
