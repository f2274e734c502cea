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

/* ---- batches handed over while the run goes on ---- */

struct stream_batch {
	struct ts_pool_batch b;
	struct job_slot *slots;
	bool *started;
	size_t handed;			/* jobs handed to workers */
	size_t emitted;
	struct stream_batch *next;
};

struct stream {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct stream_batch *head, *tail;	/* not yet all emitted, oldest first */
	size_t nbatches, depth;
	bool fetching, ended, stop;
	int end_rc;				/* TS_ESTOP: the source ended; else its error */
	struct ts_err end_err;
	ts_pool_next_fn next;
	void *src;
	ts_job_fn job;
};

static void batch_free(struct stream_batch *sb)
{
	if (sb == NULL)
		return;
	for (size_t i = 0; i < sb->b.njobs && sb->slots != NULL; i++) {
		ts_buf_free(&sb->slots[i].out);
		ts_buf_free(&sb->slots[i].msg);
	}
	free(sb->slots);
	free(sb->started);
	free(sb);
}

/* Ask the source for a batch; called with the lock held, which it drops
 * while the source reads. */
static void fetch(struct stream *s)
{
	struct stream_batch *sb = ts_calloc(1, sizeof *sb);
	struct ts_err err = { 0 };
	int rc;

	s->fetching = true;
	pthread_mutex_unlock(&s->lock);
	if (sb == NULL) {
		rc = ts_err_set(&err, TS_ENOMEM, "out of memory");
	} else if ((rc = s->next(s->src, &sb->b, &err)) == 0) {
		sb->slots = ts_calloc(sb->b.njobs + 1, sizeof *sb->slots);
		sb->started = ts_calloc(sb->b.njobs + 1, sizeof *sb->started);
		if (sb->slots == NULL || sb->started == NULL) {
			/* in line all the same, without jobs, for done() to free it */
			sb->b.njobs = 0;
			rc = ts_err_set(&err, TS_ENOMEM, "out of memory");
		}
	}
	pthread_mutex_lock(&s->lock);
	s->fetching = false;
	if (sb != NULL && sb->b.owner != NULL) {
		if (s->tail != NULL)
			s->tail->next = sb;
		else
			s->head = sb;
		s->tail = sb;
		s->nbatches++;
	} else {
		free(sb);
	}
	if (rc != 0) {
		s->ended = true;
		s->end_rc = rc;
		s->end_err = err;
	}
	pthread_cond_broadcast(&s->changed);
}

/* The next job to run, with the lock held: *sbp and *ip; false when there
 * is none now. */
static bool take_job(struct stream *s, struct stream_batch **sbp, size_t *ip)
{
	for (struct stream_batch *sb = s->head; sb != NULL; sb = sb->next) {
		if (sb->handed < sb->b.njobs) {
			*sbp = sb;
			*ip = sb->handed++;
			sb->started[*ip] = true;
			return true;
		}
	}
	return false;
}

