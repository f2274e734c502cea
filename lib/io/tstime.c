/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tstime: timestamps parsed and written by hand, durations, zones and wall-clock bucketing;
 * civil dates from H. Hinnant's era formulas ("chrono-Compatible Low-Level Date Algorithms"). */
#include "io/tstime.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/num.h"

#define US_PER_MS   INT64_C(1000)
#define US_PER_MIN  INT64_C(60000000)
#define US_PER_HOUR INT64_C(3600000000)
#define DAY         TS_US_PER_DAY

/* Every instant the library computes with is kept within +-2^60 us (about
 * 36,000 years), so an instant plus an offset plus a day never overflows. */
#define TIME_LIMIT (INT64_C(1) << 60)

/* What text can denote: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z. */
#define TEXT_MIN (INT64_C(-62167219200) * TS_US_PER_S)
#define TEXT_MAX (INT64_C(253402300800) * TS_US_PER_S - 1)

/* Durations stop at 10,000 years. */
#define DUR_MAX_MONTHS INT64_C(120000)
#define DUR_MAX_US     (INT64_C(3652425) * DAY)

/* Offsets that ISO text can carry: +-23:59. */
#define OFFSET_MAX (23 * 3600 + 59 * 60)

static const int64_t pow10_table[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000
};

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char two_digits[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static ts_time clamp_time(ts_time t)
{
	if (t > TIME_LIMIT)
		return TIME_LIMIT;
	if (t < -TIME_LIMIT)
		return -TIME_LIMIT;
	return t;
}

/* a + b*n kept within +-TIME_LIMIT. */
static ts_time add_scaled(ts_time a, int64_t b, int64_t n)
{
	int64_t prod;
	int64_t sum;

	if (__builtin_mul_overflow(b, n, &prod))
		return ((b < 0) != (n < 0)) ? -TIME_LIMIT : TIME_LIMIT;
	if (__builtin_add_overflow(a, prod, &sum))
		return prod < 0 ? -TIME_LIMIT : TIME_LIMIT;
	return clamp_time(sum);
}

static bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* Whether s[0] and s[1] are both digits. */
static bool two_digits_at(const char *s)
{
	return is_digit(s[0]) && is_digit(s[1]);
}

static unsigned num2(const char *s)
{
	return (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t ts_days_from_civil(int64_t year, unsigned month, unsigned day)
{
	/* Years start in March so that the leap day ends them; a 400-year era
	 * has exactly 146097 days, and 719468 days separate 0000-03-01 from
	 * 1970-01-01. */
	int64_t y = year - (month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t year_of_era = y - era * 400;
	int64_t month_from_march = (month + 9) % 12;
	int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * 146097 + day_of_era - 719468;
}

void ts_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524
			       - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t month_from_march = (5 * day_of_year + 2) / 153;
	unsigned m = (unsigned)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);

	*day = (unsigned)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
	*month = m;
	*year = year_of_era + era * 400 + (m <= 2);
}

unsigned ts_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	return (unsigned)floor_mod(days + 3, 7) + 1;
}

/* ---- errors ---- */

/* Fill err with code and "bad WHAT "S"", and ": REASON" when there is one;
 * returns code. */
static int bad_value(struct ts_err *err, int code, const char *what, const char *s, size_t len,
		     const char *reason, va_list ap) __attribute__((format(printf, 6, 0)));

static int bad_value(struct ts_err *err, int code, const char *what, const char *s, size_t len,
		     const char *reason, va_list ap)
{
	char quoted[200];
	char why[160];

	ts_err_quote(s, len, quoted, sizeof quoted);
	if (reason == NULL)
		return ts_err_set(err, code, "bad %s \"%s\"", what, quoted);
	vsnprintf(why, sizeof why, reason, ap);
	return ts_err_set(err, code, "bad %s \"%s\": %s", what, quoted, why);
}

static int bad_time(struct ts_err *err, const char *s, size_t len, const char *reason, ...)
	__attribute__((format(printf, 4, 5)));

static int bad_time(struct ts_err *err, const char *s, size_t len, const char *reason, ...)
{
	va_list ap;
	int rc;

	va_start(ap, reason);
	rc = bad_value(err, TS_EINPUT, "timestamp", s, len, reason, ap);
	va_end(ap);
	return rc;
}

static int bad_dur(struct ts_err *err, const char *s, const char *reason, ...)
	__attribute__((format(printf, 3, 4)));

static int bad_dur(struct ts_err *err, const char *s, const char *reason, ...)
{
	va_list ap;
	int rc;

	va_start(ap, reason);
	rc = bad_value(err, TS_EUSAGE, "duration", s, strlen(s), reason, ap);
	va_end(ap);
	return rc;
}

/* ---- parsing ---- */

/* "+02:00", "+0200" or "+02" filling all of s[0..n). Returns false on a
 * syntax error; ranges are the caller's to check, so it can word them. */
static bool scan_offset(const char *s, size_t n, int *sign, unsigned *hours,
			unsigned *minutes, int *style)
{
	if (n < 3 || (s[0] != '+' && s[0] != '-') || !two_digits_at(s + 1))
		return false;
	*sign = s[0] == '-' ? -1 : 1;
	*hours = num2(s + 1);
	*minutes = 0;
	if (n == 3) {
		*style = 2;
	} else if (n == 5 && two_digits_at(s + 3)) {
		*minutes = num2(s + 3);
		*style = 1;
	} else if (n == 6 && s[3] == ':' && two_digits_at(s + 4)) {
		*minutes = num2(s + 4);
		*style = 0;
	} else {
		return false;
	}
	return true;
}

/* Fraction digits f (nd of them, nd <= 9) in units of 10^-prec, truncated. */
static int64_t scale_fraction(int64_t f, int nd, int prec)
{
	if (nd <= prec)
		return f * pow10_table[prec - nd];
	return f / pow10_table[nd - prec];
}

/* cache (may be NULL) holds the last date read. known_day: s starts with
 * it, so the date part was read, checked and counted before, and the
 * checks below, which it passed then, are skipped with it: the result and
 * every message are those of a full read. */
static int parse_iso(const char *s, size_t len, struct ts_time_cache *cache, bool known_day,
		     ts_time *out, struct ts_tfmt *fmt, struct ts_err *err)
{
	struct ts_tfmt f = { .kind = TS_TK_DATE, .sep = 'T' };
	unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
	unsigned off_h = 0, off_m = 0;
	int off_sign = 1;
	int64_t year = 0, frac_us = 0, days = 0;
	size_t p;

	if (known_day) {
		days = cache->days;
	} else {
		if (len < 10 || s[7] != '-' || !two_digits_at(s + 5) || !two_digits_at(s + 8))
			return bad_time(err, s, len, NULL);
		year = (int64_t)num2(s) * 100 + num2(s + 2);
		month = num2(s + 5);
		day = num2(s + 8);
	}
	if (len > 10) {
		f.kind = TS_TK_DATETIME;
		f.sep = s[10];
		if ((f.sep != 'T' && f.sep != ' ') || len < 16 || !two_digits_at(s + 11)
		    || s[13] != ':' || !two_digits_at(s + 14))
			return bad_time(err, s, len, NULL);
		hour = num2(s + 11);
		minute = num2(s + 14);
		p = 16;
		if (p < len && s[p] == ':') {
			if (len - p < 3 || !two_digits_at(s + p + 1))
				return bad_time(err, s, len, NULL);
			second = num2(s + p + 1);
			f.seconds = true;
			p += 3;
			if (p < len && (s[p] == '.' || s[p] == ',')) {
				size_t start = ++p;
				int64_t digits = 0;

				while (p < len && is_digit(s[p])) {
					if (p - start < 9)
						digits = digits * 10 + (s[p] - '0');
					p++;
				}
				if (p == start)
					return bad_time(err, s, len, NULL);
				if (p - start > 9)
					return bad_time(err, s, len, "more than 9 fraction digits");
				f.frac_digits = (int)(p - start);
				frac_us = scale_fraction(digits, f.frac_digits, 6);
			}
		}
		if (p < len) {
			if (s[p] == 'Z' && p + 1 == len)
				f.tz = TS_TZK_Z;
			else if (scan_offset(s + p, len - p, &off_sign, &off_h, &off_m, &f.offset_style))
				f.tz = TS_TZK_OFFSET;
			else
				return bad_time(err, s, len, NULL);
		}
	}
	if (!known_day) {
		if (month < 1 || month > 12)
			return bad_time(err, s, len, "month %u out of range", month);
		if (day < 1 || day > 31)
			return bad_time(err, s, len, "day %u out of range", day);
		if (day > days_in_month(year, month))
			return bad_time(err, s, len, "day %u is not in %s %04d", day,
					month_names[month - 1], (int)year);
		days = ts_days_from_civil(year, month, day);
	}
	if (hour > 23)
		return bad_time(err, s, len, "hour %u out of range", hour);
	if (minute > 59)
		return bad_time(err, s, len, "minute %u out of range", minute);
	if (second > 59)
		return bad_time(err, s, len, "second %u out of range", second);
	if (off_h > 23)
		return bad_time(err, s, len, "offset hour %u out of range", off_h);
	if (off_m > 59)
		return bad_time(err, s, len, "offset minute %u out of range", off_m);
	f.offset_s = off_sign * (int)(off_h * 3600 + off_m * 60);
	*out = days * DAY
		+ (int64_t)hour * US_PER_HOUR + (int64_t)minute * US_PER_MIN
		+ (int64_t)second * TS_US_PER_S + frac_us
		- (int64_t)f.offset_s * TS_US_PER_S;
	*fmt = f;
	if (cache != NULL && !known_day) {
		memcpy(cache->date, s, 10);
		cache->days = days;
	}
	return 0;
}


static int parse_epoch(const char *s, size_t len, enum ts_epoch epoch, ts_time *out,
		       struct ts_tfmt *fmt, struct ts_err *err)
{
	/* Past 1e16 the value is out of range whatever the unit. */
	const int64_t cap = INT64_C(10000000000000000);
	struct ts_tfmt f = { .kind = TS_TK_EPOCH_S, .sep = 'T', .seconds = true };
	int64_t whole = 0, digits = 0, mag;
	bool neg = false, big = false, millis;
	size_t p = 0, start;

	if (p < len && s[p] == '-') {
		neg = true;
		p++;
	}
	start = p;
	/* Eight digits at a time over the first sixteen, which cannot reach
	 * cap (epoch seconds have ten digits, milliseconds thirteen). */
	for (uint64_t eight; p - start < 16 && len - p >= 8 && ts_num_eight_digits(s + p, &eight); p += 8)
		whole = whole * 100000000 + (int64_t)eight;
	for (; p < len && is_digit(s[p]); p++) {
		if (whole >= cap)
			big = true;
		else
			whole = whole * 10 + (s[p] - '0');
	}
	if (p == start)
		return bad_time(err, s, len, NULL);
	if (p < len && s[p] == '.') {
		start = ++p;
		for (; p < len && is_digit(s[p]); p++)
			if (p - start < 9)
				digits = digits * 10 + (s[p] - '0');
		if (p == start)
			return bad_time(err, s, len, NULL);
		if (p - start > 9) {
			if (p == len)
				return bad_time(err, s, len, "more than 9 fraction digits");
			return bad_time(err, s, len, NULL);
		}
		f.frac_digits = (int)(p - start);
	}
	if (p != len)
		return bad_time(err, s, len, NULL);
	millis = epoch == TS_EPOCH_MS
		|| (epoch == TS_EPOCH_AUTO && (big || whole >= INT64_C(100000000000)));
	/* Small enough to scale to microseconds; the range check follows. */
	if (big || whole > (millis ? INT64_C(1000000000000000) : INT64_C(1000000000000)))
		return bad_time(err, s, len, "out of range");
	if (millis) {
		f.kind = TS_TK_EPOCH_MS;
		mag = whole * US_PER_MS + scale_fraction(digits, f.frac_digits, 3);
	} else {
		mag = whole * TS_US_PER_S + scale_fraction(digits, f.frac_digits, 6);
	}
	if (neg)
		mag = -mag;
	if (mag < TEXT_MIN || mag > TEXT_MAX)
		return bad_time(err, s, len, "out of range");
	*out = mag;
	*fmt = f;
	return 0;
}

/* The clock of "YYYY-MM-DD HH:MM:SS" (T or space, Z or nothing after) on a
 * day already read: most logs' shape, read as parse_iso reads it but
 * without its general steps. false for any other shape or a clock out of
 * range, which parse_iso then reads or words the error of. */
static bool parse_clock_plain(const char *s, size_t len, int64_t days, ts_time *out,
			      struct ts_tfmt *fmt)
{
	unsigned hour, minute, second;

	if (len != 19 && !(len == 20 && s[19] == 'Z'))
		return false;
	if ((s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' ||
	    !two_digits_at(s + 11) || !two_digits_at(s + 14) || !two_digits_at(s + 17))
		return false;
	hour = num2(s + 11);
	minute = num2(s + 14);
	second = num2(s + 17);
	if (hour > 23 || minute > 59 || second > 59)
		return false;
	*out = days * DAY + (int64_t)hour * US_PER_HOUR + (int64_t)minute * US_PER_MIN
		+ (int64_t)second * TS_US_PER_S;
	memset(fmt, 0, sizeof *fmt);
	fmt->kind = TS_TK_DATETIME;
	fmt->sep = s[10];
	fmt->seconds = true;
	fmt->tz = len == 20 ? TS_TZK_Z : TS_TZK_NAIVE;
	return true;
}

int ts_time_parse(const char *s, size_t len, enum ts_epoch epoch,
		  ts_time *out, struct ts_tfmt *fmt, struct ts_err *err)
{
	return ts_time_parse_next(NULL, s, len, epoch, out, fmt, err);
}

int ts_time_parse_next(struct ts_time_cache *cache, const char *s, size_t len, enum ts_epoch epoch,
		       ts_time *out, struct ts_tfmt *fmt, struct ts_err *err)
{
	/* an empty cache holds NULs, where a date it holds has its '-' */
	if (cache != NULL && len >= 10 && s[4] == '-' && memcmp(s, cache->date, 10) == 0) {
		if (parse_clock_plain(s, len, cache->days, out, fmt))
			return 0;
		return parse_iso(s, len, cache, true, out, fmt, err);
	}
	if (len > 4 && s[4] == '-' && two_digits_at(s) && two_digits_at(s + 2))
		return parse_iso(s, len, cache, false, out, fmt, err);
	return parse_epoch(s, len, epoch, out, fmt, err);
}

/* ---- zones ---- */

/* Offset of the process's zone (set by ts_zone_open) at t. localtime_r is
 * thread-safe and reads no environment once tzset has run. */
static int named_offset(ts_time t)
{
	time_t secs = (time_t)floor_div(clamp_time(t), TS_US_PER_S);
	struct tm tm;

	if (localtime_r(&secs, &tm) == NULL)
		return 0;
	return (int)tm.tm_gmtoff;
}

int ts_zone_offset(const struct ts_zone *zone, ts_time t)
{
	if (zone == NULL)
		return 0;
	switch (zone->kind) {
	case TS_ZONE_UTC:
		return 0;
	case TS_ZONE_FIXED:
		return zone->offset_s;
	case TS_ZONE_NAMED:
		return named_offset(t);
	}
	return 0;
}

static bool is_named(const struct ts_zone *zone)
{
	return zone != NULL && zone->kind == TS_ZONE_NAMED;
}

static ts_time offset_us(int offset_s)
{
	return (ts_time)offset_s * TS_US_PER_S;
}

enum wall_kind { WALL_ONE, WALL_TWO, WALL_GAP };

/* How a wall-clock reading maps to instants in the named zone. */
struct wall_fit {
	enum wall_kind kind;
	ts_time first;		/* WALL_ONE, WALL_TWO: the earliest instant that reads wall */
	ts_time last;		/* WALL_ONE, WALL_TWO: the latest one */
	int before, after;	/* WALL_GAP: offsets either side of the jump */
};

/* Solve t + offset(t) == wall. Every solution is wall minus an offset in
 * force within a day of wall; the offsets a day before and after are the
 * ones either side of any transition near wall, and each candidate that
 * fails its check names the offset to try next. */
static void fit_wall(ts_time wall, struct wall_fit *fit)
{
	int cand[4];
	int ncand = 0, largest = 0, smallest = 0, nvalid = 0;
	int before = named_offset(wall - DAY);
	int after = named_offset(wall + DAY);

	cand[ncand++] = before;
	if (after != before)
		cand[ncand++] = after;
	for (int i = 0; i < ncand; i++) {
		int at = named_offset(wall - offset_us(cand[i]));
		bool seen = false;

		if (at == cand[i]) {
			if (nvalid == 0 || cand[i] > largest)
				largest = cand[i];
			if (nvalid == 0 || cand[i] < smallest)
				smallest = cand[i];
			nvalid++;
			continue;
		}
		for (int j = 0; j < ncand; j++)
			seen = seen || cand[j] == at;
		if (!seen && ncand < 4)
			cand[ncand++] = at;
	}
	if (nvalid > 0) {
		fit->kind = nvalid == 1 ? WALL_ONE : WALL_TWO;
		fit->first = wall - offset_us(largest);
		fit->last = wall - offset_us(smallest);
		return;
	}
	fit->kind = WALL_GAP;
	fit->before = before < after ? before : after;
	fit->after = before < after ? after : before;
	for (int i = 0; i < ncand; i++) {
		fit->before = cand[i] < fit->before ? cand[i] : fit->before;
		fit->after = cand[i] > fit->after ? cand[i] : fit->after;
	}
}

/* The first instant in (lo, hi] whose offset differs from offset_lo, the
 * offset at lo. Zone transitions fall on whole seconds. */
static ts_time find_change(ts_time lo, ts_time hi, int offset_lo)
{
	int64_t a = floor_div(lo, TS_US_PER_S);
	int64_t b = floor_div(hi, TS_US_PER_S);

	if (named_offset(b * TS_US_PER_S) == offset_lo)
		return hi;
	while (b - a > 1) {
		int64_t mid = a + (b - a) / 2;

		if (named_offset(mid * TS_US_PER_S) == offset_lo)
			a = mid;
		else
			b = mid;
	}
	return b * TS_US_PER_S > lo ? b * TS_US_PER_S : hi;
}

/* The instant a calendar bucket whose wall clock starts at wall begins: the
 * first instant after which the clock never again reads less than wall.
 * That is its earliest reading, unless the clock later steps back across it
 * (Guam 1969: 00:00:59 back to 23:01), when it is the latest; and when a gap
 * skips wall, the jump over it. */
static ts_time calendar_start(ts_time wall)
{
	struct wall_fit fit;
	ts_time lo, hi;

	fit_wall(wall, &fit);
	if (fit.kind == WALL_TWO && named_offset(fit.last - 1) == named_offset(fit.last))
		return fit.last;
	if (fit.kind != WALL_GAP)
		return fit.first;
	hi = wall - offset_us(fit.before);
	if (named_offset(hi - 1) == fit.before)
		return hi;
	lo = wall - offset_us(fit.after);
	if (named_offset(lo) != fit.before)
		return hi;
	return find_change(lo, hi, fit.before);
}

ts_time ts_zone_from_wall(const struct ts_zone *zone, ts_time wall)
{
	struct wall_fit fit;

	wall = clamp_time(wall);
	if (zone == NULL || zone->kind == TS_ZONE_UTC)
		return wall;
	if (zone->kind == TS_ZONE_FIXED)
		return wall - offset_us(zone->offset_s);
	fit_wall(wall, &fit);
	if (fit.kind != WALL_GAP)
		return fit.first;
	/* Read with the offset in force before the gap: the clock shows wall
	 * moved forward by the gap. */
	return wall - offset_us(fit.before);
}

void ts_zone_from_fmt(const struct ts_tfmt *fmt, struct ts_zone *zone)
{
	memset(zone, 0, sizeof *zone);
	if (fmt->kind == TS_TK_DATETIME && fmt->tz == TS_TZK_OFFSET) {
		zone->kind = TS_ZONE_FIXED;
		zone->offset_s = fmt->offset_s;
	} else {
		zone->kind = TS_ZONE_UTC;
	}
}

/* "HH:MM", or "HH:MM:SS" when there are seconds, of a wall-clock instant. */
static void clock_text(ts_time wall, char buf[16])
{
	int64_t s = floor_mod(floor_div(wall, TS_US_PER_S), 86400);

	if (s % 60 != 0)
		snprintf(buf, 16, "%02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, 16, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
}

int ts_time_resolve(ts_time parsed, const struct ts_tfmt *fmt, const struct ts_zone *zone,
		    ts_time prev, ts_time *out, struct ts_err *err)
{
	struct wall_fit fit;
	ts_time jump;
	char from[16], to[16];

	*out = parsed;
	if (zone == NULL || zone->kind == TS_ZONE_UTC ||
	    !(fmt->kind == TS_TK_DATE || (fmt->kind == TS_TK_DATETIME && fmt->tz == TS_TZK_NAIVE)))
		return 0;
	if (zone->kind == TS_ZONE_FIXED || fmt->kind == TS_TK_DATE) {
		/* a date is a day: it starts where the day does */
		*out = ts_zone_from_wall(zone, parsed);
		return 0;
	}
	parsed = clamp_time(parsed);
	fit_wall(parsed, &fit);
	if (fit.kind == WALL_ONE) {
		*out = fit.first;
		return 0;
	}
	if (fit.kind == WALL_TWO) {
		/* a fall-back repeats the reading: the second time round when the
		 * row before came at or after the first (time runs forward) */
		*out = prev >= fit.first && fit.last > prev ? fit.last : fit.first;
		return 0;
	}
	jump = parsed - offset_us(fit.before);
	if (named_offset(parsed - offset_us(fit.after)) == fit.before)
		jump = find_change(parsed - offset_us(fit.after), jump, fit.before);
	clock_text(jump + offset_us(fit.before), from);
	clock_text(jump + offset_us(fit.after), to);
	return ts_err_set(err, TS_EINPUT, "not a time in %s (the clocks jump from %s to %s)", zone->name,
			  from, to);
}

bool ts_time_writable(ts_time t, const struct ts_tfmt *fmt, const struct ts_zone *zone)
{
	char buf[TS_TIME_BUFSIZE];

	if (fmt->kind == TS_TK_EPOCH_S || fmt->kind == TS_TK_EPOCH_MS)
		return t >= TEXT_MIN && t <= TEXT_MAX;
	ts_time_format(t, fmt, zone, buf);
	return buf[0] >= '0' && buf[0] <= '9';
}

/* Fraction digits needed to write rest, a remainder below 10^max_digits units. */
static int frac_digits_needed(ts_time rest, int max_digits)
{
	int digits = max_digits;

	if (rest == 0)
		return 0;
	while (rest % 10 == 0) {
		rest /= 10;
		digits--;
	}
	return digits;
}

void ts_tfmt_for_interval(const struct ts_tfmt *in, const struct ts_dur *interval, struct ts_tfmt *out)
{
	int digits;

	*out = *in;
	if (interval->months > 0)
		return;
	if (out->kind == TS_TK_DATE && interval->us % TS_US_PER_DAY != 0) {
		out->kind = TS_TK_DATETIME;
		out->sep = ' ';
		out->seconds = true;
		out->tz = TS_TZK_NAIVE;
	}
	if (out->kind == TS_TK_DATETIME && !out->seconds && interval->us % (60 * TS_US_PER_S) != 0)
		out->seconds = true;
	if (out->kind == TS_TK_DATE)
		return;
	if (out->kind == TS_TK_EPOCH_MS)
		digits = frac_digits_needed(interval->us % 1000, 3);
	else
		digits = frac_digits_needed(interval->us % TS_US_PER_S, 6);
	if (digits > out->frac_digits)
		out->frac_digits = digits;
}

/* IANA names are "/"-separated components of letters, digits, "_", "-" and
 * "+", none empty and none starting with a sign: no "..", no hidden files,
 * no absolute paths, no POSIX TZ rules. The "right/" zones count leap
 * seconds, which the arithmetic here does not. */
static bool zone_name_ok(const char *name, size_t maxlen)
{
	size_t len = strlen(name);
	bool component_start = true;

	if (len == 0 || len > maxlen || strncmp(name, "right/", 6) == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (c == '/') {
			if (component_start)
				return false;
			component_start = true;
			continue;
		}
		if (component_start && (c == '-' || c == '+'))
			return false;
		component_start = false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c)
		      || c == '_' || c == '-' || c == '+'))
			return false;
	}
	return !component_start;
}

