/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng: xoshiro256++ seeded by SplitMix64, and the variates drawn from it by
 * ziggurats (normal, exponential), Marsaglia-Tsang (gamma) and their kin;
 * the methods and their papers are named in rng.h. */
#include "core/rng.h"

#include <math.h>

/* SplitMix64: the next output of the counter *state. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void ts_rng_seed(struct ts_rng *rng, uint64_t seed)
{
	/* four SplitMix64 outputs are never all zero (it is a bijection of
	 * distinct counters), so the xoshiro state is never the stuck one */
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
}

double ts_rng_normal_edge(struct ts_rng *rng, unsigned layer, double x)
{
	for (;;) {
		if (layer == 0) {
			/* beyond r: r + a, a with density prop. to exp(-(r + a)^2 / 2)
			 * through an exponential and a rejection */
			double r = ts_zig_normal_x[1], a, b;
			do {
				a = -log(ts_rng_uniform(rng)) / r;
				b = -log(ts_rng_uniform(rng));
			} while (b + b < a * a);
			return x < 0 ? -(r + a) : r + a;
		}
		/* the wedge of the layer: under the density or drawn again */
		double lo = ts_zig_normal_f[layer], hi = ts_zig_normal_f[layer + 1];
		if (lo + ts_rng_uniform(rng) * (hi - lo) < exp(-0.5 * x * x))
			return x;
		x = ts_rng_normal_candidate(ts_rng_next(rng), &layer);
		if (fabs(x) < ts_zig_normal_x[layer + 1])
			return x;
	}
}

void ts_rng_normals_add(struct ts_rng *rng, double scale, double *out, size_t n)
{
	/* a copy whose address never leaves this function lives in registers;
	 * the rare edge cases go through rng */
	struct ts_rng local = *rng;

	for (size_t i = 0; i < n; i++) {
		unsigned layer;
		double x = ts_rng_normal_candidate(ts_rng_next(&local), &layer);
		if (!(fabs(x) < ts_zig_normal_x[layer + 1])) {
			*rng = local;
			x = ts_rng_normal_edge(rng, layer, x);
			local = *rng;
		}
		out[i] += scale * x;
	}
	*rng = local;
}

double ts_rng_exponential_edge(struct ts_rng *rng, unsigned layer, double x)
{
	for (;;) {
		if (layer == 0)	/* beyond r: r plus an exponential, memoryless */
			return ts_zig_exp_x[1] + ts_rng_exponential(rng);
		double lo = ts_zig_exp_f[layer], hi = ts_zig_exp_f[layer + 1];
		if (lo + ts_rng_uniform(rng) * (hi - lo) < exp(-x))
			return x;
		x = ts_rng_exponential_candidate(ts_rng_next(rng), &layer);
		if (x < ts_zig_exp_x[layer + 1])
			return x;
	}
}

double ts_rng_gamma(struct ts_rng *rng, double shape)
{
	if (shape < 1)
		return ts_rng_gamma(rng, shape + 1) * pow(ts_rng_uniform(rng), 1 / shape);
	if (shape == 1)
		return ts_rng_exponential(rng);
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		double z, v;
		do {
			z = ts_rng_normal(rng);
			v = 1 + c * z;
		} while (v <= 0);
		v = v * v * v;
		double u = ts_rng_uniform(rng), z2 = z * z;
		/* the squeeze accepts most draws without a logarithm */
		if (u < 1 - 0.0331 * z2 * z2 || log(u) < 0.5 * z2 + d * (1 - v + log(v)))
			return d * v;
	}
}

double ts_rng_beta(struct ts_rng *rng, double a, double b)
{
	double x = ts_rng_gamma(rng, a), y = ts_rng_gamma(rng, b);

	if (x + y > 0)
		return x / (x + y);
	/* both underflowed (tiny a and b): the mass sits at 0 and 1 */
	return ts_rng_uniform(rng) < a / (a + b) ? 1 : 0;
}
