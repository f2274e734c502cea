/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msmodels: mstl-ar, MSTL (forecast::mstl) with an AR forecast (R's ar()) of
 * the seasonally adjusted series (Bandara, Hyndman & Bergmeir 2021), and dhr,
 * a dynamic harmonic regression (Fourier terms per period, AR errors). */
#include "forecast/msmodels.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "forecast/fcband.h"
#include "forecast/lagmodels.h"
#include "forecast/msplit.h"
#include "core/mem.h"

/* ---- mstl-ar ---------------------------------------------------------- */

static int mstl_ar_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
		       struct ts_fc_out *out, struct ts_err *err)
{
	size_t one = spec->m, given = spec->periods != NULL ? spec->nperiods : (spec->m >= 2 ? 1 : 0);
	const size_t *gp = spec->periods != NULL ? spec->periods : &one;
	size_t periods[8], np = 0, h = spec->h;
	double *se, z;
	struct ts_msplit ms;
	struct ts_ar ar;
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, 4, err)) != 0)
		return rc;
	/* a seasonal estimated from fewer than three cycles forecasts worse than none */
	for (size_t k = 0; k < given && np < sizeof periods / sizeof periods[0]; k++)
		if (gp[k] >= 2 && gp[k] <= n / 3)
			periods[np++] = gp[k];
	/* the room beyond the split: se and the AR's work (h + 1 each) */
	if (h > SIZE_MAX / 2 - 1)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if ((rc = ts_msplit_run(y, n, periods, np, 2 * (h + 1), &ms, err)) != 0)
		return rc;
	se = ms.extra;
	if ((rc = ts_ar_yw(ms.adjusted, n, &ar, err)) != 0)
		goto done;
	z = ts_fc_z(spec->level);
	for (size_t i = 0; i < n; i++) {
		double f = ar.mean, one_se = sqrt(ar.var_pred);

		if (i < ar.order) {
			out->fitted[i] = out->fitted_lower[i] = out->fitted_upper[i] = NAN;
			continue;
		}
		for (size_t k = 0; k < ar.order; k++)
			f += ar.phi[k] * (ms.adjusted[i - 1 - k] - ar.mean);
		out->fitted[i] = f + ts_msplit_season_at(&ms, i);
		out->fitted_lower[i] = out->fitted[i] - z * one_se;
		out->fitted_upper[i] = out->fitted[i] + z * one_se;
	}
	ts_ar_forecast(&ar, ms.adjusted, n, h, out->mean, se, se + h + 1);
	for (size_t j = 0; j < h; j++) {
		out->mean[j] += ts_msplit_season_ahead(&ms, j);
		out->lower[j] = out->mean[j] - z * se[j];
		out->upper[j] = out->mean[j] + z * se[j];
	}
	out->sigma2 = ar.var_pred;
	snprintf(out->name, sizeof out->name, "MSTL + AR(%zu)", ar.order);
done:
	ts_msplit_free(&ms);
	return rc;
}

