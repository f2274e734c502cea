/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodels: the classical models (classical.h) and the cross-validated choice
 * between models ("auto") behind ts-forecast's common model interface (cv.h). */
#ifndef TS_FCMODELS_H
#define TS_FCMODELS_H

#include <stddef.h>
#include <stdint.h>

#include "classical.h"
#include "cv.h"

/* Settings of one classical model run through ts_classical_forecast. */
struct ts_classical_cfg {
	const struct ts_fc_model *model;	/* from ts_classical_find */
	size_t season;		/* points per season; 0: from the interval (period.h) */
	double level;		/* interval width, e.g. 0.8 */
	uint64_t seed;		/* simulated intervals */
};

/* A ts_forecast_fn for a classical model: the history runs from the first to
 * the last row with a value (missing values inside it are interpolated as
 * forecast::na.interp does before fitting); history rows get the fitted values
 * and one-step bounds, the rows after it the h-step forecasts (one grid step
 * per row), rows before it NAN. Errors: the model's, and TS_EDATA "fewer than
 * two points with a value". Thread-safe. */
int ts_classical_forecast(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
			  struct ts_err *err);

/* One model "auto" may choose. */
struct ts_auto_candidate {
	const char *name;
	ts_forecast_fn forecast;
	const void *cfg;
};

/* Settings of --model auto. */
struct ts_auto_cfg {
	const struct ts_auto_candidate *candidates;
	size_t ncandidates;
	int metric;		/* enum ts_metric; the smaller score wins */
	double width;		/* interval width, for the coverage metric */
	size_t season;		/* for MASE's scale and the default horizon; 0: from the interval */
};

/* A ts_forecast_fn that scores every candidate by rolling-origin
 * cross-validation on the history (horizon: the rows to forecast, or one
 * season when there are none, at least one step; initial 3 horizons, as
 * Prophet's default, or the longest seasonal period when that is longer and
 * leaves a cutoff, so that every fold holds it; period half a horizon; the
 * seasonal periods of the whole history in every fold) and forecasts with
 * the best (the first of equals). A
 * candidate that cannot be cross-validated (too short, or its own error) is
 * skipped; when none can be, the first candidate that fits is used. */
int ts_auto_forecast(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err);

/* Which candidate ts_auto_forecast would choose for s (index into
 * candidates), with its score; for -v. Same errors. */
int ts_auto_choose(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s, size_t *best,
		   double *score, struct ts_err *err);

#endif
