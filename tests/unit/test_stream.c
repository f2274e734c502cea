/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stream: the online detector: warm-up, spikes against the learned
 * season, robustness of the baseline, irregular spacing, persistence. */
#include "testutil.h"

#include <string.h>

#include "stream.h"

#define H (3600 * TS_US_PER_S)

static double season(size_t i)
{
	return 100 + 20 * sin(2 * M_PI * (double)(i % 24) / 24) + (double)((i * 7919) % 13) - 6;
}

static void base_params(struct ts_stream_params *p)
{
	memset(p, 0, sizeof *p);
	p->k = 3;
	p->direction = TS_DIR_BOTH;
}

static void test_spike_after_warmup(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	size_t flagged = 0;

	(void)state;
	base_params(&p);
	st = ts_stream_new(&p);
	assert_non_null(st);
	for (size_t i = 0; i < 24 * 14; i++) {
		double y = season(i);
		if (i == 10)
			y += 500;	/* in the warm-up: never flagged */
		if (i == 24 * 10 || i == 24 * 10 + 1)
			y += 80;	/* two spikes in a row: the first must not hide the second */
		ts_stream_step(st, (ts_time)i * H, y, &utc, &out);
		if (i < 48)
			assert_false(out.anomaly);
		if (out.anomaly) {
			flagged++;
			assert_true(i == 24 * 10 || i == 24 * 10 + 1);
			assert_string_equal(out.reason, "above expected");
			assert_true(out.score > 3 && out.upper < y);
		}
	}
	assert_int_equal(flagged, 2);
	/* The spikes did not move the baseline: the same hour next day is normal. */
	ts_stream_step(st, (ts_time)(24 * 14 + 0) * H, season(24 * 14), &utc, &out);
	assert_false(out.anomaly);
	assert_near(out.expected, season(24 * 14), 10);
	ts_stream_free(st);
}

static void test_irregular_and_missing(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	size_t flagged = 0, i = 0;
	ts_time t = 0;

	(void)state;
	base_params(&p);
	p.direction = TS_DIR_DOWN;
	st = ts_stream_new(&p);
	/* Hourly with jitter, skipped hours and repeated timestamps. */
	while (t < 14 * 24 * H) {
		size_t hour = (size_t)(t / H);
		double y = season(hour);
		if (hour == 24 * 9 + 3)
			y = 0;
		if (hour == 24 * 11)
			y += 200;	/* up: ignored with --direction down */
		ts_stream_step(st, t, i % 17 == 5 ? NAN : y, &utc, &out);
		flagged += out.anomaly;
		i++;
		t += i % 7 == 0 ? 0 : i % 11 == 0 ? 3 * H : H;
	}
	assert_int_equal(flagged, 1);
	ts_stream_free(st);
}

static void test_level_shift_is_adopted(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	size_t flagged = 0;

	(void)state;
	base_params(&p);
	p.warmup_kind = TS_WARMUP_ROWS;
	p.warmup_rows = 48;
	st = ts_stream_new(&p);
	for (size_t i = 0; i < 24 * 10; i++) {
		ts_stream_step(st, (ts_time)i * H, season(i) + (i >= 24 * 5 ? 300 : 0), &utc, &out);
		flagged += out.anomaly;
	}
	/* Alerts for about a season, then the new level is normal. */
	assert_true(flagged >= 20 && flagged <= 30);
	assert_false(out.anomaly);
	ts_stream_free(st);
}

/* Ten days of season, then ten days where each hour is 40 above or below
 * it at random, then the season again: the block breaks the seasonal and
 * the scale, not just the level. Most rows of the block are flagged until
 * the model starts again (two seasons of flags at most); after the block
 * there is at most a restart and its warm-up, and then quiet. */
static void test_broken_model_restarts(void **state)
{
	struct ts_stream_params p;
	struct ts_stream *st;
	struct ts_stream_out out;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	size_t flagged_block = 0, flagged_after = 0, flagged_last_week = 0;
	unsigned long x = 12345;

	(void)state;
	base_params(&p);
	st = ts_stream_new(&p);
	assert_non_null(st);
	for (size_t i = 0; i < 24 * 40; i++) {
		double y = season(i);
		x = x * 16807 % 2147483647;
		if (i >= 24 * 10 && i < 24 * 20)
			y += x % 2 ? 40 : -40;
		ts_stream_step(st, (ts_time)i * H, y, &utc, &out);
		if (i >= 24 * 10 && i < 24 * 20)
			flagged_block += out.anomaly;
		else if (i >= 24 * 20)
			flagged_after += out.anomaly;
		if (i >= 24 * 33)
			flagged_last_week += out.anomaly;
	}
	assert_true(flagged_block >= 24 && flagged_block <= 48);
	assert_true(flagged_after <= 48);
	assert_int_equal(flagged_last_week, 0);
	ts_stream_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spike_after_warmup),
		cmocka_unit_test(test_irregular_and_missing),
		cmocka_unit_test(test_level_shift_is_adopted),
		cmocka_unit_test(test_broken_model_restarts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
