#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-forecast --add-seasonality ...:condition=COND: conditional seasonalities
# against R prophet (golden/prophet/conditional.*), built-in and column
# conditions, the local date under --tz, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

GOLD="$DATA/golden/prophet"
PAIR=(--daily off --weekly off
	--add-seasonality daily_weekday:1:4:condition=weekday
	--add-seasonality daily_weekend:1:4:condition=weekend)

# max |$1.COL - $2.COL| / max|y| for column COL ($3), matched by header names;
# rows in the same order. Prints the ratio and the row count.
col_rel_diff() {
	paste -d'|' "$1" "$2" | cawk -F'|' -v col="$3" '
		{ na = split($1, a, ","); split($2, b, ",") }
		NR == 1 { for (i = 1; i <= na; i++) { if (a[i] == col) ca = i; if (a[i] == "y") cy = i }
			  for (i in b) if (b[i] == col) cb = i; next }
		{ if (a[cy] != "" && (a[cy] < 0 ? -a[cy] : a[cy]) > ymax) ymax = (a[cy] < 0 ? -a[cy] : a[cy])
		  d = a[ca] - b[cb]; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { printf "%.3g %d\n", m / ymax, n }'
}

@test "conditional: weekday and weekend daily profiles match R prophet within 1e-3 of max|y|" {
	ts-forecast "${PAIR[@]}" -H 48 --components --samples 0 "$GOLD/conditional.in.csv" > "$BATS_TEST_TMPDIR/out.csv"
	[ "$(head -1 "$BATS_TEST_TMPDIR/out.csv")" = "ds,y,is_weekend,yhat,yhat_lower,yhat_upper,trend,daily_weekday,daily_weekend" ]
	for col in yhat trend daily_weekday daily_weekend; do
		read -r diff rows < <(col_rel_diff "$BATS_TEST_TMPDIR/out.csv" "$GOLD/conditional.out.csv" $col)
		[ "$rows" -eq 720 ]
		cawk -v d="$diff" 'BEGIN { exit !(d <= 1e-3) }' || { echo "$col: diff $diff"; false; }
	done
	# each component is exactly 0 where its condition is false
	cawk -F, 'NR > 1 { split($1, dt, /[- :]/)
		wd = strftime("%u", mktime(dt[1] " " dt[2] " " dt[3] " 12 0 0"), 1) + 0
		if (wd >= 6 ? $8 != 0 : $9 != 0) bad++ }
		END { exit bad > 0 }' "$BATS_TEST_TMPDIR/out.csv"
}

@test "conditional: a true/false column gives the built-in's forecast; future rows carry it" {
	ts-forecast "${PAIR[@]}" -H 48 --samples 0 "$GOLD/conditional.in.csv" | cut -d, -f1,4 > "$BATS_TEST_TMPDIR/builtin.csv"
	# the same input with the 48 future rows given, is_weekend filled in
	{ cat "$GOLD/conditional.in.csv"; tail -n 48 "$GOLD/conditional.out.csv" | cawk -F, '{
		split($1, dt, /[- :]/)
		wd = strftime("%u", mktime(dt[1] " " dt[2] " " dt[3] " 12 0 0"), 1) + 0
		print $1 ",," (wd >= 6 ? "True" : "0") }'; } > "$BATS_TEST_TMPDIR/in.csv"
	ts-forecast --daily off --weekly off --add-seasonality daily_weekday:1:4:condition=weekday \
		--add-seasonality daily_weekend:1:4:condition=is_weekend --samples 0 "$BATS_TEST_TMPDIR/in.csv" \
		| cut -d, -f1,4 > "$BATS_TEST_TMPDIR/column.csv"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/column.csv")" -eq 721 ]
	cmp "$BATS_TEST_TMPDIR/builtin.csv" "$BATS_TEST_TMPDIR/column.csv"
}

@test "conditional: weekend is the local date of the row in the --tz zone" {
	# Friday 15:00 UTC to Saturday 14:00 UTC: Saturday from 15:00 UTC in Tokyo
	in=$(cawk 'BEGIN { print "ds,y"; for (i = 0; i < 24 * 21; i++)
		printf "%s,%d\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1614556800 + 3600 * i, 1), 10 + i % 24 }')
	for tz in UTC Asia/Tokyo; do
		run_stdin "$in" ts-forecast --tz $tz --daily off --weekly off --samples 0 --components \
			--add-seasonality daily_weekend:1:2:condition=weekend
		[ "$status" -eq 0 ]
		# 2021-03-05T15:00:00Z is a Friday in UTC, Saturday 00:00 in Tokyo
		row=$(printf '%s\n' "$output" | grep '^2021-03-05T15:00:00Z,')
		if [ $tz = UTC ]; then [ "${row##*,}" = 0 ]; else [ "${row##*,}" != 0 ]; fi
		row=$(printf '%s\n' "$output" | grep '^2021-03-05T14:00:00Z,')
		[ "${row##*,}" = 0 ]
	done
}

@test "conditional: a condition column is needed on the rows -H adds" {
	run --separate-stderr ts-forecast --add-seasonality daily_open:1:4:condition=is_weekend -H 2 "$GOLD/conditional.in.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-forecast: $GOLD/conditional.in.csv: condition \"is_weekend\" has no value for the 2 rows -H adds: append rows with an empty y that carry it, or use the built-in weekend or weekday" ]
}

@test "conditional: diagnostics name the column, the line and the value" {
	run_stdin $'ds,y\n2021-03-01,1\n2021-03-02,2\n' ts-forecast --add-seasonality w:7:3:condition=open
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>: --add-seasonality: w: no condition column "open" (columns: ds, y; built-in: weekend, weekday)' ]
	run_stdin $'ds,v\n2021-03-01,1\n2021-03-02,2\n' ts-forecast -y v --add-seasonality w:7:3:condition=v
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>: --add-seasonality: w: condition "v" is the time or value column' ]
	run_stdin $'ds,y,open\n2021-03-01,1,true\n2021-03-02,2,yes\n2021-03-03,3,false\n' ts-forecast --add-seasonality w:7:3:condition=open
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>:3: condition "open": invalid value "yes" (expected true, false, 1 or 0)' ]
	run_stdin $'ds,y,open\n2021-03-01,1,true\n2021-03-02,2,\n2021-03-03,3,false\n' ts-forecast --add-seasonality w:7:3:condition=open
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>:3: missing condition "open"' ]
	run --separate-stderr ts-forecast --add-seasonality w:7:3:condition=
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: condition "" is empty' ]
	run --separate-stderr ts-forecast --add-seasonality w:7:condition=weekend
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got "w:7:condition=weekend"' ]
}

@test "conditional: --help and the man page name condition=" {
	ts-forecast --help | grep -q 'NAME\[:DAYS:ORDER\[:PRIOR\[:MODE\]\]\]\[:condition=COND\]'
	man -l "$BATS_TEST_DIRNAME/../../man/ts-forecast.1" 2>/dev/null | grep -q 'condition=weekday'
}
