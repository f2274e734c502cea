/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num: strict decimal parsing (Clinger's exact fast path, then Eisel and Lemire's 128-bit
 * product, else strtod in the C locale) and shortest round-trip %g-style output. */
#include "core/num.h"
#include "core/pow5.h"
#include "core/pow10.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && !defined(TS_NUM_NO_SSE2)
#include <emmintrin.h>
#endif

/*
 * Significant digits handed to strtod. A double's decision points (the
 * doubles and the midpoints between them) need at most 767 significant
 * digits, so keeping 800 and standing a single '1' in for any nonzero
 * tail leaves the correctly rounded result unchanged, and a stack buffer
 * is enough however long the input.
 */
#define NUM_MAXDIG 800

/* Beyond this the exponent cannot change the result (0 or inf) and must not overflow. */
#define NUM_EXPCAP 99999

static const double num_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static pthread_once_t num_once = PTHREAD_ONCE_INIT;
static locale_t num_c_locale;	/* (locale_t)0 if newlocale failed */

static void num_init(void)
{
	num_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The C locale object, created on first use; (locale_t)0 if that failed. */
static locale_t num_locale(void)
{
	pthread_once(&num_once, num_init);
	return num_c_locale;
}

static bool num_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ASCII only: tolower() would follow LC_CTYPE (Turkish dotless i). */
static char num_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether s[0..len) is word, ignoring ASCII case; word is lowercase. */
static bool num_word_is(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == '\0' || num_lower(s[i]) != word[i])
			return false;
	return word[len] == '\0';
}

