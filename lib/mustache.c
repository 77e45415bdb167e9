/* mustache.c: tokenizer, standalone-line pass, tree builder and renderer.
 *
 * Parsing happens in three steps. The tokenizer cuts the source into text
 * pieces (never longer than one line) and tags, following set-delimiter tags
 * as it goes. The standalone pass then looks at each source line: a line
 * that holds only whitespace and tags that produce no output (sections,
 * comments, partials, parents, blocks, delimiters) disappears entirely, and
 * its leading whitespace becomes the indentation of the partials, parents
 * and blocks on it. Finally the tree builder matches sections to their
 * closing tags. */
#include "mustache.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

enum kind {
	K_TEXT,
	K_VAR,
	K_RAW,
	K_SECTION,
	K_INVERTED,
	K_CLOSE,
	K_PARTIAL,
	K_PARENT,
	K_BLOCK,
	K_COMMENT,
	K_DELIM,
};

typedef struct tok {
	enum kind kind;
	const char *s; /* text, or the tag's name */
	size_t n;
	int line, col;
	bool removed;    /* part of a standalone line */
	bool standalone; /* a tag on a standalone line */
	bool bol;        /* text that starts a source line */
	size_t line_ws;  /* standalone: length of the line's indentation */
	const char *line_start;
} tok;

typedef struct node node;
typedef struct key {
	char *s;
	size_t n;
} key;

typedef struct nodes {
	node **v;
	size_t n, cap;
} nodes;

struct node {
	enum kind kind;
	char *text; /* text, or the name */
	size_t len;
	key *path; /* dotted name split at '.'; NULL for "." */
	size_t npath;
	int line, col;
	bool bol;
	char *indent;        /* partial/parent: standalone indentation */
	char *expand_indent; /* block: indentation at its site */
	nodes kids;
};

struct mus_tpl {
	char *name;
	char *file;
	nodes root;
	bool checked; /* mus_env_check has walked it */
	mus_tpl *next;
};

struct mus_env {
	mus_load_fn load;
	void *ud;
	mus_tpl *tpls;
	/* names the loader had no template for, so we ask only once */
	char **missing;
	size_t nmissing;
	size_t budget; /* see mus_env_set_budget */
};

/* ---- nodes ---- */

static void nodes_push(nodes *l, node *x)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = tc_xrealloc(l->v, l->cap * sizeof(node *));
	}
	l->v[l->n++] = x;
}

static void node_free(node *x);

