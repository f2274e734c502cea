/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detect: batch detectors and their operation table. References: S-H-ESD in
 * esd.c (Vallis et al. 2014); sigma/iqr on the STL remainder (Cleveland et
 * al. 1990; forecast::tsoutliers' Q1 - 3 IQR, Q3 + 3 IQR); level shift as
 * ADTK's LevelShiftAD (adjacent-window medians, c IQRs of their history);
 * band as Graphite's holtWintersConfidenceBands read on a forecast. */
#include "detect/detect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series/decompose.h"
#include "series/robust.h"
#include "series/boxcox.h"
#include "core/mem.h"
#include "series/period.h"
#include "series/nainterp.h"
#include "core/stats.h"
#include "detect/surprise.h"

/* What one run shares between its methods. */
struct ts_detect_ctx {
	const struct ts_detect_series *s;
	const struct ts_detect_opts *o;
	const char *method;	/* the name of the method running, for messages */
	size_t *ord;		/* points in time order (stable) */
	size_t *pos;		/* inverse of ord */
	size_t first, last;	/* time-order positions of the first and last valued points */
	bool any_value;
	unsigned char *in_window;	/* the --last window (every point without --last) */
	bool window_only;	/* opts' window_only, in effect */
	/* decomposition (sigma, iqr, rules), first pass, cached */
	bool comp_done;
	int comp_rc;
	struct ts_err comp_err;
	double *x;		/* y in the decomposition's scale (Box-Cox or y) */
	double *fit;		/* trend + seasonal(s), decomposition scale */
	double *trend, *seasonal;
	double lambda;		/* NaN: no transform */
};

const char *const ts_detect_columns[TS_DETECT_NCOLUMNS] = {
	"anomaly", "score", "expected", "lower", "upper", "reason"
};

static const char *const rule_names[] = {
	"y", "yhat", "lower", "upper", "trend", "seasonal", "remainder", "prev", "ratio", "delta"
};

int ts_rule_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
		if (strcmp(rule_names[i], name) == 0)
			return (int)i;
	return -1;
}

void ts_detect_opts_init(struct ts_detect_opts *o)
{
	memset(o, 0, sizeof *o);
	o->direction = TS_DIR_BOTH;
	o->band_scale = 1;
	o->max_anoms = 0.10;
	o->alpha = NAN;
	o->piecewise_dur.us = 14 * TS_US_PER_DAY;
	o->sigma_k = NAN;
	o->iqr_c = 3;
	o->lambda = NAN;
	o->lag.us = 7 * TS_US_PER_DAY;
	o->weeks = 3;
	o->drop = 0.10;
	o->rise = 0.50;
	o->window = 5;
	o->shift_c = 6;
	o->history.us = 14 * TS_US_PER_DAY;
}

int ts_detect_result_alloc(struct ts_detect_result *r, size_t n, struct ts_err *err)
{
	size_t m = n > 0 ? n : 1;

	memset(r, 0, sizeof *r);
	r->n = n;
	r->anomaly = ts_calloc(m, 1);
	r->score = ts_mallocarray(m, sizeof *r->score);
	r->expected = ts_mallocarray(m, sizeof *r->expected);
	r->lower = ts_mallocarray(m, sizeof *r->lower);
	r->upper = ts_mallocarray(m, sizeof *r->upper);
	r->reason = ts_mallocarray(m, sizeof *r->reason);
	if (r->anomaly == NULL || r->score == NULL || r->expected == NULL || r->lower == NULL ||
	    r->upper == NULL || r->reason == NULL) {
		ts_detect_result_free(r);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		r->score[i] = r->expected[i] = r->lower[i] = r->upper[i] = NAN;
		r->reason[i][0] = '\0';	/* reasons are strings: no need to clear all */
	}
	return 0;
}

void ts_detect_result_free(struct ts_detect_result *r)
{
	TS_FREE_ALL(r->anomaly, r->score, r->expected, r->lower, r->upper, r->reason, r->rule_seen);
	memset(r, 0, sizeof *r);
}

size_t ts_detect_rule_terms(const struct ts_detect_opts *o)
{
	size_t n = 0;

	for (size_t k = 0; k < o->nrules; k++)
		n += ts_expr_nvars(o->rules[k]);
	return n;
}

static void result_reset(struct ts_detect_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		r->anomaly[i] = 0;
		r->score[i] = r->expected[i] = r->lower[i] = r->upper[i] = NAN;
		r->reason[i][0] = '\0';
	}
}

static int nomem(struct ts_err *err)
{
	return ts_err_set(err, TS_ENOMEM, "out of memory");
}

/* Whether a score's sign is allowed by --direction (NaN: no sign, allowed). */
static bool dir_ok(enum ts_direction d, double score)
{
	if (d == TS_DIR_UP)
		return !(score <= 0);
	if (d == TS_DIR_DOWN)
		return !(score >= 0);
	return true;
}

/* Quartiles (type 7) of the finite, unskipped values. */
static int quartiles(const double *x, const unsigned char *skip, size_t n, double *q1, double *q3,
		     struct ts_err *err)
{
	struct ts_ranked r;
	int rc = ts_ranked_init(&r, x, n, err);

	if (rc != 0)
		return rc;
	*q1 = ts_ranked_quantile(&r, skip, 0.25);
	*q3 = ts_ranked_quantile(&r, skip, 0.75);
	ts_ranked_free(&r);
	return 0;
}

size_t ts_detect_default_periods(const struct ts_dur *interval, ts_time span, size_t npoints,
				 size_t periods[2])
{
	size_t n = ts_periods_for_interval(interval, span, periods);

	if (n > 1 && npoints < TS_DETECT_MIN_CYCLES * periods[1])
		n = 1;
	return n;
}

/* When more than half the values equal the median (MAD 0, a flat series
 * with rare steps), the mean absolute deviation from it, times 1.2533 (a
 * normal's sigma over its mean absolute deviation): the spread there is,
 * so the common wiggle is not infinitely surprising. 0 when every value is
 * the median. */
static double mean_abs_scale(const double *x, const unsigned char *skip, size_t n, double center)
{
	double sum = 0;
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]) && (skip == NULL || !skip[i])) {
			sum += fabs(x[i] - center);
			m++;
		}
	return m > 0 ? 1.2533141373155002 * sum / (double)m : 0;
}

/* (v - c) / s, with a zero scale giving 0 at the centre and +-inf elsewhere. */
static double ratio_score(double v, double c, double s)
{
	if (isnan(v) || isnan(c) || isnan(s))
		return NAN;
	if (s > 0)
		return (v - c) / s;
	return v == c ? 0 : (v > c ? INFINITY : -INFINITY);
}

static double inv_boxcox(double v, double lambda)
{
	if (isnan(lambda))
		return v;
	if (lambda == 0)
		return exp(v);
	return v * lambda + 1 > 0 ? pow(v * lambda + 1, 1 / lambda) : (lambda > 0 ? 0 : NAN);
}

/* The refusal of an irregular series by the method running (the table's
 * needs_regular, or a method about to decompose). */
static int need_regular(const struct ts_detect_ctx *c, struct ts_err *err)
{
	if (c->s->regular)
		return 0;
	if (c->s->irregular_msg != NULL)
		return ts_err_set(err, TS_EDATA, "%s: %s; run ts-fill first", c->method, c->s->irregular_msg);
	return ts_err_set(err, TS_EDATA, "%s needs a regular series; run ts-fill first", c->method);
}

/* The range [a, b) of input indices a decomposition runs on: a regular
 * series is in time order, and rows before the first and after the last
 * value (forecast rows) are left out. */
static void valued_span(const struct ts_detect_ctx *c, size_t *a, size_t *b)
{
	*a = c->any_value ? c->ord[c->first] : 0;
	*b = c->any_value ? c->ord[c->last] + 1 : 0;
}

/* ---- decomposition shared by sigma, iqr and rules ---- */

/* Decompose y[a..b) with o's periods; flagged points (flagged NULL: none)
 * take the value in[i] instead, or are missing (filled as na.interp does)
 * when in is NULL, so they do not pull the fit. Writes x, fit,
 * trend and seasonal for [a, b) (others NaN). */
