/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_frame: tables from CSV text, column roles, key groups, series loading
 * and writing rows with added or replaced columns; the table reader and the
 * key table under injected allocation failures. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "failalloc.h"

#include "core/mem.h"
#include "core/num.h"
#include "io/frame.h"

static int read_text(struct ts_table *t, const char *text, const char *name, struct ts_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	rc = ts_table_read(t, f, name, 0, err);
	fclose(f);
	return rc;
}

static void test_read_rows_and_fields(void **state)
{
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };
	struct ts_str f;

	(void)state;
	assert_int_equal(read_text(&t, "ds,y,note\n2018-01-01,1,\"a,b\"\n\n2018-01-02,,x\n", "<stdin>", &err), 0);
	assert_int_equal(t.ncols, 3);
	assert_string_equal(t.names[2], "note");
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.delim, ',');
	assert_int_equal(t.blank_lines, 1);
	f = ts_table_field(&t, 0, 2);
	assert_int_equal(f.len, 3);
	assert_memory_equal(f.s, "a,b", 3);
	f = ts_table_field(&t, 1, 1);
	assert_int_equal(f.len, 0);
	assert_int_equal(t.line[1], 4);
	assert_string_equal(ts_table_file(&t, 1), "<stdin>");
	ts_table_free(&t);
}

static void test_read_errors(void **state)
{
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(&t, "", "in.csv", &err), TS_EINPUT);
	assert_string_equal(err.msg, "no input: did the previous command fail?");
	assert_string_equal(err.file, "in.csv");
	ts_table_free(&t);

	memset(&err, 0, sizeof err);
	assert_int_equal(read_text(&t, "a,b\n1,2\n3\n", "in.csv", &err), TS_EINPUT);
	assert_string_equal(err.msg, "expected 2 fields, found 1");
	assert_int_equal(err.line, 3);
	ts_table_free(&t);

	memset(&err, 0, sizeof err);
	assert_int_equal(read_text(&t, "a,b\n1,2\n", "one.csv", &err), 0);
	assert_int_equal(read_text(&t, "a,c\n1,2\n", "two.csv", &err), TS_EINPUT);
	assert_string_equal(err.msg, "header differs from the first input's");
	assert_string_equal(err.file, "two.csv");
	assert_int_equal(err.line, 1);
	ts_table_free(&t);
}

static void test_two_inputs_append(void **state)
{
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(&t, "a\tb\n1\t2\n", "one.tsv", &err), 0);
	assert_int_equal(read_text(&t, "a\tb\n3\t4\n5\t6\n", "two.tsv", &err), 0);
	assert_int_equal(t.delim, '\t');
	assert_int_equal(t.nrows, 3);
	assert_string_equal(ts_table_file(&t, 2), "two.tsv");
	assert_int_equal(t.line[2], 3);
	ts_table_free(&t);
}

/* A batch cut off one input (ts_table_like, rows added by the reader) and
 * appended to the first: the rows, lines and inputs of one whole read. */
static void test_like_reserve_append(void **state)
{
	struct ts_table first = { 0 }, later, whole = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(&first, "k,y\na,1\na,2\n", "one.csv", &err), 0);
	assert_int_equal(ts_table_like(&later, &first), 0);
	assert_int_equal(later.ncols, 2);
	assert_int_equal(later.nrows, 0);
	assert_string_equal(later.names[1], "y");
	assert_string_equal(later.files[0], "one.csv");
	assert_int_equal(ts_table_reserve(&later, 100, 1000), 0);
	assert_true(later.arena_cap >= 1000 && later.rows_cap >= 100 && later.off_cap >= 201);
	assert_int_equal(read_text(&later, "k,y\nb,3\n\"c,d\",4\n", "two.csv", &err), 0);
	assert_int_equal(ts_table_append(&first, &later), 0);
	assert_int_equal(read_text(&whole, "k,y\na,1\na,2\n", "one.csv", &err), 0);
	assert_int_equal(read_text(&whole, "k,y\nb,3\n\"c,d\",4\n", "two.csv", &err), 0);
	assert_int_equal(first.nrows, whole.nrows);
	assert_int_equal(first.nfiles, 2);
	for (size_t r = 0; r < whole.nrows; r++) {
		assert_int_equal(first.line[r], whole.line[r]);
		assert_string_equal(ts_table_file(&first, r), ts_table_file(&whole, r));
		for (size_t c = 0; c < whole.ncols; c++)
			assert_string_equal(ts_table_field(&first, r, c).s, ts_table_field(&whole, r, c).s);
	}
	assert_string_equal(ts_table_field(&first, 3, 0).s, "c,d");
	ts_table_free(&first);
	ts_table_free(&later);
	ts_table_free(&whole);
}

