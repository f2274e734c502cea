/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classical: naive, seasonal naive, drift, Holt-Winters, ETS, Theta and
 * STL/MSTL + ETS forecasts as regular-grid kernels (fcmodel.h), computed as
 * R does: forecast 8.20's naive/snaive/rwf (lagwalk), thetaf and stlf; stats'
 * HoltWinters, predict.HoltWinters and decompose (R 4.2). Papers: Holt
 * (1957), Winters (1960); Hyndman & Billah (2003), Int. J. Forecasting
 * 19(2) for Theta as SES with drift; Bandara, Hyndman & Bergmeir (2021)
 * for MSTL; Brent (1973), Algorithms for minimization, ch. 5. */
#include "forecast/classical.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "series/decompose.h"
#include "forecast/ets.h"
#include "core/mem.h"
#include "forecast/fcband.h"
#include "forecast/msplit.h"
#include "core/optim.h"
#include "core/stats.h"

/* ---------------------------------------------------------------- */
/* Shared helpers. */

/* Least squares line y = a + b x through (x0 + i, y[i]), i < n. */
static void line_fit(const double *y, size_t n, double x0, double *a, double *b)
{
	double xbar = x0 + ((double)n - 1) / 2, ybar = ts_r_mean(y, n, 1, false), sxy = 0, sxx = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double dx = x0 + (double)i - xbar;

		sxy += dx * (y[i] - ybar);
		sxx += dx * dx;
	}
	*b = sxx > 0 ? sxy / sxx : 0;
	*a = ybar - *b * xbar;
}

/* ---------------------------------------------------------------- */
/* naive, snaive, drift: forecast's lagwalk and forecast.lagwalk. */

static int lagwalk(const double *y, size_t n, size_t lag, bool drift, const struct ts_fc_spec *spec,
		   struct ts_fc_out *out)
{
	double z = ts_fc_z(spec->level), b = 0, bse = 0, mse, ss = 0, one;
	size_t i, cnt = n - lag;

	if (drift) {
		/* lm(y - lag(y) ~ 1): the mean of the differences and its standard error */
		long double s = 0, v = 0;
		double mean, t = 0;

		for (i = lag; i < n; i++)
			s += y[i] - y[i - lag];
		mean = (double)(s / (long double)cnt);
		for (i = lag; i < n; i++)
			t += (y[i] - y[i - lag]) - mean;
		b = mean + t / (double)cnt;
		for (i = lag; i < n; i++) {
			double d = (y[i] - y[i - lag]) - b;

			v += (long double)d * d;
		}
		bse = sqrt((double)(v / (long double)(cnt - 1))) / sqrt((double)cnt);
	}
	for (i = 0; i < n; i++) {
		if (i < lag) {
			out->fitted[i] = NAN;
			continue;
		}
		out->fitted[i] = y[i - lag] + b;
		ss += (y[i] - out->fitted[i]) * (y[i] - out->fitted[i]);
	}
	mse = ss / ((double)cnt - (b != 0 ? 1 : 0));
	one = sqrt(mse + bse * bse);
	for (i = 0; i < n; i++) {
		out->fitted_lower[i] = out->fitted[i] - z * one;
		out->fitted_upper[i] = out->fitted[i] + z * one;
	}
	for (i = 0; i < spec->h; i++) {
		double steps = (double)(i / lag + 1), se;

		out->mean[i] = y[n - lag + i % lag] + steps * b;
		se = sqrt(mse * steps + (steps * bse) * (steps * bse));
		out->lower[i] = out->mean[i] - z * se;
		out->upper[i] = out->mean[i] + z * se;
	}
	out->sigma2 = mse;
	return 0;
}

/* The three random-walk models: checked (at least min_n values), named, then
 * lagwalk with lag and drift. */
