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

#include "cli.h"
#include "csv.h"
#include "detect.h"
#include "expr.h"
#include "frame.h"
#include "junit.h"
#include "mem.h"
#include "num.h"
#include "period.h"
#include "pool.h"
#include "rowreader.h"
#include "stream.h"

static const char synopsis[] =
	"usage: ts-detect [-qv] [-m METHOD[,METHOD]...] [--only] [--last N|DUR] [-p N|DUR[,N|DUR]]\n"
	"                 [--direction up|down|both] [--band-scale K] [--max-anoms F] [--alpha A]\n"
	"                 [--piecewise DUR] [--threshold med_max|p95|p99] [--sigma K] [--iqr C]\n"
	"                 [--boxcox auto|L] [--rule EXPR]... [--lag DUR] [--weeks N] [--drop P]\n"
	"                 [--rise P] [--window N|DUR] [--history DUR] [--min-delta X]\n"
	"                 [--min-ratio R] [--consecutive N] [--cooldown DUR] [--stream]\n"
	"                 [--warmup N|DUR] [--junit FILE] [-t COL] [-y COL] [-k COL[,COL]] [-d C]\n"
	"                 [--tz ZONE] [--epoch s|ms] [-j N] [--skip-bad] [FILE ...]\n";

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
	"      --rule EXPR      rule: an expression such as 'y == 0' (repeatable)\n"
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

enum {
	OPT_ONLY = 0x2000,
	OPT_LAST,
	OPT_DIRECTION,
	OPT_BAND_SCALE,
	OPT_MAX_ANOMS,
	OPT_ALPHA,
	OPT_PIECEWISE,
	OPT_THRESHOLD,
	OPT_SIGMA,
	OPT_IQR,
	OPT_BOXCOX,
	OPT_RULE,
	OPT_LAG,
	OPT_WEEKS,
	OPT_DROP,
	OPT_RISE,
	OPT_WINDOW,
	OPT_HISTORY,
	OPT_MIN_DELTA,
	OPT_MIN_RATIO,
	OPT_CONSECUTIVE,
	OPT_COOLDOWN,
	OPT_STREAM,
	OPT_WARMUP,
	OPT_JUNIT
};

static const struct option tool_options[] = {
	{ "method", required_argument, NULL, 'm' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "period", required_argument, NULL, 'p' },
	{ "only", no_argument, NULL, OPT_ONLY },
	{ "last", required_argument, NULL, OPT_LAST },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	{ "band-scale", required_argument, NULL, OPT_BAND_SCALE },
	{ "max-anoms", required_argument, NULL, OPT_MAX_ANOMS },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "piecewise", required_argument, NULL, OPT_PIECEWISE },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "sigma", required_argument, NULL, OPT_SIGMA },
	{ "iqr", required_argument, NULL, OPT_IQR },
	{ "boxcox", required_argument, NULL, OPT_BOXCOX },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "lag", required_argument, NULL, OPT_LAG },
	{ "weeks", required_argument, NULL, OPT_WEEKS },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "rise", required_argument, NULL, OPT_RISE },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "min-delta", required_argument, NULL, OPT_MIN_DELTA },
	{ "min-ratio", required_argument, NULL, OPT_MIN_RATIO },
	{ "consecutive", required_argument, NULL, OPT_CONSECUTIVE },
	{ "cooldown", required_argument, NULL, OPT_COOLDOWN },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ NULL, 0, NULL, 0 }
};

static const char *const added_names[] = { "anomaly", "score", "expected", "lower", "upper", "reason" };
#define NADDED (sizeof added_names / sizeof added_names[0])
#define NNUMERIC 5	/* all but reason are numbers */

static int outcols_init(struct ts_outcols *o, const struct ts_table *t, struct ts_err *err)
{
	int rc = ts_outcols_init(o, t, added_names, NADDED, err);

	for (size_t a = 0; rc == 0 && a < NNUMERIC; a++)
		ts_outcols_set_numeric(o, a);
	return rc;
}

struct options {
	struct ts_detect_opts d;
	bool only, quiet, stream;
	bool have_methods;
	bool period_none;
	struct ts_span periods[4];
	size_t nperiods;
	struct ts_span window;
	bool have_window;
	struct ts_span warmup;
	bool have_warmup;
	bool have_sigma;		/* --stream: --sigma sets the alarm level */
	struct ts_expr **rules;
	size_t nrules;
};

/* Everything the jobs share, read-only while they run. */
struct detect_run {
	struct ts_cli *cli;
	const struct ts_table *tab;
	const struct ts_roles *roles;
	const struct ts_groups *groups;
	const struct options *opt;
	const struct ts_outcols *outcols;
	size_t col_yhat, col_lower, col_upper, col_trend, col_seasonal, col_remainder;
	bool *rule_col;			/* per input column: a rule reads it */
	size_t *found;			/* per group: anomalies (each job writes its own) */
	size_t *skipped;
	struct ts_junit *junit;		/* --junit: each job fills its own case */
};

/* ---- option values ---- */

static double parse_double(const struct ts_cli *cli, const char *option, const char *arg,
			   double min, double max, bool percent)
{
	size_t len = strlen(arg);
	double v;
	bool pct = percent && len > 0 && arg[len - 1] == '%';

	if (ts_num_parse(arg, pct ? len - 1 : len, &v) != 0 || isnan(v) || len == 0 ||
	    (pct && len == 1))
		ts_cli_usage_error(cli, "%s: invalid number \"%s\"", option, arg);
	if (pct)
		v /= 100;
	if (!(v >= min && v <= max))
		ts_cli_usage_error(cli, "%s: %s is out of range (expected %g..%g%s)", option, arg, min, max,
				   percent ? ", or a percentage" : "");
	return v;
}

static void parse_periods(const struct ts_cli *cli, const char *arg, struct options *o)
{
	const size_t max = sizeof o->periods / sizeof o->periods[0];
	char bad[TS_SPAN_ITEM_MAX];

	o->period_none = strcmp(arg, "none") == 0;
	o->nperiods = 0;
	if (o->period_none)
		return;
	switch (ts_span_list_parse(arg, 2, 0, o->periods, max, &o->nperiods, bad, sizeof bad)) {
	case TS_SPAN_TOO_MANY:
		ts_cli_usage_error(cli, "-p: at most %zu periods", max);
	case TS_SPAN_BAD_LIST:
	case TS_SPAN_BAD_ITEM:
		ts_cli_usage_error(cli, "-p: bad period \"%s\" (expected a count of at least 2, "
				   "a duration or none)", bad);
	}
}

