/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fcinput: one series' rows into a model's input: sorting, the rows -H
 * adds, --exclude, cap, floor and regressors, and each error with its line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/fcinput.h"

#define HOUR (3600LL * 1000000LL)
#define DAY (24 * HOUR)
#define T2018 (1514764800LL * 1000000LL)	/* 2018-01-01T00:00:00Z */

/* A table read from text (one input per text), its roles and key groups. */
struct fixture {
	struct ts_table tab;
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_fcinput_opts opts;
	struct ts_fcinput in;
	struct ts_err err;
};

static void add_input(struct fixture *fx, const char *text, const char *name)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	assert_int_equal(ts_table_read(&fx->tab, f, name, 0, &fx->err), 0);
	fclose(f);
}

/* Read text as "in.csv", resolve roles (keys may be NULL), defaults: no
 * horizon, no exclusions, no extra columns. */
static void setup(struct fixture *fx, const char *text, const char *keys)
{
	memset(fx, 0, sizeof *fx);
	add_input(fx, text, "in.csv");
	assert_int_equal(ts_roles_resolve(&fx->tab, NULL, NULL, keys, &fx->roles, &fx->err), 0);
	fx->opts.cap_col = fx->opts.floor_col = TS_NO_COL;
}

/* Build group gi. */
static int build(struct fixture *fx, size_t gi)
{
	const struct ts_groups *g = &fx->groups;

	ts_groups_free(&fx->groups);
	assert_int_equal(ts_groups_build(&fx->tab, &fx->roles, &fx->groups, &fx->err), 0);
	return ts_fcinput_build(&fx->tab, &fx->roles, g->rows + g->start[gi],
				g->start[gi + 1] - g->start[gi], &fx->opts, &fx->in, &fx->err);
}

static void teardown(struct fixture *fx)
{
	ts_fcinput_free(&fx->in);
	ts_groups_free(&fx->groups);
	ts_table_free(&fx->tab);
}

static void test_sorted_rows(void **state)
{
	struct fixture fx;

	(void)state;
	/* out of order, 2018-01-02 twice: equal times keep input order */
	setup(&fx, "ds,y\n2018-01-03,3\n2018-01-01,1\n2018-01-02,20\n2018-01-02,21\n", NULL);
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.nin, 4);
	assert_int_equal(fx.in.n, 4);
	const double want_y[] = { 1, 20, 21, 3 };
	const size_t want_point[] = { 1, 2, 3, 0 };
	for (size_t k = 0; k < 4; k++) {
		assert_near(fx.in.y[k], want_y[k], 0);
		assert_near(fx.in.yfit[k], want_y[k], 0);
		assert_int_equal(fx.in.point[k], want_point[k]);
		assert_int_equal(fx.in.pos[fx.in.point[k]], k);
	}
	assert_true(fx.in.t[0] == T2018 && fx.in.t[3] == T2018 + 2 * DAY);
	assert_true(fx.in.interval.us == DAY && fx.in.interval.months == 0);
	assert_near(fx.in.day[0], 17532, 0);	/* 2018-01-01 in days since 1970 */
	assert_near(fx.in.day[3], 17534, 0);
	/* no extra columns read: the model's view still has cap and floor slots */
	struct ts_fc_series fs;
	ts_fcinput_series(&fx.in, fx.in.yfit, &fs);
	assert_int_equal(fs.n, 4);
	assert_int_equal(fs.ncols, 2);
	assert_null(fs.cols[0]);
	assert_null(fs.cols[1]);
	assert_ptr_equal(fs.y, fx.in.yfit);
	assert_int_equal(fs.from, 0);
	teardown(&fx);
}

static void test_wall_clock_days(void **state)
{
	struct fixture fx;

	(void)state;
	/* the written offset is the series' clock: local midnight is a whole day */
	setup(&fx, "ds,y\n2018-01-01T00:00:00+02:00,1\n2018-01-01T12:00:00+02:00,2\n", NULL);
	assert_int_equal(build(&fx, 0), 0);
	assert_true(fx.in.t[0] == T2018 - 2 * HOUR);
	assert_near(fx.in.day[0], 17532, 1e-12);
	assert_near(fx.in.day[1], 17532.5, 1e-12);
	teardown(&fx);
}

