#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../lib/buf.h"
#include "../lib/text.h"
#include "limits.h"

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

static json_t *scalar(const char *s, size_t n, yaml_scalar_style_t style)
{
	if (style == YAML_PLAIN_SCALAR_STYLE) {
		if (!strcmp(s, "true"))
			return json_true();
		if (!strcmp(s, "false"))
			return json_false();
		if (!strcmp(s, "~") || !strcmp(s, "null") || !*s)
			return json_null();
		if (plain_int(s))
			return json_integer(strtoll(s, NULL, 10));
	}
	return json_stringn(s, n);
}

/* ---- YAML events to JSON ----
 *
 * libyaml's loader (yaml_parser_load) builds the whole node graph before
 * we could look at it, and a graph of aliases is exponential once walked.
 * Building from parser events instead lets every limit hold before the
 * structure grows: depth is checked at each start event (libyaml is
 * stopped after 33 '[' of 100,000, not after a quadratic scan of all of
 * them), and an alias adds the count of values its anchor stands for
 * before it is attached. The JSON value of an alias is the anchor's value
 * itself, shared (jansson counts references), so a bomb that is within
 * the limits still takes no memory. */

typedef struct anchor {
	char *name;
	json_t *v;
	size_t nodes; /* values it stands for, aliases expanded */
} anchor;

typedef struct frame {
	json_t *c;     /* the mapping or sequence being filled */
	char *key;     /* mapping: the key waiting for its value */
	char *anchor;  /* its own anchor, registered when it ends */
	size_t nodes0; /* the node count when it started */
} frame;

typedef struct builder {
	fm_doc *doc;
	tc_diags *d;
	frame stack[TC_MAX_FM_DEPTH];
	int depth;
	size_t nodes;
	anchor *anchors;
	size_t nanchors;
	json_t *root;
} builder;

/* +1 for 1-based lines, +1 for the opening "---" line */
#define AT(b, m) (b)->doc->file, (int)(m).line + 2, (int)(m).column + 1

static void fail_at(builder *b, yaml_mark_t m, const char *msg)
{
	tc_diags_add(b->d, AT(b, m), "%s", msg);
}

/* Counts n more values; reports and fails past the limit. */
static bool count(builder *b, size_t n, yaml_mark_t m)
{
	b->nodes += n;
	if (b->nodes <= TC_MAX_FM_NODES)
		return true;
	tc_diags_add(b->d, AT(b, m),
		     "front matter has more than %d values (aliases count as "
		     "the values they repeat)",
		     TC_MAX_FM_NODES);
	return false;
}

/* What the scalar the parser is at will be: "key" or "value". */
static const char *scalar_kind(const builder *b)
{
	return b->depth && json_is_object(b->stack[b->depth - 1].c) &&
		       !b->stack[b->depth - 1].key
		   ? "key"
		   : "value";
}

/* Scalars become keys and values, and keys end up in diagnostics and
 * values in pages: no control characters, even from escapes ("\e"), and
 * none so long that repeating it on every page makes gigabytes. */
static bool text_ok(builder *b, const char *s, size_t n, yaml_mark_t m)
{
	if (n > TC_MAX_FM_SCALAR_BYTES) {
		tc_diags_add(b->d, AT(b, m),
			     "front-matter %s longer than %d bytes",
			     scalar_kind(b), TC_MAX_FM_SCALAR_BYTES);
		return false;
	}
	if (tc_text_scan(s, n) == n)
		return true;
	tc_diags_add(b->d, AT(b, m),
		     "control character in a front-matter %s (only tab and "
		     "line breaks are allowed)",
		     scalar_kind(b));
	return false;
}

/* Puts v (stolen) where the parser is: the value of the pending key, the
 * next item of a sequence, or the root. */
static bool attach(builder *b, json_t *v, yaml_mark_t m)
{
	if (!v) {
		fail_at(b, m, "internal error: cannot store this value");
		return false;
	}
	if (!b->depth) {
		if (!json_is_object(v)) {
			json_decref(v);
			fail_at(b, m,
				"front matter must be a mapping of keys to "
				"values");
			return false;
		}
		b->root = v;
		return true;
	}
	frame *f = &b->stack[b->depth - 1];
	int rc;
	if (json_is_array(f->c)) {
		add_pos(b->doc, f->c, NULL, json_array_size(f->c), m);
		rc = json_array_append_new(f->c, v);
	} else {
		rc = json_object_set_new(f->c, f->key, v);
		free(f->key);
		f->key = NULL;
	}
	if (rc < 0) {
		fail_at(b, m, "internal error: cannot store this value");
		return false;
	}
	return true;
}

/* A scalar in a mapping where a key is due: checks it is new. */
static bool take_key(builder *b, frame *f, const char *key, yaml_mark_t m)
{
	if (json_object_get(f->c, key)) {
		int line, col;
		fm_pos(b->doc, f->c, key, 0, &line, &col);
		tc_diags_add(b->d, AT(b, m),
			     "duplicate front-matter key '%s' (first at line "
			     "%d)",
			     key, line);
		return false;
	}
	add_pos(b->doc, f->c, key, 0, m);
	f->key = tc_xstrdup(key);
	return true;
}

static bool wants_key(const builder *b)
{
	const frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;
	return f && json_is_object(f->c) && !f->key;
}

static void add_anchor(builder *b, const char *name, json_t *v, size_t n)
{
	b->anchors =
	    tc_xrealloc(b->anchors, (b->nanchors + 1) * sizeof(anchor));
	b->anchors[b->nanchors++] =
	    (anchor){tc_xstrdup(name), json_incref(v), n};
}

