/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stream: online robust seasonal model. Additive Holt-Winters level and
 * seasonal updates (Holt 1957, Winters 1960) with Brutlag's (2000, LISA)
 * seasonal deviations, made robust by clipping residuals as a Huber
 * M-estimator would (Gelper, Fried & Croux 2010, J. Forecasting 29). */
#include "stream.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "period.h"

#define INFER_ROWS 16
#define MAX_BINS 4096
#define ALPHA 0.05		/* level gain */
#define GAMMA 0.2		/* seasonal gain, per visit of a bin */
#define BETA 0.05		/* global deviation gain */
#define CLIP 2.0		/* Huber clip, in sigmas */
#define DEV_CLIP 5.0		/* deviation updates clipped at 5 mean deviations */
#define MAD_TO_SIGMA 1.2533141373155003	/* sqrt(pi / 2): mean |e| -> sigma */
#define RESTART_RATE 0.5	/* flagged share of recent rows that means a new regime */

struct ts_stream {
	struct ts_stream_params p;
	bool ready;		/* season known */
	ts_time season_us;	/* 0: no season */
	size_t bins;
	double *s, *db;		/* seasonal, per-bin mean |e| */
	unsigned *visits, *dvisits;
	double level, dg;
	size_t n, ndev;		/* rows learned; deviation updates */
	bool have_first;
	ts_time first;
	size_t seen;		/* rows decided */
	int run_side;
	size_t run_len;
	double flag_rate;	/* flagged share of recent rows (exponential, two adapt limits) */
	size_t nbuf;
	ts_time tbuf[INFER_ROWS];
	double ybuf[INFER_ROWS];
};

struct ts_stream *ts_stream_new(const struct ts_stream_params *p)
{
	struct ts_stream *st = ts_calloc(1, sizeof *st);

	if (st == NULL)
		return NULL;
	st->p = *p;
	return st;
}

void ts_stream_free(struct ts_stream *st)
{
	if (st == NULL)
		return;
	free(st->s);
	free(st->db);
	free(st->visits);
	free(st->dvisits);
	free(st);
}

static int cmp_time(const void *a, const void *b)
{
	ts_time x = *(const ts_time *)a, y = *(const ts_time *)b;

	return (x > y) - (x < y);
}

/* Allocate the season's bins; false on allocation failure (then no season). */
static bool set_season(struct ts_stream *st, ts_time season_us, size_t bins)
{
	free(st->s);
	free(st->db);
	free(st->visits);
	free(st->dvisits);
	st->s = st->db = NULL;
	st->visits = st->dvisits = NULL;
	if (season_us <= 0 || bins < 2) {
		season_us = 0;
		bins = 1;
	}
	if (bins > MAX_BINS)
		bins = MAX_BINS;
	st->s = ts_calloc(bins, sizeof *st->s);
	st->db = ts_calloc(bins, sizeof *st->db);
	st->visits = ts_calloc(bins, sizeof *st->visits);
	st->dvisits = ts_calloc(bins, sizeof *st->dvisits);
	if (st->s == NULL || st->db == NULL || st->visits == NULL || st->dvisits == NULL)
		return false;
	st->season_us = season_us;
	st->bins = bins;
	st->ready = true;
	return true;
}

/* The interval from the buffered rows (median positive spacing), then the
 * season: the given count of intervals, or the first period the interval
 * implies. */
static bool infer_season(struct ts_stream *st)
{
	ts_time t[INFER_ROWS], gaps[INFER_ROWS];
	size_t ng = 0, period;
	struct ts_dur interval = { 0 };
	size_t periods[2];

	memcpy(t, st->tbuf, st->nbuf * sizeof *t);
	qsort(t, st->nbuf, sizeof *t, cmp_time);
	for (size_t i = 1; i < st->nbuf; i++)
		if (t[i] > t[i - 1])
			gaps[ng++] = t[i] - t[i - 1];
	if (ng == 0)
		return set_season(st, 0, 1);
	qsort(gaps, ng, sizeof *gaps, cmp_time);
	interval.us = gaps[ng / 2];
	if (st->p.season.us > 0) {
		size_t bins = (size_t)(st->p.season.us / interval.us);
		return set_season(st, st->p.season.us, bins);
	}
	period = st->p.period_points;
	if (period == 0) {
		period = ts_periods_for_interval(&interval, 0, periods) > 0 ? periods[0] : 0;
	}
	if (period < 2 || interval.us > INT64_MAX / (ts_time)period)
		return set_season(st, 0, 1);
	return set_season(st, interval.us * (ts_time)period, period);
}

