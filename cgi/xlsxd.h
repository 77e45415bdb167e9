/* xlsxd.h: workbooks for a sandboxed worker.
 *
 * libxlsxwriter writes temporary files and the workbook itself by name,
 * which the workers' sandbox forbids (cgi/sandbox.h). So each worker starts,
 * before it enters the sandbox, a helper process that writes workbooks and
 * nothing else: the worker hands it the filtered data set over a socket
 * pair and reads the workbook's bytes back. The helper dies with its
 * worker (PR_SET_PDEATHSIG). Without a helper (unit tests, --no-sandbox
 * runs that never started one) the workbook is written in process. */
#ifndef TS_XLSXD_H
#define TS_XLSXD_H

#include <jansson.h>

#include "../lib/buf.h"

/* Starts this process's helper. Returns 0, or -1 (logged by the caller:
 * workbooks then fail with 503, everything else is served). */
int ts_xlsxd_start(void);

/* Appends the workbook of doc (lib/xlsx.h) to out. Returns 0, or -1 when it
 * could not be written (the helper died or refused). */
int ts_xlsxd_render(json_t *doc, const char *tom_sha256, tc_buf *out);

/* 1 once the helper is gone (killed, crashed): the worker, which its
 * sandbox keeps from starting another, should finish the request and exit
 * so that the master starts a fresh worker with a fresh helper. */
int ts_xlsxd_lost(void);

/* The helper's end of the socket pair, for the worker's poll, or -1 when
 * there is no helper. It polls readable only when the helper is gone (a
 * helper speaks only when asked): so a worker whose answers all come from
 * its cache still learns of a killed helper while it waits, instead of at
 * the next workbook it must write, and that customer is spared a 503. */
int ts_xlsxd_watch_fd(void);

/* Called with the revents of the watched fd: marks the helper lost when
 * they say it hung up. */
void ts_xlsxd_watched(short revents);

#endif
