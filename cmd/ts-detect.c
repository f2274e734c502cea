/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-detect: flag anomalous rows of each series, say why, and exit like
 * diff(1): 0 none found, 1 found, 2 trouble. Options and glue. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "detect/detect.h"
#include "detect/detectrun.h"
#include "detect/expr.h"
#include "io/frame.h"
#include "detect/junit.h"
#include "core/mem.h"
#include "series/period.h"
#include "detect/streamrun.h"

static const char synopsis[] =
	"usage: ts-detect [-qv] [-m METHOD[,METHOD]...] [--only] [--last N|DUR] [-p N|DUR[,N|DUR]]\n"
	"                 [--direction up|down|both] [--band-scale K] [--max-anoms F] [--alpha A]\n"
	"                 [--piecewise DUR] [--threshold med_max|p95|p99] [--sigma K] [--iqr C]\n"
	"                 [--boxcox auto|L] [--rule EXPR]... [--lag DUR] [--weeks N] [--drop P]\n"
	"                 [--rise P] [--window N|DUR] [--history DUR] [--min-delta X]\n"
	"                 [--min-ratio R] [--consecutive N] [--cooldown DUR] [--stream]\n"
	"                 [--warmup N|DUR] [--junit FILE] [-t COL] [-y COL] [-k COL[,COL]] [-d C]\n"
	"                 [--tz ZONE] [--epoch s|ms] [-j N] [--grouped] [--skip-bad]\n"
	"                 [--progress|--no-progress] [FILE ...]\n";

static const char help[] =
	"\nAdd anomaly, score (1 - the tail probability), expected, lower, upper and\n"
	"reason to every row. Exit status 0 when no row is anomalous, 1 when one is\n"
	"(even if a series could not be judged), 2 on trouble (also: no data rows, or\n"
	"a series not judged).\n"
	"\nOptions:\n"
	"  -m, --method LIST    surprise, band, esd, sigma, iqr, mad, rule, wow,\n"
	"                       level-shift, new-high, new-low, several joined with ','\n"
	"                       (default: surprise with a yhat column, rule with --rule,\n"
	"                       else sigma)\n"
	"      --only           print anomalous rows only\n"
	"  -q, --quiet          print nothing; only the exit status tells\n"
	"      --last N|DUR     only the last N rows (or DUR) of each series count\n"
	"  -p, --period P[,P]   seasonal period(s) in points or as durations, or none\n"
	"                       (default: from the interval: 24 for hourly, 7 for daily)\n"
	"      --direction D    up, down or both (default both; pos and neg also read)\n"
	"      --band-scale K   band: widen the forecast interval K times (1)\n"
	"      --max-anoms F    esd: at most this fraction of points (0.10)\n"
	"      --alpha A        false-alarm rate per row of surprise, sigma, mad (1e-4);\n"
	"                       --stream: alarm level (0.001); esd: significance (0.05)\n"
	"      --piecewise DUR  esd: the longterm variant, chunks of DUR (e.g. 2w)\n"
	"      --threshold T    esd: keep anomalies above med_max, p95 or p99 of daily maxima\n"
	"      --sigma K        sigma, mad, --stream: flag beyond K robust sigmas (the\n"
	"                       Gaussian tail of K, K >= 1) instead of at --alpha\n"
	"      --iqr C          iqr: IQRs beyond the quartiles (3)\n"
	"      --boxcox auto|L  sigma, iqr: Box-Cox transform before decomposing\n"
	"      --rule EXPR      rule: an expression such as 'y == 0' (repeatable); the\n"
	"                       reason names the operands of an or that held\n"
	"      --lag DUR        wow: compare with DUR earlier (1w)\n"
	"      --weeks N        wow: median of the last N same-time values (3)\n"
	"      --drop P         wow: flag a fall of P (10%)\n"
	"      --rise P         wow: flag a rise of P (50%)\n"
	"      --window N|DUR   level-shift: window of each side (5 rows)\n"
	"      --history DUR    new-high, new-low: look back DUR (14d)\n"
	"      --min-delta X    keep anomalies at least X from expected\n"
	"      --min-ratio R    keep anomalies at least R (e.g. 5%) of expected away\n"
	"      --consecutive N  keep anomalies that end a run of N\n"
	"      --cooldown DUR   drop anomalies within DUR after a kept one\n"
	"      --stream         decide each row as it arrives, once per incident\n"
	"      --warmup N|DUR   --stream: no decisions for N rows or DUR (a season)\n"
	"      --junit FILE     also write a JUnit XML report: a test case per series,\n"
	"                       failed when it has an anomaly, an error when not judged\n";

