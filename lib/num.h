/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num: numbers read and written the same way whatever the user's locale:
 * missing-value tokens, strict decimal parsing, shortest round-trip output. */
#ifndef TS_NUM_H
#define TS_NUM_H

#include <stdbool.h>
#include <stddef.h>

#define TS_NUM_BUFSIZE 32

/* Whether s[0..len) is a missing value: empty, NA, NaN, null (any case),
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

#endif
