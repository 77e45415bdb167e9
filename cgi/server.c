#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/escape.h"
#include "../lib/formats.h"
#include "annex.h"
#include "app.h"
#include "fcgi.h"
#include "params.h"
#include "sandbox.h"
#include "xlsxd.h"

#define MAX_WORKERS 64
#define MAX_KIDS (4 * MAX_WORKERS) /* serving and retiring workers */
#define GRACE_SECONDS 10

static volatile sig_atomic_t g_stop, g_reload;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	g_reload = 1;
}

static void on_chld(int sig)
{
	(void)sig; /* only wakes the master's sigsuspend */
}

/* Tests only (TC_SEARCH_SANDBOX_PROBE=1): a system call the sandbox must
 * punish, on demand. open is async-signal-safe. */
static void on_probe(int sig)
{
	(void)sig;
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

/* Signals stay blocked except while a process waits (ppoll, sigsuspend):
 * nothing interrupts a request, and none is lost between a check of the
 * flags and the wait. g_waitmask is the mask to wait with. */
static sigset_t g_waitmask;

static void handle_signals(int master)
{
	struct sigaction sa = {0};
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGCHLD);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &g_waitmask);
	sigdelset(&g_waitmask, SIGTERM);
	sigdelset(&g_waitmask, SIGINT);
	sigdelset(&g_waitmask, SIGHUP);
	sigdelset(&g_waitmask, SIGCHLD);
	sigdelset(&g_waitmask, SIGUSR1);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* A worker ignores SIGHUP (a hangup of the whole group must not end
	 * it): reloading is the master's, which replaces the workers. */
	sa.sa_handler = master ? on_hup : SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = master ? on_chld : SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "tc-search[%d]: ", (int)getpid());
	tc_buf_vprintf(&b, fmt, ap);
	tc_buf_putc(&b, '\n');
	va_end(ap);
	/* one write per line, so workers' lines never interleave */
	ssize_t w = write(2, b.data, b.len);
	(void)w;
	tc_buf_free(&b);
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- one request ---- */

static char *request_path(const char *doc_uri, const char *req_uri,
			  const char *script, const char *info)
{
	if (doc_uri && *doc_uri)
		return tc_xstrdup(doc_uri);
	if (req_uri && *req_uri)
		return tc_xstrndup(req_uri, strcspn(req_uri, "?"));
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, script ? script : "");
	tc_buf_puts(&b, info ? info : "");
	return tc_buf_detach(&b);
}

/* What an answer depends on besides the index: the request line and the
 * representation. Conditional requests bypass the cache. */
static char *cache_key(const ts_request *rq)
{
	if (rq->if_none_match)
		return NULL;
	tc_buf k = TC_BUF_INIT;
	tc_buf_printf(&k, "%c%s?%s", ts_wants_html(rq) ? 'h' : 'j', rq->path,
		      rq->query ? rq->query : "");
	return tc_buf_detach(&k);
}

/* Reads the body of a POST to /api/annex, bounded (ts_answer_body). */
static void read_body(ts_getenv_fn get, ts_read_fn rd, void *ud, ts_request *rq,
		      tc_buf *body)
{
	const char *cl = get("CONTENT_LENGTH", ud);
	char *end = NULL;
	long long want = cl && *cl ? strtoll(cl, &end, 10) : -1;
	if (cl && *cl && (*end || want < 0))
		want = -1; /* not a length: read to the limit */
	if (want > TS_ANNEX_MAX_BODY) {
		rq->body_over = 1; /* refused before it is read */
		return;
	}
	size_t cap = want >= 0 ? (size_t)want : TS_ANNEX_MAX_BODY + 1;
	char buf[4096];
	while (rd && body->len < cap) {
		size_t n =
		    cap - body->len < sizeof buf ? cap - body->len : sizeof buf;
		long got = rd(buf, n, ud);
		if (got <= 0)
			break;
		tc_buf_put(body, buf, (size_t)got);
	}
	rq->body_over = body->len > TS_ANNEX_MAX_BODY;
	rq->body = body->data ? body->data : "";
	rq->body_len = body->len;
}

void ts_answer(ts_index *ix, ts_cache *cache, ts_getenv_fn get, void *ud,
	       tc_buf *out, int log)
{
	ts_answer_body(ix, cache, get, NULL, ud, out, log);
}

