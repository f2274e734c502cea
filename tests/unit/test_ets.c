/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ets: ETS fits, model choice and forecasts against R's forecast::ets
 * and forecast.ets (golden files in tests/data/golden/classical, see
 * SOURCE.md there), the Nelder-Mead port, and the argument checks. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "forecast/classical.h"
#include "core/tserr.h"
#include "forecast/ets.h"
#include "core/optim.h"

#include "golden_classical.h"


static const char *text_param(const struct table *p, const char *name, const char *key)
{
	for (size_t c = 0; c < p->ncol; c++)
		if (strcmp(p->names[c], key) == 0)
			return p->text[c] + 64 * param_row(p, name);
	fail_msg("no column %s", key);
	return NULL;
}

/* Fit golden name with model (NULL: "ZZZ") and damped; the same model as
 * R, a likelihood at least as good (or equal within 1e-9 relative), and
 * fitted values, forecasts and bounds within tol relative. */
static void ets_case(const char *name, const char *model, int damped, double tol)
{
	struct golden g;
	struct ts_err err = { 0 };
	double r_loglik, dfit, dmean, dlo, dhi;

	golden_load(name, &g);
	if (model != NULL)
		memcpy(g.spec.ets_model, model, 4);
	g.spec.ets_damped = damped;
	if (ts_fc_ets(g.y, g.n, &g.spec, &g.out, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	assert_string_equal(g.out.name, text_param(&g.p, name, "method"));
	r_loglik = param(&g.p, name, "loglik");
	dfit = max_rel(g.out.fitted, column(&g.t, "fitted"), g.n);
	dmean = max_rel(g.out.mean, column(&g.t, "mean") + g.n, g.h);
	dlo = max_rel(g.out.lower, column(&g.t, "lower") + g.n, g.h);
	dhi = max_rel(g.out.upper, column(&g.t, "upper") + g.n, g.h);
	print_message("%-22s %s loglik %.12g (R %.12g) fitted %.2g mean %.2g lower %.2g upper %.2g\n",
		      name, g.out.name, g.out.loglik, r_loglik, dfit, dmean, dlo, dhi);
	assert_true(g.out.loglik >= r_loglik - 1e-9 * fabs(r_loglik));
	assert_near(g.out.aicc, param(&g.p, name, "aicc"), 1e-9 * fabs(r_loglik) * 2 + 1e-9);
	assert_near(g.out.alpha, param(&g.p, name, "alpha"), tol);
	assert_near(g.out.sigma2 / param(&g.p, name, "sigma2"), 1, tol);
	assert_true(dfit <= tol && dmean <= tol && dlo <= tol && dhi <= tol);
	golden_free(&g);
}

static void test_ets_auto(void **state)
{
	(void)state;
	ets_case("ets_AirPassengers", NULL, -1, 1e-9);
	ets_case("ets_co2", NULL, -1, 1e-9);
	ets_case("ets_USAccDeaths", NULL, -1, 1e-9);
	ets_case("ets_Nile", NULL, -1, 1e-9);
	ets_case("ets_UKDriverDeaths", NULL, -1, 1e-9);
}

static void test_ets_fixed(void **state)
{
	(void)state;
	ets_case("ets_MAM_AirPassengers", "MAM", 0, 1e-9);
	ets_case("ets_AAdA_USAccDeaths", "AAA", 1, 1e-9);
	ets_case("ets_MNN_Nile", "MNN", -1, 1e-9);
}

/* The Rosenbrock function from R's optim() example: nmmin's answer. */
static double rosen(const double *x, void *ctx)
{
	(void)ctx;
	return 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);
}

static void test_nelder_mead(void **state)
{
	(void)state;
	double x[2] = { -1.2, 1 }, work[16], f;
	size_t count;

	assert_true(ts_nelder_mead_work_size(2) <= 16);
	f = ts_nelder_mead(2, x, rosen, NULL, -INFINITY, 1.490116119384765625e-8, 500, work, &count);
	/* optim(c(-1.2, 1), fr): par 1.000260 1.000506, value 8.825241e-08, 195 evaluations */
	assert_near(x[0], 1.000260, 1e-6);
	assert_near(x[1], 1.000506, 1e-6);
	assert_near(f, 8.825241e-08, 1e-13);
	assert_int_equal(count, 195);
}

static void test_ets_errors(void **state)
{
	(void)state;
	double y[40], fitted[40];
	struct ts_ets_opts o;
	struct ts_ets_fit fit;
	struct ts_err err = { 0 };

	for (size_t i = 0; i < 40; i++)
		y[i] = 5 + sin((double)i) + 0.1 * (double)i;
	ts_ets_opts_init(&o);
	memcpy(o.model, "QZZ", 4);
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "invalid ets model 'QZZ': want three letters, error A/M/Z, "
			    "trend N/A/M/Z, season N/A/M/Z");
	memcpy(o.model, "ANM", 4);
	o.m = 4;
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "forbidden ets model combination 'ANM'");
	memcpy(o.model, "ANA", 4);
	o.m = 1;
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), TS_EDATA);
	assert_string_equal(err.msg, "seasonal ets model for non-seasonal data");
	memcpy(o.model, "ZZZ", 4);
	assert_int_equal(ts_ets_fit(y, 6, &o, &fit, fitted, NULL, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short for ets: 6 points, need more than 6");
	y[0] = -1;
	memcpy(o.model, "MNN", 4);
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), TS_EDATA);
	assert_string_equal(err.msg, "multiplicative error needs strictly positive data");
	/* Z picks additive error for data that is not positive */
	memcpy(o.model, "ZZZ", 4);
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), 0);
	assert_int_equal(fit.error, TS_ETS_A);
	/* constant data: R's special case */
	for (size_t i = 0; i < 40; i++)
		y[i] = 3;
	assert_int_equal(ts_ets_fit(y, 40, &o, &fit, fitted, NULL, &err), 0);
	assert_string_equal(fit.name, "ETS(A,N,N)");
	assert_near(fitted[39], 3, 0);
}

