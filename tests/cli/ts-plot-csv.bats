#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-plot-csv CLI: picture formats, terminal golden files, --tee, and every diagnostic.

bats_require_minimum_version 1.5.0
load helper

P="$DATA/plot"

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk.
png_size() {
	od -An -tu1 -j16 -N8 "$1" | LC_ALL=C awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'
}

@test "PNG: magic bytes and the default 1000x600 size" {
	run ts-plot-csv -o "$BATS_TEST_TMPDIR/f.png" "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(head -c 8 "$BATS_TEST_TMPDIR/f.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
	[ "$(png_size "$BATS_TEST_TMPDIR/f.png")" = "1000x600" ]
}

@test "PNG: --width and --height, dark theme, --dpi" {
	run ts-plot-csv -o "$BATS_TEST_TMPDIR/f.png" --width 640 --height 480 --theme dark --dpi 150 "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$(png_size "$BATS_TEST_TMPDIR/f.png")" = "640x480" ]
}

@test "SVG and PDF: valid headers; the size in points follows --dpi" {
	run ts-plot-csv -o "$BATS_TEST_TMPDIR/f.svg" "$P/forecast.csv"
	[ "$status" -eq 0 ]
	grep -q '<svg' "$BATS_TEST_TMPDIR/f.svg"
	grep -q 'width="720' "$BATS_TEST_TMPDIR/f.svg"
	run ts-plot-csv -o "$BATS_TEST_TMPDIR/f.pdf" "$P/decompose.csv"
	[ "$status" -eq 0 ]
	[ "$(head -c 5 "$BATS_TEST_TMPDIR/f.pdf")" = "%PDF-" ]
	grep -aq 'MediaBox \[ *0 0 720 432 *\]' "$BATS_TEST_TMPDIR/f.pdf"
}

@test "-f writes the picture to standard output when it is not a terminal" {
	run bash -c 'ts-plot-csv -f png < "$0" | head -c 4 | od -An -c | tr -d " "' "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "211PNG" ]
	run bash -c 'ts-plot-csv -f svg < "$0" | grep -c "<svg"' "$P/forecast.csv"
	[ "$output" = "1" ]
	run bash -c 'ts-plot-csv -f pdf < "$0" | head -c 5' "$P/forecast.csv"
	[ "$output" = "%PDF-" ]
}

@test "terminal plot matches the golden file, without colour" {
	run ts-plot-csv -f term --cols 72 --rows 20 --color never "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$P/forecast.term.txt")" ]
	NO_COLOR=1 run ts-plot-csv -f term --cols 72 --rows 20 "$P/forecast.csv"
	[ "$output" = "$(cat "$P/forecast.term.txt")" ]
}

@test "terminal plot matches the golden file, with colour" {
	run ts-plot-csv -f term --cols 72 --rows 20 "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$P/forecast.term-color.txt")" ]
	[[ "$output" == *$'\e[31m'* ]]
	NO_COLOR= run ts-plot-csv -f term --cols 72 --rows 20 "$P/forecast.csv"
	[ "$output" = "$(cat "$P/forecast.term-color.txt")" ]
	NO_COLOR=1 run ts-plot-csv -f term --cols 72 --rows 20 --color always "$P/forecast.csv"
	[ "$output" = "$(cat "$P/forecast.term-color.txt")" ]
}

@test "decomposition: stacked panels in the terminal, golden file" {
	run ts-plot-csv -f term --cols 80 --rows 30 --color never "$P/decompose.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$P/decompose.term.txt")" ]
	[[ "$output" == *seasonal_365* && "$output" == *remainder* ]]
	run ts-plot-csv -f term --cols 80 --rows 30 --color never --no-components "$P/decompose.csv"
	[[ "$output" != *remainder* ]]
}

@test "COLUMNS and LINES that are not whole numbers in range are ignored" {
	COLUMNS=50 run ts-plot-csv -f term --color never "$P/forecast.csv"
	[ "$status" -eq 0 ]
	narrow=$output
	# "50x" once read as 50 (atoi): now it is no number, and 80 columns stand
	COLUMNS=50x run ts-plot-csv -f term --color never "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$output" != "$narrow" ]
	COLUMNS=80 run ts-plot-csv -f term --color never "$P/forecast.csv"
	wide=$output
	COLUMNS=50x run ts-plot-csv -f term --color never "$P/forecast.csv"
	[ "$output" = "$wide" ]
	COLUMNS=19 run ts-plot-csv -f term --color never "$P/forecast.csv"
	[ "$output" = "$wide" ]
}

