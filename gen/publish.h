/* publish.h: build beside the output, swap in only what succeeded.
 *
 * tc_publish_begin makes an empty staging folder next to out (same file
 * system, so the swap is a rename). tc_publish_commit exchanges it with out
 * atomically (renameat2 RENAME_EXCHANGE), so readers see the old site or
 * the new one, never a mix, then removes the old one. tc_publish_abort
 * removes the staging folder and leaves out exactly as it was. */
#ifndef TC_PUBLISH_H
#define TC_PUBLISH_H

/* Returns the staging path (caller frees), or NULL with errno set. */
char *tc_publish_begin(const char *out);
int tc_publish_commit(const char *staging, const char *out);
void tc_publish_abort(const char *staging);

#endif
