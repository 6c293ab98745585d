/*
 * forecast_calib.c - calibrated probabilities of violence between two
 * actors within a horizon, and the backtest that measures them.
 *
 * Part of the forecasting stage. The ranking models of forecast.c answer
 * "whom will X attack next"; analysts also need "how likely is it that X
 * acts violently against Y within H days", as a probability they can
 * trust. This file gives that probability and checks it:
 *
 *   question  for an ordered pair (X, Y) and a moment tau: does X do a
 *             violent act to Y (a CAMEO root 17-20 event: coerce, assault,
 *             fight, mass violence) at some time in [tau, tau + H days)?
 *   history   every event before tau within FCAL_LOOKBACK days, summarised
 *             per pair in an fcal_pair: recency and counts of X's violent
 *             acts on Y and of Y's on X, of any contact, the strict
 *             recurrency kernel, X's recent violence on anyone, and a rule
 *             score sum conf[b] 2^(-0.1 gap) over the pair's events, where
 *             conf[b] is the learned confidence of the temporal rule
 *             "violent(X,Y) <= b(X,Y)" (forecast_rules.c's rule confidence
 *             with relations folded to CAMEO roots and their inverses);
 *   model     logistic regression on the 16 features of fcal_features,
 *             fitted by Newton's method, then Platt-scaled.
 *
 * Backtest on a dataset in the ICEWS layout (casus_forecast_calibrate):
 * origins are days; the candidates at an origin are the ordered pairs with
 * any event between them before it. The model is fitted on origins of the
 * train period whose windows end before valid starts (conf from the facts
 * before the first of them), Platt-scaled on origins of valid whose windows
 * end before test, and scored on origins of test whose windows end with the
 * data. The baselines are estimated on the same valid rows: base rate (the
 * share of candidate pairs that saw violence) and persistence (one rate for
 * pairs where X acted violently on Y in the last H days, one for the rest).
 * Scores: Brier, log loss, and a 10-bin reliability table.
 *
 * The fitted models are written as C source (--write-model) and compiled in
 * as src/forecast_calib_model.h: analyst forecasts from the store
 * (forecast_store.c) use them, relations there being CAMEO codes already.
 */
#include "forecast_calib.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cameo.h"
#include "ctx.h"
#include "forecast_data.h"
#include "forecast_rules.h"
#include "util/buf.h"
#include "util/mem.h"

#include "forecast_calib_model.h"

#define TRAIN_SPAN 120   /* days of train origins before the valid period */
#define TRAIN_STRIDE 6   /* days between train origins */

/* ---------------------------------------------------------------- features */

void fcal_pair_init(fcal_pair *p)
{
    memset(p, 0, sizeof *p);
    p->v_last = p->r_last = p->a_last = -1;
}

static void keep_min(double *last, double gap)
{
    if (*last < 0 || gap < *last)
        *last = gap;
}

void fcal_pair_add(fcal_pair *p, int b, double gap, const float *conf)
{
    keep_min(&p->a_last, gap);
    p->a_nall += 1;
    if (gap <= 30)
        p->a_n30 += 1;
    if (conf && b >= 0 && b < FCAL_NB)
        p->rule += conf[b] * exp2(-0.1 * gap);
    if (b >= 1 && b <= 20 && fcal_violent_root(b)) {
        keep_min(&p->v_last, gap);
        p->v_nall += 1;
        p->v_n30 += gap <= 30;
        p->v_n7 += gap <= 7;
        p->v_psi += exp2(-0.02 * gap);
    } else if (b > 20 && b < FCAL_NB && fcal_violent_root(b - 20)) {
        keep_min(&p->r_last, gap);
        p->r_n30 += gap <= 30;
    }
}

static double decay(double last, double scale)
{
    return last < 0 ? 0 : exp(-last / scale);
}

void fcal_features(const fcal_pair *p, double x[FCAL_NF])
{
    x[0] = 1;
    x[1] = p->v_last >= 0;
    x[2] = log1p(p->v_n7);
    x[3] = log1p(p->v_n30);
    x[4] = log1p(p->v_nall);
    x[5] = decay(p->v_last, 7);
    x[6] = decay(p->v_last, 60);
    x[7] = log1p(p->v_psi);
    x[8] = log1p(p->r_n30);
    x[9] = decay(p->r_last, 7);
    x[10] = decay(p->r_last, 60);
    x[11] = log1p(p->a_n30);
    x[12] = log1p(p->a_nall);
    x[13] = decay(p->a_last, 7);
    x[14] = log1p(10 * p->rule);
    x[15] = log1p(p->x_v30);
}

