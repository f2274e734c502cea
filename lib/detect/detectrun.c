/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detectrun: ts-detect's batch work around the detectors: the forecast and rule
 * columns found and read, a series' periods and window, its rows, and options that reach past the input. */
#include "detect/detectrun.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/expr.h"
#include "detect/junit.h"
#include "core/mem.h"
#include "core/num.h"

void ts_detectrun_find_columns(const struct ts_table *tab, struct ts_detectrun_cols *c)
{
	size_t *cols[] = { &c->yhat, &c->lower, &c->upper, &c->trend, &c->seasonal, &c->remainder };
	const char *names[] = { "yhat", "yhat_lower", "yhat_upper", "trend", "seasonal", "remainder" };

	c->rule_col = NULL;
	for (size_t k = 0; k < 6; k++) {
		*cols[k] = ts_table_column(tab, names[k]);
		/* Columns given by number are not what these names mean. */
		if (*cols[k] != TS_NO_COL && strcmp(tab->names[*cols[k]], names[k]) != 0)
			*cols[k] = TS_NO_COL;
	}
}

int ts_detectrun_methods(struct ts_detect_opts *d, bool given, const struct ts_detectrun_cols *c,
			 struct ts_err *err)
{
	if (!given) {
		d->nmethods = 0;
		if (d->nrules > 0)
			d->methods[d->nmethods++] = TS_DETECT_RULE;
		else if (c->yhat != TS_NO_COL)
			d->methods[d->nmethods++] = TS_DETECT_SURPRISE;
		else
			d->methods[d->nmethods++] = TS_DETECT_SIGMA;
	} else if (d->nrules > 0) {
		bool has_rule = false;
		for (size_t k = 0; k < d->nmethods; k++)
			has_rule |= d->methods[k] == TS_DETECT_RULE;
		if (!has_rule)
			d->methods[d->nmethods++] = TS_DETECT_RULE;
	}
	for (size_t k = 0; k < d->nmethods; k++) {
		if (d->methods[k] == TS_DETECT_RULE && d->nrules == 0)
			return ts_err_set(err, TS_EUSAGE, "-m rule needs --rule EXPR");
		if (d->methods[k] == TS_DETECT_BAND && (c->lower == TS_NO_COL || c->upper == TS_NO_COL))
			return ts_err_set(err, TS_EDATA, "band needs yhat_lower and yhat_upper columns "
					  "(run ts-forecast first)");
		if (d->methods[k] == TS_DETECT_SURPRISE && c->yhat == TS_NO_COL)
			return ts_err_set(err, TS_EDATA, "surprise needs a yhat column (run ts-forecast first)");
	}
	return 0;
}

struct bind_ctx {
	const struct ts_table *tab;
	const struct ts_detectrun_cols *c;
};

static int resolve_name(const char *name, void *vctx)
{
	struct bind_ctx *b = vctx;
	int id = ts_rule_builtin(name);

	if (id == TS_RULE_YHAT && b->c->yhat == TS_NO_COL)
		id = -1;
	if ((id == TS_RULE_LOWER || id == TS_RULE_UPPER) && (b->c->lower == TS_NO_COL || b->c->upper == TS_NO_COL))
		id = -1;
	if (id >= 0)
		return id;
	for (size_t c = 0; c < b->tab->ncols; c++)
		if (strcmp(b->tab->names[c], name) == 0)
			return TS_EXPR_FIRST_COLUMN + (int)c;
	return -1;
}

int ts_detectrun_bind_rules(const struct ts_detect_opts *d, const struct ts_table *tab,
			    struct ts_detectrun_cols *c, size_t *failed, struct ts_err *err)
{
	struct bind_ctx bc = { tab, c };
	int rc;

