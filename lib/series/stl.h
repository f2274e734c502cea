/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stl: seasonal-trend decomposition by loess (STL, one period) and MSTL
 * (several periods), computed as R's stats::stl and forecast::mstl compute
 * them, plus the seasonal and trend strength measures built on them.
 * Cleveland, Cleveland, McRae & Terpenning (1990), J. Official Statistics 6(1);
 * Bandara, Hyndman & Bergmeir (2021), arXiv:2107.13462. */
#ifndef TS_STL_H
#define TS_STL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"

/* s_window value asking for a periodic seasonal (R's s.window = "periodic"). */
#define TS_STL_PERIODIC 0

/* The parameters of R's stl(). Windows are in points; a window or jump of 0
 * means "R's default", resolved from the series length, the period and the
 * other windows when the decomposition runs:
 *   s_window  TS_STL_PERIODIC: 10 n + 1 with s_degree forced to 0, and the
 *             seasonal replaced by its cycle-position means afterwards
 *   t_window  nextodd(ceil(1.5 period / (1 - 1.5 / s_window)))
 *   l_window  nextodd(period)
 *   jumps     ceil(window / 10)
 * Windows given explicitly must be odd and at least 3 (R would silently make
 * them odd; we refuse instead so what runs is what was asked for). */
struct ts_stl_params {
	size_t period;		/* points per cycle, >= 2 */
	size_t s_window;	/* seasonal window, or TS_STL_PERIODIC */
	size_t t_window;	/* trend window, 0 = default */
	size_t l_window;	/* low-pass window, 0 = default */
	int s_degree;		/* local degree 0 or 1 of each smoother */
	int t_degree;
	int l_degree;
	size_t s_jump;		/* evaluate every jump-th point, interpolate between; 0 = default */
	size_t t_jump;
	size_t l_jump;
	size_t inner;		/* inner (backfitting) iterations, >= 1 */
	size_t outer;		/* outer (robustness) iterations, >= 0 */
	/* Not stl()'s: threads a long series' trend and low-pass smooths may
	 * share their fits among (0 or 1: the caller's only); the numbers are
	 * the same for any count. */
	size_t threads;
};

/* Fill p with R's defaults for this period and seasonal window
 * (TS_STL_PERIODIC or an odd window >= 3): degrees 0, 1, 1; derived
 * windows and jumps left at 0 (resolved at run time); inner 2 and outer 0,
 * or inner 1 and outer 15 when robust. Callers may then change any field. */
void ts_stl_defaults(struct ts_stl_params *p, size_t period, size_t s_window, bool robust);

/* Check p for a series of n points and write the parameters that will run,
 * every default worked out, into out (which may be p) as R's fit$win, $deg,
 * $jump, $inner, $outer report them. A periodic s_window comes out as
 * 10 n + 1, so keep passing the original p to ts_stl (out would lose the
 * cycle-mean step). Errors: TS_EUSAGE with a message naming the parameter:
 * "seasonal window must be odd and at least 3" (likewise "trend window",
 * "low-pass window"), "seasonal degree must be 0 or 1" (likewise "trend",
 * "low-pass"), "inner iterations must be at least 1"; then TS_EDATA "period
 * must be at least 2" or "series too short: N points, need more than two
 * periods of P" (R's stl() refuses n <= 2 period too). */
int ts_stl_resolve(const struct ts_stl_params *p, size_t n, struct ts_stl_params *out,
		   struct ts_err *err);

/* Doubles of workspace ts_stl needs for n points of this period (SIZE_MAX
 * when that does not fit, so the caller's allocation fails). */
size_t ts_stl_work_size(size_t n, size_t period);

/* The power of two e such that y / 2^e, for the finite values of y[0..n),
 * stays below 2^900, where the smoothers' sums cannot overflow; 0 when
 * every value already is. Decompositions are linear in y, and scaling by a
 * power of two is exact, so a caller may decompose y / 2^e and scale the
 * parts back (ts_stl and ts_decompose do). */
int ts_stl_safe_exponent(const double *y, size_t n);

/* Decompose y[0..n) as y = seasonal + trend + remainder with the parameters
 * p (see ts_stl_resolve for the checks). y must be finite everywhere
 * (TS_EDATA "missing or infinite value at index I", 0-based): fill gaps first.
 * seasonal and trend (n doubles each) are required; remainder and weights
 * (n doubles, the final robustness weights, all 1 without outer iterations)
 * may be NULL. work holds ts_stl_work_size(n, p->period) doubles owned by
 * the caller. Values beyond 2^900 in magnitude (toward DBL_MAX) are
 * decomposed as y / 2^k for the power of two that brings them below, with
 * the results scaled back: the same numbers, bit for bit, as far as they
 * fit in a double, and a copy of y allocated for it (TS_ENOMEM when that
 * fails); a remainder beyond DBL_MAX is written as an infinity. On error
 * the outputs are unspecified. */