int ts_fc_mstl_ar(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		  struct ts_err *err)
{
	return ts_fc_calibrated(mstl_ar_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}

/* ---- dhr ------------------------------------------------------------- */

/* Most Fourier orders of the shortest period and of the second. The first is
 * all the daily profile of hourly data needs (AICc takes it whole); the
 * weekly one gains held out up to about 30 (scripts/bench-accuracy). */
#define DHR_MAX_ORDER_FIRST 12
#define DHR_MAX_ORDER_SECOND 40
/* AICc's cost of a coefficient, raised from 2: the regression's errors are
 * autocorrelated, so AIC's 2 takes too many weekly terms (held out, 3 does
 * better than 2 or 4 on scripts/bench-accuracy's hourly sets). */
#define DHR_PENALTY 3.0
#define DHR_MAX_COLS (1 + 2 * (DHR_MAX_ORDER_FIRST + DHR_MAX_ORDER_SECOND))

/* The regression's columns: the intercept, then for each period p and order
 * k = 1..K the pair cos, sin(2 pi k t / p); a pair at a frequency an earlier
 * column has is left out, and so is a sine that is 0 at every integer t
 * (k = p / 2). The periods' orders come one after the other, so that every
 * prefix ending at a whole order is a model of its own. */
struct dhr_design {
	size_t ncols;
	size_t period[DHR_MAX_COLS];	/* the column's period; 0: the intercept */
	size_t order[DHR_MAX_COLS];
	size_t which[DHR_MAX_COLS];	/* the period's index */
	bool is_sin[DHR_MAX_COLS];
};

static void dhr_design(const size_t *periods, size_t np, const size_t *maxk, struct dhr_design *d)
{
	d->ncols = 1;
	d->period[0] = d->order[0] = d->which[0] = 0;
	d->is_sin[0] = false;
	for (size_t q = 0; q < np; q++)
		for (size_t k = 1; k <= maxk[q]; k++) {
			bool dup = false;

			/* k / p = order / period, in whole numbers */
			for (size_t c = 1; c < d->ncols && !dup; c++)
				dup = k * d->period[c] == d->order[c] * periods[q];
			if (dup || 2 * k > periods[q])
				continue;
			for (int sn = 0; sn < 2; sn++) {
				if (sn == 1 && 2 * k == periods[q])
					continue;	/* sin(pi t) = 0 */
				d->period[d->ncols] = periods[q];
				d->order[d->ncols] = k;
				d->which[d->ncols] = q;
				d->is_sin[d->ncols] = sn == 1;
				d->ncols++;
			}
		}
}

/* Column c over t = t0 .. t0+len-1 walked by its phase index into the table
 * of cos and sin of 2 pi i / p (i < p) of its period, trig[q] for periods[q]
 * (whole numbers, so the phase stays exact; no division per point):
 * dhr_dot gives its dot product with x, dhr_add adds coef times it to x. */
static double dhr_dot(const struct dhr_design *d, double *const *trig, size_t c, const double *x,
		      size_t len)
{
	size_t p = d->period[c], step = d->order[c], i = 0, odd = d->is_sin[c] ? 1 : 0;
	const double *tab = trig[d->which[c]];
	double sum = 0;

	if (c == 0) {
		for (size_t t = 0; t < len; t++)
			sum += x[t];
		return sum;
	}
	for (size_t t = 0; t < len; t++) {
		sum += tab[2 * i + odd] * x[t];
		i += step;
		if (i >= p)
			i -= p;
	}
	return sum;
}

static void dhr_add(const struct dhr_design *d, double *const *trig, size_t c, double coef,
		    size_t t0, double *x, size_t len)
{
	size_t p = d->period[c], step = d->order[c], odd = d->is_sin[c] ? 1 : 0, i;
	const double *tab = trig[d->which[c]];

	if (c == 0) {
		for (size_t t = 0; t < len; t++)
			x[t] += coef;
		return;
	}
	i = step * (t0 % p) % p;
	for (size_t t = 0; t < len; t++) {
		x[t] += coef * tab[2 * i + odd];
		i += step;
		if (i >= p)
			i -= p;
	}
}

/* The sums over t = 0 .. n-1 of cos and sin of 2 pi (num / den) t, in closed
 * form (the Dirichlet kernel): the Gram matrix of the Fourier columns costs
 * O(1) an entry instead of O(n). num may be negative. */
static void dhr_sums(size_t n, long long num, long long den, double *csum, double *ssum)
{
	long long r = num % den;
	double half, ratio;

	if (r < 0)
		r += den;
	if (r == 0) {
		*csum = (double)n;
		*ssum = 0;
		return;
	}
	half = M_PI * (double)r / (double)den;	/* half the angle step */
	ratio = sin((double)n * half) / sin(half);
	*csum = ratio * cos((double)(n - 1) * half);
	*ssum = ratio * sin((double)(n - 1) * half);
}

/* The least common multiple of the design's periods: every frequency is a
 * whole number over it. */
static long long dhr_den(const struct dhr_design *d)
{
	long long den = 1;

	for (size_t c = 1; c < d->ncols; c++) {
		long long a = den, b = (long long)d->period[c];

		while (b != 0) {
			long long rest = a % b;

			a = b;
			b = rest;
		}
		den = den / a * (long long)d->period[c];
	}
	return den;
}

/* The Gram matrix X'X of the design over t = 0 .. n-1, lower triangle, from
 * the products' sums: cos a cos b = (cos(a - b) + cos(a + b)) / 2 and so on.
 * sums is NULL or holds the cos and sin sums of every r / den, r < den
 * (2 den doubles), which it fills: many entries share a frequency. */
static void dhr_gram(const struct dhr_design *d, size_t n, long long den, double *sums,
		     double *g)
{
	size_t k = d->ncols;
	long long num[DHR_MAX_COLS];

	if (sums != NULL)
		for (long long r = 0; r < den; r++)
			dhr_sums(n, r, den, &sums[2 * r], &sums[2 * r + 1]);
	for (size_t c = 0; c < k; c++)
		num[c] = c == 0 ? 0 : (long long)d->order[c] * (den / (long long)d->period[c]);
	for (size_t c = 0; c < k; c++)
		for (size_t e = 0; e <= c; e++) {
			double cm, sm, cp, sp;

			if (sums != NULL) {
				/* num[c] >= num[e] (orders ascend per period) does not
				 * hold across periods: reduce the difference mod den */
				long long rm = ((num[c] - num[e]) % den + den) % den;
				long long rp = (num[c] + num[e]) % den;

				cm = sums[2 * rm];
				sm = sums[2 * rm + 1];
				cp = sums[2 * rp];
				sp = sums[2 * rp + 1];
			} else {
				dhr_sums(n, num[c] - num[e], den, &cm, &sm);
				dhr_sums(n, num[c] + num[e], den, &cp, &sp);
			}
			if (!d->is_sin[c] && !d->is_sin[e])
				g[c * k + e] = (cm + cp) / 2;
			else if (d->is_sin[c] && d->is_sin[e])
				g[c * k + e] = (cm - cp) / 2;
			else if (d->is_sin[c])
				g[c * k + e] = (sp + sm) / 2;	/* sin a cos b */
			else
				g[c * k + e] = (sp - sm) / 2;	/* cos a sin b */
		}
}

/* Cholesky factor l (lower, k x k) of the Gram matrix g (k x k), a tiny ridge
 * keeping a near-singular one solvable. Returns the number of leading columns
 * factored (k unless a pivot vanished). */
static size_t dhr_cholesky(const double *g, size_t k, double *l)
{
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j <= i; j++) {
			double sum = g[i * k + j] * (i == j ? 1 + 1e-10 : 1);

			for (size_t e = 0; e < j; e++)
				sum -= l[i * k + e] * l[j * k + e];
			if (i == j) {
				if (!(sum > 0))
					return i;
				l[i * k + i] = sqrt(sum);
			} else {
				l[i * k + j] = sum / l[j * k + j];
			}
		}
	}
	return k;
}

