/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress: the one-line progress of a run over many series (series done of
 * all, rows per second, time left), when to redraw it and how to clear it. */
#ifndef TS_PROGRESS_H
#define TS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* A line is first drawn once the run has taken TS_PROGRESS_DELAY seconds
 * (a short run shows nothing), then at most every TS_PROGRESS_EVERY. */
#define TS_PROGRESS_DELAY 1.0
#define TS_PROGRESS_EVERY 0.25

/* Longest line drawn, the clearing spaces included. */
#define TS_PROGRESS_LINE_MAX 160

/* One run's progress. Times are seconds on any monotonic clock. */
struct ts_progress {
	size_t total_series, total_rows;
	size_t done_series, done_rows;
	double start, delay;	/* delay: before the first line (0: at once) */
	double last_draw;
	size_t shown;		/* width of the line on the screen, 0 when none */
};

/* Start a run of series holding rows in all at now; the first line waits
 * delay seconds (TS_PROGRESS_DELAY on a terminal; 0 when asked for). */
void ts_progress_start(struct ts_progress *p, size_t series, size_t rows, double now, double delay);

/* One more series of rows done at now. Returns whether a line is due: the
 * delay is over and the last line is TS_PROGRESS_EVERY old, or this is the
 * last series and a line was drawn before (so the screen ends on it) or the
 * delay is 0. */
bool ts_progress_step(struct ts_progress *p, size_t rows, double now);

/* The line for now into buf (size bytes, at least TS_PROGRESS_LINE_MAX;
 * terminated): "\r", then "PROG: D/N series, R rows/s, ETA T", padded with
 * spaces over a longer line drawn before. Rows per second are the rows done
 * over the time taken, the ETA the rows left at that rate (M:SS, or H:MM:SS
 * from an hour on); both are left out before any time has passed or any row
 * is done. Marks the line as shown. Returns its length. */
size_t ts_progress_line(struct ts_progress *p, const char *prog, double now, char *buf, size_t size);

/* What erases the line shown ("\r", spaces, "\r") into buf (size bytes, at
 * least TS_PROGRESS_LINE_MAX); "" when none is. Marks it erased. Returns its
 * length. */
size_t ts_progress_clear(struct ts_progress *p, char *buf, size_t size);

#endif
