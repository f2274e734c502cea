#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-forecast CLI: Prophet's answers on the golden inputs, output shape, options,
# cross-validation, tuning, keys and threads, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

GOLD="$DATA/golden/prophet"

# max |yhat - map| / max|y| over all rows: column 3 of $1 (ts-forecast output)
# against column 2 of $2 (NAME.map.csv); rows in the same order.
max_rel_diff() {
	paste -d, <(cut -d, -f2,3 "$1") <(cut -d, -f2 "$2") | LC_ALL=C awk -F, '
		NR > 1 { if ($1 != "" && ($1 < 0 ? -$1 : $1) > ymax) ymax = ($1 < 0 ? -$1 : $1)
			 d = $2 - $3; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { printf "%.3g %d\n", m / ymax, n }'
}

# mean interval width of $1 over that of $2 (columns 4 and 5 in both)
width_ratio() {
	paste -d, <(cut -d, -f4,5 "$1") <(cut -d, -f4,5 "$2") | LC_ALL=C awk -F, '
		NR > 1 { a += $2 - $1; b += $4 - $3 } END { printf "%.3f\n", a / b }'
}

@test "golden hourly_counts: yhat within 1e-3 of max|y| of the exact MAP, widths within 10% of R's" {
	ts-forecast -H 24 "$GOLD/hourly_counts.in.csv" > "$BATS_TEST_TMPDIR/out.csv"
	read -r diff rows < <(max_rel_diff "$BATS_TEST_TMPDIR/out.csv" "$GOLD/hourly_counts.map.csv")
	[ "$rows" -eq 360 ]
	LC_ALL=C awk -v d="$diff" 'BEGIN { exit !(d <= 1e-3) }' || { echo "diff $diff"; false; }
	r=$(width_ratio "$BATS_TEST_TMPDIR/out.csv" "$GOLD/hourly_counts.out.csv")
	LC_ALL=C awk -v r="$r" 'BEGIN { exit !(r > 0.9 && r < 1.1) }' || { echo "ratio $r"; false; }
}

@test "golden hourly_shift_gaps: gaps stay gaps, 48 future hours" {
	ts-forecast -H 48 "$GOLD/hourly_shift_gaps.in.csv" > "$BATS_TEST_TMPDIR/out.csv"
	read -r diff rows < <(max_rel_diff "$BATS_TEST_TMPDIR/out.csv" "$GOLD/hourly_shift_gaps.map.csv")
	[ "$rows" -eq 379 ]
	LC_ALL=C awk -v d="$diff" 'BEGIN { exit !(d <= 1e-3) }' || { echo "diff $diff"; false; }
	r=$(width_ratio "$BATS_TEST_TMPDIR/out.csv" "$GOLD/hourly_shift_gaps.out.csv")
	LC_ALL=C awk -v r="$r" 'BEGIN { exit !(r > 0.9 && r < 1.1) }' || { echo "ratio $r"; false; }
}

@test "golden airpassengers: multiplicative yearly seasonality, monthly grid" {
	ts-forecast -H 24 --seasonality-mode multiplicative "$GOLD/airpassengers_mult.in.csv" > "$BATS_TEST_TMPDIR/out.csv"
	read -r diff rows < <(max_rel_diff "$BATS_TEST_TMPDIR/out.csv" "$GOLD/airpassengers_mult.map.csv")
	[ "$rows" -eq 168 ]
	LC_ALL=C awk -v d="$diff" 'BEGIN { exit !(d <= 1e-3) }' || { echo "diff $diff"; false; }
	[ "$(sed -n '146p;169p' "$BATS_TEST_TMPDIR/out.csv" | cut -d, -f1,2)" = $'1961-01-01 00:00:00,\n1962-12-01 00:00:00,' ]
	r=$(width_ratio "$BATS_TEST_TMPDIR/out.csv" "$GOLD/airpassengers_mult.out.csv")
	LC_ALL=C awk -v r="$r" 'BEGIN { exit !(r > 0.9 && r < 1.1) }' || { echo "ratio $r"; false; }
}

@test "issue pipeline: ts-fill -i 1h --fill zero | ts-forecast -H 24" {
	run --separate-stderr bash -c "sed '/ 0[3-5]:00:00,/d' '$GOLD/hourly_counts.in.csv' | ts-fill -i 1h --fill zero | ts-forecast -H 24"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 361 ]
	[ "$(printf '%s\n' "$output" | tail -1 | cut -d, -f1,2)" = "2018-05-31 23:00:00," ]
}

@test "--components: trend and Prophet's component names; yhat = trend + components" {
	run --separate-stderr ts-forecast -H 2 --components "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,daily" ]
	printf '%s\n' "$output" | LC_ALL=C awk -F, 'NR > 1 { d = $3 - $6 - $7; if (d < 0) d = -d; if (d > 1e-9) bad++ } END { exit bad }'
	run --separate-stderr ts-forecast --components --seasonality-mode multiplicative "$GOLD/airpassengers_mult.in.csv"
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,yearly" ]
	# multiplicative components are fractions of the trend
	printf '%s\n' "$output" | LC_ALL=C awk -F, 'NR > 1 { d = $3 - $6 * (1 + $7); if (d < 0) d = -d; if (d > 1e-9) bad++ } END { exit bad }'
}

