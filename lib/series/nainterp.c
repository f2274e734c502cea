/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nainterp: missing-value interpolation of a regular series.
 * Follows R forecast::na.interp (forecast 8.20; Hyndman & Khandakar 2008,
 * J. Stat. Software 27(3), and Hyndman & Athanasopoulos, "Forecasting:
 * principles and practice", 3rd ed., section 13.9): linear interpolation for
 * non-seasonal or short series, otherwise a Fourier + polynomial regression
 * provisional fill, robust MSTL (Bandara, Hyndman & Bergmeir 2021) and linear
 * interpolation of the seasonally adjusted series. The regression is solved
 * as R's lm() does (Householder QR, LINPACK dqrdc2's rule for dropping
 * collinear columns), on a column-major copy of the design. */
#include "series/nainterp.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "series/stl.h"

#define PI 3.141592653589793238462643383279502884

/* lm()'s default tolerance for declaring a column collinear. */
#define LM_TOL 1e-7

/* R's sinpi() and cospi(): sin(pi x) and cos(pi x), exact at multiples of 1/2. */
static double r_sinpi(double x)
{
	x = fmod(x, 2.0);
	if (x <= -1.0)
		x += 2.0;
	else if (x > 1.0)
		x -= 2.0;
	if (x == 0.0 || x == 1.0)
		return 0.0;
	if (x == 0.5)
		return 1.0;
	if (x == -0.5)
		return -1.0;
	return sin(PI * x);
}

static double r_cospi(double x)
{
	x = fmod(fabs(x), 2.0);
	if (fmod(x, 1.0) == 0.5)
		return 0.0;
	if (x == 1.0)
		return -1.0;
	if (x == 0.0)
		return 1.0;
	return cos(PI * x);
}

/* Fill out[] at the points where y is NaN by linear interpolation of v
 * between the nearest points where y is not, constant beyond the first and
 * last (R's approx(idx, v[idx], 1:n, rule = 2)); elsewhere out = v. Needs
 * at least one non-missing point. out may be v. */
static void approx_fill(const double *y, const double *v, size_t n, double *out)
{
	size_t first = n, last = 0, prev = n, i, j;

	for (i = 0; i < n; i++) {
		if (isnan(y[i]))
			continue;
		if (first == n)
			first = i;
		last = i;
	}
	for (i = 0; i < n; i++) {
		if (!isnan(y[i])) {
			out[i] = v[i];
			prev = i;
			continue;
		}
		if (i < first) {
			out[i] = v[first];
		} else if (i > last) {
			out[i] = v[last];
		} else {
			for (j = i + 1; isnan(y[j]); j++)
				;
			/* one gap (prev, j): fill it whole, then skip past it */
			for (; i < j; i++)
				out[i] = v[prev] + (v[j] - v[prev]) *
					((double)(i - prev) / (double)(j - prev));
			i--;
		}
	}
}

/* sum x[i] y[i], in four interleaved parts for more parallelism. */
static double dot(const double *x, const double *y, size_t n)
{
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
	size_t i;

	for (i = 0; i + 3 < n; i += 4) {
		s0 += x[i] * y[i];
		s1 += x[i + 1] * y[i + 1];
		s2 += x[i + 2] * y[i + 2];
		s3 += x[i + 3] * y[i + 3];
	}
	for (; i < n; i++)
		s0 += x[i] * y[i];
	return (s0 + s1) + (s2 + s3);
}

/* y += a x, two at a time so that the compiler can pair them in SIMD. */
static void axpy(double a, const double *x, double *y, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		y[i] += a * x[i];
		y[i + 1] += a * x[i + 1];
	}
	if (i < n)
		y[i] += a * x[i];
}

/* The regression's Fourier terms: frequency k / period (one per column pair),
 * with the sine left out when 2k = period, as forecast's fourier() does. */
struct fourier_term {
	size_t k, period;
	bool has_sin;
};

/* Orthonormal polynomials of degree 1..deg over t = 1..n by the Stieltjes
 * three-term recurrence p(d) = (t - a) p(d-1) - b p(d-2); poly[(d - 1) n + i]
 * is degree d at t = i + 1. They span the same space as R's poly(t, deg),
 * which is all the fitted values depend on. */
