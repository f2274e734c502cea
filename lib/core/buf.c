/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf: growable output buffer with sticky allocation failure. */
#include "core/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

char *ts_buf_reserve(struct ts_buf *b, size_t n)
{
	if (b->failed)
		return NULL;
	if (b->len + n < b->len) {
		b->failed = true;
		return NULL;
	}
	if (b->len + n > b->cap) {
		char *grown = ts_grow(b->data, &b->cap, b->len + n, 1);
		if (grown == NULL) {
			b->failed = true;
			return NULL;
		}
		b->data = grown;
	}
	return b->data + b->len;
}

void ts_buf_put(struct ts_buf *b, const void *s, size_t n)
{
	char *at;

	/* an empty field on an empty buffer: no pointer arithmetic on NULL */
	if (n == 0)
		return;
	if ((at = ts_buf_reserve(b, n)) == NULL)
		return;
	memcpy(at, s, n);
	b->len += n;
}

void ts_buf_putc(struct ts_buf *b, char c)
{
	if (b->len < b->cap && !b->failed)
		b->data[b->len++] = c;
	else
		ts_buf_put(b, &c, 1);
}

void ts_buf_puts(struct ts_buf *b, const char *s)
{
	ts_buf_put(b, s, strlen(s));
}

int ts_buf_flush(struct ts_buf *b, FILE *f, struct ts_err *err)
{
	if (b->failed)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) {
		int saved = errno;
		ts_err_set(err, TS_EIO, "write error: %s", strerror(saved));
		errno = saved;	/* callers tell a closed pipe from other failures */
		return TS_EIO;
	}
	b->len = 0;
	return 0;
}

void ts_buf_free(struct ts_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}
