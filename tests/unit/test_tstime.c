/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tstime: timestamp parsing and round trips, durations, DST zones (Paris, New York,
 * Santiago, Lord Howe), bucketing and calendar arithmetic, under a hostile TZ and locale. */
#include "testutil.h"

#include <locale.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "io/tstime.h"

#define HOUR (INT64_C(3600) * TS_US_PER_S)
#define MINUTE (INT64_C(60) * TS_US_PER_S)

/* The instant of a UTC wall clock. */
static ts_time utc(int64_t y, unsigned mo, unsigned d, int h, int mi, int s)
{
	return ts_days_from_civil(y, mo, d) * TS_US_PER_DAY + h * HOUR + mi * MINUTE
		+ (ts_time)s * TS_US_PER_S;
}

static ts_time parse_ok(const char *s, struct ts_tfmt *fmt)
{
	struct ts_err err = { 0 };
	struct ts_tfmt ignored;
	ts_time t = 0;
	int rc = ts_time_parse(s, strlen(s), TS_EPOCH_AUTO, &t, fmt ? fmt : &ignored, &err);

	if (rc != 0)
		print_error("parse \"%s\": %s\n", s, err.msg);
	assert_int_equal(rc, 0);
	return t;
}

static void open_zone(const char *name, struct ts_zone *zone)
{
	struct ts_err err = { 0 };

	if (ts_zone_open(name, zone, &err) != 0)
		print_error("zone %s: %s\n", name, err.msg);
	assert_int_equal(zone->kind == TS_ZONE_NAMED || zone->kind == TS_ZONE_FIXED
			 || zone->kind == TS_ZONE_UTC, 1);
	assert_int_equal(err.code, 0);
}

static struct ts_dur dur(const char *s)
{
	struct ts_err err = { 0 };
	struct ts_dur d = { 0, 0 };

	if (ts_dur_parse(s, &d, &err) != 0)
		print_error("duration \"%s\": %s\n", s, err.msg);
	assert_int_equal(err.code, 0);
	return d;
}

/* Text of t in fmt's format, with zone. */
static const char *fmt_in(ts_time t, const struct ts_tfmt *fmt, const struct ts_zone *zone)
{
	static char buf[TS_TIME_BUFSIZE];
	size_t n = ts_time_format(t, fmt, zone, buf);

	assert_int_equal(n, strlen(buf));
	return buf;
}

/* ---- civil calendar ---- */

