/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_holidays: the holidays CSV reader (rows, windows, priors, each error
 * with its line) and Prophet's rule for names. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "failalloc.h"

#include "forecast/holidays.h"
#include "forecast/prophet.h"

static int read_text(const char *text, struct ts_prophet_holiday **h, size_t *n, struct ts_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	rc = ts_holidays_read(f, "hol.csv", TS_EPOCH_AUTO, h, n, err);
	fclose(f);
	return rc;
}

static void test_reads_rows(void **state)
{
	struct ts_prophet_holiday *h;
	size_t n;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text("holiday,ds,lower_window,upper_window,prior_scale\n"
				   "superbowl,2010-02-07,-1,1,5\n"
				   "superbowl,2014-02-02,,1,5\n"
				   "playoff,2008-01-13T00:00:00+09:00,0,0,\n",
				   &h, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(h[0].name, "superbowl");
	assert_int_equal(h[0].day, 14647);	/* 2010-02-07 */
	assert_int_equal(h[0].lower, -1);
	assert_int_equal(h[0].upper, 1);
	assert_near(h[0].prior, 5, 0);
	assert_int_equal(h[1].lower, 0);	/* empty: 0 */
	/* the date as written, not its UTC instant (the day before) */
	assert_int_equal(h[2].day, 13891);	/* 2008-01-13 */
	assert_true(isnan(h[2].prior));
	free(h);
	/* the window and prior columns are optional */
	assert_int_equal(read_text("ds,holiday\n2010-02-07,x\n", &h, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].lower, 0);
	assert_int_equal(h[0].upper, 0);
	free(h);
}

static void test_errors_name_the_line(void **state)
{
	static const struct {
		const char *text;
		size_t line;
		const char *msg;
	} cases[] = {
		{ "name,ds\nx,2010-01-01\n", 1, "expected columns holiday and ds" },
		{ "holiday,ds\nx,2010-01-01\nholidays,2010-01-02\n", 3,
		  "holiday name \"holidays\" is reserved" },
		{ "holiday,ds\n,2010-01-01\n", 2, "holiday name \"\" is empty" },
		{ "holiday,ds,lower_window\nx,2010-01-01,1\n", 2,
		  "lower_window must be a whole number of days <= 0, not \"1\"" },
		{ "holiday,ds,upper_window\nx,2010-01-01,0.5\n", 2,
		  "upper_window must be a whole number of days >= 0, not \"0.5\"" },
		{ "holiday,ds,prior_scale\nx,2010-01-01,0\n", 2,
		  "prior_scale must be a positive number, not \"0\"" },
		{ "holiday,ds,prior_scale\nx,2010-01-01,1\nz,2010-01-02,\nx,2011-01-01,2\n", 4,
		  "holiday \"x\" has a prior_scale different from its earlier rows" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_prophet_holiday *h = NULL;
		size_t n = 7;
		struct ts_err err = { 0 };
		assert_int_equal(read_text(cases[i].text, &h, &n, &err), TS_EINPUT);
		assert_string_equal(err.msg, cases[i].msg);
		assert_string_equal(err.file, "hol.csv");
		assert_int_equal(err.line, cases[i].line);
		assert_null(h);
		assert_int_equal(n, 0);
	}
	/* a bad date: the time parser's message, at its line */
	{
		struct ts_prophet_holiday *h = NULL;
		size_t n;
		struct ts_err err = { 0 };
		assert_int_not_equal(read_text("holiday,ds\nx,2010-01-01\nx,not a date\n", &h, &n, &err), 0);
		assert_int_equal(err.line, 3);
		assert_null(h);
	}
}

static void test_names(void **state)
{
	char long_name[TS_PROPHET_NAME_MAX + 1];

	(void)state;
	assert_null(ts_prophet_bad_name("superbowl", false));
	assert_string_equal(ts_prophet_bad_name("", false), "is empty");
	assert_string_equal(ts_prophet_bad_name("a_delim_b", false), "cannot contain \"_delim_\"");
	assert_string_equal(ts_prophet_bad_name("trend", false), "is reserved");
	assert_string_equal(ts_prophet_bad_name("weekly", false), "is reserved");
	assert_null(ts_prophet_bad_name("weekly", true));
	assert_string_equal(ts_prophet_bad_name("cap", true), "is reserved");
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_string_equal(ts_prophet_bad_name(long_name, false), "is too long");
}

/* A file that is not a holidays table (empty, binary) is refused without
 * leaking the table read so far, and the message names the caller's path
 * (the table's copy of it is gone by then). */
static void test_bad_files_leak_nothing(void **state)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\n\xff\xfe,\x01\n";
	const char *texts[] = { "", "\n\n", "holiday,ds\n\"x,2010", "holiday,ds\nx\n" };
	struct ts_prophet_holiday *h;
	size_t n;
	struct ts_err err = { 0 };
	long before = fa_live_blocks();
	FILE *f;

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(read_text(texts[i], &h, &n, &err), TS_EINPUT);
		assert_string_equal(err.file, "hol.csv");
		assert_int_equal(fa_live_blocks(), before);
	}
	f = fmemopen((void *)binary, sizeof binary - 1, "r");
	assert_non_null(f);
	assert_int_equal(ts_holidays_read(f, "bin.dat", TS_EPOCH_AUTO, &h, &n, &err), TS_EINPUT);
	fclose(f);
	assert_string_equal(err.file, "bin.dat");
	assert_int_equal(fa_live_blocks(), before);
}

struct hol_run {
	struct ts_err err;
};

static int hol_run(void *ctx)
{
	struct hol_run *r = ctx;
	struct ts_prophet_holiday *h = NULL;
	size_t n = 0;
	int rc = read_text("holiday,ds,lower_window,upper_window\nsuperbowl,2010-02-07,-1,1\n"
			   "playoff,2010-01-24,0,0\n", &h, &n, &r->err);

	if (rc == 0)
		assert_int_equal(n, 2);
	free(h);
	return rc;
}

static void hol_check(void *ctx, int rc)
{
	struct hol_run *r = ctx;

	assert_int_equal(rc, TS_ENOMEM);
	assert_string_equal(r->err.msg, "out of memory");
}

static void test_alloc_failures(void **state)
{
	struct hol_run r = { { 0 } };

	(void)state;
	assert_true(fa_sweep(hol_run, hol_check, &r) > 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_rows),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_files_leak_nothing),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
