/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_csv: the csv-spectrum suite, tricky and malformed inputs re-parsed at
 * every chunk size, line numbers, huge fields, streams, and writer round trips. */
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "io/csv.h"

/* Everything a parse produced: the records, copied, and how it ended. */
struct rec_copy {
	size_t line;
	bool blank;
	size_t nfields;
	char **fields;
	size_t *lens;
};

struct parsed {
	struct rec_copy *recs;
	size_t nrecs;
	size_t cap;
	int rc;
	char delim;
	struct ts_err err;
};

static int collect(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct parsed *p = ctx;
	struct rec_copy *copy;

	(void)err;
	if (p->nrecs == p->cap) {
		p->cap = p->cap == 0 ? 8 : 2 * p->cap;
		p->recs = realloc(p->recs, p->cap * sizeof *p->recs);
		assert_non_null(p->recs);
	}
	copy = &p->recs[p->nrecs++];
	copy->line = rec->line;
	copy->blank = rec->blank;
	copy->nfields = rec->nfields;
	copy->fields = calloc(rec->nfields, sizeof *copy->fields);
	copy->lens = calloc(rec->nfields, sizeof *copy->lens);
	assert_non_null(copy->fields);
	assert_non_null(copy->lens);
	for (size_t i = 0; i < rec->nfields; i++) {
		assert_int_equal(rec->fields[i][rec->lens[i]], '\0');
		if (i + 1 < rec->nfields)	/* one after another, as readers copy them */
			assert_ptr_equal(rec->fields[i + 1], rec->fields[i] + rec->lens[i] + 1);
		copy->lens[i] = rec->lens[i];
		copy->fields[i] = malloc(rec->lens[i] + 1);
		assert_non_null(copy->fields[i]);
		memcpy(copy->fields[i], rec->fields[i], rec->lens[i] + 1);
	}
	return 0;
}

static void parsed_free(struct parsed *p)
{
	for (size_t r = 0; r < p->nrecs; r++) {
		for (size_t i = 0; i < p->recs[r].nfields; i++)
			free(p->recs[r].fields[i]);
		free(p->recs[r].fields);
		free(p->recs[r].lens);
	}
	free(p->recs);
	memset(p, 0, sizeof *p);
}

/* Parse data fed chunk bytes at a time (0: in one piece), with an empty feed
 * after every chunk, which must change nothing. */
static void parse_chunked(const char *data, size_t len, size_t chunk, char delim, struct parsed *out)
{
	struct ts_csv_reader *r = ts_csv_reader_new(delim);
	int rc = 0;

	assert_non_null(r);
	memset(out, 0, sizeof *out);
	if (chunk == 0)
		chunk = len == 0 ? 1 : len;
	for (size_t off = 0; off < len && rc == 0; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		rc = ts_csv_feed(r, data + off, n, collect, out, &out->err);
		if (rc == 0)
			rc = ts_csv_feed(r, data + off + n, 0, collect, out, &out->err);
	}
	if (rc == 0)
		rc = ts_csv_finish(r, collect, out, &out->err);
	out->rc = rc;
	out->delim = ts_csv_reader_delim(r);
	ts_csv_reader_free(r);
}

static void put_escaped(struct ts_buf *b, const char *s, size_t len)
{
	char hex[8];

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '|' || c == ';') {
			snprintf(hex, sizeof hex, "\\x%02x", c);
			ts_buf_puts(b, hex);
		} else {
			ts_buf_putc(b, (char)c);
		}
	}
}

/* One line of text for a whole parse: "LINE[b]:f1|f2;" per record, and
 * "!CODE@LINE:message" when it failed. Caller frees. */
static char *serialise(const struct parsed *p)
{
	struct ts_buf b = { 0 };
	char num[64];

	for (size_t r = 0; r < p->nrecs; r++) {
		snprintf(num, sizeof num, "%zu%s:", p->recs[r].line, p->recs[r].blank ? "b" : "");
		ts_buf_puts(&b, num);
		for (size_t i = 0; i < p->recs[r].nfields; i++) {
			if (i > 0)
				ts_buf_putc(&b, '|');
			put_escaped(&b, p->recs[r].fields[i], p->recs[r].lens[i]);
		}
		ts_buf_putc(&b, ';');
	}
	if (p->rc != 0) {
		snprintf(num, sizeof num, "!%d@%zu:", p->rc, p->err.line);
		ts_buf_puts(&b, num);
		ts_buf_puts(&b, p->err.msg);
	}
	ts_buf_putc(&b, '\0');
	assert_false(b.failed);
	return b.data;
}

/* Parse in one piece and compare with want (unless NULL); then at every
 * chunk size from 1 to len, which must give exactly the same. */
