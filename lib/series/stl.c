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
#include "series/stl.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Tricube weight of the distance r in a window of half-width h, with
 * stlest's cut-offs: 1 within h1 = 0.001 h, 0 beyond h9 = 0.999 h. */
static double tricube(double r, double h, double h1, double h9)
{
	double q;

	if (r > h9)
		return 0.0;
	if (r <= h1)
		return 1.0;
	q = r / h;
	q = 1.0 - q * q * q;
	return q * q * q;
}

/*
 * The fitted value at xs from the weighted sums s0 = sum w, s1 = sum w u,
 * s2 = sum w u^2, y0 = sum w y, y1 = sum w u y, u = j - xs. stlest
 * normalises w by s0, takes a = sum w j (xs + abar here), b = xs - a and
 * c = sum w (j - a)^2, and when the fit is linear and sqrt(c) > 0.001 range
 * reweights w by b (j - a) / c + 1 before summing w y: the same value,
 * expanded so that one pass over the window suffices.
 */
static double est_fit(double s0, double s1, double s2, double y0, double y1, bool linear,
		      double range)
{
	double abar, c;

	if (linear) {
		abar = s1 / s0;
		c = s2 / s0 - abar * abar;
		if (sqrt(c) > 0.001 * range)
			return (y0 - abar / c * (y1 - abar * y0)) / s0;
	}
	return y0 / s0;
}

/* Points per block of est_sums' weights. */
#define EST_BLOCK 32

/* The sums of est_fit in two halves, [0] and [1], that run interleaved (even
 * and odd points) for more parallelism; est_fit takes their totals. */
struct est_acc {
	double s0[2], s1[2], s2[2], y0[2], y1[2];
};

/* Add the point y of weight w at u to half k of the sums. */
static inline void est_acc_add(struct est_acc *a, int k, double w, double y, double u)
{
	a->s0[k] += w;
	a->y0[k] += w * y;
	w *= u;
	a->s1[k] += w;
	a->s2[k] += w * u;
	a->y1[k] += w * y;
}

/*
 * Add the points y[0..npts) at u = u0, u0 + 1, ... (integers) to the sums
 * of est_fit (s[0..5) = s0, s1, s2, y0, y1), weighted by tricube(|u|) and by
 * rw when not NULL. stlest's cut-offs become index ranges, as |u| is an
 * integer: weight 0 where |u| > floor(h9), so those points are skipped, and
 * 1 where |u| <= floor(h1). The tricube weights go a block at a time
 * through a small array, in a loop without branches that the compiler can
 * vectorize, divisions included; the sums run in two interleaved halves
 * (est_acc). Each weight is the one stlest computes.
 */
static void est_sums(const double *y, const double *rw, size_t npts, double u0, double h,
		     double h1, double h9, double *s)
{
	struct est_acc acc = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 } };
	double wt[EST_BLOCK], u[2], q, u_block;
	double a1 = floor(h1), a9 = floor(h9), last = (double)npts - 1.0;
	double lo9 = fmax(-a9 - u0, 0.0), hi9 = fmin(a9 - u0, last);
	double lo1 = fmax(-a1 - u0, lo9), hi1 = fmin(a1 - u0, hi9);
	size_t base, end, m, i, one_lo, one_hi;
	int b, k;

	s[0] = s[1] = s[2] = s[3] = s[4] = 0.0;
	if (hi9 < lo9)
		return;
	base = (size_t)lo9;
	end = (size_t)hi9 + 1;
	/* an empty [one_lo, one_hi) when no point is within h1 */
	one_lo = lo1 <= hi1 ? (size_t)lo1 : 0;
	one_hi = lo1 <= hi1 ? (size_t)hi1 + 1 : 0;
	for (; base < end; base += m) {
		m = end - base < EST_BLOCK ? end - base : EST_BLOCK;
		u_block = u0 + (double)base;
		/* a fixed count, which the compiler vectorizes without a
		 * remainder loop, for whole blocks */
		if (m == EST_BLOCK) {
			for (b = 0; b < EST_BLOCK; b++) {
				q = fabs(u_block + (double)b) / h;
				q = 1.0 - q * q * q;
				wt[b] = q * q * q;
			}
		} else {
			for (b = 0; b < (int)m; b++) {
				q = fabs(u_block + (double)b) / h;
				q = 1.0 - q * q * q;
				wt[b] = q * q * q;
			}
		}
		for (i = one_lo > base ? one_lo : base; i < one_hi && i < base + m; i++)
			wt[i - base] = 1.0;
		if (rw != NULL)
			for (i = 0; i < m; i++)
				wt[i] *= rw[base + i];
		u[0] = u_block;
		u[1] = u_block + 1.0;
		/* a loop of two the compiler runs as a pair of lanes */
		for (i = 0; i + 1 < m; i += 2)
			for (k = 0; k < 2; k++) {
				est_acc_add(&acc, k, wt[i + k], y[base + i + k], u[k]);
				u[k] += 2.0;
			}
		if (i < m)
			est_acc_add(&acc, 0, wt[i], y[base + i], u[0]);
	}
	s[0] = acc.s0[0] + acc.s0[1];
	s[1] = acc.s1[0] + acc.s1[1];
	s[2] = acc.s2[0] + acc.s2[1];
	s[3] = acc.y0[0] + acc.y0[1];
	s[4] = acc.y1[0] + acc.y1[1];
}

/* One tricube-weighted local fit of degree ideg at abscissa xs, from the
 * points nleft..nright of y (stlest), in one pass (see est_fit). False when
 * every weight is 0. */
