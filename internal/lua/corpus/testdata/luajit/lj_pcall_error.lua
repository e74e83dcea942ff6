-- error values through pcall and xpcall in LuaJIT
print(pcall(error, {code = 1}) == false)
local ok, e = pcall(error, {code = 2})
print(ok, e.code)
print(pcall(error, "msg", 0))
print(xpcall(function() error("x", 0) end, function(m) return "h:" .. m end))
print(pcall(error))
