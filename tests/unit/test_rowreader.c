/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rowreader: rows one at a time: fields and roles of each row, one
 * header for several inputs, the chunk callback, and every error. */
#include "testutil.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/rowreader.h"

/* What the callbacks saw. */
struct seen {
	struct ts_buf text;	/* "line:time|value|key;" per row */
	size_t rows, chunks;
	int stop_at;		/* stop with TS_ESTOP at this row (0: never) */
};

static int on_row(const struct ts_row *row, void *ctx, struct ts_err *err)
{
	struct seen *s = ctx;
	struct ts_str tf = ts_table_field(row->t, 0, row->roles->time);
	struct ts_str vf = ts_table_field(row->t, 0, row->roles->value);
	char line[32];

	snprintf(line, sizeof line, "%zu:", row->line);
	ts_buf_puts(&s->text, line);
	ts_buf_put(&s->text, tf.s, tf.len);
	ts_buf_putc(&s->text, '|');
	ts_buf_put(&s->text, vf.s, vf.len);
	ts_buf_putc(&s->text, '|');
	ts_row_key(row, &s->text);
	ts_buf_putc(&s->text, ';');
	s->rows++;
	if (s->stop_at > 0 && s->rows == (size_t)s->stop_at)
		return ts_err_set(err, TS_ESTOP, "stop");
	return 0;
}

static int on_chunk(void *ctx, struct ts_err *err)
{
	struct seen *s = ctx;

	(void)err;
	s->chunks++;
	return 0;
}

/* Read text as one input named name. */
static int read_text(struct ts_rowreader *r, const char *text, const char *name, struct seen *s,
		     struct ts_err *err)
{
	FILE *f = tmpfile();
	int rc;

	assert_non_null(f);
	fputs(text, f);
	rewind(f);
	rc = ts_rowreader_read(r, fileno(f), name, on_row, on_chunk, s, err);
	fclose(f);
	return rc;
}

static void text_is(struct seen *s, const char *want)
{
	ts_buf_putc(&s->text, '\0');
	assert_string_equal(s->text.data, want);
	s->text.len = 0;
}

static void test_rows_and_roles(void **state)
{
	struct ts_rowreader *r = ts_rowreader_new(0, NULL, NULL, "host");
	struct seen s = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_non_null(r);
	assert_int_equal(read_text(r, "host,ds,y\na,2018-01-01,1\n\nb,2018-01-02,\"2\"\n", "x.csv", &s, &err),
			 0);
	text_is(&s, "2:2018-01-01|1|a\x1f;4:2018-01-02|2|b\x1f;");
	assert_int_equal(s.chunks, 1);
	assert_true(ts_rowreader_has_roles(r));
	assert_int_equal(ts_rowreader_header(r)->ncols, 3);
	assert_string_equal(ts_rowreader_header(r)->files[0], "x.csv");
	/* A second input with the same header goes on; lines are its own. */
	assert_int_equal(read_text(r, "host,ds,y\nc,2018-01-03,3", "y.csv", &s, &err), 0);
	text_is(&s, "2:2018-01-03|3|c\x1f;");
	ts_buf_free(&s.text);
	ts_rowreader_free(r);
}

static void test_tabs_and_one_column(void **state)
{
	struct ts_rowreader *r = ts_rowreader_new(0, "2", "1", NULL);
	struct seen s = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(r, "v\tt\n5\t2018-01-01\n", "<stdin>", &s, &err), 0);
	text_is(&s, "2:2018-01-01|5|;");
	assert_int_equal(ts_rowreader_header(r)->delim, '\t');
	ts_rowreader_free(r);
	/* A byte order mark and CRLF line ends. */
	r = ts_rowreader_new(0, NULL, NULL, NULL);
	assert_int_equal(read_text(r, "\xef\xbb\xbf" "ds,y\r\n2018-01-01,1\r\n", "<stdin>", &s, &err), 0);
	text_is(&s, "2:2018-01-01|1|;");
	assert_string_equal(ts_rowreader_header(r)->names[0], "ds");
	ts_rowreader_free(r);
	ts_buf_free(&s.text);
}

static void test_errors(void **state)
{
	struct ts_rowreader *r = ts_rowreader_new(0, NULL, NULL, NULL);
	struct seen s = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(read_text(r, "", "a.csv", &s, &err), TS_EINPUT);
	assert_string_equal(err.msg, TS_NO_INPUT);
	assert_string_equal(err.file, "a.csv");
	assert_int_equal(err.line, 0);
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,y\n2018-01-01,1\n2018-01-02,1,2\n", "b.csv", &s, &err), TS_EINPUT);
	assert_string_equal(err.msg, "expected 2 fields, found 3");
	assert_string_equal(err.file, "b.csv");
	assert_int_equal(err.line, 3);
	text_is(&s, "2:2018-01-01|1|;");
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,value\n2018-01-01,1\n", "c.csv", &s, &err), TS_EINPUT);
	assert_string_equal(err.msg, "header differs from the first input's");
	assert_int_equal(err.line, 1);
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,y\n\"2018\n", "d.csv", &s, &err), TS_EINPUT);
	assert_int_equal(err.line, 2);
	ts_rowreader_free(r);
	/* Roles: an unknown column, and no value column. */
	r = ts_rowreader_new(0, NULL, "nope", NULL);
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,y\n2018-01-01,1\n", "e.csv", &s, &err), TS_EDATA);
	assert_string_equal(err.msg, "-y: no column \"nope\" (columns: ds, y)");
	assert_string_equal(err.file, "e.csv");
	ts_rowreader_free(r);
	r = ts_rowreader_new(0, NULL, NULL, NULL);
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,host\n2018-01-01,a\n", "f.csv", &s, &err), TS_EDATA);
	assert_string_equal(err.msg, "no value column: give -y (columns: ds, host)");
	assert_false(ts_rowreader_has_roles(r));
	ts_rowreader_free(r);
	/* A callback's stop comes back as it is. */
	r = ts_rowreader_new(0, NULL, NULL, NULL);
	s.stop_at = 2;
	s.rows = 0;
	ts_err_clear(&err);
	assert_int_equal(read_text(r, "ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-03,3\n", "g.csv", &s, &err),
			 TS_ESTOP);
	assert_int_equal(s.rows, 2);
	assert_string_equal(err.file, "g.csv");
	ts_rowreader_free(r);
	/* A read error. */
	r = ts_rowreader_new(0, NULL, NULL, NULL);
	ts_err_clear(&err);
	assert_int_equal(ts_rowreader_read(r, -1, "h.csv", on_row, NULL, &s, &err), TS_EIO);
	assert_string_equal(err.file, "h.csv");
	ts_rowreader_free(r);
	ts_buf_free(&s.text);
}

