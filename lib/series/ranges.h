/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ranges: sets of half-open time ranges given as START/END lists or as a CSV
 * file of start and end columns (annotated incidents), and membership. */
#ifndef TS_RANGES_H
#define TS_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/tserr.h"
#include "io/tstime.h"

struct ts_range {
	ts_time start, end;	/* [start, end) */
};

struct ts_ranges {
	struct ts_range *r;
	size_t n, cap;
};

/* How the instants are read: epoch as --epoch; a date or time without an
 * offset is wall clock in zone when zone is not NULL, else UTC. */
struct ts_ranges_time {
	enum ts_epoch epoch;
	const struct ts_zone *zone;
};

/* Add "START/END[,START/END...]". TS_EUSAGE "expected START/END, got \"X\"",
 * "range A/B ends before it starts", or the time parser's message;
 * TS_ENOMEM. */
int ts_ranges_parse(struct ts_ranges *rs, const char *list, const struct ts_ranges_time *tm,
		    struct ts_err *err);

/* Add the rows of a CSV file (named path in messages) with start and end
 * columns, else its first two. Errors carry file and line: TS_EINPUT
 * "expected start and end columns", "range ends before it starts", the time
 * parser's and the CSV reader's; TS_ENOMEM. */
int ts_ranges_read(struct ts_ranges *rs, FILE *f, const char *path, const struct ts_ranges_time *tm,
		   struct ts_err *err);

/* Whether t lies in one of the ranges. */
bool ts_ranges_contain(const struct ts_ranges *rs, ts_time t);

void ts_ranges_free(struct ts_ranges *rs);

#endif
