-- wrk script for bench/server_pages.py: counts responses outside 2xx and,
-- after the run, prints one line "BENCH {json}" with the request count, the
-- p50/p95/p99 latency (microseconds), the errors wrk counts itself, and the
-- count of non-2xx responses over all threads.
--
-- BENCH_ROTATE_ADDRESS=1 sends every request with its own X-Forwarded-For
-- address (the server runs with BEHIND_TLS_PROXY=1, as behind its reverse
-- proxy): many anonymous clients, each under the open-data rate limit.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

local rotate = os.getenv("BENCH_ROTATE_ADDRESS") == "1"
non2xx = 0
sent = 0

function init(args)
  non2xx = 0
  sent = 0
end

if rotate then
  function request()
    sent = sent + 1
    local address = string.format("10.%d.%d.%d", id, math.floor(sent / 250) % 250, sent % 250 + 1)
    return wrk.format(nil, nil, { ["X-Forwarded-For"] = address })
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"non2xx": %d, "timeouts": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, e.timeout, e.connect, e.read, e.write
  ))
end
