/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msmodels: forecasts for series with several seasonal periods (hourly data's
 * day and week): mstl-ar, the MSTL decomposition (Bandara, Hyndman & Bergmeir
 * 2021, as forecast::mstl) with each seasonal continued from its last cycle and
 * the seasonally adjusted series forecast by an autoregression (R's ar(), as
 * lagmodels.h fits it); that is forecast::stlf(method = "arima") with an AR in
 * place of auto.arima, after Hyndman & Athanasopoulos, Forecasting: principles
 * and practice (3rd ed., 2021) 12.1. */
#ifndef TS_MSMODELS_H
#define TS_MSMODELS_H

#include "forecast/fcmodel.h"

/* MSTL of y over those of spec->periods (or spec->m) that y holds three
 * cycles of (from two, the seasonal is too noisy to repeat), the seasonally adjusted series y - seasonals
 * fitted by ts_ar_yw and forecast by ts_ar_forecast, each seasonal repeated
 * from its last cycle. fitted[i] is the AR's one-step forecast of the adjusted
 * series plus the seasonals at i (NAN for the first order points); intervals
 * are the AR's (the seasonals taken as known), normal at spec->level. With no
 * period kept it is an AR of y itself.
 * Errors: TS_EDATA (fewer than 4 points, a value not finite), TS_ENOMEM. */
ts_fc_fn ts_fc_mstl_ar;

#endif
