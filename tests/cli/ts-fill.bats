#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-fill CLI: buckets, aggregation, filling, windows, keys, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

@test "issue example: hourly zeros keep the input's timestamp format" {
	run_stdin $'ds,y\n2018-05-31 00:00:00,5\n2018-05-31 03:00:00,7\n' ts-fill -i 1h --fill zero
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-05-31 00:00:00,5\n2018-05-31 01:00:00,0\n2018-05-31 02:00:00,0\n2018-05-31 03:00:00,7' ]
	[ "$stderr" = "" ]
}

@test "README example runs as documented" {
	readme="$BATS_TEST_DIRNAME/../../README.md"
	block=$(awk '/^<!-- example:fill -->/ { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$readme")
	cmd=$(printf '%s\n' "$block" | sed -n 's/^\$ //p')
	expected=$(printf '%s\n' "$block" | sed '/^\$ /d')
	[ -n "$cmd" ] && [ -n "$expected" ]
	run bash -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "README cube example runs as documented" {
	readme="$BATS_TEST_DIRNAME/../../README.md"
	block=$(awk '/^<!-- example:cube -->/ { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$readme")
	cmd=$(printf '%s\n' "$block" | sed -n 's/^\$ //p')
	expected=$(printf '%s\n' "$block" | sed '/^\$ /d')
	[ -n "$cmd" ] && [ -n "$expected" ]
	run bash -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "default interval is the most common spacing; gaps stay empty without --fill" {
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 00:10,2\n2018-01-01 00:20,3\n2018-01-01 00:50,4\n' ts-fill
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-01-01 00:00,1\n2018-01-01 00:10,2\n2018-01-01 00:20,3\n2018-01-01 00:30,\n2018-01-01 00:40,\n2018-01-01 00:50,4' ]
}

@test "monthly spacing is recognised as a calendar month" {
	run_stdin $'date,y\n2018-01-01,1\n2018-02-01,2\n2018-04-01,4\n' ts-fill --fill linear
	[ "$status" -eq 0 ]
	[ "$output" = $'date,y\n2018-01-01,1\n2018-02-01,2\n2018-03-01,3\n2018-04-01,4' ]
}

@test "unsorted rows and duplicate timestamps are summed, never dropped" {
	run_stdin $'ds,y\n2018-01-01 02:00:00,5\n2018-01-01 00:30:00,1\n2018-01-01 00:00:00,2\n2018-01-01 02:59:59,1\n' ts-fill -i 1h -v
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-01-01 00:00:00,3\n2018-01-01 01:00:00,\n2018-01-01 02:00:00,6' ]
	[ "$stderr" = 'ts-fill: <stdin>: value column "y", --agg sum'$'\n''ts-fill: <stdin>: 4 rows in, 3 buckets out, 0 filled, 1 empty, 4 rows aggregated, 0 outside --start/--end, 0 skipped, interval 1h' ]
}

@test "every aggregation" {
	in=$'ds,y\n2018-01-01 00:00:00,4\n2018-01-01 00:20:00,1\n2018-01-01 00:40:00,\n2018-01-01 00:50:00,10\n'
	for pair in sum:15 mean:5 min:1 max:10 count:3 first:4 last:10 median:4 p50:4 p90:8.8 p0:1 p100:10; do
		run_stdin "$in" ts-fill -i 1h --agg "${pair%%:*}"
		[ "$status" -eq 0 ]
		[ "$output" = $'ds,y\n2018-01-01 00:00:00,'"${pair#*:}" ] || { echo "$pair -> $output"; false; }
	done
}

@test "uniq:COL counts distinct values per bucket in a column of its own, never under y" {
	run_stdin $'ts,user,y\n2018-01-01T00:01:00Z,ann,1\n2018-01-01T00:02:00Z,bob,2\n2018-01-01T00:03:00Z,ann,1\n2018-01-01T01:00:00Z,,1\n' ts-fill -i 1h --agg uniq:user
	[ "$status" -eq 0 ]
	# y is then a column like any other: its text where the bucket's rows agree
	[ "$output" = $'ts,user,y,uniq_user\n2018-01-01T00:00:00Z,,,2\n2018-01-01T01:00:00Z,,1,0' ]
}

@test "issue example: seed 003's cube in one pass, one column per aggregate, --fill on each" {
	in=$'ts,service,country,user_id,bytes,latency,status\n2018-01-01T00:01:00Z,api,kr,u1,100,0.5,200\n2018-01-01T00:02:00Z,api,kr,u2,200,0.7,500\n2018-01-01T00:03:00Z,api,kr,u1,50,,200\n2018-01-01T00:05:00Z,web,us,u9,1,0.1,200\n2018-01-01T00:25:00Z,api,kr,u3,10,1.5,503\n'
	run_stdin "$in" ts-fill -k service,country -i 10m --agg count,uniq:user_id,sum:bytes,p99:latency --fill zero -v
	[ "$status" -eq 0 ]
	[ "$output" = $'ts,service,country,user_id,bytes,latency,status,count,uniq_user_id,sum_bytes,p99_latency\n2018-01-01T00:00:00Z,api,kr,,,,,3,2,350,0.698\n2018-01-01T00:10:00Z,api,kr,,,,,0,0,0,0\n2018-01-01T00:20:00Z,api,kr,u3,10,1.5,503,1,1,10,1.5\n2018-01-01T00:00:00Z,web,us,u9,1,0.1,200,1,1,1,0.1' ]
	[ "${stderr%%$'\n'*}" = "ts-fill: <stdin>: aggregates: count, uniq_user_id, sum_bytes, p99_latency" ]
	# a second --agg adds to the list; the same list in two halves gives the same bytes
	two=$(printf '%s' "$in" | ts-fill -k service,country -i 10m --agg count,uniq:user_id --agg sum:bytes,p99:latency --fill zero)
	[ "$two" = "$output" ]
	# a status column that is text further down is no value here: never read
	run_stdin "$in"$'2018-01-01T00:26:00Z,api,kr,u3,10,1.5,timeout\n' ts-fill -k service,country -i 10m --agg count,sum:bytes
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "2018-01-01T00:20:00Z,api,kr,u3,10,1.5,,2,20" ]
	# --fill none leaves each aggregate of an empty bucket empty, --mark flags it
	run_stdin "$in" ts-fill -k service,country -i 10m --agg count,max:bytes --mark
	[ "$output" = $'ts,service,country,user_id,bytes,latency,status,count,max_bytes,filled\n2018-01-01T00:00:00Z,api,kr,,,,,3,200,0\n2018-01-01T00:10:00Z,api,kr,,,,,,,1\n2018-01-01T00:20:00Z,api,kr,u3,10,1.5,503,1,10,0\n2018-01-01T00:00:00Z,web,us,u9,1,0.1,200,1,1,0' ]
}

@test "--agg lists: bare functions aggregate the value column into FUNC_VALUE; count:COL counts its values" {
	run_stdin $'ds,y,note\n2018-01-01 00:10,4,a\n2018-01-01 00:20,,b\n2018-01-01 00:40,10,\n' ts-fill -i 1h --agg mean,max,count,count:note
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,note,mean_y,max_y,count,count_note\n2018-01-01 00:00,,,7,10,3,2' ]
}

@test "--agg list errors: unknown item, a column that is not there, a repeat, no value column, too many" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg count,p99:latency
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: --agg p99: no column "latency" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg count,avg
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --agg: unknown aggregation "avg" (sum, mean, min, max, count, first, last, median, pNN, uniq:COL; FUNC:COL for a column)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg count --agg count
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --agg: "count" given twice' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg p99:2,p99:y
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: --agg: two aggregates named "p99_y"' ]
	run_stdin $'ds,host\n2018-01-01,a\n' ts-fill --agg count,mean
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: --agg mean needs a value column: give -y (columns: ds, host)' ]
	run_stdin $'ds,y,bytes\n2018-01-01,1,12kB\n' ts-fill -i 1d --agg sum:bytes
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:2: bad number "12kB" in column bytes' ]
	many=$(printf 'p%d,' $(seq 1 33)); many=${many%,}
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg "$many"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --agg: at most 32 aggregations' ]
}

@test "event logs are counted, never summed by accident; -v says what was chosen" {
	# a numeric status column, two rows in one bucket: counted, not summed into 1003
	log=$'ts,service,status\n2018-01-01T00:01:00Z,api,500\n2018-01-01T00:02:00Z,api,503\n2018-01-01T00:15:00Z,api,500\n'
	run_stdin "$log" ts-fill -k service -i 10m -v
	[ "$status" -eq 0 ]
	[ "$output" = $'ts,service,status,count\n2018-01-01T00:00:00Z,api,,2\n2018-01-01T00:10:00Z,api,500,1' ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: event log: rows counted per bucket into "count" (rows share a bucket, and neither -y nor a column y or value names a value; -y status aggregates "status" instead)' ]
	# named with -y, the value is aggregated
	run_stdin "$log" ts-fill -k service -i 10m -y status -v
	[ "$output" = $'ts,service,status\n2018-01-01T00:00:00Z,api,1003\n2018-01-01T00:10:00Z,api,500' ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: value column "status" (-y), --agg sum' ]
	# a column called value is the value, wherever it stands
	run_stdin $'ts,status,value\n2018-01-01T00:01:00Z,500,2\n2018-01-01T00:02:00Z,503,3\n' ts-fill -i 10m -v
	[ "$output" = $'ts,status,value\n2018-01-01T00:00:00Z,,5' ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: value column "value", --agg sum' ]
	# a sampled series (one row per bucket) keeps its first numeric column
	run_stdin $'@timestamp,service,errors\n2018-01-01T00:00:00Z,api,7\n2018-01-01T02:00:00Z,api,9\n' ts-fill -k service -i 1h --fill zero -v
	[ "$output" = $'@timestamp,service,errors\n2018-01-01T00:00:00Z,api,7\n2018-01-01T01:00:00Z,api,0\n2018-01-01T02:00:00Z,api,9' ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: value column "errors" (the first numeric column; no two rows of a series share a bucket)' ]
	# an explicit --agg aggregates the first numeric column as asked
	run_stdin "$log" ts-fill -k service -i 10m --agg max -v
	[ "$output" = $'ts,service,status\n2018-01-01T00:00:00Z,api,503\n2018-01-01T00:10:00Z,api,500' ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: value column "status" (the first numeric column), --agg max' ]
	# no numeric column at all
	run_stdin $'ts,host\n2018-01-01T00:01:00Z,a\n' ts-fill -i 10m -v
	[ "${stderr%%$'\n'*}" = 'ts-fill: <stdin>: event log: rows counted per bucket into "count" (no numeric column)' ]
}

@test "an empty export with --start/--end warns that every bucket is made up" {
	# rows, but no value in the window: per series, with its key
	run_stdin $'ds,host,y\n2018-01-01T00:00:00Z,a,\n2018-01-01T00:00:00Z,b,1\n' ts-fill -k host -i 1h --fill zero --start 2017-12-31T23:00:00Z --end 2018-01-01T01:00:00Z
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,host,y\n2017-12-31T23:00:00Z,a,0\n2018-01-01T00:00:00Z,a,0\n2018-01-01T01:00:00Z,a,0\n2017-12-31T23:00:00Z,b,0\n2018-01-01T00:00:00Z,b,1\n2018-01-01T01:00:00Z,b,0' ]
	[ "$stderr" = 'ts-fill: warning: <stdin>: series "a": no value between --start and --end: 3 buckets, all filled with --fill zero' ]
	# without --fill the buckets stay empty, and it says so
	run_stdin $'ds,y\n2018-01-01T05:00:00Z,1\n' ts-fill -i 1h --start 2018-01-01T00:00:00Z --end 2018-01-01T01:00:00Z
	[ "$status" -eq 0 ]
	[ "$stderr" = 'ts-fill: warning: <stdin>: no value between --start and --end: 2 buckets, all left empty' ]
}

@test "raw events without a value column are counted into a count column" {
	run_stdin $'@timestamp,host\n2018-01-01T00:01:00Z,a\n2018-01-01T00:02:00Z,a\n2018-01-01T00:25:00Z,b\n' ts-fill -i 10m --fill zero
	[ "$status" -eq 0 ]
	[ "$output" = $'@timestamp,host,count\n2018-01-01T00:00:00Z,a,2\n2018-01-01T00:10:00Z,,0\n2018-01-01T00:20:00Z,b,1' ]
}

@test "--agg mean on raw events says a value column is needed" {
	run_stdin $'ds,host\n2018-01-01,a\n' ts-fill --agg mean
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: <stdin>: --agg mean needs a value column: give -y (columns: ds, host)" ]
}

@test "every fill method" {
	in=$'ds,y\n2018-01-01,1\n2018-01-02,\n2018-01-04,4\n2018-01-06,\n'
	declare -A want=(
		[none]=$'1\n\n\n4'
		[zero]=$'1\n0\n0\n4\n0\n0'
		[prev]=$'1\n1\n1\n4\n4\n4'
		[next]=$'1\n4\n4\n4'
		[linear]=$'1\n2\n3\n4'
		[value:-1.5]=$'1\n-1.5\n-1.5\n4\n-1.5\n-1.5'
	)
	for m in "${!want[@]}"; do
		run_stdin "$in" ts-fill -i 1d --fill "$m"
		[ "$status" -eq 0 ]
		got=$(printf '%s\n' "$output" | sed 1d | cut -d, -f2)
		[ "$got" = "${want[$m]}" ] || { echo "$m: $got"; false; }
	done
}

@test "--max-gap leaves long gaps empty and --mark flags created rows" {
	in=$'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2\n2018-01-01 05:00,6\n2018-01-01 07:00,8\n'
	run_stdin "$in" ts-fill -i 1h --fill linear --max-gap 2h --mark
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,filled\n2018-01-01 00:00,1,0\n2018-01-01 01:00,2,0\n2018-01-01 02:00,,1\n2018-01-01 03:00,,1\n2018-01-01 04:00,,1\n2018-01-01 05:00,6,0\n2018-01-01 06:00,7,1\n2018-01-01 07:00,8,0' ]
}

@test "--mark replaces an existing filled column, so a second run is idempotent" {
	in=$'ds,y\n2018-01-01,1\n2018-01-03,3\n'
	once=$(printf '%s' "$in" | ts-fill -i 1d --fill linear --mark)
	twice=$(printf '%s\n' "$once" | ts-fill -i 1d --fill linear --mark)
	[ "$once" = $'ds,y,filled\n2018-01-01,1,0\n2018-01-02,2,1\n2018-01-03,3,0' ]
	[ "$(printf '%s\n' "$twice" | cut -d, -f1,2)" = "$(printf '%s\n' "$once" | cut -d, -f1,2)" ]
}

@test "seasonal fill restores a missing day of a daily pattern" {
	# Four days of a 6-hour cycle with one value missing: the season says 10.
	in=$'ds,y\n'
	for d in 01 02 03 04; do
		for h in 00 06 12 18; do
			case $h in 00) v=1 ;; 06) v=5 ;; 12) v=10 ;; 18) v=5 ;; esac
			[ "$d$h" = "0312" ] && v=
			in+="2018-01-$d $h:00:00,$v"$'\n'
		done
	done
	run_stdin "$in" ts-fill -i 6h --fill seasonal -p 4
	[ "$status" -eq 0 ]
	got=$(printf '%s\n' "$output" | grep '^2018-01-03 12' | cut -d, -f2)
	LC_ALL=C awk -v g="$got" 'BEGIN { exit !(g > 9.5 && g < 10.5) }' || { echo "got $got"; false; }
}

@test "--start/--end with TS_NOW give the cron window of complete buckets, rows outside counted" {
	in=$'ds,y\n2018-05-30 23:00:00,9\n2018-05-31 00:50:00,4\n2018-05-31 01:15:00,5\n2018-05-31 03:10:00,8\n'
	TS_NOW='2018-05-31 03:42:00' run_stdin "$in" ts-fill -i 1h --start now-3h --end now --fill zero -v
	[ "$status" -eq 0 ]
	# now-3h = 00:42: the 00:00 bucket began before it, the 03:00 one has not ended.
	[ "$output" = $'ds,y\n2018-05-31 01:00:00,5\n2018-05-31 02:00:00,0' ]
	[ "$stderr" = 'ts-fill: <stdin>: value column "y", --agg sum'$'\n''ts-fill: <stdin>: 4 rows in, 2 buckets out, 1 filled, 0 empty, 0 rows aggregated, 3 outside --start/--end, 0 skipped, interval 1h' ]
}

@test "issue example: --end now ends with the last complete bucket" {
	TS_NOW=2026-12-02T14:05:00Z run_stdin $'ds,y\n2026-12-02T13:10:00Z,7\n2026-12-02T14:01:00Z,1\n' ts-fill -i 1h --start now-3h --end now
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2026-12-02T12:00:00Z,\n2026-12-02T13:00:00Z,7' ]
	[ "$stderr" = "" ]
}

@test "--partial keep keeps the cut buckets, mark also says which (and --mark's filled is its own)" {
	in=$'ds,y\n2026-12-02T11:30:00Z,1\n2026-12-02T13:10:00Z,2\n2026-12-02T14:01:00Z,3\n'
	TS_NOW=2026-12-02T14:05:00Z run_stdin "$in" ts-fill -i 1h --start now-3h --end now --fill zero --partial keep
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2026-12-02T11:00:00Z,1\n2026-12-02T12:00:00Z,0\n2026-12-02T13:00:00Z,2\n2026-12-02T14:00:00Z,3' ]
	TS_NOW=2026-12-02T14:05:00Z run_stdin "$in" ts-fill -i 1h --start now-3h --end now --fill zero --partial mark --mark
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,filled,partial\n2026-12-02T11:00:00Z,1,0,1\n2026-12-02T12:00:00Z,0,1,0\n2026-12-02T13:00:00Z,2,0,0\n2026-12-02T14:00:00Z,3,0,1' ]
	# A cut bucket with no rows is both filled and partial.
	TS_NOW=2026-12-02T14:05:00Z run_stdin $'ds,y\n2026-12-02T13:10:00Z,2\n' ts-fill -i 1h --start now-1h --end now --fill zero --partial mark --mark
	[ "$output" = $'ds,y,filled,partial\n2026-12-02T13:00:00Z,2,0,1\n2026-12-02T14:00:00Z,0,1,1' ]
	run_stdin $'ds,y\n2026-12-02T13:10:00Z,2\n' ts-fill --partial some
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --partial: unknown value "some" (expected drop, keep or mark)' ]
}

@test "the first bucket: in when it starts at or after a now-DUR start" {
	in=$'ds,y\n2026-12-02T10:00:00Z,1\n2026-12-02T11:00:00Z,2\n2026-12-02T12:00:00Z,3\n'
	# now-3h = 11:00 exactly: the 11:00 bucket is whole, so it is in.
	TS_NOW=2026-12-02T14:00:00Z run_stdin "$in" ts-fill -i 1h --start now-3h --end now
	[ "$output" = $'ds,y\n2026-12-02T11:00:00Z,2\n2026-12-02T12:00:00Z,3\n2026-12-02T13:00:00Z,' ]
	# now-3h = 11:00:01: the 11:00 bucket began before it, so the grid starts at 12:00.
	TS_NOW=2026-12-02T14:00:01Z run_stdin "$in" ts-fill -i 1h --start now-3h --partial mark
	[ "$output" = $'ds,y,partial\n2026-12-02T11:00:00Z,2,1\n2026-12-02T12:00:00Z,3,0' ]
	TS_NOW=2026-12-02T14:00:01Z run_stdin "$in" ts-fill -i 1h --start now-3h
	[ "$output" = $'ds,y\n2026-12-02T12:00:00Z,3' ]
}

@test "an --end now exactly on a bucket boundary: that bucket has only begun" {
	in=$'ds,y\n2026-12-02T12:00:00Z,1\n2026-12-02T13:00:00Z,2\n2026-12-02T14:00:00Z,3\n'
	TS_NOW=2026-12-02T14:00:00Z run_stdin "$in" ts-fill -i 1h --end now
	[ "$output" = $'ds,y\n2026-12-02T12:00:00Z,1\n2026-12-02T13:00:00Z,2' ]
	TS_NOW=2026-12-02T14:00:00Z run_stdin "$in" ts-fill -i 1h --end now-1h
	[ "$output" = $'ds,y\n2026-12-02T12:00:00Z,1' ]
	TS_NOW=2026-12-02T14:00:00Z run_stdin "$in" ts-fill -i 1h --end now --partial mark
	[ "$output" = $'ds,y,partial\n2026-12-02T12:00:00Z,1,0\n2026-12-02T13:00:00Z,2,0\n2026-12-02T14:00:00Z,3,1' ]
}

@test "day buckets in a --tz zone end at the zone's last complete day" {
	in=$'ds,y\n2026-11-29,1\n2026-11-30,2\n2026-12-01,3\n2026-12-02,4\n'
	# 23:30Z is 00:30 in Paris: the Paris day of December 1 is complete, the UTC one is not.
	TS_NOW=2026-12-01T23:30:00Z run_stdin "$in" ts-fill -i 1d --tz Europe/Paris --start now-3d --end now
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2026-11-30,2\n2026-12-01,3' ]
	TS_NOW=2026-12-01T23:30:00Z run_stdin "$in" ts-fill -i 1d --start now-3d --end now
	[ "$output" = $'ds,y\n2026-11-29,1\n2026-11-30,2' ]
	TS_NOW=2026-12-01T23:30:00Z run_stdin "$in" ts-fill -i 1d --tz Europe/Paris --start now-3d --end now --partial mark
	[ "$output" = $'ds,y,partial\n2026-11-29,1,1\n2026-11-30,2,0\n2026-12-01,3,0\n2026-12-02,4,1' ]
}

@test "explicit timestamps name their buckets, whole, whatever --partial says" {
	in=$'ds,y\n2026-12-02T11:30:00Z,1\n2026-12-02T14:01:00Z,3\n'
	run_stdin "$in" ts-fill -i 1h --start 2026-12-02T11:05:00Z --end 2026-12-02T14:05:00Z --partial mark
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,partial\n2026-12-02T11:00:00Z,1,0\n2026-12-02T12:00:00Z,,0\n2026-12-02T13:00:00Z,,0\n2026-12-02T14:00:00Z,3,0' ]
	# A timestamp start with a now end: only the end cuts.
	TS_NOW=2026-12-02T14:05:00Z run_stdin "$in" ts-fill -i 1h --start 2026-12-02T11:05:00Z --end now
	[ "$output" = $'ds,y\n2026-12-02T11:00:00Z,1\n2026-12-02T12:00:00Z,\n2026-12-02T13:00:00Z,' ]
}

@test "a now window that holds no complete bucket" {
	TS_NOW=2026-12-02T14:05:00Z run_stdin $'ds,y\n2026-12-02T14:01:00Z,3\n' ts-fill -i 1h --start now-30m --end now
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: <stdin>: no complete bucket of 1h between --start and --end (--partial keep keeps the incomplete ones)" ]
	[ "$output" = "" ]
	TS_NOW=2026-12-02T14:05:00Z run_stdin $'ds,y\n2026-12-02T14:01:00Z,3\n' ts-fill -i 1h --start now-30m --end now --partial keep
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2026-12-02T13:00:00Z,\n2026-12-02T14:00:00Z,3' ]
}

@test "--start/--end and TS_NOW without an offset are read in --tz" {
	TS_NOW='2018-03-25 12:00:00' run_stdin $'ds,y\n2018-03-25 01:00:00,5\n' ts-fill --tz Europe/Paris -i 1h --start '2018-03-25 00:00:00' --end now-10h --fill zero --partial keep
	[ "$status" -eq 0 ]
	# now = 12:00 CEST = 10:00Z; now-10h = 00:00Z = 01:00 CET, whose bucket --partial keep keeps.
	[ "$output" = $'ds,y\n2018-03-25 00:00:00,0\n2018-03-25 01:00:00,5' ]
}

@test "header-only input with a full window still gives the grid, with a warning" {
	TS_NOW='2018-05-31T02:00:00Z' run_stdin $'ds,y\n' ts-fill -i 1h --start now-2h --end now --fill zero
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-05-31 00:00:00,0\n2018-05-31 01:00:00,0' ]
	[ "$stderr" = $'ts-fill: warning: <stdin>: no data rows\nts-fill: warning: <stdin>: no value between --start and --end: 2 buckets, all filled with --fill zero' ]
}

@test "keys: groups in first-seen order, non-contiguous rows, -j 4 identical to -j 1" {
	in=$'k,ds,y\nb,2018-01-01,1\na,2018-01-01,2\nb,2018-01-03,3\na,2018-01-02,4\n'
	run_stdin "$in" ts-fill -k k -i 1d --fill zero
	[ "$status" -eq 0 ]
	[ "$output" = $'k,ds,y\nb,2018-01-01,1\nb,2018-01-02,0\nb,2018-01-03,3\na,2018-01-01,2\na,2018-01-02,4' ]
	one=$(printf '%s' "$in" | ts-fill -k k -i 1d --fill zero -j 1)
	four=$(printf '%s' "$in" | ts-fill -k k -i 1d --fill zero -j 4)
	[ "$one" = "$four" ]
}

@test "-j 0 on many series is byte-identical to -j 1" {
	gen() { awk 'BEGIN { for (i = 0; i < 3000; i++) printf "s%d,2018-01-01T%02d:%02d:00Z,%d\n", i % 97, (i / 60) % 24, i % 60, i }'; }
	one=$( (echo 'k,ds,y'; gen) | ts-fill -k k -i 5m --fill prev -j 1 | md5sum)
	all=$( (echo 'k,ds,y'; gen) | ts-fill -k k -i 5m --fill prev -j 0 | md5sum)
	[ "$one" = "$all" ]
}

@test "column roles by name and by number" {
	run_stdin $'when,cpu,mem\n2018-01-01,1,7\n2018-01-03,3,9\n' ts-fill -t when -y 3 -i 1d --fill linear
	[ "$status" -eq 0 ]
	[ "$output" = $'when,cpu,mem\n2018-01-01,1,7\n2018-01-02,,8\n2018-01-03,3,9' ]
}

@test "TSV in, TSV out; CRLF and a BOM are accepted, and CRLF comes back CRLF" {
	run_stdin $'ds\ty\n2018-01-01\t1\n2018-01-03\t3\n' ts-fill -i 1d --fill zero
	[ "$output" = $'ds\ty\n2018-01-01\t1\n2018-01-02\t0\n2018-01-03\t3' ]
	run_stdin $'\xef\xbb\xbfds,y\r\n2018-01-01,1\r\n2018-01-03,3\r\n' ts-fill -i 1d --fill zero
	[ "$output" = $'ds,y\r\n2018-01-01,1\r\n2018-01-02,0\r\n2018-01-03,3\r' ]
	# a bare CR (classic Mac text, as Prophet's air passengers file) comes back LF
	run_stdin $'ds,y\r2018-01-01,1\r2018-01-03,3\r' ts-fill -i 1d --fill zero
	[ "$output" = $'ds,y\n2018-01-01,1\n2018-01-02,0\n2018-01-03,3' ]
}

@test "offsets and fractions are kept; epoch milliseconds stay milliseconds" {
	run_stdin $'ds,y\n2018-05-31T00:00:00.000+02:00,1\n2018-05-31T02:00:00.000+02:00,3\n' ts-fill -i 1h --fill linear
	[ "$output" = $'ds,y\n2018-05-31T00:00:00.000+02:00,1\n2018-05-31T01:00:00.000+02:00,2\n2018-05-31T02:00:00.000+02:00,3' ]
	run_stdin $'ds,y\n1527724800000,1\n1527731999000,3\n' ts-fill -i 1h
	[ "$output" = $'ds,y\n1527724800000,1\n1527728400000,3' ]
}

@test "--tz: daily buckets follow local midnight across DST (23-hour day)" {
	in=$'ds,y\n1521846000,1\n1521932400,1\n1522015200,1\n1522101600,1\n'
	run_stdin "$in" ts-fill --tz Europe/Paris -i 1d
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n1521846000,1\n1521932400,1\n1522015200,1\n1522101600,1' ]
	run_stdin $'ds,y\n2018-03-25 00:00:00,1\n2018-03-25 04:00:00,4\n' ts-fill --tz Europe/Paris -i 1h --fill zero
	[ "$output" = $'ds,y\n2018-03-25 00:00:00,1\n2018-03-25 01:00:00,0\n2018-03-25 03:00:00,0\n2018-03-25 04:00:00,4' ]
	# 3-hour buckets stay on local multiples of 3 hours although one lasts 2 hours.
	run_stdin $'ds,y\n2018-03-25 00:30:00,1\n2018-03-25 07:00:00,2\n' ts-fill --tz Europe/Paris -i 3h --fill zero
	[ "$output" = $'ds,y\n2018-03-25 00:00:00,1\n2018-03-25 03:00:00,0\n2018-03-25 06:00:00,2' ]
}

@test "--tz fall-back: both readings of the repeated hour kept apart, written with their offsets" {
	# tests/data/hostile/dst-fall-berlin.csv: both 02:00 rows went into the
	# first hour and a second, empty 02:00 row followed
	H="$DATA/hostile"
	run --separate-stderr ts-fill -i 1h --tz Europe/Berlin "$H/dst-fall-berlin.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/filled.csv"
	[ "$(sed -n 28,29p "$BATS_TEST_TMPDIR/filled.csv")" = $'2018-10-28 02:00:00+02:00,27\n2018-10-28 02:00:00+01:00,28' ]
	# nothing else changed: every row is the input's, none added or merged
	sed 's/+0[12]:00,/,/' "$BATS_TEST_TMPDIR/filled.csv" | cmp - "$H/dst-fall-berlin.csv"
	# it reads back to itself
	run --separate-stderr ts-fill -i 1h --tz Europe/Berlin "$BATS_TEST_TMPDIR/filled.csv"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | cmp - "$BATS_TEST_TMPDIR/filled.csv"
}

@test "--tz: every tool takes what ts-fill writes across a fall-back" {
	# ts-detect refused the series as irregular, and through ts-forecast two
	# rows were false anomalies
	ts-fill -i 1h --tz Europe/Berlin "$DATA/hostile/dst-fall-berlin.csv" > "$BATS_TEST_TMPDIR/filled.csv"
	for cmd in "ts-decompose -p 24" "ts-forecast -H 3 --model snaive" "ts-detect -m mad" "ts-detect -m esd -p 24" "ts-plot-csv -f term --cols 60 --rows 10"; do
		run --separate-stderr $cmd --tz Europe/Berlin "$BATS_TEST_TMPDIR/filled.csv"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || { echo "$cmd: $status $stderr"; false; }
		[ "$stderr" = "" ] || { echo "$cmd: $stderr"; false; }
	done
	# the future rows of a forecast are written the same way
	printf 'ds,y\n2018-10-28 00:00:00,1\n2018-10-28 01:00:00,2\n' > "$BATS_TEST_TMPDIR/before.csv"
	run --separate-stderr ts-forecast -H 3 --model naive --tz Europe/Berlin "$BATS_TEST_TMPDIR/before.csv"
	[ "$(printf '%s\n' "$output" | sed -n '4,6p' | cut -d, -f1)" = $'2018-10-28 02:00:00+02:00\n2018-10-28 02:00:00+01:00\n2018-10-28 03:00:00' ]
}

@test "--tz spring-forward: a time the clocks skip is a bad timestamp" {
	# tests/data/hostile/dst-spring-berlin.csv: 02:30 became 03:30 and was
	# merged with that hour without a word
	H="$DATA/hostile"
	run --separate-stderr ts-fill -i 1h --tz Europe/Berlin "$H/dst-spring-berlin.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $H/dst-spring-berlin.csv:28: bad timestamp \"2018-03-25 02:30:00\": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)" ]
	run --separate-stderr ts-fill -i 1h --tz Europe/Berlin --skip-bad "$H/dst-spring-berlin.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n '27,28p')" = $'2018-03-25 01:00:00,26\n2018-03-25 03:00:00,28' ]
	[ "$stderr" = "ts-fill: warning: $H/dst-spring-berlin.csv:28: bad timestamp \"2018-03-25 02:30:00\": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)"$'\n'"ts-fill: warning: skipped 1 bad row" ]
	# so are option values
	run --separate-stderr ts-fill -i 1h --tz Europe/Berlin --start "2018-03-25 02:15" "$H/dst-spring-berlin.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --start: bad timestamp "2018-03-25 02:15": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)' ]
	TS_NOW="2018-03-25 02:15" run --separate-stderr ts-fill --tz Europe/Berlin --end now "$H/dst-fall-berlin.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: TS_NOW: bad timestamp "2018-03-25 02:15": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)' ]
}

@test "values near DBL_MAX: a mean and a line stay numbers, a sum past DBL_MAX is refused" {
	# all three wrote an infinity, which the next tool refuses
	in=$'ds,y\n2018-01-01 00:00,1e308\n2018-01-01 00:30,1.5e308\n'
	run_stdin "$in" ts-fill -i 1h --agg mean
	[ "$output" = $'ds,y\n2018-01-01 00:00,1.25e+308' ]
	run_stdin "$in" ts-fill -i 1h --agg sum
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: <stdin>:2: bucket 2018-01-01 00:00: the 2 values add up past the largest number" ]
	run_stdin $'ds,y\n2018-01-01,1e308\n2018-01-03,-1.7e308\n' ts-fill -i 1d --fill linear
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 3p)" = "2018-01-02,-3.4999999999999996e+307" ]
}

