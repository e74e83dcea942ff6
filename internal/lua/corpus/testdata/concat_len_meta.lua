-- concatenation followed by a __len metamethod in the same expression list
local t = setmetatable({}, {__len = function() return 42 end})
local function f(...) return select("#", ...), ... end
local x = "x"
print(f("A" .. x, "B", "C", #t))
local a, b, c = "A" .. x, "B", #t
print(a, b, c)
local r = {"A" .. x, "B", "C", #t}
print(r[1], r[2], r[3], r[4])
