/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stream: the online detector on small hand-made series: warm-up, a
 * spike after a long quiet stretch, a level shift and a changed daily shape
 * that become the new normal, a flat series, the calibration of the score,
 * the post filters, and the keyed set of states. */
#include "testutil.h"

#include <string.h>

#include "detect/stream.h"

#define H (3600 * TS_US_PER_S)

static const struct ts_zone utc = { .kind = TS_ZONE_UTC };

/* Deterministic noise: Park-Miller, then Box-Muller for N(0, 1). */
static unsigned long rng = 12345;

static double uniform(void)
{
	rng = rng * 16807 % 2147483647;
	return (double)rng / 2147483647.0;
}

static double gauss(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Hour i of a daily wave with noise of sd 2. */
static double wave(size_t i)
{
	return 100 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + 2 * gauss();
}

static void params(struct ts_stream_params *p)
{
	memset(p, 0, sizeof *p);
	p->p_alarm = TS_STREAM_P_ALARM;
	p->direction = TS_DIR_BOTH;
}

/* Step the rows i in [from, to) of f (hourly from 0), counting flags. */
static size_t run(struct ts_stream *st, size_t from, size_t to, double (*f)(size_t),
		  struct ts_stream_out *out)
{
	size_t flagged = 0;

	for (size_t i = from; i < to; i++) {
		ts_stream_step(st, (ts_time)i * H, f(i), &utc, out);
		flagged += out->anomaly;
	}
	return flagged;
}

static void test_warmup_and_first_rows(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;

	(void)state;
	rng = 1;
	params(&p);
	st = ts_stream_new(&p);
	assert_non_null(st);
	/* The first 16 rows give the interval: nothing is known about them. */
	for (size_t i = 0; i < 16; i++) {
		ts_stream_step(st, (ts_time)i * H, i == 3 ? 1e6 : wave(i), &utc, &out);
		assert_false(out.anomaly);
		assert_true(isnan(out.score) && isnan(out.expected));
	}
	/* Then rows are scored, but not flagged before 64 rows (and a day). */
	for (size_t i = 16; i < 64; i++) {
		ts_stream_step(st, (ts_time)i * H, i == 40 ? 1e6 : wave(i), &utc, &out);
		assert_false(out.anomaly);
		assert_true(out.score >= 0 && out.score <= 1);
		assert_true(out.lower <= out.expected && out.expected <= out.upper);
	}
	ts_stream_free(st);
}

/* Three weeks of a quiet wave, then a spike of 15 sigmas. */
static double quiet_then_spike(size_t i)
{
	return wave(i) + (i == 24 * 21 + 5 ? 30 : 0);
}

static void test_spike_after_long_quiet(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;

	(void)state;
	rng = 2;
	params(&p);
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 21 + 5, quiet_then_spike, &out), 0);
	ts_stream_step(st, (ts_time)(24 * 21 + 5) * H, quiet_then_spike(24 * 21 + 5), &utc, &out);
	assert_true(out.anomaly);
	assert_string_equal(out.reason, "above expected");
	assert_true(out.score > 0.9999);
	assert_true(out.upper < 130 && out.expected > 110 && out.expected < 125);
	/* The spike did not move the baseline: the next day is normal. */
	assert_int_equal(run(st, 24 * 21 + 6, 24 * 23, quiet_then_spike, &out), 0);
	ts_stream_free(st);
}

/* Two weeks of the wave, then 60 higher for good. */
static double shift_up(size_t i)
{
	return wave(i) + (i >= 24 * 14 ? 60 : 0);
}

static void test_level_shift_becomes_normal(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	size_t flagged;

	(void)state;
	rng = 3;
	params(&p);
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 14, shift_up, &out), 0);
	ts_stream_step(st, (ts_time)(24 * 14) * H, shift_up(24 * 14), &utc, &out);
	assert_true(out.anomaly);
	assert_string_equal(out.reason, "above expected");
	/* Reported once; within hours the new level is expected. */
	flagged = run(st, 24 * 14 + 1, 24 * 14 + 12, shift_up, &out);
	assert_int_equal(flagged, 0);
	assert_near(out.expected, shift_up(24 * 14 + 12) - 2 * gauss(), 15);
	assert_int_equal(run(st, 24 * 14 + 12, 24 * 28, shift_up, &out), 0);
	ts_stream_free(st);
}