void ts_answer_body(ts_index *ix, ts_cache *cache, ts_getenv_fn get,
		    ts_read_fn rd, void *ud, tc_buf *out, int log)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *path =
	    request_path(get("DOCUMENT_URI", ud), get("REQUEST_URI", ud),
			 get("SCRIPT_NAME", ud), get("PATH_INFO", ud));
	/* Text reaches jansson only as UTF-8: a path that is not (nginx
	 * decodes %ff) cannot name an endpoint, and the 404 quotes it
	 * escaped. The log line escapes the original. */
	char *shown = NULL;
	if (!tc_utf8_valid(path, strlen(path))) {
		tc_buf b = TC_BUF_INIT;
		tc_esc_log(&b, path, strlen(path));
		shown = tc_buf_detach(&b);
	}
	ts_request rq = {get("REQUEST_METHOD", ud),
			 shown ? shown : path,
			 get("QUERY_STRING", ud),
			 get("HTTP_ACCEPT", ud),
			 get("HTTP_IF_NONE_MATCH", ud),
			 NULL,
			 NULL,
			 0,
			 0};
	const char *m = rq.method ? rq.method : "-";
	int get_or_head = !strcmp(m, "GET") || !strcmp(m, "HEAD");
	/* only the annex's form is read; any other body is left unread */
	tc_buf body = TC_BUF_INIT;
	if (!strcmp(m, "POST") && !strcmp(rq.path, "/api/annex")) {
		rq.content_type = get("CONTENT_TYPE", ud);
		read_body(get, rd, ud, &rq, &body);
	}
	char *key = cache && get_or_head ? cache_key(&rq) : NULL;
	const ts_response *hit = key ? ts_cache_get(cache, key) : NULL;
	ts_response rs;
	if (hit) {
		rs = *hit; /* borrowed: serialized before the cache changes */
		rs.head = !strcmp(m, "HEAD");
	} else {
		ts_handle(ix, &rq, &rs);
		if (key)
			ts_cache_put(cache, key, &rs);
	}
	ts_response_serialize(&rs, out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!log)
		goto out;
	tc_buf line = TC_BUF_INIT;
	tc_esc_log(&line, m, strlen(m));
	tc_buf_putc(&line, ' ');
	tc_esc_log(&line, path, strlen(path));
	if (rq.query && *rq.query) {
		tc_buf_putc(&line, '?');
		tc_esc_log(&line, rq.query, strlen(rq.query));
	}
	logf_("%s %d %zu %.2fms%s%s%s", tc_buf_cstr(&line), rs.status,
	      rs.body.len,
	      (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	      hit ? " cached" : "", rs.note.len ? ": " : "",
	      rs.note.len ? tc_buf_cstr(&rs.note) : "");
	tc_buf_free(&line);
out:
	if (!hit)
		ts_response_free(&rs);
	/* the form is gone with the request */
	if (body.data)
		memset(body.data, 0, body.len);
	tc_buf_free(&body);
	free(key);
	free(shown);
	free(path);
}

static const char *fcgi_get(const char *name, void *ud)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ud)->envp);
}

static long fcgi_read(char *buf, size_t n, void *ud)
{
	return FCGX_GetStr(buf, (int)n, ((FCGX_Request *)ud)->in);
}

static long stdin_read(char *buf, size_t n, void *ud)
{
	(void)ud;
	return (long)fread(buf, 1, n, stdin);
}

static const char *env_get(const char *name, void *ud)
{
	(void)ud;
	return getenv(name);
}

static ts_index *open_index(const char *path)
{
	tc_buf err = TC_BUF_INIT;
	ts_index *ix = ts_index_open(path, &err);
	if (!ix)
		logf_("%s", tc_buf_cstr(&err));
	tc_buf_free(&err);
	return ix;
}

/* Whether the one request of a CGI run is a workbook: an export whose
 * format parameter, read as the request itself reads it (decoded and
 * checked, cgi/params.h), is lib/formats.h's "xlsx". */
