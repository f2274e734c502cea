/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stream: online robust forecasting with calibrated surprise. Exponential
 * smoothing (Brown 1956) with additive seasonals, one or two (Winters 1960;
 * Taylor 2003, J. Oper. Res. Soc. 54), made robust by Huber-clipped updates
 * (Gelper, Fried & Croux 2010, J. Forecasting 29); the tail probability of
 * each error under a decayed histogram of the series' own past errors, with
 * a peaks-over-threshold exponential tail beyond its body (Pickands 1975;
 * Davison & Smith 1990); the recent mean error judged the same way, as HTM's
 * anomaly likelihood judges its averaged raw score (Ahmad et al. 2017,
 * Neurocomputing 262); one report per incident, which is what the Numenta
 * Anomaly Benchmark rewards (Lavin & Ahmad 2015). */
#include "detect/stream.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "series/period.h"

#define INFER_ROWS 16		/* rows that give the interval */
#define MAX_BINS 4096		/* bins of the season */
#define LONG_BINS 168		/* bins of the long season (a week: hours) */
#define NGAIN 2			/* forecaster gains: slow, last value */
#define NKIND 3			/* no season, the season, both seasons */
#define HBINS 48		/* histogram bins per side: |z| from 2^-4 to 2^8 */
#define HSTEP 4			/* bins per octave */
#define HLOW (-4 * HSTEP)	/* bin j holds HSTEP log2 |z| in [j + HLOW, j + HLOW + 1) */
#define REFRESH 32		/* rows between refreshes of the tail tables */

/* The model's constants (ts-detect(1), Streaming, gives them). */
static const double gains[NGAIN] = { 0.02, 1.0 };	/* level gains */
#define SEASON_GAIN 0.25	/* a season's share of its error, per cycle */
#define FREE_CYCLES 2		/* a season's first cycles learn unclipped */
#define CLIP 3.0		/* Huber clip of updates, in mean absolute errors */
#define ERR_GAIN 0.01		/* mean absolute errors */
#define ERR_CLIP 5.0		/* |e| counted at most this many mean absolute errors */
#define SPREAD_GAIN (1.0 / 1024)	/* long mean |y - slow level| */
#define SPREAD_FLOOR 0.1	/* the scale is at least this share of it */
#define HIST_GAIN (1.0 / 2048)	/* histogram forgetting per row */
#define TAIL_SHARE 0.05		/* the exponential tail holds this upper share */
#define PRIOR_ROWS 32.0		/* weight of the Laplace prior in the histograms */
#define DRIFT_GAIN (1.0 / 12)	/* the recent mean error */
#define WARMUP_MIN 64		/* rows, with one season, before any decision */
#define CALM_SHARE 0.5		/* calm rows that end an incident, share of a season */
#define CALM_MIN 12		/* ... and at least this many */

static const char *const kind_names[NKIND] = { "", " + season", " + seasons" };
static const char *const gain_names[NGAIN] = { "slow level", "last value" };

/* One side of a distribution: its tail beyond zu, and its quantile at the
 * alarm level. */
struct tail {
	double zu, pu, beta;		/* beyond zu: P(Z >= z) = pu exp(-(z - zu) / beta) */
	double zq;			/* z whose tail probability is p_alarm / 2 */
	double zc;			/* ... and p_calm / 2 */
};

/* A decayed histogram of standardised values and its tail tables. Each new
 * row weighs 1 / (1 - HIST_GAIN) times the one before, w being the next
 * row's weight; all is scaled back down now and then. */
struct dist {
	double hzero, hmass, w;		/* |z| below 2^-4; all rows; next weight */
	double zero_share;
	struct tail up, down;
	float hpos[HBINS], hneg[HBINS];	/* z > 0 and z < 0 by |z| */
	/* For the errors' p, each side's share of all rows beyond bin j's
	 * lower edge, in 65535ths (resolution enough for p >= 2 TAIL_SHARE);
	 * the drift needs only the quantiles. */
	uint16_t (*above)[HBINS + 1];	/* [0] up, [1] down; NULL: none */
};

