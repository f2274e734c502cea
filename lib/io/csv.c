/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv: RFC 4180 push reader as a byte state machine that keeps its place
 * between chunks, delimiter detection, and the minimal-quoting field writer. */
#include "io/csv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define CSV_SSE2 1	/* whole plain records sixteen bytes at a time */
#else
#define CSV_SSE2 0
#endif

/* Input is parsed at most this much at a time, so the record buffer, which
 * reserves room for a whole slice up front (no checks per byte), stays within
 * one slice of the longest record however large the caller's chunks are. */
#define CSV_SLICE ((size_t)64 * 1024)

enum csv_state {
	ST_RECORD,	/* nothing of the current record seen yet */
	ST_CR,		/* a record just ended with CR: an LF here completes that break */
	ST_FIELD,	/* a delimiter was seen: a field starts at the next byte */
	ST_UNQUOTED,
	ST_QUOTED,
	ST_QUOTE	/* a quote inside a quoted field: closing, or the first of "" */
};

/* The first record as TSV would read it, seen only far enough to decide. */
enum detect_state {
	DT_START,	/* at the start of a record (blank lines keep us here) */
	DT_UNQUOTED,
	DT_QUOTED,
	DT_QUOTE
};

struct ts_csv_reader {
	char delim;
	bool auto_delim;	/* constructed with 0: delim comes from the input */
	bool detecting;		/* delim unknown: raw keeps the input seen so far */
	bool bom_checked;
	unsigned bom_seen;	/* bytes of the BOM matched while not yet checked */
	enum detect_state dstate;
	char *raw;
	size_t raw_len, raw_cap;

	enum csv_state state;
	enum { EOL_NONE, EOL_LF, EOL_CR_PENDING, EOL_CRLF, EOL_CR } eol;	/* the first line break */
	bool quoted_cr;		/* the last byte inside the quoted field was CR */
	size_t line;		/* physical line of the next byte */
	size_t rec_line;	/* line on which the current record started */
	size_t quote_line;	/* line on which the open quoted field started */
	size_t fstart;		/* offset in buf of the current field */
	size_t nrecords;
	int stopped;		/* error or callback value that ended reading */

	char *buf;		/* the current record's fields, each NUL-terminated */
	size_t len, cap;
	size_t nfields;
	size_t *lens;
	size_t lens_cap;
	char **ptrs;
	size_t ptrs_cap;

	unsigned char stop[256];	/* bytes that end a run of unquoted data */
};

static const unsigned char quoted_stop[256] = {
	[0] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1,
};

static const char bom[3] = { '\xef', '\xbb', '\xbf' };

#define WORD_ONES  UINT64_C(0x0101010101010101)
#define WORD_HIGHS UINT64_C(0x8080808080808080)

/* The bytes of the 8 in w that are below n (n <= 128), each as its high
 * bit: the classic "has zero byte" test, shifted. Nonzero exactly when one
 * is, and the lowest bit set is the first such byte (a borrow can only mark
 * bytes above a true one). */
static uint64_t word_below(uint64_t w, unsigned char n)
{
	return (w - WORD_ONES * n) & ~w & WORD_HIGHS;
}

