/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rng: the generator's published outputs, reproducibility by seed,
 * independent streams, and each variate's moments and distribution
 * (chi-square and Kolmogorov-Smirnov against the exact CDF, fixed seeds). */
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "testutil.h"

#include "core/rng.h"

#define NDRAW 400000	/* draws per distribution check */
#define NBIN 200	/* equiprobable bins of the chi-square test */

/* Pearson's statistic of u[0..n) (CDF values, uniform under the null) in
 * NBIN equal bins; with 199 degrees of freedom its mean is 199 and its
 * standard deviation 20, so 300 is a 5-sigma bound. */
static double chisq_of(const double *u, size_t n)
{
	size_t count[NBIN] = { 0 };
	double expect = (double)n / NBIN, stat = 0;

	for (size_t i = 0; i < n; i++) {
		size_t b = (size_t)(u[i] * NBIN);
		count[b < NBIN ? b : NBIN - 1]++;
	}
	for (size_t b = 0; b < NBIN; b++)
		stat += (count[b] - expect) * (count[b] - expect) / expect;
	return stat;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* sqrt(n) times the Kolmogorov-Smirnov distance of the CDF values u[0..n)
 * (u is sorted); below 1.95 with probability 0.999 under the null. */
static double ks_of(double *u, size_t n)
{
	double d = 0;

	qsort(u, n, sizeof *u, cmp_double);
	for (size_t i = 0; i < n; i++) {
		double above = (double)(i + 1) / (double)n - u[i], below = u[i] - (double)i / (double)n;
		d = above > d ? above : d;
		d = below > d ? below : d;
	}
	return d * sqrt((double)n);
}

enum dist { NORMAL, EXPONENTIAL, LAPLACE, GAMMA, BETA };

static double draw(struct ts_rng *rng, enum dist d, double a, double b)
{
	switch (d) {
	case NORMAL:
		return ts_rng_normal(rng);
	case EXPONENTIAL:
		return ts_rng_exponential(rng);
	case LAPLACE:
		return ts_rng_laplace(rng, a);
	case GAMMA:
		return ts_rng_gamma(rng, a);
	case BETA:
		return ts_rng_beta(rng, a, b);
	}
	return NAN;
}

static double cdf(enum dist d, double a, double b, double x)
{
	switch (d) {
	case NORMAL:
		return gsl_cdf_ugaussian_P(x);
	case EXPONENTIAL:
		return -expm1(-x);
	case LAPLACE:
		return x < 0 ? 0.5 * exp(x / a) : 1 - 0.5 * exp(-x / a);
	case GAMMA:
		return gsl_cdf_gamma_P(x, a, 1);
	case BETA:
		return gsl_cdf_beta_P(x, a, b);
	}
	return NAN;
}

/* NDRAW draws of d(a, b) from `seed`: mean and variance within 5 standard
 * errors of the exact ones, and the chi-square and KS statistics of their
 * CDF values below 5-sigma and 0.1% bounds. */
static void check_dist(enum dist d, double a, double b, double mean, double var, uint64_t seed)
{
	struct ts_rng rng;
	double *u = malloc(NDRAW * sizeof *u), sum = 0, sum2 = 0;

	assert_non_null(u);
	ts_rng_seed(&rng, seed);
	for (size_t i = 0; i < NDRAW; i++) {
		double x = draw(&rng, d, a, b);
		sum += x;
		sum2 += (x - mean) * (x - mean);
		u[i] = cdf(d, a, b, x);
	}
	/* the variance of the squared deviations is below 10 var^2 for
	 * every distribution checked here (kurtosis at most 9) */
	assert_near(sum / NDRAW, mean, 5 * sqrt(var / NDRAW));
	assert_near(sum2 / NDRAW, var, 5 * sqrt(10 * var * var / NDRAW));
	double chisq = chisq_of(u, NDRAW), ks = ks_of(u, NDRAW);
	if (chisq > 300 || ks > 1.95)
		print_error("chi-square %g, KS %g\n", chisq, ks);
	assert_true(chisq < 300);
	assert_true(ks < 1.95);
	free(u);
}

static void test_published_outputs(void **state)
{
	struct ts_rng rng = { { 1, 2, 3, 4 } };

	(void)state;
	/* xoshiro256++ from the state {1, 2, 3, 4}: the reference outputs */
	assert_true(ts_rng_next(&rng) == UINT64_C(41943041));
	assert_true(ts_rng_next(&rng) == UINT64_C(58720359));
	assert_true(ts_rng_next(&rng) == UINT64_C(3588806011781223));
	/* SplitMix64 from 0: its first two outputs fill the state */
	ts_rng_seed(&rng, 0);
	assert_true(rng.s[0] == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(rng.s[1] == UINT64_C(0x6e789e6aa1b965f4));
}

static void test_same_seed_same_draws(void **state)
{
	struct ts_rng a, b, c;
	size_t differ = 0;

	(void)state;
	ts_rng_seed(&a, 42);
	ts_rng_seed(&b, 42);
	ts_rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		double x = ts_rng_normal(&a), y = ts_rng_normal(&b), z = ts_rng_normal(&c);
		assert_true(x == y);
		differ += x != z;
	}
	assert_int_equal(differ, 1000);
}

/* The batch adds the draws of one call at a time, edge cases included,
 * scaled: onto zeros with scale 1 they are the draws themselves. */
static void test_normals_batch(void **state)
{
	struct ts_rng a, b;
	size_t n = 100000;
	double *x = calloc(n, sizeof *x);

	(void)state;
	assert_non_null(x);
	ts_rng_seed(&a, 5);
	ts_rng_seed(&b, 5);
	ts_rng_normals_add(&a, 1, x, n);
	for (size_t i = 0; i < n; i++)
		assert_true(x[i] == ts_rng_normal(&b));
	assert_true(ts_rng_next(&a) == ts_rng_next(&b));
	for (size_t i = 0; i < n; i++)
		x[i] = (double)i;
	ts_rng_normals_add(&a, 2.5, x, n);
	for (size_t i = 0; i < n; i++)
		assert_true(x[i] == (double)i + 2.5 * ts_rng_normal(&b));
	free(x);
}

/* Streams of neighbouring seeds: their normal draws are uncorrelated (within
 * 5 standard errors of 0), and so are a stream's consecutive draws. */
static void test_streams_independent(void **state)
{
	struct ts_rng a, b;
	double cross = 0, lag = 0, prev = 0;
	size_t n = 200000;

	(void)state;
	ts_rng_seed(&a, 1);
	ts_rng_seed(&b, 2);
	for (size_t i = 0; i < n; i++) {
		double x = ts_rng_normal(&a), y = ts_rng_normal(&b);
		cross += x * y;
		lag += x * prev;
		prev = x;
	}
	assert_near(cross / (double)n, 0, 5 / sqrt((double)n));
	assert_near(lag / (double)n, 0, 5 / sqrt((double)n));
}

static void test_uniform(void **state)
{
	struct ts_rng rng;
	double *u = malloc(NDRAW * sizeof *u), sum = 0;

	(void)state;
	assert_non_null(u);
	ts_rng_seed(&rng, 7);
	for (size_t i = 0; i < NDRAW; i++) {
		u[i] = ts_rng_uniform(&rng);
		assert_true(u[i] > 0 && u[i] < 1);
		sum += u[i];
	}
	assert_near(sum / NDRAW, 0.5, 5 * sqrt(1.0 / 12 / NDRAW));
	assert_true(chisq_of(u, NDRAW) < 300);
	assert_true(ks_of(u, NDRAW) < 1.95);
	free(u);
}

static void test_normal(void **state)
{
	(void)state;
	check_dist(NORMAL, 0, 0, 0, 1, 11);
	check_dist(NORMAL, 0, 0, 0, 1, 12);
}

/* The tail beyond the base layer's edge r and the wedges are drawn by the
 * slow paths: the share beyond r and beyond 5 match the exact ones. */
static void test_normal_tail(void **state)
{
	struct ts_rng rng;
	size_t n = 4000000, beyond_r = 0, beyond_3 = 0, negative = 0;
	double r = ts_zig_normal_x[1];

	(void)state;
	ts_rng_seed(&rng, 13);
	for (size_t i = 0; i < n; i++) {
		double x = ts_rng_normal(&rng);
		beyond_r += fabs(x) > r;
		beyond_3 += fabs(x) > 3;
		negative += x < 0;
	}
	double p_r = 2 * gsl_cdf_ugaussian_Q(r), p_3 = 2 * gsl_cdf_ugaussian_Q(3);
	assert_near((double)beyond_r, n * p_r, 5 * sqrt(n * p_r));
	assert_near((double)beyond_3, n * p_3, 5 * sqrt(n * p_3));
	assert_near((double)negative, n * 0.5, 5 * sqrt(n * 0.25));
}

static void test_exponential_laplace(void **state)
{
	(void)state;
	check_dist(EXPONENTIAL, 0, 0, 1, 1, 21);
	check_dist(LAPLACE, 0.5, 0, 0, 2 * 0.25, 22);
}

static void test_gamma(void **state)
{
	(void)state;
	check_dist(GAMMA, 0.3, 0, 0.3, 0.3, 31);
	check_dist(GAMMA, 1, 0, 1, 1, 32);
	check_dist(GAMMA, 2.5, 0, 2.5, 2.5, 33);
	check_dist(GAMMA, 799, 0, 799, 799, 34);
}

static void test_beta(void **state)
{
	(void)state;
	/* the shapes of Prophet's order statistics of 1000 draws, and two small */
	double shapes[][2] = { { 100, 901 }, { 1, 900 }, { 0.5, 0.5 }, { 2, 3 } };
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		double a = shapes[k][0], b = shapes[k][1];
		double var = a * b / ((a + b) * (a + b) * (a + b + 1));
		check_dist(BETA, a, b, a / (a + b), var, 41 + k);
	}
}