static int wants_workbook(ts_index *ix, ts_getenv_fn get, void *ud)
{
	char *path =
	    request_path(get("DOCUMENT_URI", ud), get("REQUEST_URI", ud),
			 get("SCRIPT_NAME", ud), get("PATH_INFO", ud));
	size_t n = strlen(path), e = strlen("/api/export");
	int yes = n >= e && !strcmp(path + n - e, "/api/export");
	free(path);
	if (!yes)
		return 0;
	ts_params p;
	tc_buf err = TC_BUF_INIT;
	/* a query that does not read is a 400, no workbook */
	yes = ts_params_parse(get("QUERY_STRING", ud), (1u << P__COUNT) - 1, 0,
			      ts_index_doc(ix), &p, &err) == 0 &&
	      p.v[P_FORMAT] && tc_format_from_id(p.v[P_FORMAT]) == TC_FMT_XLSX;
	ts_params_free(&p);
	tc_buf_free(&err);
	return yes;
}

int ts_cgi_once(const char *index, int no_sandbox)
{
	/* stdio gives a stream its buffer at its first use and asks then
	 * whether a character device is a terminal (ioctl TCGETS), a call
	 * the sandbox kills: an answer to /dev/null or to a terminal died
	 * with SIGSYS before a byte of it was written. A stream given its
	 * buffer never asks. */
	static char in_buf[BUFSIZ], out_buf[BUFSIZ];
	setvbuf(stdin, in_buf, _IOFBF, sizeof in_buf);
	setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
	/* one answer: not worth checking every byte of the file for
	 * (ts_index_open_quick) */
	tc_buf oerr = TC_BUF_INIT;
	ts_index *ix = ts_index_open_quick(index, &oerr);
	if (!ix)
		logf_("%s", tc_buf_cstr(&oerr));
	tc_buf_free(&oerr);
	if (!ix) {
		/* Still an answer, not a crash: the web server shows it. */
		fputs(
		    "Status: 503 Service Unavailable\r\nContent-Type: "
		    "application/json; charset=utf-8\r\n\r\n{\"error\": "
		    "{\"status\": 503, \"message\": \"the search index is not "
		    "available\"}}\n",
		    stdout);
		return 1;
	}
	tc_buf err = TC_BUF_INIT;
	/* the data sets are read when an answer needs them; the workbook
	 * helper cannot read the file, so a workbook's are read before it
	 * forks (a damaged one is answered by the export itself) */
	if (!no_sandbox && wants_workbook(ix, env_get, NULL)) {
		ts_index_load_all(ix, &err);
		tc_buf_clear(&err);
	}
	if (!no_sandbox && ts_xlsxd_start(1, ix) < 0)
		logf_("no workbook helper: %s", strerror(errno));
	/* the annex's fonts: no file is opened after this */
	ts_annex_fonts_init();
	if (!no_sandbox && ts_sandbox_enter(&err) < 0) {
		logf_("%s", tc_buf_cstr(&err));
		tc_buf_free(&err);
		ts_index_close(ix);
		return 1;
	}
	tc_buf out = TC_BUF_INIT;
	ts_answer_body(ix, NULL, env_get, stdin_read, NULL, &out, 1);
	fwrite(out.data, 1, out.len, stdout);
	int rc = fflush(stdout) == 0 ? 0 : 1;
	tc_buf_free(&out);
	ts_index_close(ix);
	/* Sandboxed, end as the workers do: what runs at exit() need not
	 * stay inside the filter (LeakSanitizer's checker does not). */
	if (!no_sandbox)
		_exit(rc);
	return rc;
}

int ts_is_cgi(void)
{
	return FCGX_IsCGI() && getenv("GATEWAY_INTERFACE") != NULL;
}

/* ---- a worker's connections ---- */

typedef struct pending {
	int fd;
	long long deadline;
	int partial; /* some bytes of the head have arrived */
} pending;

/* Peeks at what a pending connection has sent (nothing is consumed: libfcgi
 * reads it all again) and checks it as a request head. */
static ts_fcgi_head peek_head(pending *p, long long now, const char **why)
{
	static unsigned char buf[TS_FCGI_MAX_HEAD];
	ssize_t n = recv(p->fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
	ts_fcgi_head h = TS_FCGI_MORE;
	if (n > 0) {
		h = ts_fcgi_head_check(buf, (size_t)n, why);
		p->partial = 1;
	} else if (n == 0) {
		*why = "closed before its request head was complete";
		h = TS_FCGI_BAD;
	} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		*why = strerror(errno);
		h = TS_FCGI_BAD;
	}
	if (h == TS_FCGI_MORE && now >= p->deadline) {
		*why = "no complete request head within the time allowed";
		h = TS_FCGI_BAD;
	}
	return h;
}

