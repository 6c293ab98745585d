/*
 * store_rollup.c - the store's rollup deltas: the counts that batches add
 * to (and, for replaced documents, take from) the tables rollup_actor and
 * rollup_dyad, aggregated in memory so that each rollup row is written once
 * per application. store.c sums every queued event into its batch's delta
 * (on the caller's thread), which the backends merge (store_rollup_merge)
 * when the batch skips no document, else they feed every event they write;
 * they feed every old event of a replaced document through
 * store_rollup_add (-1) and apply the
 * deltas in the transaction of that batch or, holding them, of a later one
 * (store_int.h explains the tables, the common column and the holding).
 *
 * Two open-addressing hash tables, grown at half load; a slot holds the
 * key's index + 1 in its low 32 bits and the high half of the key's hash
 * in its high bits, so a probe compares keys only when the hashes agree
 * (the key arrays are large when deltas are held across batches, and a
 * probe that dereferences them misses the cache). Reset when the deltas
 * are written, freed with the store. Before the
 * deltas are applied, store_rollup_sort puts the keys in primary-key order
 * of their tables, so the backend walks each B-tree once from left to right
 * (its pages stay hot in the cache) instead of jumping around it.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "store_int.h"
#include "util/mem.h"

static uint64_t fnv(uint64_t h, const char *p)
{
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return (h ^ 0xff) * 1099511628211u;
}

int store_rollup_common(const char *s, const char *t)
{
    size_t l = 0;
    while (s[l] && s[l] == t[l])
        l++;
    /* With L <= l, s and t share t[0..L); s is in t's range unless the
     * byte after the prefix is at or above '~' (only possible at L == l,
     * where the two differ). */
    unsigned char c = (unsigned char)s[l];
    if (l == 0)
        return 0;
    return c == 0 || c < '~' ? (int)l : (int)l - 1;
}

static casus_status grow_slots(casus_ctx *ctx, uint64_t **slot, size_t *cap,
                               size_t n)
{
    if (n * 2 < *cap)
        return CASUS_OK;
    size_t c = *cap ? *cap * 2 : 1024;
    uint64_t *t = mem_alloc(ctx, c * sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, c * sizeof *t);
    mem_free(ctx, *slot);
    *slot = t;
    *cap = c;
    return CASUS_OK;
}

static uint64_t akey_hash(const rollup_akey *k)
{
    uint64_t h = fnv(1469598103934665603u, k->actor);
    h = fnv(h, k->month);
    return (h ^ (uint64_t)(k->side | k->quad << 8 | k->common << 16)) *
           1099511628211u;
}

static uint64_t dkey_hash(const rollup_dkey *k)
{
    return fnv(fnv(fnv(1469598103934665603u, k->month), k->source),
               k->target);
}

static int akey_eq(const rollup_akey *a, const rollup_akey *b)
{
    return a->side == b->side && a->quad == b->quad &&
           a->common == b->common && !strcmp(a->month, b->month) &&
           !strcmp(a->actor, b->actor);
}

static int dkey_eq(const rollup_dkey *a, const rollup_dkey *b)
{
    return !strcmp(a->month, b->month) && !strcmp(a->source, b->source) &&
           !strcmp(a->target, b->target);
}

/* A slot: index + 1 below, the hash's high half above (see the top). */
static uint64_t slot_of(uint64_t h, size_t i)
{
    return (h & 0xffffffff00000000u) | (uint64_t)(i + 1);
}

static size_t slot_index(uint64_t v)
{
    return (size_t)(v & 0xffffffffu) - 1;
}

static int slot_hash_is(uint64_t v, uint64_t h)
{
    return v >> 32 == h >> 32;
}