static double sigmoid(double z)
{
    if (z > 40)
        z = 40;
    if (z < -40)
        z = -40;
    return 1 / (1 + exp(-z));
}

double fcal_predict(const fcal_model *m, const double x[FCAL_NF])
{
    double z = 0;
    for (int k = 0; k < FCAL_NF; k++)
        z += m->w[k] * x[k];
    return sigmoid(z);
}

const fcal_model *fcal_shipped_model(int h)
{
    for (size_t i = 0; i < sizeof fcal_models / sizeof fcal_models[0]; i++)
        if (fcal_models[i].horizon == h)
            return &fcal_models[i];
    return NULL;
}

const float *fcal_shipped_conf(void)
{
    return fcal_model_conf;
}

const char *fcal_shipped_source(void)
{
    return fcal_model_source;
}

/* ---------------------------------------------------------------- scores */

void fcal_score_add(casus_calib_score *s, double p, int y)
{
    double q = p < 1e-12 ? 1e-12 : p > 1 - 1e-12 ? 1 - 1e-12 : p;
    s->n++;
    s->positives += y != 0;
    s->brier += (p - (y != 0)) * (p - (y != 0));
    s->log_loss -= y ? log(q) : log(1 - q);
    int k = (int)(p * 10);
    k = k < 0 ? 0 : k > 9 ? 9 : k;
    s->bins[k].n++;
    s->bins[k].mean_pred += p;
    s->bins[k].observed += y != 0;
}

void fcal_score_finish(casus_calib_score *s)
{
    if (s->n) {
        s->brier /= (double)s->n;
        s->log_loss /= (double)s->n;
    }
    for (int k = 0; k < 10; k++)
        if (s->bins[k].n) {
            s->bins[k].mean_pred /= (double)s->bins[k].n;
            s->bins[k].observed /= (double)s->bins[k].n;
        }
}

/* ---------------------------------------------------------------- fitting */

/* Solves A v = b for symmetric positive definite A (n x n, row-major,
 * overwritten by its Cholesky factor); -1 when A is not positive definite. */
static int cholesky_solve(double *A, double *b, int n)
{
    for (int j = 0; j < n; j++) {
        double d = A[j * n + j];
        for (int k = 0; k < j; k++)
            d -= A[j * n + k] * A[j * n + k];
        if (!(d > 1e-300))
            return -1;
        d = sqrt(d);
        A[j * n + j] = d;
        for (int i = j + 1; i < n; i++) {
            double v = A[i * n + j];
            for (int k = 0; k < j; k++)
                v -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = v / d;
        }
    }
    for (int i = 0; i < n; i++) {
        double v = b[i];
        for (int k = 0; k < i; k++)
            v -= A[i * n + k] * b[k];
        b[i] = v / A[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double v = b[i];
        for (int k = i + 1; k < n; k++)
            v -= A[k * n + i] * b[k];
        b[i] = v / A[i * n + i];
    }
    return 0;
}

#define FIT_MAXF 32

/* The penalised negative log-likelihood that the fit minimises. */
static double fit_loss(const float *x, const unsigned char *y, size_t n,
                       int m, double l2, const double *w)
{
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        const float *xi = x + i * (size_t)m;
        double z = 0;
        for (int a = 0; a < m; a++)
            z += w[a] * xi[a];
        /* log(1 + e^z) - y z, computed stably */
        f += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - (y[i] ? z : 0);
    }
    for (int a = 1; a < m; a++)
        f += 0.5 * l2 * w[a] * w[a];
    return f;
}

