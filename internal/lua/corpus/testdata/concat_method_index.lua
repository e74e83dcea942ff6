-- method calls on concatenations and on objects whose methods come from __index functions
local obj = setmetatable({}, {__index = function(_, k) return function(self, a) return k .. "(" .. tostring(a) .. ")" end end})
local x = "x"
print(("A" .. x):upper(), "B", obj:m(1), obj:n("A" .. x))
print(string.format("%s %s %s %s", "A" .. x, "B", "C", obj.k and obj:k(2)))
