/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_holidays: ts-forecast's --country-holidays glue: finds and loads the
 * calendar for the input's years, says what is missing, fails clearly. */
#include "cli/cli_holidays.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast/calendar.h"
#include "core/mem.h"

void ts_cli_country_holidays(const struct ts_cli *c, const char *code, const struct ts_table *t,
			     const struct ts_roles *roles, struct ts_prophet_holiday **hol, size_t *n)
{
	struct ts_err err = { 0 };
	struct ts_prophet_holiday *cal = NULL, *all;
	char dir[4096], codes[512];
	size_t ncal = 0, cap;
	int first = 0, last = 0, cal_first, cal_last;
	bool dated;

	if (ts_calendar_dir(dir, sizeof dir, &err) != 0)
		ts_cli_usage_error(c, "--country-holidays: %s", err.msg);
	if (ts_calendar_codes(dir, codes, sizeof codes, &err) != 0) {
		if (err.code == TS_ENOMEM)
			ts_cli_fail(c, &err);
		char why[128];
		snprintf(why, sizeof why, "%.120s", err.msg);
		err.file = NULL;
		ts_err_set(&err, TS_EIO,
			   "--country-holidays: no calendars in %.300s: %.120s (TS_DATADIR names the directory that holds calendars/)",
			   dir, why);
		ts_cli_fail(c, &err);
	}
	/* without a time that reads, every holiday (the input has no rows to fit) */
	dated = roles->time != TS_NO_COL && ts_calendar_years(t, roles->time, c->epoch, &first, &last);
	if (!dated) {
		first = -100000;
		last = 100000;
	}
	if (ts_calendar_load(dir, code, first, last, &cal, &ncal, &cal_first, &cal_last, &err) != 0) {
		if (err.code == TS_EUSAGE && strncmp(err.msg, "unknown country", 15) == 0)
			ts_cli_usage_error(c, "--country-holidays: %s (available: %s)", err.msg,
					   codes[0] != '\0' ? codes : "none");
		if (err.code != TS_ENOMEM && err.file == NULL) {
			char text[sizeof err.msg];
			snprintf(text, sizeof text, "%s", err.msg);
			snprintf(err.msg, sizeof err.msg, "--country-holidays: %.480s", text);
		}
		ts_cli_fail(c, &err);
	}
	if (dated && (first < cal_first || last > cal_last)) {
		struct ts_err warn = { 0 };
		ts_err_set(&warn, TS_EDATA,
			   "--country-holidays %c%c: holidays are known for %d to %d only; the input spans %d to %d",
			   toupper((unsigned char)code[0]), toupper((unsigned char)code[1]), cal_first, cal_last, first, last);
		ts_cli_warn(c, &warn);
	}
	cap = *n;
	all = ncal == 0 ? *hol : ts_grow(*hol, &cap, *n + ncal, sizeof **hol);
	if (ncal > 0 && all == NULL) {
		free(cal);
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(c, &err);
	}
	if (ncal > 0)
		memcpy(all + *n, cal, ncal * sizeof *cal);
	*hol = all;
	*n += ncal;
	free(cal);
}
