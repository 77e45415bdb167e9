#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define TS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_ASAN 1
#endif
#endif

#ifdef TS_ASAN
/* compiler-rt's hook for programs that sandbox themselves */
void __sanitizer_sandbox_on_notify(void *args);
#endif

/* System calls allowed whatever their arguments. Each is there because a
 * request (or the worker's own loop, or exiting) makes it. */
static const int allowed[] = {
    /* the index (SQLite reads with pread) and connections */
    SCMP_SYS(pread64),
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(recvfrom),
    SCMP_SYS(close),
    SCMP_SYS(shutdown),
    SCMP_SYS(accept4),
    SCMP_SYS(ppoll),
    SCMP_SYS(setsockopt),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    /* memory (mmap and mprotect: below, never executable) */
    SCMP_SYS(brk),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(madvise),
    /* time, signals, identity, the end */
    SCMP_SYS(clock_gettime),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(futex),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
#ifdef TS_ASAN
    /* the sanitizer runtime's own housekeeping and reports */
    SCMP_SYS(sched_yield),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(prctl),
    SCMP_SYS(getrlimit),
    SCMP_SYS(prlimit64),
    SCMP_SYS(readlink),
#endif
};

/* A workbook helper (cgi/xlsxd.h): requests and answers on its socket,
 * anonymous files (memfd_create; openat below) read back with pread, and
 * what libxlsxwriter, minizip and stdio do with them. No accept, no poll:
 * nothing but its socket is ever read. */
static const int helper_allowed[] = {
    SCMP_SYS(read),         SCMP_SYS(write),         SCMP_SYS(pread64),
    SCMP_SYS(lseek),        SCMP_SYS(close),         SCMP_SYS(fcntl),
    SCMP_SYS(fstat),        SCMP_SYS(newfstatat),    SCMP_SYS(memfd_create),
    SCMP_SYS(brk),          SCMP_SYS(munmap),        SCMP_SYS(mremap),
    SCMP_SYS(madvise),      SCMP_SYS(clock_gettime), SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn), SCMP_SYS(getpid),        SCMP_SYS(gettid),
    SCMP_SYS(futex),        SCMP_SYS(exit),          SCMP_SYS(exit_group),
#ifdef TS_ASAN
    SCMP_SYS(sched_yield),  SCMP_SYS(sigaltstack),   SCMP_SYS(rt_sigaction),
    SCMP_SYS(prctl),        SCMP_SYS(getrlimit),     SCMP_SYS(prlimit64),
    SCMP_SYS(readlink),
#endif
};

static int load(const int *list, size_t n, int helper, tc_buf *err)
{
#ifdef TS_ASAN
	__sanitizer_sandbox_on_notify(NULL);
#endif
	/* no_new_privs first: seccomp requires it of an unprivileged
	 * process, and it keeps an execve (were one allowed) from gaining
	 * privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		tc_buf_printf(err, "sandbox: no_new_privs: %s",
			      strerror(errno));
		return -1;
	}
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!f) {
		tc_buf_puts(err, "sandbox: seccomp_init failed");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, list[i], 0);
	/* A helper opens files two ways, both anonymous: O_TMPFILE (its
	 * temporary files) and its memfd by name under /proc/self/fd, which
	 * minizip and stdio open as fopen(..., "wb") does. An open to read
	 * (glibc's time zone file, should it change) is refused with EACCES,
	 * any other open kills. */
	if (helper && !rc)
		rc = seccomp_rule_add(
		    f, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_TMPFILE, O_TMPFILE));
	if (helper && !rc)
		rc = seccomp_rule_add(
		    f, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_EQ, O_WRONLY | O_CREAT | O_TRUNC));
	if (helper && !rc)
		rc = seccomp_rule_add(
		    f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY));
	/* Memory, but nothing executable: a worker runs no new code. */
	if (!rc)
		rc =
		    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!rc)
		rc =
		    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* abort() signals itself, and only itself (spelled out: SCMP_A0
	 * with two arguments leaves a field to -Wmissing-field-initializers) */
	struct scmp_arg_cmp self = {0, SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0};
	if (!rc)
		rc = seccomp_rule_add_array(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill),
					    1, &self);
	if (!rc)
		rc = seccomp_load(f);
	seccomp_release(f);
	if (rc) {
		tc_buf_printf(err,
			      "sandbox: cannot load the seccomp filter: %s",
			      strerror(-rc));
		return -1;
	}
	return 0;
}

int ts_sandbox_enter(tc_buf *err)
{
	return load(allowed, sizeof allowed / sizeof *allowed, 0, err);
}

int ts_sandbox_enter_helper(tc_buf *err)
{
	return load(helper_allowed,
		    sizeof helper_allowed / sizeof *helper_allowed, 1, err);
}
