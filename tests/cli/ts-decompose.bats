#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-decompose CLI: R's stl()/mstl()/BoxCox.lambda golden outputs, periods,
# gaps, methods, keys and -j, the man page examples, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

GOLD="$DATA/golden/stl"
BC="$DATA/golden/boxcox"
MAN="$BATS_TEST_DIRNAME/../../man/ts-decompose.1"

# near GOLDEN OUT "GCOL=OCOL ..." TOL: every listed column of OUT within TOL
# of GOLDEN's, row by row (same row count, no empty field); prints the
# largest difference per column.
near() {
	LC_ALL=C awk -F, -v pairs="$3" -v tol="$4" '
		NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) g[$i] = i; next }
			    for (i = 1; i <= NF; i++) G[FNR, i] = $i; ng = FNR; next }
		FNR == 1 { for (i = 1; i <= NF; i++) o[$i] = i; np = split(pairs, p, " ")
			   for (k = 1; k <= np; k++) { split(p[k], ab, "="); gc[k] = g[ab[1]]; oc[k] = o[ab[2]]
				if (!gc[k] || !oc[k]) { print "no column " p[k]; bad = 1 } }
			   next }
		{ no = FNR
		  for (k = 1; k <= np; k++) {
			a = G[FNR, gc[k]]; b = $(oc[k])
			if (a == "" || b == "") { print "empty field row " FNR " " p[k]; bad = 1; continue }
			d = a - b; if (d < 0) d = -d; if (d > m[k]) m[k] = d } }
		END { if (no != ng) { print "rows " no " vs " ng; bad = 1 }
		      for (k = 1; k <= np; k++) { printf "%s %.3g\n", p[k], m[k]; if (m[k] > tol) bad = 1 }
		      exit bad }' "$1" "$2"
}

# --- R's stats::stl and forecast::mstl (tests/data/golden/stl, PARAMS.txt) ---

@test "golden stl: co2, s.window periodic" {
	run --separate-stderr ts-decompose --seasonal-window periodic "$GOLD/co2_periodic.csv"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/co2_periodic.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
}

@test "golden stl: co2, s.window 7" {
	ts-decompose --seasonal-window 7 "$GOLD/co2_s7.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/co2_s7.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
}

@test "golden stl: co2, s.window 7, robust, with the weights" {
	ts-decompose --seasonal-window 7 --robust "$GOLD/co2_s7_robust.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/co2_s7_robust.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
	cut -d, -f6 "$BATS_TEST_TMPDIR/out.csv" | sed 1s/weight/weights/ > "$BATS_TEST_TMPDIR/w.csv"
	near "$GOLD/co2_s7_robust_weights.csv" "$BATS_TEST_TMPDIR/w.csv" "weights=weights" 1e-8
}

@test "golden stl: nottem, s.window periodic" {
	ts-decompose --seasonal-window periodic "$GOLD/nottem_periodic.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/nottem_periodic.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
}

@test "golden stl: log AirPassengers, s.window 13, robust, with the weights" {
	ts-decompose --seasonal-window 13 --robust "$GOLD/logairpass_s13_robust.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/logairpass_s13_robust.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
	cut -d, -f6 "$BATS_TEST_TMPDIR/out.csv" | sed 1s/weight/weights/ > "$BATS_TEST_TMPDIR/w.csv"
	near "$GOLD/logairpass_s13_robust_weights.csv" "$BATS_TEST_TMPDIR/w.csv" "weights=weights" 1e-8
}

@test "golden stl: nottem, s.window 11, t.window 31, l.window 13" {
	ts-decompose --seasonal-window 11 --trend-window 31 --lowpass-window 13 "$GOLD/nottem_s11_t31_l13.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/nottem_s11_t31_l13.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
}

@test "golden mstl: half-hourly, periods 48 and 336 inferred from the interval" {
	run --separate-stderr ts-decompose -v "$GOLD/mstl_halfhourly_48_336.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-decompose: $GOLD/mstl_halfhourly_48_336.csv: 1680 points, 0 missing, interval 30m, periods 48,336 (from the interval)" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
	[ "$(head -1 "$BATS_TEST_TMPDIR/out.csv")" = "ds,y,trend,seasonal_48,seasonal_336,remainder" ]
	near "$GOLD/mstl_halfhourly_48_336.csv" "$BATS_TEST_TMPDIR/out.csv" \
		"trend=trend seasonal_48=seasonal_48 seasonal_336=seasonal_336 remainder=remainder" 1e-6
	# the same with the periods given, as counts and as durations
	ts-decompose -p 336,48 "$GOLD/mstl_halfhourly_48_336.csv" | cmp - "$BATS_TEST_TMPDIR/out.csv"
	ts-decompose -p 1d,1w "$GOLD/mstl_halfhourly_48_336.csv" | cmp - "$BATS_TEST_TMPDIR/out.csv"
}

