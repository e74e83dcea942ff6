-- producer/consumer pipeline with a filter
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"alpha", "beta", "gamma", "delta"}) do coroutine.yield(w) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    local n = 1
    while true do
      local ok, v = coroutine.resume(src)
      if not v then break end
      coroutine.yield(n .. ":" .. v)
      n = n + 1
    end
  end)
end
local f = filter(producer())
while true do
  local ok, v = coroutine.resume(f)
  if not v then break end
  print(ok, v)
end
print(coroutine.status(f))