/* The daily peak moves from 06:00 to 18:00 after two weeks. */
static double new_shape(size_t i)
{
	double phase = 2 * M_PI * (double)(i % 24) / 24;

	return 100 + 20 * (i < 24 * 14 ? sin(phase) : -sin(phase)) + 2 * gauss();
}

static void test_changed_daily_shape_is_learned(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	size_t first_day, later;

	(void)state;
	rng = 4;
	params(&p);
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 14, new_shape, &out), 0);
	/* Found within the first day of the new shape, a few times at most;
	 * after a few days the new shape is the normal one. */
	first_day = run(st, 24 * 14, 24 * 15, new_shape, &out);
	assert_true(first_day >= 1 && first_day <= 3);
	later = run(st, 24 * 15, 24 * 18, new_shape, &out);
	assert_true(later <= 2);
	assert_int_equal(run(st, 24 * 18, 24 * 28, new_shape, &out), 0);
	/* 18:00 is now expected high. */
	ts_stream_step(st, (ts_time)(24 * 28 + 18) * H, new_shape(24 * 28 + 18), &utc, &out);
	assert_true(out.expected > 110);
	ts_stream_free(st);
}

static double flat(size_t i)
{
	return i < 24 * 20 ? 7 : 9;
}

static void test_flat_series(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;

	(void)state;
	params(&p);
	st = ts_stream_new(&p);
	/* A constant is never surprising: score 0, the band on it. */
	assert_int_equal(run(st, 0, 24 * 20, flat, &out), 0);
	assert_near(out.score, 0, 0);
	assert_near(out.expected, 7, 1e-12);
	assert_near(out.lower, 7, 1e-12);
	assert_near(out.upper, 7, 1e-12);
	/* Any change is. */
	ts_stream_step(st, (ts_time)(24 * 20) * H, flat(24 * 20), &utc, &out);
	assert_true(out.anomaly);
	assert_near(out.score, 1, 0);
	ts_stream_free(st);
}

static double noise(size_t i)
{
	(void)i;
	return 50 + 5 * gauss();
}

/* On Gaussian noise p is near uniform: about 10% of rows below 0.1 and 1%
 * below 0.01 (the exponential tail is cautious further out). */
static void test_score_is_calibrated(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	size_t n = 0, below10 = 0, below1 = 0;

	(void)state;
	rng = 5;
	params(&p);
	p.no_season = true;
	st = ts_stream_new(&p);
	for (size_t i = 0; i < 20000; i++) {
		ts_stream_step(st, (ts_time)i * H, noise(i), &utc, &out);
		if (i < 2000)
			continue;
		n++;
		below10 += 1 - out.score < 0.1;
		below1 += 1 - out.score < 0.01;
	}
	assert_near((double)below10 / (double)n, 0.1, 0.02);
	assert_near((double)below1 / (double)n, 0.01, 0.005);
	ts_stream_free(st);
}

/* Spikes alternately up and down every 5 days. */
static double spikes(size_t i)
{
	return wave(i) + (i % 120 == 60 ? (i / 120 % 2 ? -40 : 40) : 0);
}

static void test_filters(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;

	(void)state;
	/* Up only. */
	rng = 6;
	params(&p);
	p.direction = TS_DIR_UP;
	st = ts_stream_new(&p);
	for (size_t i = 0; i < 24 * 30; i++) {
		ts_stream_step(st, (ts_time)i * H, spikes(i), &utc, &out);
		if (out.anomaly)
			assert_true(i % 120 == 60 && i / 120 % 2 == 0);
	}
	ts_stream_free(st);
	/* Two consecutive surprising rows: never with single spikes. */
	rng = 6;
	params(&p);
	p.consecutive = 2;
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 30, spikes, &out), 0);
	ts_stream_free(st);
	/* At least 50 away: never with spikes of 40. */
	rng = 6;
	params(&p);
	p.min_delta = 50;
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 30, spikes, &out), 0);
	ts_stream_free(st);
	/* At least 60% of expected (about 100) away: neither. */
	rng = 6;
	params(&p);
	p.min_ratio = 0.6;
	st = ts_stream_new(&p);
	assert_int_equal(run(st, 0, 24 * 30, spikes, &out), 0);
	ts_stream_free(st);
	/* A cooldown of 6 days keeps every other spike. */
	rng = 6;
	params(&p);
	st = ts_stream_new(&p);
	size_t all = run(st, 0, 24 * 30, spikes, &out);
	ts_stream_free(st);
	rng = 6;
	p.cooldown.us = 6 * 24 * H;
	st = ts_stream_new(&p);
	size_t cooled = run(st, 0, 24 * 30, spikes, &out);
	ts_stream_free(st);
	assert_true(all >= 4);
	assert_int_equal(cooled, (all + 1) / 2);
}

