-- coroutines share upvalues with the code that created them
local counter = 0
local co = coroutine.wrap(function()
  while true do
    counter = counter + 1
    coroutine.yield(counter)
  end
end)
print(co(), co(), counter)
counter = 100
print(co(), counter)
local function accumulator()
  local sum = 0
  return coroutine.wrap(function(x)
    while true do sum = sum + x; x = coroutine.yield(sum) end
  end)
end
local acc = accumulator()
print(acc(1), acc(2), acc(3))
