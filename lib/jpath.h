/* jpath.h: the JSON path of the value a reader refuses, and why.
 *
 * Every reader of a JSON document that checks its values names the first
 * bad one by its path ("tom.measures[3].cells.x") and says why ("must be a
 * string"): the model reader (lib/modelread.c), a release's checks
 * (gen/release.c) and the change data's reader (lib/changes.c). A tc_jpath
 * builds that path as the reader descends and keeps the first reason.
 *
 * Ownership: both buffers are the caller's; a tc_jpath only writes to them
 * and holds nothing of its own (nothing to free). The path starts at the
 * length path had when tc_jpath_init was called (what the caller put before
 * it stays), so a first member is written without a leading '.'. Only the
 * first tc_jpath_failf writes to why (appending to what it holds); later
 * ones are ignored, so a reader may go on failing on its way out.
 *
 * There is no limit of its own: a path is made of the document's keys and
 * indexes, so it is bounded by the size its reader allows the document. */
#ifndef TC_JPATH_H
#define TC_JPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct tc_jpath {
	tc_buf *path; /* the caller's: the path, after what it held */
	tc_buf *why;  /* the caller's: the first refusal's reason */
	size_t start; /* where the path begins in path */
	bool failed;  /* tc_jpath_failf was called */
} tc_jpath;

/* A path that begins at path's end, its reason going to why. */
void tc_jpath_init(tc_jpath *p, tc_buf *path, tc_buf *why);
/* The path's length in bytes (path->len): a point to cut back to. */
static inline size_t tc_jpath_len(const tc_jpath *p)
{
	return p->path->len;
}
/* Cuts path back to its first n bytes (n at most its length). */
void tc_jpath_cut(tc_jpath *p, size_t n);
/* Cuts path back to n bytes, then appends ".key" ("key" at the start). */
void tc_jpath_key(tc_jpath *p, size_t n, const char *key);
/* Cuts path back to n bytes, then appends ".key[i]" ("key[i]" at the start;
 * "[i]" for an empty key: an array in an array, or the path's own). */
void tc_jpath_index(tc_jpath *p, size_t n, const char *key, size_t i);
/* Appends ".key" or "[i]" where the path ends; returns the length before,
 * to cut back to (for readers that descend without keeping n). */
size_t tc_jpath_push_key(tc_jpath *p, const char *key);
size_t tc_jpath_push_index(tc_jpath *p, size_t i);
/* The first call writes the reason to why and marks the path failed; every
 * call returns false (for `return tc_jpath_failf(...)` in checks). */
bool tc_jpath_failf(tc_jpath *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
