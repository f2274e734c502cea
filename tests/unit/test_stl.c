/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stl: STL, MSTL, supsmu and strength against R's stats::stl and
 * forecast::mstl (golden files in tests/data/golden/stl, see SOURCE.md),
 * and every parameter check's message. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "core/tserr.h"
#include "series/stl.h"

#define GOLDEN TS_TEST_DATA "/golden/stl/"
#define MAX_COLS 16

/* A CSV file of numbers with a header; non-numeric fields read as NaN. */
struct table {
	size_t nrow, ncol;
	char names[MAX_COLS][32];
	double *col[MAX_COLS];
};

static void table_read(const char *path, struct table *t)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t cap = 0;

	memset(t, 0, sizeof *t);
	if (f == NULL)
		fail_msg("cannot open %s", path);
	if (fgets(line, sizeof line, f) == NULL)
		fail_msg("empty file %s", path);
	line[strcspn(line, "\r\n")] = '\0';
	for (char *tok = strtok(line, ","); tok != NULL; tok = strtok(NULL, ",")) {
		assert_true(t->ncol < MAX_COLS);
		snprintf(t->names[t->ncol++], sizeof t->names[0], "%s", tok);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *s = line;
		size_t c;

		if (line[0] == '\n' || line[0] == '\0')
			continue;
		if (t->nrow == cap) {
			cap = cap == 0 ? 256 : 2 * cap;
			for (c = 0; c < t->ncol; c++) {
				t->col[c] = realloc(t->col[c], cap * sizeof(double));
				assert_non_null(t->col[c]);
			}
		}
		for (c = 0; c < t->ncol; c++) {
			char *end;
			size_t len = strcspn(s, ",\r\n");
			double v = strtod(s, &end);

			t->col[c][t->nrow] = (end == s + len && len > 0) ? v : NAN;
			s += len;
			if (*s == ',')
				s++;
		}
		t->nrow++;
	}
	fclose(f);
}

static const double *table_col(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncol; c++)
		if (strcmp(t->names[c], name) == 0)
			return t->col[c];
	fail_msg("no column %s", name);
	return NULL;
}

static void table_free(struct table *t)
{
	for (size_t c = 0; c < t->ncol; c++)
		free(t->col[c]);
}

static double max_abs_diff(const double *a, const double *b, size_t n)
{
	double m = 0.0;

	for (size_t i = 0; i < n; i++)
		if (fabs(a[i] - b[i]) > m || isnan(a[i] - b[i]))
			m = isnan(a[i] - b[i]) ? INFINITY : fabs(a[i] - b[i]);
	return m;
}

static void *xmalloc(size_t count)
{
	void *p = malloc(count * sizeof(double));

	assert_non_null(p);
	return p;
}

/* One row of PARAMS.txt: the call and the windows R reported. */
struct golden_case {
	const char *name;
	size_t period, s_window, t_window, l_window;	/* as passed; 0 = R default */
	bool robust;
	size_t want_s, want_t, want_l, want_inner, want_outer;
};

static const struct golden_case cases[] = {
	{ "co2_periodic", 12, TS_STL_PERIODIC, 0, 0, false, 4681, 19, 13, 2, 0 },
	{ "co2_s7", 12, 7, 0, 0, false, 7, 23, 13, 2, 0 },
	{ "co2_s7_robust", 12, 7, 0, 0, true, 7, 23, 13, 1, 15 },
	{ "nottem_periodic", 12, TS_STL_PERIODIC, 0, 0, false, 2401, 19, 13, 2, 0 },
	{ "logairpass_s13_robust", 12, 13, 0, 0, true, 13, 21, 13, 1, 15 },
	{ "nottem_s11_t31_l13", 12, 11, 31, 13, false, 11, 31, 13, 2, 0 },
};

