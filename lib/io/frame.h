/* SPDX-License-Identifier: GPL-3.0-or-later */
/* frame: a whole CSV/TSV input held in memory, the column roles (-t -y -k),
 * key groups in first-seen order, series loading, and writing rows back. */
#ifndef TS_FRAME_H
#define TS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/tstime.h"

#define TS_NO_COL SIZE_MAX
#define TS_MAX_KEYS 16

/* A byte string that is not necessarily NUL-terminated. */
struct ts_str {
	const char *s;
	size_t len;
};

/* All rows of one or more inputs sharing one header. Fields are stored one
 * after another, NUL-terminated, in one arena; off[] gives each field's start. */
struct ts_table {
	char delim;		/* the first input's (given or detected) delimiter */
	const char *eol;	/* the line ending output keeps: "\r\n" for CRLF input,
				 * else "\n" (ts_csv_reader_eol); NULL is "\n" */
	size_t ncols;
	char **names;		/* header fields */
	size_t nrows;
	char *arena;
	size_t arena_len, arena_cap;
	size_t *off;		/* nrows * ncols + 1 offsets into arena */
	size_t off_cap;
	size_t *line;		/* input line of each row */
	uint32_t *src;		/* index into files[] of each row */
	size_t rows_cap;
	char **files;		/* input names, "<stdin>" for standard input */
	size_t nfiles;
	size_t blank_lines;	/* empty lines skipped */
	size_t skipped;		/* rows ts_table_read_skip left out */
	size_t ready[4];	/* bytes prefaulted of arena, off, line, src (mem.h) */
};

/* The message for an input with no header at all (zero bytes, or blank lines
 * only): in a pipeline, the previous command most likely failed. */
#define TS_NO_INPUT "no input: did the previous command fail?"

/* Read one input (header + rows) and append its rows. delim 0 detects it from
 * the header. The first input sets the header; a later input must have the same
 * header. name is used in messages. Errors: TS_EINPUT with file and line set:
 * TS_NO_INPUT (no header), "header differs from the first input's",
 * "expected N fields, found M" (ragged row), CSV syntax errors; TS_EIO. */
int ts_table_read(struct ts_table *t, FILE *f, const char *name, char delim, struct ts_err *err);

struct ts_load_opts;

/* ts_table_read, and with opts->skip_bad (opts may be NULL) a row with the
 * wrong number of fields, or a last row left open in a quoted field (a
 * file still being written), is left out instead of failing the read: its
 * error (with file and line) goes to opts->warn and t->skipped counts it. */
int ts_table_read_skip(struct ts_table *t, FILE *f, const char *name, char delim,
		       const struct ts_load_opts *opts, struct ts_err *err);

struct ts_csv_record;

/* Append one record as a row of t (which has its header) from input src
 * (an index into t->files). Returns 0 or TS_ENOMEM. For readers that cut
 * their input into several tables (groupfeed). */
int ts_table_add_record(struct ts_table *t, const struct ts_csv_record *rec, uint32_t src);

/* Add an input name to t->files; *src gets its index. 0 or TS_ENOMEM. */
int ts_table_add_input(struct ts_table *t, const char *name, uint32_t *src);

/* Make dst an empty table with src's header, inputs, delimiter and line
 * ending (no rows). 0 or TS_ENOMEM (dst then empty). */
int ts_table_like(struct ts_table *dst, const struct ts_table *src);

/* Make t, a table that held rows, empty with like's header, inputs,
 * delimiter and line ending (as ts_table_like), keeping the memory of
 * its rows for the rows to come: memory already written costs no page
 * faults (on a virtual machine, no exits to the host). 0 or TS_ENOMEM
 * (t then freed and empty). */
int ts_table_reuse(struct ts_table *t, const struct ts_table *like);

/* Make room in t (which has its header) for nrows rows and arena_bytes of
 * field text, so that a table about as large as the last one fills without
 * a copy. 0 or TS_ENOMEM (t unchanged but for what it could grow). */
int ts_table_reserve(struct ts_table *t, size_t nrows, size_t arena_bytes);

/* Append src's rows (same header) to dst, and the inputs src has beyond
 * dst's (src's inputs start with dst's), its skipped and blank counts.
 * 0 or TS_ENOMEM (dst keeps its rows). */
int ts_table_append(struct ts_table *dst, const struct ts_table *src);

/* Free everything the table owns; it is left empty. */
void ts_table_free(struct ts_table *t);

/* ts_table_read of one whole side file (a holidays or ranges file), its
 * delimiter detected. On failure t is freed, and err->file is path, not the
 * table's copy of the name that went with it. */
int ts_table_read_file(struct ts_table *t, FILE *f, const char *path, struct ts_err *err);

/* Field c of row r. */
static inline struct ts_str ts_table_field(const struct ts_table *t, size_t r, size_t c)
{
	size_t i = r * t->ncols + c;
	struct ts_str f = { t->arena + t->off[i], t->off[i + 1] - t->off[i] - 1 };
	return f;
}

