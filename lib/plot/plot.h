/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot: the picture ts-plot-csv draws, independent of the backend: a figure
 * built from the columns other tools write, its layout, scales and ticks. */
#ifndef TS_PLOT_H
#define TS_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"
#include "io/tstime.h"

/* Colours as 0xRRGGBB. */
#define TS_PLOT_BLUE   0x0072B2u	/* yhat, its band */
#define TS_PLOT_SKY    0x56B4E9u	/* a band's edges in the terminal, apart from yhat */
#define TS_PLOT_RED    0xD62728u	/* anomalies */
#define TS_PLOT_INK    0x1000000u	/* the theme's foreground (y points) */

enum ts_plot_kind {
	TS_PLOT_POINTS,		/* y: dots of radius size */
	TS_PLOT_LINE,		/* y: a line of width size, broken at missing values */
	TS_PLOT_BAND,		/* y..y2: a filled band */
	TS_PLOT_DBAND,		/* y..y2: a band drawn as two dashed edges */
	TS_PLOT_SPAN		/* x[0]..x[1]: a shaded stretch of time (the future) */
};

/* One thing drawn in a panel. x is seconds since the epoch; the layer owns x, y, y2. */
struct ts_plot_layer {
	enum ts_plot_kind kind;
	size_t n;
	double *x, *y, *y2;
	uint32_t rgb;
	double alpha;		/* 0..1 */
	double size;		/* point radius or line width, in pixels at 100 dpi */
	bool anomaly;		/* drawn over everything else */
	char label[64];		/* legend entry, "" for none */
};

/* A plot area with its own y scale. */
struct ts_plot_panel {
	char title[128];	/* "" for none (above the panel, left) */
	struct ts_plot_layer *layers;
	size_t nlayers, cap;
	bool has_base;		/* the axis starts at base when no value is below it */
	double base;		/* (--floor's value on the main panel) */
};

/* A stack of panels sharing one time axis: one series (or all, overlaid). */
struct ts_plot_cell {
	char title[128];
	struct ts_plot_panel *panels;
	size_t npanels;
};

enum ts_plot_theme { TS_PLOT_LIGHT, TS_PLOT_DARK };

struct ts_plot_figure {
	char title[256];
	struct ts_plot_cell *cells;
	size_t ncells;
	struct ts_zone zone;	/* wall clock of the time axis */
	bool legend;
	size_t skipped;		/* rows skip_bad left out */
	size_t nseries;		/* series in the input */
	size_t nshown;		/* series drawn (max_series, only_anomalies) */
	char note[128];		/* drawn in place of the cells when there are none, or "" */
};

/* Which rows of each series a picture shows (--last): all, the last n rows
 * with a value, or those within a duration of the last value; the rows after
 * the last value (a forecast) always. */
enum ts_plot_window { TS_PLOT_ALL, TS_PLOT_LAST_ROWS, TS_PLOT_LAST_DUR };

/* The default cap on the series a -k picture draws. */
#define TS_PLOT_MAX_SERIES 25

/* What to draw, from the command line. */
struct ts_plot_opts {
	const char *columns;	/* -c: comma-separated extra columns drawn as lines, or NULL */
	int components;		/* 1 stacked panels, 0 never, -1 when the columns say so */
	bool overlay;		/* many series in one panel */
	const char *title;	/* NULL: "KEY: VALUE" or the value column */
	enum ts_epoch epoch;
	const struct ts_zone *zone;	/* --tz or NULL */
	bool skip_bad;			/* leave out rows with a bad time or value */
	enum ts_plot_window window;	/* --last */
	size_t last_rows;		/* TS_PLOT_LAST_ROWS */
	struct ts_dur last_dur;		/* TS_PLOT_LAST_DUR */
	bool floor;			/* raise yhat and the bands to floor_at */
	double floor_at;
	size_t max_series;		/* draw at most this many series; 0: TS_PLOT_MAX_SERIES */
	bool only_anomalies;		/* draw only series with anomaly == 1 in the window */
	/* Called for each row skip_bad leaves out and for the series max_series
	 * leaves out (message in err, location set), or NULL. */
	void (*warn)(void *ctx, const struct ts_err *err);
	void *warn_ctx;
};

