# SPDX-License-Identifier: GPL-3.0-or-later
# gen.awk: the demo's hourly error counts: 3 weeks, daily and weekly pattern,
# Poisson noise, two incidents, and the gaps an export has where nothing happened.
# Run: awk -v seed=7 -f gen.awk > errors.csv  (the committed file was made with mawk 1.3.4)
function poisson(lambda,   l, k, p) {
	if (lambda > 30)
		return int(lambda + sqrt(lambda) * normal() + 0.5)
	l = exp(-lambda); k = 0; p = 1
	do { k++; p *= rand() } while (p > l)
	return k - 1
}
function normal() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
BEGIN {
	srand(seed)
	start = 1525651200			# 2018-05-07 00:00:00 UTC, a Monday
	hours = 21 * 24
	print "@timestamp,service,errors"
	for (h = 0; h < hours; h++) {
		t = start + 3600 * h
		hod = h % 24
		dow = int(h / 24) % 7		# 0 = Monday
		# Busy in the working day, quiet at night and at weekends.
		daily = 0.25 + 0.75 * exp(-((hod - 14) ^ 2) / 18)
		weekly = dow >= 5 ? 0.35 : 1
		lambda = 40 * daily * weekly + 0.5
		if (h >= 9 * 24 + 10 && h < 9 * 24 + 13)	# incident 1: a bad deploy, 3 hours
			lambda *= 6
		if (h == hours - 1)				# incident 2: the hour being checked
			lambda *= 12
		n = poisson(lambda)
		if (n == 0)
			continue			# the export omits empty hours
		if (h % 97 == 50)
			continue			# and lost a few hours outright
		printf "%s,api,%d\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), n
	}
}
