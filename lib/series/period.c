/* SPDX-License-Identifier: GPL-3.0-or-later */
/* period: interval inference from spacings, the interval -> seasonal period
 * table, and the count-or-duration spans of -p and window options. */
#include "series/period.h"

#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_real.h>

#include "core/gslerr.h"
#include "core/mem.h"

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

/* Whether more than half the gaps between distinct timestamps are `gap`:
 * then it is the most common one, with no sort of the gaps (a regular series
 * with a few holes). */
static bool majority_gap(const ts_time *t, size_t n, ts_time gap)
{
	size_t count = 0, ngaps = 0;

	for (size_t i = 1; i < n; i++)
		if (t[i] > t[i - 1]) {
			ngaps++;
			count += t[i] - t[i - 1] == gap;
		}
	return 2 * count > ngaps;
}

int ts_interval_infer(const ts_time *t, size_t n, const struct ts_zone *zone,
		      struct ts_dur *interval, struct ts_err *err)
{
	ts_time *gaps;
	size_t ngaps = 0, best_count = 0, run = 0, i;
	ts_time best = 0;
	const ts_time day = TS_US_PER_DAY;

	/* the most common gap; a regular series has one gap only, found in one
	 * pass without a copy of its gaps */
	for (i = 1; i < n && !(t[i] > t[i - 1]); i++)
		;
	if (i >= n)
		return ts_err_set(err, TS_EDATA,
				  "cannot infer the interval from fewer than two distinct timestamps");
	best = t[i] - t[i - 1];
	for (; i < n && (!(t[i] > t[i - 1]) || t[i] - t[i - 1] == best); i++)
		;
	if (i < n && !majority_gap(t, n, best)) {
		gaps = ts_mallocarray(n, sizeof *gaps);
		if (gaps == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		for (i = 1; i < n; i++)
			if (t[i] > t[i - 1])
				gaps[ngaps++] = t[i] - t[i - 1];
		qsort(gaps, ngaps, sizeof *gaps, cmp_time);
		for (i = 0; i < ngaps; i++) {
			run = (i > 0 && gaps[i] == gaps[i - 1]) ? run + 1 : 1;
			if (run > best_count) {
				best_count = run;
				best = gaps[i];
			}
		}
		free(gaps);
	}
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

int ts_interval_check_grid(const ts_time *t, size_t n, const struct ts_dur *interval,
			   const struct ts_zone *zone, const struct ts_tfmt *fmt, size_t *bad,
			   struct ts_err *err)
{
	for (size_t i = 1; i < n; i++) {
		ts_time expected = ts_time_add(t[i - 1], interval, 1, zone);
		char found[TS_TIME_BUFSIZE], prev[TS_TIME_BUFSIZE], want[TS_TIME_BUFSIZE], width[32];

		if (t[i] == expected)
			continue;
		if (bad != NULL)
			*bad = i;
		ts_time_format(t[i], fmt, zone, found);
		ts_time_format(t[i - 1], fmt, zone, prev);
		ts_time_format(expected, fmt, zone, want);
		ts_dur_format(interval, width);
		return ts_err_set(err, TS_EDATA, "irregular series: %s follows %s, expected %s (interval %s)",
				  found, prev, want, width);
	}
	return 0;
}

/* Thresholds of ts_period_auto: the least autocorrelation of a seasonal peak
 * and how far it must rise above the trough before it. */
#define AUTO_MIN_ACF 0.2
#define AUTO_MIN_RISE 0.2

int ts_period_auto(const double *y, size_t n, size_t *period, double *acf, struct ts_err *err)
{
	size_t m = 1, k, best = 0, maxlag;
	double *z, tbar, ybar = 0.0, sxy = 0.0, sxx = 0.0, slope, c0, scale = 0.0, trough;

	ts_gsl_errors_off();
	*period = 0;
	*acf = NAN;
	if (n < 8)
		return 0;
	while (m < 2 * n)
		m *= 2;
	z = ts_mallocarray(m, sizeof *z);
	if (z == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	/* least-squares line through (k, y_k), removed */
	tbar = (double)(n - 1) / 2.0;
	for (k = 0; k < n; k++)
		ybar += y[k];
	ybar /= (double)n;
	for (k = 0; k < n; k++) {
		sxy += ((double)k - tbar) * (y[k] - ybar);
		sxx += ((double)k - tbar) * ((double)k - tbar);
		scale = fmax(scale, fabs(y[k]));
	}
	slope = sxy / sxx;
	c0 = 0.0;
	for (k = 0; k < n; k++) {
		z[k] = y[k] - ybar - slope * ((double)k - tbar);
		c0 += z[k] * z[k];
	}
	/* nothing left but rounding: a line or a constant */
	if (!(c0 > (double)n * (1e-12 * scale) * (1e-12 * scale))) {
		free(z);
		return 0;
	}
	for (k = n; k < m; k++)
		z[k] = 0.0;
	/* autocovariance sums as the inverse transform of the power spectrum
	 * (zero padding to 2n keeps the circular sums from wrapping) */
	gsl_fft_real_radix2_transform(z, 1, m);
	z[0] = z[0] * z[0];
	z[m / 2] = z[m / 2] * z[m / 2];
	for (k = 1; k < m / 2; k++) {
		z[k] = z[k] * z[k] + z[m - k] * z[m - k];
		z[m - k] = 0.0;
	}
	gsl_fft_halfcomplex_radix2_inverse(z, 1, m);
	c0 = z[0];
	for (k = 1; k < n; k++)
		z[k] /= c0;
	z[0] = 1.0;
	maxlag = n / 3;
	trough = 1.0;
	for (k = 2; k <= maxlag; k++) {
		trough = fmin(trough, z[k - 1]);
		if (!(z[k] > z[k - 1] && z[k] >= z[k + 1]))
			continue;
		if (z[k] < AUTO_MIN_ACF || z[k] - trough < AUTO_MIN_RISE)
			continue;
		if (best == 0 || z[k] > z[best])
			best = k;
		trough = z[k];
	}
	if (best != 0) {
		*period = best;
		*acf = z[best];
	}
	free(z);
	return 0;
}

int ts_span_parse(const char *s, size_t min, struct ts_span *sp)
{
	return ts_span_parse_flags(s, min, 0, sp);
}

int ts_span_parse_flags(const char *s, size_t min, unsigned flags, struct ts_span *sp)
{
	struct ts_err err = { 0 };
	const char *p = s;

	memset(sp, 0, sizeof *sp);
	if ((flags & TS_SPAN_PERIODIC) && strcmp(s, "periodic") == 0) {
		sp->periodic = true;
		return 0;
	}
	while (*p >= '0' && *p <= '9')
		p++;
	if (p != s && *p == '\0') {
		unsigned long long v = strtoull(s, NULL, 10);
		if (v < min || v > 100000000ULL || ((flags & TS_SPAN_ODD) && v % 2 == 0))
			return -1;
		sp->n = (size_t)v;
		return 0;
	}
	if ((flags & TS_SPAN_PERIODIC) || ts_dur_parse(s, &sp->d, &err) != 0)
		return -1;
	sp->is_dur = true;
	return 0;
}

int ts_span_list_parse(const char *s, size_t min, unsigned flags, struct ts_span *spans, size_t max,
		       size_t *n, char *bad, size_t badsize)
{
	*n = 0;
	for (const char *p = s;;) {
		size_t len = strcspn(p, ",");
		char item[TS_SPAN_ITEM_MAX];
		int rc = 0;

		if (*n == max) {
			rc = TS_SPAN_TOO_MANY;
		} else if (len == 0 || len >= sizeof item) {
			rc = TS_SPAN_BAD_LIST;
		} else {
			memcpy(item, p, len);
			item[len] = '\0';
			if (ts_span_parse_flags(item, min, flags, &spans[*n]) != 0)
				rc = TS_SPAN_BAD_ITEM;
		}
		if (rc != 0) {
			snprintf(bad, badsize, "%.*s", (int)len, p);
			return rc;
		}
		(*n)++;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int ts_span_divide(const struct ts_span *sp, const struct ts_dur *interval, size_t *points)
{
	if (sp->periodic)
		return -1;
	if (!sp->is_dur) {
		*points = sp->n;
		return 0;
	}
	if (interval == NULL || (sp->d.months != 0) != (interval->months != 0))
		return -1;
	if (interval->months != 0) {
		if (sp->d.months % interval->months != 0)
			return -1;
		*points = (size_t)(sp->d.months / interval->months);
		return 0;
	}
	if (interval->us <= 0 || sp->d.us % interval->us != 0)
		return -1;
	*points = (size_t)(sp->d.us / interval->us);
	return 0;
}

int ts_span_points(const struct ts_span *sp, const struct ts_dur *interval, size_t *points,
		   struct ts_err *err)
{
	char span[32], step[32];

	if (!sp->is_dur) {
		*points = sp->n;
		return 0;
	}
	if (sp->d.months == 0 && ts_span_divide(sp, interval, points) == 0 && *points >= 2)
		return 0;
	ts_dur_format(&sp->d, span);
	ts_dur_format(interval, step);
	return ts_err_set(err, TS_EUSAGE, "period %s is not a whole number of %s intervals", span, step);
}

int ts_sampling_infer(const ts_time *t, size_t n, const struct ts_zone *zone, const struct ts_tfmt *fmt,
		      struct ts_sampling *s, struct ts_err *err)
{
	struct ts_err why = { 0 };
	ts_time *sorted = NULL;
	size_t in_order = 1;
	int rc;

	memset(s, 0, sizeof *s);
	s->bad = SIZE_MAX;
	s->regular = true;
	if (n < 2)
		return 0;
	while (in_order < n && t[in_order - 1] <= t[in_order])
		in_order++;
	/* in order already (the usual case): no sorted copy */
	if (in_order < n) {
		sorted = ts_mallocarray(n, sizeof *sorted);
		if (sorted == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		memcpy(sorted, t, n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, cmp_time);
	}
	rc = ts_interval_infer(sorted != NULL ? sorted : t, n, zone, &s->interval, &why);
	free(sorted);
	if (rc == TS_ENOMEM) {
		*err = why;
		return rc;
	}
	s->regular = false;
	if (rc != 0) {
		/* no positive spacing: every instant the same */
		char when[TS_TIME_BUFSIZE];
		ts_time_format(t[0], fmt, zone, when);
		snprintf(s->why, sizeof s->why, "irregular series: every timestamp is %s", when);
		return 0;
	}
	s->has_interval = true;
	if (ts_interval_check_grid(t, n, &s->interval, zone, fmt, &s->bad, &why) == 0)
		s->regular = true;
	else
		snprintf(s->why, sizeof s->why, "%s", why.msg);
	return 0;
}

int ts_span_resolve(const struct ts_span *sp, const struct ts_dur *interval, const char *what,
		    size_t *points, struct ts_err *err)
{
	char text[32], width[32];

	if (ts_span_divide(sp, interval, points) == 0)
		return 0;
	ts_dur_format(&sp->d, text);
	if (interval == NULL)
		return ts_err_set(err, TS_EDATA, "%s %s: the interval is unknown (give a count)", what, text);
	ts_dur_format(interval, width);
	return ts_err_set(err, TS_EDATA, "%s %s is not a whole number of %s intervals", what, text, width);
}

int ts_periods_resolve(const struct ts_span *spans, size_t n, const struct ts_dur *interval,
		       size_t *periods, struct ts_err *err)
{
	char text[32];
	int rc;

	for (size_t i = 0; i < n; i++) {
		if ((rc = ts_span_resolve(&spans[i], interval, "period", &periods[i], err)) != 0)
			return rc;
		if (periods[i] < 2) {
			ts_dur_format(&spans[i].d, text);
			return ts_err_set(err, TS_EDATA, "period %s is less than two points", text);
		}
	}
	return 0;
}
