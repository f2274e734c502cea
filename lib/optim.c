/* SPDX-License-Identifier: GPL-3.0-or-later */
/* optim: one-dimensional minimisation as R's optimize() runs it, shared by
 * Box-Cox's Guerrero lambda and the classical models. Brent (1973), ch. 5. */
#include "optim.h"

#include <float.h>
#include <math.h>

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