static int decompose_into(const struct ts_detect_ctx *c, const unsigned char *flagged, const double *in,
			  double *x, double *fit, double *trend, double *seasonal, double *lambda,
			  struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	struct ts_decomp_params dp;
	struct ts_decomp d;
	size_t a, b, m, nper = o->nperiods;
	double *y = NULL;
	int rc;

	for (size_t i = 0; i < s->n; i++)
		x[i] = fit[i] = trend[i] = seasonal[i] = NAN;
	*lambda = NAN;
	valued_span(c, &a, &b);
	m = b - a;
	if (m == 0)
		return 0;
	if (m < 3) {
		/* Too few points to fit anything: each is its own fit. */
		for (size_t i = a; i < b; i++) {
			x[i] = fit[i] = trend[i] = s->y[i];
			seasonal[i] = 0;
		}
		return 0;
	}
	if ((y = ts_mallocarray(m, sizeof *y)) == NULL)
		return nomem(err);
	for (size_t i = 0; i < m; i++)
		y[i] = flagged != NULL && flagged[a + i] ? (in != NULL ? in[a + i] : NAN) : s->y[a + i];
	memset(&dp, 0, sizeof dp);
	ts_stl_defaults(&dp.stl, 2, 0, false);
	dp.boxcox = o->boxcox;
	dp.boxcox_auto = o->boxcox_auto;
	dp.lambda = o->lambda;
	for (;;) {
		rc = ts_decompose(y, m, o->periods, nper, &dp, &d, err);
		if (rc == TS_EDATA && nper > 0 && strstr(err->msg, "too short") != NULL) {
			nper = 0;	/* too short for a season: trend only */
			continue;
		}
		break;
	}
	if (rc == TS_EDATA && (strstr(err->msg, "constant series") != NULL ||
			       strstr(err->msg, "all values are missing") != NULL)) {
		/* Nothing to decompose: the fit is the series' one value. */
		double v = NAN;
		for (size_t i = a; i < b; i++)
			if (isfinite(s->y[i]) && (flagged == NULL || !flagged[i]))
				v = s->y[i];
		for (size_t i = a; i < b; i++) {
			x[i] = s->y[i];
			fit[i] = trend[i] = v;
			seasonal[i] = 0;
		}
		free(y);
		return 0;
	}
	if (rc != 0) {
		free(y);
		return rc;
	}
	*lambda = d.lambda;
	for (size_t i = 0; i < m; i++) {
		double sea = 0, v = s->y[a + i];
		for (size_t k = 0; k < d.nkept; k++)
			sea += d.seasonal[k * m + i];
		if (!isnan(d.lambda) && isfinite(v)) {
			double t;
			if (ts_boxcox(&v, 1, d.lambda, &t, NULL, NULL) != 0)
				t = NAN;
			v = t;
		}
		x[a + i] = v;
		trend[a + i] = d.trend[i];
		seasonal[a + i] = sea;
		fit[a + i] = d.trend[i] + sea;
	}
	ts_decomp_free(&d);
	free(y);
	return 0;
}

static int components(struct ts_detect_ctx *c, struct ts_err *err)
{
	size_t n = c->s->n;

	if (c->comp_done) {
		if (c->comp_rc != 0 && err != NULL)
			*err = c->comp_err;
		return c->comp_rc;
	}
	c->comp_done = true;
	/* a decomposition needs one value per interval */
	if ((c->comp_rc = need_regular(c, &c->comp_err)) != 0) {
		if (err != NULL)
			*err = c->comp_err;
		return c->comp_rc;
	}
	c->x = ts_mallocarray(n + 1, sizeof *c->x);
	c->fit = ts_mallocarray(n + 1, sizeof *c->fit);
	c->trend = ts_mallocarray(n + 1, sizeof *c->trend);
	c->seasonal = ts_mallocarray(n + 1, sizeof *c->seasonal);
	if (c->x == NULL || c->fit == NULL || c->trend == NULL || c->seasonal == NULL)
		c->comp_rc = nomem(&c->comp_err);
	else
		c->comp_rc = decompose_into(c, NULL, NULL, c->x, c->fit, c->trend, c->seasonal,
					    &c->lambda, &c->comp_err);
	if (c->comp_rc != 0 && err != NULL)
		*err = c->comp_err;
	return c->comp_rc;
}

/* ---- band ---- */

/* The standard normal's 90 % quantile: an 80 % interval is +- this. */
#define BAND_Z80 1.2815515655446004

static int run_band(const struct ts_detect_series *s, const struct ts_detect_opts *o,
		    struct ts_detect_result *r, struct ts_err *err)
{
	if (s->yhat_lower == NULL || s->yhat_upper == NULL)
		return ts_err_set(err, TS_EDATA,
				  "band needs yhat_lower and yhat_upper columns (run ts-forecast first)");
	for (size_t i = 0; i < s->n; i++) {
		double lo = s->yhat_lower[i], hi = s->yhat_upper[i], y = s->y[i];
		double mid = s->yhat != NULL && !isnan(s->yhat[i]) ? s->yhat[i] : (lo + hi) / 2;
		double k = o->band_scale, below, above;
		if (isnan(lo) || isnan(hi))
			continue;
		below = mid - lo;
		above = hi - mid;
		r->expected[i] = mid;
		r->lower[i] = mid - k * below;
		r->upper[i] = mid + k * above;
		if (isnan(y))
			continue;
		/* The band read as a central 80 % normal interval (Prophet's
		 * default): its half-width is 1.28 sigmas. */
		r->score[i] = ts_score_of_p(ts_tail_normal(BAND_Z80 * (y >= mid ? ratio_score(y, mid, above)
									      : ratio_score(y, mid, below))));
		if (y > r->upper[i] && dir_ok(o->direction, 1)) {
			r->anomaly[i] = 1;
			snprintf(r->reason[i], TS_REASON_MAX, "above band");
		} else if (y < r->lower[i] && dir_ok(o->direction, -1)) {
			r->anomaly[i] = 1;
			snprintf(r->reason[i], TS_REASON_MAX, "below band");
		}
	}
	return 0;
}

/* ---- surprise: the default on a forecast ---- */

/* The rows a series' tail is fitted on: those before the --last window, or
 * all rows without one or when fewer than TS_SURPRISE_MIN_HISTORY are left. */
