-- patterns shared by LuaJIT and Lua 5.2
print(("key=value"):match("(%w+)=(%w+)"))
print(("a,b,c"):gsub(",", ";"))
print(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print(("f(a(b)c)d"):match("%b()"))
for k, v in ("a=1&b=2"):gmatch("(%w+)=(%w+)") do print(k, v) end
print(string.find("hello", "l", 1, true))
