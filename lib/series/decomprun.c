/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decomprun: ts-decompose's work on one loaded series: its periods (given, from
 * the interval, found, none), the STL/MSTL parameters, and its rows or summary line. */
#include "series/decomprun.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "core/mem.h"
#include "series/nainterp.h"
#include "core/num.h"
#include "series/stl.h"

void ts_decomprun_opts_init(struct ts_decomprun_opts *o)
{
	memset(o, 0, sizeof *o);
	o->sdeg = o->tdeg = o->ldeg = -1;
	o->inner = o->outer = -1;
}

/* A window given as a duration, in points, made odd and at least 3. */
static int window_points(const struct ts_span *sp, const struct ts_decomprun_series *r,
			 const char *what, size_t *out, struct ts_err *err)
{
	int rc = ts_span_resolve(sp, r->have_interval ? &r->interval : NULL, what, out, err);

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

/* The dominant period of s found in the data (0: none), the search run on
 * the series with its gaps filled linearly. */
static int auto_period(const struct ts_series *s, size_t *found, double *acf, struct ts_err *err)
{
	double *lin = ts_mallocarray(s->n > 0 ? s->n : 1, sizeof *lin);
	size_t nmiss = 0;
	int rc = 0;

	*found = 0;
	if (lin == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->n; i++)
		nmiss += isnan(s->y[i]);
	if (nmiss + 2 <= s->n)
		rc = ts_na_interp(s->y, s->n, NULL, 0, lin, err);
	if (rc == 0 && nmiss + 2 <= s->n)
		rc = ts_period_auto(lin, s->n, found, acf, err);
	free(lin);
	/* an infinite value: let ts_decompose say which */
	return rc == TS_EDATA ? 0 : rc;
}

/* The seasonal periods of s in points, as o asks (r->source says whence). */
static int choose_periods(const struct ts_series *s, const struct ts_decomprun_opts *o,
			  struct ts_decomprun_series *r, size_t *periods, size_t *nperiods,
			  struct ts_err *err)
{
	size_t i, found = 0;
	char width[32];
	int rc;

	*nperiods = 0;
	switch (o->pmode) {
	case TS_DECOMPRUN_GIVEN:
		for (i = 0; i < o->nperiods && (r->have_interval || !o->periods[i].is_dur); i++)
			;
		if (i < o->nperiods)	/* a duration and fewer than two points */
			return short_error(s, err);
		if ((rc = ts_periods_resolve(o->periods, o->nperiods, r->have_interval ? &r->interval : NULL,
					     periods, err)) != 0)
			return rc;
		*nperiods = o->nperiods;
		break;
	case TS_DECOMPRUN_INFER:
		r->source = "from the interval";
		if (!r->have_interval)
			return short_error(s, err);
		*nperiods = ts_periods_for_interval(&r->interval, s->t[s->n - 1] - s->t[0], periods);
		if (*nperiods == 0) {
			ts_dur_format(&r->interval, width);
			return ts_err_set(err, TS_EDATA, "no seasonal period known for interval %s; "
					  "give -p N, -p auto or -p none", width);
		}
		break;
	case TS_DECOMPRUN_AUTO:
		r->source = "found in the data";
		if ((rc = auto_period(s, &found, &r->acf, err)) != 0)
			return rc;
		if (found != 0)
			periods[(*nperiods)++] = found;
		break;
	case TS_DECOMPRUN_NONE:
		r->source = "-p none";
		break;
	}
	return 0;
}

/* p added to the ascending list asked[0..*n) unless there. */
static void add_sorted(size_t *asked, size_t *n, size_t max, size_t p)
{
	size_t j;

	for (j = 0; j < *n && asked[j] < p; j++)
		;
	if ((j < *n && asked[j] == p) || *n == max)
		return;
	memmove(asked + j + 1, asked + j, (*n - j) * sizeof *asked);
	asked[j] = p;
	(*n)++;
}

/* The decomposition parameters the options give at this series' interval. */
static int params(const struct ts_decomprun_opts *o, const struct ts_decomprun_series *r,
		  struct ts_decomp_params *dp, struct ts_err *err)
{
	int rc;

	memset(dp, 0, sizeof *dp);
	dp->method = o->method;
	ts_stl_defaults(&dp->stl, 2, 0, o->robust || o->method == TS_DECOMP_MEDIAN);
	if (o->sdeg >= 0)
		dp->stl.s_degree = o->sdeg;
	if (o->tdeg >= 0)
		dp->stl.t_degree = o->tdeg;
	if (o->ldeg >= 0)
		dp->stl.l_degree = o->ldeg;
	dp->stl.s_jump = o->sjump;
	dp->stl.t_jump = o->tjump;
	dp->stl.l_jump = o->ljump;
	if (o->inner >= 0)
		dp->stl.inner = (size_t)o->inner;
	if (o->outer >= 0)
		dp->stl.outer = (size_t)o->outer;
	dp->stl.threads = o->threads;
	dp->iterate = o->iterate;
	for (size_t i = 0; i < o->nswin; i++)
		dp->s_windows[i] = o->swin[i].periodic ? TS_STL_PERIODIC : o->swin[i].n;
	dp->ns_windows = o->nswin;
	if (o->have_twin) {
		size_t w;
		if ((rc = window_points(&o->twin, r, "trend window", &w, err)) != 0)
			return rc;
		if (o->method == TS_DECOMP_MEDIAN)
			dp->median_window = w;
		else
			dp->stl.t_window = w;
	}
	if (o->have_lwin && (rc = window_points(&o->lwin, r, "low-pass window", &dp->stl.l_window, err)) != 0)
		return rc;
	dp->boxcox = o->boxcox;
	dp->boxcox_auto = o->boxcox_auto;
	dp->lambda = o->lambda;
	return 0;
}

int ts_decomprun_series(const struct ts_series *s, const struct ts_decomprun_opts *o,
			struct ts_decomprun_series *r, struct ts_err *err)
{
	struct ts_decomp_params dp;
	struct ts_sampling samp;
	size_t periods[TS_DECOMP_MAX_PERIODS], nperiods = 0;
	int rc;

	r->source = "from -p";
	r->suffix = "";
	r->acf = NAN;
	r->bad = SIZE_MAX;
	if ((rc = ts_sampling_infer(s->t, s->n, &s->zone, &s->tfmt, &samp, err)) != 0)
		return rc;
	if (!samp.regular) {
		r->bad = samp.bad;
		r->suffix = "; run ts-fill first";
		return ts_err_set(err, TS_EDATA, "%s", samp.why);
	}
	r->have_interval = samp.has_interval;
	r->interval = samp.interval;
	if ((rc = choose_periods(s, o, r, periods, &nperiods, err)) != 0)
		return rc;
	for (size_t i = 0; i < nperiods; i++)
		add_sorted(r->asked, &r->nasked, TS_DECOMP_MAX_PERIODS, periods[i]);
	if ((rc = params(o, r, &dp, err)) != 0)
		return rc;
	if ((rc = ts_decompose(s->y, s->n, periods, nperiods, &dp, &r->d, err)) != 0) {
		if (r->d.bad != SIZE_MAX && r->d.bad < s->n)
			r->bad = r->d.bad;
		return rc;
	}
	r->decomposed = true;
	return 0;
}

void ts_decomprun_describe(const struct ts_series *s, const struct ts_decomprun_series *r,
			   struct ts_buf *b)
{
	char text[128], width[32], num[TS_NUM_BUFSIZE];

	snprintf(text, sizeof text, "%zu points, %zu missing", s->n, r->d.nmissing);
	ts_buf_puts(b, text);
	if (r->have_interval) {
		ts_dur_format(&r->interval, width);
		ts_buf_puts(b, ", interval ");
		ts_buf_puts(b, width);
	}
	if (r->d.nkept == 0) {
		ts_buf_puts(b, ", no period");
	} else {
		ts_buf_puts(b, r->d.nkept == 1 ? ", period " : ", periods ");
		join_periods(r->d.kept, r->d.nkept, ',', b);
	}
	ts_buf_puts(b, " (");
	ts_buf_puts(b, r->source);
	if (!isnan(r->acf)) {
		snprintf(num, sizeof num, "%.3f", r->acf);
		ts_buf_puts(b, ", autocorrelation ");
		ts_buf_puts(b, num);
	}
	ts_buf_putc(b, ')');
	if (!isnan(r->d.lambda)) {
		ts_num_format(r->d.lambda, num);
		ts_buf_puts(b, ", Box-Cox lambda ");
		ts_buf_puts(b, num);
	}
}

void ts_decomprun_columns_begin(struct ts_decomprun_layout *l, const struct ts_decomprun_opts *o)
{
	bool counts = o->pmode == TS_DECOMPRUN_GIVEN;

	memset(l, 0, sizeof *l);
	for (size_t i = 0; i < o->nperiods; i++)
		counts = counts && !o->periods[i].is_dur;
	if (counts) {
		for (size_t i = 0; i < o->nperiods; i++)
			add_sorted(l->colp, &l->ncols, sizeof l->colp / sizeof l->colp[0], o->periods[i].n);
		l->fixed = true;
	}
}

void ts_decomprun_columns_add(struct ts_decomprun_layout *l, const size_t *asked, size_t nasked)
{
	for (size_t i = 0; !l->fixed && i < nasked; i++)
		add_sorted(l->colp, &l->ncols, sizeof l->colp / sizeof l->colp[0], asked[i]);
}

void ts_decomprun_columns_end(struct ts_decomprun_layout *l, const struct ts_decomprun_opts *o)
{
	/* nothing known (no data, or every series refused): keep the usual
	 * column so pipelines find it */
	if (l->ncols == 0 && (o->pmode == TS_DECOMPRUN_INFER || o->pmode == TS_DECOMPRUN_GIVEN))
		l->colp[l->ncols++] = 0;
	l->weights = o->weights;
	l->nadded = 0;
	l->added[l->nadded++] = "trend";
	for (size_t c = 0; c < l->ncols; c++) {
		if (l->ncols == 1)
			snprintf(l->names[c], sizeof l->names[c], "seasonal");
		else
			snprintf(l->names[c], sizeof l->names[c], "seasonal_%zu", l->colp[c]);
		l->added[l->nadded++] = l->names[c];
	}
	l->added[l->nadded++] = "remainder";
	if (l->weights)
		l->added[l->nadded++] = "weight";
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

bool ts_decomprun_output_name(const char *name, bool weights)
{
	if (strcmp(name, "trend") == 0 || strcmp(name, "remainder") == 0 ||
	    strcmp(name, "seasonal") == 0 || (weights && strcmp(name, "weight") == 0))
		return true;
	return strncmp(name, "seasonal_", 9) == 0 && all_digits(name + 9);
}

/* A seasonal column repeats a few values (a periodic one, one per cycle
 * position): their texts are kept by the bits of the double, in a table
 * where each value has one place, so each is formatted about once. */
#define SEASONAL_TEXTS 256

struct seasonal_texts {
	bool used[SEASONAL_TEXTS];
	uint64_t bits[SEASONAL_TEXTS];
	size_t len[SEASONAL_TEXTS];
	char text[SEASONAL_TEXTS][TS_NUM_BUFSIZE];
};

/* v as ts_num_format writes it, from st when it holds v's text. */
static struct ts_str seasonal_text(struct seasonal_texts *st, double v)
{
	uint64_t bits;
	size_t at;

	memcpy(&bits, &v, sizeof bits);
	at = (size_t)((bits * UINT64_C(0x9E3779B97F4A7C15)) >> 56);
	if (!st->used[at] || st->bits[at] != bits) {
		st->len[at] = ts_num_format(v, st->text[at]);
		st->bits[at] = bits;
		st->used[at] = true;
	}
	return (struct ts_str){ st->text[at], st->len[at] };
}

void ts_decomprun_write_rows(const struct ts_decomprun_layout *l, const struct ts_outcols *oc,
			     const struct ts_table *tab, const size_t *rows, size_t nrows,
			     const struct ts_series *s, const struct ts_decomprun_series *r,
			     struct ts_buf *out)
{
	size_t ncols = l->ncols, i, j = 0, c;
	long sidx[TS_DECOMP_MAX_PERIODS * 4];
	char text[TS_DECOMP_MAX_PERIODS * 4 + 3][TS_NUM_BUFSIZE];
	struct ts_str added[TS_DECOMP_MAX_PERIODS * 4 + 3];
	/* only a speed-up: without memory, every value is formatted */
	struct seasonal_texts *known = r != NULL && ncols > 0 ? ts_calloc(ncols, sizeof *known) : NULL;

	/* rows may start anywhere in the series: its first point at or after
	 * rows[0] (s->row ascends, as the rows do) */
	if (nrows > 0) {
		size_t lo = 0, hi = s->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (s->row[mid] < rows[0])
				lo = mid + 1;
			else
				hi = mid;
		}
		j = lo;
	}
	for (c = 0; c < ncols; c++) {
		sidx[c] = -1;
		for (size_t k = 0; r != NULL && k < r->d.nkept; k++)
			if (r->d.kept[k] == l->colp[c])
				sidx[c] = (long)k;
	}
	for (i = 0; i < nrows; i++) {
		bool point = j < s->n && s->row[j] == rows[i];

		for (c = 0; c < l->nadded; c++) {
			added[c].s = text[c];
			added[c].len = 0;
			text[c][0] = '\0';
		}
		if (point && r != NULL) {
			size_t n = s->n;
			added[0].len = ts_num_format(r->d.trend[j], text[0]);
			for (c = 0; c < ncols; c++) {
				double v;
				if (sidx[c] < 0)
					continue;
				v = r->d.seasonal[(size_t)sidx[c] * n + j];
				if (known != NULL)
					added[1 + c] = seasonal_text(&known[c], v);
				else
					added[1 + c].len = ts_num_format(v, text[1 + c]);
			}
			added[1 + ncols].len = ts_num_format(r->d.remainder[j], text[1 + ncols]);
			if (l->weights && r->d.weights != NULL)
				added[2 + ncols].len = ts_num_format(r->d.weights[j], text[2 + ncols]);
		}
		if (point)
			j++;
		ts_write_row(oc, tab, rows[i], NULL, added, out);
	}
	free(known);
}

void ts_decomprun_summary_header(const struct ts_table *tab, const struct ts_roles *roles, bool boxcox,
				 struct ts_buf *out)
{
	static const char *const cols[] = { "period", "seasonal_strength", "trend_strength",
					    "remainder_sigma", "n", "missing", "lambda" };
	size_t ncols = boxcox ? 7 : 6;

	for (size_t k = 0; k < roles->nkeys; k++) {
		const char *name = tab->names[roles->keys[k]];
		ts_csv_write_field(out, name, strlen(name), tab->delim);
		ts_buf_putc(out, tab->delim);
	}
	for (size_t k = 0; k < ncols; k++) {
		if (k > 0)
			ts_buf_putc(out, tab->delim);
		ts_buf_puts(out, cols[k]);
	}
	ts_write_eol(tab, out);
}

void ts_decomprun_summary_line(const struct ts_table *tab, const struct ts_roles *roles, size_t first,
			       size_t n, const struct ts_decomprun_series *r,
			       const struct ts_decomp_summary *sum, bool boxcox, struct ts_buf *out)
{
	char delim = tab->delim, num[TS_NUM_BUFSIZE];
	double figures[3];
	size_t k;

	for (k = 0; k < roles->nkeys; k++) {
		struct ts_str f = ts_table_field(tab, first, roles->keys[k]);
		ts_csv_write_field(out, f.s, f.len, delim);
		ts_buf_putc(out, delim);
	}
	if (r != NULL)
		join_periods(r->d.kept, r->d.nkept, ' ', out);
	figures[0] = r != NULL ? sum->seasonal_strength : NAN;
	figures[1] = r != NULL ? sum->trend_strength : NAN;
	figures[2] = r != NULL ? sum->sigma : NAN;
	for (k = 0; k < 3; k++) {
		ts_buf_putc(out, delim);
		ts_buf_put(out, num, ts_num_format(figures[k], num));
	}
	ts_buf_putc(out, delim);
	ts_buf_put(out, num, ts_num_format((double)n, num));
	ts_buf_putc(out, delim);
	if (r != NULL)
		ts_buf_put(out, num, ts_num_format((double)sum->nmissing, num));
	if (boxcox) {
		ts_buf_putc(out, delim);
		if (r != NULL)
			ts_buf_put(out, num, ts_num_format(r->d.lambda, num));
	}
	ts_write_eol(tab, out);
}
