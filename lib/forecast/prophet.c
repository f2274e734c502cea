/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prophet: Prophet's model and its MAP fit, following Taylor & Letham,
 * "Forecasting at scale" (The American Statistician 72(1), 2018) and the
 * reference implementation facebook/prophet 1.x (forecaster.py, prophet.stan). */
#include "forecast/prophet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "forecast/fcmodel.h"
#include "core/gslerr.h"
#include "core/mem.h"
#include "core/rng.h"
#include "core/select.h"
#include "core/stats.h"

#define TWO_PI 6.283185307179586476925286766559

static const char *const reserved_names[] = {
	"trend", "additive_terms", "daily", "weekly", "yearly", "holidays", "zeros",
	"extra_regressors_additive", "yhat", "extra_regressors_multiplicative",
	"multiplicative_terms", "ds", "y", "cap", "floor", "y_scaled", "cap_scaled", NULL
};

const char *ts_prophet_bad_name(const char *name, bool builtin_ok)
{
	if (name[0] == '\0')
		return "is empty";
	if (strstr(name, "_delim_") != NULL)
		return "cannot contain \"_delim_\"";
	if (strlen(name) >= TS_PROPHET_NAME_MAX)
		return "is too long";
	for (size_t i = 0; reserved_names[i] != NULL; i++) {
		if (strcmp(name, reserved_names[i]) != 0)
			continue;
		if (builtin_ok && (strcmp(name, "daily") == 0 || strcmp(name, "weekly") == 0 ||
				   strcmp(name, "yearly") == 0))
			return NULL;
		return "is reserved";
	}
	return NULL;
}

bool ts_prophet_is_weekend(double day)
{
	int64_t d = (int64_t)floor(day);
	int64_t from_thursday = ((d % 7) + 7) % 7;

	return from_thursday == 2 || from_thursday == 3;
}

void ts_prophet_opts_init(struct ts_prophet_opts *o)
{
	memset(o, 0, sizeof *o);
	o->growth = TS_PROPHET_LINEAR;
	o->n_changepoints = 25;
	o->changepoint_range = 0.8;
	o->changepoint_prior_scale = 0.05;
	o->seasonality_prior_scale = 10;
	o->holidays_prior_scale = 10;
	o->seasonality_mode = TS_PROPHET_ADDITIVE;
	o->yearly = o->weekly = o->daily = TS_PROPHET_AUTO;
	o->interval_width = 0.8;
	o->samples = 1000;
}

double ts_prophet_longest_period(const struct ts_prophet_model *m)
{
	double longest = 0;

	for (size_t k = 0; k < m->nseasons; k++)
		if (m->seasons[k].period > longest)
			longest = m->seasons[k].period;
	return longest;
}

void ts_prophet_free(struct ts_prophet_model *m)
{
	TS_FREE_ALL(m->seasons, m->season_cond, m->hol_names, m->prior, m->mult, m->col_comp,
		    m->hol_day, m->hol_first, m->hol_count, m->hol_rows, m->reg_mu, m->reg_std,
		    m->t_change, m->p.delta, m->p.beta, m->ht, m->hy, m->hcap, m->hX, m->hrow,
		    m->comp_names);
	memset(m, 0, sizeof *m);
}

/* ---- features ---------------------------------------------------------- */

/* Prophet's fourier_series: whole seconds since the epoch, in days. */
static double fourier_days(double day)
{
	return floor(day * 86400.0) / 86400.0;
}

static int64_t calendar_day(double day)
{
	return (int64_t)floor(fourier_days(day));
}

static bool holiday_hit(const struct ts_prophet_model *m, size_t col, int64_t day)
{
	const size_t *rows = m->hol_rows + m->hol_first[col];
	size_t n = m->hol_count[col];

	for (size_t i = 0; i < n; i++)
		if (m->opts.holidays[rows[i]].day + m->hol_day[col] == day)
			return true;
	return false;
}

/* Whether seasonality s is on at row `row`: its condition holds there. */
static bool season_on(const struct ts_prophet_model *m, const struct ts_prophet_data *d, size_t s,
		      size_t row)
{
	int cond = m->season_cond[s];

	if (cond == TS_PROPHET_ALWAYS)
		return true;
	if (cond == TS_PROPHET_WEEKEND || cond == TS_PROPHET_WEEKDAY)
		return ts_prophet_is_weekend(fourier_days(d->day[row])) == (cond == TS_PROPHET_WEEKEND);
	return d->cond[cond][row] != 0;
}

/* Row `row` of the feature matrix X into x[0..K). Fourier columns are written
 * sin, cos per order: order 1 by direct calls, higher orders by the
 * angle-addition formulas (rounding ~order * 1e-16, far below the ~1e-11 of
 * the argument itself at today's day counts). A conditional seasonality's
 * columns are 0 where its condition is false, as Prophet's
 * make_all_seasonality_features. */
static void feature_row(const struct ts_prophet_model *m, const struct ts_prophet_data *d,
			size_t row, double *x)
{
	double days = fourier_days(d->day[row]);
	int64_t cday = calendar_day(d->day[row]);
	size_t c = 0;

	for (size_t s = 0; s < m->nseasons; s++) {
		const struct ts_prophet_season *se = &m->seasons[s];
		if (!season_on(m, d, s, row)) {
			for (int i = 0; i < 2 * se->order; i++)
				x[c++] = 0;
			continue;
		}
		double base = TWO_PI * days / se->period;
		double s1 = sin(base), c1 = cos(base), sk = s1, ck = c1;
		for (int i = 1; i <= se->order; i++) {
			x[c++] = sk;
			x[c++] = ck;
			double next_s = sk * c1 + ck * s1;
			ck = ck * c1 - sk * s1;
			sk = next_s;
		}
	}
	for (; c < m->K && m->col_comp[c] >= (int)m->nseasons; c++)
		x[c] = holiday_hit(m, c, cday) ? 1.0 : 0.0;
	for (size_t r = 0; c < m->K; c++, r++)
		x[c] = (d->reg[r][row] - m->reg_mu[r]) / m->reg_std[r];
}

/* ---- trend ------------------------------------------------------------- */

/* Logistic offsets gamma (S) for k, delta and m. */
static void logistic_gamma(const struct ts_prophet_model *m, const struct ts_prophet_params *p,
			   double *gamma)
{
	double ks = p->k, sum = 0;

	for (size_t j = 0; j < m->S; j++) {
		double next = ks + p->delta[j];
		gamma[j] = (m->t_change[j] - p->m - sum) * (1 - ks / next);
		sum += gamma[j];
		ks = next;
	}
}

/* The scaled trend g at scaled times t (cap scaled for logistic), for rows
 * in time order: the rate and offset summed over the changepoints a row has
 * passed carry to the next row, which adds only the ones it passes next (the
 * same sums in the same order as from the start: the same values). A row
 * earlier than the one before starts the sums again. gamma: from
 * logistic_gamma, or NULL unless logistic. */
struct trend_walk {
	const struct ts_prophet_params *p;
	size_t passed;		/* changepoints summed */
	double k, off, t;	/* their rate and offset; the last row's time */
};

static void trend_walk_start(const struct ts_prophet_params *p, struct trend_walk *w)
{
	w->p = p;
	w->passed = 0;
	w->k = p->k;
	w->off = p->m;
	w->t = -INFINITY;
}

static double trend_walk_at(const struct ts_prophet_model *m, const double *gamma,
			    struct trend_walk *w, double t, double cap)
{
	const struct ts_prophet_params *p = w->p;

	if (m->opts.growth == TS_PROPHET_FLAT)
		return p->m;
	if (t < w->t)
		trend_walk_start(p, w);
	w->t = t;
	for (; w->passed < m->S && t >= m->t_change[w->passed]; w->passed++) {
		size_t j = w->passed;
		w->k += p->delta[j];
		w->off += m->opts.growth == TS_PROPHET_LOGISTIC ? gamma[j] : -m->t_change[j] * p->delta[j];
	}
	if (m->opts.growth == TS_PROPHET_LOGISTIC)
		return cap / (1 + exp(-w->k * (t - w->off)));
	return w->k * t + w->off;
}

/* ---- setup ------------------------------------------------------------- */

static int add_season(struct ts_prophet_model *m, const char *name, double period, int order,
		      double prior, int mode, const char *condition)
{
	struct ts_prophet_season *s = &m->seasons[m->nseasons++];

	snprintf(s->name, sizeof s->name, "%s", name);
	snprintf(s->condition, sizeof s->condition, "%s", condition);
	s->period = period;
	s->order = order;
	s->prior = prior > 0 ? prior : m->opts.seasonality_prior_scale;
	s->mode = mode >= 0 ? mode : (int)m->opts.seasonality_mode;
	return 0;
}

static bool user_season(const struct ts_prophet_opts *o, const char *name)
{
	for (size_t i = 0; i < o->nseasons; i++)
		if (strcmp(o->seasons[i].name, name) == 0)
			return true;
	return false;
}

/* Prophet's parse_seasonality_args and set_auto_seasonalities. */
static void auto_seasonalities(struct ts_prophet_model *m, double span_days, double min_dt_days)
{
	const struct ts_prophet_opts *o = &m->opts;
	struct {
		const char *name;
		int arg;
		bool disable;
		int order;
		double period;
	} b[3] = {
		{ "yearly", o->yearly, span_days < 730, 10, 365.25 },
		{ "weekly", o->weekly, span_days < 14 || min_dt_days >= 7, 3, 7 },
		{ "daily", o->daily, span_days < 2 || min_dt_days >= 1, 4, 1 },
	};

	for (size_t i = 0; i < 3; i++) {
		int order = 0;
		if (b[i].arg == TS_PROPHET_AUTO)
			order = user_season(o, b[i].name) || b[i].disable ? 0 : b[i].order;
		else if (b[i].arg == TS_PROPHET_ON)
			order = b[i].order;
		else if (b[i].arg > 0)
			order = b[i].arg;
		if (order > 0)
			add_season(m, b[i].name, b[i].period, order, 0, -1, "");
	}
	for (size_t i = 0; i < o->nseasons; i++) {
		bool replaced = false;
		/* A built-in turned on explicitly overrides an added one of that name. */
		for (size_t j = 0; j < m->nseasons; j++)
			if (strcmp(m->seasons[j].name, o->seasons[i].name) == 0)
				replaced = true;
		if (!replaced)
			add_season(m, o->seasons[i].name, o->seasons[i].period, o->seasons[i].order,
				   o->seasons[i].prior, o->seasons[i].mode, o->seasons[i].condition);
	}
}

/* Each seasonality's condition: a condition column of d by name, else the
 * built-in weekend or weekday. Every condition column needs a 0 or 1 on every
 * row. */
static int resolve_conditions(struct ts_prophet_model *m, const struct ts_prophet_data *d,
			      struct ts_err *err)
{
	const struct ts_prophet_opts *o = &m->opts;

	m->season_cond = ts_calloc(m->nseasons + 1, sizeof *m->season_cond);
	if (m->season_cond == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t s = 0; s < m->nseasons; s++) {
		const char *c = m->seasons[s].condition;
		size_t j;

		m->season_cond[s] = TS_PROPHET_ALWAYS;
		if (c[0] == '\0')
			continue;
		for (j = 0; j < o->nconditions; j++)
			if (strcmp(o->conditions[j], c) == 0)
				break;
		if (j < o->nconditions && d->cond != NULL && d->cond[j] != NULL)
			m->season_cond[s] = (int)j;
		else if (strcmp(c, "weekend") == 0)
			m->season_cond[s] = TS_PROPHET_WEEKEND;
		else if (strcmp(c, "weekday") == 0)
			m->season_cond[s] = TS_PROPHET_WEEKDAY;
		else
			return ts_err_set(err, TS_EUSAGE,
					  "seasonality \"%s\": condition \"%s\" is not a column (nor weekend or weekday)",
					  m->seasons[s].name, c);
	}
	return 0;
}

/* A condition column's first row that is not 0 or 1, or n. */
static size_t bad_condition_row(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0 && v[i] != 1)
			return i;
	return n;
}

/* Holiday columns: one per (holiday, offset), sorted by Prophet's key
 * "NAME_delim_+N"/"NAME_delim_-N" as strings. */
struct hol_key {
	char key[TS_PROPHET_NAME_MAX + 24];
	size_t name;		/* index in hol_names */
	int offset;
};

static int cmp_hol_key(const void *a, const void *b)
{
	return strcmp(((const struct hol_key *)a)->key, ((const struct hol_key *)b)->key);
}

