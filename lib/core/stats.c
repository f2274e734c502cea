/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats: the sample statistics every module shares (R's mean, medians, type-7
 * and type-8 quantiles, the qsort order of doubles, a radix sort of
 * non-negative doubles), each written once.
 * Hyndman & Fan (1996) for the quantile types; R 4.2's mean.default. */
#include "core/stats.h"
#include "core/select.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

int ts_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static uint64_t bits_of(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	return u;
}

void ts_sort_nonneg(double *x, size_t n, double *tmp)
{
	size_t count[256];
	double *from = x, *to = tmp;

	for (int shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(bits_of(from[i]) >> shift) & 0xff]++;
		if (n == 0 || count[(bits_of(from[0]) >> shift) & 0xff] == n)
			continue;	/* a byte all values share */
		size_t sum = 0;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(bits_of(from[i]) >> shift) & 0xff]++] = from[i];
		double *t = from;
		from = to;
		to = t;
	}
	if (from != x)
		memcpy(x, from, n * sizeof *x);
}

double ts_r_mean(const double *x, size_t n, size_t stride, bool na_rm)
{
	long double s = 0.0L, t = 0.0L;
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!na_rm || !isnan(x[i * stride])) {
			s += x[i * stride];
			m++;
		}
	if (m == 0)
		return NAN;
	s /= (long double)m;
	if (isfinite((double)s)) {
		for (size_t i = 0; i < n; i++)
			if (!na_rm || !isnan(x[i * stride]))
				t += x[i * stride] - s;
		s += t / (long double)m;
	}
	return (double)s;
}

double ts_median_inplace(double *x, size_t n)
{
	double pair[2];

	if (n % 2)
		return ts_select(x, n, n / 2);
	ts_select_pair(x, n, n / 2 - 1, pair);
	return (pair[0] + pair[1]) / 2;
}

double ts_median_sorted(const double *x, size_t n)
{
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

double ts_quantile_inplace(double *x, size_t n, double prob)
{
	gsl_sort(x, 1, n);
	return gsl_stats_quantile_from_sorted_data(x, 1, n, prob);
}

double ts_quantile7_sorted(const double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

double ts_quantile7_select(double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p, pair[2];
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return ts_select(x, n, n - 1);
	ts_select_pair(x, n, lo, pair);
	return pair[0] + (h - (double)lo) * (pair[1] - pair[0]);
}

double ts_quantile8_sorted(const double *x, size_t n, double p)
{
	const double fuzz = 4 * DBL_EPSILON;
	double nppm = 1.0 / 3 + p * ((double)n + 1.0 / 3), hh;
	double j = floor(nppm + fuzz);
	long jj = (long)j;
	double lo, hi;

	hh = nppm - j;
	if (fabs(hh) < fuzz)
		hh = 0;
	lo = x[jj < 1 ? 0 : jj > (long)n ? (long)n - 1 : jj - 1];
	hi = x[jj + 1 < 1 ? 0 : jj + 1 > (long)n ? (long)n - 1 : jj];
	return hh == 0 ? lo : lo + hh * (hi - lo);
}
