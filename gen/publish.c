#define _GNU_SOURCE
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/fsx.h"

char *tc_publish_begin(const char *out)
{
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	tc_buf b = TC_BUF_INIT;
	tc_buf_put(&b, out, n);
	if (tc_mkdirs_parent(tc_buf_cstr(&b)) < 0) {
		tc_buf_free(&b);
		return NULL;
	}
	tc_buf_puts(&b, ".tmp-XXXXXX");
	char *path = tc_buf_detach(&b);
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	chmod(path, 0755);
	return path;
}

int tc_publish_commit(const char *staging, const char *out)
{
	struct stat st;
	if (stat(out, &st) < 0) {
		if (errno != ENOENT)
			return -1;
		return rename(staging, out);
	}
	if (renameat2(AT_FDCWD, staging, AT_FDCWD, out, RENAME_EXCHANGE) < 0)
		return -1;
	/* staging now holds the previous site */
	return tc_rmtree(staging);
}

void tc_publish_abort(const char *staging)
{
	int saved = errno;
	tc_rmtree(staging);
	errno = saved;
}
