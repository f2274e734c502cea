/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats: the sample statistics every module shares (R's mean, medians, type-7
 * and type-8 quantiles, the qsort order of doubles), each written once. */
#ifndef TS_STATS_H
#define TS_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* qsort comparator: ascending doubles (NaN compares equal to everything). */
int ts_cmp_double(const void *a, const void *b);

/* Sort x[0..n), values >= 0 or +inf (no NaN, no -0), ascending: the same
 * array qsort with ts_cmp_double gives, by LSD radix on the bit patterns
 * (which order such values as numbers), without comparisons. tmp holds n
 * values of workspace. */
void ts_sort_nonneg(double *x, size_t n, double *tmp);

/* R's mean(x, na.rm): x[0], x[stride], ... (n values); a long double sum,
 * then one refining pass as R's mean.default does. With na_rm the NaN values
 * are left out (NAN when none is left); without, a NaN gives NaN. */
double ts_r_mean(const double *x, size_t n, size_t stride, bool na_rm);

/* The median of x[0..n) (R's median; n >= 1), rearranging x (ts_select). */
double ts_median_inplace(double *x, size_t n);

/* The median of sorted x[0..n), n >= 1: the middle value, or the mean of the
 * two middle ones. */
double ts_median_sorted(const double *x, size_t n);

/* R's quantile(x, prob, type = 7) of x[0..n), rearranging x (sorted, then
 * GSL's quantile_from_sorted_data); n >= 1. */
double ts_quantile_inplace(double *x, size_t n, double prob);

/* Type-7 quantile of sorted x[0..n), n >= 1, as x[lo] + h (x[lo + 1] - x[lo]). */
double ts_quantile7_sorted(const double *x, size_t n, double p);

/* The same quantile of x[0..n) in any order (no NaN, n >= 1), by selection
 * (ts_select) rather than a sort, rearranging x: equal bit for
 * bit to ts_quantile7_sorted of the sorted values. */
double ts_quantile7_select(double *x, size_t n, double p);

/* R's quantile(x, p, type = 8) of sorted x[0..n), n >= 1, with R's fuzz. */
double ts_quantile8_sorted(const double *x, size_t n, double p);

#endif