/* The long options this tool takes, from the suite's one table (cli.h). */
static const int tool_options[] = {
	TS_OPT_METHOD, TS_OPT_QUIET, TS_OPT_PERIOD, TS_OPT_ONLY, TS_OPT_LAST, TS_OPT_DIRECTION,
	TS_OPT_BAND_SCALE, TS_OPT_MAX_ANOMS, TS_OPT_ALPHA, TS_OPT_PIECEWISE, TS_OPT_THRESHOLD,
	TS_OPT_SIGMA, TS_OPT_IQR, TS_OPT_BOXCOX, TS_OPT_RULE, TS_OPT_LAG, TS_OPT_WEEKS,
	TS_OPT_DROP, TS_OPT_RISE, TS_OPT_WINDOW, TS_OPT_HISTORY, TS_OPT_MIN_DELTA,
	TS_OPT_MIN_RATIO, TS_OPT_CONSECUTIVE, TS_OPT_COOLDOWN, TS_OPT_STREAM, TS_OPT_WARMUP,
	TS_OPT_JUNIT, 0
};

struct options {
	struct ts_detect_opts d;
	bool only, quiet, stream;
	bool have_methods;
	struct ts_detectrun dr;		/* -p and --window; the rest set in main */
	struct ts_span warmup;
	bool have_warmup;
	bool have_sigma;		/* --stream: --sigma sets the alarm level */
};

/* Everything the jobs share, read-only while they run. */
struct detect_run {
	struct ts_cli_view view;	/* the cli, and the batch's input */
	const struct options *opt;
	const struct ts_outcols *outcols;
	atomic_size_t *found;		/* anomalies, over every series */
	atomic_size_t *skipped;		/* rows --skip-bad left out */
	struct ts_junit *junit;		/* --junit: each job fills its own case */
	unsigned char *terms;		/* which rule terms had values, over every series */
};

/* --grouped: a later batch's jobs read its table (--junit reads the whole input). */
struct detect_batch {
	struct detect_run run;
	struct options opt;
};

/* The jobs count their skipped rows into the shared total, not in skipped. */
static void *bind_batch(const void *ctx, const struct ts_table *tab, const struct ts_groups *groups,
			size_t *skipped)
{
	struct detect_batch *b = malloc(sizeof *b);

	(void)skipped;
	if (b == NULL)
		return NULL;
	b->run = *(const struct detect_run *)ctx;
	b->opt = *b->run.opt;
	b->opt.dr.tab = tab;
	b->run.view.tab = tab;
	b->run.view.groups = groups;
	b->run.opt = &b->opt;
	return b;
}

/* ---- option values ---- */

static const struct ts_cli_word directions[] = {
	{ "up", TS_DIR_UP, false },
	{ "down", TS_DIR_DOWN, false },
	{ "both", TS_DIR_BOTH, false },
	{ "pos", TS_DIR_UP, true },
	{ "neg", TS_DIR_DOWN, true },
	{ NULL, 0, false }
};

static const struct ts_cli_word thresholds[] = {
	{ "med_max", TS_ESD_THRESH_MED_MAX, false },
	{ "p95", TS_ESD_THRESH_P95, false },
	{ "p99", TS_ESD_THRESH_P99, false },
	{ "none", TS_ESD_THRESH_NONE, true },
	{ NULL, 0, false }
};

