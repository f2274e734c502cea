#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-detect CLI: output columns, exit status, every method and post filter,
# Twitter's S-H-ESD expectations, streaming, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

TW="$DATA/twitter-ad"

# Generators print numbers in the C locale whatever the helper's locale is.
awk() { LC_ALL=C command awk "$@"; }

# Three weeks of hourly values: a daily wave, a fixed wiggle, a spike at row
# 300 (+80) and a zero at row 400, unless told otherwise by awk -v.
hourly() {
	awk -v spike="${1:-300}" -v dip="${2:-400}" 'BEGIN {
		print "ds,y"
		for (i = 0; i < 504; i++) {
			v = 100 + 20 * sin(2 * 3.141592653589793 * i / 24) + (i * 7919) % 13 - 6
			if (i == spike) v += 80
			if (i == dip) v = 0
			printf "2018-01-%02d %02d:00:00,%g\n", 1 + int(i / 24), i % 24, v
		}
	}'
}

# --- output and exit status ---

@test "the six columns are added, and an anomaly exits 1" {
	run_stdin "$(hourly)" ts-detect
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "ds,y,anomaly,score,expected,lower,upper,reason" ]
	[ "${#lines[@]}" -eq 505 ]
	[[ "${lines[301]}" == "2018-01-13 12:00:00,176,1,"*",sigma: +"*" sigma" ]]
	[ "$stderr" = "" ]
}

@test "nothing anomalous exits 0" {
	run_stdin "$(hourly -1 -1)" ts-detect
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk -F, 'NR > 1 && $3 != 0' | wc -l)" -eq 0 ]
}

@test "--only prints the header and anomalous rows; -q prints nothing" {
	run_stdin "$(hourly)" ts-detect --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == "2018-01-17 16:00:00,0,1,1,"*",sigma: -14.5 sigma" ]]
	run_stdin "$(hourly)" ts-detect -q
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	run_stdin "$(hourly -1 -1)" ts-detect --quiet
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "re-running replaces the added columns instead of adding more" {
	once=$(hourly | ts-detect || true)
	twice=$(printf '%s\n' "$once" | ts-detect -y y || true)
	[ "$(printf '%s\n' "$twice" | head -1)" = "ds,y,anomaly,score,expected,lower,upper,reason" ]
	[ "$once" = "$twice" ]
}

@test "--last N and --last DUR count back from the last row with a value" {
	run_stdin "$(hourly)" ts-detect --last 104 -q
	[ "$status" -eq 1 ]
	run_stdin "$(hourly)" ts-detect --last 103 -q
	[ "$status" -eq 0 ]
	run_stdin "$(hourly)" ts-detect --last 4d8h --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	# Forecast rows with an empty y after the last value do not hide it.
	in=$'ds,y,yhat,yhat_lower,yhat_upper\n2018-05-31 00:00:00,5,5,4,6\n2018-05-31 01:00:00,9,5,4,6\n2018-05-31 02:00:00,,6,5,7\n2018-05-31 03:00:00,,6,5,7\n'
	run_stdin "$in" ts-detect -m band --last 1h -q
	[ "$status" -eq 1 ]
	run_stdin "$in" ts-detect -m band --last 1
	[ "$status" -eq 1 ]
	[ "${lines[2]}" = "2018-05-31 01:00:00,9,5,4,6,1,0.999999704361284,5,4,6,above band" ]
	[ "${lines[4]}" = "2018-05-31 03:00:00,,6,5,7,0,,6,5,7," ]
}

@test "man page examples run: ts-detect(1) first two examples" {
	page="$BATS_TEST_DIRNAME/../../man/ts-detect.1"
	for k in 1 2; do
		block=$(awk -v k="$k" '/^\.Bd -literal/ { n++; if (n == k) { on = 1; next } } /^\.Ed/ { on = 0 } on' "$page" | sed 's/\\e/\\/g')
		cmd=$(printf '%s\n' "$block" | sed -n '1,/[^|]$/p' | sed 's/^\$ //' | tr -d '\n')
		expected=$(printf '%s\n' "$block" | sed '1,/[^|]$/d')
		run bash -c "$cmd"
		[ "$status" -eq 1 ]
		[ "$output" = "$expected" ] || { echo "example $k: $output"; false; }
	done
}

# --- Twitter AnomalyDetection expectations (tests/data/twitter-ad/SOURCE.md) ---

twitter_check() {
	local want=$1
	shift
	ts-detect -m esd --max-anoms 0.02 --only "$@" "$TW/raw_data.csv" | cut -d, -f1 | tail -n +2 > "$BATS_TEST_TMPDIR/got"
	cut -d, -f1 "$TW/$want" | tail -n +2 > "$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
}

@test "esd: Twitter both, max_anoms 0.02: exactly the 131 expected timestamps" {
	twitter_check expected_Ts_maxanoms0.02_both.csv --direction both
	[ "$(wc -l < "$BATS_TEST_TMPDIR/got")" -eq 131 ]
	run ts-detect -m esd --max-anoms 0.02 -q "$TW/raw_data.csv"
	[ "$status" -eq 1 ]
}

@test "esd: Twitter pos: exactly the 51 expected timestamps" {
	twitter_check expected_Ts_maxanoms0.02_pos.csv --direction pos
	[ "$(wc -l < "$BATS_TEST_TMPDIR/got")" -eq 51 ]
	twitter_check expected_Ts_maxanoms0.02_pos.csv --direction up
}

@test "esd: Twitter neg: exactly the 87 expected timestamps" {
	twitter_check expected_Ts_maxanoms0.02_neg.csv --direction neg
	[ "$(wc -l < "$BATS_TEST_TMPDIR/got")" -eq 87 ]
}

@test "esd: Twitter only_last day is --last 1d: the 25 expected timestamps" {
	twitter_check expected_Ts_maxanoms0.02_both_onlylastday.csv --last 1d
	[ "$(wc -l < "$BATS_TEST_TMPDIR/got")" -eq 25 ]
}

@test "esd: the Vec expectation by index, the longterm variant and med_max" {
	ts-detect -m esd --max-anoms 0.02 "$TW/raw_data.csv" | awk -F, 'NR > 1 && $3 == 1 { print NR - 1 }' > "$BATS_TEST_TMPDIR/got" || true
	cut -d, -f1 "$TW/expected_Vec_maxanoms0.02_period1440_both.csv" | tail -n +2 > "$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	twitter_check expected_Ts_maxanoms0.02_both.csv --piecewise 2w
	# The package's unit test: threshold med_max leaves 4.
	[ "$(ts-detect -m esd --max-anoms 0.02 --threshold med_max --only "$TW/raw_data.csv" | tail -n +2 | wc -l)" -eq 4 ]
	[ "$(ts-detect -m esd --max-anoms 0.02 --threshold p99 --only "$TW/raw_data.csv" | tail -n +2 | wc -l)" -le 4 ]
}

@test "esd: score, expected and the accepted range" {
	run ts-detect -m esd --max-anoms 0.02 --only -p 1440 "$TW/raw_data.csv"
	[ "$status" -eq 1 ]
	# the score: 1 - the tail probability of the ESD statistic among the series'
	[[ "${lines[1]}" == "1980-09-25 16:05:00,21.351,1,0.99999"*",esd" ]]
	lo=$(printf '%s\n' "${lines[1]}" | cut -d, -f6)
	awk -v lo="$lo" 'BEGIN { exit !(21.351 < lo) }'
}

# --- methods ---

# Two weeks of hourly Poisson counts of mean MU (a Park-Miller sequence, the
# same in every awk) with a forecast of MU, the last hour set to LAST.
counts() {
	awk -v last="$1" -v mu="$2" 'BEGIN {
		print "ds,y,yhat,yhat_lower,yhat_upper"; x = 12345
		for (i = 0; i < 336; i++) {
			k = 0; p = exp(-mu); c = p; x = (x * 16807) % 2147483647; u = x / 2147483647
			while (u > c) { k++; p *= mu / k; c += p }
			if (i == 335) k = last
			printf "%d,%d,%g,%g,%g\n", 1514764800 + 3600 * i, k, mu, mu - 2, mu + 2
		}
	}'
}

