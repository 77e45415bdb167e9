/* xlsxd.h: workbooks for a sandboxed worker.
 *
 * libxlsxwriter writes its temporary files and the workbook itself by name,
 * which the workers' sandbox forbids (cgi/sandbox.h). So each worker starts,
 * before it enters the sandbox, helper processes that write workbooks and
 * nothing else: the worker hands one the filtered data set over a socket
 * pair and reads the workbook's bytes back. A helper keeps only that socket
 * (stdin and stdout are /dev/null, stderr stays; the listening socket, the
 * index and everything else are closed), writes into anonymous files only
 * (lib/xlsx.h: nothing outlives it), and enters a seccomp filter of its own
 * (ts_sandbox_enter_helper) before it reads a request. It dies with its
 * worker (PR_SET_PDEATHSIG).
 *
 * A worker starts TS_XLSXD_HELPERS of them: the request of one that dies
 * (killed, crashed) is asked again of the next, so a lost helper costs no
 * answer; the worker, which its sandbox keeps from starting another, then
 * makes way for a fresh worker with fresh helpers (ts_xlsxd_lost). Without
 * helpers (unit tests, --no-sandbox runs that never started one) the
 * workbook is written in process. */
#ifndef TS_XLSXD_H
#define TS_XLSXD_H

#include <jansson.h>

#include "../lib/buf.h"
#include "search.h"

/* Helpers a worker starts: one serving, one to ask when that one dies. */
#define TS_XLSXD_HELPERS 2

/* Starts n (1..TS_XLSXD_HELPERS) helpers for this process, which answer
 * from ix (borrowed: the indexes the process serves, the default language's
 * or any; NULL: every workbook in English, without a governing language).
 * Returns 0, or -1 (logged by the caller: workbooks then fail with 503,
 * everything else is served; a sandboxed process must not write them
 * itself). */
int ts_xlsxd_start(int n, ts_index *ix);

/* Appends the workbook of doc (lib/xlsx.h) to out, in the language of ix
 * (one language's index; NULL: English, tc_lang_default) with the governing
 * language version its page context names, as tc-gen writes
 * api/tom.xlsx. Returns 0, or -1 when it could not be written (every helper
 * died, or one refused). */
int ts_xlsxd_render(ts_index *ix, json_t *doc, const char *tom_sha256,
		    tc_buf *out);

/* 1 once a helper is gone (killed, crashed): the worker should finish the
 * request and exit so that the master starts a fresh worker with fresh
 * helpers. */
int ts_xlsxd_lost(void);

/* The helpers' ends of the socket pairs, for the worker's poll: up to max
 * into fds, returns how many. A helper speaks only when asked, so one
 * polls readable only when it is gone: a worker whose answers all come
 * from its cache still learns of a killed helper while it waits. */
int ts_xlsxd_watch_fds(int *fds, int max);

/* Called with the revents of a watched fd: marks its helper lost when they
 * say it hung up. */
void ts_xlsxd_watched(int fd, short revents);

#endif
