/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testutil: what every cmocka unit test needs beyond cmocka 1.1 itself:
 * the includes in the order cmocka wants, and assert_near for doubles. */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* Fail unless |a - b| <= tol; NaN equals NaN. */
#define assert_near(a, b, tol) ts_assert_near_at((a), (b), (tol), __FILE__, __LINE__)

static inline void ts_assert_near_at(double a, double b, double tol, const char *file, int line)
{
	if (isnan(a) && isnan(b))
		return;
	if (!(fabs(a - b) <= tol)) {
		print_error("%.17g != %.17g (tolerance %g)\n", a, b, tol);
		_fail(file, line);
	}
}

/* Directory of test fixtures; the Makefile runs tests from the top level. */
#ifndef TS_TEST_DATA
#define TS_TEST_DATA "tests/data"
#endif

#endif
