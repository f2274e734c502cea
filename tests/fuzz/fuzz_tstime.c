/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_tstime: every timestamp that parses writes back and re-reads to the same instant
 * and text (also through a named zone), buckets stay consistent, durations round-trip,
 * and lines read as a run read as each line alone. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/tstime.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ts_zone paris;
static struct ts_zone fixed;
static bool have_paris;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	have_paris = ts_zone_open("Europe/Paris", &paris, NULL) == 0;
	CHECK(ts_zone_open("+05:30", &fixed, NULL) == 0);
	return 0;
}

static bool same_fmt(const struct ts_tfmt *a, const struct ts_tfmt *b)
{
	return a->kind == b->kind && a->sep == b->sep && a->seconds == b->seconds
		&& a->frac_digits == b->frac_digits && a->tz == b->tz && a->offset_s == b->offset_s
		&& (a->tz != TS_TZK_OFFSET || a->offset_style == b->offset_style);
}

static enum ts_epoch epoch_of(const struct ts_tfmt *f)
{
	if (f->kind == TS_TK_EPOCH_S)
		return TS_EPOCH_S;
	if (f->kind == TS_TK_EPOCH_MS)
		return TS_EPOCH_MS;
	return TS_EPOCH_AUTO;
}

/* The finest step fmt can write, in microseconds. */
static ts_time precision_of(const struct ts_tfmt *f)
{
	static const ts_time steps[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };

	if (f->kind == TS_TK_DATE)
		return TS_US_PER_DAY;
	if (!f->seconds)
		return 60 * TS_US_PER_S;
	return steps[f->frac_digits < 6 ? f->frac_digits : 6];
}

static ts_time floor_to(ts_time t, ts_time step)
{
	ts_time q = t / step;

	if (t % step != 0 && t < 0)
		q--;
	return q * step;
}

static void check_buckets(ts_time t, const struct ts_zone *zone)
{
	static const char *const widths[] = { "1h", "2h", "15m", "1d", "1w", "1mo" };

	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		struct ts_dur d;
		ts_time floor, next;

		CHECK(ts_dur_parse(widths[i], &d, NULL) == 0);
		floor = ts_bucket_floor(t, &d, zone);
		next = ts_bucket_next(t, &d, zone);
		CHECK(floor <= t && t < next);
		CHECK(ts_bucket_floor(floor, &d, zone) == floor);
		CHECK(ts_bucket_floor(next, &d, zone) == next);
		CHECK(ts_bucket_floor(next - 1, &d, zone) == floor);
		if (ts_dur_is_calendar(&d))
			CHECK(ts_time_add(floor, &d, 1, zone) == next);
	}
}

static void check_time(const char *s, size_t len, enum ts_epoch epoch, bool deep)
{
	struct ts_err err = { 0 };
	struct ts_tfmt f, f2;
	char text[TS_TIME_BUFSIZE], again[TS_TIME_BUFSIZE];
	ts_time t, t2;
	size_t n;

	if (ts_time_parse(s, len, epoch, &t, &f, &err) != 0) {
		CHECK(err.code == TS_EINPUT);
		CHECK(strncmp(err.msg, "bad timestamp \"", 15) == 0);
		return;
	}
	n = ts_time_format(t, &f, NULL, text);
	CHECK(n == strlen(text) && n < TS_TIME_BUFSIZE);
	CHECK(ts_time_parse(text, n, epoch_of(&f), &t2, &f2, &err) == 0);
	CHECK(t2 == t);
	CHECK(same_fmt(&f, &f2));
	ts_time_format(t2, &f2, NULL, again);
	CHECK(strcmp(text, again) == 0);
	if (!deep)
		return;

	/* A named zone's offset, written, still names the same instant. */
	if (have_paris && f.kind == TS_TK_DATETIME && f.tz == TS_TZK_OFFSET) {
		n = ts_time_format(t, &f, &paris, text);
		if (ts_time_parse(text, n, TS_EPOCH_AUTO, &t2, &f2, &err) == 0)
			CHECK(t2 == t);
		else
			CHECK(t < INT64_C(-62135596800000000) || t > INT64_C(253370764800000000));
	}
	/* Naive text in a named zone is that zone's wall clock, and reading the
	 * wall clock back gives an instant that shows it. */
	if (have_paris && (f.kind == TS_TK_DATE || (f.kind == TS_TK_DATETIME && f.tz == TS_TZK_NAIVE))) {
		ts_time wall, back;

		n = ts_time_format(t, &f, &paris, text);
		if (ts_time_parse(text, n, TS_EPOCH_AUTO, &wall, &f2, &err) == 0 && f2.tz == TS_TZK_OFFSET) {
			/* the hour a fall-back repeats is written with its offset,
			 * so the text names the instant itself */
			CHECK(f.kind == TS_TK_DATETIME && wall == floor_to(t, precision_of(&f)));
		} else if (ts_time_parse(text, n, TS_EPOCH_AUTO, &wall, &f2, &err) == 0) {
			CHECK(wall == floor_to(t + (ts_time)ts_zone_offset(&paris, t) * TS_US_PER_S,
					       precision_of(&f)));
			if (f.kind == TS_TK_DATETIME) {
				back = ts_zone_from_wall(&paris, wall);
				CHECK(back + (ts_time)ts_zone_offset(&paris, back) * TS_US_PER_S == wall);
			}
		}
	}
	check_buckets(t, NULL);
	check_buckets(t, &fixed);
	if (have_paris)
		check_buckets(t, &paris);
}