/* A season: a cycle of len_us cut into bins, each an additive offset. */
struct season {
	ts_time len_us;			/* 0: none */
	size_t bins;
	double rows_per_bin;		/* rows a bin sees per cycle */
	struct bin {
		float s;		/* the offset */
		uint32_t visits;
	} *bin;
};

struct ts_stream {
	const struct ts_stream_params *p;	/* the caller's, shared by many series */
	bool ready;			/* interval and seasons known */
	struct ts_dur interval;
	struct season main, lng;
	/* forecasters: level per kind and gain; the mean absolute error as a
	 * scale (robust) and for the choice (plain) */
	double level[NKIND][NGAIN], mae[NKIND][NGAIN], sel[NKIND][NGAIN];
	double spread;
	size_t n;			/* rows learned */
	int best_kind, best_gain;	/* forecaster in use; best_kind < 0 before any */
	struct dist err;		/* z: errors of the forecaster in use */
	uint16_t err_above[2][HBINS + 1];
	struct dist drift;		/* zbar: recent mean error of the best slow one */
	double zbar;
	size_t since_refresh;
	/* decision */
	bool have_first, armed, have_flag;
	ts_time first, last_flag;
	size_t seen, calm, run, flagged;
	/* the first rows, before the interval is known (freed then) */
	size_t nbuf;
	struct first_rows {
		ts_time t[INFER_ROWS];
		double y[INFER_ROWS];
	} *buf;
};

/* ---- distributions ---- */

/* The bin edges of one octave, 2^(q / HSTEP) for q in [0, HSTEP): every
 * other octave's are these times a power of two, which ldexp makes exactly. */
static const double octave_edge[HSTEP] = { 1, 1.189207115002721, 1.4142135623730951, 1.681792830507429 };

/* Lower edge of histogram bin j in [0, HBINS], 2^((j + HLOW) / HSTEP);
 * edge(HBINS) is the top of the histogram. */
static double edge(int j)
{
	return ldexp(octave_edge[j % HSTEP], j / HSTEP + HLOW / HSTEP);
}

/* log2 x for finite x > 0, to about 2e-4: the exponent, and a quartic
 * least-squares fit of log2 on the mantissa in [1, 2). Bins need no more. */
static double fast_log2(double x)
{
	uint64_t bits;
	double m;
	int e;

	memcpy(&bits, &x, sizeof bits);
	e = (int)((bits >> 52) & 0x7ff) - 1023;
	bits = (bits & UINT64_C(0x000fffffffffffff)) | UINT64_C(0x3ff0000000000000);
	memcpy(&m, &bits, sizeof m);
	return e + (-2.496765276 + (4.028352076 + (-2.08104189 + (0.6288087785 - 0.07914941731 * m) * m) * m) * m);
}

/* Histogram bin of |z| > 0 (-1 below the first), and where in it (0..1)
 * |z| falls, uniformly in log |z|. */
static int hbin(double az, double *frac)
{
	double u = HSTEP * fast_log2(az) - HLOW;
	int f;

	if (!(u >= 0)) {
		*frac = 0;
		return -1;
	}
	if (u >= HBINS) {
		*frac = 1;
		return HBINS - 1;
	}
	f = (int)u;
	*frac = u - f;
	return f;
}

/* The z whose tail probability is p_half, on the side of t whose shares
 * beyond each bin are share (the tail from bin ju on). */
static double quantile(const struct tail *t, const double *share, int ju, double p_half)
{
	int j = ju - 1;
	double in, frac;

	if (p_half <= t->pu)
		return t->zu + t->beta * log(t->pu / p_half);
	while (j >= 0 && share[j] < p_half)
		j--;
	if (j < 0)
		return 0;
	/* share[j] >= p_half > share[j + 1] */
	in = share[j] - share[j + 1];
	frac = in > 0 ? (share[j] - p_half) / in : 0;
	return exp2((j + HLOW + frac) / HSTEP);
}

/* The tail table of one side from its bins, with the quantiles at p_half
 * and pc_half. */
