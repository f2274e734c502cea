#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# --progress and --no-progress of the -k tools (ts-fill, ts-decompose,
# ts-forecast, ts-detect): lines after a carriage return on a file when asked,
# nothing when stderr is not a terminal, nothing with --no-progress on one.

bats_require_minimum_version 1.5.0
load helper

# Three series of two weeks of hourly values, key k.
three() {
	cawk 'BEGIN { print "k,ds,y"; for (k = 0; k < 3; k++) for (i = 0; i < 336; i++)
		printf "s%d,%s,%d\n", k, strftime("%Y-%m-%d %H:%M:%S", 1526515200 + 3600 * i, 1), 100 + 50 * ((i + k) % 24 < 12) + i % 7 }'
}

# The command for tool $1 on $2, its other options after.
tool_cmd() {
	local tool=$1 in=$2
	shift 2
	case $tool in
	ts-fill) echo "ts-fill -k k -i 1h $* $in" ;;
	ts-decompose) echo "ts-decompose -k k $* $in" ;;
	ts-forecast) echo "ts-forecast -k k -H 2 $* $in" ;;
	ts-detect) echo "ts-detect -k k -m sigma $* $in" ;;
	esac
}

@test "progress: --progress writes lines after a carriage return to a file, ending erased; output unchanged" {
	three > "$BATS_TEST_TMPDIR/in.csv"
	for tool in ts-fill ts-decompose ts-forecast ts-detect; do
		run bash -c "$(tool_cmd $tool "$BATS_TEST_TMPDIR/in.csv" --progress) > '$BATS_TEST_TMPDIR/with.out' 2> '$BATS_TEST_TMPDIR/err'"
		[ "$status" -le 1 ] || { echo "$tool: status $status"; false; }
		err=$(cat "$BATS_TEST_TMPDIR/err")
		# the first line at once, the last series' line, then erased
		[[ "$err" == $'\r'"$tool: 1/3 series"* ]] || { echo "$tool: $err" | od -c | head; false; }
		[[ "$err" == *$'\r'"$tool: 3/3 series, "*" rows/s, ETA 0:00"*$'\r' ]] || { echo "$tool: $err" | od -c | tail; false; }
		[[ "$err" == *$'\r   '*$'\r' ]]
		[ "$(printf '%s' "$err" | tr -d '\r' | grep -c .)" -eq 1 ]	# one line, redrawn in place
		run bash -c "$(tool_cmd $tool "$BATS_TEST_TMPDIR/in.csv") > '$BATS_TEST_TMPDIR/without.out' 2> '$BATS_TEST_TMPDIR/err'"
		[ "$status" -le 1 ]
		# stderr is a file, not a terminal: nothing
		[ ! -s "$BATS_TEST_TMPDIR/err" ] || { echo "$tool wrote: $(cat "$BATS_TEST_TMPDIR/err")"; false; }
		cmp "$BATS_TEST_TMPDIR/with.out" "$BATS_TEST_TMPDIR/without.out"
	done
}

@test "progress: the last of --progress and --no-progress wins; warnings are not mixed into the line" {
	three > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast -k k --progress --no-progress "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	run --separate-stderr ts-forecast -k k --no-progress --progress "$BATS_TEST_TMPDIR/in.csv"
	[[ "$stderr" == *"3/3 series"* ]]
	# -v's lines start on a line of their own: the progress line is erased first
	run --separate-stderr ts-detect -k k -m sigma -v --progress "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -le 1 ]
	[ "$(printf '%s\n' "$stderr" | tr '\r' '\n' | grep -c '^ts-detect: series "s[012]": 336 rows, ')" -eq 3 ]
	# each after the erased line: no -v text shares a line with progress text
	! printf '%s\n' "$stderr" | grep -q 'ETA [0-9:]*ts-detect'
}

@test "progress: on a terminal, nothing with --no-progress, nothing for a run shorter than a second" {
	command -v script > /dev/null || skip "no script(1) to give the tools a terminal"
	three > "$BATS_TEST_TMPDIR/in.csv"
	for opt in --no-progress ""; do
		# stdout to a file, stderr on the terminal script(1) records
		run script -qec "ts-fill -k k -i 1h $opt '$BATS_TEST_TMPDIR/in.csv' > '$BATS_TEST_TMPDIR/out.csv'" /dev/null
		[ "$status" -eq 0 ]
		[[ "$output" != *series* ]] || { echo "$opt: $output"; false; }
		[ "$(wc -l < "$BATS_TEST_TMPDIR/out.csv")" -eq 1009 ]
	done
	run script -qec "ts-forecast -k k --progress '$BATS_TEST_TMPDIR/in.csv' > /dev/null" /dev/null
	[[ "$output" == *"ts-forecast: 3/3 series"* ]]
}

@test "progress: --help and the man pages name it; ts-plot-csv has no per-series run and refuses it" {
	for tool in ts-fill ts-decompose ts-forecast ts-detect; do
		$tool --help | grep -q -- '--progress '
		$tool --help | grep -q -- '--no-progress '
		$tool --help | head -14 | grep -q -- '\[--progress|--no-progress\]'
		grep -q 'Fl -progress , Fl -no-progress' "$BATS_TEST_DIRNAME/../../man/$tool.1"
	done
	! ts-plot-csv --help | grep -q -- '--progress'
	run --separate-stderr ts-plot-csv --progress
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-plot-csv: unrecognized option '--progress'" ]
}