static int setup_holidays(struct ts_prophet_model *m, struct hol_key **keys_out, size_t *nkeys_out,
			  double **name_prior_out, struct ts_err *err)
{
	const struct ts_prophet_opts *o = &m->opts;
	struct hol_key *keys = NULL;
	double *name_prior;
	size_t nkeys = 0, cap = 0;

	*keys_out = NULL;
	*nkeys_out = 0;
	*name_prior_out = NULL;
	if (o->nholidays == 0)
		return 0;
	m->hol_names = ts_calloc(o->nholidays, sizeof *m->hol_names);
	name_prior = ts_calloc(o->nholidays, sizeof *name_prior);
	if (m->hol_names == NULL || name_prior == NULL) {
		free(name_prior);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t r = 0; r < o->nholidays; r++) {
		const struct ts_prophet_holiday *h = &o->holidays[r];
		double ps = isnan(h->prior) ? o->holidays_prior_scale : h->prior;
		size_t ni;

		for (ni = 0; ni < m->nhol_names; ni++)
			if (strcmp(m->hol_names[ni], h->name) == 0)
				break;
		if (ni == m->nhol_names) {
			snprintf(m->hol_names[ni], sizeof m->hol_names[ni], "%s", h->name);
			name_prior[ni] = ps;
			m->nhol_names++;
		} else if (name_prior[ni] != ps) {
			free(name_prior);
			free(keys);
			return ts_err_set(err, TS_EDATA,
					  "holiday \"%s\" does not have a consistent prior scale", h->name);
		}
		if (ps <= 0) {
			free(name_prior);
			free(keys);
			return ts_err_set(err, TS_EDATA, "holiday \"%s\": prior scale must be positive",
					  h->name);
		}
		for (int off = h->lower; off <= h->upper; off++) {
			struct hol_key k;
			size_t i;
			snprintf(k.key, sizeof k.key, "%s_delim_%c%d", h->name, off >= 0 ? '+' : '-',
				 abs(off));
			for (i = 0; i < nkeys; i++)
				if (strcmp(keys[i].key, k.key) == 0)
					break;
			if (i < nkeys)
				continue;
			struct hol_key *grown = ts_grow(keys, &cap, nkeys + 1, sizeof *keys);
			if (grown == NULL) {
				free(name_prior);
				free(keys);
				return ts_err_set(err, TS_ENOMEM, "out of memory");
			}
			keys = grown;
			k.name = ni;
			k.offset = off;
			keys[nkeys++] = k;
		}
	}
	qsort(keys, nkeys, sizeof *keys, cmp_hol_key);
	*keys_out = keys;
	*nkeys_out = nkeys;
	*name_prior_out = name_prior;
	return 0;
}

static int lay_out_columns(struct ts_prophet_model *m, const struct ts_prophet_data *d,
			   const size_t *hist, size_t T, const struct hol_key *keys, size_t nkeys,
			   const double *name_prior, struct ts_err *err)
{
	const struct ts_prophet_opts *o = &m->opts;
	size_t K = 0, c = 0;

	for (size_t s = 0; s < m->nseasons; s++)
		K += 2 * (size_t)m->seasons[s].order;
	K += nkeys + o->nregressors;
	m->K = K;
	m->prior = ts_calloc(K + 1, sizeof *m->prior);
	m->mult = ts_calloc(K + 1, 1);
	m->col_comp = ts_calloc(K + 1, sizeof *m->col_comp);
	m->hol_day = ts_calloc(K + 1, sizeof *m->hol_day);
	m->hol_first = ts_calloc(K + 1, sizeof *m->hol_first);
	m->hol_count = ts_calloc(K + 1, sizeof *m->hol_count);
	m->hol_rows = ts_calloc(nkeys * o->nholidays + 1, sizeof *m->hol_rows);
	m->reg_mu = ts_calloc(o->nregressors + 1, sizeof *m->reg_mu);
	m->reg_std = ts_calloc(o->nregressors + 1, sizeof *m->reg_std);
	if (m->prior == NULL || m->mult == NULL || m->col_comp == NULL || m->hol_day == NULL ||
	    m->hol_first == NULL || m->hol_count == NULL || m->hol_rows == NULL ||
	    m->reg_mu == NULL || m->reg_std == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t s = 0; s < m->nseasons; s++)
		for (int i = 0; i < 2 * m->seasons[s].order; i++, c++) {
			m->prior[c] = m->seasons[s].prior;
			m->mult[c] = m->seasons[s].mode == TS_PROPHET_MULTIPLICATIVE;
			m->col_comp[c] = (int)s;
		}
	size_t nrows = 0;
	for (size_t i = 0; i < nkeys; i++, c++) {
		m->prior[c] = name_prior[keys[i].name];
		m->mult[c] = o->seasonality_mode == TS_PROPHET_MULTIPLICATIVE;
		m->col_comp[c] = (int)(m->nseasons + keys[i].name);
		m->hol_day[c] = keys[i].offset;
		m->hol_first[c] = nrows;
		for (size_t r = 0; r < o->nholidays; r++)
			if (strcmp(o->holidays[r].name, m->hol_names[keys[i].name]) == 0 &&
			    keys[i].offset >= o->holidays[r].lower && keys[i].offset <= o->holidays[r].upper)
				m->hol_rows[nrows++] = r;
		m->hol_count[c] = nrows - m->hol_first[c];
	}
	for (size_t r = 0; r < o->nregressors; r++, c++) {
		const struct ts_prophet_regressor *rg = &o->regressors[r];
		const double *v = d->reg[r];
		double first = v[hist[0]], mean = 0, ss = 0;
		bool binary = true, varies = false;

		for (size_t i = 0; i < d->n; i++)
			if (isnan(v[i]) || isinf(v[i]))
				return ts_err_set(err, TS_EDATA, "regressor \"%s\" has a missing value",
						  rg->name);
		for (size_t i = 0; i < T; i++) {
			double x = v[hist[i]];
			mean += x;
			if (x != 0 && x != 1)
				binary = false;
			if (x != first)
				varies = true;
		}
		mean /= (double)T;
		for (size_t i = 0; i < T; i++)
			ss += (v[hist[i]] - mean) * (v[hist[i]] - mean);
		m->reg_mu[r] = 0;
		m->reg_std[r] = 1;
		if (varies && !binary) {
			m->reg_mu[r] = mean;
			m->reg_std[r] = sqrt(ss / (double)(T - 1));
		}
		m->prior[c] = isnan(rg->prior) ? o->holidays_prior_scale : rg->prior;
		m->mult[c] = (rg->mode >= 0 ? rg->mode : (int)o->seasonality_mode) ==
			     TS_PROPHET_MULTIPLICATIVE;
		m->col_comp[c] = -1 - (int)r;
		if (!(m->prior[c] > 0))
			return ts_err_set(err, TS_EUSAGE, "regressor \"%s\": prior scale must be positive",
					  rg->name);
	}
	return 0;
}

static int setup_components(struct ts_prophet_model *m)
{
	size_t n = m->nseasons + m->nhol_names + 3, i = 0;
	bool add = false, mul = false;

	m->comp_names = ts_calloc(n, sizeof *m->comp_names);
	if (m->comp_names == NULL)
		return TS_ENOMEM;
	for (size_t s = 0; s < m->nseasons; s++)
		snprintf(m->comp_names[i++], sizeof m->comp_names[0], "%s", m->seasons[s].name);
	for (size_t h = 0; h < m->nhol_names; h++)
		snprintf(m->comp_names[i++], sizeof m->comp_names[0], "%s", m->hol_names[h]);
	if (m->nhol_names > 0)
		snprintf(m->comp_names[i++], sizeof m->comp_names[0], "holidays");
	for (size_t c = 0; c < m->K; c++)
		if (m->col_comp[c] < 0) {
			if (m->mult[c])
				mul = true;
			else
				add = true;
		}
	if (add)
		snprintf(m->comp_names[i++], sizeof m->comp_names[0], "extra_regressors_additive");
	if (mul)
		snprintf(m->comp_names[i++], sizeof m->comp_names[0], "extra_regressors_multiplicative");
	m->ncomp = i;
	return 0;
}

/* ---- the MAP fit -------------------------------------------------------- */

/* Workspace of the fit, allocated once per series. */
struct fit_ws {
	size_t T, P;
	double *E;		/* T x K: J's columns after the trend's (columns_gram) */
	double *mu, *res;	/* T */
	double *H, *c, *g;	/* P x P, P, P */
	double *theta, *cand;	/* P */
	double *lam, *ridge;	/* P: L1 weights, ridge weights */
	double *chol;		/* P x P */
	double *rhs, *sol;	/* P */
	size_t *free_idx;	/* P */
	size_t *chol_idx, chol_n;	/* P: the free set whose factor w->chol holds (of H) */
	double *gamma, *dks, *dGam, *dgam;	/* logistic: S, (S+1) x Q, (S+1) x Q, Q */
	double *G0, *Jy0;	/* linear models: J'J and J'y, computed once */
	bool additive;		/* no multiplicative column: mu = trend + X beta */
	bool separable;		/* not logistic: mu = trend * factor + X_a beta_a, the
				 * trend linear in (k, m, delta) */
	double *factor, *trend;	/* T: 1 + X_m beta_m (separable) and the trend at theta */
	double *dg_dk, *dg_dm;	/* T, logistic: d mu / d (the row's segment's k, m) */
	size_t *cols_m, *cols_a;	/* K: the multiplicative columns, the additive ones */
	size_t n_m, n_a;
	/* models with multiplicative terms or logistic growth: each seasonality's
	 * harmonics past its order (fourier_setup), for E'E by product-to-sum
	 * identities */
	double *harm;		/* T x harm_width */
	size_t harm_width;
	size_t *direct_from;	/* K: first column b whose E'E entry with a is a sum of products */
	bool any_direct;	/* some entry of E'E is: E = (g x or x) is needed */
	double *cos_sum, *sin_sum;	/* K + 1 */
	double *ramp_sq, *ramp_one;	/* S: a changepoint's ramp against itself and 1 */
	double *sum_v, *sum_uv;	/* K + 2: suffix sums of (1, y, x) and ramp times them */
};

static void unpack(const struct ts_prophet_model *m, const double *theta, struct ts_prophet_params *p)
{
	p->k = theta[0];
	p->m = theta[1];
	memcpy(p->delta, theta + 2, m->S * sizeof *theta);
	memcpy(p->beta, theta + 2 + m->S, m->K * sizeof *theta);
}

/* x . beta over the columns cols[0..n) of rows i..i+3 (each row's sum in
 * column order), into out[0..3]: four rows at a time share the loads of beta. */
static void dot4(const double *X, size_t K, size_t i, const size_t *cols, size_t n,
		 const double *beta, double out[4])
{
	const double *x0 = X + i * K, *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (size_t k = 0; k < n; k++) {
		size_t c = cols[k];
		double b = beta[c];
		s0 += x0[c] * b;
		s1 += x1[c] * b;
		s2 += x2[c] * b;
		s3 += x3[c] * b;
	}
	out[0] = s0;
	out[1] = s1;
	out[2] = s2;
	out[3] = s3;
}

/* mu at theta for linear or flat growth: the trend line of the current
 * segment times 1 + X_m beta_m, plus X_a beta_a, as model_eval's sums; also
 * the factor and the trend of each row (unless additive), which
 * separable_gram takes J from. */
static void separable_mu(const struct ts_prophet_model *m, struct fit_ws *w, const double *theta)
{
	size_t T = w->T, S = m->S, K = m->K, cp = 0;
	const double *delta = theta + 2, *beta = theta + 2 + S;
	bool flat = m->opts.growth == TS_PROPHET_FLAT;
	double slope = theta[0], off = theta[1], *xa = w->mu;

	if (!w->additive) {
		/* the factor into w->factor, X_a beta_a into w->mu, four rows at a time */
		for (size_t i = 0; i < T; i += 4) {
			double xm4[4], xa4[4];
			size_t rows = T - i < 4 ? T - i : 4;
			if (rows == 4) {
				dot4(m->hX, K, i, w->cols_m, w->n_m, beta, xm4);
				dot4(m->hX, K, i, w->cols_a, w->n_a, beta, xa4);
			} else {
				for (size_t r = 0; r < rows; r++) {
					const double *x = m->hX + (i + r) * K;
					xm4[r] = xa4[r] = 0;
					for (size_t k = 0; k < w->n_m; k++)
						xm4[r] += x[w->cols_m[k]] * beta[w->cols_m[k]];
					for (size_t k = 0; k < w->n_a; k++)
						xa4[r] += x[w->cols_a[k]] * beta[w->cols_a[k]];
				}
			}
			for (size_t r = 0; r < rows; r++) {
				w->factor[i + r] = 1 + xm4[r];
				xa[i + r] = xa4[r];
			}
		}
	}
	for (size_t i = 0; i < T; i++) {
		double t = m->ht[i], g;
		while (cp < S && t >= m->t_change[cp]) {
			slope += delta[cp];
			off -= m->t_change[cp] * delta[cp];
			cp++;
		}
		g = flat ? theta[1] : slope * t + off;
		if (w->additive) {
			const double *x = m->hX + i * K;
			double sum = 0;
			for (size_t c = 0; c < K; c++)
				sum += x[c] * beta[c];
			w->mu[i] = g + sum;
		} else {
			w->mu[i] = g * w->factor[i] + xa[i];
			w->trend[i] = g;
		}
	}
}

