/*
 * forecast.c - who strikes whom next: temporal knowledge graph forecasting.
 *
 * The last stage of the pipeline: dated facts (subject, relation, object,
 * time), read by forecast_data.c, become ranked forecasts for queries
 * (s, r, ?, t) and (?, r, o, t), each with its explanation. Methods:
 *
 *   strict    Gastinger et al. 2024's psi: objects seen before with the
 *             same subject and relation, scored sum_t' 2^(lambda (t' - t));
 *   relaxed   their xi: the share of each object among the relation's
 *             objects in the history;
 *   combined  alpha psi + (1 - alpha) xi, lambda and alpha tuned on valid;
 *   casus     a log-linear ranker over evidence features: strict and
 *             inverse recurrency at three recency rates, length-1 temporal
 *             rules "q(X,Y) <= b(X,Y)" with confidences learned from the
 *             history (as TLogic's cyclic rules), relaxed recurrency and
 *             entity activity. Weights (the recency weighting among them)
 *             are fitted by softmax regression on the last stretch of the
 *             learning facts (forecast_rules.c does features and rules).
 *
 * Key structures (all built once per model, no per-fact allocation):
 *   fc_graph   every fact twice, (s, r, o) and (o, r + R, s), in one CSR
 *              array by subject, each subject's edges in time order, so
 *              "history before t" is a prefix found by binary search;
 *   fc_stream  running counts over time (relation x object counts, decayed
 *              entity activity) advanced fact by fact as queries move on;
 *   fc_cands   the candidate set of one query: a slot per entity and a
 *              dense list of touched candidates, reset after the query.
 *
 * Evaluation follows Gastinger et al. exactly (see casus.h) but computes the
 * random tie-break in closed form, so results are deterministic.
 */
#include "forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctx.h"
#include "forecast_rules.h"
#include "util/buf.h"
#include "util/mem.h"

/* Gastinger et al.'s grids (parameter_selection_dataset.py). */
static const double lambda_grid[] = {0,    0.0001, 0.0005, 0.001, 0.005,
                                     0.01, 0.02,   0.04,   0.06,  0.08,
                                     0.1,  0.5,    0.9,    1.0001};
static const double alpha_grid[] = {0,      0.00001, 0.0001, 0.001, 0.01,
                                    0.1,    0.5,     0.9,    0.99,  0.999,
                                    0.9999, 0.99999, 1};

struct casus_forecast_model {
    casus_ctx *ctx;
    const casus_forecast_data *d;
    casus_forecast_options opt;
    fc_graph g;
    fc_rules *rules;         /* casus method only */
    double lambda, alpha;
    double learn_seconds;
    char desc[256];
    double *harm;            /* harm[k] = 1 + 1/2 + ... + 1/k */
};

/* ---------------------------------------------------------------- names */

casus_status casus_forecast_split_parse(const char *name,
                                        casus_forecast_split *out)
{
    static const char *const n[] = {"train", "valid", "test"};
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, n[i]) == 0) {
            *out = (casus_forecast_split)i;
            return CASUS_OK;
        }
    return CASUS_EINVAL;
}

const char *casus_forecast_split_name(casus_forecast_split split)
{
    switch (split) {
    case CASUS_FORECAST_TRAIN: return "train";
    case CASUS_FORECAST_VALID: return "valid";
    case CASUS_FORECAST_TEST: return "test";
    }
    return "?";
}

casus_status casus_forecast_method_parse(const char *name,
                                         casus_forecast_method *out)
{
    static const char *const n[] = {"strict", "relaxed", "combined", "casus"};
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, n[i]) == 0) {
            *out = (casus_forecast_method)i;
            return CASUS_OK;
        }
    return CASUS_EINVAL;
}

const char *casus_forecast_method_name(casus_forecast_method m)
{
    switch (m) {
    case CASUS_FORECAST_STRICT: return "strict";
    case CASUS_FORECAST_RELAXED: return "relaxed";
    case CASUS_FORECAST_COMBINED: return "combined";
    case CASUS_FORECAST_RULES: return "casus";
    }
    return "?";
}

