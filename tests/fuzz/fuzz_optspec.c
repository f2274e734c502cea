/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_optspec: the structured option values a user types (-H, --cv,
 * --add-seasonality, --regressor, --agg, --fill, -m) from any text: what
 * parses is in range, what does not is a usage error with a message. The
 * first byte picks the parser; the rest is the value. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"
#include "forecast/fcspec.h"
#include "series/fill.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_failed(int rc, const struct ts_err *err)
{
	CHECK(rc == TS_EUSAGE);
	CHECK(err->msg[0] != '\0' && strlen(err->msg) < sizeof err->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_err err = { 0 };
	char *s;
	int rc;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 7) {
	case 0: {
		struct ts_fcinput_horizon h;
		if ((rc = ts_horizon_parse(s, &h, &err)) == 0) {
			CHECK(h.given);
			if (h.is_count)
				CHECK(h.count >= 1 && h.count <= TS_FCINPUT_MAX_FUTURE);
			else
				CHECK((h.dur.months > 0) != (h.dur.us > 0));
			CHECK(h.text == s);
		} else {
			check_failed(rc, &err);
			CHECK(!h.given);
		}
		break;
	}
	case 1: {
		struct ts_cv_windows w = { 0, 0, 0 };
		if ((rc = ts_cv_spec_parse(s, &w, &err)) == 0)
			CHECK(w.horizon >= 0 && w.period >= 0 && w.initial >= 0);
		else
			check_failed(rc, &err);
		break;
	}
	case 2: {
		struct ts_prophet_season se;
		if ((rc = ts_season_spec_parse(s, &se, &err)) == 0) {
			CHECK(ts_prophet_bad_name(se.name, true) == NULL);
			CHECK(se.period > 0 && se.period <= 1e6);
			CHECK(se.order >= 1 && se.order <= 100);
			CHECK(se.prior == 0 || (se.prior > 0 && se.prior <= 1e12));
			CHECK(se.mode == -1 || se.mode == TS_PROPHET_ADDITIVE ||
			      se.mode == TS_PROPHET_MULTIPLICATIVE);
		} else {
			check_failed(rc, &err);
		}
		break;
	}
	case 3: {
		struct ts_prophet_regressor r;
		if ((rc = ts_regressor_spec_parse(s, &r, &err)) == 0) {
			CHECK(memchr(r.name, '\0', sizeof r.name) != NULL && strchr(r.name, ':') == NULL);
			CHECK(isnan(r.prior) || (r.prior > 0 && r.prior <= 1e12));
			CHECK(r.mode == -1 || r.mode == TS_PROPHET_ADDITIVE ||
			      r.mode == TS_PROPHET_MULTIPLICATIVE);
		} else {
			check_failed(rc, &err);
		}
		break;
	}
	case 4: {
		struct ts_agg agg;
		if ((rc = ts_agg_parse(s, &agg, &err)) == 0) {
			CHECK(agg.kind <= TS_AGG_UNIQ);
			if (agg.kind == TS_AGG_QUANTILE)
				CHECK(agg.q >= 0 && agg.q <= 1);
			if (agg.kind == TS_AGG_UNIQ)
				CHECK(agg.col_spec != NULL && agg.col_spec[0] != '\0');
		} else {
			check_failed(rc, &err);
		}
		break;
	}
	case 5: {
		struct ts_fill_method m;
		if ((rc = ts_fill_parse(s, &m, &err)) == 0)
			CHECK(m.kind != TS_FILL_VALUE || isfinite(m.value));
		else
			check_failed(rc, &err);
		break;
	}
	default: {
		enum ts_detect_method methods[TS_DETECT_NMETHODS];
		size_t n = 99;
		if ((rc = ts_detect_methods_parse(s, methods, &n, &err)) == 0) {
			CHECK(n >= 1 && n <= TS_DETECT_NMETHODS);
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < i; j++)
					CHECK(methods[i] != methods[j]);
		} else {
			check_failed(rc, &err);
		}
		break;
	}
	}
	free(s);
	return 0;
}
