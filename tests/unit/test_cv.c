/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cv: cutoffs and performance metrics against R prophet 1.0's
 * cross_validation and performance_metrics, and the model-agnostic driver. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/cv.h"
#include "io/tstime.h"

#define GOLDEN TS_TEST_DATA "/golden/prophet/"
#define HOUR (3600 * TS_US_PER_S)

static ts_time parse_ds(const char *s, size_t len)
{
	ts_time t;
	struct ts_tfmt fmt;
	struct ts_err err;

	assert_int_equal(ts_time_parse(s, len, TS_EPOCH_AUTO, &t, &fmt, &err), 0);
	return t;
}

/* The timestamps of hourly_counts.in.csv. */
static size_t read_times(ts_time *t, size_t max)
{
	char line[256];
	size_t n = 0;
	FILE *f = fopen(GOLDEN "hourly_counts.in.csv", "r");

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	while (n < max && fgets(line, sizeof line, f) != NULL)
		t[n++] = parse_ds(line, (size_t)(strchr(line, ',') - line));
	fclose(f);
	return n;
}

static void test_cutoffs_match_r(void **state)
{
	ts_time t[400], cut[400];
	size_t n = read_times(t, 400), ncut = 0, k = 0;
	struct ts_err err = { 0 };
	char line[64];
	FILE *f;

	(void)state;
	/* horizon 1 day; Prophet's defaults: period 12h, initial max(3 days, 1 day) */
	assert_int_equal(ts_cv_cutoffs(t, n, 24 * HOUR, 12 * HOUR, 72 * HOUR, cut, 400, &ncut, &err), 0);
	f = fopen(GOLDEN "cv_hourly_counts.cutoffs.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		assert_true(k < ncut);
		assert_true(cut[k] == parse_ds(line, strcspn(line, "\n")));
		k++;
	}
	fclose(f);
	assert_int_equal(k, ncut);
	assert_int_equal(ncut, 20);
}

static void test_cutoffs_errors(void **state)
{
	ts_time t[3] = { 0, HOUR, 2 * HOUR }, cut[8];
	size_t ncut;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_cv_cutoffs(t, 3, 5 * HOUR, HOUR, HOUR, cut, 8, &ncut, &err), TS_EDATA);
	assert_string_equal(err.msg, "less data than horizon");
	assert_int_equal(ts_cv_cutoffs(t, 3, HOUR, HOUR, 5 * HOUR, cut, 8, &ncut, &err), TS_EDATA);
	assert_string_equal(err.msg,
			    "less data than horizon after the initial window: make horizon or initial shorter");
}

/* Prophet's defaults: period half the horizon, initial three horizons or the
 * longest seasonality; given windows are kept; the horizon is required. */
