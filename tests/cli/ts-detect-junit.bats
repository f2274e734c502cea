#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ts-detect --junit: the JUnit report beside the CSV (a case per series,
# failures, errors), valid against the schema Jenkins reads, written
# whole, and the exit status and CSV as they are without it.

bats_require_minimum_version 1.5.0
load helper

XSD="$DATA/junit/junit.xsd"

# Three series: "web" alerts on its last row, "db" is quiet, "batch" has
# too few points for esd and is passed through.
three() {
	printf 'service,ds,y\n'
	for d in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do
		printf 'web,2024-03-%s,%s\n' "$d" "$([ "$d" = 16 ] && echo 900 || echo $((100 + 10#$d % 3)))"
		printf 'db,2024-03-%s,%s\n' "$d" "$((50 + 10#$d % 2))"
	done
	printf 'batch,2024-03-01,7\nbatch,2024-03-02,8\n'
}

validate() {
	command -v xmllint >/dev/null 2>&1 || skip "xmllint is missing (scripts/install-deps installs libxml2-utils)"
	run xmllint --noout --schema "$XSD" "$1"
	[ "$status" -eq 0 ]
	[ "$output" = "$1 validates" ]
}

@test "--junit: a case per series, a failure with its rows, an error for a series not judged" {
	in=$(three)
	report="$BATS_TEST_TMPDIR/report.xml"
	run_stdin "$in" ts-detect -k service -m mad,esd -p 7 --last 2 --junit "$report"
	[ "$status" -eq 1 ]
	csv=$output
	[ "$stderr" = $'ts-detect: <stdin>: service=batch: esd needs more than two periods: 2 points, period 7; passed through\nts-detect: 1 of 3 series passed through' ]
	# the CSV and the status are those of the run without --junit
	run_stdin "$in" ts-detect -k service -m mad,esd -p 7 --last 2
	[ "$status" -eq 1 ]
	[ "$output" = "$csv" ]
	expected='<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="ts-detect" tests="3" failures="1" errors="1">
  <testsuite name="ts-detect" tests="3" failures="1" errors="1" skipped="0">
    <testcase classname="ts-detect" name="web">
      <failure type="anomaly" message="1 anomalous row in the judged window">&lt;stdin&gt;:32: 2024-03-16: y 900, expected 101: mad: +538.9 sigma; esd</failure>
    </testcase>
    <testcase classname="ts-detect" name="db"/>
    <testcase classname="ts-detect" name="batch">
      <error type="not judged" message="esd needs more than two periods: 2 points, period 7">esd needs more than two periods: 2 points, period 7</error>
    </testcase>
  </testsuite>
</testsuites>'
	[ "$(cat "$report")" = "$expected" ]
	validate "$report"
}

@test "--junit: the report is written when nothing is found, every case passing" {
	report="$BATS_TEST_TMPDIR/quiet.xml"
	run_stdin "$(three | grep -v '^web,2024-03-16\|^batch')" ts-detect -k service -m mad --junit "$report" -q
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	grep -q '^<testsuites name="ts-detect" tests="2" failures="0" errors="0">$' "$report"
	[ "$(grep -c '<testcase classname="ts-detect" name="[a-z]*"/>' "$report")" -eq 2 ]
	validate "$report"
}

@test "--junit: without -k the one case is named after the input, markup escaped" {
	in="$BATS_TEST_TMPDIR/a&b<c>.csv"
	three | awk -F, 'NR == 1 || $1 == "web" { print $2 "," $3 }' > "$in"
	report="$BATS_TEST_TMPDIR/one.xml"
	run --separate-stderr ts-detect -m mad --junit "$report" "$in"
	[ "$status" -eq 1 ]
	grep -qF "<testcase classname=\"ts-detect\" name=\"$BATS_TEST_TMPDIR/a&amp;b&lt;c&gt;.csv\">" "$report"
	grep -qF ".csv:17: 2024-03-16: y 900, expected 101: mad: +538.9 sigma</failure>" "$report"
	validate "$report"
}

@test "--junit: the schema refuses a report with its counts or names wrong" {
	command -v xmllint >/dev/null 2>&1 || skip "xmllint is missing (scripts/install-deps installs libxml2-utils)"
	bad="$BATS_TEST_TMPDIR/bad.xml"
	printf '<testsuites><testsuite name="x" tests="one" failures="0" errors="0"/></testsuites>\n' > "$bad"
	run xmllint --noout --schema "$XSD" "$bad"
	[ "$status" -ne 0 ]
	printf '<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>\n' > "$bad"
	run xmllint --noout --schema "$XSD" "$bad"
	[ "$status" -ne 0 ]
}

@test "--junit: a report that cannot be written is trouble, and what was there stays" {
	run_stdin "$(three)" ts-detect -k service -m mad --junit "$BATS_TEST_TMPDIR/none/r.xml" -q
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: $BATS_TEST_TMPDIR/none/r.xml: No such file or directory" ]
	run_stdin "$(three)" ts-detect -k service -m mad --junit /dev/full -q
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: /dev/full: write error: No space left on device" ]
	# a run that stops with trouble leaves the last report as it was
	report="$BATS_TEST_TMPDIR/kept.xml"
	printf 'old\n' > "$report"
	run_stdin 'service,ds,y' ts-detect -k service --junit "$report"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ts-detect: <stdin>: no data rows: nothing to judge" ]
	[ "$(cat "$report")" = old ]
	run_stdin "$(three)" ts-detect -k service -m mad --junit "$report" -q
	[ "$status" -eq 1 ]
	grep -q '^<testsuites name="ts-detect" tests="3" failures="1" errors="0">$' "$report"
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c kept)" -eq 1 ]	# no temporary left
}

@test "--junit cannot be combined with --stream" {
	run_stdin "$(three)" ts-detect --stream --junit r.xml
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "ts-detect: --stream cannot be combined with --junit" ]
	[ ! -e r.xml ]
}

@test "README: the --junit example runs and its report validates" {
	top="$BATS_TEST_DIRNAME/../.."
	block=$(awk '/^<!-- example:junit -->/ { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$top/README.md")
	cmd=$(printf '%s\n' "$block" | sed -n 's/^\$ //p')
	expected=$(printf '%s\n' "$block" | sed '1d')
	[ -n "$cmd" ]
	cd "$BATS_TEST_TMPDIR"
	ln -s "$top/tests" tests
	run bash -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
	validate alerts.xml
}
