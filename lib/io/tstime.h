/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tstime: timestamps (ISO 8601, epoch s/ms) parsed and written back in their
 * own format, durations, time zones from the system database, and
 * calendar-aware bucketing in wall-clock time. */
#ifndef TS_TSTIME_H
#define TS_TSTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tserr.h"

/* Microseconds since 1970-01-01T00:00:00Z. Naive timestamps (no offset) are
 * read as UTC wall clock unless a named zone says otherwise (see ts_zone). */
typedef int64_t ts_time;

#define TS_US_PER_S   INT64_C(1000000)
#define TS_US_PER_DAY INT64_C(86400000000)

enum ts_tkind {
	TS_TK_DATE,		/* 2018-05-31 */
	TS_TK_DATETIME,		/* 2018-05-31 00:00:00, with T or space, optional :SS, fraction, offset */
	TS_TK_EPOCH_S,		/* 1527724800 (optionally with a fraction) */
	TS_TK_EPOCH_MS		/* 1527724800000 */
};

enum ts_tzkind {
	TS_TZK_NAIVE,		/* no offset written */
	TS_TZK_Z,		/* trailing Z */
	TS_TZK_OFFSET		/* +02:00, -0530, +05 */
};

/* How a timestamp was written, so output can be written the same way. */
struct ts_tfmt {
	enum ts_tkind kind;
	char sep;		/* 'T' or ' ' between date and time */
	bool seconds;		/* HH:MM:SS (true) or HH:MM */
	int frac_digits;	/* 0..9 digits after the decimal point */
	enum ts_tzkind tz;
	int offset_s;		/* TS_TZK_OFFSET: seconds east of UTC as written */
	int offset_style;	/* 0 "+02:00", 1 "+0200", 2 "+02" */
};

enum ts_epoch {
	TS_EPOCH_AUTO,		/* all-digit text: ms if |value| >= 1e11, else seconds */
	TS_EPOCH_S,
	TS_EPOCH_MS
};

enum ts_zone_kind {
	TS_ZONE_UTC,
	TS_ZONE_FIXED,		/* a constant offset */
	TS_ZONE_NAMED		/* an IANA zone from the system database */
};

/* The wall clock a series lives in: UTC, a fixed offset, or a named zone. */
struct ts_zone {
	enum ts_zone_kind kind;
	int offset_s;		/* TS_ZONE_FIXED */
	char name[64];		/* TS_ZONE_NAMED */
};

/* A duration: either a whole number of calendar months or a fixed length. */
struct ts_dur {
	int32_t months;		/* > 0 for month/quarter/year durations, else 0 */
	ts_time us;		/* > 0 for fixed durations, else 0 */
};

#define TS_TIME_BUFSIZE 64

/* Parse s[0..len): ISO 8601 date or date-time (years 0000-9999; space or T;
 * HH:MM or HH:MM:SS; fraction with . or , up to 9 digits, truncated to the
 * microsecond, written back with .; Z, +-HH:MM, +-HHMM or +-HH up to 23:59),
 * or epoch seconds/milliseconds: '-'? digits ('.' digits)?, where epoch says
 * the unit (it does not affect ISO text; AUTO looks at the integer part).
 * Epoch values must lie within years 0000-9999 UTC. Impossible dates and
 * times (2018-02-30, 24:00, 12:60, second 60) are errors. Leading/trailing
 * spaces are not allowed. On success *out is the instant (naive: as if UTC)
 * and *fmt how it was written; nothing is written on error. Error: TS_EINPUT
 * "bad timestamp \"...\"" with an optional ": reason" (e.g. ": day 30 is
 * not in February 2018", ": hour 24 out of range", ": out of range"). */
int ts_time_parse(const char *s, size_t len, enum ts_epoch epoch,
		  ts_time *out, struct ts_tfmt *fmt, struct ts_err *err);

/* The date of the last ISO timestamp ts_time_parse_next read. Rows in time
 * order mostly share their day with the row before, whose date then need
 * not be read again. Start it zeroed (empty); one per thread. */
struct ts_time_cache {
	char date[10];		/* "YYYY-MM-DD" as written */
	int64_t days;		/* its day number since 1970-01-01 */
};

/* ts_time_parse, with the same results and errors, for a run of timestamps:
 * cache (NULL: none) remembers the last date read. */
int ts_time_parse_next(struct ts_time_cache *cache, const char *s, size_t len, enum ts_epoch epoch,
		       ts_time *out, struct ts_tfmt *fmt, struct ts_err *err);