	c->rule_col = ts_calloc(tab->ncols + 1, sizeof *c->rule_col);
	if (c->rule_col == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t k = 0; k < d->nrules; k++) {
		if ((rc = ts_expr_bind(d->rules[k], resolve_name, &bc, err)) != 0) {
			*failed = k;
			return rc;
		}
		for (size_t v = 0; v < ts_expr_nvars(d->rules[k]); v++) {
			const struct ts_expr_var *var = ts_expr_var(d->rules[k], v);
			if (var->kind == TS_EXPR_VAR_NAME && var->id >= TS_EXPR_FIRST_COLUMN)
				c->rule_col[var->id - TS_EXPR_FIRST_COLUMN] = true;
		}
	}
	return 0;
}

/* ---- options that reach past the input ---- */

struct reach {
	const struct ts_detectrun_reach *in;
	size_t longest;		/* rows of the longest series */
	bool have_range;	/* the input's first and last instants, once read */
	size_t timed;		/* rows whose time parsed */
	ts_time first, last;
	const struct ts_table *tab;
	const struct ts_roles *roles;
};

/* Whether d, counted from the input's first instant, goes past its last:
 * then no series has a row that far from its start. *span gets the
 * input's span, written for a message. */
static bool beyond_input(struct reach *r, const struct ts_dur *d, char *span)
{
	struct ts_dur whole = { 0, 0 };

	if (!r->have_range) {
		struct ts_load_opts load = { .epoch = r->in->epoch, .zone = r->in->zone };
		r->timed = ts_table_time_range(r->tab, r->roles->time, &load, &r->first, &r->last);
		r->have_range = true;
	}
	if (r->timed == 0)
		return false;	/* the series will say what is wrong */
	whole.us = r->last - r->first;
	if (whole.us > 0)
		ts_dur_format(&whole, span);
	else
		snprintf(span, 32, "%s", "one instant");
	return ts_time_add(r->first, d, 1, r->in->zone) > r->last;
}

static bool uses(const struct ts_detect_opts *d, enum ts_detect_method m)
{
	for (size_t k = 0; k < d->nmethods; k++)
		if (d->methods[k] == m)
			return true;
	return false;
}

/* A rule's lag that reaches past every series' rows, or the whole input. */
static void check_rule_lags(struct reach *r, struct ts_err *err)
{
	const struct ts_detect_opts *d = r->in->d;
	char span[32], lag[32];

	for (size_t k = 0; err->code == 0 && k < d->nrules; k++) {
		for (size_t v = 0; err->code == 0 && v < ts_expr_nvars(d->rules[k]); v++) {
			const struct ts_expr_var *var = ts_expr_var(d->rules[k], v);
			if (var->kind != TS_EXPR_VAR_LAG)
				continue;
			if (var->lag_is_rows && var->lag_rows >= r->longest) {
				ts_err_set(err, TS_EUSAGE, "--rule \"%s\": lag(%zu) is as many rows as the longest "
					   "series has (%zu) or more: it is missing on every row",
					   ts_expr_text(d->rules[k]), var->lag_rows, r->longest);
			} else if (!var->lag_is_rows && beyond_input(r, &var->lag_dur, span)) {
				ts_dur_format(&var->lag_dur, lag);
				ts_err_set(err, TS_EUSAGE, "--rule \"%s\": lag(%s) reaches before the input, which "
					   "spans %s, from every row: it is missing on every row",
					   ts_expr_text(d->rules[k]), lag, span);
			}
		}
	}
}

int ts_detectrun_check_reach(const struct ts_detectrun_reach *in, const struct ts_table *tab,
			     const struct ts_roles *roles, const struct ts_groups *groups,
			     struct ts_err *err)
{
	struct reach r = { in, 0, false, 0, 0, 0, tab, roles };
	const struct ts_detect_opts *d = in->d;
	char span[32];