@test "a grid that would start before 0000-01-01 is refused" {
	# tests/data/hostile/year-0000.csv: -i 1w started on -00001-12-27
	run --separate-stderr ts-fill -i 1w "$DATA/hostile/year-0000.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $DATA/hostile/year-0000.csv: bucket -00001-12-27 lies outside the years 0000-9999 timestamps can name" ]
	run --separate-stderr ts-fill -i 1d "$DATA/hostile/year-0000.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = "0000-01-01,1" ]
}

@test "--skip-bad covers a last row cut short or inside quotes (a file still being written)" {
	H="$DATA/hostile"
	for f in ragged-last unterminated-last; do
		run --separate-stderr ts-fill "$H/$f.csv"
		[ "$status" -eq 2 ]
		run --separate-stderr ts-fill --skip-bad "$H/$f.csv"
		[ "$status" -eq 0 ]
		[ "$output" = $'ds,y,note\n2018-01-01,1,a\n2018-01-02,2,b' ]
	done
	run --separate-stderr ts-fill --skip-bad "$H/ragged-last.csv"
	[ "$stderr" = "ts-fill: warning: $H/ragged-last.csv:4: expected 3 fields, found 1"$'\n'"ts-fill: warning: skipped 1 bad row" ]
	run --separate-stderr ts-fill --skip-bad "$H/unterminated-last.csv"
	[ "$stderr" = "ts-fill: warning: $H/unterminated-last.csv:4: unterminated quoted field"$'\n'"ts-fill: warning: skipped 1 bad row" ]
	# and a ragged row anywhere, counted with the rows the series skips
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02\n2018-01-03,x\n2018-01-04,4\n' ts-fill -i 1d --skip-bad
	[ "$output" = $'ds,y\n2018-01-01,1\n2018-01-02,\n2018-01-03,\n2018-01-04,4' ]
	[ "$stderr" = $'ts-fill: warning: <stdin>:3: expected 2 fields, found 1\nts-fill: warning: <stdin>:4: bad number "x" in column y\nts-fill: warning: skipped 2 bad rows' ]
	# every tool reads through the same reader
	for cmd in "ts-detect -m mad" "ts-forecast --model naive" "ts-decompose -p none" "ts-plot-csv -f term"; do
		run --separate-stderr $cmd --skip-bad "$H/ragged-last.csv"
		[ "$status" -ne 2 ] || { echo "$cmd: $stderr"; false; }
		[[ "$stderr" == *"ragged-last.csv:4: expected 3 fields, found 1"* ]] || { echo "$cmd: $stderr"; false; }
	done
	run --separate-stderr ts-plot-csv -o "$BATS_TEST_TMPDIR/p.png" --tee --skip-bad "$H/unterminated-last.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$H/unterminated-last.csv")" ]
}