/* Write t as fmt describes into buf (TS_TIME_BUFSIZE bytes, NUL-terminated);
 * returns the length. The wall clock written is that of zone: for
 * TS_TZK_OFFSET the offset written is zone's offset at t when zone is named,
 * else fmt->offset_s (and the clock follows it; offsets are cut to whole
 * minutes, so local mean time before 1900 still names t exactly); for
 * TS_TZK_NAIVE and TS_TK_DATE the wall clock is zone's (UTC when zone is
 * NULL); TS_TZK_Z always writes UTC. Epoch kinds ignore zone. A naive
 * date-time in a named zone whose wall clock reads the same at another
 * instant (the hour a fall-back repeats) gets the offset in force, as
 * "2018-10-28 02:00:00+02:00" and "...+01:00", so the text names t and
 * reads back to it; every other time stays naive. Digits beyond the
 * precision written are dropped (floor), never rounded up. Years outside
 * 0000-9999 (which ts_time_parse refuses) are written in ISO's expanded
 * form ("+10000-01-01"): see ts_time_writable. Thread-safe. */
size_t ts_time_format(ts_time t, const struct ts_tfmt *fmt, const struct ts_zone *zone, char *buf);

/* Parse "now", "now-14d", "now+1h30m" (relative to now; any duration
 * ts_dur_parse takes, months moving the UTC calendar) or a timestamp as
 * ts_time_parse does; fmt is filled for timestamps and left alone for "now".
 * Meant for option values, so every error is TS_EUSAGE: ts_time_parse's
 * message, or "bad timestamp \"now-1x\": bad duration \"1x\"...". */
int ts_time_parse_bound(const char *s, ts_time now, enum ts_epoch epoch,
			ts_time *out, struct ts_tfmt *fmt, struct ts_err *err);

/* Open a zone: "UTC"/"Z", a fixed offset "+05:30" ("+0530", "+05"), or an IANA
 * name that is a TZif file in the system zone database ($TZDIR, then
 * /usr/share/zoneinfo); names with "..", hidden or empty components, other
 * characters, or the leap-second "right/" tree are refused.
 * Side effect on the process: a named zone is not a value. Opening one
 * changes the process's environment (setenv TZ to that file, then tzset), so
 * it replaces the TZ of the whole program, its other zones included: one named
 * zone per process, opened before any thread starts; after that every
 * function here is thread-safe. UTC and fixed offsets touch nothing.
 * Error: TS_EUSAGE "unknown time zone \"...\"". */
int ts_zone_open(const char *name, struct ts_zone *zone, struct ts_err *err);

/* The zone a timestamp format implies when no --tz is given: UTC for naive
 * and Z, a fixed zone for a written offset. */
void ts_zone_from_fmt(const struct ts_tfmt *fmt, struct ts_zone *zone);

/* Seconds east of UTC in zone at instant t (0 for a NULL zone). A named zone
 * costs one localtime_r; UTC and fixed zones never read the environment. */
int ts_zone_offset(const struct ts_zone *zone, ts_time t);

/* The instant whose wall clock in zone reads wall (wall given as if UTC).
 * Wall times skipped by a DST gap move forward by the gap; repeated ones take
 * the earlier instant. */
ts_time ts_zone_from_wall(const struct ts_zone *zone, ts_time wall);

/* The instant a timestamp parsed by ts_time_parse (value parsed, format fmt)
 * names when naive times are read in zone (--tz): every reader of
 * timestamps, option values and files goes through it. Timestamps with Z or
 * an offset, epoch values, and anything read without a zone or in UTC are
 * as parsed. A naive date is the start of that day in zone. A naive
 * date-time is the instant whose wall clock reads it; where a fall-back
 * repeats the reading it is the first time round unless prev (the instant
 * of the row before in the same series, INT64_MIN when there is none) is at
 * or after it, when it is the second: time runs forward through the
 * repeated hour, as exporters write it. A reading a spring-forward skips is
 * no time at all: TS_EINPUT "not a time in ZONE (the clocks jump from
 * 02:00 to 03:00)", the caller adds which text. */
int ts_time_resolve(ts_time parsed, const struct ts_tfmt *fmt, const struct ts_zone *zone,
		    ts_time prev, ts_time *out, struct ts_err *err);

/* Whether ts_time_format writes t in fmt and zone as text ts_time_parse
 * reads back: a year within 0000-9999 (for epoch kinds, t within those
 * years in UTC). */
bool ts_time_writable(ts_time t, const struct ts_tfmt *fmt, const struct ts_zone *zone);