/* Whether path is a regular file that starts like a TZif file. */
static bool is_tzif(const char *path)
{
	char magic[4];
	struct stat st;
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		ok = read(fd, magic, sizeof magic) == (ssize_t)sizeof magic
			&& memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

int ts_zone_open(const char *name, struct ts_zone *zone, struct ts_err *err)
{
	static const char *const system_dir = "/usr/share/zoneinfo";
	const char *dirs[2];
	char quoted[200];
	char tz[sizeof zone->name + 512];
	int sign, style;
	unsigned hours, minutes;

	memset(zone, 0, sizeof *zone);
	if (name == NULL)
		name = "";
	ts_err_quote(name, strlen(name), quoted, sizeof quoted);
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0) {
		zone->kind = TS_ZONE_UTC;
		memcpy(zone->name, "UTC", 4);
		return 0;
	}
	if (name[0] == '+' || name[0] == '-') {
		if (!scan_offset(name, strlen(name), &sign, &hours, &minutes, &style)
		    || hours > 23 || minutes > 59)
			return ts_err_set(err, TS_EUSAGE, "unknown time zone \"%s\"", quoted);
		zone->kind = TS_ZONE_FIXED;
		zone->offset_s = sign * (int)(hours * 3600 + minutes * 60);
		memcpy(zone->name, name, strlen(name) + 1);
		return 0;
	}
	if (!zone_name_ok(name, sizeof zone->name - 1))
		return ts_err_set(err, TS_EUSAGE, "unknown time zone \"%s\"", quoted);
	dirs[0] = getenv("TZDIR");
	dirs[1] = system_dir;
	for (size_t i = 0; i < 2; i++) {
		int n;

		if (dirs[i] == NULL || dirs[i][0] != '/')
			continue;
		/* The leading ':' and the full path make glibc load exactly the
		 * file checked here, whatever TZDIR says. */
		n = snprintf(tz, sizeof tz, ":%s/%s", dirs[i], name);
		if (n < 0 || (size_t)n >= sizeof tz || !is_tzif(tz + 1))
			continue;
		if (setenv("TZ", tz, 1) != 0)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		tzset();
		zone->kind = TS_ZONE_NAMED;
		memcpy(zone->name, name, strlen(name) + 1);
		return 0;
	}
	return ts_err_set(err, TS_EUSAGE, "unknown time zone \"%s\"", quoted);
}

