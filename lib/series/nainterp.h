/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nainterp: filling the missing values of a regular series the way R's
 * forecast::na.interp does (linear, or seasonally adjusted via robust MSTL). */
#ifndef TS_NAINTERP_H
#define TS_NAINTERP_H

#include <stddef.h>

#include "core/tserr.h"

/* Fill the missing values of the regular series y[0..n) as R's
 * forecast::na.interp(x) does (forecast 8.20, no Box-Cox), writing the whole
 * series to out (n doubles; out may be y to fill in place).
 *
 * Input: a value is missing when it is NaN; every other value must be
 * finite. periods: the seasonal periods in points, nperiods of them (0 for a
 * non-seasonal series; a period of 1 is the same as none), like a ts of that
 * frequency (one period) or an msts (several, any order).
 *
 * Method: with no seasonal period, or at most 2 max(periods) non-missing
 * values, linear interpolation between the nearest non-missing neighbours,
 * leading and trailing gaps taking the first and last value (R's approx,
 * rule = 2). Otherwise: a least-squares fit of intercept + Fourier terms
 * (K = min(P/2, 5) pairs for one period, min(P/2, 20) for each of several)
 * + an orthogonal polynomial in time (degree min(max(n/10, 1), 6)) to the
 * non-missing values provisionally fills the gaps; robust MSTL (ts_mstl,
 * robust, seasonal windows 11, 15, ...) of that series gives the seasonal
 * component(s); the seasonally adjusted series (trend + remainder) is
 * interpolated linearly over the originally missing points and the seasonal
 * added back. If a filled value falls more than half the observed range
 * outside the observed range, the linear method is used instead, as R does.
 * Non-missing values are copied unchanged; with nothing missing out = y.
 *
 * Memory: allocates its own scratch once per call, about n (2K + 25 + P)
 * doubles for K Fourier pairs (at most 5, or 20 per period) and P periods,
 * and frees it before returning; nothing is kept between calls. The linear
 * path allocates nothing.
 *
 * Returns 0, or with out unspecified:
 *   TS_EUSAGE "period must be at least 1" for a period of 0;
 *   TS_EDATA  "infinite value at index I" (0-based);
 *   TS_EDATA  "need at least two non-missing values to interpolate"
 *             (when something is missing and fewer than 2 values are not);
 *   TS_ENOMEM "out of memory". */
int ts_na_interp(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 double *out, struct ts_err *err);

#endif
