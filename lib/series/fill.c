/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fill: bucket a series onto a regular wall-clock grid, aggregate rows that
 * share a bucket, fill empty buckets, and write the grid back as rows. */
#include "series/fill.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "io/csv.h"
#include "core/mem.h"
#include "series/nainterp.h"
#include "core/num.h"
#include "series/period.h"

/* The index of the word s[0..len) in words[0..n) (a NULL entry matches
 * nothing), or -1: the option words below are listed by their enum. */
static int word_index(const char *const *words, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (words[i] != NULL && strlen(words[i]) == len && memcmp(s, words[i], len) == 0)
			return (int)i;
	return -1;
}

int ts_agg_parse(const char *s, struct ts_agg *agg, struct ts_err *err)
{
	static const char *const names[] = {	/* by kind; pNN (a quantile) is read below */
		[TS_AGG_SUM] = "sum", [TS_AGG_MEAN] = "mean", [TS_AGG_MIN] = "min", [TS_AGG_MAX] = "max",
		[TS_AGG_COUNT] = "count", [TS_AGG_FIRST] = "first", [TS_AGG_LAST] = "last",
		[TS_AGG_MEDIAN] = "median", [TS_AGG_QUANTILE] = NULL, [TS_AGG_UNIQ] = "uniq",
	};
	const char *colon = strchr(s, ':');
	size_t len = colon != NULL ? (size_t)(colon - s) : strlen(s);
	int kind = word_index(names, sizeof names / sizeof names[0], s, len);
	bool known = kind >= 0;
	char quoted[64];

	memset(agg, 0, sizeof *agg);
	if (known)
		agg->kind = (enum ts_agg_kind)kind;
	if (!known && len > 1 && s[0] == 'p' && s[1] >= '0' && s[1] <= '9') {
		double pct;
		if (ts_num_parse(s + 1, len - 1, &pct) == 0 && pct >= 0 && pct <= 100) {
			agg->kind = TS_AGG_QUANTILE;
			agg->q = pct / 100;
			known = true;
		}
	}
	/* a column after the colon, always for uniq */
	if (known && (colon != NULL ? colon[1] != '\0' : agg->kind != TS_AGG_UNIQ)) {
		agg->col_spec = colon != NULL ? colon + 1 : NULL;
		agg->func_len = len;
		return 0;
	}
	memset(agg, 0, sizeof *agg);
	return ts_err_set(err, TS_EUSAGE,
			  "unknown aggregation \"%s\" (sum, mean, min, max, count, first, last, median, pNN, "
			  "uniq:COL; FUNC:COL for a column)",
			  ts_err_quote(s, strlen(s), quoted, sizeof quoted));
}