@test "surprise, the default on a forecast: counts are judged as counts" {
	# 3 errors where 0.2 are forecast is no incident (p about 0.03) ...
	run_stdin "$(counts 3 0.2)" ts-detect --last 1h --only
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	# ... nor is it for Prophet's band, read literally
	run_stdin "$(counts 3 0.2)" ts-detect -m band --last 1h -q
	[ "$status" -eq 1 ]
	# 0 where 40 are forecast is, 20 where 0.2 are is
	run_stdin "$(counts 0 40)" ts-detect --last 1h --only
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" == "1515970800,0,40,38,42,1,0.99999"*",40,"*",below forecast (p "*")" ]]
	run_stdin "$(counts 20 0.2)" ts-detect --last 1h --only
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" == *",above forecast (p "*")" ]]
	# --alpha sets the false-alarm rate: 10 where 0.2 are forecast (p 0.004
	# among this series' errors) passes at the default and pages at 1e-2
	run_stdin "$(counts 10 0.2)" ts-detect --last 1h -q
	[ "$status" -eq 0 ]
	run_stdin "$(counts 10 0.2)" ts-detect --last 1h --alpha 1e-2 -q
	[ "$status" -eq 1 ]
	# -m surprise is the same as the default; --direction applies
	[ "$(counts 0 40 | ts-detect --last 1h)" = "$(counts 0 40 | ts-detect -m surprise --last 1h)" ]
	run_stdin "$(counts 0 40)" ts-detect --last 1h --direction up -q
	[ "$status" -eq 0 ]
	# the floors: 20 where 0.2 are forecast is 20 away, not 25; 0 where 40
	# are is 100 % of it away, not 101 %
	run_stdin "$(counts 20 0.2)" ts-detect --last 1h --min-delta 25 -q
	[ "$status" -eq 0 ]
	run_stdin "$(counts 20 0.2)" ts-detect --last 1h --min-delta 15 -q
	[ "$status" -eq 1 ]
	run_stdin "$(counts 0 40)" ts-detect --last 1h --min-ratio 101% -q
	[ "$status" -eq 0 ]
	run_stdin "$(counts 0 40)" ts-detect --last 1h --min-ratio 90% -q
	[ "$status" -eq 1 ]
}

@test "surprise -q judges the --last window alone and exits as the printed run does" {
	# the post filters that read rows before the window included
	for opts in "--last 1h" "--last 3" "--last 1h --consecutive 2" "--last 2h --cooldown 1h" \
		"--last 1h --direction up" "--last 1h --alpha 0.3"; do
		found=$(counts 0 40 | ts-detect $opts --only | tail -n +2 | wc -l)
		run_stdin "$(counts 0 40)" ts-detect $opts -q -v
		[ "$output" = "" ]
		[ "$status" -eq $((found > 0 ? 1 : 0)) ]
		[[ "$stderr" == "ts-detect: <stdin>: 336 rows, $found anomal"* ]]
	done
}

@test "surprise: the errors it reports" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,2\n' ts-detect -m surprise
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: surprise needs a yhat column (run ts-forecast first)" ]
	[ "$output" = "" ]
	# a series ts-forecast passed through (empty yhat) is not judged, and named
	in=$'s,ds,y,yhat\na,2018-01-01,1,1\na,2018-01-02,2,2\na,2018-01-03,1,1\nb,2018-01-01,1,\nb,2018-01-02,2,\n'
	run_stdin "$in" ts-detect -k s -q
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-detect: <stdin>: s=b: no forecast to judge against: yhat is empty on every row with a value; passed through\nts-detect: 1 of 2 series passed through' ]
	run_stdin $'ds,y,yhat\n2018-01-01,1,1\n2018-01-02,2,2\n' ts-detect
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: surprise needs at least 3 rows with y and yhat, found 2" ]
	run_stdin "" ts-detect --alpha 0.9
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-detect: --alpha: invalid value "0.9" (expected 1e-12..0.5)' ]
}

@test "band: outside the forecast interval, --band-scale widens it" {
	in=$'ds,y,yhat,yhat_lower,yhat_upper\n2018-01-01,10,10,8,12\n2018-01-02,13,10,8,12\n2018-01-03,5,10,8,12\n'
	# The score reads the band as an 80 % normal interval: R's
	# 1 - 2 * pnorm(-qnorm(0.9) * 1.5) and 1 - 2 * pnorm(-qnorm(0.9) * 2.5).
	run_stdin "$in" ts-detect -m band --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,yhat,yhat_lower,yhat_upper,anomaly,score,expected,lower,upper,reason\n2018-01-02,13,10,8,12,1,0.9454354191248612,10,8,12,above band\n2018-01-03,5,10,8,12,1,0.9986441051102597,10,8,12,below band' ]
	run_stdin "$in" ts-detect -m band --band-scale 2 --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,yhat,yhat_lower,yhat_upper,anomaly,score,expected,lower,upper,reason\n2018-01-03,5,10,8,12,1,0.9986441051102597,10,6,14,below band' ]
	run_stdin "$in" ts-detect -m band --band-scale 3 -q
	[ "$status" -eq 0 ]
	# The literal band as a rule
	run_stdin "$in" ts-detect --rule 'y > yhat_upper' --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-02,13,10,8,12,1,"*",10,,,rule: y > yhat_upper" ]]
}

@test "sigma, iqr and mad find the spike and the dip; --sigma and --iqr set the bar" {
	for m in sigma iqr "mad --sigma 3"; do
		# shellcheck disable=SC2086
		run_stdin "$(hourly)" ts-detect -m $m --only
		[ "$status" -eq 1 ]
		[ "${#lines[@]}" -eq 3 ] || { echo "$m: $output"; false; }
		[[ "${lines[1]}" == "2018-01-13 12:00:00,176,1,"*",${m%% *}: "* ]]
	done
	# mad on the raw values: the spike stands 4 MADs out, under the default
	# rate's bar for a sine's short tail; the dip 5
	run_stdin "$(hourly)" ts-detect -m mad --only
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-17 16:00:00,0,1,0.99999"*",mad: -5.0 sigma" ]]
	run_stdin "$(hourly)" ts-detect -m sigma --sigma 20 -q
	[ "$status" -eq 0 ]
	run_stdin "$(hourly)" ts-detect -m iqr --iqr 20 -q
	[ "$status" -eq 0 ]
}

@test "sigma uses trend, seasonal and remainder columns when present" {
	in=$'ds,y,trend,seasonal,remainder\n'
	for i in $(seq 10 29); do in+="2018-01-$i,10,9,1,0.$((i % 3))"$'\n'; done
	in+=$'2018-01-30,19,9,1,9\n'
	run_stdin "$in" ts-detect -m sigma --only
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" == "2018-01-30,19,9,1,9,1,1,10.1,"*",sigma: +60.0 sigma" ]]
}

@test "sigma --boxcox works in the transformed scale and reports in the original one" {
	run_stdin "$(hourly)" ts-detect -m sigma --boxcox 0.5 --only
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" == "2018-01-13 12:00:00,176,1,"* ]]
	run_stdin "$(hourly -1 -1)" ts-detect -m sigma --boxcox auto --only
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run_stdin "$(hourly)" ts-detect -m sigma --boxcox 0
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: zero value: Box-Cox with lambda <= 0 needs positive data" ]
}

@test "rule: y == 0, y > 95, ratio < 0.9 | y == 0" {
	run_stdin "$(hourly)" ts-detect --rule 'y == 0' --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-17 16:00:00,0,1,"*",rule: y == 0" ]]
	run_stdin "$(hourly)" ts-detect --rule 'y > 150' --only
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-13 12:00:00,176,1,"* ]]
	run_stdin "$(hourly)" ts-detect -m rule --rule 'ratio < 0.9 | y == 0' --only
	[ "$status" -eq 1 ]
	# The zero, the day after the spike (against it), and the zero's next day.
	[[ "$output" == *"2018-01-17 16:00:00,0,1,"*",rule: ratio < 0.9 | y == 0"* ]]
	run_stdin $'ds,y\n2018-01-01,96\n2018-01-02,90\n' ts-detect --rule 'y > 95'
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "2018-01-01,96,1,,,,,rule: y > 95" ]
	# The flagged row is not the baseline of the next.
	[ "${lines[2]}" = "2018-01-02,90,0,,,,," ]
}

