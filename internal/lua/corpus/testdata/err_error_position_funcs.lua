-- error positions for errors raised by library functions called from Lua
print(pcall(function() return (("x"):rep()) end))
print(pcall(function() return (string.rep()) end))
print(pcall(function() return (math.floor("a")) end))
print(pcall(function() return (setmetatable(1, {})) end))
print(pcall(function() return (ipairs(nil)) end))
print(pcall(function() return (("abc"):sub({})) end))
print(pcall(function() return (tostring()) end))
print(pcall(function() return (table.concat({{}})) end))
