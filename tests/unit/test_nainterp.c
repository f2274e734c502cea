/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_nainterp: ts_na_interp against R's forecast::na.interp (golden files
 * in tests/data/golden/nainterp, made by gen.R there; see SOURCE.md), and
 * its edge cases and error messages. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "core/tserr.h"
#include "series/nainterp.h"

#define GOLDEN TS_TEST_DATA "/golden/nainterp/"

/* Agreement with R on every filled value. The seasonal path goes through a
 * least-squares fit (our polynomial basis and QR differ from R's poly() and
 * lm(), the fitted space is the same) and robust MSTL; observed differences
 * are below 1e-11 (see SOURCE.md), so 1e-9 leaves room for other libms. */
#define TOL 1e-9

/* Read a golden file: columns y (empty = missing) and filled. */
static size_t read_golden(const char *name, double **y, double **filled)
{
	char path[256], line[256];
	size_t n = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof path, GOLDEN "%s.csv", name);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	*y = NULL;
	*filled = NULL;
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "y,filled\n");
	while (fgets(line, sizeof line, f) != NULL) {
		char *comma = strchr(line, ',');

		assert_non_null(comma);
		if (n == cap) {
			cap = cap == 0 ? 256 : 2 * cap;
			*y = realloc(*y, cap * sizeof **y);
			*filled = realloc(*filled, cap * sizeof **filled);
			assert_non_null(*y);
			assert_non_null(*filled);
		}
		(*y)[n] = comma == line ? NAN : strtod(line, NULL);
		(*filled)[n] = strtod(comma + 1, NULL);
		n++;
	}
	fclose(f);
	return n;
}

struct golden_case {
	const char *name;
	size_t periods[2];
	size_t nperiods;
};

