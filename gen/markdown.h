/* markdown.h: cmark-gfm with the table and tagfilter extensions, safe.
 *
 * Raw HTML in a source is never passed through: it is turned into text, so
 * it shows escaped on the page (cmark's own safe mode would drop it
 * silently). Documents own their nodes; strings returned are malloc'd and
 * belong to the caller. */
#ifndef TC_MARKDOWN_H
#define TC_MARKDOWN_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "../lib/lang.h"

typedef struct md_doc md_doc;

md_doc *md_parse(const char *text, size_t len);
void md_free(md_doc *doc);
cmark_node *md_root(md_doc *doc);
/* HTML of the whole document as it is now (callers unlink tables first). */
char *md_render(md_doc *doc);
/* The top-level blocks of the document (tables unlinked first) as n
 * pieces of HTML (new strings in a new array): the first counts[0] blocks,
 * then the next counts[1], ...; blocks past them go into the last piece.
 * Their concatenation is md_render's HTML. */
char **md_render_pieces(md_doc *doc, const size_t *counts, size_t n);
/* The text content of a node, inline markup dropped, whitespace runs kept. */
char *md_plain(cmark_node *node);
/* The inline content of node (a paragraph or table cell) as HTML (*html)
 * and as text with each link's URL after its text (*data), both new
 * strings, its links to pages of the site in language l. Link URLs that
 * start with '#' are made relative to base (a
 * page's path), so they work wherever the text is shown; in *data, links to
 * the site ('/' and '#') also get origin (the site's base URL) in front, since
 * a download is read away from the site. Emphasis, strong, code, links and
 * breaks are kept; anything else is its text. */
void md_inline(cmark_node *node, const tc_lang *l, const char *base,
	       const char *origin, char **html, char **data);
/* Calls fn for each link of the tree under root, in document order, until
 * fn returns nonzero (that value is returned; 0 when all were seen). */
typedef int (*md_link_fn)(cmark_node *link, void *ud);
int md_each_link(cmark_node *root, md_link_fn fn, void *ud);
/* The same for each table, at any depth (in a quote or a list item too). */
int md_each_table(cmark_node *root, md_link_fn fn, void *ud);
/* Makes the links of a tree to pages of the site lead to them in the
 * language l (lib/lang.h); nothing to do for the default language.
 * Call after the links are checked, before md_render. */
void md_localize_links(cmark_node *root, const tc_lang *l);
/* Removes the first n bytes of node's leading text (a cell's mark) and
 * the spaces after them, so what remains is the note. */
void md_drop_prefix(cmark_node *node, size_t n);
/* 1 when node is of the named type ("table", "table_row", ...). */
int md_is(cmark_node *node, const char *type);

/* The shape of one top-level block, as a short word: "h2" (a heading of
 * level 2), "p", "ul3" and "ol3" (lists of 3 items), "quote", "code",
 * "html", "hr", "table". A translation's prose must have its original's
 * shape, block for block: a paragraph left out of the German responsibility
 * model once dropped the sentence that qualifies it. Returns a static
 * string or buf. */
const char *md_block_shape(cmark_node *node, char buf[16]);
/* The shapes of root's top-level blocks but tables, separated by spaces
 * (new string): what a translation of that prose is compared with. */
char *md_shape(cmark_node *root);
/* A shape word for a reader: "a paragraph", "a heading (level 2)", "a
 * list of 3 items"... (static storage or buf). */
const char *md_shape_words(const char *shape, char buf[48]);

#endif
