/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodels: adapters that run classical models and the cross-validated
 * "auto" choice through the ts_forecast_fn interface of cv.h. */
#include "fcmodels.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "nainterp.h"
#include "period.h"

/* The history rows: from the first to the last row with a value. */
static int history_bounds(const struct ts_fc_series *s, size_t *first, size_t *last,
			  struct ts_err *err)
{
	size_t values = 0;

	*first = s->n;
	*last = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (isnan(s->y[i]))
			continue;
		if (*first == s->n)
			*first = i;
		*last = i;
		values++;
	}
	if (values < 2)
		return ts_err_set(err, TS_EDATA, "fewer than two points with a value");
	return 0;
}

/* Points per season: given, else the shortest period the interval implies
 * for the span the values cover (both periods, ascending, in periods). */
static size_t season_of(size_t given, const struct ts_fc_series *s, size_t periods[2],
			size_t *nperiods)
{
	bool known = s->interval.us > 0 || s->interval.months > 0;

	*nperiods = known ? ts_periods_for_interval(&s->interval, ts_fc_span(s), periods) : 0;
	if (given > 0) {
		periods[0] = given;
		*nperiods = 1;
		return given;
	}
	return *nperiods > 0 ? periods[0] : 1;
}

int ts_classical_forecast(const void *vcfg, const struct ts_fc_series *s, struct ts_fc_result *r,
			  struct ts_err *err)
{
	const struct ts_classical_cfg *cfg = vcfg;
	struct ts_fc_spec spec;
	struct ts_fc_out out;
	size_t first, last, len, h, periods[2], nperiods, m;
	double *buf = NULL, *y;
	int rc;

	if ((rc = history_bounds(s, &first, &last, err)) != 0)
		return rc;
	len = last - first + 1;
	h = s->n - last - 1;
	m = season_of(cfg->season, s, periods, &nperiods);
	/* y, then fitted, fitted bounds (len each), then mean and bounds (h + 1 each). */
	buf = ts_mallocarray(4 * len + 3 * (h + 1), sizeof *buf);
	if (buf == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	y = buf;
	rc = ts_na_interp(s->y + first, len, &m, m > 1 ? 1 : 0, y, err);
	if (rc != 0)
		goto out;
	ts_fc_spec_init(&spec);
	spec.m = m;
	spec.h = h > 0 ? h : 1;
	spec.level = cfg->level;
	spec.seed = (unsigned long)cfg->seed;
	spec.periods = periods;
	spec.nperiods = nperiods;
	if (m <= 1)
		spec.hw_season = TS_HW_NONSEASONAL;
	memset(&out, 0, sizeof out);
	out.fitted = buf + len;
	out.fitted_lower = buf + 2 * len;
	out.fitted_upper = buf + 3 * len;
	out.mean = buf + 4 * len;
	out.lower = out.mean + (h + 1);
	out.upper = out.lower + (h + 1);
	if ((rc = cfg->model->fit(y, len, &spec, &out, err)) != 0)
		goto out;
	for (size_t i = s->from; i < s->n; i++) {
		if (i < first) {
			r->yhat[i] = r->lower[i] = r->upper[i] = NAN;
		} else if (i <= last) {
			r->yhat[i] = out.fitted[i - first];
			r->lower[i] = out.fitted_lower[i - first];
			r->upper[i] = out.fitted_upper[i - first];
		} else {
			r->yhat[i] = out.mean[i - last - 1];
			r->lower[i] = out.lower[i - last - 1];
			r->upper[i] = out.upper[i - last - 1];
		}
	}
out:
	free(buf);
	return rc;
}

int ts_auto_choose(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s, size_t *best,
		   double *best_score, struct ts_err *err)
{
	size_t first, last, steps, periods[2], nperiods, m, values = 0;
	double *hist = NULL, scale;
	ts_time step, horizon, initial, longest;
	int rc;

	if ((rc = history_bounds(s, &first, &last, err)) != 0)
		return rc;
	m = season_of(cfg->season, s, periods, &nperiods);
	steps = s->n - last - 1;
	if (steps == 0)
		steps = m > 1 ? m : 1;
	step = (s->t[last] - s->t[first]) / (ts_time)(last - first);
	horizon = step * (ts_time)steps;
	/* Every cutoff keeps the longest period in the history (msnaive's weekly
	 * lag) when the history leaves room for a cutoff after it. */
	initial = 3 * horizon;
	longest = step * (ts_time)periods[nperiods > 0 ? nperiods - 1 : 0];
	if (nperiods > 0 && longest > initial && s->t[first] + longest <= s->t[last] - horizon)
		initial = longest;
	hist = ts_mallocarray(last - first + 1, sizeof *hist);
	if (hist == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = first; i <= last; i++)
		if (!isnan(s->y[i]))
			hist[values++] = s->y[i];
	scale = ts_mase_scale(hist, values, m > 1 ? m : 1);
	free(hist);
	if (!(scale > 0))
		scale = 1;	/* a history seasonal naive predicts exactly: MASE becomes MAE */
	*best = cfg->ncandidates;
	*best_score = INFINITY;
	for (size_t c = 0; c < cfg->ncandidates; c++) {
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;
		struct ts_err cv_err = { 0 };
		double score;

		if (ts_cv_run(cfg->candidates[c].forecast, cfg->candidates[c].cfg, s, horizon,
			      horizon / 2 > 0 ? horizon / 2 : horizon, initial, &rows, &nrows, &cv_err) == 0) {
			score = ts_cv_score(rows, nrows, cfg->metric, scale, cfg->width);
			if (!isnan(score) && score < *best_score) {
				*best_score = score;
				*best = c;
			}
		}
		free(rows);
	}
	if (*best == cfg->ncandidates)
		*best = 0;	/* nothing could be cross-validated: the first candidate */
	return 0;
}

int ts_auto_forecast(const void *vcfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err)
{
	const struct ts_auto_cfg *cfg = vcfg;
	size_t best;
	double score;
	int rc;

	if ((rc = ts_auto_choose(cfg, s, &best, &score, err)) != 0)
		return rc;
	rc = cfg->candidates[best].forecast(cfg->candidates[best].cfg, s, r, err);
	r->chosen = cfg->candidates[best].name;
	r->chosen_score = isfinite(score) ? score : NAN;
	/* A chosen model that fails on the whole history gives way to the others in order. */
	for (size_t c = 0; rc != 0 && c < cfg->ncandidates; c++)
		if (c != best) {
			rc = cfg->candidates[c].forecast(cfg->candidates[c].cfg, s, r, err);
			r->chosen = cfg->candidates[c].name;
			r->chosen_score = NAN;
		}
	return rc;
}
