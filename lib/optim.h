/* SPDX-License-Identifier: GPL-3.0-or-later */
/* optim: one-dimensional minimisation as R's optimize() runs it, shared by
 * Box-Cox's Guerrero lambda and the classical models. */
#ifndef TS_OPTIM_H
#define TS_OPTIM_H

/* Brent's (1973) localmin step for step as R's optimize(f, c(a, b), tol = tol)
 * runs it (R's Brent_fmin): the abscissa of a minimum of f on (a, b). A value
 * of f that is not finite counts as DBL_MAX, as in R. Cannot fail. */
double ts_brent_fmin(double a, double b, double (*f)(double x, void *ctx), void *ctx, double tol);

#endif