@test "--skip-bad warns for each bad row and counts them" {
	run_stdin $'ds,y\n2018-01-01,1\nnope,2\n2018-01-02,x\n2018-01-03,3\n' ts-fill -i 1d --skip-bad
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-01-01,1\n2018-01-02,\n2018-01-03,3' ]
	[ "$stderr" = $'ts-fill: warning: <stdin>:3: bad timestamp "nope"\nts-fill: warning: <stdin>:4: bad number "x" in column y\nts-fill: warning: skipped 2 bad rows' ]
}

@test "an infinite value is bad input at its line; --skip-bad skips and counts it" {
	# it was passed through, and inf + -inf in one bucket summed to an empty value
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 00:10,inf\n2018-01-01 00:20,-inf\n2018-01-01 01:00,2\n' ts-fill -i 1h
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:3: infinite value "inf" in column y' ]
	run_stdin $'ds,y\n2018-01-01,1e999\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:2: infinite value "1e999" in column y' ]
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 00:10,inf\n2018-01-01 00:20,-Infinity\n2018-01-01 01:00,2\n' ts-fill -i 1h --skip-bad
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2' ]
	[ "$stderr" = $'ts-fill: warning: <stdin>:3: infinite value "inf" in column y\nts-fill: warning: <stdin>:4: infinite value "-Infinity" in column y\nts-fill: warning: skipped 2 bad rows' ]
}

