/* tc-search: the workers' seccomp sandbox. Each case forks: the child
 * enters the sandbox and does one thing; the parent looks at how it ended.
 * Children end with _exit, so nothing at exit (cmocka, LeakSanitizer)
 * runs inside the sandbox. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <valgrind/valgrind.h>

#include "../cgi/sandbox.h"
#include "../cgi/server.h"
#include "../cgi/xlsxd.h"
#include "../gen/build.h"
#include "../lib/fsx.h"
#include "../lib/lang.h"
#include "../lib/sha256.h"
#include "../lib/xlsx.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	ix = repo_fixture_index("tests/fixtures/mini", "out", "search.sqlite");
	return ix ? 0 : -1;
}

static tc_buf ask;

static int teardown(void **state)
{
	(void)state;
	tc_buf_free(&ask);
	ts_index_close(ix);
	leave_tmpdir(cwd, tmp);
	return 0;
}

/* valgrind does not implement seccomp(2) (ENOSYS): the sandbox cannot be
 * entered there, and tc-search must run with --no-sandbox (README). The
 * sanitizer build (make check-asan) runs these tests for real. */
static int without_seccomp(void)
{
	if (!RUNNING_ON_VALGRIND)
		return 0;
	print_message("SKIPPED: valgrind does not implement seccomp(2)\n");
	return 1;
}

typedef int (*probe_fn)(void);

/* Runs fn in a sandboxed child; returns its wait status. */
static int sandboxed(probe_fn fn)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		tc_buf err = TC_BUF_INIT;
		if (ts_sandbox_enter(&err) < 0) {
			fprintf(stderr, "%s\n", tc_buf_cstr(&err));
			_exit(100);
		}
		_exit(fn());
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void killed_by_sigsys(int st)
{
	if (!WIFSIGNALED(st))
		print_error("ended with status %d, not a signal\n",
			    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

static const char *vars[][2] = {{"REQUEST_METHOD", "GET"},
				{"DOCUMENT_URI", NULL},
				{"QUERY_STRING", NULL},
				{"HTTP_ACCEPT", NULL},
				{NULL, NULL}};

static const char *get(const char *name, void *ud)
{
	(void)ud;
	for (int i = 0; vars[i][0]; i++)
		if (!strcmp(vars[i][0], name))
			return vars[i][1];
	return NULL;
}

/* What a worker does: answers from the open index, through the cache. */
static int serve_requests(void)
{
	static const char *reqs[][3] = {
	    {"/api/search", "q=firewall", "*/*"},
	    {"/api/search", "q=firewall", "*/*"}, /* from the cache */
	    {"/api/search", "q=a&limit=100", "text/html"},
	    {"/api/export", "format=csv", "*/*"},
	    {"/api/export", "product=rack", "*/*"},
	    {"/api/health", "%ff", "text/html"},
	    {"/nope", "", "*/*"},
	};
	ts_cache *cache = ts_cache_new(16, 1 << 20, 4 << 20);
	tc_buf out = TC_BUF_INIT;
	for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
		vars[1][1] = reqs[i][0];
		vars[2][1] = reqs[i][1];
		vars[3][1] = reqs[i][2];
		tc_buf_clear(&out);
		ts_answer(ix, cache, get, NULL, &out, 1);
		if (strncmp(tc_buf_cstr(&out), "Status: ", 8))
			return 1;
	}
	ts_cache_free(cache);
	tc_buf_free(&out);
	return 0;
}

static void requests_are_allowed(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	int st = sandboxed(serve_requests);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int open_file(void)
{
	return open("/etc/hostname", O_RDONLY) >= 0 ? 0 : 3;
}

static int new_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 3;
}

static int run_program(void)
{
	char *argv[] = {"/bin/true", NULL};
	execv(argv[0], argv);
	return 3;
}

static int executable_memory(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p != MAP_FAILED ? 0 : 3;
}

static int make_executable(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 4;
	return mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0 ? 0 : 3;
}

static int start_process(void)
{
	return fork() >= 0 ? 0 : 3;
}

static int signal_another(void)
{
	return kill(getppid(), 0) == 0 ? 0 : 3;
}

/* The kernel's view of a sandboxed process: a seccomp filter and
 * no_new_privs, read from /proc while it waits on a pipe. */
static void status_shows_filter_and_no_new_privs(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		tc_buf err = TC_BUF_INIT;
		char c;
		close(go[1]);
		if (ts_sandbox_enter(&err) < 0)
			_exit(100);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	close(go[0]);
	char path[64], *status = NULL;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	/* until the child has entered the sandbox */
	for (int i = 0; i < 200; i++) {
		free(status);
		status = tc_read_file(path, NULL);
		if (status && strstr(status, "Seccomp:\t2"))
			break;
		usleep(10000);
	}
	assert_non_null(status);
	assert_non_null(strstr(status, "NoNewPrivs:\t1"));
	assert_non_null(strstr(status, "Seccomp:\t2"));
	free(status);
	close(go[1]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void forbidden_calls_kill(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	probe_fn forbidden[] = {
	    open_file,       new_socket,    run_program,   executable_memory,
	    make_executable, start_process, signal_another};
	for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++) {
		print_message("forbidden call %zu\n", i);
		killed_by_sigsys(sandboxed(forbidden[i]));
	}
}

/* ---- the workbook helper (cgi/xlsxd.h) and its own filter ---- */

static char *want_xlsx; /* out/api/tom.xlsx, read before the filter */
static size_t want_len;
/* a helper's request for the whole set (declared above, for teardown) */
static tc_buf ask = TC_BUF_INIT;

/* The request for the whole data set's workbook (cgi/xlsxd.h). */
static void make_request(void)
{
	tc_pick *all = tc_pick_all(ts_index_model(ix));
	tc_buf_clear(&ask);
	assert_int_equal(ts_xlsxd_request(ix, all, &ask), 0);
	tc_pick_free(all);
}

/* Runs fn in a child under the helper's filter; returns its wait status. */
static int helper_sandboxed(probe_fn fn)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		tc_buf err = TC_BUF_INIT;
		if (ts_sandbox_enter_helper(&err) < 0) {
			fprintf(stderr, "%s\n", tc_buf_cstr(&err));
			_exit(100);
		}
		_exit(fn());
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* What a helper does: from a request, checked, the pick over its
 * index's model and the workbook tc-gen wrote, byte for byte (the same
 * digest and governing language version on the cover), through anonymous
 * files only ($TMPDIR is an empty folder, and a named file would be a
 * forbidden open). */
static int write_workbook(void)
{
	tc_buf out = TC_BUF_INIT, why = TC_BUF_INIT;
	if (ts_xlsxd_answer(ix, ask.data, ask.len, &out, &why) < 0)
		return 1;
	return want_xlsx && want_len == out.len &&
		       !memcmp(want_xlsx, out.data, out.len)
		   ? 0
		   : 2;
}

static void helper_writes_workbooks_into_anonymous_files(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	make_request();
	want_xlsx = tc_read_file("out/api/tom.xlsx", &want_len);
	assert_non_null(want_xlsx);
	assert_int_equal(mkdir("empty", 0700), 0);
	char *saved = getenv("TMPDIR") ? tc_xstrdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "empty", 1);
	/* the time zone is read before the filter, as the helper does */
	time_t t = 0;
	struct tm tm;
	localtime_r(&t, &tm);
	int st = helper_sandboxed(write_workbook);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rmdir("empty"), 0); /* nothing was left in it */
	free(want_xlsx);
}

