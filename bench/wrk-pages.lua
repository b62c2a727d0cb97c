-- wrk script for bench/publish-under-load: each request asks for the next address of the file
-- named by BENCH_PATHS (one path a line), and every answer's status is counted. Prints one line
-- at the end: "RESULT requests requests/s 5xx other_4xx socket_errors p99_ms".
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    table.insert(paths, line)
  end
  next_path = 0
  server_errors = 0
  client_errors = 0
end

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

response = function(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  end
end

done = function(summary, latency, requests)
  local server, client = 0, 0
  for _, thread in ipairs(threads) do
    server = server + thread:get("server_errors")
    client = client + thread:get("client_errors")
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %.0f %d %d %d %.3f\n", summary.requests,
    summary.requests / (summary.duration / 1e6), server, client,
    e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end
