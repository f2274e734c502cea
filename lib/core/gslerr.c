/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gslerr: GSL's abort-on-error handler switched off once per process, from
 * inside the library, so no caller of libts can abort in a GSL routine. */
#include "core/gslerr.h"

#include <pthread.h>

#include <gsl/gsl_errno.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void handler_off(void)
{
	gsl_set_error_handler_off();
}

void ts_gsl_errors_off(void)
{
	pthread_once(&once, handler_off);
}
