/*
 * forecast_calib.h - calibrated probabilities for "will X act violently
 * against Y within H days" (see forecast_calib.c), shared by the ICEWS
 * backtest (casus_forecast_calibrate) and the analyst forecasts from the
 * store (forecast_store.c), and exposed for the unit tests.
 */
#ifndef CASUS_FORECAST_CALIB_H
#define CASUS_FORECAST_CALIB_H

#include "casus.h"

#define FCAL_NF 16    /* features, the bias included */
#define FCAL_NB 41    /* relation classes: 0 unknown, 1..20 CAMEO roots done
                         by X to Y, 21..40 roots done by Y to X */
#define FCAL_LOOKBACK 365   /* days of history a pair's features read */

/* A root is violent when it is 17 coerce, 18 assault, 19 fight or 20 mass
 * violence (PLOVER COERCE, ASSAULT, ASSAULT/FIGHT, MASS-VIOLENCE). */
static inline int fcal_violent_root(int root)
{
    return root >= 17 && root <= 20;
}

/* One ordered pair's history before the forecast moment, as the features
 * read it. Gaps are in days (>= 1 for an event the day before); -1 when
 * there is no such event in the lookback. */
typedef struct fcal_pair {
    double v_last, v_n7, v_n30, v_nall, v_psi;  /* X's violent acts on Y */
    double r_last, r_n30;                       /* Y's violent acts on X */
    double a_last, a_n30, a_nall;               /* any event between them */
    double rule;      /* sum over their events b of conf[b] 2^(-0.1 gap) */
    double x_v30;     /* X's violent acts on anyone in the last 30 days */
} fcal_pair;

/* Adds one event of class b (0..FCAL_NB-1) seen gap days before the
 * forecast moment, from X's point of view, to p; conf may be NULL (no rule
 * evidence). x_v30 is the caller's. */
void fcal_pair_add(fcal_pair *p, int b, double gap, const float *conf);
void fcal_pair_init(fcal_pair *p);
/* The feature vector of a pair (x[0] = 1). */
void fcal_features(const fcal_pair *p, double x[FCAL_NF]);

/* A fitted model for one horizon: P = sigmoid(w . x). Platt scaling fitted
 * on the calibration period is folded into w. */
typedef struct fcal_model {
    int horizon;
    double w[FCAL_NF];
} fcal_model;

double fcal_predict(const fcal_model *m, const double x[FCAL_NF]);

/* The model shipped for analyst forecasts (fitted on ICEWS14 by
 * `casus forecast calibrate --write-model`, src/forecast_calib_model.h):
 * the model of horizon h (7, 14 or 30), NULL for another horizon; the rule
 * confidences in *conf (FCAL_NB entries). */
const fcal_model *fcal_shipped_model(int h);
const float *fcal_shipped_conf(void);
const char *fcal_shipped_source(void);

/* Accumulates predictions p with outcomes y into a score; finish computes
 * the means. Probabilities are clipped to [1e-12, 1 - 1e-12] for the log
 * loss; bin k holds p in [k/10, (k+1)/10) (the last one includes 1). */
void fcal_score_add(casus_calib_score *s, double p, int y);
void fcal_score_finish(casus_calib_score *s);

/*
 * L2-regularised logistic regression by Newton's method: w (nf weights, x
 * rows of nf floats, the first of them 1, which is not regularised).
 * CASUS_EINVAL when n is 0, CASUS_ENOMEM.
 */
casus_status fcal_logistic_fit(casus_ctx *ctx, const float *x,
                               const unsigned char *y, size_t n, size_t nf,
                               double l2, double *w);

/* The CAMEO root (1..20) of an ICEWS relation name such as
 * "Use_conventional_military_force"; 0 when no CAMEO name matches. */
int fcal_root_of_name(const char *name);

#endif