@test "rule: other columns, lag, prev, delta, logic words and several rules" {
	in=$'ds,y,errors\n2018-01-01 00:00,10,0\n2018-01-01 01:00,12,3\n2018-01-01 02:00,30,0\n2018-01-01 03:00,31,0\n'
	run_stdin "$in" ts-detect --rule 'errors > 0 and not y > 20' --rule 'y - prev > 10' --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,errors,anomaly,score,expected,lower,upper,reason\n2018-01-01 01:00,12,3,1,0,10,,,rule: errors > 0 and not y > 20\n2018-01-01 02:00,30,0,1,0.25,10,,,rule: y - prev > 10' ]
	run_stdin "$in" ts-detect --rule 'y - lag(2h) >= 19' --rule 'lag(2) == 12' --only
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == *"rule: y - lag(2h) >= 19; rule: lag(2) == 12" ]]
	# delta: against the same hour a day earlier (the spike's next day, the zero).
	run_stdin "$(hourly)" ts-detect -p 24 --rule 'delta < -50' --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == "2018-01-14 12:00:00,105,1,"* && "${lines[2]}" == "2018-01-17 16:00:00,0,1,"* ]]
}

@test "wow: a drop against the median of past weeks, not last week's incident" {
	gen() {
		awk -v d="$1" 'BEGIN { print "ds,y"; for (i = 0; i < 28; i++) { v = 100 + (i % 7) * 10
			if (i == 14) v = 300; if (i == 21) v = d; printf "2018-01-%02d,%g\n", i + 1, v } }'
	}
	run_stdin "$(gen 100)" ts-detect -m wow --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-15,300,1,1,100,90,150,wow +200%' ]
	run_stdin "$(gen 50)" ts-detect -m wow --direction down --only
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-22,50,1,0.8636363636363636,100,90,150,wow -50%' ]
	run_stdin "$(gen 95)" ts-detect -m wow --drop 5% --rise 500% --only
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-22,95,1,0.8636363636363636,100,95,600,wow -5%' ]
	run_stdin "$(gen 100)" ts-detect -m wow --lag 1d --weeks 1 --rise 100% --drop 50% --only
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason
2018-01-16,110,1,0.9999997042291698,300,150,600,wow -63%' ]
}

@test "level-shift: adjacent window medians, --window in rows or as a duration" {
	gen() { awk 'BEGIN { print "ds,y"; for (i = 0; i < 60; i++) printf "2018-01-01 %02d:%02d,%g\n", int(i / 60), i % 60, (i >= 30 ? 50 : 10) + (i * 7919) % 13 }'; }
	run_stdin "$(gen)" ts-detect -m level-shift --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[1]}" = "2018-01-01 00:27,12,1,1,17,2,32,level shift +41" ]
	[ "${lines[5]}" = "2018-01-01 00:31,60,1,1,16,1,31,level shift +39" ]
	[ "$(gen | ts-detect -m level-shift --window 5m)" = "$(gen | ts-detect -m level-shift --window 5)" ]
	run_stdin "$(gen)" ts-detect -m level-shift --direction down -q
	[ "$status" -eq 0 ]
}

@test "level-shift works on the values without their season" {
	# Ten days of hourly values swinging +-30 a day, 15 higher from row 150.
	gen() { awk 'BEGIN { print "ds,y"; x = 12345; for (i = 0; i < 240; i++) { x = (x * 16807) % 2147483647; v = 100 + 30 * sin(2 * 3.141592653589793 * i / 24) + 4 * (x / 2147483647 - 0.5); if (i >= 150) v += 15; printf "%d,%.3f\n", 1514764800 + 3600 * i, v } }'; }
	run_stdin "$(gen)" ts-detect -m level-shift --only
	[ "$status" -eq 1 ]
	# Rows 147 to 151: the step lies between the two windows of 5.
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" = "1515294000 1515297600 1515301200 1515304800 1515308400 " ]
	[ "${lines[4]}" = "1515304800,144.828,1,0.9999999999999999,132.92438323177103,126.72493091823884,139.12383554530322,level shift +11.7547" ]
	# On the raw values the daily swing hides it.
	run_stdin "$(gen)" ts-detect -m level-shift -p none -q
	[ "$status" -eq 0 ]
}

@test "new-high and new-low against the previous --history" {
	in=$(awk 'BEGIN { print "ds,y"; for (i = 0; i < 40; i++) { v = 10 + i % 3; if (i == 30) v = 20; if (i == 35) v = 1; printf "%d,%g\n", 1514764800 + 86400 * i, v } }')
	run_stdin "$in" ts-detect -m new-high,new-low --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n1517356800,20,1,0.999999931825922,12,,12,new high\n1517788800,1,1,0.9999999987241411,10,10,,new low' ]
	run_stdin "$in" ts-detect -m new-high --history 31d -q
	[ "$status" -eq 0 ]
	# longer than the input: no row could be judged, so it is refused
	run_stdin "$in" ts-detect -m new-high --history 40d -q
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: --history 40d is longer than the input, which spans 5w4d: no row would have a full history" ]
	run_stdin "$in" ts-detect -m new-high,new-low --direction down --only
	[ "${#lines[@]}" -eq 2 ]
}

@test "methods combine with ',' and reasons join" {
	run_stdin "$(hourly)" ts-detect -m sigma,mad,new-low --only
	[ "$status" -eq 1 ]
	[[ "${lines[2]}" == "2018-01-17 16:00:00,0,1,"*",sigma: -"*" sigma; mad: -5.0 sigma; new low" ]]
}

@test "--direction up and down on sigma" {
	run_stdin "$(hourly)" ts-detect --direction up --only
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-13 12:00:00,"* ]]
	run_stdin "$(hourly)" ts-detect --direction down --only
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "2018-01-17 16:00:00,"* ]]
}

# --- post filters ---

@test "--min-delta and --min-ratio keep a flat series quiet" {
	flat=$(awk 'BEGIN { print "ds,y"; for (i = 0; i < 100; i++) printf "2018-01-01 %02d:%02d,%g\n", int(i / 60), i % 60, 1000 + (i == 50 ? 0.5 : i % 2 * 0.01) }')
	run_stdin "$flat" ts-detect -m mad -q
	[ "$status" -eq 1 ]
	run_stdin "$flat" ts-detect -m mad --min-delta 1 -q
	[ "$status" -eq 0 ]
	run_stdin "$flat" ts-detect -m mad --min-delta 0.4 -q
	[ "$status" -eq 1 ]
	run_stdin "$flat" ts-detect -m mad --min-ratio 1% -q
	[ "$status" -eq 0 ]
	run_stdin "$flat" ts-detect -m mad --min-ratio 0.0001 -q
	[ "$status" -eq 1 ]
}

@test "--consecutive N needs N anomalous rows in a row; --cooldown suppresses repeats" {
	in=$(awk 'BEGIN { print "ds,y"; for (i = 0; i < 60; i++) printf "2018-01-01 %02d:%02d,%g\n", int(i / 60), i % 60, (i >= 40 && i < 43) || i == 20 || i == 50 ? 99 : 10 + i % 3 }')
	run_stdin "$in" ts-detect -m mad --only
	[ "${#lines[@]}" -eq 6 ]
	run_stdin "$in" ts-detect -m mad --consecutive 3 --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-01 00:42,99,1,'"$(printf '%s\n' "$output" | sed -n '2p' | cut -d, -f4-)" ]
	run_stdin "$in" ts-detect -m mad --consecutive 4 -q
	[ "$status" -eq 0 ]
	run_stdin "$in" ts-detect -m mad --cooldown 5m --only
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == "2018-01-01 00:20,"* && "${lines[2]}" == "2018-01-01 00:40,"* && "${lines[3]}" == "2018-01-01 00:50,"* ]]
}

@test "anomalies in the history do not inflate sigma: a second spike is still found" {
	in=$(hourly 300 -1 | awk -F, 'NR == 352 { $2 = $2 + 40 } { print }' OFS=,)
	run_stdin "$in" ts-detect --only
	[ "${#lines[@]}" -eq 3 ]
}

# --- keys and threads ---

@test "keys: each anomaly line carries its key; groups in first-seen order" {
	in=$( (hourly | sed '1d;s/^/b,/'; hourly 100 -1 | sed '1d;s/^/a,/') | awk 'BEGIN { print "k,ds,y" } { print }')
	run_stdin "$in" ts-detect -k k --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == b,2018-01-13* && "${lines[2]}" == b,2018-01-17* && "${lines[3]}" == a,2018-01-05* ]]
}

