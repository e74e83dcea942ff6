-- string.format conversions that LuaJIT and Lua agree on
print(string.format("%d %5.2f %s %x %X %o", 42, 3.14159, "s", 255, 255, 8))
print(string.format("%q", "a\nb\"c"))
print(string.format("%-5s|%5s|", "ab", "cd"))
print(string.format("%g %g %g", 1e20, 0.5, 100))
print(tostring(1/0), tostring(-1/0), tostring(2^53), tostring(0.1))