casus_status fcal_logistic_fit(casus_ctx *ctx, const float *x,
                               const unsigned char *y, size_t n, size_t nf,
                               double l2, double *w)
{
    if (n == 0 || nf == 0 || nf > FIT_MAXF)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "calibration: nothing to fit (%zu rows)", n);
    double H[FIT_MAXF * FIT_MAXF], g[FIT_MAXF];
    int m = (int)nf;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] != 0;
    memset(w, 0, nf * sizeof *w);
    /* Start at the base rate, kept away from 0 and 1. */
    double rate = ((double)pos + 0.5) / ((double)n + 1);
    w[0] = log(rate / (1 - rate));
    for (int it = 0; it < 25; it++) {
        memset(H, 0, sizeof H);
        memset(g, 0, sizeof g);
        for (size_t i = 0; i < n; i++) {
            const float *xi = x + i * nf;
            double z = 0;
            for (int a = 0; a < m; a++)
                z += w[a] * xi[a];
            double p = sigmoid(z), r = p - (y[i] != 0), s = p * (1 - p);
            if (s < 1e-10)
                s = 1e-10;
            for (int a = 0; a < m; a++) {
                double sa = s * xi[a];
                g[a] += r * xi[a];
                for (int b = 0; b <= a; b++)
                    H[a * m + b] += sa * xi[b];
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++)
                H[b * m + a] = H[a * m + b];
            H[a * m + a] += a ? l2 : 1e-9;
            if (a)
                g[a] += l2 * w[a];
        }
        if (cholesky_solve(H, g, m) != 0)
            return ctx_fail(ctx, CASUS_EINVAL,
                            "calibration: the features are degenerate");
        /* Damped Newton: halve the step until the loss goes down. */
        double f0 = fit_loss(x, y, n, m, l2, w), wn[FIT_MAXF], t = 1, big = 0;
        for (int k = 0; k < 30; k++, t /= 2) {
            for (int a = 0; a < m; a++)
                wn[a] = w[a] - t * g[a];
            if (fit_loss(x, y, n, m, l2, wn) <= f0)
                break;
        }
        for (int a = 0; a < m; a++) {
            big = fabs(w[a] - wn[a]) > big ? fabs(w[a] - wn[a]) : big;
            w[a] = wn[a];
        }
        if (big < 1e-7)
            break;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- relations */

/* Whether ICEWS name a equals CAMEO name b, ignoring case, with '_' for
 * a space. */
static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a == '_' ? ' ' : (char)tolower((unsigned char)*a);
        char cb = (char)tolower((unsigned char)*b);
        if (ca != cb)
            return 0;
    }
    return !*a && !*b;
}

/* ICEWS names that CAMEO 0.9b5 words differently (every one in ICEWS14),
 * with their roots from the CAMEO codebook. */
static const struct {
    const char *name;
    int root;
} icews_alias[] = {
    {"Abduct,_hijack,_or_take_hostage", 18},
    {"Use_tactics_of_violent_repression", 17},
    {"Impose_restrictions_on_political_freedoms", 17},
    {"Threaten_with_military_force", 13},
    {"Threaten_with_repression", 13},
    {"Threaten_with_sanctions,_boycott,_embargo", 13},
    {"Make_empathetic_comment", 1},
    {"Appeal_for_intelligence", 2},
    {"Appeal_to_engage_in_or_accept_mediation", 2},
    {"Appeal_to_yield", 2},
    {"Express_intent_to_ease_economic_sanctions,_boycott,_or_embargo", 3},
    {"Express_intent_to_engage_in_material_cooperation", 3},
    {"Express_intent_to_institute_political_reform", 3},
    {"Mediate", 4},
    {"Apologize", 5},
    {"Demand_easing_of_administrative_sanctions", 10},
    {"Demand_material_aid", 10},
    {"Refuse_to_yield", 12},
    {"Reject_proposal_to_meet,_discuss,_or_negotiate", 12},
    {"Refuse_to_release_persons_or_property", 12},
    {"Refuse_to_ease_administrative_sanctions", 12},
    {"Refuse_to_de-escalate_military_engagement", 12},
    {"Refuse_to_ease_economic_sanctions,_boycott,_or_embargo", 12},
    {"Reject_request_for_change_in_leadership", 12},
    {"Reject_request_for_military_aid", 12},
    {"Reject_request_for_military_protection_or_peacekeeping", 12},
    {"Obstruct_passage_to_demand_leadership_change", 14},
    {"Reduce_or_stop_material_aid", 16},
};

int fcal_root_of_name(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof icews_alias / sizeof icews_alias[0]; i++)
        if (!strcmp(name, icews_alias[i].name))
            return icews_alias[i].root;
    size_t n = cameo_count();
    for (size_t i = 0; i < n; i++) {
        const cameo_entry *e = cameo_at(i);
        if (same_name(name, e->name))
            return cameo_root(e->code, strlen(e->code));
    }
    return 0;
}

