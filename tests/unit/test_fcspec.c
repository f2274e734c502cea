/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fcspec: ts-forecast's -H, --cv, --add-seasonality and --regressor
 * values: what each accepts, and each error's message. */
#include <stdbool.h>
#include <string.h>

#include "testutil.h"

#include "forecast/fcspec.h"

#define HOUR (3600 * TS_US_PER_S)

static void bad(int rc, const struct ts_err *err, const char *want)
{
	assert_int_equal(rc, TS_EUSAGE);
	assert_string_equal(err->msg, want);
}

static void test_horizon(void **state)
{
	struct ts_fcinput_horizon h;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_horizon_parse("24", &h, &err), 0);
	assert_true(h.given && h.is_count && h.count == 24);
	assert_int_equal(ts_horizon_parse("1000000", &h, &err), 0);
	assert_int_equal(h.count, 1000000);
	assert_int_equal(ts_horizon_parse("1d", &h, &err), 0);
	assert_true(h.given && !h.is_count && h.dur.us == 24 * HOUR);
	assert_int_equal(ts_horizon_parse("1000y", &h, &err), 0);	/* rows known per series */
	assert_int_equal(h.dur.months, 12000);
	/* ten million rows took minutes and gigabytes: refused at once */
	bad(ts_horizon_parse("10000000", &h, &err), &err,
	    "10000000 rows is more than a series can add (at most 1000000)");
	assert_false(h.given);
	bad(ts_horizon_parse("99999999999999999999999", &h, &err), &err,
	    "99999999999999999999999 rows is more than a series can add (at most 1000000)");
	for (const char *const *s = (const char *const[]){ "0", "", "-3", "1x", "+5", " 5", NULL }; *s; s++) {
		char want[160];
		snprintf(want, sizeof want,
			 "bad horizon \"%s\" (expected a positive count or a duration such as 24 or 1d)", *s);
		bad(ts_horizon_parse(*s, &h, &err), &err, want);
	}
}

static void test_cv(void **state)
{
	struct ts_cv_windows w = { 1, 2, 3 };
	struct ts_err err = { 0 };
	char longer[300];

	(void)state;
	assert_int_equal(ts_cv_spec_parse("horizon=1d", &w, &err), 0);
	assert_true(w.horizon == 24 * HOUR && w.period == 2 && w.initial == 3);
	assert_int_equal(ts_cv_spec_parse("initial=10d,period=12h,horizon=2h,horizon=3h", &w, &err), 0);
	assert_true(w.initial == 240 * HOUR && w.period == 12 * HOUR && w.horizon == 3 * HOUR);
	bad(ts_cv_spec_parse("size=3", &w, &err), &err,
	    "unknown key \"size\" (expected initial, period or horizon)");
	bad(ts_cv_spec_parse("horizon", &w, &err), &err,
	    "expected initial=DUR, period=DUR or horizon=DUR, got \"horizon\"");
	bad(ts_cv_spec_parse("horizon=1mo", &w, &err), &err,
	    "horizon: \"1mo\": give a fixed duration (days, not months)");
	bad(ts_cv_spec_parse("period=0s", &w, &err), &err, "period: bad duration \"0s\": must be positive");
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	bad(ts_cv_spec_parse(longer, &w, &err), &err, "value too long");
}

