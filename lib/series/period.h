/* SPDX-License-Identifier: GPL-3.0-or-later */
/* period: the sampling interval of a series (its most common spacing, calendar
 * aware), the seasonal periods it implies, and spans (-p, windows) in points. */
#ifndef TS_PERIOD_H
#define TS_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "io/tstime.h"

/* The most common positive spacing of the sorted instants t[0..n) (ties: the
 * smaller). Spacings of 28-31 days between instants on the same day of month
 * and time of day in zone give 1 month (89-92 days: a quarter, 365-366 days: a
 * year); whole days give days even across DST (23/25 hours in a named zone).
 * Error TS_EDATA "cannot infer the interval from fewer than two distinct
 * timestamps" when there is no positive spacing. */
int ts_interval_infer(const ts_time *t, size_t n, const struct ts_zone *zone,
		      struct ts_dur *interval, struct ts_err *err);

/* The seasonal periods, in points, that an interval implies for a series
 * spanning span: sub-daily intervals that divide a day give points per day,
 * plus points per week when span >= 2 weeks; daily 7 (+365 when span >= 2
 * years); weekly 52; monthly 12; quarterly 4. Writes up to 2 periods into
 * periods (ascending) and returns how many (0: none, e.g. yearly data). */
size_t ts_periods_for_interval(const struct ts_dur *interval, ts_time span, size_t periods[2]);

/* Whether t[0..n) lies on one regular grid of the interval: each instant one
 * interval after the one before, t[i] == ts_time_add(t[i - 1], interval, 1,
 * zone) (calendar months, and whole days in a named zone, step in wall-clock
 * time). Returns 0, or TS_EDATA with *bad (when not NULL) the index of the
 * first instant that is not and the message "irregular series: T follows P,
 * expected E (interval D)", the times written as fmt in zone; duplicates,
 * gaps, unsorted and off-grid instants all read that way. */
int ts_interval_check_grid(const ts_time *t, size_t n, const struct ts_dur *interval,
			   const struct ts_zone *zone, const struct ts_tfmt *fmt, size_t *bad,
			   struct ts_err *err);

/* How a series is sampled, as the tools that need a grid see it. */
struct ts_sampling {
	struct ts_dur interval;		/* its interval, when has_interval */
	bool has_interval;		/* two distinct instants at least */
	bool regular;			/* each instant one interval after the one
					 * before, in the order given (0 or 1 point: true) */
	size_t bad;			/* !regular: the first instant off the grid,
					 * or SIZE_MAX when no one instant is */
	char why[512];			/* !regular: the "irregular series: ..." message */
};

/* The sampling of the n instants t (any order; zone and fmt write times in
 * messages): the interval ts_interval_infer finds in them sorted, and
 * whether t lies on its grid as ts_interval_check_grid says (why and bad
 * from it). Without two distinct instants (n >= 2) why is "irregular series:
 * every timestamp is T" and bad SIZE_MAX. Returns 0 or TS_ENOMEM. */
int ts_sampling_infer(const ts_time *t, size_t n, const struct ts_zone *zone, const struct ts_tfmt *fmt,
		      struct ts_sampling *s, struct ts_err *err);

/* The dominant seasonal period, in points, of the finite regular series
 * y[0..n), found from its autocorrelation: after removing a least-squares
 * line, the sample autocorrelation r(k) (biased, computed by FFT) is searched
 * for local maxima at lags 2 <= k <= n / 3 (three whole cycles: two, as MSTL
 * needs, let the slow swings of a random walk pass for seasons) with
 * r(k) >= 0.2 that rise at least 0.2 above the lowest r since the previous
 * such peak; the highest is the period. *period is 0 (and *acf
 * NaN) when there is none: white noise, a trend, fewer than 8 points, a
 * constant. *acf gets r(period). Returns 0, or TS_ENOMEM (4 n doubles). */
int ts_period_auto(const double *y, size_t n, size_t *period, double *acf, struct ts_err *err);

