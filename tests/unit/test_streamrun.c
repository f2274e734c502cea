/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_streamrun: the --stream row loop: the header with the first good
 * row, one decision per row, bad rows as errors or (skip_bad) warnings, the
 * -v summary, and a run over several inputs. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "detect/streamrun.h"

struct sink {
	struct ts_buf got;	/* everything flushed, in order */
	size_t flushes;
	size_t warned;
	char last_warning[1024];
};

static int collect(struct ts_buf *out, void *ctx, struct ts_err *err)
{
	struct sink *k = ctx;

	(void)err;
	ts_buf_put(&k->got, out->data, out->len);
	out->len = 0;
	k->flushes++;
	return 0;
}

static void on_warn(void *ctx, const struct ts_err *err)
{
	struct sink *k = ctx;

	k->warned++;
	snprintf(k->last_warning, sizeof k->last_warning, "%s:%zu: %s", err->file, err->line, err->msg);
}

/* Read text as one input named name. */
static int feed(struct ts_streamrun *sr, const char *text, const char *name, struct sink *k,
		struct ts_err *err)
{
	FILE *f = tmpfile();
	int rc;

	assert_non_null(f);
	fputs(text, f);
	rewind(f);
	rc = ts_streamrun_read(sr, fileno(f), name, collect, k, err);
	fclose(f);
	return rc;
}

static void opts_init(struct ts_streamrun_opts *o, struct sink *k)
{
	memset(o, 0, sizeof *o);
	o->params.p_alarm = TS_STREAM_P_ALARM;
	o->epoch = TS_EPOCH_AUTO;
	o->warn = on_warn;
	o->warn_ctx = k;
}

/* Hourly rows: a flat 10 with a wiggle, and 500 at row spike (none: 0). */
static char *hourly(size_t n, size_t spike)
{
	struct ts_buf b = { 0 };
	char line[64];

	ts_buf_puts(&b, "ds,y\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof line, "2018-01-%02zu %02zu:00:00,%g\n", 1 + i / 24, i % 24,
			 i == spike ? 500.0 : 10.0 + (double)(i % 3));
		ts_buf_puts(&b, line);
	}
	ts_buf_putc(&b, '\0');
	return b.data;
}

static void test_rows_judged_and_written(void **state)
{
	struct ts_streamrun_opts o;
	struct ts_streamrun_counts c;
	struct sink k = { 0 };
	struct ts_err err = { 0 };
	struct ts_buf msg = { 0 };
	char *in = hourly(200, 150);
	struct ts_streamrun *sr;
	size_t lines = 0;

	(void)state;
	opts_init(&o, &k);
	sr = ts_streamrun_new(&o);
	assert_non_null(sr);
	assert_false(ts_streamrun_has_rows(sr));
	assert_int_equal(feed(sr, in, "in.csv", &k, &err), 0);
	assert_true(ts_streamrun_has_rows(sr));
	ts_streamrun_counts(sr, &c);
	assert_int_equal(c.judged, 200);
	assert_int_equal(c.skipped, 0);
	assert_true(c.found >= 1);
	assert_true(k.flushes >= 1);
	ts_buf_putc(&k.got, '\0');
	assert_true(strncmp(k.got.data, "ds,y,anomaly,score,expected,lower,upper,reason\n", 47) == 0);
	for (const char *p = k.got.data; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 201);
	/* the spike is decided as an anomaly on its own row */
	assert_non_null(strstr(k.got.data, "2018-01-07 06:00:00,500,1,"));
	ts_streamrun_summary(sr, "ts-detect", &msg);
	ts_buf_putc(&msg, '\0');
	assert_true(strncmp(msg.data, "ts-detect: in.csv: 200 rows, ", 29) == 0);
	ts_buf_free(&msg);
	ts_buf_free(&k.got);
	ts_streamrun_free(sr);
	free(in);
}

static void test_bad_rows(void **state)
{
	struct ts_streamrun_opts o;
	struct ts_streamrun_counts c;
	struct sink k = { 0 };
	struct ts_err err = { 0 };
	const char *in = "ds,y\n2018-01-01 00:00:00,1\n2018-01-01 01:00:00,abc\n2018-01-01 02:00:00,inf\n"
			 "nope,3\n2018-01-01 03:00:00,4\n";
	struct ts_streamrun *sr;

	(void)state;
	/* without skip_bad: an input error at its line */
	opts_init(&o, &k);
	o.quiet = true;
	sr = ts_streamrun_new(&o);
	assert_int_equal(feed(sr, in, "in.csv", &k, &err), TS_EINPUT);
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "bad number \"abc\" in column y");
	ts_streamrun_free(sr);
	/* with it: each told and counted, the rest judged; quiet writes nothing */
	k.got.len = 0;
	o.skip_bad = true;
	sr = ts_streamrun_new(&o);
	assert_int_equal(feed(sr, in, "in.csv", &k, &err), 0);
	ts_streamrun_counts(sr, &c);
	assert_int_equal(c.judged, 2);
	assert_int_equal(c.skipped, 3);
	assert_int_equal(k.warned, 3);
	assert_true(strncmp(k.last_warning, "in.csv:5: bad timestamp \"nope\"", 30) == 0);
	assert_int_equal(k.got.len, 0);
	ts_streamrun_free(sr);
	ts_buf_free(&k.got);
}

static void test_keyed_only_and_inputs(void **state)
{
	struct ts_streamrun_opts o;
	struct ts_streamrun_counts c;
	struct sink k = { 0 };
	struct ts_err err = { 0 };
	struct ts_buf msg = { 0 };
	struct ts_streamrun *sr;

	(void)state;
	opts_init(&o, &k);
	o.key_cols = "k";
	o.only = true;
	sr = ts_streamrun_new(&o);
	assert_int_equal(feed(sr, "k,ds,y\na,2018-01-01,1\nb,2018-01-01,2\n", "one.csv", &k, &err), 0);
	/* a second input goes on with the same header and the same series */
	assert_int_equal(feed(sr, "k,ds,y\na,2018-01-02,1\n", "two.csv", &k, &err), 0);
	assert_int_equal(feed(sr, "k,time,y\na,2018-01-03,1\n", "three.csv", &k, &err), TS_EINPUT);
	ts_streamrun_counts(sr, &c);
	assert_int_equal(c.judged, 3);
	assert_int_equal(c.found, 0);
	/* only: no anomalous row, so the header alone */
	ts_buf_putc(&k.got, '\0');
	assert_string_equal(k.got.data, "k,ds,y,anomaly,score,expected,lower,upper,reason\n");
	ts_streamrun_summary(sr, "p", &msg);
	ts_buf_putc(&msg, '\0');
	assert_true(strncmp(msg.data, "p: series \"a\": 2 rows, 0 anomalies, ", 36) == 0);
	assert_non_null(strstr(msg.data, "\np: series \"b\": 1 rows, "));
	ts_buf_free(&msg);
	ts_buf_free(&k.got);
	ts_streamrun_free(sr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_judged_and_written),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_keyed_only_and_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
