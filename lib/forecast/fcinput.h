/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcinput: one series' rows of the input turned into what a forecasting model
 * takes: sorted times, y with --exclude left out, cap, floor, regressors, and
 * the rows -H adds after the last value. */
#ifndef TS_FCINPUT_H
#define TS_FCINPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "forecast/fcmodel.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "series/ranges.h"
#include "io/tstime.h"

/* -H adds at most this many rows to a series: a year of 1-minute data, and
 * about 40 s and 150 MB of Prophet's model (as measured on 2026 hardware;
 * ten million took minutes and gigabytes). */
#define TS_FCINPUT_MAX_FUTURE 1000000

/* point[] of a row that -H added (it has no input row). */
#define TS_FCINPUT_ADDED SIZE_MAX

/* -H: rows on the series' grid after its last value, a count or a span. */
struct ts_fcinput_horizon {
	bool given;
	bool is_count;
	long long count;	/* grid steps, when is_count */
	struct ts_dur dur;	/* else how far past the last value */
	const char *text;	/* as given, for messages, or NULL */
};

/* How to assemble a series. The columns are table columns or TS_NO_COL. */
struct ts_fcinput_opts {
	struct ts_load_opts load;		/* --epoch, --tz, --skip-bad */
	struct ts_fcinput_horizon horizon;
	const struct ts_ranges *exclude;	/* rows in these ranges are not fitted; NULL: none */
	size_t cap_col, floor_col;		/* logistic growth; TS_NO_COL: not read */
	const size_t *reg_cols;			/* regressor columns */
	size_t nregs;
	const size_t *cond_cols;		/* condition columns (true/false, 1/0) */
	size_t nconds;
};

/* One series ready for a model. Rows are the input points sorted by time
 * (equal times keep input order), then the rows -H added. */
struct ts_fcinput {
	struct ts_series s;	/* the points as read, in input order */
	size_t nin;		/* input points (s.n) */
	size_t n;		/* rows: nin, then n - nin added */
	size_t *pos;		/* input point -> its row */
	size_t *point;		/* row -> input point, or TS_FCINPUT_ADDED */
	ts_time *t;		/* row instants, ascending */
	double *day;		/* wall-clock days since 1970-01-01 in s.zone */
	double *y;		/* values as read; NAN when missing or added */
	double *yfit;		/* y to fit: NAN also where excluded */
	struct ts_dur interval;	/* grid step; zero when it cannot be inferred */
	size_t ncols;		/* 2 + nregs + nconds */
	double **cols;		/* cap, floor, each regressor, then each condition
				 * (1 or 0): n values, or NULL for a column not read */
};

/* Assemble the series of table rows rows[0..nrows) (a key group) in. Cap and
 * floor are carried forward onto added rows, cap must exceed floor (0 when
 * there is no floor column) on every row; regressors need a value on every
 * row, so -H cannot add rows when there are regressors; so do conditions,
 * read as Prophet reads a bool column: true or false (any case), 1 or 0. The interval is
 * inferred from the sorted times; failing that is an error only when -H
 * has rows to add. Returns 0, or (on error in holds nothing):
 * ts_series_load's errors; with file and line: ts_table_number's for
 * cap, floor and regressors, TS_EDATA "missing value in column \"cap\"", "missing regressor \"NAME\"",
 * "missing condition \"NAME\"", "condition \"NAME\": invalid value \"X\"
 * (expected true, false, 1 or 0)", "cap A is not greater
 * than floor B" (no line on an added row); without: TS_EDATA "regressor
 * \"NAME\" has no value for the N rows -H adds: append rows with an empty Y
 * that carry it", "condition \"NAME\" has no value for the N rows -H
 * adds: append rows with an empty Y that carry it, or use the built-in
 * weekend or weekday", ts_interval_infer's, "-H D is more than 1000000
 * rows of I, the most a series can add" (D the horizon, I the interval);
 * TS_ENOMEM. */
int ts_fcinput_build(const struct ts_table *tab, const struct ts_roles *roles, const size_t *rows,
		     size_t nrows, const struct ts_fcinput_opts *opts, struct ts_fcinput *in,
		     struct ts_err *err);

/* The model's view of in with y as the values (in->yfit to fit what the
 * options leave in; another array of in->n values to fit something else):
 * every row, cap, floor and regressors as ts_prophet_forecast reads them. */
void ts_fcinput_series(const struct ts_fcinput *in, const double *y, struct ts_fc_series *fs);

/* Release what in owns; it is left empty. */
void ts_fcinput_free(struct ts_fcinput *in);

#endif
