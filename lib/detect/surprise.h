/* SPDX-License-Identifier: GPL-3.0-or-later */
/* surprise: how surprising a value is: tail probabilities under a normal, a
 * Poisson or a negative binomial, the [0, 1] score every detector writes, and
 * the calibration of a series' tail on its own errors. */
#ifndef TS_SURPRISE_H
#define TS_SURPRISE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"

/* The score column: 1 - p, p the two-sided tail probability of the row's
 * value (a value at the centre scores 0, one beyond any seen value 1); NAN
 * for NAN. Every detector writes this scale, so one threshold means the same
 * thing everywhere: score > 0.999 is p < 1e-3. */
double ts_score_of_p(double p);

/* Two-sided tail of a normal deviate: 2 Q(|z|) (R: 2 * pnorm(-abs(z))). */
double ts_tail_normal(double z);

/* The deviate whose two-sided normal tail is p: Q^{-1}(p / 2); 0 for p >= 1,
 * INFINITY for p <= 0. */
double ts_tail_normal_z(double p);

/* The tails of a count y (a non-negative integer) under a negative binomial
 * of mean mu and size k (variance mu + mu^2 / k; k = INFINITY is the
 * Poisson): *lower = P(Y <= y), *upper = P(Y >= y) (R: pnbinom(y, size = k,
 * mu = mu), ppois). mu <= 0 puts all the mass on 0. */
void ts_tail_count(double y, double mu, double k, double *lower, double *upper);

/* Two-sided tail of a count: min(1, 2 min(P(Y <= y), P(Y >= y))); with mid,
 * each side counts half of P(Y = y) (the mid-p value, uniform on average
 * under the model, for calibration). */
double ts_tail_count2(double y, double mu, double k, bool mid);

/* The smallest count y with P(Y <= y) >= p under the negative binomial
 * (mean mu, size k), p in (0, 1). */
double ts_count_quantile(double p, double mu, double k);

/* The fewest points beyond q the exponential tail is fitted on: with fewer
 * (a history under 100 points at tau 0.1) the largest few would set it, an
 * incident among them, and only the normal tail is used. */
#define TS_TAIL_MIN_EXCESS 10

/* The tail of a series' surprises, fitted on its own history. */
struct ts_tail_fit {
	size_t n;		/* history surprises in z[] */
	double *z;
	bool sorted;		/* z[] ascending (else in no order) */
	double tau;		/* the share of the history in the fitted tail */
	double q;		/* its start: the (1 - tau) quantile of z */
	double beta;		/* exponential scale of the excesses over q */
};

/* Fit the tail of the normal-equivalent surprises z[0..n) (>= 0, NAN
 * skipped): beyond the (1 - tau) quantile q, P(Z > q + x) = tau exp(-x /
 * beta), beta from the median excess (so up to half of the tail, a past
 * incident, moves it little), when at least TS_TAIL_MIN_EXCESS points lie
 * beyond q (else beta is NAN: no tail). q and beta come by selection; with
 * sort the copy of z is sorted too, so that each ts_tail_fit_p is a binary
 * search (for judging many values), else it is left in no order and each
 * ts_tail_fit_p counts through it (for a few). Copies z. TS_ENOMEM. */
int ts_tail_fit(const double *z, size_t n, double tau, bool sort, struct ts_tail_fit *fit,
		struct ts_err *err);

void ts_tail_fit_free(struct ts_tail_fit *fit);

/* The two-sided tail probability of a surprise z under the fit: the larger
 * of the normal tail and the history's (its share at or above z up to q,
 * the exponential tail beyond): never less surprising than the model's own
 * distribution, and as heavy-tailed as the series has been. With no
 * history, the normal tail. */
double ts_tail_fit_p(const struct ts_tail_fit *fit, double z);

/* The surprise z at which ts_tail_fit_p falls to p (0 < p < 1). At p >=
 * tau it reads the history's quantile, sorting an unsorted fit first. */
double ts_tail_fit_z(struct ts_tail_fit *fit, double p);

#endif
