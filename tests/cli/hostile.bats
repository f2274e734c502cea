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

@test "CRLF in, CRLF out: every tool keeps the input's line ending, LF stays LF" {
	in="$BATS_TEST_TMPDIR/crlf.csv"
	cawk 'BEGIN { printf "ds,y\r\n"; for (i = 0; i < 72; i++)
		printf "2018-01-%02d %02d:00:00,%d\r\n", 1 + int(i / 24), i % 24, 10 + (i % 24 < 12 ? 5 : 0) + (i == 70 ? 40 : 0) }' > "$in"
	for cmd in "ts-fill -i 1h" "ts-decompose -p 24" "ts-decompose -p 24 --summary" "ts-forecast --model snaive -H 3" \
		"ts-forecast --model snaive --cv initial=36h,period=12h,horizon=6h" "ts-detect -m iqr" "ts-detect --stream" \
		"ts-plot-csv -f png -o $BATS_TEST_TMPDIR/p.png --tee"; do
		run --separate-stderr bash -c "$cmd < '$in'"
		[ "$status" -le 1 ] || { echo "$cmd: $status $stderr"; false; }
		lines=$(printf '%s\n' "$output" | wc -l)
		crlf=$(printf '%s\n' "$output" | grep -c $'\r$' || true)
		[ "$lines" -gt 1 ] && [ "$crlf" -eq "$lines" ] || { echo "$cmd: $crlf of $lines lines end in CRLF"; false; }
		run --separate-stderr bash -c "tr -d '\r' < '$in' | $cmd"
		[ "$(printf '%s\n' "$output" | grep -c $'\r' || true)" -eq 0 ] || { echo "$cmd: CR in LF output"; false; }
	done
}