static void test_civil_known(void **state)
{
	static const struct { int64_t y; unsigned m, d; int64_t days; unsigned wd; } cases[] = {
		{ 1970, 1, 1, 0, 4 }, { 1969, 12, 31, -1, 3 }, { 2000, 3, 1, 11017, 3 },
		{ 2018, 5, 31, 17682, 4 }, { 1, 1, 1, -719162, 1 }, { 0, 1, 1, -719528, 6 },
		{ 9999, 12, 31, 2932896, 5 }, { 1970, 1, 5, 4, 1 }, { 2000, 2, 29, 11016, 2 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t y;
		unsigned m, d;

		assert_int_equal(ts_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
		ts_civil_from_days(cases[i].days, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
		assert_int_equal(ts_weekday(cases[i].days), cases[i].wd);
	}
}

static void test_civil_roundtrip(void **state)
{
	int64_t prev_y;
	unsigned prev_m, prev_d;

	(void)state;
	/* From 0190 BCE to 9999: each day follows the one before. */
	ts_civil_from_days(-800001, &prev_y, &prev_m, &prev_d);
	for (int64_t days = -800000; days <= 2932896; days++) {
		int64_t y;
		unsigned m, d;

		ts_civil_from_days(days, &y, &m, &d);
		assert_int_equal(ts_days_from_civil(y, m, d), days);
		if (d == 1)
			assert_true((m == 1 && y == prev_y + 1 && prev_m == 12 && prev_d == 31)
				    || (m == prev_m + 1 && y == prev_y && prev_d >= 28));
		else
			assert_true(y == prev_y && m == prev_m && d == prev_d + 1);
		assert_int_equal(ts_weekday(days), (ts_weekday(days - 1) % 7) + 1);
		prev_y = y;
		prev_m = m;
		prev_d = d;
	}
}

/* ---- parsing ---- */

static void test_parse_iso(void **state)
{
	static const struct {
		const char *text;
		int64_t y; unsigned mo, d; int h, mi, s; int64_t us; int off;
		enum ts_tkind kind; char sep; bool seconds; int frac;
		enum ts_tzkind tz; int style;
	} cases[] = {
		{ "2018-05-31", 2018, 5, 31, 0, 0, 0, 0, 0, TS_TK_DATE, 'T', false, 0, TS_TZK_NAIVE, 0 },
		{ "2018-05-31 00:00:00", 2018, 5, 31, 0, 0, 0, 0, 0, TS_TK_DATETIME, ' ', true, 0, TS_TZK_NAIVE, 0 },
		{ "2018-05-31T13:45", 2018, 5, 31, 13, 45, 0, 0, 0, TS_TK_DATETIME, 'T', false, 0, TS_TZK_NAIVE, 0 },
		{ "2018-05-31T00:00:00.250+02:00", 2018, 5, 31, 0, 0, 0, 250000, 7200, TS_TK_DATETIME, 'T', true, 3, TS_TZK_OFFSET, 0 },
		{ "2018-05-31T23:59:59Z", 2018, 5, 31, 23, 59, 59, 0, 0, TS_TK_DATETIME, 'T', true, 0, TS_TZK_Z, 0 },
		{ "2018-05-31T10:00:00-0530", 2018, 5, 31, 10, 0, 0, 0, -19800, TS_TK_DATETIME, 'T', true, 0, TS_TZK_OFFSET, 1 },
		{ "2018-05-31T10:00+05", 2018, 5, 31, 10, 0, 0, 0, 18000, TS_TK_DATETIME, 'T', false, 0, TS_TZK_OFFSET, 2 },
		{ "2018-05-31 10:00:00,5", 2018, 5, 31, 10, 0, 0, 500000, 0, TS_TK_DATETIME, ' ', true, 1, TS_TZK_NAIVE, 0 },
		{ "2018-05-31T10:00:00.123456789Z", 2018, 5, 31, 10, 0, 0, 123456, 0, TS_TK_DATETIME, 'T', true, 9, TS_TZK_Z, 0 },
		{ "2016-02-29T00:00:00", 2016, 2, 29, 0, 0, 0, 0, 0, TS_TK_DATETIME, 'T', true, 0, TS_TZK_NAIVE, 0 },
		{ "2000-02-29", 2000, 2, 29, 0, 0, 0, 0, 0, TS_TK_DATE, 'T', false, 0, TS_TZK_NAIVE, 0 },
		{ "0000-01-01T00:00:00Z", 0, 1, 1, 0, 0, 0, 0, 0, TS_TK_DATETIME, 'T', true, 0, TS_TZK_Z, 0 },
		{ "9999-12-31T23:59:59.999999", 9999, 12, 31, 23, 59, 59, 999999, 0, TS_TK_DATETIME, 'T', true, 6, TS_TZK_NAIVE, 0 },
		{ "1969-12-31T23:59:59.5-00:00", 1969, 12, 31, 23, 59, 59, 500000, 0, TS_TK_DATETIME, 'T', true, 1, TS_TZK_OFFSET, 0 },
		{ "2018-01-01T00:00:00+23:59", 2018, 1, 1, 0, 0, 0, 0, 86340, TS_TK_DATETIME, 'T', true, 0, TS_TZK_OFFSET, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_tfmt f;
		ts_time t = parse_ok(cases[i].text, &f);

		assert_int_equal(t, utc(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
					cases[i].s) + cases[i].us - (ts_time)cases[i].off * TS_US_PER_S);
		assert_int_equal(f.kind, cases[i].kind);
		assert_int_equal(f.sep, cases[i].sep);
		assert_int_equal(f.seconds, cases[i].seconds);
		assert_int_equal(f.frac_digits, cases[i].frac);
		assert_int_equal(f.tz, cases[i].tz);
		assert_int_equal(f.offset_s, cases[i].off);
		if (cases[i].tz == TS_TZK_OFFSET)
			assert_int_equal(f.offset_style, cases[i].style);
	}
}

static void test_parse_epoch(void **state)
{
	static const struct {
		const char *text; enum ts_epoch epoch; ts_time t; enum ts_tkind kind; int frac;
	} cases[] = {
		{ "1527724800", TS_EPOCH_AUTO, INT64_C(1527724800000000), TS_TK_EPOCH_S, 0 },
		{ "1527724800000", TS_EPOCH_AUTO, INT64_C(1527724800000000), TS_TK_EPOCH_MS, 0 },
		{ "1527724800.25", TS_EPOCH_AUTO, INT64_C(1527724800250000), TS_TK_EPOCH_S, 2 },
		{ "1527724800000.5", TS_EPOCH_AUTO, INT64_C(1527724800000500), TS_TK_EPOCH_MS, 1 },
		{ "99999999999", TS_EPOCH_AUTO, INT64_C(99999999999000000), TS_TK_EPOCH_S, 0 },
		{ "100000000000", TS_EPOCH_AUTO, INT64_C(100000000000000), TS_TK_EPOCH_MS, 0 },
		{ "-100000000000", TS_EPOCH_AUTO, INT64_C(-100000000000000), TS_TK_EPOCH_MS, 0 },
		{ "-1.5", TS_EPOCH_AUTO, INT64_C(-1500000), TS_TK_EPOCH_S, 1 },
		{ "0", TS_EPOCH_AUTO, 0, TS_TK_EPOCH_S, 0 },
		{ "2018", TS_EPOCH_AUTO, INT64_C(2018000000), TS_TK_EPOCH_S, 0 },
		{ "1527724800", TS_EPOCH_MS, INT64_C(1527724800000), TS_TK_EPOCH_MS, 0 },
		{ "1.123456789", TS_EPOCH_S, INT64_C(1123456), TS_TK_EPOCH_S, 9 },
		{ "-0.0000005", TS_EPOCH_S, 0, TS_TK_EPOCH_S, 7 },
		{ "253402300799", TS_EPOCH_S, INT64_C(253402300799000000), TS_TK_EPOCH_S, 0 },
		{ "-62167219200", TS_EPOCH_S, INT64_C(-62167219200000000), TS_TK_EPOCH_S, 0 },
		{ "2018-05-31", TS_EPOCH_MS, INT64_C(1527724800000000), TS_TK_DATE, 0 },
		/* digit runs read eight at a time, then one at a time */
		{ "12345678", TS_EPOCH_S, INT64_C(12345678000000), TS_TK_EPOCH_S, 0 },
		{ "98765432", TS_EPOCH_S, INT64_C(98765432000000), TS_TK_EPOCH_S, 0 },
		{ "00000001", TS_EPOCH_S, INT64_C(1000000), TS_TK_EPOCH_S, 0 },
		{ "123456789", TS_EPOCH_S, INT64_C(123456789000000), TS_TK_EPOCH_S, 0 },
		{ "1764547200.5", TS_EPOCH_AUTO, INT64_C(1764547200500000), TS_TK_EPOCH_S, 1 },
		{ "-1764547200", TS_EPOCH_AUTO, INT64_C(-1764547200000000), TS_TK_EPOCH_S, 0 },
		{ "123456789012345", TS_EPOCH_MS, INT64_C(123456789012345000), TS_TK_EPOCH_MS, 0 },
		{ "0000000000000001527724800", TS_EPOCH_S, INT64_C(1527724800000000), TS_TK_EPOCH_S, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_err err = { 0 };
		struct ts_tfmt f;
		ts_time t = 1;
		int rc = ts_time_parse(cases[i].text, strlen(cases[i].text), cases[i].epoch, &t, &f, &err);

		if (rc != 0)
			print_error("%s: %s\n", cases[i].text, err.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(t, cases[i].t);
		assert_int_equal(f.kind, cases[i].kind);
		assert_int_equal(f.frac_digits, cases[i].frac);
	}
}

/* Epoch seconds are written as printf writes the integer, at every length
 * (the digits go two at a time) and with either sign. */
static void test_format_epoch_lengths(void **state)
{
	struct ts_tfmt f = { 0 };
	struct ts_zone z = { 0 };
	char want[32];

	(void)state;
	f.kind = TS_TK_EPOCH_S;
	for (int64_t p = 1; p <= INT64_C(1000000000000); p *= 10)
		for (int64_t d = -1; d <= 1; d++)
			for (int sign = -1; sign <= 1; sign += 2) {
				int64_t secs = sign * (p + d);
				snprintf(want, sizeof want, "%" PRId64, secs);
				assert_string_equal(fmt_in(secs * 1000000, &f, &z), want);
			}
	assert_string_equal(fmt_in(INT64_C(1764547200) * 1000000, &f, &z), "1764547200");
}

static void test_parse_errors(void **state)
{
	static const struct { const char *text; enum ts_epoch epoch; const char *msg; } cases[] = {
		{ "", TS_EPOCH_AUTO, "bad timestamp \"\"" },
		{ "2018-02-30", TS_EPOCH_AUTO, "bad timestamp \"2018-02-30\": day 30 is not in February 2018" },
		{ "2019-02-29", TS_EPOCH_AUTO, "bad timestamp \"2019-02-29\": day 29 is not in February 2019" },
		{ "1900-02-29T00:00", TS_EPOCH_AUTO, "bad timestamp \"1900-02-29T00:00\": day 29 is not in February 1900" },
		{ "2018-06-31 12:00:00", TS_EPOCH_AUTO, "bad timestamp \"2018-06-31 12:00:00\": day 31 is not in June 2018" },
		{ "2018-13-01", TS_EPOCH_AUTO, "bad timestamp \"2018-13-01\": month 13 out of range" },
		{ "2018-00-01", TS_EPOCH_AUTO, "bad timestamp \"2018-00-01\": month 0 out of range" },
		{ "2018-05-00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-00\": day 0 out of range" },
		{ "2018-05-32", TS_EPOCH_AUTO, "bad timestamp \"2018-05-32\": day 32 out of range" },
		{ "2018-05-31 24:00:00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31 24:00:00\": hour 24 out of range" },
		{ "2018-05-31T12:60", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T12:60\": minute 60 out of range" },
		{ "2018-05-31T12:00:60", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T12:00:60\": second 60 out of range" },
		{ "2018-05-31T12:00+24:00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T12:00+24:00\": offset hour 24 out of range" },
		{ "2018-05-31T12:00-0160", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T12:00-0160\": offset minute 60 out of range" },
		{ "2018-05-31T12:00:00.1234567890", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T12:00:00.1234567890\": more than 9 fraction digits" },
		{ " 2018-05-31", TS_EPOCH_AUTO, "bad timestamp \" 2018-05-31\"" },
		{ "2018-05-31 ", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31 \"" },
		{ "2018-05-31T", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T\"" },
		{ "2018-05-31x00:00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31x00:00\"" },
		{ "2018-5-31", TS_EPOCH_AUTO, "bad timestamp \"2018-5-31\"" },
		{ "2018-05-31T1:00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T1:00\"" },
		{ "2018-05-31T10:00:00.", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00.\"" },
		{ "2018-05-31T10:00.5", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00.5\"" },
		{ "2018-05-31T10:00:00z", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00z\"" },
		{ "2018-05-31T10:00:00Z ", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00Z \"" },
		{ "2018-05-31T10:00:00+2", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00+2\"" },
		{ "2018-05-31T10:00:00+02:0", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00+02:0\"" },
		{ "2018-05-31T10:00:00 +02:00", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31T10:00:00 +02:00\"" },
		{ "2018-05", TS_EPOCH_AUTO, "bad timestamp \"2018-05\"" },
		{ "20180531", TS_EPOCH_MS, NULL },
		{ "abc", TS_EPOCH_AUTO, "bad timestamp \"abc\"" },
		{ "-", TS_EPOCH_AUTO, "bad timestamp \"-\"" },
		{ "+1", TS_EPOCH_AUTO, "bad timestamp \"+1\"" },
		{ "1.", TS_EPOCH_AUTO, "bad timestamp \"1.\"" },
		{ ".5", TS_EPOCH_AUTO, "bad timestamp \".5\"" },
		{ "1e9", TS_EPOCH_AUTO, "bad timestamp \"1e9\"" },
		{ "1527724800 ", TS_EPOCH_AUTO, "bad timestamp \"1527724800 \"" },
		{ "1527724:00", TS_EPOCH_AUTO, "bad timestamp \"1527724:00\"" },
		{ "15277248/0", TS_EPOCH_AUTO, "bad timestamp \"15277248/0\"" },
		{ "1527724a00", TS_EPOCH_AUTO, "bad timestamp \"1527724a00\"" },
		{ "12345678901234567", TS_EPOCH_MS, "bad timestamp \"12345678901234567\": out of range" },
		{ "10000000000000000", TS_EPOCH_MS, "bad timestamp \"10000000000000000\": out of range" },
		{ "1.0000000001", TS_EPOCH_AUTO, "bad timestamp \"1.0000000001\": more than 9 fraction digits" },
		{ "1527724800000", TS_EPOCH_S, "bad timestamp \"1527724800000\": out of range" },
		{ "253402300800", TS_EPOCH_S, "bad timestamp \"253402300800\": out of range" },
		{ "-62167219201", TS_EPOCH_S, "bad timestamp \"-62167219201\": out of range" },
		{ "99999999999999999999999", TS_EPOCH_AUTO, "bad timestamp \"99999999999999999999999\": out of range" },
		{ "253402300800000", TS_EPOCH_AUTO, "bad timestamp \"253402300800000\": out of range" },
		{ "now", TS_EPOCH_AUTO, "bad timestamp \"now\"" },
		{ "2018-05-31T10:00:00.123456789012345678901234567890123", TS_EPOCH_AUTO,
		  "bad timestamp \"2018-05-31T10:00:00.12345678901234567890...\": more than 9 fraction digits" },
		{ "2018-05-31\tx", TS_EPOCH_AUTO, "bad timestamp \"2018-05-31\\x09x\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_err err = { 0 };
		struct ts_tfmt f = { .kind = TS_TK_DATE };
		ts_time t = 42;
		int rc = ts_time_parse(cases[i].text, strlen(cases[i].text), cases[i].epoch, &t, &f, &err);

		if (cases[i].msg == NULL) {
			assert_int_equal(rc, 0);	/* all digits: an epoch count, not basic ISO */
			continue;
		}
		assert_int_equal(rc, TS_EINPUT);
		assert_int_equal(err.code, TS_EINPUT);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(t, 42);
		assert_int_equal(f.kind, TS_TK_DATE);
	}
	/* Length is honoured: no reading past len, NUL bytes are data. */
	{
		struct ts_err err = { 0 };
		struct ts_tfmt f;
		ts_time t;

		assert_int_equal(ts_time_parse("2018-05-31xyz", 10, TS_EPOCH_AUTO, &t, &f, &err), 0);
		assert_int_equal(t, utc(2018, 5, 31, 0, 0, 0));
		assert_int_equal(ts_time_parse("2018-05-31\0", 11, TS_EPOCH_AUTO, &t, &f, &err), TS_EINPUT);
		assert_string_equal(err.msg, "bad timestamp \"2018-05-31\\x00\"");
		assert_int_equal(ts_time_parse("123", 0, TS_EPOCH_AUTO, &t, &f, NULL), TS_EINPUT);
	}
}

/* ---- formatting ---- */

/* ts_time_parse_next reads a run of timestamps as ts_time_parse reads each:
 * the same instant, format and message, whether the date is the cached one
 * or not, and a failed read leaves the cache as it was. */
static void test_parse_next_matches_parse(void **state)
{
	static const char *const texts[] = {
		"2018-05-31 10:00:00", "2018-05-31 10:00:01", "2018-05-31T23:59:59Z",
		"2018-05-31", "2018-05-31T12:00+02:00", "2018-05-31T12:00:00.25-0130",
		"2018-05-31 24:00:00", "2018-05-31T12:60", "2018-05-31T12:00:60",
		"2018-05-31 ", "2018-05-31T", "2018-05-31x00:00", "2018-05-31T10:00:00z",
		"2018-05-31T10:00:00+24:00", "2018-05-31\tx", "2018-05-31 10:00:00",
		"2018-06-01 00:00:00", "2018-06-31 12:00:00", "2018-06-01 00:00:00",
		"1527724800", "2018-06-01 01:00:00", "2018-13-01 00:00:00", "2018-06-01",
		"2019-02-29 00:00:00", "2019-02-28 23:00:00", "2019-02-2", "2019-02-28",
		"0000-01-01 00:00:00", "9999-12-31T23:59:59.999999999Z",
	};
	struct ts_time_cache cache = { { 0 }, 0 };

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			/* the second pass reads each text right after its own date */
			const char *s = texts[i];
			struct ts_err e1 = { 0 }, e2 = { 0 };
			struct ts_tfmt f1 = { .kind = TS_TK_DATE }, f2 = { .kind = TS_TK_DATE };
			ts_time t1 = 42, t2 = 42;
			int rc1, rc2;

			if (pass == 1 && strlen(s) >= 10) {
				char date[11];
				ts_time t;
				struct ts_tfmt f;

				memcpy(date, s, 10);
				date[10] = '\0';
				(void)ts_time_parse_next(&cache, date, 10, TS_EPOCH_AUTO, &t, &f, NULL);
			}
			rc1 = ts_time_parse(s, strlen(s), TS_EPOCH_AUTO, &t1, &f1, &e1);
			rc2 = ts_time_parse_next(&cache, s, strlen(s), TS_EPOCH_AUTO, &t2, &f2, &e2);
			assert_int_equal(rc1, rc2);
			assert_int_equal(t1, t2);
			assert_int_equal(f1.kind, f2.kind);
			assert_int_equal(f1.sep, f2.sep);
			assert_int_equal(f1.seconds, f2.seconds);
			assert_int_equal(f1.frac_digits, f2.frac_digits);
			assert_int_equal(f1.tz, f2.tz);
			assert_int_equal(f1.offset_s, f2.offset_s);
			assert_int_equal(f1.offset_style, f2.offset_style);
			assert_string_equal(e1.msg, e2.msg);
		}
	}
	/* a date the cache holds, cut short by len, is not taken for it, and
	 * an empty cache holds no date, not even one of NULs */
	{
		struct ts_time_cache empty = { { 0 }, 0 };
		ts_time t;
		struct ts_tfmt f;
		struct ts_err err = { 0 };

		assert_int_equal(ts_time_parse_next(&empty, "\0\0\0\0\0\0\0\0\0\0", 10, TS_EPOCH_AUTO, &t, &f,
						    &err), TS_EINPUT);

		assert_int_equal(ts_time_parse_next(&cache, "2018-05-31", 10, TS_EPOCH_AUTO, &t, &f, &err), 0);
		assert_int_equal(ts_time_parse_next(&cache, "2018-05-31", 9, TS_EPOCH_AUTO, &t, &f, &err),
				 TS_EINPUT);
		assert_string_equal(err.msg, "bad timestamp \"2018-05-3\"");
	}
}

static void test_format_roundtrip(void **state)
{
	static const char *const texts[] = {
		"2018-05-31", "2018-05-31 00:00:00", "2018-05-31T00:00:00",
		"2018-05-31T00:00:00.250+02:00", "2018-05-31 00:00", "2018-05-31T23:59",
		"2018-05-31T00:00:00Z", "2018-05-31 12:34:56.7Z", "2018-05-31T12:34:56.123456",
		"2018-05-31T12:34:56.123456000",
		"2018-05-31T12:34:56-03:30", "2018-05-31T12:34:56+0530", "2018-05-31T12:34+09",
		"2018-05-31T00:30:00+01:00", "2018-01-01T00:00:00-01:00", "1969-12-31T23:59:59.999Z",
		"0000-01-01", "0000-01-01T00:00:00+05:00", "9999-12-31T23:59:59.999999",
		"9999-12-31T23:00-05:00", "2000-02-29T12:00:00", "1900-03-01 00:00:00",
		"1527724800", "1527724800000", "1527724800.5", "1527724800.000", "1527724800000.25",
		"-1", "-1.5", "-0.001", "-100000000000", "-62167219200", "253402300799.999",
		"0", "0.000000000", "1527724800123", "99999999999.123456",
	};
	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct ts_tfmt f;
		ts_time t = parse_ok(texts[i], &f);

		assert_string_equal(fmt_in(t, &f, NULL), texts[i]);
	}
}

static void test_format_normalises(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "2018-05-31T10:00:00,5", "2018-05-31T10:00:00.5" },
		{ "2018-05-31T10:00:00.123456789", "2018-05-31T10:00:00.123456000" },
		{ "2018-05-31T10:00:00-00:00", "2018-05-31T10:00:00+00:00" },
		{ "-0", "0" },
		{ "-0.0000001", "0.0000000" },
		{ "00001527724800", "1527724800" },
		{ "1527724800000.12345", "1527724800000.12300" },
		{ "99999999999.123456789", "99999999999.123456000" },
		{ "2018-05-31T12:34:56.000000001", "2018-05-31T12:34:56.000000000" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_tfmt f;
		ts_time t = parse_ok(cases[i].in, &f);

		assert_string_equal(fmt_in(t, &f, NULL), cases[i].out);
	}
}

static void test_format_other_instants(void **state)
{
	struct ts_tfmt f;
	struct ts_zone fixed;
	ts_time t;

	(void)state;
	/* A format keeps its shape for any instant, dropping finer digits. */
	parse_ok("2018-05-31T00:00:00.250+02:00", &f);
	t = utc(2018, 12, 31, 23, 30, 0) + 123456;
	assert_string_equal(fmt_in(t, &f, NULL), "2019-01-01T01:30:00.123+02:00");
	parse_ok("2018-05-31 00:00", &f);
	assert_string_equal(fmt_in(t + 59 * TS_US_PER_S, &f, NULL), "2018-12-31 23:30");
	parse_ok("2018-05-31", &f);
	assert_string_equal(fmt_in(t, &f, NULL), "2018-12-31");
	assert_string_equal(fmt_in(utc(1969, 12, 31, 23, 59, 59) + 1, &f, NULL), "1969-12-31");
	parse_ok("1527724800", &f);
	assert_string_equal(fmt_in(-1, &f, NULL), "-1");
	assert_string_equal(fmt_in(t, &f, NULL), "1546299000");
	parse_ok("1527724800000", &f);
	assert_string_equal(fmt_in(t, &f, NULL), "1546299000123");
	assert_string_equal(fmt_in(-1, &f, NULL), "-1");
	parse_ok("1.25", &f);
	assert_string_equal(fmt_in(-TS_US_PER_S / 1000, &f, NULL), "-0.01");
	/* Naive text and dates take a fixed zone's wall clock; Z never does. */
	open_zone("-05:00", &fixed);
	parse_ok("2018-05-31T00:00:00", &f);
	assert_string_equal(fmt_in(utc(2018, 6, 1, 2, 0, 0), &f, &fixed), "2018-05-31T21:00:00");
	parse_ok("2018-05-31", &f);
	assert_string_equal(fmt_in(utc(2018, 6, 1, 2, 0, 0), &f, &fixed), "2018-05-31");
	parse_ok("2018-05-31T00:00:00Z", &f);
	assert_string_equal(fmt_in(utc(2018, 6, 1, 2, 0, 0), &f, &fixed), "2018-06-01T02:00:00Z");
	/* A written offset follows fmt, not a fixed zone. */
	parse_ok("2018-05-31T00:00:00+02:00", &f);
	assert_string_equal(fmt_in(utc(2018, 6, 1, 2, 0, 0), &f, &fixed), "2018-06-01T04:00:00+02:00");
	/* Out-of-range fields in a hand-made fmt cannot overflow the buffer. */
	f.frac_digits = 99;
	f.offset_s = 200000;
	assert_string_equal(fmt_in(0, &f, NULL), "1970-01-01T23:59:00.000000000+23:59");
	f.kind = TS_TK_EPOCH_MS;
	assert_string_equal(fmt_in(INT64_MIN, &f, NULL), "-9223372036854775.808000000");
	f.kind = TS_TK_DATETIME;
	f.frac_digits = 0;
	f.tz = TS_TZK_Z;
	assert_true(strlen(fmt_in(INT64_MAX, &f, NULL)) < TS_TIME_BUFSIZE);
	assert_true(strlen(fmt_in(INT64_MIN, &f, NULL)) < TS_TIME_BUFSIZE);
}

/* ---- zones ---- */

static void test_zone_open(void **state)
{
	struct ts_zone z;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_zone_open("UTC", &z, &err), 0);
	assert_int_equal(z.kind, TS_ZONE_UTC);
	assert_int_equal(ts_zone_open("Z", &z, &err), 0);
	assert_int_equal(z.kind, TS_ZONE_UTC);
	assert_int_equal(ts_zone_open("+05:30", &z, &err), 0);
	assert_int_equal(z.kind, TS_ZONE_FIXED);
	assert_int_equal(z.offset_s, 19800);
	assert_int_equal(ts_zone_open("-0800", &z, &err), 0);
	assert_int_equal(z.offset_s, -28800);
	assert_int_equal(ts_zone_open("+01", &z, &err), 0);
	assert_int_equal(z.offset_s, 3600);
	assert_int_equal(ts_zone_open("Europe/Paris", &z, &err), 0);
	assert_int_equal(z.kind, TS_ZONE_NAMED);
	assert_string_equal(z.name, "Europe/Paris");
	/* TZDIR is tried first, then the system database. */
	setenv("TZDIR", "/nonexistent", 1);
	assert_int_equal(ts_zone_open("America/New_York", &z, &err), 0);
	assert_int_equal(z.kind, TS_ZONE_NAMED);
	assert_int_equal(ts_zone_offset(&z, utc(2018, 1, 1, 0, 0, 0)), -18000);
	unsetenv("TZDIR");
	{
		static const char *const bad[] = {
			"", "Nowhere/Land", "../../../etc/passwd", "Europe/../Europe/Paris",
			"/usr/share/zoneinfo/Europe/Paris", "Europe", "Europe/", "zone.tab",
			"tzdata.zi", ".hidden", "Europe//Paris", "Europe/Paris ", "right/UTC",
			"Europe/Paris,M3", "+25:00", "+05:60", "+5", "-", "utc",
			"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/B",
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			char want[256];

			snprintf(want, sizeof want, "unknown time zone \"%s\"", bad[i]);
			if (strlen(bad[i]) > 40)
				snprintf(want, sizeof want, "unknown time zone \"%.40s...\"", bad[i]);
			assert_int_equal(ts_zone_open(bad[i], &z, &err), TS_EUSAGE);
			assert_int_equal(err.code, TS_EUSAGE);
			assert_string_equal(err.msg, want);
		}
	}
}

static void test_zone_from_fmt(void **state)
{
	struct ts_tfmt f;
	struct ts_zone z;

	(void)state;
	parse_ok("2018-05-31T00:00:00+02:00", &f);
	ts_zone_from_fmt(&f, &z);
	assert_int_equal(z.kind, TS_ZONE_FIXED);
	assert_int_equal(z.offset_s, 7200);
	parse_ok("2018-05-31T00:00:00Z", &f);
	ts_zone_from_fmt(&f, &z);
	assert_int_equal(z.kind, TS_ZONE_UTC);
	parse_ok("2018-05-31 00:00", &f);
	ts_zone_from_fmt(&f, &z);
	assert_int_equal(z.kind, TS_ZONE_UTC);
	parse_ok("1527724800", &f);
	ts_zone_from_fmt(&f, &z);
	assert_int_equal(z.kind, TS_ZONE_UTC);
	assert_int_equal(ts_zone_offset(&z, 0), 0);
	assert_int_equal(ts_zone_offset(NULL, 0), 0);
}

static void test_zone_offset_and_format(void **state)
{
	struct ts_zone paris, ny;
	struct ts_tfmt f;

	(void)state;
	open_zone("Europe/Paris", &paris);
	assert_int_equal(ts_zone_offset(&paris, utc(2018, 1, 15, 12, 0, 0)), 3600);
	assert_int_equal(ts_zone_offset(&paris, utc(2018, 7, 15, 12, 0, 0)), 7200);
	assert_int_equal(ts_zone_offset(&paris, utc(2018, 3, 25, 0, 59, 59)), 3600);
	assert_int_equal(ts_zone_offset(&paris, utc(2018, 3, 25, 1, 0, 0)), 7200);
	/* The written offset follows DST. */
	parse_ok("2018-05-31T00:00:00.250+02:00", &f);
	assert_string_equal(fmt_in(utc(2018, 1, 15, 12, 0, 0), &f, &paris), "2018-01-15T13:00:00.000+01:00");
	assert_string_equal(fmt_in(utc(2018, 7, 15, 12, 0, 0), &f, &paris), "2018-07-15T14:00:00.000+02:00");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 0, 30, 0), &f, &paris), "2018-10-28T02:30:00.000+02:00");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 1, 30, 0), &f, &paris), "2018-10-28T02:30:00.000+01:00");
	parse_ok("2018-05-31T00:00+0200", &f);
	assert_string_equal(fmt_in(utc(2018, 1, 15, 12, 0, 0), &f, &paris), "2018-01-15T13:00+0100");
	/* Naive and date text take the zone's wall clock. */
	parse_ok("2018-05-31 00:00:00", &f);
	assert_string_equal(fmt_in(utc(2018, 3, 25, 1, 0, 0), &f, &paris), "2018-03-25 03:00:00");
	assert_string_equal(fmt_in(utc(2018, 3, 25, 0, 59, 59), &f, &paris), "2018-03-25 01:59:59");
	/* ... except in the hour a fall-back repeats, where naive text would
	 * not say which: both readings carry their offset */
	assert_string_equal(fmt_in(utc(2018, 10, 28, 0, 0, 0), &f, &paris), "2018-10-28 02:00:00+02:00");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 0, 30, 0), &f, &paris), "2018-10-28 02:30:00+02:00");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 1, 0, 0), &f, &paris), "2018-10-28 02:00:00+01:00");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 1, 59, 59), &f, &paris), "2018-10-28 02:59:59+01:00");
	assert_string_equal(fmt_in(utc(2018, 10, 27, 23, 59, 59), &f, &paris), "2018-10-28 01:59:59");
	assert_string_equal(fmt_in(utc(2018, 10, 28, 2, 0, 0), &f, &paris), "2018-10-28 03:00:00");
	parse_ok("2018-05-31", &f);
	assert_string_equal(fmt_in(utc(2018, 5, 31, 22, 30, 0), &f, &paris), "2018-06-01");
	/* Epoch ignores the zone. */
	parse_ok("1527724800", &f);
	assert_string_equal(fmt_in(INT64_C(1527724800000000), &f, &paris), "1527724800");
	/* Local mean time (+00:09:21 before 1911) is cut to whole minutes. */
	parse_ok("2018-05-31T00:00:00+02:00", &f);
	assert_string_equal(fmt_in(utc(1900, 1, 1, 0, 0, 0), &f, &paris), "1900-01-01T00:09:00+00:09");
	parse_ok("2018-05-31T00:00:00+02", &f);
	assert_string_equal(fmt_in(utc(1900, 1, 1, 0, 0, 0), &f, &paris), "1900-01-01T00:09:00+00:09");

	open_zone("America/New_York", &ny);
	parse_ok("2018-05-31T00:00:00-05:00", &f);
	assert_string_equal(fmt_in(utc(2018, 7, 4, 16, 0, 0), &f, &ny), "2018-07-04T12:00:00-04:00");
	assert_string_equal(fmt_in(utc(2018, 12, 25, 17, 0, 0), &f, &ny), "2018-12-25T12:00:00-05:00");
}

