/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv: RFC 4180 push reader that does not care how input is chunked, and the
 * matching field writer, for comma- and tab-separated text. */
#ifndef TS_CSV_H
#define TS_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/tserr.h"

/* One record, valid only during the callback that receives it. Its fields
 * lie one after another in one buffer: fields[i + 1] is fields[i] + lens[i]
 * + 1, so that a reader copies a whole record at once. */
struct ts_csv_record {
	size_t nfields;
	char *const *fields;	/* NUL-terminated, unquoted texts */
	const size_t *lens;	/* byte length of each field */
	size_t line;		/* 1-based physical line on which the record starts */
	bool blank;		/* the record was an empty line (one empty, unquoted field) */
};

/* Called once per record. Return 0 to go on; any other value stops the reader,
 * which returns that value from ts_csv_feed/ts_csv_finish unchanged. */
typedef int (*ts_csv_record_fn)(const struct ts_csv_record *rec, void *ctx, struct ts_err *err);

struct ts_csv_reader;

/* New reader. delim is ',' or '\t' (or any byte except quote, CR, LF), or 0 to
 * detect it from the first record: tab if it holds a tab outside quotes, else
 * comma (blank lines before that record do not count, and any records until
 * the decision are delivered once it is made). A UTF-8 byte order mark at the
 * very start is skipped. NULL on ENOMEM, or when delim is quote, CR or LF. */
struct ts_csv_reader *ts_csv_reader_new(char delim);
void ts_csv_reader_free(struct ts_csv_reader *r);

/* The delimiter in use: the given one, or the detected one once the first
 * record has been delivered (0 before that when detecting). */
char ts_csv_reader_delim(const struct ts_csv_reader *r);

/* The line ending a writer keeps: "\r\n" when the input's first line break
 * (outside quotes) was CRLF, else "\n" (LF, a bare CR, or no line break
 * yet: a CR counts as bare until the next byte says otherwise). */
const char *ts_csv_reader_eol(const struct ts_csv_reader *r);

/* Parse len bytes. Records are delivered as soon as they are complete, so the
 * same input gives the same records whatever the chunking. Line breaks are LF,
 * CRLF or a bare CR, inside quotes too (kept verbatim there). A quote inside an
 * unquoted field is data; after a closing quote only the delimiter or a line
 * break may follow. Errors (TS_EINPUT, err->line set): a NUL byte; text after
 * a closing quote. After an error or a callback's stop, later ts_csv_feed and
 * ts_csv_finish calls do nothing and return the same value again. */
int ts_csv_feed(struct ts_csv_reader *r, const char *data, size_t len,
		ts_csv_record_fn fn, void *ctx, struct ts_err *err);

/* End of input: delivers a last record that has no final line break. Error:
 * a quoted field still open (TS_EINPUT, err->line = line where it opened).
 * An input that ends with a line break delivers no extra record. */
int ts_csv_finish(struct ts_csv_reader *r, ts_csv_record_fn fn, void *ctx, struct ts_err *err);

/* Whether the input ended inside a quoted field: the error ts_csv_finish
 * gave, about a record that was never completed (a file still being
 * written), not about the records before it. */
bool ts_csv_reader_unterminated(const struct ts_csv_reader *r);

/* Feed a whole stream in chunks and finish. TS_EIO on a read error. */
int ts_csv_read_stream(struct ts_csv_reader *r, FILE *f,
		       ts_csv_record_fn fn, void *ctx, struct ts_err *err);

/* Append one field to out, quoted (with "" escapes) only when it holds the
 * delimiter, a quote, CR or LF, or starts/ends with a space. */
void ts_csv_write_field(struct ts_buf *out, const char *s, size_t len, char delim);

/* The same field written at p, which has room for TS_CSV_FIELD_MAX(len)
 * bytes; returns the end of what was written. For writers that reserve a
 * whole row at once. */
#define TS_CSV_FIELD_MAX(len) (2 * (len) + 2)
char *ts_csv_put_field(char *p, const char *s, size_t len, char delim);

#endif