static bool est(const double *y, size_t n, size_t len, int ideg, double xs, double *ys,
		size_t nleft, size_t nright, bool userw, const double *rw)
{
	double h, s[5];

	h = fmax(xs - (double)nleft, (double)nright - xs);
	if (len > n)
		h += (double)((len - n) / 2);
	if (!(h > 0.0)) {
		/* one point, at xs: stlest's normalised weight is 1 */
		if (userw && !(rw[nleft - 1] > 0.0))
			return false;
		*ys = y[nleft - 1];
		return true;
	}
	est_sums(y + nleft - 1, userw ? rw + nleft - 1 : NULL, nright - nleft + 1,
		 (double)nleft - xs, h, 0.001 * h, 0.999 * h, s);
	if (s[0] <= 0.0)
		return false;
	*ys = est_fit(s[0], s[1], s[2], s[3], s[4], ideg > 0, (double)n - 1.0);
	return true;
}

/*
 * Without robustness weights est is a fixed linear filter of the window's
 * points for given (n, len, ideg, xs, nleft, nright): the cycle-subseries,
 * which mostly share their length, repeat the same edge fits over and over.
 * A memo keeps each such filter's coefficients (est's weights, normalised
 * and tilted as est_fit does) and applies them as one dot product.
 */
#define MEMO_MAX 48	/* filters kept: the edge fits of one subseries length */
#define MEMO_LEN 64	/* longest window kept */

struct est_filter {
	double xs;
	size_t nleft, nright;
	bool ok;		/* est would succeed (some weight > 0) */
	double coef[MEMO_LEN];
};

struct est_memo {
	size_t n, len;
	int ideg;
	size_t count;
	struct est_filter f[MEMO_MAX];
};

/* est's fit at xs over [nleft, nright] as coefficients of those points. */
static bool est_coefs(size_t n, size_t len, int ideg, double xs, size_t nleft, size_t nright,
		      double *coef)
{
	size_t npts = nright - nleft + 1, d;
	double h = fmax(xs - (double)nleft, (double)nright - xs), s0 = 0.0, s1 = 0.0, s2 = 0.0;
	double h1, h9, abar, c;

	if (len > n)
		h += (double)((len - n) / 2);
	if (!(h > 0.0)) {
		for (d = 0; d < npts; d++)
			coef[d] = d == 0 ? 1.0 : 0.0;
		return true;
	}
	h1 = 0.001 * h;
	h9 = 0.999 * h;
	for (d = 0; d < npts; d++) {
		double u = (double)(nleft + d) - xs;
		coef[d] = tricube(fabs(u), h, h1, h9);
		s0 += coef[d];
		s1 += coef[d] * u;
		s2 += coef[d] * u * u;
	}
	if (s0 <= 0.0)
		return false;
	abar = s1 / s0;
	c = s2 / s0 - abar * abar;
	bool linear = ideg > 0 && sqrt(c) > 0.001 * ((double)n - 1.0);
	for (d = 0; d < npts; d++) {
		double u = (double)(nleft + d) - xs;
		coef[d] /= s0;
		if (linear)
			coef[d] *= 1.0 - abar / c * (u - abar);
	}
	return true;
}

/* est, through the memo when there is one and no robustness weights. */
static bool est_memo(struct est_memo *memo, const double *y, size_t n, size_t len, int ideg,
		     double xs, double *ys, size_t nleft, size_t nright, bool userw, const double *rw)
{
	struct est_filter *f = NULL;

	if (memo == NULL || userw || nright - nleft + 1 > MEMO_LEN)
		return est(y, n, len, ideg, xs, ys, nleft, nright, userw, rw);
	if (memo->n != n || memo->len != len || memo->ideg != ideg) {
		memo->n = n;
		memo->len = len;
		memo->ideg = ideg;
		memo->count = 0;
	}
	for (size_t i = 0; i < memo->count && f == NULL; i++)
		if (memo->f[i].xs == xs && memo->f[i].nleft == nleft && memo->f[i].nright == nright)
			f = &memo->f[i];
	if (f == NULL) {
		if (memo->count == MEMO_MAX)
			return est(y, n, len, ideg, xs, ys, nleft, nright, userw, rw);
		f = &memo->f[memo->count++];
		f->xs = xs;
		f->nleft = nleft;
		f->nright = nright;
		f->ok = est_coefs(n, len, ideg, xs, nleft, nright, f->coef);
	}
	if (!f->ok)
		return false;
	double sum = 0.0;
	for (size_t d = 0; d < nright - nleft + 1; d++)
		sum += f->coef[d] * y[nleft - 1 + d];
	*ys = sum;
	return true;
}

/*
 * For the interior fits of ess, windows of len < n points with xs at place
 * nsh = (len + 1) / 2, the tricube weights depend on j - nleft alone: tab[0..len)
 * gets them once. Without robustness weights the whole fit is then a fixed
 * linear filter, and tab gets its coefficients instead (stlest's final
 * weights, the same for every such window).
 */
static void est_table(size_t n, size_t len, int ideg, bool userw, double *tab)
{
	size_t nsh = (len + 1) / 2, d;
	double h = fmax((double)(nsh - 1), (double)(len - nsh));
	double h9 = 0.999 * h, h1 = 0.001 * h, s0 = 0.0, s1 = 0.0, s2 = 0.0, abar, c, u;
	bool linear;

	for (d = 0; d < len; d++) {
		u = (double)d - (double)(nsh - 1);
		tab[d] = tricube(fabs(u), h, h1, h9);
		s0 += tab[d];
		s1 += tab[d] * u;
		s2 += tab[d] * u * u;
	}
	if (userw)
		return;
	/* s0 >= 1: the centre weighs 1 */
	abar = s1 / s0;
	c = s2 / s0 - abar * abar;
	linear = h > 0.0 && ideg > 0 && sqrt(c) > 0.001 * ((double)n - 1.0);
	for (d = 0; d < len; d++) {
		u = (double)d - (double)(nsh - 1);
		tab[d] /= s0;
		if (linear)
			tab[d] *= 1.0 - abar / c * (u - abar);
	}
}

