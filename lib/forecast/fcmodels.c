/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodels: adapters that run classical models and the cross-validated
 * "auto" choice through the ts_forecast_fn interface of fcmodel.h. */
#include "forecast/fcmodels.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "series/nainterp.h"
#include "series/period.h"

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
	spec.raw_band = cfg->raw_band;
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
	if ((rc = cfg->model->kernel(y, len, &spec, &out, err)) != 0)
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

/* ---------------------------------------------------------------- */
/* auto */

/* The cross-validation of every candidate: R predictions (rows of the folds
 * with a value), each candidate's forecast and standard error for each. */
struct auto_cv {
	size_t nrows, ncand;
	double *y;		/* R actual values */
	double *yhat;		/* ncand x R */
	double *sd;		/* ncand x R: (upper - lower) / 2z, NAN without bounds */
	size_t *fold;		/* R: the fold of each prediction */
	double *score;		/* ncand: NAN when the candidate failed */
	double scale;		/* MASE's */
	bool nonneg;		/* the history has no negative value */
};

static void auto_cv_free(struct auto_cv *cv)
{
	TS_FREE_ALL(cv->y, cv->yhat, cv->sd, cv->fold, cv->score);
	memset(cv, 0, sizeof *cv);
}

/* The folds a score is over: all but skip, or only only (SIZE_MAX: no such rule). */
struct fold_set {
	size_t skip, only;
};

static bool fold_in(const struct fold_set *use, size_t fold)
{
	return use == NULL || (fold != use->skip && (use->only == SIZE_MAX || fold == use->only));
}

/* The score of a forecast (the members' predictions weighted by w) over the
 * rows of the folds use accepts (all when use is NULL); rows gets those
 * predictions, *nrows their count. */
static double combo_score(const struct auto_cv *cv, const size_t *member, const double *w, size_t nm,
			  int metric, double width, const struct fold_set *use, struct ts_cv_row *rows,
			  size_t *nrows, double z)
{
	size_t n = 0;

	for (size_t r = 0; r < cv->nrows; r++) {
		double f = 0, sd = 0, wsd = 0;

		if (!fold_in(use, cv->fold[r]))
			continue;

		for (size_t k = 0; k < nm; k++) {
			double d = cv->sd[member[k] * cv->nrows + r];

			f += w[k] * cv->yhat[member[k] * cv->nrows + r];
			if (isfinite(d)) {
				sd += w[k] * d;
				wsd += w[k];
			}
		}
		if (cv->nonneg && f < 0)
			f = 0;
		sd = wsd > 0 ? sd / wsd : NAN;
		rows[n].y = cv->y[r];
		rows[n].yhat = f;
		rows[n].lower = f - z * sd;
		rows[n].upper = f + z * sd;
		n++;
	}
	*nrows = n;
	return n > 0 ? ts_cv_score(rows, n, metric, cv->scale, width) : NAN;
}

/* The score auto ranks by: cfg->metric, or M4's OWA against the first candidate. */
static double auto_score(const struct auto_cv *cv, const size_t *member, const double *w, size_t nm,
			 const struct ts_auto_cfg *cfg, const struct fold_set *use,
			 struct ts_cv_row *rows, double z)
{
	size_t ref = 0, n;
	double one = 1, s1, s2, r1, r2;