void casus_forecast_options_init(casus_forecast_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = CASUS_FORECAST_RULES;
    o->split = CASUS_FORECAST_TEST;
    o->lambda = -1;
    o->alpha = -1;
    o->top_k = 100;
    o->seed = 20240803u;
}

/* ---------------------------------------------------------------- ranks */

static double harmonic(size_t k)
{
    /* Exact sum for small k, asymptotic expansion beyond (error < 1e-15). */
    if (k < 64) {
        double h = 0;
        for (size_t i = 1; i <= k; i++)
            h += 1.0 / (double)i;
        return h;
    }
    double x = (double)k;
    return log(x) + 0.57721566490153286061 + 1 / (2 * x) -
           1 / (12 * x * x) + 1 / (120 * x * x * x * x);
}

void fc_expected_rank(size_t higher, size_t equal, double *rr, double hits[3])
{
    static const size_t K[3] = {1, 3, 10};
    size_t m = equal + 1;
    *rr = (harmonic(higher + m) - harmonic(higher)) / (double)m;
    for (int i = 0; i < 3; i++) {
        size_t in = K[i] > higher ? K[i] - higher : 0;
        if (in > m)
            in = m;
        hits[i] = (double)in / (double)m;
    }
}

typedef struct fc_sums {
    double n, rr, h[3];
} fc_sums;

static void sums_add(fc_sums *s, double rr, const double h[3])
{
    s->n += 1;
    s->rr += rr;
    for (int i = 0; i < 3; i++)
        s->h[i] += h[i];
}

static casus_forecast_metrics sums_metrics(const fc_sums *s)
{
    casus_forecast_metrics m = {0, 0, 0, 0, 0};
    m.n = (size_t)s->n;
    if (s->n > 0) {
        m.mrr = s->rr / s->n;
        m.hits1 = s->h[0] / s->n;
        m.hits3 = s->h[1] / s->n;
        m.hits10 = s->h[2] / s->n;
    }
    return m;
}

/* ---------------------------------------------------------------- scoring */

/* The sum over every time step u in [tmin, tmax) of 2^(lambda (u - t)):
 * the normaliser of psi in Gastinger et al.'s code, which puts psi on the
 * scale of xi in the combined score. */
static double psi_norm(double lambda, int32_t tmin, int32_t tmax, int32_t t,
                       double step)
{
    double n = ((double)tmax - (double)tmin) / step, s;
    if (n <= 0)
        return 1e-15;
    if (lambda == 0)
        s = n;
    else {
        double x = exp2(lambda);
        s = exp2(lambda * ((double)tmin - (double)t) / step) * (pow(x, n) - 1) /
            (x - 1);
    }
    return s > 1e-15 ? s : 1e-15;
}

/* Scores one query into c (cands_reset first) for the baselines. */
static void score_baseline(casus_forecast_model *m, const fc_stream *st,
                           casus_forecast_method method, double lambda,
                           double alpha, uint32_t s, uint32_t q, int32_t t,
                           fc_cands *c)
{
    const fc_graph *g = &m->g;
    double wp = 1, wx = 0, step = m->d->step;
    if (method == CASUS_FORECAST_RELAXED) {
        wp = 0;
        wx = 1;
    } else if (method == CASUS_FORECAST_COMBINED) {
        wp = alpha / psi_norm(lambda, st->tmin, st->tmax, t, step);
        wx = 1 - alpha;
    }
    if (wp > 0) {
        size_t a = g->off[s], b = fc_graph_before(g, s, t);
        for (size_t i = a; i < b; i++) {
            const fc_edge *e = &g->e[i];
            if (e->r != q)
                continue;
            size_t k = fc_cands_touch(c, e->o);
            c->score[k] +=
                wp * exp2(lambda * ((double)e->t - (double)t) / step);
        }
    }
    if (wx > 0 && st->tot[q] > 0) {
        double inv = wx / st->tot[q];
        for (uint32_t k = st->seen_head[q]; k != UINT32_MAX;
             k = st->seen_next[k]) {
            uint32_t o = st->seen_val[k];
            size_t j = fc_cands_touch(c, o);
            c->score[j] += inv * st->cnt[(size_t)q * st->n_ent + o];
        }
    }
}

