/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_esd: generalised ESD against hand-checked cases, and S-H-ESD on
 * Twitter's raw_data against the published AnomalyDetection results. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/esd.h"
#include "core/stats.h"

static void test_median_quantile(void **state)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, q[] = { 1, 2, 3, 4, 5 };

	(void)state;
	assert_near(ts_median_inplace(odd, 3), 3, 0);
	assert_near(ts_median_inplace(even, 4), 2.5, 0);
	assert_near(ts_quantile_inplace(q, 5, 0.95), 4.8, 1e-12);
}

/* The radix sort of non-negative values gives qsort's array, bit for bit:
 * ties, zeros, subnormals, huge values and +inf, and an empty input. */
static void test_sort_nonneg_matches_qsort(void **state)
{
	double x[500], want[500], tmp[500];
	unsigned long seed = 12345;

	(void)state;
	for (size_t i = 0; i < 500; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		double u = (double)(seed >> 11) / 9007199254740992.0;
		x[i] = i % 7 == 0 ? 0 : i % 11 == 0 ? 1.5 : i % 13 == 0 ? 5e-320 :
		       i % 17 == 0 ? INFINITY : i % 19 == 0 ? 1e300 * u : u * 40;
	}
	memcpy(want, x, sizeof x);
	qsort(want, 500, sizeof *want, ts_cmp_double);
	ts_sort_nonneg(x, 500, tmp);
	assert_memory_equal(x, want, sizeof x);
	ts_sort_nonneg(x, 0, tmp);
	x[0] = 2;
	x[1] = 2;
	ts_sort_nonneg(x, 2, tmp);
	assert_true(x[0] == 2 && x[1] == 2);
}

static void test_esd_finds_planted_outliers(void **state)
{
	double r[100], work[200], center, scale, crit;
	size_t order[10], iwork[100], nremoved, count;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < 100; i++)
		r[i] = (double)((i * 37) % 11) - 5;
	r[20] = 60;
	r[70] = -50;
	assert_int_equal(ts_esd_test(r, 100, 0.1, 0.05, TS_ESD_BOTH, order, &nremoved, &count, &center,
				     &scale, &crit, work, iwork, &err), 0);
	assert_int_equal(count, 2);
	assert_int_equal(order[0], 20);
	assert_int_equal(order[1], 70);
	assert_true(scale > 0);
	/* One-sided: only the spike up. */
	assert_int_equal(ts_esd_test(r, 100, 0.1, 0.05, TS_ESD_POS, order, &nremoved, &count, &center,
				     &scale, &crit, work, iwork, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(order[0], 20);
	assert_int_equal(ts_esd_test(r, 100, 0.1, 0.05, TS_ESD_NEG, order, &nremoved, &count, &center,
				     &scale, &crit, work, iwork, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(order[0], 70);
}

static void test_esd_constant_stops(void **state)
{
	double r[50], work[100], center, scale, crit;
	size_t order[5], iwork[50], nremoved, count;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < 50; i++)
		r[i] = 1;
	assert_int_equal(ts_esd_test(r, 50, 0.1, 0.05, TS_ESD_BOTH, order, &nremoved, &count, &center,
				     &scale, &crit, work, iwork, &err), 0);
	assert_int_equal(nremoved, 0);
	assert_int_equal(count, 0);
	assert_int_equal(ts_esd_test(r, 50, 0.6, 0.05, TS_ESD_BOTH, order, &nremoved, &count, &center,
				     &scale, &crit, work, iwork, &err), TS_EUSAGE);
}

/* raw_data.csv: "YYYY-MM-DD HH:MM:SS,value" lines after the header. */
static size_t load_twitter(ts_time **t, double **x)
{
	FILE *f = fopen(TS_TEST_DATA "/twitter-ad/raw_data.csv", "r");
	char line[128];
	size_t n = 0;

	assert_non_null(f);
	*t = malloc(15000 * sizeof **t);
	*x = malloc(15000 * sizeof **x);
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f) != NULL && n < 15000) {
		struct ts_tfmt fmt;
		struct ts_err err = { 0 };
		assert_int_equal(ts_time_parse(line, 19, TS_EPOCH_AUTO, &(*t)[n], &fmt, &err), 0);
		(*x)[n++] = strtod(line + 20, NULL);
	}
	fclose(f);
	return n;
}

static size_t count_flags(const unsigned char *a, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += a[i];
	return k;
}

static void test_twitter_counts(void **state)
{
	ts_time *t;
	double *x, *score, *expected, *lower, *upper;
	unsigned char *anom;
	size_t n = load_twitter(&t, &x);
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_shesd_params p = { .period = 1440, .max_anoms = 0.02, .alpha = 0.05 };
	struct ts_err err = { 0 };
	const struct {
		enum ts_esd_direction dir;
		enum ts_esd_threshold th;
		size_t want;
	} cases[] = {
		{ TS_ESD_BOTH, TS_ESD_THRESH_NONE, 131 },
		{ TS_ESD_POS, TS_ESD_THRESH_NONE, 51 },
		{ TS_ESD_NEG, TS_ESD_THRESH_NONE, 87 },
		{ TS_ESD_BOTH, TS_ESD_THRESH_MED_MAX, 4 },
	};

	(void)state;
	assert_int_equal(n, 14398);
	anom = malloc(n);
	score = malloc(n * sizeof *score);
	expected = malloc(n * sizeof *expected);
	lower = malloc(n * sizeof *lower);
	upper = malloc(n * sizeof *upper);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		p.direction = cases[k].dir;
		p.threshold = cases[k].th;
		assert_int_equal(ts_shesd(t, x, n, &utc, &p, anom, score, expected, lower, upper, &err), 0);
		assert_int_equal(count_flags(anom, n), cases[k].want);
	}
	/* The first anomaly of the README figure: 1980-09-25 16:05, index 124, below. */
	p.direction = TS_ESD_BOTH;
	p.threshold = TS_ESD_THRESH_NONE;
	assert_int_equal(ts_shesd(t, x, n, &utc, &p, anom, score, expected, lower, upper, &err), 0);
	assert_int_equal(anom[124], 1);
	assert_true(score[124] < 0 && x[124] < lower[124]);
	/* longterm with 2-week chunks: the series is shorter, same 131. */
	p.piecewise = true;
	p.piecewise_us = 14 * TS_US_PER_DAY;
	p.piecewise_points = 14 * 1440;
	assert_int_equal(ts_shesd(t, x, n, &utc, &p, anom, score, expected, lower, upper, &err), 0);
	assert_int_equal(count_flags(anom, n), 131);
	/* Too short for two periods. */
	p.piecewise = false;
	assert_int_equal(ts_shesd(t, x, 2880, &utc, &p, anom, score, expected, lower, upper, &err), TS_EDATA);
	assert_string_equal(err.msg, "esd needs more than two periods: 2880 points, period 1440");
	free(t);
	free(x);
	free(anom);
	free(score);
	free(expected);
	free(lower);
	free(upper);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_quantile),
		cmocka_unit_test(test_sort_nonneg_matches_qsort),
		cmocka_unit_test(test_esd_finds_planted_outliers),
		cmocka_unit_test(test_esd_constant_stops),
		cmocka_unit_test(test_twitter_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
