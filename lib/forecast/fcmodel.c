/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcmodel: the one interface every forecasting model implements (a series in,
 * predictions and intervals out), its capability flags, and the regular-grid
 * kernel form the classical models compute on underneath it. */
#include "forecast/fcmodel.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/gslerr.h"

ts_time ts_fc_span(const struct ts_fc_series *s)
{
	size_t first = s->n, last = 0;

	if (s->season_span > 0)
		return s->season_span;
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->y[i])) {
			if (first == s->n)
				first = i;
			last = i;
		}
	if (first == s->n || last == first)
		return 0;
	return s->t[last] - s->t[first] + (s->interval.months == 0 ? s->interval.us : 0);
}

void ts_fc_spec_init(struct ts_fc_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->m = 1;
	spec->level = 0.8;
	spec->alpha = spec->beta = spec->gamma = spec->phi = NAN;
	spec->hw_season = TS_HW_ADDITIVE;
	spec->hw_trend = true;
	memcpy(spec->ets_model, "ZZZ", 4);
	spec->ets_damped = -1;
	spec->npaths = 5000;
	spec->seed = 42;
}

void ts_fc_out_reset(struct ts_fc_out *out)
{
	out->name[0] = '\0';
	out->loglik = out->aic = out->aicc = out->bic = NAN;
	out->sigma2 = NAN;
	out->alpha = out->beta = out->gamma = out->phi = NAN;
}

int ts_fc_check(const double *y, size_t n, const struct ts_fc_spec *spec, size_t need,
		struct ts_err *err)
{
	size_t i;

	if (!(spec->level > 0 && spec->level < 1))
		return ts_err_set(err, TS_EUSAGE, "interval level must be between 0 and 1");
	if (n < need)
		return ts_err_set(err, TS_EDATA, "series too short: %zu points, need at least %zu",
				  n, need);
	for (i = 0; i < n; i++)
		if (!isfinite(y[i]))
			return ts_err_set(err, TS_EDATA, "missing or infinite value at index %zu", i);
	return 0;
}

double ts_fc_z(double level)
{
	ts_gsl_errors_off();
	return gsl_cdf_ugaussian_Qinv((1 - level) / 2);
}