@test "-j N is byte-identical to -j 1" {
	gen() { awk 'BEGIN { print "k,ds,y"; for (i = 0; i < 504 * 40; i++) { s = i % 40; j = int(i / 40); v = 100 + 20 * sin(j / 3.82) + (j * 7919 + s) % 13; if ((j + s) % 97 == 0) v += 60; printf "s%d,%d,%g\n", s, 1514764800 + 3600 * j, v } }'; }
	for m in sigma esd iqr,wow; do
		one=$(gen | ts-detect -k k -m "$m" -j 1 | md5sum)
		four=$(gen | ts-detect -k k -m "$m" -j 4 | md5sum)
		all=$(gen | ts-detect -k k -m "$m" -j 0 | md5sum)
		[ "$one" = "$four" ] && [ "$one" = "$all" ]
	done
	one=$(gen | ts-detect -k k --stream | md5sum)
	[ "$one" = "$(gen | ts-detect -k k --stream -j 4 | md5sum)" ]
}

@test "-v prints a line per series" {
	run_stdin "$(hourly)" ts-detect -v -q
	[ "$status" -eq 1 ]
	[ "$stderr" = "ts-detect: <stdin>: 504 rows, 2 anomalies, interval 1h, period 24" ]
}

@test "without -p, sigma adds the weekly period once four weeks are there" {
	# Hourly: a daily wave, weekends 30 lower, uniform noise of +-3 (a
	# Park-Miller sequence, the same in every awk), spikes of +25 on the
	# Wednesdays of weeks 2 and 4 at noon. A daily-only fit leaves the
	# weekend edges in the remainder; with the week they are explained.
	weekly() {
		awk -v n="$1" 'BEGIN {
			print "ds,y"; x = 12345
			for (i = 0; i < n; i++) {
				x = (x * 16807) % 2147483647
				v = 100 + 20 * sin(2 * 3.141592653589793 * i / 24) + 6 * (x / 2147483647 - 0.5)
				if (int(i / 24) % 7 >= 5) v -= 30
				if (i == 24 * 9 + 12 || i == 24 * 23 + 12) v += 25
				printf "%d,%.4f\n", 1514764800 + 3600 * i, v
			}
		}'
	}
	run_stdin "$(weekly 672)" ts-detect -v --only
	[ "$status" -eq 1 ]
	[ "${stderr##*, }" = "period 24,168" ]
	flagged=$(printf '%s\n' "$output" | tail -n +2 | cut -d, -f1)
	printf '%s\n' "$flagged" | grep -qx 1515585600
	printf '%s\n' "$flagged" | grep -qx 1516795200
	[ "$(printf '%s\n' "$flagged" | wc -l)" -le 3 ]
	[ "$output" = "$(weekly 672 | ts-detect --only -p 24,168)" ]
	# The day alone: the weekend edges are flagged by the dozen at a fixed
	# 3 sigmas (the default rate's bar rises over them: they are a tenth of
	# the series).
	run_stdin "$(weekly 672)" ts-detect --only -p 24 --sigma 3
	[ "$(printf '%s\n' "$output" | wc -l)" -gt 50 ]
	# Three weeks are too few for the week: the day alone.
	run_stdin "$(weekly 504)" ts-detect -v -q
	[ "${stderr##*, }" = "period 24" ]
}

# --- streaming ---

@test "--stream decides rows as they arrive; warm-up rows are 0" {
	run_stdin "$(hourly)" ts-detect --stream --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == "2018-01-13 12:00:00,176,1,"*",above expected" ]]
	[[ "${lines[2]}" == "2018-01-17 16:00:00,0,1,"*",below expected" ]]
	run_stdin "$(hourly 20 30)" ts-detect --stream -q
	[ "$status" -eq 0 ]
	run_stdin "$(hourly 20 30)" ts-detect --stream --warmup 10 -q
	[ "$status" -eq 1 ]
	run_stdin "$(hourly 300 -1)" ts-detect --stream --warmup 13d -q
	[ "$status" -eq 0 ]
	run_stdin "$(hourly)" ts-detect --stream --direction up --sigma 4 --only
	[ "${#lines[@]}" -eq 2 ]
}

@test "--stream: each row is decided from earlier rows only (prefix property)" {
	full=$(hourly | ts-detect --stream || true)
	part=$(hourly | head -301 | ts-detect --stream || true)
	[ "$(printf '%s\n' "$full" | head -301)" = "$part" ]
}

@test "--stream: output is flushed per row while the input stays open" {
	fifo="$BATS_TEST_TMPDIR/in"
	mkfifo "$fifo"
	( hourly | head -200; sleep 3; hourly | sed -n '201,202p' ) > "$fifo" &
	timeout 2 ts-detect --stream < "$fifo" > "$BATS_TEST_TMPDIR/out" || true
	wait
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 200 ]
}

@test "--stream: irregular spacing, gaps and repeated timestamps are fine" {
	in=$(hourly | awk -F, 'NR == 1 || NR % 5 != 0 { print } NR % 7 == 0 { print }')
	run_stdin "$in" ts-detect --stream --only
	[ "$status" -eq 1 ]
	[[ "$output" == *"2018-01-13 12:00:00,176,1,"* ]]
}

@test "--stream cannot take batch-only options" {
	run_stdin $'ds,y\n' ts-detect --stream --last 1h
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-detect: --stream cannot be combined with --last or --rule" ]
	run_stdin $'ds,y\n' ts-detect --stream --rule 'y > 1'
	[ "${stderr%%$'\n'*}" = "ts-detect: --stream cannot be combined with --last or --rule" ]
	run_stdin $'ds,y\n' ts-detect --stream -m sigma
	[ "${stderr%%$'\n'*}" = "ts-detect: --stream has its own model: -m cannot be combined with it" ]
	run_stdin $'ds,y\n' ts-detect --warmup 3
	[ "${stderr%%$'\n'*}" = "ts-detect: --warmup is only used with --stream" ]
	run_stdin $'ds,y\n' ts-detect --stream -p 1mo
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-detect: --stream: -p must be a fixed duration or a count" ]
	run_stdin $'ds,y\n' ts-detect --stream --warmup 1mo
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-detect: --warmup: a fixed duration or a count of rows" ]
}

# Five weeks of hourly values: a daily wave, noise of +-3 (Park-Miller, the
# same in every awk), the level up by 40 from row 400 on (-v shift), and
# single spikes of +40 at the rows given with -v spikes (comma-separated).
shifted() {
	awk -v shift="${1:-400}" -v spikes="${2:-}" 'BEGIN {
		n = split(spikes, sp, ","); for (k = 1; k <= n; k++) spike[sp[k]] = 1
		print "ds,y"; x = 12345
		for (i = 0; i < 840; i++) {
			x = (x * 16807) % 2147483647
			v = 100 + 20 * sin(2 * 3.141592653589793 * i / 24) + 6 * (x / 2147483647 - 0.5)
			if (shift >= 0 && i >= shift) v += 40
			if (i in spike) v += 40
			printf "%d,%.3f\n", 1514764800 + 3600 * i, v
		}
	}'
}

@test "--stream: a level shift is reported once, then it is the new normal" {
	run_stdin "$(shifted 400)" ts-detect --stream --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "$((1514764800 + 3600 * 400)),"*",1,"*",above expected" ]]
	# The rows after it are expected at the new level.
	run_stdin "$(shifted 400)" ts-detect --stream
	cawk -F, 'NR == 702 { exit !($5 > 120 && $5 < 180 && $4 < 0.999) }' <<< "$output"
}

@test "--stream: the score is 1 - p of the row, in [0, 1], empty when y is missing" {
	run_stdin "$(shifted -1 | sed '600s/,.*/,/')" ts-detect --stream
	[ "$status" -eq 0 ]
	cawk -F, 'NR > 17 && NR != 600 && !($4 >= 0 && $4 <= 1) { bad++ } END { exit bad > 0 }' <<< "$output"
	[[ "${lines[599]}" == "$((1514764800 + 3600 * 598)),,0,,"*"," ]]
	# Warm-up rows are scored but never flagged; the first 16 rows, which
	# give the interval, are neither.
	[[ "${lines[1]}" == "1514764800,"*",0,,,,," ]]
	[ "$(cawk -F, 'NR > 17 && NR < 66 && $4 != "" { n++ } END { print n }' <<< "$output")" -eq 48 ]
	# Half the rows score below 0.5 on a well-fitted series.
	[ "$(cawk -F, 'NR > 100 && $4 < 0.5 { n++ } END { print (n > 300) }' <<< "$output")" -eq 1 ]
}