/* ---------------------------------------------------------------- backtest */

/* Per-run state of the backtest. */
typedef struct work {
    casus_ctx *ctx;
    const casus_forecast_data *d;
    fc_graph g;
    unsigned char *root;   /* CAMEO root of each relation, 0 unknown */
    int32_t t0, step;      /* time of day 0 and of one day */
    /* Per origin: candidate pairs of the current X. */
    int32_t *slot;         /* by entity: index into pair, or -1 */
    uint32_t *touched;
    fcal_pair *pair;
    unsigned char *hit, *mark;
    size_t n_touched;
    /* Rows of the period being collected. */
    float *x;
    unsigned char *y, *rhit;
    size_t n_rows, cap_x, cap_y, cap_h;
    size_t events, covered;   /* violent outcomes; those with history */
} work;

/* The relation class of an edge of the doubled graph. */
static int edge_class(const work *w, uint32_t r)
{
    uint32_t R = w->d->n_rel;
    if (r < R)
        return w->root[r];
    int k = w->root[r - R];
    return k ? 20 + k : 0;
}

/*
 * conf[b] for facts before t_end: over ordered pairs (X, Y), the share of
 * those with an event of class b whose X did a violent act to Y after the
 * first such event, (#followed) / (#pairs with b + 2).
 */
static casus_status learn_conf(work *w, int32_t t_end, float conf[FCAL_NB])
{
    double body[FCAL_NB] = {0}, supp[FCAL_NB] = {0};
    const fc_graph *g = &w->g;
    uint32_t n_ent = w->d->n_ent;
    /* Per partner of the current X: the first time of each class (fb)
     * and the last violent act of X on it (lv). */
    int32_t *fb = mem_alloc(w->ctx, (size_t)n_ent * FCAL_NB * sizeof *fb);
    int32_t *lv = mem_alloc(w->ctx, (size_t)n_ent * sizeof *lv);
    if (!fb || !lv) {
        mem_free(w->ctx, fb);
        mem_free(w->ctx, lv);
        return CASUS_ENOMEM;
    }
    for (uint32_t X = 0; X < n_ent; X++) {
        size_t a = g->off[X], e = fc_graph_before(g, X, t_end);
        w->n_touched = 0;
        for (size_t i = a; i < e; i++) {
            uint32_t o = g->e[i].o;
            if (o == X)
                continue;
            if (w->slot[o] < 0) {
                w->slot[o] = (int32_t)w->n_touched;
                w->touched[w->n_touched++] = o;
                int32_t *f = fb + (size_t)w->slot[o] * FCAL_NB;
                for (int b = 0; b < FCAL_NB; b++)
                    f[b] = INT32_MAX;
                lv[w->slot[o]] = INT32_MIN;
            }
            int b = edge_class(w, g->e[i].r);
            int32_t *f = fb + (size_t)w->slot[o] * FCAL_NB;
            if (f[b] == INT32_MAX)
                f[b] = g->e[i].t;
            if (b >= 1 && b <= 20 && fcal_violent_root(b))
                lv[w->slot[o]] = g->e[i].t;   /* edges are in time order */
        }
        for (size_t k = 0; k < w->n_touched; k++) {
            const int32_t *f = fb + k * FCAL_NB;
            for (int b = 0; b < FCAL_NB; b++)
                if (f[b] != INT32_MAX) {
                    body[b] += 1;
                    supp[b] += lv[k] > f[b];
                }
            w->slot[w->touched[k]] = -1;
        }
    }
    w->n_touched = 0;
    for (int b = 0; b < FCAL_NB; b++)
        conf[b] = (float)(supp[b] / (body[b] + 2));
    mem_free(w->ctx, fb);
    mem_free(w->ctx, lv);
    return CASUS_OK;
}

static casus_status add_row(work *w, const double x[FCAL_NF], int y, int hit)
{
    if (mem_grow(w->ctx, (void **)&w->x, &w->cap_x,
                 (w->n_rows + 1) * FCAL_NF, sizeof *w->x) != CASUS_OK ||
        mem_grow(w->ctx, (void **)&w->y, &w->cap_y, w->n_rows + 1, 1) !=
            CASUS_OK ||
        mem_grow(w->ctx, (void **)&w->rhit, &w->cap_h, w->n_rows + 1, 1) !=
            CASUS_OK)
        return CASUS_ENOMEM;
    for (int k = 0; k < FCAL_NF; k++)
        w->x[w->n_rows * FCAL_NF + k] = (float)x[k];
    w->y[w->n_rows] = (unsigned char)(y != 0);
    w->rhit[w->n_rows] = (unsigned char)(hit != 0);
    w->n_rows++;
    return CASUS_OK;
}

