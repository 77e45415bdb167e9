/* publish.h: build beside the output, swap in only what succeeded.
 *
 * tc_publish_begin locks the output against other runs (flock on the file
 * "<out>.lock" beside it, kept), removes the staging folders that killed
 * runs left ("<out>.tmp-XXXXXX": while we hold the lock no live run owns
 * one), and makes an empty staging folder next to out (same file system,
 * so the swap is a rename). tc_publish_commit exchanges it with out
 * atomically (renameat2 RENAME_EXCHANGE), so readers see the old site or
 * the new one, never a mix, then removes the old one. tc_publish_end
 * removes whatever staging is left, releases the lock and frees: without
 * a commit, out is exactly as it was. */
#ifndef TC_PUBLISH_H
#define TC_PUBLISH_H

typedef struct tc_publish tc_publish;

/* NULL with errno set; EWOULDBLOCK when another run holds the lock. */
tc_publish *tc_publish_begin(const char *out);
/* The staging folder to build into (owned by p). */
const char *tc_publish_staging(const tc_publish *p);
int tc_publish_commit(tc_publish *p);
void tc_publish_end(tc_publish *p);

#endif
