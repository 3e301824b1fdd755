-- wrk script: POST /recommendations for random riders of a simulated world (rider-0001 … rider-N).
local riders = tonumber(os.getenv("RIDERS") or "50000")
local counter = 0
request = function()
  counter = counter + 1
  local id = string.format("rider-%04d", (counter * 7919) % riders + 1)
  return wrk.format("POST", "/recommendations", {["Content-Type"] = "application/json"},
    '{"userId":"' .. id .. '","limit":10}')
end
