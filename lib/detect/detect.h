/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detect: the batch anomaly detectors of ts-detect behind one operation
 * table (band, esd, sigma, iqr, mad, rule, wow, level-shift, new-high,
 * new-low), their combination, the post filters and the --last window. */
#ifndef TS_DETECT_H
#define TS_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "detect/esd.h"
#include "detect/expr.h"
#include "io/tstime.h"

enum ts_detect_method {
	TS_DETECT_SURPRISE,
	TS_DETECT_BAND,
	TS_DETECT_ESD,
	TS_DETECT_SIGMA,
	TS_DETECT_IQR,
	TS_DETECT_MAD,
	TS_DETECT_RULE,
	TS_DETECT_WOW,
	TS_DETECT_LEVEL_SHIFT,
	TS_DETECT_NEW_HIGH,
	TS_DETECT_NEW_LOW,
	TS_DETECT_NMETHODS
};

enum ts_direction { TS_DIR_BOTH, TS_DIR_UP, TS_DIR_DOWN };

/* The columns ts-detect adds, in order: anomaly, score, expected, lower,
 * upper (the first TS_DETECT_NNUMERIC, numbers) and reason. */
#define TS_DETECT_NCOLUMNS 6
#define TS_DETECT_NNUMERIC 5
extern const char *const ts_detect_columns[TS_DETECT_NCOLUMNS];

/* The default false-alarm rate of surprise, sigma and mad: the share of
 * ordinary rows flagged when a series behaves as in its history. */
#define TS_DETECT_ALPHA 1e-4

/* surprise: the share of a series' history its fitted tail holds, and the
 * fewest rows of history it is fitted on (fewer: it is fitted on all rows,
 * the judged ones too). */
#define TS_SURPRISE_TAIL 0.1
#define TS_SURPRISE_MIN_HISTORY 24

/* Longest reason text, NUL included. */
#define TS_REASON_MAX 96

/* Without -p, a longer seasonal period (a week of hourly data, a year of
 * daily) joins the decomposition only when the series holds this many of
 * its cycles: with fewer, its seasonal takes in a share of every spike and
 * of the noise, and the remainder it is measured against shrinks. */
#define TS_DETECT_MIN_CYCLES 4

/* The seasonal periods in points for a series of npoints on interval that
 * spans span (period.h's choice), the longer one only with
 * TS_DETECT_MIN_CYCLES of its cycles; ascending in periods. Returns how
 * many (0: none). */
size_t ts_detect_default_periods(const struct ts_dur *interval, ts_time span, size_t npoints,
				 size_t periods[2]);

/* Names the rule resolver gives ids below TS_EXPR_FIRST_COLUMN; an input
 * column c has id TS_EXPR_FIRST_COLUMN + c. */
enum ts_rule_name {
	TS_RULE_Y, TS_RULE_YHAT, TS_RULE_LOWER, TS_RULE_UPPER, TS_RULE_TREND, TS_RULE_SEASONAL,
	TS_RULE_REMAINDER, TS_RULE_PREV, TS_RULE_RATIO, TS_RULE_DELTA,
	TS_EXPR_FIRST_COLUMN
};

/* The id of a built-in rule name (y, yhat, lower, upper, trend, seasonal,
 * remainder, prev, ratio, delta), or -1. */
int ts_rule_builtin(const char *name);

struct ts_detect_series;
struct ts_detect_opts;
struct ts_detect_result;
struct ts_detect_ctx;	/* what one ts_detect_run shares between its methods */

/* One entry of the operation table, which ts_detect_run dispatches through:
 * adding a detector is a row there and its run function. */
struct ts_detect_op {
	const char *name;		/* as -m takes it */
	enum ts_detect_method method;
	bool needs_regular;		/* refuse an irregular series before run */
	bool calibrated;		/* scores are tail probabilities already */
	int (*run)(struct ts_detect_ctx *c, struct ts_detect_result *r, struct ts_err *err);
};

/* The operation called name, or NULL. */
const struct ts_detect_op *ts_detect_op_find(const char *name);

/* The table's entry i (in -m's listing order), or NULL past its end. */
const struct ts_detect_op *ts_detect_op_at(size_t i);

/* Parse "esd,wow" into methods[] (at most TS_DETECT_NMETHODS, no repeats).
 * Error TS_EUSAGE "unknown method \"x\" (expected band, esd, ...)". */
int ts_detect_methods_parse(const char *spec, enum ts_detect_method *methods, size_t *n,
			    struct ts_err *err);

enum ts_last_kind { TS_LAST_ALL, TS_LAST_ROWS, TS_LAST_DUR };

/* Everything the detectors are asked, resolved for one series (periods and
 * windows in points). Fields irrelevant to the chosen methods are ignored. */
