/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_detectrun: ts-detect's batch work: columns found, methods chosen and
 * checked, rules bound, reach checks, one series judged and written, -v text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "detect/detectrun.h"
#include "detect/expr.h"

struct fixture {
	struct ts_table t;
	struct ts_roles roles;
	struct ts_groups g;
	struct ts_series s;
};

static void load(struct fixture *fx, const char *text)
{
	struct ts_err err = { 0 };
	struct ts_load_opts lo = { 0 };
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	memset(fx, 0, sizeof *fx);
	assert_non_null(f);
	assert_int_equal(ts_table_read(&fx->t, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(&fx->t, NULL, "value", NULL, &fx->roles, &err), 0);
	assert_int_equal(ts_groups_build(&fx->t, &fx->roles, &fx->g, &err), 0);
	assert_int_equal(ts_series_load(&fx->t, &fx->roles, fx->g.rows, fx->t.nrows, &lo, &fx->s, &err), 0);
}

static void unload(struct fixture *fx)
{
	ts_series_free(&fx->s);
	ts_groups_free(&fx->g);
	ts_table_free(&fx->t);
}

/* n hourly rows of a daily sine, a spike at row `spike`, extra columns
 * yhat (a constant) and other (i % 5). */
static char *series_text(size_t n, size_t spike)
{
	size_t cap = 64 + n * 64, at = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	at += (size_t)snprintf(text, cap, "time,value,yhat,other\n");
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(text + at, cap - at, "%ld,%.4f,10,%zu\n", 1700000000L + (long)i * 3600,
				       i == spike ? 100.0 : 10 + 3 * sin(2 * M_PI * (double)i / 24) + 0.1 * sin((double)i * 1.7),
				       i % 5);
	return text;
}

static void test_columns_and_methods(void **state)
{
	struct fixture fx;
	struct ts_detectrun_cols c;
	struct ts_detect_opts d;
	struct ts_err err = { 0 };
	size_t cap = 0;

	(void)state;
	load(&fx, "time,value,yhat,trend\n1700000000,1,1,1\n");
	ts_detectrun_find_columns(&fx.t, &c);
	assert_int_equal(c.yhat, 2);
	assert_int_equal(c.trend, 3);
	assert_int_equal(c.lower, TS_NO_COL);
	assert_int_equal(c.remainder, TS_NO_COL);
	ts_detect_opts_init(&d);
	/* no -m: surprise with a yhat column */
	assert_int_equal(ts_detectrun_methods(&d, false, &c, &err), 0);
	assert_int_equal(d.nmethods, 1);
	assert_int_equal(d.methods[0], TS_DETECT_SURPRISE);
	/* band without its columns */
	d.methods[0] = TS_DETECT_BAND;
	assert_int_equal(ts_detectrun_methods(&d, true, &c, &err), TS_EDATA);
	assert_string_equal(err.msg, "band needs yhat_lower and yhat_upper columns (run ts-forecast first)");
	d.methods[0] = TS_DETECT_RULE;
	assert_int_equal(ts_detectrun_methods(&d, true, &c, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "-m rule needs --rule EXPR");
	/* rules: rule by default, and added to -m */
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y > 2", &err), 0);
	assert_int_equal(ts_detectrun_methods(&d, false, &c, &err), 0);
	assert_int_equal(d.methods[0], TS_DETECT_RULE);
	d.methods[0] = TS_DETECT_SIGMA;
	assert_int_equal(ts_detectrun_methods(&d, true, &c, &err), 0);
	assert_int_equal(d.nmethods, 2);
	assert_int_equal(d.methods[1], TS_DETECT_RULE);
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y >", &err), TS_EUSAGE);
	assert_int_equal(d.nrules, 1);
	ts_detectrun_free_rules(&d);
	assert_int_equal(d.nrules, 0);
	unload(&fx);

	load(&fx, "time,value\n1700000000,1\n");
	ts_detectrun_find_columns(&fx.t, &c);
	ts_detect_opts_init(&d);
	assert_int_equal(ts_detectrun_methods(&d, false, &c, &err), 0);
	assert_int_equal(d.methods[0], TS_DETECT_SIGMA);
	d.methods[0] = TS_DETECT_SURPRISE;
	assert_int_equal(ts_detectrun_methods(&d, true, &c, &err), TS_EDATA);
	assert_string_equal(err.msg, "surprise needs a yhat column (run ts-forecast first)");
	assert_int_equal(ts_detectrun_last("3", &d), 0);
	assert_int_equal(d.last_kind, TS_LAST_ROWS);
	assert_int_equal(d.last_rows, 3);
	assert_int_equal(ts_detectrun_last("2d", &d), 0);
	assert_int_equal(d.last_kind, TS_LAST_DUR);
	assert_int_equal(ts_detectrun_last("x", &d), -1);
	unload(&fx);
}

static void test_bind_rules(void **state)
{
	struct fixture fx;
	struct ts_detectrun_cols c;
	struct ts_detect_opts d;
	struct ts_err err = { 0 };
	size_t cap = 0, failed = 99;

	(void)state;
	load(&fx, "time,value,yhat,other\n1700000000,1,1,1\n");
	ts_detectrun_find_columns(&fx.t, &c);
	ts_detect_opts_init(&d);
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "other == 3", &err), 0);
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y > yhat", &err), 0);
	assert_int_equal(ts_detectrun_bind_rules(&d, &fx.t, &c, &failed, &err), 0);
	assert_true(c.rule_col[3]);
	assert_false(c.rule_col[1]);
	assert_false(c.rule_col[2]);	/* yhat is the forecast's, read as such */
	free(c.rule_col);
	/* yhat_upper without its pair is no name */
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y > yhat_upper", &err), 0);
	assert_int_not_equal(ts_detectrun_bind_rules(&d, &fx.t, &c, &failed, &err), 0);
	assert_int_equal(failed, 2);
	assert_non_null(strstr(err.msg, "yhat_upper"));
	free(c.rule_col);
	ts_detectrun_free_rules(&d);
	unload(&fx);
}