static void test_zone_from_wall(void **state)
{
	struct ts_zone z;

	(void)state;
	open_zone("Europe/Paris", &z);
	/* Ordinary times. */
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 1, 15, 12, 0, 0)), utc(2018, 1, 15, 11, 0, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 7, 15, 12, 0, 0)), utc(2018, 7, 15, 10, 0, 0));
	/* Gap: 02:30 does not exist and moves forward by the hour to 03:30 CEST. */
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 3, 25, 2, 30, 0)), utc(2018, 3, 25, 1, 30, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 3, 25, 2, 0, 0)), utc(2018, 3, 25, 1, 0, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 3, 25, 1, 59, 59)), utc(2018, 3, 25, 0, 59, 59));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 3, 25, 3, 0, 0)), utc(2018, 3, 25, 1, 0, 0));
	/* Overlap: 02:30 happens twice; the earlier (CEST) one wins. */
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 10, 28, 2, 30, 0)), utc(2018, 10, 28, 0, 30, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 10, 28, 2, 0, 0)), utc(2018, 10, 28, 0, 0, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 10, 28, 3, 0, 0)), utc(2018, 10, 28, 2, 0, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 10, 28, 1, 59, 59)), utc(2018, 10, 27, 23, 59, 59));

	open_zone("America/New_York", &z);
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 3, 11, 2, 30, 0)), utc(2018, 3, 11, 7, 30, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 11, 4, 1, 30, 0)), utc(2018, 11, 4, 5, 30, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 11, 4, 2, 0, 0)), utc(2018, 11, 4, 7, 0, 0));
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 6, 1, 0, 0, 0)), utc(2018, 6, 1, 4, 0, 0));

	open_zone("+05:30", &z);
	assert_int_equal(ts_zone_from_wall(&z, utc(2018, 6, 1, 5, 30, 0)), utc(2018, 6, 1, 0, 0, 0));
	assert_int_equal(ts_zone_from_wall(NULL, 1234), 1234);
}

