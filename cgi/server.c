#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <netdb.h>
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
#include "app.h"
#include "cache.h"

#define MAX_WORKERS 64
#define GRACE_SECONDS 10

static volatile sig_atomic_t g_stop, g_reload;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
	FCGX_ShutdownPending();
}

static void on_hup(int sig)
{
	(void)sig;
	g_reload = 1;
}

static void handle_signals(void)
{
	struct sigaction sa = {0};
	/* no SA_RESTART: a signal must interrupt accept() */
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void block(int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGHUP);
	sigprocmask(how, &s, NULL);
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

typedef const char *(*getenv_fn)(const char *name, void *ud);

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

static void answer(ts_index *ix, ts_cache *cache, getenv_fn get, void *ud,
		   tc_buf *out)
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
	ts_request rq = {get("REQUEST_METHOD", ud), shown ? shown : path,
			 get("QUERY_STRING", ud), get("HTTP_ACCEPT", ud),
			 get("HTTP_IF_NONE_MATCH", ud)};
	const char *m = rq.method ? rq.method : "-";
	int get_or_head = !strcmp(m, "GET") || !strcmp(m, "HEAD");
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
	tc_buf line = TC_BUF_INIT;
	tc_esc_log(&line, m, strlen(m));
	tc_buf_putc(&line, ' ');
	tc_esc_log(&line, path, strlen(path));
	if (rq.query && *rq.query) {
		tc_buf_putc(&line, '?');
		tc_esc_log(&line, rq.query, strlen(rq.query));
	}
	logf_("%s %d %zu %.2fms%s", tc_buf_cstr(&line), rs.status, rs.body.len,
	      (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	      hit ? " cached" : "");
	tc_buf_free(&line);
	if (!hit)
		ts_response_free(&rs);
	free(key);
	free(shown);
	free(path);
}

static const char *fcgi_get(const char *name, void *ud)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ud)->envp);
}

static const char *env_get(const char *name, void *ud)
{
	(void)ud;
	return getenv(name);
}

/* ---- index (re)loading ---- */

static ts_index *open_index(const char *path)
{
	tc_buf err = TC_BUF_INIT;
	ts_index *ix = ts_index_open(path, &err);
	if (!ix)
		logf_("%s", tc_buf_cstr(&err));
	tc_buf_free(&err);
	return ix;
}

/* Keeps the old index when the new one cannot be opened: a bad deploy
 * must not take search down. */
static void reload(ts_index **ix, ts_cache *cache, const char *path)
{
	g_reload = 0;
	ts_index *fresh = open_index(path);
	if (!fresh) {
		logf_("reload failed; still serving index %s",
		      ts_index_etag(*ix));
		return;
	}
	ts_index_close(*ix);
	*ix = fresh;
	if (cache)
		ts_cache_clear(cache);
	logf_("reopened %s: version %s, index %s", path,
	      ts_index_version(fresh), ts_index_etag(fresh));
}

int ts_cgi_once(const char *index)
{
	ts_index *ix = open_index(index);
	if (!ix) {
		/* Still an answer, not a crash: the web server shows it. */
		fputs(
		    "Status: 404 Not Found\r\nContent-Type: application/json; "
		    "charset=utf-8\r\n\r\n{\"error\": {\"status\": 404, "
		    "\"message\": \"the search index is not available\"}}\n",
		    stdout);
		return 1;
	}
	tc_buf out = TC_BUF_INIT;
	answer(ix, NULL, env_get, NULL, &out);
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	tc_buf_free(&out);
	ts_index_close(ix);
	return 0;
}

int ts_is_cgi(void)
{
	return FCGX_IsCGI() && getenv("GATEWAY_INTERFACE") != NULL;
}

/* ---- workers ---- */

