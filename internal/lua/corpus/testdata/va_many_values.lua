-- many return values and arguments
local t = {}
for i = 1, 200 do t[i] = i end
local function count(...) return select("#", ...) end
print(count(table.unpack(t)))
local function sumall(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s end
print(sumall(table.unpack(t)))
print(select(199, table.unpack(t)))
print(math.max(table.unpack(t)), math.min(table.unpack(t)))
