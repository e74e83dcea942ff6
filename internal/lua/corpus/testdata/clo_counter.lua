-- closures keep private state; each call of the factory gets its own upvalue
local function counter(start)
  local n = start or 0
  return function(step) n = n + (step or 1) return n end, function() return n end
end
local inc1, get1 = counter()
local inc2, get2 = counter(100)
inc1() inc1() inc1(5)
inc2(-1)
print(get1(), get2(), inc1(), inc2())
