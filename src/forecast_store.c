/*
 * forecast_store.c - analyst forecasts from the event store: whom will an
 * actor act violently against within H days, how, and on what precedent.
 *
 * Part of the forecasting stage, a reader of the store (store.h cursors,
 * like query.c). casus_store_forecast() reads the actor's events of the
 * FCAL_LOOKBACK days before the forecast moment from the actor postings of
 * store schema 9, per code of the actor
 *   side 0 postings (source code = code, dates can meet the range)  X -> Y
 *   side 1 postings (target code = code, dates can meet the range)  Y -> X
 * taking each posting's facts (event id, date, root, the other actor),
 * less those of deleted events (event_tombstones), in event id order,
 * and summarises them per partner Y in the fcal_pair that forecast_calib.c
 * defines; the calibrated model shipped in src/forecast_calib_model.h
 * (fitted on ICEWS14, relations folded to CAMEO roots) turns each pair into
 * P(X acts violently against Y within H days). Targets are ranked by it;
 * the probability is split over CAMEO roots 17-20 by the mix of the pair's
 * past violent acts, smoothed toward the actor's own mix; precedents are the
 * pair's most recent events (violent ones first), each with its CAMEO code
 * and document id (one primary-key lookup of the event each, for the listed
 * targets only). The cost is proportional to the actor's events in the
 * lookback (and the write batches whose postings can hold them), not to
 * the store, and no event row is read but the precedents'
 * (docs/FORECAST.md, "Speed").
 *
 * Actor groups: a country code (three capital letters, "IRN") stands for
 * the state, the country's own code plus its state agents, the codes that
 * continue it with a state role (STATE_ROLES: IRNGOV, IRNMIL, IRNMILIRG,
 * IRNCOP, ...): the codes of the store's actors table under each role
 * (actor_codes), each read by equality like a single code. Rebels, insurgents, the
 * opposition, civilians and media (IRNREB, IRNCVL, ...) are not the state.
 * Partners fold the same way (an attack on IRNMIL is one on IRN), and the
 * state's acts on itself (IRNGOV -> IRNCOP) are left out. opt->exact, or
 * any other code ("IRNMIL"), reads that code alone, as it is.
 *
 * Negated events ("did not attack") are left out. Events without a target
 * or a parsable date are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cameo.h"
#include "ctx.h"
#include "forecast_calib.h"
#include "store.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/mem.h"

#define MAX_PREC 20

typedef struct prec {
    char source[32], target[32];   /* as coded, before grouping */
    long long event_id;
    long day;
    char cameo[8];        /* set by load_precs */
    size_t doc_at;        /* doc_id at fstate.docs + doc_at; 0: none */
    int reverse;   /* Y -> X */
    int violent;
} prec;

typedef struct tpair {
    char code[32];
    fcal_pair p;
    double roots[4];      /* X's violent acts on Y by root 17..20 */
    prec prec[MAX_PREC];
    unsigned n_prec;
    double prob;
} tpair;

/* A fact of an actor posting (schema 9): its event id, the posting's id
 * and where its fields start in fstate.text (date, root, other, each
 * NUL-terminated in place). */
typedef struct fact {
    int64_t id, posting;
    size_t at;
} fact;

/* A tombstone: event id is dead in the postings below below_posting. */
typedef struct tomb {
    int64_t id, below;
} tomb;

typedef struct fstate {
    casus_ctx *ctx;
    buf text;             /* the facts of the postings read, as fetched */
    fact *facts;
    size_t n_facts, cap_facts;
    buf docs;             /* the precedents' doc ids, after a NUL */
    tomb *tombs;          /* by id, then below */
    size_t n_tombs, cap_tombs;
    tpair *pairs;
    size_t n, cap;
    uint32_t *tab;        /* open addressing: index + 1, 0 empty */
    size_t tab_cap;
    unsigned max_prec;
    double xroots[4];     /* the actor's violent acts by root */
    double xv30;
    size_t rows;
} fstate;

static casus_status rehash(fstate *f)
{
    size_t cap = f->tab_cap ? f->tab_cap * 2 : 64;
    uint32_t *t = mem_alloc(f->ctx, cap * sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < f->n; i++) {
        size_t k = hash_fnv32(f->pairs[i].code) & (cap - 1);
        while (t[k])
            k = (k + 1) & (cap - 1);
        t[k] = (uint32_t)(i + 1);
    }
    mem_free(f->ctx, f->tab);
    f->tab = t;
    f->tab_cap = cap;
    return CASUS_OK;
}