static void score_query(casus_forecast_model *m, const fc_stream *st,
                        casus_forecast_method method, double lambda,
                        double alpha, uint32_t s, uint32_t q, int32_t t,
                        fc_cands *c)
{
    fc_cands_reset(c);
    if (method == CASUS_FORECAST_RULES) {
        c->base = -INFINITY;
        fc_rules_score(m->rules, &m->g, st, s, q, t, c);
    } else {
        c->base = 0;
        score_baseline(m, st, method, lambda, alpha, s, q, t, c);
    }
}

/* ---------------------------------------------------------------- eval */

/* The answers of one time group, (s, q, o) sorted, for the time filter. */
typedef struct fc_answers {
    fc_quad *v;
    size_t n, cap;
} fc_answers;

static int answer_cmp(const void *a, const void *b)
{
    const fc_quad *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    if (x->o != y->o)
        return x->o < y->o ? -1 : 1;
    return 0;
}

static casus_status answers_build(casus_ctx *ctx, fc_answers *a,
                                  const fc_quad *q, size_t n, uint32_t R)
{
    if (mem_grow(ctx, (void **)&a->v, &a->cap, 2 * n, sizeof *a->v) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    a->n = 0;
    for (size_t i = 0; i < n; i++) {
        fc_quad x = {q[i].s, q[i].r, q[i].o, q[i].t};
        fc_quad y = {q[i].o, q[i].r + R, q[i].s, q[i].t};
        a->v[a->n++] = x;
        a->v[a->n++] = y;
    }
    qsort(a->v, a->n, sizeof *a->v, answer_cmp);
    return CASUS_OK;
}

/* The first answer with key (s, q), or a->n. */
static size_t answers_find(const fc_answers *a, uint32_t s, uint32_t q)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fc_quad *x = &a->v[mid];
        if (x->s < s || (x->s == s && x->r < q))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Ranks target among all entities: untouched entities score c->base; other
 * true answers of (s, q) at this time are filtered out. Uses c->mark.
 */
static void rank_target(fc_cands *c, const fc_answers *ans, uint32_t s,
                        uint32_t q, uint32_t target, double *rr,
                        double hits[3])
{
    size_t n_marked = 0, higher = 0, equal = 0, others = 0;
    size_t a0 = answers_find(ans, s, q);
    for (size_t i = a0; i < ans->n && ans->v[i].s == s && ans->v[i].r == q;
         i++) {
        uint32_t o = ans->v[i].o;
        if (o == target || c->mark[o])
            continue;
        c->mark[o] = 1;
        n_marked++;
    }
    int32_t ts = c->slot[target];
    double st = ts >= 0 ? c->score[ts] : c->base;
    for (size_t k = 0; k < c->n; k++) {
        uint32_t e = c->id[k];
        if (e == target || c->mark[e])
            continue;
        others++;
        if (c->score[k] > st)
            higher++;
        else if (c->score[k] == st)
            equal++;
    }
    /* Every other entity is filtered, a touched candidate or untouched. */
    size_t untouched = (size_t)c->n_ent - 1 - n_marked - others;
    if (c->base > st)
        higher += untouched;
    else if (c->base == st)
        equal += untouched;
    for (size_t i = a0; i < ans->n && ans->v[i].s == s && ans->v[i].r == q;
         i++)
        c->mark[ans->v[i].o] = 0;
    fc_expected_rank(higher, equal, rr, hits);
}

static int scored_cmp(const void *a, const void *b)
{
    const fc_scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorts the candidates that score above the base into c->sorted. */
static size_t cands_sort(fc_cands *c)
{
    size_t n = 0;
    fc_scored *v = c->sorted;
    for (size_t k = 0; k < c->n; k++)
        if (c->score[k] > c->base) {
            v[n].score = c->score[k];
            v[n].id = c->id[k];
            n++;
        }
    qsort(v, n, sizeof *v, scored_cmp);
    return n;
}

static casus_status sink_put(casus_ctx *ctx, casus_sink *out, const buf *b)
{
    if (b->n && out->write(out->ud, b->p, b->n) != 0)
        return ctx_fail(ctx, CASUS_EIO, "forecast: cannot write the output");
    return CASUS_OK;
}

static casus_status write_top(casus_ctx *ctx, casus_sink *out, buf *b,
                              fc_cands *c, size_t qi, char dir, unsigned k)
{
    size_t n = cands_sort(c);
    const fc_scored *v = c->sorted;
    if (n > k)
        n = k;
    for (size_t i = 0; i < n; i++)
        if (buf_printf(ctx, b, "%zu\t%c\t%u\t%.9g\n", qi, dir, v[i].id,
                       v[i].score) != CASUS_OK)
            return CASUS_ENOMEM;
    if (b->n >= 1 << 16) {
        casus_status st = sink_put(ctx, out, b);
        buf_reset(b);
        return st;
    }
    return CASUS_OK;
}

/* Evaluates one method with given parameters on split sp. */
static casus_status run_split(casus_forecast_model *m, int sp,
                              casus_forecast_method method, double lambda,
                              double alpha, casus_sink *pred,
                              casus_forecast_result *res)
{
    casus_ctx *ctx = m->ctx;
    const casus_forecast_data *d = m->d;
    casus_status st;
    fc_stream s;
    fc_cands c;
    fc_answers ans = {NULL, 0, 0};
    buf out = BUF_INIT;
    fc_sums sum[2];
    size_t n_empty = 0;
    memset(sum, 0, sizeof sum);
    memset(&c, 0, sizeof c);
    st = fc_stream_init(ctx, d, method == CASUS_FORECAST_RULES, &s);
    if (st == CASUS_OK)
        st = fc_cands_init(ctx, d->n_ent, 2 * d->n_rel, &c);
    const fc_quad *qs = d->quad[sp];
    size_t nq = d->n_quad[sp];
    for (size_t a = 0; st == CASUS_OK && a < nq;) {
        int32_t t = qs[a].t;
        size_t b = a;
        while (b < nq && qs[b].t == t)
            b++;
        fc_stream_advance(&s, t);
        st = answers_build(ctx, &ans, qs + a, b - a, d->n_rel);
        for (size_t i = a; st == CASUS_OK && i < b; i++)
            for (int dir = 0; dir < 2 && st == CASUS_OK; dir++) {
                uint32_t subj = dir ? qs[i].o : qs[i].s;
                uint32_t q = dir ? qs[i].r + d->n_rel : qs[i].r;
                uint32_t target = dir ? qs[i].s : qs[i].o;
                double rr, h[3];
                score_query(m, &s, method, lambda, alpha, subj, q, t, &c);
                if (c.n == 0)
                    n_empty++;
                rank_target(&c, &ans, subj, q, target, &rr, h);
                sums_add(&sum[dir], rr, h);
                if (pred)
                    st = write_top(ctx, pred, &out, &c, i, dir ? 's' : 'o',
                                   m->opt.top_k);
            }
        a = b;
    }
    if (st == CASUS_OK && pred)
        st = sink_put(ctx, pred, &out);
    if (st == CASUS_OK && res) {
        fc_sums all = sum[0];
        all.n += sum[1].n;
        all.rr += sum[1].rr;
        for (int i = 0; i < 3; i++)
            all.h[i] += sum[1].h[i];
        res->object = sums_metrics(&sum[0]);
        res->subject = sums_metrics(&sum[1]);
        res->all = sums_metrics(&all);
        res->n_empty = n_empty;
    }
    buf_free(ctx, &out);
    mem_free(ctx, ans.v);
    fc_cands_free(ctx, &c);
    fc_stream_free(&s);
    return st;
}

/* ---------------------------------------------------------------- models */

void casus_forecast_model_free(casus_forecast_model *m)
{
    if (!m)
        return;
    casus_ctx *ctx = m->ctx;
    fc_graph_free(ctx, &m->g);
    fc_rules_free(m->rules);
    mem_free(ctx, m);
}

const char *casus_forecast_model_describe(const casus_forecast_model *m)
{
    return m->desc;
}

/* Tunes lambda (strict) on valid by MRR over Gastinger et al.'s grid. */
static casus_status tune_lambda(casus_forecast_model *m, double *best)
{
    double bm = -1;
    for (size_t i = 0; i < sizeof lambda_grid / sizeof *lambda_grid; i++) {
        casus_forecast_result r;
        casus_status st = run_split(m, FC_VALID, CASUS_FORECAST_STRICT,
                                    lambda_grid[i], 1, NULL, &r);
        if (st != CASUS_OK)
            return st;
        if (r.all.mrr > bm) {
            bm = r.all.mrr;
            *best = lambda_grid[i];
        }
    }
    return CASUS_OK;
}

static casus_status tune_alpha(casus_forecast_model *m, double lambda,
                               double *best)
{
    double bm = -1;
    for (size_t i = 0; i < sizeof alpha_grid / sizeof *alpha_grid; i++) {
        casus_forecast_result r;
        casus_status st = run_split(m, FC_VALID, CASUS_FORECAST_COMBINED,
                                    lambda, alpha_grid[i], NULL, &r);
        if (st != CASUS_OK)
            return st;
        if (r.all.mrr > bm) {
            bm = r.all.mrr;
            *best = alpha_grid[i];
        }
    }
    return CASUS_OK;
}

casus_status casus_forecast_model_learn(casus_ctx *ctx,
                                        const casus_forecast_data *d,
                                        const casus_forecast_options *opt,
                                        casus_forecast_model **out)
{
    casus_status st = CASUS_OK;
    casus_forecast_model *m = NULL;
    clock_t c0 = clock();
    *out = NULL;
    m = mem_alloc(ctx, sizeof *m);
    if (!m)
        return CASUS_ENOMEM;
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
    m->d = d;
    if (opt)
        m->opt = *opt;
    else
        casus_forecast_options_init(&m->opt);
    const casus_forecast_options *o = &m->opt;
    if ((int)o->method < 0 || o->method > CASUS_FORECAST_RULES) {
        st = ctx_fail(ctx, CASUS_EINVAL, "forecast: unknown method");
        goto done;
    }
    if ((int)o->split < 0 || (int)o->split >= FC_NSPLIT) {
        st = ctx_fail(ctx, CASUS_EINVAL, "forecast: unknown split");
        goto done;
    }
    if (o->top_k == 0)
        m->opt.top_k = 100;
    m->lambda = o->lambda;
    m->alpha = o->alpha;
    st = fc_graph_build(ctx, d, &m->g);
    if (st != CASUS_OK)
        goto done;
    int need_lambda = o->method == CASUS_FORECAST_STRICT ||
                      o->method == CASUS_FORECAST_COMBINED;
    int need_alpha = o->method == CASUS_FORECAST_COMBINED;
    if (((need_lambda && m->lambda < 0) || (need_alpha && m->alpha < 0)) &&
        d->n_quad[FC_VALID] == 0) {
        st = ctx_fail(ctx, CASUS_EINVAL,
                      "forecast: valid.txt is empty: nothing to tune on");
        goto done;
    }
    if (need_lambda && m->lambda < 0 &&
        (st = tune_lambda(m, &m->lambda)) != CASUS_OK)
        goto done;
    if (need_alpha && m->alpha < 0 &&
        (st = tune_alpha(m, m->lambda, &m->alpha)) != CASUS_OK)
        goto done;
    switch (o->method) {
    case CASUS_FORECAST_STRICT:
        snprintf(m->desc, sizeof m->desc, "strict lambda=%g", m->lambda);
        break;
    case CASUS_FORECAST_RELAXED:
        snprintf(m->desc, sizeof m->desc, "relaxed");
        break;
    case CASUS_FORECAST_COMBINED:
        snprintf(m->desc, sizeof m->desc, "combined lambda=%g alpha=%g",
                 m->lambda, m->alpha);
        break;
    case CASUS_FORECAST_RULES:
        st = fc_rules_learn(ctx, d, &m->g, (int)o->split, o->seed, &m->rules);
        if (st != CASUS_OK)
            goto done;
        snprintf(m->desc, sizeof m->desc, "casus %s",
                 fc_rules_describe(m->rules));
        break;
    }
    m->learn_seconds = (double)(clock() - c0) / CLOCKS_PER_SEC;
    *out = m;
    m = NULL;
done:
    casus_forecast_model_free(m);
    return st;
}

casus_status casus_forecast_model_eval(casus_forecast_model *m,
                                       casus_sink *predictions,
                                       casus_forecast_result *out)
{
    casus_forecast_result r;
    memset(&r, 0, sizeof r);
    clock_t c0 = clock();
    casus_status st = run_split(m, (int)m->opt.split, m->opt.method,
                                m->lambda, m->alpha, predictions, &r);
    r.eval_seconds = (double)(clock() - c0) / CLOCKS_PER_SEC;
    r.learn_seconds = m->learn_seconds;
    snprintf(r.params, sizeof r.params, "%s", m->desc);
    if (out)
        *out = r;
    return st;
}

casus_status casus_forecast_eval(casus_ctx *ctx,
                                 const casus_forecast_data *data,
                                 const casus_forecast_options *opt,
                                 casus_sink *predictions,
                                 casus_forecast_result *out)
{
    casus_forecast_model *m = NULL;
    casus_status st = casus_forecast_model_learn(ctx, data, opt, &m);
    if (st == CASUS_OK)
        st = casus_forecast_model_eval(m, predictions, out);
    casus_forecast_model_free(m);
    return st;
}

/* ---------------------------------------------------------------- explain */

/* Appends a JSON string with the name of entity or relation id. */
static casus_status json_name(casus_ctx *ctx, buf *b, const char *name)
{
    if (buf_putc(ctx, b, '"') != CASUS_OK ||
        buf_json_escape(ctx, b, name, strlen(name)) != CASUS_OK ||
        buf_putc(ctx, b, '"') != CASUS_OK)
        return CASUS_ENOMEM;
    return CASUS_OK;
}

/* "Name(a,b)" for relation q of the doubled graph (inverse: Name(b,a)). */
static casus_status json_atom(casus_ctx *ctx, buf *b,
                              const casus_forecast_data *d, uint32_t q,
                              const char *x, const char *y)
{
    uint32_t r = q < d->n_rel ? q : q - d->n_rel;
    const char *name = casus_forecast_relation_name(d, r);
    if (buf_json_escape(ctx, b, name, strlen(name)) != CASUS_OK)
        return CASUS_ENOMEM;
    return buf_printf(ctx, b, "(%s,%s)", q < d->n_rel ? x : y,
                      q < d->n_rel ? y : x);
}

static casus_status json_fact(casus_ctx *ctx, buf *b,
                              const casus_forecast_data *d, uint32_t s,
                              uint32_t q, uint32_t o, int32_t t)
{
    uint32_t r = q;
    if (q >= d->n_rel) {
        uint32_t x = s;
        s = o;
        o = x;
        r = q - d->n_rel;
    }
    casus_status st = buf_puts(ctx, b, "{\"subject\":");
    if (st == CASUS_OK)
        st = json_name(ctx, b, casus_forecast_entity_name(d, s));
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, ",\"relation\":");
    if (st == CASUS_OK)
        st = json_name(ctx, b, casus_forecast_relation_name(d, r));
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, ",\"object\":");
    if (st == CASUS_OK)
        st = json_name(ctx, b, casus_forecast_entity_name(d, o));
    if (st == CASUS_OK)
        st = buf_printf(ctx, b, ",\"time\":%ld}", (long)t);
    return st;
}