static void num_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	while (n > 0 && num_is_blank(p[0])) {
		p++;
		n--;
	}
	while (n > 0 && num_is_blank(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

/* The missing-value words, lowercase: ours (NA, NaN, null), and the rest of
 * pandas.read_csv's default na_values, so that a frame pandas wrote with
 * its own missing markers reads back as missing here. */
static const char *const num_missing_words[] = {
	"na", "nan", "null", "n/a", "none", "<na>", "#na", "#n/a", "#n/a n/a", "-nan",
	"1.#ind", "-1.#ind", "1.#qnan", "-1.#qnan",
};

static bool num_missing_trimmed(const char *s, size_t len)
{
	if (len == 0)
		return true;
	if (len > 8)
		return false;
	for (size_t i = 0; i < sizeof num_missing_words / sizeof num_missing_words[0]; i++)
		if (num_word_is(s, len, num_missing_words[i]))
			return true;
	return false;
}

bool ts_num_is_missing(const char *s, size_t len)
{
	num_trim(&s, &len);
	return num_missing_trimmed(s, len);
}

static bool num_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Correctly rounded value of the validated digits: int_len digits at ip,
 * frac_len digits at fp, times 10^exp10. Rewritten as an integer mantissa
 * and exponent ("-12345e-3"), so neither the decimal point nor the length
 * of the input matters to strtod.
 */
static double num_slow(bool neg, const char *ip, size_t int_len,
    const char *fp, size_t frac_len, int64_t exp10)
{
	char text[NUM_MAXDIG + 16];
	size_t n = 0, kept = 0, i;
	int64_t dropped = 0;
	bool sticky = false;
	locale_t c_locale, old;
	double v;

	if (neg)
		text[n++] = '-';
	for (i = 0; i < int_len + frac_len; i++) {
		char d = i < int_len ? ip[i] : fp[i - int_len];

		if (kept == 0 && d == '0')
			continue;
		if (kept < NUM_MAXDIG) {
			text[n++] = d;
			kept++;
		} else {
			dropped++;
			if (d != '0')
				sticky = true;
		}
	}
	if (kept == 0)
		return neg ? -0.0 : 0.0;
	exp10 += dropped - (int64_t)frac_len;
	if (sticky) {
		text[n++] = '1';
		exp10--;
	}
	if (exp10 > NUM_EXPCAP)
		exp10 = NUM_EXPCAP;
	if (exp10 < -NUM_EXPCAP)
		exp10 = -NUM_EXPCAP;
	/* "e%d" by hand: snprintf cost more than the rest of this path */
	text[n++] = 'e';
	if (exp10 < 0) {
		text[n++] = '-';
		exp10 = -exp10;
	}
	n = (size_t)(ts_num_put_uint(text + n, (uint64_t)exp10) - text);
	text[n] = '\0';

	/* The text needs no locale, but strtod may still consult it: pin C. */
	c_locale = num_locale();
	if (c_locale != (locale_t)0) {
		old = uselocale(c_locale);
		v = strtod(text, NULL);
		uselocale(old);
	} else {
		v = strtod(text, NULL);
	}
	return v;
}

/* The 128-bit product of a and b as { high, low }. */
static void num_mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32, b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
	uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
	uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);

	*lo = (mid << 32) | (ll & 0xFFFFFFFFu);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* floor(q * log2(10)) + 63 for q in [-342, 308], by an exact integer rule:
 * 217706 / 2^16 is log2(10) close enough over that range. */
static int64_t num_pow10_exponent(int64_t q)
{
	int64_t x = 217706 * q;

	return (x >= 0 ? x / 65536 : -((-x + 65535) / 65536)) + 63;
}

/*
 * w * 10^q (w nonzero, exact: at most 19 digits) correctly rounded, by
 * Eisel and Lemire's method (Lemire, "Number parsing at a gigabyte per
 * second", 2021): the top bits of w times a 128-bit 5^q decide the
 * double. Returns -1, leaving the decision to strtod, when the product's
 * error could cross a rounding boundary (bits below the rounding bit all
 * ones or all zeros, which also holds every exact tie), and for results
 * that are subnormal, infinite or out of the table.
 */
static int num_eisel_lemire(uint64_t w, int64_t q, bool neg, double *out)
{
	uint64_t hi, lo, hi2, lo2, mantissa, bits;
	int lz, upper;
	int64_t power2;

	if (q < TS_POW5_MIN_Q || q > TS_POW5_MAX_Q)
		return -1;
	const uint64_t *five = ts_pow5_128[q - TS_POW5_MIN_Q];
	lz = __builtin_clzll(w);
	w <<= lz;
	num_mul64(w, five[0], &hi, &lo);
	if ((hi & 0x1FF) == 0x1FF) {
		/* the low half of 5^q can carry into the bits that decide */
		num_mul64(w, five[1], &hi2, &lo2);
		lo += hi2;
		if (lo < hi2)
			hi++;
		if ((hi & 0x1FF) == 0x1FF && lo >= UINT64_MAX - 1)
			return -1;
	}
	upper = (int)(hi >> 63);
	if ((hi & ((UINT64_C(1) << (upper + 9)) - 1)) == 0)
		return -1;
	mantissa = hi >> (upper + 9);	/* 53 bits and the rounding bit */
	power2 = num_pow10_exponent(q) + upper - lz + 1023;
	mantissa += mantissa & 1;
	mantissa >>= 1;
	if (mantissa >= (UINT64_C(1) << 53)) {
		mantissa >>= 1;
		power2++;
	}
	if (power2 <= 0 || power2 >= 0x7FF)
		return -1;
	bits = ((uint64_t)power2 << 52) | (mantissa & ((UINT64_C(1) << 52) - 1));
	if (neg)
		bits |= UINT64_C(1) << 63;
	memcpy(out, &bits, sizeof *out);
	return 0;
}

static int num_parse_number(const char *s, size_t len, double *out);

/*
 * The shape most fields have, [-]digits[.digits] with at most 19 significant
 * digits and nothing else, read in one pass. Up to 15 digits the mantissa is
 * below 2^53 and the power of ten at most 10^15, both exact, so one division
 * is correctly rounded (Clinger); up to 19 (the 17 ts-forecast writes), the
 * mantissa fits 64 bits and Eisel-Lemire rounds it correctly or says it
 * cannot. Either way the double is the one num_parse_number gives, as both
 * round correctly. false: some other shape, or a case for the general path.
 */
#if FLT_EVAL_METHOD == 0
static bool num_parse_plain(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *point = NULL;
	uint64_t mant = 0;
	size_t ndigits, frac_len = 0, lead = 0;
	bool neg = false;
	double v;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	const char *digits = p;
	for (;;) {
		/* eight digits a multiply while eight bytes remain, then one by one */
		for (uint64_t eight; end - p >= 8 && ts_num_eight_digits(p, &eight); p += 8)
			mant = mant * 100000000 + eight;
		while (p < end && (unsigned char)*p - (unsigned)'0' < 10)
			mant = mant * 10 + (uint64_t)(*p++ - '0');
		if (p < end && *p == '.' && point == NULL) {
			point = p++;
			continue;
		}
		break;
	}
	ndigits = (size_t)(p - digits) - (point != NULL);
	if (p != end || ndigits == 0)
		return false;
	if (point != NULL)
		frac_len = (size_t)(end - point - 1);
	if (ndigits <= 15) {
		v = (double)mant;
		if (frac_len > 0)
			v /= num_pow10[frac_len];
		*out = neg ? -v : v;
		return true;
	}
	/* leading zeros add nothing to mant: the significant digits follow */
	for (const char *q = digits; q < end && (*q == '0' || *q == '.'); q++)
		lead += *q == '0';
	return ndigits - lead <= 19 && mant != 0 && frac_len <= 340 &&
	       num_eisel_lemire(mant, -(int64_t)frac_len, neg, out) == 0;
}
#endif

int ts_num_parse(const char *s, size_t len, double *out)
{
#if FLT_EVAL_METHOD == 0
	if (num_parse_plain(s, len, out))
		return 0;
#endif
	num_trim(&s, &len);
	if ((len == 0 || num_lower(s[0]) == 'n') && num_missing_trimmed(s, len)) {
		*out = NAN;
		return 0;
	}
	if (num_parse_number(s, len, out) == 0)
		return 0;
	/* the other words ("-nan", "#N/A", "1.#IND", "<NA>") fail as numbers
	 * first: numbers, the common case, never pay for the list */
	if (num_missing_trimmed(s, len)) {
		*out = NAN;
		return 0;
	}
	return -1;
}

/* s[0..len), trimmed and not missing, as a number. */
static int num_parse_number(const char *s, size_t len, double *out)
{
	const char *p, *end, *ip, *fp, *first;
	size_t int_len, frac_len, nsig;
	uint64_t mant = 0;
	int64_t exp10 = 0;
	bool neg = false;

	p = s;
	end = s + len;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (p < end && num_lower(*p) == 'i') {
		if (!num_word_is(p, (size_t)(end - p), "inf") &&
		    !num_word_is(p, (size_t)(end - p), "infinity"))
			return -1;
		*out = neg ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}

	/* Digits accumulate as we validate; leading zeros add nothing to mant,
	 * so nsig, the digits mant has taken, starts at the first nonzero one. */
	ip = p;
	while (p < end && *p == '0')
		p++;
	first = p;
	while (p < end && num_is_digit(*p))
		mant = mant * 10 + (uint64_t)(*p++ - '0');
	int_len = (size_t)(p - ip);
	nsig = (size_t)(p - first);
	fp = p;
	if (p < end && *p == '.') {
		fp = ++p;
		if (nsig == 0)
			while (p < end && *p == '0')
				p++;
		first = p;
		while (p < end && num_is_digit(*p))
			mant = mant * 10 + (uint64_t)(*p++ - '0');
		nsig += (size_t)(p - first);
	}
	frac_len = (size_t)(p - fp);
	if (int_len + frac_len == 0)
		return -1;
	if (p < end && (*p == 'e' || *p == 'E')) {
		bool eneg = false;
		const char *ep;
		int64_t e = 0;

		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			eneg = *p == '-';
			p++;
		}
		ep = p;
		while (p < end && num_is_digit(*p)) {
			if (e < 100000000)
				e = e * 10 + (*p - '0');
			p++;
		}
		if (p == ep)
			return -1;
		exp10 = eneg ? -e : e;
	}
	if (p != end)
		return -1;

#if FLT_EVAL_METHOD == 0
	/*
	 * Clinger: a mantissa and a power of ten that are both exact doubles give
	 * a correctly rounded product or quotient. Needs plain double arithmetic,
	 * not x87 extended precision.
	 */
	if (nsig <= 19 && mant <= (UINT64_C(1) << 53)) {
		int64_t e = exp10 - (int64_t)frac_len;
		double v = (double)mant;

		if (mant == 0 || (e >= -22 && e <= 22)) {
			if (e > 0 && mant != 0)
				v *= num_pow10[e];
			else if (e < 0 && mant != 0)
				v /= num_pow10[-e];
			*out = neg ? -v : v;
			return 0;
		}
	}
#endif
	if (nsig <= 19 && mant != 0 && num_eisel_lemire(mant, exp10 - (int64_t)frac_len, neg, out) == 0)
		return 0;
	*out = num_slow(neg, ip, int_len, fp, frac_len, exp10);
	return 0;
}

