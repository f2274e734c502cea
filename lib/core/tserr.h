/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tserr: the error record the library fills instead of printing or exiting.
 * Every fallible ts_ function returns 0 or a TS_E code and fills a struct ts_err.
 * Named tserr, not err, so that it cannot shadow the system's <err.h>. */
#ifndef TS_ERR_H
#define TS_ERR_H

#include <stddef.h>

enum ts_code {
	TS_OK = 0,
	TS_EINPUT,	/* malformed input: CSV syntax, number, timestamp, ragged row */
	TS_EDATA,	/* well-formed input the algorithm cannot use */
	TS_EUSAGE,	/* bad option value or combination */
	TS_ENOMEM,	/* allocation failed */
	TS_EIO,		/* read or write failed */
	TS_ESTOP	/* a callback asked to stop early; not an error to report */
};

struct ts_err {
	int code;
	const char *file;	/* input name ("<stdin>" for standard input), or NULL */
	size_t line;		/* 1-based input line, 0 when not about a line */
	char msg[512];		/* lowercase, no final period, no location */
};

/* Record code and a printf-style message in err (which may be NULL); returns code.
 * Leaves file and line as they are, so an outer layer can add the location. */
int ts_err_set(struct ts_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As ts_err_set, and also record the line. */
int ts_err_at(struct ts_err *err, int code, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reset err to "no error". */
void ts_err_clear(struct ts_err *err);

/* Render s[0..len) for a message into buf (size >= 64): printable bytes as they
 * are, others as \xNN, cut after 40 characters with "...". Returns buf. */
char *ts_err_quote(const char *s, size_t len, char *buf, size_t bufsize);

#endif
