/* SPDX-License-Identifier: GPL-3.0-or-later */
/* optim: minimisers as R runs them, shared by Box-Cox's Guerrero lambda and
 * the classical models: optimize()'s Brent and optim()'s Nelder-Mead. */
#ifndef TS_OPTIM_H
#define TS_OPTIM_H

#include <stddef.h>

/* Brent's (1973) localmin step for step as R's optimize(f, c(a, b), tol = tol)
 * runs it (R's Brent_fmin): the abscissa of a minimum of f on (a, b). A value
 * of f that is not finite counts as DBL_MAX, as in R. Cannot fail. */
double ts_brent_fmin(double a, double b, double (*f)(double x, void *ctx), void *ctx, double tol);

/* Minimise f over R^npar from par (overwritten with the best point) as
 * R's nmmin does (reflection 1, contraction 0.5, expansion 2, initial
 * simplex of step 10% of the largest |par|, stop when the simplex's values
 * are within reltol (|f| + reltol) or f <= abstol, or after maxit
 * evaluations). Non-finite values count as 1e35. work holds
 * ts_nelder_mead_work_size(npar) doubles. Returns the best value and
 * stores the evaluation count in *fncount (may be NULL). */
size_t ts_nelder_mead_work_size(size_t npar);
double ts_nelder_mead(size_t npar, double *par, double (*f)(const double *, void *), void *ctx,
		      double abstol, double reltol, size_t maxit, double *work, size_t *fncount);

#endif
