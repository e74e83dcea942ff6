-- methods on strings through the shared string metatable, and string coercion in arithmetic
local s = "Hello"
print(s:len(), s:upper(), s:lower(), s:rep(2), s:byte(1), s:sub(2, 3))
print(("%d-%s"):format(5, "x"))
print("10" + 5, "3" * "4", 10 .. 20, "2" ^ 3, -"2", "0x10" + 0, " 5 " * 2)
print(pcall(function() return ("x"):nope() end))
print(pcall(function() return "abc" + 1 end))
