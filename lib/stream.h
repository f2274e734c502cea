/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stream: the online detector of ts-detect --stream: a seasonal level model
 * updated row by row with robust (clipped) updates, in bounded memory per
 * series, deciding each row from earlier rows only. */
#ifndef TS_STREAM_H
#define TS_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "detect.h"
#include "err.h"
#include "tstime.h"

/* The model (documented in ts-detect(1), STREAMING):
 *   season      one seasonal cycle of length P (a fixed duration), cut into B
 *               bins; a row goes to the bin of its wall-clock phase in the
 *               cycle, so irregular spacing, gaps and repeats are fine.
 *   forecast    f = level + s[bin]
 *   residual    e = y - f; scale d = robust running mean absolute residual,
 *               globally and per bin, sigma = 1.2533 sqrt((dg^2 + db^2) / 2)
 *               sqrt(1 + 1 / v), v the visits of the bin so far
 *   decision    |e| > k sigma (and --direction), after the warm-up
 *   update      e clipped to +-c sigma (Huber, c = 2), so an outlier moves
 *               the model by at most c sigma times the gains:
 *                 level += a e',  s[bin] += g (1 - a) e'  (Holt-Winters, Brutlag)
 *                 dg += b (min(|e|, 5 dg) - dg) (b / 10 on a flagged row),
 *                 db[bin] likewise with g (not on a flagged row)
 *               gains start as running means (a = max(alpha, 1 / n), g =
 *               max(gamma, 1 / visits of the bin)) and settle at alpha = 0.05,
 *               gamma = 0.2, b = 0.05.
 *   persistence a shift that lasts: after `adapt` consecutive flagged rows on
 *               the same side the level is reset to the last value, so a new
 *               normal is learned instead of alerting for ever.
 *   restart     more than half the recent rows flagged (exponential average
 *               over two adapt limits), for at least two limits: the model
 *               starts again from that row, warm-up included.
 * Without a given season the first 16 rows give the interval (the median
 * positive spacing) and so the season; they are learned from once it is
 * known. B is the season over the interval, at most 4096.
 * Memory per series: 3 B + 40 doubles. */
struct ts_stream_params {
	double k;			/* threshold in sigmas (3) */
	enum ts_direction direction;
	struct ts_dur season;		/* cycle length (fixed durations only); us == 0:
					 * inferred from the first rows' interval, as
					 * period_points intervals (0: ts_periods_for_interval's
					 * first period, none for yearly data) */
	size_t period_points;
	bool no_season;			/* -p none */
	enum { TS_WARMUP_SEASONS, TS_WARMUP_ROWS, TS_WARMUP_DUR } warmup_kind;
	size_t warmup_rows;		/* decisions are 0 for the first N rows, */
	ts_time warmup_us;		/* or until this long after the first row; */
					/* default: two seasons (32 rows without one) */
	size_t adapt;			/* persistence limit in rows (0: one season of bins) */
	double min_delta, min_ratio;	/* as the batch post filters */
};

struct ts_stream;

/* New per-series state for p (copied). NULL on allocation failure. */
struct ts_stream *ts_stream_new(const struct ts_stream_params *p);
void ts_stream_free(struct ts_stream *st);

/* The decision for one row. */
struct ts_stream_out {
	bool anomaly;
	double score, expected, lower, upper;	/* NaN when unknown */
	const char *reason;			/* "", "above expected", "below expected" */
};

/* Decide the row (t, y) from the rows before it, then learn from it. zone
 * gives the wall clock for the phase. A missing y (NaN) is decided as not
 * anomalous and not learned from; the forecast is still given. */
void ts_stream_step(struct ts_stream *st, ts_time t, double y, const struct ts_zone *zone,
		    struct ts_stream_out *out);

#endif
