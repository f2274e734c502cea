/* SPDX-License-Identifier: GPL-3.0-or-later */
/* holidays: Prophet's holidays table read from CSV (holiday, ds,
 * lower_window, upper_window, prior_scale) into ts_prophet_holiday rows. */
#ifndef TS_HOLIDAYS_H
#define TS_HOLIDAYS_H

#include <stddef.h>
#include <stdio.h>

#include "core/tserr.h"
#include "forecast/prophet.h"
#include "io/tstime.h"

/* Read the table from f (named path in messages): columns holiday and ds
 * are required, lower_window (whole days <= 0), upper_window (>= 0) and
 * prior_scale (> 0) optional, empty cells meaning 0, 0 and the model's
 * scale. ds is a date or time; its calendar day as written is used. *out
 * (n rows, the caller frees it) on success. Errors carry the file and line:
 * TS_EINPUT "expected columns holiday and ds", "holiday name too long",
 * "holiday name \"X\" is reserved" (and ts_prophet_bad_name's other
 * reasons), "lower_window must be a whole number of days <= 0, not \"X\"",
 * "prior_scale must be a positive number, not \"X\"", "holiday \"X\" has a
 * prior_scale different from its earlier rows", the CSV reader's and the
 * time parser's; TS_ENOMEM. */
int ts_holidays_read(FILE *f, const char *path, enum ts_epoch epoch,
		     struct ts_prophet_holiday **out, size_t *n, struct ts_err *err);

#endif
