#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/buf.h"

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