static void calibration_rows(const struct ts_detect_ctx *c, unsigned char *calib)
{
	size_t n = c->s->n, left = 0;

	if (c->o->last_kind == TS_LAST_ALL) {
		memset(calib, 1, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		calib[i] = !c->in_window[i];
		left += calib[i] && isfinite(c->s->y[i]);
	}
	if (left < TS_SURPRISE_MIN_HISTORY)
		memset(calib, 1, n);
}


/* Counts below this mean are judged as if their mean were this: a forecast
 * of 0.01 errors an hour does not make 1 error an incident. */
#define SURPRISE_MU_FLOOR 0.5

/* The scale errors are measured on: the values, or for counts Anscombe's
 * variance-stabilising transform, on which a Poisson count has a variance
 * close to 1 whatever its mean (and its inverse). */
static double judged_scale(bool counts, double v)
{
	return counts ? 2 * sqrt((v > 0 ? v : 0) + 0.375) : v;
}

static double judged_scale_inv(bool counts, double a)
{
	if (!counts)
		return a;
	return a > 0 && a * a / 4 > 0.375 ? a * a / 4 - 0.375 : 0;
}

/* Robust centre and scale of x[j] over the rows use[j] (NAN when none);
 * work holds m doubles, skip m bytes. */
static void center_scale_of(const double *x, const unsigned char *use, size_t m, double *work,
			    unsigned char *skip, double *center, double *scale)
{
	size_t k = 0;

	for (size_t j = 0; j < m; j++) {
		skip[j] = !use[j] || !isfinite(x[j]);
		if (!skip[j])
			work[k++] = x[j];
	}
	ts_center_scale_inplace(work, k, center, scale);
	if (*scale == 0)
		*scale = mean_abs_scale(x, skip, m, *center);
}

/* The values within which a prediction pred (on the judged scale) does not
 * flag at surprise z: pred +- z scale, back on the values; for counts also
 * never narrower than the Poisson's own range (exact when asked). */
static void surprise_bounds(bool counts, double pred, double scale, double z, bool exact, double *lo,
			    double *hi)
{
	if (isnan(pred)) {
		*lo = *hi = NAN;
		return;
	}
	*lo = judged_scale_inv(counts, pred - z * scale);
	*hi = judged_scale_inv(counts, pred + z * scale);
	if (!counts)
		return;
	*lo = ceil(*lo);
	*hi = floor(*hi);
	if (exact) {
		double mu = judged_scale_inv(true, pred), p = ts_tail_normal(z) / 2;
		if (mu < SURPRISE_MU_FLOOR)
			mu = SURPRISE_MU_FLOOR;
		if (p > 0) {
			double plo = ts_count_quantile(p, mu, INFINITY), phi = ts_count_quantile(1 - p, mu, INFINITY);
			if (plo < *lo)
				*lo = plo;
			if (phi > *hi)
				*hi = phi;
		}
	}
}

/* Above this mean a Poisson is a normal on Anscombe's scale to within a
 * percent, which the floor of the scale already is: no exact tail needed. */
#define SURPRISE_POISSON_MAX 1000

/* The two-sided Poisson tail of count y for a prediction on Anscombe's
 * scale: the least a count can surprise (0 for large means). */
static double poisson_tail(double y, double pred)
{
	double mu = judged_scale_inv(true, pred);

	if (mu > SURPRISE_POISSON_MAX)
		return 0;
	return ts_tail_count2(y, mu > SURPRISE_MU_FLOOR ? mu : SURPRISE_MU_FLOOR, INFINITY, false);
}

/* The lag-one dependence of the errors e[0..m) about centre c, robustly:
 * median((e[j] - c)(e[j-1] - c)) / median((e[j-1] - c)^2) over the history
 * pairs (use[j] and use[j - 1]), kept in [0, 1]; 0 with fewer than 3 pairs.
 * A forecast's errors persist for hours (weather, a busy day), so the
 * previous row's error tells part of the next one. */
static void error_persistence(const double *e, const unsigned char *use, size_t m, double c, double *prod,
			      double *sq, double *phi)
{
	size_t k = 0;

	*phi = 0;
	for (size_t j = 1; j < m; j++) {
		if (!use[j] || !use[j - 1] || !isfinite(e[j]) || !isfinite(e[j - 1]))
			continue;
		prod[k] = (e[j] - c) * (e[j - 1] - c);
		sq[k++] = (e[j - 1] - c) * (e[j - 1] - c);
	}
	if (k >= 3) {
		double num = ts_median_inplace(prod, k), den = ts_median_inplace(sq, k);
		if (den > 0 && isfinite(num / den))
			*phi = num / den < 0 ? 0 : num / den > 1 ? 1 : num / den;
	}
}

static int run_surprise_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	size_t n = s->n, m = 0, nvalued = 0;
	double alpha = isnan(o->alpha) ? TS_DETECT_ALPHA : o->alpha;
	double c1, s1, c2, s2, c3, s3, phi, zstar = NAN, zstar_new = NAN, floor1 = 0, floor2 = 0;
	bool counts = true;
	struct ts_tail_fit fit = { 0 }, fit_new = { 0 };
	/* One block of n + 1 doubles each: */
	double *block = ts_mallocarray(7 * (n + 1), sizeof *block);
	double *e1 = block;			/* error against the forecast */
	double *e2 = e1 + (n + 1);		/* moved by the last error */
	double *e3 = e2 + (n + 1);		/* by its persisting part */
	double *zo = e3 + (n + 1);		/* the two judgements */
	double *zn = zo + (n + 1);
	double *work = zn + (n + 1);		/* statistics' workspace */
	double *work2 = work + (n + 1);
	size_t *at = ts_mallocarray(n + 1, sizeof *at);		/* input index of valued row j */
	unsigned char *flags = ts_calloc(3 * (n + 1), 1);
	unsigned char *calib = flags;				/* valued row j is history */
	unsigned char *history = calib + (n + 1);		/* input row i is */
	unsigned char *skip = history + (n + 1);		/* workspace */
	const unsigned char *in_window = c->in_window;
	int rc = 0;

	if (block == NULL || at == NULL || flags == NULL) {
		rc = nomem(err);
		goto out;
	}
	if (s->yhat == NULL) {
		rc = ts_err_set(err, TS_EDATA, "surprise needs a yhat column (run ts-forecast first)");
		goto out;
	}
	calibration_rows(c, history);
	/* Counts: every value a non-negative integer. */
	for (size_t p = 0; p < n; p++) {
		size_t i = c->ord[p];
		double y = s->y[i];
		if (!isfinite(y))
			continue;
		nvalued++;
		if (y < 0 || y != floor(y) || y > 9007199254740992.0)
			counts = false;
		if (isfinite(s->yhat[i]))
			at[m++] = i;
	}
	if (nvalued > 0 && m == 0) {
		rc = ts_err_set(err, TS_EDATA, "no forecast to judge against: yhat is empty on every row with a value");
		goto out;
	}
	if (m > 0 && m < 3) {
		rc = ts_err_set(err, TS_EDATA, "surprise needs at least 3 rows with y and yhat, found %zu", m);
		goto out;
	}
	for (size_t j = 0; j < m; j++)
		calib[j] = history[at[j]];
	/* The errors against the forecast and against the forecast moved by
	 * the previous row's error (one step ahead), on the judged scale. */
	for (size_t j = 0; j < m; j++) {
		size_t i = at[j];
		e1[j] = judged_scale(counts, s->y[i]) - judged_scale(counts, s->yhat[i]);
		e2[j] = j > 0 ? e1[j] - e1[j - 1] : NAN;
	}
	center_scale_of(e1, calib, m, work, skip, &c1, &s1);
	center_scale_of(e2, calib, m, work, skip, &c2, &s2);
	if (counts) {
		/* No count is less spread than a Poisson: variance 1 on this
		 * scale, 2 for the difference of two. */
		floor1 = 1;
		floor2 = M_SQRT2;
	} else {
		/* A flat history has no spread: the least a double tells apart. */
		for (size_t j = 0; j < m; j++)
			if (fabs(s->y[at[j]]) * 1e-12 > floor1)
				floor1 = fabs(s->y[at[j]]) * 1e-12;
		if (floor1 == 0)
			floor1 = 1e-300;
		floor2 = floor1;
	}
	if (!(s1 > floor1))
		s1 = floor1;
	if (!(s2 > floor2))
		s2 = floor2;
	if (isnan(c1))
		c1 = 0;
	if (isnan(c2))
		c2 = 0;
	/* The third prediction: the forecast moved by the part of the last
	 * error that persists (phi). Its errors, the innovations, are the
	 * least spread: distances to it and to the forecast are measured on
	 * their scale s3, so a series whose forecast errors run in hours (a
	 * misfit daily shape, weather) is judged by what the last hour did not
	 * already tell. */
	error_persistence(e1, calib, m, c1, work, work2, &phi);
	for (size_t j = 0; j < m; j++)
		e3[j] = j > 0 ? e1[j] - c1 - phi * (e1[j - 1] - c1) : NAN;
	center_scale_of(e3, calib, m, work, skip, &c3, &s3);
	if (!(s3 > floor1))
		s3 = floor1;
	if (isnan(c3))
		c3 = 0;
	/* Two judgements of each row, each against its own history's tail;
	 * a row is as surprising as the more surprised of the two says, with
	 * the rate split between them (p doubled). The first measures the
	 * distance to the forecast and to the forecast moved by the last error,
	 * each on its own scale: a return to the forecast after a deviation,
	 * or a deviation that goes on, is not new. The second measures the
	 * distance to the nearest of the three predictions on the innovations'
	 * scale s3 (the one moved by the whole last error on its own, s2): it
	 * sees the hour the persisting error did not announce, on series whose
	 * forecast misses run in hours. */
	for (size_t j = 0; j < m; j++) {
		double z1 = fabs(e1[j] - c1) / s1;
		zo[j] = zn[j] = z1;
		if (j == 0)
			continue;
		double z2 = fabs(e2[j] - c2) / s2, z1n = fabs(e1[j] - c1) / s3, z3 = fabs(e3[j] - c3) / s3;
		if (z2 < zo[j])
			zo[j] = z2;
		zn[j] = z1n < z2 ? z1n : z2;
		if (z3 < zn[j])
			zn[j] = z3;
	}
	for (int pass = 0; pass < 2; pass++) {
		const double *zz = pass == 0 ? zo : zn;
		size_t h = 0;
		for (size_t j = 0; j < m; j++)
			if (calib[j])
				work[h++] = zz[j];
		/* only the window's rows judged (-q): a few p values, no sort */
		if ((rc = ts_tail_fit(work, h, TS_SURPRISE_TAIL, !c->window_only, pass == 0 ? &fit : &fit_new,
				      err)) != 0)
			goto out;
	}
	if (!c->window_only) {	/* the bounds' width: not read when only the window is */
		zstar = ts_tail_fit_z(&fit, alpha / 2);
		zstar_new = ts_tail_fit_z(&fit_new, alpha / 2);
	}
	for (size_t j = 0; j < m; j++) {
		size_t i = at[j];
		if (c->window_only && !in_window[i])
			continue;
		double y = s->y[i], p_old = ts_tail_fit_p(&fit, zo[j]), p_new = ts_tail_fit_p(&fit_new, zn[j]), p;
		double base = judged_scale(counts, s->yhat[i]), pred[3];
		double scale_old[3] = { s1, s2, 0 }, scale_new[3] = { s3, s2, s3 };
		double lo_old = INFINITY, hi_old = -INFINITY, lo_new = INFINITY, hi_new = -INFINITY, lo, hi;
		size_t npred = j > 0 ? 3 : 1;
		bool judged = o->last_kind == TS_LAST_ALL || in_window[i];
		pred[0] = base + c1;
		if (j > 0) {
			pred[1] = base + e1[j - 1] + c2;
			pred[2] = base + c1 + phi * (e1[j - 1] - c1) + c3;
		} else {
			scale_new[0] = s1;
		}
		r->expected[i] = judged_scale_inv(counts, pred[0]);
		for (size_t k = 0; k < npred; k++) {
			/* Never more surprising than a Poisson says. */
			double x = counts ? poisson_tail(y, pred[k]) : 0;
			if (k < 2 && x > p_old)
				p_old = x;
			if (x > p_new)
				p_new = x;
			if (c->window_only)
				continue;	/* the bounds: not read */
			if (k < 2) {
				surprise_bounds(counts, pred[k], scale_old[k], zstar, judged, &lo, &hi);
				lo_old = lo < lo_old ? lo : lo_old;
				hi_old = hi > hi_old ? hi : hi_old;
			}
			surprise_bounds(counts, pred[k], scale_new[k], zstar_new, judged, &lo, &hi);
			lo_new = lo < lo_new ? lo : lo_new;
			hi_new = hi > hi_new ? hi : hi_new;
		}
		/* Flagged when either flags: within both ranges is not. */
		if (!c->window_only) {
			r->lower[i] = lo_old > lo_new ? lo_old : lo_new;
			r->upper[i] = hi_old < hi_new ? hi_old : hi_new;
		}
		p = 2 * (p_old < p_new ? p_old : p_new);
		if (p > 1)
			p = 1;
		r->score[i] = ts_score_of_p(p);
		if (p < alpha && dir_ok(o->direction, y - r->expected[i])) {
			r->anomaly[i] = 1;
			snprintf(r->reason[i], TS_REASON_MAX, "%s forecast (p %.2g)",
				 y > r->expected[i] ? "above" : "below", p);
		}
	}
	/* Rows without a value (the forecast ahead): the forecast's own
	 * expectation and bounds. */
	for (size_t i = 0; m > 0 && !c->window_only && i < n; i++) {
		if (isfinite(s->y[i]) || !isfinite(s->yhat[i]))
			continue;
		double pred = judged_scale(counts, s->yhat[i]) + c1;
		r->expected[i] = judged_scale_inv(counts, pred);
		surprise_bounds(counts, pred, s1, zstar, false, &r->lower[i], &r->upper[i]);
	}
out:
	ts_tail_fit_free(&fit);
	ts_tail_fit_free(&fit_new);
	free(block);
	free(at);
	free(flags);
	return rc;
}

