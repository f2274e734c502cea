/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_prophet: the Prophet model against R prophet 1.0 and the exact MAP of
 * the same objective (tests/data/golden/prophet), plus the model's rules. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "forecast/cv.h"
#include "forecast/prophet.h"
#include "io/tstime.h"

#define GOLDEN TS_TEST_DATA "/golden/prophet/"
#define MAXROWS 4096

/* One golden case: every row of NAME.out.csv (history and future). */
struct golden {
	size_t n, nhist;
	double t[MAXROWS], day[MAXROWS], y[MAXROWS];
	double yhat_r[MAXROWS], lower_r[MAXROWS], upper_r[MAXROWS], trend_r[MAXROWS];
	double yhat_map[MAXROWS];
	double k, m, sigma, delta[64], beta[64];
	size_t ndelta, nbeta;
	double obj_r, obj_max;
	double ymax;
};

static double parse_ds(const char *s)
{
	ts_time t;
	struct ts_tfmt fmt;
	struct ts_err err;

	assert_int_equal(ts_time_parse(s, strlen(s), TS_EPOCH_AUTO, &t, &fmt, &err), 0);
	return (double)t / 1e6;
}

static void load_golden(const char *name, struct golden *g)
{
	char path[256], line[4096];
	FILE *f;

	memset(g, 0, sizeof *g);
	snprintf(path, sizeof path, GOLDEN "%s.out.csv", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f) != NULL) {
		char *fields[8] = { 0 }, *p = line;
		size_t nf = 0;
		while (nf < 8 && p != NULL) {
			fields[nf++] = p;
			p = strchr(p, ',');
			if (p != NULL)
				*p++ = '\0';
		}
		assert_true(nf >= 6);
		size_t i = g->n++;
		assert_true(i < MAXROWS);
		g->t[i] = parse_ds(fields[0]);
		g->day[i] = g->t[i] / 86400.0;
		g->y[i] = fields[1][0] == '\0' ? NAN : atof(fields[1]);
		if (!isnan(g->y[i])) {
			g->nhist++;
			if (fabs(g->y[i]) > g->ymax)
				g->ymax = fabs(g->y[i]);
		}
		g->yhat_r[i] = atof(fields[2]);
		g->lower_r[i] = atof(fields[3]);
		g->upper_r[i] = atof(fields[4]);
		g->trend_r[i] = atof(fields[5]);
	}
	fclose(f);

	snprintf(path, sizeof path, GOLDEN "%s.map.csv", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	for (size_t i = 0; i < g->n; i++) {
		assert_non_null(fgets(line, sizeof line, f));
		char *comma = strchr(line, ',');
		assert_non_null(comma);
		*comma = '\0';
		assert_near(parse_ds(line), g->t[i], 0);
		g->yhat_map[i] = atof(comma + 1);
	}
	fclose(f);

	snprintf(path, sizeof path, GOLDEN "%s.params.txt", name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		char *save = NULL, *key = strtok_r(line, " \n", &save), *v;
		if (key == NULL)
			continue;
		if (strcmp(key, "k") == 0)
			g->k = atof(strtok_r(NULL, " \n", &save));
		else if (strcmp(key, "m") == 0)
			g->m = atof(strtok_r(NULL, " \n", &save));
		else if (strcmp(key, "sigma_obs") == 0)
			g->sigma = atof(strtok_r(NULL, " \n", &save));
		else if (strcmp(key, "delta") == 0)
			while ((v = strtok_r(NULL, " \n", &save)) != NULL)
				g->delta[g->ndelta++] = atof(v);
		else if (strcmp(key, "beta") == 0)
			while ((v = strtok_r(NULL, " \n", &save)) != NULL)
				g->beta[g->nbeta++] = atof(v);
	}
	fclose(f);

	/* OBJECTIVES.md: | case | objective at R's parameters | exact maximum | ... */
	f = fopen(GOLDEN "OBJECTIVES.md", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		char want[128];
		snprintf(want, sizeof want, "| %s |", name);
		if (strncmp(line, want, strlen(want)) == 0) {
			char *p = line + strlen(want);
			g->obj_r = strtod(p, &p);
			p = strchr(p, '|');
			assert_non_null(p);
			g->obj_max = strtod(p + 1, NULL);
		}
	}
	fclose(f);
	assert_true(g->obj_max != 0);
}

static struct golden G;

static void fit_golden(const char *name, enum ts_prophet_mode mode, struct ts_prophet_model *m,
		       double *yhat, double *lower, double *upper)
{
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 };
	struct ts_err err = { 0 };

	load_golden(name, &G);
	ts_prophet_opts_init(&o);
	o.seasonality_mode = mode;
	d.n = G.n;
	d.t = G.t;
	d.day = G.day;
	d.y = G.y;
	assert_int_equal(ts_prophet_fit(&d, &o, m, &err), 0);
	assert_int_equal(ts_prophet_predict(m, &d, yhat, NULL, lower, upper, NULL, &err), 0);
	if (lower == NULL)
		return;
}

