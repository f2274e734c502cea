/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_stream: the online detector of ts-detect --stream fed arbitrary doubles
 * and times: the score is in [0, 1] (NaN only for a missing value), a flag
 * needs a finite value and p below the alarm level (or a drift, "run ..."), the band is ordered, and
 * the keyed set keeps its series apart. The first 8 bytes pick the options,
 * the clock, the zone and the number of series; each row after them is a
 * 4-byte time step, a key byte and a double. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define ROW_BYTES 13
#define MAX_SERIES 4

static struct ts_zone paris;
static int have_paris;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	have_paris = ts_zone_open("Europe/Paris", &paris, NULL) == 0;
	return 0;
}

/* Options from the first bytes: each combination ts-detect can make. */
static void pick_params(const uint8_t *b, struct ts_stream_params *p)
{
	static const enum ts_direction dirs[3] = { TS_DIR_BOTH, TS_DIR_UP, TS_DIR_DOWN };
	static const double alarms[4] = { TS_STREAM_P_ALARM, 1e-4, 0.05, 0.5 };

	memset(p, 0, sizeof *p);
	p->p_alarm = alarms[b[0] & 3];
	p->direction = dirs[(b[0] >> 2) % 3];
	switch ((b[0] >> 4) & 3) {
	case 0:				/* inferred from the interval */
		break;
	case 1:
		p->no_season = true;
		break;
	case 2:				/* a day, given */
		p->season.us = INT64_C(86400000000);
		break;
	default:			/* a count of intervals */
		p->period_points = 1 + b[1] % 48;
		break;
	}
	if (b[0] & 0x40) {
		p->warmup_kind = TS_WARMUP_ROWS;
		p->warmup_rows = b[2] % 64;
	}
	p->min_delta = (b[3] & 1) ? (double)(b[3] >> 1) : 0;
	p->min_ratio = (b[3] & 0x80) ? 0.1 : 0;
	p->consecutive = b[4] % 4;
	if (b[4] & 0x80)
		p->cooldown.us = INT64_C(3600000000);
}

static void check_out(const struct ts_stream_out *o, double y, double p_alarm)
{
	if (isfinite(y)) {
		CHECK(isnan(o->score) || (o->score >= 0 && o->score <= 1));
	} else {
		CHECK(isnan(o->score));
		CHECK(!o->anomaly);
	}
	if (o->anomaly && strncmp(o->reason, "run ", 4) == 0) {
		/* a drift: the recent errors' mean is beyond its own past */
		CHECK(strcmp(o->reason, "run above expected") == 0 || strcmp(o->reason, "run below expected") == 0);
	} else if (o->anomaly) {
		CHECK(o->score > 1 - p_alarm - 1e-12);
		CHECK(strcmp(o->reason, "above expected") == 0 || strcmp(o->reason, "below expected") == 0);
	} else {
		CHECK(o->reason != NULL);
	}
	if (!isnan(o->lower) && !isnan(o->upper))
		CHECK(o->lower <= o->upper);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_stream_params p;
	struct ts_stream_set *set;
	struct ts_err err = { 0 };
	const struct ts_zone *zone;
	ts_time clock = INT64_C(1514764800000000);	/* 2018-01-01 */
	size_t nseries, flagged[MAX_SERIES] = { 0 }, rows[MAX_SERIES] = { 0 };

	if (size < 8)
		return 0;
	pick_params(data, &p);
	zone = (data[5] & 1) && have_paris ? &paris : NULL;
	nseries = 1 + data[6] % MAX_SERIES;
	set = ts_stream_set_new(&p);
	if (set == NULL)
		return 0;
	for (size_t at = 8; at + ROW_BYTES <= size; at += ROW_BYTES) {
		int32_t step;
		double y;
		char key = (char)('a' + data[at + 4] % nseries);
		size_t idx;
		struct ts_stream *st;
		struct ts_stream_out out;

		memcpy(&step, data + at, sizeof step);
		memcpy(&y, data + at + 5, sizeof y);
		/* mostly forward in steps of seconds to days; backwards and
		 * repeated times too */
		clock += (ts_time)step * (data[7] & 1 ? INT64_C(1000) : INT64_C(1000000));
		st = ts_stream_set_get(set, &key, 1, &idx, &err);
		if (st == NULL)
			break;
		CHECK(idx < nseries);
		ts_stream_prefetch(st);
		ts_stream_step(st, clock, y, zone, &out);
		check_out(&out, y, p.p_alarm);
		rows[idx]++;
		flagged[idx] += out.anomaly;
	}
	CHECK(ts_stream_set_count(set) <= nseries);
	for (size_t i = 0; i < ts_stream_set_count(set); i++) {
		struct ts_stream_summary sum;
		size_t len;
		const char *key = ts_stream_set_key(set, i, &len);

		CHECK(len == 1 && key[0] >= 'a' && key[0] < 'a' + (int)nseries);
		ts_stream_summary(ts_stream_set_state(set, i), &sum);
		CHECK(sum.rows == rows[i] && sum.anomalies == flagged[i]);
	}
	ts_stream_set_free(set);
	return 0;
}