/* CSV text of n rows whose value field is long for rows in [long_from,
 * long_to) and short elsewhere, after a header: rows of very different
 * lengths make the room a file's first rows promise too little or too much. */
static void rows_text(struct ts_buf *b, int n, int long_from, int long_to)
{
	char line[128];

	ts_buf_puts(b, "ds,y,note\n");
	for (int i = 0; i < n; i++) {
		bool wide = i >= long_from && i < long_to;
		snprintf(line, sizeof line, "2018-01-01 00:%02d:%02d,%d,%s\n", i / 60 % 60, i % 60, i,
			 wide ? "\"a much longer note, quoted, to make this row wide\"" : "");
		ts_buf_puts(b, line);
	}
}

/* The same text read from a regular file (whose size reserves room once
 * its first rows are in) and from memory (which grows as it goes). */
static void check_file_read(const struct ts_buf *text, bool twice)
{
	struct ts_table from_file = { 0 }, from_memory = { 0 };
	struct ts_err err = { 0 };
	FILE *f;

	for (int pass = 0; pass < (twice ? 2 : 1); pass++) {
		f = tmpfile();
		assert_non_null(f);
		assert_int_equal(fwrite(text->data, 1, text->len, f), text->len);
		rewind(f);
		assert_int_equal(ts_table_read(&from_file, f, "file.csv", 0, &err), 0);
		fclose(f);
		f = fmemopen(text->data, text->len, "r");
		assert_non_null(f);
		assert_int_equal(ts_table_read(&from_memory, f, "file.csv", 0, &err), 0);
		fclose(f);
	}
	assert_int_equal(from_file.nrows, from_memory.nrows);
	assert_int_equal(from_file.arena_len, from_memory.arena_len);
	for (size_t r = 0; r < from_memory.nrows; r++) {
		assert_int_equal(from_file.line[r], from_memory.line[r]);
		assert_int_equal(from_file.src[r], from_memory.src[r]);
		for (size_t c = 0; c < from_memory.ncols; c++) {
			struct ts_str a = ts_table_field(&from_file, r, c), b = ts_table_field(&from_memory, r, c);
			assert_int_equal(a.len, b.len);
			assert_memory_equal(a.s, b.s, a.len + 1);
		}
	}
	ts_table_free(&from_file);
	ts_table_free(&from_memory);
}

static void test_read_regular_file(void **state)
{
	struct ts_buf text = { 0 };

	(void)state;
	rows_text(&text, 5000, 0, 0);		/* as promised */
	check_file_read(&text, false);
	check_file_read(&text, true);		/* a second input after the first */
	ts_buf_free(&text);
	rows_text(&text, 5000, 1024, 5000);	/* more than promised */
	check_file_read(&text, false);
	ts_buf_free(&text);
	rows_text(&text, 5000, 0, 1024);	/* less than promised */
	check_file_read(&text, true);
	ts_buf_free(&text);
	rows_text(&text, 1023, 0, 0);		/* too few rows to promise anything */
	check_file_read(&text, false);
	ts_buf_free(&text);
}

/* Arrays for long inputs: aligned to 2 MiB from 1 MiB up, writable through
 * their whole length, freed by free(); an overflowing size is refused. */
static void test_rows_alloc(void **state)
{
	const size_t counts[] = { 0, 1, 1000, (size_t)1 << 17, 300001 };

	(void)state;
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		size_t *a = ts_rows_alloc(counts[i], sizeof *a);

		assert_non_null(a);
		if (counts[i] * sizeof *a >= (size_t)1 << 20)
			assert_int_equal((uintptr_t)a % ((uintptr_t)2 << 20), 0);
		for (size_t k = 0; k < counts[i]; k++)
			a[k] = k;
		if (counts[i] > 0)
			assert_int_equal(a[counts[i] - 1], counts[i] - 1);
		free(a);
	}
	assert_null(ts_rows_alloc(SIZE_MAX / 4, 8));
}

