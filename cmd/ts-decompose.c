/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-decompose: trend, seasonal(s) and remainder of each series by STL/MSTL
 * (or a moving-median trend), appended to its rows or summarised. Options and glue. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "series/decompose.h"
#include "series/decomprun.h"
#include "io/frame.h"
#include "core/mem.h"
#include "series/period.h"
#include "core/pool.h"

static const char synopsis[] =
	"usage: ts-decompose [-v] [-p N|DUR[,N|DUR]...|auto|none] [--method stl|median] [--summary]\n"
	"                    [--seasonal-window N|periodic[,...]] [--trend-window N|DUR]\n"
	"                    [--lowpass-window N|DUR] [--seasonal-degree 0|1] [--trend-degree 0|1]\n"
	"                    [--lowpass-degree 0|1] [--seasonal-jump N] [--trend-jump N]\n"
	"                    [--lowpass-jump N] [--inner N] [--outer N] [--robust] [--iterate N]\n"
	"                    [--boxcox auto|LAMBDA] [-t COL] [-y COL] [-k COL[,COL]] [-d C]\n"
	"                    [--tz ZONE] [--epoch s|ms] [-j N] [--grouped] [--skip-bad]\n"
	"                    [--progress|--no-progress] [FILE ...]\n";

static const char help[] =
	"\nAppend trend, seasonal (seasonal_P for each of several periods) and remainder\n"
	"to every row: STL as R's stl() computes it, MSTL as forecast::mstl for several\n"
	"periods. Input must be regular (run ts-fill first); missing values are\n"
	"interpolated and get an empty remainder.\n"
	"\nOptions (R's argument names in parentheses):\n"
	"  -p, --period P[,P]   seasonal period(s) in points or as durations (1d,1w);\n"
	"                       auto: found in the data; none: trend only (default:\n"
	"                       from the interval, e.g. 24 and 168 for hourly data)\n"
	"      --method M       stl (default) or median: moving-median trend, seasonal\n"
	"                       from a periodic robust STL of the detrended series\n"
	"      --summary        one row per series: period, seasonal_strength,\n"
	"                       trend_strength, remainder_sigma, n, missing\n"
	"      --seasonal-window W[,W]\n"
	"                       odd number of cycles, or periodic (s.window; default\n"
	"                       7 + 4i for the i-th period, so 11 for one)\n"
	"      --trend-window N odd points or a duration (t.window)\n"
	"      --lowpass-window N\n"
	"                       odd points or a duration (l.window)\n"
	"      --seasonal-degree, --trend-degree, --lowpass-degree 0|1\n"
	"                       (s.degree 0, t.degree 1, l.degree 1)\n"
	"      --seasonal-jump, --trend-jump, --lowpass-jump N\n"
	"                       (s.jump, t.jump, l.jump: window / 10, rounded up)\n"
	"      --inner N        inner iterations (inner: 2, robust 1)\n"
	"      --outer N        robustness iterations (outer: 0, robust 15)\n"
	"      --robust         robust fitting (robust); adds a \"weight\" column\n"
	"      --iterate N      MSTL rounds for several periods (iterate: 2)\n"
	"      --boxcox L       Box-Cox transform first: auto (Guerrero, as\n"
	"                       BoxCox.lambda) or a lambda (lambda)\n";

/* The long options this tool takes, from the suite's one table (cli.h). */
static const int tool_options[] = {
	TS_OPT_PERIOD, TS_OPT_METHOD, TS_OPT_SUMMARY, TS_OPT_SEASONAL_WINDOW,
	TS_OPT_TREND_WINDOW, TS_OPT_LOWPASS_WINDOW, TS_OPT_SEASONAL_DEGREE,
	TS_OPT_TREND_DEGREE, TS_OPT_LOWPASS_DEGREE, TS_OPT_SEASONAL_JUMP, TS_OPT_TREND_JUMP,
	TS_OPT_LOWPASS_JUMP, TS_OPT_INNER, TS_OPT_OUTER, TS_OPT_ROBUST, TS_OPT_ITERATE,
	TS_OPT_BOXCOX, 0
};