/* ---- rules ---- */

struct bind_ctx {
	const struct ts_table *tab;
	const struct detect_run *run;
};

static int resolve_name(const char *name, void *vctx)
{
	struct bind_ctx *b = vctx;
	int id = ts_rule_builtin(name);
	size_t c;

	if (id == TS_RULE_YHAT && b->run->col_yhat == TS_NO_COL)
		id = -1;
	if ((id == TS_RULE_LOWER || id == TS_RULE_UPPER) &&
	    (b->run->col_lower == TS_NO_COL || b->run->col_upper == TS_NO_COL))
		id = -1;
	if (id >= 0)
		return id;
	for (c = 0; c < b->tab->ncols; c++)
		if (strcmp(b->tab->names[c], name) == 0)
			return TS_EXPR_FIRST_COLUMN + (int)c;
	return -1;
}

/* ---- batch ---- */

/* Prefix a whole-series message with the series' key, and say which input. */
static void locate(const struct detect_run *run, size_t gi, struct ts_err *err)
{
	if (err->file == NULL)
		err->file = run->tab->files[0];
	if (run->roles->nkeys > 0 && err->line == 0) {
		struct ts_buf label = { 0 };
		char text[sizeof err->msg];
		ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
		ts_buf_putc(&label, '\0');
		snprintf(text, sizeof text, "%s", err->msg);
		snprintf(err->msg, sizeof err->msg, "%.100s: %.400s", label.failed ? "?" : label.data, text);
		ts_buf_free(&label);
	}
}

/* The numbers of column col on the series' rows; a field that is not a
 * number, or is infinite, is an input error at its line. */
static int load_column(const struct detect_run *run, const struct ts_series *s, size_t col,
		       double **out, struct ts_err *err)
{
	double *v = ts_mallocarray(s->n + 1, sizeof *v);

	*out = v;
	if (v == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->n; i++)
		if (ts_table_number(run->tab, s->row[i], col, &v[i], err) != 0)
			return TS_EINPUT;
	return 0;
}

static int cmp_time(const void *a, const void *b)
{
	ts_time x = *(const ts_time *)a, y = *(const ts_time *)b;

	return (x > y) - (x < y);
}

/* A span in points of this series' interval. */
static int span_points(const struct ts_span *sp, const struct ts_detect_series *ds, const char *what,
		       size_t *out, struct ts_err *err)
{
	char text[32];

	if (ts_span_divide(sp, ds->has_interval ? &ds->interval : NULL, out) == 0)
		return 0;
	ts_dur_format(&sp->d, text);
	if (!ds->has_interval)
		return ts_err_set(err, TS_EDATA, "%s %s: the interval is unknown (give a count)", what, text);
	return ts_err_set(err, TS_EDATA, "%s %s is not a whole number of intervals", what, text);
}

static void put_num(double v, char *buf, struct ts_str *f)
{
	f->len = ts_num_format(v, buf);
	f->s = buf;
}

