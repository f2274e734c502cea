/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_detect: each detector of the operation table on small series, their
 * combination, the post filters, --last, and the errors they report. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"

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
	assert_string_equal(err.msg, "unknown method \"zscore\" (expected surprise, band, esd, sigma, iqr, mad, rule, "
				     "wow, level-shift, new-high or new-low)");
	assert_int_equal(ts_rule_builtin("ratio"), TS_RULE_RATIO);
	assert_int_equal(ts_rule_builtin("foo"), -1);
}

static int builtin_only(const char *name, void *ctx)
{
	(void)ctx;
	return ts_rule_builtin(name);
}

/* The table is what ts_detect_run dispatches through: every row is found by
 * its name, runs, and is refused on an irregular series exactly when its
 * row says so (sigma, iqr and rule only where they decompose). */
static void test_table_drives_the_run(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r = { 0 };
	struct ts_err err = { 0 };
	struct ts_expr *rule;
	double yhat[N], lo[N], hi[N];
	size_t nops = 0;

	(void)state;
	assert_int_equal(ts_expr_parse("y > 1000", &rule, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(rule, builtin_only, NULL, &err), 0);
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	for (const struct ts_detect_op *op; (op = ts_detect_op_at(nops)) != NULL; nops++) {
		char want[128];
		int rc;

		assert_ptr_equal(ts_detect_op_find(op->name), op);
		make_series(&s);
		for (size_t i = 0; i < N; i++) {
			yhat[i] = yy[i];
			lo[i] = yy[i] - 50;
			hi[i] = yy[i] + 50;
		}
		s.yhat = yhat;
		s.yhat_lower = lo;
		s.yhat_upper = hi;
		opts_for(&o, op->method);
		o.rules = &rule;
		o.nrules = 1;
		assert_int_equal(ts_detect_run(&s, &o, &r, &err), 0);
		s.regular = false;
		s.irregular_msg = "irregular series: x";
		rc = ts_detect_run(&s, &o, &r, &err);
		if (op->needs_regular || op->method == TS_DETECT_SIGMA || op->method == TS_DETECT_IQR) {
			assert_int_equal(rc, TS_EDATA);
			snprintf(want, sizeof want, "%s: irregular series: x; run ts-fill first", op->name);
			assert_string_equal(err.msg, want);
		} else {
			assert_int_equal(rc, 0);
		}
	}
	assert_int_equal(nops, TS_DETECT_NMETHODS);
	assert_true(ts_detect_op_find("esd")->needs_regular);
	assert_false(ts_detect_op_find("esd")->calibrated);
	assert_false(ts_detect_op_find("mad")->needs_regular);
	assert_true(ts_detect_op_find("mad")->calibrated);
	ts_detect_result_free(&r);
	ts_expr_free(rule);
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
		/* mad on the raw values: the spike stands 4 MADs out, where the
		 * default rate of a sine's flat tail puts the bar; --sigma 3 */
		if (ms[k] == TS_DETECT_MAD)
			o.sigma_k = 3;
		assert_int_equal(run_count(&s, &o, &r), 2);
		assert_int_equal(r.anomaly[300], 1);
		assert_int_equal(r.anomaly[400], 1);
		/* the common score: 1 - the tail probability, both far out */
		assert_true(r.score[300] > 0.999 && r.score[400] > 0.999 && r.score[300] <= 1);
		assert_true(yy[300] > r.expected[300] && yy[400] < r.expected[400]);
		assert_true(r.score[100] < 0.99);
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
	assert_true(r.score[300] > 1 - 1e-6);
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
	/* the band read as an 80 % normal interval: R's 1 - 2 * pnorm(-qnorm(0.9) * 1.5) */
	assert_near(r.score[10], 0.94543541912486118, 1e-12);
	assert_near(r.score[20], 0.99864410511025969, 1e-12);
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
	o.sigma_k = 3;	/* --sigma 3: the +30 is past it, not past the default rate */
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

/* ---- surprise ---- */

/* A reproducible standard normal draw (an LCG and Box-Muller). */
static double gauss(unsigned long *state)
{
	double u1, u2;

	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	u1 = ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	u2 = ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* A Poisson draw of mean mu (inversion; small means). */
static double poisson(unsigned long *state, double mu)
{
	double u, p = exp(-mu), cdf = p, k = 0;

	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	u = ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
	while (u > cdf && k < 1000) {
		k++;
		p *= mu / k;
		cdf += p;
	}
	return k;
}

static double fc[N];

/* Two weeks hourly, y = the forecast plus noise of sd 2, judged with
 * --last 1 (the default alpha). */
static void surprise_series(struct ts_detect_series *s, struct ts_detect_opts *o, unsigned long seed)
{
	make_series(s);
	for (size_t i = 0; i < 336; i++) {
		fc[i] = 100 + 20 * sin(2 * M_PI * (double)i / 24);
		yy[i] = fc[i] + 2 * gauss(&seed);
	}
	s->n = 336;
	s->yhat = fc;
	opts_for(o, TS_DETECT_SURPRISE);
	o->last_kind = TS_LAST_ROWS;
	o->last_rows = 1;
}

static void test_surprise_continuous(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	size_t false_alarms = 0;

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	/* Ordinary last rows are not flagged: none in 40 series. */
	for (unsigned long seed = 1; seed <= 40; seed++) {
		surprise_series(&s, &o, seed);
		false_alarms += run_count(&s, &o, &r);
	}
	assert_int_equal(false_alarms, 0);
	/* A spike of 10 sigmas is, with its reason and score; the rows
	 * before the window are judged by no one. */
	surprise_series(&s, &o, 7);
	yy[335] = fc[335] + 20;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[335], 1);
	assert_int_equal(strncmp(r.reason[335], "above forecast (p ", 18), 0);
	assert_true(r.score[335] > 1 - TS_DETECT_ALPHA);
	assert_near(r.expected[335], fc[335], 0.5);
	/* The bounds: just inside is not flagged, just outside is. */
	double upper = r.upper[335], lower = r.lower[335];
	assert_true(upper - fc[335] > 6 && upper - fc[335] < 14);
	yy[335] = upper - 0.01;
	assert_int_equal(run_count(&s, &o, &r), 0);
	yy[335] = upper + 0.01;
	assert_int_equal(run_count(&s, &o, &r), 1);
	yy[335] = lower - 0.01;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(strncmp(r.reason[335], "below forecast", 14), 0);
	o.direction = TS_DIR_UP;
	assert_int_equal(run_count(&s, &o, &r), 0);
	/* --alpha sets the rate: a 4-sigma row passes at 1e-4, not at 0.02
	 * (its p: twice the 0.0065 its history's tail gives, the rate being
	 * split between two judgements). */
	surprise_series(&s, &o, 7);
	yy[335] = fc[335] + 8;
	assert_int_equal(run_count(&s, &o, &r), 0);
	assert_true(r.score[335] > 1 - 0.02 && r.score[335] < 1 - 0.01);
	o.alpha = 0.02;
	assert_int_equal(run_count(&s, &o, &r), 1);
	ts_detect_result_free(&r);
}

/* Last week's incident does not widen the bar; a deviation that goes on
 * is reported when it starts. */
static void test_surprise_history(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	surprise_series(&s, &o, 3);
	run_count(&s, &o, &r);
	double clean = r.upper[335] - r.expected[335];
	for (size_t i = 150; i < 153; i++)
		yy[i] += 200;
	run_count(&s, &o, &r);
	assert_true(r.upper[335] - r.expected[335] < 1.1 * clean);
	/* A shift of +30 from row 300 on, judged over the last 36 rows: its
	 * first row only. */
	surprise_series(&s, &o, 3);
	for (size_t i = 300; i < 336; i++)
		yy[i] += 30;
	o.last_rows = 36;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(r.anomaly[300], 1);
	/* Forecast rows ahead (no y) get the forecast's expectation and bounds. */
	surprise_series(&s, &o, 3);
	s.n = 340;
	for (size_t i = 336; i < 340; i++) {
		yy[i] = NAN;
		fc[i] = 100;
	}
	assert_int_equal(run_count(&s, &o, &r), 0);
	assert_near(r.expected[338], 100, 0.5);
	assert_true(r.lower[338] < 100 && r.upper[338] > 100);
	assert_true(isnan(r.score[338]));
	ts_detect_result_free(&r);
}

static void test_surprise_counts(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	unsigned long seed = 11;

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	/* Rare errors, a forecast of 0.2 an hour: 3 is not an incident. */
	surprise_series(&s, &o, 1);
	for (size_t i = 0; i < 336; i++) {
		fc[i] = 0.2;
		yy[i] = poisson(&seed, 0.2);
	}
	yy[335] = 3;
	assert_int_equal(run_count(&s, &o, &r), 0);
	assert_true(r.score[335] > 0.8 && r.score[335] < 0.999);
	/* ... and the bounds are counts. */
	assert_near(r.lower[335], 0, 0);
	assert_near(r.upper[335], floor(r.upper[335]), 0);
	/* 40 an hour, then 0: an incident. */
	for (size_t i = 0; i < 336; i++) {
		fc[i] = 40;
		yy[i] = poisson(&seed, 40);
	}
	yy[335] = 0;
	assert_int_equal(run_count(&s, &o, &r), 1);
	assert_int_equal(strncmp(r.reason[335], "below forecast", 14), 0);
	/* 0 is outside the bounds, the expectation inside */
	assert_true(r.lower[335] > 0 && r.lower[335] < 40 && r.upper[335] > 40);
	assert_near(r.expected[335], 40, 1);
	ts_detect_result_free(&r);
}

/* Forecast errors that run in hours (a misfit daily shape, weather): a
 * jump the last error did not announce is caught, though it is no larger
 * than the errors' own spread; the drift itself is not flagged. */
static void test_surprise_persistent(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	size_t false_alarms = 0, caught = 0, caught_marginal = 0;

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	for (unsigned long seed = 1; seed <= 20; seed++) {
		unsigned long st = seed;
		double ar = 0;
		surprise_series(&s, &o, seed);
		for (size_t i = 0; i < 336; i++) {
			ar = 0.9 * ar + gauss(&st);	/* innovation sd 1, marginal 2.3 */
			yy[i] = fc[i] + ar;
		}
		false_alarms += run_count(&s, &o, &r);
		/* 7 innovation sigmas above what the last error announced: 2.7
		 * of the errors' own spread, which alone would not flag. */
		yy[335] = fc[335] + 0.9 * (yy[334] - fc[334]) + 7;
		caught += run_count(&s, &o, &r);
		caught_marginal += fabs(yy[335] - fc[335]) > 4 * 2.3;
	}
	assert_int_equal(false_alarms, 0);
	assert_true(caught >= 16);
	assert_true(caught_marginal <= 5);
	ts_detect_result_free(&r);
}

/* The window's rows of a run with window_only and of a full run, bit for
 * bit (anomaly, reason, score, expected; the bounds are not read); with
 * bounds, the bounds too. */
static void assert_window_same(const struct ts_detect_result *full, const struct ts_detect_result *win,
			       const unsigned char *in_window, size_t n, bool bounds)
{
	for (size_t i = 0; i < n; i++) {
		if (!in_window[i]) {
			assert_int_equal(win->anomaly[i], 0);
			continue;
		}
		assert_int_equal(win->anomaly[i], full->anomaly[i]);
		assert_string_equal(win->reason[i], full->reason[i]);
		assert_memory_equal(&win->score[i], &full->score[i], sizeof(double));
		assert_memory_equal(&win->expected[i], &full->expected[i], sizeof(double));
		if (!bounds)
			continue;
		assert_memory_equal(&win->lower[i], &full->lower[i], sizeof(double));
		assert_memory_equal(&win->upper[i], &full->upper[i], sizeof(double));
	}
}

/* -q judges the --last window alone (window_only): its rows say what a full
 * run says, continuous or counts, a window of rows or of time, an anomaly
 * in it or before it; with --consecutive, which reads earlier rows, every
 * row is judged as before, bounds included. */
static void test_surprise_window_only(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result full, win;
	struct ts_err err = { 0 };
	unsigned char in_window[N];
	size_t found = 0;

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&full, N, &err), 0);
	assert_int_equal(ts_detect_result_alloc(&win, N, &err), 0);
	for (unsigned long seed = 1; seed <= 12; seed++) {
		unsigned long st = seed;
		surprise_series(&s, &o, seed);
		if (seed % 3 == 0)	/* counts */
			for (size_t i = 0; i < 336; i++) {
				fc[i] = 5 + 4 * sin(2 * M_PI * (double)i / 24);
				yy[i] = poisson(&st, fc[i]);
			}
		yy[320] += 40;		/* before the window */
		if (seed % 2 == 0)
			yy[335] += 30;	/* in it */
		if (seed % 4 == 1) {
			o.last_kind = TS_LAST_DUR;
			o.last_dur.us = 3 * H;
		} else if (seed % 4 == 2) {
			o.last_rows = 20;
		}
		assert_int_equal(ts_detect_last_window(&s, &o, in_window, &err), 0);
		found += run_count(&s, &o, &full);
		o.window_only = true;
		run_count(&s, &o, &win);
		assert_window_same(&full, &win, in_window, s.n, false);
		/* rows before the window: left unjudged */
		assert_true(isnan(win.score[10]));
		o.consecutive = 2;
		run_count(&s, &o, &win);
		o.window_only = false;
		run_count(&s, &o, &full);
		memset(in_window, 1, s.n);
		assert_window_same(&full, &win, in_window, s.n, true);
	}
	assert_true(found >= 6);
	ts_detect_result_free(&full);
	ts_detect_result_free(&win);
}

