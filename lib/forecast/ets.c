/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ets: ETS state space models fitted, chosen and forecast as R's
 * forecast::ets and forecast.ets (8.20) do. Hyndman, Koehler, Ord & Snyder,
 * Forecasting with exponential smoothing (Springer 2008); the recursions
 * are those of forecast's etscalc.c, the optimiser R's nmmin (optim.h). */
#include "forecast/ets.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "series/decompose.h"
#include "core/gslerr.h"
#include "core/mem.h"
#include "core/optim.h"
#include "core/stats.h"

#define TOL 1.0e-10	/* forecast's etscalc.c constants */
#define HUGEN 1.0e10
#define MAXP (2 + TS_ETS_MAXM)

void ts_ets_opts_init(struct ts_ets_opts *o)
{
	memset(o, 0, sizeof *o);
	o->m = 1;
	memcpy(o->model, "ZZZ", 4);
	o->damped = -1;
	o->alpha = o->beta = o->gamma = o->phi = NAN;
	o->ic = TS_ETS_AICC;
}

/* ---------------------------------------------------------------- */
/* The recursions (forecast's etscalc). Seasonal states live in a ring:
 * s[k] (s[0] newest) is ring[(head + k) % m]. */

struct ets_kind {
	int error, trend, season;
	size_t m;		/* 1 unless seasonal */
	double alpha, beta, gamma, phi;
};

/* Point forecasts f[0..h) from l, b and the ring, as etscalc's forecast(). */
static void ets_point(double l, double b, const double *ring, size_t head, const struct ets_kind *k,
		      double *f, size_t h)
{
	double phistar = k->phi;
	size_t i, m = k->m;

	for (i = 0; i < h; i++) {
		double v;

		if (k->trend == TS_ETS_N)
			v = l;
		else if (k->trend == TS_ETS_A)
			v = l + phistar * b;
		else if (b < 0)
			v = NAN;
		else
			v = l * pow(b, phistar);
		if (k->season != TS_ETS_N) {
			double s = ring[(head + m - 1 - i % m) % m];

			v = k->season == TS_ETS_A ? v + s : v * s;
		}
		f[i] = v;
		if (i + 1 < h) {
			if (fabs(k->phi - 1.0) < TOL)
				phistar = phistar + 1.0;
			else
				phistar = phistar + pow(k->phi, (double)(i + 1));
		}
	}
}

/* One update of l, b and the ring with observation y (etscalc's update()). */
static void ets_update(double *l, double *b, double *ring, size_t *head, const struct ets_kind *k,
		       double y)
{
	double oldl = *l, oldb = *b, q, p, phib, sold = 0.0;
	size_t m = k->m, last = 0;

	if (k->trend == TS_ETS_N) {
		q = oldl;
		phib = 0;
	} else if (k->trend == TS_ETS_A) {
		phib = k->phi * oldb;
		q = oldl + phib;
	} else if (fabs(k->phi - 1.0) < TOL) {
		phib = oldb;
		q = oldl * oldb;
	} else {
		phib = pow(oldb, k->phi);
		q = oldl * phib;
	}
	if (k->season != TS_ETS_N) {
		last = (*head + m - 1) % m;
		sold = ring[last];
	}
	if (k->season == TS_ETS_N)
		p = y;
	else if (k->season == TS_ETS_A)
		p = y - sold;
	else
		p = fabs(sold) < TOL ? HUGEN : y / sold;
	*l = q + k->alpha * (p - q);
	if (k->trend != TS_ETS_N) {
		double r;

		if (k->trend == TS_ETS_A)
			r = *l - oldl;
		else
			r = fabs(oldl) < TOL ? HUGEN : *l / oldl;
		*b = phib + (k->beta / k->alpha) * (r - phib);
	}
	if (k->season != TS_ETS_N) {
		double t;

		if (k->season == TS_ETS_A)
			t = y - q;
		else
			t = fabs(q) < TOL ? HUGEN : y / q;
		ring[last] = sold + k->gamma * (t - sold);
		*head = last;
	}
}

/* Run the model over y from the states x0 (R order: l, b, s1..sm) and
 * return R's lik (n log SSE, + 2 sum log|mu| for M error), NAN when a
 * forecast is undefined. Optional outputs: e and fits (n), amse (3, the
 * mean squared 1..3-step errors), last (the final states). The arithmetic
 * is etscalc's, operation for operation (the optimiser's path depends on
 * it); only the seasonal rotation is an index instead of a copy. */
