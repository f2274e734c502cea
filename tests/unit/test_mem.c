/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mem: geometric growth that keeps the caller's array on failure, and
 * prefaulting that never changes what an array holds or goes past it. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "mem.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_prefault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
