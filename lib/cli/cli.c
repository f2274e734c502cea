/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: shared option parsing, user-facing messages, input operands and the
 * checked close of stdout. The only library module that prints or exits. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "series/boxcox.h"
#include "core/mem.h"
#include "core/num.h"
#include "io/groupfeed.h"
#include "cli/progress.h"

/* The suite's long options, each with its short letter where it has one: the
 * common ones first (the last two, --progress and --no-progress, left out for
 * a tool without a per-series run: ts_cli_no_progress), then every tool's. */
struct cli_option {
	const char *name;
	int has_arg;
	enum ts_opt code;
	char letter;	/* or 0 */
};

static const struct cli_option all_options[] = {
	{ "time", required_argument, TS_OPT_TIME, 't' },
	{ "value", required_argument, TS_OPT_VALUE, 'y' },
	{ "key", required_argument, TS_OPT_KEY, 'k' },
	{ "delimiter", required_argument, TS_OPT_DELIMITER, 'd' },
	{ "jobs", required_argument, TS_OPT_JOBS, 'j' },
	{ "verbose", no_argument, TS_OPT_VERBOSE, 'v' },
	{ "tz", required_argument, TS_OPT_TZ, 0 },
	{ "epoch", required_argument, TS_OPT_EPOCH, 0 },
	{ "skip-bad", no_argument, TS_OPT_SKIP_BAD, 0 },
	{ "grouped", no_argument, TS_OPT_GROUPED, 0 },
	{ "help", no_argument, TS_OPT_HELP, 'h' },
	{ "version", no_argument, TS_OPT_VERSION, 0 },
	{ "progress", no_argument, TS_OPT_PROGRESS, 0 },
	{ "no-progress", no_argument, TS_OPT_NO_PROGRESS, 0 },
	{ "add-seasonality", required_argument, TS_OPT_ADD_SEASONALITY, 0 },
	{ "agg", required_argument, TS_OPT_AGG, 0 },
	{ "alpha", required_argument, TS_OPT_ALPHA, 0 },
	{ "band-scale", required_argument, TS_OPT_BAND_SCALE, 0 },
	{ "boxcox", required_argument, TS_OPT_BOXCOX, 0 },
	{ "changepoint-prior-scale", required_argument, TS_OPT_CHANGEPOINT_PRIOR_SCALE, 0 },
	{ "changepoint-range", required_argument, TS_OPT_CHANGEPOINT_RANGE, 0 },
	{ "changepoints", required_argument, TS_OPT_CHANGEPOINTS, 0 },
	{ "color", required_argument, TS_OPT_COLOR, 0 },
	{ "cols", required_argument, TS_OPT_COLS, 0 },
	{ "columns", required_argument, TS_OPT_COLUMNS, 'c' },
	{ "components", no_argument, TS_OPT_COMPONENTS, 0 },
	{ "consecutive", required_argument, TS_OPT_CONSECUTIVE, 0 },
	{ "cooldown", required_argument, TS_OPT_COOLDOWN, 0 },
	{ "country-holidays", required_argument, TS_OPT_COUNTRY_HOLIDAYS, 0 },
	{ "cv", required_argument, TS_OPT_CV, 0 },
	{ "cv-rows", no_argument, TS_OPT_CV_ROWS, 0 },
	{ "daily", required_argument, TS_OPT_DAILY, 0 },
	{ "direction", required_argument, TS_OPT_DIRECTION, 0 },
	{ "dpi", required_argument, TS_OPT_DPI, 0 },
	{ "drop", required_argument, TS_OPT_DROP, 0 },
	{ "end", required_argument, TS_OPT_END, 0 },
	{ "exclude", required_argument, TS_OPT_EXCLUDE, 0 },
	{ "fill", required_argument, TS_OPT_FILL, 0 },
	{ "floor", required_argument, TS_OPT_FLOOR, 0 },
	{ "format", required_argument, TS_OPT_FORMAT, 'f' },
	{ "growth", required_argument, TS_OPT_GROWTH, 0 },
	{ "height", required_argument, TS_OPT_HEIGHT, 0 },
	{ "history", required_argument, TS_OPT_HISTORY, 0 },
	{ "holidays", required_argument, TS_OPT_HOLIDAYS, 0 },
	{ "holidays-prior-scale", required_argument, TS_OPT_HOLIDAYS_PRIOR_SCALE, 0 },
	{ "horizon", required_argument, TS_OPT_HORIZON, 'H' },
	{ "inner", required_argument, TS_OPT_INNER, 0 },
	{ "interval", required_argument, TS_OPT_INTERVAL, 'i' },
	{ "iqr", required_argument, TS_OPT_IQR, 0 },
	{ "iterate", required_argument, TS_OPT_ITERATE, 0 },
	{ "junit", required_argument, TS_OPT_JUNIT, 0 },
	{ "lag", required_argument, TS_OPT_LAG, 0 },
	{ "last", required_argument, TS_OPT_LAST, 0 },
	{ "lowpass-degree", required_argument, TS_OPT_LOWPASS_DEGREE, 0 },
	{ "lowpass-jump", required_argument, TS_OPT_LOWPASS_JUMP, 0 },
	{ "lowpass-window", required_argument, TS_OPT_LOWPASS_WINDOW, 0 },
	{ "mark", no_argument, TS_OPT_MARK, 0 },
	{ "max-anoms", required_argument, TS_OPT_MAX_ANOMS, 0 },
	{ "max-gap", required_argument, TS_OPT_MAX_GAP, 0 },
	{ "max-series", required_argument, TS_OPT_MAX_SERIES, 0 },
	{ "method", required_argument, TS_OPT_METHOD, 'm' },
	{ "metric", required_argument, TS_OPT_METRIC, 0 },
	{ "min-delta", required_argument, TS_OPT_MIN_DELTA, 0 },
	{ "min-ratio", required_argument, TS_OPT_MIN_RATIO, 0 },
	{ "model", required_argument, TS_OPT_MODEL, 0 },
	{ "no-components", no_argument, TS_OPT_NO_COMPONENTS, 0 },
	{ "only", no_argument, TS_OPT_ONLY, 0 },
	{ "only-anomalies", no_argument, TS_OPT_ONLY_ANOMALIES, 0 },
	{ "outer", required_argument, TS_OPT_OUTER, 0 },
	{ "output", required_argument, TS_OPT_OUTPUT, 'o' },
	{ "overlay", no_argument, TS_OPT_OVERLAY, 0 },
	{ "partial", required_argument, TS_OPT_PARTIAL, 0 },
	{ "period", required_argument, TS_OPT_PERIOD, 'p' },
	{ "piecewise", required_argument, TS_OPT_PIECEWISE, 0 },
	{ "quiet", no_argument, TS_OPT_QUIET, 'q' },
	{ "regressor", required_argument, TS_OPT_REGRESSOR, 0 },
	{ "rise", required_argument, TS_OPT_RISE, 0 },
	{ "robust", no_argument, TS_OPT_ROBUST, 0 },
	{ "rolling-window", required_argument, TS_OPT_ROLLING_WINDOW, 0 },
	{ "rows", required_argument, TS_OPT_ROWS, 0 },
	{ "rule", required_argument, TS_OPT_RULE, 0 },
	{ "samples", required_argument, TS_OPT_SAMPLES, 0 },
	{ "seasonal-degree", required_argument, TS_OPT_SEASONAL_DEGREE, 0 },
	{ "seasonal-jump", required_argument, TS_OPT_SEASONAL_JUMP, 0 },
	{ "seasonal-window", required_argument, TS_OPT_SEASONAL_WINDOW, 0 },
	{ "seasonality-mode", required_argument, TS_OPT_SEASONALITY_MODE, 0 },
	{ "seasonality-prior-scale", required_argument, TS_OPT_SEASONALITY_PRIOR_SCALE, 0 },
	{ "seed", required_argument, TS_OPT_SEED, 0 },
	{ "sigma", required_argument, TS_OPT_SIGMA, 0 },
	{ "start", required_argument, TS_OPT_START, 0 },
	{ "stream", no_argument, TS_OPT_STREAM, 0 },
	{ "summary", no_argument, TS_OPT_SUMMARY, 0 },
	{ "tee", no_argument, TS_OPT_TEE, 0 },
	{ "theme", required_argument, TS_OPT_THEME, 0 },
	{ "threshold", required_argument, TS_OPT_THRESHOLD, 0 },
	{ "title", required_argument, TS_OPT_TITLE, 0 },
	{ "trend-degree", required_argument, TS_OPT_TREND_DEGREE, 0 },
	{ "trend-jump", required_argument, TS_OPT_TREND_JUMP, 0 },
	{ "trend-window", required_argument, TS_OPT_TREND_WINDOW, 0 },
	{ "tune", no_argument, TS_OPT_TUNE, 0 },
	{ "warmup", required_argument, TS_OPT_WARMUP, 0 },
	{ "weekly", required_argument, TS_OPT_WEEKLY, 0 },
	{ "weeks", required_argument, TS_OPT_WEEKS, 0 },
	{ "width", required_argument, TS_OPT_WIDTH, 0 },
	{ "window", required_argument, TS_OPT_WINDOW, 0 },
	{ "yearly", required_argument, TS_OPT_YEARLY, 0 },
};
#define NCOMMON_OPTS (TS_OPT_NO_PROGRESS - TS_OPT_TIME + 1)	/* the enum keeps the table's order */
#define NPROGRESS_OPTS 2
static const char common_short[] = "t:y:k:d:j:vh";