/* ---- formatting ---- */

static char *put2(char *p, unsigned v)
{
	memcpy(p, two_digits + 2 * v, 2);
	return p + 2;
}

/* v written with exactly n digits (v < 10^n), leading zeros kept. */
static char *put_fixed(char *p, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

static size_t format_epoch(ts_time t, const struct ts_tfmt *fmt, char *buf)
{
	int prec = fmt->kind == TS_TK_EPOCH_MS ? 3 : 6;
	int nd = fmt->frac_digits < 0 ? 0 : fmt->frac_digits > 9 ? 9 : fmt->frac_digits;
	int kept = nd < prec ? nd : prec;
	/* Floor to the last digit written, so negative instants read back. */
	int64_t v = floor_div(t, pow10_table[prec - kept]);
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *p = buf;

	if (v < 0)
		*p++ = '-';
	p = ts_num_put_uint(p, mag / (uint64_t)pow10_table[kept]);
	if (nd > 0) {
		*p++ = '.';
		p = put_fixed(p, (int64_t)(mag % (uint64_t)pow10_table[kept]), kept);
		memset(p, '0', (size_t)(nd - kept));
		p += nd - kept;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

static char *put_offset(char *p, int off, int style)
{
	unsigned mag = (unsigned)(off < 0 ? -off : off);

	*p++ = off < 0 ? '-' : '+';
	p = put2(p, mag / 3600);
	if (style == 2 && mag % 3600 == 0)
		return p;
	if (style != 1)
		*p++ = ':';
	return put2(p, mag / 60 % 60);
}

/* Whether the wall clock of the named zone, reading t + off at t, reads the
 * same at another instant too: the hour a fall-back repeats. Offsets the
 * same a day either side mean no transition near t (fit_wall's horizon). */
static bool wall_repeats(ts_time t, int off)
{
	struct wall_fit fit;

	if (named_offset(t - DAY) == off && named_offset(t + DAY) == off)
		return false;
	fit_wall(t + offset_us(off), &fit);
	return fit.kind == WALL_TWO;
}

size_t ts_time_format(ts_time t, const struct ts_tfmt *fmt, const struct ts_zone *zone, char *buf)
{
	bool date_only = fmt->kind == TS_TK_DATE;
	bool write_offset = false;
	int off;
	int64_t days, year;
	ts_time rem;
	unsigned month, day, secs;
	char *p = buf;

	if (fmt->kind == TS_TK_EPOCH_S || fmt->kind == TS_TK_EPOCH_MS)
		return format_epoch(t, fmt, buf);
	t = clamp_time(t);
	if (!date_only && fmt->tz == TS_TZK_Z) {
		off = 0;
	} else if (!date_only && fmt->tz == TS_TZK_OFFSET) {
		/* ISO offsets have whole minutes: a zone's offset in seconds
		 * (local mean time) is cut to minutes, and the clock written
		 * follows the offset written, so the text still names t. */
		off = is_named(zone) ? ts_zone_offset(zone, t) : fmt->offset_s;
		off = off / 60 * 60;
		off = off > OFFSET_MAX ? OFFSET_MAX : off < -OFFSET_MAX ? -OFFSET_MAX : off;
		write_offset = true;
	} else {
		off = ts_zone_offset(zone, t);
		if (!date_only && is_named(zone) && wall_repeats(t, off)) {
			/* naive text would not say which reading this is */
			off = off / 60 * 60;
			off = off > OFFSET_MAX ? OFFSET_MAX : off < -OFFSET_MAX ? -OFFSET_MAX : off;
			write_offset = true;
		}
	}
	days = floor_div(t, DAY);
	rem = t - days * DAY + offset_us(off);
	while (rem < 0) {
		rem += DAY;
		days--;
	}
	while (rem >= DAY) {
		rem -= DAY;
		days++;
	}
	ts_civil_from_days(days, &year, &month, &day);
	if (year >= 0 && year <= 9999) {
		p = put2(p, (unsigned)(year / 100));
		p = put2(p, (unsigned)(year % 100));
	} else {
		/* Only reachable through an offset or zone near the ends of the
		 * range: written in ISO's expanded form, never truncated. */
		*p++ = year < 0 ? '-' : '+';
		p = put_fixed(p, year < 0 ? -year : year, year < -99999 || year > 99999 ? 6 : 5);
	}
	*p++ = '-';
	p = put2(p, month);
	*p++ = '-';
	p = put2(p, day);
	if (!date_only) {
		secs = (unsigned)(rem / TS_US_PER_S);
		*p++ = fmt->sep == ' ' ? ' ' : 'T';
		p = put2(p, secs / 3600);
		*p++ = ':';
		p = put2(p, secs / 60 % 60);
		if (fmt->seconds) {
			int nd = fmt->frac_digits < 0 ? 0 : fmt->frac_digits > 9 ? 9 : fmt->frac_digits;
			int kept = nd < 6 ? nd : 6;

			*p++ = ':';
			p = put2(p, secs % 60);
			if (nd > 0) {
				*p++ = '.';
				p = put_fixed(p, rem % TS_US_PER_S / pow10_table[6 - kept], kept);
				memset(p, '0', (size_t)(nd - kept));
				p += nd - kept;
			}
		}
		if (fmt->tz == TS_TZK_Z)
			*p++ = 'Z';
		else if (write_offset)
			p = put_offset(p, off, fmt->offset_style);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* ---- durations ---- */

struct dur_unit {
	const char *name;
	int32_t months;
	ts_time us;
};

/* Largest first: a run must name its units in this order, each at most once. */
static const struct dur_unit dur_units[] = {
	{ "y", 12, 0 }, { "q", 3, 0 }, { "mo", 1, 0 },
	{ "w", 0, 7 * DAY }, { "d", 0, DAY }, { "h", 0, US_PER_HOUR }, { "m", 0, US_PER_MIN },
	{ "s", 0, TS_US_PER_S }, { "ms", 0, US_PER_MS }, { "us", 0, 1 }
};

/* Adds value units of (months, us) to the totals; false when too large. */
static bool dur_accumulate(int64_t value, int32_t months, ts_time us,
			   int64_t *total_months, int64_t *total_us)
{
	if (months > 0) {
		if (value > DUR_MAX_MONTHS)
			return false;
		*total_months += value * months;
		return *total_months <= DUR_MAX_MONTHS;
	}
	if (value > DUR_MAX_US / us)
		return false;
	*total_us += value * us;
	return *total_us <= DUR_MAX_US;
}

/* Reads a decimal count at *p; false when there is none. Large counts stop
 * growing past the limit so they fail the range check, never overflow. */
static bool read_count(const char **p, int64_t *value)
{
	const char *s = *p;

	if (!is_digit(*s))
		return false;
	*value = 0;
	for (; is_digit(*s); s++)
		*value = *value > DUR_MAX_US ? *value : *value * 10 + (*s - '0');
	*p = s;
	return true;
}

static int dur_finish(const char *text, int64_t months, int64_t us, struct ts_dur *d,
		      struct ts_err *err)
{
	if (months > 0 && us > 0)
		return bad_dur(err, text, "months cannot be mixed with fixed units");
	if (months == 0 && us == 0)
		return bad_dur(err, text, "must be positive");
	d->months = (int32_t)months;
	d->us = us;
	return 0;
}

static int dur_parse_iso(const char *text, struct ts_dur *d, struct ts_err *err)
{
	static const char date_designators[] = "YMWD";
	static const char time_designators[] = "HMS";
	static const int32_t date_months[] = { 12, 1, 0, 0 };
	static const ts_time date_us[] = { 0, 0, 7 * DAY, DAY };
	static const ts_time time_us[] = { US_PER_HOUR, US_PER_MIN, TS_US_PER_S };
	const char *p = text + 1;
	int64_t months = 0, us = 0, value;
	int last = -1;
	bool in_time = false, any = false, any_time = false;

	while (*p != '\0') {
		const char *where;
		int rank;

		if (*p == 'T') {
			if (in_time)
				return bad_dur(err, text, NULL);
			in_time = true;
			p++;
			continue;
		}
		if (!read_count(&p, &value) || *p == '\0')
			return bad_dur(err, text, NULL);
		where = strchr(in_time ? time_designators : date_designators, *p);
		if (where == NULL)
			return bad_dur(err, text, NULL);
		rank = (int)(where - (in_time ? time_designators : date_designators)) + (in_time ? 4 : 0);
		if (rank <= last)
			return bad_dur(err, text, NULL);
		last = rank;
		p++;
		any = true;
		any_time = any_time || in_time;
		if (!(in_time ? dur_accumulate(value, 0, time_us[rank - 4], &months, &us)
		      : dur_accumulate(value, date_months[rank], date_us[rank], &months, &us)))
			return bad_dur(err, text, "too large");
	}
	if (!any || (in_time && !any_time))
		return bad_dur(err, text, NULL);
	return dur_finish(text, months, us, d, err);
}

int ts_dur_parse(const char *s, struct ts_dur *d, struct ts_err *err)
{
	const size_t nunits = sizeof dur_units / sizeof dur_units[0];
	const char *p;
	int64_t months = 0, us = 0, value;
	size_t last = 0;
	bool first = true;

	if (s == NULL)
		s = "";
	if (s[0] == 'P')
		return dur_parse_iso(s, d, err);
	if (s[0] == '-') {
		struct ts_dur ignored;

		if (ts_dur_parse(s + 1, &ignored, NULL) == 0)
			return bad_dur(err, s, "must be positive");
		return bad_dur(err, s, NULL);
	}
	if (s[0] == '\0')
		return bad_dur(err, s, NULL);
	p = s;
	while (*p != '\0') {
		const char *name;
		size_t namelen, u;

		if (!read_count(&p, &value))
			return bad_dur(err, s, NULL);
		name = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			p++;
		namelen = (size_t)(p - name);
		if (namelen == 0)
			return *p == '\0' ? bad_dur(err, s, "missing unit") : bad_dur(err, s, NULL);
		for (u = 0; u < nunits; u++)
			if (strlen(dur_units[u].name) == namelen
			    && memcmp(dur_units[u].name, name, namelen) == 0)
				break;
		if (u == nunits) {
			char quoted[64];

			ts_err_quote(name, namelen, quoted, sizeof quoted);
			return bad_dur(err, s, "unknown unit \"%s\"", quoted);
		}
		if (!first && u <= last)
			return bad_dur(err, s, "units out of order");
		first = false;
		last = u;
		if (!dur_accumulate(value, dur_units[u].months, dur_units[u].us, &months, &us))
			return bad_dur(err, s, "too large");
	}
	return dur_finish(s, months, us, d, err);
}

size_t ts_dur_format(const struct ts_dur *d, char *buf)
{
	static const char *const fixed_names[] = { "w", "d", "h", "m", "s", "ms", "us" };
	static const ts_time fixed_us[] = {
		7 * DAY, DAY, US_PER_HOUR, US_PER_MIN, TS_US_PER_S, US_PER_MS, 1
	};
	char *p = buf;

	if (d->months != 0) {
		uint64_t mag = d->months < 0 ? (uint64_t)0 - (uint64_t)(int64_t)d->months
					     : (uint64_t)d->months;

		if (d->months < 0)
			*p++ = '-';
		if (mag / 12 != 0) {
			p = ts_num_put_uint(p, mag / 12);
			*p++ = 'y';
		}
		if (mag % 12 != 0) {
			p = ts_num_put_uint(p, mag % 12);
			memcpy(p, "mo", 2);
			p += 2;
		}
	} else if (d->us == 0) {
		memcpy(p, "0s", 2);
		p += 2;
	} else {
		uint64_t mag = d->us < 0 ? (uint64_t)0 - (uint64_t)d->us : (uint64_t)d->us;

		if (d->us < 0)
			*p++ = '-';
		for (size_t i = 0; i < sizeof fixed_us / sizeof fixed_us[0]; i++) {
			uint64_t count = mag / (uint64_t)fixed_us[i];

			if (count == 0)
				continue;
			mag -= count * (uint64_t)fixed_us[i];
			p = ts_num_put_uint(p, count);
			memcpy(p, fixed_names[i], strlen(fixed_names[i]));
			p += strlen(fixed_names[i]);
		}
	}
	*p = '\0';
	return (size_t)(p - buf);
}

bool ts_dur_is_calendar(const struct ts_dur *d)
{
	return d->months > 0 || (d->months == 0 && d->us > 0 && d->us % DAY == 0);
}

/* ---- bucketing ---- */

static bool dur_valid(const struct ts_dur *d)
{
	return d->months > 0 || (d->months == 0 && d->us > 0);
}

/* Month index counted from January 1970 and back. */
static int64_t month_index(int64_t days)
{
	int64_t year;
	unsigned month, day;

	ts_civil_from_days(days, &year, &month, &day);
	return (year - 1970) * 12 + month - 1;
}

static int64_t days_of_month_index(int64_t index, unsigned day)
{
	int64_t year = 1970 + floor_div(index, 12);
	unsigned month = (unsigned)floor_mod(index, 12) + 1;
	unsigned last = days_in_month(year, month);

	return ts_days_from_civil(year, month, day < last ? day : last);
}

/* Month indexes stay within what TIME_LIMIT can hold. */
static int64_t clamp_months(int64_t index)
{
	const int64_t limit = INT64_C(40000) * 12;

	return index > limit ? limit : index < -limit ? -limit : index;
}

/* The wall clock at which the bucket holding wall starts; *calendar tells
 * whether buckets of d begin at local midnight. */
static ts_time wall_floor(ts_time wall, const struct ts_dur *d, bool *calendar)
{
	int64_t days = floor_div(wall, DAY);

	*calendar = true;
	if (d->months > 0) {
		int64_t index = month_index(days);

		return days_of_month_index(floor_div(index, d->months) * d->months, 1) * DAY;
	}
	if (d->us % DAY == 0) {
		int64_t n = d->us / DAY;

		/* Whole weeks start on Mondays, counted from Monday 1970-01-05. */
		if (n % 7 == 0)
			return (floor_div(days - 4, n) * n + 4) * DAY;
		return floor_div(days, n) * n * DAY;
	}
	*calendar = false;
	if (d->us < DAY)
		return days * DAY + (wall - days * DAY) / d->us * d->us;
	return floor_div(wall, d->us) * d->us;
}

/* The wall clock at which the bucket after the one starting at floor starts. */
static ts_time wall_next(ts_time floor, const struct ts_dur *d)
{
	int64_t days = floor_div(floor, DAY);

	if (d->months > 0)
		return days_of_month_index(clamp_months(month_index(days) + d->months), 1) * DAY;
	if (d->us < DAY && floor + d->us > (days + 1) * DAY)
		return (days + 1) * DAY;
	return clamp_time(floor + d->us);
}

/* The wall clock at which the bucket before the one starting at floor starts. */
static ts_time wall_prev(ts_time floor, const struct ts_dur *d)
{
	int64_t days = floor_div(floor, DAY);

	if (d->months > 0)
		return days_of_month_index(clamp_months(month_index(days) - d->months), 1) * DAY;
	return clamp_time(floor - d->us);
}

/* The start of the calendar bucket holding t in a named zone, given the
 * wall-clock start of the bucket t's clock shows; *wall_start becomes the
 * wall-clock start of the bucket chosen. Right after the clock reads a
 * midnight it may step back before it: such instants belong to the bucket
 * before, which lasts until the clock reads that midnight for good. */
static ts_time calendar_floor(ts_time t, ts_time *wall_start, const struct ts_dur *d)
{
	ts_time start = calendar_start(*wall_start);

	for (int tries = 0; start > t && tries < 4; tries++) {
		*wall_start = wall_prev(*wall_start, d);
		start = calendar_start(*wall_start);
	}
	return start <= t ? start : t;
}

/* The bucket start for t in a named zone for a sub-day width: the last time
 * at or before t that the clock read wall_start (a multiple of the width),
 * or jumped over it. Two readings of the same wall time in a fall-back hour
 * are two buckets. */
static ts_time instant_start(ts_time t, ts_time wall_start, int offset_t, const struct ts_dur *d)
{
	ts_time s = wall_start - offset_us(offset_t);
	int offset_s = named_offset(s);
	ts_time c;

	if (offset_s == offset_t)
		return s;
	c = wall_start - offset_us(offset_s);
	if (offset_s > offset_t) {
		/* The clock stepped back between s and t, landing past
		 * wall_start: wall_start was read before the step, and so were
		 * any later multiples the clock reached before stepping back
		 * (a step of 42m45s lands between multiples of 30m). */
		ts_time later = wall_next(wall_start, d) - offset_us(offset_s);
		ts_time jump;
		bool calendar;

		if (later > t || named_offset(later) != offset_s)
			return c;
		jump = find_change(later, t, offset_s);
		return wall_floor(jump - 1 + offset_us(offset_s), d, &calendar) - offset_us(offset_s);
	}
	/* The clock jumped forward between s and t. */
	if (named_offset(c) == offset_s && c <= t)
		return c;
	if (named_offset(c - 1) == offset_s && c <= t)
		return c;
	return find_change(s, t, offset_s);
}

/* Where a bucket search starts: t clamped, the zone's offset there, and the
 * start on the wall clock of the bucket t is in. */
struct bucket_at {
	ts_time t, start;
	int off;
	bool calendar;	/* a calendar width (days and up) */
};

/* Fill b for t; false when d is no valid width. */
static bool bucket_locate(ts_time t, const struct ts_dur *d, const struct ts_zone *zone,
			  struct bucket_at *b)
{
	if (!dur_valid(d))
		return false;
	b->t = clamp_time(t);
	b->off = ts_zone_offset(zone, b->t);
	b->start = wall_floor(b->t + offset_us(b->off), d, &b->calendar);
	return true;
}

ts_time ts_bucket_floor(ts_time t, const struct ts_dur *d, const struct ts_zone *zone)
{
	struct bucket_at b;

	if (!bucket_locate(t, d, zone, &b))
		return t;
	if (!is_named(zone))
		return b.start - offset_us(b.off);
	if (!b.calendar)
		return instant_start(b.t, b.start, b.off, d);
	return calendar_floor(b.t, &b.start, d);
}

ts_time ts_bucket_next(ts_time t, const struct ts_dur *d, const struct ts_zone *zone)
{
	struct bucket_at b;
	ts_time cur, step, boundary;

	if (!bucket_locate(t, d, zone, &b))
		return t;
	if (!is_named(zone))
		return clamp_time(wall_next(b.start, d) - offset_us(b.off));
	if (b.calendar) {
		calendar_floor(b.t, &b.start, d);
		return calendar_start(wall_next(b.start, d));
	}
	/* Sub-day widths in a named zone: the boundaries are wherever the
	 * clock reads a multiple, so look past the current bucket (whose length
	 * a DST change stretches) and walk back to the first boundary. */
	cur = ts_bucket_floor(b.t, d, zone);
	step = d->us;
	boundary = ts_bucket_floor(add_scaled(cur, step, 1), d, zone);
	while (boundary <= cur && step < TIME_LIMIT / 2) {
		step *= 2;
		boundary = ts_bucket_floor(add_scaled(cur, step, 1), d, zone);
	}
	if (boundary <= cur)
		return add_scaled(cur, d->us, 1);
	for (;;) {
		ts_time before = ts_bucket_floor(boundary - 1, d, zone);

		if (before <= cur)
			return boundary;
		boundary = before;
	}
}

ts_time ts_time_add(ts_time t, const struct ts_dur *d, int64_t n, const struct ts_zone *zone)
{
	ts_time wall, time_of_day;
	int64_t days;
	int off;

	t = clamp_time(t);
	if (!dur_valid(d))
		return t;
	if (d->months == 0 && (d->us % DAY != 0 || !is_named(zone)))
		return add_scaled(t, d->us, n);
	off = ts_zone_offset(zone, t);
	wall = t + offset_us(off);
	if (is_named(zone)) {
		/* At the very instant the clock jumps over its own day's
		 * midnight, t is where that day's bucket starts: count it as the
		 * midnight, so the step lands on the next midnight, not at the
		 * time the clock showed after the jump. */
		ts_time before = t + offset_us(named_offset(t - 1));
		ts_time midnight = floor_div(wall, DAY) * DAY;

		if (before < wall && midnight >= before)
			wall = midnight;
	}
	days = floor_div(wall, DAY);
	time_of_day = wall - days * DAY;
	if (d->months > 0) {
		int64_t year, index, shift;
		unsigned month, day;

		ts_civil_from_days(days, &year, &month, &day);
		if (__builtin_mul_overflow(n, (int64_t)d->months, &shift))
			shift = n < 0 ? -TIME_LIMIT : TIME_LIMIT;
		index = clamp_months(clamp_months((year - 1970) * 12 + month - 1) + clamp_months(shift));
		days = days_of_month_index(index, day);
	} else {
		days = floor_div(add_scaled(days * DAY, d->us, n), DAY);
	}
	wall = clamp_time(days * DAY + time_of_day);
	/* A midnight lands where its day's buckets start, so stepping bucket
	 * starts agrees with ts_bucket_floor even where a DST change skips or
	 * repeats a midnight. */
	if (is_named(zone))
		return time_of_day == 0 ? calendar_start(wall) : ts_zone_from_wall(zone, wall);
	return clamp_time(wall - offset_us(off));
}

/* ---- bounds ---- */

int ts_time_parse_bound(const char *s, ts_time now, enum ts_epoch epoch,
			ts_time *out, struct ts_tfmt *fmt, struct ts_err *err)
{
	struct ts_err inner = { 0 };
	struct ts_dur d;
	char quoted[200];

	if (s == NULL)
		s = "";
	if (strncmp(s, "now", 3) == 0 && (s[3] == '\0' || s[3] == '+' || s[3] == '-')) {
		if (s[3] == '\0') {
			*out = now;
			return 0;
		}
		if (ts_dur_parse(s + 4, &d, &inner) != 0) {
			ts_err_quote(s, strlen(s), quoted, sizeof quoted);
			return ts_err_set(err, TS_EUSAGE, "bad timestamp \"%s\": %s", quoted, inner.msg);
		}
		*out = ts_time_add(now, &d, s[3] == '-' ? -1 : 1, NULL);
		return 0;
	}
	if (ts_time_parse(s, strlen(s), epoch, out, fmt, err) != 0) {
		if (err != NULL)
			err->code = TS_EUSAGE;
		return TS_EUSAGE;
	}
	return 0;
}

static int cmp_time_index(const void *a, const void *b)
{
	const struct ts_time_index *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

void ts_time_index_sort(struct ts_time_index *p, size_t n)
{
	/* rows mostly come in time order: one look says so, and the order
	 * (time, then index) is total, so a sorted array is the answer */
	size_t k = 1;

	while (k < n && cmp_time_index(&p[k - 1], &p[k]) < 0)
		k++;
	if (k < n)
		qsort(p, n, sizeof *p, cmp_time_index);
}