@test "golden mstl: AirPassengers robust (one period: stl with s.window 11)" {
	awk -F, 'NR == 1 { print "ds," $0; next } { printf "%d-%02d-01,%s\n", 1949 + int((NR - 2) / 12), (NR - 2) % 12 + 1, $0 }' \
		"$GOLD/mstl_airpass_robust.csv" > "$BATS_TEST_TMPDIR/in.csv"
	ts-decompose --robust "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$BATS_TEST_TMPDIR/in.csv" "$BATS_TEST_TMPDIR/out.csv" "trend=trend seasonal_12=seasonal remainder=remainder" 1e-8
}

@test "golden mstl: a non-seasonal series (-p none) gets supsmu's trend" {
	for f in mstl_nonseasonal_300 supsmu_15; do
		awk -F, 'NR == 1 { print "t," $0; next } { print (NR - 1) * 86400 "," $0 }' "$GOLD/$f.csv" > "$BATS_TEST_TMPDIR/in.csv"
		run --separate-stderr ts-decompose -p none "$BATS_TEST_TMPDIR/in.csv"
		[ "$status" -eq 0 ]
		[ "${output%%$'\n'*}" = "t,y,trend,remainder" ] || [ "${output%%$'\n'*}" = "t,y,trend" ]
		printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
		near "$BATS_TEST_TMPDIR/in.csv" "$BATS_TEST_TMPDIR/out.csv" "trend=trend" 1e-8
	done
}

@test "golden strength: --summary gives R's seasonal and trend strength" {
	run --separate-stderr ts-decompose --seasonal-window 7 --summary "$GOLD/co2_s7.csv"
	[ "$status" -eq 0 ]
	[ "${output%%$'\n'*}" = "period,seasonal_strength,trend_strength,remainder_sigma,n,missing" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/strength.csv" "$BATS_TEST_TMPDIR/out.csv" \
		"seasonal_strength=seasonal_strength trend_strength=trend_strength" 1e-8
	[[ "$output" == *",468,0" ]]
}

# --- Box-Cox against R's forecast::BoxCox.lambda (tests/data/golden/boxcox) ---

@test "golden Box-Cox: lambda = BoxCox.lambda(x, lower = -0.9) on R's datasets" {
	while IFS=, read -r name freq lower want; do
		[ "$lower" = "-0.9" ] || continue
		case $name in
		halfhourly) in=$GOLD/mstl_halfhourly_48_336.csv; args= ;;
		Nile) in=$BC/Nile.csv; args="-p none" ;;
		*) in=$BC/$name.csv; args= ;;
		esac
		run --separate-stderr ts-decompose -v --boxcox auto $args "$in"
		[ "$status" -eq 0 ] || { echo "$name: $stderr"; false; }
		got=${stderr##*Box-Cox lambda }
		cawk -v a="$got" -v b="$want" -v n="$name" 'BEGIN { d = a - b; if (d < 0) d = -d
			printf "%s %s %s %.3g\n", n, a, b, d; exit !(d <= 1e-6) }'
	done < "$BC/lambda.csv"
}

@test "golden Box-Cox: mstl(AirPassengers, lambda = \"auto\") components" {
	run --separate-stderr ts-decompose --boxcox auto -v "$BC/AirPassengers.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-decompose: $BC/AirPassengers.csv: 144 points, 0 missing, interval 1mo, period 12 (from the interval), Box-Cox lambda -0.2947046143501335" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.csv"
	near "$BC/airpass_mstl_auto.csv" "$BATS_TEST_TMPDIR/out.csv" "trend=trend seasonal=seasonal remainder=remainder" 1e-8
}

@test "--boxcox 0 with robust STL is stl(log(x), robust = TRUE)" {
	ts-decompose --boxcox 0 --seasonal-window 13 --robust "$BC/AirPassengers.csv" > "$BATS_TEST_TMPDIR/out.csv"
	near "$GOLD/logairpass_s13_robust.csv" "$BATS_TEST_TMPDIR/out.csv" "seasonal=seasonal trend=trend remainder=remainder" 1e-8
	[ "$(head -1 "$BATS_TEST_TMPDIR/out.csv")" = "date,passengers_thousands,trend,seasonal,remainder,weight" ]
}

