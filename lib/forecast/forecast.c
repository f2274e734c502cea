/* SPDX-License-Identifier: GPL-3.0-or-later */
/* forecast: the registry of forecasting models that --model, auto, --cv and
 * --tune all read, and ts-forecast's run over a table's series. */
#include "forecast/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast/classical.h"
#include "io/csv.h"
#include "forecast/lagmodels.h"
#include "core/mem.h"
#include "forecast/msmodels.h"
#include "core/num.h"
#include "forecast/tune.h"

#define ROW(name, caps, settings, forecast, kernel, rank) \
	{ name, caps, settings, forecast, kernel, rank }
#define I TS_FC_INTERVALS
#define R TS_FC_REGULAR

const struct ts_fc_model ts_fc_models[] = {
	/* Prophet's model (Taylor & Letham 2018) */
	ROW("prophet", I | TS_FC_COMPONENTS | TS_FC_TUNABLE, TS_FC_PROPHET, ts_prophet_forecast,
	    NULL, 7),
	/* exponential smoothing state space model chosen by AICc (R forecast::ets) */
	ROW("ets", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_ets, 0),
	/* Holt-Winters filtering, additive or multiplicative (R HoltWinters) */
	ROW("holt-winters", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_holt_winters, 0),
	/* last value carried forward (R forecast::naive) */
	ROW("naive", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_naive, 0),
	/* value one season ago (R forecast::snaive) */
	ROW("snaive", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_snaive, 1),
	/* mean of the values one day and one week ago (seasonal naive per period) */
	ROW("msnaive", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_msnaive, 2),
	/* value one season ago plus an AR model of the seasonal differences */
	ROW("snaive-ar", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_snaive_ar, 3),
	/* last value of the seasonally adjusted series (M4's Naive2 benchmark) */
	ROW("naive2", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_naive2, 0),
	/* random walk with drift (R forecast::rwf, drift = TRUE) */
	ROW("drift", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_drift, 0),
	/* Theta method, the M4 benchmark (R forecast::thetaf) */
	ROW("theta", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_theta, 4),
	/* MSTL seasonally adjusted series forecast by ETS (R forecast::stlf) */
	ROW("mstl", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_mstl, 0),
	/* MSTL seasonally adjusted series forecast by an autoregression */
	ROW("mstl-ar", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_mstl_ar, 5),
	/* Fourier terms of each period by least squares, AR remainder (dynamic
	 * harmonic regression) */
	ROW("dhr", I | R, TS_FC_CLASSICAL, ts_classical_forecast, ts_fc_dhr, 6),
	/* per series, the best few of the candidates above by cross-validation
	 * (prophet only when given holidays, regressors, seasonalities or a cap) */
	ROW("auto", I, TS_FC_AUTO, ts_auto_forecast, NULL, 0),
	ROW(NULL, 0, TS_FC_CLASSICAL, NULL, NULL, 0)
};

#undef ROW
#undef I
#undef R