static void tail_build(const float *h, double mass, double p_half, double pc_half, struct tail *t,
		       uint16_t *above)
{
	double sum = 0, excess = 0, inv = 1 / mass;
	int ju = HBINS - 1;

	double share[HBINS + 1];

	share[HBINS] = 0;
	for (int j = HBINS - 1; j >= 0; j--) {
		sum += h[j];
		share[j] = sum * inv < 1 ? sum * inv : 1;
		if (share[j] <= TAIL_SHARE)
			ju = j;
	}
	if (above != NULL)
		for (int j = 0; j <= HBINS; j++)
			above[j] = (uint16_t)(share[j] * 65535 + 0.5);
	/* The exponential tail starts at the lowest bin edge above which lies
	 * at most TAIL_SHARE of the rows; its scale is the mean excess over
	 * that edge (with next to nothing above, the width of a bin). */
	t->zu = edge(ju);
	t->pu = share[ju];
	for (int j = ju; j < HBINS; j++)
		excess += h[j] * inv * (edge(j) * 1.0905077326652577 - t->zu);	/* bin middle: 2^(1/8) */
	t->beta = t->pu > 1e-12 ? excess / t->pu : 0;
	if (t->beta < t->zu * 0.189207115002721)	/* 2^(1/4) - 1 */
		t->beta = t->zu * 0.189207115002721;
	if (t->pu < 1e-12)
		t->pu = 1e-12;
	t->zq = quantile(t, share, ju, p_half);
	t->zc = quantile(t, share, ju, pc_half);
}

static void dist_refresh(struct dist *d, double p_half, double pc_half)
{
	double mass = d->hmass > 0 ? d->hmass : 1;

	d->zero_share = d->hzero / mass;
	tail_build(d->hpos, mass, p_half, pc_half, &d->up, d->above != NULL ? d->above[0] : NULL);
	tail_build(d->hneg, mass, p_half, pc_half, &d->down, d->above != NULL ? d->above[1] : NULL);
}

/* P(Z >= az) on one side, az > 0 in bin j at frac. */
static double tail_p(const struct tail *t, const uint16_t *above, double zero_share, double az,
		     int j, double frac)
{
	if (az >= t->zu)
		return t->pu * exp(-(az - t->zu) / t->beta);
	if (j < 0)
		return above[0] / 65535.0 + zero_share / 2;
	return (above[j + 1] + (above[j] - above[j + 1]) * (1 - frac)) / 65535.0;
}

/* Two-sided tail probability of z (d has the above tables), and its bin
 * (for dist_learn). */
static double dist_prob(const struct dist *d, double z, int *bin)
{
	double p, frac, az = fabs(z);

	*bin = -1;
	if (z == 0)
		return 1;
	if (isinf(z))
		return 0;
	*bin = hbin(az, &frac);
	p = 2 * (z > 0 ? tail_p(&d->up, d->above[0], d->zero_share, az, *bin, frac)
		       : tail_p(&d->down, d->above[1], d->zero_share, az, *bin, frac));
	return p < 1 ? p : 1;
}

/* Count z (finite), whose bin dist_prob gave. */
static void dist_learn(struct dist *d, double z, int bin)
{
	if (bin < 0)
		d->hzero += d->w;
	else if (z > 0)
		d->hpos[bin] += (float)d->w;
	else
		d->hneg[bin] += (float)d->w;
	d->hmass += d->w;
	d->w /= 1 - HIST_GAIN;
	if (d->w > 1e20) {
		for (int j = 0; j < HBINS; j++) {
			d->hpos[j] = (float)(d->hpos[j] / d->w);
			d->hneg[j] = (float)(d->hneg[j] / d->w);
		}
		d->hzero /= d->w;
		d->hmass /= d->w;
		d->w = 1;
	}
}

/* A Laplace prior (mean |z| 1) worth PRIOR_ROWS rows, so that a young
 * series is judged cautiously. */