	err->code = 0;
	if (tab->nrows == 0)
		return 0;
	for (size_t gi = 0; gi < groups->n; gi++)
		if (groups->start[gi + 1] - groups->start[gi] > r.longest)
			r.longest = groups->start[gi + 1] - groups->start[gi];
	if (in->window_spec != NULL && uses(d, TS_DETECT_LEVEL_SHIFT)) {
		struct ts_dur twice = in->window->d;
		twice.us *= 2;
		twice.months *= 2;
		if (!in->window->is_dur && in->window->n > r.longest / 2)
			ts_err_set(err, TS_EUSAGE, "--window %s: level-shift needs twice that many rows, a window "
				   "either side, and the longest series has %zu", in->window_spec, r.longest);
		else if (in->window->is_dur && beyond_input(&r, &twice, span))
			ts_err_set(err, TS_EUSAGE, "--window %s: level-shift needs twice that, a window either "
				   "side, and the input spans %s", in->window_spec, span);
	}
	if (err->code == 0 && in->history_spec != NULL &&
	    (uses(d, TS_DETECT_NEW_HIGH) || uses(d, TS_DETECT_NEW_LOW)) && beyond_input(&r, &d->history, span))
		ts_err_set(err, TS_EUSAGE, "--history %s is longer than the input, which spans %s: no row "
			   "would have a full history", in->history_spec, span);
	if (err->code == 0 && in->lag_spec != NULL && uses(d, TS_DETECT_WOW) && beyond_input(&r, &d->lag, span))
		ts_err_set(err, TS_EUSAGE, "--lag %s is longer than the input, which spans %s: no row has a "
			   "value that far back", in->lag_spec, span);
	check_rule_lags(&r, err);
	return err->code;
}

/* ---- one series ---- */

/* The numbers of column col on the series' rows; a field that is not a
 * number, or is infinite, is an input error at its line. */
static int load_column(const struct ts_table *tab, const struct ts_series *s, size_t col, double **out,
		       struct ts_err *err)
{
	double *v = ts_mallocarray(s->n + 1, sizeof *v);

	*out = v;
	if (v == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->n; i++)
		if (ts_table_number(tab, s->row[i], col, &v[i], err) != 0)
			return TS_EINPUT;
	return 0;
}

/* The forecast and rule columns of s. */
static int load_columns(const struct ts_detectrun *dr, const struct ts_series *s,
			struct ts_detectrun_series *r, struct ts_err *err)
{
	const struct ts_detectrun_cols *c = dr->cols;
	const size_t colidx[6] = { c->yhat, c->lower, c->upper, c->trend, c->seasonal, c->remainder };
	int rc;

	/* the interval is read only where it is used: by band and by rules */
	const bool interval = uses(dr->d, TS_DETECT_BAND) || dr->d->nrules > 0;

	for (size_t k = 0; k < 6; k++) {
		if (colidx[k] == TS_NO_COL || ((k == 1 || k == 2) && !interval))
			continue;
		if ((rc = load_column(dr->tab, s, colidx[k], &r->cols[k], err)) != 0)
			return rc;
	}
	if (dr->d->nrules > 0) {
		r->rcols = ts_calloc(dr->tab->ncols + 1, sizeof *r->rcols);
		if (r->rcols == NULL)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		r->ncols = dr->tab->ncols;
		for (size_t col = 0; col < dr->tab->ncols; col++)
			if (c->rule_col[col] && (rc = load_column(dr->tab, s, col, &r->rcols[col], err)) != 0)
				return rc;
	}
	return 0;
}

/* This series' periods, ascending, and window in points. */
static int resolve_spans(const struct ts_detectrun *dr, const struct ts_series *s,
			 struct ts_detectrun_series *r, struct ts_err *err)
{
	struct ts_detect_opts *o = &r->opts;
	const struct ts_dur *interval = r->ds.has_interval ? &r->ds.interval : NULL;
	int rc;

