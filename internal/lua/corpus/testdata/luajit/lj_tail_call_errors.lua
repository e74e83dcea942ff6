-- A tail call to a Go function replaces the calling Lua function's frame, as in LuaJIT: errors
-- raised there take the position of the next Lua function down the stack, or none, and an
-- argument error names the function '?'.
local function f() return error("boom") end
print(pcall(f))
local function g()
	local x = 1
	return f()
end
print(pcall(g))
local function h() return error("level 2", 2) end
local function k()
	local r = h()
	return r
end
print(pcall(k))
local function h1() local r = error("level 2, no tail call", 2) return r end
local function k1()
	local r = h1()
	return r
end
print(pcall(k1))
print(pcall(function() return string.rep() end))
local function m()
	local r = (function() return string.rep() end)()
	return r
end
print(pcall(m))
local function n()
	local r = (function() return ("x"):rep({}) end)()
	return r
end
print(pcall(n))
print(pcall(function() return (string.rep()) end))
print(pcall(function() return tonumber() end))
