/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-decompose: trend, seasonal(s) and remainder of each series by STL/MSTL
 * (or a moving-median trend), appended to its rows or summarised. Options and glue. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "decompose.h"
#include "frame.h"
#include "mem.h"
#include "nainterp.h"
#include "num.h"
#include "period.h"
#include "pool.h"
#include "stl.h"

static const char synopsis[] =
	"usage: ts-decompose [-v] [-p N|DUR[,N|DUR]...|auto|none] [--method stl|median] [--summary]\n"
	"                    [--seasonal-window N|periodic[,...]] [--trend-window N|DUR]\n"
	"                    [--lowpass-window N|DUR] [--seasonal-degree 0|1] [--trend-degree 0|1]\n"
	"                    [--lowpass-degree 0|1] [--seasonal-jump N] [--trend-jump N]\n"
	"                    [--lowpass-jump N] [--inner N] [--outer N] [--robust] [--iterate N]\n"
	"                    [--boxcox auto|LAMBDA] [-t COL] [-y COL] [-k COL[,COL]] [-d C]\n"
	"                    [--tz ZONE] [--epoch s|ms] [-j N] [--skip-bad] [FILE ...]\n";

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

enum {
	OPT_METHOD = 0x2000,
	OPT_SUMMARY,
	OPT_SWINDOW,
	OPT_TWINDOW,
	OPT_LWINDOW,
	OPT_SDEGREE,
	OPT_TDEGREE,
	OPT_LDEGREE,
	OPT_SJUMP,
	OPT_TJUMP,
	OPT_LJUMP,
	OPT_INNER,
	OPT_OUTER,
	OPT_ROBUST,
	OPT_ITERATE,
	OPT_BOXCOX
};

static const struct option tool_options[] = {
	{ "period", required_argument, NULL, 'p' },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "seasonal-window", required_argument, NULL, OPT_SWINDOW },
	{ "trend-window", required_argument, NULL, OPT_TWINDOW },
	{ "lowpass-window", required_argument, NULL, OPT_LWINDOW },
	{ "seasonal-degree", required_argument, NULL, OPT_SDEGREE },
	{ "trend-degree", required_argument, NULL, OPT_TDEGREE },
	{ "lowpass-degree", required_argument, NULL, OPT_LDEGREE },
	{ "seasonal-jump", required_argument, NULL, OPT_SJUMP },
	{ "trend-jump", required_argument, NULL, OPT_TJUMP },
	{ "lowpass-jump", required_argument, NULL, OPT_LJUMP },
	{ "inner", required_argument, NULL, OPT_INNER },
	{ "outer", required_argument, NULL, OPT_OUTER },
	{ "robust", no_argument, NULL, OPT_ROBUST },
	{ "iterate", required_argument, NULL, OPT_ITERATE },
	{ "boxcox", required_argument, NULL, OPT_BOXCOX },
	{ NULL, 0, NULL, 0 }
};

static const struct ts_cli_word methods[] = {
	{ "stl", TS_DECOMP_STL, false },
	{ "median", TS_DECOMP_MEDIAN, false },
	{ NULL, 0, false }
};

enum period_mode { PERIOD_INFER, PERIOD_GIVEN, PERIOD_AUTO, PERIOD_NONE };

struct options {
	enum period_mode pmode;
	struct ts_span periods[TS_DECOMP_MAX_PERIODS];
	size_t nperiods;
	struct ts_span swin[TS_DECOMP_MAX_PERIODS];	/* odd counts of cycles, or periodic */
	size_t nswin;
	bool have_twin, have_lwin;
	struct ts_span twin, lwin;
	int sdeg, tdeg, ldeg;		/* -1: default */
	size_t sjump, tjump, ljump;	/* 0: default */
	long long inner, outer;		/* -1: default */
	bool robust;
	size_t iterate;
	bool boxcox, boxcox_auto;
	double lambda;
	enum ts_decomp_method method;
	bool summary;
	bool weights;			/* write the weight column */
};

