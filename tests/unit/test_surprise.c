/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_surprise: normal, Poisson and negative binomial tails against R's
 * pnorm, ppois, pnbinom, qpois and qnbinom (values printed by R 4.2 with
 * 17 digits), the score scale, and the history's tail fit. */
#include "testutil.h"

#include <stdlib.h>

#include "detect/surprise.h"

static void test_normal(void **state)
{
	(void)state;
	/* 2 * pnorm(-3.2905267314918945) */
	assert_near(ts_tail_normal(3.2905267314918945), 0.0010000000000000015, 1e-15);
	assert_near(ts_tail_normal(-3.2905267314918945), 0.0010000000000000015, 1e-15);
	/* 2 * pnorm(-8): far out, relative accuracy */
	assert_near(ts_tail_normal(8) / 1.244192114854357e-15, 1, 1e-12);
	assert_near(ts_tail_normal(0), 1, 0);
	/* qnorm(1 - 1e-4 / 2) */
	assert_near(ts_tail_normal_z(1e-4), 3.8905918864131199, 1e-12);
	assert_near(ts_tail_normal_z(1), 0, 0);
	assert_true(isinf(ts_tail_normal_z(0)));
	assert_true(isnan(ts_tail_normal(NAN)));
}

static void test_score(void **state)
{
	(void)state;
	assert_near(ts_score_of_p(1e-3), 0.999, 1e-15);
	assert_near(ts_score_of_p(1), 0, 0);
	assert_near(ts_score_of_p(0), 1, 0);
	assert_near(ts_score_of_p(2), 0, 0);
	assert_true(isnan(ts_score_of_p(NAN)));
}

static void test_poisson(void **state)
{
	double lower, upper;

	(void)state;
	/* 0 -> 3 errors at a mean of 0.5: ppois(2, 0.5, lower.tail = FALSE) */
	ts_tail_count(3, 0.5, INFINITY, &lower, &upper);
	assert_near(upper, 0.014387677966970687, 1e-15);
	assert_near(lower, 0.9982483774437092, 1e-15);
	assert_near(ts_tail_count2(3, 0.5, INFINITY, false), 2 * 0.014387677966970687, 1e-15);
	/* 40 -> 0: ppois(0, 40), relative */
	ts_tail_count(0, 40, INFINITY, &lower, &upper);
	assert_near(lower / 4.2483542552915889e-18, 1, 1e-12);
	assert_near(ts_tail_count2(0, 40, INFINITY, false) / (2 * 4.2483542552915889e-18), 1, 1e-12);
	assert_near(ts_tail_count2(60, 40, INFINITY, false), 2 * 0.0018796285686450828, 1e-14);
	assert_near(ts_tail_count2(39, 40, INFINITY, false), 2 * 0.47897113893894466, 1e-14);
	assert_near(upper, 1, 0);
	/* ppois(59, 40, lower.tail = FALSE), ppois(39, 40) */
	ts_tail_count(60, 40, INFINITY, &lower, &upper);
	assert_near(upper, 0.0018796285686450828, 1e-15);
	ts_tail_count(39, 40, INFINITY, &lower, &upper);
	assert_near(lower, 0.47897113893894466, 1e-14);
	/* a large mean: ppois(1e6 - 1, 1e6) */
	ts_tail_count(1e6 - 1, 1e6, INFINITY, &lower, &upper);
	assert_near(lower, 0.49986701923912741, 1e-12);
	/* the mid-p value takes half of P(Y = y) off each side */
	double p = ts_tail_count2(3, 0.5, INFINITY, true);
	double mass = 0.9982483774437092 + 0.014387677966970687 - 1;
	assert_near(p, 2 * (0.014387677966970687 - mass / 2), 1e-15);
	/* a mean of 0 puts everything on 0 */
	assert_near(ts_tail_count2(0, 0, INFINITY, false), 1, 0);
	assert_near(ts_tail_count2(1, 0, INFINITY, false), 0, 0);
	/* qpois(0.001, 40), qpois(0.999, 40) */
	assert_near(ts_count_quantile(0.001, 40, INFINITY), 22, 0);
	assert_near(ts_count_quantile(0.999, 40, INFINITY), 61, 0);
}

static void test_negbin(void **state)
{
	double lower, upper;

	(void)state;
	/* pnbinom(0, size = 2, mu = 40) */
	ts_tail_count(0, 40, 2, &lower, &upper);
	assert_near(lower, 0.0022675736961451248, 1e-15);
	/* pnbinom(99, size = 2, mu = 40, lower.tail = FALSE) */
	ts_tail_count(100, 40, 2, &lower, &upper);
	assert_near(upper, 0.043816347130604553, 1e-14);
	/* pnbinom(10, size = 0.5, mu = 3) */
	ts_tail_count(10, 3, 0.5, &lower, &upper);
	assert_near(lower, 0.93139657883749927, 1e-13);
	/* qnbinom(0.999, size = 2, mu = 40) */
	assert_near(ts_count_quantile(0.999, 40, 2), 188, 0);
}

/* The history's tail: beyond the 90 % quantile, exponential with the median
 * excess; the normal tail is the floor; one incident moves it little. */
