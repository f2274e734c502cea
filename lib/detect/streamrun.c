/* SPDX-License-Identifier: GPL-3.0-or-later */
/* streamrun: the --stream row loop: rows read as they arrive (rowreader),
 * each series' wall clock and model (stream), the decisions written. */
#include "detect/streamrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"
#include "io/frame.h"
#include "core/mem.h"
#include "core/num.h"
#include "io/rowreader.h"

/* What a series needs beyond its model: its wall clock. */
struct series_clock {
	bool have_zone, have_prev;
	struct ts_zone zone;
	ts_time prev;		/* the series' last instant, for the fall-back hour */
};

struct ts_streamrun {
	struct ts_streamrun_opts o;
	struct ts_rowreader *reader;
	struct ts_stream_set *set;
	struct series_clock *clocks;	/* by first-seen index */
	size_t clocks_cap;
	bool have_outcols;
	struct ts_outcols outcols;
	struct ts_buf out, key;
	struct ts_streamrun_counts counts;
	/* the caller's flush, during ts_streamrun_read */
	ts_streamrun_flush_fn flush;
	void *flush_ctx;
};

/* A row skip_bad leaves out: told, counted. */
static void skip_row(struct ts_streamrun *sr, struct ts_err *err)
{
	if (sr->o.warn != NULL)
		sr->o.warn(sr->o.warn_ctx, err);
	ts_err_clear(err);
	sr->counts.skipped++;
}

/* A bad row: an error at its line, or with skip_bad a warning and a count. */
static int bad_row(struct ts_streamrun *sr, const struct ts_row *row, struct ts_err *err)
{
	err->file = row->file;
	err->line = row->line;
	if (!sr->o.skip_bad)
		return err->code;
	skip_row(sr, err);
	return 0;
}

/* A row with the wrong number of fields, under skip_bad. */
static int ragged_row(struct ts_err *err, void *ctx)
{
	skip_row(ctx, err);
	return 0;
}

static void put_num(double v, char *buf, struct ts_str *f)
{
	f->len = ts_num_format(v, buf);
	f->s = buf;
}

/* The series at first-seen index idx, its clock set from the row's time
 * format (or --tz) the first time. */
static struct series_clock *clock_of(struct ts_streamrun *sr, size_t idx, const struct ts_tfmt *fmt,
				     struct ts_err *err)
{
	struct series_clock *c;

	if (idx >= sr->clocks_cap) {
		size_t old = sr->clocks_cap;
		struct series_clock *grown = ts_grow(sr->clocks, &sr->clocks_cap, idx + 1, sizeof *grown);
		if (grown == NULL) {
			ts_err_set(err, TS_ENOMEM, "out of memory");
			return NULL;
		}
		memset(grown + old, 0, (sr->clocks_cap - old) * sizeof *grown);
		sr->clocks = grown;
	}
	c = &sr->clocks[idx];
	if (!c->have_zone) {
		/* The wall clock of the seasons: --tz, else what the series'
		 * first timestamp says. */
		if (sr->o.zone != NULL)
			c->zone = *sr->o.zone;
		else
			ts_zone_from_fmt(fmt, &c->zone);
		c->have_zone = true;
	}
	return c;
}

static int on_row(const struct ts_row *row, void *ctx, struct ts_err *err)
{
	struct ts_streamrun *sr = ctx;
	struct series_clock *clock;
	struct ts_stream *st;
	struct ts_stream_out so;
	struct ts_tfmt fmt;
	struct ts_str tf;
	ts_time when;
	double y;
	size_t idx;

	/* The series first, so that its state is on its way to the cache
	 * while the row is parsed. */
	sr->key.len = 0;
	ts_row_key(row, &sr->key);
	if (sr->key.failed)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if ((st = ts_stream_set_get(sr->set, sr->key.data != NULL ? sr->key.data : "", sr->key.len, &idx,
				    err)) == NULL)
		return err->code;
	ts_stream_prefetch(st);
	/* The same rules as the batch tools: an infinity is bad input. */
	if (ts_table_number(row->t, 0, row->roles->value, &y, err) != 0)
		return bad_row(sr, row, err);
	tf = ts_table_field(row->t, 0, row->roles->time);
	if (ts_time_parse(tf.s, tf.len, sr->o.epoch, &when, &fmt, err) != 0)
		return bad_row(sr, row, err);
	/* The header goes out with the first row that parses. */
	if (!sr->have_outcols) {
		if (ts_outcols_init(&sr->outcols, row->t, ts_detect_columns, TS_DETECT_NCOLUMNS, err) != 0)
			return err->code;
		for (size_t a = 0; a < TS_DETECT_NNUMERIC; a++)
			ts_outcols_set_numeric(&sr->outcols, a);
		sr->have_outcols = true;
		if (!sr->o.quiet)
			ts_write_header(&sr->outcols, row->t, ts_detect_columns, &sr->out);
	}
	if ((clock = clock_of(sr, idx, &fmt, err)) == NULL)
		return err->code;
	/* A naive time in --tz: through the repeated fall-back hour in
	 * order, a time the clocks skip is bad input (as ts-fill reads it). */
	if (ts_time_resolve(when, &fmt, sr->o.zone, clock->have_prev ? clock->prev : INT64_MIN, &when,
			    err) != 0) {
		char quoted[64], why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		ts_err_set(err, TS_EINPUT, "bad timestamp \"%s\": %.300s",
			   ts_err_quote(tf.s, tf.len, quoted, sizeof quoted), why);
		return bad_row(sr, row, err);
	}
	clock->prev = when;
	clock->have_prev = true;
	ts_stream_step(st, when, y, &clock->zone, &so);
	sr->counts.found += so.anomaly;
	sr->counts.judged++;
	if (!sr->o.quiet && (!sr->o.only || so.anomaly)) {
		char nums[4][TS_NUM_BUFSIZE];
		struct ts_str added[TS_DETECT_NCOLUMNS];
		added[0].s = so.anomaly ? "1" : "0";
		added[0].len = 1;
		put_num(so.score, nums[0], &added[1]);
		put_num(so.expected, nums[1], &added[2]);
		put_num(so.lower, nums[2], &added[3]);
		put_num(so.upper, nums[3], &added[4]);
		added[5].s = so.reason;
		added[5].len = strlen(so.reason);
		ts_write_row(&sr->outcols, row->t, 0, NULL, added, &sr->out);
	}
	return 0;
}

