/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_calendar: the shipped country calendars hold known dates (lunar
 * Korean and Chinese holidays, Easter, Thanksgiving, Diwali), are found
 * where TS_DATADIR says, keep a holiday's every row when it falls in the
 * input's years, and refuse unknown codes and broken files clearly. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "forecast/calendar.h"

#define CALENDARS "lib/calendars"

static struct ts_prophet_holiday *hol;
static size_t nhol;

static void load(const char *code, int first, int last)
{
	struct ts_err err = { 0 };
	int cal_first, cal_last;

	free(hol);
	hol = NULL;
	assert_int_equal(ts_calendar_load(CALENDARS, code, first, last, &hol, &nhol, &cal_first,
					  &cal_last, &err), 0);
	assert_int_equal(cal_first, 1995);
	assert_int_equal(cal_last, 2044);
}

/* Whether the loaded calendar has holiday name on y-m-d, window 0..0. */
static bool has(const char *name, int64_t y, unsigned m, unsigned d)
{
	int64_t day = ts_days_from_civil(y, m, d);

	for (size_t i = 0; i < nhol; i++)
		if (hol[i].day == day && strcmp(hol[i].name, name) == 0) {
			assert_int_equal(hol[i].lower, 0);
			assert_int_equal(hol[i].upper, 0);
			assert_true(isnan(hol[i].prior));
			return true;
		}
	return false;
}

static size_t count(const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < nhol; i++)
		n += strcmp(hol[i].name, name) == 0;
	return n;
}

static void test_korea_lunar(void **state)
{
	(void)state;
	load("KR", 1995, 2044);
	/* Chuseok 2019: the eve, the day (lunar 8/15, 13 September), the day after */
	assert_true(has("Midautumn Festival", 2019, 9, 12));
	assert_true(has("Midautumn Festival", 2019, 9, 13));
	assert_true(has("Midautumn Festival", 2019, 9, 14));
	assert_false(has("Midautumn Festival", 2019, 9, 15));
	/* Seollal 2024 (lunar 1/1 on 10 February) */
	assert_true(has("Korean New Year's Day", 2024, 2, 9));
	assert_true(has("Korean New Year's Day", 2024, 2, 10));
	assert_true(has("Korean New Year's Day", 2024, 2, 11));
	assert_false(has("Korean New Year's Day", 2024, 2, 12));
	/* Seollal 1995 and 2044, at the ends of the calendar */
	assert_true(has("Korean New Year's Day", 1995, 1, 31));
	assert_true(has("Korean New Year's Day", 2044, 1, 30));
	assert_true(has("Buddha's Birthday", 2024, 5, 15));
	assert_true(has("Hangul Day", 2030, 10, 9));
	/* three days a year, fifty years */
	assert_int_equal(count("Korean New Year's Day"), 150);
	assert_int_equal(count("Midautumn Festival"), 150);
}

static void test_known_dates(void **state)
{
	(void)state;
	load("US", 1995, 2044);
	assert_true(has("Thanksgiving", 2030, 11, 28));
	assert_true(has("Independence Day", 2026, 7, 4));
	load("DE", 1995, 2044);
	assert_true(has("Ostermontag", 2025, 4, 21));
	load("GB", 1995, 2044);
	/* Prophet's table splits this name at its commas */
	assert_true(has("Easter Monday [England", 2025, 4, 21));
	assert_true(has("Wales", 2025, 4, 21));
	load("fr", 1995, 2044);	/* either case */
	assert_true(has("Easter Monday", 2025, 4, 21));
	assert_true(has("Bastille Day", 2025, 7, 14));
	load("CN", 1995, 2044);
	assert_true(has("Chinese New Year", 2031, 1, 23));
	assert_true(has("Chinese New Year", 2024, 2, 10));
	load("IN", 1995, 2044);
	assert_true(has("Diwali", 2019, 10, 27));
	assert_true(has("Diwali", 2024, 11, 1));
	assert_true(has("Gandhi Jayanti", 2030, 10, 2));
	load("JP", 1995, 2044);
	/* 2020's holidays moved for the Olympics */
	assert_true(has("Sports Day", 2020, 7, 24));
	assert_true(has("Marine Day", 2020, 7, 23));
	assert_true(has("Vernal Equinox Day", 2044, 3, 20));
	load("BR", 1995, 2044);
	assert_true(has("Tiradentes", 2025, 4, 21));
	assert_true(has("Christmas", 2040, 12, 25));
}

