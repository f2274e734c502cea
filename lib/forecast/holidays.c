/* SPDX-License-Identifier: GPL-3.0-or-later */
/* holidays: reads a holidays CSV into Prophet's holiday rows, checking each
 * cell and naming the file and line of the first bad one. */
#include "forecast/holidays.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/frame.h"
#include "core/mem.h"
#include "core/num.h"

/* A window cell of row r: empty is 0; else whole days with the sign asked. */
static int window_days(const struct ts_table *t, size_t r, size_t col, int sign, const char *label,
		       int *out, struct ts_err *err)
{
	struct ts_str v;
	double x;
	char q[96];

	*out = 0;
	if (col == TS_NO_COL)
		return 0;
	v = ts_table_field(t, r, col);
	if (ts_num_is_missing(v.s, v.len))
		return 0;
	if (ts_num_parse(v.s, v.len, &x) != 0 || x != floor(x) || x * sign < 0 || fabs(x) > 366)
		return ts_err_set(err, TS_EINPUT, "%s must be a whole number of days %s 0, not \"%s\"",
				  label, sign < 0 ? "<=" : ">=", ts_err_quote(v.s, v.len, q, sizeof q));
	*out = (int)x;
	return 0;
}

/* Row r into h. */
static int read_row(const struct ts_table *t, size_t r, const size_t col[5], enum ts_epoch epoch,
		    struct ts_prophet_holiday *h, struct ts_err *err)
{
	struct ts_str name = ts_table_field(t, r, col[0]), ds = ts_table_field(t, r, col[1]);
	struct ts_tfmt fmt;
	ts_time when;
	char q[96];
	const char *why;
	int rc;

	if (name.len >= sizeof h->name)
		return ts_err_set(err, TS_EINPUT, "holiday name too long");
	memcpy(h->name, name.s, name.len);
	h->name[name.len] = '\0';
	if ((why = ts_prophet_bad_name(h->name, false)) != NULL)
		return ts_err_set(err, TS_EINPUT, "holiday name \"%s\" %s",
				  ts_err_quote(name.s, name.len, q, sizeof q), why);
	if ((rc = ts_time_parse(ds.s, ds.len, epoch, &when, &fmt, err)) != 0)
		return rc;
	/* the calendar date as written (an offset's own wall clock) */
	if (fmt.tz == TS_TZK_OFFSET)
		when += (ts_time)fmt.offset_s * TS_US_PER_S;
	h->day = when >= 0 ? when / TS_US_PER_DAY : -((-when + TS_US_PER_DAY - 1) / TS_US_PER_DAY);
	if ((rc = window_days(t, r, col[2], -1, "lower_window", &h->lower, err)) != 0 ||
	    (rc = window_days(t, r, col[3], 1, "upper_window", &h->upper, err)) != 0)
		return rc;
	h->prior = NAN;
	if (col[4] != TS_NO_COL) {
		struct ts_str v = ts_table_field(t, r, col[4]);
		double x;
		if (!ts_num_is_missing(v.s, v.len)) {
			if (ts_num_parse(v.s, v.len, &x) != 0 || !(x > 0) || isinf(x))
				return ts_err_set(err, TS_EINPUT,
						  "prior_scale must be a positive number, not \"%s\"",
						  ts_err_quote(v.s, v.len, q, sizeof q));
			h->prior = x;
		}
	}
	return 0;
}

int ts_holidays_read(FILE *f, const char *path, enum ts_epoch epoch,
		     struct ts_prophet_holiday **out, size_t *n, struct ts_err *err)
{
	struct ts_table t = { 0 };
	struct ts_prophet_holiday *hol = NULL;
	size_t col[5];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ts_table_read_file(&t, f, path, err)) != 0)
		return rc;
	col[0] = ts_table_column(&t, "holiday");
	col[1] = ts_table_column(&t, "ds");
	col[2] = ts_table_column(&t, "lower_window");
	col[3] = ts_table_column(&t, "upper_window");
	col[4] = ts_table_column(&t, "prior_scale");
	if (col[0] == TS_NO_COL || col[1] == TS_NO_COL) {
		rc = ts_err_set(err, TS_EINPUT, "expected columns holiday and ds");
		err->file = path;
		err->line = 1;
		goto out;
	}
	if ((hol = ts_calloc(t.nrows + 1, sizeof *hol)) == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < t.nrows && rc == 0; r++) {
		rc = read_row(&t, r, col, epoch, &hol[r], err);
		/* one prior per holiday name */
		for (size_t e = 0; e < r && rc == 0; e++)
			if (strcmp(hol[e].name, hol[r].name) == 0 &&
			    !(hol[e].prior == hol[r].prior || (isnan(hol[e].prior) && isnan(hol[r].prior))))
				rc = ts_err_set(err, TS_EINPUT,
						"holiday \"%s\" has a prior_scale different from its earlier rows",
						hol[r].name);
		if (rc != 0 && rc != TS_ENOMEM) {
			err->file = path;
			err->line = t.line[r];
		}
	}
	if (rc == 0) {
		*out = hol;
		*n = t.nrows;
		hol = NULL;
	}
out:
	free(hol);
	ts_table_free(&t);
	return rc;
}