int ts_agg_list_add(struct ts_agg_list *list, const char *spec, struct ts_err *err)
{
	const char *p = spec;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char *text;
		char quoted[64];
		int rc;

		if (list->n == TS_AGG_LIST_MAX)
			return ts_err_set(err, TS_EUSAGE, "at most %d aggregations", TS_AGG_LIST_MAX);
		if ((text = ts_strndup(p, len)) == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		if ((rc = ts_agg_parse(text, &list->items[list->n], err)) != 0) {
			free(text);
			return rc;
		}
		for (size_t i = 0; i < list->n; i++) {
			if (strcmp(list->texts[i], text) == 0) {
				ts_err_set(err, TS_EUSAGE, "\"%s\" given twice",
					   ts_err_quote(text, len, quoted, sizeof quoted));
				free(text);
				return TS_EUSAGE;
			}
		}
		list->texts[list->n++] = text;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

void ts_agg_list_free(struct ts_agg_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->texts[i]);
	memset(list, 0, sizeof *list);
}

int ts_fill_parse(const char *s, struct ts_fill_method *m, struct ts_err *err)
{
	static const char *const names[] = {	/* by kind; value:X is read below */
		[TS_FILL_NONE] = "none", [TS_FILL_ZERO] = "zero", [TS_FILL_PREV] = "prev",
		[TS_FILL_NEXT] = "next", [TS_FILL_LINEAR] = "linear", [TS_FILL_SEASONAL] = "seasonal",
	};
	int kind = word_index(names, sizeof names / sizeof names[0], s, strlen(s));
	char quoted[64];

	memset(m, 0, sizeof *m);
	if (kind >= 0) {
		m->kind = (enum ts_fill_kind)kind;
		return 0;
	}
	if (strncmp(s, "value:", 6) == 0) {
		const char *v = s + 6;
		/* an infinity would be written where the next tool refuses it */
		if (ts_num_parse(v, strlen(v), &m->value) != 0 || !isfinite(m->value))
			return ts_err_set(err, TS_EUSAGE, "bad fill value \"%s\"",
					  ts_err_quote(v, strlen(v), quoted, sizeof quoted));
		m->kind = TS_FILL_VALUE;
		return 0;
	}
	return ts_err_set(err, TS_EUSAGE,
			  "unknown fill method \"%s\" (none, zero, prev, next, linear, seasonal, value:X)",
			  ts_err_quote(s, strlen(s), quoted, sizeof quoted));
}

int ts_partial_parse(const char *s, enum ts_partial *p, struct ts_err *err)
{
	static const char *const names[] = {
		[TS_PARTIAL_DROP] = "drop", [TS_PARTIAL_KEEP] = "keep", [TS_PARTIAL_MARK] = "mark",
	};
	int kind = word_index(names, sizeof names / sizeof names[0], s, strlen(s));
	char quoted[64];

	if (kind < 0)
		return ts_err_set(err, TS_EUSAGE, "unknown value \"%s\" (expected drop, keep or mark)",
				  ts_err_quote(s, strlen(s), quoted, sizeof quoted));
	*p = (enum ts_partial)kind;
	return 0;
}

void ts_grid_free(struct ts_grid *g)
{
	TS_FREE_ALL(g->t, g->y, g->filled, g->first, g->count, g->order);
	memset(g, 0, sizeof *g);
}

/* order[] = point indices by time, stable. Input that is already sorted, the
 * usual case, costs one pass. */
static int sort_points(const struct ts_series *s, size_t *order)
{
	bool sorted = true;
	struct ts_time_index *keys;

	for (size_t i = 0; i < s->n; i++) {
		order[i] = i;
		if (i > 0 && s->t[i] < s->t[i - 1])
			sorted = false;
	}
	if (sorted)
		return 0;
	keys = ts_mallocarray(s->n, sizeof *keys);
	if (keys == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		keys[i].t = s->t[i];
		keys[i].i = i;
	}
	ts_time_index_sort(keys, s->n);
	for (size_t i = 0; i < s->n; i++)
		order[i] = keys[i].i;
	free(keys);
	return 0;
}

static int grid_alloc(struct ts_grid *g, size_t n)
{
	g->n = n;
	g->t = ts_mallocarray(n, sizeof *g->t);
	g->y = n * g->ncols / g->ncols != n ? NULL : ts_mallocarray(n * g->ncols, sizeof *g->y);
	g->filled = ts_calloc(n, sizeof *g->filled);
	g->first = ts_calloc(n, sizeof *g->first);
	g->count = ts_calloc(n, sizeof *g->count);
	if (g->t == NULL || g->y == NULL || g->filled == NULL || g->first == NULL || g->count == NULL)
		return TS_ENOMEM;
	return 0;
}

/* Lay out bucket starts from first to last inclusive. Fixed widths outside a
 * named zone are plain arithmetic; otherwise (months, or a zone with DST) the
 * grid steps bucket by bucket, since bucket lengths then vary. */
static int grid_layout(struct ts_grid *g, ts_time first, ts_time last, const struct ts_zone *zone,
		       size_t max_buckets, struct ts_err *err)
{
	const struct ts_dur *d = &g->interval;
	bool arithmetic = d->months == 0 && zone->kind != TS_ZONE_NAMED;
	size_t n = 0;
	char width[32];

	if (arithmetic) {
		uint64_t span = (uint64_t)(last - first) / (uint64_t)d->us;
		n = span >= max_buckets ? max_buckets + 1 : (size_t)span + 1;
	} else {
		for (ts_time t = first; t <= last && n <= max_buckets; n++)
			t = ts_bucket_next(t, d, zone);
	}
	if (n > max_buckets) {
		ts_dur_format(d, width);
		return ts_err_set(err, TS_EDATA,
				  "more than %zu buckets of %s between the first and the last timestamp; check -i",
				  max_buckets, width);
	}
	if (grid_alloc(g, n) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	g->t[0] = first;
	for (size_t k = 1; k < n; k++)
		g->t[k] = arithmetic ? first + (ts_time)k * d->us : ts_bucket_next(g->t[k - 1], d, zone);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	const struct ts_str *x = a, *y = b;
	size_t len = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, len);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Distinct non-empty texts of column col among the bucket's rows. */
static double count_distinct(const struct ts_table *tab, const struct ts_series *s,
			     const size_t *points, size_t n, size_t col, struct ts_str *scratch)
{
	size_t m = 0, distinct = 0;

	for (size_t i = 0; i < n; i++) {
		struct ts_str f = ts_table_field(tab, s->row[points[i]], col);
		if (f.len > 0)
			scratch[m++] = f;
	}
	qsort(scratch, m, sizeof *scratch, cmp_str);
	for (size_t i = 0; i < m; i++)
		if (i == 0 || cmp_str(&scratch[i], &scratch[i - 1]) != 0)
			distinct++;
	return (double)distinct;
}

/* Combine the values y[] of one bucket's points (in time order). */
static double aggregate(const struct ts_agg *agg, bool raw_events, const double *y,
			const size_t *points, size_t n, double *values)
{
	size_t m = 0;
	double acc;

	if (raw_events)
		return (double)n;
	for (size_t i = 0; i < n; i++)
		if (!isnan(y[points[i]]))
			values[m++] = y[points[i]];
	if (agg->kind == TS_AGG_COUNT)
		return (double)m;
	if (m == 0)
		return NAN;
	switch (agg->kind) {
	case TS_AGG_SUM:
	case TS_AGG_MEAN:
		acc = 0;
		for (size_t i = 0; i < m; i++)
			acc += values[i];
		if (agg->kind == TS_AGG_MEAN && isinf(acc)) {
			/* values near DBL_MAX: their mean is not, their sum is */
			acc = 0;
			for (size_t i = 0; i < m; i++)
				acc += values[i] / (double)m;
			return acc;
		}
		return agg->kind == TS_AGG_SUM ? acc : acc / (double)m;
	case TS_AGG_MIN:
	case TS_AGG_MAX:
		acc = values[0];
		for (size_t i = 1; i < m; i++)
			if (agg->kind == TS_AGG_MIN ? values[i] < acc : values[i] > acc)
				acc = values[i];
		return acc;
	case TS_AGG_FIRST:
		return values[0];
	case TS_AGG_LAST:
		return values[m - 1];
	case TS_AGG_MEDIAN:
	case TS_AGG_QUANTILE:
		gsl_sort(values, 1, m);
		return gsl_stats_quantile_from_sorted_data(values, 1, m,
							   agg->kind == TS_AGG_MEDIAN ? 0.5 : agg->q);
	case TS_AGG_COUNT:
	case TS_AGG_UNIQ:
		break;
	}
	return NAN;
}

/* Column 0 of the grid: agg over y (rows counted for raw events). */
static void aggregate_column(struct ts_grid *g, const struct ts_agg *agg, bool raw_events,
			     const double *y, double *values)
{
	for (size_t k = 0; k < g->n; k++) {
		const size_t *points = g->order + g->first[k];
		g->y[k] = g->count[k] == 0 ? NAN : aggregate(agg, raw_events, y, points, g->count[k], values);
	}
}

/* Rows of the bucket whose field in column col is not missing. */
static double count_present(const struct ts_table *tab, const struct ts_series *s,
			    const size_t *points, size_t n, size_t col)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		struct ts_str f = ts_table_field(tab, s->row[points[i]], col);
		m += !ts_num_is_missing(f.s, f.len);
	}
	return (double)m;
}

