/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fill: turning one series into a regular grid: wall-clock buckets, the
 * aggregation of rows sharing a bucket, and the filling of empty buckets. */
#ifndef TS_FILL_H
#define TS_FILL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "series/period.h"
#include "io/tstime.h"

enum ts_agg_kind {
	TS_AGG_SUM, TS_AGG_MEAN, TS_AGG_MIN, TS_AGG_MAX, TS_AGG_COUNT,
	TS_AGG_FIRST, TS_AGG_LAST, TS_AGG_MEDIAN, TS_AGG_QUANTILE, TS_AGG_UNIQ
};

/* How rows sharing a bucket combine: FUNC, or FUNC:COL. */
struct ts_agg {
	enum ts_agg_kind kind;
	double q;		/* TS_AGG_QUANTILE: 0..1 (p95 -> 0.95) */
	const char *col_spec;	/* the column as given after "FUNC:" (always for uniq),
				 * or NULL: the value column (count: the rows) */
	size_t func_len;	/* bytes of the function's text at the start of the spec */
};

/* Parse FUNC or FUNC:COL, FUNC one of sum|mean|min|max|count|first|last|
 * median|pNN|uniq (pNN: 0..100, decimals allowed, e.g. p99.9; uniq needs
 * its :COL). agg->col_spec points into s. Error TS_EUSAGE "unknown
 * aggregation \"X\" (...)". */
int ts_agg_parse(const char *s, struct ts_agg *agg, struct ts_err *err);

#define TS_AGG_LIST_MAX 32

/* The --agg list: every --agg adds its comma-separated items. */
struct ts_agg_list {
	size_t n;
	struct ts_agg items[TS_AGG_LIST_MAX];
	char *texts[TS_AGG_LIST_MAX];	/* the items' own copies of their text */
};

/* Add the items of spec ("count,uniq:user_id,sum:bytes,p99:latency") to
 * list. Errors TS_EUSAGE: ts_agg_parse's, "at most 32 aggregations",
 * "\"X\" given twice"; TS_ENOMEM. */
int ts_agg_list_add(struct ts_agg_list *list, const char *spec, struct ts_err *err);
void ts_agg_list_free(struct ts_agg_list *list);

enum ts_fill_kind {
	TS_FILL_NONE, TS_FILL_ZERO, TS_FILL_PREV, TS_FILL_NEXT, TS_FILL_LINEAR,
	TS_FILL_SEASONAL, TS_FILL_VALUE
};

struct ts_fill_method {
	enum ts_fill_kind kind;
	double value;		/* TS_FILL_VALUE */
};

/* Parse none|zero|prev|next|linear|seasonal|value:X (X a finite number).
 * Error TS_EUSAGE "unknown fill method \"X\"" or "bad fill value \"X\"". */
int ts_fill_parse(const char *s, struct ts_fill_method *m, struct ts_err *err);

/* What to do with a bucket a running clock cuts: the bucket that holds a
 * `now` (or now-DUR) --end has not ended yet, and the one that holds a
 * now-DUR --start began before it; both hold part of their data only. */
enum ts_partial { TS_PARTIAL_DROP, TS_PARTIAL_KEEP, TS_PARTIAL_MARK };

/* Parse drop|keep|mark. Error TS_EUSAGE "unknown value \"X\" (expected
 * drop, keep or mark)". */
int ts_partial_parse(const char *s, enum ts_partial *p, struct ts_err *err);

