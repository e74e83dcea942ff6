-- patterns over long subjects stay correct
local s = string.rep("ab", 5000) .. "c"
print(#s)
print(s:find("c"))
print(s:find("abc"))
print(select(2, s:gsub("ab", "")))
print(#s:match("^(.-)c$"))
local n = 0
for _ in s:gmatch("b") do n = n + 1 end
print(n)
print(s:find("ba", 9999))
print(#(s:gsub("a", "xyz")))
