/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ranges: parses START/END lists and start,end files into time ranges and
 * answers whether an instant falls in one. */
#include "series/ranges.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/frame.h"
#include "core/mem.h"

static int instant(const struct ts_ranges_time *tm, const char *s, size_t len, ts_time *out,
		   struct ts_err *err)
{
	struct ts_tfmt fmt;
	int rc;

	if ((rc = ts_time_parse(s, len, tm->epoch, out, &fmt, err)) != 0)
		return rc;
	if ((rc = ts_time_resolve(*out, &fmt, tm->zone, INT64_MIN, out, err)) != 0) {
		char quoted[64], why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return ts_err_set(err, rc, "bad timestamp \"%s\": %.400s",
				  ts_err_quote(s, len, quoted, sizeof quoted), why);
	}
	return 0;
}

static int add(struct ts_ranges *rs, ts_time a, ts_time b, struct ts_err *err)
{
	struct ts_range *grown = ts_grow(rs->r, &rs->cap, rs->n + 1, sizeof *rs->r);

	if (grown == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	rs->r = grown;
	rs->r[rs->n].start = a;
	rs->r[rs->n].end = b;
	rs->n++;
	return 0;
}

int ts_ranges_parse(struct ts_ranges *rs, const char *list, const struct ts_ranges_time *tm,
		    struct ts_err *err)
{
	char *copy = ts_strndup(list, strlen(list)), *save = NULL, *part;
	int rc = 0;

	if (copy == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ",", &save); part != NULL && rc == 0;
	     part = strtok_r(NULL, ",", &save)) {
		char *slash = strchr(part, '/');
		ts_time a, b;
		if (slash == NULL) {
			rc = ts_err_set(err, TS_EUSAGE, "expected START/END, got \"%s\"", part);
			break;
		}
		*slash = '\0';
		if (instant(tm, part, strlen(part), &a, err) != 0 ||
		    instant(tm, slash + 1, strlen(slash + 1), &b, err) != 0) {
			rc = TS_EUSAGE;
			err->code = TS_EUSAGE;
			break;
		}
		if (b <= a)
			rc = ts_err_set(err, TS_EUSAGE, "range %s/%s ends before it starts", part, slash + 1);
		else
			rc = add(rs, a, b, err);
	}
	free(copy);
	return rc;
}

int ts_ranges_read(struct ts_ranges *rs, FILE *f, const char *path, const struct ts_ranges_time *tm,
		   struct ts_err *err)
{
	struct ts_table t = { 0 };
	size_t cs, ce;
	int rc;

	if ((rc = ts_table_read_file(&t, f, path, err)) != 0)
		return rc;
	cs = ts_table_column(&t, "start");
	ce = ts_table_column(&t, "end");
	if (cs == TS_NO_COL || ce == TS_NO_COL) {
		cs = 0;
		ce = 1;
	}
	if (t.ncols < 2) {
		rc = ts_err_set(err, TS_EINPUT, "expected start and end columns");
		err->file = path;
		err->line = 1;
	}
	for (size_t r = 0; r < t.nrows && rc == 0; r++) {
		struct ts_str a = ts_table_field(&t, r, cs), b = ts_table_field(&t, r, ce);
		ts_time ta, tb;
		if ((rc = instant(tm, a.s, a.len, &ta, err)) == 0 &&
		    (rc = instant(tm, b.s, b.len, &tb, err)) == 0) {
			if (tb <= ta)
				rc = ts_err_set(err, TS_EINPUT, "range ends before it starts");
			else
				rc = add(rs, ta, tb, err);
		}
		if (rc != 0 && rc != TS_ENOMEM) {
			err->file = path;
			err->line = t.line[r];
		}
	}
	ts_table_free(&t);
	return rc;
}

bool ts_ranges_contain(const struct ts_ranges *rs, ts_time t)
{
	for (size_t i = 0; i < rs->n; i++)
		if (t >= rs->r[i].start && t < rs->r[i].end)
			return true;
	return false;
}

void ts_ranges_free(struct ts_ranges *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->n = rs->cap = 0;
}
