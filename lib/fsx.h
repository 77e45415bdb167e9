/* fsx.h: the few file-system operations both binaries need. Each returns 0
 * on success and -1 with errno set on failure. */
#ifndef TC_FSX_H
#define TC_FSX_H

#include <stddef.h>
#include <stdio.h>

/* Reads a whole file into a NUL-terminated malloc'd buffer (caller frees);
 * *len (may be NULL) receives its length. NULL on failure. */
char *tc_read_file(const char *path, size_t *len);
/* mkdir -p */
int tc_mkdirs(const char *path);
/* mkdir -p of the folder holding path; 0 when path names no folder. */
int tc_mkdirs_parent(const char *path);
/* Writes data to path, creating parent folders. */
int tc_write_file(const char *path, const char *data, size_t len);
/* Opens path for writing ("wb"), creating its parent folders; NULL and
 * errno set on failure. */
FILE *tc_create_file(const char *path);
/* rm -rf; a missing path is not an error. */
int tc_rmtree(const char *path);

#endif
