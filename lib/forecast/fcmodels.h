/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodels: the classical models (classical.h) and the cross-validated choice
 * between models ("auto") behind the one model interface (fcmodel.h). */
#ifndef TS_FCMODELS_H
#define TS_FCMODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forecast/cv.h"
#include "forecast/fcmodel.h"

/* Settings of one classical model run through ts_classical_forecast. */
struct ts_classical_cfg {
	const struct ts_fc_model *model;	/* its registry row (forecast.h): the kernel */
	size_t season;		/* points per season; 0: from the interval (period.h) */
	double level;		/* interval width, e.g. 0.8 */
	uint64_t seed;		/* simulated intervals */
	bool raw_band;		/* the kernel's normal band (ts_fc_spec's raw_band):
				 * auto's candidates, whose band auto calibrates */
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
	const void *cfg;		/* in the cross-validation folds */
	const void *final_cfg;		/* for the forecast written (NULL: cfg) */
};

/* Most forecasts auto averages, and its defaults. */
#define TS_AUTO_MAX_COMBINE 4
#define TS_AUTO_FOLDS 4
#define TS_AUTO_MAX_FOLDS 12
#define TS_AUTO_COMBINE 3

/* Settings of --model auto. */
struct ts_auto_cfg {
	const struct ts_auto_candidate *candidates;
	size_t ncandidates;
	int metric;		/* enum ts_metric; the smaller score wins */
	bool owa;		/* rank by M4's OWA instead: the mean of sMAPE and MASE,
				 * each over the first candidate's (seasonal naive) */
	double width;		/* interval width of the candidates' and auto's intervals */
	size_t season;		/* for MASE's scale and the default horizon; 0: from the interval */
	size_t folds;		/* cross-validation origins, the latest; 0: those whose
				 * predictions cover the longest season shorter than a
				 * year once, TS_AUTO_FOLDS to TS_AUTO_MAX_FOLDS */
	size_t combine;		/* forecasts averaged; 0: TS_AUTO_COMBINE; 1: the best alone */
};

/* What auto's cross-validation decided for one series. */
struct ts_auto_choice {
	size_t member[TS_AUTO_MAX_COMBINE];	/* candidates combined, best score first */
	double weight[TS_AUTO_MAX_COMBINE];	/* each member's weight, summing to 1 */
	size_t nmembers;	/* 1: the best alone */
	double score;		/* the cross-validated score of that forecast; NAN when
				 * nothing could be cross-validated (member[0] is then 0) */
	double q;		/* interval half-width in the members' mean standard
				 * error, from the cross-fitted errors; NAN: too few
				 * errors, the members' own bounds are averaged */
	size_t rows;		/* cross-validation predictions the choice rests on */
};

/* Auto's choice for s by rolling-origin cross-validation on its history:
 * horizon the rows to forecast (one season when there are none, at least one
 * step); cutoffs as Prophet's (ts_cv_cutoffs) with period half a horizon and
 * initial three horizons, or the longest seasonal period when that is longer
 * and leaves a cutoff, of which the cfg->folds latest are used; the seasonal
 * periods of the whole history in every fold. Every candidate forecasts every
 * fold (a candidate that fails in one is out); the candidates are ranked by
 * cfg->metric (MASE's scale: the history's seasonal naive error), and the
 * forecast is the mean of the cfg->combine best, or the best alone when its
 * score is lower than the mean's. When the history is non-negative, forecasts
 * and bounds below 0 are raised to 0. q is the cfg->width conformal quantile
 * of |error| / (the members' mean standard error, from their bounds at
 * cfg->width) over the folds' predictions, each fold's of the forecast the
 * same rule chooses on the other folds (cross-fitted, so the choice's luck on
 * its own folds does not narrow the band; with one fold, the choice's). Errors:
 * TS_EDATA "fewer than two points with a value", TS_ENOMEM. */
int ts_auto_select(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s,
		   struct ts_auto_choice *choice, struct ts_err *err);

/* A ts_forecast_fn: ts_auto_select, then each member forecasts the whole
 * history and their forecasts are averaged; rows after the history get
 * mean +/- q times the members' mean standard error (their averaged bounds
 * when q is NAN), history rows the members' averaged fitted values and bounds.
 * r->chosen names the members ("mstl-ar+msnaive"), in r->chosen_buf, and
 * r->chosen_score is the score. A member that fails on the whole history is
 * left out; when all do, the other candidates are tried in order. */
int ts_auto_forecast(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err);

/* The best single candidate for s (index into candidates), with its score, as
 * ts_auto_select ranks them. Same errors. */
int ts_auto_choose(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s, size_t *best,
		   double *score, struct ts_err *err);

#endif
