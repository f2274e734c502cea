/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_expr: any text given to ts-detect --rule parses into an expression or
 * an error at a column inside it; what parses binds, evaluates and frees. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Names as ts-detect knows them: y and a few columns; others are unknown. */
static int resolve(const char *name, void *ctx)
{
	static const char *const known[] = { "y", "yhat", "yhat_lower", "yhat_upper", "ratio", "a.b", "@x" };

	(void)ctx;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name, known[i]) == 0)
			return (int)i;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double values[][4] = {
		{ 0, 1, -1, 0.5 }, { NAN, 2, INFINITY, -INFINITY }, { 1e308, -1e308, 5e-324, -0.0 },
	};
	struct ts_expr *e = NULL;
	struct ts_err err = { 0 };
	char *text;
	size_t pos = 99;
	double vals[64];

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ts_expr_parse(text, &e, &pos, &err) != 0) {
		/* a usage error at a column of the text (the end counts), said so */
		CHECK(e == NULL);
		CHECK(err.code == TS_EUSAGE);
		CHECK(pos >= 1 && pos <= strlen(text) + 1);
		CHECK(strncmp(err.msg, "column ", 7) == 0);
		free(text);
		return 0;
	}
	CHECK(e != NULL && pos == 0);
	CHECK(strcmp(ts_expr_text(e), text) == 0);
	if (ts_expr_bind(e, resolve, NULL, &err) == 0) {
		size_t nvars = ts_expr_nvars(e);
		for (size_t v = 0; v < nvars; v++) {
			const struct ts_expr_var *var = ts_expr_var(e, v);
			CHECK(var->kind == TS_EXPR_VAR_NAME || var->kind == TS_EXPR_VAR_LAG);
			if (var->kind == TS_EXPR_VAR_LAG)
				CHECK(var->lag_is_rows ? var->lag_rows >= 1
						       : var->lag_dur.months > 0 || var->lag_dur.us > 0);
		}
		for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
			for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++)
				vals[v] = values[k][v % 4];
			if (nvars <= sizeof vals / sizeof vals[0]) {
				/* a true rule explains itself in some text; a false one in none */
				char why[96];
				bool held = ts_expr_true(ts_expr_eval(e, vals));
				bool left_out = ts_expr_explain(e, vals, why, sizeof why);
				CHECK(strlen(why) < sizeof why);
				CHECK(held ? why[0] != '\0' : why[0] == '\0' && !left_out);
			}
		}
		for (size_t v = 0; v < nvars; v++) {
			char term[32];
			ts_expr_var_text(e, v, term, sizeof term);
			CHECK((term[0] != '\0' && strstr(text, term) != NULL) || strlen(term) == sizeof term - 1);
		}
	} else {
		CHECK(err.code == TS_EUSAGE && strncmp(err.msg, "column ", 7) == 0);
	}
	ts_expr_free(e);
	free(text);
	return 0;
}