@test "--summary with --boxcox adds lambda; a --boxcox value is used as given" {
	run --separate-stderr ts-decompose --boxcox 0.5 --summary "$BC/USAccDeaths.csv"
	[ "$status" -eq 0 ]
	[ "${output%%$'\n'*}" = "period,seasonal_strength,trend_strength,remainder_sigma,n,missing,lambda" ]
	[[ "${output##*$'\n'}" == 12,*,72,0,0.5 ]]
}

# --- behaviour ---

@test "output keeps every input column and row; a second run is idempotent" {
	ts-decompose "$BC/nottem.csv" > "$BATS_TEST_TMPDIR/once.csv"
	ts-decompose "$BATS_TEST_TMPDIR/once.csv" > "$BATS_TEST_TMPDIR/twice.csv"
	cmp "$BATS_TEST_TMPDIR/once.csv" "$BATS_TEST_TMPDIR/twice.csv"
	[ "$(head -1 "$BATS_TEST_TMPDIR/once.csv")" = "date,temp_F,trend,seasonal,remainder" ]
	[ "$(cut -d, -f1,2 "$BATS_TEST_TMPDIR/once.csv")" = "$(cat "$BC/nottem.csv")" ]
}

@test "missing values are interpolated: their remainder is empty, ts-fill's filled column kept" {
	awk -F, 'NR == 1 || NR % 10 != 5 || NR == 145' "$BC/AirPassengers.csv" | ts-fill -i 1mo --mark > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose -v --robust "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/in.csv: 144 points, 14 missing, interval 1mo, period 12 (from the interval)" ]
	[ "${output%%$'\n'*}" = "date,passengers_thousands,filled,trend,seasonal,remainder,weight" ]
	# filled rows: y empty, filled 1, trend and seasonal present, remainder and weight empty
	printf '%s\n' "$output" | cawk -F, 'NR > 1 && $3 == 1 { n++; if ($2 != "" || $4 == "" || $5 == "" || $6 != "" || $7 != "") bad = 1 }
		NR > 1 && $3 == 0 { if ($6 == "" || $7 == "") bad = 1 }
		END { exit bad || n != 14 }'
}

@test "TSV in, TSV out" {
	tr , '\t' < "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.tsv"
	run --separate-stderr ts-decompose "$BATS_TEST_TMPDIR/in.tsv"
	[ "$status" -eq 0 ]
	[ "${output%%$'\n'*}" = $'date\tdeaths\ttrend\tseasonal\tremainder' ]
	[ "$(printf '%s\n' "$output" | tr '\t' , )" = "$(ts-decompose "$BC/USAccDeaths.csv")" ]
}

@test "keys: series in first-seen order, -j 4 and -j 0 byte-identical to -j 1" {
	cawk 'BEGIN { srand(3); print "host,ds,y"
		for (i = 0; i < 24 * 15; i++) for (s = 0; s < 5; s++)
			printf "h%d,%s,%.2f\n", (s * 3) % 5, strftime("%Y-%m-%dT%H:%M:%SZ", 1514764800 + 3600 * i, 1),
				50 + s + 10 * sin(6.2832 * i / 24) + rand() }' > "$BATS_TEST_TMPDIR/in.csv"
	one=$(ts-decompose -k host -j 1 --robust "$BATS_TEST_TMPDIR/in.csv" | md5sum)
	four=$(ts-decompose -k host -j 4 --robust "$BATS_TEST_TMPDIR/in.csv" | md5sum)
	all=$(ts-decompose -k host -j 0 --robust "$BATS_TEST_TMPDIR/in.csv" | md5sum)
	[ "$one" = "$four" ] && [ "$one" = "$all" ]
	run --separate-stderr ts-decompose -k host --summary -j 3 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1,2,6,7)" = $'host,period,n,missing\nh0,24 168,360,0\nh3,24 168,360,0\nh1,24 168,360,0\nh4,24 168,360,0\nh2,24 168,360,0' ]
}

@test "one long series: its smooths and rows shared among -j threads, byte-identical to -j 1" {
	# 150,000 points: past the sizes from which the trend, low-pass and
	# seasonal smooths share their work, and many pieces of 8192 rows
	cawk 'BEGIN { srand(5); print "ds,y"
		for (i = 0; i < 150000; i++) {
			y = 100 + 0.001 * i + 10 * sin(6.2832 * i / 24) + rand() + (i % 997 == 0 ? 30 : 0)
			printf "%d,%.4f\n", 946684800 + 3600 * i, y
		} }' > "$BATS_TEST_TMPDIR/long.csv"
	for opts in "-p 24 --seasonal-window periodic --robust" "-p 24" "-p 24,168"; do
		# shellcheck disable=SC2086
		one=$(ts-decompose -j 1 $opts "$BATS_TEST_TMPDIR/long.csv" | md5sum)
		# shellcheck disable=SC2086
		three=$(ts-decompose -j 3 $opts "$BATS_TEST_TMPDIR/long.csv" | md5sum)
		[ "$one" = "$three" ]
	done
	[ "$(ts-decompose -j 2 -p 24 "$BATS_TEST_TMPDIR/long.csv" | wc -l)" -eq 150001 ]
}

