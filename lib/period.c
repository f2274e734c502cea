/* SPDX-License-Identifier: GPL-3.0-or-later */
/* period: interval inference from spacings and the interval -> seasonal
 * period table shared by ts-fill --fill seasonal and ts-decompose. */
#include "period.h"

#include <stdbool.h>
#include <stdlib.h>

#include "mem.h"

#define HOUR_US (3600 * TS_US_PER_S)

static int cmp_time(const void *a, const void *b)
{
	ts_time x = *(const ts_time *)a, y = *(const ts_time *)b;

	return (x > y) - (x < y);
}

/* Whether all instants share the wall-clock day of month and time of day. */
static bool same_day_of_month(const ts_time *t, size_t n, const struct ts_zone *zone)
{
	int64_t y;
	unsigned m, d0 = 0, d;
	ts_time tod0 = 0;

	for (size_t i = 0; i < n; i++) {
		ts_time wall = t[i] + (ts_time)ts_zone_offset(zone, t[i]) * TS_US_PER_S;
		int64_t days = wall >= 0 ? wall / TS_US_PER_DAY : -((-wall + TS_US_PER_DAY - 1) / TS_US_PER_DAY);
		ts_time tod = wall - days * TS_US_PER_DAY;
		ts_civil_from_days(days, &y, &m, &d);
		if (i == 0) {
			d0 = d;
			tod0 = tod;
		} else if (d != d0 || tod != tod0) {
			return false;
		}
	}
	return true;
}

int ts_interval_infer(const ts_time *t, size_t n, const struct ts_zone *zone,
		      struct ts_dur *interval, struct ts_err *err)
{
	ts_time *gaps;
	size_t ngaps = 0, best_count = 0, run = 0;
	ts_time best = 0;
	const ts_time day = TS_US_PER_DAY;

	gaps = ts_mallocarray(n, sizeof *gaps);
	if (gaps == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 1; i < n; i++)
		if (t[i] > t[i - 1])
			gaps[ngaps++] = t[i] - t[i - 1];
	if (ngaps == 0) {
		free(gaps);
		return ts_err_set(err, TS_EDATA,
				  "cannot infer the interval from fewer than two distinct timestamps; give -i");
	}
	qsort(gaps, ngaps, sizeof *gaps, cmp_time);
	for (size_t i = 0; i < ngaps; i++) {
		run = (i > 0 && gaps[i] == gaps[i - 1]) ? run + 1 : 1;
		if (run > best_count) {
			best_count = run;
			best = gaps[i];
		}
	}
	free(gaps);
	interval->months = 0;
	interval->us = best;
	if (best >= 28 * day - HOUR_US && best <= 31 * day + HOUR_US && same_day_of_month(t, n, zone))
		interval->months = 1;
	else if (best >= 89 * day - HOUR_US && best <= 92 * day + HOUR_US && same_day_of_month(t, n, zone))
		interval->months = 3;
	else if (best >= 365 * day - HOUR_US && best <= 366 * day + HOUR_US && same_day_of_month(t, n, zone))
		interval->months = 12;
	if (interval->months > 0) {
		interval->us = 0;
	} else if (best >= day - HOUR_US && zone->kind == TS_ZONE_NAMED) {
		/* Whole days in a zone with DST: 23 or 25 hour spacings are still days. */
		ts_time days = (best + day / 2) / day;
		if (best - days * day <= HOUR_US && days * day - best <= HOUR_US)
			interval->us = days * day;
	}
	return 0;
}

size_t ts_periods_for_interval(const struct ts_dur *interval, ts_time span, size_t periods[2])
{
	const ts_time day = TS_US_PER_DAY, week = 7 * TS_US_PER_DAY;
	size_t n = 0;

	if (interval->months == 1) {
		periods[n++] = 12;
	} else if (interval->months == 3) {
		periods[n++] = 4;
	} else if (interval->months > 0) {
		return 0;
	} else if (interval->us < day && day % interval->us == 0) {
		periods[n++] = (size_t)(day / interval->us);
		if (span >= 2 * week)
			periods[n++] = (size_t)(week / interval->us);
	} else if (interval->us == day) {
		periods[n++] = 7;
		if (span >= 2 * 365 * day)
			periods[n++] = 365;
	} else if (interval->us == week) {
		periods[n++] = 52;
	}
	return n;
}
