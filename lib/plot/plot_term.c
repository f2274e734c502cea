/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot_term: the terminal backend: a Unicode braille raster (2 x 4 dots per
 * character cell) with ANSI colours, drawn through ts_plot_draw's canvas. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "plot/plot.h"

int ts_braille_init(struct ts_braille *b, size_t cols, size_t rows, struct ts_err *err)
{
	memset(b, 0, sizeof *b);
	if (cols == 0 || rows == 0)
		return ts_err_set(err, TS_EUSAGE, "a terminal plot needs at least one row and column");
	b->dots = ts_calloc(cols, rows);
	b->color = ts_calloc(cols, rows);
	b->text = ts_calloc(cols * rows > 0 ? cols * rows : 1, sizeof *b->text);
	if (b->dots == NULL || b->color == NULL || b->text == NULL || rows > SIZE_MAX / cols) {
		ts_braille_free(b);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	b->cols = cols;
	b->rows = rows;
	return 0;
}

void ts_braille_free(struct ts_braille *b)
{
	free(b->dots);
	free(b->color);
	free(b->text);
	memset(b, 0, sizeof *b);
}

void ts_braille_dot(struct ts_braille *b, long x, long y, uint8_t color)
{
	/* Dot numbering of the Unicode braille block, by column then row. */
	static const uint8_t bit[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };
	size_t cell;

	if (x < 0 || y < 0 || (size_t)x >= b->cols * 2 || (size_t)y >= b->rows * 4)
		return;
	cell = (size_t)y / 4 * b->cols + (size_t)x / 2;
	b->dots[cell] |= bit[y % 4][x % 2];
	b->color[cell] = color;
}

static void line_dots(struct ts_braille *b, long x0, long y0, long x1, long y1, uint8_t color,
		      bool dashed, long *phase)
{
	long dx = labs(x1 - x0), dy = -labs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	long e = dx + dy;

	for (;;) {
		if (!dashed || (*phase / 3) % 2 == 0)
			ts_braille_dot(b, x0, y0, color);
		(*phase)++;
		if (x0 == x1 && y0 == y1)
			break;
		/* Both tests use the error before either step, or the line can
		 * overshoot its end point and never stop. */
		long e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static bool clip_segment(double *x0, double *y0, double *x1, double *y1, double w, double h);

void ts_braille_line(struct ts_braille *b, long x0, long y0, long x1, long y1, uint8_t color)
{
	double cx0 = (double)x0, cy0 = (double)y0, cx1 = (double)x1, cy1 = (double)y1;
	long phase = 0;

	if (clip_segment(&cx0, &cy0, &cx1, &cy1, (double)(b->cols * 2 - 1), (double)(b->rows * 4 - 1)))
		line_dots(b, lround(cx0), lround(cy0), lround(cx1), lround(cy1), color, false, &phase);
}

/* Next code point of UTF-8 s, advancing *s; '?' for a malformed sequence. */
static uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;

	if (n < 0) {
		(*s)++;
		return '?';
	}
	c = n == 0 ? c : c & (0x3F >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s += i;
			return '?';
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	*s += n + 1;
	return c < 0x20 ? '?' : c;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		utf8_next(&s);
		n++;
	}
	return n;
}

void ts_braille_text(struct ts_braille *b, long col, long row, const char *s, uint8_t color)
{
	if (row < 0 || (size_t)row >= b->rows)
		return;
	for (long c = col; *s != '\0'; c++) {
		uint32_t cp = utf8_next(&s);
		if (c >= 0 && (size_t)c < b->cols) {
			size_t cell = (size_t)row * b->cols + (size_t)c;
			b->text[cell] = cp;
			b->color[cell] = color;
		}
	}
}

static void put_utf8(struct ts_buf *out, uint32_t c)
{
	char u[4];

	if (c < 0x80) {
		ts_buf_putc(out, (char)c);
		return;
	}
	if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		ts_buf_put(out, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		ts_buf_put(out, u, 3);
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		ts_buf_put(out, u, 4);
	}
}

void ts_braille_write(const struct ts_braille *b, bool color, struct ts_buf *out)
{
	for (size_t r = 0; r < b->rows; r++) {
		size_t end = b->cols;
		uint8_t cur = 0;

		while (end > 0 && b->text[r * b->cols + end - 1] == 0 && b->dots[r * b->cols + end - 1] == 0)
			end--;
		for (size_t c = 0; c < end; c++) {
			size_t cell = r * b->cols + c;
			bool blank = b->text[cell] == 0 && b->dots[cell] == 0;
			uint8_t want = blank ? cur : b->color[cell];

			if (color && want != cur) {
				char sgr[16];
				snprintf(sgr, sizeof sgr, "\033[%um", (unsigned)want);
				ts_buf_puts(out, sgr);
				cur = want;
			}
			if (b->text[cell] != 0)
				put_utf8(out, b->text[cell]);
			else if (b->dots[cell] != 0)
				put_utf8(out, 0x2800u + b->dots[cell]);
			else
				ts_buf_putc(out, ' ');
		}
		if (color && cur != 0)
			ts_buf_puts(out, "\033[0m");
		ts_buf_putc(out, '\n');
	}
}

/* ---- the canvas ---- */

struct term {
	struct ts_braille *b;
	enum ts_plot_theme theme;
};

/* The nearest of the terminal's 16 colours; the theme's ink and text are the
 * terminal's own foreground (0). */
static uint8_t ansi_of(uint32_t rgb)
{
	static const struct { uint32_t rgb; uint8_t code; } tab[] = {
		{ 0x1A1A1A, 0 }, { 0xE8E8E8, 0 }, { 0x333333, 0 }, { 0xDDDDDD, 0 },
		{ 0x999999, 90 }, { 0x888888, 90 },
		{ 0xD62728, 31 }, { 0x009E73, 32 }, { 0xE69F00, 33 }, { 0x0072B2, 34 },
		{ 0xCC79A7, 35 }, { 0x56B4E9, 36 }, { 0xD55E00, 91 }, { 0xF0E442, 93 },
	};
	uint8_t best = 0;
	long bestd = -1;

	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		long dr = (long)(rgb >> 16 & 0xFF) - (long)(tab[i].rgb >> 16 & 0xFF);
		long dg = (long)(rgb >> 8 & 0xFF) - (long)(tab[i].rgb >> 8 & 0xFF);
		long db = (long)(rgb & 0xFF) - (long)(tab[i].rgb & 0xFF);
		long d = dr * dr + dg * dg + db * db;
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = tab[i].code;
		}
	}
	return best;
}

