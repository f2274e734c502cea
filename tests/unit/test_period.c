/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_period: interval inference from spacings (calendar aware), the
 * seasonal periods an interval implies, and count-or-duration spans. */
#include "testutil.h"

#include <stdint.h>
#include <string.h>

#include "series/period.h"

static ts_time day_at(int64_t y, unsigned m, unsigned d)
{
	return ts_days_from_civil(y, m, d) * TS_US_PER_DAY;
}

static void test_most_common_spacing(void **state)
{
	const ts_time min = 60 * TS_US_PER_S;
	ts_time t[] = { 0, 10 * min, 20 * min, 25 * min, 35 * min, 45 * min, 45 * min };
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_dur d;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_interval_infer(t, 7, &utc, &d, &err), 0);
	assert_int_equal(d.months, 0);
	assert_int_equal(d.us, 10 * min);
	/* Ties go to the smaller spacing. */
	ts_time tie[] = { 0, 5 * min, 15 * min };
	assert_int_equal(ts_interval_infer(tie, 3, &utc, &d, &err), 0);
	assert_int_equal(d.us, 5 * min);
	/* One spacing between repeated instants, found without sorting; a
	 * different one at the very end is counted too. */
	ts_time repeats[] = { 0, 0, 10 * min, 10 * min, 20 * min };
	assert_int_equal(ts_interval_infer(repeats, 5, &utc, &d, &err), 0);
	assert_int_equal(d.us, 10 * min);
	ts_time late[] = { 0, 20 * min, 40 * min, 45 * min, 50 * min, 55 * min };
	assert_int_equal(ts_interval_infer(late, 6, &utc, &d, &err), 0);
	assert_int_equal(d.us, 5 * min);
}

static void test_calendar_spacings(void **state)
{
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_dur d;
	struct ts_err err = { 0 };
	ts_time months[] = { day_at(2018, 1, 1), day_at(2018, 2, 1), day_at(2018, 3, 1), day_at(2018, 4, 1) };
	ts_time quarters[] = { day_at(2018, 1, 1), day_at(2018, 4, 1), day_at(2018, 7, 1), day_at(2018, 10, 1) };
	ts_time years[] = { day_at(2015, 1, 1), day_at(2016, 1, 1), day_at(2017, 1, 1) };
	ts_time not_monthly[] = { day_at(2018, 1, 1), day_at(2018, 1, 31), day_at(2018, 3, 2) };

	(void)state;
	assert_int_equal(ts_interval_infer(months, 4, &utc, &d, &err), 0);
	assert_int_equal(d.months, 1);
	assert_int_equal(ts_interval_infer(quarters, 4, &utc, &d, &err), 0);
	assert_int_equal(d.months, 3);
	assert_int_equal(ts_interval_infer(years, 3, &utc, &d, &err), 0);
	assert_int_equal(d.months, 12);
	/* 30-day spacings not on the same day of month stay fixed. */
	assert_int_equal(ts_interval_infer(not_monthly, 3, &utc, &d, &err), 0);
	assert_int_equal(d.months, 0);
	assert_int_equal(d.us, 30 * TS_US_PER_DAY);
}

static void test_days_across_dst(void **state)
{
	struct ts_zone paris;
	struct ts_dur d;
	struct ts_err err = { 0 };
	const ts_time h = 3600 * TS_US_PER_S;
	/* Local midnights around 2018-03-25 in Paris: 24 h, 23 h, 24 h apart. */
	ts_time t[] = { day_at(2018, 3, 23) - h, day_at(2018, 3, 24) - h, day_at(2018, 3, 25) - h,
			day_at(2018, 3, 26) - 2 * h, day_at(2018, 3, 27) - 2 * h, day_at(2018, 3, 28) - 2 * h };

	(void)state;
	assert_int_equal(ts_zone_open("Europe/Paris", &paris, &err), 0);
	assert_int_equal(ts_interval_infer(t, 3, &paris, &d, &err), 0);
	assert_int_equal(d.us, TS_US_PER_DAY);
	/* Mostly 23-hour spacings still mean days in a DST zone. */
	ts_time short_days[] = { t[1], t[2], t[3] };
	assert_int_equal(ts_interval_infer(short_days + 1, 2, &paris, &d, &err), 0);
	assert_int_equal(d.us, TS_US_PER_DAY);
}

