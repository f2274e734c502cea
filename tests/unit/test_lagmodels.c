/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lagmodels: R's ar() by Yule-Walker, msnaive and snaive-ar against
 * values worked out by hand; mstl-ar and dhr on series of two seasons, and the
 * coverage of dhr's band on simulated continuations. */
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "testutil.h"

#include "forecast/classical.h"
#include "forecast/lagmodels.h"
#include "forecast/msmodels.h"

struct outbuf {
	double fitted[32], flo[32], fhi[32], mean[16], lo[16], hi[16];
	struct ts_fc_out out;
};

static void outbuf_init(struct outbuf *b)
{
	memset(b, 0, sizeof *b);
	b->out.fitted = b->fitted;
	b->out.fitted_lower = b->flo;
	b->out.fitted_upper = b->fhi;
	b->out.mean = b->mean;
	b->out.lower = b->lo;
	b->out.upper = b->hi;
}

static void test_ar_yw(void **state)
{
	/* x - 4.5 = -3.5 .. 3.5: r0 = 42/8, r1 = 26.25/8, so phi = 0.625 and
	 * v1 = r0 (1 - phi^2); order 1 has the least AIC (orders 0..4 tried). */
	const double x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, c[5] = { 3, 3, 3, 3, 3 };
	double r0 = 42.0 / 8, nan1[3] = { 1, NAN, 2 };
	struct ts_ar ar;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_ar_yw(x, 8, &ar, &err), 0);
	assert_near(ar.mean, 4.5, 1e-15);
	assert_int_equal(ar.order, 1);
	assert_near(ar.phi[0], 0.625, 1e-15);
	assert_near(ar.var_pred, r0 * (1 - 0.625 * 0.625) * 8 / 6, 1e-12);
	/* a constant: order 0, no variance */
	assert_int_equal(ts_ar_yw(c, 5, &ar, &err), 0);
	assert_near(ar.mean, 3, 0);
	assert_int_equal(ar.order, 0);
	assert_near(ar.var_pred, 0, 0);
	assert_int_equal(ts_ar_yw(x, 1, &ar, &err), TS_EDATA);
	assert_string_equal(err.msg, "autoregression needs at least 2 points, got 1");
	assert_int_equal(ts_ar_yw(nan1, 3, &ar, &err), TS_EDATA);
	assert_string_equal(err.msg, "missing or infinite value at index 1");
}

static void test_msnaive(void **state)
{
	/* lags 2 and 4: every fitted value misses by 1.5 */
	const double y[8] = { 1, 5, 2, 6, 3, 7, 4, 8 };
	const double mean[6] = { 3.5, 7.5, 4, 8, 3.5, 7.5 }, z = 1.2815515655446004;
	const size_t periods[2] = { 2, 4 };
	struct ts_fc_spec spec;
	struct outbuf b;
	struct ts_err err = { 0 };

	(void)state;
	ts_fc_spec_init(&spec);
	spec.m = 2;
	spec.h = 6;
	spec.periods = periods;
	spec.nperiods = 2;
	outbuf_init(&b);
	assert_int_equal(ts_fc_msnaive(y, 8, &spec, &b.out, &err), 0);
	for (size_t i = 0; i < 4; i++)
		assert_true(isnan(b.fitted[i]));
	assert_near(b.fitted[4], 1.5, 1e-15);
	assert_near(b.fitted[7], 6.5, 1e-15);
	assert_near(b.out.sigma2, 2.25, 1e-15);
	assert_near(b.fhi[5] - b.fitted[5], z * 1.5, 1e-12);
	for (size_t j = 0; j < 6; j++) {
		double se = 1.5 * sqrt((double)(j / 2 + 1));

		assert_near(b.mean[j], mean[j], 1e-15);
		assert_near(b.lo[j], mean[j] - z * se, 1e-12);
		assert_near(b.hi[j], mean[j] + z * se, 1e-12);
	}
	assert_string_equal(b.out.name, "Mean of seasonal naive (lags 2 4)");
}

