#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# build: what the Makefile and scripts promise a new user: quiet install-deps,
# install/uninstall under DESTDIR and PREFIX, man pages that lint clean.

bats_require_minimum_version 1.5.0

TOP="$BATS_TEST_DIRNAME/../.."

@test "install-deps is quiet when everything is there" {
	run --separate-stderr "$TOP/scripts/install-deps"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "make install and uninstall honour DESTDIR and PREFIX" {
	dest="$BATS_TEST_TMPDIR/root"
	run make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/opt/ts
	[ "$status" -eq 0 ]
	[ -x "$dest/opt/ts/bin/ts-fill" ]
	[ -f "$dest/opt/ts/share/man/man1/ts-fill.1" ]
	[ -f "$dest/opt/ts/share/man/man7/ts.7" ]
	run "$dest/opt/ts/bin/ts-fill" --version
	[[ "$output" == "ts-fill "* ]]
	# the country calendars, found beside the installed program without TS_DATADIR
	[ -f "$dest/opt/ts/share/ts/calendars/KR.csv" ]
	[ -f "$dest/opt/ts/share/ts/calendars/README" ]
	printf 'ds,y\n2020-01-01,1\n2020-01-02,2\n' > "$BATS_TEST_TMPDIR/in.csv"
	run env -u TS_DATADIR "$dest/opt/ts/bin/ts-forecast" --country-holidays XX "$BATS_TEST_TMPDIR/in.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = 'ts-forecast: --country-holidays: unknown country "XX" (available: BR, CN, DE, FR, GB, IN, JP, KR, US)' ]
	run make -s -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/opt/ts
	[ "$status" -eq 0 ]
	[ ! -e "$dest/opt/ts/bin/ts-fill" ]
	[ ! -e "$dest/opt/ts/share/man/man1/ts-fill.1" ]
	[ ! -e "$dest/opt/ts/share/ts" ]
}

@test "every tool has a man page, and every page lints clean" {
	for c in "$TOP"/cmd/*.c; do
		[ -f "$TOP/man/$(basename "$c" .c).1" ]
	done
	for m in "$TOP"/man/*.[17]; do
		run groff -mandoc -ww -z "$m"
		[ "$status" -eq 0 ]
		[ "$output" = "" ]
	done
}

@test "man pages render with every quote paired" {
	run "$TOP/scripts/check-man-quotes" "$TOP"/man/*.[17]
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "the man quote lint catches quotes nested by an enclosure macro, and open ones" {
	page="$BATS_TEST_TMPDIR/bad.1"
	printf '%s\n' .Dd .Dt BAD 1 .Os .Sh NAME '.Nm bad' '.Nd bad quotes' .Sh DESCRIPTION \
		"Columns" '.Pq Ql trend , Ql seasonal' 'are drawn.' .Pp 'One' '.Dq open' 'is fine.' \
		.Pp 'An \(oqopen quote ends here.' .Pp 'A \(lqdouble one too.' .Pp 'A stray\(cq close.' > "$page"
	run "$TOP/scripts/check-man-quotes" "$page"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "man quotes: $page: a single quote opens inside another: "*" Columns (‘trend, ‘seasonal’’) are drawn." ]]
	[ "${lines[1]}" = "man quotes: $page: a single quote is left open: An ‘open quote ends here." ]
	[ "${lines[2]}" = "man quotes: $page: a double quote is left open: A “double one too." ]
	[ "${lines[3]}" = "man quotes: $page: a single quote closes that was not open: A stray’ close." ]
	[ "${#lines[@]}" -eq 4 ]
	# make check-man runs it on every page
	grep -q 'scripts/check-man-quotes \$(MANS)' "$TOP/Makefile"
}

@test "man page examples run: ts-fill(1) first example" {
	# The first literal example of ts-fill(1): its command and its output.
	page="$TOP/man/ts-fill.1"
	block=$(awk '/^\.Bd -literal/ { n++; if (n == 1) { on = 1; next } } /^\.Ed/ { on = 0 } on' "$page" | sed 's/\\e/\\/g')
	cmd=$(printf '%s\n' "$block" | sed -n '1,/[^|]$/p' | sed 's/^\$ //' | tr -d '\n')
	expected=$(printf '%s\n' "$block" | sed '1,/[^|]$/d')
	PATH="${TS_BIN:-$TOP/build/bin}:$PATH"
	run bash -c "$cmd"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "the demo runs the seed job: verdict, anomalous row, pictures" {
	run "$TOP/scripts/demo"
	[ "$status" -eq 0 ]
	[[ "$output" == *"verdict: ANOMALY in the last hour (exit 1)"* ]]
	# The verdict reads every stage's status with case, never || alone.
	grep -q '^case \$detect:\$upstream in$' "$TOP/scripts/demo"
	! grep -q '|| *status=' "$TOP/scripts/demo"
	[[ "$output" == *"2018-05-27T23:00:00Z,api,52,"*",1,above forecast (p "*")"* ]]
	for p in forecast anomalies components; do
		[ "$(head -c 8 "$TOP/demo/$p.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
	done
}

@test "README pipeline examples run on the bundled data" {
	readme="$TOP/README.md"
	block=$(awk '/^<!-- example:pipeline -->/ { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$readme")
	first=$(printf '%s\n' "$block" | sed -n 's/^\$ //p' | head -n 1)
	expected=$(printf '%s\n' "$block" | sed -n '2p')
	cd "$TOP"
	PATH="${TS_BIN:-$TOP/build/bin}:$PATH"
	run bash -c "$first"
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		run --separate-stderr bash -c "set -o pipefail; $cmd"
		# ts-detect exits 1 when it finds anomalies: that is success here.
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || { echo "$cmd: $status $stderr"; false; }
		[ "$(printf '%s\n' "$output" | wc -l)" -gt 2 ] || { echo "$cmd: too little output"; false; }
	done < <(printf '%s\n' "$block" | sed -n 's/^\$ //p' | tail -n +2)
	[ "$n" -eq 6 ]
}

# readme_block NAME: the sh block after <!-- example:NAME --> in the README.
readme_block() {
	awk -v m="<!-- example:$1 -->" '$0 == m { on = 1; next } on && /^```sh$/ { next } on && /^```$/ { exit } on' "$TOP/README.md"
}

@test "README cron jobs run: bash with pipefail and plain sh tell an alert from trouble" {
	cd "$TOP"
	PATH="${TS_BIN:-$TOP/build/bin}:$PATH"
	bash_job=$(readme_block cron-bash)
	sh_job=$(readme_block cron-sh)
	[ -n "$bash_job" ] && [ -n "$sh_job" ]
	! grep -q '|| *mail\|||  *echo' "$TOP/README.md"
	run bash -c "$bash_job"
	[ "$status" -eq 0 ]
	[ "$output" = "alert: errors above forecast" ]
	run sh -c "$sh_job"
	[ "$status" -eq 0 ]
	[ "$output" = "alert: errors above forecast" ]
	# A failed export (no bytes) and a dead feed (a header only) are trouble, not all clear.
	: > "$BATS_TEST_TMPDIR/empty.csv"
	echo '@timestamp,service,errors' > "$BATS_TEST_TMPDIR/header.csv"
	run --separate-stderr bash -c "${bash_job//tests\/data\/demo\/errors.csv/$BATS_TEST_TMPDIR/empty.csv}"
	[ "$output" = "trouble: the job failed, see its messages" ]
	[[ "$stderr" == "ts-fill: $BATS_TEST_TMPDIR/empty.csv: no input: did the previous command fail?"* ]]
	run --separate-stderr sh -c "${sh_job//tests\/data\/demo\/errors.csv/$BATS_TEST_TMPDIR/empty.csv}"
	[ "$output" = "trouble: fill 2, forecast 2, detect 2" ]
	run --separate-stderr bash -c "${bash_job//tests\/data\/demo\/errors.csv/$BATS_TEST_TMPDIR/header.csv}"
	[ "$output" = "trouble: the job failed, see its messages" ]
	[[ "$stderr" == *"ts-detect: <stdin>: no data rows: nothing to judge" ]]
	run --separate-stderr sh -c "${sh_job//tests\/data\/demo\/errors.csv/$BATS_TEST_TMPDIR/header.csv}"
	[ "$output" = "trouble: fill 0, forecast 0, detect 2" ]
}

@test "the hostile-input corpus is what its generator writes" {
	run "$TOP/tests/data/hostile/gen" "$BATS_TEST_TMPDIR/hostile"
	[ "$status" -eq 0 ]
	for f in "$TOP"/tests/data/hostile/*; do
		case $f in */gen | */SOURCE.md) continue ;; esac
		cmp "$f" "$BATS_TEST_TMPDIR/hostile/$(basename "$f")"
	done
	[ "$(ls "$BATS_TEST_TMPDIR/hostile" | wc -l)" -eq "$(($(ls "$TOP/tests/data/hostile" | wc -l) - 2))" ]
}
