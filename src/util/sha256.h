/*
 * sha256.h - SHA-256 (FIPS 180-4), for the store's content hashes.
 *
 * The store decides whether a document changed by comparing hashes of what
 * it would write with what it wrote before; a cryptographic hash makes an
 * accidental match (a changed document skipped) practically impossible.
 */
#ifndef CASUS_SHA256_H
#define CASUS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
    uint32_t h[8];
    uint64_t len;          /* bytes hashed so far */
    unsigned char blk[64];
    size_t nblk;           /* bytes waiting in blk */
} sha256;

void sha256_init(sha256 *c);
void sha256_update(sha256 *c, const void *p, size_t n);
/* Writes the digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(sha256 *c, char out[65]);

#endif