static void worker(const ts_server_opts *o, int fd)
{
	const char *index = o->index;
	handle_signals();
	ts_index *ix = open_index(index);
	if (!ix)
		_exit(1);
	ts_cache *cache =
	    o->cache_slots ? ts_cache_new(o->cache_slots, 1 << 20) : NULL;
	FCGX_Request req;
	FCGX_InitRequest(&req, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	tc_buf out = TC_BUF_INIT;
	block(SIG_BLOCK);
	for (;;) {
		/* Signals are delivered only here, between requests. */
		block(SIG_UNBLOCK);
		if (g_stop)
			break;
		if (g_reload)
			reload(&ix, cache, index);
		int rc = FCGX_Accept_r(&req);
		block(SIG_BLOCK);
		if (rc < 0) {
			if (g_stop)
				break;
			if (g_reload || errno == EINTR)
				continue;
			logf_("accept failed: %s", strerror(errno));
			sleep(1);
			continue;
		}
		tc_buf_clear(&out);
		answer(ix, cache, fcgi_get, &req, &out);
		FCGX_PutStr(out.data, (int)out.len, req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 0);
	tc_buf_free(&out);
	ts_cache_free(cache);
	ts_index_close(ix);
	_exit(0);
}

static pid_t spawn(const ts_server_opts *o, int fd)
{
	pid_t pid = fork();
	if (pid == 0)
		worker(o, fd);
	if (pid < 0)
		logf_("fork failed: %s", strerror(errno));
	return pid;
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

static void stop_all(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	time_t deadline = time(NULL) + GRACE_SECONDS;
	int left = 0;
	for (int i = 0; i < n; i++)
		left += kids[i] > 0;
	while (left > 0) {
		pid_t p = waitpid(-1, NULL, WNOHANG);
		if (p > 0) {
			for (int i = 0; i < n; i++)
				if (kids[i] == p)
					kids[i] = 0;
			left--;
			continue;
		}
		if (p < 0 && errno == ECHILD)
			break;
		if (time(NULL) >= deadline) {
			/* one still blocked in accept() or stuck: end it */
			for (int i = 0; i < n; i++)
				if (kids[i] > 0)
					kill(kids[i], SIGKILL);
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int ts_serve(const ts_server_opts *o)
{
	FCGX_Init();
	/* the index first: no socket appears for a server that cannot answer */
	ts_index *probe = open_index(o->index);
	if (!probe)
		return 1;
	int fd = o->listen ? listen_on(o->listen) : inherited_fd();
	if (fd < 0) {
		if (!o->listen)
			logf_("no listening socket: pass --listen "
			      "PATH|HOST:PORT, "
			      "start under spawn-fcgi or systemd, or as CGI");
		ts_index_close(probe);
		return 1;
	}
	logf_("serving %s (version %s) with %d workers", o->index,
	      ts_index_version(probe), o->workers);
	ts_index_close(probe);
	handle_signals();
	pid_t kids[MAX_WORKERS] = {0};
	for (int i = 0; i < o->workers; i++)
		kids[i] = spawn(o, fd);
	while (!g_stop) {
		int st;
		pid_t p = waitpid(-1, &st, 0);
		if (g_reload) {
			g_reload = 0;
			for (int i = 0; i < o->workers; i++)
				if (kids[i] > 0)
					kill(kids[i], SIGHUP);
		}
		if (p <= 0 || g_stop)
			continue;
		for (int i = 0; i < o->workers; i++) {
			if (kids[i] != p)
				continue;
			if (WIFSIGNALED(st))
				logf_("worker %d killed by signal %d; "
				      "replacing it",
				      (int)p, WTERMSIG(st));
			else
				logf_("worker %d exited with %d; replacing it",
				      (int)p, WEXITSTATUS(st));
			if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
				sleep(1); /* do not spin on a broken setup */
			kids[i] = spawn(o, fd);
		}
	}
	logf_("stopping: letting requests in flight finish");
	stop_all(kids, o->workers);
	if (o->listen && o->listen[0] != '/' && o->listen[0] != '.')
		close(fd);
	else if (o->listen)
		unlink(o->listen);
	logf_("stopped");
	return 0;
}