static int read_a_file(void)
{
	return open("/etc/hostname", O_RDONLY) < 0 && errno == EACCES ? 0 : 3;
}

static int named_temporary_file(void)
{
	return open("named-tmp", O_RDWR | O_CREAT | O_EXCL, 0600) >= 0 ? 0 : 3;
}

static int accept_connection(void)
{
	return accept4(0, NULL, NULL, 0) >= 0 ? 0 : 3;
}

static int poll_for_more(void)
{
	struct timespec ts = {0, 0};
	return ppoll(NULL, 0, &ts, NULL) >= 0 ? 0 : 3;
}

static void helper_filter_refuses_the_rest(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	int st = helper_sandboxed(read_a_file); /* refused, not punished */
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	probe_fn forbidden[] = {
	    named_temporary_file, new_socket,        run_program,
	    start_process,        signal_another,    executable_memory,
	    make_executable,      accept_connection, poll_for_more};
	for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++) {
		print_message("forbidden call %zu\n", i);
		killed_by_sigsys(helper_sandboxed(forbidden[i]));
	}
	assert_int_equal(access("named-tmp", F_OK), -1);
}

/* This process's children, from /proc (the helpers, in the order
 * started). */
static int my_children(pid_t *out, int max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/children",
		 (int)getpid());
	char *s = tc_read_file(path, NULL);
	int n = 0;
	for (char *p = s; p && *p && n < max;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		out[n++] = (pid_t)v;
		p = end;
	}
	free(s);
	return n;
}

/* A worker's view: the first helper killed, the same workbook comes from
 * the second and the worker is told to make way; both killed, a refusal
 * (503), never a crash. */
static int lose_helpers(void)
{
	if (ts_xlsxd_start(TS_XLSXD_HELPERS, ix) < 0)
		return 10;
	tc_pick *all = tc_pick_all(ts_index_model(ix));
	pid_t kids[4];
	if (my_children(kids, 4) != 2)
		return 11;
	tc_buf out = TC_BUF_INIT;
	if (ts_xlsxd_render(ix, all, &out) < 0 || ts_xlsxd_lost())
		return 12;
	kill(kids[0], SIGKILL);
	waitpid(kids[0], NULL, 0);
	tc_buf again = TC_BUF_INIT;
	if (ts_xlsxd_render(ix, all, &again) < 0)
		return 13;
	if (again.len != out.len || memcmp(again.data, out.data, out.len))
		return 14;
	if (!ts_xlsxd_lost())
		return 15;
	kill(kids[1], SIGKILL);
	waitpid(kids[1], NULL, 0);
	tc_buf_clear(&again);
	if (ts_xlsxd_render(ix, all, &again) != -1 || again.len)
		return 16;
	return 0;
}

static void a_lost_helper_is_asked_again_of_the_next(void **state)
{
	(void)state;
	if (without_seccomp())
		skip();
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		_exit(lose_helpers());
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(requests_are_allowed),
	    cmocka_unit_test(status_shows_filter_and_no_new_privs),
	    cmocka_unit_test(forbidden_calls_kill),
	    cmocka_unit_test(helper_writes_workbooks_into_anonymous_files),
	    cmocka_unit_test(helper_filter_refuses_the_rest),
	    cmocka_unit_test(a_lost_helper_is_asked_again_of_the_next),
	};
	return cmocka_run_group_tests_name("sandbox", tests, setup, teardown);
}
