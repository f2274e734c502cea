/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msmodels: forecasts for series with several seasonal periods (hourly data's
 * day and week): dhr (below) and mstl-ar, the MSTL decomposition (Bandara,
 * Hyndman & Bergmeir 2021, as forecast::mstl) with each seasonal continued
 * from its last cycle and the seasonally adjusted series forecast by an
 * autoregression (R's ar(), as lagmodels.h fits it); that is
 * forecast::stlf(method = "arima") with an AR in place of auto.arima, after
 * Hyndman & Athanasopoulos, Forecasting: principles and practice (3rd ed.,
 * 2021) 12.1. */
#ifndef TS_MSMODELS_H
#define TS_MSMODELS_H

#include "forecast/fcmodel.h"

/* MSTL of y over those of spec->periods (or spec->m) that y holds three
 * cycles of (from two, the seasonal is too noisy to repeat), the seasonally adjusted series y - seasonals
 * fitted by ts_ar_yw and forecast by ts_ar_forecast, each seasonal repeated
 * from its last cycle. fitted[i] is the AR's one-step forecast of the adjusted
 * series plus the seasonals at i (NAN for the first order points), its bounds
 * the AR's (the seasonals taken as known), normal at spec->level. The h-step
 * band is the AR's calibrated on the model's own forecasts of the history
 * (ts_fc_calibrate_band, fcband.h; the AR's alone covers about 75% held out
 * where 80% is asked), or the AR's with spec->raw_band. With no period kept
 * it is an AR of y itself.
 * Errors: TS_EDATA (fewer than 4 points, a value not finite), TS_ENOMEM. */
ts_fc_fn ts_fc_mstl_ar;

/* Dynamic harmonic regression (Hyndman & Athanasopoulos 2021, 12.1): y on an
 * intercept and Fourier pairs cos, sin(2 pi k t / p), k = 1..K_p, for the two
 * shortest of spec->periods (or spec->m) that y holds one cycle of, by least
 * squares; a pair at a frequency already in, or beyond p / 2, is left out.
 * With one period K is that of least AICc (3, not 2, per coefficient) up to
 * 12; with two the first has all its orders up to 12 and the second's K, up
 * to 40, is chosen so. The regression's remainder is fitted by ts_ar_yw and
 * forecast by ts_ar_forecast; the forecast is the Fourier terms continued
 * plus the AR's.
 * fitted[i] is the regression at i plus the AR's one-step forecast of the
 * remainder (NAN for the first order points), its bounds the AR's, the
 * regression taken as known, normal at spec->level; the h-step band is
 * calibrated as mstl-ar's (the AR's alone covers 60-75% held out where 80%
 * is asked), or the AR's with spec->raw_band.
 * Errors: TS_EDATA (fewer than 4 points, a value not finite), TS_ENOMEM. */
ts_fc_fn ts_fc_dhr;

#endif
