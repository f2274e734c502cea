/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: the one layer that talks to the user: options every tool shares,
 * usage, messages "prog: file:line: text", exit codes, checked stdout. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <getopt.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "core/pool.h"
#include "io/tstime.h"

struct ts_groupfeed;

/* Exit statuses, as diff(1): 0 success (ts-detect: nothing found), 1 ts-detect
 * found anomalies, 2 trouble of any kind (also: a series of a keyed input
 * passed through unprocessed), except that 1 wins over a series passed
 * through, so that an anomaly still pages. */
enum { TS_EXIT_OK = 0, TS_EXIT_FOUND = 1, TS_EXIT_TROUBLE = 2 };

/* Options common to every tool, and the tool's identity. */
/* Whether ts_cli_run_groups draws a progress line on stderr: AUTO (the
 * default) when stderr is a terminal and the run takes a second, ON always
 * (--progress), OFF never (--no-progress). */
enum ts_cli_progress { TS_CLI_PROGRESS_AUTO, TS_CLI_PROGRESS_ON, TS_CLI_PROGRESS_OFF };

struct ts_cli {
	const char *prog;	/* constant program name used in messages */
	const char *synopsis;	/* "usage: ..." lines, as in the man page SYNOPSIS */
	const char *help;	/* the rest of --help after the synopsis */
	const char *time_col;	/* -t, or NULL */
	const char *value_col;	/* -y, or NULL */
	const char *key_cols;	/* -k, or NULL */
	char delim;		/* -d, or 0 to detect */
	const char *tz_name;	/* --tz, or NULL */
	enum ts_epoch epoch;	/* --epoch */
	size_t jobs;		/* -j: worker threads (0 given means all cores) */
	int verbose;		/* -v count */
	bool skip_bad;		/* --skip-bad */
	enum ts_cli_progress progress;	/* --progress, --no-progress */
	bool grouped;		/* --grouped: with -k, each series' rows come together */
	size_t later_series;	/* --grouped: series after the first batch (ts_cli_run_feed) */
	size_t later_skipped;	/* --grouped: rows skipped after the first batch, reader's and jobs' */
	bool have_zone;		/* --tz opened into zone */
	struct ts_zone zone;
	/* private to cli.c */
	struct option *longopts_;
	char *shortopts_;
	struct ts_buf header_;	/* the output header, held back (ts_cli_hold_header) */
	bool holding_;
	atomic_size_t passed_;	/* series passed through (ts_cli_pass_series) */
	bool progress_opts_;	/* --progress and --no-progress are options */
	struct ts_groupfeed *feed_;	/* --grouped: the input after the first batch */
	char failed_file_[4096];	/* the input an error of a stopped batch names */
};

/* Every long option of the suite, one code each: the common ones first, then
 * every tool's (a tool lists the ones it takes for ts_cli_getopt). */