static void check_case(const char *name, enum ts_prophet_mode mode)
{
	struct ts_prophet_model m;
	static double yhat[MAXROWS], lower[MAXROWS], upper[MAXROWS];
	double maxdiff = 0, wsum = 0, wsum_r = 0, fsum = 0, fsum_r = 0, lp, lp_r;

	fit_golden(name, mode, &m, yhat, lower, upper);
	/* the same design as R's: as many changepoints and features */
	assert_int_equal(m.S, G.ndelta);
	assert_int_equal(m.K, G.nbeta);
	assert_int_equal(m.T, G.nhist);

	/* the objective at R's parameters is the value OBJECTIVES.md lists */
	struct ts_prophet_params pr = { G.k, G.m, G.sigma, G.delta, G.beta };
	lp_r = ts_prophet_logpost(&m, &pr);
	assert_near(lp_r, G.obj_r, 1e-6 * fabs(G.obj_r));

	/* our optimum reaches the exact maximum */
	lp = ts_prophet_logpost(&m, &m.p);
	print_message("%s: log posterior %.9f (exact maximum %.6f, R %.6f), sigma %.7g, %zu iterations\n",
		      name, lp, G.obj_max, G.obj_r, m.p.sigma, m.iterations);
	assert_true(lp >= G.obj_max - 1e-6 * fabs(G.obj_max));

	for (size_t i = 0; i < G.n; i++) {
		double dlt = fabs(yhat[i] - G.yhat_map[i]);
		if (dlt > maxdiff)
			maxdiff = dlt;
		wsum += upper[i] - lower[i];
		wsum_r += G.upper_r[i] - G.lower_r[i];
		if (i >= G.nhist) {
			fsum += upper[i] - lower[i];
			fsum_r += G.upper_r[i] - G.lower_r[i];
		}
	}
	print_message("%s: max|yhat - map| / max|y| = %.3g; interval width ratio %.4f, future rows %.4f\n",
		      name, maxdiff / G.ymax, wsum / wsum_r, fsum / fsum_r);
	assert_true(maxdiff <= 1e-3 * G.ymax);
	assert_true(fabs(wsum / wsum_r - 1) <= 0.10);
	/* the future rows alone: simulated trend paths (R's are random too) */
	assert_true(G.n > G.nhist);
	assert_true(fabs(fsum / fsum_r - 1) <= 0.15);
	ts_prophet_free(&m);
}

static void test_hourly_counts(void **state)
{
	(void)state;
	check_case("hourly_counts", TS_PROPHET_ADDITIVE);
}

static void test_hourly_shift_gaps(void **state)
{
	(void)state;
	check_case("hourly_shift_gaps", TS_PROPHET_ADDITIVE);
}

static void test_airpassengers_mult(void **state)
{
	(void)state;
	check_case("airpassengers_mult", TS_PROPHET_MULTIPLICATIVE);
}

/* The changepoints are R's (params.txt "changepoints:" line). */
static void test_changepoints_match_r(void **state)
{
	struct ts_prophet_model m;
	static double yhat[MAXROWS];
	char line[8192];
	FILE *f;
	size_t k = 0;

	(void)state;
	fit_golden("hourly_shift_gaps", TS_PROPHET_ADDITIVE, &m, yhat, NULL, NULL);
	f = fopen(GOLDEN "hourly_shift_gaps.params.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "changepoints:", 13) != 0)
			continue;
		for (char *p = line + 14; *p != '\0' && *p != '\n'; p += 20) {
			char ds[20];
			memcpy(ds, p, 19);
			ds[19] = '\0';
			assert_true(k < m.S);
			assert_near(m.t_change[k] * m.t_scale + m.t_start, parse_ds(ds), 1e-6);
			k++;
			if (p[19] != ' ')
				break;
		}
	}
	fclose(f);
	assert_int_equal(k, 25);
	ts_prophet_free(&m);
}

/* No coordinate move raises the log posterior: the fit is at the maximum. */
static void assert_maximum(const struct ts_prophet_model *m)
{
	double lp = ts_prophet_logpost(m, &m->p), base[64 + 2];
	struct ts_prophet_params q = m->p;
	double delta[64], beta[64];
	size_t P = 3 + m->S + m->K;

	assert_true(m->S <= 64 && m->K <= 64);
	q.delta = delta;
	q.beta = beta;
	for (size_t j = 0; j < P; j++) {
		for (int sign = -1; sign <= 1; sign += 2) {
			double h = 1e-6 * sign;
			memcpy(delta, m->p.delta, m->S * sizeof *delta);
			memcpy(beta, m->p.beta, m->K * sizeof *beta);
			q.k = m->p.k;
			q.m = m->p.m;
			q.sigma = m->p.sigma;
			if (j == 0)
				q.k += h;
			else if (j == 1)
				q.m += h;
			else if (j == 2)
				q.sigma += h * m->p.sigma;
			else if (j < 3 + m->S)
				delta[j - 3] += h;
			else
				beta[j - 3 - m->S] += h;
			base[0] = ts_prophet_logpost(m, &q);
			assert_true(base[0] <= lp + 1e-9 * fabs(lp));
		}
	}
}

