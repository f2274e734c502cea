/* SPDX-License-Identifier: GPL-3.0-or-later */
/* junit: ts-detect's verdicts as a JUnit XML report (Jenkins, GitLab, GitHub
 * CI): one test case per series, a failure per alerting series, an error per
 * series that could not be judged; written whole or not at all. */
#ifndef TS_JUNIT_H
#define TS_JUNIT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/tserr.h"
#include "io/frame.h"

enum ts_junit_outcome { TS_JUNIT_PASS, TS_JUNIT_FAIL, TS_JUNIT_ERROR };

/* One series' test case. */
struct ts_junit_case {
	struct ts_buf name;		/* the series' key values "k1,k2", or the input's name */
	enum ts_junit_outcome outcome;
	size_t found;			/* anomalous rows (TS_JUNIT_FAIL) */
	struct ts_buf detail;		/* a line per anomalous row, or the error's text */
};

struct ts_junit {
	const char *suite;		/* the test suite's name and the cases' classname */
	struct ts_junit_case *cases;
	size_t n;
};

/* One passing case per group of g, named by the group's key values joined
 * with ',' (without keys: t's first input name). suite must outlive j.
 * Errors: TS_ENOMEM (j is then empty and safe to free). */
int ts_junit_init(struct ts_junit *j, const char *suite, const struct ts_table *t,
		  const struct ts_roles *roles, const struct ts_groups *g, struct ts_err *err);

/* Case i failed at table row r (an anomaly in the judged window): appends
 * "FILE:LINE: TIME: y Y, expected E: REASON" (TIME the row's time field as
 * written; expected left out when NAN). Safe on worker threads for distinct
 * i. An allocation failure is reported by ts_junit_xml/ts_junit_write. */
void ts_junit_anomaly(struct ts_junit *j, size_t i, const struct ts_table *t,
		      const struct ts_roles *roles, size_t r, double y, double expected,
		      const char *reason);

/* Case i could not be judged: its text is err's "FILE[:LINE]: MESSAGE" (the
 * parts known). Safe on worker threads for distinct i. */
void ts_junit_error(struct ts_junit *j, size_t i, const struct ts_err *err);

/* Append the report to out: XML 1.0 in UTF-8, a testsuites element holding
 * one testsuite with the counts, then the cases in order. Text is escaped
 * for XML; bytes that are not valid UTF-8 and control characters XML cannot
 * carry become U+FFFD. Returns 0, or TS_ENOMEM when an earlier append to j
 * (or to out) failed. */
int ts_junit_xml(const struct ts_junit *j, struct ts_buf *out, struct ts_err *err);

/* Write the report to path through ts_outfile (whole or not at all).
 * Errors: TS_ENOMEM; TS_EIO with strerror's text, err->file path. */
int ts_junit_write(const struct ts_junit *j, const char *path, struct ts_err *err);

/* Release j's memory. */
void ts_junit_free(struct ts_junit *j);

#endif
