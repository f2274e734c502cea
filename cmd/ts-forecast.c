/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-forecast: in-sample and future forecasts with intervals per series
 * (Prophet's model by default), cross-validation and tuning. Options and glue. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_holidays.h"
#include "forecast/fcspec.h"
#include "forecast/forecast.h"
#include "io/frame.h"
#include "forecast/holidays.h"
#include "core/num.h"
#include "core/pool.h"
#include "forecast/prophet.h"
#include "series/ranges.h"

static const char synopsis[] =
	"usage: ts-forecast [-v] [-H N|DUR] [--model NAME] [--components] [--interval WIDTH]\n"
	"                   [--samples N] [--seed N] [--growth linear|flat|logistic]\n"
	"                   [--changepoints N] [--changepoint-range X] [--changepoint-prior-scale X]\n"
	"                   [--seasonality-prior-scale X] [--holidays-prior-scale X]\n"
	"                   [--seasonality-mode additive|multiplicative] [--daily auto|on|off|N]\n"
	"                   [--weekly auto|on|off|N] [--yearly auto|on|off|N]\n"
	"                   [--add-seasonality SPEC] [--holidays FILE]\n"
	"                   [--country-holidays CODE]\n"
	"                   [--regressor COL[:PRIOR[:MODE]]] [--exclude FILE|START/END[,...]]\n"
	"                   [--cv initial=DUR,period=DUR,horizon=DUR] [--cv-rows]\n"
	"                   [--rolling-window X] [--tune] [--metric NAME] [-t COL] [-y COL]\n"
	"                   [-k COL[,COL]] [-d C] [--tz ZONE] [--epoch s|ms] [-j N] [--grouped]\n"
	"                   [--skip-bad] [--progress|--no-progress] [FILE ...]\n";

static const char help[] =
	"\nForecast each series: history rows get in-sample yhat, yhat_lower and\n"
	"yhat_upper; -H appends future rows on the series' grid; trailing rows with an\n"
	"empty value are forecast in place.\n"
	"\nOptions:\n"
	"  -H, --horizon N|DUR   future rows after the last value: a count or a duration\n"
	"      --model NAME      prophet (default), ets, holt-winters, naive, snaive,\n"
	"                        msnaive, snaive-ar, naive2, drift, theta, mstl, mstl-ar,\n"
	"                        dhr, or auto (per series, the best few of snaive,\n"
	"                        msnaive, snaive-ar, theta, mstl-ar, dhr by cross-\n"
	"                        validation; prophet too with holidays, regressors,\n"
	"                        seasonalities or a cap)\n"
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
	"      --add-seasonality SPEC   (repeatable): SPEC is\n"
	"                        NAME[:DAYS:ORDER[:PRIOR[:MODE]]][:condition=COND];\n"
	"                        COND: a true/false column, or weekend\n"
	"                        or weekday (by the local date): on only where true\n"
	"      --holidays FILE   CSV: holiday,ds[,lower_window,upper_window[,prior_scale]]\n"
	"      --country-holidays CODE   a country's public holidays (BR CN DE FR GB IN\n"
	"                        JP KR US), as Prophet's add_country_holidays\n"
	"      --regressor COL[:PRIOR[:MODE]]   extra regressor column (repeatable)\n"
	"      --exclude FILE|START/END[,START/END...]   ranges left out of the fit\n"
	"      --cv initial=DUR,period=DUR,horizon=DUR   print cross-validation metrics\n"
	"      --cv-rows         print the cross-validation predictions instead\n"
	"      --rolling-window X   share of rows per metric window (default 0.1)\n"
	"      --tune            choose prior scales and mode by cross-validation\n"
	"      --metric NAME     mse rmse mae mape mdape smape coverage mase (default mase)\n";

/* The long options this tool takes, from the suite's one table (cli.h). */
static const int tool_options[] = {
	TS_OPT_HORIZON, TS_OPT_MODEL, TS_OPT_COMPONENTS, TS_OPT_INTERVAL, TS_OPT_SAMPLES,
	TS_OPT_SEED, TS_OPT_GROWTH, TS_OPT_CHANGEPOINTS, TS_OPT_CHANGEPOINT_RANGE,
	TS_OPT_CHANGEPOINT_PRIOR_SCALE, TS_OPT_SEASONALITY_PRIOR_SCALE,
	TS_OPT_HOLIDAYS_PRIOR_SCALE, TS_OPT_SEASONALITY_MODE, TS_OPT_DAILY, TS_OPT_WEEKLY,
	TS_OPT_YEARLY, TS_OPT_ADD_SEASONALITY, TS_OPT_HOLIDAYS, TS_OPT_COUNTRY_HOLIDAYS,
	TS_OPT_REGRESSOR, TS_OPT_EXCLUDE, TS_OPT_CV, TS_OPT_CV_ROWS, TS_OPT_ROLLING_WINDOW,
	TS_OPT_TUNE, TS_OPT_METRIC, 0
};

/* What a job reads: the CLI (messages, --epoch, --tz, --skip-bad) and the run. */
struct fc_run {
	struct ts_cli *cli;
	struct ts_forecast *fc;
};

/* --grouped: a later batch's jobs, on their own copy of the settings. */
struct fc_batch {
	struct fc_run job;
	struct ts_forecast fc;
};

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

/* --changepoint-prior-scale, --seasonality-prior-scale, --holidays-prior-scale:
 * a prior's standard deviation, any number > 0. */
static double parse_prior_scale(const struct ts_cli *cli, const char *option, const char *arg)
{
	return ts_cli_double(cli, option, arg, 0, 1e12, TS_CLI_OPEN_MIN, "a number > 0");
}

/* The value of a structured option, parsed in lib/forecast/fcspec; a usage error
 * names the option. */
static void spec_failed(const struct ts_cli *cli, const char *option, const struct ts_err *err)
{
	ts_cli_usage_error(cli, "%s: %s", option, err->msg);
}

/* --exclude START/END[,START/END...] or a CSV file with start and end columns
 * (else the first two); an instant without an offset is wall clock in --tz. */
static void parse_exclude(struct ts_cli *cli, const char *arg, struct ts_forecast *run)
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
static void read_holidays(struct ts_cli *cli, const char *path, struct ts_forecast *run)
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
static void locate_series_error(const struct ts_forecast *run, size_t gi, struct ts_err *err)
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
	err->file = ts_table_first_file(run->tab);
	ts_buf_free(&label);
}