	if (!cfg->owa)
		return combo_score(cv, member, w, nm, cfg->metric, cfg->width, use, rows, &n, z);
	r1 = combo_score(cv, &ref, &one, 1, TS_M_SMAPE, cfg->width, use, rows, &n, z);
	r2 = combo_score(cv, &ref, &one, 1, TS_M_MASE, cfg->width, use, rows, &n, z);
	s1 = combo_score(cv, member, w, nm, TS_M_SMAPE, cfg->width, use, rows, &n, z);
	s2 = combo_score(cv, member, w, nm, TS_M_MASE, cfg->width, use, rows, &n, z);
	if (!(r1 > 0) || !(r2 > 0))
		return s2;
	return (s1 / r1 + s2 / r2) / 2;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Run every candidate on the latest folds of s. */
static int auto_run_cv(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s,
		       struct auto_cv *cv, struct ts_err *err)
{
	size_t first, last, steps, periods[2], nperiods, m, nh = 0, ncut = 0, maxcut, folds, f0;
	size_t cap;
	double *hist = NULL, *y = NULL, *yhat = NULL, *lo = NULL, *hi = NULL, z;
	ts_time step, horizon, initial, longest, *th = NULL, *cut = NULL, span;
	struct ts_err cut_err = { 0 };
	int rc;