@test "14 days of hourly data has no weekly seasonality (Prophet's rule); --weekly on adds it" {
	run ts-forecast --components "$GOLD/hourly_counts.in.csv"
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,daily" ]
	run ts-forecast --components --weekly on --daily 6 --add-seasonality monthly "$GOLD/hourly_counts.in.csv"
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,weekly,daily,monthly" ]
	run ts-forecast --components --daily off --add-seasonality half:0.5:2:5:additive "$GOLD/hourly_counts.in.csv"
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,half" ]
}

@test "-H as a duration, and trailing rows with an empty y are forecast in place" {
	run ts-forecast -H 1d "$GOLD/hourly_counts.in.csv"
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 361 ]
	in=$(head -337 "$GOLD/hourly_counts.in.csv"; printf '2018-05-31 00:00:00,\n2018-05-31 01:00:00,\n')
	run_stdin "$in" ts-forecast
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 339 ]
	[ "$(printf '%s\n' "$output" | tail -1 | cut -d, -f1,2)" = "2018-05-31 01:00:00," ]
	[ -n "$(printf '%s\n' "$output" | tail -1 | cut -d, -f3)" ]
	# -H counts from the last value: the two rows already there are not repeated
	run_stdin "$in" ts-forecast -H 3
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 340 ]
}

@test "output keeps input order, other columns, and TSV" {
	in=$'y\tds\tnote\n3\t2018-01-03\tc\n1\t2018-01-01\ta\n2\t2018-01-02\tb\n4\t2018-01-04\td\n'
	run_stdin "$in" ts-forecast --samples 0 -H 1
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f1-3)" = $'y\tds\tnote\n3\t2018-01-03\tc\n1\t2018-01-01\ta\n2\t2018-01-02\tb\n4\t2018-01-04\td\n\t2018-01-05\t' ]
	# --samples 0: no intervals
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -f5,6)" = $'\t' ]
	[ "$(printf '%s\n' "$output" | sed -n 6p | cut -f4)" = "5" ]
}

@test "re-running replaces the forecast columns" {
	once=$(ts-forecast -H 2 --samples 10 "$GOLD/hourly_counts.in.csv")
	twice=$(printf '%s\n' "$once" | ts-forecast -H 2 --samples 10)
	[ "$once" = "$twice" ]
}

@test "--seed: the same seed gives the same bytes, another seed other intervals" {
	a=$(ts-forecast -H 3 --seed 7 "$GOLD/hourly_counts.in.csv" | md5sum)
	b=$(ts-forecast -H 3 --seed 7 "$GOLD/hourly_counts.in.csv" | md5sum)
	c=$(ts-forecast -H 3 --seed 8 "$GOLD/hourly_counts.in.csv" | md5sum)
	[ "$a" = "$b" ]
	[ "$a" != "$c" ]
}

@test "--interval narrows the band" {
	w() { ts-forecast "$@" "$GOLD/hourly_counts.in.csv" | LC_ALL=C awk -F, 'NR > 1 { s += $5 - $4 } END { print s }'; }
	LC_ALL=C awk -v a="$(w --interval 0.5)" -v b="$(w)" 'BEGIN { exit !(a < 0.7 * b) }'
}

@test "keys: -j 4 and -j 0 are byte-identical to -j 1, groups in first-seen order, keys on future rows" {
	gen() { LC_ALL=C awk 'BEGIN { srand(3); print "host,ds,y"
		for (i = 0; i < 336; i++) for (s = 0; s < 12; s++) {
			t = 1526515200 + 3600 * i
			printf "h%d,%s,%d\n", (s * 7) % 12, strftime("%Y-%m-%d %H:%M:%S", t, 1), 100 + s + 40 * sin(i / 3.8) + 10 * rand() } }'; }
	one=$(gen | ts-forecast -k host -H 5 -j 1 | md5sum)
	four=$(gen | ts-forecast -k host -H 5 -j 4 | md5sum)
	all=$(gen | ts-forecast -k host -H 5 -j 0 | md5sum)
	[ "$one" = "$four" ]
	[ "$one" = "$all" ]
	out=$(gen | ts-forecast -k host -H 5)
	[ "$(printf '%s\n' "$out" | sed -n '2p;343p' | cut -d, -f1)" = $'h0\nh7' ]
	[ "$(printf '%s\n' "$out" | sed -n '342p' | cut -d, -f1,2,3)" = "h0,2018-05-31 04:00:00," ]
	comp1=$(gen | ts-forecast -k host --components -j 1 | md5sum)
	comp2=$(gen | ts-forecast -k host --components -j 2 | md5sum)
	[ "$comp1" = "$comp2" ]
}

@test "--components takes the union of the series' components" {
	in=$'k,ds,y\n'
	for d in 01 02 03 04 05; do for h in 00 06 12 18; do in+="a,2018-01-$d $h:00:00,$((RANDOM % 9))"$'\n'; done; done
	for d in 01 02 03 04 05; do in+="b,2018-01-$d,$((RANDOM % 9))"$'\n'; done
	run_stdin "$in" ts-forecast -k k --components
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "k,ds,y,yhat,yhat_lower,yhat_upper,trend,daily" ]
	[ "$(printf '%s\n' "$output" | tail -1 | cut -d, -f8)" = "0" ]
}

