/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_plotaxis: the plot's axis code fed arbitrary doubles: value ticks are
 * at most max, ascending, finite and round; each label fits its 32 bytes;
 * time ticks are at most max, ascending, inside the range, with labels that
 * fit, also on an axis that fits them to a width; the value range is finite
 * and ordered. The first byte picks max and the zone; then lo, hi and a value. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "io/tstime.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_TICKS 40

static struct ts_zone zones[3];
static size_t nzones = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	zones[0].kind = TS_ZONE_UTC;
	if (ts_zone_open("-03:30", &zones[nzones], NULL) == 0)
		nzones++;
	if (ts_zone_open("America/New_York", &zones[nzones], NULL) == 0)
		nzones++;
	return 0;
}

/* A label of ts_plot_si: NUL-terminated inside its 32 bytes, length told. */
static void check_label(double v, double step)
{
	char buf[64];
	size_t len;

	memset(buf, 'x', sizeof buf);
	len = ts_plot_si(v, step, buf);
	CHECK(len < 32 && strlen(buf) == len && buf[32] == 'x');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double lo, hi, v, ticks[MAX_TICKS + 1], step = NAN;
	char labels[MAX_TICKS + 1][32];
	size_t max, n;
	const struct ts_zone *zone;

	if (size < 1 + 3 * sizeof(double))
		return 0;
	max = 1 + data[0] % MAX_TICKS;
	zone = &zones[(data[0] >> 6) % nzones];
	memcpy(&lo, data + 1, sizeof lo);
	memcpy(&hi, data + 1 + sizeof lo, sizeof hi);
	memcpy(&v, data + 1 + 2 * sizeof lo, sizeof v);

	n = ts_plot_ticks(lo, hi, max, ticks, &step);
	CHECK(n <= (max < 2 ? 2 : max));
	for (size_t i = 0; i < n; i++) {
		CHECK(isfinite(ticks[i]));
		CHECK(i == 0 || ticks[i] > ticks[i - 1]);
		check_label(ticks[i], step);
	}
	check_label(v, step);
	check_label(v, fabs(lo));
	check_label(lo, hi);

	n = ts_plot_time_ticks(lo, hi, zone, max, ticks, labels);
	CHECK(n <= max);
	for (size_t i = 0; i < n; i++) {
		CHECK(isfinite(ticks[i]));
		CHECK(ticks[i] >= floor(lo) - 1 && ticks[i] <= ceil(hi) + 1);
		CHECK(i == 0 || ticks[i] > ticks[i - 1]);
		CHECK(memchr(labels[i], '\0', 32) != NULL);
	}

	/* The axis that fits its labels: a width from v, any characters. */
	n = ts_plot_time_axis(lo, hi, zone, fabs(v), 1 + (double)(data[0] & 7), max, ticks, labels);
	CHECK(n <= max);
	for (size_t i = 0; i < n; i++) {
		CHECK(isfinite(ticks[i]));
		CHECK(i == 0 || ticks[i] > ticks[i - 1]);
		CHECK(memchr(labels[i], '\0', 32) != NULL);
	}

	/* The value range: finite, lo below hi, for any data range. */
	if (isfinite(lo) && isfinite(hi) && lo <= hi) {
		double alo, ahi;
		ts_plot_value_range(lo, hi, &alo, &ahi);
		CHECK(isfinite(alo) && isfinite(ahi) && alo < ahi);
	}
	return 0;
}