/* The pair of partner code, added when new; NULL when out of memory. */
static tpair *pair_of(fstate *f, const char *code)
{
    if (f->tab_cap) {
        size_t k = hash_fnv32(code) & (f->tab_cap - 1);
        for (; f->tab[k]; k = (k + 1) & (f->tab_cap - 1))
            if (!strcmp(f->pairs[f->tab[k] - 1].code, code))
                return &f->pairs[f->tab[k] - 1];
    }
    if ((f->n + 1) * 2 > f->tab_cap && rehash(f) != CASUS_OK)
        return NULL;
    if (mem_grow(f->ctx, (void **)&f->pairs, &f->cap, f->n + 1,
                 sizeof *f->pairs) != CASUS_OK)
        return NULL;
    tpair *p = &f->pairs[f->n];
    memset(p, 0, sizeof *p);
    snprintf(p->code, sizeof p->code, "%s", code);
    fcal_pair_init(&p->p);
    size_t k = hash_fnv32(code) & (f->tab_cap - 1);
    while (f->tab[k])
        k = (k + 1) & (f->tab_cap - 1);
    f->tab[k] = (uint32_t)++f->n;
    return p;
}

/* Whether a ranks before b as a precedent: violent first, then recent. */
static int prec_before(const prec *a, const prec *b)
{
    if (a->violent != b->violent)
        return a->violent > b->violent;
    if (a->day != b->day)
        return a->day > b->day;
    return a->event_id > b->event_id;
}

static void keep_prec(fstate *f, tpair *p, const prec *x)
{
    unsigned n = p->n_prec;
    if (n == f->max_prec && !prec_before(x, &p->prec[n - 1]))
        return;
    unsigned i = n < f->max_prec ? n++ : n - 1;
    while (i > 0 && prec_before(x, &p->prec[i - 1])) {
        p->prec[i] = p->prec[i - 1];
        i--;
    }
    p->prec[i] = *x;
    p->n_prec = n;
}

/* CAMEO roles of a state's agents: government, military, police,
 * intelligence, judiciary, legislature. */
static const char state_roles[][4] = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"};
#define N_ROLES (sizeof state_roles / sizeof state_roles[0])

static int is_country(const char *c)
{
    return strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
           c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z';
}

/* The country whose state agent code is ("IRNMILIRG" -> "IRN"), written to
 * out[4]; 0 when code is no state agent. */
static int state_of(const char *code, char out[4])
{
    if (strlen(code) < 6)
        return 0;
    char c[4] = {code[0], code[1], code[2], 0};
    if (!is_country(c))
        return 0;
    for (size_t i = 0; i < N_ROLES; i++)
        if (!memcmp(code + 3, state_roles[i], 3)) {
            memcpy(out, c, 4);
            return 1;
        }
    return 0;
}

/* Whether code belongs to the actor: the code itself, or when grouped one
 * of its state agents. */
static int in_actor(const char *code, const char *actor, int grouped)
{
    char c[4];
    if (!strcmp(code, actor))
        return 1;
    return grouped && state_of(code, c) && !strcmp(c, actor);
}

/* The actor's codes: the actor, then, for a state, its state agents that
 * the store knows (the actors table holds every code an event names), one
 * lookup per role: code >= "IRNMIL" and <= "IRNMILZZ..." (codes are
 * capitals and digits, so 'Z' bounds them in any collation that sorts
 * digits before letters; each code is checked again here). Each code is
 * then read by equality on the code (its actor postings): a range on the
 * code beside a range on the date would let the planner pick the date
 * index and read a year of the whole store. */
typedef struct acodes {
    char (*v)[32];
    size_t n, cap;
} acodes;

static casus_status push_code(casus_ctx *ctx, acodes *a, const char *code)
{
    if (mem_grow(ctx, (void **)&a->v, &a->cap, a->n + 1, sizeof *a->v) != CASUS_OK)
        return CASUS_ENOMEM;
    snprintf(a->v[a->n++], sizeof a->v[0], "%s", code);
    return CASUS_OK;
}

