/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msmodels: mstl-ar, MSTL (forecast::mstl) with an AR forecast (R's ar()) of
 * the seasonally adjusted series; Bandara, Hyndman & Bergmeir (2021). */
#include "forecast/msmodels.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "forecast/lagmodels.h"
#include "core/mem.h"
#include "series/stl.h"

int ts_fc_mstl_ar(const double *y, size_t n, const struct ts_fc_spec *spec, struct ts_fc_out *out,
		  struct ts_err *err)
{
	size_t one = spec->m, given = spec->periods != NULL ? spec->nperiods : (spec->m >= 2 ? 1 : 0);
	const size_t *gp = spec->periods != NULL ? spec->periods : &one;
	size_t periods[8], np = 0, kept[8], nkept = 0, wsize, h = spec->h;
	double *work = NULL, *trend, *seas, *rem, *sa, *se, *stlw, z;
	struct ts_ar ar;
	int rc;

	ts_fc_out_reset(out);
	if ((rc = ts_fc_check(y, n, spec, 4, err)) != 0)
		return rc;
	/* a seasonal estimated from fewer than three cycles forecasts worse than none */
	for (size_t k = 0; k < given && np < sizeof periods / sizeof periods[0]; k++)
		if (gp[k] >= 2 && gp[k] <= n / 3)
			periods[np++] = gp[k];
	wsize = ts_mstl_work_size(n, periods, np);
	if (wsize == SIZE_MAX || n > (SIZE_MAX - wsize) / (np + 5) - h - 1)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	/* trend, remainder, adjusted (n each), seasonals (np n), se and AR work (2 h) */
	work = ts_mallocarray((3 + np) * n + 2 * (h + 1) + wsize, sizeof *work);
	if (work == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	trend = work;
	rem = work + n;
	sa = work + 2 * n;
	seas = work + 3 * n;
	se = seas + np * n;
	stlw = se + 2 * (h + 1);
	if ((rc = ts_mstl(y, n, periods, np, NULL, trend, seas, rem, kept, &nkept, NULL, NULL,
			  stlw, err)) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		sa[i] = y[i];
		for (size_t k = 0; k < nkept; k++)
			sa[i] -= seas[k * n + i];
	}
	if ((rc = ts_ar_yw(sa, n, &ar, err)) != 0)
		goto done;
	z = ts_fc_z(spec->level);
	for (size_t i = 0; i < n; i++) {
		double f = ar.mean, s = 0, one_se = sqrt(ar.var_pred);

		if (i < ar.order) {
			out->fitted[i] = out->fitted_lower[i] = out->fitted_upper[i] = NAN;
			continue;
		}
		for (size_t k = 0; k < ar.order; k++)
			f += ar.phi[k] * (sa[i - 1 - k] - ar.mean);
		for (size_t k = 0; k < nkept; k++)
			s += seas[k * n + i];
		out->fitted[i] = f + s;
		out->fitted_lower[i] = out->fitted[i] - z * one_se;
		out->fitted_upper[i] = out->fitted[i] + z * one_se;
	}
	ts_ar_forecast(&ar, sa, n, h, out->mean, se, se + h + 1);
	for (size_t j = 0; j < h; j++) {
		double s = 0;

		for (size_t k = 0; k < nkept; k++)
			s += seas[k * n + n - kept[k] + j % kept[k]];
		out->mean[j] += s;
		out->lower[j] = out->mean[j] - z * se[j];
		out->upper[j] = out->mean[j] + z * se[j];
	}
	out->sigma2 = ar.var_pred;
	snprintf(out->name, sizeof out->name, "MSTL + AR(%zu)", ar.order);
done:
	free(work);
	return rc;
}