static void check_all_chunkings(const char *what, const char *data, size_t len, char delim,
				const char *want)
{
	struct parsed whole, part;
	char *one, *other;

	parse_chunked(data, len, 0, delim, &whole);
	one = serialise(&whole);
	if (want != NULL && strcmp(one, want) != 0)
		fail_msg("%s: one chunk: got \"%s\", want \"%s\"", what, one, want);
	for (size_t chunk = 1; chunk <= len; chunk++) {
		parse_chunked(data, len, chunk, delim, &part);
		other = serialise(&part);
		if (strcmp(one, other) != 0)
			fail_msg("%s: chunk %zu: got \"%s\", one chunk gave \"%s\"", what, chunk, other, one);
		if (part.delim != whole.delim || part.rc != whole.rc)
			fail_msg("%s: chunk %zu: delimiter or status differs", what, chunk);
		free(other);
		parsed_free(&part);
	}
	free(one);
	parsed_free(&whole);
}

static char *read_fixture(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *data;
	long size;

	snprintf(path, sizeof path, TS_TEST_DATA "/csv-spectrum/csvs/%s.csv", name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return data;
}

/* ---- csv-spectrum: the expected values of json/<name>.json, header first ---- */

#define MAX_RECS 4
#define MAX_FIELDS 5

struct spectrum_case {
	const char *name;
	size_t nrecs;
	size_t lines[MAX_RECS];
	const char *rows[MAX_RECS][MAX_FIELDS + 1];	/* NULL-terminated */
};

static const struct spectrum_case spectrum_cases[] = {
	{ "comma_in_quotes", 2, { 1, 2 }, {
		{ "first", "last", "address", "city", "zip", NULL },
		{ "John", "Doe", "120 any st.", "Anytown, WW", "08123", NULL } } },
	{ "empty", 3, { 1, 2, 3 }, {
		{ "a", "b", "c", NULL }, { "1", "", "", NULL }, { "2", "3", "4", NULL } } },
	{ "empty_crlf", 3, { 1, 2, 3 }, {
		{ "a", "b", "c", NULL }, { "1", "", "", NULL }, { "2", "3", "4", NULL } } },
	{ "escaped_quotes", 3, { 1, 2, 3 }, {
		{ "a", "b", NULL }, { "1", "ha \"ha\" ha", NULL }, { "3", "4", NULL } } },
	{ "json", 2, { 1, 2 }, {
		{ "key", "val", NULL },
		{ "1", "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}", NULL } } },
	{ "newlines", 4, { 1, 2, 3, 5 }, {
		{ "a", "b", "c", NULL }, { "1", "2", "3", NULL },
		{ "Once upon \na time", "5", "6", NULL }, { "7", "8", "9", NULL } } },
	{ "newlines_crlf", 4, { 1, 2, 3, 5 }, {
		{ "a", "b", "c", NULL }, { "1", "2", "3", NULL },
		{ "Once upon \r\na time", "5", "6", NULL }, { "7", "8", "9", NULL } } },
	{ "quotes_and_newlines", 3, { 1, 2, 5 }, {
		{ "a", "b", NULL }, { "1", "ha \n\"ha\" \nha", NULL }, { "3", "4", NULL } } },
	{ "simple", 2, { 1, 2 }, {
		{ "a", "b", "c", NULL }, { "1", "2", "3", NULL } } },
	{ "simple_crlf", 2, { 1, 2 }, {
		{ "a", "b", "c", NULL }, { "1", "2", "3", NULL } } },
	{ "utf8", 3, { 1, 2, 3 }, {
		{ "a", "b", "c", NULL }, { "1", "2", "3", NULL }, { "4", "5", "\xca\xa4", NULL } } },
};

static void test_spectrum(void **state)
{
	const struct spectrum_case *c = *state;
	struct parsed p;
	size_t len;
	char *data = read_fixture(c->name, &len);

	parse_chunked(data, len, 0, 0, &p);
	if (p.rc != 0)
		fail_msg("%s: line %zu: %s", c->name, p.err.line, p.err.msg);
	assert_int_equal(p.delim, ',');
	assert_int_equal(p.nrecs, c->nrecs);
	for (size_t r = 0; r < c->nrecs; r++) {
		size_t n = 0;

		while (c->rows[r][n] != NULL)
			n++;
		assert_int_equal(p.recs[r].line, c->lines[r]);
		assert_false(p.recs[r].blank);
		assert_int_equal(p.recs[r].nfields, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(p.recs[r].lens[i], strlen(c->rows[r][i]));
			assert_string_equal(p.recs[r].fields[i], c->rows[r][i]);
		}
	}
	parsed_free(&p);
	check_all_chunkings(c->name, data, len, 0, NULL);
	check_all_chunkings(c->name, data, len, ',', NULL);
	free(data);
}

/* Its JSON contradicts its CSV (see SOURCE.md): only the bare quotes are checked. */
static void test_spectrum_location_coordinates(void **state)
{
	struct parsed p;
	size_t len;
	char *data = read_fixture("location_coordinates", &len);

	(void)state;
	parse_chunked(data, len, 0, 0, &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.nrecs, 2);
	assert_int_equal(p.recs[0].nfields, 4);
	assert_int_equal(p.recs[1].nfields, 4);
	assert_string_equal(p.recs[0].fields[1], "Location Coordinates");
	assert_string_equal(p.recs[1].fields[1],
			    "37\xef\xbf\xbd" "36'37.8\"N 121\xef\xbf\xbd" "2'17.9\"W");
	assert_string_equal(p.recs[1].fields[3], "Stanislaus");
	parsed_free(&p);
	check_all_chunkings("location_coordinates", data, len, 0, NULL);
	free(data);
}

/* ---- tricky inputs, each with its expected records, at every chunk size ---- */

struct tricky_case {
	const char *what;
	const char *data;
	size_t len;		/* 0: strlen(data) */
	char delim;
	const char *want;
	char want_delim;	/* 0: do not check */
};

static const struct tricky_case tricky_cases[] = {
	{ "BOM", "\xef\xbb\xbf" "a,b\n1,2\n", 0, 0, "1:a|b;2:1|2;", ',' },
	{ "BOM only", "\xef\xbb\xbf", 0, 0, "", 0 },
	{ "BOM then blank line", "\xef\xbb\xbf\n", 0, 0, "1b:;", 0 },
	{ "half a BOM is data", "\xef\xbbx,y\n", 0, 0, "1:\\xef\\xbbx|y;", ',' },
	{ "a lone BOM byte is data", "\xef", 0, 0, "1:\\xef;", 0 },
	{ "only the first BOM is skipped", "\xef\xbb\xbf\xef\xbb\xbf" "a", 0, 0,
	  "1:\\xef\\xbb\\xbfa;", 0 },
	{ "BOM with explicit delimiter", "\xef\xbb\xbf" "a;b", 0, ';', "1:a|b;", ';' },
	{ "CRLF", "a,b\r\n1,2\r\n\r\n3,4\r\n", 0, 0, "1:a|b;2:1|2;3b:;4:3|4;", 0 },
	{ "bare CR", "a,b\r1,2\r3,4", 0, 0, "1:a|b;2:1|2;3:3|4;", 0 },
	{ "mixed line breaks", "a\r\n\rb\n\nc", 0, 0, "1:a;2b:;3:b;4b:;5:c;", 0 },
	{ "LF CR is two breaks", "a\n\rb", 0, 0, "1:a;2b:;3:b;", 0 },
	{ "escaped quotes", "\"a\"\"b\",\"\"\"\"\n", 0, 0, "1:a\"b|\";", 0 },
	{ "quoted at EOF", "a,\"b\"", 0, 0, "1:a|b;", 0 },
	{ "escaped quote at EOF", "a,\"b\"\"\"", 0, 0, "1:a|b\";", 0 },
	{ "quoted newlines advance the line", "h\n\"x\ny\r\nz\",1\nnext\n", 0, 0,
	  "1:h;2:x\\x0ay\\x0d\\x0az|1;5:next;", 0 },
	{ "quoted bare CR", "\"a\rb\",c\rd\r", 0, 0, "1:a\\x0db|c;3:d;", 0 },
	{ "quoted CR then quote", "\"a\r\"\"\n\",b\nz", 0, 0, "1:a\\x0d\"\\x0a|b;4:z;", 0 },
	{ "empty fields", "a,\n,\n,,\n", 0, 0, "1:a|;2:|;3:||;", 0 },
	{ "delimiter at EOF", "a,", 0, 0, "1:a|;", 0 },
	{ "blank lines", "\n\n", 0, 0, "1b:;2b:;", 0 },
	{ "final newline adds nothing", "a\n", 0, 0, "1:a;", 0 },
	{ "empty input", "", 0, 0, "", 0 },
	{ "empty quoted field is not blank", "\"\"\n", 0, 0, "1:;", 0 },
	{ "bare quote in unquoted field", "a\"b,c\"\n", 0, 0, "1:a\"b|c\";", 0 },
	{ "spaces are data", " a , b \n", 0, 0, "1: a | b ;", 0 },
	{ "quoted delimiter and newline", "\"a,b\nc\",d\ne\n", 0, 0, "1:a,b\\x0ac|d;3:e;", 0 },
	{ "TSV detected", "a\tb\n1\t2\n", 0, 0, "1:a|b;2:1|2;", '\t' },
	{ "TSV after blank lines", "\n\r\na\tb\n1\t2\n", 0, 0, "1b:;2b:;3:a|b;4:1|2;", '\t' },
	{ "a tab decides even after a comma", "a,b\tc\n", 0, 0, "1:a,b|c;", '\t' },
	{ "quoted tab is not a delimiter", "\"a\tb\",c\n", 0, 0, "1:a\\x09b|c;", ',' },
	{ "tab after closing quote", "\"x\"\ty\n", 0, 0, "1:x|y;", '\t' },
	{ "no delimiter at all", "abc\ndef", 0, 0, "1:abc;2:def;", ',' },
	{ "explicit delimiter", "a;b,c\n\"1;\";2\n", 0, ';', "1:a|b,c;2:1\\x3b|2;", ';' },
	{ "tab given, commas are data", "a,b\tc\n", 0, '\t', "1:a,b|c;", '\t' },
	{ "high bytes", "\xff\xfe,\x80\n", 0, 0, "1:\\xff\\xfe|\\x80;", 0 },
	/* records of sixteen bytes and more, which are read a block at a time
	 * when the whole record is in the chunk */
	{ "long plain rows", "series_name_long,1764547200,270.95\nseries_name_long,1764550800,290.46\n",
	  0, 0, "1:series_name_long|1764547200|270.95;2:series_name_long|1764550800|290.46;", ',' },
	{ "long CRLF rows", "abcdefghijklmnop,qrstuvwxyz012345\r\n0123456789abcdef,g\r\nx", 0, 0,
	  "1:abcdefghijklmnop|qrstuvwxyz012345;2:0123456789abcdef|g;3:x;", ',' },
	{ "long rows, bare CR", "0123456789abcdefghij,k\r0123456789abcdefghij,k\r", 0, 0,
	  "1:0123456789abcdefghij|k;2:0123456789abcdefghij|k;", ',' },
	{ "delimiters at block edges", "0123456789abcde,0123456789abcdef,\n", 0, 0,
	  "1:0123456789abcde|0123456789abcdef|;", ',' },
	{ "LF at a block's last byte", "0123456789abcde\n0123456789abcdefghijklmnopqrstu\n", 0, ',',
	  "1:0123456789abcde;2:0123456789abcdefghijklmnopqrstu;", ',' },
	{ "long row, blank line, long row", "0123456789abcdefghij,k\n\n0123456789abcdefghij,k\n", 0, 0,
	  "1:0123456789abcdefghij|k;2b:;3:0123456789abcdefghij|k;", ',' },
	{ "long row with a quoted field", "0123456789abcdefghij,\"q,\"\"x\",end_of_the_row_here\n", 0, 0,
	  "1:0123456789abcdefghij|q,\"x|end_of_the_row_here;", ',' },
	{ "long row with a bare quote", "0123456789abcdefghij,a\"b,long_enough_field_x\n", 0, 0,
	  "1:0123456789abcdefghij|a\"b|long_enough_field_x;", ',' },
	{ "long row with a tab in a CSV field", "0123456789abcdefghij,a\tb,long_enough_field_x\n", 0, ',',
	  "1:0123456789abcdefghij|a\\x09b|long_enough_field_x;", ',' },
	{ "long TSV rows", "0123456789abcdefghij\tk,l\t\n0123456789abcdefghij\tk,l\tm\n", 0, 0,
	  "1:0123456789abcdefghij|k,l|;2:0123456789abcdefghij|k,l|m;", '\t' },
	/* errors: records before the error are delivered, then the message */
	{ "NUL in a long row", "0123456789abcdefghij,k\n0123456789abcdefghij,\0k\n", 47, 0,
	  "1:0123456789abcdefghij|k;!1@2:NUL byte in input", 0 },
	{ "NUL in unquoted field", "a,b\n1,x\0y\n", 10, 0, "1:a|b;!1@2:NUL byte in input", 0 },
	{ "NUL at the start", "\0", 1, 0, "!1@1:NUL byte in input", 0 },
	{ "NUL at a field start", "a,\0", 3, ',', "!1@1:NUL byte in input", 0 },
	{ "NUL in quotes", "\"a\n\0\"", 5, 0, "!1@2:NUL byte in input", 0 },
	{ "NUL after closing quote", "\"a\"\0", 4, 0, "!1@1:NUL byte in input", 0 },
	{ "NUL in a later TSV line", "a\tb\n\n\0", 6, 0, "1:a|b;2b:;!1@3:NUL byte in input", 0 },
	{ "text after closing quote", "\"a\"b", 0, 0,
	  "!1@1:field 1: unexpected character 'b' after closing quote", 0 },
	{ "text after a multi-line quoted field", "x,y\n1,\"a\nb\"c\n", 0, 0,
	  "1:x|y;!1@3:field 2: unexpected character 'c' after closing quote", 0 },
	{ "space after closing quote", "\"a\" ,b", 0, 0,
	  "!1@1:field 1: unexpected character ' ' after closing quote", 0 },
	{ "control byte after closing quote", "\"a\"\x01", 0, 0,
	  "!1@1:field 1: unexpected character '\\x01' after closing quote", 0 },
	{ "unterminated quoted field", "a\n\"b\nc", 0, 0,
	  "1:a;!1@2:unterminated quoted field", 0 },
	{ "lone quote", "\"", 0, 0, "!1@1:unterminated quoted field", 0 },
	{ "unterminated after CRLF lines", "a\r\nb\r\nc,\"d\r\n\r\n", 0, 0,
	  "1:a;2:b;!1@3:unterminated quoted field", 0 },
};

static void test_tricky(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tricky_cases / sizeof tricky_cases[0]; i++) {
		const struct tricky_case *c = &tricky_cases[i];
		size_t len = c->len != 0 ? c->len : strlen(c->data);
		struct parsed p;

		check_all_chunkings(c->what, c->data, len, c->delim, c->want);
		parse_chunked(c->data, len, 0, c->delim, &p);
		if (c->want_delim != 0)
			assert_int_equal(p.delim, c->want_delim);
		if (p.rc != 0)
			assert_int_equal(p.rc, TS_EINPUT);
		parsed_free(&p);
	}
}