@test "-p auto finds the period in the data and says so with -v" {
	run --separate-stderr ts-decompose -p auto -v "$BC/nottem.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-decompose: $BC/nottem.csv: 240 points, 0 missing, interval 1mo, period 12 (found in the data, autocorrelation 0.884)" ]
	[ "$output" = "$(ts-decompose -p 12 "$BC/nottem.csv")" ]
	# 7-minute data (no table entry) with a 2-hour cycle
	cawk 'BEGIN { print "ds,y"; for (i = 0; i < 400; i++) printf "%d,%.3f\n", 1500000000 + 420 * i, sin(6.2832 * i * 7 / 120) + (i % 3) / 10 }' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose -p auto -v "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *", interval 7m, period 120 (found in the data, autocorrelation "* ]] || [[ "$stderr" == *", interval 7m, period 17 (found in the data, autocorrelation "* ]]
}

@test "-p auto on noise decomposes without a seasonal" {
	cawk 'BEGIN { srand(1); print "ds,y"; for (i = 0; i < 300; i++) printf "%d,%.4f\n", 1500000000 + 60 * i, rand() }' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose -p auto -v "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "${output%%$'\n'*}" = "ds,y,trend,remainder" ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/in.csv: 300 points, 0 missing, interval 1m, no period (found in the data)" ]
}

@test "--method median: moving-median trend, periodic robust seasonal, outliers left in the remainder" {
	cawk 'BEGIN { print "ds,y"; for (i = 0; i < 24 * 10; i++)
		printf "%s,%.3f\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * i, 1), 100 + 20 * sin(6.2832 * i / 24) + (i == 100) * 500 }' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose --method median -p 1d --trend-window 1d "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "${output%%$'\n'*}" = "ds,y,trend,seasonal,remainder" ]
	# row 100 (line 102): remainder about 500; the trend stays near 100 everywhere
	printf '%s\n' "$output" | cawk -F, 'NR > 1 { if ($3 < 98 || $3 > 102) bad = 1 } NR == 102 { if ($5 < 490) bad = 1 }
		NR > 2 && NR < 240 && NR != 102 { r = $5 < 0 ? -$5 : $5; if (r > 2) bad = 1 } END { exit bad }'
}

@test "a dropped period is noted and its column left empty" {
	head -301 "$GOLD/mstl_halfhourly_48_336.csv" | cut -d, -f1,2 > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose -p 48,336 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-decompose: warning: $BATS_TEST_TMPDIR/in.csv: period 336 dropped: 300 points are fewer than two full periods" ]
	[ "${output%%$'\n'*}" = "ds,y,trend,seasonal_48,seasonal_336,remainder" ]
	printf '%s\n' "$output" | cawk -F, 'NR > 1 && ($4 == "" || $5 != "" || $6 == "") { exit 1 }'
}

@test "--skip-bad passes a bad unkeyed series through too, and takes bad values as missing" {
	in=$'k,ds,y\na,2018-01-01 00:00,1\na,2018-01-01 01:00,2\nb,2018-01-01 00:00,3\nb,2018-01-01 01:00,3\n'
	run_stdin "$in" ts-decompose -k k -p 24 --skip-bad
	[ "$status" -eq 2 ]
	[ "$output" = $'k,ds,y,trend,seasonal,remainder\na,2018-01-01 00:00,1,,,\na,2018-01-01 01:00,2,,,\nb,2018-01-01 00:00,3,,,\nb,2018-01-01 01:00,3,,,' ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=a: too short for period 24: 2 points, need at least 49; passed through\nts-decompose: <stdin>: k=b: constant series (every value is 3); passed through\nts-decompose: 2 of 2 series passed through' ]
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2\n' ts-decompose -p 24 --skip-bad
	[ "$status" -eq 2 ]
	[ "$output" = $'ds,y,trend,seasonal,remainder\n2018-01-01 00:00,1,,,\n2018-01-01 01:00,2,,,' ]
	[ "$stderr" = $'ts-decompose: <stdin>: too short for period 24: 2 points, need at least 49; passed through\nts-decompose: 1 of 1 series passed through' ]
	sed '5s/,[0-9]*$/,oops/' "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose -y deaths --skip-bad "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = $'ts-decompose: warning: '"$BATS_TEST_TMPDIR"$'/in.csv:5: bad number "oops" in column deaths\nts-decompose: warning: skipped 1 bad row' ]
	[[ "$(printf '%s\n' "$output" | sed -n 5p)" =~ ^1973-04-01,oops,[0-9.]+,-?[0-9.]+,$ ]]
}