static void test_msnaive_one_period_is_snaive(void **state)
{
	/* the lag-10 period is longer than the series: only lag 2 is left */
	const double y[8] = { 1, 5, 2, 6, 3, 7, 4, 9 };
	const size_t periods[2] = { 2, 10 };
	struct ts_fc_spec spec;
	struct outbuf a, s;
	struct ts_err err = { 0 };

	(void)state;
	ts_fc_spec_init(&spec);
	spec.m = 2;
	spec.h = 5;
	spec.periods = periods;
	spec.nperiods = 2;
	outbuf_init(&a);
	outbuf_init(&s);
	assert_int_equal(ts_fc_msnaive(y, 8, &spec, &a.out, &err), 0);
	assert_int_equal(ts_fc_snaive(y, 8, &spec, &s.out, &err), 0);
	assert_memory_equal(a.fitted, s.fitted, sizeof a.fitted);
	assert_memory_equal(a.mean, s.mean, 5 * sizeof *a.mean);
	assert_memory_equal(a.lo, s.lo, 5 * sizeof *a.lo);
	assert_memory_equal(a.hi, s.hi, 5 * sizeof *a.hi);
	assert_string_equal(a.out.name, "Seasonal naive method");
	/* errors */
	spec.m = 1;
	spec.periods = NULL;
	assert_int_equal(ts_fc_msnaive(y, 8, &spec, &a.out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "msnaive needs a season length of at least 2");
	spec.m = 8;
	assert_int_equal(ts_fc_msnaive(y, 8, &spec, &a.out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 8 points, need at least 9");
}

static void test_snaive_ar(void **state)
{
	/* lag-2 differences 1, 2, ..., 8: the AR(1) of test_ar_yw (mean 4.5,
	 * phi 0.625). y's polynomial (1 - 0.625 B)(1 - B^2) gives psi weights
	 * 1, 0.625, 0.625^2 + 1. */
	const double y[10] = { 0, 0, 1, 2, 4, 6, 9, 12, 16, 20 }, z = 1.2815515655446004;
	const double phi = 0.625, mu = 4.5, s2 = 42.0 / 8 * (1 - phi * phi) * 8 / 6;
	double d8 = mu + phi * (8 - mu), d9 = mu + phi * (d8 - mu), d10 = mu + phi * (d9 - mu);
	double psi2 = phi * phi + 1;
	struct ts_fc_spec spec;
	struct outbuf b;
	struct ts_err err = { 0 };

	(void)state;
	ts_fc_spec_init(&spec);
	spec.m = 2;
	spec.h = 3;
	outbuf_init(&b);
	assert_int_equal(ts_fc_snaive_ar(y, 10, &spec, &b.out, &err), 0);
	for (size_t i = 0; i < 3; i++)
		assert_true(isnan(b.fitted[i]));
	assert_near(b.fitted[3], 0 + mu + phi * (1 - mu), 1e-12);	/* 2.3125 */
	assert_near(b.fitted[9], 12 + mu + phi * (7 - mu), 1e-12);
	assert_near(b.out.sigma2, s2, 1e-12);
	assert_near(b.mean[0], 16 + d8, 1e-12);		/* 22.6875 */
	assert_near(b.mean[1], 20 + d9, 1e-12);
	assert_near(b.mean[2], 16 + d8 + d10, 1e-12);
	assert_near(b.hi[0] - b.mean[0], z * sqrt(s2), 1e-12);
	assert_near(b.hi[1] - b.mean[1], z * sqrt(s2 * (1 + phi * phi)), 1e-12);
	assert_near(b.mean[2] - b.lo[2], z * sqrt(s2 * (1 + phi * phi + psi2 * psi2)), 1e-12);
	assert_string_equal(b.out.name, "Seasonal naive + AR(1) of lag-2 differences");
	/* Constant differences: order 0, forecasts climb by the mean difference. */
	{
		const double lin[6] = { 1, 2, 4, 5, 7, 8 };

		spec.h = 4;
		assert_int_equal(ts_fc_snaive_ar(lin, 6, &spec, &b.out, &err), 0);
		assert_near(b.mean[0], 10, 1e-12);
		assert_near(b.mean[1], 11, 1e-12);
		assert_near(b.mean[2], 13, 1e-12);
		assert_near(b.mean[3], 14, 1e-12);
		assert_near(b.hi[3] - b.lo[3], 0, 1e-12);
	}
	spec.m = 1;
	assert_int_equal(ts_fc_snaive_ar(y, 10, &spec, &b.out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "snaive-ar needs a season length of at least 2");
	spec.m = 9;
	assert_int_equal(ts_fc_snaive_ar(y, 10, &spec, &b.out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 10 points, need at least 11");
}

/* predict.ar by hand: phi 0.5 around mean 10 from a last value of 14. */
static void test_ar_forecast(void **state)
{
	struct ts_ar ar = { .mean = 10, .order = 1, .phi = { 0.5 }, .var_pred = 4 };
	const double x[3] = { 0, 0, 14 };
	double mean[3], se[3], work[3];

	(void)state;
	ts_ar_forecast(&ar, x, 3, 3, mean, se, work);
	assert_near(mean[0], 12, 1e-15);
	assert_near(mean[1], 11, 1e-15);
	assert_near(mean[2], 10.5, 1e-15);
	assert_near(se[0], 2, 1e-15);
	assert_near(se[1], 2 * sqrt(1.25), 1e-15);
	assert_near(se[2], 2 * sqrt(1.3125), 1e-15);
}

/* Two seasons that add up exactly: MSTL takes them out, the AR of what is left
 * (a constant) forecasts it, so the forecast repeats both; a period the series
 * holds fewer than three cycles of is left out. */
static void test_mstl_ar(void **state)
{
	double y[96], fit[96], flo[96], fhi[96], mean[24], lo[24], hi[24];
	const size_t periods[2] = { 4, 12 };
	struct ts_fc_spec spec;
	struct ts_fc_out out = { fit, flo, fhi, mean, lo, hi, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < 96; i++)
		y[i] = 50 + 3 * (double)(i % 4) + 10 * sin(2 * M_PI * (double)(i % 12) / 12);
	ts_fc_spec_init(&spec);
	spec.m = 4;
	spec.h = 24;
	spec.periods = periods;
	spec.nperiods = 2;
	assert_int_equal(ts_fc_mstl_ar(y, 96, &spec, &out, &err), 0);
	assert_memory_equal(out.name, "MSTL + AR(", 10);
	for (size_t j = 0; j < 24; j++) {
		assert_near(mean[j], y[72 + j], 0.05);	/* MSTL's loess leaks a little */
		assert_true(lo[j] <= mean[j] && mean[j] <= hi[j]);
	}
	/* 30 points: three cycles of 4, fewer of 12: only 4 is removed, and the
	 * AR forecast of the rest is no longer the 12-point pattern */
	assert_int_equal(ts_fc_mstl_ar(y, 30, &spec, &out, &err), 0);
	assert_true(fabs(mean[6] - y[36]) > 0.5);
	assert_int_equal(ts_fc_mstl_ar(y, 3, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 3 points, need at least 4");
}

/* A day and a week of hourly data, each a few harmonics: y(t) at t. */
static double day_and_week(size_t t)
{
	double d = 2 * M_PI * (double)(t % 24) / 24, w = 2 * M_PI * (double)(t % 168) / 168;

	return 100 + 10 * sin(d) + 4 * cos(2 * d + 1) + 6 * sin(w) + 3 * cos(3 * w);
}

/* dhr: the Fourier terms of both periods fit a double-seasonal series, so its
 * forecast continues the week; with noise close to it, the interval around
 * it; without a cycle of the week, the weekly part is no longer forecast. */
static void test_dhr(void **state)
{
	static double y[504], fit[504], flo[504], fhi[504], mean[48], lo[48], hi[48];
	const size_t periods[2] = { 24, 168 };
	struct ts_fc_spec spec;
	struct ts_fc_out out = { fit, flo, fhi, mean, lo, hi, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };
	unsigned long state_lcg = 12345;
	double worst = 0;

	(void)state;
	ts_fc_spec_init(&spec);
	spec.m = 24;
	spec.h = 48;
	spec.periods = periods;
	spec.nperiods = 2;
	for (size_t t = 0; t < 504; t++)
		y[t] = day_and_week(t);
	assert_int_equal(ts_fc_dhr(y, 504, &spec, &out, &err), 0);
	assert_memory_equal(out.name, "DHR(24: ", 8);
	for (size_t j = 0; j < 48; j++)
		assert_near(mean[j], day_and_week(504 + j), 1e-6);
	for (size_t t = 27; t < 504; t++)	/* NAN before the AR's order (at most 27) */
		assert_near(fit[t], y[t], 1e-6);
	/* uniform noise in [-1, 1] (an LCG, so the test is the same everywhere) */
	for (size_t t = 0; t < 504; t++) {
		state_lcg = state_lcg * 1103515245 + 12345;
		y[t] = day_and_week(t) + 2 * (double)(state_lcg % 65536) / 65535 - 1;
	}
	assert_int_equal(ts_fc_dhr(y, 504, &spec, &out, &err), 0);
	for (size_t j = 0; j < 48; j++) {
		double e = fabs(mean[j] - day_and_week(504 + j));

		worst = e > worst ? e : worst;
		assert_true(lo[j] < day_and_week(504 + j) && day_and_week(504 + j) < hi[j]);
	}
	assert_true(worst < 0.5);
	assert_true(out.sigma2 > 0.2 && out.sigma2 < 0.5);	/* the noise's 1/3 */
	/* 150 points, less than a week: the day's terms alone */
	for (size_t t = 0; t < 150; t++)
		y[t] = day_and_week(t);
	assert_int_equal(ts_fc_dhr(y, 150, &spec, &out, &err), 0);
	assert_memory_equal(out.name, "DHR(24: ", 8);
	assert_null(strstr(out.name, "168"));
	assert_int_equal(ts_fc_dhr(y, 3, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 3 points, need at least 4");
}

/* The share of continuations of y[0..n) (day_and_week plus an AR(1) of
 * phi 0.5 and unit innovations, whose last value is e_last) inside dhr's
 * band: paths continuations of h points, each simulated from e_last. */
static double dhr_path_coverage(gsl_rng *rng, size_t n, double e_last, const double *lo,
				const double *hi, size_t h, size_t paths)
{
	size_t in = 0;

	for (size_t p = 0; p < paths; p++) {
		double e = e_last;

		for (size_t j = 0; j < h; j++) {
			double v;

			e = 0.5 * e + gsl_ran_gaussian(rng, 1);
			v = day_and_week(n + j) + e;
			in += lo[j] <= v && v <= hi[j];
		}
	}
	return (double)in / (double)(paths * h);
}

/* dhr's band holds its level: over 50 histories of three weeks (the day and
 * the week plus AR(1) noise) and 40 simulated continuations of a day each
 * (2000 in all), the 80% band covers 76-84% of the values and the 95% band
 * 92-98% (seeds 1-6 give 79-83% and 95-96%). The model's own band (raw_band:
 * the AR's, the regression taken as known) covers less: 73-75% and 91-92%. */
static void test_dhr_coverage(void **state)
{
	static double y[504], fit[504], flo[504], fhi[504], mean[24], lo[24], hi[24];
	const size_t periods[2] = { 24, 168 }, n = 504, h = 24, histories = 50, paths = 40;
	const double levels[2] = { 0.8, 0.95 };
	struct ts_fc_spec spec;
	struct ts_fc_out out = { fit, flo, fhi, mean, lo, hi, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double cover[2] = { 0, 0 }, raw[2] = { 0, 0 };

	(void)state;
	assert_non_null(rng);
	gsl_rng_set(rng, 17);
	ts_fc_spec_init(&spec);
	spec.m = 24;
	spec.h = h;
	spec.periods = periods;
	spec.nperiods = 2;
	for (size_t r = 0; r < histories; r++) {
		double e = gsl_ran_gaussian(rng, 1) / sqrt(0.75);	/* the stationary spread */

		for (size_t t = 0; t < n; t++) {
			e = t == 0 ? e : 0.5 * e + gsl_ran_gaussian(rng, 1);
			y[t] = day_and_week(t) + e;
		}
		for (size_t k = 0; k < 2; k++) {
			spec.level = levels[k];
			spec.raw_band = false;
			assert_int_equal(ts_fc_dhr(y, n, &spec, &out, &err), 0);
			cover[k] += dhr_path_coverage(rng, n, e, lo, hi, h, paths) / (double)histories;
			spec.raw_band = true;
			assert_int_equal(ts_fc_dhr(y, n, &spec, &out, &err), 0);
			raw[k] += dhr_path_coverage(rng, n, e, lo, hi, h, paths) / (double)histories;
		}
	}
	gsl_rng_free(rng);
	print_message("dhr coverage: 80%% band %.3f (raw %.3f), 95%% band %.3f (raw %.3f)\n", cover[0],
		      raw[0], cover[1], raw[1]);
	assert_true(cover[0] >= 0.76 && cover[0] <= 0.84);
	assert_true(cover[1] >= 0.92 && cover[1] <= 0.98);
	assert_true(raw[0] < cover[0] - 0.03 && raw[1] < cover[1] - 0.02);
}

/* Periods 13 and 17 over 27 points: their common multiple, 221, is more than
 * 8 times the series, so the Gram sums are not tabled; the fit is exact all
 * the same. */
static void test_dhr_coprime_periods(void **state)
{
	static double y[27], fit[27], flo[27], fhi[27], mean[14], lo[14], hi[14];
	const size_t periods[2] = { 13, 17 };
	struct ts_fc_spec spec;
	struct ts_fc_out out = { fit, flo, fhi, mean, lo, hi, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };

	(void)state;
	ts_fc_spec_init(&spec);
	spec.m = 13;
	spec.h = 14;
	spec.periods = periods;
	spec.nperiods = 2;
	for (size_t t = 0; t < 27; t++)
		y[t] = 5 + 2 * sin(2 * M_PI * (double)t / 13) + cos(2 * M_PI * (double)t / 17);
	assert_int_equal(ts_fc_dhr(y, 27, &spec, &out, &err), 0);
	for (size_t j = 0; j < 14; j++)
		assert_near(mean[j], 5 + 2 * sin(2 * M_PI * (double)(27 + j) / 13) +
				     cos(2 * M_PI * (double)(27 + j) / 17), 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ar_forecast),
		cmocka_unit_test(test_mstl_ar),
		cmocka_unit_test(test_dhr),
		cmocka_unit_test(test_dhr_coprime_periods),
		cmocka_unit_test(test_dhr_coverage),
		cmocka_unit_test(test_ar_yw),
		cmocka_unit_test(test_msnaive),
		cmocka_unit_test(test_msnaive_one_period_is_snaive),
		cmocka_unit_test(test_snaive_ar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