struct ts_fill_opts {
	bool have_interval;
	struct ts_dur interval;		/* -i; else inferred per series */
	struct ts_agg agg;		/* one aggregate, into the value column */
	/* Column mode (ts_fill_plan): one column per item of aggs, item j
	 * aggregating column agg_cols[j] (TS_NO_COL: count the rows). */
	size_t naggs;			/* 0: the single aggregate agg */
	const struct ts_agg *aggs;
	size_t agg_cols[TS_AGG_LIST_MAX];
	struct ts_fill_method fill;
	bool have_max_gap;
	struct ts_dur max_gap;		/* longer runs of empty buckets stay empty */
	bool have_start, have_end;
	ts_time start, end;		/* grid bounds: the buckets holding them */
	/* start/end given relative to now: instants of a running clock, not
	 * bucket labels. A bucket is then in whole or cut by them (partial). */
	bool start_is_now, end_is_now;
	enum ts_partial partial;	/* what happens to the buckets they cut */
	size_t nperiods;		/* --period for --fill seasonal; 0: from the interval */
	struct ts_span periods[4];	/* counts, or durations turned into points per series */
	size_t max_buckets;		/* refuse grids larger than this */
};

/* One series as a regular grid. order[] holds the series' point indices sorted
 * by time (input order among equal times); bucket k's points are
 * order[first[k] .. first[k] + count[k]). */
struct ts_grid {
	size_t n;
	size_t ncols;		/* aggregates per bucket: 1, or opts->naggs */
	ts_time *t;		/* bucket starts */
	double *y;		/* aggregated or filled values, NAN when empty:
				 * column j of bucket k at y[j * n + k] */
	bool *filled;		/* the bucket had no input value (in some column) */
	size_t *first;
	size_t *count;		/* input rows in the bucket */
	size_t *order;
	struct ts_dur interval;	/* given or inferred */
	bool partial_first;	/* the first bucket began before a now-DUR start */
	bool partial_last;	/* the last bucket ends after a now or now-DUR end */
};

/* What happened to one series, for -v. */
struct ts_fill_stats {
	size_t rows_in;		/* points of the series (after skipped rows) */
	size_t buckets;		/* grid rows written */
	size_t filled;		/* buckets that had no input value and got one */
	size_t empty;		/* buckets left without a value */
	size_t aggregated;	/* rows that shared a bucket with another row */
	size_t outside;		/* rows before --start or after --end */
	size_t valued;		/* buckets that had an input value (in every column) */
};

/* The warning for a series with no input value in a --start/--end window,
 * whose buckets are all made up: "no value between --start and --end: N
 * buckets, all filled with --fill M" (or "all left empty"). Returns
 * whether there is one (err filled, code TS_EDATA). */
bool ts_fill_empty_window(const struct ts_fill_opts *opts, const char *fill_spec,
			  const struct ts_fill_stats *st, struct ts_err *err);

/* Build the grid of series s. raw_events: there is no value column, so rows are
 * counted. With opts->naggs, one column per aggregate instead (errors from
 * ts_table_number for a bad number in an aggregated column). The grid runs from the bucket holding the start (or the first row)
 * to the bucket holding the end (or the last row), except for bounds relative
 * to now: with TS_PARTIAL_DROP the grid starts with the first bucket that
 * starts at or after a start_is_now start and ends with the last bucket that
 * ends at or before an end_is_now end (only complete buckets), otherwise it
 * keeps the buckets they cut and sets partial_first/partial_last. Rows
 * outside the grid are counted in st->outside. Errors: TS_EUSAGE when a
 * duration period does not divide into the interval; TS_EDATA when the
 * interval cannot be inferred (the message ends "; give -i", the option that
 * sets it) or the grid would exceed opts->max_buckets; TS_EUSAGE when start
 * is after end, or "no complete bucket of W between --start and --end
 * (--partial keep keeps the incomplete ones)". */
int ts_fill_series(const struct ts_table *tab, const struct ts_series *s, bool raw_events,
		   const struct ts_fill_opts *opts, struct ts_grid *g, struct ts_fill_stats *st,
		   struct ts_err *err);
void ts_grid_free(struct ts_grid *g);

/* Whether every bucket start of g can be written as ts_fill_write writes
 * it, as text the tools read back (years 0000-9999). TS_EDATA "bucket B
 * lies outside the years 0000-9999 timestamps can name" (B as it would be
 * written), e.g. the Monday before 0000-01-01 of a weekly grid. */
