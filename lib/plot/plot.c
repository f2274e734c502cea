/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot: builds ts-plot-csv's figure from column roles, and lays it out (scales,
 * round and wall-clock ticks, SI labels) onto any backend's canvas. */
#include "plot/plot.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/num.h"
#include "series/period.h"

/* Okabe-Ito colours for extra columns and overlaid series. */
static const uint32_t palette[] = {
	0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442, 0x0072B2, 0x999999
};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* ---- building the figure ---- */

static struct ts_plot_layer *add_layer(struct ts_plot_panel *p, enum ts_plot_kind kind, size_t n,
				       uint32_t rgb, double alpha, double size, const char *label)
{
	struct ts_plot_layer *l, *grown;

	if (p->nlayers == p->cap) {
		grown = ts_grow(p->layers, &p->cap, p->nlayers + 1, sizeof *p->layers);
		if (grown == NULL)
			return NULL;
		p->layers = grown;
	}
	l = &p->layers[p->nlayers];
	memset(l, 0, sizeof *l);
	l->x = ts_mallocarray(n + 1, sizeof *l->x);
	l->y = ts_mallocarray(n + 1, sizeof *l->y);
	l->y2 = ts_mallocarray(n + 1, sizeof *l->y2);
	if (l->x == NULL || l->y == NULL || l->y2 == NULL) {
		free(l->x);
		free(l->y);
		free(l->y2);
		return NULL;
	}
	p->nlayers++;
	l->kind = kind;
	l->rgb = rgb;
	l->alpha = alpha;
	l->size = size;
	snprintf(l->label, sizeof l->label, "%s", label);
	return l;
}

static void panel_free(struct ts_plot_panel *p)
{
	for (size_t i = 0; i < p->nlayers; i++) {
		free(p->layers[i].x);
		free(p->layers[i].y);
		free(p->layers[i].y2);
	}
	free(p->layers);
}

void ts_plot_free(struct ts_plot_figure *fig)
{
	for (size_t c = 0; c < fig->ncells; c++) {
		for (size_t p = 0; p < fig->cells[c].npanels; p++)
			panel_free(&fig->cells[c].panels[p]);
		free(fig->cells[c].panels);
	}
	free(fig->cells);
	fig->cells = NULL;
	fig->ncells = 0;
}

/* One series' columns, sorted by time. */
struct sdata {
	size_t n;
	double *x;
	double **col;
	struct ts_zone zone;
	size_t skipped;			/* rows skip_bad left out */
};

struct colset {
	size_t y, yhat, lo, hi, anomaly, lower, upper, expected, trend, remainder;
	size_t seasonal[16], nseasonal;
	size_t extra[16], nextra;
};

struct order {
	double x;
	size_t i;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

static bool wanted(const struct colset *cs, size_t c)
{
	if (c == TS_NO_COL)
		return false;
	if (c == cs->y || c == cs->yhat || c == cs->lo || c == cs->hi || c == cs->anomaly ||
	    c == cs->lower || c == cs->upper || c == cs->expected || c == cs->trend ||
	    c == cs->remainder)
		return true;
	for (size_t i = 0; i < cs->nseasonal; i++)
		if (cs->seasonal[i] == c)
			return true;
	for (size_t i = 0; i < cs->nextra; i++)
		if (cs->extra[i] == c)
			return true;
	return false;
}

static void sdata_free(struct sdata *d, size_t ncols)
{
	if (d->col != NULL)
		for (size_t c = 0; c < ncols; c++)
			free(d->col[c]);
	free(d->col);
	free(d->x);
	memset(d, 0, sizeof *d);
}

static int sdata_load(const struct ts_table *t, const struct ts_roles *roles, const size_t *rows,
		      size_t nrows, const struct ts_plot_opts *o, const struct colset *cs,
		      struct sdata *d, struct ts_err *err)
{
	struct ts_load_opts lo = { .epoch = o->epoch, .zone = o->zone, .skip_bad = o->skip_bad,
				   .warn = o->warn, .warn_ctx = o->warn_ctx };
	struct ts_series s;
	struct order *ord = NULL;
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = ts_series_load(t, roles, rows, nrows, &lo, &s, err)) != 0)
		return rc;
	d->n = s.n;
	d->zone = s.zone;
	d->skipped = s.skipped;
	d->x = ts_mallocarray(s.n + 1, sizeof *d->x);
	d->col = ts_calloc(t->ncols, sizeof *d->col);
	ord = ts_mallocarray(s.n + 1, sizeof *ord);
	if (d->x == NULL || d->col == NULL || ord == NULL)
		goto nomem;
	for (size_t i = 0; i < s.n; i++) {
		ord[i].x = (double)s.t[i] / 1e6;
		ord[i].i = i;
	}
	qsort(ord, s.n, sizeof *ord, cmp_order);
	for (size_t i = 0; i < s.n; i++)
		d->x[i] = ord[i].x;
	for (size_t c = 0; c < t->ncols; c++) {
		if (!wanted(cs, c))
			continue;
		if ((d->col[c] = ts_mallocarray(s.n + 1, sizeof **d->col)) == NULL)
			goto nomem;
		for (size_t i = 0; i < s.n; i++) {
			if (c == roles->value)
				d->col[c][i] = s.y[ord[i].i];
			else if ((rc = ts_table_number(t, s.row[ord[i].i], c, &d->col[c][i], err)) != 0)
				goto fail;
		}
	}
	free(ord);
	ts_series_free(&s);
	return 0;
nomem:
	rc = ts_err_set(err, TS_ENOMEM, "out of memory");
fail:
	free(ord);
	ts_series_free(&s);
	sdata_free(d, t->ncols);
	return rc;
}

/* Cut d to the rows o->window shows: counted back from the last row with a
 * value (the last row when none has one), the rows after it kept. */
static void sdata_window(struct sdata *d, const struct ts_table *t, const struct colset *cs,
			 const struct ts_plot_opts *o)
{
	const double *y = cs->y != TS_NO_COL ? d->col[cs->y] : NULL;
	size_t last = d->n, start = 0;

	if (o->window == TS_PLOT_ALL || d->n == 0)
		return;
	for (size_t i = 0; y != NULL && i < d->n; i++)
		if (!isnan(y[i]))
			last = i;
	if (last == d->n)
		last = d->n - 1;
	if (o->window == TS_PLOT_LAST_ROWS) {
		start = last + 1 > o->last_rows ? last + 1 - o->last_rows : 0;
	} else {
		ts_time end = (ts_time)llround(d->x[last] * 1e6);
		double from = (double)ts_time_add(end, &o->last_dur, -1, &d->zone) / 1e6;
		while (start < last && !(d->x[start] > from))
			start++;
	}
	if (start == 0)
		return;
	d->n -= start;
	memmove(d->x, d->x + start, d->n * sizeof *d->x);
	for (size_t c = 0; c < t->ncols; c++)
		if (d->col[c] != NULL)
			memmove(d->col[c], d->col[c] + start, d->n * sizeof *d->col[c]);
}

