/*
 * forecast_rules.c - history index, running counts, candidates, and the
 * casus model: temporal rules plus recurrency features, learned weights.
 *
 * Part of the forecasting stage (forecast.c drives it). For a query
 * (s, q, ?, t) the model walks s's edges before t once (fc_graph keeps them
 * as a time-ordered prefix) and accumulates, per candidate o, the evidence
 * of three kinds of length-1 temporal rules:
 *   strict     q(X,Y) <= q(X,Y): the same fact happened before (count,
 *              decayed sums at three rates, gap since the last time);
 *   cyclic     q(X,Y) <= b(X,Y) for every b (inverse relations included),
 *              weighted by the rule's confidence learned from the history,
 *              as TLogic's length-1 cyclic rules;
 *   inverse    q(X,Y) <= q(Y,X): o did q to s before;
 * plus the candidates that most often follow q whoever the subject (relaxed
 * recurrency, Gastinger et al.'s xi) and the candidate's recent activity.
 * Twenty features, mostly logs of decayed sums, so a linear score over them
 * is a learned product of recency kernels: the weights decide how fast the
 * past fades for each kind of evidence. Scores are w . x; entities without
 * any evidence rank below every candidate.
 *
 * Learning (fc_rules_learn), for forecasting a split that starts at T:
 *   1. rule confidences conf(q <= b) = #pairs (X,Y) where b(X,Y) was later
 *      followed by q(X,Y) / (#pairs with b(X,Y) + 2), counted on the facts
 *      before the training window (for the training features) and on all
 *      facts before T (for forecasting);
 *   2. training queries: up to FC_TRAIN_FACTS facts (both directions) from
 *      the FC_WINDOW steps before T, sampled with the seed, with their
 *      features computed from the history before each one;
 *   3. weights by minimising the softmax cross-entropy of the true answer
 *      among the candidates (time-filtered, as in evaluation) plus a small
 *      L2 term, with full-batch Adam on standardised features.
 * Everything is deterministic for a given seed.
 */
#include "forecast_rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctx.h"
#include "util/mem.h"

/* Decay rates per time step of the three recency kernels 2^(-rate gap). */
static const double fc_rate[3] = {0.01, 0.1, 1.0};
#define RATE_MID 1

#ifndef FC_WINDOW
#define FC_WINDOW 90          /* steps of training queries before a split */
#endif
#ifndef FC_TRAIN_FACTS
#define FC_TRAIN_FACTS 12000  /* facts sampled from that window */
#endif
#ifndef FC_ITERS
#define FC_ITERS 200
#endif
#ifndef FC_LR
#define FC_LR 0.05
#endif
#ifndef FC_L2
#define FC_L2 1e-4
#endif
#ifndef FC_MAX_ROWS
#define FC_MAX_ROWS 400       /* candidates kept per training query */
#endif

enum {
    F_STRICT, F_SLOGN, F_SDEC0, F_SDEC1, F_SDEC2, F_SLAST, F_SSHARE,
    F_PAIR, F_PLOGN, F_PDEC, F_PLAST, F_PCONF, F_PMAX, F_PSHARE,
    F_INV, F_IDEC,
    F_REL, F_RSHARE, F_RDEC,
    F_POP,
    /* crossed with the relation's own recurrence, conf(q <= q) */
    F_XSTRICT, F_XSDEC, F_XPAIR, F_XRSHARE,
    /* two hops: s's partners X did q to the candidate (or anything) */
    F_H2QP, F_H2Q, F_H2,
    /* the candidate's share among the subjects of q */
    F_RINV,
    /* contact at the slow and fast rates; inverse at the fast rate */
    F_PDEC0, F_PDEC2, F_IDEC2,
    /* log(1 + how many candidates s met more recently), strict and any */
    F_SRANK, F_PRANK
};

/* Weights used when there is nothing to train on (tiny datasets): recent
 * strict recurrence first, then other contact, then popularity. */
static const double default_w[FC_NF] = {
    [F_STRICT] = 4, [F_SDEC1] = 1, [F_PAIR] = 2, [F_PDEC] = 0.5,
    [F_PCONF] = 0.5, [F_INV] = 0.5, [F_REL] = 1, [F_RSHARE] = 0.5,
    [F_POP] = 0.1, [F_H2QP] = 0.5, [F_H2Q] = 0.2};

/* Fewer training queries than this: keep the default weights. */
#define FC_MIN_TRAIN 200
#ifndef FC_H
#define FC_H 16         /* hidden units */
#endif
#ifndef FC_EPOCHS
#define FC_EPOCHS 10    /* passes of mini-batch training of the hidden layer */
#endif
#ifndef FC_BATCH
#define FC_BATCH 64     /* queries per mini-batch */
#endif
#ifndef FC_LR2
#define FC_LR2 0.003
#endif

#ifndef FC_HOP_K
#define FC_HOP_K 10     /* partners followed for two-hop evidence */
#endif
#ifndef FC_HOP_M
#define FC_HOP_M 200    /* most recent edges read per partner */
#endif

struct fc_rules {
    casus_ctx *ctx;
    uint32_t n_rel2;
    float *conf;        /* conf[q * n_rel2 + b] */
    double w[FC_NF];    /* linear weights on raw features */
    /* The hidden layer, on standardised features z = (x - mu) / sd:
     * score = w . x + sum_h v[h] tanh(W[h] . z + b[h]). */
    double mu[FC_NF], sd[FC_NF];
    double W[FC_H][FC_NF], b[FC_H], v[FC_H];
    int hidden;
    size_t n_train, n_skipped;
    double loss;
    char desc[200];
};

/* ---------------------------------------------------------------- graph */

