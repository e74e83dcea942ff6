-- coroutines resuming coroutines, values flowing through each level
local function make(name, child)
  return coroutine.create(function(x)
    for i = 1, 2 do
      if child then
        local ok, v = coroutine.resume(child, x .. ">" .. name)
        x = coroutine.yield(name .. "(" .. tostring(v) .. ")")
      else
        x = coroutine.yield(name .. "[" .. x .. "]")
      end
    end
    return name .. " done"
  end)
end
local c = make("c")
local b = make("b", c)
local a = make("a", b)
print(coroutine.resume(a, "s"))
print(coroutine.resume(a, "t"))
print(coroutine.resume(a, "u"))
print(coroutine.status(a), coroutine.status(b), coroutine.status(c))