static void test_missing_and_irregular(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	size_t flagged = 0, i = 0;
	ts_time t = 0;

	(void)state;
	rng = 7;
	params(&p);
	st = ts_stream_new(&p);
	/* Jittered, with skipped hours, repeats and missing values; one dip
	 * (row 420). */
	while (t < 21 * 24 * H) {
		size_t hour = (size_t)(t / H);
		double y = i == 420 ? 0 : wave(hour);
		ts_stream_step(st, t + (ts_time)(i % 3) * 60 * TS_US_PER_S, i % 17 == 5 ? NAN : y, &utc,
			       &out);
		if (i % 17 == 5 && i > 100) {
			assert_true(isnan(out.score));
			assert_false(isnan(out.expected));
		}
		if (out.anomaly)
			assert_int_equal(i, 420);
		flagged += out.anomaly;
		i++;
		t += i % 7 == 0 ? 0 : i % 11 == 0 ? 3 * H : H;
	}
	assert_int_equal(flagged, 1);
	ts_stream_free(st);
}

static void test_set_keeps_series_apart(void **state)
{
	struct ts_stream_params p;
	struct ts_stream_set *set;
	struct ts_err err = { 0 };
	struct ts_stream *a, *b;
	size_t ia, ib, len;
	char key[16];

	(void)state;
	params(&p);
	set = ts_stream_set_new(&p);
	assert_non_null(set);
	a = ts_stream_set_get(set, "a\x1f", 2, &ia, &err);
	b = ts_stream_set_get(set, "a\x1f" "b\x1f", 4, &ib, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(ia, 0);
	assert_int_equal(ib, 1);
	assert_ptr_equal(ts_stream_set_get(set, "a\x1f", 2, &ia, &err), a);
	assert_int_equal(ia, 0);
	/* The empty key is a key; many keys grow the table and keep order. */
	assert_non_null(ts_stream_set_get(set, "", 0, &ia, &err));
	assert_int_equal(ia, 2);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "s%d", i);
		assert_non_null(ts_stream_set_get(set, key, strlen(key), &ia, &err));
		assert_int_equal(ia, 3 + (size_t)i);
	}
	assert_int_equal(ts_stream_set_count(set), 1003);
	assert_memory_equal(ts_stream_set_key(set, 1, &len), "a\x1f" "b\x1f", 4);
	assert_int_equal(len, 4);
	assert_memory_equal(ts_stream_set_key(set, 502, &len), "s499", 4);
	assert_ptr_equal(ts_stream_set_state(set, 1), b);
	snprintf(key, sizeof key, "s%d", 499);
	assert_ptr_equal(ts_stream_set_get(set, key, strlen(key), &ia, &err), ts_stream_set_state(set, 502));
	ts_stream_set_free(set);
}

static void test_summary(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	struct ts_stream_summary sum;

	(void)state;
	rng = 8;
	params(&p);
	st = ts_stream_new(&p);
	ts_stream_summary(st, &sum);
	assert_int_equal(sum.rows, 0);
	assert_string_equal(sum.forecaster_gain, "");
	run(st, 0, 24 * 21 + 6, quiet_then_spike, &out);
	ts_stream_summary(st, &sum);
	assert_int_equal(sum.rows, 24 * 21 + 6);
	assert_int_equal(sum.anomalies, 1);
	assert_int_equal(sum.interval.us, H);
	assert_int_equal(sum.bins, 24);
	assert_int_equal(sum.season_us, 24 * H);
	assert_int_equal(sum.long_bins, 168);
	assert_int_equal(sum.long_season_us, 168 * H);
	assert_string_equal(sum.forecaster_season, " + season");
	assert_true(ts_stream_bytes(24) < 4096);
	ts_stream_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warmup_and_first_rows),
		cmocka_unit_test(test_spike_after_long_quiet),
		cmocka_unit_test(test_level_shift_becomes_normal),
		cmocka_unit_test(test_changed_daily_shape_is_learned),
		cmocka_unit_test(test_flat_series),
		cmocka_unit_test(test_score_is_calibrated),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_missing_and_irregular),
		cmocka_unit_test(test_set_keeps_series_apart),
		cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