static bool on_start(builder *b, const yaml_event_t *ev, json_t *c,
		     const yaml_char_t *anc)
{
	yaml_mark_t m = ev->start_mark;
	if (!c) {
		fail_at(b, m, "internal error: cannot store this value");
		return false;
	}
	if (wants_key(b)) {
		json_decref(c);
		fail_at(b, m,
			"front-matter keys must be strings, not lists or "
			"mappings");
		return false;
	}
	if (b->depth == TC_MAX_FM_DEPTH) {
		json_decref(c);
		tc_diags_add(b->d, AT(b, m),
			     "front matter nests deeper than %d levels",
			     TC_MAX_FM_DEPTH);
		return false;
	}
	if (!count(b, 1, m) || !attach(b, json_incref(c), m)) {
		json_decref(c);
		return false;
	}
	b->stack[b->depth++] = (frame){
	    c, NULL, anc ? tc_xstrdup((const char *)anc) : NULL, b->nodes - 1};
	return true;
}

static void on_end(builder *b)
{
	frame *f = &b->stack[--b->depth];
	if (f->anchor)
		add_anchor(b, f->anchor, f->c, b->nodes - f->nodes0);
	free(f->anchor);
	free(f->key);
	json_decref(f->c);
}

static bool on_scalar(builder *b, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	yaml_mark_t m = ev->start_mark;
	if (!count(b, 1, m) || !text_ok(b, v, n, m))
		return false;
	/* a key is a string whatever it looks like, also for its alias */
	bool key = wants_key(b);
	json_t *j =
	    key ? json_stringn(v, n) : scalar(v, n, ev->data.scalar.style);
	if (j && ev->data.scalar.anchor)
		add_anchor(b, (const char *)ev->data.scalar.anchor, j, 1);
	if (!key)
		return attach(b, j, m);
	bool ok = take_key(b, &b->stack[b->depth - 1], v, m);
	json_decref(j);
	return ok;
}

static bool on_alias(builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	yaml_mark_t m = ev->start_mark;
	const anchor *a = NULL;
	/* the latest anchor of that name: YAML lets a document reuse one */
	for (size_t i = b->nanchors; i-- > 0 && !a;)
		if (!strcmp(b->anchors[i].name, name))
			a = &b->anchors[i];
	if (!a) {
		tc_diags_add(b->d, AT(b, m),
			     "alias '*%s' names no anchor defined before it",
			     name);
		return false;
	}
	if (!count(b, a->nodes, m))
		return false;
	if (wants_key(b)) {
		if (!json_is_string(a->v)) {
			fail_at(b, m,
				"front-matter keys must be strings, not "
				"lists or mappings");
			return false;
		}
		return take_key(b, &b->stack[b->depth - 1],
				json_string_value(a->v), m);
	}
	return attach(b, json_incref(a->v), m);
}

/* One event; false stops the parse (reported). *done at the stream end. */
static bool on_event(builder *b, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, json_object(),
				ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, json_array(),
				ev->data.sequence_start.anchor);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT: on_end(b); return true;
	case YAML_SCALAR_EVENT: return on_scalar(b, ev);
	case YAML_ALIAS_EVENT: return on_alias(b, ev);
	case YAML_DOCUMENT_START_EVENT:
		if (b->root) {
			fail_at(b, ev->start_mark,
				"front matter holds more than one YAML "
				"document");
			return false;
		}
		return true;
	case YAML_STREAM_END_EVENT: *done = true; return true;
	default: return true;
	}
}

static bool parse_yaml(fm_doc *doc, const char *y, size_t n, tc_diags *d)
{
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)y, n);
	builder b = {.doc = doc, .d = d};
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_mark_t m = p.problem_mark;
			tc_diags_add(
			    d, doc->file, (int)m.line + 2, (int)m.column + 1,
			    "malformed YAML front matter: %s%s%s",
			    p.problem ? p.problem : "syntax error",
			    p.context ? " " : "", p.context ? p.context : "");
			ok = false;
			break;
		}
		ok = on_event(&b, &ev, &done);
		yaml_event_delete(&ev);
	}
	while (b.depth)
		on_end(&b);
	for (size_t i = 0; i < b.nanchors; i++) {
		free(b.anchors[i].name);
		json_decref(b.anchors[i].v);
	}
	free(b.anchors);
	yaml_parser_delete(&p);
	if (!ok) {
		json_decref(b.root);
		return false;
	}
	doc->root = b.root ? b.root : json_object();
	return true;
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
	static const char *names[] = {"a string",          "true or false",
				      "an integer",        "a list",
				      "a list of strings", "a map"};
	return names[t];
}

/* A string that shows nothing: "" or only spaces, tabs and line breaks
 * (the other control characters are not text). A required string is a
 * heading, a link or a name: empty, it makes "<h1></h1>". */
static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
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
		} else if (k->required && k->type == FM_STRING &&
			   blank(json_string_value(v))) {
			tc_diags_add(d, doc->file, line, col,
				     "front-matter key '%s' must not be empty",
				     key);
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

fm_doc *fm_parse_required(const char *file, const char *src, size_t len,
			  tc_diags *d)
{
	fm_doc *doc = fm_parse(file, src, len, d);
	if (doc && !fm_present(doc)) {
		tc_diags_add(d, file, 1, 1,
			     "missing front matter (the file must start with "
			     "a line \"---\")");
		fm_free(doc);
		return NULL;
	}
	return doc;
}