/* --floor: the model's values and bands never below o->floor_at (a count
 * forecast is never negative); y itself is data and stays as it is. */
static void sdata_floor(struct sdata *d, const struct colset *cs, const struct ts_plot_opts *o)
{
	const size_t cols[] = { cs->yhat, cs->lo, cs->hi, cs->lower, cs->upper, cs->expected };

	if (!o->floor)
		return;
	for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
		if (cols[k] == TS_NO_COL || cols[k] == cs->y || d->col[cols[k]] == NULL)
			continue;
		for (size_t i = 0; i < d->n; i++)
			if (d->col[cols[k]][i] < o->floor_at)
				d->col[cols[k]][i] = o->floor_at;
	}
}

static bool sdata_has_anomaly(const struct sdata *d, const struct colset *cs)
{
	if (cs->anomaly == TS_NO_COL)
		return false;
	for (size_t i = 0; i < d->n; i++)
		if (d->col[cs->anomaly][i] == 1)
			return true;
	return false;
}

int ts_plot_parse_last(const char *s, struct ts_plot_opts *o)
{
	struct ts_span sp;

	if (ts_span_parse(s, 1, &sp) != 0)
		return -1;
	o->window = sp.is_dur ? TS_PLOT_LAST_DUR : TS_PLOT_LAST_ROWS;
	o->last_rows = sp.n;
	o->last_dur = sp.d;
	return 0;
}

static size_t col_named(const struct ts_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->names[c], name) == 0)
			return c;
	return TS_NO_COL;
}

