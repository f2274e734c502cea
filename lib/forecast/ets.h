/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ets: exponential smoothing state space models ETS(E,T,S) fitted by
 * maximum likelihood and chosen by information criterion, as R's
 * forecast::ets (8.20) fits and chooses them, with forecast.ets intervals.
 * Hyndman, Koehler, Ord & Snyder, Forecasting with exponential smoothing:
 * the state space approach (Springer 2008), ch. 2, 5, 6 and 10; Hyndman,
 * Koehler, Snyder & Grose (2002), Int. J. Forecasting 18(3). Optimiser: the
 * Nelder-Mead of Nash, Compact numerical methods (1990), alg. 19, as R's
 * optim(method = "Nelder-Mead") runs it (R's nmmin). */
#ifndef TS_ETS_H
#define TS_ETS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"

/* Component forms, numbered as forecast's C code numbers them. */
enum { TS_ETS_N = 0, TS_ETS_A = 1, TS_ETS_M = 2 };

/* Longest season ets models (R refuses seasonal models beyond 24). */
#define TS_ETS_MAXM 24

enum ts_ets_ic { TS_ETS_AICC = 0, TS_ETS_AIC, TS_ETS_BIC };

/* The arguments of forecast::ets that ts uses. Fill with ts_ets_opts_init. */
struct ts_ets_opts {
	size_t m;		/* frequency; <= 1 non-seasonal */
	char model[4];		/* "ZZZ"; letters as R: error A/M/Z, trend
				 * N/A/M/Z, season N/A/M/Z */
	int damped;		/* -1 (R's NULL): both tried; 0 or 1 forced */
	double alpha, beta, gamma, phi;	/* fixed value or NAN: estimated */
	bool mult_trend;	/* allow.multiplicative.trend */
	bool opt_mse;		/* opt.crit = "mse" (as ses() asks) instead of "lik" */
	enum ts_ets_ic ic;
};

/* R's defaults: m 1, "ZZZ", damped chosen, parameters estimated, no
 * multiplicative trend, opt.crit "lik", ic "aicc". */
void ts_ets_opts_init(struct ts_ets_opts *o);

/* A fitted model. States are ordered as R's model$states columns:
 * l, b (when there is a trend), s1..sm (s1 the newest seasonal). */
struct ts_ets_fit {
	int error, trend, season;	/* TS_ETS_N/A/M */
	bool damped;
	size_t m;			/* 1 unless seasonal */
	double alpha, beta, gamma, phi;	/* beta 0 without trend, gamma 0
					 * without season, phi 1 undamped */
	size_t nstate;			/* 1 + (trend) + m (seasonal) */
	double init[2 + TS_ETS_MAXM];	/* states before y[0] (R's initstate) */
	double last[2 + TS_ETS_MAXM];	/* states after y[n-1] */
	size_t npar;			/* R's length(model$par) */
	double loglik;			/* R's loglik: -0.5 (n log SSE + 2 sum log|mu|),
					 * the likelihood up to a constant */
	double aic, aicc, bic;
	double mse, amse;		/* R's mse and amse (nmse = 3) */
	double sigma2;			/* sum(residuals^2) / (n - npar) */
	char name[16];			/* "ETS(M,Ad,M)" */
};

/* Fit y[0..n) (finite) as forecast::ets(y, model, damped, ...) does: every
 * admissible candidate (multiplicative error or season only for strictly
 * positive data, seasonal only for 2 <= m <= 24 and n > m, restricted
 * combinations skipped as R's restrict = TRUE does) has its parameters and
 * initial states estimated by R's Nelder-Mead from R's starting values
 * within the "both" bounds, and the best by o->ic is kept. A constant
 * series with model "ZZZ" gets R's special case (SES with alpha 0.99999).
 * fitted and resid (n doubles each, may be NULL) receive the one-step
 * forecasts and the residuals (relative errors for multiplicative error).
 * Errors: TS_EUSAGE (bad model string, forbidden combination), TS_EDATA
 * (too few points: R's HoltWintersZZ fallback is not implemented; negative
 * data for a multiplicative model; no model could be fitted), TS_ENOMEM.
 * Allocates O(n + m^2) doubles once per candidate. */
int ts_ets_fit(const double *y, size_t n, const struct ts_ets_opts *o,
	       struct ts_ets_fit *fit, double *fitted, double *resid, struct ts_err *err);

/* Forecast h steps from a fit with intervals of coverage level in (0, 1),
 * as forecast.ets computes them: exact means and variances for the linear
 * models (class 1: ETS(A,N/A/Ad,N/A)) and for classes 2 (M error, N/A
 * season) and 3 (M error and season, no multiplicative trend) (Hyndman et
 * al. 2008, ch. 6); otherwise npaths simulated paths (normal errors,
 * generator seeded with seed) and their type-8 quantiles, around the point
 * forecast. R's own formulas are reproduced as they are, including two
 * departures from the book: class 1 puts gamma on the second seasonal
 * state when there is no trend (ETS(A,N,A) variances), and class 3 applies
 * the damping one step late (ETS(M,Ad,M) means are (l + b + phi b + ...) s).
 * mean, lower, upper: h doubles each.
 * Errors: TS_ENOMEM; TS_EDATA when a multiplicative trend goes negative. */
int ts_ets_forecast(const struct ts_ets_fit *fit, size_t h, double level, size_t npaths,
		    unsigned long seed, double *mean, double *lower, double *upper,
		    struct ts_err *err);

#endif
