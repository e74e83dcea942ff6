-- an error inside the xpcall handler, and a handler that is not a function
local ok, e = xpcall(function() error("first") end, function(m) error("in handler") end)
print(ok, type(e))
print(pcall(function() return (xpcall()) end))
print(pcall(function() return (xpcall(function() end)) end))