/* What phase 1 found for one series. */
struct result {
	struct ts_series s;
	bool passthrough;		/* --skip-bad: written unchanged */
	size_t asked[TS_DECOMP_MAX_PERIODS];	/* the periods asked for it, ascending */
	size_t nasked;
	struct ts_decomp d;
	bool decomposed;
	struct ts_decomp_summary sum;
};

/* Everything the jobs share, read-only while they run (each job writes only
 * its own result). */
struct run {
	struct ts_cli *cli;
	const struct ts_table *tab;
	const struct ts_roles *roles;
	const struct ts_groups *groups;
	const struct options *opt;
	struct result *res;
	size_t *skipped;
	/* output layout, set between the phases */
	const struct ts_outcols *outcols;
	size_t ncols;			/* seasonal columns */
	size_t colp[TS_DECOMP_MAX_PERIODS * 4];	/* their periods */
	size_t nadded;
};

/* ---- option parsing ---- */

static void parse_period_option(struct ts_cli *cli, const char *arg, struct options *o)
{
	char bad[512];

	if (strcmp(arg, "auto") == 0) {
		o->pmode = PERIOD_AUTO;
		return;
	}
	if (strcmp(arg, "none") == 0) {
		o->pmode = PERIOD_NONE;
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
	o->pmode = PERIOD_GIVEN;
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
	size_t first = run->groups->rows[run->groups->start[gi]];

	if (prefix)
		ts_cli_series_prefix(run->tab, run->roles, run->groups, gi, &b);
	ts_buf_puts(&b, err->msg);
	ts_buf_puts(&b, suffix);
	ts_buf_putc(&b, '\0');
	if (!b.failed)
		snprintf(err->msg, sizeof err->msg, "%s", b.data);
	ts_buf_free(&b);
	if (row != TS_NO_COL) {
		err->file = ts_table_file(run->tab, row);
		err->line = run->tab->line[row];
	} else {
		err->file = run->tab->nrows > 0 ? ts_table_file(run->tab, first) : run->tab->files[0];
		err->line = 0;
	}
}

/* A window given as a duration, in points, made odd and at least 3. */
static int window_points(const struct ts_span *sp, const struct ts_dur *interval, bool have_interval,
			 const char *what, size_t *out, struct ts_err *err)
{
	int rc = ts_span_resolve(sp, have_interval ? interval : NULL, what, out, err);

	if (rc == 0 && sp->is_dur) {
		if (*out % 2 == 0)
			(*out)++;
		if (*out < 3)
			*out = 3;
	}
	return rc;
}

/* "24,168" (sep ',') or "24 168" (sep ' '). */
static void join_periods(const size_t *p, size_t n, char sep, struct ts_buf *b)
{
	char num[32];

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			ts_buf_putc(b, sep);
		snprintf(num, sizeof num, "%zu", p[i]);
		ts_buf_puts(b, num);
	}
}

/* The error for a series too short to have an interval (0 or 1 point). */
static int short_error(const struct ts_series *s, struct ts_err *err)
{
	size_t present = 0;

	for (size_t i = 0; i < s->n; i++)
		present += !isnan(s->y[i]);
	if (present == 0)
		return ts_err_set(err, TS_EDATA, "all values are missing");
	return ts_err_set(err, TS_EDATA, "too short: %zu point%s", s->n, s->n == 1 ? "" : "s");
}