/* mu at theta over the history, and what J is made of: for linear and flat
 * growth separable_mu's; for logistic growth, when want_jac, the trend and
 * dg/dk, dg/dm at each row (times 1 + X_m beta_m) and dks, dGam. */
static void model_eval(const struct ts_prophet_model *m, struct fit_ws *w, const double *theta,
		       bool want_jac)
{
	size_t T = w->T, S = m->S, K = m->K, Q = 2 + S;
	const double *delta = theta + 2, *beta = theta + 2 + S;

	if (w->separable) {
		separable_mu(m, w, theta);
		return;
	}
	/* logistic: gamma and its derivatives in q = (k, m, delta) by forward
	 * recursion; the segment's rate k and offset m at the rows after
	 * changepoint j move by dks[j] and (q == 1) + dGam[j] per unit of q */
	double ks = theta[0], Gam = 0;
	double *dks = w->dks, *dG = w->dGam, *dg = w->dgam;
	memset(dks, 0, (S + 1) * Q * sizeof *dks);
	memset(dG, 0, (S + 1) * Q * sizeof *dG);
	dks[0] = 1;
	for (size_t j = 0; j < S; j++) {
		double next = ks + delta[j];
		double a = m->t_change[j] - theta[1] - Gam, b = 1 - ks / next;
		double *dk0 = dks + j * Q, *dk1 = dks + (j + 1) * Q;
		memcpy(dk1, dk0, Q * sizeof *dk1);
		dk1[2 + j] += 1;
		w->gamma[j] = a * b;
		if (want_jac)
			for (size_t q = 0; q < Q; q++) {
				double da = -(q == 1) - dG[j * Q + q];
				double db = -(dk0[q] * next - ks * dk1[q]) / (next * next);
				dg[q] = da * b + a * db;
				dG[(j + 1) * Q + q] = dG[j * Q + q] + dg[q];
			}
		Gam += w->gamma[j];
		ks = next;
	}
	size_t cp = 0;
	double kcur = theta[0], off = theta[1];
	for (size_t i = 0; i < T; i++) {
		double t = m->ht[i], g, xm = 0, xa = 0;
		const double *x = m->hX + i * K;

		while (cp < S && t >= m->t_change[cp]) {
			kcur += delta[cp];
			off += w->gamma[cp];
			cp++;
		}
		for (size_t c = 0; c < K; c++) {
			if (m->mult[c])
				xm += x[c] * beta[c];
			else
				xa += x[c] * beta[c];
		}
		g = m->hcap[i] / (1 + exp(-kcur * (t - off)));
		w->mu[i] = g * (1 + xm) + xa;
		if (!want_jac)
			continue;
		/* the trend's columns of J are dg/dk dK + dg/dm dM of the segment
		 * (logistic_gram) */
		double dgdz = g * (1 - g / m->hcap[i]) * (1 + xm);
		w->trend[i] = g;
		w->dg_dk[i] = dgdz * (t - off);
		w->dg_dm[i] = -dgdz * kcur;
	}
}

/* Negative log posterior for theta given mu already evaluated; sigma optimal
 * for this residual sum when *sigma is NAN on entry, else as given. */
static double neg_logpost(const struct ts_prophet_model *m, struct fit_ws *w, const double *theta,
			  double *sigma)
{
	size_t T = w->T, S = m->S, K = m->K;
	double rss = 0, pen = 0, s2;

	for (size_t i = 0; i < T; i++) {
		double r = m->hy[i] - w->mu[i];
		w->res[i] = r;
		rss += r * r;
	}
	if (isnan(*sigma)) {
		s2 = (-(double)T + sqrt((double)T * T + 16 * rss)) / 8;
		*sigma = sqrt(s2);
	} else {
		s2 = *sigma * *sigma;
	}
	pen = theta[0] * theta[0] / 50 + theta[1] * theta[1] / 50;
	for (size_t j = 0; j < S; j++)
		pen += fabs(theta[2 + j]) / m->opts.changepoint_prior_scale;
	for (size_t c = 0; c < K; c++)
		pen += theta[2 + S + c] * theta[2 + S + c] / (2 * m->prior[c] * m->prior[c]);
	return pen + 2 * s2 + (double)T * log(*sigma) + rss / (2 * s2);
}

double ts_prophet_logpost(const struct ts_prophet_model *m, const struct ts_prophet_params *p)
{
	struct ts_prophet_params q = *p;
	double *gamma = NULL, rss = 0, lp, s2 = p->sigma * p->sigma;

	if (m->opts.growth == TS_PROPHET_LOGISTIC) {
		gamma = ts_calloc(m->S + 1, sizeof *gamma);
		if (gamma == NULL)
			return NAN;
		logistic_gamma(m, &q, gamma);
	}
	struct trend_walk walk;
	trend_walk_start(&q, &walk);
	for (size_t i = 0; i < m->T; i++) {
		const double *x = m->hX + i * m->K;
		double cap = m->hcap ? m->hcap[i] : 0, xm = 0, xa = 0;
		double g = trend_walk_at(m, gamma, &walk, m->ht[i], cap);
		for (size_t c = 0; c < m->K; c++) {
			if (m->mult[c])
				xm += x[c] * p->beta[c];
			else
				xa += x[c] * p->beta[c];
		}
		double r = m->hy[i] - (g * (1 + xm) + xa);
		rss += r * r;
	}
	free(gamma);
	lp = -p->k * p->k / 50 - p->m * p->m / 50 - 2 * s2 - (double)m->T * log(p->sigma) -
	     rss / (2 * s2);
	for (size_t j = 0; j < m->S; j++)
		lp -= fabs(p->delta[j]) / m->opts.changepoint_prior_scale;
	for (size_t c = 0; c < m->K; c++)
		lp -= p->beta[c] * p->beta[c] / (2 * m->prior[c] * m->prior[c]);
	return lp;
}

static double soft(double z, double t)
{
	return z > t ? z - t : z < -t ? z + t : 0;
}

/* Cholesky factor of the leading n x n block of A (rows `stride` apart): its
 * lower triangle becomes L, A = L L'. False when A is not positive definite.
 * At the fit's sizes (n < 40) these loops cost a fifth of GSL's blocked,
 * BLAS-calling decomposition. */
static bool cholesky_factor(double *A, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++) {
		double *Li = A + i * stride;
		for (size_t j = 0; j <= i; j++) {
			const double *Lj = A + j * stride;
			double s = Li[j];
			for (size_t k = 0; k < j; k++)
				s -= Li[k] * Lj[k];
			if (j < i) {
				Li[j] = s / Lj[j];
			} else {
				if (!(s > 0))
					return false;
				Li[i] = sqrt(s);
			}
		}
	}
	return true;
}

/* Solve L L' x = b, L from cholesky_factor. */
static void cholesky_solve(const double *L, size_t n, size_t stride, const double *b, double *x)
{
	for (size_t i = 0; i < n; i++) {
		const double *Li = L + i * stride;
		double s = b[i];
		for (size_t k = 0; k < i; k++)
			s -= Li[k] * x[k];
		x[i] = s / Li[i];
	}
	for (size_t i = n; i-- > 0;) {
		double s = x[i];
		for (size_t k = i + 1; k < n; k++)
			s -= L[k * stride + i] * x[k];
		x[i] = s / L[i * stride + i];
	}
}

/* The factor of the matrix without its row and column p, from the factor L
 * (n x n) of the matrix with them: the rows after p move up and lose column
 * p, which the block after p takes back as a rank-one update (A33 = L31 L31'
 * + l l' + L33 L33', rotated in column by column): O((n - p)^2) instead of a
 * new factorisation. col: workspace of n. */
static void cholesky_drop(double *L, size_t n, size_t stride, size_t p, double *col)
{
	for (size_t i = p + 1; i < n; i++) {
		double *dst = L + (i - 1) * stride;
		const double *src = L + i * stride;
		col[i - 1] = src[p];
		for (size_t k = 0; k < p; k++)
			dst[k] = src[k];
		for (size_t k = p + 1; k <= i; k++)
			dst[k - 1] = src[k];
	}
	for (size_t k = p; k + 1 < n; k++) {
		double *Lk = L + k * stride;
		double r = sqrt(Lk[k] * Lk[k] + col[k] * col[k]);
		double cs = r / Lk[k], sn = col[k] / Lk[k];
		Lk[k] = r;
		for (size_t i = k + 1; i + 1 < n; i++) {
			double *Li = L + i * stride;
			Li[k] = (Li[k] + sn * col[i]) / cs;
			col[i] = cs * col[i] - sn * Li[k];
		}
	}
}

/* Coordinate j of the gradient Hx - c. */
static double gradient(const double *H, const double *c, const double *x, size_t P, size_t j)
{
	double s = -c[j];

	for (size_t l = 0; l < P; l++)
		s += H[j * P + l] * x[l];
	return s;
}

/* Minimise 1/2 x'Hx - c'x + sum lam_j |x_j| exactly (H positive definite on
 * the coordinates that matter): the quadratic on the free coordinates with
 * their current signs is solved by Cholesky (feature-sign search, Lee et al.
 * 2007), stepping back to the first sign change when the solve crosses zero,
 * and the zero that most wants to move is freed, one at a time. x is the warm
 * start and the answer. The factor of the last free set stays in w->chol for
 * the next call with the same H (w->chol_n = 0 says H is new). */
static void lasso_qp(struct fit_ws *w, size_t P, const double *H, const double *c, double *x)
{
	const double *lam = w->lam;
	double *g = w->g;

	bool g_stale = true;	/* g = Hx - c, kept by the sweeps, not by the polish */
	/* polish first: the start's free set (the previous step's answer, for a
	 * slightly different sigma, or the unpenalised coordinates) is the best
	 * guess of the answer's */
	int sweeps = 0;
	bool swept = false;
	size_t nfree = 0, dropped = SIZE_MAX;	/* the factor in w->chol: its size; a
						 * coordinate of it to drop */
	for (int round = 0; round < 1000; round++) {
		/* coordinate descent sweeps, twenty, only when the free set's
		 * matrix is singular (their answer is then kept) */
		if (sweeps > 0) {
			swept = true;
			if (g_stale)
				for (size_t j = 0; j < P; j++)
					g[j] = gradient(H, c, x, P, j);
			g_stale = false;
		}
		for (int sweep = 0; sweep < sweeps; sweep++) {
			double maxd = 0, maxx = 0;
			for (size_t j = 0; j < P; j++) {
				double hjj = H[j * P + j], nx, dx;
				if (!(hjj > 0)) {
					nx = 0;
				} else {
					double z = x[j] - g[j] / hjj;
					nx = lam[j] > 0 ? soft(z, lam[j] / hjj) : z;
				}
				dx = nx - x[j];
				if (dx != 0) {
					const double *Hj = H + j * P;
					for (size_t l = 0; l < P; l++)
						g[l] += dx * Hj[l];
					x[j] = nx;
					if (fabs(dx) * sqrt(hjj) > maxd)
						maxd = fabs(dx) * sqrt(hjj);
				}
				if (fabs(x[j]) > maxx)
					maxx = fabs(x[j]);
			}
			if (maxd <= 1e-7 * (1 + maxx) && sweep >= 2)
				break;
		}
		/* polish on the free set with the current signs; after a step back
		 * the set is the last one without the coordinate that reached zero,
		 * and the factor of the last one gives its own by cholesky_drop */
		size_t nf = 0;
		bool one_less = dropped != SIZE_MAX;
		for (size_t j = 0; j < P; j++) {
			if (lam[j] != 0 && x[j] == 0)
				continue;
			size_t was = nf < dropped ? nf : nf + 1;
			if (one_less && (was >= nfree || w->free_idx[was] != j))
				one_less = false;
			w->free_idx[nf++] = j;
		}
		if (nf == 0)
			return;
		if (one_less && nf + 1 == nfree) {
			cholesky_drop(w->chol, nfree, P, dropped, w->rhs);
		} else if (nf != w->chol_n ||
			   memcmp(w->free_idx, w->chol_idx, nf * sizeof *w->free_idx) != 0) {
			/* (else the factor of this free set is still there: the
			 * same H, as in the steps between renewals of J'J) */
			for (size_t a = 0; a < nf; a++)
				for (size_t b = 0; b <= a; b++)
					w->chol[a * P + b] = H[w->free_idx[a] * P + w->free_idx[b]];
			if (!cholesky_factor(w->chol, nf, P)) {
				w->chol_n = 0;
				if (swept)
					return;	/* keep the coordinate-descent answer */
				sweeps = 20;
				continue;
			}
		}
		w->chol_n = nf;
		memcpy(w->chol_idx, w->free_idx, nf * sizeof *w->chol_idx);
		nfree = nf;
		dropped = SIZE_MAX;
		for (size_t a = 0; a < nf; a++) {
			size_t j = w->free_idx[a];
			w->rhs[a] = c[j] - (lam[j] > 0 ? lam[j] * (x[j] > 0 ? 1 : -1) : 0);
		}
		cholesky_solve(w->chol, nf, P, w->rhs, w->sol);
		double step = 1;
		size_t cross = SIZE_MAX;
		for (size_t a = 0; a < nf; a++) {
			size_t j = w->free_idx[a];
			if (lam[j] > 0 && (w->sol[a] > 0) != (x[j] > 0)) {
				double t = x[j] / (x[j] - w->sol[a]);
				if (t < step) {
					step = t;
					cross = j;
					dropped = a;
				}
			}
		}
		for (size_t a = 0; a < nf; a++) {
			size_t j = w->free_idx[a];
			double dx = step * (w->sol[a] - x[j]);
			x[j] = j == cross ? 0 : x[j] + dx;
		}
		g_stale = true;
		if (cross != SIZE_MAX)
			continue;
		/* optimality of the coordinates held at zero; the one that wants to
		 * move most moves to its own optimum (a coordinate-descent step),
		 * and the polish takes it in */
		size_t worst = SIZE_MAX;
		double worst_excess = 0, worst_g = 0;
		for (size_t j = 0; j < P; j++) {
			if (!(lam[j] > 0 && x[j] == 0 && H[j * P + j] > 0))
				continue;
			double gj = gradient(H, c, x, P, j);
			double excess = fabs(gj) - lam[j] * (1 + 1e-9);
			if (excess > worst_excess) {
				worst_excess = excess;
				worst = j;
				worst_g = gj;
			}
		}
		if (worst == SIZE_MAX)
			return;
		double hjj = H[worst * P + worst];
		x[worst] = soft(-worst_g / hjj, lam[worst] / hjj);
	}
}