static const struct ts_cli_word epochs[] = {
	{ "s", TS_EPOCH_S, false },
	{ "ms", TS_EPOCH_MS, false },
	{ NULL, 0, false }
};

void ts_cli_init(struct ts_cli *c, const char *prog, const char *synopsis, const char *help)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->synopsis = synopsis;
	c->help = help;
	c->jobs = 0;	/* all cores: the output is the same bytes whatever -j */
	c->epoch = TS_EPOCH_AUTO;
	c->progress_opts_ = true;
	atomic_init(&c->passed_, 0);
}

void ts_cli_no_progress(struct ts_cli *c)
{
	c->progress_opts_ = false;
}

_Noreturn void ts_cli_usage_error(const struct ts_cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%sTry '%s --help' for more information.\n", c->synopsis, c->prog);
	exit(TS_EXIT_TROUBLE);
}

void ts_cli_message(const char *prog, const struct ts_err *err, bool warning, struct ts_buf *out)
{
	char line[32];

	ts_buf_puts(out, prog);
	ts_buf_puts(out, ": ");
	if (warning)
		ts_buf_puts(out, "warning: ");
	if (err->file != NULL) {
		ts_buf_puts(out, err->file);
		if (err->line > 0) {
			snprintf(line, sizeof line, ":%zu", err->line);
			ts_buf_puts(out, line);
		}
		ts_buf_puts(out, ": ");
	}
	ts_buf_puts(out, err->msg);
	ts_buf_putc(out, '\n');
}

static void print_message(const char *prog, const struct ts_err *err, bool warning)
{
	struct ts_buf b = { 0 };

	ts_cli_message(prog, err, warning, &b);
	if (!b.failed)
		fwrite(b.data, 1, b.len, stderr);
	ts_buf_free(&b);
}

_Noreturn void ts_cli_fail(const struct ts_cli *c, const struct ts_err *err)
{
	/* Whatever is already buffered for stdout belongs to earlier, good groups. */
	fflush(stdout);
	print_message(c->prog, err, false);
	exit(TS_EXIT_TROUBLE);
}

void ts_cli_warn_into(void *ctx, const struct ts_err *err)
{
	const struct ts_cli_msgs *msgs = ctx;

	ts_cli_message(msgs->prog, err, true, msgs->msg);
}

