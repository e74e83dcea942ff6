-- pcall returns all results on success, and nested pcall
print(pcall(function(...) return ... end, 1, nil, 3))
print(pcall(function() end))
print(select("#", pcall(function() end)))
print(pcall(pcall, error, "inner"))
print(pcall(function() return pcall() end))
print(pcall(function() return pcall(error, "x", 0) end))
local ok, a, b = pcall(string.find, "hello", "l+")
print(ok, a, b)
