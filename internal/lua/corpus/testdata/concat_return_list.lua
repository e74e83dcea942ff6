-- return lists and multiple assignment with a concatenation before a metamethod
local t = setmetatable({}, {__index = function(_, k) return k .. "!" end})
local x = "x"
local function g() return "A" .. x, "B", "C", t.k end
print(g())
local a, b, c, d = "A" .. x, "B", "C", t.k
print(a, b, c, d)
local p, q
p, q = x .. x, t.z
print(p, q)
