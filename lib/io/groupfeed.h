/* SPDX-License-Identifier: GPL-3.0-or-later */
/* groupfeed: keyed input whose series arrive one after another, read on a
 * thread of its own and cut into batches of whole series (--grouped). */
#ifndef TS_GROUPFEED_H
#define TS_GROUPFEED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"

/* One batch: a table with the input's header, the input names read so far
 * and the rows of whole series (each series' rows together, in input
 * order), plus what the reader has to say about them. */
struct ts_feed_batch {
	struct ts_table tab;
	struct ts_buf msg;	/* warnings about rows left out (skip_bad), in input order */
	int rc;			/* 0, or the error that stopped the input after these rows */
	struct ts_err err;
	bool last;		/* nothing follows */
	struct ts_feed_batch *next_;	/* private */
	size_t *series_at_;	/* private: the row where each series starts */
	size_t nseries_, series_cap_;
};

/* Called on the reader thread for a row left out under skip_bad (err has its
 * file and line): append its warning to msg. */
typedef void (*ts_feed_warn_fn)(void *ctx, const struct ts_err *err, struct ts_buf *msg);

struct ts_feed_opts {
	char delim;		/* as ts_csv_reader_new: 0 detects */
	const char *key_spec;	/* -k, as ts_roles_resolve takes it */
	size_t batch_rows;	/* a batch ends at the first change of key after this many rows
				 * (the first batch: after at least 100, so that the value column
				 * is guessed from the same rows as in a whole input) */
	size_t depth;		/* batches read ahead at most (>= 1) */
	bool skip_bad;		/* ragged rows and an unterminated last row are warned about */
	ts_feed_warn_fn warn;
	void *warn_ctx;
};

struct ts_groupfeed;

/* Start reading the inputs paths[0..npaths) ("-" is standard input, named
 * "<stdin>") on a new thread. NULL when memory or the thread is refused. */
struct ts_groupfeed *ts_groupfeed_start(const struct ts_feed_opts *o, char *const *paths,
					size_t npaths);

/* The next batch, waiting for it; the caller owns it (ts_feed_batch_free).
 * NULL after the last. Errors of the input arrive as a batch's rc and err,
 * set as ts_table_read_skip would set them (file and line), plus TS_EINPUT
 * "series \"K\" comes back after other series: --grouped needs the rows of
 * each series together" at the first row of a key seen before another. */
struct ts_feed_batch *ts_groupfeed_next(struct ts_groupfeed *f);

/* From now on cut no more: the next batches up to the last hold everything
 * left (for a tool that finds it needs the whole input after all). */
void ts_groupfeed_whole(struct ts_groupfeed *f);

/* Stop reading (at the next row or input) and wait for the thread; free all. */
void ts_groupfeed_free(struct ts_groupfeed *f);

void ts_feed_batch_free(struct ts_feed_batch *b);

/* The groups of b's rows under roles, as ts_groups_build(&b->tab, ...) makes
 * them: from where the reader saw each series start when roles has the
 * key columns it cut by (one run of rows each, in input order), without
 * reading the keys again; else by ts_groups_build. Errors: its. */
int ts_feed_batch_groups(const struct ts_groupfeed *f, const struct ts_feed_batch *b,
			 const struct ts_roles *roles, struct ts_groups *g, struct ts_err *err);

/* Free b, a batch of f, keeping the memory of its rows for a batch to come
 * (a few at most: the rest is freed). f NULL: only freed. Any thread. */
void ts_groupfeed_recycle(struct ts_groupfeed *f, struct ts_feed_batch *b);

/* A set of byte strings (keys), for telling a key seen before. */
struct ts_keyset {
	size_t n, nslots;
	char **keys;		/* nslots slots, NULL when empty */
	size_t *lens;
};

/* Add key[0..len); *seen tells whether it was already there. 0 or TS_ENOMEM. */
int ts_keyset_add(struct ts_keyset *s, const char *key, size_t len, bool *seen);
bool ts_keyset_has(const struct ts_keyset *s, const char *key, size_t len);
void ts_keyset_free(struct ts_keyset *s);

#endif