static const uint64_t num_pow10u[] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
	UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
	UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
	UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
	UINT64_C(1000000000000000), UINT64_C(10000000000000000),
	UINT64_C(100000000000000000), UINT64_C(1000000000000000000),
	UINT64_C(10000000000000000000)
};

/*
 * Output digits are made sixteen at a time, a byte per digit, into a scratch
 * array of NUM_DIGITS_SIZE bytes, and copied out sixteen bytes at a time:
 * a copy may store garbage past the text it is for, which the writes after
 * it overwrite or the final NUL ends, always inside TS_NUM_BUFSIZE (the
 * longest text is 24 bytes, "-1.2345678901234567e-308"; each copy's bound is
 * noted where it is made).
 */
#define NUM_DIGITS_END 24	/* the digits end at scratch + NUM_DIGITS_END */
#define NUM_DIGITS_SIZE 48	/* room for a 16-byte read from any digit */

/* The output path's helpers are small and called once or twice each: inlined,
 * they cost a third of what they do as calls. The exact path is rare. */
#if defined(__GNUC__) || defined(__clang__)
#define NUM_INLINE static inline __attribute__((always_inline))
#define NUM_COLD static __attribute__((noinline))
#else
#define NUM_INLINE static inline
#define NUM_COLD static
#endif