/* The same for the bytes of w equal to the byte repeated in c_word. */
static uint64_t word_matches(uint64_t w, uint64_t c_word)
{
	return word_below(w ^ c_word, 1);
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CSV_WORDS 1	/* first byte in memory = lowest byte of a loaded word */
#else
#define CSV_WORDS 0
#endif

static void set_delim(struct ts_csv_reader *r, char delim)
{
	r->delim = delim;
	r->detecting = false;
	memset(r->stop, 0, sizeof r->stop);
	r->stop[0] = 1;
	r->stop['\n'] = 1;
	r->stop['\r'] = 1;
	r->stop[(unsigned char)delim] = 1;
}

struct ts_csv_reader *ts_csv_reader_new(char delim)
{
	struct ts_csv_reader *r;

	if (delim == '"' || delim == '\r' || delim == '\n')
		return NULL;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->line = 1;
	r->state = ST_RECORD;
	if (delim == 0)
		r->auto_delim = r->detecting = true;
	else
		set_delim(r, delim);
	return r;
}

void ts_csv_reader_free(struct ts_csv_reader *r)
{
	if (r == NULL)
		return;
	TS_FREE_ALL(r->raw, r->buf, r->lens, r->ptrs);
	free(r);
}

bool ts_csv_reader_unterminated(const struct ts_csv_reader *r)
{
	return r->stopped == TS_EINPUT && r->state == ST_QUOTED;
}

const char *ts_csv_reader_eol(const struct ts_csv_reader *r)
{
	switch (r->eol) {
	case EOL_CRLF:
		return "\r\n";
	case EOL_CR:
	case EOL_CR_PENDING:
		/* classic Mac text: written with LF, which every line tool
		 * (and a terminal) reads as lines */
	case EOL_NONE:
	case EOL_LF:
		break;
	}
	return "\n";
}

char ts_csv_reader_delim(const struct ts_csv_reader *r)
{
	return r->auto_delim && r->nrecords == 0 ? 0 : r->delim;
}

static int stop_with(struct ts_csv_reader *r, int code)
{
	r->stopped = code;
	return code;
}

static int out_of_memory(struct ts_csv_reader *r, struct ts_err *err)
{
	ts_err_set(err, TS_ENOMEM, "out of memory");
	return stop_with(r, TS_ENOMEM);
}

static int nul_error(struct ts_csv_reader *r, struct ts_err *err)
{
	ts_err_at(err, TS_EINPUT, r->line, "NUL byte in input");
	return stop_with(r, TS_EINPUT);
}

/* Room for nfields fields' lengths and pointers. */
static int fields_reserve(struct ts_csv_reader *r, size_t nfields, struct ts_err *err)
{
	size_t *lens;
	char **ptrs;

	lens = ts_grow(r->lens, &r->lens_cap, nfields, sizeof *lens);
	if (lens == NULL)
		return out_of_memory(r, err);
	r->lens = lens;
	ptrs = ts_grow(r->ptrs, &r->ptrs_cap, nfields, sizeof *ptrs);
	if (ptrs == NULL)
		return out_of_memory(r, err);
	r->ptrs = ptrs;
	return 0;
}

/* Close the field that began at r->fstart and ends at out (inside r->buf). */
static inline int field_end(struct ts_csv_reader *r, char *out, struct ts_err *err)
{
	if (r->nfields >= r->lens_cap || r->nfields >= r->ptrs_cap) {
		int rc = fields_reserve(r, r->nfields + 1, err);
		if (rc != 0)
			return rc;
	}
	r->lens[r->nfields++] = (size_t)(out - r->buf) - r->fstart;
	*out = '\0';
	return 0;
}

/* Hand the fields gathered in buf to fn and start an empty record; ptrs
 * holds where each field starts when pointed is set, else it is filled. */
static int deliver(struct ts_csv_reader *r, bool blank, bool pointed,
		   ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	struct ts_csv_record rec;
	size_t offset = 0;
	int rc;

	for (size_t i = 0; i < r->nfields && !pointed; i++) {
		r->ptrs[i] = r->buf + offset;
		offset += r->lens[i] + 1;
	}
	rec.nfields = r->nfields;
	rec.fields = r->ptrs;
	rec.lens = r->lens;
	rec.line = r->rec_line;
	rec.blank = blank;
	r->nfields = 0;
	r->len = 0;
	r->nrecords++;
	rc = fn(&rec, ctx, err);
	return rc != 0 ? stop_with(r, rc) : 0;
}

/* The record ended with line break c (its fields closed): deliver it. */
static int record_done(struct ts_csv_reader *r, char c, bool blank, bool pointed,
		       ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	r->state = c == '\r' ? ST_CR : ST_RECORD;
	if (r->eol == EOL_NONE)
		r->eol = c == '\r' ? EOL_CR_PENDING : EOL_LF;
	r->line++;
	return deliver(r, blank, pointed, fn, ctx, err);
}

/* The record's last field ends at out with line break c. */
static int record_end(struct ts_csv_reader *r, char *out, char c, bool blank,
		      ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	int rc = field_end(r, out, err);

	if (rc != 0)
		return rc;
	return record_done(r, c, blank, false, fn, ctx, err);
}

#if CSV_SSE2
/* A record at p (at its start, in state ST_RECORD, buf empty) that is plain:
 * no quote and no NUL before its line break, which lies within [p, end) in
 * a whole block of sixteen bytes. Its fields go into buf as the state
 * machine would put them, sixteen bytes at a time (the room reserved per
 * input byte covers each block), and it is delivered. Returns the byte
 * after its line break (the state machine then takes an LF after a CR),
 * or NULL, having delivered nothing, when the record is not that plain:
 * the state machine reads it. */
static const char *plain_record(struct ts_csv_reader *r, const char *p, const char *end,
				ts_csv_record_fn fn, void *ctx, struct ts_err *err, int *rc)
{
	const __m128i delim = _mm_set1_epi8(r->delim), lf = _mm_set1_epi8('\n'),
		      cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"'), nul = _mm_setzero_si128();
	/* in locals: a byte stored into buf could be any of r's fields for
	 * all the compiler knows, which it would then read again per field */
	char *buf = r->buf, **ptrs = r->ptrs;
	size_t *lens = r->lens;
	size_t at = 0, fstart = 0, nfields = 0;

	*rc = 0;
	while (end - (p + at) >= 16) {
		__m128i block = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
		__m128i breaks = _mm_or_si128(_mm_cmpeq_epi8(block, lf), _mm_cmpeq_epi8(block, cr));
		__m128i others = _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, nul));
		unsigned delims = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, delim));
		unsigned ends = (unsigned)_mm_movemask_epi8(_mm_or_si128(breaks, others));
		unsigned stop = 16;
		size_t room;

		_mm_storeu_si128((__m128i *)(void *)(buf + at), block);
		if (ends != 0) {
			stop = (unsigned)__builtin_ctz(ends);
			if (p[at + stop] == '"' || p[at + stop] == '\0')
				return NULL;
			delims &= (1u << stop) - 1;
		}
		/* up to sixteen fields ending here, and the record's last */
		room = nfields + 17;
		if (room > r->lens_cap || room > r->ptrs_cap) {
			if ((*rc = fields_reserve(r, room, err)) != 0)
				return NULL;
			lens = r->lens;
			ptrs = r->ptrs;
		}
		for (; delims != 0; delims &= delims - 1) {
			size_t pos = at + (size_t)__builtin_ctz(delims);
			ptrs[nfields] = buf + fstart;
			lens[nfields++] = pos - fstart;
			buf[pos] = '\0';
			fstart = pos + 1;
		}
		if (stop < 16) {
			ptrs[nfields] = buf + fstart;
			lens[nfields++] = at + stop - fstart;
			buf[at + stop] = '\0';
			r->nfields = nfields;
			*rc = record_done(r, p[at + stop], false, true, fn, ctx, err);
			return *rc != 0 ? NULL : p + at + stop + 1;
		}
		at += 16;
	}
	return NULL;
}
#endif

