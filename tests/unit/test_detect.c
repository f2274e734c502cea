/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_detect: each detector of the operation table on small series, their
 * combination, the post filters, --last, and the errors they report. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "detect.h"

#define H (3600 * TS_US_PER_S)
#define N 24 * 21

static ts_time tt[N];
static double yy[N];

/* Three weeks of hourly data: a daily sine plus a small deterministic wiggle. */
static void make_series(struct ts_detect_series *s)
{
	for (size_t i = 0; i < N; i++) {
		tt[i] = 1514764800 * TS_US_PER_S + (ts_time)i * H;
		yy[i] = 100 + 20 * sin(2 * M_PI * (double)i / 24) + (double)((i * 7919) % 13) - 6;
	}
	memset(s, 0, sizeof *s);
	s->n = N;
	s->t = tt;
	s->y = yy;
	s->zone.kind = TS_ZONE_UTC;
	s->interval.us = H;
	s->has_interval = true;
	s->regular = true;
}

static void opts_for(struct ts_detect_opts *o, enum ts_detect_method m)
{
	ts_detect_opts_init(o);
	o->methods[0] = m;
	o->nmethods = 1;
	o->periods[0] = 24;
	o->nperiods = 1;
}

static size_t run_count(const struct ts_detect_series *s, const struct ts_detect_opts *o,
			struct ts_detect_result *r)
{
	struct ts_err err = { 0 };
	size_t k = 0;

	assert_int_equal(ts_detect_run(s, o, r, &err), 0);
	for (size_t i = 0; i < s->n; i++)
		k += r->anomaly[i];
	return k;
}

static void test_methods_table(void **state)
{
	enum ts_detect_method m[TS_DETECT_NMETHODS];
	size_t n;
	struct ts_err err = { 0 };

	(void)state;
	assert_non_null(ts_detect_op_find("level-shift"));
	assert_null(ts_detect_op_find("zscore"));
	assert_int_equal(ts_detect_methods_parse("esd,wow,esd", m, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], TS_DETECT_ESD);
	assert_int_equal(m[1], TS_DETECT_WOW);
	assert_int_equal(ts_detect_methods_parse("esd,zscore", m, &n, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "unknown method \"zscore\" (expected band, esd, sigma, iqr, mad, rule, "
				     "wow, level-shift, new-high or new-low)");
	assert_int_equal(ts_rule_builtin("ratio"), TS_RULE_RATIO);
	assert_int_equal(ts_rule_builtin("foo"), -1);
}

static void test_spike_and_dip(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	const enum ts_detect_method ms[] = { TS_DETECT_SIGMA, TS_DETECT_IQR, TS_DETECT_ESD, TS_DETECT_MAD };

	(void)state;
	make_series(&s);
	yy[300] += 80;
	yy[400] = 0;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
		opts_for(&o, ms[k]);
		assert_int_equal(run_count(&s, &o, &r), 2);
		assert_int_equal(r.anomaly[300], 1);
		assert_int_equal(r.anomaly[400], 1);
		assert_true(r.score[300] > 0 && r.score[400] < 0);
		assert_true(r.upper[300] < yy[300] && r.lower[400] > 0);
		/* --direction keeps one side. */
		o.direction = TS_DIR_DOWN;
		assert_int_equal(run_count(&s, &o, &r), 1);
		assert_int_equal(r.anomaly[400], 1);
	}
	opts_for(&o, TS_DETECT_SIGMA);
	run_count(&s, &o, &r);
	assert_string_equal(r.reason[300], "sigma: +13.0 sigma");
	ts_detect_result_free(&r);
}

/* Three weeks hourly decomposed with a day and a week: the week's seasonal
 * sees each hour three times, so a spike leaks a third of itself into its
 * phase and the same hour in the other weeks looks low. The second fit must
 * measure the spike against a season taken without it, and not flag those. */
static void test_spike_twins_in_weekly_season(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };

	(void)state;
	make_series(&s);
	yy[300] += 80;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	opts_for(&o, TS_DETECT_SIGMA);
	o.periods[1] = 168;
	o.nperiods = 2;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[300], 1);
	assert_int_equal(r.anomaly[300 - 168], 0);
	assert_int_equal(r.anomaly[300 + 168], 0);
	assert_true(r.score[300] > 10);
	ts_detect_result_free(&r);
}

static void test_band(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	double lo[N], hi[N];

	(void)state;
	make_series(&s);
	for (size_t i = 0; i < N; i++) {
		lo[i] = yy[i] - 10;
		hi[i] = yy[i] + 10;
	}
	yy[10] += 15;
	yy[20] -= 25;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	opts_for(&o, TS_DETECT_BAND);
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "band needs yhat_lower and yhat_upper columns (run ts-forecast first)");
	s.yhat_lower = lo;
	s.yhat_upper = hi;
	assert_int_equal(run_count(&s, &o, &r), 2);
	assert_string_equal(r.reason[10], "above band");
	assert_string_equal(r.reason[20], "below band");
	assert_near(r.score[10], 1.5, 1e-9);
	assert_near(r.score[20], -2.5, 1e-9);
	o.band_scale = 2;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[20], 1);
	ts_detect_result_free(&r);
}

