/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stl: STL and MSTL decompositions and Friedman's super smoother.
 * Papers: Cleveland, Cleveland, McRae & Terpenning (1990), "STL: a seasonal-
 * trend decomposition procedure based on loess", J. Official Statistics 6(1);
 * Bandara, Hyndman & Bergmeir (2021), "MSTL", arXiv:2107.13462; Friedman
 * (1984), "A variable span smoother", Stanford LCS tech. report 5.
 * Reference implementations followed routine by routine: netlib stl.f as R's
 * stats package ships it (stl, stlstp, stlss, stlfts, stlma, stless, stlest,
 * stlrwt; the helpers below keep netlib's names onestp, ss, fts, ma, ess,
 * est, rwts), R's stats::stl() wrapper for the defaults and the periodic
 * seasonal, forecast::mstl() for MSTL, and R's ppr.f (supsmu, smooth).
 * Indices inside the ports are 1-based like the Fortran, so every loop bound
 * and the floating-point order of operations can be checked against it. */
#include "stl.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* One tricube-weighted local fit of degree ideg at abscissa xs, from the
 * points nleft..nright of y (stlest). w is scratch for the weights. */
static bool est(const double *y, size_t n, size_t len, int ideg, double xs, double *ys,
		size_t nleft, size_t nright, double *w, bool userw, const double *rw)
{
	double range = (double)n - 1.0;
	double h, h9, h1, a, b, c, r, q;
	size_t j;

	h = fmax(xs - (double)nleft, (double)nright - xs);
	if (len > n)
		h += (double)((len - n) / 2);
	h9 = 0.999 * h;
	h1 = 0.001 * h;
	a = 0.0;
	for (j = nleft; j <= nright; j++) {
		r = fabs((double)j - xs);
		if (r <= h9) {
			if (r <= h1) {
				w[j - 1] = 1.0;
			} else {
				q = r / h;
				q = 1.0 - q * q * q;
				w[j - 1] = q * q * q;
			}
			if (userw)
				w[j - 1] = rw[j - 1] * w[j - 1];
			a += w[j - 1];
		} else {
			w[j - 1] = 0.0;
		}
	}
	if (a <= 0.0)
		return false;
	for (j = nleft; j <= nright; j++)
		w[j - 1] /= a;
	if (h > 0.0 && ideg > 0) {
		a = 0.0;
		for (j = nleft; j <= nright; j++)
			a += w[j - 1] * (double)j;
		b = xs - a;
		c = 0.0;
		for (j = nleft; j <= nright; j++)
			c += w[j - 1] * ((double)j - a) * ((double)j - a);
		if (sqrt(c) > 0.001 * range) {
			b /= c;
			for (j = nleft; j <= nright; j++)
				w[j - 1] = w[j - 1] * (b * ((double)j - a) + 1.0);
		}
	}
	*ys = 0.0;
	for (j = nleft; j <= nright; j++)
		*ys += w[j - 1] * y[j - 1];
	return true;
}

/* Loess smooth of y[1..n] with window len, fitted every njump points and
 * linearly interpolated between (stless). res is scratch of n. */