/* The state machine over [p, end). The caller has made room in buf for one
 * output byte per input byte plus one, so nothing here checks capacity; at
 * most one byte comes out per byte that goes in. */
static int parse(struct ts_csv_reader *r, const char *p, const char *end,
		 ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	const unsigned char *stop = r->stop;
	const char delim = r->delim;
#if CSV_WORDS
	const uint64_t delim_word = WORD_ONES * (unsigned char)delim;
#endif
	char *out = r->buf + r->len;
	const char *run;
	char c;
	int rc;

	while (p < end) {
		switch (r->state) {
		case ST_CR:
			r->state = ST_RECORD;
			if (r->eol == EOL_CR_PENDING)
				r->eol = *p == '\n' ? EOL_CRLF : EOL_CR;
			if (*p == '\n') {
				p++;
				continue;
			}
			/* fallthrough */
		case ST_RECORD:
			r->rec_line = r->line;
			if (*p == '\n' || *p == '\r') {
				r->fstart = 0;
				rc = record_end(r, r->buf, *p++, true, fn, ctx, err);
				if (rc != 0)
					return rc;
				continue;
			}
#if CSV_SSE2
			{
				const char *next = plain_record(r, p, end, fn, ctx, err, &rc);
				if (rc != 0)
					return rc;
				if (next != NULL) {
					p = next;
					continue;
				}
			}
#endif
			/* fallthrough */
		case ST_FIELD:
			r->fstart = (size_t)(out - r->buf);
			if (*p == '"') {
				r->quote_line = r->line;
				r->quoted_cr = false;
				r->state = ST_QUOTED;
				p++;
				continue;
			}
			r->state = ST_UNQUOTED;
			/* fallthrough */
		case ST_UNQUOTED:
#if CSV_WORDS
			/* Eight bytes at a time while eight remain: each word is
			 * copied whole (the room reserved per input byte covers
			 * it) and out moves past its bytes before the first that
			 * may stop the field: the delimiter or any control byte
			 * (NUL, CR, LF, and a tab, which the bytewise loop below
			 * then takes for data unless it is the delimiter). */
			while (end - p >= 8) {
				uint64_t w, stops;

				memcpy(&w, p, 8);
				stops = word_matches(w, delim_word) | word_below(w, 0x20);
				memcpy(out, &w, 8);
				if (stops != 0) {
					size_t k = (size_t)__builtin_ctzll(stops) / 8;
					p += k;
					out += k;
					break;
				}
				p += 8;
				out += 8;
			}
#endif
			/* the last few bytes of the slice */
			while (p < end && !stop[(unsigned char)*p])
				*out++ = *p++;
			if (p == end)
				continue;
			c = *p++;
			if (c == delim) {
				if ((rc = field_end(r, out++, err)) != 0)
					return rc;
				r->state = ST_FIELD;
				continue;
			}
			if (c == '\0')
				return nul_error(r, err);
			if ((rc = record_end(r, out, c, false, fn, ctx, err)) != 0)
				return rc;
			out = r->buf;
			continue;
		case ST_QUOTED:
			run = p;
			while (p < end && !quoted_stop[(unsigned char)*p])
				p++;
			if (p != run) {
				memcpy(out, run, (size_t)(p - run));
				out += p - run;
				r->quoted_cr = false;
			}
			if (p == end)
				continue;
			c = *p++;
			if (c == '"') {
				r->state = ST_QUOTE;
				continue;
			}
			if (c == '\0')
				return nul_error(r, err);
			*out++ = c;
			/* Kept verbatim, but counted: CRLF is one line break. */
			if (c == '\r')
				r->line++;
			else if (!r->quoted_cr)
				r->line++;
			r->quoted_cr = c == '\r';
			continue;
		case ST_QUOTE:
			c = *p++;
			if (c == '"') {
				*out++ = '"';
				r->quoted_cr = false;
				r->state = ST_QUOTED;
				continue;
			}
			if (c == delim) {
				if ((rc = field_end(r, out++, err)) != 0)
					return rc;
				r->state = ST_FIELD;
				continue;
			}
			if (c == '\n' || c == '\r') {
				if ((rc = record_end(r, out, c, false, fn, ctx, err)) != 0)
					return rc;
				out = r->buf;
				continue;
			}
			if (c == '\0')
				return nul_error(r, err);
			{
				char shown[64];

				ts_err_at(err, TS_EINPUT, r->line,
					  "field %zu: unexpected character '%s' after closing quote",
					  r->nfields + 1, ts_err_quote(p - 1, 1, shown, sizeof shown));
			}
			return stop_with(r, TS_EINPUT);
		}
	}
	r->len = (size_t)(out - r->buf);
	return 0;
}