/* Rows of one series in a long input lie far apart: a loop over them asks
 * for what it reads a few rows ahead, the offsets of rows[i + 2 * TS_AHEAD]
 * and the text of rows[i + TS_AHEAD] (whose offsets came in by then). */
#define TS_AHEAD 8

static inline void ts_table_prefetch(const struct ts_table *t, const size_t *rows, size_t nrows,
				     size_t i, size_t c)
{
#if defined(__GNUC__) || defined(__clang__)
	if (i + 2 * TS_AHEAD < nrows)
		__builtin_prefetch(&t->off[rows[i + 2 * TS_AHEAD] * t->ncols + c]);
	if (i + TS_AHEAD < nrows)
		__builtin_prefetch(t->arena + t->off[rows[i + TS_AHEAD] * t->ncols + c]);
#else
	(void)t;
	(void)rows;
	(void)nrows;
	(void)i;
	(void)c;
#endif
}

/* The line ending output keeps: the first input's. */
static inline const char *ts_table_eol(const struct ts_table *t)
{
	return t->eol != NULL ? t->eol : "\n";
}

/* Append the table's line ending to out: for every line a tool writes on
 * standard output, so that CRLF input gives CRLF output. */
void ts_write_eol(const struct ts_table *t, struct ts_buf *out);

/* Name of the input row r came from. */
static inline const char *ts_table_file(const struct ts_table *t, size_t r)
{
	return t->files[t->src[r]];
}

/* What cmd/ may read of a table (scripts/lint-layers keeps its fields out of
 * cmd/): the number of data rows, the input line of row r, the name of
 * column c, the first input's name (also when there are no rows), and the
 * ragged rows ts_table_read_skip left out. */
static inline size_t ts_table_nrows(const struct ts_table *t)
{
	return t->nrows;
}

static inline size_t ts_table_line(const struct ts_table *t, size_t r)
{
	return t->line[r];
}

static inline const char *ts_table_name(const struct ts_table *t, size_t c)
{
	return t->names[c];
}

static inline const char *ts_table_first_file(const struct ts_table *t)
{
	return t->files[0];
}

static inline size_t ts_table_skipped(const struct ts_table *t)
{
	return t->skipped;
}

/* Which column plays which part. */
struct ts_roles {
	size_t time;			/* always set */
	size_t value;			/* TS_NO_COL: no value column (raw events) */
	size_t nkeys;
	size_t keys[TS_MAX_KEYS];
};

/* Resolve -t, -y and -k (each NULL when not given; COL is a header name or a
 * 1-based index; -k is a comma-separated list). Defaults per DESIGN.md: time is
 * the first of ds, timestamp, time, date, datetime, @timestamp (any case), else
 * column 1; value is y, else the first column, not time or key, whose values in
 * the first 100 rows all parse as numbers (with at least one that is not
 * missing; without any rows, the first such column), else none. Errors: TS_EDATA (the columns do not fit the options,
 * a data error, not a usage one) "-y: no column \"X\" (columns: ds, y)" (-t,
 * -y or -k), "column \"X\" is both the time and the value column";
 * TS_EUSAGE "too many key columns (at most 16)". */
int ts_roles_resolve(const struct ts_table *t, const char *time_spec, const char *value_spec,
		     const char *key_spec, struct ts_roles *roles, struct ts_err *err);

/* TS_EDATA "no value column: give -y (columns: ds, host)" when roles has no
 * value column (for tools that need one); else 0. */
int ts_roles_need_value(const struct ts_table *t, const struct ts_roles *roles, struct ts_err *err);

/* Find a column by header name or 1-based index; TS_NO_COL if none. */
size_t ts_table_column(const struct ts_table *t, const char *spec);

/* Write t's column names as "ds, host, y" into buf (size bytes, NUL-terminated),
 * each quoted as ts_err_quote does, cut short with "..." when they do not fit;
 * returns the length. For messages that list the columns there are. */
size_t ts_table_column_list(const struct ts_table *t, char *buf, size_t size);

/* The error for an option (what: "-y", "--regressor", ...) naming a column t
 * does not have: TS_EDATA "WHAT: no column \"SPEC\" (columns: ds, y)". */
int ts_table_no_column(const struct ts_table *t, const char *what, const char *spec,
		       struct ts_err *err);

/* Rows of each key group, in first-seen order of the groups; each group's rows
 * are in input order. Without key columns there is one group holding all rows
 * (even when there are none). */
struct ts_groups {
	size_t n;
	size_t *start;		/* n + 1 offsets into rows */
	size_t *rows;
};

int ts_groups_build(const struct ts_table *t, const struct ts_roles *roles,
		    struct ts_groups *g, struct ts_err *err);
void ts_groups_free(struct ts_groups *g);

/* Groups of consecutive rows: group i is rows start[i] to start[i + 1] - 1
 * of nrows, for start[0..n) (start[0] = 0, ascending; start holds n + 1,
 * the last set here). g takes start over, and frees it on failure
 * (TS_ENOMEM, g left empty). */
int ts_groups_of_runs(size_t *start, size_t n, size_t nrows, struct ts_groups *g);

