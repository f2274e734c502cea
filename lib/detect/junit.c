/* SPDX-License-Identifier: GPL-3.0-or-later */
/* junit: collects each series' verdict and writes the JUnit XML report that
 * Jenkins' JUnit plugin, GitLab and GitHub CI read (testsuites/testsuite/testcase). */
#include "detect/junit.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/num.h"
#include "io/outfile.h"

int ts_junit_init(struct ts_junit *j, const char *suite, const struct ts_table *t,
		  const struct ts_roles *roles, const struct ts_groups *g, struct ts_err *err)
{
	j->suite = suite;
	j->n = 0;
	j->cases = ts_calloc(g->n + 1, sizeof *j->cases);
	if (j->cases == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	j->n = g->n;
	for (size_t i = 0; i < g->n; i++) {
		struct ts_junit_case *c = &j->cases[i];
		if (roles->nkeys > 0)
			ts_group_label(t, roles, g, i, &c->name);
		else
			ts_buf_puts(&c->name, t->nfiles > 0 ? t->files[0] : "<stdin>");
		if (c->name.failed) {
			ts_junit_free(j);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
	}
	return 0;
}

void ts_junit_anomaly(struct ts_junit *j, size_t i, const struct ts_table *t,
		      const struct ts_roles *roles, size_t r, double y, double expected,
		      const char *reason)
{
	struct ts_junit_case *c = &j->cases[i];
	struct ts_str when = ts_table_field(t, r, roles->time);
	char num[TS_NUM_BUFSIZE], line[32];

	c->outcome = TS_JUNIT_FAIL;
	c->found++;
	snprintf(line, sizeof line, ":%zu: ", t->line[r]);
	ts_buf_puts(&c->detail, ts_table_file(t, r));
	ts_buf_puts(&c->detail, line);
	ts_buf_put(&c->detail, when.s, when.len);
	ts_buf_puts(&c->detail, ": y ");
	ts_num_format(y, num);
	ts_buf_puts(&c->detail, isnan(y) ? "missing" : num);
	if (!isnan(expected)) {
		ts_num_format(expected, num);
		ts_buf_puts(&c->detail, ", expected ");
		ts_buf_puts(&c->detail, num);
	}
	if (reason != NULL && reason[0] != '\0') {
		ts_buf_puts(&c->detail, ": ");
		ts_buf_puts(&c->detail, reason);
	}
	ts_buf_putc(&c->detail, '\n');
}

void ts_junit_error(struct ts_junit *j, size_t i, const struct ts_err *err)
{
	struct ts_junit_case *c = &j->cases[i];
	char line[32];

	c->outcome = TS_JUNIT_ERROR;
	c->detail.len = 0;
	if (err->file != NULL) {
		ts_buf_puts(&c->detail, err->file);
		if (err->line > 0) {
			snprintf(line, sizeof line, ":%zu", (size_t)err->line);
			ts_buf_puts(&c->detail, line);
		}
		ts_buf_puts(&c->detail, ": ");
	}
	ts_buf_puts(&c->detail, err->msg);
}

/* The code point of the UTF-8 sequence at s (n bytes left) and its length
 * in *len; -1 (length 1) for a byte that starts no valid sequence: overlong
 * forms, surrogates and values past U+10FFFF included. */
static long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char b = s[0];
	size_t need;
	long cp, min;

	*len = 1;
	if (b < 0x80)
		return b;
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		cp = b & 0x1F;
		min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		cp = b & 0x0F;
		min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		cp = b & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (need >= n)
		return -1;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need + 1;
	return cp;
}

/* Whether XML 1.0 can carry code point cp at all. */
static bool xml_char(long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Append s escaped for element text, or for a double-quoted attribute value
 * (attr), where line breaks and tabs must be character references to
 * survive attribute-value normalisation. */
static void put_escaped(struct ts_buf *out, const char *s, size_t n, bool attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		long cp = utf8_next(u + i, n - i, &len);
		if (cp < 0 || !xml_char(cp))
			ts_buf_puts(out, "&#xFFFD;");
		else if (cp == '&')
			ts_buf_puts(out, "&amp;");
		else if (cp == '<')
			ts_buf_puts(out, "&lt;");
		else if (cp == '>')
			ts_buf_puts(out, "&gt;");
		else if (cp == '"' && attr)
			ts_buf_puts(out, "&quot;");
		else if (cp == '\r')
			ts_buf_puts(out, "&#13;");
		else if (cp == '\n' && attr)
			ts_buf_puts(out, "&#10;");
		else if (cp == '\t' && attr)
			ts_buf_puts(out, "&#9;");
		else
			ts_buf_put(out, s + i, len);
		i += len;
	}
}

static void put_attr(struct ts_buf *out, const char *name, const char *value, size_t n)
{
	ts_buf_putc(out, ' ');
	ts_buf_puts(out, name);
	ts_buf_puts(out, "=\"");
	put_escaped(out, value, n, true);
	ts_buf_putc(out, '"');
}

static void put_counts(struct ts_buf *out, size_t tests, size_t failures, size_t errors)
{
	char text[128];

	snprintf(text, sizeof text, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", tests, failures,
		 errors);
	ts_buf_puts(out, text);
}

static void put_case(struct ts_buf *out, const char *suite, const struct ts_junit_case *c)
{
	char message[96];
	size_t body = c->detail.len;

	ts_buf_puts(out, "    <testcase");
	put_attr(out, "classname", suite, strlen(suite));
	put_attr(out, "name", c->name.data != NULL ? c->name.data : "", c->name.len);
	if (c->outcome == TS_JUNIT_PASS) {
		ts_buf_puts(out, "/>\n");
		return;
	}
	ts_buf_puts(out, ">\n");
	if (c->outcome == TS_JUNIT_FAIL) {
		snprintf(message, sizeof message, "%zu anomalous row%s in the judged window", c->found,
			 c->found == 1 ? "" : "s");
		ts_buf_puts(out, "      <failure type=\"anomaly\"");
		put_attr(out, "message", message, strlen(message));
		/* the rows end in a newline; the element's text need not */
		if (body > 0 && c->detail.data[body - 1] == '\n')
			body--;
	} else {
		ts_buf_puts(out, "      <error type=\"not judged\"");
		put_attr(out, "message", c->detail.data != NULL ? c->detail.data : "", body);
	}
	ts_buf_putc(out, '>');
	put_escaped(out, c->detail.data != NULL ? c->detail.data : "", body, false);
	ts_buf_puts(out, c->outcome == TS_JUNIT_FAIL ? "</failure>\n" : "</error>\n");
	ts_buf_puts(out, "    </testcase>\n");
}

int ts_junit_xml(const struct ts_junit *j, struct ts_buf *out, struct ts_err *err)
{
	size_t failures = 0, errors = 0;

	for (size_t i = 0; i < j->n; i++) {
		if (j->cases[i].name.failed || j->cases[i].detail.failed)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		failures += j->cases[i].outcome == TS_JUNIT_FAIL;
		errors += j->cases[i].outcome == TS_JUNIT_ERROR;
	}
	ts_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	put_attr(out, "name", j->suite, strlen(j->suite));
	put_counts(out, j->n, failures, errors);
	ts_buf_puts(out, ">\n  <testsuite");
	put_attr(out, "name", j->suite, strlen(j->suite));
	put_counts(out, j->n, failures, errors);
	ts_buf_puts(out, " skipped=\"0\">\n");
	for (size_t i = 0; i < j->n; i++)
		put_case(out, j->suite, &j->cases[i]);
	ts_buf_puts(out, "  </testsuite>\n</testsuites>\n");
	if (out->failed)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

int ts_junit_write(const struct ts_junit *j, const char *path, struct ts_err *err)
{
	struct ts_buf xml = { 0 };
	struct ts_outfile of;
	int rc;

	if ((rc = ts_junit_xml(j, &xml, err)) != 0) {
		ts_buf_free(&xml);
		return rc;
	}
	if ((rc = ts_outfile_open(&of, path, err)) != 0) {
		ts_buf_free(&xml);
		return rc;
	}
	fwrite(xml.data, 1, xml.len, of.f);
	ts_buf_free(&xml);
	if ((rc = ts_outfile_commit(&of, err)) != 0 && err != NULL)
		err->file = path;
	return rc;
}

void ts_junit_free(struct ts_junit *j)
{
	for (size_t i = 0; i < j->n; i++) {
		ts_buf_free(&j->cases[i].name);
		ts_buf_free(&j->cases[i].detail);
	}
	free(j->cases);
	j->cases = NULL;
	j->n = 0;
}