	o->nperiods = 0;
	if (dr->nperiods > 0) {
		size_t p[4];
		if ((rc = ts_periods_resolve(dr->periods, dr->nperiods, interval, p, err)) != 0)
			return rc;
		for (size_t k = 0; k < dr->nperiods; k++) {	/* ascending */
			size_t j = o->nperiods++;
			for (; j > 0 && o->periods[j - 1] > p[k]; j--)
				o->periods[j] = o->periods[j - 1];
			o->periods[j] = p[k];
		}
	} else if (!dr->period_none && r->ds.has_interval) {
		ts_time first = s->t[0], last = s->t[0];
		for (size_t i = 1; i < s->n; i++) {
			first = s->t[i] < first ? s->t[i] : first;
			last = s->t[i] > last ? s->t[i] : last;
		}
		o->nperiods = ts_detect_default_periods(&r->ds.interval, last - first, s->n, o->periods);
	}
	if (dr->have_window) {
		if ((rc = ts_span_resolve(&dr->window, interval, "--window", &o->window, err)) != 0)
			return rc;
		if (o->window < 1)
			return ts_err_set(err, TS_EDATA, "--window is shorter than the interval");
	}
	return 0;
}

int ts_detectrun_series(const struct ts_detectrun *dr, const struct ts_series *s,
			struct ts_detectrun_series *r, struct ts_err *err)
{
	struct ts_detect_series *ds = &r->ds;
	struct ts_sampling samp;
	int rc;

	r->opts = *dr->d;
	if (s->n == 0)	/* --skip-bad left nothing: a dead feed is not all clear. */
		return ts_err_set(err, TS_EDATA, "no rows left to judge");
	if ((rc = load_columns(dr, s, r, err)) != 0)
		return rc;
	ds->n = s->n;
	ds->t = s->t;
	ds->y = s->y;
	ds->zone = s->zone;
	ds->yhat = r->cols[0];
	ds->yhat_lower = r->cols[1];
	ds->yhat_upper = r->cols[2];
	ds->trend = r->cols[3];
	ds->seasonal = r->cols[4];
	ds->remainder = r->cols[5];
	ds->columns = (const double *const *)r->rcols;
	ds->ncolumns = r->ncols;
	/* The interval, and whether the series sits on its grid. */
	if ((rc = ts_sampling_infer(s->t, s->n, &s->zone, &s->tfmt, &samp, err)) != 0)
		return rc;
	ds->interval = samp.interval;
	ds->has_interval = samp.has_interval;
	ds->regular = samp.regular;
	ds->irregular_msg = samp.regular ? NULL : samp.why;
	if ((rc = resolve_spans(dr, s, r, err)) != 0)
		return rc;
	if ((rc = ts_detect_result_alloc(&r->res, s->n, err)) != 0)
		return rc;
	if ((rc = ts_detect_run(ds, &r->opts, &r->res, err)) != 0) {
		if (rc == TS_EDATA && !ds->regular && samp.bad != SIZE_MAX && strstr(err->msg, "irregular") != NULL) {
			err->file = ts_table_file(dr->tab, s->row[samp.bad]);
			err->line = dr->tab->line[s->row[samp.bad]];
		}
		return rc;
	}
	for (size_t i = 0; i < s->n; i++)
		r->found += r->res.anomaly[i];
	return 0;
}

size_t ts_detectrun_terms_stride(const struct ts_detect_opts *d)
{
	return 1 + ts_detect_rule_terms(d);
}

/* Series on several threads may note into one slot. */
static pthread_mutex_t terms_lock = PTHREAD_MUTEX_INITIALIZER;

void ts_detectrun_note_terms(const struct ts_detectrun_series *r, unsigned char *slot)
{
	size_t nterms = ts_detect_rule_terms(&r->opts);

	pthread_mutex_lock(&terms_lock);
	slot[0] = 1;	/* judged */
	for (size_t t = 0; r->res.rule_seen != NULL && t < nterms; t++)
		slot[1 + t] |= r->res.rule_seen[t];
	pthread_mutex_unlock(&terms_lock);
}

/* Term t of d's rules: its rule and the rule's variable. */
static void term_at(const struct ts_detect_opts *d, size_t t, size_t *rule, size_t *var)
{
	size_t k = 0;

	while (k < d->nrules && t >= ts_expr_nvars(d->rules[k]))
		t -= ts_expr_nvars(d->rules[k++]);
	*rule = k;
	*var = t;
}