	memset(cv, 0, sizeof *cv);
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
	/* the latest folds whose predictions cover the longest season shorter
	 * than a year once (every hour of the week predicted; a year of days
	 * would take a year of folds), at least TS_AUTO_FOLDS, at most twelve */
	folds = TS_AUTO_FOLDS;
	for (size_t k = nperiods; k-- > 0;) {
		size_t half = steps / 2 > 0 ? steps / 2 : 1;

		if (step * (ts_time)periods[k] >= 365 * TS_US_PER_DAY)
			continue;
		if (periods[k] > steps)
			folds = (periods[k] - steps + half - 1) / half + 1;
		break;
	}
	if (folds < TS_AUTO_FOLDS)
		folds = TS_AUTO_FOLDS;
	if (folds > TS_AUTO_MAX_FOLDS)
		folds = TS_AUTO_MAX_FOLDS;
	if (cfg->folds > 0)
		folds = cfg->folds;
	cv->ncand = cfg->ncandidates;
	cv->score = ts_mallocarray(cv->ncand + 1, sizeof *cv->score);
	hist = ts_mallocarray(s->n + 1, sizeof *hist);
	th = ts_mallocarray(s->n + 1, sizeof *th);
	y = ts_mallocarray(s->n + 1, sizeof *y);
	yhat = ts_mallocarray(3 * (s->n + 1), sizeof *yhat);
	maxcut = s->n + 2;
	cut = ts_mallocarray(maxcut, sizeof *cut);
	if (cv->score == NULL || hist == NULL || th == NULL || y == NULL || yhat == NULL || cut == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	lo = yhat + s->n + 1;
	hi = lo + s->n + 1;
	for (size_t c = 0; c < cv->ncand; c++)
		cv->score[c] = NAN;
	cv->nonneg = true;
	for (size_t i = first; i <= last; i++)
		if (!isnan(s->y[i])) {
			hist[nh] = s->y[i];
			th[nh++] = s->t[i];
			if (s->y[i] < 0)
				cv->nonneg = false;
		}
	cv->scale = ts_mase_scale(hist, nh, m > 1 ? m : 1);
	if (!(cv->scale > 0))
		cv->scale = 1;	/* a history seasonal naive predicts exactly: MASE becomes MAE */
	if (ts_cv_cutoffs(th, nh, horizon, horizon / 2 > 0 ? horizon / 2 : horizon, initial, cut,
			  maxcut, &ncut, &cut_err) != 0 || ncut == 0)
		goto out;	/* too short to cross-validate: no rows */
	f0 = ncut > folds ? ncut - folds : 0;
	/* the rows predicted */
	cap = 0;
	for (size_t f = f0; f < ncut; f++)
		for (size_t i = 0; i < s->n; i++)
			cap += s->t[i] > cut[f] && s->t[i] <= cut[f] + horizon && !isnan(s->y[i]);
	cv->y = ts_mallocarray(cap + 1, sizeof *cv->y);
	cv->yhat = ts_mallocarray((cap + 1) * cv->ncand, sizeof *cv->yhat);
	cv->sd = ts_mallocarray((cap + 1) * cv->ncand, sizeof *cv->sd);
	cv->fold = ts_mallocarray(cap + 1, sizeof *cv->fold);
	if (cv->y == NULL || cv->yhat == NULL || cv->sd == NULL || cv->fold == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	span = ts_fc_span(s);
	z = ts_fc_z(cfg->width);
	for (size_t c = 0; c < cv->ncand; c++)
		cv->score[c] = 0;	/* failed candidates become NAN below */
	for (size_t f = f0; f < ncut; f++) {
		struct ts_fc_series sub;
		size_t r0 = cv->nrows, r, from, end;

		if (ts_cv_fold(s, cut[f], horizon, span, y, &sub) < 2)
			continue;
		from = sub.from;
		end = sub.n;
		r = r0;
		for (size_t i = from; i < end; i++)
			if (!isnan(s->y[i])) {
				cv->fold[r] = f;
				cv->y[r++] = s->y[i];
			}
		for (size_t c = 0; c < cv->ncand; c++) {
			struct ts_fc_result res = { yhat, lo, hi, NULL, NULL, NAN, "" };
			struct ts_err cerr = { 0 };

			if (isnan(cv->score[c]))
				continue;
			if (cfg->candidates[c].forecast(cfg->candidates[c].cfg, &sub, &res, &cerr) != 0) {
				cv->score[c] = NAN;
				continue;
			}
			r = r0;
			for (size_t i = from; i < end; i++) {
				if (isnan(s->y[i]))
					continue;
				cv->yhat[c * cap + r] = yhat[i];
				cv->sd[c * cap + r] = (hi[i] - lo[i]) / (2 * z);
				if (!isfinite(yhat[i]))
					cv->score[c] = NAN;
				r++;
			}
		}
		cv->nrows = r;
	}
	/* rows are stored with stride cap; compact to stride nrows */
	for (size_t c = 1; c < cv->ncand; c++) {
		memmove(cv->yhat + c * cv->nrows, cv->yhat + c * cap, cv->nrows * sizeof *cv->yhat);
		memmove(cv->sd + c * cv->nrows, cv->sd + c * cap, cv->nrows * sizeof *cv->sd);
	}
	if (cv->nrows == 0)
		for (size_t c = 0; c < cv->ncand; c++)
			cv->score[c] = NAN;
out:
	TS_FREE_ALL(hist, th, y, yhat, cut);
	if (rc != 0)
		auto_cv_free(cv);
	return rc;
}

/* The forecast the rows of the folds use accepts favour: the candidates ranked
 * by their score (stable: the first of equals), and the mean of the best few
 * when its score is no higher than the best one's. choice->score is NAN when
 * no candidate has a score. */
static void auto_pick(const struct auto_cv *cv, const struct ts_auto_cfg *cfg,
		      const struct fold_set *use, struct ts_cv_row *rows, double z,
		      struct ts_auto_choice *choice)
{
	size_t order[64], nvalid = 0, want, k;
	double score[64];

	choice->member[0] = 0;
	choice->weight[0] = 1;
	choice->nmembers = 1;
	choice->score = NAN;
	for (size_t c = 0; c < cv->ncand && c < sizeof score / sizeof score[0]; c++) {
		double w1 = 1;

		if (isnan(cv->score[c]))
			continue;
		score[c] = auto_score(cv, &c, &w1, 1, cfg, use, rows, z);
		if (isnan(score[c]))
			continue;
		k = nvalid++;
		while (k > 0 && score[order[k - 1]] > score[c]) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = c;
	}
	if (nvalid == 0)
		return;
	choice->member[0] = order[0];
	choice->score = score[order[0]];
	want = cfg->combine > 0 ? cfg->combine : TS_AUTO_COMBINE;
	if (want > TS_AUTO_MAX_COMBINE)
		want = TS_AUTO_MAX_COMBINE;
	if (want > nvalid)
		want = nvalid;
	if (want > 1) {
		double w[TS_AUTO_MAX_COMBINE], sc;

		for (k = 0; k < want; k++)
			w[k] = 1 / (double)want;
		sc = auto_score(cv, order, w, want, cfg, use, rows, z);
		if (!(sc > choice->score)) {
			for (k = 0; k < want; k++) {
				choice->member[k] = order[k];
				choice->weight[k] = w[k];
			}
			choice->nmembers = want;
			choice->score = sc;
		}
	}
}

/* The width conformal quantile of |error| / sd over nr predictions; NAN with
 * fewer than 20. Sorts ratio. */
static double conformal(double *ratio, size_t nr, double width)
{
	size_t idx = (size_t)ceil((double)(nr + 1) * width);

	if (nr < 20 || idx < 1 || idx > nr)
		return NAN;
	qsort(ratio, nr, sizeof *ratio, cmp_dbl);
	return ratio[idx - 1];
}

/* |error| / sd of the n predictions in rows, appended to ratio at *nr. */
static void add_ratios(const struct ts_cv_row *rows, size_t n, double z, double *ratio, size_t *nr)
{
	for (size_t r = 0; r < n; r++) {
		double sd = (rows[r].upper - rows[r].lower) / (2 * z);

		if (isfinite(sd) && sd > 0)
			ratio[(*nr)++] = fabs(rows[r].y - rows[r].yhat) / sd;
	}
}

int ts_auto_select(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s,
		   struct ts_auto_choice *choice, struct ts_err *err)
{
	struct auto_cv cv;
	struct ts_cv_row *rows = NULL;
	double z = ts_fc_z(cfg->width), *ratio = NULL;
	size_t n, nr = 0;
	int rc;

	memset(choice, 0, sizeof *choice);
	choice->score = choice->q = NAN;
	choice->nmembers = 1;
	choice->weight[0] = 1;
	if ((rc = auto_run_cv(cfg, s, &cv, err)) != 0)
		return rc;
	rows = ts_mallocarray(cv.nrows + 1, sizeof *rows);
	ratio = ts_mallocarray(cv.nrows + 1, sizeof *ratio);
	if (rows == NULL || ratio == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	auto_pick(&cv, cfg, NULL, rows, z, choice);
	choice->rows = cv.nrows;
	if (isnan(choice->score))
		goto out;	/* nothing could be cross-validated: the first candidate */
	/* The band's errors are honest ones: each fold's errors of the forecast
	 * the other folds choose, so the choice's luck on its own folds does not
	 * narrow the band. With a single fold, that fold's own. */
	for (size_t r = 0; r < cv.nrows; r++) {
		struct ts_auto_choice other = *choice;
		struct fold_set rest = { cv.fold[r], SIZE_MAX }, only = { SIZE_MAX, cv.fold[r] };

		if (r > 0 && cv.fold[r] == cv.fold[r - 1])
			continue;
		auto_pick(&cv, cfg, &rest, rows, z, &other);
		if (isnan(other.score))
			other = *choice;
		(void)combo_score(&cv, other.member, other.weight, other.nmembers, cfg->metric,
				  cfg->width, &only, rows, &n, z);
		add_ratios(rows, n, z, ratio, &nr);
	}
	choice->q = conformal(ratio, nr, cfg->width);
out:
	free(rows);
	free(ratio);
	auto_cv_free(&cv);
	return rc;
}

int ts_auto_choose(const struct ts_auto_cfg *cfg, const struct ts_fc_series *s, size_t *best,
		   double *best_score, struct ts_err *err)
{
	struct ts_auto_cfg one = *cfg;
	struct ts_auto_choice choice;
	int rc;

	one.combine = 1;
	if ((rc = ts_auto_select(&one, s, &choice, err)) != 0)
		return rc;
	*best = choice.member[0];
	*best_score = isnan(choice.score) ? INFINITY : choice.score;
	return 0;
}

int ts_auto_forecast(const void *vcfg, const struct ts_fc_series *s, struct ts_fc_result *r,
		     struct ts_err *err)
{
	const struct ts_auto_cfg *cfg = vcfg;
	struct ts_auto_choice choice;
	size_t first, last, used = 0, n = s->n;
	double *buf = NULL, *sum, *sumlo, *sumhi, *sumsd, *cnt, *nsd, z = ts_fc_z(cfg->width);
	bool nonneg = true;
	int rc;

	if ((rc = history_bounds(s, &first, &last, err)) != 0)
		return rc;
	if ((rc = ts_auto_select(cfg, s, &choice, err)) != 0)
		return rc;
	for (size_t i = first; i <= last; i++)
		if (s->y[i] < 0)
			nonneg = false;
	buf = ts_mallocarray(6 * (n + 1), sizeof *buf);
	if (buf == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	sum = buf;
	sumlo = sum + n + 1;
	sumhi = sumlo + n + 1;
	sumsd = sumhi + n + 1;
	cnt = sumsd + n + 1;
	nsd = cnt + n + 1;
	for (size_t i = 0; i < n; i++)
		sum[i] = sumlo[i] = sumhi[i] = sumsd[i] = cnt[i] = nsd[i] = 0;
	r->chosen_buf[0] = '\0';
	for (size_t k = 0; k < choice.nmembers; k++) {
		const struct ts_auto_candidate *c = &cfg->candidates[choice.member[k]];
		struct ts_err merr = { 0 };
		size_t len = strlen(r->chosen_buf);

		if (c->forecast(c->final_cfg != NULL ? c->final_cfg : c->cfg, s, r, &merr) != 0) {
			if (used == 0 && k + 1 == choice.nmembers)
				*err = merr;
			continue;
		}
		used++;
		snprintf(r->chosen_buf + len, sizeof r->chosen_buf - len, "%s%s", len > 0 ? "+" : "",
			 c->name);
		for (size_t i = s->from; i < n; i++) {
			if (!isfinite(r->yhat[i]))
				continue;
			sum[i] += choice.weight[k] * r->yhat[i];
			cnt[i] += choice.weight[k];
			if (isfinite(r->lower[i]) && isfinite(r->upper[i])) {
				sumlo[i] += choice.weight[k] * r->lower[i];
				sumhi[i] += choice.weight[k] * r->upper[i];
				sumsd[i] += choice.weight[k] * (r->upper[i] - r->lower[i]) / (2 * z);
				nsd[i] += choice.weight[k];
			}
		}
	}
	if (used == 0) {
		/* every member failed on the whole history: the others, in order */
		rc = TS_EDATA;
		for (size_t c = 0; rc != 0 && c < cfg->ncandidates; c++) {
			const struct ts_auto_candidate *cand = &cfg->candidates[c];

			rc = cand->forecast(cand->final_cfg != NULL ? cand->final_cfg : cand->cfg, s, r, err);
			r->chosen = cfg->candidates[c].name;
			r->chosen_score = NAN;
		}
		free(buf);
		return rc;
	}
	for (size_t i = s->from; i < n; i++) {
		double f = cnt[i] > 0 ? sum[i] / cnt[i] : NAN, sd = nsd[i] > 0 ? sumsd[i] / nsd[i] : NAN;

		if (i > last && !isnan(choice.q) && isfinite(sd)) {
			r->lower[i] = f - choice.q * sd;
			r->upper[i] = f + choice.q * sd;
		} else {
			r->lower[i] = nsd[i] > 0 ? sumlo[i] / nsd[i] : NAN;
			r->upper[i] = nsd[i] > 0 ? sumhi[i] / nsd[i] : NAN;
		}
		if (i > last && nonneg) {
			f = f < 0 ? 0 : f;
			r->lower[i] = r->lower[i] < 0 ? 0 : r->lower[i];
			r->upper[i] = r->upper[i] < 0 ? 0 : r->upper[i];
		}
		r->yhat[i] = f;
	}
	r->chosen = r->chosen_buf;
	r->chosen_score = choice.score;
	free(buf);
	return 0;
}