@test "help, version, and every option in the usage and the man page" {
	run ts-decompose --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ts-decompose "* ]]
	for opt in --period --method --summary --seasonal-window --trend-window --lowpass-window \
		--seasonal-degree --trend-degree --lowpass-degree --seasonal-jump --trend-jump --lowpass-jump \
		--inner --outer --robust --iterate --boxcox --time --value --key --delimiter --tz --epoch \
		--jobs --verbose --skip-bad --help --version; do
		[[ "$output" == *"$opt"* ]] || { echo "help lacks $opt"; false; }
		grep -q -- "Fl ${opt#--}\|Fl -${opt#--}" "$MAN" || { echo "man lacks $opt"; false; }
	done
	# R's argument names beside ours
	for r in s.window t.window l.window s.degree t.degree l.degree s.jump t.jump l.jump inner outer robust iterate lambda; do
		grep -q -- "$r" "$MAN" || { echo "man lacks $r"; false; }
	done
	run ts-decompose --version
	[ "$status" -eq 0 ]
	[[ "$output" == "ts-decompose "[0-9]* ]]
}

@test "man page examples run" {
	cd "$BATS_TEST_TMPDIR"
	# files the examples name: hourly cpu over three weeks with a gap, monthly
	# sales (AirPassengers), and a long-format metrics stream
	cawk 'BEGIN { print "ds,y"; for (i = 0; i < 24 * 21; i++) if (i != 50)
		printf "%s,%.2f\n", strftime("%Y-%m-%d %H:00:00", 1514764800 + 3600 * i, 1), 40 + 20 * sin(6.2832 * i / 24) + (i % 7) }' > cpu.csv
	cp "$BC/AirPassengers.csv" sales.csv
	awk -F, 'NR == 1 { print "series," $0; next } { print "m" (NR % 3) "," $0 }' cpu.csv > metrics.csv
	page=$(sed 's/\\e/\\/g' "$MAN")
	blocks=$(printf '%s\n' "$page" | awk '/^\.Bd -literal/ { n++ } END { print n }')
	[ "$blocks" -ge 6 ]
	for b in $(seq 1 "$blocks"); do
		block=$(printf '%s\n' "$page" | awk -v b="$b" '/^\.Bd -literal/ { n++; if (n == b) { on = 1; next } } /^\.Ed/ { on = 0 } on')
		# the command: its first line and the indented lines that continue it
		cmd=$(printf '%s\n' "$block" | awk 'NR == 1 { sub(/^\$ /, ""); print; next } /^    / && !done { print; next } { done = 1 }')
		expected=$(printf '%s\n' "$block" | awk 'NR == 1 { next } /^    / && !done { next } { done = 1; print }')
		run --separate-stderr bash -c "$cmd"
		[ "$status" -eq 0 ] || { echo "example $b: $cmd: $stderr"; false; }
		if [ -n "$expected" ]; then
			[ "$output" = "$expected" ] || { echo "example $b: $output"; false; }
		fi
	done
	[ -s cpu-stl.csv ]
	[ "$(head -1 cpu-stl.csv)" = "ds,y,filled,trend,seasonal_24,seasonal_168,remainder" ]
}

