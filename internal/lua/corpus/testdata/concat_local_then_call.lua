-- a concatenated local followed by a call whose arguments trigger __index
local t = setmetatable({}, {__index = function(_, k) return k:upper() end})
local function f(a, b, c, d) return a, b, c, d end
local x = "x"
local y = "A" .. x
print(6, f(y, "B", "C", t.k))
local z = x .. "1" .. x
print(7, f(z, z, "C", t.key))