static const struct ts_cli_word methods[] = {
	{ "stl", TS_DECOMP_STL, false },
	{ "median", TS_DECOMP_MEDIAN, false },
	{ NULL, 0, false }
};

/* What phase 1 found for one series. */
struct result {
	struct ts_series s;
	bool passthrough;		/* --skip-bad: written unchanged */
	struct ts_decomprun_series r;
	struct ts_decomp_summary sum;
};

/* Everything the jobs share, read-only while they run (each job writes only
 * its own result). */
struct run {
	struct ts_cli_view view;	/* the cli, and the batch's input */
	const struct ts_decomprun_opts *opt;
	bool summary;
	struct result *res;
	size_t *skipped;
	/* output layout, set between the phases */
	const struct ts_outcols *outcols;
	struct ts_decomprun_layout layout;
	/* phase 2 writes each series in pieces of ROWS_PER_PIECE rows: piece
	 * p is of series piece_group[p], whose first piece is first_piece[gi] */
	size_t *piece_group;
	size_t *first_piece;
};

/* Rows per piece of output: a long series is formatted on every worker into
 * buffers of a few hundred KB, each written as soon as the ones before it
 * are, rather than into one buffer as large as its output. */
#define ROWS_PER_PIECE 8192

/* ---- option parsing ---- */

static void parse_period_option(struct ts_cli *cli, const char *arg, struct ts_decomprun_opts *o)
{
	char bad[512];

	if (strcmp(arg, "auto") == 0) {
		o->pmode = TS_DECOMPRUN_AUTO;
		return;
	}
	if (strcmp(arg, "none") == 0) {
		o->pmode = TS_DECOMPRUN_NONE;
		return;
	}
	switch (ts_span_list_parse(arg, 2, 0, o->periods, TS_DECOMP_MAX_PERIODS, &o->nperiods, bad,
				   sizeof bad)) {
	case TS_SPAN_TOO_MANY:
		ts_cli_usage_error(cli, "-p: at most %d periods", TS_DECOMP_MAX_PERIODS);
	case TS_SPAN_BAD_ITEM:
	case TS_SPAN_BAD_LIST:
		ts_cli_usage_error(cli, "-p: bad period \"%s\" (expected a count of at least 2, "
				   "a duration, auto or none)", bad);
	}
	o->pmode = TS_DECOMPRUN_GIVEN;
}

static void parse_window_option(struct ts_cli *cli, const char *option, const char *arg,
				struct ts_span *sp)
{
	if (ts_span_parse_flags(arg, 3, TS_SPAN_ODD, sp) != 0)
		ts_cli_usage_error(cli, "%s: invalid value \"%s\" (expected an odd number >= 3 "
				   "or a duration)", option, arg);
}

/* ---- per-series work ---- */

/* Rewrite err as a message about series gi: prefixed with its key (unless
 * it is passed through, which names it its own way), located at table row
 * `row` (TS_NO_COL: the input the series starts in), and with `suffix`
 * appended. */
static void locate(const struct run *run, size_t gi, size_t row, const char *suffix, bool prefix,
		   struct ts_err *err)
{
	struct ts_buf b = { 0 };
	size_t first = run->view.groups->rows[run->view.groups->start[gi]];

	if (prefix)
		ts_cli_series_prefix(run->view.tab, run->view.roles, run->view.groups, gi, &b);
	ts_buf_puts(&b, err->msg);
	ts_buf_puts(&b, suffix);
	ts_buf_putc(&b, '\0');
	if (!b.failed)
		snprintf(err->msg, sizeof err->msg, "%s", b.data);
	ts_buf_free(&b);
	if (row != TS_NO_COL) {
		err->file = ts_table_file(run->view.tab, row);
		err->line = ts_table_line(run->view.tab, row);
	} else {
		err->file = ts_table_nrows(run->view.tab) > 0 ? ts_table_file(run->view.tab, first)
							    : ts_table_first_file(run->view.tab);
		err->line = 0;
	}
}

