# SPDX-License-Identifier: GPL-3.0-or-later
# helper: shared setup for the bats CLI tests: where the binaries are, and
# a hostile environment (decimal-comma locale if any, a DST time zone).

TS_BIN=${TS_BIN:-$BATS_TEST_DIRNAME/../../build/bin}
PATH="$TS_BIN:$PATH"
DATA="$BATS_TEST_DIRNAME/../data"
# ts-forecast --country-holidays reads the calendars of the source tree.
export TS_DATADIR=${TS_DATADIR:-$BATS_TEST_DIRNAME/../../lib}

# Numbers and times must not follow the user's locale or zone.
export TZ=America/New_York
for loc in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
	if locale -a 2>/dev/null | grep -qix "$loc"; then
		export LC_ALL=$loc
		break
	fi
done
unset TS_NOW

# run_stdin INPUT CMD...: run CMD with INPUT on stdin, stdout and stderr kept apart.
run_stdin() {
	local input=$1
	shift
	run --separate-stderr bash -c 'printf "%s" "$0" | "$@"' "$input" "$@"
}

# cawk ARGS...: awk in the C locale, for numbers the test reads or makes.
cawk() { LC_ALL=C awk "$@"; }

# run_out_of_memory CMD...: run CMD on 300,000 rows of three series (k, ds,
# y) under a 30 MB address-space limit, so that it runs out of memory. The
# test is skipped where the limit does not fit: sanitizer builds reserve
# terabytes of shadow memory, and a system whose libraries alone need more.
run_out_of_memory() {
	if ldd "$(command -v "$1")" 2>/dev/null | grep -q libasan; then
		skip "an address-space limit and ASan do not mix"
	fi
	if ! bash -c 'ulimit -v 30000; "$0" --version' "$1" >/dev/null 2>&1; then
		skip "$1 does not start within 30 MB here"
	fi
	cawk 'BEGIN { print "k,ds,y"; for (i = 0; i < 300000; i++)
		printf "%d,%.0f,%d\n", i % 3, 1514764800 + 3600 * int(i / 3), i % 17 }' > "$BATS_TEST_TMPDIR/oom.csv"
	run --separate-stderr bash -c 'ulimit -v 30000; "$@"' _ "$@" "$BATS_TEST_TMPDIR/oom.csv"
}
