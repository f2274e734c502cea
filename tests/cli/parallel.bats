#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# parallel: the alert job across machines with GNU parallel, as ts(7) shows
# it: an sshd on 127.0.0.1 stands for two hosts, and the job spread over
# them writes the same rows as one process.

bats_require_minimum_version 1.5.0
load helper

# An sshd of the test's own on a free loopback port, with a throwaway host
# key and user key, and an ssh config naming it h1 and h2.
start_sshd() {
	local d=$BATS_TEST_TMPDIR port
	command -v parallel >/dev/null || skip "GNU parallel is not installed (scripts/install-deps installs it)"
	command -v ssh >/dev/null || skip "ssh is not installed (scripts/install-deps installs it)"
	[ -x /usr/sbin/sshd ] || skip "sshd is not installed (scripts/install-deps installs openssh-server)"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$d/user_key"
	cp "$d/user_key.pub" "$d/authorized_keys"
	chmod 600 "$d/authorized_keys"
	# a free port: sshd exits at once when it cannot bind
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 40000))
		write_sshd_config "$d" "$port"
		[ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ] && mkdir -p /run/sshd
		/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" && break
		port=""
	done
	[ -n "$port" ] || skip "sshd does not start here: $(tail -n 3 "$d/sshd.log")"
	cat > "$d/ssh_config" <<-EOF
		Host h1 h2
		  HostName 127.0.0.1
		  Port $port
		  User $(id -un)
		  IdentityFile $d/user_key
		  IdentitiesOnly yes
		  UserKnownHostsFile $d/known_hosts
		  StrictHostKeyChecking no
		  BatchMode yes
		  LogLevel ERROR
	EOF
	for _ in $(seq 50); do
		ssh -F "$d/ssh_config" h1 true 2>/dev/null && return 0
		sleep 0.2
	done
	skip "no login to the test's sshd: $(tail -n 3 "$d/sshd.log")"
}

write_sshd_config() {
	cat > "$1/sshd_config" <<-EOF
		Port $2
		ListenAddress 127.0.0.1
		HostKey $1/host_key
		AuthorizedKeysFile $1/authorized_keys
		PidFile $1/sshd.pid
		StrictModes no
		UsePAM no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PubkeyAuthentication yes
		PermitRootLogin prohibit-password
	EOF
}

teardown() {
	if [ -f "$BATS_TEST_TMPDIR/sshd.pid" ]; then
		kill "$(cat "$BATS_TEST_TMPDIR/sshd.pid")" 2>/dev/null || true
	fi
}

# Eight hourly series of two weeks, sorted by key; m3's last hour spikes.
metrics() {
	cawk 'BEGIN { print "series,ds,y"
		for (s = 0; s < 8; s++) for (i = 0; i < 336; i++) {
			y = 100 + 10 * s + 20 * sin(2 * 3.14159265 * i / 24) + (i * 7919 % 13) - 6
			if (s == 3 && i == 335) y += 200
			printf "m%d,%.0f,%.2f\n", s, 1764547200 + 3600 * i, y } }'
}

@test "the alert job over two hosts with GNU parallel writes what one process writes" {
	local d=$BATS_TEST_TMPDIR job
	start_sshd
	metrics > "$d/metrics.csv"
	job="$TS_BIN/ts-forecast -k series -H 24 | $TS_BIN/ts-detect -k series --last 1h"
	run --separate-stderr bash -c "{ $job; } < '$d/metrics.csv' > '$d/one.csv'"
	[ "$status" -eq 1 ]
	# ts(7)'s many-machine form: blocks of whole series, each with the
	# header, to the installed binaries on each host
	run --separate-stderr parallel --will-cite --joblog "$d/jobs" --pipe --header : --colsep , \
		--group-by series --block 20k -S 1/h1,1/h2 --ssh "ssh -F $d/ssh_config" \
		"$job" < "$d/metrics.csv"
	# parallel's status is the number of jobs that failed: the one with m3
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" > "$d/many.csv"
	# every job ran on one of the two hosts, and both hosts had work
	[ "$(cut -f 2 "$d/jobs" | tail -n +2 | sort -u | tr '\n' ' ')" = "h1 h2 " ]
	[ "$(tail -n +2 "$d/jobs" | wc -l)" -ge 3 ]
	# each job wrote the header; the rows, sorted, are byte for byte the same
	[ "$(grep -c '^series,' "$d/many.csv")" -eq "$(tail -n +2 "$d/jobs" | wc -l)" ]
	{ head -n 1 "$d/one.csv"; tail -n +2 "$d/one.csv" | LC_ALL=C sort; } > "$d/one.sorted"
	{ head -n 1 "$d/one.csv"; grep -v '^series,' "$d/many.csv" | LC_ALL=C sort; } > "$d/many.sorted"
	cmp "$d/one.sorted" "$d/many.sorted"
	# and the spike is there
	[ "$(cawk -F, '$1 == "series" { for (i = 1; i <= NF; i++) if ($i == "anomaly") a = i; next }
		$a == 1 { print $1 }' "$d/many.csv")" = "m3" ]
}
