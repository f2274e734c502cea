/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_decomprun: ts-decompose's per-series work: periods from the interval,
 * from -p, found or none; refusals; the -v text; the columns and lines written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "series/decomprun.h"

/* A table and the series of all its rows. */
struct fixture {
	struct ts_table t;
	struct ts_roles roles;
	struct ts_series s;
	size_t rows[2000];
};

static void load(struct fixture *fx, const char *text)
{
	struct ts_err err = { 0 };
	struct ts_load_opts lo = { 0 };
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	memset(fx, 0, sizeof *fx);
	assert_non_null(f);
	assert_int_equal(ts_table_read(&fx->t, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(&fx->t, NULL, "value", NULL, &fx->roles, &err), 0);
	for (size_t i = 0; i < fx->t.nrows; i++)
		fx->rows[i] = i;
	assert_int_equal(ts_series_load(&fx->t, &fx->roles, fx->rows, fx->t.nrows, &lo, &fx->s, &err), 0);
}

static void unload(struct fixture *fx)
{
	ts_series_free(&fx->s);
	ts_table_free(&fx->t);
}

/* n rows every step seconds of a sine of period `period` rows plus a slow
 * ramp; row `gap` (SIZE_MAX: none) has no value. */
static char *series_text(size_t n, long step, size_t period, size_t gap)
{
	size_t cap = 64 + n * 48, at = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	at += (size_t)snprintf(text, cap, "time,value\n");
	for (size_t i = 0; i < n; i++) {
		long t = 1700000000L + (long)i * step;
		if (i == gap)
			at += (size_t)snprintf(text + at, cap - at, "%ld,\n", t);
		else
			at += (size_t)snprintf(text + at, cap - at, "%ld,%.4f\n", t,
					       10 + 5 * sin(2 * M_PI * (double)i / (double)period) + 0.01 * (double)i);
	}
	return text;
}

static void test_periods_from_interval(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 };
	struct ts_err err = { 0 };
	struct ts_buf b = { 0 };
	char *text = series_text(24 * 21, 3600, 24, 5);

	(void)state;
	load(&fx, text);
	ts_decomprun_opts_init(&o);
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_true(r.decomposed && r.have_interval);
	assert_int_equal(r.nasked, 2);
	assert_int_equal(r.asked[0], 24);
	assert_int_equal(r.asked[1], 168);
	assert_int_equal(r.d.nkept, 2);
	assert_int_equal(r.d.nmissing, 1);
	assert_string_equal(r.source, "from the interval");
	ts_decomprun_describe(&fx.s, &r, &b);
	ts_buf_putc(&b, '\0');
	assert_string_equal(b.data, "504 points, 1 missing, interval 1h, periods 24,168 (from the interval)");
	ts_buf_free(&b);
	ts_decomp_free(&r.d);
	unload(&fx);
	free(text);
}

static void test_periods_given_auto_none(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 };
	struct ts_err err = { 0 };
	struct ts_buf b = { 0 };
	char *text = series_text(24 * 7, 3600, 12, SIZE_MAX);

	(void)state;
	load(&fx, text);
	/* -p 1d at 1h: 24 points */
	ts_decomprun_opts_init(&o);
	o.pmode = TS_DECOMPRUN_GIVEN;
	assert_int_equal(ts_span_parse("1d", 2, &o.periods[0]), 0);
	o.nperiods = 1;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_int_equal(r.nasked, 1);
	assert_int_equal(r.asked[0], 24);
	assert_string_equal(r.source, "from -p");
	ts_decomp_free(&r.d);

	/* auto: the sine's 12 */
	memset(&r, 0, sizeof r);
	o.pmode = TS_DECOMPRUN_AUTO;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_int_equal(r.d.nkept, 1);
	assert_int_equal(r.d.kept[0], 12);
	assert_false(isnan(r.acf));
	assert_true(r.acf > 0.5);
	ts_decomprun_describe(&fx.s, &r, &b);
	ts_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, ", period 12 (found in the data, autocorrelation 0."));
	ts_buf_free(&b);
	ts_decomp_free(&r.d);

	/* none: a trend alone */
	memset(&r, 0, sizeof r);
	o.pmode = TS_DECOMPRUN_NONE;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_int_equal(r.d.nkept, 0);
	assert_int_equal(r.nasked, 0);
	ts_decomprun_describe(&fx.s, &r, &b);
	ts_buf_putc(&b, '\0');
	assert_string_equal(b.data, "168 points, 0 missing, interval 1h, no period (-p none)");
	ts_buf_free(&b);
	ts_decomp_free(&r.d);

	/* Box-Cox with a given lambda is said */
	memset(&r, 0, sizeof r);
	o.pmode = TS_DECOMPRUN_GIVEN;
	o.boxcox = true;
	o.lambda = 0.5;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	ts_decomprun_describe(&fx.s, &r, &b);
	ts_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "(from -p), Box-Cox lambda 0.5"));
	ts_buf_free(&b);
	ts_decomp_free(&r.d);
	unload(&fx);
	free(text);
}