/* Geometric counts with p = 0.075 (a Prophet future step's change
 * probability): P(k) = p (1 - p)^k, checked by chi-square over k < 60 and
 * the rest; the mean is (1 - p) / p. */
static void test_geometric(void **state)
{
	struct ts_rng rng;
	double p = 0.075, log_miss = log1p(-p), count[61] = { 0 }, sum = 0, stat = 0;

	(void)state;
	ts_rng_seed(&rng, 51);
	for (size_t i = 0; i < NDRAW; i++) {
		double k = ts_rng_geometric(&rng, log_miss);
		assert_true(k >= 0 && k == floor(k));
		count[k < 60 ? (size_t)k : 60]++;
		sum += k;
	}
	for (size_t k = 0; k <= 60; k++) {
		double e = NDRAW * (k < 60 ? p * pow(1 - p, (double)k) : pow(1 - p, 60));
		stat += (count[k] - e) * (count[k] - e) / e;
	}
	assert_true(stat < 60 + 5 * sqrt(120));
	assert_near(sum / NDRAW, (1 - p) / p, 5 * sqrt((1 - p) / (p * p) / NDRAW));
	/* p = 1: always 0; p = 0: never */
	assert_true(ts_rng_geometric(&rng, -INFINITY) == 0);
	assert_true(ts_rng_geometric(&rng, 0) == INFINITY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_outputs),
		cmocka_unit_test(test_same_seed_same_draws),
		cmocka_unit_test(test_normals_batch),
		cmocka_unit_test(test_streams_independent),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_normal_tail),
		cmocka_unit_test(test_exponential_laplace),
		cmocka_unit_test(test_gamma),
		cmocka_unit_test(test_beta),
		cmocka_unit_test(test_geometric),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
