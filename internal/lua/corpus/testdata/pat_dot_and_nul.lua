-- . matches any byte including \0 and newlines; %z and literal \0 in patterns
local s = "a\0b\nc"
print(#s, select(2, s:gsub(".", "")))
print(s:find("\0", 1, true))
print(s:find("%z"))
print(s:find("[%z]"))
print(s:find("\0b"))
print((s:gsub("%z", "0")))
print((s:gsub("\n", "N")))
print(("\0\0"):match("^\0+$") == "\0\0")