static void verbose_line(const struct run *run, size_t gi, const struct result *r,
			 const struct ts_dur *interval, bool have_interval, const char *source,
			 double acf, struct ts_buf *msg)
{
	struct ts_buf b = { 0 };
	char text[128], width[32];
	struct ts_err note = { 0 };

	ts_cli_series_prefix(run->tab, run->roles, run->groups, gi, &b);
	snprintf(text, sizeof text, "%zu points, %zu missing", r->s.n, r->d.nmissing);
	ts_buf_puts(&b, text);
	if (have_interval) {
		ts_dur_format(interval, width);
		ts_buf_puts(&b, ", interval ");
		ts_buf_puts(&b, width);
	}
	if (r->d.nkept == 0) {
		ts_buf_puts(&b, ", no period");
	} else {
		ts_buf_puts(&b, r->d.nkept == 1 ? ", period " : ", periods ");
		join_periods(r->d.kept, r->d.nkept, ',', &b);
	}
	ts_buf_puts(&b, " (");
	ts_buf_puts(&b, source);
	if (!isnan(acf)) {
		char num[TS_NUM_BUFSIZE];
		snprintf(num, sizeof num, "%.3f", acf);
		ts_buf_puts(&b, ", autocorrelation ");
		ts_buf_puts(&b, num);
	}
	ts_buf_putc(&b, ')');
	if (!isnan(r->d.lambda)) {
		char num[TS_NUM_BUFSIZE];
		ts_num_format(r->d.lambda, num);
		ts_buf_puts(&b, ", Box-Cox lambda ");
		ts_buf_puts(&b, num);
	}
	ts_buf_putc(&b, '\0');
	if (!b.failed) {
		size_t first = run->groups->rows[run->groups->start[gi]];
		note.file = ts_table_file(run->tab, first);
		snprintf(note.msg, sizeof note.msg, "%s", b.data);
		ts_cli_message(run->cli->prog, &note, false, msg);
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
	const struct options *o = run->opt;
	struct result *r = &run->res[gi];
	const size_t *rows = run->groups->rows + run->groups->start[gi];
	size_t nrows = run->groups->start[gi + 1] - run->groups->start[gi];
	struct ts_cli_msgs jm = { run->cli->prog, msg };
	struct ts_load_opts load = ts_cli_load_opts(run->cli, &jm);
	struct ts_decomp_params dp;
	struct ts_sampling samp;
	struct ts_dur interval = { 0 };
	bool have_interval = false;
	size_t periods[TS_DECOMP_MAX_PERIODS], nperiods = 0, bad_row = TS_NO_COL, i;
	const char *source = "from -p", *suffix = "";
	double acf = NAN;
	int rc;

	(void)out;
	if ((rc = ts_series_load(run->tab, run->roles, rows, nrows, &load, &r->s, err)) != 0)
		return rc;
	run->skipped[gi] = r->s.skipped;
	if (r->s.skipped > 0 && (rc = ts_series_restore_skipped(run->tab, run->roles, rows, nrows, &load,
								 &r->s, err)) != 0)
		return rc;

	/* the grid */
	if ((rc = ts_sampling_infer(r->s.t, r->s.n, &r->s.zone, &r->s.tfmt, &samp, err)) != 0)
		goto fail;
	if (!samp.regular) {
		rc = ts_err_set(err, TS_EDATA, "%s", samp.why);
		if (samp.bad != SIZE_MAX)
			bad_row = r->s.row[samp.bad];
		suffix = "; run ts-fill first";
		goto fail;
	}
	have_interval = samp.has_interval;
	interval = samp.interval;

	/* the periods */
	switch (o->pmode) {
	case PERIOD_GIVEN:
		for (i = 0; i < o->nperiods && (have_interval || !o->periods[i].is_dur); i++)
			;
		if (i < o->nperiods) {
			/* a duration and fewer than two points */
			rc = short_error(&r->s, err);
			goto fail;
		}
		if ((rc = ts_periods_resolve(o->periods, o->nperiods, have_interval ? &interval : NULL,
					     periods, err)) != 0)
			goto fail;
		nperiods = o->nperiods;
		break;
	case PERIOD_INFER: {
		size_t two[2];
		char width[32];

		source = "from the interval";
		if (!have_interval) {
			rc = short_error(&r->s, err);
			goto fail;
		}
		nperiods = ts_periods_for_interval(&interval, r->s.t[r->s.n - 1] - r->s.t[0], two);
		if (nperiods == 0) {
			ts_dur_format(&interval, width);
			rc = ts_err_set(err, TS_EDATA, "no seasonal period known for interval %s; "
					"give -p N, -p auto or -p none", width);
			goto fail;
		}
		for (i = 0; i < nperiods; i++)
			periods[i] = two[i];
		break;
	}
	case PERIOD_AUTO: {
		double *lin = ts_mallocarray(r->s.n > 0 ? r->s.n : 1, sizeof *lin);
		size_t found = 0, nmiss = 0;

		source = "found in the data";
		if (lin == NULL) {
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < r->s.n; i++)
			nmiss += isnan(r->s.y[i]);
		/* the search needs a complete series: linear gaps will do */
		rc = 0;
		if (nmiss + 2 <= r->s.n)
			rc = ts_na_interp(r->s.y, r->s.n, NULL, 0, lin, err);
		if (rc == 0 && nmiss + 2 <= r->s.n)
			rc = ts_period_auto(lin, r->s.n, &found, &acf, err);
		free(lin);
		if (rc == TS_EDATA) {
			/* an infinite value: let ts_decompose say which */
			rc = 0;
		}
		if (rc != 0)
			goto fail;
		if (found != 0)
			periods[nperiods++] = found;
		break;
	}
	case PERIOD_NONE:
		source = "-p none";
		break;
	}
	for (i = 0; i < nperiods; i++) {
		size_t j;
		for (j = 0; j < r->nasked && r->asked[j] < periods[i]; j++)
			;
		if (j < r->nasked && r->asked[j] == periods[i])
			continue;
		memmove(r->asked + j + 1, r->asked + j, (r->nasked - j) * sizeof *r->asked);
		r->asked[j] = periods[i];
		r->nasked++;
	}

	/* the parameters */
	memset(&dp, 0, sizeof dp);
	dp.method = o->method;
	ts_stl_defaults(&dp.stl, 2, 0, o->robust || o->method == TS_DECOMP_MEDIAN);
	if (o->sdeg >= 0)
		dp.stl.s_degree = o->sdeg;
	if (o->tdeg >= 0)
		dp.stl.t_degree = o->tdeg;
	if (o->ldeg >= 0)
		dp.stl.l_degree = o->ldeg;
	dp.stl.s_jump = o->sjump;
	dp.stl.t_jump = o->tjump;
	dp.stl.l_jump = o->ljump;
	if (o->inner >= 0)
		dp.stl.inner = (size_t)o->inner;
	if (o->outer >= 0)
		dp.stl.outer = (size_t)o->outer;
	dp.iterate = o->iterate;
	for (i = 0; i < o->nswin; i++) {
		dp.s_windows[i] = o->swin[i].periodic ? TS_STL_PERIODIC : o->swin[i].n;
	}
	dp.ns_windows = o->nswin;
	if (o->have_twin) {
		size_t w;
		if ((rc = window_points(&o->twin, &interval, have_interval, "trend window", &w, err)) != 0)
			goto fail;
		if (o->method == TS_DECOMP_MEDIAN)
			dp.median_window = w;
		else
			dp.stl.t_window = w;
	}
	if (o->have_lwin &&
	    (rc = window_points(&o->lwin, &interval, have_interval, "low-pass window",
				&dp.stl.l_window, err)) != 0)
		goto fail;
	dp.boxcox = o->boxcox;
	dp.boxcox_auto = o->boxcox_auto;
	dp.lambda = o->lambda;

	rc = ts_decompose(r->s.y, r->s.n, periods, nperiods, &dp, &r->d, err);
	if (rc != 0) {
		if (r->d.bad != SIZE_MAX && r->d.bad < r->s.n)
			bad_row = r->s.row[r->d.bad];
		goto fail;
	}
	r->decomposed = true;
	for (i = 0; i < r->d.ndropped; i++) {
		struct ts_err note = { 0 };
		ts_err_set(&note, TS_EDATA, "period %zu dropped: %zu points are fewer than two full periods",
			   r->d.dropped[i], r->s.n);
		locate(run, gi, TS_NO_COL, "", true, &note);
		ts_cli_message(run->cli->prog, &note, true, msg);
	}
	if (run->cli->verbose > 0)
		verbose_line(run, gi, r, &interval, have_interval, source, acf, msg);
	if (o->summary) {
		if ((rc = ts_decomp_summarize(&r->d, &r->sum, err)) != 0)
			return rc;
		ts_decomp_free(&r->d);
	}
	return 0;
fail:
	if (ts_cli_can_pass(run->roles, rc) || (rc == TS_EDATA && run->cli->skip_bad)) {
		/* Its rows go out in phase 2 with empty columns; the others go on. */
		locate(run, gi, bad_row, suffix, false, err);
		ts_cli_pass_series(run->cli, run->tab, run->roles, run->groups, gi, err, NULL, NULL, msg);
		ts_decomp_free(&r->d);
		r->passthrough = true;
		return 0;
	}
	locate(run, gi, bad_row, suffix, true, err);
	return rc;
}

/* ---- output ---- */

/* The rows of group gi with the added columns (phase 2). */
static int rows_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct run *run = ctx;
	struct result *r = &run->res[gi];
	const size_t *rows = run->groups->rows + run->groups->start[gi];
	size_t nrows = run->groups->start[gi + 1] - run->groups->start[gi];
	size_t nadded = run->nadded, ncols = run->ncols, i, j = 0, c;
	long sidx[TS_DECOMP_MAX_PERIODS * 4];
	char text[TS_DECOMP_MAX_PERIODS * 4 + 3][TS_NUM_BUFSIZE];
	struct ts_str added[TS_DECOMP_MAX_PERIODS * 4 + 3];
	bool have = r->decomposed && !r->passthrough;

	(void)msg;
	(void)err;
	for (c = 0; c < ncols; c++) {
		sidx[c] = -1;
		for (size_t k = 0; have && k < r->d.nkept; k++)
			if (r->d.kept[k] == run->colp[c])
				sidx[c] = (long)k;
	}
	for (i = 0; i < nrows; i++) {
		bool point = j < r->s.n && r->s.row[j] == rows[i];

		for (c = 0; c < nadded; c++) {
			added[c].s = text[c];
			added[c].len = 0;
			text[c][0] = '\0';
		}
		if (point && have) {
			size_t n = r->s.n;
			added[0].len = ts_num_format(r->d.trend[j], text[0]);
			for (c = 0; c < ncols; c++)
				if (sidx[c] >= 0)
					added[1 + c].len = ts_num_format(r->d.seasonal[(size_t)sidx[c] * n + j], text[1 + c]);
			added[1 + ncols].len = ts_num_format(r->d.remainder[j], text[1 + ncols]);
			if (run->opt->weights && r->d.weights != NULL)
				added[2 + ncols].len = ts_num_format(r->d.weights[j], text[2 + ncols]);
		}
		if (point)
			j++;
		ts_write_row(run->outcols, run->tab, rows[i], NULL, added, out);
	}
	ts_decomp_free(&r->d);
	return 0;
}