static void take(pending *pend, int *npend, int i)
{
	pend[i] = pend[--*npend];
}

/* The connection that has waited longest for its head: it makes way for a
 * new one when a worker's list is full. */
static void drop_oldest(pending *pend, int *npend)
{
	int old = 0;
	for (int i = 1; i < *npend; i++)
		if (pend[i].deadline < pend[old].deadline)
			old = i;
	logf_("dropped a FastCGI connection: the oldest of %d without a "
	      "complete request head, for a new one",
	      *npend);
	close(pend[old].fd);
	take(pend, npend, old);
}

/* Waits for a connection whose request head has arrived whole and checks
 * out, and returns it; returns -1 once the worker is stopping and no
 * accepted connection is left. A worker waits on up to TS_MAX_PENDING
 * connections at a time, each for at most TS_HEAD_TIMEOUT_MS, and when
 * they are that many it drops the oldest to accept the next: so idle or
 * half-sent connections, however many, cannot keep it from accepting a
 * request that comes whole (as nginx sends one). It serves a connection
 * that is ready before it accepts another, so it never hoards connections
 * that its death would drop. */
static int next_connection(int lfd, pending *pend, int *npend)
{
	long long pause_until = 0;
	for (;;) {
		long long now = now_ms(), wake = -1;
		int partial = 0;
		for (int i = 0; i < *npend;) {
			const char *why = NULL;
			ts_fcgi_head h = peek_head(&pend[i], now, &why);
			if (h == TS_FCGI_OK) {
				int fd = pend[i].fd;
				take(pend, npend, i);
				return fd;
			}
			if (h == TS_FCGI_BAD) {
				logf_("dropped a FastCGI connection: %s", why);
				close(pend[i].fd);
				take(pend, npend, i);
				continue;
			}
			partial |= pend[i].partial;
			if (wake < 0 || pend[i].deadline < wake)
				wake = pend[i].deadline;
			i++;
		}
		/* a lost workbook helper retires the worker as a stop does:
		 * it serves what it accepted and takes nothing new */
		int leaving = g_stop || ts_xlsxd_lost();
		if (leaving && *npend == 0)
			return -1;
		/* The listening socket, and the connections that have sent
		 * nothing yet. One with part of a head is peeked again after
		 * a tick instead: unread bytes keep a socket readable. */
		struct pollfd fds[1 + TS_XLSXD_HELPERS + TS_MAX_PENDING];
		nfds_t nfds = 0;
		int listening = !leaving && now >= pause_until;
		if (listening)
			fds[nfds++] = (struct pollfd){lfd, POLLIN, 0};
		int helpers[TS_XLSXD_HELPERS];
		int nhelpers = ts_xlsxd_watch_fds(helpers, TS_XLSXD_HELPERS);
		nfds_t hslot = nfds;
		for (int i = 0; i < nhelpers; i++)
			fds[nfds++] = (struct pollfd){helpers[i], POLLIN, 0};
		for (int i = 0; i < *npend; i++)
			if (!pend[i].partial)
				fds[nfds++] =
				    (struct pollfd){pend[i].fd, POLLIN, 0};
		long long t = wake < 0 ? -1 : wake - now;
		if (partial && (t < 0 || t > 5))
			t = 5;
		if (!listening && now < pause_until &&
		    (t < 0 || t > pause_until - now))
			t = pause_until - now;
		struct timespec ts = {t / 1000, (t % 1000) * 1000000};
		int r = ppoll(fds, nfds, t < 0 ? NULL : &ts, &g_waitmask);
		for (int i = 0; r > 0 && i < nhelpers; i++)
			ts_xlsxd_watched(fds[hslot + i].fd,
					 fds[hslot + i].revents);
		if (r <= 0 || !listening || !(fds[0].revents & POLLIN))
			continue;
		/* The listening socket is non-blocking: another worker may
		 * have taken the connection. */
		int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED) {
				logf_("accept failed: %s", strerror(errno));
				pause_until = now + 100; /* EMFILE: no spin */
			}
			continue;
		}
		/* libfcgi reads and writes with blocking calls: none may
		 * wait longer than this. */
		struct timeval tv = {TS_IO_TIMEOUT_S, 0};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		/* the clock read before ppoll is stale after a long wait: a
		 * deadline from it could be past already, and a head that is
		 * a moment behind its connection would be dropped */
		if (*npend == TS_MAX_PENDING)
			drop_oldest(pend, npend);
		pend[(*npend)++] =
		    (pending){c, now_ms() + TS_HEAD_TIMEOUT_MS, 0};
	}
}

