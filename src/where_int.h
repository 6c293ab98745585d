/*
 * where_int.h - the gazetteer's on-disk tables, shared by where.c (which
 * maps them) and tools/gen_gazetteer.c (which writes them). Integers are
 * little-endian, as in every model.h container; sections are 8-byte
 * aligned, so the records are read in place.
 *
 * Sections of a "gazetteer" container (docs/FORMATS.md):
 *   places     gz_place[]    countries, subdivisions, second-level divisions,
 *                            cities
 *   countries  gz_country[]  ISO 3166-1 codes; gz_place.country indexes it
 *   entries    gz_entry[]    one per folded name (the key)
 *   slots      u32[]         open-addressing hash table, a power of two long:
 *                            entry index + 1, 0 for an empty slot
 *   postings   u32[]         place index | how << 28, best first
 *   strings    char[]        NUL-terminated names and keys
 */
#ifndef CASUS_WHERE_INT_H
#define CASUS_WHERE_INT_H

#include <stdint.h>

#include "util/hash.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the gazetteer is read in place and is little-endian"
#endif

/* Bump when a table or the key folding changes (the container's version
 * string is "gz-<n>"). */
#define GZ_VERSION "gz-3"

#define GZ_NONE 0xFFFFFFFFu

enum gz_kind {
    GZ_COUNTRY = 1,
    GZ_ADMIN1 = 2,
    GZ_CITY = 3,
    GZ_ADMIN2 = 4   /* a second-level division (GeoNames admin2): its admin1
                     * is the first-level one that holds it */
};

/* gz_place.flags */
#define GZ_CAPITAL 0x1u   /* a national capital (GeoNames PPLC) */
#define GZ_SEAT 0x2u      /* seat of a first-level division (PPLA) */

typedef struct gz_place {
    int32_t lat_e5, lon_e5;   /* degrees * 1e5 */
    uint32_t pop;             /* population (sum of cities for areas) */
    uint32_t name;            /* offset of the display name in strings */
    uint32_t admin1;          /* place index of the subdivision, GZ_NONE */
    uint16_t country;         /* index in countries */
    uint8_t kind;             /* gz_kind */
    uint8_t flags;
} gz_place;

typedef struct gz_country {
    char a3[4];               /* "IRN" and a NUL */
    char a2[4];               /* "IR" */
    uint32_t place;           /* its place index */
} gz_country;

/* gz_entry.flags */
#define GZE_PREFIX 0x1u   /* some longer key starts with this key + ' ' */
#define GZE_WEAK 0x2u     /* also a common English word: needs evidence */

typedef struct gz_entry {
    uint32_t key;             /* offset of the folded key in strings */
    uint32_t post;            /* first posting */
    uint32_t npost;           /* 0 for a pure prefix */
    uint16_t key_len;
    uint16_t flags;
} gz_entry;

/* How a name reaches a place (a posting's top 4 bits). */
enum gz_how {
    GZH_NAME = 0,      /* the place's own name (GeoNames, ISO) */
    GZH_ALT = 1,       /* a GeoNames alternate name */
    GZH_ALIAS = 2,     /* data/gazetteer/aliases.tsv */
    GZH_DEMONYM = 3,   /* a nationality word; the place is a country */
    GZH_DISTRICT = 4,  /* a second-level division's name (GeoNames admin2);
                        * the place is that division (GZ_ADMIN2) */
    GZH_GROUP = 5,     /* an armed group of one country ("Taliban"): country
                        * context only; the place is a country */
    GZH_LOOSE = 6      /* the loose key of a name (where_loose: "~m*hm*d*" for
                        * Mahmudiyah and Mahmoudiyah), for places of
                        * countries whose names English transliterates from
                        * Arabic script; read only where no name matches */
};
#define GZ_POST_PLACE(p) ((p) & 0x0FFFFFFFu)
#define GZ_POST_HOW(p) ((p) >> 28)

/* FNV-1a over the key bytes; the slot is hash & (n_slots - 1). */
static inline uint32_t gz_hash(const char *s, size_t n)
{
    return hash_fnv32_n(HASH_FNV32_BASIS, s, n);
}

#endif
