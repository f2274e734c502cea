/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fcband: the calibrated band on a toy model whose errors are known: the
 * conformal quantile of its forecasts' errors, the origins used, the spread by
 * phase, and when the band is left as the model gave it. */
#include <string.h>

#include "testutil.h"

#include "forecast/fcband.h"

/* A toy model: forecasts 0 with standard error 1 at every step (its band is
 * 0 -/+ z), fitted values y - resid(t) (NAN when resid_nan), and too short
 * below min_n points. Its errors on y are y itself. */
static size_t toy_min_n;
static bool toy_resid_nan = true;

static double toy_resid(size_t t)
{
	double size = t % 2 == 0 ? 1 : 3;

	return t / 2 % 2 == 0 ? size : -size;
}

static int toy_fit(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		   struct ts_err *err)
{
	double z = ts_fc_z(spec->level);

	if (n < toy_min_n)
		return ts_err_set(err, TS_EDATA, "series too short");
	for (size_t t = 0; t < n; t++) {
		out->fitted[t] = toy_resid_nan ? NAN : y[t] - toy_resid(t);
		out->fitted_lower[t] = out->fitted[t] - z;
		out->fitted_upper[t] = out->fitted[t] + z;
	}
	for (size_t j = 0; j < spec->h; j++) {
		out->mean[j] = 0;
		out->lower[j] = -z;
		out->upper[j] = z;
	}
	return 0;
}

struct toy {
	double y[100], fit[100], flo[100], fhi[100], mean[10], lo[10], hi[10];
	struct ts_fc_out out;
	struct ts_fc_spec spec;
};

static void toy_init(struct toy *b)
{
	struct ts_fc_out out = { b->fit, b->flo, b->fhi, b->mean, b->lo, b->hi, "",
				 0, 0, 0, 0, 0, 0, 0, 0, 0 };

	for (size_t t = 0; t < 100; t++)
		b->y[t] = (double)t;
	b->out = out;
	ts_fc_spec_init(&b->spec);
	b->spec.h = 10;
	toy_min_n = 0;
	toy_resid_nan = true;
}

/* Every step's band is 0 -/+ q. */
static void assert_band(const struct toy *b, double q)
{
	for (size_t j = 0; j < 10; j++) {
		assert_near(b->lo[j], -q, 1e-12);
		assert_near(b->hi[j], q, 1e-12);
	}
}

/* Errors |y| = t: the 4 latest origins 90, 85, 80, 75 forecast t = 75..99
 * (40 errors, the 33rd smallest is the 80% conformal quantile: 93); the
 * origins that cover a period of 30 are 6 (65..99, 60 errors: 91); a model
 * that cannot fit fewer than 80 points gives 3 (30 errors: 94). */
static void test_quantile_of_own_errors(void **state)
{
	static struct toy b;
	const size_t period[1] = { 30 };
	struct ts_err err = { 0 };

	(void)state;
	toy_init(&b);
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, 93);
	b.spec.periods = period;
	b.spec.nperiods = 1;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_CYCLE_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, 91);
	/* the 4 latest, whatever the period */
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, 93);
	toy_min_n = 80;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, 94);
	/* the 95% band: the 39th of 40, 98 */
	toy_min_n = 0;
	b.spec.periods = NULL;
	b.spec.nperiods = 0;
	b.spec.level = 0.95;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, 98);
}

/* raw_band, a model that fails, fewer than 20 errors, a horizon as long as
 * half the history: the band is the model's own, or the failure. */
static void test_band_left(void **state)
{
	static struct toy b;
	struct ts_err err = { 0 };
	double z = ts_fc_z(0.8);

	(void)state;
	toy_init(&b);
	b.spec.raw_band = true;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, z);
	b.spec.raw_band = false;
	toy_min_n = 101;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short");
	/* only the origin 90 fits: 10 errors */
	toy_min_n = 90;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, z);
	toy_min_n = 0;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 20, &b.spec, &b.out,
					  &err), 0);
	assert_band(&b, z);
}

/* One-step errors of 1 at even t and 3 at odd t (season 2): the band is
 * wider at odd steps by the ratio of the shrunk spreads, sqrt((50 * 9 + 2 *
 * 5) / 52) over sqrt((50 * 1 + 2 * 5) / 52) (overall mean square 5). */
static void test_spread_by_phase(void **state)
{
	static struct toy b;
	struct ts_err err = { 0 };

	(void)state;
	toy_init(&b);
	toy_resid_nan = false;
	b.spec.m = 2;
	assert_int_equal(ts_fc_calibrated(toy_fit, TS_FC_LATEST_ORIGINS, b.y, 100, &b.spec, &b.out,
					  &err), 0);
	for (size_t j = 0; j + 1 < 10; j += 2) {
		assert_true(b.hi[j] > 0 && b.lo[j] < 0);
		assert_near(b.hi[j + 1] / b.hi[j], sqrt(460.0 / 60.0), 1e-12);
		assert_near(b.lo[j + 1] / b.lo[j], sqrt(460.0 / 60.0), 1e-12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile_of_own_errors),
		cmocka_unit_test(test_band_left),
		cmocka_unit_test(test_spread_by_phase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
