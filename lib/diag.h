/* diag.h: diagnostics, the one error type of every layer.
 *
 * A diagnostic is "file:line:col: error: message". Layers append to a
 * tc_diags list instead of stopping at the first problem, so one run reports
 * everything that is wrong. Line and column are 1-based; 0 means unknown.
 * The list owns copies of every string passed in, stored escaped: control
 * characters, bidirectional overrides, backslash and bytes that are not
 * UTF-8 become \xNN, so neither a file name nor an interpolated value can
 * forge a line or drive the terminal (see escaped() in diag.c). */
#ifndef TC_DIAG_H
#define TC_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct tc_diag {
	char *file;
	int line;
	int col;
	char *msg;
} tc_diag;

typedef struct tc_diags tc_diags;

tc_diags *tc_diags_new(void);
void tc_diags_free(tc_diags *d);
void tc_diags_add(tc_diags *d, const char *file, int line, int col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
size_t tc_diags_count(const tc_diags *d);
/* Borrowed pointer, valid until the list changes. */
const tc_diag *tc_diags_get(const tc_diags *d, size_t i);
/* Sorts by file, line, column (stable), so output does not depend on the
 * order in which checks ran. */
void tc_diags_sort(tc_diags *d);
/* Formats one diagnostic as "file:line:col: error: msg" into a new string
 * (caller frees). Unknown positions are left out. */
char *tc_diag_format(const tc_diag *g);
/* Sorts, then prints each diagnostic on its own line. */
void tc_diags_print(tc_diags *d, FILE *out);

#endif