bool ts_detectrun_empty_term(const struct ts_detect_opts *d, const unsigned char *slots,
			     size_t nseries, size_t *next, struct ts_err *warn)
{
	size_t stride = ts_detectrun_terms_stride(d), nterms = stride - 1;
	bool judged = false;

	for (size_t g = 0; g < nseries; g++)
		judged |= slots[g * stride] != 0;
	for (; judged && *next < nterms; (*next)++) {
		size_t t = *next, k, v;
		bool seen = false, told = false;
		char text[128], earlier[128];

		for (size_t g = 0; g < nseries && !seen; g++)
			seen = slots[g * stride] != 0 && slots[g * stride + 1 + t] != 0;
		if (seen)
			continue;
		term_at(d, t, &k, &v);
		ts_expr_var_text(d->rules[k], v, text, sizeof text);
		for (size_t u = 0; u < t && !told; u++) {	/* the same term told for an earlier rule */
			size_t k2, v2;
			term_at(d, u, &k2, &v2);
			ts_expr_var_text(d->rules[k2], v2, earlier, sizeof earlier);
			told = strcmp(text, earlier) == 0;
		}
		if (told)
			continue;
		(*next)++;
		memset(warn, 0, sizeof *warn);
		ts_err_set(warn, TS_EDATA, "--rule \"%.200s\": \"%s\" is empty on every row%s: comparisons on it never hold",
			   ts_expr_text(d->rules[k]), text,
			   strcmp(text, "ratio") == 0 || strcmp(text, "delta") == 0
				   ? " (it needs the value one season earlier: is the period longer than the data?)"
				   : "");
		return true;
	}
	return false;
}

void ts_detectrun_series_free(struct ts_detectrun_series *r)
{
	ts_detect_result_free(&r->res);
	for (size_t k = 0; k < 6; k++)
		free(r->cols[k]);
	if (r->rcols != NULL)
		for (size_t c = 0; c < r->ncols; c++)
			free(r->rcols[c]);
	free(r->rcols);
	memset(r, 0, sizeof *r);
}

void ts_detectrun_write_rows(const struct ts_detectrun_series *r, const struct ts_series *s,
			     const struct ts_outcols *oc, const struct ts_table *tab, bool only,
			     struct ts_buf *out)
{
	const struct ts_detect_result *res = &r->res;
	/* Bounds are often the same from row to row (mad, iqr, new-high):
	 * each column formats a value only when it changes. */
	struct ts_num_memo memo[4] = { { 0 } };

	for (size_t i = 0; i < s->n; i++) {
		struct ts_str added[TS_DETECT_NCOLUMNS];

		if (only && !res->anomaly[i])
			continue;
		added[0].s = res->anomaly[i] ? "1" : "0";
		added[0].len = 1;
		added[1].s = ts_num_format_memo(&memo[0], res->score[i], &added[1].len);
		added[2].s = ts_num_format_memo(&memo[1], res->expected[i], &added[2].len);
		added[3].s = ts_num_format_memo(&memo[2], res->lower[i], &added[3].len);
		added[4].s = ts_num_format_memo(&memo[3], res->upper[i], &added[4].len);
		added[5].s = res->reason[i];
		added[5].len = strlen(res->reason[i]);
		ts_write_row(oc, tab, s->row[i], NULL, added, out);
	}
}

void ts_detectrun_describe(const struct ts_detectrun_series *r, const char *prog, const char *label,
			   struct ts_buf *msg)
{
	char line[512], width[32] = "unknown", periods[64] = "0";

	if (r->ds.has_interval)
		ts_dur_format(&r->ds.interval, width);
	for (size_t k = 0, at = 0; k < r->opts.nperiods && at < sizeof periods; k++)
		at += (size_t)snprintf(periods + at, sizeof periods - at, "%s%zu", k > 0 ? "," : "",
				       r->opts.periods[k]);
	snprintf(line, sizeof line, "%s: %s: %zu rows, %zu anomal%s, interval %s, period %s%s\n", prog, label,
		 r->ds.n, r->found, r->found == 1 ? "y" : "ies", width, periods,
		 r->ds.regular ? "" : " (irregular)");
	ts_buf_puts(msg, line);
}

