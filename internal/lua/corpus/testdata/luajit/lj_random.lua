-- math.random as LuaJIT draws it: the same numbers after the same math.randomseed
math.randomseed(42)
print(math.random(), math.random(100), math.random(5, 10), math.random(0), math.random(-3, 3))
math.randomseed(1.5)
print(math.random(), math.random(1e9))
math.randomseed(0)
print(math.random())
print(pcall(function() local r = math.random(1, 2, 3) return r end), pcall(function() local r = math.random(5, 1) return r end))
math.randomseed(12345)
local t = {}
for i = 1, 8 do t[i] = math.random(1000) end
print(table.concat(t, " "))
math.randomseed(-7.25)
print(math.random(), math.random(2^40))
print(pcall(function() local r = math.randomseed() return r end), pcall(function() local r = math.random("x") return r end))
