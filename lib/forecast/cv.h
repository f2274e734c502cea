/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cv: the model-agnostic side of forecasting: rolling-origin cross-validation
 * of any model (fcmodel.h) with Prophet's cutoff rule, and Prophet's
 * performance_metrics with its rolling window. */
#ifndef TS_CV_H
#define TS_CV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tserr.h"
#include "forecast/fcmodel.h"
#include "io/tstime.h"

/* Cutoffs of rolling-origin cross-validation over the sorted history times
 * t[0..n) (Prophet's generate_cutoffs): the last is t[n-1] - horizon; step
 * back by period while the cutoff is >= t[0] + initial, and when a window
 * (cutoff, cutoff + horizon] holds no point, restart from the last point
 * before the cutoff minus horizon. Writes up to max cutoffs ascending into
 * cut and their count into *ncut. Errors (TS_EDATA): "less data than
 * horizon", "less data than horizon after the initial window". */
int ts_cv_cutoffs(const ts_time *t, size_t n, ts_time horizon, ts_time period, ts_time initial,
		  ts_time *cut, size_t max, size_t *ncut, struct ts_err *err);

/* The windows of one cross-validation run; 0 where not given. */
/* The series s as the fold at cutoff sees it, for ts_cv_run and the tuning
 * folds alike: y (s->n values) keeps s's values up to cutoff, NaN after;
 * *sub is s ended after cutoff + horizon, with those y, predicting from the
 * first point after cutoff, its periods chosen by span. Returns how many
 * values y keeps (a fold needs two). */
size_t ts_cv_fold(const struct ts_fc_series *s, ts_time cutoff, ts_time horizon, ts_time span,
		  double *y, struct ts_fc_series *sub);

struct ts_cv_windows {
	ts_time horizon, period, initial;
};

/* Prophet's cross_validation defaults for the windows given as 0: period
 * half the horizon; initial three horizons, or the longest seasonality
 * (longest_days; 0 when there is none) when that is longer. The horizon has
 * no default: TS_EUSAGE "--cv: give horizon=DUR (or -H)" when it is 0. */
int ts_cv_default_windows(struct ts_cv_windows *w, double longest_days, struct ts_err *err);

/* One prediction of cross-validation (Prophet's cross_validation rows). */
struct ts_cv_row {
	ts_time ds, cutoff;
	double y, yhat, lower, upper;
};

/* Run cross-validation of model fn/cfg on s (whose y holds the history; s->from
 * is ignored): for each cutoff, fit on the rows with a y and time <= cutoff
 * and predict the rows with a y in (cutoff, cutoff + horizon], the seasonal
 * periods chosen by the span of the whole history (season_span = ts_fc_span(s)),
 * as Prophet's cross_validation keeps the seasonalities of the full fit. *rows is
 * allocated (free it) and holds *nrows rows, cutoff-major in time order.
 * Errors: those of ts_cv_cutoffs, "less than two points before cutoff ...",
 * and the model's. */
int ts_cv_run(ts_forecast_fn fn, const void *cfg, const struct ts_fc_series *s, ts_time horizon,
	      ts_time period, ts_time initial, struct ts_cv_row **rows, size_t *nrows,
	      struct ts_err *err);

enum ts_metric { TS_M_MSE, TS_M_RMSE, TS_M_MAE, TS_M_MAPE, TS_M_MDAPE, TS_M_SMAPE, TS_M_COVERAGE,
		 TS_M_MASE, TS_NMETRICS };

/* Metric name ("mse" ... "coverage", "mase") to enum; -1 when unknown. */
int ts_metric_parse(const char *name);
const char *ts_metric_name(int metric);

/* Prophet's performance_metrics: rows sorted by horizon (ds - cutoff), each
 * metric averaged over a rolling window of max(1, floor(window * nrows)) rows
 * (mdape a rolling median), one line per distinct horizon that a full window
 * reaches. mape is left out (has_mape false) when min |y| < 1e-8. MASE is
 * not in the table (it needs the history). */
struct ts_cv_perf {
	size_t n;
	ts_time *horizon;
	double *m[TS_M_COVERAGE + 1];	/* TS_M_MSE .. TS_M_COVERAGE, n each */
	bool has_mape;
};

int ts_cv_performance(const struct ts_cv_row *rows, size_t nrows, double window,
		      struct ts_cv_perf *perf, struct ts_err *err);
void ts_cv_perf_free(struct ts_cv_perf *perf);

/* One number for a whole cross-validation run, for choosing between models:
 * the metric over all rows (coverage as |coverage - width|, so smaller is
 * better for every metric). scale is MASE's denominator (mean absolute
 * seasonal-naive error of the history); NAN when the metric cannot be formed. */
double ts_cv_score(const struct ts_cv_row *rows, size_t nrows, int metric, double scale,
		   double width);

/* MASE's scale: mean |y[i] - y[i - season]| over the pairs where both exist
 * (season 1 when the series has no season); NAN when there is no pair. */
double ts_mase_scale(const double *y, size_t n, size_t season);

#endif
