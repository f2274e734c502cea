/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_decompose: Box-Cox and Guerrero's lambda against R's forecast
 * (tests/data/golden/boxcox), MSTL with stl() options, the median method,
 * ts_decompose's checks and gaps, the summary figures, and period.c's grid
 * check and automatic period. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "series/boxcox.h"
#include "core/optim.h"
#include "series/decompose.h"
#include "core/tserr.h"
#include "series/period.h"
#include "series/stl.h"

#define BOXCOX TS_TEST_DATA "/golden/boxcox/"
#define STL TS_TEST_DATA "/golden/stl/"
#define PI 3.141592653589793

/* Column `col` (0-based) of a headed CSV of numbers; empty fields read as
 * NaN, other text as NaN too. Returns the count; *out is malloc'd. */
static size_t read_column(const char *path, size_t col, double **out)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t n = 0, cap = 0;
	double *v = NULL;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	if (fgets(line, sizeof line, f) == NULL)
		fail_msg("empty %s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *s = line, *end;
		size_t c;

		for (c = 0; c < col && s != NULL; c++) {
			s = strchr(s, ',');
			if (s != NULL)
				s++;
		}
		if (n == cap) {
			cap = cap == 0 ? 256 : 2 * cap;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[n] = NAN;
		if (s != NULL) {
			double x = strtod(s, &end);
			if (end != s && (*end == ',' || *end == '\n' || *end == '\r' || *end == '\0'))
				v[n] = x;
		}
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

/* Index of a column by header name. */
static size_t column_index(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t c = 0;

	if (f == NULL || fgets(line, sizeof line, f) == NULL)
		fail_msg("cannot read %s", path);
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	for (char *tok = strtok(line, ","); tok != NULL; tok = strtok(NULL, ","), c++)
		if (strcmp(tok, name) == 0)
			return c;
	fail_msg("no column %s in %s", name, path);
	return 0;
}

static size_t read_named(const char *path, const char *name, double **out)
{
	return read_column(path, column_index(path, name), out);
}

/* ---- Box-Cox ---- */

static void test_lambda_golden(void **state)
{
	FILE *f = fopen(BOXCOX "lambda.csv", "r");
	char line[512];
	size_t cases = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f) != NULL) {
		char name[64], path[256];
		double lower, want, got;
		size_t freq, n;
		double *y;
		struct ts_err err = { 0 };

		assert_int_equal(sscanf(line, "%63[^,],%zu,%lf,%lf", name, &freq, &lower, &want), 4);
		if (strcmp(name, "halfhourly") == 0)
			snprintf(path, sizeof path, "%s", STL "mstl_halfhourly_48_336.csv");
		else
			snprintf(path, sizeof path, BOXCOX "%s.csv", name);
		n = read_column(path, 1, &y);
		assert_int_equal(ts_boxcox_lambda(y, n, freq, lower, TS_BOXCOX_UPPER, &got, &err), 0);
		if (fabs(got - want) > 1e-6)
			print_error("%s lower %g\n", name, lower);
		assert_near(got, want, 1e-6);
		free(y);
		cases++;
	}
	fclose(f);
	assert_int_equal(cases, 16);
}

static void test_lambda_short_is_one(void **state)
{
	double y[24], lambda = 0.0;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < 24; i++)
		y[i] = 10.0 + (double)(i % 12) * (double)i;
	/* n <= 2 * frequency: R returns 1 without optimising */
	assert_int_equal(ts_boxcox_lambda(y, 24, 12, -1.0, 2.0, &lambda, &err), 0);
	assert_near(lambda, 1.0, 0.0);
	/* zeros raise the lower bound to 0 */
	y[3] = 0.0;
	assert_int_equal(ts_boxcox_lambda(y, 24, 2, -1.0, 2.0, &lambda, &err), 0);
	assert_true(lambda > 0.0 && lambda < 2.0);
}

