/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcinput: assembles one series for a forecasting model from its table rows,
 * naming the file and line of the first cell it cannot use. */
#include "forecast/fcinput.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/num.h"
#include "series/period.h"

static int nomem(struct ts_err *err)
{
	return ts_err_set(err, TS_ENOMEM, "out of memory");
}

/* The grid step of the sorted points. Failing to infer it is an error only
 * when rows are to be added after the last value. */
static int infer_interval(const struct ts_time_index *tp, size_t nin, bool adds_rows,
			  struct ts_fcinput *in, struct ts_err *err)
{
	ts_time *sorted = ts_mallocarray(nin + 1, sizeof *sorted);
	struct ts_err ierr = { 0 };
	int rc;

	if (sorted == NULL)
		return nomem(err);
	for (size_t i = 0; i < nin; i++)
		sorted[i] = tp[i].t;
	rc = ts_interval_infer(sorted, nin, &in->s.zone, &in->interval, &ierr);
	free(sorted);
	if (rc == TS_ENOMEM || (rc != 0 && adds_rows)) {
		*err = ierr;
		return rc;
	}
	if (rc != 0)
		in->interval = (struct ts_dur){ 0 };
	return 0;
}

/* Time of the h-th grid step after the last value. */
static ts_time step_after(const struct ts_fcinput *in, ts_time last_y, int64_t h)
{
	return ts_time_add(last_y, &in->interval, h, &in->s.zone);
}

/* How many rows the horizon adds: grid steps after the last value that come
 * after the last input time (rows to forecast may already be in the input);
 * *last_added is the time of the last of them. */
static int count_added(const struct ts_fcinput_horizon *hz, const struct ts_fcinput *in,
		       ts_time last_y, ts_time last_t, size_t *nadd, ts_time *last_added,
		       struct ts_err *err)
{
	ts_time end = hz->is_count ? 0 : ts_time_add(last_y, &hz->dur, 1, &in->s.zone);

	*nadd = 0;
	for (int64_t h = 1;; h++) {
		ts_time ft = step_after(in, last_y, h);
		if (hz->is_count ? h > hz->count : ft > end)
			break;
		if (ft > last_t) {
			(*nadd)++;
			*last_added = ft;
		}
		if (*nadd > TS_FCINPUT_MAX_FUTURE) {
			char dur[32], iv[32];
			if (hz->text != NULL)
				snprintf(dur, sizeof dur, "%s", hz->text);
			else
				ts_dur_format(&hz->dur, dur);
			ts_dur_format(&in->interval, iv);
			return ts_err_set(err, TS_EDATA, "-H %s is more than %d rows of %s, the most a series can add",
					  dur, TS_FCINPUT_MAX_FUTURE, iv);
		}
	}
	return 0;
}

/* Rows past 9999-12-31 would be written in a form no tool reads back. */
static int check_writable(const struct ts_fcinput_horizon *hz, const struct ts_fcinput *in,
			  ts_time last_added, struct ts_err *err)
{
	struct ts_tfmt fmt;
	char when[TS_TIME_BUFSIZE];

	ts_tfmt_for_interval(&in->s.tfmt, &in->interval, &fmt);
	if (ts_time_writable(last_added, &fmt, &in->s.zone))
		return 0;
	ts_time_format(last_added, &fmt, &in->s.zone, when);
	return ts_err_set(err, TS_EDATA, "-H %s would add a row at %s, past the years 0000-9999 timestamps can name",
			  hz->text != NULL ? hz->text : "", when);
}

/* Fill the rows: the sorted points, then the added ones. */
static int fill_rows(const struct ts_time_index *tp, ts_time last_y, ts_time last_t,
		     const struct ts_fcinput_opts *opts, struct ts_fcinput *in, struct ts_err *err)
{
	size_t nin = in->nin, n = in->n;

	in->pos = ts_mallocarray(nin + 1, sizeof *in->pos);
	in->point = ts_mallocarray(n + 1, sizeof *in->point);
	in->t = ts_mallocarray(n + 1, sizeof *in->t);
	in->day = ts_mallocarray(n + 1, sizeof *in->day);
	in->y = ts_mallocarray(n + 1, sizeof *in->y);
	in->yfit = ts_mallocarray(n + 1, sizeof *in->yfit);
	if (!in->pos || !in->point || !in->t || !in->day || !in->y || !in->yfit)
		return nomem(err);
	for (size_t k = 0; k < nin; k++) {
		size_t i = tp[k].i;
		in->pos[i] = k;
		in->point[k] = i;
		in->t[k] = tp[k].t;
		in->y[k] = in->s.y[i];
		in->yfit[k] = in->y[k];
		if (opts->exclude != NULL && ts_ranges_contain(opts->exclude, in->t[k]))
			in->yfit[k] = NAN;
	}
	if (nin > 0)
		for (int64_t h = 1, k = (int64_t)nin; k < (int64_t)n; h++) {
			ts_time ft = step_after(in, last_y, h);
			if (ft <= last_t)
				continue;
			in->t[k] = ft;
			in->y[k] = in->yfit[k] = NAN;
			in->point[k] = TS_FCINPUT_ADDED;
			k++;
		}
	for (size_t k = 0; k < n; k++) {
		ts_time wall = in->t[k] + (ts_time)ts_zone_offset(&in->s.zone, in->t[k]) * TS_US_PER_S;
		in->day[k] = (double)wall / (double)TS_US_PER_DAY;
	}
	return 0;
}