static int find_columns(const struct ts_table *t, const struct ts_roles *roles,
			const struct ts_plot_opts *o, struct colset *cs, struct ts_err *err)
{
	cs->y = roles->value;
	cs->yhat = col_named(t, "yhat");
	cs->lo = col_named(t, "yhat_lower");
	cs->hi = col_named(t, "yhat_upper");
	if (cs->lo == TS_NO_COL || cs->hi == TS_NO_COL)
		cs->lo = cs->hi = TS_NO_COL;
	cs->anomaly = col_named(t, "anomaly");
	cs->lower = col_named(t, "lower");
	cs->upper = col_named(t, "upper");
	if (cs->lower == TS_NO_COL || cs->upper == TS_NO_COL)
		cs->lower = cs->upper = TS_NO_COL;
	cs->expected = col_named(t, "expected");
	cs->trend = col_named(t, "trend");
	cs->remainder = col_named(t, "remainder");
	cs->nseasonal = cs->nextra = 0;
	for (size_t c = 0; c < t->ncols; c++)
		if (strncmp(t->names[c], "seasonal", 8) == 0 && cs->nseasonal < 16 &&
		    c != roles->time && c != roles->value)
			cs->seasonal[cs->nseasonal++] = c;
	if (o->columns != NULL) {
		char copy[1024], *save = NULL, *part;

		snprintf(copy, sizeof copy, "%s", o->columns);
		for (part = strtok_r(copy, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
			size_t c = ts_table_column(t, part);

			if (c == TS_NO_COL)
				return ts_table_no_column(t, "-c", part, err);
			if (c == roles->time)
				return ts_err_set(err, TS_EDATA, "-c: \"%s\" is the time column", part);
			if (cs->nextra == 16)
				return ts_err_set(err, TS_EUSAGE, "-c: at most 16 columns");
			cs->extra[cs->nextra++] = c;
		}
	}
	return 0;
}

static bool has_value(const double *v, size_t n)
{
	if (v == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			return true;
	return false;
}

/* A layer of kind from columns a (and b) of d; points keep only finite values. */
static int layer_from(struct ts_plot_panel *p, enum ts_plot_kind kind, const struct sdata *d,
		      const double *a, const double *b, uint32_t rgb, double alpha, double size,
		      const char *label)
{
	struct ts_plot_layer *l = add_layer(p, kind, d->n, rgb, alpha, size, label);

	if (l == NULL)
		return -1;
	l->n = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (kind == TS_PLOT_POINTS && isnan(a[i]))
			continue;
		l->x[l->n] = d->x[i];
		l->y[l->n] = a[i];
		l->y2[l->n] = b != NULL ? b[i] : NAN;
		l->n++;
	}
	return 0;
}

/* Prophet's picture of one series into panel p; series_rgb (overlay) draws y
 * as a line of that colour instead of points. */
static int main_panel(struct ts_plot_panel *p, const struct sdata *d, const struct colset *cs,
		      const struct ts_table *t, bool with_extra, bool overlay, uint32_t series_rgb,
		      const char *series_label)
{
	double *y = cs->y != TS_NO_COL ? d->col[cs->y] : NULL;
	double *yhat = cs->yhat != TS_NO_COL ? d->col[cs->yhat] : NULL;
	size_t last = SIZE_MAX;
	bool band = cs->lo != TS_NO_COL && has_value(d->col[cs->lo], d->n);

	for (size_t i = 0; y != NULL && i < d->n; i++)
		if (!isnan(y[i]))
			last = i;
	if (!overlay && y != NULL && last != SIZE_MAX && last + 1 < d->n) {
		struct ts_plot_layer *l = add_layer(p, TS_PLOT_SPAN, 2, TS_PLOT_INK, 0.07, 0, "");
		if (l == NULL)
			return -1;
		l->n = 2;
		l->x[0] = d->x[last];
		l->x[1] = d->x[d->n - 1];
		l->y[0] = l->y[1] = l->y2[0] = l->y2[1] = NAN;
	}
	if (!overlay && band &&
	    layer_from(p, TS_PLOT_BAND, d, d->col[cs->lo], d->col[cs->hi], TS_PLOT_BLUE, 0.2, 0,
		       "yhat_lower..yhat_upper") != 0)
		return -1;
	if (!overlay && !band && cs->lower != TS_NO_COL && has_value(d->col[cs->lower], d->n) &&
	    layer_from(p, TS_PLOT_DBAND, d, d->col[cs->lower], d->col[cs->upper], TS_PLOT_BLUE, 0.8,
		       1.0, "lower..upper") != 0)
		return -1;
	if (!overlay && yhat == NULL && cs->expected != TS_NO_COL && has_value(d->col[cs->expected], d->n) &&
	    layer_from(p, TS_PLOT_LINE, d, d->col[cs->expected], NULL, TS_PLOT_BLUE, 1, 1.2,
		       "expected") != 0)
		return -1;
	if (!overlay && yhat != NULL &&
	    layer_from(p, TS_PLOT_LINE, d, yhat, NULL, TS_PLOT_BLUE, 1, 1.6, "yhat") != 0)
		return -1;
	for (size_t e = 0; with_extra && e < cs->nextra; e++) {
		size_t c = cs->extra[e];
		if (layer_from(p, TS_PLOT_LINE, d, d->col[c], NULL, palette[e % NPALETTE], 1, 1.3,
			       t->names[c]) != 0)
			return -1;
	}
	if (y != NULL) {
		if (overlay ? layer_from(p, TS_PLOT_LINE, d, y, NULL, series_rgb, 1, 1.3, series_label)
			    : layer_from(p, TS_PLOT_POINTS, d, y, NULL, TS_PLOT_INK, 1, 1.6, t->names[cs->y]))
			return -1;
	}
	if (cs->anomaly != TS_NO_COL) {
		struct ts_plot_layer *l = add_layer(p, TS_PLOT_POINTS, d->n, TS_PLOT_RED, 1, 3.6, "anomaly");
		double *a = d->col[cs->anomaly];
		double *at = y != NULL ? y : yhat;

		if (l == NULL)
			return -1;
		l->anomaly = true;
		l->n = 0;
		for (size_t i = 0; i < d->n; i++) {
			double v = at != NULL ? at[i] : NAN;
			if (isnan(v) && cs->expected != TS_NO_COL)
				v = d->col[cs->expected][i];
			if (a[i] == 1 && !isnan(v)) {
				l->x[l->n] = d->x[i];
				l->y[l->n] = v;
				l->y2[l->n] = NAN;
				l->n++;
			}
		}
	}
	return 0;
}

static int alloc_panels(struct ts_plot_cell *cell, size_t n)
{
	cell->panels = ts_calloc(n, sizeof *cell->panels);
	if (cell->panels == NULL)
		return -1;
	cell->npanels = n;
	return 0;
}

int ts_plot_build(const struct ts_table *t, const struct ts_roles *roles,
		  const struct ts_groups *g, const struct ts_plot_opts *o,
		  struct ts_plot_figure *fig, struct ts_err *err)
{
	struct colset cs;
	bool components;
	size_t comp[40], ncomp = 0, npoints = 0;
	size_t max_series = o->max_series > 0 ? o->max_series : TS_PLOT_MAX_SERIES;
	int rc;

	memset(fig, 0, sizeof *fig);
	if ((rc = find_columns(t, roles, o, &cs, err)) != 0)
		return rc;
	if (o->components >= 0)
		components = o->components == 1;
	else
		components = cs.yhat == TS_NO_COL &&
			     (cs.trend != TS_NO_COL || cs.nseasonal > 0 || cs.remainder != TS_NO_COL);
	if (components) {
		if (cs.trend != TS_NO_COL)
			comp[ncomp++] = cs.trend;
		for (size_t i = 0; i < cs.nseasonal; i++)
			comp[ncomp++] = cs.seasonal[i];
		if (cs.remainder != TS_NO_COL)
			comp[ncomp++] = cs.remainder;
		for (size_t i = 0; i < cs.nextra; i++)
			comp[ncomp++] = cs.extra[i];
	}
	if (o->title != NULL) {
		snprintf(fig->title, sizeof fig->title, "%s", o->title);
	} else {
		struct ts_buf b = { 0 };
		ts_buf_puts(&b, roles->value != TS_NO_COL ? t->names[roles->value] : t->names[roles->time]);
		for (size_t k = 0; k < roles->nkeys; k++) {
			ts_buf_puts(&b, k == 0 ? " by " : ",");
			ts_buf_puts(&b, t->names[roles->keys[k]]);
		}
		ts_buf_putc(&b, '\0');
		snprintf(fig->title, sizeof fig->title, "%s", b.failed ? "" : b.data);
		ts_buf_free(&b);
	}
	fig->nseries = g->n;
	fig->legend = true;
	if (o->only_anomalies && cs.anomaly == TS_NO_COL)
		return ts_err_set(err, TS_EDATA, "--only-anomalies: no column \"anomaly\" (draw what "
				  "ts-detect writes)");
	fig->cells = ts_calloc(g->n + 1, sizeof *fig->cells);
	if (fig->cells == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t gi = 0; gi < g->n; gi++) {
		struct ts_plot_cell *cell;
		struct sdata d;
		struct ts_buf label = { 0 };
		const char *lab;
		size_t slot;

		rc = sdata_load(t, roles, g->rows + g->start[gi], g->start[gi + 1] - g->start[gi], o, &cs,
				&d, err);
		if (rc != 0)
			goto fail;
		if (gi == 0)
			fig->zone = d.zone;
		fig->skipped += d.skipped;
		sdata_window(&d, t, &cs, o);
		sdata_floor(&d, &cs, o);
		if (o->only_anomalies && !sdata_has_anomaly(&d, &cs)) {
			sdata_free(&d, t->ncols);
			continue;
		}
		slot = fig->nshown++;
		if (slot >= max_series) {
			sdata_free(&d, t->ncols);
			continue;
		}
		npoints += d.n;
		cell = &fig->cells[o->overlay ? 0 : slot];
		if (!o->overlay || slot == 0)
			fig->ncells++;
		ts_group_label(t, roles, g, gi, &label);
		ts_buf_putc(&label, '\0');
		lab = label.failed ? "" : label.data;
		if (cell->panels == NULL && alloc_panels(cell, 1 + ncomp) != 0) {
			ts_buf_free(&label);
			sdata_free(&d, t->ncols);
			goto nomem;
		}
		if (!o->overlay)
			snprintf(cell->title, sizeof cell->title, "%s", lab);
		if (components && ncomp > 0)
			snprintf(cell->panels[0].title, sizeof cell->panels[0].title, "%s",
				 cs.y != TS_NO_COL ? t->names[cs.y] : "");
		if (o->floor) {
			cell->panels[0].has_base = true;
			cell->panels[0].base = o->floor_at;
		}
		rc = main_panel(&cell->panels[0], &d, &cs, t, !components, o->overlay,
				palette[slot % NPALETTE], lab);
		for (size_t k = 0; rc == 0 && k < ncomp; k++) {
			struct ts_plot_panel *p = &cell->panels[1 + k];
			snprintf(p->title, sizeof p->title, "%s", t->names[comp[k]]);
			rc = layer_from(p, TS_PLOT_LINE, &d, d.col[comp[k]], NULL,
					o->overlay ? palette[slot % NPALETTE] : TS_PLOT_BLUE, 1, 1.3,
					o->overlay ? lab : "");
		}
		ts_buf_free(&label);
		sdata_free(&d, t->ncols);
		if (rc != 0)
			goto nomem;
	}
	if (fig->nshown > max_series && o->warn != NULL) {
		struct ts_err w = { 0 };
		ts_err_set(&w, TS_EDATA, "drawing the first %zu of %zu series%s (--max-series N draws more%s)",
			   max_series, fig->nshown, o->only_anomalies ? " with an anomaly" : "",
			   o->only_anomalies ? "" : ", --only-anomalies those with an anomaly");
		o->warn(o->warn_ctx, &w);
	}
	if (fig->nshown > max_series)
		fig->nshown = max_series;
	if (o->only_anomalies && fig->nshown == 0) {
		snprintf(fig->note, sizeof fig->note, "no series with an anomaly%s",
			 o->window != TS_PLOT_ALL ? " in the window --last shows" : "");
		return 0;
	}
	if (npoints == 0) {
		rc = ts_err_set(err, TS_EDATA, "nothing to draw: no rows with a timestamp");
		goto fail;
	}
	return 0;
nomem:
	rc = ts_err_set(err, TS_ENOMEM, "out of memory");
fail:
	ts_plot_free(fig);
	return rc;
}

/* ---- ticks and labels ---- */

size_t ts_plot_ticks(double lo, double hi, size_t max, double *out, double *step)
{
	double raw, mag, s = 1, span, k0, k1;
	static const double mult[] = { 1, 2, 5, 10 };
	size_t n = 0;

	if (max < 2)
		max = 2;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double tmp = lo;
		lo = hi;
		hi = tmp;
	}
	if (hi == lo) {
		double w = lo == 0 ? 1 : fabs(lo) * 0.1;
		lo = fmax(lo - w, -DBL_MAX);
		hi = fmin(hi + w, DBL_MAX);
		if (!(hi > lo)) {	/* w vanished among the subnormals */
			lo -= 1;
			hi += 1;
		}
	}
	span = hi - lo;
	if (isfinite(span)) {
		raw = span / (double)(max - 1);
		mag = pow(10, floor(log10(raw)));
	} else {
		/* wider than DBL_MAX: a tenth of it is not */
		raw = (hi * 0.1 - lo * 0.1) / (double)(max - 1);
		mag = pow(10, floor(log10(raw)) + 1);
	}
	if (!(mag >= DBL_MIN))
		mag = DBL_MIN;	/* a range among the subnormals: a tick or two */
	for (size_t m = 0; m < 4; m++) {
		if (!isfinite(mult[m] * mag))
			break;	/* the largest step a double holds, even if it gives more ticks */
		s = mult[m] * mag;
		if (floor(hi / s + 1e-9) - ceil(lo / s - 1e-9) + 1 <= (double)max)
			break;
	}
	/* Far from 0 a double cannot count by one: step by multiples from k0
	 * and keep each tick above the one before. */
	k0 = ceil(lo / s - 1e-9);
	k1 = floor(hi / s + 1e-9);
	for (size_t j = 0; n < max && j < 4 * max + 16; j++) {
		double k = k0 + (double)j, v;
		if (k > k1)
			break;
		v = k * s;
		v = fabs(v) < s * 1e-9 ? 0 : v;
		if (n == 0 || v > out[n - 1])
			out[n++] = v;
	}
	*step = s;
	return n;
}