/* ---- delimiter, stopping, errors ---- */

static int check_delim_during_callback(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct ts_csv_reader *r = ctx;

	(void)rec;
	(void)err;
	assert_int_equal(ts_csv_reader_delim(r), '\t');
	return 0;
}

static void test_delim(void **state)
{
	struct ts_csv_reader *r;
	struct ts_err err = { 0 };

	(void)state;
	assert_null(ts_csv_reader_new('"'));
	assert_null(ts_csv_reader_new('\n'));
	assert_null(ts_csv_reader_new('\r'));

	r = ts_csv_reader_new(';');
	assert_non_null(r);
	assert_int_equal(ts_csv_reader_delim(r), ';');
	ts_csv_reader_free(r);

	r = ts_csv_reader_new(0);
	assert_non_null(r);
	assert_int_equal(ts_csv_reader_delim(r), 0);
	assert_int_equal(ts_csv_feed(r, "a\tb", 3, check_delim_during_callback, r, &err), 0);
	assert_int_equal(ts_csv_reader_delim(r), 0);	/* nothing delivered yet */
	assert_int_equal(ts_csv_feed(r, "\n", 1, check_delim_during_callback, r, &err), 0);
	assert_int_equal(ts_csv_reader_delim(r), '\t');
	assert_int_equal(ts_csv_finish(r, check_delim_during_callback, r, &err), 0);
	ts_csv_reader_free(r);
	ts_csv_reader_free(NULL);
}

