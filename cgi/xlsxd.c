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

#include "../lib/escape.h"
#include "../lib/lang.h"
#include "../lib/model.h"
#include "../lib/xlsx.h"
#include "params.h"
#include "sandbox.h"
#include "search.h"

/* A request and an answer are a 4-byte length and that many bytes. The
 * answer is the workbook (none: it failed), at most MAX_ANSWER bytes; the
 * request (ts_xlsxd_request) at most TS_XLSXD_MAX_REQUEST. */
#define MAX_ANSWER (64u << 20)
#define LANG_FIELD 16
#define ABSENT 0xffffu

/* The filters a pick records, in the request in this order. */
static const char *const fields[TS_XLSXD_FIELDS] = {
    "product", "category", "status", "responsibility", "q"};

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

/* A message of at most max bytes, NUL-terminated (caller frees); NULL
 * when the peer is gone or sent a longer one. */
static char *recv_msg(int fd, size_t max, size_t *n)
{
	uint32_t len;
	if (read_all(fd, &len, sizeof len) || len > max)
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

/* The workbook of (ix's model, pk) in the language of ix, with the
 * governing language version its index's page context names, as tc-gen's
 * workbooks have it, so a download and an export are the same bytes. */
static int write_book(ts_index *ix, const tc_pick *pk, tc_buf *out)
{
	tc_governing gov;
	tc_langs site = {ts_index_language(ix), 1,
			 ts_index_governing(ix, &gov) ? NULL : &gov};
	tc_lang l = *ts_index_language(ix);
	l.site = &site;
	return tc_xlsx_buf(ts_index_model(ix), pk, &l, ts_index_tom_sha256(ix),
			   out);
}

/* The number of measures of m (tc_pick's numbering). */
static size_t measures_of(const tc_model *m)
{
	size_t n = 0;
	for (size_t c = 0; c < m->ncategories; c++)
		n += m->categories[c].nmeasures;
	return n;
}

int ts_xlsxd_request(ts_index *ix, const tc_pick *pk, tc_buf *req)
{
	const char *code = ts_index_language(ix)->code;
	const tc_model *m = ts_index_model(ix);
	if (strlen(code) > LANG_FIELD || !m)
		return -1;
	size_t start = req->len;
	tc_buf_printf(req, "%-16.16s", code);
	for (int i = 0; i < TS_XLSXD_FIELDS; i++) {
		const char *v = tc_pick_filter_get(pk, fields[i]);
		size_t n = v ? strlen(v) : ABSENT;
		if (v && n > TS_XLSXD_FIELD_MAX) {
			req->len = start;
			return -1;
		}
		unsigned char len[2] = {(unsigned char)(n >> 8),
					(unsigned char)n};
		tc_buf_put(req, (const char *)len, 2);
		if (v)
			tc_buf_put(req, v, n);
	}
	size_t total = measures_of(m);
	unsigned char cnt[4] = {
	    (unsigned char)(total >> 24), (unsigned char)(total >> 16),
	    (unsigned char)(total >> 8), (unsigned char)total};
	tc_buf_put(req, (const char *)cnt, 4);
	size_t at = req->len;
	for (size_t i = 0; i < (total + 7) / 8; i++)
		tc_buf_putc(req, '\0');
	for (size_t c = 0; c < m->ncategories; c++)
		for (size_t k = 0; k < m->categories[c].nmeasures; k++)
			if (tc_pick_measure(pk, c, k)) {
				size_t n = tc_pick_first(pk, c) + k;
				req->data[at + n / 8] |= (char)(1u << (n % 8));
			}
	return 0;
}

/* A request being read: s[0..n), at. */
typedef struct reader {
	const unsigned char *s;
	size_t n, at;
} reader;

/* The next field: *v NULL when absent, else a copy (caller frees); -1
 * when the message ends inside it, it is longer than
 * TS_XLSXD_FIELD_MAX or it is not UTF-8 text. */
static int field(reader *r, char **v, const char *name, tc_buf *why)
{
	*v = NULL;
	if (r->n - r->at < 2) {
		tc_buf_printf(why, "the request ends before its %s", name);
		return -1;
	}
	size_t len = (size_t)r->s[r->at] << 8 | r->s[r->at + 1];
	r->at += 2;
	if (len == ABSENT)
		return 0;
	if (len > TS_XLSXD_FIELD_MAX || len > r->n - r->at) {
		tc_buf_printf(why, "the request's %s is cut or too long", name);
		return -1;
	}
	const char *p = (const char *)r->s + r->at;
	if (memchr(p, '\0', len) || !tc_utf8_valid(p, len)) {
		tc_buf_printf(why, "the request's %s is not UTF-8 text", name);
		return -1;
	}
	*v = tc_xmalloc(len + 1);
	memcpy(*v, p, len);
	(*v)[len] = '\0';
	r->at += len;
	return 0;
}

/* 1 when list is one or more responsibility IDs, comma-separated
 * (cgi/params.c's rule for "responsibility"). */
static int resp_list(const char *list)
{
	if (!*list)
		return 0;
	for (const char *s = list;;) {
		size_t n = strcspn(s, ",");
		char id[32];
		if (!n || n >= sizeof id)
			return 0;
		memcpy(id, s, n);
		id[n] = '\0';
		if (tc_resp_from_id(id) < 0)
			return 0;
		s += n;
		if (!*s)
			return 1;
		s++; /* the comma: an item must follow */
	}
}

/* Whether each filter names what it filters by in m: a product scope, a
 * category, a status, responsibilities; q as the parameter's bound. */
static int fields_ok(const tc_model *m, char *const *v, tc_buf *why)
{
	const tc_scope *sc = v[0] ? tc_model_scope(m, v[0]) : NULL;
	const char *bad = v[0] && (!sc || sc->kind != SK_PRODUCT) ? "product"
			  : v[1] && !tc_model_category(m, v[1])   ? "category"
			  : v[2] && tc_status_from_id(v[2]) < 0   ? "status"
			  : v[3] && !resp_list(v[3]) ? "responsibility"
			  : v[4] && strlen(v[4]) > TS_MAX_QUERY ? "q"
								: NULL;
	if (bad)
		tc_buf_printf(
		    why, "the request's %s is not one of the data set", bad);
	return bad ? -1 : 0;
}

int ts_xlsxd_answer(ts_index *top, const char *req, size_t n, tc_buf *out,
		    tc_buf *why)
{
	reader r = {(const unsigned char *)req, n, 0};
	if (!top || n > TS_XLSXD_MAX_REQUEST || n < LANG_FIELD) {
		tc_buf_puts(why, !top ? "no index to answer from"
				      : "the request's length is wrong");
		return -1;
	}
	/* the language: its code, space-padded, names one of the indexes */
	char code[LANG_FIELD + 1];
	memcpy(code, req, LANG_FIELD);
	code[LANG_FIELD] = '\0';
	size_t cn = strcspn(code, " ");
	for (size_t i = cn; i < LANG_FIELD; i++)
		if (code[i] != ' ')
			cn = 0;
	code[cn] = '\0';
	ts_index *ix = cn ? ts_index_lang(top, code) : NULL;
	const tc_model *m = ix ? ts_index_model(ix) : NULL;
	if (!m) {
		tc_buf_puts(why, "the request's language is none of the index");
		return -1;
	}
	r.at = LANG_FIELD;
	char *v[TS_XLSXD_FIELDS] = {NULL};
	unsigned char *keep = NULL;
	tc_pick *pk = NULL;
	int rc = -1;
	for (int i = 0; i < TS_XLSXD_FIELDS; i++)
		if (field(&r, &v[i], fields[i], why) < 0)
			goto out;
	if (fields_ok(m, v, why) < 0)
		goto out;
	/* the measures: as many as the model has, one bit each, the last
	 * byte's unused bits clear, nothing after them */
	size_t total = measures_of(m);
	if (r.n - r.at < 4) {
		tc_buf_puts(why, "the request ends before its measures");
		goto out;
	}
	size_t count = (size_t)r.s[r.at] << 24 | (size_t)r.s[r.at + 1] << 16 |
		       (size_t)r.s[r.at + 2] << 8 | r.s[r.at + 3];
	r.at += 4;
	size_t bytes = (total + 7) / 8;
	if (count != total || r.n - r.at != bytes ||
	    (total % 8 && r.s[r.at + bytes - 1] >> (total % 8))) {
		tc_buf_puts(why, "the request's measures are not the data "
				 "set's");
		goto out;
	}
	keep = tc_xcalloc(total ? total : 1, 1);
	for (size_t i = 0; i < total; i++)
		keep[i] = r.s[r.at + i / 8] >> (i % 8) & 1;
	pk = tc_pick_filter(m, v[0], v[1], v[2], v[3]);
	tc_pick_only(pk, keep, v[4]);
	rc = write_book(ix, pk, out);
	if (rc)
		tc_buf_puts(why, "the workbook could not be written");
out:
	tc_pick_free(pk);
	free(keep);
	for (int i = 0; i < TS_XLSXD_FIELDS; i++)
		free(v[i]);
	return rc;
}

static void serve(int fd)
{
	for (;;) {
		size_t n;
		char *req = recv_msg(fd, TS_XLSXD_MAX_REQUEST, &n);
		if (!req)
			_exit(0); /* the worker is gone, or mad */
		tc_buf out = TC_BUF_INIT, why = TC_BUF_INIT;
		/* a request it cannot answer is refused, never guessed at:
		 * an unknown language is not written in another */
		int rc = ts_xlsxd_answer(root, req, n, &out, &why);
		free(req);
		tc_buf_free(&why);
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

int ts_xlsxd_render(ts_index *ix, const tc_pick *pk, tc_buf *out)
{
	if (!started && !failed)
		return write_book(ix, pk, out);
	tc_buf req = TC_BUF_INIT;
	if (ts_xlsxd_request(ix, pk, &req) < 0) {
		tc_buf_free(&req);
		return -1;
	}
	int rc = -1;
	for (int i = 0; i < TS_XLSXD_HELPERS; i++) {
		if (helper_fd[i] < 0)
			continue;
		size_t n = 0;
		char *ans = send_msg(helper_fd[i], req.data, req.len)
				? NULL
				: recv_msg(helper_fd[i], MAX_ANSWER, &n);
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