static void parse_periods(const struct ts_cli *cli, const char *arg, struct options *o)
{
	const size_t max = sizeof o->dr.periods / sizeof o->dr.periods[0];
	char bad[TS_SPAN_ITEM_MAX];

	o->dr.period_none = strcmp(arg, "none") == 0;
	o->dr.nperiods = 0;
	if (o->dr.period_none)
		return;
	switch (ts_span_list_parse(arg, 2, 0, o->dr.periods, max, &o->dr.nperiods, bad, sizeof bad)) {
	case TS_SPAN_TOO_MANY:
		ts_cli_usage_error(cli, "-p: at most %zu periods", max);
	case TS_SPAN_BAD_LIST:
	case TS_SPAN_BAD_ITEM:
		ts_cli_usage_error(cli, "-p: bad period \"%s\" (expected a count of at least 2, "
				   "a duration or none)", bad);
	}
}

/* ---- batch ---- */

/* Prefix a whole-series message with the series' key, and say which input. */
static void locate(const struct detect_run *run, size_t gi, struct ts_err *err)
{
	if (err->file == NULL)
		err->file = ts_table_first_file(run->view.tab);
	if (err->line == 0)
		ts_cli_name_series(run->view.tab, run->view.roles, run->view.groups, gi, err);
}

static int detect_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct detect_run *run = ctx;
	const struct options *o = run->opt;
	struct ts_series s;
	struct ts_detectrun_series r = { 0 };
	int rc;

	if ((rc = ts_cli_load_series(&run->view, gi, msg, &s, err)) != 0)
		return rc;
	atomic_fetch_add(run->skipped, s.skipped);
	if ((rc = ts_detectrun_series(&run->opt->dr, &s, &r, err)) != 0)
		goto out;
	if (run->junit != NULL)
		ts_detectrun_junit(&r, &s, run->junit, gi, run->view.tab, run->view.roles);
	if (!o->quiet)
		ts_detectrun_write_rows(&r, &s, run->outcols, run->view.tab, o->only, out);
	atomic_fetch_add(run->found, r.found);
	ts_detectrun_note_terms(&r, run->terms);
	if (run->view.cli->verbose > 0) {
		struct ts_buf label = { 0 };
		ts_cli_series_label(run->view.tab, run->view.roles, run->view.groups, gi, &label);
		ts_buf_putc(&label, '\0');
		ts_detectrun_describe(&r, run->view.cli->prog, label.failed ? "?" : label.data, msg);
		ts_buf_free(&label);
	}
out:
	if (ts_cli_can_pass(run->view.roles, rc)) {
		/* This series cannot be judged; the others go on. */
		if (run->junit != NULL)
			ts_junit_error(run->junit, gi, err);
		ts_cli_pass_series(run->view.cli, run->view.tab, run->view.roles, run->view.groups, gi, err,
				   o->quiet || o->only ? NULL : run->outcols, out, msg);
		rc = 0;
	}
	if (rc != 0)
		locate(run, gi, err);
	ts_detectrun_series_free(&r);
	ts_series_free(&s);
	return rc;
}

/* ---- streaming ---- */

/* A row --skip-bad leaves out, told at once. */
static void stream_warn(void *ctx, const struct ts_err *err)
{
	ts_cli_warn(ctx, err);
}

