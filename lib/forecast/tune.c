/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tune: grid search of Prophet's prior scales and seasonality mode by
 * cross-validation, after the hyperparameter tuning example of Prophet's
 * documentation (diagnostics: "Hyperparameter tuning"). */
#include "forecast/tune.h"

#include <math.h>
#include <stdlib.h>

#include "core/mem.h"
#include "series/period.h"

static const double changepoint_scales[] = { 0.001, 0.01, 0.1, 0.5 };
static const double seasonality_scales[] = { 0.01, 0.1, 1, 10 };
#define NCPS (sizeof changepoint_scales / sizeof changepoint_scales[0])
#define NSPS (sizeof seasonality_scales / sizeof seasonality_scales[0])

void ts_tune_grid(struct ts_tune_point grid[TS_TUNE_GRID])
{
	size_t i = 0;

	for (int mode = TS_PROPHET_ADDITIVE; mode <= TS_PROPHET_MULTIPLICATIVE; mode++)
		for (size_t a = 0; a < NCPS; a++)
			for (size_t b = 0; b < NSPS; b++) {
				grid[i].changepoint_prior_scale = changepoint_scales[a];
				grid[i].seasonality_prior_scale = seasonality_scales[b];
				grid[i].seasonality_mode = (enum ts_prophet_mode)mode;
				grid[i].score = NAN;
				i++;
			}
}

size_t ts_tune_best(const struct ts_tune_point *grid, size_t n)
{
	size_t best = TS_TUNE_NONE;

	for (size_t i = 0; i < n; i++)
		if (!isnan(grid[i].score) && (best == TS_TUNE_NONE || grid[i].score < grid[best].score))
			best = i;
	return best;
}

/* Fit o to every row of s that has a y. */
static int fit_history(const struct ts_prophet_opts *o, const struct ts_fc_series *s,
		       struct ts_prophet_model *m, struct ts_err *err)
{
	struct ts_prophet_data d;
	double *tsec = ts_mallocarray(s->n + 1, sizeof *tsec);
	const double **reg = ts_mallocarray(o->nregressors + o->nconditions + 1, sizeof *reg);
	int rc;

	if (tsec == NULL || reg == NULL)
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
	else if ((rc = ts_prophet_data_of(s, o, tsec, reg, &d, err)) == 0)
		rc = ts_prophet_fit(&d, o, m, err);
	free(tsec);
	free(reg);
	return rc;
}

/* MASE's scale for s: its seasonal naive error at the first season its
 * interval implies, else the naive error. */
static double mase_scale(const struct ts_fc_series *s)
{
	size_t season = 1, periods[2];

	if (s->n > 0 && (s->interval.us > 0 || s->interval.months > 0)) {
		size_t np = ts_periods_for_interval(&s->interval, s->t[s->n - 1] - s->t[0], periods);
		if (np > 0)
			season = periods[0];
	}
	return ts_mase_scale(s->y, s->n, season);
}

/* Score the grid points in order with the seasonalities fixed by full. */
static int score_grid(const struct ts_prophet_opts *base, const struct ts_tune_cfg *cfg,
		      const struct ts_fc_series *s, const struct ts_prophet_model *full,
		      struct ts_tune_result *res, struct ts_err *err)
{
	struct ts_prophet_season *seasons = ts_mallocarray(full->nseasons + 1, sizeof *seasons);
	struct ts_cv_windows win = cfg->windows;
	struct ts_prophet_opts fixed;
	double scale;
	int rc = 0;

	if (seasons == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	ts_prophet_copy_opts(base, full, &fixed, seasons, full->nseasons);
	if ((rc = ts_cv_default_windows(&win, ts_prophet_longest_period(full), err)) != 0) {
		free(seasons);
		return rc;
	}
	scale = mase_scale(s);
	for (size_t i = 0; i < TS_TUNE_GRID; i++) {
		struct ts_tune_point *pt = &res->grid[i];
		struct ts_prophet_opts point = fixed;
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;

		point.changepoint_prior_scale = pt->changepoint_prior_scale;
		point.seasonality_prior_scale = pt->seasonality_prior_scale;
		point.seasonality_mode = pt->seasonality_mode;
		rc = ts_cv_run(ts_prophet_forecast, &point, s, win.horizon, win.period, win.initial,
			       &rows, &nrows, err);
		if (rc == 0)
			pt->score = ts_cv_score(rows, nrows, cfg->metric, scale, base->interval_width);
		free(rows);
		if (rc != 0)
			break;
		res->nscored = i + 1;
	}
	free(seasons);
	return rc;
}

int ts_tune_run(const struct ts_prophet_opts *base, const struct ts_tune_cfg *cfg,
		const struct ts_fc_series *s, struct ts_prophet_opts *best,
		struct ts_tune_result *res, struct ts_err *err)
{
	struct ts_prophet_model full;
	int rc;

	ts_tune_grid(res->grid);
	res->nscored = 0;
	res->best = TS_TUNE_NONE;
	*best = *base;
	if ((rc = fit_history(base, s, &full, err)) != 0)
		return rc;
	rc = score_grid(base, cfg, s, &full, res, err);
	ts_prophet_free(&full);
	if (rc != 0)
		return rc;
	res->best = ts_tune_best(res->grid, res->nscored);
	if (res->best != TS_TUNE_NONE) {
		best->changepoint_prior_scale = res->grid[res->best].changepoint_prior_scale;
		best->seasonality_prior_scale = res->grid[res->best].seasonality_prior_scale;
		best->seasonality_mode = res->grid[res->best].seasonality_mode;
	}
	return 0;
}
