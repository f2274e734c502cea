#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile: every file of the hostile-input corpus (tests/data/hostile, see
# SOURCE.md) through every tool, with and without --skip-bad: a result or a
# message, never a crash, a hang or a sanitizer report.

bats_require_minimum_version 1.5.0
load helper

@test "the hostile corpus through every tool: exit 0, 1 or 2, nothing from the sanitizers" {
	local cmds=("ts-fill -i 1h --fill linear" "ts-fill --tz Europe/Berlin" "ts-decompose --robust"
		    "ts-forecast -H 3 --model snaive" "ts-detect" "ts-detect -m esd" "ts-detect --stream"
		    "ts-plot-csv -f png")
	local n=0
	for f in "$DATA"/hostile/*; do
		case $f in */gen | */SOURCE.md) continue ;; esac
		for cmd in "${cmds[@]}"; do
			for opt in "" --skip-bad; do
				run --separate-stderr $cmd $opt "$f"
				n=$((n + 1))
				if [ "$status" -gt 2 ] || [[ "$stderr" == *Sanitizer* ]] || [[ "$stderr" == *"runtime error"* ]]; then
					echo "$cmd $opt $(basename "$f"): status $status"
					printf '%s\n' "$stderr" | head -n 5
					false
				fi
			done
		done
	done
	[ "$n" -ge 190 ]
}