/* ---- esd ---- */

static int run_esd_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	struct ts_shesd_params p = { 0 };
	size_t a, b, m;
	double *x = NULL;
	bool *filled = NULL;
	int rc;

	if (o->nperiods == 0 || o->periods[0] < 2)
		return ts_err_set(err, TS_EDATA, "esd needs a seasonal period: give -p");
	valued_span(c, &a, &b);
	m = b - a;
	if (m == 0)
		return 0;
	p.period = o->periods[0];
	if (m <= 2 * p.period)
		return ts_err_set(err, TS_EDATA, "esd needs more than two periods: %zu points, period %zu",
				  m, p.period);
	p.max_anoms = o->max_anoms;
	p.alpha = isnan(o->alpha) ? 0.05 : o->alpha;
	p.direction = o->direction == TS_DIR_UP ? TS_ESD_POS
		    : o->direction == TS_DIR_DOWN ? TS_ESD_NEG : TS_ESD_BOTH;
	p.threshold = o->threshold;
	if (o->piecewise) {
		bool daily = s->interval.months == 0 && s->interval.us == TS_US_PER_DAY;
		if (o->piecewise_dur.months != 0 || s->interval.months != 0 || s->interval.us <= 0)
			return ts_err_set(err, TS_EUSAGE, "--piecewise needs a fixed duration and interval");
		p.piecewise = true;
		/* AnomalyDetectionTs adds a day to daily chunks so STL gets 2 periods + 1. */
		p.piecewise_us = o->piecewise_dur.us + (daily ? TS_US_PER_DAY : 0);
		p.piecewise_points = (size_t)(p.piecewise_us / s->interval.us);
	}
	x = ts_mallocarray(m, sizeof *x);
	filled = ts_calloc(m, sizeof *filled);
	if (x == NULL || filled == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		x[i] = s->y[a + i];
		filled[i] = !isfinite(x[i]);
		if (isinf(x[i]))
			x[i] = NAN;
	}
	if ((rc = ts_na_interp(x, m, o->periods, 1, x, err)) != 0)
		goto out;
	rc = ts_shesd(s->t + a, x, m, &s->zone, &p, r->anomaly + a, r->score + a, r->expected + a,
		      r->lower + a, r->upper + a, err);
	if (rc != 0)
		goto out;
	for (size_t i = 0; i < m; i++) {
		if (filled[i]) {
			r->anomaly[a + i] = 0;
			r->score[a + i] = NAN;
		}
		if (r->anomaly[a + i])
			snprintf(r->reason[a + i], TS_REASON_MAX, "esd");
	}
out:
	free(x);
	free(filled);
	return rc;
}

/* ---- sigma and iqr on the remainder, mad on the values ---- */

enum robust_kind { ROBUST_SIGMA, ROBUST_IQR, ROBUST_MAD };

/* Flag v[i] (finite) against robust statistics of the unflagged points,
 * re-estimated without the flagged ones until nothing changes. base[i] is
 * added back to centre/limits for expected/lower/upper (decomposition
 * scale, back-transformed with lambda). */