/* G0 = J'J and Jy0 = J'y for linear or flat growth with additive terms, from
 * the structure of J instead of its rows: the columns are t, 1, a ramp
 * (t - s_j)+ per changepoint and X. Walking the rows backwards, one changepoint
 * at a time, keeps the sums over the rows at or after changepoint l of
 * v = (1, y, x) and of (t - s_l) v; the next changepoint back shifts them by
 * the distance between the two (every term is a sum of like-signed parts for
 * the ramps, so nothing cancels), and a pair of ramps needs only the later
 * one's sums: sum (t - s_j)(t - s_l) = sum u^2 + (s_l - s_j) sum u, u = t - s_l.
 * O(T K^2 + S (S + K)) instead of O(T P^2). */
static void linear_gram(const struct ts_prophet_model *m, struct fit_ws *w)
{
	size_t T = w->T, P = w->P, S = m->S, K = m->K, V = K + 2;
	double *G = w->G0, *Jy = w->Jy0, *A = w->sum_v, *B = w->sum_uv;
	const double *t = m->ht, *y = m->hy, *X = m->hX;
	double sq = 0, prev_s = 0;
	size_t end = T;

	memset(G, 0, P * P * sizeof *G);
	memset(Jy, 0, P * sizeof *Jy);
	memset(A, 0, V * sizeof *A);
	memset(B, 0, V * sizeof *B);
	/* changepoints from the last back to a virtual one at t = 0 (l = S),
	 * whose sums give the columns t and 1 */
	for (size_t back = 0; back <= S; back++) {
		bool virtual_cp = back == S;
		size_t l = S - 1 - back;
		double s = virtual_cp ? 0 : m->t_change[l];
		double d = back == 0 ? 0 : prev_s - s;
		size_t start = end;

		/* shift the sums of the rows after the next changepoint to this one */
		sq += 2 * d * B[0] + d * d * A[0];
		for (size_t v = 0; v < V; v++)
			B[v] += d * A[v];
		while (start > 0 && (virtual_cp || t[start - 1] >= s))
			start--;
		for (size_t i = start; i < end; i++) {
			const double *x = X + i * K;
			double u = t[i] - s;
			sq += u * u;
			A[0] += 1;
			B[0] += u;
			A[1] += y[i];
			B[1] += u * y[i];
			for (size_t c = 0; c < K; c++) {
				A[2 + c] += x[c];
				B[2 + c] += u * x[c];
			}
		}
		end = start;
		prev_s = s;
		if (virtual_cp)
			break;
		size_t r = 2 + l;
		w->ramp_sq[l] = sq;
		w->ramp_one[l] = B[0];
		G[r * P + r] = sq;
		G[0 * P + r] = sq + s * B[0];
		G[1 * P + r] = B[0];
		for (size_t c = 0; c < K; c++)
			G[r * P + 2 + S + c] = B[2 + c];
		Jy[r] = B[1];
		for (size_t later = l + 1; later < S; later++)
			G[r * P + 2 + later] = w->ramp_sq[later] +
					       (m->t_change[later] - s) * w->ramp_one[later];
	}
	G[0] = sq;
	G[1] = B[0];
	G[P + 1] = A[0];
	Jy[0] = B[1];
	Jy[1] = A[1];
	for (size_t c = 0; c < K; c++) {
		G[2 + S + c] = B[2 + c];
		G[P + 2 + S + c] = A[2 + c];
	}
	/* X'X and X'y, four rows at a time as jtj */
	size_t i = 0;
	for (; i + 4 <= T; i += 4) {
		const double *x0 = X + i * K, *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
		for (size_t a = 0; a < K; a++) {
			double *Ga = G + (2 + S + a) * P + 2 + S;
			double v0 = x0[a], v1 = x1[a], v2 = x2[a], v3 = x3[a];
			for (size_t b = a; b < K; b++)
				Ga[b] += v0 * x0[b] + v1 * x1[b] + v2 * x2[b] + v3 * x3[b];
			Jy[2 + S + a] += v0 * y[i] + v1 * y[i + 1] + v2 * y[i + 2] + v3 * y[i + 3];
		}
	}
	for (; i < T; i++) {
		const double *x = X + i * K;
		for (size_t a = 0; a < K; a++) {
			double *Ga = G + (2 + S + a) * P + 2 + S;
			for (size_t b = a; b < K; b++)
				Ga[b] += x[a] * x[b];
			Jy[2 + S + a] += x[a] * y[i];
		}
	}
	if (m->opts.growth == TS_PROPHET_FLAT) {
		/* mu does not depend on k nor on the changepoints */
		for (size_t a = 0; a < P; a++)
			for (size_t b = 0; b < 2 + S; b++)
				if (b != 1) {
					G[a * P + b] = 0;
					G[b * P + a] = 0;
				}
		Jy[0] = 0;
		for (size_t j = 0; j < S; j++)
			Jy[2 + j] = 0;
	}
	/* the upper triangle is filled: mirror it */
	for (size_t a = 0; a < P; a++)
		for (size_t b = 0; b < a; b++)
			G[a * P + b] = G[b * P + a];
}

/* The harmonics n = order+1 .. 2 order of each seasonality at each row,
 * continuing feature_row's angle-addition from its columns (0 where the
 * seasonality is off), after a 1 saying it is on: row i of w->harm holds
 * (on, cos, sin, cos, sin, ...) per seasonality. With them a seasonality's
 * block of E'E needs 4 order + 1 weighted sums instead of order (2 order + 1)
 * (fourier_gram). */
static void fourier_setup(const struct ts_prophet_model *m, struct fit_ws *w)
{
	size_t T = w->T, K = m->K, c0 = 0, off = 0;

	for (size_t s = 0; s < m->nseasons; s++) {
		size_t N = (size_t)m->seasons[s].order;
		for (size_t c = c0; c < c0 + 2 * N; c++)
			w->direct_from[c] = c0 + 2 * N;
		c0 += 2 * N;
		off += 1 + 2 * N;
	}
	for (size_t c = c0; c < K; c++)
		w->direct_from[c] = c;
	w->any_direct = false;
	for (size_t c = 0; c < K; c++)
		w->any_direct = w->any_direct || w->direct_from[c] < K;
	w->harm_width = off;
	c0 = off = 0;
	for (size_t s = 0; s < m->nseasons; s++) {
		size_t N = (size_t)m->seasons[s].order;
		for (size_t i = 0; i < T; i++) {
			const double *x = m->hX + i * K + c0;
			double *h = w->harm + i * w->harm_width + off;
			double s1 = x[0], c1 = x[1], sk = x[2 * N - 2], ck = x[2 * N - 1];
			h[0] = s1 != 0 || c1 != 0;
			for (size_t n = 1; n <= N; n++) {
				double next_s = sk * c1 + ck * s1;
				ck = ck * c1 - sk * s1;
				sk = next_s;
				h[2 * n - 1] = ck;
				h[2 * n] = sk;
			}
		}
		c0 += 2 * N;
		off += 1 + 2 * N;
	}
}

/* Each seasonality's block of E'E: with weights v (g^2 on multiplicative
 * columns, 1 on additive ones), sum v sin(j a) sin(k a) = (C(j-k) - C(j+k))/2,
 * sum v cos cos = (C(j-k) + C(j+k))/2, sum v sin(j a) cos(k a) = (S(j+k) +
 * S(j-k))/2, where C(n) = sum v cos(n a), S(n) = sum v sin(n a), S(-n) = -S(n). */
static void fourier_gram(const struct ts_prophet_model *m, struct fit_ws *w)
{
	size_t T = w->T, K = m->K, P = w->P, S = m->S, c0 = 0, off = 0;
	double *C = w->cos_sum, *Sn = w->sin_sum, *G = w->G0;

	for (size_t s = 0; s < m->nseasons; s++) {
		size_t N = (size_t)m->seasons[s].order;
		bool mult = m->mult[c0];
		memset(C, 0, (2 * N + 1) * sizeof *C);
		memset(Sn, 0, (2 * N + 1) * sizeof *Sn);
		for (size_t i = 0; i < T; i++) {
			const double *x = m->hX + i * K + c0;
			const double *h = w->harm + i * w->harm_width + off;
			double v = mult ? w->trend[i] * w->trend[i] : 1;
			C[0] += v * h[0];
			for (size_t n = 1; n <= N; n++) {
				Sn[n] += v * x[2 * n - 2];
				C[n] += v * x[2 * n - 1];
				C[N + n] += v * h[2 * n - 1];
				Sn[N + n] += v * h[2 * n];
			}
		}
		for (size_t j = 1; j <= N; j++)
			for (size_t k = j; k <= N; k++) {
				size_t as = 2 + S + c0 + 2 * (j - 1), bs = 2 + S + c0 + 2 * (k - 1);
				size_t d = k - j, sum = j + k;
				G[as * P + bs] = (C[d] - C[sum]) / 2;
				G[(as + 1) * P + bs + 1] = (C[d] + C[sum]) / 2;
				G[as * P + bs + 1] = (Sn[sum] - Sn[d]) / 2;
				if (k > j)
					G[(as + 1) * P + bs] = (Sn[sum] + Sn[d]) / 2;
			}
		c0 += 2 * N;
		off += 1 + 2 * N;
	}
}

/* The columns of J after the trend's, e = g x on a multiplicative column and
 * x on an additive one (g the trend): E'r into w->c + 2 + S and, when
 * want_gram, E'E into the block of w->G0 (upper triangle, the rest of G0
 * zero): a seasonality's own block by fourier_gram, the other entries as sums
 * of products, four rows at a time. */
