#define _XOPEN_SOURCE 700
#include "fsx.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

char *tc_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	tc_buf b = TC_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		tc_buf_put(&b, chunk, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		tc_buf_free(&b);
		errno = EIO;
		return NULL;
	}
	if (len)
		*len = b.len;
	return tc_buf_detach(&b);
}

/* Parents first only when needed: in a tree being filled, most folders
 * exist or have an existing parent, so this is usually one mkdir. */
int tc_mkdirs(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || tc_mkdirs_parent(path) < 0)
		return -1;
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int tc_mkdirs_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *parent = tc_xstrndup(path, (size_t)(slash - path));
	int r = tc_mkdirs(parent);
	free(parent);
	return r;
}

FILE *tc_create_file(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f && errno == ENOENT) {
		if (tc_mkdirs_parent(path) < 0)
			return NULL;
		f = fopen(path, "wb");
	}
	return f;
}

int tc_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = tc_create_file(path);
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	int bad = fclose(f) != 0 || w != len;
	return bad ? -1 : 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(p) : unlink(p)) < 0 ? -1 : 0;
}

int tc_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}
