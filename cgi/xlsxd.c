#include "xlsxd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/xlsx.h"

/* A request and an answer are a 4-byte length and that many bytes; the
 * request is the SHA-256 (64 hex digits) then the data set as JSON. */
#define MAX_MESSAGE (64u << 20)

static int helper_fd = -1;
static int helper_lost; /* its socket broke: it died or was killed */

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

static void serve(int fd)
{
	for (;;) {
		size_t n;
		char *req = recv_msg(fd, &n);
		if (!req)
			_exit(0); /* the worker is gone */
		tc_buf out = TC_BUF_INIT;
		json_t *doc = n > 64 ? json_loads(req + 64, 0, NULL) : NULL;
		char sha[65] = {0};
		if (n > 64)
			memcpy(sha, req, 64);
		int rc = doc ? tc_xlsx_buf(doc, sha, &out) : -1;
		json_decref(doc);
		free(req);
		/* an empty answer says it failed */
		if (send_msg(fd, rc ? "" : tc_buf_cstr(&out), rc ? 0 : out.len))
			_exit(0);
		tc_buf_free(&out);
	}
}

int ts_xlsxd_start(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		serve(sv[1]);
	}
	close(sv[1]);
	helper_fd = sv[0];
	return 0;
}

int ts_xlsxd_lost(void)
{
	return helper_lost;
}

int ts_xlsxd_watch_fd(void)
{
	return helper_lost ? -1 : helper_fd;
}

void ts_xlsxd_watched(short revents)
{
	if (helper_fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR))) {
		close(helper_fd);
		helper_fd = -1;
		helper_lost = 1;
	}
}

int ts_xlsxd_render(json_t *doc, const char *tom_sha256, tc_buf *out)
{
	if (helper_lost)
		return -1;
	if (helper_fd < 0)
		return tc_xlsx_buf(doc, tom_sha256, out);
	char *json = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!json)
		return -1;
	tc_buf req = TC_BUF_INIT;
	tc_buf_printf(&req, "%-64.64s", tom_sha256 ? tom_sha256 : "");
	tc_buf_puts(&req, json);
	free(json);
	int rc = send_msg(helper_fd, req.data, req.len);
	tc_buf_free(&req);
	size_t n = 0;
	char *ans = rc ? NULL : recv_msg(helper_fd, &n);
	if (!ans) {
		/* a sandboxed worker cannot start another: it asks to be
		 * replaced (ts_xlsxd_lost), and its successor starts one */
		close(helper_fd);
		helper_fd = -1;
		helper_lost = 1;
	}
	if (ans && n)
		tc_buf_put(out, ans, n);
	free(ans);
	return ans && n ? 0 : -1;
}
