/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-forecast: in-sample and future forecasts with intervals per series
 * (Prophet's model by default), cross-validation and tuning. Options and glue. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "cv.h"
#include "fcinput.h"
#include "fcspec.h"
#include "fcmodels.h"
#include "frame.h"
#include "holidays.h"
#include "mem.h"
#include "num.h"
#include "pool.h"
#include "prophet.h"
#include "ranges.h"
#include "tune.h"

static const char synopsis[] =
	"usage: ts-forecast [-v] [-H N|DUR] [--model NAME] [--components] [--interval WIDTH]\n"
	"                   [--samples N] [--seed N] [--growth linear|flat|logistic]\n"
	"                   [--changepoints N] [--changepoint-range X] [--changepoint-prior-scale X]\n"
	"                   [--seasonality-prior-scale X] [--holidays-prior-scale X]\n"
	"                   [--seasonality-mode additive|multiplicative] [--daily auto|on|off|N]\n"
	"                   [--weekly auto|on|off|N] [--yearly auto|on|off|N]\n"
	"                   [--add-seasonality NAME[:DAYS:ORDER[:PRIOR[:MODE]]]] [--holidays FILE]\n"
	"                   [--regressor COL[:PRIOR[:MODE]]] [--exclude FILE|START/END[,...]]\n"
	"                   [--cv initial=DUR,period=DUR,horizon=DUR] [--cv-rows]\n"
	"                   [--rolling-window X] [--tune] [--metric NAME] [-t COL] [-y COL]\n"
	"                   [-k COL[,COL]] [-d C] [--tz ZONE] [--epoch s|ms] [-j N] [--skip-bad]\n"
	"                   [FILE ...]\n";

static const char help[] =
	"\nForecast each series: history rows get in-sample yhat, yhat_lower and\n"
	"yhat_upper; -H appends future rows on the series' grid; trailing rows with an\n"
	"empty value are forecast in place.\n"
	"\nOptions:\n"
	"  -H, --horizon N|DUR   future rows after the last value: a count or a duration\n"
	"      --model NAME      prophet (default), ets, holt-winters, naive, snaive,\n"
	"                        msnaive, snaive-ar, naive2, drift, theta, mstl, mstl-ar,\n"
	"                        or auto (per series, the best few of snaive, msnaive,\n"
	"                        snaive-ar, theta, mstl-ar, prophet by cross-validation)\n"
	"      --components      add trend and one column per seasonality and holiday\n"
	"      --interval WIDTH  interval width (default 0.8)\n"
	"      --samples N       simulated paths for the interval (default 1000; 0: none)\n"
	"      --seed N          random seed of the simulation (default 0)\n"
	"      --growth G        linear (default), flat, or logistic (cap, floor columns)\n"
	"      --changepoints N  potential changepoints (default 25)\n"
	"      --changepoint-range X        share of the history they span (default 0.8)\n"
	"      --changepoint-prior-scale X  trend flexibility (default 0.05)\n"
	"      --seasonality-prior-scale X  (default 10)\n"
	"      --holidays-prior-scale X     (default 10)\n"
	"      --seasonality-mode M         additive (default) or multiplicative\n"
	"      --daily, --weekly, --yearly auto|on|off|ORDER   built-in seasonalities\n"
	"      --add-seasonality NAME[:DAYS:ORDER[:PRIOR[:MODE]]]   (repeatable)\n"
	"      --holidays FILE   CSV: holiday,ds[,lower_window,upper_window[,prior_scale]]\n"
	"      --regressor COL[:PRIOR[:MODE]]   extra regressor column (repeatable)\n"
	"      --exclude FILE|START/END[,START/END...]   ranges left out of the fit\n"
	"      --cv initial=DUR,period=DUR,horizon=DUR   print cross-validation metrics\n"
	"      --cv-rows         print the cross-validation predictions instead\n"
	"      --rolling-window X   share of rows per metric window (default 0.1)\n"
	"      --tune            choose prior scales and mode by cross-validation\n"
	"      --metric NAME     mse rmse mae mape mdape smape coverage mase (default mase)\n";

enum {
	OPT_MODEL = 0x2000,
	OPT_COMPONENTS,
	OPT_INTERVAL,
	OPT_SAMPLES,
	OPT_SEED,
	OPT_GROWTH,
	OPT_CHANGEPOINTS,
	OPT_CP_RANGE,
	OPT_CP_PRIOR,
	OPT_SEAS_PRIOR,
	OPT_HOL_PRIOR,
	OPT_SEAS_MODE,
	OPT_DAILY,
	OPT_WEEKLY,
	OPT_YEARLY,
	OPT_ADD_SEAS,
	OPT_HOLIDAYS,
	OPT_REGRESSOR,
	OPT_EXCLUDE,
	OPT_CV,
	OPT_CV_ROWS,
	OPT_ROLLING,
	OPT_TUNE,
	OPT_METRIC
};

static const struct option tool_options[] = {
	{ "horizon", required_argument, NULL, 'H' },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "components", no_argument, NULL, OPT_COMPONENTS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "growth", required_argument, NULL, OPT_GROWTH },
	{ "changepoints", required_argument, NULL, OPT_CHANGEPOINTS },
	{ "changepoint-range", required_argument, NULL, OPT_CP_RANGE },
	{ "changepoint-prior-scale", required_argument, NULL, OPT_CP_PRIOR },
	{ "seasonality-prior-scale", required_argument, NULL, OPT_SEAS_PRIOR },
	{ "holidays-prior-scale", required_argument, NULL, OPT_HOL_PRIOR },
	{ "seasonality-mode", required_argument, NULL, OPT_SEAS_MODE },
	{ "daily", required_argument, NULL, OPT_DAILY },
	{ "weekly", required_argument, NULL, OPT_WEEKLY },
	{ "yearly", required_argument, NULL, OPT_YEARLY },
	{ "add-seasonality", required_argument, NULL, OPT_ADD_SEAS },
	{ "holidays", required_argument, NULL, OPT_HOLIDAYS },
	{ "regressor", required_argument, NULL, OPT_REGRESSOR },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "cv", required_argument, NULL, OPT_CV },
	{ "cv-rows", no_argument, NULL, OPT_CV_ROWS },
	{ "rolling-window", required_argument, NULL, OPT_ROLLING },
	{ "tune", no_argument, NULL, OPT_TUNE },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ NULL, 0, NULL, 0 }
};

