/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_stl: the decomposition kernels fed arbitrary doubles (NaN, infinities,
 * subnormals, values near DBL_MAX): ts_decompose (STL, MSTL, supsmu, the
 * moving median, Box-Cox, gap filling) and ts_stl itself either refuse the
 * series with a message or return components that are numbers wherever the
 * input was, never reading or writing out of bounds. The first 6 bytes pick
 * the method, periods, windows and Box-Cox; the rest are the values. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "series/decompose.h"
#include "series/stl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_POINTS 600

static bool is_code(int rc)
{
	return rc == 0 || rc == TS_EDATA || rc == TS_EUSAGE || rc == TS_ENOMEM;
}

/* ts_stl on finite y: seasonal and trend are numbers (infinite only when a
 * fit beyond DBL_MAX could not be scaled back), weights in [0, 1]. */
static void check_stl(const double *y, size_t n, size_t period, size_t s_window, bool robust)
{
	struct ts_stl_params p;
	struct ts_err err = { 0 };
	double *s = malloc((n + 1) * sizeof *s), *t = malloc((n + 1) * sizeof *t);
	double *w = malloc((n + 1) * sizeof *w), *r = malloc((n + 1) * sizeof *r);
	size_t wsize = ts_stl_work_size(n, period);
	double *work = wsize < SIZE_MAX / 8 ? malloc((wsize + 1) * sizeof *work) : NULL;
	int rc;

	if (s == NULL || t == NULL || w == NULL || r == NULL || work == NULL)
		goto out;
	ts_stl_defaults(&p, period, s_window, robust);
	rc = ts_stl(y, n, &p, s, t, r, w, work, &err);
	CHECK(is_code(rc));
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			CHECK(!isnan(s[i]) && !isnan(t[i]));
			CHECK(w[i] >= 0.0 && w[i] <= 1.0);
		}
	} else {
		CHECK(err.msg[0] != '\0');
	}
out:
	free(s);
	free(t);
	free(w);
	free(r);
	free(work);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_decomp_params p;
	struct ts_decomp d;
	struct ts_err err = { 0 };
	size_t periods[3], nperiods, n;
	double *y;
	bool finite = true;
	int rc;

	if (size < 6)
		return 0;
	n = (size - 6) / sizeof(double);
	if (n > MAX_POINTS)
		n = MAX_POINTS;
	y = malloc((n + 1) * sizeof *y);
	if (y == NULL)
		return 0;
	memcpy(y, data + 6, n * sizeof *y);
	for (size_t i = 0; i < n; i++)
		finite = finite && isfinite(y[i]);

	memset(&p, 0, sizeof p);
	p.method = data[0] & 1 ? TS_DECOMP_MEDIAN : TS_DECOMP_STL;
	p.boxcox = (data[0] & 2) != 0;
	p.boxcox_auto = (data[0] & 4) != 0;
	p.lambda = ((double)data[5] - 128) / 32;
	ts_stl_defaults(&p.stl, 2, TS_STL_PERIODIC, (data[0] & 8) != 0);
	nperiods = (size_t)(data[0] >> 4) % 4;
	for (size_t i = 0; i < nperiods; i++)
		periods[i] = 2 + data[1 + i] % 60;
	if (data[4] != 0) {
		p.ns_windows = 1;
		p.s_windows[0] = data[4] == 255 ? TS_STL_PERIODIC : 3 + 2 * (size_t)(data[4] % 30);
	}
	memset(&d, 0, sizeof d);
	rc = ts_decompose(y, n, periods, nperiods, &p, &d, &err);
	CHECK(is_code(rc));
	if (rc == 0) {
		CHECK(d.n == n && d.nkept <= nperiods);
		for (size_t i = 0; i < n; i++) {
			if (isnan(y[i]))
				continue;
			CHECK(!isnan(d.trend[i]));
			for (size_t k = 0; k < d.nkept; k++)
				CHECK(!isnan(d.seasonal[k * n + i]));
			if (d.weights != NULL)
				CHECK(d.weights[i] >= 0.0 && d.weights[i] <= 1.0);
		}
		ts_decomp_free(&d);
	} else {
		CHECK(err.msg[0] != '\0');
		CHECK(d.bad == SIZE_MAX || d.bad < n);
	}
	if (finite && n > 0)
		check_stl(y, n, 2 + data[1] % 60, data[4] == 255 ? TS_STL_PERIODIC : 7, (data[0] & 8) != 0);
	free(y);
	return 0;
}
