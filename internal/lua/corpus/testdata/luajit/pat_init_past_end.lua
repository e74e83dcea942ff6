-- string.find and string.match with an init past #s+1 start at #s+1, as LuaJIT does (Lua 5.2
-- returns nil before it looks at the pattern)
local s = "hello hello"
print(s:find("l", 12), s:find("", 12), s:find("", 13), s:find("h", 7.9))
print(pcall(string.find, "abc", "[", 10))
print(string.match("abc", "()", 4), string.match("abc", "()", 10))
print(("abc"):find("", 10), ("abc"):find("", 4), ("abc"):find("x", 10), string.match("abc", "", 10), ("abc"):find("", -10))
print(string.find("", "", 5), string.match("", "()", 3))