static void verbose_line(const struct run *run, size_t gi, const struct result *res, struct ts_buf *msg)
{
	struct ts_buf b = { 0 };
	struct ts_err note = { 0 };

	ts_cli_series_prefix(run->view.tab, run->view.roles, run->view.groups, gi, &b);
	ts_decomprun_describe(&res->s, &res->r, &b);
	ts_buf_putc(&b, '\0');
	if (!b.failed) {
		note.file = ts_table_file(run->view.tab, run->view.groups->rows[run->view.groups->start[gi]]);
		snprintf(note.msg, sizeof note.msg, "%s", b.data);
		ts_cli_message(run->view.cli->prog, &note, false, msg);
	}
	ts_buf_free(&b);
}

/* Everything that turns group gi into a decomposition (phase 1). Data
 * problems (TS_EDATA) of one series of a keyed input (or, with --skip-bad,
 * of any input) pass it through; otherwise they fail the run. */
static int analyse_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg,
		       struct ts_err *err)
{
	struct run *run = ctx;
	struct result *r = &run->res[gi];
	const size_t *rows = run->view.groups->rows + run->view.groups->start[gi];
	size_t nrows = run->view.groups->start[gi + 1] - run->view.groups->start[gi];
	struct ts_cli_msgs jm = { run->view.cli->prog, msg };
	struct ts_load_opts load = ts_cli_load_opts(run->view.cli, &jm);
	size_t bad_row = TS_NO_COL;
	int rc;

	(void)out;
	if ((rc = ts_series_load(run->view.tab, run->view.roles, rows, nrows, &load, &r->s, err)) != 0)
		return rc;
	run->skipped[gi] = r->s.skipped;
	if (r->s.skipped > 0 && (rc = ts_series_restore_skipped(run->view.tab, run->view.roles, rows, nrows,
								 &load, &r->s, err)) != 0)
		return rc;
	if ((rc = ts_decomprun_series(&r->s, run->opt, &r->r, err)) != 0) {
		if (r->r.bad != SIZE_MAX)
			bad_row = r->s.row[r->r.bad];
		goto fail;
	}
	for (size_t i = 0; i < r->r.d.ndropped; i++) {
		struct ts_err note = { 0 };
		ts_err_set(&note, TS_EDATA, "period %zu dropped: %zu points are fewer than two full periods",
			   r->r.d.dropped[i], r->s.n);
		locate(run, gi, TS_NO_COL, "", true, &note);
		ts_cli_message(run->view.cli->prog, &note, true, msg);
	}
	if (run->view.cli->verbose > 0)
		verbose_line(run, gi, r, msg);
	if (run->summary) {
		if ((rc = ts_decomp_summarize(&r->r.d, &r->sum, err)) != 0)
			return rc;
		ts_decomp_free(&r->r.d);
	}
	return 0;
fail:
	if (ts_cli_can_pass(run->view.roles, rc) || (rc == TS_EDATA && run->view.cli->skip_bad)) {
		/* Its rows go out in phase 2 with empty columns; the others go on. */
		locate(run, gi, bad_row, r->r.suffix, false, err);
		ts_cli_pass_series(run->view.cli, run->view.tab, run->view.roles, run->view.groups, gi, err,
				   NULL, NULL, msg);
		ts_decomp_free(&r->r.d);
		r->passthrough = true;
		return 0;
	}
	locate(run, gi, bad_row, r->r.suffix, true, err);
	return rc;
}

/* ---- output ---- */

/* Cut the rows of groups 0..ndone-1 into pieces (run->piece_group and
 * run->first_piece); returns their count, or SIZE_MAX when out of memory. */