/* est for an interior window starting at nleft, with est_table's tab, the
 * sums in two interleaved halves (est_acc). */
static bool est_interior(const double *y, size_t n, size_t len, int ideg, size_t nleft,
			 const double *tab, bool userw, const double *rw, double *ys)
{
	const double *yw = y + nleft - 1;
	struct est_acc acc = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 } };
	double y0a = 0.0, y0b = 0.0, u[2];
	size_t d;
	int k;

	if (!userw) {
		for (d = 0; d + 1 < len; d += 2) {
			y0a += tab[d] * yw[d];
			y0b += tab[d + 1] * yw[d + 1];
		}
		if (d < len)
			y0a += tab[d] * yw[d];
		*ys = y0a + y0b;
		return true;
	}
	rw += nleft - 1;
	u[0] = -(double)((len + 1) / 2 - 1);
	u[1] = u[0] + 1.0;
	/* the halves as a loop of two, which the compiler runs as one pair of
	 * lanes (each lane's operations are the scalar ones) */
	for (d = 0; d + 1 < len; d += 2)
		for (k = 0; k < 2; k++) {
			est_acc_add(&acc, k, tab[d + k] * rw[d + k], yw[d + k], u[k]);
			u[k] += 2.0;
		}
	if (d < len)
		est_acc_add(&acc, 0, tab[d] * rw[d], yw[d], u[0]);
	if (acc.s0[0] + acc.s0[1] <= 0.0)
		return false;
	*ys = est_fit(acc.s0[0] + acc.s0[1], acc.s1[0] + acc.s1[1], acc.s2[0] + acc.s2[1],
		      acc.y0[0] + acc.y0[1], acc.y1[0] + acc.y1[1], len > 1 && ideg > 0, (double)n - 1.0);
	return true;
}

/* Most threads one step's work is shared among. */
#define MAX_PARTS 16

/* Part `part` of `nparts` of some work on ctx; parts share nothing they write. */
typedef void (*part_fn)(void *ctx, size_t part, size_t nparts);

struct part_arg {
	part_fn fn;
	void *ctx;
	size_t part, nparts;
};

static void *run_part(void *arg)
{
	const struct part_arg *pa = arg;

	pa->fn(pa->ctx, pa->part, pa->nparts);
	return NULL;
}

/* fn's parts 0..nparts-1 (at most MAX_PARTS): the first on the caller's
 * thread, each other on a thread started for it (or, when none starts,
 * here), all done on return. */
static void run_parts(part_fn fn, void *ctx, size_t nparts)
{
	pthread_t tid[MAX_PARTS];
	struct part_arg args[MAX_PARTS];
	bool started[MAX_PARTS] = { false };

	for (size_t p = 0; p < nparts; p++)
		args[p] = (struct part_arg){ fn, ctx, p, nparts };
	for (size_t p = 1; p < nparts; p++)
		started[p] = pthread_create(&tid[p], NULL, run_part, &args[p]) == 0;
	run_part(&args[0]);
	for (size_t p = 1; p < nparts; p++) {
		if (started[p])
			pthread_join(tid[p], NULL);
		else
			run_part(&args[p]);
	}
}

/* Point-weights a step sums from which it is shared among threads: below,
 * starting threads costs more than it saves. */
#define THREADED_MIN ((size_t)1 << 20)

/* The window [*nleft, *nright] of len points stless fits at i with a jump:
 * centred on i, or the first or last len points near the ends. */
static void jump_window(size_t i, size_t n, size_t len, size_t *nleft, size_t *nright)
{
	size_t nsh = (len + 1) / 2;

	if (i < nsh) {
		*nleft = 1;
		*nright = len;
	} else if (i >= n - nsh + 1) {
		*nleft = n - len + 1;
		*nright = n;
	} else {
		*nleft = i - nsh + 1;
		*nright = len + i - nsh;
	}
}

/* One smooth's fits at every newnj-th point (len < n), which share nothing
 * but their inputs: the fits numbered first..last - 1 (fit f at i = 1 +
 * f newnj) can go to a thread of their own. */
struct jump_fits {
	const double *y;
	size_t n, len;
	int ideg;
	size_t newnj;
	bool userw;
	const double *rw;
	double *ys;
	const double *tab;	/* est_table's, for the interior fits */
	struct est_memo *memo;
	size_t nfits;
};

static void fit_jumps(const struct jump_fits *jf, size_t first, size_t last)
{
	size_t n = jf->n, len = jf->len, nsh = (len + 1) / 2, nleft, nright, i;
	bool ok;

	for (size_t f = first; f < last; f++) {
		i = 1 + f * jf->newnj;
		jump_window(i, n, len, &nleft, &nright);
		if (i >= nsh && i < n - nsh + 1)
			ok = est_interior(jf->y, n, len, jf->ideg, nleft, jf->tab, jf->userw, jf->rw,
					  &jf->ys[i - 1]);
		else
			ok = est_memo(jf->memo, jf->y, n, len, jf->ideg, (double)i, &jf->ys[i - 1], nleft,
				      nright, jf->userw, jf->rw);
		if (!ok)
			jf->ys[i - 1] = jf->y[i - 1];
	}
}

/* Part `part` of nparts of a jump_fits' fits. */
static void fit_jumps_part(void *ctx, size_t part, size_t nparts)
{
	const struct jump_fits *jf = ctx;

	fit_jumps(jf, part * jf->nfits / nparts, (part + 1) * jf->nfits / nparts);
}