static void ortho_poly(size_t n, size_t deg, double *poly)
{
	double a = 0.0, b = 0.0, norm2_prev = (double)n, norm2, s;
	size_t d, i;

	for (i = 0; i < n; i++)
		a += (double)(i + 1);
	a /= (double)n;
	for (d = 1; d <= deg; d++) {
		double *cur = poly + (d - 1) * n;
		const double *p1 = d >= 2 ? poly + (d - 2) * n : NULL;
		const double *p2 = d >= 3 ? poly + (d - 3) * n : NULL;

		for (i = 0; i < n; i++) {
			double t = (double)(i + 1);
			double v1 = p1 != NULL ? p1[i] : 1.0;
			double v2 = p2 != NULL ? p2[i] : (d == 2 ? 1.0 : 0.0);

			cur[i] = (t - a) * v1 - b * v2;
		}
		norm2 = 0.0;
		s = 0.0;
		for (i = 0; i < n; i++) {
			norm2 += cur[i] * cur[i];
			s += (double)(i + 1) * cur[i] * cur[i];
		}
		a = s / norm2;
		b = norm2 / norm2_prev;
		norm2_prev = norm2;
	}
	/* scale after the recurrence, which needs the unscaled values */
	for (d = 1; d <= deg; d++) {
		double *cur = poly + (d - 1) * n;

		s = 0.0;
		for (i = 0; i < n; i++)
			s += cur[i] * cur[i];
		s = sqrt(s);
		for (i = 0; i < n; i++)
			cur[i] /= s;
	}
}

/* One row of the design at time t (1-based): intercept, Fourier terms
 * (sine, cosine per term), polynomial columns. */
static void design_row(size_t t, const struct fourier_term *terms, size_t nterms,
		       const double *poly, size_t n, size_t deg, double *row)
{
	size_t c = 0, j;

	row[c++] = 1.0;
	for (j = 0; j < nterms; j++) {
		double x = 2.0 * ((double)terms[j].k / (double)terms[j].period) * (double)t;

		if (terms[j].has_sin)
			row[c++] = r_sinpi(x);
		row[c++] = r_cospi(x);
	}
	for (j = 0; j < deg; j++)
		row[c++] = poly[j * n + t - 1];
}

/*
 * Least squares of b[0..m) on the p columns col[0..p) (m values each,
 * contiguous; overwritten, b too) as R's lm() computes it with LINPACK
 * dqrdc2: Householder QR taking columns in order, a column whose norm after
 * removing the earlier ones falls below LM_TOL times its original norm moved
 * to the end and left out (its coefficient NA in R, 0 here, which is what
 * predict() uses). The reflections are applied to the remaining columns and
 * to b as they are made; Q is never formed. With the columns contiguous each
 * reflection is a dot product and an update along memory, where a row-major
 * matrix would be walked down its columns. perm and colnorm hold p each;
 * reordering moves the pointers in col, not the data.
 */
static void lsfit(double **col, size_t m, size_t p, double *b, double *beta, size_t *perm,
		  double *colnorm)
{
	size_t lup = p, l, j, i;

	for (j = 0; j < p; j++) {
		perm[j] = j;
		colnorm[j] = sqrt(dot(col[j], col[j], m));
	}
	for (l = 0; l < lup && l < m;) {
		double *x = col[l], nrm = sqrt(dot(x + l, x + l, m - l));

		if (!(nrm >= LM_TOL * colnorm[perm[l]]) || colnorm[perm[l]] == 0.0) {
			double *xl = col[l];
			size_t pl = perm[l];

			for (j = l; j + 1 < lup; j++) {
				col[j] = col[j + 1];
				perm[j] = perm[j + 1];
			}
			col[lup - 1] = xl;
			perm[lup - 1] = pl;
			lup--;
			continue;
		}
		if (l + 1 < m) {
			/* x[l..m) -> beta e1 by I - tau v v', v = (1, x[l+1..m) / (alpha - beta)) */
			double alpha = x[l], beta_l = alpha >= 0.0 ? -nrm : nrm;
			double tau = (beta_l - alpha) / beta_l, scale = 1.0 / (alpha - beta_l), w;

			if (dot(x + l + 1, x + l + 1, m - l - 1) > 0.0) {
				for (i = l + 1; i < m; i++)
					x[i] *= scale;
				x[l] = 1.0;
				for (j = l + 1; j < lup; j++) {
					w = tau * dot(x + l, col[j] + l, m - l);
					axpy(-w, x + l, col[j] + l, m - l);
				}
				w = tau * dot(x + l, b + l, m - l);
				axpy(-w, x + l, b + l, m - l);
				x[l] = beta_l;
			}
		}
		l++;
	}
	/* back substitution in R (its column j is col[j][0..j]) */
	for (j = 0; j < p; j++)
		beta[j] = 0.0;
	for (j = l; j-- > 0;) {
		double s = b[j];

		for (i = j + 1; i < l; i++)
			s -= col[i][j] * b[i];
		b[j] = s / col[j][j];
	}
	for (j = 0; j < l; j++)
		beta[perm[j]] = b[j];
}

