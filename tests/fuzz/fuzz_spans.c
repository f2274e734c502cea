/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_spans: period and span lists (-p, --seasonal-window, windows, --last)
 * from any text: what parses is a count in range (odd when asked), a
 * positive duration that writes back to itself, or "periodic" when allowed;
 * a list is its items parsed one by one; spans divide into whole points of
 * an interval or say they cannot. The first byte picks min, max and flags. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "series/period.h"
#include "io/tstime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_span(const struct ts_span *sp, size_t min, unsigned flags)
{
	static const struct ts_dur intervals[] = {
		{ 0, 1 }, { 0, 1000000 }, { 0, 900000000 }, { 0, 3600000000 }, { 0, 86400000000 },
		{ 1, 0 }, { 3, 0 }, { 12, 0 },
	};
	struct ts_err err = { 0 };
	size_t points;

	if (sp->periodic) {
		CHECK(flags & TS_SPAN_PERIODIC);
		CHECK(ts_span_divide(sp, &intervals[0], &points) == -1);
		return;
	}
	if (!sp->is_dur) {
		CHECK(sp->n >= min && sp->n <= 100000000);
		CHECK(!(flags & TS_SPAN_ODD) || sp->n % 2 == 1);
		CHECK(ts_span_divide(sp, NULL, &points) == 0 && points == sp->n);
		return;
	}
	CHECK(!(flags & TS_SPAN_PERIODIC));
	CHECK((sp->d.months > 0) != (sp->d.us > 0));
	CHECK(sp->d.months >= 0 && sp->d.us >= 0);
	{
		/* it writes back to the same duration */
		char text[32];
		struct ts_dur back;
		size_t len = ts_dur_format(&sp->d, text);
		CHECK(len < sizeof text && strlen(text) == len);
		CHECK(ts_dur_parse(text, &back, &err) == 0);
		CHECK(back.months == sp->d.months && back.us == sp->d.us);
	}
	CHECK(ts_span_divide(sp, NULL, &points) == -1);
	for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++) {
		const struct ts_dur *iv = &intervals[i];
		if (ts_span_divide(sp, iv, &points) == 0) {
			CHECK(points >= 1);
			if (iv->months > 0)
				CHECK((int64_t)points * iv->months == sp->d.months);
			else
				CHECK((ts_time)points * iv->us == sp->d.us);
		}
		if (ts_span_points(sp, iv, &points, &err) == 0)
			CHECK(points >= 2);
		else
			CHECK(err.code == TS_EUSAGE && err.msg[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[4] = { 0, TS_SPAN_ODD, TS_SPAN_PERIODIC,
					       TS_SPAN_ODD | TS_SPAN_PERIODIC };
	struct ts_span spans[8], one;
	char bad[TS_SPAN_ITEM_MAX], *text;
	size_t n = 99, min, max;
	unsigned flags;
	int rc;

	if (size < 1)
		return 0;
	min = (size_t)(data[0] & 3);		/* 0..3: --last 1, -p 2, windows 3 */
	max = 1 + (size_t)((data[0] >> 2) & 7);	/* 1..8 */
	flags = flag_sets[data[0] >> 6];
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	if (ts_span_parse_flags(text, min, flags, &one) == 0)
		check_span(&one, min, flags);
	rc = ts_span_list_parse(text, min, flags, spans, max, &n, bad, sizeof bad);
	CHECK(memchr(bad, '\0', sizeof bad) != NULL || rc == 0);
	switch (rc) {
	case 0:
		CHECK(n >= 1 && n <= max);
		for (size_t i = 0; i < n; i++)
			check_span(&spans[i], min, flags);
		/* a list of one is the item itself */
		if (n == 1 && strchr(text, ',') == NULL) {
			CHECK(ts_span_parse_flags(text, min, flags, &one) == 0);
			CHECK(memcmp(&one, &spans[0], sizeof one) == 0);
		}
		break;
	case TS_SPAN_BAD_ITEM:
		CHECK(ts_span_parse_flags(bad, min, flags, &one) != 0);
		break;
	case TS_SPAN_BAD_LIST:
	case TS_SPAN_TOO_MANY:
		break;
	default:
		abort();
	}
	free(text);
	return 0;
}