@test "logistic growth with cap and floor; -H carries the last cap forward" {
	in=$(LC_ALL=C awk 'BEGIN { print "ds,y,cap,floor"; for (i = 0; i < 60; i++) printf "%s,%.3f,120,2\n", strftime("%Y-%m-%d", 1514764800 + 86400 * i, 1), 2 + 100 / (1 + exp(-(i - 30) / 6)) }')
	run_stdin "$in" ts-forecast --growth logistic -H 100 --samples 50 --components
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,cap,floor,yhat,yhat_lower,yhat_upper,trend,weekly" ]
	# the trend saturates below the cap; added rows carry cap and floor
	printf '%s\n' "$output" | tail -1 | LC_ALL=C awk -F, '{ exit !($8 > 100 && $8 < 120 && $3 == "120" && $4 == "2") }'
}

@test "holidays file: columns per holiday and holidays, windows around the date" {
	printf 'holiday,ds,lower_window,upper_window,prior_scale\nsale,2018-05-19,0,1,5\nsale,2018-05-26,0,1,5\nmemorial,2018-05-28,-1,0,\n' > "$BATS_TEST_TMPDIR/hol.csv"
	run --separate-stderr ts-forecast --holidays "$BATS_TEST_TMPDIR/hol.csv" --components "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,yhat,yhat_lower,yhat_upper,trend,daily,sale,memorial,holidays" ]
	# 2018-05-18 has no holiday, 2018-05-20 (sale + 1) has one
	[ "$(printf '%s\n' "$output" | grep '^2018-05-18 12' | cut -d, -f10)" = "0" ]
	[ "$(printf '%s\n' "$output" | grep '^2018-05-20 12' | cut -d, -f10)" != "0" ]
	[ "$(printf '%s\n' "$output" | grep '^2018-05-27 12' | cut -d, -f9)" != "0" ]
}

@test "regressor: Prophet's standardisation, values needed on forecast rows" {
	in=$(LC_ALL=C awk 'BEGIN { print "ds,y,temp"; for (i = 0; i < 40; i++) printf "%s,%.2f,%d\n", strftime("%Y-%m-%d", 1514764800 + 86400 * i, 1), 10 + 0.5 * (i % 5) + 0.1 * i, i % 5; printf "2018-02-10,,3\n" }')
	run_stdin "$in" ts-forecast --regressor temp:5 --components
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "ds,y,temp,yhat,yhat_lower,yhat_upper,trend,weekly,extra_regressors_additive" ]
	# the regressor explains the pattern: in-sample errors are small
	printf '%s\n' "$output" | LC_ALL=C awk -F, 'NR > 1 && $2 != "" { d = $2 - $4; if (d < 0) d = -d; if (d > 0.2) bad++ } END { exit bad }'
	run_stdin "$in" ts-forecast --regressor temp -H 3
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>: regressor "temp" has no value for the 2 rows -H adds: append rows with an empty y that carry it' ]
}

@test "--exclude: rows in the ranges are left out of the fit but get yhat" {
	in=$(LC_ALL=C awk 'BEGIN { print "ds,y"; for (i = 0; i < 100; i++) printf "%s,%g\n", strftime("%Y-%m-%d", 1514764800 + 86400 * i, 1), (i >= 40 && i < 45) ? 500 : 10 + 0.1 * i }')
	run_stdin "$in" ts-forecast --exclude 2018-02-10/2018-02-15 --samples 0
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^2018-02-12' | cut -d, -f2,3)" = "500,14.2" ]
	printf 'start,end,why\n2018-02-10,2018-02-15,incident\n' > "$BATS_TEST_TMPDIR/inc.csv"
	run_stdin "$in" ts-forecast --exclude "$BATS_TEST_TMPDIR/inc.csv" --samples 0
	[ "$(printf '%s\n' "$output" | grep '^2018-02-12' | cut -d, -f2,3)" = "500,14.2" ]
	run_stdin "$in" ts-forecast --samples 0
	[ "$(printf '%s\n' "$output" | grep '^2018-02-12' | cut -d, -f3)" != "14.2" ]
}

@test "--cv prints Prophet's performance table; --cv-rows the predictions" {
	run --separate-stderr ts-forecast --cv horizon=1d "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "horizon,mse,rmse,mae,mape,mdape,smape,coverage" ]
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f1)" = "3h" ]
	[ "$(printf '%s\n' "$output" | tail -1 | cut -d, -f1)" = "1d" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 23 ]
	run --separate-stderr ts-forecast --cv-rows --cv horizon=1d,period=1d,initial=10d "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -2)" = "$(printf 'ds,y,yhat,yhat_lower,yhat_upper,cutoff\n2018-05-28 00:00:00,147,')$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f3-5),2018-05-27 23:00:00" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 73 ]
}

@test "--cv with keys prefixes the key columns" {
	in=$( (echo 'k,ds,y'; sed 1d "$GOLD/hourly_counts.in.csv" | sed 's/^/a,/'; sed 1d "$GOLD/hourly_counts.in.csv" | sed 's/^/b,/') )
	run_stdin "$in" ts-forecast -k k --cv horizon=12h,period=1d,initial=10d -j 2
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | head -1)" = "k,horizon,mse,rmse,mae,mape,mdape,smape,coverage" ]
	[ "$(printf '%s\n' "$output" | grep -c '^a,')" = "$(printf '%s\n' "$output" | grep -c '^b,')" ]
}

