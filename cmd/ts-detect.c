/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-detect: flag anomalous rows of each series, say why, and exit like
 * diff(1): 0 none found, 1 found, 2 trouble. Options and glue. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "detect.h"
#include "expr.h"
#include "frame.h"
#include "mem.h"
#include "num.h"
#include "period.h"
#include "pool.h"
#include "stream.h"

static const char synopsis[] =
	"usage: ts-detect [-qv] [-m METHOD[,METHOD]...] [--only] [--last N|DUR] [-p N|DUR[,N|DUR]]\n"
	"                 [--direction up|down|both] [--band-scale K] [--max-anoms F] [--alpha A]\n"
	"                 [--piecewise DUR] [--threshold med_max|p95|p99] [--sigma K] [--iqr C]\n"
	"                 [--boxcox auto|L] [--rule EXPR]... [--lag DUR] [--weeks N] [--drop P]\n"
	"                 [--rise P] [--window N|DUR] [--history DUR] [--min-delta X]\n"
	"                 [--min-ratio R] [--consecutive N] [--cooldown DUR] [--stream]\n"
	"                 [--warmup N|DUR] [-t COL] [-y COL] [-k COL[,COL]] [-d C] [--tz ZONE]\n"
	"                 [--epoch s|ms] [-j N] [--skip-bad] [FILE ...]\n";

static const char help[] =
	"\nAdd anomaly, score, expected, lower, upper and reason to every row. Exit\n"
	"status 0 when no row is anomalous, 1 when one is, 2 on trouble.\n"
	"\nOptions:\n"
	"  -m, --method LIST    band, esd, sigma, iqr, mad, rule, wow, level-shift,\n"
	"                       new-high, new-low, several joined with ',' (default: band\n"
	"                       with yhat_lower/yhat_upper columns, rule with --rule, else sigma)\n"
	"      --only           print anomalous rows only\n"
	"  -q, --quiet          print nothing; only the exit status tells\n"
	"      --last N|DUR     only the last N rows (or DUR) of each series count\n"
	"  -p, --period P[,P]   seasonal period(s) in points or as durations, or none\n"
	"                       (default: from the interval: 24 for hourly, 7 for daily)\n"
	"      --direction D    up, down or both (default both; pos and neg also read)\n"
	"      --band-scale K   band: widen the forecast interval K times (1)\n"
	"      --max-anoms F    esd: at most this fraction of points (0.10)\n"
	"      --alpha A        esd: significance level (0.05)\n"
	"      --piecewise DUR  esd: the longterm variant, chunks of DUR (e.g. 2w)\n"
	"      --threshold T    esd: keep anomalies above med_max, p95 or p99 of daily maxima\n"
	"      --sigma K        sigma, mad, --stream: robust sigmas, at least 1 (3)\n"
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
	"      --stream         decide each row as it arrives (online seasonal model)\n"
	"      --warmup N|DUR   --stream: no decisions for N rows or DUR (two seasons)\n";

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
	OPT_WARMUP
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
	(void)gi;
	(void)ctx;
	if (msg->len > 0 && !msg->failed)
		fwrite(msg->data, 1, msg->len, stderr);
	return ts_buf_flush(out, stdout, err);
}

/* ---- streaming ---- */

struct stream_series {
	char *key;
	size_t keylen;
	struct ts_stream *st;
	bool have_zone;
	struct ts_zone zone;
};

struct stream_run {
	struct ts_cli *cli;
	const struct options *opt;
	struct ts_stream_params params;
	const char *file;
	struct ts_table tab;		/* header and the current row */
	bool have_header, have_roles;
	struct ts_roles roles;
	struct ts_outcols outcols;
	struct stream_series *series;	/* open addressing, cap slots */
	size_t cap, count;
	struct ts_buf out, key;
	struct ts_csv_reader *reader;
	size_t found, skipped;
	int rc;
	struct ts_err err;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static struct stream_series *stream_lookup(struct stream_run *sr, const char *key, size_t len)
{
	size_t slot;

