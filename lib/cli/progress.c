/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress: the one-line progress text of a run over many series and its
 * timing; the caller owns the clock and the terminal. */
#include "cli/progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ts_progress_start(struct ts_progress *p, size_t series, size_t rows, double now, double delay)
{
	memset(p, 0, sizeof *p);
	p->total_series = series;
	p->total_rows = rows;
	p->start = now;
	p->delay = delay;
	p->last_draw = -INFINITY;
}

bool ts_progress_step(struct ts_progress *p, size_t rows, double now)
{
	bool last;

	p->done_series++;
	p->done_rows += rows;
	last = p->done_series >= p->total_series;
	if (last)
		return p->shown > 0 || p->delay <= 0;
	return now - p->start >= p->delay && now - p->last_draw >= TS_PROGRESS_EVERY;
}

/* Seconds as M:SS, or H:MM:SS from an hour on. */
static void format_eta(double seconds, char *buf, size_t size)
{
	unsigned long long s = seconds < 0 ? 0 : seconds > 3.6e8 ? 360000000ULL : (unsigned long long)(seconds + 0.5);

	if (s >= 3600)
		snprintf(buf, size, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%llu:%02llu", s / 60, s % 60);
}

size_t ts_progress_line(struct ts_progress *p, const char *prog, double now, char *buf, size_t size)
{
	double elapsed = now - p->start;
	int len;

	len = snprintf(buf, size, "\r%.40s: %zu/%zu series", prog, p->done_series, p->total_series);
	if (elapsed > 0 && p->done_rows > 0 && len > 0 && (size_t)len < size) {
		double rate = (double)p->done_rows / elapsed;
		char eta[32];
		format_eta((double)(p->total_rows - p->done_rows) / rate, eta, sizeof eta);
		len += snprintf(buf + len, size - (size_t)len, ", %.0f rows/s, ETA %s", rate, eta);
	}
	if (len < 0)
		len = 0;
	if ((size_t)len >= size)
		len = (int)size - 1;
	/* cover what is left of a longer line drawn before ("\r" is not shown) */
	while ((size_t)len - 1 < p->shown && (size_t)len + 1 < size)
		buf[len++] = ' ';
	buf[len] = '\0';
	p->shown = (size_t)len - 1;
	p->last_draw = now;
	return (size_t)len;
}

size_t ts_progress_clear(struct ts_progress *p, char *buf, size_t size)
{
	size_t len = 0;

	if (p->shown > 0 && size > 2) {
		buf[len++] = '\r';
		while (len < p->shown + 1 && len + 2 < size)
			buf[len++] = ' ';
		buf[len++] = '\r';
	}
	if (size > 0)
		buf[len] = '\0';
	p->shown = 0;
	return len;
}