/* Column mode: column j of the grid aggregates column o->agg_cols[j]. */
static int aggregate_columns(const struct ts_table *tab, const struct ts_series *s,
			     const struct ts_fill_opts *o, struct ts_grid *g, double *values,
			     struct ts_str *texts, struct ts_err *err)
{
	double *col_values = ts_mallocarray(s->n > 0 ? s->n : 1, sizeof *col_values);

	if (col_values == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t j = 0; j < o->naggs; j++) {
		const struct ts_agg *agg = &o->aggs[j];
		size_t col = o->agg_cols[j];
		double *y = g->y + j * g->n;
		bool numbers = agg->kind != TS_AGG_UNIQ && agg->kind != TS_AGG_COUNT;

		for (size_t i = 0; numbers && i < s->n; i++) {
			int rc = ts_table_number(tab, s->row[i], col, &col_values[i], err);
			if (rc != 0) {
				free(col_values);
				return rc;
			}
		}
		for (size_t k = 0; k < g->n; k++) {
			const size_t *points = g->order + g->first[k];
			size_t n = g->count[k];
			if (n == 0)
				y[k] = NAN;
			else if (agg->kind == TS_AGG_UNIQ)
				y[k] = count_distinct(tab, s, points, n, col, texts);
			else if (agg->kind == TS_AGG_COUNT)
				y[k] = col == TS_NO_COL ? (double)n : count_present(tab, s, points, n, col);
			else
				y[k] = aggregate(agg, false, col_values, points, n, values);
		}
	}
	free(col_values);
	return 0;
}

