/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tune: --tune's grid (32 points in search order), the choice of the
 * smallest score with ties to the first, and searches whose winner is known. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/tune.h"

#define DAY (86400LL * 1000000LL)
#define T2018 (1514764800LL * 1000000LL)	/* 2018-01-01T00:00:00Z */
#define NMAX 200

/* A daily series as the model sees it, without cap, floor or regressors. */
struct daily {
	ts_time t[NMAX];
	double day[NMAX], y[NMAX];
	const double *cols[2];
	struct ts_fc_series fs;
};

static void daily_init(struct daily *d, size_t n)
{
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < n; i++) {
		d->t[i] = T2018 + (ts_time)i * DAY;
		d->day[i] = 17532 + (double)i;
	}
	d->fs.n = n;
	d->fs.t = d->t;
	d->fs.day = d->day;
	d->fs.y = d->y;
	d->fs.interval = (struct ts_dur){ 0, DAY };
	d->fs.ncols = 2;
	d->fs.cols = d->cols;
}

/* Prophet's defaults without seasonalities, no simulated intervals. */
static void plain_opts(struct ts_prophet_opts *o)
{
	ts_prophet_opts_init(o);
	o->yearly = o->weekly = o->daily = TS_PROPHET_OFF;
	o->samples = 0;
}

static void test_grid(void **state)
{
	struct ts_tune_point grid[TS_TUNE_GRID];
	const double cps[] = { 0.001, 0.01, 0.1, 0.5 }, sps[] = { 0.01, 0.1, 1, 10 };

	(void)state;
	ts_tune_grid(grid);
	for (size_t i = 0; i < TS_TUNE_GRID; i++) {
		assert_int_equal(grid[i].seasonality_mode,
				 i < 16 ? TS_PROPHET_ADDITIVE : TS_PROPHET_MULTIPLICATIVE);
		assert_near(grid[i].changepoint_prior_scale, cps[i / 4 % 4], 0);
		assert_near(grid[i].seasonality_prior_scale, sps[i % 4], 0);
		assert_true(isnan(grid[i].score));
	}
	/* every point once */
	for (size_t i = 0; i < TS_TUNE_GRID; i++)
		for (size_t j = i + 1; j < TS_TUNE_GRID; j++)
			assert_false(grid[i].changepoint_prior_scale == grid[j].changepoint_prior_scale &&
				     grid[i].seasonality_prior_scale == grid[j].seasonality_prior_scale &&
				     grid[i].seasonality_mode == grid[j].seasonality_mode);
}

static void test_best(void **state)
{
	struct ts_tune_point grid[TS_TUNE_GRID];

	(void)state;
	ts_tune_grid(grid);
	assert_true(ts_tune_best(grid, TS_TUNE_GRID) == TS_TUNE_NONE);
	assert_true(ts_tune_best(grid, 0) == TS_TUNE_NONE);
	for (size_t i = 0; i < TS_TUNE_GRID; i++)
		grid[i].score = 10 + (double)((i * 7) % 11);
	grid[20].score = 3;
	assert_int_equal(ts_tune_best(grid, TS_TUNE_GRID), 20);
	/* only the points scored so far count */
	assert_int_equal(ts_tune_best(grid, 20), 0);	/* 10 at 0 and 11: the first */
	/* ties go to the earlier point, whatever comes after */
	grid[25].score = 3;
	grid[31].score = 3;
	assert_int_equal(ts_tune_best(grid, TS_TUNE_GRID), 20);
	grid[7].score = 3;
	assert_int_equal(ts_tune_best(grid, TS_TUNE_GRID), 7);
	/* a NAN never wins, not even first */
	grid[0].score = NAN;
	grid[7].score = NAN;
	assert_int_equal(ts_tune_best(grid, TS_TUNE_GRID), 20);
	grid[3].score = -1;
	assert_int_equal(ts_tune_best(grid, TS_TUNE_GRID), 3);
}

/* A line whose slope turns sharply at day 70: only a flexible trend follows
 * it into the last windows. Without seasonalities the seasonality prior scale
 * and mode change nothing, so the eight points of each changepoint scale tie
 * and the first of them (0.01, additive) must win. */
