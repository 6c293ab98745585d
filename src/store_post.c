/*
 * store_post.c - the store's actor postings (schema version 8): per write
 * batch and per (side, actor code), the ids of the batch's events with that
 * code as source (side 0) or target (side 1), written as one row of
 * event_postings instead of one entry per event in two actor indexes.
 *
 * The actor indexes of schema 7 (events_source, events_target) cost each
 * event two inserts in the middle of their B-trees; a posting row costs a
 * batch about two rows per actor code it names, whatever its size. The
 * backends feed every event they insert with its id (store_posts_add),
 * sort the postings in key order and write them with the batch
 * (store_posts_sort), then empty them (store_posts_reset).
 *
 * A posting keeps its ids as text the backend can expand in SQL: a comma
 * list, which the SQLite backend writes as a JSON array (json_each) and
 * the PostgreSQL backend as a bigint[] (unnest); the view event_actor
 * expands both the same way (docs/FORMATS.md). Since schema 9 a posting
 * also carries the forecast's facts of its events ("id,date,root,other;"
 * per event the forecast counts: dated, with another actor, not negated),
 * so a forecast reads no event row. Postings are never updated: an id of a
 * deleted event (a replaced document's) stays; the readers that join the
 * events table drop it there, the forecast by the tombstone the backend
 * writes for it (event_tombstones).
 *
 * One open-addressing table over (side, code), grown at half load; the
 * entries keep their id buffers across batches (the same codes recur).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "store_int.h"
#include "util/hash.h"
#include "util/mem.h"

static uint64_t post_hash(int side, const char *p)
{
    return hash_fnv64(HASH_FNV64_BASIS ^ (uint64_t)side, p);
}

static casus_status grow(store_posts *p)
{
    size_t cap = p->cap_slot ? p->cap_slot * 2 : 1024;
    uint32_t *t = mem_alloc(p->ctx, cap * sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < p->n; i++) {
        size_t k = post_hash(p->v[i].side, p->v[i].code) & (cap - 1);
        while (t[k])
            k = (k + 1) & (cap - 1);
        t[k] = (uint32_t)(i + 1);
    }
    mem_free(p->ctx, p->slot);
    p->slot = t;
    p->cap_slot = cap;
    return CASUS_OK;
}

/* Appends v in decimal. */
static casus_status put_id(casus_ctx *ctx, buf *b, int64_t v, int comma)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = (uint64_t)v;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (comma)
        tmp[sizeof tmp - 1 - n++] = ',';
    return buf_append(ctx, b, tmp + sizeof tmp - n, n);
}

/* Appends the event's forecast fact "id,date,root,other;" (schema 9):
 * only for what the forecast counts, an event with a date and another
 * actor that is not negated (docs/FORMATS.md). */
static casus_status put_fact(casus_ctx *ctx, buf *b, int64_t id,
                             const store_bevent *e, const char *other)
{
    if (e->negated || !e->date[0] || !other || !*other)
        return CASUS_OK;
    char tmp[80];
    size_t nd = strnlen(e->date, sizeof e->date), nr = strnlen(e->root_code,
                                                           sizeof e->root_code);
    size_t no = strnlen(other, 31), n = 0;
    tmp[n++] = ',';
    memcpy(tmp + n, e->date, nd);
    n += nd;
    tmp[n++] = ',';
    memcpy(tmp + n, e->root_code, nr);
    n += nr;
    tmp[n++] = ',';
    memcpy(tmp + n, other, no);
    n += no;
    tmp[n++] = ';';
    casus_status st = put_id(ctx, b, id, 0);
    if (st == CASUS_OK)
        st = buf_append(ctx, b, tmp, n);
    return st;
}