/* Build the figure for the rows of each group of t, recognising columns by
 * name (DESIGN.md): y points, yhat line and yhat_lower..yhat_upper band, the
 * future (empty y after the last value) shaded, anomaly == 1 in red, ts-detect
 * lower..upper as a dashed band when there is no yhat band, trend / seasonal*
 * / remainder as stacked panels, -c columns as lines. Each series is cut to
 * o->window; with o->floor, yhat, expected and both bands are raised to
 * o->floor_at. With o->only_anomalies only the series with an anomaly in
 * their window are drawn (none: no cells, and fig->note says so); at most
 * o->max_series are, in input order, and o->warn hears how many were left out
 * ("drawing the first 25 of 1000 series (--max-series N draws more, ...)").
 * Errors: TS_EDATA "-c: no column \"X\" (columns: ...)" and "-c: \"X\" is
 * the time column", "--only-anomalies: no column \"anomaly\" (...)",
 * TS_EUSAGE "-c: at most 16 columns", ts_table_number's errors for the
 * columns drawn, with file and line, ts_series_load's errors; TS_EDATA
 * "nothing to draw: no rows with a timestamp". On error fig is freed. */
int ts_plot_build(const struct ts_table *t, const struct ts_roles *roles,
		  const struct ts_groups *g, const struct ts_plot_opts *o,
		  struct ts_plot_figure *fig, struct ts_err *err);

void ts_plot_free(struct ts_plot_figure *fig);

/* --last N|DUR into o (window, last_rows or last_dur), as ts-detect reads it:
 * a count of at least 1 or a duration. Returns 0, or -1 (o unchanged). */
int ts_plot_parse_last(const char *s, struct ts_plot_opts *o);

/* Round ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, at
 * most max ticks (>= 2) inside the range. Writes the ticks to out (room for
 * max + 1) and the step to *step; returns the count. lo == hi widens the range. */
size_t ts_plot_ticks(double lo, double hi, size_t max, double *out, double *step);

/* Write v for an axis whose ticks are step apart, with an SI suffix from
 * k to E above 1000 and m, u, n below 0.001 ("1.5k", "200M", "0.25", "5m"),
 * with as many decimals as step needs and no more (at most 17); from 1e21
 * and below 1e-12 in exponent form with the digits step needs ("1.2e60",
 * "5e-300"). buf holds 32 bytes, never overrun; returns the length. */
size_t ts_plot_si(double v, double step, char *buf);

/* Time ticks for [t0, t1] (seconds since the epoch) in zone's wall clock: the
 * largest of 1s..30s, 1m..30m, 1h..12h, 1d, 2d, 1w, 1mo, 3mo, 6mo, 1y, 2y, 5y,
 * 10y... steps giving at most max ticks, on round wall-clock boundaries.
 * Labels (32 bytes each) read "14:30", "Mar 05", "Mar 2018", "2018", with
 * the date where a sub-day axis crosses midnight. Returns the count (<= max);
 * 0 for a range that is empty, not finite, or beyond 4e11 seconds from
 * 1970 (no timestamp the tools read is). */
size_t ts_plot_time_ticks(double t0, double t1, const struct ts_zone *zone, size_t max,
			  double *out, char (*labels)[32]);

/* The densest of ts_plot_time_ticks' tick sets for [t0, t1] whose labels,
 * centred on their ticks along an axis width units long, keep at least one
 * character (char_w units) between neighbours; the first label is taken as
 * long as the second (a year it carries may cost the second its place). At most max ticks
 * (out and labels hold max + 1); returns the count, 0 as ts_plot_time_ticks. */
size_t ts_plot_time_axis(double t0, double t1, const struct ts_zone *zone, double width, double char_w,
			 size_t max, double *out, char (*labels)[32]);

/* The value range a panel's axis spans for data in [lo, hi]: padded 5% each
 * way; when 0 <= lo <= hi / 4 (counts), from just below 0, so the lowest
 * tick is 0 and zeros stay off the axis line. */
void ts_plot_value_range(double lo, double hi, double *axis_lo, double *axis_hi);

/* Drawing primitives a backend provides, in its own units (pixels, or braille
 * dots for the terminal), y growing downwards. */