/* The table row of row k (an input row). */
static size_t table_row(const struct ts_fcinput *in, size_t k)
{
	return in->s.row[in->point[k]];
}

/* Whether field f is word (lowercase) in any case, whatever the locale. */
static bool is_word(struct ts_str f, const char *word)
{
	size_t i;

	for (i = 0; i < f.len && word[i] != '\0'; i++) {
		char c = f.s[i] >= 'A' && f.s[i] <= 'Z' ? (char)(f.s[i] - 'A' + 'a') : f.s[i];
		if (c != word[i])
			return false;
	}
	return i == f.len && word[i] == '\0';
}

/* A condition field as Prophet reads a bool column: true or false in any
 * case, or a number equal to 1 or 0; 1, 0, or NAN when missing. Returns
 * nonzero for anything else. */
static int read_condition(const struct ts_table *tab, size_t row, size_t col, double *v,
			  struct ts_err *err)
{
	struct ts_str f = ts_table_field(tab, row, col);
	char quoted[64];

	if (is_word(f, "true")) {
		*v = 1;
		return 0;
	}
	if (is_word(f, "false")) {
		*v = 0;
		return 0;
	}
	if (ts_num_is_missing(f.s, f.len)) {
		*v = NAN;
		return 0;
	}
	if (ts_num_parse(f.s, f.len, v) == 0 && (*v == 0 || *v == 1))
		return 0;
	err->file = ts_table_file(tab, row);
	return ts_err_at(err, TS_EDATA, tab->line[row],
			 "condition \"%s\": invalid value \"%s\" (expected true, false, 1 or 0)",
			 tab->names[col], ts_err_quote(f.s, f.len, quoted, sizeof quoted));
}

/* Read extra column c (cap, floor, regressor c - 2, or condition c - 2 -
 * nregs) from table column col for every row: each input row needs a finite
 * number (a condition: true/false, 1/0); added rows carry cap and floor
 * forward and have no regressor or condition value. */
static int read_column(const struct ts_table *tab, const struct ts_roles *roles,
		       const struct ts_fcinput_opts *opts, size_t c, size_t col,
		       struct ts_fcinput *in, struct ts_err *err)
{
	bool condition = c >= 2 + opts->nregs, regressor = c >= 2 && !condition;
	double *v = ts_mallocarray(in->n + 1, sizeof *v), carry = NAN;

	if (v == NULL)
		return nomem(err);
	in->cols[c] = v;
	for (size_t k = 0; k < in->n; k++) {
		if (in->point[k] == TS_FCINPUT_ADDED) {
			if (regressor)
				return ts_err_set(err, TS_EDATA,
						  "regressor \"%s\" has no value for the %zu rows -H adds: append rows with an empty %s that carry it",
						  tab->names[col], in->n - in->nin, tab->names[roles->value]);
			if (condition)
				return ts_err_set(err, TS_EDATA,
						  "condition \"%s\" has no value for the %zu rows -H adds: append rows with an empty %s that carry it, or use the built-in weekend or weekday",
						  tab->names[col], in->n - in->nin, tab->names[roles->value]);
			v[k] = carry;
			continue;
		}
		size_t row = table_row(in, k);
		if (condition && read_condition(tab, row, col, &v[k], err) != 0)
			return TS_EDATA;
		if (!condition && ts_table_number(tab, row, col, &v[k], err) != 0)
			return TS_EINPUT;
		if (isnan(v[k])) {
			err->file = ts_table_file(tab, row);
			return ts_err_at(err, TS_EDATA, tab->line[row], "missing %s \"%s\"",
					 condition ? "condition" : regressor ? "regressor" : "value in column",
					 tab->names[col]);
		}
		carry = v[k];
	}
	return 0;
}