/* The format of grid times: the series' own, with what the interval needs
 * (ts-fill's buckets and ts-forecast's future rows alike). */
static void test_tfmt_for_interval(void **state)
{
	struct ts_tfmt in, out;
	struct ts_dur d;

	(void)state;
	/* isoformat's whole second has no fraction: half seconds need one */
	parse_ok("2018-01-01T00:00:00", &in);
	d = dur("500ms");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.frac_digits, 1);
	assert_string_equal(fmt_in(utc(2018, 1, 1, 0, 0, 2) + 500000, &out, NULL), "2018-01-01T00:00:02.5");
	d = dur("250us");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.frac_digits, 5);
	/* never fewer digits than the input's */
	parse_ok("2018-01-01T00:00:00.500000", &in);
	d = dur("1s");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.frac_digits, 6);
	/* a date gains a time of day below a day; HH:MM gains seconds below a minute */
	parse_ok("2018-01-01", &in);
	d = dur("1h");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_string_equal(fmt_in(utc(2018, 1, 1, 5, 0, 0), &out, NULL), "2018-01-01 05:00:00");
	d = dur("1d");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.kind, TS_TK_DATE);
	d = dur("1mo");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.kind, TS_TK_DATE);
	parse_ok("2018-01-01 00:00", &in);
	d = dur("30s");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_string_equal(fmt_in(utc(2018, 1, 1, 0, 0, 30), &out, NULL), "2018-01-01 00:00:30");
	/* epoch milliseconds: digits below the millisecond */
	parse_ok("1514764800000", &in);
	d = dur("1500us");
	ts_tfmt_for_interval(&in, &d, &out);
	assert_int_equal(out.frac_digits, 1);
}

