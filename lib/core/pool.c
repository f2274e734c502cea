/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool: a fixed set of pthreads taking job indices from a shared counter; the
 * caller's thread emits finished jobs in index order. */
#include "core/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/mem.h"

struct job_slot {
	struct ts_buf out;
	struct ts_buf msg;
	struct ts_err err;
	int rc;
	bool done;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t finished;	/* a job finished */
	size_t next;			/* next job to hand out */
	size_t njobs;
	bool stop;			/* a job failed or emit stopped: hand out no more */
	struct job_slot *slots;
	ts_job_fn job;
	void *ctx;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;
		struct job_slot *slot;

		pthread_mutex_lock(&p->lock);
		if (p->stop || p->next == p->njobs) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->lock);

		slot = &p->slots[i];
		slot->rc = p->job(i, p->ctx, &slot->out, &slot->msg, &slot->err);

		pthread_mutex_lock(&p->lock);
		slot->done = true;
		if (slot->rc != 0)
			p->stop = true;
		pthread_cond_broadcast(&p->finished);
		pthread_mutex_unlock(&p->lock);
	}
}

static int run_serial(size_t njobs, ts_job_fn job, ts_emit_fn emit, void *ctx, struct ts_err *err)
{
	struct ts_buf out = { 0 }, msg = { 0 };
	int rc = 0;

	for (size_t i = 0; i < njobs && rc == 0; i++) {
		int job_rc;
		/* Each job starts from a clear error, as each slot of the threaded
		 * run does: a job that passed its series through leaves a location
		 * behind that is not the next job's. */
		ts_err_clear(err);
		job_rc = job(i, ctx, &out, &msg, err);
		struct ts_err emit_err = { 0 };
		/* Emit even a failed job, for its messages; its error wins. */
		rc = emit(i, ctx, &out, &msg, job_rc != 0 ? &emit_err : err);
		if (job_rc != 0)
			rc = job_rc;
		out.len = 0;
		msg.len = 0;
		out.failed = msg.failed = false;
	}
	ts_buf_free(&out);
	ts_buf_free(&msg);
	return rc;
}

int ts_pool_run(size_t njobs, size_t nthreads, ts_job_fn job, ts_emit_fn emit, void *ctx,
		struct ts_err *err)
{
	struct pool p = { .njobs = njobs, .job = job, .ctx = ctx };
	pthread_t *threads;
	size_t started = 0;
	int rc = 0;

	if (nthreads > njobs)
		nthreads = njobs;
	if (nthreads <= 1)
		return run_serial(njobs, job, emit, ctx, err);
	p.slots = ts_calloc(njobs, sizeof *p.slots);
	threads = ts_calloc(nthreads, sizeof *threads);
	if (p.slots == NULL || threads == NULL) {
		free(p.slots);
		free(threads);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.finished, NULL);
	for (; started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, worker, &p) != 0)
			break;
	if (started == 0) {
		/* No thread could start: fall back to the caller's thread. */
		rc = run_serial(njobs, job, emit, ctx, err);
		goto out;
	}
	for (size_t i = 0; i < njobs; i++) {
		struct job_slot *slot = &p.slots[i];
		struct ts_err emit_err = { 0 };

		pthread_mutex_lock(&p.lock);
		while (!slot->done && !(p.stop && i >= p.next))
			pthread_cond_wait(&p.finished, &p.lock);
		pthread_mutex_unlock(&p.lock);
		if (!slot->done)
			break;	/* never started: an earlier job stopped the run */
		rc = emit(i, ctx, &slot->out, &slot->msg, slot->rc != 0 ? &emit_err : err);
		ts_buf_free(&slot->out);
		ts_buf_free(&slot->msg);
		if (slot->rc != 0) {
			rc = slot->rc;
			if (err != NULL)
				*err = slot->err;
		}
		if (rc != 0) {
			pthread_mutex_lock(&p.lock);
			p.stop = true;
			pthread_mutex_unlock(&p.lock);
			break;
		}
	}
out:
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	for (size_t i = 0; i < njobs; i++) {
		ts_buf_free(&p.slots[i].out);
		ts_buf_free(&p.slots[i].msg);
	}
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.finished);
	free(p.slots);
	free(threads);
	return rc;
}

size_t ts_pool_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (size_t)n;
}
