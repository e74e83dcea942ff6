-- next with invalid keys and on sequences
local t = {10, 20, 30}
local k, v = next(t)
print(k, v)
print(next(t, 3))
print(pcall(next, t, "nokey"))
print(pcall(function() return next(nil) end))
