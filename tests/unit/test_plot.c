/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_plot: round ticks, SI labels, wall-clock time ticks, the braille
 * rasteriser, and pixels of a known figure rendered through cairo. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "io/frame.h"
#include "plot/plot.h"

/* LeakSanitizer hook: fontconfig, which cairo uses for text, keeps its caches
 * until exit by design; only sanitizer builds ever call this. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\nleak:libcairo\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static void test_ticks(void **state)
{
	double t[16], step;
	size_t n;

	(void)state;
	n = ts_plot_ticks(0, 100, 6, t, &step);
	assert_int_equal(n, 6);
	assert_near(step, 20, 0);
	assert_near(t[0], 0, 0);
	assert_near(t[5], 100, 0);
	n = ts_plot_ticks(-0.3, 0.7, 5, t, &step);
	assert_near(step, 0.2, 1e-12);
	assert_int_equal(n, 5);
	assert_near(t[0], -0.2, 1e-12);
	assert_near(t[1], 0, 0);	/* exactly zero, never -1e-17 */
	n = ts_plot_ticks(5, 5, 5, t, &step);	/* a flat series still gets ticks */
	assert_true(n >= 2);
	n = ts_plot_ticks(1234, 98765, 4, t, &step);
	assert_true(n <= 4 && n >= 2);
	assert_near(step, 20000, 0);
}

/* Ticks are at most max, finite and ascending. */
static void sane_ticks(double lo, double hi, size_t max)
{
	double t[16], step;
	size_t n = ts_plot_ticks(lo, hi, max, t, &step);

	if (n > max || !isfinite(step) || !(step > 0))
		fail_msg("ts_plot_ticks(%g, %g, %zu): %zu ticks, step %g", lo, hi, max, n, step);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(t[i]) || (i > 0 && !(t[i] > t[i - 1])))
			fail_msg("ts_plot_ticks(%g, %g, %zu): tick %zu is %g", lo, hi, max, i, t[i]);
}

/* Found by fuzz_plotaxis: ranges wider than DBL_MAX gave infinite and NaN
 * ticks (and an empty picture), subnormal ones a zero step, and a narrow
 * range far from zero repeated its ticks. */
static void test_ticks_extremes(void **state)
{
	double t[16], step;
	size_t n;

	(void)state;
	sane_ticks(-1.7976931348623157e308, 1.7976931348623157e308, 5);
	sane_ticks(-1.7976931348623157e308, 1.7976931348623157e308, 2);
	sane_ticks(1.7976931348623157e308, 1.7976931348623157e308, 5);
	sane_ticks(-0.0, 4e-323, 5);
	sane_ticks(5e-324, 5e-324, 4);
	sane_ticks(1e17, 1e17 + 64, 10);
	sane_ticks(-1e300, 1e300, 7);
	n = ts_plot_ticks(-1.7e308, 1.7e308, 5, t, &step);
	assert_true(n >= 2);
	assert_near(step, 1e308, 0);
}

static void si(double v, double step, const char *want)
{
	char b[32];

	ts_plot_si(v, step, b);
	if (strcmp(b, want) != 0)
		fail_msg("ts_plot_si(%g, %g) = \"%s\", want \"%s\"", v, step, b, want);
}

static void test_si(void **state)
{
	(void)state;
	si(0, 0.2, "0");
	si(0.4, 0.2, "0.4");
	si(-0.2, 0.2, "-0.2");
	si(1500, 500, "1.5k");
	si(1000, 500, "1k");
	si(2e6, 1e6, "2M");
	si(2.5e9, 5e8, "2.5G");
	si(120, 20, "120");
	si(0.0005, 0.0001, "500u");
	si(0.002, 0.001, "0.002");
	si(2e-6, 1e-6, "2u");
	si(-3000, 1000, "-3k");
	si(1e-18, 0.5, "0");
	si(7, 1, "7");
	/* labels longer than the buffer once ran past it (values about 1e60) */
	si(1e60, 1e59, "1e60");
	si(1.2e60, 1e59, "1.2e60");
	si(-3e60, 1e60, "-3e60");
	si(1.7976931348623157e308, 1e307, "1.8e308");
	si(5e-300, 1e-300, "5e-300");
	si(1e21, 5e20, "1e21");
	si(9.99e20, 1e18, "999E");
	si(0, 1e-300, "0");
	si(3, 1e-300, "3");
	si(1e-13, 0, "1e-13");
	si(5, INFINITY, "5");	/* an infinite step asks for no decimals */
	for (double v = 1e-320; isfinite(v); v *= 7.3) {
		char b[64];
		memset(b, 'x', sizeof b);
		for (double st = 1e-310; st < 1e308; st *= 1e7) {
			size_t len = ts_plot_si(v, st, b);
			assert_true(len < 32 && strlen(b) == len && b[32] == 'x');
			len = ts_plot_si(-v, st, b);
			assert_true(len < 32 && strlen(b) == len && b[32] == 'x');
		}
	}
}

