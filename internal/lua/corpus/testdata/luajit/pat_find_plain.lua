-- string.find with plain search and special characters
local s = "a.b*c+d?e[f]g%h"
print(string.find(s, ".", 1, true))
print(string.find(s, "*", 1, true))
print(string.find(s, "[f]", 1, true))
print(string.find(s, "%h", 1, true))
print(string.find(s, "%", 1, true))
print(string.find(s, "xyz", 1, true))
print(string.find(s, "", 1, true))
print(string.find(s, "", 100, true))
print(string.find("abc", "", 4, true))
print(string.find("abc", "", 5, true))
print(s:find("b*c", 1, true))
