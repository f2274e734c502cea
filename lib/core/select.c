/* SPDX-License-Identifier: GPL-3.0-or-later */
/* select: the k-th smallest of an array of doubles, in place (Hoare's
 * quickselect, median-of-three pivots, branch-free Lomuto partitions). */
#include "core/select.h"

#include <math.h>

#define SMALL_RANGE 12	/* ranges this short are finished by insertion */

/* Sort x[lo..hi) by insertion. */
static void insertion_sort(double *x, size_t lo, size_t hi)
{
	for (size_t i = lo + 1; i < hi; i++) {
		double v = x[i];
		size_t j = i;
		while (j > lo && x[j - 1] > v) {
			x[j] = x[j - 1];
			j--;
		}
		x[j] = v;
	}
}

/* Move the values of x[lo..hi) for which below(v) holds to the front, in
 * one pass that swaps every value and counts instead of branching (the
 * values are data: a branch on them mispredicts half the time). Returns
 * the end of the front part. Invariant: x[lo..store) pass, x[store..i) do
 * not, so swapping x[i] with x[store] keeps it whichever x[i] is. */
static size_t partition_less(double *x, size_t lo, size_t hi, double pivot)
{
	size_t store = lo;

	for (size_t i = lo; i < hi; i++) {
		double v = x[i];
		x[i] = x[store];
		x[store] = v;
		store += v < pivot;
	}
	return store;
}

/* The same with below(v) = v <= pivot: v < the next double up, or every
 * value when the pivot is +inf (there is no NaN). */
static size_t partition_not_above(double *x, size_t lo, size_t hi, double pivot)
{
	if (pivot == INFINITY)
		return hi;
	return partition_less(x, lo, hi, nextafter(pivot, INFINITY));
}

/* The median of x[a], x[b], x[c]. */
static double median_of_three(const double *x, size_t a, size_t b, size_t c)
{
	double u = x[a], v = x[b], w = x[c];
	double lo = u < v ? u : v, hi = u < v ? v : u;

	return w < lo ? lo : w > hi ? hi : w;
}

double ts_select(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > SMALL_RANGE) {
		double pivot = median_of_three(x, lo, lo + (hi - lo) / 2, hi - 1);
		size_t less_end = partition_less(x, lo, hi, pivot);
		if (k < less_end) {
			hi = less_end;	/* the pivot is not below itself: progress */
			continue;
		}
		if (less_end > lo) {
			lo = less_end;
			continue;
		}
		/* the pivot is the least of the range: split off the values
		 * equal to it (all of them, when the range holds one value) */
		size_t equal_end = partition_not_above(x, less_end, hi, pivot);
		if (k < equal_end)
			return pivot;	/* x[k] is the pivot, already in place */
		lo = equal_end;
	}
	insertion_sort(x, lo, hi);
	return x[k];
}

void ts_select_pair(double *x, size_t n, size_t k, double pair[2])
{
	pair[0] = ts_select(x, n, k);
	pair[1] = pair[0];
	if (k + 1 < n) {
		/* everything after x[k] is no smaller: the next is their least */
		double next = x[k + 1];
		for (size_t i = k + 2; i < n; i++)
			next = x[i] < next ? x[i] : next;
		pair[1] = next;
	}
}
