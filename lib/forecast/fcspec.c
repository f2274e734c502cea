/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcspec: parses ts-forecast's -H, --cv, --add-seasonality and --regressor
 * values, with a message for the first thing wrong in each. */
#include "forecast/fcspec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

/* Option values are short; copies of them live on the stack. */
#define SPEC_MAX 256

static int usage(struct ts_err *err, const char *fmt, const char *arg)
{
	char quoted[64];

	return ts_err_set(err, TS_EUSAGE, fmt, ts_err_quote(arg, strlen(arg), quoted, sizeof quoted));
}

int ts_horizon_parse(const char *s, struct ts_fcinput_horizon *h, struct ts_err *err)
{
	struct ts_err derr = { 0 };
	bool digits = s[0] != '\0';

	memset(h, 0, sizeof *h);
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			digits = false;
	if (digits) {
		long long n;
		errno = 0;
		n = strtoll(s, NULL, 10);
		if (errno == 0 && n >= 1 && n <= TS_FCINPUT_MAX_FUTURE) {
			h->given = true;
			h->is_count = true;
			h->count = n;
			h->text = s;
			return 0;
		}
		if (errno != 0 || n > TS_FCINPUT_MAX_FUTURE) {
			char quoted[64];
			return ts_err_set(err, TS_EUSAGE, "%s rows is more than a series can add (at most %d)",
					  ts_err_quote(s, strlen(s), quoted, sizeof quoted),
					  TS_FCINPUT_MAX_FUTURE);
		}
	} else if (ts_dur_parse(s, &h->dur, &derr) == 0) {
		h->given = true;
		h->text = s;
		return 0;
	}
	memset(h, 0, sizeof *h);
	return usage(err, "bad horizon \"%s\" (expected a positive count or a duration such as 24 or 1d)", s);
}

/* One --cv window: a fixed duration. */
static int fixed_dur(const char *what, const char *arg, ts_time *out, struct ts_err *err)
{
	struct ts_dur d;
	struct ts_err derr = { 0 };
	char quoted[64];

	if (ts_dur_parse(arg, &d, &derr) != 0)
		return ts_err_set(err, TS_EUSAGE, "%s: %s", what, derr.msg);
	if (d.months != 0)
		return ts_err_set(err, TS_EUSAGE, "%s: \"%s\": give a fixed duration (days, not months)", what,
				  ts_err_quote(arg, strlen(arg), quoted, sizeof quoted));
	*out = d.us;
	return 0;
}

int ts_cv_spec_parse(const char *s, struct ts_cv_windows *w, struct ts_err *err)
{
	char copy[SPEC_MAX], *save = NULL, *part;
	int rc = 0;

	if (strlen(s) >= sizeof copy)
		return ts_err_set(err, TS_EUSAGE, "value too long");
	snprintf(copy, sizeof copy, "%s", s);
	for (part = strtok_r(copy, ",", &save); part != NULL && rc == 0;
	     part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '=');
		if (eq == NULL)
			return usage(err, "expected initial=DUR, period=DUR or horizon=DUR, got \"%s\"", part);
		*eq++ = '\0';
		if (strcmp(part, "initial") == 0)
			rc = fixed_dur("initial", eq, &w->initial, err);
		else if (strcmp(part, "period") == 0)
			rc = fixed_dur("period", eq, &w->period, err);
		else if (strcmp(part, "horizon") == 0)
			rc = fixed_dur("horizon", eq, &w->horizon, err);
		else
			rc = usage(err, "unknown key \"%s\" (expected initial, period or horizon)", part);
	}
	return rc;
}

static int parse_mode(const char *s)
{
	if (strcmp(s, "additive") == 0)
		return TS_PROPHET_ADDITIVE;
	if (strcmp(s, "multiplicative") == 0)
		return TS_PROPHET_MULTIPLICATIVE;
	return -1;
}

/* A number in (lo, hi]. */
static int open_closed(const char *arg, double lo, double hi, const char *expect, double *out,
		       struct ts_err *err)
{
	char quoted[64];
	double v;

	if (ts_num_parse(arg, strlen(arg), &v) != 0 || isnan(v) || !(v > lo && v <= hi))
		return ts_err_set(err, TS_EUSAGE, "invalid value \"%s\" (expected %s)",
				  ts_err_quote(arg, strlen(arg), quoted, sizeof quoted), expect);
	*out = v;
	return 0;
}