enum ts_opt {
	TS_OPT_TIME = 0x1000, TS_OPT_VALUE, TS_OPT_KEY, TS_OPT_DELIMITER, TS_OPT_JOBS,
	TS_OPT_VERBOSE, TS_OPT_TZ, TS_OPT_EPOCH, TS_OPT_SKIP_BAD, TS_OPT_GROUPED, TS_OPT_HELP,
	TS_OPT_VERSION, TS_OPT_PROGRESS, TS_OPT_NO_PROGRESS,
	TS_OPT_ADD_SEASONALITY, TS_OPT_AGG, TS_OPT_ALPHA, TS_OPT_BAND_SCALE, TS_OPT_BOXCOX,
	TS_OPT_CHANGEPOINT_PRIOR_SCALE, TS_OPT_CHANGEPOINT_RANGE, TS_OPT_CHANGEPOINTS,
	TS_OPT_COLOR, TS_OPT_COLS, TS_OPT_COLUMNS, TS_OPT_COMPONENTS, TS_OPT_CONSECUTIVE,
	TS_OPT_COOLDOWN, TS_OPT_COUNTRY_HOLIDAYS, TS_OPT_CV, TS_OPT_CV_ROWS, TS_OPT_DAILY,
	TS_OPT_DIRECTION, TS_OPT_DPI, TS_OPT_DROP, TS_OPT_END, TS_OPT_EXCLUDE, TS_OPT_FILL,
	TS_OPT_FLOOR, TS_OPT_FORMAT, TS_OPT_GROWTH, TS_OPT_HEIGHT, TS_OPT_HISTORY,
	TS_OPT_HOLIDAYS, TS_OPT_HOLIDAYS_PRIOR_SCALE, TS_OPT_HORIZON, TS_OPT_INNER,
	TS_OPT_INTERVAL, TS_OPT_IQR, TS_OPT_ITERATE, TS_OPT_JUNIT, TS_OPT_LAG, TS_OPT_LAST,
	TS_OPT_LOWPASS_DEGREE, TS_OPT_LOWPASS_JUMP, TS_OPT_LOWPASS_WINDOW, TS_OPT_MARK,
	TS_OPT_MAX_ANOMS, TS_OPT_MAX_GAP, TS_OPT_MAX_SERIES, TS_OPT_METHOD, TS_OPT_METRIC,
	TS_OPT_MIN_DELTA, TS_OPT_MIN_RATIO, TS_OPT_MODEL, TS_OPT_NO_COMPONENTS, TS_OPT_ONLY,
	TS_OPT_ONLY_ANOMALIES, TS_OPT_OUTER, TS_OPT_OUTPUT, TS_OPT_OVERLAY, TS_OPT_PARTIAL,
	TS_OPT_PERIOD, TS_OPT_PIECEWISE, TS_OPT_QUIET, TS_OPT_REGRESSOR, TS_OPT_RISE,
	TS_OPT_ROBUST, TS_OPT_ROLLING_WINDOW, TS_OPT_ROWS, TS_OPT_RULE, TS_OPT_SAMPLES,
	TS_OPT_SEASONAL_DEGREE, TS_OPT_SEASONAL_JUMP, TS_OPT_SEASONAL_WINDOW,
	TS_OPT_SEASONALITY_MODE, TS_OPT_SEASONALITY_PRIOR_SCALE, TS_OPT_SEED, TS_OPT_SIGMA,
	TS_OPT_START, TS_OPT_STREAM, TS_OPT_SUMMARY, TS_OPT_TEE, TS_OPT_THEME,
	TS_OPT_THRESHOLD, TS_OPT_TITLE, TS_OPT_TREND_DEGREE, TS_OPT_TREND_JUMP,
	TS_OPT_TREND_WINDOW, TS_OPT_TUNE, TS_OPT_WARMUP, TS_OPT_WEEKLY, TS_OPT_WEEKS,
	TS_OPT_WIDTH, TS_OPT_WINDOW, TS_OPT_YEARLY
};

/* What every tool's main holds of its input: the rows read, the columns'
 * roles, the series, the output columns. Starts zeroed ({ 0 }). */
struct ts_cli_input {
	struct ts_table tab;
	struct ts_roles roles;
	struct ts_groups groups;
	struct ts_outcols outcols;
};

/* What the jobs over one batch of series read: the tool's cli, and the
 * table, roles and series of the batch (the first batch: main's input; a
 * later --grouped batch: its own table and series, set by its ts_cli_bind_fn). */
struct ts_cli_view {
	struct ts_cli *cli;
	const struct ts_table *tab;
	const struct ts_roles *roles;
	const struct ts_groups *groups;
};

/* The view of in for the jobs of the first batch. */
struct ts_cli_view ts_cli_view_of(struct ts_cli *c, const struct ts_cli_input *in);

/* A job's series: group gi of v loaded into s (ts_series_load) with
 * --epoch, --tz and --skip-bad as given, each row skipped warned about
 * into msg. 0 or ts_series_load's error. */
int ts_cli_load_series(const struct ts_cli_view *v, size_t gi, struct ts_buf *msg, struct ts_series *s,
		       struct ts_err *err);

/* Rows skipped in each series of a batch, each job writing its own slot:
 * ts_cli_skip_counts makes the slots (zeroed, one a series of g; NULL when
 * out of memory), ts_cli_skip_total adds them up. */
size_t *ts_cli_skip_counts(const struct ts_groups *g);
size_t ts_cli_skip_total(const size_t *counts, const struct ts_groups *g);

/* Free what in holds (each part may still be zeroed); in is zeroed after. */
void ts_cli_input_free(struct ts_cli_input *in);

/* Set up c for a tool (synopsis and help are static strings). */
void ts_cli_init(struct ts_cli *c, const char *prog, const char *synopsis, const char *help);

/* Before ts_cli_getopt, for a tool without ts_cli_run_groups: --progress and
 * --no-progress are not among its options. */
void ts_cli_no_progress(struct ts_cli *c);

/* getopt_long over the tool's options merged with the common ones (-t -y -k -d
 * -j -v --tz --epoch --skip-bad -h --help --version). tool_options lists the
 * tool's long options (enum ts_opt, ending with 0); one whose letter is in
 * tool_short returns the letter, the others their TS_OPT_ code. Common options
 * are handled here (-h prints usage and exits 0, --version likewise; an unknown
 * option or a bad value for a common one prints a message and the synopsis to
 * stderr and exits 2); the tool's own option codes are returned; -1 at the end,
 * *argc and *argv then being the operands (what follows the options). */