static void dist_prior(struct dist *d)
{
	uint16_t (*above)[HBINS + 1] = d->above;

	memset(d, 0, sizeof *d);
	d->above = above;
	d->w = 1;
	for (int j = -1; j < HBINS; j++) {
		double lo = j < 0 ? 0 : edge(j), hi = edge(j + 1);
		double m = PRIOR_ROWS / 2 * (exp(-lo) - exp(-hi));
		if (j < 0) {
			d->hzero += 2 * m;
		} else {
			d->hpos[j] += (float)m;
			d->hneg[j] += (float)m;
		}
		d->hmass += 2 * m;
	}
}

/* Rows calm enough to end an incident: none beyond the alarm level, or
 * the default one when that is stricter (at a loose level, say p < 0.3,
 * most rows would alarm and an incident would never end). */
static double p_calm(const struct ts_stream *st)
{
	return st->p->p_alarm < TS_STREAM_P_ALARM ? st->p->p_alarm : TS_STREAM_P_ALARM;
}

static void refresh(struct ts_stream *st)
{
	dist_refresh(&st->err, st->p->p_alarm / 2, p_calm(st) / 2);
	dist_refresh(&st->drift, st->p->p_alarm / 2, p_calm(st) / 2);
	st->since_refresh = 0;
}

/* ---- state ---- */

struct ts_stream *ts_stream_new(const struct ts_stream_params *p)
{
	struct ts_stream *st = ts_calloc(1, sizeof *st);

	if (st == NULL)
		return NULL;
	if ((st->buf = ts_calloc(1, sizeof *st->buf)) == NULL) {
		free(st);
		return NULL;
	}
	st->p = p;
	st->best_kind = -1;
	st->armed = true;
	st->err.above = st->err_above;
	dist_prior(&st->err);
	dist_prior(&st->drift);
	refresh(st);
	return st;
}

static void season_free(struct season *s)
{
	free(s->bin);
	memset(s, 0, sizeof *s);
}

void ts_stream_free(struct ts_stream *st)
{
	if (st == NULL)
		return;
	season_free(&st->main);
	season_free(&st->lng);
	free(st->buf);
	free(st);
}

size_t ts_stream_bytes(size_t bins)
{
	return sizeof(struct ts_stream) + (bins + LONG_BINS) * sizeof(struct bin);
}

/* ---- seasons ---- */

static int cmp_time(const void *a, const void *b)
{
	ts_time x = *(const ts_time *)a, y = *(const ts_time *)b;

	return (x > y) - (x < y);
}

/* A season of len_us in bins of one interval, at most max_bins; none when
 * it would have fewer than two. False on allocation failure (then none). */
static bool season_init(struct season *s, ts_time len_us, ts_time interval_us, size_t max_bins)
{
	ts_time bins = len_us > 0 && interval_us > 0 ? len_us / interval_us : 0;

	season_free(s);
	if (bins < 2)
		return true;
	if ((size_t)bins > max_bins)
		bins = (ts_time)max_bins;
	if ((s->bin = ts_calloc((size_t)bins, sizeof *s->bin)) == NULL)
		return false;
	s->len_us = len_us;
	s->bins = (size_t)bins;
	s->rows_per_bin = (double)len_us / (double)interval_us / (double)bins;
	return true;
}

/* A span of n intervals, 0 when it does not fit. */
static ts_time times_interval(size_t n, ts_time interval_us)
{
	return n > 0 && n <= (size_t)(INT64_MAX / interval_us) ? (ts_time)n * interval_us : 0;
}

/* The interval from the buffered rows (the median positive spacing), then
 * the seasons: the given ones, or those the interval implies (for sub-daily
 * data a day, and a week over it). Without memory for them, none. */