static int dhr_fit(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		   struct ts_err *err)
{
	size_t one = spec->m, given = spec->periods != NULL ? spec->nperiods : (spec->m >= 2 ? 1 : 0);
	const size_t *gp = spec->periods != NULL ? spec->periods : &one;
	size_t periods[2], np = 0, maxk[2], nf, k, best = 1, from, h = spec->h, kc;
	struct dhr_design d;
	long long den;
	bool tabled;
	double *work = NULL, *g, *l, *w, *beta, *rem, *se, *trig[2], *sums, yy = 0, rss, z;
	double best_ic = INFINITY;
	struct ts_ar ar;
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, 4, err)) != 0)
		return rc;
	/* the two shortest periods y holds a cycle of: cross-validation's folds,
	 * shorter than the history, then fit the model the history does (with
	 * two cycles or three, as mstl-ar asks, auto ranks hourly data's dhr by
	 * a daily-only fit and scores worse on scripts/bench-accuracy) */
	for (size_t q = 0; q < given && np < 2; q++)
		if (gp[q] >= 2 && gp[q] <= n)
			periods[np++] = gp[q];
	maxk[0] = DHR_MAX_ORDER_FIRST;
	maxk[1] = DHR_MAX_ORDER_SECOND;
	dhr_design(periods, np, maxk, &d);
	k = d.ncols;
	/* Gram and its factor (k^2 each), X'y and its solution (k each),
	 * the remainder (n), se and AR work (2 (h + 1)) */
	if (n >= SIZE_MAX / 16 || h >= SIZE_MAX / 16)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	/* and the periods' tables of cos and sin (2 p each; p <= n), the Gram
	 * sums of each frequency (2 den, when den is at most 8 n: hourly data's
	 * 168, daily data's 7 and 365 give 2555) */
	den = dhr_den(&d);
	tabled = den <= 8 * (long long)n;
	work = ts_mallocarray(2 * k * k + 2 * k + 5 * n + 2 * (h + 1) + (tabled ? 2 * (size_t)den : 0),
			      sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	g = work;
	l = g + k * k;
	w = l + k * k;
	beta = w + k;
	rem = beta + k;
	se = rem + n;
	trig[0] = se + 2 * (h + 1);
	trig[1] = trig[0] + 2 * (np > 0 ? periods[0] : 0);
	sums = trig[1] + 2 * (np > 1 ? periods[1] : 0);
	for (size_t q = 0; q < np; q++)
		for (size_t i = 0; i < periods[q]; i++) {
			double a = 2 * M_PI * (double)i / (double)periods[q];

			trig[q][2 * i] = cos(a);
			trig[q][2 * i + 1] = sin(a);
		}
	dhr_gram(&d, n, den, tabled ? sums : NULL, g);
	for (size_t c = 0; c < k; c++)
		w[c] = dhr_dot(&d, trig, c, y, n);
	for (size_t t = 0; t < n; t++)
		yy += y[t] * y[t];
	nf = dhr_cholesky(g, k, l);
	/* w = L^-1 X'y: the prefix of j columns leaves rss yy - sum_{i<j} w_i^2 */
	for (size_t i = 0; i < nf; i++) {
		for (size_t e = 0; e < i; e++)
			w[i] -= l[i * k + e] * w[e];
		w[i] /= l[i * k + i];
	}
	/* the prefix of least AICc (with DHR_PENALTY per coefficient) among
	 * those ending at a whole order, the first period whole once there is
	 * a second */
	from = 1;
	if (np > 1)
		while (from < nf && d.period[from] == periods[0])
			from++;
	rss = yy;
	for (size_t j = 1; j <= nf; j++) {
		double ic;

		rss -= w[j - 1] * w[j - 1];
		if (j < from || (j < k && d.period[j] == d.period[j - 1] && d.order[j] == d.order[j - 1]))
			continue;
		if (j + 2 >= n)
			break;
		ic = (double)n * log((rss > 0 ? rss : 0) / (double)n + 1e-300) + DHR_PENALTY * (double)j +
		     2.0 * (double)j * (double)(j + 1) / (double)(n - j - 1);
		if (ic < best_ic) {
			best_ic = ic;
			best = j;
		}
	}
	if (nf == 0) {
		rc = ts_err_set(err, TS_EDATA, "dhr: the regression cannot be fitted");
		goto done;
	}
	/* beta = L_best^-T w */
	for (size_t i = best; i-- > 0;) {
		beta[i] = w[i];
		for (size_t e = i + 1; e < best; e++)
			beta[i] -= l[e * k + i] * beta[e];
		beta[i] /= l[i * k + i];
	}
	for (size_t t = 0; t < n; t++)
		out->fitted[t] = 0;
	for (size_t c = 0; c < best; c++)
		dhr_add(&d, trig, c, beta[c], 0, out->fitted, n);
	for (size_t t = 0; t < n; t++)
		rem[t] = y[t] - out->fitted[t];
	if ((rc = ts_ar_yw(rem, n, &ar, err)) != 0)
		goto done;
	z = ts_fc_z(spec->level);
	for (size_t t = 0; t < n; t++) {
		double f = ar.mean;

		if (t < ar.order) {
			out->fitted[t] = out->fitted_lower[t] = out->fitted_upper[t] = NAN;
			continue;
		}
		for (size_t e = 0; e < ar.order; e++)
			f += ar.phi[e] * (rem[t - 1 - e] - ar.mean);
		out->fitted[t] += f;
		out->fitted_lower[t] = out->fitted[t] - z * sqrt(ar.var_pred);
		out->fitted_upper[t] = out->fitted[t] + z * sqrt(ar.var_pred);
	}
	ts_ar_forecast(&ar, rem, n, h, out->mean, se, se + h + 1);
	for (size_t c = 0; c < best; c++)
		dhr_add(&d, trig, c, beta[c], n, out->mean, h);
	for (size_t j = 0; j < h; j++) {
		out->lower[j] = out->mean[j] - z * se[j];
		out->upper[j] = out->mean[j] + z * se[j];
	}
	out->sigma2 = ar.var_pred;
	kc = best > 1 ? d.order[best - 1] : 0;
	if (np > 1)
		snprintf(out->name, sizeof out->name, "DHR(%zu: %zu, %zu: %zu) + AR(%zu)", periods[0],
			 d.period[best - 1] == periods[1] ? d.order[from - 1] : kc, periods[1],
			 d.period[best - 1] == periods[1] ? kc : 0, ar.order);
	else if (np == 1)
		snprintf(out->name, sizeof out->name, "DHR(%zu: %zu) + AR(%zu)", periods[0], kc, ar.order);
	else
		snprintf(out->name, sizeof out->name, "DHR + AR(%zu)", ar.order);
done:
	free(work);
	return rc;
}

int ts_fc_dhr(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
	      struct ts_err *err)
{
	return ts_fc_calibrated(dhr_fit, TS_FC_LATEST_ORIGINS, y, n, spec, out, err);
}