/* Appends the rows of origin day `day` for horizon h: every candidate pair,
 * its features (conf for the rule score), outcome and persistence flag. */
static casus_status collect(work *w, long day, int h, const float *conf)
{
    const fc_graph *g = &w->g;
    uint32_t n_ent = w->d->n_ent;
    int32_t tau = w->t0 + (int32_t)day * w->step;
    int32_t tend = tau + h * w->step;
    casus_status st = CASUS_OK;
    for (uint32_t X = 0; X < n_ent && st == CASUS_OK; X++) {
        size_t a = g->off[X], b = fc_graph_before(g, X, tau);
        if (a == b)
            continue;
        double xv = 0;
        w->n_touched = 0;
        for (size_t i = b; i-- > a;) {
            const fc_edge *e = &g->e[i];
            double gap = (double)(tau - e->t) / w->step;
            if (gap > FCAL_LOOKBACK)
                break;
            if (e->o == X)
                continue;
            int c = edge_class(w, e->r);
            if (w->slot[e->o] < 0) {
                w->slot[e->o] = (int32_t)w->n_touched;
                w->touched[w->n_touched] = e->o;
                fcal_pair_init(&w->pair[w->n_touched]);
                w->hit[w->n_touched] = 0;
                w->n_touched++;
            }
            fcal_pair_add(&w->pair[w->slot[e->o]], c, gap, conf);
            if (c >= 1 && c <= 20 && fcal_violent_root(c) && gap <= 30)
                xv += 1;
        }
        /* Outcomes: X's violent acts in [tau, tend). */
        size_t nm = 0;
        for (size_t i = b; i < g->off[X + 1] && g->e[i].t < tend; i++) {
            const fc_edge *e = &g->e[i];
            int c = edge_class(w, e->r);
            if (e->o == X || c < 1 || c > 20 || !fcal_violent_root(c) ||
                w->mark[e->o])
                continue;
            w->mark[e->o] = 1;
            w->events++;
            if (w->slot[e->o] >= 0) {
                w->covered++;
                w->hit[w->slot[e->o]] = 1;
            }
            nm++;   /* marks are cleared by a second pass below */
        }
        if (nm)
            for (size_t i = b; i < g->off[X + 1] && g->e[i].t < tend; i++)
                w->mark[g->e[i].o] = 0;
        for (size_t k = 0; k < w->n_touched; k++) {
            double x[FCAL_NF];
            fcal_pair *p = &w->pair[k];
            p->x_v30 = xv;
            fcal_features(p, x);
            if (st == CASUS_OK)
                st = add_row(w, x, w->hit[k], p->v_last >= 0 && p->v_last <= h);
            w->slot[w->touched[k]] = -1;
        }
        w->n_touched = 0;
    }
    return st;
}

static void work_free(work *w)
{
    fc_graph_free(w->ctx, &w->g);
    mem_free(w->ctx, w->root);
    mem_free(w->ctx, w->slot);
    mem_free(w->ctx, w->touched);
    mem_free(w->ctx, w->pair);
    mem_free(w->ctx, w->hit);
    mem_free(w->ctx, w->mark);
    mem_free(w->ctx, w->x);
    mem_free(w->ctx, w->y);
    mem_free(w->ctx, w->rhit);
}

static long day_of(const work *w, int32_t t)
{
    return (long)(t - w->t0) / w->step;
}

/* One horizon: fit on train origins, Platt-scale and estimate the
 * baselines on valid, score on test. */