static void test_time_ticks(void **state)
{
	struct ts_zone utc = { .kind = TS_ZONE_UTC }, ny;
	struct ts_err err = { 0 };
	double t[32];
	char lab[32][32];
	size_t n;
	double jan1 = 1514764800;	/* 2018-01-01T00:00:00Z */

	(void)state;
	/* beyond any timestamp (the microseconds would not fit): no ticks */
	assert_int_equal(ts_plot_time_ticks(-1e300, 1e300, &utc, 5, t, lab), 0);
	assert_int_equal(ts_plot_time_ticks(jan1, 5e11, &utc, 5, t, lab), 0);
	n = ts_plot_time_ticks(jan1, jan1 + 9 * 3600, &utc, 5, t, lab);
	assert_int_equal(n, 4);
	assert_string_equal(lab[0], "Jan 01");
	assert_string_equal(lab[1], "03:00");
	assert_near(t[1], jan1 + 3 * 3600, 0);
	n = ts_plot_time_ticks(jan1 + 1800, jan1 + 14 * 86400, &utc, 8, t, lab);
	assert_string_equal(lab[0], "Jan 03 2018");
	assert_string_equal(lab[1], "Jan 05");
	n = ts_plot_time_ticks(jan1, jan1 + 8 * 365.25 * 86400, &utc, 10, t, lab);
	assert_string_equal(lab[0], "2018");
	assert_string_equal(lab[n - 1], "2026");
	n = ts_plot_time_ticks(jan1, jan1 + 300 * 86400, &utc, 6, t, lab);
	assert_string_equal(lab[0], "Jan 2018");
	assert_string_equal(lab[1], "Mar 2018");
	n = ts_plot_time_ticks(jan1, jan1 + 50, &utc, 6, t, lab);
	assert_string_equal(lab[1], "00:00:10");
	/* Wall clock of the zone: midnight in New York is 05:00Z in winter. */
	assert_int_equal(ts_zone_open("America/New_York", &ny, &err), 0);
	n = ts_plot_time_ticks(jan1, jan1 + 2 * 86400, &ny, 3, t, lab);
	assert_near(t[0], jan1 + 5 * 3600, 0);
	assert_string_equal(lab[0], "Jan 01 2018");
	assert_int_equal(ts_plot_time_ticks(1, 0, &utc, 5, t, lab), 0);
}

/* 14 days on a 70-column terminal (140 dots, characters 2 dots wide): a
 * label every other day, on odd days of the month, where the old rule of
 * one label per 13 characters gave two, a week apart. */
static void load_figure(const char *path, struct ts_table *tab, struct ts_plot_figure *fig);

static void test_time_axis(void **state)
{
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	double t[32], t0 = 1526256000, t1 = t0 + 14 * 86400;	/* 2018-05-14 .. 05-28 */
	char lab[32][32];
	size_t n;

	(void)state;
	n = ts_plot_time_axis(t0, t1, &utc, 140, 2, 24, t, lab);
	assert_true(n >= 6);
	assert_string_equal(lab[0], "May 15 2018");
	assert_string_equal(lab[1], "May 17");
	for (size_t i = 0; i < n; i++) {
		assert_near(fmod(t[i], 86400), 0, 0);	/* midnights */
		if (i > 0) {
			double gap = (t[i] - t[i - 1]) / (t1 - t0) * 140;
			assert_true(gap >= ((double)(strlen(lab[i - 1]) + strlen(lab[i])) / 2 + 1) * 2);
		}
	}
	/* A narrower axis: fewer labels, still apart. */
	n = ts_plot_time_axis(t0, t1, &utc, 60, 2, 24, t, lab);
	assert_true(n >= 2 && n <= 4);
	/* A picture 1400 pixels wide with 7.3-pixel characters: a label a day. */
	n = ts_plot_time_axis(t0 + 3600, t1, &utc, 1400, 7.3, 24, t, lab);
	assert_int_equal(n, 14);
	assert_string_equal(lab[1], "May 16");
	/* An empty range: no ticks, no loop. */
	assert_int_equal(ts_plot_time_axis(t0, t0, &utc, 100, 2, 24, t, lab), 1);
	assert_int_equal(ts_plot_time_axis(t1, t0, &utc, 100, 2, 24, t, lab), 0);
}