/* Loess smooth of y[1..n] with window len, fitted every njump points and
 * linearly interpolated between (stless). res is scratch of n (est_table's
 * table when len < n). With a jump and threads > 1, the fits of a long
 * series are shared among up to `threads` threads: each fit is computed as
 * alone, so the numbers are the same. */
static void ess(const double *y, size_t n, size_t len, int ideg, size_t njump, bool userw,
		const double *rw, double *ys, double *res, struct est_memo *memo, size_t threads)
{
	size_t newnj, nleft = 1, nright = n, nsh, k, i, j;
	double delta;
	bool ok;

	if (n < 2) {
		ys[0] = y[0];
		return;
	}
	newnj = njump < n - 1 ? njump : n - 1;
	nsh = (len + 1) / 2;
	if (len < n)
		est_table(n, len, ideg, userw, res);
	if (len >= n) {
		nleft = 1;
		nright = n;
		for (i = 1; i <= n; i += newnj)
			if (!est_memo(memo, y, n, len, ideg, (double)i, &ys[i - 1], nleft, nright, userw, rw))
				ys[i - 1] = y[i - 1];
	} else if (newnj == 1) {
		nleft = 1;
		nright = len;
		for (i = 1; i <= n; i++) {
			if (i > nsh && nright != n) {
				nleft++;
				nright++;
			}
			if (i - nleft == nsh - 1)
				ok = est_interior(y, n, len, ideg, nleft, res, userw, rw, &ys[i - 1]);
			else
				ok = est_memo(memo, y, n, len, ideg, (double)i, &ys[i - 1], nleft, nright, userw, rw);
			if (!ok)
				ys[i - 1] = y[i - 1];
		}
	} else {
		struct jump_fits jf = { y, n, len, ideg, newnj, userw, rw, ys, res, memo,
					(n - 1) / newnj + 1 };

		/* the memo is one table: with it, one thread */
		if (threads < 2 || memo != NULL || jf.nfits * len < THREADED_MIN)
			fit_jumps(&jf, 0, jf.nfits);
		else
			run_parts(fit_jumps_part, &jf, threads < MAX_PARTS ? threads : MAX_PARTS);
		/* the last fit's window, which the end below uses */
		jump_window(1 + (jf.nfits - 1) * newnj, n, len, &nleft, &nright);
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
		if (!est_memo(memo, y, n, len, ideg, (double)n, &ys[n - 1], nleft, nright, userw, rw))
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

/* Where cycle-subseries j (0-based) of y[0..n) starts once the subseries are
 * laid end to end: the first n % np have n / np + 1 points, the rest n / np. */
static size_t subseries_start(size_t n, size_t np, size_t j)
{
	size_t r = n % np;

	return j * (n / np) + (j < r ? j : r);
}

/* Copy x[0..n) to sub with its cycle-subseries laid end to end, in one
 * sequential pass over x (a strided gather per subseries misses the cache
 * at every point). */
static void subseries_gather(const double *x, size_t n, size_t np, double *sub)
{
	size_t base, row, j;

	for (base = 0, row = 0; base < n; base += np, row++)
		for (j = 0; j < np && base + j < n; j++)
			sub[subseries_start(n, np, j) + row] = x[base + j];
}

/*
 * A seasonal window that takes in every cycle-subseries whole (the periodic
 * seasonal's 10 n + 1 points) with a jump that leaves only its two ends to
 * fit makes stlss fit each subseries of k points four times, at 0, 1, k and
 * k + 1, each a weighted mean of all k points, and interpolate linearly from
 * the fit at 1 to the one at k. ss_whole computes those fits in one pass over
 * the series in time order, the sums of every subseries side by side, so
 * nothing is gathered or scattered; every sum adds the same terms in the same
 * order as est_sums (its two halves are the even and odd points), so the
 * numbers are est's to the last bit.
 */
#define WHOLE_FITS 4	/* the fits at 0, 1, k and k + 1 */
#define WHOLE_LANES 64	/* subseries summed side by side */

/* The abscissa of fit f of a subseries of k points. */
static double whole_xs(size_t k, int f)
{
	return f == 0 ? 0.0 : f == 1 ? 1.0 : f == 2 ? (double)k : (double)(k + 1);
}

/* est's half-width for the fit at xs over all k points, window len >= k. */
static double whole_h(size_t k, size_t len, double xs)
{
	return fmax(xs - 1.0, (double)k - xs) + (double)((len - k) / 2);
}

/* Whether ss_whole gives ss's numbers: local constants, every subseries
 * (n / np or n / np + 1 points) inside the window, fitted at its ends only,
 * and no tricube weight cut to 0, which would shift est_sums' halves. Without
 * robustness weights a subseries of up to MEMO_LEN points goes through the
 * memo, which rounds otherwise, so it is left to ss. */
static bool whole_applies(size_t n, size_t np, size_t ns, int isdeg, size_t nsjump, bool userw)
{
	size_t kmin = n / np, kmax = kmin + (n % np != 0), k;
	double xs;
	int f;

	if (isdeg != 0 || kmin < 2 || ns < kmax || nsjump < kmax - 1)
		return false;
	if (!userw && kmin <= MEMO_LEN)
		return false;
	for (k = kmin; k <= kmax; k++)
		for (f = 0; f < WHOLE_FITS; f++) {
			xs = whole_xs(k, f);
			if (fmax(xs - 1.0, (double)k - xs) > 0.999 * whole_h(k, ns, xs))
				return false;
		}
	return true;
}

/* One subseries' smooth as ss lays it out: end fits e0 (at 0) and e1 (at
 * k + 1), fits a (at 1) and b (at k), and the line between them. */
struct whole_smooth {
	size_t k;
	double e0, a, b, delta, e1;
};

/* The smooth's value at row 0 .. k + 1. */
static double whole_at(const struct whole_smooth *sm, size_t row)
{
	if (row == 0)
		return sm->e0;
	if (row == 1)
		return sm->a;
	if (row < sm->k)
		return sm->a + sm->delta * (double)(row - 1);
	return row == sm->k ? sm->b : sm->e1;
}

/* ss under whole_applies of x = y - trend, which is not stored: season gets
 * n + 2 np values; y, trend and rw are read in time order. */
static void ss_whole_lanes(const double *y, const double *trend, size_t n, size_t np, size_t ns,
			   bool userw, const double *rw, double *season, size_t lane_lo, size_t lane_hi)
{
	double s0[WHOLE_LANES][2][WHOLE_FITS], y0[WHOLE_LANES][2][WHOLE_FITS];
	struct whole_smooth sm[WHOLE_LANES];
	double a[WHOLE_LANES], delta[WHOLE_LANES];
	size_t nk = n / np, nlong = n % np, j0, j1, lo, hi, row, j, k;
	int f, g;

	for (j0 = lane_lo; j0 < lane_hi; j0 = j1) {
		j1 = lane_hi - j0 < WHOLE_LANES ? lane_hi : j0 + WHOLE_LANES;
		memset(s0, 0, sizeof s0);
		memset(y0, 0, sizeof y0);
		for (row = 0; row <= nk; row++) {
			const double *yr = y + row * np, *tr = trend + row * np, *rr = rw + row * np;
			int half = (int)(row & 1);

			/* the first nlong subseries have nk + 1 points, the rest nk */
			for (g = 0; g < 2; g++) {
				double w[WHOLE_FITS];

				k = g == 0 ? nk + 1 : nk;
				lo = g == 0 ? j0 : (j0 > nlong ? j0 : nlong);
				hi = g == 0 ? (j1 < nlong ? j1 : nlong) : j1;
				if (lo >= hi || row >= k)
					continue;
				for (f = 0; f < WHOLE_FITS; f++) {
					double xs = whole_xs(k, f), h = whole_h(k, ns, xs);
					w[f] = tricube(fabs((double)(row + 1) - xs), h, 0.001 * h, 0.999 * h);
				}
				/* the four fits side by side, a loop the compiler
				 * turns into vector operations; w times 1 is w */
				for (j = lo; j < hi; j++) {
					double x = yr[j] - tr[j], r = userw ? rr[j] : 1.0, wr;
					double *sf = s0[j - j0][half], *yf = y0[j - j0][half];

					for (f = 0; f < WHOLE_FITS; f++) {
						wr = w[f] * r;
						sf[f] += wr;
						yf[f] += wr * x;
					}
				}
			}
		}
		for (j = j0; j < j1; j++) {
			struct whole_smooth *s = &sm[j - j0];
			double fit[WHOLE_FITS], sum;
			bool ok[WHOLE_FITS];

			k = j < nlong ? nk + 1 : nk;
			for (f = 0; f < WHOLE_FITS; f++) {
				sum = s0[j - j0][0][f] + s0[j - j0][1][f];
				ok[f] = sum > 0.0;
				fit[f] = (y0[j - j0][0][f] + y0[j - j0][1][f]) / sum;
			}
			/* est's fallbacks when every weight is 0, as in ess and ss */
			s->k = k;
			s->a = ok[1] ? fit[1] : y[j] - trend[j];
			s->b = ok[2] ? fit[2] : y[(k - 1) * np + j] - trend[(k - 1) * np + j];
			s->delta = (s->b - s->a) / (double)(k - 1);
			s->e0 = ok[0] ? fit[0] : s->a;
			s->e1 = ok[3] ? fit[3] : s->b;
		}
		/* rows 2 .. nk - 1 lie inside every subseries, on its line */
		for (j = j0; j < j1; j++) {
			a[j - j0] = sm[j - j0].a;
			delta[j - j0] = sm[j - j0].delta;
		}
		for (row = 0; row <= nk + 2; row++) {
			double *out = season + row * np;

			if (row >= 2 && row < nk) {
				for (j = j0; j < j1; j++)
					out[j] = a[j - j0] + delta[j - j0] * (double)(row - 1);
				continue;
			}
			for (j = j0; j < j1; j++)
				if (row <= sm[j - j0].k + 1)
					out[j] = whole_at(&sm[j - j0], row);
		}
	}
}

/* ss_whole's lanes, shared among threads. */
struct whole_lanes {
	const double *y, *trend;
	size_t n, np, ns;
	bool userw;
	const double *rw;
	double *season;
};

/* Part `part` of nparts of the lanes. */
static void ss_whole_part(void *ctx, size_t part, size_t nparts)
{
	const struct whole_lanes *wl = ctx;

	ss_whole_lanes(wl->y, wl->trend, wl->n, wl->np, wl->ns, wl->userw, wl->rw, wl->season,
		       part * wl->np / nparts, (part + 1) * wl->np / nparts);
}

/* ss_whole_lanes over every subseries, its lanes shared among up to
 * `threads` threads for a long series: each lane's sums are its own, so
 * the numbers are the same. */
static void ss_whole(const double *y, const double *trend, size_t n, size_t np, size_t ns,
		     bool userw, const double *rw, double *season, size_t threads)
{
	struct whole_lanes wl = { y, trend, n, np, ns, userw, rw, season };
	size_t nparts = threads < np / 8 ? threads : np / 8;

	if (nparts > MAX_PARTS)
		nparts = MAX_PARTS;
	/* each point adds to the sums of WHOLE_FITS fits, weighted, in two */
	if (nparts < 2 || n * WHOLE_FITS * 4 < THREADED_MIN)
		ss_whole_lanes(y, trend, n, np, ns, userw, rw, season, 0, np);
	else
		run_parts(ss_whole_part, &wl, nparts);
}

/* Cycle-subseries smoothing, each subseries extended one point at either end
 * (stlss). season receives n + 2 np values; work1..3 hold n + 2 np, work4
 * n / np + 3. The subseries are gathered into work1 (y) and work3 (rw), and
 * their smooths, k + 2 values each, laid end to end in work2 and scattered
 * into season at the end. */
static void ss(const double *y, size_t n, size_t np, size_t ns, int isdeg, size_t nsjump,
	       bool userw, const double *rw, double *season,
	       double *work1, double *work2, double *work3, double *work4, struct est_memo *memo)
{
	size_t j, k, nleft, nright, base, row, nout = n + 2 * np;
	const double *sub, *subrw;
	double *out;

	subseries_gather(y, n, np, work1);
	if (userw)
		subseries_gather(rw, n, np, work3);
	for (j = 1; j <= np; j++) {
		k = (n - j) / np + 1;
		sub = work1 + subseries_start(n, np, j - 1);
		subrw = work3 + subseries_start(n, np, j - 1);
		out = work2 + subseries_start(n, np, j - 1) + 2 * (j - 1);
		ess(sub, k, ns, isdeg, nsjump, userw, subrw, out + 1, work4, memo, 1);
		nright = ns < k ? ns : k;
		if (!est_memo(memo, sub, k, ns, isdeg, 0.0, &out[0], 1, nright, userw, subrw))
			out[0] = out[1];
		nleft = k + 1 > ns ? k - ns + 1 : 1;
		if (!est_memo(memo, sub, k, ns, isdeg, (double)(k + 1), &out[k + 1], nleft, k, userw, subrw))
			out[k + 1] = out[k];
	}
	/* season(m, j) = smooth j at m: subseries j has k + 2 = row count values */
	for (base = 0, row = 0; base < nout; base += np, row++)
		for (j = 0; j < np && base + j < nout; j++)
			season[base + j] = work2[subseries_start(n, np, j) + 2 * j + row];
}

/* The inner loop (stlstp): ni passes of detrend, cycle-subseries smoothing,
 * low-pass removal and trend smoothing. work is 5 columns of n + 2 np. */
static void onestp(const double *y, size_t n, const struct ts_stl_params *p, bool userw,
		   const double *rw, double *season, double *trend, double *work,
		   struct est_memo *memo)
{
	size_t np = p->period, nw = n + 2 * np, i, j;
	double *w1 = work, *w2 = work + nw, *w3 = work + 2 * nw;
	double *w4 = work + 3 * nw, *w5 = work + 4 * nw;

	for (j = 1; j <= p->inner; j++) {
		if (whole_applies(n, np, p->s_window, p->s_degree, p->s_jump, userw)) {
			ss_whole(y, trend, n, np, p->s_window, userw, rw, w2, p->threads);
		} else {
			for (i = 0; i < n; i++)
				w1[i] = y[i] - trend[i];
			ss(w1, n, np, p->s_window, p->s_degree, p->s_jump, userw, rw, w2, w3, w4,
			   w5, season, memo);
		}
		fts(w2, nw, np, w3, w1);
		ess(w3, n, p->l_window, p->l_degree, p->l_jump, false, w4, w1, w5, NULL, p->threads);
		for (i = 0; i < n; i++) {
			season[i] = w2[np + i] - w1[i];
			w1[i] = y[i] - season[i];
		}
		ess(w1, n, p->t_window, p->t_degree, p->t_jump, userw, rw, trend, w3, NULL, p->threads);
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

/* Positions psort_blocks looks at per side at a time. */
#define PSORT_BLOCK 64

/*
 * The first swaps of psort's partition loop on A(i..j) around t, with
 * A(i) <= t <= A(j): the loop's downward scan stops at values <= t, its
 * upward scan at values >= t, and the m-th stop of one trades places with
 * the m-th of the other until the scans cross. Before they cross each scan
 * reads values the other has not touched, so the pairs can be found a block
 * at a time on each side, by a loop without branches that keeps the
 * positions that stop a scan, and then swapped (Edelkamp and Weiss's
 * BlockQuicksort, 2016): the same swaps without a mispredicted branch per
 * value. Stops while fewer than two blocks lie between the sides, and sets
 * *k and *l where the scans stood at the last swap (i and j: none), from
 * where psort's loop goes on as if it had made those swaps itself.
 */
static void psort_blocks(double *a, long i, long j, double t, long *k, long *l)
{
	long up[PSORT_BLOCK], down[PSORT_BLOCK];
	long nup = 0, ndown = 0, sup = 0, sdown = 0, lo = i + 1, hi = j - 1, b, c;
	double tt;

	*k = i;
	*l = j;
	while (hi - lo + 1 >= 2 * PSORT_BLOCK) {
		/* refill a side whose stops are used up: the positions of
		 * lo, lo + 1, ... holding values >= t, of hi, hi - 1, ... <= t */
		if (sup == nup) {
			sup = nup = 0;
			for (b = 0; b < PSORT_BLOCK; b++) {
				up[nup] = lo + b;
				nup += A(lo + b) >= t;
			}
			lo += PSORT_BLOCK;
		}
		if (sdown == ndown) {
			sdown = ndown = 0;
			for (b = 0; b < PSORT_BLOCK; b++) {
				down[ndown] = hi - b;
				ndown += A(hi - b) <= t;
			}
			hi -= PSORT_BLOCK;
		}
		c = nup - sup < ndown - sdown ? nup - sup : ndown - sdown;
		for (b = 0; b < c; b++) {
			tt = A(down[sdown + b]);
			A(down[sdown + b]) = A(up[sup + b]);
			A(up[sup + b]) = tt;
		}
		if (c > 0) {
			*k = up[sup + c - 1];
			*l = down[sdown + c - 1];
		}
		sup += c;
		sdown += c;
	}
}

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
	if (j - i > 4 * PSORT_BLOCK)
		psort_blocks(a, i, j, t, &k, &l);
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
static void rwts(const double *y, size_t n, const double *trend, const double *seasonal,
		 double *rw)
{
	long mid[2];
	size_t i;
	double cmad, c9, c1, r, u;

	/* psort's scans stop on comparisons a NaN always fails, so a NaN
	 * would send them past the array: a residual that is not a number
	 * (only from an overflow) counts as the largest. */
	for (i = 0; i < n; i++) {
		rw[i] = fabs(y[i] - (trend[i] + seasonal[i]));
		if (isnan(rw[i]))
			rw[i] = HUGE_VAL;
	}
	mid[0] = (long)n / 2 + 1;
	mid[1] = (long)n - mid[0] + 1;
	psort(rw, (long)n, mid, 2);
	cmad = 3.0 * (rw[mid[0] - 1] + rw[mid[1] - 1]);
	c9 = 0.999 * cmad;
	c1 = 0.001 * cmad;
	for (i = 0; i < n; i++) {
		r = fabs(y[i] - (trend[i] + seasonal[i]));
		if (isnan(r))
			r = HUGE_VAL;
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
	/* pos runs with i as i % np, without a division per point */
	for (i = 0, pos = 0; i < n; i++, pos = pos + 1 == np ? 0 : pos + 1)
		mean[pos] += seasonal[i];
	for (pos = 0; pos < np; pos++)
		mean[pos] /= (double)((n - pos - 1) / np + 1);
	/* second pass as R's mean() refines its long-double sum */
	for (i = 0, pos = 0; i < n; i++, pos = pos + 1 == np ? 0 : pos + 1)
		corr[pos] += seasonal[i] - mean[pos];
	for (pos = 0; pos < np; pos++)
		mean[pos] += corr[pos] / (double)((n - pos - 1) / np + 1);
	for (i = 0, pos = 0; i < n; i++, pos = pos + 1 == np ? 0 : pos + 1)
		seasonal[i] = mean[pos];
}

/* The loess sums weigh values by distances of up to a window, so they reach
 * about window^2 max |y|; below 2^900 that stays far from overflow for any
 * series that fits in memory. */
#define STL_SAFE_EXP 900

int ts_stl_safe_exponent(const double *y, size_t n)
{
	double big = 0.0;
	int e;

	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			big = fmax(big, fabs(y[i]));
	if (!(big > ldexp(1.0, STL_SAFE_EXP)))
		return 0;
	(void)frexp(big, &e);
	return e - STL_SAFE_EXP;
}

/* ts_stl's decomposition of finite y with the resolved parameters r. */
static void stl_run(const double *y, size_t n, const struct ts_stl_params *p,
		    const struct ts_stl_params *rp, double *seasonal, double *trend,
		    double *weights, double *work)
{
	struct ts_stl_params r = *rp;
	struct est_memo *memo;
	size_t nw, i, k;
	double *rw;
	bool userw = false;

	nw = n + 2 * r.period;
	rw = weights != NULL ? weights : work + 5 * nw;
	for (i = 0; i < n; i++)
		trend[i] = 0.0;
	/* the memo only saves time: without memory, est computes each fit */
	memo = malloc(sizeof *memo);
	if (memo != NULL)
		memo->n = memo->count = 0;
	for (k = 0;;) {
		onestp(y, n, &r, userw, rw, seasonal, trend, work, memo);
		k++;
		if (k > r.outer)
			break;
		rwts(y, n, trend, seasonal, rw);
		userw = true;
	}
	free(memo);
	if (r.outer == 0)
		for (i = 0; i < n; i++)
			rw[i] = 1.0;
	if (p->s_window == TS_STL_PERIODIC)
		cycle_means(seasonal, n, r.period, work);
}

int ts_stl(const double *y, size_t n, const struct ts_stl_params *p,
	   double *seasonal, double *trend, double *remainder, double *weights,
	   double *work, struct ts_err *err)
{
	struct ts_stl_params r;
	size_t i;
	int rc, e;

	rc = ts_stl_resolve(p, n, &r, err);
	if (rc != 0)
		return rc;
	rc = check_finite(y, n, err);
	if (rc != 0)
		return rc;
	e = ts_stl_safe_exponent(y, n);
	if (e == 0) {
		stl_run(y, n, p, &r, seasonal, trend, weights, work);
	} else {
		/* Values near DBL_MAX: decompose y / 2^e, whose every step is
		 * exactly 2^-e times the one on y (powers of two scale doubles
		 * without rounding), then scale back. */
		double *scaled = calloc(n + 1, sizeof *scaled);

		if (scaled == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		for (i = 0; i < n; i++)
			scaled[i] = ldexp(y[i], -e);
		stl_run(scaled, n, p, &r, seasonal, trend, weights, work);
		free(scaled);
		for (i = 0; i < n; i++) {
			seasonal[i] = ldexp(seasonal[i], e);
			trend[i] = ldexp(trend[i], e);
		}
	}
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

/* The running sums of smooth's window: weight, means of x and y, and the
 * sums of squares and cross-products about them, updated as in ppr.f. */
struct window {
	double fbw, xm, ym, var, cvar;
};

/* Point (x, y) of weight wt enters the window. */
static void window_add(struct window *w, double wt, double x, double y)
{
	double fbo = w->fbw, tmp = 0.0;

	w->fbw += wt;
	if (w->fbw > 0.0)
		w->xm = (fbo * w->xm + wt * x) / w->fbw;
	if (w->fbw > 0.0)
		w->ym = (fbo * w->ym + wt * y) / w->fbw;
	if (fbo > 0.0)
		tmp = w->fbw * wt * (x - w->xm) / fbo;
	w->var += tmp * (x - w->xm);
	w->cvar += tmp * (y - w->ym);
}

/* Point (x, y) of weight wt leaves the window. */
static void window_remove(struct window *w, double wt, double x, double y)
{
	double fbo = w->fbw, tmp = 0.0;

	w->fbw -= wt;
	if (w->fbw > 0.0)
		tmp = fbo * wt * (x - w->xm) / w->fbw;
	w->var -= tmp * (x - w->xm);
	w->cvar -= tmp * (y - w->ym);
	if (w->fbw > 0.0)
		w->xm = (fbo * w->xm - wt * x) / w->fbw;
	if (w->fbw > 0.0)
		w->ym = (fbo * w->ym - wt * y) / w->fbw;
}

/* Running local-linear smoother with span fraction span over x[1..n], unit
 * weights (smooth, non-periodic case). With iper > 0 also the absolute
 * cross-validated residuals into acvr. */
static void smooth(size_t n, const double *x, const double *y, double span, int iper,
		   double vsmlsq, double *smo, double *acvr)
{
	struct window w = { 0.0, 0.0, 0.0, 0.0, 0.0 };
	double fbw, a, h, sy, wt = 1.0;
	size_t ibw, it, i, j, j0, out, in;

	ibw = (size_t)(0.5 * span * (double)n + 0.5);
	if (ibw < 2)
		ibw = 2;
	it = 2 * ibw + 1;
	if (it > n)	/* R reads past the data here; stay inside */
		it = n;
	for (i = 1; i <= it; i++)
		window_add(&w, wt, x[i - 1], y[i - 1]);
	for (j = 1; j <= n; j++) {
		if (j >= ibw + 2 && j + ibw <= n) {
			out = j - ibw - 1;
			in = j + ibw;
			window_remove(&w, wt, x[out - 1], y[out - 1]);
			window_add(&w, wt, x[in - 1], y[in - 1]);
		}
		a = 0.0;
		if (w.var > vsmlsq)
			a = w.cvar / w.var;
		smo[j - 1] = a * (x[j - 1] - w.xm) + w.ym;
		if (iper <= 0)
			continue;
		h = 0.0;
		if (w.fbw > 0.0)
			h = 1.0 / w.fbw;
		if (w.var > vsmlsq)
			h += (x[j - 1] - w.xm) * (x[j - 1] - w.xm) / w.var;
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

/* The seasonal window of the i-th (0-based) kept period: s_windows[i], the
 * one window for all when ns_windows is 1, mstl's 7 + 4 (i + 1) when 0. */
static size_t s_window_for(const size_t *s_windows, size_t ns_windows, size_t i)
{
	if (ns_windows == 0)
		return 7 + 4 * (i + 1);
	return ns_windows == 1 ? s_windows[0] : s_windows[i];
}

/* forecast::mstl's backfitting, which ts_mstl and ts_mstl_full share: iterate
 * rounds in which each period's seasonal is refitted by stl() (tmpl with that
 * period and its window) on y less the other seasonals, kept in deseas (n
 * doubles, which may be remainder); the trend is the last fit's. An stl()
 * error names its period when name_single or when there are several.
 * stl_work: ts_stl_work_size(n, max period) doubles. */
static int mstl_backfit(const double *y, size_t n, const size_t *periods, size_t nperiods,
			const struct ts_stl_params *tmpl, const size_t *s_windows,
			size_t ns_windows, size_t iterate, bool name_single, double *trend,
			double *seasonal, double *remainder, double *weights, double *deseas,
			double *stl_work, struct ts_err *err)
{
	size_t i, j, t;

	memcpy(deseas, y, n * sizeof *deseas);
	for (i = 0; i < nperiods * n; i++)
		seasonal[i] = 0.0;
	for (j = 0; j < iterate; j++) {
		for (i = 0; i < nperiods; i++) {
			struct ts_stl_params sp = *tmpl;
			double *season = seasonal + i * n;
			int rc;

			for (t = 0; t < n; t++)
				deseas[t] += season[t];
			sp.period = periods[i];
			sp.s_window = s_window_for(s_windows, ns_windows, i);
			rc = ts_stl(deseas, n, &sp, season, trend, NULL, weights, stl_work, err);
			if (rc != 0) {
				if (err != NULL && (name_single || nperiods > 1)) {
					char msg[sizeof err->msg];
					memcpy(msg, err->msg, sizeof msg);
					ts_err_set(err, rc, "period %zu: %.400s", periods[i], msg);
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

size_t ts_mstl_full_work_size(size_t n, const size_t *periods, size_t nperiods)
{
	size_t maxp = 0;

	for (size_t i = 0; i < nperiods; i++)
		if (periods[i] > maxp)
			maxp = periods[i];
	return ts_stl_work_size(n, maxp);
}

int ts_mstl_full(const double *y, size_t n, const size_t *periods, size_t nperiods,
		 const struct ts_stl_params *tmpl, const size_t *s_windows, size_t ns_windows,
		 size_t iterate, double *trend, double *seasonal, double *remainder,
		 double *weights, double *work, struct ts_err *err)
{
	/* the series less the seasonals is built where its remainder ends up:
	 * a long series' work then maps fewer pages */
	return mstl_backfit(y, n, periods, nperiods, tmpl, s_windows, ns_windows, iterate, false,
			    trend, seasonal, remainder, weights, remainder, work, err);
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
	struct ts_stl_params tmpl;
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
	ts_stl_defaults(&tmpl, kept[0], 7, p->robust);
	return mstl_backfit(y, n, kept, nk, &tmpl, p->s_windows, p->s_windows != NULL ? nk : 0,
			    iterate, true, trend, seasonal, remainder, NULL, deseas, stl_work, err);
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