static inline __attribute__((always_inline)) double
ets_calc_body(const double *y, size_t n, const struct ets_kind *k, const double *x0, double *e,
	      double *fits, double *amse, double *last, const int trend, const int season,
	      const int mult_err)
{
	double ring[TS_ETS_MAXM] = { 0 }, l, b = 0.0, lik = 0.0, lik2, denom[3] = { 0, 0, 0 };
	double prod = 1.0;	/* sum log|f0| kept as a product and a power of two: */
	int pexp = 0, e2;	/* log() per point was a third of the fitting time */
	const double alpha = k->alpha, beta = k->beta, gamma = k->gamma, phi = k->phi;
	const bool phi1 = fabs(phi - 1.0) < TOL;
	size_t i, j, m = k->m, pos, off = 1 + (trend != TS_ETS_N);

	l = x0[0];
	if (trend != TS_ETS_N)
		b = x0[1];
	if (season != TS_ETS_N)
		memcpy(ring, x0 + off, m * sizeof *ring);
	pos = m - 1;	/* where s[m-1], the oldest seasonal state, is */
	if (amse != NULL)
		amse[0] = amse[1] = amse[2] = 0.0;
	for (i = 0; i < n; i++) {
		double f0, err, q, p, phib, sold = 0.0, oldl = l;

		if (amse != NULL) {
			double f[3];

			ets_point(l, b, ring, (pos + 1) % m, k, f, 3);
			for (j = 0; j < 3 && i + j < n; j++) {
				double tmp = y[i + j] - f[j];

				denom[j] += 1.0;
				amse[j] = (amse[j] * (denom[j] - 1.0) + tmp * tmp) / denom[j];
			}
		}
		/* one-step forecast */
		if (trend == TS_ETS_N)
			f0 = l;
		else if (trend == TS_ETS_A)
			f0 = l + phi * b;
		else if (b < 0)
			return NAN;
		else
			f0 = l * pow(b, phi);
		if (season != TS_ETS_N) {
			sold = ring[pos];
			f0 = season == TS_ETS_A ? f0 + sold : f0 * sold;
		}
		if (isnan(f0))
			return NAN;
		if (fits != NULL)
			fits[i] = f0;
		err = mult_err ? (y[i] - f0) / f0 : y[i] - f0;
		if (e != NULL)
			e[i] = err;
		/* update */
		if (trend == TS_ETS_N) {
			q = l;
			phib = 0;
		} else if (trend == TS_ETS_A) {
			phib = phi * b;
			q = l + phib;
		} else if (phi1) {
			phib = b;
			q = l * b;
		} else {
			phib = pow(b, phi);
			q = l * phib;
		}
		if (season == TS_ETS_N)
			p = y[i];
		else if (season == TS_ETS_A)
			p = y[i] - sold;
		else
			p = fabs(sold) < TOL ? HUGEN : y[i] / sold;
		l = q + alpha * (p - q);
		if (trend != TS_ETS_N) {
			double r;

			if (trend == TS_ETS_A)
				r = l - oldl;
			else
				r = fabs(oldl) < TOL ? HUGEN : l / oldl;
			b = phib + (beta / alpha) * (r - phib);
		}
		if (season != TS_ETS_N) {
			double t;

			if (season == TS_ETS_A)
				t = y[i] - q;
			else
				t = fabs(q) < TOL ? HUGEN : y[i] / q;
			ring[pos] = sold + gamma * (t - sold);
			pos = pos == 0 ? m - 1 : pos - 1;
		}
		lik = lik + err * err;
		if (mult_err) {
			prod *= fabs(f0);
			if (prod > 1e150 || prod < 1e-150) {
				prod = frexp(prod, &e2);
				pexp += e2;
			}
		}
	}
	lik2 = log(prod) + (double)pexp * M_LN2;
	lik = (double)n * log(lik);
	if (mult_err)
		lik += 2 * lik2;
	if (last != NULL) {
		last[0] = l;
		if (trend != TS_ETS_N)
			last[1] = b;
		if (season != TS_ETS_N)
			for (j = 0; j < m; j++)
				last[off + j] = ring[(pos + 1 + j) % m];
	}
	return lik;
}

/* ets_calc_body compiled once per model form, so the loop has no form tests. */
static double ets_calc(const double *y, size_t n, const struct ets_kind *k, const double *x0,
		       double *e, double *fits, double *amse, double *last)
{
#define ETS_FORM(T, S, M) \
	if (k->trend == (T) && k->season == (S) && (k->error == TS_ETS_M) == (M)) \
		return ets_calc_body(y, n, k, x0, e, fits, amse, last, (T), (S), (M))
#define ETS_FORMS(T, S) ETS_FORM(T, S, 0); ETS_FORM(T, S, 1)
	ETS_FORMS(TS_ETS_N, TS_ETS_N);
	ETS_FORMS(TS_ETS_N, TS_ETS_A);
	ETS_FORMS(TS_ETS_N, TS_ETS_M);
	ETS_FORMS(TS_ETS_A, TS_ETS_N);
	ETS_FORMS(TS_ETS_A, TS_ETS_A);
	ETS_FORMS(TS_ETS_A, TS_ETS_M);
	ETS_FORMS(TS_ETS_M, TS_ETS_N);
	ETS_FORMS(TS_ETS_M, TS_ETS_A);
	ETS_FORMS(TS_ETS_M, TS_ETS_M);
#undef ETS_FORMS
#undef ETS_FORM
	return NAN;
}

/* ---------------------------------------------------------------- */
/* Admissibility (Hyndman et al. 2008, ch. 10), as forecast's target
 * function checks it. The characteristic polynomial's roots must lie in
 * |z| <= 1 + 1e-10; R finds them all (cpolyroot), we run the Schur-Cohn
 * test on p((1 + 1e-10) w), after dividing out the root z = 1 that the
 * polynomial has whenever beta = 0 and phi = 1. */

static bool roots_inside(double *a, size_t deg)
{
	const double r = 1.0 + 1e-10;
	double scale = 1.0, b[MAXP + 2];
	size_t k;

	for (k = 0; k <= deg; k++) {
		a[k] *= scale;
		scale *= r;
	}
	while (deg > 0) {
		double a0 = a[0], an = a[deg], lead;

		if (!(fabs(a0) < fabs(an)))
			return false;
		for (k = 0; k < deg; k++)
			b[k] = an * a[k + 1] - a0 * a[deg - 1 - k];
		lead = b[deg - 1];
		for (k = 0; k < deg; k++)
			a[k] = b[k] / lead;
		deg--;
	}
	return true;
}