@test "help, version, and the usage line match the man page" {
	run ts-fill --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ts-fill "* ]]
	for opt in --interval --agg --fill --max-gap --mark --start --end --partial --period --time --value --key --delimiter --tz --epoch --jobs --verbose --skip-bad --help --version; do
		[[ "$output" == *"$opt"* ]] || { echo "missing $opt"; false; }
		grep -q -- "Fl ${opt#--}\|Fl -${opt#--}" "$BATS_TEST_DIRNAME/../../man/ts-fill.1" || { echo "man lacks $opt"; false; }
	done
	run ts-fill --version
	[ "$status" -eq 0 ]
	[[ "$output" == "ts-fill "[0-9]* ]]
}

# --- diagnostics: each with its message and exit status 2 ---

@test "unknown option" {
	run --separate-stderr ts-fill --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-fill: unrecognized option '--bogus'" ]
	[[ "$stderr" == *"usage: ts-fill"* ]]
}

@test "missing option argument" {
	run --separate-stderr ts-fill -i
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-fill: option requires an argument -- 'i'" ]
}

@test "empty input" {
	run_stdin '' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: <stdin>: no input: did the previous command fail?" ]
	[ "$output" = "" ]
}

@test "header only: the header is passed on with a warning" {
	run_stdin $'ds,y\n' ts-fill
	[ "$status" -eq 0 ]
	[ "$output" = "ds,y" ]
	[ "$stderr" = "ts-fill: warning: <stdin>: no data rows" ]
}

