#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# grouped: --grouped runs each series as its rows end and writes the same
# bytes as a whole read, refuses a key that comes back at its line, says
# under -v when an option needs the whole input, and holds memory flat.

bats_require_minimum_version 1.5.0
load helper

# metrics N: N hourly series of uneven length (40 to 99 rows, a few rows
# missing), rows grouped by key, header "series,ds,y".
metrics() {
	cawk -v n="$1" 'BEGIN {
		srand(11); print "series,ds,y"
		for (s = 0; s < n; s++) {
			len = 40 + int(60 * rand())
			for (i = 0; i < len; i++)
				if (rand() > 0.05)
					printf "m%d,%d,%.2f\n", s, 1764547200 + 3600 * i,
						100 + 20 * sin(i / 3.8) + 5 * rand() + s
		}
	}'
}

# shuffled FILE: the same rows, series interleaved (the header first).
shuffled() {
	head -n 1 "$1"
	tail -n +2 "$1" | cawk 'BEGIN { srand(5) } { printf "%.8f\t%s\n", rand(), $0 }' |
		sort -t "$(printf '\t')" -k1,1 | cut -f 2-
}

setup() {
	IN=$BATS_TEST_TMPDIR/in.csv
	metrics 150 > "$IN"
}

@test "--grouped writes what a whole read writes: fill, forecast, detect, small batches, any -j" {
	ts-fill -k series -i 1h --fill zero "$IN" > "$BATS_TEST_TMPDIR/fill.csv"
	ts-forecast -k series -H 24 --model snaive "$BATS_TEST_TMPDIR/fill.csv" > "$BATS_TEST_TMPDIR/fc.csv"
	ts-detect -k series --last 3h "$BATS_TEST_TMPDIR/fc.csv" > "$BATS_TEST_TMPDIR/det.csv" || true
	[ "$(wc -l < "$BATS_TEST_TMPDIR/det.csv")" -gt 10000 ]
	for rows in 1 500 100000; do
		for j in 1 3; do
			run --separate-stderr env TS_GROUPED_ROWS=$rows ts-fill -k series -i 1h --fill zero --grouped -j $j "$IN"
			[ "$status" -eq 0 ]
			[ "$output" = "$(cat "$BATS_TEST_TMPDIR/fill.csv")" ]
			run --separate-stderr env TS_GROUPED_ROWS=$rows ts-forecast -k series -H 24 --model snaive --grouped -j $j \
				"$BATS_TEST_TMPDIR/fill.csv"
			[ "$status" -eq 0 ]
			[ "$output" = "$(cat "$BATS_TEST_TMPDIR/fc.csv")" ]
			run --separate-stderr env TS_GROUPED_ROWS=$rows ts-detect -k series --last 3h --grouped -j $j \
				"$BATS_TEST_TMPDIR/fc.csv"
			[ "$output" = "$(cat "$BATS_TEST_TMPDIR/det.csv")" ]
		done
	done
}

@test "the whole job on standard input: grouped input with --grouped, shuffled without, same rows sorted" {
	shuffled "$IN" > "$BATS_TEST_TMPDIR/shuffled.csv"
	! cmp -s "$IN" "$BATS_TEST_TMPDIR/shuffled.csv"
	job='ts-fill -k series -i 1h --fill zero $0 < "$1" | ts-forecast -k series -H 24 --model snaive $0 |
		ts-detect -k series --last 1h $0 | sort'
	run --separate-stderr env TS_GROUPED_ROWS=700 bash -c "$job" --grouped "$IN"
	[ "${#lines[@]}" -gt 10000 ]
	[ "$stderr" = "" ]
	grouped=$output
	run --separate-stderr bash -c "$job" "" "$BATS_TEST_TMPDIR/shuffled.csv"
	[ "$stderr" = "" ]
	[ "$output" = "$grouped" ]
}

@test "--grouped: a key that comes back is an error at its line" {
	{ cat "$IN"; sed -n 2p "$IN"; } > "$BATS_TEST_TMPDIR/back.csv"
	line=$(wc -l < "$BATS_TEST_TMPDIR/back.csv")
	run --separate-stderr ts-fill -k series -i 1h --grouped "$BATS_TEST_TMPDIR/back.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $BATS_TEST_TMPDIR/back.csv:$line: series \"m0\" comes back after other series: --grouped needs the rows of each series together (sort by the key, or leave --grouped out)" ]
	# small batches: the series before it were written, then the same message
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-forecast -k series --model naive --grouped < "$BATS_TEST_TMPDIR/back.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>:$line: series \"m0\" comes back after other series: --grouped needs the rows of each series together (sort by the key, or leave --grouped out)" ]
	[ "${#lines[@]}" -gt 100 ]
	# without --grouped the input is read whole: no error
	run --separate-stderr ts-fill -k series -i 1h "$BATS_TEST_TMPDIR/back.csv"
	[ "$status" -eq 0 ]
}

@test "--grouped: a bad row late in the input fails at its line, as a whole read does" {
	{ cat "$IN"; echo "m9999,1764547200,oops"; } > "$BATS_TEST_TMPDIR/bad.csv"
	line=$(wc -l < "$BATS_TEST_TMPDIR/bad.csv")
	run --separate-stderr ts-fill -k series -i 1h "$BATS_TEST_TMPDIR/bad.csv"
	[ "$status" -eq 2 ]
	whole=$stderr
	[ "$whole" = "ts-fill: $BATS_TEST_TMPDIR/bad.csv:$line: bad number \"oops\" in column y" ]
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-fill -k series -i 1h --grouped "$BATS_TEST_TMPDIR/bad.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "$whole" ]
	# a ragged row too, after series already written
	{ cat "$IN"; echo "m9999,1764547200"; } > "$BATS_TEST_TMPDIR/ragged.csv"
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-fill -k series -i 1h --grouped "$BATS_TEST_TMPDIR/ragged.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $BATS_TEST_TMPDIR/ragged.csv:$line: expected 3 fields, found 2" ]
	[ "${#lines[@]}" -gt 100 ]
}

