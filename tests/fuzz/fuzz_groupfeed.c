/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_groupfeed: any bytes read by the cutter (lib/groupfeed) give the rows,
 * skipped count and error of a whole read (ts_table_read_skip), batch after
 * batch in input order with each key in one batch, unless a key comes back,
 * which is refused at its line after the rows before it. The first byte
 * picks the batch size, --skip-bad and the delimiter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/frame.h"
#include "io/groupfeed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static bool same_row(const struct ts_table *a, size_t ra, const struct ts_table *b, size_t rb)
{
	for (size_t c = 0; c < a->ncols; c++) {
		struct ts_str x = ts_table_field(a, ra, c), y = ts_table_field(b, rb, c);
		if (x.len != y.len || (x.len > 0 && memcmp(x.s, y.s, x.len) != 0))
			return false;
	}
	return a->line[ra] == b->line[rb];
}

static void warn_nothing(void *ctx, const struct ts_err *err, struct ts_buf *msg)
{
	(void)ctx;
	(void)err;
	ts_buf_putc(msg, '.');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ',', '\t', ';' };
	struct ts_load_opts skip = { 0 };
	struct ts_feed_opts o = { .key_spec = "1", .depth = 2, .warn = warn_nothing };
	struct ts_table whole = { 0 };
	struct ts_err werr = { 0 };
	struct ts_groupfeed *f;
	struct ts_feed_batch *b;
	size_t row = 0, skipped = 0, nwarn = 0;
	int wrc;
	FILE *out;
	char *paths[1] = { path };
	const char *prev_key = NULL;
	size_t prev_batch = 0, nbatch = 0;
	bool came_back = false, ended = false;

	if (size < 1)
		return 0;
	o.batch_rows = 1 + (data[0] & 7);
	o.skip_bad = skip.skip_bad = (data[0] & 8) != 0;
	o.delim = delims[(data[0] >> 4) & 3];
	if (path[0] == '\0') {
		snprintf(path, sizeof path, "/tmp/fuzz_groupfeed_XXXXXX");
		int fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	if ((out = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, out);
	fclose(out);

	if ((out = fopen(path, "rb")) == NULL)
		abort();
	wrc = ts_table_read_skip(&whole, out, path, o.delim, &skip, &werr);
	fclose(out);

	if ((f = ts_groupfeed_start(&o, paths, 1)) == NULL)
		abort();
	while ((b = ts_groupfeed_next(f)) != NULL) {
		bool last = b->last;
		if (b->tab.ncols > 0 && b->tab.ncols != whole.ncols)
			abort();
		for (size_t r = 0; r < b->tab.nrows; r++, row++) {
			const char *key = ts_table_field(&b->tab, r, 0).s;
			if (row >= whole.nrows || !same_row(&b->tab, r, &whole, row))
				abort();
			/* a key's rows never span two batches */
			if (prev_key != NULL && strcmp(prev_key, key) == 0 && prev_batch != nbatch)
				abort();
			prev_key = whole.arena + whole.off[row * whole.ncols];
			prev_batch = nbatch;
		}
		skipped += b->tab.skipped;
		nwarn += b->msg.len;
		if (b->rc != 0) {
			came_back = strstr(b->err.msg, "comes back after other series") != NULL;
			if (!came_back && (b->rc != wrc || b->err.line != werr.line ||
					   strcmp(b->err.msg, werr.msg) != 0))
				abort();
			if (came_back && b->err.line == 0)
				abort();
			last = true;
		} else if (last && wrc != 0) {
			abort();	/* the whole read failed, the feed did not */
		}
		ts_feed_batch_free(b);
		nbatch++;
		if (last) {
			ended = true;
			break;
		}
	}
	if (!ended)
		abort();	/* the feed ended without its last batch */
	if (wrc == 0 && !came_back && (row != whole.nrows || skipped != whole.skipped || nwarn != skipped))
		abort();
	ts_groupfeed_free(f);
	ts_table_free(&whole);
	return 0;
}
