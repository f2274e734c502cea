/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_pool: jobs run on threads are emitted in order, failures stop the run
 * exactly where a sequential run would stop, all at once or batch by batch. */
#include <pthread.h>
#include <stdbool.h>
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


/* ---- ts_pool_stream: batches handed over one after another ---- */

struct source {
	size_t sizes[8];	/* jobs of each batch */
	size_t nbatches;
	size_t given, done;	/* batches handed over, and over */
	size_t fail_after;	/* next fails after this many batches (SIZE_MAX: never) */
	size_t most_out;	/* most batches handed over and not yet over */
	size_t base[8];		/* first global job of each batch */
	struct run *r;
	bool done_emitted[8];
	size_t done_order[8];
	pthread_mutex_t lock;
};

struct stream_batch_ctx {
	struct source *src;
	size_t index;
};

static struct stream_batch_ctx batch_ctx[8];

static int src_next(void *vsrc, struct ts_pool_batch *b, struct ts_err *err)
{
	struct source *s = vsrc;

	if (s->given == s->fail_after)
		return ts_err_set(err, TS_EINPUT, "input failed after %zu batches", s->given);
	if (s->given == s->nbatches)
		return TS_ESTOP;
	batch_ctx[s->given].src = s;
	batch_ctx[s->given].index = s->given;
	b->njobs = s->sizes[s->given];
	b->ctx = &batch_ctx[s->given];
	b->owner = &batch_ctx[s->given];
	s->given++;
	pthread_mutex_lock(&s->lock);
	if (s->given - s->done > s->most_out)
		s->most_out = s->given - s->done;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void src_done(void *vsrc, struct ts_pool_batch *b, bool emitted)
{
	struct source *s = vsrc;
	const struct stream_batch_ctx *c = b->owner;

	pthread_mutex_lock(&s->lock);
	s->done_order[s->done++] = c->index;
	s->done_emitted[c->index] = emitted;
	pthread_mutex_unlock(&s->lock);
}

/* The batch's job i as global job base + i of the struct run's job. */
static int batch_job(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg, struct ts_err *err)
{
	const struct stream_batch_ctx *c = ctx;

	return job(c->src->base[c->index] + i, c->src->r, out, msg, err);
}

static void stream_with(struct source *s, size_t threads, size_t depth, size_t fail_job, struct run *r,
			int *rc, struct ts_err *err)
{
	size_t total = 0;

	memset(r, 0, sizeof *r);
	r->fail_at = fail_job;
	s->r = r;
	s->given = s->done = s->most_out = 0;
	for (size_t b = 0; b < s->nbatches; b++) {
		s->base[b] = total;
		total += s->sizes[b];
	}
	pthread_mutex_init(&s->lock, NULL);
	*rc = ts_pool_stream(threads, depth, src_next, src_done, s, batch_job, emit, r, err);
	pthread_mutex_destroy(&s->lock);
}

/* Global job k's index in its batch: what emit is told. */
static size_t local_of(const struct source *s, size_t k)
{
	size_t b = 0;

	while (b + 1 < s->nbatches && (s->sizes[b] == 0 || k >= s->base[b] + s->sizes[b]))
		b++;
	return k - s->base[b];
}

static void test_stream_order_matches_serial(void **state)
{
	struct source s = { .sizes = { 3, 0, 40, 1, 17, 0, 60, 5 }, .nbatches = 8, .fail_after = SIZE_MAX };
	struct run serial, streamed;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	run_with(126, 1, SIZE_MAX, &serial, &rc, &err);
	assert_int_equal(rc, 0);
	for (size_t threads = 1; threads <= 4; threads++) {
		for (size_t depth = 1; depth <= 3; depth++) {
			stream_with(&s, threads, depth, SIZE_MAX, &streamed, &rc, &err);
			assert_int_equal(rc, 0);
			assert_int_equal(streamed.nemitted, 126);
			for (size_t i = 0; i < 126; i++)
				assert_int_equal(streamed.emitted[i], local_of(&s, i));
			assert_int_equal(streamed.all.len, serial.all.len);
			assert_memory_equal(streamed.all.data, serial.all.data, serial.all.len);
			/* every batch over once, in order, after its jobs were emitted */
			assert_int_equal(s.done, 8);
			for (size_t b = 0; b < 8; b++) {
				assert_int_equal(s.done_order[b], b);
				assert_true(s.done_emitted[b]);
			}
			/* never more batches out than depth */
			assert_true(s.most_out <= depth);
			ts_buf_free(&streamed.all);
		}
	}
	ts_buf_free(&serial.all);
}

static void test_stream_input_error_after_earlier_jobs(void **state)
{
	struct source s = { .sizes = { 5, 7, 9 }, .nbatches = 3, .fail_after = 2 };
	struct run r;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	for (size_t threads = 1; threads <= 3; threads++) {
		memset(&err, 0, sizeof err);
		stream_with(&s, threads, 2, SIZE_MAX, &r, &rc, &err);
		assert_int_equal(rc, TS_EINPUT);
		assert_string_equal(err.msg, "input failed after 2 batches");
		/* the 12 jobs of the batches before the error all out, in order */
		assert_int_equal(r.nemitted, 12);
		for (size_t i = 0; i < 12; i++)
			assert_int_equal(r.emitted[i], local_of(&s, i));
		assert_int_equal(s.done, 2);
		ts_buf_free(&r.all);
	}
}

static void test_stream_job_failure_stops_like_serial(void **state)
{
	struct source s = { .sizes = { 10, 10, 10, 10 }, .nbatches = 4, .fail_after = SIZE_MAX };
	struct run r;
	struct ts_err err = { 0 };
	int rc;

	(void)state;
	for (size_t threads = 1; threads <= 4; threads++) {
		memset(&err, 0, sizeof err);
		stream_with(&s, threads, 2, 23, &r, &rc, &err);
		assert_int_equal(rc, TS_EDATA);
		assert_string_equal(err.msg, "job 23 failed");
		assert_int_equal(r.nemitted, 24);
		assert_int_equal(r.emitted[23], 3);
		/* whatever was handed over is over, once; batch 2 not all emitted */
		assert_int_equal(s.done, s.given);
		assert_true(s.done_emitted[0] && s.done_emitted[1]);
		assert_false(s.done_emitted[2]);
		ts_buf_free(&r.all);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_matches_serial),
		cmocka_unit_test(test_failure_stops_like_serial),
		cmocka_unit_test(test_no_jobs),
		cmocka_unit_test(test_each_job_starts_clear),
		cmocka_unit_test(test_stream_order_matches_serial),
		cmocka_unit_test(test_stream_input_error_after_earlier_jobs),
		cmocka_unit_test(test_stream_job_failure_stops_like_serial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
