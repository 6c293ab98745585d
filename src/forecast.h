/*
 * forecast.h - temporal knowledge graph forecasting (internal interface).
 *
 * The public API is in casus.h (casus_forecast_*); this header exposes the
 * pieces that the unit tests check on their own.
 */
#ifndef CASUS_FORECAST_H
#define CASUS_FORECAST_H

#include "casus.h"
#include "forecast_data.h"

/*
 * The expected reciprocal rank and Hits@1/3/10 of the true answer when
 * `higher` candidates score above it and it ties with `equal` others, the
 * tie broken uniformly at random: the mean of 1/k and of [k <= K] over the
 * ranks k = higher+1 .. higher+equal+1.
 */
void fc_expected_rank(size_t higher, size_t equal, double *rr,
                      double hits[3]);

#endif
