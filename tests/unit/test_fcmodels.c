/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fcmodels: classical models behind the common forecast interface, and
 * the cross-validated choice of --model auto. */
#include <string.h>

#include "testutil.h"

#include "forecast/fcmodels.h"
#include "forecast/forecast.h"

#define N 70

/* Daily instants and days since 1970 for n rows from 2018-01-01. */
static void daily(ts_time *t, double *day, size_t n)
{
	int64_t d0 = ts_days_from_civil(2018, 1, 1);

	for (size_t i = 0; i < n; i++) {
		day[i] = (double)(d0 + (int64_t)i);
		t[i] = (d0 + (int64_t)i) * TS_US_PER_DAY;
	}
}

static void test_adapter_rows(void **state)
{
	ts_time t[N];
	double day[N], y[N], yhat[N], lo[N], hi[N];
	struct ts_fc_series s = { .n = N, .t = t, .day = day, .y = y,
				  .interval = { 0, TS_US_PER_DAY }, .from = 0 };
	struct ts_fc_result r = { yhat, lo, hi, NULL, NULL, NAN, "" };
	struct ts_classical_cfg cfg = { .model = ts_fc_model_find("naive"), .level = 0.8 };
	struct ts_err err = { 0 };

	(void)state;
	daily(t, day, N);
	for (size_t i = 0; i < N; i++)
		y[i] = i < 60 ? 10 + (double)(i % 3) : NAN;	/* 10 future rows */
	y[0] = y[1] = NAN;	/* leading rows without a value */
	y[30] = NAN;		/* a hole inside the history */
	assert_non_null(cfg.model);
	assert_int_equal(ts_classical_forecast(&cfg, &s, &r, &err), 0);
	assert_true(isnan(yhat[0]) && isnan(yhat[1]));
	for (size_t i = 60; i < N; i++) {
		assert_near(yhat[i], y[59], 0);	/* naive: the last value */
		assert_true(lo[i] < yhat[i] && yhat[i] < hi[i]);
	}
	/* Bounds widen with the horizon. */
	assert_true(hi[69] - lo[69] > hi[60] - lo[60]);
	y[2] = NAN;
	for (size_t i = 3; i < 60; i++)
		y[i] = NAN;
	y[59] = 1;
	assert_int_equal(ts_classical_forecast(&cfg, &s, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "fewer than two points with a value");
}

static void test_auto_prefers_the_model_that_forecasts_best(void **state)
{
	ts_time t[N];
	double day[N], y[N], yhat[N], lo[N], hi[N];
	struct ts_fc_series s = { .n = N, .t = t, .day = day, .y = y,
				  .interval = { 0, TS_US_PER_DAY }, .from = 0 };
	struct ts_fc_result r = { yhat, lo, hi, NULL, NULL, NAN, "" };
	struct ts_classical_cfg naive = { .model = ts_fc_model_find("naive"), .level = 0.8 };
	struct ts_classical_cfg snaive = { .model = ts_fc_model_find("snaive"), .level = 0.8 };
	const struct ts_auto_candidate cands[] = {
		{ "naive", ts_classical_forecast, &naive, NULL },
		{ "snaive", ts_classical_forecast, &snaive, NULL },
	};
	struct ts_auto_cfg cfg = { .candidates = cands, .ncandidates = 2, .metric = TS_M_MASE, .width = 0.8 };
	struct ts_err err = { 0 };
	size_t best;
	double score;

	(void)state;
	daily(t, day, N);
	/* A weekly pattern that repeats exactly: seasonal naive is perfect. */
	for (size_t i = 0; i < N; i++)
		y[i] = i < 63 ? (double)((i % 7) * (i % 7)) : NAN;
	assert_int_equal(ts_auto_choose(&cfg, &s, &best, &score, &err), 0);
	assert_int_equal(best, 1);
	assert_near(score, 0, 1e-12);
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	for (size_t i = 63; i < N; i++)
		assert_near(yhat[i], y[i - 7], 1e-12);
	/* and says which model it used, with its score */
	assert_string_equal(r.chosen, "snaive");
	assert_near(r.chosen_score, 0, 1e-12);
	/* With a slight trend seasonal naive still wins, at a MASE near 1. */
	for (size_t i = 0; i < 63; i++)
		y[i] += 0.01 * (double)i;
	assert_int_equal(ts_auto_choose(&cfg, &s, &best, &score, &err), 0);
	assert_int_equal(best, 1);
	assert_near(score, 1, 1e-9);
}

/* A candidate that forecasts 0 and records the shortest history and the
 * span it was given. */
static size_t fewest_seen;
static ts_time span_seen;

static int recorder(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		    struct ts_err *err)
{
	size_t values = 0;

	(void)cfg;
	(void)err;
	for (size_t i = 0; i < s->n; i++)
		values += !isnan(s->y[i]);
	if (values < fewest_seen)
		fewest_seen = values;
	span_seen = ts_fc_span(s);
	for (size_t i = s->from; i < s->n; i++)
		r->yhat[i] = r->lower[i] = r->upper[i] = 0;
	return 0;
}

#define NH (336 + 24)
#define HOUR_US (3600 * TS_US_PER_S)

static void test_auto_keeps_the_week_in_every_fold(void **state)
{
	ts_time t[NH];
	double day[NH], y[NH];
	struct ts_fc_series s = { .n = NH, .t = t, .day = day, .y = y,
				  .interval = { 0, HOUR_US }, .from = 0 };
	struct ts_classical_cfg snaive = { .model = ts_fc_model_find("snaive"), .level = 0.8 };
	struct ts_classical_cfg msnaive = { .model = ts_fc_model_find("msnaive"), .level = 0.8 };
	const struct ts_auto_candidate cands[] = {
		{ "snaive", ts_classical_forecast, &snaive, NULL },
		{ "msnaive", ts_classical_forecast, &msnaive, NULL },
		{ "recorder", recorder, NULL, NULL },
	};
	struct ts_auto_cfg cfg = { .candidates = cands, .ncandidates = 2, .metric = TS_M_MASE, .width = 0.8 };
	struct ts_err err = { 0 };
	size_t best;
	double score;

	(void)state;
	for (size_t i = 0; i < NH; i++) {
		t[i] = (ts_time)i * HOUR_US;
		day[i] = (double)i / 24;
		/* the hour plus 10 per weekday: a week ago is exact, a day ago
		 * misses by 10 or 60, so msnaive misses by half as much */
		y[i] = i < 336 ? (double)(i % 24) + 10 * (double)(i / 24 % 7) : NAN;
	}
	assert_int_equal(ts_auto_choose(&cfg, &s, &best, &score, &err), 0);
	assert_int_equal(best, 1);
	assert_true(score > 0);
	/* two weeks of values: every fold holds the week (initial 168 h; cutoffs
	 * 311 h back by 12 h to 179 h, 180 values) and is told the whole span */
	fewest_seen = SIZE_MAX;
	cfg.candidates = cands + 2;
	cfg.ncandidates = 1;
	assert_int_equal(ts_auto_choose(&cfg, &s, &best, &score, &err), 0);
	assert_int_equal(fewest_seen, 180);
	assert_true(span_seen == 336 * HOUR_US);
	/* five days: no weekly period, initial three horizons (72 h; cutoffs 95 h
	 * back to 83 h, 84 values) */
	for (size_t i = 120; i < 336; i++)
		y[i] = NAN;
	s.n = 144;
	fewest_seen = SIZE_MAX;
	assert_int_equal(ts_auto_choose(&cfg, &s, &best, &score, &err), 0);
	assert_int_equal(fewest_seen, 84);
}

/* Candidates that know the truth, (i % 7)^2 at row i, and miss it by a set
 * amount; their bounds say a standard error of 1. */
static double truth(size_t i)
{
	return (double)((i % 7) * (i % 7));
}

static int off_by(double (*miss)(size_t), const struct ts_fc_series *s, struct ts_fc_result *r)
{
	double z = ts_fc_z(0.8);

	for (size_t i = s->from; i < s->n; i++) {
		r->yhat[i] = truth(i) + miss(i);
		r->lower[i] = r->yhat[i] - z;
		r->upper[i] = r->yhat[i] + z;
	}
	return 0;
}

static double plus_one(size_t i) { (void)i; return 1; }
static double minus_one(size_t i) { (void)i; return -1; }
static double nothing(size_t i) { (void)i; return 0; }
static double wobble(size_t i) { return i % 2 ? 2 : -2; }
static double sink(size_t i) { return -100 - truth(i); }

#define CANDIDATE(name, miss) \
	static int name(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r, \
			struct ts_err *err) \
	{ \
		(void)cfg; \
		(void)err; \
		return off_by(miss, s, r); \
	}
CANDIDATE(up, plus_one)
CANDIDATE(down, minus_one)
CANDIDATE(exact, nothing)
CANDIDATE(wobbly, wobble)
CANDIDATE(negative, sink)

static void test_auto_combines_and_calibrates(void **state)
{
	ts_time t[N];
	double day[N], y[N], yhat[N], lo[N], hi[N];
	struct ts_fc_series s = { .n = N, .t = t, .day = day, .y = y,
				  .interval = { 0, TS_US_PER_DAY }, .from = 0 };
	struct ts_fc_result r = { yhat, lo, hi, NULL, NULL, NAN, "" };
	struct ts_auto_candidate cands[2] = { { "up", up, NULL, NULL }, { "down", down, NULL, NULL } };
	struct ts_auto_cfg cfg = { .candidates = cands, .ncandidates = 2, .metric = TS_M_MASE,
				   .owa = true, .width = 0.8 };
	struct ts_auto_choice choice;
	struct ts_err err = { 0 };

	(void)state;
	daily(t, day, N);
	for (size_t i = 0; i < N; i++)
		y[i] = i < 63 ? truth(i) : NAN;
	/* Each misses by 1, their mean by nothing: both are used, and the
	 * cross-validation errors (none) leave no room for an interval. */
	assert_int_equal(ts_auto_select(&cfg, &s, &choice, &err), 0);
	assert_int_equal(choice.nmembers, 2);
	assert_near(choice.score, 0, 1e-12);
	assert_true(choice.rows >= 4 * 7);
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	/* best first, as OWA ranks them */
	assert_string_equal(r.chosen, "down+up");
	for (size_t i = 63; i < N; i++) {
		assert_near(yhat[i], truth(i), 1e-12);
		assert_near(lo[i], yhat[i], 1e-12);
		assert_near(hi[i], yhat[i], 1e-12);
	}
	/* The mean of an exact forecast and one off by 1 is worse than the exact one. */
	cands[1] = (struct ts_auto_candidate){ "exact", exact, NULL, NULL };
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	assert_string_equal(r.chosen, "exact");
	/* With one candidate off by 2 where it says 1, the interval is +/- 2. */
	cfg.ncandidates = 1;
	cands[0] = (struct ts_auto_candidate){ "wobbly", wobbly, NULL, NULL };
	assert_int_equal(ts_auto_select(&cfg, &s, &choice, &err), 0);
	assert_near(choice.q, 2, 1e-12);
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	for (size_t i = 63; i < N; i++) {
		if (truth(i) < 2)
			continue;	/* raised to 0 */
		assert_near(hi[i] - yhat[i], 2, 1e-12);
		assert_near(yhat[i] - lo[i], 2, 1e-12);
	}
	/* A history without a negative value is never forecast below 0. */
	cands[0] = (struct ts_auto_candidate){ "negative", negative, NULL, NULL };
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	for (size_t i = 63; i < N; i++)
		assert_true(yhat[i] == 0 && lo[i] == 0 && hi[i] >= 0);
	y[5] = -1;
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	assert_near(yhat[63], -100, 1e-12);
}

/* Exact but in the latest fold, where it misses by 6. */
static int late_miss(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err)
{
	(void)cfg;
	(void)err;
	off_by(nothing, s, r);
	if (s->from > 54 && s->from < 63)
		for (size_t i = s->from; i < s->n; i++) {
			r->yhat[i] += 6;
			r->lower[i] += 6;
			r->upper[i] += 6;
		}
	return 0;
}

/* The band rests on each fold's errors of what the other folds choose: a
 * forecast chosen because the others failed in one fold gets a band as wide
 * as that failure, not the width of its own errors. */
static void test_auto_band_is_honest(void **state)
{
	ts_time t[N];
	double day[N], y[N], yhat[N], lo[N], hi[N];
	struct ts_fc_series s = { .n = N, .t = t, .day = day, .y = y,
				  .interval = { 0, TS_US_PER_DAY }, .from = 0 };
	struct ts_fc_result r = { yhat, lo, hi, NULL, NULL, NAN, "" };
	struct ts_auto_candidate cands[2] = { { "steady", up, NULL, NULL },
					      { "late", late_miss, NULL, NULL } };
	struct ts_auto_cfg cfg = { .candidates = cands, .ncandidates = 2, .metric = TS_M_MAE,
				   .width = 0.8 };
	struct ts_auto_choice choice;
	struct ts_err err = { 0 };

	(void)state;
	daily(t, day, N);
	for (size_t i = 0; i < N; i++)
		y[i] = i < 63 ? truth(i) : NAN;
	/* steady misses by 1 everywhere, late by 6 in one fold of four (1.5 on
	 * the mean): steady wins, but without the latest fold late would have,
	 * and there it misses by 6 */
	assert_int_equal(ts_auto_select(&cfg, &s, &choice, &err), 0);
	assert_int_equal(choice.nmembers, 1);
	assert_int_equal(choice.member[0], 0);
	assert_near(choice.score, 1, 1e-12);
	assert_near(choice.q, 6, 1e-12);
	assert_int_equal(ts_auto_forecast(&cfg, &s, &r, &err), 0);
	assert_string_equal(r.chosen, "steady");
	for (size_t i = 63; i < N; i++) {
		assert_near(yhat[i], truth(i) + 1, 1e-12);
		assert_near(hi[i] - yhat[i], 6, 1e-12);
	}
}

/* Two years of days: the folds cover the week, not the year (a year of
 * folds); four folds of 14 days. */
static void test_auto_daily_folds_cover_the_week(void **state)
{
	enum { DAYS = 2 * 366 + 14 };
	static ts_time t[DAYS];
	static double day[DAYS], y[DAYS];
	struct ts_fc_series s = { .n = DAYS, .t = t, .day = day, .y = y,
				  .interval = { 0, TS_US_PER_DAY }, .from = 0 };
	struct ts_auto_candidate cands[1] = { { "steady", up, NULL, NULL } };
	struct ts_auto_cfg cfg = { .candidates = cands, .ncandidates = 1, .metric = TS_M_MAE,
				   .width = 0.8 };
	struct ts_auto_choice choice;
	struct ts_err err = { 0 };

	(void)state;
	daily(t, day, DAYS);
	for (size_t i = 0; i < DAYS; i++)
		y[i] = i < DAYS - 14 ? truth(i) : NAN;
	assert_int_equal(ts_auto_select(&cfg, &s, &choice, &err), 0);
	assert_int_equal(choice.rows, 4 * 14);
	assert_near(choice.score, 1, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapter_rows),
		cmocka_unit_test(test_auto_prefers_the_model_that_forecasts_best),
		cmocka_unit_test(test_auto_keeps_the_week_in_every_fold),
		cmocka_unit_test(test_auto_combines_and_calibrates),
		cmocka_unit_test(test_auto_band_is_honest),
		cmocka_unit_test(test_auto_daily_folds_cover_the_week),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
