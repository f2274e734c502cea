/* SPDX-License-Identifier: GPL-3.0-or-later */
/* golden_classical: reading the R golden files of tests/data/golden/classical
 * (CSV series, forecasts and parameters) for test_ets and test_classical. */
#ifndef TS_GOLDEN_CLASSICAL_H
#define TS_GOLDEN_CLASSICAL_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "forecast/classical.h"

#define GOLDEN TS_TEST_DATA "/golden/classical/"
#define MAX_COLS 16

/* A CSV file with a header; fields that are not numbers read as NaN. */
struct table {
	size_t nrow, ncol;
	char names[MAX_COLS][32];
	double *col[MAX_COLS];
	char *text[MAX_COLS];	/* the raw first-column-keyed strings (params) */
};

static inline void table_read(const char *path, char sep, struct table *t)
{
	FILE *f = fopen(path, "r");
	char line[8192], seps[4] = { sep, '\r', '\n', '\0' };
	size_t cap = 0;

	memset(t, 0, sizeof *t);
	if (f == NULL)
		fail_msg("cannot open %s", path);
	if (fgets(line, sizeof line, f) == NULL)
		fail_msg("empty file %s", path);
	line[strcspn(line, "\r\n")] = '\0';
	for (char *s = line;;) {
		size_t len = strcspn(s, seps);

		assert_true(t->ncol < MAX_COLS);
		snprintf(t->names[t->ncol++], sizeof t->names[0], "%.*s", (int)len, s);
		if (s[len] != sep)
			break;
		s += len + 1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *s = line;
		size_t c;

		if (line[0] == '\n' || line[0] == '\0')
			continue;
		if (t->nrow == cap) {
			cap = cap == 0 ? 256 : 2 * cap;
			for (c = 0; c < t->ncol; c++) {
				t->col[c] = realloc(t->col[c], cap * sizeof(double));
				t->text[c] = realloc(t->text[c], cap * 64);
				assert_non_null(t->col[c]);
				assert_non_null(t->text[c]);
			}
		}
		for (c = 0; c < t->ncol; c++) {
			char *end;
			size_t len = strcspn(s, seps);
			double v = strtod(s, &end);

			t->col[c][t->nrow] = (end == s + len && len > 0) ? v : NAN;
			snprintf(t->text[c] + 64 * t->nrow, 64, "%.*s", (int)len, s);
			s += len;
			if (*s == sep)
				s++;
		}
		t->nrow++;
	}
	fclose(f);
}

static inline void table_free(struct table *t)
{
	for (size_t c = 0; c < t->ncol; c++) {
		free(t->col[c]);
		free(t->text[c]);
	}
}

static inline const double *column(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncol; c++)
		if (strcmp(t->names[c], name) == 0)
			return t->col[c];
	fail_msg("no column %s", name);
	return NULL;
}

/* Row of params.csv for name: its index. */
static inline size_t param_row(const struct table *p, const char *name)
{
	for (size_t r = 0; r < p->nrow; r++)
		if (strcmp(p->text[0] + 64 * r, name) == 0)
			return r;
	fail_msg("no params for %s", name);
	return 0;
}

static inline double param(const struct table *p, const char *name, const char *key)
{
	return column(p, key)[param_row(p, name)];
}

/* A golden case: the series, the forecast and R's. */
struct golden {
	struct table t, p;
	size_t n, h, m;
	double *y;
	struct ts_fc_spec spec;
	struct ts_fc_out out;
	double *buf;
};

static inline void golden_load(const char *name, struct golden *g)
{
	char path[256];
	const double *y, *mean;

	snprintf(path, sizeof path, GOLDEN "%s.csv", name);
	table_read(path, ',', &g->t);
	table_read(GOLDEN "params.csv", ';', &g->p);
	y = column(&g->t, "y");
	mean = column(&g->t, "mean");
	g->n = 0;
	while (g->n < g->t.nrow && !isnan(y[g->n]))
		g->n++;
	g->h = g->t.nrow - g->n;
	assert_true(isnan(mean[0]) && !isnan(mean[g->n]));
	g->m = (size_t)param(&g->p, name, "m");
	g->y = (double *)y;
	ts_fc_spec_init(&g->spec);
	g->spec.m = g->m;
	g->spec.h = g->h;
	g->spec.level = 0.8;
	g->spec.raw_band = true;	/* R's band, not calibrated (fcband.h) */
	g->buf = calloc(3 * (g->n + g->h), sizeof(double));
	assert_non_null(g->buf);
	g->out.fitted = g->buf;
	g->out.fitted_lower = g->buf + g->n;
	g->out.fitted_upper = g->buf + 2 * g->n;
	g->out.mean = g->buf + 3 * g->n;
	g->out.lower = g->out.mean + g->h;
	g->out.upper = g->out.lower + g->h;
}

static inline void golden_free(struct golden *g)
{
	table_free(&g->t);
	table_free(&g->p);
	free(g->buf);
}

/* Largest |ours - R's| / max(1, |R's|) over a golden column, with the
 * rows where R has no value required to be NaN in ours too. */
static inline double max_rel(const double *ours, const double *r, size_t n)
{
	double worst = 0;

	for (size_t i = 0; i < n; i++) {
		double d;

		if (isnan(r[i])) {
			assert_true(isnan(ours[i]));
			continue;
		}
		d = fabs(ours[i] - r[i]) / fmax(1.0, fabs(r[i]));
		if (!(d <= worst))
			worst = isnan(d) ? INFINITY : d;
	}
	return worst;
}

#endif
