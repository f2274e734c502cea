#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# lint-layers: the architecture lint passes on the tree and catches each kind
# of breach planted in a copy of it (a cycle, a layer breach, a bare include,
# a ts_table field in cmd/, a command over 600 lines).

bats_require_minimum_version 1.5.0

TOP="$BATS_TEST_DIRNAME/../.."

setup() {
	copy="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$copy"
	cp -R "$TOP/lib" "$TOP/cmd" "$copy"/
	rm -rf "$copy/lib/calendars"
}

@test "lint-layers passes on the tree" {
	run --separate-stderr "$TOP/scripts/lint-layers"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == "lint-layers: "*" lib files in 7 layers, 5 commands: no cycle, no layer breach, no ts_table field used in cmd/, no command over 600 lines" ]]
	# and on the copy the other tests plant their breaches in
	run "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 0 ]
}

@test "lint-layers: a lower layer including a higher one" {
	sed -i 's|^#include "core/mem.h"$|#include "core/mem.h"\n#include "series/period.h"|' "$copy/lib/io/csv.c"
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	line=$(grep -n 'series/period.h' "$copy/lib/io/csv.c" | cut -d: -f1)
	[[ "$stderr" == *"lint-layers: lib/io/csv.c:$line: layer io includes series/period.h of the higher layer series"* ]]
	[[ "$stderr" == *"lint-layers: FAILED (1 problems; rules in scripts/lint-layers)" ]]
}

@test "lint-layers: an include cycle, also within one layer" {
	echo '#include "core/buf.h"' >> "$copy/lib/core/mem.h"
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	# named at the include that closes it, from either end
	cycle='lint-layers: lib/core/(buf|mem)\.[ch]:[0-9]+: include cycle: core/(mem -> core/buf -> core/mem|buf -> core/mem -> core/buf)'
	[[ "$stderr" =~ $cycle ]]
	[[ "$stderr" == *"FAILED (1 problems;"* ]]
	[[ "$stderr" != *"higher layer"* ]]
}

@test "lint-layers: an include that names no layer, a file outside the layers" {
	sed -i 's|^#include "core/mem.h"$|#include "mem.h"|' "$copy/lib/io/csv.c"
	printf '/* x */\n' > "$copy/lib/stray.c"
	mkdir "$copy/lib/misc"
	printf '/* y */\n' > "$copy/lib/misc/y.h"
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	line=$(grep -n '"mem.h"' "$copy/lib/io/csv.c" | cut -d: -f1)
	[[ "$stderr" == *"lib/io/csv.c:$line: #include \"mem.h\" names no layer: write \"core/mem.h\""* ]]
	[[ "$stderr" == *"lib/stray.c:1: not in a layer folder"* ]]
	[[ "$stderr" == *"lib/misc/y.h:1: folder lib/misc is not a layer"* ]]
}

@test "lint-layers: cmd/ using a field of struct ts_table" {
	f="$copy/cmd/ts-fill.c"
	n=$(grep -n 'ts_table_first_file(&in.tab)' "$f" | head -n 1 | cut -d: -f1)
	sed -i "${n}s|ts_table_first_file(&in.tab)|in.tab.files[0]|" "$f"
	m=$(grep -n 'ts_table_first_file(run->view.tab)' "$f" | head -n 1 | cut -d: -f1)
	sed -i "${m}s|ts_table_first_file(run->view.tab)|run->view.tab->files[0]|" "$f"
	# a comment, a string and another struct's field of the same name are no use
	printf '/* tab.nrows */\nstatic const char *s = "tab->ncols";\nstatic size_t f(struct ts_err *e) { return e->line; }\n' >> "$f"
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"cmd/ts-fill.c:$n: uses the field files of struct ts_table (tab.files)"* ]]
	[[ "$stderr" == *"cmd/ts-fill.c:$m: uses the field files of struct ts_table (tab->files)"* ]]
	[[ "$stderr" == *"FAILED (2 problems;"* ]]
}

@test "lint-layers: a field read from the struct as it is" {
	# a field added to struct ts_table is caught at once
	sed -i 's|^\tsize_t nfiles;$|\tsize_t nfiles, extra_count;|' "$copy/lib/io/frame.h"
	printf 'static size_t g(const struct ts_table *t) { return t->extra_count; }\n' >> "$copy/cmd/ts-plot-csv.c"
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	line=$(wc -l < "$copy/cmd/ts-plot-csv.c")
	[[ "$stderr" == *"cmd/ts-plot-csv.c:$line: uses the field extra_count of struct ts_table (t->extra_count)"* ]]
}

@test "lint-layers: a command over 600 lines" {
	f="$copy/cmd/ts-fill.c"
	while [ "$(wc -l < "$f")" -le 600 ]; do echo '/* padding */' >> "$f"; done
	run --separate-stderr "$TOP/scripts/lint-layers" "$copy"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"lint-layers: cmd/ts-fill.c:601: 601 lines; a cmd/*.c holds options and glue, at most 600 lines"* ]]
}