static casus_status rehash_a(store_rollup *r)
{
    size_t old = r->cap_a_slot;
    if (grow_slots(r->ctx, &r->a_slot, &r->cap_a_slot, r->n_a + 1) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    if (old == r->cap_a_slot)
        return CASUS_OK;
    size_t mask = r->cap_a_slot - 1;
    for (size_t i = 0; i < r->n_a; i++) {
        uint64_t h = akey_hash(&r->a[i]);
        size_t j = h & mask;
        while (r->a_slot[j])
            j = (j + 1) & mask;
        r->a_slot[j] = slot_of(h, i);
    }
    return CASUS_OK;
}

static casus_status rehash_d(store_rollup *r)
{
    size_t old = r->cap_d_slot;
    if (grow_slots(r->ctx, &r->d_slot, &r->cap_d_slot, r->n_d + 1) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    if (old == r->cap_d_slot)
        return CASUS_OK;
    size_t mask = r->cap_d_slot - 1;
    for (size_t i = 0; i < r->n_d; i++) {
        uint64_t h = dkey_hash(&r->d[i]);
        size_t j = h & mask;
        while (r->d_slot[j])
            j = (j + 1) & mask;
        r->d_slot[j] = slot_of(h, i);
    }
    return CASUS_OK;
}

/* The entry of key k, added with no counts when new; NULL: no memory. */
static rollup_akey *find_a(store_rollup *r, const rollup_akey *k)
{
    if (rehash_a(r) != CASUS_OK)
        return NULL;
    uint64_t h = akey_hash(k);
    size_t mask = r->cap_a_slot - 1, j = h & mask;
    while (r->a_slot[j] && !(slot_hash_is(r->a_slot[j], h) &&
                             akey_eq(&r->a[slot_index(r->a_slot[j])], k)))
        j = (j + 1) & mask;
    if (!r->a_slot[j]) {
        if (mem_grow(r->ctx, (void **)&r->a, &r->cap_a, r->n_a + 1,
                     sizeof *r->a) != CASUS_OK)
            return NULL;
        rollup_akey *e = &r->a[r->n_a];
        *e = *k;
        e->n = 0;
        e->removed = 0;
        r->a_slot[j] = slot_of(h, r->n_a++);
    }
    return &r->a[slot_index(r->a_slot[j])];
}

static casus_status add_a(store_rollup *r, const rollup_akey *k, int sign)
{
    rollup_akey *e = find_a(r, k);
    if (!e)
        return CASUS_ENOMEM;
    e->n += sign;
    if (sign < 0)
        e->removed = 1;
    return CASUS_OK;
}

/* The entry of key k (month, source, target), added with no counts or
 * dates when new; NULL: no memory. */
static rollup_dkey *find_d(store_rollup *r, const rollup_dkey *k)
{
    if (rehash_d(r) != CASUS_OK)
        return NULL;
    uint64_t h = dkey_hash(k);
    size_t mask = r->cap_d_slot - 1, j = h & mask;
    while (r->d_slot[j] && !(slot_hash_is(r->d_slot[j], h) &&
                             dkey_eq(&r->d[slot_index(r->d_slot[j])], k)))
        j = (j + 1) & mask;
    if (!r->d_slot[j]) {
        if (mem_grow(r->ctx, (void **)&r->d, &r->cap_d, r->n_d + 1,
                     sizeof *r->d) != CASUS_OK)
            return NULL;
        rollup_dkey *e = &r->d[r->n_d];
        memset(e, 0, sizeof *e);
        memcpy(e->month, k->month, sizeof e->month);
        memcpy(e->source, k->source, sizeof e->source);
        memcpy(e->target, k->target, sizeof e->target);
        r->d_slot[j] = slot_of(h, r->n_d++);
    }
    return &r->d[slot_index(r->d_slot[j])];
}

static casus_status add_d(store_rollup *r, const rollup_dkey *k, int sign,
                          const char *date, int conflict, double goldstein)
{
    rollup_dkey *e = find_d(r, k);
    if (!e)
        return CASUS_ENOMEM;
    e->n += sign;
    e->conflict += sign * conflict;
    e->goldstein += sign * goldstein;
    if (sign < 0) {
        e->removed = 1;
        if (!e->rfirst[0] || strcmp(date, e->rfirst) < 0)
            memcpy(e->rfirst, date, sizeof e->rfirst);
        if (!e->rlast[0] || strcmp(date, e->rlast) > 0)
            memcpy(e->rlast, date, sizeof e->rlast);
    } else {
        if (!e->first[0] || strcmp(date, e->first) < 0)
            memcpy(e->first, date, sizeof e->first);
        if (!e->last[0] || strcmp(date, e->last) > 0)
            memcpy(e->last, date, sizeof e->last);
    }
    return CASUS_OK;
}

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

casus_status store_rollup_add(store_rollup *r, const char *date,
                              const char *source, const char *target,
                              int quad_class, double goldstein, int sign)
{
    if (!date || !*date)
        return CASUS_OK;
    assert(!r->sorted);
    char d[11];
    copy(d, sizeof d, date);
    rollup_akey a;
    memset(&a, 0, sizeof a);
    copy(a.month, 8, d);
    copy(a.actor, sizeof a.actor, source ? source : "");
    a.quad = (uint8_t)quad_class;
    if (add_a(r, &a, sign) != CASUS_OK)
        return CASUS_ENOMEM;
    if (!target)
        return CASUS_OK;
    a.side = 1;
    copy(a.actor, sizeof a.actor, target);
    a.common = (uint8_t)store_rollup_common(source ? source : "", target);
    if (add_a(r, &a, sign) != CASUS_OK)
        return CASUS_ENOMEM;
    rollup_dkey k;
    memset(&k, 0, sizeof k);
    copy(k.month, 8, d);
    copy(k.source, sizeof k.source, source ? source : "");
    copy(k.target, sizeof k.target, target);
    int conflict = quad_class >= 3;
    if (add_d(r, &k, sign, d, conflict, goldstein) != CASUS_OK)
        return CASUS_ENOMEM;
    memcpy(k.month, "*", 2);
    return add_d(r, &k, sign, d, conflict, goldstein);
}

/* min / max of two dates where "" is none. */
static void date_min(char *dst, const char *src)
{
    if (src[0] && (!dst[0] || strcmp(src, dst) < 0))
        memcpy(dst, src, 11);
}

static void date_max(char *dst, const char *src)
{
    if (src[0] && (!dst[0] || strcmp(src, dst) > 0))
        memcpy(dst, src, 11);
}

casus_status store_rollup_merge(store_rollup *r, const store_rollup *from)
{
    assert(!r->sorted);
    for (size_t i = 0; i < from->n_a; i++) {
        rollup_akey *e = find_a(r, &from->a[i]);
        if (!e)
            return CASUS_ENOMEM;
        e->n += from->a[i].n;
        e->removed |= from->a[i].removed;
    }
    for (size_t i = 0; i < from->n_d; i++) {
        const rollup_dkey *k = &from->d[i];
        rollup_dkey *e = find_d(r, k);
        if (!e)
            return CASUS_ENOMEM;
        e->n += k->n;
        e->conflict += k->conflict;
        e->goldstein += k->goldstein;
        e->removed |= k->removed;
        date_min(e->first, k->first);
        date_max(e->last, k->last);
        date_min(e->rfirst, k->rfirst);
        date_max(e->rlast, k->rlast);
    }
    return CASUS_OK;
}

static int akey_cmp(const void *x, const void *y)
{
    const rollup_akey *a = x, *b = y;
    int c;
    if (a->side != b->side)
        return a->side < b->side ? -1 : 1;
    if ((c = strcmp(a->actor, b->actor)) != 0 ||
        (c = strcmp(a->month, b->month)) != 0)
        return c;
    if (a->quad != b->quad)
        return a->quad < b->quad ? -1 : 1;
    return a->common < b->common ? -1 : a->common > b->common;
}

static int dkey_cmp(const void *x, const void *y)
{
    const rollup_dkey *a = x, *b = y;
    int c;
    if ((c = strcmp(a->month, b->month)) != 0 ||
        (c = strcmp(a->source, b->source)) != 0)
        return c;
    return strcmp(a->target, b->target);
}

void store_rollup_sort(store_rollup *r)
{
    if (r->n_a > 1)
        qsort(r->a, r->n_a, sizeof *r->a, akey_cmp);
    if (r->n_d > 1)
        qsort(r->d, r->n_d, sizeof *r->d, dkey_cmp);
    /* The slots point at the old positions: nothing may be added until
     * the next reset. */
    r->sorted = 1;
}

void store_rollup_reset(store_rollup *r)
{
    r->n_a = r->n_d = 0;
    r->sorted = 0;
    if (r->a_slot)
        memset(r->a_slot, 0, r->cap_a_slot * sizeof *r->a_slot);
    if (r->d_slot)
        memset(r->d_slot, 0, r->cap_d_slot * sizeof *r->d_slot);
}

void store_rollup_free(store_rollup *r)
{
    mem_free(r->ctx, r->a);
    mem_free(r->ctx, r->a_slot);
    mem_free(r->ctx, r->d);
    mem_free(r->ctx, r->d_slot);
    memset(r, 0, sizeof *r);
}
