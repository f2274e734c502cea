# SPDX-License-Identifier: GPL-3.0-or-later
# helper: shared setup for the bats CLI tests: where the binaries are, and
# a hostile environment (decimal-comma locale if any, a DST time zone).

TS_BIN=${TS_BIN:-$BATS_TEST_DIRNAME/../../build/bin}
PATH="$TS_BIN:$PATH"
DATA="$BATS_TEST_DIRNAME/../data"

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
