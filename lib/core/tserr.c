/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tserr: filling struct ts_err, and quoting user text safely inside messages. */
#include "core/tserr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct ts_err *err, int code, const char *fmt, va_list ap)
{
	if (err != NULL) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

int ts_err_set(struct ts_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int ts_err_at(struct ts_err *err, int code, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
	if (err != NULL)
		err->line = line;
	return code;
}

void ts_err_clear(struct ts_err *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

char *ts_err_quote(const char *s, size_t len, char *buf, size_t bufsize)
{
	static const char hex[] = "0123456789abcdef";
	const size_t shown_max = 40;
	size_t out = 0;
	size_t i;

	for (i = 0; i < len && i < shown_max && out + 8 < bufsize; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f && c != '\\') {
			buf[out++] = (char)c;
		} else if (c == '\\') {
			buf[out++] = '\\';
			buf[out++] = '\\';
		} else {
			buf[out++] = '\\';
			buf[out++] = 'x';
			buf[out++] = hex[c >> 4];
			buf[out++] = hex[c & 15];
		}
	}
	if (i < len && out + 4 <= bufsize) {
		memcpy(buf + out, "...", 3);
		out += 3;
	}
	buf[out] = '\0';
	return buf;
}
