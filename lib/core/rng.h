/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng: a small, fast pseudo-random number generator and the variates the
 * models simulate with (uniform, normal, exponential, Laplace, geometric,
 * gamma, beta), reproducible from a 64-bit seed on every platform.
 *
 * Where each method comes from:
 * - the generator is xoshiro256++ (Blackman and Vigna, "Scrambled linear
 *   pseudorandom number generators", ACM TOMS 47(4), 2021): 256 bits of
 *   state, period 2^256 - 1, 64-bit outputs;
 * - its state is filled from the seed by SplitMix64 (Steele, Lea and Flood,
 *   "Fast splittable pseudorandom number generators", OOPSLA 2014), so nearby
 *   seeds give unrelated streams;
 * - normal and exponential variates come from 256-layer ziggurats (Marsaglia
 *   and Tsang, "The ziggurat method for generating random variables", J.
 *   Stat. Softw. 5(8), 2000; tables in core/ziggurat), with the layer index
 *   and the uniform taken from disjoint bits of one output, as Doornik ("An
 *   improved ziggurat method to generate normal random samples", 2005)
 *   advises; the normal tail beyond r by Marsaglia's exponential method
 *   (Marsaglia, "Generating a variable from the tail of the normal
 *   distribution", Technometrics 6(1), 1964);
 * - gamma by Marsaglia and Tsang ("A simple method for generating gamma
 *   variables", ACM TOMS 26(3), 2000), with G(a) = G(a + 1) U^(1/a) for
 *   a < 1; beta as X / (X + Y) of two gammas; Laplace as a signed
 *   exponential; geometric as the floor of an exponential over -log(1 - p).
 *
 * Not for cryptography. A struct ts_rng belongs to one thread. */
#ifndef TS_RNG_H
#define TS_RNG_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ziggurat.h"

struct ts_rng {
	uint64_t s[4];
};

/* Start the stream of `seed`: the same seed gives the same draws. */
void ts_rng_seed(struct ts_rng *rng, uint64_t seed);

/* The next 64 random bits (xoshiro256++). */
static inline uint64_t ts_rng_next(struct ts_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t sum = s[0] + s[3];
	uint64_t out = ((sum << 23) | (sum >> 41)) + s[0];
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return out;
}

/* Uniform on (0, 1), never 0 or 1: the top 52 bits of an output, centred
 * in their cell of width 2^-52. */
static inline double ts_rng_uniform(struct ts_rng *rng)
{
	return ((double)(ts_rng_next(rng) >> 12) + 0.5) * 0x1p-52;
}

/* The rare cases of ts_rng_normal and ts_rng_exponential (a draw outside
 * its layer's inner box): for their use only. */
double ts_rng_normal_edge(struct ts_rng *rng, unsigned layer, double x);
double ts_rng_exponential_edge(struct ts_rng *rng, unsigned layer, double x);

/* A normal candidate from 64 bits: bits 0-7 pick the layer (into *layer),
 * bits 11-63 a uniform on (-1, 1) whose sign is the variate's, scaled to the
 * layer's width; it is a draw when inside the layer's inner box. */
static inline double ts_rng_normal_candidate(uint64_t bits, unsigned *layer)
{
	int64_t half = (int64_t)(bits >> 11) - ((int64_t)1 << 52);

	*layer = (unsigned)(bits & (TS_ZIG_LAYERS - 1));
	return (double)(2 * half + 1) * 0x1p-53 * ts_zig_normal_x[*layer];
}

/* Standard normal. */
static inline double ts_rng_normal(struct ts_rng *rng)
{
	unsigned layer;
	double x = ts_rng_normal_candidate(ts_rng_next(rng), &layer);

	if (fabs(x) < ts_zig_normal_x[layer + 1])
		return x;
	return ts_rng_normal_edge(rng, layer, x);
}

/* out[i] += scale * z_i for n standard normals z_0, ..., z_(n-1): the same
 * draws as n calls of ts_rng_normal, with the generator's state kept in
 * registers and no array of the draws themselves. */
void ts_rng_normals_add(struct ts_rng *rng, double scale, double *out, size_t n);

/* An exponential candidate from 64 bits: bits 0-7 pick the layer (into
 * *layer), bits 12-63 a uniform on (0, 1) scaled to the layer's width; bits
 * 8-11 are left for the caller. */
static inline double ts_rng_exponential_candidate(uint64_t bits, unsigned *layer)
{
	*layer = (unsigned)(bits & (TS_ZIG_LAYERS - 1));
	return ((double)(bits >> 12) + 0.5) * 0x1p-52 * ts_zig_exp_x[*layer];
}

/* Standard exponential (mean 1). */
static inline double ts_rng_exponential(struct ts_rng *rng)
{
	unsigned layer;
	double x = ts_rng_exponential_candidate(ts_rng_next(rng), &layer);

	if (x < ts_zig_exp_x[layer + 1])
		return x;
	return ts_rng_exponential_edge(rng, layer, x);
}

/* Laplace with location 0 and the given scale (> 0): density
 * exp(-|x| / scale) / (2 scale); an exponential whose sign is bit 8 of its
 * own output, which its magnitude never reads. */
static inline double ts_rng_laplace(struct ts_rng *rng, double scale)
{
	uint64_t bits = ts_rng_next(rng);
	unsigned layer;
	double x = ts_rng_exponential_candidate(bits, &layer);

	if (!(x < ts_zig_exp_x[layer + 1]))
		x = ts_rng_exponential_edge(rng, layer, x);
	return (bits & 0x100) ? -scale * x : scale * x;
}

/* Failures before the first success of trials with success probability p,
 * given as log_miss = log1p(-p) < 0 (computed once by the caller): a
 * geometric count from 0, as a double (it may exceed any integer type; it is
 * +inf when log_miss is 0, p = 0). P(count >= k) = P(E >= -k log(1 - p)) =
 * (1 - p)^k for E exponential, so the count is E / -log(1 - p) rounded down. */
static inline double ts_rng_geometric(struct ts_rng *rng, double log_miss)
{
	if (!(log_miss < 0))
		return INFINITY;	/* p = 0: no success ever */
	double count = ts_rng_exponential(rng) / -log_miss;
	/* doubles from 2^52 up are whole already */
	return count < 0x1p52 ? (double)(int64_t)count : count;
}

/* Gamma with the given shape (> 0) and scale 1. */
double ts_rng_gamma(struct ts_rng *rng, double shape);

/* Beta(a, b), a > 0 and b > 0, in [0, 1]. */
double ts_rng_beta(struct ts_rng *rng, double a, double b);

#endif
