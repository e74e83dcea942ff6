-- yielding from inside an __index and __add metamethod
local t = setmetatable({}, {
  __index = function(_, k) return coroutine.yield("need " .. k) end,
  __add = function(a, b) return coroutine.yield("adding") end,
})
local co = coroutine.create(function()
  local v = t.foo
  local s = t + 1
  return v, s
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "FOO"))
print(coroutine.resume(co, 42))