/* TS_NUM_NO_SSE2 builds the portable digit writer on x86 too, for testing it. */
#if defined(__SSE2__) && !defined(TS_NUM_NO_SSE2)
#define NUM_SSE2 1
#endif

#ifdef NUM_SSE2
/*
 * The sixteen decimal digits of u < 10^16, leading zeros included, stored
 * at dst, the higher digits first. Both halves of eight digits are split at
 * once in the lanes of a vector: into halves of four (x / 10^4 = x *
 * 0xd1b71759 >> 45 for x < 2^32), quarters of two (y / 100 = (y * 41944 >>
 * 16) >> 6 for y < 10^4) and single digits (z / 10 = z * 6554 >> 16 for
 * z < 100), each reciprocal exact over its range (the integers below 10^8
 * were all checked when this was written).
 */
NUM_INLINE void num_put16(uint64_t u, char *dst)
{
	uint64_t high = u / 100000000;
	__m128i x, q, r;

	/* 64-bit lanes: the high and the low eight digits */
	x = _mm_set_epi64x((long long)(u - high * 100000000), (long long)high);
	q = _mm_srli_epi64(_mm_mul_epu32(x, _mm_set1_epi64x(0xd1b71759)), 45);
	r = _mm_sub_epi64(x, _mm_mul_epu32(q, _mm_set1_epi64x(10000)));
	x = _mm_or_si128(q, _mm_slli_epi64(r, 32));		/* 32-bit lanes: four digits each */
	q = _mm_srli_epi16(_mm_mulhi_epu16(x, _mm_set1_epi32(41944)), 6);
	r = _mm_sub_epi16(x, _mm_mullo_epi16(q, _mm_set1_epi16(100)));
	x = _mm_or_si128(q, _mm_slli_epi32(r, 16));		/* 16-bit lanes: two digits each */
	q = _mm_mulhi_epu16(x, _mm_set1_epi16(6554));
	r = _mm_sub_epi16(x, _mm_mullo_epi16(q, _mm_set1_epi16(10)));
	x = _mm_or_si128(q, _mm_slli_epi16(r, 8));		/* bytes: a digit each */
	x = _mm_or_si128(x, _mm_set1_epi8('0'));
	_mm_storeu_si128((__m128i *)(void *)dst, x);
}
#else
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * The eight decimal digits of v < 10^8, leading zeros included, stored at
 * dst. The number is split into halves of four digits, quarters of two and
 * single digits, each step in every lane of the word at once: y / 100 is
 * y * 10486 >> 20 for y < 10^4, and z / 10 is z * 103 >> 10 for z < 100
 * (every v was checked when this was written). The lower address holds the
 * higher digits.
 */
NUM_INLINE void num_put8(uint32_t v, char *dst)
{
	uint64_t x, q;

	x = v / 10000;
	x |= (uint64_t)(v - (uint32_t)x * 10000) << 32;
	q = (x * 10486 >> 20) & UINT64_C(0x0000007f0000007f);
	x = q | (x - q * 100) << 16;
	q = (x * 103 >> 10) & UINT64_C(0x000f000f000f000f);
	x = q | (x - q * 10) << 8;
	x |= UINT64_C(0x3030303030303030);
	memcpy(dst, &x, 8);
}
#else
NUM_INLINE void num_put8(uint32_t v, char *dst)
{
	for (int i = 7; i >= 0; i--) {
		dst[i] = (char)('0' + v % 10);
		v /= 10;
	}
}
#endif