static void run_case(const struct golden_case *gc)
{
	double *y, *want, *out, *copy, maxdiff = 0.0;
	size_t n = read_golden(gc->name, &y, &want);
	struct ts_err err = { 0 };

	out = malloc(n * sizeof *out);
	copy = malloc(n * sizeof *copy);
	assert_non_null(out);
	assert_non_null(copy);
	memcpy(copy, y, n * sizeof *y);
	assert_int_equal(ts_na_interp(y, n, gc->periods, gc->nperiods, out, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (!isnan(y[i]))
			assert_true(out[i] == y[i]);
		if (fabs(out[i] - want[i]) > maxdiff)
			maxdiff = fabs(out[i] - want[i]);
	}
	printf("    %-24s max |diff| %.2e\n", gc->name, maxdiff);
	for (size_t i = 0; i < n; i++)
		assert_near(out[i], want[i], TOL);
	/* the input is left alone, and filling in place gives the same */
	for (size_t i = 0; i < n; i++)
		assert_true((isnan(y[i]) && isnan(copy[i])) || y[i] == copy[i]);
	assert_int_equal(ts_na_interp(copy, n, gc->periods, gc->nperiods, copy, &err), 0);
	assert_memory_equal(copy, out, n * sizeof *out);
	free(y);
	free(want);
	free(out);
	free(copy);
}

static const struct golden_case cases[] = {
	{ "airpass_holes", { 12 }, 1 },
	{ "airpass30_seasonal", { 12 }, 1 },
	{ "airpass30_linear", { 12 }, 1 },
	{ "nile_linear", { 0 }, 0 },
	{ "co2_holes", { 12 }, 1 },
	{ "ukgas_holes", { 4 }, 1 },
	{ "halfhourly_msts_holes", { 336, 48 }, 2 },	/* order does not matter */
	{ "cauchy_fallback", { 7 }, 1 },
};

static void test_airpass_holes(void **state) { (void)state; run_case(&cases[0]); }
static void test_airpass30_seasonal(void **state) { (void)state; run_case(&cases[1]); }
static void test_airpass30_linear(void **state) { (void)state; run_case(&cases[2]); }
static void test_nile_linear(void **state) { (void)state; run_case(&cases[3]); }
static void test_co2_holes(void **state) { (void)state; run_case(&cases[4]); }
static void test_ukgas_holes(void **state) { (void)state; run_case(&cases[5]); }
static void test_halfhourly_msts(void **state) { (void)state; run_case(&cases[6]); }
static void test_cauchy_fallback(void **state) { (void)state; run_case(&cases[7]); }

static void test_period_one_is_none(void **state)
{
	double *y, *want, *out;
	size_t n = read_golden("nile_linear", &y, &want);
	const size_t one = 1;

	(void)state;
	out = malloc(n * sizeof *out);
	assert_non_null(out);
	assert_int_equal(ts_na_interp(y, n, &one, 1, out, NULL), 0);
	for (size_t i = 0; i < n; i++)
		assert_near(out[i], want[i], 1e-12);
	free(y);
	free(want);
	free(out);
}

static void test_linear_by_hand(void **state)
{
	double y[8] = { NAN, 2, NAN, NAN, 8, 9, NAN, NAN };
	const double want[8] = { 2, 2, 4, 6, 8, 9, 9, 9 };
	double out[8];

	(void)state;
	assert_int_equal(ts_na_interp(y, 8, NULL, 0, out, NULL), 0);
	assert_memory_equal(out, want, sizeof want);
	/* too short for the period: linear as well */
	{
		const size_t p = 4;

		assert_int_equal(ts_na_interp(y, 8, &p, 1, y, NULL), 0);
		assert_memory_equal(y, want, sizeof want);
	}
}

static void test_nothing_missing(void **state)
{
	double y[3] = { 1, 2, 3 }, out[3] = { 0 };
	const size_t p = 2;

	(void)state;
	assert_int_equal(ts_na_interp(y, 3, &p, 1, out, NULL), 0);
	assert_memory_equal(out, y, sizeof y);
	assert_int_equal(ts_na_interp(y, 0, NULL, 0, out, NULL), 0);
	/* one value and nothing missing is fine too */
	assert_int_equal(ts_na_interp(y, 1, NULL, 0, out, NULL), 0);
	assert_true(out[0] == 1.0);
}

/* The smallest seasonal cases: period 2 (cosine only, no sine) and 3; R's
 * values from na.interp(ts(y, frequency = P)) printed with 17 digits. */
static void test_tiny_seasonal(void **state)
{
	double a[6] = { 1, 3, NAN, 3, 1.5, 3.2 }, b[10] = { 1, 2, NAN, 4, 5, 7, 6, 8, NAN, 9 };
	const size_t two = 2, three = 3;

	(void)state;
	assert_int_equal(ts_na_interp(a, 6, &two, 1, a, NULL), 0);
	assert_near(a[2], 1.2770628517515603, TOL);
	assert_int_equal(ts_na_interp(b, 10, &three, 1, b, NULL), 0);
	assert_near(b[2], 4.3261249501559345, TOL);
	assert_near(b[8], 9.8339895626972531, TOL);
}

/* Collinear regression columns: with period 6 and only even t observed,
 * sin and cos of frequency 2/6 repeat those of 1/6 (negated) and cos of
 * 3/6 is the intercept, so lm() leaves 3 coefficients NA. The QR must drop
 * the same columns. R's values from
 *   t <- 1:60; y <- 10 + 0.1 * t + 3 * sin(2 * pi * t / 6) + ((t * 7) %% 5) / 10
 *   y[t %% 2 == 1] <- NA; na.interp(ts(y, frequency = 6))
 * at t = 1, 3, ..., 11, printed with 17 digits. */
static void test_collinear_columns(void **state)
{
	static const double want[6] = {
		13.235280772853933, 10.648533895737431, 8.138542216694951,
		13.437964681283582, 10.949495328138411, 8.6895303978987997,
	};
	const size_t six = 6;
	double y[60], out[60];
	size_t i;

	(void)state;
	for (i = 0; i < 60; i++) {
		double t = (double)(i + 1);

		y[i] = (i + 1) % 2 == 1 ? NAN :
			10 + 0.1 * t + 3 * sin(2 * 3.141592653589793 * t / 6) +
			(double)((i + 1) * 7 % 5) / 10;
	}
	assert_int_equal(ts_na_interp(y, 60, &six, 1, out, NULL), 0);
	for (i = 0; i < 6; i++)
		assert_near(out[2 * i], want[i], TOL);
}

static void test_errors(void **state)
{
	double y[4] = { NAN, 1, NAN, NAN }, out[4];
	const size_t zero = 0, p = 2;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_na_interp(y, 4, NULL, 0, out, &err), TS_EDATA);
	assert_string_equal(err.msg, "need at least two non-missing values to interpolate");
	y[1] = NAN;
	assert_int_equal(ts_na_interp(y, 4, &p, 1, out, &err), TS_EDATA);
	assert_string_equal(err.msg, "need at least two non-missing values to interpolate");
	y[1] = 1;
	y[2] = -INFINITY;
	assert_int_equal(ts_na_interp(y, 4, NULL, 0, out, &err), TS_EDATA);
	assert_string_equal(err.msg, "infinite value at index 2");
	y[2] = 3;
	assert_int_equal(ts_na_interp(y, 4, &zero, 1, out, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period must be at least 1");
	assert_int_equal(ts_na_interp(y, 4, &p, 1, out, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_airpass_holes),
		cmocka_unit_test(test_airpass30_seasonal),
		cmocka_unit_test(test_airpass30_linear),
		cmocka_unit_test(test_nile_linear),
		cmocka_unit_test(test_co2_holes),
		cmocka_unit_test(test_ukgas_holes),
		cmocka_unit_test(test_halfhourly_msts),
		cmocka_unit_test(test_cauchy_fallback),
		cmocka_unit_test(test_period_one_is_none),
		cmocka_unit_test(test_linear_by_hand),
		cmocka_unit_test(test_nothing_missing),
		cmocka_unit_test(test_tiny_seasonal),
		cmocka_unit_test(test_collinear_columns),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