static int robust_flags(const struct ts_detect_ctx *c, enum robust_kind kind, const double *v,
			const double *base, double lambda, unsigned char *flag,
			struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_opts *o = c->o;
	size_t n = c->s->n;
	double center = NAN, scale = NAN, q1 = NAN, q3 = NAN, limit = NAN;
	double alpha = isnan(o->alpha) ? TS_DETECT_ALPHA : o->alpha;
	double *z = ts_mallocarray(n + 1, sizeof *z);	/* signed, in sigmas or IQRs */
	double *hist = ts_mallocarray(n + 1, sizeof *hist);
	unsigned char *calib = ts_mallocarray(n + 1, 1);
	struct ts_tail_fit fit = { 0 };
	struct ts_ranked ranked = { 0 };
	int rc;

	memset(flag, 0, n);
	if (z == NULL || hist == NULL || calib == NULL) {
		free(z);
		free(hist);
		free(calib);
		return nomem(err);
	}
	calibration_rows(c, calib);
	if ((rc = ts_ranked_init(&ranked, v, n, err)) != 0)
		goto out;
	for (int iter = 0; iter < 10; iter++) {
		bool changed = false;
		size_t h = 0;
		if (kind == ROBUST_IQR) {
			q1 = ts_ranked_quantile(&ranked, flag, 0.25);
			q3 = ts_ranked_quantile(&ranked, flag, 0.75);
		} else {
			ts_ranked_center_scale(&ranked, flag, &center, &scale);
			if (scale == 0)
				scale = mean_abs_scale(v, flag, n, center);
		}
		for (size_t i = 0; i < n; i++) {
			double iqr = q3 - q1;
			z[i] = NAN;
			if (!isfinite(v[i]))
				continue;
			if (kind == ROBUST_IQR)
				z[i] = v[i] > q3 ? ratio_score(v[i], q3, iqr) : v[i] < q1 ? ratio_score(v[i], q1, iqr) : 0;
			else
				z[i] = ratio_score(v[i], center, scale);
			if (calib[i])
				hist[h++] = z[i];
		}
		/* The bar: --iqr C, --sigma K, or else where the series' own
		 * surprises reach the false-alarm rate. */
		if (kind == ROBUST_IQR) {
			limit = o->iqr_c;
		} else if (!isnan(o->sigma_k)) {
			limit = o->sigma_k;
		} else {
			ts_tail_fit_free(&fit);
			if ((rc = ts_tail_fit(hist, h, TS_SURPRISE_TAIL, true, &fit, err)) != 0)
				goto out;
			limit = ts_tail_fit_z(&fit, alpha);
		}
		for (size_t i = 0; i < n; i++) {
			bool f = isfinite(z[i]) && fabs(z[i]) > limit && dir_ok(o->direction, z[i]) &&
				 isfinite(c->s->y[i]);
			if (f != (flag[i] != 0)) {
				flag[i] = f;
				changed = true;
			}
		}
		if (!changed)
			break;
	}
	/* The score: the tail probability of each point among the series' own
	 * (for iqr, in sigmas of a normal with those quartiles). */
	{
		size_t h = 0;
		for (size_t i = 0; i < n; i++) {
			if (!isfinite(v[i]))
				continue;
			if (kind == ROBUST_IQR)
				z[i] = ratio_score(v[i], (q1 + q3) / 2, (q3 - q1) / 1.3489795003921634);
			if (calib[i])
				hist[h++] = z[i];
		}
		ts_tail_fit_free(&fit);
		if ((rc = ts_tail_fit(hist, h, TS_SURPRISE_TAIL, true, &fit, err)) != 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		double b0 = base != NULL ? base[i] : 0, lo, hi, mid;
		if (!isnan(z[i]))
			r->score[i] = ts_score_of_p(ts_tail_fit_p(&fit, z[i]));
		if (base != NULL && isnan(b0))
			continue;
		if (kind == ROBUST_IQR) {
			mid = b0 + (q1 + q3) / 2;
			lo = b0 + q1 - limit * (q3 - q1);
			hi = b0 + q3 + limit * (q3 - q1);
		} else {
			mid = b0 + center;
			lo = mid - limit * scale;
			hi = mid + limit * scale;
		}
		r->expected[i] = inv_boxcox(mid, lambda);
		r->lower[i] = inv_boxcox(lo, lambda);
		r->upper[i] = inv_boxcox(hi, lambda);
		r->anomaly[i] = flag[i];
		if (flag[i]) {
			const char *what = kind == ROBUST_IQR ? "iqr" : kind == ROBUST_MAD ? "mad" : "sigma";
			if (kind == ROBUST_IQR) {
				double past = v[i] > q3 ? (v[i] - q3) / (q3 - q1) : (q1 - v[i]) / (q3 - q1);
				snprintf(r->reason[i], TS_REASON_MAX, "%s: %s Q%d by %.1f IQR", what,
					 v[i] > q3 ? "above" : "below", v[i] > q3 ? 3 : 1, past);
			} else {
				snprintf(r->reason[i], TS_REASON_MAX, "%s: %+.1f sigma", what, z[i]);
			}
		}
	}
out:
	ts_ranked_free(&ranked);
	ts_tail_fit_free(&fit);
	free(z);
	free(hist);
	free(calib);
	return rc;
}

static int run_remainder_ctx(struct ts_detect_ctx *c, enum robust_kind kind, struct ts_detect_result *r,
			     struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	size_t n = s->n;
	double *rem = NULL, *x2 = NULL, *fit2 = NULL, *tr2 = NULL, *se2 = NULL, *repl = NULL, lambda2;
	unsigned char *flag = NULL;
	bool any = false;
	int rc;

	rem = ts_mallocarray(n + 1, sizeof *rem);
	flag = ts_calloc(n + 1, 1);
	if (rem == NULL || flag == NULL) {
		rc = nomem(err);
		goto out;
	}
	if (s->remainder != NULL) {
		/* A decomposition from ts-decompose: use it as it is. */
		double *base = ts_mallocarray(n + 1, sizeof *base);
		if (base == NULL) {
			rc = nomem(err);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			rem[i] = s->remainder[i];
			base[i] = isfinite(s->y[i]) && isfinite(rem[i]) ? s->y[i] - rem[i]
				: s->trend != NULL && s->seasonal != NULL ? s->trend[i] + s->seasonal[i]
				: NAN;
		}
		rc = robust_flags(c, kind, rem, base, NAN, flag, r, err);
		free(base);
		goto out;
	}
	if ((rc = components(c, err)) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		rem[i] = c->x[i] - c->fit[i];
	if ((rc = robust_flags(c, kind, rem, c->fit, c->lambda, flag, r, err)) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		any |= flag[i] != 0;
	if (!any)
		goto out;
	/* Second pass: the anomalies found are replaced by the first fit, so a
	 * spike does not bend the seasonal and trend it is measured against. */
	x2 = ts_mallocarray(n + 1, sizeof *x2);
	fit2 = ts_mallocarray(n + 1, sizeof *fit2);
	tr2 = ts_mallocarray(n + 1, sizeof *tr2);
	se2 = ts_mallocarray(n + 1, sizeof *se2);
	repl = ts_mallocarray(n + 1, sizeof *repl);
	if (x2 == NULL || fit2 == NULL || tr2 == NULL || se2 == NULL || repl == NULL) {
		rc = nomem(err);
		goto out;
	}
	/* Each flagged point becomes the first fit's trend plus its season
	 * measured on the unflagged points of the same phase (y - trend, their
	 * median), in the longest period that has such points. Not the first
	 * fit's seasonal: a spike leaks into the seasonal of its phase, most
	 * with few cycles (a week of hourly data seen three times), so that
	 * seasonal would carry the spike into the second fit and make dips of
	 * the same phase in other cycles. */
	{
		double *same = ts_mallocarray(n + 1, sizeof *same);
		if (same == NULL) {
			rc = nomem(err);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			repl[i] = NAN;
			if (!flag[i])
				continue;
			double season = 0;
			for (size_t k = c->o->nperiods; k-- > 0;) {
				size_t period = c->o->periods[k], m = 0;
				for (size_t j = i % period; j < n; j += period)
					if (!flag[j] && isfinite(c->x[j] - c->trend[j]))
						same[m++] = c->x[j] - c->trend[j];
				if (m > 0) {
					season = ts_median_inplace(same, m);
					break;
				}
			}
			repl[i] = inv_boxcox(c->trend[i] + season, c->lambda);
			if (!isfinite(repl[i]))
				repl[i] = r->expected[i];
		}
		free(same);
	}
	/* Many flagged points (a long incident) bend the first seasonal too:
	 * then let na.interp's robust fit fill them, which costs far more. */
	{
		size_t nflag = 0;
		for (size_t i = 0; i < n; i++)
			nflag += flag[i];
		if (nflag * 20 > n) {
			free(repl);
			repl = NULL;
		}
	}
	if ((rc = decompose_into(c, flag, repl, x2, fit2, tr2, se2, &lambda2, err)) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		rem[i] = x2[i] - fit2[i];
	result_reset(r);
	rc = robust_flags(c, kind, rem, fit2, lambda2, flag, r, err);
out:
	TS_FREE_ALL(rem, flag, x2, fit2, tr2, se2, repl);
	return rc;
}

static int run_mad_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	unsigned char *flag = ts_calloc(c->s->n + 1, 1);
	int rc;

	if (flag == NULL)
		return nomem(err);
	rc = robust_flags(c, ROBUST_MAD, c->s->y, NULL, NAN, flag, r, err);
	free(flag);
	return rc;
}

/* ---- time lookups ---- */

/* Index of the point at exactly time t, or SIZE_MAX. */
static size_t at_time(const struct ts_detect_ctx *c, ts_time t)
{
	size_t lo = 0, hi = c->s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->s->t[c->ord[mid]] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Several points at t: the last of them, as the latest reading. */
	if (lo < c->s->n && c->s->t[c->ord[lo]] == t) {
		while (lo + 1 < c->s->n && c->s->t[c->ord[lo + 1]] == t)
			lo++;
		return c->ord[lo];
	}
	return SIZE_MAX;
}

static double y_at(const struct ts_detect_ctx *c, ts_time t)
{
	size_t j = at_time(c, t);

	return j == SIZE_MAX ? NAN : c->s->y[j];
}

/* The season as a duration, from the smallest period; false without one. */
static bool season_dur(const struct ts_detect_ctx *c, struct ts_dur *d)
{
	const struct ts_detect_series *s = c->s;

	if (c->o->nperiods == 0 || !s->has_interval)
		return false;
	d->months = s->interval.months * (int32_t)c->o->periods[0];
	d->us = s->interval.us * (ts_time)c->o->periods[0];
	return true;
}

/* ---- rules ---- */

static double rule_var(struct ts_detect_ctx *c, const struct ts_expr_var *v, size_t i, const double *prev)
{
	const struct ts_detect_series *s = c->s;
	struct ts_dur season;

	if (v->kind == TS_EXPR_VAR_LAG) {
		if (v->lag_is_rows) {
			size_t p = c->pos[i];
			return p >= v->lag_rows ? s->y[c->ord[p - v->lag_rows]] : NAN;
		}
		return y_at(c, ts_time_add(s->t[i], &v->lag_dur, -1, &s->zone));
	}
	if (v->id >= TS_EXPR_FIRST_COLUMN) {
		size_t col = (size_t)(v->id - TS_EXPR_FIRST_COLUMN);
		return col < s->ncolumns && s->columns[col] != NULL ? s->columns[col][i] : NAN;
	}
	switch (v->id) {
	case TS_RULE_Y:
		return s->y[i];
	case TS_RULE_YHAT:
		return s->yhat != NULL ? s->yhat[i] : NAN;
	case TS_RULE_LOWER:
		return s->yhat_lower != NULL ? s->yhat_lower[i] : NAN;
	case TS_RULE_UPPER:
		return s->yhat_upper != NULL ? s->yhat_upper[i] : NAN;
	case TS_RULE_TREND:
		if (s->trend != NULL)
			return s->trend[i];
		return components(c, NULL) == 0 ? inv_boxcox(c->trend[i], c->lambda) : NAN;
	case TS_RULE_SEASONAL:
		if (s->seasonal != NULL)
			return s->seasonal[i];
		return components(c, NULL) == 0 && isnan(c->lambda) ? c->seasonal[i] : NAN;
	case TS_RULE_REMAINDER:
		if (s->remainder != NULL)
			return s->remainder[i];
		return components(c, NULL) == 0 ? c->x[i] - c->fit[i] : NAN;
	case TS_RULE_PREV:
		return prev[i];
	case TS_RULE_RATIO:
		if (!season_dur(c, &season))
			return NAN;
		return s->y[i] / y_at(c, ts_time_add(s->t[i], &season, -1, &s->zone));
	case TS_RULE_DELTA:
		if (!season_dur(c, &season))
			return NAN;
		return s->y[i] - y_at(c, ts_time_add(s->t[i], &season, -1, &s->zone));
	default:
		return NAN;
	}
}

static bool rule_uses_components(const struct ts_detect_series *s, const struct ts_expr *e)
{
	for (size_t v = 0; v < ts_expr_nvars(e); v++) {
		const struct ts_expr_var *var = ts_expr_var(e, v);
		if (var->kind != TS_EXPR_VAR_NAME)
			continue;
		if ((var->id == TS_RULE_TREND && s->trend == NULL) ||
		    (var->id == TS_RULE_SEASONAL && s->seasonal == NULL) ||
		    (var->id == TS_RULE_REMAINDER && s->remainder == NULL))
			return true;
	}
	return false;
}

static int run_rule_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	size_t n = s->n, maxvars = 1;
	double *prev = ts_mallocarray(n + 1, sizeof *prev), *vals, last_ok = NAN, last_any = NAN;
	int rc = 0;

	for (size_t k = 0; k < o->nrules; k++)
		if (ts_expr_nvars(o->rules[k]) > maxvars)
			maxvars = ts_expr_nvars(o->rules[k]);
	vals = ts_mallocarray(maxvars, sizeof *vals);
	if (prev == NULL || vals == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (size_t k = 0; k < o->nrules; k++) {
		if (rule_uses_components(s, o->rules[k])) {
			if ((rc = components(c, err)) != 0)
				goto out;
		}
	}
	for (size_t p = 0; p < n; p++) {
		size_t i = c->ord[p];
		prev[i] = last_any;
		if (isfinite(s->y[i]))
			last_any = s->y[i];
	}
	/* In time order, so the baseline is the last value no rule flagged. */
	for (size_t p = 0; p < n; p++) {
		size_t i = c->ord[p];
		double base = s->yhat != NULL && !isnan(s->yhat[i]) ? s->yhat[i]
			    : s->trend != NULL && s->seasonal != NULL ? s->trend[i] + s->seasonal[i]
			    : last_ok;
		bool fired = false;
		size_t len = 0;

		r->expected[i] = base;
		r->score[i] = s->y[i] - base;
		if (!isfinite(s->y[i]))
			continue;
		for (size_t k = 0, term = 0; k < o->nrules; term += ts_expr_nvars(o->rules[k]), k++) {
			const struct ts_expr *e = o->rules[k];
			char part[TS_REASON_MAX];
			for (size_t v = 0; v < ts_expr_nvars(e); v++) {
				vals[v] = rule_var(c, ts_expr_var(e, v), i, prev);
				if (r->rule_seen != NULL && !isnan(vals[v]))
					r->rule_seen[term + v] = 1;
			}
			if (!ts_expr_true(ts_expr_eval(e, vals)))
				continue;
			if (!dir_ok(o->direction, r->score[i]))
				continue;
			fired = true;
			if (len < TS_REASON_MAX - 1) {
				bool narrowed = ts_expr_explain(e, vals, part, sizeof part);
				int w = snprintf(r->reason[i] + len, TS_REASON_MAX - len, "%srule: %s",
						 len > 0 ? "; " : "", narrowed ? part : ts_expr_text(e));
				len = w < 0 ? len : len + (size_t)w;
				if (len >= TS_REASON_MAX)
					len = TS_REASON_MAX - 1;
			}
		}
		r->anomaly[i] = fired;
		if (!fired)
			last_ok = s->y[i];
	}
out:
	free(prev);
	free(vals);
	return rc;
}

/* ---- wow ---- */

static int run_wow_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	double *past = ts_mallocarray(o->weeks + 1, sizeof *past);

	if (past == NULL)
		return nomem(err);
	/* In time order, so a same-time value flagged earlier (last week's
	 * incident) is left out of the baseline. */
	for (size_t p = 0; p < s->n; p++) {
		size_t i = c->ord[p], m = 0;
		double base, change;
		for (size_t k = 1; k <= o->weeks; k++) {
			size_t j = at_time(c, ts_time_add(s->t[i], &o->lag, -(int64_t)k, &s->zone));
			if (j != SIZE_MAX && isfinite(s->y[j]) && !r->anomaly[j])
				past[m++] = s->y[j];
		}
		if (m == 0)
			continue;
		qsort(past, m, sizeof *past, ts_cmp_double);
		base = m % 2 ? past[m / 2] : (past[m / 2 - 1] + past[m / 2]) / 2;
		r->expected[i] = base;
		r->lower[i] = base - o->drop * fabs(base);
		r->upper[i] = base + o->rise * fabs(base);
		if (!isfinite(s->y[i]))
			continue;
		change = ratio_score(s->y[i], base, fabs(base));
		r->score[i] = change;
		if (((o->drop > 0 && change <= -o->drop) || (o->rise > 0 && change >= o->rise)) &&
		    dir_ok(o->direction, change)) {
			r->anomaly[i] = 1;
			if (isinf(change))
				snprintf(r->reason[i], TS_REASON_MAX, "wow from 0");
			else
				snprintf(r->reason[i], TS_REASON_MAX, "wow %+.0f%%", change * 100);
		}
	}
	free(past);
	return 0;
}

/* ---- level shift (ADTK LevelShiftAD) ---- */

static int run_level_shift_ctx(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	size_t n = s->n, w = o->window;
	double *diff = ts_mallocarray(n + 1, sizeof *diff), *absd = ts_mallocarray(n + 1, sizeof *absd);
	double *win = ts_mallocarray(w + 1, sizeof *win), *left = ts_mallocarray(n + 1, sizeof *left);
	double *v = ts_mallocarray(n + 1, sizeof *v);	/* y without its season */
	double q1, q3, thresh;
	int rc;

	if (diff == NULL || absd == NULL || win == NULL || left == NULL || v == NULL) {
		rc = nomem(err);
		goto out;
	}
	/* With a season, on the values without it (ADTK's advice: the daily
	 * swing of raw hourly data is a bigger step than most shifts). */
	for (size_t i = 0; i < n; i++)
		v[i] = s->y[i];
	if (o->nperiods > 0) {
		if ((rc = components(c, err)) != 0)
			goto out;
		for (size_t i = 0; i < n; i++) {
			double without = inv_boxcox(c->x[i] - c->seasonal[i], c->lambda);
			if (isfinite(s->y[i]) && isfinite(without))
				v[i] = without;
		}
	}
	for (size_t i = 0; i < n; i++) {
		diff[i] = absd[i] = left[i] = NAN;
		/* Left window ends at i, right window starts after it, as ADTK's
		 * DoubleRollingAggregate(center=True) places them. */
		if (i + 1 < w || i + w >= n)
			continue;
		bool complete = true;
		for (size_t k = 0; k < w && complete; k++)
			complete = isfinite(win[k] = v[i + 1 - w + k]);
		if (!complete)
			continue;
		left[i] = ts_median_inplace(win, w);
		for (size_t k = 0; k < w && complete; k++)
			complete = isfinite(win[k] = v[i + 1 + k]);
		if (!complete)
			continue;
		diff[i] = ts_median_inplace(win, w) - left[i];
		absd[i] = fabs(diff[i]);
	}
	if ((rc = quartiles(absd, NULL, n, &q1, &q3, err)) != 0)
		goto out;
	thresh = q3 + o->shift_c * (q3 - q1);
	for (size_t i = 0; i < n; i++) {
		if (isnan(diff[i]))
			continue;
		r->score[i] = copysign(1, diff[i]) * ratio_score(absd[i], q3, q3 - q1);
		/* the season of row i put back: y - v (0 where y is missing) */
		r->expected[i] = left[i] + (isfinite(s->y[i]) ? s->y[i] - v[i] : 0);
		r->lower[i] = r->expected[i] - thresh;
		r->upper[i] = r->expected[i] + thresh;
		if (absd[i] > thresh && dir_ok(o->direction, diff[i]) && isfinite(s->y[i])) {
			r->anomaly[i] = 1;
			snprintf(r->reason[i], TS_REASON_MAX, "level shift %+g", diff[i]);
		}
	}
out:
	TS_FREE_ALL(diff, absd, win, left, v);
	return rc;
}

/* ---- new-high, new-low ---- */

static int run_extreme_ctx(struct ts_detect_ctx *c, bool high, struct ts_detect_result *r, struct ts_err *err)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	size_t n = s->n, head = 0, tail = 0, next = 0;
	size_t *dq = ts_mallocarray(n + 1, sizeof *dq);	/* time-order positions, monotone values */
	ts_time start;

	if (dq == NULL)
		return nomem(err);
	if (!c->any_value || !dir_ok(o->direction, high ? 1 : -1)) {
		free(dq);
		return 0;
	}
	start = s->t[c->ord[c->first]];
	for (size_t p = 0; p < n; p++) {
		size_t i = c->ord[p];
		ts_time from = ts_time_add(s->t[i], &o->history, -1, &s->zone);
		double y = s->y[i], ext;
		/* Admit earlier points (strictly before t) that are not anomalies. */
		while (next < p && s->t[c->ord[next]] < s->t[i]) {
			size_t j = c->ord[next];
			if (isfinite(s->y[j]) && !r->anomaly[j]) {
				while (tail > head && (high ? s->y[c->ord[dq[tail - 1]]] <= s->y[j]
							    : s->y[c->ord[dq[tail - 1]]] >= s->y[j]))
					tail--;
				dq[tail++] = next;
			}
			next++;
		}
		while (tail > head && s->t[c->ord[dq[head]]] <= from)
			head++;
		if (tail == head || from < start)
			continue;	/* no full history yet */
		ext = s->y[c->ord[dq[head]]];
		r->expected[i] = ext;
		if (high)
			r->upper[i] = ext;
		else
			r->lower[i] = ext;
		if (!isfinite(y))
			continue;
		r->score[i] = y - ext;
		if (high ? y > ext : y < ext) {
			r->anomaly[i] = 1;
			snprintf(r->reason[i], TS_REASON_MAX, "%s", high ? "new high" : "new low");
		}
	}
	free(dq);
	return 0;
}

/* ---- the operation table ---- */

static void ctx_free(struct ts_detect_ctx *c);

static int run_band_op(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	return run_band(c->s, c->o, r, err);
}

static int run_sigma(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	return run_remainder_ctx(c, ROBUST_SIGMA, r, err);
}

static int run_iqr(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	return run_remainder_ctx(c, ROBUST_IQR, r, err);
}

static int run_new_high(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	return run_extreme_ctx(c, true, r, err);
}

static int run_new_low(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err)
{
	return run_extreme_ctx(c, false, r, err);
}

/* Every detector: -m's names (in the order "unknown method" lists them),
 * whether an irregular series is refused before it runs, and whether its
 * scores are already tail probabilities (the others are calibrated). sigma,
 * iqr and rule decompose only sometimes: they are refused where they do. */
static const struct ts_detect_op ops[] = {
	{ "surprise", TS_DETECT_SURPRISE, false, true, run_surprise_ctx },
	{ "band", TS_DETECT_BAND, false, true, run_band_op },
	{ "esd", TS_DETECT_ESD, true, false, run_esd_ctx },
	{ "sigma", TS_DETECT_SIGMA, false, true, run_sigma },
	{ "iqr", TS_DETECT_IQR, false, true, run_iqr },
	{ "mad", TS_DETECT_MAD, false, true, run_mad_ctx },
	{ "rule", TS_DETECT_RULE, false, false, run_rule_ctx },
	{ "wow", TS_DETECT_WOW, false, false, run_wow_ctx },
	{ "level-shift", TS_DETECT_LEVEL_SHIFT, true, false, run_level_shift_ctx },
	{ "new-high", TS_DETECT_NEW_HIGH, false, false, run_new_high },
	{ "new-low", TS_DETECT_NEW_LOW, false, false, run_new_low },
};

const struct ts_detect_op *ts_detect_op_at(size_t i)
{
	return i < sizeof ops / sizeof ops[0] ? &ops[i] : NULL;
}

const struct ts_detect_op *ts_detect_op_find(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

static const struct ts_detect_op *op_of(enum ts_detect_method m)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].method == m)
			return &ops[i];
	return NULL;
}