static int detect_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct detect_run *run = ctx;
	const struct options *o = run->opt;
	const size_t *rows = run->groups->rows + run->groups->start[gi];
	size_t nrows = run->groups->start[gi + 1] - run->groups->start[gi];
	struct ts_cli_msgs jm = { run->cli->prog, msg };
	struct ts_load_opts load = ts_cli_load_opts(run->cli, &jm);
	struct ts_series s;
	struct ts_detect_series ds = { 0 };
	struct ts_detect_opts dopt = o->d;
	struct ts_detect_result res = { 0 };
	double *cols[6] = { NULL }, **rcols = NULL;
	const size_t colidx[6] = { run->col_yhat, run->col_lower, run->col_upper, run->col_trend,
				   run->col_seasonal, run->col_remainder };
	char irregular[sizeof err->msg];
	ts_time *sorted = NULL;
	size_t found = 0, irregular_at = 0;
	int rc;

	if ((rc = ts_series_load(run->tab, run->roles, rows, nrows, &load, &s, err)) != 0)
		return rc;
	run->skipped[gi] = s.skipped;
	if (s.n == 0) {
		/* --skip-bad left nothing: a dead feed is not all clear. */
		rc = ts_err_set(err, TS_EDATA, "no rows left to judge");
		goto out;
	}
	for (size_t k = 0; k < 6; k++)
		if (colidx[k] != TS_NO_COL && (rc = load_column(run, &s, colidx[k], &cols[k], err)) != 0)
			goto out;
	if (o->nrules > 0) {
		rcols = ts_calloc(run->tab->ncols + 1, sizeof *rcols);
		if (rcols == NULL) {
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t c = 0; c < run->tab->ncols; c++)
			if (run->rule_col[c] && (rc = load_column(run, &s, c, &rcols[c], err)) != 0)
				goto out;
	}
	ds.n = s.n;
	ds.t = s.t;
	ds.y = s.y;
	ds.zone = s.zone;
	ds.yhat = cols[0];
	ds.yhat_lower = cols[1];
	ds.yhat_upper = cols[2];
	ds.trend = cols[3];
	ds.seasonal = cols[4];
	ds.remainder = cols[5];
	ds.columns = (const double *const *)rcols;
	ds.ncolumns = rcols != NULL ? run->tab->ncols : 0;

	/* The interval, and whether the series sits on its grid. */
	sorted = ts_mallocarray(s.n + 1, sizeof *sorted);
	if (sorted == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(sorted, s.t, s.n * sizeof *sorted);
	{
		size_t in_order = 1;
		while (in_order < s.n && sorted[in_order - 1] <= sorted[in_order])
			in_order++;
		if (in_order < s.n)
			qsort(sorted, s.n, sizeof *sorted, cmp_time);
	}
	{
		struct ts_err ierr = { 0 };
		size_t bad = 0;
		if (ts_interval_infer(sorted, s.n, &s.zone, &ds.interval, &ierr) == 0) {
			ds.has_interval = true;
			if (ts_interval_check_grid(s.t, s.n, &ds.interval, &s.zone, &s.tfmt, &bad, &ierr) == 0) {
				ds.regular = true;
			} else {
				snprintf(irregular, sizeof irregular, "%s", ierr.msg);
				irregular_at = bad;
				ds.irregular_msg = irregular;
			}
		} else {
			snprintf(irregular, sizeof irregular, "%s", ierr.msg);
			ds.irregular_msg = irregular;
			ds.regular = s.n <= 1;	/* one point sits on any grid */
		}
	}
	/* Periods and windows in this series' points. */
	dopt.nperiods = 0;
	if (o->nperiods > 0) {
		for (size_t k = 0; k < o->nperiods; k++) {
			size_t p;
			if ((rc = span_points(&o->periods[k], &ds, "period", &p, err)) != 0)
				goto out;
			if (p < 2) {
				rc = ts_err_set(err, TS_EDATA, "period of %zu point%s: at least 2 are needed", p,
						p == 1 ? "" : "s");
				goto out;
			}
			size_t j = dopt.nperiods;
			while (j > 0 && dopt.periods[j - 1] > p) {
				dopt.periods[j] = dopt.periods[j - 1];
				j--;
			}
			dopt.periods[j] = p;
			dopt.nperiods++;
		}
	} else if (!o->period_none && ds.has_interval && s.n > 0) {
		dopt.nperiods = ts_detect_default_periods(&ds.interval, sorted[s.n - 1] - sorted[0], s.n,
							  dopt.periods);
	}
	if (o->have_window) {
		if ((rc = span_points(&o->window, &ds, "--window", &dopt.window, err)) != 0)
			goto out;
		if (dopt.window < 1) {
			rc = ts_err_set(err, TS_EDATA, "--window is shorter than the interval");
			goto out;
		}
	}
	if ((rc = ts_detect_result_alloc(&res, s.n, err)) != 0)
		goto out;
	if ((rc = ts_detect_run(&ds, &dopt, &res, err)) != 0) {
		if (rc == TS_EDATA && !ds.regular && ds.has_interval && strstr(err->msg, "irregular") != NULL) {
			err->file = ts_table_file(run->tab, s.row[irregular_at]);
			err->line = run->tab->line[s.row[irregular_at]];
		}
		goto out;
	}
	/* Bounds are often the same from row to row (mad, iqr, new-high):
	 * each column formats a value only when it changes. */
	struct ts_num_memo memo[4] = { { 0 } };
	for (size_t i = 0; i < s.n; i++) {
		struct ts_str added[NADDED];

		found += res.anomaly[i];
		if (res.anomaly[i] && run->junit != NULL)
			ts_junit_anomaly(run->junit, gi, run->tab, run->roles, s.row[i], s.y[i],
					 res.expected[i], res.reason[i]);
		if (o->quiet || (o->only && !res.anomaly[i]))
			continue;
		added[0].s = res.anomaly[i] ? "1" : "0";
		added[0].len = 1;
		added[1].s = ts_num_format_memo(&memo[0], res.score[i], &added[1].len);
		added[2].s = ts_num_format_memo(&memo[1], res.expected[i], &added[2].len);
		added[3].s = ts_num_format_memo(&memo[2], res.lower[i], &added[3].len);
		added[4].s = ts_num_format_memo(&memo[3], res.upper[i], &added[4].len);
		added[5].s = res.reason[i];
		added[5].len = strlen(res.reason[i]);
		ts_write_row(run->outcols, run->tab, s.row[i], NULL, added, out);
	}
	run->found[gi] = found;
	if (run->cli->verbose > 0) {
		char line[512], width[32] = "unknown";
		struct ts_buf label = { 0 };
		if (run->roles->nkeys > 0)
			ts_cli_series_label(run->tab, run->roles, run->groups, gi, &label);
		else
			ts_buf_puts(&label, run->tab->files[0]);
		ts_buf_putc(&label, '\0');
		if (ds.has_interval)
			ts_dur_format(&ds.interval, width);
		char periods[64] = "0";
		for (size_t k = 0, at = 0; k < dopt.nperiods && at < sizeof periods; k++)
			at += (size_t)snprintf(periods + at, sizeof periods - at, "%s%zu", k > 0 ? "," : "",
					       dopt.periods[k]);
		snprintf(line, sizeof line, "%s: %s: %zu rows, %zu anomal%s, interval %s, period %s%s\n",
			 run->cli->prog, label.failed ? "?" : label.data, s.n, found, found == 1 ? "y" : "ies",
			 width, periods, ds.regular ? "" : " (irregular)");
		ts_buf_puts(msg, line);
		ts_buf_free(&label);
	}
out:
	if (ts_cli_can_pass(run->roles, rc)) {
		/* This series cannot be judged; the others go on. */
		if (run->junit != NULL)
			ts_junit_error(run->junit, gi, err);
		ts_cli_pass_series(run->cli, run->tab, run->roles, run->groups, gi, err,
				   o->quiet || o->only ? NULL : run->outcols, out, msg);
		rc = 0;
	}
	if (rc != 0)
		locate(run, gi, err);
	ts_detect_result_free(&res);
	for (size_t k = 0; k < 6; k++)
		free(cols[k]);
	if (rcols != NULL)
		for (size_t c = 0; c < run->tab->ncols; c++)
			free(rcols[c]);
	free(rcols);
	free(sorted);
	ts_series_free(&s);
	return rc;
}

static int detect_emit(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct detect_run *run = ctx;

	(void)gi;
	return ts_cli_emit(run->cli, out, msg, err);
}

/* ---- streaming ---- */

/* What a series needs beyond its model: its wall clock. */
struct stream_series {
	bool have_zone, have_prev;
	struct ts_zone zone;
	ts_time prev;		/* the series' last instant, for the fall-back hour */
};

struct stream_run {
	struct ts_cli *cli;
	const struct options *opt;
	struct ts_rowreader *reader;
	struct ts_stream_set *set;
	struct stream_series *series;	/* by first-seen index */
	size_t series_cap;
	bool have_outcols;
	struct ts_outcols outcols;
	struct ts_buf out, key;
	size_t found, skipped, judged;
};