static void infer_seasons(struct ts_stream *st)
{
	ts_time t[INFER_ROWS], gaps[INFER_ROWS], len = 0, len2 = 0;
	size_t ng = 0, periods[2] = { 0, 0 }, np;

	st->ready = true;
	memcpy(t, st->buf->t, st->nbuf * sizeof *t);
	qsort(t, st->nbuf, sizeof *t, cmp_time);
	for (size_t i = 1; i < st->nbuf; i++)
		if (t[i] > t[i - 1])
			gaps[ng++] = t[i] - t[i - 1];
	if (ng == 0)
		return;
	qsort(gaps, ng, sizeof *gaps, cmp_time);
	st->interval.us = gaps[ng / 2];
	if (st->p->no_season)
		return;
	if (st->p->season.us > 0 || st->p->period_points > 0) {
		len = st->p->season.us > 0 ? st->p->season.us
					  : times_interval(st->p->period_points, st->interval.us);
		len2 = st->p->season2.us > 0 ? st->p->season2.us
					    : times_interval(st->p->period2_points, st->interval.us);
	} else {
		np = ts_periods_for_interval(&st->interval, INT64_MAX, periods);
		if (np > 0)
			len = times_interval(periods[0], st->interval.us);
		if (np > 1 && st->interval.us < TS_US_PER_DAY)
			len2 = times_interval(periods[1], st->interval.us);
	}
	if (!season_init(&st->main, len, st->interval.us, MAX_BINS))
		return;
	if (st->main.bins > 0 && len2 > len && !season_init(&st->lng, len2, st->interval.us, LONG_BINS))
		return;
}

static size_t bin_of(const struct season *s, ts_time wall)
{
	ts_time phase;

	if (s->bins == 0)
		return 0;
	phase = wall % s->len_us;
	if (phase < 0)
		phase += s->len_us;
	return (size_t)((long double)phase * (long double)s->bins / (long double)s->len_us);
}

static double clamp(double v, double lim)
{
	return v > lim ? lim : v < -lim ? -lim : v;
}

/* ---- forecasting ---- */

struct phase {
	size_t b, bl;			/* the row's bins in the two seasons */
};

static double seasonal(const struct ts_stream *st, int kind, const struct phase *ph)
{
	double v = 0;

	if (kind >= 1 && st->main.bin[ph->b].visits > 0)
		v += st->main.bin[ph->b].s;
	if (kind >= 2 && st->lng.bin[ph->bl].visits > 0)
		v += st->lng.bin[ph->bl].s;
	return v;
}

static int kinds(const struct ts_stream *st)
{
	return st->lng.bins > 0 ? 3 : st->main.bins > 0 ? 2 : 1;
}

/* Update a season's bin with error e, the gain per cycle spread over the
 * rows the bin sees in a cycle; running means first (when running), then
 * clipped at lim. */
static void season_learn(struct season *s, size_t b, double e, double lim, bool running)
{
	struct bin *bn = &s->bin[b];
	double g = SEASON_GAIN / s->rows_per_bin;

	if (!running || bn->visits >= FREE_CYCLES * s->rows_per_bin)
		e = clamp(e, lim);
	if (bn->visits < UINT32_MAX)
		bn->visits++;
	if (running && g < 1.0 / (double)bn->visits)
		g = 1.0 / (double)bn->visits;
	bn->s = (float)(bn->s + g * e);
}

/* Learn the row: every forecaster's error and level, the seasons, and the
 * choice of forecaster. */
static void learn(struct ts_stream *st, const struct phase *ph, double y)
{
	int nk = kinds(st), top = nk - 1;
	double inv_n, eg, fg, sv[NKIND];

	if (st->n == 0) {
		for (int k = 0; k < NKIND; k++)
			for (int g = 0; g < NGAIN; g++)
				st->level[k][g] = y;
		st->n = 1;
		st->best_kind = 0;
		st->best_gain = 0;
		return;
	}
	/* Gains start as running means. */
	inv_n = 1.0 / (double)(st->n + 1);
	eg = ERR_GAIN > inv_n ? ERR_GAIN : inv_n;
	sv[0] = 0;
	sv[1] = nk > 1 ? seasonal(st, 1, ph) : 0;
	sv[2] = nk > 2 ? seasonal(st, 2, ph) : 0;
	for (int k = 0; k < nk; k++) {
		for (int g = 0; g < NGAIN; g++) {
			double e = y - st->level[k][g] - sv[k], ae = fabs(e);
			double lg = gains[g] > inv_n ? gains[g] : inv_n, mae = st->mae[k][g];
			st->sel[k][g] += eg * (ae - st->sel[k][g]);
			if (st->n > 8) {
				ae = ae < ERR_CLIP * mae ? ae : ERR_CLIP * mae;
				e = clamp(e, CLIP * mae);
			}
			st->level[k][g] += lg * e;
			st->mae[k][g] = mae + eg * (ae - mae);
		}
	}
	fg = SPREAD_GAIN > inv_n ? SPREAD_GAIN : inv_n;
	st->spread += fg * (fabs(y - st->level[0][0]) - st->spread);
	/* The seasons against the slow level of the fullest model; the long
	 * one learns what the short one leaves, once that has seen each of
	 * its bins twice. */
	if (top > 0) {
		double e = y - st->level[top][0] - sv[top];
		double lim = st->n > 8 ? CLIP * st->mae[top][0] : INFINITY;
		season_learn(&st->main, ph->b, e, lim, true);
		if (top == 2 && st->n >= FREE_CYCLES * st->main.bins)
			season_learn(&st->lng, ph->bl, e * (1 - SEASON_GAIN), lim, false);
	}
	st->n++;
	for (int k = 0; k < nk; k++)
		for (int g = 0; g < NGAIN; g++)
			if (st->sel[k][g] < st->sel[st->best_kind][st->best_gain]) {
				st->best_kind = k;
				st->best_gain = g;
			}
}