static void test_run_flexible_trend_wins(void **state)
{
	struct daily d;
	struct ts_prophet_opts base, best;
	struct ts_tune_cfg cfg = { TS_M_MAE, { 10 * DAY, 5 * DAY, 60 * DAY } };
	struct ts_tune_result res;
	struct ts_err err = { 0 };

	(void)state;
	daily_init(&d, 100);
	for (size_t i = 0; i < 100; i++)
		d.y[i] = i < 70 ? 10 + 0.5 * (double)i : 45 - 2.0 * (double)(i - 70);
	plain_opts(&base);
	base.n_changepoints = 20;
	base.changepoint_range = 0.95;
	assert_int_equal(ts_tune_run(&base, &cfg, &d.fs, &best, &res, &err), 0);
	assert_int_equal(res.nscored, TS_TUNE_GRID);
	assert_int_equal(res.best, ts_tune_best(res.grid, TS_TUNE_GRID));
	for (size_t i = 0; i < TS_TUNE_GRID; i++) {
		assert_false(isnan(res.grid[i].score));
		assert_true(res.grid[res.best].score <= res.grid[i].score);
	}
	/* the stiffest trend misses the turn by far */
	assert_true(res.grid[0].score > 2 * res.grid[res.best].score);
	assert_true(res.grid[res.best].changepoint_prior_scale >= 0.1);
	assert_near(res.grid[res.best].seasonality_prior_scale, 0.01, 0);
	assert_int_equal(res.grid[res.best].seasonality_mode, TS_PROPHET_ADDITIVE);
	assert_int_equal(res.best % 4, 0);
	assert_true(res.best < 16);
	for (size_t i = 0; i < TS_TUNE_GRID; i++)
		assert_near(res.grid[i].score, res.grid[i % 16 / 4 * 4].score, 1e-9);
	/* the winner's three settings on the base's others */
	assert_near(best.changepoint_prior_scale, res.grid[res.best].changepoint_prior_scale, 0);
	assert_near(best.seasonality_prior_scale, 0.01, 0);
	assert_int_equal(best.seasonality_mode, TS_PROPHET_ADDITIVE);
	assert_int_equal(best.n_changepoints, 20);
	assert_near(best.changepoint_range, 0.95, 0);
	assert_int_equal(best.weekly, TS_PROPHET_OFF);
	assert_ptr_equal(best.seasons, base.seasons);
}

/* A weekly pattern whose amplitude grows with the level: the multiplicative
 * mode fits it, the additive cannot. */
static void test_run_multiplicative_wins(void **state)
{
	struct daily d;
	struct ts_prophet_opts base, best;
	struct ts_tune_cfg cfg = { TS_M_RMSE, { 14 * DAY, 7 * DAY, 0 } };
	struct ts_tune_result res;
	struct ts_err err = { 0 };
	const double week[7] = { 1.0, 1.3, 1.1, 0.9, 0.7, 0.5, 1.5 };

	(void)state;
	daily_init(&d, 140);
	for (size_t i = 0; i < 140; i++)
		d.y[i] = (20 + 1.5 * (double)i) * week[i % 7];
	plain_opts(&base);
	base.weekly = TS_PROPHET_ON;
	assert_int_equal(ts_tune_run(&base, &cfg, &d.fs, &best, &res, &err), 0);
	assert_int_equal(res.nscored, TS_TUNE_GRID);
	assert_true(res.best >= 16);
	assert_int_equal(best.seasonality_mode, TS_PROPHET_MULTIPLICATIVE);
	/* multiplicative fits it all but exactly, the best additive point is far off */
	assert_true(res.grid[res.best].score < 1e-3);
	assert_true(res.grid[ts_tune_best(res.grid, 16)].score > 10);
	/* a seasonality prior scale of 0.01 shrinks the pattern away */
	assert_true(res.grid[res.best].seasonality_prior_scale >= 0.1);
	assert_true(res.grid[16].score > 10);
	/* the built-in seasonality is still the base's setting to resolve */
	assert_int_equal(best.weekly, TS_PROPHET_ON);
	assert_int_equal(best.nseasons, 0);
}

static void test_run_errors(void **state)
{
	struct daily d;
	struct ts_prophet_opts base, best;
	struct ts_tune_cfg cfg = { TS_M_MASE, { 0, 0, 0 } };
	struct ts_tune_result res;
	struct ts_err err = { 0 };

	(void)state;
	daily_init(&d, 30);
	for (size_t i = 0; i < 30; i++)
		d.y[i] = (double)(i % 3);
	plain_opts(&base);
	base.changepoint_prior_scale = 0.2;
	/* no horizon: found after the whole-history fit, before any point */
	assert_int_equal(ts_tune_run(&base, &cfg, &d.fs, &best, &res, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--cv: give horizon=DUR (or -H)");
	assert_int_equal(res.nscored, 0);
	assert_true(res.best == TS_TUNE_NONE);
	assert_near(best.changepoint_prior_scale, 0.2, 0);
	/* a horizon longer than the data */
	cfg.windows.horizon = 40 * DAY;
	assert_int_equal(ts_tune_run(&base, &cfg, &d.fs, &best, &res, &err), TS_EDATA);
	assert_string_equal(err.msg, "less data than horizon");
	assert_int_equal(res.nscored, 0);
	/* nothing to fit: the fit's error comes first, whatever the horizon */
	cfg.windows.horizon = 0;
	for (size_t i = 1; i < 30; i++)
		d.y[i] = NAN;
	assert_int_equal(ts_tune_run(&base, &cfg, &d.fs, &best, &res, &err), TS_EDATA);
	assert_string_equal(err.msg, "fewer than two points with a value");
	assert_int_equal(res.nscored, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_run_flexible_trend_wins),
		cmocka_unit_test(test_run_multiplicative_wins),
		cmocka_unit_test(test_run_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
