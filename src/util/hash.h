/*
 * hash.h - FNV-1a string hashes for the in-memory tables of the stages
 * (store batches, actor postings, forecast pairs). Not for anything
 * stored: the values only place keys in a process's own hash tables.
 */
#ifndef CASUS_HASH_H
#define CASUS_HASH_H

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

/* 32-bit FNV-1a of the NUL-terminated s. */
static inline uint32_t hash_fnv32(const char *s)
{
    uint32_t h = HASH_FNV32_BASIS;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
