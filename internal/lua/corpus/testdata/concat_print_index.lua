-- print receiving a concatenation then a metamethod-produced value
local t = setmetatable({}, {__index = function(_, k) return "idx:" .. k end})
local x = 5
print("A" .. x, "B", "C", t.k)
print("v=" .. x, t.first, "mid", t.second)
for i = 1, 3 do print("i" .. i, "B", t["k" .. i]) end