static void test_reach(void **state)
{
	struct fixture fx;
	struct ts_detect_opts d;
	struct ts_detectrun_reach r = { 0 };
	struct ts_detectrun_cols c;
	struct ts_span w;
	size_t failed;
	struct ts_err err = { 0 };
	size_t cap = 0;
	char *text = series_text(48, SIZE_MAX);

	(void)state;
	load(&fx, text);
	ts_detect_opts_init(&d);
	r.d = &d;
	r.window = &w;
	d.methods[0] = TS_DETECT_LEVEL_SHIFT;
	d.nmethods = 1;
	r.window_spec = "30";
	assert_int_equal(ts_span_parse("30", 1, &w), 0);
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--window 30: level-shift needs twice that many rows, a window either side, "
			    "and the longest series has 48");
	r.window_spec = "1d";
	assert_int_equal(ts_span_parse("1d", 1, &w), 0);
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--window 1d: level-shift needs twice that, a window either side, and "
			    "the input spans 1d23h");
	assert_int_equal(ts_span_parse("12h", 1, &w), 0);
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), 0);
	r.window_spec = NULL;
	d.methods[0] = TS_DETECT_NEW_HIGH;
	r.history_spec = "14d";
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--history 14d is longer than the input, which spans 1d23h: no row would "
			    "have a full history");
	d.methods[0] = TS_DETECT_WOW;
	r.lag_spec = "1w";
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--lag 1w is longer than the input, which spans 1d23h: no row has a value "
			    "that far back");
	d.lag.us = 3600 * TS_US_PER_S;
	d.lag.months = 0;
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), 0);
	d.methods[0] = TS_DETECT_RULE;
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y > lag(48)", &err), 0);
	ts_detectrun_find_columns(&fx.t, &c);
	assert_int_equal(ts_detectrun_bind_rules(&d, &fx.t, &c, &failed, &err), 0);
	free(c.rule_col);
	assert_int_equal(ts_detectrun_check_reach(&r, &fx.t, &fx.roles, &fx.g, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--rule \"y > lag(48)\": lag(48) is as many rows as the longest series has "
			    "(48) or more: it is missing on every row");
	ts_detectrun_free_rules(&d);
	unload(&fx);
	free(text);
}