@test "--stream: --sigma and --alpha set the alarm level" {
	# A spike of +40 (about 20 sigmas) is found at the default level
	# (p < 0.001) but not at K = 40 (p < 4e-350, that is never).
	run_stdin "$(shifted -1 500)" ts-detect --stream --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "$((1514764800 + 3600 * 500)),"* ]]
	run_stdin "$(shifted -1 500)" ts-detect --stream --sigma 40 -q
	[ "$status" -eq 0 ]
	# At K = 1 (p < 0.32) the band is far narrower, and many more rows are
	# flagged, each incident still once.
	run_stdin "$(shifted -1 500)" ts-detect --stream --sigma 1
	[ "$(cawk -F, 'NR == 700 { print ($7 - $6 < 8) }' <<< "$output")" = 1 ]
	[ "$(cawk -F, '$3 == 1 { n++ } END { print (n > 20) }' <<< "$output")" = 1 ]
	run_stdin "$(shifted -1 500)" ts-detect --stream
	[ "$(cawk -F, 'NR == 700 { print ($7 - $6 > 10) }' <<< "$output")" = 1 ]
	# --alpha is the alarm level itself: at 0.3 many incidents, as at K = 1
	run_stdin "$(shifted -1 500)" ts-detect --stream --alpha 0.3
	[ "$(cawk -F, '$3 == 1 { n++ } END { print (n > 20) }' <<< "$output")" = 1 ]
	run_stdin "$(shifted -1 500)" ts-detect --stream --alpha 1e-12 -q
	[ "$status" -eq 1 ]
}

@test "--stream: --cooldown, --consecutive, --min-delta and --min-ratio need the past only" {
	# Spikes a day apart are two incidents.
	run_stdin "$(shifted -1 500,530)" ts-detect --stream --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == "$((1514764800 + 3600 * 500)),"* ]]
	[[ "${lines[2]}" == "$((1514764800 + 3600 * 530)),"* ]]
	run_stdin "$(shifted -1 500,530)" ts-detect --stream --only --cooldown 2d
	[ "${#lines[@]}" -eq 2 ]
	run_stdin "$(shifted -1 500,530)" ts-detect --stream --only --cooldown 1d
	[ "${#lines[@]}" -eq 3 ]
	# One row out of line is not a run of two; a shift is, from its second row.
	run_stdin "$(shifted -1 500,530)" ts-detect --stream -q --consecutive 2
	[ "$status" -eq 0 ]
	run_stdin "$(shifted 500)" ts-detect --stream --only --consecutive 2
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "$((1514764800 + 3600 * 501)),"* ]]
	# The spikes are 40 above expected: 50, or 60% of about 100, is more.
	run_stdin "$(shifted -1 500,530)" ts-detect --stream -q --min-delta 50
	[ "$status" -eq 0 ]
	run_stdin "$(shifted -1 500,530)" ts-detect --stream -q --min-ratio 60%
	[ "$status" -eq 0 ]
	run_stdin "$(shifted -1 500,530)" ts-detect --stream --only --min-delta 20 --min-ratio 20%
	[ "${#lines[@]}" -eq 3 ]
}

@test "--stream -v prints a line per series, with the model in use" {
	two=$(shifted -1 500 | cawk -F, 'NR == 1 { print "k," $0; next } { print "a," $0; print "b," $0 }')
	run_stdin "$two" ts-detect --stream -k k -v -q
	[ "$status" -eq 1 ]
	[ "$stderr" = 'ts-detect: series "a": 840 rows, 1 anomaly, interval 1h, period 24,168, model slow level + season
ts-detect: series "b": 840 rows, 1 anomaly, interval 1h, period 24,168, model slow level + season' ]
	run_stdin "$(shifted -1 | head -11)" ts-detect --stream -v -q -p none
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-detect: <stdin>: 10 rows, 0 anomalies, interval unknown, period 0, model none" ]
}

@test "--stream: keyed series are judged apart and written in input order" {
	# b is a with a dip at row 398.
	two=$(shifted -1 500 | cawk -F, 'NR == 1 { print "k," $0; next } { print "a," $0; print "b," $1 "," $2 - 50 * (NR == 400) }')
	run_stdin "$two" ts-detect --stream -k k --only
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == "b,$((1514764800 + 3600 * 398)),"*",below expected" ]]
	[[ "${lines[2]}" == "a,$((1514764800 + 3600 * 500)),"*",above expected" ]]
	[[ "${lines[3]}" == "b,$((1514764800 + 3600 * 500)),"*",above expected" ]]
}

@test "--stream: bad rows, ragged rows and a second input with another header" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: bad number "abc" in column y' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-13-02,2\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'ts-detect: <stdin>:3: bad timestamp "2018-13-02"'* ]]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,2,3\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>:3: expected 2 fields, found 3" ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n2018-01-03,x\n2018-01-04,2\n' ts-detect --stream --skip-bad
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${stderr##*$'\n'}" = "ts-detect: warning: skipped 2 bad rows" ]
	# --skip-bad leaving nothing to judge is no all clear.
	run_stdin $'ds,y\nx,1\n' ts-detect --stream --skip-bad
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:2: bad timestamp "x"\nts-detect: <stdin>: no rows left to judge' ]
	[ "$output" = "" ]
	# a ragged row under --skip-bad is skipped and counted like a bad value
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,2,3\n2018-01-03,4\n' ts-detect --stream --skip-bad
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-01,1,0,,,,,\n2018-01-03,4,0,,,,,' ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:3: expected 2 fields, found 3\nts-detect: warning: skipped 1 bad row' ]
	# so is a last row cut off inside quotes (a file still being written)
	run_stdin $'ds,y\n2018-01-01,1\n"2018-01-02,3' ts-detect --stream --skip-bad
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:3: unterminated quoted field\nts-detect: warning: skipped 1 bad row' ]
	printf 'ds,y\n2018-01-01,1\n' > "$BATS_TEST_TMPDIR/one.csv"
	printf 'ds,value\n2018-01-02,1\n' > "$BATS_TEST_TMPDIR/two.csv"
	run_stdin '' ts-detect --stream "$BATS_TEST_TMPDIR/one.csv" "$BATS_TEST_TMPDIR/two.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: $BATS_TEST_TMPDIR/two.csv:1: header differs from the first input's" ]
	run_stdin '' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no input: did the previous command fail?" ]
	run_stdin '' ts-detect --stream "$BATS_TEST_TMPDIR/none.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: $BATS_TEST_TMPDIR/none.csv: No such file or directory" ]
}

@test "--stream reads values and times as the batch tools do: infinities, DST" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,inf\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: infinite value "inf" in column y' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,-Infinity\n2018-01-03,2\n' ts-detect --stream --skip-bad
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:3: infinite value "-Infinity" in column y\nts-detect: warning: skipped 1 bad row' ]
	# a naive time the clocks skip names no instant
	run_stdin $'ds,y\n2024-03-31T01:00,1\n2024-03-31T02:30,2\n' ts-detect --stream --tz Europe/Berlin
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: bad timestamp "2024-03-31T02:30": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)' ]
	# the hour a fall-back repeats is two real hours, not bad input
	rows=$'ds,y\n'
	for d in 26 27; do for h in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
		rows+="2024-10-${d}T$h:00,$((10 + ${h#0} % 3))"$'\n'
		[ "$d$h" = "2702" ] && rows+="2024-10-27T02:00,$((10 + 2))"$'\n'
	done; done
	run_stdin "$rows" ts-detect --stream --tz Europe/Berlin -v
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 50 ]
	[[ "$stderr" == *"49 rows, 0 anomalies, interval 1h"* ]]
}

# --- bad input: each with its message and exit status 2 ---

@test "a band method without band columns" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect -m band
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: band needs yhat_lower and yhat_upper columns (run ts-forecast first)" ]
}

@test "esd with fewer than two periods" {
	run_stdin "$(hourly | head -49)" ts-detect -m esd
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: esd needs more than two periods: 48 points, period 24" ]
	run_stdin $'k,ds,y\na,2018-01-01,1\na,2018-01-02,2\n' ts-detect -m esd -k k
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-detect: <stdin>: k=a: esd needs more than two periods: 2 points, period 7; passed through\nts-detect: 1 of 1 series passed through' ]
	[ "$output" = $'k,ds,y,anomaly,score,expected,lower,upper,reason\na,2018-01-01,1,,,,,,\na,2018-01-02,2,,,,,,' ]
}

