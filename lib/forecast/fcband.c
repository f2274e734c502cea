/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcband: the h-step band of a model calibrated on its own forecasts of the
 * history from earlier origins (split-conformal, by hour and day of week). */
#include "forecast/fcband.h"

#include <math.h>
#include <stdlib.h>

#include "core/mem.h"
#include "core/stats.h"

/* Origins of the calibration forecasts (TS_FC_LATEST_ORIGINS, and the
 * fewest of TS_FC_CYCLE_ORIGINS). */
#define CAL_FOLDS 4
/* Most origins of TS_FC_CYCLE_ORIGINS. */
#define CAL_MAX_FOLDS 24
/* Fewer forecast errors than this leave the normal band as it is. */
#define CAL_MIN_ERRORS 20
/* The pseudo-count of the overall mean square each phase's is shrunk to. */
#define CAL_PHASE_PRIOR 2.0

/* How the one-step errors y - fitted spread by the phase of the forecast:
 * day[t mod m] over the shortest period m and, with a longer period P that
 * the history holds a cycle of, block[(t mod P) / m] over the cycles of m in
 * P (the day of the week for hourly data), each the square root of a ratio
 * of mean squares to the overall one (the second's of errors divided by the
 * first), shrunk to 1 by CAL_PHASE_PRIOR errors. */
struct spread {
	size_t m, period, nblocks;	/* period 0: no second level */
	double *day, *block, *cnt;	/* m, nblocks, max(m, nblocks) */
};

/* The ratios of bins (t mod mod) / div of the squared errors of y[0..n),
 * each divided by under[t % m] squared when under is not NULL. */
static void spread_bins(const double *y, const double *fitted, size_t n, size_t mod, size_t div,
			const double *under, size_t m, double *prof, double *cnt, size_t nbins)
{
	double all = 0;
	size_t nall = 0;

	for (size_t b = 0; b < nbins; b++)
		prof[b] = cnt[b] = 0;
	for (size_t t = 0; t < n; t++)
		if (isfinite(fitted[t])) {
			double e = (y[t] - fitted[t]) * (y[t] - fitted[t]);

			if (under != NULL)
				e /= under[t % m] * under[t % m];
			prof[t % mod / div] += e;
			cnt[t % mod / div] += 1;
			all += e;
			nall++;
		}
	all = nall > 0 ? all / (double)nall : 0;
	for (size_t b = 0; b < nbins; b++)
		prof[b] = all > 0 ? sqrt((prof[b] + CAL_PHASE_PRIOR * all) /
					 ((cnt[b] + CAL_PHASE_PRIOR) * all)) : 1;
}

/* The spread of the one-step errors of a fit of y[0..n): the first level
 * from two cycles of m of errors, the second from one cycle of the period. */
static void spread_fit(struct spread *s, const double *y, const double *fitted, size_t n)
{
	size_t nerr = 0;

	for (size_t t = 0; t < n; t++)
		nerr += isfinite(fitted[t]) ? 1 : 0;
	for (size_t p = 0; p < s->m; p++)
		s->day[p] = 1;
	for (size_t b = 0; b < s->nblocks; b++)
		s->block[b] = 1;
	if (nerr >= 2 * s->m)
		spread_bins(y, fitted, n, s->m, 1, NULL, s->m, s->day, s->cnt, s->m);
	if (s->period > 0 && nerr >= s->period)
		spread_bins(y, fitted, n, s->period, s->m, s->day, s->m, s->block, s->cnt, s->nblocks);
}

static double spread_at(const struct spread *s, size_t t)
{
	return s->day[t % s->m] * (s->period > 0 ? s->block[t % s->period / s->m] : 1);
}

int ts_fc_calibrate_band(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
			 const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err)
{
	struct ts_fc_spec fs = *spec;
	struct spread sp = { spec->m >= 2 ? spec->m : 1, 0, 0, NULL, NULL, NULL };
	size_t m = sp.m, hc = spec->h > m ? spec->h : m, step, folds, nr = 0, idx;
	double *work, *ratio, z = ts_fc_z(spec->level), q;

	if (hc >= n / 2)
		return 0;
	for (size_t k = 0; spec->periods != NULL && k < spec->nperiods; k++)
		if (spec->periods[k] > sp.period && spec->periods[k] > m && spec->periods[k] <= n)
			sp.period = spec->periods[k];
	sp.nblocks = sp.period > 0 ? (sp.period + m - 1) / m : 0;
	step = hc / 2 > 0 ? hc / 2 : 1;
	folds = CAL_FOLDS;
	if (origins == TS_FC_CYCLE_ORIGINS) {
		size_t longest = sp.period > 0 ? sp.period : m;

		folds = (longest + step - 1) / step;
		folds = folds < CAL_FOLDS ? CAL_FOLDS : folds > CAL_MAX_FOLDS ? CAL_MAX_FOLDS : folds;
	}
	fs.h = hc;
	/* a fit's fitted values and bounds (n each), its forecast and bounds
	 * (hc each), the ratios (folds hc), the spread (m + nblocks, and
	 * their counts) */
	work = ts_mallocarray(3 * n + 3 * hc + folds * hc + 2 * (m + sp.nblocks), sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	ratio = work + 3 * n + 3 * hc;
	sp.day = ratio + folds * hc;
	sp.block = sp.day + m;
	sp.cnt = sp.block + sp.nblocks;
	for (size_t f = 0; f < folds && n - hc >= n / 2 + f * step; f++) {
		size_t origin = n - hc - f * step;
		struct ts_fc_out fo = { work, work + n, work + 2 * n, work + 3 * n, work + 3 * n + hc,
					work + 3 * n + 2 * hc, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
		struct ts_err ferr = { 0 };

		if (fit(y, origin, &fs, &fo, &ferr) != 0)
			continue;
		spread_fit(&sp, y, fo.fitted, origin);
		for (size_t j = 0; j < hc; j++) {
			double sd = (fo.upper[j] - fo.lower[j]) / (2 * z) * spread_at(&sp, origin + j);

			if (isfinite(sd) && sd > 0)
				ratio[nr++] = fabs(y[origin + j] - fo.mean[j]) / sd;
		}
	}
	if (nr >= CAL_MIN_ERRORS) {
		qsort(ratio, nr, sizeof *ratio, ts_cmp_double);
		idx = (size_t)ceil((double)(nr + 1) * spec->level);
		q = ratio[(idx < nr ? idx : nr) - 1];
		spread_fit(&sp, y, out->fitted, n);
		for (size_t j = 0; j < spec->h; j++) {
			double sd = (out->upper[j] - out->lower[j]) / (2 * z) * spread_at(&sp, n + j);

			out->lower[j] = out->mean[j] - q * sd;
			out->upper[j] = out->mean[j] + q * sd;
		}
	}
	free(work);
	return 0;
}

int ts_fc_calibrated(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
		     const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err)
{
	int rc = fit(y, n, spec, out, err);

	return rc != 0 || spec->raw_band ? rc
					 : ts_fc_calibrate_band(fit, origins, y, n, spec, out, err);
}