static casus_status actor_codes(casus_store *s, const char *actor, int grouped,
                                acodes *a)
{
    casus_ctx *ctx = store_ctx(s);
    casus_status st = push_code(ctx, a, actor);
    for (size_t i = 0; grouped && i < N_ROLES && st == CASUS_OK; i++) {
        char lo[8], hi[40];
        snprintf(lo, sizeof lo, "%.3s%.3s", actor, state_roles[i]);
        snprintf(hi, sizeof hi, "%.3s%.3sZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", actor,
                 state_roles[i]);
        const char *params[2] = {lo, hi};
        store_cursor *c = NULL;
        st = store_cursor_open(s, "SELECT code FROM actors WHERE code >= $1 AND "
                                  "code <= $2", params, 2, &c);
        while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
            size_t n;
            const char *code = store_cursor_text(c, 0, &n);
            if (code && n < 32 && in_actor(code, actor, 1) && strcmp(code, actor))
                st = push_code(ctx, a, code);
        }
        if (st == CASUS_DONE)
            st = CASUS_OK;
        store_cursor_close(c);
    }
    return st;
}

static long long to_ll(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

/* The day number of an ISO date "YYYY-MM-DD...": the common case read
 * directly (this runs once per row), anything else by casus_date_parse. */
static int day_of_text(const char *s, long *day)
{
    casus_date d;
    int fast = 1;
    for (int i = 0; i < 10 && fast; i++)
        fast = i == 4 || i == 7 ? s[i] == '-' : s[i] >= '0' && s[i] <= '9';
    if (fast) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
                (s[3] - '0');
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        int dd = (s[8] - '0') * 10 + (s[9] - '0');
        if (date_valid(y, m, dd)) {
            *day = date_to_days(y, m, dd);
            return 0;
        }
    }
    if (casus_date_parse(s, strlen(s), &d) != CASUS_OK)
        return -1;
    *day = date_days(d);
    return 0;
}

/* Whether an event (violent, day) of pair p could still be one of its
 * precedents: 0 only when the list is full and its last one ranks before
 * it whatever its event id (keep_prec decides the rest). Most rows of a
 * heavy actor fail this, so they are never copied. */
static int may_keep(const fstate *f, const tpair *p, int violent, long day)
{
    if (p->n_prec < f->max_prec)
        return 1;
    const prec *last = &p->prec[p->n_prec - 1];
    if (last->violent != violent)
        return violent > last->violent;
    return day >= last->day;
}

static int by_fact(const void *a, const void *b)
{
    const fact *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->posting < y->posting ? -1 : x->posting > y->posting;
}

/* Whether a tombstone kills event id in posting (one of an earlier
 * posting than the deletion). */
static int is_dead(const fstate *f, int64_t id, int64_t posting)
{
    size_t lo = 0, hi = f->n_tombs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->tombs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < f->n_tombs && f->tombs[lo].id == id; lo++)
        if (posting < f->tombs[lo].below)
            return 1;
    return 0;
}

/* The deleted events' tombstones, sorted (usually none). */
static casus_status load_tombs(casus_store *s, fstate *f)
{
    store_cursor *c = NULL;
    casus_status st = store_cursor_open(
        s, "SELECT event_id, below_posting FROM event_tombstones ORDER BY "
           "event_id, below_posting", NULL, 0, &c);
    while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
        size_t n;
        if (mem_grow(f->ctx, (void **)&f->tombs, &f->cap_tombs, f->n_tombs + 1,
                     sizeof *f->tombs) != CASUS_OK) {
            st = CASUS_ENOMEM;
            break;
        }
        tomb *t = &f->tombs[f->n_tombs++];
        t->id = to_ll(store_cursor_text(c, 0, &n));
        t->below = to_ll(store_cursor_text(c, 1, &n));
    }
    store_cursor_close(c);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* Fetches the facts of the code's postings on a side that can hold dates
 * of [from, to), in posting order, into f->text and f->facts, sorted by
 * event id (then posting), which they usually already are. */