/* Parse data with a known delimiter, a slice at a time. */
static int parse_all(struct ts_csv_reader *r, const char *data, size_t len,
		     ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	while (len > 0) {
		size_t n = len < CSV_SLICE ? len : CSV_SLICE;
		int rc;

		if (r->len + n + 1 > r->cap) {
			char *grown = ts_grow(r->buf, &r->cap, r->len + n + 1, 1);
			if (grown == NULL)
				return out_of_memory(r, err);
			r->buf = grown;
		}
		rc = parse(r, data, data + n, fn, ctx, err);
		if (rc != 0)
			return rc;
		data += n;
		len -= n;
	}
	return 0;
}

/* Replay what was held back while detecting, now that the delimiter is known. */
static int replay(struct ts_csv_reader *r, char delim,
		  ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	int rc;

	set_delim(r, delim);
	rc = parse_all(r, r->raw, r->raw_len, fn, ctx, err);
	free(r->raw);
	r->raw = NULL;
	r->raw_len = 0;
	r->raw_cap = 0;
	return rc;
}

/* Read the first record as TSV would: a tab outside quotes makes it TSV.
 * Anything TSV would end the record on or reject makes it CSV. Returns the
 * delimiter once known, else 0. */
static char detect_scan(struct ts_csv_reader *r, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = data[i];

		if (c == '\0')
			return ',';
		switch (r->dstate) {
		case DT_START:
			if (c == '\t')
				return '\t';
			if (c == '"')
				r->dstate = DT_QUOTED;
			else if (c != '\n' && c != '\r')
				r->dstate = DT_UNQUOTED;
			break;
		case DT_UNQUOTED:
			if (c == '\t')
				return '\t';
			if (c == '\n' || c == '\r')
				return ',';
			break;
		case DT_QUOTED:
			if (c == '"')
				r->dstate = DT_QUOTE;
			break;
		case DT_QUOTE:
			if (c == '"')
				r->dstate = DT_QUOTED;
			else
				return c == '\t' ? '\t' : ',';
			break;
		}
	}
	return 0;
}