static void *stream_worker(void *arg)
{
	struct stream *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		struct stream_batch *sb;
		size_t i;

		if (s->stop)
			break;
		if (take_job(s, &sb, &i)) {
			struct job_slot *slot = &sb->slots[i];
			pthread_mutex_unlock(&s->lock);
			slot->rc = s->job(i, sb->b.ctx, &slot->out, &slot->msg, &slot->err);
			pthread_mutex_lock(&s->lock);
			slot->done = true;
			if (slot->rc != 0)
				s->stop = true;
			pthread_cond_broadcast(&s->changed);
			continue;
		}
		if (s->ended)
			break;
		if (!s->fetching && s->nbatches < s->depth) {
			fetch(s);
			continue;
		}
		pthread_cond_wait(&s->changed, &s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The serial form: fetch, run and emit on the caller's thread. */
static int stream_serial(struct stream *s, ts_pool_done_fn done, ts_emit_fn emit, void *emit_ctx,
			 struct ts_err *err)
{
	struct ts_buf out = { 0 }, msg = { 0 };
	int rc = 0;

	while (rc == 0) {
		struct ts_pool_batch b = { 0 };
		int next_rc = s->next(s->src, &b, err);

		if (next_rc != 0) {
			if (next_rc != TS_ESTOP)
				rc = next_rc;
			break;
		}
		for (size_t i = 0; i < b.njobs && rc == 0; i++) {
			struct ts_err emit_err = { 0 };
			int job_rc;

			ts_err_clear(err);
			job_rc = s->job(i, b.ctx, &out, &msg, err);
			rc = emit(i, emit_ctx, &out, &msg, job_rc != 0 ? &emit_err : err);
			if (job_rc != 0)
				rc = job_rc;
			out.len = msg.len = 0;
			out.failed = msg.failed = false;
		}
		done(s->src, &b, rc == 0);
	}
	ts_buf_free(&out);
	ts_buf_free(&msg);
	return rc;
}

int ts_pool_stream(size_t nthreads, size_t depth, ts_pool_next_fn next, ts_pool_done_fn done,
		   void *src, ts_job_fn job, ts_emit_fn emit, void *emit_ctx, struct ts_err *err)
{
	struct stream s = { .depth = depth > 0 ? depth : 1, .next = next, .src = src, .job = job };
	pthread_t *threads = NULL;
	size_t started = 0;
	int rc = 0;

	if (nthreads > 1)
		threads = ts_calloc(nthreads, sizeof *threads);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.changed, NULL);
	for (; threads != NULL && started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, stream_worker, &s) != 0)
			break;
	if (started == 0) {
		rc = stream_serial(&s, done, emit, emit_ctx, err);
		goto out;
	}
	pthread_mutex_lock(&s.lock);
	for (;;) {
		struct stream_batch *sb = s.head;
		struct job_slot *slot;
		struct ts_err emit_err = { 0 };

		if (sb == NULL) {
			if (s.ended && !s.fetching) {
				if (s.end_rc != TS_ESTOP && !s.stop) {
					rc = s.end_rc;
					if (err != NULL)
						*err = s.end_err;
				}
				break;
			}
			if (s.stop)
				break;
			pthread_cond_wait(&s.changed, &s.lock);
			continue;
		}
		if (sb->emitted == sb->b.njobs) {
			s.head = sb->next;
			if (s.head == NULL)
				s.tail = NULL;
			pthread_mutex_unlock(&s.lock);
			done(src, &sb->b, true);
			batch_free(sb);
			pthread_mutex_lock(&s.lock);
			s.nbatches--;	/* room for the next only once this one is gone */
			pthread_cond_broadcast(&s.changed);
			continue;
		}
		slot = &sb->slots[sb->emitted];
		if (!slot->done) {
			if (s.stop && !sb->started[sb->emitted])
				break;	/* never to run: an earlier job stopped the run */
			pthread_cond_wait(&s.changed, &s.lock);
			continue;
		}
		pthread_mutex_unlock(&s.lock);
		rc = emit(sb->emitted, emit_ctx, &slot->out, &slot->msg, slot->rc != 0 ? &emit_err : err);
		ts_buf_free(&slot->out);
		ts_buf_free(&slot->msg);
		if (slot->rc != 0) {
			rc = slot->rc;
			if (err != NULL)
				*err = slot->err;
		}
		pthread_mutex_lock(&s.lock);
		sb->emitted++;
		if (rc != 0) {
			s.stop = true;
			pthread_cond_broadcast(&s.changed);
			break;
		}
	}
	s.stop = true;
	pthread_cond_broadcast(&s.changed);
	pthread_mutex_unlock(&s.lock);
out:
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	while (s.head != NULL) {
		struct stream_batch *sb = s.head;
		s.head = sb->next;
		done(src, &sb->b, false);
		batch_free(sb);
	}
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.changed);
	free(threads);
	return rc;
}