struct ts_detect_opts {
	enum ts_detect_method methods[TS_DETECT_NMETHODS];
	size_t nmethods;
	enum ts_direction direction;
	double band_scale;		/* band: widen by K (1) */
	/* esd */
	double max_anoms;		/* 0.10 */
	double alpha;			/* false-alarm rate per row (NAN: the method's
					 * default, TS_DETECT_ALPHA; esd 0.05) */
	enum ts_esd_threshold threshold;
	bool piecewise;
	struct ts_dur piecewise_dur;
	/* sigma, iqr, mad */
	double sigma_k;			/* NAN: the bar the series' own tail puts at alpha */
	double iqr_c;			/* 3 */
	bool boxcox, boxcox_auto;
	double lambda;
	size_t periods[4];		/* seasonal periods in points, ascending (0 = none) */
	size_t nperiods;
	/* rule */
	struct ts_expr *const *rules;
	size_t nrules;
	/* wow */
	struct ts_dur lag;		/* 1w */
	size_t weeks;			/* 3 */
	double drop, rise;		/* fractions: 0.10, 0.50 */
	/* level-shift */
	size_t window;			/* points (5) */
	double shift_c;			/* 6 */
	/* new-high, new-low */
	struct ts_dur history;		/* 14d */
	/* post filters */
	double min_delta;		/* 0: off */
	double min_ratio;		/* 0: off */
	size_t consecutive;		/* 0 or 1: off */
	struct ts_dur cooldown;		/* us == 0 && months == 0: off */
	enum ts_last_kind last_kind;
	size_t last_rows;
	struct ts_dur last_dur;
	/* What the caller reads: with window_only, the anomaly flags, reasons
	 * and expected values of the --last window's rows alone (ts-detect -q:
	 * the exit status, --junit, -v), so a method may leave the rest unset
	 * (NAN, not anomalous). Ignored without --last and with --consecutive
	 * or --cooldown, which read earlier rows' flags. */
	bool window_only;
};

/* Set o to the defaults above (methods empty). */
void ts_detect_opts_init(struct ts_detect_opts *o);

/* One series as the detectors see it: n points in input order; NULL column
 * arrays are columns the input does not have. */
struct ts_detect_series {
	size_t n;
	const ts_time *t;
	const double *y;		/* NaN: missing */
	struct ts_zone zone;
	struct ts_dur interval;		/* the series' interval (has_interval) */
	bool has_interval;
	bool regular;			/* sorted, on one grid of interval (gaps as NaN rows) */
	const char *irregular_msg;	/* why not, for the error of a method that needs it */
	const double *yhat, *yhat_lower, *yhat_upper;
	const double *trend, *seasonal, *remainder;
	const double *const *columns;	/* rule columns: columns[c] for input column c, or NULL */
	size_t ncolumns;
};

/* Per point results; arrays of n owned by the caller (ts_detect_result_alloc). */
struct ts_detect_result {
	size_t n;
	unsigned char *anomaly;
	double *score, *expected, *lower, *upper;
	char (*reason)[TS_REASON_MAX];
	/* After ts_detect_run with rules: one flag per term of the rules (rule
	 * by rule, each in ts_expr_var order; ts_detect_rule_terms of them), 1
	 * when the term had a value on a row with a value. NULL without rules. */
	unsigned char *rule_seen;
};

/* How many terms (variables) o's rules have in all. */
size_t ts_detect_rule_terms(const struct ts_detect_opts *o);

int ts_detect_result_alloc(struct ts_detect_result *r, size_t n, struct ts_err *err);
void ts_detect_result_free(struct ts_detect_result *r);

/* Run every method of o on s and combine them into r: a point is anomalous
 * when any method says so; score, expected, lower and upper come from the
 * first method (in o's order) that flags it, else from the first method;
 * reasons of all flagging methods are joined with "; ". Then the post
 * filters, in order: --min-delta, --min-ratio (|y - expected| against X and
 * R |expected|, kept when expected is unknown), --consecutive N (a point
 * stays only when it and the N - 1 points before it are anomalous),
 * --cooldown (points within the cooldown after a kept one are dropped), and
 * the --last window (earlier points are never anomalous). A rule's reason is
 * "rule: " and its text, or, when an "or" in it held by some of its operands
 * only, the part that held (ts_expr_explain). Points whose y is
 * missing are never anomalous. Errors: TS_EDATA from a method (e.g. "band
 * needs yhat_lower and yhat_upper columns (run ts-forecast first)", the
 * irregular message, "esd needs more than two periods ..."), TS_ENOMEM. */
int ts_detect_run(const struct ts_detect_series *s, const struct ts_detect_opts *o,
		  struct ts_detect_result *r, struct ts_err *err);

/* Mark in in_window[0..n) the points of s inside o's --last window: the
 * last N points in time order, or those less than DUR before, ending at the
 * last point that has a value (all points without --last). Allocates. */
int ts_detect_last_window(const struct ts_detect_series *s, const struct ts_detect_opts *o,
			  unsigned char *in_window, struct ts_err *err);

#endif
