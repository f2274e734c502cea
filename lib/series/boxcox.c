/* SPDX-License-Identifier: GPL-3.0-or-later */
/* boxcox: Box-Cox transform and Guerrero's lambda.
 * Papers: Box & Cox (1964), "An analysis of transformations", JRSS B 26(2);
 * Guerrero (1993), "Time-series analysis supported by power transformations",
 * J. Forecasting 12(1); Brent (1973), "Algorithms for minimization without
 * derivatives", ch. 5 (localmin).
 * Reference implementation followed: R forecast 8.20 (BoxCox, BoxCox.lambda,
 * guerrero, guer.cv) on top of R's optimize(), mean(), sd() and `^`, whose
 * summation order (long double accumulators, a second pass refining the
 * mean) is kept so the optimiser takes the same steps as R's. */
#include "series/boxcox.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/num.h"
#include "core/optim.h"
#include "core/stats.h"

/* R's x ^ y for the finite cases that occur here. */
static double r_pow(double x, double y)
{
	if (y == 2.0)
		return x * x;
	if (x == 1.0 || y == 0.0)
		return 1.0;
	if (x == 0.0)
		return y > 0.0 ? 0.0 : (y < 0.0 ? INFINITY : y);
	return pow(x, y);
}

int ts_boxcox(const double *y, size_t n, double lambda, double *out, size_t *bad,
	      struct ts_err *err)
{
	if (!isfinite(lambda))
		return ts_err_set(err, TS_EUSAGE, "Box-Cox lambda must be finite");
	for (size_t i = 0; i < n; i++) {
		double v = y[i];

		if (isnan(v)) {
			out[i] = v;
			continue;
		}
		if (!isfinite(v) || v < 0.0 || (v == 0.0 && lambda <= 0.0)) {
			if (bad != NULL)
				*bad = i;
			if (!isfinite(v))
				return ts_err_set(err, TS_EDATA, "infinite value");
			if (v < 0.0)
				return ts_err_set(err, TS_EDATA,
						  "negative value %g: Box-Cox needs positive data", v);
			return ts_err_set(err, TS_EDATA,
					  "zero value: Box-Cox with lambda <= 0 needs positive data");
		}
		out[i] = lambda == 0.0 ? log(v) : (r_pow(v, lambda) - 1.0) / lambda;
		if (!isfinite(out[i])) {
			/* y^lambda beyond DBL_MAX: nothing after could use it */
			if (bad != NULL)
				*bad = i;
			return ts_err_set(err, TS_EDATA, "value %g overflows Box-Cox with lambda %g", v, lambda);
		}
	}
	return 0;
}

/* R's sd(x, na.rm = TRUE): NaN with fewer than two values. */
static double r_sd(const double *x, size_t n, size_t stride)
{
	long double sum = 0.0L;
	double mean = ts_r_mean(x, n, stride, true);
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i * stride])) {
			double d = x[i * stride] - mean;
			sum += d * d;
			m++;
		}
	if (m < 2)
		return NAN;
	return sqrt((double)(sum / (long double)(m - 1)));
}

/* guer.cv's data: the series and the subseries length. */
struct guerrero {
	const double *y;
	size_t n;
	size_t period;
	double *rat;		/* one ratio per subseries; NaN when undefined */
	size_t nsub;
};

static double guer_cv(double lambda, void *ctx)
{
	struct guerrero *g = ctx;
	const double *x = g->y + (g->n - g->nsub * g->period);
	size_t j;

	for (j = 0; j < g->nsub; j++) {
		double mean = ts_r_mean(x + j * g->period, g->period, 1, true);
		double sd = r_sd(x + j * g->period, g->period, 1);
		g->rat[j] = sd / r_pow(mean, 1.0 - lambda);
	}
	return r_sd(g->rat, g->nsub, 1) / ts_r_mean(g->rat, g->nsub, 1, true);
}

int ts_boxcox_lambda(const double *y, size_t n, size_t frequency, double lower, double upper,
		     double *lambda, struct ts_err *err)
{
	struct guerrero g;
	size_t period = frequency < 2 ? 2 : frequency;

	for (size_t i = 0; i < n; i++)
		if (y[i] <= 0.0 && lower < 0.0)
			lower = 0.0;
	if ((double)n <= 2.0 * (double)(frequency < 1 ? 1 : frequency)) {
		*lambda = 1.0;
		return 0;
	}
	g.y = y;
	g.n = n;
	g.period = period;
	g.nsub = n / period;
	g.rat = ts_mallocarray(g.nsub, sizeof *g.rat);
	if (g.rat == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	/* optimize()'s default tolerance, .Machine$double.eps^0.25 */
	*lambda = ts_brent_fmin(lower, upper, guer_cv, &g, pow(DBL_EPSILON, 0.25));
	free(g.rat);
	return 0;
}


int ts_boxcox_parse(const char *s, bool *is_auto, double *lambda, struct ts_err *err)
{
	char quoted[64];
	double v;

	*is_auto = strcmp(s, "auto") == 0;
	if (*is_auto)
		return 0;
	if (ts_num_parse(s, strlen(s), &v) == 0 && isfinite(v) && fabs(v) <= TS_BOXCOX_MAX_LAMBDA) {
		*lambda = v;
		return 0;
	}
	return ts_err_set(err, TS_EUSAGE, "invalid value \"%s\" (expected auto or a number in %g..%g)",
			  ts_err_quote(s, strlen(s), quoted, sizeof quoted), -TS_BOXCOX_MAX_LAMBDA,
			  TS_BOXCOX_MAX_LAMBDA);
}