static void test_parameters(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 }, plain = { 0 };
	struct ts_err err = { 0 };
	char *text = series_text(24 * 7, 3600, 24, SIZE_MAX);

	(void)state;
	load(&fx, text);
	ts_decomprun_opts_init(&o);
	o.pmode = TS_DECOMPRUN_GIVEN;
	o.periods[0].n = 24;
	o.nperiods = 1;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &plain, &err), 0);
	/* a trend window of 2d is 49 points: another trend */
	o.have_twin = true;
	assert_int_equal(ts_span_parse_flags("2d", 3, TS_SPAN_ODD, &o.twin), 0);
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_true(fabs(r.d.trend[80] - plain.d.trend[80]) > 1e-9);
	ts_decomp_free(&r.d);
	/* robust fitting brings weights */
	memset(&r, 0, sizeof r);
	o.robust = true;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	assert_non_null(r.d.weights);
	ts_decomp_free(&r.d);
	/* a window that is no whole number of intervals is refused */
	memset(&r, 0, sizeof r);
	assert_int_equal(ts_span_parse_flags("90m", 3, TS_SPAN_ODD, &o.twin), 0);
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), TS_EDATA);
	assert_non_null(strstr(err.msg, "trend window"));
	assert_false(r.decomposed);
	ts_decomp_free(&r.d);
	ts_decomp_free(&plain.d);
	unload(&fx);
	free(text);
}

static void test_refusals(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 };
	struct ts_err err = { 0 };
	char *text = series_text(60, 17, 24, SIZE_MAX);

	(void)state;
	ts_decomprun_opts_init(&o);
	load(&fx, text);
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "no seasonal period known for interval 17s; give -p N, -p auto or -p none");
	assert_string_equal(r.suffix, "");
	assert_int_equal(r.bad, SIZE_MAX);
	unload(&fx);

	memset(&r, 0, sizeof r);
	load(&fx, "time,value\n1700000000,5\n");
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "too short: 1 point");
	unload(&fx);

	memset(&r, 0, sizeof r);
	load(&fx, "time,value\n1700000000,1\n1700003600,2\n1700007200,3\n1700007300,4\n1700010800,5\n");
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), TS_EDATA);
	assert_string_equal(r.suffix, "; run ts-fill first");
	assert_true(r.bad < fx.s.n);
	assert_non_null(strstr(err.msg, "irregular series"));
	unload(&fx);
	free(text);
}

static void test_columns(void **state)
{
	struct ts_decomprun_opts o;
	struct ts_decomprun_layout l;
	const size_t a[] = { 24, 168 }, b[] = { 12, 24 };

	(void)state;
	ts_decomprun_opts_init(&o);
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_add(&l, a, 2);
	ts_decomprun_columns_add(&l, b, 2);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(l.ncols, 3);
	assert_int_equal(l.nadded, 5);
	assert_string_equal(l.added[0], "trend");
	assert_string_equal(l.added[1], "seasonal_12");
	assert_string_equal(l.added[3], "seasonal_168");
	assert_string_equal(l.added[4], "remainder");

	/* -p of counts: the list itself, whatever the series asked */
	o.pmode = TS_DECOMPRUN_GIVEN;
	o.periods[0].n = 7;
	o.nperiods = 1;
	o.weights = true;
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_add(&l, a, 2);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(l.ncols, 1);
	assert_int_equal(l.colp[0], 7);
	assert_string_equal(l.added[1], "seasonal");
	assert_string_equal(l.added[3], "weight");

	/* nothing known: one seasonal column still; none with -p none */
	o.pmode = TS_DECOMPRUN_INFER;
	o.nperiods = 0;
	o.weights = false;
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(l.nadded, 3);
	assert_string_equal(l.added[1], "seasonal");
	o.pmode = TS_DECOMPRUN_NONE;
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(l.nadded, 2);

	assert_true(ts_decomprun_output_name("seasonal_24", false));
	assert_false(ts_decomprun_output_name("seasonal_", false));
	assert_false(ts_decomprun_output_name("seasonal_x", false));
	assert_false(ts_decomprun_output_name("weight", false));
	assert_true(ts_decomprun_output_name("weight", true));
	assert_true(ts_decomprun_output_name("trend", false));
}

