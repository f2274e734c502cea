/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool: run independent jobs (one per key group) on N threads and hand their
 * output back in job order, so -j N writes the same bytes as -j 1; all at
 * once, or batch after batch as a reader hands them over. */
#ifndef TS_POOL_H
#define TS_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"

/* Do job i, appending its output to out and its messages (warnings) to msg.
 * Runs on a worker thread: it may only touch what job i owns. */
typedef int (*ts_job_fn)(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg,
			 struct ts_err *err);

/* Deliver job i's output; called on the caller's thread, in job order, each
 * job once. A non-zero return stops the run and is returned. */
typedef int (*ts_emit_fn)(size_t i, void *ctx, struct ts_buf *out, struct ts_buf *msg,
			  struct ts_err *err);

/* Run jobs 0..njobs-1 on nthreads threads (1 or 0 jobs: on the caller's thread).
 * Outputs are emitted in order as soon as every earlier job is done. When job i
 * fails, jobs before i are still emitted, i's messages too, then its error is
 * returned (later jobs are abandoned): the same result as a sequential run. */
int ts_pool_run(size_t njobs, size_t nthreads, ts_job_fn job, ts_emit_fn emit, void *ctx,
		struct ts_err *err);

/* A batch of jobs for ts_pool_stream: jobs 0..njobs-1 (none is allowed),
 * each run as job(i, ctx, ...). owner is the source's own. */
struct ts_pool_batch {
	size_t njobs;
	void *ctx;
	void *owner;
};

/* Fill *b with the next batch (owner not NULL) and return 0; TS_ESTOP
 * after the last; or an error (err filled). Nothing is handed over with a non-zero
 * return. Called on one thread at a time, not always the same. */
typedef int (*ts_pool_next_fn)(void *src, struct ts_pool_batch *b, struct ts_err *err);

/* Batch b is over: every job emitted (emitted true, then in batch order),
 * or the run stopped before. Called on the caller's thread, once for each
 * batch next gave. */
typedef void (*ts_pool_done_fn)(void *src, struct ts_pool_batch *b, bool emitted);

/* Run batches as next hands them over, up to depth (>= 1) of them at a time,
 * on nthreads threads (1: on the caller's thread), emitting every job in
 * order (batch, then job) on the caller's thread as soon as the ones before
 * are emitted: the same result as ts_pool_run over all the jobs at once,
 * while next reads ahead and done frees what is written. A job that fails
 * stops the run as in ts_pool_run; an error of next is returned once every
 * job before it is emitted. */
int ts_pool_stream(size_t nthreads, size_t depth, ts_pool_next_fn next, ts_pool_done_fn done,
		   void *src, ts_job_fn job, ts_emit_fn emit, void *emit_ctx, struct ts_err *err);

/* Number of online processors (at least 1), for -j 0. */
size_t ts_pool_cores(void);

#endif
