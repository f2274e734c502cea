/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stats: the shared sample statistics against their sorted
 * definitions, bit for bit. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"

/* A small deterministic generator: the test must not depend on libc's. */
static double next_uniform(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(*seed >> 11) / 9007199254740992.0;
}

/* The type-7 quantile by selection equals the one of the sorted values, for
 * every size from 1, ties, and p at 0, 1 and in between. */
static void test_quantile7_select_matches_sorted(void **state)
{
	double x[200], sorted[200];
	const double ps[] = { 0, 0.1, 0.25, 0.5, 0.9, 0.999, 1 };
	unsigned long seed = 4242;

	(void)state;
	for (size_t n = 1; n <= 200; n++) {
		for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
			for (size_t i = 0; i < n; i++) {
				double u = next_uniform(&seed);
				x[i] = n % 3 == 0 ? floor(u * 5) : (u - 0.3) * 1e4;
			}
			memcpy(sorted, x, n * sizeof *x);
			qsort(sorted, n, sizeof *sorted, ts_cmp_double);
			double want = ts_quantile7_sorted(sorted, n, ps[k]);
			double got = ts_quantile7_select(x, n, ps[k]);
			assert_memory_equal(&got, &want, sizeof got);
		}
	}
}

static void test_quantile7_select_small(void **state)
{
	double one[] = { 7 }, five[] = { 5, 1, 4, 2, 3 };

	(void)state;
	assert_near(ts_quantile7_select(one, 1, 0.9), 7, 0);
	/* (5 - 1) 0.9 = 3.6: 4 + 0.6 (5 - 4) */
	assert_near(ts_quantile7_select(five, 5, 0.9), 4.6, 1e-15);
	assert_near(ts_quantile7_select(five, 5, 1), 5, 0);
	assert_near(ts_quantile7_select(five, 5, 0), 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile7_select_matches_sorted),
		cmocka_unit_test(test_quantile7_select_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
