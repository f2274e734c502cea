/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodel: the one interface every forecasting model implements (a series in,
 * predictions and intervals out), its capability flags, and the regular-grid
 * kernel form the classical models compute on underneath it. */
#ifndef TS_FCMODEL_H
#define TS_FCMODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "io/tstime.h"

/* One series as a model sees it: rows sorted by time. Rows whose y is NAN
 * (missing, excluded, or to forecast) are not fitted but are predicted. */
struct ts_fc_series {
	size_t n;
	const ts_time *t;		/* instants */
	const double *day;		/* wall-clock days since 1970-01-01 (seasonality, calendars) */
	const double *y;
	struct ts_dur interval;		/* the grid step (for models that count steps) */
	size_t ncols;			/* extra per-row columns the model was set up with */
	const double *const *cols;	/* (Prophet: cap, floor, regressors, then conditions; NULL entries allowed) */
	size_t from;			/* only rows [from, n) need a prediction */
	ts_time season_span;		/* the span seasonal periods are chosen by (period.h);
					 * 0: ts_fc_span of these rows */
};

/* The time the rows with a value cover: from the first to the last, plus one
 * grid step when the interval is a fixed duration (336 hourly points cover
 * 14 days); s->season_span instead when it is set. 0 without two values. */
ts_time ts_fc_span(const struct ts_fc_series *s);

/* Where a model writes: each of n values, rows [from, n) filled. comp is
 * NULL or ncomp x n (component-major) for models that have components. */
struct ts_fc_result {
	double *yhat, *lower, *upper;
	double *comp;
	const char *chosen;	/* a model that picks another: the one it used, or NULL */
	double chosen_score;	/* and its cross-validation score (NAN: none) */
	char chosen_buf[96];	/* where such a model may write chosen's text */
};

/* A forecasting model: fit on the rows of s that have a y, write predictions
 * and intervals (width, samples and seed are in cfg) for rows [s->from, s->n).
 * cfg is the model's own settings. Returns 0 or a TS_E code with err set
 * ("fewer than two points with a value", ...). Must be thread-safe for
 * distinct r: -j runs one call per series on each thread. */
typedef int (*ts_forecast_fn)(const void *cfg, const struct ts_fc_series *s,
			      struct ts_fc_result *r, struct ts_err *err);

/* What a model can do, for the registry (forecast.h) and its callers. */
enum ts_fc_caps {
	TS_FC_INTERVALS = 1 << 0,	/* writes lower and upper */
	TS_FC_REGULAR = 1 << 1,		/* needs rows on a regular grid (counts steps) */
	TS_FC_COMPONENTS = 1 << 2,	/* trend and one column per seasonality (--components) */
	TS_FC_TUNABLE = 1 << 3		/* --tune searches its prior scales and mode */
};

/* ---- the regular-grid kernel ---------------------------------------------
 * The classical models compute on y[0..n) alone, evenly spaced, no gaps;
 * ts_classical_forecast (fcmodels.h) runs such a kernel as a ts_forecast_fn. */

/* Holt-Winters seasonal form. */
enum ts_hw_season {
	TS_HW_ADDITIVE = 0,	/* R's seasonal = "additive" (its default) */
	TS_HW_MULTIPLICATIVE,	/* seasonal = "multiplicative" */
	TS_HW_NONSEASONAL	/* gamma = FALSE (also what m <= 1 means) */
};

/* What to forecast and how. Fill with ts_fc_spec_init, then set fields.
 * Every model reads m, h and level; the rest is per model and ignored by
 * the models it does not concern. */
struct ts_fc_spec {
	size_t m;		/* season length in points; 0 or 1: none */
	size_t h;		/* future points to forecast, >= 0 */
	double level;		/* interval coverage, in (0, 1): 0.8 gives the
				 * 10% and 90% quantiles */

	/* ets and holt-winters: a smoothing parameter fixed at a value, or
	 * NAN (ts_fc_spec_init) to estimate it. */
	double alpha, beta, gamma, phi;

	/* holt-winters */
	enum ts_hw_season hw_season;
	bool hw_trend;		/* false: beta = FALSE in R (no trend) */

