-- yielding across pcall inside a coroutine
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("from inside pcall")
    if got == "fail" then error("failed after yield", 0) end
    return got
  end)
  coroutine.yield(tostring(ok) .. " " .. tostring(v))
  local ok2, v2 = pcall(function()
    coroutine.yield("second")
    error("failed after yield", 0)
  end)
  return ok2, v2
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "value"))
print(coroutine.resume(co))
print(coroutine.resume(co, "fail"))
print(coroutine.status(co))
