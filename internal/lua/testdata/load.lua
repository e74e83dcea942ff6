local f = load("return 1 + 1")
print(f())
print(load("syntax error here"))
print(load("return ...", "=chunk")(1, 2, 3))
local parts = {"return ", "'a' .. ", "'b'"}
local i = 0
print(load(function() i = i + 1 return parts[i] end)())
print(load("x = 1", "=c", "b"))
print(load("return 5", "=c", "t")())
local env = {y = 7}
local g = load("y = y + 1 return y", "=env", "t", env)
print(g(), env.y)
print(pcall(load("error('in chunk')", "=named")))
print(pcall(load("error('in chunk')")))
print(pcall(load("local x = nil; return x.f", "@file.lua")))
local h = load("return z", "=nilenv", "t", nil)
print(pcall(h))
print(type(load(function() return nil end)))
print(pcall(load, function() return {} end))
local t = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
local x = "x"
print(load([[local t, x = ...
local function f(...) local s = "" for i = 1, select('#', ...) do s = s .. tostring((select(i, ...))) .. "|" end return s end
return f("A" .. x, "B", "C", t.k)]])(t, x))