@test "the terminal size comes from COLUMNS and LINES" {
	COLUMNS=50 LINES=13 run ts-plot-csv -f term --color never "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -le 12 ]
	while IFS= read -r line; do
		[ "$(printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m)" -le 50 ]
	done <<< "$output"
}

@test "--tee copies the input byte for byte while drawing" {
	printf 'ds,y\r\n"2018-01-01",1\r\n2018-01-02,2\r\n\r\n' > "$BATS_TEST_TMPDIR/in.csv"
	for f in "$P/forecast.csv" "$P/decompose.csv" "$BATS_TEST_TMPDIR/in.csv"; do
		ts-plot-csv -o "$BATS_TEST_TMPDIR/t.png" --tee < "$f" > "$BATS_TEST_TMPDIR/out.csv"
		cmp "$f" "$BATS_TEST_TMPDIR/out.csv"
		[ -s "$BATS_TEST_TMPDIR/t.png" ]
	done
	ts-plot-csv -o "$BATS_TEST_TMPDIR/t.svg" --tee "$P/forecast.csv" | cmp - "$P/forecast.csv"
}

@test "-k draws one panel per series; --overlay one panel" {
	in=$'k,ds,y\na,2018-01-01,1\nb,2018-01-01,5\na,2018-01-02,2\nb,2018-01-02,4\n'
	run_stdin "$in" ts-plot-csv -k k -f term --cols 60 --rows 16 --color never
	[ "$status" -eq 0 ]
	[[ "$output" == *"y by k"* ]]
	printf '%s\n' "$output" | grep -q '^ *a  *b$'	# two cell titles side by side
	run_stdin "$in" ts-plot-csv -k k --overlay -f term --cols 60 --rows 16 --color never
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -q 'a  .*b$'	# one legend entry per series
	! printf '%s\n' "$output" | grep -q '^ *a  *b$'
	run_stdin "$in" ts-plot-csv -k k -o "$BATS_TEST_TMPDIR/k.png"
	[ "$status" -eq 0 ]
}

@test "-c draws more columns; --title replaces the title; ts-detect lower/upper" {
	in=$'ds,y,lower,upper,other\n2018-01-01,1,0,2,3\n2018-01-02,2,1,3,4\n2018-01-03,9,1,3,5\n'
	run_stdin "$in" ts-plot-csv -c other --title 'my metric' -f term --cols 60 --rows 14 --color never
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"my metric"* ]]
	[[ "$output" == *"other"* && "$output" == *"lower..upper"* ]]
	run_stdin "$in" ts-plot-csv -c 5 -o "$BATS_TEST_TMPDIR/c.pdf"
	[ "$status" -eq 0 ]
}

@test "help, version, and the usage line match the man page" {
	run ts-plot-csv --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ts-plot-csv "* ]]
	for opt in --output --format --tee --columns --components --no-components --overlay --title --width --height --dpi --theme --cols --rows --color --last --floor --max-series --only-anomalies --time --value --key --delimiter --tz --epoch --skip-bad --help --version; do
		[[ "$output" == *"$opt"* ]] || { echo "missing $opt"; false; }
		grep -q -- "Fl ${opt#--}\|Fl -${opt#--}" "$BATS_TEST_DIRNAME/../../man/ts-plot-csv.1" || { echo "man lacks $opt"; false; }
	done
	run ts-plot-csv --version
	[[ "$output" == "ts-plot-csv "[0-9]* ]]
}

@test "standard output not a terminal and no -o or -f" {
	run --separate-stderr ts-plot-csv "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "ts-plot-csv: standard output is not a terminal: give -o FILE, or -f png|svg|pdf|term to choose what to write to it" ]
}