static int run_stream(struct ts_cli *cli, const struct options *o, int argc, char **argv)
{
	struct ts_streamrun_opts so = {
		.delim = cli->delim, .time_col = cli->time_col, .value_col = cli->value_col,
		.key_cols = cli->key_cols, .epoch = cli->epoch, .zone = cli->have_zone ? &cli->zone : NULL,
		.skip_bad = cli->skip_bad, .quiet = o->quiet, .only = o->only,
		.warn = stream_warn, .warn_ctx = cli,
	};
	struct ts_streamrun *sr;
	struct ts_streamrun_counts counts;
	struct ts_err err = { 0 };
	int nfiles = argc > 0 ? argc : 1;
	const char *last = "<stdin>";

	if (ts_detectrun_stream_params(&o->d, o->have_sigma, o->dr.periods, o->dr.nperiods, o->dr.period_none,
				       o->have_warmup ? &o->warmup : NULL, &so.params, &err) != 0)
		ts_cli_usage_error(cli, "%s", err.msg);
	if ((sr = ts_streamrun_new(&so)) == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(cli, &err);
	}
	for (int i = 0; i < nfiles; i++) {
		FILE *f = ts_cli_open_input(cli, argc > 0 ? argv[i] : "-", &last);
		int rc = ts_streamrun_read(sr, fileno(f), last, ts_cli_flush_now, cli, &err);

		ts_cli_close_input(f);
		if (rc != 0) {
			ts_cli_flush_now(ts_streamrun_out(sr), cli, NULL);
			if (rc == TS_EUSAGE)
				ts_cli_usage_error(cli, "%s", err.msg);
			ts_cli_fail(cli, &err);
		}
	}
	/* Header only: a dead feed is not all clear. */
	if (!ts_streamrun_has_rows(sr))
		ts_cli_fail_no_data(cli, last, "nothing to judge");
	ts_cli_flush_now(ts_streamrun_out(sr), cli, NULL);
	ts_streamrun_counts(sr, &counts);
	if (counts.judged == 0) {
		/* --skip-bad left nothing: a dead feed is not all clear. */
		err.file = last;
		ts_err_set(&err, TS_EDATA, "no rows left to judge");
		ts_cli_fail(cli, &err);
	}
	ts_cli_warn_skipped(cli, counts.skipped);
	if (cli->verbose > 0) {
		struct ts_buf msg = { 0 };
		ts_streamrun_summary(sr, cli->prog, &msg);
		if (!msg.failed)
			fwrite(msg.data, 1, msg.len, stderr);
		ts_buf_free(&msg);
	}
	ts_streamrun_free(sr);
	return ts_cli_finish(cli, counts.found > 0 ? TS_EXIT_FOUND : TS_EXIT_OK);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_cli_input in = { 0 };
	struct detect_run run = { 0 };
	struct options o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *method_spec = NULL, *last_spec = NULL, *junit_path = NULL;
	struct ts_junit junit = { 0 };
	struct ts_detectrun_reach reach = { 0 };
	struct ts_detectrun_cols cols;
	size_t rules_cap = 0, bad_rule = 0;
	atomic_size_t found = 0, skipped = 0;
	int opt, rc;

	memset(&o, 0, sizeof o);
	ts_detect_opts_init(&o.d);
	ts_cli_init(&cli, "ts-detect", synopsis, help);
	while ((opt = ts_cli_getopt(&cli, &argc, &argv, tool_options, "m:p:q")) != -1) {
		switch (opt) {
		case 'm':
			method_spec = optarg;
			break;
		case 'p':
			parse_periods(&cli, optarg, &o);
			break;
		case 'q':
			o.quiet = true;
			break;
		case TS_OPT_ONLY:
			o.only = true;
			break;
		case TS_OPT_LAST:
			last_spec = optarg;
			break;
		case TS_OPT_DIRECTION:
			o.d.direction = ts_cli_choice(&cli, "--direction", optarg, directions);
			break;
		case TS_OPT_BAND_SCALE:
			o.d.band_scale = ts_cli_double(&cli, "--band-scale", optarg, 0, 1e6, 0, NULL);
			break;
		case TS_OPT_MAX_ANOMS:
			o.d.max_anoms = ts_cli_double(&cli, "--max-anoms", optarg, 1e-9, 0.49, TS_CLI_PERCENT, NULL);
			break;
		case TS_OPT_ALPHA:
			o.d.alpha = ts_cli_double(&cli, "--alpha", optarg, 1e-12, 0.5, 0, NULL);
			break;
		case TS_OPT_PIECEWISE:
			ts_cli_dur(&cli, "--piecewise", optarg, &o.d.piecewise_dur);
			if (o.d.piecewise_dur.months != 0)
				ts_cli_usage_error(&cli, "--piecewise: a fixed duration such as 2w");
			o.d.piecewise = true;
			break;
		case TS_OPT_THRESHOLD:
			o.d.threshold = ts_cli_choice(&cli, "--threshold", optarg, thresholds);
			break;
		case TS_OPT_SIGMA:
			o.d.sigma_k = ts_cli_double(&cli, "--sigma", optarg, 0, 1e6, 0, NULL);
			o.have_sigma = true;
			/* sigma and mad estimate the spread from the points they do
			 * not flag: below one sigma they flag most points, and the
			 * counts stop falling as K grows (0 found nothing at all) */
			if (o.d.sigma_k < 1)
				ts_cli_usage_error(&cli, "--sigma: %s is below 1: under one sigma most points are "
						   "flagged and too few are left to estimate sigma from", optarg);
			break;
		case TS_OPT_IQR:
			o.d.iqr_c = ts_cli_double(&cli, "--iqr", optarg, 0, 1e6, 0, NULL);
			break;
		case TS_OPT_BOXCOX:
			ts_cli_boxcox(&cli, "--boxcox", optarg, &o.d.boxcox_auto, &o.d.lambda);
			o.d.boxcox = true;
			break;
		case TS_OPT_RULE:
			if ((rc = ts_detectrun_add_rule(&o.d, &rules_cap, optarg, &err)) == TS_EUSAGE)
				ts_cli_usage_error(&cli, "--rule \"%s\": %s", optarg, err.msg);
			if (rc != 0)
				ts_cli_fail(&cli, &err);
			break;
		case TS_OPT_LAG:
			ts_cli_dur(&cli, "--lag", optarg, &o.d.lag);
			reach.lag_spec = optarg;
			break;
		case TS_OPT_WEEKS:
			o.d.weeks = (size_t)ts_cli_int(&cli, "--weeks", optarg, 1, 1000);
			break;
		case TS_OPT_DROP:
			o.d.drop = ts_cli_double(&cli, "--drop", optarg, 0, 1, TS_CLI_PERCENT, NULL);
			break;
		case TS_OPT_RISE:
			o.d.rise = ts_cli_double(&cli, "--rise", optarg, 0, 1e6, TS_CLI_PERCENT, NULL);
			break;
		case TS_OPT_WINDOW:
			if (ts_span_parse(optarg, 1, &o.dr.window) != 0)
				ts_cli_usage_error(&cli, "--window: bad window \"%s\" (a count of rows or a duration)",
						   optarg);
			o.dr.have_window = true;
			reach.window_spec = optarg;
			break;
		case TS_OPT_HISTORY:
			ts_cli_dur(&cli, "--history", optarg, &o.d.history);
			reach.history_spec = optarg;
			break;
		case TS_OPT_MIN_DELTA:
			o.d.min_delta = ts_cli_double(&cli, "--min-delta", optarg, 0, HUGE_VAL, 0,
						      "a number >= 0");
			break;
		case TS_OPT_MIN_RATIO:
			o.d.min_ratio = ts_cli_double(&cli, "--min-ratio", optarg, 0, 1e6, TS_CLI_PERCENT, NULL);
			break;
		case TS_OPT_CONSECUTIVE:
			o.d.consecutive = (size_t)ts_cli_int(&cli, "--consecutive", optarg, 1, 1000000);
			break;
		case TS_OPT_COOLDOWN:
			ts_cli_dur(&cli, "--cooldown", optarg, &o.d.cooldown);
			break;
		case TS_OPT_STREAM:
			o.stream = true;
			break;
		case TS_OPT_WARMUP:
			if (ts_span_parse(optarg, 0, &o.warmup) != 0)
				ts_cli_usage_error(&cli, "--warmup: bad value \"%s\" (a count of rows or a duration)",
						   optarg);
			o.have_warmup = true;
			break;
		case TS_OPT_JUNIT:
			junit_path = optarg;
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}

	if (method_spec != NULL) {
		if (ts_detect_methods_parse(method_spec, o.d.methods, &o.d.nmethods, &err) != 0)
			ts_cli_usage_error(&cli, "-m: %s", err.msg);
		o.have_methods = true;
	}
	if (last_spec != NULL && ts_detectrun_last(last_spec, &o.d) != 0)
		ts_cli_usage_error(&cli, "--last: bad value \"%s\" (a count of rows or a duration)", last_spec);
	if (o.only && o.quiet)
		ts_cli_usage_error(&cli, "--only and -q cannot be combined");
	o.d.window_only = o.quiet;	/* -q reads the window's flags alone */
	if (o.stream) {
		if (o.have_methods)
			ts_cli_usage_error(&cli, "--stream has its own model: -m cannot be combined with it");
		if (last_spec != NULL || o.d.nrules > 0)
			ts_cli_usage_error(&cli, "--stream cannot be combined with --last or --rule");
		if (junit_path != NULL)
			ts_cli_usage_error(&cli, "--stream cannot be combined with --junit");
		ts_cli_setup(&cli);
		return run_stream(&cli, &o, argc, argv);
	}
	if (o.have_warmup)
		ts_cli_usage_error(&cli, "--warmup is only used with --stream");
	ts_cli_setup(&cli);

	ts_cli_read_inputs(&cli, argc, argv, &in.tab);
	if (junit_path != NULL || reach.window_spec != NULL || reach.history_spec != NULL ||
	    reach.lag_spec != NULL)
		ts_cli_whole_input(&cli, &in.tab, junit_path != NULL ? "--junit reports every series"
				   : "--window, --history and --lag are checked against the whole input");
	ts_cli_roles(&cli, &in.tab, &in.roles);
	ts_cli_need_value(&cli, &in.tab, &in.roles);
	ts_detectrun_find_columns(&in.tab, &cols);
	if ((rc = ts_detectrun_methods(&o.d, o.have_methods, &cols, &err)) == TS_EUSAGE)
		ts_cli_usage_error(&cli, "%s", err.msg);
	if (rc != 0) {
		err.file = ts_table_first_file(&in.tab);
		ts_cli_fail(&cli, &err);
	}
	if ((rc = ts_detectrun_bind_rules(&o.d, &in.tab, &cols, &bad_rule, &err)) == TS_ENOMEM)
		ts_cli_fail(&cli, &err);
	if (rc != 0) {
		char list[200];
		ts_table_column_list(&in.tab, list, sizeof list);
		ts_cli_data_error(&cli, &in.tab, "--rule \"%s\": %s (columns: %s)", ts_expr_text(o.d.rules[bad_rule]),
				  err.msg, list);
	}
	if (ts_groups_build(&in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	reach.d = &o.d;
	reach.window = &o.dr.window;
	reach.epoch = cli.epoch;
	reach.zone = cli.have_zone ? &cli.zone : NULL;
	if (ts_detectrun_check_reach(&reach, &in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	if (ts_detectrun_outcols_init(&in.outcols, &in.tab, &err) != 0)
		ts_cli_fail(&cli, &err);
	run = (struct detect_run){ .view = ts_cli_view_of(&cli, &in), .opt = &o,
				   .outcols = &in.outcols, .found = &found, .skipped = &skipped,
				   .terms = ts_calloc(1, ts_detectrun_terms_stride(&o.d)) };
	if (run.terms == NULL && ts_err_set(&err, TS_ENOMEM, "out of memory") != 0)
		ts_cli_fail(&cli, &err);
	o.dr.tab = &in.tab;
	o.dr.cols = &cols;
	o.dr.d = &o.d;
	if (junit_path != NULL && ts_junit_init(&junit, "ts-detect", &in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	run.junit = junit_path != NULL ? &junit : NULL;

	/* A dead feed is not all clear. */
	if (ts_table_nrows(&in.tab) == 0)
		ts_cli_fail_no_data(&cli, ts_table_first_file(&in.tab), "nothing to judge");
	/* The header is held back until a series has rows, so a failure comes alone. */
	if (!o.quiet)
		ts_write_header(&in.outcols, &in.tab, ts_detect_columns, &out);
	ts_cli_run_all(&cli, o.quiet ? NULL : &out, &in.roles, &in.groups, detect_job, &run, bind_batch);
	for (size_t t = 0; ts_detectrun_empty_term(&o.d, run.terms, 1, &t, &err);)
		ts_cli_warn(&cli, &err);
	if (junit_path != NULL && ts_junit_write(&junit, junit_path, &err) != 0)
		ts_cli_fail(&cli, &err);
	ts_junit_free(&junit);
	/* Anomalies found page (1) even when some series could not be judged (2). */
	rc = ts_cli_run_status(&cli, &in, skipped, found > 0 ? TS_EXIT_FOUND : TS_EXIT_OK);
	ts_detectrun_free_rules(&o.d);
	free(cols.rule_col);
	free(run.terms);
	ts_buf_free(&out);
	ts_cli_input_free(&in);
	return ts_cli_finish(&cli, rc);
}
