/* xlsxd.h: workbooks for a sandboxed worker.
 *
 * libxlsxwriter writes its temporary files and the workbook itself by name,
 * which the workers' sandbox forbids (cgi/sandbox.h). So each worker starts,
 * before it enters the sandbox, helper processes that write workbooks and
 * nothing else: the worker hands one the pick (lib/model.h) over a socket
 * pair, as the filters that made it and the measures it keeps, and reads
 * the workbook's bytes back. The helper makes the same pick over the model
 * of its own index (the worker's, inherited when it was started) and
 * checks every field of the request first: the helper parses no JSON, and
 * a request it cannot take is an answer of failure, never a crash. A
 * helper keeps only that socket
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

#include "../lib/buf.h"
#include "../lib/model.h"
#include "search.h"

/* Helpers a worker starts: one serving, one to ask when that one dies. */
#define TS_XLSXD_HELPERS 2

/* The request (ts_xlsxd_request): the language's code (16 bytes,
 * space-padded); the pick's filters product, category, status,
 * responsibility and q (TS_XLSXD_FIELDS), each a 2-byte big-endian length
 * (0xffff: not given) and that many bytes of UTF-8 without NUL, at most
 * TS_XLSXD_FIELD_MAX (an ID of the data set: gen/limits.h bounds them to
 * 8,192 bytes; q to TS_MAX_QUERY); the number of the model's measures (4
 * bytes, big-endian) and one bit per measure (bit n % 8 of byte n / 8;
 * tc_pick's numbering), set when the pick keeps it. At most
 * TS_XLSXD_MAX_REQUEST bytes in all. */
#define TS_XLSXD_FIELDS 5
#define TS_XLSXD_FIELD_MAX 8192
#define TS_XLSXD_MAX_REQUEST                                                   \
	(16 + TS_XLSXD_FIELDS * (2 + TS_XLSXD_FIELD_MAX) + 4 +                 \
	 (TC_READ_MAX_MEASURES + 7) / 8)

/* Starts n (1..TS_XLSXD_HELPERS) helpers for this process, which answer
 * from ix (borrowed: the indexes the process serves, the default
 * language's or any, with their models; NULL: every workbook fails).
 * Returns 0, or -1 (logged by the caller: workbooks then fail with 503,
 * everything else is served; a sandboxed process must not write them
 * itself). */
int ts_xlsxd_start(int n, ts_index *ix);

/* Appends the workbook of what pk keeps of ix's model (lib/xlsx.h) to
 * out, in the language of ix (one language's index) with its data's
 * digest and the governing language version its page context names, as
 * tc-gen writes api/tom.xlsx. Returns 0, or -1 when it could not be
 * written (every helper died, or one refused). */
int ts_xlsxd_render(ts_index *ix, const tc_pick *pk, tc_buf *out);

/* The request asking a helper for that workbook, appended to req; -1
 * (req as it was) when a filter is longer than a request takes. */
int ts_xlsxd_request(ts_index *ix, const tc_pick *pk, tc_buf *req);
/* What a helper does with a request req[0..n): checks every field
 * against the index of its language among top's (the language known, each
 * filter one the data set has, the measures as many as its model's), makes
 * the pick and appends the workbook to out. Returns 0, or -1 with why set
 * (a request that is not one, or a workbook that could not be written). */
int ts_xlsxd_answer(ts_index *top, const char *req, size_t n, tc_buf *out,
		    tc_buf *why);

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