static casus_status run_horizon(work *w, int h, long dv, long dt, long de,
                                const float *conf_train,
                                const float *conf_valid,
                                const float *conf_test, casus_calib_result *r)
{
    casus_ctx *ctx = w->ctx;
    casus_status st = CASUS_OK;
    float *zx = NULL;
    memset(r, 0, sizeof *r);
    r->horizon = h;
    long tr_last = dv - h, tr_first = tr_last - TRAIN_SPAN;
    if (tr_first < 1)
        tr_first = 1;
    if (tr_last < 1 || dt - h < dv || de - h < dt)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "calibration: horizon %d days does not fit the "
                        "periods (train to day %ld, valid %ld-%ld, test "
                        "%ld-%ld)", h, dv - 1, dv, dt - 1, dt, de - 1);
    /* 1. Fit on train origins, latest first. */
    w->n_rows = 0;
    for (long day = tr_last; day >= tr_first && st == CASUS_OK;
         day -= TRAIN_STRIDE) {
        st = collect(w, day, h, conf_train);
        r->train_origins++;
    }
    if (st != CASUS_OK)
        goto done;
    r->n_train = w->n_rows;
    double wt[FCAL_NF];
    st = fcal_logistic_fit(ctx, w->x, w->y, w->n_rows, FCAL_NF, 1.0, wt);
    if (st != CASUS_OK)
        goto done;
    /* 2. Platt scaling and baselines on valid. */
    w->n_rows = 0;
    w->events = w->covered = 0;
    for (long day = dv; day <= dt - h && st == CASUS_OK; day++) {
        st = collect(w, day, h, conf_valid);
        r->valid_origins++;
    }
    if (st != CASUS_OK)
        goto done;
    r->n_valid = w->n_rows;
    zx = mem_alloc(ctx, (w->n_rows ? w->n_rows : 1) * 2 * sizeof *zx);
    if (!zx) {
        st = CASUS_ENOMEM;
        goto done;
    }
    size_t pos = 0, nh = 0, ph = 0;
    for (size_t i = 0; i < w->n_rows; i++) {
        double z = 0;
        for (int k = 0; k < FCAL_NF; k++)
            z += wt[k] * w->x[i * FCAL_NF + k];
        zx[2 * i] = 1;
        zx[2 * i + 1] = (float)z;
        pos += w->y[i];
        nh += w->rhit[i];
        ph += w->rhit[i] && w->y[i];
    }
    double ab[2];
    st = fcal_logistic_fit(ctx, zx, w->y, w->n_rows, 2, 1e-6, ab);
    if (st != CASUS_OK)
        goto done;
    for (int k = 0; k < FCAL_NF; k++)
        r->w[k] = ab[1] * wt[k];
    r->w[0] += ab[0];
    /* Rates with a half-count prior so no baseline says exactly 0 or 1. */
    r->base_rate = ((double)pos + 0.5) / ((double)w->n_rows + 1);
    r->persist_hit = ((double)ph + 0.5) / ((double)nh + 1);
    r->persist_miss = ((double)(pos - ph) + 0.5) / ((double)(w->n_rows - nh) + 1);
    /* 3. Score on test, origin by origin. */
    fcal_model m = {h, {0}};
    memcpy(m.w, r->w, sizeof m.w);
    w->events = w->covered = 0;
    for (long day = dt; day <= de - h && st == CASUS_OK; day++) {
        w->n_rows = 0;
        st = collect(w, day, h, conf_test);
        r->test_origins++;
        for (size_t i = 0; i < w->n_rows && st == CASUS_OK; i++) {
            double x[FCAL_NF];
            for (int k = 0; k < FCAL_NF; k++)
                x[k] = w->x[i * FCAL_NF + k];
            fcal_score_add(&r->model, fcal_predict(&m, x), w->y[i]);
            fcal_score_add(&r->base, r->base_rate, w->y[i]);
            fcal_score_add(&r->persistence,
                           w->rhit[i] ? r->persist_hit : r->persist_miss,
                           w->y[i]);
        }
    }
    r->test_events = w->events;
    r->test_covered = w->covered;
    fcal_score_finish(&r->model);
    fcal_score_finish(&r->base);
    fcal_score_finish(&r->persistence);
done:
    mem_free(ctx, zx);
    return st;
}

static casus_status sink_put(casus_sink *out, casus_ctx *ctx, const buf *b)
{
    if (b->n && out->write(out->ud, b->p, b->n) != 0)
        return ctx_fail(ctx, CASUS_EIO, "cannot write output");
    return CASUS_OK;
}