static bool ets_admissible(double alpha, double beta, double gamma, double phi, bool seasonal,
			   bool has_beta, size_t m)
{
	double a[MAXP + 2], d, sum;
	size_t k, deg;

	if (phi < 0 || phi > 1 + 1e-8)
		return false;
	if (!seasonal) {
		if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi)
			return false;
		if (has_beta && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)))
			return false;
		return true;
	}
	if (m <= 1)
		return true;
	if (!has_beta)
		beta = 0;
	d = 1 - 1 / phi - alpha;
	if (gamma < (d > 0 ? d : 0) || gamma > 1 + 1 / phi - alpha)
		return false;
	if (alpha < 1 - 1 / phi - gamma * (1 - (double)m + phi + phi * (double)m) / (2 * phi * (double)m))
		return false;
	if (beta < -(1 - phi) * (gamma / (double)m + alpha))
		return false;
	/* ascending coefficients, degree m + 1 */
	deg = m + 1;
	a[deg] = 1;
	a[deg - 1] = alpha + beta - phi;
	for (k = 2; k + 1 < deg; k++)
		a[k] = alpha + beta - alpha * phi;
	a[1] = alpha + beta - alpha * phi + gamma - 1;
	a[0] = phi * (1 - alpha - gamma);
	sum = 0;
	d = 0;
	for (k = 0; k <= deg; k++) {
		sum += a[k];
		d += fabs(a[k]);
	}
	if (fabs(sum) <= 1e-12 * d) {
		/* divide by (z - 1): synthetic division from the top */
		double c[MAXP + 2], carry = 0;

		for (k = deg; k-- > 0;) {
			carry = a[k + 1] + carry;
			c[k] = carry;
		}
		memcpy(a, c, deg * sizeof *a);
		deg--;
	}
	return roots_inside(a, deg);
}

/* ---------------------------------------------------------------- */
/* The objective of one candidate (forecast's EtsTargetFunction). */

struct ets_target {
	const double *y;
	size_t n;
	struct ets_kind k;
	bool opt[4];		/* alpha, beta, gamma, phi estimated */
	bool given_beta, given_gamma;
	double lower[4], upper[4];
	size_t nstate;		/* free initial states (m - 1 seasonal ones) */
	size_t npar;		/* optimised parameters + nstate */
	bool mse;
	double x0[MAXP];
};

static int ets_states_from_par(struct ets_target *t, const double *par)
{
	const double *st = par + (t->npar - t->nstate);
	size_t i, off = 1 + (t->k.trend != TS_ETS_N);

	memcpy(t->x0, st, t->nstate * sizeof *st);
	if (t->k.season != TS_ETS_N) {
		double sum = 0, mn = INFINITY;

		for (i = off; i < t->nstate; i++)
			sum += t->x0[i];
		t->x0[t->nstate] = (double)t->k.m * (t->k.season == TS_ETS_M ? 1 : 0) - sum;
		if (t->k.season == TS_ETS_M) {
			for (i = off; i <= t->nstate; i++)
				if (t->x0[i] < mn)
					mn = t->x0[i];
			if (mn < 0)
				return -1;
		}
	}
	return 0;
}

static double ets_objective(const double *par, void *ctx)
{
	struct ets_target *t = ctx;
	struct ets_kind *k = &t->k;
	double lik, amse[3];
	size_t j = 0;

	if (t->opt[0])
		k->alpha = par[j++];
	if (t->opt[1])
		k->beta = par[j++];
	if (t->opt[2])
		k->gamma = par[j++];
	if (t->opt[3])
		k->phi = par[j++];
	if (t->opt[0] && (k->alpha < t->lower[0] || k->alpha > t->upper[0]))
		return INFINITY;
	if (t->opt[1] && (k->beta < t->lower[1] || k->beta > k->alpha || k->beta > t->upper[1]))
		return INFINITY;
	if (t->opt[3] && (k->phi < t->lower[3] || k->phi > t->upper[3]))
		return INFINITY;
	if (t->opt[2] && (k->gamma < t->lower[2] || k->gamma > 1 - k->alpha || k->gamma > t->upper[2]))
		return INFINITY;
	if (!ets_admissible(k->alpha, k->beta, k->gamma, k->phi, t->opt[2] || t->given_gamma,
			    t->opt[1] || t->given_beta, k->m))
		return INFINITY;
	if (ets_states_from_par(t, par) != 0)
		return INFINITY;
	lik = ets_calc(t->y, t->n, k, t->x0, NULL, NULL, t->mse ? amse : NULL, NULL);
	if (lik < -1e10)
		lik = -1e10;
	if (isnan(lik))
		lik = INFINITY;
	return t->mse ? amse[0] : lik;
}

/* ---------------------------------------------------------------- */
/* Starting values (forecast's initparam and initstate). */

/* Least squares line through (1..n, y): intercept and slope (R's lsfit). */
static void line_fit(const double *y, size_t n, double *intercept, double *slope)
{
	double xbar = ((double)n + 1) / 2, ybar = ts_r_mean(y, n, 1, false), sxy = 0, sxx = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double dx = (double)(i + 1) - xbar;

		sxy += dx * (y[i] - ybar);
		sxx += dx * dx;
	}
	*slope = sxx > 0 ? sxy / sxx : 0;
	*intercept = ybar - *slope * xbar;
}

/* Solve the k x k system A x = b (row-major, overwritten) by Gaussian
 * elimination with partial pivoting; singular pivots give 0. */
static void small_solve(double *A, double *b, size_t k)
{
	size_t i, j, c;

	for (c = 0; c < k; c++) {
		size_t piv = c;

		for (i = c + 1; i < k; i++)
			if (fabs(A[i * k + c]) > fabs(A[piv * k + c]))
				piv = i;
		if (piv != c) {
			for (j = 0; j < k; j++) {
				double tmp = A[c * k + j];

				A[c * k + j] = A[piv * k + j];
				A[piv * k + j] = tmp;
			}
			double tmp = b[c];

			b[c] = b[piv];
			b[piv] = tmp;
		}
		if (A[c * k + c] == 0)
			continue;
		for (i = c + 1; i < k; i++) {
			double fct = A[i * k + c] / A[c * k + c];

			for (j = c; j < k; j++)
				A[i * k + j] -= fct * A[c * k + j];
			b[i] -= fct * b[c];
		}
	}
	for (c = k; c-- > 0;) {
		double s = b[c];

		for (j = c + 1; j < k; j++)
			s -= A[c * k + j] * b[j];
		b[c] = A[c * k + c] != 0 ? s / A[c * k + c] : 0;
	}
}