int ts_grid_check_writable(const struct ts_series *s, const struct ts_grid *g, struct ts_err *err);

/* Whether every bucket's value is a number the next tool reads: an
 * aggregate of finite values can pass DBL_MAX (--agg sum). TS_EDATA
 * "bucket B: the N values add up past the largest number", at the line of
 * the bucket's first row. */
int ts_grid_check_finite(const struct ts_table *tab, const struct ts_series *s,
			 const struct ts_grid *g, struct ts_err *err);

/* How one series' grid is written: the columns added after the input's. */
struct ts_fill_out {
	const struct ts_outcols *cols;
	size_t aggs_at;		/* index in added[] of the grid's first column ("count"
				 * for raw events, or the first of --agg's), or
				 * TS_NO_COL: the value column holds it */
	size_t filled_at;	/* index in added[] of "filled" (--mark), or TS_NO_COL */
	size_t partial_at;	/* index in added[] of "partial" (--partial mark), or TS_NO_COL */
	size_t nadded;
	bool keep_text;		/* a bucket of one untouched row keeps its value text
				 * (false for count and uniq, whose value is new) */
};

/* What ts-fill aggregates, decided once for the whole input. */
struct ts_fill_plan {
	bool event_log;		/* rows are counted into "count" */
	size_t ncols;		/* columns added for the aggregates (0: the value column) */
	char *names[TS_AGG_LIST_MAX];	/* their names */
	char why[400];		/* for -v: what was chosen and why */
};

/* Decide the aggregates of a run and fill o->agg / o->naggs / o->agg_cols.
 * roles->value may change: ts-fill's value column is -y (value_given),
 * else a column called y or value, else the first numeric column; an input
 * is an event log, counted into "count", when no column is numeric or,
 * with no --agg (aggs empty) and the value column neither given nor called
 * y or value, when two rows of a series share a bucket (groups, lo, o as
 * for the run). With a list of several aggregates, or one that names a
 * column (FUNC:COL), each gets a column of its own: "count" for count,
 * FUNC_COL (uniq_user_id, p99_latency) for FUNC:COL, FUNC_VALUE (mean_y)
 * for FUNC; a value column none of them aggregates is then not read
 * (roles->value becomes TS_NO_COL). Errors: TS_EDATA "--agg X: no column \"C\" (columns: ...)",
 * "--agg X needs a value column: give -y (columns: ...)", "--agg: two
 * aggregates named \"N\""; TS_ENOMEM. */
int ts_fill_plan(const struct ts_table *tab, struct ts_roles *roles, bool value_given,
		 const struct ts_agg_list *aggs, const struct ts_groups *groups,
		 const struct ts_load_opts *lo, struct ts_fill_opts *o, struct ts_fill_plan *plan,
		 struct ts_err *err);
void ts_fill_plan_free(struct ts_fill_plan *plan);
/* Whether ts_fill_plan, given the same arguments, looks at every series
 * (is a first numeric column, named neither y nor value, a value or an
 * event log: do two rows of some series share a bucket?), so that a tool
 * reading its input a batch at a time must read it all first. */
bool ts_fill_plan_reads_all(const struct ts_table *tab, const struct ts_roles *roles,
			    bool value_given, const struct ts_agg_list *aggs);


/* Write the grid's rows: time as the series wrote it (a date-only format gains
 * a time of day for sub-day intervals), keys from the group, the value (an
 * untouched single row keeps its original text), and each other column from
 * the bucket's rows when they all agree, else empty; created rows have them
 * empty. "filled" is 1 on a bucket that had no input value, "partial" 1 on
 * the buckets partial_first/partial_last mark; else 0. */
void ts_fill_write(const struct ts_table *tab, const struct ts_roles *roles,
		   const struct ts_series *s, const struct ts_grid *g,
		   const struct ts_fill_out *fo, struct ts_buf *out);

#endif
