/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classical: the common interface every forecasting model of ts-forecast
 * implements, and the table of the classical models (ets, holt-winters,
 * naive, snaive, naive2, drift, theta, mstl, lagmodels.h's msnaive and
 * snaive-ar, msmodels.h's mstl-ar) computed as R's forecast and stats do
 * (naive2 as the M4 competition's benchmark code does).
 * References: Hyndman & Athanasopoulos, Forecasting: principles and practice
 * (3rd ed., 2021) ch. 5 and 8; Hyndman, Koehler, Ord & Snyder, Forecasting
 * with exponential smoothing (Springer 2008); Holt (1957), Winters (1960);
 * Assimakopoulos & Nikolopoulos (2000), the Theta method, with Hyndman &
 * Billah (2003) for SES with drift; Bandara, Hyndman & Bergmeir (2021) for
 * MSTL. Reference implementations: R forecast 8.20 (ets, naive, snaive,
 * rwf, thetaf, stlf) and R 4.2 stats::HoltWinters / predict.HoltWinters. */
#ifndef TS_CLASSICAL_H
#define TS_CLASSICAL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

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
};

/* Defaults: m 1, h 0, level 0.8, parameters NAN, additive Holt-Winters with
 * a trend, ets "ZZZ" with damping chosen, 5000 paths, seed 42. */
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

struct ts_fc_model {
	const char *name;	/* as --model spells it */
	const char *summary;	/* one line for --help */
	ts_fc_fn *fit;
};

/* The classical models in the order --help lists them; the table ends
 * with a NULL name. */
extern const struct ts_fc_model ts_classical_models[];

/* The model named name, or NULL. */
const struct ts_fc_model *ts_classical_find(const char *name);

/* The models, callable directly. */
ts_fc_fn ts_fc_naive;		/* forecast::naive (rwf without drift) */
ts_fc_fn ts_fc_snaive;		/* forecast::snaive; needs m >= 2 and n > m */
ts_fc_fn ts_fc_drift;		/* forecast::rwf(drift = TRUE); n >= 3 */
ts_fc_fn ts_fc_holt_winters;	/* stats::HoltWinters + predict.HoltWinters; two or
				 * three free parameters: SSE minimised to 1e-14
				 * (R's L-BFGS-B stops earlier, so ours is <= R's);
				 * one: R's optimize() exactly. Multiplicative
				 * intervals beyond a season keep R's indexing, which
				 * divides by b where the season index wraps to 0 */
ts_fc_fn ts_fc_ets;		/* forecast::ets + forecast.ets */
ts_fc_fn ts_fc_theta;		/* forecast::thetaf */
ts_fc_fn ts_fc_naive2;		/* M4's Naive2: naive on the series divided by its
				 * classical multiplicative seasonal indices when
				 * n >= 3 m and thetaf's 90% test finds the season;
				 * intervals naive's, times the indices */
ts_fc_fn ts_fc_mstl;		/* forecast::stlf(method = "ets") */

/* Classical decomposition as R's decompose(): y (n >= 2 m, m >= 2) into
 * trend (n doubles, NAN at the ends the moving average does not reach),
 * seasonal (n doubles, or NULL) and figure (m doubles). Multiplicative
 * when mult. Cannot fail. */
void ts_classical_decompose(const double *y, size_t n, size_t m, bool mult,
			    double *trend, double *seasonal, double *figure);

#endif
