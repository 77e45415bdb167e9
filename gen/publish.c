#define _GNU_SOURCE
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"

struct tc_publish {
	char *out;     /* without trailing slashes */
	char *staging; /* NULL once committed or removed */
	int lock;
};

/* "<base>.tmp-" and six characters of mkdtemp's alphabet: only what
 * tc_publish_begin makes, nothing a person named by hand. */
static int ours(const char *name, const char *base, size_t n)
{
	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp-", 5))
		return 0;
	const char *x = name + n + 5;
	size_t k = 0;
	while ((x[k] >= '0' && x[k] <= '9') || (x[k] >= 'A' && x[k] <= 'Z') ||
	       (x[k] >= 'a' && x[k] <= 'z'))
		k++;
	return k == 6 && !x[k];
}

/* Removes the staging folders of runs that were killed (a crash, kill -9,
 * a power cut). Best effort: one that cannot be removed now is tried again
 * by the next run, and does not stop this one. */
static void sweep(const char *out)
{
	const char *slash = strrchr(out, '/');
	char *dir = slash ? tc_xstrndup(out, (size_t)(slash - out + 1))
			  : tc_xstrdup(".");
	const char *base = slash ? slash + 1 : out;
	size_t n = strlen(base);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!ours(e->d_name, base, n))
			continue;
		tc_buf p = TC_BUF_INIT;
		tc_buf_printf(&p, "%s%s%s", dir, slash ? "" : "/", e->d_name);
		struct stat st;
		if (lstat(tc_buf_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode))
			tc_rmtree(tc_buf_cstr(&p));
		tc_buf_free(&p);
	}
	closedir(d);
	free(dir);
}

tc_publish *tc_publish_begin(const char *out)
{
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	tc_publish *p = tc_xcalloc(1, sizeof *p);
	p->out = tc_xstrndup(out, n);
	p->lock = -1;
	tc_buf b = TC_BUF_INIT;
	tc_buf_printf(&b, "%s.lock", p->out);
	if (tc_mkdirs_parent(p->out) < 0)
		goto fail;
	p->lock = open(tc_buf_cstr(&b), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (p->lock < 0 || flock(p->lock, LOCK_EX | LOCK_NB) < 0)
		goto fail;
	sweep(p->out);
	tc_buf_clear(&b);
	tc_buf_printf(&b, "%s.tmp-XXXXXX", p->out);
	p->staging = tc_buf_detach(&b);
	if (!mkdtemp(p->staging)) {
		free(p->staging);
		p->staging = NULL;
		goto fail;
	}
	chmod(p->staging, 0755);
	return p;
fail:;
	int saved = errno;
	tc_buf_free(&b);
	tc_publish_end(p);
	errno = saved;
	return NULL;
}

const char *tc_publish_staging(const tc_publish *p)
{
	return p->staging;
}

int tc_publish_commit(tc_publish *p)
{
	struct stat st;
	if (stat(p->out, &st) < 0) {
		if (errno != ENOENT || rename(p->staging, p->out) < 0)
			return -1;
		free(p->staging);
		p->staging = NULL;
		return 0;
	}
	if (renameat2(AT_FDCWD, p->staging, AT_FDCWD, p->out, RENAME_EXCHANGE) <
	    0)
		return -1;
	/* staging now holds the previous site: tc_publish_end removes it */
	return 0;
}

void tc_publish_end(tc_publish *p)
{
	if (!p)
		return;
	int saved = errno;
	if (p->staging)
		tc_rmtree(p->staging);
	if (p->lock >= 0)
		close(p->lock); /* releases the flock */
	free(p->staging);
	free(p->out);
	free(p);
	errno = saved;
}