int ts_season_spec_parse(const char *s, struct ts_prophet_season *out, struct ts_err *err)
{
	static const struct {
		const char *name;
		double period;
		int order;
	} known[] = {
		{ "daily", 1, 4 }, { "weekly", 7, 3 }, { "monthly", 30.5, 5 },
		{ "quarterly", 91.3125, 5 }, { "yearly", 365.25, 10 },
	};
	char copy[SPEC_MAX], *parts[7] = { 0 }, *p, *end, quoted[64];
	size_t np = 0;
	const char *why;
	long long order;
	int rc;

	memset(out, 0, sizeof *out);
	out->mode = -1;
	if (strlen(s) >= sizeof copy)
		return ts_err_set(err, TS_EUSAGE, "value too long");
	snprintf(copy, sizeof copy, "%s", s);
	parts[np++] = copy;
	for (p = strchr(copy, ':'); p != NULL && np < 7; p = strchr(p + 1, ':')) {
		*p = '\0';
		parts[np++] = p + 1;
	}
	/* a last field condition=COND: Prophet's condition_name */
	if (np > 1 && strncmp(parts[np - 1], "condition=", 10) == 0) {
		const char *cond = parts[--np] + 10;
		if ((why = ts_prophet_bad_name(cond, false)) != NULL)
			return ts_err_set(err, TS_EUSAGE, "condition \"%s\" %s",
					  ts_err_quote(cond, strlen(cond), quoted, sizeof quoted), why);
		memcpy(out->condition, cond, strlen(cond) + 1);
	}
	if ((why = ts_prophet_bad_name(parts[0], true)) != NULL)
		return ts_err_set(err, TS_EUSAGE, "name \"%s\" %s",
				  ts_err_quote(parts[0], strlen(parts[0]), quoted, sizeof quoted), why);
	memcpy(out->name, parts[0], strlen(parts[0]) + 1);	/* bad_name checked the length */
	if (np == 1) {
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcmp(known[i].name, parts[0]) == 0) {
				out->period = known[i].period;
				out->order = known[i].order;
				return 0;
			}
		return usage(err, "unknown seasonality \"%s\" (give NAME:DAYS:ORDER)", parts[0]);
	}
	if (np < 3 || np > 5)
		return usage(err, "expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got \"%s\"", s);
	if ((rc = open_closed(parts[1], 0, 1e6, "a period in days > 0", &out->period, err)) != 0)
		return rc;
	errno = 0;
	order = strtoll(parts[2], &end, 10);
	if (parts[2][0] == '\0' || *end != '\0' || errno != 0 || order < 1 || order > 100)
		return usage(err, "invalid value \"%s\" (expected 1..100)", parts[2]);
	out->order = (int)order;
	if (np >= 4 && parts[3][0] != '\0' &&
	    (rc = open_closed(parts[3], 0, 1e12, "a prior scale > 0", &out->prior, err)) != 0)
		return rc;
	if (np == 5 && (out->mode = parse_mode(parts[4])) < 0)
		return usage(err, "unknown mode \"%s\" (expected additive or multiplicative)", parts[4]);
	return 0;
}

int ts_regressor_spec_parse(const char *s, struct ts_prophet_regressor *out, struct ts_err *err)
{
	char copy[SPEC_MAX], *p, *q = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	out->prior = NAN;
	out->mode = -1;
	if (strlen(s) >= sizeof copy)
		return ts_err_set(err, TS_EUSAGE, "value too long");
	snprintf(copy, sizeof copy, "%s", s);
	if ((p = strchr(copy, ':')) != NULL) {
		*p++ = '\0';
		if ((q = strchr(p, ':')) != NULL)
			*q++ = '\0';
		if (*p != '\0' && (rc = open_closed(p, 0, 1e12, "a prior scale > 0", &out->prior, err)) != 0)
			return rc;
		if (q != NULL && (out->mode = parse_mode(q)) < 0)
			return usage(err, "unknown mode \"%s\" (expected additive or multiplicative)", q);
	}
	if (strlen(copy) >= sizeof out->name)
		return ts_err_set(err, TS_EUSAGE, "column name too long");
	memcpy(out->name, copy, strlen(copy) + 1);
	return 0;
}
