/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_ranges: --exclude as a START/END list or as a file of any bytes gives
 * ranges that each hold their start and not their end, or an error (a usage
 * error for the list, one naming the file for the file); nothing leaks. The
 * first byte picks list or file, --epoch and the zone (none, a fixed
 * offset, a DST zone). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series/ranges.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static struct ts_zone zones[2];
static int nzones;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ts_zone_open("+05:30", &zones[nzones], NULL) == 0)
		nzones++;
	if (ts_zone_open("Europe/Berlin", &zones[nzones], NULL) == 0)
		nzones++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ts_epoch epochs[3] = { TS_EPOCH_AUTO, TS_EPOCH_S, TS_EPOCH_MS };
	struct ts_ranges rs = { 0 };
	struct ts_err err = { 0 };
	struct ts_ranges_time tm;
	int zone, rc;

	if (size < 1)
		return 0;
	zone = (data[0] >> 3) % 3;
	tm.epoch = epochs[(data[0] >> 1) % 3];
	tm.zone = zone > 0 && zone <= nzones ? &zones[zone - 1] : NULL;
	if (data[0] & 1) {
		char *list = malloc(size);
		if (list == NULL)
			return 0;
		memcpy(list, data + 1, size - 1);
		list[size - 1] = '\0';
		rc = ts_ranges_parse(&rs, list, &tm, &err);
		CHECK(rc == 0 || rc == TS_EUSAGE || rc == TS_ENOMEM);
		free(list);
	} else {
		FILE *f = size > 1 ? fmemopen((void *)(data + 1), size - 1, "r") : fopen("/dev/null", "r");
		if (f == NULL)
			return 0;
		rc = ts_ranges_read(&rs, f, "excl.csv", &tm, &err);
		if (rc != 0) {
			CHECK(rc == TS_EINPUT || rc == TS_EIO || rc == TS_ENOMEM);
			CHECK(err.file != NULL && strcmp(err.file, "excl.csv") == 0);
		}
		fclose(f);
	}
	if (rc != 0)
		CHECK(err.msg[0] != '\0');
	for (size_t i = 0; i < rs.n; i++) {
		CHECK(rs.r[i].start < rs.r[i].end);
		CHECK(ts_ranges_contain(&rs, rs.r[i].start));
	}
	ts_ranges_free(&rs);
	return 0;
}
