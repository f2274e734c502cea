/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_select: the k-th smallest by ts_select against the sorted array, bit
 * for bit, and the arrangement it leaves, on random, tied and ordered data,
 * infinities and NaN. */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/select.h"
#include "core/stats.h"

#define MAX_N 700

/* A small deterministic generator: the test must not depend on libc's. */
static double next_uniform(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(*seed >> 11) / 9007199254740992.0;
}

/* The kinds of data a selection meets: random, few distinct values, one
 * value, ascending, descending, organ pipe, one outlier among ties,
 * infinities of both signs among zeros and other values, NaN among numbers
 * and NaN only. */
enum shape {
	RANDOM, FEW_VALUES, ALL_EQUAL, ASCENDING, DESCENDING, PIPE, OUTLIER, INFINITE, SOME_NAN,
	ALL_NAN, SHAPES
};

static void fill(double *x, size_t n, enum shape shape, unsigned long *seed)
{
	for (size_t i = 0; i < n; i++) {
		double u = next_uniform(seed);
		switch (shape) {
		case RANDOM: x[i] = (u - 0.3) * 1e4; break;
		case FEW_VALUES: x[i] = floor(u * 4); break;
		case ALL_EQUAL: x[i] = 2.5; break;
		case ASCENDING: x[i] = (double)i; break;
		case DESCENDING: x[i] = -(double)i; break;
		case PIPE: x[i] = (double)(i < n / 2 ? i : n - i); break;
		case OUTLIER: x[i] = i == n / 3 ? 1e9 : 1; break;
		case INFINITE: x[i] = u < 0.3 ? INFINITY : u < 0.5 ? -INFINITY : u < 0.7 ? 0.0 : 1.5; break;
		case SOME_NAN: x[i] = u < 0.3 ? NAN : u < 0.4 ? INFINITY : (u - 0.5) * 100; break;
		default: x[i] = NAN; break;
		}
	}
}

/* Ascending, NaN after every number (ts_cmp_double leaves NaN unordered). */
static int cmp_nan_last(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x > y) - (x < y);
}

/* Whether a sorts at or before b, NaN last. */
static bool no_later(double a, double b)
{
	return cmp_nan_last(&a, &b) <= 0;
}

/* x[k] is the k-th of the sorted copy, what lies before is no larger and
 * what lies after no smaller, and the values are those given. */
static void check_selected(const double *x, const double *sorted, size_t n, size_t k, double got)
{
	double check[MAX_N];

	assert_memory_equal(&got, &sorted[k], sizeof got);
	assert_memory_equal(&x[k], &sorted[k], sizeof got);
	for (size_t i = 0; i < k; i++)
		assert_true(no_later(x[i], got));
	for (size_t i = k + 1; i < n; i++)
		assert_true(no_later(got, x[i]));
	memcpy(check, x, n * sizeof *x);
	qsort(check, n, sizeof *check, cmp_nan_last);
	assert_memory_equal(check, sorted, n * sizeof *check);
}

static void test_select_every_rank(void **state)
{
	double x[MAX_N], sorted[MAX_N];
	const size_t sizes[] = { 1, 2, 3, 7, 12, 13, 14, 31, 64, 100, 257, 700 };
	unsigned long seed = 99;

	(void)state;
	for (int shape = 0; shape < SHAPES; shape++)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			size_t n = sizes[s], step = n > 64 ? n / 23 + 1 : 1;
			for (size_t k = 0; k < n; k += step) {
				fill(x, n, (enum shape)shape, &seed);
				memcpy(sorted, x, n * sizeof *x);
				qsort(sorted, n, sizeof *sorted, cmp_nan_last);
				double got = ts_select(x, n, k);
				check_selected(x, sorted, n, k, got);
			}
		}
}

/* The pair is the k-th and the next, NaN last; at the last rank the next is
 * itself. */
static void test_select_pair(void **state)
{
	double x[MAX_N], sorted[MAX_N], pair[2];
	unsigned long seed = 5;

	(void)state;
	for (int shape = 0; shape < SHAPES; shape++)
		for (size_t n = 1; n <= 260; n += 37)
			for (size_t k = 0; k < n; k += n / 5 + 1) {
				fill(x, n, (enum shape)shape, &seed);
				memcpy(sorted, x, n * sizeof *x);
				qsort(sorted, n, sizeof *sorted, cmp_nan_last);
				ts_select_pair(x, n, k, pair);
				assert_memory_equal(&pair[0], &sorted[k], sizeof pair[0]);
				assert_memory_equal(&pair[1], &sorted[k + 1 < n ? k + 1 : k], sizeof pair[1]);
			}
	/* NaN among numbers, many times over: the next may lie after a NaN */
	for (int trial = 0; trial < 3000; trial++) {
		size_t n = 13 + (size_t)(next_uniform(&seed) * 60), k = (size_t)(next_uniform(&seed) * (double)n);
		fill(x, n, SOME_NAN, &seed);
		memcpy(sorted, x, n * sizeof *x);
		qsort(sorted, n, sizeof *sorted, cmp_nan_last);
		ts_select_pair(x, n, k, pair);
		assert_memory_equal(&pair[0], &sorted[k], sizeof pair[0]);
		assert_memory_equal(&pair[1], &sorted[k + 1 < n ? k + 1 : k], sizeof pair[1]);
	}
	double last[] = { 3, 9, 1 };
	ts_select_pair(last, 3, 2, pair);
	assert_near(pair[0], 9, 0);
	assert_near(pair[1], 9, 0);
}

/* The median by selection is R's: the middle value, or the mean of the two
 * middle ones. */
static void test_median_inplace(void **state)
{
	double odd[] = { 5, -1, 4, 2, 3 }, even[] = { 10, 1, 4, 2 }, one[] = { -7 };
	double ties[] = { 1, 1, 1, 1, 2, 1 };

	(void)state;
	assert_near(ts_median_inplace(odd, 5), 3, 0);
	assert_near(ts_median_inplace(even, 4), 3, 0);
	assert_near(ts_median_inplace(one, 1), -7, 0);
	assert_near(ts_median_inplace(ties, 6), 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_every_rank),
		cmocka_unit_test(test_select_pair),
		cmocka_unit_test(test_median_inplace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