/* The fitted models as the C source of src/forecast_calib_model.h. */
static casus_status write_model(work *w, const float *conf,
                                const casus_calib_result *r, size_t n,
                                casus_sink *out)
{
    casus_ctx *ctx = w->ctx;
    buf b = BUF_INIT;
    casus_status st = buf_printf(
        ctx, &b,
        "/* Generated by `casus forecast calibrate --data DIR --write-model "
        "FILE`\n * (src/forecast_calib.c) from a dataset of %u entities, %u "
        "relations and\n * %zu/%zu/%zu facts. Do not edit.\n *\n"
        " * Violent relations (CAMEO roots 17-20) found by name:\n",
        w->d->n_ent, w->d->n_rel, w->d->n_quad[0], w->d->n_quad[1],
        w->d->n_quad[2]);
    for (uint32_t k = 0; k < w->d->n_rel && st == CASUS_OK; k++)
        if (fcal_violent_root(w->root[k]))
            st = buf_printf(ctx, &b, " *   %u %s (root %d)\n", k,
                            casus_forecast_relation_name(w->d, k),
                            w->root[k]);
    if (st == CASUS_OK)
        st = buf_printf(ctx, &b,
                        " */\nstatic const char fcal_model_source[] = "
                        "\"calibrated on %u entities, %zu facts\";\n"
                        "static const float fcal_model_conf[FCAL_NB] = {",
                        w->d->n_ent,
                        w->d->n_quad[0] + w->d->n_quad[1] + w->d->n_quad[2]);
    for (int k = 0; k < FCAL_NB && st == CASUS_OK; k++)
        st = buf_printf(ctx, &b, "%s%.8ef",
                        k == 0 ? "\n    " : k % 6 ? ", " : ",\n    ",
                        (double)conf[k]);
    if (st == CASUS_OK)
        st = buf_puts(ctx, &b, "};\nstatic const fcal_model fcal_models[] = {\n");
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        st = buf_printf(ctx, &b, "    {%d, {", r[i].horizon);
        for (int k = 0; k < FCAL_NF && st == CASUS_OK; k++)
            st = buf_printf(ctx, &b, "%s%.9g", k ? ", " : "", r[i].w[k]);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "}},\n");
    }
    if (st == CASUS_OK)
        st = buf_puts(ctx, &b, "};\n");
    if (st == CASUS_OK)
        st = sink_put(out, ctx, &b);
    buf_free(ctx, &b);
    return st;
}

casus_status casus_forecast_calibrate(casus_ctx *ctx,
                                      const casus_forecast_data *d,
                                      const int *horizons, size_t n,
                                      casus_calib_result *out,
                                      casus_sink *model_out)
{
    casus_status st = CASUS_OK;
    work w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.d = d;
    for (size_t i = 0; i < n; i++)
        if (horizons[i] < 1 || horizons[i] > 365)
            return ctx_fail(ctx, CASUS_EINVAL,
                            "calibration: horizon %d is not 1..365 days",
                            horizons[i]);
    if (n == 0 || !d->n_quad[FC_TRAIN] || !d->n_quad[FC_VALID] ||
        !d->n_quad[FC_TEST])
        return ctx_fail(ctx, CASUS_EINVAL,
                        "calibration: needs horizons and facts in train, "
                        "valid and test");
    w.root = mem_alloc(ctx, d->n_rel);
    w.slot = mem_alloc(ctx, (size_t)d->n_ent * sizeof *w.slot);
    w.touched = mem_alloc(ctx, (size_t)d->n_ent * sizeof *w.touched);
    w.pair = mem_alloc(ctx, (size_t)d->n_ent * sizeof *w.pair);
    w.hit = mem_alloc(ctx, d->n_ent);
    w.mark = mem_alloc(ctx, d->n_ent);
    if (!w.root || !w.slot || !w.touched || !w.pair || !w.hit || !w.mark) {
        st = CASUS_ENOMEM;
        goto done;
    }
    memset(w.mark, 0, d->n_ent);
    for (uint32_t e = 0; e < d->n_ent; e++)
        w.slot[e] = -1;
    int nviol = 0;
    for (uint32_t k = 0; k < d->n_rel; k++) {
        w.root[k] = (unsigned char)fcal_root_of_name(
            casus_forecast_relation_name(d, k));
        nviol += fcal_violent_root(w.root[k]);
    }
    if (nviol == 0) {
        st = ctx_fail(ctx, CASUS_EINVAL,
                      "calibration: no relation name is a violent CAMEO "
                      "event (roots 17-20)");
        goto done;
    }
    st = fc_graph_build(ctx, d, &w.g);
    if (st != CASUS_OK)
        goto done;
    w.t0 = d->quad[FC_TRAIN][0].t;
    w.step = d->step > 0 ? d->step : 1;
    const fc_quad *lt = &d->quad[FC_TEST][d->n_quad[FC_TEST] - 1];
    long dv = day_of(&w, d->quad[FC_VALID][0].t);
    long dt = day_of(&w, d->quad[FC_TEST][0].t);
    long de = day_of(&w, lt->t) + 1;
    float cv[FCAL_NB], ct[FCAL_NB];
    st = learn_conf(&w, d->quad[FC_VALID][0].t, cv);
    if (st == CASUS_OK)
        st = learn_conf(&w, d->quad[FC_TEST][0].t, ct);
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        float ctr[FCAL_NB];
        long first = dv - horizons[i] - TRAIN_SPAN;
        st = learn_conf(&w, w.t0 + (int32_t)(first > 1 ? first : 1) * w.step,
                        ctr);
        if (st == CASUS_OK)
            st = run_horizon(&w, horizons[i], dv, dt, de, ctr, cv, ct,
                             &out[i]);
    }
    if (st == CASUS_OK && model_out)
        st = write_model(&w, ct, out, n, model_out);
