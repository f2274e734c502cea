/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mem: overflow-checked allocation and geometric growth of arrays. */
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void *ts_grow(void *ptr, size_t *cap, size_t need, size_t elem_size)
{
	size_t new_cap;
	void *grown;

	if (need <= *cap)
		return ptr != NULL ? ptr : (need == 0 ? ptr : NULL);
	new_cap = *cap < 16 ? 16 : *cap;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2)
			return NULL;
		new_cap *= 2;
	}
	if (elem_size != 0 && new_cap > SIZE_MAX / elem_size)
		return NULL;
	grown = realloc(ptr, new_cap * elem_size);
	if (grown == NULL)
		return NULL;
	*cap = new_cap;
	return grown;
}

#define PREFAULT_STEP ((size_t)2 << 20)
#define PAGE_BYTES ((uintptr_t)4096)

void ts_prefault(void *base, size_t cap, size_t *ready, size_t need)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
	uintptr_t lo, hi;
	size_t upto;

	if (need <= *ready || base == NULL)
		return;
	upto = need + PREFAULT_STEP < cap ? need + PREFAULT_STEP : cap;
	/* Whole pages only: the partial ones at the ends fault as usual. */
	lo = ((uintptr_t)base + *ready + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
	hi = ((uintptr_t)base + upto) & ~(PAGE_BYTES - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
	*ready = upto;
#else
	(void)base;
	(void)cap;
	*ready = need;
#endif
}

void *ts_calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	return calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
}

void *ts_mallocarray(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	return malloc(count * size == 0 ? 1 : count * size);
}

void ts_free_each(void *const *ptrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ptrs[i]);
}

char *ts_strndup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}
