/* xlsx.h: the TOM data set as an Excel workbook (libxlsxwriter).
 *
 * Both binaries write it from the typed data set and a selection over it
 * (lib/model.h: a tc_model and a tc_pick): tc-gen for api/tom.xlsx and
 * api/products/<id>.xlsx, tc-search for /api/export?format=xlsx from the
 * model its index holds, so a download and an export of the same filter
 * are the same bytes, in every language.
 *
 * Two sheets. "About": what the file is (organisation, version, date, the
 * SHA-256 of the api/tom.json it was made from, the filter), and the status
 * and responsibility words with their IDs. "Measures": one row per measure
 * and scope, like the CSV, with status and responsibility as words: a
 * compliance officer filters one sheet (by category, product, status,
 * responsibility) more easily than ten. Frozen header row, autofilter, set
 * column widths, wrapped text, the URL as a hyperlink.
 *
 * The workbook is reproducible: its creation time is the data's date, never
 * the clock. libxlsxwriter (constant-memory mode: rows go to a temporary
 * file as they are written) is the one writer of every workbook. */
#ifndef TC_XLSX_H
#define TC_XLSX_H

#include "buf.h"

struct tc_lang;  /* lib/lang.h */
struct tc_model; /* lib/model.h */
struct tc_pick;

/* Writes what pick p keeps of model m (both borrowed; p NULL: all of it,
 * as tc_pick_all; m's words and URLs are language l's, as the model a
 * language's build or index holds) to path. tom_sha256: the digest of
 * api/tom.json the data comes from, shown on the cover sheet with p's filters.
 * Returns 0, or -1 with errno set or a libxlsxwriter error. Its words are
 * language l's. */
int tc_xlsx_write(const struct tc_model *m, const struct tc_pick *p,
		  const struct tc_lang *l, const char *tom_sha256,
		  const char *path);

/* Starts writing the workbook of (m, p) to path in a thread of its own,
 * with the SHA-256 of tom[0..tom_len) on its cover, while the caller goes
 * on; a later tc_xlsx_write to the same path (with the same model, pick,
 * language and digest) waits for it and answers its result instead of
 * writing the file again. m, p, l (the language) and tom are borrowed and
 * must stay unchanged until then (the thread only reads them); the file's
 * folder must exist. At most one at a time: returns 0, or -1
 * (nothing started; tc_xlsx_write will write the file itself). The bytes are
 * those tc_xlsx_write writes: libxlsxwriter is used by one thread at a time.
 * While one runs, nothing else may call gmtime() or localtime() (use
 * gmtime_r and localtime_r): libxlsxwriter's gmtime() shares their buffer,
 * and a clash would put another time in the workbook. */
int tc_xlsx_start(const struct tc_model *m, const struct tc_pick *p,
		  const struct tc_lang *l, const char *tom, size_t tom_len,
		  const char *path);
/* Waits for a started workbook nobody asked for (a build that stopped
 * early): its result, or 0 when none is running. */
int tc_xlsx_finish(void);

/* The same into out, through an anonymous file (memfd, written by its name
 * under /proc/self/fd: nothing outlives the process), or a temporary file
 * in $TMPDIR (or /tmp) where the kernel has no memfd. */
int tc_xlsx_buf(const struct tc_model *m, const struct tc_pick *p,
		const struct tc_lang *l, const char *tom_sha256, tc_buf *out);

#endif