/* Ragged rows go to the ragged callback, which skips them or stops. */
static size_t ragged_seen;

static int on_ragged(struct ts_err *err, void *ctx)
{
	struct seen *s = ctx;

	if (err->line != 6)
		assert_string_equal(err->msg, "expected 2 fields, found 1");
	else
		assert_string_equal(err->msg, "unterminated quoted field");
	assert_string_equal(err->file, "r.csv");
	ragged_seen = ragged_seen * 10 + err->line;
	ts_err_clear(err);
	return s->stop_at < 0 ? TS_ESTOP : 0;
}

static void test_ragged(void **state)
{
	struct ts_rowreader *r = ts_rowreader_new(0, NULL, NULL, NULL);
	struct seen s = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	ts_rowreader_on_ragged(r, on_ragged);
	assert_int_equal(read_text(r, "ds,y\n2018-01-01,1\nx\n2018-01-03,3\ny\n", "r.csv", &s, &err), 0);
	text_is(&s, "2:2018-01-01|1|;4:2018-01-03|3|;");
	assert_int_equal(ragged_seen, 35);
	ragged_seen = 0;
	assert_int_equal(read_text(r, "ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-03,3\n2018-01-04,4\n\"2018", "r.csv",
				   &s, &err), 0);
	assert_int_equal(ragged_seen, 6);
	assert_int_equal(s.rows, 6);
	text_is(&s, "2:2018-01-01|1|;3:2018-01-02|2|;4:2018-01-03|3|;5:2018-01-04|4|;");
	s.stop_at = -1;
	ragged_seen = 0;
	assert_int_equal(read_text(r, "ds,y\nx\n2018-01-03,3\n", "r.csv", &s, &err), TS_ESTOP);
	assert_int_equal(ragged_seen, 2);
	text_is(&s, "");
	ts_rowreader_free(r);
	ts_buf_free(&s.text);
}

/* Rows come as soon as their line is complete: the writer of a pipe sends
 * the rest only after the chunk callback has seen the first row. */
static int go_fd = -1;

static int on_chunk_go(void *ctx, struct ts_err *err)
{
	struct seen *s = ctx;

	(void)err;
	if (s->chunks++ == 0) {
		assert_int_equal(s->rows, 1);
		assert_int_equal(write(go_fd, "g", 1), 1);
	}
	return 0;
}

static void test_rows_before_the_end(void **state)
{
	struct ts_rowreader *r = ts_rowreader_new(0, NULL, NULL, NULL);
	struct seen s = { 0 };
	struct ts_err err = { 0 };
	int data[2], go[2];
	char c;

	(void)state;
	assert_int_equal(pipe(data), 0);
	assert_int_equal(pipe(go), 0);
	if (fork() == 0) {
		close(data[0]);
		close(go[1]);
		if (write(data[1], "ds,y\n2018-01-01,1\n2018-", 23) != 23 || read(go[0], &c, 1) != 1 ||
		    write(data[1], "01-02,2\n", 8) != 8)
			_exit(1);
		_exit(0);
	}
	close(data[1]);
	close(go[0]);
	go_fd = go[1];
	assert_int_equal(ts_rowreader_read(r, data[0], "<stdin>", on_row, on_chunk_go, &s, &err), 0);
	close(data[0]);
	close(go[1]);
	assert_true(wait(NULL) > 0);
	text_is(&s, "2:2018-01-01|1|;3:2018-01-02|2|;");
	assert_int_equal(s.chunks, 2);
	ts_buf_free(&s.text);
	ts_rowreader_free(r);
}

static void test_key_label(void **state)
{
	struct ts_buf b = { 0 };

	(void)state;
	ts_row_key_label("a\x1f" "b c\x1f", 6, &b);
	ts_buf_putc(&b, '\0');
	assert_string_equal(b.data, "a,b c");
	b.len = 0;
	ts_row_key_label("\x1f" "x\x1f", 3, &b);
	ts_buf_putc(&b, '\0');
	assert_string_equal(b.data, ",x");
	b.len = 0;
	ts_row_key_label("", 0, &b);
	ts_buf_putc(&b, '\0');
	assert_string_equal(b.data, "");
	ts_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_roles),
		cmocka_unit_test(test_tabs_and_one_column),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_rows_before_the_end),
		cmocka_unit_test(test_key_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