static void test_too_few_points(void **state)
{
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_dur d;
	struct ts_err err = { 0 };
	ts_time same[] = { 5, 5 };

	(void)state;
	assert_int_equal(ts_interval_infer(same, 2, &utc, &d, &err), TS_EDATA);
	assert_string_equal(err.msg,
			    "cannot infer the interval from fewer than two distinct timestamps");
	assert_int_equal(ts_interval_infer(same, 0, &utc, &d, &err), TS_EDATA);
}

static void test_periods_table(void **state)
{
	const ts_time min = 60 * TS_US_PER_S, day = TS_US_PER_DAY, week = 7 * TS_US_PER_DAY;
	size_t p[2];
	struct ts_dur d = { 0, 0 };

	(void)state;
	d.us = min;
	assert_int_equal(ts_periods_for_interval(&d, week, p), 1);
	assert_int_equal(p[0], 1440);
	assert_int_equal(ts_periods_for_interval(&d, 2 * week, p), 2);
	assert_int_equal(p[1], 10080);
	d.us = 10 * min;
	assert_int_equal(ts_periods_for_interval(&d, 3 * week, p), 2);
	assert_int_equal(p[0], 144);
	assert_int_equal(p[1], 1008);
	d.us = 60 * min;
	assert_int_equal(ts_periods_for_interval(&d, 13 * day, p), 1);
	assert_int_equal(p[0], 24);
	d.us = day;
	assert_int_equal(ts_periods_for_interval(&d, 700 * day, p), 1);
	assert_int_equal(p[0], 7);
	assert_int_equal(ts_periods_for_interval(&d, 730 * day, p), 2);
	assert_int_equal(p[1], 365);
	d.us = week;
	assert_int_equal(ts_periods_for_interval(&d, 0, p), 1);
	assert_int_equal(p[0], 52);
	d.us = 0;
	d.months = 1;
	assert_int_equal(ts_periods_for_interval(&d, 0, p), 1);
	assert_int_equal(p[0], 12);
	d.months = 3;
	assert_int_equal(ts_periods_for_interval(&d, 0, p), 1);
	assert_int_equal(p[0], 4);
	d.months = 12;
	assert_int_equal(ts_periods_for_interval(&d, 0, p), 0);
	d.months = 0;
	d.us = 7 * min;	/* does not divide a day */
	assert_int_equal(ts_periods_for_interval(&d, week, p), 0);
}