static void check_duration(const char *s)
{
	struct ts_err err = { 0 };
	struct ts_dur d, d2;
	char text[32], again[32];

	if (ts_dur_parse(s, &d, &err) != 0) {
		CHECK(err.code == TS_EUSAGE);
		CHECK(strncmp(err.msg, "bad duration \"", 14) == 0);
		return;
	}
	CHECK((d.months > 0 && d.us == 0) || (d.months == 0 && d.us > 0));
	CHECK(ts_dur_format(&d, text) == strlen(text));
	CHECK(ts_dur_parse(text, &d2, &err) == 0);
	CHECK(d2.months == d.months && d2.us == d.us);
	ts_dur_format(&d2, again);
	CHECK(strcmp(text, again) == 0);
}

/* Hand-made formats and instants must never overflow the buffer. */
static void check_any_format(const uint8_t *data, size_t size)
{
	struct ts_tfmt f;
	char text[TS_TIME_BUFSIZE + 16];
	ts_time t = 0;
	size_t n;

	if (size < 12)
		return;
	memcpy(&t, data, sizeof t);
	f.kind = (enum ts_tkind)(data[8] % 4);
	f.sep = (char)data[9];
	f.seconds = data[10] & 1;
	f.frac_digits = (signed char)data[11];
	f.tz = (enum ts_tzkind)((data[10] >> 1) % 3);
	f.offset_s = (int)(t % 200000);
	f.offset_style = (data[10] >> 3) % 4;
	memset(text, 'x', sizeof text);
	n = ts_time_format(t, &f, NULL, text);
	CHECK(n < TS_TIME_BUFSIZE && text[n] == '\0');
	if (have_paris) {
		n = ts_time_format(t, &f, &paris, text);
		CHECK(n < TS_TIME_BUFSIZE && text[n] == '\0');
	}
}

/* The lines of s read as a run (ts_time_parse_next, one date cache) and
 * each on its own (ts_time_parse): the same instants, formats and errors. */
static void check_run(const char *s, size_t size)
{
	struct ts_time_cache cache = { { 0 }, 0 };
	const char *line = s, *end = s + size;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl != NULL ? (size_t)(nl - line) : (size_t)(end - line);
		struct ts_err e1 = { 0 }, e2 = { 0 };
		struct ts_tfmt f1, f2;
		ts_time t1 = 0, t2 = 0;
		int rc1 = ts_time_parse(line, len, TS_EPOCH_AUTO, &t1, &f1, &e1);
		int rc2 = ts_time_parse_next(&cache, line, len, TS_EPOCH_AUTO, &t2, &f2, &e2);

		CHECK(rc1 == rc2 && strcmp(e1.msg, e2.msg) == 0);
		CHECK(rc1 != 0 || (t1 == t2 && same_fmt(&f1, &f2) && f1.offset_style == f2.offset_style));
		line += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct ts_tfmt f;
	ts_time t;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_time(s, size, TS_EPOCH_AUTO, true);
	check_time(s, size, TS_EPOCH_S, false);
	check_time(s, size, TS_EPOCH_MS, false);
	check_duration(s);
	ts_time_parse_bound(s, INT64_C(1527724800000000), TS_EPOCH_AUTO, &t, &f, NULL);
	check_any_format(data, size);
	check_run(s, size);
	free(s);
	return 0;
}
