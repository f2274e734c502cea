/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_pool: jobs run on threads are emitted in order, failures stop the run
 * exactly where a sequential run would stop. */
#include <string.h>

#include "testutil.h"

#include "core/pool.h"

struct run {
	size_t fail_at;		/* job that fails, or SIZE_MAX */
	size_t emitted[256];
	size_t nemitted;
	struct ts_buf all;	/* concatenated output in emit order */
};

static int job(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct run *r = ctx;
	char text[32];

	/* Uneven work so later jobs often finish first. */
	volatile unsigned spin = 0;
	for (unsigned k = 0; k < (unsigned)((256 - i) * 200); k++)
		spin += k;
	snprintf(text, sizeof text, "job %zu\n", i);
	ts_buf_puts(out, text);
	ts_buf_puts(msg, "m");
	if (i == r->fail_at)
		return ts_err_set(err, TS_EDATA, "job %zu failed", i);
	return 0;
}

static int emit(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	struct run *r = ctx;

	(void)err;
	assert_int_equal(msg->len, 1);
	r->emitted[r->nemitted++] = i;
	ts_buf_put(&r->all, out->data, out->len);
	out->len = 0;
	return 0;
}

static void run_with(size_t njobs, size_t threads, size_t fail_at, struct run *r, int *rc, struct ts_err *err)
{
	memset(r, 0, sizeof *r);
	r->fail_at = fail_at;
	*rc = ts_pool_run(njobs, threads, job, emit, r, err);
}

static void test_order_matches_serial(void **state)
{
	struct run serial, parallel;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	run_with(200, 1, SIZE_MAX, &serial, &rc, &err);
	assert_int_equal(rc, 0);
	for (size_t threads = 2; threads <= 8; threads *= 2) {
		run_with(200, threads, SIZE_MAX, &parallel, &rc, &err);
		assert_int_equal(rc, 0);
		assert_int_equal(parallel.nemitted, 200);
		for (size_t i = 0; i < 200; i++)
			assert_int_equal(parallel.emitted[i], i);
		assert_int_equal(parallel.all.len, serial.all.len);
		assert_memory_equal(parallel.all.data, serial.all.data, serial.all.len);
		ts_buf_free(&parallel.all);
	}
	ts_buf_free(&serial.all);
}

static void test_failure_stops_like_serial(void **state)
{
	struct run r;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	for (size_t threads = 1; threads <= 4; threads++) {
		memset(&err, 0, sizeof err);
		run_with(100, threads, 37, &r, &rc, &err);
		assert_int_equal(rc, TS_EDATA);
		assert_string_equal(err.msg, "job 37 failed");
		/* Jobs 0..36 emitted, and 37 for its messages; nothing after. */
		assert_int_equal(r.nemitted, 38);
		assert_int_equal(r.emitted[37], 37);
		ts_buf_free(&r.all);
	}
}

static void test_no_jobs(void **state)
{
	struct run r;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	run_with(0, 4, SIZE_MAX, &r, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(r.nemitted, 0);
	assert_true(ts_pool_cores() >= 1);
}

/* A job that leaves its error filled in and succeeds (a series passed
 * through), and records what the next job found in its error. */
static int leave_location(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	size_t *seen = ctx;

	(void)out;
	(void)msg;
	seen[i] = err->line;
	err->file = "in.csv";
	err->line = 100 + i;
	ts_err_set(err, TS_EDATA, "passed through");
	return 0;
}

static int emit_nothing(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	(void)i;
	(void)ctx;
	(void)out;
	(void)msg;
	(void)err;
	return 0;
}

static void test_each_job_starts_clear(void **state)
{
	for (size_t threads = 1; threads <= 3; threads++) {
		size_t seen[6];
		struct ts_err err = { 0 };

		(void)state;
		memset(seen, 0xff, sizeof seen);
		assert_int_equal(ts_pool_run(6, threads, leave_location, emit_nothing, seen, &err), 0);
		for (size_t i = 0; i < 6; i++)
			assert_int_equal(seen[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_matches_serial),
		cmocka_unit_test(test_failure_stops_like_serial),
		cmocka_unit_test(test_no_jobs),
		cmocka_unit_test(test_each_job_starts_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