int ts_detect_methods_parse(const char *spec, enum ts_detect_method *methods, size_t *n,
			    struct ts_err *err)
{
	const char *p = spec;

	*n = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char name[32], quoted[64];
		const struct ts_detect_op *op = NULL;
		bool dup = false;

		if (len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			op = ts_detect_op_find(name);
		}
		if (op == NULL) {
			char list[256];
			size_t at = 0, nops = sizeof ops / sizeof ops[0];
			for (size_t i = 0; i < nops && at < sizeof list; i++)
				at += (size_t)snprintf(list + at, sizeof list - at, "%s%s",
						       i == 0 ? "" : i + 1 == nops ? " or " : ", ", ops[i].name);
			return ts_err_set(err, TS_EUSAGE, "unknown method \"%s\" (expected %s)",
					  ts_err_quote(p, len, quoted, sizeof quoted), list);
		}
		for (size_t k = 0; k < *n; k++)
			dup |= methods[k] == op->method;
		if (!dup)
			methods[(*n)++] = op->method;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/* ---- running it all ---- */

/* Methods without a distribution of their own write signed deviations in
 * score (robust sigmas, IQRs, a change or a difference, 0 where the row is
 * as expected); each becomes its tail probability among the series' own
 * deviations, scaled by 1.4826 times their median size, on the common score
 * scale. */
static int calibrate_scores(double *score, size_t n, struct ts_err *err)
{
	struct ts_tail_fit fit = { 0 };
	double *z = ts_mallocarray(n + 1, sizeof *z), scale;
	size_t h = 0;
	int rc;

	if (z == NULL)
		return nomem(err);
	for (size_t i = 0; i < n; i++)
		if (isfinite(score[i]))
			z[h++] = fabs(score[i]);
	scale = h > 0 ? 1.482602218505602 * ts_median_inplace(z, h) : NAN;
	h = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(score[i]))
			z[h++] = ratio_score(score[i], 0, scale);
	if ((rc = ts_tail_fit(z, h, TS_SURPRISE_TAIL, true, &fit, err)) == 0)
		for (size_t i = 0; i < n; i++)
			if (!isnan(score[i]))
				score[i] = ts_score_of_p(ts_tail_fit_p(&fit, ratio_score(score[i], 0, scale)));
	ts_tail_fit_free(&fit);
	free(z);
	return rc;
}

