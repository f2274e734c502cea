/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cv: rolling-origin cross-validation and Prophet's performance metrics, as
 * facebook/prophet's diagnostics.py (generate_cutoffs, cross_validation,
 * performance_metrics, rolling_mean_by_h, rolling_median_by_h); MASE as
 * Hyndman & Koehler, "Another look at measures of forecast accuracy" (2006). */
#include "forecast/cv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/stats.h"

static const char *const metric_names[TS_NMETRICS] = {
	"mse", "rmse", "mae", "mape", "mdape", "smape", "coverage", "mase"
};

int ts_metric_parse(const char *name)
{
	for (int i = 0; i < TS_NMETRICS; i++)
		if (strcmp(name, metric_names[i]) == 0)
			return i;
	return -1;
}

const char *ts_metric_name(int metric)
{
	return metric >= 0 && metric < TS_NMETRICS ? metric_names[metric] : "?";
}

/* Whether some t[i] lies in (lo, hi]. */
static bool any_in(const ts_time *t, size_t n, ts_time lo, ts_time hi)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] > lo && t[i] <= hi)
			return true;
	return false;
}

size_t ts_cv_fold(const struct ts_fc_series *s, ts_time cutoff, ts_time horizon, ts_time span,
		  double *y, struct ts_fc_series *sub)
{
	size_t end = 0, from = s->n, before = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (s->t[i] <= cutoff + horizon)
			end = i + 1;
		if (s->t[i] > cutoff && from == s->n)
			from = i;
		y[i] = s->t[i] <= cutoff ? s->y[i] : NAN;
		before += !isnan(y[i]);
	}
	*sub = *s;
	sub->n = end;
	sub->y = y;
	sub->from = from;
	sub->season_span = span;
	return before;
}

int ts_cv_cutoffs(const ts_time *t, size_t n, ts_time horizon, ts_time period, ts_time initial,
		  ts_time *cut, size_t max, size_t *ncut, struct ts_err *err)
{
	ts_time c, first = t[0], last = t[n - 1];
	size_t k = 0;

	*ncut = 0;
	c = last - horizon;
	if (c < first)
		return ts_err_set(err, TS_EDATA, "less data than horizon");
	/* result = [c]; while result[-1] >= first + initial: step, append; drop last */
	ts_time prev = c;
	if (k < max)
		cut[k++] = c;
	while (prev >= first + initial) {
		c -= period;
		if (!any_in(t, n, c, c + horizon) && c > first) {
			ts_time closest = first;
			for (size_t i = 0; i < n; i++)
				if (t[i] <= c && t[i] > closest)
					closest = t[i];
			c = closest - horizon;
		}
		if (k >= max)
			break;
		cut[k++] = c;
		prev = c;
	}
	if (k > 0)
		k--;	/* the last one appended fails the test */
	if (k == 0)
		return ts_err_set(err, TS_EDATA,
				  "less data than horizon after the initial window: make horizon or initial shorter");
	for (size_t i = 0; i < k / 2; i++) {
		ts_time x = cut[i];
		cut[i] = cut[k - 1 - i];
		cut[k - 1 - i] = x;
	}
	*ncut = k;
	return 0;
}

int ts_cv_default_windows(struct ts_cv_windows *w, double longest_days, struct ts_err *err)
{
	if (w->horizon == 0)
		return ts_err_set(err, TS_EUSAGE, "--cv: give horizon=DUR (or -H)");
	if (w->period == 0)
		w->period = w->horizon / 2;
	if (w->initial == 0) {
		ts_time longest = (ts_time)(longest_days * (double)TS_US_PER_DAY);
		w->initial = 3 * w->horizon > longest ? 3 * w->horizon : longest;
	}
	return 0;
}

int ts_cv_run(ts_forecast_fn fn, const void *cfg, const struct ts_fc_series *s, ts_time horizon,
	      ts_time period, ts_time initial, struct ts_cv_row **rows_out, size_t *nrows_out,
	      struct ts_err *err)
{
	size_t nh = 0, ncut = 0, nrows = 0, cap = 0, maxcut;
	ts_time *th = NULL, *cut = NULL, span;
	double *y = NULL, *yhat = NULL, *lo = NULL, *hi = NULL;
	struct ts_cv_row *rows = NULL;
	int rc = 0;