struct stopper {
	size_t seen;
	size_t stop_at;
};

static int stop_at(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct stopper *s = ctx;

	(void)rec;
	if (++s->seen == s->stop_at)
		return ts_err_set(err, 42, "stop here");
	return 0;
}

static void test_callback_stops(void **state)
{
	static const char data[] = "a\nb\nc\nd\n";
	struct stopper s = { 0, 2 };
	struct ts_err err = { 0 };
	struct ts_csv_reader *r = ts_csv_reader_new(',');

	(void)state;
	assert_non_null(r);
	assert_int_equal(ts_csv_feed(r, data, strlen(data), stop_at, &s, &err), 42);
	assert_int_equal(s.seen, 2);
	assert_string_equal(err.msg, "stop here");
	assert_int_equal(ts_csv_feed(r, data, strlen(data), stop_at, &s, &err), 42);
	assert_int_equal(ts_csv_finish(r, stop_at, &s, &err), 42);
	assert_int_equal(s.seen, 2);
	ts_csv_reader_free(r);

	/* A stop from the record that finish delivers. */
	s.seen = 0;
	s.stop_at = 1;
	r = ts_csv_reader_new(0);
	assert_non_null(r);
	assert_int_equal(ts_csv_feed(r, "x", 1, stop_at, &s, &err), 0);
	assert_int_equal(ts_csv_finish(r, stop_at, &s, &err), 42);
	ts_csv_reader_free(r);
}

