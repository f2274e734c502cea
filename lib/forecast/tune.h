/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tune: --tune's search over Prophet's documented grid of changepoint and
 * seasonality prior scales and seasonality modes, each point scored by
 * cross-validation, and the choice of the best. */
#ifndef TS_TUNE_H
#define TS_TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "forecast/cv.h"
#include "core/tserr.h"
#include "forecast/prophet.h"

/* Points of the grid: 2 modes x 4 changepoint x 4 seasonality prior scales. */
#define TS_TUNE_GRID 32

/* ts_tune_best when no point has a score. */
#define TS_TUNE_NONE SIZE_MAX

/* One point of the grid and its score. */
struct ts_tune_point {
	double changepoint_prior_scale;		/* 0.001 0.01 0.1 0.5 */
	double seasonality_prior_scale;		/* 0.01 0.1 1 10 */
	enum ts_prophet_mode seasonality_mode;
	double score;		/* ts_cv_score of the point; NAN: cannot be formed */
};

/* What --tune scores with. */
struct ts_tune_cfg {
	int metric;			/* enum ts_metric; the smaller score wins */
	struct ts_cv_windows windows;	/* 0: Prophet's default; the horizon is needed */
};

/* The search: every point, its score, the winner. */
struct ts_tune_result {
	struct ts_tune_point grid[TS_TUNE_GRID];
	size_t nscored;		/* grid[0..nscored) are scored: all of them on success,
				 * those before the failing point on error */
	size_t best;		/* index of the winner, or TS_TUNE_NONE */
};

/* Fill grid with the points in search order (additive then multiplicative;
 * within a mode changepoint_prior_scale ascending, then
 * seasonality_prior_scale ascending), scores NAN. */
void ts_tune_grid(struct ts_tune_point grid[TS_TUNE_GRID]);

/* Index of the smallest score among grid[0..n): the first of equal scores,
 * never a NAN one; TS_TUNE_NONE when every score is NAN (or n is 0). */
size_t ts_tune_best(const struct ts_tune_point *grid, size_t n);

/* Search the grid for the series s (the model's view, cv.h: y to fit, cap,
 * floor and regressors as ts_prophet_forecast reads them) with settings
 * base. First base is fitted to the whole history; every point is then
 * cross-validated with the seasonalities that fit resolved
 * (ts_prophet_copy_opts), the windows cfg->windows with the longest of them
 * setting the default initial window, and scored by ts_cv_score with MASE's
 * scale from the season the interval implies. *best is base with the
 * winner's three settings (base itself when no point has a score); res gets
 * every score. Errors: the fit's and cross-validation's (res->nscored says
 * how far the search got), ts_cv_default_windows', TS_ENOMEM. */
int ts_tune_run(const struct ts_prophet_opts *base, const struct ts_tune_cfg *cfg,
		const struct ts_fc_series *s, struct ts_prophet_opts *best,
		struct ts_tune_result *res, struct ts_err *err);

#endif