/* Ends a connection after its answer. Bytes the peer sent after the head
 * (nginx's empty STDIN record) may be unread, and closing on unread bytes
 * can reset the connection before the peer has read the answer; so shut
 * our side and read what has already arrived, without waiting, then close.
 * (libfcgi's own close waits for the peer's EOF, 2 s at a time, for as long
 * as bytes keep coming.) */
static void end_connection(int fd)
{
	char trash[4096];
	shutdown(fd, SHUT_WR);
	for (int i = 0; i < 16; i++)
		if (recv(fd, trash, sizeof trash, MSG_DONTWAIT) <= 0)
			break;
	close(fd);
}

/* Writes the answer (out) to the request's connection fd as STDOUT
 * records, all in one write (ts_fcgi_stdout); libfcgi then ends the
 * stream and the request (FCGX_Finish_r): its stream is given nothing,
 * so its end records follow ours. A write that fails (the peer gone, or
 * SO_SNDTIMEO's 3 s passed) closes the connection there, so that no end
 * records follow half a record, as libfcgi stops writing after its own
 * write failed. */
static void put_answer(FCGX_Request *req, int fd, const tc_buf *out,
		       tc_buf *rec)
{
	tc_buf_clear(rec);
	ts_fcgi_stdout(rec, req->requestId, out->data, out->len);
	for (size_t at = 0; at < rec->len;) {
		ssize_t w = write(fd, rec->data + at, rec->len - at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			logf_("an answer could not be written: %s",
			      w < 0 ? strerror(errno) : "nothing written");
			close(fd);
			req->ipcFd = -1;
			return;
		}
		at += (size_t)w;
	}
}

/* Serves the request on fd, whose head has been checked, through libfcgi:
 * it parses the params and writes the records of the answer. */
static void serve(FCGX_Request *req, int fd, ts_index *ix, ts_cache *cache,
		  tc_buf *out, tc_buf *rec)
{
	req->ipcFd = fd;
	/* FCGX_Accept_r first finishes the previous request, which closes
	 * ipcFd unless keepConnection is set; should it close fd on an error,
	 * detached makes that a plain close. libfcgi itself never accepts:
	 * its listen_sock is -1. */
	req->keepConnection = 1;
	req->detached = 1;
	if (FCGX_Accept_r(req) < 0) {
		logf_("a FastCGI connection failed before its request was "
		      "read");
		return;
	}
	tc_buf_clear(out);
	ts_answer_body(ix, cache, fcgi_get, fcgi_read, req, out, 1);
	put_answer(req, fd, out, rec);
	req->keepConnection = 1;
	req->detached = 1;
	FCGX_Finish_r(req); /* flushes the answer and END_REQUEST */
	if (req->ipcFd >= 0) {
		end_connection(req->ipcFd);
		req->ipcFd = -1;
	}
}

/* A worker serves from the index the master opened (its own copy after
 * fork: SQLite reads it with pread, and immutable=1 takes no locks). */
static void worker(const ts_server_opts *o, ts_index *ix, int lfd)
{
	handle_signals(0);
	/* answers of up to 1 MB, 4 MB in all: at 200,000 cells an answer of
	 * 20 results with 100 cells each is 60 KB, and 512 of them would be
	 * most of a worker's memory */
	ts_cache *cache = o->cache_slots
			      ? ts_cache_new(o->cache_slots, 1 << 20, 4 << 20)
			      : NULL;
	FCGX_Request req;
	FCGX_InitRequest(&req, -1, 0);
	tc_buf out = TC_BUF_INIT, rec = TC_BUF_INIT;
	if (o->sandbox_probe) {
		struct sigaction sa = {0};
		sa.sa_handler = on_probe;
		sigaction(SIGUSR1, &sa, NULL);
	}
	if (!o->no_sandbox) {
		tc_buf err = TC_BUF_INIT;
		/* workbooks are written outside the sandbox (cgi/xlsxd.h) */
		if (ts_xlsxd_start(TS_XLSXD_HELPERS, ix) < 0)
			logf_("no workbook helper: %s", strerror(errno));
		if (ts_sandbox_enter(&err) < 0) {
			logf_("%s", tc_buf_cstr(&err));
			_exit(1);
		}
	}
	pending pend[TS_MAX_PENDING];
	int npend = 0;
	for (;;) {
		int fd = next_connection(lfd, pend, &npend);
		if (fd < 0)
			break;
		serve(&req, fd, ix, cache, &out, &rec);
		if (ts_xlsxd_lost()) {
			logf_("the workbook helper is gone: this worker makes "
			      "way for a fresh one");
			break;
		}
	}
	FCGX_Free(&req, 0);
	tc_buf_free(&out);
	tc_buf_free(&rec);
	ts_cache_free(cache);
	ts_index_close(ix);
	_exit(0);
}