static void test_logistic_reaches_maximum(void **state)
{
	static double t[200], day[200], y[200], cap[200], yhat[200], trend[200];
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 };
	struct ts_prophet_model m;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < 200; i++) {
		t[i] = 86400.0 * i;
		day[i] = 17500 + i;
		cap[i] = 120;
		y[i] = 100 / (1 + exp(-(i - 90) / 15.0)) + 3 * sin(2 * M_PI * i / 7) + ((i * 37) % 11 - 5) * 0.4;
	}
	ts_prophet_opts_init(&o);
	o.growth = TS_PROPHET_LOGISTIC;
	d.n = 200;
	d.t = t;
	d.day = day;
	d.y = y;
	d.cap = cap;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	assert_maximum(&m);
	/* (R prophet 1.0 on these data: sigma 0.0825, ours 0.0810; yhat within 1.1) */
	assert_true(m.p.sigma < 0.0825);
	assert_int_equal(ts_prophet_predict(&m, &d, yhat, trend, NULL, NULL, NULL, &err), 0);
	for (int i = 0; i < 200; i++)
		assert_true(trend[i] > 0 && trend[i] < 120 && isfinite(yhat[i]));
	ts_prophet_free(&m);
}

static void test_multiplicative_reaches_maximum(void **state)
{
	struct ts_prophet_model m;
	static double yhat[MAXROWS];

	(void)state;
	fit_golden("airpassengers_mult", TS_PROPHET_MULTIPLICATIVE, &m, yhat, NULL, NULL);
	assert_maximum(&m);
	ts_prophet_free(&m);
	fit_golden("hourly_counts", TS_PROPHET_ADDITIVE, &m, yhat, NULL, NULL);
	assert_maximum(&m);
	ts_prophet_free(&m);
}

/* Linear and flat growth with additive terms build J'J from the columns'
 * structure (sums after each changepoint) rather than from J's rows: on
 * irregular times with gaps, a repeated timestamp, a regressor and both
 * seasonalities, with and without changepoints, the fit is at the maximum of
 * the log posterior, which ts_prophet_logpost sums row by row. */
static void test_linear_and_flat_reach_maximum(void **state)
{
	static double t[300], day[300], y[300], temp[300];
	const double *reg[1] = { temp };
	struct ts_prophet_regressor r = { "temp", NAN, -1 };
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 };
	struct ts_prophet_model m;
	struct ts_err err = { 0 };
	double hours = 0;

	(void)state;
	for (int i = 0; i < 300; i++) {
		/* hourly, a gap of 7 hours every 40 rows, rows 100 and 101 at one time */
		hours += i % 40 == 0 ? 7 : i == 101 ? 0 : 1;
		t[i] = 3600 * hours;
		day[i] = 17500 + hours / 24;
		temp[i] = (i * 7) % 13;
		y[i] = (hours < 200 ? 0.05 * hours : 10 - 0.02 * (hours - 200)) +
		       3 * sin(2 * M_PI * hours / 24) + 0.3 * temp[i] + ((i * 37) % 11 - 5) * 0.2;
	}
	d.n = 300;
	d.t = t;
	d.day = day;
	d.y = y;
	d.reg = reg;
	for (int growth = 0; growth < 3; growth++) {
		ts_prophet_opts_init(&o);
		o.weekly = TS_PROPHET_ON;
		o.regressors = &r;
		o.nregressors = 1;
		o.growth = growth == 1 ? TS_PROPHET_FLAT : TS_PROPHET_LINEAR;
		o.n_changepoints = growth == 2 ? 0 : 25;
		assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
		assert_true(m.K == 2 * 3 + 2 * 4 + 1);
		assert_maximum(&m);
		ts_prophet_free(&m);
	}
}

/* A prediction on the rows the model was fit on takes those rows' features
 * from the fit: the same bytes as working them out again, with missing
 * values among the rows, a regressor, rows past the history, and a
 * prediction that starts part way (the trend summed from row to row). */
