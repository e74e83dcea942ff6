-- position captures ()
print(("hello"):match("()ll()"))
print(("hello"):find("()ll()"))
print(("aXbXc"):gsub("()X", "%1"))
for pos, w in ("one two three"):gmatch("()(%a+)") do print(pos, w) end
print(("abc"):match("()", 4))
local t = {}
for p in ("a,b,,c"):gmatch("(),") do t[#t + 1] = p end
print(table.concat(t, " "))
