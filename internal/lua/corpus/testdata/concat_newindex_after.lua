-- a __newindex function called after a concatenation in the same statement sequence
local log = {}
local t = setmetatable({}, {__newindex = function(tbl, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(tbl, k, v) end})
local x = "x"
local a, b, c = "A" .. x, "B", "C"
t.k = "A" .. x
t.j = a .. b .. c
local function f(p, q, r) t[p] = q .. r return p, q, r end
print(f("m" .. x, "B", "C"))
print(table.concat(log, " "), a, b, c)
for i = 1, 3 do t["n" .. i] = "v" .. i end
print(#log, t.n1, t.n2, t.n3)
