/* SPDX-License-Identifier: GPL-3.0-or-later */
/* boxcox: the Box-Cox power transform and Guerrero's choice of its lambda,
 * computed as R's forecast::BoxCox and forecast::BoxCox.lambda do. */
#ifndef TS_BOXCOX_H
#define TS_BOXCOX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"

/* The bounds R's forecast::BoxCox(x, lambda = "auto") searches, which
 * mstl(x, lambda = "auto") uses: BoxCox.lambda(x, lower = -0.9). */
#define TS_BOXCOX_LOWER (-0.9)
#define TS_BOXCOX_UPPER 2.0

/* The largest |lambda| --boxcox takes: beyond it y^lambda overflows for
 * ordinary data and no transform is meant. */
#define TS_BOXCOX_MAX_LAMBDA 10.0

/* Parse a --boxcox value: "auto" (*is_auto true) or a finite lambda in
 * [-TS_BOXCOX_MAX_LAMBDA, TS_BOXCOX_MAX_LAMBDA] (*is_auto false). Error
 * TS_EUSAGE "invalid value \"X\" (expected auto or a number in -10..10)". */
int ts_boxcox_parse(const char *s, bool *is_auto, double *lambda, struct ts_err *err);

/* Transform y[0..n) into out (out may be y): log(y) when lambda is 0, else
 * (y^lambda - 1) / lambda. NaN (missing) stays NaN. Every other value must
 * be finite and positive, or zero when lambda > 0. Returns 0, or TS_EDATA
 * with *bad (when bad is not NULL) the index of the first value that is not:
 * "negative value V: Box-Cox needs positive data", "zero value: Box-Cox with
 * lambda <= 0 needs positive data", "infinite value", "value V overflows
 * Box-Cox with lambda L" (y^lambda beyond the largest double). lambda must
 * be finite (TS_EUSAGE "Box-Cox lambda must be finite"). On error out is
 * unspecified. */
int ts_boxcox(const double *y, size_t n, double lambda, double *out, size_t *bad,
	      struct ts_err *err);

/* Guerrero's (1993) lambda as forecast::BoxCox.lambda(x, "guerrero", lower,
 * upper) chooses it (forecast 8.20) for a series of the given frequency
 * (points per season; several periods: the largest, as an msts is a ts of
 * that frequency; 0 or 1: non-seasonal). The series, NaN for missing, is cut
 * into its last floor(n / m) whole subseries of m = max(2, frequency) points;
 * lambda minimises the coefficient of variation of sd_j / mean_j^(1 - lambda)
 * over them, by R's optimize() (Brent's fmin, tolerance 2^-13) on
 * [lower, upper], lower raised to 0 when any value is <= 0. A series of at
 * most 2 * frequency points gives 1, as R does. Values other than NaN must be
 * finite; the caller refuses negative data (ts_boxcox would). Writes lambda
 * and returns 0, or TS_ENOMEM "out of memory" (n / m doubles are allocated). */
int ts_boxcox_lambda(const double *y, size_t n, size_t frequency, double lower, double upper,
		     double *lambda, struct ts_err *err);

#endif
