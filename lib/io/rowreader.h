/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rowreader: CSV/TSV input one row at a time, for tools that answer each
 * row as it arrives: one header for all inputs, the roles (-t -y -k) from
 * the first data row, and each row as a one-row ts_table, so that
 * ts_table_field and ts_write_row work on it as on a whole input. */
#ifndef TS_ROWREADER_H
#define TS_ROWREADER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"

/* The row being delivered, valid during the callback only. */
struct ts_row {
	const struct ts_table *t;	/* the header, and this row as row 0 */
	const struct ts_roles *roles;	/* resolved on the first data row */
	const char *file;		/* its input's name ("<stdin>" for standard input) */
	size_t line;			/* its first line in that input */
};

/* Called once per data row (blank lines are skipped, except in one-column
 * input where they are empty fields). Return 0 to go on; any other value
 * stops the reader, which returns it. */
typedef int (*ts_row_fn)(const struct ts_row *row, void *ctx, struct ts_err *err);

/* Called after the rows of each chunk of input have been delivered, before
 * the reader waits for more: the time to flush output. Return 0 to go on. */
typedef int (*ts_chunk_fn)(void *ctx, struct ts_err *err);

struct ts_rowreader;

/* New reader. delim as ts_csv_reader_new (0: detect from the first header);
 * time_spec, value_spec and key_spec as ts_roles_resolve (NULL when not
 * given). The strings must outlive the reader. NULL on allocation failure. */
struct ts_rowreader *ts_rowreader_new(char delim, const char *time_spec, const char *value_spec,
				      const char *key_spec);
void ts_rowreader_free(struct ts_rowreader *r);

/* Read one input from file descriptor fd to its end, named name in the rows
 * and in errors, calling row for each data row and chunk (may be NULL)
 * after each read. The first input's header (and delimiter) hold for all;
 * a later input's header must be the same. Errors (err->file set to name
 * unless TS_EUSAGE, err->line where known): TS_EINPUT TS_NO_INPUT (no
 * header), "header differs from the first input's", "expected N fields,
 * found M", CSV syntax errors; those of ts_roles_resolve and
 * ts_roles_need_value; TS_EIO on a read error; TS_ENOMEM; or what a
 * callback returned. */
int ts_rowreader_read(struct ts_rowreader *r, int fd, const char *name, ts_row_fn row,
		      ts_chunk_fn chunk, void *ctx, struct ts_err *err);

/* Called instead of stopping for a row whose field count differs from the
 * header's, or a last row cut off inside quotes, with the message in err
 * (file and line set). Return 0 to skip
 * the row and go on; any other value stops the reader, which returns it. */
typedef int (*ts_ragged_fn)(struct ts_err *err, void *ctx);

/* Route ragged rows to fn (NULL, the default: they stop the reader). */
void ts_rowreader_on_ragged(struct ts_rowreader *r, ts_ragged_fn fn);

/* The header read so far (ncols 0 before any), and whether roles were
 * resolved (a data row was seen). */
const struct ts_table *ts_rowreader_header(const struct ts_rowreader *r);
bool ts_rowreader_has_roles(const struct ts_rowreader *r);

/* Append row's key as the bytes of its key fields, each followed by 0x1f
 * (empty without key columns): one byte string per series. */
void ts_row_key(const struct ts_row *row, struct ts_buf *out);

/* Append a key made by ts_row_key as the fields joined by commas. */
void ts_row_key_label(const char *key, size_t len, struct ts_buf *out);

#endif