static void test_boxcox_transform(void **state)
{
	double y[4] = { 1.0, NAN, 4.0, 0.5 }, out[4];
	size_t bad = 99;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_boxcox(y, 4, 0.0, out, &bad, &err), 0);
	assert_near(out[0], 0.0, 0.0);
	assert_true(isnan(out[1]));
	assert_near(out[2], log(4.0), 1e-15);
	assert_int_equal(ts_boxcox(y, 4, 0.5, out, &bad, &err), 0);
	assert_near(out[2], (2.0 - 1.0) / 0.5, 1e-15);
	assert_int_equal(ts_boxcox(y, 4, 2.0, out, &bad, &err), 0);
	assert_near(out[3], (0.25 - 1.0) / 2.0, 1e-15);
	/* in place */
	assert_int_equal(ts_boxcox(y, 4, 1.0, y, &bad, &err), 0);
	assert_near(y[2], 3.0, 0.0);

	double neg[3] = { 1.0, 2.0, -3.0 };
	assert_int_equal(ts_boxcox(neg, 3, 0.5, out, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 2);
	assert_string_equal(err.msg, "negative value -3: Box-Cox needs positive data");
	double zero[2] = { 1.0, 0.0 };
	assert_int_equal(ts_boxcox(zero, 2, 0.5, out, &bad, &err), 0);
	assert_near(out[1], -2.0, 0.0);
	assert_int_equal(ts_boxcox(zero, 2, 0.0, out, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 1);
	assert_string_equal(err.msg, "zero value: Box-Cox with lambda <= 0 needs positive data");
	double inf[2] = { INFINITY, 1.0 };
	assert_int_equal(ts_boxcox(inf, 2, 0.5, out, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 0);
	assert_string_equal(err.msg, "infinite value");
	assert_int_equal(ts_boxcox(zero, 2, NAN, out, &bad, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "Box-Cox lambda must be finite");
	/* y^lambda past DBL_MAX (found by fuzz_stl: the trend came out NaN) */
	double big[3] = { 1.0, 4.246e256, 2.0 };
	assert_int_equal(ts_boxcox(big, 3, 2.0, out, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 1);
	assert_string_equal(err.msg, "value 4.246e+256 overflows Box-Cox with lambda 2");
	double tiny[1] = { 5e-324 };
	assert_int_equal(ts_boxcox(tiny, 1, -10.0, out, &bad, &err), TS_EDATA);
	assert_int_equal(ts_boxcox(tiny, 1, -0.9, out, &bad, &err), 0);
	assert_true(isfinite(out[0]));
}

static double parabola(double x, void *ctx)
{
	(void)ctx;
	return (x - 0.3) * (x - 0.3) + 1.0;
}

static double nan_left(double x, void *ctx)
{
	(void)ctx;
	return x < 0.0 ? NAN : (x - 1.0) * (x - 1.0);
}

static void test_fmin(void **state)
{
	(void)state;
	assert_near(ts_brent_fmin(-1.0, 2.0, parabola, NULL, 1e-10), 0.3, 1e-8);
	/* R: optimize(function(x) (x - 0.3)^2 + 1, c(-1, 2)) gives 0.3 to ~1e-5 */
	assert_near(ts_brent_fmin(-1.0, 2.0, parabola, NULL, pow(2.0, -13)), 0.3, 1e-4);
	/* non-finite values count as DBL_MAX instead of stopping the search */
	assert_near(ts_brent_fmin(-2.0, 3.0, nan_left, NULL, 1e-8), 1.0, 1e-6);
}

/* ---- moving median ---- */

static void test_moving_median(void **state)
{
	const double x[20] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4 };
	/* R: runmed(x, 5, endrule = "constant") and runmed(x, 7, ...) */
	const double k5[20] = { 3, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5, 7, 8, 8, 7, 3, 3, 3, 3, 3 };
	const double k7[20] = { 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 6, 7, 7, 7, 7, 7, 4, 4, 4, 4 };
	double out[20];
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_moving_median(x, 20, 5, out, &err), 0);
	for (size_t i = 0; i < 20; i++)
		assert_near(out[i], k5[i], 0.0);
	assert_int_equal(ts_moving_median(x, 20, 7, out, &err), 0);
	for (size_t i = 0; i < 20; i++)
		assert_near(out[i], k7[i], 0.0);
	/* a window longer than the series is cut to it: the median everywhere */
	assert_int_equal(ts_moving_median(x, 5, 99, out, &err), 0);
	for (size_t i = 0; i < 5; i++)
		assert_near(out[i], 3.0, 0.0);
	/* even length: cut to n - 1 */
	assert_int_equal(ts_moving_median(x, 4, 9, out, &err), 0);
	assert_near(out[0], 3.0, 0.0);
	assert_near(out[3], 1.0, 0.0);
	assert_int_equal(ts_moving_median(x, 20, 1, out, &err), 0);
	assert_near(out[5], 9.0, 0.0);
	assert_int_equal(ts_moving_median(x, 20, 4, out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "median window must be odd");
}

/* ---- MSTL and ts_decompose ---- */

static void test_mstl_full_matches_mstl(void **state)
{
	double *y, *want_t, *want_s48, *want_s336, *want_r;
	const char *path = STL "mstl_halfhourly_48_336.csv";
	size_t n = read_named(path, "y", &y), periods[2] = { 48, 336 }, kept[2], nk, i;
	struct ts_stl_params tmpl;
	struct ts_err err = { 0 };
	double *t1 = malloc(n * sizeof *t1), *s1 = malloc(2 * n * sizeof *s1), *r1 = malloc(n * sizeof *r1);
	double *t2 = malloc(n * sizeof *t2), *s2 = malloc(2 * n * sizeof *s2), *r2 = malloc(n * sizeof *r2);
	double *w1 = malloc(ts_mstl_work_size(n, periods, 2) * sizeof *w1);
	double *w2 = malloc(ts_mstl_full_work_size(n, periods, 2) * sizeof *w2);

	(void)state;
	read_named(path, "trend", &want_t);
	read_named(path, "seasonal_48", &want_s48);
	read_named(path, "seasonal_336", &want_s336);
	read_named(path, "remainder", &want_r);
	assert_int_equal(ts_mstl(y, n, periods, 2, NULL, t1, s1, r1, kept, &nk, NULL, NULL, w1, &err), 0);
	ts_stl_defaults(&tmpl, 2, 0, false);
	assert_int_equal(ts_mstl_full(y, n, periods, 2, &tmpl, NULL, 0, 2, t2, s2, r2, NULL, w2, &err), 0);
	for (i = 0; i < n; i++) {
		/* the same loop, so the same bits */
		assert_true(t1[i] == t2[i] && s1[i] == s2[i] && s1[n + i] == s2[n + i] && r1[i] == r2[i]);
		assert_near(t2[i], want_t[i], 1e-6);
		assert_near(s2[i], want_s48[i], 1e-6);
		assert_near(s2[n + i], want_s336[i], 1e-6);
		assert_near(r2[i], want_r[i], 1e-6);
	}
	/* stl() options reach every fit: a longer trend window changes the trend */
	tmpl.t_window = 1001;
	assert_int_equal(ts_mstl_full(y, n, periods, 2, &tmpl, NULL, 0, 2, t2, s2, r2, NULL, w2, &err), 0);
	assert_true(fabs(t2[n / 2] - t1[n / 2]) > 1e-6);
	/* and their errors name the period */
	tmpl.t_window = 4;
	assert_int_equal(ts_mstl_full(y, n, periods, 2, &tmpl, NULL, 0, 2, t2, s2, r2, NULL, w2, &err),
			 TS_EUSAGE);
	assert_string_equal(err.msg, "period 48: trend window must be odd and at least 3");
	free(y), free(want_t), free(want_s48), free(want_s336), free(want_r);
	free(t1), free(s1), free(r1), free(t2), free(s2), free(r2), free(w1), free(w2);
}

/* A zero-initialised parameter set with R's stl() defaults. */
static struct ts_decomp_params defaults(bool robust)
{
	struct ts_decomp_params p;

	memset(&p, 0, sizeof p);
	ts_stl_defaults(&p.stl, 2, 0, robust);
	return p;
}

static void test_decompose_single_period_is_stl(void **state)
{
	/* co2 with s.window 7: the golden stl() output */
	double *y, *want_s, *want_t, *want_r;
	const char *path = STL "co2_s7.csv";
	size_t n = read_named(path, "y", &y), period = 12;
	struct ts_decomp_params p = defaults(false);
	struct ts_decomp d;
	struct ts_decomp_summary sum;
	struct ts_err err = { 0 };
	double *strength;

	(void)state;
	read_named(path, "seasonal", &want_s);
	read_named(path, "trend", &want_t);
	read_named(path, "remainder", &want_r);
	p.s_windows[0] = 7;
	p.ns_windows = 1;
	assert_int_equal(ts_decompose(y, n, &period, 1, &p, &d, &err), 0);
	assert_int_equal(d.nkept, 1);
	assert_int_equal(d.kept[0], 12);
	assert_int_equal(d.ndropped, 0);
	assert_true(isnan(d.lambda));
	for (size_t i = 0; i < n; i++) {
		assert_near(d.seasonal[i], want_s[i], 1e-8);
		assert_near(d.trend[i], want_t[i], 1e-8);
		assert_near(d.remainder[i], want_r[i], 1e-8);
		assert_near(d.weights[i], 1.0, 0.0);
	}
	/* the summary's strengths are R's (strength.csv) */
	assert_int_equal(ts_decomp_summarize(&d, &sum, &err), 0);
	read_column(STL "strength.csv", 1, &strength);
	assert_near(sum.seasonal_strength, strength[0], 1e-8);
	free(strength);
	read_column(STL "strength.csv", 2, &strength);
	assert_near(sum.trend_strength, strength[0], 1e-8);
	assert_int_equal(sum.n, n);
	assert_int_equal(sum.nmissing, 0);
	assert_true(sum.sigma > 0.1 && sum.sigma < 0.3);
	free(strength);
	ts_decomp_free(&d);
	free(y), free(want_s), free(want_t), free(want_r);
}

static void test_decompose_boxcox_auto_is_mstl(void **state)
{
	/* forecast::mstl(AirPassengers, lambda = "auto") */
	double *y, *want_s, *want_t, *want_r;
	const char *path = BOXCOX "airpass_mstl_auto.csv";
	size_t n = read_named(path, "y", &y), period = 12;
	struct ts_decomp_params p = defaults(false);
	struct ts_decomp d;
	struct ts_err err = { 0 };

	(void)state;
	read_named(path, "seasonal", &want_s);
	read_named(path, "trend", &want_t);
	read_named(path, "remainder", &want_r);
	p.boxcox = p.boxcox_auto = true;
	assert_int_equal(ts_decompose(y, n, &period, 1, &p, &d, &err), 0);
	assert_near(d.lambda, -0.29470461435013351, 1e-6);
	for (size_t i = 0; i < n; i++) {
		assert_near(d.seasonal[i], want_s[i], 1e-8);
		assert_near(d.trend[i], want_t[i], 1e-8);
		assert_near(d.remainder[i], want_r[i], 1e-8);
	}
	ts_decomp_free(&d);
	/* a given lambda is used as it is */
	p.boxcox_auto = false;
	p.lambda = 0.0;
	assert_int_equal(ts_decompose(y, n, &period, 1, &p, &d, &err), 0);
	assert_near(d.lambda, 0.0, 0.0);
	assert_near(d.trend[0] + d.seasonal[0] + d.remainder[0], log(y[0]), 1e-12);
	ts_decomp_free(&d);
	free(y), free(want_s), free(want_t), free(want_r);
}

static void test_decompose_nonseasonal_is_supsmu(void **state)
{
	double *y, *want_t;
	const char *path = STL "mstl_nonseasonal_300.csv";
	size_t n = read_named(path, "y", &y);
	struct ts_decomp_params p = defaults(false);
	struct ts_decomp d;
	struct ts_decomp_summary sum;
	struct ts_err err = { 0 };

	(void)state;
	read_named(path, "trend", &want_t);
	assert_int_equal(ts_decompose(y, n, NULL, 0, &p, &d, &err), 0);
	assert_int_equal(d.nkept, 0);
	assert_null(d.seasonal);
	assert_null(d.weights);
	for (size_t i = 0; i < n; i++) {
		assert_near(d.trend[i], want_t[i], 1e-8);
		assert_near(d.remainder[i], y[i] - want_t[i], 1e-8);
	}
	assert_int_equal(ts_decomp_summarize(&d, &sum, &err), 0);
	assert_true(isnan(sum.seasonal_strength));
	ts_decomp_free(&d);
	free(y), free(want_t);
}

/* A daily cycle of 24 points over `days` days with a slow trend. */
static double *daily(size_t days)
{
	double *y = malloc(24 * days * sizeof *y);

	for (size_t i = 0; i < 24 * days; i++)
		y[i] = 50.0 + 0.01 * (double)i + 10.0 * sin(2.0 * PI * (double)i / 24.0) +
		       0.5 * cos(2.0 * PI * (double)i * 7.0 / 24.0 + 1.0);
	return y;
}

static void test_decompose_checks(void **state)
{
	struct ts_decomp_params p = defaults(false);
	struct ts_decomp d;
	struct ts_err err = { 0 };
	double missing[3] = { NAN, NAN, NAN }, flat[4] = { 2, NAN, 2, 2 }, inf[4] = { 1, 2, -INFINITY, 3 };
	size_t p24 = 24, pp[3] = { 168, 24, 24 }, p1 = 1;
	double *y = daily(10);

	(void)state;
	assert_int_equal(ts_decompose(missing, 3, &p24, 1, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "all values are missing");
	assert_int_equal(ts_decompose(missing, 0, NULL, 0, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "all values are missing");
	assert_int_equal(ts_decompose(flat, 4, &p24, 1, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "constant series (every value is 2)");
	assert_int_equal(d.bad, SIZE_MAX);
	assert_int_equal(ts_decompose(inf, 4, &p24, 1, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "infinite value");
	assert_int_equal(d.bad, 2);
	/* one period: n must exceed two periods (R's stl()) */
	assert_int_equal(ts_decompose(y, 48, &p24, 1, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "too short for period 24: 48 points, need at least 49");
	assert_int_equal(ts_decompose(y, 49, &p24, 1, &p, &d, &err), 0);
	ts_decomp_free(&d);
	/* several: the long ones are dropped (duplicates merged), as mstl does */
	assert_int_equal(ts_decompose(y, 240, pp, 3, &p, &d, &err), 0);
	assert_int_equal(d.nkept, 1);
	assert_int_equal(d.kept[0], 24);
	assert_int_equal(d.ndropped, 1);
	assert_int_equal(d.dropped[0], 168);
	ts_decomp_free(&d);
	assert_int_equal(ts_decompose(y, 40, pp, 3, &p, &d, &err), TS_EDATA);
	assert_string_equal(err.msg, "too short for period 24: 40 points, need at least 49");
	assert_int_equal(ts_decompose(y, 240, &p1, 1, &p, &d, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period must be at least 2");
	size_t many[9] = { 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	assert_int_equal(ts_decompose(y, 240, many, 9, &p, &d, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "at most 8 seasonal periods");
	p.ns_windows = 3;
	p.s_windows[0] = p.s_windows[1] = p.s_windows[2] = 7;
	assert_int_equal(ts_decompose(y, 240, pp, 3, &p, &d, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "3 seasonal windows for 2 periods");
	/* Box-Cox refuses negative data and says where */
	p = defaults(false);
	p.boxcox = p.boxcox_auto = true;
	y[30] = -1.0;
	assert_int_equal(ts_decompose(y, 240, &p24, 1, &p, &d, &err), TS_EDATA);
	assert_int_equal(d.bad, 30);
	assert_string_equal(err.msg, "negative value -1: Box-Cox needs positive data");
	free(y);
}

static void test_decompose_gaps(void **state)
{
	double *y = daily(14), *full = daily(14);
	struct ts_decomp_params p = defaults(true);
	struct ts_decomp d;
	size_t p24 = 24, holes[] = { 0, 5, 100, 101, 102, 335 };
	struct ts_err err = { 0 };
	struct ts_decomp_summary sum;

	(void)state;
	for (size_t k = 0; k < sizeof holes / sizeof holes[0]; k++)
		y[holes[k]] = NAN;
	assert_int_equal(ts_decompose(y, 336, &p24, 1, &p, &d, &err), 0);
	assert_int_equal(d.nmissing, 6);
	for (size_t i = 0, k = 0; i < 336; i++) {
		bool hole = k < 6 && holes[k] == i;
		if (hole) {
			k++;
			assert_true(isnan(d.remainder[i]));
			assert_true(isnan(d.weights[i]));
			/* the components are there, close to the full series' own */
			assert_near(d.trend[i] + d.seasonal[i], full[i], 0.6);
		} else {
			assert_false(isnan(d.remainder[i]));
			assert_near(d.trend[i] + d.seasonal[i] + d.remainder[i], y[i], 1e-9);
		}
	}
	assert_int_equal(ts_decomp_summarize(&d, &sum, &err), 0);
	assert_int_equal(sum.nmissing, 6);
	assert_true(sum.seasonal_strength > 0.9);
	ts_decomp_free(&d);
	free(y);
	free(full);
}

static void test_decompose_median_method(void **state)
{
	double *y = daily(21);
	size_t n = 24 * 21, p24 = 24, pp[2] = { 24, 168 };
	struct ts_decomp_params p = defaults(true);
	struct ts_decomp d;
	struct ts_err err = { 0 };

	(void)state;
	/* outliers move neither the trend nor the seasonal */
	y[200] += 500.0;
	y[201] += 500.0;
	p.method = TS_DECOMP_MEDIAN;
	assert_int_equal(ts_decompose(y, n, &p24, 1, &p, &d, &err), 0);
	for (size_t i = 12; i + 12 < n; i++) {
		assert_near(d.trend[i], 50.0 + 0.01 * (double)i, 3.0);
		assert_near(d.trend[i] + d.seasonal[i] + d.remainder[i], y[i], 1e-9);
	}
	assert_true(d.remainder[200] > 450.0);
	/* periodic seasonal: the same value every cycle */
	assert_near(d.seasonal[5], d.seasonal[5 + 24 * 10], 1e-12);
	assert_true(d.weights[200] < 1e-9);
	ts_decomp_free(&d);
	/* several periods, and an explicit window */
	p.median_window = 49;
	assert_int_equal(ts_decompose(y, n, pp, 2, &p, &d, &err), 0);
	assert_int_equal(d.nkept, 2);
	for (size_t i = 0; i < n; i++)
		assert_near(d.trend[i] + d.seasonal[i] + d.seasonal[n + i] + d.remainder[i], y[i], 1e-9);
	ts_decomp_free(&d);
	/* no period: the trend alone */
	p.median_window = 0;
	assert_int_equal(ts_decompose(y, n, NULL, 0, &p, &d, &err), 0);
	assert_null(d.seasonal);
	assert_near(d.trend[n / 2] + d.remainder[n / 2], y[n / 2], 1e-12);
	ts_decomp_free(&d);
	free(y);
}

/* Values near DBL_MAX (found by fuzz_stl): supsmu's sums overflowed to a
 * NaN trend. Every method now decomposes y / 2^k and scales back, exactly:
 * the parts are 2^k times those of the scaled series. */
static void test_decompose_huge_values(void **state)
{
	const size_t n = 120;
	double y[120], ys[120];
	size_t periods[2] = { 12, 30 };
	struct ts_decomp_params p;
	struct ts_decomp d, ds;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		y[i] = (i % 7 == 3 ? -9.7e306 : 1.3e307) * (1 + 0.1 * sin((double)i));
		ys[i] = ldexp(y[i], -200);
	}
	y[40] = NAN;	/* a gap, interpolated */
	ys[40] = NAN;
	for (int method = 0; method < 2; method++) {
		for (size_t np = 0; np <= 2; np++) {
			memset(&p, 0, sizeof p);
			p.method = method == 0 ? TS_DECOMP_STL : TS_DECOMP_MEDIAN;
			ts_stl_defaults(&p.stl, 2, TS_STL_PERIODIC, method == 1);
			assert_int_equal(ts_decompose(y, n, periods, np, &p, &d, NULL), 0);
			assert_int_equal(ts_decompose(ys, n, periods, np, &p, &ds, NULL), 0);
			for (size_t i = 0; i < n; i++) {
				assert_false(isnan(d.trend[i]));
				assert_true(d.trend[i] == ldexp(ds.trend[i], 200));
				for (size_t k = 0; k < d.nkept; k++)
					assert_true(d.seasonal[k * n + i] == ldexp(ds.seasonal[k * n + i], 200));
				assert_true(i == 40 ? isnan(d.remainder[i])
						    : d.remainder[i] == ldexp(ds.remainder[i], 200));
			}
			ts_decomp_free(&d);
			ts_decomp_free(&ds);
		}
	}
}

static void test_summary_sigma(void **state)
{
	double trend[5] = { 1, 2, 3, 4, 5 }, rem[5] = { -1, NAN, 0, 2, 1 };
	struct ts_decomp d = { .n = 5, .trend = trend, .remainder = rem, .nmissing = 1 };
	struct ts_decomp_summary s;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_decomp_summarize(&d, &s, &err), 0);
	/* remainder -1 0 2 1: median 0.5, |r - 0.5| 1.5 0.5 1.5 0.5, MAD 1 */
	assert_near(s.sigma, 1.4826, 1e-12);
	assert_true(isnan(s.seasonal_strength));
	assert_int_equal(s.n, 5);
	assert_int_equal(s.nmissing, 1);
}

/* ---- period.c additions ---- */

static void test_grid_check(void **state)
{
	const ts_time h = 3600 * TS_US_PER_S;
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	struct ts_tfmt fmt = { .kind = TS_TK_DATETIME, .sep = ' ', .seconds = true };
	struct ts_dur hour = { 0, h }, month = { 1, 0 };
	ts_time ok[4] = { 0, h, 2 * h, 3 * h }, gap[4] = { 0, h, 3 * h, 4 * h };
	ts_time dup[3] = { 0, h, h }, back[3] = { 0, h, 0 };
	ts_time months[3] = { ts_days_from_civil(2018, 1, 31) * TS_US_PER_DAY,
			      ts_days_from_civil(2018, 2, 28) * TS_US_PER_DAY,
			      ts_days_from_civil(2018, 3, 31) * TS_US_PER_DAY };
	size_t bad = 0;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_interval_check_grid(ok, 4, &hour, &utc, &fmt, &bad, &err), 0);
	assert_int_equal(ts_interval_check_grid(ok, 0, &hour, &utc, &fmt, &bad, &err), 0);
	assert_int_equal(ts_interval_check_grid(gap, 4, &hour, &utc, &fmt, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 2);
	assert_string_equal(err.msg, "irregular series: 1970-01-01 03:00:00 follows 1970-01-01 01:00:00, "
				     "expected 1970-01-01 02:00:00 (interval 1h)");
	assert_int_equal(ts_interval_check_grid(dup, 3, &hour, &utc, &fmt, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 2);
	assert_int_equal(ts_interval_check_grid(back, 3, &hour, &utc, &fmt, NULL, &err), TS_EDATA);
	/* months step on the calendar: Jan 31 + 1 month is Feb 28 (clamped),
	 * and Feb 28 + 1 month is Mar 28, so Mar 31 is off the grid */
	assert_int_equal(ts_interval_check_grid(months, 2, &month, &utc, &fmt, &bad, &err), 0);
	assert_int_equal(ts_interval_check_grid(months, 3, &month, &utc, &fmt, &bad, &err), TS_EDATA);
	assert_int_equal(bad, 2);
}

static void test_period_auto(void **state)
{
	size_t n = 24 * 30, period = 99, i;
	double *y = malloc(n * sizeof *y), acf = 0.0;
	struct ts_err err = { 0 };
	unsigned long seed = 12345;

	(void)state;
	/* a noisy daily cycle on a trend */
	for (i = 0; i < n; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		y[i] = 0.05 * (double)i + 5.0 * sin(2.0 * PI * (double)i / 24.0) +
		       10.0 * ((double)(seed >> 11) / 9007199254740992.0 - 0.5);
	}
	assert_int_equal(ts_period_auto(y, n, &period, &acf, &err), 0);
	assert_int_equal(period, 24);
	assert_true(acf > 0.2 && acf < 1.0);
	/* white noise and a pure trend have none */
	for (i = 0; i < n; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		y[i] = (double)(seed >> 11) / 9007199254740992.0;
	}
	assert_int_equal(ts_period_auto(y, n, &period, &acf, &err), 0);
	assert_int_equal(period, 0);
	assert_true(isnan(acf));
	for (i = 0; i < n; i++)
		y[i] = 3.0 * (double)i - 7.0;
	assert_int_equal(ts_period_auto(y, n, &period, &acf, &err), 0);
	assert_int_equal(period, 0);
	/* too short to say */
	assert_int_equal(ts_period_auto(y, 7, &period, &acf, &err), 0);
	assert_int_equal(period, 0);
	/* the longest period it can find has three cycles */
	for (i = 0; i < 30; i++)
		y[i] = (i % 10 < 5) ? 1.0 : -1.0;
	assert_int_equal(ts_period_auto(y, 30, &period, &acf, &err), 0);
	assert_int_equal(period, 10);
	assert_int_equal(ts_period_auto(y, 29, &period, &acf, &err), 0);
	assert_int_equal(period, 0);
	free(y);
}

/* --boxcox's one parser, shared by ts-decompose and ts-detect. */
static void test_boxcox_parse(void **state)
{
	struct ts_err err = { 0 };
	bool is_auto;
	double lambda = 7;

	(void)state;
	assert_int_equal(ts_boxcox_parse("auto", &is_auto, &lambda, &err), 0);
	assert_true(is_auto);
	assert_int_equal(ts_boxcox_parse("-0.5", &is_auto, &lambda, &err), 0);
	assert_false(is_auto);
	assert_true(lambda == -0.5);
	assert_int_equal(ts_boxcox_parse("10", &is_auto, &lambda, &err), 0);
	assert_true(lambda == 10);
	assert_int_equal(ts_boxcox_parse("10.5", &is_auto, &lambda, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "invalid value \"10.5\" (expected auto or a number in -10..10)");
	assert_int_equal(ts_boxcox_parse("nan", &is_auto, &lambda, &err), TS_EUSAGE);
	assert_int_equal(ts_boxcox_parse("", &is_auto, &lambda, &err), TS_EUSAGE);
	assert_int_equal(ts_boxcox_parse("inf", &is_auto, &lambda, &err), TS_EUSAGE);
	assert_int_equal(ts_boxcox_parse("1x", &is_auto, &lambda, &err), TS_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boxcox_parse),
		cmocka_unit_test(test_lambda_golden),
		cmocka_unit_test(test_lambda_short_is_one),
		cmocka_unit_test(test_boxcox_transform),
		cmocka_unit_test(test_fmin),
		cmocka_unit_test(test_moving_median),
		cmocka_unit_test(test_mstl_full_matches_mstl),
		cmocka_unit_test(test_decompose_single_period_is_stl),
		cmocka_unit_test(test_decompose_boxcox_auto_is_mstl),
		cmocka_unit_test(test_decompose_nonseasonal_is_supsmu),
		cmocka_unit_test(test_decompose_checks),
		cmocka_unit_test(test_decompose_gaps),
		cmocka_unit_test(test_decompose_median_method),
		cmocka_unit_test(test_decompose_huge_values),
		cmocka_unit_test(test_summary_sigma),
		cmocka_unit_test(test_grid_check),
		cmocka_unit_test(test_period_auto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