static size_t cut_pieces(struct run *run, size_t ndone)
{
	const struct ts_groups *g = run->view.groups;
	size_t npieces = 0, p = 0;

	for (size_t gi = 0; gi < ndone; gi++)
		npieces += (g->start[gi + 1] - g->start[gi] + ROWS_PER_PIECE - 1) / ROWS_PER_PIECE;
	run->piece_group = ts_calloc(npieces, sizeof *run->piece_group);
	run->first_piece = ts_calloc(ndone + 1, sizeof *run->first_piece);
	if (run->piece_group == NULL || run->first_piece == NULL)
		return SIZE_MAX;
	for (size_t gi = 0; gi < ndone; gi++) {
		run->first_piece[gi] = p;
		for (size_t row = g->start[gi]; row < g->start[gi + 1]; row += ROWS_PER_PIECE)
			run->piece_group[p++] = gi;
	}
	run->first_piece[ndone] = p;
	return npieces;
}

/* Piece p of a series' rows with the added columns (phase 2). */
static int rows_job(size_t p, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct run *run = ctx;
	size_t gi = run->piece_group[p];
	struct result *r = &run->res[gi];
	size_t start = run->view.groups->start[gi] + (p - run->first_piece[gi]) * ROWS_PER_PIECE;
	size_t end = run->view.groups->start[gi + 1];

	(void)msg;
	(void)err;
	ts_decomprun_write_rows(&run->layout, run->outcols, run->view.tab, run->view.groups->rows + start,
				end - start < ROWS_PER_PIECE ? end - start : ROWS_PER_PIECE, &r->s,
				r->r.decomposed && !r->passthrough ? &r->r : NULL, out);
	return 0;
}

/* Write piece p; after a series' last piece, free what it was written from. */
static int rows_emit(size_t p, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct run *run = ctx;
	size_t gi = run->piece_group[p];

	(void)msg;
	if (p + 1 == run->first_piece[gi + 1]) {
		ts_decomp_free(&run->res[gi].r.d);
		ts_series_free(&run->res[gi].s);
	}
	return ts_buf_flush(out, stdout, err);
}

/* One summary row for group gi. */
static int summary_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg,
		       struct ts_err *err)
{
	struct run *run = ctx;
	struct result *r = &run->res[gi];

	(void)msg;
	(void)err;
	ts_decomprun_summary_line(run->view.tab, run->view.roles,
				  run->view.groups->rows[run->view.groups->start[gi]], r->s.n,
				  r->r.decomposed && !r->passthrough ? &r->r : NULL, &r->sum,
				  run->opt->boxcox, out);
	return 0;
}

static int write_emit(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	(void)gi;
	(void)ctx;
	(void)msg;
	return ts_buf_flush(out, stdout, err);
}

