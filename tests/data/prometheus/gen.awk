# gen.awk: tests/data/demo/errors.csv (hourly, May 2018, UTC) as OpenMetrics
# text for promtool: api as recorded (the final hour's spike included), web
# and db clean (their final hour the one a day before); one family, series
# one after another, each in time order.
BEGIN { FS = "," }
NR == 1 { next }
{
	n++
	# 2018-05-07T00:00:00Z is 1525651200; every row is in May 2018
	t[n] = 1525651200 + ((substr($1, 9, 2) - 7) * 24 + substr($1, 12, 2)) * 3600
	v[n] = $3
}
END {
	print "# HELP app_errors errors logged in the hour."
	print "# TYPE app_errors gauge"
	for (i = 1; i <= n; i++)
		print "app_errors{env=\"prod\",service=\"api\"} " v[i] " " t[i]
	for (i = 1; i <= n; i++)
		print "app_errors{env=\"prod\",service=\"web\"} " (i == n ? v[i - 24] : v[i]) + 3 " " t[i]
	for (i = 1; i <= n; i++)
		print "app_errors{env=\"prod\",service=\"db\"} " 2 * (i == n ? v[i - 24] : v[i]) " " t[i]
	print "# EOF"
}
