-- concatenation followed by a __unm metamethod in the same expression list
local t = setmetatable({}, {__unm = function() return "negated" end})
local function f(...) return ... end
local x = "x"
print(f("A" .. x, "B", "C", -t))
local r = {"A" .. x, "B", -t}
print(r[1], r[2], r[3])