/* Input after the byte order mark. */
static int take_input(struct ts_csv_reader *r, const char *data, size_t len,
		  ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	char delim;
	int rc;

	if (!r->detecting)
		return parse_all(r, data, len, fn, ctx, err);
	delim = detect_scan(r, data, len);
	if (delim == 0) {
		char *grown;

		if (len == 0)
			return 0;
		if (r->raw_len + len < len)
			return out_of_memory(r, err);
		grown = ts_grow(r->raw, &r->raw_cap, r->raw_len + len, 1);
		if (grown == NULL)
			return out_of_memory(r, err);
		r->raw = grown;
		memcpy(r->raw + r->raw_len, data, len);
		r->raw_len += len;
		return 0;
	}
	if ((rc = replay(r, delim, fn, ctx, err)) != 0)
		return rc;
	return parse_all(r, data, len, fn, ctx, err);
}

int ts_csv_feed(struct ts_csv_reader *r, const char *data, size_t len,
		ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	if (r->stopped != 0)
		return r->stopped;
	if (!r->bom_checked) {
		while (len > 0 && r->bom_seen < sizeof bom && *data == bom[r->bom_seen]) {
			r->bom_seen++;
			data++;
			len--;
		}
		if (r->bom_seen < sizeof bom) {
			int rc;

			if (len == 0)
				return 0;	/* all of it may still be a BOM */
			/* Not a BOM after all: what matched is data. */
			r->bom_checked = true;
			rc = take_input(r, bom, r->bom_seen, fn, ctx, err);
			if (rc != 0)
				return rc;
		}
		r->bom_checked = true;
	}
	return take_input(r, data, len, fn, ctx, err);
}