casus_status fc_graph_build(casus_ctx *ctx, const casus_forecast_data *d,
                            fc_graph *g)
{
    casus_status st = CASUS_OK;
    size_t total = 0, *pos = NULL;
    memset(g, 0, sizeof *g);
    for (int sp = 0; sp < FC_NSPLIT; sp++) {
        if (d->n_quad[sp] > SIZE_MAX / 4 / sizeof(fc_edge) - total)
            return ctx_fail(ctx, CASUS_ETOOBIG, "forecast: too many facts");
        total += d->n_quad[sp];
    }
    total *= 2;
    g->n_ent = d->n_ent;
    g->off = mem_alloc(ctx, ((size_t)d->n_ent + 1) * sizeof *g->off);
    g->e = mem_alloc(ctx, total * sizeof *g->e);
    pos = mem_alloc(ctx, (size_t)d->n_ent * sizeof *pos);
    if (!g->off || !g->e || !pos) {
        st = CASUS_ENOMEM;
        goto done;
    }
    memset(g->off, 0, ((size_t)d->n_ent + 1) * sizeof *g->off);
    for (int sp = 0; sp < FC_NSPLIT; sp++)
        for (size_t i = 0; i < d->n_quad[sp]; i++) {
            g->off[d->quad[sp][i].s + 1]++;
            g->off[d->quad[sp][i].o + 1]++;
        }
    for (uint32_t i = 0; i < d->n_ent; i++) {
        g->off[i + 1] += g->off[i];
        pos[i] = g->off[i];
    }
    /* Splits are in time order, so each subject's edges come out sorted. */
    for (int sp = 0; sp < FC_NSPLIT; sp++)
        for (size_t i = 0; i < d->n_quad[sp]; i++) {
            const fc_quad *q = &d->quad[sp][i];
            fc_edge a = {q->r, q->o, q->t}, b = {q->r + d->n_rel, q->s, q->t};
            g->e[pos[q->s]++] = a;
            g->e[pos[q->o]++] = b;
        }
done:
    mem_free(ctx, pos);
    if (st != CASUS_OK)
        fc_graph_free(ctx, g);
    return st;
}

void fc_graph_free(casus_ctx *ctx, fc_graph *g)
{
    mem_free(ctx, g->off);
    mem_free(ctx, g->e);
    memset(g, 0, sizeof *g);
}