/* Whether the run of empty buckets [a, b] is longer than --max-gap. */
static bool run_too_long(const struct ts_grid *g, size_t a, size_t b, const struct ts_fill_opts *o,
			 const struct ts_zone *zone)
{
	ts_time run_end, allowed_end;

	if (!o->have_max_gap)
		return false;
	run_end = ts_bucket_next(g->t[b], &g->interval, zone);
	allowed_end = ts_time_add(g->t[a], &o->max_gap, 1, zone);
	return run_end > allowed_end;
}

/* The season lengths in points for --fill seasonal: -p as given (durations
 * divided by this series' interval), else those the interval implies. */
static int seasonal_periods(const struct ts_grid *g, const struct ts_fill_opts *o, size_t *periods,
			    size_t *nperiods, struct ts_err *err)
{
	int rc;

	*nperiods = o->nperiods;
	for (size_t i = 0; i < o->nperiods; i++)
		if ((rc = ts_span_points(&o->periods[i], &g->interval, &periods[i], err)) != 0)
			return rc;
	if (o->nperiods == 0)
		*nperiods = ts_periods_for_interval(&g->interval, g->t[g->n - 1] - g->t[0], periods);
	return 0;
}

/* Fill the empty buckets of one column y of the grid. */
static int fill_gaps(struct ts_grid *g, double *y, const struct ts_fill_opts *o,
		     const struct ts_zone *zone, struct ts_err *err)
{
	double *est = NULL;
	int rc;

	if (o->fill.kind == TS_FILL_NONE)
		return 0;
	if (o->fill.kind == TS_FILL_SEASONAL) {
		size_t known = 0, periods[4], nperiods;
		if ((rc = seasonal_periods(g, o, periods, &nperiods, err)) != 0)
			return rc;
		for (size_t k = 0; k < g->n; k++)
			known += !isnan(y[k]);
		if (known < 2 || known == g->n)
			return 0;	/* nothing to interpolate from, or nothing to fill */
		est = ts_mallocarray(g->n, sizeof *est);
		if (est == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		if ((rc = ts_na_interp(y, g->n, periods, nperiods, est, err)) != 0) {
			free(est);
			return rc;
		}
	}
	for (size_t a = 0; a < g->n; a++) {
		size_t b;
		bool before, after;

		if (!isnan(y[a]))
			continue;
		for (b = a; b + 1 < g->n && isnan(y[b + 1]); b++)
			;
		before = a > 0;
		after = b + 1 < g->n;
		if (!run_too_long(g, a, b, o, zone)) {
			for (size_t k = a; k <= b; k++) {
				switch (o->fill.kind) {
				case TS_FILL_ZERO:
					y[k] = 0;
					break;
				case TS_FILL_VALUE:
					y[k] = o->fill.value;
					break;
				case TS_FILL_PREV:
					if (before)
						y[k] = y[a - 1];
					break;
				case TS_FILL_NEXT:
					if (after)
						y[k] = y[b + 1];
					break;
				case TS_FILL_LINEAR:
					if (before && after) {
						double y0 = y[a - 1], y1 = y[b + 1];
						double f = (double)(k - a + 1) / (double)(b - a + 2);
						y[k] = y0 + (y1 - y0) * f;
						if (!isfinite(y[k]))	/* y1 - y0 past DBL_MAX */
							y[k] = y0 * (1 - f) + y1 * f;
					}
					break;
				case TS_FILL_SEASONAL:
					y[k] = est[k];
					break;
				case TS_FILL_NONE:
					break;
				}
			}
		}
		a = b;
	}
	free(est);
	return 0;
}

int ts_fill_series(const struct ts_table *tab, const struct ts_series *s, bool raw_events,
		   const struct ts_fill_opts *o, struct ts_grid *g, struct ts_fill_stats *st,
		   struct ts_err *err)
{
	double *values = NULL;
	struct ts_str *texts = NULL;
	ts_time first, last, grid_end;
	bool cut_first, cut_last;
	size_t k, max_count = 0;
	int rc;

	memset(g, 0, sizeof *g);
	memset(st, 0, sizeof *st);
	g->ncols = o->naggs > 0 ? o->naggs : 1;
	st->rows_in = s->n;
	g->order = ts_rows_alloc(s->n, sizeof *g->order);
	if (g->order == NULL || sort_points(s, g->order) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (s->n == 0 && !(o->have_start && o->have_end && o->have_interval))
		return 0;	/* nothing to place and no window to lay out */
	if (o->have_interval) {
		g->interval = o->interval;
	} else {
		ts_time *sorted = ts_mallocarray(s->n, sizeof *sorted);
		if (sorted == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		for (size_t i = 0; i < s->n; i++)
			sorted[i] = s->t[g->order[i]];
		rc = ts_interval_infer(sorted, s->n, &s->zone, &g->interval, err);
		free(sorted);
		if (rc == TS_EDATA) {
			char reason[sizeof err->msg];
			memcpy(reason, err->msg, sizeof reason);
			return ts_err_set(err, rc, "%.400s; give -i", reason);
		}
		if (rc != 0)
			return rc;
	}
	first = ts_bucket_floor(o->have_start ? o->start : s->t[g->order[0]], &g->interval, &s->zone);
	last = ts_bucket_floor(o->have_end ? o->end : s->t[g->order[s->n - 1]], &g->interval, &s->zone);
	/* A running clock cuts the buckets that hold it: the one holding the end
	 * ends after it, the one holding the start began before it. */
	cut_first = o->have_start && o->start_is_now && first < o->start;
	cut_last = o->have_end && o->end_is_now;
	if (o->partial == TS_PARTIAL_DROP) {
		if (cut_first)
			first = ts_bucket_next(first, &g->interval, &s->zone);
		if (cut_last)
			last = ts_bucket_floor(last - 1, &g->interval, &s->zone);
		cut_first = cut_last = false;
	}
	if (last < first) {
		if (o->have_start && o->have_end && o->start > o->end)
			return ts_err_set(err, TS_EUSAGE, "--start is after --end");
		if (o->have_start && o->have_end) {
			char width[32];
			ts_dur_format(&g->interval, width);
			return ts_err_set(err, TS_EUSAGE, "no complete bucket of %s between --start and "
					  "--end (--partial keep keeps the incomplete ones)", width);
		}
		/* Every row lies outside the window: an empty grid. */
		st->outside = s->n;
		return 0;
	}
	if ((rc = grid_layout(g, first, last, &s->zone, o->max_buckets, err)) != 0)
		return rc;
	g->partial_first = cut_first;
	g->partial_last = cut_last;
	grid_end = ts_bucket_next(g->t[g->n - 1], &g->interval, &s->zone);

	/* Assign the time-ordered points to buckets. */
	k = 0;
	for (size_t i = 0; i < s->n; i++) {
		ts_time t = s->t[g->order[i]];
		if (t < g->t[0] || t >= grid_end) {
			st->outside++;
			continue;
		}
		while (k + 1 < g->n && g->t[k + 1] <= t)
			k++;
		if (g->count[k] == 0)
			g->first[k] = i;
		g->count[k]++;
	}
	for (k = 0; k < g->n; k++) {
		if (g->count[k] > max_count)
			max_count = g->count[k];
		if (g->count[k] > 1)
			st->aggregated += g->count[k];
	}
	values = ts_mallocarray(max_count, sizeof *values);
	texts = ts_mallocarray(max_count, sizeof *texts);
	if (values == NULL || texts == NULL) {
		free(values);
		free(texts);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	rc = 0;
	if (o->naggs == 0)
		aggregate_column(g, &o->agg, raw_events, s->y, values);
	else
		rc = aggregate_columns(tab, s, o, g, values, texts, err);
	free(values);
	free(texts);
	if (rc != 0)
		return rc;
	for (k = 0; k < g->n; k++)
		for (size_t j = 0; j < g->ncols && !g->filled[k]; j++)
			g->filled[k] = isnan(g->y[j * g->n + k]);
	for (size_t j = 0; j < g->ncols; j++)
		if ((rc = fill_gaps(g, g->y + j * g->n, o, &s->zone, err)) != 0)
			return rc;
	st->buckets = g->n;
	for (k = 0; k < g->n; k++) {
		bool empty = false;
		for (size_t j = 0; j < g->ncols && !empty; j++)
			empty = isnan(g->y[j * g->n + k]);
		if (empty)
			st->empty++;
		else if (g->filled[k])
			st->filled++;
		if (!g->filled[k])
			st->valued++;
	}
	return 0;
}

bool ts_fill_empty_window(const struct ts_fill_opts *opts, const char *fill_spec,
			  const struct ts_fill_stats *st, struct ts_err *err)
{
	char fill[64];

	if (!(opts->have_start || opts->have_end) || st->buckets == 0 || st->valued > 0)
		return false;
	if (opts->fill.kind == TS_FILL_NONE || st->empty > 0)
		ts_err_set(err, TS_EDATA, "no value between --start and --end: %zu bucket%s, all left empty",
			   st->buckets, st->buckets == 1 ? "" : "s");
	else
		ts_err_set(err, TS_EDATA, "no value between --start and --end: %zu bucket%s, all filled "
			   "with --fill %s", st->buckets, st->buckets == 1 ? "" : "s",
			   ts_err_quote(fill_spec, strlen(fill_spec), fill, sizeof fill));
	return true;
}

static bool is_role_column(const struct ts_roles *roles, size_t c)
{
	if (c == roles->time || c == roles->value)
		return true;
	for (size_t k = 0; k < roles->nkeys; k++)
		if (roles->keys[k] == c)
			return true;
	return false;
}

/* Column c's text when every row of the bucket agrees, else empty. */
static struct ts_str agreed_field(const struct ts_table *tab, const struct ts_series *s,
				  const size_t *points, size_t n, size_t c)
{
	struct ts_str first = ts_table_field(tab, s->row[points[0]], c);
	struct ts_str none = { "", 0 };

	for (size_t i = 1; i < n; i++) {
		struct ts_str f = ts_table_field(tab, s->row[points[i]], c);
		if (f.len != first.len || memcmp(f.s, first.s, f.len) != 0)
			return none;
	}
	return first;
}

int ts_grid_check_writable(const struct ts_series *s, const struct ts_grid *g, struct ts_err *err)
{
	struct ts_tfmt fmt;
	char text[TS_TIME_BUFSIZE];

	ts_tfmt_for_interval(&s->tfmt, &g->interval, &fmt);
	/* the starts ascend: the ends are the ones that can fall outside */
	for (size_t k = 0; k < g->n; k += g->n - 1 > 0 ? g->n - 1 : 1) {
		if (ts_time_writable(g->t[k], &fmt, &s->zone))
			continue;
		ts_time_format(g->t[k], &fmt, &s->zone, text);
		return ts_err_set(err, TS_EDATA, "bucket %s lies outside the years 0000-9999 timestamps can name",
				  text);
	}
	return 0;
}

int ts_grid_check_finite(const struct ts_table *tab, const struct ts_series *s,
			 const struct ts_grid *g, struct ts_err *err)
{
	struct ts_tfmt fmt;
	char text[TS_TIME_BUFSIZE];

	for (size_t i = 0; i < g->n * g->ncols; i++) {
		size_t row, k = i % g->n;
		if (!isinf(g->y[i]))
			continue;
		ts_tfmt_for_interval(&s->tfmt, &g->interval, &fmt);
		ts_time_format(g->t[k], &fmt, &s->zone, text);
		if (g->count[k] > 0) {
			row = s->row[g->order[g->first[k]]];
			err->file = ts_table_file(tab, row);
			err->line = tab->line[row];
		}
		return ts_err_set(err, TS_EDATA, "bucket %s: the %zu values add up past the largest number",
				  text, g->count[k]);
	}
	return 0;
}

void ts_fill_write(const struct ts_table *tab, const struct ts_roles *roles,
		   const struct ts_series *s, const struct ts_grid *g,
		   const struct ts_fill_out *fo, struct ts_buf *out)
{
	struct ts_str *cols = ts_calloc(tab->ncols, sizeof *cols);
	struct ts_str *added = ts_calloc(fo->nadded + 1, sizeof *added);
	char (*value_text)[TS_NUM_BUFSIZE] = ts_calloc(g->ncols, sizeof *value_text);
	char time_text[TS_TIME_BUFSIZE];
	/* the value column holds the aggregate, or passes through like any other */
	size_t value_col = fo->aggs_at == TS_NO_COL ? roles->value : TS_NO_COL;
	struct ts_tfmt fmt;

	if (cols == NULL || added == NULL || value_text == NULL) {
		out->failed = true;
		free(cols);
		free(added);
		free(value_text);
		return;
	}
	ts_tfmt_for_interval(&s->tfmt, &g->interval, &fmt);
	for (size_t k = 0; k < g->n; k++) {
		const size_t *points = g->order + g->first[k];
		bool single = fo->keep_text && g->count[k] == 1 && !g->filled[k];

		for (size_t c = 0; c < tab->ncols; c++) {
			bool role = is_role_column(roles, c) && c != roles->value;
			cols[c].s = "";
			cols[c].len = 0;
			if (role && c != roles->time && s->n > 0)
				cols[c] = ts_table_field(tab, s->row[0], c);
			else if (!role && c != value_col && g->count[k] > 0)
				cols[c] = agreed_field(tab, s, points, g->count[k], c);
		}
		cols[roles->time].s = time_text;
		cols[roles->time].len = ts_time_format(g->t[k], &fmt, &s->zone, time_text);
		for (size_t j = 0; j < g->ncols; j++) {
			struct ts_str value = { value_text[j], 0 };
			if (fo->aggs_at == TS_NO_COL && value_col == TS_NO_COL)
				continue;
			/* a bucket of one untouched row keeps that row's text */
			if (fo->aggs_at == TS_NO_COL && single)
				value = ts_table_field(tab, s->row[points[0]], value_col);
			else
				value.len = ts_num_format(g->y[j * g->n + k], value_text[j]);
			if (fo->aggs_at != TS_NO_COL)
				added[fo->aggs_at + j] = value;
			else
				cols[value_col] = value;
		}
		if (fo->filled_at != TS_NO_COL) {
			added[fo->filled_at].s = g->filled[k] ? "1" : "0";
			added[fo->filled_at].len = 1;
		}
		if (fo->partial_at != TS_NO_COL) {
			bool cut = (k == 0 && g->partial_first) || (k + 1 == g->n && g->partial_last);
			added[fo->partial_at].s = cut ? "1" : "0";
			added[fo->partial_at].len = 1;
		}
		ts_write_row(fo->cols, tab, TS_NO_COL, cols, added, out);
	}
	free(cols);
	free(added);
	free(value_text);
}

/* The first series (in groups' order) two of whose rows share a bucket of
 * the grid the run would lay out, read as raw events; *found = groups->n
 * when none. A series that cannot be laid out says nothing here: the run
 * reports it. */
static int first_shared_bucket(const struct ts_table *tab, const struct ts_roles *roles,
			       const struct ts_groups *groups, const struct ts_load_opts *lo,
			       const struct ts_fill_opts *o, size_t *found, struct ts_err *err)
{
	struct ts_roles times = *roles;
	struct ts_load_opts quiet = *lo;

	times.value = TS_NO_COL;
	quiet.skip_bad = true;	/* the run warns about bad rows, once */
	quiet.warn = NULL;
	for (*found = 0; *found < groups->n; ++*found) {
		const size_t *rows = groups->rows + groups->start[*found];
		size_t nrows = groups->start[*found + 1] - groups->start[*found];
		struct ts_err ignored = { 0 };
		struct ts_series s;
		struct ts_grid g;
		struct ts_fill_stats st;
		int rc;

		if ((rc = ts_series_load(tab, &times, rows, nrows, &quiet, &s, &ignored)) == TS_ENOMEM)
			return ts_err_set(err, rc, "out of memory");
		if (rc != 0)
			continue;
		rc = ts_fill_series(tab, &s, true, o, &g, &st, &ignored);
		ts_grid_free(&g);
		ts_series_free(&s);
		if (rc == TS_ENOMEM)
			return ts_err_set(err, rc, "out of memory");
		if (rc == 0 && st.aggregated > 0)
			return 0;
	}
	return 0;
}

static bool is_named(const struct ts_table *tab, size_t c, const char *name)
{
	return c != TS_NO_COL && strcasecmp(tab->names[c], name) == 0;
}

/* The column called name (any case) that is neither time nor key. */
static size_t free_column(const struct ts_table *tab, const struct ts_roles *roles, const char *name)
{
	for (size_t c = 0; c < tab->ncols; c++)
		if (is_named(tab, c, name) && !is_role_column(roles, c))
			return c;
	return TS_NO_COL;
}

static int needs_value(const struct ts_table *tab, const char *text, struct ts_err *err)
{
	char list[200];

	ts_table_column_list(tab, list, sizeof list);
	return ts_err_set(err, TS_EDATA, "--agg %.60s needs a value column: give -y (columns: %s)", text,
			  list);
}

/* Column mode: one named column per aggregate. A value column no item
 * aggregates is not read at all (roles->value becomes TS_NO_COL), so text
 * in it is no bad input. */
static int plan_columns(const struct ts_table *tab, struct ts_roles *roles,
			const struct ts_agg_list *aggs, struct ts_fill_opts *o,
			struct ts_fill_plan *plan, struct ts_err *err)
{
	struct ts_buf why = { 0 };
	bool value_used = false;

	/* names go to the plan as they are made: ts_fill_plan_free frees them
	 * whatever the outcome */
	for (size_t j = 0; j < aggs->n; j++) {
		const struct ts_agg *agg = &aggs->items[j];
		const char *text = aggs->texts[j];
		size_t col = TS_NO_COL;
		struct ts_buf name = { 0 };

		if (agg->col_spec != NULL) {
			char what[80];
			snprintf(what, sizeof what, "--agg %.*s", (int)agg->func_len, text);
			if ((col = ts_table_column(tab, agg->col_spec)) == TS_NO_COL)
				return ts_table_no_column(tab, what, agg->col_spec, err);
		} else if (agg->kind != TS_AGG_COUNT) {
			if ((col = roles->value) == TS_NO_COL)
				return needs_value(tab, text, err);
			value_used = true;
		}
		ts_buf_put(&name, text, agg->func_len);
		if (col != TS_NO_COL) {
			ts_buf_putc(&name, '_');
			ts_buf_puts(&name, tab->names[col]);
		}
		ts_buf_putc(&name, '\0');
		if (name.failed) {
			ts_buf_free(&name);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < j; i++) {
			if (strcmp(plan->names[i], name.data) == 0) {
				char quoted[64];
				ts_err_set(err, TS_EDATA, "--agg: two aggregates named \"%s\"",
					   ts_err_quote(name.data, strlen(name.data), quoted, sizeof quoted));
				ts_buf_free(&name);
				return TS_EDATA;
			}
		}
		plan->names[j] = name.data;	/* the plan owns it */
		plan->ncols = j + 1;
		o->agg_cols[j] = col;
	}
	for (size_t j = 0; j < plan->ncols; j++) {
		ts_buf_puts(&why, j == 0 ? "aggregates: " : ", ");
		ts_buf_puts(&why, plan->names[j]);
	}
	if (!value_used)
		roles->value = TS_NO_COL;
	o->naggs = aggs->n;
	o->aggs = aggs->items;
	ts_buf_putc(&why, '\0');
	snprintf(plan->why, sizeof plan->why, "%s", why.failed ? "aggregates" : why.data);
	ts_buf_free(&why);
	return 0;
}

bool ts_fill_plan_reads_all(const struct ts_table *tab, const struct ts_roles *roles,
			    bool value_given, const struct ts_agg_list *aggs)
{
	size_t value = roles->value;

	if (aggs->n > 0 || value_given || is_named(tab, value, "y"))
		return false;
	if (free_column(tab, roles, "value") != TS_NO_COL)
		return false;
	return value != TS_NO_COL && !is_named(tab, value, "value");
}

int ts_fill_plan(const struct ts_table *tab, struct ts_roles *roles, bool value_given,
		 const struct ts_agg_list *aggs, const struct ts_groups *groups,
		 const struct ts_load_opts *lo, struct ts_fill_opts *o, struct ts_fill_plan *plan,
		 struct ts_err *err)
{
	bool named;
	const char *agg_text = aggs->n > 0 ? aggs->texts[0] : "sum";
	char quoted[64];
	int rc;

	memset(plan, 0, sizeof *plan);
	o->naggs = 0;
	if (!value_given && !is_named(tab, roles->value, "y")) {
		size_t value = free_column(tab, roles, "value");
		if (value != TS_NO_COL)
			roles->value = value;
	}
	named = value_given || is_named(tab, roles->value, "y") || is_named(tab, roles->value, "value");
	if (aggs->n > 1 || (aggs->n == 1 && aggs->items[0].col_spec != NULL))
		return plan_columns(tab, roles, aggs, o, plan, err);

	if (aggs->n == 1)
		o->agg = aggs->items[0];
	else if ((rc = ts_agg_parse("sum", &o->agg, err)) != 0)
		return rc;
	if (roles->value == TS_NO_COL) {
		plan->event_log = true;
		snprintf(plan->why, sizeof plan->why, "event log: rows counted per bucket into \"count\" "
			 "(no numeric column)");
	} else if (!named && aggs->n == 0) {
		size_t gi;
		if ((rc = first_shared_bucket(tab, roles, groups, lo, o, &gi, err)) != 0)
			return rc;
		ts_err_quote(tab->names[roles->value], strlen(tab->names[roles->value]), quoted,
			     sizeof quoted);
		if (gi < groups->n) {
			plan->event_log = true;
			snprintf(plan->why, sizeof plan->why, "event log: rows counted per bucket into "
				 "\"count\" (rows share a bucket, and neither -y nor a column y or value "
				 "names a value; -y %s aggregates \"%s\" instead)", quoted, quoted);
			roles->value = TS_NO_COL;
		} else {
			snprintf(plan->why, sizeof plan->why, "value column \"%s\" (the first numeric "
				 "column; no two rows of a series share a bucket)", quoted);
		}
	} else {
		ts_err_quote(tab->names[roles->value], strlen(tab->names[roles->value]), quoted,
			     sizeof quoted);
		snprintf(plan->why, sizeof plan->why, "value column \"%s\"%s, --agg %.60s", quoted,
			 value_given ? " (-y)" : named ? "" : " (the first numeric column)", agg_text);
	}
	if (plan->event_log) {
		if (o->agg.kind != TS_AGG_SUM && o->agg.kind != TS_AGG_COUNT)
			return needs_value(tab, agg_text, err);
		if ((plan->names[0] = ts_strndup("count", 5)) == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		plan->ncols = 1;
	}
	return 0;
}

void ts_fill_plan_free(struct ts_fill_plan *plan)
{
	for (size_t j = 0; j < TS_AGG_LIST_MAX; j++)
		free(plan->names[j]);
	memset(plan, 0, sizeof *plan);
}