/* initstate: x0 gets l0, b0, s0..s(m-2) (nstate values). work: 2 n. */
static void ets_initstate(const double *y, size_t n, const struct ets_kind *k, double *x0,
			  double *work)
{
	double *ysa = work, *seas = work + n;
	size_t i, m = k->m, maxn, nx = 0;
	bool mult = k->season == TS_ETS_M;

	if (k->season != TS_ETS_N) {
		if (n < 3 * m) {
			/* y ~ 1 + t + sin(2 pi t/m) + cos(2 pi t/m), t = 1..n (forecast::fourier(y, 1)
			 * drops the sine column when m = 2) */
			size_t p = m == 2 ? 3 : 4, r, c;
			double A[16] = { 0 }, rhs[4] = { 0 }, row[4];

			for (i = 0; i < n; i++) {
				double t = (double)(i + 1), ang = 2 * M_PI * t / (double)m;

				row[0] = 1;
				row[1] = t;
				if (p == 4) {
					row[2] = sin(ang);
					row[3] = cos(ang);
				} else {
					row[2] = cos(ang);
				}
				for (r = 0; r < p; r++) {
					rhs[r] += row[r] * y[i];
					for (c = 0; c < p; c++)
						A[r * p + c] += row[r] * row[c];
				}
			}
			small_solve(A, rhs, p);
			for (i = 0; i < n; i++) {
				double tr = rhs[0] + rhs[1] * (double)(i + 1);

				seas[i] = mult ? y[i] / tr : y[i] - tr;
			}
		} else {
			double figure[TS_ETS_MAXM];

			ts_classical_decompose(y, n, m, mult, ysa, NULL, figure);
			for (i = 0; i < n; i++)
				seas[i] = figure[i % m];
		}
		/* init.seas = rev(seasonal[2:m]) */
		double *is = x0 + 1 + (k->trend != TS_ETS_N);

		for (i = 0; i + 1 < m; i++)
			is[i] = seas[m - 1 - i];
		if (mult) {
			double sum = 0, sum2 = 0;

			for (i = 0; i + 1 < m; i++) {
				if (is[i] < 0.01)
					is[i] = 0.01;
				sum += is[i];
			}
			if (sum > (double)m) {
				for (i = 0; i + 1 < m; i++)
					sum2 += is[i] + 0.01;
				for (i = 0; i + 1 < m; i++)
					is[i] = is[i] / sum2;
			}
			for (i = 0; i < n; i++)
				ysa[i] = y[i] / (seas[i] > 0.01 ? seas[i] : 0.01);
		} else {
			for (i = 0; i < n; i++)
				ysa[i] = y[i] - seas[i];
		}
		nx = m;
	} else {
		memcpy(ysa, y, n * sizeof *y);
		nx = 1;
	}
	maxn = 2 * nx > 10 ? 2 * nx : 10;
	if (maxn > n)
		maxn = n;
	if (k->trend == TS_ETS_N) {
		x0[0] = ts_r_mean(ysa, maxn, 1, false);
	} else {
		double c0, c1, l0, b0;

		line_fit(ysa, maxn, &c0, &c1);
		if (k->trend == TS_ETS_A) {
			l0 = c0;
			b0 = c1;
			if (fabs(l0 + b0) < 1e-8) {
				l0 = l0 * (1 + 1e-3);
				b0 = b0 * (1 - 1e-3);
			}
		} else {
			l0 = c0 + c1;
			if (fabs(l0) < 1e-8)
				l0 = 1e-7;
			b0 = (c0 + 2 * c1) / l0;
			l0 = l0 / b0;
			if (fabs(b0) > 1e10)
				b0 = (b0 > 0 ? 1 : -1) * 1e10;
			if (l0 < 1e-8 || b0 < 1e-8) {
				l0 = ysa[0] > 1e-3 ? ysa[0] : 1e-3;
				b0 = ysa[1] / ysa[0] > 1e-3 ? ysa[1] / ysa[0] : 1e-3;
			}
		}
		x0[0] = l0;
		x0[1] = b0;
	}
}

static const char letter[3] = { 'N', 'A', 'M' };

/* Fit one candidate as etsmodel() does. Returns 0 with fit filled (ic may
 * be infinite: not enough data), or -1 when R would fail (parameters out
 * of range, objective undefined at the start), or TS_ENOMEM. */