/* The models --model names: adding one is one line here and a ts_forecast_fn
 * (cv.h) in lib/. cfg_of gives the model's settings from the run. */
struct fc_run;
struct model_entry {
	const char *name;
	ts_forecast_fn forecast;
	const void *(*cfg_of)(const struct fc_run *run);
};

static const void *prophet_cfg(const struct fc_run *run);
static const void *classical_cfg(const struct fc_run *run);
static const void *auto_cfg(const struct fc_run *run);

static const struct model_entry models[] = {
	{ "prophet", ts_prophet_forecast, prophet_cfg },
	{ "ets", ts_classical_forecast, classical_cfg },
	{ "holt-winters", ts_classical_forecast, classical_cfg },
	{ "naive", ts_classical_forecast, classical_cfg },
	{ "snaive", ts_classical_forecast, classical_cfg },
	{ "msnaive", ts_classical_forecast, classical_cfg },
	{ "snaive-ar", ts_classical_forecast, classical_cfg },
	{ "naive2", ts_classical_forecast, classical_cfg },
	{ "drift", ts_classical_forecast, classical_cfg },
	{ "theta", ts_classical_forecast, classical_cfg },
	{ "mstl", ts_classical_forecast, classical_cfg },
	{ "mstl-ar", ts_classical_forecast, classical_cfg },
	{ "auto", ts_auto_forecast, auto_cfg },
};

/* The models --model auto chooses between, by cross-validation. */
static const char *const auto_names[] = { "snaive", "msnaive", "snaive-ar", "theta", "mstl-ar",
					  "prophet" };
#define NAUTO (sizeof auto_names / sizeof auto_names[0])

#define MAX_REGRESSORS 32
#define MAX_SEASONS 16
#define MAX_COMPONENTS 256

/* Everything the jobs share, read-only while they run. */
struct fc_run {
	struct ts_cli *cli;
	const struct ts_table *tab;
	const struct ts_roles *roles;
	const struct ts_groups *groups;
	const struct model_entry *model;
	struct ts_prophet_opts popts;
	struct ts_prophet_season seasons[MAX_SEASONS];
	struct ts_prophet_regressor regs[MAX_REGRESSORS];
	size_t reg_col[MAX_REGRESSORS];
	struct ts_prophet_holiday *holidays;
	size_t cap_col, floor_col;
	struct ts_fcinput_horizon horizon;	/* -H */
	struct ts_ranges excl;		/* --exclude */
	/* output */
	bool components, store;
	const struct ts_outcols *outcols;
	size_t nadded;
	/* --cv, --tune */
	bool cv, cv_rows, tune;
	ts_time cv_initial, cv_period, cv_horizon;	/* 0: Prophet's default */
	double rolling_window;
	int metric;
	struct ts_classical_cfg classical;		/* --model ets ... mstl */
	struct ts_classical_cfg auto_classical[NAUTO];	/* --model auto's candidates */
	struct ts_auto_candidate auto_candidates[NAUTO];
	struct ts_auto_cfg autocfg;
	struct ts_prophet_opts auto_popts;		/* prophet in auto: no simulated paths */
	struct series_work **works;	/* store mode: per group */
	size_t *skipped;
	/* the component columns of the output, store mode */
	size_t ncomp;
	char (*comp_names)[TS_PROPHET_NAME_MAX + 32];
};

static const void *prophet_cfg(const struct fc_run *run)
{
	return &run->popts;
}

static const void *classical_cfg(const struct fc_run *run)
{
	return &run->classical;
}

static const void *auto_cfg(const struct fc_run *run)
{
	return &run->autocfg;
}

/* Settings of the classical models and of auto, from the common options. */
static void setup_models(struct fc_run *run, const char *model_name)
{
	run->classical.model = ts_classical_find(model_name);
	run->classical.level = run->popts.interval_width;
	run->classical.seed = run->popts.seed;
	for (size_t i = 0; i < NAUTO; i++) {
		struct ts_auto_candidate *c = &run->auto_candidates[i];
		c->name = auto_names[i];
		if (strcmp(auto_names[i], "prophet") == 0) {
			run->auto_popts = run->popts;
			run->auto_popts.samples = 0;
			c->forecast = ts_prophet_forecast;
			c->cfg = &run->auto_popts;
			continue;
		}
		run->auto_classical[i] = run->classical;
		run->auto_classical[i].model = ts_classical_find(auto_names[i]);
		c->forecast = ts_classical_forecast;
		c->cfg = &run->auto_classical[i];
	}
	run->autocfg.candidates = run->auto_candidates;
	run->autocfg.ncandidates = NAUTO;
	run->autocfg.metric = run->metric;
	run->autocfg.owa = run->metric == TS_M_MASE;	/* the default: M4's OWA */
	run->autocfg.width = run->popts.interval_width;
}

/* One series prepared for a model and its results, in the order of its rows. */
struct series_work {
	struct ts_fcinput in;
	double *yhat, *lower, *upper, *trend, *comp;
	size_t ncomp;
	char (*comp_names)[TS_PROPHET_NAME_MAX + 32];
	bool passed;		/* not forecast: its rows go out as they are */
};

static void work_free(struct series_work *w)
{
	if (w == NULL)
		return;
	ts_fcinput_free(&w->in);
	free(w->yhat);
	free(w->lower);
	free(w->upper);
	free(w->trend);
	free(w->comp);
	free(w->comp_names);
	free(w);
}

/* ---- option parsing ----------------------------------------------------- */

static const struct ts_cli_word growths[] = {
	{ "linear", TS_PROPHET_LINEAR, false },
	{ "flat", TS_PROPHET_FLAT, false },
	{ "logistic", TS_PROPHET_LOGISTIC, false },
	{ NULL, 0, false }
};