size_t fc_graph_before(const fc_graph *g, uint32_t s, int32_t t)
{
    size_t lo = g->off[s], hi = g->off[s + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->e[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---------------------------------------------------------------- stream */

static void *zalloc(casus_ctx *ctx, size_t n, size_t elem)
{
    if (elem && n > SIZE_MAX / elem) {
        ctx_fail(ctx, CASUS_ENOMEM, "forecast: array too large");
        return NULL;
    }
    void *p = mem_alloc(ctx, n * elem);
    if (p)
        memset(p, 0, n * elem);
    return p;
}

void fc_stream_free(fc_stream *s)
{
    casus_ctx *ctx = s->ctx;
    if (!ctx)
        return;
    mem_free(ctx, s->cnt);
    mem_free(ctx, s->tot);
    mem_free(ctx, s->dec);
    mem_free(ctx, s->dtot);
    mem_free(ctx, s->pop);
    mem_free(ctx, s->seen_head);
    mem_free(ctx, s->seen_next);
    mem_free(ctx, s->seen_val);
    memset(s, 0, sizeof *s);
}

casus_status fc_stream_init(casus_ctx *ctx, const casus_forecast_data *d,
                            int full, fc_stream *s)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->d = d;
    s->n_ent = d->n_ent;
    s->n_rel2 = 2 * d->n_rel;
    s->full = full;
    size_t facts = 0;
    for (int sp = 0; sp < FC_NSPLIT; sp++)
        facts += d->n_quad[sp];
    if ((size_t)s->n_rel2 > SIZE_MAX / 8 / (size_t)s->n_ent)
        return ctx_fail(ctx, CASUS_ENOMEM, "forecast: too many relations");
    size_t cells = (size_t)s->n_rel2 * s->n_ent;
    s->cnt = zalloc(ctx, cells, sizeof *s->cnt);
    s->tot = zalloc(ctx, s->n_rel2, sizeof *s->tot);
    s->seen_head = zalloc(ctx, s->n_rel2, sizeof *s->seen_head);
    s->seen_next = zalloc(ctx, 2 * facts + 1, sizeof *s->seen_next);
    s->seen_val = zalloc(ctx, 2 * facts + 1, sizeof *s->seen_val);
    if (full) {
        s->dec = zalloc(ctx, cells, sizeof *s->dec);
        s->dtot = zalloc(ctx, s->n_rel2, sizeof *s->dtot);
        s->pop = zalloc(ctx, s->n_ent, sizeof *s->pop);
    }
    if (!s->cnt || !s->tot || !s->seen_head || !s->seen_next ||
        !s->seen_val || (full && (!s->dec || !s->dtot || !s->pop))) {
        fc_stream_free(s);
        return CASUS_ENOMEM;
    }
    for (uint32_t q = 0; q < s->n_rel2; q++)
        s->seen_head[q] = UINT32_MAX;
    for (int sp = 0; sp < FC_NSPLIT; sp++)
        if (d->n_quad[sp]) {
            s->t0 = d->quad[sp][0].t;
            break;
        }
    return CASUS_OK;
}

static void stream_add(fc_stream *s, uint32_t q, uint32_t o, double w)
{
    size_t k = (size_t)q * s->n_ent + o;
    if (s->cnt[k] == 0) {
        s->seen_val[s->n_seen] = o;
        s->seen_next[s->n_seen] = s->seen_head[q];
        s->seen_head[q] = (uint32_t)s->n_seen;
        s->n_seen++;
    }
    s->cnt[k] += 1;
    s->tot[q] += 1;
    if (s->full) {
        s->dec[k] += w;
        s->dtot[q] += w;
    }
}

/* Moves the reference time of the decayed counts to t, so the weights
 * 2^(rate (t' - t0)) stay far from overflow. */
static void stream_rebase(fc_stream *s, int32_t t)
{
    double f = exp2(-fc_rate[RATE_MID] * (double)(t - s->t0) / s->d->step);
    size_t cells = (size_t)s->n_rel2 * s->n_ent;
    for (size_t k = 0; k < cells; k++)
        s->dec[k] *= f;
    for (uint32_t q = 0; q < s->n_rel2; q++)
        s->dtot[q] *= f;
    for (uint32_t e = 0; e < s->n_ent; e++)
        s->pop[e] *= f;
    s->poptot *= f;
    s->t0 = t;
}

void fc_stream_advance(fc_stream *s, int32_t t)
{
    const casus_forecast_data *d = s->d;
    uint32_t R = d->n_rel;
    while (s->sp < FC_NSPLIT) {
        if (s->i >= d->n_quad[s->sp]) {
            s->sp++;
            s->i = 0;
            continue;
        }
        const fc_quad *q = &d->quad[s->sp][s->i];
        if (q->t >= t)
            break;
        double w = 0;
        if (s->full) {
            double x = fc_rate[RATE_MID] * (double)(q->t - s->t0) / d->step;
            if (x > 500) {
                stream_rebase(s, q->t);
                x = 0;
            }
            w = exp2(x);
            s->pop[q->s] += w;
            s->pop[q->o] += w;
            s->poptot += 2 * w;
        }
        stream_add(s, q->r, q->o, w);
        stream_add(s, q->r + R, q->s, w);
        if (s->n_hist == 0)
            s->tmin = q->t;
        s->tmax = q->t;
        s->n_hist++;
        s->i++;
        s->version++;
    }
}

/* ---------------------------------------------------------------- cands */

void fc_cands_free(casus_ctx *ctx, fc_cands *c)
{
    mem_free(ctx, c->slot);
    mem_free(ctx, c->mark);
    mem_free(ctx, c->id);
    mem_free(ctx, c->score);
    mem_free(ctx, c->acc);
    mem_free(ctx, c->x);
    mem_free(ctx, c->sorted);
    mem_free(ctx, c->top);
    mem_free(ctx, c->ntop);
    mem_free(ctx, c->topver);
    memset(c, 0, sizeof *c);
}

casus_status fc_cands_init(casus_ctx *ctx, uint32_t n_ent, uint32_t n_rel2,
                           fc_cands *c)
{
    memset(c, 0, sizeof *c);
    c->n_ent = n_ent;
    c->n_rel2 = n_rel2;
    c->slot = zalloc(ctx, n_ent, sizeof *c->slot);
    c->mark = zalloc(ctx, n_ent, sizeof *c->mark);
    c->id = zalloc(ctx, n_ent, sizeof *c->id);
    c->score = zalloc(ctx, n_ent, sizeof *c->score);
    c->acc = zalloc(ctx, n_ent, sizeof *c->acc);
    c->x = zalloc(ctx, (size_t)n_ent * FC_NF, sizeof *c->x);
    c->sorted = zalloc(ctx, n_ent, sizeof *c->sorted);
    c->top = zalloc(ctx, (size_t)n_rel2 * FC_TOPR, sizeof *c->top);
    c->ntop = zalloc(ctx, n_rel2, sizeof *c->ntop);
    c->topver = zalloc(ctx, n_rel2, sizeof *c->topver);
    if (!c->slot || !c->mark || !c->id || !c->score || !c->acc || !c->x ||
        !c->sorted || !c->top || !c->ntop || !c->topver) {
        fc_cands_free(ctx, c);
        return CASUS_ENOMEM;
    }
    for (uint32_t e = 0; e < n_ent; e++)
        c->slot[e] = -1;
    return CASUS_OK;
}

void fc_cands_reset(fc_cands *c)
{
    for (size_t k = 0; k < c->n; k++)
        c->slot[c->id[k]] = -1;
    c->n = 0;
}

/* ---------------------------------------------------------------- rules */

void fc_rules_free(fc_rules *r)
{
    if (!r)
        return;
    mem_free(r->ctx, r->conf);
    mem_free(r->ctx, r);
}

const char *fc_rules_describe(const fc_rules *r)
{
    return r->desc;
}

double fc_rules_conf(const fc_rules *r, uint32_t q, uint32_t b)
{
    return r->conf[(size_t)q * r->n_rel2 + b];
}

static int edge_by_obj(const void *a, const void *b)
{
    const fc_edge *x = a, *y = b;
    if (x->o != y->o)
        return x->o < y->o ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->r < y->r ? -1 : x->r > y->r;
}

/*
 * Confidences of the rules q(X,Y) <= b(X,Y) from the facts before t_end:
 * over entity pairs (X,Y), the share of those linked by b at some time
 * that were linked by q at a later time.
 */
static casus_status learn_conf(casus_ctx *ctx, const fc_graph *g,
                               uint32_t n_rel2, int32_t t_end, float *conf)
{
    casus_status st = CASUS_OK;
    size_t maxdeg = 0, nn = (size_t)n_rel2 * n_rel2;
    for (uint32_t s = 0; s < g->n_ent; s++)
        if (g->off[s + 1] - g->off[s] > maxdeg)
            maxdeg = g->off[s + 1] - g->off[s];
    fc_edge *tmp = zalloc(ctx, maxdeg + 1, sizeof *tmp);
    double *body = zalloc(ctx, n_rel2, sizeof *body);
    double *supp = zalloc(ctx, nn, sizeof *supp);
    int32_t *first = zalloc(ctx, n_rel2, sizeof *first);
    int32_t *last = zalloc(ctx, n_rel2, sizeof *last);
    uint32_t *list = zalloc(ctx, n_rel2, sizeof *list);
    if (!tmp || !body || !supp || !first || !last || !list) {
        st = CASUS_ENOMEM;
        goto done;
    }
    for (uint32_t q = 0; q < n_rel2; q++)
        first[q] = INT32_MAX;
    for (uint32_t s = 0; s < g->n_ent; s++) {
        size_t a = g->off[s], b = fc_graph_before(g, s, t_end), n = b - a;
        if (n == 0)
            continue;
        memcpy(tmp, g->e + a, n * sizeof *tmp);
        qsort(tmp, n, sizeof *tmp, edge_by_obj);
        for (size_t i = 0; i < n;) {
            size_t j = i, nl = 0;
            for (; j < n && tmp[j].o == tmp[i].o; j++) {
                uint32_t r = tmp[j].r;
                if (first[r] == INT32_MAX) {
                    list[nl++] = r;
                    first[r] = tmp[j].t;
                }
                last[r] = tmp[j].t;   /* sorted by time within a pair */
            }
            for (size_t x = 0; x < nl; x++) {
                uint32_t rb = list[x];
                body[rb] += 1;
                for (size_t y = 0; y < nl; y++)
                    if (last[list[y]] > first[rb])
                        supp[(size_t)list[y] * n_rel2 + rb] += 1;
            }
            for (size_t x = 0; x < nl; x++)
                first[list[x]] = INT32_MAX;
            i = j;
        }
    }
    for (uint32_t q = 0; q < n_rel2; q++)
        for (uint32_t rb = 0; rb < n_rel2; rb++) {
            size_t k = (size_t)q * n_rel2 + rb;
            conf[k] = (float)(supp[k] / (body[rb] + 2));
        }
done:
    mem_free(ctx, tmp);
    mem_free(ctx, body);
    mem_free(ctx, supp);
    mem_free(ctx, first);
    mem_free(ctx, last);
    mem_free(ctx, list);
    return st;
}

/* The FC_TOPR objects most often seen with relation q (cached per stream
 * version in c). */
static void relaxed_top(const fc_stream *st, uint32_t q, fc_cands *c)
{
    if (c->topver[q] == st->version + 1)
        return;
    uint32_t *top = c->top + (size_t)q * FC_TOPR;
    double cnt[FC_TOPR];
    uint32_t n = 0;
    const double *row = st->cnt + (size_t)q * st->n_ent;
    for (uint32_t k = st->seen_head[q]; k != UINT32_MAX;
         k = st->seen_next[k]) {
        uint32_t o = st->seen_val[k];
        double v = row[o];
        if (n == FC_TOPR &&
            (v < cnt[n - 1] || (v == cnt[n - 1] && o > top[n - 1])))
            continue;
        uint32_t i = n < FC_TOPR ? n++ : n - 1;
        while (i > 0 && (cnt[i - 1] < v || (cnt[i - 1] == v && top[i - 1] > o))) {
            cnt[i] = cnt[i - 1];
            top[i] = top[i - 1];
            i--;
        }
        cnt[i] = v;
        top[i] = o;
    }
    c->ntop[q] = n;
    c->topver[q] = st->version + 1;
}

static double lg(double x)
{
    return log(x > 1e-300 ? x : 1e-300);
}

/*
 * Two-hop evidence, a truncated random walk s -> X -> candidate: X among
 * the FC_HOP_K partners of s with the most (decayed) contact, X's last
 * FC_HOP_M edges before t, each weighted by its recency. Objects that X
 * did q to become candidates (h2q); other edges only add to candidates
 * already there (h2).
 */
static void two_hops(const fc_graph *g, const fc_stream *st, uint32_t s,
                     uint32_t q, int32_t t, fc_cands *c)
{
    uint32_t top[FC_HOP_K];
    double tw[FC_HOP_K], z = 0;
    size_t nt = 0, n0 = c->n;
    double step = st->d->step;
    for (size_t k = 0; k < n0; k++) {
        double v = c->acc[k].pd;
        z += v;
        if (c->id[k] == s || v <= 0)
            continue;
        if (nt == FC_HOP_K && v <= tw[nt - 1])
            continue;
        size_t i = nt < FC_HOP_K ? nt++ : nt - 1;
        while (i > 0 && tw[i - 1] < v) {
            tw[i] = tw[i - 1];
            top[i] = top[i - 1];
            i--;
        }
        tw[i] = v;
        top[i] = c->id[k];
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < nt; j++) {
            uint32_t x = top[j];
            size_t a = g->off[x], b = fc_graph_before(g, x, t);
            if (b - a > FC_HOP_M)
                a = b - FC_HOP_M;
            double px = tw[j] / z / (double)(b - a);
            for (size_t i = a; i < b; i++) {
                const fc_edge *e = &g->e[i];
                if (e->o == s || (pass == 0) != (e->r == q))
                    continue;
                double w = px * exp2(-fc_rate[RATE_MID] *
                                     (double)(t - e->t) / step);
                if (pass == 0)
                    c->acc[fc_cands_touch(c, e->o)].h2q += w;
                else if (c->slot[e->o] >= 0)
                    c->acc[c->slot[e->o]].h2 += w;
            }
        }
}

static int by_gap(const void *a, const void *b)
{
    const fc_scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Feature f = log(1 + the number of candidates seen more recently than
 * this one): by the strict gap (any = 0) or by any contact (any = 1). */
static void recency_rank(fc_cands *c, int any, int f)
{
    fc_scored *v = c->sorted;
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++) {
        double gap = any ? c->acc[k].plast : c->acc[k].slast;
        if (gap > 0) {
            v[n].score = gap;
            v[n].id = (uint32_t)k;
            n++;
        }
    }
    qsort(v, n, sizeof *v, by_gap);
    size_t first = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i].score != v[i - 1].score)
            first = i;
        c->x[(size_t)v[i].id * FC_NF + f] = (float)log(1.0 + (double)first);
    }
}

