/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prophet: Prophet's model (Taylor & Letham 2018; facebook/prophet 1.x): trend,
 * Fourier seasonalities, holidays and regressors, the exact MAP fit, prediction,
 * components and simulated uncertainty intervals. */
#ifndef TS_PROPHET_H
#define TS_PROPHET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tserr.h"

enum ts_prophet_growth { TS_PROPHET_LINEAR, TS_PROPHET_FLAT, TS_PROPHET_LOGISTIC };
enum ts_prophet_mode { TS_PROPHET_ADDITIVE, TS_PROPHET_MULTIPLICATIVE };

/* Values of ts_prophet_opts.yearly/weekly/daily besides an order > 0. */
#define TS_PROPHET_OFF 0
#define TS_PROPHET_AUTO (-1)	/* Prophet's rule from the span and spacing */
#define TS_PROPHET_ON (-2)	/* on with the default order (10, 3, 4) */

#define TS_PROPHET_NAME_MAX 64

/* A seasonality (add_seasonality). prior <= 0 or NAN: the model's
 * seasonality_prior_scale; mode < 0: the model's seasonality_mode.
 * condition (Prophet's condition_name; empty: always on): the seasonality's
 * columns are 0 on rows where the condition is false. The condition is one of
 * the data's condition columns (ts_prophet_opts.conditions) by name, else the
 * built-in "weekend" (Saturday or Sunday by the wall-clock date of the row's
 * day) or "weekday" (Monday to Friday). */
struct ts_prophet_season {
	char name[TS_PROPHET_NAME_MAX];
	double period;		/* days */
	int order;		/* Fourier order, >= 1 */
	double prior;
	int mode;
	char condition[TS_PROPHET_NAME_MAX];
};

/* ts_prophet_model.season_cond values besides a condition column's index. */
#define TS_PROPHET_ALWAYS (-1)
#define TS_PROPHET_WEEKEND (-2)
#define TS_PROPHET_WEEKDAY (-3)

/* Whether wall-clock day `day` (days since 1970-01-01, a Thursday) falls on
 * a Saturday or Sunday. */
bool ts_prophet_is_weekend(double day);

/* One row of a holidays table: holiday name, its date as a day count since
 * 1970-01-01, the window of days around it, and its prior (NAN: the model's
 * holidays_prior_scale). */
struct ts_prophet_holiday {
	char name[TS_PROPHET_NAME_MAX];
	int64_t day;
	int lower, upper;	/* lower <= 0 <= upper, as Prophet's lower_window/upper_window */
	double prior;
};

/* An extra regressor (add_regressor with standardize='auto'). prior NAN: the
 * model's holidays_prior_scale; mode < 0: the seasonality_mode. */
struct ts_prophet_regressor {
	char name[TS_PROPHET_NAME_MAX];
	double prior;
	int mode;
};

/* Model settings, Prophet's defaults from ts_prophet_opts_init. The arrays are
 * the caller's and must outlive the fit. */
struct ts_prophet_opts {
	enum ts_prophet_growth growth;
	int n_changepoints;			/* 25 */
	double changepoint_range;		/* 0.8 */
	double changepoint_prior_scale;		/* 0.05 */
	double seasonality_prior_scale;		/* 10 */
	double holidays_prior_scale;		/* 10 */
	enum ts_prophet_mode seasonality_mode;	/* additive */
	int yearly, weekly, daily;		/* TS_PROPHET_AUTO, _ON, _OFF or an order */
	const struct ts_prophet_season *seasons;	/* added seasonalities */
	size_t nseasons;
	const struct ts_prophet_holiday *holidays;
	size_t nholidays;
	const struct ts_prophet_regressor *regressors;
	size_t nregressors;
	const char *const *conditions;		/* names of ts_prophet_data.cond's columns */
	size_t nconditions;
	double interval_width;			/* 0.8 */
	size_t samples;				/* 1000; 0: no intervals */
	uint64_t seed;				/* 0 */
};

/* Why name cannot name a seasonality, holiday or regressor ("is empty",
 * "cannot contain \"_delim_\"", "is too long", "is reserved"), or NULL when
 * it can: Prophet's validate_column_name. daily, weekly and yearly are
 * allowed when builtin_ok (naming a built-in seasonality). */
const char *ts_prophet_bad_name(const char *name, bool builtin_ok);

/* Fill o with Prophet's defaults. */
void ts_prophet_opts_init(struct ts_prophet_opts *o);

/* The rows of one series, history and rows to forecast together, sorted by
 * time. Rows whose y is NAN are not fitted (Prophet drops them from the
 * history) but are predicted. */
struct ts_prophet_data {
	size_t n;
	const double *t;	/* instants in seconds (any origin): the trend's time */
	const double *day;	/* wall-clock days since 1970-01-01: seasonality, holidays */
	const double *y;
	const double *cap;	/* logistic growth: capacity per row; else NULL */
	const double *floor;	/* logistic growth: floor per row, or NULL for 0 */
	const double *const *reg;	/* opts.nregressors columns of n values, or NULL */
	const double *const *cond;	/* opts.nconditions columns of n values, 1 (true)
					 * or 0 (false), or NULL */
	/* Set when row i here is row fit_first + i of the data the model was
	 * fit on (the same days, regressors and conditions): the prediction
	 * then takes those rows' features from the fit instead of again. */
	bool rows_of_fit;
	size_t fit_first;
};

/* Fitted parameters on the scaled data, as Prophet's m.params. */
struct ts_prophet_params {
	double k, m, sigma;
	double *delta;		/* S */
	double *beta;		/* K */
};

