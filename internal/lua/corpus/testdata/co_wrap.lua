-- coroutine.wrap as a generator; calling a dead wrapped coroutine errors
local gen = coroutine.wrap(function(n)
  for i = 1, n do coroutine.yield(i, i * i) end
  return "end"
end)
print(gen(3))
print(gen())
print(gen())
print(gen())
local ok, err = pcall(gen)
print(ok, err)
