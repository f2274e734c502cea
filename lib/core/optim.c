/* SPDX-License-Identifier: GPL-3.0-or-later */
/* optim: minimisers as R runs them, shared by Box-Cox's Guerrero lambda and
 * the classical models: optimize()'s Brent and optim()'s Nelder-Mead.
 * Brent (1973), ch. 5; Nelder & Mead (1965) as R's nmmin (Nash 1990). */
#include "core/optim.h"

#include <float.h>
#include <math.h>
#include <string.h>

double ts_brent_fmin(double a, double b, double (*f)(double x, void *ctx), void *ctx, double tol)
{
	/* c: the golden-section fraction (3 - sqrt 5) / 2 */
	const double c = (3.0 - sqrt(5.0)) * 0.5;
	const double eps = sqrt(DBL_EPSILON);
	const double tol3 = tol / 3.0;
	double x, w, v, fx, fw, fv, d = 0.0, e = 0.0;

	v = w = x = a + c * (b - a);
	fv = fw = fx = f(x, ctx);
	if (!isfinite(fx))
		fv = fw = fx = DBL_MAX;
	for (;;) {
		double xm = (a + b) * 0.5;
		double tol1 = eps * fabs(x) + tol3;
		double t2 = tol1 * 2.0;
		double p = 0.0, q = 0.0, r = 0.0, u, fu;

		if (fabs(x - xm) <= t2 - (b - a) * 0.5)
			break;
		if (fabs(e) > tol1) {
			/* trial parabola through x, w, v */
			r = (x - w) * (fx - fv);
			q = (x - v) * (fx - fw);
			p = (x - v) * q - (x - w) * r;
			q = (q - r) * 2.0;
			if (q > 0.0)
				p = -p;
			else
				q = -q;
			r = e;
			e = d;
		}
		if (fabs(p) >= fabs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
			/* golden section into the larger part */
			e = x < xm ? b - x : a - x;
			d = c * e;
		} else {
			/* parabolic step, kept away from the ends */
			d = p / q;
			u = x + d;
			if (u - a < t2 || b - u < t2) {
				d = tol1;
				if (x >= xm)
					d = -d;
			}
		}
		/* never evaluate closer than tol1 to x */
		if (fabs(d) >= tol1)
			u = x + d;
		else if (d > 0.0)
			u = x + tol1;
		else
			u = x - tol1;
		fu = f(u, ctx);
		if (!isfinite(fu))
			fu = DBL_MAX;
		if (fu <= fx) {
			if (u < x)
				b = x;
			else
				a = x;
			v = w;
			fv = fw;
			w = x;
			fw = fx;
			x = u;
			fx = fu;
		} else {
			if (u < x)
				a = u;
			else
				b = u;
			if (fu <= fw || w == x) {
				v = w;
				fv = fw;
				w = u;
				fw = fu;
			} else if (fu <= fv || v == x || v == w) {
				v = u;
				fv = fu;
			}
		}
	}
	return x;
}

#define NM_BIG 1.0e35	/* what nmmin substitutes for a non-finite value */

/* Nelder-Mead as R's nmmin. The simplex is stored vertex by vertex, each
 * vertex npar coordinates then its value; vertex npar + 1 is the centroid. */

size_t ts_nelder_mead_work_size(size_t npar)
{
	return (npar + 2) * (npar + 1) + npar;
}