@test "README example runs as documented" {
	readme="$BATS_TEST_DIRNAME/../../README.md"
	block=$(awk '/^<!-- example:decompose -->/ { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$readme")
	[ -n "$block" ] || skip "README has no decompose example yet"
	cmd=$(printf '%s\n' "$block" | sed -n 's/^\$ //p')
	expected=$(printf '%s\n' "$block" | sed '/^\$ /d')
	[ -n "$cmd" ] && [ -n "$expected" ]
	run bash -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

# --- diagnostics: each with its message and exit status 2 ---

@test "unknown option and missing argument" {
	run --separate-stderr ts-decompose --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-decompose: unrecognized option '--bogus'" ]
	[[ "$stderr" == *"usage: ts-decompose"* ]]
	run --separate-stderr ts-decompose -p
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-decompose: option requires an argument -- 'p'" ]
}

@test "bad -p values" {
	for p in x 1 0 24,,168 ,24 24, 1x; do
		run --separate-stderr ts-decompose -p "$p"
		[ "$status" -eq 2 ]
		bad=$p
		case $p in 24,,168|,24|24,) bad= ;; esac
		[ "${stderr%%$'\n'*}" = "ts-decompose: -p: bad period \"$bad\" (expected a count of at least 2, a duration, auto or none)" ] || { echo "$p: $stderr"; false; }
	done
	# more periods than it takes: the count is the trouble, not the ninth item
	run --separate-stderr ts-decompose -p 2,3,4,5,6,7,8,9,10,11,12,13
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-decompose: -p: at most 8 periods" ]
	run --separate-stderr ts-decompose --seasonal-window 7,7,7,7,7,7,7,7,7
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-decompose: --seasonal-window: at most 8 windows" ]
}

@test "bad window values" {
	run --separate-stderr ts-decompose --seasonal-window 4
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --seasonal-window: invalid value "4" (expected an odd number >= 3 or periodic)' ]
	run --separate-stderr ts-decompose --seasonal-window 7,1d
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --seasonal-window: invalid value "1d" (expected an odd number >= 3 or periodic)' ]
	run --separate-stderr ts-decompose -p 24,168 --seasonal-window 7,9,11
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --seasonal-window: 3 windows for 2 periods' ]
	run --separate-stderr ts-decompose --trend-window 4
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --trend-window: invalid value "4" (expected an odd number >= 3 or a duration)' ]
	run --separate-stderr ts-decompose --lowpass-window 1
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --lowpass-window: invalid value "1" (expected an odd number >= 3 or a duration)' ]
}

@test "bad degrees, jumps, iterations" {
	for pair in "--seasonal-degree 2 0..1" "--trend-degree -1 0..1" "--lowpass-degree x 0..1" \
		"--seasonal-jump 0 1..100000000" "--trend-jump 0 1..100000000" "--lowpass-jump 0 1..100000000" \
		"--inner 0 1..1000" "--outer -1 0..1000" "--iterate 0 1..1000"; do
		set -- $pair
		run --separate-stderr ts-decompose "$1" "$2"
		[ "$status" -eq 2 ]
		[ "${stderr%%$'\n'*}" = "ts-decompose: $1: invalid value \"$2\" (expected $3)" ] || { echo "$pair: $stderr"; false; }
	done
}

@test "bad --boxcox and --method, and STL options with -p none" {
	run --separate-stderr ts-decompose --boxcox nan
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --boxcox: invalid value "nan" (expected auto or a number in -10..10)' ]
	# the same word as ts-detect's --boxcox (one parser, ts_boxcox_parse)
	run --separate-stderr ts-decompose --boxcox 11
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --boxcox: invalid value "11" (expected auto or a number in -10..10)' ]
	run --separate-stderr ts-decompose --boxcox 1x
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --boxcox: invalid value "1x" (expected auto or a number in -10..10)' ]
	run --separate-stderr ts-decompose --method mean
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: --method: invalid value "mean" (expected stl or median)' ]
	run --separate-stderr ts-decompose -p none --robust
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'ts-decompose: -p none: the trend is a super smoother, STL options do not apply' ]
}

@test "no value column, and a role column an output would replace: data errors, no usage text" {
	run_stdin $'ds,name\n2018-01-01,a\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: no value column: give -y (columns: ds, name)' ]
	[ "$output" = "" ]
	run_stdin $'ds,trend\n2018-01-01,1\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: column "trend" would be replaced by the output column of that name; rename it' ]
}

@test "empty input, and header only" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run --separate-stderr ts-decompose "$BATS_TEST_TMPDIR/empty.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?" ]
	run_stdin '' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: <stdin>: no input: did the previous command fail?" ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n' ts-decompose
	[ "$status" -eq 0 ]
	[ "$output" = "ds,y,trend,seasonal,remainder" ]
	[ "$stderr" = "ts-decompose: warning: <stdin>: no data rows" ]
}

@test "unknown column, bad number, bad timestamp, missing file" {
	run_stdin $'ds,y\n2018-01-01,1\n' ts-decompose -y nope
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: -y: no column "nope" (columns: ds, y)' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,abc\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>:3: bad number "abc" in column y' ]
	run_stdin $'ds,y\n2018-13-01,1\n' ts-decompose
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'ts-decompose: <stdin>:2: bad timestamp "2018-13-01"'* ]]
	run --separate-stderr ts-decompose /nonexistent/x.csv
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: /nonexistent/x.csv: No such file or directory' ]
}