/* Collects the candidates of (s, q, ?, t) and their features into c. */
static void features(const float *conf, const fc_graph *g,
                     const fc_stream *st, uint32_t s, uint32_t q, int32_t t,
                     fc_cands *c)
{
    uint32_t R = st->n_rel2 / 2;
    uint32_t qi = q < R ? q + R : q - R;
    double step = st->d->step;
    const float *cr = conf + (size_t)q * st->n_rel2;
    size_t a = g->off[s], b = fc_graph_before(g, s, t);
    double nsq = 0, deg = (double)(b - a);
    float cqq = cr[q];
    for (size_t i = a; i < b; i++) {
        const fc_edge *e = &g->e[i];
        double dt = (double)(t - e->t) / step;
        fc_acc *A = &c->acc[fc_cands_touch(c, e->o)];
        double w = exp2(-fc_rate[RATE_MID] * dt);
        A->pc += 1;
        A->pd += w;
        A->pd0 += exp2(-fc_rate[0] * dt);
        A->pd2 += exp2(-fc_rate[2] * dt);
        if (A->plast == 0 || dt < A->plast)
            A->plast = dt;
        double cf = cr[e->r];
        A->pconf += cf * w;
        if (cf > A->pmax)
            A->pmax = cf;
        if (e->r == q) {
            A->sc += 1;
            for (int j = 0; j < 3; j++)
                A->sd[j] += j == RATE_MID ? w : exp2(-fc_rate[j] * dt);
            if (A->slast == 0 || dt < A->slast)
                A->slast = dt;
            nsq += 1;
        } else if (e->r == qi) {
            A->ic += 1;
            A->id += w;
            A->id2 += exp2(-fc_rate[2] * dt);
        }
    }
    two_hops(g, st, s, q, t, c);
    relaxed_top(st, q, c);
    const uint32_t *top = c->top + (size_t)q * FC_TOPR;
    for (uint32_t i = 0; i < c->ntop[q]; i++)
        fc_cands_touch(c, top[i]);
    const double *row = st->cnt + (size_t)q * st->n_ent;
    const double *drow = st->dec + (size_t)q * st->n_ent;
    for (size_t k = 0; k < c->n; k++) {
        float *x = c->x + k * FC_NF;
        const fc_acc *A = &c->acc[k];
        uint32_t o = c->id[k];
        memset(x, 0, FC_NF * sizeof *x);
        if (A->sc > 0) {
            x[F_STRICT] = 1;
            x[F_SLOGN] = (float)log(A->sc);
            for (int j = 0; j < 3; j++)
                x[F_SDEC0 + j] = (float)lg(A->sd[j]);
            x[F_SLAST] = (float)log(A->slast);
            x[F_SSHARE] = (float)log(A->sc / nsq);
        }
        if (A->pc > 0) {
            x[F_PAIR] = 1;
            x[F_PLOGN] = (float)log(A->pc);
            x[F_PDEC] = (float)lg(A->pd);
            x[F_PDEC0] = (float)lg(A->pd0);
            x[F_PDEC2] = (float)lg(A->pd2);
            x[F_PLAST] = (float)log(A->plast);
            x[F_PCONF] = (float)log(1e-4 + A->pconf);
            x[F_PMAX] = (float)A->pmax;
            x[F_PSHARE] = (float)log(A->pc / deg);
        }
        if (A->ic > 0) {
            x[F_INV] = 1;
            x[F_IDEC] = (float)lg(A->id);
            x[F_IDEC2] = (float)lg(A->id2);
        }
        if (row[o] > 0) {
            x[F_REL] = 1;
            x[F_RSHARE] = (float)log(row[o] / st->tot[q]);
            if (drow[o] > 0 && st->dtot[q] > 0)
                x[F_RDEC] = (float)lg(drow[o] / st->dtot[q]);
        }
        x[F_POP] = (float)(st->poptot > 0 ? lg(st->pop[o] / st->poptot)
                                          : lg(0));
        if (A->h2q > 0) {
            x[F_H2QP] = 1;
            x[F_H2Q] = (float)lg(A->h2q);
        }
        if (A->h2 > 0)
            x[F_H2] = (float)lg(A->h2);
        {
            const double *irow = st->cnt + (size_t)qi * st->n_ent;
            if (irow[o] > 0)
                x[F_RINV] = (float)log(irow[o] / st->tot[qi]);
        }
        x[F_XSTRICT] = x[F_STRICT] * cqq;
        x[F_XSDEC] = x[F_SDEC1] * cqq;
        x[F_XPAIR] = x[F_PAIR] * cqq;
        x[F_XRSHARE] = x[F_RSHARE] * cqq;
    }
    recency_rank(c, 0, F_SRANK);
    recency_rank(c, 1, F_PRANK);
}

