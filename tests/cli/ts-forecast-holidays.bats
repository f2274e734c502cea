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
	[ "${lines[0]}" = "ds,y,yhat,yhat_lower,yhat_upper,trend,yearly,weekly,New year,Korean New Year's Day,Independence Day,Children's Day,Buddha's Birthday,Memorial Day,Liberation Day,Midautumn Festival,National Foundation Day,Hangul Day,Christmas Day,Alternative holiday for Midautumn Festival,Alternative holiday for Korean New Year's Day,Alternative holiday for Children's Day,Alternative holiday for Liberation Day,Alternative holiday for National Foundation Day,Alternative holiday for Hangul Day,holidays" ]
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

# lunar_days NAME FIRST DAYS LOW...: ts-forecast --country-holidays KR on
# DAYS daily values from FIRST, 60 lower on the days LOW; prints "day on" or
# "day off" for each day from two before the first LOW to two after the last,
# after whether column NAME is non-zero there (the holiday's indicator).
lunar_days() {
	local name=$1 first=$2 days=$3 from to
	shift 3
	from=$(date -u -d "$1 -2 days" +%F)
	to=$(date -u -d "${!#} +2 days" +%F)
	# dates by date(1): awk's own stop at 2038 in some builds
	seq 0 $((days - 1)) | sed "s/.*/$first + & days/" | date -u -f - +%F |
		cawk -v low="$*" 'BEGIN { split(low, l, " "); for (i in l) dip[l[i]] = 1; print "ds,y" }
		{ printf "%s,%.3f\n", $1, 100 + 10 * (NR % 7 == 3) + (NR * 7919 % 13) / 13 - 60 * ($1 in dip) }' > "$BATS_TEST_TMPDIR/lunar.csv"
	ts-forecast --country-holidays KR --components --samples 0 -H 1 "$BATS_TEST_TMPDIR/lunar.csv" > "$BATS_TEST_TMPDIR/lunar.out"
	column "$name" "$BATS_TEST_TMPDIR/lunar.out" |
		cawk -F, -v from="$from" -v to="$to" '$1 >= from && $1 <= to { print $1, ($2 == 0 ? "off" : "on") }'
}

# Korea reckons the lunar calendar at UTC+9, China at UTC+8: a new moon
# between 15:00 and 16:00 UT starts the month a day later in Korea.
@test "--country-holidays KR: Seollal 1997 and 2027 on Korea's days, a day after China's" {
	# new moon 1997-02-07 15:06 UT: Korea 7-9 February, China 6-8
	run lunar_days "Korean New Year's Day" 1997-01-10 60 1997-02-07 1997-02-08 1997-02-09
	[ "$status" -eq 0 ]
	[ "$output" = "1997-02-05 off
1997-02-06 off
1997-02-07 on
1997-02-08 on
1997-02-09 on
1997-02-10 off
1997-02-11 off" ]
	# new moon 2027-02-06 15:56 UT: Korea 6-8 February, China 5-7
	run lunar_days "Korean New Year's Day" 2027-01-10 60 2027-02-06 2027-02-07 2027-02-08
	[ "$status" -eq 0 ]
	[ "$output" = "2027-02-04 off
2027-02-05 off
2027-02-06 on
2027-02-07 on
2027-02-08 on
2027-02-09 off
2027-02-10 off" ]
}

@test "--country-holidays KR: Chuseok 2040 and Buddha's Birthday 2023 and 2012 on Korea's days" {
	# new moon 2040-09-06 15:13 UT: Korea 20-22 September, China 19-21
	run lunar_days "Midautumn Festival" 2040-08-25 60 2040-09-20 2040-09-21 2040-09-22
	[ "$status" -eq 0 ]
	[ "$output" = "2040-09-18 off
2040-09-19 off
2040-09-20 on
2040-09-21 on
2040-09-22 on
2040-09-23 off
2040-09-24 off" ]
	# new moon 2023-05-19 15:53 UT: Korea 27 May, China 26 May
	run lunar_days "Buddha's Birthday" 2023-05-01 60 2023-05-27
	[ "$status" -eq 0 ]
	[ "$output" = "2023-05-25 off
2023-05-26 off
2023-05-27 on
2023-05-28 off
2023-05-29 off" ]
	# Korea's leap month of 2012 is the 3rd, China's the 4th: 28 May, not 28 April
	run lunar_days "Buddha's Birthday" 2012-04-01 90 2012-05-28
	[ "$status" -eq 0 ]
	[ "$output" = "2012-05-26 off
2012-05-27 off
2012-05-28 on
2012-05-29 off
2012-05-30 off" ]
	[ "$(cawk -F, '$1 == "2012-04-28" { print $2 }' "$BATS_TEST_TMPDIR/lunar.csv")" != "" ]
	column "Buddha's Birthday" "$BATS_TEST_TMPDIR/lunar.out" | grep -qx '2012-04-28,0'
}

@test "--country-holidays KR: substitute holidays, each named after the holiday it stands for" {
	# Chuseok 2022 is 9-11 September, a Sunday among them: Monday the 12th is its substitute
	run lunar_days "Alternative holiday for Midautumn Festival" 2022-08-20 40 2022-09-12
	[ "$status" -eq 0 ]
	[ "$output" = "2022-09-10 off
2022-09-11 off
2022-09-12 on
2022-09-13 off
2022-09-14 off" ]
	# Buddha's Birthday 2023 is a Saturday, substituted since 2023: Monday 29 May
	run lunar_days "Alternative holiday for Buddha's Birthday" 2023-05-01 60 2023-05-29
	[ "$status" -eq 0 ]
	[ "$output" = "2023-05-27 off
2023-05-28 off
2023-05-29 on
2023-05-30 off
2023-05-31 off" ]
}

@test "--country-holidays is the calendar as a --holidays table, and both add up" {
	korean_days > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-forecast --country-holidays kr -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	country=$output
	# the holidays that fall in the input's years (2019-2022), with all their rows
	cawk -F, 'NR == FNR { if ($1 >= "2019" && $1 < "2023") kept[$2] = 1; next }
		FNR == 1 || ($2 in kept)' "$CAL/KR.csv" "$CAL/KR.csv" > "$BATS_TEST_TMPDIR/kr.csv"
	run --separate-stderr ts-forecast --holidays "$BATS_TEST_TMPDIR/kr.csv" -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$country" ]
	# the whole calendar has holidays the input's years lack, and a column for each
	run --separate-stderr ts-forecast --holidays "$CAL/KR.csv" -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *",Alternative holiday for Christmas Day,holidays" ]]
	[[ "$country" != *"Alternative holiday for Christmas Day"* ]]
	# an own table beside the country's: its holiday gets a column too
	printf 'holiday,ds,lower_window,upper_window\nsale,2020-11-11,0,1\nsale,2021-11-11,0,1\n' > "$BATS_TEST_TMPDIR/sale.csv"
	run --separate-stderr ts-forecast --holidays "$BATS_TEST_TMPDIR/sale.csv" --country-holidays KR -H 30 --components --samples 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ds,y,yhat,yhat_lower,yhat_upper,trend,yearly,weekly,sale,New year,"*",Christmas Day,Alternative holiday for "*",holidays" ]]
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
