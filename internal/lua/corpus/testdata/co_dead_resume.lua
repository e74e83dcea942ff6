-- resuming dead, running and non-suspended coroutines
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
local self
self = coroutine.create(function() return coroutine.resume(self) end)
print(coroutine.resume(self))
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function() return coroutine.resume(outer) end)
  return coroutine.resume(inner)
end)
print(coroutine.resume(outer))
print(pcall(function() local r = table.pack(coroutine.resume(42)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(coroutine.create(42)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(coroutine.status(nil)) return table.unpack(r, 1, r.n) end))