static void test_series(void **state)
{
	struct fixture fx;
	struct ts_detectrun_cols c;
	struct ts_detect_opts d;
	struct ts_detectrun dr = { 0 };
	struct ts_detectrun_series r = { 0 };
	struct ts_outcols oc;
	struct ts_buf out = { 0 };
	struct ts_err err = { 0 };
	char *text = series_text(24 * 7, 100), line[128];
	size_t lines = 0;

	(void)state;
	load(&fx, text);
	ts_detectrun_find_columns(&fx.t, &c);
	ts_detect_opts_init(&d);
	d.methods[0] = TS_DETECT_SIGMA;
	d.nmethods = 1;
	dr.tab = &fx.t;
	dr.cols = &c;
	dr.d = &d;
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), 0);
	assert_int_equal(r.opts.nperiods, 1);
	assert_int_equal(r.opts.periods[0], 24);
	assert_true(r.found >= 1);
	assert_true(r.res.anomaly[100]);
	assert_near(r.cols[0][5], 10, 0);	/* yhat read */
	ts_detectrun_describe(&r, "ts-detect", "in.csv", &out);
	ts_buf_putc(&out, '\0');
	snprintf(line, sizeof line, "ts-detect: in.csv: 168 rows, %zu anomal%s, interval 1h, period 24\n", r.found,
		 r.found == 1 ? "y" : "ies");
	assert_string_equal(out.data, line);
	ts_buf_free(&out);
	memset(&out, 0, sizeof out);
	assert_int_equal(ts_detectrun_outcols_init(&oc, &fx.t, &err), 0);
	ts_detectrun_write_rows(&r, &fx.s, &oc, &fx.t, true, &out);
	ts_buf_putc(&out, '\0');
	assert_non_null(strstr(out.data, "1700360000,100.0000,10,0,1,"));
	for (size_t i = 0; i < out.len; i++)	/* anomalous rows only */
		lines += out.data[i] == '\n';
	assert_int_equal(lines, r.found);
	assert_null(strstr(out.data, ",0,0,"));
	ts_buf_free(&out);
	ts_outcols_free(&oc);
	ts_detectrun_series_free(&r);

	/* -p 1d and -p 2d,1d: ascending points; a window in points */
	assert_int_equal(ts_span_parse("2d", 2, &dr.periods[0]), 0);
	assert_int_equal(ts_span_parse("1d", 2, &dr.periods[1]), 0);
	dr.nperiods = 2;
	dr.have_window = true;
	assert_int_equal(ts_span_parse("3h", 1, &dr.window), 0);
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), 0);
	assert_int_equal(r.opts.nperiods, 2);
	assert_int_equal(r.opts.periods[0], 24);
	assert_int_equal(r.opts.periods[1], 48);
	assert_int_equal(r.opts.window, 3);
	ts_detectrun_series_free(&r);
	assert_int_equal(ts_span_parse("30m", 1, &dr.window), 0);
	assert_int_not_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), 0);
	ts_detectrun_series_free(&r);

	/* -p none: no period */
	dr.nperiods = 0;
	dr.period_none = true;
	dr.have_window = false;
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), 0);
	assert_int_equal(r.opts.nperiods, 0);
	ts_detectrun_series_free(&r);
	unload(&fx);
	free(text);
}

static void test_series_refused(void **state)
{
	struct fixture fx;
	struct ts_detectrun_cols c;
	struct ts_detect_opts d;
	struct ts_detectrun dr = { 0 };
	struct ts_detectrun_series r = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "time,value,yhat\n1700000000,1,1\n1700003600,2,x\n");
	ts_detectrun_find_columns(&fx.t, &c);
	ts_detect_opts_init(&d);
	dr.tab = &fx.t;
	dr.cols = &c;
	dr.d = &d;
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), TS_EINPUT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "yhat"));
	ts_detectrun_series_free(&r);
	unload(&fx);

	memset(&err, 0, sizeof err);
	load(&fx, "time,value\n1700000000,1\n1700003600,2\n1700007200,3\n1700007300,4\n1700010800,5\n"
		  "1700014400,6\n1700018000,7\n");
	ts_detectrun_find_columns(&fx.t, &c);
	d.methods[0] = TS_DETECT_SIGMA;
	d.nmethods = 1;
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), TS_EDATA);
	assert_non_null(strstr(err.msg, "irregular"));
	assert_string_equal(err.file, "in.csv");
	assert_true(err.line > 1);
	ts_detectrun_series_free(&r);
	fx.s.n = 0;
	assert_int_equal(ts_detectrun_series(&dr, &fx.s, &r, &err), TS_EDATA);
	assert_string_equal(err.msg, "no rows left to judge");
	ts_detectrun_series_free(&r);
	unload(&fx);
}