@test "irregular input: run ts-fill" {
	run_stdin "$(hourly | sed 10d)" ts-detect -m esd
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>:10: esd: irregular series: 2018-01-01 09:00:00 follows 2018-01-01 07:00:00, expected 2018-01-01 08:00:00 (interval 1h); run ts-fill first" ]
	run_stdin "$(hourly | sed 10d)" ts-detect -m sigma
	[ "$status" -eq 2 ]
	[[ "$stderr" == "ts-detect: <stdin>:10: sigma: irregular series: "*"; run ts-fill first" ]]
	# Methods that look things up by time do not mind.
	run_stdin "$(hourly | sed 10d)" ts-detect -m mad,wow,rule --rule 'y == 0' -q
	[ "$status" -eq 1 ]
}

@test "a malformed rule names the column of the error" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --rule 'y >'
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-detect: --rule "y >": column 4: expected a value at the end' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --rule 'y == 0 & (ratio < 0.9'
	[ "${stderr%%$'\n'*}" = 'ts-detect: --rule "y == 0 & (ratio < 0.9": column 10: missing ")" for this "("' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --rule 'y =< 3'
	[ "${stderr%%$'\n'*}" = 'ts-detect: --rule "y =< 3": column 4: expected a value, found "<"' ]
}

@test "an unknown column in a rule: a data error listing the columns, no usage text" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --rule 'y > 1 | errors > 0'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>: --rule "y > 1 | errors > 0": column 9: unknown column "errors" (columns: ds, y)' ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --rule 'y > yhat'
	[ "$stderr" = 'ts-detect: <stdin>: --rule "y > yhat": column 5: unknown column "yhat" (columns: ds, y)' ]
}

@test "-m rule without --rule, unknown method, bad option values" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect -m rule
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-detect: -m rule needs --rule EXPR" ]
	run_stdin $'ds,y\n' ts-detect -m zscore
	[ "${stderr%%$'\n'*}" = 'ts-detect: -m: unknown method "zscore" (expected surprise, band, esd, sigma, iqr, mad, rule, wow, level-shift, new-high or new-low)' ]
	run_stdin $'ds,y\n' ts-detect --max-anoms 0.6
	[ "${stderr%%$'\n'*}" = 'ts-detect: --max-anoms: invalid value "0.6" (expected 1e-09..0.49, or a percentage)' ]
	run_stdin $'ds,y\n' ts-detect --direction sideways
	[ "${stderr%%$'\n'*}" = 'ts-detect: --direction: invalid value "sideways" (expected up, down or both)' ]
	run_stdin $'ds,y\n' ts-detect --threshold p50
	[ "${stderr%%$'\n'*}" = 'ts-detect: --threshold: invalid value "p50" (expected med_max, p95 or p99)' ]
	run_stdin $'ds,y\n' ts-detect --last 0
	[ "${stderr%%$'\n'*}" = 'ts-detect: --last: bad value "0" (a count of rows or a duration)' ]
	run_stdin $'ds,y\n' ts-detect --drop 120%
	[ "${stderr%%$'\n'*}" = 'ts-detect: --drop: invalid value "120%" (expected 0..1, or a percentage)' ]
	run_stdin $'ds,y\n' ts-detect --min-ratio abc
	[ "${stderr%%$'\n'*}" = 'ts-detect: --min-ratio: invalid value "abc" (expected 0..1e+06, or a percentage)' ]
	run_stdin $'ds,y\n' ts-detect --min-ratio %
	[ "${stderr%%$'\n'*}" = 'ts-detect: --min-ratio: invalid value "%" (expected 0..1e+06, or a percentage)' ]
	run_stdin $'ds,y\n' ts-detect --min-delta nan
	[ "${stderr%%$'\n'*}" = 'ts-detect: --min-delta: invalid value "nan" (expected a number >= 0)' ]
	run_stdin $'ds,y\n' ts-detect --band-scale 1e7
	[ "${stderr%%$'\n'*}" = 'ts-detect: --band-scale: invalid value "1e7" (expected 0..1e+06)' ]
	# the same words as ts-decompose's --boxcox (one parser, ts_boxcox_parse)
	run_stdin $'ds,y\n' ts-detect --boxcox 11
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-detect: --boxcox: invalid value "11" (expected auto or a number in -10..10)' ]
	run_stdin $'ds,y\n' ts-detect --boxcox nan
	[ "${stderr%%$'\n'*}" = 'ts-detect: --boxcox: invalid value "nan" (expected auto or a number in -10..10)' ]
	# hidden aliases are taken, not listed
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect -m sigma --direction pos --threshold none -q
	[ "$status" -eq 0 ]
	run_stdin $'ds,y\n' ts-detect -p 1
	[ "${stderr%%$'\n'*}" = 'ts-detect: -p: bad period "1" (expected a count of at least 2, a duration or none)' ]
	run_stdin $'ds,y\n' ts-detect -p 2,3,4,5,6
	[ "${stderr%%$'\n'*}" = 'ts-detect: -p: at most 4 periods' ]
	run_stdin $'ds,y\n' ts-detect -p 24,,168
	[ "${stderr%%$'\n'*}" = 'ts-detect: -p: bad period "" (expected a count of at least 2, a duration or none)' ]
	run_stdin $'ds,y\n' ts-detect --only -q
	[ "${stderr%%$'\n'*}" = "ts-detect: --only and -q cannot be combined" ]
	for a in --bogus; do
		run_stdin '' ts-detect "$a"
		[ "$status" -eq 2 ]
		[ "${stderr%%$'\n'*}" = "ts-detect: unrecognized option '--bogus'" ]
	done
}

@test "a period that is not a whole number of intervals" {
	# the words ts-decompose uses for the same -p (lib/series/period: ts_periods_resolve)
	run_stdin "$(hourly)" ts-detect -m esd -p 90m
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: period 1h30m is not a whole number of 1h intervals" ]
	run_stdin "$(hourly)" ts-detect -m esd -p 1h
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: period 1h is less than two points" ]
	run_stdin "$(hourly)" ts-detect -m level-shift --window 90m
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: --window 1h30m is not a whole number of 1h intervals" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect -m mad -p 1d
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: period 1d: the interval is unknown (give a count)" ]
}

@test "every timestamp the same: irregular, as ts-decompose says; -j 1 and -j 2 agree" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-01,2\n2018-01-01,3\n' ts-detect -m esd -p 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: esd: irregular series: every timestamp is 2018-01-01; run ts-fill first" ]
	# a series passed through leaves no line number behind for the next one
	in=$'k,ds,y\na,2018-01-01,1\na,2018-01-02,2\na,2018-01-04,3\nb,2018-01-01,1\nb,2018-01-01,2\n'
	run_stdin "$in" ts-detect -k k -m esd -p 2 -j 1
	[ "$status" -eq 2 ]
	one=$stderr
	[ "$one" = $'ts-detect: <stdin>:4: k=a: esd: irregular series: 2018-01-04 follows 2018-01-02, expected 2018-01-03 (interval 1d); run ts-fill first; passed through\nts-detect: <stdin>: k=b: esd: irregular series: every timestamp is 2018-01-01; run ts-fill first; passed through\nts-detect: 2 of 2 series passed through' ]
	run_stdin "$in" ts-detect -k k -m esd -p 2 -j 2
	[ "$stderr" = "$one" ]
}

@test "no value column, non-numeric value and band columns" {
	run_stdin $'ds,host\n2018-01-01,a\n' ts-detect
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no value column: give -y (columns: ds, host)" ]
	[ "$output" = "" ]
	run_stdin $'ds,host\n2018-01-01,a\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no value column: give -y (columns: ds, host)" ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-detect --stream -y x
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>: -y: no column "x" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n' ts-detect
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: bad number "abc" in column y' ]
	run_stdin $'ds,y,yhat_lower,yhat_upper\n2018-01-01,1,0,x\n' ts-detect -m band
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:2: bad number "x" in column yhat_upper' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n2018-01-03,2\n' ts-detect -m mad --skip-bad
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# --skip-bad skips bad values, not a forecast that says what to expect
	run_stdin $'ds,y,yhat,yhat_lower,yhat_upper\n2018-01-01,1,1,0,2\n2018-01-02,1,abc,0,2\n' ts-detect --skip-bad
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: bad number "abc" in column yhat' ]
}

