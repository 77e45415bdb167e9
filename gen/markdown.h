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

typedef struct md_doc md_doc;

md_doc *md_parse(const char *text, size_t len);
void md_free(md_doc *doc);
cmark_node *md_root(md_doc *doc);
/* HTML of the whole document as it is now (callers unlink tables first). */
char *md_render(md_doc *doc);
/* The text content of a node, inline markup dropped, whitespace runs kept. */
char *md_plain(cmark_node *node);
/* 1 when node is of the named type ("table", "table_row", ...). */
int md_is(cmark_node *node, const char *type);

#endif