static void run_golden(const struct golden_case *gc)
{
	char path[256];
	struct table t;
	struct ts_stl_params p, r;
	struct ts_err err = { 0 };
	double *s, *tr, *rem, *w, *work;
	double ds, dt, dr;
	size_t n;

	snprintf(path, sizeof path, GOLDEN "%s.csv", gc->name);
	table_read(path, &t);
	n = t.nrow;
	ts_stl_defaults(&p, gc->period, gc->s_window, gc->robust);
	p.t_window = gc->t_window;
	p.l_window = gc->l_window;
	assert_int_equal(ts_stl_resolve(&p, n, &r, &err), 0);
	assert_int_equal(r.s_window, gc->want_s);
	assert_int_equal(r.t_window, gc->want_t);
	assert_int_equal(r.l_window, gc->want_l);
	assert_int_equal(r.s_degree, 0);
	assert_int_equal(r.t_degree, 1);
	assert_int_equal(r.l_degree, 1);
	assert_int_equal(r.s_jump, (gc->want_s + 9) / 10);
	assert_int_equal(r.t_jump, (gc->want_t + 9) / 10);
	assert_int_equal(r.l_jump, (gc->want_l + 9) / 10);
	assert_int_equal(r.inner, gc->want_inner);
	assert_int_equal(r.outer, gc->want_outer);

	s = xmalloc(n);
	tr = xmalloc(n);
	rem = xmalloc(n);
	w = xmalloc(n);
	work = xmalloc(ts_stl_work_size(n, gc->period));
	assert_int_equal(ts_stl(table_col(&t, "y"), n, &p, s, tr, rem, w, work, &err), 0);
	ds = max_abs_diff(s, table_col(&t, "seasonal"), n);
	dt = max_abs_diff(tr, table_col(&t, "trend"), n);
	dr = max_abs_diff(rem, table_col(&t, "remainder"), n);
	printf("    %-24s max |diff| seasonal %.2e trend %.2e remainder %.2e\n",
	       gc->name, ds, dt, dr);
	assert_true(ds <= 1e-8);
	assert_true(dt <= 1e-8);
	assert_true(dr <= 1e-8);
	if (!gc->robust)
		for (size_t i = 0; i < n; i++)
			assert_true(w[i] == 1.0);
	if (gc->robust) {
		struct table wt;

		snprintf(path, sizeof path, GOLDEN "%s_weights.csv", gc->name);
		table_read(path, &wt);
		assert_int_equal(wt.nrow, n);
		printf("    %-24s max |diff| weights %.2e\n", gc->name,
		       max_abs_diff(w, table_col(&wt, "weights"), n));
		for (size_t i = 0; i < n; i++)
			assert_near(w[i], table_col(&wt, "weights")[i], 1e-8);
		table_free(&wt);
	}
	/* remainder and weights are optional */
	assert_int_equal(ts_stl(table_col(&t, "y"), n, &p, s, tr, NULL, NULL, work, &err), 0);
	assert_true(max_abs_diff(tr, table_col(&t, "trend"), n) <= 1e-8);
	free(s);
	free(tr);
	free(rem);
	free(w);
	free(work);
	table_free(&t);
}

static void test_golden_co2_periodic(void **state) { (void)state; run_golden(&cases[0]); }
static void test_golden_co2_s7(void **state) { (void)state; run_golden(&cases[1]); }
static void test_golden_co2_s7_robust(void **state) { (void)state; run_golden(&cases[2]); }
static void test_golden_nottem_periodic(void **state) { (void)state; run_golden(&cases[3]); }
static void test_golden_logairpass_robust(void **state) { (void)state; run_golden(&cases[4]); }
static void test_golden_nottem_s11_t31_l13(void **state) { (void)state; run_golden(&cases[5]); }

/* The periodic seasonal repeats exactly and the remainder closes the sum. */
static void test_periodic_is_periodic(void **state)
{
	struct table t;
	struct ts_stl_params p;
	double *s, *tr, *rem, *work;
	size_t n;

	(void)state;
	table_read(GOLDEN "nottem_periodic.csv", &t);
	n = t.nrow;
	s = xmalloc(n);
	tr = xmalloc(n);
	rem = xmalloc(n);
	work = xmalloc(ts_stl_work_size(n, 12));
	ts_stl_defaults(&p, 12, TS_STL_PERIODIC, false);
	assert_int_equal(ts_stl(table_col(&t, "y"), n, &p, s, tr, rem, NULL, work, NULL), 0);
	for (size_t i = 12; i < n; i++)
		assert_true(s[i] == s[i - 12]);
	for (size_t i = 0; i < n; i++)
		assert_near(s[i] + tr[i] + rem[i], table_col(&t, "y")[i], 1e-12);
	free(s);
	free(tr);
	free(rem);
	free(work);
	table_free(&t);
}