static void test_write(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 };
	struct ts_decomprun_layout l;
	struct ts_decomp_summary sum;
	struct ts_outcols oc;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	char expect[64];

	(void)state;
	load(&fx, "time,value\n1700000000,1\n1700003600,5\n1700007200,\n1700010800,4\n");
	ts_decomprun_opts_init(&o);
	o.pmode = TS_DECOMPRUN_NONE;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(ts_outcols_init(&oc, &fx.t, l.added, l.nadded, &err), 0);
	ts_decomprun_write_rows(&l, &oc, &fx.t, fx.rows, fx.t.nrows, &fx.s, &r, &out);
	ts_buf_putc(&out, '\0');
	/* four rows; the missing one keeps an empty remainder */
	assert_int_equal(strncmp(out.data, "1700000000,1,", 13), 0);
	assert_non_null(strstr(out.data, "\n1700007200,,"));
	assert_non_null(strstr(out.data, ",\n1700010800,4,"));
	ts_buf_free(&out);
	memset(&out, 0, sizeof out);
	/* not decomposed: empty columns */
	ts_decomprun_write_rows(&l, &oc, &fx.t, fx.rows, 1, &fx.s, NULL, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "1700000000,1,,\n");
	ts_buf_free(&out);
	memset(&out, 0, sizeof out);

	ts_decomprun_summary_header(&fx.t, &fx.roles, true, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "period,seasonal_strength,trend_strength,remainder_sigma,n,missing,lambda\n");
	ts_buf_free(&out);
	memset(&out, 0, sizeof out);
	assert_int_equal(ts_decomp_summarize(&r.d, &sum, &err), 0);
	ts_decomprun_summary_line(&fx.t, &fx.roles, 0, fx.s.n, NULL, &sum, false, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, ",,,,4,\n");
	ts_buf_free(&out);
	memset(&out, 0, sizeof out);
	ts_decomprun_summary_line(&fx.t, &fx.roles, 0, fx.s.n, &r, &sum, false, &out);
	ts_buf_putc(&out, '\0');
	snprintf(expect, sizeof expect, ",4,%zu\n", sum.nmissing);
	assert_non_null(strstr(out.data, expect));
	assert_int_equal(out.data[0], ',');	/* no period */
	ts_buf_free(&out);
	ts_outcols_free(&oc);
	ts_decomp_free(&r.d);
	unload(&fx);
}

/* Rows written a piece at a time, from any row on, are the rows written at
 * once; a row the series was not loaded from gets empty columns. */
static void test_write_in_pieces(void **state)
{
	struct fixture fx;
	struct ts_decomprun_opts o;
	struct ts_decomprun_series r = { 0 };
	struct ts_decomprun_layout l;
	struct ts_load_opts lo = { .skip_bad = true };
	struct ts_outcols oc;
	struct ts_err err = { 0 };
	struct ts_buf whole = { 0 }, pieces = { 0 };
	size_t cuts[] = { 0, 7, 8, 31, 61 };
	char *grid = series_text(60, 3600, 6, SIZE_MAX), *text = malloc(strlen(grid) + 16), *at;
	FILE *f;

	(void)state;
	/* a row that is not on the grid, left out of the series: the 8th */
	assert_non_null(text);
	at = grid;
	for (int line = 0; line < 8; line++)
		at = strchr(at, '\n') + 1;
	snprintf(text, strlen(grid) + 16, "%.*sbad,1\n%s", (int)(at - grid), grid, at);
	memset(&fx, 0, sizeof fx);
	assert_non_null(f = fmemopen(text, strlen(text), "r"));
	assert_int_equal(ts_table_read(&fx.t, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(&fx.t, NULL, "value", NULL, &fx.roles, &err), 0);
	for (size_t i = 0; i < fx.t.nrows; i++)
		fx.rows[i] = i;
	assert_int_equal(ts_series_load(&fx.t, &fx.roles, fx.rows, fx.t.nrows, &lo, &fx.s, &err), 0);
	assert_int_equal(fx.s.n, 60);
	ts_decomprun_opts_init(&o);
	o.pmode = TS_DECOMPRUN_NONE;
	assert_int_equal(ts_decomprun_series(&fx.s, &o, &r, &err), 0);
	ts_decomprun_columns_begin(&l, &o);
	ts_decomprun_columns_end(&l, &o);
	assert_int_equal(ts_outcols_init(&oc, &fx.t, l.added, l.nadded, &err), 0);
	ts_decomprun_write_rows(&l, &oc, &fx.t, fx.rows, 61, &fx.s, &r, &whole);
	for (size_t k = 0; k + 1 < sizeof cuts / sizeof cuts[0]; k++)
		ts_decomprun_write_rows(&l, &oc, &fx.t, fx.rows + cuts[k], cuts[k + 1] - cuts[k], &fx.s, &r,
					&pieces);
	ts_buf_putc(&whole, '\0');
	ts_buf_putc(&pieces, '\0');
	assert_string_equal(pieces.data, whole.data);
	assert_non_null(strstr(whole.data, "\nbad,1,,\n1700025200,"));
	ts_buf_free(&whole);
	ts_buf_free(&pieces);
	ts_outcols_free(&oc);
	ts_decomp_free(&r.d);
	unload(&fx);
	free(grid);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods_from_interval),
		cmocka_unit_test(test_periods_given_auto_none),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_in_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
