-- unpack of large ranges and too many results
local t = {}
for i = 1, 1000 do t[i] = i end
local function count(...) return select("#", ...) end
print(count(table.unpack(t)))
print(count(table.unpack(t, 500)))
print(pcall(table.unpack, {}, 1, 1e8))