static int decimals_for(double step)
{
	int d;

	if (!(step > 0) || !isfinite(step))
		return 0;
	d = (int)ceil(-log10(step) - 1e-9);
	if (d < 0)
		d = 0;
	while (d < 9 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6 * step * pow(10, d))
		d++;
	return d;
}

/* v in exponent form with the significant digits ticks step apart need,
 * mantissa zeros and the exponent's plus sign and zeros dropped: "1.2e60",
 * "-5e-300". At most 24 characters. */
static size_t si_exponent(double v, double step, char *buf)
{
	char tmp[48], *e, *m;
	int sig = 6, len;

	if (step > 0 && isfinite(step))
		sig = (int)floor(log10(fabs(v))) - (int)floor(log10(step)) + 1;
	if (sig < 1)
		sig = 1;
	if (sig > 17)
		sig = 17;
	snprintf(tmp, sizeof tmp, "%.*e", sig - 1, v);
	e = strchr(tmp, 'e');
	m = e;
	while (m > tmp && m[-1] == '0')
		m--;
	if (m > tmp && m[-1] == '.')
		m--;
	len = (int)(m - tmp);
	memcpy(buf, tmp, (size_t)len);
	buf[len++] = 'e';
	e++;
	if (*e == '-')
		buf[len++] = *e;
	if (*e == '-' || *e == '+')
		e++;
	while (*e == '0' && e[1] != '\0')
		e++;
	len += snprintf(buf + len, 32 - (size_t)len, "%s", e);
	return (size_t)len;
}

