-- The benchmark's load in wrk: each connection repeats one request, with the next account's token each time.
--   wrk -t2 -c500 -d20s --timeout 60s -s src/load/scripts/wrk.lua http://127.0.0.1:8080 -- TOKENS [COUPON_ID [line]]
-- TOKENS is a file with one "Bearer ..." header value per line. With COUPON_ID: POST /api/v1/user-coupon for
-- that coupon; with COUPON_ID and "line": POST /api/v1/coupons/COUPON_ID/line, a place in its waiting line;
-- without: GET /api/v1/auth/ping, the authenticated endpoint that does no database work. With one thread (-t1)
-- every token is used once before any is used again.
-- At the end it prints "wrk-*" lines (answers by status and reason, latency in microseconds) that
-- WrkResult.java reads; wrk's own summary above them is for people.

tokens = {}
answers = {}
sent = 0
local next_token = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or error("usage: wrk ... -s wrk.lua URL -- TOKENS_FILE [COUPON_ID [line]]")
  for line in io.lines(file) do
    if line ~= "" then
      tokens[#tokens + 1] = line
    end
  end
  if #tokens == 0 then
    error("no tokens in " .. file)
  end
  if args[2] and args[3] == "line" then
    wrk.method = "POST"
    wrk.path = "/api/v1/coupons/" .. tonumber(args[2]) .. "/line"
    wrk.headers["Content-Length"] = "0"
  elseif args[2] then
    wrk.method = "POST"
    wrk.path = "/api/v1/user-coupon"
    wrk.body = '{"couponId":' .. tonumber(args[2]) .. '}'
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.method = "GET"
    wrk.path = "/api/v1/auth/ping"
  end
  wrk.headers["Accept"] = "application/json"
  -- connections start at different accounts so that no two threads walk the list in step
  next_token = math.random(#tokens)
end

function request()
  next_token = next_token % #tokens + 1
  sent = sent + 1
  wrk.headers["Authorization"] = tokens[next_token]
  return wrk.format()
end

function response(status, headers, body)
  local key = tostring(status)
  if status ~= 200 then
    key = key .. " " .. (body:match('"reason"%s*:%s*"([A-Z_]+)"') or "-")
  end
  answers[key] = (answers[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local total_sent = 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    for key, count in pairs(thread:get("answers")) do
      total[key] = (total[key] or 0) + count
    end
  end
  io.write(string.format("wrk-run seconds=%.3f sent=%d\n", summary.duration / 1e6, total_sent))
  io.write(string.format("wrk-errors connect=%d read=%d write=%d timeout=%d\n", summary.errors.connect,
      summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("wrk-latency mean=%.0f min=%d max=%d p50=%d p90=%d p95=%d p99=%d\n", latency.mean,
      latency.min, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99)))
  for key, count in pairs(total) do
    io.write(string.format("wrk-answer %s %d\n", key, count))
  end
end