static int lagwalk_model(const double *y, size_t n, const struct ts_fc_spec *spec,
			 struct ts_fc_out *out, struct ts_err *err, size_t lag, bool drift,
			 size_t min_n, const char *name)
{
	int rc;

	if ((rc = ts_fc_check(y, n, spec, min_n, err)) != 0)
		return rc;
	snprintf(out->name, sizeof out->name, "%s", name);
	return lagwalk(y, n, lag, drift, spec, out);
}

int ts_fc_naive(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		struct ts_err *err)
{
	ts_fc_out_reset(out);
	return lagwalk_model(y, n, spec, out, err, 1, false, 2, "Naive method");
}

static int snaive_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
		      struct ts_fc_out *out, struct ts_err *err)
{
	ts_fc_out_reset(out);
	if (spec->m < 2)
		return ts_err_set(err, TS_EUSAGE, "snaive needs a season length of at least 2");
	return lagwalk_model(y, n, spec, out, err, spec->m, false, spec->m + 1, "Seasonal naive method");
}

int ts_fc_snaive(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		 struct ts_err *err)
{
	return ts_fc_calibrated(snaive_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}

int ts_fc_drift(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		struct ts_err *err)
{
	ts_fc_out_reset(out);
	return lagwalk_model(y, n, spec, out, err, 1, true, 3, "Random walk with drift");
}

/* ---------------------------------------------------------------- */
/* Holt-Winters (stats::HoltWinters, its C filter and predict.HoltWinters). */

struct hw {
	const double *y;
	size_t n, f;		/* f: period (1 without season) */
	size_t start;		/* R's start.time - 1: first point forecast */
	bool mult, dotrend, doseason;
	double a0, b0, s0[TS_ETS_MAXM > 64 ? TS_ETS_MAXM : 64];
	double *s;		/* start values when f > 64 */
	double *season;		/* n + f work */
	double fixed[3];	/* alpha, beta, gamma when not estimated */
	int which[3];		/* which parameter each optimiser slot is: 0, 1, 2 */
	size_t nfree;
};

static double clamp01(double v)
{
	return v > 1 ? 1 : v < 0 ? 0 : v;
}

/* R's C HoltWinters filter: SSE, and optionally xhat (n, NAN before
 * start) and the final a, b, s (f). */
static double hw_filter(const struct hw *w, double alpha, double beta, double gamma, double *xhat,
			double *coef)
{
	double level, trend, sse = 0, *season = w->season;
	const double *s0 = w->s != NULL ? w->s : w->s0;
	size_t i, f = w->f;

	alpha = clamp01(alpha);
	beta = clamp01(beta);
	gamma = clamp01(gamma);
	level = w->a0;
	trend = w->dotrend ? w->b0 : 0;
	if (w->doseason)
		memcpy(season, s0, f * sizeof *season);
	for (i = 0; i < w->start && xhat != NULL; i++)
		xhat[i] = NAN;
	for (i = w->start; i < w->n; i++) {
		size_t i0 = i - w->start + 1, s0i = i0 + f - 1;
		double xh = level + (w->dotrend ? trend : 0), stmp, res, nl;

		stmp = w->doseason ? season[s0i - f] : (w->mult ? 1 : 0);
		if (!w->mult)
			xh += stmp;
		else
			xh *= stmp;
		if (xhat != NULL)
			xhat[i] = xh;
		res = w->y[i] - xh;
		sse += res * res;
		if (!w->mult)
			nl = alpha * (w->y[i] - stmp) + (1 - alpha) * (level + trend);
		else
			nl = alpha * (w->y[i] / stmp) + (1 - alpha) * (level + trend);
		if (w->dotrend)
			trend = beta * (nl - level) + (1 - beta) * trend;
		if (w->doseason) {
			if (!w->mult)
				season[s0i] = gamma * (w->y[i] - nl) + (1 - gamma) * stmp;
			else
				season[s0i] = gamma * (w->y[i] / nl) + (1 - gamma) * stmp;
		}
		level = nl;
	}
	if (coef != NULL) {
		size_t len = w->n - w->start;

		coef[0] = level;
		coef[1] = trend;
		if (w->doseason)
			for (i = 0; i < f; i++)
				coef[2 + i] = season[len + i];
	}
	return sse;
}

static void hw_params(const struct hw *w, const double *p, double *abg)
{
	size_t i;

	memcpy(abg, w->fixed, sizeof w->fixed);
	for (i = 0; i < w->nfree; i++)
		abg[w->which[i]] = p[i];
}

static double hw_sse_n(const double *p, void *ctx)
{
	const struct hw *w = ctx;
	double abg[3];

	hw_params(w, p, abg);
	return hw_filter(w, abg[0], abg[1], abg[2], NULL, NULL);
}

static double hw_sse_1(double x, void *ctx)
{
	return hw_sse_n(&x, ctx);
}

int ts_fc_holt_winters(const double *y, size_t n, const struct ts_fc_spec *spec,
		       struct ts_fc_out *out, struct ts_err *err)
{
	struct hw w;
	size_t f = spec->m, i, j, len;
	bool seasonal = spec->hw_season != TS_HW_NONSEASONAL && spec->m >= 2;
	double *work, *coef, *resid, abg[3], z = ts_fc_z(spec->level), var, one;
	double start[3] = { 0.3, 0.1, 0.1 };
	int rc;

	ts_fc_out_reset(out);
	memset(&w, 0, sizeof w);
	if ((rc = ts_fc_check(y, n, spec, 3, err)) != 0)
		return rc;
	if (!isnan(spec->alpha) && !(spec->alpha > 0 && spec->alpha <= 1))
		return ts_err_set(err, TS_EUSAGE, "alpha must be in (0, 1]");
	if ((!isnan(spec->beta) && !(spec->beta >= 0 && spec->beta <= 1)) ||
	    (!isnan(spec->gamma) && !(spec->gamma >= 0 && spec->gamma <= 1)))
		return ts_err_set(err, TS_EUSAGE, "beta and gamma must be in [0, 1]");
	if (!seasonal)
		f = 1;
	if (seasonal && n < 2 * f)
		return ts_err_set(err, TS_EDATA, "series too short for seasonal Holt-Winters: "
				  "%zu points, need two seasons (%zu)", n, 2 * f);
	if (seasonal && spec->hw_season == TS_HW_MULTIPLICATIVE)
		for (i = 0; i < n; i++)
			if (y[i] == 0)
				return ts_err_set(err, TS_EDATA, "multiplicative Holt-Winters needs "
						  "non-zero data");
	work = ts_mallocarray(3 * n + 3 * f + 4, sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	w.season = work;
	coef = work + n + f;
	resid = coef + f + 2;
	w.y = y;
	w.n = n;
	w.f = f;
	w.mult = seasonal && spec->hw_season == TS_HW_MULTIPLICATIVE;
	w.dotrend = spec->hw_trend;
	w.doseason = seasonal;
	if (!seasonal) {
		bool expsmooth = !spec->hw_trend;

		w.a0 = expsmooth ? y[0] : y[1];
		w.b0 = y[1] - y[0];
		w.start = expsmooth ? 1 : 2;
	} else {
		double *tr = resid, a, b;
		size_t k = 0;

		if (f > 64) {
			w.s = coef + f + 2 + n;	/* spare room after resid */
		}
		w.start = f;
		ts_classical_decompose(y, 2 * f, f, w.mult, tr, NULL, w.s != NULL ? w.s : w.s0);
		for (i = 0; i < 2 * f; i++)
			if (!isnan(tr[i]))
				tr[k++] = tr[i];
		line_fit(tr, k, 1, &a, &b);
		w.a0 = a;
		w.b0 = b;
	}
	/* which parameters to estimate, in R's order and with its start values */
	w.fixed[0] = spec->alpha;
	w.fixed[1] = spec->hw_trend ? spec->beta : 0;
	w.fixed[2] = seasonal ? spec->gamma : 0;
	for (i = 0; i < 3; i++)
		if (isnan(w.fixed[i]))
			w.which[w.nfree++] = (int)i;
	if (w.nfree == 1) {
		w.fixed[w.which[0]] = ts_brent_fmin(0, 1, hw_sse_1, &w, pow(DBL_EPSILON, 0.25));
		w.nfree = 0;
	} else if (w.nfree > 1) {
		/* R: optim L-BFGS-B in [0, 1]^k from (0.3, 0.1, 0.1). We run
		 * Nelder-Mead on the clamped objective to a tight tolerance and
		 * restart it until it stops improving, which ends at least as low. */
		double p[3], nmw[32], best, prev;
		size_t r;

		for (i = 0; i < w.nfree; i++)
			p[i] = start[w.which[i]];
		best = ts_nelder_mead(w.nfree, p, hw_sse_n, &w, -INFINITY, 1e-14, 4000, nmw, NULL);
		for (r = 0; r < 20; r++) {
			prev = best;
			best = ts_nelder_mead(w.nfree, p, hw_sse_n, &w, -INFINITY, 1e-14, 4000, nmw, NULL);
			if (!(best < prev * (1 - 1e-15)))
				break;
		}
		for (i = 0; i < w.nfree; i++)
			w.fixed[w.which[i]] = clamp01(p[i]);
		w.nfree = 0;
	}
	memcpy(abg, w.fixed, sizeof abg);
	(void)hw_filter(&w, abg[0], abg[1], abg[2], out->fitted, coef);
	len = n - w.start;
	for (i = w.start; i < n; i++)
		resid[i - w.start] = y[i] - out->fitted[i];
	{
		double mean = ts_r_mean(resid, len, 1, false), s = 0;

		for (i = 0; i < len; i++)
			s += (resid[i] - mean) * (resid[i] - mean);
		var = len > 1 ? s / (double)(len - 1) : NAN;
	}
	/* predict.HoltWinters: point forecasts and vars(h) */
	for (j = 0; j < spec->h; j++) {
		size_t hh = j + 1, rel = 1 + (hh - 1) % f;
		double fc = coef[0], v = 0;

		if (w.dotrend)
			fc += (double)hh * coef[1];
		if (seasonal)
			fc = w.mult ? fc * coef[2 + (hh - 1) % f] : fc + coef[2 + (hh - 1) % f];
		out->mean[j] = fc;
		if (!w.mult) {
			v = 1;
			for (i = 1; i < hh; i++) {
				double psi = abg[0] * (1 + (double)i * abg[1]) +
					     (i % f == 0 ? abg[2] * (1 - abg[0]) : 0);

				v += psi * psi;
			}
		} else {
			/* R indexes object$coefficients (a, [b,] s1..sf) at 2 + rel and
			 * 2 + (rel - j) %% f, so a zero remainder picks b (or s(f-1)
			 * without a trend): kept as R has it */
			double cv[2 + 64], *cvp = cv;
			size_t ncoef = w.dotrend ? 2 + f : 1 + f;

			if (ncoef > 66)
				cvp = coef;	/* long seasons: (a, b, s) as is */
			else if (w.dotrend)
				memcpy(cv, coef, ncoef * sizeof *cv);
			else {
				cv[0] = coef[0];
				memcpy(cv + 1, coef + 2, f * sizeof *cv);
			}
			for (i = 0; i < hh; i++) {
				double psi = abg[0] * (1 + (double)i * abg[1]) +
					     (i % f == 0 ? abg[2] * (1 - abg[0]) : 0);
				size_t num = 1 + rel, den = 1 + ((rel + f * hh - i) % f);
				double t;

				/* the 1-based R index k is cvp[k - 1] */
				t = psi * (num < ncoef ? cvp[num] : NAN) / (den < ncoef ? cvp[den] : NAN);
				v += t * t;
			}
		}
		v *= var;
		out->lower[j] = fc - z * sqrt(v);
		out->upper[j] = fc + z * sqrt(v);
	}
	/* one-step variance for the history: vars(1) */
	if (!w.mult) {
		one = sqrt(var);
	} else {
		double psi0 = abg[0] + abg[2] * (1 - abg[0]);

		one = sqrt(var) * fabs(psi0);
	}
	for (i = 0; i < n; i++) {
		out->fitted_lower[i] = out->fitted[i] - z * one;
		out->fitted_upper[i] = out->fitted[i] + z * one;
	}
	out->sigma2 = var;
	out->alpha = abg[0];
	out->beta = w.dotrend ? abg[1] : NAN;
	out->gamma = seasonal ? abg[2] : NAN;
	snprintf(out->name, sizeof out->name, "Holt-Winters (%s)",
		 !seasonal ? (w.dotrend ? "non-seasonal" : "exponential smoothing") :
		 w.mult ? "multiplicative" : "additive");
	free(work);
	return 0;
}

/* ---------------------------------------------------------------- */
/* ETS. */

static void ets_opts_from_spec(const struct ts_fc_spec *spec, struct ts_ets_opts *o)
{
	ts_ets_opts_init(o);
	o->m = spec->m < 1 ? 1 : spec->m;
	memcpy(o->model, spec->ets_model, 4);
	o->model[3] = '\0';
	o->damped = spec->ets_damped;
	o->alpha = spec->alpha;
	o->beta = spec->beta;
	o->gamma = spec->gamma;
	o->phi = spec->phi;
	o->mult_trend = spec->ets_mult_trend;
}

/* Fit and forecast y with o; fitted/bounds for the history in out. */
static int ets_run(const double *y, size_t n, const struct ts_ets_opts *o,
		   const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_ets_fit *fit,
		   struct ts_err *err)
{
	double z = ts_fc_z(spec->level), sd;
	size_t i;
	int rc;

	if ((rc = ts_ets_fit(y, n, o, fit, out->fitted, NULL, err)) != 0)
		return rc;
	if ((rc = ts_ets_forecast(fit, spec->h, spec->level, spec->npaths, spec->seed,
				  out->mean, out->lower, out->upper, err)) != 0)
		return rc;
	sd = sqrt(fit->sigma2);
	for (i = 0; i < n; i++) {
		double me = z * sd * (fit->error == TS_ETS_M ? fabs(out->fitted[i]) : 1);

		out->fitted_lower[i] = out->fitted[i] - me;
		out->fitted_upper[i] = out->fitted[i] + me;
	}
	out->loglik = fit->loglik;
	out->aic = fit->aic;
	out->aicc = fit->aicc;
	out->bic = fit->bic;
	out->sigma2 = fit->sigma2;
	out->alpha = fit->alpha;
	out->beta = fit->trend != TS_ETS_N ? fit->beta : NAN;
	out->gamma = fit->season != TS_ETS_N ? fit->gamma : NAN;
	out->phi = fit->damped ? fit->phi : NAN;
	snprintf(out->name, sizeof out->name, "%s", fit->name);
	return 0;
}

int ts_fc_ets(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
	      struct ts_err *err)
{
	struct ts_ets_opts o;
	struct ts_ets_fit fit;
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, 1, err)) != 0)
		return rc;
	ets_opts_from_spec(spec, &o);
	return ets_run(y, n, &o, spec, out, &fit, err);
}

