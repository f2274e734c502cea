/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_msplit: the MSTL split used by mstl and mstl-ar: the parts add back to
 * the series, the adjusted series is y less the seasonals, seasonals continue
 * their last cycle ahead, and errors leave nothing allocated. */
#include <math.h>
#include <string.h>

#include "testutil.h"

#include "forecast/msplit.h"

#define N 240

static void make_series(double *y)
{
	for (size_t i = 0; i < N; i++)
		y[i] = 50 + 0.1 * (double)i + 8 * sin(2 * M_PI * (double)i / 24) +
		       3 * cos(2 * M_PI * (double)i / 12) + (double)(i * 7919 % 13) / 13;
}

static void test_parts_add_up(void **state)
{
	double y[N];
	size_t periods[2] = { 12, 24 };
	struct ts_msplit ms;
	struct ts_err err = { 0 };

	(void)state;
	make_series(y);
	assert_int_equal(ts_msplit_run(y, N, periods, 2, 5, &ms, &err), 0);
	assert_int_equal(ms.nkept, 2);
	assert_int_equal(ms.kept[0], 12);
	assert_int_equal(ms.kept[1], 24);
	for (size_t i = 0; i < N; i++) {
		double s = ms.seasonal[i] + ms.seasonal[N + i];
		assert_near(ts_msplit_season_at(&ms, i), s, 1e-12);
		assert_near(ms.adjusted[i], y[i] - s, 1e-12);
		assert_near(ms.trend[i] + s + ms.remainder[i], y[i], 1e-9);
	}
	/* the caller's room is there and writable */
	for (size_t k = 0; k < 5; k++)
		ms.extra[k] = (double)k;
	/* ahead: each seasonal repeats its last cycle */
	for (size_t j = 0; j < 60; j++) {
		double want = ms.seasonal[N - 12 + j % 12] + ms.seasonal[N + N - 24 + j % 24];
		assert_near(ts_msplit_season_ahead(&ms, j), want, 1e-12);
	}
	ts_msplit_free(&ms);
	assert_null(ms.kept);
}

static void test_no_period(void **state)
{
	double y[N];
	struct ts_msplit ms;
	struct ts_err err = { 0 };

	(void)state;
	make_series(y);
	assert_int_equal(ts_msplit_run(y, N, NULL, 0, 0, &ms, &err), 0);
	assert_int_equal(ms.nkept, 0);
	for (size_t i = 0; i < N; i++)
		assert_near(ms.adjusted[i], y[i], 0);
	assert_near(ts_msplit_season_ahead(&ms, 3), 0, 0);
	ts_msplit_free(&ms);
}

static void test_errors(void **state)
{
	double y[N];
	size_t bad = 1;
	struct ts_msplit ms;
	struct ts_err err = { 0 };

	(void)state;
	make_series(y);
	assert_int_equal(ts_msplit_run(y, N, &bad, 1, 0, &ms, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period must be at least 2");
	assert_null(ms.kept);
	y[17] = NAN;
	assert_int_not_equal(ts_msplit_run(y, N, NULL, 0, 0, &ms, &err), 0);
	assert_non_null(strstr(err.msg, "index 17"));
	assert_int_equal(ts_msplit_run(y, 0, NULL, 0, 0, &ms, &err), TS_ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_add_up),
		cmocka_unit_test(test_no_period),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
