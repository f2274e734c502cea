#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-forecast --country-holidays: Korea's lunar holidays learnt and forecast
# on their days, the same model as the calendar given with --holidays, and
# every message (unknown code, years the calendar lacks, no calendars).

bats_require_minimum_version 1.5.0
load helper

CAL="$BATS_TEST_DIRNAME/../../lib/calendars"

# Daily, 2019-01-01 to 2022-06-30: 100, 10 more on two days a week, 60 less
# on every day of Seollal and Chuseok.
korean_days() {
	LC_ALL=C awk -F, 'NR == FNR { if ($2 ~ /Korean New Year|Midautumn/) off[$1] = 1; next }
	END {
		print "ds,y"
		for (d = 0; d < 1277; d++) {
			ds = strftime("%Y-%m-%d", 1546300800 + d * 86400 + 43200, 1)
			y = 100 + 10 * ((d % 7) == 5 || (d % 7) == 6) + (d * 7919 % 13) / 13
			if (ds in off) y -= 60
			printf "%s,%.3f\n", ds, y
		}
	}' "$CAL/KR.csv" /dev/null
}

# column NAME FILE: the values of CSV column NAME (no quoting in these files)
column() {
	LC_ALL=C awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $1 "," $c }' "$2"
}

@test "--country-holidays KR: Chuseok 2022 is forecast on its three days, named as the calendar names it" {
	korean_days > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast --country-holidays KR -H 120 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
	[ "${lines[0]}" = "ds,y,yhat,yhat_lower,yhat_upper,trend,yearly,weekly,New year,Korean New Year's Day,Independence Day,Children's Day,Buddha's Birthday,Memorial Day,Liberation Day,Midautumn Festival,National Foundation Day,Hangul Day,Christmas Day,holidays" ]
	# Chuseok 2022 is 9-11 September: about 60 below the days around it
	run column "Midautumn Festival" "$BATS_TEST_TMPDIR/out.csv"
	cawk -F, '$1 >= "2022-09-07" && $1 <= "2022-09-13" { printf "%s %s\n", $1, ($2 < -50 ? "low" : ($2 == 0 ? "zero" : $2)) }' <<< "$output" > "$BATS_TEST_TMPDIR/chuseok"
	[ "$(cat "$BATS_TEST_TMPDIR/chuseok")" = "2022-09-07 zero
2022-09-08 zero
2022-09-09 low
2022-09-10 low
2022-09-11 low
2022-09-12 zero
2022-09-13 zero" ]
	run column yhat "$BATS_TEST_TMPDIR/out.csv"
	[ "$(cawk -F, '$1 == "2022-09-10" { print ($2 < 50) }' <<< "$output")" = 1 ]
	[ "$(cawk -F, '$1 == "2022-09-17" { print ($2 > 95) }' <<< "$output")" = 1 ]
}

@test "--country-holidays is the calendar as a --holidays table, and both add up" {
	korean_days > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast --country-holidays kr -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	country=$output
	run --separate-stderr ts-forecast --holidays "$CAL/KR.csv" -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$country" ]
	# an own table beside the country's: its holiday gets a column too
	printf 'holiday,ds,lower_window,upper_window\nsale,2020-11-11,0,1\nsale,2021-11-11,0,1\n' > "$BATS_TEST_TMPDIR/sale.csv"
	run --separate-stderr ts-forecast --holidays "$BATS_TEST_TMPDIR/sale.csv" --country-holidays KR -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ds,y,yhat,yhat_lower,yhat_upper,trend,yearly,weekly,sale,New year,"*",Christmas Day,holidays" ]]
}

@test "--country-holidays: holidays outside the input's years are left out" {
	printf 'ds,y\n' > "$BATS_TEST_TMPDIR/in.csv"
	LC_ALL=C awk 'BEGIN { for (d = 0; d < 400; d++) printf "%s,%d\n", strftime("%Y-%m-%d", 1420070400 + d * 86400 + 43200, 1), 10 + d % 7 }' >> "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast --country-holidays GB --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *",Boxing Day,"* ]]
	# 2011's royal wedding is not a holiday of 2015-2016
	[[ "${lines[0]}" != *"Wedding of William and Catherine"* ]]
}

@test "--country-holidays: an unknown code lists the codes there are" {
	run_stdin $'ds,y\n2020-01-01,1\n2020-01-02,2\n' ts-forecast --country-holidays XX
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --country-holidays: unknown country "XX" (available: BR, CN, DE, FR, GB, IN, JP, KR, US)' ]
	run_stdin $'ds,y\n2020-01-01,1\n2020-01-02,2\n' ts-forecast --country-holidays ../KR
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --country-holidays: unknown country "../KR" (available: BR, CN, DE, FR, GB, IN, JP, KR, US)' ]
}

@test "--country-holidays: years beyond the calendar warn, and the forecast goes on" {
	run_stdin $'ds,y\n2043-12-30,1\n2044-01-01,2\n2045-01-02,3\n2045-01-03,3\n' ts-forecast --country-holidays us --samples 0
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-forecast: warning: --country-holidays US: holidays are known for 1995 to 2044 only; the input spans 2043 to 2045" ]
	[ "${#lines[@]}" -eq 5 ]
	run_stdin $'ds,y\n1990-01-01,1\n1990-01-02,2\n1990-01-03,3\n' ts-forecast --country-holidays JP --samples 0
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-forecast: warning: --country-holidays JP: holidays are known for 1995 to 2044 only; the input spans 1990 to 1990" ]
}

@test "--country-holidays: no calendars, or a broken one, is trouble with the place" {
	in=$'ds,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n'
	TS_DATADIR="$BATS_TEST_TMPDIR/none" run_stdin "$in" ts-forecast --country-holidays KR
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: --country-holidays: no calendars in $BATS_TEST_TMPDIR/none/calendars: No such file or directory (TS_DATADIR names the directory that holds calendars/)" ]
	mkdir -p "$BATS_TEST_TMPDIR/data/calendars"
	printf 'ds,holiday\n2020-01-01,New Year\n2020-01-99,Bad\n' > "$BATS_TEST_TMPDIR/data/calendars/KR.csv"
	TS_DATADIR="$BATS_TEST_TMPDIR/data" run_stdin "$in" ts-forecast --country-holidays KR
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: --country-holidays: $BATS_TEST_TMPDIR/data/calendars/KR.csv:3: bad timestamp \"2020-01-99\": day 99 out of range" ]
	# a directory without that country
	TS_DATADIR="$BATS_TEST_TMPDIR/data" run_stdin "$in" ts-forecast --country-holidays JP
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --country-holidays: unknown country "JP" (available: KR)' ]
}

@test "--country-holidays is in --help and the man page" {
	run ts-forecast --help
	[[ "$output" == *"--country-holidays CODE"* ]]
	grep -q '^\.It Fl -country-holidays Ar code$' "$BATS_TEST_DIRNAME/../../man/ts-forecast.1"
}

@test "--model auto: its Prophet knows the holidays, and the forecast it writes has a band" {
	korean_days > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast --model auto -v -H 120 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"chose prophet"* ]]
	run --separate-stderr ts-forecast --model auto -v -H 120 --country-holidays KR "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"model auto chose prophet (cross-validated owa 0."* ]]
	# Chuseok 2022 forecast low, inside a band of its own
	row=$(grep '^2022-09-10,' <<< "$output")
	[ "$(cawk -F, '{ print ($3 < 50 && $4 < $3 && $3 < $5) }' <<< "$row")" = 1 ]
}
