/* SPDX-License-Identifier: GPL-3.0-or-later */
/* period: the sampling interval of a series (its most common spacing, calendar
 * aware) and the seasonal periods that interval implies. */
#ifndef TS_PERIOD_H
#define TS_PERIOD_H

#include <stddef.h>

#include "err.h"
#include "tstime.h"

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

#endif
