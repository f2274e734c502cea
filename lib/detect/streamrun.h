/* SPDX-License-Identifier: GPL-3.0-or-later */
/* streamrun: ts-detect --stream's row loop: each CSV row parsed, judged by
 * its series' model (stream.h) and written with the added columns. */
#ifndef TS_STREAMRUN_H
#define TS_STREAMRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "detect/stream.h"
#include "io/tstime.h"

/* How a run reads and writes. */
struct ts_streamrun_opts {
	struct ts_stream_params params;	/* every series' model */
	char delim;			/* 0: from the header */
	const char *time_col, *value_col, *key_cols;	/* -t -y -k, or NULL */
	enum ts_epoch epoch;
	const struct ts_zone *zone;	/* --tz: naive times and seasons, or NULL */
	bool skip_bad;			/* bad and ragged rows skipped, told to warn */
	bool quiet;			/* write nothing */
	bool only;			/* write anomalous rows only */
	/* A row skipped under skip_bad (err located at its file and line). */
	void (*warn)(void *ctx, const struct ts_err *err);
	void *warn_ctx;
};

/* Where a run has got to. */
struct ts_streamrun_counts {
	size_t judged;		/* rows decided */
	size_t found;		/* of them anomalous */
	size_t skipped;		/* rows skip_bad left out */
};

/* Hand the rows decided so far in out to the reader (ts_buf_flush them);
 * called once per chunk of input, on the caller's thread. Non-zero stops
 * the run with that error. */
typedef int (*ts_streamrun_flush_fn)(struct ts_buf *out, void *ctx, struct ts_err *err);

struct ts_streamrun;

/* A run over one or more inputs, or NULL when out of memory. o is copied
 * (its strings and zone must outlive the run). */
struct ts_streamrun *ts_streamrun_new(const struct ts_streamrun_opts *o);
void ts_streamrun_free(struct ts_streamrun *sr);

/* Read the CSV on fd (named name in messages) to its end: the header (the
 * first input's; later inputs must have the same columns), then each row
 * judged as it comes; flush(out, ctx) after each chunk. The output header
 * goes out with the first row that parses. Returns 0; TS_EUSAGE for a -t,
 * -y or -k the header lacks; TS_EINPUT for a bad row (a value that is no
 * finite number, a bad timestamp, a skipped wall-clock time under zone, a
 * ragged row) unless skip_bad; TS_ENOMEM; or flush's error. */
int ts_streamrun_read(struct ts_streamrun *sr, int fd, const char *name, ts_streamrun_flush_fn flush,
		      void *ctx, struct ts_err *err);

/* The rows decided and not yet flushed (the caller may flush them itself,
 * as after an error). */
struct ts_buf *ts_streamrun_out(struct ts_streamrun *sr);

/* Whether a data row has been read (the roles are known). */
bool ts_streamrun_has_rows(const struct ts_streamrun *sr);

void ts_streamrun_counts(const struct ts_streamrun *sr, struct ts_streamrun_counts *c);

/* Append one line per series to msg, first-seen order, as -v shows them:
 * "prog: LABEL: N rows, K anomalies, interval D, period P[,P2], model M",
 * LABEL the first input's name unkeyed, else series "k1,k2". */
void ts_streamrun_summary(const struct ts_streamrun *sr, const char *prog, struct ts_buf *msg);

#endif
