/* SPDX-License-Identifier: GPL-3.0-or-later */
/* groupfeed: the push CSV reader (csv) on its own thread, cutting the rows
 * into tables of whole series at a change of key, handed over in a queue. */
#include "io/groupfeed.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "core/mem.h"

/* Tables kept for their memory between batches: as many as are freed while
 * the reader waits for room in the queue, with depth 2 and a pool holding
 * up to three. */
#define FEED_SPARES 4

struct ts_groupfeed {
	struct ts_feed_opts o;
	char **paths;
	size_t npaths;
	/* the reader thread's */
	struct ts_table header;		/* header and input names, no rows */
	bool header_seen;		/* in the current input */
	uint32_t src;			/* current input */
	struct ts_csv_reader *csv;
	bool keyed;
	struct ts_roles roles;
	struct ts_buf key, cur_key;	/* this row's key, the current series' */
	bool have_key;
	bool series_starts;		/* at this row, a series starts */
	struct ts_keyset done;		/* keys of the series that ended */
	struct ts_feed_batch *cur;	/* being filled */
	size_t nbatches;		/* handed to the queue */
	size_t last_rows, last_bytes;	/* the size of the last batch, to make room for the next */
	/* shared */
	struct ts_table spare[FEED_SPARES];	/* tables of batches done with, rows dropped */
	size_t nspare;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct ts_feed_batch *head, *tail;
	size_t queued;
	bool stop, got_last;
	atomic_bool whole;
	pthread_t thread;
};

/* ---- the set of keys ---- */

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t keyset_slot(const struct ts_keyset *s, const char *key, size_t len)
{
	size_t i = (size_t)hash_bytes(key, len) & (s->nslots - 1);

	while (s->keys[i] != NULL && !(s->lens[i] == len && memcmp(s->keys[i], key, len) == 0))
		i = (i + 1) & (s->nslots - 1);
	return i;
}

bool ts_keyset_has(const struct ts_keyset *s, const char *key, size_t len)
{
	return s->nslots > 0 && s->keys[keyset_slot(s, key, len)] != NULL;
}

static int keyset_grow(struct ts_keyset *s)
{
	struct ts_keyset bigger = { .n = s->n, .nslots = s->nslots > 0 ? 2 * s->nslots : 256 };

	bigger.keys = ts_calloc(bigger.nslots, sizeof *bigger.keys);
	bigger.lens = ts_calloc(bigger.nslots, sizeof *bigger.lens);
	if (bigger.keys == NULL || bigger.lens == NULL) {
		free(bigger.keys);
		free(bigger.lens);
		return TS_ENOMEM;
	}
	for (size_t i = 0; i < s->nslots; i++) {
		if (s->keys[i] == NULL)
			continue;
		size_t at = keyset_slot(&bigger, s->keys[i], s->lens[i]);
		bigger.keys[at] = s->keys[i];
		bigger.lens[at] = s->lens[i];
	}
	free(s->keys);
	free(s->lens);
	*s = bigger;
	return 0;
}

int ts_keyset_add(struct ts_keyset *s, const char *key, size_t len, bool *seen)
{
	size_t at;

	*seen = ts_keyset_has(s, key, len);
	if (*seen)
		return 0;
	if (2 * (s->n + 1) > s->nslots && keyset_grow(s) != 0)
		return TS_ENOMEM;
	at = keyset_slot(s, key, len);
	if ((s->keys[at] = ts_strndup(key, len)) == NULL)
		return TS_ENOMEM;
	s->lens[at] = len;
	s->n++;
	return 0;
}

void ts_keyset_free(struct ts_keyset *s)
{
	for (size_t i = 0; i < s->nslots; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->lens);
	memset(s, 0, sizeof *s);
}

/* ---- batches and the queue ---- */