static void test_predict_reuses_fit_rows(void **state)
{
	enum { N = 240, FROM = 50 };
	static double t[N], day[N], y[N], temp[N];
	static double yhat[2][N], lower[2][N], upper[2][N], part[N];
	const double *reg[1] = { temp }, *part_reg[1] = { temp + FROM };
	struct ts_prophet_regressor r = { "temp", NAN, -1 };
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 }, p;
	struct ts_prophet_model m;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < N; i++) {
		t[i] = 3600.0 * i;
		day[i] = 17500 + i / 24.0;
		temp[i] = (i * 7) % 13;
		/* a missing value every 17 rows, none past row 200 */
		y[i] = i >= 200 || i % 17 == 3 ? NAN : 0.05 * i + 3 * sin(2 * M_PI * i / 24) + 0.3 * temp[i];
	}
	d.n = N;
	d.t = t;
	d.day = day;
	d.y = y;
	d.reg = reg;
	ts_prophet_opts_init(&o);
	o.regressors = &r;
	o.nregressors = 1;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	for (int k = 0; k < 2; k++) {
		d.rows_of_fit = k == 1;
		assert_int_equal(ts_prophet_predict(&m, &d, yhat[k], NULL, lower[k], upper[k], NULL, &err), 0);
	}
	assert_memory_equal(yhat[0], yhat[1], sizeof yhat[0]);
	assert_memory_equal(lower[0], lower[1], sizeof lower[0]);
	assert_memory_equal(upper[0], upper[1], sizeof upper[0]);
	p = d;
	p.n = N - FROM;
	p.t = t + FROM;
	p.day = day + FROM;
	p.y = y + FROM;
	p.reg = part_reg;
	p.rows_of_fit = true;
	p.fit_first = FROM;
	assert_int_equal(ts_prophet_predict(&m, &p, part, NULL, NULL, NULL, NULL, &err), 0);
	assert_memory_equal(part, yhat[0] + FROM, (N - FROM) * sizeof part[0]);
	ts_prophet_free(&m);
}

/* Linear and flat growth with multiplicative terms build J'J and J'r from the
 * trend, the factor 1 + X_m beta_m and X, and a seasonality's own block of
 * J'J from sums of its harmonics: with multiplicative seasonalities (one on
 * weekends only) and an additive or a multiplicative regressor, on irregular
 * times with gaps and a repeated timestamp, with and without changepoints, the
 * fit is at the maximum of the log posterior, which ts_prophet_logpost sums
 * row by row; and logistic growth, whose J'J is built a segment at a time. */
static void test_multiplicative_terms_reach_maximum(void **state)
{
	static double t[300], day[300], y[300], temp[300], cap[300];
	const double *reg[1] = { temp };
	struct ts_prophet_regressor r = { "temp", NAN, TS_PROPHET_ADDITIVE };
	struct ts_prophet_season weekend = { "weekend_daily", 1, 3, NAN, -1, "weekend" };
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 };
	struct ts_prophet_model m;
	struct ts_err err = { 0 };
	double hours = 0;

	(void)state;
	for (int i = 0; i < 300; i++) {
		hours += i % 40 == 0 ? 7 : i == 101 ? 0 : 1;
		t[i] = 3600 * hours;
		day[i] = 17500 + hours / 24;
		temp[i] = (i * 7) % 13;
		cap[i] = 60;
		y[i] = (hours < 200 ? 20 + 0.05 * hours : 30 - 0.02 * (hours - 200)) *
			       (1 + 0.3 * sin(2 * M_PI * hours / 24) + 0.1 * cos(2 * M_PI * hours / 168)) +
		       0.3 * temp[i] + ((i * 37) % 11 - 5) * 0.2;
	}
	d.n = 300;
	d.t = t;
	d.day = day;
	d.y = y;
	d.reg = reg;
	for (int variant = 0; variant < 5; variant++) {
		ts_prophet_opts_init(&o);
		o.seasonality_mode = TS_PROPHET_MULTIPLICATIVE;
		o.weekly = TS_PROPHET_ON;
		o.regressors = &r;
		o.nregressors = 1;
		r.mode = variant == 2 ? -1 : TS_PROPHET_ADDITIVE;
		o.growth = variant == 1   ? TS_PROPHET_FLAT
			   : variant == 4 ? TS_PROPHET_LOGISTIC
					  : TS_PROPHET_LINEAR;
		d.cap = variant == 4 ? cap : NULL;
		o.n_changepoints = variant == 3 ? 0 : 25;
		if (variant == 0) {
			o.seasons = &weekend;
			o.nseasons = 1;
		}
		assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
		assert_true(m.K == 2 * 3 + 2 * 4 + 1 + (variant == 0 ? 6 : 0));
		assert_true(m.mult[0] && m.mult[m.K - 1] == (variant == 2));
		assert_maximum(&m);
		ts_prophet_free(&m);
	}
}