static void test_horizon_adds_rows(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, "ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-03,3\n", NULL);
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 3 };
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.nin, 3);
	assert_int_equal(fx.in.n, 6);
	for (size_t k = 3; k < 6; k++) {
		assert_true(fx.in.t[k] == T2018 + (ts_time)k * DAY);
		assert_int_equal(fx.in.point[k], TS_FCINPUT_ADDED);
		assert_true(isnan(fx.in.y[k]) && isnan(fx.in.yfit[k]));
		assert_near(fx.in.day[k], 17532 + (double)k, 0);
	}
	teardown(&fx);

	/* trailing rows with an empty y are rows to forecast already: -H 3 adds
	 * only the steps after the last input time */
	setup(&fx, "ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-03,\n2018-01-04,\n", NULL);
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 3 };
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.nin, 4);
	assert_int_equal(fx.in.n, 5);
	assert_int_equal(fx.in.point[2], 2);
	assert_true(isnan(fx.in.yfit[2]) && isnan(fx.in.yfit[3]));
	assert_int_equal(fx.in.point[4], TS_FCINPUT_ADDED);
	assert_true(fx.in.t[4] == T2018 + 4 * DAY);
	teardown(&fx);

	/* a duration counts grid steps up to last value + duration */
	setup(&fx, "ds,y\n2018-01-01 00:00:00,1\n2018-01-01 01:00:00,2\n", NULL);
	fx.opts.horizon.given = true;
	assert_int_equal(ts_dur_parse("1d", &fx.opts.horizon.dur, &fx.err), 0);
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.n, 2 + 24);
	assert_true(fx.in.t[25] == T2018 + 25 * HOUR);
	teardown(&fx);
}

static void test_horizon_limits(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, "ds,y\n2018-01-01 00:00:00,1\n2018-01-01 01:00:00,2\n", NULL);
	fx.opts.horizon.given = true;
	assert_int_equal(ts_dur_parse("1000y", &fx.opts.horizon.dur, &fx.err), 0);	/* 8.8 million hours */
	assert_int_equal(build(&fx, 0), TS_EDATA);	/* of this series: others may pass */
	assert_string_equal(fx.err.msg, "-H 1000y is more than 1000000 rows of 1h, the most a series can add");
	assert_int_equal(fx.in.n, 0);	/* nothing is left to free */
	assert_null(fx.in.t);
	teardown(&fx);

	/* one point has no interval: an error with -H only */
	setup(&fx, "ds,y\n2018-01-01,1\n", NULL);
	assert_int_equal(build(&fx, 0), 0);
	assert_true(fx.in.interval.us == 0 && fx.in.interval.months == 0);
	ts_fcinput_free(&fx.in);
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 2 };
	assert_int_equal(build(&fx, 0), TS_EDATA);
	assert_string_equal(fx.err.msg,
			    "cannot infer the interval from fewer than two distinct timestamps");
	teardown(&fx);

	/* no value at all: -H has nothing to count from, so no error and no rows */
	setup(&fx, "ds,y\n2018-01-01,\n", NULL);
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 2 };
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.n, 1);
	teardown(&fx);
}

static void test_exclude(void **state)
{
	struct fixture fx;
	struct ts_ranges excl = { 0 };
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, NULL };

	(void)state;
	assert_int_equal(ts_ranges_parse(&excl, "2018-01-02/2018-01-04", &tm, &fx.err), 0);
	setup(&fx, "ds,y\n2018-01-04,4\n2018-01-03,3\n2018-01-02,2\n2018-01-01,1\n", NULL);
	fx.opts.exclude = &excl;
	assert_int_equal(build(&fx, 0), 0);
	/* the range is half open: 01-02 and 01-03 are left out of the fit, 01-04 is not */
	assert_near(fx.in.yfit[0], 1, 0);
	assert_true(isnan(fx.in.yfit[1]) && isnan(fx.in.yfit[2]));
	assert_near(fx.in.yfit[3], 4, 0);
	/* y keeps what was read, for the output */
	assert_near(fx.in.y[1], 2, 0);
	assert_near(fx.in.y[2], 3, 0);
	teardown(&fx);
	ts_ranges_free(&excl);
}