static void columns_gram(const struct ts_prophet_model *m, struct fit_ws *w, bool want_gram)
{
	size_t T = w->T, P = w->P, S = m->S, K = m->K;
	const double *X = m->hX, *g = w->trend, *res = w->res;
	double *G = w->G0, *Jr = w->c, *E = w->E;

	if (want_gram && w->any_direct)
		for (size_t i = 0; i < T; i++) {
			const double *x = X + i * K;
			double *e = E + i * K;
			for (size_t c = 0; c < K; c++)
				e[c] = m->mult[c] ? g[i] * x[c] : x[c];
		}
	/* X'(g r) on the multiplicative columns, X'r on the additive ones */
	double *Jx = Jr + 2 + S;
	size_t i = 0;
	for (; i + 4 <= T; i += 4) {
		const double *x0 = X + i * K, *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
		const double *r = res + i, *gi = g + i;
		double z0 = gi[0] * r[0], z1 = gi[1] * r[1], z2 = gi[2] * r[2], z3 = gi[3] * r[3];
		if (w->n_m == K) {
			/* all multiplicative, the usual case: no index */
			for (size_t c = 0; c < K; c++)
				Jx[c] += x0[c] * z0 + x1[c] * z1 + x2[c] * z2 + x3[c] * z3;
			continue;
		}
		for (size_t k = 0; k < w->n_m; k++) {
			size_t c = w->cols_m[k];
			Jx[c] += x0[c] * z0 + x1[c] * z1 + x2[c] * z2 + x3[c] * z3;
		}
		for (size_t k = 0; k < w->n_a; k++) {
			size_t c = w->cols_a[k];
			Jx[c] += x0[c] * r[0] + x1[c] * r[1] + x2[c] * r[2] + x3[c] * r[3];
		}
	}
	for (; i < T; i++) {
		const double *x = X + i * K;
		double r = res[i], gr = g[i] * r;
		for (size_t k = 0; k < w->n_m; k++)
			Jx[w->cols_m[k]] += x[w->cols_m[k]] * gr;
		for (size_t k = 0; k < w->n_a; k++)
			Jx[w->cols_a[k]] += x[w->cols_a[k]] * r;
	}
	if (!want_gram)
		return;
	const size_t *from = w->direct_from;
	fourier_gram(m, w);
	for (i = 0; w->any_direct && i + 4 <= T; i += 4) {
		const double *e0 = E + i * K, *e1 = e0 + K, *e2 = e1 + K, *e3 = e2 + K;
		for (size_t a = 0; a < K; a++) {
			double *Ga = G + (2 + S + a) * P + 2 + S;
			double v0 = e0[a], v1 = e1[a], v2 = e2[a], v3 = e3[a];
			for (size_t b = from[a]; b < K; b++)
				Ga[b] += v0 * e0[b] + v1 * e1[b] + v2 * e2[b] + v3 * e3[b];
		}
	}
	for (; w->any_direct && i < T; i++) {
		const double *e = E + i * K;
		for (size_t a = 0; a < K; a++) {
			double *Ga = G + (2 + S + a) * P + 2 + S;
			for (size_t b = from[a]; b < K; b++)
				Ga[b] += e[a] * e[b];
		}
	}
}

/* J'r into w->c and, when want_gram, J'J into w->G0, for linear or flat
 * growth with multiplicative terms, from what J is made of (separable_mu's
 * factor f and trend g) instead of its rows. A row of J is f times the trend's
 * columns (t, 1, a ramp (t - s_j)+ per changepoint), then e: g x on a
 * multiplicative column, x on an additive one. The trend block is then
 * linear_gram's with the weight f^2 on each row, and the trend's products
 * with e and r are linear_gram's sums of v = (f e, f r); only E'E (T K^2 / 2)
 * needs a pass over pairs of columns. O(T K^2 + S (S + K)) for the gram and
 * O(T K + S) without it, instead of O(T P^2) and O(T P). */
static void separable_gram(const struct ts_prophet_model *m, struct fit_ws *w, bool want_gram)
{
	size_t T = w->T, P = w->P, S = m->S, K = m->K, V = K + 2, R = K + 1;
	const double *t = m->ht, *X = m->hX, *f = w->factor, *g = w->trend, *res = w->res;
	/* A, B: sums after a changepoint of v and of u v, u = t - s_l, for
	 * v = (f^2, f e_0 .. f e_K-1, f r); index R (f r) alone without the gram */
	double *G = w->G0, *Jr = w->c, *A = w->sum_v, *B = w->sum_uv;
	size_t first = want_gram ? 0 : R, end = T;
	double sq = 0, prev_s = 0;

	memset(Jr, 0, P * sizeof *Jr);
	memset(A, 0, V * sizeof *A);
	memset(B, 0, V * sizeof *B);
	if (want_gram)
		memset(G, 0, P * P * sizeof *G);
	columns_gram(m, w, want_gram);
	for (size_t back = 0; back <= S; back++) {
		bool virtual_cp = back == S;
		size_t l = S - 1 - back;
		double s = virtual_cp ? 0 : m->t_change[l];
		double d = back == 0 ? 0 : prev_s - s;
		size_t start = end;

		sq += 2 * d * B[0] + d * d * A[0];
		for (size_t v = first; v < V; v++)
			B[v] += d * A[v];
		while (start > 0 && (virtual_cp || t[start - 1] >= s))
			start--;
		for (size_t i = start; i < end; i++) {
			double u = t[i] - s, fi = f[i], fr = fi * res[i];
			if (want_gram) {
				const double *x = X + i * K;
				double f2 = fi * fi, fg = fi * g[i];
				sq += f2 * u * u;
				A[0] += f2;
				B[0] += f2 * u;
				for (size_t k = 0; k < w->n_m; k++) {
					size_t c = w->cols_m[k];
					double fe = fg * x[c];
					A[1 + c] += fe;
					B[1 + c] += u * fe;
				}
				for (size_t k = 0; k < w->n_a; k++) {
					size_t c = w->cols_a[k];
					double fe = fi * x[c];
					A[1 + c] += fe;
					B[1 + c] += u * fe;
				}
			}
			A[R] += fr;
			B[R] += u * fr;
		}
		end = start;
		prev_s = s;
		if (virtual_cp)
			break;
		size_t col = 2 + l;
		Jr[col] = B[R];
		if (!want_gram)
			continue;
		w->ramp_sq[l] = sq;
		w->ramp_one[l] = B[0];
		G[col * P + col] = sq;
		G[0 * P + col] = sq + s * B[0];
		G[1 * P + col] = B[0];
		for (size_t c = 0; c < K; c++)
			G[col * P + 2 + S + c] = B[1 + c];
		for (size_t later = l + 1; later < S; later++)
			G[col * P + 2 + later] = w->ramp_sq[later] +
						 (m->t_change[later] - s) * w->ramp_one[later];
	}
	Jr[0] = B[R];
	Jr[1] = A[R];
	if (want_gram) {
		G[0] = sq;
		G[1] = B[0];
		G[P + 1] = A[0];
		for (size_t c = 0; c < K; c++) {
			G[2 + S + c] = B[1 + c];
			G[P + 2 + S + c] = A[1 + c];
		}
	}
	if (m->opts.growth == TS_PROPHET_FLAT) {
		/* mu does not depend on k nor on the changepoints */
		Jr[0] = 0;
		for (size_t j = 0; j < S; j++)
			Jr[2 + j] = 0;
		if (want_gram)
			for (size_t a = 0; a < P; a++)
				for (size_t b = 0; b < 2 + S; b++)
					if (b != 1) {
						G[a * P + b] = 0;
						G[b * P + a] = 0;
					}
	}
	if (want_gram)
		for (size_t a = 0; a < P; a++)
			for (size_t b = 0; b < a; b++)
				G[a * P + b] = G[b * P + a];
}

/* J'r into w->c and, when want_gram, J'J into w->G0, for logistic growth,
 * from what J is made of instead of its rows: on the rows of one segment
 * (between two changepoints) the trend's columns of J are dg_dk dK + dg_dm dM
 * with dK, dM the segment's (model_eval), so their products with themselves,
 * with e (columns_gram) and with r are sums over the segment of dg_dk^2,
 * dg_dk dg_dm, dg_dm^2, dg_dk e, dg_dm e, dg_dk r and dg_dm r, spread over
 * the trend's columns once a segment. O(T K + S Q (Q + K)) instead of
 * O(T P^2). */
static void logistic_gram(const struct ts_prophet_model *m, struct fit_ws *w, bool want_gram)
{
	size_t T = w->T, P = w->P, S = m->S, K = m->K, Q = 2 + S, cp = 0, start = 0;
	const double *t = m->ht, *X = m->hX, *g = w->trend, *res = w->res;
	const double *dk = w->dg_dk, *dm = w->dg_dm;
	double *G = w->G0, *Jr = w->c, *kE = w->sum_v, *mE = w->sum_uv, *dM = w->dgam;

	memset(Jr, 0, P * sizeof *Jr);
	if (want_gram)
		memset(G, 0, P * P * sizeof *G);
	columns_gram(m, w, want_gram);
	while (start < T) {
		size_t end = start;
		double kk = 0, km = 0, mm = 0, kr = 0, mr = 0;

		while (cp < S && t[start] >= m->t_change[cp])
			cp++;
		while (end < T && (cp == S || t[end] < m->t_change[cp]))
			end++;
		if (want_gram) {
			memset(kE, 0, K * sizeof *kE);
			memset(mE, 0, K * sizeof *mE);
		}
		for (size_t i = start; i < end; i++) {
			double a = dk[i], b = dm[i];
			kr += a * res[i];
			mr += b * res[i];
			if (!want_gram)
				continue;
			const double *x = X + i * K;
			double ag = a * g[i], bg = b * g[i];
			kk += a * a;
			km += a * b;
			mm += b * b;
			for (size_t k = 0; k < w->n_m; k++) {
				size_t c = w->cols_m[k];
				kE[c] += ag * x[c];
				mE[c] += bg * x[c];
			}
			for (size_t k = 0; k < w->n_a; k++) {
				size_t c = w->cols_a[k];
				kE[c] += a * x[c];
				mE[c] += b * x[c];
			}
		}
		const double *dK = w->dks + cp * Q, *dG = w->dGam + cp * Q;
		for (size_t q = 0; q < Q; q++)
			dM[q] = (q == 1) + dG[q];
		for (size_t q = 0; q < Q; q++) {
			Jr[q] += dK[q] * kr + dM[q] * mr;
			if (!want_gram)
				continue;
			double *Gq = G + q * P;
			for (size_t q2 = q; q2 < Q; q2++)
				Gq[q2] += dK[q] * dK[q2] * kk + (dK[q] * dM[q2] + dM[q] * dK[q2]) * km +
					  dM[q] * dM[q2] * mm;
			for (size_t c = 0; c < K; c++)
				Gq[Q + c] += dK[q] * kE[c] + dM[q] * mE[c];
		}
		start = end;
	}
	if (want_gram)
		for (size_t a = 0; a < P; a++)
			for (size_t b = 0; b < a; b++)
				G[a * P + b] = G[b * P + a];
}

static int ws_alloc(struct fit_ws *w, const struct ts_prophet_model *m, size_t T, size_t P,
		    size_t S)
{
	size_t Q = 2 + S, K = m->K;
	bool logistic = m->opts.growth == TS_PROPHET_LOGISTIC, linear = !logistic;

	memset(w, 0, sizeof *w);
	w->T = T;
	w->P = P;
	w->mu = ts_mallocarray(T + 1, sizeof *w->mu);
	w->res = ts_mallocarray(T + 1, sizeof *w->res);
	w->H = ts_mallocarray(P * P, sizeof *w->H);
	w->c = ts_mallocarray(P, sizeof *w->c);
	w->g = ts_mallocarray(P, sizeof *w->g);
	w->theta = ts_mallocarray(P, sizeof *w->theta);
	w->cand = ts_mallocarray(P, sizeof *w->cand);
	w->lam = ts_calloc(P, sizeof *w->lam);
	w->ridge = ts_calloc(P, sizeof *w->ridge);
	w->chol = ts_mallocarray(P * P, sizeof *w->chol);
	w->rhs = ts_mallocarray(P, sizeof *w->rhs);
	w->sol = ts_mallocarray(P, sizeof *w->sol);
	w->free_idx = ts_mallocarray(P, sizeof *w->free_idx);
	w->chol_idx = ts_mallocarray(P, sizeof *w->chol_idx);
	w->chol_n = 0;
	w->gamma = ts_mallocarray(S + 1, sizeof *w->gamma);
	w->dks = ts_mallocarray((S + 1) * Q, sizeof *w->dks);
	w->dGam = ts_mallocarray((S + 1) * Q, sizeof *w->dGam);
	w->dgam = ts_mallocarray(Q, sizeof *w->dgam);
	w->G0 = ts_mallocarray(P * P, sizeof *w->G0);
	w->Jy0 = ts_mallocarray(P, sizeof *w->Jy0);
	w->ramp_sq = ts_mallocarray(S + 1, sizeof *w->ramp_sq);
	w->ramp_one = ts_mallocarray(S + 1, sizeof *w->ramp_one);
	w->sum_v = ts_mallocarray(P, sizeof *w->sum_v);
	w->sum_uv = ts_mallocarray(P, sizeof *w->sum_uv);
	w->cols_m = ts_mallocarray(P, sizeof *w->cols_m);
	w->cols_a = ts_mallocarray(P, sizeof *w->cols_a);
	if (!w->cols_m || !w->cols_a || !w->chol_idx)
		return TS_ENOMEM;
	for (size_t c = 0; c < K; c++)
		linear = linear && !m->mult[c];
	if (!linear) {
		/* what J is made of; harm_width <= K + nseasons: two columns
		 * or more a seasonality */
		w->E = ts_mallocarray(T * K + 1, sizeof *w->E);
		w->factor = ts_mallocarray(T + 1, sizeof *w->factor);
		w->trend = ts_mallocarray(T + 1, sizeof *w->trend);
		w->harm = ts_mallocarray(T * (K + m->nseasons) + 1, sizeof *w->harm);
		w->direct_from = ts_mallocarray(K + 1, sizeof *w->direct_from);
		w->cos_sum = ts_mallocarray(K + 1, sizeof *w->cos_sum);
		w->sin_sum = ts_mallocarray(K + 1, sizeof *w->sin_sum);
		if (!w->E || !w->factor || !w->trend || !w->harm || !w->direct_from ||
		    !w->cos_sum || !w->sin_sum)
			return TS_ENOMEM;
	}
	if (logistic) {
		w->dg_dk = ts_mallocarray(T + 1, sizeof *w->dg_dk);
		w->dg_dm = ts_mallocarray(T + 1, sizeof *w->dg_dm);
		if (!w->dg_dk || !w->dg_dm)
			return TS_ENOMEM;
	}
	if (!w->ramp_sq || !w->ramp_one || !w->sum_v || !w->sum_uv)
		return TS_ENOMEM;
	if (!w->mu || !w->res || !w->H || !w->c || !w->g || !w->theta || !w->cand ||
	    !w->lam || !w->ridge || !w->chol || !w->rhs || !w->sol || !w->free_idx || !w->gamma ||
	    !w->dks || !w->dGam || !w->dgam || !w->G0 || !w->Jy0)
		return TS_ENOMEM;
	return 0;
}