/* ---- decision ---- */

static bool in_warmup(const struct ts_stream *st, ts_time t)
{
	switch (st->p->warmup_kind) {
	case TS_WARMUP_ROWS:
		return st->seen < st->p->warmup_rows;
	case TS_WARMUP_DUR:
		return t - st->first < st->p->warmup_us;
	default:
		return st->seen < WARMUP_MIN || (st->main.bins > 0 && t - st->first < st->main.len_us);
	}
}

static size_t calm_needed(const struct ts_stream *st)
{
	size_t c = (size_t)(CALM_SHARE * (double)st->main.bins);

	return c > CALM_MIN ? c : CALM_MIN;
}

/* The scale of forecaster (k, g): its robust mean absolute error, at least
 * a tenth of the series' own long spread (a series flat for a while has
 * no error, yet a step is not infinitely surprising). */
static double scale_of(const struct ts_stream *st, int k, int g)
{
	double m = st->mae[k][g], lim = SPREAD_FLOOR * st->spread;

	return m > lim ? m : lim;
}

static bool side_ok(const struct ts_stream *st, double e)
{
	return st->p->direction == TS_DIR_BOTH || (st->p->direction == TS_DIR_UP) == (e > 0);
}

static bool cooling(const struct ts_stream *st, ts_time t, const struct ts_zone *zone)
{
	return st->have_flag && (st->p->cooldown.us != 0 || st->p->cooldown.months != 0) &&
	       t < ts_time_add(st->last_flag, &st->p->cooldown, 1, zone);
}

/* Forecast, decide and learn one row of a series whose seasons are known. */
static void step_ready(struct ts_stream *st, ts_time t, double y, const struct ts_zone *zone,
		       struct ts_stream_out *out, bool decide)
{
	ts_time wall = t + (ts_time)ts_zone_offset(zone, t) * TS_US_PER_S;
	struct phase ph = { bin_of(&st->main, wall), bin_of(&st->lng, wall) };
	double fc, m, e, z, p, zbar, mr, zr;
	bool alarm, drift_alarm, drifting, drift_ready, learned = st->n >= st->main.bins;
	int r = 0, bin;

