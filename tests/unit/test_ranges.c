/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ranges: START/END lists and start,end files into half-open time
 * ranges, wall clock in a zone, each error, and membership at the edges. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "failalloc.h"

#include "series/ranges.h"

#define DAY (86400LL * 1000000LL)
#define T2018 (1514764800LL * 1000000LL)	/* 2018-01-01T00:00:00Z */

static void test_list(void **state)
{
	struct ts_ranges rs = { 0 };
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, NULL };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_ranges_parse(&rs, "2018-01-02/2018-01-03,2018-01-10/2018-01-11T12:00:00",
					 &tm, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_true(rs.r[0].start == T2018 + DAY && rs.r[0].end == T2018 + 2 * DAY);
	/* half open: the start is in, the end is not */
	assert_false(ts_ranges_contain(&rs, T2018 + DAY - 1));
	assert_true(ts_ranges_contain(&rs, T2018 + DAY));
	assert_true(ts_ranges_contain(&rs, T2018 + 2 * DAY - 1));
	assert_false(ts_ranges_contain(&rs, T2018 + 2 * DAY));
	assert_true(ts_ranges_contain(&rs, T2018 + 10 * DAY + DAY / 4));
	assert_false(ts_ranges_contain(&rs, T2018 + 10 * DAY + DAY / 2));
	ts_ranges_free(&rs);
	assert_false(ts_ranges_contain(&rs, T2018 + DAY));

	assert_int_equal(ts_ranges_parse(&rs, "2018-01-02", &tm, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "expected START/END, got \"2018-01-02\"");
	assert_int_equal(ts_ranges_parse(&rs, "2018-01-03/2018-01-02", &tm, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "range 2018-01-03/2018-01-02 ends before it starts");
	assert_int_equal(ts_ranges_parse(&rs, "2018-01-03/soon", &tm, &err), TS_EUSAGE);
	assert_true(strlen(err.msg) > 0);
	ts_ranges_free(&rs);
}

static void test_zone(void **state)
{
	struct ts_ranges rs = { 0 };
	struct ts_zone z;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_zone_open("America/New_York", &z, &err), 0);
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, &z };
	/* naive times are New York wall clock (UTC-5 in January); an offset wins */
	assert_int_equal(ts_ranges_parse(&rs, "2018-01-02/2018-01-03T00:00:00Z", &tm, &err), 0);
	assert_true(rs.r[0].start == T2018 + DAY + 5 * 3600LL * 1000000LL);
	assert_true(rs.r[0].end == T2018 + 2 * DAY);
	ts_ranges_free(&rs);
}

static int read_text(struct ts_ranges *rs, const char *text, struct ts_err *err)
{
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, NULL };
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	rc = ts_ranges_read(rs, f, "incidents.csv", &tm, err);
	fclose(f);
	return rc;
}

static void test_file(void **state)
{
	struct ts_ranges rs = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	/* named columns in any order */
	assert_int_equal(read_text(&rs, "what,end,start\nx,2018-01-03,2018-01-02\n", &err), 0);
	assert_int_equal(rs.n, 1);
	assert_true(rs.r[0].start == T2018 + DAY);
	ts_ranges_free(&rs);
	/* else the first two */
	assert_int_equal(read_text(&rs, "from,to\n2018-01-02,2018-01-03\n2018-01-05,2018-01-06\n", &err), 0);
	assert_int_equal(rs.n, 2);
	ts_ranges_free(&rs);
	assert_int_equal(read_text(&rs, "start\n2018-01-02\n", &err), TS_EINPUT);
	assert_string_equal(err.msg, "expected start and end columns");
	assert_int_equal(err.line, 1);
	assert_int_equal(read_text(&rs, "start,end\n2018-01-02,2018-01-03\n2018-01-05,2018-01-04\n", &err),
			 TS_EINPUT);
	assert_string_equal(err.msg, "range ends before it starts");
	assert_string_equal(err.file, "incidents.csv");
	assert_int_equal(err.line, 3);
	assert_int_not_equal(read_text(&rs, "start,end\nlater,2018-01-03\n", &err), 0);
	assert_int_equal(err.line, 2);
	ts_ranges_free(&rs);
}

/* An --exclude file that is not a table (empty, binary) is refused without
 * leaking the table read so far, and the message names the caller's path. */
static void test_bad_files_leak_nothing(void **state)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\n\xff\xfe,\x01\n";
	const char *texts[] = { "", "\n\n", "start,end\n\"x,2010", "start,end\nx\n" };
	struct ts_ranges rs = { 0 };
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, NULL };
	struct ts_err err = { 0 };
	long before = fa_live_blocks();
	FILE *f;

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(read_text(&rs, texts[i], &err), TS_EINPUT);
		assert_string_equal(err.file, "incidents.csv");
		assert_int_equal(fa_live_blocks(), before);
	}
	f = fmemopen((void *)binary, sizeof binary - 1, "r");
	assert_non_null(f);
	assert_int_equal(ts_ranges_read(&rs, f, "bin.dat", &tm, &err), TS_EINPUT);
	fclose(f);
	assert_string_equal(err.file, "bin.dat");
	assert_int_equal(fa_live_blocks(), before);
	assert_int_equal(rs.n, 0);
}

struct ranges_run {
	struct ts_err err;
};

static int ranges_run(void *ctx)
{
	struct ranges_run *r = ctx;
	struct ts_ranges rs = { 0 };
	struct ts_ranges_time tm = { TS_EPOCH_AUTO, NULL };
	int rc = read_text(&rs, "start,end\n2018-01-02,2018-01-03\n2018-01-05,2018-01-06\n", &r->err);

	if (rc == 0) {
		assert_int_equal(rs.n, 2);
		rc = ts_ranges_parse(&rs, "2018-02-01/2018-02-02,2018-03-01/2018-03-02", &tm, &r->err);
	}
	if (rc == 0)
		assert_int_equal(rs.n, 4);
	ts_ranges_free(&rs);
	return rc;
}

static void ranges_check(void *ctx, int rc)
{
	struct ranges_run *r = ctx;

	assert_int_equal(rc, TS_ENOMEM);
	assert_string_equal(r->err.msg, "out of memory");
}

static void test_alloc_failures(void **state)
{
	struct ranges_run r = { { 0 } };

	(void)state;
	assert_true(fa_sweep(ranges_run, ranges_check, &r) > 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_bad_files_leak_nothing),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
