-- __eq: called only for two tables with the same metamethod
local eqmt = {__eq = function(a, b) return a.id == b.id end}
local a = setmetatable({id = 1}, eqmt)
local b = setmetatable({id = 1}, eqmt)
local c = setmetatable({id = 2}, eqmt)
print(a == b, a ~= b, a == c, a ~= c)
print(a == 1, a == "x", rawequal(a, b), rawequal(a, a))
local other = setmetatable({id = 1}, {__eq = function() return true end})
print(a == other)
local plain = {id = 1}
print(a == plain, plain == a)
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local truthy2 = setmetatable({}, getmetatable(truthy))
print(truthy == truthy2)