@test "empty input, header only, one row" {
	run_stdin '' ts-detect
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no input: did the previous command fail?" ]
	# A dead feed is not all clear: header only is trouble, with no header out.
	run_stdin $'ds,y\n' ts-detect
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-detect: <stdin>: no data rows: nothing to judge" ]
	run_stdin $'ds,y\n' ts-detect -q --last 1h
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no data rows: nothing to judge" ]
	run_stdin $'ds,y\n' ts-detect --stream
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-detect: <stdin>: no data rows: nothing to judge" ]
	run_stdin $'ds,y\n2018-01-01,5\n' ts-detect -m mad,wow,new-high,sigma
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,anomaly,score,expected,lower,upper,reason\n2018-01-01,5,0,0,5,5,5,' ]
}

@test "failures are failures: empty files say so, a failing series writes no header first" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run --separate-stderr ts-detect "$BATS_TEST_TMPDIR/empty.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?" ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n' ts-detect
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	run_stdin "$(hourly | head -49)" ts-detect -m esd
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	# A later series' bad input still stops the run, after the earlier ones.
	run_stdin $'k,ds,y\na,2018-01-01,1\na,2018-01-02,1\nb,2018-01-01,x\n' ts-detect -k k -m mad
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:4: bad number "x" in column y' ]
	[ "$output" = $'k,ds,y,anomaly,score,expected,lower,upper,reason\na,2018-01-01,1,0,0,1,1,1,\na,2018-01-02,1,0,0,1,1,1,' ]
	# --skip-bad leaving nothing to judge is no all clear either.
	run_stdin $'ds,y\nx,1\n' ts-detect --skip-bad
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:2: bad timestamp "x"\nts-detect: <stdin>: no rows left to judge' ]
	[ "$output" = "" ]
}

@test "one bad series never silences the others; anomalies take precedence over it" {
	good=$(hourly 503 | sed '1d; s/^/g,/')
	in=$(printf 'k,ds,y\n%s\nbad,2018-01-01 00:00:00,5\n' "$good")
	run_stdin "$in" ts-detect -k k -m esd --last 1
	[ "$status" -eq 1 ]
	[ "$stderr" = $'ts-detect: <stdin>: k=bad: esd needs a seasonal period: give -p; passed through\nts-detect: 1 of 2 series passed through' ]
	[ "$(printf '%s\n' "$output" | tail -n 1)" = "bad,2018-01-01 00:00:00,5,,,,,," ]
	[ "$(printf '%s\n' "$output" | grep -c '^g,.*,1,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*$')" -ge 1 ]
	# Nothing found, a series not judged: 2.
	good=$(hourly 9999 9999 | sed '1d; s/^/g,/')
	in=$(printf 'k,ds,y\n%s\nbad,2018-01-01 00:00:00,5\n' "$good")
	run_stdin "$in" ts-detect -k k -m esd --last 1 -q
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[[ "$stderr" == *$'; passed through\nts-detect: 1 of 2 series passed through' ]]
	# --only writes anomalous rows only: not those of a series not judged.
	run_stdin "$in" ts-detect -k k -m esd --last 1 --only
	[ "$status" -eq 2 ]
	[ "$output" = "k,ds,y,anomaly,score,expected,lower,upper,reason" ]
}

@test "issue acceptance: a 1-point series among 20 good ones through ts-forecast | ts-detect" {
	in=$(cawk 'BEGIN {
		print "s,ds,y"
		for (k = 1; k <= 20; k++)
			for (h = 0; h < 24 * 7; h++) {
				y = 100 + 20 * sin(2 * 3.14159265 * (h % 24) / 24) + (h * 7919 + k * 31) % 5 - 2
				if (k == 7 && h == 24 * 7 - 1)
					y += 200
				printf "s%02d,2018-05-%02d %02d:00:00,%g\n", k, 20 + int(h / 24), h % 24, y
			}
		print "new,2018-05-26 23:00:00,5"
	}')
	run_stdin "$in" bash -c 'set -o pipefail; ts-forecast -k s -H 24 | ts-detect -k s --last 1h --only'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"ts-forecast: <stdin>: s=new: cannot infer the interval from fewer than two distinct timestamps; passed through"* ]]
	[[ "$stderr" == *"ts-forecast: 1 of 21 series passed through"* ]]
	# The 20 are forecast and judged: s07's spike is found.
	[[ "$output" == *$'\ns07,2018-05-26 23:00:00,'*',1,'* ]]
	n=$(printf '%s\n' "$in" | ts-forecast -k s -H 24 2>/dev/null | cawk -F, 'NR > 1 && $4 != "" { s[$1] = 1 } END { print length(s) }')
	[ "$n" -eq 20 ]
}

@test "NaN, Inf, constant series and unsorted times never crash" {
	run_stdin $'ds,y\n2018-01-03,1\n2018-01-01,NaN\n2018-01-02,5\n2018-01-04,1\n' ts-detect -m mad,wow,new-high,new-low,rule --rule 'y > 0'
	[ "$status" -eq 1 ]
	const=$(awk 'BEGIN { print "ds,y"; for (i = 0; i < 100; i++) printf "2018-01-01 %02d:%02d,7\n", int(i / 60), i % 60 }')
	for m in sigma iqr mad esd level-shift; do
		run_stdin "$const" ts-detect -m "$m" -p 10 -q
		[ "$status" -eq 0 ] || { echo "$m $status $stderr"; false; }
	done
	run_stdin "$const" ts-detect --stream -q
	[ "$status" -eq 0 ]
}

@test "esd flags a value near DBL_MAX, with no crash" {
	# tests/data/hostile/huge-5e307.csv: STL's psort once ran off its array here
	run --separate-stderr ts-detect -m esd --only "$DATA/hostile/huge-5e307.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | sed 1d | cut -d, -f1-3)" = "2018-01-13 12:00:00,5e307,1" ]
}

@test "an infinite value is bad input at its line, in y and in every column read" {
	# rule, esd, mad, wow and new-high never flagged it; the default said no line
	in=$'ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-03,inf\n2018-01-04,1\n'
	for m in sigma esd mad iqr wow new-high level-shift; do
		run_stdin "$in" ts-detect -m "$m" -p none
		[ "$status" -eq 2 ] || { echo "$m: $status"; false; }
		[ "$stderr" = 'ts-detect: <stdin>:4: infinite value "inf" in column y' ] || { echo "$m: $stderr"; false; }
	done
	run_stdin "$in" ts-detect --rule 'y > 1e300'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:4: infinite value "inf" in column y' ]
	run_stdin $'ds,y,yhat,yhat_lower,yhat_upper\n2018-01-01,1,1,0,2\n2018-01-02,1,1,-1e999,2\n' ts-detect -m band
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: infinite value "-1e999" in column yhat_lower' ]
	run_stdin $'ds,y,limit\n2018-01-01,1,5\n2018-01-02,1,Infinity\n' ts-detect --rule 'y > limit'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:3: infinite value "Infinity" in column limit' ]
	run_stdin "$in" ts-detect --rule 'y > 5' --skip-bad
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1-3)" = $'ds,y,anomaly\n2018-01-01,1,0\n2018-01-02,2,0\n2018-01-04,1,0' ]
	[ "$stderr" = $'ts-detect: warning: <stdin>:4: infinite value "inf" in column y\nts-detect: warning: skipped 1 bad row' ]
}

@test "absurd thresholds, windows, histories and lags are refused at once, with the real reason" {
	# --sigma 0 found nothing; --window 1000000, --history 1000y and
	# lag(1000y) judged nothing; all exited 0
	in="$DATA/hostile/huge-5e307.csv"
	run --separate-stderr ts-detect --sigma 0 "$in"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-detect: --sigma: 0 is below 1: under one sigma most points are flagged and too few are left to estimate sigma from' ]
	run --separate-stderr ts-detect -m mad --sigma 0.5 "$in"
	[ "$status" -eq 2 ]
	run --separate-stderr ts-detect -m level-shift --window 1000000 "$in"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = 'ts-detect: --window 1000000: level-shift needs twice that many rows, a window either side, and the longest series has 504' ]
	run --separate-stderr ts-detect -m level-shift --window 30d "$in"
	[ "$stderr" = 'ts-detect: --window 30d: level-shift needs twice that, a window either side, and the input spans 2w6d23h' ]
	run --separate-stderr ts-detect -m new-high --history 1000y "$in"
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: --history 1000y is longer than the input, which spans 2w6d23h: no row would have a full history' ]
	run --separate-stderr ts-detect -m wow --lag 1000y "$in"
	[ "$stderr" = 'ts-detect: --lag 1000y is longer than the input, which spans 2w6d23h: no row has a value that far back' ]
	run --separate-stderr ts-detect --rule 'y > lag(1000y)' "$in"
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: --rule "y > lag(1000y)": lag(1000y) reaches before the input, which spans 2w6d23h, from every row: it is missing on every row' ]
	run --separate-stderr ts-detect --rule 'y > 2 * lag(504)' "$in"
	[ "$stderr" = 'ts-detect: --rule "y > 2 * lag(504)": lag(504) is as many rows as the longest series has (504) or more: it is missing on every row' ]
	# what still reaches a row is judged
	for args in "--sigma 1" "-m level-shift --window 252" "-m new-high --history 20d" "--rule y>lag(503)" "--rule y>lag(20d)"; do
		run --separate-stderr ts-detect $args -q "$in"
		[ "$status" -ne 2 ] || { echo "$args: $stderr"; false; }
	done
}

