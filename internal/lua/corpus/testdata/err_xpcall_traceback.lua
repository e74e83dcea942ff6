-- xpcall with debug.traceback: only the first line is stable across implementations
local function first(s) return (s:match("^[^\n]*")) end
local ok, tb = xpcall(function() error("with traceback") end, debug.traceback)
print(ok, first(tb))
print(first(debug.traceback("message here")))
print(first(debug.traceback()))
print(first(debug.traceback("m", 2)))
print(first(debug.traceback(nil)))
print(type(debug.traceback({})))
local ok2, tb2 = xpcall(function() error({}) end, debug.traceback)
print(ok2, type(tb2))