/* What ts_time_format writes reads back only within the years 0000-9999. */
static void test_time_writable(void **state)
{
	struct ts_tfmt f;
	struct ts_zone ny;

	(void)state;
	parse_ok("2018-01-01", &f);
	assert_true(ts_time_writable(utc(9999, 12, 31, 23, 59, 59), &f, NULL));
	assert_false(ts_time_writable(utc(10000, 1, 1, 0, 0, 0), &f, NULL));
	assert_true(ts_time_writable(utc(0, 1, 1, 0, 0, 0), &f, NULL));
	assert_false(ts_time_writable(utc(0, 1, 1, 0, 0, 0) - 1, &f, NULL));
	/* the year written is the wall clock's */
	parse_ok("2018-01-01 00:00", &f);
	open_zone("America/New_York", &ny);
	assert_true(ts_time_writable(utc(10000, 1, 1, 4, 0, 0), &f, &ny));
	assert_false(ts_time_writable(utc(10000, 1, 1, 5, 0, 0), &f, &ny));
	parse_ok("2018-01-01T00:00:00Z", &f);
	assert_false(ts_time_writable(utc(10000, 1, 1, 4, 0, 0), &f, &ny));
	/* epochs: the instants the parser takes */
	parse_ok("1514764800", &f);
	assert_true(ts_time_writable(utc(9999, 12, 31, 23, 59, 59), &f, &ny));
	assert_false(ts_time_writable(utc(10000, 1, 1, 0, 0, 0), &f, &ny));
}

/* Naive times read in a zone: fall-back readings by order, spring-forward
 * readings refused; and everything ts_time_format writes reads back. */
static void test_time_resolve(void **state)
{
	struct ts_zone z, fixed;
	struct ts_tfmt f;
	struct ts_err err = { 0 };
	ts_time t, wall, prev;

	(void)state;
	open_zone("Europe/Paris", &z);
	wall = parse_ok("2018-10-28 02:30:00", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, utc(2018, 10, 28, 0, 30, 0));	/* first time round */
	assert_int_equal(ts_time_resolve(wall, &f, &z, utc(2018, 10, 28, 0, 30, 0), &t, &err), 0);
	assert_int_equal(t, utc(2018, 10, 28, 1, 30, 0));	/* the row before was at it */
	assert_int_equal(ts_time_resolve(wall, &f, &z, utc(2018, 10, 28, 0, 50, 0), &t, &err), 0);
	assert_int_equal(t, utc(2018, 10, 28, 1, 30, 0));	/* or after it */
	assert_int_equal(ts_time_resolve(wall, &f, &z, utc(2018, 10, 28, 1, 40, 0), &t, &err), 0);
	assert_int_equal(t, utc(2018, 10, 28, 0, 30, 0));	/* past both: unsorted, the first */
	/* a spring-forward skips 02:00-02:59 */
	wall = parse_ok("2018-03-25 02:30:00", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), TS_EINPUT);
	assert_string_equal(err.msg, "not a time in Europe/Paris (the clocks jump from 02:00 to 03:00)");
	wall = parse_ok("2018-03-25 03:00:00", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, utc(2018, 3, 25, 1, 0, 0));
	/* a date is its day's start; offsets, Z and epochs are instants already */
	wall = parse_ok("2018-03-25", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, utc(2018, 3, 24, 23, 0, 0));
	wall = parse_ok("2018-10-28T02:30:00+01:00", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, wall);
	wall = parse_ok("1540690200", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, wall);
	wall = parse_ok("2018-10-28 02:30:00", &f);
	assert_int_equal(ts_time_resolve(wall, &f, NULL, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, wall);
	open_zone("+05:30", &fixed);
	assert_int_equal(ts_time_resolve(wall, &f, &fixed, INT64_MIN, &t, &err), 0);
	assert_int_equal(t, wall - 5 * HOUR - 30 * MINUTE);

	/* Every quarter hour across both days, written naive and read back in
	 * order: the same instants, fall-back hour included. */
	for (int day = 0; day < 2; day++) {
		ts_time from = day == 0 ? utc(2018, 3, 24, 22, 0, 0) : utc(2018, 10, 27, 22, 0, 0);
		parse_ok("2018-01-01 00:00:00", &f);
		prev = INT64_MIN;
		for (ts_time u = from; u < from + 6 * HOUR; u += 15 * MINUTE) {
			char text[TS_TIME_BUFSIZE];
			struct ts_tfmt back;
			ts_time_format(u, &f, &z, text);
			wall = parse_ok(text, &back);
			assert_int_equal(ts_time_resolve(wall, &back, &z, prev, &t, &err), 0);
			if (t != u)
				fail_msg("%s read back as %lld, not %lld", text, (long long)t, (long long)u);
			prev = t;
		}
	}

	open_zone("America/New_York", &z);
	parse_ok("2018-01-01 00:00", &f);
	assert_string_equal(fmt_in(utc(2018, 11, 4, 5, 30, 0), &f, &z), "2018-11-04 01:30-04:00");
	assert_string_equal(fmt_in(utc(2018, 11, 4, 6, 30, 0), &f, &z), "2018-11-04 01:30-05:00");
	wall = parse_ok("2018-03-11 02:15", &f);
	assert_int_equal(ts_time_resolve(wall, &f, &z, INT64_MIN, &t, &err), TS_EINPUT);
	assert_string_equal(err.msg, "not a time in America/New_York (the clocks jump from 02:00 to 03:00)");
}

