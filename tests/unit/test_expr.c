/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_expr: parsing, binding and evaluating ts-detect rules, and the
 * column positions of syntax errors. */
#include "testutil.h"

#include <string.h>

#include "detect/expr.h"

/* Names a..e are ids 0..4; anything else is unknown. */
static int resolve(const char *name, void *ctx)
{
	(void)ctx;
	if (strlen(name) == 1 && name[0] >= 'a' && name[0] <= 'e')
		return name[0] - 'a';
	if (strcmp(name, "y") == 0)
		return 10;
	return -1;
}

/* Evaluate text with a = 1, b = 2, c = 0, d = NaN, e = 95, y = 5. */
static double eval_text(const char *text)
{
	struct ts_expr *e;
	struct ts_err err = { 0 };
	double vals[16];
	double v;

	assert_int_equal(ts_expr_parse(text, &e, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(e, resolve, NULL, &err), 0);
	for (size_t i = 0; i < ts_expr_nvars(e); i++) {
		const struct ts_expr_var *var = ts_expr_var(e, i);
		double table[] = { 1, 2, 0, NAN, 95 };
		if (var->kind == TS_EXPR_VAR_LAG)
			vals[i] = 42;
		else
			vals[i] = var->id == 10 ? 5 : table[var->id];
	}
	v = ts_expr_eval(e, vals);
	ts_expr_free(e);
	return v;
}

static void test_arithmetic(void **state)
{
	(void)state;
	assert_near(eval_text("1 + 2 * 3"), 7, 0);
	assert_near(eval_text("(1 + 2) * 3"), 9, 0);
	assert_near(eval_text("-a - -b"), 1, 0);
	assert_near(eval_text("b / 4"), 0.5, 0);
	assert_near(eval_text("10 - 4 - 3"), 3, 0);
	assert_near(eval_text("90%"), 0.9, 1e-15);
	assert_near(eval_text("1e3 + .5"), 1000.5, 0);
	assert_near(eval_text("abs(a - b)"), 1, 0);
	assert_near(eval_text("lag(1d) + lag(3)"), 84, 0);
	assert_true(isnan(eval_text("d + 1")));
}

static void test_logic(void **state)
{
	(void)state;
	assert_near(eval_text("c == 0"), 1, 0);
	assert_near(eval_text("e > 95"), 0, 0);
	assert_near(eval_text("e >= 95"), 1, 0);
	assert_near(eval_text("a / b < 0.9 | c == 0"), 1, 0);
	assert_near(eval_text("a < b & b < 1"), 0, 0);
	assert_near(eval_text("a < b and not b < 1"), 1, 0);
	assert_near(eval_text("!(a == 1) or c"), 0, 0);
	assert_near(eval_text("a != b && a = 1"), 1, 0);
	assert_near(eval_text("a || c"), 1, 0);
	/* Missing values make comparisons false, also != and its negation's operand. */
	assert_near(eval_text("d == d"), 0, 0);
	assert_near(eval_text("d != 1"), 0, 0);
	assert_near(eval_text("d > 0 | d <= 0"), 0, 0);
	assert_near(eval_text("not d > 0"), 1, 0);
	assert_near(eval_text("y == 5"), 1, 0);
}

static void expect_error(const char *text, size_t want_pos, const char *want_msg)
{
	struct ts_expr *e = NULL;
	struct ts_err err = { 0 };
	size_t pos = 0;

	assert_int_equal(ts_expr_parse(text, &e, &pos, &err), TS_EUSAGE);
	assert_null(e);
	assert_int_equal(pos, want_pos);
	assert_string_equal(err.msg, want_msg);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("y >", 4, "column 4: expected a value at the end");
	expect_error("y > > 1", 5, "column 5: expected a value, found \">\"");
	expect_error("(y > 1", 1, "column 1: missing \")\" for this \"(\"");
	expect_error("y > 1)", 6, "column 6: unexpected \")\"");
	expect_error("y 1", 3, "column 3: expected an operator, found \"1\"");
	expect_error("1 < y < 2", 7, "column 7: comparisons do not chain: use & between them");
	expect_error("max(y)", 1, "column 1: unknown function \"max\"");
	expect_error("lag(1x) > 0", 5, "column 5: bad duration \"1x\": unknown unit \"x\"");
	expect_error("lag() > 0", 5, "column 5: lag() needs a duration or a number of rows");
	expect_error("", 1, "column 1: expected a value at the end");
	expect_error("y == 0 # comment", 8, "column 8: expected an operator, found \"#\"");
	expect_error("2x", 2, "column 2: expected an operator, found \"x\"");
}

static void test_bind(void **state)
{
	struct ts_expr *e;
	struct ts_err err = { 0 };

	(void)state;
	assert_int_equal(ts_expr_parse("a > 1 & zz < 2", &e, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(e, resolve, NULL, &err), TS_EUSAGE);
	assert_string_equal(err.msg, "column 9: unknown column \"zz\"");
	ts_expr_free(e);
	/* Repeated names and lags share one variable. */
	assert_int_equal(ts_expr_parse("a + a + lag(1h) + lag(60m) + lag(2)", &e, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(e, resolve, NULL, &err), 0);
	assert_int_equal(ts_expr_nvars(e), 3);
	assert_int_equal(ts_expr_var(e, 1)->kind, TS_EXPR_VAR_LAG);
	assert_false(ts_expr_var(e, 1)->lag_is_rows);
	assert_true(ts_expr_var(e, 2)->lag_is_rows);
	assert_int_equal(ts_expr_var(e, 2)->lag_rows, 2);
	assert_string_equal(ts_expr_text(e), "a + a + lag(1h) + lag(60m) + lag(2)");
	ts_expr_free(e);
}

static void test_deep_nesting_is_refused(void **state)
{
	char text[2048];
	struct ts_expr *e;
	struct ts_err err = { 0 };

	(void)state;
	memset(text, '(', 1000);
	text[1000] = '\0';
	assert_int_equal(ts_expr_parse(text, &e, NULL, &err), TS_EUSAGE);
	memset(text, '!', 1000);
	strcpy(text + 1000, "a");
	assert_int_equal(ts_expr_parse(text, &e, NULL, &err), TS_EUSAGE);
}

/* The explanation of text with the values of eval_text, and whether it
 * left something out. */
static bool explain_text(const char *text, char *buf, size_t size)
{
	struct ts_expr *e;
	struct ts_err err = { 0 };
	double vals[16];
	bool left_out;

	assert_int_equal(ts_expr_parse(text, &e, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(e, resolve, NULL, &err), 0);
	for (size_t i = 0; i < ts_expr_nvars(e); i++) {
		const struct ts_expr_var *var = ts_expr_var(e, i);
		double table[] = { 1, 2, 0, NAN, 95 };
		vals[i] = var->kind == TS_EXPR_VAR_LAG ? 42 : var->id == 10 ? 5 : table[var->id];
	}
	left_out = ts_expr_explain(e, vals, buf, size);
	ts_expr_free(e);
	return left_out;
}

/* a = 1, b = 2, c = 0, d = NaN, e = 95, y = 5 */
static void test_explain(void **state)
{
	char buf[96];

	(void)state;
	/* a true comparison is its own text; nothing left out */
	assert_false(explain_text("y > 3", buf, sizeof buf));
	assert_string_equal(buf, "y > 3");
	/* an and keeps both sides */
	assert_false(explain_text("y > 3 && a == 1", buf, sizeof buf));
	assert_string_equal(buf, "y > 3 and a == 1");
	/* an or keeps the operands that held */
	assert_true(explain_text("y > 3 or d > 1", buf, sizeof buf));
	assert_string_equal(buf, "y > 3");
	assert_true(explain_text("d > 1 || b >= 2", buf, sizeof buf));
	assert_string_equal(buf, "b >= 2");
	assert_true(explain_text("c > 0 or y > 1 or a < 2", buf, sizeof buf));
	assert_string_equal(buf, "y > 1 or a < 2");
	/* inside an and, an or of several keeps its parentheses */
	assert_true(explain_text("(y > 1 or a < 2 or c) and e > 90", buf, sizeof buf));
	assert_string_equal(buf, "(y > 1 or a < 2) and e > 90");
	assert_true(explain_text("(c or a < 2) and e > 90", buf, sizeof buf));
	assert_string_equal(buf, "a < 2 and e > 90");
	assert_true(explain_text("y > 100 or (a == 1 and lag(1d) > 40)", buf, sizeof buf));
	assert_string_equal(buf, "a == 1 and lag(1d) > 40");
	/* not, abs, arithmetic and parentheses are kept as written */
	assert_true(explain_text("not (c > 1) or d", buf, sizeof buf));
	assert_string_equal(buf, "not (c > 1)");
	assert_true(explain_text("abs(-y) * 2 >= 10 | d", buf, sizeof buf));
	assert_string_equal(buf, "abs(-y) * 2 >= 10");
	/* false: nothing */
	assert_false(explain_text("y > 100 or c", buf, sizeof buf));
	assert_string_equal(buf, "");
	/* cut to fit */
	assert_true(explain_text("y > 3 or d", buf, 4));
	assert_string_equal(buf, "y >");
}

static void test_var_text(void **state)
{
	struct ts_expr *e;
	struct ts_err err = { 0 };
	char buf[32];

	(void)state;
	assert_int_equal(ts_expr_parse("a > lag( 1d ) or lag(3)>b or a < 0", &e, NULL, &err), 0);
	assert_int_equal(ts_expr_bind(e, resolve, NULL, &err), 0);
	assert_int_equal(ts_expr_nvars(e), 4);
	ts_expr_var_text(e, 0, buf, sizeof buf);
	assert_string_equal(buf, "a");
	ts_expr_var_text(e, 1, buf, sizeof buf);
	assert_string_equal(buf, "lag( 1d )");
	ts_expr_var_text(e, 2, buf, sizeof buf);
	assert_string_equal(buf, "lag(3)");
	ts_expr_var_text(e, 3, buf, sizeof buf);
	assert_string_equal(buf, "b");
	ts_expr_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_deep_nesting_is_refused),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_var_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