static void test_roles_defaults_and_specs(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(&t, "host,Timestamp,label,cpu,mem\na,2018-01-01,x,1,2\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, NULL, &r, &err), 0);
	assert_int_equal(r.time, 1);
	assert_int_equal(r.value, 3);	/* first numeric column that is not time or key */
	assert_int_equal(r.nkeys, 0);
	assert_int_equal(ts_roles_resolve(&t, "1", "mem", "host,label", &r, &err), 0);
	assert_int_equal(r.time, 0);
	assert_int_equal(r.value, 4);
	assert_int_equal(r.nkeys, 2);
	assert_int_equal(r.keys[1], 2);
	assert_int_equal(ts_roles_resolve(&t, "nope", NULL, NULL, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "-t: no column \"nope\" (columns: host, Timestamp, label, cpu, mem)");
	assert_int_equal(ts_roles_resolve(&t, NULL, "6", NULL, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "-y: no column \"6\" (columns: host, Timestamp, label, cpu, mem)");
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, "host,x", &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "-k: no column \"x\" (columns: host, Timestamp, label, cpu, mem)");
	assert_int_equal(ts_roles_resolve(&t, "cpu", "4", NULL, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "column \"cpu\" is both the time and the value column");
	ts_table_free(&t);

	assert_int_equal(read_text(&t, "ds,host\n2018-01-01,a\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, NULL, &r, &err), 0);
	assert_int_equal(r.value, TS_NO_COL);	/* raw events */
	ts_table_free(&t);

	/* A header without rows cannot show which column is numeric: the first is taken. */
	assert_int_equal(read_text(&t, "@timestamp,service,errors\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, "service", &r, &err), 0);
	assert_int_equal(r.value, 2);
	ts_table_free(&t);

	/* y is the value even before other numeric columns; a key named y is not. */
	assert_int_equal(read_text(&t, "ds,n,y\n2018-01-01,1,2\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, NULL, &r, &err), 0);
	assert_int_equal(r.value, 2);
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, "y", &r, &err), 0);
	assert_int_equal(r.value, 1);
	ts_table_free(&t);
}

static void test_column_list_and_errors(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_err err = { 0 };
	char buf[32];

	(void)state;
	assert_int_equal(read_text(&t, "ds,host,a\x01" "b\n2018-01-01,x,z\n", "-", &err), 0);
	assert_int_equal(ts_table_column_list(&t, buf, sizeof buf), 16);
	assert_string_equal(buf, "ds, host, a\\x01b");
	assert_int_equal(ts_table_column_list(&t, buf, 14), 13);
	assert_string_equal(buf, "ds, host, ...");
	assert_int_equal(ts_table_column_list(&t, buf, 5), 3);
	assert_string_equal(buf, "...");
	assert_int_equal(ts_table_no_column(&t, "--regressor", "temp", &err), TS_EDATA);
	assert_string_equal(err.msg, "--regressor: no column \"temp\" (columns: ds, host, a\\x01b)");
	assert_int_equal(ts_roles_resolve(&t, NULL, NULL, NULL, &r, &err), 0);
	assert_int_equal(ts_roles_need_value(&t, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "no value column: give -y (columns: ds, host, a\\x01b)");
	assert_int_equal(ts_roles_resolve(&t, NULL, "3", NULL, &r, &err), 0);
	assert_int_equal(ts_roles_need_value(&t, &r, &err), 0);
	ts_table_free(&t);
}

static void test_groups_first_seen_order(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_groups g;
	struct ts_err err = { 0 };
	struct ts_buf label = { 0 };

	(void)state;
	assert_int_equal(read_text(&t, "k,j,ds,y\nb,1,d1,1\na,1,d1,2\nb,1,d2,3\nb,2,d3,4\na,1,d2,5\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, "ds", "y", "k,j", &r, &err), 0);
	assert_int_equal(ts_groups_build(&t, &r, &g, &err), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.start[1] - g.start[0], 2);	/* b,1: rows 0 and 2 */
	assert_int_equal(g.rows[g.start[0] + 1], 2);
	assert_int_equal(g.rows[g.start[1]], 1);	/* a,1 */
	assert_int_equal(g.rows[g.start[2]], 3);	/* b,2 */
	ts_group_label(&t, &r, &g, 2, &label);
	assert_int_equal(label.len, 3);
	assert_memory_equal(label.data, "b,2", 3);
	ts_buf_free(&label);
	ts_groups_free(&g);

	assert_int_equal(ts_roles_resolve(&t, "ds", "y", NULL, &r, &err), 0);
	assert_int_equal(ts_groups_build(&t, &r, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.start[1], 5);
	ts_groups_free(&g);
	ts_table_free(&t);
}

/* 3000 series interleaved row by row, as exporters write long format: the
 * key table grows past its first size several times. Keys "x1","23" and
 * "x12","3" join to the same text and must stay apart. */
static void test_groups_many_interleaved(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_groups g;
	struct ts_err err = { 0 };
	struct ts_buf text = { 0 };
	const size_t nkeys = 3000, per_key = 3;
	char line[64];

	(void)state;
	ts_buf_puts(&text, "a,b,ds,y\n");
	for (size_t j = 0; j < per_key; j++)
		for (size_t k = 0; k < nkeys; k++) {
			snprintf(line, sizeof line, "%zu,%zu,d%zu,%zu\n", k / 7, k % 7, j, k);
			ts_buf_puts(&text, line);
		}
	ts_buf_puts(&text, "x1,23,d0,0\nx12,3,d0,0\n");
	ts_buf_putc(&text, '\0');
	assert_int_equal(read_text(&t, text.data, "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, "ds", "y", "a,b", &r, &err), 0);
	assert_int_equal(ts_groups_build(&t, &r, &g, &err), 0);
	assert_int_equal(g.n, nkeys + 2);
	for (size_t k = 0; k < nkeys; k++) {
		assert_int_equal(g.start[k + 1] - g.start[k], per_key);
		for (size_t j = 0; j < per_key; j++)
			assert_int_equal(g.rows[g.start[k] + j], j * nkeys + k);
	}
	assert_int_equal(g.rows[g.start[nkeys]], per_key * nkeys);
	assert_int_equal(g.rows[g.start[nkeys + 1]], per_key * nkeys + 1);
	ts_groups_free(&g);
	ts_buf_free(&text);
	ts_table_free(&t);
}

/* Rows sorted by key, as --grouped reads them: each row with its previous
 * row's key joins that group. Keys "x1","23" and "x12","3" (the same text
 * joined) follow one another and stay apart; a key that comes back after
 * the runs still joins its first group. */
static void test_groups_sorted_runs(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_groups g;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(&t, "k,j,ds,y\nx1,23,d1,1\nx1,23,d2,2\nx12,3,d1,3\nx12,3,d2,4\n"
				       "x12,4,d1,5\n", "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, "ds", "y", "k,j", &r, &err), 0);
	assert_int_equal(ts_groups_build(&t, &r, &g, &err), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.start[0], 0);
	assert_int_equal(g.start[1], 2);
	assert_int_equal(g.start[2], 4);
	assert_int_equal(g.start[3], 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(g.rows[i], i);
	ts_groups_free(&g);
	ts_table_free(&t);

	assert_int_equal(read_text(&t, "k,ds,y\na,d1,1\na,d2,2\nb,d1,3\nb,d2,4\na,d3,5\na,d4,6\nc,d1,7\n",
				   "-", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, "ds", "y", "k", &r, &err), 0);
	assert_int_equal(ts_groups_build(&t, &r, &g, &err), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.start[1], 4);	/* a: rows 0, 1, 4, 5 */
	assert_int_equal(g.rows[2], 4);
	assert_int_equal(g.rows[3], 5);
	assert_int_equal(g.start[2], 6);	/* b: rows 2, 3 */
	assert_int_equal(g.rows[4], 2);
	assert_int_equal(g.rows[5], 3);
	assert_int_equal(g.rows[6], 6);	/* c */
	ts_groups_free(&g);
	ts_table_free(&t);
}

/* Fault sweeps: two inputs read into one table, then grouped by key. */
struct sweep {
	struct ts_buf text[2];
	struct ts_table t;	/* read once, for the grouping sweep */
	struct ts_roles roles;
	struct ts_err err;
};

static int sweep_read(void *ctx)
{
	struct sweep *sw = ctx;
	struct ts_table t = { 0 };
	int rc;

	memset(&sw->err, 0, sizeof sw->err);
	rc = read_text(&t, sw->text[0].data, "one.csv", &sw->err);
	if (rc == 0)
		rc = read_text(&t, sw->text[1].data, "two.csv", &sw->err);
	if (rc == 0) {
		assert_int_equal(t.nrows, 2 * 500);
		assert_int_equal(t.nfiles, 2);
		assert_string_equal(ts_table_field(&t, 999, 3).s, "499");
	}
	ts_table_free(&t);
	return rc;
}

static int sweep_groups(void *ctx)
{
	struct sweep *sw = ctx;
	struct ts_groups g;
	int rc;

	memset(&sw->err, 0, sizeof sw->err);
	rc = ts_groups_build(&sw->t, &sw->roles, &g, &sw->err);
	if (rc == 0) {
		assert_int_equal(g.n, 2 * 500 / 2);
		ts_groups_free(&g);
	} else {
		assert_null(g.start);	/* freed on failure */
		assert_null(g.rows);
	}
	return rc;
}

static void sweep_check(void *ctx, int rc)
{
	struct sweep *sw = ctx;

	assert_int_equal(rc, TS_ENOMEM);
	assert_string_equal(sw->err.msg, "out of memory");
}

/* The reader and the key table claim to handle allocation failure: with
 * each of their allocations failing in turn they say "out of memory",
 * leave nothing behind once freed, and never crash. */
static void test_alloc_failures(void **state)
{
	struct sweep sw = { 0 };
	char line[96];
	size_t nread, ngroup;

	(void)state;
	for (int f = 0; f < 2; f++) {
		ts_buf_puts(&sw.text[f], "host,ds,note,y\n");
		for (int i = 0; i < 500; i++) {
			snprintf(line, sizeof line, "h%d,2018-01-%02d,%s,%d\n", (f * 500 + i) / 2,
				 1 + i % 28, i % 50 == 0 ? "a somewhat longer field to grow the arena" : "", i);
			ts_buf_puts(&sw.text[f], line);
		}
		ts_buf_putc(&sw.text[f], '\0');
	}
	nread = fa_sweep(sweep_read, sweep_check, &sw);
	assert_true(nread > 10);
	assert_int_equal(read_text(&sw.t, sw.text[0].data, "one.csv", &sw.err), 0);
	assert_int_equal(read_text(&sw.t, sw.text[1].data, "two.csv", &sw.err), 0);
	assert_int_equal(ts_roles_resolve(&sw.t, "ds", "y", "host", &sw.roles, &sw.err), 0);
	ngroup = fa_sweep(sweep_groups, sweep_check, &sw);
	assert_true(ngroup > 5);
	print_message("    allocations: table reader %zu, key table %zu, each failed in turn\n", nread,
		      ngroup);
	ts_table_free(&sw.t);
	ts_buf_free(&sw.text[0]);
	ts_buf_free(&sw.text[1]);
}

struct warnings {
	int count;
	char last[sizeof ((struct ts_err *)0)->msg];
	size_t last_line;
};

static void collect_warning(void *ctx, const struct ts_err *err)
{
	struct warnings *w = ctx;

	w->count++;
	snprintf(w->last, sizeof w->last, "%s", err->msg);
	w->last_line = err->line;
}

static void test_series_load(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_series s;
	struct ts_err err = { 0 };
	struct warnings w = { 0 };
	struct ts_load_opts opts = { .warn = collect_warning, .warn_ctx = &w };
	const size_t rows[] = { 0, 1, 2, 3 };

	(void)state;
	assert_int_equal(read_text(&t, "ds,y\n2018-01-01T00:00:00Z,1.5\n2018-01-01T01:00:00Z,NA\n"
				   "2018-01-01T02:00:00Z,abc\nlater,4\n", "in.csv", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, "y", NULL, &r, &err), 0);
	assert_int_equal(ts_series_load(&t, &r, rows, 4, &opts, &s, &err), TS_EINPUT);
	assert_string_equal(err.msg, "bad number \"abc\" in column y");
	assert_int_equal(err.line, 4);
	assert_string_equal(err.file, "in.csv");
	ts_series_free(&s);

	opts.skip_bad = true;
	memset(&err, 0, sizeof err);
	assert_int_equal(ts_series_load(&t, &r, rows, 4, &opts, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.skipped, 2);
	assert_int_equal(w.count, 2);
	assert_int_equal(w.last_line, 5);
	assert_int_equal(s.t[1] - s.t[0], 3600 * TS_US_PER_S);
	assert_near(s.y[0], 1.5, 0);
	assert_true(isnan(s.y[1]));
	assert_int_equal(s.tfmt.tz, TS_TZK_Z);
	assert_int_equal(s.zone.kind, TS_ZONE_UTC);
	ts_series_free(&s);
	ts_table_free(&t);
}

/* One rule for infinities in every number a tool reads: bad input at its
 * line, like text, skipped and counted under skip_bad. */
static void test_table_number_infinite(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_series s;
	struct ts_err err = { 0 };
	struct warnings w = { 0 };
	struct ts_load_opts opts = { .warn = collect_warning, .warn_ctx = &w };
	const size_t rows[] = { 0, 1, 2, 3, 4 };
	double v;

	(void)state;
	assert_int_equal(read_text(&t, "ds,y\n2018-01-01,1e308\n2018-01-02,-inf\n2018-01-03,1e999\n"
				   "2018-01-04,Infinity\n2018-01-05,\n", "in.csv", &err), 0);
	assert_int_equal(ts_table_number(&t, 0, 1, &v, &err), 0);
	assert_true(v == 1e308);
	assert_int_equal(ts_table_number(&t, 4, 1, &v, &err), 0);
	assert_true(isnan(v));
	assert_int_equal(ts_table_number(&t, 2, 1, &v, &err), TS_EINPUT);
	assert_true(isnan(v));
	assert_string_equal(err.msg, "infinite value \"1e999\" in column y");
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, 4);
	assert_int_equal(ts_roles_resolve(&t, NULL, "y", NULL, &r, &err), 0);
	assert_int_equal(ts_series_load(&t, &r, rows, 5, &opts, &s, &err), TS_EINPUT);
	assert_string_equal(err.msg, "infinite value \"-inf\" in column y");
	assert_int_equal(err.line, 3);
	opts.skip_bad = true;
	assert_int_equal(ts_series_load(&t, &r, rows, 5, &opts, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.skipped, 3);
	assert_int_equal(w.count, 3);
	assert_string_equal(w.last, "infinite value \"Infinity\" in column y");
	ts_series_free(&s);
	ts_table_free(&t);
}

/* Rows skip_bad left out for their value come back as missing values at
 * their time (the grid stays whole); a row whose time is bad stays out. */
static void test_restore_skipped(void **state)
{
	struct ts_table t = { 0 };
	struct ts_roles r;
	struct ts_series s;
	struct ts_err err = { 0 };
	struct warnings w = { 0 };
	struct ts_load_opts opts = { .skip_bad = true, .warn = collect_warning, .warn_ctx = &w };
	const size_t rows[] = { 0, 1, 2, 3, 4 };

	(void)state;
	assert_int_equal(read_text(&t, "ds,y\n2018-01-01,1\n2018-01-02,abc\nnope,3\n2018-01-04,inf\n"
				   "2018-01-05,5\n", "in.csv", &err), 0);
	assert_int_equal(ts_roles_resolve(&t, NULL, "y", NULL, &r, &err), 0);
	assert_int_equal(ts_series_load(&t, &r, rows, 5, &opts, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.skipped, 3);
	assert_int_equal(ts_series_restore_skipped(&t, &r, rows, 5, &opts, &s, &err), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.row[0], 0);
	assert_int_equal(s.row[1], 1);
	assert_int_equal(s.row[2], 3);
	assert_int_equal(s.row[3], 4);
	assert_true(s.y[0] == 1 && isnan(s.y[1]) && isnan(s.y[2]) && s.y[3] == 5);
	assert_true(s.t[1] - s.t[0] == TS_US_PER_DAY && s.t[2] - s.t[1] == 2 * TS_US_PER_DAY);
	assert_int_equal(s.skipped, 3);
	ts_series_free(&s);
	ts_table_free(&t);
}

/* --skip-bad over the reader: ragged rows and a last row cut off inside
 * quotes are warnings, counted; without it they stop the read. */
static void test_read_skip(void **state)
{
	static const char ragged[] = "ds,y\n2018-01-01,1\n2018-01-02\n2018-01-03,3\n2018-01-04,4,x";
	static const char open[] = "ds,y\n2018-01-01,1\n2018-01-02,\"2";
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };
	struct warnings w = { 0 };
	struct ts_load_opts opts = { .skip_bad = true, .warn = collect_warning, .warn_ctx = &w };
	FILE *f;

	(void)state;
	f = fmemopen((void *)ragged, strlen(ragged), "r");
	assert_int_equal(ts_table_read_skip(&t, f, "in.csv", 0, &opts, &err), 0);
	fclose(f);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.skipped, 2);
	assert_int_equal(w.count, 2);
	assert_string_equal(w.last, "expected 2 fields, found 3");
	assert_int_equal(w.last_line, 5);
	assert_int_equal(err.code, 0);
	ts_table_free(&t);
	f = fmemopen((void *)open, strlen(open), "r");
	assert_int_equal(ts_table_read_skip(&t, f, "in.csv", 0, &opts, &err), 0);
	fclose(f);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.skipped, 1);
	assert_string_equal(w.last, "unterminated quoted field");
	assert_int_equal(w.last_line, 3);
	ts_table_free(&t);
	/* without skip_bad both stop the read at their line */
	assert_int_equal(read_text(&t, ragged, "in.csv", &err), TS_EINPUT);
	assert_string_equal(err.msg, "expected 2 fields, found 1");
	assert_int_equal(err.line, 3);
	ts_table_free(&t);
	opts.skip_bad = false;
	f = fmemopen((void *)open, strlen(open), "r");
	assert_int_equal(ts_table_read_skip(&t, f, "in.csv", 0, &opts, &err), TS_EINPUT);
	fclose(f);
	assert_string_equal(err.msg, "unterminated quoted field");
	ts_table_free(&t);
}

/* The input's first and last instants, bad times left out. */
static void test_time_range(void **state)
{
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };
	struct ts_load_opts opts = { 0 };
	ts_time first = 7, last = 7;

	(void)state;
	assert_int_equal(read_text(&t, "k,ds\na,2018-01-03\nb,2018-01-01\na,soon\nb,2018-01-02T12:00:00Z\n",
				   "in.csv", &err), 0);
	assert_int_equal(ts_table_time_range(&t, 1, &opts, &first, &last), 3);
	assert_int_equal(first, 1514764800 * TS_US_PER_S);
	assert_int_equal(last, (1514764800 + 2 * 86400) * TS_US_PER_S);
	ts_table_free(&t);
	assert_int_equal(read_text(&t, "ds\nsoon\n", "in.csv", &err), 0);
	first = last = 7;
	assert_int_equal(ts_table_time_range(&t, 0, &opts, &first, &last), 0);
	assert_true(first == 7 && last == 7);
	ts_table_free(&t);
}

static void test_outcols_replace_in_place(void **state)
{
	struct ts_table t = { 0 };
	struct ts_outcols o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *added[] = { "trend", "y2" };
	struct ts_str cols[3] = { { NULL, 0 }, { "9", 1 }, { NULL, 0 } };
	struct ts_str values[2] = { { "T", 1 }, { "a\"b", 3 } };

	(void)state;
	assert_int_equal(read_text(&t, "ds,y,trend\n2018-01-01,1,old\n", "-", &err), 0);
	assert_int_equal(ts_outcols_init(&o, &t, added, 2, &err), 0);
	assert_int_equal(o.ncols_out, 4);
	assert_int_equal(o.added_at[0], 2);
	assert_int_equal(o.added_at[1], 3);
	ts_write_header(&o, &t, added, &out);
	ts_write_row(&o, &t, 0, cols, values, &out);
	ts_write_row(&o, &t, TS_NO_COL, NULL, values, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "ds,y,trend,y2\n2018-01-01,9,T,\"a\"\"b\"\n,,T,\"a\"\"b\"\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);
}

/* Fields that need quotes keep them when a row is written whole: the
 * delimiter, a quote, a line break, an edge space; a TSV input is written
 * with tabs, where a comma needs no quotes. */
static void test_write_row_quoting(void **state)
{
	struct ts_table t = { 0 };
	struct ts_outcols o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *added[] = { "score" };
	struct ts_str values[1] = { { "-1.5", 4 } };

	(void)state;
	assert_int_equal(read_text(&t, "k,ds,y\n\"a,b\",\"x\"\"y\",\" 1\"\n\"l1\nl2\",,2\n", "-", &err), 0);
	assert_int_equal(ts_outcols_init(&o, &t, added, 1, &err), 0);
	ts_write_row(&o, &t, 0, NULL, values, &out);
	ts_write_row(&o, &t, 1, NULL, values, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "\"a,b\",\"x\"\"y\",\" 1\",-1.5\n\"l1\nl2\",,2,-1.5\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);

	assert_int_equal(read_text(&t, "k\tds\ty\na,b\t1\t2\n", "-", &err), 0);
	assert_int_equal(ts_outcols_init(&o, &t, added, 1, &err), 0);
	ts_write_row(&o, &t, 0, NULL, values, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "a,b\t1\t2\t-1.5\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);
}

/* CRLF input is written back with CRLF, header and rows alike, and a
 * CRLF inside a quoted field stays as it was. */
static void test_write_keeps_line_ending(void **state)
{
	struct ts_table t = { 0 };
	struct ts_outcols o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *added[] = { "score" };
	struct ts_str values[1] = { { "1", 1 } };

	(void)state;
	assert_int_equal(read_text(&t, "ds,y\r\n2018-01-01,\"a\r\nb\"\r\n", "-", &err), 0);
	assert_string_equal(ts_table_eol(&t), "\r\n");
	assert_int_equal(ts_outcols_init(&o, &t, added, 1, &err), 0);
	ts_write_header(&o, &t, added, &out);
	ts_write_row(&o, &t, 0, NULL, values, &out);
	ts_write_row(&o, &t, TS_NO_COL, NULL, values, &out);
	ts_write_eol(&t, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "ds,y,score\r\n2018-01-01,\"a\r\nb\",1\r\n,,1\r\n\r\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);
	/* a table nobody read (zeroed) writes LF */
	assert_string_equal(ts_table_eol(&t), "\n");
}

/* ts_write_row_numbers writes what ts_write_row writes for the same numbers
 * (formatted by ts_num_format, fewer numbers than columns leaving the rest
 * empty), short rows and rows past sixteen bytes, LF and CRLF, fields with
 * spaces and tabs inside; it declines, writing nothing, a row with a field
 * that needs quoting (a delimiter, a quote, a line end, a space at either
 * end), and a tab delimiter. */
static void check_numbers_row(const struct ts_outcols *o, const struct ts_table *t, size_t row,
			      const double *v, size_t nv, bool want_fast)
{
	struct ts_buf fast = { 0 }, slow = { 0 };
	char text[3][TS_NUM_BUFSIZE];
	struct ts_str values[3];

	for (size_t a = 0; a < 3; a++) {
		values[a].len = a < nv ? ts_num_format(v[a], text[a]) : 0;
		values[a].s = text[a];
	}
	ts_buf_putc(&fast, 'x');	/* what is there stays */
	bool took = ts_write_row_numbers(o, t, row, v, nv, &fast);
	assert_int_equal(took, want_fast);
	if (!took) {
		assert_int_equal(fast.len, 1);
	} else {
		ts_buf_putc(&slow, 'x');
		ts_write_row(o, t, row, NULL, values, &slow);
		assert_int_equal(fast.len, slow.len);
		assert_memory_equal(fast.data, slow.data, slow.len);
	}
	ts_buf_free(&fast);
	ts_buf_free(&slow);
}

static void test_write_row_numbers(void **state)
{
	static const char *const inputs[] = {
		"k,ds,y\nm1,1764547200,270.95\nseries-with-a-long-name,2026-12-03T10:00:00Z,\n"
		"\"q,uoted\",1,2\nspace here,2026-12-03 10:00:00,2\n\" lead\",1,2\n\"trail \",1,2\n"
		"a\tb,1,2\n\"line\nend\",1,2\nx,\"1 \",2\nthe-name-is-longer-than-sixteen,1,\" 2\"\n",
		"k,ds,y\r\nm1,1764547200,270.95\r\nseries-with-a-long-name-too,2026-12-03T10:00:00,1e5\r\n",
	};
	const char *added[] = { "yhat", "yhat_lower", "yhat_upper" };
	const double v[3] = { 268.8040954375268, -0.0, 1e-300 };
	struct ts_table t = { 0 };
	struct ts_outcols o;
	struct ts_err err = { 0 };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(read_text(&t, inputs[k], "-", &err), 0);
		assert_int_equal(ts_outcols_init(&o, &t, added, 3, &err), 0);
		for (size_t nv = 0; nv <= 3; nv++) {
			check_numbers_row(&o, &t, 0, v, nv, true);
			check_numbers_row(&o, &t, 1, v, nv, true);
		}
		if (k == 0) {
			check_numbers_row(&o, &t, 2, v, 3, false);	/* a quoted field */
			check_numbers_row(&o, &t, 3, v, 3, true);	/* spaces inside */
			check_numbers_row(&o, &t, 4, v, 3, false);	/* a leading space */
			check_numbers_row(&o, &t, 5, v, 3, false);	/* a trailing space */
			check_numbers_row(&o, &t, 6, v, 3, true);	/* a tab inside */
			check_numbers_row(&o, &t, 7, v, 3, false);	/* a line end */
			check_numbers_row(&o, &t, 8, v, 3, false);	/* a space at the end of ds */
			check_numbers_row(&o, &t, 9, v, 3, false);	/* of the last field, long row */
		}
		ts_outcols_free(&o);
		ts_table_free(&t);
	}
	/* a tab delimiter: the general path */
	assert_int_equal(read_text(&t, "ds\ty\n1\t2\n", "-", &err), 0);
	assert_int_equal(ts_outcols_init(&o, &t, added, 3, &err), 0);
	check_numbers_row(&o, &t, 0, v, 3, false);
	ts_outcols_free(&o);
	ts_table_free(&t);
}

/* Numeric added columns skip the quoting scan, except where the delimiter
 * is a byte of a number. */
static void test_write_row_numeric(void **state)
{
	struct ts_table t = { 0 };
	struct ts_outcols o;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	const char *added[] = { "score", "note" };
	struct ts_str values[2] = { { "-1.5", 4 }, { "a-b", 3 } };
	FILE *f;
	const char *text = "ds-y\n1-2\n";

	(void)state;
	assert_int_equal(read_text(&t, "ds,y\n1,2\n", "-", &err), 0);
	assert_int_equal(ts_outcols_init(&o, &t, added, 2, &err), 0);
	ts_outcols_set_numeric(&o, 0);
	ts_outcols_set_numeric(&o, 7);	/* out of range: ignored */
	ts_write_row(&o, &t, 0, NULL, values, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "1,2,-1.5,a-b\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);

	f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	assert_int_equal(ts_table_read(&t, f, "-", '-', &err), 0);
	fclose(f);
	assert_int_equal(ts_outcols_init(&o, &t, added, 2, &err), 0);
	ts_outcols_set_numeric(&o, 0);
	ts_write_row(&o, &t, 0, NULL, values, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "1-2-\"-1.5\"-\"a-b\"\n");
	ts_buf_free(&out);
	ts_outcols_free(&o);
	ts_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_rows_and_fields),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_two_inputs_append),
		cmocka_unit_test(test_like_reserve_append),
		cmocka_unit_test(test_read_regular_file),
		cmocka_unit_test(test_rows_alloc),
		cmocka_unit_test(test_roles_defaults_and_specs),
		cmocka_unit_test(test_column_list_and_errors),
		cmocka_unit_test(test_groups_first_seen_order),
		cmocka_unit_test(test_groups_many_interleaved),
		cmocka_unit_test(test_groups_sorted_runs),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_series_load),
		cmocka_unit_test(test_table_number_infinite),
		cmocka_unit_test(test_time_range),
		cmocka_unit_test(test_read_skip),
		cmocka_unit_test(test_restore_skipped),
		cmocka_unit_test(test_outcols_replace_in_place),
		cmocka_unit_test(test_write_keeps_line_ending),
		cmocka_unit_test(test_write_row_quoting),
		cmocka_unit_test(test_write_row_numeric),
		cmocka_unit_test(test_write_row_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