/* One summary row for group gi. */
static int summary_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg,
		       struct ts_err *err)
{
	struct run *run = ctx;
	struct result *r = &run->res[gi];
	char delim = run->tab->delim, num[TS_NUM_BUFSIZE];
	size_t first = run->groups->rows[run->groups->start[gi]], k;
	bool have = r->decomposed && !r->passthrough;
	double figures[3];

	(void)msg;
	(void)err;
	for (k = 0; k < run->roles->nkeys; k++) {
		struct ts_str f = ts_table_field(run->tab, first, run->roles->keys[k]);
		ts_csv_write_field(out, f.s, f.len, delim);
		ts_buf_putc(out, delim);
	}
	if (have)
		join_periods(r->d.kept, r->d.nkept, ' ', out);
	figures[0] = have ? r->sum.seasonal_strength : NAN;
	figures[1] = have ? r->sum.trend_strength : NAN;
	figures[2] = have ? r->sum.sigma : NAN;
	for (k = 0; k < 3; k++) {
		ts_buf_putc(out, delim);
		ts_buf_put(out, num, ts_num_format(figures[k], num));
	}
	ts_buf_putc(out, delim);
	ts_buf_put(out, num, ts_num_format((double)r->s.n, num));
	ts_buf_putc(out, delim);
	if (have)
		ts_buf_put(out, num, ts_num_format((double)r->sum.nmissing, num));
	if (run->opt->boxcox) {
		ts_buf_putc(out, delim);
		if (have)
			ts_buf_put(out, num, ts_num_format(r->d.lambda, num));
	}
	ts_write_eol(run->tab, out);
	return 0;
}