static const struct ts_cli_word modes[] = {
	{ "additive", TS_PROPHET_ADDITIVE, false },
	{ "multiplicative", TS_PROPHET_MULTIPLICATIVE, false },
	{ NULL, 0, false }
};

static int parse_builtin(const struct ts_cli *cli, const char *option, const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		return TS_PROPHET_AUTO;
	if (strcmp(arg, "on") == 0 || strcmp(arg, "true") == 0)
		return TS_PROPHET_ON;
	if (strcmp(arg, "off") == 0 || strcmp(arg, "false") == 0)
		return TS_PROPHET_OFF;
	for (const char *p = arg; *p; p++)
		if (!isdigit((unsigned char)*p))
			ts_cli_usage_error(cli, "%s: invalid value \"%s\" (expected auto, on, off or an order)",
					   option, arg);
	return (int)ts_cli_int(cli, option, arg, 1, 100);
}

/* The value of a structured option, parsed in lib/fcspec; a usage error
 * names the option. */
static void spec_failed(const struct ts_cli *cli, const char *option, const struct ts_err *err)
{
	ts_cli_usage_error(cli, "%s: %s", option, err->msg);
}

/* --exclude START/END[,START/END...] or a CSV file with start and end columns
 * (else the first two); an instant without an offset is wall clock in --tz. */
static void parse_exclude(struct ts_cli *cli, const char *arg, struct fc_run *run)
{
	struct ts_ranges_time tm = { cli->epoch, cli->have_zone ? &cli->zone : NULL };
	struct ts_err err = { 0 };
	FILE *f = fopen(arg, "r");

	if (f == NULL && strchr(arg, '/') != NULL) {
		if (ts_ranges_parse(&run->excl, arg, &tm, &err) == TS_EUSAGE)
			ts_cli_usage_error(cli, "--exclude: %s", err.msg);
		if (err.code != 0)
			ts_cli_fail(cli, &err);
		return;
	}
	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, arg, strerror(errno));
		exit(TS_EXIT_TROUBLE);
	}
	if (ts_ranges_read(&run->excl, f, arg, &tm, &err) != 0) {
		fclose(f);
		ts_cli_fail(cli, &err);
	}
	fclose(f);
}

/* --holidays FILE: holiday,ds[,lower_window,upper_window[,prior_scale]]. */
static void read_holidays(struct ts_cli *cli, const char *path, struct fc_run *run)
{
	struct ts_err err = { 0 };
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, path, strerror(errno));
		exit(TS_EXIT_TROUBLE);
	}
	if (ts_holidays_read(f, path, cli->epoch, &run->holidays, &run->popts.nholidays, &err) != 0) {
		fclose(f);
		ts_cli_fail(cli, &err);
	}
	fclose(f);
	run->popts.holidays = run->holidays;
}

/* ---- one series --------------------------------------------------------- */

/* Prefix a whole-series error with the series. */
static void locate_series_error(const struct fc_run *run, size_t gi, struct ts_err *err)
{
	struct ts_buf label = { 0 };
	char text[sizeof err->msg];

	if (err->line != 0)
		return;
	ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
	ts_buf_putc(&label, '\0');
	snprintf(text, sizeof text, "%s", err->msg);
	if (run->roles->nkeys > 0)
		snprintf(err->msg, sizeof err->msg, "%.100s: %.400s", label.failed ? "?" : label.data, text);
	err->file = run->tab->files[0];
	ts_buf_free(&label);
}

/* Assemble group gi (lib/fcinput) and make room for the results. */
static int build_series(const struct fc_run *run, size_t gi, struct series_work *w,
			struct ts_buf *msg, struct ts_err *err)
{
	struct ts_cli_msgs jm = { run->cli->prog, msg };
	struct ts_fcinput_opts o = { 0 };
	bool logistic = run->popts.growth == TS_PROPHET_LOGISTIC;
	size_t first = run->groups->start[gi], n;
	int rc;

	o.load = ts_cli_load_opts(run->cli, &jm);
	o.horizon = run->horizon;
	o.exclude = &run->excl;
	o.cap_col = logistic ? run->cap_col : TS_NO_COL;
	o.floor_col = logistic ? run->floor_col : TS_NO_COL;
	o.reg_cols = run->reg_col;
	o.nregs = run->popts.nregressors;
	rc = ts_fcinput_build(run->tab, run->roles, run->groups->rows + first,
			      run->groups->start[gi + 1] - first, &o, &w->in, err);
	if (rc != 0)
		return rc;
	n = w->in.n;
	w->yhat = ts_mallocarray(n + 1, sizeof *w->yhat);
	w->lower = ts_mallocarray(n + 1, sizeof *w->lower);
	w->upper = ts_mallocarray(n + 1, sizeof *w->upper);
	w->trend = ts_mallocarray(n + 1, sizeof *w->trend);
	if (!w->yhat || !w->lower || !w->upper || !w->trend)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

static int fit_full(const struct series_work *w, const struct ts_prophet_opts *o,
		    struct ts_prophet_model *m, double **tsec, const double **reg,
		    struct ts_prophet_data *d, struct ts_err *err)
{
	struct ts_fc_series fs;
	int rc;

