/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-fill: make each series regular: wall-clock buckets, aggregation of rows
 * sharing a bucket, raw events counted, empty buckets filled. Options and glue. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "series/fill.h"
#include "io/frame.h"
#include "core/pool.h"

static const char synopsis[] =
	"usage: ts-fill [-v] [-i DUR] [--agg AGG[,AGG]] [--fill METHOD] [--max-gap DUR] [--mark]\n"
	"               [--start TIME] [--end TIME] [--partial drop|keep|mark] [-p N[,N]]\n"
	"               [-t COL] [-y COL] [-k COL[,COL]] [-d C] [--tz ZONE] [--epoch s|ms] [-j N]\n"
	"               [--grouped] [--skip-bad] [--progress|--no-progress] [FILE ...]\n";

static const char help[] =
	"\nMake each series regular: one row per bucket of width -i, rows sharing a\n"
	"bucket aggregated, empty buckets filled. An event log is counted per bucket\n"
	"into a \"count\" column: input with no numeric column, or, without -y, --agg\n"
	"and a column called y or value, one where two rows of a series share a bucket.\n"
	"\nOptions:\n"
	"  -i, --interval DUR   bucket width: 30s 10m 1h 1d 1w 1mo 1q 1y or ISO PT1H\n"
	"                       (default: the most common spacing of each series)\n"
	"      --agg AGG[,AGG]  combine rows sharing a bucket: sum (default), mean,\n"
	"                       min, max, count, first, last, median, pNN (p95, p99.9),\n"
	"                       uniq:COL (distinct values of COL); FUNC:COL for column\n"
	"                       COL. A list (or --agg again) writes a column per item:\n"
	"                       count, FUNC_COL (sum_bytes), FUNC_VALUE (mean_y)\n"
	"      --fill METHOD    empty buckets: none (default), zero, prev, next, linear,\n"
	"                       seasonal, value:X\n"
	"      --max-gap DUR    leave runs of empty buckets longer than DUR empty\n"
	"      --mark           add a \"filled\" column: 1 on rows that had no input value\n"
	"      --start TIME     first bucket: the one holding a timestamp, or with now-14d\n"
	"                       the first that starts at or after it\n"
	"      --end TIME       last bucket: the one holding a timestamp, or with now or\n"
	"                       now-1h the last that ends at or before it; rows outside\n"
	"                       are left out (-v counts them)\n"
	"      --partial WHAT   the incomplete buckets a now bound cuts: drop (default),\n"
	"                       keep, or mark (keep, and add a \"partial\" column)\n"
	"  -p, --period N[,N]   season length(s) in buckets, or durations, for --fill seasonal\n"
	"                       (default: from the interval, e.g. 24 and 168 for hourly)\n"
	"\nTS_NOW (an ISO timestamp) pins \"now\" for --start and --end.\n";

/* The long options this tool takes, from the suite's one table (cli.h). */
static const int tool_options[] = {
	TS_OPT_INTERVAL, TS_OPT_AGG, TS_OPT_FILL, TS_OPT_MAX_GAP, TS_OPT_MARK, TS_OPT_START,
	TS_OPT_END, TS_OPT_PARTIAL, TS_OPT_PERIOD, 0
};

/* Everything the jobs share, read-only while they run. */
struct fill_run {
	struct ts_cli_view view;	/* the cli, and the batch's input */
	struct ts_fill_opts opts;
	struct ts_fill_out out;
	bool raw_events;
	const char *fill_spec;
	size_t *skipped;		/* per group: rows skipped under --skip-bad */
};

static void verbose_line(const struct fill_run *run, size_t gi, const struct ts_fill_stats *st,
			 const struct ts_series *s, const struct ts_grid *g, struct ts_buf *msg)
{
	char line[512], width[32];
	struct ts_buf label = { 0 };

	ts_cli_series_label(run->view.tab, run->view.roles, run->view.groups, gi, &label);
	ts_buf_putc(&label, '\0');
	ts_dur_format(&g->interval, width);
	snprintf(line, sizeof line,
		 "%s: %s: %zu rows in, %zu buckets out, %zu filled, %zu empty, %zu rows aggregated, "
		 "%zu outside --start/--end, %zu skipped, interval %s\n",
		 run->view.cli->prog, label.failed ? "?" : label.data, st->rows_in, st->buckets,
		 st->filled, st->empty, st->aggregated, st->outside, s->skipped, width);
	ts_buf_puts(msg, line);
	ts_buf_free(&label);
}

/* -p N|DUR[,N|DUR]: up to 4 season lengths, turned into points per series. */
static void parse_periods(struct ts_cli *cli, const char *arg, struct ts_fill_opts *o)
{
	const size_t max = sizeof o->periods / sizeof o->periods[0];
	char bad[TS_SPAN_ITEM_MAX];

	switch (ts_span_list_parse(arg, 2, 0, o->periods, max, &o->nperiods, bad, sizeof bad)) {
	case TS_SPAN_TOO_MANY:
		ts_cli_usage_error(cli, "-p: at most %zu periods", max);
	case TS_SPAN_BAD_ITEM:
	case TS_SPAN_BAD_LIST:
		ts_cli_usage_error(cli, "-p: bad period \"%s\" (a count of at least 2, or a duration)", bad);
	}
}

