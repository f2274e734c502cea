#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# recipes: getting data in, as the README shows it: a real Prometheus server
# backfilled and queried over HTTP, and a recorded Elasticsearch response,
# each through jq into the alert job.

bats_require_minimum_version 1.5.0
load helper

README="$BATS_TEST_DIRNAME/../../README.md"

# readme_block NAME: the shell lines of the README block after <!-- example:NAME -->.
readme_block() {
	awk -v mark="<!-- example:$1 -->" '$0 == mark { on = 1; next }
		on && /^```sh$/ { next } on && /^```$/ { exit } on' "$README"
}

# need TOOL...: skip, with the reason, when a tool is missing.
need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			skip "$tool is not installed (scripts/install-deps installs it for make check)"
	done
}

# start_prometheus DIR: a Prometheus server on a free loopback port, its
# storage the blocks in DIR/tsdb, scraping nothing; sets PROM (its URL) and
# PROM_PID. A port another process takes first is tried again elsewhere.
start_prometheus() {
	local dir=$1 port try i
	printf 'scrape_configs: []\n' > "$dir/prometheus.yml"
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		# something already listens there: try another
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" \
			--storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
			--log.level=warn > "$dir/prometheus.log" 2>&1 3>&- &
		PROM_PID=$!
		PROM="http://127.0.0.1:$port"
		for i in $(seq 1 600); do
			kill -0 "$PROM_PID" 2>/dev/null || break
			curl -sf "$PROM/-/ready" > /dev/null 2>&1 && return 0
			sleep 0.1
		done
		stop_prometheus
	done
	cat "$dir/prometheus.log" >&2
	echo "prometheus did not start" >&2
	return 1
}

stop_prometheus() {
	if [ -n "${PROM_PID:-}" ]; then
		kill "$PROM_PID" 2>/dev/null || true
		wait "$PROM_PID" 2>/dev/null || true
		PROM_PID=
	fi
}

teardown() {
	stop_prometheus
}

@test "Prometheus recipe (README): a real server, backfilled, queried over HTTP; the alert job flags the planted spike only" {
	need prometheus promtool jq curl
	dir=$BATS_TEST_TMPDIR
	# 744h: a month per block (the default makes one block per hour here)
	promtool tsdb create-blocks-from openmetrics --max-block-duration=744h \
		"$DATA/prometheus/errors.om" "$dir/tsdb" > "$dir/promtool.log" 2>&1 ||
		promtool tsdb create-blocks-from openmetrics "$DATA/prometheus/errors.om" "$dir/tsdb" \
			> "$dir/promtool.log" 2>&1 || { cat "$dir/promtool.log"; false; }
	start_prometheus "$dir"
	# the server holds three labelled series
	run curl -s "$PROM/api/v1/series" --data-urlencode 'match[]=app_errors'
	[ "$(printf '%s' "$output" | jq -r '[.data[].service] | sort | join(" ")')" = "api db web" ]

	block=$(readme_block prometheus)
	[ -n "$block" ]
	# The export, as the recipe's curl and jq give it: long format, every
	# sample of every series.
	export_cmd=$(printf '%s\n' "$block" | sed '/@csv/q' | sed '$s/ *\\$//')
	run --separate-stderr bash -c "PROM='$PROM'; $export_cmd"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '"service","ds","y"' ]
	[ "${#lines[@]}" -eq $((3 * 498 + 1)) ]
	[ "${lines[1]}" = '"api","2018-05-07T00:00:00Z","7"' ]
	[ "$(printf '%s\n' "$output" | grep -c '^"db",')" -eq 498 ]

	# The whole recipe: ts-detect exits 1 and prints the one anomalous row,
	# api's final hour; web and db, clean, are not flagged.
	run --separate-stderr bash -c "PROM='$PROM'; set -o pipefail; $block"
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "service,ds,y,yhat,yhat_lower,yhat_upper,anomaly,score,expected,lower,upper,reason" ]
	[ "$(printf '%s\n' "${lines[1]}" | cut -d, -f1-3,7)" = "api,2018-05-27T23:00:00Z,52,1" ]
	case ${lines[1]} in *",above forecast (p "*) ;; *) false ;; esac
}

@test "Elasticsearch recipe (README): a recorded date_histogram response through jq into the alert job" {
	need jq
	block=$(readme_block elasticsearch)
	[ -n "$block" ]
	# The README's curl writes response.json; here it is the recorded one.
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/elasticsearch/errors-by-service.json" response.json
	after_curl=$(printf '%s\n' "$block" | sed '1,/> response.json$/d')
	[ -n "$after_curl" ]
	run --separate-stderr bash -c "set -o pipefail; $after_curl"
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "service,@timestamp,errors,yhat,yhat_lower,yhat_upper,anomaly,score,expected,lower,upper,reason" ]
	[ "$(printf '%s\n' "${lines[1]}" | cut -d, -f1-3,7)" = "api,2018-05-27T23:00:00.000Z,52,1" ]
	# the export itself: both services, every bucket, the key's text as ES wrote it
	run bash -c "$(printf '%s\n' "$after_curl" | sed '/@csv/q' | sed '$s/ *\\$//')"
	[ "${lines[0]}" = '"service","@timestamp","errors"' ]
	[ "${lines[1]}" = '"web","2018-05-07T00:00:00.000Z",10' ]
	[ "${#lines[@]}" -eq $((2 * 498 + 1)) ]
}