@test "--tune -v prints the grid and the choice, then forecasts with it" {
	run --separate-stderr ts-forecast --tune -v -H 2 --metric rmse --cv horizon=1d,period=2d,initial=10d --samples 0 "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$stderr" | grep -c ': tune changepoint_prior_scale=')" -eq 32 ]
	[[ "$(printf '%s\n' "$stderr" | grep ': chosen ')" == "ts-forecast: "*": chosen changepoint_prior_scale="*" seasonality_prior_scale="*" seasonality_mode="* ]]
	# With --cv too, the folds use the chosen settings: the same rows as
	# giving them by hand.
	chosen=$(printf '%s\n' "$stderr" | grep ': chosen ' | sed 's/.*chosen //')
	cps=$(printf '%s\n' "$chosen" | sed 's/.*changepoint_prior_scale=\([^ ]*\).*/\1/')
	sps=$(printf '%s\n' "$chosen" | sed 's/.*seasonality_prior_scale=\([^ ]*\).*/\1/')
	mode=$(printf '%s\n' "$chosen" | sed 's/.*seasonality_mode=\([^ ]*\).*/\1/')
	run --separate-stderr ts-forecast --tune --metric rmse -H 2 --samples 0 --cv horizon=1d,period=2d,initial=10d --cv-rows "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	tuned=$output
	run --separate-stderr ts-forecast --changepoint-prior-scale "$cps" --seasonality-prior-scale "$sps" --seasonality-mode "$mode" -H 2 --samples 0 --cv horizon=1d,period=2d,initial=10d --cv-rows "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 0 ]
	[ "$tuned" = "$output" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -gt 24 ]
}

@test "--help lists every option, and the man page documents each" {
	run ts-forecast --help
	[ "$status" -eq 0 ]
	for opt in --horizon --model --components --interval --samples --seed --growth --changepoints --changepoint-range --changepoint-prior-scale --seasonality-prior-scale --holidays-prior-scale --seasonality-mode --daily --weekly --yearly --add-seasonality --holidays --regressor --exclude --cv --cv-rows --rolling-window --tune --metric --time --value --key --delimiter --tz --epoch --jobs --verbose --skip-bad --help --version; do
		[[ "$output" == *"$opt"* ]] || { echo "missing $opt"; false; }
		grep -q -- "Fl ${opt#--}\|Fl -${opt#--}" "$BATS_TEST_DIRNAME/../../man/ts-forecast.1" || { echo "man lacks $opt"; false; }
	done
	run ts-forecast --version
	[[ "$output" == "ts-forecast "[0-9]* ]]
}

@test "man page examples run: ts-forecast(1) first example" {
	page="$BATS_TEST_DIRNAME/../../man/ts-forecast.1"
	block=$(awk '/^\.Bd -literal/ { n++; if (n == 1) { on = 1; next } } /^\.Ed/ { on = 0 } on' "$page" | sed 's/\\e/\\/g')
	cmd=$(printf '%s\n' "$block" | sed -n '1,/[^|]$/p' | sed 's/^\$ //' | tr -d '\n')
	expected=$(printf '%s\n' "$block" | sed '1,/[^|]$/d')
	run bash -c "cd '$DATA/golden/prophet' && $cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

# --- diagnostics: each with its message and exit status 2 ---

@test "fewer than two points" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>: fewer than two points with a value" ]
}

@test "all-missing y" {
	run_stdin $'ds,y\n2018-01-01,\n2018-01-02,NA\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>: no values to fit" ]
}

@test "one bad series never silences the others: named, passed through with empty yhat, exit 2" {
	run_stdin $'k,ds,y\nb,2018-01-01,1\na,2018-01-01,1\na,2018-01-02,2\n' ts-forecast -k k --samples 0 -H 1
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-forecast: <stdin>: k=b: cannot infer the interval from fewer than two distinct timestamps; passed through\nts-forecast: 1 of 2 series passed through' ]
	[ "$output" = $'k,ds,y,yhat,yhat_lower,yhat_upper\nb,2018-01-01,1,,,\na,2018-01-01,1,1,,\na,2018-01-02,2,2,,\na,2018-01-03,,3,,' ]
	run_stdin $'k,ds,y\na,2018-01-01,1\na,2018-01-02,2\nb,2018-01-01,1\n' ts-forecast -k k
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-forecast: <stdin>: k=b: fewer than two points with a value; passed through\nts-forecast: 1 of 2 series passed through' ]
	# --components writes every series after fitting them all; the bad one too.
	run_stdin $'k,ds,y\nb,2018-01-01,1\na,2018-01-01,1\na,2018-01-02,2\n' ts-forecast -k k --samples 0 --components
	[ "$status" -eq 2 ]
	[ "$output" = $'k,ds,y,yhat,yhat_lower,yhat_upper,trend\nb,2018-01-01,1,,,,\na,2018-01-01,1,1,,,1\na,2018-01-02,2,2,,,2' ]
	# --cv: the bad series has no rows in the table, and is named and counted.
	run_stdin $'k,ds,y\nb,2018-01-01,1\n' ts-forecast -k k --cv horizon=1d
	[ "$status" -eq 2 ]
	[ "$output" = "k,horizon,mse,rmse,mae,mape,mdape,smape,coverage" ]
	[ "$stderr" = $'ts-forecast: <stdin>: k=b: fewer than two points with a value; passed through\nts-forecast: 1 of 1 series passed through' ]
}