void fc_rules_score(const fc_rules *r, const fc_graph *g, const fc_stream *st,
                    uint32_t s, uint32_t q, int32_t t, fc_cands *c)
{
    features(r->conf, g, st, s, q, t, c);
    for (size_t k = 0; k < c->n; k++) {
        const float *x = c->x + k * FC_NF;
        double v = 0, z[FC_NF];
        for (int f = 0; f < FC_NF; f++)
            v += r->w[f] * x[f];
        if (r->hidden) {
            for (int f = 0; f < FC_NF; f++)
                z[f] = (x[f] - r->mu[f]) / r->sd[f];
            for (int h = 0; h < FC_H; h++) {
                double a = r->b[h];
                for (int f = 0; f < FC_NF; f++)
                    a += r->W[h][f] * z[f];
                v += r->v[h] * tanh(a);
            }
        }
        c->score[k] = v;
    }
}

/* ---------------------------------------------------------------- learn */

/* Training queries: rows of features; query i owns rows off[i]..off[i+1]
 * and its true answer is row off[i] (moved first). */
typedef struct fc_train {
    float *x;
    size_t nrow, caprow;
    size_t *off;
    size_t nq, capq;
} fc_train;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static int by_score(const void *a, const void *b)
{
    const fc_scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Keeps the true answer's row and up to FC_MAX_ROWS - 1 others, skipping
 * the candidates marked in c->mark (the time filter), preferring those with
 * the most evidence (by the default weights). */
static casus_status add_query(casus_ctx *ctx, fc_train *tr, fc_cands *c,
                              uint32_t target, size_t *skipped)
{
    int32_t ts = c->slot[target];
    if (ts < 0) {
        (*skipped)++;
        return CASUS_OK;
    }
    size_t n = 0;
    fc_scored *v = c->sorted;
    for (size_t k = 0; k < c->n; k++) {
        if ((int32_t)k == ts || c->mark[c->id[k]])
            continue;
        double sc = 0;
        for (int f = 0; f < FC_NF; f++)
            sc += default_w[f] * c->x[k * FC_NF + f];
        v[n].score = sc;
        v[n].id = (uint32_t)k;
        n++;
    }
    if (n > FC_MAX_ROWS - 1) {
        qsort(v, n, sizeof *v, by_score);
        n = FC_MAX_ROWS - 1;
    }
    if (mem_grow(ctx, (void **)&tr->x, &tr->caprow, tr->nrow + n + 1,
                 FC_NF * sizeof *tr->x) != CASUS_OK ||
        mem_grow(ctx, (void **)&tr->off, &tr->capq, tr->nq + 2,
                 sizeof *tr->off) != CASUS_OK)
        return CASUS_ENOMEM;
    if (tr->nq == 0)
        tr->off[0] = 0;
    memcpy(tr->x + tr->nrow * FC_NF, c->x + (size_t)ts * FC_NF,
           FC_NF * sizeof *tr->x);
    tr->nrow++;
    for (size_t i = 0; i < n; i++) {
        memcpy(tr->x + tr->nrow * FC_NF, c->x + (size_t)v[i].id * FC_NF,
               FC_NF * sizeof *tr->x);
        tr->nrow++;
    }
    tr->nq++;
    tr->off[tr->nq] = tr->nrow;
    return CASUS_OK;
}

/* Softmax regression by full-batch Adam on standardised features. */
static void fit(fc_rules *r, fc_train *tr)
{
    double mu[FC_NF] = {0}, sd[FC_NF] = {0}, w[FC_NF] = {0};
    double m1[FC_NF] = {0}, m2[FC_NF] = {0};
    size_t N = tr->nrow;
    for (size_t i = 0; i < N; i++)
        for (int f = 0; f < FC_NF; f++)
            mu[f] += tr->x[i * FC_NF + f];
    for (int f = 0; f < FC_NF; f++)
        mu[f] /= (double)N;
    for (size_t i = 0; i < N; i++)
        for (int f = 0; f < FC_NF; f++) {
            double z = tr->x[i * FC_NF + f] - mu[f];
            sd[f] += z * z;
        }
    for (int f = 0; f < FC_NF; f++) {
        sd[f] = sqrt(sd[f] / (double)N);
        if (sd[f] < 1e-9)
            sd[f] = 1;
    }
    for (size_t i = 0; i < N; i++)
        for (int f = 0; f < FC_NF; f++)
            tr->x[i * FC_NF + f] =
                (float)((tr->x[i * FC_NF + f] - mu[f]) / sd[f]);
    double loss = 0;
    for (int it = 1; it <= FC_ITERS; it++) {
        double gr[FC_NF] = {0};
        loss = 0;
        for (size_t qn = 0; qn < tr->nq; qn++) {
            size_t a = tr->off[qn], b = tr->off[qn + 1];
            double mx = -INFINITY, z = 0;
            double sc[FC_MAX_ROWS] = {0};
            for (size_t j = a; j < b; j++) {
                const float *x = tr->x + j * FC_NF;
                double v = 0;
                for (int f = 0; f < FC_NF; f++)
                    v += w[f] * x[f];
                sc[j - a] = v;
                if (v > mx)
                    mx = v;
            }
            for (size_t j = a; j < b; j++)
                z += exp(sc[j - a] - mx);
            loss += log(z) + mx - sc[0];
            for (size_t j = a; j < b; j++) {
                double p = exp(sc[j - a] - mx) / z - (j == a);
                const float *x = tr->x + j * FC_NF;
                for (int f = 0; f < FC_NF; f++)
                    gr[f] += p * x[f];
            }
        }
        double bc1 = 1 - pow(0.9, it), bc2 = 1 - pow(0.999, it);
        for (int f = 0; f < FC_NF; f++) {
            double gf = gr[f] / (double)tr->nq + FC_L2 * w[f];
            m1[f] = 0.9 * m1[f] + 0.1 * gf;
            m2[f] = 0.999 * m2[f] + 0.001 * gf * gf;
            w[f] -= FC_LR * (m1[f] / bc1) / (sqrt(m2[f] / bc2) + 1e-8);
        }
        loss /= (double)tr->nq;
    }
    /* Back to raw features; the offset is the same for every candidate of
     * a query and so dropped. */
    for (int f = 0; f < FC_NF; f++) {
        r->w[f] = w[f] / sd[f];
        r->mu[f] = mu[f];
        r->sd[f] = sd[f];
    }
    r->loss = loss;
}

/*
 * Adds the hidden layer to the linear model fitted by fit() (tr->x is
 * standardised by then): mini-batch Adam on all parameters, starting from
 * the linear solution with small random hidden weights, so the hidden units
 * learn what the linear score misses (interactions between recency, rules
 * and popularity).
 */
static casus_status fit_hidden(casus_ctx *ctx, fc_rules *r, fc_train *tr,
                               uint64_t seed)
{
    enum { NP = FC_NF + FC_H * FC_NF + 2 * FC_H };
    double *p = zalloc(ctx, 4 * NP, sizeof *p);
    double *sc = zalloc(ctx, FC_MAX_ROWS * (FC_H + 1), sizeof *sc);
    size_t *order = zalloc(ctx, tr->nq, sizeof *order);
    casus_status st = CASUS_OK;
    if (!p || !order || !sc) {
        st = CASUS_ENOMEM;
        goto done;
    }
    double *gr = p + NP, *m1 = p + 2 * NP, *m2 = p + 3 * NP;
    /* Parameter layout: u (linear, standardised), W, b, v. */
    double *u = p, *W = p + FC_NF, *b = W + FC_H * FC_NF, *v = b + FC_H;
    uint64_t rng = seed ^ 0x5EEDu;
    for (int f = 0; f < FC_NF; f++)
        u[f] = r->w[f] * r->sd[f];
    for (int i = 0; i < FC_H * FC_NF; i++)
        W[i] = ((double)(splitmix(&rng) >> 11) * 0x1p-53 - 0.5) * 0.6 /
               sqrt((double)FC_NF);
    for (int h = 0; h < FC_H; h++)
        v[h] = ((double)(splitmix(&rng) >> 11) * 0x1p-53 - 0.5) * 0.02;
    for (size_t i = 0; i < tr->nq; i++)
        order[i] = i;
    long step = 0;
    double *act = sc + FC_MAX_ROWS; /* FC_H activations per row */
    for (int ep = 0; ep < FC_EPOCHS; ep++) {
        for (size_t i = tr->nq; i > 1; i--) {
            size_t j = (size_t)(splitmix(&rng) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t b0 = 0; b0 < tr->nq; b0 += FC_BATCH) {
            size_t b1 = b0 + FC_BATCH < tr->nq ? b0 + FC_BATCH : tr->nq;
            memset(gr, 0, NP * sizeof *gr);
            for (size_t qi = b0; qi < b1; qi++) {
                size_t qn = order[qi];
                size_t a = tr->off[qn], e = tr->off[qn + 1];
                double mx = -INFINITY, z = 0;
                for (size_t j = a; j < e; j++) {
                    const float *x = tr->x + j * FC_NF;
                    double s1 = 0;
                    for (int f = 0; f < FC_NF; f++)
                        s1 += u[f] * x[f];
                    for (int h = 0; h < FC_H; h++) {
                        double pre = b[h];
                        const double *wh = W + h * FC_NF;
                        for (int f = 0; f < FC_NF; f++)
                            pre += wh[f] * x[f];
                        act[(j - a) * FC_H + h] = tanh(pre);
                        s1 += v[h] * act[(j - a) * FC_H + h];
                    }
                    sc[j - a] = s1;
                    if (s1 > mx)
                        mx = s1;
                }
                for (size_t j = a; j < e; j++)
                    z += exp(sc[j - a] - mx);
                for (size_t j = a; j < e; j++) {
                    double g = exp(sc[j - a] - mx) / z - (j == a);
                    const float *x = tr->x + j * FC_NF;
                    for (int f = 0; f < FC_NF; f++)
                        gr[f] += g * x[f];
                    for (int h = 0; h < FC_H; h++) {
                        double ah = act[(j - a) * FC_H + h];
                        gr[FC_NF + FC_H * FC_NF + FC_H + h] += g * ah;
                        double dp = g * v[h] * (1 - ah * ah);
                        double *gw = gr + FC_NF + h * FC_NF;
                        for (int f = 0; f < FC_NF; f++)
                            gw[f] += dp * x[f];
                        gr[FC_NF + FC_H * FC_NF + h] += dp;
                    }
                }
            }
            step++;
            double bc1 = 1 - pow(0.9, (double)step);
            double bc2 = 1 - pow(0.999, (double)step);
            for (int k = 0; k < NP; k++) {
                double gk = gr[k] / (double)(b1 - b0) + FC_L2 * p[k];
                m1[k] = 0.9 * m1[k] + 0.1 * gk;
                m2[k] = 0.999 * m2[k] + 0.001 * gk * gk;
                p[k] -= FC_LR2 * (m1[k] / bc1) / (sqrt(m2[k] / bc2) + 1e-8);
            }
        }
    }
    for (int f = 0; f < FC_NF; f++)
        r->w[f] = u[f] / r->sd[f];
    for (int h = 0; h < FC_H; h++) {
        for (int f = 0; f < FC_NF; f++)
            r->W[h][f] = W[h * FC_NF + f];
        r->b[h] = b[h];
        r->v[h] = v[h];
    }
    r->hidden = 1;
done:
    mem_free(ctx, p);
    mem_free(ctx, sc);
    mem_free(ctx, order);
    return st;
}

casus_status fc_rules_learn(casus_ctx *ctx, const casus_forecast_data *d,
                            const fc_graph *g, int split, uint64_t seed,
                            fc_rules **out)
{
    casus_status st = CASUS_OK;
    fc_rules *r = NULL;
    fc_stream s;
    fc_cands c;
    fc_train tr;
    uint32_t R2 = 2 * d->n_rel;
    *out = NULL;
    memset(&s, 0, sizeof s);
    memset(&c, 0, sizeof c);
    memset(&tr, 0, sizeof tr);
    size_t nlearn = 0;
    for (int sp = 0; sp < split; sp++)
        nlearn += d->n_quad[sp];
    if (split <= FC_TRAIN || nlearn == 0)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "forecast: no facts before the %s split to learn "
                        "from", split == FC_TRAIN ? "train" :
                        split == FC_VALID ? "valid" : "test");
    /* The split starts at t_end; learning facts are all before it. */
    int32_t t_end = INT32_MAX, t_last = 0;
    for (int sp = 0; sp < split; sp++)
        if (d->n_quad[sp])
            t_last = d->quad[sp][d->n_quad[sp] - 1].t;
    if (d->n_quad[split])
        t_end = d->quad[split][0].t;
    if (t_end == INT32_MAX || t_end <= t_last)
        t_end = t_last + 1;
    int32_t t_lo = t_end - (int32_t)FC_WINDOW * d->step;
    r = mem_alloc(ctx, sizeof *r);
    if (!r)
        return CASUS_ENOMEM;
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->n_rel2 = R2;
    r->conf = zalloc(ctx, (size_t)R2 * R2, sizeof *r->conf);
    if (!r->conf) {
        st = CASUS_ENOMEM;
        goto done;
    }
    /* Training queries, with features from rules learned before them. */
    st = learn_conf(ctx, g, R2, t_lo, r->conf);
    if (st == CASUS_OK)
        st = fc_stream_init(ctx, d, 1, &s);
    if (st == CASUS_OK)
        st = fc_cands_init(ctx, d->n_ent, R2, &c);
    if (st != CASUS_OK)
        goto done;
    size_t nwin = 0;
    for (int sp = 0; sp < split; sp++)
        for (size_t i = 0; i < d->n_quad[sp]; i++)
            if (d->quad[sp][i].t >= t_lo)
                nwin++;
    uint64_t rng = seed;
    for (int sp = 0; sp < split && st == CASUS_OK; sp++) {
        const fc_quad *qs = d->quad[sp];
        size_t nq = d->n_quad[sp];
        for (size_t a = 0; a < nq && st == CASUS_OK;) {
            int32_t t = qs[a].t;
            size_t b = a;
            while (b < nq && qs[b].t == t)
                b++;
            if (t < t_lo) {
                a = b;
                continue;
            }
            fc_stream_advance(&s, t);
            for (size_t i = a; i < b && st == CASUS_OK; i++) {
                /* Keep each fact with probability FC_TRAIN_FACTS / nwin. */
                if (nwin > FC_TRAIN_FACTS &&
                    (double)(splitmix(&rng) >> 11) * 0x1p-53 * (double)nwin >=
                        FC_TRAIN_FACTS)
                    continue;
                for (int dir = 0; dir < 2 && st == CASUS_OK; dir++) {
                    uint32_t subj = dir ? qs[i].o : qs[i].s;
                    uint32_t q = dir ? qs[i].r + d->n_rel : qs[i].r;
                    uint32_t target = dir ? qs[i].s : qs[i].o;
                    fc_cands_reset(&c);
                    features(r->conf, g, &s, subj, q, t, &c);
                    /* The time filter, on the facts of this time. */
                    for (size_t j = a; j < b; j++) {
                        uint32_t js = dir ? qs[j].o : qs[j].s;
                        uint32_t jo = dir ? qs[j].s : qs[j].o;
                        if (js == subj && qs[j].r == qs[i].r && jo != target)
                            c.mark[jo] = 1;
                    }
                    st = add_query(ctx, &tr, &c, target, &r->n_skipped);
                    for (size_t j = a; j < b; j++)
                        c.mark[dir ? qs[j].s : qs[j].o] = 0;
                }
            }
            a = b;
        }
    }
    if (st != CASUS_OK)
        goto done;
    if (tr.nq >= FC_MIN_TRAIN) {
        fit(r, &tr);
        if (FC_EPOCHS > 0 && (st = fit_hidden(ctx, r, &tr, seed)) != CASUS_OK)
            goto done;
    } else
        memcpy(r->w, default_w, sizeof r->w);
    r->n_train = tr.nq >= FC_MIN_TRAIN ? tr.nq : 0;
    /* Rules for forecasting: everything before the split. */
    st = learn_conf(ctx, g, R2, t_end, r->conf);
    if (st != CASUS_OK)
        goto done;
    if (r->n_train)
        snprintf(r->desc, sizeof r->desc,
                 "train_queries=%zu (+%zu without candidate) loss=%.4f",
                 r->n_train, r->n_skipped, r->loss);
    else
        snprintf(r->desc, sizeof r->desc,
                 "default weights (%zu training queries, under %d)", tr.nq,
                 FC_MIN_TRAIN);
    *out = r;
    r = NULL;
done:
    mem_free(ctx, tr.x);
    mem_free(ctx, tr.off);
    fc_cands_free(ctx, &c);
    fc_stream_free(&s);
    fc_rules_free(r);
    return st;
}