/* The points of the --last window: the last N in time order, or those less
 * than DUR before the last valued one (its bound computed once). */
static void mark_window(struct ts_detect_ctx *c)
{
	const struct ts_detect_series *s = c->s;
	const struct ts_detect_opts *o = c->o;
	ts_time since = 0;

	memset(c->in_window, o->last_kind == TS_LAST_ALL, s->n);
	if (o->last_kind == TS_LAST_ALL || !c->any_value)
		return;
	if (o->last_kind == TS_LAST_DUR)
		since = ts_time_add(s->t[c->ord[c->last]], &o->last_dur, -1, &s->zone);
	for (size_t p = 0; p <= c->last; p++) {
		size_t i = c->ord[p];
		if (o->last_kind == TS_LAST_ROWS)
			c->in_window[i] = c->last - p < o->last_rows;
		else
			c->in_window[i] = s->t[i] > since;
	}
}

static int ctx_init(struct ts_detect_ctx *c, const struct ts_detect_series *s, const struct ts_detect_opts *o,
		    struct ts_err *err)
{
	size_t n = s->n;
	bool sorted = true;

	memset(c, 0, sizeof *c);
	c->s = s;
	c->o = o;
	c->lambda = NAN;
	c->ord = ts_mallocarray(n + 1, sizeof *c->ord);
	c->pos = ts_mallocarray(n + 1, sizeof *c->pos);
	c->in_window = ts_mallocarray(n + 1, 1);
	if (c->ord == NULL || c->pos == NULL || c->in_window == NULL) {
		ctx_free(c);
		return nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		c->ord[i] = i;
		if (i > 0 && s->t[i] < s->t[i - 1])
			sorted = false;
	}
	if (!sorted) {
		/* Stable insertion into order by merging runs: a plain merge sort. */
		size_t *tmp = ts_mallocarray(n, sizeof *tmp);
		if (tmp == NULL) {
			ctx_free(c);
			return nomem(err);
		}
		for (size_t width = 1; width < n; width *= 2) {
			for (size_t lo = 0; lo < n; lo += 2 * width) {
				size_t mid = lo + width < n ? lo + width : n;
				size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
				size_t a = lo, b = mid, k = lo;
				while (a < mid && b < hi)
					tmp[k++] = s->t[c->ord[b]] < s->t[c->ord[a]] ? c->ord[b++] : c->ord[a++];
				while (a < mid)
					tmp[k++] = c->ord[a++];
				while (b < hi)
					tmp[k++] = c->ord[b++];
			}
			memcpy(c->ord, tmp, n * sizeof *tmp);
		}
		free(tmp);
	}
	for (size_t p = 0; p < n; p++) {
		c->pos[c->ord[p]] = p;
		if (isfinite(s->y[c->ord[p]])) {
			if (!c->any_value)
				c->first = p;
			c->any_value = true;
			c->last = p;
		}
	}
	mark_window(c);
	c->window_only = o->window_only && o->last_kind != TS_LAST_ALL && o->consecutive <= 1 &&
			 o->cooldown.us == 0 && o->cooldown.months == 0;
	return 0;
}

