/* SPDX-License-Identifier: GPL-3.0-or-later */
/* esd: generalised ESD with median/MAD and its seasonal hybrid wrapper, step
 * for step as twitter/AnomalyDetection's detect_anoms() and
 * AnomalyDetectionTs() run them (Rosner 1983; Vallis et al. 2014). */
#include "detect/esd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "core/gslerr.h"
#include "core/mem.h"
#include "core/stats.h"
#include "series/stl.h"

/* R's critical value lambda_i for step i of n. */
static double esd_lambda(size_t n, size_t i, double alpha, bool one_tail)
{
	double p, t, ni = (double)(n - i);

	if (n < i + 2)
		return NAN;
	p = one_tail ? 1 - alpha / (double)(n - i + 1) : 1 - alpha / (2 * (double)(n - i + 1));
	t = gsl_cdf_tdist_Pinv(p, (double)(n - i - 1));
	return t * ni / sqrt((ni - 1 + t * t) * (double)(n - i + 1));
}

int ts_esd_test(const double *r, size_t n, double k, double alpha, enum ts_esd_direction dir,
		size_t *order, size_t *nremoved, size_t *count, double *center, double *scale,
		double *crit, double *work, size_t *iwork, struct ts_err *err)
{
	double *vals = work, *scratch = work + n;
	size_t *idx = iwork;
	size_t max_out, m = n, kept = 0;
	bool one_tail = dir != TS_ESD_BOTH;

	ts_gsl_errors_off();
	if (!(k > 0 && k < 0.5))
		return ts_err_set(err, TS_EUSAGE, "max anomalies must be in (0, 0.5)");
	if (!(alpha > 0 && alpha < 1))
		return ts_err_set(err, TS_EUSAGE, "alpha must be in (0, 1)");
	*nremoved = 0;
	*count = 0;
	max_out = (size_t)((double)n * k);
	memcpy(vals, r, n * sizeof *vals);
	for (size_t j = 0; j < n; j++)
		idx[j] = j;
	for (size_t i = 1; i <= max_out && m > 2; i++) {
		double med, sigma, best = -INFINITY, lam;
		size_t at = 0;

		memcpy(scratch, vals, m * sizeof *scratch);
		med = ts_median_inplace(scratch, m);
		for (size_t j = 0; j < m; j++)
			scratch[j] = fabs(vals[j] - med);
		sigma = 1.4826 * ts_median_inplace(scratch, m);
		if (sigma == 0)
			break;
		for (size_t j = 0; j < m; j++) {
			double a = dir == TS_ESD_POS ? vals[j] - med
				 : dir == TS_ESD_NEG ? med - vals[j] : fabs(vals[j] - med);
			a /= sigma;
			if (a > best) {
				best = a;
				at = j;
			}
		}
		order[(*nremoved)++] = idx[at];
		memmove(vals + at, vals + at + 1, (m - at - 1) * sizeof *vals);
		memmove(idx + at, idx + at + 1, (m - at - 1) * sizeof *idx);
		m--;
		lam = esd_lambda(n, i, alpha, one_tail);
		if (best > lam)
			*count = i;
	}
	/* Centre and scale of what is left once the anomalies are out. */
	{
		unsigned char *is_anom = (unsigned char *)scratch;
		memset(is_anom, 0, n);
		for (size_t j = 0; j < *count; j++)
			is_anom[order[j]] = 1;
		for (size_t j = 0; j < n; j++)
			if (!is_anom[j])
				vals[kept++] = r[j];
	}
	if (kept == 0) {
		*center = NAN;
		*scale = NAN;
	} else {
		memcpy(scratch, vals, kept * sizeof *scratch);
		*center = ts_median_inplace(scratch, kept);
		for (size_t j = 0; j < kept; j++)
			scratch[j] = fabs(vals[j] - *center);
		*scale = 1.4826 * ts_median_inplace(scratch, kept);
	}
	*crit = esd_lambda(n, *count + 1, alpha, one_tail);
	return 0;
}