/* Steps of several days fall on days of the month counted from the 1st:
 * 1, 8, 15, 22 for a week (29 would sit two days before the next 1st). */
static void test_time_ticks_month_days(void **state)
{
	struct ts_zone utc = { .kind = TS_ZONE_UTC };
	double t[32], jan1 = 1514764800;
	char lab[32][32];
	size_t n;

	(void)state;
	n = ts_plot_time_ticks(jan1, jan1 + 89 * 86400, &utc, 14, t, lab);
	assert_int_equal(n, 12);
	assert_string_equal(lab[0], "Jan 01 2018");
	assert_string_equal(lab[1], "Jan 08");
	assert_string_equal(lab[3], "Jan 22");
	assert_string_equal(lab[4], "Feb 01");
	assert_string_equal(lab[11], "Mar 22");
	/* Two weeks: the 1st and the 15th. */
	n = ts_plot_time_ticks(jan1, jan1 + 180 * 86400, &utc, 14, t, lab);
	assert_int_equal(n, 12);
	assert_string_equal(lab[1], "Jan 15");
	assert_string_equal(lab[2], "Feb 01");
	/* Two days: odd days, the 31st left out before the 1st. */
	n = ts_plot_time_ticks(jan1 + 26 * 86400, jan1 + 36 * 86400, &utc, 6, t, lab);
	assert_int_equal(n, 5);
	assert_string_equal(lab[0], "Jan 27 2018");
	assert_string_equal(lab[2], "Feb 01");
}

/* Counts start at 0; a range far above 0 keeps its own scale. */
static void test_value_range(void **state)
{
	double lo, hi, t[16], step;
	size_t n;

	(void)state;
	ts_plot_value_range(0, 200, &lo, &hi);
	assert_true(lo < 0 && lo > -10 && hi >= 200);
	n = ts_plot_ticks(lo, hi, 6, t, &step);
	assert_true(n >= 2);
	assert_near(t[0], 0, 0);
	ts_plot_value_range(40, 200, &lo, &hi);	/* 40 <= 200 / 4 */
	assert_true(lo < 0 && lo > -10);
	ts_plot_value_range(6, 12, &lo, &hi);	/* log-scale views: not from 0 */
	assert_near(lo, 5.7, 1e-12);
	assert_near(hi, 12.3, 1e-12);
	ts_plot_value_range(-20, 50, &lo, &hi);	/* a band below 0 is drawn whole */
	assert_near(lo, -23.5, 1e-12);
	ts_plot_value_range(3, 3, &lo, &hi);
	assert_true(lo < 3 && hi > 3);
}

static void test_parse_last(void **state)
{
	struct ts_plot_opts o = { 0 };

	(void)state;
	assert_int_equal(ts_plot_parse_last("3d", &o), 0);
	assert_int_equal(o.window, TS_PLOT_LAST_DUR);
	assert_true(o.last_dur.us == (ts_time)3 * 86400 * 1000000);
	assert_int_equal(ts_plot_parse_last("24", &o), 0);
	assert_int_equal(o.window, TS_PLOT_LAST_ROWS);
	assert_int_equal(o.last_rows, 24);
	assert_int_equal(ts_plot_parse_last("0", &o), -1);
	assert_int_equal(ts_plot_parse_last("3x", &o), -1);
	assert_int_equal(ts_plot_parse_last("", &o), -1);
	assert_int_equal(o.window, TS_PLOT_LAST_ROWS);	/* unchanged */
}

struct warned {
	int n;
	char msg[sizeof ((struct ts_err *)0)->msg];
};

static void count_warning(void *ctx, const struct ts_err *err)
{
	struct warned *w = ctx;

	w->n++;
	snprintf(w->msg, sizeof w->msg, "%s", err->msg);
}

