/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf: a growable byte buffer for building output. Allocation failure is
 * sticky (failed is set, later appends do nothing) and reported at flush. */
#ifndef TS_BUF_H
#define TS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/tserr.h"

struct ts_buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed;	/* an append could not allocate: contents are incomplete */
};

/* Append n bytes of s. */
void ts_buf_put(struct ts_buf *b, const void *s, size_t n);
/* Append one byte. */
void ts_buf_putc(struct ts_buf *b, char c);
/* Room for n more bytes: a pointer to where they go (the caller writes at
 * most n and then advances len), or NULL after an allocation failure. */
char *ts_buf_reserve(struct ts_buf *b, size_t n);
/* Append a NUL-terminated string. */
void ts_buf_puts(struct ts_buf *b, const char *s);
/* Write the contents to f and empty the buffer. Returns 0, TS_ENOMEM if an
 * earlier append failed, or TS_EIO if the write failed (errno left as the
 * write set it, so a caller can tell EPIPE). */
int ts_buf_flush(struct ts_buf *b, FILE *f, struct ts_err *err);
/* Release the memory; the buffer is empty and usable again. */
void ts_buf_free(struct ts_buf *b);

#endif
