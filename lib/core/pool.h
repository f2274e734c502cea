/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool: run independent jobs (one per key group) on N threads and hand their
 * output back in job order, so -j N writes the same bytes as -j 1. */
#ifndef TS_POOL_H
#define TS_POOL_H

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

/* Number of online processors (at least 1), for -j 0. */
size_t ts_pool_cores(void);

#endif