static void test_keys(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, "k,ds,y\na,2018-01-01,1\nb,2018-01-05,50\na,2018-01-02,2\nb,2018-01-04,40\n", "k");
	assert_int_equal(build(&fx, 1), 0);
	assert_int_equal(fx.in.n, 2);
	assert_near(fx.in.y[0], 40, 0);
	assert_near(fx.in.y[1], 50, 0);
	/* s.row gives the table rows of the group's points, in input order */
	assert_int_equal(fx.in.s.row[fx.in.point[0]], 3);
	assert_int_equal(fx.in.s.row[fx.in.point[1]], 1);
	teardown(&fx);
}

static void test_cap_floor_regressors(void **state)
{
	struct fixture fx;
	size_t reg[1];

	(void)state;
	setup(&fx, "ds,y,cap,floor,temp\n2018-01-02,2,10,1,7\n2018-01-01,1,9,0,6\n", NULL);
	fx.opts.cap_col = 2;
	fx.opts.floor_col = 3;
	reg[0] = 4;
	fx.opts.reg_cols = reg;
	fx.opts.nregs = 1;
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.ncols, 3);
	assert_near(fx.in.cols[0][0], 9, 0);
	assert_near(fx.in.cols[1][0], 0, 0);
	assert_near(fx.in.cols[2][0], 6, 0);
	assert_near(fx.in.cols[2][1], 7, 0);
	teardown(&fx);

	/* -H carries cap and floor forward onto the rows it adds */
	setup(&fx, "ds,y,cap,floor\n2018-01-01,1,9,0\n2018-01-02,2,10,1\n", NULL);
	fx.opts.cap_col = 2;
	fx.opts.floor_col = 3;
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 2 };
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.n, 4);
	assert_near(fx.in.cols[0][3], 10, 0);
	assert_near(fx.in.cols[1][3], 1, 0);
	struct ts_fc_series fs;
	ts_fcinput_series(&fx.in, fx.in.yfit, &fs);
	assert_ptr_equal(fs.cols[0], fx.in.cols[0]);
	assert_ptr_equal(fs.cols[1], fx.in.cols[1]);
	teardown(&fx);

	/* but a regressor must be given: no line to name */
	setup(&fx, "ds,y,temp\n2018-01-01,1,6\n2018-01-02,2,7\n", NULL);
	reg[0] = 2;
	fx.opts.reg_cols = reg;
	fx.opts.nregs = 1;
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 2 };
	assert_int_equal(build(&fx, 0), TS_EDATA);
	assert_string_equal(fx.err.msg,
			    "regressor \"temp\" has no value for the 2 rows -H adds: append rows with an empty y that carry it");
	assert_int_equal(fx.err.line, 0);
	teardown(&fx);
}

/* Build text with a cap column (and floor when the header has one) and
 * expect code, message and line. */
static void expect_error(const char *text, size_t nregs, int code, const char *msg, size_t line)
{
	struct fixture fx;
	size_t reg[1];

	setup(&fx, text, NULL);
	fx.opts.cap_col = ts_table_column(&fx.tab, "cap");
	fx.opts.floor_col = ts_table_column(&fx.tab, "floor");
	reg[0] = ts_table_column(&fx.tab, "temp");
	fx.opts.reg_cols = reg;
	fx.opts.nregs = nregs;
	assert_int_equal(build(&fx, 0), code);
	assert_string_equal(fx.err.msg, msg);
	assert_int_equal(fx.err.line, line);
	if (line != 0)
		assert_string_equal(fx.err.file, "in.csv");
	assert_null(fx.in.t);
	teardown(&fx);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	/* lines are the input's even when the rows are sorted */
	expect_error("ds,y\n2018-01-03,1\n2018-01-02,inf\n2018-01-01,2\n", 0, TS_EINPUT,
		     "infinite value \"inf\" in column y", 3);
	expect_error("ds,y\n2018-01-01,1\n2018-01-02,x\n", 0, TS_EINPUT,
		     "bad number \"x\" in column y", 3);
	expect_error("ds,y\n2018-01-01,1\nsoon,2\n", 0, TS_EINPUT,
		     "bad timestamp \"soon\"", 3);
	expect_error("ds,y,cap\n2018-01-02,1,5\n2018-01-01,1,x\n", 0, TS_EINPUT,
		     "bad number \"x\" in column cap", 3);
	expect_error("ds,y,cap\n2018-01-01,1,\n2018-01-02,2,3\n", 0, TS_EDATA,
		     "missing value in column \"cap\"", 2);
	expect_error("ds,y,cap\n2018-01-01,1,5\n2018-01-02,2,-inf\n", 0, TS_EINPUT,
		     "infinite value \"-inf\" in column cap", 3);
	expect_error("ds,y,temp\n2018-01-01,1,1\n2018-01-02,2,\n", 1, TS_EDATA,
		     "missing regressor \"temp\"", 3);
	/* cap must exceed the floor, 0 without a floor column */
	expect_error("ds,y,cap\n2018-01-01,1,2\n2018-01-02,2,0\n", 0, TS_EDATA,
		     "cap 0 is not greater than floor 0", 3);
	expect_error("ds,y,cap,floor\n2018-01-02,2,5,0\n2018-01-01,1,2,3\n", 0, TS_EDATA,
		     "cap 2 is not greater than floor 3", 3);
}