	*rows_out = NULL;
	*nrows_out = 0;
	th = ts_mallocarray(s->n + 1, sizeof *th);
	y = ts_mallocarray(s->n + 1, sizeof *y);
	yhat = ts_mallocarray(s->n + 1, sizeof *yhat);
	lo = ts_mallocarray(s->n + 1, sizeof *lo);
	hi = ts_mallocarray(s->n + 1, sizeof *hi);
	if (th == NULL || y == NULL || yhat == NULL || lo == NULL || hi == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->y[i]))
			th[nh++] = s->t[i];
	span = ts_fc_span(s);
	if (nh < 2) {
		rc = ts_err_set(err, TS_EDATA, nh == 0 ? "no values to fit" :
				"fewer than two points with a value");
		goto out;
	}
	maxcut = nh + 2;
	cut = ts_mallocarray(maxcut, sizeof *cut);
	if (cut == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = ts_cv_cutoffs(th, nh, horizon, period, initial, cut, maxcut, &ncut, err)) != 0)
		goto out;
	for (size_t ci = 0; ci < ncut; ci++) {
		struct ts_fc_series sub;
		struct ts_fc_result r = { yhat, lo, hi, NULL, NULL, NAN, "" };

		if (ts_cv_fold(s, cut[ci], horizon, span, y, &sub) < 2) {
			char when[TS_TIME_BUFSIZE];
			struct ts_tfmt f = { .kind = TS_TK_DATETIME, .sep = ' ', .seconds = true };
			ts_time_format(cut[ci], &f, NULL, when);
			rc = ts_err_set(err, TS_EDATA,
					"less than two points before cutoff %s: make initial longer", when);
			goto out;
		}
		if ((rc = fn(cfg, &sub, &r, err)) != 0)
			goto out;
		for (size_t i = sub.from; i < sub.n; i++) {
			if (isnan(s->y[i]))
				continue;
			struct ts_cv_row *grown = ts_grow(rows, &cap, nrows + 1, sizeof *rows);
			if (grown == NULL) {
				rc = ts_err_set(err, TS_ENOMEM, "out of memory");
				goto out;
			}
			rows = grown;
			rows[nrows].ds = s->t[i];
			rows[nrows].cutoff = cut[ci];
			rows[nrows].y = s->y[i];
			rows[nrows].yhat = yhat[i];
			rows[nrows].lower = lo[i];
			rows[nrows].upper = hi[i];
			nrows++;
		}
	}
	*rows_out = rows;
	*nrows_out = nrows;
	rows = NULL;
out:
	TS_FREE_ALL(rows, th, cut, y, yhat, lo, hi);
	return rc;
}

/* ---- performance metrics ------------------------------------------------ */

struct hrow {
	ts_time h;
	size_t index;	/* stable order among equal horizons */
};