/* One chunk x[0..m) whose first point is index `base` of the series. */
static int shesd_chunk(const double *x, size_t m, size_t base, const struct ts_shesd_params *p,
		       unsigned char *anom, double *score, double *expected, double *lower,
		       double *upper, struct ts_err *err)
{
	struct ts_stl_params sp;
	size_t wsize = ts_stl_work_size(m, p->period);
	double *seasonal = ts_mallocarray(m, sizeof *seasonal);
	double *trend = ts_mallocarray(m, sizeof *trend);
	double *r = ts_mallocarray(m, sizeof *r);
	double *work = ts_mallocarray(wsize > 2 * m ? wsize : 2 * m, sizeof *work);
	size_t *order = ts_mallocarray(m + 1, sizeof *order);
	size_t *iwork = ts_mallocarray(m, sizeof *iwork);
	size_t nremoved, count;
	double center, scale, crit, median_x;
	int rc;

	if (seasonal == NULL || trend == NULL || r == NULL || work == NULL || order == NULL ||
	    iwork == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	if (m <= 2 * p->period) {
		rc = ts_err_set(err, TS_EDATA, "esd needs more than two periods: %zu points, period %zu",
				m, p->period);
		goto out;
	}
	if ((size_t)((double)m * p->max_anoms) == 0) {
		rc = ts_err_set(err, TS_EDATA, "esd: --max-anoms %g allows no anomaly in %zu points",
				p->max_anoms, m);
		goto out;
	}
	ts_stl_defaults(&sp, p->period, TS_STL_PERIODIC, true);
	if ((rc = ts_stl(x, m, &sp, seasonal, trend, NULL, NULL, work, err)) != 0)
		goto out;
	memcpy(r, x, m * sizeof *r);
	median_x = ts_median_inplace(r, m);
	for (size_t i = 0; i < m; i++)
		r[i] = x[i] - seasonal[i] - median_x;
	rc = ts_esd_test(r, m, p->max_anoms, p->alpha, p->direction, order, &nremoved, &count,
			 &center, &scale, &crit, work, iwork, err);
	if (rc != 0)
		goto out;
	for (size_t i = 0; i < m; i++) {
		double e = trend[i] + seasonal[i];
		anom[base + i] = 0;
		score[base + i] = scale > 0 ? (r[i] - center) / scale : 0;
		expected[base + i] = e;
		lower[base + i] = scale > 0 && !isnan(crit) ? e - crit * scale : NAN;
		upper[base + i] = scale > 0 && !isnan(crit) ? e + crit * scale : NAN;
	}
	for (size_t j = 0; j < count; j++)
		anom[base + order[j]] = 1;
out:
	TS_FREE_ALL(seasonal, trend, r, work, order, iwork);
	return rc;
}

/* Keep anomalies at or above the median / p95 / p99 of the daily maxima. */
static int apply_threshold(const ts_time *t, const double *x, size_t n, const struct ts_zone *zone,
			   enum ts_esd_threshold th, unsigned char *anom, struct ts_err *err)
{
	double *maxima = ts_mallocarray(n + 1, sizeof *maxima), thresh;
	size_t nd = 0;
	int64_t day = 0;

	if (maxima == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		ts_time wall = t[i] + (ts_time)ts_zone_offset(zone, t[i]) * TS_US_PER_S;
		int64_t d = wall >= 0 ? wall / TS_US_PER_DAY : -((-wall - 1) / TS_US_PER_DAY) - 1;
		if (nd == 0 || d != day) {
			/* The series is sorted (regular), so a day's rows are contiguous. */
			maxima[nd++] = x[i];
			day = d;
		} else if (x[i] > maxima[nd - 1]) {
			maxima[nd - 1] = x[i];
		}
	}
	thresh = th == TS_ESD_THRESH_MED_MAX ? ts_median_inplace(maxima, nd)
	       : ts_quantile_inplace(maxima, nd, th == TS_ESD_THRESH_P95 ? 0.95 : 0.99);
	for (size_t i = 0; i < n; i++)
		if (anom[i] && !(x[i] >= thresh))
			anom[i] = 0;
	free(maxima);
	return 0;
}

int ts_shesd(const ts_time *t, const double *x, size_t n, const struct ts_zone *zone,
	     const struct ts_shesd_params *p, unsigned char *anom, double *score,
	     double *expected, double *lower, double *upper, struct ts_err *err)
{
	int rc;

	if (p->period < 2)
		return ts_err_set(err, TS_EUSAGE, "esd: period must be at least 2");
	if (!(p->max_anoms > 0 && p->max_anoms <= 0.49))
		return ts_err_set(err, TS_EUSAGE, "--max-anoms must be in (0, 0.49]");
	if (n == 0)
		return 0;
	if (!p->piecewise || p->piecewise_points == 0) {
		rc = shesd_chunk(x, n, 0, p, anom, score, expected, lower, upper, err);
	} else {
		unsigned char *flags = ts_calloc(n, 1);
		if (flags == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		rc = 0;
		/* AnomalyDetectionTs' longterm chunks: from every piecewise_points-th
		 * point, a whole chunk [start, start + len) when the series reaches
		 * that far, else the last len of the series. Anomalies are the union. */
		for (size_t j = 0; j < n && rc == 0; j += p->piecewise_points) {
			ts_time start = t[j], last = t[n - 1];
			ts_time end = start + p->piecewise_us < last ? start + p->piecewise_us : last;
			size_t a, b;
			if (end - start == p->piecewise_us) {
				for (a = j; a < n && t[a] < start; a++)
					;
				for (b = a; b < n && t[b] < end; b++)
					;
			} else {
				for (a = 0; a < n && !(t[a] > last - p->piecewise_us); a++)
					;
				b = n;
			}
			rc = shesd_chunk(x + a, b - a, a, p, anom, score, expected, lower, upper, err);
			for (size_t i = a; i < b && rc == 0; i++)
				flags[i] |= anom[i];
		}
		if (rc == 0)
			memcpy(anom, flags, n);
		free(flags);
	}
	if (rc == 0 && p->threshold != TS_ESD_THRESH_NONE)
		rc = apply_threshold(t, x, n, zone, p->threshold, anom, err);
	return rc;
}