size_t ts_plot_si(double v, double step, char *buf)
{
	static const char *big[] = { "", "k", "M", "G", "T", "P", "E" };
	static const char *small[] = { "", "m", "u", "n" };
	const char *suffix = "";
	double scale = 1, a = fabs(v);
	int len, decimals;

	if (!isfinite(v))
		return (size_t)snprintf(buf, 32, "%s", isnan(v) ? "" : v > 0 ? "inf" : "-inf");
	if (!isfinite(step))
		step = 0;	/* no step to round to */
	if (step > 0 && a < step * 1e-6)
		v = a = 0;
	/* Beyond the suffixes a label would run to dozens of digits. */
	if (a >= 1e21 || (a > 0 && a < 1e-12))
		return si_exponent(v, step, buf);
	if (a >= 1000) {
		int e = (int)floor(log10(a) / 3 + 1e-12);
		if (e > 6)
			e = 6;
		scale = pow(1000, e);
		suffix = big[e];
	} else if (a > 0 && a < 0.001) {
		int e = (int)floor(-log10(a) / 3 - 1e-12) + 1;
		if (e > 3)
			e = 3;
		scale = pow(1000, -e);
		suffix = small[e];
	}
	/* Below 1000 a double has no digits past the 17th decimal: with the
	 * sign, 3 + 1 + 17 characters and the suffix always fit in 32. */
	decimals = decimals_for(step > 0 ? step / scale : 1);
	if (decimals > 17)
		decimals = 17;
	len = snprintf(buf, 32, "%.*f", decimals, v / scale);
	if (strchr(buf, '.') != NULL) {
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		len = snprintf(buf, 32, "0");
	len += snprintf(buf + len, 32 - (size_t)len, "%s", suffix);
	return (size_t)len;
}

static const char *const month_abbr[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

struct civil {
	int64_t year;
	unsigned month, day, hour, min, sec;
};

static void wall_civil(ts_time t, const struct ts_zone *zone, struct civil *c)
{
	ts_time wall = t + (ts_time)ts_zone_offset(zone, t) * TS_US_PER_S;
	int64_t days = wall / TS_US_PER_DAY, sod;

	if (wall % TS_US_PER_DAY < 0)
		days--;
	sod = (wall - days * TS_US_PER_DAY) / TS_US_PER_S;
	ts_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (unsigned)(sod / 3600);
	c->min = (unsigned)(sod / 60 % 60);
	c->sec = (unsigned)(sod % 60);
}

#define TIME_TICKS_MAX_S 4e11	/* seconds: about 12,700 years either side of 1970 */

/* Days of the month from the 1st, k apart (1, 8, 15, 22 for k = 7), as
 * wall-clock midnights within [a, b]; the last of a month is left out when
 * the next month's 1st comes sooner than k days after it. At most max + 1. */
static size_t mday_ticks(ts_time a, ts_time b, unsigned k, const struct ts_zone *zone, size_t max,
			 double *out)
{
	const struct ts_dur day = { .us = TS_US_PER_DAY };
	size_t n = 0;

	for (ts_time t = ts_bucket_floor(a, &day, zone); t <= b && n <= max; t = ts_bucket_next(t, &day, zone)) {
		struct civil c;
		int64_t dim;

		if (t < a)
			continue;
		wall_civil(t, zone, &c);
		dim = ts_days_from_civil(c.month == 12 ? c.year + 1 : c.year, c.month == 12 ? 1 : c.month + 1, 1) -
		      ts_days_from_civil(c.year, c.month, 1);
		if ((c.day - 1) % k == 0 && c.day + k <= dim + 1)
			out[n++] = (double)t / 1e6;
	}
	return n;
}

size_t ts_plot_time_ticks(double t0, double t1, const struct ts_zone *zone, size_t max,
			  double *out, char (*labels)[32])
{
	/* mday: days of the month k apart rather than every s seconds */
	static const struct { int32_t months; int64_t s; unsigned mday; } steps[] = {
		{ 0, 1, 0 }, { 0, 2, 0 }, { 0, 5, 0 }, { 0, 10, 0 }, { 0, 15, 0 }, { 0, 30, 0 },
		{ 0, 60, 0 }, { 0, 120, 0 }, { 0, 300, 0 }, { 0, 600, 0 }, { 0, 900, 0 }, { 0, 1800, 0 },
		{ 0, 3600, 0 }, { 0, 7200, 0 }, { 0, 10800, 0 }, { 0, 21600, 0 }, { 0, 43200, 0 },
		{ 0, 86400, 0 }, { 0, 172800, 2 }, { 0, 604800, 7 }, { 0, 1209600, 14 },
		{ 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 }, { 6, 0, 0 }, { 12, 0, 0 }, { 24, 0, 0 }, { 60, 0, 0 },
		{ 120, 0, 0 }, { 240, 0, 0 }, { 600, 0, 0 }, { 1200, 0, 0 }, { 6000, 0, 0 }, { 12000, 0, 0 }
	};
	size_t n = 0, si;
	struct ts_dur d = { 0 };

	/* Timestamps lie within years 0000-9999; far beyond them the
	 * microsecond counts would not fit in a ts_time. */
	if (max == 0 || !(t1 >= t0) || !(t0 >= -TIME_TICKS_MAX_S) || !(t1 <= TIME_TICKS_MAX_S))
		return 0;
	for (si = 0; si < sizeof steps / sizeof steps[0]; si++) {
		double len = steps[si].months > 0 ? steps[si].months * 30.44 * 86400 : (double)steps[si].s;
		ts_time a = (ts_time)floor(t0 * 1e6), b = (ts_time)ceil(t1 * 1e6);

		if ((t1 - t0) / len + 1 > (double)max)
			continue;
		d.months = steps[si].months;
		d.us = steps[si].s * TS_US_PER_S;
		n = 0;
		if (steps[si].mday > 0) {
			n = mday_ticks(a, b, steps[si].mday, zone, max, out);
		} else {
			ts_time k = ts_bucket_floor(a, &d, zone);
			if (k < a)
				k = ts_bucket_next(k, &d, zone);
			for (; k <= b && n <= max; k = ts_bucket_next(k, &d, zone))
				out[n++] = (double)k / 1e6;
		}
		if (n <= max)
			break;
	}
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++) {
		struct civil c, prev;
		ts_time t = (ts_time)llround(out[i] * 1e6);
		bool newday = true, newyear = true;

		wall_civil(t, zone, &c);
		if (i > 0) {
			wall_civil((ts_time)llround(out[i - 1] * 1e6), zone, &prev);
			newday = prev.day != c.day || prev.month != c.month || prev.year != c.year;
			newyear = prev.year != c.year;
		}
		if (d.months >= 12)
			snprintf(labels[i], 32, "%lld", (long long)c.year);
		else if (d.months > 0)
			snprintf(labels[i], 32, "%s %lld", month_abbr[c.month - 1], (long long)c.year);
		else if (d.us >= TS_US_PER_DAY)
			snprintf(labels[i], 32, newyear ? "%s %02u %lld" : "%s %02u",
				 month_abbr[c.month - 1], c.day, (long long)c.year);
		else if (c.hour == 0 && c.min == 0 && c.sec == 0)
			snprintf(labels[i], 32, "%s %02u", month_abbr[c.month - 1], c.day);
		else if (d.us < 60 * TS_US_PER_S)
			snprintf(labels[i], 32, "%02u:%02u:%02u", c.hour, c.min, c.sec);
		else if (i == 0 && newday)
			snprintf(labels[i], 32, "%s %02u %02u:%02u", month_abbr[c.month - 1], c.day,
				 c.hour, c.min);
		else
			snprintf(labels[i], 32, "%02u:%02u", c.hour, c.min);
	}
	return n;
}

size_t ts_plot_time_axis(double t0, double t1, const struct ts_zone *zone, double width, double char_w,
			 size_t max, double *out, char (*labels)[32])
{
	size_t n = 0, fewest = max < 2 ? max : 2;

	if (!(t1 > t0) || !(width > 0))
		return ts_plot_time_ticks(t0, t1, zone, fewest, out, labels);
	/* From the densest set down: each try allows one tick fewer than the
	 * set that did not fit, so the step grows until the labels fit. */
	while (max >= 2) {
		bool fits = true;

		n = ts_plot_time_ticks(t0, t1, zone, max, out, labels);
		for (size_t i = 1; i < n && fits; i++) {
			double gap = (out[i] - out[i - 1]) / (t1 - t0) * width;
			/* The first label may carry the year; when it is too
			 * long for its neighbour the axis drops that one. */
			size_t before = i == 1 ? strlen(labels[1]) : strlen(labels[i - 1]);
			double need = ((double)(before + strlen(labels[i])) / 2 + 1) * char_w;
			fits = gap >= need;
		}
		if (fits || n < 2)
			return n;
		max = n - 1;
	}
	/* not even two fit: two all the same (the drawing drops a label that
	 * would touch another) */
	return ts_plot_time_ticks(t0, t1, zone, fewest, out, labels);
}

/* ---- layout ---- */

#define MAXTICKS 24

struct theme {
	uint32_t bg, ink, text, grid, axis;
};

static void theme_of(enum ts_plot_theme th, struct theme *t)
{
	if (th == TS_PLOT_DARK)
		*t = (struct theme){ 0x1E1E1E, 0xE8E8E8, 0xDDDDDD, 0x383838, 0x888888 };
	else
		*t = (struct theme){ 0xFFFFFF, 0x1A1A1A, 0x333333, 0xE6E6E6, 0x999999 };
}

static uint32_t ink(uint32_t rgb, const struct theme *t)
{
	return rgb == TS_PLOT_INK ? t->ink : rgb;
}

struct pgeom {
	double x0, y0, x1, y1;		/* plot area */
	double cx0;			/* the cell's left edge */
	double xmin, xmax, ymin, ymax;
	double yt[MAXTICKS], ystep;
	size_t nyt;
	double title_y;			/* middle of the panel title line */
	bool xlabels;
};

static void cell_xrange(const struct ts_plot_cell *cell, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t p = 0; p < cell->npanels; p++)
		for (size_t l = 0; l < cell->panels[p].nlayers; l++) {
			const struct ts_plot_layer *ly = &cell->panels[p].layers[l];
			for (size_t i = 0; i < ly->n; i++) {
				if (ly->x[i] < *lo)
					*lo = ly->x[i];
				if (ly->x[i] > *hi)
					*hi = ly->x[i];
			}
		}
	if (!(*lo <= *hi)) {
		*lo = 0;
		*hi = 1;
	}
	if (*lo == *hi) {
		*lo -= 1800;
		*hi += 1800;
	} else {
		double pad = (*hi - *lo) * 0.02;
		*lo -= pad;
		*hi += pad;
	}
}