int ts_cli_getopt(struct ts_cli *c, int *argc, char ***argv,
		  const int *tool_options, const char *tool_short);

/* After options: open --tz. Exits 2 with a message on error. */
void ts_cli_setup(struct ts_cli *c);

/* Open the input path for reading, "-" being standard input; *name is what
 * messages call it ("<stdin>" for standard input). Exits 2 with "PATH:
 * REASON" when it cannot be opened. ts_cli_close_input closes it (not stdin). */
FILE *ts_cli_open_input(const struct ts_cli *c, const char *path, const char **name);
void ts_cli_close_input(FILE *f);

/* Read every operand (none: stdin; "-": stdin) into t. Exits 2 on error;
 * with --skip-bad, ragged rows and an unterminated last row are warned
 * about and counted in t->skipped instead (ts_table_read_skip).
 * With --grouped and -k, t gets only the first batch of whole series (at
 * least its first 100 rows, or all); the rest is read on a thread of its own
 * and run by ts_cli_run_feed, unless ts_cli_whole_input asks for it all. */
void ts_cli_read_inputs(struct ts_cli *c, int argc, char **argv, struct ts_table *t);

/* After ts_cli_read_inputs, for a tool that needs every row before its
 * first series (why says what, for -v): with --grouped, read the rest into
 * t, saying so under -v ("prog: --grouped: reading the whole input: WHY");
 * otherwise nothing. Exits 2 on an error of the input. */
void ts_cli_whole_input(struct ts_cli *c, struct ts_table *t, const char *why);

/* Resolve -t -y -k against t. Exits 2 on error: a column error (no such
 * column, listing those there are) as "prog: file: message" without usage
 * text, since the data, not the command line, may be what is wrong; too many
 * -k columns as a usage error. */
void ts_cli_roles(struct ts_cli *c, const struct ts_table *t, struct ts_roles *roles);

/* For tools that need a value column: exit 2 with "prog: file: no value
 * column: give -y (columns: ...)" when roles has none. */
void ts_cli_need_value(const struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles);

/* Print err about the input as a whole (its file set to t's first input when
 * unset) as "prog: file: message", no usage text; exit 2. */
_Noreturn void ts_cli_fail_input(const struct ts_cli *c, const struct ts_table *t, struct ts_err *err);

