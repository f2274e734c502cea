/* SPDX-License-Identifier: GPL-3.0-or-later */
/* expr: a recursive-descent parser for ts-detect rules into a node array,
 * name binding through a caller's resolver, and a tree-walking evaluator. */
#include "detect/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/num.h"

enum op {
	OP_NUM, OP_VAR, OP_NEG, OP_NOT, OP_ABS,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_AND, OP_OR
};

struct node {
	enum op op;
	int a, b;		/* children, -1 when none */
	double num;		/* OP_NUM */
	int var;		/* OP_VAR: index into vars[] after binding, into refs[] before */
	size_t from, to;	/* its text: [from, to) of the rule, for reasons */
};

/* A name or lag as written, before binding. */
struct ref {
	char *name;		/* NULL for a lag */
	size_t pos;		/* 1-based column in the text */
	size_t end;		/* 0-based end of its text (exclusive) */
	struct ts_expr_var var;
};

struct ts_expr {
	char *text;
	struct node *nodes;
	size_t nnodes, nodes_cap;
	int root;
	struct ref *refs;
	size_t nrefs, refs_cap;
	struct ts_expr_var *vars;
	size_t nvars;
	int *ref_var;		/* per ref: its variable */
};

struct parser {
	struct ts_expr *e;
	const char *s;
	size_t i;
	struct ts_err *err;
	size_t err_pos;
	int depth;
};

static int fail(struct parser *p, size_t at, const char *fmt, const char *arg)
{
	char msg[256];

	p->err_pos = at + 1;
	snprintf(msg, sizeof msg, fmt, arg);
	return ts_err_set(p->err, TS_EUSAGE, "column %zu: %s", at + 1, msg);
}

static void skip_space(struct parser *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
		p->i++;
}

static int add_node(struct parser *p, enum op op, int a, int b, int *out)
{
	struct ts_expr *e = p->e;
	struct node *nodes = ts_grow(e->nodes, &e->nodes_cap, e->nnodes + 1, sizeof *nodes);

	if (nodes == NULL)
		return ts_err_set(p->err, TS_ENOMEM, "out of memory");
	e->nodes = nodes;
	nodes[e->nnodes] = (struct node){ .op = op, .a = a, .b = b, .var = -1, .from = p->i, .to = p->i };
	if (a >= 0)
		nodes[e->nnodes].from = nodes[a].from;
	if (b >= 0 || a >= 0)
		nodes[e->nnodes].to = nodes[b >= 0 ? b : a].to;
	*out = (int)e->nnodes++;
	return 0;
}

/* Set node n's text to [from, the parser's position). */
static void span(struct parser *p, int n, size_t from)
{
	p->e->nodes[n].from = from;
	p->e->nodes[n].to = p->i;
}

static int add_ref(struct parser *p, const char *name, size_t len, size_t pos, int *out)
{
	struct ts_expr *e = p->e;
	struct ref *refs = ts_grow(e->refs, &e->refs_cap, e->nrefs + 1, sizeof *refs);

	if (refs == NULL)
		return ts_err_set(p->err, TS_ENOMEM, "out of memory");
	e->refs = refs;
	memset(&refs[e->nrefs], 0, sizeof refs[e->nrefs]);
	refs[e->nrefs].pos = pos + 1;
	if (name != NULL) {
		refs[e->nrefs].name = ts_strndup(name, len);
		if (refs[e->nrefs].name == NULL)
			return ts_err_set(p->err, TS_ENOMEM, "out of memory");
		refs[e->nrefs].var.kind = TS_EXPR_VAR_NAME;
	} else {
		refs[e->nrefs].var.kind = TS_EXPR_VAR_LAG;
	}
	*out = (int)e->nrefs++;
	return 0;
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == '@';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '@';
}

/* Whether the text at p->i is the word w (not a prefix of a longer name). */
static bool at_word(const struct parser *p, const char *w)
{
	size_t n = strlen(w);

	return strncmp(p->s + p->i, w, n) == 0 && !is_name_char(p->s[p->i + n]);
}

static int parse_or(struct parser *p, int *out);

static int describe_here(struct parser *p, const char *what)
{
	char quoted[64], tok[8];

	if (p->s[p->i] == '\0')
		return fail(p, p->i, "%s at the end", what);
	tok[0] = p->s[p->i];
	tok[1] = '\0';
	ts_err_quote(tok, 1, quoted, sizeof quoted);
	{
		char msg[128];
		snprintf(msg, sizeof msg, "%s, found \"%s\"", what, quoted);
		return fail(p, p->i, "%s", msg);
	}
}

