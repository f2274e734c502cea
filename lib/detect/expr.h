/* SPDX-License-Identifier: GPL-3.0-or-later */
/* expr: the little language of ts-detect --rule: arithmetic, comparisons and
 * logic over a row's named values, parsed once and evaluated per row. */
#ifndef TS_EXPR_H
#define TS_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tserr.h"
#include "io/tstime.h"

/* The grammar, loosest binding first:
 *   or    := and { ("|" | "||" | "or") and }
 *   and   := not { ("&" | "&&" | "and") not }
 *   not   := ("!" | "not") not | cmp
 *   cmp   := sum [ ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") sum ]
 *   sum   := prod { ("+" | "-") prod }
 *   prod  := unary { ("*" | "/") unary }
 *   unary := ("-" | "+") unary | prim
 *   prim  := NUMBER ["%"] | NAME | NAME "(" args ")" | "(" or ")"
 * NUMBER is decimal ("95", "0.9", "1e3"); a trailing "%" divides by 100.
 * NAME is [A-Za-z_@][A-Za-z0-9_.@]*. Functions: lag(DUR or N) (the value a
 * duration or N rows earlier) and abs(x). Words and, or, not are operators.
 * Values are doubles; comparisons and logic give 1 or 0; a missing value
 * (NaN) makes a comparison false and counts as false in logic, and NaN
 * arithmetic stays NaN. */

/* A variable a bound expression reads: a name the resolver gave an id, or a
 * lag of the value column. */
struct ts_expr_var {
	int kind;		/* TS_EXPR_VAR_NAME or TS_EXPR_VAR_LAG */
	int id;			/* NAME: the resolver's id */
	bool lag_is_rows;	/* LAG: rows (lag_rows) or a duration (lag_dur) */
	size_t lag_rows;
	struct ts_dur lag_dur;
};

enum { TS_EXPR_VAR_NAME, TS_EXPR_VAR_LAG };

struct ts_expr;

/* Parse text. Errors: TS_EUSAGE with *pos (when pos is not NULL) set to the
 * 1-based character position of the trouble and err->msg "column P: ..."
 * ("expected a value", "unexpected \")\"", "missing \")\"", "bad duration
 * ...", "unknown function \"f\"", "trailing text \"x\""). The returned
 * expression owns a copy of what it needs; free it with ts_expr_free. */
int ts_expr_parse(const char *text, struct ts_expr **out, size_t *pos, struct ts_err *err);

/* Map every name to a variable id with resolve (returns a non-negative id,
 * or -1 for an unknown name). Distinct names and lags become the variables
 * 0..ts_expr_nvars()-1, in order of first appearance. Error: TS_EUSAGE
 * "column P: unknown column \"NAME\"" for the first unknown name. */
int ts_expr_bind(struct ts_expr *e, int (*resolve)(const char *name, void *ctx), void *ctx,
		 struct ts_err *err);

/* After ts_expr_bind: how many variables there are, and variable i. */
size_t ts_expr_nvars(const struct ts_expr *e);
const struct ts_expr_var *ts_expr_var(const struct ts_expr *e, size_t i);

/* The expression's value with variable i equal to vals[i]. Thread-safe: the
 * expression is not modified. */
double ts_expr_eval(const struct ts_expr *e, const double *vals);

/* The part of e that made it true under vals, into buf (size bytes, always
 * terminated, cut to fit): the rule's own text for every comparison and
 * operand that is not an "or", each "or" narrowed to the operands that hold
 * (an "and" needs both and keeps both; an or of several inside an and gets
 * parentheses). Returns whether anything was left out, i.e. some operand of
 * an "or" did not hold; when nothing was, the text says no more than the rule
 * itself. An e that is false gives "" and false. */
bool ts_expr_explain(const struct ts_expr *e, const double *vals, char *buf, size_t size);

/* After ts_expr_bind: variable i as first written in the rule ("ratio",
 * "lag(1d)"), into buf (size bytes, terminated). Returns snprintf's count. */
size_t ts_expr_var_text(const struct ts_expr *e, size_t i, char *buf, size_t size);

/* Whether the value counts as true: not NaN and not 0. */
static inline bool ts_expr_true(double v)
{
	return v == v && v != 0;
}

/* The text the expression was parsed from. */
const char *ts_expr_text(const struct ts_expr *e);

void ts_expr_free(struct ts_expr *e);

#endif
