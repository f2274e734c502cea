/* SPDX-License-Identifier: GPL-3.0-or-later */
/* failalloc: a counting allocator for fault injection in the unit tests:
 * it counts allocations and live blocks, and fails the Nth allocation. */
#ifndef TS_FAILALLOC_H
#define TS_FAILALLOC_H

/*
 * A test that includes this header is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free (the Makefile's
 * FAILALLOC_TESTS), so every allocation made by libts and by the test itself
 * goes through the __wrap_ functions below; the C library's and the shared
 * libraries' own allocations (stdio, GSL, cmocka) do not. Include it after
 * testutil.h, in one file of one test binary only: it defines those
 * functions.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void __real_free(void *ptr);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void __wrap_free(void *ptr);

static atomic_size_t fa_calls;		/* allocations asked for since fa_reset */
static atomic_size_t fa_fail_at;	/* the call that fails (1-based); 0: none */
static atomic_long fa_live;		/* blocks allocated and not yet freed */

/* Count from zero again; fail the fail_at-th allocation from now (0: none). */
static inline void fa_reset(size_t fail_at)
{
	atomic_store(&fa_calls, 0);
	atomic_store(&fa_fail_at, fail_at);
}

/* Whether this allocation is the one to fail. */
static inline bool fa_fail_now(void)
{
	size_t n = atomic_fetch_add(&fa_calls, 1) + 1;

	return n == atomic_load(&fa_fail_at);
}

void *__wrap_malloc(size_t size)
{
	void *p = fa_fail_now() ? NULL : __real_malloc(size);

	if (p != NULL)
		atomic_fetch_add(&fa_live, 1);
	return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
	void *p = fa_fail_now() ? NULL : __real_calloc(count, size);

	if (p != NULL)
		atomic_fetch_add(&fa_live, 1);
	return p;
}

void *__wrap_realloc(void *ptr, size_t size)
{
	void *p;

	if (fa_fail_now())
		return NULL;	/* ptr stays allocated, as realloc leaves it */
	p = __real_realloc(ptr, size);
	if (ptr == NULL && p != NULL)
		atomic_fetch_add(&fa_live, 1);
	return p;
}

void __wrap_free(void *ptr)
{
	if (ptr != NULL)
		atomic_fetch_sub(&fa_live, 1);
	__real_free(ptr);
}

/* Blocks live now: take it before and after a call to see what it leaked. */
static inline long fa_live_blocks(void)
{
	return atomic_load(&fa_live);
}

/*
 * Fault sweep: run(ctx) with the 1st, then the 2nd, ... allocation failing,
 * until a run no longer meets the failure. run returns 0 or the error code
 * it got, and must free everything it allocated either way. Every run that
 * met the failure must return TS_ENOMEM (2nd argument of check, which also
 * gets ctx to look at the error message) and leave no block live; the last
 * run must succeed. Returns the allocations of the successful run.
 */
static inline size_t fa_sweep(int (*run)(void *ctx), void (*check)(void *ctx, int rc), void *ctx)
{
	for (size_t n = 1;; n++) {
		long before = fa_live_blocks();
		size_t calls;
		int rc;

		fa_reset(n);
		rc = run(ctx);
		calls = atomic_load(&fa_calls);
		fa_reset(0);
		if (fa_live_blocks() != before)
			fail_msg("allocation %zu failing: %ld blocks leaked", n, fa_live_blocks() - before);
		if (calls < n) {
			/* the failure was never met: the run must have succeeded */
			if (rc != 0)
				fail_msg("with every allocation granted the run failed (%d)", rc);
			return n - 1;
		}
		check(ctx, rc);
	}
}

#endif
