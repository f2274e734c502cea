/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lagmodels: msnaive (mean of seasonal naive forecasts over several periods)
 * and snaive-ar (seasonal naive plus R's ar() on the seasonal differences);
 * Brockwell & Davis (1991) 8.1 and 5.3, R 4.2 stats::ar.yw and predict.ar. */
#include "forecast/lagmodels.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"
#include "forecast/fcband.h"

int ts_ar_yw(const double *x, size_t n, struct ts_ar *ar, struct ts_err *err)
{
	double acf[TS_AR_MAXORDER + 1], phi[TS_AR_MAXORDER], prev[TS_AR_MAXORDER];
	double v, best_aic, mean = 0;
	size_t max_order, k, j;

	if (n < 2)
		return ts_err_set(err, TS_EDATA, "autoregression needs at least 2 points, got %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return ts_err_set(err, TS_EDATA, "missing or infinite value at index %zu", i);
	max_order = (size_t)floor(10 * log10((double)n));
	if (max_order > n - 1)
		max_order = n - 1;
	if (max_order > TS_AR_MAXORDER)
		max_order = TS_AR_MAXORDER;
	for (size_t i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (k = 0; k <= max_order; k++) {
		double c = 0;

		for (size_t i = 0; i + k < n; i++)
			c += (x[i] - mean) * (x[i + k] - mean);
		acf[k] = c / (double)n;
	}
	ar->mean = mean;
	ar->order = 0;
	ar->var_pred = acf[0];
	if (!(acf[0] > 0)) {
		ar->var_pred = 0;	/* constant: nothing to regress */
		return 0;
	}
	/* Durbin-Levinson: phi holds the order-k coefficients, v their prediction
	 * variance; R's AIC n log(v_k) + 2k (+ 2 for the mean, the same for all k). */
	v = acf[0];
	best_aic = (double)n * log(v);
	for (k = 1; k <= max_order; k++) {
		double num = acf[k], a, aic;

		for (j = 0; j + 1 < k; j++)
			num -= prev[j] * acf[k - 1 - j];
		a = num / v;
		for (j = 0; j + 1 < k; j++)
			phi[j] = prev[j] - a * prev[k - 2 - j];
		phi[k - 1] = a;
		v *= 1 - a * a;
		if (!(v > 0))
			break;	/* a perfect fit: longer orders add nothing */
		aic = (double)n * log(v) + 2 * (double)k;
		if (aic < best_aic) {
			best_aic = aic;
			ar->order = k;
			ar->var_pred = v;
			for (j = 0; j < k; j++)
				ar->phi[j] = phi[j];
		}
		for (j = 0; j < k; j++)
			prev[j] = phi[j];
	}
	ar->var_pred *= (double)n / (double)(n - ar->order - 1 > 0 ? n - ar->order - 1 : 1);
	return 0;
}

void ts_ar_forecast(const struct ts_ar *ar, const double *x, size_t n, size_t h, double *mean,
		    double *se, double *work)
{
	size_t p = ar->order;
	double *psi = work, var = 0;

	for (size_t j = 0; j < h; j++) {
		double f = ar->mean;

		/* the value k + 1 steps back: a forecast while j > k, else x */
		for (size_t k = 0; k < p; k++)
			f += ar->phi[k] * ((j > k ? mean[j - 1 - k] : x[n + j - 1 - k]) - ar->mean);
		mean[j] = f;
		psi[j] = j == 0 ? 1 : 0;
		for (size_t i = 1; i <= p && i <= j; i++)
			psi[j] += ar->phi[i - 1] * psi[j - i];
		var += psi[j] * psi[j];
		se[j] = sqrt(ar->var_pred * var);
	}
}

/* ---------------------------------------------------------------- */
/* msnaive */

static int msnaive_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
		       struct ts_fc_out *out, struct ts_err *err)
{
	size_t one = spec->m, np = spec->periods != NULL ? spec->nperiods : 1;
	const size_t *periods = spec->periods != NULL ? spec->periods : &one;
	size_t lags[8], nlags = 0, pmin = SIZE_MAX, pmax = 0, cnt = 0;
	double z, ss = 0, mse;
	int rc;

	ts_fc_out_reset(out);
	for (size_t k = 0; k < np; k++)
		if (periods[k] >= 2 && periods[k] < pmin)
			pmin = periods[k];
	if (pmin == SIZE_MAX)
		return ts_err_set(err, TS_EUSAGE, "msnaive needs a season length of at least 2");
	if ((rc = ts_fc_check(y, n, spec, pmin + 1, err)) != 0)
		return rc;
	for (size_t k = 0; k < np && nlags < sizeof lags / sizeof lags[0]; k++) {
		bool dup = false;

		for (size_t j = 0; j < nlags; j++)
			dup = dup || lags[j] == periods[k];
		if (periods[k] >= 2 && periods[k] < n && !dup) {
			lags[nlags++] = periods[k];
			if (periods[k] > pmax)
				pmax = periods[k];
		}
	}
	z = ts_fc_z(spec->level);
	for (size_t i = 0; i < n; i++) {
		double f = 0;

		if (i < pmax) {
			out->fitted[i] = NAN;
			continue;
		}
		for (size_t k = 0; k < nlags; k++)
			f += y[i - lags[k]];
		out->fitted[i] = f / (double)nlags;
		ss += (y[i] - out->fitted[i]) * (y[i] - out->fitted[i]);
		cnt++;
	}
	mse = ss / (double)cnt;
	for (size_t i = 0; i < n; i++) {
		out->fitted_lower[i] = out->fitted[i] - z * sqrt(mse);
		out->fitted_upper[i] = out->fitted[i] + z * sqrt(mse);
	}
	for (size_t j = 0; j < spec->h; j++) {
		double f = 0, se = sqrt(mse * (double)(j / pmin + 1));

		for (size_t k = 0; k < nlags; k++)
			f += y[n - lags[k] + j % lags[k]];
		out->mean[j] = f / (double)nlags;
		out->lower[j] = out->mean[j] - z * se;
		out->upper[j] = out->mean[j] + z * se;
	}
	out->sigma2 = mse;
	if (nlags == 1) {
		snprintf(out->name, sizeof out->name, "Seasonal naive method");
	} else {
		int len = snprintf(out->name, sizeof out->name, "Mean of seasonal naive (lags");

		for (size_t k = 0; k < nlags && len > 0 && (size_t)len < sizeof out->name; k++)
			len += snprintf(out->name + len, sizeof out->name - (size_t)len, " %zu", lags[k]);
		if (len > 0 && (size_t)len < sizeof out->name)
			snprintf(out->name + len, sizeof out->name - (size_t)len, ")");
	}
	return 0;
}

int ts_fc_msnaive(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		  struct ts_err *err)
{
	return ts_fc_calibrated(msnaive_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}

/* ---------------------------------------------------------------- */
/* snaive-ar */

static int snaive_ar_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
			 struct ts_fc_out *out, struct ts_err *err)
{
	size_t m = spec->m, nd, p, na;
	double *work, *d, *yy, *a, *psi, z, sd, var = 0;
	struct ts_ar ar;
	int rc;

	ts_fc_out_reset(out);
	if (m < 2)
		return ts_err_set(err, TS_EUSAGE, "snaive-ar needs a season length of at least 2");
	if ((rc = ts_fc_check(y, n, spec, m + 2, err)) != 0)
		return rc;
	nd = n - m;
	/* d (nd + h), y and its forecasts (n + h), a (m + order), psi (h) */
	work = ts_mallocarray(2 * (nd + spec->h) + 2 * m + TS_AR_MAXORDER + 2 * spec->h + 2,
			      sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	d = work;
	yy = d + nd + spec->h;
	a = yy + n + spec->h;
	psi = a + m + TS_AR_MAXORDER + 1;
	for (size_t t = 0; t < nd; t++)
		d[t] = y[t + m] - y[t];
	if ((rc = ts_ar_yw(d, nd, &ar, err)) != 0)
		goto out;
	p = ar.order;
	z = ts_fc_z(spec->level);
	sd = sqrt(ar.var_pred);
	for (size_t i = 0; i < n; i++) {
		double f = ar.mean;

		if (i < m + p) {
			out->fitted[i] = out->fitted_lower[i] = out->fitted_upper[i] = NAN;
			continue;
		}
		for (size_t k = 0; k < p; k++)
			f += ar.phi[k] * (d[i - m - 1 - k] - ar.mean);
		out->fitted[i] = y[i - m] + f;
		out->fitted_lower[i] = out->fitted[i] - z * sd;
		out->fitted_upper[i] = out->fitted[i] + z * sd;
	}
	for (size_t i = 0; i < n; i++)
		yy[i] = y[i];
	/* y's autoregressive polynomial (1 - phi(B))(1 - B^m) = 1 - sum a[i] B^i */
	na = m + p;
	for (size_t i = 0; i <= na; i++)
		a[i] = 0;
	a[m] = 1;
	for (size_t k = 0; k < p; k++) {
		a[k + 1] += ar.phi[k];
		a[k + 1 + m] -= ar.phi[k];
	}
	for (size_t j = 0; j < spec->h; j++) {
		double f = ar.mean;

		for (size_t k = 0; k < p; k++)
			f += ar.phi[k] * (d[nd + j - 1 - k] - ar.mean);
		d[nd + j] = f;
		yy[n + j] = yy[n + j - m] + f;
		/* psi[j] = sum a[i] psi[j - i], psi[0] = 1 */
		psi[j] = j == 0 ? 1 : 0;
		for (size_t i = 1; i <= na && i <= j; i++)
			psi[j] += a[i] * psi[j - i];
		var += psi[j] * psi[j];
		out->mean[j] = yy[n + j];
		out->lower[j] = out->mean[j] - z * sd * sqrt(var);
		out->upper[j] = out->mean[j] + z * sd * sqrt(var);
	}
	out->sigma2 = ar.var_pred;
	snprintf(out->name, sizeof out->name, "Seasonal naive + AR(%zu) of lag-%zu differences", p, m);
out:
	free(work);
	return rc;
}

int ts_fc_snaive_ar(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		    struct ts_err *err)
{
	return ts_fc_calibrated(snaive_ar_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}