@test "usage errors" {
	while IFS='|' read -r args msg; do
		run --separate-stderr ts-plot-csv $args "$P/forecast.csv"
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[ "${stderr%%$'\n'*}" = "ts-plot-csv: $msg" ] || { echo "$args -> $stderr"; false; }
	done <<'LIST'
-f gif|-f: invalid value "gif" (expected png, svg, pdf or term)
-o x.gif|-o: cannot tell the format of "x.gif" (use .png, .svg or .pdf, or -f)
--tee -f png|--tee needs -o FILE: standard output carries the CSV
--theme blue -f term|--theme: invalid value "blue" (expected light or dark)
--color maybe -f term|--color: invalid value "maybe" (expected auto, always or never)
--width 5 -f png|--width: invalid value "5" (expected 100..20000)
--height x -f png|--height: invalid value "x" (expected 100..20000)
--dpi 0 -f png|--dpi: invalid value "0" (expected 20..1200)
--cols 3 -f term|--cols: invalid value "3" (expected 20..1000)
--rows 99999 -f term|--rows: invalid value "99999" (expected 6..1000)
--last 0 -f term|--last: bad value "0" (a count of rows or a duration)
--last 3x -f term|--last: bad value "3x" (a count of rows or a duration)
--last -2d -f term|--last: bad value "-2d" (a count of rows or a duration)
--floor abc -f term|--floor: invalid value "abc" (expected a number)
--floor inf -f term|--floor: invalid value "inf" (expected a number)
--max-series 0 -f term|--max-series: invalid value "0" (expected 1..1000000)
--bogus|unrecognized option '--bogus'
LIST
}

@test "column errors are data errors: the columns there are, no usage text" {
	run --separate-stderr ts-plot-csv -c nosuch -f term "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: $P/forecast.csv: -c: no column \"nosuch\" (columns: ds, y, yhat, yhat_lower, yhat_upper, anomaly)" ]
	run --separate-stderr ts-plot-csv -c ds -f term "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: $P/forecast.csv: -c: \"ds\" is the time column" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-plot-csv -f term -y value
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-plot-csv: <stdin>: -y: no column "value" (columns: ds, y)' ]
}

@test "--tee with two inputs" {
	run --separate-stderr ts-plot-csv --tee -o "$BATS_TEST_TMPDIR/x.png" "$P/forecast.csv" "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-plot-csv: --tee copies one input, not 2" ]
}

@test "failures are failures: empty input, header only in and out of a pipeline, nothing passed on before a failure" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run --separate-stderr ts-plot-csv -o "$BATS_TEST_TMPDIR/x.png" --tee "$BATS_TEST_TMPDIR/empty.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?" ]
	[ "$output" = "" ]
	# Header only with --tee: in the middle of a pipeline the last stage decides.
	run_stdin $'ds,y\n' ts-plot-csv -o "$BATS_TEST_TMPDIR/h.png" --tee
	[ "$status" -eq 0 ]
	[ "$output" = "ds,y" ]
	[ "$stderr" = "ts-plot-csv: warning: <stdin>: no data rows: nothing drawn" ]
	[ ! -e "$BATS_TEST_TMPDIR/h.png" ]
	# A picture that cannot be written: the CSV goes on all the same (the
	# alert downstream still decides), and the message says so.
	run_stdin $'ds,y\n2018-01-01,1\n' ts-plot-csv -o /nonexistent/dir/x.png --tee
	[ "$status" -eq 2 ]
	[ "$output" = $'ds,y\n2018-01-01,1' ]
	[ "$stderr" = "ts-plot-csv: /nonexistent/dir/x.png: No such file or directory (--tee: the CSV went on; no picture was written)" ]
}

@test "keys: a one-point series among others is drawn, like any other" {
	in=$'k,ds,y\na,2018-01-01,1\na,2018-01-02,3\nb,2018-01-05,7\n'
	run_stdin "$in" ts-plot-csv -k k -o "$BATS_TEST_TMPDIR/k.png" --tee
	[ "$status" -eq 0 ]
	[ "$output" = "${in%$'\n'}" ]
	[ "$stderr" = "" ]
	[ -s "$BATS_TEST_TMPDIR/k.png" ]
}

