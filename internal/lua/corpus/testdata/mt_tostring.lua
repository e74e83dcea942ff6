-- __tostring used by tostring, print and string.format %s; __name is not used in 5.2
local P = {__tostring = function(p) return "Point(" .. p.x .. ", " .. p.y .. ")" end}
local p = setmetatable({x = 1, y = 2}, P)
print(p)
print(tostring(p))
print(string.format("%s and %s", p, p))
print(pcall(tostring, setmetatable({}, {__tostring = function() return 42 end})))
local nested = setmetatable({}, {__tostring = function() return tostring(p) .. "!" end})
print(nested)