/* As ts_cli_fail_input with a printf-style message (a data error). */
_Noreturn void ts_cli_data_error(const struct ts_cli *c, const struct ts_table *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The number of worker threads -j asks for. */
size_t ts_cli_threads(const struct ts_cli *c);

/* "now" for --start/--end: TS_NOW (an ISO timestamp) when set, else the clock.
 * Exits 2 when TS_NOW does not parse. */
ts_time ts_cli_now(const struct ts_cli *c);

/* Print "prog: message" plus the synopsis and a --help hint to stderr; exit 2. */
_Noreturn void ts_cli_usage_error(const struct ts_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print err as "prog: file:line: message" (location parts when known); exit 2. */
_Noreturn void ts_cli_fail(const struct ts_cli *c, const struct ts_err *err);

/* Append err as a message line ("prog: file:line: message\n") to out; prefix
 * "warning: " when warning is true. Used by jobs that buffer their messages. */
void ts_cli_message(const char *prog, const struct ts_err *err, bool warning, struct ts_buf *out);

/* A job's message buffer, the ctx of ts_load_opts.warn in jobs run by ts_pool_run. */
struct ts_cli_msgs {
	const char *prog;
	struct ts_buf *msg;
};

/* ts_load_opts.warn callback: append err as a warning line to the
 * struct ts_cli_msgs that ctx points to. */
void ts_cli_warn_into(void *ctx, const struct ts_err *err);

/* How jobs read their series: --epoch, --tz and --skip-bad as given, skipped
 * rows reported as warnings into msgs (which must outlive the load). */
struct ts_load_opts ts_cli_load_opts(const struct ts_cli *c, struct ts_cli_msgs *msgs);

/* Write "series \"k1,k2\"" for keyed input, else the first input's name,
 * into label: how messages name group gi. */
void ts_cli_series_label(const struct ts_table *t, const struct ts_roles *roles,
			 const struct ts_groups *g, size_t gi, struct ts_buf *label);

/* Print a warning line built from err to stderr. */
void ts_cli_warn(const struct ts_cli *c, const struct ts_err *err);

/* Parse a decimal integer option value in [min, max] (strtonum-style). Exits 2
 * with "prog: OPTION: invalid value \"X\" (expected MIN..MAX)" when it is not. */
long long ts_cli_int(const struct ts_cli *c, const char *option, const char *arg,
		     long long min, long long max);

/* Flags of ts_cli_double. */
#define TS_CLI_OPEN_MIN 1u	/* min itself is refused */
#define TS_CLI_OPEN_MAX 2u	/* max itself is refused */
#define TS_CLI_PERCENT 4u	/* "5%" reads as 0.05 */

/* Parse a number option value in [min, max] (flags may open either end or
 * take a percentage); NaN, an empty value and trailing text are refused.
 * Exits 2 with "prog: OPTION: invalid value \"X\" (expected EXPECT)", EXPECT
 * being expect or, when NULL, "MIN..MAX" (", or a percentage" with
 * TS_CLI_PERCENT). */
double ts_cli_double(const struct ts_cli *c, const char *option, const char *arg, double min,
		     double max, unsigned flags, const char *expect);

/* One word an option takes, and what it stands for; a table of them ends
 * with a NULL word. Hidden words (aliases) are taken but not listed. */
struct ts_cli_word {
	const char *word;
	int value;
	bool hidden;
};

/* The value of the word arg in words. Exits 2 with "prog: OPTION: invalid
 * value \"X\" (expected a, b or c)", the list drawn from the table. */
int ts_cli_choice(const struct ts_cli *c, const char *option, const char *arg,
		  const struct ts_cli_word *words);

/* --boxcox auto|LAMBDA: *is_auto, or a finite lambda in
 * [-TS_BOXCOX_MAX_LAMBDA, TS_BOXCOX_MAX_LAMBDA] (boxcox.h). Exits 2 with
 * "prog: OPTION: MESSAGE" from ts_boxcox_parse otherwise. */
void ts_cli_boxcox(const struct ts_cli *c, const char *option, const char *arg, bool *is_auto,
		   double *lambda);

/* The decimal integer in environment variable name, when it is set, is all
 * digits (leading blanks and a sign as strtoll reads them) and lies in
 * [min, max]: then true and *out; else false (the caller's default stands). */
bool ts_cli_env_int(const char *name, long long min, long long max, long long *out);

/* Parse a duration option value; exits 2 with the parser's message. */
void ts_cli_dur(const struct ts_cli *c, const char *option, const char *arg, struct ts_dur *d);

/* Flush and close stdout; on a write error print it and return 2, else status.
 * A closed pipe (EPIPE) ends quietly. */
int ts_cli_finish(const struct ts_cli *c, int status);

/* Write buffered output to stdout; on failure print the error and exit 2. */
void ts_cli_write(const struct ts_cli *c, struct ts_buf *out);

/* Write out to stdout now and flush (ctx: the struct ts_cli; the signature
 * of a streaming reader's chunk callback). A reader that went away ends the
 * run as a closed pipe ends any filter (SIGPIPE), even when the signal was
 * ignored; another write error exits 2 with its message. Returns 0. */
int ts_cli_flush_now(struct ts_buf *out, void *ctx, struct ts_err *unused);

/* Hold the output header back (c takes header's bytes; header is left
 * empty) until the first ts_cli_emit with rows, or ts_cli_release_header: a
 * tool whose first series fails then writes no header before its message. */
void ts_cli_hold_header(struct ts_cli *c, struct ts_buf *header);

/* The body of a ts_emit_fn: the job's messages to stderr, then, when it has
 * rows, the held header (once) and the rows to stdout. Returns 0 or
 * ts_buf_flush's error. */
int ts_cli_emit(struct ts_cli *c, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err);

/* Run job over the groups of g on -j's threads (ts_pool_run), each group's
 * messages and rows delivered by ts_cli_emit in group order, with a progress
 * line on stderr as c->progress says (lib/progress: series done, rows/s,
 * ETA; moved out of the way of messages and rows, erased at the end).
 * Returns 0 or the first failing job's error (in err). */
int ts_cli_run_groups(struct ts_cli *c, const struct ts_groups *g, ts_job_fn job, void *ctx,
		      struct ts_err *err);

/* How ts_cli_run_feed makes the jobs' context for a batch after the first
 * (its table and groups, which outlive it) from the first batch's ctx, which
 * it only reads: skipped holds a zeroed slot a series of groups where the
 * jobs may count the rows --skip-bad left out. NULL: out of memory. The
 * context is freed with free() once the batch's groups are written (or the
 * run stopped); the series of later batches and the rows counted in their
 * slots go to later_series and later_skipped. */
typedef void *(*ts_cli_bind_fn)(const void *ctx, const struct ts_table *tab,
				const struct ts_groups *groups, size_t *skipped);

/* ts_cli_run_groups over the first batch's groups g (with ctx),
 * then, with --grouped, over each later batch's (roles resolved on the
 * first), all delivered in input order by ts_cli_emit while the reader
 * reads ahead: each batch's warnings about skipped rows before its series.
 * Returns 0 or the first error (a failing job's, or the input's after
 * every series before it was written). */
int ts_cli_run_feed(struct ts_cli *c, const struct ts_roles *roles, const struct ts_groups *g, ts_job_fn job,
		    void *ctx, ts_cli_bind_fn bind, struct ts_err *err);

/* A tool's run over its input: the header (when not NULL) held back as
 * ts_cli_hold_header does, ts_cli_run_feed, then the header written if no
 * rows were (ts_cli_release_header). Exits 2 with the run's error. */
void ts_cli_run_all(struct ts_cli *c, struct ts_buf *header, const struct ts_roles *roles,
		    const struct ts_groups *g, ts_job_fn job, void *ctx, ts_cli_bind_fn bind);

/* "prog: warning: skipped N bad row(s)" on stderr when n > 0 (--skip-bad). */
void ts_cli_warn_skipped(const struct ts_cli *c, size_t n);

/* The message for an input with a header and no rows: "prog: warning:
 * FILE: no data rows" on stderr; with text (not NULL) appended after ": ". */
void ts_cli_warn_no_data(const struct ts_cli *c, const struct ts_table *t, const char *text);

/* The same as an error (exit 2): "prog: FILE: no data rows: TEXT", for a
 * tool to which an empty input is trouble (a dead feed is not all clear). */
_Noreturn void ts_cli_fail_no_data(const struct ts_cli *c, const char *file, const char *text);

/* Append "series \"k1,k2\": " to b for keyed input (nothing otherwise): the
 * prefix of a message about one series of group gi. */
void ts_cli_series_prefix(const struct ts_table *t, const struct ts_roles *roles,
			  const struct ts_groups *g, size_t gi, struct ts_buf *b);

/* Prefix err's message with ts_cli_series_prefix (keyed input only), cut to
 * fit as a message: "series \"k\": MESSAGE". */
void ts_cli_name_series(const struct ts_table *t, const struct ts_roles *roles,
			const struct ts_groups *g, size_t gi, struct ts_err *err);

/* After a run that went well: write the header if no rows did (exits 2 on a
 * write error). */
void ts_cli_release_header(struct ts_cli *c);

/* Whether a job should pass its series through rather than fail the run:
 * the series cannot be processed (rc is TS_EDATA: too short, constant, no
 * interval, ...; malformed input, TS_EINPUT, stays fatal) and the input is
 * keyed (-k), so other series go on. */
bool ts_cli_can_pass(const struct ts_roles *roles, int rc);

/* Series gi could not be processed (err, a TS_EDATA): name it once, count
 * it, and pass it through. Appends "prog: file[:line]: k=v[,k2=v2]: message;
 * passed through" (no "k=v: " without keys) to msg (file: err's, else the series' input) and, when o
 * is not NULL, the series' rows as ts_series_load reads them (rows
 * --skip-bad skipped stay out), in input order, with every added column of
 * o empty, to out. Safe on worker threads: it touches only out, msg and
 * c's atomic count. */
void ts_cli_pass_series(struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles,
			const struct ts_groups *g, size_t gi, const struct ts_err *err,
			const struct ts_outcols *o, struct ts_buf *out, struct ts_buf *msg);

/* The rows ts_cli_pass_series passes through, alone: for a tool that writes
 * them later than it names the series. */
void ts_cli_pass_rows(const struct ts_cli *c, const struct ts_table *t, const struct ts_roles *roles,
		      const struct ts_groups *g, size_t gi, const struct ts_outcols *o,
		      struct ts_buf *out);

/* After the run over in: warn about the rows --skip-bad left out (in in's
 * table, in later batches, and jobs_skipped: those the first batch's jobs
 * counted), as ts_cli_warn_skipped; then, when series were passed through,
 * print "prog: N of M series passed through" (M: in's series and later
 * batches') and return TS_EXIT_TROUBLE, unless status is TS_EXIT_FOUND
 * (anomalies page first); else status. */
int ts_cli_run_status(struct ts_cli *c, const struct ts_cli_input *in, size_t jobs_skipped, int status);

#endif
