/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_csv: the reader must give the same records and outcome whether the input
 * comes in one piece or in chunks, and what the writer makes of those records
 * must read back as the same fields. The first byte picks chunk size and delimiter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct ts_csv_reader *reader;
	struct ts_buf records;	/* every record, serialised */
	struct ts_buf rewritten;	/* the records written back as CSV, or unused */
	bool rewrite;
	bool with_blank;
};

static void put_size(struct ts_buf *b, size_t n)
{
	ts_buf_put(b, &n, sizeof n);
}

static int on_record(const struct ts_csv_record *rec, void *vctx, struct ts_err *err)
{
	struct run *run = vctx;
	char delim;

	(void)err;
	put_size(&run->records, rec->line);
	put_size(&run->records, run->with_blank && rec->blank);
	put_size(&run->records, rec->nfields);
	if (rec->nfields == 0)
		abort();
	for (size_t i = 0; i < rec->nfields; i++) {
		if (rec->fields[i][rec->lens[i]] != '\0' || memchr(rec->fields[i], '\0', rec->lens[i]) != NULL)
			abort();
		put_size(&run->records, rec->lens[i]);
		ts_buf_put(&run->records, rec->fields[i], rec->lens[i]);
	}
	if (!run->rewrite)
		return 0;
	delim = ts_csv_reader_delim(run->reader);
	if (delim == 0)
		abort();
	for (size_t i = 0; i < rec->nfields; i++) {
		if (i > 0)
			ts_buf_putc(&run->rewritten, delim);
		ts_csv_write_field(&run->rewritten, rec->fields[i], rec->lens[i], delim);
	}
	ts_buf_putc(&run->rewritten, '\n');
	return 0;
}

/* Parse data in chunks of chunk bytes; the serialised records and outcome go
 * to run->records. Returns the reader's status; *delim_used gets its delimiter. */
static int parse(const char *data, size_t size, size_t chunk, char delim, struct run *run,
		 char *delim_used)
{
	struct ts_err err = { 0 };
	int rc = 0;

	run->reader = ts_csv_reader_new(delim);
	if (run->reader == NULL)
		abort();
	for (size_t off = 0; off < size && rc == 0; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		rc = ts_csv_feed(run->reader, data + off, n, on_record, run, &err);
	}
	if (rc == 0)
		rc = ts_csv_finish(run->reader, on_record, run, &err);
	if (rc != 0 && (rc != TS_EINPUT || err.code != rc || err.line == 0 || err.msg[0] == '\0'))
		abort();
	put_size(&run->records, (size_t)rc);
	put_size(&run->records, rc != 0 ? err.line : 0);
	if (rc != 0)
		ts_buf_puts(&run->records, err.msg);
	*delim_used = ts_csv_reader_delim(run->reader);
	ts_csv_reader_free(run->reader);
	run->reader = NULL;
	if (run->records.failed || run->rewritten.failed)
		abort();
	return rc;
}

static bool same(const struct ts_buf *a, const struct ts_buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ',', '\t', ';' };
	struct run whole = { .rewrite = true, .with_blank = true };
	struct run chunked = { .with_blank = true };
	struct run plain = { 0 }, again = { 0 }, reread = { 0 };
	const char *csv = (const char *)data + 1;
	size_t chunk, len, one;
	char delim, delim_whole, delim_chunked, unused;
	int rc;

	if (size == 0)
		return 0;
	chunk = (size_t)(data[0] & 63) + 1;
	delim = delims[data[0] >> 6];
	len = size - 1;
	one = len == 0 ? 1 : len;

	/* The rewrite starts with a BOM, so a first field that itself begins
	 * with BOM bytes is not taken for one on the way back. */
	ts_buf_put(&whole.rewritten, "\xef\xbb\xbf", 3);
	rc = parse(csv, len, one, delim, &whole, &delim_whole);
	parse(csv, len, chunk, delim, &chunked, &delim_chunked);
	if (!same(&whole.records, &chunked.records) || delim_whole != delim_chunked)
		abort();

	if (rc == 0 && delim_whole != 0) {
		/* Blank flags are left out: a record of one empty quoted field
		 * comes back as an empty line. */
		const char *text = whole.rewritten.data;
		size_t text_len = whole.rewritten.len;

		parse(csv, len, one, delim, &plain, &unused);
		if (parse(text, text_len, text_len, delim_whole, &again, &unused) != 0)
			abort();
		if (!same(&plain.records, &again.records))
			abort();
		parse(text, text_len, chunk, delim_whole, &reread, &unused);
		if (!same(&again.records, &reread.records))
			abort();
	}
	ts_buf_free(&whole.records);
	ts_buf_free(&whole.rewritten);
	ts_buf_free(&chunked.records);
	ts_buf_free(&plain.records);
	ts_buf_free(&again.records);
	ts_buf_free(&reread.records);
	return 0;
}
