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
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <valgrind/valgrind.h>

#include "../cgi/sandbox.h"
#include "../cgi/server.h"
#include "../gen/build.h"
#include "helpers.h"

static char tmp[64];
static char *cwd;
static ts_index *ix;

static int setup(void **state)
{
	(void)state;
	cwd = enter_tmpdir(tmp, sizeof tmp);
	char content[4096], templates[4096];
	snprintf(content, sizeof content, "%s/tests/fixtures/mini",
		 repo_root());
	snprintf(templates, sizeof templates, "%s/templates", repo_root());
	tc_build_opts o = {.content = content,
			   .templates = templates,
			   .output = "out",
			   .index = "search.sqlite"};
	tc_diags *d = tc_diags_new();
	tc_build_result r;
	int rc = tc_build(&o, d, &r);
	tc_diags_print(d, stderr);
	tc_diags_free(d);
	if (rc)
		return -1;
	tc_buf err = TC_BUF_INIT;
	ix = ts_index_open("search.sqlite", &err);
	tc_buf_free(&err);
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(requests_are_allowed),
	    cmocka_unit_test(status_shows_filter_and_no_new_privs),
	    cmocka_unit_test(forbidden_calls_kill),
	};
	return cmocka_run_group_tests_name("sandbox", tests, setup, teardown);
}