/* --start/--end: "now", "now-14d" or a timestamp; one without an offset is
 * wall clock in --tz (UTC without it). *is_now tells a running clock (an
 * instant that cuts a bucket) from a timestamp (which names its bucket). */
static bool parse_bound(struct ts_cli *cli, const char *option, const char *spec, ts_time *out,
			bool *is_now)
{
	struct ts_err err = { 0 };
	struct ts_tfmt fmt = { .kind = TS_TK_EPOCH_S };	/* stays so for "now" */

	if (ts_time_parse_bound(spec, ts_cli_now(cli), cli->epoch, out, &fmt, &err) != 0)
		ts_cli_usage_error(cli, "%s: %s", option, err.msg);
	*is_now = strncmp(spec, "now", 3) == 0;	/* parsed: now, now-DUR or now+DUR */
	if (ts_time_resolve(*out, &fmt, cli->have_zone ? &cli->zone : NULL, INT64_MIN, out, &err) != 0)
		ts_cli_usage_error(cli, "%s: bad timestamp \"%s\": %s", option, spec, err.msg);
	return true;
}

/* A warning about series gi: "prog: warning: file: [series \"k\": ]message". */
static void series_warning(const struct fill_run *run, size_t gi, struct ts_err *warn,
			   struct ts_buf *msg)
{
	struct ts_buf label = { 0 };
	char text[sizeof warn->msg];

	if (run->view.roles->nkeys > 0) {
		ts_cli_series_label(run->view.tab, run->view.roles, run->view.groups, gi, &label);
		ts_buf_putc(&label, '\0');
		snprintf(text, sizeof text, "%s", warn->msg);
		snprintf(warn->msg, sizeof warn->msg, "%.100s: %.400s", label.failed ? "?" : label.data, text);
		ts_buf_free(&label);
	}
	warn->file = ts_table_first_file(run->view.tab);
	ts_cli_message(run->view.cli->prog, warn, true, msg);
}

static int fill_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct fill_run *run = ctx;
	struct ts_series s;
	struct ts_grid g;
	struct ts_fill_stats st;
	int rc;

	if ((rc = ts_cli_load_series(&run->view, gi, msg, &s, err)) != 0)
		return rc;
	rc = ts_fill_series(run->view.tab, &s, run->raw_events, &run->opts, &g, &st, err);
	if (rc == 0)
		rc = ts_grid_check_writable(&s, &g, err);
	if (rc == 0)
		rc = ts_grid_check_finite(run->view.tab, &s, &g, err);
	if (rc == 0) {
		struct ts_err warn = { 0 };
		ts_fill_write(run->view.tab, run->view.roles, &s, &g, &run->out, out);
		if (ts_fill_empty_window(&run->opts, run->fill_spec, &st, &warn))
			series_warning(run, gi, &warn, msg);
		if (run->view.cli->verbose > 0)
			verbose_line(run, gi, &st, &s, &g, msg);
	} else if (ts_cli_can_pass(run->view.roles, rc)) {
		ts_cli_pass_series(run->view.cli, run->view.tab, run->view.roles, run->view.groups, gi, err,
				   run->out.cols, out, msg);
		rc = 0;
	} else if (err->line == 0) {
		/* A whole-series problem: say which series. */
		ts_cli_name_series(run->view.tab, run->view.roles, run->view.groups, gi, err);
		err->file = ts_table_first_file(run->view.tab);
	}
	run->skipped[gi] = s.skipped;	/* each job writes only its own slot */
	ts_grid_free(&g);
	ts_series_free(&s);
	return rc;
}