struct ts_load_opts ts_cli_load_opts(const struct ts_cli *c, struct ts_cli_msgs *msgs)
{
	struct ts_load_opts load = {
		.epoch = c->epoch,
		.zone = c->have_zone ? &c->zone : NULL,
		.skip_bad = c->skip_bad,
		.warn = ts_cli_warn_into,
		.warn_ctx = msgs,
	};

	return load;
}

void ts_cli_series_label(const struct ts_table *t, const struct ts_roles *roles,
			 const struct ts_groups *g, size_t gi, struct ts_buf *label)
{
	if (roles->nkeys == 0) {
		ts_buf_puts(label, t->files[0]);
		return;
	}
	ts_buf_puts(label, "series \"");
	ts_group_label(t, roles, g, gi, label);
	ts_buf_putc(label, '"');
}

void ts_cli_warn(const struct ts_cli *c, const struct ts_err *err)
{
	print_message(c->prog, err, true);
}

long long ts_cli_int(const struct ts_cli *c, const char *option, const char *arg,
		     long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		ts_cli_usage_error(c, "%s: invalid value \"%s\" (expected %lld..%lld)", option, arg,
				   min, max);
	return v;
}

double ts_cli_double(const struct ts_cli *c, const char *option, const char *arg, double min,
		     double max, unsigned flags, const char *expect)
{
	size_t len = strlen(arg);
	bool pct = (flags & TS_CLI_PERCENT) && len > 1 && arg[len - 1] == '%';
	double v;
	char range[128];

	if (ts_num_parse(arg, pct ? len - 1 : len, &v) == 0 && !isnan(v)) {
		if (pct)
			v /= 100;
		if (v >= min && v <= max && !((flags & TS_CLI_OPEN_MIN) && v == min) &&
		    !((flags & TS_CLI_OPEN_MAX) && v == max))
			return v;
	}
	if (expect == NULL) {
		snprintf(range, sizeof range, "%g..%g%s", min, max,
			 (flags & TS_CLI_PERCENT) ? ", or a percentage" : "");
		expect = range;
	}
	ts_cli_usage_error(c, "%s: invalid value \"%s\" (expected %s)", option, arg, expect);
}

int ts_cli_choice(const struct ts_cli *c, const char *option, const char *arg,
		  const struct ts_cli_word *words)
{
	struct ts_buf list = { 0 };
	size_t shown = 0, nshown = 0;

	for (size_t i = 0; words[i].word != NULL; i++) {
		if (strcmp(words[i].word, arg) == 0)
			return words[i].value;
		nshown += !words[i].hidden;
	}
	for (size_t i = 0; words[i].word != NULL; i++) {
		if (words[i].hidden)
			continue;
		if (shown > 0)
			ts_buf_puts(&list, shown + 1 == nshown ? " or " : ", ");
		ts_buf_puts(&list, words[i].word);
		shown++;
	}
	ts_buf_putc(&list, '\0');
	ts_cli_usage_error(c, "%s: invalid value \"%s\" (expected %s)", option, arg,
			   list.failed ? "?" : list.data);
}

void ts_cli_boxcox(const struct ts_cli *c, const char *option, const char *arg, bool *is_auto,
		   double *lambda)
{
	struct ts_err err = { 0 };

	if (ts_boxcox_parse(arg, is_auto, lambda, &err) != 0)
		ts_cli_usage_error(c, "%s: %s", option, err.msg);
}

bool ts_cli_env_int(const char *name, long long min, long long max, long long *out)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void ts_cli_dur(const struct ts_cli *c, const char *option, const char *arg, struct ts_dur *d)
{
	struct ts_err err = { 0 };

	if (ts_dur_parse(arg, d, &err) != 0)
		ts_cli_usage_error(c, "%s: %s", option, err.msg);
}

static char parse_delim(const struct ts_cli *c, const char *arg)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		return '\t';
	if (strcmp(arg, "comma") == 0)
		return ',';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\r' || arg[0] == '\n')
		ts_cli_usage_error(c, "-d: invalid delimiter \"%s\" (one character, or tab)", arg);
	return arg[0];
}

static const struct cli_option *find_option(enum ts_opt code)
{
	size_t i;

	for (i = 0; i < sizeof all_options / sizeof all_options[0]; i++)
		if (all_options[i].code == code)
			return &all_options[i];
	return NULL;
}

/* The getopt_long entry for o: a letter the tool (or every tool) takes as a
 * short option is what both spellings return. */
static struct option long_option(const struct cli_option *o, const char *shorts)
{
	struct option lo = { o->name, o->has_arg, NULL, o->code };

	if (o->letter != 0 && strchr(shorts, o->letter) != NULL)
		lo.val = o->letter;
	return lo;
}

static void merge_options(struct ts_cli *c, const int *tool_options, const char *tool_short)
{
	size_t ntool = 0, ncommon = NCOMMON_OPTS - (c->progress_opts_ ? 0 : NPROGRESS_OPTS);
	size_t i, short_len;
	const struct cli_option *o;

	while (tool_options != NULL && tool_options[ntool] != 0)
		ntool++;
	c->longopts_ = ts_calloc(ntool + ncommon + 1, sizeof *c->longopts_);
	short_len = strlen(tool_short) + sizeof common_short + 1;
	c->shortopts_ = malloc(short_len);
	if (c->longopts_ == NULL || c->shortopts_ == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		exit(TS_EXIT_TROUBLE);
	}
	/* Leading ':' makes getopt report a missing argument as ':'. */
	snprintf(c->shortopts_, short_len, ":%s%s", tool_short, common_short);
	for (i = 0; i < ntool; i++) {
		o = find_option(tool_options[i]);
		if (o == NULL) {
			fprintf(stderr, "%s: internal error: option code %d\n", c->prog, tool_options[i]);
			exit(TS_EXIT_TROUBLE);
		}
		c->longopts_[i] = long_option(o, tool_short);
	}
	for (i = 0; i < ncommon; i++)
		c->longopts_[ntool + i] = long_option(&all_options[i], common_short);
}

