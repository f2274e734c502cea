/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decompose: one series split into trend + seasonal(s) + remainder around
 * STL: period bookkeeping as forecast::mstl does it, MSTL with every stl()
 * option, the moving-median method, gaps, Box-Cox, and the summary figures. */
#ifndef TS_DECOMPOSE_H
#define TS_DECOMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "series/stl.h"

/* Most seasonal periods one decomposition takes. */
#define TS_DECOMP_MAX_PERIODS 8

enum ts_decomp_method {
	TS_DECOMP_STL,		/* STL, or MSTL for several periods */
	TS_DECOMP_MEDIAN	/* moving-median trend, periodic robust STL seasonal */
};

/* How to decompose. Zero-initialised it asks for R's defaults (plain STL,
 * mstl's seasonal windows, no Box-Cox). */
struct ts_decomp_params {
	enum ts_decomp_method method;
	/* Template for every stl() fit, as R's mstl passes `...` to stl(): the
	 * period and s_window fields are ignored (periods come separately,
	 * seasonal windows from s_windows); a window or jump of 0 means R's
	 * default for that fit's period and seasonal window. Degrees, inner and
	 * outer are used as they are: start from ts_stl_defaults. */
	struct ts_stl_params stl;
	/* Seasonal windows (odd >= 3, or TS_STL_PERIODIC): none given means
	 * 7 + 4 i for the i-th kept period (i = 1, 2, ...; so 11 for one period)
	 * with TS_DECOMP_STL and periodic with TS_DECOMP_MEDIAN; one window is
	 * used for every period (mstl recycles it); otherwise one per kept period
	 * in ascending order, as mstl indexes s.window. */
	size_t s_windows[TS_DECOMP_MAX_PERIODS];
	size_t ns_windows;
	size_t iterate;		/* MSTL rounds when several periods are asked; 0: 2 */
	size_t median_window;	/* TS_DECOMP_MEDIAN trend window, odd >= 3; 0: the
				 * largest kept period made odd (R's nextodd), or
				 * without a period a tenth of the series made odd */
	bool boxcox;		/* transform first (components in that scale) */
	bool boxcox_auto;	/* lambda by Guerrero's method (ts_boxcox_lambda,
				 * bounds TS_BOXCOX_LOWER..TS_BOXCOX_UPPER, frequency
				 * the largest kept period) */
	double lambda;		/* the given lambda when boxcox && !boxcox_auto */
};

/* One series' decomposition. Arrays are allocated by ts_decompose and freed
 * by ts_decomp_free. */
struct ts_decomp {
	size_t n;
	size_t nkept;			/* periods decomposed, ascending */
	size_t kept[TS_DECOMP_MAX_PERIODS];
	size_t ndropped;		/* periods of at least n / 2 left out (mstl) */
	size_t dropped[TS_DECOMP_MAX_PERIODS];
	size_t nmissing;		/* NaN inputs, interpolated before decomposing */
	double lambda;			/* the Box-Cox lambda used, NaN without */
	double *trend;			/* n */
	double *seasonal;		/* nkept rows of n, row i for kept[i] (NULL when none) */
	double *remainder;		/* n; NaN where the input was missing */
	double *weights;		/* n robustness weights of the last stl() fit
					 * (1 without outer iterations, NaN where the
					 * input was missing); NULL without a seasonal fit */
	size_t bad;			/* on TS_EDATA about one value: its index;
					 * else SIZE_MAX */
};

/* Decompose y[0..n) (NaN = missing) with the seasonal periods periods[0..
 * nperiods) (any order; duplicates are merged; none: non-seasonal).
 *
 * In order: all values missing is TS_EDATA "all values are missing"; an
 * infinite value "infinite value" (d->bad set); all values equal "constant
 * series (every value is V)". Periods are sorted; with one period the series
 * needs n >= 2 P + 1 points (R's stl()); with several, those with 2 P >= n are
 * dropped into d->dropped as mstl drops them, and when none is left that is
 * the error for the smallest: "too short for period P: N points, need at
 * least 2P+1". Box-Cox (p->boxcox) transforms first, refusing data that
 * ts_boxcox refuses (d->bad set). Missing values are then filled as
 * ts_na_interp does with the kept periods; their remainder and weight are NaN.
 *
 * TS_DECOMP_STL: one period is stl(); several is forecast::mstl's loop
 * (p->iterate rounds of one stl() per period on the series less the other
 * seasonals; trend and weights from the last fit); none is mstl's
 * non-seasonal branch, trend = supsmu(1:n, y). TS_DECOMP_MEDIAN: trend =
 * ts_moving_median of the series; the seasonal(s) come from the same STL /
 * MSTL of the detrended series with the seasonal window(s) periodic unless
 * given and robust iterations (inner 1, outer 15 unless p->stl says
 * otherwise); remainder = series - trend - seasonals.
 *
 * Errors also: TS_EUSAGE for a period below 2, more than
 * TS_DECOMP_MAX_PERIODS periods, a seasonal window count that does not match
 * the kept periods ("3 seasonal windows for 2 periods"), and stl()'s
 * parameter errors; TS_ENOMEM. On error d holds nothing to free except
 * d->bad. */
int ts_decompose(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 const struct ts_decomp_params *p, struct ts_decomp *d, struct ts_err *err);
void ts_decomp_free(struct ts_decomp *d);

/* Running median of x[0..n) (finite) over a centred window of `window`
 * points (odd, >= 1; cut to n, or n - 1 when n is even, on short series),
 * into out (not x): the first and last window / 2 points take the median of
 * the first and last whole window, as R's runmed(x, k, endrule = "constant").
 * Uses GSL's moving-window median. Errors: TS_EUSAGE "median window must be
 * odd"; TS_ENOMEM. */
int ts_moving_median(const double *x, size_t n, size_t window, double *out, struct ts_err *err);

/* The triage figures of one decomposition. */
struct ts_decomp_summary {
	double seasonal_strength;	/* of the sum of the seasonals; NaN without */
	double trend_strength;
	double sigma;			/* 1.4826 MAD of the remainder, NaN skipped */
	size_t n;
	size_t nmissing;
};

/* Strengths as ts_seasonal_strength and ts_trend_strength compute them
 * (Wang, Smith & Hyndman 2006; max(0, 1 - var(R) / var(X + R))), over the
 * points whose remainder is not NaN; sigma = 1.4826 median |R - median R|
 * (R's mad()).
 * Returns 0 or TS_ENOMEM (n doubles of scratch). */
int ts_decomp_summarize(const struct ts_decomp *d, struct ts_decomp_summary *s,
			struct ts_err *err);

/* Classical decomposition as R's decompose(): y (n >= 2 m, m >= 2) into
 * trend (n doubles, NAN at the ends the moving average does not reach),
 * seasonal (n doubles, or NULL) and figure (m doubles). Multiplicative
 * when mult. Cannot fail. */
void ts_classical_decompose(const double *y, size_t n, size_t m, bool mult,
			    double *trend, double *seasonal, double *figure);

#endif
