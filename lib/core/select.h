/* SPDX-License-Identifier: GPL-3.0-or-later */
/* select: the k-th smallest of an array of doubles, in place, by a
 * quickselect whose partitions do not branch on the data. */
#ifndef TS_SELECT_H
#define TS_SELECT_H

#include <stddef.h>

/* The k-th smallest (from 0) of x[0..n), k < n. x is rearranged so that
 * x[k] holds it, x[0..k) no larger and x(k..n) no smaller, as a sort would
 * leave those three parts (each in some order); NaN count as larger than
 * every number, as a sort that puts them last. The same value, bit for bit,
 * as sorting and reading x[k]; cheaper than GSL's gsl_stats_select on random
 * data because its partitions mispredict no branches. */
double ts_select(double *x, size_t n, size_t k);

/* The k-th and (k+1)-th smallest of x[0..n) into pair[0] and pair[1]
 * (pair[1] = pair[0] when k + 1 == n); x is rearranged as by ts_select. */
void ts_select_pair(double *x, size_t n, size_t k, double pair[2]);

#endif