static void print_help(const struct ts_cli *c)
{
	printf("%s%s", c->synopsis, c->help);
	printf("\nCommon options:\n"
	       "  -t, --time COL       time column (default: ds, timestamp, time, date,\n"
	       "                       datetime or @timestamp, else column 1)\n"
	       "  -y, --value COL      value column (default: y, else the first numeric column)\n"
	       "  -k, --key COL[,COL]  key columns: one series per distinct key\n"
	       "  -d, --delimiter C    input delimiter: one character or 'tab' (default: from\n"
	       "                       the header; output keeps it)\n"
	       "      --tz ZONE        wall clock for epoch/UTC/naive input (e.g. Europe/Paris)\n"
	       "      --epoch s|ms     unit of numeric timestamps (default: from magnitude)\n"
	       "  -j, --jobs N         series processed in parallel (default 0: all cores)\n"
	       "  -v, --verbose        per-series summary on stderr\n"
	       "      --skip-bad       skip rows with a bad timestamp or value, or the wrong\n"
	       "                       number of fields, with a warning\n"
	       "      --grouped        with -k, each series' rows come together (sorted by key):\n"
	       "                       series are written as they end, in bounded memory; a\n"
	       "                       key that comes back later is an error\n");
	if (c->progress_opts_)
		printf("      --progress       a progress line on stderr (series done, rows/s, ETA)\n"
		       "                       even when stderr is not a terminal\n"
		       "      --no-progress    none, not even on a terminal (default: one on a\n"
		       "                       terminal once a run takes a second)\n");
	printf("  -h, --help           print this help and exit\n"
	       "      --version        print the version and exit\n"
	       "\nCOL is a header name or a 1-based column number.\n"
	       "Exit status: 0 success, 2 trouble (bad usage, no input, bad input, unknown\n"
	       "column, write error; with -k also a series passed through unprocessed).\n");
	exit(ts_cli_finish(c, TS_EXIT_OK));
}

int ts_cli_getopt(struct ts_cli *c, int *argc, char ***argv,
		  const int *tool_options, const char *tool_short)
{
	int opt;

	if (c->longopts_ == NULL) {
		merge_options(c, tool_options, tool_short);
		opterr = 0;
	}
	for (;;) {
		opt = getopt_long(*argc, *argv, c->shortopts_, c->longopts_, NULL);
		switch (opt) {
		case 't':
			c->time_col = optarg;
			break;
		case 'y':
			c->value_col = optarg;
			break;
		case 'k':
			c->key_cols = optarg;
			break;
		case 'd':
			c->delim = parse_delim(c, optarg);
			break;
		case 'j':
			c->jobs = (size_t)ts_cli_int(c, "-j", optarg, 0, 1024);
			break;
		case 'v':
			c->verbose++;
			break;
		case TS_OPT_TZ:
			c->tz_name = optarg;
			break;
		case TS_OPT_EPOCH:
			c->epoch = ts_cli_choice(c, "--epoch", optarg, epochs);
			break;
		case TS_OPT_SKIP_BAD:
			c->skip_bad = true;
			break;
		case TS_OPT_PROGRESS:
			c->progress = TS_CLI_PROGRESS_ON;
			break;
		case TS_OPT_NO_PROGRESS:
			c->progress = TS_CLI_PROGRESS_OFF;
			break;
		case TS_OPT_GROUPED:
			c->grouped = true;
			break;
		case 'h':
			print_help(c);
			break;
		case TS_OPT_VERSION:
			printf("%s %s\n", c->prog, TS_VERSION);
			exit(ts_cli_finish(c, TS_EXIT_OK));
		case ':':
			if (optopt != 0)
				ts_cli_usage_error(c, "option requires an argument -- '%c'", optopt);
			ts_cli_usage_error(c, "option '%s' requires an argument", (*argv)[optind - 1]);
		case '?':
			if (optopt != 0)
				ts_cli_usage_error(c, "invalid option -- '%c'", optopt);
			ts_cli_usage_error(c, "unrecognized option '%s'", (*argv)[optind - 1]);
		case -1:
			*argc -= optind;
			*argv += optind;
			return -1;
		default:
			return opt;
		}
	}
}

void ts_cli_setup(struct ts_cli *c)
{
	struct ts_err err = { 0 };

	free(c->longopts_);
	free(c->shortopts_);
	c->longopts_ = NULL;
	c->shortopts_ = NULL;
	if (c->tz_name != NULL) {
		if (ts_zone_open(c->tz_name, &c->zone, &err) != 0)
			ts_cli_usage_error(c, "--tz: %s", err.msg);
		c->have_zone = true;
	}
}

/* ts_load_opts.warn for rows the reader leaves out: told at once. */
static void warn_now(void *ctx, const struct ts_err *err)
{
	ts_cli_warn(ctx, err);
}

/* ts_feed_opts.warn: a skipped row's warning into its batch's messages. */
static void warn_into_batch(void *ctx, const struct ts_err *err, struct ts_buf *msg)
{
	const struct ts_cli *c = ctx;

	ts_cli_message(c->prog, err, true, msg);
}

/* A batch's warnings to stderr; its error, if any, ends the run (exit 2). */
static void take_batch_words(const struct ts_cli *c, struct ts_feed_batch *b)
{
	if (b->msg.len > 0 && !b->msg.failed)
		fwrite(b->msg.data, 1, b->msg.len, stderr);
	b->msg.len = 0;
	if (b->rc != 0)
		ts_cli_fail(c, &b->err);
}

