/* server.h: how tc-search meets the world.
 *
 * FastCGI on an inherited listening socket (fd 0, as spawn-fcgi and systemd
 * with StandardInput=socket pass it; or fd 3 with LISTEN_FDS=1) or on one it
 * creates (--listen PATH for a unix socket with mode 0660, HOST:PORT for
 * TCP). The master opens the index once and pre-forks the workers, which
 * inherit it (so a replacement never depends on the file on disk), enter
 * the seccomp sandbox (sandbox.h) and serve. The master replaces any worker
 * that dies; on SIGHUP it opens the index file again and, only if that
 * succeeds, replaces every worker with one serving the new index (each old
 * one finishes its request first); on SIGTERM it lets requests in flight
 * finish before everyone exits.
 *
 * Workers accept connections themselves: a connection is handed to libfcgi
 * only when its request head has arrived within TS_HEAD_TIMEOUT_MS and
 * passed ts_fcgi_head_check (fcgi.h); reads and writes after that time out
 * after TS_IO_TIMEOUT_S; one request per connection. Started with a CGI
 * environment instead, tc-search answers that one request on stdout. */
#ifndef TS_SERVER_H
#define TS_SERVER_H

#include "../lib/buf.h"
#include "cache.h"
#include "search.h"

#define TS_HEAD_TIMEOUT_MS 3000 /* from accept to a complete head */
#define TS_IO_TIMEOUT_S 3       /* each read or write after that */
/* accepted connections a worker waits on for their heads; when full, the
 * oldest is dropped for the next */
#define TS_MAX_PENDING 128

typedef struct ts_server_opts {
	const char *index;
	const char *listen; /* NULL: inherited socket */
	int workers;
	int cache_slots;   /* answers each worker keeps; 0: no cache */
	int no_sandbox;    /* 1: workers run without seccomp (debugging) */
	int sandbox_probe; /* tests only: SIGUSR1 makes a worker open a file */
} ts_server_opts;

/* Where a request's CGI variables come from: FastCGI params, the
 * environment, or a fuzzer. */
typedef const char *(*ts_getenv_fn)(const char *name, void *ud);

/* Answers one request: builds ts_request from the CGI variables (checking
 * them at this boundary), answers from cache or ix, and appends the
 * serialized response to out; with log, one line on stderr. */
void ts_answer(ts_index *ix, ts_cache *cache, ts_getenv_fn get, void *ud,
	       tc_buf *out, int log);
/* The same for a request that may have a body (POST /api/annex): read
 * reads up to n bytes of it into buf and returns how many (0 at its end,
 * -1 on an error). A body whose CONTENT_LENGTH is over TS_ANNEX_MAX_BODY
 * is refused unread; one without a length is read to one byte past the
 * limit at most. Nothing of it is logged. read NULL: no body. */
typedef long (*ts_read_fn)(char *buf, size_t n, void *ud);
void ts_answer_body(ts_index *ix, ts_cache *cache, ts_getenv_fn get,
		    ts_read_fn read, void *ud, tc_buf *out, int log);

/* Returns the process exit status. */
int ts_serve(const ts_server_opts *o);
int ts_cgi_once(const char *index, int no_sandbox);
/* 1 when started as a CGI program (a CGI environment, no listening fd). */
int ts_is_cgi(void);

#endif