static int ets_candidate(const double *y, size_t n, const struct ts_ets_opts *o, int error,
			 int trend, int season, bool damped, struct ts_ets_fit *fit, double *work)
{
	struct ets_target t;
	double par[4 + MAXP], lower[4] = { 1e-4, 1e-4, 1e-4, 0.8 };
	double upper[4] = { 0.9999, 0.9999, 0.9999, 0.98 };
	double alpha = o->alpha, beta = o->beta, gamma = o->gamma, phi = o->phi, lik, *nm;
	bool given[4] = { !isnan(o->alpha), !isnan(o->beta), !isnan(o->gamma), !isnan(o->phi) };
	size_t m = season != TS_ETS_N ? o->m : 1, np = 0, nstate, i, ngiven = 0;
	double e_sum = 0;

	memset(&t, 0, sizeof t);
	if (given[0]) {
		upper[1] = fmin(alpha, upper[1]);
		upper[2] = fmin(1 - alpha, upper[2]);
	}
	if (given[1])
		lower[0] = fmax(beta, lower[0]);
	if (given[2])
		upper[0] = fmin(1 - gamma, upper[0]);
	/* initparam */
	if (!given[0]) {
		alpha = lower[0] + 0.2 * (upper[0] - lower[0]) / (double)m;
		if (alpha > 1 || alpha < 0)
			alpha = lower[0] + 2e-3;
		par[np++] = alpha;
		t.opt[0] = true;
	}
	if (trend != TS_ETS_N && !given[1]) {
		double up = fmin(upper[1], alpha);

		beta = lower[1] + 0.1 * (up - lower[1]);
		if (beta < 0 || beta > alpha)
			beta = alpha - 1e-3;
		par[np++] = beta;
		t.opt[1] = true;
	}
	if (season != TS_ETS_N && !given[2]) {
		double up = fmin(upper[2], 1 - alpha);

		gamma = lower[2] + 0.05 * (up - lower[2]);
		if (gamma < 0 || gamma > 1 - alpha)
			gamma = 1 - alpha - 1e-3;
		par[np++] = gamma;
		t.opt[2] = true;
	}
	if (damped && !given[3]) {
		phi = lower[3] + 0.99 * (upper[3] - lower[3]);
		if (phi < 0 || phi > 1)
			phi = upper[3] - 1e-3;
		par[np++] = phi;
		t.opt[3] = true;
	}
	/* the parameters in use, as check.param sees them */
	{
		bool has_b = trend != TS_ETS_N || given[1], has_g = season != TS_ETS_N || given[2];
		bool has_p = damped || given[3];

		if (alpha < lower[0] || alpha > upper[0])
			return -1;
		if (has_b && (beta < lower[1] || beta > alpha || beta > upper[1]))
			return -1;
		if (has_p && (phi < lower[3] || phi > upper[3]))
			return -1;
		if (has_g && (gamma < lower[2] || gamma > 1 - alpha || gamma > upper[2]))
			return -1;
		if (!ets_admissible(alpha, beta, gamma, has_p ? phi : 1, has_g, has_b, m))
			return -1;
	}
	for (i = 0; i < 4; i++)
		ngiven += given[i];
	t.y = y;
	t.n = n;
	t.k.error = error;
	t.k.trend = trend;
	t.k.season = season;
	t.k.m = m;
	t.k.alpha = alpha;
	t.k.beta = trend != TS_ETS_N ? beta : 0;
	t.k.gamma = season != TS_ETS_N ? gamma : 0;
	t.k.phi = damped ? phi : 1;
	t.given_beta = given[1];
	t.given_gamma = given[2];
	memcpy(t.lower, lower, sizeof lower);
	memcpy(t.upper, upper, sizeof upper);
	t.mse = o->opt_mse;
	nstate = 1 + (trend != TS_ETS_N) + (season != TS_ETS_N ? m - 1 : 0);
	ets_initstate(y, n, &t.k, par + np, work);
	np += nstate;
	t.nstate = nstate;
	t.npar = np;

	memset(fit, 0, sizeof *fit);
	fit->error = error;
	fit->trend = trend;
	fit->season = season;
	fit->damped = damped;
	fit->m = m;
	snprintf(fit->name, sizeof fit->name, "ETS(%c,%c%s,%c)", letter[error], letter[trend],
		 damped ? "d" : "", letter[season]);
	if (np + 1 >= n) {
		fit->aic = fit->aicc = fit->bic = INFINITY;
		return 0;
	}
	nm = work + 2 * n;
	if (!isfinite(ts_nelder_mead(np, par, ets_objective, &t, -INFINITY, sqrt(DBL_EPSILON),
				     2000, nm, NULL)))
		return -1;
	/* final parameters and states */
	i = 0;
	if (t.opt[0])
		t.k.alpha = par[i++];
	if (t.opt[1])
		t.k.beta = par[i++];
	if (t.opt[2])
		t.k.gamma = par[i++];
	if (t.opt[3])
		t.k.phi = par[i++];
	(void)ets_states_from_par(&t, par);
	fit->alpha = t.k.alpha;
	fit->beta = t.k.beta;
	fit->gamma = t.k.gamma;
	fit->phi = t.k.phi;
	fit->nstate = 1 + (trend != TS_ETS_N) + (season != TS_ETS_N ? m : 0);
	memcpy(fit->init, t.x0, fit->nstate * sizeof *t.x0);
	{
		double amse[3], *e = work, *fits = work + n;

		lik = ets_calc(y, n, &t.k, t.x0, e, fits, amse, fit->last);
		if (isnan(lik)) {
			fit->aic = fit->aicc = fit->bic = NAN;
			return -1;
		}
		fit->mse = amse[0];
		fit->amse = (amse[0] + amse[1] + amse[2]) / 3;
		for (i = 0; i < n; i++)
			e_sum += e[i] * e[i];
	}
	fit->loglik = -0.5 * lik;
	{
		double k = (double)(np + 1), nn = (double)n;

		fit->aic = lik + 2 * k;
		fit->bic = lik + log(nn) * k;
		fit->aicc = fit->aic + 2 * k * (k + 1) / (nn - k - 1);
	}
	fit->npar = np + ngiven;
	fit->sigma2 = e_sum / ((double)n - (double)fit->npar);
	return 0;
}

static int parse_letter(char c, const char *allowed)
{
	const char *p = strchr(allowed, c);

	if (c == '\0' || p == NULL)
		return -2;
	if (c == 'Z')
		return -1;
	return c == 'N' ? TS_ETS_N : c == 'A' ? TS_ETS_A : TS_ETS_M;
}