/* The time, value and key columns must survive the added columns. */
static void check_roles(struct ts_cli *cli, const struct ts_table *tab, const struct ts_roles *roles,
			bool weights)
{
	const char *name = ts_table_name(tab, roles->value);

	if (ts_decomprun_output_name(ts_table_name(tab, roles->time), weights))
		name = ts_table_name(tab, roles->time);
	else if (!ts_decomprun_output_name(name, weights))
		name = NULL;
	for (size_t k = 0; name == NULL && k < roles->nkeys; k++)
		if (ts_decomprun_output_name(ts_table_name(tab, roles->keys[k]), weights))
			name = ts_table_name(tab, roles->keys[k]);
	if (name != NULL)
		ts_cli_data_error(cli, tab, "column \"%s\" would be replaced by the output column of that "
				  "name; rename it", name);
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_cli_input in = { 0 };
	struct ts_decomprun_opts o;
	struct run run = { 0 };
	struct ts_err err = { 0 }, err1 = { 0 };
	struct ts_buf out = { 0 };
	size_t ndone;
	int opt, rc1, rc;
	bool stl_option = false, summary = false;
	char bad[512];

	ts_decomprun_opts_init(&o);
	ts_cli_init(&cli, "ts-decompose", synopsis, help);
	while ((opt = ts_cli_getopt(&cli, &argc, &argv, tool_options, "p:")) != -1) {
		switch (opt) {
		case 'p':
			parse_period_option(&cli, optarg, &o);
			break;
		case TS_OPT_BOXCOX:
			ts_cli_boxcox(&cli, "--boxcox", optarg, &o.boxcox_auto, &o.lambda);
			o.boxcox = true;
			break;
		case TS_OPT_INNER:
			o.inner = ts_cli_int(&cli, "--inner", optarg, 1, 1000);
			stl_option = true;
			break;
		case TS_OPT_ITERATE:
			o.iterate = (size_t)ts_cli_int(&cli, "--iterate", optarg, 1, 1000);
			break;
		case TS_OPT_LOWPASS_DEGREE:
			o.ldeg = (int)ts_cli_int(&cli, "--lowpass-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case TS_OPT_LOWPASS_JUMP:
			o.ljump = (size_t)ts_cli_int(&cli, "--lowpass-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case TS_OPT_LOWPASS_WINDOW:
			parse_window_option(&cli, "--lowpass-window", optarg, &o.lwin);
			o.have_lwin = stl_option = true;
			break;
		case TS_OPT_METHOD:
			o.method = ts_cli_choice(&cli, "--method", optarg, methods);
			break;
		case TS_OPT_OUTER:
			o.outer = ts_cli_int(&cli, "--outer", optarg, 0, 1000);
			stl_option = true;
			break;
		case TS_OPT_ROBUST:
			o.robust = stl_option = true;
			break;
		case TS_OPT_SEASONAL_DEGREE:
			o.sdeg = (int)ts_cli_int(&cli, "--seasonal-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case TS_OPT_SEASONAL_JUMP:
			o.sjump = (size_t)ts_cli_int(&cli, "--seasonal-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case TS_OPT_SUMMARY:
			summary = true;
			break;
		case TS_OPT_SEASONAL_WINDOW:
			switch (ts_span_list_parse(optarg, 3, TS_SPAN_ODD | TS_SPAN_PERIODIC, o.swin,
						   TS_DECOMP_MAX_PERIODS, &o.nswin, bad, sizeof bad)) {
			case TS_SPAN_TOO_MANY:
				ts_cli_usage_error(&cli, "--seasonal-window: at most %d windows",
						   TS_DECOMP_MAX_PERIODS);
			case TS_SPAN_BAD_ITEM:
			case TS_SPAN_BAD_LIST:
				ts_cli_usage_error(&cli, "--seasonal-window: invalid value \"%s\" (expected an "
						   "odd number >= 3 or periodic)", bad);
			}
			stl_option = true;
			break;
		case TS_OPT_TREND_DEGREE:
			o.tdeg = (int)ts_cli_int(&cli, "--trend-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case TS_OPT_TREND_JUMP:
			o.tjump = (size_t)ts_cli_int(&cli, "--trend-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case TS_OPT_TREND_WINDOW:
			parse_window_option(&cli, "--trend-window", optarg, &o.twin);
			o.have_twin = true;
			if (o.method != TS_DECOMP_MEDIAN)
				stl_option = true;
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}

	if (o.pmode == TS_DECOMPRUN_GIVEN && o.nswin > 1 && o.nswin != o.nperiods)
		ts_cli_usage_error(&cli, "--seasonal-window: %zu windows for %zu period%s", o.nswin,
				   o.nperiods, o.nperiods == 1 ? "" : "s");
	if (o.pmode == TS_DECOMPRUN_NONE && o.method == TS_DECOMP_STL && stl_option)
		ts_cli_usage_error(&cli, "-p none: the trend is a super smoother, STL options do not apply");
	o.weights = !summary && (o.robust || o.outer > 0);
	ts_cli_setup(&cli);

	ts_cli_read_inputs(&cli, argc, argv, &in.tab);
	ts_cli_whole_input(&cli, &in.tab, "the header names the columns of every series");
	ts_cli_roles(&cli, &in.tab, &in.roles);
	ts_cli_need_value(&cli, &in.tab, &in.roles);
	if (!summary)
		check_roles(&cli, &in.tab, &in.roles, o.weights);
	if (ts_groups_build(&in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	/* one series: its smooths use the threads; several: one thread each */
	o.threads = in.groups.n == 1 ? ts_cli_threads(&cli) : 1;

	run.view = ts_cli_view_of(&cli, &in);
	run.opt = &o;
	run.summary = summary;
	run.res = ts_calloc(in.groups.n + 1, sizeof *run.res);
	run.skipped = ts_cli_skip_counts(&in.groups);
	if (run.res == NULL || run.skipped == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}

	/* phase 1: every series decomposed (stops at the first failure) */
	if (ts_table_nrows(&in.tab) == 0) {
		ts_cli_warn_no_data(&cli, &in.tab, NULL);
		rc1 = 0;
		ndone = 0;
	} else {
		rc1 = ts_cli_run_groups(&cli, &in.groups, analyse_job, &run, &err1);
		for (ndone = 0; ndone < in.groups.n && (rc1 == 0 || run.res[ndone].r.decomposed ||
						       run.res[ndone].passthrough); ndone++)
			;
		if (rc1 == 0)
			ndone = in.groups.n;
		/* the first series failed: nothing to write */
		if (rc1 != 0 && ndone == 0)
			ts_cli_fail(&cli, &err1);
	}

	/* the header, from what the series asked for */
	ts_decomprun_columns_begin(&run.layout, &o);
	for (size_t gi = 0; gi < ndone; gi++)
		ts_decomprun_columns_add(&run.layout, run.res[gi].r.asked, run.res[gi].r.nasked);
	ts_decomprun_columns_end(&run.layout, &o);
	if (summary) {
		ts_decomprun_summary_header(&in.tab, &in.roles, o.boxcox, &out);
	} else {
		if (ts_outcols_init(&in.outcols, &in.tab, run.layout.added, run.layout.nadded, &err) != 0)
			ts_cli_fail(&cli, &err);
		for (size_t a = 0; a < run.layout.nadded; a++)	/* every added column is a number */
			ts_outcols_set_numeric(&in.outcols, a);
		run.outcols = &in.outcols;
		ts_write_header(&in.outcols, &in.tab, run.layout.added, &out);
	}
	ts_cli_write(&cli, &out);

	/* phase 2: the rows (or summary lines) of the series that went through */
	if (summary) {
		rc = ts_pool_run(ndone, ts_cli_threads(&cli), summary_job, write_emit, &run, &err);
	} else {
		size_t npieces = cut_pieces(&run, ndone);
		if (npieces == SIZE_MAX) {
			ts_err_set(&err, TS_ENOMEM, "out of memory");
			ts_cli_fail(&cli, &err);
		}
		rc = ts_pool_run(npieces, ts_cli_threads(&cli), rows_job, rows_emit, &run, &err);
	}
	if (rc != 0)
		ts_cli_fail(&cli, &err);
	if (rc1 != 0)
		ts_cli_fail(&cli, &err1);
	rc = ts_cli_run_status(&cli, &in, ts_cli_skip_total(run.skipped, &in.groups), TS_EXIT_OK);
	for (size_t gi = 0; gi < in.groups.n; gi++) {
		ts_decomp_free(&run.res[gi].r.d);
		ts_series_free(&run.res[gi].s);
	}
	free(run.res);
	free(run.skipped);
	free(run.piece_group);
	free(run.first_piece);
	ts_buf_free(&out);
	ts_cli_input_free(&in);
	return ts_cli_finish(&cli, rc);
}