/* Holidays outside the years are dropped; a kept one keeps every year. */
static void test_years_choose_names(void **state)
{
	size_t all;
	(void)state;

	load("GB", 1995, 2044);
	all = nhol;
	assert_int_equal(count("Wedding of William and Catherine"), 1);
	load("GB", 2015, 2016);
	assert_int_equal(count("Wedding of William and Catherine"), 0);
	assert_int_equal(count("Golden Jubilee of Elizabeth II"), 0);
	assert_int_equal(count("Boxing Day"), 50);
	assert_true(has("Boxing Day", 2044, 12, 26));
	assert_true(nhol < all);
	load("GB", 2011, 2011);
	assert_int_equal(count("Wedding of William and Catherine"), 1);
	/* years the calendar lacks: nothing falls there */
	load("GB", 2050, 2060);
	assert_int_equal(nhol, 0);
}

static void test_unknown_codes(void **state)
{
	const char *bad[] = { "XX", "K", "KOR", "K1", "..", "", "../KR" };
	struct ts_err err = { 0 };
	int f, l;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ts_calendar_load(CALENDARS, bad[i], 1995, 2044, &hol, &nhol, &f, &l,
						  &err), TS_EUSAGE);
		char want[64];
		snprintf(want, sizeof want, "unknown country \"%s\"", bad[i]);
		assert_string_equal(err.msg, want);
		assert_null(hol);
	}
}

static void test_codes_and_dir(void **state)
{
	struct ts_err err = { 0 };
	char buf[256], *saved = getenv("TS_DATADIR") ? strdup(getenv("TS_DATADIR")) : NULL;
	(void)state;

	assert_int_equal(ts_calendar_codes(CALENDARS, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "BR, CN, DE, FR, GB, IN, JP, KR, US");
	assert_int_equal(ts_calendar_codes("/nonexistent", buf, sizeof buf, &err), TS_EIO);
	assert_string_equal(err.file, "/nonexistent");
	assert_string_equal(err.msg, "No such file or directory");
	setenv("TS_DATADIR", "/opt/x/share/ts", 1);
	assert_int_equal(ts_calendar_dir(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/opt/x/share/ts/calendars");
	assert_int_equal(ts_calendar_dir(buf, 10, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "TS_DATADIR is too long");
	/* unset: beside the program (no share/ here), else the compiled-in one */
	unsetenv("TS_DATADIR");
	assert_int_equal(ts_calendar_dir(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, TS_DATADIR_DEFAULT "/calendars");
	if (saved != NULL)
		setenv("TS_DATADIR", saved, 1);
	free(saved);
}

/* A broken calendar names its file and line in the message. */
static void test_broken_file(void **state)
{
	char dir[] = "/tmp/test_calendar.XXXXXX", path[64];
	struct ts_err err = { 0 };
	FILE *f;
	int first, last;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ZZ.csv", dir);
	f = fopen(path, "w");
	fputs("ds,holiday,lower_window,upper_window\n2020-01-01,New Year,0,0\n2020-13-01,Bad,0,0\n", f);
	fclose(f);
	assert_int_equal(ts_calendar_load(dir, "zz", 2020, 2020, &hol, &nhol, &first, &last, &err),
			 TS_EINPUT);
	char want[256];
	snprintf(want, sizeof want, "%s:3: bad timestamp \"2020-13-01\": month 13 out of range", path);
	assert_string_equal(err.msg, want);
	assert_null(err.file);
	chmod(path, 0);
	if (access(path, R_OK) != 0) {	/* root reads anything */
		assert_int_equal(ts_calendar_load(dir, "ZZ", 2020, 2020, &hol, &nhol, &first, &last,
						  &err), TS_EIO);
		assert_string_equal(err.msg, "ZZ.csv: Permission denied");
	}
	unlink(path);
	rmdir(dir);
}

static void test_years_of_input(void **state)
{
	static const char text[] = "ds,y\n2019-12-31T23:30:00-05:00,1\nbad,2\n1999-06-01,3\n2024-01-01T01:00:00+09:00,4\n";
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int first = 0, last = 0;
	(void)state;

	assert_int_equal(ts_table_read(&t, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_true(ts_calendar_years(&t, 0, TS_EPOCH_AUTO, &first, &last));
	assert_int_equal(first, 1999);
	/* the wall clock as written: 2019 in New York, 2024 in Seoul */
	assert_int_equal(last, 2024);
	/* numbers are epoch seconds when asked */
	assert_true(ts_calendar_years(&t, 1, TS_EPOCH_S, &first, &last));
	assert_int_equal(first, 1970);
	assert_int_equal(last, 1970);
	ts_table_free(&t);
}

static int teardown(void **state)
{
	(void)state;
	free(hol);
	hol = NULL;
	nhol = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_korea_lunar, teardown),
		cmocka_unit_test_teardown(test_known_dates, teardown),
		cmocka_unit_test_teardown(test_years_choose_names, teardown),
		cmocka_unit_test_teardown(test_unknown_codes, teardown),
		cmocka_unit_test(test_codes_and_dir),
		cmocka_unit_test_teardown(test_broken_file, teardown),
		cmocka_unit_test(test_years_of_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