struct ts_plot_canvas {
	double width, height;
	double font;		/* text height */
	double char_w;		/* average character advance */
	double px;		/* one pixel at 100 dpi */
	bool coarse;		/* terminal: no grid, shading or dashes */
	enum ts_plot_theme theme;
	void *ctx;
	void (*rect)(void *ctx, double x, double y, double w, double h, uint32_t rgb, double alpha);
	void (*line)(void *ctx, const double *x, const double *y, size_t n, uint32_t rgb,
		     double alpha, double width, bool dashed);
	void (*band)(void *ctx, const double *x, const double *lo, const double *hi, size_t n,
		     uint32_t rgb, double alpha);
	void (*point)(void *ctx, double x, double y, double r, uint32_t rgb);
	/* halign -1 left, 0 centre, 1 right of x; y is the text's vertical middle. */
	void (*text)(void *ctx, double x, double y, const char *s, double size, uint32_t rgb,
		     int halign);
};

/* Lay out and draw fig on cv. Returns 0, or TS_ENOMEM. */
int ts_plot_draw(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, struct ts_err *err);

/* A braille raster: cols x rows cells of 2 x 4 dots, each cell one colour
 * (the last dot set in it wins), plus text cells that replace dots. */
struct ts_braille {
	size_t cols, rows;
	uint8_t *dots;		/* cols * rows bit masks */
	uint8_t *color;		/* ANSI colour per cell: 0 default, 30..37, 90..97 */
	uint32_t *text;		/* a code point per cell, 0 for none */
};

int ts_braille_init(struct ts_braille *b, size_t cols, size_t rows, struct ts_err *err);
void ts_braille_free(struct ts_braille *b);
/* Set the dot at (x, y) (dots, 0..2*cols-1, 0..4*rows-1); outside is ignored. */
void ts_braille_dot(struct ts_braille *b, long x, long y, uint8_t color);
/* A straight line of dots from (x0, y0) to (x1, y1) (Bresenham). */
void ts_braille_line(struct ts_braille *b, long x0, long y0, long x1, long y1, uint8_t color);
/* Put UTF-8 s into the text layer starting at cell (col, row); clipped. */
void ts_braille_text(struct ts_braille *b, long col, long row, const char *s, uint8_t color);
/* Append the raster as rows of UTF-8 text, each ending in "\n", with ANSI SGR
 * colours when color is true (reset at each row's end); empty cells are spaces. */
void ts_braille_write(const struct ts_braille *b, bool color, struct ts_buf *out);

/* Draw fig as a cols x rows terminal picture into out. */
int ts_plot_term(const struct ts_plot_figure *fig, size_t cols, size_t rows, bool color,
		 enum ts_plot_theme theme, struct ts_buf *out, struct ts_err *err);

enum ts_plot_format { TS_PLOT_PNG, TS_PLOT_SVG, TS_PLOT_PDF };

/* Cairo backend (lib/plot/plot_cairo.c, linked by ts-plot-csv alone). */
struct ts_plot_size {
	int width, height;	/* pixels */
	double dpi;		/* text and lines scale with dpi / 100; SVG/PDF are
				 * width * 72 / dpi points wide */
	enum ts_plot_theme theme;
};

/* The canvas metrics of a picture of size (for ts_plot_locate); no drawing
 * functions are set. */
void ts_plot_pixel_canvas(const struct ts_plot_size *size, struct ts_plot_canvas *cv);

/* Render fig in format fmt and pass the bytes to write (which returns 0, or
 * nonzero to stop: the result is then TS_EIO). */
int ts_plot_cairo_write(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
			enum ts_plot_format fmt, int (*write)(void *ctx, const unsigned char *data, size_t len),
			void *ctx, struct ts_err *err);

/* Render fig to a malloc'd array of width * height pixels 0xAARRGGBB
 * (premultiplied, as cairo's ARGB32), rows top to bottom; the caller frees it. */
int ts_plot_cairo_pixels(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
			 uint32_t **pixels, struct ts_err *err);

/* Where fig's data lands in a picture of size: the pixel x of time x (seconds)
 * and y of value v in panel pi of cell ci, as ts_plot_draw lays them out. For
 * tests. Returns false when there is no such panel. */
bool ts_plot_locate(const struct ts_plot_figure *fig, const struct ts_plot_canvas *cv, size_t ci,
		    size_t pi, double x, double v, double *px, double *py);

#endif