@test "failures are failures: an empty file says so; a failing series writes no header first" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run --separate-stderr ts-fill "$BATS_TEST_TMPDIR/empty.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?" ]
	[ "$output" = "" ]
	run_stdin $'\n\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: <stdin>: no input: did the previous command fail?" ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-13-01,2\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
}

@test "unknown column: a data error listing the columns, no usage text" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill -y nope
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: -y: no column "nope" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill -t when
	[ "$stderr" = 'ts-fill: <stdin>: -t: no column "when" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill -k host,3
	[ "$stderr" = 'ts-fill: <stdin>: -k: no column "host" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill -t 2 -y y
	[ "$stderr" = 'ts-fill: <stdin>: column "y" is both the time and the value column' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill --agg uniq:user
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: --agg uniq: no column "user" (columns: ds, y)' ]
}

@test "non-numeric value" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:3: bad number "abc" in column y' ]
}

@test "unparsable timestamp, with the file name" {
	printf 'ds,y\n2018-01-01,1\n2018-13-01,2\n' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-fill "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "ts-fill: $BATS_TEST_TMPDIR/in.csv:3: bad timestamp \"2018-13-01\""* ]]
}

@test "impossible date 2018-02-30" {
	run_stdin $'ds,y\n2018-02-30,1\n' ts-fill
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'ts-fill: <stdin>:2: bad timestamp "2018-02-30"'* ]]
}