	*tsec = ts_mallocarray(w->in.n + 1, sizeof **tsec);
	if (*tsec == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	if ((rc = ts_prophet_data_of(&fs, o, *tsec, reg, d, err)) != 0)
		return rc;
	return ts_prophet_fit(d, o, m, err);
}

static void put_num(struct ts_buf *out, double v, char delim, bool sep)
{
	char b[TS_NUM_BUFSIZE];
	size_t n = ts_num_format(v, b);

	if (sep)
		ts_buf_putc(out, delim);
	ts_buf_put(out, b, n);
}

static void put_dur(struct ts_buf *out, ts_time us)
{
	char b[32];
	struct ts_dur d = { 0, us };

	if (us <= 0) {
		ts_buf_puts(out, "0s");
		return;
	}
	ts_dur_format(&d, b);
	ts_buf_puts(out, b);
}

/* Key columns of group gi, each followed by the delimiter. */
static void put_keys(const struct fc_run *run, const struct series_work *w, struct ts_buf *out)
{
	for (size_t k = 0; k < run->roles->nkeys; k++) {
		struct ts_str f = w->in.s.n > 0 ? ts_table_field(run->tab, w->in.s.row[0], run->roles->keys[k])
					     : (struct ts_str){ "", 0 };
		ts_csv_write_field(out, f.s, f.len, run->tab->delim);
		ts_buf_putc(out, run->tab->delim);
	}
}

static void put_time(const struct series_work *w, ts_time t, struct ts_buf *out, char delim)
{
	char b[TS_TIME_BUFSIZE];
	size_t n = ts_time_format(t, &w->in.s.tfmt, &w->in.s.zone, b);

	ts_csv_write_field(out, b, n, delim);
}

/* The horizon of cross-validation: --cv's, else -H's when it is a fixed
 * span; 0 when there is none. */
static ts_time cv_horizon(const struct fc_run *run, const struct series_work *w)
{
	const struct ts_fcinput_horizon *h = &run->horizon;
	const struct ts_dur *iv = &w->in.interval;

	if (run->cv_horizon != 0)
		return run->cv_horizon;
	if (h->given && h->is_count && iv->months == 0 && iv->us > 0)
		return h->count * iv->us;
	if (h->given && !h->is_count && h->dur.months == 0)
		return h->dur.us;
	return 0;
}

/* --cv / --cv-rows: cross-validation of one series with model settings o
 * (NULL: the model's), Prophet's default windows from the full fit. */
static int cv_series(const struct fc_run *run, struct series_work *w,
		     const struct ts_prophet_opts *o, const struct ts_prophet_model *full,
		     struct ts_cv_row **rows, size_t *nrows, struct ts_err *err)
{
	struct ts_cv_windows win = { cv_horizon(run, w), run->cv_period, run->cv_initial };
	struct ts_fc_series fs;
	int rc;

