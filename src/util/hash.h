/*
 * hash.h - FNV-1a string hashes for the hash tables of the stages (store
 * batches, actor postings, forecast pairs, the dictionaries' vocabulary)
 * and of the gazetteer's key index (where_int.h, gz_hash), which
 * gazetteer.bin stores: the values must never change. Each comes for a
 * NUL-terminated string and for n bytes (the _n forms, for keys that are
 * slices of a longer text).
 */
#ifndef CASUS_HASH_H
#define CASUS_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV64_BASIS 1469598103934665603u
#define HASH_FNV32_BASIS 2166136261u

/* 64-bit FNV-1a of the NUL-terminated s, started from h (the basis, or
 * the basis mixed with a discriminator). */
static inline uint64_t hash_fnv64(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* 64-bit FNV-1a of the n bytes at s, started from h. */
static inline uint64_t hash_fnv64_n(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* 32-bit FNV-1a of the NUL-terminated s. */
static inline uint32_t hash_fnv32(const char *s)
{
    uint32_t h = HASH_FNV32_BASIS;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* 32-bit FNV-1a of the n bytes at s, started from h (HASH_FNV32_BASIS, or
 * the hash of the bytes before them: a prefix's hash extends byte by
 * byte). */
static inline uint32_t hash_fnv32_n(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

#endif
