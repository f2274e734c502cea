/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_progress: when the progress line is due, its text (series, rows/s,
 * ETA), padding over a longer line, and its erasing. */
#include "testutil.h"

#include <string.h>

#include "cli/progress.h"

/* On a terminal: nothing in the first second, then at most every quarter
 * second; the last series redraws only a line already shown. */
static void test_when_due(void **state)
{
	struct ts_progress p;
	char line[TS_PROGRESS_LINE_MAX];

	(void)state;
	ts_progress_start(&p, 4, 400, 100.0, TS_PROGRESS_DELAY);
	assert_false(ts_progress_step(&p, 100, 100.5));	/* too soon */
	assert_true(ts_progress_step(&p, 100, 101.0));	/* a second in */
	ts_progress_line(&p, "ts-x", 101.0, line, sizeof line);
	assert_false(ts_progress_step(&p, 100, 101.1));	/* a tenth after the last line */
	assert_true(ts_progress_step(&p, 100, 101.15));	/* the last series: the screen ends on it */

	/* a short run shows nothing, not even at its end */
	ts_progress_start(&p, 2, 20, 0, TS_PROGRESS_DELAY);
	assert_false(ts_progress_step(&p, 10, 0.1));
	assert_false(ts_progress_step(&p, 10, 0.2));

	/* asked for (--progress): from the first series, and the last one */
	ts_progress_start(&p, 3, 30, 0, 0);
	assert_true(ts_progress_step(&p, 10, 0));
	ts_progress_line(&p, "ts-x", 0, line, sizeof line);
	assert_false(ts_progress_step(&p, 10, 0.1));
	assert_true(ts_progress_step(&p, 10, 0.2));
}

static void test_line(void **state)
{
	struct ts_progress p;
	char line[TS_PROGRESS_LINE_MAX];
	size_t len;

	(void)state;
	ts_progress_start(&p, 1000, 1000000, 10.0, 0);
	/* no time yet: series only */
	ts_progress_step(&p, 1000, 10.0);
	len = ts_progress_line(&p, "ts-forecast", 10.0, line, sizeof line);
	assert_string_equal(line, "\rts-forecast: 1/1000 series");
	assert_int_equal(len, strlen(line));
	/* 250 series, 250000 rows in 5 s: 50000 rows/s, 750000 rows left: 15 s */
	for (int i = 1; i < 250; i++)
		ts_progress_step(&p, 1000, 15.0);
	ts_progress_line(&p, "ts-forecast", 15.0, line, sizeof line);
	assert_string_equal(line, "\rts-forecast: 250/1000 series, 50000 rows/s, ETA 0:15");
	/* an hour and more left */
	ts_progress_start(&p, 10, 1000000, 0, 0);
	ts_progress_step(&p, 100, 1.0);
	ts_progress_line(&p, "ts-fill", 1.0, line, sizeof line);
	assert_string_equal(line, "\rts-fill: 1/10 series, 100 rows/s, ETA 2:46:39");
	/* a shorter line covers the longer one before it */
	p.done_rows = 0;
	len = ts_progress_line(&p, "ts-fill", 1.0, line, sizeof line);
	assert_int_equal(len, strlen("\rts-fill: 1/10 series, 100 rows/s, ETA 2:46:39"));
	assert_memory_equal(line, "\rts-fill: 1/10 series       ", 28);
	assert_int_equal(line[len - 1], ' ');
}

static void test_clear(void **state)
{
	struct ts_progress p;
	char line[TS_PROGRESS_LINE_MAX];

	(void)state;
	ts_progress_start(&p, 2, 2, 0, 0);
	assert_int_equal(ts_progress_clear(&p, line, sizeof line), 0);	/* nothing shown */
	assert_string_equal(line, "");
	ts_progress_step(&p, 1, 0);
	ts_progress_line(&p, "ts", 0, line, sizeof line);
	assert_string_equal(line, "\rts: 1/2 series");
	assert_int_equal(ts_progress_clear(&p, line, sizeof line), 2 + strlen("ts: 1/2 series"));
	assert_string_equal(line, "\r              \r");
	assert_int_equal(ts_progress_clear(&p, line, sizeof line), 0);	/* erased already */
	/* the last series after an erase: still due (asked for) */
	assert_true(ts_progress_step(&p, 1, 0.1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_due),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
