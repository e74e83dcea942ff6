-- many captures and the 32-capture limit
local p = string.rep("(.)", 32)
local s = string.rep("x", 32)
print(select("#", s:match(p)))
print(pcall(string.match, s .. "x", p .. "(.)"))
print(("abcdefghi"):gsub("(.)(.)(.)(.)(.)(.)(.)(.)(.)", "%9%8%7%6%5%4%3%2%1"))