static void test_error_is_sticky(void **state)
{
	struct parsed p = { 0 };
	struct ts_csv_reader *r = ts_csv_reader_new(0);

	(void)state;
	assert_non_null(r);
	assert_int_equal(ts_csv_feed(r, "\"a\"b\nc\n", 7, collect, &p, &p.err), TS_EINPUT);
	assert_int_equal(p.err.code, TS_EINPUT);
	assert_int_equal(p.err.line, 1);
	assert_string_equal(p.err.msg, "field 1: unexpected character 'b' after closing quote");
	assert_int_equal(ts_csv_feed(r, "d\n", 2, collect, &p, &p.err), TS_EINPUT);
	assert_int_equal(ts_csv_finish(r, collect, &p, &p.err), TS_EINPUT);
	assert_int_equal(p.nrecs, 0);
	ts_csv_reader_free(r);
	parsed_free(&p);
}

/* ---- size: huge fields, many fields, many records ---- */

static void test_huge_fields(void **state)
{
	const size_t big = 1024 * 1024;
	size_t cap = 3 * big + 64;
	char *data = malloc(cap);
	char *want_quoted = malloc(big + 1);
	size_t len = 0, qlen = 0;
	const size_t chunks[] = { 0, 1000, 4096, 65536 + 7, 3 * 65536 };
	struct parsed p;

	(void)state;
	assert_non_null(data);
	assert_non_null(want_quoted);
	/* record 1: one unquoted 1 MB field and a short one */
	for (size_t i = 0; i < big; i++)
		data[len++] = (char)('a' + i % 26);
	memcpy(data + len, ",x\n\"", 4);
	len += 4;
	/* record 2: a quoted 1 MB field with "" escapes and line breaks */
	for (size_t i = 0; qlen < big; i++) {
		if (i % 1000 == 999) {
			data[len++] = '"';
			data[len++] = '"';
			want_quoted[qlen++] = '"';
		} else if (i % 5000 == 17) {
			data[len++] = '\n';
			want_quoted[qlen++] = '\n';
		} else {
			data[len++] = (char)('0' + i % 10);
			want_quoted[qlen++] = (char)('0' + i % 10);
		}
	}
	want_quoted[qlen] = '\0';
	memcpy(data + len, "\",y\nend", 7);
	len += 7;
	assert_true(len <= cap);

	for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
		size_t breaks = 0;

		parse_chunked(data, len, chunks[k], 0, &p);
		assert_int_equal(p.rc, 0);
		assert_int_equal(p.nrecs, 3);
		assert_int_equal(p.recs[0].nfields, 2);
		assert_int_equal(p.recs[0].lens[0], big);
		assert_memory_equal(p.recs[0].fields[0], data, big);
		assert_string_equal(p.recs[0].fields[1], "x");
		assert_int_equal(p.recs[1].nfields, 2);
		assert_int_equal(p.recs[1].lens[0], big);
		assert_memory_equal(p.recs[1].fields[0], want_quoted, big);
		assert_string_equal(p.recs[1].fields[1], "y");
		for (size_t i = 0; i < big; i++)
			breaks += want_quoted[i] == '\n';
		assert_int_equal(p.recs[2].line, 3 + breaks);
		assert_string_equal(p.recs[2].fields[0], "end");
		parsed_free(&p);
	}
	free(want_quoted);
	free(data);
}