/*
 * A robust periodic fit of subseries longer than 64 points, which stl.c
 * fits in one pass in time order (ss_whole) from the first iteration on,
 * against R 4.2's stl(ts(y, frequency = 12), s.window = "periodic",
 * robust = TRUE) at a few points, the R code in the comments. In the second
 * series cycle position 3 swings by +-100, its robustness weights all go to
 * 0 in some iteration, and the fits of that subseries fall back to its end
 * values, as stlest's do.
 */
struct robust_periodic_case {
	size_t n;
	size_t at[7];
	double trend[7], seasonal[7], weights[7];
};

static void check_robust_periodic(const double *y, const struct robust_periodic_case *c)
{
	struct ts_stl_params p;
	double *s = xmalloc(c->n), *tr = xmalloc(c->n), *w = xmalloc(c->n);
	double *work = xmalloc(ts_stl_work_size(c->n, 12));

	ts_stl_defaults(&p, 12, TS_STL_PERIODIC, true);
	assert_int_equal(ts_stl(y, c->n, &p, s, tr, NULL, w, work, NULL), 0);
	for (size_t k = 0; k < 7; k++) {
		assert_near(tr[c->at[k]], c->trend[k], 1e-8);
		assert_near(s[c->at[k]], c->seasonal[k], 1e-8);
		assert_near(w[c->at[k]], c->weights[k], 1e-8);
	}
	free(s);
	free(tr);
	free(w);
	free(work);
}

static void test_robust_periodic_long_subseries(void **state)
{
	/* i <- 0:844; y <- 10 * sin(2 * pi * i / 12) + 0.05 * i +
	 *   ((i * 37) %% 11) / 5 + ifelse(i %% 41 == 0, 15, 0) */
	static const struct robust_periodic_case smooth = {
		845, { 0, 3, 15, 100, 421, 843, 844 },
		{ 1.0267307162440684, 1.1778762161646505, 1.7513526439284606, 5.9889916538406611,
		  22.048475234640307, 43.369340029888093, 43.45717673856214 },
		{ -0.022798816221626349, 9.9733612532906903, 9.9733612532906903, 8.7013976341389281,
		  5.0027957950332178, 9.9733612532906903, 8.7013976341389281 },
		{ 0, 0.90167786751667789, 0.99989954458569763, 0.99169609574154449,
		  0.90166984469123335, 0.99999163023829984, 0.92413925219171877 },
	};
	/* i <- 0:845; y <- 0.01 * ((i * 37) %% 11) +
	 *   ifelse(i %% 12 == 3, ifelse((i %/% 12) %% 2 == 1, 100, -100), 0) */
	static const struct robust_periodic_case swinging = {
		846, { 0, 3, 15, 100, 421, 843, 845 },
		{ -8.296556346634798, -8.2909489504416989, -8.2833073282987186, -8.2837910343796128,
		  -8.2876477099745145, -8.2803975980758864, -8.2793408054373288 },
		{ 8.3324321627350795, -91.66621589278563, -91.66621589278563, 8.3342417971710159,
		  8.3335070541808189, -91.66621589278563, 8.3342102028588307 },
		{ 0.92072303755346951, 0.93336928236868089, 0, 0.99314561560353976,
		  0.92079431955498869, 0.99725222885542841, 0.96149591525946854 },
	};
	double y[846];

	(void)state;
	for (size_t i = 0; i < smooth.n; i++)
		y[i] = 10.0 * sin(2.0 * 3.141592653589793 * (double)i / 12.0) + 0.05 * (double)i +
		       (double)((i * 37) % 11) / 5.0 + (i % 41 == 0 ? 15.0 : 0.0);
	check_robust_periodic(y, &smooth);
	for (size_t i = 0; i < swinging.n; i++)
		y[i] = 0.01 * (double)((i * 37) % 11) +
		       (i % 12 == 3 ? ((i / 12) % 2 == 1 ? 100.0 : -100.0) : 0.0);
	check_robust_periodic(y, &swinging);
}