NUM_INLINE void num_put16(uint64_t u, char *dst)
{
	uint64_t high = u / 100000000;

	num_put8((uint32_t)high, dst);
	num_put8((uint32_t)(u - high * 100000000), dst + 8);
}
#endif

/*
 * The decimal digits of u, of which there are ndig (at most 17), written to
 * the scratch array t so that they end at t + NUM_DIGITS_END; returns where
 * they start.
 */
NUM_INLINE const char *num_digits(uint64_t u, int ndig, char *t)
{
	char *end = t + NUM_DIGITS_END;

	if (ndig > 16) {
		uint64_t top = u / UINT64_C(10000000000000000);

		end[-17] = (char)('0' + top);
		u -= top * UINT64_C(10000000000000000);
	}
	num_put16(u, end - 16);
	return end - ndig;
}

/* Sixteen bytes from src (in a scratch array) to dst. */
NUM_INLINE void num_copy16(char *dst, const char *src)
{
	memcpy(dst, src, 16);
}

/* The number of decimal digits of u > 0: t or t + 1 for t = floor(bits log10 2). */
NUM_INLINE int num_ndigits(uint64_t u)
{
	int bits, t;

#if defined(__GNUC__) || defined(__clang__)
	bits = 64 - __builtin_clzll(u);
#else
	for (bits = 1; bits < 64 && u >> bits != 0; bits++)
		;
#endif
	t = bits * 1233 >> 12;
	return t + (u >= num_pow10u[t]);
}

char *ts_num_put_uint(char *p, uint64_t u)
{
	char t[NUM_DIGITS_SIZE];
	int ndig = u == 0 ? 1 : num_ndigits(u);

	if (ndig > 17) {
		/* the digits above the last sixteen (2 to 4 of them), then those */
		uint64_t top = u / UINT64_C(10000000000000000);
		p = ts_num_put_uint(p, top);
		u -= top * UINT64_C(10000000000000000);
		num_put16(u, p);
		return p + 16;
	}
	memcpy(p, num_digits(u, ndig, t), (size_t)ndig);
	return p + ndig;
}

/* An integral |v| < 2^53, with its sign ("-0" included). */
NUM_INLINE size_t num_format_int(double v, char *buf)
{
	char t[NUM_DIGITS_SIZE];
	char *p = buf;
	uint64_t u;
	int ndig;

	if (signbit(v)) {
		*p++ = '-';
		v = -v;
	}
	u = (uint64_t)v;
	ndig = u == 0 ? 1 : num_ndigits(u);
	num_copy16(p, num_digits(u, ndig, t));	/* ndig <= 16: to buf + 17 */
	p += ndig;
	*p = '\0';
	return (size_t)(p - buf);
}

/*
 * Output: Schubfach (R. Giulietti, "The Schubfach way to render doubles",
 * 2020). v = c 2^q has the rounding interval R = [cbl, cbr] 2^(q-2) around
 * cb 2^(q-2) = v (ends open when c is odd: strtod rounds a midpoint to the
 * even neighbour). Scaled by 10^-k, with 10^k <= the width of R, the three
 * values become 4 v 10^-k and the ends of R in units of 10^k, two fraction
 * bits kept, and the rest rounded to odd: floor, with the lowest bit set when
 * anything was cut off. Rounding to odd keeps every comparison with an even
 * integer exact, which is all the decisions below need. The paper shows
 * that a 126-bit upper approximation g of 10^-k gives the round-to-odd
 * value exactly for every double, with the product truncated as num_rop does.
 * The g of each k, and each exponent's k, are in core/pow10 (scripts/gen-pow10).
 */

#define NUM_C_MIN (UINT64_C(1) << 52)	/* smallest normal significand */
#define NUM_Q_MIN (-1074)		/* exponent of the subnormals */
#define NUM_MASK63 ((UINT64_C(1) << 63) - 1)

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 num_u128;
#endif

/* The high 64 bits of a * b. */
NUM_INLINE uint64_t num_mulhi(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	return (uint64_t)(((num_u128)a * b) >> 64);
#else
	uint64_t hi, lo;

	num_mul64(a, b, &hi, &lo);
	return hi;
#endif
}

/* floor(x / 2^s) for negative x as well (|x| < 2^56, s <= 41), without relying
 * on >> of negatives: x is lifted by 2^20 2^s, shifted, and lowered again. */