@test "input errors: empty input, bad number, bad timestamp, missing file, no rows" {
	run_stdin '' ts-plot-csv -f term
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: <stdin>: no input: did the previous command fail?" ]
	run_stdin $'ds,y,yhat\n2018-01-01,1,abc\n' ts-plot-csv -f term
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-plot-csv: <stdin>:2: bad number "abc" in column yhat' ]
	run_stdin $'ds,y\n2018-13-01,1\n' ts-plot-csv -f term
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'ts-plot-csv: <stdin>:2: bad timestamp "2018-13-01"'* ]]
	run --separate-stderr ts-plot-csv -f term "$BATS_TEST_TMPDIR/nosuch.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory" ]
	run_stdin $'ds,y\n' ts-plot-csv -f term
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: <stdin>: nothing to draw: no rows with a timestamp" ]
	run_stdin $'ds,y\n2018-01-01,1\n' ts-plot-csv -o /nonexistent/dir/x.png
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: /nonexistent/dir/x.png: No such file or directory" ]
}

@test "one row and NaN draw without trouble; an infinity is bad input at its line" {
	run_stdin $'ds,y,yhat\n2018-01-01,nan,3\n2018-01-02,2,1\n' ts-plot-csv -f term --cols 40 --rows 10
	[ "$status" -eq 0 ]
	run_stdin $'ds,y,yhat\n2018-01-01,nan,inf\n2018-01-02,2,1\n' ts-plot-csv -f term --cols 40 --rows 10
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-plot-csv: <stdin>:2: infinite value "inf" in column yhat' ]
	run_stdin $'ds,y,yhat\n2018-01-01,nan,3\n2018-01-02,-inf,1\n' ts-plot-csv -f term --cols 40 --rows 10
	[ "$status" -eq 2 ]
	[ "$stderr" = 'ts-plot-csv: <stdin>:3: infinite value "-inf" in column y' ]
	run_stdin $'ds,y\n2018-01-01,5\n' ts-plot-csv -o "$BATS_TEST_TMPDIR/one.png"
	[ "$status" -eq 0 ]
}

@test "values about 1e60 get short axis labels" {
	# tests/data/hostile/label-1e60.csv: the labels ran past a 32-byte buffer
	run --separate-stderr ts-plot-csv -f term --cols 60 --rows 12 --color never "$DATA/hostile/label-1e60.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | grep -o '^ *[0-9.e-]*' | tr -d ' ' | grep . | tr '\n' ' ')" = "3e60 2.5e60 2e60 1.5e60 1e60 " ]
	run --separate-stderr ts-plot-csv -o "$BATS_TEST_TMPDIR/big.png" "$DATA/hostile/label-1e60.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ -s "$BATS_TEST_TMPDIR/big.png" ]
}

@test "values near DBL_MAX are drawn, with labels" {
	# tests/data/hostile/near-dblmax.csv: the range overflowed and nothing was drawn
	run --separate-stderr ts-plot-csv -f term --cols 50 --rows 10 --color never "$DATA/hostile/near-dblmax.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | grep -o '^ *-\?1e308' | tr -d ' ' | tr '\n' ' ')" = "1e308 -1e308 " ]
}

@test "-o: a failed picture leaves the file that was there; --tee says the CSV went on" {
	# a failed write removed FILE even when it was not ours (a picture, a
	# symlink to a device)
	mkdir "$BATS_TEST_TMPDIR/pics"
	cd "$BATS_TEST_TMPDIR/pics"
	echo "yesterday's picture" > pic.png
	chmod 640 pic.png
	# a file size limit makes the write fail (EFBIG) rather than kill us
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; ts-plot-csv -o pic.png "$0"' "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: pic.png: write error: File too large" ]
	[ "$(cat pic.png)" = "yesterday's picture" ]
	[ "$(ls -A | tr '\n' ' ')" = "pic.png " ]
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; ts-plot-csv -o pic.png --tee < "$0"' "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "$(cat "$P/forecast.csv")" ]
	[ "$stderr" = "ts-plot-csv: pic.png: write error: File too large (--tee: the CSV went on; the file was left as it was)" ]
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; ts-plot-csv -o new.png --tee < "$0"' "$P/forecast.csv"
	[ "$stderr" = "ts-plot-csv: new.png: write error: File too large (--tee: the CSV went on; no picture was written)" ]
	[ ! -e new.png ]
	# a device behind a symlink: written in place, the link kept
	ln -s /dev/full full.png
	run --separate-stderr ts-plot-csv -o full.png "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: full.png: write error: No space left on device" ]
	[ -L full.png ]
	# a good picture replaces the file, keeping its mode
	run ts-plot-csv -o pic.png "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[ "$(head -c 8 pic.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
	[ "$(stat -c %a pic.png)" = "640" ]
	[ "$(ls -A | tr '\n' ' ')" = "full.png pic.png " ]
}