/* Write group gi's key as "k1,k2" (or "" without keys) into out for messages. */
void ts_group_label(const struct ts_table *t, const struct ts_roles *roles,
		    const struct ts_groups *g, size_t gi, struct ts_buf *out);

/* The number in field c of row r into *v; a missing token gives NAN. An
 * infinity ("inf", "-Infinity", "1e999") is bad input like text: no tool
 * can fit, fill or judge one, so it is refused at its line rather than
 * carried into sums and fits. Errors (TS_EINPUT, file and line set): "bad
 * number \"X\" in column NAME", "infinite value \"X\" in column NAME". */
int ts_table_number(const struct ts_table *t, size_t r, size_t c, double *v, struct ts_err *err);

/* How to read one series out of the table. */
struct ts_load_opts {
	enum ts_epoch epoch;
	const struct ts_zone *zone;	/* --tz, or NULL: the timestamps' own clock */
	bool skip_bad;			/* skip rows with a bad timestamp or value */
	/* Called for each row skipped under skip_bad (message in err, location set). */
	void (*warn)(void *ctx, const struct ts_err *err);
	void *warn_ctx;
};

/* One series: parsed times and values of a group's rows, in input order. */
struct ts_series {
	size_t n;
	ts_time *t;
	double *y;		/* NAN when missing, or when there is no value column */
	size_t *row;		/* table row of each point */
	struct ts_tfmt tfmt;	/* how the first timestamp was written */
	struct ts_zone zone;	/* wall clock: --tz, else the one tfmt implies */
	size_t skipped;		/* rows skipped under skip_bad */
};

/* Parse the time and value columns of the rows of one group. Naive timestamps
 * are read in opts->zone when it is a named zone. Errors (TS_EINPUT, file and
 * line set): "bad timestamp ...", and ts_table_number's for the value; with
 * skip_bad those rows are skipped, counted and passed to opts->warn instead.
 * On error s holds nothing (it is freed). */
int ts_series_load(const struct ts_table *t, const struct ts_roles *roles,
		   const size_t *rows, size_t nrows, const struct ts_load_opts *opts,
		   struct ts_series *s, struct ts_err *err);
void ts_series_free(struct ts_series *s);

/* Put back into s, as missing values in input order, the rows of rows[0..nrows)
 * (those s was loaded from) that skip_bad left out for a bad value but whose
 * time reads (opts->epoch, opts->zone): the series stays on its grid. Rows
 * whose time does not read stay out. Returns 0 or TS_ENOMEM (s unchanged). */
int ts_series_restore_skipped(const struct ts_table *t, const struct ts_roles *roles,
			      const size_t *rows, size_t nrows, const struct ts_load_opts *opts,
			      struct ts_series *s, struct ts_err *err);

/* The earliest and latest instant of column col (read as ts_series_load
 * reads times, each row on its own) over every row of t; rows whose time
 * does not parse or resolve are left out. Returns how many rows counted
 * (0: *first and *last untouched). */
size_t ts_table_time_range(const struct ts_table *t, size_t col, const struct ts_load_opts *opts,
			   ts_time *first, ts_time *last);

/* The output header: the input's columns, then each added name that is not
 * already a column; an added name equal to an input column replaces that
 * column in place, so running a stage twice gives the same columns. */
struct ts_outcols {
	size_t ncols_in;
	size_t nadded;
	size_t *added_at;	/* output position of each added column */
	size_t ncols_out;
	bool *replaced;		/* per input column: an added column takes its place */
	bool *numeric;		/* per added column: its values are ts_num_format's */
	bool numbers_plain;	/* no byte of a formatted number is the delimiter */
};

int ts_outcols_init(struct ts_outcols *o, const struct ts_table *t,
		    const char *const *added, size_t nadded, struct ts_err *err);
void ts_outcols_free(struct ts_outcols *o);
/* Added column a holds only numbers from ts_num_format (or nothing): they
 * are written without looking for bytes to quote, unless the delimiter is
 * one a number can contain. */
void ts_outcols_set_numeric(struct ts_outcols *o, size_t a);

/* Write the output header line. */
void ts_write_header(const struct ts_outcols *o, const struct ts_table *t,
		     const char *const *added, struct ts_buf *out);

/* Write one output row. Input column c is written from cols[c] when cols is not
 * NULL and cols[c].s is not NULL, else from table row `row` (empty when row is
 * TS_NO_COL, for rows a tool creates). added[i] is the text of added column i. */
void ts_write_row(const struct ts_outcols *o, const struct ts_table *t, size_t row,
		  const struct ts_str *cols, const struct ts_str *added, struct ts_buf *out);

/* ts_write_row of input row `row` with added column i the ts_num_format text
 * of v[i] (empty for i >= nv), formatted straight into out, for the common
 * case only: returns false, writing nothing, when a column is replaced, a
 * number could hold the delimiter, or a field of the row may need quoting
 * (the caller then uses ts_write_row). */
bool ts_write_row_numbers(const struct ts_outcols *o, const struct ts_table *t, size_t row,
			  const double *v, size_t nv, struct ts_buf *out);

#endif
