/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gslerr: GSL's abort-on-error handler switched off once per process, from
 * inside the library, so no caller of libts can abort in a GSL routine. */
#ifndef TS_GSLERR_H
#define TS_GSLERR_H

/* Turn GSL's error handler off for the whole process, once (pthread_once):
 * every module that calls a GSL routine able to report an error (allocation,
 * Cholesky, CDFs, special functions, random generators) calls this first and
 * checks GSL's return codes itself. Thread-safe; cheap after the first call.
 * A program that installs its own GSL handler after this keeps it. */
void ts_gsl_errors_off(void);

#endif