@test "interval of zero or garbage" {
	run --separate-stderr ts-fill -i 0m
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == 'ts-fill: -i: bad duration "0m"'* ]]
	run --separate-stderr ts-fill -i soon
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == 'ts-fill: -i: bad duration "soon"'* ]]
}

@test "bad --agg, --fill, -j and --epoch values" {
	run --separate-stderr ts-fill --agg p101
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == 'ts-fill: --agg: unknown aggregation "p101"'* ]]
	run --separate-stderr ts-fill --fill sideways
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == 'ts-fill: --fill: unknown fill method "sideways"'* ]]
	run --separate-stderr ts-fill --fill value:abc
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --fill: bad fill value "abc"' ]
	run --separate-stderr ts-fill --fill value:inf
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --fill: bad fill value "inf"' ]
	run --separate-stderr ts-fill -j -1
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: -j: invalid value "-1" (expected 0..1024)' ]
	run --separate-stderr ts-fill --epoch us
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --epoch: invalid value "us" (expected s or ms)' ]
}

@test "unknown time zone" {
	run --separate-stderr ts-fill --tz Mars/Olympus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --tz: unknown time zone "Mars/Olympus"' ]
}

@test "--start after --end, and a bad --start" {
	run --separate-stderr ts-fill --start 2018-02-01 --end 2018-01-01
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: --start is after --end' ]
	run --separate-stderr ts-fill --start yesterday
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == 'ts-fill: --start: bad timestamp "yesterday"'* ]]
}