static int on_chunk(void *ctx, struct ts_err *err)
{
	struct ts_streamrun *sr = ctx;

	return sr->flush(&sr->out, sr->flush_ctx, err);
}

struct ts_streamrun *ts_streamrun_new(const struct ts_streamrun_opts *o)
{
	struct ts_streamrun *sr = ts_calloc(1, sizeof *sr);

	if (sr == NULL)
		return NULL;
	sr->o = *o;
	sr->set = ts_stream_set_new(&o->params);
	sr->reader = ts_rowreader_new(o->delim, o->time_col, o->value_col, o->key_cols);
	if (sr->set == NULL || sr->reader == NULL) {
		ts_streamrun_free(sr);
		return NULL;
	}
	if (o->skip_bad)
		ts_rowreader_on_ragged(sr->reader, ragged_row);
	return sr;
}

void ts_streamrun_free(struct ts_streamrun *sr)
{
	if (sr == NULL)
		return;
	ts_stream_set_free(sr->set);
	ts_rowreader_free(sr->reader);
	free(sr->clocks);
	ts_buf_free(&sr->out);
	ts_buf_free(&sr->key);
	if (sr->have_outcols)
		ts_outcols_free(&sr->outcols);
	free(sr);
}

int ts_streamrun_read(struct ts_streamrun *sr, int fd, const char *name, ts_streamrun_flush_fn flush,
		      void *ctx, struct ts_err *err)
{
	sr->flush = flush;
	sr->flush_ctx = ctx;
	return ts_rowreader_read(sr->reader, fd, name, on_row, on_chunk, sr, err);
}

struct ts_buf *ts_streamrun_out(struct ts_streamrun *sr)
{
	return &sr->out;
}

bool ts_streamrun_has_rows(const struct ts_streamrun *sr)
{
	return ts_rowreader_has_roles(sr->reader);
}

void ts_streamrun_counts(const struct ts_streamrun *sr, struct ts_streamrun_counts *c)
{
	*c = sr->counts;
}

void ts_streamrun_summary(const struct ts_streamrun *sr, const char *prog, struct ts_buf *msg)
{
	const struct ts_table *t = ts_rowreader_header(sr->reader);

	for (size_t i = 0; i < ts_stream_set_count(sr->set); i++) {
		struct ts_stream_summary sum;
		struct ts_buf label = { 0 };
		char width[32] = "unknown", periods[64] = "0", line[512];
		size_t len;
		const char *key = ts_stream_set_key(sr->set, i, &len);

		ts_stream_summary(ts_stream_set_state(sr->set, i), &sum);
		if (t->nfiles > 0 && len == 0) {
			ts_buf_puts(&label, t->files[0]);
		} else {
			ts_buf_puts(&label, "series \"");
			ts_row_key_label(key, len, &label);
			ts_buf_putc(&label, '"');
		}
		ts_buf_putc(&label, '\0');
		if (sum.interval.us > 0)
			ts_dur_format(&sum.interval, width);
		if (sum.bins > 0 && sum.long_bins > 0)
			snprintf(periods, sizeof periods, "%zu,%zu", sum.bins,
				 (size_t)(sum.long_season_us / sum.interval.us));
		else if (sum.bins > 0)
			snprintf(periods, sizeof periods, "%zu", sum.bins);
		snprintf(line, sizeof line, ": %zu rows, %zu anomal%s, interval %s, period %s, model %s%s\n",
			 sum.rows, sum.anomalies, sum.anomalies == 1 ? "y" : "ies", width, periods,
			 sum.forecaster_gain[0] != '\0' ? sum.forecaster_gain : "none", sum.forecaster_season);
		ts_buf_puts(msg, prog);
		ts_buf_puts(msg, ": ");
		ts_buf_puts(msg, label.failed ? "?" : label.data);
		ts_buf_puts(msg, line);
		ts_buf_free(&label);
	}
}