	/* ets: R's model string ("ZZZ": all chosen by the information
	 * criterion; each letter E/T/S in A, M, N, Z as R spells them) and
	 * damped (-1 = chosen, as R's NULL; 0 or 1 forced). */
	char ets_model[4];
	int ets_damped;
	bool ets_mult_trend;	/* R's allow.multiplicative.trend */

	/* mstl: the seasonal periods (NULL: just m). */
	const size_t *periods;
	size_t nperiods;

	/* Simulated intervals (ets with a multiplicative trend): paths and
	 * the seed of the generator, so a run is reproducible. */
	size_t npaths;
	unsigned long seed;

	/* dhr and mstl-ar (msmodels.h) calibrate their h-step band on their
	 * own forecasts of the history; raw_band keeps the model's normal band
	 * (auto's candidates: auto calibrates the band it writes itself). */
	bool raw_band;
};

/* Defaults: m 1, h 0, level 0.8, parameters NAN, additive Holt-Winters with
 * a trend, ets "ZZZ" with damping chosen, 5000 paths, seed 42, calibrated
 * bands (raw_band false). */
void ts_fc_spec_init(struct ts_fc_spec *spec);

/* What a model writes. The six arrays are owned by the caller: fitted,
 * fitted_lower and fitted_upper hold n doubles, mean, lower and upper h.
 * fitted[i] is the model's one-step forecast of y[i] from y[0..i) (NAN
 * where the model has none, e.g. the first m points of snaive), its
 * bounds fitted[i] -/+ the model's one-step quantile at the spec's level;
 * mean/lower/upper are the forecasts of y[n..n+h) and their prediction
 * interval. Scalars are NAN where the model does not define them. */
struct ts_fc_out {
	double *fitted, *fitted_lower, *fitted_upper;
	double *mean, *lower, *upper;
	char name[64];		/* "ETS(M,Ad,M)", "Holt-Winters (additive)", ... */
	double loglik, aic, aicc, bic;
	double sigma2;		/* one-step innovation variance (relative for
				 * multiplicative-error ETS) */
	double alpha, beta, gamma, phi;	/* smoothing parameters used */
};

/* What every classical model does first: out's name and statistics to
 * "none" (ts_fc_out_reset), then checks that spec's level is in (0, 1), that
 * there are at least need points and that each is finite (ts_fc_check:
 * TS_EUSAGE / TS_EDATA with the messages the models share). ts_fc_z is the
 * normal quantile of a central interval of coverage level. */
void ts_fc_out_reset(struct ts_fc_out *out);
int ts_fc_check(const double *y, size_t n, const struct ts_fc_spec *spec, size_t need,
		struct ts_err *err);
double ts_fc_z(double level);

/* A model: fit y[0..n) (finite, regular, no gaps: fill them first) and
 * forecast spec->h points. Returns 0, or TS_EUSAGE (bad spec), TS_EDATA
 * (a series this model cannot use: too short, non-positive for a
 * multiplicative form, ...), TS_ENOMEM; err says why. Each call allocates
 * its workspace once (O(n + h + m²) doubles) and frees it before it
 * returns; the outputs are unspecified on error. */
typedef int ts_fc_fn(const double *y, size_t n, const struct ts_fc_spec *spec,
		     struct ts_fc_out *out, struct ts_err *err);

/* Which settings a model's cfg points to. */
enum ts_fc_settings {
	TS_FC_CLASSICAL,	/* struct ts_classical_cfg (fcmodels.h), with its kernel */
	TS_FC_PROPHET,		/* struct ts_prophet_opts (prophet.h) */
	TS_FC_AUTO		/* struct ts_auto_cfg (fcmodels.h) */
};

/* One row of the registry (forecast.h): a model as --model names it. */
struct ts_fc_model {
	const char *name;		/* as --model spells it */
	unsigned caps;			/* enum ts_fc_caps */
	enum ts_fc_settings settings;	/* what its cfg is */
	ts_forecast_fn forecast;	/* the model */
	ts_fc_fn *kernel;		/* the regular-grid kernel forecast runs, or NULL */
	unsigned auto_rank;		/* its place among auto's candidates (1: the
					 * reference OWA is measured against); 0: not one */
};

#endif