static void panel_yrange(const struct ts_plot_panel *p, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t l = 0; l < p->nlayers; l++) {
		const struct ts_plot_layer *ly = &p->layers[l];
		if (ly->kind == TS_PLOT_SPAN)
			continue;
		for (size_t i = 0; i < ly->n; i++) {
			double v[2] = { ly->y[i], ly->y2[i] };
			for (int k = 0; k < 2; k++)
				if (isfinite(v[k])) {
					if (v[k] < *lo)
						*lo = v[k];
					if (v[k] > *hi)
						*hi = v[k];
				}
		}
	}
	if (p->has_base && *lo >= p->base && *hi > p->base)
		*lo = p->base;
	ts_plot_value_range(*lo, *hi, lo, hi);
}

void ts_plot_value_range(double lo, double hi, double *axis_lo, double *axis_hi)
{
	if (!(lo <= hi)) {
		lo = 0;
		hi = 1;
	}
	if (lo == hi) {
		double w = lo == 0 ? 1 : fabs(lo) * 0.1;
		lo -= w;
		hi += w;
	} else if (lo >= 0 && lo <= hi / 4) {
		/* Counts and other non-negative data: from 0, as most readers
		 * expect of them, when that costs at most a quarter of the
		 * height; not when 0 would flatten a range far above it. */
		double pad = hi * 0.05;
		lo = -pad * 0.5;
		hi += pad;
	} else {
		/* values near DBL_MAX: pad without overflowing */
		double pad = hi * 0.05 - lo * 0.05;
		lo -= pad;
		hi += pad;
	}
	lo = fmax(lo, -DBL_MAX);
	hi = fmin(hi, DBL_MAX);
	if (!(lo < hi)) {	/* the pad vanished among the subnormals */
		lo -= 1;
		hi += 1;
	}
	*axis_lo = lo;
	*axis_hi = hi;
}

struct legend_entry {
	const struct ts_plot_layer *layer;
};

static size_t legend_entries(const struct ts_plot_figure *fig, struct legend_entry *e, size_t max)
{
	size_t n = 0;

	for (size_t c = 0; c < fig->ncells; c++)
		for (size_t p = 0; p < fig->cells[c].npanels; p++)
			for (size_t l = 0; l < fig->cells[c].panels[p].nlayers; l++) {
				const struct ts_plot_layer *ly = &fig->cells[c].panels[p].layers[l];
				bool seen = ly->label[0] == '\0';
				for (size_t i = 0; i < n && !seen; i++)
					seen = strcmp(e[i].layer->label, ly->label) == 0;
				if (ly->kind == TS_PLOT_POINTS && ly->anomaly && ly->n == 0)
					seen = true;
				if (!seen && n < max)
					e[n++].layer = ly;
			}
	return n;
}

/* Vertical spacing, in canvas units: a picture breathes around its text; a
 * terminal has whole lines only and no room to spare, so each text line takes
 * one and panels touch. */
struct rhythm {
	double top;		/* above the title */
	double title, legend;	/* the figure's title and legend lines */
	double cell_title;	/* a series' title over its cell */
	double panel_title;	/* a panel's title line */
	double panel_title_mid;	/* where in that line the text sits */
	double gap;		/* between stacked panels */
	double xlabels;		/* the time axis labels under the last panel */
	double xlabel_mid;	/* their middle, below the axis */
	double bottom;		/* below the labels */
};

static void rhythm_of(const struct ts_plot_canvas *cv, struct rhythm *r)
{
	double f = cv->font;

	if (cv->coarse)
		*r = (struct rhythm){ 0, f, f, f, f, f * 0.5, 0, f, f, 0 };
	else
		*r = (struct rhythm){ f * 0.6, f * 1.8, f * 1.6, f * 1.5, f * 1.4, f * 0.6, f * 0.7, f * 1.8,
				      f * 0.9, f * 0.4 };
}

static double header_height(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv)
{
	struct rhythm r;
	double h;

	rhythm_of(cv, &r);
	h = r.top;
	if (fig->title[0] != '\0')
		h += r.title;
	if (fig->legend)
		h += r.legend;
	return h;
}

static size_t grid_cols(size_t ncells)
{
	size_t c = 1;

	while (c * c < ncells)
		c++;
	return c;
}