/* --grouped: the jobs of a later batch share everything but its rows. */
static void *bind_batch(const void *ctx, const struct ts_table *tab, const struct ts_groups *groups,
			size_t *skipped)
{
	struct fill_run *batch = malloc(sizeof *batch);

	if (batch == NULL)
		return NULL;
	*batch = *(const struct fill_run *)ctx;
	batch->view.tab = tab;
	batch->view.groups = groups;
	batch->skipped = skipped;
	return batch;
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_cli_input in = { 0 };
	struct fill_run run = { 0 };
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *fill_spec = "none", *start_spec = NULL, *end_spec = NULL;
	struct ts_agg_list aggs = { 0 };
	struct ts_fill_plan plan;
	struct ts_load_opts load;
	struct ts_cli_msgs load_msgs = { "ts-fill", NULL };
	const char *added[TS_AGG_LIST_MAX + 2];
	size_t nadded = 0;
	bool mark = false;
	int opt, rc;

	ts_cli_init(&cli, "ts-fill", synopsis, help);
	while ((opt = ts_cli_getopt(&cli, &argc, &argv, tool_options, "i:p:")) != -1) {
		switch (opt) {
		case 'i':
			ts_cli_dur(&cli, "-i", optarg, &run.opts.interval);
			run.opts.have_interval = true;
			break;
		case 'p':
			parse_periods(&cli, optarg, &run.opts);
			break;
		case TS_OPT_AGG:
			if (ts_agg_list_add(&aggs, optarg, &err) != 0)
				ts_cli_usage_error(&cli, "--agg: %s", err.msg);
			break;
		case TS_OPT_FILL:
			fill_spec = optarg;
			break;
		case TS_OPT_MAX_GAP:
			ts_cli_dur(&cli, "--max-gap", optarg, &run.opts.max_gap);
			run.opts.have_max_gap = true;
			break;
		case TS_OPT_MARK:
			mark = true;
			break;
		case TS_OPT_START:
			start_spec = optarg;
			break;
		case TS_OPT_END:
			end_spec = optarg;
			break;
		case TS_OPT_PARTIAL:
			if (ts_partial_parse(optarg, &run.opts.partial, &err) != 0)
				ts_cli_usage_error(&cli, "--partial: %s", err.msg);
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}

	if (ts_fill_parse(fill_spec, &run.opts.fill, &err) != 0)
		ts_cli_usage_error(&cli, "--fill: %s", err.msg);
	if (run.opts.nperiods > 0 && run.opts.fill.kind != TS_FILL_SEASONAL)
		ts_cli_usage_error(&cli, "-p is only used with --fill seasonal");
	ts_cli_setup(&cli);
	if (start_spec != NULL)
		run.opts.have_start = parse_bound(&cli, "--start", start_spec, &run.opts.start,
						  &run.opts.start_is_now);
	if (end_spec != NULL)
		run.opts.have_end = parse_bound(&cli, "--end", end_spec, &run.opts.end, &run.opts.end_is_now);
	if (run.opts.have_start && run.opts.have_end && run.opts.start > run.opts.end)
		ts_cli_usage_error(&cli, "--start is after --end");
	run.opts.max_buckets = 50000000;

	ts_cli_read_inputs(&cli, argc, argv, &in.tab);
	ts_cli_roles(&cli, &in.tab, &in.roles);
	if (ts_fill_plan_reads_all(&in.tab, &in.roles, cli.value_col != NULL, &aggs))
		ts_cli_whole_input(&cli, &in.tab, "the value column is guessed from every series");
	if (ts_groups_build(&in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	load = ts_cli_load_opts(&cli, &load_msgs);
	if (ts_fill_plan(&in.tab, &in.roles, cli.value_col != NULL, &aggs, &in.groups, &load, &run.opts,
			 &plan, &err) != 0)
		ts_cli_fail_input(&cli, &in.tab, &err);
	if (cli.verbose > 0)
		fprintf(stderr, "%s: %s: %s\n", cli.prog, ts_table_first_file(&in.tab), plan.why);
	run.raw_events = plan.event_log;
	run.fill_spec = fill_spec;

	run.out.aggs_at = plan.ncols > 0 ? 0 : TS_NO_COL;
	run.out.filled_at = TS_NO_COL;
	run.out.partial_at = TS_NO_COL;
	for (size_t j = 0; j < plan.ncols; j++)
		added[nadded++] = plan.names[j];
	if (mark) {
		run.out.filled_at = nadded;
		added[nadded++] = "filled";
	}
	if (run.opts.partial == TS_PARTIAL_MARK) {
		run.out.partial_at = nadded;
		added[nadded++] = "partial";
	}
	run.out.nadded = nadded;
	run.out.keep_text = run.opts.agg.kind != TS_AGG_COUNT;
	run.skipped = ts_cli_skip_counts(&in.groups);
	if (run.skipped == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}
	if (ts_outcols_init(&in.outcols, &in.tab, added, nadded, &err) != 0)
		ts_cli_fail(&cli, &err);
	run.out.cols = &in.outcols;
	run.view = ts_cli_view_of(&cli, &in);

	if (ts_table_nrows(&in.tab) == 0) {
		/* In a pipeline the last stage decides: pass the header on, and
		 * with a full window the grid, and say so. */
		ts_cli_warn_no_data(&cli, &in.tab, NULL);
	}
	ts_write_header(&in.outcols, &in.tab, added, &out);
	ts_cli_run_all(&cli, &out, &in.roles, &in.groups, fill_job, &run, bind_batch);
	rc = ts_cli_run_status(&cli, &in, ts_cli_skip_total(run.skipped, &in.groups), TS_EXIT_OK);
	free(run.skipped);
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);
	ts_buf_free(&out);
	ts_cli_input_free(&in);
	return ts_cli_finish(&cli, rc);
}