/* Nothing without a named zone may depend on TZ or the locale. */
static void test_hostile_environment(void **state)
{
	struct ts_tfmt f;
	struct ts_zone fixed;
	struct ts_dur day = dur("1d"), month = dur("1mo"), hour = dur("1h");
	ts_time t;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL)
		setlocale(LC_ALL, "de_DE.utf8");
	t = parse_ok("2018-03-11 02:30:00", &f);
	assert_int_equal(t, utc(2018, 3, 11, 2, 30, 0));
	assert_string_equal(fmt_in(t, &f, NULL), "2018-03-11 02:30:00");
	assert_int_equal(ts_bucket_floor(t, &day, NULL), utc(2018, 3, 11, 0, 0, 0));
	assert_int_equal(ts_bucket_floor(t, &hour, NULL), utc(2018, 3, 11, 2, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 3, 11, 0, 0, 0), &day, 1, NULL), utc(2018, 3, 12, 0, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 3, 11, 0, 0, 0), &month, 1, NULL), utc(2018, 4, 11, 0, 0, 0));
	assert_int_equal(ts_zone_from_wall(NULL, t), t);
	open_zone("-05:00", &fixed);
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 11, 7, 30, 0), &day, &fixed), utc(2018, 3, 11, 5, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 3, 11, 5, 0, 0), &day, 1, &fixed), utc(2018, 3, 12, 5, 0, 0));
	assert_int_equal(ts_zone_offset(&fixed, t), -18000);
	t = parse_ok("1527724800.5", &f);
	assert_string_equal(fmt_in(t, &f, NULL), "1527724800.5");
	t = parse_ok("2018-05-31T00:00:00.250", &f);
	assert_string_equal(fmt_in(t, &f, NULL), "2018-05-31T00:00:00.250");
	assert_string_equal(fmt_in(utc(2018, 11, 4, 6, 30, 0), &f, &fixed), "2018-11-04T01:30:00.000");
	setlocale(LC_ALL, "C");
	unsetenv("TZ");
	tzset();
}

/* ---- durations ---- */

static void test_dur_parse(void **state)
{
	static const struct { const char *text; int32_t months; ts_time us; } cases[] = {
		{ "30s", 0, 30 * TS_US_PER_S }, { "10m", 0, 10 * MINUTE }, { "1h", 0, HOUR },
		{ "1d", 0, TS_US_PER_DAY }, { "1w", 0, 7 * TS_US_PER_DAY }, { "500ms", 0, 500000 },
		{ "250us", 0, 250 }, { "1mo", 1, 0 }, { "1q", 3, 0 }, { "1y", 12, 0 },
		{ "1h30m", 0, 90 * MINUTE }, { "1d12h", 0, 36 * HOUR }, { "1y6mo", 18, 0 },
		{ "2w3d4h5m6s7ms8us", 0, 17 * TS_US_PER_DAY + 4 * HOUR + 5 * MINUTE + 6007008 },
		{ "90m", 0, 90 * MINUTE }, { "0h30m", 0, 30 * MINUTE }, { "007s", 0, 7 * TS_US_PER_S },
		{ "PT1H", 0, HOUR }, { "P1D", 0, TS_US_PER_DAY }, { "P1W", 0, 7 * TS_US_PER_DAY },
		{ "P1M", 1, 0 }, { "P1Y", 12, 0 }, { "PT30M", 0, 30 * MINUTE },
		{ "P1DT12H", 0, 36 * HOUR }, { "PT1M", 0, MINUTE }, { "PT45S", 0, 45 * TS_US_PER_S },
		{ "P1Y2M", 14, 0 }, { "PT1H30M15S", 0, 5415 * TS_US_PER_S }, { "P2W1D", 0, 15 * TS_US_PER_DAY },
		{ "10000y", 120000, 0 }, { "521775w", 0, INT64_C(521775) * 7 * TS_US_PER_DAY },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_dur d = dur(cases[i].text);

		assert_int_equal(d.months, cases[i].months);
		assert_int_equal(d.us, cases[i].us);
	}
}

static void test_dur_errors(void **state)
{
	static const struct { const char *text; const char *msg; } cases[] = {
		{ "", "bad duration \"\"" },
		{ "0m", "bad duration \"0m\": must be positive" },
		{ "0s0ms", "bad duration \"0s0ms\": must be positive" },
		{ "P0D", "bad duration \"P0D\": must be positive" },
		{ "-1h", "bad duration \"-1h\": must be positive" },
		{ "-x", "bad duration \"-x\"" },
		{ "1x", "bad duration \"1x\": unknown unit \"x\"" },
		{ "1H", "bad duration \"1H\": unknown unit \"H\"" },
		{ "1min", "bad duration \"1min\": unknown unit \"min\"" },
		{ "m", "bad duration \"m\"" },
		{ "1", "bad duration \"1\": missing unit" },
		{ "1h30", "bad duration \"1h30\": missing unit" },
		{ "1.5h", "bad duration \"1.5h\"" },
		{ "1h 30m", "bad duration \"1h 30m\"" },
		{ " 1h", "bad duration \" 1h\"" },
		{ "+1h", "bad duration \"+1h\"" },
		{ "30m1h", "bad duration \"30m1h\": units out of order" },
		{ "1h1h", "bad duration \"1h1h\": units out of order" },
		{ "1mo1d", "bad duration \"1mo1d\": months cannot be mixed with fixed units" },
		{ "P1M1D", "bad duration \"P1M1D\": months cannot be mixed with fixed units" },
		{ "10001y", "bad duration \"10001y\": too large" },
		{ "99999999999999999999999999h", "bad duration \"99999999999999999999999999h\": too large" },
		{ "P", "bad duration \"P\"" },
		{ "PT", "bad duration \"PT\"" },
		{ "P1DT", "bad duration \"P1DT\"" },
		{ "P1H", "bad duration \"P1H\"" },
		{ "PT1D", "bad duration \"PT1D\"" },
		{ "P1D1Y", "bad duration \"P1D1Y\"" },
		{ "P1", "bad duration \"P1\"" },
		{ "PTT1H", "bad duration \"PTT1H\"" },
		{ "P1.5D", "bad duration \"P1.5D\"" },
		{ "p1d", "bad duration \"p1d\"" },
		{ "1h\n", "bad duration \"1h\\x0a\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_err err = { 0 };
		struct ts_dur d = { 7, 7 };

		assert_int_equal(ts_dur_parse(cases[i].text, &d, &err), TS_EUSAGE);
		assert_int_equal(err.code, TS_EUSAGE);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(d.months, 7);
	}
	assert_int_equal(ts_dur_parse(NULL, &(struct ts_dur){ 0, 0 }, NULL), TS_EUSAGE);
}

static void test_dur_format(void **state)
{
	static const struct { struct ts_dur d; const char *text; } cases[] = {
		{ { 0, 10 * MINUTE }, "10m" }, { { 0, 90 * MINUTE }, "1h30m" },
		{ { 0, TS_US_PER_DAY }, "1d" }, { { 0, 7 * TS_US_PER_DAY }, "1w" },
		{ { 0, 8 * TS_US_PER_DAY }, "1w1d" }, { { 0, 36 * HOUR }, "1d12h" },
		{ { 0, 500000 }, "500ms" }, { { 0, 1500 }, "1ms500us" }, { { 0, 30 * TS_US_PER_S }, "30s" },
		{ { 1, 0 }, "1mo" }, { { 3, 0 }, "3mo" }, { { 12, 0 }, "1y" }, { { 18, 0 }, "1y6mo" },
		{ { 0, 0 }, "0s" }, { { 0, -HOUR }, "-1h" }, { { -14, 0 }, "-1y2mo" },
		{ { 0, INT64_MAX }, "15250284w3d4h54s775ms807us" },
		{ { 0, INT64_MIN }, "-15250284w3d4h54s775ms808us" },
		{ { INT32_MIN, 0 }, "-178956970y8mo" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];

		assert_int_equal(ts_dur_format(&cases[i].d, buf), strlen(cases[i].text));
		assert_string_equal(buf, cases[i].text);
		if (cases[i].d.months > 0 || (cases[i].d.months == 0 && cases[i].d.us > 0
					      && cases[i].d.us < INT64_MAX)) {
			struct ts_dur back = dur(buf);

			assert_int_equal(back.months, cases[i].d.months);
			assert_int_equal(back.us, cases[i].d.us);
		}
	}
	/* Every input form reads back the same through its compact form. */
	{
		static const char *const texts[] = { "P1DT12H", "PT90M", "1q", "P2Y", "14d", "3600s", "1000ms" };
		static const char *const want[] = { "1d12h", "1h30m", "3mo", "2y", "2w", "1h", "1s" };

		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			struct ts_dur d = dur(texts[i]);
			char buf[32];

			ts_dur_format(&d, buf);
			assert_string_equal(buf, want[i]);
		}
	}
}

static void test_dur_is_calendar(void **state)
{
	(void)state;
	assert_true(ts_dur_is_calendar(&(struct ts_dur){ 1, 0 }));
	assert_true(ts_dur_is_calendar(&(struct ts_dur){ 0, TS_US_PER_DAY }));
	assert_true(ts_dur_is_calendar(&(struct ts_dur){ 0, 14 * TS_US_PER_DAY }));
	assert_false(ts_dur_is_calendar(&(struct ts_dur){ 0, HOUR }));
	assert_false(ts_dur_is_calendar(&(struct ts_dur){ 0, 36 * HOUR }));
	assert_false(ts_dur_is_calendar(&(struct ts_dur){ 0, 0 }));
}

/* ---- bucketing and calendar arithmetic ---- */

