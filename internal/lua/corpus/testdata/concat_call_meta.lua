-- concatenation followed by a __call metamethod and __eq / __lt in an argument list
local callable = setmetatable({}, {__call = function(_, a) return "called:" .. tostring(a) end})
local eq = {__eq = function() return true end, __lt = function() return true end}
local e1, e2 = setmetatable({}, eq), setmetatable({}, eq)
local function f(...) return ... end
local x = "x"
print(f("A" .. x, "B", "C", callable(1)))
print(f("A" .. x, "B", "C", e1 == e2, e1 < e2))
