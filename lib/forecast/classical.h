/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classical: the classical models' kernels on a regular grid (ets,
 * holt-winters, naive, snaive, naive2, drift, theta, mstl; lagmodels.h has
 * msnaive and snaive-ar, msmodels.h mstl-ar), computed as R's forecast and
 * stats do (naive2 as the M4 competition's benchmark code does).
 * References: Hyndman & Athanasopoulos, Forecasting: principles and practice
 * (3rd ed., 2021) ch. 5 and 8; Hyndman, Koehler, Ord & Snyder, Forecasting
 * with exponential smoothing (Springer 2008); Holt (1957), Winters (1960);
 * Assimakopoulos & Nikolopoulos (2000), the Theta method, with Hyndman &
 * Billah (2003) for SES with drift; Bandara, Hyndman & Bergmeir (2021) for
 * MSTL. Reference implementations: R forecast 8.20 (ets, naive, snaive,
 * rwf, thetaf, stlf) and R 4.2 stats::HoltWinters / predict.HoltWinters. */
#ifndef TS_CLASSICAL_H
#define TS_CLASSICAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "forecast/fcmodel.h"

/* The models, callable directly. */
ts_fc_fn ts_fc_naive;		/* forecast::naive (rwf without drift) */
ts_fc_fn ts_fc_snaive;		/* forecast::snaive; needs m >= 2 and n > m */
ts_fc_fn ts_fc_drift;		/* forecast::rwf(drift = TRUE); n >= 3 */
ts_fc_fn ts_fc_holt_winters;	/* stats::HoltWinters + predict.HoltWinters; two or
				 * three free parameters: SSE minimised to 1e-14
				 * (R's L-BFGS-B stops earlier, so ours is <= R's);
				 * one: R's optimize() exactly. Multiplicative
				 * intervals beyond a season keep R's indexing, which
				 * divides by b where the season index wraps to 0 */
ts_fc_fn ts_fc_ets;		/* forecast::ets + forecast.ets */
ts_fc_fn ts_fc_theta;		/* forecast::thetaf */
ts_fc_fn ts_fc_naive2;		/* M4's Naive2: naive on the series divided by its
				 * classical multiplicative seasonal indices when
				 * n >= 3 m and thetaf's 90% test finds the season;
				 * intervals naive's, times the indices */
ts_fc_fn ts_fc_mstl;		/* forecast::stlf(method = "ets") */

#endif
