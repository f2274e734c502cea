/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_holidays: a --holidays file of any bytes reads into rows Prophet can
 * use (a valid name, windows within a year on the right side, a positive
 * prior or none) or into an error naming the file; nothing leaks. The first
 * byte picks --epoch. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast/holidays.h"
#include "forecast/prophet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ts_epoch epochs[3] = { TS_EPOCH_AUTO, TS_EPOCH_S, TS_EPOCH_MS };
	struct ts_prophet_holiday *h = NULL;
	struct ts_err err = { 0 };
	size_t n = 99;
	FILE *f;

	if (size < 1)
		return 0;
	f = size > 1 ? fmemopen((void *)(data + 1), size - 1, "r") : fopen("/dev/null", "r");
	if (f == NULL)
		return 0;
	if (ts_holidays_read(f, "hol.csv", epochs[data[0] % 3], &h, &n, &err) == 0) {
		CHECK(h != NULL);
		for (size_t i = 0; i < n; i++) {
			CHECK(ts_prophet_bad_name(h[i].name, false) == NULL);
			CHECK(h[i].lower <= 0 && h[i].lower >= -366);
			CHECK(h[i].upper >= 0 && h[i].upper <= 366);
			CHECK(isnan(h[i].prior) || (h[i].prior > 0 && isfinite(h[i].prior)));
			/* one prior per name */
			for (size_t j = 0; j < i; j++)
				if (strcmp(h[i].name, h[j].name) == 0)
					CHECK(h[i].prior == h[j].prior || (isnan(h[i].prior) && isnan(h[j].prior)));
		}
	} else {
		CHECK(h == NULL && n == 0);
		CHECK(err.code == TS_EINPUT || err.code == TS_EIO || err.code == TS_ENOMEM);
		CHECK(err.file != NULL && strcmp(err.file, "hol.csv") == 0);
		CHECK(err.msg[0] != '\0');
	}
	free(h);
	fclose(f);
	return 0;
}