@test "binary garbage never crashes" {
	head -c 65536 /dev/urandom > "$BATS_TEST_TMPDIR/rand.bin"
	run ts-detect "$BATS_TEST_TMPDIR/rand.bin"
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
	run ts-detect --stream "$BATS_TEST_TMPDIR/rand.bin"
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
}

@test "help, version, and the usage line match the man page" {
	run ts-detect --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ts-detect "* ]]
	for opt in --method --only --quiet --last --period --direction --band-scale --max-anoms --alpha --piecewise --threshold --sigma --iqr --boxcox --rule --lag --weeks --drop --rise --window --history --min-delta --min-ratio --consecutive --cooldown --stream --warmup --time --value --key --delimiter --tz --epoch --jobs --verbose --skip-bad --help --version; do
		[[ "$output" == *"$opt"* ]] || { echo "missing $opt"; false; }
		grep -q -- "Fl ${opt#--}\|Fl -${opt#--}" "$BATS_TEST_DIRNAME/../../man/ts-detect.1" || { echo "man lacks $opt"; false; }
	done
	run ts-detect --version
	[[ "$output" == "ts-detect "[0-9]* ]]
}

@test "running out of memory ends with \"out of memory\" and exit 2" {
	run_out_of_memory ts-detect -k k -m mad -j 2
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^ts-detect:\ ([^$'\n']*:\ )?out\ of\ memory$ ]] || { echo "$stderr"; false; }
}

@test "writing to a full device fails with exit 2" {
	run bash -c 'printf "ds,y\n2018-01-01,1\n2018-01-02,3\n" | ts-detect -m mad > /dev/full'
	[ "$status" -eq 2 ]
	[ "$output" = "ts-detect: write error: No space left on device" ]
	run bash -c 'printf "ds,y\n2018-01-01,1\n2018-01-02,3\n" | ts-detect --stream > /dev/full'
	[ "$status" -eq 2 ]
	[ "$output" = "ts-detect: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run bash -c 'awk "BEGIN { print \"ds,y\"; for (i = 0; i < 200000; i++) printf \"%d,%d\n\", 1500000000 + 60 * i, i % 50 }" | ts-detect -m mad 2>"$0" | head -1' "$BATS_TEST_TMPDIR/err"
	[ "$output" = "ds,y,anomaly,score,expected,lower,upper,reason" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
	run bash -c 'awk "BEGIN { print \"ds,y\"; for (i = 0; i < 200000; i++) printf \"%d,%d\n\", 1500000000 + 60 * i, i % 50 }" | ts-detect --stream 2>"$0" | head -1' "$BATS_TEST_TMPDIR/err"
	[ "$output" = "ds,y,anomaly,score,expected,lower,upper,reason" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
	# --stream ends by SIGPIPE as any filter does (status 141 in a shell),
	# also when the signal was ignored and the write failed with EPIPE
	# instead (it used to exit 2 without a word).
	for ignore in '' "trap '' PIPE;"; do
		run bash -c "$ignore"' awk "BEGIN { print \"ds,y\"; for (i = 0; i < 200000; i++) printf \"%d,%d\n\", 1500000000 + 60 * i, i % 50 }" 2>/dev/null | ts-detect --stream 2>"$0" | head -1; echo "${PIPESTATUS[1]}"' "$BATS_TEST_TMPDIR/err"
		[ "${lines[0]}" = "ds,y,anomaly,score,expected,lower,upper,reason" ]
		[ "${lines[1]}" = "141" ]
		[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
	done
}

@test "labeled checks stay above their floors (tests/data/labeled)" {
	run "$DATA/labeled/run-checks"
	[ "$status" -eq 0 ]
	# data method: minimum precision and event recall.
	while IFS='|' read -r data method prec rec; do
		line=$(printf '%s\n' "$output" | awk -v d="$data" -v m="$method" '$1 == d && substr($0, 16, 22) == sprintf("%-22s", m)')
		[ -n "$line" ] || { echo "no line for $data $method"; false; }
		awk -v l="$line" -v p="$prec" -v r="$rec" 'BEGIN { n = split(l, f, " "); exit !(f[n - 2] >= p && f[n - 1] >= r) }' || { echo "below floor: $line"; false; }
	done <<'FLOORS'
synthetic|esd|0.95|0.85
synthetic|sigma -p 24,168|0.95|0.8
synthetic|stream|0.4|0.35
synthetic|stream -p 1w|0.8|0.4
wp_outliers2|esd|0.95|1
wp_outliers2|sigma|0.1|1
wp_outliers2|stream|0.05|1
FLOORS
}

@test "rule: the reason names the operands of an or that held" {
	in=$'ds,y,errors\n2018-01-01 00:00,10,0\n2018-01-01 01:00,12,3\n2018-01-01 02:00,30,0\n2018-01-01 03:00,31,5\n'
	run_stdin "$in" ts-detect --rule 'y > 25 or errors > 2' --rule 'errors > 4 && (y > 100 || y - prev < 5)' --only
	[ "$status" -eq 1 ]
	[ "$output" = $'ds,y,errors,anomaly,score,expected,lower,upper,reason
2018-01-01 01:00,12,3,1,0,10,,,rule: errors > 2
2018-01-01 02:00,30,0,1,0.25,10,,,rule: y > 25
2018-01-01 03:00,31,5,1,0.5211877741575245,10,,,rule: y > 25 or errors > 2; rule: errors > 4 and y - prev < 5' ]
}

@test "rule: a term empty on every row warns once, naming it" {
	# ratio needs the value a season (here a week) earlier: two days of hourly data have none
	in=$(cawk 'BEGIN { print "k,ds,y"; for (k = 0; k < 2; k++) for (i = 0; i < 48; i++)
		printf "%s,2018-01-%02d %02d:00:00,%d\n", k ? "b" : "a", 1 + int(i / 24), i % 24, 10 + i % 5 }')
	run_stdin "$in" ts-detect -k k -p 168 --rule 'y > 100 or ratio > 2' --rule 'ratio < 0.1'
	[ "$status" -eq 0 ]
	[ "$stderr" = 'ts-detect: warning: --rule "y > 100 or ratio > 2": "ratio" is empty on every row (it needs the value one season earlier: is the period longer than the data?): comparisons on it never hold' ]
	run_stdin "$in" ts-detect -k k -p 24 --rule 'y > 100 or ratio > 2'
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	# an empty column too; a term with a value in one series is not empty
	in2=$'ds,y,note\n2018-01-01,1,\n2018-01-02,2,\n'
	run_stdin "$in2" ts-detect --rule 'note > 0 or y > 1'
	[ "$status" -eq 1 ]
	[ "$stderr" = 'ts-detect: warning: --rule "note > 0 or y > 1": "note" is empty on every row: comparisons on it never hold' ]
}

@test "the interval columns are read where they are used: band and rules, not surprise" {
	fc=$(printf 'ds,y,yhat,yhat_lower,yhat_upper\n'; for i in $(seq 10 40); do
		lo=$((i - 5)); [ "$i" -eq 20 ] && lo=oops
		printf '2018-01-%02d,%d,%d,%s,%d\n' "$((i - 9))" "$((i % 3 + 10))" 11 "$lo" 16; done)
	run_stdin "$fc" ts-detect
	[ "$status" -le 1 ]
	[ "$stderr" = "" ]
	[[ "$output" == *"2018-01-11,12,11,oops,16,"* ]]
	run_stdin "$fc" ts-detect -m band
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:12: bad number "oops" in column yhat_lower' ]
	run_stdin "$fc" ts-detect --rule 'y > yhat_upper'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-detect: <stdin>:12: bad number "oops" in column yhat_lower' ]
}
