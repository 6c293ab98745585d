/*
 * forecast_rules.h - the history index, running statistics, candidate sets
 * and the learned rule model behind casus forecasting (see forecast.c).
 */
#ifndef CASUS_FORECAST_RULES_H
#define CASUS_FORECAST_RULES_H

#include <string.h>

#include "casus.h"
#include "forecast_data.h"

/* ---------------------------------------------------------------- graph */

/* One edge of the doubled graph: (subject) -r-> o at time t; r >= R marks
 * the inverse of relation r - R. */
typedef struct fc_edge {
    uint32_t r, o;
    int32_t t;
} fc_edge;

/* Every fact of every split, twice, by subject; each subject's edges are in
 * time order: e[off[s] .. off[s+1]). */
typedef struct fc_graph {
    size_t *off;
    fc_edge *e;
    uint32_t n_ent;
} fc_graph;

casus_status fc_graph_build(casus_ctx *ctx, const casus_forecast_data *d,
                            fc_graph *g);
void fc_graph_free(casus_ctx *ctx, fc_graph *g);
/* The end of s's edges before time t (an index into g->e). */
size_t fc_graph_before(const fc_graph *g, uint32_t s, int32_t t);

/* ---------------------------------------------------------------- stream */

/*
 * Counts over the facts before a moment, advanced in time order. Relation q
 * (of the doubled graph) has had object o cnt[q * n_ent + o] times, tot[q]
 * in all; seen_head[q] chains (seen_next, seen_val) the objects with a
 * nonzero count. With `full`, also time-decayed counts (dec, dtot) and
 * decayed entity activity (pop, poptot), kept relative to time t0 so only
 * shares are meaningful.
 */
typedef struct fc_stream {
    casus_ctx *ctx;
    const casus_forecast_data *d;
    uint32_t n_ent, n_rel2;
    int full;
    int sp;            /* next fact to add: split and index */
    size_t i;
    double *cnt, *tot;
    double *dec, *dtot, *pop;
    double poptot;
    int32_t t0;
    uint32_t *seen_head, *seen_next, *seen_val;
    size_t n_seen;
    int32_t tmin, tmax;     /* time span of the history; tmax exclusive */
    size_t n_hist;          /* facts added */
    unsigned long version;  /* changes whenever facts are added */
} fc_stream;

casus_status fc_stream_init(casus_ctx *ctx, const casus_forecast_data *d,
                            int full, fc_stream *s);
/* Adds every fact with time < t that is not in yet. Never fails. */
void fc_stream_advance(fc_stream *s, int32_t t);
void fc_stream_free(fc_stream *s);

/* ---------------------------------------------------------------- cands */

/* A candidate and its score, for sorting. */
typedef struct fc_scored {
    double score;
    uint32_t id;
} fc_scored;

/* Evidence accumulated for one candidate of a query. */
typedef struct fc_acc {
    double sc, sd[3], slast;       /* strict: count, decayed, last gap */
    double pc, pd, pd0, pd2, plast; /* any relation between the two */
    double pconf, pmax;            /* rule confidence, decayed and max */
    double ic, id, id2;            /* inverse: the candidate did q to s */
    double h2q, h2;                /* two hops: via q, via anything */
} fc_acc;

#define FC_NF 33   /* features per candidate */
#ifndef FC_TOPR
#define FC_TOPR 40 /* relaxed candidates added per query */
#endif

typedef struct fc_cands {
    uint32_t n_ent, n_rel2;
    int32_t *slot;          /* by entity: index into id/score, or -1 */
    unsigned char *mark;    /* scratch flags by entity, kept all zero */
    uint32_t *id;
    double *score;
    fc_acc *acc;
    float *x;               /* FC_NF features per candidate */
    struct fc_scored *sorted; /* scratch for sorting, n_ent entries */
    size_t n;
    double base;            /* the score of every entity not in id[] */
    uint32_t *top;          /* FC_TOPR relaxed candidates per relation */
    uint32_t *ntop;
    unsigned long *topver;  /* the stream version top[] was made at + 1 */
} fc_cands;

casus_status fc_cands_init(casus_ctx *ctx, uint32_t n_ent, uint32_t n_rel2,
                           fc_cands *c);
void fc_cands_free(casus_ctx *ctx, fc_cands *c);
void fc_cands_reset(fc_cands *c);

/* The index of entity e among the candidates, adding it (zeroed). */
static inline size_t fc_cands_touch(fc_cands *c, uint32_t e)
{
    int32_t k = c->slot[e];
    if (k >= 0)
        return (size_t)k;
    size_t n = c->n++;
    c->slot[e] = (int32_t)n;
    c->id[n] = e;
    c->score[n] = 0;
    memset(&c->acc[n], 0, sizeof c->acc[n]);
    return n;
}

/* ---------------------------------------------------------------- rules */

typedef struct fc_rules fc_rules;

/*
 * Learns the casus model to forecast split `split`: rule confidences from
 * the facts before it, and feature weights by softmax regression on queries
 * from the last stretch before it. CASUS_EINVAL when there is nothing
 * before the split to learn from.
 */
casus_status fc_rules_learn(casus_ctx *ctx, const casus_forecast_data *d,
                            const fc_graph *g, int split, uint64_t seed,
                            fc_rules **out);
void fc_rules_free(fc_rules *r);
const char *fc_rules_describe(const fc_rules *r);
/* Confidence of the rule q(X,Y) <= b(X,Y) (relations of the doubled graph). */
double fc_rules_conf(const fc_rules *r, uint32_t q, uint32_t b);
/* Candidates and scores for query (s, q, ?, t) into c (already reset). */
void fc_rules_score(const fc_rules *r, const fc_graph *g, const fc_stream *st,
                    uint32_t s, uint32_t q, int32_t t, fc_cands *c);

#endif
