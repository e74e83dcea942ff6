-- error with strings, tables, nil, numbers, booleans: pcall returns the value unchanged
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, 4.5))
print(pcall(error, false))
print(pcall(error, true))
local t = {reason = "denied"}
local ok, e = pcall(error, t)
print(ok, e == t, e.reason)
print(select("#", pcall(error)))