/* A multiplicative trend has no analytic intervals: seeded simulation,
 * the same every run, around the point forecast. */
static void test_ets_simulated(void **state)
{
	(void)state;
	struct golden g;
	struct ts_err err = { 0 };
	double first[24];

	golden_load("ets_AirPassengers", &g);
	memcpy(g.spec.ets_model, "MMN", 4);
	g.spec.ets_mult_trend = true;
	g.spec.ets_damped = 1;
	g.spec.npaths = 2000;
	assert_int_equal(ts_fc_ets(g.y, g.n, &g.spec, &g.out, &err), 0);
	assert_string_equal(g.out.name, "ETS(M,Md,N)");
	memcpy(first, g.out.lower, sizeof first);
	for (size_t j = 0; j < g.h; j++)
		assert_true(g.out.lower[j] < g.out.mean[j] && g.out.mean[j] < g.out.upper[j]);
	assert_int_equal(ts_fc_ets(g.y, g.n, &g.spec, &g.out, &err), 0);
	for (size_t j = 0; j < g.h; j++)
		assert_near(g.out.lower[j], first[j], 0);
	golden_free(&g);
}

/* Model selection on 336 hourly points with a clear daily cycle picks a
 * seasonal model (its speed is measured by make bench, not here). */
static void test_ets_hourly_selection(void **state)
{
	(void)state;
	double y[336], fitted[336];
	struct ts_ets_opts o;
	struct ts_ets_fit fit;
	struct ts_err err = { 0 };
	unsigned long r = 12345;
	size_t len;

	for (size_t i = 0; i < 336; i++) {
		r = r * 6364136223846793005UL + 1442695040888963407UL;
		y[i] = 100 + 30 * sin(2 * M_PI * (double)i / 24) + 0.05 * (double)i +
		       (double)(r >> 40) / (double)(1UL << 24) * 10;
	}
	ts_ets_opts_init(&o);
	o.m = 24;
	assert_int_equal(ts_ets_fit(y, 336, &o, &fit, fitted, NULL, &err), 0);
	len = strlen(fit.name);
	assert_true(len > 2 && fit.name[len - 2] != 'N');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nelder_mead),
		cmocka_unit_test(test_ets_auto),
		cmocka_unit_test(test_ets_fixed),
		cmocka_unit_test(test_ets_simulated),
		cmocka_unit_test(test_ets_errors),
		cmocka_unit_test(test_ets_hourly_selection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
