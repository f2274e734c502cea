/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msplit: the MSTL split of a series that mstl (classical.c) and mstl-ar
 * (msmodels.c) forecast in parts; one allocation, seasonals continued ahead. */
#include "forecast/msplit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "series/stl.h"

int ts_msplit_run(const double *y, size_t n, const size_t *periods, size_t np, size_t extra,
		  struct ts_msplit *ms, struct ts_err *err)
{
	size_t wsize = ts_mstl_work_size(n, periods, np);
	int rc;

	memset(ms, 0, sizeof *ms);
	ms->n = n;
	/* trend, remainder, adjusted (n each), np seasonal rows, extra, work */
	if (wsize == SIZE_MAX || n == 0 || np > SIZE_MAX / n - 3 ||
	    extra > SIZE_MAX - (3 + np) * n - wsize)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	ms->work_ = ts_mallocarray((3 + np) * n + extra + wsize, sizeof *ms->work_);
	ms->kept = ts_mallocarray(np + 1, sizeof *ms->kept);
	if (ms->work_ == NULL || ms->kept == NULL) {
		ts_msplit_free(ms);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	ms->trend = ms->work_;
	ms->remainder = ms->trend + n;
	ms->adjusted = ms->remainder + n;
	ms->seasonal = ms->adjusted + n;
	ms->extra = ms->seasonal + np * n;
	rc = ts_mstl(y, n, periods, np, NULL, ms->trend, ms->seasonal, ms->remainder, ms->kept,
		     &ms->nkept, NULL, NULL, ms->extra + extra, err);
	if (rc != 0) {
		ts_msplit_free(ms);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		ms->adjusted[i] = y[i] - ts_msplit_season_at(ms, i);
	return 0;
}

double ts_msplit_season_at(const struct ts_msplit *ms, size_t i)
{
	double s = 0;

	for (size_t k = 0; k < ms->nkept; k++)
		s += ms->seasonal[k * ms->n + i];
	return s;
}

double ts_msplit_season_ahead(const struct ts_msplit *ms, size_t j)
{
	double s = 0;

	for (size_t k = 0; k < ms->nkept; k++)
		s += ms->seasonal[k * ms->n + ms->n - ms->kept[k] + j % ms->kept[k]];
	return s;
}

void ts_msplit_free(struct ts_msplit *ms)
{
	free(ms->work_);
	free(ms->kept);
	memset(ms, 0, sizeof *ms);
}