@test "--skip-bad leaves out bad rows with a warning each and a count" {
	# the rows used to vanish without a word
	run_stdin $'ds,y\n2018-01-01,1\nsoon,2\n2018-01-03,inf\n2018-01-04,3\n' ts-plot-csv -f term --cols 40 --rows 10 --skip-bad
	[ "$status" -eq 0 ]
	[ "$stderr" = $'ts-plot-csv: warning: <stdin>:3: bad timestamp "soon"\nts-plot-csv: warning: <stdin>:4: infinite value "inf" in column y\nts-plot-csv: warning: skipped 2 bad rows' ]
}

@test "running out of memory ends with \"out of memory\" and exit 2" {
	run_out_of_memory ts-plot-csv -k k -f term
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^ts-plot-csv:\ ([^$'\n']*:\ )?out\ of\ memory$ ]] || { echo "$stderr"; false; }
}

@test "writing to a full device fails with exit 2" {
	run bash -c 'ts-plot-csv -f png < "$0" > /dev/full' "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "ts-plot-csv: write error: No space left on device" ]
	run bash -c 'ts-plot-csv -f term < "$0" > /dev/full' "$P/forecast.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "ts-plot-csv: write error: No space left on device" ]
	run bash -c 'ts-plot-csv --tee -o "$1" < "$0" > /dev/full' "$P/forecast.csv" "$BATS_TEST_TMPDIR/x.png"
	[ "$status" -eq 2 ]
	[ "$output" = "ts-plot-csv: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run bash -c 'ts-plot-csv -f term < "$0" | head -1 > /dev/null' "$P/decompose.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "man page examples run" {
	man="$BATS_TEST_DIRNAME/../../man/ts-plot-csv.1"
	cd "$BATS_TEST_TMPDIR"
	cp "$P/forecast.csv" forecast.csv
	cp "$P/decompose.csv" cpu.csv
	n=0
	while IFS= read -r cmd; do
		cmd=$(printf '%s' "$cmd" | sed 's/\\e/\\/g')
		run bash -c "$cmd"
		[ "$status" -eq 0 ] || { echo "$cmd -> $status $output"; false; }
		n=$((n + 1))
	done < <(sed -n 's/^\$ //p' "$man")
	[ "$n" -ge 3 ]
}

# c14: 14 days of hourly counts with a forecast band reaching below 0, as
# ts-forecast writes for error counts (issue 16).
c14() {
	cawk 'BEGIN { print "ds,y,yhat,yhat_lower,yhat_upper"
		for (i = 0; i < 14 * 24; i++) { h = i % 24; f = 10 + 8 * (h >= 9 && h <= 18)
			printf "2018-05-%02dT%02d:00:00Z,%d,%d,%d,%d\n", 14 + int(i / 24), h, f + (i * 7) % 5, f, f - 30, f + 14 }
		for (i = 0; i < 24; i++) printf "2018-05-28T%02d:00:00Z,,10,-20,24\n", i }'
}

# xlabels: the time axis labels of a terminal plot (its last line), one per line.
xlabels() { printf '%s\n' "$output" | tail -n 1 | sed 's/  */\n/g; s/\(May\) \n/\1 /g' | grep . ; }

@test "--last draws the recent window and the forecast after it; the axis labels its days" {
	c14 > "$BATS_TEST_TMPDIR/c14.csv"
	run --separate-stderr ts-plot-csv --floor 0 -f term --cols 80 --rows 16 --color never "$BATS_TEST_TMPDIR/c14.csv"
	[ "$status" -eq 0 ]
	# 15 days on 80 columns: a label every other day, on odd days of the month
	[ "$(printf '%s\n' "$output" | tail -n 1 | tr -s ' ' | sed 's/^ //')" = "May 15 2018 May 17 May 19 May 21 May 23 May 25 May 27 May 29" ]
	run --separate-stderr ts-plot-csv --last 2d -f term --cols 80 --rows 16 --color never "$BATS_TEST_TMPDIR/c14.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	# from 2018-05-26 00:00 (two days up to the last value, 05-27 23:00) to the forecast's end
	[ "$(printf '%s\n' "$output" | tail -n 1 | tr -s ' ' | sed 's/^ //')" = "May 26 12:00 May 27 12:00 May 28 12:00 May 29" ]
	run ts-plot-csv --last 48 -f term --cols 80 --rows 16 --color never "$BATS_TEST_TMPDIR/c14.csv"
	[ "$(printf '%s\n' "$output" | tail -n 1 | tr -s ' ' | sed 's/^ //')" = "May 26 12:00 May 27 12:00 May 28 12:00 May 29" ]
	run ts-plot-csv --last 2d -o "$BATS_TEST_TMPDIR/last.png" "$BATS_TEST_TMPDIR/c14.csv"
	[ "$status" -eq 0 ]
	[ -s "$BATS_TEST_TMPDIR/last.png" ]
}

@test "--floor 0 keeps the band of counts at 0, and the axis of counts starts at 0" {
	c14 > "$BATS_TEST_TMPDIR/c14.csv"
	# y labels: the numbers left of the axis
	run ts-plot-csv -f term --cols 60 --rows 14 --color never "$BATS_TEST_TMPDIR/c14.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -o '^ *-\?[0-9.]\+' | tr -d ' ' | tail -n 1)" = "-20" ]
	run ts-plot-csv --floor 0 -f term --cols 60 --rows 14 --color never "$BATS_TEST_TMPDIR/c14.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -o '^ *-\?[0-9.]\+' | tr -d ' ' | tr '\n' ' ')" = "30 20 10 0 " ]
	# counts far above 0 keep their own scale, unless --floor 0 asks for 0
	run_stdin $'ds,y\n2018-01-01,100\n2018-01-02,104\n2018-01-03,108\n' ts-plot-csv -f term --cols 40 --rows 10 --color never
	[ "$(printf '%s\n' "$output" | grep -o '^ *-\?[0-9.]\+' | tr -d ' ' | tail -n 1)" = "100" ]
	run_stdin $'ds,y\n2018-01-01,100\n2018-01-02,104\n2018-01-03,108\n' ts-plot-csv --floor 0 -f term --cols 40 --rows 10 --color never
	[ "$(printf '%s\n' "$output" | grep -o '^ *-\?[0-9.]\+' | tr -d ' ' | tail -n 1)" = "0" ]
}