static void t_rect(void *ctx, double x, double y, double w, double h, uint32_t rgb, double alpha)
{
	(void)ctx, (void)x, (void)y, (void)w, (void)h, (void)rgb, (void)alpha;
}

/* Clip the segment (x0,y0)-(x1,y1) to [0, w] x [0, h] (Liang-Barsky).
 * False when nothing of it is inside or a coordinate is not finite, so the
 * dot-stepping loop never walks far outside the canvas. */
static bool clip_segment(double *x0, double *y0, double *x1, double *y1, double w, double h)
{
	double dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;
	const double p[4] = { -dx, dx, -dy, dy };
	const double q[4] = { *x0, w - *x0, *y0, h - *y0 };

	if (!isfinite(*x0) || !isfinite(*y0) || !isfinite(*x1) || !isfinite(*y1))
		return false;
	for (int k = 0; k < 4; k++) {
		if (p[k] == 0) {
			if (q[k] < 0)
				return false;
			continue;
		}
		double r = q[k] / p[k];
		if (p[k] < 0 && r > t1)
			return false;
		if (p[k] > 0 && r < t0)
			return false;
		if (p[k] < 0 && r > t0)
			t0 = r;
		if (p[k] > 0 && r < t1)
			t1 = r;
	}
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 = *x0 + t0 * dx;
	*y0 = *y0 + t0 * dy;
	return true;
}

static void t_line(void *ctx, const double *x, const double *y, size_t n, uint32_t rgb,
		   double alpha, double width, bool dashed)
{
	struct term *t = ctx;
	const double w = (double)(t->b->cols * 2 - 1), h = (double)(t->b->rows * 4 - 1);
	long phase = 0;

	(void)alpha, (void)width;
	for (size_t i = 1; i < n; i++) {
		double x0 = x[i - 1], y0 = y[i - 1], x1 = x[i], y1 = y[i];
		if (!clip_segment(&x0, &y0, &x1, &y1, w, h))
			continue;
		line_dots(t->b, lround(x0), lround(y0), lround(x1), lround(y1), ansi_of(rgb), dashed,
			  &phase);
	}
}

static void t_band(void *ctx, const double *x, const double *lo, const double *hi, size_t n,
		   uint32_t rgb, double alpha)
{
	t_line(ctx, x, lo, n, rgb, alpha, 1, false);
	t_line(ctx, x, hi, n, rgb, alpha, 1, false);
}

static void t_point(void *ctx, double x, double y, double r, uint32_t rgb)
{
	struct term *t = ctx;
	long cx = lround(x), cy = lround(y), k = (long)floor(r);

	for (long dy = -k; dy <= k; dy++)
		for (long dx = -k; dx <= k; dx++)
			if ((double)(dx * dx + dy * dy) <= r * r)
				ts_braille_dot(t->b, cx + dx, cy + dy, ansi_of(rgb));
}

static void t_text(void *ctx, double x, double y, const char *s, double size, uint32_t rgb, int halign)
{
	struct term *t = ctx;
	long len = (long)utf8_len(s), col;

	(void)size;
	if (halign < 0)
		col = lround(floor(x / 2));
	else if (halign == 0)
		col = lround(floor(x / 2 - (double)len / 2));
	else
		col = lround(ceil(x / 2)) - len;
	ts_braille_text(t->b, col, lround(floor(y / 4)), s, ansi_of(rgb));
}

int ts_plot_term(const struct ts_plot_figure *fig, size_t cols, size_t rows, bool color,
		 enum ts_plot_theme theme, struct ts_buf *out, struct ts_err *err)
{
	struct ts_braille b;
	struct term t = { &b, theme };
	struct ts_plot_canvas cv = {
		.font = 4, .char_w = 2, .px = 0.5, .coarse = true, .theme = theme, .ctx = &t,
		.rect = t_rect, .line = t_line, .band = t_band, .point = t_point, .text = t_text,
	};
	int rc;

	if ((rc = ts_braille_init(&b, cols, rows, err)) != 0)
		return rc;
	cv.width = (double)cols * 2;
	cv.height = (double)rows * 4;
	rc = ts_plot_draw(fig, &cv, err);
	if (rc == 0)
		ts_braille_write(&b, color, out);
	ts_braille_free(&b);
	return rc;
}
