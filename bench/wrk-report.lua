-- wrk script for bench/pages: prints one machine-readable line at the end of a run,
-- "RESULT requests/s p50_ms p95_ms p99_ms errors". With BENCH_QUERIES set (words separated by
-- spaces), each request searches for the next word, so a search run is not one query repeated.
local queries = {}
for word in string.gmatch(os.getenv("BENCH_QUERIES") or "", "%S+") do
  table.insert(queries, word)
end
local next_query = 0

request = function()
  if #queries == 0 then
    return wrk.format("GET")
  end
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/recherche?q=" .. queries[next_query])
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.0f %.3f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
