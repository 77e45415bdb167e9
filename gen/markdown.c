#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/escape.h"
#include "../lib/lang.h"
#include "../lib/routes.h"

struct md_doc {
	cmark_parser *parser;
	cmark_node *root;
};

/* Replaces raw HTML with literal text (inline) or a code block (block), so
 * the renderer escapes it. Nodes are collected first: the tree must not
 * change under the iterator. */
static void defuse_html(cmark_node *root)
{
	cmark_node **found = NULL;
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(x);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_HTML_INLINE ||
						t == CMARK_NODE_HTML_BLOCK)) {
			found = tc_xrealloc(found, (n + 1) * sizeof *found);
			found[n++] = x;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n; i++) {
		int inline_html =
		    cmark_node_get_type(found[i]) == CMARK_NODE_HTML_INLINE;
		cmark_node *r = cmark_node_new(
		    inline_html ? CMARK_NODE_TEXT : CMARK_NODE_CODE_BLOCK);
		cmark_node_set_literal(r, cmark_node_get_literal(found[i]));
		cmark_node_replace(found[i], r);
		cmark_node_free(found[i]);
	}
	free(found);
}

md_doc *md_parse(const char *text, size_t len)
{
	cmark_gfm_core_extensions_ensure_registered();
	md_doc *d = tc_xcalloc(1, sizeof(md_doc));
	d->parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(
	    d->parser, cmark_find_syntax_extension("table"));
	cmark_parser_attach_syntax_extension(
	    d->parser, cmark_find_syntax_extension("tagfilter"));
	cmark_parser_feed(d->parser, text, len);
	d->root = cmark_parser_finish(d->parser);
	defuse_html(d->root);
	return d;
}

void md_free(md_doc *d)
{
	if (!d)
		return;
	cmark_node_free(d->root);
	cmark_parser_free(d->parser);
	free(d);
}

cmark_node *md_root(md_doc *d)
{
	return d->root;
}

char *md_render(md_doc *d)
{
	/* cmark allocates with its own allocator, which is malloc here, but
	 * copy so callers free what tc allocated. */
	char *html =
	    cmark_render_html(d->root, CMARK_OPT_DEFAULT,
			      cmark_parser_get_syntax_extensions(d->parser));
	char *copy = tc_xstrdup(html);
	cmark_get_default_mem_allocator()->free(html);
	return copy;
}

char **md_render_pieces(md_doc *d, const size_t *counts, size_t n)
{
	char **out = tc_xcalloc(n ? n : 1, sizeof *out);
	tc_buf b = TC_BUF_INIT;
	size_t piece = 0, in = 0;
	for (cmark_node *c = cmark_node_first_child(d->root); c;
	     c = cmark_node_next(c)) {
		while (piece + 1 < n && in >= counts[piece]) {
			out[piece++] = tc_buf_detach(&b);
			in = 0;
		}
		char *html = cmark_render_html(
		    c, CMARK_OPT_DEFAULT,
		    cmark_parser_get_syntax_extensions(d->parser));
		tc_buf_puts(&b, html);
		cmark_get_default_mem_allocator()->free(html);
		in++;
	}
	for (; piece < n; piece++)
		out[piece] = tc_buf_detach(&b);
	tc_buf_free(&b);
	return out;
}

char *md_plain(cmark_node *node)
{
	tc_buf b = TC_BUF_INIT;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			tc_buf_puts(&b, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: tc_buf_putc(&b, ' '); break;
		default: break;
		}
	}
	cmark_iter_free(it);
	return tc_buf_detach(&b);
}

int md_is(cmark_node *node, const char *type)
{
	return strcmp(cmark_node_get_type_string(node), type) == 0;
}

const char *md_block_shape(cmark_node *n, char buf[16])
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		snprintf(buf, 16, "h%d", cmark_node_get_heading_level(n));
		return buf;
	case CMARK_NODE_PARAGRAPH: return "p";
	case CMARK_NODE_LIST: {
		int k = 0;
		for (cmark_node *i = cmark_node_first_child(n); i;
		     i = cmark_node_next(i))
			k++;
		snprintf(buf, 16, "%s%d",
			 cmark_node_get_list_type(n) == CMARK_ORDERED_LIST
			     ? "ol"
			     : "ul",
			 k);
		return buf;
	}
	case CMARK_NODE_BLOCK_QUOTE: return "quote";
	case CMARK_NODE_CODE_BLOCK: return "code";
	case CMARK_NODE_HTML_BLOCK: return "html";
	case CMARK_NODE_THEMATIC_BREAK: return "hr";
	default: return md_is(n, "table") ? "table" : "block";
	}
}

char *md_shape(cmark_node *root)
{
	tc_buf b = TC_BUF_INIT;
	char buf[16];
	for (cmark_node *n = cmark_node_first_child(root); n;
	     n = cmark_node_next(n)) {
		if (md_is(n, "table"))
			continue;
		if (b.len)
			tc_buf_putc(&b, ' ');
		tc_buf_puts(&b, md_block_shape(n, buf));
	}
	return tc_buf_detach(&b);
}

const char *md_shape_words(const char *s, char buf[48])
{
	int k = 0;
	if (sscanf(s, "h%d", &k) == 1)
		snprintf(buf, 48, "a heading (level %d)", k);
	else if (sscanf(s, "ul%d", &k) == 1 || sscanf(s, "ol%d", &k) == 1)
		snprintf(buf, 48, "a list of %d item%s", k, k == 1 ? "" : "s");
	else
		snprintf(buf, 48, "%s",
			 !strcmp(s, "p")       ? "a paragraph"
			 : !strcmp(s, "quote") ? "a quote"
			 : !strcmp(s, "code")  ? "a code block"
			 : !strcmp(s, "html")  ? "an HTML block"
			 : !strcmp(s, "hr")    ? "a rule"
					       : "a block");
	return buf;
}