NUM_INLINE int num_floor_shift(int64_t x, int s)
{
	const int64_t lift = INT64_C(1) << 20;

	return (int)((uint64_t)(x + (lift << s)) >> s) - (int)lift;
}

/* Exact for |q| <= 1100 and |e| <= 400 (checked by brute force in rationals). */
NUM_INLINE int num_flog10_pow2(int q)		/* floor(log10(2^q)) */
{
	return num_floor_shift((int64_t)q * 661971961084, 41);
}

NUM_INLINE int num_flog10_three_quarters_pow2(int q)	/* floor(log10(3/4 2^q)) */
{
	return num_floor_shift((int64_t)q * 661971961084 - 274743187321, 41);
}

NUM_INLINE int num_flog2_pow10(int e)		/* floor(log2(10^e)) */
{
	return num_floor_shift((int64_t)e * 913124641741, 38);
}

/* Round to odd of g cp / 2^127, g = g1 2^63 + g0; cp < 2^64. */
NUM_INLINE uint64_t num_rop(uint64_t g1, uint64_t g0, uint64_t cp)
{
	uint64_t x1 = num_mulhi(g0, cp);
	uint64_t y0 = g1 * cp;
	uint64_t y1 = num_mulhi(g1, cp);
	uint64_t z = (y0 >> 1) + x1;

	return (y1 + (z >> 63)) | (((z & NUM_MASK63) + NUM_MASK63) >> 63);
}

/* The scaled values: vb ~ 4 v 10^-k, vbl and vbr the ends of R (see above). */
struct num_scaled {
	uint64_t vb, vbl, vbr, out;	/* out: 1 when the ends of R are excluded */
};

NUM_INLINE void num_scale(uint64_t c, int q, int k, uint64_t cbl, struct num_scaled *sc)
{
	const uint64_t *g = ts_pow10_g[k - TS_POW10_MIN_K];
	int h = q + num_flog2_pow10(-k) + 2;	/* 2..9: cb << h stays below 2^64 */

	sc->vb = num_rop(g[0], g[1], c << 2 << h);
	sc->vbl = num_rop(g[0], g[1], cbl << h);
	sc->vbr = num_rop(g[0], g[1], ((c << 2) + 2) << h);
	sc->out = c & 1;
}

/* Whether d 10^k reads back as v. */
NUM_INLINE bool num_in(const struct num_scaled *sc, uint64_t d)
{
	return sc->vbl + sc->out <= d << 2 && (d << 2) + sc->out <= sc->vbr;
}

/* v rounded to the nearer of lo and lo + step (in units of 10^k), ties to even. */
NUM_INLINE uint64_t num_nearest(uint64_t vb, uint64_t lo, uint64_t step)
{
	uint64_t mid = (lo << 2) + (step << 1);

	if (vb != mid)
		return vb < mid ? lo : lo + step;
	return (lo / step) % 2 == 0 ? lo : lo + step;
}

/*
 * The digits of v, d 10^k, and the precision p in 15..17 such that d is what
 * %.{p}g prints, p the first that reads back (for subnormals, d is the
 * shortest, which is what %.{p}g prints for the first p from 1 that reads
 * back: the interval is symmetric there, so the nearest p-digit decimal
 * reads back whenever any does). With s = floor(v 10^-k) of 16 or 17 digits:
 * at most one multiple of 10 fits in R (R is narrower than 10^(k+1)); when
 * one does and has at most 15 digits, it is the shortest and, by the
 * guarantee behind DBL_DIG, what %.15g prints. Otherwise %.16g prints the
 * nearest 16-digit decimal and %.17g the nearest 17-digit one, each used if
 * it lies in R. When R is symmetric about v the nearest always does if any
 * decimal of its length does; only a power of two, whose R is narrower
 * below, can have the nearest outside while a farther one is inside.
 */