/* Geometry of panel pi of cell ci. */
static void panel_geom(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, size_t ci,
		       size_t pi, struct pgeom *g)
{
	const struct ts_plot_cell *cell = &fig->cells[ci];
	size_t gc = grid_cols(fig->ncells), gr = (fig->ncells + gc - 1) / gc;
	double top = header_height(fig, cv), margin = cv->font * 0.8;
	double cw = (cv->width - margin) / (double)gc, ch = (cv->height - top) / (double)gr;
	double cx, cy, avail, ph, extra = 0, label_w = 0;
	size_t maxyt;
	double titles = 0;
	struct rhythm r;

	rhythm_of(cv, &r);
	if (cv->coarse)	/* whole lines for each cell */
		ch = floor(ch / cv->font) * cv->font;
	cx = margin * 0.5 + (double)(ci % gc) * cw;
	cy = top + (double)(ci / gc) * ch;
	if (cell->title[0] != '\0') {
		cy += r.cell_title;
		ch -= r.cell_title;
	}
	for (size_t p = 0; p < cell->npanels; p++)
		if (cell->panels[p].title[0] != '\0')
			titles += r.panel_title;
	avail = ch - r.xlabels - titles - r.gap * (double)(cell->npanels - 1) - r.bottom;
	ph = avail / (double)cell->npanels;
	if (cv->coarse && ph >= cv->font) {
		/* Whole lines for each panel, the lines left over to the
		 * first (the picture itself, above its components). */
		ph = floor(ph / cv->font) * cv->font;
		extra = avail - ph * (double)cell->npanels;
	}
	maxyt = (size_t)(ph / (cv->font * 1.7));
	if (maxyt < 4)
		maxyt = 4;
	if (maxyt > 10)
		maxyt = 10;
	/* One left margin for the whole cell, so the panels line up. */
	for (size_t p = 0; p < cell->npanels; p++) {
		double lo, hi, t[MAXTICKS], st;
		size_t n;
		panel_yrange(&cell->panels[p], &lo, &hi);
		n = ts_plot_ticks(lo, hi, maxyt, t, &st);
		for (size_t i = 0; i < n; i++) {
			char b[32];
			double w = (double)ts_plot_si(t[i], st, b) * cv->char_w;
			if (w > label_w)
				label_w = w;
		}
		if (p == pi) {
			g->ymin = lo;
			g->ymax = hi;
			g->nyt = n;
			g->ystep = st;
			memcpy(g->yt, t, n * sizeof *t);
		}
	}
	cell_xrange(cell, &g->xmin, &g->xmax);
	g->cx0 = cx;
	g->x0 = cx + label_w + cv->char_w * 1.5;
	g->x1 = cx + cw - margin * 0.5;
	g->y0 = cy;
	for (size_t p = 0; p <= pi; p++) {
		if (cell->panels[p].title[0] != '\0') {
			g->title_y = g->y0 + r.panel_title_mid;
			g->y0 += r.panel_title;
		}
		if (p < pi)
			g->y0 += ph + (p == 0 ? extra : 0) + r.gap;
	}
	/* On a terminal the axis takes the panel's last line of dots, so the
	 * next line (a title, the labels) is clear of it. */
	g->y1 = g->y0 + ph + (pi == 0 ? extra : 0) - (cv->coarse ? 1 : 0);
	g->xlabels = pi + 1 == cell->npanels;
	if (g->x1 <= g->x0 + 1)
		g->x1 = g->x0 + 1;
	if (g->y1 <= g->y0 + 1)
		g->y1 = g->y0 + 1;
}

static double gx(const struct pgeom *g, double x)
{
	return g->x0 + (x - g->xmin) / (g->xmax - g->xmin) * (g->x1 - g->x0);
}

static double gy(const struct pgeom *g, double v)
{
	/* halves: the same ratio, exactly, and no overflow when the range
	 * spans nearly all the doubles */
	return g->y1 - (v * 0.5 - g->ymin * 0.5) / (g->ymax * 0.5 - g->ymin * 0.5) * (g->y1 - g->y0);
}

bool ts_plot_locate(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, size_t ci,
		    size_t pi, double x, double v, double *px, double *py)
{
	struct pgeom g;

	if (ci >= fig->ncells || pi >= fig->cells[ci].npanels)
		return false;
	panel_geom(fig, cv, ci, pi, &g);
	*px = gx(&g, x);
	*py = gy(&g, v);
	return true;
}