	if (2 * (sr->count + 1) > sr->cap) {
		size_t ncap = sr->cap ? 2 * sr->cap : 64;
		struct stream_series *ns = ts_calloc(ncap, sizeof *ns);
		if (ns == NULL)
			return NULL;
		for (size_t i = 0; i < sr->cap; i++) {
			if (sr->series[i].st == NULL)
				continue;
			slot = (size_t)hash_bytes(sr->series[i].key, sr->series[i].keylen) & (ncap - 1);
			while (ns[slot].st != NULL)
				slot = (slot + 1) & (ncap - 1);
			ns[slot] = sr->series[i];
		}
		free(sr->series);
		sr->series = ns;
		sr->cap = ncap;
	}
	slot = (size_t)hash_bytes(key, len) & (sr->cap - 1);
	while (sr->series[slot].st != NULL) {
		if (sr->series[slot].keylen == len && memcmp(sr->series[slot].key, key, len) == 0)
			return &sr->series[slot];
		slot = (slot + 1) & (sr->cap - 1);
	}
	sr->series[slot].key = ts_strndup(key, len);
	sr->series[slot].st = ts_stream_new(&sr->params);
	if (sr->series[slot].key == NULL || sr->series[slot].st == NULL) {
		free(sr->series[slot].key);
		ts_stream_free(sr->series[slot].st);
		memset(&sr->series[slot], 0, sizeof sr->series[slot]);
		return NULL;
	}
	sr->series[slot].keylen = len;
	sr->count++;
	return &sr->series[slot];
}

/* Make the table's one row the record's fields. */
static int set_row(struct ts_table *t, const struct ts_csv_record *rec)
{
	size_t need = 0, at = 0;

	for (size_t c = 0; c < rec->nfields; c++)
		need += rec->lens[c] + 1;
	if (need > t->arena_cap) {
		char *a = ts_grow(t->arena, &t->arena_cap, need, 1);
		if (a == NULL)
			return TS_ENOMEM;
		t->arena = a;
	}
	for (size_t c = 0; c < rec->nfields; c++) {
		t->off[c] = at;
		memcpy(t->arena + at, rec->fields[c], rec->lens[c]);
		at += rec->lens[c];
		t->arena[at++] = '\0';
	}
	t->off[rec->nfields] = at;
	t->arena_len = at;
	t->line[0] = rec->line;
	t->nrows = 1;
	return 0;
}

static int stream_header(struct stream_run *sr, const struct ts_csv_record *rec, struct ts_err *err)
{
	struct ts_table *t = &sr->tab;

	if (t->names != NULL) {
		/* A later file: its header must match the first. */
		bool same = rec->nfields == t->ncols;
		for (size_t c = 0; same && c < t->ncols; c++)
			same = strlen(t->names[c]) == rec->lens[c] &&
			       memcmp(t->names[c], rec->fields[c], rec->lens[c]) == 0;
		if (!same)
			return ts_err_at(err, TS_EINPUT, rec->line, "header differs from the first input's");
		return 0;
	}
	t->ncols = rec->nfields;
	t->delim = ts_csv_reader_delim(sr->reader);
	t->names = ts_calloc(rec->nfields, sizeof *t->names);
	t->off = ts_calloc(rec->nfields + 1, sizeof *t->off);
	t->line = ts_calloc(1, sizeof *t->line);
	t->src = ts_calloc(1, sizeof *t->src);
	t->files = ts_calloc(1, sizeof *t->files);
	if (t->names == NULL || t->off == NULL || t->line == NULL || t->src == NULL || t->files == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	t->off_cap = rec->nfields + 1;
	t->rows_cap = 1;
	t->nfiles = 1;
	if ((t->files[0] = ts_strndup(sr->file, strlen(sr->file))) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t c = 0; c < rec->nfields; c++)
		if ((t->names[c] = ts_strndup(rec->fields[c], rec->lens[c])) == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

static int stream_bad_row(struct stream_run *sr, size_t line, struct ts_err *err)
{
	err->file = sr->file;
	err->line = line;
	if (!sr->cli->skip_bad)
		return err->code;
	ts_cli_warn(sr->cli, err);
	ts_err_clear(err);
	sr->skipped++;
	return 0;
}

static int stream_record(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct stream_run *sr = ctx;
	struct ts_table *t = &sr->tab;
	struct stream_series *ser;
	struct ts_stream_out so;
	struct ts_tfmt fmt;
	ts_time when;
	double y = NAN;
	struct ts_str tf;
	int rc;

	if (rec->blank && (!sr->have_header || t->ncols != 1))
		return 0;
	if (!sr->have_header) {
		sr->have_header = true;
		return stream_header(sr, rec, err);
	}
	if (rec->nfields != t->ncols)
		return ts_err_at(err, TS_EINPUT, rec->line, "expected %zu field%s, found %zu", t->ncols,
				 t->ncols == 1 ? "" : "s", rec->nfields);
	if (set_row(t, rec) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (!sr->have_roles) {
		if ((rc = ts_roles_resolve(t, sr->cli->time_col, sr->cli->value_col, sr->cli->key_cols,
					   &sr->roles, err)) != 0)
			return rc;
		if (sr->roles.value == TS_NO_COL)
			return ts_err_set(err, TS_EUSAGE, "no value column (give -y)");
		if ((rc = outcols_init(&sr->outcols, t, err)) != 0)
			return rc;
		if (!sr->opt->quiet)
			ts_write_header(&sr->outcols, t, added_names, &sr->out);
		sr->have_roles = true;
	}
	tf = ts_table_field(t, 0, sr->roles.time);
	if (ts_time_parse(tf.s, tf.len, sr->cli->epoch, &when, &fmt, err) != 0)
		return stream_bad_row(sr, rec->line, err);
	{
		struct ts_str vf = ts_table_field(t, 0, sr->roles.value);
		if (ts_num_parse(vf.s, vf.len, &y) != 0) {
			char quoted[64];
			ts_err_set(err, TS_EINPUT, "bad number \"%s\" in column %s",
				   ts_err_quote(vf.s, vf.len, quoted, sizeof quoted), t->names[sr->roles.value]);
			return stream_bad_row(sr, rec->line, err);
		}
	}
	sr->key.len = 0;
	for (size_t k = 0; k < sr->roles.nkeys; k++) {
		struct ts_str f = ts_table_field(t, 0, sr->roles.keys[k]);
		ts_buf_put(&sr->key, f.s, f.len);
		ts_buf_putc(&sr->key, '\x1f');
	}
	if (sr->key.failed || (ser = stream_lookup(sr, sr->key.data != NULL ? sr->key.data : "",
						    sr->key.len)) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (!ser->have_zone) {
		if (sr->cli->have_zone)
			ser->zone = sr->cli->zone;
		else
			ts_zone_from_fmt(&fmt, &ser->zone);
		ser->have_zone = true;
	}
	if (sr->cli->have_zone && sr->cli->zone.kind != TS_ZONE_UTC &&
	    (fmt.kind == TS_TK_DATE || (fmt.kind == TS_TK_DATETIME && fmt.tz == TS_TZK_NAIVE)))
		when = ts_zone_from_wall(&sr->cli->zone, when);
	ts_stream_step(ser->st, when, y, &ser->zone, &so);
	sr->found += so.anomaly;
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
		ts_write_row(&sr->outcols, t, 0, NULL, added, &sr->out);
	}
	return 0;
}

static void stream_flush(struct stream_run *sr)
{
	ts_cli_write(sr->cli, &sr->out);
	if (fflush(stdout) != 0)
		exit(ts_cli_finish(sr->cli, TS_EXIT_TROUBLE));
}

static int run_stream(struct ts_cli *cli, const struct options *o, int argc, char **argv)
{
	struct stream_run sr = { 0 };
	int nfiles = argc > 0 ? argc : 1;
	static char chunk[1 << 16];

	sr.cli = cli;
	sr.opt = o;
	sr.params.k = o->d.sigma_k;
	sr.params.direction = o->d.direction;
	sr.params.min_delta = o->d.min_delta;
	sr.params.min_ratio = o->d.min_ratio;
	sr.params.no_season = o->period_none;
	if (o->nperiods > 0) {
		if (o->periods[0].is_dur) {
			if (o->periods[0].d.months != 0)
				ts_cli_usage_error(cli, "--stream: -p must be a fixed duration or a count");
			sr.params.season = o->periods[0].d;
		} else {
			sr.params.period_points = o->periods[0].n;
		}
	}
	if (o->have_warmup) {
		if (o->warmup.is_dur) {
			if (o->warmup.d.months != 0)
				ts_cli_usage_error(cli, "--warmup: a fixed duration or a count of rows");
			sr.params.warmup_kind = TS_WARMUP_DUR;
			sr.params.warmup_us = o->warmup.d.us;
		} else {
			sr.params.warmup_kind = TS_WARMUP_ROWS;
			sr.params.warmup_rows = o->warmup.n;
		}
	}
	for (int i = 0; i < nfiles; i++) {
		const char *path = argc > 0 ? argv[i] : "-";
		bool is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "rb");
		struct ts_csv_reader *reader;
		int rc = 0;

		if (f == NULL) {
			sr.err.file = path;
			ts_err_set(&sr.err, TS_EIO, "%s", strerror(errno));
			ts_cli_fail(cli, &sr.err);
		}
		sr.file = is_stdin ? "<stdin>" : path;
		sr.have_header = false;
		reader = ts_csv_reader_new(sr.tab.names != NULL ? sr.tab.delim : cli->delim);
		if (reader == NULL) {
			ts_err_set(&sr.err, TS_ENOMEM, "out of memory");
			ts_cli_fail(cli, &sr.err);
		}
		sr.reader = reader;
		for (;;) {
			ssize_t got = read(fileno(f), chunk, sizeof chunk);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				rc = ts_err_set(&sr.err, TS_EIO, "%s", strerror(errno));
				break;
			}
			if (got == 0) {
				rc = ts_csv_finish(reader, stream_record, &sr, &sr.err);
				break;
			}
			rc = ts_csv_feed(reader, chunk, (size_t)got, stream_record, &sr, &sr.err);
			/* Everything decided so far goes out before waiting for more input. */
			stream_flush(&sr);
			if (rc != 0)
				break;
		}
		ts_csv_reader_free(reader);
		sr.reader = NULL;
		if (!is_stdin)
			fclose(f);
		if (rc == 0 && !sr.have_header)
			rc = ts_err_at(&sr.err, TS_EINPUT, 0, "empty input");
		if (rc != 0) {
			stream_flush(&sr);
			if (sr.err.file == NULL && rc != TS_EUSAGE)
				sr.err.file = sr.file;
			if (rc == TS_EUSAGE)
				ts_cli_usage_error(cli, "%s", sr.err.msg);
			ts_cli_fail(cli, &sr.err);
		}
	}
	if (sr.have_header && !sr.have_roles && sr.tab.names != NULL) {
		/* Header only: resolve what can be, write the header. */
		struct ts_err warn = { .file = sr.file };
		ts_err_set(&warn, TS_EDATA, "no data rows");
		if (!o->quiet && outcols_init(&sr.outcols, &sr.tab, &sr.err) == 0)
			ts_write_header(&sr.outcols, &sr.tab, added_names, &sr.out);
		ts_cli_warn(cli, &warn);
	}
	stream_flush(&sr);
	if (sr.skipped > 0) {
		struct ts_err warn = { 0 };
		ts_err_set(&warn, TS_EINPUT, "skipped %zu bad row%s", sr.skipped, sr.skipped == 1 ? "" : "s");
		ts_cli_warn(cli, &warn);
	}
	for (size_t i = 0; i < sr.cap; i++) {
		free(sr.series[i].key);
		ts_stream_free(sr.series[i].st);
	}
	free(sr.series);
	ts_buf_free(&sr.out);
	ts_buf_free(&sr.key);
	ts_outcols_free(&sr.outcols);
	ts_table_free(&sr.tab);
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
	const char *method_spec = NULL, *last_spec = NULL;
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
		if (last_spec != NULL || o.d.consecutive > 1 || o.d.cooldown.us != 0 ||
		    o.d.cooldown.months != 0 || o.nrules > 0)
			ts_cli_usage_error(&cli, "--stream cannot be combined with --last, --consecutive, "
					   "--cooldown or --rule");
		ts_cli_setup(&cli);
		return run_stream(&cli, &o, argc, argv);
	}
	if (o.have_warmup)
		ts_cli_usage_error(&cli, "--warmup is only used with --stream");
	ts_cli_setup(&cli);

	ts_cli_read_inputs(&cli, argc, argv, &tab);
	ts_cli_roles(&cli, &tab, &roles);
	if (roles.value == TS_NO_COL)
		ts_cli_usage_error(&cli, "no value column (give -y)");
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
		else if (run.col_lower != TS_NO_COL && run.col_upper != TS_NO_COL)
			o.d.methods[o.d.nmethods++] = TS_DETECT_BAND;
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
	}
	run.rule_col = ts_calloc(tab.ncols + 1, sizeof *run.rule_col);
	if (run.rule_col == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}
	for (size_t k = 0; k < o.nrules; k++) {
		struct bind_ctx bc = { &tab, &run };
		if (ts_expr_bind(o.rules[k], resolve_name, &bc, &err) != 0)
			ts_cli_usage_error(&cli, "--rule \"%s\": %s", ts_expr_text(o.rules[k]), err.msg);
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

	if (tab.nrows == 0) {
		struct ts_err warn = { .file = tab.files[0] };
		ts_err_set(&warn, TS_EDATA, "no data rows");
		ts_cli_warn(&cli, &warn);
	}
	if (!o.quiet) {
		ts_write_header(&outcols, &tab, added_names, &out);
		ts_cli_write(&cli, &out);
	}
	rc = ts_pool_run(groups.n, ts_cli_threads(&cli), detect_job, detect_emit, &run, &err);
	if (rc != 0)
		ts_cli_fail(&cli, &err);
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
	return ts_cli_finish(&cli, found > 0 ? TS_EXIT_FOUND : TS_EXIT_OK);
}
