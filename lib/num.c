/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num: strict decimal parsing (Clinger, "How to read floating point numbers accurately",
 * PLDI 1990, else strtod in the C locale) and shortest round-trip %g-style output. */
#include "num.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool num_missing_trimmed(const char *s, size_t len)
{
	switch (len) {
	case 0:
		return true;
	case 2:
		return num_word_is(s, len, "na");
	case 3:
		return num_word_is(s, len, "nan");
	case 4:
		return num_word_is(s, len, "null");
	default:
		return false;
	}
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
	snprintf(text + n, sizeof text - n, "e%d", (int)exp10);

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

int ts_num_parse(const char *s, size_t len, double *out)
{
	const char *p, *end, *ip, *fp, *first;
	size_t int_len, frac_len, nsig;
	uint64_t mant = 0;
	int64_t exp10 = 0;
	bool neg = false;

	num_trim(&s, &len);
	if ((len == 0 || num_lower(s[0]) == 'n') && num_missing_trimmed(s, len)) {
		*out = NAN;
		return 0;
	}
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
	*out = num_slow(neg, ip, int_len, fp, frac_len, exp10);
	return 0;
}

static const char num_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Write the decimal digits of u at buf, unterminated; returns their count. */
static size_t num_put_uint(uint64_t u, char *buf)
{
	char digits[20];
	size_t n = sizeof digits;

	while (u >= 100) {
		n -= 2;
		memcpy(digits + n, num_pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		n -= 2;
		memcpy(digits + n, num_pairs + 2 * u, 2);
	} else {
		digits[--n] = (char)('0' + u);
	}
	memcpy(buf, digits + n, sizeof digits - n);
	return sizeof digits - n;
}

/* An integral |v| < 2^53, with its sign ("-0" included). */
static size_t num_format_int(double v, char *buf)
{
	size_t len = 0;

	if (signbit(v)) {
		buf[len++] = '-';
		v = -v;
	}
	len += num_put_uint((uint64_t)v, buf + len);
	buf[len] = '\0';
	return len;
}

/*
 * What %.15g prints, without printf, when some decimal D of at most 15
 * significant digits reads back as v and |v| is within Clinger's reach
 * (about 1e-8 to 1e37). Such a D is what %.15g prints: a 15-digit decimal
 * survives decimal -> double -> 15 digits. Returns 0 when this does not apply.
 */
static size_t num_format_short(double v, char *buf)
{
#if FLT_EVAL_METHOD == 0
	double a = fabs(v), scaled;
	char digits[20];
	uint64_t bits, mant;
	int exp2, exp10, k, ndig;
	size_t len = 0;

	memcpy(&bits, &a, sizeof bits);
	exp2 = (int)(bits >> 52) - 1023;
	/* floor(exp2 * log10(2)): the decimal exponent of a, or one less */
	exp10 = exp2 >= 0 ? exp2 * 78913 / 262144 : -((-exp2 * 78913 + 262143) / 262144);

	/* Scale a to 15 integer digits, again if exp10 was one short; check exactly. */
	k = 14 - exp10;
	if (k > 22 || k < -21)
		return 0;
	scaled = k >= 0 ? a * num_pow10[k] : a / num_pow10[-k];
	if (scaled >= 1e15) {
		k--;
		scaled = k >= 0 ? a * num_pow10[k] : a / num_pow10[-k];
	}
	if (scaled >= 1e15)
		return 0;
	mant = (uint64_t)(scaled + 0.5);
	if ((k >= 0 ? (double)mant / num_pow10[k] : (double)mant * num_pow10[-k]) != a)
		return 0;
	while (mant % 10 == 0) {
		mant /= 10;
		k--;
	}
	ndig = (int)num_put_uint(mant, digits);
	exp10 = ndig - 1 - k;

	if (signbit(v))
		buf[len++] = '-';
	if (exp10 < -4 || exp10 >= 15) {
		buf[len++] = digits[0];
		if (ndig > 1) {
			buf[len++] = '.';
			memcpy(buf + len, digits + 1, (size_t)ndig - 1);
			len += (size_t)ndig - 1;
		}
		buf[len++] = 'e';
		buf[len++] = exp10 < 0 ? '-' : '+';
		if (exp10 < 0)
			exp10 = -exp10;
		if (exp10 < 10)
			buf[len++] = '0';
		len += num_put_uint((uint64_t)exp10, buf + len);
	} else if (exp10 >= 0) {
		if (k <= 0)	/* integral: num_format_int's case */
			return 0;
		memcpy(buf + len, digits, (size_t)exp10 + 1);
		len += (size_t)exp10 + 1;
		buf[len++] = '.';
		memcpy(buf + len, digits + exp10 + 1, (size_t)k);
		len += (size_t)k;
	} else {
		buf[len++] = '0';
		buf[len++] = '.';
		memset(buf + len, '0', (size_t)(-exp10 - 1));
		len += (size_t)(-exp10 - 1);
		memcpy(buf + len, digits, (size_t)ndig);
		len += (size_t)ndig;
	}
	buf[len] = '\0';
	return len;
#else
	(void)v;
	(void)buf;
	return 0;
#endif
}

/*
 * Without a C locale object printf uses the caller's decimal point, which may
 * be ',' or several bytes: put '.' back in its place.
 */
static size_t num_fix_point(char *buf, size_t len)
{
	size_t i = 0, j;

	while (i < len && (num_is_digit(buf[i]) || buf[i] == '-'))
		i++;
	if (i == len || buf[i] == 'e')
		return len;
	j = i;
	while (j < len && !num_is_digit(buf[j]))
		j++;
	buf[i] = '.';
	memmove(buf + i + 1, buf + j, len - j + 1);
	return len - (j - i - 1);
}

size_t ts_num_format(double v, char *buf)
{
	locale_t c_locale, old = (locale_t)0;
	size_t len = 0;
	int prec;

	if (isnan(v)) {
		buf[0] = '\0';
		return 0;
	}
	if (isinf(v)) {
		strcpy(buf, v < 0 ? "-inf" : "inf");
		return v < 0 ? 4 : 3;
	}
	if (fabs(v) < 9007199254740992.0 && v == trunc(v))
		return num_format_int(v, buf);
	len = num_format_short(v, buf);
	if (len > 0)
		return len;

	c_locale = num_locale();
	if (c_locale != (locale_t)0)
		old = uselocale(c_locale);
	/*
	 * %.15g is the shortest when anything of 15 digits or fewer round-trips,
	 * since every such decimal survives decimal -> double -> 15 digits. That
	 * holds for normal numbers only; subnormals, with fewer bits, start at 1.
	 */
	for (prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
		double back;
		int n = snprintf(buf, TS_NUM_BUFSIZE, "%.*g", prec, v);

		len = n > 0 && n < TS_NUM_BUFSIZE ? (size_t)n : 0;
		if (c_locale == (locale_t)0)
			len = num_fix_point(buf, len);
		if (ts_num_parse(buf, len, &back) == 0 && back == v)
			break;
	}
	if (c_locale != (locale_t)0)
		uselocale(old);
	return len;
}