/* --grouped: start the reader, and take its first batch as t. */
static void read_grouped(struct ts_cli *c, int argc, char **argv, struct ts_table *t)
{
	/* a batch the caches hold: ts-fill and ts-detect take 30% less CPU
	 * than with 65536 rows */
	long long rows = 16384;
	struct ts_feed_opts o = {
		.delim = c->delim,
		.key_spec = c->key_cols,
		.depth = 2,
		.skip_bad = c->skip_bad,
		.warn = warn_into_batch,
		.warn_ctx = c,
	};
	struct ts_feed_batch *b;
	struct ts_err err = { 0 };

	/* TS_GROUPED_ROWS: rows a batch holds before it is cut (tests cut small) */
	ts_cli_env_int("TS_GROUPED_ROWS", 1, 1LL << 40, &rows);
	o.batch_rows = (size_t)rows;
	c->feed_ = ts_groupfeed_start(&o, argv, argc > 0 ? (size_t)argc : 0);
	if (c->feed_ == NULL || (b = ts_groupfeed_next(c->feed_)) == NULL) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(c, &err);
	}
	take_batch_words(c, b);
	*t = b->tab;
	memset(&b->tab, 0, sizeof b->tab);
	if (b->last) {
		ts_groupfeed_free(c->feed_);
		c->feed_ = NULL;
	}
	ts_feed_batch_free(b);
}

void ts_cli_whole_input(struct ts_cli *c, struct ts_table *t, const char *why)
{
	struct ts_err err = { 0 };
	bool last = false;

	if (c->feed_ == NULL)
		return;
	if (c->verbose > 0)
		fprintf(stderr, "%s: --grouped: reading the whole input: %s\n", c->prog, why);
	ts_groupfeed_whole(c->feed_);
	while (!last) {
		struct ts_feed_batch *b = ts_groupfeed_next(c->feed_);
		if (b == NULL || ts_table_append(t, &b->tab) != 0) {
			ts_err_set(&err, TS_ENOMEM, "out of memory");
			ts_cli_fail(c, &err);
		}
		take_batch_words(c, b);
		last = b->last;
		ts_groupfeed_recycle(c->feed_, b);
	}
	ts_groupfeed_free(c->feed_);
	c->feed_ = NULL;
}

FILE *ts_cli_open_input(const struct ts_cli *c, const char *path, const char **name)
{
	struct ts_err err = { 0 };
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");

	if (f == NULL) {
		err.file = path;
		ts_err_set(&err, TS_EIO, "%s", strerror(errno));
		ts_cli_fail(c, &err);
	}
	*name = is_stdin ? "<stdin>" : path;
	return f;
}

void ts_cli_close_input(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

void ts_cli_read_inputs(struct ts_cli *c, int argc, char **argv, struct ts_table *t)
{
	struct ts_err err = { 0 };
	struct ts_load_opts skip = { .skip_bad = c->skip_bad, .warn = warn_now, .warn_ctx = c };
	int nfiles = argc > 0 ? argc : 1;

	if (c->grouped && c->key_cols != NULL) {
		read_grouped(c, argc, argv, t);
		return;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *name;
		FILE *f = ts_cli_open_input(c, argc > 0 ? argv[i] : "-", &name);
		int rc = ts_table_read_skip(t, f, name, c->delim, &skip, &err);

		ts_cli_close_input(f);
		if (rc != 0)
			ts_cli_fail(c, &err);
	}
}

_Noreturn void ts_cli_fail_input(const struct ts_cli *c, const struct ts_table *t, struct ts_err *err)
{
	if (err->file == NULL)
		err->file = t->nfiles > 0 ? t->files[0] : "<stdin>";
	ts_cli_fail(c, err);
}

_Noreturn void ts_cli_data_error(const struct ts_cli *c, const struct ts_table *t, const char *fmt, ...)
{
	struct ts_err err = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof err.msg, fmt, ap);
	va_end(ap);
	err.code = TS_EDATA;
	ts_cli_fail_input(c, t, &err);
}

void ts_cli_roles(struct ts_cli *c, const struct ts_table *t, struct ts_roles *roles)
{
	struct ts_err err = { 0 };

	if (ts_roles_resolve(t, c->time_col, c->value_col, c->key_cols, roles, &err) == 0)
		return;
	if (err.code == TS_EUSAGE)
		ts_cli_usage_error(c, "%s", err.msg);
	ts_cli_fail_input(c, t, &err);
}

void ts_cli_need_value(const struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles)
{
	struct ts_err err = { 0 };

	if (ts_roles_need_value(t, roles, &err) != 0)
		ts_cli_fail_input(c, t, &err);
}

size_t ts_cli_threads(const struct ts_cli *c)
{
	return c->jobs == 0 ? ts_pool_cores() : c->jobs;
}

ts_time ts_cli_now(const struct ts_cli *c)
{
	const char *pinned = getenv("TS_NOW");
	struct ts_err err = { 0 };
	struct ts_tfmt fmt;
	ts_time now;

	if (pinned == NULL || pinned[0] == '\0')
		return (ts_time)time(NULL) * TS_US_PER_S;
	if (ts_time_parse(pinned, strlen(pinned), c->epoch, &now, &fmt, &err) != 0)
		ts_cli_usage_error(c, "TS_NOW: %s", err.msg);
	if (ts_time_resolve(now, &fmt, c->have_zone ? &c->zone : NULL, INT64_MIN, &now, &err) != 0)
		ts_cli_usage_error(c, "TS_NOW: bad timestamp \"%s\": %s", pinned, err.msg);
	return now;
}

struct ts_cli_view ts_cli_view_of(struct ts_cli *c, const struct ts_cli_input *in)
{
	struct ts_cli_view v = { c, &in->tab, &in->roles, &in->groups };

	return v;
}

int ts_cli_load_series(const struct ts_cli_view *v, size_t gi, struct ts_buf *msg, struct ts_series *s,
		       struct ts_err *err)
{
	const size_t *rows = v->groups->rows + v->groups->start[gi];
	size_t nrows = v->groups->start[gi + 1] - v->groups->start[gi];
	struct ts_cli_msgs jm = { v->cli->prog, msg };
	struct ts_load_opts load = ts_cli_load_opts(v->cli, &jm);

