/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_num: accepted and rejected number forms, correct rounding, shortest
 * round-trip output, a decimal-comma locale and concurrent callers. */
#include "testutil.h"

#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

/* Fail unless a and b are the same double, bit for bit (-0 is not 0). */
#define assert_same_double(a, b) ts_assert_same_at((a), (b), __FILE__, __LINE__)

static void ts_assert_same_at(double a, double b, const char *file, int line)
{
	if (memcmp(&a, &b, sizeof a) != 0) {
		print_error("%.17g (%a) is not bit-identical to %.17g (%a)\n", a, a, b, b);
		_fail(file, line);
	}
}

static double parse_ok(const char *s)
{
	double v = 0;

	if (ts_num_parse(s, strlen(s), &v) != 0)
		fail_msg("'%s' was rejected", s);
	return v;
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static double bits_to_double(uint64_t bits)
{
	double v;

	memcpy(&v, &bits, sizeof v);
	return v;
}

static void test_parse_accepts(void **state)
{
	static const struct {
		const char *text;
		double value;
	} cases[] = {
		{ "12", 12 },
		{ "-0.5", -0.5 },
		{ "+1e-3", 1e-3 },
		{ ".5", 0.5 },
		{ "5.", 5 },
		{ "-.25", -0.25 },
		{ "0", 0 },
		{ "-0", -0.0 },
		{ "+0.0", 0 },
		{ "-0.0e10", -0.0 },
		{ "0e999999999999999999999", 0 },
		{ "007", 7 },
		{ "12.5", 12.5 },
		{ "1527724800", 1527724800 },
		{ "1527724800000", 1527724800000 },
		{ "1E5", 1e5 },
		{ "1e+5", 1e5 },
		{ "2.5e-07", 2.5e-7 },
		{ "1e22", 1e22 },
		{ "1e23", 1e23 },
		{ "1e-22", 1e-22 },
		{ "1e-23", 1e-23 },
		{ "0.1", 0.1 },
		{ "0.3", 0.3 },
		{ "123456789012345678", 123456789012345678.0 },
		{ "9007199254740993", 9007199254740992.0 },	/* tie, to even */
		{ "9007199254740995", 9007199254740996.0 },	/* tie, to even */
		{ "1.7976931348623157e308", DBL_MAX },
		{ "2.2250738585072014e-308", DBL_MIN },
		{ "4.9406564584124654e-324", 4.9406564584124654e-324 },
		{ "5e-324", 4.9406564584124654e-324 },
		{ "2e-324", 0 },			/* below half the smallest subnormal */
		{ "3e-324", 4.9406564584124654e-324 },
		{ "1e-400", 0 },
		{ "-1e-400", -0.0 },
		{ "1e400", HUGE_VAL },
		{ "-1e400", -HUGE_VAL },
		{ "1e99999999999999999999", HUGE_VAL },
		{ "0.000000000000000000000000000001e30", 1 },
		{ "100000000000000000000000000000e-28", 10 },
		{ "0.1000000000000000055511151231257827021181583404541015625", 0.1 },
		{ "3.14159265358979323846264338327950288", 3.14159265358979323846 },
		{ " 12", 12 },
		{ "12 ", 12 },
		{ "\t-3.5\t ", -3.5 },
		{ "  1e3  ", 1000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_same_double(parse_ok(cases[i].text), cases[i].value);
}

static void test_parse_rejects(void **state)
{
	static const char *const cases[] = {
		"0x10", "0x1p3", "0X1.8p1", "1,5", "1 000", "12abc", "+", "-", ".",
		"+.", "-.e1", "e5", "E5", "--1", "+-1", "-+1", "1e", "1e+", "1e-",
		"1.2.3", "1..2", "1e5.5", "1e5e5", "abc", "N A", "nulls", "nann", "+nan",
		"+NA", "-null", "1.#", "#N/A N", "in", "infin", "infinit", "infinityy",
		/* "-nan" is missing (pandas writes it), not a number */
		"-inff", "++inf", "1_000", "1'000", "\xd9\xab", "1\xc2\xa0", "12\n",
		"\n12", "\xd9\xa1\xd9\xa2", "1e5 1", "1 .5", "1. 5", "- 1", "1 e5",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double v = 42;

		if (ts_num_parse(cases[i], strlen(cases[i]), &v) != -1)
			fail_msg("'%s' was accepted as %g", cases[i], v);
	}
}

static void test_parse_missing(void **state)
{
	static const char *const missing[] = {
		"", " ", "\t", "NA", "na", "nA", "NaN", "nan", "NAN", "null", "NULL",
		"Null", " NA ", "\tnan\t", "  null",
		/* pandas.read_csv's default na_values */
		"N/A", "n/a", "None", "NONE", "<NA>", "#NA", "#N/A", "#N/A N/A", "-NaN", "-nan",
		"1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN", " #N/A ",
	};
	static const char *const present[] = {
		"0", "N", "n a", "nil", "-", "inf", "nanx", "nu ll", "NA1", "+nan", "1.#", "#N/A N",
		"<NA", "n/", "-1.#in", "nonee", "#n/a n/a n/a",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		double v = 42;

		assert_true(ts_num_is_missing(missing[i], strlen(missing[i])));
		assert_int_equal(ts_num_parse(missing[i], strlen(missing[i]), &v), 0);
		assert_true(isnan(v));
	}
	for (i = 0; i < sizeof present / sizeof present[0]; i++)
		if (ts_num_is_missing(present[i], strlen(present[i])))
			fail_msg("'%s' taken for a missing value", present[i]);
}

static void test_parse_infinities(void **state)
{
	static const struct {
		const char *text;
		double value;
	} cases[] = {
		{ "inf", HUGE_VAL }, { "+inf", HUGE_VAL }, { "-inf", -HUGE_VAL },
		{ "Inf", HUGE_VAL }, { "INF", HUGE_VAL }, { "-INF", -HUGE_VAL },
		{ "infinity", HUGE_VAL }, { "Infinity", HUGE_VAL },
		{ "-Infinity", -HUGE_VAL }, { "+INFINITY", HUGE_VAL },
		{ " -inf\t", -HUGE_VAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_same_double(parse_ok(cases[i].text), cases[i].value);
}

/* The parser reads s[0..len) only: fields come unterminated out of CSV buffers. */
static void test_parse_unterminated(void **state)
{
	char digits[2000];
	double v;

	(void)state;
	assert_int_equal(ts_num_parse("12.5e1xyz", 4, &v), 0);
	assert_same_double(v, 12.5);
	assert_int_equal(ts_num_parse("NA,3", 2, &v), 0);
	assert_true(isnan(v));
	assert_int_equal(ts_num_parse("-inf1", 4, &v), 0);
	assert_same_double(v, -HUGE_VAL);
	assert_int_equal(ts_num_parse("12345678901234567890123,", 23, &v), 0);
	assert_same_double(v, 12345678901234567890123.0);
	assert_int_equal(ts_num_parse("1e", 1, &v), 0);
	assert_same_double(v, 1);
	assert_int_equal(ts_num_parse("1.5", 2, &v), 0);
	assert_same_double(v, 1);

	/* Slow path on a buffer with no terminator anywhere. */
	memset(digits, '7', sizeof digits);
	assert_int_equal(ts_num_parse(digits, 300, &v), 0);
	digits[300] = '\0';
	assert_same_double(v, strtod(digits, NULL));
}

/*
 * Digits past what strtod is given must still decide ties: 2^53 + 1 is a
 * midpoint, so the smallest nonzero tail, however far out, rounds it up.
 */
static void test_parse_long_inputs(void **state)
{
	static const char head[] = "9007199254740993.";
	size_t zeros[] = { 10, 700, 767, 800, 801, 2000, 100000 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof zeros / sizeof zeros[0]; i++) {
		size_t len = strlen(head) + zeros[i] + 1;
		char *s = malloc(len + 1);
		double v;

		assert_non_null(s);
		memcpy(s, head, strlen(head));
		memset(s + strlen(head), '0', zeros[i]);
		s[len - 1] = '1';
		s[len] = '\0';
		assert_int_equal(ts_num_parse(s, len, &v), 0);
		assert_same_double(v, 9007199254740994.0);
		s[len - 1] = '0';
		assert_int_equal(ts_num_parse(s, len, &v), 0);
		assert_same_double(v, 9007199254740992.0);
		free(s);
	}
}

/* Random decimal texts, short and long, must read exactly as glibc strtod reads them. */
static void test_parse_matches_strtod(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	char text[80];
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		uint64_t r = xorshift64(&seed);
		int ndig = 1 + (int)(r % 25), point = (int)((r >> 8) % (uint64_t)(ndig + 1));
		int exp10 = (int)((r >> 16) % 660) - 340;
		size_t n = 0;
		int k;
		double ours;

		if (r & (1u << 30))
			text[n++] = '-';
		for (k = 0; k < ndig; k++) {
			if (k == point)
				text[n++] = '.';
			text[n++] = (char)('0' + xorshift64(&seed) % 10);
		}
		if ((r >> 32) % 4 != 0)
			n += (size_t)snprintf(text + n, sizeof text - n, "e%d", exp10);
		text[n] = '\0';
		if (ts_num_parse(text, n, &ours) != 0)
			fail_msg("'%s' was rejected", text);
		assert_same_double(ours, strtod(text, NULL));
	}
}

/* Doubles of every magnitude as a program prints them (16 and 17 digits, the
 * texts the 128-bit product reads) and the midpoints between neighbours
 * (ties and near-ties, which it leaves to strtod) must read as strtod does. */
static void test_parse_printed_doubles(void **state)
{
	uint64_t seed = 0x2545f4914f6cdd1du;
	char text[64];

	(void)state;
	for (int i = 0; i < 200000; i++) {
		double v = bits_to_double(xorshift64(&seed)), ours;
		if (!isfinite(v))
			continue;
		const int digits[3] = { 15, 16, 17 };
		for (int k = 0; k < 3; k++) {
			int n = snprintf(text, sizeof text, "%.*g", digits[k], v);
			if (ts_num_parse(text, (size_t)n, &ours) != 0)
				fail_msg("'%s' was rejected", text);
			assert_same_double(ours, strtod(text, NULL));
		}
		long double mid = ((long double)v + (long double)nextafter(v, INFINITY)) / 2;
		int n = snprintf(text, sizeof text, "%.19Lg", mid);
		if (ts_num_parse(text, (size_t)n, &ours) != 0)
			fail_msg("'%s' was rejected", text);
		assert_same_double(ours, strtod(text, NULL));
	}
	/* the edges: largest, smallest normal, subnormal, 2^53 + 1, 1e23 */
	const char *edge[] = { "1.7976931348623157e308", "1.7976931348623158e308", "2.2250738585072014e-308",
			       "2.2250738585072011e-308", "4.9406564584124654e-324", "9007199254740993",
			       "1e23", "8.98846567431158e307", "9999999999999999999", "1.0000000000000000",
			       "0.30000000000000004", "123456789012345678e-360" };
	for (size_t k = 0; k < sizeof edge / sizeof *edge; k++)
		assert_same_double(parse_ok(edge[k]), strtod(edge[k], NULL));
}

/* The plain shapes ([-]digits[.digits]) have a path of their own, exact
 * division up to 15 digits and the 128-bit product up to 19 significant
 * ones: it must agree with strtod at and around both bounds, with leading
 * zeros that do not count and mantissas of zero. */
static void test_parse_plain_shapes(void **state)
{
	static const char *const texts[] = {
		"0", "-0", "0.000", "-0.0", "5.", ".5", "-.5", "33.00", "-17.25",
		"123456789012345", "12345678901234.5", "0.12345678901234", "000000000000001.5",
		"1234567890123456", "0.000000000000001", "0.0000000000000001", "999999999999999",
		"9007199254740993", "0.1", "0.3", "2.675", "1.005",
		"268.8040954375268", "-267.06113287048030", "1234567890123456789",
		"12345678901234567890", "0.0000000000000000001234567890123456789",
		"-0.0000000000000000000", "00000000000000000000000001.5", "18446744073709551615",
		"18446744073709551616", "9999999999999999999.5",
	};
	uint64_t seed = 0x2545f4914f6cdd1du;
	char text[40];

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_same_double(parse_ok(texts[i]), strtod(texts[i], NULL));
	for (int i = 0; i < 300000; i++) {
		uint64_t r = xorshift64(&seed);
		int ndig = 1 + (int)(r % 22), point = (int)((r >> 8) % (uint64_t)(ndig + 2)) - 1;
		size_t n = 0;

		if (r & (1u << 20))
			text[n++] = '-';
		for (int k = 0; k < ndig; k++) {
			if (k == point)
				text[n++] = '.';
			text[n++] = (char)('0' + xorshift64(&seed) % 10);
		}
		text[n] = '\0';
		assert_same_double(parse_ok(text), strtod(text, NULL));
	}
}

static void check_format(double v, const char *want)
{
	char buf[TS_NUM_BUFSIZE];
	size_t len = ts_num_format(v, buf);

	if (strcmp(buf, want) != 0 || len != strlen(want))
		fail_msg("%a formatted as '%s' (length %zu), want '%s'", v, buf, len, want);
}

static void test_format(void **state)
{
	(void)state;
	check_format(0.1, "0.1");
	check_format(12.5, "12.5");
	check_format(-2.5e-7, "-2.5e-07");
	check_format(2.5e-7, "2.5e-07");
	check_format(1e20, "1e+20");
	check_format(1e-5, "1e-05");
	check_format(0.0001, "0.0001");
	check_format(1e15 + 0.5, "1000000000000000.5");
	check_format(3, "3");
	check_format(-3, "-3");
	check_format(0.0, "0");
	check_format(-0.0, "-0");
	check_format(1527724800, "1527724800");
	check_format(1527724800000, "1527724800000");
	check_format(9007199254740991.0, "9007199254740991");
	check_format(-9007199254740991.0, "-9007199254740991");
	check_format(9007199254740992.0, "9007199254740992");
	check_format(9007199254740994.0, "9007199254740994");
	check_format(1e15, "1000000000000000");
	check_format(1527724800000000.0, "1527724800000000");
	check_format(123456789012345678.0, "1.2345678901234568e+17");
	check_format(1e100, "1e+100");
	check_format(1.0 / 3, "0.3333333333333333");
	check_format(2.0 / 3, "0.6666666666666666");
	check_format(0.1 + 0.2, "0.30000000000000004");
	check_format(DBL_MAX, "1.7976931348623157e+308");
	check_format(-DBL_MAX, "-1.7976931348623157e+308");
	check_format(DBL_MIN, "2.2250738585072014e-308");
	check_format(4.9406564584124654e-324, "5e-324");
	check_format(-4.9406564584124654e-324, "-5e-324");
	check_format(HUGE_VAL, "inf");
	check_format(-HUGE_VAL, "-inf");
	check_format(NAN, "");
}

static void round_trip(double v)
{
	char buf[TS_NUM_BUFSIZE];
	size_t len = ts_num_format(v, buf);
	double back = 42;

	assert_int_equal(len, strlen(buf));
	if (ts_num_parse(buf, len, &back) != 0)
		fail_msg("%a formatted as '%s', which does not parse", v, buf);
	assert_same_double(back, v);
}

static void test_round_trip(void **state)
{
	static const double values[] = {
		0.1, 1.0 / 3, 1e-300, 4.9406564584124654e-324, DBL_MAX, -0.0, 0.0,
		9007199254740994.0, 123456789012345678.0, DBL_MIN, -DBL_MIN,
		DBL_MIN - 4.9406564584124654e-324, 2.2250738585072011e-308,
		1e23, 5e-310, HUGE_VAL, -HUGE_VAL, 0.1 + 0.2, 1e16, 1e21, 1e22,
		1.5e300, 8.41e21, 5e-7, 1e-7,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		round_trip(values[i]);
}

static void test_round_trip_random(void **state)
{
	uint64_t seed = 88172645463325252u;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		double v = bits_to_double(xorshift64(&seed));

		if (!isnan(v))
			round_trip(v);
	}
}

/*
 * The plain definition: integers below 2^53 in full (so 16-digit timestamps
 * keep all their digits where %.15g would write 1.5277248e+15), else
 * %.{15,16,17}g, the first that strtod reads back as v.
 */
static void reference_format(double v, char *buf, size_t size)
{
	int prec;

	if (fabs(v) < 9007199254740992.0 && v == trunc(v)) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	for (prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void check_like_reference(double v)
{
	char want[64];

	if (v == 0 || isnan(v) || isinf(v))
		return;
	reference_format(v, want, sizeof want);
	check_format(v, want);
}

/* The printf-free paths print exactly what printf would. */
static void test_format_matches_printf(void **state)
{
	uint64_t seed = 0x853c49e6748fea9bu;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++)
		check_like_reference(bits_to_double(xorshift64(&seed)));
	for (i = 0; i < 100000; i++) {
		uint64_t r = xorshift64(&seed);
		int ndig = 1 + (int)(r % 17), exp10 = (int)((r >> 8) % 80) - 40;
		char text[64];
		size_t n = 0;
		int k;

		for (k = 0; k < ndig; k++)
			text[n++] = (char)('0' + xorshift64(&seed) % 10);
		n += (size_t)snprintf(text + n, sizeof text - n, "e%d", exp10);
		check_like_reference(parse_ok(text));
		check_like_reference(-parse_ok(text));
	}
	for (i = -30; i <= 40; i++) {
		check_like_reference(pow(10, i));
		check_like_reference(nextafter(pow(10, i), 0));
		check_like_reference(nextafter(pow(10, i), HUGE_VAL));
		check_like_reference(9.5 * pow(10, i));
		check_like_reference(0.99999999999999989 * pow(10, i));
	}
}

/*
 * Where the formatter's decisions are hardest, all checked against the plain
 * definition: every power of two (whose rounding interval is narrower below,
 * so the nearest 16-digit decimal can miss it while a farther one hits) and
 * its neighbours, the smallest and the largest subnormals, significands with
 * few bits at every exponent (products with powers of ten that come out
 * exact), and the neighbours of every power of ten.
 */
static void test_format_hard_cases(void **state)
{
	uint64_t seed = 0x6a09e667f3bcc909u, c;
	int e, j;

	(void)state;
	for (e = -1074; e <= 1023; e++) {
		double p = ldexp(1.0, e), below = p, above = p;

		check_like_reference(p);
		check_like_reference(-p);
		for (j = 0; j < 3; j++) {
			below = nextafter(below, 0.0);
			above = nextafter(above, HUGE_VAL);
			check_like_reference(below);
			check_like_reference(above);
		}
	}
	for (c = 1; c <= 20000; c++) {
		check_like_reference(bits_to_double(c));
		check_like_reference(bits_to_double((UINT64_C(1) << 52) - c));
	}
	for (e = 1; e < 2047; e++) {
		for (j = 0; j < 12; j++) {
			uint64_t r = xorshift64(&seed);
			uint64_t frac = ((r & 0xff) << (r >> 8) % 53) & ((UINT64_C(1) << 52) - 1);

			check_like_reference(bits_to_double((uint64_t)e << 52 | frac));
		}
	}
	for (e = -323; e <= 308; e++) {
		char text[16];
		double p;

		snprintf(text, sizeof text, "1e%d", e);
		p = strtod(text, NULL);
		check_like_reference(p);
		check_like_reference(nextafter(p, 0.0));
		check_like_reference(nextafter(p, HUGE_VAL));
	}
}

/*
 * The rule is the first of %.15g, %.16g, %.17g that reads back, not the
 * shortest decimal that does: for 54 powers of two the shortest has 16
 * digits but is not the nearest 16-digit decimal, which is what %.16g
 * prints, so 17 digits come out. Kept for compatibility with earlier output.
 */
static void test_format_first_of_15_16_17(void **state)
{
	(void)state;
	/* shortest would be 7.120236347223045e-307 */
	check_format(ldexp(1.0, -1017), "7.1202363472230444e-307");
	/* %.16g gives 6.290184345309700e-235, read as 6.2901843453097e-235: not v */
	check_format(ldexp(1.0, -778), "6.2901843453097005e-235");
	/* the exponent form starts at the precision used: 16 here, 17 there */
	check_format(9007199254740994.0 * 2, "18014398509481988");
	check_format(90071992547409920.0, "9.007199254740992e+16");
	check_format(1e15 + 0.25, "1000000000000000.2");
	check_format(-123456.78901234567, "-123456.78901234567");
	check_format(0.000123456789, "0.000123456789");
	check_format(1.5e-5, "1.5e-05");
}

/*
 * What ts-forecast prints most: doubles of 16 or 17 significant digits
 * between 10^-3 and 10^7, and the neighbours of short decimals, whose
 * rounding intervals end within a few units of a multiple of ten (where
 * the formatter leaves its fast interval test for the exact ends). All
 * checked against the plain definition (printf and strtod).
 */
static void test_format_forecast_values(void **state)
{
	uint64_t seed = 0x510e527fade682d1u;
	int i, j;

	(void)state;
	for (i = 0; i < 100000; i++) {
		uint64_t r = xorshift64(&seed);
		double v = ldexp((double)(r >> 11), -53) * pow(10, (int)(r % 11) - 3);

		check_like_reference(v);
		check_like_reference(-v);
	}
	for (i = 0; i < 30000; i++) {
		uint64_t r = xorshift64(&seed);
		int ndig = 1 + (int)(r % 15), exp10 = (int)((r >> 8) % 30) - 15;
		char text[64];
		size_t n = 0;
		double below, above;

		for (j = 0; j < ndig; j++)
			text[n++] = (char)('0' + xorshift64(&seed) % 10);
		snprintf(text + n, sizeof text - n, "e%d", exp10);
		below = above = parse_ok(text);
		for (j = 0; j < 3; j++) {
			below = nextafter(below, 0.0);
			above = nextafter(above, HUGE_VAL);
			check_like_reference(below);
			check_like_reference(above);
		}
	}
}

/* Integers of every length, with zeros and nines in every place (the
 * digits are made sixteen at a time), as printf writes them. */
static void test_format_integer_digits(void **state)
{
	uint64_t seed = 0x9b05688c2b3e6c1fu;
	char buf[TS_NUM_BUFSIZE], want[32];
	int i, k;

	(void)state;
	for (k = 0; k <= 15; k++) {
		double p = pow(10, k);
		const double values[] = { p, p - 1, p + 1, 2 * p - 1, 5 * p, 3 * p + 3 };

		for (i = 0; i < (int)(sizeof values / sizeof values[0]); i++) {
			snprintf(want, sizeof want, "%.0f", values[i]);
			check_format(values[i], want);
			snprintf(want, sizeof want, "%.0f", -values[i]);
			check_format(-values[i], want);
		}
	}
	for (i = 0; i < 100000; i++) {
		uint64_t r = xorshift64(&seed);
		double v = (double)(r >> (11 + r % 53));

		snprintf(want, sizeof want, "%.0f", v);
		check_format(v, want);
	}
	assert_int_equal(ts_num_format(9007199254740991.0, buf), 16);
}

/* A row's numbers in one call: ts_num_format's texts, the delimiter between
 * them, a missing value as an empty field, nothing for none. */
static void test_put_fields(void **state)
{
	static const double values[] = { 0.1, NAN, -2.5e-07, 3, 270.55886970909677, -DBL_MAX };
	const size_t n = sizeof values / sizeof values[0];
	char room[6 * (TS_NUM_BUFSIZE + 1)], *end;

	(void)state;
	end = ts_num_put_fields(values, n, ';', room);
	assert_int_equal(end - room, strlen("0.1;;-2.5e-07;3;270.55886970909677;-1.7976931348623157e+308"));
	assert_memory_equal(room, "0.1;;-2.5e-07;3;270.55886970909677;-1.7976931348623157e+308", (size_t)(end - room));
	assert_ptr_equal(ts_num_put_fields(values, 0, ';', room), room);
	end = ts_num_put_fields(values + 1, 1, ',', room);
	assert_ptr_equal(end, room);
}

/* The longest outputs fit TS_NUM_BUFSIZE with room to spare. */
static void test_format_bound(void **state)
{
	uint64_t seed = 2463534242u;
	size_t longest = 0;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		char buf[TS_NUM_BUFSIZE];
		double v = bits_to_double(xorshift64(&seed) | UINT64_C(1) << 63);
		size_t len = ts_num_format(v, buf);

		if (len > longest)
			longest = len;
	}
	assert_true(longest <= 24);
	assert_true(longest < TS_NUM_BUFSIZE);
}

/* A decimal-comma LC_NUMERIC if one is installed, else NULL. */
static const char *decimal_comma_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		locale_t loc = newlocale(LC_NUMERIC_MASK, names[i], (locale_t)0);

		if (loc != (locale_t)0) {
			freelocale(loc);
			return names[i];
		}
	}
	return NULL;
}

static void test_decimal_comma_locale(void **state)
{
	const char *name = decimal_comma_locale();
	char buf[TS_NUM_BUFSIZE];
	double v;

	(void)state;
	if (name == NULL) {
		print_message("no de_DE or fr_FR locale installed; skipping\n");
		skip();
		return;
	}
	assert_non_null(setlocale(LC_NUMERIC, name));
	assert_string_equal(localeconv()->decimal_point, ",");

	assert_same_double(parse_ok("12.5"), 12.5);
	assert_same_double(parse_ok("0.1000000000000000055511151231257827021181583404541015625"), 0.1);
	assert_same_double(parse_ok("1.7976931348623157e308"), DBL_MAX);
	assert_int_equal(ts_num_parse("1,5", 3, &v), -1);
	check_format(12.5, "12.5");
	check_format(1.0 / 3, "0.3333333333333333");
	check_format(2.5e-7, "2.5e-07");
	check_format(4.9406564584124654e-324, "5e-324");
	round_trip(0.1);
	round_trip(123456789012345678.0);

	/* The caller's locale is still in force afterwards. */
	snprintf(buf, sizeof buf, "%.1f", 1.5);
	assert_string_equal(buf, "1,5");
	assert_non_null(setlocale(LC_NUMERIC, "C"));
}

struct worker {
	uint64_t seed;
	const char *locale_name;	/* decimal-comma locale for this thread, or NULL */
	long failures;
};

static void *worker_run(void *arg)
{
	static const char pi[] = "3.141592653589793238462643383279";
	struct worker *w = arg;
	locale_t loc = (locale_t)0;
	int i;

	if (w->locale_name != NULL) {
		loc = newlocale(LC_NUMERIC_MASK, w->locale_name, (locale_t)0);
		if (loc != (locale_t)0)
			uselocale(loc);
	}
	for (i = 0; i < 20000; i++) {
		char buf[TS_NUM_BUFSIZE];
		double v = bits_to_double(xorshift64(&w->seed)), back;
		size_t len;

		if (isnan(v))
			continue;
		len = ts_num_format(v, buf);
		if (ts_num_parse(buf, len, &back) != 0 || memcmp(&back, &v, sizeof v) != 0)
			w->failures++;
		if (ts_num_parse("12.5", 4, &back) != 0 || back != 12.5)
			w->failures++;
		if (ts_num_parse(pi, strlen(pi), &back) != 0 ||
		    back != 3.141592653589793)
			w->failures++;
	}
	if (loc != (locale_t)0) {
		uselocale(LC_GLOBAL_LOCALE);
		freelocale(loc);
	}
	return NULL;
}

static void test_threads(void **state)
{
	enum { NTHREADS = 8 };
	pthread_t threads[NTHREADS];
	struct worker workers[NTHREADS];
	const char *comma = decimal_comma_locale();
	int i;

	(void)state;
	for (i = 0; i < NTHREADS; i++) {
		workers[i].seed = 0x2545f4914f6cdd1du + (uint64_t)i * 7919;
		workers[i].locale_name = i % 2 ? comma : NULL;
		workers[i].failures = 0;
		assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(workers[i].failures, 0);
	}
}

/* The memo gives ts_num_format's text; a value is formatted again only when
 * its bits change, so 0 and -0 stay apart and NaN writes nothing. */
static void test_format_memo(void **state)
{
	struct ts_num_memo m = { 0 };
	const char *text;
	size_t len;

	(void)state;
	text = ts_num_format_memo(&m, 0.1, &len);
	assert_int_equal(len, 3);
	assert_string_equal(text, "0.1");
	m.text[0] = 'X';	/* a second call with 0.1 must not format again */
	text = ts_num_format_memo(&m, 0.1, &len);
	assert_string_equal(text, "X.1");
	text = ts_num_format_memo(&m, 2.5e-7, &len);
	assert_string_equal(text, "2.5e-07");
	assert_int_equal(len, 7);
	text = ts_num_format_memo(&m, 0.0, &len);
	assert_string_equal(text, "0");
	text = ts_num_format_memo(&m, -0.0, &len);
	assert_string_equal(text, "-0");
	text = ts_num_format_memo(&m, NAN, &len);
	assert_int_equal(len, 0);
	text = ts_num_format_memo(&m, 1e20, &len);
	assert_string_equal(text, "1e+20");
}

/* ts_num_put_uint writes what printf's PRIu64 writes: at each power of ten
 * and one below it, up to the largest 64-bit value, and spread values. */
static void test_put_uint(void **state)
{
	uint64_t power = 1, spread = 12345;

	(void)state;
	for (int k = 0; k <= 20; k++) {
		const uint64_t values[] = { power, power - 1, power + 1, UINT64_MAX, spread };
		for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
			char want[32], got[32];
			snprintf(want, sizeof want, "%" PRIu64, values[i]);
			char *end = ts_num_put_uint(got, values[i]);
			*end = '\0';
			assert_string_equal(got, want);
		}
		spread = spread * 6364136223846793005u + 1442695040888963407u;
		spread >>= k % 50;
		if (k < 19)
			power *= 10;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_missing),
		cmocka_unit_test(test_parse_infinities),
		cmocka_unit_test(test_parse_unterminated),
		cmocka_unit_test(test_parse_long_inputs),
		cmocka_unit_test(test_parse_matches_strtod),
		cmocka_unit_test(test_parse_printed_doubles),
		cmocka_unit_test(test_parse_plain_shapes),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_format_matches_printf),
		cmocka_unit_test(test_format_hard_cases),
		cmocka_unit_test(test_format_first_of_15_16_17),
		cmocka_unit_test(test_format_forecast_values),
		cmocka_unit_test(test_format_integer_digits),
		cmocka_unit_test(test_put_fields),
		cmocka_unit_test(test_format_bound),
		cmocka_unit_test(test_decimal_comma_locale),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_format_memo),
		cmocka_unit_test(test_put_uint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