static casus_status fetch_facts(casus_store *s, fstate *f, int side,
                                const char *code, const char *from,
                                const char *to)
{
    const char *params[4] = {side ? "1" : "0", code, from, to};
    store_cursor *c = NULL;
    int sorted = 1;
    buf_reset(&f->text);
    f->n_facts = 0;
    casus_status st = store_cursor_open(
        s, "SELECT posting_id, facts FROM event_postings WHERE side = "
           "CAST($1 AS INTEGER) AND code = $2 AND last_date >= $3 AND "
           "first_date < $4 ORDER BY posting_id", params, 4, &c);
    while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
        size_t n;
        int64_t posting = to_ll(store_cursor_text(c, 0, &n));
        const char *t = store_cursor_text(c, 1, &n);
        size_t at = f->text.n;
        if (!t || !n)
            continue;
        if (buf_append(f->ctx, &f->text, t, n) != CASUS_OK) {
            st = CASUS_ENOMEM;
            break;
        }
        char *p = f->text.p + at, *end = f->text.p + f->text.n;
        while (p < end) {
            /* "id,date,root,other;" */
            char *rec = p;
            int64_t id = strtoll(rec, &p, 10);
            char *fields = p + 1;
            int commas = 0;
            for (p = fields; p < end && *p != ';'; p++)
                if (*p == ',') {
                    *p = '\0';
                    commas++;
                }
            if (p < end)
                *p++ = '\0';
            if (commas != 2)
                continue;   /* not written by casus: skip it */
            if (mem_grow(f->ctx, (void **)&f->facts, &f->cap_facts,
                         f->n_facts + 1, sizeof *f->facts) != CASUS_OK) {
                st = CASUS_ENOMEM;
                break;
            }
            if (f->n_facts && id <= f->facts[f->n_facts - 1].id)
                sorted = 0;
            fact *x = &f->facts[f->n_facts++];
            x->id = id;
            x->posting = posting;
            x->at = (size_t)(fields - f->text.p);
        }
    }
    store_cursor_close(c);
    if (st == CASUS_DONE)
        st = CASUS_OK;
    if (st == CASUS_OK && !sorted)
        qsort(f->facts, f->n_facts, sizeof *f->facts, by_fact);
    return st;
}

/* Reads one direction of one of the actor's codes from its postings'
 * facts (schema 9), by event id: the order both backends read them in, so
 * their sums agree to the last bit. The actor's side of each is code
 * itself. This runs once per event read, most of the forecast's cost; no
 * event row is read (a precedent's cameo and document come later, for
 * the listed targets only). */
static casus_status read_side(casus_store *s, fstate *f, const char *actor,
                              int grouped, const char *code, const char *from,
                              const char *to, long as_of, int reverse)
{
    if (!in_actor(code, actor, grouped))
        return CASUS_OK;
    casus_status st = fetch_facts(s, f, reverse, code, from, to);
    char last_ds[11] = "";
    long last_dd = 0;
    int64_t last_id = 0;
    int any = 0;
    for (size_t i = 0; i < f->n_facts && st == CASUS_OK; i++) {
        const fact *fx = &f->facts[i];
        if (f->n_tombs && is_dead(f, fx->id, fx->posting))
            continue;
        if (any && fx->id == last_id)
            continue;   /* a reused id that the migration put twice */
        any = 1;
        last_id = fx->id;
        const char *ds = f->text.p + fx->at;
        size_t nd = strlen(ds);
        const char *rs = ds + nd + 1;
        const char *other = rs + strlen(rs) + 1;
        long day;
        char gb[4];
        if (strcmp(ds, from) < 0 || strcmp(ds, to) >= 0 || !*other)
            continue;
        int agent = grouped && state_of(other, gb);
        if (!strcmp(other, actor) || (agent && !strcmp(gb, actor)))
            continue;   /* the actor's own act on itself */
        /* Facts come in event order: most share the date before them. */
        if (nd == 10 && !memcmp(ds, last_ds, 10)) {
            day = last_dd;
        } else {
            if (day_of_text(ds, &day) != 0)
                continue;
            if (nd == 10) {
                memcpy(last_ds, ds, 11);
                last_dd = day;
            }
        }
        double gap = (double)(as_of - day);
        if (gap < 1 || gap > FCAL_LOOKBACK)
            continue;
        int root = atoi(rs);
        if (root < 0 || root > 20)
            root = 0;
        tpair *p = pair_of(f, agent ? gb : other);
        if (!p) {
            st = CASUS_ENOMEM;
            break;
        }
        f->rows++;
        int violent = fcal_violent_root(root);
        fcal_pair_add(&p->p, reverse ? (root ? 20 + root : 0) : root, gap,
                      fcal_shipped_conf());
        if (violent && !reverse) {
            p->roots[root - 17] += 1;
            f->xroots[root - 17] += 1;
            f->xv30 += gap <= 30;
        }
        if (!may_keep(f, p, violent, day))
            continue;
        prec x;
        memset(&x, 0, sizeof x);
        x.event_id = fx->id;
        x.day = day;
        x.reverse = reverse;
        x.violent = violent;
        snprintf(x.source, sizeof x.source, "%s", reverse ? other : code);
        snprintf(x.target, sizeof x.target, "%s", reverse ? code : other);
        keep_prec(f, p, &x);
    }
    return st;
}

/* The last event date of a code on a side among its postings whose last
 * date is at least bound ("" none); *out "" when none. */
