/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msplit: a series split by MSTL for forecasting it in parts (stlf's way):
 * trend, seasonals, remainder and the seasonally adjusted series in one
 * allocation, and the seasonals continued seasonal-naively ahead. */
#ifndef TS_MSPLIT_H
#define TS_MSPLIT_H

#include <stddef.h>

#include "core/tserr.h"

struct ts_msplit {
	size_t n;		/* points split */
	double *trend;		/* n */
	double *remainder;	/* n */
	double *adjusted;	/* n: y less every kept seasonal */
	double *seasonal;	/* nkept rows of n, row k for kept[k] */
	double *extra;		/* the caller's room, asked for in ts_msplit_run */
	size_t *kept;		/* the periods ts_mstl kept, ascending */
	size_t nkept;
	double *work_;		/* the one allocation behind the arrays */
};

/* Split y[0..n) by ts_mstl over periods[0..np) (default parameters), with
 * `extra` more doubles of room for the caller in ms->extra. Errors:
 * TS_ENOMEM "out of memory" and ts_mstl's; ms is then freed. */
int ts_msplit_run(const double *y, size_t n, const size_t *periods, size_t np, size_t extra,
		  struct ts_msplit *ms, struct ts_err *err);

/* The kept seasonals' sum at history point i < n. */
double ts_msplit_season_at(const struct ts_msplit *ms, size_t i);

/* The kept seasonals' sum j steps past the end (j from 0), each seasonal
 * repeating its last cycle, as forecast.stl continues an mstl fit. */
double ts_msplit_season_ahead(const struct ts_msplit *ms, size_t j);

void ts_msplit_free(struct ts_msplit *ms);

#endif