# keys N: N series of three days, those in $2 (space-separated) with an anomaly.
keys() {
	cawk -v n="$1" -v bad=" $2 " 'BEGIN { print "k,ds,y,anomaly"
		for (k = 0; k < n; k++) for (d = 1; d <= 3; d++)
			printf "m%d,2018-01-0%d,%d,%d\n", k, d, k + d, (index(bad, " " k " ") > 0 && d == 2) }'
}

@test "-k: at most 25 series drawn unless --max-series, with a message; --only-anomalies" {
	keys 1000 "3 700" > "$BATS_TEST_TMPDIR/k.csv"
	run --separate-stderr ts-plot-csv -k k -o "$BATS_TEST_TMPDIR/k.png" "$BATS_TEST_TMPDIR/k.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "ts-plot-csv: warning: drawing the first 25 of 1000 series (--max-series N draws more, --only-anomalies those with an anomaly)" ]
	run --separate-stderr ts-plot-csv -k k --max-series 1000 -o "$BATS_TEST_TMPDIR/k.png" "$BATS_TEST_TMPDIR/k.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	run --separate-stderr ts-plot-csv -k k --overlay --max-series 2 -f term --cols 60 --rows 12 --color never "$BATS_TEST_TMPDIR/k.csv"
	[ "$stderr" = "ts-plot-csv: warning: drawing the first 2 of 1000 series (--max-series N draws more, --only-anomalies those with an anomaly)" ]
	[[ "$output" == *m0*m1* && "$output" != *m2* ]]
	run --separate-stderr ts-plot-csv -k k --only-anomalies -f term --cols 60 --rows 12 --color never "$BATS_TEST_TMPDIR/k.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" | grep -q '^ *m3  *m700$'
	run --separate-stderr ts-plot-csv -k k --only-anomalies --max-series 1 -f term --cols 60 --rows 12 --color never "$BATS_TEST_TMPDIR/k.csv"
	[ "$stderr" = "ts-plot-csv: warning: drawing the first 1 of 2 series with an anomaly (--max-series N draws more)" ]
	[[ "$output" == *m3* && "$output" != *m700* ]]
}