static void ws_free(struct fit_ws *w)
{
	TS_FREE_ALL(w->E, w->mu, w->res, w->H, w->c, w->g, w->theta, w->cand, w->lam, w->ridge,
		    w->chol, w->rhs, w->sol, w->free_idx, w->gamma, w->dks, w->dGam, w->dgam,
		    w->G0, w->Jy0, w->ramp_sq, w->ramp_one, w->sum_v, w->sum_uv, w->factor, w->trend,
		    w->cols_m, w->cols_a, w->chol_idx, w->harm, w->direct_from, w->cos_sum, w->sin_sum,
		    w->dg_dk, w->dg_dm);
}

/* Maximise the log posterior. Each step linearises mu at theta (exact for
 * linear and flat growth with additive terms) and solves the resulting
 * lasso/ridge problem for the current sigma exactly, with Levenberg-Marquardt
 * damping when the model is not linear; sigma then takes its closed-form
 * optimum. The objective decreases monotonically and the iteration stops when
 * it no longer moves in the 15th digit. */
static int map_fit(struct ts_prophet_model *m, struct fit_ws *w)
{
	size_t P = w->P, S = m->S;
	bool linear = m->opts.growth != TS_PROPHET_LOGISTIC;
	double sigma = NAN, f, damp = 0, h_wgt = 0;
	int small = 0, stale = 0;

	for (size_t c = 0; c < m->K; c++)
		if (m->mult[c])
			linear = false;
	for (size_t j = 0; j < P; j++) {
		w->lam[j] = 0;
		w->ridge[j] = 0;
	}
	w->ridge[0] = w->ridge[1] = 1.0 / 25;
	for (size_t j = 0; j < S; j++)
		w->lam[2 + j] = 1 / m->opts.changepoint_prior_scale;
	for (size_t c = 0; c < m->K; c++)
		w->ridge[2 + S + c] = 1 / (m->prior[c] * m->prior[c]);

	w->additive = true;
	for (size_t c = 0; c < m->K; c++)
		if (m->mult[c])
			w->additive = false;
	w->separable = m->opts.growth != TS_PROPHET_LOGISTIC;
	if (!linear)
		fourier_setup(m, w);
	w->n_m = w->n_a = 0;
	for (size_t c = 0; c < m->K; c++) {
		if (m->mult[c])
			w->cols_m[w->n_m++] = c;
		else
			w->cols_a[w->n_a++] = c;
	}
	/* a linear model needs J only through J'J and J'y */
	model_eval(m, w, w->theta, !linear);
	f = neg_logpost(m, w, w->theta, &sigma);
	if (linear)
		linear_gram(m, w);
	for (size_t it = 0; it < 2000; it++) {
		double wgt = 1 / (sigma * sigma);
		bool new_h = true;
		m->iterations = it + 1;
		if (linear) {
			for (size_t a = 0; a < P * P; a++)
				w->H[a] = wgt * w->G0[a];
			for (size_t j = 0; j < P; j++)
				w->c[j] = wgt * w->Jy0[j];
		} else {
			/* J'J changes little once near the optimum: it is renewed on
			 * the first steps, after a rejected step and every fourth
			 * step, and H with it, at that step's sigma (a chord method:
			 * the fixed point is still the exact optimum, as c below
			 * uses the same H; lasso_qp then keeps its factor) */
			bool renew = it < 2 || damp > 0 || stale >= 3;
			stale = renew ? 0 : stale + 1;
			/* c = w J'(r + J theta) = w J'r + (w J'J) theta */
			if (w->separable)
				separable_gram(m, w, renew);
			else
				logistic_gram(m, w, renew);
			if (renew) {
				h_wgt = wgt;
				for (size_t a = 0; a < P * P; a++)
					w->H[a] = wgt * w->G0[a];
			}
			for (size_t j = 0; j < P; j++)
				w->c[j] *= wgt;
			/* + (h_wgt J'J) theta: H without its diagonal additions */
			for (size_t j = 0; j < P; j++) {
				double s = 0;
				for (size_t l = 0; l < P; l++)
					s += w->G0[j * P + l] * w->theta[l];
				w->c[j] += h_wgt * s;
			}
			new_h = renew;
		}
		if (new_h) {
			w->chol_n = 0;	/* lasso_qp's factor is not of this H */
			for (size_t j = 0; j < P; j++) {
				w->H[j * P + j] += w->ridge[j];
				if (damp > 0) {
					double dj = damp * (w->H[j * P + j] > 0 ? w->H[j * P + j] : 1);
					w->H[j * P + j] += dj;
					w->c[j] += dj * w->theta[j];
				}
			}
		}
		memcpy(w->cand, w->theta, P * sizeof *w->cand);
		lasso_qp(w, P, w->H, w->c, w->cand);
		/* separable_mu keeps what J is made of, at cand: a step taken
		 * needs no evaluation at the new theta */
		model_eval(m, w, w->cand, false);
		double s_new = NAN, f_new = neg_logpost(m, w, w->cand, &s_new);
		if (!isnan(f_new) && f_new > f && f_new - f <= 1e-12 * (1 + fabs(f))) {
			/* no step lowers f beyond rounding: converged */
			if (linear)
				break;
			model_eval(m, w, w->theta, true);
			double s_old = NAN;
			(void)neg_logpost(m, w, w->theta, &s_old);
			break;
		}
		if (!(f_new <= f) || isnan(f_new)) {
			if (linear)
				break;	/* the exact step did not improve: converged to rounding */
			/* restore mu/res at theta */
			model_eval(m, w, w->theta, true);
			double s_old = NAN;
			f = neg_logpost(m, w, w->theta, &s_old);
			damp = damp == 0 ? 1e-6 : damp * 10;
			if (damp > 1e12)
				break;
			continue;
		}
		double maxstep = 0;
		for (size_t j = 0; j < P; j++) {
			double d = fabs(w->cand[j] - w->theta[j]);
			if (d > maxstep)
				maxstep = d;
		}
		memcpy(w->theta, w->cand, P * sizeof *w->theta);
		double df = f - f_new;
		f = f_new;
		sigma = s_new;
		if (!linear) {
			if (!w->separable) {
				model_eval(m, w, w->theta, true);
				double s_chk = sigma;
				(void)neg_logpost(m, w, w->theta, &s_chk);
			}
			damp = damp / 10 < 1e-9 ? 0 : damp / 10;
		}
		/* sigma's closed form alternates with the steps, so convergence
		 * is linear: stop when two steps in a row move f by less than
		 * 1e-14 of itself */
		if (df <= 1e-14 * (1 + fabs(f)) && maxstep < 1e-6)
			small++;
		else
			small = 0;
		if (small >= 2)
			break;
	}
	unpack(m, w->theta, &m->p);
	m->p.sigma = sigma;
	return 0;
}

/* ---- fit --------------------------------------------------------------- */

int ts_prophet_fit(const struct ts_prophet_data *d, const struct ts_prophet_opts *o,
		   struct ts_prophet_model *m, struct ts_err *err)
{
	size_t *hist = NULL, T = 0;
	struct hol_key *keys = NULL;
	double *name_prior = NULL;
	size_t nkeys = 0;
	struct fit_ws w;
	int rc;

	ts_gsl_errors_off();
	memset(m, 0, sizeof *m);
	memset(&w, 0, sizeof w);
	m->opts = *o;
	if (!(o->changepoint_range > 0 && o->changepoint_range <= 1))
		return ts_err_set(err, TS_EUSAGE, "changepoint range must be in (0, 1]");
	if (!(o->changepoint_prior_scale > 0) || !(o->seasonality_prior_scale > 0) ||
	    !(o->holidays_prior_scale > 0))
		return ts_err_set(err, TS_EUSAGE, "prior scales must be positive");
	if (o->growth == TS_PROPHET_LOGISTIC && d->cap == NULL)
		return ts_err_set(err, TS_EDATA, "logistic growth needs a cap column");
	hist = ts_mallocarray(d->n + 1, sizeof *hist);
	if (hist == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < d->n; i++)
		if (!isnan(d->y[i]))
			hist[T++] = i;
	if (T == 0) {
		free(hist);
		return ts_err_set(err, TS_EDATA, "no values to fit");
	}
	if (T < 2) {
		free(hist);
		return ts_err_set(err, TS_EDATA, "fewer than two points with a value");
	}
	for (size_t i = 0; i < T; i++)
		if (isinf(d->y[hist[i]])) {
			free(hist);
			return ts_err_set(err, TS_EDATA, "infinite value");
		}
	m->T = T;
	m->logistic_floor = o->growth == TS_PROPHET_LOGISTIC && d->floor != NULL;
	if (o->growth == TS_PROPHET_LOGISTIC)
		for (size_t i = 0; i < d->n; i++) {
			double fl = m->logistic_floor ? d->floor[i] : 0;
			if (!(d->cap[i] > fl)) {
				free(hist);
				return ts_err_set(err, TS_EDATA, "cap must be greater than floor");
			}
		}
	/* scales */
	double ymax = 0, ymin = INFINITY, ymx = -INFINITY;
	for (size_t i = 0; i < T; i++) {
		double fl = m->logistic_floor ? d->floor[hist[i]] : 0;
		double v = fabs(d->y[hist[i]] - fl);
		if (v > ymax)
			ymax = v;
		if (d->y[hist[i]] < ymin)
			ymin = d->y[hist[i]];
		if (d->y[hist[i]] > ymx)
			ymx = d->y[hist[i]];
	}
	m->y_scale = ymax == 0 ? 1 : ymax;
	m->t_start = d->t[hist[0]];
	m->t_scale = d->t[hist[T - 1]] - m->t_start;
	if (!(m->t_scale > 0)) {
		free(hist);
		return ts_err_set(err, TS_EDATA, "all points have the same time");
	}
	/* seasonalities */
	double min_dt = INFINITY;
	for (size_t i = 1; i < T; i++) {
		double dt = d->t[hist[i]] - d->t[hist[i - 1]];
		if (dt > 0 && dt < min_dt)
			min_dt = dt;
	}
	m->seasons = ts_calloc(3 + o->nseasons, sizeof *m->seasons);
	if (m->seasons == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto fail;
	}
	auto_seasonalities(m, m->t_scale / 86400.0, min_dt / 86400.0);
	if ((rc = resolve_conditions(m, d, err)) != 0)
		goto fail;
	for (size_t j = 0; j < o->nconditions; j++)
		if (d->cond != NULL && d->cond[j] != NULL && bad_condition_row(d->cond[j], d->n) < d->n) {
			rc = ts_err_set(err, TS_EDATA, "condition \"%s\" has a missing value",
					o->conditions[j]);
			goto fail;
		}
	if ((rc = setup_holidays(m, &keys, &nkeys, &name_prior, err)) != 0)
		goto fail;
	if ((rc = lay_out_columns(m, d, hist, T, keys, nkeys, name_prior, err)) != 0)
		goto fail;
	if (setup_components(m) != 0) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto fail;
	}
	/* history design */
	size_t K = m->K;
	m->ht = ts_mallocarray(T, sizeof *m->ht);
	m->hy = ts_mallocarray(T, sizeof *m->hy);
	m->hcap = o->growth == TS_PROPHET_LOGISTIC ? ts_mallocarray(T, sizeof *m->hcap) : NULL;
	m->hX = ts_mallocarray(T * K + 1, sizeof *m->hX);
	if (m->ht == NULL || m->hy == NULL || m->hX == NULL ||
	    (o->growth == TS_PROPHET_LOGISTIC && m->hcap == NULL)) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < T; i++) {
		size_t r = hist[i];
		double fl = m->logistic_floor ? d->floor[r] : 0;
		m->ht[i] = (d->t[r] - m->t_start) / m->t_scale;
		m->hy[i] = (d->y[r] - fl) / m->y_scale;
		if (m->hcap)
			m->hcap[i] = (d->cap[r] - fl) / m->y_scale;
		feature_row(m, d, r, m->hX + i * K);
	}
	/* changepoints */
	size_t hist_size = (size_t)floor((double)T * o->changepoint_range);
	long ncp = o->n_changepoints;
	if (ncp + 1 > (long)hist_size)
		ncp = (long)hist_size - 1;
	if (ncp > 0) {
		double step = (double)(hist_size - 1) / (double)ncp;
		m->S = (size_t)ncp;
		m->t_change = ts_mallocarray(m->S, sizeof *m->t_change);
		if (m->t_change == NULL) {
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto fail;
		}
		for (size_t j = 1; j <= m->S; j++) {
			double v = j == m->S ? (double)(hist_size - 1) : (double)j * step;
			m->t_change[j - 1] = m->ht[(size_t)nearbyint(v)];
		}
		qsort(m->t_change, m->S, sizeof *m->t_change, ts_cmp_double);
	} else {
		m->S = 1;
		m->dummy_changepoint = true;
		m->t_change = ts_calloc(1, sizeof *m->t_change);
		if (m->t_change == NULL) {
			rc = ts_err_set(err, TS_ENOMEM, "out of memory");
			goto fail;
		}
	}
	m->p.delta = ts_calloc(m->S, sizeof *m->p.delta);
	m->p.beta = ts_calloc(K + 1, sizeof *m->p.beta);
	if (m->p.delta == NULL || m->p.beta == NULL ||
	    ws_alloc(&w, m, T, 2 + m->S + K, m->S) != 0) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto fail;
	}
	/* Prophet's initial values */
	double k0, m0;
	if (o->growth == TS_PROPHET_FLAT) {
		double s = 0;
		for (size_t i = 0; i < T; i++)
			s += m->hy[i];
		k0 = 0;
		m0 = s / (double)T;
	} else if (o->growth == TS_PROPHET_LINEAR) {
		k0 = (m->hy[T - 1] - m->hy[0]) / (m->ht[T - 1] - m->ht[0]);
		m0 = m->hy[0] - k0 * m->ht[0];
	} else {
		double C0 = m->hcap[0], C1 = m->hcap[T - 1];
		double y0 = fmax(0.01 * C0, fmin(0.99 * C0, m->hy[0]));
		double y1 = fmax(0.01 * C1, fmin(0.99 * C1, m->hy[T - 1]));
		double r0 = C0 / y0, r1 = C1 / y1, dT = m->ht[T - 1] - m->ht[0];
		if (fabs(r0 - r1) <= 0.01)
			r0 *= 1.05;
		double L0 = log(r0 - 1), L1 = log(r1 - 1);
		m0 = L0 * dT / (L0 - L1);
		k0 = (L0 - L1) / dT;
	}
	memset(w.theta, 0, w.P * sizeof *w.theta);
	w.theta[0] = k0;
	w.theta[1] = m0;
	if (ymin == ymx && o->growth != TS_PROPHET_LOGISTIC) {
		/* Prophet's rule: a constant series is not fitted. */
		m->constant = true;
		unpack(m, w.theta, &m->p);
		m->p.sigma = 1e-9;
	} else {
		map_fit(m, &w);
	}
	if (m->dummy_changepoint) {
		m->p.k += m->p.delta[0];
		m->p.delta[0] = 0;
	}
	ws_free(&w);
	free(keys);
	free(name_prior);
	m->hrow = hist;	/* kept: the prediction reuses these rows' features */
	return 0;