/* ---------------------------------------------------------------- */
/* Theta (forecast::thetaf) and Naive2 (the M4 benchmark). */

/* thetaf's (and M4's) 90% test of the lag-m autocorrelation of y, with
 * Bartlett's standard error. */
static bool seasonal_test(const double *y, size_t n, size_t m)
{
	double mean = ts_r_mean(y, n, 1, false), c0 = 0, sum = 0, rm = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		c0 += (y[i] - mean) * (y[i] - mean);
	for (j = 1; j <= m; j++) {
		double c = 0;

		for (i = 0; i + j < n; i++)
			c += (y[i] - mean) * (y[i + j] - mean);
		c /= c0;
		if (j < m)
			sum += c * c;
		else
			rm = c;
	}
	return fabs(rm) / sqrt((1 + 2 * sum) / (double)n) > gsl_cdf_ugaussian_Pinv(0.95);
}

/* What naive2 and theta do first: check y (at least need points), refuse a
 * season longer than their figure[1024], tell whether y is constant, and
 * allocate *work: three n-arrays, the first a copy of y (then the seasonal
 * and the trend of the classical decomposition). */
static int deseason_prepare(const double *y, size_t n, const struct ts_fc_spec *spec, size_t need,
			    const char *model, struct ts_fc_out *out, double **work, bool *constant,
			    struct ts_err *err)
{
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, need, err)) != 0)
		return rc;
	if (spec->m > 1024)
		return ts_err_set(err, TS_EUSAGE, "season length %zu too long for %s", spec->m, model);
	*constant = true;
	for (size_t i = 1; i < n; i++)
		if (y[i] != y[0])
			*constant = false;
	*work = ts_mallocarray(3 * n + 1, sizeof **work);
	if (*work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	memcpy(*work, y, n * sizeof *y);
	return 0;
}

