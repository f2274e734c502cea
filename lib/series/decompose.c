/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decompose: period bookkeeping, MSTL with stl()'s options, the median
 * method, gaps and Box-Cox around STL, and the summary figures.
 * Papers: Cleveland, Cleveland, McRae & Terpenning (1990), J. Official
 * Statistics 6(1) (STL); Bandara, Hyndman & Bergmeir (2021), arXiv:2107.13462
 * (MSTL); Hochenbaum, Vallis & Kejariwal (2017), arXiv:1704.07706 (median
 * trend of S-H-ESD); Wang, Smith & Hyndman (2006), Data Mining and Knowledge
 * Discovery 13(3) (strength measures).
 * Reference implementation followed: R forecast 8.20 mstl() (period dropping,
 * the seasonal-window sequence 7 + 4 i, the refitting loop, supsmu for
 * non-seasonal series, na.interp and BoxCox before decomposing) and R's
 * runmed(endrule = "constant") for the edges of the moving median. */
#include "series/decompose.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_movstat.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "series/boxcox.h"
#include "core/gslerr.h"
#include "core/mem.h"
#include "series/nainterp.h"
#include "core/stats.h"

int ts_moving_median(const double *x, size_t n, size_t window, double *out, struct ts_err *err)
{
	gsl_movstat_workspace *w;
	size_t h, i;

	ts_gsl_errors_off();
	if (window % 2 == 0)
		return ts_err_set(err, TS_EUSAGE, "median window must be odd");
	if (n == 0)
		return 0;
	if (window > n)
		window = n % 2 == 1 ? n : n - 1;
	if (window <= 1) {
		memcpy(out, x, n * sizeof *out);
		return 0;
	}
	w = gsl_movstat_alloc(window);
	if (w == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	{
		gsl_vector_const_view xv = gsl_vector_const_view_array(x, n);
		gsl_vector_view ov = gsl_vector_view_array(out, n);
		gsl_movstat_median(GSL_MOVSTAT_END_TRUNCATE, &xv.vector, &ov.vector, w);
	}
	gsl_movstat_free(w);
	/* runmed's "constant" end rule: the edges repeat the first and last
	 * medians of a whole window */
	h = window / 2;
	for (i = 0; i < h; i++) {
		out[i] = out[h];
		out[n - 1 - i] = out[n - 1 - h];
	}
	return 0;
}

/* R's nextodd(): round, then make odd. */
static size_t next_odd(double x)
{
	size_t v = (size_t)floor(x + 0.5);

	return v % 2 == 0 ? v + 1 : v;
}

void ts_decomp_free(struct ts_decomp *d)
{
	TS_FREE_ALL(d->trend, d->seasonal, d->remainder, d->weights);
	d->trend = d->seasonal = d->remainder = d->weights = NULL;
}

/* Sorted distinct periods into out; checks each. */
static int sort_periods(const size_t *periods, size_t nperiods, size_t *out, size_t *nout,
			struct ts_err *err)
{
	size_t m = 0;

	for (size_t i = 0; i < nperiods; i++) {
		size_t v = periods[i], j;

		if (v < 2)
			return ts_err_set(err, TS_EUSAGE, "period must be at least 2");
		for (j = 0; j < m && out[j] < v; j++)
			;
		if (j < m && out[j] == v)
			continue;
		if (m == TS_DECOMP_MAX_PERIODS)
			return ts_err_set(err, TS_EUSAGE, "at most %d seasonal periods",
					  TS_DECOMP_MAX_PERIODS);
		memmove(out + j + 1, out + j, (m - j) * sizeof *out);
		out[j] = v;
		m++;
	}
	*nout = m;
	return 0;
}

/* The whole-series checks, in the order the header promises. */
static int check_values(const double *y, size_t n, struct ts_decomp *d, struct ts_err *err)
{
	double first = NAN;
	bool constant = true;

	for (size_t i = 0; i < n; i++) {
		if (isnan(y[i])) {
			d->nmissing++;
			continue;
		}
		if (!isfinite(y[i])) {
			d->bad = i;
			return ts_err_set(err, TS_EDATA, "infinite value");
		}
		if (isnan(first))
			first = y[i];
		else if (y[i] != first)
			constant = false;
	}
	if (d->nmissing == n)
		return ts_err_set(err, TS_EDATA, "all values are missing");
	if (constant) {
		char text[32];
		snprintf(text, sizeof text, "%.15g", first);
		return ts_err_set(err, TS_EDATA, "constant series (every value is %s)", text);
	}
	return 0;
}

static int too_short(size_t period, size_t n, struct ts_err *err)
{
	return ts_err_set(err, TS_EDATA, "too short for period %zu: %zu point%s, need at least %zu",
			  period, n, n == 1 ? "" : "s", 2 * period + 1);
}

/* The parts, one value per point: a long series' in huge pages (ts_rows_alloc),
 * whose first touch costs a fault per 2 MiB rather than per 4 KiB. */
static int allocate(struct ts_decomp *d, size_t n, bool weights)
{
	d->trend = ts_rows_alloc(n, sizeof *d->trend);
	d->remainder = ts_rows_alloc(n, sizeof *d->remainder);
	if (d->nkept > 0) {
		if (d->nkept > SIZE_MAX / n)
			return -1;
		d->seasonal = ts_rows_alloc(d->nkept * n, sizeof *d->seasonal);
	}
	if (weights)
		d->weights = ts_rows_alloc(n, sizeof *d->weights);
	if (d->trend == NULL || d->remainder == NULL || (d->nkept > 0 && d->seasonal == NULL) ||
	    (weights && d->weights == NULL))
		return -1;
	return 0;
}

/* The seasonal part of the median method: an STL / MSTL of the detrended
 * series x - trend; remainder = x - trend - seasonals. */
static int median_method(const double *x, size_t n, const struct ts_decomp_params *p,
			 size_t nasked, struct ts_decomp *d, double *work, struct ts_err *err)
{
	size_t window = p->median_window, i, k;
	double *detrended = work, *scratch = work + n, *mwork = work + 2 * n;
	size_t periodic[1] = { TS_STL_PERIODIC };
	int rc;

	if (window == 0) {
		if (d->nkept > 0)
			window = next_odd((double)d->kept[d->nkept - 1]);
		else
			window = next_odd(ceil((double)n / 10.0));
		if (window < 3)
			window = 3;
	}
	rc = ts_moving_median(x, n, window, d->trend, err);
	if (rc != 0)
		return rc;
	for (i = 0; i < n; i++)
		detrended[i] = x[i] - d->trend[i];
	if (d->nkept > 0) {
		size_t iterate = nasked > 1 ? (p->iterate != 0 ? p->iterate : 2) : 1;
		const size_t *sw = p->ns_windows > 0 ? p->s_windows : periodic;
		size_t nsw = p->ns_windows > 0 ? p->ns_windows : 1;

		rc = ts_mstl_full(detrended, n, d->kept, d->nkept, &p->stl, sw, nsw, iterate,
				  scratch, d->seasonal, d->remainder, d->weights, mwork, err);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		double r = detrended[i];
		for (k = 0; k < d->nkept; k++)
			r -= d->seasonal[k * n + i];
		d->remainder[i] = r;
	}
	return 0;
}

int ts_decompose(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 const struct ts_decomp_params *p, struct ts_decomp *d, struct ts_err *err)
{
	size_t asked[TS_DECOMP_MAX_PERIODS], nasked = 0, i, nwork;
	double *x = NULL, *work = NULL;
	const double *series;
	bool want_weights;
	int rc, scale;

	memset(d, 0, sizeof *d);
	d->lambda = NAN;
	d->n = n;
	d->bad = SIZE_MAX;
	if ((rc = sort_periods(periods, nperiods, asked, &nasked, err)) != 0)
		return rc;
	if ((rc = check_values(y, n, d, err)) != 0)
		return rc;
	for (i = 0; i < nasked; i++) {
		if (2 * asked[i] >= n)
			d->dropped[d->ndropped++] = asked[i];
		else
			d->kept[d->nkept++] = asked[i];
	}
	if (nasked > 0 && d->nkept == 0) {
		/* one period too long, or all of several: nothing seasonal to fit */
		d->ndropped = 0;
		return too_short(asked[0], n, err);
	}
	if (p->ns_windows > 1 && p->ns_windows != nasked)
		return ts_err_set(err, TS_EUSAGE, "%zu seasonal windows for %zu period%s",
				  p->ns_windows, nasked, nasked == 1 ? "" : "s");

	want_weights = d->nkept > 0;
	/* workspace: the transformed series, then the largest of what the
	 * steps below need */
	nwork = ts_mstl_full_work_size(n, d->kept, d->nkept);
	if (nwork != SIZE_MAX && nwork < 8 * n)
		nwork = 8 * n;
	if (nwork != SIZE_MAX && nwork <= SIZE_MAX - 2 * n)
		nwork += 2 * n;
	else
		nwork = SIZE_MAX;
	x = ts_rows_alloc(n, sizeof *x);
	work = nwork == SIZE_MAX ? NULL : ts_rows_alloc(nwork, sizeof *work);
	if (x == NULL || work == NULL || allocate(d, n, want_weights) != 0) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}

	if (p->boxcox) {
		double lambda = p->lambda;
		size_t freq = d->nkept > 0 ? d->kept[d->nkept - 1] : 1;

		/* refuse bad data before choosing lambda, with lambda's own rules after */
		rc = ts_boxcox(y, n, 1.0, x, &d->bad, err);
		if (rc == 0 && p->boxcox_auto)
			rc = ts_boxcox_lambda(y, n, freq, TS_BOXCOX_LOWER, TS_BOXCOX_UPPER, &lambda, err);
		if (rc == 0)
			rc = ts_boxcox(y, n, lambda, x, &d->bad, err);
		if (rc != 0)
			goto done;
		d->lambda = lambda;
	}
	/* The series as given is decomposed where it is, without a copy (of
	 * pages to be mapped), unless it has to change. */
	series = p->boxcox ? x : y;
	scale = ts_stl_safe_exponent(series, n);
	if (!p->boxcox && (scale != 0 || d->nmissing > 0)) {
		memcpy(x, y, n * sizeof *x);
		series = x;
	}
	/* Values near DBL_MAX: every step below is linear in x (the median
	 * too), so work on x / 2^e and scale the parts back, exactly. */
	if (scale != 0)
		for (i = 0; i < n; i++)
			x[i] = ldexp(x[i], -scale);
	if (d->nmissing > 0 && (rc = ts_na_interp(x, n, d->kept, d->nkept, x, err)) != 0)
		goto done;

	if (p->method == TS_DECOMP_MEDIAN) {
		rc = median_method(series, n, p, nasked, d, work, err);
	} else if (d->nkept > 0) {
		size_t iterate = nasked > 1 ? (p->iterate != 0 ? p->iterate : 2) : 1;
		rc = ts_mstl_full(series, n, d->kept, d->nkept, &p->stl, p->s_windows, p->ns_windows,
				  iterate, d->trend, d->seasonal, d->remainder, d->weights, work, err);
	} else {
		/* mstl's non-seasonal branch: supsmu(seq_len(n), x) */
		double *t = work, *sw = work + n;
		for (i = 0; i < n; i++)
			t[i] = (double)(i + 1);
		ts_supsmu(t, series, n, d->trend, sw);
		for (i = 0; i < n; i++)
			d->remainder[i] = series[i] - d->trend[i];
		rc = 0;
	}
	if (rc == 0 && scale != 0)
		for (i = 0; i < n; i++) {
			d->trend[i] = ldexp(d->trend[i], scale);
			d->remainder[i] = ldexp(d->remainder[i], scale);
			for (size_t k = 0; k < d->nkept; k++)
				d->seasonal[k * n + i] = ldexp(d->seasonal[k * n + i], scale);
		}
	if (rc == 0 && d->nmissing > 0)
		for (i = 0; i < n; i++)
			if (isnan(y[i])) {
				d->remainder[i] = NAN;
				if (d->weights != NULL)
					d->weights[i] = NAN;
			}
done:
	free(x);
	free(work);
	if (rc != 0) {
		size_t bad = d->bad;
		ts_decomp_free(d);
		d->bad = bad;
	}
	return rc;
}