static size_t bin_of(const struct ts_stream *st, ts_time t, const struct ts_zone *zone)
{
	ts_time wall, phase;

	if (st->season_us == 0)
		return 0;
	wall = t + (ts_time)ts_zone_offset(zone, t) * TS_US_PER_S;
	phase = wall % st->season_us;
	if (phase < 0)
		phase += st->season_us;
	/* phase * bins without overflow: both below 2^63 / MAX_BINS in practice,
	 * and long double keeps the product exact enough for the floor. */
	return (size_t)((long double)phase * (long double)st->bins / (long double)st->season_us);
}

static double clamp(double v, double lim)
{
	return v > lim ? lim : v < -lim ? -lim : v;
}

/* Forget everything learned but the season's length; y at time t in bin b
 * is the first row again. */
static void restart(struct ts_stream *st, size_t b, double y, ts_time t)
{
	memset(st->s, 0, st->bins * sizeof *st->s);
	memset(st->db, 0, st->bins * sizeof *st->db);
	memset(st->visits, 0, st->bins * sizeof *st->visits);
	memset(st->dvisits, 0, st->bins * sizeof *st->dvisits);
	st->level = y;
	st->visits[b] = 1;
	st->n = 1;
	st->dg = 0;
	st->ndev = 0;
	st->run_len = 0;
	st->flag_rate = 0;
	st->first = t;
	st->seen = 0;
}

/* Learn from a row whose residual against f was e (bin b). */
static void learn(struct ts_stream *st, size_t b, double y, double e, double sigma, bool flagged,
		  ts_time t)
{
	double a, g, ae = fabs(e), ec;

	if (st->n == 0) {
		st->level = y;
		st->s[b] = 0;
		st->visits[b] = 1;
		st->n = 1;
		return;
	}
	/* Clip once the scale means something. */
	ec = st->ndev >= 8 && sigma > 0 ? clamp(e, CLIP * sigma) : e;
	a = 1.0 / (double)(st->n + 1);
	if (a < ALPHA)
		a = ALPHA;
	g = 1.0 / (double)(st->visits[b] + 1);
	if (g < GAMMA)
		g = GAMMA;
	st->level += a * ec;
	st->s[b] += g * (1 - a) * ec;
	st->visits[b]++;
	st->n++;
	/* Deviations: running means first, then exponential; big residuals
	 * clipped, and a flagged row barely counts (a tenth of the gain), so an
	 * incident does not inflate the scale that judges it, while a lasting
	 * rise of the noise is still learned. */
	if (st->ndev >= 8 && ae > DEV_CLIP * st->dg)
		ae = DEV_CLIP * st->dg;
	st->ndev++;
	st->dg += (ae - st->dg) * (1.0 / (double)st->ndev > BETA ? 1.0 / (double)st->ndev : BETA) *
		  (flagged ? 0.1 : 1);
	if (!flagged) {
		double ab = fabs(e), gb;
		if (st->dvisits[b] >= 2 && ab > DEV_CLIP * st->db[b])
			ab = DEV_CLIP * st->db[b];
		st->dvisits[b]++;
		gb = 1.0 / (double)st->dvisits[b];
		if (gb < GAMMA)
			gb = GAMMA;
		st->db[b] += (ab - st->db[b]) * gb;
	}
	/* A shift that persists becomes the new normal. */
	size_t limit = st->p.adapt > 0 ? st->p.adapt : (st->bins > 1 ? st->bins : 24);
	if (flagged) {
		int side = e > 0 ? 1 : -1;
		st->run_len = side == st->run_side ? st->run_len + 1 : 1;
		st->run_side = side;
		if (st->run_len >= limit) {
			st->level = y - st->s[b];
			st->run_len = 0;
		}
	} else {
		st->run_len = 0;
	}
	/* Most rows flagged, on either side, for longer than two limits: the
	 * series has changed in a way a level reset does not mend (after a
	 * long block of odd values the seasonal and the scale are wrong too,
	 * and the clipped updates would take months to repair them), so the
	 * model starts again from this row, warm-up included. */
	st->flag_rate += ((flagged ? 1.0 : 0.0) - st->flag_rate) / (double)(2 * limit);
	if (st->n > 2 * limit && st->flag_rate > RESTART_RATE)	/* n: rows since the (re)start */
		restart(st, b, y, t);
}