static void ctx_free(struct ts_detect_ctx *c)
{
	TS_FREE_ALL(c->ord, c->pos, c->in_window, c->x, c->fit, c->trend, c->seasonal);
	memset(c, 0, sizeof *c);
}

int ts_detect_last_window(const struct ts_detect_series *s, const struct ts_detect_opts *o,
			  unsigned char *in_window, struct ts_err *err)
{
	struct ts_detect_ctx c;
	int rc;

	if ((rc = ctx_init(&c, s, o, err)) != 0)
		return rc;
	memcpy(in_window, c.in_window, s->n);
	ctx_free(&c);
	return 0;
}

static void append_reason(char *dst, const char *src)
{
	size_t len = strlen(dst);

	if (len > 0 && len + 2 < TS_REASON_MAX) {
		memcpy(dst + len, "; ", 3);
		len += 2;
	}
	snprintf(dst + len, TS_REASON_MAX - len, "%s", src);
}

int ts_detect_run(const struct ts_detect_series *s, const struct ts_detect_opts *o,
		  struct ts_detect_result *r, struct ts_err *err)
{
	struct ts_detect_result tmp = { 0 };
	struct ts_detect_ctx c;
	size_t n = s->n;
	bool alone = o->nmethods == 1;	/* the one method writes r itself */
	int rc;

	if ((rc = ctx_init(&c, s, o, err)) != 0)
		return rc;
	if (!alone && (rc = ts_detect_result_alloc(&tmp, n, err)) != 0)
		goto out;
	result_reset(r);
	free(r->rule_seen);
	r->rule_seen = NULL;
	if (o->nrules > 0 && (r->rule_seen = ts_calloc(ts_detect_rule_terms(o) + 1, 1)) == NULL) {
		rc = nomem(err);
		goto out;
	}
	tmp.rule_seen = r->rule_seen;	/* the rule method marks r's */
	for (size_t k = 0; k < o->nmethods; k++) {
		const struct ts_detect_op *op = op_of(o->methods[k]);
		struct ts_detect_result *into = alone ? r : &tmp;
		if (!alone)
			result_reset(&tmp);
		if (op == NULL) {
			rc = ts_err_set(err, TS_EUSAGE, "unknown method");
			goto out;
		}
		c.method = op->name;
		if (op->needs_regular && (rc = need_regular(&c, err)) != 0)
			goto out;
		if ((rc = op->run(&c, into, err)) != 0)
			goto out;
		if (!op->calibrated && (rc = calibrate_scores(into->score, n, err)) != 0)
			goto out;
		if (alone) {
			/* What the combination below leaves of one method. */
			for (size_t i = 0; i < n; i++) {
				bool flag = r->anomaly[i] && isfinite(s->y[i]);
				r->anomaly[i] = flag;
				if (!flag)
					r->reason[i][0] = '\0';
			}
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			bool flag = tmp.anomaly[i] && isfinite(s->y[i]);
			if ((k == 0 && !flag) || (flag && !r->anomaly[i])) {
				r->score[i] = tmp.score[i];
				r->expected[i] = tmp.expected[i];
				r->lower[i] = tmp.lower[i];
				r->upper[i] = tmp.upper[i];
			}
			if (flag) {
				append_reason(r->reason[i], tmp.reason[i]);
				r->anomaly[i] = 1;
			}
		}
	}
	/* Post filters, in time order. */
	{
		size_t run = 0;
		bool have_kept = false;
		ts_time until = 0;
		bool cooldown = o->cooldown.us != 0 || o->cooldown.months != 0;
		for (size_t p = 0; p < n; p++) {
			size_t i = c.ord[p];
			double y = s->y[i], e = r->expected[i];
			bool f = r->anomaly[i] != 0;
			if (f && o->min_delta > 0 && isfinite(e) && !(fabs(y - e) >= o->min_delta))
				f = false;
			if (f && o->min_ratio > 0 && isfinite(e) && !(fabs(y - e) >= o->min_ratio * fabs(e)))
				f = false;
			run = f ? run + 1 : 0;
			if (f && o->consecutive > 1 && run < o->consecutive)
				f = false;
			if (f && cooldown) {
				if (have_kept && s->t[i] < until)
					f = false;
				else {
					have_kept = true;
					until = ts_time_add(s->t[i], &o->cooldown, 1, &s->zone);
				}
			}
			if (!f && r->anomaly[i]) {
				r->anomaly[i] = 0;
				r->reason[i][0] = '\0';
			}
		}
	}
	if (o->last_kind != TS_LAST_ALL) {
		for (size_t i = 0; i < n; i++) {
			if (!c.in_window[i]) {
				r->anomaly[i] = 0;
				r->reason[i][0] = '\0';
			}
		}
	}
out:
	tmp.rule_seen = NULL;	/* r's */
	ts_detect_result_free(&tmp);
	ctx_free(&c);
	return rc;
}