/* Logistic growth: the cap above the floor (0 without a floor column) on
 * every row; an added row has no line to name. */
static int check_cap_floor(const struct ts_table *tab, const struct ts_fcinput *in,
			   struct ts_err *err)
{
	const double *caps = in->cols[0], *floors = in->cols[1];

	for (size_t k = 0; k < in->n; k++) {
		double fl = floors != NULL ? floors[k] : 0;
		if (caps[k] > fl)
			continue;
		char a[TS_NUM_BUFSIZE], b[TS_NUM_BUFSIZE];
		ts_num_format(caps[k], a);
		ts_num_format(fl, b);
		if (in->point[k] != TS_FCINPUT_ADDED) {
			size_t row = table_row(in, k);
			err->file = ts_table_file(tab, row);
			err->line = tab->line[row];
		}
		return ts_err_set(err, TS_EDATA, "cap %s is not greater than floor %s", a, b);
	}
	return 0;
}

/* Everything after loading; in->s holds the points. */
static int assemble(const struct ts_table *tab, const struct ts_roles *roles,
		    const struct ts_fcinput_opts *opts, struct ts_time_index *tp, struct ts_fcinput *in,
		    struct ts_err *err)
{
	size_t nin = in->nin, nadd = 0;
	ts_time last_y = INT64_MIN, last_t, last_added = 0;
	bool adds_rows;
	int rc;

	for (size_t i = 0; i < nin; i++) {
		tp[i].t = in->s.t[i];
		tp[i].i = i;
		if (!isnan(in->s.y[i]) && in->s.t[i] > last_y)
			last_y = in->s.t[i];
	}
	ts_time_index_sort(tp, nin);
	last_t = nin > 0 ? tp[nin - 1].t : 0;
	adds_rows = opts->horizon.given && last_y != INT64_MIN;
	/* the horizon counts grid steps; classical models take their season
	 * from the step too, also when the rows to forecast are in the input */
	if ((rc = infer_interval(tp, nin, adds_rows, in, err)) != 0)
		return rc;
	if (adds_rows && (rc = count_added(&opts->horizon, in, last_y, last_t, &nadd, &last_added, err)) != 0)
		return rc;
	if (nadd > 0 && (rc = check_writable(&opts->horizon, in, last_added, err)) != 0)
		return rc;
	in->n = nin + nadd;
	if ((rc = fill_rows(tp, last_y, last_t, opts, in, err)) != 0)
		return rc;
	in->ncols = 2 + opts->nregs + opts->nconds;
	in->cols = ts_calloc(in->ncols, sizeof *in->cols);
	if (in->cols == NULL)
		return nomem(err);
	for (size_t c = 0; c < in->ncols; c++) {
		size_t col = c == 0 ? opts->cap_col : c == 1 ? opts->floor_col
			   : c < 2 + opts->nregs ? opts->reg_cols[c - 2] : opts->cond_cols[c - 2 - opts->nregs];
		if (col != TS_NO_COL && (rc = read_column(tab, roles, opts, c, col, in, err)) != 0)
			return rc;
	}
	if (in->cols[0] != NULL)
		return check_cap_floor(tab, in, err);
	return 0;
}

int ts_fcinput_build(const struct ts_table *tab, const struct ts_roles *roles, const size_t *rows,
		     size_t nrows, const struct ts_fcinput_opts *opts, struct ts_fcinput *in,
		     struct ts_err *err)
{
	struct ts_time_index *tp;
	int rc;

	memset(in, 0, sizeof *in);
	if ((rc = ts_series_load(tab, roles, rows, nrows, &opts->load, &in->s, err)) != 0)
		return rc;
	in->nin = in->s.n;
	tp = ts_mallocarray(in->nin + 1, sizeof *tp);
	if (tp == NULL)
		rc = nomem(err);
	else
		rc = assemble(tab, roles, opts, tp, in, err);
	free(tp);
	if (rc != 0)
		ts_fcinput_free(in);
	return rc;
}

void ts_fcinput_series(const struct ts_fcinput *in, const double *y, struct ts_fc_series *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->n = in->n;
	fs->t = in->t;
	fs->day = in->day;
	fs->y = y;
	fs->interval = in->interval;
	fs->ncols = in->ncols;
	fs->cols = (const double *const *)in->cols;
}

void ts_fcinput_free(struct ts_fcinput *in)
{
	ts_series_free(&in->s);
	TS_FREE_ALL(in->pos, in->point, in->t, in->day, in->y, in->yfit);
	for (size_t c = 0; in->cols != NULL && c < in->ncols; c++)
		free(in->cols[c]);
	free(in->cols);
	memset(in, 0, sizeof *in);
}
