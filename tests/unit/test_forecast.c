/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_forecast: the model registry that --model, auto, --cv and --tune read:
 * its order, lookups, capability flags and auto's candidates. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/classical.h"
#include "forecast/forecast.h"

static const char *const order[] = { "prophet", "ets", "holt-winters", "naive", "snaive",
				     "msnaive", "snaive-ar", "naive2", "drift", "theta",
				     "mstl", "mstl-ar", "dhr", "auto" };
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
			    "naive2, drift, theta, mstl, mstl-ar, dhr, auto");
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
 * (OWA's reference), classical candidates with the run's interval and seed;
 * prophet, without simulated paths, only when the run gives it something the
 * others cannot use (here a holiday; regressors, seasonalities and a cap too). */
static void test_auto_candidates(void **state)
{
	static struct ts_forecast f;
	static const char *const want[] = { "snaive", "msnaive", "snaive-ar", "theta", "mstl-ar",
					    "dhr", "prophet" };
	static const struct ts_prophet_holiday day = { "day", 18000, 0, 0, 10 };

	(void)state;
	for (int informed = 0; informed <= 1; informed++) {
		size_t n = informed ? 7 : 6;

		ts_forecast_init(&f);
		f.popts.interval_width = 0.9;
		f.popts.seed = 7;
		if (informed) {
			f.popts.holidays = &day;
			f.popts.nholidays = 1;
		}
		f.model = ts_fc_model_find("auto");
		ts_forecast_setup(&f);
		assert_int_equal(f.autocfg.ncandidates, n);
		for (size_t i = 0; i < n; i++) {
			const struct ts_auto_candidate *c = &f.autocfg.candidates[i];
			assert_string_equal(c->name, want[i]);
			assert_ptr_equal(c->forecast, ts_fc_model_find(want[i])->forecast);
			if (i < 6) {
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
	}
	assert_true(f.autocfg.owa);
	assert_near(f.autocfg.width, 0.9, 0);
}

static const char three_days[] = "ds,y,cap,x\n2020-01-01,1,10,5\n2020-01-02,2,10,6\n2020-01-03,4,10,7\n";

static void read_table(const char *text, struct ts_table *tab, struct ts_roles *roles)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ts_err err = { 0 };

	assert_non_null(f);
	memset(tab, 0, sizeof *tab);
	assert_int_equal(ts_table_read(tab, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(tab, NULL, "y", NULL, roles, &err), 0);
}

/* Cap, floor and regressors are found by name; the errors name the option. */
static void test_columns(void **state)
{
	static struct ts_forecast f;
	struct ts_table tab;
	struct ts_roles roles;
	struct ts_err err = { 0 };

	(void)state;
	read_table(three_days, &tab, &roles);
	ts_forecast_init(&f);
	f.popts.growth = TS_PROPHET_LOGISTIC;
	f.popts.nregressors = 1;
	snprintf(f.regs[0].name, sizeof f.regs[0].name, "x");
	assert_int_equal(ts_forecast_columns(&f, &tab, &roles, &err), 0);
	assert_int_equal(f.cap_col, 2);
	assert_int_equal(f.floor_col, TS_NO_COL);
	assert_int_equal(f.reg_col[0], 3);
	snprintf(f.regs[0].name, sizeof f.regs[0].name, "y");
	assert_int_equal(ts_forecast_columns(&f, &tab, &roles, &err), TS_EDATA);
	assert_string_equal(err.msg, "--regressor: \"y\" is the time or value column");
	snprintf(f.regs[0].name, sizeof f.regs[0].name, "nope");
	assert_int_equal(ts_forecast_columns(&f, &tab, &roles, &err), TS_EDATA);
	assert_string_equal(err.msg, "--regressor: no column \"nope\" (columns: ds, y, cap, x)");
	ts_table_free(&tab);
	read_table("ds,y\n2020-01-01,1\n", &tab, &roles);
	assert_int_equal(ts_forecast_columns(&f, &tab, &roles, &err), TS_EDATA);
	assert_string_equal(err.msg, "--growth logistic needs a \"cap\" column (columns: ds, y)");
	ts_table_free(&tab);
}

/* A whole run with the naive model and -H 2: header, each history row's
 * one-step forecast, the future rows on the daily grid, the -v line. */
static void test_naive_run(void **state)
{
	static struct ts_forecast f;
	struct ts_table tab;
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_outcols outcols;
	struct ts_load_opts load = { TS_EPOCH_AUTO, NULL, false, NULL, NULL };
	struct ts_buf out = { 0 }, msg = { 0 };
	struct ts_fc_work *w = NULL;
	struct ts_err err = { 0 };
	const char *want[] = { "ds,y,cap,x,yhat,yhat_lower,yhat_upper",
			       "2020-01-01,1,10,5,,,",
			       "2020-01-02,2,10,6,1,",
			       "2020-01-03,4,10,7,2,",
			       "2020-01-04,,,,4,",
			       "2020-01-05,,,,4," };
	char *line, *save;
	size_t k = 0;

	(void)state;
	read_table(three_days, &tab, &roles);
	ts_forecast_init(&f);
	f.model = ts_fc_model_find("naive");
	f.horizon.given = f.horizon.is_count = true;
	f.horizon.count = 2;
	ts_forecast_setup(&f);
	assert_int_equal(ts_forecast_columns(&f, &tab, &roles, &err), 0);
	assert_int_equal(ts_groups_build(&tab, &roles, &groups, &err), 0);
	assert_int_equal(ts_forecast_start(&f, &tab, &roles, &groups, &err), 0);
	assert_false(f.store);
	assert_int_equal(ts_forecast_header(&f, &outcols, &out, &err), 0);
	assert_int_equal(ts_forecast_series(&f, 0, &load, "t", &w, &out, &msg, &err), 0);
	assert_non_null(w);
	assert_int_equal(w->in.n, 5);
	ts_buf_putc(&out, '\0');
	ts_buf_putc(&msg, '\0');
	assert_false(out.failed || msg.failed);
	assert_string_equal(msg.data, "t: 3 rows, 2 rows forecast, interval 1d, model naive\n");
	for (line = strtok_r(out.data, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save), k++) {
		assert_true(k < 6);
		assert_memory_equal(line, want[k], strlen(want[k]));
	}
	assert_int_equal(k, 6);
	ts_fc_work_free(w);
	ts_outcols_free(&outcols);
	ts_forecast_free(&f);
	ts_buf_free(&out);
	ts_buf_free(&msg);
	ts_groups_free(&groups);
	ts_table_free(&tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_auto_candidates),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_naive_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