/* A length given as a count of points or as a duration (-p 24, -p 1d), or
 * STL's "periodic" seasonal window. */
struct ts_span {
	size_t n;		/* a count, when !is_dur and !periodic */
	struct ts_dur d;	/* a duration, when is_dur */
	bool is_dur;
	bool periodic;		/* "periodic", as TS_SPAN_PERIODIC allows */
};

/* Flags of ts_span_parse_flags and ts_span_list_parse. */
#define TS_SPAN_ODD 1u		/* counts must be odd (LOESS windows) */
#define TS_SPAN_PERIODIC 2u	/* "periodic" in place of a duration: STL's
				 * seasonal window counts cycles, not time */

/* List items are shorter than this: no count or duration needs more. */
#define TS_SPAN_ITEM_MAX 64

/* What ts_span_list_parse refused. */
#define TS_SPAN_BAD_ITEM (-1)	/* an item that is no span */
#define TS_SPAN_BAD_LIST (-2)	/* an empty or overlong item */
#define TS_SPAN_TOO_MANY (-3)	/* more items than the caller takes */

/* Parse a count of at least min ("24") or a duration ("1d", "PT1H").
 * Returns 0, or -1 when s is neither (the caller names the option). */
int ts_span_parse(const char *s, size_t min, struct ts_span *sp);

/* ts_span_parse with flags: TS_SPAN_ODD refuses even counts; TS_SPAN_PERIODIC
 * takes "periodic" (sp->periodic) and refuses durations. Counts are at most
 * 100,000,000. Returns 0, or -1 (the caller names the option). */
int ts_span_parse_flags(const char *s, size_t min, unsigned flags, struct ts_span *sp);

/* Parse "P[,P...]", at most max items each read by ts_span_parse_flags(item,
 * min, flags), into spans[0..*n). Returns 0; or, with the offending item
 * copied into bad (badsize bytes, cut to fit), TS_SPAN_TOO_MANY when it is
 * the one past max (whatever it holds), TS_SPAN_BAD_ITEM when it is no span,
 * or TS_SPAN_BAD_LIST when it is empty or TS_SPAN_ITEM_MAX characters or
 * more (the caller words them). spans may be partly written on error. */
int ts_span_list_parse(const char *s, size_t min, unsigned flags, struct ts_span *spans, size_t max,
		       size_t *n, char *bad, size_t badsize);

/* The span in points at this interval (NULL: unknown), calendar aware: a
 * count as given; a duration that is a whole number of intervals, months by
 * months (1y at 1mo: 12) and fixed by fixed (1d at 1h: 24; 1h at 1h: 1).
 * Returns 0, or -1 for a duration that is not (1d at 1mo, 90m at 1h), any
 * duration at an unknown interval, or a periodic span; the caller words it. */
int ts_span_divide(const struct ts_span *sp, const struct ts_dur *interval, size_t *points);

/* The season length in points at this interval (ts-fill -p): a count as
 * given, a fixed duration divided by a fixed interval into at least 2 points.
 * Error TS_EUSAGE "period D is not a whole number of I intervals" otherwise
 * (calendar durations never do). */
int ts_span_points(const struct ts_span *sp, const struct ts_dur *interval, size_t *points,
		   struct ts_err *err);

/* sp in points at interval (NULL: unknown) as ts_span_divide counts it, for
 * the option named what ("period", "--window"). Errors, TS_EDATA: "WHAT D:
 * the interval is unknown (give a count)", "WHAT D is not a whole number
 * of I intervals". */
int ts_span_resolve(const struct ts_span *sp, const struct ts_dur *interval, const char *what,
		    size_t *points, struct ts_err *err);

/* The -p spans[0..n) in points at interval (NULL: unknown), in the order
 * given: ts_span_resolve's errors for "period", and TS_EDATA "period D is
 * less than two points" for a duration shorter than two intervals. */
int ts_periods_resolve(const struct ts_span *spans, size_t n, const struct ts_dur *interval,
		       size_t *periods, struct ts_err *err);

#endif
