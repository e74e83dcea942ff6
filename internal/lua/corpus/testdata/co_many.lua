-- many coroutines alive at once, finished in reverse order
local cos = {}
for i = 1, 50 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local sum = 0
for i = 1, 50 do local _, v = coroutine.resume(cos[i], i) sum = sum + v end
print(sum)
for i = 50, 1, -1 do local _, v = coroutine.resume(cos[i], 1) sum = sum + v end
print(sum)
local dead = 0
for i = 1, 50 do if coroutine.status(cos[i]) == "dead" then dead = dead + 1 end end
print(dead)