@test "--grouped --skip-bad: the same rows out, the same warnings and count" {
	cawk 'NR == 500 { sub(/,[^,]*$/, ",zzz") } NR == 3000 { sub(/,[^,]*$/, "") } { print }' "$IN" \
		> "$BATS_TEST_TMPDIR/skip.csv"
	run --separate-stderr ts-fill -k series -i 1h --skip-bad "$BATS_TEST_TMPDIR/skip.csv"
	[ "$status" -eq 0 ]
	out=$output
	err=$(printf '%s\n' "$stderr" | sort)
	[[ "$stderr" == *"skipped 2 bad rows"* ]]
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-fill -k series -i 1h --skip-bad --grouped "$BATS_TEST_TMPDIR/skip.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$out" ]
	[ "$(printf '%s\n' "$stderr" | sort)" = "$err" ]
	[ "$(printf '%s\n' "$stderr" | tail -n 1)" = "ts-fill: warning: skipped 2 bad rows" ]
}

@test "--grouped -v: an option that needs every series reads the whole input and says so" {
	ts-forecast -k series -H 3 --model snaive --components "$IN" > "$BATS_TEST_TMPDIR/whole.csv"
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-forecast -k series -H 3 --model snaive --components --grouped -v "$IN"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/whole.csv")" ]
	[ "${stderr_lines[0]}" = "ts-forecast: --grouped: reading the whole input: --components writes the columns of every series" ]
	ts-fill -k series -i 1h --fill linear "$IN" > "$BATS_TEST_TMPDIR/filled.csv"
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-decompose -k series -p 12 --grouped -v "$BATS_TEST_TMPDIR/filled.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "ts-decompose: --grouped: reading the whole input: the header names the columns of every series" ]
	[ "$output" = "$(ts-decompose -k series -p 12 "$BATS_TEST_TMPDIR/filled.csv")" ]
	# ts-fill guessing its value column (named neither y nor value)
	sed '1s/,y$/,errors/' "$IN" > "$BATS_TEST_TMPDIR/errors.csv"
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-fill -k series -i 1h --grouped -v "$BATS_TEST_TMPDIR/errors.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "ts-fill: --grouped: reading the whole input: the value column is guessed from every series" ]
	[ "$output" = "$(ts-fill -k series -i 1h "$BATS_TEST_TMPDIR/errors.csv")" ]
	# without -v, nothing said
	run --separate-stderr env TS_GROUPED_ROWS=1 ts-detect -k series --junit "$BATS_TEST_TMPDIR/j.xml" --grouped \
		"$BATS_TEST_TMPDIR/filled.csv"
	[ "$stderr" = "" ]
	[ "$output" = "$(ts-detect -k series --junit "$BATS_TEST_TMPDIR/j2.xml" "$BATS_TEST_TMPDIR/filled.csv")" ]
	cmp "$BATS_TEST_TMPDIR/j.xml" "$BATS_TEST_TMPDIR/j2.xml"
}

@test "--grouped in --help; -j defaults to all cores" {
	for tool in ts-fill ts-forecast ts-detect ts-decompose ts-plot-csv; do
		run "$tool" --help
		[ "$status" -eq 0 ]
		[[ "$output" == *"--grouped        with -k, each series' rows come together (sorted by key):"* ]]
		[[ "$output" == *"-j, --jobs N         series processed in parallel (default 0: all cores)"* ]]
	done
}

@test "--grouped: peak memory stays flat as the number of series grows" {
	[ -x /usr/bin/time ] || skip "GNU time is needed for peak memory"
	if ldd "$(command -v ts-fill)" 2>/dev/null | grep -q libasan; then
		skip "ASan's shadow memory hides the tool's own"
	fi
	for n in 1000 4000; do
		cawk -v n=$n 'BEGIN { print "series,ds,y"; for (s = 0; s < n; s++) for (i = 0; i < 300; i++)
			printf "m%d,%d,%d\n", s, 1764547200 + 3600 * i, (s * 7 + i) % 50 }' > "$BATS_TEST_TMPDIR/m$n.csv"
		# batches of 8192 rows: both sizes run many of them, as a big input does
		TS_GROUPED_ROWS=8192 /usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss$n" ts-fill -k series -i 1h --grouped \
			"$BATS_TEST_TMPDIR/m$n.csv" > /dev/null
	done
	small=$(tail -n 1 "$BATS_TEST_TMPDIR/rss1000")
	large=$(tail -n 1 "$BATS_TEST_TMPDIR/rss4000")
	echo "peak RSS: 300,000 rows $small KB, 1,200,000 rows $large KB"
	# four times the rows, at most half as much memory again
	[ "$large" -le $((small * 3 / 2)) ]
}

@test "README: the hourly job with --grouped runs on the bundled data as without it" {
	cd "$BATS_TEST_DIRNAME/../.."
	job=$(awk '$0 == "<!-- example:grouped -->" { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' README.md)
	[ -n "$job" ]
	run bash -c "$job"
	[ "$status" -eq 1 ]
	grouped=$output
	run bash -c "${job//--grouped/}"
	[ "$status" -eq 1 ]
	[ "$output" = "$grouped" ]
}
