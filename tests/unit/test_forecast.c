/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_forecast: the model registry that --model, auto, --cv and --tune read:
 * its order, lookups, capability flags and auto's candidates. */
#include <stdbool.h>
#include <string.h>

#include "testutil.h"

#include "classical.h"
#include "forecast.h"

static const char *const order[] = { "prophet", "ets", "holt-winters", "naive", "snaive",
				     "msnaive", "snaive-ar", "naive2", "drift", "theta",
				     "mstl", "mstl-ar", "auto" };
#define NMODELS (sizeof order / sizeof order[0])

static void test_order_and_find(void **state)
{
	size_t k = 0;

	(void)state;
	for (const struct ts_fc_model *p = ts_fc_models; p->name != NULL; p++, k++) {
		assert_true(k < NMODELS);
		assert_string_equal(p->name, order[k]);
		assert_ptr_equal(ts_fc_model_find(p->name), p);
		assert_non_null(p->forecast);
	}
	assert_int_equal(k, NMODELS);
	assert_null(ts_fc_model_find("nope"));
	assert_null(ts_fc_model_find(""));
}

/* The message --model gives for an unknown name lists the table. */
static void test_names(void **state)
{
	char buf[512], small[12];

	(void)state;
	ts_fc_model_names(buf, sizeof buf);
	assert_string_equal(buf, "prophet, ets, holt-winters, naive, snaive, msnaive, snaive-ar, "
			    "naive2, drift, theta, mstl, mstl-ar, auto");
	ts_fc_model_names(small, sizeof small);
	assert_string_equal(small, "prophet, et");
}

/* Classical rows carry their kernel and need a regular grid; prophet alone
 * has components and is tunable; every model gives intervals. */
static void test_capabilities(void **state)
{
	(void)state;
	for (const struct ts_fc_model *p = ts_fc_models; p->name != NULL; p++) {
		bool prophet = strcmp(p->name, "prophet") == 0;
		assert_true(p->caps & TS_FC_INTERVALS);
		assert_int_equal((p->caps & TS_FC_COMPONENTS) != 0, prophet);
		assert_int_equal((p->caps & TS_FC_TUNABLE) != 0, prophet);
		assert_int_equal(p->kernel != NULL, p->settings == TS_FC_CLASSICAL);
		assert_int_equal((p->caps & TS_FC_REGULAR) != 0, p->settings == TS_FC_CLASSICAL);
		if (p->settings == TS_FC_CLASSICAL)
			assert_ptr_equal(p->forecast, ts_classical_forecast);
	}
	assert_int_equal(ts_fc_model_find("prophet")->settings, TS_FC_PROPHET);
	assert_int_equal(ts_fc_model_find("auto")->settings, TS_FC_AUTO);
	assert_ptr_equal(ts_fc_model_find("theta")->kernel, ts_fc_theta);
}

/* auto's candidates come from the table in rank order, seasonal naive first
 * (OWA's reference), prophet without simulated paths, classical candidates
 * with the run's interval and seed. */
static void test_auto_candidates(void **state)
{
	static struct ts_forecast f;
	static const char *const want[] = { "snaive", "msnaive", "snaive-ar", "theta", "mstl-ar",
					    "prophet" };

	(void)state;
	ts_forecast_init(&f);
	f.popts.interval_width = 0.9;
	f.popts.seed = 7;
	f.model = ts_fc_model_find("auto");
	ts_forecast_setup(&f);
	assert_int_equal(f.autocfg.ncandidates, 6);
	for (size_t i = 0; i < 6; i++) {
		const struct ts_auto_candidate *c = &f.autocfg.candidates[i];
		assert_string_equal(c->name, want[i]);
		assert_ptr_equal(c->forecast, ts_fc_model_find(want[i])->forecast);
		if (i < 5) {
			const struct ts_classical_cfg *cc = c->cfg;
			assert_ptr_equal(cc->model, ts_fc_model_find(want[i]));
			assert_near(cc->level, 0.9, 0);
			assert_int_equal(cc->seed, 7);
		} else {
			const struct ts_prophet_opts *po = c->cfg;
			assert_int_equal(po->samples, 0);
			assert_near(po->interval_width, 0.9, 0);
		}
	}
	assert_true(f.autocfg.owa);
	assert_near(f.autocfg.width, 0.9, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_auto_candidates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