	return ts_series_load(v->tab, v->roles, rows, nrows, &load, s, err);
}

size_t *ts_cli_skip_counts(const struct ts_groups *g)
{
	return ts_calloc(g->n + 1, sizeof(size_t));
}

size_t ts_cli_skip_total(const size_t *counts, const struct ts_groups *g)
{
	size_t total = 0;

	for (size_t gi = 0; gi < g->n; gi++)
		total += counts[gi];
	return total;
}

void ts_cli_input_free(struct ts_cli_input *in)
{
	ts_outcols_free(&in->outcols);
	ts_groups_free(&in->groups);
	ts_table_free(&in->tab);
}

int ts_cli_finish(const struct ts_cli *c, int status)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int saved = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed)
		return status;
	if (saved != EPIPE)
		fprintf(stderr, "%s: write error: %s\n", c->prog, strerror(saved));
	return TS_EXIT_TROUBLE;
}

void ts_cli_write(const struct ts_cli *c, struct ts_buf *out)
{
	struct ts_err err = { 0 };

	if (ts_buf_flush(out, stdout, &err) != 0) {
		if (err.code == TS_EIO && errno == EPIPE)
			exit(TS_EXIT_TROUBLE);
		ts_cli_fail(c, &err);
	}
}

int ts_cli_flush_now(struct ts_buf *out, void *ctx, struct ts_err *unused)
{
	struct ts_cli *c = ctx;
	struct ts_err err = { 0 };
	int saved;

	(void)unused;
	if (ts_buf_flush(out, stdout, &err) == 0 && fflush(stdout) == 0)
		return 0;
	saved = errno;
	if (err.code == 0)
		ts_err_set(&err, TS_EIO, "write error: %s", strerror(saved));
	if (err.code == TS_EIO && saved == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	ts_cli_fail(c, &err);
}

void ts_cli_hold_header(struct ts_cli *c, struct ts_buf *header)
{
	ts_buf_free(&c->header_);
	c->header_ = *header;
	memset(header, 0, sizeof *header);
	c->holding_ = true;
}

int ts_cli_emit(struct ts_cli *c, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	int rc;

	if (msg->len > 0 && !msg->failed)
		fwrite(msg->data, 1, msg->len, stderr);
	if (out->len == 0 && !out->failed)
		return 0;
	if (c->holding_) {
		c->holding_ = false;
		rc = ts_buf_flush(&c->header_, stdout, err);
		ts_buf_free(&c->header_);
		if (rc != 0)
			return rc;
	}
	return ts_buf_flush(out, stdout, err);
}

/* ts_cli_run_groups' context: the tool's job and its context, and the
 * progress line when one is drawn. */
struct group_run {
	struct ts_cli *cli;
	ts_job_fn job;
	void *ctx;
	const struct ts_groups *groups;
	bool show_progress;
	bool rows_on_terminal;	/* stdout a terminal too: rows erase the line */
	struct ts_progress progress;
};

static double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void erase_progress(struct ts_progress *p)
{
	char line[TS_PROGRESS_LINE_MAX];

	if (ts_progress_clear(p, line, sizeof line) > 0) {
		fputs(line, stderr);
		fflush(stderr);
	}
}

static int group_job(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	const struct group_run *gr = ctx;

	return gr->job(gi, gr->ctx, out, msg, err);
}

/* The series' messages and rows, the progress line out of their way. */
static int group_emit(size_t gi, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct group_run *gr = ctx;
	char line[TS_PROGRESS_LINE_MAX];
	double now;
	int rc;

	if (!gr->show_progress)
		return ts_cli_emit(gr->cli, out, msg, err);
	if (msg->len > 0 || (out->len > 0 && gr->rows_on_terminal))
		erase_progress(&gr->progress);
	if ((rc = ts_cli_emit(gr->cli, out, msg, err)) != 0)
		return rc;
	now = monotonic_seconds();
	if (ts_progress_step(&gr->progress, gr->groups->start[gi + 1] - gr->groups->start[gi], now)) {
		fflush(stdout);	/* the rows first, when both go to one terminal */
		ts_progress_line(&gr->progress, gr->cli->prog, now, line, sizeof line);
		fputs(line, stderr);
		fflush(stderr);
	}
	return 0;
}

int ts_cli_run_groups(struct ts_cli *c, const struct ts_groups *g, ts_job_fn job, void *ctx,
		      struct ts_err *err)
{
	struct group_run gr = { c, job, ctx, g, false, false, { 0 } };
	int rc;

	if (c->feed_ != NULL)	/* a tool bug: only ts_cli_run_feed reads on */
		return ts_err_set(err, TS_EUSAGE, "--grouped input left unread");
	gr.show_progress = c->progress == TS_CLI_PROGRESS_ON ||
			   (c->progress == TS_CLI_PROGRESS_AUTO && c->progress_opts_ && isatty(STDERR_FILENO));
	gr.rows_on_terminal = gr.show_progress && isatty(STDOUT_FILENO);
	if (gr.show_progress)
		ts_progress_start(&gr.progress, g->n, g->start[g->n], monotonic_seconds(),
				  c->progress == TS_CLI_PROGRESS_ON ? 0 : TS_PROGRESS_DELAY);
	rc = ts_pool_run(g->n, ts_cli_threads(c), group_job, group_emit, &gr, err);
	if (gr.show_progress)
		erase_progress(&gr.progress);
	return rc;
}

/* One batch as the pool runs it: the first (the tool's own table, fb NULL)
 * or a later one from the reader, with its groups and the jobs' context. */
struct feed_batch {
	struct ts_feed_batch *fb;
	struct ts_groups groups;
	size_t *skipped;		/* the rows each series' job left out */
	ts_job_fn job;
	void *ctx;
	struct feed_batch *next;	/* in feed_run.stopped */
};

/* ts_cli_run_feed's source of batches. */
struct feed_run {
	struct ts_cli *cli;
	const struct ts_roles *roles;
	ts_job_fn job;
	void *ctx;
	size_t ngroups;			/* the first batch's */
	ts_cli_bind_fn bind;
	struct feed_batch first;
	struct feed_batch *stopped;	/* batches of a run that stopped: freed last, as the
					 * error may name their input */
	bool first_given, last_seen;
	bool failed;			/* the input's error, once every series before it is out */
	struct ts_err fail;
};

static int feed_next(void *src, struct ts_pool_batch *pb, struct ts_err *err)
{
	struct feed_run *fr = src;
	struct feed_batch *l;
	struct ts_feed_batch *fb;

	if (!fr->first_given) {
		fr->first_given = true;
		fr->first.ctx = fr->ctx;
		fr->first.job = fr->job;
		pb->njobs = fr->ngroups;
		pb->ctx = &fr->first;
		pb->owner = &fr->first;
		return 0;
	}
	if (fr->cli->feed_ == NULL || fr->last_seen)
		return TS_ESTOP;
	if ((fb = ts_groupfeed_next(fr->cli->feed_)) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	fr->last_seen = fb->last;
	if ((l = ts_calloc(1, sizeof *l)) == NULL) {
		ts_feed_batch_free(fb);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	l->fb = fb;
	l->job = fr->job;
	if (fb->rc == 0) {
		/* an input that failed runs none of its rows: the series in
		 * progress is cut short, and today's whole read runs none */
		if (ts_feed_batch_groups(fr->cli->feed_, fb, fr->roles, &l->groups, err) != 0 ||
		    (l->skipped = ts_cli_skip_counts(&l->groups)) == NULL ||
		    (l->ctx = fr->bind(fr->ctx, &fb->tab, &l->groups, l->skipped)) == NULL) {
			free(l->skipped);
			ts_groups_free(&l->groups);
			ts_feed_batch_free(fb);
			free(l);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		pb->njobs = l->groups.n;
	}
	pb->ctx = l;
	pb->owner = l;
	return 0;
}

static void free_batch(struct feed_run *fr, struct feed_batch *l)
{
	fr->cli->later_skipped += l->fb->tab.skipped;
	if (l->ctx != NULL) {
		fr->cli->later_series += l->groups.n;
		fr->cli->later_skipped += ts_cli_skip_total(l->skipped, &l->groups);
		free(l->ctx);
	}
	free(l->skipped);
	ts_groups_free(&l->groups);
	ts_groupfeed_recycle(fr->cli->feed_, l->fb);
	free(l);
}

static void feed_done(void *src, struct ts_pool_batch *pb, bool emitted)
{
	struct feed_run *fr = src;
	struct feed_batch *l = pb->owner;

	if (l == &fr->first)
		return;
	if (!emitted) {
		l->next = fr->stopped;
		fr->stopped = l;
		return;
	}
	if (emitted && pb->njobs == 0 && l->fb->msg.len > 0 && !l->fb->msg.failed)
		fwrite(l->fb->msg.data, 1, l->fb->msg.len, stderr);	/* none of its series said it */
	if (emitted && l->fb->rc != 0 && !fr->failed) {
		fr->failed = true;
		fr->fail = l->fb->err;
	}
	free_batch(fr, l);
}

static int feed_job(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	const struct feed_batch *l = ctx;

	if (i == 0 && l->fb != NULL && l->fb->msg.len > 0)
		ts_buf_put(msg, l->fb->msg.data, l->fb->msg.len);
	return l->job(i, l->ctx, out, msg, err);
}

int ts_cli_run_feed(struct ts_cli *c, const struct ts_roles *roles, const struct ts_groups *g, ts_job_fn job,
		    void *ctx, ts_cli_bind_fn bind, struct ts_err *err)
{
	struct feed_run fr = {
		.cli = c, .roles = roles, .job = job, .ctx = ctx, .ngroups = g->n, .bind = bind,
	};
	/* no progress line under --grouped: the total is not known */
	struct group_run gr = { c, job, ctx, NULL, false, false, { 0 } };
	int rc;

	if (c->feed_ == NULL)
		return ts_cli_run_groups(c, g, job, ctx, err);
	rc = ts_pool_stream(ts_cli_threads(c), 3, feed_next, feed_done, &fr, feed_job, group_emit, &gr,
			    err);
	if (rc == 0 && fr.failed) {
		*err = fr.fail;
		rc = err->code != 0 ? err->code : TS_EINPUT;
	}
	if (rc != 0 && err->file != NULL && fr.stopped != NULL) {
		/* the name may be a stopped batch's: keep it past the batch */
		snprintf(c->failed_file_, sizeof c->failed_file_, "%s", err->file);
		err->file = c->failed_file_;
	}
	while (fr.stopped != NULL) {
		struct feed_batch *l = fr.stopped;
		fr.stopped = l->next;
		free_batch(&fr, l);
	}
	if (rc == 0) {
		ts_groupfeed_free(c->feed_);
		c->feed_ = NULL;
	}
	return rc;
}

void ts_cli_run_all(struct ts_cli *c, struct ts_buf *header, const struct ts_roles *roles,
		    const struct ts_groups *g, ts_job_fn job, void *ctx, ts_cli_bind_fn bind)
{
	struct ts_err err = { 0 };

	if (header != NULL)
		ts_cli_hold_header(c, header);
	if (ts_cli_run_feed(c, roles, g, job, ctx, bind, &err) != 0)
		ts_cli_fail(c, &err);
	ts_cli_release_header(c);
}

void ts_cli_warn_skipped(const struct ts_cli *c, size_t n)
{
	struct ts_err warn = { 0 };

	if (n == 0)
		return;
	ts_err_set(&warn, TS_EINPUT, "skipped %zu bad row%s", n, n == 1 ? "" : "s");
	ts_cli_warn(c, &warn);
}

void ts_cli_warn_no_data(const struct ts_cli *c, const struct ts_table *t, const char *text)
{
	struct ts_err warn = { .file = t->files[0] };

	ts_err_set(&warn, TS_EDATA, "no data rows%s%s", text != NULL ? ": " : "", text != NULL ? text : "");
	ts_cli_warn(c, &warn);
}

_Noreturn void ts_cli_fail_no_data(const struct ts_cli *c, const char *file, const char *text)
{
	struct ts_err err = { .file = file };

	ts_err_set(&err, TS_EDATA, "no data rows: %s", text);
	ts_cli_fail(c, &err);
}

void ts_cli_series_prefix(const struct ts_table *t, const struct ts_roles *roles,
			  const struct ts_groups *g, size_t gi, struct ts_buf *b)
{
	if (roles->nkeys == 0)
		return;
	ts_cli_series_label(t, roles, g, gi, b);
	ts_buf_puts(b, ": ");
}

void ts_cli_name_series(const struct ts_table *t, const struct ts_roles *roles,
			const struct ts_groups *g, size_t gi, struct ts_err *err)
{
	struct ts_buf label = { 0 };
	char text[sizeof err->msg];

	if (roles->nkeys == 0)
		return;
	ts_cli_series_label(t, roles, g, gi, &label);
	ts_buf_putc(&label, '\0');
	snprintf(text, sizeof text, "%s", err->msg);
	snprintf(err->msg, sizeof err->msg, "%.100s: %.400s", label.failed ? "?" : label.data, text);
	ts_buf_free(&label);
}

void ts_cli_release_header(struct ts_cli *c)
{
	if (!c->holding_)
		return;
	c->holding_ = false;
	ts_cli_write(c, &c->header_);
	ts_buf_free(&c->header_);
}

bool ts_cli_can_pass(const struct ts_roles *roles, int rc)
{
	return rc == TS_EDATA && roles->nkeys > 0;
}

/* "k=v[,k2=v2]" naming group gi, for messages; values quoted as ts_err_quote does. */
static void key_values(const struct ts_table *t, const struct ts_roles *roles,
		       const struct ts_groups *g, size_t gi, struct ts_buf *out)
{
	char quoted[64];

	if (g->start[gi] == g->start[gi + 1])
		return;
	for (size_t k = 0; k < roles->nkeys; k++) {
		const char *name = t->names[roles->keys[k]];
		struct ts_str f = ts_table_field(t, g->rows[g->start[gi]], roles->keys[k]);
		if (k > 0)
			ts_buf_putc(out, ',');
		ts_buf_puts(out, ts_err_quote(name, strlen(name), quoted, sizeof quoted));
		ts_buf_putc(out, '=');
		ts_buf_puts(out, ts_err_quote(f.s, f.len, quoted, sizeof quoted));
	}
}

void ts_cli_pass_rows(const struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles,
		      const struct ts_groups *g, size_t gi, const struct ts_outcols *o,
		      struct ts_buf *out)
{
	struct ts_load_opts load = {
		.epoch = c->epoch,
		.zone = c->have_zone ? &c->zone : NULL,
		.skip_bad = c->skip_bad,
	};
	struct ts_str *empty = ts_calloc(o->nadded + 1, sizeof *empty);
	struct ts_series s;
	struct ts_err err = { 0 };

	if (empty == NULL) {
		out->failed = true;
		return;
	}
	for (size_t a = 0; a < o->nadded; a++)
		empty[a].s = "";
	if (ts_series_load(t, roles, g->rows + g->start[gi], g->start[gi + 1] - g->start[gi], &load, &s,
			   &err) != 0) {
		/* The job loaded this series before: only memory can fail here. */
		out->failed = true;
		free(empty);
		return;
	}
	for (size_t i = 0; i < s.n; i++)
		ts_write_row(o, t, s.row[i], NULL, empty, out);
	ts_series_free(&s);
	free(empty);
}

void ts_cli_pass_series(struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles,
			const struct ts_groups *g, size_t gi, const struct ts_err *err,
			const struct ts_outcols *o, struct ts_buf *out, struct ts_buf *msg)
{
	struct ts_buf text = { 0 };
	struct ts_err named = { .code = err->code, .file = err->file, .line = err->line };

	if (named.file == NULL)
		named.file = g->start[gi] < g->start[gi + 1] ? ts_table_file(t, g->rows[g->start[gi]])
							     : t->files[0];
	if (roles->nkeys > 0) {
		key_values(t, roles, g, gi, &text);
		ts_buf_puts(&text, ": ");
	}
	ts_buf_puts(&text, err->msg);
	ts_buf_puts(&text, "; passed through");
	ts_buf_putc(&text, '\0');
	snprintf(named.msg, sizeof named.msg, "%s", text.failed ? err->msg : text.data);
	ts_buf_free(&text);
	ts_cli_message(c->prog, &named, false, msg);
	atomic_fetch_add(&c->passed_, 1);
	if (o != NULL)
		ts_cli_pass_rows(c, t, roles, g, gi, o, out);
}

int ts_cli_run_status(struct ts_cli *c, const struct ts_cli_input *in, size_t jobs_skipped, int status)
{
	size_t passed = atomic_load(&c->passed_);
	size_t nseries = in->groups.n + c->later_series;

	/* the reader's ragged rows, and the jobs' */
	ts_cli_warn_skipped(c, ts_table_skipped(&in->tab) + c->later_skipped + jobs_skipped);
	if (passed == 0)
		return status;
	fprintf(stderr, "%s: %zu of %zu series passed through\n", c->prog, passed, nseries);
	return status == TS_EXIT_FOUND ? TS_EXIT_FOUND : TS_EXIT_TROUBLE;
}