@test "irregular series: a gap, duplicates, unsorted rows" {
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2\n2018-01-01 03:00,3\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>:4: irregular series: 2018-01-01 03:00 follows 2018-01-01 01:00, expected 2018-01-01 02:00 (interval 1h); run ts-fill first' ]
	[ "$output" = "" ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,2\n2018-01-02,3\n2018-01-03,3\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>:4: irregular series: 2018-01-02 follows 2018-01-02, expected 2018-01-03 (interval 1d); run ts-fill first' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-01,2\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: irregular series: every timestamp is 2018-01-01; run ts-fill first' ]
	run_stdin $'k,ds,y\nb,2018-01-02,1\nb,2018-01-01,2\n' ts-decompose -k k
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>:3: k=b: irregular series: 2018-01-01 follows 2018-01-02, expected 2018-01-03 (interval 1d); run ts-fill first; passed through\nts-decompose: 1 of 1 series passed through' ]
	[ "$output" = $'k,ds,y,trend,seasonal,remainder\nb,2018-01-02,1,,,\nb,2018-01-01,2,,,' ]
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-03,2\n2018-01-02,3\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>:3: irregular series: 2018-01-03 follows 2018-01-01, expected 2018-01-02 (interval 1d); run ts-fill first' ]
}

@test "short series: one period, several, a single point" {
	run_stdin $'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2\n2018-01-01 02:00,4\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: too short for period 24: 3 points, need at least 49' ]
	run_stdin $'k,ds,y\nx,2018-01-01 00:00,1\nx,2018-01-01 01:00,2\nx,2018-01-01 02:00,4\n' ts-decompose -k k -p 24,168
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=x: too short for period 24: 3 points, need at least 49; passed through\nts-decompose: 1 of 1 series passed through' ]
	run_stdin $'k,ds,y\nx,2018-01-01,1\n' ts-decompose -k k
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=x: too short: 1 point; passed through\nts-decompose: 1 of 1 series passed through' ]
	[ "$output" = $'k,ds,y,trend,seasonal,remainder\nx,2018-01-01,1,,,' ]
}

@test "one bad series never silences the others: constant and all-missing series are named and passed through" {
	in=$'k,ds,y\nb,2018-01-01,5\na,2018-01-01,1\na,2018-01-02,2\na,2018-01-03,1\na,2018-01-04,2\na,2018-01-05,1\nb,2018-01-02,5\nb,2018-01-03,5\n'
	run_stdin "$in" ts-decompose -k k -p 2
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=b: constant series (every value is 5); passed through\nts-decompose: 1 of 2 series passed through' ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | uniq | tr '\n' ' ')" = "k b a " ]
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = "b,2018-01-01,5,,," ]
	printf '%s\n' "$output" | cawk -F, '$1 == "a" && ($4 == "" || $6 == "") { exit 1 }'
	run_stdin $'k,ds,y\nz,2018-01-01,\nz,2018-01-02,NA\n' ts-decompose -k k
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=z: all values are missing; passed through\nts-decompose: 1 of 1 series passed through' ]
	run_stdin "$in" ts-decompose -k k -p 2 --summary
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = "b,,,,,3," ]
}

@test "no period known for the interval" {
	run_stdin $'ds,y\n2001-01-01,1\n2002-01-01,2\n2003-01-01,4\n' ts-decompose
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: no seasonal period known for interval 1y; give -p N, -p auto or -p none' ]
}

@test "periods as durations that do not fit the interval" {
	in=$'ds,y\n2018-01-01 00:00,1\n2018-01-01 01:00,2\n2018-01-01 02:00,4\n2018-01-01 03:00,3\n'
	run_stdin "$in" ts-decompose -p 90m
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: period 1h30m is not a whole number of 1h intervals' ]
	run_stdin "$in" ts-decompose -p 1h
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-decompose: <stdin>: period 1h is less than two points' ]
	# a window as a duration where no interval can be told: ts-detect's words
	run_stdin $'k,ds,y\na,2018-01-01,1\n' ts-decompose -k k -p 2 --trend-window 1d
	[ "$status" -eq 2 ]
	[ "$stderr" = $'ts-decompose: <stdin>: k=a: trend window 1d: the interval is unknown (give a count); passed through\nts-decompose: 1 of 1 series passed through' ]
}