static int cmp_hrow(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Distinct horizons of the sorted h[0..n): group start offsets in gs (ng + 1). */
static size_t group_by_h(const ts_time *h, size_t n, size_t *gs)
{
	size_t ng = 0;

	for (size_t i = 0; i < n; i++)
		if (i == 0 || h[i] != h[i - 1])
			gs[ng++] = i;
	gs[ng] = n;
	return ng;
}

/* Prophet's rolling_mean_by_h: res[g] for groups g >= *first_out. */
static void rolling_mean(const double *x, const size_t *gs, size_t ng, size_t w, double *res,
			 size_t *first_out)
{
	long trailing = (long)ng - 1;
	double xsum = 0;
	size_t nsum = 0;

	for (long i = (long)ng - 1; i >= 0; i--) {
		double xs_i = 0;
		size_t ns_i = gs[i + 1] - gs[i];
		for (size_t r = gs[i]; r < gs[i + 1]; r++)
			xs_i += x[r];
		xsum += xs_i;
		nsum += ns_i;
		while (nsum >= w) {
			double excess_n = (double)(nsum - w);
			double excess_x = excess_n * xs_i / (double)ns_i;
			res[trailing] = (xsum - excess_x) / (double)w;
			double xt = 0;
			for (size_t r = gs[trailing]; r < gs[trailing + 1]; r++)
				xt += x[r];
			xsum -= xt;
			nsum -= gs[trailing + 1] - gs[trailing];
			trailing--;
		}
	}
	*first_out = (size_t)(trailing + 1);
}

static double median_of(double *a, size_t n)
{
	qsort(a, n, sizeof *a, ts_cmp_double);
	return ts_median_sorted(a, n);
}

/* Prophet's rolling_median_by_h, with scratch of n values. */
static void rolling_median(const double *x, const size_t *gs, size_t ng, size_t w, double *res,
			   size_t *first_out, double *scratch)
{
	long i = (long)ng - 1;

	while (i >= 0) {
		size_t k = 0;
		for (size_t r = gs[i]; r < gs[i + 1]; r++)
			scratch[k++] = x[r];
		long next = (long)gs[i] - 1;
		while (k < w && next >= 0)
			scratch[k++] = x[next--];
		if (k < w)
			break;
		res[i] = median_of(scratch, k);
		i--;
	}
	*first_out = (size_t)(i + 1);
}

int ts_cv_performance(const struct ts_cv_row *rows, size_t nrows, double window,
		      struct ts_cv_perf *perf, struct ts_err *err)
{
	struct hrow *hr = NULL;
	ts_time *h = NULL;
	size_t *gs = NULL, ng, w, first = 0;
	double *x[TS_M_COVERAGE + 1] = { 0 }, *res = NULL, *scratch = NULL;
	double ymin = INFINITY;
	int rc = 0;

	memset(perf, 0, sizeof *perf);
	if (nrows == 0)
		return ts_err_set(err, TS_EDATA, "no cross-validation predictions");
	hr = ts_mallocarray(nrows, sizeof *hr);
	h = ts_mallocarray(nrows, sizeof *h);
	gs = ts_mallocarray(nrows + 1, sizeof *gs);
	res = ts_mallocarray(nrows, sizeof *res);
	scratch = ts_mallocarray(nrows, sizeof *scratch);
	for (int k = 0; k <= TS_M_COVERAGE; k++)
		x[k] = ts_mallocarray(nrows, sizeof *x[k]);
	if (hr == NULL || h == NULL || gs == NULL || res == NULL || scratch == NULL ||
	    x[0] == NULL || x[1] == NULL || x[2] == NULL || x[3] == NULL || x[4] == NULL ||
	    x[5] == NULL || x[6] == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		hr[i].h = rows[i].ds - rows[i].cutoff;
		hr[i].index = i;
	}
	qsort(hr, nrows, sizeof *hr, cmp_hrow);
	for (size_t i = 0; i < nrows; i++) {
		const struct ts_cv_row *r = &rows[hr[i].index];
		double e = r->y - r->yhat, den = (fabs(r->y) + fabs(r->yhat)) / 2;
		h[i] = hr[i].h;
		x[TS_M_MSE][i] = e * e;
		x[TS_M_MAE][i] = fabs(e);
		x[TS_M_MAPE][i] = fabs(e / r->y);
		x[TS_M_SMAPE][i] = den == 0 ? 0 : fabs(e) / den;
		x[TS_M_COVERAGE][i] = r->y >= r->lower && r->y <= r->upper;
		if (fabs(r->y) < ymin)
			ymin = fabs(r->y);
	}
	perf->has_mape = !(ymin < 1e-8);
	ng = group_by_h(h, nrows, gs);
	w = (size_t)(window * (double)nrows);
	if (w < 1)
		w = 1;
	if (w > nrows)
		w = nrows;
	/* mse decides the horizons; every mean metric reaches the same ones */
	rolling_mean(x[TS_M_MSE], gs, ng, w, res, &first);
	perf->n = ng - first;
	perf->horizon = ts_mallocarray(perf->n + 1, sizeof *perf->horizon);
	for (int k = 0; k <= TS_M_COVERAGE; k++)
		perf->m[k] = ts_mallocarray(perf->n + 1, sizeof *perf->m[k]);
	for (int k = 0; k <= TS_M_COVERAGE; k++)
		if (perf->m[k] == NULL || perf->horizon == NULL) {
			ts_cv_perf_free(perf);
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto out;
		}
	for (size_t g = first; g < ng; g++)
		perf->horizon[g - first] = h[gs[g]];
	for (int k = 0; k <= TS_M_COVERAGE; k++) {
		size_t f = 0;
		if (k == TS_M_RMSE)
			continue;
		for (size_t g = 0; g < ng; g++)
			res[g] = NAN;
		if (k == TS_M_MDAPE)
			rolling_median(x[TS_M_MAPE], gs, ng, w, res, &f, scratch);
		else
			rolling_mean(x[k], gs, ng, w, res, &f);
		for (size_t g = first; g < ng; g++)
			perf->m[k][g - first] = g >= f ? res[g] : NAN;
	}
	for (size_t g = 0; g < perf->n; g++)
		perf->m[TS_M_RMSE][g] = sqrt(perf->m[TS_M_MSE][g]);
	if (!perf->has_mape)
		for (size_t g = 0; g < perf->n; g++)
			perf->m[TS_M_MAPE][g] = perf->m[TS_M_MDAPE][g] = NAN;
out:
	TS_FREE_ALL(hr, h, gs, res, scratch);
	for (int k = 0; k <= TS_M_COVERAGE; k++)
		free(x[k]);
	return rc;
}

void ts_cv_perf_free(struct ts_cv_perf *perf)
{
	free(perf->horizon);
	for (int k = 0; k <= TS_M_COVERAGE; k++)
		free(perf->m[k]);
	memset(perf, 0, sizeof *perf);
}

double ts_mase_scale(const double *y, size_t n, size_t season)
{
	double s = 0;
	size_t k = 0;

	if (season < 1)
		season = 1;
	for (size_t i = season; i < n; i++)
		if (!isnan(y[i]) && !isnan(y[i - season])) {
			s += fabs(y[i] - y[i - season]);
			k++;
		}
	return k == 0 ? NAN : s / (double)k;
}

double ts_cv_score(const struct ts_cv_row *rows, size_t nrows, int metric, double scale,
		   double width)
{
	double s = 0;
	double *ape = NULL;

	if (nrows == 0)
		return NAN;
	if (metric == TS_M_MDAPE) {
		ape = ts_mallocarray(nrows, sizeof *ape);
		if (ape == NULL)
			return NAN;
	}
	for (size_t i = 0; i < nrows; i++) {
		const struct ts_cv_row *r = &rows[i];
		double e = r->y - r->yhat, den = (fabs(r->y) + fabs(r->yhat)) / 2;
		switch (metric) {
		case TS_M_MSE:
		case TS_M_RMSE:
			s += e * e;
			break;
		case TS_M_MAE:
		case TS_M_MASE:
			s += fabs(e);
			break;
		case TS_M_MAPE:
			s += fabs(e / r->y);
			break;
		case TS_M_MDAPE:
			ape[i] = fabs(e / r->y);
			break;
		case TS_M_SMAPE:
			s += den == 0 ? 0 : fabs(e) / den;
			break;
		case TS_M_COVERAGE:
			s += r->y >= r->lower && r->y <= r->upper;
			break;
		default:
			return NAN;
		}
	}
	if (metric == TS_M_MDAPE) {
		s = median_of(ape, nrows);
		free(ape);
		return s;
	}
	s /= (double)nrows;
	if (metric == TS_M_RMSE)
		s = sqrt(s);
	else if (metric == TS_M_MASE)
		s = scale > 0 ? s / scale : NAN;
	else if (metric == TS_M_COVERAGE)
		s = fabs(s - width);
	return s;
}