static casus_status max_date(casus_store *s, int side, const char *code,
                             const char *bound, char out[16])
{
    static const char *const sql[2] = {
        "SELECT max(event_date) FROM events WHERE event_id IN (SELECT "
        "event_id FROM event_actor WHERE side = 0 AND code = $1 AND "
        "last_date >= $2) AND source_code = $3",
        "SELECT max(event_date) FROM events WHERE event_id IN (SELECT "
        "event_id FROM event_actor WHERE side = 1 AND code = $1 AND "
        "last_date >= $2) AND target_code = $3"};
    store_cursor *c = NULL;
    const char *params[3] = {code, bound, code};
    out[0] = '\0';
    casus_status st = store_cursor_open(s, sql[side], params, 3, &c);
    if (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
        size_t n;
        const char *ds = store_cursor_text(c, 0, &n);
        if (ds)
            snprintf(out, 16, "%.*s", (int)n, ds);
    }
    store_cursor_close(c);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* Whether the postings of a code on a side whose last date is top hold
 * the facts of an event of that date (",top," in facts: only a date field
 * can read so). With no tombstone in the store, such an event is still
 * there: its facts were written with it (or, for an event of schema 8, by
 * the migration from the events then stored), and every event deleted
 * since has a tombstone. */
static casus_status top_live(casus_store *s, int side, const char *code,
                             const char *top, int *live)
{
    const char *params[4] = {side ? "1" : "0", code, top, top};
    store_cursor *c = NULL;
    *live = 0;
    casus_status st = store_cursor_open(
        s, "SELECT count(*) FROM event_postings WHERE side = CAST($1 AS "
           "INTEGER) AND code = $2 AND last_date >= $3 AND facts LIKE "
           "'%,' || $4 || ',%'", params, 4, &c);
    if (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
        size_t n;
        const char *v = store_cursor_text(c, 0, &n);
        *live = v && strtol(v, NULL, 10) > 0;
    }
    store_cursor_close(c);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* The day after the last event date of the actor's codes as source or
 * target; 0 when none. Through the postings (schema 8): first those with
 * the greatest last date; when the store has no tombstone and their facts
 * hold an event of that date, that is the answer (no event row read: on
 * PostgreSQL 10 M, 9 ms a code and side for IRN's, most of the forecast's
 * wall time); else the events of those postings are read, and when their
 * last event was deleted (a replaced document), those of the postings
 * that end at or after what they still hold, which must hold the answer;
 * when they hold nothing, all of the code's. */
static casus_status last_day(casus_store *s, const fstate *f,
                             const acodes *a, long *out)
{
    *out = 0;
    for (size_t k = 0; k < 2 * a->n; k++) {
        const char *code = a->v[k / 2];
        int side = (int)(k % 2);
        char top[16] = "", got[16] = "";
        store_cursor *c = NULL;
        const char *params[2] = {side ? "1" : "0", code};
        casus_status st = store_cursor_open(
            s, "SELECT max(last_date) FROM event_postings WHERE side = "
               "CAST($1 AS INTEGER) AND code = $2", params, 2, &c);
        if (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
            size_t n;
            const char *ds = store_cursor_text(c, 0, &n);
            if (ds)
                snprintf(top, sizeof top, "%.*s", (int)n, ds);
        }
        store_cursor_close(c);
        if (st != CASUS_OK && st != CASUS_DONE)
            return st;
        if (!top[0])
            continue;
        int live = 0;
        if (!f->n_tombs && (st = top_live(s, side, code, top, &live)) !=
            CASUS_OK)
            return st;
        if (live)
            snprintf(got, sizeof got, "%s", top);
        else
            st = max_date(s, side, code, top, got);
        if (st == CASUS_OK && strcmp(got, top) < 0)
            st = max_date(s, side, code, got, got);   /* "" reads them all */
        if (st != CASUS_OK)
            return st;
        casus_date d;
        if (got[0] && casus_date_parse(got, strlen(got), &d) == CASUS_OK &&
            date_days(d) + 1 > *out)
            *out = date_days(d) + 1;
    }
    return CASUS_OK;
}

static int by_prob(const void *a, const void *b)
{
    const tpair *x = a, *y = b;
    if (x->prob != y->prob)
        return x->prob > y->prob ? -1 : 1;
    return strcmp(x->code, y->code);
}

static void fmt_day(long day, char out[11])
{
    casus_date_format(date_from_days(day), out);
}

/* The share of root 17 + k in the pair's violence, smoothed toward the
 * actor's mix (itself smoothed toward uniform). */
static double root_share(const fstate *f, const tpair *p, int k)
{
    double xs = 0, ps = 0;
    for (int j = 0; j < 4; j++) {
        xs += f->xroots[j];
        ps += p->roots[j];
    }
    double prior = (f->xroots[k] + 0.25) / (xs + 1);
    return (p->roots[k] + 2 * prior) / (ps + 2);
}

static casus_status put_root(casus_ctx *ctx, buf *b, int k)
{
    char code[3] = {'1', (char)('7' + k), '\0'};
    if (k >= 3) {
        code[0] = '2';
        code[1] = '0';
    }
    const cameo_entry *e = cameo_find(code, 2);
    casus_status st = buf_printf(ctx, b, "\"cameo_root\":\"%s\",\"name\":\"",
                                 code);
    if (st == CASUS_OK)
        st = buf_json_escape(ctx, b, e ? e->name : "", e ? strlen(e->name) : 0);
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, "\",\"plover_type\":\"");
    if (st == CASUS_OK && e)
        st = buf_json_escape(ctx, b, e->plover_type, strlen(e->plover_type));
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '"');
    return st;
}

