/* SPDX-License-Identifier: GPL-3.0-or-later */
/* surprise: normal, Poisson and negative binomial tails (GSL's incomplete
 * gamma and beta functions), the score scale, and the calibration of a
 * series' surprises on its history: beyond the history's (1 - tau) quantile
 * the tail is exponential with the median excess
 * (a peaks-over-threshold fit, Pickands 1975, made robust). */
#include "detect/surprise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "detect/esd.h"
#include "core/gslerr.h"
#include "core/mem.h"
#include "core/stats.h"

double ts_score_of_p(double p)
{
	if (isnan(p))
		return NAN;
	return p >= 1 ? 0 : p <= 0 ? 1 : 1 - p;
}

double ts_tail_normal(double z)
{
	ts_gsl_errors_off();
	if (isnan(z))
		return NAN;
	return 2 * gsl_cdf_ugaussian_Q(fabs(z));
}

double ts_tail_normal_z(double p)
{
	ts_gsl_errors_off();
	if (isnan(p))
		return NAN;
	if (p >= 1)
		return 0;
	if (p <= 0)
		return INFINITY;
	return gsl_cdf_ugaussian_Qinv(p / 2);
}

/* The functions below take arguments inside their domains, so GSL's error
 * handler is never reached; a result that underflows is 0. */
static double gamma_p(double a, double x)
{
	gsl_sf_result r;

	ts_gsl_errors_off();
	return gsl_sf_gamma_inc_P_e(a, x, &r) == GSL_SUCCESS ? r.val : (x > a ? 1 : 0);
}

static double gamma_q(double a, double x)
{
	gsl_sf_result r;

	ts_gsl_errors_off();
	return gsl_sf_gamma_inc_Q_e(a, x, &r) == GSL_SUCCESS ? r.val : (x > a ? 0 : 1);
}

static double beta_inc(double a, double b, double x)
{
	gsl_sf_result r;

	ts_gsl_errors_off();
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	return gsl_sf_beta_inc_e(a, b, x, &r) == GSL_SUCCESS ? r.val : (x > a / (a + b) ? 1 : 0);
}

void ts_tail_count(double y, double mu, double k, double *lower, double *upper)
{
	y = floor(y);
	if (y < 0) {
		*lower = 0;
		*upper = 1;
		return;
	}
	if (!(mu > 0)) {
		*lower = 1;
		*upper = y == 0 ? 1 : 0;
		return;
	}
	if (isinf(k) || k > 1e12) {
		/* Poisson: P(Y <= y) = Q(y + 1, mu), P(Y >= y) = P(y, mu). */
		*lower = gamma_q(y + 1, mu);
		*upper = y == 0 ? 1 : gamma_p(y, mu);
		return;
	}
	/* Negative binomial with success probability pr = k / (k + mu):
	 * P(Y <= y) = I_pr(k, y + 1), P(Y >= y) = I_{1-pr}(y, k). */
	double pr = k / (k + mu);
	*lower = beta_inc(k, y + 1, pr);
	*upper = y == 0 ? 1 : beta_inc(y, k, 1 - pr);
}

double ts_tail_count2(double y, double mu, double k, bool mid)
{
	double lower, upper, p;

	if (isnan(y) || isnan(mu))
		return NAN;
	if (!mid && isinf(k) && mu > 0 && (y > mu + 1 || y < mu - 1)) {
		/* A Poisson's median lies within [mu - ln 2, mu + 1/3]: beyond
		 * it one tail is the smaller, and only that one is computed. */
		y = floor(y);
		p = y > mu ? (y == 0 ? 1 : gamma_p(y, mu)) : gamma_q(y + 1, mu);
		p *= 2;
		return p > 1 ? 1 : p < 0 ? 0 : p;
	}
	ts_tail_count(y, mu, k, &lower, &upper);
	if (mid) {
		/* P(Y = y) = lower + upper - 1 */
		double half = (lower + upper - 1) / 2;
		if (half > 0) {
			lower -= half;
			upper -= half;
		}
	}
	p = 2 * (lower < upper ? lower : upper);
	return p > 1 ? 1 : p < 0 ? 0 : p;
}