/* Build the figure of csv (keyed by k when it has such a column). */
static int build_csv(const char *csv, struct ts_plot_opts *o, struct ts_table *tab, struct ts_plot_figure *fig,
		     struct ts_err *err)
{
	struct ts_roles roles;
	struct ts_groups g;
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	int rc;

	assert_non_null(f);
	assert_int_equal(ts_table_read(tab, f, "<test>", 0, err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(tab, NULL, NULL, strncmp(csv, "k,", 2) == 0 ? "k" : NULL, &roles, err),
			 0);
	assert_int_equal(ts_groups_build(tab, &roles, &g, err), 0);
	rc = ts_plot_build(tab, &roles, &g, o, fig, err);
	ts_groups_free(&g);
	return rc;
}

static const struct ts_plot_layer *layer_labelled(const struct ts_plot_panel *p, const char *label)
{
	for (size_t l = 0; l < p->nlayers; l++)
		if (strcmp(p->layers[l].label, label) == 0)
			return &p->layers[l];
	return NULL;
}

/* --last: counted back from the last value, the forecast after it kept;
 * --floor: yhat and its band raised, y left alone. */
static void test_build_window_floor(void **state)
{
	static const char csv[] =
		"ds,y,yhat,yhat_lower,yhat_upper\n"
		"2018-01-01T00:00:00Z,5,4,-3,9\n"
		"2018-01-01T01:00:00Z,-1,2,-5,7\n"
		"2018-01-01T02:00:00Z,6,3,-2,8\n"
		"2018-01-01T03:00:00Z,7,-1,-6,4\n"
		"2018-01-01T04:00:00Z,,5,-1,11\n"
		"2018-01-01T05:00:00Z,,6,0,12\n";
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_opts o = { .components = -1 };
	struct ts_err err = { 0 };
	const struct ts_plot_layer *y, *yhat, *band;

	(void)state;
	assert_int_equal(ts_plot_parse_last("2h", &o), 0);
	o.floor = true;
	o.floor_at = 0;
	assert_int_equal(build_csv(csv, &o, &tab, &fig, &err), 0);
	y = layer_labelled(&fig.cells[0].panels[0], "y");
	yhat = layer_labelled(&fig.cells[0].panels[0], "yhat");
	band = layer_labelled(&fig.cells[0].panels[0], "yhat_lower..yhat_upper");
	assert_non_null(y);
	assert_non_null(yhat);
	assert_non_null(band);
	/* 02:00 and 03:00 (within 2h of the last value at 03:00), then 04:00, 05:00 */
	assert_int_equal(yhat->n, 4);
	assert_near(yhat->x[0], 1514764800 + 2 * 3600, 0);
	assert_near(yhat->y[1], 0, 0);		/* -1 floored */
	assert_near(band->y[1], 0, 0);		/* -6 floored */
	assert_near(band->y2[1], 4, 0);
	assert_near(band->y[3], 0, 0);
	assert_int_equal(y->n, 2);
	ts_plot_free(&fig);
	ts_table_free(&tab);

	/* rows: the last 3 rows up to the last value; y below the floor stays */
	memset(&o, 0, sizeof o);
	o.components = -1;
	assert_int_equal(ts_plot_parse_last("3", &o), 0);
	o.floor = true;
	o.floor_at = 0;
	assert_int_equal(build_csv(csv, &o, &tab, &fig, &err), 0);
	y = layer_labelled(&fig.cells[0].panels[0], "y");
	assert_int_equal(y->n, 3);
	assert_near(y->y[0], -1, 0);
	ts_plot_free(&fig);
	ts_table_free(&tab);
}

/* Forty series, two with an anomaly: the cap and --only-anomalies. */
static void test_build_series_cap(void **state)
{
	struct ts_buf csv = { 0 };
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_opts o = { .components = -1 };
	struct ts_err err = { 0 };
	struct warned w = { 0 };

	(void)state;
	ts_buf_puts(&csv, "k,ds,y,anomaly\n");
	for (int k = 0; k < 40; k++)
		for (int d = 1; d <= 3; d++) {
			char row[64];
			snprintf(row, sizeof row, "s%d,2018-01-0%d,%d,%d\n", k, d, k + d,
				 (k == 7 || k == 30) && d == 2);
			ts_buf_puts(&csv, row);
		}
	ts_buf_putc(&csv, '\0');
	o.warn = count_warning;
	o.warn_ctx = &w;
	assert_int_equal(build_csv(csv.data, &o, &tab, &fig, &err), 0);
	assert_int_equal(fig.nseries, 40);
	assert_int_equal(fig.ncells, TS_PLOT_MAX_SERIES);
	assert_int_equal(fig.nshown, TS_PLOT_MAX_SERIES);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.msg, "drawing the first 25 of 40 series (--max-series N draws more, "
				   "--only-anomalies those with an anomaly)");
	ts_plot_free(&fig);
	ts_table_free(&tab);

