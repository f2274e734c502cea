/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_num: whatever ts_num_parse accepts must format and parse back to the
 * same double, bit for bit, and must read as strtod reads it in the C locale. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[TS_NUM_BUFSIZE];
	double v, back;
	size_t len;

	if (ts_num_parse(s, size, &v) != 0)
		return 0;
	len = ts_num_format(v, buf);
	if (len >= TS_NUM_BUFSIZE || len != strlen(buf))
		abort();
	if (ts_num_parse(buf, len, &back) != 0)
		abort();
	if (isnan(v) ? !isnan(back) : memcmp(&v, &back, sizeof v) != 0)
		abort();

	/* The accepted forms are a subset of strtod's (the fuzzer runs in the
	 * C locale), and strtod skips the blanks we trim. */
	if (!ts_num_is_missing(s, size) && memchr(s, '\0', size) == NULL) {
		char *copy = malloc(size + 1);
		char *end;
		double ref;

		if (copy == NULL)
			return 0;
		memcpy(copy, s, size);
		copy[size] = '\0';
		ref = strtod(copy, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '\0' || memcmp(&v, &ref, sizeof v) != 0)
			abort();
		free(copy);
	}
	return 0;
}
