/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_junit: the JUnit report's cases, counts, messages and XML escaping
 * (markup characters, control bytes, broken UTF-8), and its atomic write. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "detect/junit.h"

struct fixture {
	struct ts_table t;
	struct ts_roles roles;
	struct ts_groups g;
	struct ts_junit j;
	struct ts_buf xml;
};

static void load(struct fixture *fx, const char *text, const char *keys)
{
	struct ts_err err = { 0 };
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	memset(fx, 0, sizeof *fx);
	assert_non_null(f);
	assert_int_equal(ts_table_read(&fx->t, f, "in.csv", 0, &err), 0);
	fclose(f);
	assert_int_equal(ts_roles_resolve(&fx->t, NULL, NULL, keys, &fx->roles, &err), 0);
	assert_int_equal(ts_groups_build(&fx->t, &fx->roles, &fx->g, &err), 0);
	assert_int_equal(ts_junit_init(&fx->j, "ts-detect", &fx->t, &fx->roles, &fx->g, &err), 0);
}

static const char *xml_of(struct fixture *fx)
{
	struct ts_err err = { 0 };

	fx->xml.len = 0;
	assert_int_equal(ts_junit_xml(&fx->j, &fx->xml, &err), 0);
	ts_buf_putc(&fx->xml, '\0');
	return fx->xml.data;
}

static void done(struct fixture *fx)
{
	ts_buf_free(&fx->xml);
	ts_junit_free(&fx->j);
	ts_groups_free(&fx->g);
	ts_table_free(&fx->t);
}

static const char keyed[] =
	"k,ds,y\n"
	"web,2024-01-01 00:00,1\n"
	"db,2024-01-01 00:00,5\n"
	"web,2024-01-01 01:00,90\n"
	"db,2024-01-01 01:00,6\n"
	"q,2024-01-01 00:00,x\n";

/* Every series a case in first-seen order; a failure carries its rows, an
 * error its message; the counts add up. */
