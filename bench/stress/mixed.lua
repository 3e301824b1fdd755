-- wrk script for bench/stress-load.sh: a mix of 70 % POST /recommendations, 20 % GET /traces/{requestId} of
-- answers this thread received, 10 % POST /events (event ids from a bounded pool, so the server's duplicate
-- filter stays bounded and RSS measures leaks, not caches filling up). Counts non-2xx answers per route.
local riders = tonumber(os.getenv("RIDERS") or "2000")
local places = tonumber(os.getenv("PLACES") or "200")
local threads = {}
local counter = 0
local seen = {}      -- ring of request ids this thread was answered with
local seenCount = 0
-- Globals, not locals: done() reads them from each thread's Lua state with thread:get (scalars only).
answers_recommend, answers_trace, answers_events = 0, 0, 0
failures_recommend, failures_trace, failures_events = 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

local function recommend()
  local id = string.format("rider-%04d", (counter * 7919) % riders + 1)
  return wrk.format("POST", "/recommendations", { ["Content-Type"] = "application/json" },
    '{"userId":"' .. id .. '","limit":10}')
end

request = function()
  counter = counter + 1
  local slot = counter % 10
  if slot < 7 or seenCount == 0 then
    return recommend()
  elseif slot < 9 then
    local id = seen[(counter * 31) % math.min(seenCount, 1000) + 1]
    -- Traces name riders: they need a key (the admin key works as well as the viewer key).
    return wrk.format("GET", "/traces/" .. id, { ["x-api-key"] = os.getenv("MODEL_ADMIN_API_KEY") or "" })
  else
    local n = counter % 20000
    local body = string.format(
      '{"events":[{"eventId":"stress-%d","type":"ride","userId":"rider-%04d","itemId":"place-%04d","timestamp":%d}]}',
      n, n % riders + 1, n % places + 1, os.time())
    return wrk.format("POST", "/events", { ["Content-Type"] = "application/json" }, body)
  end
end

response = function(status, headers, body)
  local kind
  if body:find('"deploymentGeneration"', 1, true) then
    kind = "trace"
  elseif body:find('"accepted"', 1, true) then
    kind = "events"
  else
    kind = "recommend"
  end
  _G["answers_" .. kind] = _G["answers_" .. kind] + 1
  if status < 200 or status > 299 then
    _G["failures_" .. kind] = _G["failures_" .. kind] + 1
    return
  end
  if kind == "recommend" then
    local id = body:match('"requestId":"([^"]+)"')
    if id then
      seenCount = seenCount + 1
      seen[(seenCount - 1) % 1000 + 1] = id
    end
  end
end

done = function(summary, latency, requests)
  local total = { recommend = 0, trace = 0, events = 0 }
  local bad = { recommend = 0, trace = 0, events = 0 }
  for _, thread in ipairs(threads) do
    for _, kind in ipairs({ "recommend", "trace", "events" }) do
      total[kind] = total[kind] + thread:get("answers_" .. kind)
      bad[kind] = bad[kind] + thread:get("failures_" .. kind)
    end
  end
  for _, kind in ipairs({ "recommend", "trace", "events" }) do
    io.write(string.format("route %s answers %d non2xx %d\n", kind, total[kind], bad[kind]))
  end
  io.write(string.format("latency p50_ms %.2f p99_ms %.2f max_ms %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
