/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_robust: medians, MADs and quantiles of a ranked sample with points
 * skipped, bit for bit against GSL on a copy of what is left. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "series/robust.h"

/* GSL on the kept finite values: median, 1.4826 MAD, quantile p. */
static void reference(const double *x, const unsigned char *skip, size_t n, double p, double *c,
		      double *s, double *q, size_t *m_out)
{
	double *tmp = malloc((n + 1) * sizeof *tmp);
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]) && !skip[i])
			tmp[m++] = x[i];
	*m_out = m;
	if (m == 0) {
		free(tmp);
		return;
	}
	gsl_sort(tmp, 1, m);
	*q = gsl_stats_quantile_from_sorted_data(tmp, 1, m, p);
	*c = gsl_stats_median(tmp, 1, m);
	for (size_t i = 0; i < m; i++)
		tmp[i] = fabs(tmp[i] - *c);
	*s = 1.4826 * gsl_stats_median(tmp, 1, m);
	free(tmp);
}

static void test_against_gsl(void **state)
{
	enum { N = 61 };
	double x[N];
	unsigned char skip[N];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct ts_err err = { 0 };

	(void)state;
	gsl_rng_set(rng, 3);
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + gsl_rng_uniform_int(rng, N);
		bool ties = round % 3 == 0;
		for (size_t i = 0; i < n; i++) {
			x[i] = ties ? (double)gsl_rng_uniform_int(rng, 5) : gsl_rng_uniform(rng) * 100 - 30;
			if (gsl_rng_uniform(rng) < 0.05)
				x[i] = NAN;
			skip[i] = gsl_rng_uniform(rng) < 0.2;
		}
		struct ts_ranked r;
		double c, s, q, rc_, rs, rq = NAN, p = gsl_rng_uniform(rng);
		size_t m;
		assert_int_equal(ts_ranked_init(&r, x, n, &err), 0);
		reference(x, skip, n, p, &rc_, &rs, &rq, &m);
		assert_int_equal(ts_ranked_count(&r, skip), m);
		ts_ranked_center_scale(&r, skip, &c, &s);
		q = ts_ranked_quantile(&r, skip, p);
		if (m == 0) {
			assert_true(isnan(c) && isnan(s) && isnan(q));
		} else {
			/* bit for bit */
			assert_memory_equal(&c, &rc_, sizeof c);
			assert_memory_equal(&s, &rs, sizeof s);
			assert_memory_equal(&q, &rq, sizeof q);
		}
		/* skip NULL keeps everything */
		memset(skip, 0, n);
		reference(x, skip, n, 0.25, &rc_, &rs, &rq, &m);
		ts_ranked_center_scale(&r, NULL, &c, &s);
		if (m > 0) {
			assert_memory_equal(&c, &rc_, sizeof c);
			assert_memory_equal(&s, &rs, sizeof s);
			q = ts_ranked_quantile(&r, NULL, 0.25);
			assert_memory_equal(&q, &rq, sizeof q);
		}
		ts_ranked_free(&r);
	}
	gsl_rng_free(rng);
}

static void test_small_cases(void **state)
{
	double x[] = { 1, 2, 3, 4, 100, NAN };
	unsigned char skip[] = { 0, 0, 0, 0, 1, 0 };
	struct ts_ranked r;
	struct ts_err err = { 0 };
	double c, s;

	(void)state;
	assert_int_equal(ts_ranked_init(&r, x, 6, &err), 0);
	assert_int_equal(r.n, 5);
	ts_ranked_center_scale(&r, NULL, &c, &s);
	assert_near(c, 3, 0);
	assert_near(s, 1.4826, 1e-15);
	ts_ranked_center_scale(&r, skip, &c, &s);
	assert_near(c, 2.5, 0);
	assert_near(s, 1.4826, 1e-15);
	assert_near(ts_ranked_quantile(&r, skip, 0), 1, 0);
	assert_near(ts_ranked_quantile(&r, skip, 1), 4, 0);
	assert_near(ts_ranked_quantile(&r, skip, 0.5), 2.5, 0);
	memset(skip, 1, sizeof skip);
	ts_ranked_center_scale(&r, skip, &c, &s);
	assert_true(isnan(c) && isnan(s));
	assert_true(isnan(ts_ranked_quantile(&r, skip, 0.5)));
	ts_ranked_free(&r);
}

static void test_robust_center_scale(void **state)
{
	double x[] = { 1, 2, 3, 4, 100, NAN };
	unsigned char skip[] = { 0, 0, 0, 0, 1, 0 };
	double c, s;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_robust_center_scale(x, NULL, 6, &c, &s, &err), 0);
	assert_near(c, 3, 0);
	assert_near(s, 1.4826, 1e-12);
	assert_int_equal(ts_robust_center_scale(x, skip, 6, &c, &s, &err), 0);
	assert_near(c, 2.5, 0);
	assert_near(s, 1.4826, 1e-12);
}

/* Selection and ranking give the same bits, ties, signed zeros and
 * infinities (left out) included. */
static void test_center_scale_inplace(void **state)
{
	enum { N = 80 };
	double x[N], v[N];
	unsigned char skip[N];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct ts_err err = { 0 };

	(void)state;
	gsl_rng_set(rng, 11);
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + gsl_rng_uniform_int(rng, N), m = 0;
		int kind = round % 4;
		for (size_t i = 0; i < n; i++) {
			if (kind == 0)
				x[i] = (double)gsl_rng_uniform_int(rng, 4) - 1.5;
			else if (kind == 1)
				x[i] = gsl_rng_uniform(rng) < 0.5 ? -0.0 : (double)gsl_rng_uniform_int(rng, 3);
			else
				x[i] = gsl_rng_uniform(rng) * 1e3 - 300;
			if (gsl_rng_uniform(rng) < 0.05)
				x[i] = gsl_rng_uniform(rng) < 0.5 ? NAN : -INFINITY;
			skip[i] = gsl_rng_uniform(rng) < 0.2;
			if (isfinite(x[i]) && !skip[i])
				v[m++] = x[i];
		}
		struct ts_ranked r;
		double c, s, rc_, rs;
		assert_int_equal(ts_ranked_init(&r, x, n, &err), 0);
		ts_ranked_center_scale(&r, skip, &rc_, &rs);
		ts_ranked_free(&r);
		ts_center_scale_inplace(v, m, &c, &s);
		assert_memory_equal(&c, &rc_, sizeof c);
		assert_memory_equal(&s, &rs, sizeof s);
		assert_int_equal(ts_robust_center_scale(x, skip, n, &c, &s, &err), 0);
		assert_memory_equal(&c, &rc_, sizeof c);
		assert_memory_equal(&s, &rs, sizeof s);
	}
	gsl_rng_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_gsl),
		cmocka_unit_test(test_small_cases),
		cmocka_unit_test(test_robust_center_scale),
		cmocka_unit_test(test_center_scale_inplace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