@test "Box-Cox refuses negative data, zeros with lambda 0 and powers past DBL_MAX, at their line" {
	sed '7s/,[0-9]*$/,-3/' "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose --boxcox auto "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/in.csv:7: negative value -3: Box-Cox needs positive data" ]
	sed '9s/,[0-9]*$/,0/' "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose --boxcox 0 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/in.csv:9: zero value: Box-Cox with lambda <= 0 needs positive data" ]
	# a zero is fine with lambda > 0
	run --separate-stderr ts-decompose --boxcox 0.5 "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	# a value whose power overflows is refused at its line (it made a NaN trend)
	run_stdin $'ds,y\n2018-01-01,1\n2018-01-02,1e200\n2018-01-03,2\n2018-01-04,1\n2018-01-05,3\n' ts-decompose -p none --boxcox 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: <stdin>:3: value 1e+200 overflows Box-Cox with lambda 2" ]
}

@test "infinite values are refused at their line; NaN is missing" {
	sed '4s/,[0-9]*$/,inf/' "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-decompose: $BATS_TEST_TMPDIR/in.csv:4: infinite value \"inf\" in column deaths" ]
	# --skip-bad takes it as missing, like any bad value
	run --separate-stderr ts-decompose --skip-bad "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "$(printf '%s\n' "$output" | sed -n 4p)" =~ ^1973-03-01,inf,[0-9.]+,-?[0-9.]+,$ ]]
	[ "$stderr" = "ts-decompose: warning: $BATS_TEST_TMPDIR/in.csv:4: infinite value \"inf\" in column deaths"$'\n'"ts-decompose: warning: skipped 1 bad row" ]
	sed '4s/,[0-9]*$/,NaN/' "$BC/USAccDeaths.csv" > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr ts-decompose "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 0 ]
	[[ "$(printf '%s\n' "$output" | sed -n 4p)" =~ ^1973-03-01,NaN,[0-9.]+,-?[0-9.]+,$ ]]
}

@test "a value near DBL_MAX decomposes, robust or by medians, with no crash" {
	# tests/data/hostile/huge-5e307.csv: psort once ran off its array here
	run --separate-stderr ts-decompose --robust "$DATA/hostile/huge-5e307.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 505 ]
	# the outlier's robustness weight is 0, and every field is a finite number
	[ "$(printf '%s\n' "$output" | sed -n 302p | cut -d, -f2,7)" = "5e307,0" ]
	[ "$(printf '%s\n' "$output" | sed 1d | grep -c -e ',,' -e ',$' -e 'inf' -e 'nan')" -eq 0 ]
	run --separate-stderr ts-decompose --method median "$DATA/hostile/huge-5e307.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 505 ]
	# without a period (supsmu's trend) the sums overflowed: empty fields
	run --separate-stderr ts-decompose -p none "$DATA/hostile/huge-5e307.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed 1d | grep -c -e ',,' -e ',$' -e 'inf' -e 'nan')" -eq 0 ]
}

@test "a 1 MB field passes through; binary garbage never crashes" {
	head -c 1048576 /dev/zero | tr '\0' 'x' > "$BATS_TEST_TMPDIR/x"
	{
		sed -n '1s/$/,note/p; 2s/$/,n/p' "$BC/USAccDeaths.csv"
		printf '%s,' "$(sed -n 3p "$BC/USAccDeaths.csv")"
		cat "$BATS_TEST_TMPDIR/x"
		echo
		sed -n '4,$s/$/,n/p' "$BC/USAccDeaths.csv"
	} > "$BATS_TEST_TMPDIR/big.csv"
	run ts-decompose "$BATS_TEST_TMPDIR/big.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 3p | cut -d, -f3 | wc -c)" -eq 1048577 ]
	head -c 65536 /dev/urandom > "$BATS_TEST_TMPDIR/rand.bin"
	run ts-decompose "$BATS_TEST_TMPDIR/rand.bin"
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
}

@test "running out of memory ends with \"out of memory\" and exit 2" {
	run_out_of_memory ts-decompose -k k
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^ts-decompose:\ ([^$'\n']*:\ )?out\ of\ memory$ ]] || { echo "$stderr"; false; }
}

@test "writing to a full device fails with exit 2" {
	run bash -c 'ts-decompose "$0" > /dev/full' "$BC/USAccDeaths.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "ts-decompose: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run bash -c 'LC_ALL=C awk "BEGIN { print \"ds,y\"; for (i = 0; i < 200000; i++) printf \"%d,%f\n\", 1500000000 + 60 * i, sin(i / 100) + i % 7 }" | ts-decompose -p 7 2>"$0" | head -1' "$BATS_TEST_TMPDIR/err"
	[ "$output" = "ds,y,trend,seasonal,remainder" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "" ]
}