static void test_spans(void **state)
{
	struct ts_span sp;
	struct ts_dur hour = { 0, 3600 * TS_US_PER_S }, month = { 1, 0 };
	struct ts_err err = { 0 };
	size_t points;

	(void)state;
	assert_int_equal(ts_span_parse("24", 2, &sp), 0);
	assert_false(sp.is_dur);
	assert_int_equal(ts_span_points(&sp, &hour, &points, &err), 0);
	assert_int_equal(points, 24);
	assert_int_equal(ts_span_parse("1w", 2, &sp), 0);
	assert_true(sp.is_dur);
	assert_int_equal(ts_span_points(&sp, &hour, &points, &err), 0);
	assert_int_equal(points, 168);
	assert_int_equal(ts_span_parse("1", 2, &sp), -1);
	assert_int_equal(ts_span_parse("", 2, &sp), -1);
	assert_int_equal(ts_span_parse("12x", 2, &sp), -1);
	assert_int_equal(ts_span_parse("90m", 2, &sp), 0);
	assert_int_equal(ts_span_points(&sp, &hour, &points, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period 1h30m is not a whole number of 1h intervals");
	assert_int_equal(ts_span_parse("1h", 2, &sp), 0);
	assert_int_equal(ts_span_points(&sp, &hour, &points, &err), TS_EUSAGE);	/* one point is no season */
	assert_int_equal(ts_span_parse("1y", 2, &sp), 0);
	assert_int_equal(ts_span_points(&sp, &month, &points, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period 1y is not a whole number of 1mo intervals");
	/* not even one calendar period at its own interval, nor days at months */
	assert_int_equal(ts_span_parse("1mo", 2, &sp), 0);
	assert_int_equal(ts_span_points(&sp, &month, &points, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period 1mo is not a whole number of 1mo intervals");
	assert_int_equal(ts_span_parse("1d", 2, &sp), 0);
	assert_int_equal(ts_span_points(&sp, &month, &points, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period 1d is not a whole number of 1mo intervals");
}

static void test_span_flags(void **state)
{
	struct ts_span sp;

	(void)state;
	/* odd counts of at least 3, or durations: STL's trend and low-pass windows */
	assert_int_equal(ts_span_parse_flags("7", 3, TS_SPAN_ODD, &sp), 0);
	assert_int_equal(sp.n, 7);
	assert_int_equal(ts_span_parse_flags("8", 3, TS_SPAN_ODD, &sp), -1);
	assert_int_equal(ts_span_parse_flags("1", 3, TS_SPAN_ODD, &sp), -1);
	assert_int_equal(ts_span_parse_flags("1d", 3, TS_SPAN_ODD, &sp), 0);
	assert_true(sp.is_dur);
	assert_int_equal(sp.d.us, TS_US_PER_DAY);
	assert_int_equal(ts_span_parse_flags("periodic", 3, TS_SPAN_ODD, &sp), -1);
	/* seasonal windows: odd counts of cycles or periodic, never a duration */
	assert_int_equal(ts_span_parse_flags("periodic", 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, &sp), 0);
	assert_true(sp.periodic);
	assert_false(sp.is_dur);
	assert_int_equal(ts_span_parse_flags("11", 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, &sp), 0);
	assert_false(sp.periodic);
	assert_int_equal(sp.n, 11);
	assert_int_equal(ts_span_parse_flags("1d", 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, &sp), -1);
	assert_int_equal(ts_span_parse_flags("Periodic", 3, TS_SPAN_PERIODIC, &sp), -1);
	assert_int_equal(ts_span_parse_flags("periodic,", 3, TS_SPAN_PERIODIC, &sp), -1);
	/* bounds: 0 when min is 0, at most 100,000,000, no sign or space */
	assert_int_equal(ts_span_parse_flags("0", 0, 0, &sp), 0);
	assert_int_equal(sp.n, 0);
	assert_int_equal(ts_span_parse_flags("100000000", 1, 0, &sp), 0);
	assert_int_equal(ts_span_parse_flags("100000001", 1, 0, &sp), -1);
	assert_int_equal(ts_span_parse_flags("99999999999999999999999", 1, 0, &sp), -1);
	assert_int_equal(ts_span_parse_flags("+5", 1, 0, &sp), -1);
	assert_int_equal(ts_span_parse_flags(" 5", 1, 0, &sp), -1);
	assert_int_equal(ts_span_parse_flags("0s", 0, 0, &sp), -1);
	assert_int_equal(ts_span_parse_flags("-1h", 0, 0, &sp), -1);
}

static void test_span_lists(void **state)
{
	struct ts_span sp[4];
	char bad[16], tiny[4], item[TS_SPAN_ITEM_MAX + 1];
	size_t n;

	(void)state;
	assert_int_equal(ts_span_list_parse("24", 2, 0, sp, 4, &n, bad, sizeof bad), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sp[0].n, 24);
	assert_int_equal(ts_span_list_parse("24,1w,PT12H,7", 2, 0, sp, 4, &n, bad, sizeof bad), 0);
	assert_int_equal(n, 4);
	assert_false(sp[0].is_dur);
	assert_int_equal(sp[1].d.us, 7 * TS_US_PER_DAY);
	assert_int_equal(sp[2].d.us, 12 * 3600 * TS_US_PER_S);
	assert_int_equal(sp[3].n, 7);
	/* one past max: too many, whatever that item holds, and it is named */
	assert_int_equal(ts_span_list_parse("2,3,4,5,6", 2, 0, sp, 4, &n, bad, sizeof bad),
			 TS_SPAN_TOO_MANY);
	assert_string_equal(bad, "6");
	assert_int_equal(ts_span_list_parse("2,3,4,5,,", 2, 0, sp, 4, &n, bad, sizeof bad),
			 TS_SPAN_TOO_MANY);
	assert_int_equal(ts_span_list_parse("2,3,4,5,x", 2, 0, sp, 4, &n, bad, sizeof bad),
			 TS_SPAN_TOO_MANY);
	/* empty items, wherever they are */
	assert_int_equal(ts_span_list_parse("", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_LIST);
	assert_string_equal(bad, "");
	assert_int_equal(ts_span_list_parse("24,,168", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_LIST);
	assert_string_equal(bad, "");
	assert_int_equal(ts_span_list_parse(",24", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_LIST);
	assert_int_equal(ts_span_list_parse("24,", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_LIST);
	assert_string_equal(bad, "");
	/* items that are no span */
	assert_int_equal(ts_span_list_parse("24,1x", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_ITEM);
	assert_string_equal(bad, "1x");
	assert_int_equal(ts_span_list_parse("1,24", 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_ITEM);
	assert_string_equal(bad, "1");
	/* flags apply to every item */
	assert_int_equal(ts_span_list_parse("7,periodic", 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, sp, 4, &n,
					    bad, sizeof bad), 0);
	assert_int_equal(n, 2);
	assert_int_equal(sp[0].n, 7);
	assert_true(sp[1].periodic);
	assert_int_equal(ts_span_list_parse("7,1d", 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, sp, 4, &n, bad,
					    sizeof bad), TS_SPAN_BAD_ITEM);
	assert_string_equal(bad, "1d");
	assert_int_equal(ts_span_list_parse("7,4", 3, TS_SPAN_ODD, sp, 4, &n, bad, sizeof bad),
			 TS_SPAN_BAD_ITEM);
	assert_string_equal(bad, "4");
	/* an overlong item is the list's fault, even a count that would do;
	 * the item is cut to fit bad */
	memset(item, '0', TS_SPAN_ITEM_MAX - 2);
	strcpy(item + TS_SPAN_ITEM_MAX - 2, "7");
	assert_int_equal(ts_span_list_parse(item, 2, 0, sp, 4, &n, bad, sizeof bad), 0);
	assert_int_equal(sp[0].n, 7);
	memset(item, '0', TS_SPAN_ITEM_MAX - 1);
	strcpy(item + TS_SPAN_ITEM_MAX - 1, "7");
	assert_int_equal(ts_span_list_parse(item, 2, 0, sp, 4, &n, bad, sizeof bad), TS_SPAN_BAD_LIST);
	assert_string_equal(bad, "000000000000000");
	assert_int_equal(ts_span_list_parse("24,12345", 2, 0, sp, 1, &n, tiny, sizeof tiny),
			 TS_SPAN_TOO_MANY);
	assert_string_equal(tiny, "123");
}

static void test_span_divide(void **state)
{
	struct ts_span sp;
	struct ts_dur hour = { 0, 3600 * TS_US_PER_S }, month = { 1, 0 }, quarter = { 3, 0 };
	size_t points = 0;

	(void)state;
	/* counts stand as given, even at an unknown interval */
	assert_int_equal(ts_span_parse("24", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, NULL, &points), 0);
	assert_int_equal(points, 24);
	/* fixed by fixed, one point included */
	assert_int_equal(ts_span_parse("1d", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &hour, &points), 0);
	assert_int_equal(points, 24);
	assert_int_equal(ts_span_parse("1h", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &hour, &points), 0);
	assert_int_equal(points, 1);
	/* months by months */
	assert_int_equal(ts_span_parse("1y", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &month, &points), 0);
	assert_int_equal(points, 12);
	assert_int_equal(ts_span_divide(&sp, &quarter, &points), 0);
	assert_int_equal(points, 4);
	/* what does not divide, or mixes calendar and fixed, or has no interval */
	assert_int_equal(ts_span_parse("4mo", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &quarter, &points), -1);
	assert_int_equal(ts_span_divide(&sp, &hour, &points), -1);
	assert_int_equal(ts_span_parse("90m", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &hour, &points), -1);
	assert_int_equal(ts_span_parse("30d", 2, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &month, &points), -1);
	assert_int_equal(ts_span_divide(&sp, NULL, &points), -1);
	assert_int_equal(ts_span_parse_flags("periodic", 3, TS_SPAN_PERIODIC, &sp), 0);
	assert_int_equal(ts_span_divide(&sp, &hour, &points), -1);
}

/* One entry for every tool: the interval from the sorted instants, the
 * grid checked in the order given, and the words for each failure. */
static void test_sampling_and_resolve(void **state)
{
	const ts_time h = 3600 * TS_US_PER_S;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_tfmt fmt = { .kind = TS_TK_DATE };
	struct ts_sampling smp;
	struct ts_err err = { 0 };
	struct ts_span sp[2];
	size_t p[2];
	ts_time grid[] = { 0, h, 2 * h, 3 * h };
	ts_time swapped[] = { 0, 2 * TS_US_PER_DAY, TS_US_PER_DAY };
	ts_time same[] = { TS_US_PER_DAY, TS_US_PER_DAY, TS_US_PER_DAY };
	struct ts_dur hour = { 0, h };

	(void)state;
	assert_int_equal(ts_sampling_infer(grid, 4, &utc, &fmt, &smp, &err), 0);
	assert_true(smp.has_interval && smp.regular);
	assert_int_equal(smp.interval.us, h);
	assert_int_equal(ts_sampling_infer(grid, 1, &utc, &fmt, &smp, &err), 0);
	assert_true(smp.regular);
	assert_false(smp.has_interval);
	/* unsorted: the interval of the sorted instants, off the grid at 1 */
	assert_int_equal(ts_sampling_infer(swapped, 3, &utc, &fmt, &smp, &err), 0);
	assert_true(smp.has_interval);
	assert_false(smp.regular);
	assert_int_equal(smp.interval.us, TS_US_PER_DAY);
	assert_int_equal(smp.bad, 1);
	assert_string_equal(smp.why, "irregular series: 1970-01-03 follows 1970-01-01, expected 1970-01-02 "
				     "(interval 1d)");
	assert_int_equal(ts_sampling_infer(same, 3, &utc, &fmt, &smp, &err), 0);
	assert_false(smp.has_interval || smp.regular);
	assert_int_equal(smp.bad, SIZE_MAX);
	assert_string_equal(smp.why, "irregular series: every timestamp is 1970-01-02");

	assert_int_equal(ts_span_parse("1d", 2, &sp[0]), 0);
	assert_int_equal(ts_span_parse("24", 2, &sp[1]), 0);
	assert_int_equal(ts_periods_resolve(sp, 2, &hour, p, &err), 0);
	assert_int_equal(p[0], 24);
	assert_int_equal(p[1], 24);
	assert_int_equal(ts_periods_resolve(sp, 2, NULL, p, &err), TS_EDATA);
	assert_string_equal(err.msg, "period 1d: the interval is unknown (give a count)");
	assert_int_equal(ts_span_parse("90m", 2, &sp[0]), 0);
	assert_int_equal(ts_periods_resolve(sp, 1, &hour, p, &err), TS_EDATA);
	assert_string_equal(err.msg, "period 1h30m is not a whole number of 1h intervals");
	assert_int_equal(ts_span_parse("1h", 2, &sp[0]), 0);
	assert_int_equal(ts_periods_resolve(sp, 1, &hour, p, &err), TS_EDATA);
	assert_string_equal(err.msg, "period 1h is less than two points");
	assert_int_equal(ts_span_resolve(&sp[0], &hour, "--window", p, &err), 0);
	assert_int_equal(p[0], 1);
	assert_int_equal(ts_span_resolve(&sp[0], NULL, "--window", p, &err), TS_EDATA);
	assert_string_equal(err.msg, "--window 1h: the interval is unknown (give a count)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_most_common_spacing),
		cmocka_unit_test(test_calendar_spacings),
		cmocka_unit_test(test_days_across_dst),
		cmocka_unit_test(test_too_few_points),
		cmocka_unit_test(test_periods_table),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_span_flags),
		cmocka_unit_test(test_span_lists),
		cmocka_unit_test(test_span_divide),
		cmocka_unit_test(test_sampling_and_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