	o.only_anomalies = true;
	w.n = 0;
	assert_int_equal(build_csv(csv.data, &o, &tab, &fig, &err), 0);
	assert_int_equal(fig.ncells, 2);
	assert_string_equal(fig.cells[0].title, "s7");
	assert_string_equal(fig.cells[1].title, "s30");
	assert_int_equal(w.n, 0);
	ts_plot_free(&fig);
	ts_table_free(&tab);

	o.max_series = 1;
	assert_int_equal(build_csv(csv.data, &o, &tab, &fig, &err), 0);
	assert_int_equal(fig.ncells, 1);
	assert_string_equal(w.msg, "drawing the first 1 of 2 series with an anomaly (--max-series N draws more)");
	ts_plot_free(&fig);
	ts_table_free(&tab);

	/* the anomalies before the window --last shows: none to draw, and a note */
	o.max_series = 0;
	assert_int_equal(ts_plot_parse_last("1", &o), 0);
	assert_int_equal(build_csv(csv.data, &o, &tab, &fig, &err), 0);
	assert_int_equal(fig.ncells, 0);
	assert_string_equal(fig.note, "no series with an anomaly in the window --last shows");
	{
		struct ts_buf out = { 0 };
		assert_int_equal(ts_plot_term(&fig, 60, 10, false, TS_PLOT_LIGHT, &out, &err), 0);
		ts_buf_putc(&out, '\0');
		assert_non_null(strstr(out.data, "no series with an anomaly"));
		ts_buf_free(&out);
	}
	ts_plot_free(&fig);
	ts_table_free(&tab);
	ts_buf_free(&csv);
}

/* On a terminal the band's edges are dashed and of another colour than the
 * yhat line, in the plot and in the legend. */
static void test_term_band_apart(void **state)
{
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };
	char *legend;

	(void)state;
	load_figure(TS_TEST_DATA "/plot/forecast.csv", &tab, &fig);
	assert_int_equal(ts_plot_term(&fig, 72, 20, true, TS_PLOT_LIGHT, &out, &err), 0);
	ts_buf_putc(&out, '\0');
	legend = strstr(out.data, "yhat_lower..yhat_upper");
	assert_non_null(legend);
	/* the band's glyph in cyan (36), with a gap; yhat's in blue (34), whole */
	assert_non_null(strstr(out.data, "\033[36m\xe2\xa0\xa0\xe2\xa0\xa4 \xe2\xa0\xa0\xe2\xa0\xa4\033[0myhat_lower"));
	assert_non_null(strstr(out.data, "\033[34m\xe2\xa0\xa0\xe2\xa0\xa4\xe2\xa0\xa4\xe2\xa0\xa4\xe2\xa0\xa4\033[0myhat "));
	ts_buf_free(&out);
	ts_plot_free(&fig);
	ts_table_free(&tab);
}

/* Five stacked panels in 30 lines: each at least four lines high. */
static void test_term_panel_rows(void **state)
{
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_canvas cv = { .width = 160, .height = 120, .font = 4, .char_w = 2, .px = 0.5,
				     .coarse = true };
	double x = 1197244800, top, bottom, prev_bottom = -1;	/* 2007-12-10 */

	(void)state;
	load_figure(TS_TEST_DATA "/plot/decompose.csv", &tab, &fig);
	assert_int_equal(fig.cells[0].npanels, 5);
	for (size_t p = 0; p < 5; p++) {
		const struct ts_plot_panel *panel = &fig.cells[0].panels[p];
		double lo = INFINITY, hi = -INFINITY, px;
		for (size_t l = 0; l < panel->nlayers; l++)
			for (size_t i = 0; i < panel->layers[l].n; i++) {
				lo = fmin(lo, panel->layers[l].y[i]);
				hi = fmax(hi, panel->layers[l].y[i]);
			}
		assert_true(ts_plot_locate(&fig, &cv, 0, p, x, hi, &px, &top));
		assert_true(ts_plot_locate(&fig, &cv, 0, p, x, lo, &px, &bottom));
		assert_true(bottom - top >= 13);	/* dots, 4 a line: 2-3 lines before */
		assert_true(floor(top / 4) > floor(prev_bottom / 4));	/* a line of its own */
		prev_bottom = bottom;
	}
	assert_true(prev_bottom < 116);	/* the last line holds the time labels */
	ts_plot_free(&fig);
	ts_table_free(&tab);
}

