-- xpcall with handlers: the handler's result replaces the error; 5.2 passes extra args
print(xpcall(function() error("oops", 0) end, function(m) return "handled: " .. m end))
print(xpcall(function() return "fine", 2 end, function(m) return "unused" end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() error({code = 1}) end, function(e) return type(e), e.code end))
print(xpcall(function() error() end, function(e) return "got " .. tostring(e) end))
local calls = 0
print(xpcall(function() local x = nil; return x.y end, function(m) calls = calls + 1; return m end))
print(calls)