static int parse_lag(struct parser *p, size_t name_at, int *out)
{
	size_t start, end;
	char arg[64];
	struct ts_err derr = { 0 };
	int ref, rc;

	skip_space(p);
	start = p->i;
	while (p->s[p->i] != '\0' && p->s[p->i] != ')')
		p->i++;
	if (p->s[p->i] != ')')
		return fail(p, p->i, "%s", "missing \")\"");
	end = p->i;
	while (end > start && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
		end--;
	if (end == start)
		return fail(p, start, "%s", "lag() needs a duration or a number of rows");
	if (end - start >= sizeof arg)
		return fail(p, start, "%s", "lag(): argument too long");
	memcpy(arg, p->s + start, end - start);
	arg[end - start] = '\0';
	if ((rc = add_ref(p, NULL, 0, name_at, &ref)) != 0)
		return rc;
	{
		struct ts_expr_var *v = &p->e->refs[ref].var;
		size_t k;
		for (k = 0; arg[k] != '\0' && isdigit((unsigned char)arg[k]); k++)
			;
		if (arg[k] == '\0') {
			char *stop;
			unsigned long long rows = strtoull(arg, &stop, 10);
			if (rows == 0 || rows > 100000000ULL)
				return fail(p, start, "lag(%s): rows must be 1..100000000", arg);
			v->lag_is_rows = true;
			v->lag_rows = (size_t)rows;
		} else if (ts_dur_parse(arg, &v->lag_dur, &derr) != 0) {
			return fail(p, start, "%.200s", derr.msg);
		}
	}
	p->i++;	/* ')' */
	p->e->refs[ref].end = p->i;
	if ((rc = add_node(p, OP_VAR, -1, -1, out)) != 0)
		return rc;
	p->e->nodes[*out].var = ref;
	span(p, *out, name_at);
	return 0;
}

static int parse_prim(struct parser *p, int *out)
{
	int rc;

	skip_space(p);
	if (++p->depth > 200)
		return fail(p, p->i, "%s", "expression nested too deeply");
	if (p->s[p->i] == '(') {
		size_t open = p->i++;
		if ((rc = parse_or(p, out)) != 0)
			return rc;
		skip_space(p);
		if (p->s[p->i] != ')')
			return p->s[p->i] == '\0' ? fail(p, open, "%s", "missing \")\" for this \"(\"")
						  : describe_here(p, "expected \")\"");
		p->i++;
		span(p, *out, open);
		p->depth--;
		return 0;
	}
	if (isdigit((unsigned char)p->s[p->i]) || p->s[p->i] == '.') {
		size_t start = p->i;
		double v;
		while (isdigit((unsigned char)p->s[p->i]) || p->s[p->i] == '.')
			p->i++;
		if ((p->s[p->i] == 'e' || p->s[p->i] == 'E') &&
		    (isdigit((unsigned char)p->s[p->i + 1]) ||
		     ((p->s[p->i + 1] == '-' || p->s[p->i + 1] == '+') &&
		      isdigit((unsigned char)p->s[p->i + 2])))) {
			p->i += 2;
			while (isdigit((unsigned char)p->s[p->i]))
				p->i++;
		}
		if (ts_num_parse(p->s + start, p->i - start, &v) != 0 || isnan(v)) {
			char num[64];
			ts_err_quote(p->s + start, p->i - start, num, sizeof num);
			return fail(p, start, "bad number \"%s\"", num);
		}
		if (is_name_char(p->s[p->i]))
			return describe_here(p, "expected an operator");
		if (p->s[p->i] == '%') {
			p->i++;
			v /= 100;
		}
		if ((rc = add_node(p, OP_NUM, -1, -1, out)) != 0)
			return rc;
		p->e->nodes[*out].num = v;
		span(p, *out, start);
		p->depth--;
		return 0;
	}
	if (is_name_start(p->s[p->i])) {
		size_t start = p->i, len;
		int ref;
		while (is_name_char(p->s[p->i]))
			p->i++;
		len = p->i - start;
		skip_space(p);
		if (p->s[p->i] == '(') {
			p->i++;
			if (len == 3 && strncmp(p->s + start, "lag", 3) == 0) {
				rc = parse_lag(p, start, out);
			} else if (len == 3 && strncmp(p->s + start, "abs", 3) == 0) {
				int arg;
				if ((rc = parse_or(p, &arg)) != 0)
					return rc;
				skip_space(p);
				if (p->s[p->i] != ')')
					return describe_here(p, "expected \")\"");
				p->i++;
				if ((rc = add_node(p, OP_ABS, arg, -1, out)) == 0)
					span(p, *out, start);
			} else {
				char name[64];
				ts_err_quote(p->s + start, len, name, sizeof name);
				return fail(p, start, "unknown function \"%s\"", name);
			}
			p->depth--;
			return rc;
		}
		if ((rc = add_ref(p, p->s + start, len, start, &ref)) != 0)
			return rc;
		p->e->refs[ref].end = start + len;
		if ((rc = add_node(p, OP_VAR, -1, -1, out)) != 0)
			return rc;
		p->e->nodes[*out].var = ref;
		p->e->nodes[*out].from = start;
		p->e->nodes[*out].to = start + len;
		p->depth--;
		return 0;
	}
	if (p->s[p->i] == '\0')
		return fail(p, p->i, "%s", "expected a value at the end");
	return describe_here(p, "expected a value");
}

static int parse_unary(struct parser *p, int *out)
{
	int rc, arg;

	skip_space(p);
	if (p->s[p->i] == '-' || p->s[p->i] == '+') {
		bool neg = p->s[p->i] == '-';
		size_t at = p->i++;
		if (++p->depth > 200)
			return fail(p, p->i, "%s", "expression nested too deeply");
		if ((rc = parse_unary(p, &arg)) != 0)
			return rc;
		p->depth--;
		if (!neg) {
			*out = arg;
			return 0;
		}
		if ((rc = add_node(p, OP_NEG, arg, -1, out)) == 0)
			p->e->nodes[*out].from = at;
		return rc;
	}
	return parse_prim(p, out);
}

static int parse_not(struct parser *p, int *out);

/* The left-associative infix operators by level, loosest first: an or of
 * ands of negated comparisons, and (below the comparison) a sum of products
 * of unary terms. A level's spellings are tried in order, a word only as a
 * whole word; its operands are the next level's, or what operand parses. */
struct infix {
	const char *spelling;
	enum op op;
};

static const struct infix_level {
	struct infix ops[4];	/* ended by a NULL spelling */
	int (*operand)(struct parser *p, int *out);	/* NULL: the next level */
} infix_levels[] = {
	{ { { "||", OP_OR }, { "|", OP_OR }, { "or", OP_OR }, { NULL, OP_OR } }, NULL },
	{ { { "&&", OP_AND }, { "&", OP_AND }, { "and", OP_AND }, { NULL, OP_AND } }, parse_not },
	{ { { "+", OP_ADD }, { "-", OP_SUB }, { NULL, OP_ADD } }, NULL },
	{ { { "*", OP_MUL }, { "/", OP_DIV }, { NULL, OP_MUL } }, parse_unary },
};
enum { LEVEL_OR = 0, LEVEL_SUM = 2 };

/* The operator of level level at p->i, with p->i moved past it; NULL when
 * there is none. */
static const struct infix *infix_at(struct parser *p, size_t level)
{
	for (const struct infix *x = infix_levels[level].ops; x->spelling != NULL; x++) {
		size_t n = strlen(x->spelling);

		if (isalpha((unsigned char)x->spelling[0]) ? at_word(p, x->spelling)
							     : strncmp(p->s + p->i, x->spelling, n) == 0) {
			p->i += n;
			return x;
		}
	}
	return NULL;
}

static int parse_infix(struct parser *p, size_t level, int *out)
{
	int (*operand)(struct parser *, int *) = infix_levels[level].operand;
	const struct infix *x;
	int rc, rhs;

	if ((rc = operand != NULL ? operand(p, out) : parse_infix(p, level + 1, out)) != 0)
		return rc;
	for (;;) {
		skip_space(p);
		if ((x = infix_at(p, level)) == NULL)
			return 0;
		if ((rc = operand != NULL ? operand(p, &rhs) : parse_infix(p, level + 1, &rhs)) != 0 ||
		    (rc = add_node(p, x->op, *out, rhs, out)) != 0)
			return rc;
	}
}

static int parse_cmp(struct parser *p, int *out)
{
	int rc, rhs;
	enum op op;
	const char *s;

	if ((rc = parse_infix(p, LEVEL_SUM, out)) != 0)
		return rc;
	skip_space(p);
	s = p->s + p->i;
	if (s[0] == '=' && s[1] == '=') {
		op = OP_EQ;
		p->i += 2;
	} else if (s[0] == '!' && s[1] == '=') {
		op = OP_NE;
		p->i += 2;
	} else if (s[0] == '<' && s[1] == '=') {
		op = OP_LE;
		p->i += 2;
	} else if (s[0] == '>' && s[1] == '=') {
		op = OP_GE;
		p->i += 2;
	} else if (s[0] == '=') {
		op = OP_EQ;
		p->i++;
	} else if (s[0] == '<') {
		op = OP_LT;
		p->i++;
	} else if (s[0] == '>') {
		op = OP_GT;
		p->i++;
	} else {
		return 0;
	}
	if ((rc = parse_infix(p, LEVEL_SUM, &rhs)) != 0)
		return rc;
	skip_space(p);
	s = p->s + p->i;
	if (s[0] == '<' || s[0] == '>' || (s[0] == '=' && s[1] == '=') || (s[0] == '!' && s[1] == '='))
		return fail(p, p->i, "%s", "comparisons do not chain: use & between them");
	return add_node(p, op, *out, rhs, out);
}

static int parse_not(struct parser *p, int *out)
{
	int rc, arg;

	skip_space(p);
	if ((p->s[p->i] == '!' && p->s[p->i + 1] != '=') || at_word(p, "not")) {
		size_t at = p->i;
		p->i += p->s[p->i] == '!' ? 1 : 3;
		if (++p->depth > 200)
			return fail(p, p->i, "%s", "expression nested too deeply");
		if ((rc = parse_not(p, &arg)) != 0)
			return rc;
		p->depth--;
		if ((rc = add_node(p, OP_NOT, arg, -1, out)) == 0)
			p->e->nodes[*out].from = at;
		return rc;
	}
	return parse_cmp(p, out);
}

static int parse_or(struct parser *p, int *out)
{
	return parse_infix(p, LEVEL_OR, out);
}

int ts_expr_parse(const char *text, struct ts_expr **out, size_t *pos, struct ts_err *err)
{
	struct ts_expr *e = ts_calloc(1, sizeof *e);
	struct parser p = { .e = e, .s = text, .err = err };
	int rc;

	*out = NULL;
	if (pos != NULL)
		*pos = 0;
	if (e == NULL || (e->text = ts_strndup(text, strlen(text))) == NULL) {
		ts_expr_free(e);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	rc = parse_or(&p, &e->root);
	if (rc == 0) {
		skip_space(&p);
		if (p.s[p.i] == ')')
			rc = fail(&p, p.i, "%s", "unexpected \")\"");
		else if (p.s[p.i] != '\0')
			rc = describe_here(&p, "expected an operator");
	}
	if (rc != 0) {
		if (pos != NULL)
			*pos = p.err_pos;
		ts_expr_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

static bool same_var(const struct ts_expr_var *a, const struct ts_expr_var *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == TS_EXPR_VAR_NAME)
		return a->id == b->id;
	if (a->lag_is_rows != b->lag_is_rows)
		return false;
	return a->lag_is_rows ? a->lag_rows == b->lag_rows
			      : a->lag_dur.months == b->lag_dur.months && a->lag_dur.us == b->lag_dur.us;
}

int ts_expr_bind(struct ts_expr *e, int (*resolve)(const char *name, void *ctx), void *ctx,
		 struct ts_err *err)
{
	free(e->vars);
	free(e->ref_var);
	e->nvars = 0;
	e->vars = ts_calloc(e->nrefs + 1, sizeof *e->vars);
	e->ref_var = ts_calloc(e->nrefs + 1, sizeof *e->ref_var);
	if (e->vars == NULL || e->ref_var == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t r = 0; r < e->nrefs; r++) {
		struct ref *ref = &e->refs[r];
		size_t v;
		if (ref->var.kind == TS_EXPR_VAR_NAME) {
			ref->var.id = resolve(ref->name, ctx);
			if (ref->var.id < 0) {
				char quoted[64];
				ts_err_quote(ref->name, strlen(ref->name), quoted, sizeof quoted);
				return ts_err_set(err, TS_EUSAGE, "column %zu: unknown column \"%s\"", ref->pos,
						  quoted);
			}
		}
		for (v = 0; v < e->nvars; v++)
			if (same_var(&e->vars[v], &ref->var))
				break;
		if (v == e->nvars)
			e->vars[e->nvars++] = ref->var;
		e->ref_var[r] = (int)v;
	}
	return 0;
}

size_t ts_expr_nvars(const struct ts_expr *e)
{
	return e->nvars;
}

const struct ts_expr_var *ts_expr_var(const struct ts_expr *e, size_t i)
{
	return &e->vars[i];
}

const char *ts_expr_text(const struct ts_expr *e)
{
	return e->text;
}

static double eval(const struct ts_expr *e, int n, const double *vals)
{
	const struct node *nd = &e->nodes[n];
	double a, b;

	switch (nd->op) {
	case OP_NUM:
		return nd->num;
	case OP_VAR:
		return vals[e->ref_var[nd->var]];
	case OP_NEG:
		return -eval(e, nd->a, vals);
	case OP_NOT:
		return ts_expr_true(eval(e, nd->a, vals)) ? 0 : 1;
	case OP_ABS:
		return fabs(eval(e, nd->a, vals));
	case OP_AND:
		return ts_expr_true(eval(e, nd->a, vals)) && ts_expr_true(eval(e, nd->b, vals));
	case OP_OR:
		return ts_expr_true(eval(e, nd->a, vals)) || ts_expr_true(eval(e, nd->b, vals));
	default:
		break;
	}
	a = eval(e, nd->a, vals);
	b = eval(e, nd->b, vals);
	switch (nd->op) {
	case OP_ADD:
		return a + b;
	case OP_SUB:
		return a - b;
	case OP_MUL:
		return a * b;
	case OP_DIV:
		return a / b;
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a == a && b == b && a != b;
	case OP_LT:
		return a < b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	case OP_GE:
		return a >= b;
	default:
		return NAN;
	}
}

double ts_expr_eval(const struct ts_expr *e, const double *vals)
{
	return eval(e, e->root, vals);
}

size_t ts_expr_var_text(const struct ts_expr *e, size_t i, char *buf, size_t size)
{
	for (size_t r = 0; r < e->nrefs; r++)
		if (e->ref_var != NULL && (size_t)e->ref_var[r] == i) {
			size_t from = e->refs[r].pos - 1, len = e->refs[r].end - from;
			return (size_t)snprintf(buf, size, "%.*s", (int)len, e->text + from);
		}
	return (size_t)snprintf(buf, size, "?");
}

/* A growing text in a caller's buffer, cut at its size. */
struct explain_out {
	char *buf;
	size_t size, len;
};

static void put(struct explain_out *o, const char *s, size_t n)
{
	for (size_t k = 0; k < n && o->len + 1 < o->size; k++)
		o->buf[o->len++] = s[k];
	if (o->size > 0)
		o->buf[o->len] = '\0';
}

/* The true operands of the or-chain at node n, or n itself. */
static size_t true_disjuncts(const struct ts_expr *e, int n, const double *vals, int *out, size_t max,
			     bool *left_out)
{
	const struct node *nd = &e->nodes[n];
	size_t k = 0;

	if (nd->op != OP_OR) {
		if (max > 0)
			out[0] = n;
		return 1;
	}
	if (ts_expr_true(eval(e, nd->a, vals)))
		k += true_disjuncts(e, nd->a, vals, out, max, left_out);
	else
		*left_out = true;
	if (ts_expr_true(eval(e, nd->b, vals)))
		k += true_disjuncts(e, nd->b, vals, out + (k < max ? k : max), max > k ? max - k : 0,
				    left_out);
	else
		*left_out = true;
	return k;
}

/* Node n, true: its text with every or-chain narrowed to the operands that
 * hold; in parentheses when it is an or of several inside an and. */
static void explain(const struct ts_expr *e, int n, const double *vals, bool in_and,
		    struct explain_out *o, bool *left_out)
{
	const struct node *nd = &e->nodes[n];
	int parts[16];
	size_t np;

	if (nd->op == OP_AND) {
		explain(e, nd->a, vals, true, o, left_out);
		put(o, " and ", 5);
		explain(e, nd->b, vals, true, o, left_out);
		return;
	}
	if (nd->op != OP_OR) {
		put(o, e->text + nd->from, nd->to - nd->from);
		return;
	}
	np = true_disjuncts(e, n, vals, parts, 16, left_out);
	if (np > 16)
		np = 16;
	if (np > 1 && in_and)
		put(o, "(", 1);
	for (size_t k = 0; k < np; k++) {
		if (k > 0)
			put(o, " or ", 4);
		explain(e, parts[k], vals, false, o, left_out);
	}
	if (np > 1 && in_and)
		put(o, ")", 1);
}

bool ts_expr_explain(const struct ts_expr *e, const double *vals, char *buf, size_t size)
{
	struct explain_out o = { buf, size, 0 };
	bool left_out = false;

	put(&o, "", 0);
	if (!ts_expr_true(eval(e, e->root, vals)))
		return false;
	explain(e, e->root, vals, false, &o, &left_out);
	return left_out;
}

void ts_expr_free(struct ts_expr *e)
{
	if (e == NULL)
		return;
	for (size_t r = 0; r < e->nrefs; r++)
		free(e->refs[r].name);
	TS_FREE_ALL(e->refs, e->nodes, e->vars, e->ref_var, e->text);
	free(e);
}
