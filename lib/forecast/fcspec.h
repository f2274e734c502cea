/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcspec: the text of ts-forecast's structured option values (-H, --cv,
 * --add-seasonality, --regressor) parsed into model settings. */
#ifndef TS_FCSPEC_H
#define TS_FCSPEC_H

#include "forecast/cv.h"
#include "core/tserr.h"
#include "forecast/fcinput.h"
#include "forecast/prophet.h"

/* Every error below is TS_EUSAGE with a message that leaves out the option's
 * name: the caller says which option ("-H: ...", "--cv: ..."). */

/* -H: a count of future rows, 1..TS_FCINPUT_MAX_FUTURE (all digits), or a
 * duration (ts_dur_parse). Sets h->given, and is_count with count or dur.
 * Errors: "bad horizon \"X\" (expected a positive count or a duration such
 * as 24 or 1d)", "X rows is more than a series can add (at most 1000000)".
 * h->text points to s, for messages. */
int ts_horizon_parse(const char *s, struct ts_fcinput_horizon *h, struct ts_err *err);

/* --cv: "KEY=DUR[,KEY=DUR...]" with keys initial, period and horizon, each a
 * fixed duration (no months), into w's fields in microseconds; keys not
 * given keep their value, a key given twice takes the last. Errors: "value
 * too long" (256 bytes or more), "expected initial=DUR, period=DUR or
 * horizon=DUR, got \"X\"", "KEY: " and ts_dur_parse's message, "KEY:
 * \"X\": give a fixed duration (days, not months)", "unknown key \"X\"
 * (expected initial, period or horizon)". */
int ts_cv_spec_parse(const char *s, struct ts_cv_windows *w, struct ts_err *err);

/* --add-seasonality: NAME (one of daily, weekly, monthly, quarterly, yearly,
 * with Prophet's period and order) or NAME:DAYS:ORDER[:PRIOR[:MODE]], either
 * followed by :condition=COND (Prophet's condition_name; COND a column name or
 * weekend or weekday, checked as a column name is), with
 * DAYS in (0, 1e6], ORDER 1..100, PRIOR in (0, 1e12] (empty or absent: 0,
 * the model's) and MODE additive or multiplicative (absent: -1, the
 * model's). Errors: "value too long", "name \"X\" " and
 * ts_prophet_bad_name's reason, "condition \"X\" " and its reason, "unknown seasonality \"X\" (give
 * NAME:DAYS:ORDER)", "expected
 * NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got \"X\"",
 * "invalid value \"X\" (expected a period in days > 0)", "invalid value
 * \"X\" (expected 1..100)", "invalid value \"X\" (expected a prior scale >
 * 0)", "unknown mode \"X\" (expected additive or multiplicative)". */
int ts_season_spec_parse(const char *s, struct ts_prophet_season *out, struct ts_err *err);

/* --regressor: COL[:PRIOR[:MODE]]; the column is only named here (the
 * caller resolves it against the header). PRIOR in (0, 1e12], empty or
 * absent: NAN (the model's); MODE as for seasonalities (absent: -1).
 * Errors: "value too long", "invalid value \"X\" (expected a prior scale >
 * 0)", "unknown mode \"X\" (expected additive or multiplicative)", "column
 * name too long". */
int ts_regressor_spec_parse(const char *s, struct ts_prophet_regressor *out, struct ts_err *err);

#endif
