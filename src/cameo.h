/*
 * cameo.h - the CAMEO event code table: names, Goldstein scores, QuadClass,
 * PentaClass and the CAMEO -> PLOVER mapping (type, mode, context).
 *
 * The table is generated (tools/gen_cameo.c -> src/cameo_table.h, `make
 * gen-cameo`) from CAMEO.09b5.options (names), CAMEO2PLOVER-2021.txt (PLOVER)
 * and data/cameo/goldstein.txt (scores), and is const: threads share it.
 */
#ifndef CASUS_CAMEO_H
#define CASUS_CAMEO_H

#include <stddef.h>

#include "casus.h"

typedef struct cameo_entry {
    const char *code;        /* "190", "0231", roots "01".."20" */
    const char *name;
    double goldstein;
    const char *plover_type; /* "" when the mapping has none (roots 01, 02) */
    const char *plover_mode;
    const char *plover_context;
} cameo_entry;

/* The entry for code s[0..n) exactly, or NULL. */
const cameo_entry *cameo_find(const char *s, size_t n);
/* The entry for s[0..n) or, failing that, for its nearest listed ancestor
 * ("1834" -> "183"); NULL when the root is not a CAMEO root. */
const cameo_entry *cameo_find_or_parent(const char *s, size_t n);
/* 1..20 for a code of root 01..20, else 0. */
int cameo_root(const char *s, size_t n);
/* True when s[0..n) names a CAMEO event code or "---" (the null code), or a
 * PETRARCH pair "A:B" / ":B" / "A:" of such codes. */
int cameo_code_valid(const char *s, size_t n);
/* Number of entries and entry i (for listings and tests). */
size_t cameo_count(void);
const cameo_entry *cameo_at(size_t i);

#endif