fail:
	ws_free(&w);
	free(keys);
	free(name_prior);
	free(hist);
	ts_prophet_free(m);
	return rc;
}

/* ---- prediction -------------------------------------------------------- */

/* Type-7 quantiles (numpy's linear) q[0] <= q[1] of a[0..n) into out; a is
 * reordered. The second selection runs on what lies above the first's. */
static void quantile7_pair(double *a, size_t n, const double q[2], double *out)
{
	size_t from = 0;

	for (int k = 0; k < 2; k++) {
		double h = (double)(n - 1) * q[k];
		size_t lo = (size_t)floor(h);
		double x[2];
		if (lo < from)
			from = 0;	/* q[1] < q[0]: select on everything */
		ts_select_pair(a + from, n - from, lo - from, x);
		out[k] = x[0] + (h - (double)lo) * (x[1] - x[0]);
		from = lo;
	}
}

#define QSAMPLE 64	/* draws that guess where the quantiles lie */
#define QMARGIN 8	/* sample ranks beyond the guess: > 2.5 standard errors */

/* Type-7 quantiles q[0] <= q[1] of the iid draws a[0..n) into out, exactly.
 * Each depends on the order statistics of ranks j and j + 1 (from 0). Those
 * of a quantile below the median are among the values at or below an edge
 * that QSAMPLE of the draws place above rank j + 1 with a margin; those of
 * one above the median among the values at or above an edge placed below
 * rank j (Floyd and Rivest's idea, one-sided). One pass copies each side's
 * values to window[k] (room for n), and the order statistics are selected
 * among the few copied. When an edge misses, plain selection. a is
 * reordered. */
static void sample_quantiles(double *a, size_t n, const double q[2], double *out,
			     double *window[2])
{
	double smp[QSAMPLE], edge[2], h[2];
	size_t j[2], inside[2] = { 0, 0 };
	bool upper[2];

	if (n < 4 * QSAMPLE || !(q[0] <= q[1])) {
		quantile7_pair(a, n, q, out);
		return;
	}
	memcpy(smp, a, sizeof smp);
	for (int k = 0; k < 2; k++) {
		h[k] = (double)(n - 1) * q[k];
		j[k] = (size_t)floor(h[k]);
		upper[k] = q[k] > 0.5;
		/* the sample's c-th smallest has about (c + 1) / (QSAMPLE + 1) of
		 * the draws at or below it */
		double per_sample = (double)(QSAMPLE + 1) / (double)n;
		double c = upper[k] ? floor((double)j[k] * per_sample) - 1 - QMARGIN
				    : ceil((double)(j[k] + 2) * per_sample) - 1 + QMARGIN;
		if (c < 0)
			edge[k] = -INFINITY;
		else if (c >= QSAMPLE)
			edge[k] = INFINITY;
		else
			edge[k] = ts_select(smp, QSAMPLE, (size_t)c);
	}
	double *w0 = window[0], *w1 = window[1], e0 = edge[0], e1 = edge[1];
	if (!upper[0] && upper[1]) {
		/* the usual band: the low side of q[0], the high side of q[1] */
		for (size_t i = 0; i < n; i++) {
			/* branch-free: the data are random, so branches mispredict */
			double v = a[i];
			w0[inside[0]] = v;
			inside[0] += v <= e0;
			w1[inside[1]] = v;
			inside[1] += v >= e1;
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			double v = a[i];
			w0[inside[0]] = v;
			inside[0] += upper[0] ? v >= e0 : v <= e0;
			w1[inside[1]] = v;
			inside[1] += upper[1] ? v >= e1 : v <= e1;
		}
	}
	for (int k = 0; k < 2; k++) {
		/* window k holds ranks [0, inside) or [n - inside, n) */
		size_t j1 = j[k] + 1 < n ? j[k] + 1 : j[k];
		size_t first = upper[k] ? n - inside[k] : 0;
		if (j[k] < first || j1 >= first + inside[k]) {
			quantile7_pair(a, n, q, out);
			return;
		}
	}
	for (int k = 0; k < 2; k++) {
		double x[2];
		size_t first = upper[k] ? n - inside[k] : 0;
		ts_select_pair(window[k], inside[k], j[k] - first, x);
		out[k] = x[0] + (h[k] - (double)j[k]) * (x[1] - x[0]);
	}
}

/* The ranks (from 1) of the order statistics the type-7 quantiles q[0],
 * q[1] of n draws interpolate between, each once and ascending. */
struct noise_ranks {
	size_t n, count, rank[4], j[2];
	double h[2];
};

static void noise_ranks_of(size_t n, const double q[2], struct noise_ranks *nr)
{
	nr->n = n;
	nr->count = 0;
	for (int k = 0; k < 2; k++) {
		nr->h[k] = (double)(n - 1) * q[k];
		nr->j[k] = (size_t)floor(nr->h[k]);
	}
	/* the pairs (j + 1, j + 2) of both quantiles that exist, sorted, once */
	size_t want[4] = { nr->j[0] + 1, nr->j[0] + 2, nr->j[1] + 1, nr->j[1] + 2 };
	for (int a = 0; a < 4; a++) {
		size_t r = want[a], at = nr->count;
		bool seen = r > n;
		for (size_t b = 0; b < nr->count; b++)
			seen |= nr->rank[b] == r;
		if (seen)
			continue;
		while (at > 0 && nr->rank[at - 1] > r) {
			nr->rank[at] = nr->rank[at - 1];
			at--;
		}
		nr->rank[at] = r;
		nr->count++;
	}
}

/* The type-7 quantiles of n draws centre + scale * N(0, 1), into out[0],
 * out[1]. They depend on four order statistics of the n draws only, so
 * those are drawn directly, from the same joint distribution as sorting n
 * draws would give: the uniform order statistics are U(r) = S(r) / S(n + 1)
 * with S(r) the sum of r iid exponentials, so the sums between the wanted
 * ranks are gamma draws (shape: the rank gap), and the normal ones are the
 * inverse CDF of U. O(1) per row instead of O(n). */
static void noise_quantiles(struct ts_rng *rng, const struct noise_ranks *nr, double centre,
			    double scale, double *out)
{
	double sum[4], value[4], total;
	size_t prev_rank = 0;

	total = 0;
	for (size_t a = 0; a < nr->count; a++) {
		total += ts_rng_gamma(rng, (double)(nr->rank[a] - prev_rank));
		sum[a] = total;
		prev_rank = nr->rank[a];
	}
	total += ts_rng_gamma(rng, (double)(nr->n + 1 - prev_rank));
	for (size_t a = 0; a < nr->count; a++)
		value[a] = centre + scale * gsl_cdf_ugaussian_Pinv(sum[a] / total);
	for (int k = 0; k < 2; k++) {
		double x0 = NAN, x1 = NAN;
		for (size_t a = 0; a < nr->count; a++) {
			if (nr->rank[a] == nr->j[k] + 1)
				x0 = value[a];
			if (nr->rank[a] == nr->j[k] + 2)
				x1 = value[a];
		}
		out[k] = isnan(x1) ? x0 : x0 + (nr->h[k] - (double)nr->j[k]) * (x1 - x0);
	}
}

/* The simulated future trend paths. A change c drawn at a step enters the
 * slope as c / 2 there and c / 2 at the next step (the average of the two
 * steps' changes); per sample, the half still due, the slope and the level
 * (linear) or the last and this step's change, the rate and the offset
 * (logistic); per future step, a list of the samples whose slope changes
 * at it; and the samples whose half is due at the next step. */
struct trend_paths {
	double *due, *slope, *level;
	double *prev, *change, *k, *off;
	size_t *first;		/* [nf]: the first sample changing at a step, or SIZE_MAX */
	size_t *then;		/* [ns]: the next sample changing at the same step */
	size_t *owed, nowed;	/* [ns]: the samples that changed at the last step */
};

/* Put sample s on the list of the step `gap` steps after `step`, if any. */
static void schedule_change(struct trend_paths *path, size_t s, size_t step, double gap, size_t nf)
{
	if (gap < (double)(nf - step)) {
		size_t at = step + (size_t)gap;
		path->then[s] = path->first[at];
		path->first[at] = s;
	}
}

/* The draws of a linear trend's row before the noise: each path's level
 * takes a step of its slope and, scaled by gain, joins yhat. */
static void linear_step(size_t ns, const double *restrict slope, double *restrict level,
			double centre, double gain, double *restrict draw)
{
	for (size_t s = 0; s < ns; s++) {
		level[s] += slope[s];
		draw[s] = centre + level[s] * gain;
	}
}

/* yhat_lower/yhat_upper of every row: rows up to t = 1 carry observation
 * noise only (their quantiles are drawn directly); later rows add a simulated
 * trend. Future trend: the slope changes at each future step with probability
 * S * dt by Laplace(0, mean|delta| + 1e-8), averaged with the previous step's
 * change, summed twice and scaled by dt (Prophet's _make_trend_shift_matrix
 * and _sample_uncertainty); a flat trend has no changes. The paths advance
 * together, a step at a time; the steps between a path's changes are
 * geometric, drawn once per change. Kept out of line: GCC inlines it (called
 * once) into ts_prophet_predict, where it then takes 5 M instructions more
 * per 100 hourly series. */
