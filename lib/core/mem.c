/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mem: overflow-checked allocation and geometric growth of arrays. */
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
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

/* Arrays from this size up are asked for in huge pages. */
#define HUGE_MIN ((size_t)1 << 20)

/* Ask for the memory of a large array in huge pages (Linux transparent huge
 * pages, where they are enabled for madvise): one fault then maps 2 MiB, not
 * 4 KiB, and on a virtual machine each page first touched costs an exit to
 * the host, which made first touches the larger part of reading a long
 * input. The whole pages holding the block are advised, so that a block
 * malloc mapped on its own stays one mapping, which realloc can still move.
 * Only a speed-up: nothing changes if the system declines. */
void ts_advise_huge(void *block, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	uintptr_t page, lo, hi;

	if (block == NULL || bytes < HUGE_MIN)
		return;
	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	if (page == 0 || (page & (page - 1)) != 0)
		return;
	lo = (uintptr_t)block & ~(page - 1);
	hi = ((uintptr_t)block + bytes + page - 1) & ~(page - 1);
	(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)block;
	(void)bytes;
#endif
}

void *ts_rows_alloc(size_t count, size_t size)
{
	const size_t huge_page = (size_t)2 << 20;
	void *block = NULL;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	if (count * size < HUGE_MIN)
		return ts_mallocarray(count, size);
	/* Aligned to a huge page, so that all of it but the tail can be one. */
	if (posix_memalign(&block, huge_page, count * size) != 0)
		return NULL;
	ts_advise_huge(block, count * size);
	return block;
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
