#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/text.h"
#include "limits.h"

static void too_big(const char *path, size_t max, tc_diags *d)
{
	tc_diags_add(d, path, 0, 0,
		     "file is larger than %zu bytes, the limit for a source",
		     max);
}

char *tc_source_read(const char *path, size_t max, size_t *len, tc_diags *d)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; the type
	 * check below refuses it anyway. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tc_diags_add(d, path, 0, 0, "cannot read file: %s",
			     strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		tc_diags_add(d, path, 0, 0, "cannot read file: %s",
			     strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		tc_diags_add(d, path, 0, 0, "not a regular file");
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > max) {
		too_big(path, max, d);
		close(fd);
		return NULL;
	}
	/* The size may change between fstat and read: read at most one
	 * byte more than the limit, never "until the end". */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = tc_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = tc_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tc_diags_add(d, path, 0, 0, "cannot read file: %s",
				     strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		too_big(path, max, d);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int tc_source_check(const char *file, const char *s, size_t n, tc_diags *d)
{
	if (n > TC_MAX_FILE_BYTES) {
		too_big(file, TC_MAX_FILE_BYTES, d);
		return -1;
	}
	size_t bad = tc_text_scan(s, n);
	if (bad == n)
		return 0;
	int line = 1;
	size_t bol = 0;
	for (size_t i = 0; i < bad; i++)
		if (s[i] == '\n') {
			line++;
			bol = i + 1;
		}
	unsigned char c = (unsigned char)s[bad];
	int col = (int)(bad - bol) + 1;
	if (c < 0x20)
		tc_diags_add(d, file, line, col,
			     "control character 0x%02x (only tab, line feed "
			     "and carriage return are allowed in a source)",
			     c);
	else
		tc_diags_add(d, file, line, col,
			     "invalid UTF-8 (byte 0x%02x); sources must be "
			     "UTF-8",
			     c);
	return -1;
}

char *tc_source_load(const char *path, size_t *len, tc_diags *d)
{
	size_t n;
	char *s = tc_source_read(path, TC_MAX_FILE_BYTES, &n, d);
	if (s && tc_source_check(path, s, n, d) < 0) {
		free(s);
		return NULL;
	}
	if (s && len)
		*len = n;
	return s;
}
