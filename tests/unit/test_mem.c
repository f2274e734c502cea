/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mem: geometric growth that keeps the caller's array on failure,
 * prefaulting that never changes what an array holds or goes past it, and
 * the output buffer's sticky failure, under injected allocation failures. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "failalloc.h"

#include "core/buf.h"
#include "core/mem.h"

static void test_grow(void **state)
{
	size_t cap = 0;
	int *a = NULL, *grown;

	(void)state;
	grown = ts_grow(a, &cap, 5, sizeof *a);
	assert_non_null(grown);
	assert_int_equal(cap, 16);
	a = grown;
	for (int i = 0; i < 16; i++)
		a[i] = i;
	grown = ts_grow(a, &cap, 100, sizeof *a);
	assert_non_null(grown);
	assert_int_equal(cap, 128);
	a = grown;
	for (int i = 0; i < 16; i++)
		assert_int_equal(a[i], i);
	/* Room already there: the same array back. */
	assert_ptr_equal(ts_grow(a, &cap, 128, sizeof *a), a);
	/* Overflow: NULL, the array and its capacity untouched. */
	assert_null(ts_grow(a, &cap, SIZE_MAX / 2 + 2, sizeof *a));
	assert_int_equal(cap, 128);
	assert_int_equal(a[15], 15);
	free(a);
}

/* Content written before and after prefaulting stays; ready moves forward,
 * at least to what was asked and never past the capacity. */
static void test_prefault(void **state)
{
	size_t cap = (size_t)9 << 20, ready = 0;
	unsigned char *a = malloc(cap);

	(void)state;
	assert_non_null(a);
	memset(a, 0xab, 1000);
	ts_prefault(a, cap, &ready, 1000);
	assert_true(ready >= 1000 && ready <= cap);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(a[i], 0xab);
	ts_prefault(a, cap, &ready, cap - 10);
	assert_int_equal(ready, cap);
	/* Asking for less than is ready does nothing. */
	ts_prefault(a, cap, &ready, 10);
	assert_int_equal(ready, cap);
	memset(a, 0x5c, cap);
	assert_int_equal(a[cap - 1], 0x5c);
	assert_int_equal(a[0], 0x5c);
	free(a);
}

/* A failed allocation leaves the array and its capacity as they were. */
static void test_grow_fails(void **state)
{
	size_t cap = 0;
	int *a = NULL;

	(void)state;
	a = ts_grow(a, &cap, 10, sizeof *a);
	assert_non_null(a);
	a[9] = 9;
	fa_reset(1);
	assert_null(ts_grow(a, &cap, 1000, sizeof *a));
	fa_reset(0);
	assert_int_equal(cap, 16);
	assert_int_equal(a[9], 9);
	free(a);
	assert_null(ts_calloc(SIZE_MAX / 2, 4));
	assert_null(ts_mallocarray(SIZE_MAX / 2, 4));
}

/* ts_buf_reserve: a failed growth makes the buffer fail for good (later
 * appends do nothing) and flush says "out of memory". */
static void test_buf_reserve_fails(void **state)
{
	struct ts_buf b = { 0 };
	struct ts_err err = { 0 };
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(null);
	ts_buf_puts(&b, "ab");
	fa_reset(1);
	assert_null(ts_buf_reserve(&b, 1000));
	fa_reset(0);
	assert_true(b.failed);
	ts_buf_puts(&b, "cd");
	ts_buf_putc(&b, 'e');
	assert_int_equal(b.len, 2);
	assert_null(ts_buf_reserve(&b, 1));
	assert_int_equal(ts_buf_flush(&b, null, &err), TS_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
	ts_buf_free(&b);
	assert_false(b.failed);
	/* a size that overflows fails the same way, without allocating */
	ts_buf_puts(&b, "x");
	assert_null(ts_buf_reserve(&b, SIZE_MAX));
	assert_true(b.failed);
	ts_buf_free(&b);
	fclose(null);
}

struct buf_run {
	FILE *null;
	struct ts_err err;
};

static int buf_run(void *ctx)
{
	struct buf_run *r = ctx;
	struct ts_buf b = { 0 };
	int rc;

	for (int i = 0; i < 5000; i++) {
		ts_buf_put(&b, "0123456789", 10);
		ts_buf_putc(&b, '\n');
	}
	rc = ts_buf_flush(&b, r->null, &r->err);
	if (rc == 0)
		assert_int_equal(b.len, 0);
	ts_buf_free(&b);
	return rc;
}

static void buf_check(void *ctx, int rc)
{
	struct buf_run *r = ctx;

	assert_int_equal(rc, TS_ENOMEM);
	assert_string_equal(r->err.msg, "out of memory");
}

/* Whichever growth fails, the whole output is refused, nothing leaks. */
static void test_buf_sweep(void **state)
{
	struct buf_run r = { fopen("/dev/null", "w"), { 0 } };

	(void)state;
	assert_non_null(r.null);
	assert_true(fa_sweep(buf_run, buf_check, &r) >= 2);
	fclose(r.null);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_prefault),
		cmocka_unit_test(test_grow_fails),
		cmocka_unit_test(test_buf_reserve_fails),
		cmocka_unit_test(test_buf_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
