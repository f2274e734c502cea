/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rowreader: the push CSV reader (csv) turned into rows of a one-row table
 * (frame), one input after another under one header. */
#include "io/rowreader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"
#include "core/mem.h"

#define CHUNK (1 << 16)

struct ts_rowreader {
	char delim;			/* given, or 0 until the first header */
	const char *time_spec, *value_spec, *key_spec;
	struct ts_table t;		/* header, and the current row */
	bool have_roles;
	struct ts_roles roles;
	/* the input being read */
	struct ts_csv_reader *csv;
	const char *name;
	bool have_header;		/* this input's header was read */
	ts_row_fn row;
	ts_ragged_fn ragged;		/* NULL: a ragged row is an error */
	void *ctx;
	char *chunk;
};

struct ts_rowreader *ts_rowreader_new(char delim, const char *time_spec, const char *value_spec,
				      const char *key_spec)
{
	struct ts_rowreader *r = ts_calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	if ((r->chunk = malloc(CHUNK)) == NULL) {
		free(r);
		return NULL;
	}
	r->delim = delim;
	r->time_spec = time_spec;
	r->value_spec = value_spec;
	r->key_spec = key_spec;
	return r;
}

void ts_rowreader_free(struct ts_rowreader *r)
{
	if (r == NULL)
		return;
	ts_csv_reader_free(r->csv);
	ts_table_free(&r->t);
	free(r->chunk);
	free(r);
}

const struct ts_table *ts_rowreader_header(const struct ts_rowreader *r)
{
	return &r->t;
}

bool ts_rowreader_has_roles(const struct ts_rowreader *r)
{
	return r->have_roles;
}

/* The first header: the table's columns. A later one must match it. */
static int take_header(struct ts_rowreader *r, const struct ts_csv_record *rec, struct ts_err *err)
{
	struct ts_table *t = &r->t;

	if (t->names != NULL) {
		bool same = rec->nfields == t->ncols;
		for (size_t c = 0; same && c < t->ncols; c++)
			same = strlen(t->names[c]) == rec->lens[c] &&
			       memcmp(t->names[c], rec->fields[c], rec->lens[c]) == 0;
		if (!same)
			return ts_err_at(err, TS_EINPUT, rec->line, "header differs from the first input's");
		return 0;
	}
	t->ncols = rec->nfields;
	t->delim = ts_csv_reader_delim(r->csv);
	t->eol = ts_csv_reader_eol(r->csv);
	r->delim = t->delim;
	t->names = ts_calloc(rec->nfields, sizeof *t->names);
	t->off = ts_calloc(rec->nfields + 1, sizeof *t->off);
	t->line = ts_calloc(1, sizeof *t->line);
	t->src = ts_calloc(1, sizeof *t->src);
	t->files = ts_calloc(1, sizeof *t->files);
	if (t->names == NULL || t->off == NULL || t->line == NULL || t->src == NULL || t->files == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	t->off_cap = rec->nfields + 1;
	t->rows_cap = 1;
	t->nfiles = 1;
	if ((t->files[0] = ts_strndup(r->name, strlen(r->name))) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t c = 0; c < rec->nfields; c++)
		if ((t->names[c] = ts_strndup(rec->fields[c], rec->lens[c])) == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

/* Make the table's one row the record's fields. */
static int set_row(struct ts_table *t, const struct ts_csv_record *rec)
{
	size_t need = 0, at = 0;

	for (size_t c = 0; c < rec->nfields; c++)
		need += rec->lens[c] + 1;
	if (need > t->arena_cap) {
		char *a = ts_grow(t->arena, &t->arena_cap, need, 1);
		if (a == NULL)
			return TS_ENOMEM;
		t->arena = a;
	}
	for (size_t c = 0; c < rec->nfields; c++) {
		t->off[c] = at;
		memcpy(t->arena + at, rec->fields[c], rec->lens[c]);
		at += rec->lens[c];
		t->arena[at++] = '\0';
	}
	t->off[rec->nfields] = at;
	t->arena_len = at;
	t->line[0] = rec->line;
	t->nrows = 1;
	return 0;
}

static int on_record(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct ts_rowreader *r = ctx;
	struct ts_table *t = &r->t;
	struct ts_row row;
	int rc;

	if (rec->blank && (!r->have_header || t->ncols != 1))
		return 0;
	if (!r->have_header) {
		r->have_header = true;
		return take_header(r, rec, err);
	}
	if (rec->nfields != t->ncols) {
		rc = ts_err_at(err, TS_EINPUT, rec->line, "expected %zu field%s, found %zu", t->ncols,
			       t->ncols == 1 ? "" : "s", rec->nfields);
		if (r->ragged == NULL)
			return rc;
		err->file = r->name;
		return r->ragged(err, r->ctx);
	}
	if (set_row(t, rec) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (!r->have_roles) {
		/* the header's line break is whole by now (a CR was followed) */
		t->eol = ts_csv_reader_eol(r->csv);
		if ((rc = ts_roles_resolve(t, r->time_spec, r->value_spec, r->key_spec, &r->roles, err)) != 0 ||
		    (rc = ts_roles_need_value(t, &r->roles, err)) != 0)
			return rc;
		r->have_roles = true;
	}
	row.t = t;
	row.roles = &r->roles;
	row.file = r->name;
	row.line = rec->line;
	return r->row(&row, r->ctx, err);
}

void ts_rowreader_on_ragged(struct ts_rowreader *r, ts_ragged_fn fn)
{
	r->ragged = fn;
}

int ts_rowreader_read(struct ts_rowreader *r, int fd, const char *name, ts_row_fn row,
		      ts_chunk_fn chunk, void *ctx, struct ts_err *err)
{
	int rc = 0;

	r->name = name;
	r->have_header = false;
	r->row = row;
	r->ctx = ctx;
	ts_csv_reader_free(r->csv);
	if ((r->csv = ts_csv_reader_new(r->delim)) == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (;;) {
		ssize_t got = read(fd, r->chunk, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = ts_err_set(err, TS_EIO, "%s", strerror(errno));
			break;
		}
		if (got == 0) {
			rc = ts_csv_finish(r->csv, on_record, r, err);
			/* a last row cut off inside quotes (a file still being
			 * written) is a ragged row too */
			if (rc == TS_EINPUT && r->ragged != NULL && r->have_header &&
			    ts_csv_reader_unterminated(r->csv)) {
				err->file = name;
				rc = r->ragged(err, ctx);
			}
			break;
		}
		rc = ts_csv_feed(r->csv, r->chunk, (size_t)got, on_record, r, err);
		/* What was decided goes out before the reader waits for more. */
		if (rc == 0 && chunk != NULL)
			rc = chunk(ctx, err);
		if (rc != 0)
			break;
	}
	if (rc == 0 && !r->have_header)
		rc = ts_err_at(err, TS_EINPUT, 0, "%s", TS_NO_INPUT);
	if (rc != 0 && err->file == NULL && rc != TS_EUSAGE)
		err->file = name;
	return rc;
}

void ts_row_key(const struct ts_row *row, struct ts_buf *out)
{
	for (size_t k = 0; k < row->roles->nkeys; k++) {
		struct ts_str f = ts_table_field(row->t, 0, row->roles->keys[k]);
		ts_buf_put(out, f.s, f.len);
		ts_buf_putc(out, '\x1f');
	}
}

void ts_row_key_label(const char *key, size_t len, struct ts_buf *out)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (key[i] != '\x1f')
			continue;
		if (start > 0)
			ts_buf_putc(out, ',');
		ts_buf_put(out, key + start, i - start);
		start = i + 1;
	}
}