@test "constant y is not fitted (Prophet's rule, sigma 1e-9): the forecast is the constant" {
	run_stdin $'ds,y\n2018-01-01,0\n2018-01-02,0\n2018-01-03,0\n' ts-forecast -H 1 --samples 0
	[ "$status" -eq 0 ]
	[ "$output" = $'ds,y,yhat,yhat_lower,yhat_upper\n2018-01-01,0,0,,\n2018-01-02,0,0,,\n2018-01-03,0,0,,\n2018-01-04,,0,,' ]
	[ "$stderr" = "" ]
	run_stdin $'ds,y\n2018-01-01,5\n2018-01-02,5\n2018-01-03,5\n' ts-forecast -v
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-forecast: <stdin>: 3 points fitted, 0 rows forecast, interval 1d, seasonalities none, 1 changepoints, sigma 1e-09, log posterior 62.1497975 after 0 iterations (y is constant: not fitted, as Prophet)" ]
}

@test "cap not greater than floor" {
	run_stdin $'ds,y,cap\n2018-01-01,1,2\n2018-01-02,2,0\n' ts-forecast --growth logistic
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>:3: cap 0 is not greater than floor 0" ]
	run_stdin $'ds,y,cap,floor\n2018-01-01,1,2,3\n2018-01-02,2,5,0\n' ts-forecast --growth logistic
	[ "$stderr" = "ts-forecast: <stdin>:2: cap 2 is not greater than floor 3" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-forecast --growth logistic
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>: --growth logistic needs a "cap" column (columns: ds, y)' ]
	run_stdin $'ds,y,cap\n2018-01-01,1,\n2018-01-02,2,3\n' ts-forecast --growth logistic
	[ "$stderr" = 'ts-forecast: <stdin>:2: missing value in column "cap"' ]
}

@test "holidays file errors name the file and line" {
	f="$BATS_TEST_TMPDIR/h.csv"
	printf 'holiday,ds\nx,2018-13-01\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $f:2: bad timestamp \"2018-13-01\": month 13 out of range" ]
	printf 'name,date\nx,2018-01-01\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$stderr" = "ts-forecast: $f:1: expected columns holiday and ds" ]
	printf 'holiday,ds,lower_window\nx,2018-01-01,2\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$stderr" = "ts-forecast: $f:2: lower_window must be a whole number of days <= 0, not \"2\"" ]
	printf 'holiday,ds,upper_window\nx,2018-01-01,0.5\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$stderr" = "ts-forecast: $f:2: upper_window must be a whole number of days >= 0, not \"0.5\"" ]
	printf 'holiday,ds,prior_scale\nx,2018-01-01,1\nx,2018-01-08,2\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$stderr" = "ts-forecast: $f:3: holiday \"x\" has a prior_scale different from its earlier rows" ]
	printf 'holiday,ds\ntrend,2018-01-01\n' > "$f"
	run --separate-stderr ts-forecast --holidays "$f" < /dev/null
	[ "$stderr" = "ts-forecast: $f:2: holiday name \"trend\" is reserved" ]
	run --separate-stderr ts-forecast --holidays "$BATS_TEST_TMPDIR/none.csv" < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $BATS_TEST_TMPDIR/none.csv: No such file or directory" ]
}

@test "unknown seasonality name, and bad seasonality specs" {
	run --separate-stderr ts-forecast --add-seasonality fortnightly < /dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: unknown seasonality "fortnightly" (give NAME:DAYS:ORDER)' ]
	run --separate-stderr ts-forecast --add-seasonality x:7 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: expected NAME:DAYS:ORDER[:PRIOR[:MODE]][:condition=COND], got "x:7"' ]
	run --separate-stderr ts-forecast --add-seasonality yhat:7:3 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: name "yhat" is reserved' ]
	run --separate-stderr ts-forecast --add-seasonality x:7:3:1:sideways < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --add-seasonality: unknown mode "sideways" (expected additive or multiplicative)' ]
	run --separate-stderr ts-forecast --daily sometimes < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --daily: invalid value "sometimes" (expected auto, on, off or an order)' ]
}

@test "a horizon that is not a positive count or duration" {
	for h in 0 -3 abc 1x ""; do
		run --separate-stderr ts-forecast -H "$h" < /dev/null
		[ "$status" -eq 2 ]
		[ "${stderr%%$'\n'*}" = "ts-forecast: -H: bad horizon \"$h\" (expected a positive count or a duration such as 24 or 1d)" ] || { echo "$h: $stderr"; false; }
	done
}

@test "future rows of half-second data keep their fraction" {
	# tests/data/hostile/half-second.csv (isoformat: no fraction on whole
	# seconds): the first future row repeated the last timestamp
	run --separate-stderr ts-forecast -H 3 --model naive "$DATA/hostile/half-second.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n 4 | cut -d, -f1)" = $'2018-01-01T00:00:19.500000\n2018-01-01T00:00:20.0\n2018-01-01T00:00:20.5\n2018-01-01T00:00:21.0' ]
	# as ts-fill writes the same grid
	run --separate-stderr ts-fill -i 500ms --end 2018-01-01T00:00:21 "$DATA/hostile/half-second.csv"
	[ "$(printf '%s\n' "$output" | tail -n 3 | cut -d, -f1)" = $'2018-01-01T00:00:20.0\n2018-01-01T00:00:20.5\n2018-01-01T00:00:21.0' ]
}

