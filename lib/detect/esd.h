/* SPDX-License-Identifier: GPL-3.0-or-later */
/* esd: Seasonal Hybrid ESD as Twitter's AnomalyDetection computes it: robust
 * periodic STL, median-centred remainder, generalised ESD with median/MAD,
 * the longterm (piecewise) variant and the daily-maximum thresholds.
 * Rosner (1983), Technometrics 25(2); Vallis, Hochenbaum & Kejariwal (2014),
 * USENIX HotCloud; reference: twitter/AnomalyDetection R/detect_anoms.R. */
#ifndef TS_ESD_H
#define TS_ESD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "io/tstime.h"

enum ts_esd_direction { TS_ESD_BOTH, TS_ESD_POS, TS_ESD_NEG };
enum ts_esd_threshold { TS_ESD_THRESH_NONE, TS_ESD_THRESH_MED_MAX, TS_ESD_THRESH_P95,
			TS_ESD_THRESH_P99 };

/* Generalised ESD on r[0..n) with median and MAD (R's mad, 1.4826) as
 * detect_anoms runs it: for i = 1..floor(n k), the point with the largest
 * score (r - med for POS, med - r for NEG, |r - med| for BOTH; ties: the
 * earliest) over s = 1.4826 median|r - med| is removed; the critical value
 * uses t = qt(1 - alpha / (n - i + 1)) (BOTH: alpha / (2 (n - i + 1))) with
 * n - i - 1 degrees of freedom; the anomalies are the first `count` points
 * removed, count the last i whose statistic beat its critical value. Stops
 * when s is 0. Writes the removed indices in order into order[] (floor(n k)
 * slots) and returns count in *count; *nremoved is how many were removed.
 * Also, for reporting: *center and *scale, the median and 1.4826 MAD of the
 * points that are not anomalies, and *crit, the critical value of step
 * count + 1 (or of the last step). work holds 2 n doubles and n size_t.
 * Errors: none but TS_EUSAGE for k outside (0, 0.5) or alpha outside (0, 1). */
int ts_esd_test(const double *r, size_t n, double k, double alpha, enum ts_esd_direction dir,
		size_t *order, size_t *nremoved, size_t *count, double *center, double *scale,
		double *crit, double *work, size_t *iwork, struct ts_err *err);

struct ts_shesd_params {
	size_t period;			/* points per season, >= 2 */
	double max_anoms;		/* fraction, (0, 0.49]; R default 0.10 */
	double alpha;			/* 0.05 */
	enum ts_esd_direction direction;
	enum ts_esd_threshold threshold;
	bool piecewise;			/* the longterm variant */
	ts_time piecewise_us;		/* chunk length (R: 2 weeks; +1 day for daily data) */
	size_t piecewise_points;	/* points in a chunk (R: period x 7 x weeks) */
};

/* S-H-ESD of x[0..n) (finite; regular; times t for chunks and thresholds,
 * calendar days in zone). For each chunk (the whole series unless
 * piecewise): robust periodic STL (inner 1, outer 15), r = x - seasonal -
 * median(x), ts_esd_test on r. Then the threshold filter keeps anomalies
 * whose value is >= the median (p95, p99: type-7 quantile) of the daily
 * maxima of x. Outputs (n each): anom 0/1; score, the point's ESD statistic
 * (r - center) / scale, signed; expected = trend + seasonal; lower/upper =
 * expected -/+ crit x scale (the range the test would have accepted).
 * Errors: TS_EDATA "esd needs more than two periods: N points, period P"
 * (per chunk), "esd: --max-anoms allows no anomaly in N points"; ts_stl's;
 * TS_ENOMEM. */
int ts_shesd(const ts_time *t, const double *x, size_t n, const struct ts_zone *zone,
	     const struct ts_shesd_params *p, unsigned char *anom, double *score,
	     double *expected, double *lower, double *upper, struct ts_err *err);

#endif
