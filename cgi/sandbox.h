/* sandbox.h: what a tc-search worker may still do once its index is open.
 *
 * ts_sandbox_enter sets no_new_privs and loads a seccomp filter (libseccomp)
 * that allows only the system calls serving requests needs: reading and
 * writing the descriptors it already has (pread on the index; read, write,
 * recv, shutdown and close on connections), accept4, ppoll and setsockopt
 * for new connections, memory (brk, mmap and mprotect without PROT_EXEC,
 * munmap, mremap, madvise), clocks, signal masks and returns, getpid and
 * exiting (and tgkill to itself, which abort() needs). Anything else (open,
 * socket, connect, fork, execve, ptrace, ...) kills the whole process
 * (SECCOMP_RET_KILL_PROCESS, SIGSYS); the master replaces it.
 *
 * Under AddressSanitizer, the runtime is told first
 * (__sanitizer_sandbox_on_notify) so that it prepares what its reports need
 * while it still can. */
#ifndef TS_SANDBOX_H
#define TS_SANDBOX_H

#include "../lib/buf.h"

/* Returns 0, or -1 with a message in err (the caller must not serve). */
int ts_sandbox_enter(tc_buf *err);

/* The workbook helper's filter (cgi/xlsxd.h), on the same terms: its
 * socket (read, write), anonymous files (memfd_create; openat only with
 * O_TMPFILE, or write-create-truncate for its memfd's /proc/self/fd name,
 * an openat to read fails with EACCES, any other kills), lseek, pread, fcntl,
 * fstat, memory, clocks, signal masks and exiting. No accept, poll, socket,
 * connect, fork or execve. Returns 0, or -1 with a message in err. */
int ts_sandbox_enter_helper(tc_buf *err);

#endif