static void test_wow_level_extremes(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };

	(void)state;
	make_series(&s);
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	/* wow: a 50% fall in week 3 against the same hour of weeks 1 and 2. */
	yy[24 * 14 + 5] *= 0.5;
	opts_for(&o, TS_DETECT_WOW);
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[24 * 14 + 5], 1);
	assert_int_equal(strncmp(r.reason[24 * 14 + 5], "wow -5", 6), 0);
	make_series(&s);
	/* new-high: nothing in the first 14 days can be judged, then a record. */
	yy[24 * 18] = 500;
	opts_for(&o, TS_DETECT_NEW_HIGH);
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[24 * 18], 1);
	opts_for(&o, TS_DETECT_NEW_LOW);
	assert_int_equal(run_count(&s, &o, &r), 0);
	/* level shift: +300 from the middle on, flagged at the edge of the windows. */
	make_series(&s);
	for (size_t i = 250; i < N; i++)
		yy[i] += 300;
	opts_for(&o, TS_DETECT_LEVEL_SHIFT);
	assert_true(run_count(&s, &o, &r) >= 1);
	assert_int_equal(r.anomaly[249], 1);
	assert_int_equal(r.anomaly[100], 0);
	o.direction = TS_DIR_DOWN;
	assert_int_equal(run_count(&s, &o, &r), 0);
	/* Irregular input is refused by the methods that need a grid. */
	s.regular = false;
	s.irregular_msg = "irregular series: x";
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "level-shift: irregular series: x; run ts-fill first");
	ts_detect_result_free(&r);
}

static void test_post_filters_and_last(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	unsigned char win[N];

	(void)state;
	make_series(&s);
	for (size_t i = 300; i < 304; i++)
		yy[i] += 80;
	yy[450] += 30;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	opts_for(&o, TS_DETECT_SIGMA);
	assert_int_equal(run_count(&s, &o, &r), 5);
	o.min_delta = 50;
	assert_int_equal(run_count(&s, &o, &r), 4);
	o.min_delta = 0;
	o.min_ratio = 0.5;
	assert_int_equal(run_count(&s, &o, &r), 4);
	o.min_ratio = 0;
	o.consecutive = 3;
	assert_int_equal(run_count(&s, &o, &r), 2);
	assert_int_equal(r.anomaly[302], 1);
	assert_int_equal(r.anomaly[303], 1);
	o.consecutive = 0;
	o.cooldown.us = 2 * H;
	assert_int_equal(run_count(&s, &o, &r), 3);
	assert_int_equal(r.anomaly[300], 1);
	assert_int_equal(r.anomaly[302], 1);
	o.cooldown.us = 0;
	o.last_kind = TS_LAST_ROWS;
	o.last_rows = N - 450;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[450], 1);
	/* --last counts back from the last value: trailing missing rows are skipped. */
	yy[N - 1] = NAN;
	yy[N - 2] = NAN;
	o.last_kind = TS_LAST_DUR;
	o.last_dur.us = 2 * H;
	assert_int_equal(ts_detect_last_window(&s, &o, win, &err), 0);
	assert_int_equal(win[N - 3], 1);
	assert_int_equal(win[N - 4], 1);
	assert_int_equal(win[N - 5], 0);
	ts_detect_result_free(&r);
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

/* Hourly: the day, and the week from four weeks on; daily: the week, and
 * the year from four years on; monthly: the year alone. */
static void test_default_periods(void **state)
{
	const ts_time hour = 3600 * TS_US_PER_S, day = 24 * hour;
	struct ts_dur hourly = { 0, hour }, daily = { 0, day }, monthly = { 1, 0 };
	size_t p[2];

	(void)state;
	assert_int_equal(ts_detect_default_periods(&hourly, 20 * day, 480, p), 1);
	assert_int_equal(p[0], 24);
	assert_int_equal(ts_detect_default_periods(&hourly, 28 * day - hour, 671, p), 1);
	assert_int_equal(ts_detect_default_periods(&hourly, 28 * day - hour, 672, p), 2);
	assert_int_equal(p[0], 24);
	assert_int_equal(p[1], 168);
	assert_int_equal(ts_detect_default_periods(&daily, 3 * 365 * day, 1096, p), 1);
	assert_int_equal(p[0], 7);
	assert_int_equal(ts_detect_default_periods(&daily, 4 * 365 * day, 1461, p), 2);
	assert_int_equal(p[1], 365);
	assert_int_equal(ts_detect_default_periods(&monthly, 0, 100, p), 1);
	assert_int_equal(p[0], 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_table),
		cmocka_unit_test(test_spike_and_dip),
		cmocka_unit_test(test_spike_twins_in_weekly_season),
		cmocka_unit_test(test_band),
		cmocka_unit_test(test_wow_level_extremes),
		cmocka_unit_test(test_post_filters_and_last),
		cmocka_unit_test(test_robust_center_scale),
		cmocka_unit_test(test_default_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