/* Prophet's auto rules: two weeks of spacing below a week turn weekly on. */
static void test_auto_seasonalities(void **state)
{
	static double t[400], day[400], y[400];
	struct ts_prophet_opts o;
	struct ts_prophet_data d = { 0 };
	struct ts_prophet_model m;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < 400; i++) {
		t[i] = 3600.0 * i;
		day[i] = 17000 + i / 24.0;
		y[i] = i % 24 + (i % 7);
	}
	ts_prophet_opts_init(&o);
	d.t = t;
	d.day = day;
	d.y = y;
	d.n = 14 * 24;		/* span 13.96 days: daily only */
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	assert_int_equal(m.nseasons, 1);
	assert_string_equal(m.seasons[0].name, "daily");
	ts_prophet_free(&m);
	d.n = 14 * 24 + 1;	/* span 14 days: weekly too, before daily */
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	assert_int_equal(m.nseasons, 2);
	assert_string_equal(m.seasons[0].name, "weekly");
	assert_int_equal(m.K, 2 * 3 + 2 * 4);
	ts_prophet_free(&m);
	d.n = 1;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), TS_EDATA);
	assert_string_equal(err.msg, "fewer than two points with a value");
}

/* Cross-validation refits the seasonalities the whole history resolved:
 * auto ones become added ones that follow the model's prior scale and mode,
 * the user's stay as given, and the built-in switches are off. */
static void test_copy_opts(void **state)
{
	static double t[400], day[400], y[400];
	struct ts_prophet_season user = { "hourly", 1.0 / 24, 2, 3.5, TS_PROPHET_MULTIPLICATIVE, "" };
	struct ts_prophet_season buf[8];
	struct ts_prophet_opts o, copy;
	struct ts_prophet_data d = { 0 };
	struct ts_prophet_model m;
	struct ts_err err = { 0 };

	(void)state;
	for (int i = 0; i < 400; i++) {
		t[i] = 3600.0 * i;
		day[i] = 17000 + i / 24.0;
		y[i] = 10 + i % 24 + (i % 7);
	}
	ts_prophet_opts_init(&o);
	o.seasons = &user;
	o.nseasons = 1;
	o.changepoint_prior_scale = 0.3;
	d.t = t;
	d.day = day;
	d.y = y;
	d.n = 400;		/* weekly and daily by the auto rule, then hourly */
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	assert_int_equal(m.nseasons, 3);
	assert_int_equal(ts_prophet_copy_opts(&o, &m, &copy, buf, 8), 3);
	assert_ptr_equal(copy.seasons, buf);
	assert_int_equal(copy.nseasons, 3);
	assert_int_equal(copy.weekly, TS_PROPHET_OFF);
	assert_int_equal(copy.daily, TS_PROPHET_OFF);
	assert_int_equal(copy.yearly, TS_PROPHET_OFF);
	assert_near(copy.changepoint_prior_scale, 0.3, 0);
	assert_string_equal(buf[0].name, "weekly");
	assert_near(buf[0].period, 7, 0);
	assert_int_equal(buf[0].order, 3);
	assert_near(buf[0].prior, 0, 0);
	assert_int_equal(buf[0].mode, -1);
	assert_string_equal(buf[1].name, "daily");
	assert_int_equal(buf[1].order, 4);
	assert_string_equal(buf[2].name, "hourly");
	assert_near(buf[2].prior, 3.5, 0);
	assert_int_equal(buf[2].mode, TS_PROPHET_MULTIPLICATIVE);
	/* no more than there is room for */
	assert_int_equal(ts_prophet_copy_opts(&o, &m, &copy, buf, 2), 2);
	assert_int_equal(copy.nseasons, 2);
	ts_prophet_free(&m);
}

/* Rows with observation noise only get the quantiles of --samples draws
 * drawn directly from their joint distribution: over many rows, the mean and
 * spread of lower, upper and the width match brute force (sorting 1000
 * Gaussian draws per row) within sampling error. */