static void test_bucket_floor_utc(void **state)
{
	static const struct { const char *dur; ts_time t, want; } cases[] = {
		{ "1h", 0, 0 },
		{ "1h", 1, 0 },
		{ "1h", -1, -HOUR },
		{ "15m", INT64_C(1527734096000000), INT64_C(1527733800000000) },
		{ "1d", INT64_C(1527768000000000), INT64_C(1527724800000000) },
		/* 7h buckets restart at midnight: 00, 07, 14, 21. */
		{ "7h", INT64_C(1527807600000000) - 1, INT64_C(1527800400000000) },
		{ "90m", INT64_C(1527724800000000) + 100 * 60000000LL, INT64_C(1527724800000000) + 90 * 60000000LL },
		{ "3d", INT64_C(1527854400000000), INT64_C(1527724800000000) },
		{ "36h", INT64_C(1527768000000000), INT64_C(1527724800000000) },
		{ "1w", INT64_C(1527768000000000), INT64_C(1527465600000000) },
		{ "2w", INT64_C(1527768000000000), INT64_C(1526860800000000) },
		{ "1mo", INT64_C(1527768000000000), INT64_C(1525132800000000) },
		{ "1q", INT64_C(1527768000000000), INT64_C(1522540800000000) },
		{ "1y", INT64_C(1527768000000000), INT64_C(1514764800000000) },
		{ "5y", INT64_C(1527768000000000), INT64_C(1420070400000000) },
		{ "1mo", -1, -31 * TS_US_PER_DAY },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ts_dur d = dur(cases[i].dur);

		assert_int_equal(ts_bucket_floor(cases[i].t, &d, NULL), cases[i].want);
	}
	/* Weeks start on Mondays, quarters in Jan/Apr/Jul/Oct, n days on
	 * multiples of n since 1970-01-01. */
	{
		struct ts_dur w = dur("1w"), q = dur("1q"), d3 = dur("3d");

		for (int64_t day = -1000; day < 1000; day += 1) {
			int64_t y;
			unsigned m, dd;
			ts_time t = day * TS_US_PER_DAY + 5 * HOUR;
			ts_time s = ts_bucket_floor(t, &w, NULL);

			assert_int_equal(ts_weekday(s / TS_US_PER_DAY), 1);
			assert_true(s <= t && t - s < 7 * TS_US_PER_DAY);
			ts_civil_from_days(ts_bucket_floor(t, &q, NULL) / TS_US_PER_DAY, &y, &m, &dd);
			assert_int_equal(dd, 1);
			assert_int_equal((m - 1) % 3, 0);
			assert_int_equal(ts_bucket_floor(t, &d3, NULL) % (3 * TS_US_PER_DAY), 0);
		}
	}
	/* A fixed zone moves the wall clock. */
	{
		struct ts_zone z;
		struct ts_dur d = dur("1d");

		open_zone("+05:30", &z);
		assert_int_equal(ts_bucket_floor(utc(2018, 5, 31, 20, 0, 0), &d, &z), utc(2018, 5, 31, 18, 30, 0));
		assert_int_equal(ts_bucket_next(utc(2018, 5, 31, 20, 0, 0), &d, &z), utc(2018, 6, 1, 18, 30, 0));
	}
}

static void test_bucket_floor_paris(void **state)
{
	struct ts_zone z;
	struct ts_dur day = dur("1d"), hour = dur("1h"), two = dur("2h"), month = dur("1mo");

	(void)state;
	open_zone("Europe/Paris", &z);
	/* Spring-forward day is 23 hours: midnight CET to midnight CEST. */
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 12, 0, 0), &day, &z), utc(2018, 3, 24, 23, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 3, 25, 12, 0, 0), &day, &z), utc(2018, 3, 25, 22, 0, 0));
	/* Fall-back day is 25 hours. */
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 12, 0, 0), &day, &z), utc(2018, 10, 27, 22, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 10, 28, 12, 0, 0), &day, &z), utc(2018, 10, 28, 23, 0, 0));
	/* Hours: 01:xx CET then 03:00 CEST; both 02:00 hours in October. */
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 0, 59, 0), &hour, &z), utc(2018, 3, 25, 0, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 1, 10, 0), &hour, &z), utc(2018, 3, 25, 1, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 0, 30, 0), &hour, &z), utc(2018, 10, 28, 0, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 1, 30, 0), &hour, &z), utc(2018, 10, 28, 1, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 10, 28, 0, 30, 0), &hour, &z), utc(2018, 10, 28, 1, 0, 0));
	/* Two-hour buckets: 02:00 is skipped in March, so 00:00-02:00 CET is
	 * followed by a bucket starting at the jump (03:00 CEST), then 04:00. */
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 0, 30, 0), &two, &z), utc(2018, 3, 24, 23, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 1, 30, 0), &two, &z), utc(2018, 3, 25, 1, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 3, 25, 1, 30, 0), &two, &z), utc(2018, 3, 25, 2, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 3, 25, 2, 30, 0), &two, &z), utc(2018, 3, 25, 2, 0, 0));
	/* In October 02:00 is read twice: 00:00 CEST..02:00 CEST, 02:00 CEST
	 * (1h until the clock steps back), 02:00 CET, 04:00 CET. */
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 27, 23, 0, 0), &two, &z), utc(2018, 10, 27, 22, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 0, 30, 0), &two, &z), utc(2018, 10, 28, 0, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 1, 30, 0), &two, &z), utc(2018, 10, 28, 1, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 10, 28, 2, 30, 0), &two, &z), utc(2018, 10, 28, 1, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 10, 28, 0, 30, 0), &two, &z), utc(2018, 10, 28, 1, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 10, 28, 1, 30, 0), &two, &z), utc(2018, 10, 28, 3, 0, 0));
	/* Months at local midnight on the 1st. */
	assert_int_equal(ts_bucket_floor(utc(2018, 7, 15, 0, 0, 0), &month, &z), utc(2018, 6, 30, 22, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 6, 30, 22, 0, 0) - 1, &month, &z), utc(2018, 5, 31, 22, 0, 0));
	assert_int_equal(ts_bucket_next(utc(2018, 10, 15, 0, 0, 0), &month, &z), utc(2018, 10, 31, 23, 0, 0));
}

static void test_time_add(void **state)
{
	struct ts_zone paris, santiago;
	struct ts_dur day = dur("1d"), week = dur("1w"), month = dur("1mo"), year = dur("1y");
	struct ts_dur hour = dur("1h"), quarter = dur("1q");
	ts_time start;

	(void)state;
	/* Fixed widths and UTC. */
	assert_int_equal(ts_time_add(0, &hour, 3, NULL), 3 * HOUR);
	assert_int_equal(ts_time_add(0, &hour, -3, NULL), -3 * HOUR);
	assert_int_equal(ts_time_add(0, &day, 1, NULL), TS_US_PER_DAY);
	assert_int_equal(ts_time_add(utc(2018, 1, 31, 10, 0, 0), &month, 1, NULL), utc(2018, 2, 28, 10, 0, 0));
	assert_int_equal(ts_time_add(utc(2016, 1, 31, 10, 0, 0), &month, 1, NULL), utc(2016, 2, 29, 10, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 1, 31, 10, 0, 0), &month, 2, NULL), utc(2018, 3, 31, 10, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 3, 31, 0, 0, 0), &month, -1, NULL), utc(2018, 2, 28, 0, 0, 0));
	assert_int_equal(ts_time_add(utc(2016, 2, 29, 0, 0, 0), &year, 1, NULL), utc(2017, 2, 28, 0, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 11, 1, 0, 0, 0), &quarter, 1, NULL), utc(2019, 2, 1, 0, 0, 0));
	assert_int_equal(ts_time_add(utc(2018, 1, 1, 0, 0, 0), &month, -13, NULL), utc(2016, 12, 1, 0, 0, 0));
	/* Saturation, not overflow. */
	assert_true(ts_time_add(0, &week, INT64_MAX, NULL) > utc(9999, 1, 1, 0, 0, 0));
	assert_true(ts_time_add(0, &week, INT64_MIN, NULL) < utc(0, 1, 1, 0, 0, 0));
	assert_true(ts_time_add(0, &month, INT64_MAX, NULL) > utc(9999, 1, 1, 0, 0, 0));
	assert_true(ts_time_add(0, &month, INT64_MIN, NULL) < utc(0, 1, 1, 0, 0, 0));

	open_zone("Europe/Paris", &paris);
	/* A day across spring-forward is 23 hours, across fall-back 25. */
	start = utc(2018, 3, 24, 23, 0, 0);	/* 2018-03-25 00:00 CET */
	assert_int_equal(ts_time_add(start, &day, 1, &paris) - start, 23 * HOUR);
	assert_int_equal(ts_time_add(ts_time_add(start, &day, 1, &paris), &day, -1, &paris), start);
	start = utc(2018, 10, 27, 22, 0, 0);	/* 2018-10-28 00:00 CEST */
	assert_int_equal(ts_time_add(start, &day, 1, &paris) - start, 25 * HOUR);
	assert_int_equal(ts_time_add(start, &day, -1, &paris), utc(2018, 10, 26, 22, 0, 0));
	/* Noon stays noon; a week keeps the clock too. */
	start = utc(2018, 3, 20, 11, 0, 0);
	assert_int_equal(ts_time_add(start, &week, 1, &paris), utc(2018, 3, 27, 10, 0, 0));
	assert_int_equal(ts_time_add(start, &month, 1, &paris), utc(2018, 4, 20, 10, 0, 0));
	/* Landing in the gap moves forward; in the overlap takes the earlier. */
	assert_int_equal(ts_time_add(utc(2018, 3, 24, 1, 30, 0), &day, 1, &paris), utc(2018, 3, 25, 1, 30, 0));
	assert_int_equal(ts_time_add(utc(2018, 10, 27, 0, 30, 0), &day, 1, &paris), utc(2018, 10, 28, 0, 30, 0));
	/* Sub-day widths are fixed in absolute time. */
	assert_int_equal(ts_time_add(utc(2018, 3, 25, 0, 30, 0), &hour, 1, &paris), utc(2018, 3, 25, 1, 30, 0));

	/* Santiago skips midnight on 2018-08-12 (00:00 -04 -> 01:00 -03): that
	 * day starts at the jump, and the next one at midnight. */
	open_zone("America/Santiago", &santiago);
	start = ts_bucket_floor(utc(2018, 8, 12, 15, 0, 0), &day, &santiago);
	assert_int_equal(start, utc(2018, 8, 12, 4, 0, 0));
	assert_int_equal(ts_time_add(start, &day, 1, &santiago), utc(2018, 8, 13, 3, 0, 0));
	assert_int_equal(ts_bucket_next(start, &day, &santiago), utc(2018, 8, 13, 3, 0, 0));
	assert_int_equal(ts_time_add(start, &day, -1, &santiago), utc(2018, 8, 11, 4, 0, 0));
	assert_int_equal(ts_zone_from_wall(&santiago, utc(2018, 8, 12, 0, 0, 0)), utc(2018, 8, 12, 4, 0, 0));
	assert_int_equal(ts_zone_from_wall(&santiago, utc(2018, 8, 12, 0, 30, 0)), utc(2018, 8, 12, 4, 30, 0));
	/* On 2018-05-12 the clock goes from 23:59 back to 23:00: a 25-hour
	 * Saturday, and Sunday starts at its only midnight. */
	start = ts_bucket_floor(utc(2018, 5, 12, 12, 0, 0), &day, &santiago);
	assert_int_equal(start, utc(2018, 5, 12, 3, 0, 0));
	assert_int_equal(ts_time_add(start, &day, 1, &santiago), utc(2018, 5, 13, 4, 0, 0));
	assert_int_equal(ts_bucket_floor(utc(2018, 5, 13, 3, 30, 0), &day, &santiago), start);
}