int ts_detectrun_stream_params(const struct ts_detect_opts *d, bool have_sigma, const struct ts_span *periods,
			       size_t nperiods, bool period_none, const struct ts_span *warmup,
			       struct ts_stream_params *p, struct ts_err *err)
{
	memset(p, 0, sizeof *p);
	/* --sigma K: the two-sided tail probability of K Gaussian sigmas. */
	p->p_alarm = have_sigma ? erfc(d->sigma_k / sqrt(2)) : !isnan(d->alpha) ? d->alpha : TS_STREAM_P_ALARM;
	if (p->p_alarm < 1e-300)
		p->p_alarm = 1e-300;
	p->direction = d->direction;
	p->min_delta = d->min_delta;
	p->min_ratio = d->min_ratio;
	p->consecutive = d->consecutive;
	p->cooldown = d->cooldown;
	p->no_season = period_none;
	for (size_t k = 0; k < nperiods && k < 2; k++) {
		const struct ts_span *sp = &periods[k];
		if (sp->is_dur && sp->d.months != 0)
			return ts_err_set(err, TS_EUSAGE, "--stream: -p must be a fixed duration or a count");
		if (k == 0 && sp->is_dur)
			p->season = sp->d;
		else if (k == 0)
			p->period_points = sp->n;
		else if (sp->is_dur)
			p->season2 = sp->d;
		else
			p->period2_points = sp->n;
	}
	if (warmup != NULL) {
		if (warmup->is_dur) {
			if (warmup->d.months != 0)
				return ts_err_set(err, TS_EUSAGE, "--warmup: a fixed duration or a count of rows");
			p->warmup_kind = TS_WARMUP_DUR;
			p->warmup_us = warmup->d.us;
		} else {
			p->warmup_kind = TS_WARMUP_ROWS;
			p->warmup_rows = warmup->n;
		}
	}
	return 0;
}

int ts_detectrun_last(const char *arg, struct ts_detect_opts *d)
{
	struct ts_span sp;

	if (ts_span_parse(arg, 1, &sp) != 0)
		return -1;
	d->last_kind = sp.is_dur ? TS_LAST_DUR : TS_LAST_ROWS;
	d->last_rows = sp.n;
	d->last_dur = sp.d;
	return 0;
}

int ts_detectrun_add_rule(struct ts_detect_opts *d, size_t *cap, const char *text, struct ts_err *err)
{
	struct ts_expr *e, **grown;

	if (ts_expr_parse(text, &e, NULL, err) != 0)
		return TS_EUSAGE;	/* whatever the parser met, the option is at fault */
	grown = ts_grow((void *)d->rules, cap, d->nrules + 1, sizeof *grown);
	if (grown == NULL) {
		ts_expr_free(e);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	grown[d->nrules++] = e;
	d->rules = grown;
	return 0;
}

void ts_detectrun_free_rules(struct ts_detect_opts *d)
{
	for (size_t k = 0; k < d->nrules; k++)
		ts_expr_free(d->rules[k]);
	free((void *)d->rules);
	d->rules = NULL;
	d->nrules = 0;
}

int ts_detectrun_outcols_init(struct ts_outcols *o, const struct ts_table *t, struct ts_err *err)
{
	int rc = ts_outcols_init(o, t, ts_detect_columns, TS_DETECT_NCOLUMNS, err);

	for (size_t a = 0; rc == 0 && a < TS_DETECT_NNUMERIC; a++)
		ts_outcols_set_numeric(o, a);
	return rc;
}

void ts_detectrun_junit(const struct ts_detectrun_series *r, const struct ts_series *s, struct ts_junit *junit,
			size_t gi, const struct ts_table *tab, const struct ts_roles *roles)
{
	for (size_t i = 0; i < s->n; i++)
		if (r->res.anomaly[i])
			ts_junit_anomaly(junit, gi, tab, roles, s->row[i], s->y[i], r->res.expected[i],
					 r->res.reason[i]);
}
