/* SPDX-License-Identifier: GPL-3.0-or-later */
/* robust: order statistics of one sample with points left out, without
 * sorting again: median, MAD and type-7 quantiles of the points not skipped,
 * for estimators that drop outliers and look again. */
#ifndef TS_ROBUST_H
#define TS_ROBUST_H

#include <stddef.h>

#include "core/tserr.h"

/* The finite values of a sample in ascending order, each with its index. */
struct ts_ranked {
	size_t n;
	double *v;
	size_t *at;
};

/* Rank the finite values of x[0..n). TS_ENOMEM "out of memory". */
int ts_ranked_init(struct ts_ranked *r, const double *x, size_t n, struct ts_err *err);

void ts_ranked_free(struct ts_ranked *r);

/* The number of ranked values whose index is not skipped (skip NULL: none). */
size_t ts_ranked_count(const struct ts_ranked *r, const unsigned char *skip);

/* Type-7 quantile (R's default, GSL's quantile_from_sorted_data) of the
 * values not skipped, NAN when none is left. */
double ts_ranked_quantile(const struct ts_ranked *r, const unsigned char *skip, double p);

/* Median and 1.4826 * MAD (R's mad) of the values not skipped; NAN for both
 * when none is left. Equal to the median of a copy, to the last bit. */
void ts_ranked_center_scale(const struct ts_ranked *r, const unsigned char *skip, double *center,
			    double *scale);

/* Median and 1.4826 x MAD of the finite values of x[0..n) whose skip flag
 * (NULL: none) is 0; NaN when there are none. Allocates n doubles. */
int ts_robust_center_scale(const double *x, const unsigned char *skip, size_t n,
			   double *center, double *scale, struct ts_err *err);

/* The same of v[0..m) (finite values, m = 0: NaN for both) by selection, no
 * ranking: for one look at a sample. v is overwritten (with the absolute
 * deviations). Equal to ts_ranked_center_scale of the values, to the last
 * bit (-0 counted as 0). */
void ts_center_scale_inplace(double *v, size_t m, double *center, double *scale);

#endif
