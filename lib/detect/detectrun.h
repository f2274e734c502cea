/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detectrun: ts-detect's batch work around the detectors: the forecast and rule
 * columns found and read, a series' periods and window, its rows, and options that reach past the input. */
#ifndef TS_DETECTRUN_H
#define TS_DETECTRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "detect/detect.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "series/period.h"
#include "detect/stream.h"

/* The input columns the detectors read besides time and value: the
 * forecast's (TS_NO_COL when absent) and the rules'. */
struct ts_detectrun_cols {
	size_t yhat, lower, upper, trend, seasonal, remainder;
	bool *rule_col;			/* per input column: a rule reads it (bind_rules) */
};

/* The columns named yhat, yhat_lower, yhat_upper, trend, seasonal and
 * remainder (a header that is a number is not the name); rule_col NULL. */
void ts_detectrun_find_columns(const struct ts_table *tab, struct ts_detectrun_cols *c);

/* Without -m (!given) the methods are rule with rules, surprise with a yhat
 * column, else sigma; with -m and rules, rule is added when missing. Then
 * each method's needs are checked: TS_EUSAGE "-m rule needs --rule EXPR",
 * TS_EDATA "band needs yhat_lower and yhat_upper columns (run ts-forecast
 * first)" or "surprise needs a yhat column (run ts-forecast first)". */
int ts_detectrun_methods(struct ts_detect_opts *d, bool given, const struct ts_detectrun_cols *c,
			 struct ts_err *err);

/* Bind d->rules to the columns (yhat, yhat_lower and yhat_upper only where
 * present) and mark in c->rule_col (allocated here) those they read.
 * Returns 0; TS_ENOMEM; or ts_expr_bind's error, *failed the rule's index. */
int ts_detectrun_bind_rules(const struct ts_detect_opts *d, const struct ts_table *tab,
			    struct ts_detectrun_cols *c, size_t *failed, struct ts_err *err);

/* Options that reach past the input leave every row unjudged and the exit
 * status 0: a level-shift --window (counts: half the longest series' rows;
 * durations: twice it within the input's span), a new-high/new-low
 * --history, a wow --lag, a rule's lag(N) or lag(DUR). The *_spec are the
 * options as given (NULL: not given). Returns 0 or TS_EUSAGE with the
 * message (no file). */
struct ts_detectrun_reach {
	const struct ts_detect_opts *d;		/* methods, history, lag, rules */
	const struct ts_span *window;		/* when window_spec */
	const char *window_spec, *history_spec, *lag_spec;
	enum ts_epoch epoch;
	const struct ts_zone *zone;		/* --tz, or NULL */
};
int ts_detectrun_check_reach(const struct ts_detectrun_reach *r, const struct ts_table *tab,
			     const struct ts_roles *roles, const struct ts_groups *groups,
			     struct ts_err *err);

/* How every series of a batch run is judged. */
struct ts_detectrun {
	const struct ts_table *tab;
	const struct ts_detectrun_cols *cols;
	const struct ts_detect_opts *d;		/* periods and window: from below */
	struct ts_span periods[4];		/* -p, or nperiods 0: from the interval */
	size_t nperiods;
	bool period_none;			/* -p none */
	struct ts_span window;			/* --window, when have_window */
	bool have_window;
};

/* Parse --last N|DUR into d. Returns 0, or -1 (the caller words it). */
int ts_detectrun_last(const char *arg, struct ts_detect_opts *d);

/* Parse one --rule and add it to d's rules (*cap: their capacity). Returns
 * 0; TS_EUSAGE when it does not parse (ts_expr_parse's message in err, even
 * out of memory); or TS_ENOMEM when the list cannot grow. */
int ts_detectrun_add_rule(struct ts_detect_opts *d, size_t *cap, const char *text, struct ts_err *err);
void ts_detectrun_free_rules(struct ts_detect_opts *d);

/* The output columns: the input's and ts_detect_columns, the numeric ones so marked. */
int ts_detectrun_outcols_init(struct ts_outcols *o, const struct ts_table *t, struct ts_err *err);

/* One series judged. Zero-initialised; ts_detectrun_series_free after. */
struct ts_detectrun_series {
	struct ts_detect_series ds;
	struct ts_detect_opts opts;		/* with this series' periods and window */
	struct ts_detect_result res;
	size_t found;				/* anomalous rows */
	double *cols[6];			/* yhat ... remainder, as ts_detectrun_cols */
	double **rcols;				/* rule columns */
	size_t ncols;
};

/* Judge the series s (loaded from dr->tab): its extra columns read (a bad
 * number: TS_EINPUT at its line), its grid, periods (ascending) and window
 * in points, then ts_detect_run (an irregular series refused: located at the
 * row off the grid). "no rows left to judge" (TS_EDATA) when s is empty. */
int ts_detectrun_series(const struct ts_detectrun *dr, const struct ts_series *s,
			struct ts_detectrun_series *r, struct ts_err *err);
void ts_detectrun_series_free(struct ts_detectrun_series *r);

/* Which rule terms had a value, so that a term empty on every row of every
 * judged series is told once. A run keeps ts_detectrun_terms_stride(d)
 * zeroed bytes, one slot per series or one for all; each judged series r
 * marks its terms in a slot with ts_detectrun_note_terms (OR-ed, under a
 * lock: series on several threads may share a slot). */
size_t ts_detectrun_terms_stride(const struct ts_detect_opts *d);
void ts_detectrun_note_terms(const struct ts_detectrun_series *r, unsigned char *slot);

/* After the run: the next term (from *next, a cursor starting at 0) that no
 * judged series of nseries had a value for, when some series was judged,
 * worded in warn (TS_EDATA, no file): "--rule \"R\": \"T\" is empty on every
 * row: comparisons on it never hold" (for ratio and delta: "... every row (it
 * needs the value one season earlier: is the period longer than the data?):
 * ...").
 * A term in several rules is told for the first. Returns false when there is
 * none left. */
bool ts_detectrun_empty_term(const struct ts_detect_opts *d, const unsigned char *slots,
			     size_t nseries, size_t *next, struct ts_err *warn);

/* The rows of s with the added columns (only: anomalous ones). */
void ts_detectrun_write_rows(const struct ts_detectrun_series *r, const struct ts_series *s,
			     const struct ts_outcols *oc, const struct ts_table *tab, bool only,
			     struct ts_buf *out);

/* Tell junit (case gi) of each anomalous row of s. */
struct ts_junit;
void ts_detectrun_junit(const struct ts_detectrun_series *r, const struct ts_series *s, struct ts_junit *junit,
			size_t gi, const struct ts_table *tab, const struct ts_roles *roles);

/* The -v line: "PROG: LABEL: N rows, K anomalies, interval I, period P,Q"
 * and " (irregular)" when off the grid; at most 511 bytes. */
void ts_detectrun_describe(const struct ts_detectrun_series *r, const char *prog, const char *label,
			   struct ts_buf *msg);

/* ts-detect --stream's model parameters from the batch options: the alarm
 * level from --sigma K (the two-sided Gaussian tail of K, when have_sigma),
 * else --alpha, else TS_STREAM_P_ALARM; up to two -p spans (fixed durations
 * or counts); --warmup (NULL: none; rows, or a fixed duration). Returns 0,
 * or TS_EUSAGE for a -p or --warmup in months. */
int ts_detectrun_stream_params(const struct ts_detect_opts *d, bool have_sigma, const struct ts_span *periods,
			       size_t nperiods, bool period_none, const struct ts_span *warmup,
			       struct ts_stream_params *p, struct ts_err *err);

#endif
