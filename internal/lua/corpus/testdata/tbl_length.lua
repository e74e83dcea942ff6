-- length of sequences, after removals, and of strings
local t = {1, 2, 3}
print(#t)
t[#t + 1] = 4
print(#t)
t[#t] = nil
print(#t)
local s = {}
for i = 1, 100 do s[i] = i end
for i = 100, 51, -1 do s[i] = nil end
print(#s)
print(#{n = 1}, #{"a", "b", n = 3})
print(select("#", table.unpack({1, 2, 3})))