static void test_braille(void **state)
{
	struct ts_braille b;
	struct ts_err err = { 0 };
	struct ts_buf out = { 0 };

	(void)state;
	assert_int_equal(ts_braille_init(&b, 3, 2, &err), 0);
	ts_braille_dot(&b, 0, 0, 0);			/* dot 1 */
	ts_braille_dot(&b, 1, 3, 0);			/* dot 8 */
	ts_braille_dot(&b, 99, 99, 0);			/* ignored */
	ts_braille_dot(&b, -1, 0, 0);			/* ignored */
	ts_braille_line(&b, 0, 4, 5, 4, 31);		/* row 2, top dots, red */
	ts_braille_text(&b, 2, 0, "é", 0);
	ts_braille_write(&b, false, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "\xe2\xa2\x81 é\n\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\n");
	ts_buf_free(&out);
	ts_braille_write(&b, true, &out);
	ts_buf_putc(&out, '\0');
	assert_string_equal(out.data, "\xe2\xa2\x81 é\n\033[31m\xe2\xa0\x89\xe2\xa0\x89\xe2\xa0\x89\033[0m\n");
	ts_buf_free(&out);
	ts_braille_free(&b);
	assert_int_equal(ts_braille_init(&b, 0, 2, &err), TS_EUSAGE);
}

static void load_figure(const char *path, struct ts_table *tab, struct ts_plot_figure *fig)
{
	struct ts_err err = { 0 };
	struct ts_roles roles;
	struct ts_groups g;
	struct ts_plot_opts o = { .components = -1 };
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(ts_table_read(tab, f, path, 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(tab, NULL, NULL, NULL, &roles, &err), 0);
	assert_int_equal(ts_groups_build(tab, &roles, &g, &err), 0);
	assert_int_equal(ts_plot_build(tab, &roles, &g, &o, fig, &err), 0);
	ts_groups_free(&g);
}

/* The colour at the data point (x, v) of cell 0 panel 0 as r, g, b. */
static void pixel_at(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
		     const uint32_t *px, double x, double v, int rgb[3])
{
	struct ts_plot_canvas cv;
	double fx, fy;
	uint32_t p;

	ts_plot_pixel_canvas(size, &cv);
	assert_true(ts_plot_locate(fig, &cv, 0, 0, x, v, &fx, &fy));
	assert_true(fx >= 0 && fx < size->width && fy >= 0 && fy < size->height);
	p = px[(size_t)fy * (size_t)size->width + (size_t)fx];
	rgb[0] = (int)(p >> 16 & 0xFF);
	rgb[1] = (int)(p >> 8 & 0xFF);
	rgb[2] = (int)(p & 0xFF);
}

/* Every short slope ends on its end point: a line from (18,55) to (20,56)
 * once overshot and ran forever. Each line must set exactly the dots of a
 * connected path, ending at (x1, y1). */
static void test_braille_lines_terminate(void **state)
{
	struct ts_braille b;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_braille_init(&b, 40, 20, &err), 0);
	for (long x0 = 0; x0 < 80; x0 += 3)
		for (long y0 = 0; y0 < 80; y0 += 5)
			for (long dx = -3; dx <= 3; dx++)
				for (long dy = -3; dy <= 3; dy++)
					ts_braille_line(&b, x0, y0, x0 + dx, y0 + dy, 1);
	memset(b.dots, 0, b.cols * b.rows);
	ts_braille_line(&b, 18, 55, 20, 56, 1);
	assert_true(b.dots[56 / 4 * b.cols + 20 / 2] & 0x01);	/* the end point (20, 56) */
	/* Far outside the canvas, or not finite: no dots, no endless walk. */
	ts_braille_line(&b, -1000000000L, 5, 1000000000L, 5, 1);
	ts_braille_free(&b);
}