@test "a horizon past the year 9999 is refused: no tool reads such a timestamp" {
	# tests/data/hostile/year-9999.csv: -H 2 wrote +10000-01-01
	run --separate-stderr ts-forecast -H 2 --model naive "$DATA/hostile/year-9999.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $DATA/hostile/year-9999.csv: -H 2 would add a row at +10000-01-02, past the years 0000-9999 timestamps can name" ]
	run --separate-stderr ts-forecast -H 1d --model naive "$DATA/hostile/year-9999.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $DATA/hostile/year-9999.csv: -H 1d would add a row at +10000-01-01, past the years 0000-9999 timestamps can name" ]
	run --separate-stderr ts-forecast -H 1 --model naive <(sed '$d' "$DATA/hostile/year-9999.csv")
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n 1 | cut -d, -f1)" = "9999-12-31" ]
}

@test "an absurd horizon is refused at once with the count it would add" {
	# -H 10000000 and -H 1000y ran for minutes and gigabytes
	run --separate-stderr ts-forecast -H 10000000 < /dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-forecast: -H: 10000000 rows is more than a series can add (at most 1000000)" ]
	run --separate-stderr ts-forecast -H 1000y "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-forecast: $GOLD/hourly_counts.in.csv: -H 1000y is more than 1000000 rows of 1h, the most a series can add" ]
	# of one series among others: that one is passed through, the others forecast
	run_stdin $'k,ds,y\na,2018-01-01,1\na,2018-01-02,2\nb,2018-01-01,1\nb,2018-01-01 00:00:01,2\n' ts-forecast -k k -H 30d --model naive
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 35 ]
	[ "${lines[34]}" = "b,2018-01-01 00:00:01,2,,," ]
	[ "$stderr" = $'ts-forecast: <stdin>: k=b: -H 30d is more than 1000000 rows of 1s, the most a series can add; passed through\nts-forecast: 1 of 2 series passed through' ]
}

@test "an unknown model is refused with the list of models" {
	run --separate-stderr ts-forecast --model arima < /dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --model: unknown model "arima" (prophet, ets, holt-winters, naive, snaive, msnaive, snaive-ar, naive2, drift, theta, mstl, mstl-ar, dhr, auto)' ]
}

@test "classical models: naive repeats the last value, snaive last year's" {
	air="$DATA/prophet/example_air_passengers.csv"
	run --separate-stderr ts-forecast --model naive -H 3 "$air"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n 3 | cut -d, -f1,2,3)" = $'1961-01-01,,432\n1961-02-01,,432\n1961-03-01,,432' ]
	run --separate-stderr ts-forecast --model snaive -H 12 "$air"
	[ "$status" -eq 0 ]
	future=$(printf '%s\n' "$output" | tail -n 12 | cut -d, -f3)
	last_year=$(tail -c 2000 "$air" | tr '\r' '\n' | tail -n 12 | cut -d, -f2)
	[ "$future" = "$last_year" ]
}

@test "msnaive: the mean of the values a day and a week ago; snaive-ar: plus the seasonal differences' AR forecast" {
	# two weeks hourly: the hour plus 10 per weekday (day 0 .. 13)
	cawk 'BEGIN { print "ds,y"; for (t = 0; t < 336; t++)
		printf "%s,%d\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * t, 1), t % 24 + 10 * (int(t / 24) % 7) }' > "$BATS_TEST_TMPDIR/week.csv"
	run --separate-stderr ts-forecast --model msnaive -H 25 "$BATS_TEST_TMPDIR/week.csv"
	[ "$status" -eq 0 ]
	# day 14: a day ago is weekday 6 (+60), a week ago weekday 0 (+0)
	[ "$(printf '%s\n' "$output" | sed -n '338,340p' | cut -d, -f1,2,3)" = $'2018-01-15 00:00:00,,30\n2018-01-15 01:00:00,,31\n2018-01-15 02:00:00,,32' ]
	# a day further each naive forecast repeats its last season: day 13 (+60) and day 8 (+10)
	[ "$(printf '%s\n' "$output" | tail -n 1 | cut -d, -f1,3)" = '2018-01-16 00:00:00,35' ]
	# the hour plus the day: every lag-24 difference is 1, an AR of order 0 with mean 1
	cawk 'BEGIN { print "ds,y"; for (t = 0; t < 72; t++)
		printf "%s,%d\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * t, 1), t % 24 + int(t / 24) }' > "$BATS_TEST_TMPDIR/days.csv"
	run --separate-stderr ts-forecast --model snaive-ar -H 2 "$BATS_TEST_TMPDIR/days.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n 2)" = $'2018-01-04 00:00:00,,3,3,3\n2018-01-04 01:00:00,,4,4,4' ]
}

@test "dhr: Fourier terms of the day and the week continue both" {
	# three weeks hourly: a daily and a weekly sine
	cawk 'BEGIN { pi = atan2(0, -1); print "ds,y"; for (t = 0; t < 504; t++)
		printf "%s,%.10f\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * t, 1), 100 + 10 * sin(2 * pi * t / 24) + 6 * sin(2 * pi * t / 168) }' > "$BATS_TEST_TMPDIR/dw.csv"
	run --separate-stderr ts-forecast -v --model dhr -H 24 "$BATS_TEST_TMPDIR/dw.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-forecast: $BATS_TEST_TMPDIR/dw.csv: 504 rows, 24 rows forecast, interval 1h, model dhr" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 529 ]
	printf '%s\n' "$output" | tail -n 24 | LC_ALL=C awk -F, 'BEGIN { pi = atan2(0, -1) }
		{ t = 503 + NR; want = 100 + 10 * sin(2 * pi * t / 24) + 6 * sin(2 * pi * t / 168)
		  if ($2 != "" || ($3 - want) ^ 2 > 1e-6 || !($4 <= $3 && $3 <= $5)) { print NR ": " $0 " want " want; bad = 1 } }
		END { exit bad }'
}

