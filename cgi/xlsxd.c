#define _GNU_SOURCE /* close_range */
#include "xlsxd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../lib/lang.h"
#include "../lib/xlsx.h"
#include "sandbox.h"
#include "search.h"

/* A request and an answer are a 4-byte length and that many bytes; the
 * request is the SHA-256 (64 hex digits), the language's code (LANG_FIELD
 * bytes, space-padded), then the data set as JSON. */
#define MAX_MESSAGE (64u << 20)
#define LANG_FIELD 16
#define HEAD (64 + LANG_FIELD)

/* The indexes the worker answers from (its copy after fork is the
 * helper's): the language a workbook is asked in names one of them. */
static ts_index *root;

static int helper_fd[TS_XLSXD_HELPERS] = {-1, -1};
static int started;  /* helpers started (0: workbooks in process) */
static int failed;   /* starting them failed: workbooks fail */
static int any_lost; /* a helper's socket broke: it died or was killed */

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	char *s = p;
	while (n) {
		ssize_t r = read(fd, s, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_msg(int fd, const char *data, size_t n)
{
	uint32_t len = (uint32_t)n;
	return write_all(fd, &len, sizeof len) || write_all(fd, data, n) ? -1
									 : 0;
}

/* A message of at most MAX_MESSAGE bytes, NUL-terminated (caller frees). */
static char *recv_msg(int fd, size_t *n)
{
	uint32_t len;
	if (read_all(fd, &len, sizeof len) || len > MAX_MESSAGE)
		return NULL;
	char *s = malloc((size_t)len + 1);
	if (!s || read_all(fd, s, len)) {
		free(s);
		return NULL;
	}
	s[len] = '\0';
	*n = len;
	return s;
}

/* The workbook in the language of ix (NULL: English, tc_lang_default),
 * with the governing language version its index's page context names, as
 * tc-gen's workbooks have it, so a download and an export are the same
 * bytes. */
static int write_book(ts_index *ix, json_t *doc, const char *sha, tc_buf *out)
{
	if (!ix)
		return tc_xlsx_buf(doc, tc_lang_default(), sha, out);
	tc_governing gov;
	tc_langs site = {ts_index_language(ix), 1,
			 ts_index_governing(ix, &gov) ? NULL : &gov};
	tc_lang l = *ts_index_language(ix);
	l.site = &site;
	return tc_xlsx_buf(doc, &l, sha, out);
}

static void serve(int fd)
{
	for (;;) {
		size_t n;
		char *req = recv_msg(fd, &n);
		if (!req)
			_exit(0); /* the worker is gone */
		tc_buf out = TC_BUF_INIT;
		json_t *doc = n > HEAD ? json_loads(req + HEAD, 0, NULL) : NULL;
		char sha[65] = {0}, code[LANG_FIELD + 1] = {0};
		if (n > HEAD) {
			memcpy(sha, req, 64);
			memcpy(code, req + 64, LANG_FIELD);
			char *sp = strchr(code, ' ');
			if (sp)
				*sp = '\0';
		}
		/* an unknown language is refused, not written in another */
		ts_index *ix = root && *code ? ts_index_lang(root, code) : NULL;
		int rc =
		    doc && (ix || !root) ? write_book(ix, doc, sha, &out) : -1;
		json_decref(doc);
		free(req);
		/* an empty answer says it failed */
		if (send_msg(fd, rc ? "" : tc_buf_cstr(&out), rc ? 0 : out.len))
			_exit(0);
		tc_buf_free(&out);
	}
}

/* The helper keeps its socket (as fd 3) and stderr; stdin and stdout
 * become /dev/null, and every other descriptor it inherited (the listening
 * socket, the index, connections) is closed. */
static int keep_only(int sock)
{
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			return -1;
		close(sock);
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
		return -1;
	return close_range(4, ~0U, 0);
}

static void helper_main(int sock, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	/* the time zone is read now: the filter refuses to open it later */
	time_t t = 0;
	struct tm tm;
	localtime_r(&t, &tm);
	tc_buf err = TC_BUF_INIT;
	if (keep_only(sock) < 0) {
		fprintf(stderr, "tc-search[%d]: workbook helper: %s\n",
			(int)getpid(), strerror(errno));
		_exit(1);
	}
	if (ts_sandbox_enter_helper(&err) < 0) {
		fprintf(stderr, "tc-search[%d]: workbook helper: %s\n",
			(int)getpid(), tc_buf_cstr(&err));
		_exit(1);
	}
	serve(3);
}

int ts_xlsxd_start(int n, ts_index *ix)
{
	root = ix;
	if (n < 1 || n > TS_XLSXD_HELPERS)
		n = TS_XLSXD_HELPERS;
	pid_t parent = getpid();
	for (int i = 0; i < n; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			goto fail;
		pid_t pid = fork();
		if (pid < 0) {
			close(sv[0]);
			close(sv[1]);
			goto fail;
		}
		if (pid == 0) {
			close(sv[0]);
			for (int k = 0; k < i; k++)
				close(helper_fd[k]);
			helper_main(sv[1], parent);
		}
		close(sv[1]);
		helper_fd[i] = sv[0];
		started++;
	}
	return 0;
fail:
	failed = 1;
	return -1;
}

int ts_xlsxd_lost(void)
{
	return any_lost;
}

int ts_xlsxd_watch_fds(int *fds, int max)
{
	int k = 0;
	for (int i = 0; i < TS_XLSXD_HELPERS && k < max; i++)
		if (helper_fd[i] >= 0)
			fds[k++] = helper_fd[i];
	return k;
}

static void lose(int i)
{
	close(helper_fd[i]);
	helper_fd[i] = -1;
	any_lost = 1;
}

void ts_xlsxd_watched(int fd, short revents)
{
	for (int i = 0; i < TS_XLSXD_HELPERS; i++)
		if (fd >= 0 && helper_fd[i] == fd &&
		    (revents & (POLLIN | POLLHUP | POLLERR)))
			lose(i);
}

int ts_xlsxd_render(ts_index *ix, json_t *doc, const char *tom_sha256,
		    tc_buf *out)
{
	if (!started && !failed)
		return write_book(ix, doc, tom_sha256 ? tom_sha256 : "", out);
	const char *code = ix ? ts_index_language(ix)->code : "";
	if (strlen(code) > LANG_FIELD)
		return -1;
	char *json = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!json)
		return -1;
	tc_buf req = TC_BUF_INIT;
	tc_buf_printf(&req, "%-64.64s%-16.16s", tom_sha256 ? tom_sha256 : "",
		      code);
	tc_buf_puts(&req, json);
	free(json);
	int rc = -1;
	for (int i = 0; i < TS_XLSXD_HELPERS; i++) {
		if (helper_fd[i] < 0)
			continue;
		size_t n = 0;
		char *ans = send_msg(helper_fd[i], req.data, req.len)
				? NULL
				: recv_msg(helper_fd[i], &n);
		if (!ans) {
			/* it died: the next one is asked the same */
			lose(i);
			continue;
		}
		if (n) {
			tc_buf_put(out, ans, n);
			rc = 0;
		}
		free(ans);
		break; /* written, or refused: another would refuse too */
	}
	tc_buf_free(&req);
	return rc;
}
