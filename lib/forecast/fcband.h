/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fcband: a model's h-step band calibrated on the model's own forecasts of
 * the history (rolling origins, a conformal quantile, a spread by hour of the
 * day and day of the week). */
#ifndef TS_FCBAND_H
#define TS_FCBAND_H

#include <stddef.h>

#include "core/tserr.h"
#include "forecast/fcmodel.h"

/* Where the calibration forecasts start: origins half a horizon apart, the
 * latest a horizon before the end, as many as cover the longest period once
 * (4 to 24; TS_FC_CYCLE_ORIGINS), or the 4 latest (TS_FC_LATEST_ORIGINS:
 * dhr, whose weekly terms are fitted from one cycle on and forecast worse
 * from a shorter history than the one it forecasts from). */
enum ts_fc_origins { TS_FC_LATEST_ORIGINS, TS_FC_CYCLE_ORIGINS };

/* Fit y[0..n) with fit, then, unless spec->raw_band, calibrate the h-step
 * band it wrote (ts_fc_calibrate_band). Returns fit's code, or TS_ENOMEM. */
int ts_fc_calibrated(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
		     const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err);

/* Replace the h-step band fit wrote in out for y[0..n) by the forecast plus
 * and minus q se_j s(n + j): se_j the band's own standard error at step j
 * ((upper - lower) / 2 z at spec->level); s(t) how the one-step errors
 * y - fitted spread by phase, day(t mod m) block((t mod P) / m), m the
 * shortest period (spec->m) and P the longest of spec->periods that n
 * covers, each factor the square root of the mean square of the errors in
 * its bin (the block's divided by day first) over that of all, shrunk to 1
 * by two errors' weight (day from two cycles of m of errors, block from one
 * of P; 1 before); and q the conformal spec->level quantile (the
 * ceil((N + 1) level)-th smallest) of |error| / (se_j s) over the N
 * forecasts of y[o..o+H) that fit makes from y[0..o), for the origins o
 * (ts_fc_origins; H = spec->h, at least m; none before n / 2). Fits that
 * fail are skipped; with fewer than 20 errors, or H at least n / 2, the band
 * is left. Normal bands from in-sample errors cover too little held out for
 * models with many parameters and too much or too little for heavy-tailed
 * errors (scripts/bench-accuracy). fitted and its bounds are left.
 * Errors: TS_ENOMEM. */
int ts_fc_calibrate_band(ts_fc_fn *fit, enum ts_fc_origins origins, const double *y, size_t n,
			 const struct ts_fc_spec *spec, struct ts_fc_out *out, struct ts_err *err);

#endif
