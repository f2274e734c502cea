/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decomprun: ts-decompose's work on one loaded series: its periods (given, from
 * the interval, found, none), the STL/MSTL parameters, and its rows or summary line. */
#ifndef TS_DECOMPRUN_H
#define TS_DECOMPRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "series/decompose.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "series/period.h"

/* Where the seasonal periods come from. */
enum ts_decomprun_pmode {
	TS_DECOMPRUN_INFER,	/* from the interval (ts_periods_for_interval) */
	TS_DECOMPRUN_GIVEN,	/* -p: counts or durations */
	TS_DECOMPRUN_AUTO,	/* found in the data (ts_period_auto) */
	TS_DECOMPRUN_NONE	/* trend only */
};

/* How every series is decomposed: the options, as given. */
struct ts_decomprun_opts {
	enum ts_decomprun_pmode pmode;
	struct ts_span periods[TS_DECOMP_MAX_PERIODS];	/* TS_DECOMPRUN_GIVEN */
	size_t nperiods;
	struct ts_span swin[TS_DECOMP_MAX_PERIODS];	/* odd counts of cycles, or periodic */
	size_t nswin;
	bool have_twin, have_lwin;
	struct ts_span twin, lwin;	/* odd counts, or durations */
	int sdeg, tdeg, ldeg;		/* -1: default */
	size_t sjump, tjump, ljump;	/* 0: default */
	long long inner, outer;		/* -1: default */
	bool robust;
	size_t iterate;			/* 0: default */
	bool boxcox, boxcox_auto;
	double lambda;
	enum ts_decomp_method method;
	bool weights;			/* rows carry the weight column */
	size_t threads;			/* a long series' smooths may use (ts_stl_params) */
};

/* Every option at its default (periods from the interval, plain STL). */
void ts_decomprun_opts_init(struct ts_decomprun_opts *o);

/* What one series came to. Zero-initialised before ts_decomprun_series;
 * d is freed by the caller (ts_decomp_free), on failure too. */
struct ts_decomprun_series {
	size_t asked[TS_DECOMP_MAX_PERIODS];	/* the periods asked for it, ascending */
	size_t nasked;
	struct ts_decomp d;
	bool decomposed;
	struct ts_dur interval;		/* when have_interval */
	bool have_interval;
	const char *source;		/* where the periods came from: "from -p", ... */
	double acf;			/* TS_DECOMPRUN_AUTO: the period's autocorrelation, else NaN */
	size_t bad;			/* on error: the point at fault, else SIZE_MAX */
	const char *suffix;		/* on error: what the message ends with ("" or a hint) */
};

/* Decompose the series s as o says: its grid checked (irregular: TS_EDATA
 * with suffix "; run ts-fill first"), its periods chosen, durations turned
 * into points at its interval, then ts_decompose. Errors are TS_EDATA about
 * the series (bad set when about one point: irregular time, bad value),
 * TS_ENOMEM, without file or line. */
int ts_decomprun_series(const struct ts_series *s, const struct ts_decomprun_opts *o,
			struct ts_decomprun_series *r, struct ts_err *err);

/* The -v text about a decomposed series, without its label: "N points, M
 * missing, interval I, periods P,Q (source, autocorrelation A), Box-Cox
 * lambda L", appended to b (not terminated). */
void ts_decomprun_describe(const struct ts_series *s, const struct ts_decomprun_series *r,
			   struct ts_buf *b);

/* The columns a run adds to every row. */
struct ts_decomprun_layout {
	size_t ncols;				/* seasonal columns */
	size_t colp[TS_DECOMP_MAX_PERIODS * 4];	/* their periods, ascending */
	bool fixed;				/* -p all counts: the list itself */
	size_t nadded;				/* trend, seasonal(s), remainder, weight */
	const char *added[TS_DECOMP_MAX_PERIODS * 4 + 3];
	char names[TS_DECOMP_MAX_PERIODS * 4][40];
	bool weights;
};

/* The seasonal columns are the union of the periods asked for each series
 * decomposed, or the -p list itself when it is all counts: begin, add each
 * series' asked periods (ignored when fixed), end. With none known under
 * TS_DECOMPRUN_INFER or TS_DECOMPRUN_GIVEN one "seasonal" column is kept so
 * pipelines find it. One column is named "seasonal", several "seasonal_P". */
void ts_decomprun_columns_begin(struct ts_decomprun_layout *l, const struct ts_decomprun_opts *o);
void ts_decomprun_columns_add(struct ts_decomprun_layout *l, const size_t *asked, size_t nasked);
void ts_decomprun_columns_end(struct ts_decomprun_layout *l, const struct ts_decomprun_opts *o);

/* Whether an added column (trend, remainder, seasonal, seasonal_N, weight
 * when weights) could take this name. */
bool ts_decomprun_output_name(const char *name, bool weights);

/* The rows[0..nrows) of series s with the added columns; empty where a
 * point is missing from s or r is NULL (not decomposed). The rows are those
 * s was loaded from, or any run of them in order, so a long series can be
 * written a piece at a time. */
void ts_decomprun_write_rows(const struct ts_decomprun_layout *l, const struct ts_outcols *oc,
			     const struct ts_table *tab, const size_t *rows, size_t nrows,
			     const struct ts_series *s, const struct ts_decomprun_series *r,
			     struct ts_buf *out);

/* The --summary header: the key columns, period, seasonal_strength,
 * trend_strength, remainder_sigma, n, missing, and lambda with boxcox. */
void ts_decomprun_summary_header(const struct ts_table *tab, const struct ts_roles *roles, bool boxcox,
				 struct ts_buf *out);

/* The --summary line of the series starting at table row first with n
 * points: figures from sum when r is not NULL (decomposed), else empty. */
void ts_decomprun_summary_line(const struct ts_table *tab, const struct ts_roles *roles, size_t first,
			       size_t n, const struct ts_decomprun_series *r,
			       const struct ts_decomp_summary *sum, bool boxcox, struct ts_buf *out);

#endif