/* The seasonal path of na.interp for periods ps[0..nps) (ascending, >= 2):
 * writes the filled series into filled. scratch is laid out below. */
static int seasonal_fill(const double *y, size_t n, size_t nobs, const size_t *ps, size_t nps,
			 double *filled, struct ts_err *err)
{
	struct fourier_term *terms = NULL;
	size_t nterms = 0, maxterms = 0, deg, ncols, i, j, r, c;
	size_t *perm = NULL, kept_count = 0, *kept = NULL;
	double *block = NULL, *design, *rhs, *poly, *row, *beta, *colnorm, **cols = NULL;
	double *trend, *seasonal, *remainder, *work;
	size_t nblock, nwork;
	int rc = 0;

	for (i = 0; i < nps; i++)
		maxterms += ps[i] / 2;
	terms = ts_mallocarray(maxterms + 1, sizeof *terms);
	perm = ts_mallocarray(2 * maxterms + 8, sizeof *perm);
	kept = ts_mallocarray(nps, sizeof *kept);
	if (terms == NULL || perm == NULL || kept == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nps; i++) {
		size_t kmax = ps[i] / 2, k;

		if (kmax > (nps == 1 ? 5 : 20))
			kmax = nps == 1 ? 5 : 20;
		for (k = 1; k <= kmax; k++) {
			bool dup = false;

			/* fourier() keeps the first of equal frequencies k / P */
			for (j = 0; j < nterms && !dup; j++)
				dup = terms[j].k * ps[i] == k * terms[j].period;
			if (dup)
				continue;
			terms[nterms].k = k;
			terms[nterms].period = ps[i];
			terms[nterms].has_sin = 2 * k != ps[i];
			nterms++;
		}
	}
	deg = n / 10;
	if (deg < 1)
		deg = 1;
	if (deg > 6)
		deg = 6;
	ncols = 1 + deg;
	for (j = 0; j < nterms; j++)
		ncols += terms[j].has_sin ? 2 : 1;

	nwork = ts_mstl_work_size(n, ps, nps);
	if (nobs > SIZE_MAX / 8 / ncols || nwork == SIZE_MAX || nps > SIZE_MAX / 8 / n) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	nblock = nobs * ncols + nobs + n * deg + 3 * ncols + n * (nps + 2) + nwork;
	block = ts_mallocarray(nblock, sizeof *block);
	cols = ts_mallocarray(ncols, sizeof *cols);
	if (block == NULL || cols == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	design = block;
	rhs = design + nobs * ncols;
	poly = rhs + nobs;
	row = poly + n * deg;
	beta = row + ncols;
	colnorm = beta + ncols;
	trend = colnorm + ncols;
	remainder = trend + n;
	seasonal = remainder + n;
	work = seasonal + n * nps;

	/* 1. provisional fill from the regression on the non-missing points */
	ortho_poly(n, deg, poly);
	for (i = 0, r = 0; i < n; i++) {
		if (isnan(y[i]))
			continue;
		design_row(i + 1, terms, nterms, poly, n, deg, row);
		for (c = 0; c < ncols; c++)
			design[c * nobs + r] = row[c];
		rhs[r++] = y[i];
	}
	for (c = 0; c < ncols; c++)
		cols[c] = design + c * nobs;
	lsfit(cols, nobs, ncols, rhs, beta, perm, colnorm);
	for (i = 0; i < n; i++) {
		double pred = 0.0;

		if (!isnan(y[i])) {
			filled[i] = y[i];
			continue;
		}
		design_row(i + 1, terms, nterms, poly, n, deg, row);
		for (c = 0; c < ncols; c++)
			pred += row[c] * beta[c];
		filled[i] = pred;
	}

	/* 2. robust MSTL of the provisionally filled series */
	{
		struct ts_mstl_params mp = { 0, NULL, true };

		rc = ts_mstl(filled, n, ps, nps, &mp, trend, seasonal, remainder, kept,
			     &kept_count, NULL, NULL, work, err);
		if (rc != 0)
			goto done;
	}

	/* 3. interpolate the seasonally adjusted series, add the seasonal back */
	for (i = 0; i < n; i++)
		trend[i] += remainder[i];	/* seasadj = trend + remainder */
	approx_fill(y, trend, n, remainder);
	for (i = 0; i < n; i++) {
		double seas = 0.0;

		if (!isnan(y[i]))
			continue;
		for (j = 0; j < kept_count; j++)
			seas += seasonal[j * n + i];
		filled[i] = remainder[i] + seas;
	}
done:
	TS_FREE_ALL(terms, perm, kept, block, cols);
	return rc;
}

int ts_na_interp(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 double *out, struct ts_err *err)
{
	size_t nmiss = 0, nobs, nps = 0, maxp = 1, i, j;
	size_t *ps = NULL;
	double lo = INFINITY, hi = -INFINITY, half, *filled = NULL;
	bool linear;
	int rc = 0;

	for (i = 0; i < nperiods; i++)
		if (periods[i] == 0)
			return ts_err_set(err, TS_EUSAGE, "period must be at least 1");
	for (i = 0; i < n; i++) {
		if (isnan(y[i])) {
			nmiss++;
		} else if (isinf(y[i])) {
			return ts_err_set(err, TS_EDATA, "infinite value at index %zu", i);
		} else {
			lo = fmin(lo, y[i]);
			hi = fmax(hi, y[i]);
		}
	}
	if (nmiss == 0) {
		if (out != y && n > 0)
			memmove(out, y, n * sizeof *out);
		return 0;
	}
	nobs = n - nmiss;
	if (nobs < 2)
		return ts_err_set(err, TS_EDATA, "need at least two non-missing values to interpolate");
	for (i = 0; i < nperiods; i++)
		if (periods[i] > maxp)
			maxp = periods[i];
	/* R: linear when frequency <= 1 or non-missing <= 2 frequency, the
	 * frequency of an msts being its longest period */
	linear = maxp <= 1 || nobs / 2 < maxp || nobs == 2 * maxp;
	if (!linear) {
		ps = ts_mallocarray(nperiods, sizeof *ps);
		filled = ts_mallocarray(n, sizeof *filled);
		if (ps == NULL || filled == NULL) {
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto done;
		}
		/* periods >= 2, ascending, as msts() stores them */
		for (i = 0; i < nperiods; i++) {
			if (periods[i] < 2)
				continue;
			for (j = nps; j > 0 && ps[j - 1] > periods[i]; j--)
				ps[j] = ps[j - 1];
			ps[j] = periods[i];
			nps++;
		}
		rc = seasonal_fill(y, n, nobs, ps, nps, filled, err);
		if (rc != 0)
			goto done;
		/* R falls back to linear when a filled value leaves the observed
		 * range by more than half of it */
		half = 0.5 * (hi - lo);
		for (i = 0; i < n && !linear; i++)
			if (filled[i] > hi + half || filled[i] < lo - half)
				linear = true;
		if (!linear)
			memcpy(out, filled, n * sizeof *out);
	}
	if (linear)
		approx_fill(y, y, n, out);
done:
	free(ps);
	free(filled);
	return rc;
}
