/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lagmodels: forecasts built from the values one or more seasons back, for
 * short-interval data whose daily profile changes from day to day: the mean of
 * the seasonal naive forecasts over several periods (msnaive), and seasonal
 * naive corrected by an autoregression of the seasonal differences (snaive-ar,
 * ARIMA(p,0,0)(0,1,0)m with R's ar() doing the AR part). References: Hyndman &
 * Athanasopoulos, Forecasting: principles and practice (3rd ed., 2021) 5.2 and
 * 9.9; Brockwell & Davis, Time series: theory and methods (2nd ed., 1991) 8.1
 * (Yule-Walker, Durbin-Levinson) and 5.3 (psi weights). Reference
 * implementation: R 4.2 stats::ar.yw and predict.ar. */
#ifndef TS_LAGMODELS_H
#define TS_LAGMODELS_H

#include <stddef.h>

#include "forecast/fcmodel.h"
#include "core/tserr.h"

/* Longest autoregression ts_ar_yw fits (R's default order.max,
 * floor(10 log10 n), reaches 64 only past 2.5e6 points). */
#define TS_AR_MAXORDER 64

/* An autoregression x[t] - mean = sum phi[k] (x[t-1-k] - mean) + e[t]. */
struct ts_ar {
	double mean;
	size_t order;
	double phi[TS_AR_MAXORDER];
	double var_pred;	/* innovation variance, R's var.pred */
};

/* R's ar(x) with its defaults (method "yule-walker", aic TRUE, demean TRUE,
 * order.max min(n - 1, floor(10 log10 n)), at most TS_AR_MAXORDER): the
 * sample autocovariances (divisor n) of x[0..n) less its mean, the
 * Durbin-Levinson recursion, the order of least n log(v_k) + 2k and
 * var.pred = v_order n / (n - order - 1). A constant x gets order 0 and
 * variance 0. Errors: TS_EDATA when n < 2 or a value is not finite. */
int ts_ar_yw(const double *x, size_t n, struct ts_ar *ar, struct ts_err *err);

/* Forecast h steps of the autoregression ar fitted to x[0..n) (n >= ar->order),
 * as R's predict.ar: mean[j] = ar->mean + sum phi[k] (x[n+j-1-k] - ar->mean)
 * with forecasts in place of the values not seen, and se[j] the standard
 * error sqrt(var_pred sum_{i<=j} psi_i^2) from the psi weights. work holds h
 * doubles. Cannot fail. */
void ts_ar_forecast(const struct ts_ar *ar, const double *x, size_t n, size_t h, double *mean,
		    double *se, double *work);

/* The mean of the seasonal naive forecasts (forecast::snaive) at each
 * period of spec->periods (or spec->m) that is at least 2 and shorter than
 * the series; with one such period it is snaive. fitted[i] is the mean of
 * y[i - p] over those periods p (NAN before the longest), sigma2 the mean
 * square of the fitted errors, and the h-step interval that of snaive at the
 * shortest period: sigma2 (floor(h / p_min) + 1). Errors: TS_EUSAGE "msnaive
 * needs a season length of at least 2", TS_EDATA (too short for any period,
 * a value not finite). */
ts_fc_fn ts_fc_msnaive;

/* Seasonal naive plus an AR model of the seasonal differences, i.e.
 * ARIMA(p,0,0)(0,1,0)m with drift: d[t] = y[t] - y[t - m] fitted by ts_ar_yw,
 * forecasts y[n + j] = y[n + j - m] + the AR forecast of d (predict.ar),
 * fitted values the one-step forecasts from index m + p on (NAN before), and
 * intervals from the psi weights of (1 - phi(B))(1 - B^m) with var.pred, as
 * predict.Arima forms them. Needs spec->m >= 2 (TS_EUSAGE "snaive-ar needs a
 * season length of at least 2") and n >= m + 2 (TS_EDATA). */
ts_fc_fn ts_fc_snaive_ar;

#endif