int ts_decomp_summarize(const struct ts_decomp *d, struct ts_decomp_summary *s,
			struct ts_err *err)
{
	size_t n = d->n, m = 0, i, k;
	double *a = ts_mallocarray(n > 0 ? 2 * n : 1, sizeof *a);

	if (a == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	s->n = n;
	s->nmissing = d->nmissing;
	s->seasonal_strength = NAN;
	if (d->nkept > 0) {
		for (i = 0; i < n; i++) {
			a[i] = 0.0;
			for (k = 0; k < d->nkept; k++)
				a[i] += d->seasonal[k * n + i];
		}
		s->seasonal_strength = ts_seasonal_strength(a, d->remainder, n);
	}
	s->trend_strength = ts_trend_strength(d->trend, d->remainder, n);
	for (i = 0; i < n; i++)
		if (!isnan(d->remainder[i]))
			a[m++] = d->remainder[i];
	/* R's mad() constant, not GSL's exact 1 / qnorm(3/4) */
	s->sigma = m > 0 ? 1.4826 * gsl_stats_mad0(a, 1, m, a + n) : NAN;
	free(a);
	return 0;
}

void ts_classical_decompose(const double *y, size_t n, size_t m, bool mult,
			    double *trend, double *seasonal, double *figure)
{
	/* filter(x, c(0.5, 1, ..., 1, 0.5) / m) for even m, rep(1, m) / m for odd,
	 * centred (sides = 2), summed as R's C filter does: x from late to early */
	size_t nf = m % 2 == 0 ? m + 1 : m, shift = nf / 2, i, j, k;
	double wend = m % 2 == 0 ? 0.5 / (double)m : 1.0 / (double)m, wmid = 1.0 / (double)m;
	double fmean = 0;

	for (i = 0; i < n; i++) {
		double z = 0;

		if (i < shift || i + shift >= n) {
			trend[i] = NAN;
			continue;
		}
		for (j = 0; j < nf; j++) {
			double w = (j == 0 || j == nf - 1) ? wend : wmid;

			z += w * y[i + shift - j];
		}
		trend[i] = z;
	}
	for (k = 0; k < m; k++) {
		long double s = 0;
		size_t cnt = 0;
		double mean, t = 0;

		for (i = k; i < n; i += m) {
			if (isnan(trend[i]))
				continue;
			s += mult ? y[i] / trend[i] : y[i] - trend[i];
			cnt++;
		}
		/* R's mean(na.rm = TRUE), with its correction pass */
		mean = (double)(s / (long double)cnt);
		{
			long double c = 0;

			for (i = k; i < n; i += m)
				if (!isnan(trend[i]))
					c += (mult ? y[i] / trend[i] : y[i] - trend[i]) - (long double)mean;
			t = (double)((long double)mean + c / (long double)cnt);
		}
		figure[k] = t;
	}
	fmean = ts_r_mean(figure, m, 1, false);
	for (k = 0; k < m; k++)
		figure[k] = mult ? figure[k] / fmean : figure[k] - fmean;
	if (seasonal != NULL)
		for (i = 0; i < n; i++)
			seasonal[i] = figure[i % m];
}
