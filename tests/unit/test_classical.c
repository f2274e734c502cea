/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_classical: naive, snaive, drift, Holt-Winters, Theta and MSTL
 * forecasts against R (golden files in tests/data/golden/classical, see
 * SOURCE.md there), the model table, and the argument checks. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/classical.h"
#include "series/decompose.h"
#include "core/tserr.h"

#include "golden_classical.h"


/* Run fn on golden name and compare fitted, mean, lower, upper within the
 * given relative tolerances; returns the worst point-forecast difference. */
static double golden_check(const char *name, ts_fc_fn *fn, struct golden *g, double tol_fit,
			   double tol_mean, double tol_int)
{
	struct ts_err err = { 0 };
	double dfit, dmean, dlo, dhi;

	if (fn(g->y, g->n, &g->spec, &g->out, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	dfit = max_rel(g->out.fitted, column(&g->t, "fitted"), g->n);
	dmean = max_rel(g->out.mean, column(&g->t, "mean") + g->n, g->h);
	dlo = max_rel(g->out.lower, column(&g->t, "lower") + g->n, g->h);
	dhi = max_rel(g->out.upper, column(&g->t, "upper") + g->n, g->h);
	print_message("%-24s fitted %.2g mean %.2g lower %.2g upper %.2g\n", name, dfit, dmean, dlo, dhi);
	assert_true(dfit <= tol_fit);
	assert_true(dmean <= tol_mean);
	assert_true(dlo <= tol_int);
	assert_true(dhi <= tol_int);
	/* the history bounds straddle the fitted values symmetrically */
	for (size_t i = 0; i < g->n; i++)
		if (!isnan(g->out.fitted[i]))
			assert_near(g->out.fitted_upper[i] - g->out.fitted[i],
				    g->out.fitted[i] - g->out.fitted_lower[i], 1e-9 * fmax(1, fabs(g->out.fitted[i])));
	return dmean;
}

static void run_exact(const char *name, ts_fc_fn *fn)
{
	struct golden g;

	golden_load(name, &g);
	golden_check(name, fn, &g, 1e-9, 1e-9, 1e-9);
	golden_free(&g);
}

static void test_naive(void **state)
{
	(void)state;
	run_exact("naive_Nile", ts_fc_naive);
	run_exact("naive_AirPassengers", ts_fc_naive);
}

static void test_snaive(void **state)
{
	(void)state;
	run_exact("snaive_AirPassengers", ts_fc_snaive);
	run_exact("snaive_USAccDeaths", ts_fc_snaive);
}

static void test_drift(void **state)
{
	(void)state;
	run_exact("drift_Nile", ts_fc_drift);
	run_exact("drift_UKDriverDeaths", ts_fc_drift);
}

/* Holt-Winters with R's parameters given: the filter and predict exactly. */
static void hw_given(const char *name, enum ts_hw_season season, bool trend, double tol)
{
	struct golden g;

	golden_load(name, &g);
	g.spec.alpha = param(&g.p, name, "alpha");
	g.spec.beta = trend ? param(&g.p, name, "beta") : NAN;
	g.spec.gamma = season != TS_HW_NONSEASONAL ? param(&g.p, name, "gamma") : NAN;
	g.spec.hw_season = season;
	g.spec.hw_trend = trend;
	golden_check(name, ts_fc_holt_winters, &g, tol, tol, tol);
	golden_free(&g);
}

static void test_hw_given(void **state)
{
	(void)state;
	hw_given("hw_given_co2", TS_HW_ADDITIVE, true, 1e-10);
	hw_given("hw_given_AirPassengers", TS_HW_MULTIPLICATIVE, true, 1e-10);
	/* R's fitted parameters given back: everything else follows exactly */
	hw_given("hw_co2", TS_HW_ADDITIVE, true, 1e-10);
	hw_given("hw_AirPassengers", TS_HW_MULTIPLICATIVE, true, 1e-10);
	hw_given("hw_USAccDeaths", TS_HW_ADDITIVE, true, 1e-10);
	hw_given("hw_holt_Nile", TS_HW_NONSEASONAL, true, 1e-10);
}

/* Sum of squared one-step errors of a Holt-Winters fit. */
static double sse_of(const struct golden *g)
{
	double s = 0;

	for (size_t i = 0; i < g->n; i++)
		if (!isnan(g->out.fitted[i]))
			s += (g->y[i] - g->out.fitted[i]) * (g->y[i] - g->out.fitted[i]);
	return s;
}

/* Estimated parameters: SSE no worse than R's, forecasts close. */
static void hw_fitted(const char *name, enum ts_hw_season season, bool trend, double tol_fc)
{
	struct golden g;
	double r_sse, sse;

	golden_load(name, &g);
	g.spec.hw_season = season;
	g.spec.hw_trend = trend;
	r_sse = param(&g.p, name, "sse");
	golden_check(name, ts_fc_holt_winters, &g, tol_fc, tol_fc, tol_fc);
	sse = sse_of(&g);
	print_message("%-24s SSE %.12g (R %.12g) alpha %.9g beta %.9g gamma %.9g\n", name, sse, r_sse,
		      g.out.alpha, g.out.beta, g.out.gamma);
	assert_true(sse <= r_sse * (1 + 1e-10));
	golden_free(&g);
}

static void test_hw_fitted(void **state)
{
	(void)state;
	/* one parameter: R's optimize(), which we run step for step */
	hw_fitted("hw_ses_Nile", TS_HW_NONSEASONAL, false, 1e-9);
	/* two or three: R's L-BFGS-B stops early; ours goes lower */
	hw_fitted("hw_co2", TS_HW_ADDITIVE, true, 1e-5);
	hw_fitted("hw_AirPassengers", TS_HW_MULTIPLICATIVE, true, 1e-4);
	hw_fitted("hw_USAccDeaths", TS_HW_ADDITIVE, true, 1e-4);
	hw_fitted("hw_holt_Nile", TS_HW_NONSEASONAL, true, 1e-4);
}

static void test_theta(void **state)
{
	(void)state;
	const char *names[] = { "theta_AirPassengers", "theta_USAccDeaths", "theta_Nile", "theta_co2" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct golden g;

		golden_load(names[i], &g);
		golden_check(names[i], ts_fc_theta, &g, 1e-9, 1e-9, 1e-9);
		assert_near(g.out.alpha, param(&g.p, names[i], "alpha"), 1e-9);
		golden_free(&g);
	}
}

static void test_mstl(void **state)
{
	(void)state;
	const char *names[] = { "mstl_AirPassengers", "mstl_co2", "mstl_USAccDeaths",
				"mstl_UKDriverDeaths" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct golden g;
		char want[64];
		const char *method;

		golden_load(names[i], &g);
		golden_check(names[i], ts_fc_mstl, &g, 1e-9, 1e-9, 1e-9);
		method = g.p.text[4] + 64 * param_row(&g.p, names[i]);
		/* R writes "STL +  ETS(...)" with two spaces */
		snprintf(want, sizeof want, "STL + %s", method + 7);
		assert_string_equal(g.out.name, want);
		golden_free(&g);
	}
}

static void test_errors(void **state)
{
	(void)state;
	double y[30], buf[6 * 30];
	struct ts_fc_spec spec;
	struct ts_fc_out out = { buf, buf + 30, buf + 60, buf + 90, buf + 120, buf + 150,
				 "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };

	for (size_t i = 0; i < 30; i++)
		y[i] = 10 + (double)(i % 4);
	ts_fc_spec_init(&spec);
	spec.h = 5;
	assert_int_equal(ts_fc_snaive(y, 30, &spec, &out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "snaive needs a season length of at least 2");
	spec.m = 4;
	assert_int_equal(ts_fc_snaive(y, 4, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 4 points, need at least 5");
	assert_int_equal(ts_fc_snaive(y, 30, &spec, &out, &err), 0);
	assert_near(out.mean[4], y[26], 0);
	spec.level = 1;
	assert_int_equal(ts_fc_naive(y, 30, &spec, &out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "interval level must be between 0 and 1");
	spec.level = 0.8;
	y[3] = NAN;
	assert_int_equal(ts_fc_drift(y, 30, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "missing or infinite value at index 3");
	y[3] = 0;
	spec.hw_season = TS_HW_MULTIPLICATIVE;
	assert_int_equal(ts_fc_holt_winters(y, 30, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "multiplicative Holt-Winters needs non-zero data");
	spec.hw_season = TS_HW_ADDITIVE;
	assert_int_equal(ts_fc_holt_winters(y, 7, &spec, &out, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short for seasonal Holt-Winters: 7 points, "
			    "need two seasons (8)");
	spec.alpha = 1.5;
	assert_int_equal(ts_fc_holt_winters(y, 30, &spec, &out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "alpha must be in (0, 1]");
}

/* R's decompose() as the models use it, against the shared golden file. */
static void test_decompose(void **state)
{
	(void)state;
	struct table t;
	double trend[144], seas[144], figure[12];

	table_read(GOLDEN "AirPassengers_decompose_multiplicative.csv", ',', &t);
	assert_int_equal(t.nrow, 144);
	ts_classical_decompose(column(&t, "x"), 144, 12, true, trend, seas, figure);
	for (size_t i = 0; i < 144; i++) {
		assert_near(trend[i], column(&t, "trend")[i], 1e-9);
		assert_near(seas[i], column(&t, "seasonal")[i], 1e-12);
	}
	table_free(&t);
}

/* M4's Naive2 as its R benchmark code computes it (SeasonalityTest, decompose
 * multiplicative, naive on the adjusted series times the last indices), values
 * from R 4.2 with forecast 8.20; a series the test finds no season in gets
 * plain naive. */
static void test_naive2(void **state)
{
	(void)state;
	struct table t;
	const double mean[14] = { 437.482029956205, 424.694904581234, 484.168254771089,
				  469.047571495585, 471.677574175491, 534.831010909108,
				  589.516706990022, 586.323140173464, 509.70191731342,
				  443.022165724692, 385.068468834488, 432, 437.482029956205,
				  424.694904581234 };
	double buf[6 * 144], y[40];
	struct ts_fc_spec spec;
	struct ts_fc_out out = { buf, buf + 144, buf + 288, buf + 432, buf + 432 + 14, buf + 432 + 28,
				 "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ts_err err = { 0 };

	table_read(GOLDEN "AirPassengers_decompose_multiplicative.csv", ',', &t);
	ts_fc_spec_init(&spec);
	spec.m = 12;
	spec.h = 14;
	spec.raw_band = true;	/* naive's band times the indices, not calibrated */
	assert_int_equal(ts_fc_naive2(column(&t, "x"), 144, &spec, &out, &err), 0);
	assert_string_equal(out.name, "Naive2 (seasonally adjusted)");
	for (size_t j = 0; j < 14; j++)
		assert_near(out.mean[j], mean[j], 1e-9);
	assert_near(out.lower[0], 424.802413612065, 1e-9);
	assert_near(out.lower[13], 378.638825447581, 1e-9);
	table_free(&t);
	/* without a season, or with a flat one: the last value */
	for (size_t i = 0; i < 40; i++)
		y[i] = 1 + (double)i;
	spec.m = 1;
	assert_int_equal(ts_fc_naive2(y, 40, &spec, &out, &err), 0);
	assert_string_equal(out.name, "Naive2");
	assert_near(out.mean[13], 40, 0);
	spec.m = 4;
	assert_int_equal(ts_fc_naive2(y, 40, &spec, &out, &err), 0);
	assert_near(out.mean[13], 40, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decompose),
		cmocka_unit_test(test_naive),
		cmocka_unit_test(test_snaive),
		cmocka_unit_test(test_drift),
		cmocka_unit_test(test_hw_given),
		cmocka_unit_test(test_hw_fitted),
		cmocka_unit_test(test_theta),
		cmocka_unit_test(test_naive2),
		cmocka_unit_test(test_mstl),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
