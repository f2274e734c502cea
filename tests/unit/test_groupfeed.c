/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_groupfeed: the cutter hands over whole series in input order, at
 * least 100 rows first, refuses a key that comes back at its line, and
 * keeps skipped rows' warnings with the batch they fall in. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "io/groupfeed.h"

/* Write text to a temporary file; its name into path (size 64). */
static void temp_input(const char *text, char *path)
{
	int fd;

	snprintf(path, 64, "/tmp/test_groupfeed_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* rows per key: "a" x na, "b" x nb, "c" x nc, one row a line after "k,t,y". */
static char *keyed_text(size_t na, size_t nb, size_t nc)
{
	struct ts_buf b = { 0 };
	const size_t counts[3] = { na, nb, nc };
	char line[64];

	ts_buf_puts(&b, "k,t,y\n");
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < counts[k]; i++) {
			snprintf(line, sizeof line, "%c,%zu,%zu\n", (char)('a' + k), i, i * 10);
			ts_buf_puts(&b, line);
		}
	ts_buf_putc(&b, '\0');
	assert_false(b.failed);
	return b.data;
}

static const char *key_of(const struct ts_table *t, size_t r)
{
	return ts_table_field(t, r, 0).s;
}

struct got {
	size_t nbatches;
	size_t rows[16];	/* per batch */
	size_t series[16];	/* per batch, from ts_feed_batch_groups */
	char first_key[16], last_key[16];
	size_t total;
	int rc;
	struct ts_err err;
	char msg[512];
	size_t skipped;
};

static void drain(const char *text, size_t batch_rows, bool skip_bad, struct got *g);

static void warn_line(void *ctx, const struct ts_err *err, struct ts_buf *msg)
{
	char line[600];

	(void)ctx;
	snprintf(line, sizeof line, "%s:%zu: %s\n", err->file, err->line, err->msg);
	ts_buf_puts(msg, line);
}

/* The groups the reader saw in b are those ts_groups_build finds, under
 * the key it cut by and under another (column t, which it then builds);
 * returns how many series b holds. */
static size_t check_groups(const struct ts_groupfeed *f, const struct ts_feed_batch *b)
{
	const char *const specs[2] = { "k", "t" };
	struct ts_err err = { 0 };
	size_t n = 0;

	for (size_t s = 0; s < 2; s++) {
		struct ts_roles roles;
		struct ts_groups fed, built;

		assert_int_equal(ts_roles_resolve(&b->tab, NULL, NULL, specs[s], &roles, &err), 0);
		assert_int_equal(ts_feed_batch_groups(f, b, &roles, &fed, &err), 0);
		assert_int_equal(ts_groups_build(&b->tab, &roles, &built, &err), 0);
		assert_int_equal(fed.n, built.n);
		assert_memory_equal(fed.start, built.start, (built.n + 1) * sizeof *built.start);
		assert_memory_equal(fed.rows, built.rows, b->tab.nrows * sizeof *built.rows);
		if (s == 0)
			n = fed.n;
		ts_groups_free(&fed);
		ts_groups_free(&built);
	}
	return n;
}

static void drain(const char *text, size_t batch_rows, bool skip_bad, struct got *g)
{
	char path[64];
	char *paths[1] = { path };
	struct ts_feed_opts o = { .key_spec = "k", .batch_rows = batch_rows, .depth = 2,
				  .skip_bad = skip_bad, .warn = warn_line };
	struct ts_groupfeed *f;
	struct ts_feed_batch *b;

	memset(g, 0, sizeof *g);
	temp_input(text, path);
	f = ts_groupfeed_start(&o, paths, 1);
	assert_non_null(f);
	while ((b = ts_groupfeed_next(f)) != NULL) {
		assert_true(g->nbatches < 16);
		assert_int_equal(b->tab.ncols, 3);
		assert_string_equal(b->tab.files[0], path);
		g->rows[g->nbatches] = b->tab.nrows;
		if (b->rc == 0 && b->tab.nrows > 0)
			g->series[g->nbatches] = check_groups(f, b);
		if (b->tab.nrows > 0) {
			g->first_key[g->nbatches] = key_of(&b->tab, 0)[0];
			g->last_key[g->nbatches] = key_of(&b->tab, b->tab.nrows - 1)[0];
		}
		g->total += b->tab.nrows;
		g->skipped += b->tab.skipped;
		if (b->msg.len > 0)
			snprintf(g->msg + strlen(g->msg), sizeof g->msg - strlen(g->msg), "%.*s",
				 (int)b->msg.len, b->msg.data);
		if (b->rc != 0) {
			g->rc = b->rc;
			g->err = b->err;
		}
		g->nbatches++;
		bool last = b->last;
		/* the next batches reuse its table's memory, rows dropped */
		ts_groupfeed_recycle(f, b);
		if (last)
			break;
	}
	ts_groupfeed_free(f);
	unlink(path);
}

static void test_cut_at_key_changes(void **state)
{
	char *text = keyed_text(60, 60, 30);
	struct got g;

	(void)state;
	/* one row a batch asked: the first batch still holds 100 rows or more,
	 * cut where a key changes (a and b), then c alone */
	drain(text, 1, false, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nbatches, 2);
	assert_int_equal(g.rows[0], 120);
	assert_int_equal(g.series[0], 2);
	assert_int_equal(g.first_key[0], 'a');
	assert_int_equal(g.last_key[0], 'b');
	assert_int_equal(g.rows[1], 30);
	assert_int_equal(g.series[1], 1);
	assert_int_equal(g.first_key[1], 'c');
	/* larger batches: everything in one */
	drain(text, 1000, false, &g);
	assert_int_equal(g.nbatches, 1);
	assert_int_equal(g.rows[0], 150);
	free(text);
}

static void test_later_batches_cut_small(void **state)
{
	char *text = keyed_text(120, 5, 7);
	struct got g;

	(void)state;
	drain(text, 1, false, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nbatches, 3);
	assert_int_equal(g.rows[0], 120);
	assert_int_equal(g.rows[1], 5);
	assert_int_equal(g.first_key[1], 'b');
	assert_int_equal(g.rows[2], 7);
	assert_int_equal(g.total, 132);
	free(text);
}

static void test_key_that_comes_back(void **state)
{
	char *text = keyed_text(3, 2, 0);
	char *back = malloc(strlen(text) + 16);
	struct got g;

	(void)state;
	snprintf(back, strlen(text) + 16, "%sa,9,90\n", text);
	drain(back, 1, false, &g);
	assert_int_equal(g.rc, TS_EINPUT);
	assert_int_equal(g.err.line, 7);
	assert_string_equal(g.err.msg, "series \"a\" comes back after other series: --grouped needs the "
				       "rows of each series together (sort by the key, or leave --grouped out)");
	free(back);
	free(text);
}

static void test_skipped_rows_stay_with_their_batch(void **state)
{
	char *text = keyed_text(100, 0, 0);
	struct ts_buf b = { 0 };
	struct got g;

	(void)state;
	ts_buf_puts(&b, text);
	ts_buf_puts(&b, "b,1\nb,2,20\n");
	ts_buf_putc(&b, '\0');
	drain(b.data, 1, true, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nbatches, 2);
	assert_int_equal(g.skipped, 1);
	assert_non_null(strstr(g.msg, ":102: expected 3 fields, found 2\n"));
	/* without --skip-bad the same row stops the input at its line */
	drain(b.data, 1, false, &g);
	assert_int_equal(g.rc, TS_EINPUT);
	assert_int_equal(g.err.line, 102);
	ts_buf_free(&b);
	free(text);
}

static void test_no_key_no_cut(void **state)
{
	char path[64];
	char *paths[1] = { path };
	char *text = keyed_text(100, 100, 100);
	struct ts_feed_opts o = { .key_spec = NULL, .batch_rows = 1, .depth = 1 };
	struct ts_groupfeed *f;
	struct ts_feed_batch *b;

	(void)state;
	temp_input(text, path);
	f = ts_groupfeed_start(&o, paths, 1);
	b = ts_groupfeed_next(f);
	assert_non_null(b);
	assert_true(b->last);
	assert_int_equal(b->tab.nrows, 300);
	ts_feed_batch_free(b);
	assert_null(ts_groupfeed_next(f));
	ts_groupfeed_free(f);
	unlink(path);
	free(text);
}

static void test_keyset(void **state)
{
	struct ts_keyset s = { 0 };
	char key[16];
	bool seen;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(ts_keyset_add(&s, key, strlen(key), &seen), 0);
		assert_false(seen);
	}
	assert_int_equal(ts_keyset_add(&s, "k7", 2, &seen), 0);
	assert_true(seen);
	assert_true(ts_keyset_has(&s, "k999", 4));
	assert_false(ts_keyset_has(&s, "k1000", 5));
	assert_false(ts_keyset_has(&s, "k", 1));
	assert_int_equal(s.n, 1000);
	ts_keyset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_at_key_changes),
		cmocka_unit_test(test_later_batches_cut_small),
		cmocka_unit_test(test_key_that_comes_back),
		cmocka_unit_test(test_skipped_rows_stay_with_their_batch),
		cmocka_unit_test(test_no_key_no_cut),
		cmocka_unit_test(test_keyset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