const struct ts_fc_model *ts_fc_model_find(const char *name)
{
	for (const struct ts_fc_model *p = ts_fc_models; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

void ts_fc_model_names(char *buf, size_t size)
{
	size_t off = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (const struct ts_fc_model *p = ts_fc_models; p->name != NULL && off < size; p++) {
		int n = snprintf(buf + off, size - off, "%s%s", p == ts_fc_models ? "" : ", ", p->name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

void ts_forecast_init(struct ts_forecast *f)
{
	memset(f, 0, sizeof *f);
	ts_prophet_opts_init(&f->popts);
	f->model = ts_fc_model_find("prophet");
	f->rolling_window = 0.1;
	f->metric = TS_M_MASE;
	f->popts.seasons = f->seasons;
	f->popts.regressors = f->regs;
	f->popts.conditions = f->cond_ptrs;
	for (size_t j = 0; j < TS_FORECAST_MAX_SEASONS; j++)
		f->cond_ptrs[j] = f->cond_names[j];
	f->cap_col = f->floor_col = TS_NO_COL;
}

/* The settings model m runs with. */
static const void *model_cfg(const struct ts_forecast *f, const struct ts_fc_model *m)
{
	switch (m->settings) {
	case TS_FC_PROPHET:
		return &f->popts;
	case TS_FC_AUTO:
		return &f->autocfg;
	case TS_FC_CLASSICAL:
		break;
	}
	return &f->classical;
}

/* Whether the run tells Prophet what the classical models cannot use:
 * holidays, regressors, added seasonalities or a logistic trend. Without it
 * Prophet cross-validates worse than the others on hourly and daily series
 * (scripts/bench-accuracy) and is no candidate of auto. */
static bool prophet_knows_more(const struct ts_prophet_opts *o)
{
	return o->nholidays > 0 || o->nregressors > 0 || o->nseasons > 0 ||
	       o->growth == TS_PROPHET_LOGISTIC;
}

void ts_forecast_setup(struct ts_forecast *f)
{
	size_t n = 0;

	f->classical.model = f->model;
	f->classical.level = f->popts.interval_width;
	f->classical.seed = f->popts.seed;
	/* auto's candidates, in their rank order */
	for (unsigned rank = 1; n < TS_FORECAST_MAX_AUTO; rank++) {
		const struct ts_fc_model *p = ts_fc_models;
		struct ts_auto_candidate *c = &f->auto_candidates[n];

		while (p->name != NULL && p->auto_rank != rank)
			p++;
		if (p->name == NULL)
			break;
		if (p->settings == TS_FC_PROPHET && !prophet_knows_more(&f->popts))
			continue;
		c->name = p->name;
		c->forecast = p->forecast;
		if (p->settings == TS_FC_PROPHET) {
			f->auto_popts = f->popts;
			f->auto_popts.samples = 0;
			c->cfg = &f->auto_popts;
			/* the forecast written has its band, as prophet's own */
			c->final_cfg = &f->popts;
		} else {
			f->auto_classical[n] = f->classical;
			f->auto_classical[n].model = p;
			/* auto's band rests on its candidates' own ones */
			f->auto_classical[n].raw_band = true;
			c->cfg = &f->auto_classical[n];
			c->final_cfg = NULL;
		}
		n++;
	}
	f->autocfg.candidates = f->auto_candidates;
	f->autocfg.ncandidates = n;
	f->autocfg.metric = f->metric;
	f->autocfg.owa = f->metric == TS_M_MASE;	/* the default: M4's OWA */
	f->autocfg.width = f->popts.interval_width;
	if (f->cv_rows)
		f->cv = true;
	f->store = f->components && !f->cv;
}

/* The columns the seasonalities' conditions name, each once; a condition
 * that is no column is the built-in weekend or weekday. */
static int condition_columns(struct ts_forecast *f, const struct ts_table *tab,
			     const struct ts_roles *roles, struct ts_err *err)
{
	size_t n = 0;

	for (size_t s = 0; s < f->popts.nseasons; s++) {
		const char *c = f->seasons[s].condition;
		size_t col = ts_table_column(tab, c), j;

		if (c[0] == '\0')
			continue;
		if (col == TS_NO_COL) {
			char list[200];
			if (strcmp(c, "weekend") == 0 || strcmp(c, "weekday") == 0)
				continue;
			ts_table_column_list(tab, list, sizeof list);
			return ts_err_set(err, TS_EDATA,
					  "--add-seasonality: %s: no condition column \"%s\" (columns: %s; built-in: weekend, weekday)",
					  f->seasons[s].name, c, list);
		}
		if (col == roles->value || col == roles->time)
			return ts_err_set(err, TS_EDATA,
					  "--add-seasonality: %s: condition \"%s\" is the time or value column",
					  f->seasons[s].name, c);
		for (j = 0; j < n; j++)
			if (f->cond_col[j] == col)
				break;
		if (j < n)
			continue;
		f->cond_col[n] = col;
		snprintf(f->cond_names[n], sizeof f->cond_names[n], "%s", c);
		n++;
	}
	f->popts.nconditions = n;
	/* auto took its copy of the settings before the columns were known */
	f->auto_popts.conditions = f->popts.conditions;
	f->auto_popts.nconditions = n;
	return 0;
}

int ts_forecast_columns(struct ts_forecast *f, const struct ts_table *tab,
			const struct ts_roles *roles, struct ts_err *err)
{
	f->cap_col = ts_table_column(tab, "cap");
	f->floor_col = ts_table_column(tab, "floor");
	if (f->popts.growth == TS_PROPHET_LOGISTIC && f->cap_col == TS_NO_COL) {
		char list[200];
		ts_table_column_list(tab, list, sizeof list);
		return ts_err_set(err, TS_EDATA, "--growth logistic needs a \"cap\" column (columns: %s)",
				  list);
	}
	for (size_t r = 0; r < f->popts.nregressors; r++) {
		const char *why;
		f->reg_col[r] = ts_table_column(tab, f->regs[r].name);
		if (f->reg_col[r] == TS_NO_COL)
			return ts_table_no_column(tab, "--regressor", f->regs[r].name, err);
		if (f->reg_col[r] == roles->value || f->reg_col[r] == roles->time)
			return ts_err_set(err, TS_EDATA, "--regressor: \"%s\" is the time or value column",
					  f->regs[r].name);
		/* name the regressor after its header, as Prophet names it */
		snprintf(f->regs[r].name, sizeof f->regs[r].name, "%s", tab->names[f->reg_col[r]]);
		if ((why = ts_prophet_bad_name(f->regs[r].name, false)) != NULL)
			return ts_err_set(err, TS_EDATA, "--regressor: name \"%s\" %s", f->regs[r].name,
					  why);
	}
	return condition_columns(f, tab, roles, err);
}

int ts_forecast_start(struct ts_forecast *f, const struct ts_table *tab,
		      const struct ts_roles *roles, const struct ts_groups *groups, struct ts_err *err)
{
	f->tab = tab;
	f->roles = roles;
	f->groups = groups;
	f->skipped = ts_calloc(groups->n + 1, sizeof *f->skipped);
	f->works = f->store ? ts_calloc(groups->n + 1, sizeof *f->works) : NULL;
	if (f->skipped == NULL || (f->store && f->works == NULL))
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

void ts_fc_work_free(struct ts_fc_work *w)
{
	if (w == NULL)
		return;
	ts_fcinput_free(&w->in);
	TS_FREE_ALL(w->yhat, w->lower, w->upper, w->trend, w->comp, w->comp_names);
	free(w);
}

/* Assemble group gi (lib/forecast/fcinput) and make room for the results. */
static int build_series(const struct ts_forecast *run, size_t gi, const struct ts_load_opts *load,
			struct ts_fc_work *w, struct ts_err *err)
{
	struct ts_fcinput_opts o = { 0 };
	bool logistic = run->popts.growth == TS_PROPHET_LOGISTIC;
	size_t first = run->groups->start[gi], n;
	int rc;

	o.load = *load;
	o.horizon = run->horizon;
	o.exclude = &run->excl;
	o.cap_col = logistic ? run->cap_col : TS_NO_COL;
	o.floor_col = logistic ? run->floor_col : TS_NO_COL;
	o.reg_cols = run->reg_col;
	o.nregs = run->popts.nregressors;
	o.cond_cols = run->cond_col;
	o.nconds = run->popts.nconditions;
	rc = ts_fcinput_build(run->tab, run->roles, run->groups->rows + first,
			      run->groups->start[gi + 1] - first, &o, &w->in, err);
	if (rc != 0)
		return rc;
	n = w->in.n;
	w->yhat = ts_mallocarray(n + 1, sizeof *w->yhat);
	w->lower = ts_mallocarray(n + 1, sizeof *w->lower);
	w->upper = ts_mallocarray(n + 1, sizeof *w->upper);
	w->trend = ts_mallocarray(n + 1, sizeof *w->trend);
	if (!w->yhat || !w->lower || !w->upper || !w->trend)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	return 0;
}

static int fit_full(const struct ts_fc_work *w, const struct ts_prophet_opts *o,
		    struct ts_prophet_model *m, double **tsec, const double **reg,
		    struct ts_prophet_data *d, struct ts_err *err)
{
	struct ts_fc_series fs;
	int rc;

	*tsec = ts_mallocarray(w->in.n + 1, sizeof **tsec);
	if (*tsec == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	if ((rc = ts_prophet_data_of(&fs, o, *tsec, reg, d, err)) != 0)
		return rc;
	return ts_prophet_fit(d, o, m, err);
}

static void put_num(struct ts_buf *out, double v, char delim, bool sep)
{
	char b[TS_NUM_BUFSIZE];
	size_t n = ts_num_format(v, b);

	if (sep)
		ts_buf_putc(out, delim);
	ts_buf_put(out, b, n);
}

static void put_dur(struct ts_buf *out, ts_time us)
{
	char b[32];
	struct ts_dur d = { 0, us };

	if (us <= 0) {
		ts_buf_puts(out, "0s");
		return;
	}
	ts_dur_format(&d, b);
	ts_buf_puts(out, b);
}

/* Key columns of group gi, each followed by the delimiter. */
static void put_keys(const struct ts_forecast *run, const struct ts_fc_work *w, struct ts_buf *out)
{
	for (size_t k = 0; k < run->roles->nkeys; k++) {
		struct ts_str f = w->in.s.n > 0 ? ts_table_field(run->tab, w->in.s.row[0], run->roles->keys[k])
					     : (struct ts_str){ "", 0 };
		ts_csv_write_field(out, f.s, f.len, run->tab->delim);
		ts_buf_putc(out, run->tab->delim);
	}
}

static void put_time(const struct ts_fc_work *w, ts_time t, struct ts_buf *out, char delim)
{
	char b[TS_TIME_BUFSIZE];
	size_t n = ts_time_format(t, &w->in.s.tfmt, &w->in.s.zone, b);

	ts_csv_write_field(out, b, n, delim);
}

/* The horizon of cross-validation: --cv's, else -H's when it is a fixed
 * span; 0 when there is none. */
static ts_time cv_horizon(const struct ts_forecast *run, const struct ts_fc_work *w)
{
	const struct ts_fcinput_horizon *h = &run->horizon;
	const struct ts_dur *iv = &w->in.interval;

	if (run->cv_windows.horizon != 0)
		return run->cv_windows.horizon;
	if (h->given && h->is_count && iv->months == 0 && iv->us > 0)
		return h->count * iv->us;
	if (h->given && !h->is_count && h->dur.months == 0)
		return h->dur.us;
	return 0;
}

/* --cv / --cv-rows: cross-validation of one series with model settings o
 * (NULL: the model's), Prophet's default windows from the full fit. */
static int cv_series(const struct ts_forecast *run, struct ts_fc_work *w,
		     const struct ts_prophet_opts *o, const struct ts_prophet_model *full,
		     struct ts_cv_row **rows, size_t *nrows, struct ts_err *err)
{
	struct ts_cv_windows win = { cv_horizon(run, w), run->cv_windows.period, run->cv_windows.initial };
	struct ts_fc_series fs;
	int rc;

	if ((rc = ts_cv_default_windows(&win, full != NULL ? ts_prophet_longest_period(full) : 0,
					err)) != 0)
		return rc;
	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	return ts_cv_run(run->model->forecast, o != NULL ? (const void *)o : model_cfg(run, run->model),
			 &fs, win.horizon, win.period, win.initial, rows, nrows, err);
}

static void write_perf(const struct ts_forecast *run, const struct ts_fc_work *w,
		       const struct ts_cv_perf *perf, struct ts_buf *out)
{
	char d = run->tab->delim;

	for (size_t i = 0; i < perf->n; i++) {
		put_keys(run, w, out);
		put_dur(out, perf->horizon[i]);
		for (int k = 0; k <= TS_M_COVERAGE; k++)
			put_num(out, perf->m[k][i], d, true);
		ts_write_eol(run->tab, out);
	}
}

static void write_cv_rows(const struct ts_forecast *run, const struct ts_fc_work *w,
			  const struct ts_cv_row *rows, size_t nrows, struct ts_buf *out)
{
	char d = run->tab->delim;

	for (size_t i = 0; i < nrows; i++) {
		put_keys(run, w, out);
		put_time(w, rows[i].ds, out, d);
		put_num(out, rows[i].y, d, true);
		put_num(out, rows[i].yhat, d, true);
		put_num(out, rows[i].lower, d, true);
		put_num(out, rows[i].upper, d, true);
		ts_buf_putc(out, d);
		put_time(w, rows[i].cutoff, out, d);
		ts_write_eol(run->tab, out);
	}
}

/* --cv's output for one series: the metrics table, or with --cv-rows the
 * predictions themselves. */
static int write_cv(const struct ts_forecast *run, const struct ts_fc_work *w,
		    const struct ts_cv_row *rows, size_t nrows, struct ts_buf *out, struct ts_err *err)
{
	struct ts_cv_perf perf;
	int rc;

	if (run->cv_rows) {
		write_cv_rows(run, w, rows, nrows, out);
		return 0;
	}
	if ((rc = ts_cv_performance(rows, nrows, run->rolling_window, &perf, err)) != 0)
		return rc;
	write_perf(run, w, &perf, out);
	ts_cv_perf_free(&perf);
	return 0;
}

/* --tune (lib/forecast/tune): the prior scales and mode that cross-validate best,
 * each point of the grid and the choice told under -v. */
static int tune_series(const struct ts_forecast *run, const char *who, struct ts_fc_work *w,
		       struct ts_prophet_opts *best, struct ts_buf *msg, struct ts_err *err)
{
	struct ts_tune_cfg cfg = { run->metric,
				   { cv_horizon(run, w), run->cv_windows.period, run->cv_windows.initial } };
	struct ts_tune_result res;
	struct ts_fc_series fs;
	int rc;

	ts_fcinput_series(&w->in, w->in.yfit, &fs);
	rc = ts_tune_run(&run->popts, &cfg, &fs, best, &res, err);
	if (who == NULL)
		return rc;
	for (size_t i = 0; i < res.nscored; i++) {
		const struct ts_tune_point *pt = &res.grid[i];
		char line[256];
		snprintf(line, sizeof line,
			 "%s: tune changepoint_prior_scale=%g seasonality_prior_scale=%g seasonality_mode=%s %s=%.6g\n",
			 who, pt->changepoint_prior_scale, pt->seasonality_prior_scale,
			 pt->seasonality_mode ? "multiplicative" : "additive", ts_metric_name(run->metric),
			 pt->score);
		ts_buf_puts(msg, line);
	}
	if (rc == 0) {
		char line[256];
		snprintf(line, sizeof line,
			 "%s: chosen changepoint_prior_scale=%g seasonality_prior_scale=%g seasonality_mode=%s\n",
			 who, best->changepoint_prior_scale, best->seasonality_prior_scale,
			 best->seasonality_mode ? "multiplicative" : "additive");
		ts_buf_puts(msg, line);
	}
	return rc;
}

/* Fit, predict and keep the results in w. */
static int forecast_series(const struct ts_forecast *run, const char *who, struct ts_fc_work *w,
			   const struct ts_prophet_opts *o, struct ts_buf *msg, struct ts_err *err)
{
	struct ts_prophet_model m;
	struct ts_prophet_data d;
	const double *reg[TS_FORECAST_MAX_REGRESSORS + TS_FORECAST_MAX_SEASONS];
	double *tsec = NULL;
	int rc;

	if ((rc = fit_full(w, o, &m, &tsec, reg, &d, err)) != 0) {
		free(tsec);
		return rc;
	}
	if (run->components) {
		w->ncomp = m.ncomp;
		w->comp = ts_mallocarray(m.ncomp * w->in.n + 1, sizeof *w->comp);
		w->comp_names = ts_calloc(m.ncomp + 1, sizeof *w->comp_names);
		if (w->comp == NULL || w->comp_names == NULL) {
			ts_prophet_free(&m);
			free(tsec);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		memcpy(w->comp_names, m.comp_names, m.ncomp * sizeof *w->comp_names);
	}
	d.rows_of_fit = true;	/* the rows it was fit on */
	d.fit_first = 0;
	rc = ts_prophet_predict(&m, &d, w->yhat, w->trend, w->lower, w->upper, w->comp, err);
	if (rc == 0 && who != NULL) {
		char line[512], iv[32] = "-";
		size_t off = 0;
		char seas[160] = "";
		for (size_t s = 0; s < m.nseasons && off < sizeof seas - 40; s++)
			off += (size_t)snprintf(seas + off, sizeof seas - off, "%s%s", s ? "," : "",
						m.seasons[s].name);
		if (w->in.interval.us > 0 || w->in.interval.months > 0)
			ts_dur_format(&w->in.interval, iv);
		snprintf(line, sizeof line,
			 "%s: %zu points fitted, %zu rows forecast, interval %s, seasonalities %s, %zu changepoints, sigma %.6g, log posterior %.9g after %zu iterations%s\n",
			 who, m.T, w->in.n - w->in.nin, iv,
			 m.nseasons ? seas : "none", m.dummy_changepoint ? (size_t)0 : m.S, m.p.sigma,
			 ts_prophet_logpost(&m, &m.p), m.iterations,
			 m.constant ? " (y is constant: not fitted, as Prophet)" : "");
		ts_buf_puts(msg, line);
	}
	ts_prophet_free(&m);
	free(tsec);
	return rc;
}

/* Write the series' rows: input rows in input order, then the added ones. */
void ts_forecast_write(const struct ts_forecast *run, const struct ts_fc_work *w, struct ts_buf *out)
{
	const struct ts_table *tab = run->tab;
	size_t na = run->nadded;
	struct ts_str *added = ts_calloc(na + 1, sizeof *added);
	struct ts_str *cols = ts_calloc(tab->ncols + 1, sizeof *cols);
	char (*text)[TS_NUM_BUFSIZE] = ts_calloc(na + 1, sizeof *text);
	char tbuf[TS_TIME_BUFSIZE];
	size_t *map = ts_calloc(run->ncomp + 1, sizeof *map);

	if (added == NULL || cols == NULL || text == NULL || map == NULL) {
		out->failed = true;
		goto out;
	}
	for (size_t c = 0; c < run->ncomp; c++) {
		map[c] = SIZE_MAX;
		for (size_t k = 0; k < w->ncomp; k++)
			if (strcmp(run->comp_names[c], w->comp_names[k]) == 0)
				map[c] = k;
	}
	for (size_t r = 0; r < w->in.n; r++) {
		size_t k = r < w->in.nin ? w->in.pos[r] : r;
		double v[3 + 1 + TS_FORECAST_MAX_COMPONENTS];
		size_t nv = 0;
		v[nv++] = w->yhat[k];
		v[nv++] = w->lower[k];
		v[nv++] = w->upper[k];
		if (run->components) {
			v[nv++] = w->trend[k];
			for (size_t c = 0; c < run->ncomp && nv < na; c++)
				v[nv++] = map[c] == SIZE_MAX ? 0 : w->comp[map[c] * w->in.n + k];
		}
		if (r < w->in.nin &&
		    ts_write_row_numbers(run->outcols, tab, w->in.s.row[r], v, nv, out))
			continue;
		for (size_t a = 0; a < na; a++) {
			added[a].s = text[a];
			added[a].len = a < nv ? ts_num_format(v[a], text[a]) : 0;
		}
		if (r < w->in.nin) {
			ts_write_row(run->outcols, tab, w->in.s.row[r], NULL, added, out);
			continue;
		}
		for (size_t c = 0; c < tab->ncols; c++) {
			cols[c].s = "";
			cols[c].len = 0;
		}
		for (size_t kk = 0; kk < run->roles->nkeys; kk++)
			if (w->in.s.n > 0)
				cols[run->roles->keys[kk]] = ts_table_field(tab, w->in.s.row[0], run->roles->keys[kk]);
		struct ts_tfmt fmt;
		ts_tfmt_for_interval(&w->in.s.tfmt, &w->in.interval, &fmt);
		cols[run->roles->time].s = tbuf;
		cols[run->roles->time].len = ts_time_format(w->in.t[k], &fmt, &w->in.s.zone, tbuf);
		/* the cap and floor the rows -H adds were forecast with */
		char capbuf[2][TS_NUM_BUFSIZE];
		for (size_t c = 0; c < 2; c++) {
			size_t col = c == 0 ? run->cap_col : run->floor_col;
			if (col != TS_NO_COL && w->in.cols[c] != NULL) {
				cols[col].s = capbuf[c];
				cols[col].len = ts_num_format(w->in.cols[c][k], capbuf[c]);
			}
		}
		ts_write_row(run->outcols, tab, TS_NO_COL, cols, added, out);
	}
out:
	TS_FREE_ALL(added, cols, text, map);
}

/* -v for the models other than prophet: the series, its interval and, for
 * auto, the model chosen with its cross-validation score. */
static void say_model(const struct ts_forecast *run, const char *who, const struct ts_fc_work *w,
		      const struct ts_fc_result *r, struct ts_buf *msg)
{
	char line[512], iv[32] = "-", score[64] = "";

	if (w->in.interval.us > 0 || w->in.interval.months > 0)
		ts_dur_format(&w->in.interval, iv);
	if (r->chosen != NULL && !isnan(r->chosen_score))
		snprintf(score, sizeof score, " (cross-validated %s %.6g)",
			 run->autocfg.owa ? "owa" : ts_metric_name(run->autocfg.metric), r->chosen_score);
	snprintf(line, sizeof line, "%s: %zu rows, %zu rows forecast, interval %s, model %s%s%s%s\n",
		 who, w->in.nin, w->in.n - w->in.nin, iv,
		 run->model->name, r->chosen != NULL ? " chose " : "", r->chosen != NULL ? r->chosen : "",
		 score);
	ts_buf_puts(msg, line);
}

int ts_forecast_series(struct ts_forecast *run, size_t gi, const struct ts_load_opts *load,
		       const char *who, struct ts_fc_work **work, struct ts_buf *out,
		       struct ts_buf *msg, struct ts_err *err)
{
	struct ts_fc_work *w = ts_calloc(1, sizeof *w);
	struct ts_prophet_opts o = run->popts, tuned;
	struct ts_prophet_season seasons[TS_FORECAST_MAX_SEASONS + 3];
	int rc;

	*work = NULL;
	if (w == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (run->groups->start[gi + 1] == run->groups->start[gi]) {
		free(w);	/* header only: nothing to fit, the caller has warned */
		return 0;
	}
	*work = w;
	rc = build_series(run, gi, load, w, err);
	run->skipped[gi] = w->in.s.skipped;
	if (rc == 0 && run->model->settings != TS_FC_PROPHET) {
		/* any other model: the common interface only (no components) */
		struct ts_fc_series fs;
		struct ts_fc_result r = { w->yhat, w->lower, w->upper, NULL, NULL, NAN, "" };
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;
		for (size_t k = 0; k < w->in.n; k++)
			w->yhat[k] = w->lower[k] = w->upper[k] = w->trend[k] = NAN;
		if (run->cv) {
			rc = cv_series(run, w, NULL, NULL, &rows, &nrows, err);
			if (rc == 0)
				rc = write_cv(run, w, rows, nrows, out, err);
			free(rows);
		} else {
			ts_fcinput_series(&w->in, w->in.yfit, &fs);
			rc = run->model->forecast(model_cfg(run, run->model), &fs, &r, err);
			if (rc == 0 && who != NULL)
				say_model(run, who, w, &r, msg);
			if (rc == 0 && !run->store)
				ts_forecast_write(run, w, out);
		}
	} else if (rc == 0 && (run->cv || run->cv_rows)) {
		struct ts_prophet_model m;
		struct ts_prophet_data d;
		const double *reg[TS_FORECAST_MAX_REGRESSORS + TS_FORECAST_MAX_SEASONS];
		double *tsec = NULL;
		struct ts_cv_row *rows = NULL;
		size_t nrows = 0;

		if (run->tune && (rc = tune_series(run, who, w, &tuned, msg, err)) == 0)
			o = tuned;
		if (rc == 0 && (rc = fit_full(w, &o, &m, &tsec, reg, &d, err)) == 0) {
			struct ts_prophet_opts fixed;
			/* The folds use the settings --tune chose, if it ran. */
			ts_prophet_copy_opts(&o, &m, &fixed, seasons, TS_FORECAST_MAX_SEASONS + 3);
			rc = cv_series(run, w, &fixed, &m, &rows, &nrows, err);
			ts_prophet_free(&m);
		}
		free(tsec);
		if (rc == 0)
			rc = write_cv(run, w, rows, nrows, out, err);
		free(rows);
	} else if (rc == 0) {
		if (run->tune && (rc = tune_series(run, who, w, &tuned, msg, err)) == 0)
			o = tuned;
		if (rc == 0)
			rc = forecast_series(run, who, w, &o, msg, err);
		if (rc == 0 && !run->store)
			ts_forecast_write(run, w, out);
	}
	return rc;
}

/* --cv's header: the keys, then the metrics or the predictions' columns. */
static void cv_header(const struct ts_forecast *run, struct ts_buf *out)
{
	const struct ts_table *tab = run->tab;
	const struct ts_roles *roles = run->roles;
	char d = tab->delim;

	for (size_t k = 0; k < roles->nkeys; k++) {
		ts_csv_write_field(out, tab->names[roles->keys[k]], strlen(tab->names[roles->keys[k]]), d);
		ts_buf_putc(out, d);
	}
	if (run->cv_rows) {
		static const char *const rest[] = { "yhat", "yhat_lower", "yhat_upper", "cutoff" };
		const char *tn = tab->names[roles->time], *yn = tab->names[roles->value];
		ts_csv_write_field(out, tn, strlen(tn), d);
		ts_buf_putc(out, d);
		ts_csv_write_field(out, yn, strlen(yn), d);
		for (size_t i = 0; i < 4; i++) {
			ts_buf_putc(out, d);
			ts_buf_puts(out, rest[i]);
		}
	} else {
		ts_buf_puts(out, "horizon");
		for (int k = 0; k <= TS_M_COVERAGE; k++) {
			ts_buf_putc(out, d);
			ts_buf_puts(out, ts_metric_name(k));
		}
	}
	ts_write_eol(tab, out);
}

/* The union of the stored series' components, in first-seen order: they
 * differ between series (auto seasonalities). */
static int component_union(struct ts_forecast *run, struct ts_err *err)
{
	run->comp_names = ts_calloc(TS_FORECAST_MAX_COMPONENTS, sizeof *run->comp_names);
	if (run->comp_names == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t gi = 0; gi < run->groups->n; gi++) {
		const struct ts_fc_work *w = run->works[gi];
		for (size_t k = 0; w != NULL && k < w->ncomp; k++) {
			bool seen = false;
			for (size_t c = 0; c < run->ncomp; c++)
				if (strcmp(run->comp_names[c], w->comp_names[k]) == 0)
					seen = true;
			if (!seen && run->ncomp < TS_FORECAST_MAX_COMPONENTS)
				memcpy(run->comp_names[run->ncomp++], w->comp_names[k],
				       sizeof run->comp_names[0]);
		}
	}
	return 0;
}

int ts_forecast_header(struct ts_forecast *run, struct ts_outcols *outcols, struct ts_buf *out,
		       struct ts_err *err)
{
	static const char *const base[] = { "yhat", "yhat_lower", "yhat_upper" };
	const char **added;
	size_t nadded = 0;
	int rc;

	if (run->cv) {
		cv_header(run, out);
		return 0;
	}
	if (run->store && (rc = component_union(run, err)) != 0)
		return rc;
	added = ts_calloc(4 + run->ncomp, sizeof *added);
	if (added == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < 3; i++)
		added[nadded++] = base[i];
	if (run->components) {
		added[nadded++] = "trend";
		for (size_t c = 0; c < run->ncomp; c++)
			added[nadded++] = run->comp_names[c];
	}
	run->nadded = nadded;
	if ((rc = ts_outcols_init(outcols, run->tab, added, nadded, err)) != 0) {
		free(added);
		return rc;
	}
	for (size_t a = 0; a < nadded; a++)	/* every added column is a number */
		ts_outcols_set_numeric(outcols, a);
	run->outcols = outcols;
	ts_write_header(outcols, run->tab, added, out);
	free(added);
	return 0;
}

void ts_forecast_free(struct ts_forecast *f)
{
	if (f->works != NULL)
		for (size_t gi = 0; gi < f->groups->n; gi++)
			ts_fc_work_free(f->works[gi]);
	TS_FREE_ALL(f->works, f->skipped, f->comp_names, f->holidays);
	ts_ranges_free(&f->excl);
	f->works = NULL;
	f->skipped = NULL;
	f->comp_names = NULL;
	f->holidays = NULL;
}
