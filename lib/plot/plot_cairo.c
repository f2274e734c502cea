/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot_cairo: the PNG, SVG and PDF backend through cairo. Only ts-plot-csv
 * refers to these symbols, so no other tool pulls cairo in from libts.a. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>

#include "core/mem.h"
#include "plot/plot.h"

static void set_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
	cairo_set_source_rgba(cr, (rgb >> 16 & 0xFF) / 255.0, (rgb >> 8 & 0xFF) / 255.0,
			      (rgb & 0xFF) / 255.0, alpha);
}

static void c_rect(void *ctx, double x, double y, double w, double h, uint32_t rgb, double alpha)
{
	cairo_t *cr = ctx;

	set_rgb(cr, rgb, alpha);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void c_line(void *ctx, const double *x, const double *y, size_t n, uint32_t rgb,
		   double alpha, double width, bool dashed)
{
	cairo_t *cr = ctx;
	double dash[2] = { 5 * width, 3 * width };

	if (n < 2)
		return;
	set_rgb(cr, rgb, alpha);
	cairo_set_line_width(cr, width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x[0], y[0]);
	for (size_t i = 1; i < n; i++)
		cairo_line_to(cr, x[i], y[i]);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void c_band(void *ctx, const double *x, const double *lo, const double *hi, size_t n,
		   uint32_t rgb, double alpha)
{
	cairo_t *cr = ctx;

	if (n == 0)
		return;
	set_rgb(cr, rgb, alpha);
	if (n == 1) {
		cairo_rectangle(cr, x[0] - 1, hi[0], 2, lo[0] - hi[0]);
	} else {
		cairo_move_to(cr, x[0], lo[0]);
		for (size_t i = 1; i < n; i++)
			cairo_line_to(cr, x[i], lo[i]);
		for (size_t i = n; i-- > 0;)
			cairo_line_to(cr, x[i], hi[i]);
		cairo_close_path(cr);
	}
	cairo_fill(cr);
}

static void c_point(void *ctx, double x, double y, double r, uint32_t rgb)
{
	cairo_t *cr = ctx;

	set_rgb(cr, rgb, 1);
	cairo_new_sub_path(cr);
	cairo_arc(cr, x, y, r, 0, 2 * M_PI);
	cairo_fill(cr);
}

static void c_text(void *ctx, double x, double y, const char *s, double size, uint32_t rgb, int halign)
{
	cairo_t *cr = ctx;
	cairo_text_extents_t te;

	set_rgb(cr, rgb, 1);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &te);
	if (halign == 0)
		x -= te.x_advance / 2;
	else if (halign > 0)
		x -= te.x_advance;
	cairo_move_to(cr, x, y + size * 0.36);
	cairo_show_text(cr, s);
	cairo_new_path(cr);
}

static int render(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
		  cairo_surface_t *surface, double scale, struct ts_err *err)
{
	cairo_t *cr = cairo_create(surface);
	struct ts_plot_canvas cv;
	int rc;

	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return ts_err_set(err, TS_ENOMEM, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
	}
	ts_plot_pixel_canvas(size, &cv);
	cv.ctx = cr;
	cv.rect = c_rect;
	cv.line = c_line;
	cv.band = c_band;
	cv.point = c_point;
	cv.text = c_text;
	cairo_scale(cr, scale, scale);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	rc = ts_plot_draw(fig, &cv, err);
	if (rc == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = ts_err_set(err, TS_ENOMEM, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
	cairo_destroy(cr);
	return rc;
}

struct sink {
	int (*write)(void *ctx, const unsigned char *data, size_t len);
	void *ctx;
	bool failed;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;

	if (s->failed || s->write(s->ctx, data, len) != 0) {
		s->failed = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static int size_check(const struct ts_plot_size *size, struct ts_err *err)
{
	if (size->width < 1 || size->height < 1 || size->width > 32767 || size->height > 32767 ||
	    !(size->dpi > 0))
		return ts_err_set(err, TS_EUSAGE, "bad picture size");
	return 0;
}

int ts_plot_cairo_write(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
			enum ts_plot_format fmt, int (*write)(void *ctx, const unsigned char *data, size_t len),
			void *ctx, struct ts_err *err)
{
	struct sink s = { write, ctx, false };
	cairo_surface_t *surface;
	cairo_status_t st, png = CAIRO_STATUS_SUCCESS;
	double pt = 72 / size->dpi;
	int rc;

	if ((rc = size_check(size, err)) != 0)
		return rc;
	if (fmt == TS_PLOT_PNG)
		surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size->width, size->height);
	else if (fmt == TS_PLOT_SVG)
		surface = cairo_svg_surface_create_for_stream(sink_write, &s, size->width * pt,
							      size->height * pt);
	else
		surface = cairo_pdf_surface_create_for_stream(sink_write, &s, size->width * pt,
							      size->height * pt);
	if (fmt == TS_PLOT_PDF)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ts-plot-csv");
	rc = render(fig, size, surface, fmt == TS_PLOT_PNG ? 1 : pt, err);
	if (rc == 0 && fmt == TS_PLOT_PNG)
		png = cairo_surface_write_to_png_stream(surface, sink_write, &s);
	cairo_surface_finish(surface);
	st = png != CAIRO_STATUS_SUCCESS ? png : cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (rc != 0)
		return rc;
	if (s.failed)
		return ts_err_set(err, TS_EIO, "write error");
	if (st != CAIRO_STATUS_SUCCESS)
		return ts_err_set(err, TS_EIO, "cairo: %s", cairo_status_to_string(st));
	return 0;
}

int ts_plot_cairo_pixels(const struct ts_plot_figure *fig, const struct ts_plot_size *size,
			 uint32_t **pixels, struct ts_err *err)
{
	cairo_surface_t *surface;
	uint32_t *px;
	int rc, stride;
	const unsigned char *data;

	*pixels = NULL;
	if ((rc = size_check(size, err)) != 0)
		return rc;
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size->width, size->height);
	if ((rc = render(fig, size, surface, 1, err)) != 0) {
		cairo_surface_destroy(surface);
		return rc;
	}
	cairo_surface_flush(surface);
	px = ts_mallocarray((size_t)size->width * (size_t)size->height, sizeof *px);
	if (px == NULL) {
		cairo_surface_destroy(surface);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	data = cairo_image_surface_get_data(surface);
	stride = cairo_image_surface_get_stride(surface);
	for (int y = 0; y < size->height; y++)
		memcpy(px + (size_t)y * (size_t)size->width, data + (size_t)y * (size_t)stride,
		       (size_t)size->width * sizeof *px);
	cairo_surface_destroy(surface);
	*pixels = px;
	return 0;
}
