/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcband: a model's h-step band calibrated on the model's own forecasts of
 * the history (rolling origins, a conformal quantile, an hour-of-day spread). */
#ifndef TS_FCBAND_H
#define TS_FCBAND_H

#include <stddef.h>

#include "core/tserr.h"
#include "forecast/fcmodel.h"

/* Where the calibration forecasts start: the 4 latest origins half a
 * horizon apart (models whose fit needs the history's cycles: dhr, mstl-ar),
 * or as many as cover the longest period once (24 at most). */
enum ts_fc_origins { TS_FC_LATEST_ORIGINS, TS_FC_CYCLE_ORIGINS };

/* Fit y[0..n) with fit, then, unless spec->raw_band, calibrate the h-step
 * band it wrote (ts_fc_calibrate_band). Returns fit's code, or TS_ENOMEM. */
int ts_fc_calibrated(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
		     const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err);

/* Replace the h-step band fit wrote in out for y[0..n) by the forecast plus
 * and minus q se_j s(p): se_j the band's own standard error at step j
 * ((upper - lower) / 2 z at spec->level), s(p) the spread of the one-step
 * errors y - fitted at phase p = (n + j) mod m of the shortest period m over
 * their spread at all phases (each phase's mean square shrunk to the overall
 * one by two errors' weight; 1 without two cycles), and q the conformal
 * spec->level quantile of |error| / (se s) over fit's own forecasts of
 * y[o..o+H) fitted on y[0..o), for 4 origins o half a horizon apart, the
 * latest n - H (H = spec->h, at least m; origins from n / 2 on). Fits that
 * fail are skipped; with fewer than 20 errors the band is left. Normal
 * bands from in-sample errors cover too little held out for models with many
 * parameters and too much or too little for heavy-tailed errors
 * (scripts/bench-accuracy); hourly errors are larger by day than by night.
 * fitted and its bounds are left. Errors: TS_ENOMEM. */
int ts_fc_calibrate_band(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
			 const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err);

#endif