@test "rows to forecast given in the input: classical models take the season from the interval" {
	# two and a half days hourly, then three rows with an empty y and no -H
	cawk 'BEGIN { print "ds,y"; for (d = 0; d < 63; d++)
		printf "%s,%s\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * d, 1), d < 60 ? (d % 24) * 3 + int(d / 24) : "" }' > "$BATS_TEST_TMPDIR/fut.csv"
	for model in snaive msnaive snaive-ar naive2 ets theta mstl mstl-ar dhr; do
		run --separate-stderr ts-forecast --model "$model" "$BATS_TEST_TMPDIR/fut.csv"
		[ "$status" -eq 0 ] || { echo "$model: $stderr"; false; }
		[ "$(printf '%s\n' "$output" | wc -l)" -eq 64 ]
	done
	run --separate-stderr ts-forecast --model snaive "$BATS_TEST_TMPDIR/fut.csv"
	# the same hour a day earlier (day 2: 3 h + 1)
	[ "$(printf '%s\n' "$output" | tail -n 3 | cut -d, -f1,2,3)" = $'2018-01-03 12:00:00,,37\n2018-01-03 13:00:00,,40\n2018-01-03 14:00:00,,43' ]
}

@test "every model writes yhat inside its interval, history and future" {
	for m in ets holt-winters naive snaive msnaive snaive-ar naive2 drift theta mstl mstl-ar dhr auto prophet; do
		run --separate-stderr ts-forecast --model "$m" -H 6 "$DATA/prophet/example_air_passengers.csv"
		[ "$status" -eq 0 ] || { echo "$m: $stderr"; false; }
		[ "$(printf '%s\n' "$output" | head -n 1)" = "ds,y,yhat,yhat_lower,yhat_upper" ]
		[ "$(printf '%s\n' "$output" | wc -l)" -eq 151 ]
		printf '%s\n' "$output" | LC_ALL=C awk -F, -v m="$m" 'NR > 1 && $3 != "" {
			if (!($4 <= $3 && $3 <= $5)) { print m ": row " NR ": " $0; bad = 1 } }
			NR > 145 && $3 == "" { print m ": no forecast on row " NR; bad = 1 }
			END { exit bad }'
	done
}

@test "auto chooses per series by cross-validation, identically with -j" {
	in="$DATA/demo/errors.csv"
	one=$(ts-fill -k service -i 1h --fill zero "$in" | ts-forecast -k service --model auto -H 24 -j 1)
	two=$(ts-fill -k service -i 1h --fill zero "$in" | ts-forecast -k service --model auto -H 24 -j 2)
	[ "$one" = "$two" ]
	[ "$(printf '%s\n' "$one" | wc -l)" -eq 529 ]
	# -v names the models each series got (the best alone, or the mean of the
	# best few, joined by +) and their cross-validated score: M4's OWA by
	# default, the metric when one is given
	c='(snaive|msnaive|snaive-ar|theta|mstl-ar|dhr|prophet)'
	run --separate-stderr bash -c "ts-fill -k service -i 1h --fill zero '$in' | ts-forecast -v -k service --model auto -H 24"
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	for l in "${stderr_lines[@]}"; do
		[[ "$l" =~ ^ts-forecast:\ series\ \"api\":\ 504\ rows,\ 24\ rows\ forecast,\ interval\ 1h,\ model\ auto\ chose\ $c(\+$c){0,2}\ \(cross-validated\ owa\ [0-9.]+\)$ ]] || { echo "$l"; false; }
	done
	run --separate-stderr bash -c "ts-fill -k service -i 1h --fill zero '$in' | ts-forecast -v -k service --model auto --metric smape -H 24"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ \ \(cross-validated\ smape\ [0-9.]+\)$ ]]
	run --separate-stderr ts-forecast -v --model ets -H 3 "$DATA/prophet/example_air_passengers.csv"
	[ "$stderr" = "ts-forecast: $DATA/prophet/example_air_passengers.csv: 144 rows, 3 rows forecast, interval 1mo, model ets" ]
}