/* Naive2's and Theta's multiplicative adjustment in deseason_prepare's work
 * (x, seasonal and trend, n each): decompose y (period m) into the seasonal,
 * trend and figure, and when every seasonal figure is 1e-4 or more in size,
 * x = y / seasonal and true; else false. nan_small: a NaN figure counts as
 * too small (naive2's test), else it passes (theta's). */
static bool deseason(const double *y, size_t n, size_t m, bool nan_small, double *work,
		     double *figure)
{
	double *x = work, *seas = work + n, *trend = work + 2 * n;

	ts_classical_decompose(y, n, m, true, trend, seas, figure);
	for (size_t i = 0; i < m; i++)
		if (nan_small ? !(fabs(figure[i]) >= 1e-4) : fabs(figure[i]) < 1e-4)
			return false;
	for (size_t i = 0; i < n; i++)
		x[i] = y[i] / seas[i];
	return true;
}

static int naive2_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
		      struct ts_fc_out *out, struct ts_err *err)
{
	size_t m = spec->m, i;
	bool seasonal = false, constant;
	double *work, *seas, *x, figure[1024];
	int rc;

	if ((rc = deseason_prepare(y, n, spec, 2, "naive2", out, &work, &constant, err)) != 0)
		return rc;
	x = work;
	seas = work + n;
	if (m > 1 && !constant && n >= 3 * m && seasonal_test(y, n, m))
		seasonal = deseason(y, n, m, true, work, figure);
	(void)lagwalk(x, n, 1, false, spec, out);
	if (seasonal) {
		for (i = 0; i < n; i++) {
			out->fitted[i] *= seas[i];
			out->fitted_lower[i] *= seas[i];
			out->fitted_upper[i] *= seas[i];
		}
		for (i = 0; i < spec->h; i++) {
			double f = figure[(n + i) % m];

			out->mean[i] *= f;
			out->lower[i] *= f;
			out->upper[i] *= f;
		}
	}
	snprintf(out->name, sizeof out->name, "Naive2%s", seasonal ? " (seasonally adjusted)" : "");
	free(work);
	return 0;
}