int ts_stl(const double *y, size_t n, const struct ts_stl_params *p,
	   double *seasonal, double *trend, double *remainder, double *weights,
	   double *work, struct ts_err *err);

/* MSTL options, as forecast::mstl(x, iterate, s.window, robust = ...). */
struct ts_mstl_params {
	size_t iterate;		/* rounds; 0: mstl's default, 2 when more than one
				 * period is given, else 1 (a plain ts in R) */
	const size_t *s_windows;	/* NULL: 7 + 4 i for the i-th kept period, i = 1, 2, ...
					 * Else as many entries as periods given; entry i is
					 * used for the i-th kept period in ascending order, as
					 * mstl indexes s.window. Each odd >= 3 or TS_STL_PERIODIC */
	bool robust;		/* robust stl() fits (inner 1, outer 15) */
};

/* Doubles of workspace ts_mstl needs for n points and these periods
 * (SIZE_MAX when that does not fit). */
size_t ts_mstl_work_size(size_t n, const size_t *periods, size_t nperiods);

/* Decompose y[0..n) as trend + one seasonal per period + remainder, as
 * forecast::mstl does: periods are sorted ascending, those >= n / 2 are
 * dropped (fewer than two full cycles), and each kept period's seasonal is
 * refined by iterate rounds of stl() on the series with the other seasonals
 * removed; the trend is that of the last stl() fit. With no period left (or
 * nperiods 0) the trend is Friedman's super smoother of y against 1..n, as
 * mstl does with stats::supsmu, and there is no seasonal.
 * Differences from R: a single period is dropped too when too long (R's stl()
 * would stop), and dropping is reported instead of warned about.
 * Outputs: trend and remainder (n doubles each); seasonal holds nperiods rows
 * of n, row i for kept[i], only the first *nkept rows written (may be NULL
 * when nperiods is 0); kept (nperiods slots) gets the kept periods ascending
 * and *nkept their count; dropped (nperiods slots) gets the dropped ones
 * ascending and *ndropped their count, so the caller can warn as mstl does
 * (dropped and ndropped may be NULL). p NULL means defaults.
 * work holds ts_mstl_work_size(n, periods, nperiods) doubles; no allocation.
 * Errors: TS_EUSAGE "period must be at least 2"; TS_EDATA "series too short:
 * 0 points" or "missing or infinite value at index I"; errors of ts_stl for
 * a kept period, prefixed "period P: ". On error the outputs are unspecified. */
int ts_mstl(const double *y, size_t n, const size_t *periods, size_t nperiods,
	    const struct ts_mstl_params *p,
	    double *trend, double *seasonal, double *remainder,
	    size_t *kept, size_t *nkept, size_t *dropped, size_t *ndropped,
	    double *work, struct ts_err *err);

/* MSTL with a full stl() template: y (finite) as trend + one seasonal per
 * period + remainder, each period in turn refitted by stl() on the series
 * less the other seasonals, iterate rounds, as forecast::mstl does; periods
 * ascending, each with 2 P < n, at least one. s_windows as in
 * ts_decomp_params (ns 0: 7 + 4 i). seasonal holds nperiods rows of n;
 * weights (may be NULL) gets the last fit's weights. remainder (which must
 * not overlap y) holds the series less the seasonals while they are fitted.
 * work holds ts_mstl_full_work_size(n, periods, nperiods) doubles. Errors: ts_stl's,
 * prefixed "period P: " when there are several periods. */
size_t ts_mstl_full_work_size(size_t n, const size_t *periods, size_t nperiods);
int ts_mstl_full(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 const struct ts_stl_params *tmpl, const size_t *s_windows, size_t ns_windows,
		 size_t iterate, double *trend, double *seasonal, double *remainder,
		 double *weights, double *work, struct ts_err *err);

/* Friedman's super smoother as R's stats::supsmu(x, y) computes it with
 * span "cv", bass 0, unit weights, x strictly increasing (not checked):
 * writes the smooth of y at each x into smo. work holds 8 n doubles.
 * n >= 1; cannot fail. */
void ts_supsmu(const double *x, const double *y, size_t n, double *smo, double *work);

/* Strength of seasonality max(0, 1 - var(R) / var(S + R)) and of trend
 * max(0, 1 - var(R) / var(T + R)) (Wang, Smith & Hyndman 2006, as in
 * forecast and feasts). Points where either input is NaN are skipped;
 * 0 when fewer than two points remain or the denominator variance is 0. */
double ts_seasonal_strength(const double *seasonal, const double *remainder, size_t n);
double ts_trend_strength(const double *trend, const double *remainder, size_t n);

#endif