	if (st->n == 0) {
		if (isfinite(y))
			learn(st, &ph, y);
		return;
	}
	if (++st->since_refresh >= REFRESH)
		refresh(st);
	fc = st->level[st->best_kind][st->best_gain] + seasonal(st, st->best_kind, &ph);
	m = scale_of(st, st->best_kind, st->best_gain);
	if (decide) {
		out->expected = fc;
		out->lower = fc - m * st->err.down.zq;
		out->upper = fc + m * st->err.up.zq;
	}
	if (!isfinite(y))
		return;
	e = y - fc;
	/* A scale of zero (a constant series so far): any change is
	 * infinitely surprising, no change not at all. */
	z = m > 0 ? e / m : e == 0 ? 0 : copysign(INFINITY, e);
	p = dist_prob(&st->err, z, &bin);
	/* Drift: the recent mean error of the best slow forecaster, against
	 * its own past. */
	for (int k = 1; k < kinds(st); k++)
		if (st->mae[k][0] < st->mae[r][0])
			r = k;
	mr = scale_of(st, r, 0);
	zr = mr > 0 ? (y - st->level[r][0] - seasonal(st, r, &ph)) / mr : 0;
	zbar = isfinite(zr) ? st->zbar + DRIFT_GAIN * (zr - st->zbar) : st->zbar;
	/* Its p is below a level exactly when it is beyond that quantile. */
	drift_ready = learned && st->n >= st->main.bins + 1 / DRIFT_GAIN;
	drifting = drift_ready && (zbar > st->drift.up.zq || -zbar > st->drift.down.zq);
	alarm = p < st->p->p_alarm && side_ok(st, e);
	drift_alarm = drifting && side_ok(st, zbar);
	if ((alarm || drift_alarm) && !(st->p->min_delta > 0 && fabs(e) < st->p->min_delta) &&
	    !(st->p->min_ratio > 0 && fabs(e) < st->p->min_ratio * fabs(fc)))
		st->run++;
	else
		st->run = 0;
	/* One report per incident: after a flag the next one waits until no
	 * row has been alarming for a while. */
	if (!st->armed) {
		bool calm = p >= p_calm(st) &&
			    !(drift_ready && (zbar > st->drift.up.zc || -zbar > st->drift.down.zc));
		st->calm = calm ? st->calm + 1 : 0;
		if (st->calm >= calm_needed(st))
			st->armed = true;
	}
	if (decide) {
		out->score = 1 - p;
		if (st->armed && st->run > 0 && st->run >= st->p->consecutive && !in_warmup(st, t) &&
		    !cooling(st, t, zone)) {
			out->anomaly = true;
			out->reason = alarm ? (e > 0 ? "above expected" : "below expected")
					    : (zbar > 0 ? "run above expected" : "run below expected");
			st->armed = false;
			st->calm = 0;
			st->have_flag = true;
			st->last_flag = t;
			st->flagged++;
		}
	}
	/* Errors of the first season, before the seasonal has seen each bin,
	 * say little about the model's errors later. */
	if (isfinite(z) && learned)
		dist_learn(&st->err, z, bin);
	st->zbar = zbar;
	if (drift_ready) {
		double frac;
		dist_learn(&st->drift, zbar, zbar == 0 ? -1 : hbin(fabs(zbar), &frac));
	}
	learn(st, &ph, y);
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
	if (!st->ready) {
		/* Learning the interval: remember the row, decide nothing. */
		st->buf->t[st->nbuf] = t;
		st->buf->y[st->nbuf] = y;
		st->nbuf++;
		st->seen++;
		if (st->nbuf == INFER_ROWS) {
			infer_seasons(st);
			for (size_t i = 0; i < st->nbuf; i++)
				step_ready(st, st->buf->t[i], st->buf->y[i], zone, out, false);
			free(st->buf);
			st->buf = NULL;
		}
		return;
	}
	step_ready(st, t, y, zone, out, true);
	st->seen++;
}

void ts_stream_prefetch(const struct ts_stream *st)
{
#if defined(__GNUC__) || defined(__clang__)
	const char *base = (const char *)st;

	for (size_t at = 0; at < offsetof(struct ts_stream, err); at += 64)
		__builtin_prefetch(base + at, 1);
	__builtin_prefetch(&st->err, 1);
	__builtin_prefetch(&st->err.down, 1);
	__builtin_prefetch(&st->drift, 1);
	__builtin_prefetch(&st->drift.down, 1);
	__builtin_prefetch(&st->flagged, 1);
#else
	(void)st;
#endif
}

void ts_stream_summary(const struct ts_stream *st, struct ts_stream_summary *out)
{
	memset(out, 0, sizeof *out);
	out->rows = st->seen;
	out->anomalies = st->flagged;
	out->interval = st->interval;
	out->bins = st->main.bins;
	out->season_us = st->main.len_us;
	out->long_bins = st->lng.bins;
	out->long_season_us = st->lng.len_us;
	out->forecaster_gain = st->n > 0 ? gain_names[st->best_gain] : "";
	out->forecaster_season = st->n > 0 ? kind_names[st->best_kind] : "";
}

