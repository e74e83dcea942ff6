-- string literal escapes in Lua 5.2: decimal, hex, \z, long brackets
print("a\tb", "line1\nline2")
print("\65\066\0677", "\x41\x42\x7a")
-- (\u{XXX} escapes are LuaJIT's: see luajit/lj_syntax.lua)
print(load([[return "\q"]]))
print(load([[return "\300"]]))
local z = "abc\z
           def"
print(z)
print([[long
string]], [==[with ]] inside]==])
print([[
first newline skipped]])
print(#"\0", #"\000", #"\x00", "\\", "\"", '\'', "\a\b\f\v" == "\7\8\12\11")