static void test_many_fields(void **state)
{
	const size_t n = 100000;
	char *data = malloc(2 * n + 2);
	struct parsed p;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < n; i++) {
		data[2 * i] = (char)('0' + i % 10);
		data[2 * i + 1] = ',';
	}
	data[2 * n - 1] = '\n';
	memcpy(data + 2 * n, "z\n", 2);
	parse_chunked(data, 2 * n + 2, 0, 0, &p);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.nrecs, 2);
	assert_int_equal(p.recs[0].nfields, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p.recs[0].lens[i], 1);
		assert_int_equal(p.recs[0].fields[i][0], '0' + i % 10);
	}
	assert_int_equal(p.recs[1].line, 2);
	parsed_free(&p);
	free(data);
}

/* ---- streams ---- */

struct counter {
	size_t records;
	bool lines_ok;
	bool fields_ok;
};

static int count_rows(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	struct counter *c = ctx;

	(void)err;
	c->records++;
	if (rec->line != c->records)
		c->lines_ok = false;
	if (c->records > 1 && (rec->nfields != 2 || rec->lens[0] != 19 ||
			       strcmp(rec->fields[1], "12.5") != 0))
		c->fields_ok = false;
	return 0;
}

static void test_read_stream(void **state)
{
	static const char row[] = "2018-05-31 00:00:00,12.5\r\n";
	const size_t rows = 20000;	/* about 8 reads of 64 KiB */
	struct counter c = { 0, true, true };
	struct ts_err err = { 0 };
	struct ts_csv_reader *r = ts_csv_reader_new(0);
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(r);
	assert_non_null(f);
	fputs("\xef\xbb\xbf" "ds,y\r\n", f);
	for (size_t i = 0; i < rows; i++)
		fputs(row, f);
	rewind(f);
	assert_int_equal(ts_csv_read_stream(r, f, count_rows, &c, &err), 0);
	assert_int_equal(c.records, rows + 1);
	assert_true(c.lines_ok);
	assert_true(c.fields_ok);
	assert_int_equal(ts_csv_reader_delim(r), ',');
	ts_csv_reader_free(r);
	fclose(f);
}

