/* SPDX-License-Identifier: GPL-3.0-or-later */
/* robust: ranks a sample once; medians, MADs and quantiles of what is left
 * after skipping points are then walks over the ranks, O(n) and no sort.
 * One look at a sample is cheaper still by selection. */
#include "series/robust.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/stats.h"

/* An unsigned key ordered as the double is (finite values). */
static uint64_t order_key(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	return (u >> 63) != 0 ? ~u : u | 0x8000000000000000ULL;
}

static double key_value(uint64_t k)
{
	uint64_t u = (k >> 63) != 0 ? k & ~0x8000000000000000ULL : ~k;
	double v;

	memcpy(&v, &u, sizeof v);
	return v;
}

/* Sort keys[0..m) with their indices: LSD radix on bytes, stable (equal
 * values keep index order), a byte all keys share is skipped. No
 * comparisons, so no mispredicted branches on random data. The passes go
 * back and forth between the arrays and their workspace; the result ends
 * in key and at. */
static void radix_sort(uint64_t *key, size_t *at, uint64_t *key_tmp, size_t *at_tmp, size_t m)
{
	size_t count[256];
	uint64_t *key_from = key, *key_to = key_tmp;
	size_t *at_from = at, *at_to = at_tmp;

	for (int shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < m; i++)
			count[(key_from[i] >> shift) & 0xff]++;
		if (m == 0 || count[(key_from[0] >> shift) & 0xff] == m)
			continue;
		size_t sum = 0;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < m; i++) {
			size_t to = count[(key_from[i] >> shift) & 0xff]++;
			key_to[to] = key_from[i];
			at_to[to] = at_from[i];
		}
		uint64_t *kt = key_from;
		size_t *it = at_from;
		key_from = key_to;
		key_to = kt;
		at_from = at_to;
		at_to = it;
	}
	if (key_from != key) {
		memcpy(key, key_from, m * sizeof *key);
		memcpy(at, at_from, m * sizeof *at);
	}
}

int ts_ranked_init(struct ts_ranked *r, const double *x, size_t n, struct ts_err *err)
{
	uint64_t *key = ts_mallocarray(2 * n + 1, sizeof *key);
	size_t *at_tmp = ts_mallocarray(n + 1, sizeof *at_tmp);
	size_t m = 0;

	r->n = 0;
	r->v = ts_mallocarray(n + 1, sizeof *r->v);
	r->at = ts_mallocarray(n + 1, sizeof *r->at);
	if (key == NULL || at_tmp == NULL || r->v == NULL || r->at == NULL) {
		free(key);
		free(at_tmp);
		ts_ranked_free(r);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i])) {
			key[m] = order_key(x[i] == 0 ? 0.0 : x[i]);	/* -0 ranks as 0 */
			r->at[m] = i;
			m++;
		}
	radix_sort(key, r->at, key + n, at_tmp, m);
	for (size_t i = 0; i < m; i++)
		r->v[i] = key_value(key[i]);
	r->n = m;
	free(key);
	free(at_tmp);
	return 0;
}

void ts_ranked_free(struct ts_ranked *r)
{
	free(r->v);
	free(r->at);
	r->v = NULL;
	r->at = NULL;
	r->n = 0;
}

static bool kept(const struct ts_ranked *r, const unsigned char *skip, size_t rank)
{
	return skip == NULL || !skip[r->at[rank]];
}

size_t ts_ranked_count(const struct ts_ranked *r, const unsigned char *skip)
{
	size_t m = 0;

	for (size_t i = 0; i < r->n; i++)
		m += kept(r, skip, i);
	return m;
}

/* The k0-th and k1-th (k0 <= k1, from 0) smallest kept values. */
static void kth_pair(const struct ts_ranked *r, const unsigned char *skip, size_t k0, size_t k1,
		     double *v0, double *v1)
{
	size_t seen = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (!kept(r, skip, i))
			continue;
		if (seen == k0)
			*v0 = r->v[i];
		if (seen == k1) {
			*v1 = r->v[i];
			return;
		}
		seen++;
	}
}

double ts_ranked_quantile(const struct ts_ranked *r, const unsigned char *skip, double p)
{
	size_t m = ts_ranked_count(r, skip);
	double index, delta, lhs_v = NAN, rhs_v = NAN;
	size_t lhs;

	if (m == 0)
		return NAN;
	index = p * (double)(m - 1);
	lhs = (size_t)index;
	delta = index - (double)lhs;
	if (lhs >= m - 1) {
		kth_pair(r, skip, m - 1, m - 1, &lhs_v, &rhs_v);
		return lhs_v;
	}
	kth_pair(r, skip, lhs, lhs + 1, &lhs_v, &rhs_v);
	return (1 - delta) * lhs_v + delta * rhs_v;
}

/* The median of m kept values as GSL's gsl_stats_median gives it. */
static double median_of(double lo, double hi, size_t m)
{
	return m % 2 == 1 ? hi : (lo + hi) / 2;
}

void ts_ranked_center_scale(const struct ts_ranked *r, const unsigned char *skip, double *center,
			    double *scale)
{
	size_t m = ts_ranked_count(r, skip), split = 0, lo_rank, hi_rank;
	double lo = NAN, hi = NAN, c, d_lo = NAN, d_hi = NAN;

	*center = *scale = NAN;
	if (m == 0)
		return;
	lo_rank = (m - 1) / 2;
	hi_rank = m / 2;
	kth_pair(r, skip, lo_rank, hi_rank, &lo, &hi);
	c = median_of(lo, hi, m);
	*center = c;
	/* The absolute deviations in ascending order: merge outwards from c,
	 * the values below c read downwards and those from c up read upwards. */
	while (split < r->n && r->v[split] < c)
		split++;
	size_t down = split, up = split, taken = 0;
	for (;;) {
		while (down > 0 && !kept(r, skip, down - 1))
			down--;
		while (up < r->n && !kept(r, skip, up))
			up++;
		double dd = down > 0 ? c - r->v[down - 1] : INFINITY;
		double du = up < r->n ? r->v[up] - c : INFINITY;
		double d;
		if (du <= dd) {
			d = du;
			up++;
		} else {
			d = dd;
			down--;
		}
		if (taken == lo_rank)
			d_lo = d;
		if (taken == hi_rank) {
			d_hi = d;
			break;
		}
		taken++;
	}
	*scale = 1.4826 * median_of(d_lo, d_hi, m);
}

void ts_center_scale_inplace(double *v, size_t m, double *center, double *scale)
{
	double c;

	*center = *scale = NAN;
	if (m == 0)
		return;
	for (size_t i = 0; i < m; i++)
		if (v[i] == 0)
			v[i] = 0.0;	/* -0 ranks as 0, and a median of zeros is 0 */
	c = ts_median_inplace(v, m);
	for (size_t i = 0; i < m; i++)
		v[i] = fabs(v[i] - c);
	*center = c;
	*scale = 1.4826 * ts_median_inplace(v, m);
}

int ts_robust_center_scale(const double *x, const unsigned char *skip, size_t n,
			   double *center, double *scale, struct ts_err *err)
{
	double *v = ts_mallocarray(n + 1, sizeof *v);
	size_t m = 0;

	if (v == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]) && (skip == NULL || !skip[i]))
			v[m++] = x[i];
	ts_center_scale_inplace(v, m, center, scale);
	free(v);
	return 0;
}