@test "-p as a duration is divided by each series' interval" {
	in=$'ds,y\n'
	for d in 01 02 03 04; do
		for h in 00 06 12 18; do
			case $h in 00) v=1 ;; 06) v=5 ;; 12) v=10 ;; 18) v=5 ;; esac
			[ "$d$h" = "0312" ] && v=
			in+="2018-01-$d $h:00:00,$v"$'\n'
		done
	done
	by_count=$(printf '%s' "$in" | ts-fill --fill seasonal -p 4)
	by_duration=$(printf '%s' "$in" | ts-fill --fill seasonal -p 1d)
	[ "$by_count" = "$by_duration" ]
	run_stdin "$in" ts-fill --fill seasonal -p 5h
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: period 5h is not a whole number of 6h intervals' ]
}

@test "bad -p values" {
	run --separate-stderr ts-fill --fill seasonal -p 1
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: -p: bad period "1" (a count of at least 2, or a duration)' ]
	run --separate-stderr ts-fill --fill seasonal -p 24,,168
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: -p: bad period "" (a count of at least 2, or a duration)' ]
	run --separate-stderr ts-fill --fill seasonal -p 2,3,4,5,6
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: -p: at most 4 periods' ]
}

@test "-p without --fill seasonal" {
	run --separate-stderr ts-fill -p 24
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-fill: -p is only used with --fill seasonal' ]
}

