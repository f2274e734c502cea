/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calendar: finds the shipped country calendars (lib/calendars, installed
 * under share/ts/calendars), lists them, and reads one through holidays. */
#include "forecast/calendar.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forecast/holidays.h"
#include "core/mem.h"

int ts_calendar_dir(char *buf, size_t size, struct ts_err *err)
{
	const char *base = getenv("TS_DATADIR");
	char exe[4096];
	ssize_t len;
	struct stat st;
	int w;

	if (base != NULL && base[0] != '\0') {
		w = snprintf(buf, size, "%s/calendars", base);
		if (w < 0 || (size_t)w >= size)
			return ts_err_set(err, TS_EUSAGE, "TS_DATADIR is too long");
		return 0;
	}
	/* an installed tree that was moved: PREFIX/bin/tool finds PREFIX/share/ts */
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		char *slash;
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			w = snprintf(buf, size, "%s/../share/ts/calendars", exe);
			if (w > 0 && (size_t)w < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return 0;
		}
	}
	w = snprintf(buf, size, "%s/calendars", TS_DATADIR_DEFAULT);
	if (w < 0 || (size_t)w >= size)
		return ts_err_set(err, TS_EUSAGE, "the calendars' directory name is too long");
	return 0;
}

/* Whether name is a calendar's file name, "CC.csv"; its code into code. */
static bool calendar_file(const char *name, char code[3])
{
	if (strlen(name) != 6 || strcmp(name + 2, ".csv") != 0 || !isupper((unsigned char)name[0]) ||
	    !isupper((unsigned char)name[1]))
		return false;
	code[0] = name[0];
	code[1] = name[1];
	code[2] = '\0';
	return true;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int ts_calendar_codes(const char *dir, char *buf, size_t size, struct ts_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char (*codes)[3] = NULL;
	size_t n = 0, cap = 0, at = 0;

	if (size > 0)
		buf[0] = '\0';
	if (d == NULL) {
		int saved = errno;
		if (err != NULL)
			err->file = dir;
		return ts_err_set(err, TS_EIO, "%s", strerror(saved));
	}
	while ((e = readdir(d)) != NULL) {
		char code[3];
		if (!calendar_file(e->d_name, code))
			continue;
		char (*grown)[3] = ts_grow(codes, &cap, n + 1, sizeof *codes);
		if (grown == NULL) {
			free(codes);
			closedir(d);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		codes = grown;
		memcpy(codes[n++], code, 3);
	}
	closedir(d);
	qsort(codes, n, sizeof *codes, cmp_code);
	for (size_t i = 0; i < n && at < size; i++) {
		int w = snprintf(buf + at, size - at, "%s%s", i > 0 ? ", " : "", codes[i]);
		at += w > 0 ? (size_t)w : 0;
	}
	free(codes);
	return 0;
}

static int year_of(int64_t day)
{
	int64_t year;
	unsigned month, mday;

	ts_civil_from_days(day, &year, &month, &mday);
	return (int)year;
}

int ts_calendar_load(const char *dir, const char *code, int first_year, int last_year,
		     struct ts_prophet_holiday **out, size_t *n, int *cal_first, int *cal_last,
		     struct ts_err *err)
{
	struct ts_prophet_holiday *hol = NULL;
	char upper[3], path[4096];
	size_t nhol = 0, kept = 0;
	bool *keep;
	FILE *f;
	int rc;

	*out = NULL;
	*n = 0;
	*cal_first = *cal_last = 0;
	if (strlen(code) != 2 || !isalpha((unsigned char)code[0]) || !isalpha((unsigned char)code[1]))
		return ts_err_set(err, TS_EUSAGE, "unknown country \"%.40s\"", code);
	upper[0] = (char)toupper((unsigned char)code[0]);
	upper[1] = (char)toupper((unsigned char)code[1]);
	upper[2] = '\0';
	if ((size_t)snprintf(path, sizeof path, "%s/%s.csv", dir, upper) >= sizeof path)
		return ts_err_set(err, TS_EUSAGE, "the calendars' directory name is too long");
	if ((f = fopen(path, "r")) == NULL) {
		int saved = errno;
		if (saved == ENOENT)
			return ts_err_set(err, TS_EUSAGE, "unknown country \"%s\"", code);
		if (err != NULL)
			err->file = dir;
		return ts_err_set(err, TS_EIO, "%s.csv: %s", upper, strerror(saved));
	}
	rc = ts_holidays_read(f, path, TS_EPOCH_AUTO, &hol, &nhol, err);
	fclose(f);
	if (rc != 0) {
		/* path dies with this call: the location goes into the text */
		if (err != NULL && err->file != NULL) {
			char text[sizeof err->msg];
			snprintf(text, sizeof text, "%s", err->msg);
			if (err->line > 0)
				snprintf(err->msg, sizeof err->msg, "%.280s:%zu: %.200s", path, err->line, text);
			else
				snprintf(err->msg, sizeof err->msg, "%.280s: %.200s", path, text);
			err->file = NULL;
			err->line = 0;
		}
		return rc;
	}
	if ((keep = ts_calloc(nhol + 1, sizeof *keep)) == NULL) {
		free(hol);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t r = 0; r < nhol; r++) {
		int y = year_of(hol[r].day);
		if (r == 0 || y < *cal_first)
			*cal_first = y;
		if (r == 0 || y > *cal_last)
			*cal_last = y;
		if (keep[r] || y < first_year || y > last_year)
			continue;
		/* every row of this holiday's name stays */
		for (size_t s = 0; s < nhol; s++)
			if (!keep[s] && strcmp(hol[s].name, hol[r].name) == 0)
				keep[s] = true;
	}
	for (size_t r = 0; r < nhol; r++)
		if (keep[r])
			hol[kept++] = hol[r];
	free(keep);
	*out = hol;
	*n = kept;
	return 0;
}

bool ts_calendar_years(const struct ts_table *t, size_t col, enum ts_epoch epoch, int *first,
		       int *last)
{
	bool any = false;

	for (size_t r = 0; r < t->nrows; r++) {
		struct ts_str f = ts_table_field(t, r, col);
		struct ts_tfmt fmt;
		struct ts_err ignored = { 0 };
		ts_time when;
		int64_t day;
		int y;

		if (ts_time_parse(f.s, f.len, epoch, &when, &fmt, &ignored) != 0)
			continue;
		if (fmt.tz == TS_TZK_OFFSET)
			when += (ts_time)fmt.offset_s * TS_US_PER_S;
		day = when >= 0 ? when / TS_US_PER_DAY : -((-when + TS_US_PER_DAY - 1) / TS_US_PER_DAY);
		y = year_of(day);
		if (!any || y < *first)
			*first = y;
		if (!any || y > *last)
			*last = y;
		any = true;
	}
	return any;
}