done:
    work_free(&w);
    return st;
}

/* ---------------------------------------------------------------- report */

static casus_status put_score(casus_ctx *ctx, buf *b, const char *name,
                              const casus_calib_score *s,
                              const casus_calib_score *base)
{
    double bss = base->brier > 0 ? 1 - s->brier / base->brier : 0;
    return buf_printf(ctx, b, "  %-12s %10.6f %10.6f %8.4f\n", name,
                      s->brier, s->log_loss, bss);
}

casus_status casus_calib_write(casus_ctx *ctx, const casus_calib_result *r,
                               size_t n, casus_sink *out)
{
    buf b = BUF_INIT;
    casus_status st = CASUS_OK;
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        const casus_calib_result *x = &r[i];
        const casus_calib_score *sc[3] = {&x->model, &x->base,
                                          &x->persistence};
        static const char *const nm[3] = {"casus", "base rate",
                                          "persistence"};
        st = buf_printf(
            ctx, &b,
            "horizon %d days\n"
            "  fitted on %zu pairs x origins (%zu train origins), "
            "calibrated on %zu (%zu valid origins), scored on %zu (%zu test "
            "origins)\n"
            "  test: %zu violent (X, Y, window) outcomes, %zu (%.1f%%) among "
            "the candidate pairs; positive rate %.4f\n"
            "  baselines: base rate %.5f; persistence %.4f after an act in "
            "the last %d days, %.5f otherwise\n"
            "  %-12s %10s %10s %8s\n",
            x->horizon, x->n_train, x->train_origins, x->n_valid,
            x->valid_origins, x->model.n, x->test_origins, x->test_events,
            x->test_covered,
            x->test_events ? 100.0 * (double)x->test_covered /
                                 (double)x->test_events : 0.0,
            x->model.n ? (double)x->model.positives / (double)x->model.n : 0.0,
            x->base_rate, x->persist_hit, x->horizon, x->persist_miss,
            "model", "Brier", "log loss", "BSS");
        for (int k = 0; k < 3 && st == CASUS_OK; k++)
            st = put_score(ctx, &b, nm[k], sc[k], &x->base);
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, "  reliability (test): bin, then n / "
                                     "mean predicted / observed per model\n"
                                     "  %-9s %28s %28s %28s\n", "bin",
                            nm[0], nm[1], nm[2]);
        for (int k = 0; k < 10 && st == CASUS_OK; k++) {
            if (!sc[0]->bins[k].n && !sc[1]->bins[k].n && !sc[2]->bins[k].n)
                continue;
            st = buf_printf(ctx, &b, "  %.1f-%.1f  ", k / 10.0, (k + 1) / 10.0);
            for (int m = 0; m < 3 && st == CASUS_OK; m++)
                st = buf_printf(ctx, &b, " %10zu %8.4f %8.4f",
                                sc[m]->bins[k].n, sc[m]->bins[k].mean_pred,
                                sc[m]->bins[k].observed);
            if (st == CASUS_OK)
                st = buf_putc(ctx, &b, '\n');
        }
    }
    if (st == CASUS_OK)
        st = sink_put(out, ctx, &b);
    buf_free(ctx, &b);
    return st;
}