int ts_ets_fit(const double *y, size_t n, const struct ts_ets_opts *o, struct ts_ets_fit *fit,
	       double *fitted, double *resid, struct ts_err *err)
{
	int etype, ttype, stype, rc = 0, ei, ti, si, di;
	size_t m = o->m < 1 ? 1 : o->m, i, npars, nmax;
	bool positive = true, constant = true, found = false;
	double best = INFINITY, *work;
	struct ts_ets_fit cand;

	if (strlen(o->model) != 3 || (etype = parse_letter(o->model[0], "AMZ")) == -2 ||
	    (ttype = parse_letter(o->model[1], "NAMZ")) == -2 ||
	    (stype = parse_letter(o->model[2], "NAMZ")) == -2)
		return ts_err_set(err, TS_EUSAGE, "invalid ets model '%.8s': want three letters, "
				  "error A/M/Z, trend N/A/M/Z, season N/A/M/Z", o->model);
	if (n == 0)
		return ts_err_set(err, TS_EDATA, "series too short: 0 points");
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i]))
			return ts_err_set(err, TS_EDATA, "missing or infinite value at index %zu", i);
		if (y[i] <= 0)
			positive = false;
		if (y[i] != y[0])
			constant = false;
	}
	if (constant && strcmp(o->model, "ZZZ") == 0) {
		/* forecast::ets: ses(y, alpha = 0.99999, initial = "simple") */
		memset(fit, 0, sizeof *fit);
		fit->error = TS_ETS_A;
		fit->m = 1;
		fit->alpha = 0.99999;
		fit->phi = 1;
		fit->nstate = 1;
		fit->init[0] = fit->last[0] = y[0];
		fit->npar = 1;
		fit->loglik = fit->aic = fit->aicc = fit->bic = NAN;
		fit->sigma2 = 0;
		snprintf(fit->name, sizeof fit->name, "ETS(A,N,N)");
		for (i = 0; i < n; i++) {
			if (fitted != NULL)
				fitted[i] = y[0];
			if (resid != NULL)
				resid[i] = 0;
		}
		return 0;
	}
	if (m < 1 || n <= m)
		stype = TS_ETS_N;
	if (m == 1) {
		if (stype == TS_ETS_A || stype == TS_ETS_M)
			return ts_err_set(err, TS_EDATA, "seasonal ets model for non-seasonal data");
		stype = TS_ETS_N;
	}
	if (m > TS_ETS_MAXM) {
		if (stype == TS_ETS_A || stype == TS_ETS_M)
			return ts_err_set(err, TS_EDATA, "season length %zu too long for a seasonal "
					  "ets model (at most %d)", m, TS_ETS_MAXM);
		stype = TS_ETS_N;
	}
	if ((etype == TS_ETS_A && (ttype == TS_ETS_M || stype == TS_ETS_M)) ||
	    (etype == TS_ETS_M && ttype == TS_ETS_M && stype == TS_ETS_A))
		return ts_err_set(err, TS_EUSAGE, "forbidden ets model combination '%s'", o->model);
	if (!positive && etype == TS_ETS_M)
		return ts_err_set(err, TS_EDATA, "multiplicative error needs strictly positive data");
	if (o->damped == 1 && ttype == TS_ETS_N)
		return ts_err_set(err, TS_EUSAGE, "a damped ets model needs a trend");
	npars = 2;
	if (ttype == TS_ETS_A || ttype == TS_ETS_M)
		npars += 2;
	if (stype == TS_ETS_A || stype == TS_ETS_M)
		npars += m;
	if (o->damped == 1)
		npars += 1;
	if (n <= npars + 4)
		return ts_err_set(err, TS_EDATA, "series too short for ets: %zu points, need "
				  "more than %zu", n, npars + 4);
	nmax = m > 1 ? m : 1;
	work = ts_mallocarray(2 * n + ts_nelder_mead_work_size(4 + 2 + nmax), sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (ei = TS_ETS_A; ei <= TS_ETS_M; ei++) {
		if (etype >= 0 && ei != etype)
			continue;
		for (ti = TS_ETS_N; ti <= TS_ETS_M; ti++) {
			if (ttype >= 0 ? ti != ttype : (ti == TS_ETS_M && !o->mult_trend))
				continue;
			for (si = TS_ETS_N; si <= TS_ETS_M; si++) {
				if (stype >= 0 && si != stype)
					continue;
				for (di = 1; di >= 0; di--) {
					double ic;
					int r;

					if (o->damped >= 0 && di != o->damped)
						continue;
					if (ti == TS_ETS_N && di)
						continue;
					if (ei == TS_ETS_A && (ti == TS_ETS_M || si == TS_ETS_M))
						continue;
					if (ei == TS_ETS_M && ti == TS_ETS_M && si == TS_ETS_A)
						continue;
					if (!positive && ei == TS_ETS_M)
						continue;
					r = ets_candidate(y, n, o, ei, ti, si, di, &cand, work);
					if (r != 0)
						continue;
					ic = o->ic == TS_ETS_AIC ? cand.aic :
					     o->ic == TS_ETS_BIC ? cand.bic : cand.aicc;
					if (!isnan(ic) && ic < best) {
						best = ic;
						*fit = cand;
						found = true;
					}
				}
			}
		}
	}
	if (!found || !isfinite(best)) {
		free(work);
		return ts_err_set(err, TS_EDATA, "no ets model could be fitted");
	}
	{
		struct ets_kind k = { fit->error, fit->trend, fit->season, fit->m,
				      fit->alpha, fit->beta, fit->gamma, fit->phi };
		double *e = work, *fits = work + n;

		(void)ets_calc(y, n, &k, fit->init, e, fits, NULL, NULL);
		for (i = 0; i < n; i++) {
			if (fitted != NULL)
				fitted[i] = fits[i];
			if (resid != NULL)
				resid[i] = e[i];
		}
	}
	free(work);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Forecasts and their variances (forecast.ets: class1, class2, class3,
 * pegelsfcast.C). */

/* mu (h), var (h) and c (h) for class 1, as R's class1(). */
static void ets_class1(const struct ts_ets_fit *fit, size_t h, double *mu, double *var, double *c,
		       double *work)
{
	size_t p = fit->nstate, m = fit->m, i, j, k;
	double *F = work, *v = work + p * p, *v2 = v + p, G[MAXP] = { 0 }, acc = 0;
	bool tr = fit->trend != TS_ETS_N, se = fit->season != TS_ETS_N;

	memset(F, 0, p * p * sizeof *F);
	memset(v, 0, p * sizeof *v);
	v[0] = 1;
	if (se)
		v[p - 1] = 1;
	if (tr)
		v[1] = fit->damped ? fit->phi : 1;
	F[0] = 1;
	if (tr)
		F[1] = F[p + 1] = fit->damped ? fit->phi : 1;
	if (se) {
		F[(p - m) * p + p - 1] = 1;
		for (i = 0; i + 1 < m; i++)
			F[(p - m + 1 + i) * p + (p - m + i)] = 1;
	}
	G[0] = fit->alpha;
	if (tr)
		G[1] = fit->beta;
	if (se)
		G[2] = fit->gamma;	/* R's G[3, 1], whatever the trend */
	for (i = 0; i < h; i++) {
		double s = 0, g = 0;

		for (j = 0; j < p; j++) {
			s += v[j] * fit->last[j];
			g += v[j] * G[j];
		}
		mu[i] = s;
		c[i] = g;
		for (k = 0; k < p; k++) {
			double t = 0;

			for (j = 0; j < p; j++)
				t += v[j] * F[j * p + k];
			v2[k] = t;
		}
		memcpy(v, v2, p * sizeof *v);
	}
	for (i = 0; i < h; i++) {
		var[i] = fit->sigma2 * (1 + acc);
		acc += c[i] * c[i];
	}
}

/* C = A B for q x q matrices, skipping zeros of A (most are sparse). */
static void matmul(const double *A, const double *B, double *C, size_t q, bool transB)
{
	size_t i, j, k;

	memset(C, 0, q * q * sizeof *C);
	for (i = 0; i < q; i++)
		for (k = 0; k < q; k++) {
			double a = A[i * q + k];

			if (a == 0)
				continue;
			if (transB)
				for (j = 0; j < q; j++)
					C[i * q + j] += a * B[j * q + k];
			else
				for (j = 0; j < q; j++)
					C[i * q + j] += a * B[k * q + j];
		}
}

/* R's class3(): M error and M season, trend N, A or Ad. */
static void ets_class3(const struct ts_ets_fit *fit, size_t h, double *mu, double *var, double *work)
{
	size_t m = fit->m, t1 = fit->trend != TS_ETS_N ? 2 : 1, q = t1 * m, i, r, c, r2, c2;
	double s2 = fit->sigma2, F1[4], G1[4], Mh[2 * TS_ETS_MAXM], Mn[2 * TS_ETS_MAXM], vec[2 * TS_ETS_MAXM];
	double *F21 = work, *G21 = F21 + q * q, *K = G21 + q * q, *Vh = K + q * q;
	double *T1 = Vh + q * q, *T2 = T1 + q * q, *A = T2 + q * q, *Vn = A + q * q;

	if (t1 == 1) {
		F1[0] = 1;
		G1[0] = fit->alpha;
	} else {
		F1[0] = 1;
		F1[1] = 1;
		F1[2] = 0;
		F1[3] = fit->damped ? fit->phi : 1;
		G1[0] = G1[1] = fit->alpha;
		G1[2] = G1[3] = fit->beta;
	}
	/* F2[r][c]: row 0 has 1 in column m-1; rows 1.. shift. G2[0][m-1] = gamma.
	 * Kronecker (X (x) Y)[(r t1 + r2)][(c t1 + c2)] = X[r][c] Y[r2][c2]. */
#define F2(r, c) ((r) == 0 ? ((c) == m - 1 ? 1.0 : 0.0) : ((c) == (r) - 1 ? 1.0 : 0.0))
#define G2(r, c) ((r) == 0 && (c) == m - 1 ? fit->gamma : 0.0)
	for (r = 0; r < m; r++)
		for (r2 = 0; r2 < t1; r2++)
			for (c = 0; c < m; c++)
				for (c2 = 0; c2 < t1; c2++) {
					size_t row = r * t1 + r2, col = c * t1 + c2;

					F21[row * q + col] = F2(r, c) * F1[r2 * t1 + c2];
					G21[row * q + col] = G2(r, c) * G1[r2 * t1 + c2];
					K[row * q + col] = G2(r, c) * F1[r2 * t1 + c2] +
							   F2(r, c) * G1[r2 * t1 + c2];
				}
	/* Mh = (l, b)' (s1..sm) */
	for (r = 0; r < t1; r++)
		for (c = 0; c < m; c++)
			Mh[r * m + c] = fit->last[r] * fit->last[t1 + c];
	memset(Vh, 0, q * q * sizeof *Vh);
	for (i = 0; i < h; i++) {
		double hv = 0, mv = 0;

		for (r = 0; r < t1; r++)
			mv += Mh[r * m + m - 1];
		for (r = 0; r < t1; r++)
			for (c = 0; c < t1; c++)
				hv += Vh[((m - 1) * t1 + r) * q + (m - 1) * t1 + c];
		mu[i] = mv;
		var[i] = (1 + s2) * hv + s2 * mv * mv;
		if (i + 1 == h)
			break;
		for (c = 0; c < m; c++)
			for (r = 0; r < t1; r++)
				vec[c * t1 + r] = Mh[r * m + c];
		/* Vn = F21 Vh F21' */
		matmul(F21, Vh, T1, q, false);
		matmul(T1, F21, Vn, q, true);
		/* + s2 (F21 Vh G21' + G21 Vh F21') */
		matmul(T1, G21, T2, q, true);
		for (r = 0; r < q; r++)
			for (c = 0; c < q; c++)
				A[r * q + c] = s2 * (T2[r * q + c] + T2[c * q + r]);
		/* + s2 K (Vh + vv') K' */
		for (r = 0; r < q; r++)
			for (c = 0; c < q; c++)
				T2[r * q + c] = Vh[r * q + c] + vec[r] * vec[c];
		matmul(K, T2, T1, q, false);
		matmul(T1, K, T2, q, true);
		for (r = 0; r < q * q; r++)
			A[r] += s2 * T2[r];
		/* + s2^2 G21 (3 Vh + 2 vv') G21' */
		for (r = 0; r < q; r++)
			for (c = 0; c < q; c++)
				T2[r * q + c] = 3 * Vh[r * q + c] + 2 * vec[r] * vec[c];
		matmul(G21, T2, T1, q, false);
		matmul(T1, G21, T2, q, true);
		for (r = 0; r < q * q; r++)
			Vh[r] = Vn[r] + A[r] + s2 * s2 * T2[r];
		/* Mh = F1 Mh F2' + s2 G1 Mh G2' */
		for (r = 0; r < t1; r++)
			for (c = 0; c < m; c++) {
				double a = 0, g = 0;

				for (r2 = 0; r2 < t1; r2++)
					for (c2 = 0; c2 < m; c2++) {
						a += F1[r * t1 + r2] * Mh[r2 * m + c2] * F2(c, c2);
						g += G1[r * t1 + r2] * Mh[r2 * m + c2] * G2(c, c2);
					}
				Mn[r * m + c] = a + g * s2;
			}
		memcpy(Mh, Mn, q * sizeof *Mh);
	}
#undef F2
#undef G2
}

int ts_ets_forecast(const struct ts_ets_fit *fit, size_t h, double level, size_t npaths,
		    unsigned long seed, double *mean, double *lower, double *upper,
		    struct ts_err *err)
{
	double z, *work, *var;
	size_t i, j, p = fit->nstate;
	bool cl1 = fit->error == TS_ETS_A && fit->trend != TS_ETS_M && fit->season != TS_ETS_M;
	bool cl2 = fit->error == TS_ETS_M && fit->trend != TS_ETS_M && fit->season != TS_ETS_M;
	bool cl3 = fit->error == TS_ETS_M && fit->trend != TS_ETS_M && fit->season == TS_ETS_M;

	ts_gsl_errors_off();
	if (!(level > 0 && level < 1))
		return ts_err_set(err, TS_EUSAGE, "interval level must be between 0 and 1");
	if (h == 0)
		return 0;
	z = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
	if (cl1 || cl2) {
		work = ts_mallocarray(p * p + 2 * p + 3 * h, sizeof *work);
		if (work == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		var = work + p * p + 2 * p;
		ets_class1(fit, h, mean, var, var + h, work);
		if (cl2) {
			double *c = var + h, *theta = var + 2 * h;

			for (j = 0; j < h; j++) {
				double s = 0;

				for (i = 0; i < j; i++)
					s += c[i] * c[i] * theta[j - 1 - i];
				theta[j] = mean[j] * mean[j] + fit->sigma2 * s;
			}
			for (j = 0; j < h; j++)
				var[j] = (1 + fit->sigma2) * theta[j] - mean[j] * mean[j];
		}
	} else if (cl3) {
		size_t q = (fit->trend != TS_ETS_N ? 2 : 1) * fit->m;

		work = ts_mallocarray(8 * q * q + h, sizeof *work);
		if (work == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		var = work + 8 * q * q;
		ets_class3(fit, h, mean, var, work);
	} else {
		/* simulate (pegelsfcast.C) */
		struct ets_kind k = { fit->error, fit->trend, fit->season, fit->m,
				      fit->alpha, fit->beta, fit->gamma, fit->phi };
		double ring[TS_ETS_MAXM], sd = sqrt(fit->sigma2), *paths, *col;
		size_t off = 1 + (fit->trend != TS_ETS_N), head0 = 0;
		gsl_rng *rng;

		if (npaths == 0)
			npaths = 5000;
		work = ts_mallocarray(npaths * h + npaths, sizeof *work);
		rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (work == NULL || rng == NULL) {
			free(work);
			if (rng != NULL)
				gsl_rng_free(rng);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		gsl_rng_set(rng, seed);
		if (fit->season != TS_ETS_N)
			memcpy(ring, fit->last + off, fit->m * sizeof *ring);
		ets_point(fit->last[0], fit->trend != TS_ETS_N ? fit->last[1] : 0, ring, head0, &k,
			  mean, h);
		if (isnan(mean[0])) {
			free(work);
			gsl_rng_free(rng);
			return ts_err_set(err, TS_EDATA, "problem with multiplicative damped trend");
		}
		paths = work;
		col = work + npaths * h;
		for (i = 0; i < npaths; i++) {
			double l = fit->last[0], b = fit->trend != TS_ETS_N ? fit->last[1] : 0, f;
			size_t head = 0;

			if (fit->season != TS_ETS_N)
				memcpy(ring, fit->last + off, fit->m * sizeof *ring);
			for (j = 0; j < h; j++) {
				double e = gsl_ran_gaussian(rng, sd), yv;

				ets_point(l, b, ring, head, &k, &f, 1);
				if (fit->error == TS_ETS_M && e < -1)
					e = -1;
				yv = fit->error == TS_ETS_A ? f + e : f * (1.0 + e);
				paths[j * npaths + i] = yv;
				ets_update(&l, &b, ring, &head, &k, yv);
			}
		}
		for (j = 0; j < h; j++) {
			size_t cnt = 0;

			for (i = 0; i < npaths; i++)
				if (!isnan(paths[j * npaths + i]))
					col[cnt++] = paths[j * npaths + i];
			qsort(col, cnt, sizeof *col, ts_cmp_double);
			lower[j] = cnt > 0 ? ts_quantile8_sorted(col, cnt, 0.5 - level / 2) : NAN;
			upper[j] = cnt > 0 ? ts_quantile8_sorted(col, cnt, 0.5 + level / 2) : NAN;
		}
		gsl_rng_free(rng);
		free(work);
		return 0;
	}
	for (j = 0; j < h; j++) {
		double me = sqrt(var[j]) * z;

		lower[j] = mean[j] - me;
		upper[j] = mean[j] + me;
	}
	free(work);
	return 0;
}