static casus_status put_str(casus_ctx *ctx, buf *b, const char *key,
                            const char *v)
{
    casus_status st = buf_printf(ctx, b, "\"%s\":\"", key);
    if (st == CASUS_OK)
        st = buf_json_escape(ctx, b, v, strlen(v));
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '"');
    return st;
}

/* The CAMEO code and document id of the precedents of the first nt
 * pairs, by one query over their event ids (a primary-key lookup each). */
static casus_status load_precs(casus_store *s, fstate *f, size_t nt)
{
    casus_ctx *ctx = f->ctx;
    int pg = strcmp(casus_store_backend(s), "sqlite") != 0;
    buf ids = BUF_INIT;
    casus_status st = buf_putc(ctx, &ids, pg ? '{' : '[');
    size_t n = 0;
    for (size_t i = 0; i < nt && st == CASUS_OK; i++)
        for (unsigned k = 0; k < f->pairs[i].n_prec && st == CASUS_OK; k++)
            st = buf_printf(ctx, &ids, "%s%lld", n++ ? "," : "",
                            f->pairs[i].prec[k].event_id);
    if (st == CASUS_OK)
        st = buf_putc(ctx, &ids, pg ? '}' : ']');
    if (st == CASUS_OK)
        st = buf_putc(ctx, &f->docs, '\0');   /* offset 0: none */
    if (st != CASUS_OK || !n) {
        buf_free(ctx, &ids);
        return st;
    }
    const char *params[1] = {ids.p};
    store_cursor *c = NULL;
    st = store_cursor_open(
        s, pg ? "SELECT e.event_id, e.cameo, d.doc_id FROM events e LEFT JOIN "
                "documents d ON d.doc_pk = e.doc_pk WHERE e.event_id = "
                "ANY(CAST($1 AS BIGINT[]))"
              : "SELECT e.event_id, e.cameo, d.doc_id FROM events e LEFT JOIN "
                "documents d ON d.doc_pk = e.doc_pk WHERE e.event_id IN "
                "(SELECT value FROM json_each($1))",
        params, 1, &c);
    while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK) {
        size_t nc, nd;
        long long id = to_ll(store_cursor_text(c, 0, &nc));
        const char *cm = store_cursor_text(c, 1, &nc);
        const char *d = store_cursor_text(c, 2, &nd);
        size_t at = 0;
        if (d) {
            at = f->docs.n;
            st = buf_append(ctx, &f->docs, d, nd);
            if (st == CASUS_OK)
                st = buf_putc(ctx, &f->docs, '\0');
        }
        for (size_t i = 0; i < nt; i++)
            for (unsigned k = 0; k < f->pairs[i].n_prec; k++) {
                prec *x = &f->pairs[i].prec[k];
                if (x->event_id != id)
                    continue;
                snprintf(x->cameo, sizeof x->cameo, "%s", cm ? cm : "");
                x->doc_at = at;
            }
    }
    store_cursor_close(c);
    buf_free(ctx, &ids);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* One precedent, with what load_precs found of it. */