int ts_csv_finish(struct ts_csv_reader *r, ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	int rc;

	if (r->stopped != 0)
		return r->stopped;
	if (!r->bom_checked) {
		r->bom_checked = true;
		if ((rc = take_input(r, bom, r->bom_seen, fn, ctx, err)) != 0)
			return rc;
	}
	if (r->detecting && (rc = replay(r, ',', fn, ctx, err)) != 0)
		return rc;
	if (r->len + 1 > r->cap) {
		char *grown = ts_grow(r->buf, &r->cap, r->len + 1, 1);
		if (grown == NULL)
			return out_of_memory(r, err);
		r->buf = grown;
	}
	switch (r->state) {
	case ST_RECORD:
	case ST_CR:
		return 0;
	case ST_QUOTED:
		ts_err_at(err, TS_EINPUT, r->quote_line, "unterminated quoted field");
		return stop_with(r, TS_EINPUT);
	case ST_FIELD:
		r->fstart = r->len;
		/* fallthrough */
	case ST_UNQUOTED:
	case ST_QUOTE:
		break;
	}
	if ((rc = field_end(r, r->buf + r->len, err)) != 0)
		return rc;
	r->state = ST_RECORD;
	return deliver(r, false, false, fn, ctx, err);
}

int ts_csv_read_stream(struct ts_csv_reader *r, FILE *f,
		       ts_csv_record_fn fn, void *ctx, struct ts_err *err)
{
	char *chunk = malloc(CSV_SLICE);
	int rc = 0;

	if (chunk == NULL)
		return out_of_memory(r, err);
	for (;;) {
		size_t n = fread(chunk, 1, CSV_SLICE, f);
		int read_errno = errno;

		if (n > 0 && (rc = ts_csv_feed(r, chunk, n, fn, ctx, err)) != 0)
			break;
		if (n < CSV_SLICE) {
			if (ferror(f)) {
				ts_err_set(err, TS_EIO, "read error: %s", strerror(read_errno));
				rc = stop_with(r, TS_EIO);
			} else {
				rc = ts_csv_finish(r, fn, ctx, err);
			}
			break;
		}
	}
	free(chunk);
	return rc;
}

/* Whether a byte of the 8 in w equals c. */
static bool word_has(uint64_t w, unsigned char c)
{
	return word_matches(w, WORD_ONES * c) != 0;
}

/* Whether s[0..len) holds the delimiter, a quote or a line break; eight
 * bytes at a time, as most fields written are long plain numbers. */
static bool needs_quoting(const char *s, size_t len, char delim)
{
	size_t i = 0;

	if (len >= 8) {
		/* whole words, the last one overlapping the one before */
		for (;;) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (word_has(w, (unsigned char)delim) || word_has(w, '"') ||
			    word_has(w, '\n') || word_has(w, '\r'))
				return true;
			if (i + 8 == len)
				return false;
			i = i + 16 <= len ? i + 8 : len - 8;
		}
	}
	for (; i < len; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

char *ts_csv_put_field(char *p, const char *s, size_t len, char delim)
{
	if (len == 0)
		return p;
	if (s[0] != ' ' && s[len - 1] != ' ' && !needs_quoting(s, len, delim)) {
		memcpy(p, s, len);
		return p + len;
	}
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	*p++ = '"';
	return p;
}

void ts_csv_write_field(struct ts_buf *out, const char *s, size_t len, char delim)
{
	char *at = ts_buf_reserve(out, TS_CSV_FIELD_MAX(len));

	if (at != NULL)
		out->len = (size_t)(ts_csv_put_field(at, s, len, delim) - out->data);
}
