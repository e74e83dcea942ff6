-- table.insert and table.remove at positions, and their error cases
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
table.insert(t, 1, "start")
table.insert(t, #t + 1, "end")
print(#t, table.concat(t, " "))
print(table.remove(t), table.remove(t, 1), table.concat(t, " "))
print(table.remove(t, 2), table.concat(t, " "))
print(table.remove({}), table.remove({}, 0), #t)
print(pcall(table.insert, t, 10, "x"))
print(pcall(table.insert, t, 0, "x"))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t))
print(pcall(table.remove, t, 10))
local u = {1, 2, 3}
print(table.remove(u, #u + 1), #u)
local q = {}
for i = 1, 5 do table.insert(q, 1, i) end
print(table.concat(q, ","))
while #q > 0 do table.remove(q) end
print(#q)
