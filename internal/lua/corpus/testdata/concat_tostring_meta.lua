-- concatenation followed by tostring with __tostring and by __concat in the same list
local p = setmetatable({}, {__tostring = function() return "P" end, __concat = function(a, b) return "CAT" end})
local function f(...) return ... end
local x = "x"
print(f("A" .. x, "B", "C", tostring(p)))
print(f("A" .. x, "B", "C", p .. "s", "D"))
