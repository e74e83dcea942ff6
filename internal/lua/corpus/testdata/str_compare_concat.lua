-- string comparison, concatenation of mixed values, long concatenations
print("a" .. "b" .. "c", "x" .. 1 .. 2, 1 .. "", "" .. 0.5)
local parts = {}
for i = 1, 10 do parts[#parts + 1] = i end
local s = ""
for i = 1, 10 do s = s .. i .. (i < 10 and "," or "") end
print(s, s == table.concat(parts, ","))
print(("abc") < ("abd"), ("abc") < ("ab"), ("") < ("\0"), ("A") < ("a"))
local long = string.rep("x", 100) .. string.rep("y", 100)
print(#long, long:sub(99, 102))