double ts_nelder_mead(size_t npar, double *par, double (*f)(const double *, void *), void *ctx,
		      double abstol, double reltol, size_t maxit, double *work, size_t *fncount)
{
	const double alpha = 1.0, beta = 0.5, gamm = 2.0;
	size_t n = npar, n1 = npar + 1, stride = npar + 1;
	double *P = work, *B = work + (npar + 2) * stride;
	double *C = P + n1 * stride;
	size_t funcount, L = 0, H, i, j;
	double fv, convtol, size, oldsize, step, trystep, VH, VL, VR;
	int calcvert;

	fv = f(par, ctx);
	if (!isfinite(fv)) {
		if (fncount != NULL)
			*fncount = 1;
		return INFINITY;
	}
	funcount = 1;
	convtol = reltol * (fabs(fv) + reltol);
	for (i = 0; i < n; i++)
		P[i] = par[i];
	P[n] = fv;
	size = 0.0;
	step = 0.0;
	for (i = 0; i < n; i++)
		if (0.1 * fabs(par[i]) > step)
			step = 0.1 * fabs(par[i]);
	if (step == 0.0)
		step = 0.1;
	for (j = 1; j < n1; j++) {
		double *v = P + j * stride;

		for (i = 0; i < n; i++)
			v[i] = par[i];
		trystep = step;
		while (v[j - 1] == par[j - 1]) {
			v[j - 1] = par[j - 1] + trystep;
			trystep *= 10;
		}
		size += trystep;
	}
	oldsize = size;
	calcvert = 1;
	for (;;) {
		if (calcvert) {
			for (j = 0; j < n1; j++) {
				if (j != L) {
					double *v = P + j * stride;

					fv = f(v, ctx);
					if (!isfinite(fv))
						fv = NM_BIG;
					funcount++;
					v[n] = fv;
				}
			}
			calcvert = 0;
		}
		VL = P[L * stride + n];
		VH = VL;
		H = L;
		for (j = 0; j < n1; j++) {
			if (j != L) {
				fv = P[j * stride + n];
				if (fv < VL) {
					L = j;
					VL = fv;
				}
				if (fv > VH) {
					H = j;
					VH = fv;
				}
			}
		}
		if (VH <= VL + convtol || VL <= abstol)
			break;
		for (i = 0; i < n; i++) {
			double temp = -P[H * stride + i];

			for (j = 0; j < n1; j++)
				temp += P[j * stride + i];
			C[i] = temp / (double)n;
		}
		for (i = 0; i < n; i++)
			B[i] = (1.0 + alpha) * C[i] - alpha * P[H * stride + i];
		fv = f(B, ctx);
		if (!isfinite(fv))
			fv = NM_BIG;
		funcount++;
		VR = fv;
		if (VR < VL) {
			C[n] = fv;
			for (i = 0; i < n; i++) {
				fv = gamm * B[i] + (1 - gamm) * C[i];
				C[i] = B[i];
				B[i] = fv;
			}
			fv = f(B, ctx);
			if (!isfinite(fv))
				fv = NM_BIG;
			funcount++;
			if (fv < VR) {
				memcpy(P + H * stride, B, n * sizeof *B);
				P[H * stride + n] = fv;
			} else {
				memcpy(P + H * stride, C, n * sizeof *C);
				P[H * stride + n] = VR;
			}
		} else {
			if (VR < VH) {
				memcpy(P + H * stride, B, n * sizeof *B);
				P[H * stride + n] = VR;
			}
			for (i = 0; i < n; i++)
				B[i] = (1 - beta) * P[H * stride + i] + beta * C[i];
			fv = f(B, ctx);
			if (!isfinite(fv))
				fv = NM_BIG;
			funcount++;
			if (fv < P[H * stride + n]) {
				memcpy(P + H * stride, B, n * sizeof *B);
				P[H * stride + n] = fv;
			} else if (VR >= VH) {
				calcvert = 1;
				size = 0.0;
				for (j = 0; j < n1; j++) {
					if (j != L) {
						for (i = 0; i < n; i++) {
							double *pj = P + j * stride, *pl = P + L * stride;

							pj[i] = beta * (pj[i] - pl[i]) + pl[i];
							size += fabs(pj[i] - pl[i]);
						}
					}
				}
				if (size < oldsize)
					oldsize = size;
				else
					break;
			}
		}
		if (funcount > maxit)
			break;
	}
	memcpy(par, P + L * stride, n * sizeof *par);
	if (fncount != NULL)
		*fncount = funcount;
	return P[L * stride + n];
}
