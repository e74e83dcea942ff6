-- table.getn on sequences
print(table.getn({}), table.getn({1, 2, 3}), table.getn({"a", "b", n = 10}))
local t = {}
for i = 1, 7 do t[i] = i end
print(table.getn(t))
t[7] = nil
print(table.getn(t))