static void test_default_windows(void **state)
{
	struct ts_cv_windows w = { 24 * HOUR, 0, 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_cv_default_windows(&w, 1, &err), 0);
	assert_true(w.horizon == 24 * HOUR && w.period == 12 * HOUR && w.initial == 72 * HOUR);
	w = (struct ts_cv_windows){ 24 * HOUR, 0, 0 };
	assert_int_equal(ts_cv_default_windows(&w, 7, &err), 0);	/* weekly: a week */
	assert_true(w.initial == 7 * 24 * HOUR);
	w = (struct ts_cv_windows){ 24 * HOUR, 5 * HOUR, 40 * HOUR };
	assert_int_equal(ts_cv_default_windows(&w, 365.25, &err), 0);
	assert_true(w.period == 5 * HOUR && w.initial == 40 * HOUR);
	w = (struct ts_cv_windows){ 0, 5 * HOUR, 40 * HOUR };
	assert_int_equal(ts_cv_default_windows(&w, 0, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--cv: give horizon=DUR (or -H)");
}

static void test_performance_matches_r(void **state)
{
	static struct ts_cv_row rows[1000];
	size_t n = 0, k = 0;
	char line[512];
	struct ts_cv_perf perf;
	struct ts_err err = { 0 };
	FILE *f = fopen(GOLDEN "cv_hourly_counts.rows.csv", "r");

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	/* ds,y,yhat,yhat_lower,yhat_upper,cutoff */
	while (fgets(line, sizeof line, f) != NULL) {
		char *fld[6], *p = line;
		for (int i = 0; i < 6; i++) {
			fld[i] = p;
			p = strpbrk(p, ",\n");
			if (p != NULL)
				*p++ = '\0';
		}
		rows[n].ds = parse_ds(fld[0], strlen(fld[0]));
		rows[n].y = atof(fld[1]);
		rows[n].yhat = atof(fld[2]);
		rows[n].lower = atof(fld[3]);
		rows[n].upper = atof(fld[4]);
		rows[n].cutoff = parse_ds(fld[5], strlen(fld[5]));
		n++;
	}
	fclose(f);
	assert_int_equal(ts_cv_performance(rows, n, 0.1, &perf, &err), 0);
	assert_true(perf.has_mape);
	f = fopen(GOLDEN "cv_hourly_counts.perf.csv", "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	/* horizon (seconds),mse,rmse,mae,mape,mdape,smape,coverage */
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line;
		double h = strtod(p, &p);
		assert_true(k < perf.n);
		assert_true(perf.horizon[k] == (ts_time)h * TS_US_PER_S);
		for (int m = 0; m <= TS_M_COVERAGE; m++) {
			double want = strtod(p + 1, &p);
			assert_near(perf.m[m][k], want, 1e-9 * (1 + fabs(want)));
		}
		k++;
	}
	fclose(f);
	assert_int_equal(k, perf.n);
	ts_cv_perf_free(&perf);
}

static void test_mape_skipped_near_zero(void **state)
{
	/* ds, cutoff, y, yhat, lower, upper */
	struct ts_cv_row rows[4] = {
		{ 1, 0, 0.0, 1, 0, 2 }, { 2, 1, 2, 3, 2, 5 }, { 2, 0, 4, 3, 2, 5 }, { 3, 1, 4, 6, 5, 7 },
	};
	struct ts_cv_perf perf;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_cv_performance(rows, 4, 0.5, &perf, &err), 0);
	assert_false(perf.has_mape);
	assert_true(isnan(perf.m[TS_M_MAPE][0]));
	/* horizons 1 and 2, two rows each, window 2: plain means per horizon */
	assert_int_equal(perf.n, 2);
	assert_near(perf.m[TS_M_MSE][0], 1, 1e-15);
	assert_near(perf.m[TS_M_MSE][1], 2.5, 1e-15);
	assert_near(perf.m[TS_M_MAE][1], (1 + 2) / 2.0, 1e-15);
	assert_near(perf.m[TS_M_COVERAGE][1], 0.5, 1e-15);
	ts_cv_perf_free(&perf);
}

/* A toy model for the driver: the last value seen, +-1. It checks that no
 * value after the cutoff leaks into the fit. */
static int last_value(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		      struct ts_err *err)
{
	double last = NAN;
	(void)cfg;
	(void)err;
	for (size_t i = 0; i < s->n; i++) {
		if (i >= s->from)
			assert_true(isnan(s->y[i]));
		if (!isnan(s->y[i]))
			last = s->y[i];
	}
	for (size_t i = s->from; i < s->n; i++) {
		r->yhat[i] = last;
		r->lower[i] = last - 1;
		r->upper[i] = last + 1;
	}
	return 0;
}

static void test_driver(void **state)
{
	ts_time t[10];
	double y[10], day[10];
	struct ts_fc_series s = { 0 };
	struct ts_cv_row *rows;
	size_t nrows;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++) {
		t[i] = i * HOUR;
		y[i] = i;
		day[i] = 0;
	}
	y[7] = NAN;	/* a gap is neither fitted nor scored */
	s.n = 10;
	s.t = t;
	s.y = y;
	s.day = day;
	assert_int_equal(ts_cv_run(last_value, NULL, &s, 2 * HOUR, HOUR, 3 * HOUR, &rows, &nrows, &err), 0);
	/* cutoffs 3h..7h: windows (c, c+2h] minus the gap at 7h */
	assert_int_equal(nrows, 8);
	assert_true(rows[0].cutoff == 3 * HOUR && rows[0].ds == 4 * HOUR);
	assert_near(rows[0].yhat, 3, 0);
	assert_near(ts_cv_score(rows, nrows, TS_M_MAE, NAN, 0.8), 1.75, 1e-12);
	assert_near(ts_cv_score(rows, nrows, TS_M_MASE, ts_mase_scale(y, 10, 1), 0.8), 1.75, 1e-12);
	assert_near(ts_cv_score(rows, nrows, TS_M_COVERAGE, NAN, 0.8), fabs(3 / 8.0 - 0.8), 1e-12);
	free(rows);
}

/* A toy model that records the span its folds were given. */
static int span_seen(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err)
{
	(void)err;
	assert_true(s->season_span == *(const ts_time *)cfg);
	for (size_t i = s->from; i < s->n; i++)
		r->yhat[i] = r->lower[i] = r->upper[i] = 0;
	return 0;
}

static void test_span(void **state)
{
	ts_time t[10], want = 9 * HOUR;
	double y[10], day[10];
	struct ts_fc_series s = { 0 };
	struct ts_cv_row *rows;
	size_t nrows;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++) {
		t[i] = i * HOUR;
		y[i] = i;
		day[i] = 0;
	}
	y[0] = NAN;
	s.n = 10;
	s.t = t;
	s.y = y;
	s.day = day;
	s.interval.us = HOUR;
	/* values at 1h..9h cover nine hours: the last one's hour counts */
	assert_true(ts_fc_span(&s) == want);
	s.interval.us = 0;
	assert_true(ts_fc_span(&s) == 8 * HOUR);
	s.interval.us = HOUR;
	/* every fold is told the whole history's span, not its own */
	assert_int_equal(ts_cv_run(span_seen, &want, &s, 2 * HOUR, HOUR, 3 * HOUR, &rows, &nrows, &err), 0);
	assert_int_equal(nrows, 8);	/* cutoffs 4h..7h */
	free(rows);
	s.season_span = want = 30 * HOUR;
	assert_true(ts_fc_span(&s) == want);
	assert_int_equal(ts_cv_run(span_seen, &want, &s, 2 * HOUR, HOUR, 3 * HOUR, &rows, &nrows, &err), 0);
	free(rows);
	y[2] = y[3] = y[4] = y[5] = y[6] = y[7] = y[8] = y[9] = NAN;
	s.season_span = 0;
	assert_true(ts_fc_span(&s) == 0);
}

static void test_metric_names(void **state)
{
	(void)state;
	for (int m = 0; m < TS_NMETRICS; m++)
		assert_int_equal(ts_metric_parse(ts_metric_name(m)), m);
	assert_int_equal(ts_metric_parse("r2"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cutoffs_match_r),
		cmocka_unit_test(test_cutoffs_errors),
		cmocka_unit_test(test_default_windows),
		cmocka_unit_test(test_performance_matches_r),
		cmocka_unit_test(test_mape_skipped_near_zero),
		cmocka_unit_test(test_driver),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_metric_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
