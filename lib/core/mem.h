/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mem: the one overflow-checked growth helper every growing array uses, and
 * the freeing of a workspace's arrays together. Library code never exits on
 * allocation failure; it returns TS_ENOMEM. */
#ifndef TS_MEM_H
#define TS_MEM_H

#include <stddef.h>

/* Make room for at least need elements of elem_size bytes in ptr, whose
 * capacity is *cap elements. Returns the (possibly moved) array with *cap
 * updated, or NULL on overflow or allocation failure, leaving ptr and *cap
 * untouched (the caller still owns ptr). Capacity grows geometrically. */
void *ts_grow(void *ptr, size_t *cap, size_t need, size_t elem_size);

/* The bytes [*ready, need) of a growing array of cap bytes at base are about
 * to be written: where the system can, map their pages 2 MiB at a time in
 * one call rather than one page fault per 4 KiB (faults are dear on
 * virtual machines), never beyond cap. *ready records how far that went;
 * start it at 0. Only a speed-up: nothing changes if the system declines. */
void ts_prefault(void *base, size_t cap, size_t *ready, size_t need);

/* calloc that refuses count * size overflow; NULL on failure. */
void *ts_calloc(size_t count, size_t size);

/* malloc(count * size) with overflow check; NULL on failure or when the product overflows. */
void *ts_mallocarray(size_t count, size_t size);

/* free() each of the n pointers at ptrs (NULL ones too, as free does). */
void ts_free_each(void *const *ptrs, size_t n);

/* Free every pointer listed, as one statement for the arrays of a
 * workspace: TS_FREE_ALL(w->x, w->y, w->z). */
#define TS_FREE_ALL(...) \
	ts_free_each((void *[]){ __VA_ARGS__ }, sizeof((void *[]){ __VA_ARGS__ }) / sizeof(void *))

/* An array of count elements of size bytes for one value per row of a long
 * input (a series' points, a group's rows): ts_mallocarray, but from 1 MiB
 * up aligned to and advised for huge pages, which a long input's arrays
 * fill much faster. free() frees it; NULL on failure or overflow. */
void *ts_rows_alloc(size_t count, size_t size);

/* Advise the whole pages holding block[0..bytes) for huge pages (Linux
 * transparent huge pages, from 1 MiB up): a speed-up only, nothing changes if
 * the system declines. */
void ts_advise_huge(void *block, size_t bytes);

/* strndup that never reads past len; NULL on failure. */
char *ts_strndup(const char *s, size_t len);

#endif