/* ---- the master ---- */

typedef struct kid {
	pid_t pid;      /* 0: a free slot */
	int retiring;   /* serving an index the master has replaced */
	long long born; /* now_ms() at fork */
} kid;

static void spawn(const ts_server_opts *o, ts_index *ix, int fd, kid *k)
{
	pid_t pid = fork();
	if (pid == 0)
		worker(o, ix, fd);
	if (pid < 0)
		logf_("fork failed: %s", strerror(errno));
	*k = (kid){pid > 0 ? pid : 0, 0, now_ms()};
}

static int listen_on(const char *spec)
{
	int fd;
	if (spec[0] == '/' || spec[0] == '.') {
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		if (strlen(spec) >= sizeof a.sun_path) {
			logf_("socket path too long: %s", spec);
			return -1;
		}
		strcpy(a.sun_path, spec);
		unlink(spec);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		/* created 0660 from the start: no moment where others may
		 * connect */
		mode_t old = umask(0117);
		int bound =
		    fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
		umask(old);
		if (!bound || chmod(spec, 0660) < 0 || listen(fd, 128) < 0) {
			logf_("cannot listen on %s: %s", spec, strerror(errno));
			return -1;
		}
		return fd;
	}
	const char *colon = strrchr(spec, ':');
	if (!colon) {
		logf_("--listen wants a socket path or HOST:PORT, not %s",
		      spec);
		return -1;
	}
	char *host = tc_xstrndup(spec, (size_t)(colon - spec));
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE};
	struct addrinfo *ai = NULL;
	int r = getaddrinfo(*host ? host : "127.0.0.1", colon + 1, &hints, &ai);
	free(host);
	if (r != 0) {
		logf_("cannot resolve %s: %s", spec, gai_strerror(r));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, 128) < 0) {
		logf_("cannot listen on %s: %s", spec, strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static int inherited_fd(void)
{
	const char *n = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	if (n && !strcmp(n, "1") && pid && atol(pid) == (long)getpid())
		return 3;
	return FCGX_IsCGI() ? -1 : 0;
}

/* Keeps o->workers workers serving the current index. */
static void top_up(const ts_server_opts *o, ts_index *ix, int fd, kid *kids)
{
	int serving = 0;
	for (int i = 0; i < MAX_KIDS; i++)
		serving += kids[i].pid > 0 && !kids[i].retiring;
	for (int i = 0; i < MAX_KIDS && serving < o->workers; i++)
		if (kids[i].pid == 0) {
			spawn(o, ix, fd, &kids[i]);
			serving++;
		}
}

/* Opens the index file again; only when that succeeds are the workers
 * replaced, each old one finishing its request first. Otherwise the last
 * good index stays, also for workers started later. */
static void reload(const ts_server_opts *o, ts_index **ix, int fd, kid *kids)
{
	g_reload = 0;
	ts_index *fresh = open_index(o->index);
	if (!fresh) {
		logf_("reload failed; still serving index %s",
		      ts_index_etag(*ix));
		return;
	}
	ts_index_close(*ix);
	*ix = fresh;
	logf_("reopened %s: version %s, index %s; replacing the workers",
	      o->index, ts_index_version(fresh), ts_index_etag(fresh));
	for (int i = 0; i < MAX_KIDS; i++)
		if (kids[i].pid > 0 && !kids[i].retiring) {
			kill(kids[i].pid, SIGTERM);
			kids[i].retiring = 1;
		}
	top_up(o, *ix, fd, kids);
}

/* Logs how a worker ended, unless it ended as asked (exit 0 after
 * SIGTERM): a sandbox violation while retiring must show too. */
static void log_end(pid_t p, int st, int replacing)
{
	const char *then = replacing ? "; replacing it" : "";
	if (WIFSIGNALED(st))
		logf_("worker %d killed by signal %d (%s)%s", (int)p,
		      WTERMSIG(st), strsignal(WTERMSIG(st)), then);
	else if (replacing || WEXITSTATUS(st) != 0)
		logf_("worker %d exited with %d%s", (int)p, WEXITSTATUS(st),
		      then);
}

/* Reaps every worker that has ended and logs those that were serving. */
static void reap(kid *kids, int *early)
{
	int st;
	pid_t p;
	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		kid *k = NULL;
		for (int i = 0; i < MAX_KIDS; i++)
			if (kids[i].pid == p)
				k = &kids[i];
		if (!k)
			continue;
		k->pid = 0;
		int replacing = !k->retiring && !g_stop;
		log_end(p, st, replacing);
		if (!replacing)
			continue;
		/* Workers that die young, again and again, point at a broken
		 * setup: do not spin on it. SIGKILL comes from outside (an
		 * operator, the OOM killer), never from a broken setup. */
		int killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		if (!killed)
			*early = now_ms() - k->born < 1000 ? *early + 1 : 0;
	}
	if (*early >= 3) {
		*early = 0;
		sleep(1);
	}
}

static void stop_all(kid *kids)
{
	for (int i = 0; i < MAX_KIDS; i++)
		if (kids[i].pid > 0)
			kill(kids[i].pid, SIGTERM);
	time_t deadline = time(NULL) + GRACE_SECONDS;
	for (;;) {
		int left = 0, st;
		pid_t p;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			for (int i = 0; i < MAX_KIDS; i++)
				if (kids[i].pid == p) {
					kids[i].pid = 0;
					log_end(p, st, 0);
				}
		for (int i = 0; i < MAX_KIDS; i++)
			left += kids[i].pid > 0;
		if (left == 0 || (p < 0 && errno == ECHILD))
			break;
		if (time(NULL) >= deadline) {
			/* one stuck: end it */
			for (int i = 0; i < MAX_KIDS; i++)
				if (kids[i].pid > 0)
					kill(kids[i].pid, SIGKILL);
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int ts_serve(const ts_server_opts *o)
{
	/* Our handlers first, with the signals blocked until the loop waits:
	 * libfcgi's FCGX_Init installs a SIGTERM handler of its own where
	 * none is set (it only notes the request), so a stop that came while
	 * the index was checked or the fonts loaded was swallowed, and the
	 * master served on until SIGKILL. Now it waits, pending, and the
	 * first sigsuspend stops the server. */
	handle_signals(1);
	FCGX_Init();
	/* The index first: no socket appears for a server that cannot
	 * answer. It stays open: every worker inherits it, so one started
	 * after the file went bad still serves the last good index. */
	ts_index *ix = open_index(o->index);
	if (!ix)
		return 1;
	int fd = o->listen ? listen_on(o->listen) : inherited_fd();
	if (fd < 0) {
		if (!o->listen)
			logf_("no listening socket: pass --listen "
			      "PATH|HOST:PORT, "
			      "start under spawn-fcgi or systemd, or as CGI");
		ts_index_close(ix);
		return 1;
	}
	/* Every worker polls it and accept()s: the one that loses the race
	 * for a connection must not block. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/* The annexes' fonts, loaded and warmed up once, here: the workers
	 * inherit them (shared until written), and a sandboxed worker could
	 * not open the files (cgi/annex.h). */
	ts_annex_fonts_init();
	logf_("serving %s (version %s) with %d workers%s", o->index,
	      ts_index_version(ix), o->workers,
	      o->no_sandbox ? ", without the sandbox" : "");
	static kid kids[MAX_KIDS];
	int early = 0;
	for (;;) {
		reap(kids, &early);
		if (g_stop)
			break;
		if (g_reload)
			reload(o, &ix, fd, kids);
		top_up(o, ix, fd, kids);
		if (!g_reload && !g_stop)
			sigsuspend(&g_waitmask);
	}
	logf_("stopping: letting requests in flight finish");
	stop_all(kids);
	ts_index_close(ix);
	if (o->listen && o->listen[0] != '/' && o->listen[0] != '.')
		close(fd);
	else if (o->listen)
		unlink(o->listen);
	logf_("stopped");
	return 0;
}
