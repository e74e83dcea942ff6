-- %F, which LuaJIT formats (Lua 5.2 refuses it)
print(string.format("[%F][%5.1F][%-8.3F][%+F][%F]", 1.5, 2.25, -3.125, 1/0, -1/0))
print(string.format("%.0F %.2F %F", 0.5, 1e10, 123456789.125))