static void test_stream_params(void **state)
{
	struct ts_detect_opts d;
	struct ts_span p[2], warm;
	struct ts_stream_params sp;
	struct ts_err err = { 0 };

	(void)state;
	ts_detect_opts_init(&d);
	d.alpha = NAN;
	assert_int_equal(ts_detectrun_stream_params(&d, false, p, 0, false, NULL, &sp, &err), 0);
	assert_near(sp.p_alarm, TS_STREAM_P_ALARM, 0);
	d.sigma_k = 3;
	assert_int_equal(ts_span_parse("24", 2, &p[0]), 0);
	assert_int_equal(ts_span_parse("1w", 2, &p[1]), 0);
	assert_int_equal(ts_span_parse("30", 0, &warm), 0);
	assert_int_equal(ts_detectrun_stream_params(&d, true, p, 2, false, &warm, &sp, &err), 0);
	assert_near(sp.p_alarm, 0.0026997960632601866, 1e-12);
	assert_int_equal(sp.period_points, 24);
	assert_int_equal(sp.season2.us, 7 * TS_US_PER_DAY);
	assert_int_equal(sp.warmup_kind, TS_WARMUP_ROWS);
	assert_int_equal(sp.warmup_rows, 30);
	assert_int_equal(ts_span_parse("1mo", 0, &warm), 0);
	assert_int_equal(ts_detectrun_stream_params(&d, true, p, 2, false, &warm, &sp, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--warmup: a fixed duration or a count of rows");
	assert_int_equal(ts_span_parse("1mo", 2, &p[0]), 0);
	assert_int_equal(ts_detectrun_stream_params(&d, true, p, 1, false, NULL, &sp, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "--stream: -p must be a fixed duration or a count");
}

/* A term no judged series had a value for is told once, for its first rule;
 * series not judged do not count. */
static void test_empty_terms(void **state)
{
	struct ts_detect_opts d;
	struct fixture fx;
	struct ts_detectrun_cols c;
	size_t cap = 0, failed = 0, next = 0;
	struct ts_err err = { 0 };
	unsigned char slots[3 * 6] = { 0 };

	(void)state;
	load(&fx, "time,value,other\n1700000000,1,2\n");
	ts_detect_opts_init(&d);
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "y > 2 or ratio > 2", &err), 0);
	assert_int_equal(ts_detectrun_add_rule(&d, &cap, "ratio < 0.5 and other > lag(1d)", &err), 0);
	assert_int_equal(ts_detectrun_bind_rules(&d, &fx.t, &c, &failed, &err), 0);
	free(c.rule_col);
	assert_int_equal(ts_detectrun_terms_stride(&d), 6);	/* judged, y, ratio, ratio, other, lag(1d) */
	/* nothing judged: nothing told */
	assert_false(ts_detectrun_empty_term(&d, slots, 3, &next, &err));
	/* series 0 judged with y and other; series 2 judged with lag(1d); series 1 not judged */
	slots[0] = 1;
	slots[1] = slots[4] = 1;
	slots[6 + 2] = slots[6 + 3] = 1;	/* not judged: does not count */
	slots[12] = 1;
	slots[12 + 5] = 1;
	next = 0;
	assert_true(ts_detectrun_empty_term(&d, slots, 3, &next, &err));
	assert_string_equal(err.msg, "--rule \"y > 2 or ratio > 2\": \"ratio\" is empty on every row (it needs the value "
			    "one season earlier: is the period longer than the data?): comparisons on it never hold");
	assert_null(err.file);
	assert_false(ts_detectrun_empty_term(&d, slots, 3, &next, &err));	/* the second ratio is not told again */
	/* a column with no value anywhere */
	slots[4] = 0;
	next = 0;
	assert_true(ts_detectrun_empty_term(&d, slots, 3, &next, &err));
	assert_true(ts_detectrun_empty_term(&d, slots, 3, &next, &err));
	assert_string_equal(err.msg, "--rule \"ratio < 0.5 and other > lag(1d)\": \"other\" is empty on every row: "
			    "comparisons on it never hold");
	assert_false(ts_detectrun_empty_term(&d, slots, 3, &next, &err));
	ts_detectrun_free_rules(&d);
	unload(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_and_methods),
		cmocka_unit_test(test_bind_rules),
		cmocka_unit_test(test_empty_terms),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_series_refused),
		cmocka_unit_test(test_stream_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
