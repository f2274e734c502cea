# gen.awk: tests/data/demo/errors.csv (hourly, May 2018, UTC) as the
# response Elasticsearch 7 gives to a terms aggregation on service with a
# date_histogram (fixed_interval 1h, min_doc_count 1) under it: api as
# recorded, web clean (the counts plus 3, its final hour the one a day
# before). Terms buckets come by doc_count, largest first, as ES orders them.
BEGIN { FS = "," }
NR == 1 { next }
{
	n++
	ts[n] = $1
	t[n] = 1525651200 + ((substr($1, 9, 2) - 7) * 24 + substr($1, 12, 2)) * 3600
	api[n] = $3
}
function buckets(name, v, total,   i) {
	printf "        {\n          \"key\": \"%s\",\n          \"doc_count\": %d,\n", name, total
	printf "          \"per_hour\": {\n            \"buckets\": [\n"
	for (i = 1; i <= n; i++)
		printf "              { \"key_as_string\": \"%s.000Z\", \"key\": %d000, \"doc_count\": %d }%s\n",
		    substr(ts[i], 1, 19), t[i], v[i], i < n ? "," : ""
	printf "            ]\n          }\n        }"
}
END {
	for (i = 1; i <= n; i++) {
		web[i] = (i == n ? api[i - 24] : api[i]) + 3
		api_total += api[i]
		web_total += web[i]
	}
	print "{"
	print "  \"took\": 41,"
	print "  \"timed_out\": false,"
	print "  \"_shards\": { \"total\": 3, \"successful\": 3, \"skipped\": 0, \"failed\": 0 },"
	print "  \"hits\": { \"total\": { \"value\": 10000, \"relation\": \"gte\" }, \"max_score\": null, \"hits\": [] },"
	print "  \"aggregations\": {"
	print "    \"by_service\": {"
	print "      \"doc_count_error_upper_bound\": 0,"
	print "      \"sum_other_doc_count\": 0,"
	print "      \"buckets\": ["
	buckets("web", web, web_total)
	print ","
	buckets("api", api, api_total)
	print ""
	print "      ]"
	print "    }"
	print "  }"
	print "}"
}