@test "bad option values" {
	run --separate-stderr ts-forecast --growth exponential < /dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --growth: invalid value "exponential" (expected linear, flat or logistic)' ]
	run --separate-stderr ts-forecast --interval 1.5 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --interval: invalid value "1.5" (expected a width in (0, 1))' ]
	run --separate-stderr ts-forecast --changepoint-prior-scale 0 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --changepoint-prior-scale: invalid value "0" (expected a number > 0)' ]
	run --separate-stderr ts-forecast --seasonality-mode both < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --seasonality-mode: invalid value "both" (expected additive or multiplicative)' ]
	run --separate-stderr ts-forecast --metric r2 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --metric: unknown metric "r2" (expected mse, rmse, mae, mape, mdape, smape, coverage or mase)' ]
	run --separate-stderr ts-forecast --cv size=3 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --cv: unknown key "size" (expected initial, period or horizon)' ]
	run --separate-stderr ts-forecast --cv horizon=1mo < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --cv: horizon: "1mo": give a fixed duration (days, not months)' ]
	run --separate-stderr ts-forecast --exclude 2018-01-02/2018-01-01 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --exclude: range 2018-01-02/2018-01-01 ends before it starts' ]
	run --separate-stderr ts-forecast --samples -1 < /dev/null
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --samples: invalid value "-1" (expected 0..1000000)' ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-forecast --regressor temp
	[ "$stderr" = 'ts-forecast: <stdin>: --regressor: no column "temp" (columns: ds, y)' ]
	run --separate-stderr ts-forecast --bogus < /dev/null
	[ "$status" -eq 2 ]
}

@test "--cv needs a horizon, and enough data" {
	run --separate-stderr ts-forecast --cv period=1d "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $GOLD/hourly_counts.in.csv: --cv: give horizon=DUR (or -H)" ]
	run --separate-stderr ts-forecast --cv horizon=30d "$GOLD/hourly_counts.in.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $GOLD/hourly_counts.in.csv: less data than horizon" ]
}

@test "bad numbers and timestamps name the line" {
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,x\n' ts-forecast
	[ "$status" -eq 2 ]
	[[ "$stderr" == "ts-forecast: <stdin>:3: "* ]]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,inf\n2018-01-03,2\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>:3: infinite value "inf" in column y' ]
	run_stdin $'ds,y,r\n2018-01-01,1,1\n2018-01-02,2,-1e999\n2018-01-03,2,3\n' ts-forecast --regressor r
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>:3: infinite value "-1e999" in column r' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,-Inf\n2018-01-03,2\n2018-01-04,3\n' ts-forecast --model naive --skip-bad
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1,2)" = $'ds,y\n2018-01-01,1\n2018-01-03,2\n2018-01-04,3' ]
	[ "$stderr" = $'ts-forecast: warning: <stdin>:3: infinite value "-Inf" in column y\nts-forecast: warning: skipped 1 bad row' ]
}

@test "an empty or binary --holidays or --exclude file is refused by name, nothing leaked" {
	# both readers leaked the table they had read (LeakSanitizer in make san)
	H="$DATA/hostile"
	for o in --holidays --exclude; do
		run --separate-stderr ts-forecast "$o" "$H/empty.csv" "$H/label-1e60.csv"
		[ "$status" -eq 2 ]
		[ "$stderr" = "ts-forecast: $H/empty.csv: no input: did the previous command fail?" ]
		run --separate-stderr ts-forecast "$o" "$H/binary.dat" "$H/label-1e60.csv"
		[ "$status" -eq 2 ]
		[ "$stderr" = "ts-forecast: $H/binary.dat:1: NUL byte in input" ]
	done
}

@test "--exclude in --tz: a time the clocks skip is refused" {
	run --separate-stderr ts-forecast --tz Europe/Berlin --exclude "2018-03-25 02:30/2018-03-25 05:00" "$DATA/hostile/dst-fall-berlin.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-forecast: --exclude: bad timestamp "2018-03-25 02:30": not a time in Europe/Berlin (the clocks jump from 02:00 to 03:00)' ]
}

@test "empty input, header only, one value column missing" {
	run --separate-stderr ts-forecast < /dev/null
	[ "$status" -eq 2 ]
	run_stdin $'ds,y\n' ts-forecast
	[ "$status" -eq 0 ]
	[ "$output" = "ds,y,yhat,yhat_lower,yhat_upper" ]
	[ "$stderr" = "ts-forecast: warning: <stdin>: no data rows" ]
}

@test "failures are failures: empty input says so; a failing series writes no header first" {
	run --separate-stderr ts-forecast < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>: no input: did the previous command fail?" ]
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run --separate-stderr ts-forecast "$BATS_TEST_TMPDIR/empty.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?" ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,x\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-forecast: <stdin>: fewer than two points with a value" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-forecast --cv horizon=1d
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
}

@test "column errors are data errors: the columns there are, no usage text" {
	run_stdin $'ds,host\n2018-01-01,a\n' ts-forecast
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-forecast: <stdin>: no value column: give -y (columns: ds, host)" ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-forecast --regressor ds
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-forecast: <stdin>: --regressor: "ds" is the time or value column' ]
}

@test "running out of memory ends with \"out of memory\" and exit 2" {
	run_out_of_memory ts-forecast -k k --model naive
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^ts-forecast:\ ([^$'\n']*:\ )?out\ of\ memory$ ]] || { echo "$stderr"; false; }
}

@test "write error on a full disk" {
	run bash -c "ts-forecast -H 2 '$GOLD/hourly_counts.in.csv' > /dev/full"
	[ "$status" -eq 2 ]
	[ "$output" = "ts-forecast: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run bash -c 'ts-forecast -k k -H 24 2>"$0" <(awk "BEGIN { print \"k,ds,y\"; for (s = 0; s < 50; s++) for (i = 0; i < 200; i++) printf \"%d,%d,%d\n\", s, 1500000000 + 3600 * i, (i * 7 + s) % 13 }") | head -1' "$BATS_TEST_TMPDIR/err"
	[ "$output" = "k,ds,y,yhat,yhat_lower,yhat_upper" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
}
