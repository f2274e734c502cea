/* SPDX-License-Identifier: GPL-3.0-or-later */
/* forecast: the registry of forecasting models that --model, auto, --cv and
 * --tune all read, and ts-forecast's run over a table's series. */
#ifndef TS_FORECAST_H
#define TS_FORECAST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "forecast/cv.h"
#include "core/tserr.h"
#include "forecast/fcinput.h"
#include "forecast/fcmodel.h"
#include "forecast/fcmodels.h"
#include "io/frame.h"
#include "forecast/prophet.h"
#include "series/ranges.h"

/* ---- the registry -------------------------------------------------------- */

/* Every model, in the order --help lists them; the table ends with a NULL
 * name. A new model is one row here and its ts_forecast_fn. */
extern const struct ts_fc_model ts_fc_models[];

/* The model named name, or NULL. */
const struct ts_fc_model *ts_fc_model_find(const char *name);

/* The names of the registry joined with ", " into buf (size bytes, always
 * terminated), for a message listing them. */
void ts_fc_model_names(char *buf, size_t size);

/* ---- a run ----------------------------------------------------------------- */

#define TS_FORECAST_MAX_REGRESSORS 32
#define TS_FORECAST_MAX_SEASONS 16
#define TS_FORECAST_MAX_COMPONENTS 256
#define TS_FORECAST_MAX_AUTO 16

typedef char ts_fc_comp_name[TS_PROPHET_NAME_MAX + 32];

/* One series prepared for its model and its results, in the order of its rows. */
struct ts_fc_work {
	struct ts_fcinput in;
	double *yhat, *lower, *upper, *trend, *comp;
	size_t ncomp;
	ts_fc_comp_name *comp_names;
	bool passed;		/* not forecast: the caller passes its rows through */
};

/* Everything a run's jobs share, read-only while they run (each job writes
 * only its own group's slots). Fill with ts_forecast_init, set the settings
 * from the options, ts_forecast_setup; read the input, ts_forecast_columns,
 * then ts_forecast_start. */
struct ts_forecast {
	/* settings */
	const struct ts_fc_model *model;		/* --model (default prophet) */
	struct ts_prophet_opts popts;			/* prophet's, and the interval's */
	struct ts_prophet_season seasons[TS_FORECAST_MAX_SEASONS];
	struct ts_prophet_regressor regs[TS_FORECAST_MAX_REGRESSORS];
	struct ts_prophet_holiday *holidays;		/* owned */
	struct ts_fcinput_horizon horizon;		/* -H */
	struct ts_ranges excl;				/* --exclude, owned */
	bool components;				/* --components */
	bool cv, cv_rows, tune;				/* --cv, --cv-rows, --tune */
	struct ts_cv_windows cv_windows;		/* 0: Prophet's default */
	double rolling_window;
	int metric;					/* enum ts_metric */
	/* the input */
	const struct ts_table *tab;
	const struct ts_roles *roles;
	const struct ts_groups *groups;
	size_t reg_col[TS_FORECAST_MAX_REGRESSORS];	/* table column of each regressor */
	size_t cond_col[TS_FORECAST_MAX_SEASONS];	/* table column of each condition */
	char cond_names[TS_FORECAST_MAX_SEASONS][TS_PROPHET_NAME_MAX];
	const char *cond_ptrs[TS_FORECAST_MAX_SEASONS];	/* popts.conditions */
	size_t cap_col, floor_col;			/* TS_NO_COL when absent */
	/* set by ts_forecast_setup and ts_forecast_start */
	bool store;		/* --components: every series fitted before any is written */
	size_t *skipped;	/* per group: rows --skip-bad left out */
	struct ts_fc_work **works;			/* store mode: per group */
	struct ts_classical_cfg classical;		/* a classical --model */
	struct ts_classical_cfg auto_classical[TS_FORECAST_MAX_AUTO];
	struct ts_auto_candidate auto_candidates[TS_FORECAST_MAX_AUTO];
	struct ts_auto_cfg autocfg;
	struct ts_prophet_opts auto_popts;		/* prophet in auto's folds: no simulated paths */
	/* the output columns (ts_forecast_header) */
	const struct ts_outcols *outcols;
	size_t nadded;
	size_t ncomp;
	ts_fc_comp_name *comp_names;
};

/* Defaults: prophet with Prophet's settings, metric mase, rolling window
 * 0.1, no regressors, cap or floor. */
void ts_forecast_init(struct ts_forecast *f);

/* After the settings are set: the classical model's settings, auto's
 * candidates (the registry's rows with an auto_rank, in rank order, prophet
 * without simulated paths) from the settings as they are now. */
void ts_forecast_setup(struct ts_forecast *f);

/* The columns of tab the settings name: cap and floor (TS_NO_COL when
 * absent), each regressor's (renamed after its header, as Prophet names it),
 * each seasonality condition's (a condition weekend or weekday that is no
 * column is the built-in; popts.nconditions set).
 * Errors (TS_EDATA, no file set): "--growth logistic needs a \"cap\" column
 * (columns: ...)", ts_table_no_column's for a regressor, "--regressor:
 * \"NAME\" is the time or value column", "--regressor: name \"NAME\" ..."
 * (ts_prophet_bad_name's reason), "--add-seasonality: S: no condition column
 * \"C\" (columns: ...; built-in: weekend, weekday)", "--add-seasonality: S:
 * condition \"C\" is the time or value column". */
int ts_forecast_columns(struct ts_forecast *f, const struct ts_table *tab,
			const struct ts_roles *roles, struct ts_err *err);

/* The input the run works on (tab, roles and groups outlive f's use), and
 * the per-group arrays. Errors: TS_ENOMEM. */
int ts_forecast_start(struct ts_forecast *f, const struct ts_table *tab,
		      const struct ts_roles *roles, const struct ts_groups *groups, struct ts_err *err);

/* Forecast group gi as the settings say: build its series (load: --epoch,
 * --tz, --skip-bad), then cross-validate (--cv: rows of the metrics table or
 * of the predictions to out), or tune and fit; the rows to out unless in
 * store mode. Under -v, who (NULL: quiet) prefixes the lines told to msg
 * ("ts-forecast: series \"a\""). *work gets the series' work (NULL for an
 * empty group): the caller keeps it in store mode, else frees it with
 * ts_fc_work_free. Returns 0 or the series' error (TS_EDATA: this series
 * cannot be forecast, the others can). Thread-safe for distinct gi. */
int ts_forecast_series(struct ts_forecast *f, size_t gi, const struct ts_load_opts *load,
		       const char *who, struct ts_fc_work **work, struct ts_buf *out,
		       struct ts_buf *msg, struct ts_err *err);

/* The header: --cv's metrics or predictions columns; else the input's columns
 * with yhat, yhat_lower, yhat_upper (and with --components, trend and the
 * union of the stored series' components, in first-seen order) set up in
 * outcols, which f keeps using. Errors: ts_outcols_init's, TS_ENOMEM. */
int ts_forecast_header(struct ts_forecast *f, struct ts_outcols *outcols, struct ts_buf *out,
		       struct ts_err *err);

/* Write the stored series' rows: input rows in input order, then the added ones. */
void ts_forecast_write(const struct ts_forecast *f, const struct ts_fc_work *w,
		       struct ts_buf *out);

void ts_fc_work_free(struct ts_fc_work *w);

/* Release what f owns (holidays, exclusions, per-group arrays). */
void ts_forecast_free(struct ts_forecast *f);

#endif
