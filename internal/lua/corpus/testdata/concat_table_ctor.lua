-- table constructors mixing concatenation and __index calls
local t = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
local x = "x"
local r = {"A" .. x, "B", "C", t.k}
print(#r, r[1], r[2], r[3], r[4])
local s = {a = "A" .. x, b = "B", c = t.c, d = "D"}
print(s.a, s.b, s.c, s.d)
local u = {"1" .. x, t.p, "2" .. x, t.q}
print(table.concat(u, ","))
