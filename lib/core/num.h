/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num: numbers read and written the same way whatever the user's locale:
 * missing-value tokens, strict decimal parsing, shortest round-trip output. */
#ifndef TS_NUM_H
#define TS_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TS_NUM_BUFSIZE 32

/* Whether s[0..len) is a missing value: empty, NA, NaN, null, and the
 * rest of pandas.read_csv's default missing words (N/A, None, <NA>, #NA,
 * #N/A, #N/A N/A, -NaN, 1.#IND, -1.#IND, 1.#QNAN, -1.#QNAN), any case,
 * optionally surrounded by spaces or tabs. */
bool ts_num_is_missing(const char *s, size_t len);

/* Parse a decimal number ("12", "-0.5", "+1e-3", ".5", "5.", "inf", "-Infinity")
 * with optional surrounding spaces or tabs, always with '.' as the decimal point.
 * Missing tokens give NAN and success. Returns 0, or -1 when s is not a number
 * (hex, thousands separators, trailing text, a lone sign or point). Values too
 * large become +-HUGE_VAL (inf), like strtod. */
int ts_num_parse(const char *s, size_t len, double *out);

/* Write v so that it reads back to the same double: integers below 2^53 in
 * full ("1527724800000"), otherwise as printf %g would with the fewest of 15,
 * 16 or 17 significant digits that round-trip ("0.1", "-2.5e-07", "1e+20").
 * NAN writes nothing (length 0); infinities write "inf" / "-inf"; -0 writes "-0".
 * buf holds TS_NUM_BUFSIZE bytes; returns the length, NUL-terminated. */
size_t ts_num_format(double v, char *buf);

/* u in decimal, no sign and no leading zeros (at most 20 bytes), at p;
 * returns the end (the text is not NUL-terminated). */
char *ts_num_put_uint(char *p, uint64_t u);

/* v[0..n) as ts_num_format writes them, delim between them, at p; returns
 * the end (the text is not NUL-terminated). A row's numbers in one call:
 * cheaper than a call each. Each number may store up to TS_NUM_BUFSIZE
 * bytes from where it starts, so p needs room for n (TS_NUM_BUFSIZE + 1). */
char *ts_num_put_fields(const double *v, size_t n, char delim, char *p);

/* Whether s[0..8) are all ASCII digits, and if so their value in *value:
 * the eight bytes as one word (the first byte lowest, on any byte order),
 * folded into pairs, fours and the eight with a multiply each. */
static inline bool ts_num_eight_digits(const char *s, uint64_t *value)
{
	uint64_t w = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, s, 8);
#else
	for (int i = 0; i < 8; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
#endif
	/* a digit's high half is 3, and stays 3 with 6 added */
	if (((w & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
	     (((w + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) !=
	    UINT64_C(0x3333333333333333))
		return false;
	w -= UINT64_C(0x3030303030303030);
	w = (w * 10 + (w >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
	w = (w * 100 + (w >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
	*value = (w * 10000 + (w >> 32)) & UINT64_C(0xFFFFFFFF);
	return true;
}

/* A column of numbers that often repeats the row before (bounds constant
 * over a series): the last value and its text, formatted again only when
 * the value changes. Start zeroed. */
struct ts_num_memo {
	bool have;
	uint64_t bits;		/* the last value's bits: -0 and each NaN apart */
	size_t len;
	char text[TS_NUM_BUFSIZE];
};

/* ts_num_format's text of v, from m when v is the last value it saw. */
static inline const char *ts_num_format_memo(struct ts_num_memo *m, double v, size_t *len)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	if (!m->have || bits != m->bits) {
		m->len = ts_num_format(v, m->text);
		m->bits = bits;
		m->have = true;
	}
	*len = m->len;
	return m->text;
}

#endif