/* The format to write the bucket starts (or forecast steps) of a grid of
 * this interval in, from the series' own: a date becomes a date-time
 * (naive, seconds) when the interval is not whole days, HH:MM gains
 * seconds when the interval is not whole minutes, and the fraction gets
 * the digits the interval needs (500ms: 1), never fewer than in. */
void ts_tfmt_for_interval(const struct ts_tfmt *in, const struct ts_dur *interval, struct ts_tfmt *out);

/* Parse a duration: "30s", "10m", "1h", "1d", "1w", "500ms", "250us", "1mo",
 * "1q", "1y", unit runs largest first with each unit once like "1h30m" or
 * "1y6mo", or ISO 8601 "PT1H", "P1D", "P1W", "P1M", "P1Y", "P1DT12H" (whole
 * numbers, no fractions). Months cannot be mixed with fixed units; at most
 * 10,000 years. Zero, negative or garbage: TS_EUSAGE "bad duration \"...\""
 * with ": must be positive" (zero or negative), ": unknown unit \"x\"",
 * ": missing unit", ": units out of order", ": too large" or ": months cannot
 * be mixed with fixed units" where that is the trouble. */
int ts_dur_parse(const char *s, struct ts_dur *d, struct ts_err *err);

/* Write d compactly into buf (32 bytes, NUL-terminated); returns the length.
 * Months as years and months ("1y", "1y6mo", "3mo"), fixed lengths largest
 * unit first ("10m", "1h30m", "1d", "1w1d", "500ms"); ts_dur_parse reads it
 * back to the same d. */
size_t ts_dur_format(const struct ts_dur *d, char *buf);

/* Whether d is a whole number of days (or months): such buckets start at local
 * midnight and their length in absolute time follows DST (23 or 25 hours). */
bool ts_dur_is_calendar(const struct ts_dur *d);

/* Start of the bucket of width d that holds t, in zone's wall clock:
 * sub-day widths on multiples of d counted from local midnight (offsets
 * applied per instant, so both 01:00 hours of a DST fall-back stay distinct;
 * a multiple skipped by a gap starts its bucket where the clock jumps);
 * n days on multiples of n days since 1970-01-01; whole weeks (7d too) on
 * Mondays (multiples of n weeks since Monday 1970-01-05); months on
 * multiples of the month count since January 1970, on the 1st; other widths
 * over a day on multiples of d since 1970-01-01 wall clock. Day, week and
 * month buckets start at the first instant after which the clock never again
 * shows an earlier date: the first reading of local midnight, or the jump
 * when a gap skips it, or the second reading when the clock steps back
 * across midnight (Guam 1969). Always <= t, and buckets tile time. */
ts_time ts_bucket_floor(ts_time t, const struct ts_dur *d, const struct ts_zone *zone);

/* Start of the bucket after the one that holds t (> t): the way to step
 * through buckets, since in a named zone a sub-day bucket lasts d plus or
 * minus a DST change when d does not divide it (2h, 3h, 12h in Europe/Paris). */
ts_time ts_bucket_next(ts_time t, const struct ts_dur *d, const struct ts_zone *zone);

/* t moved by n widths of d (n may be negative): fixed widths add n*d.us;
 * calendar widths (months, whole days in a named zone) move the wall-clock
 * date and keep the wall-clock time, placed with ts_zone_from_wall's gap and
 * overlap rules, except that an exact midnight lands where ts_bucket_floor
 * starts that day. Months keep the day of month, clamped to the end of a
 * shorter month (Jan 31 + 1mo = Feb 28 or 29; + 2mo = Mar 31). At the very
 * instant the clock jumps over its own day's midnight (Santiago 2018-08-12,
 * 00:00 -> 01:00), t counts as that midnight. So stepping day, week and
 * month bucket starts with n = 1 gives ts_bucket_next. Results saturate at
 * about +-36,000 years. */
ts_time ts_time_add(ts_time t, const struct ts_dur *d, int64_t n, const struct ts_zone *zone);

/* Civil calendar helpers (proleptic Gregorian, any year that fits), exposed
 * for other modules; month is 1..12 and day 1..31. */
int64_t ts_days_from_civil(int64_t year, unsigned month, unsigned day);
void ts_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day);
/* ISO weekday of a day count since 1970-01-01: 1 = Monday ... 7 = Sunday. */
unsigned ts_weekday(int64_t days);

/* A row's time and index, to put rows in time order. */
struct ts_time_index {
	ts_time t;
	size_t i;
};

/* Sort p by time, equal times in index order: rows in time order, input
 * order kept among rows of the same time. */
void ts_time_index_sort(struct ts_time_index *p, size_t n);

#endif
