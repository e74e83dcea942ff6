-- concatenation followed by arithmetic metamethods in the same expression list
local mt = {}
mt.__add = function(a, b) return "sum" end
mt.__mul = function(a, b) return "product" end
mt.__sub = function(a, b) return "difference" end
local t = setmetatable({}, mt)
local function f(...) return ... end
local x = "x"
print(f("A" .. x, "B", "C", t + 1))
print(f("A" .. x, "B", "C", 2 * t, t - t))
local a, b, c = "A" .. x, "B", t + t
print(a, b, c)