/* Two-hop evidence for candidate o: a recent partner Z of subj (its last
 * 200 contacts) that did q to o (in Z's last 200 edges); at most 3. */
static casus_status json_two_hops(casus_forecast_model *m, buf *b,
                                  uint32_t subj, uint32_t q, uint32_t o,
                                  int32_t t, int n, casus_status st)
{
    casus_ctx *ctx = m->ctx;
    const casus_forecast_data *d = m->d;
    const fc_graph *g = &m->g;
    uint32_t seen[3];
    int n2 = 0;
    size_t a = g->off[subj], e = fc_graph_before(g, subj, t);
    size_t lo = e - a > 200 ? e - 200 : a;
    for (size_t i = e; st == CASUS_OK && i > lo && n2 < 3; i--) {
        const fc_edge *x = &g->e[i - 1];
        uint32_t z = x->o;
        int dup = z == o || z == subj;
        for (int k = 0; k < n2; k++)
            dup |= seen[k] == z;
        if (dup)
            continue;
        size_t za = g->off[z], ze = fc_graph_before(g, z, t);
        size_t zlo = ze - za > 200 ? ze - 200 : za;
        for (size_t j = ze; j > zlo && st == CASUS_OK; j--) {
            const fc_edge *y = &g->e[j - 1];
            if (y->r != q || y->o != o)
                continue;
            st = buf_puts(ctx, b, n + n2 ? ",{\"rule\":\"" : "{\"rule\":\"");
            if (st == CASUS_OK)
                st = json_atom(ctx, b, d, q, "X", "Y");
            if (st == CASUS_OK)
                st = buf_puts(ctx, b, " <= ");
            if (st == CASUS_OK)
                st = json_atom(ctx, b, d, x->r, "X", "Z");
            if (st == CASUS_OK)
                st = buf_puts(ctx, b, ", ");
            if (st == CASUS_OK)
                st = json_atom(ctx, b, d, q, "Z", "Y");
            if (st == CASUS_OK)
                st = buf_puts(ctx, b, "\",\"facts\":[");
            if (st == CASUS_OK)
                st = json_fact(ctx, b, d, subj, x->r, z, x->t);
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, ',');
            if (st == CASUS_OK)
                st = json_fact(ctx, b, d, z, q, o, y->t);
            if (st == CASUS_OK)
                st = buf_puts(ctx, b, "]}");
            seen[n2++] = z;
            break;
        }
    }
    return st;
}