static void test_cases_and_counts(void **state)
{
	struct fixture fx;
	struct ts_err not_judged = { .file = "in.csv", .line = 6 };
	(void)state;

	load(&fx, keyed, "k");
	assert_int_equal(fx.j.n, 3);
	ts_junit_anomaly(&fx.j, 0, &fx.t, &fx.roles, 2, 90, 1.5, "above forecast (p 1e-06)");
	ts_err_set(&not_judged, TS_EDATA, "bad number \"x\" in column y");
	ts_junit_error(&fx.j, 2, &not_judged);
	assert_string_equal(xml_of(&fx),
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"ts-detect\" tests=\"3\" failures=\"1\" errors=\"1\">\n"
		"  <testsuite name=\"ts-detect\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\">\n"
		"    <testcase classname=\"ts-detect\" name=\"web\">\n"
		"      <failure type=\"anomaly\" message=\"1 anomalous row in the judged window\">"
		"in.csv:4: 2024-01-01 01:00: y 90, expected 1.5: above forecast (p 1e-06)</failure>\n"
		"    </testcase>\n"
		"    <testcase classname=\"ts-detect\" name=\"db\"/>\n"
		"    <testcase classname=\"ts-detect\" name=\"q\">\n"
		"      <error type=\"not judged\" message=\"in.csv:6: bad number &quot;x&quot; in column y\">"
		"in.csv:6: bad number \"x\" in column y</error>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	done(&fx);
}

/* Several rows: one line each, the count in the message; no expected value
 * (NAN) and a missing y are said so. */
static void test_several_rows(void **state)
{
	struct fixture fx;
	const char *x;
	(void)state;

	load(&fx, keyed, "k");
	ts_junit_anomaly(&fx.j, 1, &fx.t, &fx.roles, 1, 5, NAN, "rule: y > 4");
	ts_junit_anomaly(&fx.j, 1, &fx.t, &fx.roles, 3, NAN, 2, "");
	x = xml_of(&fx);
	assert_non_null(strstr(x, "tests=\"3\" failures=\"1\" errors=\"0\""));
	assert_non_null(strstr(x, "message=\"2 anomalous rows in the judged window\">"
				  "in.csv:3: 2024-01-01 00:00: y 5: rule: y &gt; 4\n"
				  "in.csv:5: 2024-01-01 01:00: y missing, expected 2</failure>"));
	done(&fx);
}

/* Without keys the one case is named after the input. */
static void test_unkeyed_name(void **state)
{
	struct fixture fx;
	(void)state;

	load(&fx, "ds,y\n2024-01-01,1\n2024-01-02,2\n", NULL);
	assert_int_equal(fx.j.n, 1);
	assert_non_null(strstr(xml_of(&fx),
			       "<testsuite name=\"ts-detect\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
			       "    <testcase classname=\"ts-detect\" name=\"in.csv\"/>\n"
			       "  </testsuite>"));
	done(&fx);
}

/* Markup in names and reasons, control bytes XML cannot carry, and bytes
 * that are not UTF-8 (a stray continuation, an overlong slash, a surrogate,
 * a cut sequence) are escaped or replaced; valid multibyte text passes. */
static void test_escaping(void **state)
{
	static const char text[] =
		"k,ds,y\n"
		"\"a<b>&\"\"c'\",2024-01-01,1\n"
		"\"tab\there\x01\",2024-01-01,1\n"
		"\"\x80\xC0\xAF\xED\xA0\x80\xE2\x82\",2024-01-01,1\n"
		"\"서울 €\",2024-01-01,1\n";
	struct fixture fx;
	const char *x;
	(void)state;

	load(&fx, text, "k");
	assert_int_equal(fx.j.n, 4);
	ts_junit_anomaly(&fx.j, 0, &fx.t, &fx.roles, 0, 1, 0, "y < 2 & \"odd\"\r\n]]>");
	x = xml_of(&fx);
	assert_non_null(strstr(x, "name=\"a&lt;b&gt;&amp;&quot;c'\">"));
	assert_non_null(strstr(x, ": y 1, expected 0: y &lt; 2 &amp; \"odd\"&#13;\n]]&gt;</failure>"));
	assert_non_null(strstr(x, "name=\"tab&#9;here&#xFFFD;\"/>"));
	/* each byte of a broken sequence is one replacement: 80, C0, AF, the
	 * surrogate's three, the cut E2 82's two */
	assert_non_null(strstr(x, "name=\"&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;"
				  "&#xFFFD;&#xFFFD;\"/>"));
	assert_non_null(strstr(x, "name=\"서울 €\"/>"));
	done(&fx);
}

/* A message with a line break stays one attribute value. */
static void test_error_message_attribute(void **state)
{
	struct fixture fx;
	struct ts_err e = { 0 };
	(void)state;

	load(&fx, keyed, "k");
	ts_err_set(&e, TS_EDATA, "two\nlines");
	ts_junit_error(&fx.j, 0, &e);
	assert_non_null(strstr(xml_of(&fx), "<error type=\"not judged\" message=\"two&#10;lines\">two\nlines</error>"));
	done(&fx);
}

/* The file is replaced whole; a directory that does not exist is an error
 * naming the path, and nothing is created. */
static void test_write(void **state)
{
	struct fixture fx;
	struct ts_err err = { 0 };
	char dir[] = "/tmp/test_junit.XXXXXX", path[64], bad[80];
	FILE *f;
	char buf[4096];
	size_t n;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/report.xml", dir);
	f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	load(&fx, keyed, "k");
	assert_int_equal(ts_junit_write(&fx.j, path, &err), 0);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, xml_of(&fx));
	snprintf(bad, sizeof bad, "%s/none/report.xml", dir);
	assert_int_equal(ts_junit_write(&fx.j, bad, &err), TS_EIO);
	assert_string_equal(err.file, bad);
	assert_string_equal(err.msg, "No such file or directory");
	unlink(path);
	rmdir(dir);
	done(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_and_counts),
		cmocka_unit_test(test_several_rows),
		cmocka_unit_test(test_unkeyed_name),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_error_message_attribute),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