static void ess(const double *y, size_t n, size_t len, int ideg, size_t njump, bool userw,
		const double *rw, double *ys, double *res)
{
	size_t newnj, nleft = 1, nright = n, nsh, k, i, j;
	double delta;

	if (n < 2) {
		ys[0] = y[0];
		return;
	}
	newnj = njump < n - 1 ? njump : n - 1;
	if (len >= n) {
		nleft = 1;
		nright = n;
		for (i = 1; i <= n; i += newnj)
			if (!est(y, n, len, ideg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
				ys[i - 1] = y[i - 1];
	} else if (newnj == 1) {
		nsh = (len + 1) / 2;
		nleft = 1;
		nright = len;
		for (i = 1; i <= n; i++) {
			if (i > nsh && nright != n) {
				nleft++;
				nright++;
			}
			if (!est(y, n, len, ideg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
				ys[i - 1] = y[i - 1];
		}
	} else {
		nsh = (len + 1) / 2;
		for (i = 1; i <= n; i += newnj) {
			if (i < nsh) {
				nleft = 1;
				nright = len;
			} else if (i >= n - nsh + 1) {
				nleft = n - len + 1;
				nright = n;
			} else {
				nleft = i - nsh + 1;
				nright = len + i - nsh;
			}
			if (!est(y, n, len, ideg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
				ys[i - 1] = y[i - 1];
		}
	}
	if (newnj == 1)
		return;
	for (i = 1; i <= n - newnj; i += newnj) {
		delta = (ys[i + newnj - 1] - ys[i - 1]) / (double)newnj;
		for (j = i + 1; j <= i + newnj - 1; j++)
			ys[j - 1] = ys[i - 1] + delta * (double)(j - i);
	}
	k = ((n - 1) / newnj) * newnj + 1;
	if (k != n) {
		/* the window is the last one the loop used, as in stl.f */
		if (!est(y, n, len, ideg, (double)n, &ys[n - 1], nleft, nright, res, userw, rw))
			ys[n - 1] = y[n - 1];
		if (k != n - 1) {
			delta = (ys[n - 1] - ys[k - 1]) / (double)(n - k);
			for (j = k + 1; j <= n - 1; j++)
				ys[j - 1] = ys[k - 1] + delta * (double)(j - k);
		}
	}
}

/* Running mean of length len over x[1..n], n - len + 1 values (stlma). */
static void ma(const double *x, size_t n, size_t len, double *ave)
{
	size_t newn = n - len + 1, i, j, k, m;
	double flen = (double)len, v = 0.0;

	for (i = 1; i <= len; i++)
		v += x[i - 1];
	ave[0] = v / flen;
	if (newn > 1) {
		k = len;
		m = 0;
		for (j = 2; j <= newn; j++) {
			k++;
			m++;
			v = v - x[m - 1] + x[k - 1];
			ave[j - 1] = v / flen;
		}
	}
}

/* The low-pass filter: moving averages of lengths np, np, 3 (stlfts). */
static void fts(const double *x, size_t n, size_t np, double *trend, double *work)
{
	ma(x, n, np, trend);
	ma(trend, n - np + 1, np, work);
	ma(work, n - 2 * np + 2, 3, trend);
}

/* Cycle-subseries smoothing, each subseries extended one point at either end
 * (stlss). season receives n + 2 np values; work1..4 hold n / np + 3. */
static void ss(const double *y, size_t n, size_t np, size_t ns, int isdeg, size_t nsjump,
	       bool userw, const double *rw, double *season,
	       double *work1, double *work2, double *work3, double *work4)
{
	size_t i, j, k, m, nleft, nright;

	for (j = 1; j <= np; j++) {
		k = (n - j) / np + 1;
		for (i = 1; i <= k; i++)
			work1[i - 1] = y[(i - 1) * np + j - 1];
		if (userw)
			for (i = 1; i <= k; i++)
				work3[i - 1] = rw[(i - 1) * np + j - 1];
		ess(work1, k, ns, isdeg, nsjump, userw, work3, work2 + 1, work4);
		nright = ns < k ? ns : k;
		if (!est(work1, k, ns, isdeg, 0.0, &work2[0], 1, nright, work4, userw, work3))
			work2[0] = work2[1];
		nleft = k + 1 > ns ? k - ns + 1 : 1;
		if (!est(work1, k, ns, isdeg, (double)(k + 1), &work2[k + 1], nleft, k, work4,
			 userw, work3))
			work2[k + 1] = work2[k];
		for (m = 1; m <= k + 2; m++)
			season[(m - 1) * np + j - 1] = work2[m - 1];
	}
}

/* The inner loop (stlstp): ni passes of detrend, cycle-subseries smoothing,
 * low-pass removal and trend smoothing. work is 5 columns of n + 2 np. */
static void onestp(const double *y, size_t n, const struct ts_stl_params *p, bool userw,
		   const double *rw, double *season, double *trend, double *work)
{
	size_t np = p->period, nw = n + 2 * np, i, j;
	double *w1 = work, *w2 = work + nw, *w3 = work + 2 * nw;
	double *w4 = work + 3 * nw, *w5 = work + 4 * nw;

	for (j = 1; j <= p->inner; j++) {
		for (i = 0; i < n; i++)
			w1[i] = y[i] - trend[i];
		ss(w1, n, np, p->s_window, p->s_degree, p->s_jump, userw, rw, w2, w3, w4, w5,
		   season);
		fts(w2, nw, np, w3, w1);
		ess(w3, n, p->l_window, p->l_degree, p->l_jump, false, w4, w1, w5);
		for (i = 0; i < n; i++)
			season[i] = w2[np + i] - w1[i];
		for (i = 0; i < n; i++)
			w1[i] = y[i] - season[i];
		ess(w1, n, p->t_window, p->t_degree, p->t_jump, userw, rw, trend, w3);
	}
}

/* Singleton's partial quicksort (CACM algorithm 347 as modified in stl.f's
 * psort): afterwards a(ind(i)) holds what a sorted a would hold there, for
 * ind ascending. stl.f calls it with ind = (n/2 + 1, n - n/2) which, for even
 * n, is descending; the routine then may leave other values at those places,
 * and R's stl() output depends on that. So this is a literal port, gotos and
 * all, with 1-based indices through A() and IND(); the stacks are deeper
 * than the Fortran's 16 entries, which it could overrun beyond ~1e6 points. */
#define A(x) a[(x) - 1]
#define IND(x) ind[(x) - 1]
static void psort(double *a, long n, const long *ind, long ni)
{
	long indu[64], indl[64], iu[64], il[64];
	long p, jl, ju, i, j, m, k, ij, l;
	double t, tt;

	if (n < 2 || ni <= 0)
		return;
	jl = 1;
	ju = ni;
	indl[0] = 1;
	indu[0] = ni;
	i = 1;
	j = n;
	m = 1;
outer:
	if (i < j)
		goto partition;
pop:
	m--;
	if (m == 0)
		return;
	i = il[m - 1];
	j = iu[m - 1];
	jl = indl[m - 1];
	ju = indu[m - 1];
	if (!(jl <= ju))
		goto pop;
next_segment:
	if (!(j - i > 10))
		goto small_segment;
partition:
	k = i;
	ij = (i + j) / 2;
	t = A(ij);
	if (A(i) > t) {
		A(ij) = A(i);
		A(i) = t;
		t = A(ij);
	}
	l = j;
	if (A(j) < t) {
		A(ij) = A(j);
		A(j) = t;
		t = A(ij);
		if (A(i) > t) {
			A(ij) = A(i);
			A(i) = t;
			t = A(ij);
		}
	}
	for (;;) {
		l--;
		if (A(l) <= t) {
			tt = A(l);
			do
				k++;
			while (!(A(k) >= t));
			if (k > l)
				break;
			A(l) = A(k);
			A(k) = tt;
		}
	}
	indl[m - 1] = jl;
	indu[m - 1] = ju;
	p = m;
	m++;
	if (l - i <= j - k) {
		il[p - 1] = k;
		iu[p - 1] = j;
		j = l;
		for (;;) {
			if (jl > ju)
				goto pop;
			if (IND(ju) > j)
				ju--;
			else
				break;
		}
		indl[p - 1] = ju + 1;
	} else {
		il[p - 1] = i;
		iu[p - 1] = l;
		i = k;
		for (;;) {
			if (jl > ju)
				goto pop;
			if (IND(jl) < i)
				jl++;
			else
				break;
		}
		indu[p - 1] = jl - 1;
	}
	goto next_segment;
small_segment:
	/* straight insertion, a(i - 1) being a sentinel; the first segment
	 * has none and is partitioned down instead */
	if (i != 1) {
		i--;
		for (;;) {
			i++;
			if (i == j)
				goto pop;
			t = A(i + 1);
			if (A(i) > t) {
				k = i;
				do {
					A(k + 1) = A(k);
					k--;
				} while (k >= 1 && !(t >= A(k)));
				A(k + 1) = t;
			}
		}
	}
	goto outer;
}
#undef A
#undef IND

/* Robustness weights: bisquare of |y - fit| / (6 median |y - fit|) (stlrwt),
 * the "median" being what psort leaves at the two middle places. */
static void rwts(const double *y, size_t n, const double *fit, double *rw)
{
	long mid[2];
	size_t i;
	double cmad, c9, c1, r, u;

	for (i = 0; i < n; i++)
		rw[i] = fabs(y[i] - fit[i]);
	mid[0] = (long)n / 2 + 1;
	mid[1] = (long)n - mid[0] + 1;
	psort(rw, (long)n, mid, 2);
	cmad = 3.0 * (rw[mid[0] - 1] + rw[mid[1] - 1]);
	c9 = 0.999 * cmad;
	c1 = 0.001 * cmad;
	for (i = 0; i < n; i++) {
		r = fabs(y[i] - fit[i]);
		if (r <= c1) {
			rw[i] = 1.0;
		} else if (r <= c9) {
			u = r / cmad;
			u = 1.0 - u * u;
			rw[i] = u * u;
		} else {
			rw[i] = 0.0;
		}
	}
}

/* R's nextodd(): round, then make odd. */
static size_t nextodd(double x)
{
	size_t v = (size_t)floor(x + 0.5);

	return v % 2 == 0 ? v + 1 : v;
}

void ts_stl_defaults(struct ts_stl_params *p, size_t period, size_t s_window, bool robust)
{
	memset(p, 0, sizeof *p);
	p->period = period;
	p->s_window = s_window;
	p->s_degree = 0;
	p->t_degree = 1;
	p->l_degree = 1;
	p->inner = robust ? 1 : 2;
	p->outer = robust ? 15 : 0;
}

static bool odd_window(size_t w)
{
	return w >= 3 && w % 2 == 1;
}

int ts_stl_resolve(const struct ts_stl_params *p, size_t n, struct ts_stl_params *out,
		   struct ts_err *err)
{
	struct ts_stl_params r = *p;

	if (r.s_window == TS_STL_PERIODIC) {
		if (n > (SIZE_MAX - 1) / 10)
			return ts_err_set(err, TS_EDATA, "series too long: %zu points", n);
		r.s_window = 10 * n + 1;
		r.s_degree = 0;
	} else if (!odd_window(r.s_window)) {
		return ts_err_set(err, TS_EUSAGE, "seasonal window must be odd and at least 3");
	}
	if (r.t_window != 0 && !odd_window(r.t_window))
		return ts_err_set(err, TS_EUSAGE, "trend window must be odd and at least 3");
	if (r.l_window != 0 && !odd_window(r.l_window))
		return ts_err_set(err, TS_EUSAGE, "low-pass window must be odd and at least 3");
	if (r.s_degree != 0 && r.s_degree != 1)
		return ts_err_set(err, TS_EUSAGE, "seasonal degree must be 0 or 1");
	if (r.t_degree != 0 && r.t_degree != 1)
		return ts_err_set(err, TS_EUSAGE, "trend degree must be 0 or 1");
	if (r.l_degree != 0 && r.l_degree != 1)
		return ts_err_set(err, TS_EUSAGE, "low-pass degree must be 0 or 1");
	if (r.inner < 1)
		return ts_err_set(err, TS_EUSAGE, "inner iterations must be at least 1");
	if (r.period < 2)
		return ts_err_set(err, TS_EDATA, "period must be at least 2");
	if (n / 2 < r.period || n == 2 * r.period)
		return ts_err_set(err, TS_EDATA,
				  "series too short: %zu points, need more than two periods of %zu",
				  n, r.period);
	if (r.t_window == 0) {
		double np = (double)r.period, ns = (double)r.s_window;
		r.t_window = nextodd(ceil(1.5 * np / (1.0 - 1.5 / ns)));
	}
	if (r.l_window == 0)
		r.l_window = nextodd((double)r.period);
	if (r.s_jump == 0)
		r.s_jump = r.s_window / 10 + (r.s_window % 10 != 0);
	if (r.t_jump == 0)
		r.t_jump = r.t_window / 10 + (r.t_window % 10 != 0);
	if (r.l_jump == 0)
		r.l_jump = r.l_window / 10 + (r.l_window % 10 != 0);
	*out = r;
	return 0;
}

size_t ts_stl_work_size(size_t n, size_t period)
{
	if (n > SIZE_MAX / 16 || period > SIZE_MAX / 16)
		return SIZE_MAX;
	return 5 * (n + 2 * period) + n;
}

static int check_finite(const double *y, size_t n, struct ts_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(y[i]))
			return ts_err_set(err, TS_EDATA, "missing or infinite value at index %zu", i);
	return 0;
}

/* Replace the seasonal by the mean of each cycle position, as stl() does for
 * s.window = "periodic"; sums and means use np doubles each of work. */
static void cycle_means(double *seasonal, size_t n, size_t np, double *work)
{
	double *mean = work, *corr = work + np;
	size_t i, pos;

	for (pos = 0; pos < np; pos++)
		mean[pos] = corr[pos] = 0.0;
	for (i = 0; i < n; i++)
		mean[i % np] += seasonal[i];
	for (pos = 0; pos < np; pos++)
		mean[pos] /= (double)((n - pos - 1) / np + 1);
	/* second pass as R's mean() refines its long-double sum */
	for (i = 0; i < n; i++)
		corr[i % np] += seasonal[i] - mean[i % np];
	for (pos = 0; pos < np; pos++)
		mean[pos] += corr[pos] / (double)((n - pos - 1) / np + 1);
	for (i = 0; i < n; i++)
		seasonal[i] = mean[i % np];
}

int ts_stl(const double *y, size_t n, const struct ts_stl_params *p,
	   double *seasonal, double *trend, double *remainder, double *weights,
	   double *work, struct ts_err *err)
{
	struct ts_stl_params r;
	size_t nw, i, k;
	double *rw, *fit;
	bool userw = false;
	int rc;

	rc = ts_stl_resolve(p, n, &r, err);
	if (rc != 0)
		return rc;
	rc = check_finite(y, n, err);
	if (rc != 0)
		return rc;
	nw = n + 2 * r.period;
	fit = work;
	rw = weights != NULL ? weights : work + 5 * nw;
	for (i = 0; i < n; i++)
		trend[i] = 0.0;
	for (k = 0;;) {
		onestp(y, n, &r, userw, rw, seasonal, trend, work);
		k++;
		if (k > r.outer)
			break;
		for (i = 0; i < n; i++)
			fit[i] = trend[i] + seasonal[i];
		rwts(y, n, fit, rw);
		userw = true;
	}
	if (r.outer == 0)
		for (i = 0; i < n; i++)
			rw[i] = 1.0;
	if (p->s_window == TS_STL_PERIODIC)
		cycle_means(seasonal, n, r.period, work);
	if (remainder != NULL)
		for (i = 0; i < n; i++)
			remainder[i] = y[i] - seasonal[i] - trend[i];
	return 0;
}

/* Friedman's super smoother, R ppr.f's constants: the Fortran stores them
 * from single-precision literals, so they are the float values widened. */
static const double supsmu_spans[3] = { (double)0.05f, (double)0.2f, (double)0.5f };
#define SUPSMU_BIG ((double)1.0e20f)
#define SUPSMU_EPS ((double)1.0e-3f)

/* Running local-linear smoother with span fraction span over x[1..n], unit
 * weights (smooth, non-periodic case). With iper > 0 also the absolute
 * cross-validated residuals into acvr. */
static void smooth(size_t n, const double *x, const double *y, double span, int iper,
		   double vsmlsq, double *smo, double *acvr)
{
	double xm = 0.0, ym = 0.0, var = 0.0, cvar = 0.0, fbw = 0.0, fbo, xti, xto, tmp, a, h;
	double sy, wt = 1.0;
	size_t ibw, it, i, j, j0, out, in;

	ibw = (size_t)(0.5 * span * (double)n + 0.5);
	if (ibw < 2)
		ibw = 2;
	it = 2 * ibw + 1;
	if (it > n)	/* R reads past the data here; stay inside */
		it = n;
	for (i = 1; i <= it; i++) {
		j = i;
		xti = x[j - 1];
		fbo = fbw;
		fbw += wt;
		if (fbw > 0.0)
			xm = (fbo * xm + wt * xti) / fbw;
		if (fbw > 0.0)
			ym = (fbo * ym + wt * y[j - 1]) / fbw;
		tmp = 0.0;
		if (fbo > 0.0)
			tmp = fbw * wt * (xti - xm) / fbo;
		var += tmp * (xti - xm);
		cvar += tmp * (y[j - 1] - ym);
	}
	for (j = 1; j <= n; j++) {
		if (j >= ibw + 2 && j + ibw <= n) {
			out = j - ibw - 1;
			in = j + ibw;
			xto = x[out - 1];
			xti = x[in - 1];
			fbo = fbw;
			fbw -= wt;
			tmp = 0.0;
			if (fbw > 0.0)
				tmp = fbo * wt * (xto - xm) / fbw;
			var -= tmp * (xto - xm);
			cvar -= tmp * (y[out - 1] - ym);
			if (fbw > 0.0)
				xm = (fbo * xm - wt * xto) / fbw;
			if (fbw > 0.0)
				ym = (fbo * ym - wt * y[out - 1]) / fbw;
			fbo = fbw;
			fbw += wt;
			if (fbw > 0.0)
				xm = (fbo * xm + wt * xti) / fbw;
			if (fbw > 0.0)
				ym = (fbo * ym + wt * y[in - 1]) / fbw;
			tmp = 0.0;
			if (fbo > 0.0)
				tmp = fbw * wt * (xti - xm) / fbo;
			var += tmp * (xti - xm);
			cvar += tmp * (y[in - 1] - ym);
		}
		a = 0.0;
		if (var > vsmlsq)
			a = cvar / var;
		smo[j - 1] = a * (x[j - 1] - xm) + ym;
		if (iper <= 0)
			continue;
		h = 0.0;
		if (fbw > 0.0)
			h = 1.0 / fbw;
		if (var > vsmlsq)
			h += (x[j - 1] - xm) * (x[j - 1] - xm) / var;
		acvr[j - 1] = 0.0;
		a = 1.0 - wt * h;
		if (a > 0.0)
			acvr[j - 1] = fabs(y[j - 1] - smo[j - 1]) / a;
		else if (j > 1)
			acvr[j - 1] = acvr[j - 2];
	}
	/* average the smooth over tied x */
	for (j = 1; j <= n; j++) {
		j0 = j;
		sy = smo[j - 1] * wt;
		fbw = wt;
		while (j < n && !(x[j] > x[j - 1])) {
			j++;
			sy += wt * smo[j - 1];
			fbw += wt;
		}
		if (j > j0) {
			a = fbw > 0.0 ? sy / fbw : 0.0;
			for (i = j0; i <= j; i++)
				smo[i - 1] = a;
		}
	}
}

void ts_supsmu(const double *x, const double *y, size_t n, double *smo, double *work)
{
	double *sc[8], *h = work + 7 * n;
	double scale, vsmlsq, resmin, f, a;
	size_t i, j, c;

	for (c = 1; c <= 7; c++)
		sc[c] = work + (c - 1) * n;
	if (!(x[n - 1] > x[0])) {
		a = 0.0;
		for (j = 0; j < n; j++)
			a += y[j];
		a /= (double)n;
		for (j = 0; j < n; j++)
			smo[j] = a;
		return;
	}
	i = n / 4;
	if (i < 1)	/* R indexes x(0) here for n < 4 */
		i = 1;
	j = 3 * i;
	if (j > n)
		j = n;
	scale = x[j - 1] - x[i - 1];
	while (!(scale > 0.0)) {
		if (j < n)
			j++;
		if (i > 1)
			i--;
		scale = x[j - 1] - x[i - 1];
	}
	vsmlsq = (SUPSMU_EPS * scale) * (SUPSMU_EPS * scale);
	for (c = 1; c <= 3; c++) {
		smooth(n, x, y, supsmu_spans[c - 1], 1, vsmlsq, sc[2 * c - 1], sc[7]);
		smooth(n, x, sc[7], supsmu_spans[1], -1, vsmlsq, sc[2 * c], h);
	}
	for (j = 0; j < n; j++) {
		resmin = SUPSMU_BIG;
		for (c = 1; c <= 3; c++) {
			if (sc[2 * c][j] < resmin) {
				resmin = sc[2 * c][j];
				sc[7][j] = supsmu_spans[c - 1];
			}
		}
	}
	smooth(n, x, sc[7], supsmu_spans[1], -1, vsmlsq, sc[2], h);
	for (j = 0; j < n; j++) {
		if (sc[2][j] <= supsmu_spans[0])
			sc[2][j] = supsmu_spans[0];
		if (sc[2][j] >= supsmu_spans[2])
			sc[2][j] = supsmu_spans[2];
		f = sc[2][j] - supsmu_spans[1];
		if (f >= 0.0) {
			f = f / (supsmu_spans[2] - supsmu_spans[1]);
			sc[4][j] = (1.0 - f) * sc[3][j] + f * sc[5][j];
		} else {
			f = -f / (supsmu_spans[1] - supsmu_spans[0]);
			sc[4][j] = (1.0 - f) * sc[3][j] + f * sc[1][j];
		}
	}
	smooth(n, x, sc[4], supsmu_spans[0], -1, vsmlsq, smo, h);
}

size_t ts_mstl_work_size(size_t n, const size_t *periods, size_t nperiods)
{
	size_t maxp = 0, stl_work, i;

	for (i = 0; i < nperiods; i++)
		if (periods[i] > maxp)
			maxp = periods[i];
	if (n > SIZE_MAX / 16)
		return SIZE_MAX;
	stl_work = ts_stl_work_size(n, maxp);
	if (stl_work == SIZE_MAX)
		return SIZE_MAX;
	return n + (stl_work > 8 * n ? stl_work : 8 * n);
}

int ts_mstl(const double *y, size_t n, const size_t *periods, size_t nperiods,
	    const struct ts_mstl_params *p,
	    double *trend, double *seasonal, double *remainder,
	    size_t *kept, size_t *nkept, size_t *dropped, size_t *ndropped,
	    double *work, struct ts_err *err)
{
	static const struct ts_mstl_params defaults = { 0, NULL, false };
	double *deseas = work, *stl_work = work + n;
	size_t nk = 0, nd = 0, iterate, i, j, t;
	int rc;

	if (p == NULL)
		p = &defaults;
	for (i = 0; i < nperiods; i++)
		if (periods[i] < 2)
			return ts_err_set(err, TS_EUSAGE, "period must be at least 2");
	if (n < 1)
		return ts_err_set(err, TS_EDATA, "series too short: 0 points");
	rc = check_finite(y, n, err);
	if (rc != 0)
		return rc;
	/* sort ascending (insertion sort: a handful of periods) and split */
	for (i = 0; i < nperiods; i++) {
		size_t v = periods[i];
		/* mstl drops periods >= n / 2: fewer than two full cycles */
		size_t *list = 2 * v >= n ? dropped : kept;
		size_t *count = 2 * v >= n ? &nd : &nk;

		if (list == NULL) {
			(*count)++;
			continue;
		}
		for (j = *count; j > 0 && list[j - 1] > v; j--)
			list[j] = list[j - 1];
		list[j] = v;
		(*count)++;
	}
	*nkept = nk;
	if (ndropped != NULL)
		*ndropped = nd;
	iterate = p->iterate != 0 ? p->iterate : (nperiods > 1 ? 2 : 1);
	if (nk == 0) {
		/* mstl's non-seasonal branch: supsmu(seq_len(n), x) */
		for (t = 0; t < n; t++)
			deseas[t] = (double)(t + 1);
		ts_supsmu(deseas, y, n, trend, stl_work);
		for (t = 0; t < n; t++)
			remainder[t] = y[t] - trend[t];
		return 0;
	}
	for (t = 0; t < n; t++)
		deseas[t] = y[t];
	for (i = 0; i < nk; i++)
		for (t = 0; t < n; t++)
			seasonal[i * n + t] = 0.0;
	for (j = 0; j < iterate; j++) {
		for (i = 0; i < nk; i++) {
			struct ts_stl_params sp;
			double *season = seasonal + i * n;
			size_t sw = p->s_windows != NULL ? p->s_windows[i] : 7 + 4 * (i + 1);

			for (t = 0; t < n; t++)
				deseas[t] += season[t];
			ts_stl_defaults(&sp, kept[i], sw, p->robust);
			rc = ts_stl(deseas, n, &sp, season, trend, NULL, NULL, stl_work, err);
			if (rc != 0) {
				char msg[sizeof err->msg];

				if (err != NULL) {
					memcpy(msg, err->msg, sizeof msg);
					ts_err_set(err, rc, "period %zu: %s", kept[i], msg);
				}
				return rc;
			}
			for (t = 0; t < n; t++)
				deseas[t] -= season[t];
		}
	}
	for (t = 0; t < n; t++)
		remainder[t] = deseas[t] - trend[t];
	return 0;
}

static double strength(const double *part, const double *remainder, size_t n)
{
	double mr = 0.0, ms = 0.0, vr = 0.0, vs = 0.0, d;
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (isnan(part[i]) || isnan(remainder[i]))
			continue;
		mr += remainder[i];
		ms += part[i] + remainder[i];
		m++;
	}
	if (m < 2)
		return 0.0;
	mr /= (double)m;
	ms /= (double)m;
	for (i = 0; i < n; i++) {
		if (isnan(part[i]) || isnan(remainder[i]))
			continue;
		d = remainder[i] - mr;
		vr += d * d;
		d = part[i] + remainder[i] - ms;
		vs += d * d;
	}
	if (!(vs > 0.0))
		return 0.0;
	return fmax(0.0, 1.0 - vr / vs);
}

double ts_seasonal_strength(const double *seasonal, const double *remainder, size_t n)
{
	return strength(seasonal, remainder, n);
}

double ts_trend_strength(const double *trend, const double *remainder, size_t n)
{
	return strength(trend, remainder, n);
}
