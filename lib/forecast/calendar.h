/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calendar: the country holiday calendars ts ships for ts-forecast
 * --country-holidays (Prophet's add_country_holidays): where they are,
 * which countries there are, and one loaded as a holidays table. */
#ifndef TS_CALENDAR_H
#define TS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "io/frame.h"
#include "forecast/prophet.h"
#include "io/tstime.h"

/* The installed data directory, $(DATADIR) from the Makefile. */
#ifndef TS_DATADIR_DEFAULT
#define TS_DATADIR_DEFAULT "/usr/local/share/ts"
#endif

/* The directory of the calendars, written into buf (size bytes): when
 * TS_DATADIR is set and not empty, "$TS_DATADIR/calendars" (the tests set it
 * to the source tree's lib); else "BIN/../share/ts/calendars" beside the
 * running program when that is a directory (an installed tree, wherever
 * it was put); else TS_DATADIR_DEFAULT "/calendars", the Makefile's
 * $(DATADIR), $(PREFIX)/share/ts. Returns 0, or TS_EUSAGE "TS_DATADIR is too
 * long" when it does not fit. */
int ts_calendar_dir(char *buf, size_t size, struct ts_err *err);

/* The country codes dir holds (its files CC.csv), sorted and joined with
 * ", " into buf (size bytes), e.g. "BR, CN, DE". Errors: TS_EIO with
 * strerror's text, err->file dir. */
int ts_calendar_codes(const char *dir, char *buf, size_t size, struct ts_err *err);

/* Load country code's calendar (two ASCII letters, either case) from dir.
 * As Prophet names its holiday columns after the holidays of the years the
 * history spans, only holidays that fall at least once in first_year..
 * last_year are kept, but with all their rows, so that a forecast past
 * last_year still sees them. *cal_first and *cal_last get the years the
 * calendar covers. *out (n rows, the caller frees it) on success. Errors:
 * TS_EUSAGE "unknown country \"X\"" when code is not two letters or dir
 * has no such calendar; a file that cannot be read: TS_EIO (err->file);
 * ts_holidays_read's errors (file and line); TS_ENOMEM. */
int ts_calendar_load(const char *dir, const char *code, int first_year, int last_year,
		     struct ts_prophet_holiday **out, size_t *n, int *cal_first, int *cal_last,
		     struct ts_err *err);

/* The first and last calendar year of the times in column col of t, as
 * written (an offset's own wall clock; epoch numbers in UTC). Fields that do
 * not parse are left out (their rows are another module's error). Returns
 * false when none parses. */
bool ts_calendar_years(const struct ts_table *t, size_t col, enum ts_epoch epoch, int *first,
		       int *last);

#endif
