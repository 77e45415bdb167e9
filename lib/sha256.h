/* sha256.h: SHA-256 (FIPS 180-4), for the digest printed on the DPA annex
 * so a signed copy can be matched to the exact api/tom.json it shows. */
#ifndef TC_SHA256_H
#define TC_SHA256_H

#include <stddef.h>

/* Writes the digest of data as 64 lower-case hex digits and a NUL. */
void tc_sha256_hex(const void *data, size_t len, char out[65]);

#endif