static __attribute__((noinline)) int
intervals(const struct ts_prophet_model *m, const struct ts_prophet_data *d, const double *gamma,
	  const double *yhat, const double *xm_all, double *lower, double *upper, struct ts_err *err)
{
	size_t n = d->n, ns = m->opts.samples, nf = 0, first_future = n;
	double q[2] = { (1 - m->opts.interval_width) / 2, (1 + m->opts.interval_width) / 2 };
	double noise = m->p.sigma * m->y_scale, dt, lambda = 1e-8, likelihood, log_miss;
	struct noise_ranks ranks;
	struct ts_rng rng;

	ts_rng_seed(&rng, m->opts.seed);
	noise_ranks_of(ns, q, &ranks);
	for (size_t i = 0; i < n; i++) {
		if ((d->t[i] - m->t_start) / m->t_scale > 1) {
			if (first_future == n)
				first_future = i;
			nf++;
			continue;
		}
		double qv[2];
		noise_quantiles(&rng, &ranks, yhat[i], noise, qv);
		lower[i] = qv[0];
		upper[i] = qv[1];
	}
	if (nf == 0)
		return 0;
	double *work = ts_mallocarray(ns, 10 * sizeof *work);
	size_t *lists = ts_mallocarray(2 * ns + nf, sizeof *lists);
	if (work == NULL || lists == NULL) {
		TS_FREE_ALL(work, lists);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	/* future rows are the rows after t = 1; they are sorted, so contiguous */
	if (nf > 1)
		dt = ((d->t[n - 1] - d->t[first_future]) / m->t_scale) / (double)(nf - 1);
	else
		dt = 1.0 / (double)(m->T - 1);
	for (size_t j = 0; j < m->S; j++)
		lambda += fabs(m->p.delta[j]) / (double)m->S;
	likelihood = (double)m->S * dt;
	log_miss = likelihood < 1 ? log1p(-likelihood) : -INFINITY;

	double *draw = work, *window[2] = { work + ns, work + 2 * ns };
	struct trend_paths path = {
		.due = work + 3 * ns, .slope = work + 4 * ns, .level = work + 5 * ns,
		.prev = work + 6 * ns, .change = work + 7 * ns, .k = work + 8 * ns,
		.off = work + 9 * ns, .first = lists, .then = lists + nf,
		.owed = lists + nf + ns, .nowed = 0,
	};
	double k0 = m->p.k, off0 = m->p.m;
	if (m->opts.growth == TS_PROPHET_LOGISTIC)
		for (size_t j = 0; j < m->S; j++) {
			k0 += m->p.delta[j];
			off0 += gamma[j];
		}
	for (size_t step = 0; step < nf; step++)
		path.first[step] = SIZE_MAX;
	for (size_t s = 0; s < ns; s++) {
		path.due[s] = path.slope[s] = path.level[s] = 0;
		path.prev[s] = path.change[s] = 0;
		path.k[s] = k0;
		path.off[s] = off0;
		if (m->opts.growth != TS_PROPHET_FLAT)
			schedule_change(&path, s, 0, ts_rng_geometric(&rng, log_miss), nf);
	}
	for (size_t step = 0; step < nf; step++) {
		size_t i = first_future + step;
		double ts = (d->t[i] - m->t_start) / m->t_scale, qv[2];
		double to_data = m->y_scale * (1 + xm_all[i]);
		for (size_t o = 0; o < path.nowed; o++) {
			size_t s = path.owed[o];
			path.slope[s] += path.due[s];
		}
		path.nowed = 0;
		for (size_t s = path.first[step], then; s != SIZE_MAX; s = then) {
			then = path.then[s];	/* before s moves to a later list */
			double change = ts_rng_laplace(&rng, lambda);
			path.change[s] = change;
			path.due[s] = change / 2;
			path.slope[s] += change / 2;
			path.owed[path.nowed++] = s;
			schedule_change(&path, s, step + 1, ts_rng_geometric(&rng, log_miss), nf);
		}
		if (m->opts.growth == TS_PROPHET_LINEAR) {
			linear_step(ns, path.slope, path.level, yhat[i], dt * to_data, draw);
		} else if (m->opts.growth == TS_PROPHET_LOGISTIC) {
			double fl = m->logistic_floor ? d->floor[i] : 0;
			double cap = (d->cap[i] - fl) / m->y_scale, mean = 0;
			for (size_t s = 0; s < ns; s++) {
				double avg = (path.prev[s] + path.change[s]) / 2;
				path.prev[s] = path.change[s];
				path.change[s] = 0;
				if (avg != 0) {
					double next_k = path.k[s] + avg;
					path.off[s] += (ts - path.off[s]) * (1 - path.k[s] / next_k);
					path.k[s] = next_k;
				}
				draw[s] = cap / (1 + exp(-path.k[s] * (ts - path.off[s])));
				mean += draw[s];
			}
			/* logistic paths are centred on their mean, in the data's scale */
			mean /= (double)ns;
			for (size_t s = 0; s < ns; s++)
				draw[s] = yhat[i] + (draw[s] - mean) * to_data;
		} else {
			for (size_t s = 0; s < ns; s++)
				draw[s] = yhat[i];
		}
		/* and the observation noise of every path */
		ts_rng_normals_add(&rng, noise, draw, ns);
		sample_quantiles(draw, ns, q, qv, window);
		lower[i] = qv[0];
		upper[i] = qv[1];
	}
	TS_FREE_ALL(work, lists);
	return 0;
}

int ts_prophet_predict(const struct ts_prophet_model *m, const struct ts_prophet_data *d,
		       double *yhat, double *trend, double *lower, double *upper, double *comp,
		       struct ts_err *err)
{
	size_t n = d->n, K = m->K;
	double *x = ts_mallocarray(K + 1, sizeof *x);
	double *gamma = ts_mallocarray(m->S + 1, sizeof *gamma);
	double *xm_all = ts_mallocarray(n + 1, sizeof *xm_all);
	int rc = 0;

	ts_gsl_errors_off();
	if (x == NULL || gamma == NULL || xm_all == NULL) {
		rc = ts_err_set(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	if (m->opts.growth == TS_PROPHET_LOGISTIC)
		logistic_gamma(m, &m->p, gamma);
	struct trend_walk walk;
	trend_walk_start(&m->p, &walk);
	size_t fitted = 0;	/* the next history point of the fit that may be row i */
	for (size_t i = 0; i < n; i++) {
		double ts = (d->t[i] - m->t_start) / m->t_scale;
		double fl = m->logistic_floor ? d->floor[i] : 0, cap = 0, xm = 0, xa = 0;

		if (m->opts.growth == TS_PROPHET_LOGISTIC) {
			if (isnan(d->cap[i]) || !(d->cap[i] > fl)) {
				rc = ts_err_set(err, TS_EDATA, "cap must be greater than floor");
				goto out;
			}
			cap = (d->cap[i] - fl) / m->y_scale;
		}
		for (size_t r = 0; r < m->opts.nregressors; r++)
			if (isnan(d->reg[r][i])) {
				rc = ts_err_set(err, TS_EDATA, "regressor \"%s\" has a missing value",
						m->opts.regressors[r].name);
				goto out;
			}
		for (size_t s = 0; s < m->nseasons; s++) {
			int cond = m->season_cond[s];
			if (cond >= 0 && d->cond[cond][i] != 0 && d->cond[cond][i] != 1) {
				rc = ts_err_set(err, TS_EDATA, "condition \"%s\" has a missing value",
						m->opts.conditions[cond]);
				goto out;
			}
		}
		while (d->rows_of_fit && fitted < m->T && m->hrow[fitted] < d->fit_first + i)
			fitted++;
		if (d->rows_of_fit && fitted < m->T && m->hrow[fitted] == d->fit_first + i)
			memcpy(x, m->hX + fitted * K, K * sizeof *x);
		else
			feature_row(m, d, i, x);
		double g = trend_walk_at(m, gamma, &walk, ts, cap);
		for (size_t c = 0; c < K; c++) {
			if (m->mult[c])
				xm += x[c] * m->p.beta[c];
			else
				xa += x[c] * m->p.beta[c];
		}
		double tr = g * m->y_scale + fl;
		xm_all[i] = xm;
		if (trend)
			trend[i] = tr;
		yhat[i] = tr * (1 + xm) + xa * m->y_scale;
		if (comp) {
			for (size_t k = 0; k < m->ncomp; k++)
				comp[k * n + i] = 0;
			for (size_t c = 0; c < K; c++) {
				int cc = m->col_comp[c];
				double v = x[c] * m->p.beta[c] * (m->mult[c] ? 1 : m->y_scale);
				size_t at;
				if (cc >= 0 && (size_t)cc < m->nseasons + m->nhol_names) {
					comp[(size_t)cc * n + i] += v;
					if ((size_t)cc >= m->nseasons)
						comp[(m->nseasons + m->nhol_names) * n + i] += v;
				} else {
					at = m->nseasons + m->nhol_names + (m->nhol_names > 0);
					if (m->mult[c]) {
						/* multiplicative regressors follow the additive ones */
						bool has_add = false;
						for (size_t e = 0; e < K; e++)
							if (m->col_comp[e] < 0 && !m->mult[e])
								has_add = true;
						at += has_add;
					}
					comp[at * n + i] += v;
				}
			}
		}
	}
	if (lower != NULL && upper != NULL && m->opts.samples > 0) {
		rc = intervals(m, d, gamma, yhat, xm_all, lower, upper, err);
	} else {
		/* without simulated paths there is no interval */
		for (size_t i = 0; i < d->n; i++) {
			if (lower != NULL)
				lower[i] = NAN;
			if (upper != NULL)
				upper[i] = NAN;
		}
	}
out:
	TS_FREE_ALL(x, gamma, xm_all);
	return rc;
}

/* ---- the common model interface ---------------------------------------- */

int ts_prophet_data_of(const struct ts_fc_series *s, const struct ts_prophet_opts *o, double *tsec,
		       const double **reg, struct ts_prophet_data *d, struct ts_err *err)
{
	if (s->ncols < 2 + o->nregressors + o->nconditions)
		return ts_err_set(err, TS_EUSAGE, "too many regressors");
	for (size_t i = 0; i < s->n; i++)
		tsec[i] = (double)(s->t[i] - s->t[0]) / 1e6;
	for (size_t j = 0; j < o->nregressors + o->nconditions; j++)
		reg[j] = s->cols[2 + j];
	memset(d, 0, sizeof *d);
	d->n = s->n;
	d->t = tsec;
	d->day = s->day;
	d->y = s->y;
	d->cap = s->cols[0];
	d->floor = s->cols[1];
	d->reg = reg;
	d->cond = reg + o->nregressors;
	return 0;
}

int ts_prophet_forecast(const void *cfg, const struct ts_fc_series *s, struct ts_fc_result *r,
			struct ts_err *err)
{
	const struct ts_prophet_opts *o = cfg;
	struct ts_prophet_model m;
	struct ts_prophet_data d, p;
	const double *reg[128];
	double *t = ts_mallocarray(s->n + 1, sizeof *t);
	size_t from = s->from < s->n ? s->from : s->n;
	int rc;

	if (t == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (o->nregressors + o->nconditions > 128) {
		free(t);
		return ts_err_set(err, TS_EUSAGE, "too many regressors");
	}
	if ((rc = ts_prophet_data_of(s, o, t, reg, &d, err)) != 0 ||
	    (rc = ts_prophet_fit(&d, o, &m, err)) != 0) {
		free(t);
		return rc;
	}
	/* predict rows [from, n) only */
	const double *preg[128];
	p = d;
	p.n = s->n - from;
	p.t = t + from;
	p.day = s->day + from;
	p.y = s->y + from;
	p.cap = d.cap ? d.cap + from : NULL;
	p.floor = d.floor ? d.floor + from : NULL;
	for (size_t j = 0; j < o->nregressors + o->nconditions; j++)
		preg[j] = reg[j] != NULL ? reg[j] + from : NULL;
	p.reg = preg;
	p.cond = preg + o->nregressors;
	p.rows_of_fit = true;
	p.fit_first = from;
	rc = ts_prophet_predict(&m, &p, r->yhat + from, NULL, r->lower ? r->lower + from : NULL,
				r->upper ? r->upper + from : NULL, from == 0 ? r->comp : NULL, err);
	ts_prophet_free(&m);
	free(t);
	return rc;
}

/* ---- the copy cross-validation refits ------------------------------------ */

size_t ts_prophet_copy_opts(const struct ts_prophet_opts *o, const struct ts_prophet_model *m,
			    struct ts_prophet_opts *out, struct ts_prophet_season *buf, size_t max)
{
	size_t n = 0;

	*out = *o;
	for (size_t s = 0; s < m->nseasons && n < max; s++) {
		bool added = false;
		for (size_t u = 0; u < o->nseasons && n < max; u++)
			if (strcmp(o->seasons[u].name, m->seasons[s].name) == 0) {
				buf[n++] = o->seasons[u];
				added = true;
			}
		if (!added) {
			buf[n] = m->seasons[s];
			buf[n].prior = 0;	/* follow seasonality_prior_scale */
			buf[n].mode = -1;	/* and seasonality_mode */
			n++;
		}
	}
	out->yearly = out->weekly = out->daily = TS_PROPHET_OFF;
	out->seasons = buf;
	out->nseasons = n;
	return n;
}