static void moments(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	*mean = s / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*sd = sqrt(ss / (double)(n - 1));
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The bands of ROWS rows that carry noise only, in units of the noise, match
 * type-7 quantiles of NS sorted Gaussian draws (brute force) in mean and
 * spread. History rows draw their order statistics directly; with a flat
 * trend the future rows simulate every draw and select its quantiles. */
static void check_interval_distribution(double width, bool future)
{
	enum { ROWS = 4000, NS = 1000 };
	static double t[ROWS], day[ROWS], y[ROWS], yhat[ROWS], lower[ROWS], upper[ROWS];
	static double direct[3][ROWS], brute[3][ROWS], draws[NS];
	struct ts_prophet_model m;
	struct ts_prophet_data d = { 0 };
	struct ts_err err = { 0 };
	double q[2] = { (1 - width) / 2, (1 + width) / 2 };

	fit_golden("hourly_counts", TS_PROPHET_ADDITIVE, &m, yhat, NULL, NULL);
	double noise = m.p.sigma * m.y_scale;
	for (size_t i = 0; i < ROWS; i++) {
		/* future rows: hours after the history, one each */
		t[i] = future ? G.t[G.nhist - 1] + 3600.0 * (double)(i + 1) : G.t[0];
		day[i] = future ? G.day[G.nhist - 1] + (double)(i + 1) / 24 : G.day[0];
		y[i] = NAN;
	}
	if (future)
		m.opts.growth = TS_PROPHET_FLAT;	/* noise only after the history too */
	m.opts.interval_width = width;
	d.n = ROWS;
	d.t = t;
	d.day = day;
	d.y = y;
	assert_int_equal(ts_prophet_predict(&m, &d, yhat, NULL, lower, upper, NULL, &err), 0);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 7);
	for (size_t i = 0; i < ROWS; i++) {
		direct[0][i] = (lower[i] - yhat[i]) / noise;
		direct[1][i] = (upper[i] - yhat[i]) / noise;
		direct[2][i] = direct[1][i] - direct[0][i];
		for (size_t s = 0; s < NS; s++)
			draws[s] = gsl_ran_gaussian(rng, 1.0);
		qsort(draws, NS, sizeof *draws, cmp_dbl);
		for (int k = 0; k < 2; k++) {
			double h = (NS - 1) * q[k];
			size_t j = (size_t)h, j1 = j + 1 < NS ? j + 1 : j;
			brute[k][i] = draws[j] + (h - (double)j) * (draws[j1] - draws[j]);
		}
		brute[2][i] = brute[1][i] - brute[0][i];
	}
	gsl_rng_free(rng);
	for (int k = 0; k < 3; k++) {
		double md, sd_d, mb, sd_b;
		moments(direct[k], ROWS, &md, &sd_d);
		moments(brute[k], ROWS, &mb, &sd_b);
		print_message("%s rows, width %g, %s: direct mean %.5f sd %.5f, brute force mean "
			      "%.5f sd %.5f\n", future ? "future" : "history", width,
			      k == 0 ? "lower" : k == 1 ? "upper" : "width", md, sd_d, mb, sd_b);
		/* 5 standard errors of the difference of the means; sd within 8%
		 * (a zero-width band has sd 0 in both) */
		assert_true(fabs(md - mb) <= 5 * sqrt((sd_d * sd_d + sd_b * sd_b) / ROWS) + 1e-12);
		if (sd_b > 1e-9)
			assert_true(fabs(sd_d / sd_b - 1) <= 0.08);
		else
			assert_true(sd_d <= 1e-9);
	}
	ts_prophet_free(&m);
}

static void test_history_interval_distribution(void **state)
{
	(void)state;
	check_interval_distribution(0.8, false);
	check_interval_distribution(0.99, false);
}

/* The future rows' quantile selection, for the usual band, a wide one, a
 * narrow one (both quantiles near the median) and a zero-width one. */
static void test_future_interval_distribution(void **state)
{
	(void)state;
	check_interval_distribution(0.8, true);
	check_interval_distribution(0.99, true);
	check_interval_distribution(0.1, true);
	check_interval_distribution(0, true);
}

/* The common interface fills every row it owns: with --samples 0 the
 * bounds are NAN (cross-validation used to read them uninitialised). */
static void test_forecast_without_samples(void **state)
{
	enum { N = 30, FROM = 20 };
	ts_time t[N];
	double day[N], y[N], yhat[N], lower[N], upper[N];
	const double *cols[2] = { NULL, NULL };
	struct ts_fc_series s = { N, t, day, y, { 0, 86400LL * 1000000 }, 2, cols, FROM, 0 };
	struct ts_fc_result r = { yhat, lower, upper, NULL, NULL, NAN, "" };
	struct ts_prophet_opts o;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < N; i++) {
		t[i] = (ts_time)i * 86400 * 1000000;
		day[i] = (double)i;
		y[i] = i < FROM ? 1 + 0.5 * (double)i + (double)(i % 3) : NAN;
		lower[i] = upper[i] = -12345;
	}
	ts_prophet_opts_init(&o);
	o.samples = 0;
	assert_int_equal(ts_prophet_forecast(&o, &s, &r, &err), 0);
	for (size_t i = 0; i < N; i++) {
		if (i < FROM) {
			assert_near(lower[i], -12345, 0);
			assert_near(upper[i], -12345, 0);
			continue;
		}
		assert_false(isnan(yhat[i]));
		assert_true(isnan(lower[i]) && isnan(upper[i]));
	}
	o.samples = 100;
	assert_int_equal(ts_prophet_forecast(&o, &s, &r, &err), 0);
	for (size_t i = FROM; i < N; i++)
		assert_true(lower[i] < yhat[i] && yhat[i] < upper[i]);
}

/* The longest seasonality sets cross-validation's default initial window. */
static void test_longest_period(void **state)
{
	struct ts_prophet_model m;
	struct ts_prophet_season seasons[3] = { { "daily", 1, 4, 10, 0, "" }, { "yearly", 365.25, 10, 10, 0, "" },
						{ "weekly", 7, 3, 10, 0, "" } };

	(void)state;
	memset(&m, 0, sizeof m);
	assert_near(ts_prophet_longest_period(&m), 0, 0);
	m.seasons = seasons;
	m.nseasons = 3;
	assert_near(ts_prophet_longest_period(&m), 365.25, 0);
	m.nseasons = 1;
	assert_near(ts_prophet_longest_period(&m), 1, 0);
}