	if ((rc = ts_cv_default_windows(&win, full != NULL ? ts_prophet_longest_period(full) : 0,
					err)) != 0)
		return rc;
	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	return ts_cv_run(run->model->forecast, o != NULL ? (const void *)o : run->model->cfg_of(run),
			 &fs, win.horizon, win.period, win.initial, rows, nrows, err);
}

static void write_perf(const struct fc_run *run, const struct series_work *w,
		       const struct ts_cv_perf *perf, struct ts_buf *out)
{
	char d = run->tab->delim;

	for (size_t i = 0; i < perf->n; i++) {
		put_keys(run, w, out);
		put_dur(out, perf->horizon[i]);
		for (int k = 0; k <= TS_M_COVERAGE; k++)
			put_num(out, perf->m[k][i], d, true);
		ts_buf_putc(out, '\n');
	}
}

static void write_cv_rows(const struct fc_run *run, const struct series_work *w,
			  const struct ts_cv_row *rows, size_t nrows, struct ts_buf *out)
{
	char d = run->tab->delim;

	for (size_t i = 0; i < nrows; i++) {
		put_keys(run, w, out);
		put_time(w, rows[i].ds, out, d);
		put_num(out, rows[i].y, d, true);
		put_num(out, rows[i].yhat, d, true);
		put_num(out, rows[i].lower, d, true);
		put_num(out, rows[i].upper, d, true);
		ts_buf_putc(out, d);
		put_time(w, rows[i].cutoff, out, d);
		ts_buf_putc(out, '\n');
	}
}

/* --tune (lib/tune): the prior scales and mode that cross-validate best,
 * each point of the grid and the choice told under -v. */
static int tune_series(const struct fc_run *run, size_t gi, struct series_work *w,
		       struct ts_prophet_opts *best, struct ts_buf *msg, struct ts_err *err)
{
	struct ts_tune_cfg cfg = { run->metric, { cv_horizon(run, w), run->cv_period, run->cv_initial } };
	struct ts_tune_result res;
	struct ts_fc_series fs;
	struct ts_buf label = { 0 };
	const char *name;
	int rc;

	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	rc = ts_tune_run(&run->popts, &cfg, &fs, best, &res, err);
	if (run->cli->verbose == 0)
		return rc;
	ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
	ts_buf_putc(&label, '\0');
	name = label.failed ? "?" : label.data;
	for (size_t i = 0; i < res.nscored; i++) {
		const struct ts_tune_point *pt = &res.grid[i];
		char line[256];
		snprintf(line, sizeof line,
			 "%s: %s: tune changepoint_prior_scale=%g seasonality_prior_scale=%g seasonality_mode=%s %s=%.6g\n",
			 run->cli->prog, name, pt->changepoint_prior_scale, pt->seasonality_prior_scale,
			 pt->seasonality_mode ? "multiplicative" : "additive", ts_metric_name(run->metric),
			 pt->score);
		ts_buf_puts(msg, line);
	}
	if (rc == 0) {
		char line[256];
		snprintf(line, sizeof line,
			 "%s: %s: chosen changepoint_prior_scale=%g seasonality_prior_scale=%g seasonality_mode=%s\n",
			 run->cli->prog, name, best->changepoint_prior_scale, best->seasonality_prior_scale,
			 best->seasonality_mode ? "multiplicative" : "additive");
		ts_buf_puts(msg, line);
	}
	ts_buf_free(&label);
	return rc;
}

/* Fit, predict and keep the results in w. */
static int forecast_series(const struct fc_run *run, size_t gi, struct series_work *w,
			   const struct ts_prophet_opts *o, struct ts_buf *msg, struct ts_err *err)
{
	struct ts_prophet_model m;
	struct ts_prophet_data d;
	const double *reg[MAX_REGRESSORS];
	double *tsec = NULL;
	int rc;

	if ((rc = fit_full(w, o, &m, &tsec, reg, &d, err)) != 0) {
		free(tsec);
		return rc;
	}
	if (run->components) {
		w->ncomp = m.ncomp;
		w->comp = ts_mallocarray(m.ncomp * w->in.n + 1, sizeof *w->comp);
		w->comp_names = ts_calloc(m.ncomp + 1, sizeof *w->comp_names);
		if (w->comp == NULL || w->comp_names == NULL) {
			ts_prophet_free(&m);
			free(tsec);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		memcpy(w->comp_names, m.comp_names, m.ncomp * sizeof *w->comp_names);
	}
	rc = ts_prophet_predict(&m, &d, w->yhat, w->trend, w->lower, w->upper, w->comp, err);
	if (rc == 0 && run->cli->verbose > 0) {
		char line[512], iv[32] = "-";
		struct ts_buf label = { 0 };
		size_t off = 0;
		char seas[160] = "";
		ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
		ts_buf_putc(&label, '\0');
		for (size_t s = 0; s < m.nseasons && off < sizeof seas - 40; s++)
			off += (size_t)snprintf(seas + off, sizeof seas - off, "%s%s", s ? "," : "",
						m.seasons[s].name);
		if (w->in.interval.us > 0 || w->in.interval.months > 0)
			ts_dur_format(&w->in.interval, iv);
		snprintf(line, sizeof line,
			 "%s: %s: %zu points fitted, %zu rows forecast, interval %s, seasonalities %s, %zu changepoints, sigma %.6g, log posterior %.9g after %zu iterations%s\n",
			 run->cli->prog, label.failed ? "?" : label.data, m.T, w->in.n - w->in.nin, iv,
			 m.nseasons ? seas : "none", m.dummy_changepoint ? (size_t)0 : m.S, m.p.sigma,
			 ts_prophet_logpost(&m, &m.p), m.iterations,
			 m.constant ? " (y is constant: not fitted, as Prophet)" : "");
		ts_buf_puts(msg, line);
		ts_buf_free(&label);
	}
	ts_prophet_free(&m);
	free(tsec);
	return rc;
}

/* Write the series' rows: input rows in input order, then the added ones. */
static void write_series(const struct fc_run *run, const struct series_work *w, struct ts_buf *out)
{
	const struct ts_table *tab = run->tab;
	size_t na = run->nadded;
	struct ts_str *added = ts_calloc(na + 1, sizeof *added);
	struct ts_str *cols = ts_calloc(tab->ncols + 1, sizeof *cols);
	char (*text)[TS_NUM_BUFSIZE] = ts_calloc(na + 1, sizeof *text);
	char tbuf[TS_TIME_BUFSIZE];
	size_t *map = ts_calloc(run->ncomp + 1, sizeof *map);

	if (added == NULL || cols == NULL || text == NULL || map == NULL) {
		out->failed = true;
		goto out;
	}
	for (size_t c = 0; c < run->ncomp; c++) {
		map[c] = SIZE_MAX;
		for (size_t k = 0; k < w->ncomp; k++)
			if (strcmp(run->comp_names[c], w->comp_names[k]) == 0)
				map[c] = k;
	}
	for (size_t r = 0; r < w->in.n; r++) {
		size_t k = r < w->in.nin ? w->in.pos[r] : r;
		double v[3 + 1 + MAX_COMPONENTS];
		size_t nv = 0;
		v[nv++] = w->yhat[k];
		v[nv++] = w->lower[k];
		v[nv++] = w->upper[k];
		if (run->components) {
			v[nv++] = w->trend[k];
			for (size_t c = 0; c < run->ncomp && nv < na; c++)
				v[nv++] = map[c] == SIZE_MAX ? 0 : w->comp[map[c] * w->in.n + k];
		}
		for (size_t a = 0; a < na; a++) {
			added[a].s = text[a];
			added[a].len = a < nv ? ts_num_format(v[a], text[a]) : 0;
		}
		if (r < w->in.nin) {
			ts_write_row(run->outcols, tab, w->in.s.row[r], NULL, added, out);
			continue;
		}
		for (size_t c = 0; c < tab->ncols; c++) {
			cols[c].s = "";
			cols[c].len = 0;
		}
		for (size_t kk = 0; kk < run->roles->nkeys; kk++)
			if (w->in.s.n > 0)
				cols[run->roles->keys[kk]] = ts_table_field(tab, w->in.s.row[0], run->roles->keys[kk]);
		struct ts_tfmt fmt;
		ts_tfmt_for_interval(&w->in.s.tfmt, &w->in.interval, &fmt);
		cols[run->roles->time].s = tbuf;
		cols[run->roles->time].len = ts_time_format(w->in.t[k], &fmt, &w->in.s.zone, tbuf);
		/* the cap and floor the rows -H adds were forecast with */
		char capbuf[2][TS_NUM_BUFSIZE];
		for (size_t c = 0; c < 2; c++) {
			size_t col = c == 0 ? run->cap_col : run->floor_col;
			if (col != TS_NO_COL && w->in.cols[c] != NULL) {
				cols[col].s = capbuf[c];
				cols[col].len = ts_num_format(w->in.cols[c][k], capbuf[c]);
			}
		}
		ts_write_row(run->outcols, tab, TS_NO_COL, cols, added, out);
	}
out:
	free(added);
	free(cols);
	free(text);
	free(map);
}

/* -v for the models other than prophet: the series, its interval and, for
 * auto, the model chosen with its cross-validation score. */
static void say_model(const struct fc_run *run, size_t gi, const struct series_work *w,
		      const struct ts_fc_result *r, struct ts_buf *msg)
{
	char line[512], iv[32] = "-", score[64] = "";
	struct ts_buf label = { 0 };

	ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
	ts_buf_putc(&label, '\0');
	if (w->in.interval.us > 0 || w->in.interval.months > 0)
		ts_dur_format(&w->in.interval, iv);
	if (r->chosen != NULL && !isnan(r->chosen_score))
		snprintf(score, sizeof score, " (cross-validated %s %.6g)",
			 run->autocfg.owa ? "owa" : ts_metric_name(run->autocfg.metric), r->chosen_score);
	snprintf(line, sizeof line, "%s: %s: %zu rows, %zu rows forecast, interval %s, model %s%s%s%s\n",
		 run->cli->prog, label.failed ? "?" : label.data, w->in.nin, w->in.n - w->in.nin, iv,
		 run->model->name, r->chosen != NULL ? " chose " : "", r->chosen != NULL ? r->chosen : "",
		 score);
	ts_buf_puts(msg, line);
	ts_buf_free(&label);
}

static int fc_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct fc_run *run = ctx;
	struct series_work *w = ts_calloc(1, sizeof *w);
	struct ts_prophet_opts o = run->popts, tuned;
	struct ts_prophet_season seasons[MAX_SEASONS + 3];
	int rc;

	if (w == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (run->groups->start[gi + 1] == run->groups->start[gi]) {
		free(w);	/* header only: nothing to fit, main has warned */
		return 0;
	}
	rc = build_series(run, gi, w, msg, err);
	run->skipped[gi] = w->in.s.skipped;
	if (rc == 0 && run->model->forecast != ts_prophet_forecast) {
		/* any other model: the common interface only (no components) */
		struct ts_fc_series fs;
		struct ts_fc_result r = { w->yhat, w->lower, w->upper, NULL, NULL, NAN, "" };
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;
		for (size_t k = 0; k < w->in.n; k++)
			w->yhat[k] = w->lower[k] = w->upper[k] = w->trend[k] = NAN;
		if (run->cv) {
			rc = cv_series(run, w, NULL, NULL, &rows, &nrows, err);
			if (rc == 0 && run->cv_rows) {
				write_cv_rows(run, w, rows, nrows, out);
			} else if (rc == 0) {
				struct ts_cv_perf perf;
				if ((rc = ts_cv_performance(rows, nrows, run->rolling_window, &perf, err)) == 0) {
					write_perf(run, w, &perf, out);
					ts_cv_perf_free(&perf);
				}
			}
			free(rows);
		} else {
			ts_fcinput_series(&w->in, w->in.yfit, &fs);
			rc = run->model->forecast(run->model->cfg_of(run), &fs, &r, err);
			if (rc == 0 && run->cli->verbose > 0)
				say_model(run, gi, w, &r, msg);
			if (rc == 0 && !run->store)
				write_series(run, w, out);
		}
	} else if (rc == 0 && (run->cv || run->cv_rows)) {
		struct ts_prophet_model m;
		struct ts_prophet_data d;
		const double *reg[MAX_REGRESSORS];
		double *tsec = NULL;
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;

		if (run->tune && (rc = tune_series(run, gi, w, &tuned, msg, err)) == 0)
			o = tuned;
		if (rc == 0 && (rc = fit_full(w, &o, &m, &tsec, reg, &d, err)) == 0) {
			struct ts_prophet_opts fixed;
			/* The folds use the settings --tune chose, if it ran. */
			ts_prophet_copy_opts(&o, &m, &fixed, seasons, MAX_SEASONS + 3);
			rc = cv_series(run, w, &fixed, &m, &rows, &nrows, err);
			ts_prophet_free(&m);
		}
		free(tsec);
		if (rc == 0 && run->cv_rows) {
			write_cv_rows(run, w, rows, nrows, out);
		} else if (rc == 0) {
			struct ts_cv_perf perf;
			if ((rc = ts_cv_performance(rows, nrows, run->rolling_window, &perf, err)) == 0) {
				write_perf(run, w, &perf, out);
				ts_cv_perf_free(&perf);
			}
		}
		free(rows);
	} else if (rc == 0) {
		if (run->tune && (rc = tune_series(run, gi, w, &tuned, msg, err)) == 0)
			o = tuned;
		if (rc == 0)
			rc = forecast_series(run, gi, w, &o, msg, err);
		if (rc == 0 && !run->store)
			write_series(run, w, out);
	}
	if (ts_cli_can_pass(run->roles, rc)) {
		/* This series cannot be forecast; the others go on. Its rows go out
		 * now, or with the others' when they are stored (--components). */
		ts_cli_pass_series(run->cli, run->tab, run->roles, run->groups, gi, err,
				   run->cv || run->store ? NULL : run->outcols, out, msg);
		w->passed = true;
		rc = 0;
	}
	if (rc != 0)
		locate_series_error(run, gi, err);
	if (rc == 0 && run->store) {
		run->works[gi] = w;	/* each job writes only its own slot */
		return 0;
	}
	work_free(w);
	return rc;
}

/* ---- main --------------------------------------------------------------- */

static void fail_nomem(const struct ts_cli *cli)
{
	struct ts_err err = { 0 };

	ts_err_set(&err, TS_ENOMEM, "out of memory");
	ts_cli_fail(cli, &err);
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_table tab = { 0 };
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_outcols outcols;
	static struct fc_run run;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *model_name = "prophet", *holidays_path = NULL, *exclude_spec = NULL;
	const char **added = NULL;
	size_t nadded = 0, skipped_total = 0;
	int opt, rc;

	ts_cli_init(&cli, "ts-forecast", synopsis, help);
	ts_prophet_opts_init(&run.popts);
	run.rolling_window = 0.1;
	run.metric = TS_M_MASE;
	run.popts.seasons = run.seasons;
	run.popts.regressors = run.regs;
	while ((opt = ts_cli_getopt(&cli, argc, argv, tool_options, "H:")) != -1) {
		switch (opt) {
		case 'H':
			if (ts_horizon_parse(optarg, &run.horizon, &err) != 0)
				spec_failed(&cli, "-H", &err);
			break;
		case OPT_MODEL:
			model_name = optarg;
			break;
		case OPT_COMPONENTS:
			run.components = true;
			break;
		case OPT_INTERVAL:
			run.popts.interval_width = ts_cli_double(&cli, "--interval", optarg, 0, 1,
								 TS_CLI_OPEN_MIN | TS_CLI_OPEN_MAX,
								 "a width in (0, 1)");
			break;
		case OPT_SAMPLES:
			run.popts.samples = (size_t)ts_cli_int(&cli, "--samples", optarg, 0, 1000000);
			break;
		case OPT_SEED:
			run.popts.seed = (uint64_t)ts_cli_int(&cli, "--seed", optarg, 0, INT64_MAX);
			break;
		case OPT_GROWTH:
			run.popts.growth = ts_cli_choice(&cli, "--growth", optarg, growths);
			break;
		case OPT_CHANGEPOINTS:
			run.popts.n_changepoints = (int)ts_cli_int(&cli, "--changepoints", optarg, 0, 10000);
			break;
		case OPT_CP_RANGE:
			run.popts.changepoint_range = ts_cli_double(&cli, "--changepoint-range", optarg, 0, 1,
								    TS_CLI_OPEN_MIN, "a number in (0, 1]");
			break;
		case OPT_CP_PRIOR:
			run.popts.changepoint_prior_scale = ts_cli_double(&cli, "--changepoint-prior-scale", optarg, 0,
									  1e12, TS_CLI_OPEN_MIN, "a number > 0");
			break;
		case OPT_SEAS_PRIOR:
			run.popts.seasonality_prior_scale = ts_cli_double(&cli, "--seasonality-prior-scale", optarg, 0,
									  1e12, TS_CLI_OPEN_MIN, "a number > 0");
			break;
		case OPT_HOL_PRIOR:
			run.popts.holidays_prior_scale = ts_cli_double(&cli, "--holidays-prior-scale", optarg, 0,
									  1e12, TS_CLI_OPEN_MIN, "a number > 0");
			break;
		case OPT_SEAS_MODE:
			run.popts.seasonality_mode = ts_cli_choice(&cli, "--seasonality-mode", optarg, modes);
			break;
		case OPT_DAILY:
			run.popts.daily = parse_builtin(&cli, "--daily", optarg);
			break;
		case OPT_WEEKLY:
			run.popts.weekly = parse_builtin(&cli, "--weekly", optarg);
			break;
		case OPT_YEARLY:
			run.popts.yearly = parse_builtin(&cli, "--yearly", optarg);
			break;
		case OPT_ADD_SEAS:
			if (run.popts.nseasons == MAX_SEASONS)
				ts_cli_usage_error(&cli, "--add-seasonality: at most %d", MAX_SEASONS);
			if (ts_season_spec_parse(optarg, &run.seasons[run.popts.nseasons], &err) != 0)
				spec_failed(&cli, "--add-seasonality", &err);
			for (size_t s = 0; s < run.popts.nseasons; s++)
				if (strcmp(run.seasons[s].name, run.seasons[run.popts.nseasons].name) == 0)
					ts_cli_usage_error(&cli, "--add-seasonality: \"%s\" given twice",
							   run.seasons[s].name);
			run.popts.nseasons++;
			break;
		case OPT_HOLIDAYS:
			holidays_path = optarg;
			break;
		case OPT_REGRESSOR:
			if (run.popts.nregressors == MAX_REGRESSORS)
				ts_cli_usage_error(&cli, "--regressor: at most %d", MAX_REGRESSORS);
			if (ts_regressor_spec_parse(optarg, &run.regs[run.popts.nregressors++], &err) != 0)
				spec_failed(&cli, "--regressor", &err);
			break;
		case OPT_EXCLUDE:
			exclude_spec = optarg;
			break;
		case OPT_CV: {
			struct ts_cv_windows w = { run.cv_horizon, run.cv_period, run.cv_initial };
			if (ts_cv_spec_parse(optarg, &w, &err) != 0)
				spec_failed(&cli, "--cv", &err);
			run.cv = true;
			run.cv_horizon = w.horizon;
			run.cv_period = w.period;
			run.cv_initial = w.initial;
			break;
		}
		case OPT_CV_ROWS:
			run.cv_rows = true;
			break;
		case OPT_ROLLING:
			run.rolling_window = ts_cli_double(&cli, "--rolling-window", optarg, 0, 1, 0,
							   "a number in [0, 1]");
			break;
		case OPT_TUNE:
			run.tune = true;
			break;
		case OPT_METRIC:
			if ((run.metric = ts_metric_parse(optarg)) < 0)
				ts_cli_usage_error(&cli, "--metric: unknown metric \"%s\" (expected mse, rmse, mae, mape, mdape, smape, coverage or mase)",
						   optarg);
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;

	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
		if (strcmp(models[i].name, model_name) == 0)
			run.model = &models[i];
	if (run.model == NULL)
		ts_cli_usage_error(&cli, "--model: unknown model \"%s\" (prophet, ets, holt-winters, naive, snaive, msnaive, snaive-ar, naive2, drift, theta, mstl, mstl-ar, auto)",
				   model_name);
	if (run.cv_rows)
		run.cv = true;
	if (run.cv && run.components)
		ts_cli_usage_error(&cli, "--components cannot be used with --cv");
	if (run.tune && run.model->forecast != ts_prophet_forecast)
		ts_cli_usage_error(&cli, "--tune is for --model prophet");
	setup_models(&run, model_name);
	ts_cli_setup(&cli);
	if (exclude_spec != NULL)
		parse_exclude(&cli, exclude_spec, &run);
	if (holidays_path != NULL)
		read_holidays(&cli, holidays_path, &run);

	ts_cli_read_inputs(&cli, argc, argv, &tab);
	ts_cli_roles(&cli, &tab, &roles);
	ts_cli_need_value(&cli, &tab, &roles);
	run.cap_col = ts_table_column(&tab, "cap");
	run.floor_col = ts_table_column(&tab, "floor");
	if (run.popts.growth == TS_PROPHET_LOGISTIC && run.cap_col == TS_NO_COL) {
		char list[200];
		ts_table_column_list(&tab, list, sizeof list);
		ts_cli_data_error(&cli, &tab, "--growth logistic needs a \"cap\" column (columns: %s)", list);
	}
	for (size_t r = 0; r < run.popts.nregressors; r++) {
		const char *why;
		run.reg_col[r] = ts_table_column(&tab, run.regs[r].name);
		if (run.reg_col[r] == TS_NO_COL) {
			ts_table_no_column(&tab, "--regressor", run.regs[r].name, &err);
			ts_cli_fail_input(&cli, &tab, &err);
		}
		if (run.reg_col[r] == roles.value || run.reg_col[r] == roles.time)
			ts_cli_data_error(&cli, &tab, "--regressor: \"%s\" is the time or value column",
					  run.regs[r].name);
		/* name the regressor after its header, as Prophet names it */
		snprintf(run.regs[r].name, sizeof run.regs[r].name, "%s", tab.names[run.reg_col[r]]);
		if ((why = ts_prophet_bad_name(run.regs[r].name, false)) != NULL)
			ts_cli_data_error(&cli, &tab, "--regressor: name \"%s\" %s", run.regs[r].name, why);
	}
	if (ts_groups_build(&tab, &roles, &groups, &err) != 0)
		ts_cli_fail(&cli, &err);

	run.cli = &cli;
	run.tab = &tab;
	run.roles = &roles;
	run.groups = &groups;
	run.skipped = ts_calloc(groups.n + 1, sizeof *run.skipped);
	if (run.skipped == NULL)
		fail_nomem(&cli);
	if (tab.nrows == 0) {
		ts_cli_warn_no_data(&cli, &tab, NULL);
	}

	if (run.cv) {
		/* the metrics table, or the raw predictions */
		char d = tab.delim;
		for (size_t k = 0; k < roles.nkeys; k++) {
			ts_csv_write_field(&out, tab.names[roles.keys[k]], strlen(tab.names[roles.keys[k]]), d);
			ts_buf_putc(&out, d);
		}
		if (run.cv_rows) {
			const char *tn = tab.names[roles.time], *yn = tab.names[roles.value];
			ts_csv_write_field(&out, tn, strlen(tn), d);
			ts_buf_putc(&out, d);
			ts_csv_write_field(&out, yn, strlen(yn), d);
			const char *rest[] = { "yhat", "yhat_lower", "yhat_upper", "cutoff" };
			for (size_t i = 0; i < 4; i++) {
				ts_buf_putc(&out, d);
				ts_buf_puts(&out, rest[i]);
			}
		} else {
			ts_buf_puts(&out, "horizon");
			for (int k = 0; k <= TS_M_COVERAGE; k++) {
				ts_buf_putc(&out, d);
				ts_buf_puts(&out, ts_metric_name(k));
			}
		}
		ts_buf_putc(&out, '\n');
		ts_cli_hold_header(&cli, &out);
		rc = ts_cli_run_groups(&cli, groups.n, fc_job, &run, &err);
		if (rc != 0)
			ts_cli_fail(&cli, &err);
		ts_cli_release_header(&cli);
	} else {
		static const char *const base[] = { "yhat", "yhat_lower", "yhat_upper" };
		run.store = run.components;
		if (run.store) {
			/* components differ between series (auto seasonalities): fit every
			 * series first, then write the union of their columns */
			run.works = ts_calloc(groups.n + 1, sizeof *run.works);
			if (run.works == NULL)
				fail_nomem(&cli);
			rc = ts_cli_run_groups(&cli, groups.n, fc_job, &run, &err);
			if (rc != 0)
				ts_cli_fail(&cli, &err);
			run.comp_names = ts_calloc(MAX_COMPONENTS, sizeof *run.comp_names);
			if (run.comp_names == NULL)
				fail_nomem(&cli);
			for (size_t gi = 0; gi < groups.n; gi++) {
				struct series_work *w = run.works[gi];
				for (size_t k = 0; w != NULL && k < w->ncomp; k++) {
					bool seen = false;
					for (size_t c = 0; c < run.ncomp; c++)
						if (strcmp(run.comp_names[c], w->comp_names[k]) == 0)
							seen = true;
					if (!seen && run.ncomp < MAX_COMPONENTS)
						memcpy(run.comp_names[run.ncomp++], w->comp_names[k],
						       sizeof run.comp_names[0]);
				}
			}
		}
		added = ts_calloc(4 + run.ncomp, sizeof *added);
		if (added == NULL)
			fail_nomem(&cli);
		for (size_t i = 0; i < 3; i++)
			added[nadded++] = base[i];
		if (run.components) {
			added[nadded++] = "trend";
			for (size_t c = 0; c < run.ncomp; c++)
				added[nadded++] = run.comp_names[c];
		}
		run.nadded = nadded;
		if (ts_outcols_init(&outcols, &tab, added, nadded, &err) != 0)
			ts_cli_fail(&cli, &err);
		for (size_t a = 0; a < nadded; a++)	/* every added column is a number */
			ts_outcols_set_numeric(&outcols, a);
		run.outcols = &outcols;
		ts_write_header(&outcols, &tab, added, &out);
		if (run.store) {
			ts_cli_write(&cli, &out);
			for (size_t gi = 0; gi < groups.n; gi++) {
				struct series_work *w = run.works[gi];
				if (w != NULL && w->passed)
					ts_cli_pass_rows(&cli, &tab, &roles, &groups, gi, &outcols, &out);
				else if (w != NULL)
					write_series(&run, w, &out);
				work_free(w);
				run.works[gi] = NULL;
				ts_cli_write(&cli, &out);
			}
			free(run.works);
		} else {
			ts_cli_hold_header(&cli, &out);
			rc = ts_cli_run_groups(&cli, groups.n, fc_job, &run, &err);
			if (rc != 0)
				ts_cli_fail(&cli, &err);
			ts_cli_release_header(&cli);
		}
		ts_outcols_free(&outcols);
	}
	skipped_total = tab.skipped;	/* ragged rows the reader left out */
	for (size_t gi = 0; gi < groups.n; gi++)
		skipped_total += run.skipped[gi];
	ts_cli_warn_skipped(&cli, skipped_total);
	rc = ts_cli_pass_status(&cli, groups.n, TS_EXIT_OK);
	free(run.skipped);
	free(run.comp_names);
	free(run.holidays);
	ts_ranges_free(&run.excl);
	free(added);
	ts_buf_free(&out);
	ts_groups_free(&groups);
	ts_table_free(&tab);
	return ts_cli_finish(&cli, rc);
}