@test "--only-anomalies: none is a picture that says so; no anomaly column is an error" {
	keys 5 "" > "$BATS_TEST_TMPDIR/k.csv"
	run --separate-stderr ts-plot-csv -k k --only-anomalies -f term --cols 60 --rows 10 --color never "$BATS_TEST_TMPDIR/k.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" == *"no series with an anomaly"* ]]
	keys 5 "2" > "$BATS_TEST_TMPDIR/k.csv"
	run --separate-stderr ts-plot-csv -k k --only-anomalies --last 1 -o "$BATS_TEST_TMPDIR/none.png" "$BATS_TEST_TMPDIR/k.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ -s "$BATS_TEST_TMPDIR/none.png" ]
	run --separate-stderr ts-plot-csv --only-anomalies -f term "$P/decompose.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-plot-csv: $P/decompose.csv: --only-anomalies: no column \"anomaly\" (draw what ts-detect writes)" ]
}

@test "terminal: the band is dashed and cyan, yhat solid and blue, in the legend too" {
	run ts-plot-csv -f term --cols 72 --rows 20 "$P/forecast.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\e[36m⠠⠤ ⠠⠤\e[0myhat_lower..yhat_upper'* ]]
	[[ "$output" == *$'\e[34m⠠⠤⠤⠤⠤\e[0myhat '* ]]
	run ts-plot-csv -f term --cols 72 --rows 20 --color never "$P/forecast.csv"
	[[ "$output" == *"⠠⠤ ⠠⠤yhat_lower..yhat_upper  ⠠⠤⠤⠤⠤yhat"* ]]
}

@test "terminal: five stacked panels in 30 lines are four lines high or more" {
	run ts-plot-csv -f term --cols 80 --rows 30 --color never "$P/decompose.csv"
	[ "$status" -eq 0 ]
	# the lines from each panel's title to the next: title + at least 4
	titles=$(printf '%s\n' "$output" | grep -n '^ *\(y\|trend\|seasonal_7\|seasonal_365\|remainder\)$' | cut -d: -f1 | tr '\n' ' ')
	set -- $titles
	[ "$#" -eq 6 ]	# the figure's title "y" and five panels
	shift
	prev=$1; shift
	for n in "$@"; do [ $((n - prev)) -ge 5 ] || { echo "$titles"; false; }; prev=$n; done
}

@test "README alert recipe in plain sh: ts-detect's status kept, its verdict drawn with the anomaly red" {
	top="$BATS_TEST_DIRNAME/../.."
	job=$(awk -v m="<!-- example:alert-sh -->" '$0 == m { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$top/README.md")
	[ -n "$job" ]
	cd "$BATS_TEST_TMPDIR"
	ln -s "$top/tests" tests
	run --separate-stderr sh -c "$job"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "alert: errors above forecast, see alert.png" ]
	[ "$(head -c 8 alert.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
	# the same picture as SVG: the anomaly's red (#D62728) is in it, point and legend
	run --separate-stderr sh -c "${job//alert.png/alert.svg}"
	[ "$output" = "alert: errors above forecast, see alert.svg" ]
	[ "$(grep -o 'rgb(83.921569%,15.294118%,15.686275%)' alert.svg | wc -l)" -ge 2 ]
	# the picture fails (a directory in its way): still an alert, said so
	rm alert.png && mkdir alert.png
	run --separate-stderr sh -c "$job"
	[ "$output" = "alert: errors above forecast (no picture: plot 2)" ]
	# a dead feed is trouble
	echo '@timestamp,service,errors' > header.csv
	run --separate-stderr sh -c "${job//tests\/data\/demo\/errors.csv/header.csv}"
	[ "$output" = "trouble: fill 0, forecast 0, detect 2, plot 2" ]
}
