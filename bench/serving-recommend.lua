-- wrk script: POST /recommendations for random riders of a simulated world (rider-0001 … rider-N).
local riders = tonumber(os.getenv("RIDERS") or "50000")
local counter = 0

-- THINK_MS > 0: each connection pauses a random time (exponential, mean THINK_MS) before each request, so the
-- load is set by the pauses rather than by how fast the server answers (see bench/serving-bench.sh).
local think = tonumber(os.getenv("THINK_MS") or "0")
if think > 0 then
  function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
  end
  function delay()
    return -math.log(1 - math.random()) * think
  end
end
request = function()
  counter = counter + 1
  local id = string.format("rider-%04d", (counter * 7919) % riders + 1)
  return wrk.format("POST", "/recommendations", {["Content-Type"] = "application/json"},
    '{"userId":"' .. id .. '","limit":10}')
end