static void nodes_free(nodes *l)
{
	for (size_t i = 0; i < l->n; i++)
		node_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void node_free(node *x)
{
	if (!x)
		return;
	free(x->text);
	for (size_t i = 0; i < x->npath; i++)
		free(x->path[i].s);
	free(x->path);
	free(x->indent);
	free(x->expand_indent);
	nodes_free(&x->kids);
	free(x);
}

static node *node_new(const tok *t)
{
	node *x = tc_xcalloc(1, sizeof(node));
	x->kind = t->kind;
	x->text = tc_xstrndup(t->s, t->n);
	x->len = t->n;
	x->line = t->line;
	x->col = t->col;
	x->bol = t->bol;
	if (t->kind != K_TEXT && strcmp(x->text, ".") != 0) {
		const char *p = x->text;
		for (;;) {
			const char *dot = strchr(p, '.');
			size_t n = dot ? (size_t)(dot - p) : strlen(p);
			x->path =
			    tc_xrealloc(x->path, (x->npath + 1) * sizeof(key));
			x->path[x->npath++] = (key){tc_xstrndup(p, n), n};
			if (!dot)
				break;
			p = dot + 1;
		}
	}
	return x;
}

/* ---- tokenizer ---- */

typedef struct toks {
	tok *v;
	size_t n, cap;
} toks;

typedef struct lexer {
	const char *src, *end;
	const char *file;
	tc_diags *diags;
	int errors;
	char otag[16], ctag[16];
	size_t olen, clen;
	int line;
	const char *line_start;
	toks out;
} lexer;

static tok *toks_add(toks *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = tc_xrealloc(l->v, l->cap * sizeof(tok));
	}
	tok *t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void lex_error(lexer *lx, int line, int col, const char *msg,
		      const char *name, size_t n)
{
	if (lx->diags)
		tc_diags_add(lx->diags, lx->file, line, col, msg, (int)n, name);
	lx->errors++;
}

/* Advances line bookkeeping over [p, q). */
static void lex_count(lexer *lx, const char *p, const char *q)
{
	for (; p < q; p++)
		if (*p == '\n') {
			lx->line++;
			lx->line_start = p + 1;
		}
}

static void lex_text(lexer *lx, const char *p, const char *q)
{
	while (p < q) {
		const char *nl = memchr(p, '\n', (size_t)(q - p));
		const char *e = nl ? nl + 1 : q;
		tok *t = toks_add(&lx->out);
		t->kind = K_TEXT;
		t->s = p;
		t->n = (size_t)(e - p);
		t->line = lx->line;
		t->col = (int)(p - lx->line_start) + 1;
		t->line_start = lx->line_start;
		lex_count(lx, p, e);
		p = e;
	}
}

static const char *find(const char *p, const char *end, const char *needle,
			size_t n)
{
	for (; p + n <= end; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static bool set_delims(lexer *lx, const char *s, const char *e)
{
	trim(&s, &e);
	const char *sp = s;
	while (sp < e && !isspace((unsigned char)*sp))
		sp++;
	const char *c = sp;
	while (c < e && isspace((unsigned char)*c))
		c++;
	size_t ol = (size_t)(sp - s), cl = (size_t)(e - c);
	if (ol == 0 || cl == 0 || ol >= sizeof lx->otag ||
	    cl >= sizeof lx->ctag || memchr(c, ' ', cl) || memchr(s, '=', ol) ||
	    memchr(c, '=', cl))
		return false;
	memcpy(lx->otag, s, ol);
	lx->olen = ol;
	memcpy(lx->ctag, c, cl);
	lx->clen = cl;
	return true;
}

/* Lexes one tag starting at p (which points at the opening delimiter).
 * Returns the position after it, or NULL after reporting an error. */
static const char *lex_tag(lexer *lx, const char *p)
{
	int line = lx->line, col = (int)(p - lx->line_start) + 1;
	const char *line_start = lx->line_start;
	const char *s = p + lx->olen;
	enum kind kind = K_VAR;
	char closer = 0;
	if (s < lx->end) {
		switch (*s) {
		case '{':
			kind = K_RAW;
			closer = '}';
			s++;
			break;
		case '&':
			kind = K_RAW;
			s++;
			break;
		case '#':
			kind = K_SECTION;
			s++;
			break;
		case '^':
			kind = K_INVERTED;
			s++;
			break;
		case '/':
			kind = K_CLOSE;
			s++;
			break;
		case '>':
			kind = K_PARTIAL;
			s++;
			break;
		case '<':
			kind = K_PARENT;
			s++;
			break;
		case '$':
			kind = K_BLOCK;
			s++;
			break;
		case '!':
			kind = K_COMMENT;
			s++;
			break;
		case '=':
			kind = K_DELIM;
			closer = '=';
			s++;
			break;
		}
	}
	char need[20];
	size_t nn = 0;
	if (closer)
		need[nn++] = closer;
	memcpy(need + nn, lx->ctag, lx->clen);
	nn += lx->clen;
	const char *e = find(s, lx->end, need, nn);
	if (!e) {
		lex_error(lx, line, col, "unclosed tag '%.*s'", lx->otag,
			  lx->olen);
		return NULL;
	}
	const char *after = e + nn;
	if (kind == K_DELIM && !set_delims(lx, s, e)) {
		lex_error(lx, line, col, "invalid set-delimiters tag '%.*s'", s,
			  (size_t)(e - s));
		lex_count(lx, p, after);
		return after;
	}
	const char *ns = s, *ne = e;
	trim(&ns, &ne);
	if (kind != K_COMMENT && kind != K_DELIM &&
	    (ns == ne || memchr(ns, ' ', (size_t)(ne - ns)) ||
	     memchr(ns, '\n', (size_t)(ne - ns)))) {
		lex_error(lx, line, col, "invalid tag name '%.*s'", ns,
			  (size_t)(ne - ns));
		lex_count(lx, p, after);
		return after;
	}
	tok *t = toks_add(&lx->out);
	t->kind = kind;
	t->s = ns;
	t->n = (size_t)(ne - ns);
	t->line = line;
	t->col = col;
	t->line_start = line_start;
	lex_count(lx, p, after);
	return after;
}

static void lex(lexer *lx)
{
	const char *p = lx->src;
	while (p < lx->end) {
		const char *o = find(p, lx->end, lx->otag, lx->olen);
		if (!o) {
			lex_text(lx, p, lx->end);
			return;
		}
		lex_text(lx, p, o);
		p = lex_tag(lx, o);
		if (!p)
			return;
	}
}

/* ---- standalone lines ---- */

static bool silent_tag(enum kind k)
{
	return k != K_TEXT && k != K_VAR && k != K_RAW;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* A source line is the run of tokens up to a text token ending in '\n'. */
static void mark_standalone(toks *l)
{
	size_t i = 0;
	while (i < l->n) {
		size_t j = i;
		bool tags = false, ok = true;
		for (; j < l->n; j++) {
			tok *t = &l->v[j];
			if (t->kind == K_TEXT) {
				ok = ok && blank(t->s, t->n);
				if (t->s[t->n - 1] == '\n') {
					j++;
					break;
				}
			} else {
				tags = true;
				ok = ok && silent_tag(t->kind);
			}
		}
		if (tags && ok) {
			size_t ws = 0;
			if (l->v[i].kind == K_TEXT)
				ws = l->v[i].n;
			bool empty_block = false;
			for (size_t k = i; k < j; k++) {
				tok *t = &l->v[k];
				if (t->kind == K_TEXT) {
					t->removed = true;
				} else {
					t->standalone = true;
					t->line_ws = ws;
				}
				empty_block =
				    empty_block ||
				    (k + 1 < j && t->kind == K_BLOCK &&
				     l->v[k + 1].kind == K_CLOSE);
			}
			/* An empty block on its own line is a placeholder for
			 * lines: it keeps the line break after it. */
			tok *last = &l->v[j - 1];
			if (empty_block && last->kind == K_TEXT && j - 1 > i)
				last->removed = false;
		}
		i = j;
	}
	bool bol = true;
	for (i = 0; i < l->n; i++) {
		tok *t = &l->v[i];
		if (t->kind == K_TEXT && !t->removed) {
			t->bol = bol;
			bol = t->s[t->n - 1] == '\n';
		} else if (t->kind == K_TEXT) {
			bol = true;
		} else if (!t->standalone) {
			bol = false;
		}
	}
}

/* ---- tree ---- */

/* Sections, blocks and parents nested in one template. build() and the
 * renderer recurse once per level, so without a bound 100,000 "{{#a}}"
 * overflow the stack; no real template comes near it. */
#define MAX_NESTING 100

typedef struct builder {
	toks *t;
	size_t i;
	const char *file;
	tc_diags *diags;
	int errors;
	bool at_eof; /* an unclosed section was reported */
	int depth;
} builder;

static void strip_indent(nodes *l, const char *ind, size_t n);

/* Leading whitespace of the block's first line, or the tag's own
 * indentation when the block is empty: where block content lines up. */
static void block_indent(node *b, const tok *open)
{
	if (!open->standalone)
		return;
	const char *ind = open->line_start;
	size_t n = open->line_ws;
	if (b->kids.n && b->kids.v[0]->kind == K_TEXT && b->kids.v[0]->bol) {
		node *f = b->kids.v[0];
		ind = f->text;
		n = 0;
		while (n < f->len && (f->text[n] == ' ' || f->text[n] == '\t'))
			n++;
	}
	b->expand_indent = tc_xstrndup(ind, n);
	strip_indent(&b->kids, b->expand_indent, n);
}

static void strip_indent(nodes *l, const char *ind, size_t n)
{
	for (size_t i = 0; i < l->n; i++) {
		node *x = l->v[i];
		if (x->kind == K_TEXT && x->bol) {
			size_t k = 0;
			while (k < n && k < x->len && x->text[k] == ind[k])
				k++;
			memmove(x->text, x->text + k, x->len - k + 1);
			x->len -= k;
		} else if (x->kind == K_BLOCK && x->expand_indent) {
			char *e = x->expand_indent;
			size_t k = 0;
			while (k < n && e[k] && e[k] == ind[k])
				k++;
			memmove(e, e + k, strlen(e + k) + 1);
		} else if (x->kind == K_SECTION || x->kind == K_INVERTED) {
			strip_indent(&x->kids, ind, n);
		}
	}
}

/* Builds nodes into out until a closing tag (returned) or the end (NULL). */
static const tok *build(builder *b, nodes *out)
{
	while (b->i < b->t->n) {
		const tok *t = &b->t->v[b->i++];
		if (t->removed || t->kind == K_COMMENT || t->kind == K_DELIM)
			continue;
		if (t->kind == K_CLOSE)
			return t;
		node *x = node_new(t);
		if (t->standalone && t->line_ws &&
		    (t->kind == K_PARTIAL || t->kind == K_PARENT))
			x->indent = tc_xstrndup(t->line_start, t->line_ws);
		nodes_push(out, x);
		if (t->kind != K_SECTION && t->kind != K_INVERTED &&
		    t->kind != K_PARENT && t->kind != K_BLOCK)
			continue;
		if (b->depth == MAX_NESTING) {
			tc_diags_add(b->diags, b->file, t->line, t->col,
				     "sections nested deeper than %d levels",
				     MAX_NESTING);
			b->errors++;
			b->at_eof = true; /* no "never closed" after this */
			b->i = b->t->n;
			return NULL;
		}
		b->depth++;
		const tok *c = build(b, &x->kids);
		b->depth--;
		if (!c) {
			/* Only the innermost: the enclosing sections are
			 * unclosed because of it. */
			if (!b->at_eof)
				tc_diags_add(b->diags, b->file, t->line, t->col,
					     "section '%s' is never closed",
					     x->text);
			b->at_eof = true;
			b->errors++;
			return NULL;
		}
		if (c->n != x->len || memcmp(c->s, x->text, x->len) != 0) {
			tc_diags_add(b->diags, b->file, c->line, c->col,
				     "closing tag '%.*s' does not match "
				     "section '%s' opened at line %d",
				     (int)c->n, c->s, x->text, t->line);
			b->errors++;
		}
		if (t->kind == K_BLOCK)
			block_indent(x, t);
	}
	return NULL;
}

static void tpl_free(mus_tpl *t)
{
	nodes_free(&t->root);
	free(t->name);
	free(t->file);
	free(t);
}

mus_tpl *mus_env_parse(mus_env *env, const char *name, const char *file,
		       const char *src, tc_diags *diags)
{
	tc_diags *scratch = diags ? NULL : tc_diags_new();
	lexer lx = {.src = src,
		    .end = src + strlen(src),
		    .file = file,
		    .diags = diags ? diags : scratch,
		    .otag = "{{",
		    .ctag = "}}",
		    .olen = 2,
		    .clen = 2,
		    .line = 1,
		    .line_start = src};
	lex(&lx);
	mark_standalone(&lx.out);
	mus_tpl *tpl = tc_xcalloc(1, sizeof(mus_tpl));
	builder b = {&lx.out, 0, file, lx.diags, 0, false, 0};
	while (b.i < lx.out.n) {
		const tok *c = build(&b, &tpl->root);
		if (c) {
			tc_diags_add(lx.diags, file, c->line, c->col,
				     "closing tag '%.*s' without an open "
				     "section",
				     (int)c->n, c->s);
			b.errors++;
		}
	}
	free(lx.out.v);
	tc_diags_free(scratch);
	if (lx.errors || b.errors) {
		tpl_free(tpl);
		return NULL;
	}
	tpl->name = tc_xstrdup(name);
	tpl->file = tc_xstrdup(file ? file : name);
	tpl->next = env->tpls;
	env->tpls = tpl;
	return tpl;
}

/* ---- environment ---- */

mus_env *mus_env_new(mus_load_fn load, void *ud)
{
	mus_env *env = tc_xcalloc(1, sizeof(mus_env));
	env->load = load;
	env->ud = ud;
	env->budget = SIZE_MAX;
	return env;
}

void mus_env_free(mus_env *env)
{
	if (!env)
		return;
	while (env->tpls) {
		mus_tpl *n = env->tpls->next;
		tpl_free(env->tpls);
		env->tpls = n;
	}
	for (size_t i = 0; i < env->nmissing; i++)
		free(env->missing[i]);
	free(env->missing);
	free(env);
}

static bool known_missing(mus_env *env, const char *name)
{
	for (size_t i = 0; i < env->nmissing; i++)
		if (strcmp(env->missing[i], name) == 0)
			return true;
	return false;
}

mus_tpl *mus_env_get(mus_env *env, const char *name, tc_diags *diags)
{
	for (mus_tpl *t = env->tpls; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	if (!env->load || known_missing(env, name))
		return NULL;
	char *file = NULL;
	char *src = env->load(env->ud, name, &file);
	mus_tpl *t = NULL;
	if (src)
		t = mus_env_parse(env, name, file ? file : name, src, diags);
	if (!t) {
		env->missing = tc_xrealloc(env->missing, (env->nmissing + 1) *
							     sizeof(char *));
		env->missing[env->nmissing++] = tc_xstrdup(name);
	}
	free(src);
	free(file);
	return t;
}

static int check_nodes(mus_env *env, const mus_tpl *tpl, const nodes *l,
		       tc_diags *diags, int depth)
{
	int problems = 0;
	for (size_t i = 0; i < l->n; i++) {
		const node *x = l->v[i];
		if (x->kind == K_PARTIAL || x->kind == K_PARENT) {
			bool was_missing = known_missing(env, x->text);
			mus_tpl *p = mus_env_get(env, x->text, diags);
			if (!p) {
				if (!was_missing || diags)
					tc_diags_add(
					    diags, tpl->file, x->line, x->col,
					    "partial '%s' not found or "
					    "invalid",
					    x->text);
				problems++;
			} else if (!p->checked && depth < 32) {
				/* each template once: a partial used twice in
				 * itself made this exponential */
				p->checked = true;
				problems += check_nodes(env, p, &p->root, diags,
							depth + 1);
			}
		}
		problems += check_nodes(env, tpl, &x->kids, diags, depth);
	}
	return problems;
}

int mus_env_check(mus_env *env, mus_tpl *tpl, tc_diags *diags)
{
	if (tpl->checked)
		return 0;
	tpl->checked = true;
	return check_nodes(env, tpl, &tpl->root, diags, 0);
}

void mus_env_set_budget(mus_env *env, size_t units)
{
	env->budget = units;
}

/* ---- data models ---- */

/* The renderer sees data only through these operations, so one renderer
 * serves jansson values (tc-search) and arena values (tc-gen) without
 * converting either. Values are opaque pointers; NULL is a missing name. */
typedef struct ctx_ops {
	/* The value under key in v when v is a map, else NULL. */
	const void *(*get)(const void *v, const char *key, size_t n);
	/* Mustache truthiness, as documented in mustache.h. */
	bool (*truthy)(const void *v);
	/* True, with *n set, when v is a list. */
	bool (*list)(const void *v, size_t *n);
	const void *(*at)(const void *list, size_t i);
	/* The text of a string, number or boolean and its length in *n, or
	 * NULL for anything else. Numbers are formatted into tmp (NUM_MAX
	 * bytes). */
	const char *(*text)(const void *v, char *tmp, size_t *n);
} ctx_ops;

#define NUM_MAX 64

/* Integers as "%lld" would print them, without the format parser: a table
 * page prints thousands. */
static const char *fmt_int(long long v, char *tmp, size_t *n)
{
	char *e = tmp + NUM_MAX, *p = e;
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	*n = (size_t)(e - p);
	return p;
}

/* The shortest form that reads back as the same double (1.5, not 1.5000). */
static const char *fmt_real(double d, char *tmp, size_t *n)
{
	int k = 0;
	for (int prec = 1; prec <= 17; prec++) {
		k = snprintf(tmp, NUM_MAX, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	*n = k > 0 ? (size_t)k : 0;
	return tmp;
}

/* jansson */

static const void *json_get(const void *v, const char *k, size_t n)
{
	return json_is_object((const json_t *)v)
		   ? json_object_getn((const json_t *)v, k, n)
		   : NULL;
}

static bool json_truthy(const void *p)
{
	const json_t *v = p;
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_number(v))
		return json_number_value(v) != 0;
	return true;
}

static bool json_list(const void *v, size_t *n)
{
	if (!json_is_array((const json_t *)v))
		return false;
	*n = json_array_size((const json_t *)v);
	return true;
}

static const void *json_at(const void *v, size_t i)
{
	return json_array_get((const json_t *)v, i);
}

static const char *json_text(const void *p, char *tmp, size_t *n)
{
	const json_t *v = p;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		*n = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER: return fmt_int(json_integer_value(v), tmp, n);
	case JSON_REAL: return fmt_real(json_real_value(v), tmp, n);
	case JSON_TRUE: *n = 4; return "true";
	case JSON_FALSE: *n = 5; return "false";
	default: return NULL;
	}
}

static const ctx_ops json_ops = {json_get, json_truthy, json_list, json_at,
				 json_text};

/* tc_val */

static const void *val_get(const void *v, const char *k, size_t n)
{
	return tc_val_getn(v, k, n);
}

static bool val_truthy(const void *v)
{
	switch (tc_val_typeof(v)) {
	case TC_VAL_NULL: return false;
	case TC_VAL_BOOL: return tc_val_bool_value(v);
	case TC_VAL_INT: return tc_val_int_value(v) != 0;
	case TC_VAL_REAL: return tc_val_real_value(v) != 0;
	case TC_VAL_STR:
	case TC_VAL_LIST: return tc_val_len(v) > 0;
	case TC_VAL_MAP: return true;
	}
	return false;
}

static bool val_list(const void *v, size_t *n)
{
	if (tc_val_typeof(v) != TC_VAL_LIST)
		return false;
	*n = tc_val_len(v);
	return true;
}

static const void *val_at(const void *v, size_t i)
{
	return tc_val_at(v, i);
}

static const char *val_text(const void *v, char *tmp, size_t *n)
{
	switch (tc_val_typeof(v)) {
	case TC_VAL_STR: return tc_val_str_value(v, n);
	case TC_VAL_INT: return fmt_int(tc_val_int_value(v), tmp, n);
	case TC_VAL_REAL: return fmt_real(tc_val_real_value(v), tmp, n);
	case TC_VAL_BOOL:
		*n = tc_val_bool_value(v) ? 4 : 5;
		return tc_val_bool_value(v) ? "true" : "false";
	default: return NULL;
	}
}

static const ctx_ops val_ops = {val_get, val_truthy, val_list, val_at,
				val_text};

/* ---- rendering ---- */

#define MAX_DEPTH 100

typedef struct render {
	mus_env *env;
	const ctx_ops *ops;
	tc_buf *out;
	const void **stack;
	size_t depth, cap;
	const void *stack0[32]; /* most renders never need more */
	tc_buf indent;
	bool bol;
	const node **frames; /* parent tags whose blocks override */
	size_t nframes, framecap;
	int nesting;
	int level;    /* render_nodes calls on the C stack */
	size_t spent; /* nodes rendered plus bytes written */
	bool over;    /* the budget or the depth ran out: stop */
} render;

static void push(render *r, const void *v)
{
	if (r->depth == r->cap) {
		r->cap *= 2;
		if (r->stack == r->stack0) {
			r->stack = tc_xmalloc(r->cap * sizeof(void *));
			memcpy(r->stack, r->stack0, sizeof r->stack0);
		} else {
			r->stack =
			    tc_xrealloc(r->stack, r->cap * sizeof(void *));
		}
	}
	r->stack[r->depth++] = v;
}

static const void *lookup(render *r, const node *x)
{
	if (!x->path)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const void *v = NULL;
	const key *k = x->path;
	for (size_t i = r->depth; i-- > 0;)
		if (r->stack[i] && (v = r->ops->get(r->stack[i], k->s, k->n)))
			break;
	for (size_t i = 1; v && i < x->npath; i++)
		v = r->ops->get(v, x->path[i].s, x->path[i].n);
	return v;
}

/* Indentation is output like any other: nested standalone partials add
 * theirs up, and a long one repeated on every line must count too. */
static void put_indent(render *r)
{
	r->spent += r->indent.len;
	tc_buf_put(r->out, r->indent.data, r->indent.len);
}

static void emit_text(render *r, const char *s, size_t n)
{
	r->spent += n;
	if (!n)
		return;
	if (r->bol && r->indent.len)
		put_indent(r);
	tc_buf_put(r->out, s, n);
	r->bol = s[n - 1] == '\n';
}

static void emit_value(render *r, const void *v, bool escape)
{
	char num[NUM_MAX];
	size_t n = 0;
	const char *s = v ? r->ops->text(v, num, &n) : NULL;
	if (!s || !n)
		return;
	r->spent += n;
	if (r->bol && r->indent.len)
		put_indent(r);
	r->bol = false;
	if (escape)
		tc_esc_html(r->out, s, n);
	else
		tc_buf_put(r->out, s, n);
}

static void render_nodes(render *r, const nodes *l);

static void with_indent(render *r, const char *ind, const nodes *l)
{
	size_t saved = r->indent.len;
	if (ind) {
		tc_buf_puts(&r->indent, ind);
		r->bol = true;
	}
	render_nodes(r, l);
	r->indent.len = saved;
	if (r->indent.data)
		r->indent.data[saved] = '\0';
}

static void render_section(render *r, const node *x)
{
	const void *v = lookup(r, x);
	bool yes = v && r->ops->truthy(v);
	if (x->kind == K_INVERTED) {
		if (!yes)
			render_nodes(r, &x->kids);
		return;
	}
	if (!yes)
		return;
	size_t n;
	if (r->ops->list(v, &n)) {
		for (size_t i = 0; i < n; i++) {
			push(r, r->ops->at(v, i));
			render_nodes(r, &x->kids);
			r->depth--;
		}
		return;
	}
	push(r, v);
	render_nodes(r, &x->kids);
	r->depth--;
}

/* The outermost override wins: a child template's block beats the one its
 * parent passes further up. */
static const node *find_override(render *r, const char *name)
{
	for (size_t i = 0; i < r->nframes; i++) {
		const nodes *k = &r->frames[i]->kids;
		for (size_t j = 0; j < k->n; j++)
			if (k->v[j]->kind == K_BLOCK &&
			    strcmp(k->v[j]->text, name) == 0)
				return k->v[j];
	}
	return NULL;
}

static void render_partial(render *r, const node *x)
{
	mus_tpl *t = mus_env_get(r->env, x->text, NULL);
	if (!t || r->nesting >= MAX_DEPTH)
		return;
	r->nesting++;
	if (x->kind == K_PARENT) {
		if (r->nframes == r->framecap) {
			r->framecap = r->framecap ? r->framecap * 2 : 8;
			r->frames = tc_xrealloc(r->frames,
						r->framecap * sizeof(node *));
		}
		r->frames[r->nframes++] = x;
		with_indent(r, x->indent, &t->root);
		r->nframes--;
	} else {
		/* A plain partial is a parent without arguments: blocks in
		 * it show their defaults. */
		size_t saved = r->nframes;
		r->nframes = 0;
		with_indent(r, x->indent, &t->root);
		r->nframes = saved;
	}
	r->nesting--;
}

/* Partials, sections and blocks nested at render time, all templates
 * together: MAX_DEPTH partials of MAX_NESTING sections each would be
 * 10,000 levels of C recursion. */
#define MAX_RENDER_LEVEL 400

static void render_nodes(render *r, const nodes *l)
{
	if (r->over)
		return;
	if (r->level == MAX_RENDER_LEVEL) {
		r->over = true;
		return;
	}
	r->level++;
	for (size_t i = 0; i < l->n && !r->over; i++) {
		const node *x = l->v[i];
		if (++r->spent > r->env->budget) {
			r->over = true;
			break;
		}
		switch (x->kind) {
		case K_TEXT: emit_text(r, x->text, x->len); break;
		case K_VAR: emit_value(r, lookup(r, x), true); break;
		case K_RAW: emit_value(r, lookup(r, x), false); break;
		case K_SECTION:
		case K_INVERTED: render_section(r, x); break;
		case K_PARTIAL:
		case K_PARENT: render_partial(r, x); break;
		case K_BLOCK: {
			const node *o = find_override(r, x->text);
			with_indent(r, x->expand_indent,
				    o ? &o->kids : &x->kids);
			break;
		}
		default: break;
		}
	}
	r->level--;
}

static void render_init(render *r, mus_env *env, const ctx_ops *ops,
			tc_buf *out)
{
	*r = (render){.env = env, .ops = ops, .out = out, .bol = true};
	r->stack = r->stack0;
	r->cap = sizeof r->stack0 / sizeof *r->stack0;
}

/* Renders with the context stack pushed so far, then frees r. Returns 0,
 * or -1 when the budget or the nesting limit ran out. */
static int render_run(render *r, const mus_tpl *tpl)
{
	render_nodes(r, &tpl->root);
	if (r->stack != r->stack0)
		free(r->stack);
	free(r->frames);
	tc_buf_free(&r->indent);
	return r->over ? -1 : 0;
}

int mus_render(mus_env *env, const mus_tpl *tpl, json_t *ctx, tc_buf *out)
{
	render r;
	render_init(&r, env, &json_ops, out);
	push(&r, ctx);
	return render_run(&r, tpl);
}

int mus_render_val(mus_env *env, const mus_tpl *tpl, const tc_val *ctx,
		   tc_buf *out)
{
	render r;
	render_init(&r, env, &val_ops, out);
	push(&r, ctx);
	return render_run(&r, tpl);
}

int mus_render_vals(mus_env *env, const mus_tpl *tpl, const tc_val *const *ctx,
		    size_t n, tc_buf *out)
{
	render r;
	render_init(&r, env, &val_ops, out);
	for (size_t i = 0; i < n; i++)
		push(&r, ctx[i]);
	return render_run(&r, tpl);
}