/* Only links a reader can follow safely: pages of the site, anchors, web
 * and mail addresses. Others (javascript:, data:) are shown as text. */
static int safe_url(const char *url)
{
	return url[0] == '/' || url[0] == '#' || !strncmp(url, "https://", 8) ||
	       !strncmp(url, "http://", 7) || !strncmp(url, "mailto:", 7);
}

/* A link to a page of the site leads to that page in language l
 * (lib/routes.h): "/categories/x/" is "/de/categories/x/" on a
 * German page, unless the route is the same for every language. */
static void site_link(tc_buf *u, const tc_lang *l, const char *url)
{
	if (url[0] == '/' && url[1] != '/') {
		char path[512], *slots[2];
		size_t n = strcspn(url, "?#");
		int r = -1;
		if (n < sizeof path) {
			memcpy(path, url, n);
			path[n] = '\0';
			r = tc_route_match(path, slots);
			if (r >= 0) {
				free(slots[0]);
				free(slots[1]);
			}
		}
		if (r < 0 || !tc_route_get((tc_route)r)->neutral)
			tc_buf_puts(u, l->prefix);
	}
	tc_buf_puts(u, url);
}

static void link_url(tc_buf *u, const tc_lang *l, const char *url,
		     const char *base)
{
	if (url[0] == '#')
		tc_buf_puts(u, base);
	site_link(u, l, url);
}

/* fn for each node under root that is a link (type NULL) or of the named
 * type, until it returns nonzero. */
static int each_node(cmark_node *root, const char *type, md_link_fn fn,
		     void *ud)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int rc = 0;
	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    (type ? md_is(n, type)
			  : cmark_node_get_type(n) == CMARK_NODE_LINK))
			rc = fn(n, ud);
	}
	cmark_iter_free(it);
	return rc;
}

int md_each_link(cmark_node *root, md_link_fn fn, void *ud)
{
	return each_node(root, NULL, fn, ud);
}

int md_each_table(cmark_node *root, md_link_fn fn, void *ud)
{
	return each_node(root, "table", fn, ud);
}

typedef struct localizing {
	const tc_lang *l;
	tc_buf u;
} localizing;

static int localize(cmark_node *n, void *ud)
{
	localizing *x = ud;
	tc_buf_clear(&x->u);
	site_link(&x->u, x->l, cmark_node_get_url(n));
	cmark_node_set_url(n, tc_buf_cstr(&x->u));
	return 0;
}

void md_localize_links(cmark_node *root, const tc_lang *l)
{
	if (!*l->prefix)
		return;
	localizing x = {l, TC_BUF_INIT};
	md_each_link(root, localize, &x);
	tc_buf_free(&x.u);
}

void md_inline(cmark_node *node, const tc_lang *l, const char *base,
	       const char *origin, char **html, char **data)
{
	tc_buf h = TC_BUF_INIT, d = TC_BUF_INIT, u = TC_BUF_INIT;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const char *lit = cmark_node_get_literal(n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
			tc_esc_html(&h, lit, strlen(lit));
			tc_buf_puts(&d, lit);
			break;
		case CMARK_NODE_CODE:
			tc_buf_puts(&h, "<code>");
			tc_esc_html(&h, lit, strlen(lit));
			tc_buf_puts(&h, "</code>");
			tc_buf_puts(&d, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			tc_buf_putc(&h, ' ');
			tc_buf_putc(&d, ' ');
			break;
		case CMARK_NODE_EMPH:
			tc_buf_puts(&h, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			tc_buf_puts(&h, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			if (!safe_url(cmark_node_get_url(n)))
				break;
			tc_buf_clear(&u);
			link_url(&u, l, cmark_node_get_url(n), base);
			if (enter) {
				tc_buf_puts(&h, "<a href=\"");
				tc_esc_html(&h, tc_buf_cstr(&u), u.len);
				tc_buf_puts(&h, "\">");
			} else {
				tc_buf_puts(&h, "</a>");
				const char *url = tc_buf_cstr(&u);
				tc_buf_printf(&d, " <%s%s>",
					      url[0] == '/' && url[1] != '/' &&
						      origin
						  ? origin
						  : "",
					      url);
			}
			break;
		default: break;
		}
	}
	cmark_iter_free(it);
	tc_buf_free(&u);
	*html = tc_buf_detach(&h);
	*data = tc_buf_detach(&d);
}

void md_drop_prefix(cmark_node *node, size_t n)
{
	cmark_node *t = cmark_node_first_child(node);
	int trimming = 1;
	while (t && cmark_node_get_type(t) == CMARK_NODE_TEXT &&
	       (n || trimming)) {
		const char *lit = cmark_node_get_literal(t);
		size_t len = strlen(lit), k = n < len ? n : len;
		n -= k;
		while (!n && k < len && (lit[k] == ' ' || lit[k] == '\t'))
			k++;
		cmark_node *next = cmark_node_next(t);
		if (k == len) {
			cmark_node_free(t); /* unlinks it too */
		} else {
			char *rest = tc_xstrdup(lit + k);
			cmark_node_set_literal(t, rest);
			free(rest);
			trimming = 0;
		}
		t = next;
		if (!n && !trimming)
			break;
	}
}