NUM_COLD uint64_t num_decimal_exact(uint64_t c, int q, int *k_out, int *prec)
{
	struct num_scaled sc;
	uint64_t cbl, s, sp10, m, r;
	bool asymmetric = c == NUM_C_MIN && q > NUM_Q_MIN;
	int k;

	if (asymmetric) {
		cbl = (c << 2) - 1;
		k = num_flog10_three_quarters_pow2(q);
	} else {
		cbl = (c << 2) - 2;
		k = num_flog10_pow2(q);
	}
	num_scale(c, q, k, cbl, &sc);
	s = sc.vb >> 2;
	sp10 = s / 10 * 10;
	*k_out = k;
	if (num_in(&sc, sp10) || num_in(&sc, sp10 + 10)) {
		m = num_in(&sc, sp10) ? sp10 : sp10 + 10;
		if (s < UINT64_C(10000000000000000) || m % 100 == 0) {
			*prec = 15;
			return m;
		}
		if (num_nearest(sc.vb, sp10, 10) == m) {
			*prec = 16;
			return m;
		}
		*prec = 17;
		return num_nearest(sc.vb, s, 1);
	}
	r = num_nearest(sc.vb, s, 1);
	if (s >= UINT64_C(10000000000000000)) {
		*prec = 17;
		return r;
	}
	if (num_in(&sc, r)) {
		*prec = 16;
		return r;
	}
	/* A power of two needing 17 digits where s has 16: one digit more.
	 * This scaling (h up to 9) is outside the paper's proof; test_num
	 * checks every power of two against printf instead. */
	*k_out = --k;
	num_scale(c, q, k, cbl, &sc);
	*prec = 17;
	return num_nearest(sc.vb, sc.vb >> 2, 1);
}

/*
 * num_decimal_exact's result without computing the ends of R: they are
 * vb -+ delta before rounding to odd, and both the product behind vb (its
 * fraction bits, which num_rop only rounds to odd) and delta = g 2^(h+1) /
 * 2^127 (the top bits of g, shifted) are known to 2^-54, far more finely
 * than whether a multiple of ten lies in R needs. Measured from x = 4 sp10
 * in units of 2^-54: the product is a (to within 1 below), delta is d (to
 * within 1 below). Only within a few units of an end (an exact tie), and for
 * the asymmetric R of a power of two, do the exact ends decide. Only the
 * lower end can exclude sp10 (below vb), only the upper one sp10 + 10. With
 * R symmetric, the nearest 16-digit decimal always lies in R: R's half-width
 * in units of 10^k is 2^(q-1) 10^-k > 1/2, as q = 0 (an integer) never
 * gets here. *ndig is the number of digits of the result when they are known
 * without trailing zeros, else 0.
 */
NUM_INLINE uint64_t num_decimal(uint64_t c, int q, int be, int *k_out, int *prec, int *ndig)
{
	const uint64_t *g;
	const uint64_t ten = UINT64_C(40) << 54;	/* 4 times 10, in units of 2^-54 */
	uint64_t cp, z, whole, vb, s, sp10, m, a, d;
	bool in0, in1;
	int k, h, scale;

	*ndig = 0;
	if (c == NUM_C_MIN && q > NUM_Q_MIN)
		return num_decimal_exact(c, q, k_out, prec);
	scale = ts_pow10_scale[be];
	k = (scale >> 4) + TS_POW10_MIN_K;
	g = ts_pow10_g[scale >> 4];
	h = scale & 15;
	cp = c << 2 << h;
	/* num_rop(g[0], g[1], cp), keeping the fraction z mod 2^63 */
	z = (g[0] * cp >> 1) + num_mulhi(g[1], cp);
	whole = num_mulhi(g[0], cp) + (z >> 63);
	vb = whole | (((z & NUM_MASK63) + NUM_MASK63) >> 63);
	s = vb >> 2;
	sp10 = s / 10 * 10;
	a = (whole - (sp10 << 2)) << 54 | (z & NUM_MASK63) >> 9;	/* whole - x < 44 */
	d = g[0] >> (9 - h);
	/* lower end - x in (a - d - 1, a - d + 1); upper end - (x + 40) in
	 * [a + d - ten, a + d - ten + 2): a margin of 4 either way */
	if (a + 4 <= d)
		in0 = true;
	else if (a >= d + 4)
		in0 = false;
	else
		return num_decimal_exact(c, q, k_out, prec);
	if (a + d >= ten + 4)
		in1 = true;
	else if (a + d + 4 <= ten)
		in1 = false;
	else
		return num_decimal_exact(c, q, k_out, prec);
	*k_out = k;
	if (in0 || in1) {
		m = in0 ? sp10 : sp10 + 10;
		if (s < UINT64_C(10000000000000000) || m % 100 == 0) {
			*prec = 15;
			return m;
		}
		if (num_nearest(vb, sp10, 10) == m) {
			*prec = 16;
			return m;
		}
		*prec = 17;
		return num_nearest(vb, s, 1);
	}
	/* No multiple of ten in R, so the nearest is none: it has s's digits,
	 * 16 or 17 for a normal double (c 2^q 10^-k lies in [2^52, 10 2^53)). */
	*prec = s >= UINT64_C(10000000000000000) ? 17 : 16;
	if (c >= NUM_C_MIN)
		*ndig = *prec;
	return num_nearest(vb, s, 1);
}