/* Runs of consecutive points where every needed value is present. */
static int draw_runs(const struct ts_plot_layer *ly, const struct pgeom *g,
		     const struct ts_plot_canvas *cv, uint32_t rgb, struct ts_err *err)
{
	double *xs = ts_mallocarray(ly->n + 1, sizeof *xs);
	double *a = ts_mallocarray(ly->n + 1, sizeof *a);
	double *b = ts_mallocarray(ly->n + 1, sizeof *b);
	size_t i = 0;

	if (xs == NULL || a == NULL || b == NULL) {
		free(xs);
		free(a);
		free(b);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	while (i < ly->n) {
		size_t m = 0;
		bool two = ly->kind != TS_PLOT_LINE;
		while (i < ly->n && (isnan(ly->y[i]) || (two && isnan(ly->y2[i]))))
			i++;
		while (i < ly->n && !isnan(ly->y[i]) && !(two && isnan(ly->y2[i]))) {
			xs[m] = gx(g, ly->x[i]);
			a[m] = gy(g, ly->y[i]);
			b[m] = two ? gy(g, ly->y2[i]) : 0;
			m++;
			i++;
		}
		if (m == 0)
			continue;
		if (ly->kind == TS_PLOT_LINE) {
			if (m == 1)
				cv->point(cv->ctx, xs[0], a[0], ly->size * cv->px, rgb);
			else
				cv->line(cv->ctx, xs, a, m, rgb, ly->alpha, ly->size * cv->px, false);
		} else if (ly->kind == TS_PLOT_BAND && !cv->coarse) {
			cv->band(cv->ctx, xs, a, b, m, rgb, ly->alpha);
		} else {
			/* Dashed band, and every band on a terminal: its two
			 * edges; there dashed and of a lighter colour, apart
			 * from the yhat line inside it. */
			bool dashed = ly->kind == TS_PLOT_DBAND || cv->coarse;
			double alpha = ly->kind == TS_PLOT_BAND ? 0.5 : ly->alpha;
			uint32_t edge = cv->coarse ? TS_PLOT_SKY : rgb;
			cv->line(cv->ctx, xs, a, m, edge, alpha, cv->px, dashed);
			cv->line(cv->ctx, xs, b, m, edge, alpha, cv->px, dashed);
		}
	}
	free(xs);
	free(a);
	free(b);
	return 0;
}

static int draw_panel(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, size_t ci,
		      size_t pi, const struct theme *th, struct ts_err *err)
{
	const struct ts_plot_panel *p = &fig->cells[ci].panels[pi];
	struct pgeom g;
	struct rhythm r;
	double xt[MAXTICKS + 1];
	char xl[MAXTICKS + 1][32];
	size_t nxt, maxxt;
	int pass;

	rhythm_of(cv, &r);
	panel_geom(fig, cv, ci, pi, &g);
	maxxt = (size_t)((g.x1 - g.x0) / (cv->char_w * 6));
	if (maxxt < 2)
		maxxt = 2;
	if (maxxt > MAXTICKS)
		maxxt = MAXTICKS;
	nxt = ts_plot_time_axis(g.xmin, g.xmax, &fig->zone, g.x1 - g.x0, cv->char_w, maxxt, xt, xl);
	if (!cv->coarse) {
		for (size_t i = 0; i < g.nyt; i++) {
			double y[2] = { gy(&g, g.yt[i]), gy(&g, g.yt[i]) }, x[2] = { g.x0, g.x1 };
			cv->line(cv->ctx, x, y, 2, th->grid, 1, cv->px, false);
		}
		for (size_t i = 0; i < nxt; i++) {
			double x[2] = { gx(&g, xt[i]), gx(&g, xt[i]) }, y[2] = { g.y0, g.y1 };
			cv->line(cv->ctx, x, y, 2, th->grid, 1, cv->px, false);
		}
	}
	/* Shading, bands, lines, points, then anomalies on top. */
	for (pass = 0; pass < 5; pass++)
		for (size_t l = 0; l < p->nlayers; l++) {
			const struct ts_plot_layer *ly = &p->layers[l];
			uint32_t rgb = ink(ly->rgb, th);
			int want = ly->kind == TS_PLOT_SPAN ? 0 :
				   ly->kind == TS_PLOT_BAND || ly->kind == TS_PLOT_DBAND ? 1 :
				   ly->kind == TS_PLOT_LINE ? 2 : ly->anomaly ? 4 : 3;
			if (want != pass)
				continue;
			if (ly->kind == TS_PLOT_SPAN) {
				double a = gx(&g, ly->x[0]), b = gx(&g, ly->x[1]);
				if (!cv->coarse)
					cv->rect(cv->ctx, a, g.y0, b - a, g.y1 - g.y0, rgb, ly->alpha);
				else {
					double x[2] = { a, a }, y[2] = { g.y0, g.y1 };
					cv->line(cv->ctx, x, y, 2, th->axis, 1, cv->px, true);
				}
			} else if (ly->kind == TS_PLOT_POINTS) {
				for (size_t i = 0; i < ly->n; i++)
					cv->point(cv->ctx, gx(&g, ly->x[i]), gy(&g, ly->y[i]),
						  ly->size * cv->px, rgb);
			} else if (draw_runs(ly, &g, cv, rgb, err) != 0) {
				return err->code;
			}
		}
	{
		double x[3] = { g.x0, g.x0, g.x1 }, y[3] = { g.y0, g.y1, g.y1 };
		cv->line(cv->ctx, x, y, 3, th->axis, 1, cv->px, false);
	}
	for (size_t i = 0, shown = SIZE_MAX; i < g.nyt; i++) {
		char b[32];
		/* Labels that would touch the one below are left out. */
		if (shown != SIZE_MAX && gy(&g, g.yt[shown]) - gy(&g, g.yt[i]) < cv->font * 1.2)
			continue;
		ts_plot_si(g.yt[i], g.ystep, b);
		cv->text(cv->ctx, g.x0 - cv->char_w * 0.8, gy(&g, g.yt[i]), b, cv->font, th->text, 1);
		shown = i;
	}
	if (g.xlabels) {
		double end = 0;
		for (size_t i = 0; i < nxt; i++) {
			/* Labels stay within their cell (whole, beside a
			 * neighbour's) and never touch the one before. */
			double half = (double)strlen(xl[i]) * cv->char_w / 2;
			double x = fmax(fmin(gx(&g, xt[i]), g.x1 + cv->char_w - half), g.cx0 + half);
			if (i > 0 && x - half < end + cv->char_w)
				continue;
			cv->text(cv->ctx, x, g.y1 + r.xlabel_mid, xl[i], cv->font, th->text, 0);
			end = x + half;
		}
	}
	if (p->title[0] != '\0')
		cv->text(cv->ctx, g.x0, g.title_y, p->title, cv->font, th->text, -1);
	return 0;
}

static void draw_legend(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv,
			const struct theme *th)
{
	struct legend_entry e[32];
	size_t n = legend_entries(fig, e, 32);
	struct rhythm r;
	double y, w = 0, x, sw = cv->font * 2;

	rhythm_of(cv, &r);
	y = r.top + (fig->title[0] != '\0' ? r.title : 0) + r.legend / 2;

	for (size_t i = 0; i < n; i++)
		w += sw + cv->char_w * ((double)strlen(e[i].layer->label) + 3);
	x = cv->width - cv->font * 0.8 - w;
	if (x < cv->font)
		x = cv->font;
	for (size_t i = 0; i < n; i++) {
		const struct ts_plot_layer *ly = e[i].layer;
		uint32_t rgb = ink(ly->rgb, th);
		double lx[2] = { x, x + sw }, ly2[2] = { y, y };

		switch (ly->kind) {
		case TS_PLOT_POINTS:
			cv->point(cv->ctx, x + sw / 2, y, ly->size * cv->px, rgb);
			break;
		case TS_PLOT_BAND:
			if (!cv->coarse) {
				cv->rect(cv->ctx, x, y - cv->font * 0.4, sw, cv->font * 0.8, rgb, ly->alpha);
				break;
			}
			/* fall through */
		case TS_PLOT_DBAND:
		case TS_PLOT_LINE:
			/* as draw_runs draws them */
			cv->line(cv->ctx, lx, ly2, 2, ly->kind != TS_PLOT_LINE && cv->coarse ? TS_PLOT_SKY : rgb, 1,
				 (ly->kind == TS_PLOT_LINE ? ly->size : 1) * cv->px,
				 ly->kind == TS_PLOT_DBAND || (ly->kind == TS_PLOT_BAND && cv->coarse));
			break;
		case TS_PLOT_SPAN:
			break;
		}
		cv->text(cv->ctx, x + sw + cv->char_w, y, ly->label, cv->font, th->text, -1);
		x += sw + cv->char_w * ((double)strlen(ly->label) + 3);
	}
}

int ts_plot_draw(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, struct ts_err *err)
{
	struct theme th;
	struct rhythm r;

	theme_of(cv->theme, &th);
	rhythm_of(cv, &r);
	cv->rect(cv->ctx, 0, 0, cv->width, cv->height, th.bg, 1);
	if (fig->title[0] != '\0')
		cv->text(cv->ctx, cv->width / 2, r.top + r.title / 2, fig->title, cv->font * 1.3, th.text, 0);
	if (fig->legend)
		draw_legend(fig, cv, &th);
	if (fig->ncells == 0 && fig->note[0] != '\0')
		cv->text(cv->ctx, cv->width / 2, (header_height(fig, cv) + cv->height) / 2, fig->note, cv->font,
			 th.text, 0);
	for (size_t c = 0; c < fig->ncells; c++) {
		const struct ts_plot_cell *cell = &fig->cells[c];
		if (cell->title[0] != '\0' && cell->npanels > 0) {
			struct pgeom g;
			panel_geom(fig, cv, c, 0, &g);
			cv->text(cv->ctx, (g.x0 + g.x1) / 2,
				 g.y0 - (cell->panels[0].title[0] != '\0' ? r.panel_title : 0) - r.cell_title / 2,
				 cell->title, cv->font * 1.1, th.text, 0);
		}
		for (size_t p = 0; p < cell->npanels; p++)
			if (draw_panel(fig, cv, c, p, &th, err) != 0)
				return err->code;
	}
	return 0;
}

void ts_plot_pixel_canvas(const struct ts_plot_size *size, struct ts_plot_canvas *cv)
{
	double s = size->dpi / 100;

	memset(cv, 0, sizeof *cv);
	cv->width = size->width;
	cv->height = size->height;
	cv->font = 13 * s;
	cv->char_w = 13 * s * 0.56;
	cv->px = s;
	cv->theme = size->theme;
}
