/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_junit: a series key and a reason of any bytes make a JUnit report
 * that is valid UTF-8 of XML characters only, with no markup character left
 * raw, and whose test case name reads back to the key when the key was
 * valid XML text to begin with. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/junit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* The code point at s and its length; -1 when not valid UTF-8. */
static long next_cp(const unsigned char *s, size_t n, size_t *len)
{
	size_t need = s[0] < 0x80 ? 0 : s[0] >= 0xF5 ? 9 : s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC2 ? 1 : 9;
	long cp = need == 0 ? s[0] : s[0] & (0x3F >> need);	/* need 9: C0, C1, F5..FF, a continuation */
	static const long min[] = { 0, 0x80, 0x800, 0x10000 };

	*len = 1;
	if (need > 3 || need >= n)
		return -1;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need + 1;
	return cp;
}

static bool xml_char(long cp)
{
	return cp == 9 || cp == 10 || cp == 13 || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Whether s[0..n) is valid UTF-8 of XML characters. */
static bool xml_text(const char *s, size_t n)
{
	size_t len;

	for (size_t i = 0; i < n; i += len) {
		long cp = next_cp((const unsigned char *)s + i, n - i, &len);
		if (cp < 0 || !xml_char(cp))
			return false;
	}
	return true;
}

/* Undo the attribute escaping of value into out; false on an unknown entity. */
static bool unescape(const char *v, size_t n, char *out, size_t *outlen)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&#9;", '\t' }, { "&#10;", '\n' }, { "&#13;", '\r' },
	};
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		if (v[i] != '&') {
			out[o++] = v[i++];
			continue;
		}
		size_t e;
		for (e = 0; e < sizeof ents / sizeof ents[0]; e++)
			if (strncmp(v + i, ents[e].ent, strlen(ents[e].ent)) == 0)
				break;
		if (e == sizeof ents / sizeof ents[0])
			return false;
		out[o++] = ents[e].c;
		i += strlen(ents[e].ent);
	}
	*outlen = o;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_buf csv = { 0 }, xml = { 0 };
	struct ts_table t = { 0 };
	struct ts_roles roles;
	struct ts_groups g = { 0 };
	struct ts_junit j = { 0 };
	struct ts_err err = { 0 };
	char *reason;
	FILE *f;

	if (size > 4096)
		return 0;
	/* the bytes as one quoted key, and as the reason (up to a NUL) */
	ts_buf_puts(&csv, "k,ds,y\n\"");
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '"')
			ts_buf_putc(&csv, '"');
		ts_buf_putc(&csv, (char)data[i]);
	}
	ts_buf_puts(&csv, "\",2020-01-01,1\n");
	reason = calloc(size + 1, 1);
	CHECK(reason != NULL && !csv.failed);
	memcpy(reason, data, size);
	f = fmemopen(csv.data, csv.len, "r");
	CHECK(f != NULL);
	if (ts_table_read(&t, f, "in.csv", ',', &err) != 0 ||
	    ts_roles_resolve(&t, "ds", "y", "k", &roles, &err) != 0 ||
	    ts_groups_build(&t, &roles, &g, &err) != 0 || g.n != 1)
		goto out;
	CHECK(ts_junit_init(&j, "ts-detect", &t, &roles, &g, &err) == 0);
	ts_junit_anomaly(&j, 0, &t, &roles, 0, 1, 0, reason);
	CHECK(ts_junit_xml(&j, &xml, &err) == 0);
	CHECK(xml_text(xml.data, xml.len));
	{
		/* the name attribute: no raw markup inside, and it reads back */
		const char *start = strstr(xml.data, " name=\"ts-detect\"");
		CHECK(start != NULL);
		start = strstr(start + 1, "<testcase classname=\"ts-detect\" name=\"");
		CHECK(start != NULL);
		start += strlen("<testcase classname=\"ts-detect\" name=\"");
		const char *end = memchr(start, '"', xml.len - (size_t)(start - xml.data));
		CHECK(end != NULL && end[1] == '>');
		for (const char *p = start; p < end; p++)
			CHECK(*p != '<' && *p != '>' && *p != '\n' && *p != '\t' && *p != '\r');
		struct ts_str key = ts_table_field(&t, 0, 0);
		char *back = malloc((size_t)(end - start) + 1);
		size_t backlen = 0;
		CHECK(back != NULL);
		CHECK(unescape(start, (size_t)(end - start), back, &backlen) || !xml_text(key.s, key.len));
		if (xml_text(key.s, key.len))
			CHECK(backlen == key.len && memcmp(back, key.s, key.len) == 0);
		free(back);
	}
out:
	ts_junit_free(&j);
	ts_buf_free(&xml);
	ts_groups_free(&g);
	ts_table_free(&t);
	fclose(f);
	free(reason);
	ts_buf_free(&csv);
	return 0;
}