static bool in_warmup(const struct ts_stream *st, ts_time t)
{
	switch (st->p.warmup_kind) {
	case TS_WARMUP_ROWS:
		return st->seen < st->p.warmup_rows;
	case TS_WARMUP_DUR:
		return t - st->first < st->p.warmup_us;
	default:
		if (st->season_us == 0)
			return st->seen < 2 * INFER_ROWS;
		return t - st->first < 2 * st->season_us;
	}
}

/* Forecast, decide and learn one row of a series whose season is known. */
static void step_ready(struct ts_stream *st, ts_time t, double y, const struct ts_zone *zone,
		       struct ts_stream_out *out, bool decide)
{
	size_t b = bin_of(st, t, zone);
	double f, sigma, e, lim;

	if (st->n == 0) {
		if (decide) {
			out->expected = out->lower = out->upper = out->score = NAN;
		}
		if (isfinite(y))
			learn(st, b, y, y, 0, false, t);
		return;
	}
	f = st->level + (st->visits[b] > 0 ? st->s[b] : 0);
	sigma = st->dvisits[b] >= 2 ? MAD_TO_SIGMA * sqrt((st->dg * st->dg + st->db[b] * st->db[b]) / 2)
				    : MAD_TO_SIGMA * st->dg;
	/* The forecast's own uncertainty: a seasonal mean of v visits adds 1 / v
	 * of the noise variance (large while the model is young). */
	sigma *= sqrt(1 + 1.0 / (double)(st->visits[b] > 0 ? st->visits[b] : 1));
	lim = sigma > 1e-12 * (1 + fabs(f)) ? sigma : 1e-12 * (1 + fabs(f));
	e = y - f;
	if (decide) {
		out->expected = f;
		out->lower = f - st->p.k * sigma;
		out->upper = f + st->p.k * sigma;
		out->score = isfinite(y) ? e / lim : NAN;
		if (isfinite(y) && !in_warmup(st, t) && fabs(e) > st->p.k * lim &&
		    (st->p.direction == TS_DIR_BOTH || (st->p.direction == TS_DIR_UP) == (e > 0)) &&
		    !(st->p.min_delta > 0 && fabs(e) < st->p.min_delta) &&
		    !(st->p.min_ratio > 0 && fabs(e) < st->p.min_ratio * fabs(f))) {
			out->anomaly = true;
			out->reason = e > 0 ? "above expected" : "below expected";
		}
	}
	if (isfinite(y))
		learn(st, b, y, e, sigma, isfinite(y) && fabs(e) > st->p.k * lim, t);
}

void ts_stream_step(struct ts_stream *st, ts_time t, double y, const struct ts_zone *zone,
		    struct ts_stream_out *out)
{
	out->anomaly = false;
	out->score = out->expected = out->lower = out->upper = NAN;
	out->reason = "";
	if (isinf(y))
		y = NAN;
	if (!st->have_first) {
		st->have_first = true;
		st->first = t;
	}
	if (!st->ready && st->nbuf == 0 && st->p.no_season && !set_season(st, 0, 1))
		return;
	if (!st->ready) {
		/* Learning the interval: remember the row, decide nothing. */
		if (st->nbuf == INFER_ROWS)
			return;	/* out of memory earlier: stay silent */
		st->tbuf[st->nbuf] = t;
		st->ybuf[st->nbuf] = y;
		st->nbuf++;
		st->seen++;
		if (st->nbuf == INFER_ROWS && (infer_season(st) || set_season(st, 0, 1))) {
			for (size_t i = 0; i < st->nbuf; i++)
				step_ready(st, st->tbuf[i], st->ybuf[i], zone, out, false);
		}
		return;
	}
	step_ready(st, t, y, zone, out, true);
	st->seen++;
}