static void test_errors_name_the_file(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, "ds,y\n2018-01-01,1\n", NULL);
	add_input(&fx, "ds,y\n2018-01-02,2\n2018-01-03,inf\n", "more.csv");
	assert_int_equal(build(&fx, 0), TS_EINPUT);
	assert_string_equal(fx.err.file, "more.csv");
	assert_int_equal(fx.err.line, 3);
	teardown(&fx);
}

/* Condition columns read as Prophet reads a bool column; each named error. */
static void test_conditions(void **state)
{
	struct fixture fx;
	size_t cond[1];

	(void)state;
	setup(&fx, "ds,y,open\n2018-01-01,1,true\n2018-01-02,2,FALSE\n2018-01-03,3,1\n2018-01-04,4,0\n"
		   "2018-01-05,5,True\n2018-01-06,,false\n", NULL);
	cond[0] = 2;
	fx.opts.cond_cols = cond;
	fx.opts.nconds = 1;
	assert_int_equal(build(&fx, 0), 0);
	assert_int_equal(fx.in.ncols, 3);
	const double want[6] = { 1, 0, 1, 0, 1, 0 };
	for (size_t k = 0; k < 6; k++)
		assert_near(fx.in.cols[2][k], want[k], 0);
	teardown(&fx);

	const char *bad[][3] = {
		{ "ds,y,open\n2018-01-01,1,true\n2018-01-02,2,yes\n",
		  "condition \"open\": invalid value \"yes\" (expected true, false, 1 or 0)", "3" },
		{ "ds,y,open\n2018-01-01,1,2\n", "condition \"open\": invalid value \"2\" (expected true, false, 1 or 0)", "2" },
		{ "ds,y,open\n2018-01-01,1,true\n2018-01-02,2,\n", "missing condition \"open\"", "3" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setup(&fx, bad[i][0], NULL);
		fx.opts.cond_cols = cond;
		fx.opts.nconds = 1;
		assert_int_equal(build(&fx, 0), TS_EDATA);
		assert_string_equal(fx.err.msg, bad[i][1]);
		assert_int_equal(fx.err.line, (size_t)atoi(bad[i][2]));
		teardown(&fx);
	}

	/* -H cannot make up a condition */
	setup(&fx, "ds,y,open\n2018-01-01,1,1\n2018-01-02,2,0\n", NULL);
	fx.opts.cond_cols = cond;
	fx.opts.nconds = 1;
	fx.opts.horizon = (struct ts_fcinput_horizon){ .given = true, .is_count = true, .count = 2 };
	assert_int_equal(build(&fx, 0), TS_EDATA);
	assert_string_equal(fx.err.msg,
			    "condition \"open\" has no value for the 2 rows -H adds: append rows with an empty y that carry it, or use the built-in weekend or weekday");
	teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_rows),
		cmocka_unit_test(test_wall_clock_days),
		cmocka_unit_test(test_horizon_adds_rows),
		cmocka_unit_test(test_horizon_limits),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_cap_floor_regressors),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_errors_name_the_file),
		cmocka_unit_test(test_conditions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