static void test_tail_fit(void **state)
{
	double z[1000];
	struct ts_tail_fit fit;
	struct ts_err err = { 0 };

	(void)state;
	/* |z| of a unit exponential, exactly spread: q(k) = -log(1 - (k + 0.5) / n) */
	for (size_t k = 0; k < 1000; k++)
		z[k] = -log(1 - ((double)k + 0.5) / 1000);
	assert_int_equal(ts_tail_fit(z, 1000, 0.1, true, &fit, &err), 0);
	assert_near(fit.q, log(10), 0.01);
	assert_near(fit.beta, 1, 0.02);	/* the excesses are exponential too */
	/* far out: P(Z > z) = 0.1 exp(-(z - q)) = exp(-z) */
	assert_near(ts_tail_fit_p(&fit, 10) / exp(-10), 1, 0.05);
	/* inside: the share of the history at or above z */
	assert_near(ts_tail_fit_p(&fit, z[500]), (500.0 + 1) / 1001, 1e-12);
	/* the inverse */
	assert_near(ts_tail_fit_z(&fit, 1e-4), -log(1e-4), 0.05);
	assert_near(ts_tail_fit_p(&fit, ts_tail_fit_z(&fit, 1e-4)), 1e-4, 1e-9);
	ts_tail_fit_free(&fit);

	/* A light history: the normal tail is the floor. */
	for (size_t k = 0; k < 1000; k++)
		z[k] = 0.001 * (double)k;
	assert_int_equal(ts_tail_fit(z, 1000, 0.1, true, &fit, &err), 0);
	assert_near(ts_tail_fit_p(&fit, 3), ts_tail_normal(3), 1e-15);
	assert_near(ts_tail_fit_z(&fit, 1e-3), ts_tail_normal_z(1e-3), 1e-12);
	ts_tail_fit_free(&fit);

	/* One incident of 3 huge points in 336: the bar at 1e-4 moves by less
	 * than a tenth. */
	double before, after;
	for (size_t k = 0; k < 336; k++)
		z[k] = ts_tail_normal_z((double)(k + 0.5) / 336);
	assert_int_equal(ts_tail_fit(z, 336, 0.1, true, &fit, &err), 0);
	before = ts_tail_fit_z(&fit, 1e-4);
	ts_tail_fit_free(&fit);
	z[0] = z[1] = z[2] = 40;
	assert_int_equal(ts_tail_fit(z, 336, 0.1, true, &fit, &err), 0);
	after = ts_tail_fit_z(&fit, 1e-4);
	ts_tail_fit_free(&fit);
	assert_true(after / before < 1.1);

	/* No history: the normal alone; NAN skipped. */
	z[0] = NAN;
	assert_int_equal(ts_tail_fit(z, 1, 0.1, true, &fit, &err), 0);
	assert_int_equal(fit.n, 0);
	assert_near(ts_tail_fit_p(&fit, 2), ts_tail_normal(2), 0);
	ts_tail_fit_free(&fit);
}

/* A fit left unsorted (for a few judgements) says what the sorted one says,
 * bit for bit: q, beta, the tail probability of any surprise, ties and
 * infinities included, and the quantile it sorts itself for. */
static void test_tail_fit_unsorted(void **state)
{
	double z[400], probe[] = { 0, 0.3, 1, 1.5, 2, 2.5, 3, 4, 8, 40, INFINITY };
	unsigned long seed = 99;

	(void)state;
	for (size_t n = 1; n <= 400; n += 37) {
		struct ts_tail_fit sorted, unsorted;
		struct ts_err err = { 0 };
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			double u = (double)(seed >> 11) / 9007199254740992.0;
			z[i] = n % 2 == 0 ? floor(u * 6) / 2 : -log(1 - u);
			if (i % 50 == 7)
				z[i] = i % 100 == 7 ? NAN : INFINITY;
		}
		assert_int_equal(ts_tail_fit(z, n, 0.1, true, &sorted, &err), 0);
		assert_int_equal(ts_tail_fit(z, n, 0.1, false, &unsorted, &err), 0);
		assert_false(unsorted.sorted);
		assert_int_equal(unsorted.n, sorted.n);
		assert_memory_equal(&unsorted.q, &sorted.q, sizeof sorted.q);
		assert_memory_equal(&unsorted.beta, &sorted.beta, sizeof sorted.beta);
		for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
			double a = ts_tail_fit_p(&sorted, probe[k]), b = ts_tail_fit_p(&unsorted, probe[k]);
			assert_memory_equal(&a, &b, sizeof a);
		}
		for (size_t i = 0; i < n; i++) {
			double a = ts_tail_fit_p(&sorted, z[i]), b = ts_tail_fit_p(&unsorted, z[i]);
			assert_memory_equal(&a, &b, sizeof a);
		}
		double a = ts_tail_fit_z(&sorted, 1e-4), b = ts_tail_fit_z(&unsorted, 1e-4);
		assert_memory_equal(&a, &b, sizeof a);
		assert_false(unsorted.sorted);	/* beyond tau: no sort needed */
		a = ts_tail_fit_z(&sorted, 0.3);
		b = ts_tail_fit_z(&unsorted, 0.3);
		assert_memory_equal(&a, &b, sizeof a);
		assert_true(unsorted.sorted || unsorted.n == 0);
		ts_tail_fit_free(&sorted);
		ts_tail_fit_free(&unsorted);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_negbin),
		cmocka_unit_test(test_tail_fit),
		cmocka_unit_test(test_tail_fit_unsorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