/* A long series' smooths shared among threads give the numbers of one
 * thread, bit for bit: robust (trend fits with weights) and not, long and
 * short trend jumps, a periodic and a windowed seasonal. */
static void test_threads_same_numbers(void **state)
{
	const size_t n = 150001;
	double *y = malloc(n * sizeof *y), *work = malloc(ts_stl_work_size(n, 24) * sizeof *work);
	double *part[2][3];
	struct ts_err err = { 0 };
	struct ts_stl_params p;

	(void)state;
	assert_non_null(y);
	assert_non_null(work);
	for (size_t i = 0; i < n; i++)
		y[i] = 100.0 + 0.001 * (double)i + 10.0 * sin(2.0 * M_PI * (double)i / 24.0) +
		       (double)((i * 37) % 11) / 5.0 + (i % 997 == 0 ? 30.0 : 0.0);
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < 3; c++)
			assert_non_null(part[t][c] = malloc(n * sizeof(double)));
	for (int config = 0; config < 3; config++) {
		for (int t = 0; t < 2; t++) {
			ts_stl_defaults(&p, 24, config == 2 ? 13 : TS_STL_PERIODIC, config != 1);
			if (config == 1)
				p.t_jump = 7;
			p.threads = t == 0 ? 1 : 3;
			assert_int_equal(ts_stl(y, n, &p, part[t][0], part[t][1], NULL, part[t][2], work, &err), 0);
		}
		for (int c = 0; c < 3; c++)
			assert_memory_equal(part[0][c], part[1][c], n * sizeof(double));
	}
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < 3; c++)
			free(part[t][c]);
	free(y);
	free(work);
}