@test "one row cannot give an interval" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: cannot infer the interval from fewer than two distinct timestamps; give -i' ]
}

@test "one bad series never silences the others: named, passed through, counted, exit 2" {
	run_stdin $'k,ds,y\nb,2018-01-01 00:30,7\na,2018-01-01,1\na,2018-01-02,1\na,2018-01-04,1\nc,2018-01-01,2\nc,2018-01-02,3\n' ts-fill -k k --fill zero --mark
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-fill: <stdin>: k=b: cannot infer the interval from fewer than two distinct timestamps; give -i; passed through\nts-fill: 1 of 3 series passed through' ]
	[ "$output" = $'k,ds,y,filled\nb,2018-01-01 00:30,7,\na,2018-01-01,1,0\na,2018-01-02,1,0\na,2018-01-03,0,1\na,2018-01-04,1,0\nc,2018-01-01,2,0\nc,2018-01-02,3,0' ]
	# -j 4 writes the same bytes and says the same things.
	run_stdin $'k,ds,y\nb,2018-01-01 00:30,7\na,2018-01-01,1\na,2018-01-02,1\na,2018-01-04,1\nc,2018-01-01,2\nc,2018-01-02,3\n' ts-fill -k k --fill zero --mark -j 4
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-fill: <stdin>: k=b: cannot infer the interval from fewer than two distinct timestamps; give -i; passed through\nts-fill: 1 of 3 series passed through' ]
	[ "$output" = $'k,ds,y,filled\nb,2018-01-01 00:30,7,\na,2018-01-01,1,0\na,2018-01-02,1,0\na,2018-01-03,0,1\na,2018-01-04,1,0\nc,2018-01-01,2,0\nc,2018-01-02,3,0' ]
}

@test "a grid too large for the data is refused, not attempted" {
	run_stdin $'ds,y\n1970-01-01,1\n2018-01-01,1\n' ts-fill -i 1s
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>: more than 50000000 buckets of 1s between the first and the last timestamp; check -i' ]
}

@test "ragged row" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:3: expected 2 fields, found 1' ]
}

@test "unterminated quote" {
	run_stdin $'ds,y\n2018-01-01,"1\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:2: unterminated quoted field' ]
}

@test "a missing file" {
	run --separate-stderr ts-fill /nonexistent/x.csv
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: /nonexistent/x.csv: No such file or directory' ]
}

@test "a 1 MB field passes through; a 1 MB value is refused with a short quote" {
	big=$(head -c 1048576 /dev/zero | tr '\0' 'x')
	printf 'ds,note,y\n2018-01-01,%s,1\n2018-01-02,n,2\n' "$big" > "$BATS_TEST_TMPDIR/big.csv"
	run ts-fill "$BATS_TEST_TMPDIR/big.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f2 | wc -c)" -eq 1048577 ]
	printf 'ds,y\n2018-01-01,%s\n' "$big" > "$BATS_TEST_TMPDIR/bigy.csv"
	run --separate-stderr ts-fill "$BATS_TEST_TMPDIR/bigy.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $BATS_TEST_TMPDIR/bigy.csv:2: bad number \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" in column y" ]
}

@test "NUL bytes are refused with their line" {
	printf 'ds,y\n2018-01-01,1\n2018-01-02,\0002\n' > "$BATS_TEST_TMPDIR/nul.csv"
	run --separate-stderr ts-fill "$BATS_TEST_TMPDIR/nul.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-fill: $BATS_TEST_TMPDIR/nul.csv:3: NUL byte in input" ]
}

@test "binary garbage never crashes" {
	head -c 65536 /dev/urandom > "$BATS_TEST_TMPDIR/rand.bin"
	run ts-fill "$BATS_TEST_TMPDIR/rand.bin"
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
}

@test "running out of memory ends with \"out of memory\" and exit 2" {
	run_out_of_memory ts-fill -k k
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^ts-fill:\ ([^$'\n']*:\ )?out\ of\ memory$ ]] || { echo "$stderr"; false; }
}

@test "writing to a full device fails with exit 2" {
	run bash -c 'printf "ds,y\n2018-01-01,1\n2018-01-03,3\n" | ts-fill > /dev/full'
	[ "$status" -eq 2 ]
	[ "$output" = "ts-fill: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run bash -c 'awk "BEGIN { print \"ds,y\"; for (i = 0; i < 200000; i++) printf \"%d,%d\n\", 1500000000 + 60 * i, i }" | ts-fill 2>"$0" | head -1' "$BATS_TEST_TMPDIR/err"
	[ "$output" = "ds,y" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
}

@test "pandas' missing words read as missing, in any case, and are written empty" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,N/A\n2018-01-03,None\n2018-01-04,<NA>\n2018-01-05,#N/A\n2018-01-06,-nan\n2018-01-07,1.#QNAN\n2018-01-08,null\n2018-01-09,#n/a n/a\n2018-01-10,10\n' ts-fill --fill linear --mark
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = $'ds,y,filled\n2018-01-01,1,0\n2018-01-02,2,1\n2018-01-03,3,1\n2018-01-04,4,1\n2018-01-05,5,1\n2018-01-06,6,1\n2018-01-07,7,1\n2018-01-08,8,1\n2018-01-09,9,1\n2018-01-10,10,0' ]
	# a word that is not on the list is still bad input
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,n.a.\n' ts-fill
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-fill: <stdin>:3: bad number "n.a." in column y' ]
}