static int write_emit(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	(void)gi;
	(void)ctx;
	(void)msg;
	return ts_buf_flush(out, stdout, err);
}

/* The seasonal columns: the union of the periods asked for each series
 * decomposed (the -p list itself when it is all counts). */
static void seasonal_columns(struct run *run, size_t ndone)
{
	const struct options *o = run->opt;
	size_t all[TS_DECOMP_MAX_PERIODS * 4], n = 0;
	bool counts = o->pmode == PERIOD_GIVEN;

	for (size_t i = 0; i < o->nperiods; i++)
		counts = counts && !o->periods[i].is_dur;
	for (size_t g = 0; g < (counts ? 1 : ndone); g++) {
		const struct result *r = &run->res[g];
		size_t np = counts ? o->nperiods : r->nasked;

		for (size_t i = 0; i < np; i++) {
			size_t v = counts ? o->periods[i].n : r->asked[i], j;
			for (j = 0; j < n && all[j] < v; j++)
				;
			if ((j < n && all[j] == v) || n == sizeof all / sizeof all[0])
				continue;
			memmove(all + j + 1, all + j, (n - j) * sizeof *all);
			all[j] = v;
			n++;
		}
	}
	/* nothing known (no data, or every series refused): keep the usual
	 * column so pipelines find it */
	if (n == 0 && (o->pmode == PERIOD_INFER || o->pmode == PERIOD_GIVEN))
		all[n++] = 0;
	run->ncols = n;
	memcpy(run->colp, all, n * sizeof *all);
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Whether an output column could take this name. */
static bool output_name(const char *name, bool weights)
{
	if (strcmp(name, "trend") == 0 || strcmp(name, "remainder") == 0 ||
	    strcmp(name, "seasonal") == 0 || (weights && strcmp(name, "weight") == 0))
		return true;
	return strncmp(name, "seasonal_", 9) == 0 && all_digits(name + 9);
}

/* The time, value and key columns must survive the added columns. */
static void check_roles(struct ts_cli *cli, const struct ts_table *tab, const struct ts_roles *roles,
			bool weights)
{
	const char *name = tab->names[roles->value];

	if (output_name(tab->names[roles->time], weights))
		name = tab->names[roles->time];
	else if (!output_name(name, weights))
		name = NULL;
	for (size_t k = 0; name == NULL && k < roles->nkeys; k++)
		if (output_name(tab->names[roles->keys[k]], weights))
			name = tab->names[roles->keys[k]];
	if (name != NULL)
		ts_cli_data_error(cli, tab, "column \"%s\" would be replaced by the output column of that "
				  "name; rename it", name);
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_table tab = { 0 };
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_outcols outcols;
	struct options o = { 0 };
	struct run run = { 0 };
	struct ts_err err = { 0 }, err1 = { 0 };
	struct ts_buf out = { 0 };
	char names[TS_DECOMP_MAX_PERIODS * 4][40];
	const char *added[TS_DECOMP_MAX_PERIODS * 4 + 3];
	size_t nadded = 0, ndone, skipped_total = 0;
	int opt, rc1, rc;
	bool stl_option = false;
	char bad[512];

	o.sdeg = o.tdeg = o.ldeg = -1;
	o.inner = o.outer = -1;
	ts_cli_init(&cli, "ts-decompose", synopsis, help);
	while ((opt = ts_cli_getopt(&cli, argc, argv, tool_options, "p:")) != -1) {
		switch (opt) {
		case 'p':
			parse_period_option(&cli, optarg, &o);
			break;
		case OPT_BOXCOX:
			ts_cli_boxcox(&cli, "--boxcox", optarg, &o.boxcox_auto, &o.lambda);
			o.boxcox = true;
			break;
		case OPT_INNER:
			o.inner = ts_cli_int(&cli, "--inner", optarg, 1, 1000);
			stl_option = true;
			break;
		case OPT_ITERATE:
			o.iterate = (size_t)ts_cli_int(&cli, "--iterate", optarg, 1, 1000);
			break;
		case OPT_LDEGREE:
			o.ldeg = (int)ts_cli_int(&cli, "--lowpass-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case OPT_LJUMP:
			o.ljump = (size_t)ts_cli_int(&cli, "--lowpass-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case OPT_LWINDOW:
			parse_window_option(&cli, "--lowpass-window", optarg, &o.lwin);
			o.have_lwin = stl_option = true;
			break;
		case OPT_METHOD:
			o.method = ts_cli_choice(&cli, "--method", optarg, methods);
			break;
		case OPT_OUTER:
			o.outer = ts_cli_int(&cli, "--outer", optarg, 0, 1000);
			stl_option = true;
			break;
		case OPT_ROBUST:
			o.robust = stl_option = true;
			break;
		case OPT_SDEGREE:
			o.sdeg = (int)ts_cli_int(&cli, "--seasonal-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case OPT_SJUMP:
			o.sjump = (size_t)ts_cli_int(&cli, "--seasonal-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case OPT_SUMMARY:
			o.summary = true;
			break;
		case OPT_SWINDOW:
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
		case OPT_TDEGREE:
			o.tdeg = (int)ts_cli_int(&cli, "--trend-degree", optarg, 0, 1);
			stl_option = true;
			break;
		case OPT_TJUMP:
			o.tjump = (size_t)ts_cli_int(&cli, "--trend-jump", optarg, 1, 100000000);
			stl_option = true;
			break;
		case OPT_TWINDOW:
			parse_window_option(&cli, "--trend-window", optarg, &o.twin);
			o.have_twin = true;
			if (o.method != TS_DECOMP_MEDIAN)
				stl_option = true;
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}
	argc -= optind;
	argv += optind;

	if (o.pmode == PERIOD_GIVEN && o.nswin > 1 && o.nswin != o.nperiods)
		ts_cli_usage_error(&cli, "--seasonal-window: %zu windows for %zu period%s", o.nswin,
				   o.nperiods, o.nperiods == 1 ? "" : "s");
	if (o.pmode == PERIOD_NONE && o.method == TS_DECOMP_STL && stl_option)
		ts_cli_usage_error(&cli, "-p none: the trend is a super smoother, STL options do not apply");
	o.weights = !o.summary && (o.robust || o.outer > 0);
	ts_cli_setup(&cli);

	ts_cli_read_inputs(&cli, argc, argv, &tab);
	ts_cli_roles(&cli, &tab, &roles);
	ts_cli_need_value(&cli, &tab, &roles);
	if (!o.summary)
		check_roles(&cli, &tab, &roles, o.weights);
	if (ts_groups_build(&tab, &roles, &groups, &err) != 0)
		ts_cli_fail(&cli, &err);

	run.cli = &cli;
	run.tab = &tab;
	run.roles = &roles;
	run.groups = &groups;
	run.opt = &o;
	run.res = ts_calloc(groups.n + 1, sizeof *run.res);
	run.skipped = ts_calloc(groups.n + 1, sizeof *run.skipped);
	if (run.res == NULL || run.skipped == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(&cli, &err);
	}

	/* phase 1: every series decomposed (stops at the first failure) */
	if (tab.nrows == 0) {
		ts_cli_warn_no_data(&cli, &tab, NULL);
		rc1 = 0;
		ndone = 0;
	} else {
		rc1 = ts_cli_run_groups(&cli, groups.n, analyse_job, &run, &err1);
		for (ndone = 0; ndone < groups.n && (rc1 == 0 || run.res[ndone].decomposed ||
						       run.res[ndone].passthrough); ndone++)
			;
		if (rc1 == 0)
			ndone = groups.n;
		/* the first series failed: nothing to write */
		if (rc1 != 0 && ndone == 0)
			ts_cli_fail(&cli, &err1);
	}

	/* the header, from what the series asked for */
	seasonal_columns(&run, ndone);
	if (o.summary) {
		const char *cols[] = { "period", "seasonal_strength", "trend_strength", "remainder_sigma",
				       "n", "missing", "lambda" };
		size_t ncols = o.boxcox ? 7 : 6;
		for (size_t k = 0; k < roles.nkeys; k++) {
			const char *name = tab.names[roles.keys[k]];
			ts_csv_write_field(&out, name, strlen(name), tab.delim);
			ts_buf_putc(&out, tab.delim);
		}
		for (size_t k = 0; k < ncols; k++) {
			if (k > 0)
				ts_buf_putc(&out, tab.delim);
			ts_buf_puts(&out, cols[k]);
		}
		ts_write_eol(&tab, &out);
	} else {
		added[nadded++] = "trend";
		for (size_t c = 0; c < run.ncols; c++) {
			if (run.ncols == 1)
				snprintf(names[c], sizeof names[c], "seasonal");
			else
				snprintf(names[c], sizeof names[c], "seasonal_%zu", run.colp[c]);
			added[nadded++] = names[c];
		}
		added[nadded++] = "remainder";
		if (o.weights)
			added[nadded++] = "weight";
		if (ts_outcols_init(&outcols, &tab, added, nadded, &err) != 0)
			ts_cli_fail(&cli, &err);
		for (size_t a = 0; a < nadded; a++)	/* every added column is a number */
			ts_outcols_set_numeric(&outcols, a);
		run.outcols = &outcols;
		run.nadded = nadded;
		ts_write_header(&outcols, &tab, added, &out);
	}
	ts_cli_write(&cli, &out);

	/* phase 2: the rows (or summary lines) of the series that went through */
	rc = ts_pool_run(ndone, ts_cli_threads(&cli), o.summary ? summary_job : rows_job, write_emit,
			 &run, &err);
	if (rc != 0)
		ts_cli_fail(&cli, &err);
	if (rc1 != 0)
		ts_cli_fail(&cli, &err1);
	skipped_total = tab.skipped;	/* ragged rows the reader left out */
	for (size_t gi = 0; gi < groups.n; gi++)
		skipped_total += run.skipped[gi];
	ts_cli_warn_skipped(&cli, skipped_total);
	rc = ts_cli_pass_status(&cli, groups.n, TS_EXIT_OK);
	for (size_t gi = 0; gi < groups.n; gi++) {
		ts_decomp_free(&run.res[gi].d);
		ts_series_free(&run.res[gi].s);
	}
	free(run.res);
	free(run.skipped);
	ts_buf_free(&out);
	if (!o.summary)
		ts_outcols_free(&outcols);
	ts_groups_free(&groups);
	ts_table_free(&tab);
	return ts_cli_finish(&cli, rc);
}