static void test_surprise_errors(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r;
	struct ts_err err = { 0 };
	double none[336];

	(void)state;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	surprise_series(&s, &o, 1);
	s.yhat = NULL;
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "surprise needs a yhat column (run ts-forecast first)");
	for (size_t i = 0; i < 336; i++)
		none[i] = NAN;
	s.yhat = none;
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "no forecast to judge against: yhat is empty on every row with a value");
	none[0] = none[1] = 5;
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "surprise needs at least 3 rows with y and yhat, found 2");
	ts_detect_result_free(&r);
}

/* A rule's reason names the operands of an "or" that held; rule_seen tells
 * which terms had a value: ratio one season earlier does not when the
 * period (here 30 days) is longer than the data. */
static void test_rule_reason_and_terms(void **state)
{
	struct ts_detect_series s;
	struct ts_detect_opts o;
	struct ts_detect_result r = { 0 };
	struct ts_err err = { 0 };
	struct ts_expr *rules[2];

	(void)state;
	assert_int_equal(ts_expr_parse("y > 1000 or y < 70 or ratio > 3", &rules[0], NULL, &err), 0);
	assert_int_equal(ts_expr_parse("y == 555", &rules[1], NULL, &err), 0);
	for (size_t k = 0; k < 2; k++)
		assert_int_equal(ts_expr_bind(rules[k], builtin_only, NULL, &err), 0);
	make_series(&s);
	yy[100] = 2000;
	yy[200] = 10;
	yy[300] = 555;
	opts_for(&o, TS_DETECT_RULE);
	o.periods[0] = 24 * 30;
	o.rules = rules;
	o.nrules = 2;
	assert_int_equal(ts_detect_result_alloc(&r, N, &err), 0);
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), 0);
	assert_true(r.anomaly[100] && r.anomaly[200] && r.anomaly[300]);
	assert_string_equal(r.reason[100], "rule: y > 1000");
	assert_string_equal(r.reason[200], "rule: y < 70");
	/* a rule that held as a whole keeps its text */
	assert_string_equal(r.reason[300], "rule: y == 555");
	assert_int_equal(ts_detect_rule_terms(&o), 3);
	assert_non_null(r.rule_seen);
	assert_int_equal(r.rule_seen[0], 1);	/* y */
	assert_int_equal(r.rule_seen[1], 0);	/* ratio: no value 30 days earlier */
	assert_int_equal(r.rule_seen[2], 1);	/* y of the second rule */
	/* with a daily period ratio has values from the second day */
	o.periods[0] = 24;
	assert_int_equal(ts_detect_run(&s, &o, &r, &err), 0);
	assert_int_equal(r.rule_seen[1], 1);
	ts_detect_result_free(&r);
	for (size_t k = 0; k < 2; k++)
		ts_expr_free(rules[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_table),
		cmocka_unit_test(test_table_drives_the_run),
		cmocka_unit_test(test_rule_reason_and_terms),
		cmocka_unit_test(test_spike_and_dip),
		cmocka_unit_test(test_spike_twins_in_weekly_season),
		cmocka_unit_test(test_band),
		cmocka_unit_test(test_wow_level_extremes),
		cmocka_unit_test(test_post_filters_and_last),
		cmocka_unit_test(test_default_periods),
		cmocka_unit_test(test_surprise_continuous),
		cmocka_unit_test(test_surprise_history),
		cmocka_unit_test(test_surprise_counts),
		cmocka_unit_test(test_surprise_persistent),
		cmocka_unit_test(test_surprise_errors),
		cmocka_unit_test(test_surprise_window_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