double ts_count_quantile(double p, double mu, double k)
{
	double lo = 0, hi, lower, upper, sd;

	if (!(mu > 0) || !(p > 0))
		return 0;
	if (!(p < 1))
		return INFINITY;
	sd = sqrt(mu + (isinf(k) ? 0 : mu * mu / k));
	hi = ceil(mu + 10 * sd + 10);
	for (ts_tail_count(hi, mu, k, &lower, &upper); lower < p && hi < 1e300; hi *= 2)
		ts_tail_count(hi, mu, k, &lower, &upper);
	/* The smallest y in [lo, hi] with P(Y <= y) >= p. */
	while (hi - lo > 0.5) {
		double mid = floor((lo + hi) / 2);
		ts_tail_count(mid, mu, k, &lower, &upper);
		if (lower >= p)
			hi = mid;
		else
			lo = mid + 1;
	}
	ts_tail_count(lo, mu, k, &lower, &upper);
	return lower >= p ? lo : hi;
}

int ts_tail_fit(const double *z, size_t n, double tau, bool sort, struct ts_tail_fit *fit,
		struct ts_err *err)
{
	size_t m = 0, k = 0;
	double *excess;

	memset(fit, 0, sizeof *fit);
	fit->tau = tau;
	fit->q = INFINITY;
	fit->beta = NAN;
	fit->z = ts_mallocarray(n + 1, sizeof *fit->z);
	excess = ts_mallocarray(n + 1, sizeof *excess);
	if (fit->z == NULL || excess == NULL) {
		free(excess);
		ts_tail_fit_free(fit);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		if (!isnan(z[i]))
			fit->z[m++] = fabs(z[i]);
	fit->n = m;
	if (m > 0) {
		if (sort) {
			ts_sort_nonneg(fit->z, m, excess);	/* excess: workspace until filled */
			fit->sorted = true;
			fit->q = ts_quantile7_sorted(fit->z, m, 1 - tau);
		} else {
			memcpy(excess, fit->z, m * sizeof *excess);	/* rearranged by the selection */
			fit->q = ts_quantile7_select(excess, m, 1 - tau);
		}
		/* the excesses in any order: only their median is read */
		for (size_t i = 0; i < m; i++)
			if (fit->z[i] > fit->q && isfinite(fit->z[i]))
				excess[k++] = fit->z[i] - fit->q;
		if (k >= TS_TAIL_MIN_EXCESS && isfinite(fit->q))
			fit->beta = ts_median_inplace(excess, k) / M_LN2;
	}
	free(excess);
	return 0;
}

void ts_tail_fit_free(struct ts_tail_fit *fit)
{
	free(fit->z);
	memset(fit, 0, sizeof *fit);
}

/* How many of the history's surprises are at or above z. */
static size_t count_at_or_above(const struct ts_tail_fit *fit, double z)
{
	size_t lo = 0, hi = fit->n, count = 0;

	if (!fit->sorted) {
		for (size_t i = 0; i < fit->n; i++)
			count += fit->z[i] >= z;
		return count;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fit->z[mid] < z)
			lo = mid + 1;
		else
			hi = mid;
	}
	return fit->n - lo;
}

double ts_tail_fit_p(const struct ts_tail_fit *fit, double z)
{
	double normal = ts_tail_normal(z), hist;

	if (isnan(z) || fit->n == 0)
		return normal;
	z = fabs(z);
	if (z > fit->q) {
		if (!(fit->beta > 0))
			return normal;	/* no spread beyond q: the model alone */
		hist = fit->tau * exp(-(z - fit->q) / fit->beta);
	} else {
		/* (1 + the history's points at or above z) / (n + 1) */
		hist = (double)(count_at_or_above(fit, z) + 1) / (double)(fit->n + 1);
	}
	return hist > normal ? (hist > 1 ? 1 : hist) : normal;
}

double ts_tail_fit_z(struct ts_tail_fit *fit, double p)
{
	double normal = ts_tail_normal_z(p), hist;

	if (fit->n == 0 || !(p > 0) || !(p < 1))
		return normal;
	if (p < fit->tau) {
		if (!(fit->beta > 0) || !isfinite(fit->q))
			return normal;
		hist = fit->q + fit->beta * log(fit->tau / p);
	} else {
		if (!fit->sorted) {
			qsort(fit->z, fit->n, sizeof *fit->z, ts_cmp_double);
			fit->sorted = true;
		}
		hist = ts_quantile7_sorted(fit->z, fit->n, 1 - p);
	}
	return hist > normal ? hist : normal;
}