/* One series: forecast it (lib/forecast/forecast); one that cannot be is passed
 * through, its rows now or with the others' when they are stored. */
static int fc_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct fc_run *job = ctx;
	struct ts_forecast *run = job->fc;
	struct ts_cli_msgs jm = { job->cli->prog, msg };
	struct ts_load_opts load = ts_cli_load_opts(job->cli, &jm);
	struct ts_buf who = { 0 };
	struct ts_fc_work *w = NULL;
	int rc;

	if (job->cli->verbose > 0) {
		struct ts_buf label = { 0 };
		ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
		ts_buf_putc(&label, '\0');
		ts_buf_puts(&who, job->cli->prog);
		ts_buf_puts(&who, ": ");
		ts_buf_puts(&who, label.failed ? "?" : label.data);
		ts_buf_putc(&who, '\0');
		ts_buf_free(&label);
	}
	rc = ts_forecast_series(run, gi, &load, job->cli->verbose > 0 && !who.failed ? who.data : NULL,
				&w, out, msg, err);
	ts_buf_free(&who);
	if (ts_cli_can_pass(run->roles, rc)) {
		ts_cli_pass_series(job->cli, run->tab, run->roles, run->groups, gi, err,
				   run->cv || run->store ? NULL : run->outcols, out, msg);
		if (w != NULL)
			w->passed = true;
		rc = 0;
	}
	if (rc != 0)
		locate_series_error(run, gi, err);
	if (rc == 0 && run->store)
		run->works[gi] = w;	/* each job writes only its own slot */
	else
		ts_fc_work_free(w);
	return rc;
}

/* ---- main --------------------------------------------------------------- */

