/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_esd: S-H-ESD and the generalised ESD test fed arbitrary doubles: the
 * test removes at most floor(n k) points, each once, and flags a prefix of
 * them; S-H-ESD flags 0 or 1 per point and never more than max_anoms of
 * the series, or refuses it with a message. The first 4 bytes pick the
 * period, max_anoms, alpha, direction, threshold and the piecewise chunks;
 * the rest are the values of an hourly series. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/esd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_POINTS 800

static void check_test(const double *r, size_t n, double k, double alpha, enum ts_esd_direction dir)
{
	double *work = malloc((2 * n + 1) * sizeof *work), center, scale, crit;
	size_t *iwork = malloc((n + 1) * sizeof *iwork), *order = malloc((n + 1) * sizeof *order);
	size_t nremoved = 99, count = 99;
	unsigned char *seen = calloc(n + 1, 1);
	struct ts_err err = { 0 };

	if (work == NULL || iwork == NULL || order == NULL || seen == NULL)
		goto out;
	CHECK(ts_esd_test(r, n, k, alpha, dir, order, &nremoved, &count, &center, &scale, &crit,
			  work, iwork, &err) == 0);
	CHECK(nremoved <= (size_t)((double)n * k) && count <= nremoved);
	for (size_t i = 0; i < nremoved; i++) {
		CHECK(order[i] < n && !seen[order[i]]);
		seen[order[i]] = 1;
	}
out:
	free(work);
	free(iwork);
	free(order);
	free(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ts_esd_direction dirs[3] = { TS_ESD_BOTH, TS_ESD_POS, TS_ESD_NEG };
	static const enum ts_esd_threshold ths[4] = { TS_ESD_THRESH_NONE, TS_ESD_THRESH_MED_MAX,
						      TS_ESD_THRESH_P95, TS_ESD_THRESH_P99 };
	struct ts_shesd_params p = { 0 };
	struct ts_err err = { 0 };
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	size_t n, flagged = 0;
	ts_time *t;
	double *x, *score, *expected, *lower, *upper;
	unsigned char *anom;
	int rc;

	if (size < 4)
		return 0;
	n = (size - 4) / sizeof(double);
	if (n > MAX_POINTS)
		n = MAX_POINTS;
	p.period = 2 + data[0] % 48;
	p.max_anoms = (1 + data[1] % 49) / 100.0;		/* 0.01 .. 0.49 */
	p.alpha = (1 + data[2] % 99) / 100.0;			/* 0.01 .. 0.99 */
	p.direction = dirs[(data[3] & 3) % 3];
	p.threshold = ths[(data[3] >> 2) & 3];
	p.piecewise = (data[3] & 0x10) != 0;
	p.piecewise_points = p.period * (1 + (data[3] >> 5));
	p.piecewise_us = (ts_time)p.piecewise_points * 3600 * TS_US_PER_S;
	t = malloc((n + 1) * sizeof *t);
	x = malloc((n + 1) * sizeof *x);
	score = malloc((n + 1) * sizeof *score);
	expected = malloc((n + 1) * sizeof *expected);
	lower = malloc((n + 1) * sizeof *lower);
	upper = malloc((n + 1) * sizeof *upper);
	anom = malloc(n + 1);
	if (t == NULL || x == NULL || score == NULL || expected == NULL || lower == NULL ||
	    upper == NULL || anom == NULL)
		goto out;
	memcpy(x, data + 4, n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		t[i] = INT64_C(1514764800000000) + (ts_time)i * 3600 * TS_US_PER_S;
	check_test(x, n, p.max_anoms, p.alpha, p.direction);
	rc = ts_shesd(t, x, n, &utc, &p, anom, score, expected, lower, upper, &err);
	CHECK(rc == 0 || rc == TS_EDATA || rc == TS_ENOMEM);
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			CHECK(anom[i] == 0 || anom[i] == 1);
			flagged += anom[i];
		}
		if (!p.piecewise)
			CHECK(flagged <= (size_t)((double)n * p.max_anoms));
	} else {
		CHECK(err.msg[0] != '\0');
	}
out:
	free(t);
	free(x);
	free(score);
	free(expected);
	free(lower);
	free(upper);
	free(anom);
	return 0;
}
