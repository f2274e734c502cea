/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fill: option parsing, bucketing, aggregation, gap filling, windows and
 * the written rows of one series. */
#include <string.h>

#include "testutil.h"

#include "series/fill.h"

/* A table, its roles and its single series, from CSV text. */
struct fixture {
	struct ts_table tab;
	struct ts_roles roles;
	struct ts_series s;
	struct ts_grid g;
	struct ts_fill_stats st;
	struct ts_fill_opts o;
};

static void load(struct fixture *fx, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ts_err err = { 0 };
	struct ts_load_opts lo = { 0 };
	size_t rows[64];

	memset(fx, 0, sizeof *fx);
	assert_non_null(f);
	assert_int_equal(ts_table_read(&fx->tab, f, "-", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(&fx->tab, NULL, NULL, NULL, &fx->roles, &err), 0);
	for (size_t r = 0; r < fx->tab.nrows; r++)
		rows[r] = r;
	assert_int_equal(ts_series_load(&fx->tab, &fx->roles, rows, fx->tab.nrows, &lo, &fx->s, &err), 0);
	fx->o.max_buckets = 1000000;
	assert_int_equal(ts_agg_parse("sum", &fx->o.agg, &err), 0);
}

static int run(struct fixture *fx, const char *interval, struct ts_err *err)
{
	ts_grid_free(&fx->g);
	if (interval != NULL) {
		assert_int_equal(ts_dur_parse(interval, &fx->o.interval, err), 0);
		fx->o.have_interval = true;
	}
	return ts_fill_series(&fx->tab, &fx->s, fx->roles.value == TS_NO_COL, &fx->o, &fx->g, &fx->st, err);
}

static void done(struct fixture *fx)
{
	ts_grid_free(&fx->g);
	ts_series_free(&fx->s);
	ts_table_free(&fx->tab);
}

static void test_parse_options(void **state)
{
	struct ts_agg agg;
	struct ts_fill_method m;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_agg_parse("p99.9", &agg, &err), 0);
	assert_int_equal(agg.kind, TS_AGG_QUANTILE);
	assert_near(agg.q, 0.999, 1e-12);
	assert_int_equal(ts_agg_parse("uniq:user", &agg, &err), 0);
	assert_string_equal(agg.col_spec, "user");
	assert_int_equal(ts_agg_parse("median", &agg, &err), 0);
	assert_int_equal(agg.kind, TS_AGG_MEDIAN);
	assert_int_equal(ts_agg_parse("p101", &agg, &err), TS_EUSAGE);
	assert_int_equal(ts_agg_parse("p", &agg, &err), TS_EUSAGE);
	assert_int_equal(ts_agg_parse("p-1", &agg, &err), TS_EUSAGE);
	assert_int_equal(ts_agg_parse("uniq:", &agg, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "unknown aggregation \"uniq:\" (sum, mean, min, max, count, first, last, median, pNN, uniq:COL; FUNC:COL for a column)");
	assert_int_equal(ts_fill_parse("value:-2.5", &m, &err), 0);
	assert_int_equal(m.kind, TS_FILL_VALUE);
	assert_near(m.value, -2.5, 0);
	assert_int_equal(ts_fill_parse("value:NaN", &m, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "bad fill value \"NaN\"");
	/* the next tool would refuse an infinity at every filled row */
	assert_int_equal(ts_fill_parse("value:inf", &m, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "bad fill value \"inf\"");
	assert_int_equal(ts_fill_parse("value:-1e999", &m, &err), TS_EUSAGE);
	assert_int_equal(ts_fill_parse("cubic", &m, &err), TS_EUSAGE);
}

static void test_buckets_and_aggregations(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	static const struct {
		const char *agg;
		double want;
	} cases[] = {
		{ "sum", 15 }, { "mean", 5 }, { "min", 1 }, { "max", 10 }, { "count", 3 },
		{ "first", 4 }, { "last", 10 }, { "median", 4 }, { "p90", 8.8 }, { "p25", 2.5 },
	};

	(void)state;
	/* Unsorted, with a missing value and a duplicate timestamp. */
	load(&fx, "ds,y\n2018-01-01 00:50:00,10\n2018-01-01 00:00:00,4\n2018-01-01 00:20:00,1\n"
		  "2018-01-01 00:20:00,\n2018-01-01 02:10:00,7\n");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(ts_agg_parse(cases[i].agg, &fx.o.agg, &err), 0);
		assert_int_equal(run(&fx, "1h", &err), 0);
		assert_int_equal(fx.g.n, 3);
		assert_near(fx.g.y[0], cases[i].want, 1e-12);
		assert_true(isnan(fx.g.y[1]));
		assert_false(fx.g.filled[0]);
	}
	assert_int_equal(fx.g.count[0], 4);
	assert_int_equal(fx.g.count[1], 0);
	assert_int_equal(fx.st.aggregated, 4);
	done(&fx);
}

static void test_fill_methods_and_max_gap(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "ds,y\n2018-01-01,2\n2018-01-05,10\n2018-01-06,11\n2018-01-09,20\n");
	assert_int_equal(ts_fill_parse("linear", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1d", &err), 0);
	assert_int_equal(fx.g.n, 9);
	assert_near(fx.g.y[1], 4, 1e-12);
	assert_near(fx.g.y[3], 8, 1e-12);
	assert_near(fx.g.y[7], 17, 1e-12);
	assert_true(fx.g.filled[1]);
	assert_false(fx.g.filled[4]);
	assert_int_equal(fx.st.filled, 5);

	/* A 3-day gap is longer than 2 days and stays empty; a 2-day one is filled. */
	assert_int_equal(ts_dur_parse("2d", &fx.o.max_gap, &err), 0);
	fx.o.have_max_gap = true;
	assert_int_equal(run(&fx, "1d", &err), 0);
	assert_true(isnan(fx.g.y[1]) && isnan(fx.g.y[3]));
	assert_near(fx.g.y[6], 14, 1e-12);
	assert_int_equal(fx.st.empty, 3);
	fx.o.have_max_gap = false;

	assert_int_equal(ts_fill_parse("prev", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1d", &err), 0);
	assert_near(fx.g.y[3], 2, 0);
	assert_near(fx.g.y[7], 11, 0);
	assert_int_equal(ts_fill_parse("next", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1d", &err), 0);
	assert_near(fx.g.y[1], 10, 0);
	assert_int_equal(ts_fill_parse("value:-1", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1d", &err), 0);
	assert_near(fx.g.y[2], -1, 0);
	done(&fx);
}

static void test_window_extends_and_clips(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	struct ts_tfmt fmt;

	(void)state;
	load(&fx, "ds,y\n2018-01-01 05:30:00,1\n2018-01-01 07:10:00,2\n2018-01-01 09:00:00,3\n");
	assert_int_equal(ts_time_parse("2018-01-01 03:59:00", 19, TS_EPOCH_AUTO, &fx.o.start, &fmt, &err), 0);
	assert_int_equal(ts_time_parse("2018-01-01 08:00:00", 19, TS_EPOCH_AUTO, &fx.o.end, &fmt, &err), 0);
	fx.o.have_start = fx.o.have_end = true;
	assert_int_equal(ts_fill_parse("zero", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_int_equal(fx.g.n, 6);	/* 03:00 .. 08:00 */
	assert_near(fx.g.y[2], 1, 0);
	assert_near(fx.g.y[4], 2, 0);
	assert_int_equal(fx.st.outside, 1);
	done(&fx);
}

static void test_now_bounds_keep_complete_buckets(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	struct ts_tfmt fmt;
	enum ts_partial p;

	(void)state;
	assert_int_equal(ts_partial_parse("drop", &p, &err), 0);
	assert_int_equal(p, TS_PARTIAL_DROP);
	assert_int_equal(ts_partial_parse("mark", &p, &err), 0);
	assert_int_equal(p, TS_PARTIAL_MARK);
	assert_int_equal(ts_partial_parse("all", &p, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "unknown value \"all\" (expected drop, keep or mark)");

	load(&fx, "ds,y\n2018-01-01 03:30:00,1\n2018-01-01 05:10:00,2\n2018-01-01 06:01:00,3\n");
	/* now = 06:05, start now-3h = 03:05: instants that cut the 03:00 and 06:00 buckets */
	assert_int_equal(ts_time_parse("2018-01-01 03:05:00", 19, TS_EPOCH_AUTO, &fx.o.start, &fmt, &err), 0);
	assert_int_equal(ts_time_parse("2018-01-01 06:05:00", 19, TS_EPOCH_AUTO, &fx.o.end, &fmt, &err), 0);
	fx.o.have_start = fx.o.have_end = true;
	fx.o.start_is_now = fx.o.end_is_now = true;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_int_equal(fx.g.n, 2);	/* 04:00, 05:00 */
	assert_near(fx.g.y[1], 2, 0);
	assert_int_equal(fx.st.outside, 2);
	assert_false(fx.g.partial_first);
	assert_false(fx.g.partial_last);
	fx.o.partial = TS_PARTIAL_MARK;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_int_equal(fx.g.n, 4);	/* 03:00 .. 06:00 */
	assert_true(fx.g.partial_first);
	assert_true(fx.g.partial_last);
	assert_int_equal(fx.st.outside, 0);
	/* Timestamps name their buckets: nothing is cut. */
	fx.o.start_is_now = fx.o.end_is_now = false;
	fx.o.partial = TS_PARTIAL_DROP;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_int_equal(fx.g.n, 4);
	assert_false(fx.g.partial_first);
	assert_false(fx.g.partial_last);
	/* No complete bucket between now-30m and now. */
	assert_int_equal(ts_time_parse("2018-01-01 05:35:00", 19, TS_EPOCH_AUTO, &fx.o.start, &fmt, &err), 0);
	fx.o.start_is_now = fx.o.end_is_now = true;
	assert_int_equal(run(&fx, "1h", &err), TS_EUSAGE);
	assert_string_equal(err.msg, "no complete bucket of 1h between --start and --end "
			    "(--partial keep keeps the incomplete ones)");
	done(&fx);
}

static void test_raw_events_counted(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "ts,host\n2018-01-01T00:01:00Z,a\n2018-01-01T00:09:59Z,b\n2018-01-01T00:30:00Z,a\n");
	assert_int_equal(fx.roles.value, TS_NO_COL);
	assert_int_equal(run(&fx, "10m", &err), 0);
	assert_int_equal(fx.g.n, 4);
	assert_near(fx.g.y[0], 2, 0);
	assert_true(isnan(fx.g.y[1]));
	assert_near(fx.g.y[3], 1, 0);
	done(&fx);
}

static void test_grid_limits_and_errors(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "ds,y\n2018-01-01,1\n2019-01-01,2\n");
	fx.o.max_buckets = 100;
	assert_int_equal(run(&fx, "1h", &err), TS_EDATA);
	assert_string_equal(err.msg, "more than 100 buckets of 1h between the first and the last timestamp; check -i");
	fx.o.have_interval = false;
	fx.o.max_buckets = 1000;
	assert_int_equal(run(&fx, NULL, &err), 0);
	assert_int_equal(fx.g.interval.months, 12);
	assert_int_equal(fx.g.n, 2);
	done(&fx);
}

static void test_written_rows(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	struct ts_outcols oc;
	struct ts_buf out = { 0 };
	const char *added[] = { "filled" };
	struct ts_fill_out fo = { .aggs_at = TS_NO_COL, .filled_at = 0, .partial_at = TS_NO_COL,
				  .nadded = 1, .keep_text = true };

	(void)state;
	load(&fx, "date,y,note\n2018-01-01,1.50,a\n2018-01-01,2,a\n2018-01-02,3.0,b\n");
	assert_int_equal(ts_outcols_init(&oc, &fx.tab, added, 1, &err), 0);
	fo.cols = &oc;
	assert_int_equal(ts_fill_parse("linear", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "12h", &err), 0);
	ts_fill_write(&fx.tab, &fx.roles, &fx.s, &fx.g, &fo, &out);
	ts_buf_putc(&out, '\0');
	/* Dates gain a time of day for 12-hour buckets; one untouched row keeps "3.0". */
	assert_string_equal(out.data,
			    "2018-01-01 00:00:00,3.5,a,0\n"
			    "2018-01-01 12:00:00,3.25,,1\n"
			    "2018-01-02 00:00:00,3.0,b,0\n");
	ts_buf_free(&out);
	ts_outcols_free(&oc);
	done(&fx);
}

/* The plan for a table: its groups by column 2 when keyed. */
static int plan_for(struct fixture *fx, const char *key, const char *agg_spec, bool value_given,
		    struct ts_agg_list *aggs, struct ts_fill_plan *plan, struct ts_err *err)
{
	struct ts_groups groups;
	struct ts_load_opts lo = { 0 };
	int rc;

	if (key != NULL)
		assert_int_equal(ts_roles_resolve(&fx->tab, NULL, NULL, key, &fx->roles, err), 0);
	memset(aggs, 0, sizeof *aggs);
	if (agg_spec != NULL)
		assert_int_equal(ts_agg_list_add(aggs, agg_spec, err), 0);
	assert_int_equal(ts_groups_build(&fx->tab, &fx->roles, &groups, err), 0);
	rc = ts_fill_plan(&fx->tab, &fx->roles, value_given, aggs, &groups, &lo, &fx->o, plan, err);
	ts_groups_free(&groups);
	return rc;
}

static void test_agg_lists(void **state)
{
	struct ts_agg_list list = { 0 };
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_agg_list_add(&list, "count,uniq:user_id", &err), 0);
	assert_int_equal(ts_agg_list_add(&list, "sum:bytes,p99.9:latency", &err), 0);
	assert_int_equal(list.n, 4);
	assert_int_equal(list.items[0].kind, TS_AGG_COUNT);
	assert_null(list.items[0].col_spec);
	assert_string_equal(list.items[1].col_spec, "user_id");
	assert_int_equal(list.items[2].kind, TS_AGG_SUM);
	assert_string_equal(list.items[2].col_spec, "bytes");
	assert_int_equal(list.items[3].kind, TS_AGG_QUANTILE);
	assert_int_equal(list.items[3].func_len, 5);
	assert_near(list.items[3].q, 0.999, 1e-12);
	assert_int_equal(ts_agg_list_add(&list, "count", &err), TS_EUSAGE);
	assert_string_equal(err.msg, "\"count\" given twice");
	assert_int_equal(ts_agg_list_add(&list, "sum,", &err), TS_EUSAGE);
	assert_string_equal(err.msg, "unknown aggregation \"\" (sum, mean, min, max, count, first, last, median, pNN, uniq:COL; FUNC:COL for a column)");
	assert_int_equal(ts_agg_list_add(&list, "sum:", &err), TS_EUSAGE);
	assert_int_equal(ts_agg_list_add(&list, "uniq", &err), TS_EUSAGE);
	ts_agg_list_free(&list);
	for (int i = 0; i < 32; i++) {
		char item[16];
		snprintf(item, sizeof item, "p%d", i);
		assert_int_equal(ts_agg_list_add(&list, item, &err), 0);
	}
	assert_int_equal(ts_agg_list_add(&list, "sum", &err), TS_EUSAGE);
	assert_string_equal(err.msg, "at most 32 aggregations");
	ts_agg_list_free(&list);
}

/* An event log is counted; a sampled series keeps its first numeric column;
 * y and value are values by name. */
static void test_plan_event_log(void **state)
{
	struct fixture fx;
	struct ts_agg_list aggs;
	struct ts_fill_plan plan;
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "ts,host,status\n2018-01-01T00:01:00Z,a,500\n2018-01-01T00:30:00Z,b,200\n"
		  "2018-01-01T00:02:00Z,b,503\n2018-01-01T00:03:00Z,b,404\n");
	assert_int_equal(ts_dur_parse("10m", &fx.o.interval, &err), 0);
	fx.o.have_interval = true;
	assert_int_equal(plan_for(&fx, "host", NULL, false, &aggs, &plan, &err), 0);
	assert_true(plan.event_log);
	assert_int_equal(fx.roles.value, TS_NO_COL);
	assert_int_equal(plan.ncols, 1);
	assert_string_equal(plan.names[0], "count");
	assert_string_equal(plan.why, "event log: rows counted per bucket into \"count\" (rows share a bucket, and neither -y nor a column y or value names a value; -y status aggregates \"status\" instead)");
	ts_fill_plan_free(&plan);
	/* with -y it is a value */
	assert_int_equal(plan_for(&fx, "host", NULL, true, &aggs, &plan, &err), 0);
	assert_false(plan.event_log);
	assert_int_equal(plan.ncols, 0);
	assert_string_equal(plan.why, "value column \"status\" (-y), --agg sum");
	ts_fill_plan_free(&plan);
	/* one row per 1-minute bucket: a sampled series */
	assert_int_equal(ts_dur_parse("1m", &fx.o.interval, &err), 0);
	assert_int_equal(plan_for(&fx, "host", NULL, false, &aggs, &plan, &err), 0);
	assert_false(plan.event_log);
	assert_int_equal(fx.roles.value, 2);
	ts_fill_plan_free(&plan);
	/* an explicit --agg takes the value */
	assert_int_equal(ts_dur_parse("10m", &fx.o.interval, &err), 0);
	assert_int_equal(plan_for(&fx, "host", "max", false, &aggs, &plan, &err), 0);
	assert_false(plan.event_log);
	assert_int_equal(fx.o.agg.kind, TS_AGG_MAX);
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);
	done(&fx);

	load(&fx, "ts,status,Value\n2018-01-01T00:01:00Z,500,1\n2018-01-01T00:02:00Z,503,2\n");
	assert_int_equal(fx.roles.value, 1);
	assert_int_equal(plan_for(&fx, NULL, NULL, false, &aggs, &plan, &err), 0);
	assert_false(plan.event_log);
	assert_int_equal(fx.roles.value, 2);
	ts_fill_plan_free(&plan);
	done(&fx);
}

/* One column per aggregate, each aggregated and filled on its own. */
static void test_plan_columns(void **state)
{
	struct fixture fx;
	struct ts_agg_list aggs;
	struct ts_fill_plan plan;
	struct ts_err err = { 0 };

	(void)state;
	load(&fx, "ts,user,bytes,y\n2018-01-01T00:01:00Z,ann,10,1\n2018-01-01T00:02:00Z,bob,,3\n"
		  "2018-01-01T00:03:00Z,ann,30,\n2018-01-01T00:25:00Z,cy,5,2\n");
	assert_int_equal(plan_for(&fx, NULL, "count,uniq:user,sum:bytes,mean", false, &aggs, &plan, &err), 0);
	assert_false(plan.event_log);
	assert_int_equal(plan.ncols, 4);
	assert_string_equal(plan.names[0], "count");
	assert_string_equal(plan.names[1], "uniq_user");
	assert_string_equal(plan.names[2], "sum_bytes");
	assert_string_equal(plan.names[3], "mean_y");
	assert_string_equal(plan.why, "aggregates: count, uniq_user, sum_bytes, mean_y");
	assert_int_equal(fx.o.naggs, 4);
	assert_int_equal(fx.o.agg_cols[0], TS_NO_COL);
	assert_int_equal(fx.o.agg_cols[2], 2);
	assert_int_equal(ts_fill_parse("value:-1", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "10m", &err), 0);
	assert_int_equal(fx.g.n, 3);
	assert_int_equal(fx.g.ncols, 4);
	static const double want[4][3] = { { 3, -1, 1 }, { 2, -1, 1 }, { 40, -1, 5 }, { 2, -1, 2 } };
	for (size_t j = 0; j < 4; j++)
		for (size_t k = 0; k < 3; k++)
			assert_near(fx.g.y[j * 3 + k], want[j][k], 1e-12);
	assert_false(fx.g.filled[0]);
	assert_true(fx.g.filled[1]);
	assert_int_equal(fx.st.valued, 2);
	assert_int_equal(fx.st.filled, 1);
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);

	assert_int_equal(plan_for(&fx, NULL, "sum:nope", false, &aggs, &plan, &err), TS_EDATA);
	assert_string_equal(err.msg, "--agg sum: no column \"nope\" (columns: ts, user, bytes, y)");
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);
	assert_int_equal(plan_for(&fx, NULL, "max:y,max", false, &aggs, &plan, &err), TS_EDATA);
	assert_string_equal(err.msg, "--agg: two aggregates named \"max_y\"");
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);
	/* a bad number in an aggregated column is bad input at its line */
	assert_int_equal(plan_for(&fx, NULL, "sum:user", false, &aggs, &plan, &err), 0);
	assert_int_equal(run(&fx, "10m", &err), TS_EINPUT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "bad number \"ann\" in column user");
	ts_fill_plan_free(&plan);
	ts_agg_list_free(&aggs);
	done(&fx);
}

static void test_empty_window_warning(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	struct ts_err warn = { 0 };
	struct ts_tfmt fmt;

	(void)state;
	load(&fx, "ds,y\n2018-01-01 05:00:00,1\n");
	assert_int_equal(ts_time_parse_bound("2018-01-01 00:00:00", 0, TS_EPOCH_AUTO, &fx.o.start, &fmt, &err), 0);
	assert_int_equal(ts_time_parse_bound("2018-01-01 02:00:00", 0, TS_EPOCH_AUTO, &fx.o.end, &fmt, &err), 0);
	fx.o.have_start = fx.o.have_end = true;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_int_equal(fx.st.buckets, 3);
	assert_int_equal(fx.st.valued, 0);
	assert_true(ts_fill_empty_window(&fx.o, "none", &fx.st, &warn));
	assert_string_equal(warn.msg, "no value between --start and --end: 3 buckets, all left empty");
	assert_int_equal(ts_fill_parse("zero", &fx.o.fill, &err), 0);
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_true(ts_fill_empty_window(&fx.o, "zero", &fx.st, &warn));
	assert_string_equal(warn.msg, "no value between --start and --end: 3 buckets, all filled with --fill zero");
	/* a value in the window, or no window: nothing to say */
	fx.o.end = fx.o.end + (ts_time)4 * 3600 * 1000000;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_false(ts_fill_empty_window(&fx.o, "zero", &fx.st, &warn));
	fx.o.have_start = fx.o.have_end = false;
	assert_int_equal(run(&fx, "1h", &err), 0);
	assert_false(ts_fill_empty_window(&fx.o, "zero", &fx.st, &warn));
	done(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_options),
		cmocka_unit_test(test_buckets_and_aggregations),
		cmocka_unit_test(test_fill_methods_and_max_gap),
		cmocka_unit_test(test_window_extends_and_clips),
		cmocka_unit_test(test_now_bounds_keep_complete_buckets),
		cmocka_unit_test(test_raw_events_counted),
		cmocka_unit_test(test_grid_limits_and_errors),
		cmocka_unit_test(test_written_rows),
		cmocka_unit_test(test_agg_lists),
		cmocka_unit_test(test_plan_event_log),
		cmocka_unit_test(test_plan_columns),
		cmocka_unit_test(test_empty_window_warning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
