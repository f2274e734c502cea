/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gslerr: the library, without lib/cli, switches GSL's aborting error
 * handler off itself, so a failing GSL routine returns its code. */
#include <stdlib.h>

#include "testutil.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "core/gslerr.h"
#include "detect/surprise.h"

/* Runs first: the process starts with GSL's default (aborting) handler; one
 * library call that reaches GSL switches it off for good. */
static void test_library_call_switches_off(void **state)
{
	gsl_error_handler_t *before, *after;

	(void)state;
	before = gsl_set_error_handler(NULL);
	assert_null(before);
	assert_near(ts_tail_normal(0), 1, 1e-15);
	after = gsl_set_error_handler(NULL);
	assert_non_null(after);
	gsl_set_error_handler(after);
}

/* A Cholesky factorisation of a matrix that is not positive definite (what
 * Prophet's Newton step can meet) returns GSL_EDOM instead of aborting. */
static void test_cholesky_failure_returns(void **state)
{
	double a[4] = { 1, 2, 2, 1 };
	gsl_matrix_view m = gsl_matrix_view_array(a, 2, 2);

	(void)state;
	ts_gsl_errors_off();
	ts_gsl_errors_off();	/* twice: still once, still off */
	assert_int_equal(gsl_linalg_cholesky_decomp1(&m.matrix), GSL_EDOM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library_call_switches_off),
		cmocka_unit_test(test_cholesky_failure_returns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