/* A fitted model: scales, the resolved seasonalities and features, changepoints,
 * parameters, and the history's design (for the objective). Owned memory is
 * released by ts_prophet_free. */
struct ts_prophet_model {
	struct ts_prophet_opts opts;		/* as given; arrays still the caller's */
	double y_scale, t_start, t_scale;
	bool logistic_floor;
	size_t nseasons;
	struct ts_prophet_season *seasons;	/* resolved: built-in then added */
	int *season_cond;			/* nseasons: TS_PROPHET_ALWAYS, _WEEKEND,
						 * _WEEKDAY or an index in data.cond */
	size_t nhol_names;
	char (*hol_names)[TS_PROPHET_NAME_MAX];	/* holiday names, first-seen order */
	size_t K;				/* feature columns */
	double *prior;				/* K prior scales */
	unsigned char *mult;			/* K: column is multiplicative */
	int *col_comp;				/* K: seasonality index, nseasons + holiday
						 * name index, or -1 - regressor index */
	int64_t *hol_day;			/* K: a holiday column's day offset */
	size_t *hol_first, *hol_count;		/* K: its rows in hol_rows */
	size_t *hol_rows;			/* opts.holidays rows, grouped by column */
	double *reg_mu, *reg_std;		/* per regressor */
	size_t S;				/* changepoints (1 dummy at 0 when none) */
	bool dummy_changepoint;
	double *t_change;			/* S, scaled time */
	struct ts_prophet_params p;
	bool constant;				/* y constant: not fitted, sigma 1e-9 */
	size_t T;				/* history points */
	double *ht, *hy, *hcap, *hX;		/* history: scaled t, y, cap; X (T x K) */
	size_t *hrow;				/* T: the fit data's row of each, ascending */
	size_t iterations;			/* outer iterations the fit took */
	/* component names for ts_prophet_predict's comp output */
	size_t ncomp;
	char (*comp_names)[TS_PROPHET_NAME_MAX + 32];
};

/* Fit the model to the rows of d that have a y (at least two). Errors
 * (TS_EDATA): "no values to fit", "fewer than two points with a value",
 * "all points have the same time", "cap must be greater than floor",
 * "regressor \"X\" has a missing value", "condition \"X\" has a missing
 * value", "holiday \"X\" does not have a consistent prior scale"; TS_EUSAGE
 * for bad options, among them "seasonality \"S\": condition \"X\" is not a
 * column (nor weekend or weekday)"; TS_ENOMEM. On error m holds nothing. */
int ts_prophet_fit(const struct ts_prophet_data *d, const struct ts_prophet_opts *o,
		   struct ts_prophet_model *m, struct ts_err *err);

/* The MAP objective (log posterior, constants dropped, as OBJECTIVES.md) of
 * parameters p on m's history. */
double ts_prophet_logpost(const struct ts_prophet_model *m, const struct ts_prophet_params *p);

/* Predictions for every row of d (same columns as at fit, any rows, sorted by
 * time): yhat, trend, and when lower/upper are not NULL the simulated interval
 * (m->opts.samples paths, seed m->opts.seed; NAN when samples is 0). comp (NULL or m->ncomp x d->n,
 * component-major) receives the components named in m->comp_names. Errors:
 * TS_EDATA for a missing cap, regressor or condition value, TS_ENOMEM. */
int ts_prophet_predict(const struct ts_prophet_model *m, const struct ts_prophet_data *d,
		       double *yhat, double *trend, double *lower, double *upper, double *comp,
		       struct ts_err *err);

/* Settings that refit m's seasonalities as m resolved them on the whole
 * history, as Prophet's cross_validation copies a model (prophet_copy): *out
 * is o with the built-in seasonalities off and m's seasonalities added, those
 * the user added as o gives them, the others with their period and order and
 * o's seasonality prior scale and mode. buf (room for max, m->nseasons is
 * enough) receives them and must outlive *out. Returns how many. */
size_t ts_prophet_copy_opts(const struct ts_prophet_opts *o, const struct ts_prophet_model *m,
			    struct ts_prophet_opts *out, struct ts_prophet_season *buf, size_t max);

/* The longest period of m's seasonalities in days; 0 when it has none
 * (cross-validation's default initial window, ts_cv_default_windows). */
double ts_prophet_longest_period(const struct ts_prophet_model *m);

/* Release what m owns. */
void ts_prophet_free(struct ts_prophet_model *m);

struct ts_fc_series;
struct ts_fc_result;

/* Prophet's data for every row of s: times as seconds since the first row
 * written to tsec (room for s->n), y, cap and floor from s->y, s->cols[0]
 * and s->cols[1], o's regressors from the columns after them, then o's
 * condition columns, pointed to from reg (room for o->nregressors +
 * o->nconditions). TS_EUSAGE "too many regressors" when s has fewer columns
 * than that. */
int ts_prophet_data_of(const struct ts_fc_series *s, const struct ts_prophet_opts *o, double *tsec,
		       const double **reg, struct ts_prophet_data *d, struct ts_err *err);

/* The common model interface of cv.h (a ts_forecast_fn): cfg is a struct
 * ts_prophet_opts; s->cols are cap, floor (each may be NULL unless logistic
 * growth needs it), then one column per regressor, then one per condition. Components are written
 * only when s->from is 0; lower and upper are NAN when cfg's samples is 0. */
int ts_prophet_forecast(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
			struct ts_err *err);

#endif