static int ignore_record(const struct ts_csv_record *rec, void *ctx, struct ts_err *err)
{
	(void)rec;
	(void)ctx;
	(void)err;
	return 0;
}

/* The line ending a writer keeps is CRLF when the first one outside quotes
 * is, however the input is cut (a CR at the end of one chunk and its LF in
 * the next is still CRLF); else LF, for bare CR input too. */
static void test_line_ending(void **state)
{
	static const struct {
		const char *in, *eol;
	} cases[] = {
		{ "ds,y\r\n1,2\r\n", "\r\n" }, { "ds,y\n1,2\n", "\n" }, { "ds,y\r1,2\r", "\n" },
		{ "ds,y", "\n" }, { "", "\n" }, { "ds,y\r", "\n" }, { "\"a\r\nb\",y\n1,2\r\n", "\n" },
		{ "\r\nds,y\n", "\r\n" }, { "ds\ty\r\n1\t2\n", "\r\n" },
		/* first lines of sixteen bytes and more, read a block at a time */
		{ "series_name,ds,y\r\n1,2,3\n", "\r\n" }, { "series_name,ds,y\n1,2,3\r\n", "\n" },
		{ "series_name,ds,y\r1,2,3\r\n", "\n" }, { "0123456789abcde\r\n1\n", "\r\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].in);
		for (size_t chunk = 1; chunk <= (len > 0 ? len : 1); chunk++) {
			struct ts_csv_reader *r = ts_csv_reader_new(0);
			struct ts_err err = { 0 };
			assert_non_null(r);
			for (size_t at = 0; at < len; at += chunk)
				assert_int_equal(ts_csv_feed(r, cases[i].in + at, len - at < chunk ? len - at : chunk,
							     ignore_record, NULL, &err), 0);
			assert_int_equal(ts_csv_finish(r, ignore_record, NULL, &err), 0);
			if (strcmp(ts_csv_reader_eol(r), cases[i].eol) != 0)
				fail_msg("case %zu at chunk %zu: wrong line ending", i, chunk);
			ts_csv_reader_free(r);
		}
	}
}

static void test_read_stream_error(void **state)
{
	char want[600];
	struct counter c = { 0, true, true };
	struct ts_err err = { 0 };
	struct ts_csv_reader *r = ts_csv_reader_new(0);
	FILE *f = fopen("tests", "r");	/* a directory: fread fails with EISDIR */

	(void)state;
	assert_non_null(r);
	if (f == NULL)
		skip();
	assert_int_equal(ts_csv_read_stream(r, f, count_rows, &c, &err), TS_EIO);
	snprintf(want, sizeof want, "read error: %s", strerror(EISDIR));
	assert_int_equal(err.code, TS_EIO);
	assert_string_equal(err.msg, want);
	ts_csv_reader_free(r);
	fclose(f);
}

static void test_read_stream_unterminated(void **state)
{
	struct parsed p = { 0 };
	struct ts_csv_reader *r = ts_csv_reader_new(0);
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(r);
	assert_non_null(f);
	fputs("a,b\n1,\"2\n3\n", f);
	rewind(f);
	assert_int_equal(ts_csv_read_stream(r, f, collect, &p, &p.err), TS_EINPUT);
	assert_int_equal(p.err.line, 2);
	assert_string_equal(p.err.msg, "unterminated quoted field");
	assert_int_equal(p.nrecs, 1);
	parsed_free(&p);
	ts_csv_reader_free(r);
	fclose(f);
}

/* ---- writer ---- */

static char *write_one(const char *s, size_t len, char delim)
{
	struct ts_buf b = { 0 };

	ts_csv_write_field(&b, s, len, delim);
	ts_buf_putc(&b, '\0');
	assert_false(b.failed);
	return b.data;
}

static void test_write_field(void **state)
{
	static const struct {
		const char *in;
		char delim;
		const char *want;
	} cases[] = {
		{ "plain", ',', "plain" },
		{ "", ',', "" },
		{ "in side", ',', "in side" },
		{ "a,b", ',', "\"a,b\"" },
		{ "a,b", '\t', "a,b" },
		{ "a\tb", '\t', "\"a\tb\"" },
		{ "a\tb", ',', "a\tb" },
		{ "say \"hi\"", ',', "\"say \"\"hi\"\"\"" },
		{ "\"", ',', "\"\"\"\"" },
		{ "a\nb", ',', "\"a\nb\"" },
		{ "a\rb", ',', "\"a\rb\"" },
		{ " lead", ',', "\" lead\"" },
		{ "trail ", ',', "\"trail \"" },
		{ " ", ',', "\" \"" },
		{ "2018-05-31 00:00:00", ',', "2018-05-31 00:00:00" },
		{ "x;y", ';', "\"x;y\"" },
		{ "\xca\xa4", ',', "\xca\xa4" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = write_one(cases[i].in, strlen(cases[i].in), cases[i].delim);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* The quoting test looks at eight bytes at a time: each special byte at every place of fields of every
 * length up to 24 is found, and bytes that differ from a special one by a bit
 * (high bytes, 0x0b, '#', '-') are not; a plain field of up to 40 distinct
 * bytes is copied as it is, each byte in its place. */
static void test_write_field_every_position(void **state)
{
	const char specials[] = { ',', '"', '\n', '\r' };
	const char near[] = { '-', '#', '\x0b', '\x8a', '\xac', '\xa2', '\xff', '\x01', '0' };

	(void)state;
	for (size_t len = 1; len <= 40; len++) {
		char field[48];
		for (size_t i = 0; i < len; i++)
			field[i] = (char)('A' + i);
		field[len] = '\0';
		char *got = write_one(field, len, ',');
		assert_string_equal(got, field);
		free(got);
	}
	for (size_t len = 1; len <= 24; len++) {
		char field[32];
		for (size_t f = 0; f < sizeof near; f++) {
			memset(field, near[f], len);
			field[len] = '\0';
			char *got = write_one(field, len, ',');
			assert_memory_equal(got, field, len + 1);
			free(got);
		}
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < sizeof specials; k++) {
				memset(field, 'x', len);
				field[at] = specials[k];
				char *got = write_one(field, len, ',');
				assert_int_equal(got[0], '"');
				assert_int_equal(got[strlen(got) - 1], '"');
				free(got);
			}
	}
}

static void test_write_read_round_trip(void **state)
{
	static const char *const fields[] = {
		"", "plain", " ", "  both  ", " lead", "trail ", "q\"q", "\"", "\"\"",
		"\"start", "end\"", "a,b", "a\tb", "line\nbreak", "cr\rx", "crlf\r\n",
		",", "\t", "\n", "\r", "\xef\xbb\xbf", "\xca\xa4", "x\"\"y\"",
	};
	const size_t nfields = sizeof fields / sizeof fields[0];
	const char delims[] = { ',', '\t', ';' };

	(void)state;
	for (size_t d = 0; d < sizeof delims; d++) {
		struct ts_buf b = { 0 };
		struct parsed p;

		/* every field alone on a line, then all of them on one line */
		for (size_t i = 0; i < nfields; i++) {
			ts_csv_write_field(&b, fields[i], strlen(fields[i]), delims[d]);
			ts_buf_putc(&b, '\n');
		}
		for (size_t i = 0; i < nfields; i++) {
			if (i > 0)
				ts_buf_putc(&b, delims[d]);
			ts_csv_write_field(&b, fields[i], strlen(fields[i]), delims[d]);
		}
		assert_false(b.failed);
		parse_chunked(b.data, b.len, 0, delims[d], &p);
		assert_int_equal(p.rc, 0);
		assert_int_equal(p.nrecs, nfields + 1);
		for (size_t i = 0; i < nfields; i++) {
			assert_int_equal(p.recs[i].nfields, 1);
			assert_int_equal(p.recs[i].lens[0], strlen(fields[i]));
			assert_string_equal(p.recs[i].fields[0], fields[i]);
		}
		assert_int_equal(p.recs[nfields].nfields, nfields);
		for (size_t i = 0; i < nfields; i++)
			assert_string_equal(p.recs[nfields].fields[i], fields[i]);
		parsed_free(&p);
		check_all_chunkings("round trip", b.data, b.len, delims[d], NULL);
		ts_buf_free(&b);
	}
}

#define SPECTRUM(i, name) { "spectrum " name, test_spectrum, NULL, NULL, (void *)&spectrum_cases[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		SPECTRUM(0, "comma_in_quotes"),
		SPECTRUM(1, "empty"),
		SPECTRUM(2, "empty_crlf"),
		SPECTRUM(3, "escaped_quotes"),
		SPECTRUM(4, "json"),
		SPECTRUM(5, "newlines"),
		SPECTRUM(6, "newlines_crlf"),
		SPECTRUM(7, "quotes_and_newlines"),
		SPECTRUM(8, "simple"),
		SPECTRUM(9, "simple_crlf"),
		SPECTRUM(10, "utf8"),
		cmocka_unit_test(test_spectrum_location_coordinates),
		cmocka_unit_test(test_tricky),
		cmocka_unit_test(test_delim),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_error_is_sticky),
		cmocka_unit_test(test_huge_fields),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_read_stream),
		cmocka_unit_test(test_read_stream_error),
		cmocka_unit_test(test_line_ending),
		cmocka_unit_test(test_read_stream_unterminated),
		cmocka_unit_test(test_write_field),
		cmocka_unit_test(test_write_field_every_position),
		cmocka_unit_test(test_write_read_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
