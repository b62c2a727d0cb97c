-- wrk script for the benches: prints one machine-readable line at the end of a run,
-- "RESULT requests/s p50_ms p95_ms p99_ms errors requests" (errors: sockets, time-outs and any
-- answer that is not 2xx or 3xx).
-- With BENCH_QUERIES set (URL-encoded queries separated by spaces), each request searches for
-- the next one, so a search run is not one query repeated. With BENCH_PATHS set (a file, one
-- path a line), each request asks for the next path of the file, each thread starting at its
-- own place (BENCH_THREADS threads). BENCH_COOKIE, when set, goes with every request.
local queries = {}
for word in string.gmatch(os.getenv("BENCH_QUERIES") or "", "%S+") do
  table.insert(queries, word)
end
local next_query = 0

local cookie = os.getenv("BENCH_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end

local started = 0
setup = function(thread)
  thread:set("thread_number", started)
  started = started + 1
end

init = function(args)
  paths = {}
  local file = os.getenv("BENCH_PATHS")
  if file then
    for line in io.lines(file) do
      table.insert(paths, line)
    end
  end
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  next_path = math.floor((thread_number or 0) * #paths / threads)
end

request = function()
  if #paths > 0 then
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
  end
  if #queries == 0 then
    return wrk.format("GET")
  end
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/recherche?q=" .. queries[next_query])
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.0f %.3f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, summary.requests))
end