/* The evidence for candidate o: the dated facts between s and o that fired
 * (most recent first, at most 5) with their rule and its confidence, and the
 * relaxed count. */
static casus_status json_evidence(casus_forecast_model *m, const fc_stream *s,
                                  buf *b, uint32_t subj, uint32_t q,
                                  uint32_t o, int32_t t)
{
    casus_ctx *ctx = m->ctx;
    const casus_forecast_data *d = m->d;
    const fc_graph *g = &m->g;
    casus_status st = buf_puts(ctx, b, "\"evidence\":[");
    int n = 0;
    int strict_only = m->opt.method != CASUS_FORECAST_RULES;
    size_t a = g->off[subj], e = fc_graph_before(g, subj, t);
    for (size_t i = e; st == CASUS_OK && i > a && n < 5; i--) {
        const fc_edge *x = &g->e[i - 1];
        if (x->o != o || (strict_only && x->r != q))
            continue;
        if (m->opt.method == CASUS_FORECAST_RELAXED)
            break;
        double conf = m->rules ? fc_rules_conf(m->rules, q, x->r) : 1;
        if (conf <= 0 && x->r != q)
            continue;
        st = buf_puts(ctx, b, n ? ",{\"rule\":\"" : "{\"rule\":\"");
        if (st == CASUS_OK)
            st = json_atom(ctx, b, d, q, "X", "Y");
        if (st == CASUS_OK)
            st = buf_puts(ctx, b, " <= ");
        if (st == CASUS_OK)
            st = json_atom(ctx, b, d, x->r, "X", "Y");
        if (st == CASUS_OK)
            st = buf_printf(ctx, b, "\",\"confidence\":%.4g,\"fact\":",
                            conf);
        if (st == CASUS_OK)
            st = json_fact(ctx, b, d, subj, x->r, o, x->t);
        if (st == CASUS_OK)
            st = buf_putc(ctx, b, '}');
        n++;
    }
    if (m->opt.method == CASUS_FORECAST_RULES)
        st = json_two_hops(m, b, subj, q, o, t, n, st);
    if (st == CASUS_OK)
        st = buf_printf(ctx, b,
                        "],\"relation_object_count\":%.0f,"
                        "\"relation_count\":%.0f",
                        s->cnt[(size_t)q * s->n_ent + o], s->tot[q]);
    return st;
}

