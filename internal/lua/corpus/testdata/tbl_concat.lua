-- table.concat with separators, ranges, numbers and invalid values
local t = {"a", "b", "c", "d"}
print(table.concat(t), table.concat(t, ", "), table.concat(t, "-", 2), table.concat(t, "-", 2, 3))
print(table.concat(t, "-", 3, 2) == "", table.concat({}, "x") == "", table.concat(t, "", 4, 4))
print(table.concat({1, 2.5, "x", 3}, " "))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
print(pcall(table.concat, {true}))
print(pcall(table.concat, {"a"}, ",", 1, 2))
local big = {}
for i = 1, 10000 do big[i] = "x" end
print(#table.concat(big), #table.concat(big, ",."))