/* Walk through a year in each zone: every instant lies in [floor, next),
 * floors never go back, bucket starts are their own floor, and for calendar
 * widths stepping with ts_time_add agrees with ts_bucket_next. */
static void test_bucket_properties(void **state)
{
	static const char *const zones[] = {
		"UTC", "+05:45", "Europe/Paris", "America/New_York", "America/Santiago",
		"Australia/Lord_Howe",
	};
	static const char *const widths[] = { "15m", "1h", "2h", "3h", "7h", "12h", "36h", "1d", "1w", "1mo" };

	(void)state;
	for (size_t zi = 0; zi < sizeof zones / sizeof zones[0]; zi++) {
		struct ts_zone z;

		open_zone(zones[zi], &z);
		for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
			struct ts_dur d = dur(widths[wi]);
			ts_time prev_floor = INT64_MIN;

			for (ts_time t = utc(2018, 1, 1, 0, 0, 0); t < utc(2019, 1, 1, 0, 0, 0); t += 37 * MINUTE) {
				ts_time floor = ts_bucket_floor(t, &d, &z);
				ts_time next = ts_bucket_next(t, &d, &z);

				if (!(floor <= t && t < next && floor >= prev_floor))
					print_error("%s %s t=%lld floor=%lld next=%lld prev=%lld\n", zones[zi],
						    widths[wi], (long long)t, (long long)floor, (long long)next,
						    (long long)prev_floor);
				assert_true(floor <= t && t < next && floor >= prev_floor);
				assert_int_equal(ts_bucket_floor(floor, &d, &z), floor);
				assert_int_equal(ts_bucket_floor(next, &d, &z), next);
				assert_int_equal(ts_bucket_floor(next - 1, &d, &z), floor);
				if (ts_dur_is_calendar(&d))
					assert_int_equal(ts_time_add(floor, &d, 1, &z), next);
				prev_floor = floor;
			}
		}
	}
}

/* ---- bounds ---- */

static void test_parse_bound(void **state)
{
	const ts_time now = utc(2018, 5, 31, 12, 0, 0);
	struct ts_tfmt f = { .kind = TS_TK_EPOCH_MS };
	struct ts_err err = { 0 };
	ts_time t;

	(void)state;
	assert_int_equal(ts_time_parse_bound("now", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, now);
	assert_int_equal(f.kind, TS_TK_EPOCH_MS);
	assert_int_equal(ts_time_parse_bound("now-14d", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2018, 5, 17, 12, 0, 0));
	assert_int_equal(ts_time_parse_bound("now+1h30m", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2018, 5, 31, 13, 30, 0));
	assert_int_equal(ts_time_parse_bound("now-PT1H", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2018, 5, 31, 11, 0, 0));
	assert_int_equal(ts_time_parse_bound("now-1mo", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2018, 4, 30, 12, 0, 0));
	assert_int_equal(ts_time_parse_bound("now+1y", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2019, 5, 31, 12, 0, 0));
	assert_int_equal(f.kind, TS_TK_EPOCH_MS);
	assert_int_equal(ts_time_parse_bound("2018-01-01T00:00:00Z", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, utc(2018, 1, 1, 0, 0, 0));
	assert_int_equal(f.kind, TS_TK_DATETIME);
	assert_int_equal(ts_time_parse_bound("1527724800000", now, TS_EPOCH_AUTO, &t, &f, &err), 0);
	assert_int_equal(t, INT64_C(1527724800000000));
	{
		static const struct { const char *text; const char *msg; } bad[] = {
			{ "now-1x", "bad timestamp \"now-1x\": bad duration \"1x\": unknown unit \"x\"" },
			{ "now-0h", "bad timestamp \"now-0h\": bad duration \"0h\": must be positive" },
			{ "now-", "bad timestamp \"now-\": bad duration \"\"" },
			{ "now--1h", "bad timestamp \"now--1h\": bad duration \"-1h\": must be positive" },
			{ "now 1h", "bad timestamp \"now 1h\"" },
			{ "Now", "bad timestamp \"Now\"" },
			{ "nowadays", "bad timestamp \"nowadays\"" },
			{ "2018-02-30", "bad timestamp \"2018-02-30\": day 30 is not in February 2018" },
			{ "", "bad timestamp \"\"" },
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			t = 42;
			assert_int_equal(ts_time_parse_bound(bad[i].text, now, TS_EPOCH_AUTO, &t, &f, &err), TS_EUSAGE);
			assert_int_equal(err.code, TS_EUSAGE);
			assert_string_equal(err.msg, bad[i].msg);
			assert_int_equal(t, 42);
		}
	}
}

/* Rows by time; rows of the same time keep their input order. */
static void test_time_index_sort(void **state)
{
	struct ts_time_index p[6] = { { 30, 0 }, { 10, 1 }, { 30, 2 }, { -5, 3 }, { 10, 4 }, { 30, 5 } };
	const size_t want[6] = { 3, 1, 4, 0, 2, 5 };

	(void)state;
	ts_time_index_sort(p, 6);
	for (size_t k = 0; k < 6; k++)
		assert_int_equal(p[k].i, want[k]);
	ts_time_index_sort(p, 0);
	/* sorted but for the last pair, and ties out of index order: sorted */
	struct ts_time_index q[4] = { { 1, 0 }, { 2, 1 }, { 4, 2 }, { 3, 3 } };
	ts_time_index_sort(q, 4);
	assert_int_equal(q[2].i, 3);
	assert_int_equal(q[3].i, 2);
	struct ts_time_index tie[3] = { { 1, 0 }, { 5, 2 }, { 5, 1 } };
	ts_time_index_sort(tie, 3);
	assert_int_equal(tie[1].i, 1);
	assert_int_equal(tie[2].i, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_known),
		cmocka_unit_test(test_civil_roundtrip),
		cmocka_unit_test(test_parse_iso),
		cmocka_unit_test(test_parse_epoch),
		cmocka_unit_test(test_format_epoch_lengths),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_next_matches_parse),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_format_normalises),
		cmocka_unit_test(test_format_other_instants),
		cmocka_unit_test(test_zone_open),
		cmocka_unit_test(test_zone_from_fmt),
		cmocka_unit_test(test_zone_offset_and_format),
		cmocka_unit_test(test_zone_from_wall),
		cmocka_unit_test(test_hostile_environment),
		cmocka_unit_test(test_dur_parse),
		cmocka_unit_test(test_dur_errors),
		cmocka_unit_test(test_dur_format),
		cmocka_unit_test(test_dur_is_calendar),
		cmocka_unit_test(test_bucket_floor_utc),
		cmocka_unit_test(test_bucket_floor_paris),
		cmocka_unit_test(test_time_add),
		cmocka_unit_test(test_bucket_properties),
		cmocka_unit_test(test_parse_bound),
		cmocka_unit_test(test_time_resolve),
		cmocka_unit_test(test_tfmt_for_interval),
		cmocka_unit_test(test_time_writable),
		cmocka_unit_test(test_time_index_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