casus_status store_posts_add(store_posts *p, int side, const store_bevent *e,
                             int64_t id)
{
    const char *code = side ? (e->has_target ? e->target_code : NULL)
                            : e->source_code;
    const char *date = e->date;
    if (!code)
        return CASUS_OK;
    if ((p->n + 1) * 2 > p->cap_slot && grow(p) != CASUS_OK)
        return CASUS_ENOMEM;
    size_t k = post_hash(side, code) & (p->cap_slot - 1);
    store_post *c0 = NULL;
    for (; p->slot[k]; k = (k + 1) & (p->cap_slot - 1)) {
        store_post *c = &p->v[p->slot[k] - 1];
        if (c->side == side && !strcmp(c->code, code)) {
            c0 = c;
            break;
        }
    }
    store_post *pe = c0;
    if (!pe) {
        if (p->n == p->cap) {
            size_t cap = p->cap;
            if (mem_grow(p->ctx, (void **)&p->v, &cap, p->n + 1, sizeof *p->v) !=
                CASUS_OK)
                return CASUS_ENOMEM;
            memset(p->v + p->cap, 0, (cap - p->cap) * sizeof *p->v);
            p->cap = cap;
        }
        pe = &p->v[p->n];
        buf ids = pe->ids, facts = pe->facts;   /* kept from an earlier batch */
        buf_reset(&ids);
        buf_reset(&facts);
        memset(pe, 0, sizeof *pe);
        pe->ids = ids;
        pe->facts = facts;
        pe->side = (uint8_t)side;
        size_t n = strlen(code);
        if (n >= sizeof pe->code)
            n = sizeof pe->code - 1;
        memcpy(pe->code, code, n);
        p->slot[k] = (uint32_t)++p->n;
        pe->first_id = id;
    }
    if (put_id(p->ctx, &pe->ids, id, pe->n > 0) != CASUS_OK)
        return CASUS_ENOMEM;
    if (put_fact(p->ctx, &pe->facts, id, e,
                 side ? e->source_code : (e->has_target ? e->target_code : NULL)) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    pe->n++;
    if (id < pe->first_id)
        pe->first_id = id;
    if (id > pe->last_id)
        pe->last_id = id;
    if (date && *date) {
        if (!pe->first_date[0] || strcmp(date, pe->first_date) < 0)
            snprintf(pe->first_date, sizeof pe->first_date, "%s", date);
        if (strcmp(date, pe->last_date) > 0)
            snprintf(pe->last_date, sizeof pe->last_date, "%s", date);
    }
    return CASUS_OK;
}

static int by_key(const void *a, const void *b)
{
    const store_post *x = a, *y = b;
    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    return strcmp(x->code, y->code);
}

void store_posts_sort(store_posts *p)
{
    if (p->n > 1)
        qsort(p->v, p->n, sizeof *p->v, by_key);
    if (p->cap_slot)
        memset(p->slot, 0, p->cap_slot * sizeof *p->slot);
    p->sorted = 1;
}

void store_posts_reset(store_posts *p)
{
    for (size_t i = 0; i < p->n; i++) {
        buf_reset(&p->v[i].ids);
        buf_reset(&p->v[i].facts);
    }
    p->n = 0;
    if (p->cap_slot)
        memset(p->slot, 0, p->cap_slot * sizeof *p->slot);
    p->sorted = 0;
}

void store_posts_free(store_posts *p)
{
    for (size_t i = 0; i < p->cap; i++) {
        buf_free(p->ctx, &p->v[i].ids);
        buf_free(p->ctx, &p->v[i].facts);
    }
    mem_free(p->ctx, p->v);
    mem_free(p->ctx, p->slot);
    memset(p, 0, sizeof *p);
}

/* ---------------------------------------------------------------- compaction */

/* Whether a tombstone of t[0..n) (sorted by id, then below) kills id in
 * the posting posting_id. */
static int tomb_kills(const store_tomb *t, size_t n, int64_t id, int64_t posting)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && t[lo].id == id; lo++)
        if (posting < t[lo].below)
            return 1;
    return 0;
}

/* The decimal number at p[*i..n), skipping what precedes it; 0 at the end. */
static int next_id(const char *p, size_t n, size_t *i, int64_t *out)
{
    while (*i < n && (p[*i] < '0' || p[*i] > '9'))
        (*i)++;
    if (*i == n)
        return 0;
    int64_t v = 0;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9')
        v = v * 10 + (p[(*i)++] - '0');
    *out = v;
    return 1;
}

casus_status store_post_compact(casus_ctx *ctx, const store_tomb *t, size_t n_t,
                                int64_t posting, const char *ids, size_t n_ids,
                                const char *facts, size_t n_facts, const char brackets[2],
                                store_post_left *out)
{
    casus_status st = buf_putc(ctx, &out->ids, brackets[0]);
    size_t i = 0;
    int64_t id;
    out->n = out->dropped = 0;
    out->first_id = out->last_id = 0;
    while (st == CASUS_OK && next_id(ids, n_ids, &i, &id)) {
        if (tomb_kills(t, n_t, id, posting)) {
            out->dropped++;
            continue;
        }
        st = put_id(ctx, &out->ids, id, out->n > 0);
        if (!out->n || id < out->first_id)
            out->first_id = id;
        if (!out->n || id > out->last_id)
            out->last_id = id;
        out->n++;
    }
    if (st == CASUS_OK)
        st = buf_putc(ctx, &out->ids, brackets[1]);
    /* facts: "id,date,root,other;" each */
    for (size_t k = 0; st == CASUS_OK && k < n_facts;) {
        const char *e = memchr(facts + k, ';', n_facts - k);
        size_t end = e ? (size_t)(e - facts) + 1 : n_facts, j = k;
        if (!next_id(facts, end, &j, &id) || !tomb_kills(t, n_t, id, posting))
            st = buf_append(ctx, &out->facts, facts + k, end - k);
        k = end;
    }
    return st;
}
