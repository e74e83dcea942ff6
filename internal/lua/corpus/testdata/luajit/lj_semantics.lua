local a = {} local i = 1
i, a[i] = i + 1, 20
print(i, a[1], a[2])
local x, y = 1
print(x, y)
local t = {}
t.x, t.y, t.x = 1, 2, 3
print(t.x, t.y)
local function f(...) return select("#", ...), ... end
print(f(nil, nil))
print((f(1, 2)))
local s = 0
for k = 1, 3 do local k2 = k k = k * 10 s = s + k end
print(s)
local fns = {}
for k = 1, 3 do fns[k] = function() return k end end
print(fns[1](), fns[3]())
local n = 0
while true do n = n + 1 if n > 3 then break end end
print(n)
repeat local z = 5 until z == 5
print("repeat ok")
print(#{n = 1, 1, 2, 3}, #"abc" + 1, -2 ^ 2, 2 ^ -1, not nil == true)
print(1 == 1.0, "1" == 1, 0.1 + 0.2 == 0.3, math.max(0/0, 1) ~= math.max(0/0, 1))
print(("%5.2f"):format(-0.001), 3 % -2, -3 % 2, 5.5 % 2)
print(string.format("%g %g %g", 1e15, 1e16, 123456789012))