static void test_pixels(void **state)
{
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_size size = { 600, 400, 100, TS_PLOT_LIGHT };
	struct ts_err err = { 0 };
	uint32_t *px;
	double h = 3600, t0 = 1514764800;	/* tests/data/plot/forecast.csv starts here */
	int c[3];

	(void)state;
	load_figure(TS_TEST_DATA "/plot/forecast.csv", &tab, &fig);
	assert_int_equal(ts_plot_cairo_pixels(&fig, &size, &px, &err), 0);
	/* The band: #0072B2 at alpha 0.2 over white is about (204, 227, 240). */
	pixel_at(&fig, &size, px, t0 + 5.5 * h, 10.2, c);
	assert_true(abs(c[0] - 204) < 12 && abs(c[1] - 227) < 12 && abs(c[2] - 240) < 12);
	/* The yhat line through (05:30, 11.5). */
	pixel_at(&fig, &size, px, t0 + 5.5 * h, 11.5, c);
	assert_true(c[2] > c[0] + 60 && c[0] < 80);
	/* A dark y point at 01:00 = 12. */
	pixel_at(&fig, &size, px, t0 + 1 * h, 12, c);
	assert_true(c[0] < 90 && c[1] < 90 && c[2] < 90);
	/* The red anomaly at 03:00 = 30, and white space beside it. */
	pixel_at(&fig, &size, px, t0 + 3 * h, 30, c);
	assert_true(c[0] > 180 && c[1] < 80 && c[2] < 80);
	pixel_at(&fig, &size, px, t0 + 3.5 * h, 28, c);
	assert_true(c[0] == 255 && c[1] == 255 && c[2] == 255);
	/* The future (no y from 08:00) is lightly shaded grey; the past is white. */
	pixel_at(&fig, &size, px, t0 + 8.5 * h, 27, c);
	assert_true(c[0] > 220 && c[0] < 250 && c[0] == c[1] && c[1] == c[2]);
	pixel_at(&fig, &size, px, t0 + 6.5 * h, 27, c);
	assert_true(c[0] == 255 && c[2] == 255);
	free(px);
	ts_plot_free(&fig);
	ts_table_free(&tab);
}

static int png_sink(void *ctx, const unsigned char *data, size_t len)
{
	ts_buf_put(ctx, data, len);
	return 0;
}

struct reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t png_source(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;

	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static void test_png_reads_back(void **state)
{
	struct ts_table tab = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_size size = { 320, 200, 100, TS_PLOT_DARK };
	struct ts_err err = { 0 };
	struct ts_buf png = { 0 };
	struct reader r;
	cairo_surface_t *s;

	(void)state;
	load_figure(TS_TEST_DATA "/plot/decompose.csv", &tab, &fig);
	assert_int_equal(fig.ncells, 1);
	assert_int_equal(fig.cells[0].npanels, 5);	/* y, trend, seasonal_7, seasonal_365, remainder */
	assert_string_equal(fig.cells[0].panels[1].title, "trend");
	assert_int_equal(ts_plot_cairo_write(&fig, &size, TS_PLOT_PNG, png_sink, &png, &err), 0);
	assert_true(png.len > 8 && memcmp(png.data, "\x89PNG\r\n\x1a\n", 8) == 0);
	r.p = (const unsigned char *)png.data;
	r.left = png.len;
	s = cairo_image_surface_create_from_png_stream(png_source, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), 320);
	assert_int_equal(cairo_image_surface_get_height(s), 200);
	cairo_surface_destroy(s);
	ts_buf_free(&png);
	ts_plot_free(&fig);
	ts_table_free(&tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_ticks_extremes),
		cmocka_unit_test(test_si),
		cmocka_unit_test(test_time_ticks),
		cmocka_unit_test(test_time_axis),
		cmocka_unit_test(test_time_ticks_month_days),
		cmocka_unit_test(test_value_range),
		cmocka_unit_test(test_parse_last),
		cmocka_unit_test(test_build_window_floor),
		cmocka_unit_test(test_build_series_cap),
		cmocka_unit_test(test_term_band_apart),
		cmocka_unit_test(test_term_panel_rows),
		cmocka_unit_test(test_braille),
		cmocka_unit_test(test_braille_lines_terminate),
		cmocka_unit_test(test_pixels),
		cmocka_unit_test(test_png_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
