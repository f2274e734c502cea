/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_frame: a table read from any bytes is grouped by its first column(s)
 * so that every row is in exactly one group, in input order, with the same
 * key as the rest of its group and a key no other group has; every row
 * written back with added columns reads back as the same fields. The first
 * byte picks the number of key columns and the delimiter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/frame.h"
#include "core/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_field(struct ts_str a, struct ts_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

static bool same_key(const struct ts_table *t, const struct ts_roles *roles, size_t a, size_t b)
{
	for (size_t k = 0; k < roles->nkeys; k++)
		if (!same_field(ts_table_field(t, a, roles->keys[k]), ts_table_field(t, b, roles->keys[k])))
			return false;
	return true;
}

static void check_groups(const struct ts_table *t, const struct ts_roles *roles)
{
	struct ts_groups g;
	struct ts_err err = { 0 };
	unsigned char *seen;

	if (ts_groups_build(t, roles, &g, &err) != 0)
		abort();
	seen = ts_calloc(t->nrows + 1, 1);
	if (seen == NULL || g.start[0] != 0 || g.start[g.n] != t->nrows)
		abort();
	for (size_t gi = 0; gi < g.n; gi++) {
		if (g.start[gi + 1] <= g.start[gi])
			abort();	/* no empty group */
		for (size_t i = g.start[gi]; i < g.start[gi + 1]; i++) {
			size_t r = g.rows[i];
			if (r >= t->nrows || seen[r] || (i > g.start[gi] && r <= g.rows[i - 1]) ||
			    !same_key(t, roles, r, g.rows[g.start[gi]]))
				abort();
			seen[r] = 1;
		}
		/* Groups come in order of first appearance, each key once. */
		if (gi > 0 && g.rows[g.start[gi]] <= g.rows[g.start[gi - 1]])
			abort();
		for (size_t gj = 0; gj < gi && g.n <= 200; gj++)
			if (same_key(t, roles, g.rows[g.start[gi]], g.rows[g.start[gj]]))
				abort();
	}
	free(seen);
	ts_groups_free(&g);
}

struct reread {
	const struct ts_table *t;
	const struct ts_outcols *o;
	const struct ts_str *added;
	size_t row;	/* the next input row the record must equal */
};

static int on_record(const struct ts_csv_record *rec, void *vctx, struct ts_err *err)
{
	struct reread *rr = vctx;

	(void)err;
	if (rr->row >= rr->t->nrows || rec->nfields != rr->o->ncols_out)
		abort();
	for (size_t c = 0; c < rec->nfields; c++) {
		/* An added column named as an input one takes its place. */
		struct ts_str want = { "", 0 };
		if (c < rr->t->ncols && !rr->o->replaced[c])
			want = ts_table_field(rr->t, rr->row, c);
		for (size_t a = 0; a < rr->o->nadded; a++)
			if (rr->o->added_at[a] == c)
				want = rr->added[a];
		struct ts_str got = { rec->fields[c], rec->lens[c] };
		if (!same_field(want, got))
			abort();
	}
	rr->row++;
	return 0;
}

static void check_rewrite(const struct ts_table *t)
{
	static const char *const names[] = { "fuzz_score", "fuzz_reason" };
	struct ts_str added[2] = { { "-1.25e-07", 9 }, { "say \"hi\", twice", 15 } };
	struct ts_outcols o;
	struct ts_buf out = { 0 };
	struct ts_err err = { 0 };
	struct ts_csv_reader *reader;
	struct reread rr = { t, &o, added, 0 };
	int rc;

	/* A single empty field reads back as a blank line, which is skipped. */
	if (t->ncols == 0 || t->nrows == 0)
		return;
	if (ts_outcols_init(&o, t, names, 2, &err) != 0)
		abort();
	ts_outcols_set_numeric(&o, 0);
	/* Rows only, after a byte order mark, so that a first field that itself
	 * begins with one is not taken for it on the way back. */
	ts_buf_put(&out, "\xef\xbb\xbf", 3);
	for (size_t r = 0; r < t->nrows; r++)
		ts_write_row(&o, t, r, NULL, added, &out);
	if (out.failed)
		abort();
	reader = ts_csv_reader_new(t->delim);
	if (reader == NULL)
		abort();
	rc = ts_csv_feed(reader, out.data, out.len, on_record, &rr, &err);
	if (rc == 0)
		rc = ts_csv_finish(reader, on_record, &rr, &err);
	if (rc != 0 || rr.row != t->nrows)
		abort();
	ts_csv_reader_free(reader);
	ts_buf_free(&out);
	ts_outcols_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ',', '\t', ';' };
	struct ts_table t = { 0 };
	struct ts_err err = { 0 };
	struct ts_roles roles = { 0 };
	FILE *f;

	if (size < 2)
		return 0;
	f = fmemopen((void *)(data + 1), size - 1, "r");
	if (f == NULL)
		return 0;
	if (ts_table_read(&t, f, "fuzz", delims[data[0] >> 6], &err) == 0 && t.ncols > 0) {
		roles.nkeys = 1 + (size_t)(data[0] & 1);
		if (roles.nkeys > t.ncols)
			roles.nkeys = t.ncols;
		for (size_t k = 0; k < roles.nkeys; k++)
			roles.keys[k] = k;
		roles.time = t.ncols - 1;
		roles.value = TS_NO_COL;
		check_groups(&t, &roles);
		check_rewrite(&t);
	}
	fclose(f);
	ts_table_free(&t);
	return 0;
}