static void expect_error(const struct ts_stl_params *p, size_t n, int code, const char *msg)
{
	double y[64], s[64], tr[64], work[1024];
	struct ts_err err = { 0 };
	struct ts_stl_params r;

	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		y[i] = (double)(i % 4) + 0.1 * (double)i;
	assert_int_equal(ts_stl_resolve(p, n, &r, &err), code);
	assert_string_equal(err.msg, msg);
	memset(&err, 0, sizeof err);
	if (p->period <= 8)
		assert_int_equal(ts_stl(y, n, p, s, tr, NULL, NULL, work, &err), code);
	else
		assert_int_equal(ts_stl_resolve(p, n, &r, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

static void test_validation_messages(void **state)
{
	struct ts_stl_params p;

	(void)state;
	ts_stl_defaults(&p, 4, 4, false);
	expect_error(&p, 20, TS_EUSAGE, "seasonal window must be odd and at least 3");
	ts_stl_defaults(&p, 4, 1, false);
	expect_error(&p, 20, TS_EUSAGE, "seasonal window must be odd and at least 3");
	ts_stl_defaults(&p, 4, 7, false);
	p.t_window = 10;
	expect_error(&p, 20, TS_EUSAGE, "trend window must be odd and at least 3");
	ts_stl_defaults(&p, 4, 7, false);
	p.l_window = 1;
	expect_error(&p, 20, TS_EUSAGE, "low-pass window must be odd and at least 3");
	ts_stl_defaults(&p, 4, 7, false);
	p.s_degree = 2;
	expect_error(&p, 20, TS_EUSAGE, "seasonal degree must be 0 or 1");
	ts_stl_defaults(&p, 4, 7, false);
	p.t_degree = -1;
	expect_error(&p, 20, TS_EUSAGE, "trend degree must be 0 or 1");
	ts_stl_defaults(&p, 4, 7, false);
	p.l_degree = 3;
	expect_error(&p, 20, TS_EUSAGE, "low-pass degree must be 0 or 1");
	ts_stl_defaults(&p, 4, 7, false);
	p.inner = 0;
	expect_error(&p, 20, TS_EUSAGE, "inner iterations must be at least 1");
	ts_stl_defaults(&p, 1, 7, false);
	expect_error(&p, 20, TS_EDATA, "period must be at least 2");
	ts_stl_defaults(&p, 0, TS_STL_PERIODIC, false);
	expect_error(&p, 20, TS_EDATA, "period must be at least 2");
	/* R: stop if n <= 2 * period */
	ts_stl_defaults(&p, 4, 7, false);
	expect_error(&p, 8, TS_EDATA, "series too short: 8 points, need more than two periods of 4");
	expect_error(&p, 5, TS_EDATA, "series too short: 5 points, need more than two periods of 4");
	ts_stl_defaults(&p, 40, TS_STL_PERIODIC, true);
	expect_error(&p, 50, TS_EDATA, "series too short: 50 points, need more than two periods of 40");
	/* a periodic seasonal ignores the seasonal degree, as R does */
	ts_stl_defaults(&p, 4, TS_STL_PERIODIC, false);
	p.s_degree = 5;
	{
		struct ts_stl_params r;

		assert_int_equal(ts_stl_resolve(&p, 9, &r, NULL), 0);
		assert_int_equal(r.s_window, 91);
		assert_int_equal(r.s_degree, 0);
	}
}

static void test_smallest_series(void **state)
{
	/* n = 2 period + 1 is the shortest R accepts */
	double y[9] = { 1, 3, 2, 4, 2, 5, 3, 6, 4 }, s[9], tr[9], rem[9], w[9];
	double work[128];
	struct ts_stl_params p;

	(void)state;
	assert_true(ts_stl_work_size(9, 4) <= 128);
	ts_stl_defaults(&p, 4, TS_STL_PERIODIC, true);
	assert_int_equal(ts_stl(y, 9, &p, s, tr, rem, w, work, NULL), 0);
	for (size_t i = 0; i < 9; i++) {
		assert_true(isfinite(s[i]) && isfinite(tr[i]));
		assert_near(s[i] + tr[i] + rem[i], y[i], 1e-12);
		assert_true(w[i] >= 0.0 && w[i] <= 1.0);
	}
}

static void test_missing_value(void **state)
{
	double y[12] = { 1, 2, 3, 1, 2, 3, 1, NAN, 3, 1, 2, 3 }, s[12], tr[12], work[128];
	struct ts_stl_params p;
	struct ts_err err = { 0 };

	(void)state;
	ts_stl_defaults(&p, 3, 7, false);
	assert_int_equal(ts_stl(y, 12, &p, s, tr, NULL, NULL, work, &err), TS_EDATA);
	assert_string_equal(err.msg, "missing or infinite value at index 7");
	y[7] = INFINITY;
	assert_int_equal(ts_stl(y, 12, &p, s, tr, NULL, NULL, work, &err), TS_EDATA);
	assert_string_equal(err.msg, "missing or infinite value at index 7");
}

/* A value near DBL_MAX (a sentinel, an overflowed counter): the robust
 * fit's residuals once overflowed to NaN and psort ran off the array. Now
 * the decomposition is that of y / 2^k scaled back, bit for bit. */
static void test_huge_values(void **state)
{
	const size_t n = 504, period = 24;
	double *y = xmalloc(n), *ys = xmalloc(n), *s = xmalloc(n), *tr = xmalloc(n);
	double *w = xmalloc(n), *rem = xmalloc(n), *s2 = xmalloc(n), *tr2 = xmalloc(n);
	double *w2 = xmalloc(n), *work = xmalloc(ts_stl_work_size(n, period));
	double bigs[] = { 5e307, 1e308, 1.7976931348623157e308, -1.7976931348623157e308 };
	struct ts_stl_params p;

	(void)state;
	ts_stl_defaults(&p, period, 7, true);
	for (size_t b = 0; b < sizeof bigs / sizeof bigs[0]; b++) {
		for (size_t i = 0; i < n; i++)
			y[i] = 10 + 5 * sin(2 * M_PI * (double)i / (double)period);
		y[b * 100] = bigs[b];
		assert_int_equal(ts_stl(y, n, &p, s, tr, rem, w, work, NULL), 0);
		for (size_t i = 0; i < n; i++)
			ys[i] = ldexp(y[i], -124);
		assert_int_equal(ts_stl(ys, n, &p, s2, tr2, NULL, w2, work, NULL), 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(isfinite(s[i]) && isfinite(tr[i]));
			assert_true(w[i] >= 0.0 && w[i] <= 1.0);
			assert_true(s[i] == ldexp(s2[i], 124) && tr[i] == ldexp(tr2[i], 124));
			assert_true(w[i] == w2[i]);
		}
		assert_true(w[b * 100] == 0.0);	/* the outlier is down-weighted */
	}
	free(y);
	free(ys);
	free(s);
	free(tr);
	free(w);
	free(rem);
	free(s2);
	free(tr2);
	free(w2);
	free(work);
}

static void run_mstl_halfhourly(const size_t *periods, size_t nperiods, size_t want_dropped)
{
	struct table t;
	double *trend, *seasonal, *rem, *work;
	size_t kept[3], dropped[3], nkept = 99, ndropped = 99, n;
	struct ts_err err = { 0 };
	double d[4];

	table_read(GOLDEN "mstl_halfhourly_48_336.csv", &t);
	n = t.nrow;
	trend = xmalloc(n);
	rem = xmalloc(n);
	seasonal = xmalloc(nperiods * n);
	work = xmalloc(ts_mstl_work_size(n, periods, nperiods));
	assert_int_equal(ts_mstl(table_col(&t, "y"), n, periods, nperiods, NULL, trend, seasonal,
				 rem, kept, &nkept, dropped, &ndropped, work, &err), 0);
	assert_int_equal(nkept, 2);
	assert_int_equal(kept[0], 48);
	assert_int_equal(kept[1], 336);
	assert_int_equal(ndropped, want_dropped);
	if (want_dropped > 0)
		assert_int_equal(dropped[0], 1000);
	d[0] = max_abs_diff(trend, table_col(&t, "trend"), n);
	d[1] = max_abs_diff(seasonal, table_col(&t, "seasonal_48"), n);
	d[2] = max_abs_diff(seasonal + n, table_col(&t, "seasonal_336"), n);
	d[3] = max_abs_diff(rem, table_col(&t, "remainder"), n);
	printf("    mstl_halfhourly_48_336    max |diff| trend %.2e s48 %.2e s336 %.2e remainder %.2e\n",
	       d[0], d[1], d[2], d[3]);
	for (int i = 0; i < 4; i++)
		assert_true(d[i] <= 1e-6);
	free(trend);
	free(rem);
	free(seasonal);
	free(work);
	table_free(&t);
}

static void test_mstl_golden(void **state)
{
	const size_t periods[2] = { 336, 48 };	/* unsorted on purpose */

	(void)state;
	run_mstl_halfhourly(periods, 2, 0);
}

static void test_mstl_drops_long_periods(void **state)
{
	/* n = 1680: 1000 >= n / 2 is dropped and reported; the rest as before */
	const size_t periods[3] = { 1000, 48, 336 };

	(void)state;
	run_mstl_halfhourly(periods, 3, 1);
}

static void test_mstl_single_period_robust(void **state)
{
	/* forecast::mstl(AirPassengers, robust = TRUE): what na.interp runs */
	struct table t;
	struct ts_mstl_params mp = { 0, NULL, true };
	const size_t period = 12;
	double *trend, *seasonal, *rem, *work;
	size_t kept[1], nkept, n;

	(void)state;
	table_read(GOLDEN "mstl_airpass_robust.csv", &t);
	n = t.nrow;
	trend = xmalloc(n);
	rem = xmalloc(n);
	seasonal = xmalloc(n);
	work = xmalloc(ts_mstl_work_size(n, &period, 1));
	assert_int_equal(ts_mstl(table_col(&t, "y"), n, &period, 1, &mp, trend, seasonal, rem,
				 kept, &nkept, NULL, NULL, work, NULL), 0);
	assert_int_equal(nkept, 1);
	printf("    mstl_airpass_robust       max |diff| trend %.2e s12 %.2e remainder %.2e\n",
	       max_abs_diff(trend, table_col(&t, "trend"), n),
	       max_abs_diff(seasonal, table_col(&t, "seasonal_12"), n),
	       max_abs_diff(rem, table_col(&t, "remainder"), n));
	for (size_t i = 0; i < n; i++) {
		assert_near(trend[i], table_col(&t, "trend")[i], 1e-8);
		assert_near(seasonal[i], table_col(&t, "seasonal_12")[i], 1e-8);
		assert_near(rem[i], table_col(&t, "remainder")[i], 1e-8);
	}
	free(trend);
	free(rem);
	free(seasonal);
	free(work);
	table_free(&t);
}

static void test_mstl_nonseasonal(void **state)
{
	/* no period: trend = stats::supsmu(1:n, y)$y */
	struct table t;
	double *trend, *rem, *work;
	size_t nkept = 99, ndropped = 99, n;
	const size_t too_long = 200;
	size_t kept[1], dropped[1];

	(void)state;
	table_read(GOLDEN "mstl_nonseasonal_300.csv", &t);
	n = t.nrow;
	trend = xmalloc(n);
	rem = xmalloc(n);
	work = xmalloc(ts_mstl_work_size(n, &too_long, 1));
	assert_int_equal(ts_mstl(table_col(&t, "y"), n, NULL, 0, NULL, trend, NULL, rem,
				 NULL, &nkept, NULL, &ndropped, work, NULL), 0);
	assert_int_equal(nkept, 0);
	assert_int_equal(ndropped, 0);
	printf("    mstl_nonseasonal_300      max |diff| trend %.2e remainder %.2e\n",
	       max_abs_diff(trend, table_col(&t, "trend"), n),
	       max_abs_diff(rem, table_col(&t, "remainder"), n));
	for (size_t i = 0; i < n; i++) {
		assert_near(trend[i], table_col(&t, "trend")[i], 1e-10);
		assert_near(rem[i], table_col(&t, "remainder")[i], 1e-10);
	}
	/* every period dropped: same (R stops here; we fall back to supsmu) */
	assert_int_equal(ts_mstl(table_col(&t, "y"), n, &too_long, 1, NULL, trend, NULL, rem,
				 kept, &nkept, dropped, &ndropped, work, NULL), 0);
	assert_int_equal(nkept, 0);
	assert_int_equal(ndropped, 1);
	assert_int_equal(dropped[0], 200);
	for (size_t i = 0; i < n; i++)
		assert_near(trend[i], table_col(&t, "trend")[i], 1e-10);
	free(trend);
	free(rem);
	free(work);
	table_free(&t);
}

static void test_supsmu_short(void **state)
{
	struct table t;
	double x[15], smo[15], work[8 * 15];

	(void)state;
	table_read(GOLDEN "supsmu_15.csv", &t);
	assert_int_equal(t.nrow, 15);
	for (size_t i = 0; i < 15; i++)
		x[i] = (double)(i + 1);
	ts_supsmu(x, table_col(&t, "y"), 15, smo, work);
	for (size_t i = 0; i < 15; i++)
		assert_near(smo[i], table_col(&t, "trend")[i], 1e-12);
	/* constant x gives the mean */
	for (size_t i = 0; i < 15; i++)
		x[i] = 1.0;
	ts_supsmu(x, table_col(&t, "y"), 15, smo, work);
	assert_near(smo[0], 77.0 / 15.0, 1e-12);
	table_free(&t);
}

/* The super smoother must not read outside short series (R's Fortran does
 * for n < 5); constant and two-point series come back sensible. */
static void test_mstl_tiny(void **state)
{
	double y[5] = { 2, 4, 3, 5, 4 }, trend[5], rem[5], work[64];
	size_t nkept;

	(void)state;
	for (size_t n = 1; n <= 5; n++) {
		assert_true(ts_mstl_work_size(n, NULL, 0) <= 64);
		assert_int_equal(ts_mstl(y, n, NULL, 0, NULL, trend, NULL, rem, NULL, &nkept,
					 NULL, NULL, work, NULL), 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(isfinite(trend[i]));
			assert_near(trend[i] + rem[i], y[i], 1e-12);
		}
	}
	assert_int_equal(ts_mstl(y, 1, NULL, 0, NULL, trend, NULL, rem, NULL, &nkept,
				 NULL, NULL, work, NULL), 0);
	assert_near(trend[0], 2.0, 0.0);
}

static void test_mstl_errors(void **state)
{
	double y[30], trend[30], rem[30], seasonal[60], work[512];
	const size_t bad[2] = { 4, 1 };
	const size_t two[1] = { 4 };
	const size_t sw[1] = { 6 };
	struct ts_mstl_params mp = { 0, sw, false };
	size_t kept[2], nkept;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < 30; i++)
		y[i] = (double)(i % 4);
	assert_true(ts_mstl_work_size(30, bad, 2) <= 512);
	assert_int_equal(ts_mstl(y, 30, bad, 2, NULL, trend, seasonal, rem, kept, &nkept,
				 NULL, NULL, work, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period must be at least 2");
	assert_int_equal(ts_mstl(y, 30, two, 1, &mp, trend, seasonal, rem, kept, &nkept,
				 NULL, NULL, work, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "period 4: seasonal window must be odd and at least 3");
	assert_int_equal(ts_mstl(y, 0, two, 1, NULL, trend, seasonal, rem, kept, &nkept,
				 NULL, NULL, work, &err), TS_EDATA);
	assert_string_equal(err.msg, "series too short: 0 points");
	y[3] = NAN;
	assert_int_equal(ts_mstl(y, 30, two, 1, NULL, trend, seasonal, rem, kept, &nkept,
				 NULL, NULL, work, &err), TS_EDATA);
	assert_string_equal(err.msg, "missing or infinite value at index 3");
}

static void test_strength(void **state)
{
	struct table t, want;
	struct ts_stl_params p;
	double *s, *tr, *rem, *work;
	size_t n;

	(void)state;
	table_read(GOLDEN "co2_s7.csv", &t);
	table_read(GOLDEN "strength.csv", &want);
	n = t.nrow;
	s = xmalloc(n);
	tr = xmalloc(n);
	rem = xmalloc(n);
	work = xmalloc(ts_stl_work_size(n, 12));
	ts_stl_defaults(&p, 12, 7, false);
	assert_int_equal(ts_stl(table_col(&t, "y"), n, &p, s, tr, rem, NULL, work, NULL), 0);
	assert_near(ts_seasonal_strength(s, rem, n), table_col(&want, "seasonal_strength")[0], 1e-12);
	assert_near(ts_trend_strength(tr, rem, n), table_col(&want, "trend_strength")[0], 1e-12);
	/* NaN points are skipped; no variance gives 0; never negative */
	s[0] = NAN;
	assert_true(isfinite(ts_seasonal_strength(s, rem, n)));
	for (size_t i = 0; i < n; i++) {
		s[i] = -rem[i];
		tr[i] = 0.0;
	}
	assert_near(ts_seasonal_strength(s, rem, n), 0.0, 0.0);
	assert_near(ts_trend_strength(tr, rem, 1), 0.0, 0.0);
	for (size_t i = 0; i < n; i++)
		s[i] = -0.5 * rem[i];	/* 1 - var(R) / var(R / 2) = -3, clamped */
	assert_true(ts_seasonal_strength(s, rem, n) == 0.0);
	free(s);
	free(tr);
	free(rem);
	free(work);
	table_free(&t);
	table_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_co2_periodic),
		cmocka_unit_test(test_golden_co2_s7),
		cmocka_unit_test(test_golden_co2_s7_robust),
		cmocka_unit_test(test_golden_nottem_periodic),
		cmocka_unit_test(test_golden_logairpass_robust),
		cmocka_unit_test(test_golden_nottem_s11_t31_l13),
		cmocka_unit_test(test_periodic_is_periodic),
		cmocka_unit_test(test_robust_periodic_long_subseries),
		cmocka_unit_test(test_threads_same_numbers),
		cmocka_unit_test(test_validation_messages),
		cmocka_unit_test(test_smallest_series),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_huge_values),
		cmocka_unit_test(test_mstl_golden),
		cmocka_unit_test(test_mstl_drops_long_periods),
		cmocka_unit_test(test_mstl_single_period_robust),
		cmocka_unit_test(test_mstl_nonseasonal),
		cmocka_unit_test(test_supsmu_short),
		cmocka_unit_test(test_mstl_tiny),
		cmocka_unit_test(test_mstl_errors),
		cmocka_unit_test(test_strength),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