/* A series' fitting data: seconds from the first row, cap and floor, then
 * the regressors from the columns after them; too few columns is an error. */
static void test_data_of(void **state)
{
	ts_time t[3] = { 1000000, 4000000, 7000000 };
	double day[3] = { 0, 0, 0 }, y[3] = { 1, 2, 3 }, cap[3] = { 9, 9, 9 }, r0[3] = { 5, 6, 7 };
	const double *cols[3] = { cap, NULL, r0 };
	struct ts_fc_series s = { .n = 3, .t = t, .day = day, .y = y, .ncols = 3, .cols = cols };
	struct ts_prophet_opts o;
	struct ts_prophet_regressor reg_opt[1];
	struct ts_prophet_data d;
	struct ts_err err = { 0 };
	double tsec[3];
	const double *reg[1];

	(void)state;
	ts_prophet_opts_init(&o);
	memset(reg_opt, 0, sizeof reg_opt);
	o.regressors = reg_opt;
	o.nregressors = 1;
	assert_int_equal(ts_prophet_data_of(&s, &o, tsec, reg, &d, &err), 0);
	assert_int_equal(d.n, 3);
	assert_near(d.t[2], 6, 0);
	assert_ptr_equal(d.y, y);
	assert_ptr_equal(d.cap, cap);
	assert_null(d.floor);
	assert_ptr_equal(d.reg[0], r0);
	s.ncols = 2;
	assert_int_equal(ts_prophet_data_of(&s, &o, tsec, reg, &d, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "too many regressors");
}

/* 1970-01-01 was a Thursday: days 2 and 3 are the first weekend. */
static void test_is_weekend(void **state)
{
	(void)state;
	assert_false(ts_prophet_is_weekend(0));		/* Thu */
	assert_false(ts_prophet_is_weekend(1.99));	/* Fri 23:45 */
	assert_true(ts_prophet_is_weekend(2));		/* Sat */
	assert_true(ts_prophet_is_weekend(3.5));	/* Sun noon */
	assert_false(ts_prophet_is_weekend(4));		/* Mon */
	assert_true(ts_prophet_is_weekend(-4));		/* Sun 1969-12-28 */
	assert_false(ts_prophet_is_weekend(-3));	/* Mon 1969-12-29 */
	assert_true(ts_prophet_is_weekend(18692));	/* Sat 2021-03-06 */
}

/* Hourly, four weeks from Monday 2021-03-01: a weekday daily profile (one
 * peak at 14:00) and a weekend one (two peaks), no noise. */
enum { COND_N = 24 * 28 };
static double cond_t[COND_N], cond_day[COND_N], cond_y[COND_N], cond_col[COND_N];

static double weekday_shape(double hour)
{
	return 40 * cos(M_PI * 2 * (hour - 14) / 24);
}

static double weekend_shape(double hour)
{
	return 20 * cos(2 * M_PI * 2 * (hour - 10) / 24);
}

static void cond_data(struct ts_prophet_data *d)
{
	for (size_t i = 0; i < COND_N; i++) {
		double hour = (double)(i % 24);
		cond_t[i] = (double)i * 3600;
		cond_day[i] = 18687 + (double)i / 24;	/* 2021-03-01 */
		cond_col[i] = ts_prophet_is_weekend(cond_day[i]);
		cond_y[i] = 100 + (cond_col[i] ? weekend_shape(hour) : weekday_shape(hour));
	}
	memset(d, 0, sizeof *d);
	d->n = COND_N;
	d->t = cond_t;
	d->day = cond_day;
	d->y = cond_y;
}

/* The design matrix holds zeros in a conditional seasonality's columns where
 * its condition is false, and only there; the fit recovers both shapes, by
 * the built-in condition and by a column. */
static void test_conditional_seasonality(void **state)
{
	static double yhat[COND_N], comp[2 * COND_N];
	const char *names[1] = { "is_weekend" };
	const double *cond[1] = { cond_col };
	struct ts_prophet_season seasons[2] = {
		{ "daily_weekday", 1, 4, 0, -1, "weekday" },
		{ "daily_weekend", 1, 4, 0, -1, "weekend" },
	};
	struct ts_prophet_opts o;
	struct ts_prophet_data d;
	struct ts_err err = { 0 };

	(void)state;
	cond_data(&d);
	ts_prophet_opts_init(&o);
	o.daily = o.weekly = o.yearly = TS_PROPHET_OFF;
	o.seasons = seasons;
	o.nseasons = 2;
	o.samples = 0;
	for (int by_column = 0; by_column < 2; by_column++) {
		struct ts_prophet_model m;
		if (by_column) {
			snprintf(seasons[1].condition, sizeof seasons[1].condition, "is_weekend");
			o.conditions = names;
			o.nconditions = 1;
			d.cond = cond;
		}
		assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
		assert_int_equal(m.K, 16);
		assert_int_equal(m.season_cond[0], TS_PROPHET_WEEKDAY);
		assert_int_equal(m.season_cond[1], by_column ? 0 : TS_PROPHET_WEEKEND);
		for (size_t i = 0; i < m.T; i++) {
			bool weekend = cond_col[i] != 0;
			for (size_t c = 0; c < 16; c++) {
				bool off = c < 8 ? weekend : !weekend;
				double x = m.hX[i * 16 + c];
				if (off)
					assert_true(x == 0);
				else if (c % 2 == 1 && c < 8)
					assert_true(x != 0);	/* cos(2 pi k h / 24) is never 0 at whole hours for odd k */
			}
		}
		assert_int_equal(m.ncomp, 2);
		assert_string_equal(m.comp_names[0], "daily_weekday");
		assert_string_equal(m.comp_names[1], "daily_weekend");
		assert_int_equal(ts_prophet_predict(&m, &d, yhat, NULL, NULL, NULL, comp, &err), 0);
		double worst = 0;
		for (size_t i = 0; i < COND_N; i++) {
			worst = fmax(worst, fabs(yhat[i] - cond_y[i]));
			/* the component of the other condition is 0 */
			if (cond_col[i] != 0)
				assert_true(comp[i] == 0);
			else
				assert_true(comp[COND_N + i] == 0);
		}
		/* the two shapes differ by up to 60: one profile for both would miss by ~30 */
		print_message("conditional seasonality (%s): max |yhat - y| %.4f\n",
			      by_column ? "column" : "built-in", worst);
		assert_true(worst < 1.0);
		/* the profiles themselves, centred: peak hours as made */
		double wd14 = comp[14], wd2 = comp[2];
		double we10 = comp[COND_N + 5 * 24 + 10], we16 = comp[COND_N + 5 * 24 + 16];
		assert_true(wd14 - wd2 > 75 && wd14 - wd2 < 85);	/* 80 made */
		assert_true(we10 - we16 > 37 && we10 - we16 < 43);	/* 40 made */
		ts_prophet_free(&m);
	}
}

/* A condition that is neither a column nor built-in, and a column with a
 * missing value, are errors naming them. */
static void test_conditional_errors(void **state)
{
	const char *names[1] = { "open" };
	const double *cond[1] = { cond_col };
	struct ts_prophet_season season = { "daily_open", 1, 4, 0, -1, "open" };
	struct ts_prophet_opts o;
	struct ts_prophet_data d;
	struct ts_prophet_model m;
	struct ts_err err = { 0 };

	(void)state;
	cond_data(&d);
	ts_prophet_opts_init(&o);
	o.seasons = &season;
	o.nseasons = 1;
	o.samples = 0;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "seasonality \"daily_open\": condition \"open\" is not a column (nor weekend or weekday)");
	o.conditions = names;
	o.nconditions = 1;
	d.cond = cond;
	cond_col[5] = NAN;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), TS_EDATA);
	assert_string_equal(err.msg, "condition \"open\" has a missing value");
	cond_col[5] = 0;
	assert_int_equal(ts_prophet_fit(&d, &o, &m, &err), 0);
	static double yhat[COND_N];
	cond_col[7] = NAN;
	assert_int_equal(ts_prophet_predict(&m, &d, yhat, NULL, NULL, NULL, NULL, &err), TS_EDATA);
	assert_string_equal(err.msg, "condition \"open\" has a missing value");
	ts_prophet_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hourly_counts),
		cmocka_unit_test(test_hourly_shift_gaps),
		cmocka_unit_test(test_airpassengers_mult),
		cmocka_unit_test(test_changepoints_match_r),
		cmocka_unit_test(test_logistic_reaches_maximum),
		cmocka_unit_test(test_multiplicative_reaches_maximum),
		cmocka_unit_test(test_linear_and_flat_reach_maximum),
		cmocka_unit_test(test_predict_reuses_fit_rows),
		cmocka_unit_test(test_multiplicative_terms_reach_maximum),
		cmocka_unit_test(test_auto_seasonalities),
		cmocka_unit_test(test_copy_opts),
		cmocka_unit_test(test_history_interval_distribution),
		cmocka_unit_test(test_future_interval_distribution),
		cmocka_unit_test(test_forecast_without_samples),
		cmocka_unit_test(test_longest_period),
		cmocka_unit_test(test_data_of),
		cmocka_unit_test(test_is_weekend),
		cmocka_unit_test(test_conditional_seasonality),
		cmocka_unit_test(test_conditional_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
