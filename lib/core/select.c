/* SPDX-License-Identifier: GPL-3.0-or-later */
/* select: the k-th smallest of an array of doubles, in place (Hoare's
 * quickselect, median-of-three pivots, branch-free Lomuto partitions). */
#include "core/select.h"

#include <stdbool.h>

#define SMALL_RANGE 12	/* ranges this short are finished by insertion */

/* Whether a comes after b in ascending order, NaN after every number. */
static bool after(double a, double b)
{
	return a > b || (a != a && b == b);
}

/* Sort x[lo..hi) by insertion. */
static void insertion_sort(double *x, size_t lo, size_t hi)
{
	for (size_t i = lo + 1; i < hi; i++) {
		double v = x[i];
		size_t j = i;
		while (j > lo && after(x[j - 1], v)) {
			x[j] = x[j - 1];
			j--;
		}
		x[j] = v;
	}
}

/* Which values a partition moves to the front. */
enum front { BELOW, NOT_ABOVE, NUMBERS };

/* Move the values of x[lo..hi) that belong in front (below the pivot, at
 * or below it, or not NaN) to the front, in one pass that swaps every value
 * and counts instead of branching (the values are data: a branch on them
 * mispredicts half the time). Returns the end of the front part.
 * Invariant: x[lo..store) belong in front, x[store..i) do not, so swapping
 * x[i] with x[store] keeps it whichever x[i] is. Always inlined, so that
 * each call's test is a constant. */
static inline __attribute__((always_inline)) size_t
partition(double *x, size_t lo, size_t hi, double pivot, enum front which)
{
	size_t store = lo;

	for (size_t i = lo; i < hi; i++) {
		double v = x[i];
		x[i] = x[store];
		x[store] = v;
		store += which == BELOW ? v < pivot : which == NOT_ABOVE ? v <= pivot : v == v;
	}
	return store;
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
		if (pivot != pivot) {
			/* a NaN, which no comparison orders: the numbers go first
			 * (NaN last, as a sort would put them), leaving this one out */
			size_t numbers_end = partition(x, lo, hi, pivot, NUMBERS);
			if (k >= numbers_end)
				return x[k];
			hi = numbers_end;
			continue;
		}
		size_t less_end = partition(x, lo, hi, pivot, BELOW);
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
		size_t equal_end = partition(x, lo, hi, pivot, NOT_ABOVE);
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
		if (next != next) {
			/* it began at a NaN, which no comparison moves: a number
			 * after it comes first */
			for (size_t i = k + 2; i < n; i++)
				if (x[i] == x[i] && !(x[i] >= next))
					next = x[i];
		}
		pair[1] = next;
	}
}