void ts_feed_batch_free(struct ts_feed_batch *b)
{
	if (b == NULL)
		return;
	ts_table_free(&b->tab);
	ts_buf_free(&b->msg);
	free(b->series_at_);
	free(b);
}

int ts_feed_batch_groups(const struct ts_groupfeed *f, const struct ts_feed_batch *b,
			 const struct ts_roles *roles, struct ts_groups *g, struct ts_err *err)
{
	size_t n = b->nseries_, nrows = b->tab.nrows;

	/* a batch is cut where a series starts, so its first row starts one */
	if (!f->keyed || roles->nkeys != f->roles.nkeys || n == 0 || b->series_at_[0] != 0 ||
	    memcmp(roles->keys, f->roles.keys, roles->nkeys * sizeof roles->keys[0]) != 0)
		return ts_groups_build(&b->tab, roles, g, err);
	size_t *start = ts_mallocarray(n + 1, sizeof *start);
	if (start != NULL)
		memcpy(start, b->series_at_, n * sizeof *start);
	if (start == NULL || ts_groups_of_runs(start, n, nrows, g) != 0) {
		memset(g, 0, sizeof *g);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	return 0;
}

void ts_groupfeed_recycle(struct ts_groupfeed *f, struct ts_feed_batch *b)
{
	if (b == NULL)
		return;
	if (f != NULL) {
		pthread_mutex_lock(&f->lock);
		if (f->nspare < FEED_SPARES && b->tab.arena != NULL) {
			f->spare[f->nspare++] = b->tab;
			memset(&b->tab, 0, sizeof b->tab);
		}
		pthread_mutex_unlock(&f->lock);
	}
	ts_feed_batch_free(b);
}

/* t: the table of a batch done with, kept for its memory, else an empty one. */
static bool take_spare(struct ts_groupfeed *f, struct ts_table *t)
{
	bool taken = false;

	pthread_mutex_lock(&f->lock);
	if (f->nspare > 0) {
		*t = f->spare[--f->nspare];
		taken = true;
	}
	pthread_mutex_unlock(&f->lock);
	return taken;
}

static struct ts_feed_batch *new_batch(struct ts_groupfeed *f)
{
	struct ts_feed_batch *b = ts_calloc(1, sizeof *b);

	if (b == NULL)
		return NULL;
	if (f->csv != NULL && f->src == 0) {
		/* the first input's delimiter and line ending hold for all */
		f->header.delim = ts_csv_reader_delim(f->csv);
		f->header.eol = ts_csv_reader_eol(f->csv);
	}
	if (take_spare(f, &b->tab) ? ts_table_reuse(&b->tab, &f->header) != 0
				   : ts_table_like(&b->tab, &f->header) != 0) {
		free(b);
		return NULL;
	}
	/* only a speed-up: a table that cannot reserve grows as it fills */
	if (f->last_rows > 0)
		ts_table_reserve(&b->tab, f->last_rows + f->last_rows / 8, f->last_bytes + f->last_bytes / 8);
	return b;
}

/* The batch being filled, made when first needed. */
static struct ts_feed_batch *current(struct ts_groupfeed *f)
{
	if (f->cur == NULL)
		f->cur = new_batch(f);
	return f->cur;
}

/* Queue the current batch, waiting while depth batches wait already.
 * TS_ESTOP when the reader is to stop. */
static int push(struct ts_groupfeed *f, bool last)
{
	struct ts_feed_batch *b = f->cur;
	int rc = 0;

	f->cur = NULL;
	f->last_rows = b->tab.nrows;
	f->last_bytes = b->tab.arena_len;
	if (f->csv != NULL && f->src == 0)
		b->tab.eol = ts_csv_reader_eol(f->csv);	/* a CRLF told by its LF */
	b->last = last;
	pthread_mutex_lock(&f->lock);
	while (f->queued >= f->o.depth && !f->stop)
		pthread_cond_wait(&f->changed, &f->lock);
	if (f->stop) {
		rc = TS_ESTOP;
		ts_feed_batch_free(b);
	} else {
		if (f->tail != NULL)
			f->tail->next_ = b;
		else
			f->head = b;
		f->tail = b;
		f->queued++;
		f->nbatches++;
		pthread_cond_broadcast(&f->changed);
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* ---- the reader ---- */

static int set_header(struct ts_groupfeed *f, const struct ts_csv_record *rec, struct ts_err *err)
{
	struct ts_err ignored = { 0 };

	f->header.names = ts_calloc(rec->nfields, sizeof *f->header.names);
	if (f->header.names == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	f->header.ncols = rec->nfields;
	for (size_t c = 0; c < rec->nfields; c++)
		if ((f->header.names[c] = ts_strndup(rec->fields[c], rec->lens[c])) == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
	/* Keys that do not resolve: never cut (one batch, as a whole read);
	 * the tool says what is wrong when it resolves its roles. */
	f->keyed = f->o.key_spec != NULL &&
		   ts_roles_resolve(&f->header, NULL, NULL, f->o.key_spec, &f->roles, &ignored) == 0 &&
		   f->roles.nkeys > 0;
	return 0;
}

static bool header_matches(const struct ts_table *t, const struct ts_csv_record *rec)
{
	if (rec->nfields != t->ncols)
		return false;
	for (size_t c = 0; c < t->ncols; c++)
		if (strlen(t->names[c]) != rec->lens[c] || memcmp(t->names[c], rec->fields[c], rec->lens[c]) != 0)
			return false;
	return true;
}

/* A row left out under skip_bad: warned about in the batch it falls in. */
static int skip_row(struct ts_groupfeed *f, struct ts_err *err)
{
	struct ts_feed_batch *b = current(f);

	if (b == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	err->file = f->header.files[f->src];
	if (f->o.warn != NULL)
		f->o.warn(f->o.warn_ctx, err, &b->msg);
	ts_err_clear(err);
	b->tab.skipped++;
	return 0;
}

/* The row's key into f->key: each key field's length, then its bytes (no
 * byte a field may hold can make two keys alike). */
static void row_key(struct ts_groupfeed *f, const struct ts_csv_record *rec)
{
	f->key.len = 0;
	for (size_t k = 0; k < f->roles.nkeys; k++) {
		size_t c = f->roles.keys[k];
		ts_buf_put(&f->key, &rec->lens[c], sizeof rec->lens[c]);
		ts_buf_put(&f->key, rec->fields[c], rec->lens[c]);
	}
}

/* Whether the row's key is the current series' (as row_key would write
 * it), read in place: most rows continue their series. */
static bool same_series(const struct ts_groupfeed *f, const struct ts_csv_record *rec)
{
	const char *key = f->cur_key.data, *end;

	if (key == NULL || f->cur_key.failed)
		return false;
	end = key + f->cur_key.len;
	for (size_t k = 0; k < f->roles.nkeys; k++) {
		size_t c = f->roles.keys[k], len;
		if ((size_t)(end - key) < sizeof len)
			return false;
		memcpy(&len, key, sizeof len);
		key += sizeof len;
		if (len != rec->lens[c] || (size_t)(end - key) < len)
			return false;
		/* bytewise: keys are short, and libc's memcmp took a fifth of
		 * ts-fill's time here (perf, on a VM) */
		for (size_t i = 0; i < len; i++)
			if (key[i] != rec->fields[c][i])
				return false;
		key += len;
	}
	return key == end;
}

static int key_comes_back(struct ts_groupfeed *f, const struct ts_csv_record *rec, struct ts_err *err)
{
	struct ts_buf label = { 0 };
	char quoted[64];

	for (size_t k = 0; k < f->roles.nkeys; k++) {
		size_t c = f->roles.keys[k];
		if (k > 0)
			ts_buf_putc(&label, ',');
		ts_buf_put(&label, rec->fields[c], rec->lens[c]);
	}
	ts_err_quote(label.failed ? "?" : label.data, label.failed ? 1 : label.len, quoted, sizeof quoted);
	ts_buf_free(&label);
	return ts_err_at(err, TS_EINPUT, rec->line,
			 "series \"%s\" comes back after other series: --grouped needs the rows of "
			 "each series together (sort by the key, or leave --grouped out)", quoted);
}

/* At a row's key: whether a new series starts, refused when its key was
 * seen before; the batch is cut there once it is long enough. */
static int follow_key(struct ts_groupfeed *f, const struct ts_csv_record *rec, struct ts_err *err)
{
	size_t least = f->o.batch_rows;
	bool seen;

	if (f->have_key && same_series(f, rec))
		return 0;
	row_key(f, rec);
	if (f->key.failed || f->cur_key.failed)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (f->have_key) {
		if (ts_keyset_add(&f->done, f->cur_key.data, f->cur_key.len, &seen) != 0)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		if (ts_keyset_has(&f->done, f->key.data, f->key.len))
			return key_comes_back(f, rec, err);
		if (f->nbatches == 0 && least < 100)
			least = 100;
		if (f->cur != NULL && f->cur->tab.nrows >= least && !atomic_load(&f->whole) &&
		    push(f, false) != 0)
			return TS_ESTOP;
	}
	f->cur_key.len = 0;
	ts_buf_put(&f->cur_key, f->key.data, f->key.len);
	f->have_key = true;
	f->series_starts = true;
	return 0;
}

static int on_record(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct ts_groupfeed *f = ctx;
	struct ts_feed_batch *b;
	int rc;

	if (rec->blank && (!f->header_seen || f->header.ncols != 1))
		return 0;
	if (!f->header_seen) {
		f->header_seen = true;
		if (f->header.names == NULL)
			return set_header(f, rec, err);
		if (!header_matches(&f->header, rec))
			return ts_err_at(err, TS_EINPUT, rec->line, "header differs from the first input's");
		return 0;
	}
	if (rec->nfields != f->header.ncols) {
		ts_err_at(err, TS_EINPUT, rec->line, "expected %zu field%s, found %zu", f->header.ncols,
			  f->header.ncols == 1 ? "" : "s", rec->nfields);
		if (!f->o.skip_bad)
			return TS_EINPUT;
		return skip_row(f, err);
	}
	if (f->keyed && (rc = follow_key(f, rec, err)) != 0)
		return rc;
	if ((b = f->cur) == NULL && (b = current(f)) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (f->series_starts) {
		size_t *at = ts_grow(b->series_at_, &b->series_cap_, b->nseries_ + 1, sizeof *at);
		if (at == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		b->series_at_ = at;
		at[b->nseries_++] = b->tab.nrows;
		f->series_starts = false;
	}
	if (ts_table_add_record(&b->tab, rec, f->src) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

/* Read one input to its end into the batches; 0 or its error. */
static int read_input(struct ts_groupfeed *f, FILE *in, struct ts_err *err)
{
	int rc;

	f->header_seen = false;
	if ((f->csv = ts_csv_reader_new(f->o.delim)) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	rc = ts_csv_read_stream(f->csv, in, on_record, f, err);
	if (rc == TS_EINPUT && f->header_seen && f->o.skip_bad && ts_csv_reader_unterminated(f->csv))
		rc = skip_row(f, err);	/* the last row, still being written */
	if (rc == 0 && !f->header_seen)
		rc = ts_err_at(err, TS_EINPUT, 0, "%s", TS_NO_INPUT);
	if (rc == 0 && f->src == 0 && current(f) != NULL) {
		f->header.delim = ts_csv_reader_delim(f->csv);
		f->header.eol = ts_csv_reader_eol(f->csv);
		f->cur->tab.delim = f->header.delim;
		f->cur->tab.eol = f->header.eol;
	}
	ts_csv_reader_free(f->csv);
	f->csv = NULL;
	return rc;
}

static void *reader_main(void *arg)
{
	struct ts_groupfeed *f = arg;
	struct ts_err err = { 0 };
	int rc = 0;

	for (size_t i = 0; i < f->npaths && rc == 0; i++) {
		bool is_stdin = strcmp(f->paths[i], "-") == 0;
		const char *name = is_stdin ? "<stdin>" : f->paths[i];
		FILE *in;

		if (ts_table_add_input(&f->header, name, &f->src) != 0) {
			rc = ts_err_set(&err, TS_ENOMEM, "out of memory");
			break;
		}
		if (f->cur != NULL && ts_table_add_input(&f->cur->tab, name, &f->src) != 0) {
			rc = ts_err_set(&err, TS_ENOMEM, "out of memory");
			break;
		}
		in = is_stdin ? stdin : fopen(f->paths[i], "rb");
		if (in == NULL) {
			err.line = 0;
			rc = ts_err_set(&err, TS_EIO, "%s", strerror(errno));
		} else {
			rc = read_input(f, in, &err);
			if (!is_stdin)
				fclose(in);
		}
		if (rc != 0)
			err.file = f->header.files[f->src];
	}
	if (rc == TS_ESTOP)
		return NULL;
	if (current(f) == NULL) {
		/* no memory for even the last word: the consumer sees it as an end */
		pthread_mutex_lock(&f->lock);
		f->stop = true;
		pthread_cond_broadcast(&f->changed);
		pthread_mutex_unlock(&f->lock);
		return NULL;
	}
	f->cur->rc = rc;
	f->cur->err = err;
	push(f, true);
	return NULL;
}

struct ts_groupfeed *ts_groupfeed_start(const struct ts_feed_opts *o, char *const *paths,
					size_t npaths)
{
	static char *const stdin_only[] = { "-" };
	struct ts_groupfeed *f = ts_calloc(1, sizeof *f);

	if (f == NULL)
		return NULL;
	f->o = *o;
	if (f->o.depth == 0)
		f->o.depth = 1;
	f->paths = npaths > 0 ? (char **)paths : (char **)stdin_only;
	f->npaths = npaths > 0 ? npaths : 1;
	atomic_init(&f->whole, false);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->changed, NULL);
	if (pthread_create(&f->thread, NULL, reader_main, f) != 0) {
		pthread_mutex_destroy(&f->lock);
		pthread_cond_destroy(&f->changed);
		free(f);
		return NULL;
	}
	return f;
}

struct ts_feed_batch *ts_groupfeed_next(struct ts_groupfeed *f)
{
	struct ts_feed_batch *b = NULL;

	pthread_mutex_lock(&f->lock);
	while (f->head == NULL && !f->got_last && !f->stop)
		pthread_cond_wait(&f->changed, &f->lock);
	if (f->head != NULL) {
		b = f->head;
		f->head = b->next_;
		if (f->head == NULL)
			f->tail = NULL;
		f->queued--;
		b->next_ = NULL;
		if (b->last)
			f->got_last = true;
		pthread_cond_broadcast(&f->changed);
	}
	pthread_mutex_unlock(&f->lock);
	return b;
}

void ts_groupfeed_whole(struct ts_groupfeed *f)
{
	atomic_store(&f->whole, true);
}

void ts_groupfeed_free(struct ts_groupfeed *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	while (f->head != NULL) {
		struct ts_feed_batch *b = f->head;
		f->head = b->next_;
		ts_feed_batch_free(b);
	}
	ts_feed_batch_free(f->cur);
	while (f->nspare > 0)
		ts_table_free(&f->spare[--f->nspare]);
	ts_table_free(&f->header);
	ts_buf_free(&f->key);
	ts_buf_free(&f->cur_key);
	ts_keyset_free(&f->done);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->changed);
	free(f);
}