static void *bind_batch(const void *ctx, const struct ts_table *tab, const struct ts_groups *groups,
			size_t *skipped)
{
	const struct fc_run *job = ctx;
	struct fc_batch *batch = malloc(sizeof *batch);

	if (batch == NULL)
		return NULL;
	batch->job.cli = job->cli;
	batch->job.fc = &batch->fc;
	batch->fc = *job->fc;	/* read only by the jobs, but for the per-group arrays */
	batch->fc.tab = tab;
	batch->fc.groups = groups;
	batch->fc.works = NULL;	/* --components reads the whole input */
	batch->fc.skipped = skipped;
	return batch;
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_cli_input in = { 0 };
	static struct ts_forecast run;
	struct fc_run job = { &cli, &run };
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *model_name = "prophet", *holidays_path = NULL, *exclude_spec = NULL;
	const char *country = NULL;
	int opt, rc;

	ts_cli_init(&cli, "ts-forecast", synopsis, help);
	ts_forecast_init(&run);
	while ((opt = ts_cli_getopt(&cli, &argc, &argv, tool_options, "H:")) != -1) {
		switch (opt) {
		case 'H':
			if (ts_horizon_parse(optarg, &run.horizon, &err) != 0)
				spec_failed(&cli, "-H", &err);
			break;
		case TS_OPT_MODEL:
			model_name = optarg;
			break;
		case TS_OPT_COMPONENTS:
			run.components = true;
			break;
		case TS_OPT_INTERVAL:
			run.popts.interval_width = ts_cli_double(&cli, "--interval", optarg, 0, 1,
								 TS_CLI_OPEN_MIN | TS_CLI_OPEN_MAX,
								 "a width in (0, 1)");
			break;
		case TS_OPT_SAMPLES:
			run.popts.samples = (size_t)ts_cli_int(&cli, "--samples", optarg, 0, 1000000);
			break;
		case TS_OPT_SEED:
			run.popts.seed = (uint64_t)ts_cli_int(&cli, "--seed", optarg, 0, INT64_MAX);
			break;
		case TS_OPT_GROWTH:
			run.popts.growth = ts_cli_choice(&cli, "--growth", optarg, growths);
			break;
		case TS_OPT_CHANGEPOINTS:
			run.popts.n_changepoints = (int)ts_cli_int(&cli, "--changepoints", optarg, 0, 10000);
			break;
		case TS_OPT_CHANGEPOINT_RANGE:
			run.popts.changepoint_range = ts_cli_double(&cli, "--changepoint-range", optarg, 0, 1,
								    TS_CLI_OPEN_MIN, "a number in (0, 1]");
			break;
		case TS_OPT_CHANGEPOINT_PRIOR_SCALE:
			run.popts.changepoint_prior_scale = parse_prior_scale(&cli, "--changepoint-prior-scale",
									      optarg);
			break;
		case TS_OPT_SEASONALITY_PRIOR_SCALE:
			run.popts.seasonality_prior_scale = parse_prior_scale(&cli, "--seasonality-prior-scale",
									      optarg);
			break;
		case TS_OPT_HOLIDAYS_PRIOR_SCALE:
			run.popts.holidays_prior_scale = parse_prior_scale(&cli, "--holidays-prior-scale", optarg);
			break;
		case TS_OPT_SEASONALITY_MODE:
			run.popts.seasonality_mode = ts_cli_choice(&cli, "--seasonality-mode", optarg, modes);
			break;
		case TS_OPT_DAILY:
			run.popts.daily = parse_builtin(&cli, "--daily", optarg);
			break;
		case TS_OPT_WEEKLY:
			run.popts.weekly = parse_builtin(&cli, "--weekly", optarg);
			break;
		case TS_OPT_YEARLY:
			run.popts.yearly = parse_builtin(&cli, "--yearly", optarg);
			break;
		case TS_OPT_ADD_SEASONALITY:
			if (run.popts.nseasons == TS_FORECAST_MAX_SEASONS)
				ts_cli_usage_error(&cli, "--add-seasonality: at most %d", TS_FORECAST_MAX_SEASONS);
			if (ts_season_spec_parse(optarg, &run.seasons[run.popts.nseasons], &err) != 0)
				spec_failed(&cli, "--add-seasonality", &err);
			for (size_t s = 0; s < run.popts.nseasons; s++)
				if (strcmp(run.seasons[s].name, run.seasons[run.popts.nseasons].name) == 0)
					ts_cli_usage_error(&cli, "--add-seasonality: \"%s\" given twice",
							   run.seasons[s].name);
			run.popts.nseasons++;
			break;
		case TS_OPT_HOLIDAYS:
			holidays_path = optarg;
			break;
		case TS_OPT_COUNTRY_HOLIDAYS:
			country = optarg;
			break;
		case TS_OPT_REGRESSOR:
			if (run.popts.nregressors == TS_FORECAST_MAX_REGRESSORS)
				ts_cli_usage_error(&cli, "--regressor: at most %d", TS_FORECAST_MAX_REGRESSORS);
			if (ts_regressor_spec_parse(optarg, &run.regs[run.popts.nregressors++], &err) != 0)
				spec_failed(&cli, "--regressor", &err);
			break;
		case TS_OPT_EXCLUDE:
			exclude_spec = optarg;
			break;
		case TS_OPT_CV: {
			if (ts_cv_spec_parse(optarg, &run.cv_windows, &err) != 0)
				spec_failed(&cli, "--cv", &err);
			run.cv = true;
			break;
		}
		case TS_OPT_CV_ROWS:
			run.cv_rows = true;
			break;
		case TS_OPT_ROLLING_WINDOW:
			run.rolling_window = ts_cli_double(&cli, "--rolling-window", optarg, 0, 1, 0,
							   "a number in [0, 1]");
			break;
		case TS_OPT_TUNE:
			run.tune = true;
			break;
		case TS_OPT_METRIC:
			if ((run.metric = ts_metric_parse(optarg)) < 0)
				ts_cli_usage_error(&cli, "--metric: unknown metric \"%s\" (expected mse, rmse, mae, mape, mdape, smape, coverage or mase)",
						   optarg);
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}

	if ((run.model = ts_fc_model_find(model_name)) == NULL) {
		char names[512];
		ts_fc_model_names(names, sizeof names);
		ts_cli_usage_error(&cli, "--model: unknown model \"%s\" (%s)", model_name, names);
	}
	if (run.cv_rows)
		run.cv = true;
	if (run.cv && run.components)
		ts_cli_usage_error(&cli, "--components cannot be used with --cv");
	if (run.tune && !(run.model->caps & TS_FC_TUNABLE))
		ts_cli_usage_error(&cli, "--tune is for --model prophet");
	ts_cli_setup(&cli);
	if (exclude_spec != NULL)
		parse_exclude(&cli, exclude_spec, &run);
	if (holidays_path != NULL)
		read_holidays(&cli, holidays_path, &run);

	ts_cli_read_inputs(&cli, argc, argv, &in.tab);
	if (run.components)
		ts_cli_whole_input(&cli, &in.tab, "--components writes the columns of every series");
	else if (country != NULL)
		ts_cli_whole_input(&cli, &in.tab, "--country-holidays covers the years of every series");
	ts_cli_roles(&cli, &in.tab, &in.roles);
	ts_cli_need_value(&cli, &in.tab, &in.roles);
	if (country != NULL) {
		ts_cli_country_holidays(&cli, country, &in.tab, &in.roles, &run.holidays, &run.popts.nholidays);
		run.popts.holidays = run.holidays;
	}
	/* after every holiday is in: auto's Prophet takes a copy of the settings */
	ts_forecast_setup(&run);
	if (ts_forecast_columns(&run, &in.tab, &in.roles, &err) != 0)
		ts_cli_fail_input(&cli, &in.tab, &err);
	if (ts_groups_build(&in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	if (ts_forecast_start(&run, &in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	if (ts_table_nrows(&in.tab) == 0) {
		ts_cli_warn_no_data(&cli, &in.tab, NULL);
	}

	/* --components: every series is fitted before the header, which holds
	 * the union of their components */
	if (run.store && ts_cli_run_groups(&cli, &in.groups, fc_job, &job, &err) != 0)
		ts_cli_fail(&cli, &err);
	if (ts_forecast_header(&run, &in.outcols, &out, &err) != 0)
		ts_cli_fail(&cli, &err);
	if (run.store) {
		ts_cli_write(&cli, &out);
		for (size_t gi = 0; gi < in.groups.n; gi++) {
			struct ts_fc_work *w = run.works[gi];
			if (w != NULL && w->passed)
				ts_cli_pass_rows(&cli, &in.tab, &in.roles, &in.groups, gi, &in.outcols, &out);
			else if (w != NULL)
				ts_forecast_write(&run, w, &out);
			ts_fc_work_free(w);
			run.works[gi] = NULL;
			ts_cli_write(&cli, &out);
		}
	} else {
		ts_cli_run_all(&cli, &out, &in.roles, &in.groups, fc_job, &job, bind_batch);
	}
	rc = ts_cli_run_status(&cli, &in, ts_cli_skip_total(run.skipped, &in.groups), TS_EXIT_OK);
	ts_forecast_free(&run);
	ts_buf_free(&out);
	ts_cli_input_free(&in);
	return ts_cli_finish(&cli, rc);
}