/* A bad row: an error, or with --skip-bad a warning and a count. */
static int stream_bad_row(struct stream_run *sr, const struct ts_row *row, struct ts_err *err)
{
	err->file = row->file;
	err->line = row->line;
	if (!sr->cli->skip_bad)
		return err->code;
	ts_cli_warn(sr->cli, err);
	ts_err_clear(err);
	sr->skipped++;
	return 0;
}

/* A row with the wrong number of fields, under --skip-bad. */
static int stream_ragged_row(struct ts_err *err, void *ctx)
{
	struct stream_run *sr = ctx;

	ts_cli_warn(sr->cli, err);
	ts_err_clear(err);
	sr->skipped++;
	return 0;
}

static int stream_row(const struct ts_row *row, void *ctx, struct ts_err *err)
{
	struct stream_run *sr = ctx;
	struct stream_series *ser;
	struct ts_stream *st;
	struct ts_stream_out so;
	struct ts_tfmt fmt;
	struct ts_str tf;
	ts_time when;
	double y;
	size_t idx;

	/* The series first, so that its state is on its way to the cache
	 * while the row is parsed. */
	sr->key.len = 0;
	ts_row_key(row, &sr->key);
	if (sr->key.failed)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if ((st = ts_stream_set_get(sr->set, sr->key.data != NULL ? sr->key.data : "", sr->key.len, &idx,
				    err)) == NULL)
		return err->code;
	ts_stream_prefetch(st);
	/* The same rules as the batch tools: an infinity is bad input. */
	if (ts_table_number(row->t, 0, row->roles->value, &y, err) != 0)
		return stream_bad_row(sr, row, err);
	tf = ts_table_field(row->t, 0, row->roles->time);
	if (ts_time_parse(tf.s, tf.len, sr->cli->epoch, &when, &fmt, err) != 0)
		return stream_bad_row(sr, row, err);
	/* The header goes out with the first row that parses. */
	if (!sr->have_outcols) {
		if (ts_outcols_init(&sr->outcols, row->t, added_names, NADDED, err) != 0)
			return err->code;
		for (size_t a = 0; a < NNUMERIC; a++)
			ts_outcols_set_numeric(&sr->outcols, a);
		sr->have_outcols = true;
		if (!sr->opt->quiet)
			ts_write_header(&sr->outcols, row->t, added_names, &sr->out);
	}
	if (idx >= sr->series_cap) {
		size_t old = sr->series_cap;
		struct stream_series *grown = ts_grow(sr->series, &sr->series_cap, idx + 1, sizeof *grown);
		if (grown == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		memset(grown + old, 0, (sr->series_cap - old) * sizeof *grown);
		sr->series = grown;
	}
	ser = &sr->series[idx];
	if (!ser->have_zone) {
		/* The wall clock of the seasons: --tz, else what the series'
		 * first timestamp says. */
		if (sr->cli->have_zone)
			ser->zone = sr->cli->zone;
		else
			ts_zone_from_fmt(&fmt, &ser->zone);
		ser->have_zone = true;
	}
	/* A naive time in --tz: through the repeated fall-back hour in
	 * order, a time the clocks skip is bad input (as ts-fill reads it). */
	if (ts_time_resolve(when, &fmt, sr->cli->have_zone ? &sr->cli->zone : NULL,
			    ser->have_prev ? ser->prev : INT64_MIN, &when, err) != 0) {
		char quoted[64], why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		ts_err_set(err, TS_EINPUT, "bad timestamp \"%s\": %.300s",
			   ts_err_quote(tf.s, tf.len, quoted, sizeof quoted), why);
		return stream_bad_row(sr, row, err);
	}
	ser->prev = when;
	ser->have_prev = true;
	ts_stream_step(st, when, y, &ser->zone, &so);
	sr->found += so.anomaly;
	sr->judged++;
	if (!sr->opt->quiet && (!sr->opt->only || so.anomaly)) {
		char nums[4][TS_NUM_BUFSIZE];
		struct ts_str added[NADDED];
		added[0].s = so.anomaly ? "1" : "0";
		added[0].len = 1;
		put_num(so.score, nums[0], &added[1]);
		put_num(so.expected, nums[1], &added[2]);
		put_num(so.lower, nums[2], &added[3]);
		put_num(so.upper, nums[3], &added[4]);
		added[5].s = so.reason;
		added[5].len = strlen(so.reason);
		ts_write_row(&sr->outcols, row->t, 0, NULL, added, &sr->out);
	}
	return 0;
}

/* Write what was decided. A reader that went away ends the run as a closed
 * pipe ends any filter (SIGPIPE), even when the signal was ignored. */
static int stream_flush(void *ctx, struct ts_err *unused)
{
	struct stream_run *sr = ctx;
	struct ts_err err = { 0 };
	int saved;

	(void)unused;
	if (ts_buf_flush(&sr->out, stdout, &err) == 0 && fflush(stdout) == 0)
		return 0;
	saved = errno;
	if (err.code == 0)
		ts_err_set(&err, TS_EIO, "write error: %s", strerror(saved));
	if (err.code == TS_EIO && saved == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	ts_cli_fail(sr->cli, &err);
}

/* -v: a line per series, as in batch mode, with the model in use. */
static void stream_verbose(const struct stream_run *sr)
{
	const struct ts_table *t = ts_rowreader_header(sr->reader);

	for (size_t i = 0; i < ts_stream_set_count(sr->set); i++) {
		struct ts_stream_summary sum;
		struct ts_buf label = { 0 };
		char width[32] = "unknown", periods[64] = "0";
		size_t len;
		const char *key = ts_stream_set_key(sr->set, i, &len);

		ts_stream_summary(ts_stream_set_state(sr->set, i), &sum);
		if (t->nfiles > 0 && len == 0) {
			ts_buf_puts(&label, t->files[0]);
		} else {
			ts_buf_puts(&label, "series \"");
			ts_row_key_label(key, len, &label);
			ts_buf_putc(&label, '"');
		}
		ts_buf_putc(&label, '\0');
		if (sum.interval.us > 0)
			ts_dur_format(&sum.interval, width);
		if (sum.bins > 0 && sum.long_bins > 0)
			snprintf(periods, sizeof periods, "%zu,%zu", sum.bins,
				 (size_t)(sum.long_season_us / sum.interval.us));
		else if (sum.bins > 0)
			snprintf(periods, sizeof periods, "%zu", sum.bins);
		fprintf(stderr, "%s: %s: %zu rows, %zu anomal%s, interval %s, period %s, model %s%s\n",
			sr->cli->prog, label.failed ? "?" : label.data, sum.rows, sum.anomalies,
			sum.anomalies == 1 ? "y" : "ies", width, periods,
			sum.forecaster_gain[0] != '\0' ? sum.forecaster_gain : "none", sum.forecaster_season);
		ts_buf_free(&label);
	}
}

/* The stream's model parameters from the options. */
static void stream_params(struct ts_cli *cli, const struct options *o, struct ts_stream_params *p)
{
	memset(p, 0, sizeof *p);
	/* --sigma K: the two-sided tail probability of K Gaussian sigmas. */
	p->p_alarm = o->have_sigma ? erfc(o->d.sigma_k / sqrt(2))
		   : !isnan(o->d.alpha) ? o->d.alpha : TS_STREAM_P_ALARM;
	if (p->p_alarm < 1e-300)
		p->p_alarm = 1e-300;
	p->direction = o->d.direction;
	p->min_delta = o->d.min_delta;
	p->min_ratio = o->d.min_ratio;
	p->consecutive = o->d.consecutive;
	p->cooldown = o->d.cooldown;
	p->no_season = o->period_none;
	for (size_t k = 0; k < o->nperiods && k < 2; k++) {
		const struct ts_span *sp = &o->periods[k];
		if (sp->is_dur && sp->d.months != 0)
			ts_cli_usage_error(cli, "--stream: -p must be a fixed duration or a count");
		if (k == 0 && sp->is_dur)
			p->season = sp->d;
		else if (k == 0)
			p->period_points = sp->n;
		else if (sp->is_dur)
			p->season2 = sp->d;
		else
			p->period2_points = sp->n;
	}
	if (o->have_warmup) {
		if (o->warmup.is_dur) {
			if (o->warmup.d.months != 0)
				ts_cli_usage_error(cli, "--warmup: a fixed duration or a count of rows");
			p->warmup_kind = TS_WARMUP_DUR;
			p->warmup_us = o->warmup.d.us;
		} else {
			p->warmup_kind = TS_WARMUP_ROWS;
			p->warmup_rows = o->warmup.n;
		}
	}
}

static int run_stream(struct ts_cli *cli, const struct options *o, int argc, char **argv)
{
	struct stream_run sr = { 0 };
	struct ts_stream_params params;
	struct ts_err err = { 0 };
	int nfiles = argc > 0 ? argc : 1;
	const char *last = "<stdin>";

	stream_params(cli, o, &params);
	sr.cli = cli;
	sr.opt = o;
	sr.set = ts_stream_set_new(&params);
	sr.reader = ts_rowreader_new(cli->delim, cli->time_col, cli->value_col, cli->key_cols);
	if (sr.set == NULL || sr.reader == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(cli, &err);
	}
	if (cli->skip_bad)
		ts_rowreader_on_ragged(sr.reader, stream_ragged_row);
	for (int i = 0; i < nfiles; i++) {
		const char *path = argc > 0 ? argv[i] : "-";
		bool is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "rb");
		int rc;

		if (f == NULL) {
			err.file = path;
			ts_err_set(&err, TS_EIO, "%s", strerror(errno));
			ts_cli_fail(cli, &err);
		}
		last = is_stdin ? "<stdin>" : path;
		rc = ts_rowreader_read(sr.reader, fileno(f), last, stream_row, stream_flush, &sr, &err);
		if (!is_stdin)
			fclose(f);
		if (rc != 0) {
			stream_flush(&sr, NULL);
			if (rc == TS_EUSAGE)
				ts_cli_usage_error(cli, "%s", err.msg);
			ts_cli_fail(cli, &err);
		}
	}
	if (!ts_rowreader_has_roles(sr.reader)) {
		/* Header only: a dead feed is not all clear. */
		err.file = last;
		ts_err_set(&err, TS_EDATA, "no data rows: nothing to judge");
		ts_cli_fail(cli, &err);
	}
	stream_flush(&sr, NULL);
	if (sr.judged == 0) {
		/* --skip-bad left nothing: a dead feed is not all clear. */
		err.file = last;
		ts_err_set(&err, TS_EDATA, "no rows left to judge");
		ts_cli_fail(cli, &err);
	}
	if (sr.skipped > 0) {
		struct ts_err warn = { 0 };
		ts_err_set(&warn, TS_EINPUT, "skipped %zu bad row%s", sr.skipped, sr.skipped == 1 ? "" : "s");
		ts_cli_warn(cli, &warn);
	}
	if (cli->verbose > 0)
		stream_verbose(&sr);
	ts_stream_set_free(sr.set);
	ts_rowreader_free(sr.reader);
	free(sr.series);
	ts_buf_free(&sr.out);
	ts_buf_free(&sr.key);
	if (sr.have_outcols)
		ts_outcols_free(&sr.outcols);
	return ts_cli_finish(cli, sr.found > 0 ? TS_EXIT_FOUND : TS_EXIT_OK);
}

/* ---- options that reach past the input ---- */

struct reach {
	const struct ts_cli *cli;
	size_t longest;		/* rows of the longest series */
	bool have_range;	/* the input's first and last instants, once read */
	size_t timed;		/* rows whose time parsed */
	ts_time first, last;
	const struct ts_table *tab;
	const struct ts_roles *roles;
};

/* Whether d, counted from the input's first instant, goes past its last:
 * then no series has a row that far from its start. *span gets the
 * input's span, written for a message. */
static bool beyond_input(struct reach *r, const struct ts_dur *d, char *span)
{
	struct ts_dur whole = { 0, 0 };

	if (!r->have_range) {
		struct ts_load_opts load = { .epoch = r->cli->epoch,
					     .zone = r->cli->have_zone ? &r->cli->zone : NULL };
		r->timed = ts_table_time_range(r->tab, r->roles->time, &load, &r->first, &r->last);
		r->have_range = true;
	}
	if (r->timed == 0)
		return false;	/* the series will say what is wrong */
	whole.us = r->last - r->first;
	if (whole.us > 0)
		ts_dur_format(&whole, span);
	else
		snprintf(span, 32, "%s", "one instant");
	return ts_time_add(r->first, d, 1, r->cli->have_zone ? &r->cli->zone : NULL) > r->last;
}

static bool uses(const struct options *o, enum ts_detect_method m)
{
	for (size_t k = 0; k < o->d.nmethods; k++)
		if (o->d.methods[k] == m)
			return true;
	return false;
}

/* A window, history or lag given that reaches past the whole input, or
 * past every series' rows, leaves every row unjudged and the exit status
 * 0: refuse it before any series runs, saying why. */
static void check_reach(const struct ts_cli *cli, const struct options *o, const struct ts_table *tab,
			const struct ts_roles *roles, const struct ts_groups *groups,
			const char *window_spec, const char *history_spec, const char *lag_spec)
{
	struct reach r = { cli, 0, false, 0, 0, 0, tab, roles };
	struct ts_err err = { 0 };
	char span[32];

	if (tab->nrows == 0)
		return;
	for (size_t gi = 0; gi < groups->n; gi++)
		if (groups->start[gi + 1] - groups->start[gi] > r.longest)
			r.longest = groups->start[gi + 1] - groups->start[gi];
	if (window_spec != NULL && uses(o, TS_DETECT_LEVEL_SHIFT)) {
		struct ts_dur twice = o->window.d;
		twice.us *= 2;
		twice.months *= 2;
		if (!o->window.is_dur && o->window.n > r.longest / 2)
			ts_err_set(&err, TS_EUSAGE, "--window %s: level-shift needs twice that many rows, a window "
				   "either side, and the longest series has %zu", window_spec, r.longest);
		else if (o->window.is_dur && beyond_input(&r, &twice, span))
			ts_err_set(&err, TS_EUSAGE, "--window %s: level-shift needs twice that, a window either "
				   "side, and the input spans %s", window_spec, span);
	}
	if (err.code == 0 && history_spec != NULL &&
	    (uses(o, TS_DETECT_NEW_HIGH) || uses(o, TS_DETECT_NEW_LOW)) && beyond_input(&r, &o->d.history, span))
		ts_err_set(&err, TS_EUSAGE, "--history %s is longer than the input, which spans %s: no row "
			   "would have a full history", history_spec, span);
	if (err.code == 0 && lag_spec != NULL && uses(o, TS_DETECT_WOW) && beyond_input(&r, &o->d.lag, span))
		ts_err_set(&err, TS_EUSAGE, "--lag %s is longer than the input, which spans %s: no row has a "
			   "value that far back", lag_spec, span);
	for (size_t k = 0; err.code == 0 && k < o->nrules; k++) {
		for (size_t v = 0; err.code == 0 && v < ts_expr_nvars(o->rules[k]); v++) {
			const struct ts_expr_var *var = ts_expr_var(o->rules[k], v);
			char lag[32];
			if (var->kind != TS_EXPR_VAR_LAG)
				continue;
			if (var->lag_is_rows && var->lag_rows >= r.longest) {
				ts_err_set(&err, TS_EUSAGE, "--rule \"%s\": lag(%zu) is as many rows as the longest "
					   "series has (%zu) or more: it is missing on every row",
					   ts_expr_text(o->rules[k]), var->lag_rows, r.longest);
			} else if (!var->lag_is_rows && beyond_input(&r, &var->lag_dur, span)) {
				ts_dur_format(&var->lag_dur, lag);
				ts_err_set(&err, TS_EUSAGE, "--rule \"%s\": lag(%s) reaches before the input, which "
					   "spans %s, from every row: it is missing on every row",
					   ts_expr_text(o->rules[k]), lag, span);
			}
		}
	}
	if (err.code != 0)
		ts_cli_fail(cli, &err);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_table tab = { 0 };
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_outcols outcols;
	struct detect_run run = { 0 };
	struct options o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *method_spec = NULL, *last_spec = NULL, *junit_path = NULL;
	struct ts_junit junit = { 0 };
	const char *window_spec = NULL, *history_spec = NULL, *lag_spec = NULL;
	size_t rules_cap = 0, found = 0, skipped = 0;
	int opt, rc;

	memset(&o, 0, sizeof o);
	ts_detect_opts_init(&o.d);
	ts_cli_init(&cli, "ts-detect", synopsis, help);
	while ((opt = ts_cli_getopt(&cli, argc, argv, tool_options, "m:p:q")) != -1) {
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
		case OPT_ONLY:
			o.only = true;
			break;
		case OPT_LAST:
			last_spec = optarg;
			break;
		case OPT_DIRECTION:
			if (strcmp(optarg, "both") == 0)
				o.d.direction = TS_DIR_BOTH;
			else if (strcmp(optarg, "up") == 0 || strcmp(optarg, "pos") == 0)
				o.d.direction = TS_DIR_UP;
			else if (strcmp(optarg, "down") == 0 || strcmp(optarg, "neg") == 0)
				o.d.direction = TS_DIR_DOWN;
			else
				ts_cli_usage_error(&cli, "--direction: invalid value \"%s\" (expected up, down or both)",
						   optarg);
			break;
		case OPT_BAND_SCALE:
			o.d.band_scale = parse_double(&cli, "--band-scale", optarg, 0, 1e6, false);
			break;
		case OPT_MAX_ANOMS:
			o.d.max_anoms = parse_double(&cli, "--max-anoms", optarg, 1e-9, 0.49, true);
			break;
		case OPT_ALPHA:
			o.d.alpha = parse_double(&cli, "--alpha", optarg, 1e-12, 0.5, false);
			break;
		case OPT_PIECEWISE:
			ts_cli_dur(&cli, "--piecewise", optarg, &o.d.piecewise_dur);
			if (o.d.piecewise_dur.months != 0)
				ts_cli_usage_error(&cli, "--piecewise: a fixed duration such as 2w");
			o.d.piecewise = true;
			break;
		case OPT_THRESHOLD:
			if (strcmp(optarg, "med_max") == 0)
				o.d.threshold = TS_ESD_THRESH_MED_MAX;
			else if (strcmp(optarg, "p95") == 0)
				o.d.threshold = TS_ESD_THRESH_P95;
			else if (strcmp(optarg, "p99") == 0)
				o.d.threshold = TS_ESD_THRESH_P99;
			else if (strcmp(optarg, "none") == 0)
				o.d.threshold = TS_ESD_THRESH_NONE;
			else
				ts_cli_usage_error(&cli, "--threshold: invalid value \"%s\" (expected med_max, p95 or p99)",
						   optarg);
			break;
		case OPT_SIGMA:
			o.d.sigma_k = parse_double(&cli, "--sigma", optarg, 0, 1e6, false);
			o.have_sigma = true;
			/* sigma and mad estimate the spread from the points they do
			 * not flag: below one sigma they flag most points, and the
			 * counts stop falling as K grows (0 found nothing at all) */
			if (o.d.sigma_k < 1)
				ts_cli_usage_error(&cli, "--sigma: %s is below 1: under one sigma most points are "
						   "flagged and too few are left to estimate sigma from", optarg);
			break;
		case OPT_IQR:
			o.d.iqr_c = parse_double(&cli, "--iqr", optarg, 0, 1e6, false);
			break;
		case OPT_BOXCOX:
			o.d.boxcox = true;
			if (strcmp(optarg, "auto") == 0)
				o.d.boxcox_auto = true;
			else
				o.d.lambda = parse_double(&cli, "--boxcox", optarg, -10, 10, false);
			break;
		case OPT_RULE: {
			struct ts_expr *e;
			struct ts_expr **grown;
			if (ts_expr_parse(optarg, &e, NULL, &err) != 0)
				ts_cli_usage_error(&cli, "--rule \"%s\": %s", optarg, err.msg);
			grown = ts_grow(o.rules, &rules_cap, o.nrules + 1, sizeof *grown);
			if (grown == NULL) {
				ts_err_set(&err, TS_ENOMEM, "out of memory");
				ts_cli_fail(&cli, &err);
			}
			o.rules = grown;
			o.rules[o.nrules++] = e;
			break;
		}
		case OPT_LAG:
			ts_cli_dur(&cli, "--lag", optarg, &o.d.lag);
			lag_spec = optarg;
			break;
		case OPT_WEEKS:
			o.d.weeks = (size_t)ts_cli_int(&cli, "--weeks", optarg, 1, 1000);
			break;
		case OPT_DROP:
			o.d.drop = parse_double(&cli, "--drop", optarg, 0, 1, true);
			break;
		case OPT_RISE:
			o.d.rise = parse_double(&cli, "--rise", optarg, 0, 1e6, true);
			break;
		case OPT_WINDOW:
			if (ts_span_parse(optarg, 1, &o.window) != 0)
				ts_cli_usage_error(&cli, "--window: bad window \"%s\" (a count of rows or a duration)",
						   optarg);
			o.have_window = true;
			window_spec = optarg;
			break;
		case OPT_HISTORY:
			ts_cli_dur(&cli, "--history", optarg, &o.d.history);
			history_spec = optarg;
			break;
		case OPT_MIN_DELTA:
			o.d.min_delta = parse_double(&cli, "--min-delta", optarg, 0, HUGE_VAL, false);
			break;
		case OPT_MIN_RATIO:
			o.d.min_ratio = parse_double(&cli, "--min-ratio", optarg, 0, 1e6, true);
			break;
		case OPT_CONSECUTIVE:
			o.d.consecutive = (size_t)ts_cli_int(&cli, "--consecutive", optarg, 1, 1000000);
			break;
		case OPT_COOLDOWN:
			ts_cli_dur(&cli, "--cooldown", optarg, &o.d.cooldown);
			break;
		case OPT_STREAM:
			o.stream = true;
			break;
		case OPT_WARMUP:
			if (ts_span_parse(optarg, 0, &o.warmup) != 0)
				ts_cli_usage_error(&cli, "--warmup: bad value \"%s\" (a count of rows or a duration)",
						   optarg);
			o.have_warmup = true;
			break;
		case OPT_JUNIT:
			junit_path = optarg;
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;

	if (method_spec != NULL) {
		if (ts_detect_methods_parse(method_spec, o.d.methods, &o.d.nmethods, &err) != 0)
			ts_cli_usage_error(&cli, "-m: %s", err.msg);
		o.have_methods = true;
	}
	if (last_spec != NULL) {
		struct ts_span sp;
		if (ts_span_parse(last_spec, 1, &sp) != 0)
			ts_cli_usage_error(&cli, "--last: bad value \"%s\" (a count of rows or a duration)",
					   last_spec);
		o.d.last_kind = sp.is_dur ? TS_LAST_DUR : TS_LAST_ROWS;
		o.d.last_rows = sp.n;
		o.d.last_dur = sp.d;
	}
	if (o.only && o.quiet)
		ts_cli_usage_error(&cli, "--only and -q cannot be combined");
	if (o.stream) {
		if (o.have_methods)
			ts_cli_usage_error(&cli, "--stream has its own model: -m cannot be combined with it");
		if (last_spec != NULL || o.nrules > 0)
			ts_cli_usage_error(&cli, "--stream cannot be combined with --last or --rule");
		if (junit_path != NULL)
			ts_cli_usage_error(&cli, "--stream cannot be combined with --junit");
		ts_cli_setup(&cli);
		return run_stream(&cli, &o, argc, argv);
	}
	if (o.have_warmup)
		ts_cli_usage_error(&cli, "--warmup is only used with --stream");
	ts_cli_setup(&cli);

	ts_cli_read_inputs(&cli, argc, argv, &tab);
	ts_cli_roles(&cli, &tab, &roles);
	ts_cli_need_value(&cli, &tab, &roles);
	run.col_yhat = ts_table_column(&tab, "yhat");
	run.col_lower = ts_table_column(&tab, "yhat_lower");
	run.col_upper = ts_table_column(&tab, "yhat_upper");
	run.col_trend = ts_table_column(&tab, "trend");
	run.col_seasonal = ts_table_column(&tab, "seasonal");
	run.col_remainder = ts_table_column(&tab, "remainder");
	/* Columns given by number are not what these names mean. */
	{
		size_t *cols[] = { &run.col_yhat, &run.col_lower, &run.col_upper, &run.col_trend,
				   &run.col_seasonal, &run.col_remainder };
		const char *names[] = { "yhat", "yhat_lower", "yhat_upper", "trend", "seasonal", "remainder" };
		for (size_t k = 0; k < 6; k++)
			if (*cols[k] != TS_NO_COL && strcmp(tab.names[*cols[k]], names[k]) != 0)
				*cols[k] = TS_NO_COL;
	}
	if (!o.have_methods) {
		o.d.nmethods = 0;
		if (o.nrules > 0)
			o.d.methods[o.d.nmethods++] = TS_DETECT_RULE;
		else if (run.col_yhat != TS_NO_COL)
			o.d.methods[o.d.nmethods++] = TS_DETECT_SURPRISE;
		else
			o.d.methods[o.d.nmethods++] = TS_DETECT_SIGMA;
	} else if (o.nrules > 0) {
		bool has_rule = false;
		for (size_t k = 0; k < o.d.nmethods; k++)
			has_rule |= o.d.methods[k] == TS_DETECT_RULE;
		if (!has_rule)
			o.d.methods[o.d.nmethods++] = TS_DETECT_RULE;
	}
	for (size_t k = 0; k < o.d.nmethods; k++) {
		if (o.d.methods[k] == TS_DETECT_RULE && o.nrules == 0)
			ts_cli_usage_error(&cli, "-m rule needs --rule EXPR");
		if (o.d.methods[k] == TS_DETECT_BAND &&
		    (run.col_lower == TS_NO_COL || run.col_upper == TS_NO_COL)) {
			err.file = tab.files[0];
			ts_err_set(&err, TS_EDATA,
				   "band needs yhat_lower and yhat_upper columns (run ts-forecast first)");
			ts_cli_fail(&cli, &err);
		}
		if (o.d.methods[k] == TS_DETECT_SURPRISE && run.col_yhat == TS_NO_COL) {
			err.file = tab.files[0];
			ts_err_set(&err, TS_EDATA, "surprise needs a yhat column (run ts-forecast first)");
			ts_cli_fail(&cli, &err);
		}
	}
	run.rule_col = ts_calloc(tab.ncols + 1, sizeof *run.rule_col);
	if (run.rule_col == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}
	for (size_t k = 0; k < o.nrules; k++) {
		struct bind_ctx bc = { &tab, &run };
		if (ts_expr_bind(o.rules[k], resolve_name, &bc, &err) != 0) {
			char list[200];
			ts_table_column_list(&tab, list, sizeof list);
			ts_cli_data_error(&cli, &tab, "--rule \"%s\": %s (columns: %s)",
					  ts_expr_text(o.rules[k]), err.msg, list);
		}
		for (size_t v = 0; v < ts_expr_nvars(o.rules[k]); v++) {
			const struct ts_expr_var *var = ts_expr_var(o.rules[k], v);
			if (var->kind == TS_EXPR_VAR_NAME && var->id >= TS_EXPR_FIRST_COLUMN)
				run.rule_col[var->id - TS_EXPR_FIRST_COLUMN] = true;
		}
	}
	o.d.rules = o.rules;
	o.d.nrules = o.nrules;
	if (ts_groups_build(&tab, &roles, &groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	check_reach(&cli, &o, &tab, &roles, &groups, window_spec, history_spec, lag_spec);
	if (outcols_init(&outcols, &tab, &err) != 0)
		ts_cli_fail(&cli, &err);
	run.found = ts_calloc(groups.n + 1, sizeof *run.found);
	run.skipped = ts_calloc(groups.n + 1, sizeof *run.skipped);
	if (run.found == NULL || run.skipped == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}
	run.cli = &cli;
	run.tab = &tab;
	run.roles = &roles;
	run.groups = &groups;
	run.opt = &o;
	run.outcols = &outcols;
	if (junit_path != NULL && ts_junit_init(&junit, "ts-detect", &tab, &roles, &groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	run.junit = junit_path != NULL ? &junit : NULL;

	/* A dead feed is not all clear. */
	if (tab.nrows == 0)
		ts_cli_data_error(&cli, &tab, "no data rows: nothing to judge");
	if (!o.quiet) {
		/* Held back until a series has rows, so a failure comes alone. */
		ts_write_header(&outcols, &tab, added_names, &out);
		ts_cli_hold_header(&cli, &out);
	}
	rc = ts_pool_run(groups.n, ts_cli_threads(&cli), detect_job, detect_emit, &run, &err);
	if (rc != 0)
		ts_cli_fail(&cli, &err);
	ts_cli_release_header(&cli);
	if (junit_path != NULL && ts_junit_write(&junit, junit_path, &err) != 0)
		ts_cli_fail(&cli, &err);
	ts_junit_free(&junit);
	skipped = tab.skipped;	/* ragged rows the reader left out */
	for (size_t gi = 0; gi < groups.n; gi++) {
		found += run.found[gi];
		skipped += run.skipped[gi];
	}
	if (skipped > 0) {
		struct ts_err warn = { 0 };
		ts_err_set(&warn, TS_EINPUT, "skipped %zu bad row%s", skipped, skipped == 1 ? "" : "s");
		ts_cli_warn(&cli, &warn);
	}
	/* Anomalies found page (1) even when some series could not be judged (2). */
	rc = ts_cli_pass_status(&cli, groups.n, found > 0 ? TS_EXIT_FOUND : TS_EXIT_OK);
	for (size_t k = 0; k < o.nrules; k++)
		ts_expr_free(o.rules[k]);
	free(o.rules);
	free(run.rule_col);
	free(run.found);
	free(run.skipped);
	ts_buf_free(&out);
	ts_outcols_free(&outcols);
	ts_groups_free(&groups);
	ts_table_free(&tab);
	return ts_cli_finish(&cli, rc);
}