static casus_status put_prec(const fstate *f, buf *b, const prec *x)
{
    casus_ctx *ctx = f->ctx;
    char date[11];
    fmt_day(x->day, date);
    casus_status st = buf_printf(ctx, b, "{\"event_id\":%lld,\"date\":\"%s\",",
                                 x->event_id, date);
    if (st == CASUS_OK)
        st = put_str(ctx, b, "source", x->source);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ',');
    if (st == CASUS_OK)
        st = put_str(ctx, b, "target", x->target);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ',');
    if (st == CASUS_OK)
        st = put_str(ctx, b, "cameo", x->cameo);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ',');
    if (st == CASUS_OK)
        st = put_str(ctx, b, "doc_id", f->docs.p + x->doc_at);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '}');
    return st;
}

casus_status casus_store_forecast(casus_store *s,
                                  const casus_store_forecast_opts *opt,
                                  casus_sink *out, size_t *n_targets)
{
    casus_ctx *ctx = store_ctx(s);
    casus_status st = CASUS_OK;
    fstate f;
    buf b = BUF_INIT;
    char reason[200] = "";
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    *n_targets = 0;
    if (!opt || !opt->actor || !*opt->actor || strlen(opt->actor) > 31)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "forecast: give an actor code (--actor IRN)");
    const char *actor = opt->actor;
    int grouped = !opt->exact && is_country(actor);
    acodes codes = {NULL, 0, 0};
    int h = opt->horizon ? opt->horizon : 30;
    const fcal_model *m = fcal_shipped_model(h);
    if (!m)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "forecast: horizon %d is not 7, 14 or 30 days", h);
    unsigned top = opt->top_k ? opt->top_k : 10;
    f.max_prec = opt->precedents ? opt->precedents : 5;
    if (f.max_prec > MAX_PREC)
        f.max_prec = MAX_PREC;
    /* SQLite copies every page it reads unless the file is mapped; the
     * forecast reads about one page per event, so map it (this handle's
     * setting only; read-only opens of the store leave it off). */
    if (!strcmp(casus_store_backend(s), "sqlite")) {
        store_cursor *c = NULL;
        st = store_cursor_open(s, "PRAGMA mmap_size = 4294967296", NULL, 0,
                               &c);
        while (st == CASUS_OK)
            st = store_cursor_next(c);
        store_cursor_close(c);
        if (st != CASUS_DONE)
            goto done;
        st = CASUS_OK;
    }
    long as_of = 0;
    if (opt->as_of.year > 0)
        as_of = date_days(opt->as_of);
    if ((st = actor_codes(s, actor, grouped, &codes)) != CASUS_OK ||
        (st = load_tombs(s, &f)) != CASUS_OK)
        goto done;
    if (opt->as_of.year <= 0 && (st = last_day(s, &f, &codes, &as_of)) != CASUS_OK)
        goto done;
    char from[11] = "", to[11] = "";
    if (as_of == 0) {
        snprintf(reason, sizeof reason,
                 "the store has no event with actor %s", actor);
    } else {
        fmt_day(as_of - FCAL_LOOKBACK, from);
        fmt_day(as_of, to);
        for (size_t k = 0; k < codes.n && st == CASUS_OK; k++) {
            st = read_side(s, &f, actor, grouped, codes.v[k], from, to,
                           as_of, 0);
            if (st == CASUS_OK)
                st = read_side(s, &f, actor, grouped, codes.v[k], from, to,
                               as_of, 1);
        }
        if (st != CASUS_OK)
            goto done;
        if (f.n == 0)
            snprintf(reason, sizeof reason,
                     "no event of actor %s with another actor in the %d "
                     "days before %s", actor, FCAL_LOOKBACK, to);
    }
    for (size_t i = 0; i < f.n; i++) {
        double x[FCAL_NF];
        f.pairs[i].p.x_v30 = f.xv30;
        fcal_features(&f.pairs[i].p, x);
        f.pairs[i].prob = fcal_predict(m, x);
    }
    if (f.n)
        qsort(f.pairs, f.n, sizeof *f.pairs, by_prob);
    st = buf_puts(ctx, &b, "{\"type\":\"forecast\",");
    if (st == CASUS_OK)
        st = put_str(ctx, &b, "actor", actor);
    if (st == CASUS_OK)
        st = buf_printf(ctx, &b, ",\"actor_match\":\"%s\"",
                        grouped ? "state" : "exact");
    if (st == CASUS_OK)
        st = buf_printf(ctx, &b, ",\"as_of\":%s%s%s,\"horizon\":%d,"
                                 "\"history_from\":%s%s%s,\"events_read\":%zu,"
                                 "\"candidates\":%zu,",
                        *to ? "\"" : "", *to ? to : "null", *to ? "\"" : "",
                        h, *from ? "\"" : "", *from ? from : "null",
                        *from ? "\"" : "", f.rows, f.n);
    if (st == CASUS_OK)
        st = put_str(ctx, &b, "model", fcal_shipped_source());
    if (st == CASUS_OK)
        st = buf_puts(ctx, &b, ",\"targets\":[");
    size_t nt = f.n < top ? f.n : top;
    if (st == CASUS_OK)
        st = load_precs(s, &f, nt);
    for (size_t i = 0; i < nt && st == CASUS_OK; i++) {
        const tpair *p = &f.pairs[i];
        char last[11] = "";
        if (p->p.v_last >= 0)
            fmt_day(as_of - (long)p->p.v_last, last);
        st = buf_printf(ctx, &b, "%s{\"rank\":%zu,", i ? "," : "", i + 1);
        if (st == CASUS_OK)
            st = put_str(ctx, &b, "target", p->code);
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b,
                            ",\"probability\":%.4f,\"history\":{\"events\":%.0f,"
                            "\"violent_acts\":%.0f,\"last_violent\":%s%s%s,"
                            "\"violent_acts_received_30d\":%.0f},\"how\":[",
                            p->prob, p->p.a_nall, p->p.v_nall,
                            *last ? "\"" : "", *last ? last : "null",
                            *last ? "\"" : "", p->p.r_n30);
        /* Roots by share, largest first. */
        int order[4] = {0, 1, 2, 3};
        double sh[4];
        for (int k = 0; k < 4; k++)
            sh[k] = root_share(&f, p, k);
        for (int a = 1; a < 4; a++)
            for (int c = a; c > 0 && sh[order[c]] > sh[order[c - 1]]; c--) {
                int t = order[c];
                order[c] = order[c - 1];
                order[c - 1] = t;
            }
        for (int k = 0; k < 4 && st == CASUS_OK; k++) {
            st = buf_puts(ctx, &b, k ? ",{" : "{");
            if (st == CASUS_OK)
                st = put_root(ctx, &b, order[k]);
            if (st == CASUS_OK)
                st = buf_printf(ctx, &b, ",\"probability\":%.4f}",
                                p->prob * sh[order[k]]);
        }
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "],\"precedents\":[");
        for (unsigned k = 0; k < p->n_prec && st == CASUS_OK; k++) {
            if (k)
                st = buf_putc(ctx, &b, ',');
            if (st == CASUS_OK)
                st = put_prec(&f, &b, &p->prec[k]);
        }
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "]}");
    }
    /* How, over all targets: the expected number of targets per root. */
    if (st == CASUS_OK)
        st = buf_puts(ctx, &b, "],\"types\":[");
    if (f.n) {
        double ex[4] = {0};
        int order[4] = {0, 1, 2, 3};
        for (size_t i = 0; i < f.n; i++)
            for (int k = 0; k < 4; k++)
                ex[k] += f.pairs[i].prob * root_share(&f, &f.pairs[i], k);
        for (int a = 1; a < 4; a++)
            for (int c = a; c > 0 && ex[order[c]] > ex[order[c - 1]]; c--) {
                int t = order[c];
                order[c] = order[c - 1];
                order[c - 1] = t;
            }
        for (int k = 0; k < 4 && st == CASUS_OK; k++) {
            st = buf_puts(ctx, &b, k ? ",{" : "{");
            if (st == CASUS_OK)
                st = put_root(ctx, &b, order[k]);
            if (st == CASUS_OK)
                st = buf_printf(ctx, &b, ",\"expected_targets\":%.4f}",
                                ex[order[k]]);
        }
    }
    if (st == CASUS_OK)
        st = buf_putc(ctx, &b, ']');
    if (st == CASUS_OK && *reason) {
        st = buf_putc(ctx, &b, ',');
        if (st == CASUS_OK)
            st = put_str(ctx, &b, "reason", reason);
    }
    if (st == CASUS_OK)
        st = buf_puts(ctx, &b, "}\n");
    if (st == CASUS_OK && out->write(out->ud, b.p, b.n) != 0)
        st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
    if (st == CASUS_OK) {
        *n_targets = nt;
        if (*reason)
            ctx_fail(ctx, CASUS_OK, "%s", reason);
    }
done:
    buf_free(ctx, &b);
    mem_free(ctx, codes.v);
    mem_free(ctx, f.pairs);
    mem_free(ctx, f.tab);
    mem_free(ctx, f.facts);
    mem_free(ctx, f.tombs);
    buf_free(ctx, &f.text);
    buf_free(ctx, &f.docs);
    return st;
}