static void test_season(void **state)
{
	struct ts_prophet_season s;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_season_spec_parse("monthly", &s, &err), 0);
	assert_string_equal(s.name, "monthly");
	assert_true(s.period == 30.5 && s.order == 5 && s.prior == 0 && s.mode == -1);
	assert_int_equal(ts_season_spec_parse("half:0.5:2:5:multiplicative", &s, &err), 0);
	assert_true(s.period == 0.5 && s.order == 2 && s.prior == 5 && s.mode == TS_PROPHET_MULTIPLICATIVE);
	assert_int_equal(ts_season_spec_parse("q:91.3:4::additive", &s, &err), 0);
	assert_true(s.prior == 0 && s.mode == TS_PROPHET_ADDITIVE);
	assert_int_equal(ts_season_spec_parse("daily_weekend:1:4:condition=weekend", &s, &err), 0);
	assert_true(s.period == 1 && s.order == 4 && s.prior == 0 && s.mode == -1);
	assert_string_equal(s.condition, "weekend");
	assert_int_equal(ts_season_spec_parse("w:7:3:2:multiplicative:condition=on_season", &s, &err), 0);
	assert_true(s.prior == 2 && s.mode == TS_PROPHET_MULTIPLICATIVE);
	assert_string_equal(s.condition, "on_season");
	assert_int_equal(ts_season_spec_parse("daily:condition=weekday", &s, &err), 0);
	assert_true(s.period == 1 && s.order == 4);
	assert_string_equal(s.condition, "weekday");
	assert_int_equal(ts_season_spec_parse("half:0.5:2", &s, &err), 0);
	assert_string_equal(s.condition, "");
	bad(ts_season_spec_parse("x:1:4:condition=", &s, &err), &err, "condition \"\" is empty");
	bad(ts_season_spec_parse("x:1:4:condition=trend", &s, &err), &err, "condition \"trend\" is reserved");
	bad(ts_season_spec_parse("x:1:condition=weekend", &s, &err), &err,
	    "expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got \"x:1:condition=weekend\"");
	bad(ts_season_spec_parse("fortnightly", &s, &err), &err,
	    "unknown seasonality \"fortnightly\" (give NAME:DAYS:ORDER)");
	bad(ts_season_spec_parse("x:7", &s, &err), &err, "expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got \"x:7\"");
	bad(ts_season_spec_parse("x:7:3:1:additive:more", &s, &err), &err,
	    "expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got \"x:7:3:1:additive:more\"");
	bad(ts_season_spec_parse("yhat:7:3", &s, &err), &err, "name \"yhat\" is reserved");
	bad(ts_season_spec_parse(":7:3", &s, &err), &err, "name \"\" is empty");
	bad(ts_season_spec_parse("x:0:3", &s, &err), &err, "invalid value \"0\" (expected a period in days > 0)");
	bad(ts_season_spec_parse("x:inf:3", &s, &err), &err,
	    "invalid value \"inf\" (expected a period in days > 0)");
	bad(ts_season_spec_parse("x:7:0", &s, &err), &err, "invalid value \"0\" (expected 1..100)");
	bad(ts_season_spec_parse("x:7:3x", &s, &err), &err, "invalid value \"3x\" (expected 1..100)");
	bad(ts_season_spec_parse("x:7:3:-1", &s, &err), &err,
	    "invalid value \"-1\" (expected a prior scale > 0)");
	bad(ts_season_spec_parse("x:7:3:1:sideways", &s, &err), &err,
	    "unknown mode \"sideways\" (expected additive or multiplicative)");
}

static void test_regressor(void **state)
{
	struct ts_prophet_regressor r;
	struct ts_err err = { 0 };
	char longer[200];

	(void)state;
	assert_int_equal(ts_regressor_spec_parse("temp", &r, &err), 0);
	assert_string_equal(r.name, "temp");
	assert_true(isnan(r.prior) && r.mode == -1);
	assert_int_equal(ts_regressor_spec_parse("temp:5:multiplicative", &r, &err), 0);
	assert_true(r.prior == 5 && r.mode == TS_PROPHET_MULTIPLICATIVE);
	assert_int_equal(ts_regressor_spec_parse("temp::additive", &r, &err), 0);
	assert_true(isnan(r.prior) && r.mode == TS_PROPHET_ADDITIVE);
	bad(ts_regressor_spec_parse("temp:0", &r, &err), &err, "invalid value \"0\" (expected a prior scale > 0)");
	bad(ts_regressor_spec_parse("temp:1:up", &r, &err), &err,
	    "unknown mode \"up\" (expected additive or multiplicative)");
	memset(longer, 'c', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	bad(ts_regressor_spec_parse(longer, &r, &err), &err, "column name too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_horizon),
		cmocka_unit_test(test_cv),
		cmocka_unit_test(test_season),
		cmocka_unit_test(test_regressor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
