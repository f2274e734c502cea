/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_holidays: --country-holidays as a tool's user sees it: the calendar
 * added to the holidays table, a warning for years it lacks, exit 2 on error. */
#ifndef TS_CLI_HOLIDAYS_H
#define TS_CLI_HOLIDAYS_H

#include <stddef.h>

#include "cli/cli.h"
#include "io/frame.h"
#include "forecast/prophet.h"

/* Append country code's calendar (calendar.h: the holidays that fall in the
 * years of t's time column, every row of each) to *hol (*n rows, grown
 * with realloc; the caller frees it, as before). Warns on stderr
 * "prog: warning: --country-holidays KR: holidays are known for 1995 to
 * 2044 only; the input spans 2040 to 2046" when the input's years reach
 * beyond the calendar. Exits 2 on error: an unknown code as a usage error
 * "--country-holidays: unknown country \"XX\" (available: BR, CN, ...)"; no
 * calendars at all as "--country-holidays: no calendars in DIR: REASON
 * (TS_DATADIR names the directory that holds calendars/)"; a calendar that
 * does not read, with its file and line; out of memory. */
void ts_cli_country_holidays(const struct ts_cli *c, const char *code, const struct ts_table *t,
			     const struct ts_roles *roles, struct ts_prophet_holiday **hol, size_t *n);

#endif
