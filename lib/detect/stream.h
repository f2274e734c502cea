/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stream: the online detector of ts-detect --stream: per series, a season
 * and a few robust forecasters, the calibrated tail probability of each row
 * under the series' own recent errors, and a decision that reports an
 * incident once; and a keyed set of such states for long-format input. */
#ifndef TS_STREAM_H
#define TS_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "detect/detect.h"
#include "core/tserr.h"
#include "io/tstime.h"

/* The model (documented in ts-detect(1), Streaming):
 *   season      one cycle of length P (a fixed duration) cut into B bins of
 *               one interval; a row goes to the bin of its wall-clock phase,
 *               so irregular spacing, gaps and repeats are fine.
 *   forecasts   robust exponential smoothing (Huber-clipped updates) at
 *               three gains, of the values and of the values less their
 *               seasonal; the one with the smallest recent mean absolute
 *               error m forecasts f.
 *   surprise    z = (y - f) / m against a decayed histogram of the past z
 *               (log-spaced bins, each side apart) with an exponential tail
 *               beyond its top few percent: p = min(1, 2 min(P(Z >= z),
 *               P(Z <= z))), score = 1 - p.
 *   decision    p < p_alarm after the warm-up (and --direction, --min-delta,
 *               --min-ratio, --consecutive), once per incident: after a
 *               flag the series must be calm (no row with p < p_calm) for a
 *               while before the next one; --cooldown on top.
 * Memory per series: about 2 KiB plus 12 bytes per bin (ts_stream_bytes). */
/* The default alarm level: a row is flagged when its p is below 0.001, that
 * is, its score above 0.999. */
#define TS_STREAM_P_ALARM 1e-3

struct ts_stream_params {
	double p_alarm;			/* flag rows whose p is below this (> 0) */
	enum ts_direction direction;
	struct ts_dur season;		/* cycle length (fixed durations only); us == 0:
					 * inferred from the first rows' interval, as
					 * period_points intervals (0: ts_periods_for_interval's
					 * first period, none for yearly data) */
	size_t period_points;
	struct ts_dur season2;		/* a second, longer cycle given (0: for sub-daily */
	size_t period2_points;		/* data a week, when the first is inferred) */
	bool no_season;			/* -p none */
	enum { TS_WARMUP_SEASONS, TS_WARMUP_ROWS, TS_WARMUP_DUR } warmup_kind;
	size_t warmup_rows;		/* decisions are 0 for the first N rows, */
	ts_time warmup_us;		/* or until this long after the first row; */
					/* default: two seasons (32 rows without one) */
	double min_delta, min_ratio;	/* as the batch post filters (0: off) */
	size_t consecutive;		/* flag only the Nth surprising row in a row (0, 1: off) */
	struct ts_dur cooldown;		/* no flag within this after one (0: off) */
};

struct ts_stream;

/* New per-series state for p, which must outlive it (many states share
 * one). NULL on allocation failure. */
struct ts_stream *ts_stream_new(const struct ts_stream_params *p);
void ts_stream_free(struct ts_stream *st);

/* The decision for one row. */
struct ts_stream_out {
	bool anomaly;
	double score;				/* 1 - p; NaN when y is missing or unknown */
	double expected, lower, upper;		/* NaN when unknown; the band holds the
						 * values whose p is at least p_alarm */
	const char *reason;			/* "", "above expected", "below expected",
						 * or for a drift of the recent errors
						 * "run above expected", "run below expected" */
};

/* Decide the row (t, y) from the rows before it, then learn from it. zone
 * gives the wall clock for the phase. A missing y (NaN, or infinite) is
 * decided as not anomalous and not learned from; the forecast is still
 * given. */
void ts_stream_step(struct ts_stream *st, ts_time t, double y, const struct ts_zone *zone,
		    struct ts_stream_out *out);

/* Ask the processor for the state's hot memory before the row is stepped:
 * with many series in one stream the states lie far apart. Only a hint. */
void ts_stream_prefetch(const struct ts_stream *st);

/* What ts-detect -v says about a series. */
struct ts_stream_summary {
	size_t rows;			/* rows stepped */
	size_t anomalies;		/* rows flagged */
	struct ts_dur interval;		/* us == 0: not known yet */
	size_t bins;			/* bins of the season (0: none) */
	ts_time season_us;		/* 0: no season */
	size_t long_bins;		/* bins of the long season (0: none) */
	ts_time long_season_us;
	const char *forecaster_gain;	/* the forecaster in use ("" before any) */
	const char *forecaster_season;	/* "", " + season" or " + seasons" */
};
void ts_stream_summary(const struct ts_stream *st, struct ts_stream_summary *out);

/* Bytes the state of one series holds with B season bins. */
size_t ts_stream_bytes(size_t bins);

/* A keyed set of states: many series in one long-format stream. Keys are
 * byte strings (a key of several fields joined by the caller); series are
 * kept in first-seen order. */
struct ts_stream_set;

/* New empty set whose series will use p (copied). NULL on allocation failure. */
struct ts_stream_set *ts_stream_set_new(const struct ts_stream_params *p);
void ts_stream_set_free(struct ts_stream_set *set);

/* The state of the series with this key, created if new (*index is its
 * first-seen position, from 0). NULL and TS_ENOMEM in err on allocation
 * failure (the set is unchanged). */
struct ts_stream *ts_stream_set_get(struct ts_stream_set *set, const char *key, size_t len,
				    size_t *index, struct ts_err *err);

/* Series count, and the key and state of series i (first-seen order). */
size_t ts_stream_set_count(const struct ts_stream_set *set);
const char *ts_stream_set_key(const struct ts_stream_set *set, size_t i, size_t *len);
const struct ts_stream *ts_stream_set_state(const struct ts_stream_set *set, size_t i);

#endif