/* Any finite nonzero v that is not an integer below 2^53, as %.{prec}g prints it. */
NUM_INLINE size_t num_format_general(uint64_t bits, char *buf)
{
	uint64_t c, d;
	int be, q, k, prec, ndig, exp10, i;
	char t[NUM_DIGITS_SIZE], *p = buf;
	const char *digits;

	be = (int)(bits >> 52 & 0x7ff);
	c = bits & (NUM_C_MIN - 1);
	if (be == 0) {
		q = NUM_Q_MIN;
	} else {
		c |= NUM_C_MIN;
		q = be - 1075;
	}
	d = num_decimal(c, q, be, &k, &prec, &ndig);
	/* strip trailing zeros, eight at a time first (d < 10^18 has at most 17) */
	if (ndig == 0 && d % 10 == 0) {
		while (d % 100000000 == 0) {
			d /= 100000000;
			k += 8;
		}
		if (d % 10000 == 0) {
			d /= 10000;
			k += 4;
		}
		if (d % 100 == 0) {
			d /= 100;
			k += 2;
		}
		if (d % 10 == 0) {
			d /= 10;
			k++;
		}
	}
	if (ndig == 0)
		ndig = num_ndigits(d);
	exp10 = ndig - 1 + k;
	digits = num_digits(d, ndig, t);

	/* The copies' ends, p being at most buf + 1, are noted: each below 32. */
	if (bits >> 63)
		*p++ = '-';
	if (exp10 < -4 || exp10 >= prec) {
		/* d.ddde+XX */
		p[0] = digits[0];
		if (ndig > 1) {
			p[1] = '.';
			num_copy16(p + 2, digits + 1);	/* to buf + 19 */
			p += ndig + 1;
		} else {
			p++;
		}
		*p++ = 'e';
		*p++ = exp10 < 0 ? '-' : '+';
		if (exp10 < 0)
			exp10 = -exp10;
		if (exp10 >= 100) {
			*p++ = (char)('0' + exp10 / 100);
			exp10 %= 100;
		}
		p[0] = (char)('0' + exp10 / 10);
		p[1] = (char)('0' + exp10 % 10);
		p += 2;
	} else if (exp10 >= 0) {
		num_copy16(p, digits);			/* to buf + 17 */
		if (ndig <= exp10 + 1) {		/* an integer of 2^53 or more */
			p[16] = digits[16];
			p += ndig;
			for (i = ndig; i <= exp10; i++)
				*p++ = '0';
		} else {
			/* ddd.ddd: exp10 <= 15, and the fraction has at most
			 * 8 digits when exp10 >= 8 */
			p[exp10 + 1] = '.';
			if (exp10 < 8)
				num_copy16(p + exp10 + 2, digits + exp10 + 1);	/* to buf + 26 */
			else
				memcpy(p + exp10 + 2, digits + exp10 + 1, 8);	/* to buf + 26 */
			p += ndig + 1;
		}
	} else {
		/* 0.000ddd: at most three zeros after the point */
		memcpy(p, "0.000", 5);
		p += 1 - exp10;
		num_copy16(p, digits);			/* to buf + 22 */
		p[16] = digits[16];
		p += ndig;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* ts_num_format, inlined into it and into ts_num_put_fields. */
NUM_INLINE size_t num_format(double v, char *buf)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	if ((bits >> 52 & 0x7ff) == 0x7ff) {	/* NaN or an infinity */
		if (bits << 12 != 0) {
			buf[0] = '\0';
			return 0;
		}
		strcpy(buf, bits >> 63 ? "-inf" : "inf");
		return bits >> 63 ? 4 : 3;
	}
	/* an integer below 2^53: the conversion is exact and reads back */
	if (fabs(v) < 9007199254740992.0 && (double)(int64_t)v == v)
		return num_format_int(v, buf);
	return num_format_general(bits, buf);
}

size_t ts_num_format(double v, char *buf)
{
	return num_format(v, buf);
}

char *ts_num_put_fields(const double *v, size_t n, char delim, char *p)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = delim;
		p += num_format(v[i], p);
	}
	return p;
}