casus_status casus_forecast_explain(casus_forecast_model *m, size_t qi,
                                    char direction, unsigned k,
                                    casus_sink *out)
{
    casus_ctx *ctx = m->ctx;
    const casus_forecast_data *d = m->d;
    int sp = (int)m->opt.split;
    casus_status st;
    fc_stream s;
    fc_cands c;
    buf b = BUF_INIT;
    fc_answers ans = {NULL, 0, 0};
    if (qi >= d->n_quad[sp] || (direction != 'o' && direction != 's'))
        return ctx_fail(ctx, CASUS_EINVAL,
                        "forecast: no query %zu%c in %s (%zu facts)", qi,
                        direction, casus_forecast_split_name(m->opt.split),
                        d->n_quad[sp]);
    memset(&c, 0, sizeof c);
    const fc_quad *f = &d->quad[sp][qi];
    int dir = direction == 's';
    uint32_t subj = dir ? f->o : f->s, target = dir ? f->s : f->o;
    uint32_t q = dir ? f->r + d->n_rel : f->r;
    st = fc_stream_init(ctx, d, m->opt.method == CASUS_FORECAST_RULES, &s);
    if (st == CASUS_OK)
        st = fc_cands_init(ctx, d->n_ent, 2 * d->n_rel, &c);
    if (st != CASUS_OK)
        goto done;
    fc_stream_advance(&s, f->t);
    /* The time filter needs the other answers at t. */
    size_t a = qi, z = qi;
    while (a > 0 && d->quad[sp][a - 1].t == f->t)
        a--;
    while (z < d->n_quad[sp] && d->quad[sp][z].t == f->t)
        z++;
    st = answers_build(ctx, &ans, d->quad[sp] + a, z - a, d->n_rel);
    if (st != CASUS_OK)
        goto done;
    score_query(m, &s, m->opt.method, m->lambda, m->alpha, subj, q, f->t, &c);
    double rr, h[3];
    rank_target(&c, &ans, subj, q, target, &rr, h);
    size_t n = cands_sort(&c);
    const fc_scored *v = c.sorted;
    if (n > k)
        n = k;
    if (n == 0) {
        st = buf_printf(ctx, &b, "{\"query\":%zu,\"direction\":\"%c\","
                                 "\"candidates\":[],\"reason\":",
                        qi, direction);
        if (st == CASUS_OK)
            st = json_name(ctx, &b,
                           s.n_hist == 0
                               ? "no facts before this time"
                               : "no fact before this time involves the "
                                 "query entity or the relation");
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, ",\"answer_reciprocal_rank\":%.6g}\n",
                            rr);
    }
    for (size_t i = 0; st == CASUS_OK && i < n; i++) {
        st = buf_printf(ctx, &b,
                        "{\"query\":%zu,\"direction\":\"%c\",\"query_entity\":",
                        qi, direction);
        if (st == CASUS_OK)
            st = json_name(ctx, &b, casus_forecast_entity_name(d, subj));
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"query_relation\":\"");
        if (st == CASUS_OK)
            st = json_atom(ctx, &b, d, q, "X", "Y");
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, "\",\"time\":%ld,\"rank\":%zu,"
                                     "\"candidate_id\":%u,\"candidate\":",
                            (long)f->t, i + 1, v[i].id);
        if (st == CASUS_OK)
            st = json_name(ctx, &b, casus_forecast_entity_name(d, v[i].id));
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, ",\"score\":%.6g,\"true\":%s,", v[i].score,
                            v[i].id == target ? "true" : "false");
        if (st == CASUS_OK)
            st = json_evidence(m, &s, &b, subj, q, v[i].id, f->t);
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, ",\"answer_reciprocal_rank\":%.6g}\n",
                            rr);
    }
    if (st == CASUS_OK)
        st = sink_put(ctx, out, &b);
done:
    buf_free(ctx, &b);
    mem_free(ctx, ans.v);
    fc_cands_free(ctx, &c);
    fc_stream_free(&s);
    return st;
}