int ts_fc_naive2(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		 struct ts_err *err)
{
	return ts_fc_calibrated(naive2_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}

static int theta_fit(const double *y, size_t n, const struct ts_fc_spec *spec,
		     struct ts_fc_out *out, struct ts_err *err)
{
	size_t m = spec->m, i, j;
	bool seasonal = false, constant;
	double *work, *x, *seas, figure[1024], slope, icpt, alpha, sd, z = ts_fc_z(spec->level);
	struct ts_ets_opts o;
	struct ts_ets_fit fit;
	struct ts_fc_spec sub = *spec;
	int rc;

	if ((rc = deseason_prepare(y, n, spec, 1, "theta", out, &work, &constant, err)) != 0)
		return rc;
	x = work;
	seas = work + n;
	if (m > 1 && !constant && n > 2 * m && seasonal_test(y, n, m))
		seasonal = deseason(y, n, m, false, work, figure);
	/* ses(x): ETS(A,N,N) with opt.crit = "mse" */
	ts_ets_opts_init(&o);
	o.m = m < 1 ? 1 : m;
	memcpy(o.model, "ANN", 4);
	o.opt_mse = true;
	sub.h = spec->h;
	if ((rc = ets_run(x, n, &o, &sub, out, &fit, err)) != 0) {
		free(work);
		return rc;
	}
	line_fit(x, n, 0, &icpt, &slope);
	slope /= 2;
	alpha = fit.alpha > 1e-10 ? fit.alpha : 1e-10;
	sd = sqrt(fit.sigma2);
	for (j = 0; j < spec->h; j++) {
		double fc = out->mean[j] + slope * ((double)j + (1 - pow(1 - alpha, (double)n)) / alpha);
		double se = sd * sqrt((double)j * alpha * alpha + 1);

		if (seasonal)
			fc *= figure[(n + j) % m];
		out->mean[j] = fc;
		out->lower[j] = fc - z * se;
		out->upper[j] = fc + z * se;
	}
	for (i = 0; i < n; i++) {
		if (seasonal)
			out->fitted[i] *= seas[i];
		out->fitted_lower[i] = out->fitted[i] - z * sd;
		out->fitted_upper[i] = out->fitted[i] + z * sd;
	}
	out->loglik = out->aic = out->aicc = out->bic = NAN;
	out->sigma2 = fit.sigma2;
	out->alpha = alpha;
	snprintf(out->name, sizeof out->name, "Theta%s", seasonal ? " (seasonally adjusted)" : "");
	free(work);
	return 0;
}

int ts_fc_theta(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		struct ts_err *err)
{
	return ts_fc_calibrated(theta_fit, TS_FC_CYCLE_ORIGINS, y, n, spec, out, err);
}

/* ---------------------------------------------------------------- */
/* MSTL + ETS (forecast::stlf(y, method = "ets"), each seasonal continued
 * seasonal-naively with its own period as forecast.stl does for mstl fits). */

int ts_fc_mstl(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
	       struct ts_err *err)
{
	size_t one = spec->m, np = spec->periods != NULL ? spec->nperiods : (spec->m >= 2 ? 1 : 0);
	const size_t *periods = spec->periods != NULL ? spec->periods : &one;
	struct ts_msplit ms;
	struct ts_ets_opts o;
	struct ts_ets_fit fit;
	char name[48];
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, 1, err)) != 0)
		return rc;
	if ((rc = ts_msplit_run(y, n, periods, np, 0, &ms, err)) != 0)
		return rc;
	ts_ets_opts_init(&o);
	o.m = spec->m < 1 ? 1 : spec->m;
	memcpy(o.model, "ZZN", 4);
	o.mult_trend = spec->ets_mult_trend;
	if ((rc = ets_run(ms.adjusted, n, &o, spec, out, &fit, err)) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		double s = ts_msplit_season_at(&ms, i);

		out->fitted[i] += s;
		out->fitted_lower[i] += s;
		out->fitted_upper[i] += s;
	}
	for (size_t j = 0; j < spec->h; j++) {
		double s = ts_msplit_season_ahead(&ms, j);

		out->mean[j] += s;
		out->lower[j] += s;
		out->upper[j] += s;
	}
	snprintf(name, sizeof name, "%s", fit.name);
	snprintf(out->name, sizeof out->name, "STL + %s", name);
done:
	ts_msplit_free(&ms);
	return rc;
}
