-- Lua 5.1's getfenv and setfenv, as LuaJIT has them.
local G = _G
print(type(getfenv()), type(getfenv(0)), getfenv(print) == G)
local function f() return x end
local env = {x = 42}
print(setfenv(f, env) == f)
print(f(), getfenv(f) == env)
local function try(fn, ...)
	local ok, err = pcall(fn, ...)
	print(ok, err)
end
try(function() local r = setfenv(print, {}) return r end)
try(function() local r = getfenv(50) return r end)
try(function() local r = setfenv(50, {}) return r end)
try(function() local r = setfenv(f, 1) return r end)
try(function() local r = setfenv({}, {}) return r end)
try(function() local r = setfenv(nil, {}) return r end)
try(function() local r = setfenv(1) return r end)
try(function() local r = getfenv("x") return r end)
try(function() local r = getfenv(-1) return r end)
print(getfenv(1.5) == getfenv(1), getfenv("1") == getfenv(1))
local function g() return y end
local function h() setfenv(1, {y = 7, print = print}) return y end
print(h(), g())
local code = loadstring("z = 5 return z")
local e = {}
setfenv(code, e)
print(code(), e.z, tostring(z))
local function k() return 1 end
setfenv(k, {})
print(k())
local function mk() return function() return w end end
setfenv(mk, {w = "inherited"})
print(mk()())
-- A tail call replaces its caller's frame, also when it calls a Go function.
local function level2() local t = getfenv(2) return t end
local function level2tail() return getfenv(2) end
local function caller()
	setfenv(1, {level2 = level2, level2tail = level2tail, marker = "caller's"})
	local t, u = level2(), level2tail()
	return t.marker, u.marker
end
_G.marker = "main's"
print(caller())
-- setfenv(0, t) sets the environment that loadstring gives the chunks it loads.
local t0 = {answer = 41, tostring = tostring}
print(select("#", setfenv(0, t0)))
print(loadstring("answer = answer + 1 return answer")(), t0.answer, getfenv(0) == t0)
