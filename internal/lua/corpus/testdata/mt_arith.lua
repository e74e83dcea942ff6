-- arithmetic metamethods with tables on either side
local mt = {}
local function V(n) return setmetatable({n = n}, mt) end
local function val(x) return type(x) == "table" and x.n or x end
mt.__add = function(a, b) return V(val(a) + val(b)) end
mt.__sub = function(a, b) return V(val(a) - val(b)) end
mt.__mul = function(a, b) return V(val(a) * val(b)) end
mt.__div = function(a, b) return V(val(a) / val(b)) end
mt.__mod = function(a, b) return V(val(a) % val(b)) end
mt.__pow = function(a, b) return V(val(a) ^ val(b)) end
mt.__tostring = function(a) return "V(" .. a.n .. ")" end
print(tostring(V(2) + V(3)), tostring(V(2) + 1), tostring(1 + V(2)))
print(tostring(V(10) - 4), tostring(10 - V(4)))
print(tostring(V(3) * V(4)), tostring(V(7) / 2), tostring(V(7) % 3), tostring(2 ^ V(10)))
print(tostring((V(1) + 2) * 3 - V(4)))
print(tostring("10" + V(1)))