/* ---- keyed states ---- */

/* Open addressing from a key's hash to its series (slots hold index + 1),
 * at most half full; keys kept one after another in one buffer. */
struct ts_stream_set {
	struct ts_stream_params p;	/* shared by every state */
	size_t *slot;
	size_t nslots;			/* a power of two */
	struct entry {
		uint64_t hash;
		size_t key_at, key_len;
		struct ts_stream *st;
	} *e;
	size_t n, cap;
	char *keys;
	size_t keys_len, keys_cap;
};

/* FNV-1a, as frame's key table. */
static uint64_t key_hash(const char *key, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

struct ts_stream_set *ts_stream_set_new(const struct ts_stream_params *p)
{
	struct ts_stream_set *set = ts_calloc(1, sizeof *set);

	if (set == NULL)
		return NULL;
	set->p = *p;
	set->nslots = 64;
	if ((set->slot = ts_calloc(set->nslots, sizeof *set->slot)) == NULL) {
		free(set);
		return NULL;
	}
	return set;
}

void ts_stream_set_free(struct ts_stream_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		ts_stream_free(set->e[i].st);
	TS_FREE_ALL(set->e, set->slot, set->keys);
	free(set);
}

static size_t free_slot(const struct ts_stream_set *set, uint64_t h)
{
	size_t s = (size_t)h & (set->nslots - 1);

	while (set->slot[s] != 0)
		s = (s + 1) & (set->nslots - 1);
	return s;
}

struct ts_stream *ts_stream_set_get(struct ts_stream_set *set, const char *key, size_t len,
				    size_t *index, struct ts_err *err)
{
	uint64_t h = key_hash(key, len);
	size_t s = (size_t)h & (set->nslots - 1), i;
	struct entry *e;
	char *keys;

	for (; set->slot[s] != 0; s = (s + 1) & (set->nslots - 1)) {
		e = &set->e[set->slot[s] - 1];
		if (e->hash == h && e->key_len == len && memcmp(set->keys + e->key_at, key, len) == 0) {
			if (index != NULL)
				*index = set->slot[s] - 1;
			return e->st;
		}
	}
	/* A new series; grow first so that a failure changes nothing. */
	if (2 * (set->n + 1) > set->nslots) {
		size_t *slots = ts_calloc(2 * set->nslots, sizeof *slots);
		if (slots == NULL)
			goto nomem;
		free(set->slot);
		set->slot = slots;
		set->nslots *= 2;
		for (i = 0; i < set->n; i++)
			set->slot[free_slot(set, set->e[i].hash)] = i + 1;
		s = free_slot(set, h);
	}
	if ((e = ts_grow(set->e, &set->cap, set->n + 1, sizeof *e)) == NULL)
		goto nomem;
	set->e = e;
	if ((keys = ts_grow(set->keys, &set->keys_cap, set->keys_len + len + 1, 1)) == NULL)
		goto nomem;
	set->keys = keys;
	e = &set->e[set->n];
	if ((e->st = ts_stream_new(&set->p)) == NULL)
		goto nomem;
	memcpy(set->keys + set->keys_len, key, len);
	e->hash = h;
	e->key_at = set->keys_len;
	e->key_len = len;
	set->keys_len += len;
	set->slot[s] = ++set->n;
	if (index != NULL)
		*index = set->n - 1;
	return e->st;
nomem:
	ts_err_set(err, TS_ENOMEM, "out of memory");
	return NULL;
}

size_t ts_stream_set_count(const struct ts_stream_set *set)
{
	return set->n;
}

const char *ts_stream_set_key(const struct ts_stream_set *set, size_t i, size_t *len)
{
	*len = set->e[i].key_len;
	return set->keys + set->e[i].key_at;
}

const struct ts_stream *ts_stream_set_state(const struct ts_stream_set *set, size_t i)
{
	return set->e[i].st;
}
